"""The optional dependencies of the columnar engine, with errors that name the extra.

`import beijing_plan` never imports narwhals, pyarrow, polars, DuckDB, pandas or
PySpark. [`beijing_plan.columnar`][beijing_plan.columnar] imports narwhals and pyarrow when it is
itself imported, polars when a pyarrow Table is to be assessed (polars is the
default backend), and the others only when a frame of theirs is handed to it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "missing", "require"]

#: The extra that installs each optional module.
EXTRAS = {
    "narwhals": "columnar",
    "pyarrow": "columnar",
    "polars": "columnar",
    "duckdb": "duckdb",
    "pyspark": "spark",
}


def missing(module: str) -> ImportError:
    """The error for a missing optional `module`, naming the extra that installs it."""
    extra = EXTRAS.get(module.partition(".")[0], "columnar")
    msg = (
        f"beijing_plan.columnar needs {module!r}, which is not installed; "
        f'install it with: pip install "beijing-plan[{extra}]"'
    )
    return ImportError(msg, name=module)


def require(module: str) -> ModuleType:
    """Import `module` or raise an ImportError that says which extra installs it.

    Raises:
        ImportError: naming the module and the `beijing-plan[...]` extra.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise missing(module) from None
