"""Revisions in columns: each item's fields in force at the date (see Concepts: "Revisions").

A record of kind `revision` sets some of `start`, `due`, `value`, `upper` and
`weight` of its item (the value and upper bound in the target's unit, as an
observation's value). From its day each field given replaces the item's own, the
latest revision winning field by field (on one day, the larger `seq`), as in
`beijing_plan._engine.revisions`. `revised_frame` finds, for each item with a
revision up to the date, the latest value of each field; `revise_leaves` and
`revise_parts` put them in place of the planned ones, a leaf's `start`, `due` and
`weight`, a part's `weight`, `value` and `upper`. With `Rules(basis="original")`
the engine leaves them out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias

import narwhals as nw

from ._schedule import Days
from ._tables import SEQ_LIMIT

__all__ = ["REVISED_COLUMNS", "revise_leaves", "revise_parts", "revised_frame"]

Frame: TypeAlias = nw.LazyFrame[Any]

#: The columns of the records table that a revision fills.
REVISED_COLUMNS = ("start", "due", "value", "upper", "weight")


def _in_place(column: str, revised: str) -> nw.Expr:
    """The revised value where there is one, else the planned."""
    return nw.when(nw.col(revised).is_null()).then(nw.col(column)).otherwise(nw.col(revised))


def revised_frame(records: Frame, as_of: dt.date, days: Days) -> Frame:
    """One row per item revised up to `as_of`: `key` and `rev_<field>` for each field
    (null where no revision up to then sets it)."""
    revisions = records.filter((nw.col("kind") == "revision") & (nw.col("on") <= as_of)).select(
        "key",
        *REVISED_COLUMNS,
        rank=days.column("on") * SEQ_LIMIT + nw.col("seq").cast(nw.Int64()),
    )
    found = revisions.select("key").unique()
    for name in REVISED_COLUMNS:
        setting = revisions.filter(~nw.col(name).is_null())
        latest = setting.filter(nw.col("rank") == nw.col("rank").max().over("key"))
        found = found.join(
            latest.select("key", nw.col(name).alias(f"rev_{name}")), on="key", how="left"
        )
    return found


def revise_leaves(leaves: Frame, revised: Frame) -> Frame:
    """The leaves with their `start`, `due` and `weight` in force."""
    fields = ("start", "due", "weight")
    joined = leaves.join(
        revised.select("key", *(f"rev_{name}" for name in fields)), on="key", how="left"
    )
    return joined.with_columns(**{name: _in_place(name, f"rev_{name}") for name in fields}).drop(
        *(f"rev_{name}" for name in fields)
    )


def revise_parts(parts: Frame, revised: Frame) -> Frame:
    """Parts (`part_key`, `part_weight`, `part_value`, `part_upper`) with those in force."""
    fields = ("weight", "value", "upper")
    joined = parts.join(
        revised.select(nw.col("key").alias("part_key"), *(f"rev_{name}" for name in fields)),
        on="part_key",
        how="left",
    )
    return joined.with_columns(
        **{f"part_{name}": _in_place(f"part_{name}", f"rev_{name}") for name in fields}
    ).drop(*(f"rev_{name}" for name in fields))
