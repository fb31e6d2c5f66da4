"""Single cells of task and progress sheets, read and written.

Readers take a raw cell (text from CSV, typed values from XLSX) and return a
value, or raise `CellError` with a message that shows the cell. Writers
turn model values into cells that the readers take back unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

import pendulum

from .._words import RECORD_STATUS_TEXT, has_cjk
from ..exceptions import PlanValidationError, UnitError
from ..ledger import Status
from ..model import Source
from ..units import as_decimal, get_unit
from ._columns import normalise_header
from ._sheets import Cell, Format, Percent

__all__ = [
    "SEPARATORS",
    "STATUS_TEXT",
    "STATUS_WORDS",
    "CellError",
    "date_cell",
    "number_and_unit",
    "number_cell",
    "percent_of",
    "source_cell",
    "source_of",
    "split_list",
    "status_of",
    "text_of",
    "unit_text",
]

#: Characters that separate several units or themes in one cell.
SEPARATORS = "、，,；;／/\n\r"  # noqa: RUF001 (full-width separators are the point)
_SPLIT = re.compile(f"[{re.escape(SEPARATORS)}]+")
_GROUPED = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_NUMBER_AND_UNIT = re.compile(
    r"([-+]?(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?:e[-+]?[0-9]+)?)\s*(.*)",
    re.IGNORECASE | re.DOTALL,
)
# What may follow a number and its spaces where a unit is expected, if the number
# goes on: digits (after a space between thousands), or a separator and a digit
# (a decimal comma, a dot or an apostrophe between thousands), as in "1.234,5".
_DIGITS_GO_ON = re.compile(r"[0-9]|[.,'\u2019][0-9]")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[-+]?[0-9]+)?", re.IGNORECASE)
_URL_SCHEMES = ("http://", "https://")


class CellError(ValueError):
    """A cell that cannot be read as what its column holds."""


#: Status words, compared case-folded and without spaces, "_" or "-".
STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: (
        "未启动",
        "未开始",
        "尚未启动",
        "尚未开始",
        "未开展",
        "not started",
        "not_started",
        "pending",
    ),
    Status.IN_PROGRESS: (
        "推进中",
        "进行中",
        "已启动",
        "正在推进",
        "实施中",
        "序时推进",
        "in progress",
        "in_progress",
        "ongoing",
        "started",
        "underway",
    ),
    Status.DONE: (
        "已完成",
        "完成",
        "已办结",
        "已落实",
        "已出台",
        "已印发",
        "done",
        "completed",
        "complete",
        "finished",
        "issued",
    ),
    Status.CANCELLED: (
        "已取消",
        "取消",
        "已撤销",
        "已终止",
        "cancelled",
        "canceled",
        "dropped",
    ),
}
_STATUS_LOOKUP = {
    normalise_header(word): status for status, words in STATUS_WORDS.items() for word in words
}


#: How status words are written, by language.
STATUS_TEXT: dict[str, dict[Status, str]] = {
    lang: {Status(value): text for value, text in by_status.items()}
    for lang, by_status in RECORD_STATUS_TEXT.items()
}


# -- reading ---------------------------------------------------------------------------


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def text_of(cell: Cell) -> str | None:
    """A cell as stripped text, `None` when blank."""
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell.strip() or None
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return _number_text(cell)
    if isinstance(cell, Percent):
        return f"{cell.points:f}%"
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date().isoformat()
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


def split_list(cell: Cell) -> tuple[str, ...]:
    """The entries of a cell that lists several (units, themes), in order."""
    text = text_of(cell)
    if text is None:
        return ()
    return tuple(part for part in (p.strip() for p in _SPLIT.split(text)) if part)


def _decimal(text: str, shown: Cell) -> Decimal:
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    try:
        return as_decimal(text)
    except PlanValidationError as error:
        message = error.problems[0][1]
        raise CellError(message.replace(repr(text), repr(shown))) from None


def number_and_unit(cell: Cell) -> tuple[Decimal, str | None] | None:
    """A number cell, or text such as `60亿元`: the number and any unit written after it.

    Returns `None` for a blank cell; a percentage-formatted cell gives its points
    and `"%"`.

    Raises:
        CellError: for a cell that is not a number, saying so in particular of a
            number written with a decimal comma or with other separators between
            thousands (`1.234,5`, `1 234`).
    """
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, Percent):
        return cell.points, "%"
    if isinstance(cell, bool) or not isinstance(cell, int | float | Decimal | str):
        raise CellError(f"{cell!r} is not a number")
    if not isinstance(cell, str):
        try:
            return as_decimal(cell), None
        except PlanValidationError as error:
            raise CellError(error.problems[0][1]) from None
    text = unicodedata.normalize("NFKC", cell).strip()
    match = _NUMBER_AND_UNIT.fullmatch(text)
    if match is None or not any(ch.isdigit() for ch in match[1]):
        raise CellError(f"{cell.strip()!r} is not a number")
    number, unit = match[1], match[2].strip() or None
    misgrouped = "," in number and _GROUPED.fullmatch(number) is None
    if misgrouped or (_DIGITS_GO_ON.match(match[2]) and _unit_name(match[2].strip()) is None):
        raise CellError(
            f"{cell.strip()!r} looks like a number with a decimal comma, or with dots, spaces "
            "or apostrophes between thousands; write it with a decimal point, and commas "
            "between thousands if any: 1234.5 or 1,234.5"
        )
    return _decimal(number, cell.strip()), unit


def percent_of(cell: Cell) -> float | None:
    """A percent cell in points: `40%`, `40`, or a percentage-formatted 0.4."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, Percent):
        value = float(cell.points)
    elif isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        value = float(cell)
    elif isinstance(cell, str):
        text = unicodedata.normalize("NFKC", cell).strip().removesuffix("%").strip()
        if not _PLAIN_NUMBER.fullmatch(text):
            raise CellError(f"{cell.strip()!r} is not a percent")
        value = float(text)
    else:
        raise CellError(f"{cell!r} is not a percent")
    if not 0.0 <= value <= 100.0:  # also refuses NaN
        raise CellError(f"{text_of(cell)!r} is not between 0% and 100%")
    return value


def status_of(cell: Cell) -> Status | None:
    """A status word in Chinese or English, `None` when blank."""
    text = text_of(cell)
    if text is None:
        return None
    found = _STATUS_LOOKUP.get(normalise_header(text))
    if found is None:
        raise CellError(f"{text!r} is not a status (such as 未启动, 推进中, 已完成, 已取消)")
    return found


def source_of(text: str | None) -> Source | None:
    """A source cell: a citation, optionally followed by a URL."""
    if text is None:
        return None
    url = _url_at_end(text)
    if url is None:
        return Source(text)
    title = text[: len(text) - len(url)].rstrip()
    return Source(title or url, url=url)


def _url_at_end(text: str) -> str | None:
    """The URL that ends `text`: the last run without white space, from its first
    `http://` or `https://` (followed by something), if any. Linear in the text.
    """
    if not text or text[-1].isspace():
        return None
    last = text.rsplit(maxsplit=1)[-1]
    start = last.find("http")
    while start != -1:
        for scheme in _URL_SCHEMES:
            if last.startswith(scheme, start) and len(last) > start + len(scheme):
                return last[start:]
        start = last.find("http", start + 1)
    return None


# -- writing ---------------------------------------------------------------------------


def date_cell(day: pendulum.Date | None, chosen: Format) -> Cell:
    """A date as an ISO string (CSV) or a date cell (XLSX)."""
    if day is None:
        return None
    if chosen == "xlsx":
        return dt.date(day.year, day.month, day.day)
    return day.isoformat()


def unit_text(unit: str, lang: str) -> str:
    """How a unit is written: its symbol or a Chinese name in Chinese, its name in English."""
    if lang == "en":
        return unit
    found = get_unit(unit)
    for candidate in (found.symbol, *(a for a in found.aliases if has_cjk(a))):
        if candidate and _unit_name(candidate) == found.name:
            return candidate
    return found.name


def _unit_name(name: str) -> str | None:
    """The canonical name a unit name or alias stands for, `None` if unknown."""
    try:
        return get_unit(name).name
    except UnitError:
        return None


def _exact_in_xlsx(number: float) -> bool:
    # XLSX writers keep 16 significant digits of a float.
    return float(f"{number:.16g}") == number


def number_cell(value: Decimal | float, chosen: Format) -> Cell:
    """A number as text (CSV), or in XLSX as a number cell where that is exact, else text."""
    as_float = float(value)
    exact = isinstance(value, float) or Decimal(repr(as_float)) == value
    if chosen == "xlsx" and exact and _exact_in_xlsx(as_float):
        return int(as_float) if as_float.is_integer() and abs(as_float) < 2**53 else as_float
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return f"{value:f}" if -15 <= value.adjusted() <= 20 else str(value)


def source_cell(source: Source | None) -> str | None:
    """A source as its title, followed by its URL when it has one."""
    if source is None:
        return None
    if source.url is None:
        return source.title
    if source.title == source.url:
        return source.url
    return f"{source.title} {source.url}"
