"""Edges of DESIGN sections 4 and 5, by hand, in `assess` and in `assess_tables`.

Each test builds a small plan whose figures are worked out in the comments, and
checks that both engines give them: trajectories held at 0 before the start and 1
after the due date, leaves of weight 0 counted in no roll-up, uncounted ``sum``
observations still recorded, and coverage ``None`` at weight 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings

from beijing_plan._engine.engine import Engine, Layout
from beijing_plan.assessment import Assessment, assess
from beijing_plan.columnar import LEVELS, assess_tables, to_tables
from beijing_plan.ledger import Ledger, Observation, Record, StatusChange
from beijing_plan.model import Baseline, Measure, Plan, Policy, Target, Task
from beijing_plan.rules import Progress, Rules
from beijing_plan.strategies import plans
from helpers import count

FLAT, NESTED = Rules(), Rules(rollup="nested")


def plan_of(*measures: Measure, policies: tuple[Policy, ...] = ()) -> Plan:
    return Plan(
        "p", "Plan", start="2025-01-01", end="2025-12-31", measures=measures, policies=policies
    )


def figures(assessment: Assessment, item_id: str) -> tuple[Any, ...]:
    """Completion, expected, coverage and status of one result of ``assess``."""
    result = assessment[item_id]
    return result.completion, result.expected, result.coverage, result.status


def table_figures(
    plan: Plan, records: list[Record], as_of: str, rules: Rules
) -> dict[str, tuple[Any, ...]]:
    """The same four figures of every result of ``assess_tables`` (on polars), by id."""
    tables = to_tables([plan], [Ledger(records)])
    table = assess_tables(tables.leaves, tables.records, as_of=as_of, rules=rules, by=LEVELS)
    return {
        row["id"]: (row["completion"], row["expected"], row["coverage"], Progress(row["status"]))
        for row in table.to_pylist()
    }


def both(
    plan: Plan, records: list[Record], as_of: str, rules: Rules, item_id: str
) -> list[tuple[Any, ...]]:
    """The figures of ``item_id`` from each engine, rounded to 12 places."""

    def rounded(found: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(round(x, 12) if isinstance(x, float) else x for x in found)

    objects = assess(plan, Ledger(records), as_of=as_of, rules=rules)
    return [
        rounded(figures(objects, item_id)),
        rounded(table_figures(plan, records, as_of, rules)[item_id]),
    ]


# -- item 13: a trajectory is 0 before the start and 1 after the due date ------------------

HELD = Task(
    "held",
    "Held at one half",
    start="2025-03-01",
    due="2025-06-30",
    trajectory=[("2025-03-01", 0.5), ("2025-06-30", 0.5)],
)

INSIDE = Task(
    "inside",
    "One point inside",
    start="2025-03-01",
    due="2025-05-01",
    trajectory=[("2025-04-01", 0.8)],
)
TRAJECTORIES = plan_of(
    Measure(
        "m",
        1,
        "Measure",
        tasks=[HELD, INSIDE],
        targets=[
            Target(
                "g",
                "Firms",
                "at_least",
                count(10),
                deadline="2025-06-30",
                trajectory=[("2025-02-01", 0.5), ("2025-06-30", 0.8)],
            )
        ],
    )
)


@pytest.mark.parametrize(
    ("as_of", "item_id", "wanted"),
    [
        # Before the start nothing is expected, whatever the first point says: on track.
        ("2025-02-28", "held", (0.0, 0.0, 0.0, Progress.ON_TRACK)),
        # On the start day the trajectory's own point holds: 0 of 0.5 is off track.
        ("2025-03-01", "held", (0.0, 0.5, 0.0, Progress.OFF_TRACK)),
        # On the due day its own point, the day after 1 (and overdue).
        ("2025-06-30", "held", (0.0, 0.5, 0.0, Progress.OFF_TRACK)),
        ("2025-07-01", "held", (0.0, 1.0, 0.0, Progress.OVERDUE)),
        # (2025-03-01, 0) and (2025-05-01, 1) extend a trajectory with no point there:
        # 2025-03-16 is 15 of the 31 days to the point 0.8: 0.8 * 15 / 31.
        ("2025-03-16", "inside", (0.0, round(0.8 * 15 / 31, 12), 0.0, Progress.OFF_TRACK)),
        # 2025-04-16 is 15 of the 30 days from 0.8 to 1: 0.9.
        ("2025-04-16", "inside", (0.0, 0.9, 0.0, Progress.OFF_TRACK)),
        # A measure's target runs from the plan's start: 2025-01-01 gets (start, 0),
        # 2025-01-17 is 16 of the 31 days to 0.5: 8/31; after its deadline 1.
        ("2025-01-17", "g", (0.0, round(8 / 31, 12), 0.0, Progress.OFF_TRACK)),
        ("2025-07-01", "g", (0.0, 1.0, 0.0, Progress.OVERDUE)),
    ],
)
def test_a_trajectory_is_zero_before_the_start_and_one_after_the_due_date(
    as_of: str, item_id: str, wanted: tuple[Any, ...]
) -> None:
    """Expected is 0 before the start and 1 after the due date, the points between."""
    assert both(TRAJECTORIES, [], as_of, FLAT, item_id) == [wanted, wanted]


def test_a_group_expects_what_its_held_trajectories_say() -> None:
    """Before every start the measure expects 0, so nothing recorded yet is on track."""
    wanted = (0.0, 0.0, 0.0, Progress.ON_TRACK)
    assert both(TRAJECTORIES, [], "2024-12-31", FLAT, "m") == [wanted, wanted]


# -- item 14: a leaf of weight 0 never counts -----------------------------------------------

WEIGHTS = plan_of(
    Measure("m1", 1, "All weight 0", tasks=[Task("a", "A", weight=0), Task("b", "B", weight=0)]),
    Measure("m2", 2, "One task", tasks=[Task("c", "C")]),
    Measure("m3", 3, "Mixed", tasks=[Task("d", "D", weight=0), Task("e", "E", weight=2)]),
    policies=(Policy("q", "Weight 0 policy", weight=0),),
)
WEIGHT_RECORDS: list[Record] = [
    StatusChange("a", "2025-02-01", "done"),
    StatusChange("b", "2025-02-01", "not_started"),
    StatusChange("c", "2025-02-01", "in_progress", percent=40),
    StatusChange("d", "2025-02-01", "done"),
    StatusChange("e", "2025-02-01", "in_progress", percent=50),
    StatusChange("q", "2025-02-01", "done"),
]


@pytest.mark.parametrize(
    ("rules", "item_id", "completion"),
    [
        # A group whose weights sum to 0 has no completion, in both roll-ups.
        (FLAT, "m1", None),
        (NESTED, "m1", None),
        # m3: d (weight 0, done) is left out: e's 0.5 alone, in both roll-ups.
        (FLAT, "m3", 0.5),
        (NESTED, "m3", 0.5),
        # Flat plan: (1 * 0.4 + 2 * 0.5) / 3; the leaves of weight 0 add nothing.
        (FLAT, "p", round(1.4 / 3, 12)),
        # Nested plan: m1 (None) and q (weight 0) are left out: (0.4 + 0.5) / 2.
        (NESTED, "p", 0.45),
    ],
)
def test_a_leaf_of_weight_zero_counts_in_no_roll_up(
    rules: Rules, item_id: str, completion: float | None
) -> None:
    """Leaves of weight 0 are left out of flat and nested means alike."""
    found = both(WEIGHTS, WEIGHT_RECORDS, "2025-03-01", rules, item_id)
    assert [row[0] for row in found] == [completion, completion]


def test_a_nested_group_says_a_leaf_of_weight_zero_is_not_counted() -> None:
    """The contributions of a nested measure name the weight-0 leaf as not counted."""
    result = assess(WEIGHTS, WEIGHT_RECORDS, as_of="2025-03-01", rules=NESTED)["m3"]
    rows = {row.id: (row.counted, row.share, row.reason) for row in result.contributions}
    assert rows == {"d": (False, None, "weight 0"), "e": (True, 1.0, "percent")}
    assert "not counted [weight 0]" in result.explain()


# -- item 15: an uncounted sum observation is still a record ------------------------------

SUMS = plan_of(
    Measure(
        "m",
        1,
        "Measure",
        targets=[Target("own", "Own", "at_least", count(10), aggregation="sum")],
        tasks=[
            Task(
                "t",
                "Task",
                targets=[
                    Target(
                        "g",
                        "Funds",
                        "at_least",
                        count(100),
                        aggregation="sum",
                        baseline=Baseline(count(40), "2025-01-31"),
                    )
                ],
            )
        ],
    )
)
SUM_RECORDS: list[Record] = [
    Observation("g", "2025-01-31", count(10)),  # on the baseline's date: not an increment
    Observation("g", "2025-01-15", count(5)),  # before it
    Observation("own", "2024-12-31", count(3)),  # before the plan starts, without a baseline
]


@pytest.mark.parametrize(
    ("item_id", "completion", "coverage"),
    [
        # Rule 3 needs a counted observation: the task falls to rule 7 (0), recorded.
        ("t", 0.0, 1.0),
        ("own", 0.0, 1.0),
        # Both leaves are recorded: the measure and the plan are fully covered.
        ("m", 0.0, 1.0),
        ("p", 0.0, 1.0),
    ],
)
def test_a_sum_observation_that_does_not_count_is_still_a_record(
    item_id: str, completion: float | None, coverage: float
) -> None:
    """Increments on or before the baseline date (or the plan's start) count for coverage."""
    found = both(SUMS, SUM_RECORDS, "2025-03-01", FLAT, item_id)
    assert [(row[0], row[2]) for row in found] == [(completion, coverage)] * 2


def test_a_target_with_only_uncounted_increments_has_records_but_no_attainment() -> None:
    """The task's target has no completion (no increment counts) and coverage 1."""
    result = assess(SUMS, SUM_RECORDS, as_of="2025-03-01")["g"]
    assert (result.completion, result.coverage, result.current) == (None, 1.0, None)


# -- item 17: coverage is None at weight 0 ------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "coverage"),
    [("a", None), ("b", None), ("q", None), ("m1", None), ("c", 1.0), ("m3", 1.0)],
)
def test_coverage_is_none_at_weight_zero(item_id: str, coverage: float | None) -> None:
    """A leaf of weight 0, and a group whose weights sum to 0, have coverage None."""
    found = both(WEIGHTS, WEIGHT_RECORDS, "2025-03-01", FLAT, item_id)
    assert [row[2] for row in found] == [coverage, coverage]


def test_a_leaf_of_weight_zero_explains_its_coverage() -> None:
    """The explanation of a weight-0 leaf says why it has no coverage."""
    result = assess(WEIGHTS, WEIGHT_RECORDS, as_of="2025-03-01")["a"]
    assert "Coverage: none (its weight is 0)" in result.explain()
    assert "覆盖率：无（其权重为 0）" in result.explain("zh")  # noqa: RUF001 (full-width, as in the text)


def test_days_are_plain_dates() -> None:
    """The hand-computed dates above are the days the engines count."""
    assert (dt.date(2025, 3, 16) - dt.date(2025, 3, 1)).days == 15
    assert (dt.date(2025, 4, 1) - dt.date(2025, 3, 1)).days == 31
    assert (dt.date(2025, 5, 1) - dt.date(2025, 4, 1)).days == 30


@settings(max_examples=30, deadline=None)
@given(plan=plans())
def test_every_engine_of_a_layout_numbers_each_node_as_the_layout_does(plan: Plan) -> None:
    """The layout numbers the groups before any engine makes them, and its engines share
    that index: each id leads to the node of that id, and making the units of a role
    (numbered after the plan's nodes, found by role) leaves it as it was."""
    layout = Layout(plan)
    engines = [
        Engine(plan, Ledger(), plan.start, Rules(), layout=layout),
        Engine(plan, Ledger(), plan.end, Rules(rollup="nested"), layout=layout),
    ]
    for engine in engines:
        assert engine.index is layout.node_index
        assert len(engine.index) == len(engine.nodes)
        for node_id, position in engine.index.items():
            assert engine.nodes.ids[position] == node_id
        before = dict(engine.index)
        engine.unit_positions("any")
        assert engine.index == before
