"""The optional dependencies of the columnar engine, through the package's one helper.

`import beijing_plan` never imports narwhals, pyarrow, polars, DuckDB, pandas or
PySpark. [`beijing_plan.columnar`][beijing_plan.columnar] imports narwhals and pyarrow when it is
itself imported, polars when a pyarrow Table is to be assessed (polars is the
default backend), and the others only when a frame of theirs is handed to it.
The errors have the one form of `beijing_plan._optional`; polars and pandas,
which have extras of their own for frames, are named here with `columnar`, the
extra that brings them along with the rest of the engine.
"""

from __future__ import annotations

from types import ModuleType

from .. import _optional

__all__ = ["FEATURE", "missing", "require"]

#: What the messages say needs the package.
FEATURE = "beijing_plan.columnar"
#: Packages that the columnar engine names under another extra than their own.
_EXTRAS = {"polars": "columnar", "pandas": "columnar"}


def _extra(module: str) -> str | None:
    return _EXTRAS.get(module.partition(".")[0])


def missing(module: str) -> ImportError:
    """The error for a missing optional `module`, naming the extra that installs it."""
    return _optional.missing(module, FEATURE, _extra(module))


def require(module: str) -> ModuleType:
    """Import `module` or raise an ImportError that says which extra installs it.

    Raises:
        ImportError: naming the package and the `beijing-plan[...]` extra.
    """
    return _optional.require(module, FEATURE, _extra(module))
