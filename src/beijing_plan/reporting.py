"""Who reports on time: the reporting compliance of an assessment (按时报送率).

[`Assessment.reporting`][beijing_plan.assessment.Assessment.reporting] gives a
[`Reporting`][beijing_plan.reporting.Reporting]: for each responsible unit (or
each leaf) and each period, how many reports were expected, how many came in on
time, late, or not at all, and the on-time rate; and the leaves gone silent.
[Concepts][reporting-cadence] gives the rules.

>>> from beijing_plan import Cadence, Measure, Plan, StatusChange, Task, assess
>>> plan = Plan("p", "P", start="2025-01-01", end="2025-12-31",
...             reporting=Cadence("quarter", due_days=10),
...             measures=[Measure("m", 1, "M", tasks=[Task("a", "A", lead=["发改委"])])])
>>> ledger = [StatusChange("a", "2025-03-20", "in_progress", recorded="2025-04-10")]
>>> row = assess(plan, ledger, as_of="2025-07-10").reporting().rows[0]
>>> row.id, row.period, row.expected, row.on_time, row.missing, row.rate
('发改委', '2025-Q1', 1, 1, 0, 1.0)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from ._engine.reporting import LATE, MISSING, ON_TIME, Owed, Period, month_span
from ._engine.units import unit_members
from ._errors import fail

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes

    from ._engine.rollup import Leaf
    from .model import Plan

__all__ = ["LeafReport", "Reporting", "ReportingRow", "period_days"]

#: What a reporting can be listed by.
REPORTING_BY = ("unit", "leaf")

_PERIOD = re.compile(r"(\d{4})(?:-Q([1-4])|-(\d{2}))?")


@lru_cache(maxsize=8192)
def _day(ordinal: int) -> pendulum.Date:
    """The date of a day ordinal, cached: reports repeat a few hundred days."""
    return pendulum.Date.fromordinal(ordinal)


def period_days(period: str) -> tuple[pendulum.Date, pendulum.Date]:
    """The first and last day of a period named `YYYY`, `YYYY-Qn` or `YYYY-MM`.

    >>> first, last = period_days("2025-Q2")
    >>> str(first), str(last)
    ('2025-04-01', '2025-06-30')

    Raises:
        PlanValidationError: for any other text, at the path `period`.
    """
    found = _PERIOD.fullmatch(period) if isinstance(period, str) else None
    month = int(found.group(3)) if found is not None and found.group(3) else 1
    if found is None or not 1 <= month <= 12 or int(found.group(1)) < 1:
        msg = f"{period!r} is not a period (YYYY, YYYY-Qn or YYYY-MM)"
        raise fail("period", msg)
    year = int(found.group(1))
    if found.group(2):
        first_month, months = (int(found.group(2)) - 1) * 3 + 1, 3
    elif found.group(3):
        first_month, months = month, 1
    else:
        first_month, months = 1, 12
    first, last = month_span(year, first_month, months)
    return _day(first), _day(last)


@attrs.frozen
class ReportingRow:
    """How one unit (or leaf) reported for one period, or over all periods.

    Attributes:
        id: The unit's name, or the leaf's id.
        kind: `"unit"`, or the leaf's kind (`"task"`, `"policy"`, `"target"`).
        period: The period's name (`2025-05`, `2025-Q2`), or `None` for all periods.
        start: The period's first day (`None` for all periods).
        end: The period's last day (`None` for all periods).
        expected: How many reports were expected.
        on_time: How many came in by the period's end plus `due_days`.
        late: How many came in later.
        missing: How many did not come in.
    """

    id: str
    kind: str
    period: str | None
    start: pendulum.Date | None
    end: pendulum.Date | None
    expected: int
    on_time: int
    late: int
    missing: int

    @property
    def rate(self) -> float | None:
        """The on-time rate, `on_time / expected` (`None` when nothing was expected)."""
        return self.on_time / self.expected if self.expected else None


@attrs.frozen
class LeafReport:
    """One report a leaf owed for one period, and what became of it.

    Attributes:
        leaf: The leaf's id.
        kind: `"task"`, `"policy"` or `"target"`.
        period: The period's name.
        start: The period's first day.
        end: The period's last day.
        deadline: The last day the report is on time.
        state: `"on_time"`, `"late"` or `"missing"`.
        received: The day the earliest report was entered, or `None` when missing.
    """

    leaf: str
    kind: str
    period: str
    start: pendulum.Date
    end: pendulum.Date
    deadline: pendulum.Date
    state: str
    received: pendulum.Date | None


@attrs.frozen
class Reporting:
    """The reporting compliance of an assessment; see
    [`Assessment.reporting`][beijing_plan.assessment.Assessment.reporting].

    Attributes:
        as_of: The date of the assessment.
        by: `"unit"` or `"leaf"`: what each row is about.
        role: For `by="unit"`, the units' role (`"lead"`, `"partner"` or `"any"`).
        rows: One row per unit (or leaf) and period with a report expected, units in
            plan order, periods by their last day (a month before the quarter it ends).
        reports: Every report owed, leaf by leaf in plan order.
        silent: The ids of the leaves whose last `silent_after` reports are all missing.
        silent_after: How many missing reports in a row make a leaf silent.
    """

    as_of: pendulum.Date
    by: str
    role: str
    rows: tuple[ReportingRow, ...]
    reports: tuple[LeafReport, ...]
    silent: tuple[str, ...]
    silent_after: int

    def totals(self) -> dict[str, ReportingRow]:
        """Each unit's (or leaf's) counts over every period, in the order of `rows`."""
        found: dict[str, list[ReportingRow]] = {}
        for row in self.rows:
            found.setdefault(row.id, []).append(row)
        return {
            key: ReportingRow(
                key,
                rows[0].kind,
                None,
                None,
                None,
                sum(row.expected for row in rows),
                sum(row.on_time for row in rows),
                sum(row.late for row in rows),
                sum(row.missing for row in rows),
            )
            for key, rows in found.items()
        }

    def within(self, period: str) -> Reporting:
        """The rows and reports of the periods that lie within `period` (`YYYY`,
        `YYYY-Qn` or `YYYY-MM`): `"2025-Q2"` keeps April, May, June and the second
        quarter.

        Raises:
            PlanValidationError: for a period not so written.
        """
        first, last = period_days(period)
        return attrs.evolve(
            self,
            rows=tuple(
                row
                for row in self.rows
                if row.start is not None and row.end is not None
                if first <= row.start and row.end <= last
            ),
            reports=tuple(r for r in self.reports if first <= r.start and r.end <= last),
        )

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (the `pandas` extra); see
        [`reporting_frame`][beijing_plan.frames.reporting_frame]."""
        from .frames import reporting_frame  # noqa: PLC0415 (presentation loads on first use)

        return reporting_frame(self, backend="pandas")

    def to_polars(self) -> pl.DataFrame:
        """The rows as a polars DataFrame (the `polars` extra)."""
        from .frames import reporting_frame  # noqa: PLC0415 (presentation loads on first use)

        return reporting_frame(self, backend="polars")

    def plot(self, **options: Any) -> Axes:
        """Rows by periods, each cell coloured on time, late or missing (the `plot` extra).

        Options are those of
        [`beijing_plan.charts.plot_reporting`][beijing_plan.charts.plot_reporting].
        """
        from .charts import plot_reporting  # noqa: PLC0415 (presentation loads on first use)

        return plot_reporting(self, **options)


def check_by(by: object) -> str:
    """`by` if it is `"unit"` or `"leaf"`, else our error at the path `by`."""
    if isinstance(by, str) and by in REPORTING_BY:
        return by
    raise fail("by", f"{by!r} is not one of 'unit', 'leaf'")


def check_silent_after(value: object) -> int:
    """`value` if it is a whole number of at least 1, else our error at `silent_after`."""
    if type(value) is not int or value < 1:
        raise fail("silent_after", f"{value!r} is not a whole number of at least 1")
    return value


def _kind(leaf: Leaf) -> str:
    return type(leaf).__name__.lower()


def _leaf_report(owed: Owed, leaves: Sequence[Leaf]) -> LeafReport:
    leaf = leaves[owed.leaf]
    return LeafReport(
        leaf.id,
        _kind(leaf),
        owed.period.label,
        _day(owed.period.first),
        _day(owed.period.last),
        _day(owed.deadline),
        owed.state,
        None if owed.received is None else _day(owed.received),
    )


def _count(key: str, kind: str, period: Period, states: Sequence[str]) -> ReportingRow:
    return ReportingRow(
        key,
        kind,
        period.label,
        _day(period.first),
        _day(period.last),
        len(states),
        states.count(ON_TIME),
        states.count(LATE),
        states.count(MISSING),
    )


def build_reporting(
    plan: Plan,
    leaves: Sequence[Leaf],
    owed: Sequence[Owed],
    silent: Sequence[int],
    *,
    as_of: pendulum.Date,
    by: str,
    role: str,
    silent_after: int,
) -> Reporting:
    """The [`Reporting`][beijing_plan.reporting.Reporting] of the reports `owed`."""
    by_leaf: dict[int, list[Owed]] = {}
    for row in owed:
        by_leaf.setdefault(row.leaf, []).append(row)
    rows: list[ReportingRow] = []
    if by == "leaf":
        for position, owed_rows in by_leaf.items():
            kind = _kind(leaves[position])
            rows.extend(
                _count(leaves[position].id, kind, row.period, [row.state]) for row in owed_rows
            )
    else:
        for unit, members in unit_members(plan, tuple(leaves), role).items():
            states: dict[Period, list[str]] = {}
            for position in members:
                for row in by_leaf.get(position, ()):
                    states.setdefault(row.period, []).append(row.state)
            # By last day, a month before the quarter that ends with it.
            ordered = sorted(states, key=lambda p: (p.last, -p.first, p.label))
            rows.extend(_count(unit, "unit", period, states[period]) for period in ordered)
    return Reporting(
        as_of,
        by,
        role,
        tuple(rows),
        tuple(_leaf_report(row, leaves) for row in owed),
        tuple(leaves[position].id for position in silent),
        silent_after,
    )
