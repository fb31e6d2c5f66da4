"""A task sheet's reporting cadence cell (报送频次): `月`, `季+10天`, `quarter+10 days`.

A cadence is a period word, optionally followed by `+` and the days a report may
take after the period ends. The period words are those of `PERIOD_WORDS`
(月, 每月, 按月, 月度, 季, 季度, 每季, 每季度, 按季, 按季度, month, monthly, quarter,
quarterly); the days may end in 天, 日, d, day or days. Width and case do not matter
and spaces are ignored: `季度 + 10 天`, `Quarter+10d` and `季+10` are one cadence.
A blank cell is no cadence: the task reports at the plan's.

>>> cadence_of_text("季+10天")
Cadence(every='quarter', due_days=10)
>>> cadence_text(Cadence("quarter", due_days=10), "en")
'quarter+10 days'
"""

from __future__ import annotations

import re
import unicodedata

from .._values import Cadence
from ..exceptions import PlanValidationError

__all__ = ["PERIOD_WORDS", "CadenceError", "cadence_of_text", "cadence_text"]

#: The words of a period, by the period they name (compared case-folded, without spaces).
PERIOD_WORDS = {
    "month": ("月", "每月", "按月", "月度", "month", "monthly"),
    "quarter": ("季", "季度", "每季", "每季度", "按季", "按季度", "quarter", "quarterly"),
}
_WORD = {word: every for every, words in PERIOD_WORDS.items() for word in words}
_DAYS = re.compile(r"(?P<word>[^+]+?)(?:\+(?P<days>\d{1,4})(?:天|日|d|days?)?)?")
_WRITTEN = {"zh": {"month": "月", "quarter": "季"}, "en": {"month": "month", "quarter": "quarter"}}


class CadenceError(ValueError):
    """A cadence cell that does not read; the message names the text."""


def cadence_of_text(text: str) -> Cadence:
    """The cadence a cell's text says.

    Raises:
        CadenceError: for text that is not a period word with optional `+days`, or
            days beyond what a cadence allows.
    """
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())
    found = _DAYS.fullmatch(compact)
    every = None if found is None else _WORD.get(found.group("word"))
    if found is None or every is None:
        msg = f"{text!r} is not a cadence (月 or 季, month or quarter, optionally +days)"
        raise CadenceError(msg)
    days = found.group("days")
    try:
        return Cadence(every, due_days=0 if days is None else int(days))
    except PlanValidationError as error:
        raise CadenceError(f"{text!r}: {error.problems[0][1]}") from None


def cadence_text(cadence: Cadence, lang: str) -> str:
    """A cadence as a cell writes it in `lang`: `季+10天`, `quarter+10 days`, `月`."""
    word = _WRITTEN[lang][cadence.every]
    if not cadence.due_days:
        return word
    unit = "天" if lang == "zh" else (" day" if cadence.due_days == 1 else " days")
    return f"{word}+{cadence.due_days}{unit}"
