"""Optional dependencies of the notebook features, with errors that name the extra.

`import beijing_plan` never imports pandas, polars or matplotlib:
[`beijing_plan.frames`][beijing_plan.frames] and [`beijing_plan.charts`][beijing_plan.charts] import
them through `require` when a frame or a chart is asked for.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "missing", "require"]

#: The extra that installs each optional module, by top-level module name.
EXTRAS = {
    "pandas": "pandas",
    "polars": "polars",
    "matplotlib": "plot",
}


def missing(module: str, feature: str) -> ImportError:
    """The error for a missing optional `module`, naming the extra that installs it.

    Args:
        module: The module that could not be imported.
        feature: What needed it, for the message (`"DataFrames"`, `"charts"`).
    """
    top = module.partition(".")[0]
    extra = EXTRAS.get(top, top)
    msg = (
        f"{feature} need {top!r}, which is not installed; "
        f'install it with: pip install "beijing-plan[{extra}]"'
    )
    return ImportError(msg, name=top)


def require(module: str, feature: str) -> ModuleType:
    """Import `module`, or raise an ImportError that says which extra installs it.

    Args:
        module: The module to import (`"pandas"`, `"matplotlib.ticker"`).
        feature: What needs it, for the message.

    Raises:
        ImportError: naming the module and the `beijing-plan[...]` extra.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise missing(module, feature) from None
