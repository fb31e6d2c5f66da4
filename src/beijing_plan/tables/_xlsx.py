"""Reading XLSX workbooks from untrusted hands: bounded, and failing only with our error.

An XLSX file is a zip archive of XML parts. This reader opens only the parts it
needs (the workbook, its relationships, the styles, the shared strings and one
sheet), parses them with `defusedxml`, which refuses DTDs, entity declarations
("billion laughs") and external entities, and streams the sheet cell by cell.

Before a part is decompressed its declared size is checked, alone and with the
parts read before it, and so is how far it expands (a zip bomb expands
thousands of times; a real sheet a few dozen). While the sheet is read, the
first cell beyond the limits stops the reading; the limits are the `MAX_*`
constants of `_limits`. Shared strings are read only as far as the sheet refers
to them. Every failure, of the archive, of the XML or of a cell, raises
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] naming the
file and, where known, the part, the sheet and the cell.

This module reads the sheet; `_archive` opens the parts and `_decode` gives
each cell its value.
"""

from __future__ import annotations

import lzma
import re
import zipfile
import zlib
from decimal import Decimal
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import attrs

from ..exceptions import PlanValidationError
from ._archive import Book, ReadError, local, relationships, workbook_part
from ._decode import (
    INDEX,
    Percent,
    Styles,
    XlsxCell,
    checked,
    parse_number,
    read_styles,
    rich_text,
    serial_date,
    typed,
)
from ._limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ELEMENTS_PER_BYTE,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MIN_ELEMENTS,
)

__all__ = ["read_workbook"]

_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


@attrs.frozen
class _Sheet:
    name: str
    part: str


def _sheets(book: Book) -> tuple[list[_Sheet], bool, dict[str, tuple[str, str]], str]:
    """The worksheets in order, whether dates count from 1904, the relationships, the part."""
    part = workbook_part(book)
    root = book.tree(part)
    relations = relationships(book, part)
    date1904 = False
    sheets: list[_Sheet] = []
    for element in root.iter():
        name = local(element.tag)
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


class _SheetReader:
    """Reads one worksheet part into numbered rows, cell by cell, within the limits."""

    def __init__(self, book: Book, styles: Styles, date1904: bool, sheet: str) -> None:
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
        budget = max(MIN_ELEMENTS, MAX_ELEMENTS_PER_BYTE * packed)
        for event, element in self.book.elements(part, ("start", "end")):
            name = local(element.tag)
            if event == "start":
                budget -= 1
                if budget < 0:
                    raise ReadError(
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
        elif INDEX.fullmatch(number) and int(number) > 0:
            self.row = int(number)
        else:
            raise ReadError(f"{number[:40]!r} is not a row number", f"sheet {self.sheet}")
        self.column = 0

    def locate(self, reference: str | None) -> tuple[int, int, str]:
        if reference is None:
            row, column = max(self.row, 1), self.column + 1
            return row, column, f"{_letters(column)}{row}"
        match = _REFERENCE.fullmatch(reference)
        if match is None:
            raise ReadError(
                f"{reference[:40]!r} is not a cell reference", f"sheet {self.sheet}, row {self.row}"
            )
        return int(match[2]), _column(match[1]), reference

    def cell(self, element: Element) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise ReadError(f"the sheet has more than {MAX_CELLS:,} cells", f"sheet {self.sheet}")
        row, column, reference = self.locate(element.get("r"))
        self.row, self.column = row, column
        where = self.where(reference)
        children = {local(child.tag): child for child in element}
        if not children:
            return  # a blank cell, perhaps formatted: it holds nothing
        if row > MAX_ROWS:
            raise ReadError(f"a sheet may have at most {MAX_ROWS:,} rows", where)
        if column > MAX_COLUMNS:
            raise ReadError(
                f"a sheet may have at most {MAX_COLUMNS} columns (A to {_letters(MAX_COLUMNS)})",
                where,
            )
        cells = self.rows.setdefault(row, {})
        if column in cells:
            raise ReadError("the cell is given twice", where)
        cells[column] = self.value(element, children, row, column, where)

    def value(
        self, element: Element, children: dict[str, Element], row: int, column: int, where: str
    ) -> XlsxCell:
        kind = element.get("t", "n")
        value = children.get("v")
        formula = children.get("f")
        if formula is not None and (value is None or (not value.text and kind != "str")):
            shown = f"({('=' + formula.text)[:80]!r})" if formula.text else "(a shared formula)"
            raise ReadError(
                f"a formula without a computed value {shown}; open and save the file in a "
                "spreadsheet program, or type the value",
                where,
            )
        if kind == "inlineStr":
            inline = children.get("is")
            return None if inline is None else checked(rich_text(inline), where)
        if value is None:
            return None
        text = checked(value.text, where)
        if kind == "s":
            if not INDEX.fullmatch(text) or int(text) >= MAX_SHARED_STRINGS:
                raise ReadError(f"{text[:40]!r} is not a shared string index", where)
            self.shared.append((row, column, int(text), where))
            return None
        if kind in ("str", "e", "b", "d"):
            return typed(kind, text, where)
        if kind != "n":
            raise ReadError(f"{kind[:40]!r} is not a cell type", where)
        number = parse_number(text, where)
        shown_as = self.styles.kind(element.get("s"), where)
        if shown_as in ("date", "elapsed"):
            return serial_date(number, shown_as, self.date1904, where)
        if shown_as == "percent":
            return Percent(Decimal(repr(number)) * 100)
        return number


def _shared_strings(book: Book, part: str | None, wanted: int) -> list[str]:
    """The first `wanted` shared strings (fewer if the part holds fewer)."""
    strings: list[str] = []
    if part is None or book.info(part) is None or wanted == 0:
        return strings
    for _, element in book.elements(part):
        if local(element.tag) != "si":
            continue
        strings.append(checked(rich_text(element), f"shared string {len(strings)}"))
        element.clear()
        if len(strings) >= wanted:
            break
    return strings


def _target(relations: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((t for k, t in relations.values() if k.endswith(kind)), None)


def _read(
    book: Book, sheet: str | tuple[str, ...] | None, name: str
) -> list[tuple[int, tuple[XlsxCell, ...]]] | None:
    sheets, date1904, relations, _ = _sheets(book)
    if not sheets:
        raise ReadError("the workbook has no worksheet")
    if sheet is None:
        chosen = sheets[0]
    else:
        names = (sheet,) if isinstance(sheet, str) else sheet
        found = [s for s in sheets if s.name in names]
        if not found:
            if not isinstance(sheet, str):
                return None
            known = ", ".join(repr(s.name) for s in sheets)
            raise PlanValidationError(
                [("sheet", f"{sheet!r} is not a sheet of {name!r} (it has {known})")]
            )
        chosen = found[0]
    styles = read_styles(book, _target(relations, "/styles"))
    reader = _SheetReader(book, styles, date1904, chosen.name)
    reader.read(chosen.part)
    if reader.shared:
        wanted = max(index for _, _, index, _ in reader.shared) + 1
        strings = _shared_strings(book, _target(relations, "/sharedStrings"), wanted)
        for row, column, index, where in reader.shared:
            if index >= len(strings):
                raise ReadError(
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
    handle: IO[bytes], sheet: str | tuple[str, ...] | None, name: str
) -> list[tuple[int, tuple[XlsxCell, ...]]] | None:
    """Every row of one worksheet, numbered from 1, each as far as its last value.

    `sheet` names the worksheet (the first by default), or gives the names it
    may have: then `None` stands for a workbook without such a sheet.

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
        book = Book(archive)
        try:
            return _read(book, sheet, name)
        except ReadError as refused:
            where = ", ".join(p for p in (name, refused.where) if p)
            raise PlanValidationError([(where, refused.message)]) from None
        except _FOREIGN as error:
            part = f" (part {book.part!r})" if book.part else ""
            raise PlanValidationError(
                [(name, f"not a readable XLSX workbook{part}: {_reason(error)}")]
            ) from None
