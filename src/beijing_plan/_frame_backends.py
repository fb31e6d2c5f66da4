"""Typed columns to a pandas or polars DataFrame.

Every frame of [`beijing_plan.frames`][beijing_plan.frames] is built here from its
columns and their kinds (`Kind`): how each kind is typed in either backend, the
categories of statuses, and the one refusal of an unknown backend. pandas and
polars are imported on first use, through the `pandas` and `polars` extras.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from ._optional import require
from .exceptions import PlanValidationError
from .rules import Progress

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["Backend", "Columns", "Kind", "check_backend", "frame"]

#: The DataFrame libraries a frame can be built with.
Backend: TypeAlias = Literal["pandas", "polars"]

#: A column's kind: how its values are typed in either backend.
Kind: TypeAlias = Literal[
    "str", "float", "int", "bool", "date", "strings", "status", "record_status"
]

#: Each column's values by its name, in row order.
Columns: TypeAlias = dict[str, list[Any]]

#: The values of [`Progress`][beijing_plan.rules.Progress], in order.
_STATUSES = [progress.value for progress in Progress]
#: The values of [`Status`][beijing_plan.ledger.Status], in order (a test keeps them equal).
_RECORD_STATUSES = ["not_started", "in_progress", "done", "cancelled"]
_BACKENDS = ("pandas", "polars")
#: What needs pandas or polars, for the message of a missing package.
_FEATURE = "beijing_plan.frames"


def _pandas(columns: Columns, spec: Sequence[tuple[str, Kind]]) -> pd.DataFrame:
    # The module is imported here, on first use; the annotations name it for mypy only.
    pandas: Any = require("pandas", _FEATURE)
    data: dict[str, Any] = {}
    for name, kind in spec:
        values = columns[name]
        if kind == "float":
            data[name] = pandas.Series(values, dtype="float64")
        elif kind == "int":
            data[name] = pandas.Series(values, dtype="Int64")
        elif kind == "bool":
            data[name] = pandas.Series(values, dtype="boolean")
        elif kind == "date":
            data[name] = pandas.Series(values, dtype="datetime64[s]")
        elif kind == "strings":
            data[name] = pandas.Series(values, dtype=object)
        elif kind in ("status", "record_status"):
            categories = _STATUSES if kind == "status" else _RECORD_STATUSES
            data[name] = pandas.Categorical(values, categories=categories, ordered=True)
        else:
            data[name] = pandas.Series(values)
    frame: pd.DataFrame = pandas.DataFrame(data, columns=[name for name, _ in spec])
    return frame


def _polars(columns: Columns, spec: Sequence[tuple[str, Kind]]) -> pl.DataFrame:
    polars: Any = require("polars", _FEATURE)
    types: dict[Kind, Any] = {
        "str": polars.String,
        "float": polars.Float64,
        "int": polars.Int64,
        "bool": polars.Boolean,
        "date": polars.Date,
        "strings": polars.List(polars.String),
        "status": polars.Enum(_STATUSES),
        "record_status": polars.Enum(_RECORD_STATUSES),
    }
    schema = {name: types[kind] for name, kind in spec}
    frame: pl.DataFrame = polars.DataFrame({name: columns[name] for name, _ in spec}, schema=schema)
    return frame


def check_backend(backend: object) -> Backend:
    if backend == "pandas":
        return "pandas"
    if backend == "polars":
        return "polars"
    valid = ", ".join(repr(name) for name in _BACKENDS)
    raise PlanValidationError([("backend", f"{backend!r} is not one of {valid}")])


def frame(
    columns: Columns, spec: Sequence[tuple[str, Kind]], backend: object
) -> pd.DataFrame | pl.DataFrame:
    if check_backend(backend) == "pandas":
        return _pandas(columns, spec)
    return _polars(columns, spec)
