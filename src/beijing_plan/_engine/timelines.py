"""The figures of each leaf and part at the dates of a history where they change.

A leaf's or part's completion, record and cancellation depend on its own records
alone (a task's on its parts' too), not on the date beyond them. So
[`timelines`][beijing_plan._engine.timelines.timelines] walks each node's records
once, in day order, and works its figures out only at the dates where the records
that count for it change, with the same rules an assessment applies
([`leaf_completion`][beijing_plan._engine.completion.leaf_completion] and the
rest). Where a date only adds records dated after the date before, a `sum`, `max`
or `min` target adds their points to its value at that date instead of counting
every point again. Each date's engine takes over the figures of the date before
and sets those that changed; expected completion, status and the roll-ups, which
depend on the date itself, are worked out by the engine at every date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TypeAlias

from ..ledger import Record, Status, StatusChange
from ..model import Aggregation, Target, Task
from ..rules import Rules
from .completion import (
    ATTAINMENT,
    CANCELLED,
    MISSING,
    Part,
    aggregate,
    as_part,
    counted_points,
    extended,
    last_value,
    leaf_completion,
    milestone_completion,
    missing_completion,
)
from .engine import Layout

__all__ = ["Change", "Figures", "Held", "records_at", "timelines"]

#: A record counting for a node of a history: its day, the record, the number of the
#: first date it counts at and of the first it no longer does.
Held: TypeAlias = tuple[int, Record, int, int]

#: A leaf's or part's figures at a date: its completion, whether it has a record,
#: whether it is cancelled, the leaf rule that decided it (`None` for a part), and a
#: target's value and raw ratio (`None` without a value).
Figures: TypeAlias = tuple[float | None, bool, bool, str | None, Decimal | None, float | None]

#: A node whose figures change at a date, and its figures from that date on.
Change: TypeAlias = tuple[int, Figures]

#: The figures of a part with no record: those of a node not worked out yet.
_BLANK: Figures = (None, False, False, None, None, None)

#: The aggregations whose value is worked out from all points at once (`last` takes
#: the last observation, which is no work; `mean` divides their exact sum).
_WHOLE = (Aggregation.LAST, Aggregation.MEAN)

_CANCELLED = Status.CANCELLED

#: A date where the records that count for a node change: the date's number, the
#: records that count then (by day, same-day ones in ledger order), and the records
#: added to those of the node's date before, when adding them is all that changed.
_State = tuple[int, list[Record], list[Record] | None]


def timelines(
    held: dict[int, list[Held]], layout: Layout, days: Sequence[int], rules: Rules
) -> tuple[list[list[Change]], list[list[int]]]:
    """The leaves and parts whose figures change at each of `days`, and the leaves among them.

    Args:
        held: Each node's records that count at some date, by day (same-day ones in
            ledger order), with the runs of dates they count for.
        layout: The plan's layout.
        days: The dates' day numbers, ascending.
        rules: The rules.

    Returns:
        For each date, the leaves and parts whose figures differ from the date
        before (at the first date, every leaf), with their figures; and for each
        date the leaves among them, in ascending order.
    """
    changes: list[list[Change]] = [[] for _ in days]
    items, first_part = layout.items, layout.first_part
    start, missing = layout.start, missing_completion(rules)
    for position in range(layout.leaf_count):
        leaf, own = items[position], held.get(position, [])
        first = first_part.get(position)
        if type(leaf) is Target:
            states = _target_timeline(leaf, own, days, start, leaf=True, missing=missing)
        elif first is None:
            states = _status_timeline(own, days, rules)
        else:
            assert isinstance(leaf, Task)
            count = len(leaf.targets) + len(leaf.milestones)
            parts = [
                _part_timeline(layout, q, held.get(q, []), days)
                for q in range(first, first + count)
            ]
            for q, timeline in enumerate(parts, first):
                for number, figures in timeline:
                    changes[number].append((q, figures))
            states = _task_timeline(layout, first, parts, own, days=days, rules=rules)
        for number, figures in states:
            changes[number].append((position, figures))
    # Each leaf comes after its parts, and the leaves in order: they are in order here too.
    count = layout.leaf_count
    leaves = [[position for position, _ in changed if position < count] for changed in changes]
    return changes, leaves


def _states(entries: list[Held], days: Sequence[int]) -> Iterator[_State]:
    """The dates where the records counting for a node change, with what counts then."""
    count = len(days)
    at = 0
    for on, _, first, end in entries:
        if end < count or first < at or (first and on <= days[first - 1]):
            yield from _irregular_states(entries, days)
            return
        at = first
    # Each record counts from its first date on, and comes after those counted before.
    records = [entry[1] for entry in entries]
    size, k = len(entries), 0
    while k < size:
        number = entries[k][2]
        stop = k + 1
        while stop < size and entries[stop][2] == number:
            stop += 1
        yield number, records[:stop], records[k:stop]
        k = stop


def _irregular_states(entries: list[Held], days: Sequence[int]) -> Iterator[_State]:
    """`_states` where a record stops counting or one dated on or before the date
    before begins: at those dates what counts is gathered again."""
    count = len(days)
    starts: dict[int, list[Record]] = {}
    again: set[int] = set()
    for on, record, first, end in entries:
        starts.setdefault(first, []).append(record)
        if end < count:
            again.add(end)
        if first and on <= days[first - 1]:
            again.add(first)
    active: list[Record] = []
    for number in sorted(starts.keys() | again):
        if number in again:
            active = records_at(entries, number)
            yield number, active, None
        else:
            new = starts[number]
            active = active + new
            yield number, active, new


def _target_timeline(
    target: Target,
    entries: list[Held],
    days: Sequence[int],
    start: int,
    *,
    leaf: bool = False,
    missing: float | None = None,
) -> list[tuple[int, Figures]]:
    """A target's figures at each date where its observations change.

    As a `leaf` it has figures at the first date too, `missing` (the completion of a
    leaf with nothing recorded) while it has no value; as a part it starts with none.
    """
    timeline: list[tuple[int, Figures]] = []
    whole = target.aggregation in _WHOLE
    value: Decimal | None = None
    for number, active, new in _states(entries, days):
        day = days[number]
        if not active:
            value = None
        elif new is not None and not whole:
            points = counted_points(target, new, as_of=day, plan_start=start)  # type: ignore[arg-type]
            value = extended(target, value, points)
        elif target.aggregation is Aggregation.LAST:
            value = last_value(target, active)  # type: ignore[arg-type]
        else:
            points = counted_points(target, active, as_of=day, plan_start=start)  # type: ignore[arg-type]
            value = aggregate(target, points)
        ratio = attainment = None
        if value is not None:
            ratio = target.level_ratio(value)
            attainment = min(1.0, max(0.0, ratio))
        recorded = bool(active)
        if not leaf:
            timeline.append((number, (attainment, recorded, False, None, value, ratio)))
        elif attainment is None:
            timeline.append((number, (missing, recorded, False, MISSING, None, None)))
        else:
            timeline.append((number, (attainment, recorded, False, ATTAINMENT, value, ratio)))
    if not leaf:
        return timeline
    return _from_first_date(timeline, (missing, False, False, MISSING, None, None))


def _status_timeline(
    entries: list[Held], days: Sequence[int], rules: Rules
) -> list[tuple[int, Figures]]:
    """A policy's or a task's (with no parts) figures at the first date and wherever
    its status in force changes."""
    timeline: list[tuple[int, Figures]] = []
    for number, active, _ in _states(entries, days):
        status: StatusChange | None = active[-1] if active else None  # type: ignore[assignment]
        completion, rule = leaf_completion(status, (), rules)
        timeline.append(
            (number, (completion, status is not None, rule is CANCELLED, rule, None, None))
        )
    completion, rule = leaf_completion(None, (), rules)
    return _from_first_date(timeline, (completion, False, False, rule, None, None))


def _part_timeline(
    layout: Layout, position: int, entries: list[Held], days: Sequence[int]
) -> list[tuple[int, Figures]]:
    """The figures of a task's target or milestone wherever its records change."""
    part = layout.items[position]
    if type(part) is Target:
        return _target_timeline(part, entries, days, layout.start)
    timeline: list[tuple[int, Figures]] = []
    for number, active, _ in _states(entries, days):
        status: StatusChange | None = active[-1] if active else None  # type: ignore[assignment]
        recorded = status is not None
        cancelled = recorded and status.status is _CANCELLED  # type: ignore[union-attr]
        timeline.append(
            (number, (milestone_completion(status), recorded, cancelled, None, None, None))
        )
    return timeline


def _task_timeline(
    layout: Layout,
    first: int,
    parts: list[list[tuple[int, Figures]]],
    entries: list[Held],
    *,
    days: Sequence[int],
    rules: Rules,
) -> list[tuple[int, Figures]]:
    """A task's figures at the first date and wherever its status or a part changes.

    `parts` holds its parts' timelines, numbered from `first`.
    """
    items = layout.items
    kinds = [(items[q].weight, type(items[q]) is Target) for q in range(first, first + len(parts))]
    if not entries and len(parts) == 1:  # most tasks: one part and no status of their own
        only = _from_first_date(parts[0], _BLANK)
        return [(number, _task_figures(None, [figures], kinds, rules)) for number, figures in only]
    own = {number: active for number, active, _ in _states(entries, days)}
    numbers = sorted({0, *own, *(number for timeline in parts for number, _ in timeline)})
    pending = [dict(timeline) for timeline in parts]
    current = [_BLANK] * len(parts)
    status: StatusChange | None = None
    timeline: list[tuple[int, Figures]] = []
    for number in numbers:
        active = own.get(number)
        if active is not None:
            status = active[-1] if active else None  # type: ignore[assignment]
        for k, changed in enumerate(pending):
            figures = changed.get(number)
            if figures is not None:
                current[k] = figures
        timeline.append((number, _task_figures(status, current, kinds, rules)))
    return timeline


def _task_figures(
    status: StatusChange | None,
    parts: list[Figures],
    kinds: list[tuple[float, bool]],
    rules: Rules,
) -> Figures:
    """A task's figures from its status and its parts' figures (`kinds`: each part's
    weight and whether it is a target), as the engine works them out."""
    recorded = status is not None
    entered: list[Part] = []
    for (weight, target), (done, seen, cancelled, *_) in zip(kinds, parts, strict=True):
        recorded = recorded or seen
        part = as_part(weight, done, target=target, recorded=seen, cancelled=cancelled)
        if part is not None:
            entered.append(part)
    completion, rule = leaf_completion(status, entered, rules)
    return completion, recorded, rule is CANCELLED, rule, None, None


def _from_first_date(
    timeline: list[tuple[int, Figures]], figures: Figures
) -> list[tuple[int, Figures]]:
    """`timeline`, starting at the first date with `figures` if it starts later."""
    if timeline and timeline[0][0] == 0:
        return timeline
    return [(0, figures), *timeline]


def records_at(entries: Sequence[Held], number: int) -> list[Record]:
    """The records in `entries` that count at the date numbered `number`, by day."""
    return [entry[1] for entry in entries if entry[2] <= number < entry[3]]
