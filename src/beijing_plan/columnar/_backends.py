"""What differs between backends: reading the inputs, sharing a step, handing back.

The engine itself is written once against narwhals. These things are not:

- inputs: a pyarrow Table is assessed with polars (the default backend); pandas
  frames get Arrow dtypes, without which nested columns cannot be exploded;
- sharing: the leaf figures feed every level of a roll-up, and a nested theme
  roll-up first reads how deep the themes go. Polars computes them once, in
  memory, when [`assess_tables`][beijing_plan.columnar.assess_tables] is called; DuckDB
  computes them once and scans them from Arrow (planning the step anew for
  every use costs seconds on a deep query); Spark reuses what one query plan
  computes twice by itself, and keeps no cache behind the caller's back;
  pandas computes eagerly anyway;
- the steps of the leaf figures are computed on polars in two rounds of
  independent queries run side by side (see
  [`checkpoints`][beijing_plan.columnar._backends.checkpoints]): polars does not always
  see that two reads of a step are the same, and one query at a time leaves a core idle.
  Their key columns are marked sorted where they are, for the joins that follow; the
  other backends plan the steps as they see fit;
- days: polars stores a date as its number of days since 1970 and casts it to
  that number for nothing; other backends compute an ordinal from the year and
  the day of the year;
- output: a frame of the kind that came in (a pyarrow Table for a pyarrow Table,
  lazy for lazy inputs).
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pyarrow as pa

from ..exceptions import PlanValidationError
from ._deps import require
from ._schedule import ORDINAL, STORED, Days

__all__ = [
    "check_columns",
    "checkpoints",
    "days_for",
    "finish",
    "lazy_frame",
    "same_session",
    "shared",
]


def check_columns(name: str, present: Any, wanted: Any) -> None:
    """Raise if a column of `wanted` is not `present`, naming each missing one."""
    have = set(present)
    problems = [
        (name, f"the column {column!r} is missing") for column in wanted if column not in have
    ]
    if problems:
        raise PlanValidationError(problems)


def lazy_frame(native: Any, name: str, schema: pa.Schema) -> tuple[nw.LazyFrame[Any], str]:
    """A lazy narwhals frame of `native`, and how to hand the result back.

    The second item is `"arrow"`, `"eager"` or `"lazy"`.

    Raises:
        PlanValidationError: for something that is not a frame of a known backend,
            or a pandas frame without a column of `schema`.
    """
    if isinstance(native, pa.Table):
        polars = require("polars")
        return nw.from_native(_flag_sorted(polars.from_arrow(native))).lazy(), "arrow"
    if type(native).__module__.partition(".")[0] == "pandas":
        # The schema is given because pandas holds a column of None without a type.
        pandas = require("pandas")
        check_columns(name, native.columns, schema.names)
        native = _from_pandas(native, name, schema).to_pandas(types_mapper=pandas.ArrowDtype)
    try:
        frame = nw.from_native(native)
    except TypeError:
        kind = type(native).__qualname__
        raise PlanValidationError(
            [(name, f"a {kind!r} object is not a frame of a supported backend")]
        ) from None
    if isinstance(frame, nw.DataFrame):
        if frame.implementation is nw.Implementation.POLARS:
            frame = nw.from_native(_flag_sorted(frame.to_native()))
        return frame.lazy(), "eager"
    if isinstance(frame, nw.LazyFrame):
        return frame, "lazy"
    kind = type(native).__qualname__
    raise PlanValidationError([(name, f"a {kind!r} object is a series, not a frame")])


def same_session(
    leaves: nw.LazyFrame[Any], records: nw.LazyFrame[Any]
) -> tuple[nw.LazyFrame[Any], nw.LazyFrame[Any]]:
    """The two inputs, where they can be joined.

    DuckDB joins only relations of one connection, and tells which are not
    only by refusing to combine them (a relation does not name its connection).
    Relations of two connections are both read into a private one, through Arrow.
    """
    if leaves.implementation is not nw.Implementation.DUCKDB:
        return leaves, records
    duckdb = require("duckdb")
    left, right = leaves.to_native(), records.to_native()
    try:
        left.limit(0).cross(right.limit(0))
    except duckdb.InvalidInputException:
        connection = duckdb.connect()
        left = connection.from_arrow(left.to_arrow_table())
        right = connection.from_arrow(right.to_arrow_table())
        return nw.from_native(left).lazy(), nw.from_native(right).lazy()
    return leaves, records


def _from_pandas(native: Any, name: str, schema: pa.Schema) -> pa.Table:
    """The columns of `schema` from a pandas frame, as Arrow, nulls allowed everywhere.

    Nulls where the layout has none are left for the checks to name; a column
    that Arrow cannot read as its type is named here.
    """
    lenient = pa.schema([field.with_nullable(True) for field in schema])
    try:
        return pa.Table.from_pandas(native[schema.names], schema=lenient, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        problems = []
        for field in lenient:
            try:
                pa.array(native[field.name], type=field.type, from_pandas=True)
            except (pa.ArrowException, TypeError, ValueError) as error:
                problems.append(
                    (f"{name}.{field.name}", f"cannot be read as {field.type}: {error}")
                )
        if not problems:
            raise
        raise PlanValidationError(problems) from None


def days_for(frame: nw.LazyFrame[Any]) -> Days:
    """How `frame`'s backend turns dates into day numbers: polars casts them."""
    return STORED if frame.implementation is nw.Implementation.POLARS else ORDINAL


#: The columns the engine joins and groups on.
_KEYS = ("key", "leaf_key", "part_key")


def _flag_sorted(native: Any) -> Any:
    """A polars DataFrame with its key columns marked sorted where they are.

    Polars joins two frames whose keys it knows to be sorted by merging them,
    many times faster than by hashing, and groups a sorted column faster; it
    checks nothing itself, so each key is checked here (one pass).
    """
    polars = require("polars")
    flagged = [
        polars.col(name).set_sorted()
        for name in _KEYS
        if name in native.columns and native[name].is_sorted()
    ]
    return native.with_columns(flagged) if flagged else native


def checkpoints(
    *steps: tuple[nw.LazyFrame[Any], str | None], engine: str = "in-memory"
) -> list[nw.LazyFrame[Any]]:
    """Each frame computed now on polars, sorted by its `order` column if given.

    A step is computed once because it is read more than once, or is about to
    be joined. The frames are independent, and polars computes them side by
    side on its threads, which keeps both cores busier than one query at a time
    (three of the first steps of the leaf figures, 1.6M leaves: 152 ms together
    against 199 ms one after another). Its in-memory engine is used unless
    `engine` says otherwise: it joins a frame whose key is sorted to another
    in order, by merging, where the streaming engine hashes (three times slower
    on a million rows here); but the streaming engine explodes lists and groups
    rows several times faster. A frame with an `order` is sorted by it if it
    is not already, so that the next join merges. Other backends are left to
    plan the steps themselves.
    """
    frames = [frame for frame, _ in steps]
    if not frames or frames[0].implementation is not nw.Implementation.POLARS:
        return frames
    polars = require("polars")
    collected = polars.collect_all([frame.to_native() for frame in frames], engine=engine)
    results: list[nw.LazyFrame[Any]] = []
    for frame, (_, order) in zip(collected, steps, strict=True):
        ordered = frame if order is None or frame[order].is_sorted() else frame.sort(order)
        results.append(nw.from_native(_flag_sorted(ordered).lazy()).lazy())
    return results


def shared(
    computed: nw.LazyFrame[Any], given: nw.LazyFrame[Any]
) -> tuple[nw.LazyFrame[Any], nw.LazyFrame[Any]]:
    """`computed` made cheap to read several times, and `given` to join it with.

    `given` is a selection of an input: DuckDB joins only relations of one
    connection, so it moves to the private connection `computed` goes to.
    """
    implementation = computed.implementation
    native: Any = computed.to_native()
    if implementation is nw.Implementation.POLARS:
        (frame,) = checkpoints((computed, None))
        return frame, given
    if implementation is nw.Implementation.DUCKDB:
        duckdb = require("duckdb")
        connection = duckdb.connect()
        table = connection.from_arrow(native.to_arrow_table())
        other = connection.from_arrow(given.to_native().to_arrow_table())
        return nw.from_native(table).lazy(), nw.from_native(other).lazy()
    return computed, given


def finish(result: nw.LazyFrame[Any], kind: str) -> Any:
    """The native result for inputs of `kind`.

    See [`lazy_frame`][beijing_plan.columnar._backends.lazy_frame] for the kinds.
    """
    if kind == "lazy":
        return result.to_native()
    collected = result.collect()
    if kind == "arrow":
        return collected.to_arrow()
    return collected.to_native()
