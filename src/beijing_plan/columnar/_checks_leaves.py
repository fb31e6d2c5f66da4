"""The checks of the leaves table's own rows: leaves, their parts, trajectories and weights."""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence

import narwhals as nw

from ._checks_rules import (
    COUNTED,
    Frame,
    Probe,
    Rule,
    Translation,
    among,
    missing_values,
    not_weight,
    on_polars,
    one_of,
    out_of_range,
)
from ._tables import LEAVES_SCHEMA

__all__ = [
    "PART_FIELDS",
    "at_most_half",
    "exploded",
    "leaf_probe",
    "part_probe",
    "trajectory_probes",
    "weight_sum_probes",
    "weight_sum_probes_beyond",
    "weight_total",
]

_LEAF_KINDS = ("task", "policy", "target")
_PART_KINDS = ("target", "milestone")
_COMPARATORS = ("at_least", "at_most", "exactly", "between")
_AGGREGATIONS = ("last", "sum", "max", "min", "mean")


def weight_sum_probes(leaves: Frame, parts: Frame) -> list[Probe]:
    """Sums of weights beyond the largest float: a plan's leaves', a leaf's parts'.

    Roll-ups divide by these sums, as the object model does, which refuses the
    same weights (see [`Plan`][beijing_plan.Plan]). A weight that is itself bad
    is left to its own rule.

    The weights are 0 or more, so no plan's or leaf's sum exceeds the sum of the
    whole table's, whatever order they are added in, by more than rounding: where
    that is at most half the largest float, none can overflow and the sums are
    not grouped at all.
    """
    if all(at_most_half(weight_total(frame).collect().item()) for frame in (leaves, parts)):
        return []
    return weight_sum_probes_beyond(leaves, parts)


def weight_total(frame: Frame) -> Frame:
    """The sum of the weights of 0 or more of `frame` (leaves or parts), as one row."""
    return _TOTAL.select(_FITS.filter(frame))


def weight_sum_probes_beyond(leaves: Frame, parts: Frame) -> list[Probe]:
    """The probes of the sums of weights of each plan's leaves and each leaf's parts."""
    plans = _SUMS.agg(_FITS.filter(leaves), "plan")
    owners = _SUMS.agg(_FITS.filter(parts), "plan", "leaf")
    leaf_sums, part_sums = _sum_rules()
    return [
        Probe(plans, ("plan",), leaf_sums, counted="plans"),
        Probe(owners, ("plan", "leaf"), part_sums, counted="leaves"),
    ]


#: The weights that are numbers of 0 or more (others have rules of their own).
_FITS = Translation((nw.col("weight").is_finite() & (nw.col("weight") >= 0),))
_TOTAL = Translation((nw.col("weight").sum(),))
_SUMS = Translation((nw.col("weight").sum().alias("total"),))


@functools.cache
def _sum_rules() -> tuple[tuple[Rule], tuple[Rule]]:
    """The rule of the sums of a plan's leaves' weights, and that of a leaf's parts'."""
    beyond = f"add up to more than the largest float ({sys.float_info.max!r})"
    total = nw.col("total")
    return (
        (Rule("leaves.weight", ~total.is_finite(), f"the weights of the plan's leaves {beyond}"),),
        (
            Rule(
                "leaves.parts.weight",
                ~total.is_finite(),
                f"the weights of the leaf's targets and milestones {beyond}",
            ),
        ),
    )


def at_most_half(total: object) -> bool:
    """Whether a sum of weights (a null one for no rows) is at most half the largest float.

    See [`weight_sum_probes`][beijing_plan.columnar._checks_leaves.weight_sum_probes].
    """
    return total is None or (isinstance(total, float | int) and total <= sys.float_info.max / 2)


def leaf_probe(leaves: Frame) -> Probe:
    return Probe(leaves, ("plan", "leaf"), _leaf_rules(polars=on_polars(leaves)))


@functools.cache
def _leaf_rules(*, polars: bool) -> tuple[Rule, ...]:
    kind = nw.col("kind")
    parts = nw.col("parts").list.len()
    not_null = ("plan", "leaf", "kind", "key", "measure_set", "theme_set", "measures", "themes")
    rules = [
        *missing_values("leaves", not_null),
        *missing_values("leaves", ("weight", "plan_start", "plan_end", "start", "due")),
        *missing_values("leaves", ("trajectory", "parts")),
        *out_of_range("leaves", ("plan_start", "plan_end", "start", "due"), polars=polars),
        Rule(
            "leaves.kind",
            ~among("kind", _LEAF_KINDS, polars=polars),
            f"is not {one_of(_LEAF_KINDS)}",
            "kind",
        ),
        Rule("leaves.weight", not_weight("weight"), "is not a number of 0 or more", "weight"),
        Rule(
            "leaves.parts",
            (kind == "target") & (parts != 1),
            "a measure's own target is a leaf with exactly one part, itself",
        ),
        Rule("leaves.parts", (kind == "policy") & (parts > 0), "a policy has no parts"),
    ]
    return tuple(rules)


def exploded(leaves: Frame, column: str, fields: Sequence[str]) -> Frame:
    """One row per element of the list `column`, its struct `fields` as columns."""
    chosen, split = _exploding(column, tuple(fields))
    listed = chosen.select(leaves).explode(column, empty_as_null=False, keep_nulls=False)
    return split.select(listed)


@functools.cache
def _exploding(column: str, fields: tuple[str, ...]) -> tuple[Translation, Translation]:
    """The columns `exploded` takes of the leaves, and those it makes of the exploded rows."""
    listed = nw.col(column)
    chosen = Translation(tuple(nw.col(name) for name in ("plan", "leaf", "kind", "key", column)))
    split = Translation(
        (
            nw.col("plan"),
            nw.col("leaf"),
            nw.col("kind").alias("leaf_kind"),
            nw.col("key").alias("leaf_key"),
            *(listed.struct.field(name).alias(name) for name in fields),
        )
    )
    return chosen, split


#: The fields of a part, as the layout has them.
PART_FIELDS = tuple(field.name for field in LEAVES_SCHEMA.field("parts").type.value_type)


def part_probe(parts: Frame) -> Probe:
    """The rules of each part; whether it is a target, and a 'between' one, computed once."""
    polars = on_polars(parts)
    flags, rules = _part_rules(polars=polars)
    return Probe(flags.with_columns(parts), ("plan", "leaf", "id"), rules)


@functools.cache
def _part_rules(*, polars: bool) -> tuple[Translation, tuple[Rule, ...]]:
    """The columns a probe of the parts adds, and its rules."""
    kind, comparator = nw.col("kind"), nw.col("comparator")
    flags = Translation(
        (
            (kind == "target").alias("_target"),
            (comparator == "between").alias("_between"),
            (nw.col("leaf_kind") == "target").alias("_own"),
        )
    )
    target, between, own = nw.col("_target"), nw.col("_between"), nw.col("_own")
    upper, baseline = nw.col("upper"), nw.col("baseline")
    at = "leaves.parts"
    rules = [
        *missing_values(at, ("id", "key", "kind", "weight")),
        *missing_values(at, ("comparator", "aggregation", "value"), when=target),
        *out_of_range(at, ("baseline_on",), polars=polars),
        Rule(
            f"{at}.kind",
            ~among("kind", _PART_KINDS, polars=polars),
            f"is not {one_of(_PART_KINDS)}",
            "kind",
        ),
        Rule(f"{at}.weight", not_weight("weight"), "is not a number of 0 or more", "weight"),
        Rule(
            f"{at}.comparator",
            target & ~among("comparator", _COMPARATORS, polars=polars),
            f"is not {one_of(_COMPARATORS)}",
            "comparator",
        ),
        Rule(
            f"{at}.aggregation",
            target & ~among("aggregation", _AGGREGATIONS, polars=polars),
            f"is not {one_of(_AGGREGATIONS)}",
            "aggregation",
        ),
        Rule(f"{at}.value", target & ~nw.col("value").is_finite(), "is not a number", "value"),
        Rule(f"{at}.upper", target & between & upper.is_null(), "a 'between' target needs one"),
        Rule(
            f"{at}.upper",
            target & between & (~upper.is_finite() | (upper < nw.col("value"))),
            "is not a number at or above the target's value",
            "upper",
        ),
        Rule(
            f"{at}.upper",
            target & ~between & ~upper.is_null(),
            "only a 'between' target has an upper bound",
            "upper",
        ),
        Rule(f"{at}.baseline", target & ~baseline.is_finite(), "is not a number", "baseline"),
        Rule(
            f"{at}.baseline_on",
            baseline.is_null() != nw.col("baseline_on").is_null(),
            "a baseline has a value and a date, or neither",
        ),
        Rule(
            f"{at}.key",
            own & ((nw.col("key") != nw.col("leaf_key")) | ~target),
            "the part of a measure's own target is a target with its leaf's key",
            "key",
        ),
        Rule(
            f"{at}.key",
            ~own & (nw.col("key") == nw.col("leaf_key")),
            "is the key of the part's task: a part needs a key of its own",
            "key",
        ),
    ]
    return flags, tuple(rules)


def trajectory_probes(leaves: Frame) -> list[Probe]:
    points = exploded(leaves, "trajectory", ("on", "fraction"))
    rules, twice = _trajectory_rules(polars=on_polars(leaves))
    repeated = COUNTED.agg(points, "plan", "leaf", "on")
    return [
        Probe(points, ("plan", "leaf"), rules),
        Probe(repeated, ("plan", "leaf"), twice, counted="days"),
    ]


@functools.cache
def _trajectory_rules(*, polars: bool) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """The rules of each trajectory point, and of the points of a leaf on a day."""
    fraction = nw.col("fraction")
    at = "leaves.trajectory"
    rules = [
        *missing_values(at, ("on", "fraction")),
        *out_of_range(at, ("on",), polars=polars),
        Rule(
            f"{at}.fraction",
            ~fraction.is_finite() | (fraction < 0) | (fraction > 1),
            "is not between 0 and 1",
            "fraction",
        ),
    ]
    twice = Rule(f"{at}.on", nw.col("n") > 1, "has two points or more", "on")
    return tuple(rules), (twice,)
