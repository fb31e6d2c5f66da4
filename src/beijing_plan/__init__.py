"""beijing-plan: model a government action plan and track its progress."""

from __future__ import annotations

from .exceptions import PlanError, PlanValidationError, UnitError, UnknownReferenceError
from .files import SCHEMA, dumps, load, loads, save
from .ledger import Ledger, Observation, Record, Status, StatusChange
from .ledgerfile import LedgerFile, LedgerFileWarning, SkippedLine
from .model import (
    Aggregation,
    Baseline,
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

__all__ = [
    "SCHEMA",
    "Aggregation",
    "Baseline",
    "Comparator",
    "Declared",
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
    "Quantity",
    "Record",
    "SkippedLine",
    "Source",
    "Status",
    "StatusChange",
    "Target",
    "Task",
    "Text",
    "Theme",
    "TrajectoryPoint",
    "Unit",
    "UnitError",
    "UnknownReferenceError",
    "dumps",
    "get_unit",
    "load",
    "loads",
    "register_unit",
    "save",
    "units",
]
