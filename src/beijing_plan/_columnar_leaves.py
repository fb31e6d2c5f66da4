"""Leaf completion in columns: DESIGN section 4 written against narwhals.

:func:`leaf_frame` turns the leaves and records tables into one row per leaf with
its completion, expected value, whether it has any record and whether it is
cancelled, following :mod:`beijing_plan.completion` rule for rule:

- records dated after the assessment are dropped; among the records of one item
  the latest day wins, and on one day the larger ``seq`` (later in the ledger);
- a target counts one observation per day (the later one); ``sum`` counts the
  increments dated after the baseline's date (without a baseline: on or after
  the plan's start) and adds them to the baseline's value; ``last``, ``max``,
  ``min`` and ``mean`` take the counted levels of any date;
- a milestone counts 1 once done and 0 otherwise, with no record included; a
  cancelled one is a record of its task but drops out of rule 3;
- rules 1 to 7 then decide each task and policy, and a measure's own target is
  its attainment, or missing without a counted observation.

Every step is a filter, a join on the integer ``key``, a group-by or window with
plain sums, counts and extremes, or a column expression, so the same code runs
on polars, DuckDB, pandas and PySpark.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias

import narwhals as nw

from ._columnar_backends import checkpoint
from ._columnar_schedule import linear_expected, planned_frame, with_days
from .rules import Rules

__all__ = ["Frame", "leaf_frame"]

Frame: TypeAlias = nw.LazyFrame[Any]

# Records are ranked by day, then by position in the ledger (see _ranked).
_SHIFT = 2**32
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


def _missing(rules: Rules) -> nw.Expr:
    """The completion of a leaf with nothing recorded (rule 7)."""
    return nw.lit(0.0) if rules.missing == "zero" else _null()


def _ranked(records: Frame, as_of: dt.date) -> Frame:
    """The records up to ``as_of``, each with a rank that orders an item's records.

    The rank only has to grow with the day and, within a day, with ``seq``:
    ``(year * 512 + day of the year) * 2**32 + seq`` does, and is cheaper to
    compute than the day's ordinal.
    """
    on = nw.col("on")
    day = on.dt.year().cast(nw.Int64()) * 512 + on.dt.ordinal_day().cast(nw.Int64())
    return records.filter(on <= as_of).select(
        "key",
        "on",
        "kind",
        "value",
        "status",
        "percent",
        (day * _SHIFT + nw.col("seq").cast(nw.Int64())).alias("rank"),
    )


def _latest(frame: Frame, *partition: str) -> Frame:
    """The rows with the highest rank of their partition (ranks are unique per item)."""
    return frame.filter(nw.col("rank") == nw.col("rank").max().over(*partition))


def _latest_status(ranked: Frame) -> Frame:
    """The status record in force for each item: ``key, status, percent``."""
    status = ranked.filter(nw.col("kind") == "status").select("key", "rank", "status", "percent")
    return _latest(status, "key").select("key", "status", "percent")


def _parts(leaves: Frame) -> Frame:
    """One row per part of a leaf, with the part's fields as ``part_*`` columns."""
    # Leaves without parts are dropped first: an empty list explodes into a row of nulls.
    exploded = (
        leaves.select(nw.col("key").alias("leaf_key"), "plan_start", "parts")
        .filter(nw.col("parts").list.len() > 0)
        .explode("parts")
    )
    return exploded.with_columns(
        nw.col("parts").struct.field(name).alias(f"part_{name}") for name in _PART_FIELDS
    ).drop("parts")


def _current_values(ranked: Frame, targets: Frame) -> Frame:
    """Each observed target's counted values: ``part_key, n, last, high, low, total, mean``."""
    observations = ranked.filter(nw.col("kind") == "observation").select(
        "key", "on", "rank", "value"
    )
    definitions = targets.select(
        nw.col("part_key").alias("key"), "part_aggregation", "part_baseline_on", "plan_start"
    )
    since_baseline = (
        nw.when(nw.col("part_baseline_on").is_null())
        .then(nw.col("on") >= nw.col("plan_start"))
        .otherwise(nw.col("on") > nw.col("part_baseline_on"))
    )
    counted = (
        _latest(observations, "key", "on")
        .join(definitions, on="key", how="inner")
        .filter((nw.col("part_aggregation") != "sum") | since_baseline)
    )
    is_last = nw.col("rank") == nw.col("rank").max().over("key")
    marked = counted.with_columns(
        last=nw.when(is_last).then(nw.col("value")).otherwise(nw.lit(0.0))
    )
    return (
        marked.group_by("key")
        .agg(
            nw.len().alias("n"),
            nw.col("last").sum(),
            nw.col("value").max().alias("high"),
            nw.col("value").min().alias("low"),
            nw.col("value").sum().alias("total"),
            nw.col("value").mean().alias("mean"),
        )
        .rename({"key": "part_key"})
    )


def _ratio() -> nw.Expr:
    """The unclamped attainment of a target at its current value ``c``."""
    c, t = nw.col("c"), nw.col("part_value")
    b, upper = nw.col("part_baseline"), nw.col("part_upper")
    comparator = nw.col("part_comparator")
    has_baseline = ~b.is_null()
    return (
        nw.when((comparator == "at_least") & has_baseline & (t > b))
        .then((c - b) / (t - b))
        .when((comparator == "at_least") & (t > 0))
        .then(c / t)
        .when(comparator == "at_least")
        .then((c >= t).cast(nw.Float64()))
        .when((comparator == "at_most") & has_baseline & (b > t))
        .then((b - c) / (b - t))
        .when(comparator == "at_most")
        .then((c <= t).cast(nw.Float64()))
        .when(comparator == "exactly")
        .then((c == t).cast(nw.Float64()))
        .otherwise(((c >= t) & (c <= upper)).cast(nw.Float64()))
    )


def _current() -> nw.Expr:
    aggregation = nw.col("part_aggregation")
    return (
        nw.when(aggregation == "last")
        .then(nw.col("last"))
        .when(aggregation == "max")
        .then(nw.col("high"))
        .when(aggregation == "min")
        .then(nw.col("low"))
        .when(aggregation == "mean")
        .then(nw.col("mean"))
        .otherwise(nw.col("part_baseline").fill_null(0.0) + nw.col("total"))
    )


def _target_figures(targets: Frame, ranked: Frame, rules: Rules) -> Frame:
    """Each target part's contribution: ``leaf_key, recorded, counted, weight, done``."""
    joined = targets.join(_current_values(ranked, targets), on="part_key", how="left")
    observed = ~nw.col("n").is_null()
    missing = nw.lit(0.0) if rules.missing == "zero" else _null()
    # A measure's own target is its single part (with its leaf's key): its weight
    # does not matter there.
    weight = (
        nw.when(nw.col("part_key") == nw.col("leaf_key"))
        .then(nw.lit(1.0))
        .otherwise(nw.col("part_weight"))
    )
    return (
        joined.with_columns(c=_current())
        .with_columns(
            v=nw.when(observed).then(_ratio().clip(0.0, 1.0)).otherwise(missing),
            recorded=observed.cast(nw.Int64()),
            w=weight,
        )
        .select(
            "leaf_key",
            "recorded",
            nw.col("recorded").alias("counted"),
            nw.when(nw.col("v").is_null()).then(0.0).otherwise(nw.col("w")).alias("weight"),
            (nw.col("v") * nw.col("w")).fill_null(0.0).alias("done"),
        )
    )


def _milestone_figures(milestones: Frame, status: Frame) -> Frame:
    """Each milestone's contribution: ``leaf_key, recorded, counted, weight, done``.

    A milestone counts 1 once done and 0 otherwise; a cancelled one is a record
    of its task but no part of rule 3.
    """
    joined = milestones.join(
        status.select(nw.col("key").alias("part_key"), "status"), on="part_key", how="left"
    )
    recorded = ~nw.col("status").is_null()
    counts = (nw.col("status") != "cancelled").fill_null(value=True)
    weight = nw.col("part_weight")
    return joined.select(
        "leaf_key",
        recorded.cast(nw.Int64()).alias("recorded"),
        (recorded & counts).cast(nw.Int64()).alias("counted"),
        nw.when(counts).then(weight).otherwise(0.0).alias("weight"),
        nw.when(nw.col("status") == "done").then(weight).otherwise(0.0).alias("done"),
    )


def _part_figures(parts: Frame, ranked: Frame, status: Frame, rules: Rules) -> Frame:
    """Per leaf: which parts have records, and the counted parts' weighted sums.

    Columns: ``key, any_recorded, parts_recorded, parts_weight, parts_done``:
    whether any part has a record, whether any part that rule 3 counts has one,
    the sum of the counted parts' weights and of their weighted completions.
    """
    targets = _target_figures(parts.filter(nw.col("part_kind") == "target"), ranked, rules)
    milestones = _milestone_figures(parts.filter(nw.col("part_kind") == "milestone"), status)
    return (
        nw.concat([targets, milestones], how="vertical")
        .group_by("leaf_key")
        .agg(
            nw.col("recorded").max().alias("any_recorded"),
            nw.col("counted").max().alias("parts_recorded"),
            nw.col("weight").sum().alias("parts_weight"),
            nw.col("done").sum().alias("parts_done"),
        )
        .rename({"leaf_key": "key"})
    )


def _completion(rules: Rules) -> nw.Expr:
    status = nw.col("status")
    parts_apply = (nw.col("parts_recorded") > 0) & (nw.col("parts_weight") > 0)
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
    return chain.otherwise(_missing(rules))


def leaf_frame(leaves: Frame, records: Frame, *, as_of: dt.date, rules: Rules) -> Frame:
    """One row per leaf at ``as_of``.

    Columns: ``key, plan, weight, plan_end, due, alone`` (it serves no measure),
    ``completion`` (null where unknown or cancelled), ``expected``, ``recorded``
    (any record of the leaf or its parts) and ``cancelled``. The leaves' lists and
    ids stay out: copying them through the joins would cost more than joining
    them back where a roll-up needs them.
    """
    ranked = checkpoint(_ranked(records, as_of))
    status = checkpoint(_latest_status(ranked))
    figures = _part_figures(checkpoint(_parts(leaves)), ranked, status, rules)
    expected = (
        nw.when(nw.col("planned").is_null())
        .then(linear_expected(as_of))
        .otherwise(nw.col("planned"))
    )
    base = leaves.select(
        "key",
        "plan",
        "weight",
        "plan_end",
        "start",
        "due",
        (nw.col("measures").list.len() == 0).alias("alone"),
    )
    return (
        with_days(base)
        .join(status, on="key", how="left")
        .join(figures, on="key", how="left")
        .join(planned_frame(leaves, as_of=as_of), on="key", how="left")
        .select(
            "key",
            "plan",
            "weight",
            "plan_end",
            "due",
            "alone",
            _completion(rules).alias("completion"),
            expected.alias("expected"),
            (
                ~nw.col("status").is_null() | (nw.col("any_recorded") > 0).fill_null(value=False)
            ).alias("recorded"),
            (nw.col("status") == "cancelled").fill_null(value=False).alias("cancelled"),
        )
    )
