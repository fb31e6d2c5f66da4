"""How a number is shown: the one rounding of quantities and figures for every view.

Explanations, the text and HTML views, the command line and the charts show an
amount through [`amount_text`][beijing_plan._numbers.amount_text] (a number in a
unit) or [`quantity_text`][beijing_plan._numbers.quantity_text] (a
[`Quantity`][beijing_plan.units.Quantity]), and a fraction as a percentage through
[`fraction_text`][beijing_plan._numbers.fraction_text]. The objects keep their
exact values: only what is shown is rounded, the way a spreadsheet's number
format rounds a cell.

The digits depend on the unit's dimension:

- counts (`count`) as whole numbers: `65.37362637` shows as `65`;
- money (`cny`, `usd`) with 2 decimals of its unit: `113.1243094` 亿元 shows
  as `113.12亿元`, and `60` 亿元 as `60.00亿元`;
- percentages (`percent`) with 1 decimal: `45.20331492%` shows as `45.2%`;
- any other unit with 4 significant digits, never fewer than its whole
  part, without trailing zeros: `1234.567 m²` shows as `1235 m²`, `0.012345`
  as `0.01235`, `1.5` as `1.5`.

Halves round away from zero, as a spreadsheet rounds (`0.125` 元 is `0.13元`),
and a value that rounds to zero shows without a minus sign.

>>> amount_text(113.1243094, "yi_yuan")
'113.12'
>>> quantity_text(Quantity("45.20331492", "percent"))
'45.2%'
>>> fraction_text(0.4520331492)
'45.2%'
"""

from __future__ import annotations

import decimal
import math
from decimal import Decimal

from .units import ATTACHED_SYMBOLS, Quantity, get_unit

__all__ = [
    "MISSING",
    "MONEY_DIMENSIONS",
    "SIGNIFICANT",
    "amount_text",
    "decimals",
    "fraction_text",
    "quantity_text",
    "with_symbol",
]

#: The dimensions whose amounts are money, shown with 2 decimals of their unit.
MONEY_DIMENSIONS = frozenset({"cny", "usd"})
#: The significant digits of an amount in a unit that is not a count, money or percent.
SIGNIFICANT = 4
#: Fixed decimals by dimension.
_DECIMALS = {"count": 0, "percent": 1}
#: What an unknown figure shows as.
MISSING = "—"

# Wide enough to round any accepted value (up to 60 digits, exponents to 10**60).
_CONTEXT = decimal.Context(prec=200, rounding=decimal.ROUND_HALF_UP, Emax=10_000, Emin=-10_000)


def _fixed(dimension: str) -> int | None:
    """The fixed decimals of a dimension's amounts, or `None` for significant digits."""
    fixed = _DECIMALS.get(dimension)
    if fixed is None and dimension in MONEY_DIMENSIONS:
        fixed = 2
    return fixed


def decimals(value: Decimal, unit: str) -> int:
    """How many decimals `value`, an amount in `unit`, is rounded to when shown.

    Raises:
        UnitError: for an unknown unit.
    """
    fixed = _fixed(get_unit(unit).dimension)
    if fixed is not None:
        return fixed
    if not value:
        return 0
    whole = value.adjusted() + 1  # digits before the point (0 or less for a value below 1)
    return max(SIGNIFICANT - whole, 0)


def _as_decimal(value: Decimal | float | int) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _rounded(value: Decimal, places: int) -> str:
    """`value` rounded half away from zero to `places` decimals, never `-0`."""
    rounded = _CONTEXT.quantize(value, Decimal(1).scaleb(-places))
    return f"{rounded if rounded else abs(rounded):f}"


def amount_text(value: Decimal | float | int, unit: str) -> str:
    """`value`, an amount in `unit`, as a number rounded for the unit (no symbol).

    A float that is not finite shows as `—`.

    Raises:
        UnitError: for an unknown unit.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return MISSING
    number = _as_decimal(value)
    text = _rounded(number, decimals(number, unit))
    if _fixed(get_unit(unit).dimension) is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def with_symbol(number: str, unit: str) -> str:
    """`number` written with the symbol of `unit` (`"60亿元"`, `"3 US$"`, `"12"`).

    Raises:
        UnitError: for an unknown unit.
    """
    symbol = get_unit(unit).symbol
    if not symbol:
        return number
    if symbol in ATTACHED_SYMBOLS:
        return f"{number}{symbol}"
    return f"{number} {symbol}"


def quantity_text(quantity: Quantity) -> str:
    """A quantity rounded for its unit, with the unit's symbol: `113.12亿元`."""
    return with_symbol(amount_text(quantity.value, quantity.unit), quantity.unit)


def fraction_text(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage with `digits` decimals (`0.214` is `"21.4%"`), `—` unknown."""
    if value is None or not math.isfinite(value):
        return MISSING
    return _rounded(Decimal(repr(value)).scaleb(2), digits) + "%"
