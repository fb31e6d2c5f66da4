"""Errors raised on purpose by the library.

Every error derives from [`PlanError`][beijing_plan.exceptions.PlanError]; errors about bad input
also derive from `ValueError`, so code that already guards against `ValueError`
keeps working.  A [`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] carries every
problem found, each as a `(path, message)` pair, where the path points into the document or the
object (`measures[3].tasks[2].due`) and the message shows the offending value.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "DateNotInHistoryError",
    "ItemNotFoundError",
    "PlanError",
    "PlanValidationError",
    "UnitError",
    "UnknownReferenceError",
    "join_path",
]

#: How the path of a problem at the top of a document is shown.
ROOT = "(root)"


def join_path(prefix: str, path: str) -> str:
    """Join two parts of a problem path: `("a[1]", "b")` gives `"a[1].b"`."""
    if not prefix:
        return path
    if not path:
        return prefix
    if path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


class PlanError(Exception):
    """Base class of every error the library raises on purpose."""


class PlanValidationError(PlanError, ValueError):
    """Input that cannot become a valid model, with every problem found.

    Attributes:
        problems: `(path, message)` pairs in the order they were found. An empty
            path means the problem is about the whole object or document.
    """

    problems: list[tuple[str, str]]

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems = list(problems)
        if not self.problems:
            msg = "PlanValidationError needs at least one problem"
            raise ValueError(msg)
        super().__init__(self.problems)

    def __str__(self) -> str:
        lines = [f"{path or ROOT}: {message}" for path, message in self.problems]
        if len(lines) == 1:
            return lines[0]
        return f"{len(lines)} problems:\n" + "\n".join(f"  {line}" for line in lines)

    def __reduce__(self) -> tuple[type[PlanValidationError], tuple[list[tuple[str, str]]]]:
        return (type(self), (self.problems,))

    def prefixed(self, prefix: str) -> PlanValidationError:
        """Return the same kind of error with every path placed under `prefix`."""
        return type(self)([(join_path(prefix, path), message) for path, message in self.problems])


class UnitError(PlanValidationError):
    """An unknown unit, or a conversion between units of different dimensions."""


class UnknownReferenceError(PlanValidationError):
    """Ledger records that name ids the plan does not have (one problem per record)."""


class DateNotInHistoryError(PlanError, KeyError):
    """A date asked of a [`History`][beijing_plan.histories.History] that is not one of its dates.

    The message names the history's dates.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ItemNotFoundError(PlanError, KeyError):
    """A plan has no item of the kind asked for under an id (`plan.target(id)`).

    A `KeyError`, as `plan[id]` raises for an unknown id, that says what the id
    names when it names an item of another kind.

    Attributes:
        id: The id asked for.
        kind: The kind asked for (`"target"`, `"task"`, ...).
        actual: The kind of the item the id names, or `None` if it names none.
        plan: The id of the plan.
    """

    def __init__(self, id: str, kind: str, actual: str | None, plan: str) -> None:  # noqa: A002 (the id, as the model names it)
        super().__init__(id, kind, actual, plan)
        self.id = id
        self.kind = kind
        self.actual = actual
        self.plan = plan

    def __str__(self) -> str:
        if self.actual is None:
            return f"{self.id!r} is not an id of the plan {self.plan!r}"
        return f"{self.id!r} is a {self.actual}, not a {self.kind}"
