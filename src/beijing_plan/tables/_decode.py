"""One XLSX cell's value: what its style's number format says it is, and its text decoded.

A number is shown as a date, a time, a duration or a percentage by its
style's number format; strings, booleans, ISO dates and error values have their
own cell types. Every problem raises `ReadError` naming the cell.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TypeAlias
from xml.etree.ElementTree import Element

import attrs

from ._archive import Book, ReadError, local
from ._limits import MAX_CELL_TEXT

__all__ = [
    "INDEX",
    "Percent",
    "Styles",
    "XlsxCell",
    "checked",
    "parse_number",
    "read_styles",
    "rich_text",
    "serial_date",
    "typed",
]

_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
#: A style, row or shared string index: a whole number of at most nine digits.
INDEX = re.compile(r"[0-9]{1,9}")
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)

#: Number formats every spreadsheet program knows by id (ECMA-376 18.8.30), with the
#: Chinese (zh-CN) meanings of the ids that depend on the language.
_BUILTIN_FORMATS = {
    9: "0%",
    10: "0.00%",
    14: "yyyy-mm-dd",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy-mm-dd h:mm",
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: 'AM/PMh"时"mm"分"',
    35: 'AM/PMh"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mm:ss.0",
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: 'AM/PMh"时"mm"分"',
    56: 'AM/PMh"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
_ELAPSED = ("[h]", "[hh]", "[m]", "[mm]", "[s]", "[ss]")


@attrs.frozen
class Percent:
    """A spreadsheet number formatted as a percentage, in points (40 for 40%)."""

    points: Decimal


#: One cell as read from a workbook (a duration is read as its text).
XlsxCell: TypeAlias = str | int | float | Decimal | bool | dt.date | dt.time | Percent | None


def _format_kind(number_format: str) -> str:
    """`"percent"`, `"date"`, `"elapsed"` or `"number"`, by the format's first section."""
    section = number_format.split(";", 1)[0]
    if section.lower().startswith(_ELAPSED):
        return "elapsed"
    bare: list[str] = []
    quoted = escaped = skip = False
    bracket = False
    for char in section:
        if escaped or skip:
            escaped = skip = False
        elif bracket:
            bracket = char != "]"
        elif char == "\\":
            escaped = True
        elif char in "_*":
            skip = True  # padding or fill: the next character is not a code
        elif char == '"':
            quoted = not quoted
        elif char == "[" and not quoted:
            bracket = True  # a colour or a condition
        elif not quoted:
            bare.append(char.lower())
    if any(char in "dmyhs" for char in bare):
        return "date"
    if "%" in bare:
        return "percent"
    return "number"


@attrs.frozen
class Styles:
    """The number format of each cell style, by style index."""

    formats: tuple[str, ...]

    def kind(self, style: str | None, where: str) -> str:
        if style is None:
            return "number"
        if not INDEX.fullmatch(style) or int(style) >= max(len(self.formats), 1):
            shown = f"{len(self.formats)} styles" if self.formats else "no styles"
            raise ReadError(f"style {style!r} is not one of the workbook's ({shown})", where)
        return _format_kind(self.formats[int(style)]) if self.formats else "number"


def read_styles(book: Book, part: str | None) -> Styles:
    if part is None or book.info(part) is None:
        return Styles(())
    root = book.tree(part)
    custom: dict[int, str] = {}
    formats: list[str] = []
    for element in root.iter():
        name = local(element.tag)
        if name == "numFmt":
            custom[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
    for group in root:
        if local(group.tag) == "cellXfs":
            for xf in group:
                number = int(xf.get("numFmtId", "0"))
                formats.append(custom.get(number, _BUILTIN_FORMATS.get(number, "General")))
    return Styles(tuple(formats))


def checked(text: str | None, where: str) -> str:
    if text is not None and len(text) > MAX_CELL_TEXT:
        raise ReadError(
            f"the text has {len(text):,} characters; a cell holds at most {MAX_CELL_TEXT:,}", where
        )
    return text or ""


def parse_number(text: str, where: str) -> int | float:
    if not _NUMBER.fullmatch(text):
        raise ReadError(f"{text[:40]!r} is not a number", where)
    if any(char in text for char in ".eE"):
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise ReadError(f"{text[:40]!r} is beyond the numbers a spreadsheet holds", where)
        return value
    return int(text)


def serial_date(value: float, kind: str, date1904: bool, where: str) -> XlsxCell:
    """A date, time or duration from a spreadsheet's day number, as spreadsheet programs show it."""
    try:
        if kind == "elapsed":
            return str(dt.timedelta(milliseconds=round(value * 86_400_000)))
        day, fraction = divmod(value, 1)
        time = dt.timedelta(milliseconds=round(fraction * 86_400_000))
        if 0 <= value < 1 and time.days == 0:
            return (dt.datetime.min + time).time()
        if not date1904 and 0 < value < 60:
            day += 1  # the day numbers before 1900-03-01 skip Excel's 1900-02-29
        epoch = _MAC_EPOCH if date1904 else _WINDOWS_EPOCH
        return epoch + dt.timedelta(days=day) + time
    except OverflowError:
        raise ReadError(
            f"{value!r} is formatted as a date but lies beyond the dates a spreadsheet shows", where
        ) from None


def typed(kind: str, text: str, where: str) -> XlsxCell:
    """A cell of type `kind` other than a number or a string index."""
    if kind == "b":
        if text not in ("0", "1", "true", "false"):
            raise ReadError(f"{text[:40]!r} is not a boolean (0 or 1)", where)
        return text in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise ReadError(f"{text[:40]!r} is not an ISO 8601 date", where) from None
    return text  # a formula's text, or an error such as #DIV/0!


def rich_text(element: Element) -> str:
    """The text of a string item: its `<t>`, or its runs' `<t>`, without phonetic runs."""
    parts: list[str] = []
    for child in element:
        name = local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if local(t.tag) == "t")
    return "".join(parts)
