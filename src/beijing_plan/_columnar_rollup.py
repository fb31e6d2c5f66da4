"""Roll-ups in columns: plans, measures, themes and leaves (DESIGN sections 4 and 5).

The groups and rules of :mod:`beijing_plan.rollup`, over the frame that
:func:`~beijing_plan._columnar_leaves.leaf_frame` gives:

- a plan holds its leaves once, a measure the leaves listed with it in
  ``measures``, a theme the leaves listed with it in ``themes``;
- cancelled leaves count nowhere; a group's ``weight`` sums its other leaves',
  its due date is their latest, and a group whose every leaf is cancelled is
  cancelled itself;
- ``"flat"``: completion and expected are weighted means over the leaves whose
  completion is known (``None`` when their weights sum to 0); ``"nested"``: the
  plain means of the children's, leaving out children whose completion is
  ``None``. A plan's children are its measures and the leaves that serve no
  measure, a measure's its leaves, a theme's its sub-themes and its direct
  leaves. Coverage and weight are weighted over leaves in both modes.

Every figure is a sum, a count or an extreme within a group, so the result does
not depend on how a backend orders or partitions rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeAlias

import narwhals as nw

from ._columnar_schedule import spi, status
from .rules import Rules

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


def _prepared(frame: Frame) -> Frame:
    """Each leaf's contributions to its groups' sums, by ``key``."""
    active = ~nw.col("cancelled")
    known = active & ~nw.col("completion").is_null()
    weight = nw.col("weight")
    return frame.with_columns(
        total=nw.when(active).then(weight).otherwise(0.0),
        covered=nw.when(active & nw.col("recorded")).then(weight).otherwise(0.0),
        counted=nw.when(known).then(weight).otherwise(0.0),
        done=nw.when(known).then(weight * nw.col("completion")).otherwise(0.0),
        due_by=nw.when(known).then(weight * nw.col("expected")).otherwise(0.0),
        active=active.cast(nw.Int64()),
        active_due=nw.when(active).then(nw.col("due")),
        known=known,
    )


def _sums(frame: Frame, keys: Sequence[str]) -> Frame:
    """A group's sums over its leaves."""
    return frame.group_by(*keys).agg(
        nw.col("total").sum(),
        nw.col("covered").sum(),
        nw.col("counted").sum(),
        nw.col("done").sum(),
        nw.col("due_by").sum(),
        nw.col("active").sum(),
        nw.col("active_due").max().alias("due"),
        nw.col("plan_end").max(),
        nw.len().alias("members"),
    )


def _ratio(numerator: str, denominator: str) -> nw.Expr:
    """``min(1, numerator / denominator)``, null unless the denominator is above 0."""
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


def _leaf_results(frame: Frame, leaves: Frame, *, as_of: dt.date, rules: Rules) -> Frame:
    """The results of the leaves themselves: coverage is 1 with any record, else 0."""
    return (
        frame.join(leaves.select("key", nw.col("leaf").alias("id")), on="key", how="inner")
        .with_columns(
            level=nw.lit("leaf"),
            spi=spi(),
            coverage=nw.col("recorded").cast(nw.Float64()),
            weight=nw.col("weight").cast(nw.Float64()),
        )
        .with_columns(status=status(as_of=as_of, rules=rules))
        .select(*RESULT_COLUMNS)
    )


def _plain_mean(contributions: Frame, keys: Sequence[str]) -> Frame:
    """Plain means of the contributions' ``c`` and ``e`` per group (``None`` for none)."""
    means = contributions.group_by(*keys).agg(
        nw.len().alias("n"), nw.col("c").sum(), nw.col("e").sum()
    )
    return means.with_columns(
        nested_completion=_ratio("c", "n"), nested_expected=_ratio("e", "n")
    ).select(*keys, "nested_completion", "nested_expected")


def _with_nested(sums: Frame, means: Frame, keys: Sequence[str]) -> Frame:
    return sums.join(means, on=list(keys), how="left").with_columns(
        completion=nw.col("nested_completion"), expected=nw.col("nested_expected")
    )


def _known(frame: Frame, *keys: str) -> Frame:
    """The ``keys`` and the completion and expected (``c``, ``e``) of known leaves."""
    return frame.filter(nw.col("known")).select(
        *keys, nw.col("completion").alias("c"), nw.col("expected").alias("e")
    )


def _measure_rows(prepared: Frame, leaves: Frame) -> Frame:
    """One row per leaf and measure it counts in (``id``), with its contributions."""
    served = (
        leaves.select("key", "measures")
        .filter(nw.col("measures").list.len() > 0)
        .explode("measures")
        .rename({"measures": "id"})
    )
    return served.join(prepared, on="key", how="inner")


def _nested_measure_means(rows: Frame) -> Frame:
    """Each measure's plain means over its known leaves: ``plan, id, nested_*``."""
    return _plain_mean(_known(rows, "plan", "id"), ("plan", "id"))


def _nested_plan_means(prepared: Frame, rows: Frame) -> Frame:
    """Each plan's plain means over its measures and the leaves that serve none."""
    measures = (
        _nested_measure_means(rows)
        .filter(~nw.col("nested_completion").is_null())
        .select(
            "plan",
            nw.col("nested_completion").alias("c"),
            nw.col("nested_expected").alias("e"),
        )
    )
    alone = _known(prepared.filter(nw.col("alone")), "plan")
    return _plain_mean(nw.concat([measures, alone], how="vertical"), ("plan",))


def _theme_rows(prepared: Frame, leaves: Frame) -> Frame:
    """One row per leaf and theme it counts in, with the theme's place in the tree."""
    themes = nw.col("themes")
    tagged = (
        leaves.select("key", "themes")
        .filter(themes.list.len() > 0)
        .explode("themes")
        .select(
            "key",
            themes.struct.field("id").alias("id"),
            themes.struct.field("parent").alias("parent"),
            themes.struct.field("depth").cast(nw.Int64()).alias("depth"),
            themes.struct.field("direct").alias("direct"),
        )
    )
    return tagged.join(prepared, on="key", how="inner")


def _nested_theme_means(rows: Frame) -> Frame:
    """Each theme's plain means over its sub-themes and direct leaves, deepest first."""
    tree = rows.select("plan", "id", "parent", "depth").unique()
    deepest = tree.select(nw.col("depth").max()).collect().item()
    direct = _known(rows.filter(nw.col("direct")), "plan", "id", "depth")
    levels: list[Frame] = []
    below: Frame | None = None
    for depth in range(0 if deepest is None else int(deepest), -1, -1):
        parts = [direct.filter(nw.col("depth") == depth).select("plan", "id", "c", "e")]
        if below is not None:
            parts.append(
                below.filter(~nw.col("nested_completion").is_null())
                .join(tree.select("plan", "id", "parent"), on=["plan", "id"], how="inner")
                .select(
                    "plan",
                    nw.col("parent").alias("id"),
                    nw.col("nested_completion").alias("c"),
                    nw.col("nested_expected").alias("e"),
                )
            )
        below = _plain_mean(nw.concat(parts, how="vertical"), ("plan", "id"))
        levels.append(below)
    if not levels:
        return _plain_mean(direct.select("plan", "id", "c", "e"), ("plan", "id"))
    return nw.concat(levels, how="vertical")


def _level(prepared: Frame, leaves: Frame, level: str, rules: Rules) -> Frame:
    nested = rules.rollup == "nested"
    if level == "plan":
        sums = _sums(prepared, ("plan",)).with_columns(id=nw.col("plan"))
        if nested:
            means = _nested_plan_means(prepared, _measure_rows(prepared, leaves))
            return _with_nested(sums, means, ("plan",))
        return _flat(sums)
    if level == "measure":
        rows = _measure_rows(prepared, leaves)
        sums = _sums(rows, ("plan", "id"))
        if nested:
            return _with_nested(sums, _nested_measure_means(rows), ("plan", "id"))
        return _flat(sums)
    if level == "theme":
        rows = _theme_rows(prepared, leaves)
        sums = _sums(rows, ("plan", "id"))
        if nested:
            return _with_nested(sums, _nested_theme_means(rows), ("plan", "id"))
        return _flat(sums)
    msg = f"no group level {level!r}"
    raise AssertionError(msg)


def results(
    frame: Frame, leaves: Frame, *, by: Sequence[str], as_of: dt.date, rules: Rules
) -> Frame:
    """The results of every level in ``by``, one frame with :data:`RESULT_COLUMNS`.

    Args:
        frame: The leaf figures, from :func:`~beijing_plan._columnar_leaves.leaf_frame`.
        leaves: The leaves table (for each leaf's id, measures and themes, by ``key``).
        by: The levels, from :data:`LEVELS`.
        as_of: The date of the assessment.
        rules: The rules.
    """
    prepared = _prepared(frame)
    parts = [
        _leaf_results(frame, leaves, as_of=as_of, rules=rules)
        if level == "leaf"
        else _finish(_level(prepared, leaves, level, rules), level, as_of=as_of, rules=rules)
        for level in by
    ]
    return parts[0] if len(parts) == 1 else nw.concat(parts, how="vertical")
