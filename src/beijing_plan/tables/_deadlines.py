"""Deadline phrases of Chinese task ledgers, turned into dates.

Ledgers write deadlines the way officials speak: `2025年6月底前`, `三季度`,
`年内`, `长期`. [`parse_deadline`][beijing_plan.tables.parse_deadline] turns each into the last
day it allows, relative to the plan year where the phrase names no year. The rules, in the
order they are tried, are listed in `docs/tables.md`; in short:

- a full date (`2025年6月30日`, `2025-06-30`, `2025/6/30`, `2025.6.30`,
  `6月30日`) is that day;
- a month (`2025年6月`, `6月底`, `6月末`, `6月份`, `2025-06`) is its last
  day; `上旬` is the 10th, `中旬` the 20th, `下旬` the last day;
- a quarter (`一季度`, `第一季度`, `1季度`, `Q1`) is its last day;
- `上半年`, `年中` and `H1` are June 30; `下半年` and `H2` are December 31;
- a year (`2025年`, `2025年底`, `年底`, `年末`, `年内`, `全年`,
  `今年`) is December 31;
- `长期`, `持续推进` and their kin have no date (`None`), and so has a blank;
- a few English forms are understood too: `Q3`, `2026-Q1`, `H1`, `H2`,
  `year end`, `ongoing`, `long-term`.

Before matching, the text is normalised (full-width characters to ASCII, white
space removed, lower case), and the usual framing is dropped: `截至`, `截止`,
`到`, `至`, `于` in front; `前`, `以前`, `之前`, `为止`, `完成` behind.
Months, days and quarters may be written in Chinese numerals (`六月底`,
`十二月三十一日`), years in Chinese digits (`二〇二五年`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable

import pendulum

__all__ = ["DeadlineError", "deadline_of"]

_PREFIXES = ("截止到", "截至", "截止", "到", "至", "于")
_SUFFIXES = ("以前", "之前", "为止", "完成", "前")
_NO_DATE = frozenset(
    {
        "长期",
        "长期坚持",
        "长期推进",
        "持续",
        "持续推进",
        "持续开展",
        "持续实施",
        "常态化",
        "常态化推进",
        "ongoing",
        "longterm",
        "long-term",
        "continuous",
    }
)
_YEAR_END_WORDS = frozenset({"", "底", "末", "内", "终", "全年"})
_CN_DIGITS = {"\u3007": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CN_NUMBER = r"[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_NUM = rf"([0-9]{{1,2}}|{_CN_NUMBER})"

_ISO_DAY = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_ISO_MONTH = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})")
_YEAR_PREFIX = re.compile(r"(?:([0-9]{4}|[\u3007零一二三四五六七八九]{4})|(今|本|当)?)年度?")
_DAY = re.compile(_NUM + r"月" + _NUM + r"[日号]")
_MONTH = re.compile(_NUM + r"月(底|末|份|上旬|中旬|下旬)?")
_QUARTER = re.compile(r"第?([1-4一二三四])季度?(末|底)?")
_ENGLISH_QUARTER = re.compile(r"(?:([0-9]{4})[-/]?)?q([1-4])")
_ENGLISH_HALF = re.compile(r"(?:([0-9]{4})[-/]?)?h([12])")
_ENGLISH_YEAR_END = frozenset({"yearend", "endofyear", "eoy"})


class DeadlineError(ValueError):
    """A phrase that is not a deadline, with the reason as its message."""


class _NoSuchDayError(ValueError):
    """A phrase of the right shape that names a day the calendar does not have."""


def _cn_number(text: str) -> int:
    """`"6"`, `"六"`, `"十二"`, `"三十一"` or `"二〇二五"` as an int."""
    if text.isascii():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    number = 0
    for char in text:
        number = number * 10 + _CN_DIGITS[char]
    return number


def _normalise(text: str) -> str:
    text = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return text


def _day(year: int, month: int, day: int | None = None) -> pendulum.Date:
    """That day, or the month's last day when `day` is `None`."""
    if not 1 <= year <= 9999:
        msg = f"year {year} is out of range"
        raise _NoSuchDayError(msg)
    if not 1 <= month <= 12:
        msg = f"month {month} does not exist"
        raise _NoSuchDayError(msg)
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last
    elif not 1 <= day <= last:
        msg = f"{calendar.month_name[month]} {year} has no day {day}"
        raise _NoSuchDayError(msg)
    return pendulum.Date(year, month, day)


class _Year:
    """The year a phrase refers to: its own, else the plan year (if known)."""

    def __init__(self, text: str, plan_year: int | None) -> None:
        self.text = text
        self.plan_year = plan_year

    def __call__(self, explicit: str | None) -> int:
        if explicit is not None:
            return _cn_number(explicit)
        if self.plan_year is None:
            msg = f"{self.text!r} is relative to the plan year, which is not known (pass year=...)"
            raise DeadlineError(msg)
        return self.plan_year


def _within_year(rest: str, year: Callable[[], int]) -> pendulum.Date | None:
    """A phrase inside one year (month, quarter, half), or `None` if it is not one."""
    if rest in {"上半年", "上半年末", "上半年底", "年中", "中"}:
        return _day(year(), 6)
    if rest in {"下半年", "下半年末", "下半年底"}:
        return _day(year(), 12)
    if match := _DAY.fullmatch(rest):
        return _day(year(), _cn_number(match[1]), _cn_number(match[2]))
    if match := _MONTH.fullmatch(rest):
        month = _cn_number(match[1])
        if match[2] == "上旬":
            return _day(year(), month, 10)
        if match[2] == "中旬":
            return _day(year(), month, 20)
        return _day(year(), month)
    if match := _QUARTER.fullmatch(rest):
        return _day(year(), 3 * _cn_number(match[1]))
    return None


def _english(text: str, year_of: _Year) -> pendulum.Date | None:
    if match := _ENGLISH_QUARTER.fullmatch(text):
        return _day(year_of(match[1]), 3 * int(match[2]))
    if match := _ENGLISH_HALF.fullmatch(text):
        return _day(year_of(match[1]), 6 * int(match[2]))
    if text in _ENGLISH_YEAR_END:
        return _day(year_of(None), 12)
    return None


def _from_text(original: str, plan_year: int | None) -> pendulum.Date | None:
    try:
        return _match(original, plan_year)
    except _NoSuchDayError as error:
        msg = f"{original!r} is not a real date: {error}"
        raise DeadlineError(msg) from None


def _match(original: str, plan_year: int | None) -> pendulum.Date | None:
    text = _normalise(original)
    if not text or text in _NO_DATE:
        return None
    year_of = _Year(original, plan_year)
    if match := _ISO_DAY.fullmatch(text):
        return _day(int(match[1]), int(match[2]), int(match[3]))
    if match := _ISO_MONTH.fullmatch(text):
        return _day(int(match[1]), int(match[2]))
    if text == "全年":
        return _day(year_of(None), 12)
    english = _english(text, year_of)
    if english is not None:
        return english
    prefix = _YEAR_PREFIX.match(text)
    if prefix is not None:
        rest, named = text[prefix.end() :], prefix[1]
        # A bare "年" names no year by itself: "年底" is a phrase, "年" alone is not.
        if rest in _YEAR_END_WORDS and (rest or named or prefix[2]):
            return _day(year_of(named), 12)
        found = _within_year(rest, lambda: year_of(named))
        if found is not None:
            return found
    found = _within_year(text, lambda: year_of(None))
    if found is not None:
        return found
    msg = f"{original!r} is not a date or a deadline phrase (such as 2025年6月30日 or 6月底)"
    raise DeadlineError(msg)


def deadline_of(value: object, plan_year: int | None) -> pendulum.Date | None:
    """The date a deadline cell stands for, `None` for no date.

    Args:
        value: A string, a `datetime.date`, a naive `datetime.datetime` (a
            spreadsheet date cell: its day counts) or `None`.
        plan_year: The year that phrases without one refer to, if known.

    Raises:
        DeadlineError: with the reason, for anything that is not a deadline.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            msg = f"{value!r} has a time zone; a deadline is a day"
            raise DeadlineError(msg)
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, str):
        return _from_text(value, plan_year)
    msg = f"{value!r} is not a date or a deadline phrase"
    raise DeadlineError(msg)
