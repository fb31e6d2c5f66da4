"""The figures of each leaf and part at the dates of a history where they change.

A leaf's or part's completion, record and cancellation depend on its own records
alone (a task's on its parts' too), not on the date beyond them. So
[`timelines`][beijing_plan._engine.timelines.timelines] walks each node's records
once, in day order, and works its figures out only at the dates where the records
that count for it change, with the same rules an assessment applies
([`leaf_completion`][beijing_plan._engine.completion.leaf_completion] and the
rest). A date whose figures are those of the date before is left out, so that the
engines and the roll-ups only redo what changed.

Most nodes only ever gain records: each record counts from the first date on or
after its day, to the last. Their records that count at a date are the first so
many of their records, and the walk reads only what it needs of them: the last
one for a status or a `last` target, the new ones for a `sum`, `max` or `min`
target, which adds their points to its value at the date before instead of
counting every point again. A status leaf's or milestone's figures depend on its
status and percent alone, and are worked out once for each pair. A node some of
whose records stop counting (corrected, withdrawn) or begin to count later than
their day (entered later) has what counts gathered again at each of its dates.

Each date's engine takes over the figures of the date before and sets those that
changed; expected completion, status and the roll-ups, which depend on the date
itself, are worked out by the engine at every date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import TypeAlias

from ..ledger import Record, Status, StatusChange
from ..model import Aggregation, Target, Task
from ..rules import Rules
from .completion import (
    ATTAINMENT,
    CANCELLED,
    MISSING,
    PARTS,
    Part,
    aggregate,
    as_part,
    counted_points,
    extended,
    last_value,
    leaf_completion,
    milestone_completion,
    missing_completion,
    part_alone,
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

#: A node's figures at the dates where they change, by the dates' numbers.
Timeline: TypeAlias = list[tuple[int, Figures]]

#: The figures of a part with no record: those of a node not worked out yet.
_BLANK: Figures = (None, False, False, None, None, None)

_CANCELLED = Status.CANCELLED

#: A date where the records that count for a node change: the date's number, the
#: records that count then (by day, same-day ones in ledger order), and the records
#: added to those of the node's date before, when adding them is all that changed.
_State = tuple[int, list[Record], list[Record] | None]

#: Where a node's records join those that count (see `_joins`), or `None` for a node
#: some of whose records stop counting or begin to count late.
_Joins: TypeAlias = list[tuple[int, int]] | None

#: The figures of a status leaf or a milestone, by its status and percent in force.
_ByStatus: TypeAlias = dict[tuple[Status, float | None], Figures]


def timelines(
    held: dict[int, list[Held]],
    irregular: set[int],
    layout: Layout,
    days: Sequence[int],
    rules: Rules,
) -> tuple[list[list[Change]], list[list[Change]]]:
    """The parts and the leaves whose figures change at each of `days`.

    Args:
        held: Each node's records that count at some date, by day (same-day ones in
            ledger order), with the runs of dates they count for.
        irregular: The nodes some of whose records do not only join those that
            count: one stops counting before the last date, or begins to count later
            than the first date on or after its day.
        layout: The plan's layout.
        days: The dates' day numbers, ascending.
        rules: The rules.

    Returns:
        For each date, the parts whose figures differ from the date before, with
        their figures; and for each date the leaves whose figures differ (at the
        first date, every leaf), in ascending order, with theirs.
    """
    changes: list[list[Change]] = [[] for _ in days]  # the parts'
    changed: list[list[Change]] = [[] for _ in days]  # the leaves'
    items, first_part = layout.items, layout.first_part
    start, missing = layout.start, missing_completion(rules)
    statuses: _ByStatus = {}
    milestones: _ByStatus = {}
    for position in range(layout.leaf_count):
        leaf, own = items[position], held.get(position, [])
        joins = None if position in irregular else _joins(own)
        first = first_part.get(position)
        if type(leaf) is Target:
            states = _target_timeline(leaf, own, joins, days, start, leaf=True, missing=missing)
        elif first is None:
            states = _status_timeline(own, joins, days, rules, statuses)
        else:
            assert isinstance(leaf, Task)
            count = len(leaf.targets) + len(leaf.milestones)
            parts = []
            for q in range(first, first + count):
                entries = held.get(q, [])
                ways = None if q in irregular else _joins(entries)
                parts.append(_part_timeline(layout, q, entries, ways, days=days, known=milestones))
            for q, timeline in enumerate(parts, first):
                for number, figures in timeline:
                    changes[number].append((q, figures))
            states = _task_timeline(layout, first, parts, own, joins, days=days, rules=rules)
        for number, figures in states:
            changed[number].append((position, figures))
    return changes, changed


def _joins(entries: list[Held]) -> list[tuple[int, int]]:
    """For a node whose records only join those that count: at each date where some
    join, its number and how many of `entries` count from then on."""
    firsts = [entry[2] for entry in entries]  # ascending, as the records' days are
    joins = [(first, k) for k, (first, then) in enumerate(pairwise(firsts), 1) if first != then]
    if firsts:
        joins.append((firsts[-1], len(firsts)))
    return joins


def _irregular_states(entries: list[Held], days: Sequence[int]) -> Iterator[_State]:
    """The dates where the records that count for a node change, with what counts
    then, for a node whose records do not only join: at a date where
    one stops counting or begins later than its day, what counts is gathered again."""
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


def _lasts(
    entries: list[Held], joins: _Joins, days: Sequence[int]
) -> Iterator[tuple[int, Record | None]]:
    """The dates where the last record that counts for a node may change, with it
    (`None`: none counts)."""
    if joins is None:
        for number, active, _ in _irregular_states(entries, days):
            yield number, active[-1] if active else None
    else:
        for number, stop in joins:
            yield number, entries[stop - 1][1]


def _values(
    target: Target, entries: list[Held], joins: _Joins, days: Sequence[int], start: int
) -> Iterator[tuple[int, Decimal | None, bool]]:
    """The dates where a target's observations that count change, with its value then
    (`None`: none is counted) and whether any observation counts."""
    aggregation = target.aggregation
    if aggregation is Aggregation.LAST:
        for number, last in _lasts(entries, joins, days):
            level = None if last is None else last_value(target, (last,))  # type: ignore[arg-type]
            yield number, level, last is not None
        return
    value: Decimal | None = None
    if joins is not None:
        # Each record counts from the first date on or after its day, so the points
        # that count at a date are those up to its day: counted once for them all
        # (same-day records join together, so none is split between two dates).
        records = [entry[1] for entry in entries]
        points = counted_points(target, records, as_of=days[-1], plan_start=start)  # type: ignore[arg-type]
        taken, size = 0, len(points)
        for number, _ in joins:
            day, upto = days[number], taken
            while upto < size and points[upto][0] <= day:
                upto += 1
            if aggregation is Aggregation.MEAN:
                value = aggregate(target, points[:upto])
            elif upto > taken:
                value = extended(target, value, points[taken:upto])
            taken = upto
            yield number, value, True
        return
    for number, active, new in _irregular_states(entries, days):
        day = days[number]
        if not active:
            value = None
        elif new is not None and aggregation is not Aggregation.MEAN:
            points = counted_points(target, new, as_of=day, plan_start=start)  # type: ignore[arg-type]
            value = extended(target, value, points)
        else:
            points = counted_points(target, active, as_of=day, plan_start=start)  # type: ignore[arg-type]
            value = aggregate(target, points)
        yield number, value, bool(active)


def _target_timeline(
    target: Target,
    entries: list[Held],
    joins: _Joins,
    days: Sequence[int],
    start: int,
    *,
    leaf: bool = False,
    missing: float | None = None,
) -> Timeline:
    """A target's figures at each date where they change.

    As a `leaf` it has figures at the first date too, `missing` (the completion of a
    leaf with nothing recorded) while it has no value; as a part it starts with none.
    """
    timeline: Timeline = []
    shown: tuple[Decimal | None, bool] | None = None  # the value and record last set
    for number, value, recorded in _values(target, entries, joins, days, start):
        if shown is not None and value is shown[0] and recorded is shown[1]:
            continue  # the same figures as at the node's date before
        shown = value, recorded
        ratio = attainment = None
        if value is not None:
            ratio = target.level_ratio(value)
            attainment = min(1.0, max(0.0, ratio))
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
    entries: list[Held], joins: _Joins, days: Sequence[int], rules: Rules, known: _ByStatus
) -> Timeline:
    """A policy's or a task's (with no parts) figures at the first date and wherever
    they change; `known` holds the figures worked out for each status and percent."""
    timeline: Timeline = []
    shown: Figures | None = None
    for number, status in _lasts(entries, joins, days):
        if status is None:
            figures = _status_figures(None, rules)
        else:
            key = (status.status, status.percent)  # type: ignore[union-attr]
            found = known.get(key)
            if found is None:
                found = known[key] = _status_figures(status, rules)  # type: ignore[arg-type]
            figures = found
        if figures is not shown:
            timeline.append((number, figures))
            shown = figures
    return _from_first_date(timeline, _status_figures(None, rules))


def _status_figures(status: StatusChange | None, rules: Rules) -> Figures:
    """The figures of a policy or a task with no parts whose status in force is `status`."""
    completion, rule = leaf_completion(status, (), rules)
    return completion, status is not None, rule is CANCELLED, rule, None, None


def _part_timeline(
    layout: Layout,
    position: int,
    entries: list[Held],
    joins: _Joins,
    *,
    days: Sequence[int],
    known: _ByStatus,
) -> Timeline:
    """The figures of a task's target or milestone wherever they change; `known` holds a
    milestone's figures worked out for each status."""
    part = layout.items[position]
    if type(part) is Target:
        return _target_timeline(part, entries, joins, days, layout.start)
    timeline: Timeline = []
    shown: Figures | None = None
    for number, status in _lasts(entries, joins, days):
        if status is None:
            figures = _BLANK
        else:
            key = (status.status, None)  # type: ignore[union-attr]
            found = known.get(key)
            if found is None:
                found = known[key] = _milestone_figures(status)  # type: ignore[arg-type]
            figures = found
        if figures is not shown:
            timeline.append((number, figures))
            shown = figures
    return timeline


def _milestone_figures(status: StatusChange) -> Figures:
    """The figures of a milestone whose status in force is `status`."""
    return milestone_completion(status), True, status.status is _CANCELLED, None, None, None


def _task_timeline(
    layout: Layout,
    first: int,
    parts: list[Timeline],
    entries: list[Held],
    joins: _Joins,
    *,
    days: Sequence[int],
    rules: Rules,
) -> Timeline:
    """A task's figures at the first date and wherever its status or a part changes.

    `parts` holds its parts' timelines, numbered from `first`.
    """
    items = layout.items
    kinds = [(items[q].weight, type(items[q]) is Target) for q in range(first, first + len(parts))]
    if not entries and len(parts) == 1:  # most tasks: one part and no status of their own
        (weight, target), missing = kinds[0], missing_completion(rules)
        zero = rules.missing == "zero"
        timeline: Timeline = []
        for number, figures in _from_first_date(parts[0], _BLANK):
            seen, completion = figures[1], None
            if not figures[2]:  # not cancelled
                completion = part_alone(weight, figures[0], target=target, recorded=seen, zero=zero)
            if completion is None:
                timeline.append((number, (missing, seen, False, MISSING, None, None)))
            else:
                timeline.append((number, (completion, seen, False, PARTS, None, None)))
        return timeline
    own = dict(_lasts(entries, joins, days))
    numbers = sorted({0, *own, *(number for timeline in parts for number, _ in timeline)})
    pending = [dict(timeline) for timeline in parts]
    current = [_BLANK] * len(parts)
    status: Record | None = None
    timeline = []
    for number in numbers:
        if number in own:
            status = own[number]
        for k, changed in enumerate(pending):
            found = changed.get(number)
            if found is not None:
                current[k] = found
        timeline.append((number, _task_figures(status, current, kinds, rules)))  # type: ignore[arg-type]
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
    for (weight, target), figures in zip(kinds, parts, strict=True):
        seen = figures[1]
        recorded = recorded or seen
        part = as_part(weight, figures[0], target=target, recorded=seen, cancelled=figures[2])
        if part is not None:
            entered.append(part)
    completion, rule = leaf_completion(status, entered, rules)
    return completion, recorded, rule is CANCELLED, rule, None, None


def _from_first_date(timeline: Timeline, figures: Figures) -> Timeline:
    """`timeline`, starting at the first date with `figures` if it starts later."""
    if timeline and timeline[0][0] == 0:
        return timeline
    return [(0, figures), *timeline]


def records_at(entries: Sequence[Held], number: int) -> list[Record]:
    """The records in `entries` that count at the date numbered `number`, by day."""
    return [entry[1] for entry in entries if entry[2] <= number < entry[3]]
