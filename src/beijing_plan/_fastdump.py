"""The fast path of saving: one generated writer per attrs class.

[`unstructure`][beijing_plan.convert.unstructure] writes a model object through the
function this module generates for its class from `attrs.fields()`, as cattrs
generates its own, with the wire format of [`beijing_plan.convert`][beijing_plan.convert]
written inline: a field at its default is left out, a date is its ISO text (kept in
`_DAYS` once made, see [`_day`][beijing_plan._fastdump._day]), a decimal its string,
a text `{zh, en}`, an enumeration its value, a set of ids a sorted list and a tuple a
list. An object whose fields are all written, such as a quantity `{value, unit}`, is
written as one literal inside its owner's. A record starts with its `kind`, and an
observation names its target `item`. The document is the one the library's cattrs
converter makes, key for key, so the text written is byte for byte the same;
tests/test_fastdump.py compares the two. A class it cannot write (a field of a type
it does not know) is left to the converter.

JSON text is written through a second family, [`shallow`][beijing_plan._fastdump.shallow]:
a writer of one object's fields that leaves the model objects inside it (and the
tuples holding them) as they are, and one function, given to orjson as its
`default`, that writes each of those when orjson meets it. Each part is made just
before orjson writes it and freed just after, instead of a whole document of dicts
and lists that is built, walked once and torn down.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, NoReturn

import attrs
import pendulum

from ._hooks import _KIND_OF, _is_frozenset, _is_homogeneous_tuple, _is_record_union, _iso
from ._values import Text
from .ledger import Ledger, Observation, Record

__all__ = ["shallow", "writer"]

#: A writer: the document of one object (plain), or its fields (shallow).
Write = Callable[[Any], Any]


#: The ISO text of each date written, shared by every writer and every thread.
_DAYS: dict[pendulum.Date, str] = {}
#: The most dates `_DAYS` keeps; past that a date's text is made each time it is written.
_DAYS_KEPT = 100_000


def _day(day: pendulum.Date) -> str:
    """The ISO text of `day`, kept in `_DAYS` while it has room.

    A writer looks its dates up as `_DAYS[day]`, which a plain dict answers inside
    the generated code, without a call; the first date not found there sends the
    object to the writer's learning twin, which writes every date through this
    function (see [`_Writing`][beijing_plan._fastdump._Writing]).

    Threads share `_DAYS` safely: an entry, once stored, never changes, and storing
    one is a single operation on the dict. Two threads that make the text of one
    date at once store the same text, and at most one entry per thread can pass
    `_DAYS_KEPT`.
    """
    text = _DAYS.get(day)
    if text is None:
        text = _iso(day)
        if len(_DAYS) < _DAYS_KEPT:
            _DAYS[day] = text
    return text


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


def _unknown(obj: object) -> NoReturn:
    raise TypeError(f"{type(obj).__name__} is not written here")


_NAMES: dict[str, Any] = {
    "_DAYS": _DAYS,
    "_day": _day,
    "_text": _text,
    "_record": _record,
    "_unknown": _unknown,
    "_str": str,
    "_list": list,
    "_sorted": sorted,
}


class _Writing:
    """The generated code of one writer, plain or shallow, and its namespace.

    A writer is made twice. The learning one (`learning`) writes each date through
    [`_day`][beijing_plan._fastdump._day], which makes and keeps the text of a date
    not met before. The fast one looks each date up in `_DAYS` and, at the first
    date not there, hands the object to its learning twin, which writes it whole
    (see [`function`][beijing_plan._fastdump._Writing.function]). Once a date is
    kept, every later object with it takes the fast way.

    A shallow writing also lists, in `inside`, the classes whose objects it left as
    they are, for the `nested` function made beside it, and ranks each by the most
    lists it was found in (`depth`, counted from the object written at the top): a
    class found in more lists tends to have more objects, and is tested first.
    """

    def __init__(self, *, shallow: bool, learning: bool) -> None:
        self.shallow = shallow
        self.learning = learning
        self.space: dict[str, Any] = dict(_NAMES)
        self.inside: list[type] = []
        self.rank: dict[type, int] = {}
        self.depth = 0
        self.inlining: set[type] = set()
        self.count = 0

    def name(self, prefix: str) -> str:
        """A new name in the generated code."""
        self.count += 1
        return f"{prefix}{self.count}"

    def leave(self, cls: type) -> None:
        """Leave the objects of `cls` as they are, for `nested`."""
        if cls not in self.inside:
            self.inside.append(cls)
        self.rank[cls] = max(self.rank.get(cls, 0), self.depth)

    def value(self, tp: Any, var: str) -> str | None:  # noqa: PLR0912 (one case per type)
        """An expression writing `var`, of type `tp` and not `None`; `None` for a type not known.

        `var` is a name or an attribute of one, read as often as the expression needs.
        """
        args = typing.get_args(tp)
        if tp in (str, int, float, bool):
            return var
        if tp is pendulum.Date:
            return f"_day({var})" if self.learning else f"_DAYS[{var}]"
        if tp is Decimal:
            return f"_str({var})"
        if tp is Text:  # both languages is the usual case, written without a call
            zh, en = self.name("_zh"), self.name("_en")
            return (
                f"({{'zh': {zh}, 'en': {en}}} if ({zh} := {var}.zh) is not None"
                f" and ({en} := {var}.en) is not None else _text({var}))"
            )
        if isinstance(tp, type) and issubclass(tp, StrEnum) and self.shallow:
            return var  # orjson writes a text's subclass as the text, here its value
        if isinstance(tp, type) and issubclass(tp, Enum):
            return f"{var}._value_"
        if _is_record_union(tp):
            if not self.shallow:
                return f"_record({var})"
            for cls in _KIND_OF:
                self.leave(cls)
            return var
        if isinstance(tp, types.UnionType) and len(args) == 2 and type(None) in args:
            inner = self.value(next(a for a in args if a is not type(None)), var)
            return None if inner is None else f"(None if {var} is None else {inner})"
        if _is_homogeneous_tuple(tp) or _is_frozenset(tp):
            self.depth += 1
            item = self.value(args[0], "_x")
            self.depth -= 1
            if item is None:
                return None
            if _is_frozenset(tp):
                return f"_sorted({var})" if item == "_x" else None
            if item == "_x":  # orjson writes a tuple as the list it would be
                return var if self.shallow else f"_list({var})"
            return f"[{item} for _x in {var}]"
        if isinstance(tp, type) and attrs.has(tp):
            return self.inline(tp, var) or self.model(tp, var)
        return None

    def inline(self, cls: type, var: str) -> str | None:
        """The document of `var`, of attrs class `cls`, as one expression.

        Only for a class whose fields are all written (none has a default), so
        that the document is one literal; `None` for any other.
        """
        if cls in _KIND_OF or cls in self.inlining:
            return None
        fields = [field for field in attrs.fields(cls) if field.init]
        if any(field.default is not attrs.NOTHING for field in fields):
            return None
        hints = typing.get_type_hints(cls)
        self.inlining.add(cls)
        values = [self.value(hints[field.name], f"{var}.{field.name}") for field in fields]
        self.inlining.discard(cls)
        if None in values:
            return None
        items = (f"{field.name!r}: {value}" for field, value in zip(fields, values, strict=True))
        return f"{{{', '.join(items)}}}"

    def model(self, cls: type, var: str) -> str | None:
        """An expression writing `var`, a model object of class `cls`."""
        if self.shallow:
            self.leave(cls)
            return var
        write = writer(cls)
        if write is None:
            return None
        name = self.name("_write")
        self.space[name] = write
        return f"{name}({var})"

    def differs(self, var: str, default: object) -> str:
        """A test that `var` is not `default`, as `!=` would say for the field's type."""
        if default is None:
            return f"{var} is not None"
        if default in ((), frozenset()):
            return f"{var}"  # a tuple or set is its default exactly when it is empty
        name = self.name("_default")
        self.space[name] = default
        return f"{var} != {name}"

    def body(self, cls: type) -> list[str] | None:
        """The lines writing `obj`, of class `cls`; `None` if a field is of a type not known."""
        if cls is Ledger:  # its records, even none
            records = self.value(tuple[Record, ...], "obj.records")
            return None if records is None else [f"return {{'records': {records}}}"]
        if not attrs.has(cls):
            return None
        hints = typing.get_type_hints(cls)
        kind = _KIND_OF.get(cls)
        head = [] if kind is None else [f"'kind': {kind!r}"]  # the leading keys, as one literal
        rest: list[str] = []
        for i, field in enumerate(attrs.fields(cls)):
            if not field.init:
                continue
            key = "item" if cls is Observation and field.name == "target" else field.name
            default, tp = field.default, hints[field.name]
            if default is None and isinstance(tp, types.UnionType):  # written only when not None
                tp = typing.Union[tuple(a for a in typing.get_args(tp) if a is not type(None))]  # noqa: UP007 (built from parts)
            # a field is read where it is written (most optional ones are None, read
            # only to see that), but one compared with another default once, into a local
            plain = default is attrs.NOTHING or default is None
            var = f"obj.{field.name}" if plain else f"v{i}"
            value = self.value(tp, var)
            if value is None or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                return None
            if default is attrs.NOTHING and not rest:
                head.append(f"{key!r}: {value}")
            elif default is attrs.NOTHING:
                rest.append(f"out[{key!r}] = {value}")
            elif default is None:
                rest.append(f"if {var} is not None: out[{key!r}] = {value}")
            else:
                test = self.differs(f"({var} := obj.{field.name})", default)
                rest.append(f"if {test}: out[{key!r}] = {value}")
        return [f"out = {{{', '.join(head)}}}", *rest, "return out"]

    def function(self, name: str, lines: list[str], twin: Write | None = None) -> Write:
        """Make the function `name` of one argument, `obj`, from its lines.

        Given its learning `twin`, a fast writer that looks a date up runs its lines
        inside a `try`, which costs nothing until a lookup in `_DAYS` fails; the
        `KeyError` hands the object to the twin. No other line of a writer raises
        `KeyError` (a writer called inside has a twin of its own), and were one to,
        the twin would raise it again.
        """
        if twin is not None and any("_DAYS[" in line for line in lines):
            self.space[f"_{name}_learning"] = twin
            lines = [
                "try:",
                *(f"    {line}" for line in lines),
                "except KeyError:  # a date not in _DAYS yet",
                f"    return _{name}_learning(obj)",
            ]
        source = "\n".join([f"def {name}(obj):", *(f"    {line}" for line in lines)])
        exec(source, self.space)  # noqa: S102 (our own generated source)
        made: Write = self.space[name]
        return made


_WRITERS: dict[type, Write | None] = {}
_SHALLOW: dict[type, tuple[Write, Write] | None] = {}


def writer(cls: type) -> Write | None:
    """The generated writer of `cls`, or `None` for a class it does not write."""
    if cls not in _WRITERS:
        _WRITERS[cls] = _ledger if cls is Ledger else _plain(cls)
    return _WRITERS[cls]


def _plain(cls: type) -> Write | None:
    learning = _plain_writer(cls, None)
    return None if learning is None else _plain_writer(cls, learning)


def _plain_writer(cls: type, twin: Write | None) -> Write | None:
    """The learning writer of `cls` (no `twin`), or the fast one handing over to `twin`."""
    writing = _Writing(shallow=False, learning=twin is None)
    lines = writing.body(cls)
    return None if lines is None else writing.function("write", lines, twin)


def shallow(cls: type) -> tuple[Write, Write] | None:
    """The shallow writer of `cls` and its `nested`, or `None` for a class it does not write.

    The writer writes what [`writer`][beijing_plan._fastdump.writer] writes, except
    that the model objects inside (and the tuples of them) are left as they are.
    `nested`, given to orjson as its `default`, writes each of them the same way when
    orjson meets it, so that the JSON text is that of the plain document. One
    function writes every class met inside, each in a branch of its own, so that
    orjson calls one function for one object. It raises `TypeError` for any other
    object, such as one of a subclass (orjson raises its `JSONEncodeError`, a
    `TypeError`, in turn).
    """
    if cls not in _SHALLOW:
        _SHALLOW[cls] = _shallow(cls)
    return _SHALLOW[cls]


def _shallow(cls: type) -> tuple[Write, Write] | None:
    learning = _shallow_writers(cls, None)
    return None if learning is None else _shallow_writers(cls, learning)


def _shallow_writers(cls: type, twins: tuple[Write, Write] | None) -> tuple[Write, Write] | None:
    """The learning shallow writers of `cls` (no `twins`), or the fast ones handing over to them."""
    writing = _Writing(shallow=True, learning=twins is None)
    top = writing.body(cls)
    if top is None:
        return None
    bodies: dict[type, list[str]] = {}
    for inner in writing.inside:  # grows as the classes inside are written
        writing.depth = writing.rank[inner]
        lines = writing.body(inner)
        if lines is None:
            return None
        bodies[inner] = lines
    branches = ["cls = type(obj)"]
    for inner in sorted(bodies, key=lambda c: -writing.rank[c]):  # stable: found first, first
        name = writing.name("_class")
        writing.space[name] = inner
        branches += [f"if cls is {name}:", *(f"    {line}" for line in bodies[inner])]
    write_twin, nested_twin = twins or (None, None)
    return (
        writing.function("write", top, write_twin),
        writing.function("nested", [*branches, "_unknown(obj)"], nested_twin),
    )
