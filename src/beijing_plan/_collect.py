"""The collecting hooks of the detailed converter.

When the fast converter of [`beijing_plan.convert`][beijing_plan.convert] fails, the
detailed one visits every field of the document, collects every problem with its path
and raises one [`PlanValidationError`][beijing_plan.exceptions.PlanValidationError].
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs

from ._errors import fail, unknown_fields
from ._hooks import (
    _KIND_OF,
    _bare_number_problem,
    _is_bare_number,
    _is_frozenset,
    _is_homogeneous_tuple,
    _is_record_union,
    _one_kind,
    _record_kind,
    _records_of,
    _short,
)
from ._integrity import plan_problems
from .exceptions import PlanError, PlanValidationError
from .ledger import Ledger, Observation, Record
from .model import Plan, Text
from .units import Quantity


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
            problems = unknown_fields(value, known, cls.__name__)
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
        renamed = cls is Observation and ("item" in fields or "target" not in fields)
        if renamed:
            # Files name an observation's target `item`, as every record names its item.
            if "target" in fields:
                raise PlanValidationError(
                    [("target", "the target is given twice: as item and as target (keep item)")]
                )
            fields = {("target" if k == "item" else k): v for k, v in fields.items()}
        try:
            record: Record = self.class_hook(cls)(fields, cls)
        except PlanValidationError as error:
            bare = fields.get("value")
            problems = error.problems
            if cls is Observation and _is_bare_number(bare):
                problems = [
                    (path, _bare_number_problem(bare) if path == "value" else message)
                    for path, message in problems
                ]
            elif not renamed:
                raise
            raise PlanValidationError(
                [(_as_item_path(path) if renamed else path, message) for path, message in problems]
            ) from None
        return record

    def ledger(self, value: object, _: type) -> Ledger:
        records = _records_of(value)
        problems: list[tuple[str, str]] = []
        items = self.at(records, tuple[Record, ...], "records", problems)
        if problems:
            raise PlanValidationError(problems)
        return Ledger(items)


_MISSING = object()


def _as_item_path(path: str) -> str:
    """A path of an observation read with `item`, naming `item` where the class says `target`."""
    if path == "target" or path.startswith(("target.", "target[")):
        return "item" + path[len("target") :]
    return path
