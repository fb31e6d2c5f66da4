"""beijing-plan: model a government action plan and track its progress.

The model, the ledger and the errors are imported with the package; the file
functions, the converter and the rest load on first use, so that
`import beijing_plan` stays about as quick as importing attrs and pendulum.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .exceptions import PlanError, PlanValidationError, UnitError, UnknownReferenceError
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
    from .assessment import Assessment, Contribution, Forecast, Result, assess
    from .charts import plot_assessment, plot_history
    from .columnar import Tables, assess_tables, to_tables
    from .files import SCHEMA, dumps, load, loads, save
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

__all__ = [
    "SCHEMA",
    "Aggregation",
    "Assessment",
    "Baseline",
    "Cadence",
    "Comparator",
    "Contribution",
    "Declared",
    "Forecast",
    "Item",
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
    "Unit",
    "UnitError",
    "UnknownReferenceError",
    "Withdrawal",
    "assess",
    "assess_tables",
    "dumps",
    "get_unit",
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
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
