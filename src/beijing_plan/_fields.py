"""Field names in the problems that attrs converters report.

A converter sees only the value it converts, so it reports a bad value at the
root of the object (`'2025-02-30' is not a date`). `named_problems`
wraps a class's `__init__` so that, when building the object fails, each
converter's problems are placed under its field's name (`due: '2025-02-30' is
not a date`), as the validators already do. The wrapper costs one call when
nothing fails; the converters are run again only to name a failure.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

import attrs

from .exceptions import PlanValidationError, join_path

__all__ = ["named_problems"]

_C = TypeVar("_C", bound=type)
_ABSENT = object()


def _under(name: str, path: str) -> str:
    """`path` under the field `name`, unless the converter named the field itself."""
    if path == name or path.startswith((f"{name}.", f"{name}[")):
        return path
    return join_path(name, path)


def _converter_problems(
    fields: list[attrs.Attribute[Any]], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[tuple[str, str]]:
    """The problems of every converter with the value given for its field."""
    problems: list[tuple[str, str]] = []
    for position, field in enumerate(fields):
        name = field.alias or field.name
        value = args[position] if position < len(args) else kwargs.get(name, _ABSENT)
        if field.converter is None or value is _ABSENT:
            continue
        try:
            field.converter(value)  # type: ignore[operator]
        except PlanValidationError as error:
            problems.extend((_under(name, path), message) for path, message in error.problems)
    return problems


def named_problems(cls: _C) -> _C:
    """Make building `cls` report its converters' problems under their fields' names.

    Apply it above `@attrs.frozen`. Problems of validators and of checks across
    fields are raised as they are: those name their fields already. A class
    without converters is returned as it is, its `__init__` unwrapped.
    """
    init = cls.__dict__["__init__"]
    fields = [field for field in attrs.fields(cls) if field.init]
    if all(field.converter is None for field in fields):
        return cls

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807 (it is __init__)
        try:
            init(self, *args, **kwargs)
        except PlanValidationError as error:
            problems = _converter_problems(fields, args, kwargs)
            if not problems:
                raise
            raise type(error)(problems) from None

    cls.__init__ = __init__  # type: ignore[misc]
    return cls
