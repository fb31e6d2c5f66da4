"""Properties of knowledge time (DESIGN section 10) over drawn plans and ledgers."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beijing_plan import Ledger, Observation, Plan, StatusChange, Withdrawal, assess
from beijing_plan import strategies as bps
from beijing_plan.ledger import Record

FEW = settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])


def day_around(draw: st.DrawFn, plan: Plan, *, after: int = 40) -> dt.date:
    """A day from 40 days before the plan to `after` days after it."""
    length = plan.end.toordinal() - plan.start.toordinal()
    return dt.date.fromordinal(plan.start.toordinal() + draw(st.integers(-40, length + after)))


def figures(
    plan: Plan, ledger: Ledger, as_of: dt.date, known_at: dt.date | None
) -> dict[str, tuple[object, ...]]:
    """Every node's completion, expected, status and coverage."""
    assessment = assess(plan, ledger, as_of=as_of, known_at=known_at)
    return {r.id: (r.completion, r.expected, r.status, r.coverage) for r in assessment.results()}


def later(record: Record, day: int) -> Record:
    """`record` entered (or, for a withdrawal, dated) on `day` at the earliest, its ids
    marked so they cannot clash with the ledger it is added to."""
    if isinstance(record, Withdrawal):
        return attrs.evolve(
            record,
            record=f"x-{record.record}",
            id=None if record.id is None else f"x-{record.id}",
            on=dt.date.fromordinal(max(day, record.on.toordinal())),
        )
    assert isinstance(record, Observation | StatusChange)
    return attrs.evolve(
        record,
        id=None if record.id is None else f"x-{record.id}",
        supersedes=None if record.supersedes is None else f"x-{record.supersedes}",
        recorded=dt.date.fromordinal(max(day, record.on.toordinal())),
    )


@st.composite
def growing(draw: st.DrawFn) -> tuple[Plan, Ledger, Ledger, dt.date, dt.date]:
    """A plan, its ledger, the ledger with records entered after a day K added, as_of and K.

    The records added are a second drawn ledger entered after K, and corrections and
    withdrawals, entered or dated after K, of records of the first that have ids.
    """
    plan, ledger = draw(bps.plans_and_ledgers(max_measures=2))
    known_at = day_around(draw, plan)
    after = known_at.toordinal() + 1 + draw(st.integers(0, 30))
    extra = draw(bps.ledgers(plan, max_records=8))
    added: list[Record] = [later(record, after) for record in extra]
    taken = {r.record if isinstance(r, Withdrawal) else r.supersedes for r in ledger}
    for record in ledger:
        if record.id is None or record.id in taken or isinstance(record, Withdrawal):
            continue
        choice = draw(st.sampled_from(("none", "none", "correct", "withdraw")))
        if choice == "correct":
            assert isinstance(record, Observation | StatusChange)
            day = dt.date.fromordinal(max(after, record.on.toordinal()))
            added.append(attrs.evolve(record, id=None, supersedes=record.id, recorded=day))
        elif choice == "withdraw":
            added.append(Withdrawal(record.id, dt.date.fromordinal(after)))
    grown = Ledger([*ledger, *added])
    return plan, ledger, grown, day_around(draw, plan), known_at


@FEW
@given(growing())
def test_records_entered_after_known_at_change_nothing(
    case: tuple[Plan, Ledger, Ledger, dt.date, dt.date],
) -> None:
    """Adding records entered after K (corrections and withdrawals too) leaves every figure
    of `assess(..., known_at=K)` as it was."""
    plan, ledger, grown, as_of, known_at = case
    assert figures(plan, grown, as_of, known_at) == figures(plan, ledger, as_of, known_at)


@st.composite
def ledgers_and_days(draw: st.DrawFn) -> tuple[Plan, Ledger, dt.date]:
    plan, ledger = draw(bps.plans_and_ledgers(max_measures=2))
    return plan, ledger, day_around(draw, plan, after=130)


def is_subsequence(part: Ledger, whole: Ledger) -> bool:
    """Whether the records of `part` are records of `whole`, in the same order."""
    rest = iter(whole)
    return all(any(record is other for other in rest) for record in part)


@FEW
@given(ledgers_and_days())
def test_known_at_is_an_idempotent_subsequence(case: tuple[Plan, Ledger, dt.date]) -> None:
    """`known_at(K)` keeps records of the ledger in order, without withdrawals, and applying
    it again (with K or with everything known) changes nothing."""
    _, ledger, known_at = case
    for when in (known_at, None):
        known = ledger.known_at(when)
        assert is_subsequence(known, ledger)
        assert not any(isinstance(record, Withdrawal) for record in known)
        assert list(known.known_at(when)) == list(known)
        assert list(known.known_at(None)) == list(known)


@FEW
@given(bps.plans_and_ledgers(max_measures=2, corrections=False), st.data())
def test_a_ledger_without_corrections_counts_as_before(
    pair: tuple[Plan, Ledger], data: st.DataObject
) -> None:
    """Without links, `known_at(None)` is the ledger itself, and recorded dates change no
    figure assessed with everything known."""
    plan, ledger = pair
    assert ledger.known_at(None) is ledger
    as_of = data.draw(st.sampled_from([plan.start, plan.end, plan.end.add(days=40)]))
    plain = Ledger(
        [
            attrs.evolve(r, recorded=None)
            for r in ledger
            if isinstance(r, Observation | StatusChange)
        ]
    )
    assert figures(plan, ledger, as_of, None) == figures(plan, plain, as_of, None)
