"""beijing-plan: model a government action plan and track its progress.

The model, the ledger and the errors are imported with the package; the file
functions, the converter and the rest load on first use, so that
`import beijing_plan` stays about as quick as importing attrs and pendulum.
So do the public submodules (`beijing_plan.datasets`, `.tables`, `.strategies`
and the others in `_SUBMODULES`) and `__version__`, read from the installed
distribution's metadata.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .exceptions import (
    DateNotInHistoryError,
    ItemNotFoundError,
    PlanError,
    PlanValidationError,
    UnitError,
    UnknownReferenceError,
)
from .ledger import Ledger, Observation, Record, Revision, Status, StatusChange, Withdrawal
from .model import (
    Aggregation,
    Baseline,
    Cadence,
    Comparator,
    Declared,
    Item,
    Measure,
    Milestone,
    Plan,
    Policy,
    Source,
    Target,
    Task,
    Text,
    Theme,
    TrajectoryPoint,
)
from .units import Quantity, Unit, get_unit, register_unit, units

if TYPE_CHECKING:
    from . import assessment as assessment
    from . import charts as charts
    from . import cli as cli
    from . import columnar as columnar
    from . import convert as convert
    from . import datasets as datasets
    from . import display as display
    from . import explain as explain
    from . import files as files
    from . import frames as frames
    from . import ledgerfile as ledgerfile
    from . import rules as rules
    from . import schema as schema
    from . import strategies as strategies
    from . import tables as tables
    from .assessment import Assessment, Contribution, Forecast, Result, assess
    from .change import Change, Changes, Transition
    from .charts import plot_assessment, plot_history
    from .columnar import Tables, assess_tables, to_tables
    from .files import SCHEMA, dumps, load, loads, save
    from .histories import History, history
    from .ledgerfile import LedgerFile, LedgerFileWarning, SkippedLine
    from .reporting import Reporting
    from .rules import Progress, Rules
    from .schema import json_schema

#: Public names defined in modules that load on first use, by module.
_LAZY = {
    "Tables": ".columnar",
    "assess_tables": ".columnar",
    "to_tables": ".columnar",
    "plot_assessment": ".charts",
    "plot_history": ".charts",
    "Assessment": ".assessment",
    "Result": ".assessment",
    "assess": ".assessment",
    "Contribution": ".assessment",
    "Forecast": ".assessment",
    "Change": ".change",
    "Changes": ".change",
    "Transition": ".change",
    "History": ".histories",
    "history": ".histories",
    "Progress": ".rules",
    "Rules": ".rules",
    "SCHEMA": ".files",
    "dumps": ".files",
    "load": ".files",
    "loads": ".files",
    "save": ".files",
    "LedgerFile": ".ledgerfile",
    "LedgerFileWarning": ".ledgerfile",
    "SkippedLine": ".ledgerfile",
    "json_schema": ".schema",
    "Reporting": ".reporting",
}

#: The public submodules that load on first use, as `beijing_plan.datasets`.
_SUBMODULES = frozenset(
    {
        "assessment",
        "charts",
        "cli",
        "columnar",
        "convert",
        "datasets",
        "display",
        "explain",
        "files",
        "frames",
        "ledgerfile",
        "rules",
        "schema",
        "strategies",
        "tables",
    }
)

#: The installed distribution's version (`"0+unknown"` without its metadata).
__version__: str

__all__ = [
    "SCHEMA",
    "Aggregation",
    "Assessment",
    "Baseline",
    "Cadence",
    "Change",
    "Changes",
    "Comparator",
    "Contribution",
    "DateNotInHistoryError",
    "Declared",
    "Forecast",
    "History",
    "Item",
    "ItemNotFoundError",
    "Ledger",
    "LedgerFile",
    "LedgerFileWarning",
    "Measure",
    "Milestone",
    "Observation",
    "Plan",
    "PlanError",
    "PlanValidationError",
    "Policy",
    "Progress",
    "Quantity",
    "Record",
    "Reporting",
    "Result",
    "Revision",
    "Rules",
    "SkippedLine",
    "Source",
    "Status",
    "StatusChange",
    "Tables",
    "Target",
    "Task",
    "Text",
    "Theme",
    "TrajectoryPoint",
    "Transition",
    "Unit",
    "UnitError",
    "UnknownReferenceError",
    "Withdrawal",
    "assess",
    "assess_tables",
    "dumps",
    "get_unit",
    "history",
    "json_schema",
    "load",
    "loads",
    "plot_assessment",
    "plot_history",
    "register_unit",
    "save",
    "to_tables",
    "units",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    elif name == "__version__":
        value = _version()
    else:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    globals()[name] = value
    return value


def _version() -> str:
    from importlib import metadata  # noqa: PLC0415 (kept out of `import beijing_plan`)

    try:
        return metadata.version("beijing-plan")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES | {"__version__"})
