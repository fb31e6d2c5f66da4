"""The checks of the columns' types: each column can hold what the layout says it holds.

They come before the checks of the values (see
[`check_tables`][beijing_plan.columnar._checks.check_tables]), which read the columns
as the layout types them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import narwhals as nw
import pyarrow as pa

from ._checks_rules import Frame

__all__ = ["type_problems"]


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
    """What is wrong with `dtype` where the layout has `kind`: `(path, message)` pairs."""
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
    """Each column of `frame` that cannot hold what `schema` says it holds.

    Whole numbers may be of any width; numbers may also be whole; a column of
    nulls only may have no type where nulls are allowed.
    """
    have = frame.collect_schema()
    problems = []
    for field in schema:
        path = f"{name}.{field.name}"
        problems += _type_problems(path, have[field.name], field.type, nullable=field.nullable)
    return problems
