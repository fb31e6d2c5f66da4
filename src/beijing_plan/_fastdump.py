"""The fast path of saving: one generated writer per attrs class.

[`unstructure`][beijing_plan.convert.unstructure] writes a model object through the
function this module generates for its class from `attrs.fields()`, as cattrs
generates its own, with the wire format of [`beijing_plan.convert`][beijing_plan.convert]
written inline: a field at its default is left out, a date is its ISO text (shared
through a cache), a decimal its string, a quantity `{value, unit}`, a text
`{zh, en}`, an enumeration its value, a set of ids a sorted list and a tuple a
list. A record starts with its `kind`, and an observation names its target `item`.
The document is the one the library's cattrs converter makes, key for key, so the
text written is byte for byte the same; tests/test_fastload.py compares the two.
A class it cannot write (a field of a type it does not know) is left to the converter.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import pendulum

from ._hooks import _ISO, _KIND_OF, _is_frozenset, _is_homogeneous_tuple, _is_record_union, _iso
from ._values import Text
from .ledger import Ledger, Observation
from .units import Quantity

__all__ = ["writer"]


def _text(text: Text) -> dict[str, str]:
    out = {}
    if text.zh is not None:
        out["zh"] = text.zh
    if text.en is not None:
        out["en"] = text.en
    return out


def _record(record: Any) -> dict[str, Any]:
    write = writer(type(record))
    if write is None:
        raise TypeError(f"{record!r} is not a record")
    document: dict[str, Any] = write(record)
    return document


def _ledger(ledger: Ledger) -> dict[str, Any]:
    write = {cls: writer(cls) for cls in _KIND_OF}
    return {"records": [write[type(r)](r) for r in ledger.records]}  # type: ignore[misc]


_NAMES: dict[str, Any] = {
    "_ISO": _ISO,
    "_iso": _iso,
    "_text": _text,
    "_record": _record,
    "_str": str,
    "_list": list,
    "_sorted": sorted,
}


def _value(tp: Any, var: str, name: str, space: dict[str, Any]) -> str | None:  # noqa: PLR0912 (one case per type)
    """An expression writing `var`, of type `tp` and not `None`; `None` for a type not known."""
    args = typing.get_args(tp)
    if tp in (str, int, float, bool):
        return var
    if tp is pendulum.Date:
        return f"(_ISO.get({var}) or _iso({var}))"
    if tp is Decimal:
        return f"_str({var})"
    if tp is Text:
        return f"_text({var})"
    if tp is Quantity:
        return f"{{'value': _str({var}.value), 'unit': {var}.unit}}"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return f"{var}._value_"
    if _is_record_union(tp):
        return f"_record({var})"
    if isinstance(tp, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _value(next(a for a in args if a is not type(None)), var, name, space)
        return None if inner is None else f"(None if {var} is None else {inner})"
    if _is_homogeneous_tuple(tp) or _is_frozenset(tp):
        item = _value(args[0], "_x", name, space)
        if item is None:
            return None
        if _is_frozenset(tp):
            return f"_sorted({var})" if item == "_x" else None
        return f"_list({var})" if item == "_x" else f"[{item} for _x in {var}]"
    if isinstance(tp, type) and attrs.has(tp):
        write = writer(tp)
        if write is None:
            return None
        space[name] = write
        return f"{name}({var})"
    return None


def _differs(var: str, default: object, name: str, space: dict[str, Any]) -> str:
    """A test that `var` is not `default`, as `!=` would say for the field's type."""
    if default is None:
        return f"{var} is not None"
    if default in ((), frozenset()):
        return f"{var}"  # a tuple or set is its default exactly when it is empty
    space[name] = default
    return f"{var} != {name}"


_WRITERS: dict[type, Callable[[Any], Any] | None] = {}


def writer(cls: type) -> Callable[[Any], Any] | None:
    """The generated writer of `cls`, or `None` for a class it does not write."""
    if cls not in _WRITERS:
        _WRITERS[cls] = _generate(cls)
    return _WRITERS[cls]


def _generate(cls: type) -> Callable[[Any], Any] | None:
    if cls is Ledger:
        return _ledger
    if not attrs.has(cls):
        return None
    hints = typing.get_type_hints(cls)
    kind = _KIND_OF.get(cls)
    space: dict[str, Any] = dict(_NAMES)
    head = [] if kind is None else [f"'kind': {kind!r}"]  # the leading keys, as one literal
    lines = ["def write(obj):"]
    rest: list[str] = []
    for i, field in enumerate(attrs.fields(cls)):
        if not field.init:
            continue
        key = "item" if cls is Observation and field.name == "target" else field.name
        default, tp = field.default, hints[field.name]
        if default is None and isinstance(tp, types.UnionType):  # written only when not None
            tp = typing.Union[tuple(a for a in typing.get_args(tp) if a is not type(None))]  # noqa: UP007 (built from parts)
        value = _value(tp, f"v{i}", f"_write{i}", space)
        if value is None or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return None
        lines.append(f"    v{i} = obj.{field.name}")
        if default is attrs.NOTHING and not rest:
            head.append(f"{key!r}: {value}")
        elif default is attrs.NOTHING:
            rest.append(f"    out[{key!r}] = {value}")
        else:
            test = _differs(f"v{i}", default, f"_default{i}", space)
            rest.append(f"    if {test}: out[{key!r}] = {value}")
    lines += [f"    out = {{{', '.join(head)}}}", *rest]
    lines.append("    return out")
    exec("\n".join(lines), space)  # noqa: S102 (our own generated source)
    made: Callable[[Any], Any] = space["write"]
    return made
