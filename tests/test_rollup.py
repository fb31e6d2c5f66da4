"""Tests of roll-up membership and group figures (DESIGN section 4, roll-up)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan._engine.nodes import Nodes
from beijing_plan._engine.rollup import Figures, flat, membership, nested
from beijing_plan.model import Measure, Plan, Policy, Target, Task, Theme
from helpers import count


def figures(
    weights: list[float],
    completions: list[float | None],
    *,
    expecteds: list[float] | None = None,
    recorded: list[bool] | None = None,
    cancelled: list[bool] | None = None,
    dues: list[int] | None = None,
) -> Figures:
    n = len(weights)
    return flat(
        range(n),
        table(
            weights,
            completions,
            expecteds=expecteds if expecteds is not None else [0.5] * n,
            recorded=recorded if recorded is not None else [True] * n,
            cancelled=cancelled if cancelled is not None else [False] * n,
            dues=dues if dues is not None else list(range(n)),
        ),
    )


def table(
    weights: list[float],
    completions: list[float | None],
    *,
    expecteds: list[float],
    recorded: list[bool],
    cancelled: list[bool],
    dues: list[int],
) -> Nodes:
    """A node table holding just the columns a roll-up reads."""
    nodes = Nodes()
    nodes.weight, nodes.completion = weights, completions
    nodes.expected = list[float | None](expecteds)
    nodes.recorded, nodes.cancelled, nodes.due = recorded, cancelled, dues
    return nodes


# -- flat --------------------------------------------------------------------------------


def test_flat_is_the_weighted_mean() -> None:
    """Weights 1 and 3 with completions 1 and 0.5: (1 + 1.5) / 4 = 0.625."""
    result = figures([1.0, 3.0], [1.0, 0.5], expecteds=[0.2, 0.6])
    assert result.completion == 0.625
    assert result.expected == pytest.approx((0.2 + 1.8) / 4)
    assert result.weight == 4.0
    assert result.counted == 2


def test_flat_coverage_counts_weight_with_a_record() -> None:
    """Coverage is the recorded weight over all weight: 1 / (1 + 3) = 0.25."""
    result = figures([1.0, 3.0], [1.0, 0.0], recorded=[True, False])
    assert result.coverage == 0.25
    assert result.covered == 1.0


def test_flat_leaves_none_out_of_the_mean_but_not_out_of_coverage() -> None:
    """A leaf with no completion is left out of the mean but still weighs in coverage."""
    result = figures([1.0, 1.0], [0.8, None], recorded=[True, False], expecteds=[0.4, 0.9])
    assert result.completion == 0.8
    assert result.expected == 0.4
    assert result.coverage == 0.5
    assert result.counted == 1


def test_flat_leaves_cancelled_leaves_out_of_everything() -> None:
    """A cancelled leaf adds neither weight, coverage nor due date."""
    result = figures(
        [1.0, 5.0], [0.5, None], recorded=[True, True], cancelled=[False, True], dues=[10, 99]
    )
    assert (result.completion, result.coverage, result.weight, result.due) == (0.5, 1.0, 1.0, 10)
    assert not result.cancelled


def test_flat_of_only_cancelled_leaves_is_cancelled() -> None:
    """A group whose every leaf is cancelled is cancelled, with nothing to cover."""
    result = figures([1.0], [None], cancelled=[True])
    assert result.cancelled
    assert result.completion is None
    assert result.coverage is None


def test_flat_with_zero_weights_has_no_completion() -> None:
    """A group whose weights sum to 0 has completion, expected and coverage None."""
    result = figures([0.0, 0.0], [1.0, 0.5])
    assert (result.completion, result.expected, result.coverage) == (None, None, None)


def test_flat_zero_weight_leaf_adds_nothing() -> None:
    """A weight-0 leaf changes nothing: (2 x 0.5 + 0 x 1) / 2 = 0.5."""
    assert figures([2.0, 0.0], [0.5, 1.0]).completion == 0.5


def test_flat_of_no_leaves() -> None:
    """An empty group has no figures and no due date."""
    result = flat((), Nodes())
    assert (result.completion, result.coverage, result.due, result.cancelled) == (
        None,
        None,
        None,
        False,
    )


def test_flat_due_is_the_latest_due_day() -> None:
    """A group is due when its last leaf is."""
    assert figures([1.0, 1.0, 1.0], [0.0, 0.0, 0.0], dues=[5, 30, 12]).due == 30


def test_nested_is_the_plain_mean_of_children() -> None:
    """Children 1, 0 and an unknown one: (1 + 0) / 2 = 0.5; expected the same way."""
    completion, expected = nested([(1.0, 0.2), (0.0, 0.4), (None, 0.9)])
    assert completion == 0.5
    assert expected == pytest.approx(0.3)
    assert nested([(None, 0.5)]) == (None, None)


# -- membership --------------------------------------------------------------------------


def plan() -> Plan:
    """Two measures, four themes (two nested), a measure target, three tasks, two policies."""
    return Plan(
        "p",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        themes=[
            Theme("env", "Environment"),
            Theme("air", "Air", parent="env"),
            Theme("water", "Water", parent="env"),
            Theme("jobs", "Jobs"),
        ],
        measures=[
            Measure(
                "m1",
                1,
                "One",
                themes={"env"},
                targets=[Target("g1", "G1", "at_least", count(1))],
                tasks=[Task("t1", "T1", themes={"air"}), Task("t2", "T2")],
            ),
            Measure("m2", 2, "Two", tasks=[Task("t3", "T3", themes={"jobs", "water"})]),
        ],
        policies=[
            Policy("p1", "P1", themes={"water"}, measures=["m1", "m2"]),
            Policy("p2", "P2", themes={"air", "env"}),
        ],
    )


def ids(positions: tuple[int, ...] | range, leaves: tuple[object, ...]) -> list[str]:
    return [leaves[i].id for i in positions]  # type: ignore[attr-defined]


def test_leaves_are_targets_tasks_then_policies_in_plan_order() -> None:
    """Leaves: each measure's own targets, then its tasks; then the policies."""
    found = membership(plan())
    assert [leaf.id for leaf in found.leaves] == ["g1", "t1", "t2", "t3", "p1", "p2"]
    assert found.plan == range(6)


def test_measures_hold_targets_tasks_and_serving_policies() -> None:
    """A policy serving two measures counts in both; one serving none is a top child."""
    found = membership(plan())
    assert ids(found.measures["m1"], found.leaves) == ["g1", "t1", "t2", "p1"]
    assert ids(found.measures["m2"], found.leaves) == ["t3", "p1"]
    assert ids(found.top, found.leaves) == ["p2"]


def test_themes_include_sub_themes_and_inherited_tags() -> None:
    """env holds its sub-themes' leaves and leaves of measures tagged env; each leaf counts once."""
    found = membership(plan())
    assert ids(found.themes["env"], found.leaves) == ["g1", "t1", "t2", "t3", "p1", "p2"]
    assert ids(found.themes["air"], found.leaves) == ["t1", "p2"]
    assert ids(found.themes["water"], found.leaves) == ["t3", "p1"]
    assert ids(found.themes["jobs"], found.leaves) == ["t3"]


def test_direct_theme_leaves_exclude_those_of_sub_themes() -> None:
    """A theme's direct leaves are tagged with it and none of its sub-themes."""
    found = membership(plan())
    assert ids(found.direct["env"], found.leaves) == ["g1", "t2"]
    assert found.sub_themes["env"] == ("air", "water")
    assert found.theme_order.index("air") < found.theme_order.index("env")


# -- properties --------------------------------------------------------------------------

weights = st.just(0.0) | st.floats(min_value=0.001, max_value=1000)
leaf_values = st.lists(
    st.tuples(
        weights,
        st.none() | st.floats(min_value=0, max_value=1),
        st.floats(min_value=0, max_value=1),
        st.booleans(),
        st.booleans(),
    ),
    max_size=12,
)

Row = tuple[float, float | None, float, bool, bool]


def from_rows(rows: list[Row], scale: float = 1.0) -> Figures:
    return figures(
        [row[0] * scale for row in rows],
        [row[1] for row in rows],
        expecteds=[row[2] for row in rows],
        recorded=[row[3] for row in rows],
        cancelled=[row[4] for row in rows],
    )


@settings(max_examples=200)
@given(rows=leaf_values)
def test_flat_figures_lie_in_the_unit_interval(rows: list[Row]) -> None:
    """Completion, expected and coverage of a flat roll-up lie in [0, 1] or are None."""
    result = from_rows(rows)
    for value in (result.completion, result.expected, result.coverage):
        assert value is None or 0.0 <= value <= 1.0


@settings(max_examples=200)
@given(rows=leaf_values, scale=st.floats(min_value=0.01, max_value=100))
def test_scaling_every_weight_changes_nothing(rows: list[Row], scale: float) -> None:
    """Multiplying every weight by k > 0 leaves completion, expected and coverage unchanged."""
    before, after = from_rows(rows), from_rows(rows, scale)
    for a, b in (
        (before.completion, after.completion),
        (before.expected, after.expected),
        (before.coverage, after.coverage),
    ):
        if a is None or b is None:
            assert a is b
        else:
            assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=200)
@given(rows=leaf_values, weight=weights)
def test_adding_a_done_leaf_never_lowers_a_flat_roll_up(rows: list[Row], weight: float) -> None:
    """A new leaf with completion 1 cannot lower a flat completion."""
    before = from_rows(rows).completion
    after = from_rows([*rows, (weight, 1.0, 1.0, True, False)]).completion
    if before is not None:
        assert after is not None
        assert after >= before - 1e-12
