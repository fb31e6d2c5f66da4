"""The fast path of loading: one generated builder per attrs class.

[`structure`][beijing_plan.convert.structure] tries this path first. For each attrs
class it generates, from `attrs.fields()`, one function (as cattrs generates its
own) that reads a document's mapping into an object:

- each field is read with exact type checks (`type(v) is str`, a list for a tuple,
  an ISO string for a date), and the keys found are counted, so that an unknown
  key is refused and no optional key is looked up once every key is read;
- the validators listed in `INLINE_CHECKS` run inline, as expressions written
  next to the validator each mirrors; any other validator, any converter not in
  `SAME_TYPE_CONVERTERS` and any `__attrs_post_init__` not in `_POST_INITS` is
  called as it is, so that a rule added to the model is kept by default;
- the object is made with `object.__new__`, without `__init__`, as an instance of
  a private subclass that adds no slot and lets its fields be assigned (see
  `_unfrozen`); once it is whole it is given its own class, before any
  validator or post-init runs;
- a plan's checks across its items run as one typed pass,
  [`plan_surely_sound`][beijing_plan._integrity.plan_surely_sound], which may
  refuse a sound plan but never accepts an unsound one.

The path only ever says "here is the object" or gives up: on the first thing it
does not read, or the first check that fails, `build` returns `FAILED` and the
collecting converter of [`beijing_plan._collect`][beijing_plan._collect] runs, so
that every error and its path are the ones it reports. Dates, quantities, texts
and sources are shared within a load through small caches, and a text of a list
that passed its check once is not checked again; `loading` empties the caches
after a load, and pauses the garbage collector (through
[`paused`][beijing_plan._collector.paused]) while a document is parsed and built.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import keyword
import sys
import threading
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import cache
from typing import Any

import attrs
import pendulum

from ._collector import paused
from ._dates import _parse_iso, as_date, as_optional_date
from ._hooks import _KIND_OF, _is_frozenset, _is_homogeneous_tuple, _is_record_union
from ._integrity import plan_surely_sound
from ._validators import (
    _GOOD_IDS,
    _SURROGATE,
    MAX_WHOLE,
    as_id_set,
    as_number,
    as_tuple,
    id_problem,
    valid_count,
    valid_fraction,
    valid_id,
    valid_ids,
    valid_number,
    valid_optional_id,
    valid_optional_text,
    valid_strings,
    valid_text,
    valid_trajectory,
    valid_weight,
)
from ._values import (
    Comparator,
    Source,
    Text,
    as_aggregation,
    as_comparator,
    as_declared,
    as_text,
    as_trajectory,
)
from .ledger import (
    Observation,
    StatusChange,
    Withdrawal,
    _as_optional_weight,
    _as_percent,
    _as_records,
    _as_status,
    _valid_note,
    _valid_optional_quantity,
    _valid_optional_ref,
    _valid_optional_weight,
    _valid_percent,
    _valid_quantity,
    _valid_records,
    _valid_ref,
    _valid_source,
)
from .model import Plan, Target, Task, Theme
from .units import Quantity

__all__ = [
    "FAILED",
    "INLINE_CHECKS",
    "SAME_TYPE_CONVERTERS",
    "build",
    "builder",
    "inline_check",
    "link_mark",
    "linked_since",
    "loading",
]

#: What `build` returns when it gives up.
FAILED: Any = object()
_ABSENT = object()
_LARGEST = sys.float_info.max
#: The most entries a cache of one load holds.
_CACHE_LIMIT = 100_000


class FallBackError(Exception):
    """The fast path met something it does not read; the collecting path decides."""


# -- the inline forms of the model's validators ---------------------------------------
#
# Each entry is an expression over `{v}` that is true only when the validator it
# mirrors surely passes on `v`, for the value the reader made (a `str`, a `float`,
# a tuple, ...). A text that is ASCII or printable holds no surrogate, so only
# another is searched for one. It may be false where the validator passes (the collecting path then
# builds the object), never true where it fails; tests/test_fastload.py checks each
# one against its validator on the same inputs.

_ID = "(type({v}) is str and ({v} in _GOOD_IDS or id_problem({v}) is None))"
_TEXT = (
    "(type({v}) is str and {v} != '' and not {v}.isspace()"
    " and ({v}.isascii() or {v}.isprintable() or not _surrogate({v})))"
)
_NOTE = "(type({v}) is str and ({v}.isascii() or {v}.isprintable() or not _surrogate({v})))"
_WEIGHT = "(type({v}) is float and 0.0 <= {v} <= _LARGEST)"

INLINE_CHECKS: dict[Callable[..., Any], str] = {
    valid_id: _ID,
    _valid_ref: _ID,
    valid_optional_id: "({v} is None or " + _ID + ")",
    _valid_optional_ref: "({v} is None or " + _ID + ")",
    valid_ids: "_all_ids({v})",
    valid_text: _TEXT,
    valid_optional_text: "({v} is None or " + _TEXT + ")",
    valid_strings: "_all_texts({v})",
    _valid_note: "({v} is None or " + _NOTE + ")",
    valid_weight: _WEIGHT,
    _valid_optional_weight: "({v} is None or " + _WEIGHT + ")",
    valid_fraction: "(type({v}) is float and 0.0 <= {v} <= 1.0)",
    _valid_percent: "({v} is None or (type({v}) is float and 0.0 <= {v} <= 100.0))",
    valid_number: "(type({v}) is int and 1 <= {v} <= MAX_WHOLE)",
    valid_count: "({v} is None or (type({v}) is int and 0 <= {v} <= MAX_WHOLE))",
    valid_trajectory: "({v} == () or _all(_a.on < _b.on for _a, _b in _pairwise({v})))",
    _valid_source: "({v} is None or type({v}) is Source)",
    _valid_quantity: "(type({v}) is Quantity)",
    _valid_optional_quantity: "({v} is None or type({v}) is Quantity)",
}

#: Post-inits that surely pass when the expression over the object's fields (named
#: `{field}`) is true; when it is false the post-init itself is called.
SOUND_POST_INITS: dict[Callable[..., Any], str] = {
    Text.__attrs_post_init__: "({zh} is not None or {en} is not None)",
    Theme.__attrs_post_init__: "{parent} != {id}",
    Task.__attrs_post_init__: "({start} is None or {due} is None or {start} <= {due})",
    Target.__attrs_post_init__: (
        "({comparator} is not _BETWEEN and {upper} is None"
        " and ({baseline} is None or {baseline}.value.unit == {value}.unit))"
    ),
    Observation.__attrs_post_init__: "({recorded} is None or {on} <= {recorded})",
    StatusChange.__attrs_post_init__: "({recorded} is None or {on} <= {recorded})",
}

#: Converters that return their argument, or an equal value of the same type, when
#: given what the reader of their field's type makes; the builders skip them.
SAME_TYPE_CONVERTERS: frozenset[Callable[..., Any]] = frozenset(
    {
        as_text,
        as_tuple,
        as_id_set,
        as_date,
        as_optional_date,
        as_number,
        as_comparator,
        as_aggregation,
        as_trajectory,
        as_declared,
        _as_status,
        _as_percent,
        _as_optional_weight,
        _as_records,
    }
)


def _all_ids(values: Iterable[object]) -> bool:
    """`valid_ids` inline: every item passes `valid_id`'s check."""
    for value in values:
        if type(value) is not str or (value not in _GOOD_IDS and id_problem(value) is not None):
            return False
    return True


def _all_texts(values: Iterable[object]) -> bool:
    """`valid_strings` inline: every item passes `valid_text`'s check.

    A text that passed once in this load (the same department in many tasks) is
    not checked again.
    """
    for value in values:
        if type(value) is not str:
            return False
        if value in _GOOD_TEXTS:
            continue
        if value == "" or value.isspace() or _holds_surrogate(value):
            return False
        if len(_GOOD_TEXTS) < _CACHE_LIMIT:
            _GOOD_TEXTS.add(value)
    return True


def _holds_surrogate(value: str) -> bool:
    """Whether `value` holds a surrogate: never when it is ASCII or printable (a
    surrogate is not), else as `_SURROGATE` finds."""
    return not (value.isascii() or value.isprintable()) and _SURROGATE.search(value) is not None


#: The texts `_all_texts` found good in this load.
_GOOD_TEXTS: set[str] = set()


_NAMES: dict[str, Any] = {
    "_all_ids": _all_ids,
    "_all_texts": _all_texts,
    "FallBackError": FallBackError,
    "_ABSENT": _ABSENT,
    "_BETWEEN": Comparator.BETWEEN,
    "_GOOD_IDS": _GOOD_IDS,
    "_LARGEST": _LARGEST,
    "MAX_WHOLE": MAX_WHOLE,
    "Quantity": Quantity,
    "Source": Source,
    "_all": all,
    "_pairwise": itertools.pairwise,
    "_surrogate": _SURROGATE.search,
    "id_problem": id_problem,
    "_new": object.__new__,
}


def inline_check(validator: Callable[..., Any]) -> Callable[[object], bool]:
    """The inline form of `validator` as a function, as the builders run it."""
    code = f"def check(v):\n    return bool({INLINE_CHECKS[validator].format(v='v')})\n"
    space = dict(_NAMES)
    exec(code, space)  # noqa: S102 (our own generated source)
    check: Callable[[object], bool] = space["check"]
    return check


def _made_by_reader(tp: Any) -> type | None:
    """The one class whose exact instances the reader of `tp` makes, if it makes objects."""
    if tp in (Text, Quantity) or (isinstance(tp, type) and attrs.has(tp)):
        return tp  # type: ignore[no-any-return]
    return None


def guaranteed(validator: Callable[..., Any], tp: Any) -> bool:
    """Whether `validator`, an `items_of` or `instance_of` check, holds for whatever the
    reader of `tp` makes: a tuple of objects of one of its classes, or one such object.

    These checks are closures; the classes they accept are read from the closure.
    """
    name = getattr(validator, "__qualname__", "")
    if name not in ("items_of.<locals>.check", "instance_of.<locals>.check"):
        return False
    free = inspect.getclosurevars(validator).nonlocals
    args = typing.get_args(tp)
    if name.startswith("items_of"):
        return _is_homogeneous_tuple(tp) and _made_by_reader(args[0]) in free["classes"]
    if free["optional"] and isinstance(tp, types.UnionType) and type(None) in args:
        tp = next(a for a in args if a is not type(None))
    return _made_by_reader(tp) is free["cls"]


def _plan_post_init(plan: Plan) -> None:
    """`Plan.__attrs_post_init__` with its checks as one typed pass."""
    if plan.start > plan.end or not plan_surely_sound(plan):
        raise FallBackError
    plan._build_index()


#: Post-inits the builders replace with a faster one of the same effect.
_POST_INITS: dict[Callable[..., Any], Callable[[Any], None]] = {
    Plan.__attrs_post_init__: _plan_post_init,
}


# -- readers of single values ---------------------------------------------------------

_DATES: dict[object, pendulum.Date] = {}
_QUANTITIES: dict[tuple[str, str], Quantity] = {}
_TEXTS: dict[object, Text] = {}
_SOURCES: dict[object, Source] = {}


def _read_date(value: object) -> pendulum.Date:
    if type(value) is str:
        day = _parse_iso(value)
        if len(_DATES) < _CACHE_LIMIT:
            _DATES[value] = day
        return day
    if type(value) is dt.date:
        return as_date(value)
    raise FallBackError


def _read_float(value: object) -> float:
    if type(value) is int and -MAX_WHOLE <= value <= MAX_WHOLE:
        return float(value)
    raise FallBackError


def _read_quantity(value: object) -> Quantity:
    if type(value) is not dict or len(value) != 2:
        raise FallBackError
    number, unit = value["value"], value["unit"]
    if type(unit) is not str:
        raise FallBackError
    if type(number) is str:
        key = (number, unit)
        quantity = _QUANTITIES.get(key)
        if quantity is None:
            quantity = Quantity(number, unit)
            if len(_QUANTITIES) < _CACHE_LIMIT:
                _QUANTITIES[key] = quantity
        return quantity
    if type(number) is int or type(number) is float:
        return Quantity(number, unit)
    raise FallBackError


def _read_text(value: object) -> Text:
    if type(value) is str:
        text = _TEXTS.get(value)
        if text is None:
            text = Text.of(value)
            if len(_TEXTS) < _CACHE_LIMIT:
                _TEXTS[value] = text
        return text
    key = _text_key(value)
    text = _TEXTS.get(key)
    if text is None:
        text = builder(Text)(value)  # type: ignore[misc]
        if len(_TEXTS) < _CACHE_LIMIT:
            _TEXTS[key] = text
    return text


def _read_source(value: object) -> Source:
    """A source, shared with one read earlier in this load from the same entries.

    A plan cites a few sources again and again (one report for many tasks). The
    mapping is kept under its four fields and its size, as `_text_key` keeps a
    text's: only a mapping that built a source is kept, so one whose keys are all
    fields of a source, and another mapping of the same key has the same entries.
    """
    if type(value) is not dict:
        raise FallBackError
    get = value.get
    key = (get("title"), get("url"), get("published"), get("note"), len(value))
    source = _SOURCES.get(key)
    if source is None:
        source = builder(Source)(value)  # type: ignore[misc]
        if len(_SOURCES) < _CACHE_LIMIT:
            _SOURCES[key] = source
    return source


def _text_key(value: Any) -> tuple[object, object, int]:
    """What a text read from the mapping `value` is kept under in `_TEXTS`.

    Only a mapping that built a text is kept, so one with its keys `zh` and `en`
    only; another mapping of the same key has the same entries.
    """
    return (value.get("zh"), value.get("en"), len(value))


def _exact(kind: type) -> Callable[[object], Any]:
    def read(value: object) -> Any:
        if type(value) is not kind:
            raise FallBackError
        return value

    return read


def _enum_reader(tp: type[Enum]) -> Callable[[object], Any]:
    members = {member.value: member for member in tp}

    def read(value: object) -> Any:
        if type(value) is not str:
            raise FallBackError
        return members[value]

    return read


def _sequence_reader(item: Callable[[object], Any], make: type) -> Callable[[object], Any]:
    def read(value: object) -> Any:
        if type(value) is not list:
            raise FallBackError
        return make(map(item, value))

    return read


def _strings(value: object) -> tuple[str, ...]:
    if type(value) is not list:
        raise FallBackError
    for item in value:
        if type(item) is not str:
            raise FallBackError
    return tuple(value)


def _string_set(value: object) -> frozenset[str]:
    return frozenset(_strings(value))


def _texts(value: object) -> tuple[str, ...]:
    """`_strings` read and checked as `valid_strings` is (by `_all_texts`) in one pass."""
    if type(value) is not list or not _all_texts(value):
        raise FallBackError
    return tuple(value)


def _id_set(value: object) -> frozenset[str]:
    """`_string_set` read and checked as `valid_ids` is (by `_all_ids`) in one pass."""
    if type(value) is not list or not _all_ids(value):
        raise FallBackError
    return frozenset(value)


#: Readers that also run the check of a validator: for the validator, the reader of
#: its field and the reader standing for both (`_all_texts` and `_all_ids` test each
#: item's type).
_CHECKED_READERS: dict[Callable[..., Any], tuple[Callable[..., Any], Callable[..., Any]]] = {
    valid_strings: (_strings, _texts),
    valid_ids: (_string_set, _id_set),
}


def _optional_reader(item: Callable[[object], Any]) -> Callable[[object], Any]:
    def read(value: object) -> Any:
        return None if value is None else item(value)

    return read


#: The builder of each kind of record, by its `kind`; filled on first use.
_BY_KIND: dict[object, Callable[[object], Any]] = {}


def _read_record(value: object) -> Any:
    """A record of any kind: its builder checks that the value is a mapping."""
    return (_BY_KIND or _record_builders())[value["kind"]](value)  # type: ignore[index]


def _read_records(value: object) -> tuple[Any, ...]:
    """A list of records of any kind, as a tuple; noted in this thread when none of
    them is linked (see `link_mark`)."""
    if type(value) is not list:
        raise FallBackError
    by_kind = _BY_KIND or _record_builders()
    mark = link_mark()
    records = tuple([by_kind[x["kind"]](x) for x in value])
    _LAST_READ.unlinked = None if linked_since(mark) else id(records)
    return records


def _record_builders() -> dict[object, Callable[[object], Any]]:
    """Fill `_BY_KIND` with the builders that leave out the test of `kind` (read already)."""
    for cls, kind in _KIND_OF.items():
        if builder(cls) is not None:
            _BY_KIND[kind] = _OF_KIND[cls]
    return _BY_KIND


#: The builder of each class of record that does not test the record's `kind`, for
#: the readers that pick the builder by that `kind`; made with `builder`.
_OF_KIND: dict[type, Callable[[object], Any]] = {}


# -- links among records -------------------------------------------------------------
#
# A ledger's links (ids, corrections, withdrawals) need a pass over all its records,
# and only when one of them is linked. Each builder of a record that makes a linked
# one takes a number from `_next_link`; a reader takes one before it builds its
# records and one after, and when the two follow each other no record it built is
# linked. Records built at the same time in another thread take numbers too: they
# can only make a reader check links it need not, never let it skip any.

_next_link = itertools.count().__next__


def link_mark() -> int:
    """A mark to give to `linked_since` once records are built."""
    return _next_link()


def linked_since(mark: int) -> bool:
    """Whether a record built since `mark` was taken may be linked to another: is a
    withdrawal, or has an `id` or a `supersedes`."""
    return _next_link() != mark + 1


class _LastRead(threading.local):
    """What `_read_records` read last in this thread: the `id()` of its tuple when
    no record of it is linked, else `None`."""

    unlinked: int | None = None


_LAST_READ = _LastRead()

#: The fields whose value, when not `None`, links a record to another.
_LINK_FIELDS = ("id", "supersedes")


def _valid_read_records(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """`_valid_records` for the tuple `_read_records` just read: all its records are
    of a record class, so it needs the pass over their links only if one is linked.

    The tuple is alive, so no other has its `id()`; any other tuple gets the pass.
    """
    if _LAST_READ.unlinked == id(value):
        object.__setattr__(instance, "_linked", False)
    else:
        _valid_records(instance, attribute, value)


#: Validators the builders replace with a faster one of the same effect, for a field
#: read by the reader named beside it.
_READ_VALIDATORS: dict[Callable[..., Any], tuple[Callable[..., Any], Callable[..., Any]]] = {
    _valid_records: (_read_records, _valid_read_records),
}


#: The readers of the values kept within a load (see `loading`), by their type.
_VALUE_READERS: dict[Any, Callable[[object], Any]] = {
    pendulum.Date: _read_date,
    Text: _read_text,
    Quantity: _read_quantity,
    Source: _read_source,
}


def _reader(tp: Any) -> Callable[[object], Any] | None:
    """A function reading a value of type `tp`, or `None` for a type it does not read."""
    if tp in (str, int, bool):
        return _exact(tp)
    if tp is float:
        return lambda value: value if type(value) is float else _read_float(value)
    if tp in _VALUE_READERS:
        return _VALUE_READERS[tp]
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_reader(tp)
    if _is_record_union(tp):
        return _read_record
    args = typing.get_args(tp)
    if _is_homogeneous_tuple(tp) and _is_record_union(args[0]):
        return _read_records
    if (_is_homogeneous_tuple(tp) or _is_frozenset(tp)) and args[0] is str:
        return _strings if args[1:] else _string_set
    if _is_homogeneous_tuple(tp) or _is_frozenset(tp):
        item = _reader(args[0])
        return None if item is None else _sequence_reader(item, tuple if args[1:] else frozenset)
    if isinstance(tp, types.UnionType) and len(args) == 2 and type(None) in args:
        item = _reader(next(a for a in args if a is not type(None)))
        return None if item is None else _optional_reader(item)
    if isinstance(tp, type) and attrs.has(tp):
        return builder(tp)
    return None


def _read_lines(tp: Any, var: str, name: str, space: dict[str, Any]) -> list[str] | None:
    """Source lines reading `var` as `tp` in place; common types inline, others by call."""
    if tp in (str, int, bool):
        return [f"if type({var}) is not {tp.__name__}: raise FallBackError"]
    if tp is float:
        return [f"if type({var}) is not float: {var} = _read_float({var})"]
    if tp is pendulum.Date:
        return [f"{var} = _DATES.get({var}) or _read_date({var})"]
    if tp is Text:  # one seen before in this load (as `_text_key` keeps it), else `_read_text`
        return [
            f"_t = _TEXTS.get(({var}.get('zh'), {var}.get('en'), len({var})) if type({var}) is dict"
            f" else {var} if type({var}) is str else None)",
            f"{var} = _read_text({var}) if _t is None else _t",
        ]
    if tp is Quantity:  # one seen before in this load, else `_read_quantity`
        return [
            f"_q = _QUANTITIES.get(({var}['value'], {var}['unit'])) if type({var}) is dict"
            f" and len({var}) == 2 and type({var}['value']) is str else None",
            f"{var} = _read_quantity({var}) if _q is None else _q",
        ]
    if isinstance(tp, type) and issubclass(tp, Enum):
        space[name] = {member.value: member for member in tp}
        return [f"if type({var}) is not str: raise FallBackError", f"{var} = {name}[{var}]"]
    args = typing.get_args(tp)
    if isinstance(tp, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _read_lines(next(a for a in args if a is not type(None)), var, name, space)
        return None if inner is None else [f"if {var} is not None:", *("    " + s for s in inner)]
    read = _reader(tp)
    if read is None:
        return None
    space[name] = read
    return [f"{var} = {name}({var})"]


# -- the builders of classes ----------------------------------------------------------


@cache
def builder(cls: Any) -> Callable[[object], Any] | None:
    """The generated builder of `cls` (an attrs class or the record union), or `None`."""
    if _is_record_union(cls):
        return _read_record
    if not (isinstance(cls, type) and attrs.has(cls)) or hasattr(cls, "__attrs_pre_init__"):
        return None
    return _generate(cls)


def _descriptor(cls: type, name: str) -> Any:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _generate(cls: type) -> Callable[[object], Any] | None:
    """The source of `cls`'s builder, compiled; `None` where a field cannot be read fast."""
    hints = typing.get_type_hints(cls)
    kind = _KIND_OF.get(cls)
    space: dict[str, Any] = {**_NAMES, "_cls": cls, "_DATES": _DATES}
    space.update(_read_date=_read_date, _read_float=_read_float)
    space.update(_QUANTITIES=_QUANTITIES, _read_quantity=_read_quantity)
    space.update(_TEXTS=_TEXTS, _read_text=_read_text)
    lines = [
        "def build(raw):",
        "    if type(raw) is not dict: raise FallBackError",
        "    size = len(raw)",
    ]
    if kind is not None:
        space["_kind"] = kind
        lines.append(_KIND_TEST)
    required = sum(1 for f in attrs.fields(cls) if f.init and f.default is attrs.NOTHING)
    lines += [f"    n = {required + (kind is not None)}", "    obj = _new(_unfrozen)"]
    after: list[str] = []
    names: dict[str, str] = {}
    parts: list[_FieldLines] = []
    for i, field in enumerate(attrs.fields(cls)):
        names[field.name] = f"v{i}"
        made = _field_lines(cls, i=i, field=field, tp=hints[field.name], space=space, after=after)
        if made is None:
            return None
        parts.append(made)
    lines += _assembled(parts)
    space["_unfrozen"] = _unfrozen(cls)  # made only for a class that gets a builder
    lines += ["    if n != size: raise FallBackError", "    obj.__class__ = _cls", *after]
    if cls in _KIND_OF:  # a record: counted when it is linked
        space["_next_link"] = _next_link
        links = [f"{names[name]} is not None" for name in _LINK_FIELDS if name in names]
        if cls is Withdrawal:
            lines.append("    _next_link()")
        elif links:
            lines.append(f"    if {' or '.join(links)}: _next_link()")
    post = getattr(cls, "__attrs_post_init__", None)
    if post is not None:
        space["_post"] = _POST_INITS.get(post, post)
        sound = SOUND_POST_INITS.get(post)
        test = "" if sound is None else f"if not {sound.format(**names)}: "
        lines.append(f"    {test}_post(obj)")
    lines.append("    return obj")
    built = _compiled(lines, cls, space)
    if kind is not None:
        _OF_KIND[cls] = _compiled([line for line in lines if line != _KIND_TEST], cls, space)
    return built


_KIND_TEST = "    if raw.get('kind') != _kind: raise FallBackError"


def _unfrozen(cls: type) -> type:
    """A subclass of `cls` that adds no slot and sets attributes as `object` does.

    A builder makes its object as one of these and sets each field by assignment,
    which Python runs as a store into the slot (a frozen class's slot descriptor
    would be a call per field). Once every field is read, it gives the object the
    class `cls`: the two share one layout, so the object is then a `cls` in every
    way, before any validator or post-init sees it. An object that fails is
    dropped, never seen outside. `cls.__subclasses__()` lists this class.
    """
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,  # both, for Python to store without a call
        "__delattr__": object.__delattr__,
        "__module__": __name__,
        "__qualname__": f"_unfrozen({cls.__qualname__})",
        "__doc__": f"A {cls.__qualname__} being built by the fast path of loading.",
    }
    return type(cls.__name__, (cls,), namespace)


def _compiled(lines: list[str], cls: type, space: dict[str, Any]) -> Callable[[object], Any]:
    """The function `build` that `lines` define, with the names of `space`."""
    exec(compile("\n".join(lines), f"<builder of {cls.__qualname__}>", "exec"), space)  # noqa: S102 (our own generated source)
    built: Callable[[object], Any] = space["build"]
    return built


class _FieldLines(typing.NamedTuple):
    """The lines that read one field: `present` where its key may be in the mapping,
    `absent` (for a field with a default) where every key is read already."""

    present: list[str]
    absent: list[str] | None = None


def _assembled(parts: list[_FieldLines], indent: str = "") -> list[str]:
    """The lines of the fields in order, each field with a default read only while a
    key is left: once none is, the fields after it take their defaults unread."""
    lines: list[str] = []
    for j, part in enumerate(parts):
        if part.absent is None:
            lines += [indent + line for line in part.present]
            continue
        lines.append(f"{indent}    if n < size:")
        lines += [f"{indent}    {line}" for line in part.present]
        lines += _assembled(parts[j + 1 :], indent + "    ")
        lines.append(f"{indent}    else:")
        for rest in parts[j:]:
            lines += [f"{indent}    {line}" for line in rest.present if rest.absent is None]
            lines += [f"{indent}    {line}" for line in rest.absent or ()]
        return lines
    return lines


def _field_lines(  # noqa: PLR0912, PLR0915 (the cases of one field, in order)
    cls: type,
    *,
    i: int,
    field: attrs.Attribute[Any],
    tp: Any,
    space: dict[str, Any],
    after: list[str],
) -> _FieldLines | None:
    """The lines that read, convert, check and set field `i` into the local `v{i}`.

    Validators that cannot run before the object is whole go into `after`.
    """
    var = f"v{i}"
    slot = _descriptor(cls, field.name)
    if slot is None or not hasattr(slot, "__set__"):
        return None
    if not field.name.isidentifier() or keyword.iskeyword(field.name):
        return None
    default, converter = field.default, typing.cast("Any", field.converter)
    factory = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
    if (factory and default.takes_self) or not (converter is None or _plain(converter)):  # type: ignore[union-attr]
        return None
    if not field.init:
        if default is attrs.NOTHING:
            return _FieldLines([])  # set by the post-init
        space[f"_default{i}"] = default.factory if factory else default  # type: ignore[union-attr]
        return _FieldLines(
            [f"    {var} = _default{i}{'()' if factory else ''}", f"    obj.{field.name} = {var}"]
        )
    convert = converter is not None and converter not in SAME_TYPE_CONVERTERS
    read = _read_lines(tp, var, f"_read{i}", space)
    if read is None:
        return None
    if convert:
        space[f"_convert{i}"] = converter
        read.append(f"{var} = _convert{i}({var})")
    key = field.alias
    validator = field.validator
    check = None if validator is None else INLINE_CHECKS.get(validator)
    joined = _CHECKED_READERS.get(validator)  # type: ignore[arg-type]
    if joined is not None and space.get(f"_read{i}") is joined[0] and not convert:
        space[f"_read{i}"], validator, check = joined[1], None, None
    checked = None if check is None else check.format(v=var)
    test = [] if checked is None else [f"if not {checked}: raise FallBackError"]
    if validator is not None and check is None and not guaranteed(validator, tp):
        reader, faster = _READ_VALIDATORS.get(validator, (None, validator))
        if reader is not None and space.get(f"_read{i}") is reader:
            validator = faster
        space[f"_validate{i}"], space[f"_field{i}"] = validator, field
        after.append(f"    _validate{i}(obj, _field{i}, {var})")
    lines: list[str]
    absent: list[str] | None = None
    if default is attrs.NOTHING:  # counted among the keys before the first field
        if cls is Observation and key == "target":  # files name it `item`; `target` is read too
            # Of `item` and `target` (or an `item` of `null`), one key is counted: with
            # both, the count of keys read falls short of the mapping's size.
            lines = [f"    {var} = raw.get('item')", f"    if {var} is None: {var} = raw['target']"]
        else:
            lines = [f"    {var} = raw[{key!r}]"]
        read = _untyped(read, checked, var, not_none=False)
        lines += ["    " + line for line in (*read, *test)]
    elif default is None and _is_optional(tp) and (converter is None or converter(None) is None):
        # A missing key and a `null` read alike, as `None`; only a key given counts.
        inner = _read_lines(_not_none(tp), var, f"_read{i}", space)
        if inner is None:
            return None
        if convert:
            inner.append(f"{var} = _convert{i}({var})")
        if check is None or _accepts(validator, None):  # type: ignore[arg-type]
            inner, test = _untyped(inner, checked, var, not_none=True) + test, []
        lines = [f"    {var} = raw.get({key!r})", f"    if {var} is not None:", "        n += 1"]
        lines += ["        " + line for line in inner] + ["    " + line for line in test]
        absent = [f"    {var} = None", *("    " + line for line in test)]
    else:
        read = _untyped(read, checked, var, not_none=False)
        if factory:
            space[f"_default{i}"] = default.factory  # type: ignore[union-attr]
            made = f"_default{i}()"
            value = f"_convert{i}({made})" if convert else made
        else:
            try:
                space[f"_default{i}"] = default if converter is None else converter(default)
            except Exception:
                return None
            value = f"_default{i}"
            if check is not None and _accepts(validator, space[f"_default{i}"]):  # type: ignore[arg-type]
                read, test = read + test, []  # the default passes: only a value read is checked
        lines = [
            f"    {var} = raw.get({key!r}, _ABSENT)",
            f"    if {var} is _ABSENT: {var} = {value}",
            "    else:",
            "        n += 1",
            *("        " + line for line in read),
            *("    " + line for line in test),
        ]
        absent = [f"    {var} = {value}", *("    " + line for line in test)]
    store = f"    obj.{field.name} = {var}"
    return _FieldLines([*lines, store], None if absent is None else [*absent, store])


def _untyped(read: list[str], checked: str | None, var: str, *, not_none: bool) -> list[str]:
    """`read` without its test of an exact type where the check `checked`, run after
    it, tests the same type first (with `not_none`, after a test of `None`, for a
    value that is not `None`)."""
    if checked is None or len(read) != 1:
        return read
    for kind in ("str", "int", "bool"):
        if read[0] == f"if type({var}) is not {kind}: raise FallBackError":
            same = f"(type({var}) is {kind} and "
            if checked.startswith(same) or (
                not_none and checked.startswith(f"({var} is None or {same}")
            ):
                return []
    return read


def _accepts(validator: Callable[..., Any], value: object) -> bool:
    """Whether the inline form of `validator` accepts `value` (one that fails refuses it)."""
    try:
        return inline_check(validator)(value)
    except Exception:  # any failure is a refusal
        return False


def _not_none(tp: Any) -> Any:
    """`X` of `X | None`."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007 (built from parts)


def _plain(converter: object) -> bool:
    """Whether `converter` is called with the value alone (not an `attrs.Converter`)."""
    special = getattr(attrs, "Converter", None)
    return callable(converter) and not (special is not None and isinstance(converter, special))


def _is_optional(tp: Any) -> bool:
    return isinstance(tp, types.UnionType) and type(None) in typing.get_args(tp)


# -- entry points ---------------------------------------------------------------------


def build(document: object, cls: Any) -> Any:
    """`cls` built from `document` by the fast path, or `FAILED` where it gives up."""
    make = builder(cls)
    if make is None:
        return FAILED
    try:
        return make(document)
    except Exception:
        return FAILED


@contextmanager
def loading() -> Iterator[None]:
    """Pause the garbage collector for one load, and empty the load's caches after it.

    The collector is turned on again only if it was on. A load builds many objects
    and no cycle, so the collector would walk them again and again for nothing.
    """
    with paused():
        try:
            yield
        finally:
            _DATES.clear()
            _QUANTITIES.clear()
            _TEXTS.clear()
            _SOURCES.clear()
            _GOOD_TEXTS.clear()
