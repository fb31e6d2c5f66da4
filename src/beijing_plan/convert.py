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

Structuring runs the builders that `_fastload` generates for each class first,
then, if they give up, a fast converter (cattrs' generated code without detailed
validation). Only if that fails too does it run the detailed one, which visits every
field, collects every problem with its path and raises one
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError].
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import cattrs
import pendulum

from ._collect import _Detailed
from ._errors import fail
from ._fastdump import writer
from ._fastload import FAILED, build
from ._hooks import (
    _KIND_OF,
    _OBSERVATION_KEYS,
    _STATUS_KEYS,
    _STATUSES,
    _enum_hook,
    _enum_value,
    _is_enum,
    _is_frozenset,
    _is_homogeneous_tuple,
    _is_record_union,
    _iso,
    _one_kind,
    _record_unstructure_hooks,
    _records_of,
    _short,
    _structure_bool,
    _structure_date,
    _structure_decimal,
    _structure_float,
    _structure_int,
    _structure_quantity,
    _structure_str,
    _structure_str_enum,
    _structure_text,
    _unstructure_ledger,
    _unstructure_quantity,
    _unstructure_text,
)
from .exceptions import PlanError, PlanValidationError
from .ledger import Ledger, Observation, Record, Revision, StatusChange, Withdrawal
from .model import Source, Text
from .units import Quantity

__all__ = [
    "configure_converter",
    "make_converter",
    "structure",
    "structure_record",
    "unstructure",
]

T = TypeVar("T")


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
    converter.register_structure_hook(StrEnum, _structure_str_enum)
    converter.register_unstructure_hook(StrEnum, _enum_value)
    converter.register_unstructure_hook(pendulum.Date, _iso)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(Quantity, _unstructure_quantity)
    converter.register_unstructure_hook(Text, _unstructure_text)
    converter.register_unstructure_hook_factory(_is_frozenset, lambda _: sorted)
    source_hook = converter.get_unstructure_hook(Source)
    observation, status = _record_unstructure_hooks(source_hook)
    converter.register_unstructure_hook(Observation, observation)
    converter.register_unstructure_hook(StatusChange, status)
    for cls, kind in ((Withdrawal, "withdrawal"), (Revision, "revision")):
        converter.register_unstructure_hook(
            cls, _with_kind(kind, converter.get_unstructure_hook(cls))
        )

    def other(record: Any) -> dict[str, Any]:
        document: dict[str, Any] = converter.unstructure(record, type(record))
        return document

    converter.register_unstructure_hook(
        Ledger, lambda ledger: _unstructure_ledger(ledger, observation, status, other)
    )
    if detailed:
        _Detailed(converter).register()
    else:
        _configure_fast(converter)


def _with_kind(
    kind: str, fields: Callable[[Any], dict[str, Any]]
) -> Callable[[Any], dict[str, Any]]:
    """The document of a record: its `kind`, then the fields that are not at their default."""

    def hook(record: Any) -> dict[str, Any]:
        return {"kind": kind, **fields(record)}

    return hook


# -- the fast path ----------------------------------------------------------------------


#: The kinds of record that the fast path builds with the converter's own attrs hooks.
_OTHER_KINDS: dict[str, type] = {"withdrawal": Withdrawal, "revision": Revision}


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
            recorded = value.get("recorded")
            if "target" in value:
                if "item" in value:
                    raise fail("", "both item and target")
                item = value["target"]
            else:
                item = value["item"]
            return Observation(
                item,
                _structure_date(value["on"], pendulum.Date),
                _structure_quantity(value["value"], Quantity),
                source=source,
                note=value.get("note"),
                recorded=None if recorded is None else _structure_date(recorded, pendulum.Date),
                id=value.get("id"),
                supersedes=value.get("supersedes"),
                reason=value.get("reason"),
            )
        if kind == "status":
            if not value.keys() <= _STATUS_KEYS:
                raise fail("", "unknown field")
            percent = value.get("percent")
            recorded = value.get("recorded")
            return StatusChange(
                value["item"],
                _structure_date(value["on"], pendulum.Date),
                _STATUSES[value["status"]],
                percent=None if percent is None else _structure_float(percent, float),
                source=source,
                note=value.get("note"),
                recorded=None if recorded is None else _structure_date(recorded, pendulum.Date),
                id=value.get("id"),
                supersedes=value.get("supersedes"),
                reason=value.get("reason"),
            )
        cls = _OTHER_KINDS.get(kind) if type(kind) is str else None
        if cls is not None:
            built: Record = converter.structure(
                {k: v for k, v in value.items() if k != "kind"}, cls
            )
            return built
        raise fail("", f"{_short(kind)} is not a kind of record")

    converter.register_structure_hook_factory(_is_homogeneous_tuple, sequence_hook)
    converter.register_structure_hook_factory(_is_frozenset, set_hook)
    converter.register_structure_hook_factory(_is_record_union, lambda _: record_hook)
    for cls in _KIND_OF:
        converter.register_structure_hook(cls, _one_kind(cls, record_hook))
    converter.register_structure_hook(
        Ledger, lambda value, _: Ledger(converter.structure(_records_of(value), tuple[Record, ...]))
    )


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
    write = writer(type(obj))
    if write is not None:
        return write(obj)
    return _converter(False).unstructure(obj)


def structure(document: object, cls: type[T]) -> T:
    """Build `cls` from a plain document.

    Raises:
        PlanValidationError: listing every problem found, each with its path.
    """
    built = build(document, cls)
    if built is not FAILED:
        return built  # type: ignore[no-any-return]
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
