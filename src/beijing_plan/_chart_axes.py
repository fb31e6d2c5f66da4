"""What every chart shares: the axes it draws into, its ink, its legends and its time axis.

- `new_axes`: the axes of a new figure, made with pyplot so that a notebook shows it.
- `INK` and `MUTED`: the colour of marks and text, and the grey of what is secondary
  (the planned path, a baseline, "no data").
- `literal_legend`: a legend whose labels are drawn as written.
- `day_number` and `set_date_ticks`: a day as matplotlib's date number, and a time axis labelled by
  [`date_ticks`][beijing_plan.charts.date_ticks].

matplotlib is loaded on first use, as by every chart.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ._fonts import FEATURE, LITERAL, Words
from ._optional import require
from ._time_axis import date_ticks

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["INK", "MUTED", "day_number", "literal_legend", "new_axes", "set_date_ticks"]

INK = "#1a202c"
MUTED = "#718096"


def new_axes(size: tuple[float, float]) -> Axes:
    pyplot: Any = require("matplotlib.pyplot", FEATURE)
    _, axes = pyplot.subplots(figsize=size, layout="constrained")
    chosen: Axes = axes
    return chosen


def literal_legend(legend: Any) -> None:
    """Draw the legend's labels as written, as every other text of a chart."""
    for text in legend.get_texts():
        text.set(**LITERAL)


# -- time axes ---------------------------------------------------------------------------


def set_date_ticks(ax: Axes, words: Words) -> None:
    """Label the time axis (x) of `ax` with [`date_ticks`][beijing_plan.charts.date_ticks]
    over the dates it shows, in the chart's language and font."""
    dates: Any = require("matplotlib.dates", FEATURE)
    low, high = ax.get_xlim()
    ends = [dates.num2date(value).date() for value in (low, high)]
    ticks = date_ticks(ends, words.lang)
    ax.set_xticks([day_number(day.toordinal()) for day, _ in ticks], [label for _, label in ticks])
    for label in ax.get_xticklabels():
        label.set(**words.props)


def day_number(ordinal: int) -> float:
    """A day as matplotlib's date number."""
    dates: Any = require("matplotlib.dates", FEATURE)
    day = dt.date.fromordinal(ordinal)
    number: float = dates.date2num(dt.datetime(day.year, day.month, day.day))
    return number
