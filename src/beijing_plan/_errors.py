"""The two ways the library refuses an argument: bad data, and misuse.

Bad data (a document, a cell, the value of a model field) raises
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] with the path of
the problem and the value; [`fail`][beijing_plan._errors.fail] builds it. Misuse, an
argument of the wrong type given to a function that works on a plan, a ledger or an
assessment, raises `TypeError` as Python's own functions do;
[`misuse`][beijing_plan._errors.misuse] builds it.
"""

from __future__ import annotations

from .exceptions import PlanValidationError

__all__ = ["fail", "misuse"]


def fail(path: str, message: str) -> PlanValidationError:
    """The error for one problem at `path` (`""` for the whole object or document)."""
    return PlanValidationError([(path, message)])


def misuse(name: str, expected: str, value: object) -> TypeError:
    """The error for an argument `name` that is not `expected`: names its type only.

    >>> str(misuse("plan", "a Plan", "p.json"))
    'plan must be a Plan, not str'
    """
    return TypeError(f"{name} must be {expected}, not {type(value).__name__}")
