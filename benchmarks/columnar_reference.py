"""A hand-written polars pipeline of the columnar engine's figures, for bench_reference.py.

[`reference`][columnar_reference.reference] computes, from the same leaves and records
tables that [`to_tables`][beijing_plan.columnar.to_tables] makes, what
[`assess_tables`][beijing_plan.columnar.assess_tables] gives at the four levels: each
leaf's completion, expected value and status, and each plan's, measure's and theme's
completion, expected value and coverage (flat roll-up, any `missing` rule). It is one
lazy polars query written straight from Concepts, without narwhals, checks or sets:
records up to the date, the latest of each item and the last of each day by a window,
the parts of every leaf exploded, the leaves' figures joined by key, and each level a
group-by of the leaves (their measures and themes exploded). The part shared by every
level, the leaf figures, is cached in the query plan.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from beijing_plan.rules import Rules

__all__ = ["reference"]

#: Every `seq` is below this, so `day * SEQ_LIMIT + seq` orders an item's records.
SEQ_LIMIT = 2**32
_EPOCH = dt.date(1970, 1, 1)


def _latest_and_daily(records: pl.LazyFrame, as_of: dt.date) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Each item's latest record (`key, status, percent, last`), and each day's last observation."""
    day = pl.col("on").cast(pl.Int64)
    ranked = records.filter(pl.col("on") <= as_of).select(
        "key", "kind", "value", "status", "percent", day=day, rank=day * SEQ_LIMIT + pl.col("seq")
    )
    rank = pl.col("rank")
    latest = ranked.filter(rank == rank.max().over("key")).select(
        "key", "status", "percent", last="value"
    )
    daily = (
        ranked.filter(pl.col("kind") == "observation")
        .filter(rank == rank.max().over("key", "day"))
        .select("key", "day", "value")
    )
    return latest, daily


def _parts(leaves: pl.LazyFrame) -> pl.LazyFrame:
    """One row per part, with `since`: the last day before a `sum` target counts."""
    part = pl.col("parts").struct.field
    fields = ("key", "kind", "weight", "comparator", "aggregation", "value", "upper", "baseline")
    plan_eve = pl.col("plan_start") - pl.duration(days=1)
    return (
        leaves.select("plan_start", "parts", leaf_key="key")
        .filter(pl.col("parts").list.len() > 0)
        .explode("parts")
        .select(
            "leaf_key",
            *(part(name) for name in fields),
            since=pl.coalesce(part("baseline_on"), plan_eve).cast(pl.Int64),
        )
    )


def _attainment() -> pl.Expr:
    """A target's unclamped ratio at its current value `c`, by its comparator."""
    t, b, c = pl.col("value"), pl.col("baseline"), pl.col("c")
    comparator = pl.col("comparator")
    at_least, at_most = comparator == "at_least", comparator == "at_most"
    return (
        pl.when(at_least & (t > b))
        .then((c - b) / (t - b))
        .when(at_least)
        .then(pl.when(t > 0).then(c / t).otherwise((c >= t).cast(pl.Float64)))
        .when(at_most & (b > t))
        .then((b - c) / (b - t))
        .when(at_most)
        .then((c <= t).cast(pl.Float64))
        .when(comparator == "exactly")
        .then((c == t).cast(pl.Float64))
        .otherwise(((c >= t) & (c <= pl.col("upper"))).cast(pl.Float64))
    )


def _current() -> pl.Expr:
    """A target's current value from its latest level and counted levels."""
    aggregation = pl.col("aggregation")
    return (
        pl.when(aggregation == "last")
        .then(pl.col("last"))
        .when(aggregation == "max")
        .then(pl.col("high"))
        .when(aggregation == "min")
        .then(pl.col("low"))
        .when(aggregation == "mean")
        .then(pl.col("total") / pl.col("n"))
        .otherwise(pl.col("baseline").fill_null(0.0) + pl.col("total"))
    )


def _part_figures(
    parts: pl.LazyFrame, latest: pl.LazyFrame, daily: pl.LazyFrame, missing: pl.Expr
) -> pl.LazyFrame:
    """Per leaf: parts recorded, parts counted, and the counted parts' weighted sums."""
    sums = parts.filter(pl.col("aggregation") == "sum").select("key", "since")
    counted = daily.join(sums, on="key", how="left").filter(
        pl.col("since").is_null() | (pl.col("day") > pl.col("since"))
    )
    value = pl.col("value")
    observed = counted.group_by("key").agg(
        n=pl.len(), total=value.sum(), high=value.max(), low=value.min()
    )
    target, status = pl.col("kind") == "target", pl.col("status")
    seen = pl.col("n").is_not_null()
    counts = target | (status != "cancelled").fill_null(value=True)
    done = (status == "done").fill_null(value=False).cast(pl.Float64)
    v = pl.when(target).then(pl.when(seen).then(_attainment().clip(0.0, 1.0)).otherwise(missing))
    own = target & (pl.col("key") == pl.col("leaf_key"))
    return (
        parts.join(latest, on="key", how="left")
        .join(observed, on="key", how="left")
        .with_columns(c=_current())
        .with_columns(
            v=v.otherwise(done),
            w=pl.when(own).then(1.0).otherwise(pl.col("weight")),
            counts=counts,
            recorded=pl.when(target)
            .then(pl.col("last").is_not_null())
            .otherwise(status.is_not_null()),
            applies=pl.when(target).then(seen).otherwise(status.is_not_null()),
        )
        .group_by("leaf_key")
        .agg(
            recorded_parts=pl.col("recorded").sum(),
            counted_parts=(pl.col("applies") & pl.col("counts")).sum(),
            parts_weight=pl.when(pl.col("counts") & pl.col("v").is_not_null())
            .then(pl.col("w"))
            .otherwise(0.0)
            .sum(),
            parts_done=pl.when(pl.col("counts"))
            .then(pl.col("v") * pl.col("w"))
            .otherwise(0.0)
            .fill_null(0.0)
            .sum(),
        )
    )


def _planned(leaves: pl.LazyFrame, today: int) -> pl.LazyFrame:
    """Each trajectory's value on `today`: `key, planned` (its points extended by the ends)."""
    points = (
        leaves.filter(pl.col("trajectory").list.len() > 0)
        .select("key", "trajectory", "start_day", "due_day")
        .explode("trajectory")
        .select(
            "key",
            "start_day",
            "due_day",
            at=pl.col("trajectory").struct.field("on").cast(pl.Int64),
            f=pl.col("trajectory").struct.field("fraction"),
        )
    )
    at, start, due = pl.col("at"), pl.col("start_day"), pl.col("due_day")
    ends = points.group_by("key").agg(
        start.first(), due.first(), on_start=(at == start).any(), on_due=(at == due).any()
    )
    extended = pl.concat(
        [
            points.select("key", "at", "f"),
            ends.filter(~pl.col("on_start") & (start < due)).select("key", at=start, f=pl.lit(0.0)),
            ends.filter(~pl.col("on_due")).select("key", at=due, f=pl.lit(1.0)),
        ]
    )
    before, after = at < today, at >= today
    around = extended.group_by("key").agg(
        before_day=at.filter(before).max(),
        before=pl.col("f").filter(before).get(at.filter(before).arg_max()),
        after_day=at.filter(after).min(),
        after=pl.col("f").filter(after).get(at.filter(after).arg_min()),
    )
    low, high = pl.col("before"), pl.col("after")
    gap = pl.col("after_day") - pl.col("before_day")
    step = (high - low) * (today - pl.col("before_day")) / gap
    planned = (
        pl.when(pl.col("before_day").is_null())
        .then(high)
        .when(pl.col("after_day").is_null())
        .then(low)
        .otherwise(low + step)
    )
    return around.select("key", planned=planned.clip(0.0, 1.0))


def _status(as_of: dt.date, rules: Rules, due: pl.Expr) -> pl.Expr:
    completion, expected = pl.col("completion"), pl.col("expected")
    index = completion / expected
    return (
        pl.when(pl.col("cancelled"))
        .then(pl.lit("cancelled"))
        .when(completion.is_null())
        .then(pl.lit("no_data"))
        .when(completion >= 1.0)
        .then(pl.lit("done"))
        .when(due < as_of)
        .then(pl.lit("overdue"))
        .when(expected.is_null() | (expected <= 0))
        .then(pl.lit("on_track"))
        .when(index >= rules.on_track)
        .then(pl.lit("on_track"))
        .when(index >= rules.at_risk)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
    )


def _leaf_figures(
    leaves: pl.LazyFrame, records: pl.LazyFrame, as_of: dt.date, rules: Rules
) -> pl.LazyFrame:
    """Each leaf's `key, weight, due, completion, expected, recorded, cancelled`."""
    today = (as_of - _EPOCH).days
    missing = pl.lit(0.0) if rules.missing == "zero" else pl.lit(None, pl.Float64)
    scheduled = leaves.with_columns(
        start_day=pl.min_horizontal("start", "due").cast(pl.Int64),
        due_day=pl.col("due").cast(pl.Int64),
    )
    latest, daily = _latest_and_daily(records, as_of)
    figures = _part_figures(_parts(leaves), latest, daily, missing)
    status = pl.col("status")
    start, due = pl.col("start_day"), pl.col("due_day")
    linear = (
        pl.when(today >= due)
        .then(1.0)
        .when(today <= start)
        .then(0.0)
        .otherwise((today - start) / (due - start))
    )
    expected = (
        pl.when(pl.col("planned").is_null())
        .then(linear)
        .when(today > due)
        .then(1.0)
        .when(today < start)
        .then(0.0)
        .otherwise(pl.col("planned"))
    )
    parts_apply = (pl.col("counted_parts") > 0) & (pl.col("parts_weight") > 0)
    chain = (
        pl.when(status == "cancelled")
        .then(None)
        .when(status == "done")
        .then(1.0)
        .when(parts_apply)
        .then((pl.col("parts_done") / pl.col("parts_weight")).clip(0.0, 1.0))
        .when(pl.col("percent").is_not_null())
        .then(pl.col("percent") / 100.0)
        .when(status == "not_started")
        .then(0.0)
    )
    if rules.in_progress_credit is not None:
        chain = chain.when(status == "in_progress").then(rules.in_progress_credit)
    return (
        scheduled.select("key", "weight", "due", "start_day", "due_day")
        .join(latest.filter(status.is_not_null()), on="key", how="left")
        .join(figures, left_on="key", right_on="leaf_key", how="left")
        .join(_planned(scheduled, today), on="key", how="left")
        .select(
            "key",
            "weight",
            "due",
            completion=chain.otherwise(missing),
            expected=expected,
            recorded=status.is_not_null() | (pl.col("recorded_parts") > 0).fill_null(value=False),
            cancelled=(status == "cancelled").fill_null(value=False),
        )
    )


def _ratio(numerator: str, denominator: str) -> pl.Expr:
    share = pl.col(numerator) / pl.col(denominator)
    return pl.when(pl.col(denominator) > 0).then(pl.min_horizontal(share, 1.0))


def _rolled(frame: pl.LazyFrame, level: str, group: str) -> pl.LazyFrame:
    """A level's flat roll-up over the leaves of each `(plan, group)`."""
    active, weight = ~pl.col("cancelled"), pl.col("weight")
    known = active & pl.col("completion").is_not_null() & (weight > 0)
    return (
        frame.group_by("plan", group)
        .agg(
            total=pl.when(active).then(weight).otherwise(0.0).sum(),
            covered=pl.when(active & pl.col("recorded")).then(weight).otherwise(0.0).sum(),
            counted=pl.when(known).then(weight).otherwise(0.0).sum(),
            done=pl.when(known).then(weight * pl.col("completion")).otherwise(0.0).sum(),
            due_by=pl.when(known).then(weight * pl.col("expected")).otherwise(0.0).sum(),
        )
        .select(
            "plan",
            level=pl.lit(level),
            id=pl.col(group),
            completion=_ratio("done", "counted"),
            expected=_ratio("due_by", "counted"),
            coverage=_ratio("covered", "total"),
            status=pl.lit(None, pl.String),
        )
    )


def reference(
    leaves: pl.DataFrame, records: pl.DataFrame, *, as_of: dt.date, rules: Rules
) -> pl.DataFrame:
    """The figures of every leaf, plan, measure and theme, with a flat roll-up.

    Columns: `plan, level, id, completion, expected, coverage, status` (the
    status of leaves only; null for groups).
    """
    lazy = leaves.lazy()
    figures = _leaf_figures(lazy, records.lazy(), as_of, rules).cache()
    named = lazy.select("key", "plan", "leaf", "measures", "themes").join(figures, on="key")
    leaf_rows = named.select(
        "plan",
        level=pl.lit("leaf"),
        id="leaf",
        completion="completion",
        expected="expected",
        coverage=pl.when(pl.col("weight") > 0).then(pl.col("recorded").cast(pl.Float64)),
        status=_status(as_of, rules, pl.col("due")),
    )
    plans = _rolled(named.with_columns(id=pl.col("plan")), "plan", "id")
    measures = _rolled(named.explode("measures").drop_nulls("measures"), "measure", "measures")
    themes = named.explode("themes").drop_nulls("themes")
    by_theme = _rolled(themes.with_columns(id=pl.col("themes").struct.field("id")), "theme", "id")
    return pl.concat([plans, measures, by_theme, leaf_rows]).collect()
