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
- a target's attainment depends on its counted observations only, so it is taken
  over from the previous date when they did not change; expected completion,
  status and the roll-ups depend on the date and are computed at every date.

A ledger holding records of another kind than observations and status changes
(revisions) is assessed date by date, each date on its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

import pendulum

from .._corrections import is_withdrawal
from ..ledger import Ledger, Observation, Record, StatusChange
from ..model import Plan, Target
from ..rules import Rules
from .completion import records_in_force
from .engine import Engine, Layout

__all__ = ["sweep"]

#: A day later than any date: the knowledge day of "everything entered".
_NEVER = 10**9

#: The record kinds the sweep counts (withdrawals act through the records they name).
_SWEPT = (Observation, StatusChange)


class _SweptEngine(Engine):
    """An engine given the records in force by the sweep, reusing unchanged attainments."""

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
    ) -> None:
        self._given, self._previous, self._changed = read, previous, changed
        #: Each target's attainment (`None`: no counted observation), by node number.
        self.attained: dict[int, float | None] = {}
        super().__init__(plan, ledger, as_of, rules, known_at, layout=layout)
        self._previous = None

    def _read(self) -> None:
        self.latest, self.observed = self._given

    def _target(self, target: Target, position: int) -> float | None:
        previous = self._previous
        if previous is None or position in self._changed:
            found = self.attained[position] = super()._target(target, position)
            return found
        # The same counted observations as at the previous date: the same attainment.
        nodes, before = self.nodes, previous.nodes
        if position in before.values:
            nodes.values[position] = before.values[position]
            nodes.ratios[position] = before.ratios[position]
        found = self.attained[position] = previous.attained[position]
        return found


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


def _check(plan: Plan, ledger: Ledger, layout: Layout, records: list[Record]) -> None:
    """Fail as an assessment does when a record known at some date names a wrong node."""
    takes = [item.value.dimension if isinstance(item, Target) else "" for item in layout.items]
    _, _, wrong = records_in_force(records, index=layout.index, takes=takes, as_of=-1)
    if wrong:
        ledger.check(plan)


def _spans(
    records: Sequence[Record], index: dict[str, int], days: list[int], limits: list[int]
) -> tuple[list[tuple[int, int, int, int, int]], list[Record]]:
    """When each record counts: `(day, place, node, first, end)` for the records that
    count at dates `first` to `end - 1`; and the records known at some date."""
    ends = _ends(records)
    count = len(days)
    everything = not ends and all(limit == _NEVER for limit in limits)
    known_some: list[Record] = []  # the records known at some date, whatever their day
    spans: list[tuple[int, int, int, int, int]] = []
    for place, record in enumerate(records):
        kind = type(record)
        if kind is Observation:
            item = record.target  # type: ignore[union-attr]
        elif kind is StatusChange:
            item = record.item  # type: ignore[union-attr]
        else:
            continue
        on = record.on.toordinal()
        if everything:
            entered, end = 0, count
        else:
            entered = bisect_left(limits, _entered(record))
            named = record.id
            end = count if named is None or named not in ends else bisect_left(limits, ends[named])
        if entered < end:
            known_some.append(record)
            first = max(entered, bisect_left(days, on))
            slot = index.get(item)
            if first < end and slot is not None:
                spans.append((on, place, slot, first, end))
    return spans, known_some


#: What the sweep gives each date: the status in force and the observations of each
#: node, and the nodes whose records changed since the date before.
_Read = tuple[list[StatusChange | None], dict[int, list[Observation]], set[int]]


def _one_knowledge(records: Sequence[Record], layout: Layout, days: list[int]) -> Iterator[_Read]:
    """The reads at `days` of `records`, all known at every date: one pass in day order."""
    index = layout.index
    order = sorted(range(len(records)), key=lambda place: records[place].on.toordinal())
    ons = [records[place].on.toordinal() for place in order]
    latest: list[StatusChange | None] = [None] * len(layout.items)
    observed: dict[int, list[Observation]] = {}
    at = 0
    for day in days:
        latest, observed = list(latest), dict(observed)
        changed: set[int] = set()
        end = bisect_right(ons, day, lo=at)
        for place in order[at:end]:
            record = records[place]
            kind = type(record)
            if kind is StatusChange:
                slot = index[record.item]  # type: ignore[union-attr]
                latest[slot] = record  # type: ignore[assignment]
            elif kind is Observation:
                slot = index[record.target]  # type: ignore[union-attr]
                if slot not in changed:
                    observed[slot] = list(observed.get(slot, ()))
                observed[slot].append(record)  # type: ignore[arg-type]
            else:
                continue
            changed.add(slot)
        at = end
        yield latest, observed, changed


def _many_knowledges(
    records: Sequence[Record],
    layout: Layout,
    spans: list[tuple[int, int, int, int, int]],
    count: int,
) -> Iterator[_Read]:
    """The reads at `count` dates from the runs of dates each record counts for."""
    spans.sort()
    held: dict[int, list[tuple[int, int, int]]] = {}  # each node's records: place, first, end
    changed_at: list[set[int]] = [set() for _ in range(count + 1)]
    for _, place, slot, first, end in spans:
        held.setdefault(slot, []).append((place, first, end))
        changed_at[first].add(slot)
        changed_at[end].add(slot)
    observes = [isinstance(item, Target) for item in layout.items]
    latest: list[StatusChange | None] = [None] * len(layout.items)
    observed: dict[int, list[Observation]] = {}
    for i in range(count):
        changed = changed_at[i]
        latest, observed = list(latest), dict(observed)
        for slot in changed:
            places = [place for place, first, end in held[slot] if first <= i < end]
            if observes[slot]:
                if places:
                    observed[slot] = [records[place] for place in places]  # type: ignore[misc]
                else:
                    observed.pop(slot, None)
            else:
                latest[slot] = records[places[-1]] if places else None  # type: ignore[assignment]
        yield latest, observed, changed


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
    if any(type(r) not in _SWEPT and not is_withdrawal(r) for r in records):
        return [
            Engine(plan, ledger, day, rules, limit, layout=layout)
            for day, limit in zip(dates, known, strict=True)
        ]
    days = [day.toordinal() for day in dates]
    reads: Iterator[_Read]
    if len(set(known)) == 1:  # one knowledge day: the records it knows, read in day order
        counted = ledger.known_at(known[0]).records
        _check(plan, ledger, layout, list(counted))
        reads = _one_knowledge(counted, layout, days)
    else:
        limits = [_NEVER if limit is None else limit.toordinal() for limit in known]
        spans, known_some = _spans(records, layout.index, days, limits)
        _check(plan, ledger, layout, known_some)
        reads = _many_knowledges(records, layout, spans, len(days))
    engines: list[Engine] = []
    previous: _SweptEngine | None = None
    for day, limit, (latest, observed, changed) in zip(dates, known, reads, strict=True):
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
        )
        engines.append(previous)
    return engines
