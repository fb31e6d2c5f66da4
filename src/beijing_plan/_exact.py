"""Numbers read from a document's text without rounding.

JSON, YAML and TOML parsers turn a number's text into a float, which rounds
one with more significant digits than a double holds. `exact_number` is
the rule all three readers share: a float where that is exact, else a
`Decimal` with every digit written.
"""

from __future__ import annotations

import math
from decimal import Decimal

__all__ = ["LONGEST_INT", "exact_int", "exact_number"]

#: Significant digits that every double holds exactly (`DBL_DIG`).
_DOUBLE_DIGITS = 15
#: Most digits of an integer read as an `int`: Python's own limit for turning
#: text into an `int` (beyond it, `int()` raises `ValueError`).
LONGEST_INT = 4300


def exact_number(text: str) -> float | Decimal:
    """The number a document writes as `text`, never rounded.

    A float when the double holds it exactly (at most 15 significant digits, as
    `0.1` or `2.5e9`), else a `Decimal` with every digit
    written (`12345678.123456789123`). NaN and infinities stay floats, for the
    guards to refuse.
    """
    number = float(text)
    mantissa = text.lower().split("e", 1)[0].lstrip("+-").replace("_", "").replace(".", "")
    if len(mantissa.strip("0")) <= _DOUBLE_DIGITS or not math.isfinite(number):
        return number
    return Decimal(text.replace("_", ""))


def exact_int(text: str) -> int | Decimal:
    """The integer a document writes as `text`: an `int`, or a `Decimal` if very long.

    Python refuses to read (or write) an `int` of more than `LONGEST_INT`
    (4300) digits. Such a number is too large for every field; a `Decimal` of
    it reads in linear time and lets the converter refuse it at its path.
    """
    digits = len(text) - text.startswith(("+", "-"))
    if digits > LONGEST_INT:
        return Decimal(text)
    return int(text)
