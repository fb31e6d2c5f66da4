"""Optional dependencies, imported when used, with one error that names the extra.

`import beijing_plan` never imports pandas, polars, matplotlib, openpyxl or
defusedxml: the modules that need one import it through
[`require`][beijing_plan._optional.require] when it is first needed. A missing
module gives an ImportError of one form for every feature:

    beijing_plan.charts needs the `matplotlib` package: pip install "beijing-plan[plot]"
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "missing", "require"]

#: The extra that installs each optional package, by top-level module name. A
#: feature that needs a package as part of a larger extra (polars for the columnar
#: engine comes with `columnar`) names that extra when it asks.
EXTRAS = {
    "pandas": "pandas",
    "polars": "polars",
    "matplotlib": "plot",
    "openpyxl": "xlsx",
    "defusedxml": "xlsx",
    "hypothesis": "strategies",
    "narwhals": "columnar",
    "pyarrow": "columnar",
    "duckdb": "duckdb",
    "pyspark": "spark",
}


def missing(module: str, feature: str, extra: str | None = None) -> ImportError:
    """The error for a missing optional `module`, naming the extra that installs it.

    Args:
        module: The module that could not be imported (`"matplotlib.ticker"`).
        feature: What needed it, for the message (`"beijing_plan.charts"`).
        extra: The extra to name; by default the one [`EXTRAS`][beijing_plan._optional.EXTRAS]
            gives for the module's package.
    """
    top = module.partition(".")[0]
    chosen = extra if extra is not None else EXTRAS.get(top, top)
    msg = f'{feature} needs the `{top}` package: pip install "beijing-plan[{chosen}]"'
    return ImportError(msg, name=top)


def require(module: str, feature: str, extra: str | None = None) -> ModuleType:
    """Import `module`, or raise an ImportError that says which extra installs it.

    Args:
        module: The module to import (`"pandas"`, `"matplotlib.ticker"`).
        feature: What needs it, for the message.
        extra: The extra to name, when not the package's own (see
            [`missing`][beijing_plan._optional.missing]).

    Raises:
        ImportError: naming the package and the `beijing-plan[...]` extra.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise missing(module, feature, extra) from None
