"""Schedule in columns: days, expected completion and status (Concepts: "The schedule").

The same rules as `beijing_plan._engine.schedule`, as narwhals expressions and
frames:

- a day is a whole number counted from a fixed date (see
  [`Days`][beijing_plan.columnar._schedule.Days]): on polars the number a date is stored
  as, elsewhere the proleptic ordinal (`date.toordinal()`) computed from the year and
  the day of the year, which every backend gives;
- expected completion is 0 up to the start, 1 from the due date on, and linear
  in days between; a start after the due date is moved to it;
- a trajectory is extended with `(due, 1)` and `(start, 0)` where it has no
  point on those days (a start on the due day takes the due day's point only),
  is linear between points and clamped to [0, 1]; before the start expected is
  0 and after the due day 1, whatever the trajectory says;
- the status is the first that applies of cancelled, no data, done, overdue (the
  assessment's day after the due day), on track (expected 0, or `spi` at least
  `rules.on_track`), at risk (`spi` at least `rules.at_risk`), off track.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias

import attrs
import narwhals as nw

from ..rules import Progress, Rules

__all__ = [
    "ORDINAL",
    "STORED",
    "Days",
    "expected",
    "linear_expected",
    "planned_frame",
    "spi",
    "status",
    "with_days",
]

Frame: TypeAlias = nw.LazyFrame[Any]


@attrs.frozen
class Days:
    """How dates become day numbers on a backend.

    Attributes:
        stored: Whether a date column casts to its day number directly (polars
            stores a date as days since 1970-01-01); otherwise the ordinal is
            computed from the year and the day of the year.
        epoch: The ordinal of day 0.
    """

    stored: bool
    epoch: int

    def of(self, day: dt.date) -> int:
        """The number of `day`."""
        return day.toordinal() - self.epoch

    def column(self, column: str | nw.Expr) -> nw.Expr:
        """The numbers of a date column, as Int64."""
        date = nw.col(column) if isinstance(column, str) else column
        if self.stored:
            return date.cast(nw.Int32()).cast(nw.Int64())
        year = date.dt.year().cast(nw.Int64()) - 1
        ordinal_day = date.dt.ordinal_day().cast(nw.Int64())
        return year * 365 + year // 4 - year // 100 + year // 400 + ordinal_day


#: Days as polars stores them.
STORED = Days(stored=True, epoch=dt.date(1970, 1, 1).toordinal())
#: Proleptic ordinals, computed on any backend.
ORDINAL = Days(stored=False, epoch=0)


def with_days(frame: Frame, days: Days) -> Frame:
    """`frame` with `start_day` and `due_day`; a start after the due day moves to it."""
    start, due = days.column("start"), days.column("due")
    return frame.with_columns(start_day=start, due_day=due).with_columns(
        start_day=nw.when(nw.col("start_day") > nw.col("due_day"))
        .then(nw.col("due_day"))
        .otherwise(nw.col("start_day"))
    )


def linear_expected(as_of: dt.date, days: Days) -> nw.Expr:
    """Expected completion at `as_of` of work from `start_day` to `due_day`."""
    today = nw.lit(days.of(as_of))
    start, due = nw.col("start_day"), nw.col("due_day")
    return (
        nw.when(today >= due)
        .then(nw.lit(1.0))
        .when(today <= start)
        .then(nw.lit(0.0))
        .otherwise((today - start) / (due - start))
    )


def _trajectory_points(leaves: Frame, days: Days) -> Frame:
    """Every point of every trajectory, extended: `key, point_day, fraction`."""
    planned = (
        with_days(
            leaves.filter(nw.col("trajectory").list.len() > 0).select(
                "key", "start", "due", "trajectory"
            ),
            days,
        )
        .explode("trajectory")
        .select(
            "key",
            "start_day",
            "due_day",
            nw.col("trajectory").struct.field("on").alias("on"),
            nw.col("trajectory").struct.field("fraction").cast(nw.Float64()).alias("fraction"),
        )
        .with_columns(point_day=days.column("on"))
    )
    day = nw.col("point_day")
    ends = (
        planned.with_columns(
            on_start=(day == nw.col("start_day")).cast(nw.Int64()),
            on_due=(day == nw.col("due_day")).cast(nw.Int64()),
        )
        .group_by("key")
        .agg(
            nw.col("on_start").sum(),
            nw.col("on_due").sum(),
            nw.col("start_day").max(),
            nw.col("due_day").max(),
        )
    )
    # A start on the due day takes the due day's point only.
    before = ends.filter(
        (nw.col("on_start") == 0) & (nw.col("start_day") < nw.col("due_day"))
    ).select("key", nw.col("start_day").alias("point_day"), nw.lit(0.0).alias("fraction"))
    after = ends.filter(nw.col("on_due") == 0).select(
        "key", nw.col("due_day").alias("point_day"), nw.lit(1.0).alias("fraction")
    )
    points = planned.select("key", "point_day", "fraction")
    return nw.concat([points, before, after], how="vertical")


def planned_frame(leaves: Frame, *, as_of: dt.date, days: Days) -> Frame:
    """The trajectory's value at `as_of` for each leaf with one: `key, planned`.

    The points around the day of the assessment are found with windows over each
    leaf's points: the latest before it and the first on or after it. Before the
    start and after the due day, [`expected`][beijing_plan.columnar._schedule.expected]
    holds 0 and 1 instead.
    """
    today = days.of(as_of)
    day, fraction = nw.col("point_day"), nw.col("fraction")
    around = (
        _trajectory_points(leaves, days)
        .with_columns(
            before=nw.when(day < today).then(day),
            after=nw.when(day >= today).then(day),
        )
        .with_columns(
            prev_day=nw.col("before").max().over("key"),
            next_day=nw.col("after").min().over("key"),
        )
        .with_columns(
            prev=nw.when(day == nw.col("prev_day")).then(fraction).otherwise(nw.lit(0.0)),
            next=nw.when(day == nw.col("next_day")).then(fraction).otherwise(nw.lit(0.0)),
        )
        .group_by("key")
        .agg(
            nw.col("prev_day").max(),
            nw.col("next_day").max(),
            nw.col("prev").sum(),
            nw.col("next").sum(),
        )
    )
    step = (nw.col("next") - nw.col("prev")) * (nw.lit(today) - nw.col("prev_day"))
    interpolated = (
        nw.when(nw.col("prev_day").is_null())
        .then(nw.col("next"))
        .when(nw.col("next_day").is_null())
        .then(nw.col("prev"))
        .otherwise(nw.col("prev") + step / (nw.col("next_day") - nw.col("prev_day")))
    )
    return around.select("key", interpolated.clip(0.0, 1.0).alias("planned"))


def expected(as_of: dt.date, days: Days) -> nw.Expr:
    """Expected completion from `start_day`, `due_day` and `planned` (null: linear)."""
    today = nw.lit(days.of(as_of))
    return (
        nw.when(nw.col("planned").is_null())
        .then(linear_expected(as_of, days))
        .when(today > nw.col("due_day"))
        .then(nw.lit(1.0))
        .when(today < nw.col("start_day"))
        .then(nw.lit(0.0))
        .otherwise(nw.col("planned"))
    )


def spi() -> nw.Expr:
    """`completion / expected`; null when either is unknown or expected is 0."""
    completion, expected = nw.col("completion"), nw.col("expected")
    return (
        nw.when(~completion.is_null() & ~expected.is_null() & (expected > 0))
        .then(completion / expected)
        .otherwise(nw.lit(None, dtype=nw.Float64()))
    )


def status(*, as_of: dt.date, rules: Rules) -> nw.Expr:
    """The status (a [`Progress`][beijing_plan.rules.Progress] value) of each row.

    It reads the columns `cancelled`, `completion`, `expected`, `spi` and
    `due` (a date).
    """
    completion, expected, index = nw.col("completion"), nw.col("expected"), nw.col("spi")
    return (
        nw.when(nw.col("cancelled"))
        .then(nw.lit(Progress.CANCELLED.value))
        .when(completion.is_null())
        .then(nw.lit(Progress.NO_DATA.value))
        .when(completion >= 1.0)
        .then(nw.lit(Progress.DONE.value))
        .when(~nw.col("due").is_null() & (nw.col("due") < as_of))
        .then(nw.lit(Progress.OVERDUE.value))
        .when(expected.is_null() | (expected <= 0))
        .then(nw.lit(Progress.ON_TRACK.value))
        .when(index >= rules.on_track)
        .then(nw.lit(Progress.ON_TRACK.value))
        .when(index >= rules.at_risk)
        .then(nw.lit(Progress.AT_RISK.value))
        .otherwise(nw.lit(Progress.OFF_TRACK.value))
    )
