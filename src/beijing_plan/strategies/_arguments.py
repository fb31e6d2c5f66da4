"""Checks of the options passed to the public strategies.

Each check returns the option in the form the strategies use, or raises
Hypothesis' `InvalidArgument` with a message naming the option and its value, as
Hypothesis' own strategies do.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TypeVar

from hypothesis.errors import InvalidArgument

from .._dates import DateLike, as_date
from .._validators import id_problem
from ..exceptions import PlanValidationError
from . import _generators as gen

__all__ = ["bounds", "day", "dimension", "flag", "id_list", "member", "size"]

_E = TypeVar("_E", bound=enum.Enum)


def flag(name: str, value: object) -> bool | None:
    """`value` if it is `True`, `False` or `None`."""
    if value is not None and not isinstance(value, bool):
        msg = f"{name}={value!r} must be True, False or None"
        raise InvalidArgument(msg)
    return value


def size(name: str, value: object) -> int:
    """`value` if it is a whole number of 0 or more (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{name}={value!r} must be a whole number of 0 or more"
        raise InvalidArgument(msg)
    return value


def bounds(low_name: str, low: object, high_name: str, high: object) -> tuple[int, int]:
    """Two sizes, the first not above the second."""
    lo, hi = size(low_name, low), size(high_name, high)
    if lo > hi:
        msg = f"{low_name}={lo!r} must not exceed {high_name}={hi!r}"
        raise InvalidArgument(msg)
    return lo, hi


def member(cls: type[_E], name: str, value: _E | str | None) -> _E | None:
    """The member of `cls` that `value` is or names, or `None`."""
    if value is None or isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        valid = ", ".join(repr(m.value) for m in cls)
        msg = f"{name}={value!r} must be None or one of {valid}"
        raise InvalidArgument(msg) from None


def dimension(value: str | None) -> str | None:
    """`value` if it is `None` or the dimension of a unit of the registry."""
    known = gen.dimensions()
    if value is not None and value not in known:
        msg = f"dimension={value!r} must be None or one of {', '.join(map(repr, known))}"
        raise InvalidArgument(msg)
    return value


def id_list(name: str, value: object) -> tuple[str, ...]:
    """The distinct valid ids of a sequence or set, in their first order."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | frozenset | set):
        msg = f"{name}={value!r} must be a sequence of ids"
        raise InvalidArgument(msg)
    items = tuple(dict.fromkeys(value))
    for item in items:
        problem = id_problem(item)
        if problem is not None:
            msg = f"{name}: {problem}"
            raise InvalidArgument(msg)
    return items


def day(name: str, value: DateLike | None) -> int | None:
    """The ordinal of the date `value` names, or `None`."""
    if value is None:
        return None
    try:
        return as_date(value).toordinal()
    except PlanValidationError as error:
        msg = f"{name}: {error}"
        raise InvalidArgument(msg) from None
