"""JSON Schema of the file format, derived from the model classes.

>>> schema = json_schema()
>>> schema["properties"]["schema"]
{'const': 'beijing-plan/1'}
>>> sorted(json_schema(Ledger)["properties"])
['records', 'schema']
"""

from __future__ import annotations

import enum
import types
import typing
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from ._validators import MAX_ID_LENGTH
from .files import SCHEMA
from .ledger import Ledger, Observation, Revision, StatusChange, Withdrawal
from .model import Plan, Text
from .units import MAX_DIGITS, Quantity, units

__all__ = ["json_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Fields that hold ids, or lists of ids, by name.
_ID_FIELDS = frozenset(
    {"id", "parent", "item", "target", "themes", "measures", "supersedes", "record"}
)
_ID = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_ID_LENGTH,
    "pattern": "^[^\\s\\u0000-\\u001f\\u007f-\\u009f]+$",
}
_DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_DECIMAL = {
    "anyOf": [
        {
            "type": "string",
            "maxLength": MAX_DIGITS,
            "pattern": "^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$",
        },
        {"type": "number"},
    ]
}
_KINDS = {
    Observation: "observation",
    StatusChange: "status",
    Withdrawal: "withdrawal",
    Revision: "revision",
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # reserve the name before recursing
            self.defs[name] = self.model(cls)
        return {"$ref": f"#/$defs/{name}"}

    def model(self, cls: type) -> dict[str, Any]:
        if cls is Text:
            text = {"type": "string", "minLength": 1}
            return {
                "description": "Text in Chinese and/or English, or a plain string.",
                "anyOf": [
                    text,
                    {
                        "type": "object",
                        "properties": {"zh": text, "en": text},
                        "additionalProperties": False,
                        "minProperties": 1,
                    },
                ],
            }
        if cls is Quantity:
            names = sorted(
                {name for unit in units().values() for name in (unit.name, *unit.aliases)}
            )
            return {
                "description": "A number (as a string, exactly) with a unit of the registry.",
                "type": "object",
                "properties": {"value": _DECIMAL, "unit": {"enum": names}},
                "required": ["value", "unit"],
                "additionalProperties": False,
            }
        if cls is Ledger:
            return self.ledger()
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if cls in _KINDS:
            properties["kind"] = {"const": _KINDS[cls]}
            required.append("kind")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            name = field.alias or field.name
            properties[name] = self.type(hints[field.name], ids=name in _ID_FIELDS)
            if field.default is attrs.NOTHING:
                required.append(name)
        if cls is Observation:
            # Files name the target `item`, like every other record; `target` is read too.
            properties = {("item" if k == "target" else k): v for k, v in properties.items()}
            properties["target"] = properties["item"]
            required.remove("target")
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if cls is Observation:
            schema["oneOf"] = [{"required": ["item"]}, {"required": ["target"]}]
        if cls.__doc__:
            schema["description"] = cls.__doc__.strip().splitlines()[0]
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def ledger(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "records": {
                    "type": "array",
                    "items": {"oneOf": [self.ref(kind) for kind in _KINDS]},
                }
            },
            "additionalProperties": False,
        }

    def type(self, tp: Any, *, ids: bool = False) -> dict[str, Any]:
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            options = [self.type(a, ids=ids) for a in args if a is not type(None)]
            if type(None) in args:
                options.append({"type": "null"})
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin in (tuple, frozenset):
            array: dict[str, Any] = {"type": "array", "items": self.type(args[0], ids=ids)}
            if origin is frozenset:
                array["uniqueItems"] = True
            return array
        if tp is str:
            return dict(_ID) if ids else {"type": "string"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is Decimal:
            return dict(_DECIMAL)
        if tp is pendulum.Date:
            return dict(_DATE)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [member.value for member in tp]}
        if isinstance(tp, type) and attrs.has(tp):
            return self.ref(tp)
        msg = f"no JSON Schema for {tp!r}"
        raise TypeError(msg)


def json_schema(cls: type = Plan) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a document holding `cls`.

    It describes what [`beijing_plan.load`][beijing_plan.load] reads: the `schema` key, then the
    fields of `cls` in the wire format. Checks that need the whole plan (unique
    ids, references that resolve) are beyond JSON Schema and are left to `load`.
    """
    builder = _Builder()
    body = builder.model(cls)
    properties = {"schema": {"const": SCHEMA}, **body.get("properties", {})}
    document: dict[str, Any] = {
        "$schema": _DIALECT,
        "title": f"beijing-plan document: {cls.__name__}",
        **{k: v for k, v in body.items() if k not in ("properties", "required")},
        "properties": properties,
        "required": ["schema", *body.get("required", [])],
    }
    if builder.defs:
        document["$defs"] = dict(sorted(builder.defs.items()))
    return document
