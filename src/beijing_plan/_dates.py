"""Date coercion shared by the model, the ledger and the file converter.

Models hold `pendulum.Date`. Parsing goes through the standard library and
a small cache, because a ledger repeats the same few hundred dates many times and
`pendulum.Date` construction is several times dearer than a cache hit.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TypeAlias

import pendulum

from .exceptions import PlanValidationError

__all__ = ["TIMEZONE", "DateLike", "as_date", "as_optional_date", "today"]

#: The plans' own time zone: "today" means today in Beijing.
TIMEZONE = "Asia/Shanghai"

DateLike: TypeAlias = pendulum.Date | dt.date | str


@lru_cache(maxsize=8192)
def _parse_iso(text: str) -> pendulum.Date:
    # Strict YYYY-MM-DD: date.fromisoformat would also take "20250101" and week dates.
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(text)
    parsed = dt.date.fromisoformat(text)
    return pendulum.Date(parsed.year, parsed.month, parsed.day)


def as_date(value: DateLike) -> pendulum.Date:
    """Coerce a `pendulum.Date`, a `datetime.date` or an ISO `YYYY-MM-DD` string.

    Raises:
        PlanValidationError: for anything else, a datetime included (a moment is not
            a day, and its time zone would decide which day it is).
    """
    if type(value) is pendulum.Date:
        return value
    if isinstance(value, str):
        try:
            return _parse_iso(value)
        except ValueError:
            raise PlanValidationError([("", f"{value!r} is not a date (YYYY-MM-DD)")]) from None
    if isinstance(value, dt.datetime):
        raise PlanValidationError([("", f"{value!r} is a date and time, not a date")])
    if isinstance(value, dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    raise PlanValidationError([("", f"{value!r} is not a date (YYYY-MM-DD)")])


def as_optional_date(value: DateLike | None) -> pendulum.Date | None:
    """Like `as_date`, passing `None` through."""
    return None if value is None else as_date(value)


def today() -> pendulum.Date:
    """Today's date in Beijing (`Asia/Shanghai`)."""
    return pendulum.today(TIMEZONE).date()
