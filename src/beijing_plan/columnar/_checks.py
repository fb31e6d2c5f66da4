"""Checks that two tables keep the layout's promises, before they are assessed.

The engine trusts the tables: it joins on ``key``, adds up ``measure_set`` and
``theme_set`` sums, and reads kinds, statuses and numbers as they are. A table
that breaks a promise of the layout (two items with one key, a record at the
same place as another, a weight of -1, a status of ``"Done"``) would not make it
fail: it would give wrong figures. So :func:`check_tables` reads both tables
first and refuses them with every broken promise named: the column (a path
such as ``leaves.parts.weight``), the bad value, the row (its plan and id) and
how many rows share the problem.

Each check is a rule: an expression true on a bad row of one frame (the leaves,
their exploded parts, themes or trajectory points, the records, or a group-by
of one of these). All rules of a frame are counted in one aggregate query, and
only a rule that some row breaks is asked for an example. Every check is
written against narwhals; polars gets two shortcuts, named where they are
taken, for the two checks that would otherwise cost the most.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

import attrs
import narwhals as nw
import pyarrow as pa

from ..exceptions import PlanValidationError
from ._backends import checkpoints
from ._deps import require
from ._tables import LEAVES_SCHEMA, SEQ_LIMIT

__all__ = ["check_tables", "type_problems"]

Frame: TypeAlias = nw.LazyFrame[Any]

_LEAF_KINDS = ("task", "policy", "target")
_PART_KINDS = ("target", "milestone")
_RECORD_KINDS = ("observation", "status")
_STATUSES = ("not_started", "in_progress", "done", "cancelled")
_COMPARATORS = ("at_least", "at_most", "exactly", "between")
_AGGREGATIONS = ("last", "sum", "max", "min", "mean")


def _one_of(values: Sequence[str]) -> str:
    quoted = [repr(value) for value in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


# -- types ---------------------------------------------------------------------------


#: How each scalar type of the layout is named, and which column types hold it.
_SCALARS: tuple[tuple[Callable[[pa.DataType], bool], str, Callable[[Any], bool]], ...] = (
    (pa.types.is_integer, "a whole number type", lambda dtype: dtype.is_integer()),
    (
        pa.types.is_floating,
        "a number type",
        lambda dtype: dtype.is_float() or dtype.is_integer(),
    ),
    (pa.types.is_string, "a string type", lambda dtype: isinstance(dtype, nw.String)),
    (pa.types.is_date, "a date type", lambda dtype: isinstance(dtype, nw.Date)),
    (pa.types.is_boolean, "a boolean type", lambda dtype: isinstance(dtype, nw.Boolean)),
)


def _scalar(kind: pa.DataType) -> tuple[str, Callable[[Any], bool]]:
    """The name of a scalar type of the layout, and the test of a column type that holds it."""
    for matches, wanted, fits in _SCALARS:
        if matches(kind):
            return wanted, fits
    msg = f"the layout has no scalar type {kind}"
    raise AssertionError(msg)


def _wrong(path: str, dtype: Any, wanted: str) -> list[tuple[str, str]]:
    return [(path, f"the column is of type {dtype}, where {wanted} is needed")]


def _type_problems(
    path: str, dtype: Any, kind: pa.DataType, *, nullable: bool
) -> list[tuple[str, str]]:
    """What is wrong with ``dtype`` where the layout has ``kind``: ``(path, message)`` pairs."""
    if nullable and isinstance(dtype, nw.Unknown):
        return []  # a column of nulls only, as polars types one built from Python
    if pa.types.is_list(kind):
        if not isinstance(dtype, nw.List):
            return _wrong(path, dtype, "a list type")
        return _type_problems(path, dtype.inner, kind.value_type, nullable=True)
    if pa.types.is_struct(kind):
        if not isinstance(dtype, nw.Struct):
            return _wrong(path, dtype, "a struct type")
        have = {field.name: field.dtype for field in dtype.fields}
        problems = []
        for field in kind:
            inner = f"{path}.{field.name}"
            if field.name not in have:
                problems.append((inner, "the field is missing"))
            else:
                problems += _type_problems(inner, have[field.name], field.type, nullable=True)
        return problems
    wanted, fits = _scalar(kind)
    return [] if fits(dtype) else _wrong(path, dtype, wanted)


def type_problems(frame: Frame, name: str, schema: pa.Schema) -> list[tuple[str, str]]:
    """Each column of ``frame`` that cannot hold what ``schema`` says it holds.

    Whole numbers may be of any width; numbers may also be whole; a column of
    nulls only may have no type where nulls are allowed.
    """
    have = frame.collect_schema()
    problems = []
    for field in schema:
        path = f"{name}.{field.name}"
        problems += _type_problems(path, have[field.name], field.type, nullable=field.nullable)
    return problems


# -- rules ---------------------------------------------------------------------------


@attrs.frozen
class _Rule:
    """A promise of the layout, broken on the rows where ``bad`` is true.

    ``says`` is the message; ``shown`` a column whose value leads it.
    """

    path: str
    bad: nw.Expr
    says: str
    shown: str | None = None


@attrs.frozen
class _Probe:
    """Rules over one frame, whose rows are named by the ``where`` columns.

    ``counted`` names what a row of the frame is, for the count of bad ones;
    ``merge`` marks a frame that joins tables sorted by key, which polars's
    in-memory engine merges; other probes are counted on its streaming engine.
    """

    frame: Frame
    where: tuple[str, ...]
    rules: tuple[_Rule, ...]
    counted: str = "rows"
    merge: bool = False


def _missing(prefix: str, columns: Iterable[str], *, when: nw.Expr | None = None) -> list[_Rule]:
    rules = []
    for column in columns:
        bad = nw.col(column).is_null()
        rules.append(_Rule(f"{prefix}.{column}", bad if when is None else when & bad, "is missing"))
    return rules


def _not_weight(column: str) -> nw.Expr:
    return ~nw.col(column).is_finite() | (nw.col(column) < 0)


def _out_of_range(prefix: str, columns: Iterable[str]) -> list[_Rule]:
    """Dates a Python date cannot hold (a date32 column holds years up to 5 879 610)."""
    says = f"is not a date from {dt.date.min} to {dt.date.max}"
    rules = []
    for column in columns:
        date = nw.col(column)
        bad = (date < nw.lit(dt.date.min)) | (date > nw.lit(dt.date.max))
        rules.append(_Rule(f"{prefix}.{column}", bad, says, column))
    return rules


def _weight_sum_probes(leaves: Frame, parts: Frame) -> list[_Probe]:
    """Sums of weights beyond the largest float: a plan's leaves', a leaf's parts'.

    Roll-ups divide by these sums, as the object model does, which refuses the
    same weights (see [`Plan`][beijing_plan.Plan]). A weight that is itself bad
    is left to its own rule.
    """
    beyond = f"add up to more than the largest float ({sys.float_info.max!r})"
    total = nw.col("total")
    fits = nw.col("weight").is_finite() & (nw.col("weight") >= 0)
    plans = leaves.filter(fits).group_by("plan").agg(nw.col("weight").sum().alias("total"))
    owners = parts.filter(fits).group_by("plan", "leaf").agg(nw.col("weight").sum().alias("total"))
    leaf_sums = _Rule(
        "leaves.weight", ~total.is_finite(), f"the weights of the plan's leaves {beyond}"
    )
    part_sums = _Rule(
        "leaves.parts.weight",
        ~total.is_finite(),
        f"the weights of the leaf's targets and milestones {beyond}",
    )
    return [
        _Probe(plans, ("plan",), (leaf_sums,), counted="plans"),
        _Probe(owners, ("plan", "leaf"), (part_sums,), counted="leaves"),
    ]


def _leaf_probe(leaves: Frame) -> _Probe:
    kind = nw.col("kind")
    parts = nw.col("parts").list.len()
    not_null = ("plan", "leaf", "kind", "key", "measure_set", "theme_set", "measures", "themes")
    rules = [
        *_missing("leaves", not_null),
        *_missing("leaves", ("weight", "plan_start", "plan_end", "start", "due")),
        *_missing("leaves", ("trajectory", "parts")),
        *_out_of_range("leaves", ("plan_start", "plan_end", "start", "due")),
        _Rule("leaves.kind", ~kind.is_in(_LEAF_KINDS), f"is not {_one_of(_LEAF_KINDS)}", "kind"),
        _Rule("leaves.weight", _not_weight("weight"), "is not a number of 0 or more", "weight"),
        _Rule(
            "leaves.parts",
            (kind == "target") & (parts != 1),
            "a measure's own target is a leaf with exactly one part, itself",
        ),
        _Rule("leaves.parts", (kind == "policy") & (parts > 0), "a policy has no parts"),
    ]
    return _Probe(leaves, ("plan", "leaf"), tuple(rules))


def _exploded(leaves: Frame, column: str, fields: Sequence[str]) -> Frame:
    """One row per element of the list ``column``, its struct ``fields`` as columns."""
    listed = nw.col(column)
    return (
        leaves.select("plan", "leaf", "kind", "key", column)
        .explode(column, empty_as_null=False, keep_nulls=False)
        .select(
            "plan",
            "leaf",
            nw.col("kind").alias("leaf_kind"),
            nw.col("key").alias("leaf_key"),
            *(listed.struct.field(name).alias(name) for name in fields),
        )
    )


#: The fields of a part, as the layout has them.
_PART_FIELDS = tuple(field.name for field in LEAVES_SCHEMA.field("parts").type.value_type)


def _part_probe(parts: Frame) -> _Probe:
    kind, comparator = nw.col("kind"), nw.col("comparator")
    target = kind == "target"
    between = comparator == "between"
    upper, baseline = nw.col("upper"), nw.col("baseline")
    own = nw.col("leaf_kind") == "target"
    at = "leaves.parts"
    rules = [
        *_missing(at, ("id", "key", "kind", "weight")),
        *_missing(at, ("comparator", "aggregation", "value"), when=target),
        *_out_of_range(at, ("baseline_on",)),
        _Rule(f"{at}.kind", ~kind.is_in(_PART_KINDS), f"is not {_one_of(_PART_KINDS)}", "kind"),
        _Rule(f"{at}.weight", _not_weight("weight"), "is not a number of 0 or more", "weight"),
        _Rule(
            f"{at}.comparator",
            target & ~comparator.is_in(_COMPARATORS),
            f"is not {_one_of(_COMPARATORS)}",
            "comparator",
        ),
        _Rule(
            f"{at}.aggregation",
            target & ~nw.col("aggregation").is_in(_AGGREGATIONS),
            f"is not {_one_of(_AGGREGATIONS)}",
            "aggregation",
        ),
        _Rule(f"{at}.value", target & ~nw.col("value").is_finite(), "is not a number", "value"),
        _Rule(f"{at}.upper", target & between & upper.is_null(), "a 'between' target needs one"),
        _Rule(
            f"{at}.upper",
            target & between & (~upper.is_finite() | (upper < nw.col("value"))),
            "is not a number at or above the target's value",
            "upper",
        ),
        _Rule(
            f"{at}.upper",
            target & ~between & ~upper.is_null(),
            "only a 'between' target has an upper bound",
            "upper",
        ),
        _Rule(f"{at}.baseline", target & ~baseline.is_finite(), "is not a number", "baseline"),
        _Rule(
            f"{at}.baseline_on",
            baseline.is_null() != nw.col("baseline_on").is_null(),
            "a baseline has a value and a date, or neither",
        ),
        _Rule(
            f"{at}.key",
            own & ((nw.col("key") != nw.col("leaf_key")) | (kind != "target")),
            "the part of a measure's own target is a target with its leaf's key",
            "key",
        ),
        _Rule(
            f"{at}.key",
            ~own & (nw.col("key") == nw.col("leaf_key")),
            "is the key of the part's task: a part needs a key of its own",
            "key",
        ),
    ]
    return _Probe(parts, ("plan", "leaf", "id"), tuple(rules))


def _trajectory_probes(leaves: Frame) -> list[_Probe]:
    points = _exploded(leaves, "trajectory", ("on", "fraction"))
    fraction = nw.col("fraction")
    at = "leaves.trajectory"
    rules = [
        *_missing(at, ("on", "fraction")),
        *_out_of_range(at, ("on",)),
        _Rule(
            f"{at}.fraction",
            ~fraction.is_finite() | (fraction < 0) | (fraction > 1),
            "is not between 0 and 1",
            "fraction",
        ),
    ]
    repeated = points.group_by("plan", "leaf", "on").agg(nw.len().alias("n"))
    twice = _Rule(f"{at}.on", nw.col("n") > 1, "has two points or more", "on")
    return [
        _Probe(points, ("plan", "leaf"), tuple(rules)),
        _Probe(repeated, ("plan", "leaf"), (twice,), counted="days"),
    ]


def _theme_probes(themes: Frame) -> list[_Probe]:
    """The themes' fields; each leaf's list; one tree per plan.

    A leaf lists the parent of every theme it lists, and calls a theme direct
    exactly when it lists none of its sub-themes (a theme without a listed
    sub-theme is one the leaf is tagged with, as it is no listed theme's
    ancestor). In a plan, each theme has one parent and depth, one more than
    its parent's.
    """
    at = "leaves.themes"
    depth, parent = nw.col("depth"), nw.col("parent")
    rules = [
        *_missing(at, ("id", "depth", "direct")),
        _Rule(f"{at}.depth", depth < 0, "is negative", "depth"),
        _Rule(f"{at}.parent", (depth == 0) & ~parent.is_null(), "a theme at depth 0 has none"),
        _Rule(f"{at}.parent", (depth > 0) & parent.is_null(), "a theme below the top needs one"),
    ]
    below = themes.filter(~parent.is_null())
    listed = themes.select("key", nw.col("id").alias("parent")).unique()
    orphans = below.join(listed, on=["key", "parent"], how="anti")
    parents = below.select(
        "key", nw.col("parent").alias("id"), nw.lit(value=True, dtype=nw.Boolean()).alias("above")
    )
    flagged = themes.join(parents.unique(), on=["key", "id"], how="left").with_columns(
        nw.col("above").fill_null(value=False).cast(nw.Boolean())
    )
    direct, above = nw.col("direct"), nw.col("above")
    tree = themes.select("plan", "id", "parent", "depth").unique()
    places = tree.group_by("plan", "id").agg(nw.len().alias("n"))
    levels = tree.select("plan", nw.col("id").alias("parent"), nw.col("depth").alias("up"))
    linked = tree.filter(~parent.is_null()).join(levels, on=["plan", "parent"], how="inner")
    where = ("plan", "leaf", "id")
    return [
        _Probe(themes, where, tuple(rules)),
        _Probe(
            orphans,
            where,
            (_Rule(f"{at}.parent", ~parent.is_null(), "is not among the leaf's themes", "parent"),),
        ),
        _Probe(
            flagged,
            where,
            (
                _Rule(
                    f"{at}.direct",
                    direct & above,
                    "is true, but the leaf lists a sub-theme of the theme",
                ),
                _Rule(
                    f"{at}.direct",
                    ~direct & ~above,
                    "is false, but the leaf lists no sub-theme of the theme",
                ),
            ),
        ),
        _Probe(
            places,
            ("plan", "id"),
            (_Rule(at, nw.col("n") > 1, "the theme is given two parents or depths"),),
            counted="themes",
        ),
        _Probe(
            linked,
            ("plan", "id"),
            (
                _Rule(
                    f"{at}.depth",
                    nw.col("up") != depth - 1,
                    "is not one more than its parent's",
                    "depth",
                ),
            ),
            counted="themes",
        ),
    ]


# -- sets ------------------------------------------------------------------------------


_SET_FIELDS = {"measures": (), "themes": ("id", "parent", "depth", "direct")}


def _set_rules(column: str, listed: str) -> tuple[_Rule, ...]:
    return (
        _Rule(
            f"leaves.{column}",
            nw.col("plans") > 1,
            "is shared by leaves of different plans",
            column,
        ),
        _Rule(
            f"leaves.{column}",
            nw.col("lists") > 1,
            f"is shared by leaves with different {listed}",
            column,
        ),
    )


def _hashed_sets(leaves: Frame, column: str, listed: str) -> Frame:
    """On polars: per set, how many plans and distinct lists (1 or 2), and its first key.

    Hashing each list is many times faster than exploding every leaf's. Two
    lists that differ pass for one only when their 64-bit hashes agree, a
    chance of one in about 2**64; only the list of each set's first leaf is
    then exploded, for the checks of the elements.
    """
    polars = require("polars")
    hashed = polars.col(listed).hash()
    plan = polars.col("plan")
    sets = (
        leaves.to_native()
        .group_by(column)
        .agg(
            (plan.min() != plan.max()).cast(polars.Int64).alias("plans") + 1,
            (hashed.min() != hashed.max()).cast(polars.Int64).alias("lists") + 1,
            polars.col("key").min(),
        )
    )
    summary: Frame = nw.from_native(sets).lazy()
    return summary


def _set_probes(leaves: Frame, column: str, listed: str) -> tuple[list[_Probe], Frame]:
    """Whether every leaf of a set has its set's plan and list, on any backend.

    Returns the probes, and every leaf's list exploded (a row per element,
    with ``plan``, ``leaf``, ``key`` and the element's fields) for the checks
    of the elements themselves. Leaving aside an element a leaf lists twice
    (a problem of its own), the lists of a set agree when every leaf has as
    many elements as the set has distinct ones and each is held by every leaf.
    """
    fields = _SET_FIELDS[listed]
    every = (*(fields or ("element",)),)
    elements = _elements(leaves, column, listed, fields)
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
        _Probe(per_set, (), _set_rules(column, listed), counted="sets"),
        _twice(elements, listed),
    ]
    return probes, elements


def _elements(frame: Frame, column: str, listed: str, fields: Sequence[str]) -> Frame:
    exploded = frame.select("plan", "leaf", "key", column, listed).explode(
        listed, empty_as_null=False, keep_nulls=False
    )
    if not fields:
        return exploded.rename({listed: "element"})
    item = nw.col(listed)
    return exploded.select(
        "plan", "leaf", "key", column, *(item.struct.field(name).alias(name) for name in fields)
    )


def _twice(elements: Frame, listed: str) -> _Probe:
    """No list names one item twice."""
    ids = ("id",) if listed == "themes" else ("element",)
    twice = elements.group_by("plan", "leaf", *ids).agg(nw.len().alias("n"))
    rule = _Rule(f"leaves.{listed}", nw.col("n") > 1, "lists one item twice", ids[0])
    return _Probe(twice, ("plan", "leaf"), (rule,), counted="lists")


# -- records -------------------------------------------------------------------------


def _record_probe(records: Frame) -> _Probe:
    """The rules of each record alone."""
    kind, status = nw.col("kind"), nw.col("status")
    value, percent = nw.col("value"), nw.col("percent")
    observation, change = kind == "observation", kind == "status"
    seq = nw.col("seq")
    rules = [
        *_missing("records", ("plan", "item", "key", "on", "seq", "kind")),
        *_out_of_range("records", ("on",)),
        _Rule(
            "records.kind", ~kind.is_in(_RECORD_KINDS), f"is not {_one_of(_RECORD_KINDS)}", "kind"
        ),
        _Rule("records.seq", (seq < 0) | (seq >= SEQ_LIMIT), "is not from 0 to 2**32 - 1", "seq"),
        _Rule("records.value", observation & value.is_null(), "an observation needs one"),
        _Rule("records.value", observation & ~value.is_finite(), "is not a number", "value"),
        _Rule("records.value", change & ~value.is_null(), "a status change has none", "value"),
        _Rule(
            "records.status",
            observation & ~status.is_null(),
            "an observation has none",
            "status",
        ),
        _Rule("records.status", change & status.is_null(), "a status change needs one"),
        _Rule(
            "records.status",
            change & ~status.is_in(_STATUSES),
            f"is not {_one_of(_STATUSES)}",
            "status",
        ),
        _Rule(
            "records.percent",
            observation & ~percent.is_null(),
            "an observation has none",
            "percent",
        ),
        _Rule(
            "records.percent",
            change & (~percent.is_finite() | (percent < 0) | (percent > 100)),
            "is not between 0 and 100",
            "percent",
        ),
    ]
    return _Probe(records, ("plan", "item", "on"), tuple(rules))


def _repeated_records(records: Frame) -> list[_Probe]:
    """No two records of one item on one day with one ``seq``: which wins would be a guess.

    On polars, records sorted by key, day and ``seq`` without a repeat (as
    :func:`~beijing_plan.columnar.to_tables` writes them) are recognised in one
    pass over the columns; only others are grouped.
    """
    if records.implementation is nw.Implementation.POLARS:
        polars = require("polars")
        key = polars.col("key")
        rank = polars.col("on").cast(polars.Int64) * SEQ_LIMIT + polars.col("seq")
        step = polars.when(key.diff() != 0).then(key.diff() > 0).otherwise(rank.diff() > 0)
        ordered = records.to_native().select(step.slice(1).all()).collect().item()
        if ordered is not False:
            return []
    grouped = records.group_by("key", "on", "seq").agg(
        nw.col("plan").min(), nw.col("item").min(), nw.len().alias("n")
    )
    rule = _Rule(
        "records.seq", nw.col("n") > 1, "is given to two records of the item that day", "seq"
    )
    return [_Probe(grouped, ("plan", "item", "on"), (rule,), counted="repeats")]


def _takes(kind: str) -> nw.Expr:
    """The kind of record an item takes, from its ``kind`` column: targets are observed."""
    is_target = nw.col(kind) == "target"
    return nw.when(is_target).then(nw.lit("observation")).otherwise(nw.lit("status")).alias("takes")


def _items(leaves: Frame, parts: Frame) -> Frame:
    """Every item a record may name: ``key, owner, id, takes`` (the kind of record it takes).

    A measure's own target is its leaf; the other parts are items of their own.
    """
    named = leaves.select(
        "key", nw.col("plan").alias("owner"), nw.col("leaf").alias("id"), _takes("kind")
    )
    inner = parts.filter(nw.col("leaf_kind") != "target").select(
        "key", nw.col("plan").alias("owner"), "id", _takes("kind")
    )
    return nw.concat([named, inner], how="vertical")


def _unique_keys(items: Frame) -> list[_Probe]:
    """A probe of the keys given to more than one item, if any are; else none.

    It is known at once (on polars, where ``items`` is sorted by key, in one
    pass), as the records are matched to their items only when keys are unique:
    otherwise each record of a shared key would be reported too.
    """
    if items.implementation is nw.Implementation.POLARS:
        key = require("polars").col("key")
        if items.to_native().select(key.diff().slice(1).min()).collect().item() != 0:
            return []
    shared = (
        items.group_by("key")
        .agg(nw.len().alias("n"), nw.col("owner").min().alias("plan"), nw.col("id").min())
        .filter(nw.col("n") > 1)
    )
    if not shared.select(nw.len()).collect().item():
        return []
    rule = _Rule("leaves.key", nw.col("n") > 1, "is given to more than one item", "key")
    return [_Probe(shared, ("plan", "id"), (rule,), counted="keys")]


def _matched_probe(items: Frame, records: Frame) -> _Probe:
    """The rules of each record, with its key its item's, of a kind that takes it.

    The records are read once, joined to their items (by merging, on polars,
    as both are sorted by key), for their own rules and these.
    """
    named = records.join(items, on="key", how="left")
    found = ~nw.col("id").is_null()
    matched = (
        _Rule("records.key", ~found, "is the key of no leaf or part", "key"),
        _Rule(
            "records.key",
            found & ((nw.col("owner") != nw.col("plan")) | (nw.col("id") != nw.col("item"))),
            "is the key of another item",
            "key",
        ),
        _Rule(
            "records.kind",
            found & nw.col("kind").is_in(_RECORD_KINDS) & (nw.col("takes") != nw.col("kind")),
            "is not the kind of record its item takes (targets are observed; "
            "tasks, policies and milestones change status)",
            "kind",
        ),
    )
    alone = _record_probe(named)
    return _Probe(named, alone.where, (*alone.rules, *matched), merge=True)


# -- running -------------------------------------------------------------------------


def _counts(probes: Sequence[_Probe]) -> list[list[int]]:
    """How many rows break each rule of each probe: one query per probe."""
    queries = [
        probe.frame.select(
            *(
                rule.bad.fill_null(value=False).cast(nw.Int64()).sum().alias(f"r{i}")
                for i, rule in enumerate(probe.rules)
            )
        )
        for probe in probes
    ]
    if not queries or queries[0].implementation is not nw.Implementation.POLARS:
        rows = [query.collect().row(0) for query in queries]
        return [[int(count or 0) for count in row] for row in rows]
    polars = require("polars")
    found: dict[int, tuple[Any, ...]] = {}
    for merge, engine in ((False, "streaming"), (True, "in-memory")):
        chosen = [i for i, probe in enumerate(probes) if probe.merge is merge]
        frames = polars.collect_all([queries[i].to_native() for i in chosen], engine=engine)
        found.update(zip(chosen, (frame.row(0) for frame in frames), strict=True))
    return [[int(count or 0) for count in found[i]] for i in range(len(probes))]


def _place(row: dict[str, Any], where: Sequence[str]) -> str:
    return ", ".join(f"{column} {_shown(row[column])}" for column in where)


@attrs.frozen
class _Day:
    """A date as the backend writes it, for a date Python may not hold (year 99999, say)."""

    text: str


def _shown(value: Any) -> str:
    if isinstance(value, _Day):
        return value.text
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return repr(value)


def _problem(probe: _Probe, rule: _Rule, count: int) -> tuple[str, str]:
    """The problem of a rule broken by ``count`` rows: its first bad row shown.

    Rows are sorted first, so that the row shown does not depend on how a
    backend orders them; dates are then turned into text, as a date outside
    Python's range cannot be collected as one.
    """
    columns = list(dict.fromkeys((*probe.where, *((rule.shown,) if rule.shown else ()))))
    rows: list[dict[str, Any]] = []
    if columns:
        bad = probe.frame.filter(rule.bad.fill_null(value=False)).select(*columns)
        first = bad.sort(*columns).head(1)
        types = first.collect_schema()
        dates = {column for column in columns if isinstance(types[column], nw.Date)}
        texts = [nw.col(c).cast(nw.String()) if c in dates else nw.col(c) for c in columns]
        rows = [
            {c: _Day(v) if c in dates and v is not None else v for c, v in row.items()}
            for row in first.select(*texts).collect().rows(named=True)
        ]
    message = rule.says
    if rows:
        row = rows[0]
        if rule.shown is not None:
            message = f"{_shown(row[rule.shown])} {message}"
        if probe.where:
            message += f" ({_place(row, probe.where)})"
    if count > 1:
        message += f"; {count} {probe.counted} in all"
    return rule.path, message


def check_tables(leaves: Frame, records: Frame) -> None:
    """Raise if the tables break a promise of the layout, naming every broken one.

    The columns' types are to be checked first (see :func:`type_problems`), as
    these checks read the values.

    Raises:
        PlanValidationError: with a problem per broken rule, its path the column.
    """
    polars = leaves.implementation is nw.Implementation.POLARS
    sets = (("measure_set", "measures"), ("theme_set", "themes"))
    steps = [(_exploded(leaves, "parts", _PART_FIELDS), None)]
    if polars:
        steps += [(_hashed_sets(leaves, column, listed), None) for column, listed in sets]
    # Frames read by several checks are computed once (on polars; see checkpoints).
    parts, *hashed = checkpoints(*steps, engine="streaming")
    items_step = (_items(leaves, parts), "key")
    if polars:
        # The list of each set's first leaf, for the checks of its elements.
        firsts = leaves.select(
            "plan", "leaf", "key", "measure_set", "measures", "theme_set", "themes"
        )
        chosen = nw.concat([summary.select("key") for summary in hashed], how="vertical")
        items, first = checkpoints(
            items_step, (firsts.join(chosen, on="key", how="semi"), None), engine="streaming"
        )
    else:
        (items,) = checkpoints(items_step)
    probes = [_leaf_probe(leaves), _part_probe(parts), *_trajectory_probes(leaves)]
    probes += _weight_sum_probes(leaves, parts)
    for index, (column, listed) in enumerate(sets):
        if polars:
            summary = hashed[index]
            own = first.join(summary.select("key"), on="key", how="semi")
            elements = _elements(own, column, listed, _SET_FIELDS[listed])
            probes += [
                _Probe(summary, (), _set_rules(column, listed), counted="sets"),
                _twice(elements, listed),
            ]
        else:
            made, elements = _set_probes(leaves, column, listed)
            probes += made
        if listed == "themes":
            probes += _theme_probes(elements)
    # Records are matched to items only by unique keys (see _unique_keys).
    shared = _unique_keys(items)
    repeated = _repeated_records(records)
    if shared:
        probes += [_record_probe(records), *repeated, *shared]
    else:
        probes += [_matched_probe(items, records), *repeated]
    problems = [
        _problem(probe, rule, count)
        for probe, counts in zip(probes, _counts(probes), strict=True)
        for rule, count in zip(probe.rules, counts, strict=True)
        if count
    ]
    if problems:
        raise PlanValidationError(problems)
