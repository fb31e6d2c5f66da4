"""Properties of revisions: what ignoring them, or having none, must give."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from beijing_plan import Ledger, PlanValidationError, Revision, Rules, Task, assess, loads
from beijing_plan import strategies as bps
from beijing_plan.assessment import Assessment, Result
from beijing_plan.model import Plan
from beijing_plan.strategies import InvalidDocument, invalid_documents
from helpers import one_measure_plan


def figures(result: Result) -> tuple[object, ...]:
    return (
        result.completion,
        result.expected,
        result.spi,
        result.status,
        result.coverage,
        result.weight,
        result.due,
        result.original_due,
        result.late_against_original,
    )


def table(assessment: Assessment) -> dict[str, tuple[object, ...]]:
    return {result.id: figures(result) for result in assessment.results()}


def without_revisions(ledger: Ledger) -> Ledger:
    return Ledger([r for r in ledger if type(r) is not Revision])


@st.composite
def cases(draw: st.DrawFn, revisions: bool = True) -> tuple[Plan, Ledger, dt.date]:
    plan, ledger = draw(bps.plans_and_ledgers(max_measures=3, revisions=revisions))
    offset = draw(st.integers(-40, plan.end.toordinal() - plan.start.toordinal() + 40))
    return plan, ledger, dt.date.fromordinal(plan.start.toordinal() + offset)


@settings(max_examples=60, deadline=None)
@given(cases())
def test_basis_original_equals_the_ledger_without_its_revisions(
    case: tuple[Plan, Ledger, dt.date],
) -> None:
    """Ignoring revisions gives exactly the figures of the ledger stripped of them."""
    plan, ledger, as_of = case
    for rollup in ("flat", "nested"):
        original = assess(plan, ledger, as_of=as_of, rules=Rules(rollup=rollup, basis="original"))
        stripped = assess(plan, without_revisions(ledger), as_of=as_of, rules=Rules(rollup=rollup))
        assert table(original) == table(stripped)


@settings(max_examples=60, deadline=None)
@given(cases(revisions=False))
def test_without_revisions_both_bases_give_todays_figures(
    case: tuple[Plan, Ledger, dt.date],
) -> None:
    """With no revision the two bases agree, and every due date is the original one."""
    plan, ledger, as_of = case
    revised = assess(plan, ledger, as_of=as_of)
    assert table(revised) == table(assess(plan, ledger, as_of=as_of, rules=Rules(basis="original")))
    assert all(result.due == result.original_due for result in revised.results())


@settings(max_examples=60, deadline=None)
@given(cases())
def test_revisions_dated_after_as_of_change_nothing(case: tuple[Plan, Ledger, dt.date]) -> None:
    """Only revisions dated up to `as_of` count: the later ones may as well be absent."""
    plan, ledger, as_of = case
    day = as_of.toordinal()
    earlier = Ledger([r for r in ledger if type(r) is not Revision or r.on.toordinal() <= day])
    assert table(assess(plan, ledger, as_of=as_of)) == table(assess(plan, earlier, as_of=as_of))


@settings(max_examples=60, deadline=None)
@given(cases())
def test_drawn_revisions_fit_their_plan(case: tuple[Plan, Ledger, dt.date]) -> None:
    """A drawn ledger with revisions passes the plan's check and assesses without error."""
    plan, ledger, as_of = case
    ledger.check(plan)
    assessment = assess(plan, ledger, as_of=as_of)
    for result in assessment.leaves():
        if result.due is not None and result.original_due is not None:
            assert result.late_against_original in (True, False)


def test_the_revisions_option_takes_only_a_flag() -> None:
    """`revisions=` is checked like the strategies' other flags."""
    plan = one_measure_plan(Task("a", "A"))
    with pytest.raises(InvalidArgument, match="revisions='yes' must be True, False or None"):
        bps.ledgers(plan, revisions="yes").example()  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    bad=invalid_documents(bps.ledgers(one_measure_plan(Task("a", "A"))), faults=("bad_revision",))
)
def test_a_bad_revision_is_reported_at_its_path(bad: InvalidDocument) -> None:
    """A ledger document given a revision wrong in itself is refused at that revision."""
    assert bad.fault == "bad_revision"
    with pytest.raises(PlanValidationError) as caught:
        loads(json.dumps(bad.document), bad.cls)
    assert bad.path in [path for path, _ in caught.value.problems]
