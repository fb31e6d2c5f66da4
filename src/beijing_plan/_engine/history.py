"""Assess a plan at several dates in one sweep over its ledger (see [History][history-and-change]).

`sweep` returns one [`Engine`][beijing_plan._engine.engine.Engine] per date, each
holding exactly the figures that an assessment at that date (and with the knowledge
of its day) holds, but computed together:

- the plan's part (membership, the leaves and their parts, the node numbers) is
  built once, as a [`Layout`][beijing_plan._engine.engine.Layout];
- the ledger is read once. With one knowledge day for every date (everything
  entered, or `known_at`), the records known that day are sorted by day and each
  date takes those up to it. With `reported_after` each record counts for a run
  of consecutive dates, from the first date on or after its `on` whose knowledge
  day is on or after the day it was entered, to the first whose knowledge day is
  on or after the day the record correcting or withdrawing it was entered (dates
  ascend, and so do their knowledge days); the sweep adds and removes records at
  those dates and works out again only the nodes whose records changed;
- a leaf's or part's completion depends on its own records (a task's on its
  parts' too), so it is taken over from the previous date when they did not
  change; expected completion, status and the roll-ups depend on the date and are
  computed at every date.

A ledger holding records of another kind than observations and status changes
(revisions) is assessed date by date, each date on its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter

import pendulum

from .._collector import paused
from .._corrections import is_withdrawal
from ..ledger import Ledger, Observation, Record, StatusChange
from ..model import Aggregation, Plan, Target
from ..rules import Rules
from ..units import get_unit
from .completion import counted_points, extended
from .engine import Engine, Layout
from .rollup import Terms, terms

__all__ = ["sweep"]

#: A day later than any date: the knowledge day of "everything entered".
_NEVER = 10**9

#: The aggregations whose value is worked out from all points at once (`last` takes
#: the last observation, which is no work; `mean` divides their exact sum).
_WHOLE = (Aggregation.LAST, Aggregation.MEAN)

#: The record kinds the sweep counts, each with the id of the node a record names
#: (withdrawals act through the records they name).
_NAMED: dict[type, Callable[[Record], str]] = {
    Observation: attrgetter("target"),
    StatusChange: attrgetter("item"),
}


class _SweptEngine(Engine):
    """An engine given the records in force by the sweep, taking over unchanged nodes.

    A leaf's or part's completion, record and cancellation depend on its own
    records, and a task's on its parts' too; the nodes whose records did not change
    since the previous date keep those of the previous date, and only the others are
    worked out again. The expected completion, the status and the roll-ups depend on
    the date and are worked out for every node.
    """

    def __init__(
        self,
        plan: Plan,
        ledger: Ledger,
        as_of: pendulum.Date,
        rules: Rules,
        known_at: pendulum.Date | None,
        *,
        layout: Layout,
        read: tuple[list[StatusChange | None], dict[int, list[Observation]]],
        previous: _SweptEngine | None,
        changed: set[int],
        appended: set[int],
    ) -> None:
        self._given, self._previous = read, previous
        self._changed, self._appended = changed, appended
        #: The leaves worked out again (all of them at the first date).
        self._leaves_changed: list[int] = []
        super().__init__(plan, ledger, as_of, rules, known_at, layout=layout)
        self._previous = None  # let the previous date's engine go with its own history

    def _read(self) -> None:
        self.latest, self.observed = self._given

    def _parts(self, positions: Iterable[int]) -> None:
        previous = self._previous
        if previous is None:
            super()._parts(positions)
            return
        # Everything the previous date worked out from records, then the changed parts.
        nodes, before, count = self.nodes, previous.nodes, self.sub_end
        nodes.completion[:count] = before.completion[:count]
        nodes.recorded[:count] = before.recorded[:count]
        nodes.cancelled[:count] = before.cancelled[:count]
        nodes.rule[: self.leaf_count] = before.rule[: self.leaf_count]
        nodes.values, nodes.ratios = dict(before.values), dict(before.ratios)
        changed = sorted(self._changed)
        for position in changed:
            nodes.values.pop(position, None)
            nodes.ratios.pop(position, None)
        super()._parts(position for position in changed if position >= self.sub_start)

    def _leaves(self, positions: Iterable[int]) -> None:
        if self._previous is None:
            super()._leaves(positions)
            return
        sub_start, owners = self.sub_start, self.layout.owner_positions
        leaves = {
            position if position < sub_start else owners[position - sub_start]
            for position in self._changed
        }
        self._leaves_changed = sorted(leaves)
        super()._leaves(self._leaves_changed)

    def _target(self, target: Target, position: int) -> float | None:
        previous = self._previous
        if (
            previous is None
            or position not in self._appended
            or target.aggregation in _WHOLE
            or self.in_force
        ):
            return super()._target(target, position)
        # Only observations dated after the previous date came: add them to its value.
        known = len(previous.observed.get(position, ()))
        points = counted_points(
            target, self.observed[position][known:], as_of=self.day, plan_start=self.start
        )
        value = extended(target, previous.nodes.values.get(position), points)
        return None if value is None else self._attain(target, position, value)

    def _terms(self) -> Terms:
        previous = self._previous
        if previous is None:
            return super()._terms()
        return terms(
            self.nodes, self.leaf_count, previous=previous.terms, changed=self._leaves_changed
        )


def _entered(record: Record) -> int:
    return (record.recorded or record.on).toordinal()  # type: ignore[union-attr]


def _ends(records: Sequence[Record]) -> dict[str, int]:
    """The day from which each corrected or withdrawn record no longer counts, by its id."""
    ends: dict[str, int] = {}
    for record in records:
        named = getattr(record, "supersedes", None)
        if named is not None:
            ends[named] = _entered(record)
        elif type(record).__name__ == "Withdrawal":
            ends[record.record] = record.on.toordinal()  # type: ignore[union-attr]
    return ends


#: A record the sweep counts: its day, the record, and the numbers of the first date it
#: counts at and of the first it no longer does.
_Held = tuple[int, Record, int, int]


def _held(
    records: Sequence[Record],
    layout: Layout,
    days: list[int],
    limits: list[int] | None,
) -> tuple[dict[int, list[_Held]], bool]:
    """Each node's records that count at some date, by day (same-day ones in ledger
    order); and whether a record known at some date names a wrong node.

    With `limits` (each date's knowledge day) a record counts from the first date on
    or after its day that knows it until the first that knows what corrects or
    withdraws it; without, `records` are those known at every date, and each counts
    from the first date on or after its day on.
    """
    index, takes = layout.index, layout.takes
    ends = {} if limits is None else _ends(records)
    count = len(days)
    dimensions: dict[str, str] = {}
    held: dict[int, list[_Held]] = {}
    unsorted: set[int] = set()  # the nodes whose records are not in day order
    wrong = False
    for record in records:
        name_of = _NAMED.get(type(record))
        if name_of is None:
            continue
        slot = index.get(name_of(record))
        on = record.on.toordinal()
        if limits is None:
            first, end = bisect_left(days, on), count
        else:
            first, end, known = _run(record, on, days, limits, ends)
            if not known:
                continue
        if slot is None or _wrong(record, takes[slot], dimensions):
            wrong = True
        elif first < end:
            entries = held.get(slot)
            if entries is None:
                held[slot] = [(on, record, first, end)]
            else:
                if on < entries[-1][0]:
                    unsorted.add(slot)
                entries.append((on, record, first, end))
    for slot in unsorted:
        held[slot].sort(key=_day_of)  # stable: same-day records stay in ledger order
    return held, wrong


def _run(
    record: Record, on: int, days: list[int], limits: list[int], ends: dict[str, int]
) -> tuple[int, int, bool]:
    """The numbers of the first date `record` (dated `on`) counts at and of the first
    it no longer does, and whether some date knows it at all."""
    count = len(days)
    entered = bisect_left(limits, _entered(record))
    named = record.id
    end = count if named is None or named not in ends else bisect_left(limits, ends[named])
    return max(entered, bisect_left(days, on)), end, entered < end


def _wrong(record: Record, takes: str, dimensions: dict[str, str]) -> bool:
    """Whether `record` names a node of the wrong kind or measures the wrong dimension,
    the node taking `takes` (see [`Layout`][beijing_plan._engine.engine.Layout])."""
    if type(record) is not Observation:
        return bool(takes)  # a status change of a target
    unit = record.value.unit
    dimension = dimensions.get(unit)
    if dimension is None:
        dimension = dimensions[unit] = get_unit(unit).dimension
    return takes != dimension


def _day_of(entry: _Held) -> int:
    return entry[0]


#: What the sweep gives each date: the status in force and the observations of each
#: node, the nodes whose records changed since the date before, and those of them
#: whose change only adds records dated after that date.
_Read = tuple[list[StatusChange | None], dict[int, list[Observation]], set[int], set[int]]


def _arrivals(
    held: dict[int, list[_Held]], days: list[int]
) -> tuple[list[dict[int, list[Record]]], list[set[int]]]:
    """The records that begin to count at each date, by node, in order; and the nodes
    at each date where a record stops counting or one dated on or before the date
    before begins (so that the date's records are not those of the date before and
    some more after them)."""
    count = len(days)
    arrivals: list[dict[int, list[Record]]] = [{} for _ in range(count)]
    irregular: list[set[int]] = [set() for _ in range(count)]
    for slot, entries in held.items():
        for on, record, first, end in entries:
            arrivals[first].setdefault(slot, []).append(record)
            if end < count:
                irregular[end].add(slot)
            if first and on <= days[first - 1]:
                irregular[first].add(slot)
    return arrivals, irregular


def _reads(held: dict[int, list[_Held]], layout: Layout, days: list[int]) -> Iterator[_Read]:
    """What counts at each of `days`, from the runs of dates each record counts for."""
    count = len(days)
    arrivals, irregular = _arrivals(held, days)
    observes = layout.observes
    latest: list[StatusChange | None] = [None] * len(layout.items)
    observed: dict[int, list[Observation]] = {}
    for i in range(count):
        arriving, odd = arrivals[i], irregular[i]
        latest, observed = list(latest), dict(observed)
        changed = odd.union(arriving)
        appended = changed - odd if odd else changed
        for slot in appended:
            # What counted at the date before, then the new records, all dated after it.
            if observes[slot]:
                observed[slot] = observed.get(slot, []) + arriving[slot]  # type: ignore[operator]
            else:
                latest[slot] = arriving[slot][-1]  # type: ignore[assignment]
        for slot in odd:
            active = [entry[1] for entry in held[slot] if entry[2] <= i < entry[3]]
            if observes[slot]:
                if active:
                    observed[slot] = active  # type: ignore[assignment]
                else:
                    observed.pop(slot, None)
            else:
                latest[slot] = active[-1] if active else None  # type: ignore[assignment]
        yield latest, observed, changed, appended


def sweep(
    plan: Plan,
    ledger: Ledger,
    dates: Sequence[pendulum.Date],
    rules: Rules,
    known: Sequence[pendulum.Date | None],
) -> list[Engine]:
    """One engine per date of `dates` (ascending, distinct), with knowledge days `known`.

    `known[i]` is the knowledge day of `dates[i]` (`None`: everything entered); the
    knowledge days must not go down from one date to the next.
    """
    layout = Layout(plan)
    records = ledger.records
    if any(type(r) not in _NAMED and not is_withdrawal(r) for r in records):
        return [
            Engine(plan, ledger, day, rules, limit, layout=layout)
            for day, limit in zip(dates, known, strict=True)
        ]
    days = [day.toordinal() for day in dates]
    with paused():  # many small lists and tuples, no cycle
        if len(set(known)) == 1:  # one knowledge day: its records count from their day on
            held, wrong = _held(ledger.known_at(known[0]).records, layout, days, None)
        else:
            limits = [_NEVER if limit is None else limit.toordinal() for limit in known]
            held, wrong = _held(records, layout, days, limits)
        if wrong:
            ledger.check(plan)  # fails as an assessment does, with the record's path
        engines: list[Engine] = []
        previous: _SweptEngine | None = None
        reads = _reads(held, layout, days)
        for day, limit, (latest, observed, changed, appended) in zip(
            dates, known, reads, strict=True
        ):
            previous = _SweptEngine(
                plan,
                ledger,
                day,
                rules,
                limit,
                layout=layout,
                read=(latest, observed),
                previous=previous,
                changed=changed,
                appended=appended,
            )
            engines.append(previous)
    return engines
