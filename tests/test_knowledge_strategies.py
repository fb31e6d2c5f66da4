"""The strategies draw valid corrections, withdrawals and recorded dates, and link faults."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import beijing_plan as bp
from beijing_plan import Ledger, Observation, Plan, PlanValidationError, StatusChange, Withdrawal
from beijing_plan import strategies as bps
from beijing_plan.ledger import Record
from beijing_plan.strategies import InvalidDocument, invalid_documents

SEARCH = settings(database=None, max_examples=2000, phases=[Phase.generate])
LINK_FAULTS = ("duplicate_record_id", "unknown_supersedes", "correction_cycle", "double_correction")


def entered(record: Record) -> int:
    """The day a record was entered, as an ordinal."""
    recorded = getattr(record, "recorded", None)
    return (recorded or record.on).toordinal()


def chain_length(ledger: Ledger, record: Record) -> int:
    """How many corrections lie behind `record`."""
    by_id, length = ledger.by_id(), 0
    while (named := getattr(record, "supersedes", None)) is not None:
        record, length = by_id[named], length + 1
    return length


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(bps.plans_and_ledgers(max_measures=2))
def test_drawn_links_are_valid_and_in_order(pair: tuple[Plan, Ledger]) -> None:
    """Corrections follow and are entered no earlier than what they correct; chains are short."""
    plan, ledger = pair
    ledger.check(plan)
    assert len(ledger) <= 20
    position = {id(record): i for i, record in enumerate(ledger)}
    by_id = ledger.by_id()
    around = (plan.start.toordinal() - 31, plan.end.toordinal() + 31)
    for record in ledger:
        assert around[0] <= record.on.toordinal() <= around[1]
        assert around[0] <= entered(record) <= max(around[1], record.on.toordinal())
        named = record.record if isinstance(record, Withdrawal) else record.supersedes
        if named is None:
            continue
        earlier = by_id[named]
        assert position[id(earlier)] < position[id(record)]
        if not isinstance(record, Withdrawal):
            assert entered(record) >= entered(earlier)
            assert chain_length(ledger, record) <= 2


def found(test: Callable[[Ledger], bool]) -> Ledger:
    """A drawn ledger that passes `test`."""
    small = bps.plans_and_ledgers(max_measures=1, policies=True)
    return find(small, lambda pair: test(pair[1]), settings=SEARCH)[1]


def test_ledgers_reach_every_kind_of_link() -> None:
    """Chains of two, withdrawals, corrections that move the day and late entries turn up."""
    found(lambda ledger: any(chain_length(ledger, r) == 2 for r in ledger))
    found(lambda ledger: any(isinstance(r, Withdrawal) for r in ledger))
    moved = found(
        lambda ledger: any(
            isinstance(r, Observation | StatusChange)
            and r.supersedes is not None
            and ledger.by_id()[r.supersedes].on != r.on
            for r in ledger
        )
    )
    assert moved.known_at(None) != moved
    found(lambda ledger: any(entered(r) > r.on.toordinal() for r in ledger))


@settings(max_examples=15)
@given(bps.plans_and_ledgers(max_measures=1, policies=True, corrections=False))
def test_ledgers_without_corrections_have_no_links(pair: tuple[Plan, Ledger]) -> None:
    """`corrections=False` draws no ids, corrections or withdrawals."""
    _, ledger = pair
    assert ledger.by_id() == {}
    assert all(isinstance(r, Observation | StatusChange) for r in ledger)
    assert all(r.supersedes is None for r in ledger if isinstance(r, Observation | StatusChange))


def test_corrections_must_be_a_flag() -> None:
    """A `corrections` that is not True, False or None is refused when the strategy is made."""
    plan = Plan("p", "P", start="2025-01-01", end="2025-12-31")
    with pytest.raises(InvalidArgument, match="corrections='yes'"):
        bps.ledgers(plan, corrections="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="corrections=1"):
        bps.plans_and_ledgers(corrections=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("fault", LINK_FAULTS)
def test_each_link_fault_is_drawn_and_reported_at_its_path(fault: str) -> None:
    """A ledger document with one broken link raises an error that names the fault's path."""
    seen: list[str] = []
    ledgers = bps.plans_and_ledgers(max_measures=2).map(lambda pair: pair[1])

    @given(bad=invalid_documents(ledgers, faults=(fault,)))
    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
    def check(bad: InvalidDocument) -> None:
        seen.append(bad.fault)
        with pytest.raises(PlanValidationError) as error:
            bp.loads(json.dumps(bad.document), bad.cls)
        assert bad.path in [path for path, _ in error.value.problems], (bad, error.value)

    check()
    assert fault in seen


def test_a_double_correction_fault_names_the_second_correction() -> None:
    """The fault a double correction puts in is reported at the later correcting record."""
    ledger = Ledger([StatusChange("a", "2025-03-01", "done")])
    bad = find(
        invalid_documents(st.just(ledger), faults=("double_correction",)),
        lambda _: True,
        settings=settings(database=None, max_examples=10),
    )
    assert bad.path == "records[2].supersedes"
    with pytest.raises(PlanValidationError) as error:
        bp.loads(json.dumps(bad.document), Ledger)
    assert error.value.problems == [
        ("records[2].supersedes", "'fault-id' is already corrected or withdrawn by records[1]")
    ]
