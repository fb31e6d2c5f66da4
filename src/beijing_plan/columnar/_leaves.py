"""Leaf completion in columns: the leaf rules (Concepts: "Leaves") written against narwhals.

[`leaf_frame`][beijing_plan.columnar._leaves.leaf_frame] turns the leaves and records
tables into one row per leaf with its completion, expected value, whether it has any
record and whether it is cancelled, following
`beijing_plan._engine.completion` rule for rule:

- revisions dated up to the assessment give each leaf its `start`, `due` and
  `weight` in force and each part its `weight`, `value` and `upper` (see
  `_revisions`), unless `rules.basis` is `"original"`; they are no record of
  progress;
- records dated after the assessment are dropped; among the records of one item
  the latest day wins, and on one day the larger `seq` (later in the ledger).
  An item's records are all observations (a target) or all status changes (a
  task, policy or milestone), so the latest record of each item gives both the
  status in force and a target's last level;
- a target counts one observation per day (the later one); `sum` counts the
  increments dated after the baseline's date (without a baseline: on or after
  the plan's start) and adds them to the baseline's value; `last`, `max`,
  `min` and `mean` take the counted levels of any date;
- a milestone counts 1 once done and 0 otherwise, with no record included; a
  cancelled one is a record of its task but drops out of rule 3;
- rules 1 to 7 then decide each task and policy, and a measure's own target is
  its attainment, or missing without a counted observation.

Every step is a filter, a join on the integer `key`, a group-by or window with
plain sums, counts and extremes, or a column expression, so the same code runs
on polars, DuckDB, pandas and PySpark.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias

import narwhals as nw

from ..rules import Rules
from ._backends import checkpoints, days_for
from ._revisions import revise_leaves, revise_parts, revised_frame
from ._schedule import Days, expected, planned_frame, with_days
from ._tables import SEQ_LIMIT

__all__ = ["Frame", "leaf_frame"]

Frame: TypeAlias = nw.LazyFrame[Any]

_PART_FIELDS = (
    "key",
    "kind",
    "weight",
    "comparator",
    "aggregation",
    "value",
    "upper",
    "baseline",
    "baseline_on",
)


def _null() -> nw.Expr:
    return nw.lit(None, dtype=nw.Float64())


def _ranked(records: Frame, as_of: dt.date, days: Days) -> Frame:
    """The records up to `as_of` with their `day` and a `rank` that orders an item's.

    `day * 2**32 + seq` grows with the day and, within a day, with `seq`.
    """
    day = days.column("on")
    return (
        records.filter((nw.col("on") <= as_of) & (nw.col("kind") != "revision"))
        .select(
            "key",
            "kind",
            "value",
            "status",
            "percent",
            day.alias("day"),
            nw.col("seq").cast(nw.Int64()).alias("seq"),
        )
        .with_columns(rank=nw.col("day") * SEQ_LIMIT + nw.col("seq"))
    )


def _parts(leaves: Frame, days: Days, revised: Frame | None) -> Frame:
    """One row per part of a leaf, with the part's fields as `part_*` columns.

    `since` is the last day before the days a `sum` target adds up: the
    baseline's day, or the day before the plan starts. A target's comparator and
    upper bound become `part_from`, `part_low` and `part_high` (see
    [`_shape`][beijing_plan.columnar._leaves._shape]), after the `revised` weights,
    values and upper bounds take the place of the planned ones.
    """
    # A leaf without parts gives no row.
    exploded = leaves.select(nw.col("key").alias("leaf_key"), "plan_start", "parts").explode(
        "parts", empty_as_null=False, keep_nulls=False
    )
    fields = exploded.select(
        "leaf_key",
        "plan_start",
        *(nw.col("parts").struct.field(name).alias(f"part_{name}") for name in _PART_FIELDS),
    )
    if revised is not None:
        fields = revise_parts(fields, revised)
    since = (
        nw.when(nw.col("part_baseline_on").is_null())
        .then(days.column("plan_start") - 1)
        .otherwise(days.column("part_baseline_on"))
    )
    return fields.with_columns(since=since, **_shape()).drop(
        "plan_start", "part_baseline_on", "part_comparator", "part_upper"
    )


def _unsorted(name: str) -> nw.Expr:
    """The column `name` as it is, but no longer known to be sorted.

    The records' keys are marked sorted, which speeds up the windows over them;
    but polars groups a column it knows to be sorted on a path that takes
    maxima and minima about three times as slowly (polars 2.1, 1.2M rows in 1M
    groups: 195 ms against 72 ms). Adding 0 changes no number and drops the mark.
    """
    return nw.col(name) + 0


def _latest(ranked: Frame) -> Frame:
    """The latest record of each item with any: `key, status, percent, last`.

    An item's records are all status changes or all observations, so one of
    `status` (with `percent`) and `last` (the level observed) is null.
    """
    latest = ranked.filter(nw.col("rank") == nw.col("rank").max().over("key"))
    return latest.select("key", "status", "percent", nw.col("value").alias("last"))


def _daily(ranked: Frame) -> Frame:
    """The observations that count, one a day (the later one): `key, day, value`."""
    observations = ranked.filter(nw.col("kind") == "observation")
    daily = observations.filter(nw.col("rank") == nw.col("rank").max().over("key", "day"))
    return daily.select("key", "day", "value")


def _observed(daily: Frame, parts: Frame) -> Frame:
    """Each observed target's counted levels: `key, n, total, high, low`.

    A `sum` target counts only the days after its `since`; a target with no
    level counted has no row.
    """
    sums = parts.filter(nw.col("part_aggregation") == "sum").select(
        nw.col("part_key").alias("key"), "since"
    )
    counted = daily.join(sums, on="key", how="left").filter(
        nw.col("since").is_null() | (nw.col("day") > nw.col("since"))
    )
    return (
        counted.with_columns(_unsorted("key"))
        .group_by("key")
        .agg(
            nw.len().alias("n"),
            nw.col("value").sum().alias("total"),
            nw.col("value").max().alias("high"),
            nw.col("value").min().alias("low"),
        )
    )


def _shape() -> dict[str, nw.Expr]:
    """How a target's ratio is read from its current value, fixed by its definition.

    Where `part_from` is not null, the ratio is `(c - from) / (T - from)`,
    with `from` the baseline (`at_least` with `T > b`, `at_most` with
    `b > T`, where `(b - c) / (b - T)` is the same quotient) or 0
    (`at_least` with `T > 0`). Elsewhere it is 1 if `c` lies within
    `[part_low, part_high]` (a null bound is open) and 0 if not: `at_least`
    from `T`, `at_most` up to it, `exactly` at it, `between` from `T`
    up to the upper bound.
    """
    t, b = nw.col("part_value"), nw.col("part_baseline")
    comparator = nw.col("part_comparator")
    at_least, at_most = comparator == "at_least", comparator == "at_most"
    from_baseline = (at_least & (t > b)) | (at_most & (b > t))
    start = nw.when(from_baseline).then(b).when(at_least & (t > 0)).then(nw.lit(0.0))
    return {
        "part_from": start,
        "part_low": nw.when(~at_most).then(t),
        "part_high": nw.when(at_most | (comparator == "exactly"))
        .then(t)
        .when(comparator == "between")
        .then(nw.col("part_upper")),
    }


def _ratio() -> nw.Expr:
    """The unclamped attainment of a target at its current value `c`.

    See [`_shape`][beijing_plan.columnar._leaves._shape].
    """
    c, start = nw.col("c"), nw.col("part_from")
    low, high = nw.col("part_low"), nw.col("part_high")
    within = (low.is_null() | (c >= low)) & (high.is_null() | (c <= high))
    return (
        nw.when(~start.is_null())
        .then((c - start) / (nw.col("part_value") - start))
        .otherwise(within.cast(nw.Float64()))
    )


def _current() -> nw.Expr:
    """A target's current value from its counted levels (null without any)."""
    aggregation = nw.col("part_aggregation")
    return (
        nw.when(aggregation == "last")
        .then(nw.col("last"))
        .when(aggregation == "max")
        .then(nw.col("high"))
        .when(aggregation == "min")
        .then(nw.col("low"))
        .when(aggregation == "mean")
        .then(nw.col("total") / nw.col("n"))
        .otherwise(nw.col("part_baseline").fill_null(0.0) + nw.col("total"))
    )


def _part_figures(parts: Frame, facts: Frame, rules: Rules) -> Frame:
    """Per leaf: which parts have records, and the counted parts' weighted sums.

    Columns: `key, recorded_parts, counted_parts, parts_weight, parts_done`:
    how many parts have a record, how many of those rule 3 counts, the sum of
    the counted parts' weights and of their weighted completions. (Counts rather
    than flags: polars sums faster than it takes maxima over sorted keys.)

    A target counts its attainment once observed (a `sum` target: observed
    after its `since` day), else what `rules.missing` says; any observation
    up to the date is a record of it, counted or not, but only a counted one
    makes rule 3 apply. A milestone
    counts 1 once done and 0 otherwise; a cancelled one is a record of its task
    but no part of rule 3. A measure's own target is its leaf's single part
    (with the leaf's key): its weight does not matter there.
    """
    joined = parts.join(facts, left_on="part_key", right_on="key", how="left")
    target = nw.col("part_kind") == "target"
    observed = ~nw.col("n").is_null()
    # Any observation is a record (its latest level is `last`); only counted ones apply.
    seen = ~nw.col("last").is_null()
    missing = nw.lit(0.0) if rules.missing == "zero" else _null()
    attainment = nw.when(observed).then(_ratio().clip(0.0, 1.0)).otherwise(missing)
    milestone = nw.when(nw.col("status") == "done").then(1.0).otherwise(0.0)
    status_counts = (nw.col("status") != "cancelled").fill_null(value=True)
    own = nw.col("part_key") == nw.col("leaf_key")
    figures = joined.with_columns(c=_current()).select(
        "leaf_key",
        nw.when(target).then(seen).otherwise(~nw.col("status").is_null()).alias("recorded"),
        nw.when(target).then(observed).otherwise(~nw.col("status").is_null()).alias("applies"),
        nw.when(target).then(attainment).otherwise(milestone).alias("v"),
        nw.when(target & own).then(nw.lit(1.0)).otherwise(nw.col("part_weight")).alias("w"),
        (target | status_counts).alias("counts"),
    )
    weight = nw.when(nw.col("counts") & ~nw.col("v").is_null()).then(nw.col("w")).otherwise(0.0)
    contributions = figures.select(
        "leaf_key",
        nw.col("recorded").cast(nw.Int64()).alias("recorded"),
        (nw.col("applies") & nw.col("counts")).cast(nw.Int64()).alias("counted"),
        weight.alias("weight"),
        nw.when(nw.col("counts"))
        .then(nw.col("v") * nw.col("w"))
        .otherwise(0.0)
        .fill_null(0.0)
        .alias("done"),
    )
    return (
        contributions.group_by("leaf_key")
        .agg(
            nw.col("recorded").sum().alias("recorded_parts"),
            nw.col("counted").sum().alias("counted_parts"),
            nw.col("weight").sum().alias("parts_weight"),
            nw.col("done").sum().alias("parts_done"),
        )
        .rename({"leaf_key": "key"})
    )


def _completion(rules: Rules) -> nw.Expr:
    status = nw.col("status")
    parts_apply = (nw.col("counted_parts") > 0) & (nw.col("parts_weight") > 0)
    parts_mean = (nw.col("parts_done") / nw.col("parts_weight")).clip(0.0, 1.0)
    chain = (
        nw.when(status == "cancelled")
        .then(_null())
        .when(status == "done")
        .then(nw.lit(1.0))
        .when(parts_apply)
        .then(parts_mean)
        .when(~nw.col("percent").is_null())
        .then(nw.col("percent") / 100.0)
        .when(status == "not_started")
        .then(nw.lit(0.0))
    )
    if rules.in_progress_credit is not None:
        chain = chain.when(status == "in_progress").then(nw.lit(rules.in_progress_credit))
    missing = nw.lit(0.0) if rules.missing == "zero" else _null()
    return chain.otherwise(missing)


def _in_force(records: Frame, as_of: dt.date, days: Days, rules: Rules) -> Frame | None:
    """The revisions in force at `as_of` by item, or `None` with none to apply.

    On polars the frame is computed now, so that a portfolio without revisions
    is assessed as before, with no join.
    """
    if rules.basis == "original":
        return None
    (revised,) = checkpoints((revised_frame(records, as_of, days), "key"))
    if revised.implementation is nw.Implementation.POLARS and not (
        revised.select(nw.len()).collect().item()
    ):
        return None
    return revised


def leaf_frame(leaves: Frame, records: Frame, *, as_of: dt.date, rules: Rules) -> Frame:
    """One row per leaf at `as_of`.

    Columns: `key, measure_set, theme_set, weight, plan_end, due`,
    `completion` (null where unknown or cancelled), `expected`, `recorded`
    (any record of the leaf or its parts) and `cancelled`. The leaves' lists
    and ids stay out: copying them through the joins would cost more than
    joining them back where a roll-up needs them.
    """
    days = days_for(leaves)
    revised = _in_force(records, as_of, days, rules)
    if revised is not None:
        leaves = revise_leaves(leaves, revised)
    ranked = _ranked(records, as_of, days)
    # Four independent steps side by side, then two (see checkpoints).
    parts, latest, daily, planned = checkpoints(
        (_parts(leaves, days, revised), None),
        (_latest(ranked), "key"),
        (_daily(ranked), None),
        (planned_frame(leaves, as_of=as_of, days=days), "key"),
    )
    base = leaves.select("key", "measure_set", "theme_set", "weight", "plan_end", "start", "due")
    # A measure target's own observations are its part's: its status stays null.
    status = latest.filter(~nw.col("status").is_null()).select("key", "status", "percent")
    # What the records say of each item: the latest record and the counted levels.
    facts = latest.join(_observed(daily, parts), on="key", how="left")
    figures, with_status = checkpoints(
        (_part_figures(parts, facts, rules), "key"),
        (with_days(base, days).join(status, on="key", how="left"), "key"),
    )
    return (
        with_status.join(figures, on="key", how="left")
        .join(planned, on="key", how="left")
        .select(
            "key",
            "measure_set",
            "theme_set",
            "weight",
            "plan_end",
            "due",
            _completion(rules).alias("completion"),
            expected(as_of, days).alias("expected"),
            (
                ~nw.col("status").is_null() | (nw.col("recorded_parts") > 0).fill_null(value=False)
            ).alias("recorded"),
            (nw.col("status") == "cancelled").fill_null(value=False).alias("cancelled"),
        )
    )
