"""Tests of the plan model: construction, coercion and validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from beijing_plan import (
    Aggregation,
    Baseline,
    Comparator,
    Measure,
    Milestone,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Target,
    Task,
    Text,
    Theme,
    TrajectoryPoint,
    UnitError,
)


def plan(**overrides: Any) -> Plan:
    """A small valid plan, with fields replaced by ``overrides``."""
    fields: dict[str, Any] = {
        "start": "2025-01-01",
        "end": "2025-12-31",
        "themes": [Theme("econ", "经济"), Theme("jobs", "就业", parent="econ")],
        "measures": [
            Measure(
                "m1",
                1,
                "Measure one",
                themes={"econ"},
                tasks=[
                    Task(
                        "t1",
                        "Task one",
                        themes={"jobs"},
                        targets=[Target("g1", "Goal", "at_least", Quantity(60, "count"))],
                        milestones=[Milestone("k1", "Kick-off")],
                    )
                ],
                targets=[Target("g0", "Own goal", "at_most", Quantity(5, "percent"))],
            )
        ],
        "policies": [Policy("p1", "Policy", measures=["m1"])],
    }
    fields.update(overrides)
    return Plan("plan", Text(zh="计划", en="Plan"), **fields)


def problems_of(error: pytest.ExceptionInfo[PlanValidationError]) -> list[tuple[str, str]]:
    """The problems carried by a caught validation error."""
    return error.value.problems


def test_models_are_frozen_and_slotted() -> None:
    """Model objects cannot be changed and have no instance dict."""
    task = Task("t1", "Task")
    with pytest.raises(AttributeError):
        task.id = "t2"  # type: ignore[misc]
    assert not hasattr(task, "__dict__")


def test_dates_accept_three_forms_and_hold_pendulum_dates() -> None:
    """A date field takes a pendulum.Date, a datetime.date or an ISO string."""
    for value in (pendulum.Date(2025, 6, 30), dt.date(2025, 6, 30), "2025-06-30"):
        task = Task("t", "T", due=value)
        assert type(task.due) is pendulum.Date
        assert task.due == pendulum.Date(2025, 6, 30)


@pytest.mark.parametrize("bad", ["2025-13-01", "20250630", "30/06/2025", dt.datetime(2025, 6, 30)])
def test_bad_dates_are_refused(bad: object) -> None:
    """Malformed strings and datetimes are not dates."""
    with pytest.raises(PlanValidationError, match=r"not a date|date and time"):
        Task("t", "T", due=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "a b", "tab\there", "new\nline", "nul\x00", "x" * 201, 5])
def test_bad_ids_are_refused(bad: object) -> None:
    """Empty ids, ids with spaces or control characters, and non-strings are refused."""
    with pytest.raises(PlanValidationError) as error:
        Task(bad, "T")  # type: ignore[arg-type]
    assert problems_of(error)[0][0] == "id"


def test_chinese_ids_are_valid() -> None:
    """An id may use any printable characters except spaces."""
    assert Task("任务-1", "T").id == "任务-1"


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_bad_weights_are_refused(bad: float) -> None:
    """Negative, NaN and infinite weights are refused, naming the field."""
    with pytest.raises(PlanValidationError) as error:
        Task("t", "T", weight=bad)
    assert problems_of(error)[0][0] == "weight"


def test_zero_weight_is_allowed() -> None:
    """A weight of zero is valid (the leaf then counts for nothing)."""
    assert Task("t", "T", weight=0).weight == 0.0


def test_start_after_due_is_refused() -> None:
    """A task may not start after it is due."""
    with pytest.raises(PlanValidationError, match="start 2025-07-01 is after due 2025-06-30"):
        Task("t", "T", start="2025-07-01", due="2025-06-30")


def test_text_needs_a_language() -> None:
    """A Text with neither Chinese nor English cannot be built."""
    with pytest.raises(PlanValidationError, match="needs Chinese"):
        Text()
    with pytest.raises(PlanValidationError):
        Text(zh="   ")


def test_text_from_plain_string_guesses_the_language() -> None:
    """A title given as a plain string is Chinese if it has CJK characters."""
    assert Task("t", "北京").title == Text(zh="北京")
    assert Task("t", "Beijing").title == Text(en="Beijing")
    assert Text(zh="北京", en="Beijing").get("en") == "Beijing"
    assert Text(zh="北京").get("en") == "北京"


def test_between_needs_an_upper_bound() -> None:
    """A 'between' target without upper, or with upper below value, is refused."""
    with pytest.raises(PlanValidationError, match="needs an upper bound"):
        Target("g", "G", "between", Quantity(1, "count"))
    with pytest.raises(PlanValidationError, match="below the lower bound"):
        Target("g", "G", "between", Quantity(2, "count"), upper=Quantity(1, "count"))


def test_upper_only_for_between() -> None:
    """Only a 'between' target takes an upper bound."""
    with pytest.raises(PlanValidationError, match="only a 'between' target"):
        Target("g", "G", "at_least", Quantity(1, "count"), upper=Quantity(2, "count"))


def test_target_units_must_share_a_dimension() -> None:
    """A baseline or upper bound in another dimension is refused."""
    with pytest.raises(PlanValidationError, match="does not measure"):
        Target(
            "g",
            "G",
            "at_least",
            Quantity(60, "yi_yuan"),
            baseline=Baseline(Quantity(1, "count"), "2024-12-31"),
        )


def test_upper_bound_compares_across_units() -> None:
    """The upper bound is compared after conversion to the target's unit."""
    target = Target("g", "G", "between", Quantity(1, "亿元"), upper=Quantity(200_000_000, "yuan"))
    assert target.upper == Quantity(200_000_000, "yuan")


def test_enums_accept_their_values() -> None:
    """Comparators and aggregations take their string values."""
    target = Target("g", "G", "at_most", Quantity(1, "count"), aggregation="sum")
    assert target.comparator is Comparator.AT_MOST
    assert target.aggregation is Aggregation.SUM
    with pytest.raises(PlanValidationError, match="'more' is not one of"):
        Target("g", "G", "more", Quantity(1, "count"))


def test_trajectory_dates_must_increase() -> None:
    """Trajectory points come in strictly increasing date order, fractions in [0, 1]."""
    task = Task("t", "T", trajectory=[("2025-03-31", 0.25), ("2025-06-30", 0.5)])
    assert task.trajectory[1] == TrajectoryPoint("2025-06-30", 0.5)
    with pytest.raises(PlanValidationError, match="does not come after"):
        Task("t", "T", trajectory=[("2025-06-30", 0.5), ("2025-03-31", 0.25)])
    with pytest.raises(PlanValidationError, match="not between 0 and 1"):
        TrajectoryPoint("2025-03-31", 1.5)


def test_plan_index_finds_every_item() -> None:
    """plan[id] finds themes, measures, tasks, targets, milestones and policies."""
    p = plan()
    for item_id in ("econ", "jobs", "m1", "t1", "g1", "g0", "k1", "p1"):
        assert p[item_id].id == item_id
    assert "nope" not in p
    assert p.measure_of("k1") == "m1"
    assert p.parent_of("g1") == "t1"
    assert p.parent_of("p1") is None
    assert p.theme_ancestors("jobs") == ("econ",)
    assert [t.id for t in p.targets()] == ["g0", "g1"]


def test_duplicate_ids_are_refused_anywhere() -> None:
    """An id used twice anywhere in the plan is reported at its second use."""
    with pytest.raises(PlanValidationError) as error:
        plan(policies=[Policy("t1", "Policy")])
    assert ("policies[0].id", "'t1' is used again (first at measures[0].tasks[0].id)") in (
        problems_of(error)
    )


def test_plan_id_counts_among_the_ids() -> None:
    """An item may not take the plan's own id."""
    with pytest.raises(PlanValidationError, match="'plan' is used again"):
        plan(policies=[Policy("plan", "Policy")])


def test_dangling_references_are_all_reported() -> None:
    """Unknown themes, measures and parents are each reported with their path."""
    with pytest.raises(PlanValidationError) as error:
        plan(
            themes=[Theme("econ", "经济", parent="nowhere")],
            policies=[Policy("p1", "Policy", themes={"ghost"}, measures=["m9"])],
        )
    found = problems_of(error)
    assert ("themes[0].parent", "'nowhere' is not a theme of the plan") in found
    assert ("policies[0].themes", "'ghost' is not a theme of the plan") in found
    assert ("policies[0].measures[0]", "'m9' is not a measure of the plan") in found
    assert ("measures[0].tasks[0].themes", "'jobs' is not a theme of the plan") in found


def test_theme_that_is_its_own_ancestor_is_refused() -> None:
    """Theme parents must form a tree."""
    with pytest.raises(PlanValidationError, match=r"its own ancestor \(a -> b -> a\)"):
        plan(themes=[Theme("a", "A", parent="b"), Theme("b", "B", parent="a")], measures=[])
    with pytest.raises(PlanValidationError, match="its own ancestor"):
        Theme("a", "A", parent="a")


def test_plan_start_after_end_is_refused() -> None:
    """A plan cannot end before it starts."""
    with pytest.raises(PlanValidationError, match="start 2026-01-01 is after end 2025-12-31"):
        plan(start="2026-01-01")


def test_duplicate_measure_numbers_are_refused() -> None:
    """Two measures may not share a number."""
    with pytest.raises(PlanValidationError, match=r"measures\[1\]\.number: 1 is used again"):
        plan(measures=[Measure("m1", 1, "A"), Measure("m2", 1, "B")], policies=[])


def test_declared_counts_cannot_be_below_encoded() -> None:
    """The declared counts bound what is encoded, and are otherwise free."""
    assert plan(declared={"measures": 27, "tasks": 157, "policies": 25}).declared is not None
    with pytest.raises(PlanValidationError, match=r"declared\.measures: 0 declared"):
        plan(declared={"measures": 0})


def test_lists_must_hold_the_right_classes() -> None:
    """A list field refuses items of the wrong class, naming the index."""
    with pytest.raises(PlanValidationError) as error:
        Measure("m", 1, "M", tasks=[Task("t", "T"), "oops"])
    assert problems_of(error) == [("tasks[1]", "'oops' is not a Task")]


def test_a_plain_string_is_not_a_list() -> None:
    """A string where a list of units is expected is refused, not split into letters."""
    with pytest.raises(PlanValidationError, match="not a list"):
        Task("t", "T", lead="市发展改革委")
    with pytest.raises(PlanValidationError, match="not a set of ids"):
        Task("t", "T", themes="econ")


def test_equal_plans_compare_and_hash_equal() -> None:
    """Plans built from the same values are equal and hash alike."""
    assert plan() == plan()
    assert hash(plan()) == hash(plan())


@pytest.mark.parametrize(
    ("build", "problems"),
    [
        (
            lambda: Task("t", "T", due="2025-02-30"),
            [("due", "'2025-02-30' is not a date (YYYY-MM-DD)")],
        ),
        (
            lambda: Task("t", None),  # type: ignore[arg-type]
            [("title", "None is not a text")],
        ),
        (lambda: Quantity("x", "count"), [("value", "'x' is not a number")]),
        (lambda: Task("t", "T", themes="abc"), [("themes", "'abc' is not a set of ids")]),
        (
            lambda: Task("t", "T", trajectory=[("2025-01-01", 0.5), ("2025-13-01", 0.6)]),
            [("trajectory[1].on", "'2025-13-01' is not a date (YYYY-MM-DD)")],
        ),
        (
            lambda: Task("t", "T", trajectory=[("2025-01-01", 2)]),
            [("trajectory[0].fraction", "2.0 is not between 0 and 1")],
        ),
        (
            lambda: Plan("p", "P", start="2025-01-01", end="x"),
            [("end", "'x' is not a date (YYYY-MM-DD)")],
        ),
        # Converters that name their field already keep their path.
        (
            lambda: Target("g", "G", "bogus", Quantity(1, "count")),
            [("comparator", "'bogus' is not one of 'at_least', 'at_most', 'exactly', 'between'")],
        ),
        # Every converter that fails is named, in the order of the fields.
        (
            lambda: Baseline(Quantity(1, "count"), on="x"),
            [("on", "'x' is not a date (YYYY-MM-DD)")],
        ),
        (
            lambda: Task("t", 5, due="x"),  # type: ignore[arg-type]
            [("title", "5 is not a text"), ("due", "'x' is not a date (YYYY-MM-DD)")],
        ),
    ],
)
def test_constructors_name_the_field_a_converter_refuses(
    build: Any, problems: list[tuple[str, str]]
) -> None:
    with pytest.raises(PlanValidationError) as caught:
        build()
    assert caught.value.problems == problems


def test_a_unit_error_keeps_its_class_when_named() -> None:
    with pytest.raises(UnitError) as caught:
        Quantity(1, "bogus")
    assert caught.value.problems[0][0] == "unit"
