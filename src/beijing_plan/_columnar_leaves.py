"""Leaf completion in columns: DESIGN section 4 written against narwhals.

:func:`leaf_frame` turns the leaves and records tables into one row per leaf with
its completion, expected value, whether it has any record and whether it is
cancelled, following :mod:`beijing_plan.completion` rule for rule:

- records dated after the assessment are dropped; among the records of one item
  the latest day wins, and on one day the larger ``seq`` (later in the ledger).
  An item's records are all observations (a target) or all status changes (a
  task, policy or milestone), so the latest record of each item gives both the
  status in force and a target's last level;
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

from ._columnar_backends import checkpoint, days_for
from ._columnar_schedule import Days, linear_expected, planned_frame, with_days
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


def _ranked(records: Frame, as_of: dt.date, days: Days) -> Frame:
    """The records up to ``as_of`` with their ``day`` and a ``rank`` that orders an item's.

    ``day * 2**32 + seq`` grows with the day and, within a day, with ``seq``.
    """
    day = days.column("on")
    return (
        records.filter(nw.col("on") <= as_of)
        .select(
            "key",
            "kind",
            "value",
            "status",
            "percent",
            day.alias("day"),
            nw.col("seq").cast(nw.Int64()).alias("seq"),
        )
        .with_columns(rank=nw.col("day") * _SHIFT + nw.col("seq"))
    )


def _parts(leaves: Frame, days: Days) -> Frame:
    """One row per part of a leaf, with the part's fields as ``part_*`` columns.

    ``since`` is the last day before the days a ``sum`` target adds up: the
    baseline's day, or the day before the plan starts.
    """
    # Leaves without parts are dropped first: an empty list explodes into a row of nulls.
    exploded = (
        leaves.select(nw.col("key").alias("leaf_key"), "plan_start", "parts")
        .filter(nw.col("parts").list.len() > 0)
        .explode("parts")
    )
    fields = exploded.select(
        "leaf_key",
        "plan_start",
        *(nw.col("parts").struct.field(name).alias(f"part_{name}") for name in _PART_FIELDS),
    )
    since = (
        nw.when(nw.col("part_baseline_on").is_null())
        .then(days.column("plan_start") - 1)
        .otherwise(days.column("part_baseline_on"))
    )
    return fields.with_columns(since=since).drop("plan_start", "part_baseline_on")


def _observed(ranked: Frame, parts: Frame) -> Frame:
    """Each observed target's counted levels: ``key, n, total, high, low``.

    A target counts one level a day (the later one); a ``sum`` target only the
    days after its ``since``. A target with no level counted has no row.
    """
    observations = ranked.filter(nw.col("kind") == "observation").select(
        "key", "day", "rank", "value"
    )
    daily = observations.filter(nw.col("rank") == nw.col("rank").max().over("key", "day"))
    sums = parts.filter(nw.col("part_aggregation") == "sum").select(
        nw.col("part_key").alias("key"), "since"
    )
    counted = daily.join(sums, on="key", how="left").filter(
        nw.col("since").is_null() | (nw.col("day") > nw.col("since"))
    )
    return counted.group_by("key").agg(
        nw.len().alias("n"),
        nw.col("value").sum().alias("total"),
        nw.col("value").max().alias("high"),
        nw.col("value").min().alias("low"),
    )


def _facts(ranked: Frame, parts: Frame) -> Frame:
    """What the records say of each item, one row per item with any record up to the date.

    Columns: ``key``; ``status`` and ``percent`` from the latest record (for a
    status change); ``last``, the level of the latest observation; and the
    counted levels of a target (see :func:`_observed`), null without any.
    """
    latest = ranked.filter(nw.col("rank") == nw.col("rank").max().over("key")).select(
        "key", "status", "percent", nw.col("value").alias("last")
    )
    return latest.join(_observed(ranked, parts), on="key", how="left")


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

    Columns: ``key, any_recorded, parts_recorded, parts_weight, parts_done``:
    whether any part has a record, whether any part that rule 3 counts has one,
    the sum of the counted parts' weights and of their weighted completions.

    A target counts its attainment once observed (a ``sum`` target: observed
    after its ``since`` day), else what ``rules.missing`` says. A milestone
    counts 1 once done and 0 otherwise; a cancelled one is a record of its task
    but no part of rule 3. A measure's own target is its leaf's single part
    (with the leaf's key): its weight does not matter there.
    """
    joined = parts.join(facts, left_on="part_key", right_on="key", how="left")
    target = nw.col("part_kind") == "target"
    observed = ~nw.col("n").is_null()
    missing = nw.lit(0.0) if rules.missing == "zero" else _null()
    attainment = nw.when(observed).then(_ratio().clip(0.0, 1.0)).otherwise(missing)
    milestone = nw.when(nw.col("status") == "done").then(1.0).otherwise(0.0)
    status_counts = (nw.col("status") != "cancelled").fill_null(value=True)
    own = nw.col("part_key") == nw.col("leaf_key")
    figures = joined.with_columns(c=_current()).select(
        "leaf_key",
        nw.when(target).then(observed).otherwise(~nw.col("status").is_null()).alias("recorded"),
        nw.when(target).then(attainment).otherwise(milestone).alias("v"),
        nw.when(target & own).then(nw.lit(1.0)).otherwise(nw.col("part_weight")).alias("w"),
        (target | status_counts).alias("counts"),
    )
    weight = nw.when(nw.col("counts") & ~nw.col("v").is_null()).then(nw.col("w")).otherwise(0.0)
    contributions = figures.select(
        "leaf_key",
        nw.col("recorded").cast(nw.Int64()).alias("recorded"),
        (nw.col("recorded") & nw.col("counts")).cast(nw.Int64()).alias("counted"),
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
    missing = nw.lit(0.0) if rules.missing == "zero" else _null()
    return chain.otherwise(missing)


def leaf_frame(leaves: Frame, records: Frame, *, as_of: dt.date, rules: Rules) -> Frame:
    """One row per leaf at ``as_of``.

    Columns: ``key, measure_set, theme_set, weight, plan_end, due``,
    ``completion`` (null where unknown or cancelled), ``expected``, ``recorded``
    (any record of the leaf or its parts) and ``cancelled``. The leaves' lists
    and ids stay out: copying them through the joins would cost more than
    joining them back where a roll-up needs them.
    """
    days = days_for(leaves)
    parts = checkpoint(_parts(leaves, days))
    facts = checkpoint(_facts(_ranked(records, as_of, days), parts), "key")
    figures = checkpoint(_part_figures(parts, facts, rules), "key")
    expected = (
        nw.when(nw.col("planned").is_null())
        .then(linear_expected(as_of, days))
        .otherwise(nw.col("planned"))
    )
    base = leaves.select("key", "measure_set", "theme_set", "weight", "plan_end", "start", "due")
    # A measure target's own observations are its part's: its status stays null.
    status = facts.filter(~nw.col("status").is_null()).select("key", "status", "percent")
    with_status = checkpoint(with_days(base, days).join(status, on="key", how="left"), "key")
    return (
        with_status.join(figures, on="key", how="left")
        .join(planned_frame(leaves, as_of=as_of, days=days), on="key", how="left")
        .select(
            "key",
            "measure_set",
            "theme_set",
            "weight",
            "plan_end",
            "due",
            _completion(rules).alias("completion"),
            expected.alias("expected"),
            (
                ~nw.col("status").is_null() | (nw.col("any_recorded") > 0).fill_null(value=False)
            ).alias("recorded"),
            (nw.col("status") == "cancelled").fill_null(value=False).alias("cancelled"),
        )
    )
