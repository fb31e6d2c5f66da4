"""Property: a history's figures at each date are exactly those of `assess` at that date.

A history takes over from the previous date every node whose records did not change
and carries a `sum`, `max` or `min` target's value on when only later observations
came; `busy` draws ledgers large enough for those paths to be taken many times, at
up to twelve dates, and every result is compared in full (value, ratio, forecast,
contributions).
"""

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
    Target,
    Withdrawal,
    assess,
    history,
)
from beijing_plan.ledger import Record
from beijing_plan.strategies import plans, plans_and_ledgers

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SWEEPS = settings(EXAMPLES, max_examples=60)


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


def _targets(plan: Plan) -> list[Target]:
    found: list[Target] = []
    for measure in plan.measures:
        found.extend(measure.targets)
        for task in measure.tasks:
            found.extend(task.targets)
    return found


def _steps(plan: Plan) -> list[str]:
    """The ids of what takes status changes: tasks, policies and milestones."""
    found = [policy.id for policy in plan.policies]
    for measure in plan.measures:
        for task in measure.tasks:
            found.append(task.id)
            found.extend(milestone.id for milestone in task.milestones)
    return found


@st.composite
def busy(draw: st.DrawFn) -> tuple[Plan, Ledger]:
    """A plan and a ledger with many records a target and a step, over the plan's year.

    Records are entered up to 90 days late; some are corrected or withdrawn later.
    """
    plan = draw(plans(min_measures=1))
    first, last = plan.start.toordinal() - 20, plan.end.toordinal() + 20
    days = st.integers(first, last).map(pendulum.Date.fromordinal)
    records: list[Observation | StatusChange] = []
    for target in _targets(plan):
        for _ in range(draw(st.integers(0, 10))):
            value = Quantity(draw(st.integers(-20, 150)), target.value.unit)
            records.append(Observation(target.id, draw(days), value))
    statuses = st.sampled_from(["not_started", "in_progress", "done", "cancelled"])
    for step in _steps(plan):
        for _ in range(draw(st.integers(0, 6))):
            status = draw(statuses)
            percent = draw(st.integers(0, 100)) if status == "in_progress" else None
            records.append(StatusChange(step, draw(days), status, percent=percent))
    lags = st.integers(0, 90)
    entered: list[Record] = [
        attrs.evolve(record, recorded=record.on.add(days=draw(lags)), id=f"r{i}")
        for i, record in enumerate(records)
    ]
    later: list[Record] = []
    for record in entered:
        choice = draw(st.sampled_from(["keep"] * 6 + ["correct", "withdraw"]))
        assert isinstance(record, Observation | StatusChange)
        assert record.recorded is not None
        day = record.recorded.add(days=draw(st.integers(0, 60)))
        if choice == "correct":
            later.append(
                attrs.evolve(record, recorded=day, id=f"c{record.id}", supersedes=record.id)
            )
        elif choice == "withdraw":
            later.append(Withdrawal(record.id or "", day, id=f"w{record.id}"))
    return plan, Ledger([*entered, *later])


def _month_ends(plan: Plan, count: int) -> list[pendulum.Date]:
    """`count` dates a month apart from the plan's start, as a monthly history takes."""
    return [plan.start.add(months=i).end_of("month") for i in range(count)]


@SWEEPS
@given(
    pair=busy(),
    count=st.integers(1, 12),
    knowledge=st.tuples(
        st.sampled_from(["everything", "known_at", "reported_after"]), st.integers(0, 30)
    ),
    rules=st.builds(
        Rules,
        missing=st.sampled_from(["zero", "exclude"]),
        rollup=st.sampled_from(["flat", "nested"]),
    ),
)
def test_every_result_equals_its_own_assessment(
    pair: tuple[Plan, Ledger], count: int, knowledge: tuple[str, int], rules: Rules
) -> None:
    """Every result of a monthly history equals, field by field, that of `assess` that day."""
    plan, ledger = pair
    mode, lag = knowledge
    dates = _month_ends(plan, count)
    known_at = plan.start.add(days=lag * 5) if mode == "known_at" else None
    reported_after = lag if mode == "reported_after" else None
    found = history(
        plan, ledger, at=dates, rules=rules, known_at=known_at, reported_after=reported_after
    )
    for day in found.dates:
        known = day.add(days=lag) if reported_after is not None else known_at
        expected = assess(plan, ledger, as_of=day, rules=rules, known_at=known)
        got = found[day]
        for key in expected:
            mine, theirs = got[key], expected[key]
            assert mine == theirs, (day, key)
            assert repr(mine.current) == repr(theirs.current), (day, key)
            assert mine.contributions == theirs.contributions, (day, key)
