"""Responsible units: `Assessment.by_unit` rolls up the leaves each unit answers for."""

from __future__ import annotations

import math
import pickle

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan import (
    Ledger,
    Measure,
    Observation,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Rules,
    StatusChange,
    Target,
    Task,
    assess,
)
from beijing_plan.strategies import plans_and_ledgers


def _plan() -> Plan:
    """Two measures; 发改委 leads a task in each, a measure target and a policy."""
    m1 = Measure(
        "m1",
        1,
        "M1",
        lead=["发改委"],
        targets=[Target("t1", "T1", "at_least", Quantity(10, "count"))],
        tasks=[
            Task("a", "A", lead=["发改委"], partners=["财政局"], weight=2),
            Task("b", "B", lead=["科委"], partners=["发改委"]),
        ],
    )
    m2 = Measure(
        "m2",
        2,
        "M2",
        tasks=[Task("c", "C", lead=["发改委", "财政局"], weight=1)],
    )
    return Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[m1, m2],
        policies=[Policy("pol", "Pol", lead=["科委"], measures=["m1"], weight=3)],
    )


def _ledger() -> Ledger:
    return Ledger(
        [
            StatusChange("a", "2025-03-01", "in_progress", percent=50),
            StatusChange("b", "2025-03-01", "done"),
            StatusChange("c", "2025-03-01", "in_progress", percent=20),
            Observation("t1", "2025-03-01", Quantity(4, "count")),
            StatusChange("pol", "2025-04-01", "done"),
        ]
    )


def test_a_lead_unit_rolls_up_its_tasks_in_two_measures_and_its_measure_target() -> None:
    """发改委 leads a (w 2, 0.5), c (w 1, 0.2) and m1's target t1 (w 1, 0.4): 1.6 / 4."""
    units = assess(_plan(), _ledger(), as_of="2025-07-02").by_unit()
    result = units["发改委"]
    assert result.kind == "unit"
    assert result.id == "发改委"
    assert result.weight == 4.0
    assert result.completion == pytest.approx((2 * 0.5 + 0.2 + 0.4) / 4)
    assert [row.id for row in result.contributions] == ["t1", "a", "c"]
    assert result.coverage == 1.0


def test_a_policy_counts_for_its_own_lead() -> None:
    """科委 leads task b (w 1, done) and the policy (w 3, done): 1.0; 财政局 leads only c."""
    units = assess(_plan(), _ledger(), as_of="2025-07-02").by_unit(role="lead")
    assert list(units) == ["发改委", "科委", "财政局"]
    assert units["科委"].completion == 1.0
    assert [row.id for row in units["科委"].contributions] == ["b", "pol"]
    assert units["财政局"].completion == pytest.approx(0.2)


def test_partner_lead_and_any_take_different_leaves() -> None:
    """As partner 发改委 has b only; as any, t1, a, b and c once each."""
    assessment = assess(_plan(), _ledger(), as_of="2025-07-02")
    partner = assessment.by_unit(role="partner")
    assert list(partner) == ["财政局", "发改委"]
    assert [row.id for row in partner["发改委"].contributions] == ["b"]
    assert partner["发改委"].completion == 1.0
    assert [row.id for row in partner["财政局"].contributions] == ["a"]
    both = assessment.by_unit(role="any")
    assert [row.id for row in both["发改委"].contributions] == ["t1", "a", "b", "c"]
    assert both["发改委"].completion == pytest.approx((0.4 + 2 * 0.5 + 1.0 + 0.2) / 5)
    assert [row.id for row in both["财政局"].contributions] == ["a", "c"]


def test_a_unit_is_a_flat_roll_up_under_nested_rules() -> None:
    """With `rollup="nested"` the unit is still the weighted mean of its leaves."""
    rules = Rules(rollup="nested")
    result = assess(_plan(), _ledger(), as_of="2025-07-02", rules=rules).by_unit()["发改委"]
    assert result.completion == pytest.approx(1.6 / 4)
    assert "sum(w \u00d7 c) / sum(w)" in result.explain()


def test_a_unit_explains_itself_leaf_by_leaf() -> None:
    """The explanation heads the unit and lists each leaf with its weight."""
    text = assess(_plan(), _ledger(), as_of="2025-07-02").by_unit()["发改委"].explain()
    lines = text.splitlines()
    assert lines[0] == "Unit 发改委 \u201c发改委\u201d, as of 2025-07-02"
    assert "= 1.6000 / 4 = 0.4000" in lines[1]
    assert [line.split(": w = ")[1] for line in lines[2:5]] == [
        "1, c = 0.4000, e = 0.5000, share = 0.2500, adds 0.1000 [attainment]",
        "2, c = 0.5000, e = 0.5000, share = 0.5000, adds 0.2500 [percent]",
        "1, c = 0.2000, e = 0.5000, share = 0.2500, adds 0.0500 [percent]",
    ]
    assert [line.split(" \u201c")[0] for line in lines[2:5]] == [
        "  - Target t1",
        "  - Task a",
        "  - Task c",
    ]
    zh = assess(_plan(), _ledger(), as_of="2025-07-02").by_unit()["发改委"].explain("zh")
    assert zh.startswith("责任单位 发改委")


def test_a_unit_named_like_an_item_does_not_hide_the_item() -> None:
    """A unit whose name is a task's id leaves `assessment[id]` the task."""
    plan = Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[Measure("m", 1, "M", tasks=[Task("a", "A", lead=["a"])])],
    )
    assessment = assess(plan, [], as_of="2025-07-02")
    assert assessment.by_unit()["a"].kind == "unit"
    assert assessment["a"].kind == "task"


def test_a_wrong_role_is_refused_with_its_value() -> None:
    """`role` must be lead, partner or any."""
    assessment = assess(_plan(), _ledger(), as_of="2025-07-02")
    with pytest.raises(PlanValidationError) as caught:
        assessment.by_unit(role="owner")  # type: ignore[arg-type]
    assert caught.value.problems == [("role", "'owner' is not one of 'lead', 'partner', 'any'")]


def test_a_plan_without_units_has_no_unit_results() -> None:
    """No lead and no partners anywhere: an empty mapping."""
    plan = Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[Measure("m", 1, "M", tasks=[Task("a", "A")])],
    )
    assert assess(plan, [], as_of="2025-07-02").by_unit(role="any") == {}


def _responsible(plan: Plan) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Each leaf with its lead and partner units, as DESIGN 13 says, in plan order."""
    rows: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for measure in plan.measures:
        rows.extend((target.id, measure.lead, ()) for target in measure.targets)
        rows.extend((task.id, task.lead, task.partners) for task in measure.tasks)
    rows.extend((policy.id, policy.lead, ()) for policy in plan.policies)
    return rows


_NAMES = st.lists(st.sampled_from(["发改委", "科委", "财政局", "x"]), max_size=2)


@settings(max_examples=40, deadline=None)
@given(
    data=plans_and_ledgers(),
    role=st.sampled_from(["lead", "partner", "any"]),
    policy_leads=st.lists(_NAMES, max_size=8),
)
def test_a_units_figure_is_the_weighted_mean_of_its_leaves_results(
    data: tuple[Plan, Ledger], role: str, policy_leads: list[list[str]]
) -> None:
    """Recomputed from its leaves' own results, a unit's completion and coverage agree."""
    plan, ledger = data
    # The drawn policies name no lead: give some of them one.
    policies = [
        attrs.evolve(policy, lead=tuple(lead))
        for policy, lead in zip(
            plan.policies, [*policy_leads, *[[]] * len(plan.policies)], strict=False
        )
    ]
    plan = attrs.evolve(plan, policies=policies)
    assessment = assess(plan, ledger, as_of="2025-07-02")
    expected: dict[str, list[str]] = {}
    for leaf, lead, partners in _responsible(plan):
        names = {"lead": lead, "partner": partners, "any": (*lead, *partners)}[role]
        for name in dict.fromkeys(names):
            expected.setdefault(name, []).append(leaf)
    units = assessment.by_unit(role=role)  # type: ignore[arg-type]
    assert {name: [row.id for row in r.contributions] for name, r in units.items()} == expected
    for name, result in units.items():
        leaves = [assessment[row.id] for row in result.contributions]
        live = [leaf for leaf in leaves if leaf.status.value != "cancelled"]
        counted = [leaf for leaf in live if leaf.completion is not None and leaf.weight > 0]
        weight = math.fsum(leaf.weight for leaf in counted)
        if weight > 0:
            mean = math.fsum(leaf.weight * leaf.completion for leaf in counted)  # type: ignore[operator]
            assert result.completion == pytest.approx(min(1.0, mean / weight)), name
        else:
            assert result.completion is None, name
        total = math.fsum(leaf.weight for leaf in live)
        covered = math.fsum(leaf.weight for leaf in live if leaf.coverage)
        if total > 0:
            assert result.coverage == pytest.approx(min(1.0, covered / total)), name


def test_a_unit_result_survives_pickling() -> None:
    """A unit's result read back from a pickle explains itself and lists its leaves."""
    assessment = assess(_plan(), _ledger(), as_of="2025-07-02")
    assessment.by_unit("partner")
    result = assessment.by_unit("any")["发改委"]
    again = pickle.loads(pickle.dumps(result))  # noqa: S301 (our own bytes)
    assert again == result
    assert [row.id for row in again.contributions] == ["t1", "a", "b", "c"]
    assert again.explain() == result.explain()
    copied = pickle.loads(pickle.dumps(assessment))  # noqa: S301 (our own bytes)
    assert copied.by_unit("any") == assessment.by_unit("any")


def test_asking_for_units_leaves_the_results_of_the_plan_as_they_were() -> None:
    """`len`, iteration and `results()` list the plan's nodes, with or without units made."""
    assessment = assess(_plan(), _ledger(), as_of="2025-07-02")
    before = (len(assessment), list(assessment))
    assessment.by_unit("any")
    assert (len(assessment), list(assessment)) == before
    assert len(before[1]) == before[0]
    assert "发改委" not in assessment
