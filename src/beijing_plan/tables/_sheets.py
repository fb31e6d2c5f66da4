"""Raw spreadsheet input and output: CSV and XLSX rows of cells, and atomic writes.

This module knows files, not ledgers: it reads a sheet into numbered rows of
cells and writes rows of cells back. Row numbers are the spreadsheet's own (the
first row is 1), counting records rather than physical lines, so a CSV cell that
holds a line break does not shift the numbers Excel shows.

- CSV is read as UTF-8 by default, with or without a byte order mark (Excel's
  "CSV UTF-8" writes one), and written as UTF-8 *with* the mark and CRLF line
  ends, so that Excel opens Chinese text correctly when the file is
  double-clicked. A file object opened as text is given the text, without the
  mark: its own encoding decides the bytes. Reading is strict: a quote that is
  never closed, or text after a closing quote, is refused with its line rather
  than read as one long cell.
- XLSX needs the `xlsx` extra, imported only when an XLSX file is read or
  written: openpyxl writes workbooks, and `_xlsx` reads them with
  defusedxml, within the limits of `_limits`. A number cell whose format is a
  percentage is read as a `Percent` (the cell's 0.4 shown as 40% is 40
  points).
- Writing builds the whole file in memory first, then writes a temporary file in
  the destination folder and renames it over the destination, so a failure never
  leaves half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Literal, TypeAlias, cast

from .._atomic import replacing
from .._formats import MAX_BYTES
from .._optional import require
from .._reading import read_bytes
from .._safe import csv_cell, csv_value
from ..exceptions import PlanValidationError
from ._decode import Percent, XlsxCell
from ._limits import MAX_CELL_TEXT
from ._xlsx import read_workbook

__all__ = [
    "XLSX_FEATURE",
    "Cell",
    "Format",
    "Percent",
    "Row",
    "SheetSource",
    "SheetTarget",
    "book_bytes",
    "format_of",
    "read_book_sheet",
    "read_rows",
    "source_bytes",
    "text_problem",
    "write_atomic",
    "write_rows",
]

Format: TypeAlias = Literal["csv", "xlsx"]
SheetSource: TypeAlias = str | os.PathLike[str] | IO[bytes] | IO[str]
SheetTarget: TypeAlias = str | os.PathLike[str] | IO[bytes] | IO[str]

#: What needs the `xlsx` extra (openpyxl and defusedxml), for the message of a
#: missing package.
XLSX_FEATURE = "reading and writing .xlsx files"
_SUFFIXES: dict[str, Format] = {".csv": "csv", ".xlsx": "xlsx"}
# Characters that XML 1.0, and so an XLSX file, cannot hold: controls other than tab,
# LF and CR, and the two non-characters. (Lone surrogates cannot be encoded at all.)
_XML_CONTROLS = frozenset(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_XML_NONCHARACTERS = frozenset("\ufffe\uffff")


#: One cell as read: text from CSV; typed values from XLSX.
Cell: TypeAlias = XlsxCell
#: A row as read: its spreadsheet row number and its cells.
Row: TypeAlias = tuple[int, tuple[Cell, ...]]


def _name_of(source: object) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else ""


def format_of(source: object, format: str | None) -> Format:  # noqa: A002 (the public keyword name)
    """The format asked for, or the one the file name's suffix gives.

    Raises:
        PlanValidationError: for an unknown format or suffix.
    """
    if format is not None:
        wanted = format.lower().lstrip(".")
        if wanted == "csv":
            return "csv"
        if wanted == "xlsx":
            return "xlsx"
        raise PlanValidationError([("format", f"{format!r} is not 'csv' or 'xlsx'")])
    name = _name_of(source)
    found = _SUFFIXES.get(Path(name).suffix.lower()) if name else None
    if found is None:
        raise PlanValidationError(
            [
                (
                    "format",
                    f"cannot tell the format of {name or source!r}: pass format='csv' or 'xlsx'",
                )
            ]
        )
    return found


def text_problem(text: str, format: Format) -> str | None:  # noqa: A002 (as elsewhere)
    """Why a text cell would not read back the same from a file of `format`, if it would not.

    An XLSX cell cannot hold a character XML 1.0 has not, nor more than
    `_limits.MAX_CELL_TEXT` characters (openpyxl would
    cut it); a CSV cell, escaped as written, no more than the CSV reader's field
    limit (131,072 characters).
    """
    if format == "xlsx":
        if not _XML_CONTROLS.isdisjoint(text):
            return f"{text!r} has a control character an XLSX cell cannot hold"
        found = next((char for char in text if char in _XML_NONCHARACTERS), None)
        if found is not None:
            return f"{text!r} has a character an XLSX cell cannot hold ({found!r})"
        if len(text) > MAX_CELL_TEXT:
            return (
                f"the text has {len(text):,} characters; an XLSX cell holds at most "
                f"{MAX_CELL_TEXT:,}"
            )
        return None
    limit = csv.field_size_limit()
    escaped = csv_cell(text)
    if len(escaped) > limit:
        added = (
            "" if escaped == text else ", with the apostrophe that keeps it from being a formula"
        )
        return (
            f"the text has {len(escaped):,} characters{added}; a CSV cell holds at most {limit:,}"
        )
    return None


# -- reading ---------------------------------------------------------------------------


def read_rows(
    source: SheetSource,
    *,
    format: Format,  # noqa: A002 (the public keyword name)
    sheet: str | None,
    encoding: str,
) -> list[Row]:
    """Every row of the sheet, numbered from 1, as cells.

    Raises:
        PlanValidationError: if the file cannot be decoded or is not a workbook.
        ImportError: naming the `xlsx` extra, when defusedxml is missing.
    """
    if format == "xlsx":
        return _read_xlsx(source, sheet)
    if sheet is not None:
        raise PlanValidationError([("sheet", f"a CSV file has no sheets, but sheet={sheet!r}")])
    return _read_csv(source, encoding)


def _read_csv(source: SheetSource, encoding: str) -> list[Row]:
    name = _name_of(source) or "the file"
    try:
        if isinstance(source, str | os.PathLike):
            data: bytes | str = _file_bytes(source)
        else:
            data = source.read()
        text = data.decode(encoding) if isinstance(data, bytes) else data
        # The mark may survive decoding (encoding="utf-8", or a file opened as text).
        text = text.removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        message = (
            f"{name!r} is not {encoding} text (byte {error.start}): save it as 'CSV UTF-8' "
            "or pass the file's encoding, such as encoding='gbk'"
        )
        raise PlanValidationError([("", message)]) from None
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1  # the line the next row starts on
    try:
        for cells in reader:
            # Undo the escaping of cells a spreadsheet would evaluate (see _safe.csv_cell).
            rows.append((len(rows) + 1, tuple(csv_value(cell) for cell in cells)))
            start = reader.line_num + 1
    except csv.Error as error:
        reason = _csv_error(text, start, reader.line_num, error)
        message = f"{name!r} is not a readable CSV file: {reason}"
        raise PlanValidationError([("", message)]) from None
    return rows


def _csv_error(text: str, start: int, line: int, error: csv.Error) -> str:
    """What is wrong with the CSV row that starts on line `start` (`line` was read last)."""
    if "expected after" in str(error):
        return (
            f"on line {line}, a quoted cell goes on after its closing quote; put the whole cell "
            'in quotes and double each quote inside it ("")'
        )
    opened = _unclosed_quote(text, start)
    if opened is not None:
        return (
            f"a quote opened on line {opened} is never closed; close it, or double a quote "
            'that is part of the text ("")'
        )
    return f"{error}, in the row that starts on line {start}"


def _unclosed_quote(text: str, start: int) -> int | None:
    """The line of a quote that the row starting on line `start` never closes, if any.

    The rules are the reader's: a quote opens a quoted cell only as the cell's
    first character, a doubled quote inside one is a quote of the text, and a
    line break outside quotes ends the row.
    """
    # Lines end as the reader splits them: at "\r\n", "\n" or "\r".
    lines = itertools.islice(io.StringIO(text, newline=""), start - 1, None)
    quoted, cell_start, opened = False, True, start
    for number, line in enumerate(lines, start=start):
        escaped = False
        for char, following in itertools.zip_longest(line, line[1:]):
            if escaped:
                escaped = False
            elif quoted:
                if char == '"' and following == '"':
                    escaped = True
                elif char == '"':
                    quoted, cell_start = False, False
            elif char in "\r\n":
                return None
            elif char == '"' and cell_start:
                quoted, opened = True, number
            else:
                cell_start = char == ","
    return opened if quoted else None


def _read_xlsx(source: SheetSource, sheet: str | None) -> list[Row]:
    require("defusedxml", XLSX_FEATURE)
    name = _name_of(source) or "the file"
    if isinstance(source, io.TextIOBase):
        raise PlanValidationError(
            [("", f"{name!r} is opened as text; open an XLSX file with 'rb'")]
        )
    if not isinstance(source, str | os.PathLike):
        rows = read_workbook(cast("IO[bytes]", source), sheet, name)
    else:
        rows = read_workbook(io.BytesIO(_file_bytes(source)), sheet, name)
    assert rows is not None  # a sheet asked for by one name is there, or an error says not
    return rows


def read_book_sheet(data: bytes, names: tuple[str, ...], name: str) -> list[Row] | None:
    """The rows of the first sheet of the workbook `data` named one of `names`, if any."""
    require("defusedxml", XLSX_FEATURE)
    return read_workbook(io.BytesIO(data), names, name)


def source_bytes(source: SheetSource, what: str) -> bytes:
    """The bytes of a workbook: a path's (a regular file within the size limit) or a
    binary file object's.

    Raises:
        PlanValidationError: for a file object opened as text, or a file too big.
    """
    if isinstance(source, str | os.PathLike):
        return read_bytes(source, limit=MAX_BYTES, what=what)
    data = source.read(MAX_BYTES + 1)
    if isinstance(data, str):
        name = _name_of(source) or "the file"
        raise PlanValidationError(
            [("", f"{name!r} is opened as text; open an XLSX file with 'rb'")]
        )
    if len(data) > MAX_BYTES:
        raise PlanValidationError([("", f"the {what} is larger than {MAX_BYTES:,} bytes")])
    return data


def _file_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the sheet file at `path`: a regular file, at most the size of a document."""
    return read_bytes(path, limit=MAX_BYTES, what="sheet")


# -- writing ---------------------------------------------------------------------------


def _csv_text(rows: Sequence[Sequence[Cell]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        # A text cell a spreadsheet would evaluate as a formula is written behind an
        # apostrophe; the reader takes it off again.
        writer.writerow(
            "" if cell is None else csv_cell(cell) if isinstance(cell, str) else cell
            for cell in row
        )
    return buffer.getvalue()


def _column_width(values: Sequence[Cell]) -> float:
    widest = 0
    for value in values:
        text = value.isoformat() if isinstance(value, dt.date) else str(value or "")
        for line in text.splitlines() or [""]:
            # East Asian characters take about two columns.
            widest = max(widest, sum(2 if ord(ch) > 0x2E7F else 1 for ch in line))
    return float(min(60, max(8, widest + 2)))


def _xlsx_bytes(rows: Sequence[Sequence[Cell]], title: str) -> bytes:
    return book_bytes([(title, rows)])


def book_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> bytes:
    """A workbook of the sheets `(title, rows)`, in order, each with a bold frozen header."""
    require("openpyxl", XLSX_FEATURE)
    # Imported here as well, now that it is known to be there, for its types.
    import openpyxl  # noqa: PLC0415 (an optional dependency, imported when used)

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets:
        _fill(book.create_sheet(title), rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(worksheet: Any, rows: Sequence[Sequence[Cell]]) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415 (optional)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (optional)

    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = worksheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with "=" stays text, not a formula
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if r == 1:
                cell.font = Font(bold=True)
    width = max((len(row) for row in rows), default=0)
    for c in range(width):
        column = [row[c] if c < len(row) else None for row in rows]
        worksheet.column_dimensions[get_column_letter(c + 1)].width = _column_width(column)
    worksheet.freeze_panes = "A2"


def write_rows(
    target: SheetTarget,
    rows: Sequence[Sequence[Cell]],
    *,
    format: Format,  # noqa: A002 (the public keyword name)
    title: str,
) -> None:
    """Write `rows` (the header first) as one sheet named `title`.

    The file is built in memory before anything is written; a path is replaced
    atomically, a file object is written to in one go. A binary CSV target gets
    UTF-8 with a byte order mark; a text target (CSV only) gets the text without
    the mark, and its own encoding makes the bytes. Lines end with CRLF either way.

    Raises:
        PlanValidationError: for an XLSX text target, or a text target whose
            encoding cannot hold some character, before anything is written.
    """
    if isinstance(target, io.TextIOBase):
        name = _name_of(target) or "the file"
        if format == "xlsx":
            raise PlanValidationError(
                [("", f"{name!r} is opened as text; open an XLSX file with 'wb'")]
            )
        text = _csv_text(rows)
        _check_encoding(target, text, name)
        target.write(text)
        return
    data = _xlsx_bytes(rows, title) if format == "xlsx" else _csv_text(rows).encode("utf-8-sig")
    if isinstance(target, str | os.PathLike):
        write_atomic(Path(target), data)
    else:
        cast("IO[bytes]", target).write(data)


def _check_encoding(target: io.TextIOBase, text: str, name: str) -> None:
    """Refuse `text` that the encoding of a text `target` cannot hold."""
    encoding, errors = getattr(target, "encoding", None), getattr(target, "errors", None)
    if not isinstance(encoding, str):
        return  # an in-memory stream holds any text
    try:
        text.encode(encoding, errors if isinstance(errors, str) else "strict")
    except UnicodeEncodeError as error:
        message = (
            f"{name!r} is opened with encoding {encoding!r}, which cannot hold "
            f"{error.object[error.start]!r}; open it with encoding='utf-8-sig'"
        )
        raise PlanValidationError([("", message)]) from None
    except LookupError:
        return  # an encoding Python does not know: the stream itself decides


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically (see `replacing`)."""
    with replacing(path) as stream:
        stream.write(data)
