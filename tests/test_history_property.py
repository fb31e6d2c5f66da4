"""Property: a history's figures at each date are exactly those of `assess` at that date."""

from __future__ import annotations

import attrs
import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beijing_plan import (
    Ledger,
    Observation,
    Plan,
    Quantity,
    Rules,
    StatusChange,
    Withdrawal,
    assess,
    history,
)
from beijing_plan.ledger import Record
from beijing_plan.strategies import plans_and_ledgers

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _changed(record: Observation | StatusChange) -> Observation | StatusChange:
    """Another figure for the same item: a value one more, or the percent dropped."""
    if isinstance(record, Observation):
        return attrs.evolve(record, value=Quantity(record.value.value + 1, record.value.unit))
    return attrs.evolve(record, percent=None)


@st.composite
def corrected(draw: st.DrawFn) -> tuple[Plan, Ledger]:
    """A plan and a ledger whose records were entered late, some corrected or withdrawn."""
    plan, ledger = draw(plans_and_ledgers(max_records=12, corrections=False))
    entered: list[Observation | StatusChange] = []
    for i, record in enumerate(ledger.records):
        assert isinstance(record, Observation | StatusChange)
        lag = draw(st.integers(0, 60))
        entered.append(attrs.evolve(record, recorded=record.on.add(days=lag), id=f"r{i}"))
    extra: list[Record] = []
    for i, record in enumerate(entered):
        choice = draw(st.sampled_from(["keep", "keep", "correct", "withdraw"]))
        assert record.recorded is not None
        if choice == "correct":
            on = record.on.add(days=draw(st.integers(-20, 20)))
            recorded = max(on, record.recorded.add(days=draw(st.integers(0, 90))))
            fixed = attrs.evolve(
                _changed(record), on=on, recorded=recorded, id=f"c{i}", supersedes=record.id
            )
            extra.append(fixed)
        elif choice == "withdraw":
            day = record.recorded.add(days=draw(st.integers(0, 90)))
            extra.append(Withdrawal(f"r{i}", day, id=f"w{i}"))
    records: list[Record] = [*entered, *extra]
    order = draw(st.permutations(range(len(records))))
    return plan, Ledger([records[i] for i in order])


def _dates(plan: Plan) -> st.SearchStrategy[list[pendulum.Date]]:
    first, last = plan.start.toordinal() - 40, plan.end.toordinal() + 40
    days = st.integers(first, last).map(pendulum.Date.fromordinal)
    return st.lists(days, min_size=1, max_size=5)


def _figures(assessment: object, key: str) -> tuple[object, ...]:
    result = assessment[key]  # type: ignore[index]
    return (result.completion, result.expected, result.status, result.coverage, result.rule)


@EXAMPLES
@given(data=st.data())
def test_history_equals_assess_at_every_date(data: st.DataObject) -> None:
    """For random plans, corrected ledgers, dates and knowledge, every node's figures agree."""
    plan, ledger = data.draw(corrected())
    dates = data.draw(_dates(plan))
    rules = Rules(
        missing=data.draw(st.sampled_from(["zero", "exclude"])),
        rollup=data.draw(st.sampled_from(["flat", "nested"])),
    )
    mode = data.draw(st.sampled_from(["everything", "known_at", "reported_after"]))
    known_at = reported_after = None
    if mode == "known_at":
        known_at = pendulum.Date.fromordinal(
            data.draw(st.integers(plan.start.toordinal(), plan.end.toordinal() + 120))
        )
    elif mode == "reported_after":
        reported_after = data.draw(st.integers(0, 60))
    found = history(
        plan, ledger, at=dates, rules=rules, known_at=known_at, reported_after=reported_after
    )
    assert list(found.dates) == sorted(set(dates))
    for day in found.dates:
        knowledge = known_at
        if reported_after is not None:
            knowledge = day.add(days=reported_after)
        expected = assess(plan, ledger, as_of=day, rules=rules, known_at=knowledge)
        got = found[day]
        assert got.known_at == knowledge
        assert list(got) == list(expected)
        for key in expected:
            assert _figures(got, key) == _figures(expected, key), (day, key)
