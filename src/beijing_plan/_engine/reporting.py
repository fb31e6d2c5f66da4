"""Reporting cadence: which reports each leaf owes, and whether each came in on time.

A leaf reports at its cadence: its own `reporting` (a task's or a policy's), else
the plan's; a measure's own target reports at the plan's cadence. A leaf with no
cadence owes nothing.

For each leaf with a cadence, each calendar period (month or quarter) expects a
report when

- the period's end plus the cadence's `due_days` is on or before `as_of`,
- the period overlaps the leaf's `[start, due]`, and
- the leaf was not done or cancelled before the period began (its own status in
  force on the day before the period's first day).

The report for a period is received when an observation or a status change of
the leaf (its own, or one of its targets' or milestones') has `on` in the
period; it is on time when the earliest of them by `recorded` (or `on`) was
entered at most `due_days` after the period's end, late otherwise, and missing
when there is none. Revisions and withdrawals are no reports. The records are
those that count ([`Ledger.known_at`][beijing_plan.ledger.Ledger.known_at] with
the assessment's `known_at`): a record superseded by a correction is replaced by
it, whose `recorded` day is then the one that counts.

Decisions where the design is silent:

- A report entered after `as_of` (with `known_at=None`, which counts every record
  entered) is late, not missing: the record exists, and it was not on time.
- A leaf is silent when it owes at least `n` reports and the last `n` are all
  missing.
- Periods are named `2025-05` (a month) and `2025-Q2` (a quarter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from ..ledger import Observation, Record, Status, StatusChange
from ..model import Cadence, Plan, Policy, Target, Task
from .completion import in_force
from .rollup import Leaf
from .schedule import window

__all__ = [
    "LATE",
    "MISSING",
    "ON_TIME",
    "Owed",
    "Period",
    "cadence_of",
    "leaf_reports",
    "month_span",
    "period_label",
    "periods",
    "silent_leaves",
]

#: What became of an expected report.
ON_TIME, LATE, MISSING = "on_time", "late", "missing"


class Period(NamedTuple):
    """A calendar period: its name and its first and last day (day ordinals)."""

    label: str
    first: int
    last: int


class Owed(NamedTuple):
    """One report a leaf owed for one period.

    Attributes:
        leaf: The leaf's number in the plan's leaves.
        period: The period.
        deadline: The last day the report is on time (the period's end + `due_days`).
        state: `ON_TIME`, `LATE` or `MISSING`.
        received: The day the earliest report was entered, or `None`.
    """

    leaf: int
    period: Period
    deadline: int
    state: str
    received: int | None


def period_label(every: str, year: int, number: int) -> str:
    """The name of the `number`th month or quarter of `year`.

    >>> period_label("quarter", 2025, 2), period_label("month", 2025, 5)
    ('2025-Q2', '2025-05')
    """
    return f"{year:04d}-Q{number}" if every == "quarter" else f"{year:04d}-{number:02d}"


def month_span(year: int, first_month: int, months: int) -> tuple[int, int]:
    """The first and last day (ordinals) of `months` months from `first_month` of `year`.

    >>> [dt.date.fromordinal(day).isoformat() for day in month_span(9999, 10, 3)]
    ['9999-10-01', '9999-12-31']
    """
    first = dt.date(year, first_month, 1).toordinal()
    after = first_month + months
    if after > 12:
        return first, dt.date(year, 12, 31).toordinal()
    return first, dt.date(year, after, 1).toordinal() - 1


def _period(every: str, year: int, number: int) -> Period:
    months = 3 if every == "quarter" else 1
    first, last = month_span(year, (number - 1) * months + 1, months)
    return Period(period_label(every, year, number), first, last)


@lru_cache(maxsize=4096)
def periods(every: str, first: int, last: int) -> tuple[Period, ...]:
    """The calendar months or quarters that overlap the days `[first, last]`, in order.

    Cached: the leaves of a plan share a few spans.
    """
    return tuple(_periods(every, first, last))


def _periods(every: str, first: int, last: int) -> Iterator[Period]:
    if first > last:
        return
    day = dt.date.fromordinal(first)
    months = 3 if every == "quarter" else 1
    year, number = day.year, (day.month - 1) // months + 1
    while True:
        period = _period(every, year, number)
        if period.first > last:
            return
        yield period
        number += 1
        if number > 12 // months:
            if year == dt.MAXYEAR:
                return
            year, number = year + 1, 1


def cadence_of(leaf: Leaf, plan: Plan) -> Cadence | None:
    """The cadence at which `leaf` reports: its own, else the plan's."""
    if isinstance(leaf, Task | Policy) and leaf.reporting is not None:
        return leaf.reporting
    return plan.reporting


def span(leaf: Leaf, plan: Plan) -> tuple[int, int]:
    """The days `[start, due]` a leaf runs (day ordinals), with the plan's defaults.

    The one place that says which due date a report is owed against.
    """
    start, due, _ = window(leaf, plan_start=plan.start.toordinal(), plan_end=plan.end.toordinal())
    return start, due


def _ids(leaf: Leaf) -> tuple[str, ...]:
    """The ids whose records are a leaf's reports: its own, its targets', its milestones'."""
    if isinstance(leaf, Task):
        return (
            leaf.id,
            *(target.id for target in leaf.targets),
            *(ms.id for ms in leaf.milestones),
        )
    return (leaf.id,)


def _entered(record: Observation | StatusChange) -> int:
    return (record.recorded if record.recorded is not None else record.on).toordinal()


def _reports(leaf: Leaf, by_item: Mapping[str, tuple[Record, ...]]) -> list[tuple[int, int]]:
    """`(on, entered)` of each observation or status change that is a report of `leaf`."""
    return [
        (record.on.toordinal(), _entered(record))
        for item_id in _ids(leaf)
        for record in by_item.get(item_id, ())
        if isinstance(record, Observation | StatusChange)
    ]


def _closed_before(own: Sequence[Record], first: int) -> bool:
    """Whether the leaf's own status in force the day before `first` is done or cancelled."""
    status = in_force(own, first - 1)
    return status is not None and status.status in (Status.DONE, Status.CANCELLED)


def leaf_reports(
    plan: Plan,
    leaves: Sequence[Leaf],
    by_item: Mapping[str, tuple[Record, ...]],
    *,
    as_of: int,
) -> list[Owed]:
    """Every report the leaves owe by `as_of`, leaf by leaf in plan order, periods in order.

    Args:
        plan: The plan.
        leaves: Its leaves, in plan order.
        by_item: The records that count, by the item they name, oldest first.
        as_of: The day of the assessment (a day ordinal).
    """
    owed: list[Owed] = []
    for position, leaf in enumerate(leaves):
        cadence = cadence_of(leaf, plan)
        if cadence is None:
            continue
        start, due = span(leaf, plan)
        own = by_item.get(leaf.id, ()) if not isinstance(leaf, Target) else ()
        reports: list[tuple[int, int]] | None = None
        for period in periods(cadence.every, start, due):
            deadline = period.last + cadence.due_days
            if deadline > as_of:
                break
            if _closed_before(own, period.first):
                continue
            if reports is None:
                reports = _reports(leaf, by_item)
            entered = [day for on, day in reports if period.first <= on <= period.last]
            if not entered:
                owed.append(Owed(position, period, deadline, MISSING, None))
                continue
            earliest = min(entered)
            state = ON_TIME if earliest <= deadline else LATE
            owed.append(Owed(position, period, deadline, state, earliest))
    return owed


def silent_leaves(owed: Sequence[Owed], last: int) -> list[int]:
    """The leaves (numbers) whose last `last` owed reports are all missing, in plan order."""
    by_leaf: dict[int, list[str]] = {}
    for row in owed:
        by_leaf.setdefault(row.leaf, []).append(row.state)
    return [
        leaf
        for leaf, states in by_leaf.items()
        if len(states) >= last and all(state == MISSING for state in states[-last:])
    ]
