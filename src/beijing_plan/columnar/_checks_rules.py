"""The machinery of the checks of the tables: rules, probes, and how broken ones are reported.

A [`Rule`][beijing_plan.columnar._checks_rules.Rule] is an expression true on a
bad row; a [`Probe`][beijing_plan.columnar._checks_rules.Probe] holds the rules of
one frame. All rules of a probe are counted in one aggregate query
([`count_broken`][beijing_plan.columnar._checks_rules.count_broken]), and only a
rule that some row breaks is asked for its first bad row
([`problem`][beijing_plan.columnar._checks_rules.problem]).

Narwhals translates an expression into the backend's anew each time a frame
is given it, which costs about 0.3 ms of Python a rule: for the hundred-odd
rules of the checks, more than polars takes to count them on a small portfolio.
On polars the rules are translated once instead (see
[`Translation`][beijing_plan.columnar._checks_rules.Translation]): the rules of
each probe are made once, and so are the expressions their counts are made of.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

import attrs
import narwhals as nw

from ._deps import require

__all__ = [
    "COUNTED",
    "Frame",
    "Probe",
    "Rule",
    "Translation",
    "among",
    "count_broken",
    "count_query",
    "counts_of",
    "missing_values",
    "not_weight",
    "on_polars",
    "one_of",
    "out_of_range",
    "problem",
    "wrap",
]

Frame: TypeAlias = nw.LazyFrame[Any]


def one_of(values: Sequence[str]) -> str:
    quoted = [repr(value) for value in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


@attrs.frozen(eq=False)
class Rule:
    """A promise of the layout, broken on the rows where `bad` is true.

    `says` is the message; `shown` a column whose value leads it. Rules are
    equal only to themselves, so that a tuple of them can key the translation of
    their counts (see [`count_query`][beijing_plan.columnar._checks_rules.count_query]).
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
    """

    frame: Frame
    where: tuple[str, ...]
    rules: tuple[Rule, ...]
    counted: str = "rows"
    merge: bool = False


@attrs.define(eq=False)
class Translation:
    """Expressions written with narwhals, translated once for polars.

    Narwhals translates expressions each time a frame is given them. On polars,
    they are asked of narwhals once for each kind of step (a `select`, a
    `filter`...), the first time a polars frame is given them, in the way its
    own steps ask; that first time the plan of the step made with them is
    compared with the plan narwhals makes itself, and they are kept only where
    the two are the same. Otherwise (or where this version of narwhals cannot be
    asked) narwhals is given the expressions every time, as on other backends:
    the verdict is the same, only slower. A translation is made once per process
    by the function that makes its expressions, cached, or at module level.
    """

    exprs: tuple[nw.Expr, ...]
    _native: dict[str, tuple[Any, ...] | None] = attrs.field(factory=dict)

    def translated(self, step: str) -> bool:
        """Whether the polars expressions of `step` are known, and as narwhals makes them."""
        return self._native.get(step) is not None

    def select(self, frame: Frame) -> Frame:
        """`frame.select` of the expressions."""
        return self._apply(
            "select",
            self.exprs,
            frame,
            lambda: frame.select(*self.exprs),
            lambda native, exprs: native.select(exprs),
        )

    def with_columns(self, frame: Frame) -> Frame:
        """`frame.with_columns` of the expressions."""
        return self._apply(
            "with_columns",
            self.exprs,
            frame,
            lambda: frame.with_columns(*self.exprs),
            lambda native, exprs: native.with_columns(exprs),
        )

    def filter(self, frame: Frame) -> Frame:
        """`frame.filter` of the expressions: the rows where all are true.

        Narwhals filters by one predicate, all of the expressions horizontally.
        """
        return self._apply(
            "filter",
            (nw.all_horizontal(*self.exprs, ignore_nulls=False),),
            frame,
            lambda: frame.filter(*self.exprs),
            lambda native, exprs: native.filter(*exprs),
        )

    def agg(self, frame: Frame, *keys: str) -> Frame:
        """`frame.group_by(*keys).agg` of the expressions."""
        return self._apply(
            "agg",
            self.exprs,
            frame,
            lambda: frame.group_by(*keys).agg(*self.exprs),
            lambda native, exprs: native.group_by(*keys).agg(exprs),
        )

    def _apply(
        self,
        step: str,
        exprs: tuple[nw.Expr, ...],
        frame: Frame,
        written: Callable[[], Frame],
        native_step: Callable[[Any, tuple[Any, ...]], Any],
    ) -> Frame:
        """The step on `frame`: `native_step` of the polars expressions, else `written`."""
        if not on_polars(frame):
            return written()
        if step not in self._native:
            self._native[step] = _translate(exprs, frame, written, native_step)
        native = self._native[step]
        if native is None:
            return written()
        return wrap(frame, native_step(frame.to_native(), native))


def _translate(
    exprs: tuple[nw.Expr, ...],
    frame: Frame,
    written: Callable[[], Frame],
    native_step: Callable[[Any, tuple[Any, ...]], Any],
) -> tuple[Any, ...] | None:
    """The polars expressions narwhals makes of `exprs`, if its step is made of them.

    They are asked of the namespace of `frame`, as narwhals's steps ask; `None`
    where that cannot be done, or where the plan of `native_step` with them differs
    from the plan of the step narwhals makes (`written`).
    """
    polars = require("polars")
    try:
        namespace = frame.__narwhals_namespace__()
        compliant: list[Any] = [expr._to_compliant_expr(namespace) for expr in exprs]
        native = tuple(expr.native for expr in compliant)
    except Exception:  # narwhals's inner API differs: let narwhals translate
        return None
    if not all(isinstance(expr, polars.Expr) for expr in native):
        return None
    ours = native_step(frame.to_native(), native).explain(optimized=False)
    theirs = written().to_native().explain(optimized=False)
    return native if ours == theirs else None


def wrap(like: Frame, native: Any) -> Frame:
    """`native`, a polars LazyFrame, as a narwhals frame of the kind of `like`.

    `nw.from_native` first asks what `native` is, which costs as much as a dozen
    polars steps; the frame is made as narwhals's own steps make theirs, where this
    version of narwhals allows it.
    """
    try:
        made: Frame = like._with_compliant(like._compliant_frame._with_native(native))
    except Exception:  # narwhals's inner API differs: ask it the usual way
        made = nw.from_native(native).lazy()
    return made


#: The number of rows of each group, `n`.
COUNTED = Translation((nw.len().alias("n"),))


def on_polars(frame: Frame) -> bool:
    """Whether `frame` is a polars one."""
    return frame.implementation is nw.Implementation.POLARS


def among(column: str, values: Sequence[str], *, polars: bool) -> nw.Expr:
    """Whether `column` holds one of `values` (null where it is null).

    On polars a few short strings are compared one by one, about twice as fast as
    hashing every row for `is_in`, and the comparisons are shared with the rules
    that make the same ones.
    """
    if not polars:
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


def out_of_range(prefix: str, columns: Iterable[str], *, polars: bool) -> list[Rule]:
    """Dates a Python date cannot hold (a date32 column holds years up to 5 879 610).

    Polars stores a date as its number of days since 1970, which is compared with
    the first and last days Python holds, several times faster than taking the year.
    """
    says = f"is not a date from {dt.date.min} to {dt.date.max}"
    rules = []
    for column in columns:
        if polars:
            day = nw.col(column).cast(nw.Int32())
            bad = (day < _FIRST_DAY) | (day > _LAST_DAY)
        else:
            # By the year rather than against date literals: Spark cannot take the
            # literal of year 1, which Python writes without its leading zeros.
            year = nw.col(column).dt.year()
            bad = (year < dt.MINYEAR) | (year > dt.MAXYEAR)
        rules.append(Rule(f"{prefix}.{column}", bad, says, column))
    return rules


def _count(bad: nw.Expr, *, polars: bool) -> nw.Expr:
    """The number of rows where `bad` is true."""
    if polars:
        return bad.sum()
    return bad.fill_null(value=False).cast(nw.Int64()).sum()


def count_query(probe: Probe) -> Frame:
    """A query of one row: how many rows break each rule of `probe`.

    Polars adds up booleans as they are, leaving nulls out; other backends are given
    whole numbers. The counts of one tuple of rules are translated once (see
    [`Translation`][beijing_plan.columnar._checks_rules.Translation]), so the
    functions that make probes make each tuple of rules once.
    """
    polars = probe.frame.implementation is nw.Implementation.POLARS
    return counts_of(probe.rules, polars=polars).select(probe.frame)


@functools.lru_cache(maxsize=256)
def counts_of(rules: tuple[Rule, ...], *, polars: bool) -> Translation:
    """The expressions of the counts of `rules`, `r0`, `r1` and so on, made once."""
    return Translation(
        tuple(_count(rule.bad, polars=polars).alias(f"r{i}") for i, rule in enumerate(rules))
    )


def count_broken(probes: Sequence[Probe]) -> list[list[int]]:
    """How many rows break each rule of each probe: one query per probe, in turn.

    This is for backends other than polars (a DuckDB connection serves one thread
    at a time); on polars the checks count their probes in rounds of queries run
    side by side.
    """
    rows = [count_query(probe).collect().row(0) for probe in probes]
    return [[int(count or 0) for count in row] for row in rows]


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
