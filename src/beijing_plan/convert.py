"""The cattrs converter between models and plain documents.

The library makes its own converters and never touches
`cattrs.global_converter`. The wire format, the same in JSON, YAML and TOML:

- A model is a mapping of its attribute names; fields holding `None` or their
  default are left out when writing and may be left out when reading.
- Dates are ISO strings `"YYYY-MM-DD"` (`datetime.date` values, as YAML and
  TOML produce them for unquoted dates, are accepted on input).
- Decimals are strings (`"60"`, `"5.4"`), so no digit is lost; numbers are
  accepted on input.
- A quantity is `{"value": "60", "unit": "yi_yuan"}`; unit aliases such as
  `"亿元"` are accepted on input and written canonically.
- A text is `{"zh": ..., "en": ...}`; a plain string is accepted on input.
- Enumerations are their values (`"at_least"`, `"done"`).
- Sets of ids are sorted lists; tuples are lists.
- A ledger is `{"records": [...]}`; each record carries `"kind"`:
  `"observation"` or `"status"`.
- Chinese text is kept as it is.

Structuring runs a fast converter first (cattrs' generated code without detailed
validation). Only if that fails does it run the detailed one, which visits every
field, collects every problem with its path and raises one
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError].
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar

import attrs
import cattrs
import pendulum

from ._dates import _parse_iso, as_date
from ._errors import fail
from ._integrity import plan_problems
from ._validators import MAX_WHOLE, as_number, whole_number_problem
from .exceptions import PlanError, PlanValidationError
from .ledger import Ledger, Observation, Record, Status, StatusChange
from .model import Plan, Source, Text
from .units import Quantity, as_decimal, number_repr

__all__ = [
    "configure_converter",
    "make_converter",
    "structure",
    "structure_record",
    "unstructure",
]

T = TypeVar("T")

_KIND_OF: dict[type, str] = {Observation: "observation", StatusChange: "status"}
_OBSERVATION_KEYS = frozenset({"kind", "target", "on", "value", "source", "note"})
_STATUS_KEYS = frozenset({"kind", "item", "on", "status", "percent", "source", "note"})
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
            raise PlanValidationError(
                [(str(key), "is not a field of Text (zh, en)") for key in sorted(extra, key=str)]
            )
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
    problems: list[tuple[str, str]] = [
        (str(key), "is not a field of Quantity (value, unit)")
        for key in value
        if key not in ("value", "unit")
    ]
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


def _enum_hook(tp: type[Enum]) -> Callable[[object, type], Enum]:
    members = {member.value: member for member in tp}
    valid = ", ".join(repr(v) for v in members)

    def hook(value: object, _: type) -> Enum:
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise fail("", f"{_short(value)} is not one of {valid}")
        return member

    return hook


def _is_record_union(tp: Any) -> bool:
    return isinstance(tp, types.UnionType) and set(typing.get_args(tp)) == set(_KIND_OF)


def _record_kind(value: object) -> type:
    if not isinstance(value, Mapping):
        raise fail("", f"{_short(value)} is not a record (an object with a 'kind')")
    kind = value.get("kind")
    cls = _CLASS_OF.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise PlanValidationError(
            [("kind", f"{_short(kind)} is not one of 'observation', 'status'")]
        )
    return cls


def configure_converter(converter: cattrs.Converter, *, detailed: bool = False) -> None:
    """Register the library's hooks on `converter`.

    Args:
        converter: A converter made for the library (never the global one).
        detailed: Register the collecting hooks that report every problem with
            its path, instead of stopping at the first.
    """
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(pendulum.Date, _structure_date)
    converter.register_structure_hook(Text, _structure_text)
    converter.register_structure_hook(Quantity, _structure_quantity)
    converter.register_structure_hook_factory(_is_enum, _enum_hook)
    converter.register_unstructure_hook(pendulum.Date, _iso)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(Quantity, _unstructure_quantity)
    converter.register_unstructure_hook(Text, _unstructure_text)
    converter.register_unstructure_hook_factory(_is_frozenset, lambda _: sorted)
    source_hook = converter.get_unstructure_hook(Source)
    observation, status = _record_unstructure_hooks(source_hook)
    converter.register_unstructure_hook(Observation, observation)
    converter.register_unstructure_hook(StatusChange, status)
    converter.register_unstructure_hook(
        Ledger, lambda ledger: _unstructure_ledger(ledger, observation, status)
    )
    if detailed:
        _Detailed(converter).register()
    else:
        _configure_fast(converter)


_ISO: dict[pendulum.Date, str] = {}


def _iso(day: pendulum.Date) -> str:
    text = _ISO.get(day)
    if text is None:
        text = dt.date.isoformat(day)
        if len(_ISO) < 100_000:
            _ISO[day] = text
    return text


def _record_unstructure_hooks(
    source_hook: Callable[[Any], Any],
) -> tuple[Callable[[Observation], dict[str, Any]], Callable[[StatusChange], dict[str, Any]]]:
    """Hand-written for speed: ledgers hold many records."""

    def observation(record: Observation) -> dict[str, Any]:
        quantity = record.value
        out: dict[str, Any] = {
            "kind": "observation",
            "target": record.target,
            "on": _iso(record.on),
            "value": {"value": str(quantity.value), "unit": quantity.unit},
        }
        if record.source is not None:
            out["source"] = source_hook(record.source)
        if record.note is not None:
            out["note"] = record.note
        return out

    def status(record: StatusChange) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "status",
            "item": record.item,
            "on": _iso(record.on),
            "status": record.status.value,
        }
        if record.percent is not None:
            out["percent"] = record.percent
        if record.source is not None:
            out["source"] = source_hook(record.source)
        if record.note is not None:
            out["note"] = record.note
        return out

    return observation, status


def _unstructure_ledger(
    ledger: Ledger,
    observation: Callable[[Observation], dict[str, Any]],
    status: Callable[[StatusChange], dict[str, Any]],
) -> dict[str, Any]:
    return {
        "records": [
            observation(r) if type(r) is Observation else status(r)  # type: ignore[arg-type]
            for r in ledger.records
        ]
    }


# -- the fast path ----------------------------------------------------------------------


def _configure_fast(converter: cattrs.Converter) -> None:
    def sequence_hook(tp: Any) -> Callable[[object, type], tuple[Any, ...]]:
        item_type = typing.get_args(tp)[0]
        handler = converter.get_structure_hook(item_type)

        def hook(value: object, _: type) -> tuple[Any, ...]:
            if type(value) is not list and type(value) is not tuple:
                raise fail("", f"{_short(value)} is not a list")
            return tuple([handler(item, item_type) for item in value])

        return hook

    def set_hook(tp: Any) -> Callable[[object, type], frozenset[Any]]:
        item_type = typing.get_args(tp)[0]
        handler = converter.get_structure_hook(item_type)

        def hook(value: object, _: type) -> frozenset[Any]:
            if type(value) is not list and type(value) is not tuple:
                raise fail("", f"{_short(value)} is not a list")
            return frozenset([handler(item, item_type) for item in value])

        return hook

    source_hook = converter.get_structure_hook(Source)

    def record_hook(value: object, _: type) -> Record:
        # Written out by hand: ledgers hold many records. The constructors still
        # run every validator; anything unusual goes to the detailed path.
        if type(value) is not dict:
            raise fail("", f"{_short(value)} is not a record")
        source = value.get("source")
        if source is not None:
            source = source_hook(source, Source)
        kind = value.get("kind")
        if kind == "observation":
            if not value.keys() <= _OBSERVATION_KEYS:
                raise fail("", "unknown field")
            return Observation(
                value["target"],
                _structure_date(value["on"], pendulum.Date),
                _structure_quantity(value["value"], Quantity),
                source=source,
                note=value.get("note"),
            )
        if kind == "status":
            if not value.keys() <= _STATUS_KEYS:
                raise fail("", "unknown field")
            percent = value.get("percent")
            return StatusChange(
                value["item"],
                _structure_date(value["on"], pendulum.Date),
                _STATUSES[value["status"]],
                percent=None if percent is None else _structure_float(percent, float),
                source=source,
                note=value.get("note"),
            )
        raise fail("", f"{_short(kind)} is not a kind of record")

    converter.register_structure_hook_factory(_is_homogeneous_tuple, sequence_hook)
    converter.register_structure_hook_factory(_is_frozenset, set_hook)
    converter.register_structure_hook_factory(_is_record_union, lambda _: record_hook)
    for cls in _KIND_OF:
        converter.register_structure_hook(cls, _one_kind(cls, record_hook))
    converter.register_structure_hook(
        Ledger, lambda value, _: Ledger(converter.structure(_records_of(value), tuple[Record, ...]))
    )


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
        raise PlanValidationError([(str(k), "is not a field of Ledger (records)") for k in extra])
    return value.get("records", [])


# -- the detailed path ------------------------------------------------------------------


class _Detailed:
    """The collecting hooks: every problem of a document, each with its path."""

    def __init__(self, converter: cattrs.Converter) -> None:
        self.converter = converter

    def register(self) -> None:
        conv = self.converter
        conv.register_structure_hook_factory(
            lambda tp: _is_homogeneous_tuple(tp) or _is_frozenset(tp), self.sequence_hook
        )
        conv.register_structure_hook_factory(
            lambda tp: attrs.has(tp) and tp not in (Text, Quantity, Ledger), self.class_hook
        )
        conv.register_structure_hook_factory(_is_record_union, lambda _: self.record)
        for cls in _KIND_OF:
            conv.register_structure_hook(cls, _one_kind(cls, self.record))
        conv.register_structure_hook(Ledger, self.ledger)

    def at(self, value: object, tp: Any, path: str, problems: list[tuple[str, str]]) -> Any:
        """Structure `value`; on failure add its problems under `path`."""
        try:
            return self.converter.structure(value, tp)
        except PlanValidationError as error:
            problems.extend(error.prefixed(path).problems)
        except (PlanError, ValueError, TypeError, KeyError, AttributeError) as error:
            problems.append((path, f"{_short(value)} is not valid: {error}"))
        return None

    def sequence_hook(self, tp: Any) -> Callable[[object, type], Any]:
        item_type = typing.get_args(tp)[0]
        as_set = _is_frozenset(tp)

        def hook(value: object, _: type) -> Any:
            if type(value) is not list and type(value) is not tuple:
                raise fail("", f"{_short(value)} is not a list")
            problems: list[tuple[str, str]] = []
            items = [self.at(item, item_type, f"[{i}]", problems) for i, item in enumerate(value)]
            if problems:
                raise PlanValidationError(problems)
            return frozenset(items) if as_set else tuple(items)

        return hook

    def field(
        self, field: attrs.Attribute[Any], tp: Any, raw: object, problems: list[tuple[str, str]]
    ) -> Any:
        """Structure `raw` as `tp`, convert and validate it, or return `_MISSING`."""
        name = field.alias or field.name
        before = len(problems)
        value = self.at(raw, tp, name, problems)
        if len(problems) > before:
            return _MISSING
        try:
            if field.converter is not None:
                value = field.converter(value)  # type: ignore[operator]
        except PlanValidationError as error:
            problems.extend(error.prefixed(name).problems)
            return _MISSING
        try:
            if field.validator is not None:
                field.validator(None, field, value)
        except PlanValidationError as error:
            problems.extend(error.problems)  # validators name their field themselves
            return _MISSING
        return value

    def class_hook(self, cls: type) -> Callable[[object, type], Any]:
        fields = [a for a in attrs.fields(cls) if a.init]
        known = {a.alias for a in fields}
        # The modules use postponed annotations, so `field.type` may be a string
        # until something resolves it; resolve every field's type here, once.
        types = typing.get_type_hints(cls)

        def hook(value: object, _: type) -> Any:
            if not isinstance(value, Mapping):
                raise fail("", f"{_short(value)} is not an object ({cls.__name__})")
            problems: list[tuple[str, str]] = [
                (str(key), f"is not a field of {cls.__name__}") for key in value if key not in known
            ]
            kwargs: dict[str, Any] = {}
            for field in fields:
                if field.alias not in value:
                    if field.default is attrs.NOTHING:
                        problems.append((field.alias, "is required"))
                    continue
                item = self.field(field, types[field.name], value[field.alias], problems)
                if item is not _MISSING:
                    kwargs[field.alias] = item
            if cls is Plan:
                if not problems:
                    return self.construct(cls, kwargs, problems)
                problems.extend(p for p in plan_problems(value) if p not in problems)
                raise PlanValidationError(problems)
            return self.construct(cls, kwargs, problems)

        return hook

    @staticmethod
    def construct(model: type, kwargs: dict[str, Any], problems: list[tuple[str, str]]) -> Any:
        """Build `model`, or raise with every problem, its own checks' included.

        When some fields already failed, the object is still built once with those
        fields at their defaults, so that its checks across fields (start after due,
        a missing upper bound) are reported too; problems about the stand-in fields
        are dropped, since the real value was reported already.
        """
        failed = {a.alias for a in attrs.fields(model) if a.init and a.alias not in kwargs}
        if problems and any(
            attrs.fields_dict(model)[n].default is attrs.NOTHING for n in failed if n
        ):
            raise PlanValidationError(problems)
        try:
            built = model(**kwargs)
        except PlanValidationError as error:
            problems.extend(
                (path, message)
                for path, message in error.problems
                if path.split(".", 1)[0].split("[", 1)[0] not in failed or not problems
            )
        else:
            if not problems:
                return built
        raise PlanValidationError(problems)

    def record(self, value: object, _: type) -> Record:
        cls = _record_kind(value)
        assert isinstance(value, Mapping)
        fields = {k: v for k, v in value.items() if k != "kind"}
        record: Record = self.class_hook(cls)(fields, cls)
        return record

    def ledger(self, value: object, _: type) -> Ledger:
        records = _records_of(value)
        problems: list[tuple[str, str]] = []
        items = self.at(records, tuple[Record, ...], "records", problems)
        if problems:
            raise PlanValidationError(problems)
        return Ledger(items)


_MISSING = object()


# -- converters and entry points --------------------------------------------------------


def make_converter(*, detailed: bool = False) -> cattrs.Converter:
    """A new converter with the library's hooks and wire format.

    Args:
        detailed: Make the collecting converter, which reports every problem.
    """
    converter = cattrs.Converter(
        detailed_validation=False, forbid_extra_keys=True, omit_if_default=True
    )
    configure_converter(converter, detailed=detailed)
    return converter


@cache
def _converter(detailed: bool) -> cattrs.Converter:
    return make_converter(detailed=detailed)


def unstructure(obj: object) -> Any:
    """The plain document (dicts, lists, strings, numbers) of a model object."""
    return _converter(False).unstructure(obj)


def structure(document: object, cls: type[T]) -> T:
    """Build `cls` from a plain document.

    Raises:
        PlanValidationError: listing every problem found, each with its path.
    """
    try:
        result: T = _converter(False).structure(document, cls)
    except Exception:  # noqa: S110 (any failure sends us to the detailed path)
        pass
    else:
        return result
    try:
        result = _converter(True).structure(document, cls)
    except PlanValidationError:
        raise
    except (PlanError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise PlanValidationError(
            [("", f"the document is not a valid {cls.__name__}: {error}")]
        ) from None
    return result


def structure_record(document: object) -> Record:
    """Build an [`Observation`][beijing_plan.ledger.Observation] or a
    [`StatusChange`][beijing_plan.ledger.StatusChange] from its `kind`.

    Raises:
        PlanValidationError: listing every problem found, each with its path.
    """
    record: Record = structure(document, Record)  # type: ignore[arg-type]
    return record
