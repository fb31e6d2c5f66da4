"""Reading and writing text in JSON, YAML and TOML, safely.

Each reader turns text into plain data or raises a
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] that says where the text is
wrong; nothing else escapes. The guards:

- the size of a document is bounded (`MAX_BYTES`), and so is its nesting
  depth (`MAX_DEPTH`), so a hostile document fails fast instead of
  exhausting the stack or the memory;
- bytes that are not UTF-8 are refused with their position;
- NaN and infinities are refused in every format;
- numbers are read exactly: one with more significant digits than a double
  holds becomes a `Decimal`, and an integer stays an `int`
  unless it has more digits than Python reads into one (4300), when it too
  becomes a `Decimal`, for the converter to refuse at its path (TOML's
  reader has no hook for integers, so there it is refused with its line);
- a key written twice in one JSON object or YAML mapping is refused (TOML
  refuses it itself);
- YAML is read with a safe loader that knows no Python tags, reads only
  `true`/`false` as booleans (`on`, `yes` and `no` stay strings),
  leaves unquoted dates as text for the converter to check, and refuses
  documents whose aliases would expand beyond `MAX_NODES` nodes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from ._errors import fail
from ._exact import LONGEST_INT, exact_int, exact_number

__all__ = ["FORMATS", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "decode", "dump_text", "parse"]

#: The formats, by name.
FORMATS = ("json", "yaml", "toml")
#: Largest document accepted, in bytes.
MAX_BYTES = 256 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 64
#: Most nodes a YAML document may expand to through its aliases.
MAX_NODES = 5_000_000


def decode(data: bytes | str) -> str:
    """Text from UTF-8 bytes (a leading byte-order mark is dropped)."""
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise fail("", f"the document is {len(data)} bytes, more than the limit of {MAX_BYTES}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = data[error.start : error.start + 1].hex()
            raise fail("", f"byte 0x{bad} at position {error.start} is not UTF-8") from None
    if len(text) > MAX_BYTES:
        raise fail(
            "", f"the document is {len(text)} characters, more than the limit of {MAX_BYTES}"
        )
    return text.removeprefix("\ufeff")


def _check_tree(value: object) -> None:
    """Refuse nesting deeper than MAX_DEPTH and non-finite floats, without recursion.

    JSON is not walked: its parser refuses NaN and infinities as it reads, and
    Python's recursion limit bounds its nesting.
    """
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        elif isinstance(node, float) and not math.isfinite(node):
            raise fail("", f"{node!r} is not a finite number")
        else:
            continue
        if depth >= MAX_DEPTH:
            raise fail("", f"the document nests deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


class _DuplicateKeyError(Exception):
    def __init__(self, key: str, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(key)
        self.key, self.pairs = key, pairs


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key written twice."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key, pairs)
            seen.add(key)
    return result


def _refuse_constant(name: str) -> float:
    raise fail("", f"{name} is not a finite number")


def _parse_json(text: str) -> Any:
    """Plain data from JSON text: numbers exact, keys unique, NaN refused.

    orjson rounds a long number to a double (a big integer too) and keeps the
    last of two equal keys, so its result is used only when writing it out
    again gives back the very text read, as for every file this library
    writes: then nothing was rounded or dropped. Other text goes through the
    standard library's parser, which hands over each number's digits and each
    object's pairs.
    """
    import orjson  # noqa: PLC0415 (kept out of `import beijing_plan`)

    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _parse_json_exactly(text)  # which says where the text is wrong
    option = orjson.OPT_INDENT_2 if text.startswith(("{\n", "[\n")) else 0
    if text.endswith("\n"):
        option |= orjson.OPT_APPEND_NEWLINE  # written with the text, not added to a copy
    try:
        again = orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:
        return _parse_json_exactly(text)
    # Bytes against bytes: the text's UTF-8 is kept from its parsing, and decoding
    # what was written would cost more than parsing does.
    if again == text.encode():
        return value
    return _parse_json_exactly(text)


def _parse_json_exactly(text: str) -> Any:
    import json  # noqa: PLC0415 (kept out of `import beijing_plan`)

    try:
        return json.loads(
            text,
            parse_float=exact_number,
            parse_int=exact_int,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as error:
        raise fail(
            "", f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except _DuplicateKeyError as error:
        named = dict(error.pairs).get("id")
        where = f" (in the object with id {named!r})" if isinstance(named, str) else ""
        raise fail("", f"the key {error.key!r} is written twice in one object{where}") from None
    except RecursionError:
        raise fail("", f"the document nests deeper than {MAX_DEPTH} levels") from None


def _parse_toml(text: str) -> Any:
    import tomllib  # noqa: PLC0415 (kept out of `import beijing_plan`)

    try:
        value = tomllib.loads(text, parse_float=exact_number)
    except tomllib.TOMLDecodeError as error:
        raise fail("", f"not valid TOML: {error}") from None
    except ValueError:  # an integer beyond Python's limit on digits (the reader has no hook)
        raise fail("", _long_integer(text)) from None
    except RecursionError:
        raise fail("", f"the document nests deeper than {MAX_DEPTH} levels") from None
    _check_tree(value)
    return value


_LONG_DIGITS = re.compile(rf"[0-9][0-9_]{{{LONGEST_INT},}}")


def _long_integer(text: str) -> str:
    """Where the TOML text holds an integer longer than Python reads."""
    found = _LONG_DIGITS.search(text)
    if found is None:  # pragma: no cover - tomllib raises ValueError for no other reason
        return "not valid TOML: a value cannot be read"
    digits = found.group().replace("_", "")
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return (
        f"not valid TOML: the integer of {len(digits)} digits at line {line}, column {column} "
        "is larger than any field holds"
    )


def _parse_yaml(text: str) -> Any:
    from ._yaml import load_yaml  # noqa: PLC0415 (PyYAML is imported only when YAML is read)

    value = load_yaml(text, max_nodes=MAX_NODES, max_depth=MAX_DEPTH)
    _check_tree(value)
    return value


_PARSERS: dict[str, Callable[[str], Any]] = {
    "json": _parse_json,
    "yaml": _parse_yaml,
    "toml": _parse_toml,
}


def check_format(format: str) -> str:  # noqa: A002 (the public API's keyword)
    """The format name, or an error naming the known ones."""
    if format not in _PARSERS:
        raise fail("", f"{format!r} is not a format (json, yaml, toml)")
    return format


def parse(data: bytes | str, format: str) -> Any:  # noqa: A002 (the public API's keyword)
    """Plain data from a document's text or bytes."""
    return _PARSERS[check_format(format)](decode(data))


def dump_json(document: dict[str, Any], *, default: Callable[[Any], Any] | None = None) -> bytes:
    """A document as JSON text in UTF-8, indented by two spaces, ending with a newline.

    `default` writes each value orjson does not know itself (see
    [`shallow`][beijing_plan._fastdump.shallow]).
    """
    import orjson  # noqa: PLC0415 (kept out of `import beijing_plan`)

    return orjson.dumps(
        document, default=default, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    )


def dump_text(document: dict[str, Any], format: str) -> str:  # noqa: A002 (the public API's keyword)
    """A document as text in `format`."""
    check_format(format)
    if format == "json":
        return dump_json(document).decode()
    if format == "toml":
        import tomli_w  # noqa: PLC0415 (imported only when TOML is written)

        return tomli_w.dumps(document)
    from ._yaml import dump_yaml  # noqa: PLC0415 (PyYAML is imported only when YAML is written)

    return dump_yaml(document)
