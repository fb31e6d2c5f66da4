"""Documents and files: `dumps`/`loads` for text, `save`/`load` for paths.

A document is a mapping whose first key is `"schema": "beijing-plan/1"`
followed by the object's fields in the wire format of
[`beijing_plan.convert`][beijing_plan.convert]. JSON, YAML and TOML carry the same document.

>>> from beijing_plan import Quantity
>>> print(dumps(Quantity("60", "亿元")), end="")
{
  "schema": "beijing-plan/1",
  "value": "60",
  "unit": "yi_yuan"
}
>>> loads(dumps(Quantity("60", "亿元"), "yaml"), Quantity, "yaml")
Quantity(value=Decimal('60'), unit='yi_yuan')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, overload

from . import _formats
from ._atomic import replacing
from ._fastdump import shallow
from ._fastload import FAILED, build, loading
from ._formats import check_format, dump_json, dump_text, parse
from ._hooks import _is_bare_number
from ._reading import read_bytes
from ._references import reference_of, reference_problems
from .convert import structure, unstructure
from .exceptions import PlanError, PlanValidationError
from .ledger import Ledger
from .model import Plan, Target

__all__ = ["SCHEMA", "dumps", "format_of", "load", "loads", "save"]

#: The schema version written into, and required from, every document.
SCHEMA = "beijing-plan/1"

_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml"}
#: The schema line as each format writes it.
_SCHEMA_LINES = {
    "json": f'"schema": "{SCHEMA}"',
    "yaml": f"schema: {SCHEMA}",
    "toml": f'schema = "{SCHEMA}"',
}

T = TypeVar("T")


def format_of(path: str | os.PathLike[str]) -> str:
    """The format a file's suffix names (`.json`, `.yaml`, `.yml`, `.toml`).

    Raises:
        PlanValidationError: for any other suffix.
    """
    suffix = Path(path).suffix.lower()
    try:
        return _SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(_SUFFIXES)
        raise PlanValidationError(
            [("", f"{os.fspath(path)!r}: the suffix {suffix!r} names no format ({known})")]
        ) from None


def document(obj: object) -> dict[str, Any]:
    """The document of a model object: the schema, then its fields."""
    body = unstructure(obj)
    if not isinstance(body, dict):
        raise PlanError(f"{type(obj).__name__} is not a model object that makes a document")
    return {"schema": SCHEMA, **body}


def dumps(obj: object, format: str = "json") -> str:  # noqa: A002 (the documented keyword)
    """The text of `obj`'s document in `format` (`"json"`, `"yaml"` or `"toml"`)."""
    if check_format(format) == "json":
        return _json(obj).decode()
    return dump_text(document(obj), format)


def _json(obj: object) -> bytes:
    """The JSON text of `obj`'s document, in UTF-8."""
    writers = shallow(type(obj))
    if writers is not None:
        write, nested = writers
        try:  # the parts of the document made as orjson writes them
            return dump_json({"schema": SCHEMA, **write(obj)}, default=nested)
        except TypeError:  # an object no shallow writer left: the whole document
            pass
    return dump_json(document(obj))


def from_document(
    data: object,
    cls: type[T],
    *,
    plan: Plan | None = None,
    format: str = "json",  # noqa: A002 (the name the public functions use)
) -> T:
    """Build `cls` from a parsed document, checking its schema first.

    `format` is the one the document was written in: a missing schema is shown
    as the line to add in that format.

    With `plan`, a ledger is also checked against it, and every problem,
    structural or of reference, is raised in one error (see [`loads`][beijing_plan.loads]).
    """
    if not isinstance(data, Mapping):
        raise PlanValidationError([("", f"the document is a {type(data).__name__}, not a mapping")])
    schema = data.get("schema")
    if schema != SCHEMA:
        if schema is None:
            line = _SCHEMA_LINES.get(format, _SCHEMA_LINES["json"])
            message = f"is missing; a {format.upper()} document starts with {line}"
        else:
            message = f"{schema!r} is not a schema this version reads (it reads {SCHEMA!r})"
        raise PlanValidationError([("schema", message)])
    body = {key: value for key, value in data.items() if key != "schema"}
    if plan is None or not (isinstance(cls, type) and issubclass(cls, Ledger)):
        return structure(body, cls)
    return _ledger_for(_with_units(body, plan), cls, plan)


def _with_units(body: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """`body` with each observation's bare number given its target's unit in `plan`.

    A spreadsheet's blank unit means the target's unit, and so does a document's
    `value: 3` when the ledger is read with its plan. A record whose id names no
    target of the plan keeps its bare number, which the converter then reports.
    """
    records = body.get("records")
    if not isinstance(records, list):
        return body
    return {**body, "records": [with_target_unit(record, plan) for record in records]}


def with_target_unit(record: object, plan: Plan) -> object:
    """A record's document with a bare number for its value given its target's unit.

    Anything else, an observation of an id that is no target of `plan` among
    them, is returned as it is, for the converter to judge.
    """
    if not isinstance(record, Mapping) or record.get("kind") != "observation":
        return record
    value = record.get("value")
    reference = reference_of(record)
    if reference is None or not isinstance(reference[2], str) or not _is_bare_number(value):
        return record
    target = plan.get(reference[2])
    if not isinstance(target, Target):
        return record
    return {**record, "value": {"value": value, "unit": target.value.unit}}


def _ledger_for(body: dict[str, Any], cls: type[T], plan: Plan) -> T:
    """A ledger built from `body` and checked against `plan`, or every problem of both."""
    try:
        ledger = structure(body, cls)
    except PlanValidationError as error:
        records = body.get("records")
        found = reference_problems(records if isinstance(records, list) else (), plan)
        if not found:
            raise
        problems = [*error.problems, *found]
        problems.sort(key=lambda problem: _record_index(problem[0]))  # stable: in record order
        raise PlanValidationError(problems) from None
    assert isinstance(ledger, Ledger)
    ledger.check(plan)
    return ledger


def _record_index(path: str) -> int:
    """The index of the record a problem's path is under (`records[3].on` is 3), else -1."""
    head, _, rest = path.partition("[")
    number = rest.partition("]")[0]
    return int(number) if head == "records" and number.isdigit() else -1


def _from_text(data: str | bytes, cls: type[T], fmt: str, plan: Plan | None) -> T:
    """Parse and build `cls`: the fast path with the collector paused, else `from_document`."""
    with loading():
        document = parse(data, fmt)
        if plan is None and type(document) is dict and document.get("schema") == SCHEMA:
            built = build({key: value for key, value in document.items() if key != "schema"}, cls)
            if built is not FAILED:
                # Freed now, before the collector is on again: it need not walk the document.
                del document
                return built  # type: ignore[no-any-return]
    return from_document(document, cls, plan=plan, format=fmt)


@overload
def loads(
    text: str | bytes, cls: type[T], format: str = "json", *, plan: Plan | None = None
) -> T: ...
@overload
def loads(
    text: str | bytes, cls: None = None, format: str = "json", *, plan: Plan | None = None
) -> Plan: ...
def loads(
    text: str | bytes,
    cls: type[Any] | None = None,
    format: str = "json",  # noqa: A002 (the documented keyword)
    *,
    plan: Plan | None = None,
) -> Any:
    """Build `cls` (a plan by default) from a document's text or UTF-8 bytes.

    Args:
        text: The document.
        cls: What to build.
        format: `"json"`, `"yaml"` or `"toml"`.
        plan: For a ledger, the plan to check it against as
            [`Ledger.check`][beijing_plan.ledger.Ledger.check] does: its problems of
            structure, ranges, references and units are then raised together.

    Raises:
        PlanValidationError: listing every problem, each with its path, whether
            the text does not parse, the schema is unknown or the content is invalid
            (an `UnknownReferenceError` when the only problems are a ledger's
            records that do not fit `plan`).
    """
    return _from_text(text, Plan if cls is None else cls, format, plan)


def save(obj: object, path: str | os.PathLike[str]) -> None:
    """Write `obj` to `path` atomically, in the format its suffix names.

    The text goes to a temporary file in the same folder, is flushed to disk and
    then renamed over `path`, so a crash leaves the old file or the new one,
    never half a file. A symbolic link is followed (the file it names gets the
    text and the link stays), and an existing file keeps its permissions.

    Raises:
        PlanValidationError: for a suffix that names no format.
        PermissionError: for a read-only file (even for `root`), naming it.
        OSError: when the file cannot be written, naming `path`
            (`FileNotFoundError` for a folder that does not exist), or is a
            file with other hard links, a named pipe or a device, which are not
            replaced; nothing is left behind and an existing file keeps its content.
    """
    name = format_of(path)
    data = _json(obj) if name == "json" else dumps(obj, name).encode("utf-8")
    with replacing(path) as stream:
        stream.write(data)


@overload
def load(path: str | os.PathLike[str], cls: type[T], *, plan: Plan | None = None) -> T: ...
@overload
def load(path: str | os.PathLike[str], *, plan: Plan | None = None) -> Plan: ...
def load(path: str | os.PathLike[str], cls: type[Any] = Plan, *, plan: Plan | None = None) -> Any:
    """Read `cls` (a plan by default) from a file, in the format its suffix names.

    Only a regular file is read (a symbolic link is followed), and only up to
    the size limit of a document (256 MiB): a named pipe is not waited on, and
    a device such as `/dev/zero` is not read from.

    A ledger read with `plan` is checked against it, every problem in one
    error, as [`loads`][beijing_plan.loads] does.

    Raises:
        PlanValidationError: for a file that is not a valid document, and for a
            folder, a named pipe or a device, or a file larger than the limit;
            a problem about the whole file has the file's path as its path.
        FileNotFoundError: and the other `OSError` s, unchanged.
    """
    fmt = format_of(path)
    data = read_bytes(path, limit=_formats.MAX_BYTES, what="document")
    try:
        return _from_text(data, cls, fmt, plan)
    except PlanValidationError as error:
        raise type(error)([(p or os.fspath(path), m) for p, m in error.problems]) from None
