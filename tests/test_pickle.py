"""Every public value pickles and deep-copies to an equal value (process pools, caches)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan import datasets
from beijing_plan import strategies as bps
from beijing_plan.assessment import Assessment, Result, assess
from beijing_plan.ledger import Ledger
from beijing_plan.model import Plan
from beijing_plan.rules import DEFAULT_COLOURS, Progress, Rules

PROTOCOLS = range(2, pickle.HIGHEST_PROTOCOL + 1)


def pickled(protocol: int) -> Callable[[Any], Any]:
    """A round trip through pickle at ``protocol``."""

    def round_trip(value: Any) -> Any:
        # Only what this test pickled itself is unpickled.
        return pickle.loads(pickle.dumps(value, protocol=protocol))  # noqa: S301

    return round_trip


#: Every way a value is copied: pickle at each protocol, then deepcopy.
COPIES: list[Callable[[Any], Any]] = [*map(pickled, PROTOCOLS), copy.deepcopy]


def copies(value: object) -> list[Any]:
    """``value`` copied in every way."""
    return [make(value) for make in COPIES]


def same_results(original: Result, other: Result) -> None:
    """Two results are equal, field by field and in their explanations."""
    assert other == original
    assert other.explain() == original.explain()
    assert other.explain("zh") == original.explain("zh")
    assert other.contributions == original.contributions


def same_assessment(original: Assessment, other: Assessment) -> None:
    """Two assessments answer every question alike."""
    assert other == original
    same_results(original.overall, other.overall)
    assert other.by_theme() == original.by_theme()
    assert other.by_measure() == original.by_measure()
    assert list(other) == list(original)
    for item_id in original:
        same_results(original[item_id], other[item_id])


@settings(max_examples=20)
@given(
    st.one_of(
        bps.texts(),
        bps.quantities(),
        bps.targets(),
        bps.milestones(),
        bps.tasks(),
        bps.measures(),
        bps.policies(),
        bps.plans(),
    )
)
def test_drawn_model_values_pickle_and_deep_copy(value: object) -> None:
    """Texts, quantities, targets, milestones, tasks, measures, policies and plans copy equal."""
    for other in copies(value):
        assert other == value
        assert type(other) is type(value)


@settings(max_examples=20)
@given(bps.plans_and_ledgers(max_measures=2, max_records=10))
def test_a_copied_plan_keeps_its_index(pair: tuple[Plan, Ledger]) -> None:
    """A copied plan finds every item and parent the original finds, and its ledger copies equal."""
    plan, ledger = pair
    for other in copies(plan):
        assert other.ids == plan.ids
        for item_id in plan.ids:
            assert other[item_id] == plan[item_id]
            assert other.parent_of(item_id) == plan.parent_of(item_id)
            assert other.measure_of(item_id) == plan.measure_of(item_id)
    for other_ledger in copies(ledger):
        assert other_ledger == ledger


@settings(max_examples=10)
@given(bps.plans_and_ledgers(max_measures=2, max_records=10), st.sampled_from(["flat", "nested"]))
def test_a_copied_assessment_answers_as_the_original(
    pair: tuple[Plan, Ledger], rollup: str
) -> None:
    """After a copy an assessment gives the same overall, themes, results and explanations."""
    plan, ledger = pair
    original = assess(plan, ledger, as_of=plan.start.add(days=100), rules=Rules(rollup=rollup))
    for other in copies(original):
        same_assessment(original, other)


@pytest.mark.parametrize(
    "rules",
    [
        Rules(),
        Rules(missing="exclude", rollup="nested", in_progress_credit=0.5, on_track=1.2),
        Rules(colours={"done": "green"}, labels={"fr": {"done": "fini"}, "zh": {"done": "已完成"}}),
    ],
)
def test_rules_pickle_and_deep_copy(rules: Rules) -> None:
    """Rules copy equal, colours and labels included, and their mappings stay read-only."""
    for other in copies(rules):
        assert other == rules
        assert dict(other.colours) == dict(rules.colours)
        assert {k: dict(v) for k, v in other.labels.items()} == {
            k: dict(v) for k, v in rules.labels.items()
        }
        assert other.label(Progress.DONE, "zh") == rules.label(Progress.DONE, "zh")
        with pytest.raises(TypeError):
            other.colours[Progress.DONE] = "pink"
        with pytest.raises(TypeError):
            other.labels["en"][Progress.DONE] = "finished"


def test_default_rules_copy_to_the_default_colours() -> None:
    """A copy of the default rules still holds the module's default colours."""
    assert pickled(pickle.HIGHEST_PROTOCOL)(Rules()).colours is DEFAULT_COLOURS


@pytest.mark.parametrize(
    ("plan", "ledger"),
    [
        (datasets.action_plan_2025, datasets.action_plan_2025_ledger),
        (datasets.work_report_2025, datasets.work_report_2025_ledger),
    ],
)
def test_bundled_datasets_and_their_assessments_copy_equal(
    plan: Callable[[], Plan], ledger: Callable[[], Ledger]
) -> None:
    """The bundled plans, ledgers and their assessments copy to equal values."""
    original_plan, original_ledger = plan(), ledger()
    assessment = assess(original_plan, original_ledger, as_of="2025-09-30")
    for make in (COPIES[0], COPIES[-2], COPIES[-1]):
        assert make(original_plan) == original_plan
        assert make(original_ledger) == original_ledger
        same_assessment(assessment, make(assessment))


def test_a_copied_result_still_explains_itself() -> None:
    """A result pickled on its own keeps its figures, contributions and explanation."""
    assessment = assess(
        datasets.action_plan_2025(), datasets.action_plan_2025_ledger(), as_of="2025-09-30"
    )
    for result in (assessment.overall, *assessment.by_theme().values()):
        for other in copies(result):
            same_results(result, other)
