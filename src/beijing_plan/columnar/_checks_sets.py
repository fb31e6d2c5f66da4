"""The checks of the leaves' sets and themes.

The leaves of a `measure_set` or `theme_set` share their plan and their
list, and no list names an item twice; the themes a leaf lists form one tree
per plan.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import narwhals as nw

from ._checks_rules import COUNTED, Frame, Probe, Rule, Translation, missing_values, wrap
from ._deps import require

__all__ = [
    "SETS",
    "SET_FIELDS",
    "first_leaves",
    "hashed_sets",
    "in_two_runs",
    "set_elements",
    "set_probes",
    "set_rules",
    "theme_probes",
    "twice_listed",
]


def theme_probes(themes: Frame) -> list[Probe]:
    """The themes' fields; each leaf's list; one tree per plan.

    A leaf lists the parent of every theme it lists, and calls a theme direct
    exactly when it lists none of its sub-themes (a theme without a listed
    sub-theme is one the leaf is tagged with, as it is no listed theme's
    ancestor). In a plan, each theme has one parent and depth, one more than
    its parent's.
    """
    below = _BELOW.filter(themes)
    listed = _LISTED.select(themes)  # an anti join needs no unique rows
    orphans = below.join(listed, on=["key", "parent"], how="anti")
    parents = _PARENTS.select(below)
    flagged = _ABOVE.with_columns(themes.join(parents.unique(), on=["key", "id"], how="left"))
    tree = _TREE.select(themes).unique()
    places = COUNTED.agg(tree, "plan", "id")
    levels = _LEVELS.select(tree)
    linked = _BELOW.filter(tree).join(levels, on=["plan", "parent"], how="inner")
    where = ("plan", "leaf", "id")
    fields, orphan, direct, place, depth = _theme_rules()
    return [
        Probe(themes, where, fields),
        Probe(orphans, where, orphan),
        Probe(flagged, where, direct),
        Probe(places, ("plan", "id"), place, counted="themes"),
        Probe(linked, ("plan", "id"), depth, counted="themes"),
    ]


# The expressions of the steps of `theme_probes`, made once.
_BELOW = Translation((~nw.col("parent").is_null(),))
_LISTED = Translation((nw.col("key"), nw.col("id").alias("parent")))
_PARENTS = Translation(
    (
        nw.col("key"),
        nw.col("parent").alias("id"),
        nw.lit(value=True, dtype=nw.Boolean()).alias("above"),
    )
)
_ABOVE = Translation((nw.col("above").fill_null(value=False).cast(nw.Boolean()),))
_TREE = Translation(tuple(nw.col(name) for name in ("plan", "id", "parent", "depth")))
_LEVELS = Translation((nw.col("plan"), nw.col("id").alias("parent"), nw.col("depth").alias("up")))


@functools.cache
def _theme_rules() -> tuple[tuple[Rule, ...], ...]:
    """The rules of each probe of `theme_probes`, in its order."""
    at = "leaves.themes"
    depth, parent = nw.col("depth"), nw.col("parent")
    direct, above = nw.col("direct"), nw.col("above")
    fields = (
        *missing_values(at, ("id", "depth", "direct")),
        Rule(f"{at}.depth", depth < 0, "is negative", "depth"),
        Rule(f"{at}.parent", (depth == 0) & ~parent.is_null(), "a theme at depth 0 has none"),
        Rule(f"{at}.parent", (depth > 0) & parent.is_null(), "a theme below the top needs one"),
    )
    return (
        fields,
        (Rule(f"{at}.parent", ~parent.is_null(), "is not among the leaf's themes", "parent"),),
        (
            Rule(
                f"{at}.direct",
                direct & above,
                "is true, but the leaf lists a sub-theme of the theme",
            ),
            Rule(
                f"{at}.direct",
                ~direct & ~above,
                "is false, but the leaf lists no sub-theme of the theme",
            ),
        ),
        (Rule(at, nw.col("n") > 1, "the theme is given two parents or depths"),),
        (
            Rule(
                f"{at}.depth",
                nw.col("up") != depth - 1,
                "is not one more than its parent's",
                "depth",
            ),
        ),
    )


#: Each column that groups leaves into sets, and the list the leaves of a set share.
SETS = (("measure_set", "measures"), ("theme_set", "themes"))

#: The fields of an element of each list (none: the element is a value).
SET_FIELDS = {"measures": (), "themes": ("id", "parent", "depth", "direct")}


@functools.cache
def set_rules(column: str, listed: str) -> tuple[Rule, ...]:
    return (
        Rule(
            f"leaves.{column}",
            nw.col("plans") > 1,
            "is shared by leaves of different plans",
            column,
        ),
        Rule(
            f"leaves.{column}",
            nw.col("lists") > 1,
            f"is shared by leaves with different {listed}",
            column,
        ),
    )


def hashed_sets(leaves: Frame, column: str, listed: str, *, by_run: bool = True) -> Frame:
    """On polars: per set, how many plans and distinct lists (1 or 2), and its first key.

    Hashing each list is many times faster than exploding every leaf's. Two
    lists that differ pass for one only when their 64-bit hashes agree, a
    chance of one in about 2**64; only the list of each set's first leaf is
    then exploded, for the checks of the elements.

    With `by_run`, a set's plans are counted by the runs of rows they are in (a
    run is numbered anew wherever the plan changes from a row to the next), as
    whole numbers are compared faster than names: leaves of one run have one
    plan, but two runs may have one plan too, so a set found in two runs is to
    be counted again by names (see
    [`in_two_runs`][beijing_plan.columnar._checks_sets.in_two_runs]).
    """
    polars = require("polars")
    plan = polars.col("plan").rle_id() if by_run else polars.col("plan")
    sets = (
        leaves.to_native()
        .select(column, "key", plan.alias("plan"), _list_hash(listed).alias("hashed"))
        .group_by(column)
        .agg(
            _two_if_apart(polars.col("plan")).alias("plans"),
            _two_if_apart(polars.col("hashed")).alias("lists"),
            polars.col("key").min(),
        )
    )
    return wrap(leaves, sets)


def in_two_runs(summary: Any) -> bool:
    """Whether a set of `summary` (`hashed_sets` by run, collected) has leaves in two runs."""
    return bool(summary.get_column("plans").max() == 2)


def _two_if_apart(values: Any) -> Any:
    """In a group: 2 where `values` are not all one, else 1."""
    polars = require("polars")
    return (values.min() != values.max()).cast(polars.Int64) + 1


def _list_hash(listed: str) -> Any:
    """A hash of each leaf's list of `listed`, element by element.

    Polars hashes a list of structs more slowly than the fields of its elements
    one by one (the theme lists of 1.6 million leaves: about 0.06 s against 0.1 s
    of CPU): each field is hashed with a seed of its own, the hashes are combined
    by XOR (a null element hashes to 0), and the list of these hashes is hashed.
    """
    polars = require("polars")
    fields = SET_FIELDS[listed]
    if not fields:
        return polars.col(listed).hash()
    element = polars.element()
    hashes = [element.struct.field(name).hash(seed) for seed, name in enumerate(fields, 1)]
    combined = hashes[0]
    for other in hashes[1:]:
        combined = combined ^ other
    each = polars.when(element.is_null()).then(polars.lit(0, polars.UInt64)).otherwise(combined)
    return polars.col(listed).list.eval(each).hash()


def first_leaves(leaves: Frame, summary: Any) -> Frame:
    """On polars: the leaves whose key is a set's first in `summary` (`hashed_sets`, collected).

    The few thousand keys are looked up in a hashed set of them, about twice as
    fast as a semi join that carries every leaf's lists.
    """
    polars = require("polars")
    keys = summary.get_column("key")
    chosen = leaves.to_native().filter(polars.col("key").is_in(keys.implode()))
    return wrap(leaves, chosen)


def set_probes(leaves: Frame, column: str, listed: str) -> tuple[list[Probe], Frame]:
    """Whether every leaf of a set has its set's plan and list, on any backend.

    Returns the probes, and every leaf's list exploded (a row per element,
    with `plan`, `leaf`, `key` and the element's fields) for the checks
    of the elements themselves. Leaving aside an element a leaf lists twice
    (a problem of its own), the lists of a set agree when every leaf has as
    many elements as the set has distinct ones and each is held by every leaf.
    """
    fields = SET_FIELDS[listed]
    every = (*(fields or ("element",)),)
    elements = set_elements(leaves, column, listed, fields)
    held = elements.group_by("key", column, *every).agg(nw.len().alias("n"))
    lengths = held.group_by("key", column).agg(nw.len().alias("length"))
    sizes = (
        leaves.select("key", "plan", column)
        .join(lengths, on=["key", column], how="left")
        .with_columns(nw.col("length").fill_null(0))
        .group_by(column)
        .agg(
            nw.col("plan").n_unique().alias("plans"),
            nw.col("key").n_unique().alias("members"),
            nw.col("length").min().alias("shortest"),
            nw.col("length").max().alias("longest"),
        )
    )
    counts = held.group_by(column, *every).agg(nw.len().alias("holders"))
    distinct = counts.group_by(column).agg(
        nw.len().alias("distinct"), nw.col("holders").min().alias("fewest")
    )
    per_set = sizes.join(distinct, on=column, how="left").with_columns(
        lists=nw.when(
            (nw.col("shortest") != nw.col("longest"))
            | (nw.col("distinct").fill_null(0) != nw.col("longest"))
            | (nw.col("fewest").fill_null(nw.col("members")) != nw.col("members"))
        )
        .then(nw.lit(2))
        .otherwise(nw.lit(1))
    )
    probes = [
        Probe(per_set, (), set_rules(column, listed), counted="sets"),
        twice_listed(elements, listed),
    ]
    return probes, elements


def set_elements(frame: Frame, column: str, listed: str, fields: Sequence[str]) -> Frame:
    chosen, split = _splitting(column, listed, tuple(fields))
    exploded = chosen.select(frame).explode(listed, empty_as_null=False, keep_nulls=False)
    return split.select(exploded)


@functools.cache
def _splitting(
    column: str, listed: str, fields: tuple[str, ...]
) -> tuple[Translation, Translation]:
    """The columns `set_elements` takes, and those it makes of the exploded rows."""
    kept = tuple(nw.col(name) for name in ("plan", "leaf", "key", column))
    chosen = Translation((*kept, nw.col(listed)))
    item = nw.col(listed)
    if not fields:
        return chosen, Translation((*kept, item.alias("element")))
    return chosen, Translation((*kept, *(item.struct.field(name).alias(name) for name in fields)))


def twice_listed(elements: Frame, listed: str) -> Probe:
    """No list names one item twice."""
    ids = ("id",) if listed == "themes" else ("element",)
    twice = COUNTED.agg(elements, "plan", "leaf", *ids)
    return Probe(twice, ("plan", "leaf"), _twice_rules(listed), counted="lists")


@functools.cache
def _twice_rules(listed: str) -> tuple[Rule, ...]:
    shown = "id" if listed == "themes" else "element"
    return (Rule(f"leaves.{listed}", nw.col("n") > 1, "lists one item twice", shown),)
