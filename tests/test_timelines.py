"""The figures of leaves and parts at the dates of a history where they change (`timelines`)."""

from __future__ import annotations

from decimal import Decimal

import pendulum

from beijing_plan import (
    Baseline,
    Ledger,
    Milestone,
    Observation,
    Quantity,
    Rules,
    StatusChange,
    Target,
    Task,
    assess,
    history,
)
from beijing_plan._engine.completion import ATTAINMENT, MISSING, PARTS, PERCENT
from beijing_plan._engine.engine import Layout
from beijing_plan._engine.history import _held, sweep
from beijing_plan._engine.timelines import Figures, timelines
from beijing_plan.model import Plan
from helpers import one_measure_plan

DATES = ["2025-01-31", "2025-02-28", "2025-03-31"]


def count(value: int) -> Quantity:
    return Quantity(value, "count")


def small_plan() -> Plan:
    """Task `a` of one summed target `ta`; task `b` with a milestone `mb`; target `g` alone."""
    return one_measure_plan(
        Task("a", "A", targets=[Target("ta", "TA", "at_least", count(10), aggregation="sum")]),
        Task("b", "B", milestones=[Milestone("mb", "MB")]),
        targets=[Target("g", "G", "at_least", count(100))],
    )


def small_ledger() -> Ledger:
    return Ledger(
        [
            Observation("ta", "2025-01-10", count(4)),
            StatusChange("b", "2025-02-01", "in_progress", percent=50),
            Observation("ta", "2025-03-05", count(3)),
            StatusChange("mb", "2025-03-20", "done"),
        ]
    )


def corrected(between: Observation) -> Ledger:
    """4 for `ta` on 10 January (entered on the 15th), `between`, then its correction
    to 6, entered on 1 March."""
    return Ledger(
        [
            Observation("ta", "2025-01-10", count(4), recorded="2025-01-15", id="jan"),
            between,
            Observation(
                "ta", "2025-01-10", count(6), recorded="2025-03-01", supersedes="jan", id="fix"
            ),
        ]
    )


def changes_by_id(plan: Plan, ledger: Ledger) -> list[dict[str, Figures]]:
    layout = Layout(plan)
    days = [pendulum.parse(day).toordinal() for day in DATES]  # type: ignore[union-attr]
    held, irregular, wrong = _held(ledger.records, layout, days, None)
    assert not wrong
    parts, leaves = timelines(held, irregular, layout, days, Rules())
    found = []
    for number, changed in enumerate(leaves):
        positions = [p for p, _ in changed]
        assert positions == sorted(positions)
        assert all(p < layout.leaf_count for p in positions)
        assert all(p >= layout.leaf_count for p, _ in parts[number])
        found.append({layout.items[p].id: f for p, f in [*parts[number], *changed]})
    return found


def test_each_node_has_figures_only_where_its_records_change() -> None:
    """January: every leaf, and `ta` at 4 of 10. February: `b` at its 50 %. March: `ta`
    at 4 + 3 = 7 of 10 and task `a` with it, `mb` done and so `b` by its one part."""
    january, february, march = changes_by_id(small_plan(), small_ledger())
    assert january == {
        "ta": (0.4, True, False, None, Decimal(4), 0.4),
        "a": (0.4, True, False, PARTS, None, None),
        "b": (0.0, False, False, MISSING, None, None),
        "g": (0.0, False, False, MISSING, None, None),
    }
    assert february == {"b": (0.5, True, False, PERCENT, None, None)}
    assert march == {
        "ta": (0.7, True, False, None, Decimal(7), 0.7),
        "a": (0.7, True, False, PARTS, None, None),
        "mb": (1.0, True, False, None, None, None),
        "b": (1.0, True, False, PARTS, None, None),
    }


def test_a_target_leaf_observed_later_starts_missing() -> None:
    """`g` has nothing in January and February, then 25 of 100 in March."""
    ledger = Ledger([Observation("g", "2025-03-02", count(25))])
    january, february, march = changes_by_id(small_plan(), ledger)
    assert january["g"] == (0.0, False, False, MISSING, None, None)
    assert "g" not in february
    assert march["g"] == (0.25, True, False, ATTAINMENT, Decimal(25), 0.25)


def test_every_date_of_the_history_is_the_assessment_of_that_date() -> None:
    plan, ledger = small_plan(), small_ledger()
    found = history(plan, ledger, at=DATES)
    for day in DATES:
        alone = assess(plan, ledger, as_of=day)
        for node in ("a", "ta", "b", "mb", "g", "m", "p"):
            assert found[day][node].completion == alone[node].completion
            assert found[day][node].status == alone[node].status


def test_a_correction_known_later_counts_again_from_the_date_that_knows_it() -> None:
    """4 counts in January and February as reported then; the correction to 6, entered
    on 1 March, replaces it from March on, when the 3 of 5 March adds to it: 9 of 10."""
    plan = small_plan()
    ledger = corrected(Observation("ta", "2025-03-05", count(3)))
    found = history(plan, ledger, at=DATES, reported_after=0)
    assert [found[day]["ta"].completion for day in DATES] == [0.4, 0.4, 0.9]
    assert [found[day]["a"].completion for day in DATES] == [0.4, 0.4, 0.9]
    march = found["2025-03-31"]["ta"]
    assert str(march.current) == str(count(9))


def test_a_date_that_changes_no_figure_of_a_node_leaves_it_out() -> None:
    """`b` is reported 50 % in progress again in February: its figures do not change, so
    February has no entry for it; a summed increment dated on the baseline's day
    counts nothing, so `ta` and task `a` are left out of March too."""
    plan = one_measure_plan(
        Task(
            "a",
            "A",
            targets=[
                Target(
                    "ta",
                    "TA",
                    "at_least",
                    count(10),
                    aggregation="sum",
                    baseline=Baseline(count(0), "2025-02-15"),
                )
            ],
        ),
        Task("b", "B"),
    )
    ledger = Ledger(
        [
            StatusChange("b", "2025-01-20", "in_progress", percent=50),
            Observation("ta", "2025-02-20", count(4)),
            StatusChange("b", "2025-02-10", "in_progress", percent=50),
            Observation("ta", "2025-02-15", count(9)),
        ]
    )
    january, february, march = changes_by_id(plan, ledger)
    assert january["b"] == (0.5, True, False, PERCENT, None, None)
    assert "b" not in february
    assert february["ta"] == (0.4, True, False, None, Decimal(4), 0.4)
    assert march == {}
    found = history(plan, ledger, at=DATES)
    for day in DATES:
        alone = assess(plan, ledger, as_of=day)
        for node in ("a", "ta", "b"):
            assert found[day][node].completion == alone[node].completion


def test_only_records_entered_late_or_replaced_make_a_node_irregular() -> None:
    """With everything known every record only joins. As reported a day after each
    date, the correction entered on 1 March is known from the February date on, and
    the January record it corrects stops counting there: both make `ta` irregular;
    `g`, whose record is entered on its day, is not."""
    plan = small_plan()
    ledger = corrected(Observation("g", "2025-02-03", count(30)))
    layout = Layout(plan)
    days = [pendulum.parse(day).toordinal() for day in DATES]  # type: ignore[union-attr]
    _, irregular, _ = _held(ledger.known_at(None).records, layout, days, None)
    assert irregular == set()
    limits = [day + 1 for day in days]
    held, irregular, wrong = _held(ledger.records, layout, days, limits)
    assert not wrong
    assert {layout.items[p].id for p in irregular} == {"ta"}
    assert [(first, end) for _, _, first, end in held[layout.index["ta"]]] == [(0, 1), (1, 3)]


def test_points_that_count_are_taken_date_by_date_from_one_count() -> None:
    """A sum of 4 then 5 on 10 January (the later same-day figure replaces the
    earlier: 5), then 2 and 1 in February (8); the mean, largest and smallest of
    levels 6 and 2 in January (4, 6, 2) and 7 in February (5, 7, and the smallest
    still 2: no entry). March adds nothing, so it has no entry for any of them."""
    aggregations = ("sum", "mean", "max", "min")
    plan = one_measure_plan(
        targets=[
            Target(kind, kind, "at_least", count(10), aggregation=kind) for kind in aggregations
        ]
    )
    records = [
        Observation("sum", "2025-01-10", count(4)),
        Observation("sum", "2025-01-10", count(5)),
        Observation("sum", "2025-02-03", count(2)),
        Observation("sum", "2025-02-20", count(1)),
    ]
    for kind in aggregations[1:]:
        records += [
            Observation(kind, "2025-01-05", count(6)),
            Observation(kind, "2025-01-25", count(2)),
            Observation(kind, "2025-02-14", count(7)),
        ]
    ledger = Ledger(records)
    january, february, march = changes_by_id(plan, ledger)
    assert {kind: january[kind][4] for kind in aggregations} == {
        "sum": Decimal(5),
        "mean": Decimal(4),
        "max": Decimal(6),
        "min": Decimal(2),
    }
    assert {kind: february[kind][4] for kind in aggregations[:3]} == {
        "sum": Decimal(8),
        "mean": Decimal(5),
        "max": Decimal(7),
    }
    assert "min" not in february
    assert march == {}
    found = history(plan, ledger, at=DATES)
    for day in DATES:
        alone = assess(plan, ledger, as_of=day)
        for kind in aggregations:
            assert str(found[day][kind].current) == str(alone[kind].current)


def test_groups_carry_their_sums_over_while_no_leaf_gains_a_record() -> None:
    """January gives `ta` and `b` their first records; February and March change only
    their completions, so the groups take their weights, coverage and due days over
    from the date before and sum only what is done and due. Each date still equals
    its assessment, under either roll-up and either rule for leaves with nothing."""
    plan = small_plan()
    ledger = Ledger(
        [
            Observation("ta", "2025-01-10", count(4)),
            StatusChange("b", "2025-01-20", "in_progress", percent=50),
            StatusChange("b", "2025-02-10", "in_progress", percent=80),
            Observation("ta", "2025-03-05", count(3)),
        ]
    )
    dates = [pendulum.parse(day).date() for day in DATES]  # type: ignore[union-attr]
    for rollup in ("flat", "nested"):
        for missing in ("zero", "exclude"):
            rules = Rules(rollup=rollup, missing=missing)
            engines = sweep(plan, ledger, dates, rules, [None] * len(dates))
            assert [engine._same for engine in engines] == [False, True, True]  # type: ignore[attr-defined]
            found = history(plan, ledger, at=DATES, rules=rules)
            for day in DATES:
                alone = assess(plan, ledger, as_of=day, rules=rules)
                for key in alone:
                    assert found[day][key] == alone[key], (day, key)
