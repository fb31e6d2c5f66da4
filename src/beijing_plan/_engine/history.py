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
  those dates;
- a leaf's or part's completion depends on its own records (a task's on its
  parts' too): [`timelines`][beijing_plan._engine.timelines.timelines] works it out
  at the dates where they change, and each date's engine takes over the previous
  date's figures and sets those; expected completion, status and the roll-ups
  depend on the date and are computed at every date;
- at a date where no leaf or part gains or loses a record, a cancellation or a
  completion (only completions move), each group takes its weight, coverage, due
  day and counts over from the date before and sums only what its leaves have done
  and were due to have done.

A ledger holding records of another kind than observations and status changes
(revisions) is assessed date by date, each date on its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

import pendulum

from .._collector import paused
from ..ledger import Ledger, Observation, Record, StatusChange, Withdrawal
from ..model import Plan, Target
from ..rules import Rules
from ..units import get_unit
from .completion import Point, counted_points
from .engine import Engine, Layout
from .rollup import Figures, Take, Terms, flat_again, terms, terms_again
from .timelines import Change, Held, records_at, timelines

__all__ = ["sweep"]

#: A day later than any date: the knowledge day of "everything entered".
_NEVER = 10**9

#: The record kinds the sweep reads (withdrawals act through the records they name).
_SWEPT = frozenset((Observation, StatusChange, Withdrawal))


class _SweptEngine(Engine):
    """An engine given by the sweep the figures of the leaves and parts that changed.

    It takes over the previous date's figures of the leaves and parts and sets those
    of `changes`; the expected completion, the status and the roll-ups depend on the
    date and are worked out for every node, the roll-ups from the previous date's
    sums where only completions moved. A target's observations are gathered
    from the sweep's records only when asked for (to explain or forecast it).
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
        held: dict[int, list[Held]],
        number: int,
        changes: list[Change],
        leaves: list[Change],
        previous: _SweptEngine | None,
    ) -> None:
        self._held, self._number = held, number
        self._changes, self._leaves_changed, self._previous = changes, leaves, previous
        super().__init__(plan, ledger, as_of, rules, known_at, layout=layout)
        self._previous = None  # let the previous date's engine go with its own history
        self._changes = self._leaves_changed = []
        self._positions: list[int] = []

    def _read(self) -> None:
        """Nothing to read: the sweep has read the ledger for every date."""

    def _parts(self, positions: Iterable[int]) -> None:
        """The previous date's figures of the leaves and parts, then those that changed."""
        nodes, previous = self.nodes, self._previous
        if previous is None:
            values: dict[int, Decimal] = {}
            ratios: dict[int, float] = {}
        else:
            before, count, leaf_count = previous.nodes, self.sub_end, self.leaf_count
            nodes.completion[:count] = before.completion[:count]
            nodes.recorded[:count] = before.recorded[:count]
            nodes.cancelled[:count] = before.cancelled[:count]
            nodes.rule[:leaf_count] = before.rule[:leaf_count]
            values, ratios = dict(before.values), dict(before.ratios)
        completion, recorded, cancelled, rule = (
            nodes.completion,
            nodes.recorded,
            nodes.cancelled,
            nodes.rule,
        )
        for position, (done, seen, off, _, value, ratio) in self._changes:  # the parts
            completion[position], recorded[position], cancelled[position] = done, seen, off
            if value is not None:
                values[position], ratios[position] = value, ratio  # type: ignore[assignment]
            elif position in values:  # a target whose observations no longer count
                del values[position], ratios[position]
        # Whether no leaf gains or loses a record, a cancellation or a completion.
        same = previous is not None
        changed = self._positions = []
        for position, (done, seen, off, decided, value, ratio) in self._leaves_changed:
            if same and (
                seen != recorded[position]
                or off != cancelled[position]
                or (done is None) != (completion[position] is None)
            ):
                same = False
            completion[position], recorded[position], cancelled[position] = done, seen, off
            rule[position] = decided
            changed.append(position)
            if value is not None:
                values[position], ratios[position] = value, ratio  # type: ignore[assignment]
            elif position in values:
                del values[position], ratios[position]
        nodes.values, nodes.ratios = values, ratios
        self._same = same

    def _leaves(self, positions: Iterable[int]) -> None:
        """Nothing more: `_parts` set the leaves that changed too."""

    def points(self, target: Target, position: int) -> list[Point]:
        counted = records_at(self._held.get(position, ()), self._number)
        return counted_points(target, counted, as_of=self.day, plan_start=self.start)  # type: ignore[arg-type]

    def _flat(self, position: int, members: tuple[int, ...] | range, take: Take) -> Figures:
        """The previous date's figures again, but for the means, when no leaf gained or
        lost a record, a cancellation or a completion.

        Only while the engine is made, for the plan's groups: it then lets the previous
        date's engine go, and units, made later, are numbered by each engine in the
        order they are asked for.
        """
        previous = self._previous
        if previous is None or not self._same:
            return super()._flat(position, members, take)
        return flat_again(previous.groups[position][2], self.terms, take)

    def _terms(self) -> Terms:
        previous = self._previous
        if previous is None:
            return super()._terms()
        changed = self._positions
        if self._same:
            return terms_again(self.nodes, previous.terms, changed)
        return terms(self.nodes, self.leaf_count, previous=previous.terms, changed=changed)


def _entered(record: Record) -> int:
    return (record.recorded or record.on).toordinal()  # type: ignore[union-attr]


def _ends(records: Sequence[Record]) -> dict[str, int]:
    """The day from which each corrected or withdrawn record no longer counts, by its id."""
    ends: dict[str, int] = {}
    for record in records:
        if type(record) is Withdrawal:
            ends[record.record] = record.on.toordinal()
        elif record.supersedes is not None:  # type: ignore[union-attr]
            ends[record.supersedes] = _entered(record)  # type: ignore[union-attr]
    return ends


def _held(
    records: Sequence[Record],
    layout: Layout,
    days: list[int],
    limits: list[int] | None,
) -> tuple[dict[int, list[Held]], set[int], bool]:
    """Each node's records that count at some date, by day (same-day ones in ledger
    order); the nodes some of whose records do not only join those that count (see
    [`timelines`][beijing_plan._engine.timelines.timelines]); and whether a record
    known at some date names a wrong node.

    With `limits` (each date's knowledge day) a record counts from the first date on
    or after its day that knows it until the first that knows what corrects or
    withdraws it; without, `records` are those known at every date, and each counts
    from the first date on or after its day on: every record only joins.
    """
    index, takes = layout.index, layout.takes
    ends = {} if limits is None else _ends(records)
    count = len(days)
    dimensions: dict[str, str] = {}
    held: defaultdict[int, list[Held]] = defaultdict(list)
    unsorted: set[int] = set()  # the nodes whose records are not in day order
    irregular: set[int] = set()
    wrong = False
    for record in records:
        if type(record) is StatusChange:
            slot, need = index.get(record.item), ""  # what its node must take
        elif type(record) is Observation:
            unit = record.value.unit
            slot = index.get(record.target)
            need = dimensions.get(unit) or dimensions.setdefault(unit, get_unit(unit).dimension)
        else:
            continue  # withdrawals act through the records they name
        on = record.on.toordinal()
        first = bisect_left(days, on)  # the first date on or after its day
        end, late = count, False
        if limits is not None:
            # The first date that knows it, and the first that knows what corrects or
            # withdraws it (the number of dates if none does).
            entered = bisect_left(limits, _entered(record))
            named = record.id
            if named is not None and named in ends:
                end = bisect_left(limits, ends[named])
            if entered >= end:
                continue  # no date knows it while it counts
            late = entered > first or end < count
            first = max(entered, first)
        if slot is None or takes[slot] != need:  # see `Layout.takes`
            wrong = True
        elif first < end:
            entries = held[slot]
            if entries and on < entries[-1][0]:
                unsorted.add(slot)
            entries.append((on, record, first, end))
            if late:
                irregular.add(slot)
    for slot in unsorted:
        held[slot].sort(key=_day_of)  # stable: same-day records stay in ledger order
    return held, irregular, wrong


def _day_of(entry: Held) -> int:
    return entry[0]


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
    if not set(map(type, records)) <= _SWEPT:
        return [
            Engine(plan, ledger, day, rules, limit, layout=layout)
            for day, limit in zip(dates, known, strict=True)
        ]
    days = [day.toordinal() for day in dates]
    with paused():  # many small lists and tuples, no cycle
        if len(set(known)) == 1:  # one knowledge day: its records count from their day on
            found = _held(ledger.known_at(known[0]).records, layout, days, None)
        else:
            limits = [_NEVER if limit is None else limit.toordinal() for limit in known]
            found = _held(records, layout, days, limits)
        held, irregular, wrong = found
        if wrong:
            ledger.check(plan)  # fails as an assessment does, with the record's path
        changes, leaves = timelines(held, irregular, layout, days, rules)
        engines: list[Engine] = []
        previous: _SweptEngine | None = None
        for number, (day, limit) in enumerate(zip(dates, known, strict=True)):
            previous = _SweptEngine(
                plan,
                ledger,
                day,
                rules,
                limit,
                layout=layout,
                held=held,
                number=number,
                changes=changes[number],
                leaves=leaves[number],
                previous=previous,
            )
            engines.append(previous)
    return engines
