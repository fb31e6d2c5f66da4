"""The checks and conversions of the model's fields, below the model itself.

Each validator takes `(instance, attribute, value)` as attrs calls it and raises
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] naming the
field and the value; each converter raises it at the root of the value (`""`),
for [`named_problems`][beijing_plan._fields.named_problems] to place under the
field's name. The problem functions (`id_problem`, `surrogate_problem`,
`whole_number_problem`) say why a value is refused, or return `None`, for the
readers of documents, sheets and ledgers that check a value before building a
model. Nothing here imports the model: it is the foundation the model is built on.
"""

from __future__ import annotations

import enum
import itertools
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import attrs
import pendulum

from ._errors import fail
from .exceptions import PlanValidationError
from .units import number_repr

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_WHOLE",
    "as_enum",
    "as_id_set",
    "as_number",
    "as_tuple",
    "id_problem",
    "instance_of",
    "items_of",
    "surrogate_problem",
    "valid_count",
    "valid_fraction",
    "valid_id",
    "valid_ids",
    "valid_number",
    "valid_optional_id",
    "valid_optional_text",
    "valid_strings",
    "valid_text",
    "valid_trajectory",
    "valid_weight",
    "whole_number_problem",
]

_BAD_ID = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_ID_LENGTH = 200


class _Dated(Protocol):
    """Anything with a date `on`: the points of a trajectory."""

    @property
    def on(self) -> pendulum.Date: ...


def id_problem(value: object) -> str | None:
    """Why `value` is not a valid id, or `None` if it is one.

    An id is a non-empty string of at most `MAX_ID_LENGTH` characters, without
    whitespace, control, surrogate or format (Cf) characters, in Unicode normal
    form NFC. References to ids (theme parents, themes, a policy's measures, the
    items of ledger records) follow the same rule.
    """
    if type(value) is str and value in _GOOD_IDS:
        return None
    if not isinstance(value, str):
        return f"{value!r} is not a string"
    if not value:
        return "an id must not be empty"
    if len(value) > MAX_ID_LENGTH:
        return f"{value[:40]!r}... is longer than {MAX_ID_LENGTH} characters"
    if _BAD_ID.search(value):
        return f"{value!r} must not contain spaces or control characters"
    surrogate = surrogate_problem(value)
    if surrogate is not None:
        return surrogate
    if not value.isascii():
        lookalike = _lookalike_problem(value)
        if lookalike is not None:
            return lookalike
    if type(value) is str and len(_GOOD_IDS) < _GOOD_IDS_LIMIT:
        _GOOD_IDS.add(value)  # ids recur in every record that names them
    return None


def _lookalike_problem(value: str) -> str | None:
    """Why `value` could look like another id, or `None`.

    A format character (Unicode category Cf: zero-width spaces and joiners,
    direction marks, overrides and isolates, the byte-order mark) does not show
    or reorders what is around it, and a string not in normal form NFC shows
    like its NFC form: either way two ids that look the same would differ.
    """
    for index, char in enumerate(value):
        if unicodedata.category(char) == "Cf":
            name = unicodedata.name(char, "")
            code = f"U+{ord(char):04X} {name}".rstrip()
            return (
                f"{value!r} holds the format character {code} (at index {index}), "
                "which is invisible or reorders text"
            )
    if not unicodedata.is_normalized("NFC", value):
        nfc = unicodedata.normalize("NFC", value)
        return (
            f"{value!r} is not in Unicode normal form NFC; write it as {nfc!r} "
            f"({len(nfc)} characters, not {len(value)}): ids are compared exactly, "
            "so they are refused, not changed"
        )
    return None


def surrogate_problem(value: str) -> str | None:
    """Why `value` cannot be saved, or `None`: UTF-8 cannot encode a surrogate.

    Surrogates (`'\\ud800'` to `'\\udfff'`) are halves of UTF-16 pairs; in a
    Python string they come from decoding with `surrogateescape` or from a
    JSON `\\ud800` escape, and no document can hold them.
    """
    found = _SURROGATE.search(value)
    if found is None:
        return None
    shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}..."
    return (
        f"{shown} holds the surrogate {found.group()!r} (at index {found.start()}), "
        "which UTF-8 cannot encode"
    )


_GOOD_IDS: set[str] = set()


_GOOD_IDS_LIMIT = 100_000


def valid_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = id_problem(value)
    if problem is not None:
        raise fail(attribute.name, problem)


def valid_optional_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        valid_id(_, attribute, value)


def valid_ids(_: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    items = sorted(value, key=repr) if isinstance(value, frozenset) else value
    problems = []
    for i, item in enumerate(items):
        problem = id_problem(item)
        if problem is not None:
            where = attribute.name if isinstance(value, frozenset) else f"{attribute.name}[{i}]"
            problems.append((where, problem))
    if problems:
        raise PlanValidationError(problems)


def valid_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise fail(attribute.name, f"{value!r} is not a string")
    if not value.strip():
        raise fail(attribute.name, f"{value!r} is blank")
    surrogate = surrogate_problem(value)
    if surrogate is not None:
        raise fail(attribute.name, surrogate)


def valid_optional_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        valid_text(_, attribute, value)


def valid_strings(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    problems = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problem: str | None = f"{item!r} is not a non-blank string"
        else:
            problem = surrogate_problem(item)
        if problem is not None:
            problems.append((f"{attribute.name}[{i}]", problem))
    if problems:
        raise PlanValidationError(problems)


def items_of(*classes: type) -> Any:
    names = " or ".join(c.__name__ for c in classes)

    def check(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        problems = [
            (f"{attribute.name}[{i}]", f"{item!r} is not a {names}")
            for i, item in enumerate(value)
            if not isinstance(item, classes)
        ]
        if problems:
            raise PlanValidationError(problems)

    return check


def instance_of(cls: type, *, optional: bool = False) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, cls):
            raise fail(attribute.name, f"{value!r} is not a {cls.__name__}")

    return check


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, str | bytes | Mapping):
        raise fail("", f"{value!r} is not a list")
    return tuple(value)


def as_id_set(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str | bytes | Mapping):
        raise fail("", f"{value!r} is not a set of ids")
    return frozenset(value)


def as_number(value: float | int | Decimal) -> float:
    """Coerce an `int`, `float` or `Decimal` (not a `bool`) to `float`.

    NaN and infinities pass, for the fields' validators to refuse.

    Raises:
        PlanValidationError: for other types, a signalling NaN, and a finite
            `int` or `Decimal` beyond the largest float.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise fail("", f"{value!r} is not a number")
    if isinstance(value, Decimal) and value.is_snan():
        raise fail("", f"{value!r} is not a number")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the largest float
        number = math.inf
    infinite = isinstance(value, float) or (isinstance(value, Decimal) and value.is_infinite())
    if math.isinf(number) and not infinite:
        shown = number_repr(value)
        raise fail("", f"{shown} is beyond the largest float ({sys.float_info.max!r})")
    return number


def valid_weight(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not math.isfinite(value):
        raise fail(attribute.name, f"{value!r} is not a finite number")
    if value < 0:
        raise fail(attribute.name, f"{value!r} is negative")


def valid_trajectory(_: object, attribute: attrs.Attribute[Any], value: tuple[_Dated, ...]) -> None:
    problems = [
        (f"{attribute.name}[{i}].on", f"{b.on} does not come after {a.on}")
        for i, (a, b) in enumerate(itertools.pairwise(value), start=1)
        if b.on <= a.on
    ]
    if problems:
        raise PlanValidationError(problems)


def valid_fraction(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0.0 <= value <= 1.0:  # also refuses NaN
        raise fail(attribute.name, f"{value!r} is not between 0 and 1")


_E = TypeVar("_E", bound=enum.Enum)


def as_enum(cls: type[_E], value: _E | str, path: str = "") -> _E:
    """Coerce an enum member or its value, with an error listing the valid values."""
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except (ValueError, TypeError):
        valid = ", ".join(repr(m.value) for m in cls)
        raise fail(path, f"{value!r} is not one of {valid}") from None


#: Largest whole number a field holds (`2**53 - 1`): every format reads and
#: writes it exactly, JSON readers that use doubles included, and orjson and
#: TOML, which stop at 64 bits.
MAX_WHOLE = 2**53 - 1


def whole_number_problem(value: object, least: int) -> str | None:
    """Why `value` is not a whole number from `least` to `MAX_WHOLE`, or `None`.

    A `Decimal` beyond `MAX_WHOLE` is called too large rather than not whole:
    the readers make one of an integer too long for Python's `int`.
    """
    kind = type(value)
    if (kind is int or (kind is Decimal and value.is_finite())) and value > MAX_WHOLE:  # type: ignore[attr-defined, operator]
        shown = number_repr(value)
        return (
            f"{shown} is more than {MAX_WHOLE}, the largest whole number every format holds exactly"
        )
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        return f"{number_repr(value)} is not a whole number of {least} or more"
    return None


def valid_number(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = whole_number_problem(value, 1)
    if problem is not None:
        raise fail(attribute.name, problem)


def valid_count(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = None if value is None else whole_number_problem(value, 0)
    if problem is not None:
        raise fail(attribute.name, problem)
