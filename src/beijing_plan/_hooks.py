"""The converter's hooks for single values and for ledger records.

Both converters of [`beijing_plan.convert`][beijing_plan.convert] register these: the
primitive hooks (strings, numbers, dates, texts, quantities, enumerations), the
predicates that pick a hook factory, the reading of a record's `kind`, and the
hand-written writers of records and ledgers.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

import pendulum

from ._dates import _parse_iso, as_date
from ._errors import fail, unknown_fields
from ._validators import MAX_WHOLE, as_number, whole_number_problem
from .exceptions import PlanValidationError
from .ledger import Ledger, Observation, Record, Revision, Status, StatusChange, Withdrawal
from .model import Text
from .units import Quantity, as_decimal, number_repr

_KIND_OF: dict[type, str] = {
    Observation: "observation",
    StatusChange: "status",
    Withdrawal: "withdrawal",
    Revision: "revision",
}
#: The fields of a correction, which observations and status changes share.
_LINK_KEYS = frozenset({"recorded", "id", "supersedes", "reason"})
_OBSERVATION_KEYS = (
    frozenset({"kind", "item", "target", "on", "value", "source", "note"}) | _LINK_KEYS
)
_STATUS_KEYS = frozenset({"kind", "item", "on", "status", "percent", "source", "note"}) | _LINK_KEYS
#: The kinds of record, as the message of a wrong `kind` lists them.
KIND_NAMES = ", ".join(repr(kind) for kind in _KIND_OF.values())
_STATUSES = {status.value: status for status in Status}
_CLASS_OF: dict[str, type] = {kind: cls for cls, kind in _KIND_OF.items()}


def _short(value: object) -> str:
    text = number_repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# -- primitive hooks (shared by both converters) ----------------------------------------


def _structure_str(value: object, _: type) -> str:
    if type(value) is str:
        return value
    raise fail("", f"{_short(value)} is not a string")


def _structure_int(value: object, _: type) -> int:
    if type(value) is int:
        return value
    if type(value) is Decimal and value.is_finite() and value > MAX_WHOLE:
        # What a reader makes of an integer too long for Python's int.
        raise fail("", f"{whole_number_problem(value, 0)}")
    raise fail("", f"{_short(value)} is not a whole number")


def _structure_float(value: object, _: type) -> float:
    if type(value) is float:
        return value
    if type(value) is int or isinstance(value, Decimal):
        return as_number(value)
    raise fail("", f"{_short(value)} is not a number")


def _structure_bool(value: object, _: type) -> bool:
    if type(value) is bool:
        return value
    raise fail("", f"{_short(value)} is not true or false")


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise fail("", f"{_short(value)} is not a number")
    return as_decimal(value)


def _structure_date(value: object, _: type) -> pendulum.Date:
    if type(value) is str:
        try:
            return _parse_iso(value)
        except ValueError:
            pass
    if isinstance(value, str | dt.date):
        return as_date(value)
    raise fail("", f"{_short(value)} is not a date (YYYY-MM-DD)")


def _structure_text(value: object, _: type) -> Text:
    if type(value) is str:
        return Text.of(value)
    if isinstance(value, Mapping):
        extra = set(value) - {"zh", "en"}
        if extra:
            keys = sorted(extra, key=str)
            raise PlanValidationError(unknown_fields(keys, ("zh", "en"), "Text (zh, en)"))
        zh, en = value.get("zh"), value.get("en")
        for key, text in (("zh", zh), ("en", en)):
            if text is not None and type(text) is not str:
                raise PlanValidationError([(key, f"{_short(text)} is not a string")])
        return Text(zh=zh, en=en)
    raise fail("", f"{_short(value)} is not a text (a string or {{zh, en}})")


def _structure_quantity(value: object, _: type) -> Quantity:
    if type(value) is dict and len(value) == 2 and "value" in value and "unit" in value:
        number = value["value"]
        if isinstance(number, str | int | float | Decimal) and type(value["unit"]) is str:
            try:
                return Quantity(number, value["unit"])
            except PlanValidationError:
                pass  # the slow path below says which field is wrong
    return _structure_quantity_slowly(value)


def _structure_quantity_slowly(value: object) -> Quantity:
    if not isinstance(value, Mapping):
        raise fail("", f"{_short(value)} is not a quantity ({{value, unit}})")
    problems = unknown_fields(value, ("value", "unit"), "Quantity (value, unit)")
    number: Decimal | None = None
    unit = value.get("unit")
    if "value" not in value:
        problems.append(("value", "is required"))
    else:
        try:
            number = _structure_decimal(value["value"], Decimal)
        except PlanValidationError as error:
            problems.extend(error.prefixed("value").problems)
    if unit is None:
        problems.append(("unit", "is required"))
    elif type(unit) is not str:
        problems.append(("unit", f"{_short(unit)} is not a string"))
    if problems:
        raise PlanValidationError(problems)
    assert isinstance(unit, str)
    assert number is not None
    return Quantity(number, unit)


def _is_bare_number(value: object) -> bool:
    """Whether `value` is a number written without a unit (`3`, `12.5`, `"12.5"`)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return False
    try:
        as_decimal(value)
    except PlanValidationError:
        return False
    return True


def _bare_number_problem(value: object) -> str:
    """What is wrong with an observation's value that is a bare number, read without a plan."""
    return (
        f"{_short(value)} is a number without a unit: a bare number takes its target's unit "
        "only when the ledger is read with its plan (plan= in Python, --plan on the command line)"
    )


def _unstructure_quantity(quantity: Quantity) -> dict[str, str]:
    return {"value": str(quantity.value), "unit": quantity.unit}


def _unstructure_text(text: Text) -> dict[str, str]:
    out: dict[str, str] = {}
    if text.zh is not None:
        out["zh"] = text.zh
    if text.en is not None:
        out["en"] = text.en
    return out


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_frozenset(tp: Any) -> bool:
    return typing.get_origin(tp) is frozenset


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Enum)


@functools.cache
def _enum_hook(tp: type[Enum]) -> Callable[[object, type], Enum]:
    members = {member.value: member for member in tp}
    valid = ", ".join(repr(v) for v in members)

    def hook(value: object, _: type) -> Enum:
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise fail("", f"{_short(value)} is not one of {valid}")
        return member

    return hook


def _structure_str_enum(value: object, tp: type[StrEnum]) -> Enum:
    """A member of a string enum from its value.

    Registered for `StrEnum` itself: cattrs looks a class up by its bases before it
    asks the predicates, and a string enum would otherwise be read as a plain `str`.
    """
    return _enum_hook(tp)(value, tp)


def _enum_value(member: Enum) -> object:
    """A member as its plain value (a string enum would otherwise be written as `str`)."""
    return member.value


def _is_record_union(tp: Any) -> bool:
    return isinstance(tp, types.UnionType) and set(typing.get_args(tp)) == set(_KIND_OF)


def _record_kind(value: object) -> type:
    if not isinstance(value, Mapping):
        raise fail("", f"{_short(value)} is not a record (an object with a 'kind')")
    kind = value.get("kind")
    cls = _CLASS_OF.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise PlanValidationError([("kind", f"{_short(kind)} is not one of {KIND_NAMES}")])
    return cls


_ISO: dict[pendulum.Date, str] = {}


def _iso(day: pendulum.Date) -> str:
    text = _ISO.get(day)
    if text is None:
        text = dt.date.isoformat(day)
        if len(_ISO) < 100_000:
            _ISO[day] = text
    return text


def _links(record: Observation | StatusChange, out: dict[str, Any]) -> dict[str, Any]:
    """Add the correction fields a record has to its document."""
    if record.recorded is not None:
        out["recorded"] = _iso(record.recorded)
    if record.id is not None:
        out["id"] = record.id
    if record.supersedes is not None:
        out["supersedes"] = record.supersedes
    if record.reason is not None:
        out["reason"] = record.reason
    return out


def _tail(
    record: Observation | StatusChange, out: dict[str, Any], source_hook: Callable[[Any], Any]
) -> dict[str, Any]:
    """Add what follows a record's own fields to its document: source, note and links."""
    if record.source is not None:
        out["source"] = source_hook(record.source)
    if record.note is not None:
        out["note"] = record.note
    return _links(record, out)


def _record_unstructure_hooks(
    source_hook: Callable[[Any], Any],
) -> tuple[Callable[[Observation], dict[str, Any]], Callable[[StatusChange], dict[str, Any]]]:
    """Hand-written for speed: ledgers hold many records."""

    def observation(record: Observation) -> dict[str, Any]:
        quantity = record.value
        out: dict[str, Any] = {
            "kind": "observation",
            "item": record.target,
            "on": _iso(record.on),
            "value": {"value": str(quantity.value), "unit": quantity.unit},
        }
        return _tail(record, out, source_hook)

    def status(record: StatusChange) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "status",
            "item": record.item,
            "on": _iso(record.on),
            "status": record.status.value,
        }
        if record.percent is not None:
            out["percent"] = record.percent
        return _tail(record, out, source_hook)

    return observation, status


def _unstructure_ledger(
    ledger: Ledger,
    observation: Callable[[Observation], dict[str, Any]],
    status: Callable[[StatusChange], dict[str, Any]],
    other: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    records = []
    for r in ledger.records:
        if type(r) is Observation:
            records.append(observation(r))
        elif type(r) is StatusChange:
            records.append(status(r))
        else:
            records.append(other(r))
    return {"records": records}


def _one_kind(
    cls: type, record_hook: Callable[[object, type], Record]
) -> Callable[[object, type], Record]:
    """A hook for one kind of record, read alone: its `kind` must match."""
    expected = _KIND_OF[cls]

    def hook(value: object, _: type) -> Record:
        if _record_kind(value) is not cls:
            assert isinstance(value, Mapping)
            raise PlanValidationError([("kind", f"{value['kind']!r} is not {expected!r}")])
        return record_hook(value, cls)

    return hook


def _records_of(value: object) -> object:
    if not isinstance(value, Mapping):
        raise fail("", f"{_short(value)} is not a ledger (an object with 'records')")
    extra = [key for key in value if key != "records"]
    if extra:
        raise PlanValidationError(unknown_fields(extra, ("records",), "Ledger (records)"))
    return value.get("records", [])
