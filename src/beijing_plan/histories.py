"""A plan assessed at several dates, and what changed between them.

[`history`][beijing_plan.histories.history] assesses a plan at a sequence of dates, or at
the ends of its months, quarters or years, as
[Concepts][history-and-change] defines it:

>>> from beijing_plan import Ledger, Measure, Plan, StatusChange, Task
>>> plan = Plan("p", "Plan", start="2025-01-01", end="2025-06-30",
...             measures=[Measure("m", 1, "Measure", tasks=[Task("a", "A")])])
>>> ledger = Ledger([StatusChange("a", "2025-02-10", "in_progress", percent=40),
...                  StatusChange("a", "2025-05-20", "done")])
>>> months = history(plan, ledger, at="quarter")
>>> " ".join(str(day) for day in months.dates)
'2025-03-31 2025-06-30'
>>> march, june = months.assessments()
>>> march.get("a").completion, june.get("a").completion
(0.4, 1.0)
>>> june.compare(march).get("a").transition
<Transition.NEWLY_DONE: 'newly_done'>

The figures at each date are exactly those of
[`assess`][beijing_plan.assessment.assess] at that date, but the dates are
computed together in one sweep over the ledger.

Decisions where the design is silent:

- Dates given as a sequence are sorted and each is kept once; `.dates` holds them
  in that order, and `changes()` compares each with the one before.
- A period end is kept when its period overlaps the plan's span; the last is cut
  at the plan's end (`"month"` over a plan from 2025-03-15 to 2025-12-20 gives the
  ends of March to November, then 2025-12-20).
- `reported_after` is a whole number of days, 0 or more.
- A ledger that holds revisions is assessed date by date, each date on its own
  (the sweep reads observations and status changes); the figures are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

import pendulum

from ._dates import DateLike, as_date
from ._engine.engine import Engine
from ._engine.history import sweep
from ._errors import misuse
from .assessment import Assessment, _as_ledger
from .change import Changes, compare
from .exceptions import DateNotInHistoryError, PlanValidationError
from .ledger import Ledger, Record
from .model import Plan
from .rules import Rules

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes

__all__ = ["History", "history", "period_ends"]

#: The periods `at` may name, and how many months each holds.
PERIODS: Final = {"month": 1, "quarter": 3, "year": 12}
#: How many dates an error message names before it stops.
_SHOWN = 6


def period_ends(start: DateLike, end: DateLike, every: str) -> list[pendulum.Date]:
    """The last days of the calendar periods that overlap `start` to `end`, the last cut at `end`.

    >>> " ".join(str(day) for day in period_ends("2025-03-15", "2025-12-20", "quarter"))
    '2025-03-31 2025-06-30 2025-09-30 2025-12-20'
    """
    months = PERIODS.get(every) if isinstance(every, str) else None
    if months is None:
        raise PlanValidationError([("at", _not_a_period(every))])
    first, last = as_date(start), as_date(end)
    ends: list[pendulum.Date] = []
    month = (first.month - 1) // months * months + months  # the first period's last month
    year = first.year
    while True:
        if month > 12:
            year, month = year + 1, month - 12
        day = pendulum.Date(year, month, 1).end_of("month")
        if day >= last:
            ends.append(last)
            return ends
        ends.append(day)
        month += months


def _not_a_period(value: object) -> str:
    names = ", ".join(repr(name) for name in PERIODS)
    return f"{value!r} is not one of {names} or a sequence of dates"


def _dates(plan: Plan, at: object) -> list[pendulum.Date]:
    if isinstance(at, str):
        if at in PERIODS:
            return period_ends(plan.start, plan.end, at)
        raise PlanValidationError([("at", _not_a_period(at))])
    if not isinstance(at, Iterable) or isinstance(at, bytes):
        raise PlanValidationError([("at", _not_a_period(at))])
    days: set[pendulum.Date] = set()
    problems: list[tuple[str, str]] = []
    for i, value in enumerate(at):
        try:
            days.add(as_date(value))
        except PlanValidationError as error:
            problems.extend(error.prefixed(f"at[{i}]").problems)
    if problems:
        raise PlanValidationError(problems)
    if not days:
        raise PlanValidationError([("at", "gives no date")])
    return sorted(days)


def _knowledge(
    dates: Sequence[pendulum.Date], known_at: DateLike | None, reported_after: object
) -> list[pendulum.Date | None]:
    if reported_after is None:
        if known_at is None:
            return [None] * len(dates)
        try:
            day = as_date(known_at)
        except PlanValidationError as error:
            raise error.prefixed("known_at") from None
        return [day] * len(dates)
    if known_at is not None:
        message = f"{reported_after!r} cannot be given with known_at ({known_at!r})"
        raise PlanValidationError([("reported_after", message)])
    if isinstance(reported_after, bool) or not isinstance(reported_after, int):
        message = f"{reported_after!r} is not a whole number of days"
        raise PlanValidationError([("reported_after", message)])
    if reported_after < 0:
        message = f"{reported_after!r} is negative; it counts days after each date"
        raise PlanValidationError([("reported_after", message)])
    return [day.add(days=reported_after) for day in dates]


class History:
    """A plan assessed at several dates; see [`history`][beijing_plan.histories.history].

    `history[date]` gives the [`Assessment`][beijing_plan.assessment.Assessment] at a
    date of `dates` (a `pendulum.Date`, `datetime.date` or ISO string); iterating gives
    the dates; `len` counts them.

    Attributes:
        plan: The plan assessed.
        ledger: The ledger it was assessed against.
        rules: The rules applied.
        dates: The dates, ascending.
        known: The knowledge day of each date (`None`: every record entered).
    """

    __slots__ = ("_assessments", "_engines", "dates", "known", "ledger", "plan", "rules")

    def __init__(self, engines: Sequence[Engine]) -> None:
        first = engines[0]
        self.plan, self.ledger, self.rules = first.plan, first.ledger, first.rules
        self.dates: tuple[pendulum.Date, ...] = tuple(engine.as_of for engine in engines)
        self.known: tuple[pendulum.Date | None, ...] = tuple(e.known_at for e in engines)
        self._engines = tuple(engines)
        self._assessments: dict[int, Assessment] = {}

    def _at(self, position: int) -> Assessment:
        found = self._assessments.get(position)
        if found is None:
            found = self._assessments[position] = Assessment._of(self._engines[position])
        return found

    def _position(self, key: object) -> int:
        try:
            day = as_date(key)  # type: ignore[arg-type]
        except (PlanValidationError, TypeError):
            day = None
        if day is not None and day in self.dates:
            return self.dates.index(day)
        shown = ", ".join(str(date) for date in self.dates[:_SHOWN])
        if len(self.dates) > _SHOWN:
            shown += f", ... ({len(self.dates)} dates)"
        what = f"{key!r} is not a date" if day is None else f"{day} is not a date"
        raise DateNotInHistoryError(f"{what} of this history: {shown}")

    def __getitem__(self, key: DateLike) -> Assessment:
        return self._at(self._position(key))

    def __contains__(self, key: object) -> bool:
        try:
            self._position(key)
        except DateNotInHistoryError:
            return False
        return True

    def __len__(self) -> int:
        return len(self.dates)

    def __iter__(self) -> Iterator[pendulum.Date]:
        return iter(self.dates)

    def __repr__(self) -> str:
        span = f"{self.dates[0]} to {self.dates[-1]}" if len(self.dates) > 1 else str(self.dates[0])
        return f"<History of {self.plan.id!r}: {len(self.dates)} dates, {span}>"

    def assessments(self) -> Iterator[Assessment]:
        """The assessment at each date, in date order."""
        return (self._at(position) for position in range(len(self.dates)))

    def changes(self) -> dict[pendulum.Date, Changes]:
        """What changed at each date since the one before, by the later date.

        The first date has no entry. Each value is the
        [`Changes`][beijing_plan.change.Changes] of
        [`Assessment.compare`][beijing_plan.assessment.Assessment.compare].
        """
        return {
            self.dates[i]: compare(self._at(i), self._at(i - 1)) for i in range(1, len(self.dates))
        }

    def to_pandas(self) -> pd.DataFrame:
        """One row per date and node (the `pandas` extra): date, id, kind, completion,
        expected, status, coverage."""
        from .frames import history_frame  # noqa: PLC0415 (presentation loads on first use)

        return history_frame(self, backend="pandas")

    def to_polars(self) -> pl.DataFrame:
        """The rows of [`to_pandas`][beijing_plan.histories.History.to_pandas], in polars
        (the `polars` extra)."""
        from .frames import history_frame  # noqa: PLC0415 (presentation loads on first use)

        return history_frame(self, backend="polars")

    def _repr_html_(self) -> str:
        from ._timeline import history_html  # noqa: PLC0415 (presentation loads on first use)

        return history_html(self)

    def plot(self, ids: Sequence[str] | None = None, **options: Any) -> Axes:
        """Completion over time against the expected line, points coloured by status.

        Options are those of
        [`beijing_plan.charts.plot_timeline`][beijing_plan.charts.plot_timeline]
        (the `plot` extra); `ids` defaults to the plan's.
        """
        from .charts import plot_timeline  # noqa: PLC0415 (presentation loads on first use)

        return plot_timeline(self, ids, **options)


def history(
    plan: Plan,
    ledger: Ledger | Iterable[Record] | None = None,
    *,
    at: Sequence[DateLike] | str,
    rules: Rules | None = None,
    known_at: DateLike | None = None,
    reported_after: int | None = None,
) -> History:
    """Assess `plan` against `ledger` at several dates.

    Args:
        plan: The plan.
        ledger: What happened; nothing when omitted.
        at: The dates (dates, `datetime.date`s or ISO strings), or `"month"`,
            `"quarter"` or `"year"`: the ends of those calendar periods that overlap
            the plan's span, the last one cut at the plan's end.
        rules: The rules; [`Rules`][beijing_plan.rules.Rules] defaults when omitted.
        known_at: Assess every date with what was known on this day (as
            [`assess`][beijing_plan.assessment.assess] does); `None` counts every
            record entered.
        reported_after: Assess each date D with what was known D + this many days:
            each date as it was reported then, so that later restatements show.
            Not with `known_at`.

    Raises:
        PlanValidationError: for a bad date, period or `reported_after`, both
            `known_at` and `reported_after`, or (as
            [`UnknownReferenceError`][beijing_plan.exceptions.UnknownReferenceError])
            records that name ids the plan does not have.
        TypeError: for a `plan`, `ledger` or `rules` of the wrong type.
    """
    if not isinstance(plan, Plan):
        raise misuse("plan", "a Plan", plan)
    checked = _as_ledger(ledger)
    if rules is None:
        rules = Rules()
    elif not isinstance(rules, Rules):
        raise misuse("rules", "a Rules", rules)
    dates = _dates(plan, at)
    known = _knowledge(dates, known_at, reported_after)
    return History(sweep(plan, checked, dates, rules, known))
