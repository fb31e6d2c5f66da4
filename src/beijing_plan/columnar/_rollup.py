"""Roll-ups in columns: plans, measures, themes and leaves (Concepts: "Roll-ups", "Status").

The groups and rules of `beijing_plan._engine.rollup`, over the frame that
[`leaf_frame`][beijing_plan.columnar._leaves.leaf_frame] gives:

- a plan holds its leaves once, a measure the leaves listed with it in
  `measures`, a theme the leaves listed with it in `themes`;
- cancelled leaves count nowhere; a group's `weight` sums its other leaves',
  its due date is their latest, and a group whose every leaf is cancelled is
  cancelled itself;
- `"flat"`: completion and expected are weighted means over the leaves whose
  completion is known (`None` when their weights sum to 0); `"nested"`: the
  plain means of the children's, leaving out children whose completion is
  `None` and leaves of weight 0 (which count in neither roll-up). A plan's
  children are its measures and the leaves that serve no measure, a measure's
  its leaves, a theme's its sub-themes and its direct leaves. Coverage and
  weight are weighted over leaves in both modes.

Every figure a roll-up needs is a sum, a count or an extreme of its leaves', so
the leaves are first summed by their `measure_set` (leaves of one plan that
count in the same measures) or their `theme_set` (the same themes): one pass
over the leaves, to as many rows as there are sets. Those sums are then spread
over the measures or themes each set lists and added up again, which reads a
few rows per set instead of a few per leaf. The result does not depend on how a
backend orders or partitions rows.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Sequence
from typing import Any, TypeAlias

import narwhals as nw

from ..rules import Rules
from ._schedule import spi, status

__all__ = ["LEVELS", "RESULT_COLUMNS", "results"]

Frame: TypeAlias = nw.LazyFrame[Any]

#: The levels a result can be given at, in the order they are returned.
LEVELS = ("plan", "measure", "theme", "leaf")
#: The columns of a result, in order.
RESULT_COLUMNS = (
    "plan",
    "level",
    "id",
    "completion",
    "expected",
    "spi",
    "coverage",
    "weight",
    "due",
    "status",
)

_NULL = nw.lit(None, dtype=nw.Float64())
#: The sums a set of leaves hands on to the measures, themes and plan it counts in.
_SUMMED = ("total", "covered", "counted", "done", "due_by", "active", "members", "n", "c", "e")


def _sets(leaves: Frame, column: str, listed: str) -> Frame:
    """One row per set of `column`: the set, its plan and its list (from its first leaf)."""
    first = nw.col("key") == nw.col("key").min().over(column)
    return leaves.filter(first).select(column, "plan", listed)


def _prepared(frame: Frame) -> Frame:
    """Each leaf's contributions to the sums of its sets.

    `n`, `c` and `e` count a leaf whose completion is known and give its
    plain completion and expected value, for nested roll-ups. A leaf of weight 0
    counts in neither roll-up.
    """
    active = ~nw.col("cancelled")
    weight = nw.col("weight")
    known = active & ~nw.col("completion").is_null() & (weight > 0)
    return frame.with_columns(
        total=nw.when(active).then(weight).otherwise(0.0),
        covered=nw.when(active & nw.col("recorded")).then(weight).otherwise(0.0),
        counted=nw.when(known).then(weight).otherwise(0.0),
        done=nw.when(known).then(weight * nw.col("completion")).otherwise(0.0),
        due_by=nw.when(known).then(weight * nw.col("expected")).otherwise(0.0),
        active=active.cast(nw.Int64()),
        members=nw.lit(1, dtype=nw.Int64()),
        n=known.cast(nw.Int64()),
        c=nw.when(known).then(nw.col("completion")).otherwise(0.0),
        e=nw.when(known).then(nw.col("expected")).otherwise(0.0),
        due=nw.when(active).then(nw.col("due")),
    )


def _sums(frame: Frame, keys: Sequence[str]) -> Frame:
    """The sets' sums added up by `keys`."""
    return frame.group_by(*keys).agg(
        *(nw.col(name).sum() for name in _SUMMED),
        nw.col("due").max(),
        nw.col("plan_end").max(),
    )


def _ratio(numerator: str, denominator: str) -> nw.Expr:
    """`min(1, numerator / denominator)`, null unless the denominator is above 0."""
    share = nw.col(numerator) / nw.col(denominator)
    return (
        nw.when(nw.col(denominator) > 0)
        .then(nw.when(share > 1.0).then(nw.lit(1.0)).otherwise(share))
        .otherwise(_NULL)
    )


def _group_due() -> nw.Expr:
    """The latest due date of a group's leaves not cancelled, else the plan's end."""
    return nw.when(nw.col("due").is_null()).then(nw.col("plan_end")).otherwise(nw.col("due"))


def _flat(sums: Frame) -> Frame:
    return sums.with_columns(
        completion=_ratio("done", "counted"), expected=_ratio("due_by", "counted")
    )


def _means(sums: Frame) -> Frame:
    """Plain means of the known leaves (or children): `c / n` and `e / n`."""
    return sums.with_columns(completion=_ratio("c", "n"), expected=_ratio("e", "n"))


def _finish(frame: Frame, level: str, *, as_of: dt.date, rules: Rules) -> Frame:
    """The result columns of a group level from its sums, completion and expected."""
    return (
        frame.with_columns(
            level=nw.lit(level),
            spi=spi(),
            coverage=_ratio("covered", "total"),
            weight=nw.col("total").cast(nw.Float64()),
            due=_group_due(),
            cancelled=(nw.col("members") > 0) & (nw.col("active") == 0),
        )
        .with_columns(status=status(as_of=as_of, rules=rules))
        .select(*RESULT_COLUMNS)
    )


def _leaf_results(frame: Frame, ids: Frame, *, as_of: dt.date, rules: Rules) -> Frame:
    """The results of the leaves: coverage 1 with any record, else 0; null at weight 0."""
    return (
        frame.join(ids, on="key", how="inner")
        .with_columns(
            level=nw.lit("leaf"),
            spi=spi(),
            coverage=nw.when(nw.col("weight") > 0).then(nw.col("recorded").cast(nw.Float64())),
            weight=nw.col("weight").cast(nw.Float64()),
        )
        .with_columns(status=status(as_of=as_of, rules=rules))
        .select(*RESULT_COLUMNS)
    )


def _children(means: Frame, *keys: str) -> Frame:
    """Groups with a known plain mean, each as one child: `keys, n, c, e`."""
    return means.filter(~nw.col("completion").is_null()).select(
        *keys,
        nw.lit(1, dtype=nw.Int64()).alias("n"),
        nw.col("completion").alias("c"),
        nw.col("expected").alias("e"),
    )


def _plain(parts: list[Frame], keys: Sequence[str]) -> Frame:
    """Plain means over children given as counts and sums: `keys, completion, expected`."""
    # Sums of whole numbers may come back wider (DuckDB's HUGEINT): one type for all.
    typed = [
        part.select(
            *keys,
            nw.col("n").cast(nw.Int64()),
            nw.col("c").cast(nw.Float64()),
            nw.col("e").cast(nw.Float64()),
        )
        for part in parts
    ]
    summed = (
        nw.concat(typed, how="vertical")
        .group_by(*keys)
        .agg(nw.col("n").sum(), nw.col("c").sum(), nw.col("e").sum())
    )
    return _means(summed).select(*keys, "completion", "expected")


def _with_nested(sums: Frame, means: Frame, keys: Sequence[str]) -> Frame:
    return sums.join(means, on=list(keys), how="left")


class _Sets:
    """The leaves' sums by measure set and by theme set, each made when first needed."""

    def __init__(self, frame: Frame, leaves: Frame) -> None:
        self.frame, self.leaves = _prepared(frame), leaves
        self.made: dict[str, tuple[Frame, Frame]] = {}

    def _get(self, column: str, listed: str) -> tuple[Frame, Frame]:
        if column not in self.made:
            sets = _sets(self.leaves, column, listed)
            self.made[column] = sets, _sums(self.frame, (column,))
        return self.made[column]

    def plans(self) -> Frame:
        """Each plan's sums (from its theme sets, which hold each of its leaves once)."""
        sets, sums = self._get("theme_set", "themes")
        rows = sets.select("theme_set", "plan").join(sums, on="theme_set", how="inner")
        return _sums(rows, ("plan",)).with_columns(id=nw.col("plan"))

    def measures(self) -> Frame:
        """The sums of each set once per measure it counts in (`id`)."""
        sets, sums = self._get("measure_set", "measures")
        served = (
            sets.filter(nw.col("measures").list.len() > 0)
            .explode("measures")
            .rename({"measures": "id"})
        )
        return served.join(sums, on="measure_set", how="inner")

    def alone(self) -> Frame:
        """The sums of the leaves that serve no measure, with their plan."""
        sets, sums = self._get("measure_set", "measures")
        alone = sets.filter(nw.col("measures").list.len() == 0).select("measure_set", "plan")
        return alone.join(sums, on="measure_set", how="inner")

    def themes(self) -> Frame:
        """The sums of each set once per theme it counts in, with the theme's place."""
        sets, sums = self._get("theme_set", "themes")
        themes = nw.col("themes")
        tagged = (
            sets.filter(themes.list.len() > 0)
            .explode("themes")
            .select(
                "theme_set",
                "plan",
                themes.struct.field("id").alias("id"),
                themes.struct.field("parent").alias("parent"),
                themes.struct.field("depth").cast(nw.Int64()).alias("depth"),
                themes.struct.field("direct").alias("direct"),
            )
        )
        return tagged.join(sums, on="theme_set", how="inner")


def _nested_plan_means(sets: _Sets) -> Frame:
    """Each plan's plain means over its measures and the leaves that serve no measure."""
    measures = _children(_means(_sums(sets.measures(), ("plan", "id"))), "plan")
    alone = sets.alone().select("plan", "n", "c", "e")
    return _plain([measures, alone], ("plan",))


def _nested_theme_means(rows: Frame) -> Frame:
    """Each theme's plain means over its sub-themes and direct leaves, deepest first."""
    tree = rows.select("plan", "id", "parent", "depth").unique()
    deepest = tree.select(nw.col("depth").max()).collect().item()
    direct = rows.filter(nw.col("direct")).select("plan", "id", "depth", "n", "c", "e")
    levels: list[Frame] = []
    below: Frame | None = None
    # No theme at all gives a null maximum: None, or pandas' NA.
    known = isinstance(deepest, numbers.Real) and not math.isnan(deepest)
    top = int(float(deepest)) if known else 0
    for depth in range(top, -1, -1):
        parts = [direct.filter(nw.col("depth") == depth).select("plan", "id", "n", "c", "e")]
        if below is not None:
            parents = tree.select("plan", "id", "parent")
            children = below.join(parents, on=["plan", "id"], how="inner")
            parts.append(_children(children.with_columns(id=nw.col("parent")), "plan", "id"))
        below = _plain(parts, ("plan", "id"))
        levels.append(below)
    if not levels:
        return _plain([direct.select("plan", "id", "n", "c", "e")], ("plan", "id"))
    return nw.concat(levels, how="vertical")


def _level(sets: _Sets, level: str, rules: Rules) -> Frame:
    nested = rules.rollup == "nested"
    if level == "plan":
        totals = sets.plans()
        if nested:
            return _with_nested(totals, _nested_plan_means(sets), ("plan",))
        return _flat(totals)
    if level == "measure":
        totals = _sums(sets.measures(), ("plan", "id"))
        return _means(totals) if nested else _flat(totals)
    if level == "theme":
        rows = sets.themes()
        totals = _sums(rows, ("plan", "id"))
        if nested:
            return _with_nested(totals, _nested_theme_means(rows), ("plan", "id"))
        return _flat(totals)
    msg = f"no group level {level!r}"
    raise AssertionError(msg)


def results(
    frame: Frame, leaves: Frame, *, by: Sequence[str], as_of: dt.date, rules: Rules
) -> Frame:
    """The results of every level in `by`, one frame with `RESULT_COLUMNS`.

    Args:
        frame: The leaf figures, from [`leaf_frame`][beijing_plan.columnar._leaves.leaf_frame].
        leaves: The leaves table (each leaf's `plan`, `leaf` id, sets and
            their lists, by `key`).
        by: The levels, from `LEVELS`.
        as_of: The date of the assessment.
        rules: The rules.
    """
    sets = _Sets(frame, leaves)
    parts = []
    for level in by:
        if level == "leaf":
            ids = leaves.select("key", "plan", nw.col("leaf").alias("id"))
            parts.append(_leaf_results(frame, ids, as_of=as_of, rules=rules))
        else:
            grouped = _level(sets, level, rules)
            parts.append(_finish(grouped, level, as_of=as_of, rules=rules))
    return parts[0] if len(parts) == 1 else nw.concat(parts, how="vertical")
