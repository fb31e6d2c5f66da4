"""History (`history`, `History`) and change (`Assessment.compare`, `Transition`)."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from beijing_plan import (
    DateNotInHistoryError,
    Ledger,
    Measure,
    Observation,
    Plan,
    PlanError,
    PlanValidationError,
    Quantity,
    Revision,
    Rules,
    StatusChange,
    Target,
    Task,
    Transition,
    Withdrawal,
    assess,
    history,
)
from beijing_plan.change import transition
from beijing_plan.histories import period_ends
from beijing_plan.rules import Progress
from helpers import one_measure_plan


def days(values: object) -> list[str]:
    return [str(day) for day in values]  # type: ignore[attr-defined]


def count(value: int) -> Quantity:
    return Quantity(value, "count")


def span_plan(start: str, end: str) -> Plan:
    return Plan(
        "p", "P", start=start, end=end, measures=[Measure("m", 1, "M", tasks=[Task("a", "A")])]
    )


# -- dates ------------------------------------------------------------------------------------


def test_month_ends_overlap_the_plan_and_the_last_is_cut_at_its_end() -> None:
    """`"month"` over 2025-03-15 to 2025-12-20 gives March to November's ends, then the end."""
    found = history(span_plan("2025-03-15", "2025-12-20"), at="month")
    assert days(found.dates) == [
        "2025-03-31",
        "2025-04-30",
        "2025-05-31",
        "2025-06-30",
        "2025-07-31",
        "2025-08-31",
        "2025-09-30",
        "2025-10-31",
        "2025-11-30",
        "2025-12-20",
    ]


def test_quarter_and_year_ends() -> None:
    """Quarters and years are cut the same way; a plan ending on a period end keeps it once."""
    assert days(period_ends("2025-03-15", "2025-12-20", "quarter")) == [
        "2025-03-31",
        "2025-06-30",
        "2025-09-30",
        "2025-12-20",
    ]
    assert days(period_ends("2025-03-15", "2025-12-20", "year")) == ["2025-12-20"]
    assert days(period_ends("2024-11-02", "2026-12-31", "year")) == [
        "2024-12-31",
        "2025-12-31",
        "2026-12-31",
    ]
    assert days(period_ends("2025-01-31", "2025-03-31", "month")) == [
        "2025-01-31",
        "2025-02-28",
        "2025-03-31",
    ]
    assert days(period_ends("2025-05-01", "2025-05-01", "quarter")) == ["2025-05-01"]


def test_given_dates_are_sorted_and_kept_once() -> None:
    """A sequence of dates of any kind is sorted, duplicates dropped."""
    found = history(
        span_plan("2025-01-01", "2025-12-31"),
        at=["2025-06-30", dt.date(2025, 3, 31), pendulum.Date(2025, 6, 30)],
    )
    assert days(found.dates) == ["2025-03-31", "2025-06-30"]
    assert len(found) == 2
    assert days(found) == ["2025-03-31", "2025-06-30"]


@pytest.mark.parametrize(
    ("options", "problems"),
    [
        (
            {"at": "week"},
            [("at", "'week' is not one of 'month', 'quarter', 'year' or a sequence of dates")],
        ),
        (
            {"at": 5},
            [("at", "5 is not one of 'month', 'quarter', 'year' or a sequence of dates")],
        ),
        ({"at": []}, [("at", "gives no date")]),
        (
            {"at": ["2025-03-31", "2025-02-30"]},
            [("at[1]", "'2025-02-30' is not a date (YYYY-MM-DD)")],
        ),
        (
            {"at": "month", "known_at": "2025-05-01", "reported_after": 3},
            [("reported_after", "3 cannot be given with known_at ('2025-05-01')")],
        ),
        (
            {"at": "month", "reported_after": -1},
            [("reported_after", "-1 is negative; it counts days after each date")],
        ),
        (
            {"at": "month", "reported_after": True},
            [("reported_after", "True is not a whole number of days")],
        ),
        (
            {"at": "month", "reported_after": 1.5},
            [("reported_after", "1.5 is not a whole number of days")],
        ),
        ({"at": "month", "known_at": "soon"}, [("known_at", "'soon' is not a date (YYYY-MM-DD)")]),
    ],
)
def test_bad_options_are_refused_with_their_path(
    options: dict[str, object], problems: list[tuple[str, str]]
) -> None:
    """Bad dates, periods and knowledge options raise our error naming the option."""
    with pytest.raises(PlanValidationError) as caught:
        history(span_plan("2025-01-01", "2025-12-31"), **options)  # type: ignore[arg-type]
    assert caught.value.problems == problems


def test_a_date_not_in_the_history_names_the_dates() -> None:
    """Asking for another date raises our KeyError, which lists the history's dates."""
    found = history(span_plan("2025-01-01", "2025-12-31"), at="quarter")
    with pytest.raises(DateNotInHistoryError) as caught:
        found["2025-05-15"]
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, PlanError)
    assert str(caught.value) == (
        "2025-05-15 is not a date of this history: 2025-03-31, 2025-06-30, 2025-09-30, 2025-12-31"
    )
    with pytest.raises(DateNotInHistoryError, match="'soon' is not a date of this history"):
        found["soon"]
    assert "2025-06-30" in found
    assert dt.date(2025, 6, 30) in found
    assert "2025-06-29" not in found


def test_wrong_argument_types_are_misuse() -> None:
    """A plan, ledger or rules of the wrong type is a TypeError naming the argument."""
    plan = span_plan("2025-01-01", "2025-12-31")
    with pytest.raises(TypeError, match="plan must be a Plan, not str"):
        history("p", at="month")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rules must be a Rules, not dict"):
        history(plan, at="month", rules={})  # type: ignore[arg-type]


# -- figures ------------------------------------------------------------------------------------


def test_figures_at_each_date_are_those_of_assess() -> None:
    """A task at 40% from February and done in May: 0, 0.4, 1.0 at quarter ends to June."""
    plan = span_plan("2025-01-01", "2025-12-31")
    ledger = Ledger(
        [
            StatusChange("a", "2025-02-10", "in_progress", percent=40),
            StatusChange("a", "2025-05-20", "done"),
        ]
    )
    found = history(plan, ledger, at=["2025-01-31", "2025-03-31", "2025-06-30"])
    assert [found[day]["a"].completion for day in found.dates] == [0.0, 0.4, 1.0]
    # 2025-03-31 is day 89 of 364 after the start: expected 89/364.
    assert found["2025-03-31"]["a"].expected == pytest.approx(89 / 364)
    assert (
        found["2025-03-31"]["a"].expected == assess(plan, ledger, as_of="2025-03-31")["a"].expected
    )
    assert [found[day].overall.status for day in found.dates] == [
        Progress.OFF_TRACK,
        Progress.ON_TRACK,
        Progress.DONE,
    ]
    assert found["2025-06-30"].as_of == pendulum.Date(2025, 6, 30)


def test_reported_after_assesses_each_date_as_known_that_many_days_later() -> None:
    """A March figure entered on 10 April counts for March's end only 10 or more days after."""
    plan = span_plan("2025-01-01", "2025-12-31")
    ledger = Ledger(
        [StatusChange("a", "2025-03-20", "in_progress", percent=50, recorded="2025-04-10")]
    )
    assert (
        history(plan, ledger, at=["2025-03-31"], reported_after=5)["2025-03-31"]["a"].completion
        == 0.0
    )
    assert (
        history(plan, ledger, at=["2025-03-31"], reported_after=10)["2025-03-31"]["a"].completion
        == 0.5
    )
    late = history(plan, ledger, at=["2025-03-31"], reported_after=5)["2025-03-31"]
    assert late.known_at == pendulum.Date(2025, 4, 5)
    assert history(plan, ledger, at=["2025-03-31"])["2025-03-31"]["a"].completion == 0.5


def test_a_correction_shows_as_a_restatement_with_reported_after() -> None:
    """128 entered for March, corrected to 132 in May, withdrawn in mid June."""
    target = Target("t", "T", "at_least", count(200))
    plan = one_measure_plan(targets=[target])
    ledger = Ledger(
        [
            Observation("t", "2025-03-31", count(128), id="march"),
            Observation(
                "t", "2025-03-31", count(132), recorded="2025-05-10", supersedes="march", id="fix"
            ),
            Withdrawal("fix", "2025-06-15", reason="double counted"),
        ]
    )
    reported = history(
        plan, ledger, at=["2025-03-31", "2025-04-30", "2025-05-31"], reported_after=0
    )
    assert [reported[day]["t"].completion for day in reported.dates] == [0.64, 0.64, 0.66]
    later = history(plan, ledger, at=["2025-03-31", "2025-06-30"], reported_after=0)
    # In June the correction is withdrawn, and the record it corrected stays replaced.
    assert later["2025-06-30"]["t"].rule == "missing"
    everything = history(plan, ledger, at=["2025-03-31", "2025-04-30"])
    assert [everything[day]["t"].current for day in everything.dates] == [None, None]
    fixed = history(plan, ledger, at=["2025-03-31"], known_at="2025-05-31")
    assert fixed["2025-03-31"]["t"].completion == 0.66


def test_a_record_naming_an_unknown_id_fails_as_assess_does() -> None:
    """The ledger is checked against the plan, as by assess."""
    plan = span_plan("2025-01-01", "2025-12-31")
    ledger = Ledger([StatusChange("ghost", "2025-03-01", "done")])
    with pytest.raises(PlanValidationError) as caught:
        history(plan, ledger, at="quarter")
    with pytest.raises(PlanValidationError) as direct:
        assess(plan, ledger, as_of="2025-03-31")
    assert caught.value.problems == direct.value.problems


# -- transitions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (Progress.ON_TRACK, Progress.DONE, Transition.NEWLY_DONE),
        (Progress.NO_DATA, Progress.DONE, Transition.NEWLY_DONE),
        (Progress.DONE, Progress.DONE, Transition.UNCHANGED),
        (Progress.AT_RISK, Progress.OVERDUE, Transition.NEWLY_OVERDUE),
        (Progress.NO_DATA, Progress.OVERDUE, Transition.NEWLY_OVERDUE),
        (Progress.OVERDUE, Progress.OVERDUE, Transition.UNCHANGED),
        (Progress.NO_DATA, Progress.ON_TRACK, Transition.OTHER),
        (Progress.ON_TRACK, Progress.CANCELLED, Transition.OTHER),
        (Progress.CANCELLED, Progress.CANCELLED, Transition.OTHER),
        (Progress.ON_TRACK, Progress.AT_RISK, Transition.WORSENED),
        (Progress.DONE, Progress.OFF_TRACK, Transition.WORSENED),
        (Progress.OFF_TRACK, Progress.AT_RISK, Transition.IMPROVED),
        (Progress.OVERDUE, Progress.ON_TRACK, Transition.IMPROVED),
        (Progress.AT_RISK, Progress.AT_RISK, Transition.UNCHANGED),
    ],
)
def test_each_transition_rule(before: Progress, after: Progress, expected: Transition) -> None:
    """The first rule that applies: newly done, newly overdue, other, by severity, unchanged."""
    assert transition(before, after) is expected


def _compared_plan() -> tuple[Plan, Ledger]:
    tasks = [
        Task("done", "Done"),
        Task("late", "Late", due="2025-04-15"),
        Task("worse", "Worse"),
        Task("better", "Better"),
        Task("same", "Same"),
        Task("silent", "Silent"),
    ]
    ledger = Ledger(
        [
            StatusChange("done", "2025-02-01", "in_progress", percent=30),
            StatusChange("late", "2025-02-01", "in_progress", percent=90),
            StatusChange("worse", "2025-02-01", "in_progress", percent=25),
            StatusChange("better", "2025-02-01", "in_progress", percent=10),
            StatusChange("same", "2025-02-01", "in_progress", percent=25),
            StatusChange("done", "2025-05-20", "done"),
            StatusChange("better", "2025-06-01", "in_progress", percent=50),
            StatusChange("same", "2025-06-01", "in_progress", percent=50),
        ]
    )
    return one_measure_plan(*tasks), ledger


def test_compare_gives_delta_transition_and_the_new_records() -> None:
    """From 31 March to 30 June: hand-computed deltas, transitions and records."""
    plan, ledger = _compared_plan()
    rules = Rules(missing="exclude")
    march = assess(plan, ledger, as_of="2025-03-31", rules=rules)
    june = assess(plan, ledger, as_of="2025-06-30", rules=rules)
    changes = june.compare(march)
    assert list(changes)[:3] == ["p", "m", "done"]
    # expected at 31 March is 89/364 = 0.2445 (spi of 25% is 1.02, on track); at 30 June
    # 180/364 = 0.4945 (spi of 25% is 0.51, off track; 50% is on track).
    assert changes["done"].delta == pytest.approx(0.7)
    assert changes["done"].transition is Transition.NEWLY_DONE
    assert changes["done"].records == (ledger.records[5],)
    assert changes["late"].transition is Transition.NEWLY_OVERDUE
    assert changes["late"].delta == 0.0
    assert changes["late"].records == ()
    assert (changes["worse"].before.status, changes["worse"].after.status) == (
        Progress.ON_TRACK,
        Progress.OFF_TRACK,
    )
    assert changes["worse"].transition is Transition.WORSENED
    assert (changes["better"].before.status, changes["better"].after.status) == (
        Progress.OFF_TRACK,
        Progress.ON_TRACK,
    )
    assert changes["better"].transition is Transition.IMPROVED
    assert changes["better"].delta == pytest.approx(0.4)
    assert changes["silent"].transition is Transition.OTHER
    assert changes["silent"].delta is None
    assert changes["same"].transition is Transition.UNCHANGED
    assert changes["same"].records == (ledger.records[7],)
    assert changes["m"].records == ledger.records[5:]
    assert changes["p"].records == ledger.records[5:]
    assert [c.id for c in changes.newly_done()] == ["done"]
    assert [c.id for c in changes.newly_overdue()] == ["late"]
    assert [c.id for c in changes.worsened()] == ["worse"]
    assert [c.id for c in changes.improved()] == ["better"]


def test_compare_records_follow_corrections() -> None:
    """A correction known later is a new record of the later report; what it replaced is not."""
    target = Target("t", "T", "at_least", count(200))
    plan = one_measure_plan(targets=[target])
    ledger = Ledger(
        [
            Observation("t", "2025-03-31", count(128), id="march"),
            Observation("t", "2025-03-31", count(132), recorded="2025-05-10", supersedes="march"),
        ]
    )
    april = assess(plan, ledger, as_of="2025-03-31", known_at="2025-04-30")
    may = assess(plan, ledger, as_of="2025-03-31", known_at="2025-05-31")
    changes = may.compare(april)
    assert changes["t"].records == (ledger.records[1],)
    assert changes["t"].delta == pytest.approx(0.02)
    assert changes["t"].transition is Transition.UNCHANGED


def test_history_changes_compare_consecutive_dates() -> None:
    """`changes()` has one entry per date after the first, each against the one before."""
    plan, ledger = _compared_plan()
    found = history(plan, ledger, at=["2025-03-31", "2025-06-30", "2025-09-30"])
    changes = found.changes()
    assert days(changes) == ["2025-06-30", "2025-09-30"]
    direct = found["2025-06-30"].compare(found["2025-03-31"])
    assert changes[pendulum.Date(2025, 6, 30)] == direct
    assert changes[pendulum.Date(2025, 9, 30)]["done"].transition is Transition.UNCHANGED


def test_comparing_assessments_of_different_plans_is_an_error() -> None:
    """Only assessments of one plan compare; anything else is refused clearly."""
    plan, ledger = _compared_plan()
    other = span_plan("2025-01-01", "2025-12-31")
    june = assess(plan, ledger, as_of="2025-06-30")
    with pytest.raises(PlanValidationError) as caught:
        june.compare(assess(other, as_of="2025-03-31"))
    assert caught.value.problems == [
        (
            "earlier",
            "is an assessment of another version of plan 'p'; only assessments of one plan compare",
        )
    ]
    renamed = Plan("q", "Q", start="2025-01-01", end="2025-12-31")
    with pytest.raises(PlanValidationError, match="is an assessment of plan 'q', not of 'p'"):
        june.compare(assess(renamed, as_of="2025-03-31"))
    with pytest.raises(TypeError, match="earlier must be an Assessment, not str"):
        june.compare("2025-03-31")  # type: ignore[arg-type]


# -- showing a history ------------------------------------------------------------------------


def test_history_frames_are_long() -> None:
    """One row per date and node, with the columns date, id, kind and the figures."""
    found = history(*_compared_plan(), at=["2025-03-31", "2025-06-30"])
    frame = found.to_pandas()
    assert list(frame.columns) == [
        "date",
        "id",
        "kind",
        "completion",
        "expected",
        "status",
        "coverage",
    ]
    assert len(frame) == 2 * 8  # the plan, the measure and six tasks at two dates
    assert str(frame["date"].dtype) == "datetime64[s]"
    row = frame[(frame["id"] == "done") & (frame["date"] == dt.datetime(2025, 6, 30))]
    assert row["completion"].tolist() == [1.0]
    assert row["status"].astype(str).tolist() == ["done"]
    wide = found.to_polars()
    assert wide.shape == (16, 7)
    assert wide["id"].to_list()[:3] == ["p", "m", "done"]


def test_history_html_is_a_table_of_nodes_by_dates() -> None:
    """The notebook HTML has a header cell per date and a row per node, text escaped."""
    plan = one_measure_plan(Task("x", "<b>bold</b>"))
    found = history(plan, at=["2025-03-31", "2025-06-30"])
    page = found._repr_html_()
    assert page.count("2025-03-31</th>") == 1
    assert page.count("2025-06-30</th>") == 1
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold</b>" not in page
    assert page.count("<tr><td") == 3  # the plan, the measure, the task


def test_history_plot_draws_completion_and_expected_lines() -> None:
    """Each id gets a completion line, status points and a dashed expected line."""
    import matplotlib  # noqa: PLC0415 (only this test needs it)

    matplotlib.use("Agg")
    found = history(*_compared_plan(), at=["2025-03-31", "2025-06-30", "2025-09-30"])
    ax = found.plot(ids=["done", "p"])
    lines = {line.get_gid(): line for line in ax.get_lines()}
    ys = {key: [float(y) for y in line.get_ydata()] for key, line in lines.items()}  # type: ignore[union-attr, arg-type]
    assert ys["completion:done"] == [0.3, 1.0, 1.0]
    assert lines["expected:p"].get_linestyle() == "--"
    assert ys["expected:p"] == [found[day]["p"].expected for day in found.dates]
    with pytest.raises(PlanValidationError) as caught:
        found.plot(ids=["done", "nope"])
    assert caught.value.problems == [("ids[1]", "'nope' is not an id of the plan")]


def test_a_ledger_with_revisions_is_assessed_date_by_date() -> None:
    """Records of another kind than observations and status changes: each date as assess."""
    plan = span_plan("2025-01-01", "2025-12-31")
    ledger = Ledger(
        [
            StatusChange("a", "2025-02-10", "in_progress", percent=40),
            Revision("a", "2025-03-01", due="2025-09-30", reason="delayed"),
            StatusChange("a", "2025-05-20", "in_progress", percent=70),
        ]
    )
    found = history(plan, ledger, at="quarter", reported_after=0)
    for day in found.dates:
        direct = assess(plan, ledger, as_of=day, known_at=day)
        assert [(r.id, r.completion, r.expected, r.status) for r in found[day].results()] == [
            (r.id, r.completion, r.expected, r.status) for r in direct.results()
        ]
    assert [found[day]["a"].completion for day in found.dates] == [0.4, 0.7, 0.7, 0.7]
