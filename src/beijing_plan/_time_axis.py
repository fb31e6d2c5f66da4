"""The ticks of a time axis: months, quarters or years, named in Chinese or English.

[`date_ticks`][beijing_plan.charts.date_ticks] (public through
[`beijing_plan.charts`][]) chooses the days and labels; the charts put them on
an axis. It needs no plotting library, so any view with a time axis can use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ._dates import DateLike, as_date
from ._words import DATE_WORDS
from .exceptions import PlanValidationError

__all__ = ["date_ticks"]

#: The most ticks a time axis gets at each step before it takes a longer step.
_MOST_TICKS = 13


def _month_starts(first: dt.date, last: dt.date, months: int) -> list[dt.date]:
    """The first days of every `months`-th month (counted from January) in [first, last]."""
    index = first.year * 12 + first.month - 1
    if first.day != 1:
        index += 1
    index += -index % months
    found: list[dt.date] = []
    while True:
        day = dt.date(index // 12, index % 12 + 1, 1)
        if day > last:
            return found
        found.append(day)
        index += months


def _labelled(
    days: Sequence[dt.date],
    name: Callable[[dt.date], str],
    words: Mapping[str, Any],
    *,
    add_year: bool = True,
) -> list[tuple[dt.date, str]]:
    """Each day with its label; unless `add_year` is false, the first and each January also
    name the year."""
    ticks = []
    for i, day in enumerate(days):
        label = name(day)
        new_year = day.month == 1 and (day.day == 1 or days[i - 1].year != day.year)
        if add_year and (i == 0 or new_year):
            label = words["with_year"].format(name=label, year=day.year)
        ticks.append((day, label))
    return ticks


def date_ticks(dates: Iterable[DateLike], lang: str = "en") -> list[tuple[dt.date, str]]:
    """The ticks of a time axis spanning `dates`: each tick's day and its label in `lang`.

    Every time axis of a chart labels its dates through this function, so that a
    Chinese chart reads `1月` and `二季度` where an English one reads `Jan`
    and `Q2`. The step follows the span from the earliest to the latest date:

    - under two months, days (`Mar 1`, `3月1日`), about a week apart;
    - up to 13 month starts, months (`Jan`, `1月`);
    - up to 13 quarter starts, quarters (`Q2`, `二季度`);
    - beyond, years (`2025`, `2025年`), every year up to 13 of them.

    The first tick, and the first of each new year, name the year too
    (`Jan 2025`, `2025年1月`, `2025年一季度`); year ticks are the year alone.

    >>> date_ticks(["2025-01-15", "2025-03-31"], "zh")
    [(datetime.date(2025, 2, 1), '2025年2月'), (datetime.date(2025, 3, 1), '3月')]
    >>> labels = [label for _, label in date_ticks(["2025-01-01", "2026-12-31"], "zh")]
    >>> ", ".join(labels[:3])
    '2025年一季度, 二季度, 三季度'

    Args:
        dates: The dates the axis spans (its ends are enough).
        lang: `"en"` or `"zh"`.

    Raises:
        PlanValidationError: for another language, or a value that is not a date.
    """
    if lang not in DATE_WORDS:
        raise PlanValidationError([("lang", f"{lang!r} is not one of 'en', 'zh'")])
    days = [dt.date.fromordinal(as_date(value).toordinal()) for value in dates]
    if not days:
        return []
    words: Any = DATE_WORDS[lang]
    first, last = min(days), max(days)
    months, quarters = words["month"], words["quarter"]

    def month(day: dt.date) -> str:
        name: str = months[day.month - 1]
        return name

    def quarter(day: dt.date) -> str:
        name: str = quarters[(day.month - 1) // 3]
        return name

    if (last - first).days < 62:
        step = max(1, -(-(last - first).days // 8))
        if step > 1:
            step = 7 * max(1, round(step / 7))
        every = [first + dt.timedelta(days=k) for k in range(0, (last - first).days + 1, step)]
        return _labelled(
            every, lambda day: words["day"].format(month=month(day), day=day.day), words
        )
    starts = _month_starts(first, last, 1)
    if len(starts) <= _MOST_TICKS:
        return _labelled(starts, month, words)
    starts = _month_starts(first, last, 3)
    if len(starts) <= _MOST_TICKS:
        return _labelled(starts, quarter, words)
    years = [dt.date(year, 1, 1) for year in range(first.year, last.year + 1)]
    years = [day for day in years if first <= day <= last] or [dt.date(first.year, 1, 1)]
    step = -(-len(years) // _MOST_TICKS)
    return _labelled(
        years[::step], lambda day: str(words["year"].format(year=day.year)), words, add_year=False
    )
