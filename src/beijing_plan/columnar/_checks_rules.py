"""The machinery of the checks of the tables: rules, probes, and how broken ones are reported.

A [`Rule`][beijing_plan.columnar._checks_rules.Rule] is an expression true on a
bad row; a [`Probe`][beijing_plan.columnar._checks_rules.Probe] holds the rules of
one frame. All rules of a probe are counted in one aggregate query
([`count_broken`][beijing_plan.columnar._checks_rules.count_broken]), and only a
rule that some row breaks is asked for its first bad row
([`problem`][beijing_plan.columnar._checks_rules.problem]).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

import attrs
import narwhals as nw

from ._deps import require

__all__ = [
    "Frame",
    "Probe",
    "Rule",
    "among",
    "count_broken",
    "count_query",
    "missing_values",
    "not_weight",
    "one_of",
    "out_of_range",
    "problem",
]

Frame: TypeAlias = nw.LazyFrame[Any]


def one_of(values: Sequence[str]) -> str:
    quoted = [repr(value) for value in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


@attrs.frozen
class Rule:
    """A promise of the layout, broken on the rows where `bad` is true.

    `says` is the message; `shown` a column whose value leads it.
    """

    path: str
    bad: nw.Expr
    says: str
    shown: str | None = None


@attrs.frozen
class Probe:
    """Rules over one frame, whose rows are named by the `where` columns.

    `counted` names what a row of the frame is, for the count of bad ones;
    `merge` marks a frame that joins tables sorted by key, which polars's
    in-memory engine merges; other probes are counted on its streaming engine.
    `counts` is the probe's [`count_query`][beijing_plan.columnar._checks_rules.count_query]
    where it was computed beforehand, beside other steps.
    """

    frame: Frame
    where: tuple[str, ...]
    rules: tuple[Rule, ...]
    counted: str = "rows"
    merge: bool = False
    counts: Frame | None = None


def among(column: str, values: Sequence[str], frame: Frame) -> nw.Expr:
    """Whether `column` holds one of `values` (null where it is null).

    On polars a few short strings are compared one by one, about twice as fast as
    hashing every row for `is_in`, and the comparisons are shared with the rules
    that make the same ones.
    """
    if frame.implementation is not nw.Implementation.POLARS:
        return nw.col(column).is_in(values)
    first, *others = (nw.col(column) == value for value in values)
    for other in others:
        first |= other
    return first


def missing_values(
    prefix: str, columns: Iterable[str], *, when: nw.Expr | None = None
) -> list[Rule]:
    rules = []
    for column in columns:
        bad = nw.col(column).is_null()
        rules.append(Rule(f"{prefix}.{column}", bad if when is None else when & bad, "is missing"))
    return rules


def not_weight(column: str) -> nw.Expr:
    return ~nw.col(column).is_finite() | (nw.col(column) < 0)


#: The first and last days a Python date holds, as days since 1970-01-01.
_FIRST_DAY = (dt.date.min - dt.date(1970, 1, 1)).days
_LAST_DAY = (dt.date.max - dt.date(1970, 1, 1)).days


def out_of_range(prefix: str, columns: Iterable[str], frame: Frame) -> list[Rule]:
    """Dates a Python date cannot hold (a date32 column holds years up to 5 879 610).

    Polars stores a date as its number of days since 1970, which is compared with
    the first and last days Python holds, several times faster than taking the year.
    """
    says = f"is not a date from {dt.date.min} to {dt.date.max}"
    stored = frame.implementation is nw.Implementation.POLARS
    rules = []
    for column in columns:
        if stored:
            day = nw.col(column).cast(nw.Int32())
            bad = (day < _FIRST_DAY) | (day > _LAST_DAY)
        else:
            # By the year rather than against date literals: Spark cannot take the
            # literal of year 1, which Python writes without its leading zeros.
            year = nw.col(column).dt.year()
            bad = (year < dt.MINYEAR) | (year > dt.MAXYEAR)
        rules.append(Rule(f"{prefix}.{column}", bad, says, column))
    return rules


def _count(bad: nw.Expr, frame: Frame) -> nw.Expr:
    """The number of rows where `bad` is true."""
    if frame.implementation is nw.Implementation.POLARS:
        return bad.sum()
    return bad.fill_null(value=False).cast(nw.Int64()).sum()


def count_query(probe: Probe) -> Frame:
    """A query of one row: how many rows break each rule of `probe`.

    Polars adds up booleans as they are, leaving nulls out; other backends are given
    whole numbers.
    """
    return probe.frame.select(
        *(_count(rule.bad, probe.frame).alias(f"r{i}") for i, rule in enumerate(probe.rules))
    )


def count_broken(probes: Sequence[Probe]) -> list[list[int]]:
    """How many rows break each rule of each probe: one query per probe not yet counted."""
    queries = [count_query(probe) if probe.counts is None else probe.counts for probe in probes]
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


def problem(probe: Probe, rule: Rule, count: int) -> tuple[str, str]:
    """The problem of a rule broken by `count` rows: its first bad row shown.

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
