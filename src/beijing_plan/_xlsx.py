"""Reading XLSX workbooks from untrusted hands: bounded, and failing only with our error.

An XLSX file is a zip archive of XML parts. This reader opens only the parts it
needs (the workbook, its relationships, the styles, the shared strings and one
sheet), parses them with `defusedxml`, which refuses DTDs, entity declarations
("billion laughs") and external entities, and streams the sheet cell by cell.

Before a part is decompressed its declared size is checked, alone and with the
parts read before it, and so is how far it expands (a zip bomb expands
thousands of times; a real sheet a few dozen). While the sheet is read, the
first cell beyond the limits stops the reading; the limits are the module's
`MAX_*` constants. Shared strings are read only as far as the sheet refers to
them. Every failure, of the archive, of the XML or of a cell, raises
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] naming the
file and, where known, the part, the sheet and the cell.
"""

from __future__ import annotations

import datetime as dt
import lzma
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, TypeAlias
from xml.etree.ElementTree import Element, ParseError

import attrs

from .exceptions import PlanValidationError

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_TEXT",
    "MAX_COLUMNS",
    "MAX_ELEMENTS_PER_BYTE",
    "MAX_EXPANSION",
    "MAX_PARTS_BYTES",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "Percent",
    "XlsxCell",
    "read_workbook",
]

#: The last row a sheet may have a value in.
MAX_ROWS = 100_000
#: The last column a sheet may have a value in (200 is column GR).
MAX_COLUMNS = 200
#: The cells (`<c>` elements, blank or not) a sheet may hold.
MAX_CELLS = 2_000_000
#: The shared strings a workbook may hold (reading stops at the last one the sheet uses).
MAX_SHARED_STRINGS = 1_000_000
#: The characters of one cell's text, as in Excel.
MAX_CELL_TEXT = 32_767
#: The bytes of all the parts read, decompressed, together.
MAX_PARTS_BYTES = 256 * 2**20
#: How many times a part larger than `_SMALL_PART` may expand when decompressed.
MAX_EXPANSION = 100
#: XML elements a sheet part may hold per byte of its compressed size (a real sheet
#: holds about one), and at least `_MIN_ELEMENTS`: this bounds the time a small file
#: can take, whatever its elements are.
MAX_ELEMENTS_PER_BYTE = 2
_MIN_ELEMENTS = 200_000
#: Parts up to this size may expand any amount (a tiny part compresses very well).
_SMALL_PART = 2**20

_MAIN = "xl/workbook.xml"
_OFFICE_DOCUMENT = "/officeDocument"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INDEX = re.compile(r"[0-9]{1,9}")
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


class _ReadError(Exception):
    """A problem found while reading, with where it is (a part, a cell) if known."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]


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


class _Book:
    """One workbook archive being read, with the budget of bytes left to decompress."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.budget = MAX_PARTS_BYTES
        self.part = ""  # the part being read, to name in a problem

    def info(self, part: str) -> zipfile.ZipInfo | None:
        try:
            return self.archive.getinfo(part)
        except KeyError:
            return None

    def open(self, part: str) -> IO[bytes]:
        info = self.info(part)
        if info is None:
            raise _ReadError(f"its part {part!r} is missing")
        size = info.file_size
        if size > self.budget:
            raise _ReadError(
                f"its parts expand to more than {MAX_PARTS_BYTES:,} bytes "
                f"({part!r} alone to {size:,})"
            )
        if size > _SMALL_PART and size > MAX_EXPANSION * max(info.compress_size, 1):
            raise _ReadError(
                f"its part {part!r} would expand from {info.compress_size:,} to {size:,} bytes; "
                f"a workbook's parts expand at most {MAX_EXPANSION} times"
            )
        self.budget -= size
        self.part = part
        return self.archive.open(info)

    def elements(
        self, part: str, events: tuple[str, ...] = ("end",)
    ) -> Iterator[tuple[str, Element]]:
        """The parse events of a part, as a stream."""
        from defusedxml.ElementTree import iterparse  # noqa: PLC0415 (an optional dependency)

        with self.open(part) as stream:
            yield from iterparse(stream, events=events)

    def tree(self, part: str) -> Element:
        """A whole (small) part."""
        root: Element | None = None
        for _, element in self.elements(part):
            root = element
        assert root is not None  # a parse without a root element raises ParseError
        return root


def _relationships(book: _Book, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of `part`: id to (type, target part)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if book.info(rels) is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for element in book.tree(rels):
        target = element.get("Target")
        if _local(element.tag) != "Relationship" or target is None:
            continue
        if element.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(path))
    return found


def _workbook_part(book: _Book) -> str:
    for kind, target in _relationships(book, "").values():
        if kind.endswith(_OFFICE_DOCUMENT):
            return target
    return _MAIN


@attrs.frozen
class _Styles:
    """The number format of each cell style, by style index."""

    formats: tuple[str, ...]

    def kind(self, style: str | None, where: str) -> str:
        if style is None:
            return "number"
        if not _INDEX.fullmatch(style) or int(style) >= max(len(self.formats), 1):
            shown = f"{len(self.formats)} styles" if self.formats else "no styles"
            raise _ReadError(f"style {style!r} is not one of the workbook's ({shown})", where)
        return _format_kind(self.formats[int(style)]) if self.formats else "number"


def _styles(book: _Book, part: str | None) -> _Styles:
    if part is None or book.info(part) is None:
        return _Styles(())
    root = book.tree(part)
    custom: dict[int, str] = {}
    formats: list[str] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "numFmt":
            custom[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
    for group in root:
        if _local(group.tag) == "cellXfs":
            for xf in group:
                number = int(xf.get("numFmtId", "0"))
                formats.append(custom.get(number, _BUILTIN_FORMATS.get(number, "General")))
    return _Styles(tuple(formats))


@attrs.frozen
class _Sheet:
    name: str
    part: str


def _sheets(book: _Book) -> tuple[list[_Sheet], bool, dict[str, tuple[str, str]], str]:
    """The worksheets in order, whether dates count from 1904, the relationships, the part."""
    part = _workbook_part(book)
    root = book.tree(part)
    relations = _relationships(book, part)
    date1904 = False
    sheets: list[_Sheet] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "0").lower() in ("1", "true")
        elif name == "sheet":
            kind, target = relations.get(element.get(_REL_ID, ""), ("", ""))
            if kind.endswith("/worksheet"):
                sheets.append(_Sheet(element.get("name", ""), target))
    return sheets, date1904, relations, part


def _column(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _checked(text: str | None, where: str) -> str:
    if text is not None and len(text) > MAX_CELL_TEXT:
        raise _ReadError(
            f"the text has {len(text):,} characters; a cell holds at most {MAX_CELL_TEXT:,}", where
        )
    return text or ""


def _number(text: str, where: str) -> int | float:
    if not _NUMBER.fullmatch(text):
        raise _ReadError(f"{text[:40]!r} is not a number", where)
    if any(char in text for char in ".eE"):
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise _ReadError(f"{text[:40]!r} is beyond the numbers a spreadsheet holds", where)
        return value
    return int(text)


def _serial_date(value: float, kind: str, date1904: bool, where: str) -> XlsxCell:
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
        raise _ReadError(
            f"{value!r} is formatted as a date but lies beyond the dates a spreadsheet shows", where
        ) from None


class _SheetReader:
    """Reads one worksheet part into numbered rows, cell by cell, within the limits."""

    def __init__(self, book: _Book, styles: _Styles, date1904: bool, sheet: str) -> None:
        self.book, self.styles, self.date1904, self.sheet = book, styles, date1904, sheet
        self.rows: dict[int, dict[int, XlsxCell]] = {}
        self.shared: list[tuple[int, int, int, str]] = []  # row, column, index, cell
        self.cells = 0
        self.row = 0
        self.column = 0

    def where(self, reference: str) -> str:
        return f"sheet {self.sheet}, cell {reference}"

    def read(self, part: str) -> None:
        sheet_data: Element | None = None
        info = self.book.info(part)
        packed = 0 if info is None else info.compress_size
        budget = max(_MIN_ELEMENTS, MAX_ELEMENTS_PER_BYTE * packed)
        for event, element in self.book.elements(part, ("start", "end")):
            name = _local(element.tag)
            if event == "start":
                budget -= 1
                if budget < 0:
                    raise _ReadError(
                        f"its part {part!r} holds more than {MAX_ELEMENTS_PER_BYTE} XML elements "
                        f"per byte of its {packed:,} compressed bytes",
                        f"sheet {self.sheet}",
                    )
                if name == "row":
                    self.start_row(element.get("r"))
                elif name == "sheetData":
                    sheet_data = element
            elif name == "c":
                self.cell(element)
                element.clear()
            elif name == "row" and sheet_data is not None:
                sheet_data.clear()  # keep memory flat: the row's cells are read

    def start_row(self, number: str | None) -> None:
        if number is None:
            self.row += 1
        elif _INDEX.fullmatch(number) and int(number) > 0:
            self.row = int(number)
        else:
            raise _ReadError(f"{number[:40]!r} is not a row number", f"sheet {self.sheet}")
        self.column = 0

    def locate(self, reference: str | None) -> tuple[int, int, str]:
        if reference is None:
            row, column = max(self.row, 1), self.column + 1
            return row, column, f"{_letters(column)}{row}"
        match = _REFERENCE.fullmatch(reference)
        if match is None:
            raise _ReadError(
                f"{reference[:40]!r} is not a cell reference", f"sheet {self.sheet}, row {self.row}"
            )
        return int(match[2]), _column(match[1]), reference

    def cell(self, element: Element) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise _ReadError(f"the sheet has more than {MAX_CELLS:,} cells", f"sheet {self.sheet}")
        row, column, reference = self.locate(element.get("r"))
        self.row, self.column = row, column
        where = self.where(reference)
        children = {_local(child.tag): child for child in element}
        if not children:
            return  # a blank cell, perhaps formatted: it holds nothing
        if row > MAX_ROWS:
            raise _ReadError(f"a sheet may have at most {MAX_ROWS:,} rows", where)
        if column > MAX_COLUMNS:
            raise _ReadError(
                f"a sheet may have at most {MAX_COLUMNS} columns (A to {_letters(MAX_COLUMNS)})",
                where,
            )
        cells = self.rows.setdefault(row, {})
        if column in cells:
            raise _ReadError("the cell is given twice", where)
        cells[column] = self.value(element, children, row, column, where)

    def value(
        self, element: Element, children: dict[str, Element], row: int, column: int, where: str
    ) -> XlsxCell:
        kind = element.get("t", "n")
        value = children.get("v")
        formula = children.get("f")
        if formula is not None and (value is None or (not value.text and kind != "str")):
            shown = f"({('=' + formula.text)[:80]!r})" if formula.text else "(a shared formula)"
            raise _ReadError(
                f"a formula without a computed value {shown}; open and save the file in a "
                "spreadsheet program, or type the value",
                where,
            )
        if kind == "inlineStr":
            inline = children.get("is")
            return None if inline is None else _checked(_rich_text(inline), where)
        if value is None:
            return None
        text = _checked(value.text, where)
        if kind == "s":
            if not _INDEX.fullmatch(text) or int(text) >= MAX_SHARED_STRINGS:
                raise _ReadError(f"{text[:40]!r} is not a shared string index", where)
            self.shared.append((row, column, int(text), where))
            return None
        if kind in ("str", "e", "b", "d"):
            return _typed(kind, text, where)
        if kind != "n":
            raise _ReadError(f"{kind[:40]!r} is not a cell type", where)
        number = _number(text, where)
        shown_as = self.styles.kind(element.get("s"), where)
        if shown_as in ("date", "elapsed"):
            return _serial_date(number, shown_as, self.date1904, where)
        if shown_as == "percent":
            return Percent(Decimal(repr(number)) * 100)
        return number


def _typed(kind: str, text: str, where: str) -> XlsxCell:
    """A cell of type `kind` other than a number or a string index."""
    if kind == "b":
        if text not in ("0", "1", "true", "false"):
            raise _ReadError(f"{text[:40]!r} is not a boolean (0 or 1)", where)
        return text in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise _ReadError(f"{text[:40]!r} is not an ISO 8601 date", where) from None
    return text  # a formula's text, or an error such as #DIV/0!


def _rich_text(element: Element) -> str:
    """The text of a string item: its `<t>`, or its runs' `<t>`, without phonetic runs."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _shared_strings(book: _Book, part: str | None, wanted: int) -> list[str]:
    """The first `wanted` shared strings (fewer if the part holds fewer)."""
    strings: list[str] = []
    if part is None or book.info(part) is None or wanted == 0:
        return strings
    for _, element in book.elements(part):
        if _local(element.tag) != "si":
            continue
        strings.append(_checked(_rich_text(element), f"shared string {len(strings)}"))
        element.clear()
        if len(strings) >= wanted:
            break
    return strings


def _target(relations: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((t for k, t in relations.values() if k.endswith(kind)), None)


def _read(book: _Book, sheet: str | None, name: str) -> list[tuple[int, tuple[XlsxCell, ...]]]:
    sheets, date1904, relations, _ = _sheets(book)
    if not sheets:
        raise _ReadError("the workbook has no worksheet")
    if sheet is None:
        chosen = sheets[0]
    else:
        found = [s for s in sheets if s.name == sheet]
        if not found:
            known = ", ".join(repr(s.name) for s in sheets)
            raise PlanValidationError(
                [("sheet", f"{sheet!r} is not a sheet of {name!r} (it has {known})")]
            )
        chosen = found[0]
    styles = _styles(book, _target(relations, "/styles"))
    reader = _SheetReader(book, styles, date1904, chosen.name)
    reader.read(chosen.part)
    if reader.shared:
        wanted = max(index for _, _, index, _ in reader.shared) + 1
        strings = _shared_strings(book, _target(relations, "/sharedStrings"), wanted)
        for row, column, index, where in reader.shared:
            if index >= len(strings):
                raise _ReadError(
                    f"shared string {index} is not one of the workbook's {len(strings)}", where
                )
            reader.rows[row][column] = strings[index]
    last = max(reader.rows, default=0)
    rows: list[tuple[int, tuple[XlsxCell, ...]]] = []
    for number in range(1, last + 1):
        cells = reader.rows.get(number, {})
        width = max(cells, default=0)
        rows.append((number, tuple(cells.get(c) for c in range(1, width + 1))))
    return rows


#: What reading an archive or its XML may raise, besides our own errors.
_FOREIGN = (
    ParseError,
    ValueError,  # DefusedXmlException, UnicodeDecodeError and bad numbers among them
    IndexError,
    KeyError,
    EOFError,
    OSError,
    RuntimeError,  # an encrypted part
    NotImplementedError,  # a compression method zipfile lacks
    OverflowError,
    zlib.error,
    lzma.LZMAError,
    zipfile.BadZipFile,
)


def _reason(error: BaseException) -> str:
    from defusedxml import DefusedXmlException  # noqa: PLC0415 (an optional dependency)

    if isinstance(error, DefusedXmlException):
        return "it declares a DTD or entities, which a workbook never needs"
    if isinstance(error, ParseError):
        line, column = error.position
        return f"it is not well-formed XML (line {line}, column {column})"
    return f"{type(error).__name__}: {error}"[:200]


def read_workbook(
    handle: IO[bytes], sheet: str | None, name: str
) -> list[tuple[int, tuple[XlsxCell, ...]]]:
    """Every row of one worksheet, numbered from 1, each as far as its last value.

    Raises:
        PlanValidationError: for a file that is not a workbook, a workbook beyond
            the limits, or a cell that cannot be read, naming where.
    """
    try:
        archive = zipfile.ZipFile(handle)
    except _FOREIGN as error:
        raise PlanValidationError(
            [("", f"{name!r} is not an XLSX workbook: {_reason(error)}")]
        ) from None
    with archive:
        book = _Book(archive)
        try:
            return _read(book, sheet, name)
        except _ReadError as refused:
            where = ", ".join(p for p in (name, refused.where) if p)
            raise PlanValidationError([(where, refused.message)]) from None
        except _FOREIGN as error:
            part = f" (part {book.part!r})" if book.part else ""
            raise PlanValidationError(
                [(name, f"not a readable XLSX workbook{part}: {_reason(error)}")]
            ) from None
