"""The two ways the library refuses an argument: bad data, and misuse.

Bad data (a document, a cell, the value of a model field) raises
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] with the path of
the problem and the value; [`fail`][beijing_plan._errors.fail] builds it. Misuse, an
argument of the wrong type given to a function that works on a plan, a ledger or an
assessment, raises `TypeError` as Python's own functions do;
[`misuse`][beijing_plan._errors.misuse] builds it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .exceptions import PlanValidationError

__all__ = ["did_you_mean", "fail", "misuse", "unknown_fields"]

#: Words longer than this get no guess: comparing them costs time for no likely match.
_GUESSED_LENGTH = 64
#: How many unknown keys of one mapping get a guess; a hostile document may have many.
_GUESSED_KEYS = 20


def fail(path: str, message: str) -> PlanValidationError:
    """The error for one problem at `path` (`""` for the whole object or document)."""
    return PlanValidationError([(path, message)])


def misuse(name: str, expected: str, value: object) -> TypeError:
    """The error for an argument `name` that is not `expected`: names its type only.

    >>> str(misuse("plan", "a Plan", "p.json"))
    'plan must be a Plan, not str'
    """
    return TypeError(f"{name} must be {expected}, not {type(value).__name__}")


def did_you_mean(word: object, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """`"; did you mean 'lead'?"` when one of `choices` is close to `word`, else `""`.

    The closeness is that of `difflib.get_close_matches`, compared without regard
    to case; the choice is shown as it is written in `choices`.

    >>> did_you_mean("leads", ["lead", "partners"])
    "; did you mean 'lead'?"
    >>> did_you_mean("colour", ["lead", "partners"])
    ''
    """
    if not isinstance(word, str) or len(word) > _GUESSED_LENGTH:
        return ""
    import difflib  # noqa: PLC0415 (only a refusal needs it: `import beijing_plan` stays quick)

    folded: dict[str, str] = {}
    for choice in choices:
        folded.setdefault(choice.casefold(), choice)
    close = difflib.get_close_matches(word.casefold(), folded, n=1, cutoff=cutoff)
    return f"; did you mean {folded[close[0]]!r}?" if close else ""


def unknown_fields(
    keys: Iterable[object], known: Iterable[str], owner: str
) -> list[tuple[str, str]]:
    """One problem for each key that is not in `known`, with a guess where one is close.

    `owner` names what the keys belong to (`"Task"`, `"Quantity (value, unit)"`).
    """
    fields = tuple(known)
    problems: list[tuple[str, str]] = []
    for key in keys:
        if key in fields:
            continue
        hint = did_you_mean(key, fields) if len(problems) < _GUESSED_KEYS else ""
        problems.append((str(key), f"is not a field of {owner}{hint}"))
    return problems
