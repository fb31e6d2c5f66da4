"""Tests of expected completion, spi, status and forecasts (DESIGN section 5)."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan._engine.completion import counted_points
from beijing_plan._engine.schedule import (
    day,
    expected,
    forecast,
    planned_points,
    progress,
    series,
    spi,
    window,
)
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Observation
from beijing_plan.model import Baseline, Milestone, Policy, Target, Task
from beijing_plan.rules import Progress, Rules
from beijing_plan.units import Quantity

START_DATE = pendulum.Date(2025, 1, 1)
START = START_DATE.toordinal()
END = day("2025-12-31")
RULES = Rules()


# -- expected ----------------------------------------------------------------------------


def test_expected_is_linear_in_days() -> None:
    """Day 182 of the 364 between 2025-01-01 and 2025-12-31 expects 0.5."""
    assert expected(day("2025-07-02"), START, END) == 0.5


def test_expected_is_zero_up_to_the_start_and_one_from_the_due_date() -> None:
    """0 before and on the start, 1 on and after the due day."""
    assert expected(START - 5, START, END) == 0.0
    assert expected(START, START, END) == 0.0
    assert expected(END, START, END) == 1.0
    assert expected(END + 5, START, END) == 1.0


def test_expected_of_a_one_day_window_is_a_step() -> None:
    """With start == due, expected is 0 before that day and 1 from it."""
    assert expected(START - 1, START, START) == 0.0
    assert expected(START, START, START) == 1.0


def test_due_before_the_plan_start_moves_the_start_to_the_due_date() -> None:
    """A leaf due 2024-12-31 with the 2025-01-01 plan start is a step at its due day."""
    due = day("2024-12-31")
    assert expected(due - 1, START, due) == 0.0
    assert expected(due, START, due) == 1.0
    assert expected(START + 10, START, due) == 1.0


def test_trajectory_is_piecewise_linear_through_its_points() -> None:
    """Through (0, 0), (50, 0.2), (100, 1): 0.1 at 25, 0.2 at 50, 0.6 at 75, 1 at 100."""
    points = ((50, 0.2),)
    assert [expected(at, 0, 100, points) for at in (25, 50, 75, 100)] == pytest.approx(
        [0.1, 0.2, 0.6, 1.0]
    )


def test_trajectory_gives_its_point_on_the_due_day_and_one_after_it() -> None:
    """A trajectory ending at 0.9 on the due day gives 0.9 there, and 1 the day after."""
    points = ((0, 0.0), (100, 0.9))
    assert expected(100, 0, 100, points) == pytest.approx(0.9)
    assert expected(101, 0, 100, points) == 1.0
    assert planned_points(0, 100, points) == [(0, 0.0), (100, 0.9)]


def test_trajectory_gets_implied_endpoints() -> None:
    """(start, 0) and (due, 1) are added around a trajectory that lies inside the window."""
    assert planned_points(0, 100, ((20, 0.5), (60, 0.7))) == [
        (0, 0.0),
        (20, 0.5),
        (60, 0.7),
        (100, 1.0),
    ]


# -- spi and status ----------------------------------------------------------------------


def test_spi_is_completion_over_expected() -> None:
    """spi = 0.3 / 0.5 = 0.6; None when expected is 0 or completion unknown."""
    assert spi(0.3, 0.5) == pytest.approx(0.6)
    assert spi(0.3, 0.0) is None
    assert spi(None, 0.5) is None
    assert spi(0.3, None) is None


def status(
    completion: float | None,
    fraction: float | None,
    *,
    as_of: int = 10,
    due: int | None = 20,
    rules: Rules = RULES,
    cancelled: bool = False,
) -> Progress:
    return progress(completion, fraction, as_of=as_of, due=due, rules=rules, cancelled=cancelled)


def test_status_cancelled_comes_first() -> None:
    """A cancelled result is cancelled whatever its figures."""
    assert status(1.0, 0.5, cancelled=True) is Progress.CANCELLED


def test_status_done_at_full_completion_even_when_late() -> None:
    """Completion 1 is done, even after the due date."""
    assert status(1.0, 1.0, as_of=30) is Progress.DONE


def test_status_no_data_without_completion() -> None:
    """No completion is no_data."""
    assert status(None, 0.5) is Progress.NO_DATA


def test_status_overdue_after_the_due_day() -> None:
    """Past its due day with completion 0.9 < 1 is overdue; on the due day it is not."""
    assert status(0.9, 0.9, as_of=21) is Progress.OVERDUE
    assert status(0.9, 0.9, as_of=20) is Progress.ON_TRACK


def test_status_on_track_when_nothing_is_expected() -> None:
    """Completion 0 with expected 0 is on track."""
    assert status(0.0, 0.0) is Progress.ON_TRACK


def test_status_on_track_from_the_threshold() -> None:
    """spi 0.95 / 1 = 0.95 reaches on_track."""
    assert status(0.95, 1.0) is Progress.ON_TRACK


def test_status_at_risk_between_the_thresholds() -> None:
    """spi 0.8 and spi exactly 0.6 are at risk."""
    assert status(0.4, 0.5) is Progress.AT_RISK
    assert status(0.6, 1.0) is Progress.AT_RISK


def test_status_off_track_below_at_risk() -> None:
    """spi 0.25 / 0.5 = 0.5 < 0.6 is off track."""
    assert status(0.25, 0.5) is Progress.OFF_TRACK


def test_status_thresholds_are_configurable() -> None:
    """With on_track 0.8, spi 0.8 is on track; with at_risk 0.5, spi 0.5 is at risk."""
    rules = Rules(on_track=0.8, at_risk=0.5)
    assert status(0.4, 0.5, rules=rules) is Progress.ON_TRACK
    assert status(0.25, 0.5, rules=rules) is Progress.AT_RISK


# -- windows -----------------------------------------------------------------------------


def test_window_of_a_task_defaults_to_the_plan() -> None:
    """A task without dates runs from the plan's start to its end."""
    assert window(Task("t", "T"), plan_start=START, plan_end=END) == (START, END, ())


def test_window_of_a_task_with_dates_and_trajectory() -> None:
    """A task's own start, due and trajectory are used, as days."""
    task = Task("t", "T", start="2025-02-01", due="2025-06-30", trajectory=[("2025-04-01", 0.3)])
    assert window(task, plan_start=START, plan_end=END) == (
        day("2025-02-01"),
        day("2025-06-30"),
        ((day("2025-04-01"), 0.3),),
    )


def test_window_of_a_policy_starts_with_the_plan() -> None:
    """A policy runs from the plan's start to its due day."""
    policy = Policy("p", "P", due="2025-06-30")
    assert window(policy, plan_start=START, plan_end=END) == (START, day("2025-06-30"), ())


def test_window_of_a_target_starts_with_its_task_and_ends_at_its_deadline() -> None:
    """A task's target runs from the task's start to its deadline (the plan's end by default)."""
    task = Task("t", "T", start="2025-03-01", due="2025-06-30")
    goal = Target("g", "G", "at_least", Quantity(1, "count"))
    assert window(goal, plan_start=START, plan_end=END, task=task) == (day("2025-03-01"), END, ())


def test_window_of_a_milestone_falls_back_to_its_task() -> None:
    """A milestone without a due date is due with its task; with one, on its own date."""
    task = Task("t", "T", start="2025-03-01", due="2025-06-30")
    plain = Milestone("m", "M")
    dated = Milestone("n", "N", due="2025-04-15")
    assert window(plain, plan_start=START, plan_end=END, task=task) == (
        day("2025-03-01"),
        day("2025-06-30"),
        (),
    )
    assert window(dated, plan_start=START, plan_end=END, task=task)[1] == day("2025-04-15")


# -- forecasts ---------------------------------------------------------------------------


def goal(
    comparator: str = "at_least",
    *,
    baseline: int | None = None,
    aggregation: str = "last",
) -> Target:
    return Target(
        "g",
        "Goal",
        comparator,
        Quantity(60, "count"),
        baseline=None if baseline is None else Baseline(Quantity(baseline, "count"), START_DATE),
        aggregation=aggregation,
    )


def test_forecast_fits_a_least_squares_line() -> None:
    """Through (0, 0), (10, 10), (20, 14): slope 140 / 200 = 0.7, so 8 + 0.7 x 30 = 29 at day 40."""
    target = goal()
    points = counted_points(
        target,
        [
            Observation("g", START_DATE.add(days=d), Quantity(v, "count"))
            for d, v in ((0, 0), (10, 10), (20, 14))
        ],
        as_of=END,
        plan_start=START,
    )
    found = forecast(target, points, deadline=START_DATE.add(days=40))
    assert found is not None
    assert found.value == Quantity(29, "count")
    assert found.slope == pytest.approx(0.7)
    assert found.points == 3
    assert not found.would_meet


def test_forecast_counts_the_baseline_as_a_point() -> None:
    """Baseline 10 on day 0 and 20 on day 10 make a line reaching 70 by day 60: it meets 60."""
    target = goal(baseline=10)
    points = counted_points(
        target,
        [Observation("g", START_DATE.add(days=10), Quantity(20, "count"))],
        as_of=END,
        plan_start=START,
    )
    found = forecast(target, points, deadline=START_DATE.add(days=60))
    assert found is not None
    assert found.value == Quantity(70, "count")
    assert found.would_meet
    assert found.on == START_DATE.add(days=60)


def test_forecast_of_a_sum_fits_the_running_total() -> None:
    """Baseline 10, then 5 and 5 at days 10 and 20: 10 + 0.5 a day, so 60 at day 100."""
    target = goal(baseline=10, aggregation="sum")
    points = counted_points(
        target,
        [
            Observation("g", START_DATE.add(days=10), Quantity(5, "count")),
            Observation("g", START_DATE.add(days=20), Quantity(5, "count")),
        ],
        as_of=END,
        plan_start=START,
    )
    assert [value for _, value in series(target, points)] == [10, 15, 20]
    found = forecast(target, points, deadline=START_DATE.add(days=100))
    assert found is not None
    assert found.value == Quantity(60, "count")
    assert found.would_meet


def test_forecast_of_an_at_most_target() -> None:
    """A level falling from 100 by 1 a day is at 40 on day 60: it meets at most 60."""
    target = goal("at_most")
    points = counted_points(
        target,
        [
            Observation("g", START_DATE.add(days=0), Quantity(100, "count")),
            Observation("g", START_DATE.add(days=20), Quantity(80, "count")),
        ],
        as_of=END,
        plan_start=START,
    )
    found = forecast(target, points, deadline=START_DATE.add(days=60))
    assert found is not None
    assert found.value == Quantity(40, "count")
    assert found.would_meet


def test_forecast_needs_two_points_on_different_days() -> None:
    """One point, or two on the same day (baseline day included), give no forecast."""
    one = counted_points(
        goal(),
        [Observation("g", START_DATE, Quantity(5, "count"))],
        as_of=END,
        plan_start=START,
    )
    assert forecast(goal(), one, deadline="2025-12-31") is None
    assert forecast(goal(baseline=3), one, deadline="2025-12-31") is None
    assert forecast(goal(), [], deadline="2025-12-31") is None


# -- properties --------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=2000)
trajectories = st.lists(
    st.tuples(days, st.floats(min_value=0, max_value=1)),
    max_size=4,
    unique_by=lambda point: point[0],
).map(lambda points: tuple(sorted(points)))


@settings(max_examples=200)
@given(as_of=days, start=days, due=days, trajectory=trajectories)
def test_expected_lies_in_the_unit_interval(
    as_of: int, start: int, due: int, trajectory: tuple[tuple[int, float], ...]
) -> None:
    """Expected completion is always a fraction in [0, 1]."""
    assert 0.0 <= expected(as_of, start, due, trajectory) <= 1.0


@settings(max_examples=200)
@given(first=days, second=days, start=days, due=days)
def test_linear_expected_never_decreases(first: int, second: int, start: int, due: int) -> None:
    """Without a trajectory, a later day never expects less."""
    low, high = sorted((first, second))
    assert expected(low, start, due) <= expected(high, start, due)


# -- rules: thresholds, colours and labels -----------------------------------------------


def test_rules_defaults() -> None:
    """Rules default to missing zero, flat roll-ups, 0.95 and 0.6, no in-progress credit."""
    rules = Rules()
    assert (rules.missing, rules.rollup, rules.on_track, rules.at_risk) == (
        "zero",
        "flat",
        0.95,
        0.6,
    )
    assert rules.in_progress_credit is None
    assert rules == Rules()
    assert hash(rules) == hash(Rules())


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"missing": "skip"}, "missing"),
        ({"rollup": "deep"}, "rollup"),
        ({"on_track": 0.5, "at_risk": 0.6}, "at_risk"),
        ({"at_risk": -0.1}, "threshold"),
        ({"on_track": float("nan")}, "threshold"),
        ({"in_progress_credit": 1.5}, "in_progress_credit"),
        ({"in_progress_credit": True}, "in_progress_credit"),
        ({"colours": {"late": "red"}}, "colours"),
        ({"colours": {"done": ""}}, "colours['done']"),
        ({"labels": {"en": "done"}}, "labels['en']"),
    ],
)
def test_rules_are_validated(arguments: dict[str, object], path: str) -> None:
    """Invalid rules are refused with the path of the offending value."""
    with pytest.raises(PlanValidationError) as caught:
        Rules(**arguments)  # type: ignore[arg-type]
    assert caught.value.problems[0][0] == path


def test_every_status_has_a_colour_and_two_labels() -> None:
    """Each status maps to a RAG colour and to an English and a Chinese label."""
    rules = Rules()
    assert [rules.colour(p) for p in Progress] == [
        "blue", "green", "amber", "red", "maroon", "grey", "grey",
    ]  # fmt: skip
    assert [rules.label(p, lang="zh") for p in Progress] == [
        "完成", "进度正常", "有风险", "滞后", "逾期", "无数据", "已取消",
    ]  # fmt: skip
    assert rules.label("on_track") == "on track"


def test_colours_and_labels_can_be_replaced() -> None:
    """Given mappings replace the defaults they name and keep the others."""
    rules = Rules(
        colours={Progress.DONE: "green"},
        labels={"zh": {"done": "已完成"}, "fr": {"done": "terminé"}},
    )
    assert rules.colour("done") == "green"
    assert rules.colour(Progress.OVERDUE) == "maroon"
    assert rules.label(Progress.DONE, "zh") == "已完成"
    assert rules.label(Progress.AT_RISK, "zh") == "有风险"
    assert rules.label(Progress.DONE, "fr") == "terminé"
    assert rules.label(Progress.AT_RISK, "fr") == "at risk"


def test_labels_refuse_an_unknown_language() -> None:
    """A language with no labels is an error naming the known ones."""
    with pytest.raises(PlanValidationError, match="'de' is not a language"):
        Rules().label(Progress.DONE, "de")
