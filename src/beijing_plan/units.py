"""Units and quantities, with exact decimal conversion.

The registry knows each unit's dimension and its factor to the dimension's base
unit. Units of the same dimension convert exactly (`60 亿元` is
`6000000000 yuan`); units of different dimensions never convert, and currencies
are separate dimensions because no exchange rate is part of a plan.

>>> Quantity("60", "亿元").to("yuan")
Quantity(value=Decimal('6000000000'), unit='yuan')
"""

from __future__ import annotations

import decimal
import functools
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from ._errors import did_you_mean, misuse
from ._fields import named_problems
from .exceptions import PlanValidationError, UnitError

__all__ = ["Quantity", "Unit", "as_decimal", "computed", "get_unit", "register_unit", "units"]

# Wide enough that converting any accepted value between registered units is exact.
_EXACT = decimal.Context(prec=200, Emax=10_000, Emin=-10_000)
#: Largest accepted magnitude exponent and number of digits of a value.
MAX_EXPONENT = 60
MAX_DIGITS = 60


@attrs.frozen
class Unit:
    """A unit of the registry.

    Attributes:
        name: Canonical name, as written in files (`"yi_yuan"`).
        dimension: What it measures; only units of one dimension convert.
        factor: How many base units of the dimension one of this unit is.
        symbol: How a report writes it (`"亿元"`).
        aliases: Other names accepted on input (Chinese names among them).
    """

    name: str
    dimension: str
    factor: Decimal
    symbol: str
    aliases: tuple[str, ...] = ()


_REGISTRY: dict[str, Unit] = {}
_LOOKUP: dict[str, str] = {}


def register_unit(
    name: str,
    dimension: str,
    factor: Decimal | int | float | str,
    *,
    symbol: str | None = None,
    aliases: Iterable[str] = (),
) -> Unit:
    """Add a unit to the registry (process-wide) and return it.

    `factor` is read as a quantity's value is (see [`as_decimal`][beijing_plan.units.as_decimal]): a
    `Decimal`, an `int` or a numeric string exactly, a float through its
    shortest `repr` (`0.1` is `Decimal('0.1')`); it must be above 0.
    Registering a unit again with the same dimension and factor is allowed (its
    symbol is replaced and new aliases are added); a different dimension or
    factor is refused, because quantities already made in that unit would change
    meaning.

    Raises:
        PlanValidationError: for a name, dimension, symbol or alias that is not a
            non-blank string (the symbol may be empty), aliases given as one string
            rather than a list, and a factor that is not a finite number above 0.
        UnitError: if the name is registered with another dimension or factor, or
            the name or an alias is already taken by another unit.
    """
    problems = [
        (path, f"{value!r} is not a non-blank string")
        for path, value in (("name", name), ("dimension", dimension))
        if not isinstance(value, str) or not value.strip()
    ]
    if symbol is not None and not isinstance(symbol, str):
        problems.append(("symbol", f"{symbol!r} is not a string"))
    if isinstance(aliases, str | bytes | Mapping) or not isinstance(aliases, Iterable):
        problems.append(("aliases", f"{aliases!r} is not a list of names"))
        aliases = ()
    names = tuple(aliases)
    problems.extend(
        (f"aliases[{i}]", f"{alias!r} is not a non-blank string")
        for i, alias in enumerate(names)
        if not isinstance(alias, str) or not alias.strip()
    )
    try:
        number = as_decimal(factor)
    except PlanValidationError as error:
        problems.extend(error.prefixed("factor").problems)
    else:
        if number <= 0:
            problems.append(("factor", f"{factor!r} is not above 0"))
    if problems:
        raise PlanValidationError(problems)
    known = _REGISTRY.get(name)
    if known is not None and (known.dimension, known.factor) != (dimension, number):
        raise UnitError(
            [
                (
                    "name",
                    f"{name!r} is already a unit of {known.dimension} with factor "
                    f"{known.factor}; it cannot become a unit of {dimension} with factor {number}",
                )
            ]
        )
    for path, key in (("name", name), *((f"aliases[{i}]", a) for i, a in enumerate(names))):
        taken = _LOOKUP.get(key)
        if taken is not None and taken != name:
            raise UnitError([(path, f"{key!r} already names the unit {taken!r}")])
    if known is not None:
        names = tuple(dict.fromkeys((*known.aliases, *names)))
    unit = Unit(name, dimension, number, name if symbol is None else symbol, names)
    _unknown_unit_name.cache_clear()  # the list of known units changes
    _REGISTRY[name] = unit
    for key in (name, *names):
        _LOOKUP[key] = name
    return unit


def units() -> dict[str, Unit]:
    """The registry, by canonical name (a copy)."""
    return dict(_REGISTRY)


def get_unit(name: str) -> Unit:
    """The unit a canonical name or alias stands for.

    Raises:
        UnitError: if no unit has that name; the message suggests the closest
            name or alias and lists every unit with its aliases.
    """
    canonical = _LOOKUP.get(name) if isinstance(name, str) else None
    if canonical is None:
        raise UnitError([("unit", _unknown_unit(name))])
    return _REGISTRY[canonical]


def _unknown_unit(name: object) -> str:
    """Why `name` is no unit: the closest name or alias, then every unit with its aliases."""
    if isinstance(name, str):
        return _unknown_unit_name(name)  # a sheet may repeat one wrong unit in many cells
    return _unknown_unit_message(name)


@functools.lru_cache(maxsize=256)
def _unknown_unit_name(name: str) -> str:
    return _unknown_unit_message(name)


def _unknown_unit_message(name: object) -> str:
    # Unit names are short, and one wrong character of two (亿圆 for 亿元) is half of it.
    hint = did_you_mean(name, _LOOKUP, cutoff=0.5)
    known = ", ".join(
        f"{unit.name} ({', '.join(unit.aliases)})" if unit.aliases else unit.name
        for unit in _REGISTRY.values()
    )
    return f"{name!r} is not a known unit{hint} (known, with their aliases: {known})"


def _canonical_unit(name: str) -> str:
    try:
        return _LOOKUP[name]
    except (KeyError, TypeError):
        return get_unit(name).name


def as_decimal(value: Decimal | int | float | str) -> Decimal:
    """Coerce a number to a finite `Decimal` of sensible size.

    Strings and integers convert exactly; a float converts through its shortest
    `repr` (`0.1` becomes `Decimal('0.1')`).

    Raises:
        PlanValidationError: for NaN, infinities, booleans, non-numbers, strings
            longer than `MAX_DIGITS` characters and values whose magnitude is
            beyond `1e±MAX_EXPONENT` (such values make decimal arithmetic and
            formatting hang).
    """
    kind = type(value)
    if kind not in _NUMBER_TYPES:
        value = _plain_number(value)
        kind = type(value)
    if kind is Decimal:
        number: Decimal = value  # type: ignore[assignment]
    elif kind is str:
        if len(value) > MAX_DIGITS:  # type: ignore[arg-type]
            raise PlanValidationError([("", f"{value!r} is longer than {MAX_DIGITS} characters")])
        try:
            number = Decimal(value)
        except decimal.InvalidOperation:
            raise PlanValidationError([("", f"{value!r} is not a number")]) from None
    elif kind is int:
        if abs(value) >= 10**MAX_DIGITS:  # type: ignore[arg-type]
            shown = number_repr(value)
            raise PlanValidationError([("", f"{shown} has more than {MAX_DIGITS} digits")])
        number = Decimal(value)
    else:
        if not math.isfinite(value):  # type: ignore[arg-type]
            raise PlanValidationError([("", f"{value!r} is not a finite number")])
        number = Decimal(repr(value))
    if not number.is_finite():
        raise PlanValidationError([("", f"{value!r} is not a finite number")])
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        bounds = f"1e-{MAX_EXPONENT} to 1e{MAX_EXPONENT}"
        shown = number_repr(value)
        raise PlanValidationError([("", f"{shown} is out of the supported range ({bounds})")])
    return number


#: Integers longer than this are shown by their size: writing them out takes too long.
_WRITTEN_BITS = 100_000


def number_repr(value: object) -> str:
    """`repr` of a number for a message, with a long number in scientific notation.

    An integer, or a `Decimal` (as a document's reader makes of a number too
    long for an `int` or a float), of more than `MAX_DIGITS` digits is shown
    as `1.000e+400`: its full text is too long to read, and Python refuses to
    write an integer of more than 4300 digits.
    """
    if type(value) is int and abs(value) >= 10**MAX_DIGITS:
        if value.bit_length() > _WRITTEN_BITS:
            return f"an integer of {value.bit_length()} bits"
        return f"{Decimal(value):.3e}"
    if type(value) is Decimal and value.is_finite() and len(value.as_tuple().digits) > MAX_DIGITS:
        return f"{value:.3e}"
    return repr(value)


def computed(value: Decimal, unit: str) -> Quantity:
    """A quantity holding the result of exact arithmetic on accepted quantities.

    Sums, means and unit conversions of values in the input range can leave it
    (`1e-57 yuan` is `1e-61 wan_yuan`); such a result is exact and finite,
    so it is not checked against the range, which bounds what is read, not what
    is computed.

    Raises:
        PlanValidationError: if `value` is not a finite Decimal.
        UnitError: if `unit` is unknown.
    """
    if type(value) is not Decimal or not value.is_finite():
        raise PlanValidationError([("", f"{value!r} is not a finite Decimal")])
    result = object.__new__(Quantity)
    object.__setattr__(result, "value", value)
    object.__setattr__(result, "unit", _canonical_unit(unit))
    return result


_NUMBER_TYPES = (Decimal, str, int, float)

#: Symbols written straight after the number (`60亿元`); other symbols follow a space.
ATTACHED_SYMBOLS = frozenset({"%", "元", "万元", "亿元", "m²", "万m²"})


def _plain_number(value: object) -> Decimal | str | int | float:
    """A value of a subclass of an accepted type as the base type; refuse the rest."""
    if not isinstance(value, bool):
        for base in _NUMBER_TYPES:
            if isinstance(value, base):
                return base(value)
    raise PlanValidationError([("", f"{value!r} is not a number")])


for _args in (
    ("count", "count", 1, "", ("个", "家", "项", "件", "处", "座", "人", "名")),
    ("percent", "percent", 1, "%", ("%", "％", "百分比")),  # noqa: RUF001 (the full-width sign is a real alias)
    ("yuan", "cny", 1, "元", ("元", "CNY", "RMB", "人民币")),
    ("wan_yuan", "cny", 10_000, "万元", ("万元",)),
    ("yi_yuan", "cny", 100_000_000, "亿元", ("亿元",)),
    ("usd", "usd", 1, "US$", ("USD", "美元")),
    ("m2", "area", 1, "m²", ("平方米", "㎡", "m²")),
    ("wan_m2", "area", 10_000, "万m²", ("万平方米", "万㎡")),
):
    register_unit(_args[0], _args[1], _args[2], symbol=_args[3], aliases=_args[4])


@named_problems
@attrs.frozen(repr=False)
class Quantity:
    """A number with a unit from the registry.

    `value` takes a `Decimal`, an `int`, a numeric string or a float (through
    its `repr`); `unit` takes a canonical name or an alias and holds the
    canonical name.

    Quantities of one dimension order, add and subtract by amount, exactly: the
    right operand is converted to the left one's unit, and a sum or difference
    is in the left operand's unit. Across dimensions these raise
    [`UnitError`][beijing_plan.UnitError]. `float()` gives the value in the
    quantity's own unit.

    Equality is structural, like the model's: the same unit and a numerically
    equal value (`Quantity("1.0", "yuan") == Quantity(1, "元")`), and the hash
    follows it. `Quantity(1, "亿元")` and `Quantity(10000, "万元")` are the same
    amount but not equal quantities, so a file written from one reads back as it
    is; [`equivalent`][beijing_plan.units.Quantity.equivalent] compares amounts.
    Neither is less than the other, so `<=` holds both ways.

    >>> Quantity(60, "亿元")
    Quantity(value=Decimal('60'), unit='yi_yuan')
    >>> str(Quantity("5.4", "%"))
    '5.4%'
    >>> Quantity(1, "亿元") + Quantity(5000, "万元")
    Quantity(value=Decimal('1.5'), unit='yi_yuan')
    >>> Quantity(1, "亿元").equivalent(Quantity(10000, "万元"))
    True
    """

    value: Decimal = attrs.field(converter=as_decimal)
    unit: str = attrs.field(converter=_canonical_unit)

    def __repr__(self) -> str:
        return f"Quantity(value={self.value!r}, unit={self.unit!r})"

    def __str__(self) -> str:
        symbol = get_unit(self.unit).symbol
        if not symbol:
            return str(self.value)
        if symbol in ATTACHED_SYMBOLS:
            return f"{self.value}{symbol}"
        return f"{self.value} {symbol}"

    @property
    def dimension(self) -> str:
        """The dimension of the unit (`"cny"`, `"count"`, ...)."""
        return get_unit(self.unit).dimension

    def to(self, unit: str) -> Quantity:
        """The same amount in another unit of the same dimension, exactly.

        The result may lie beyond the range accepted on input by as much as the
        ratio of the two units' factors (`1e-60 yuan` is `1e-68 yi_yuan`).

        Raises:
            UnitError: if `unit` is unknown or of another dimension.
        """
        source, target = get_unit(self.unit), get_unit(unit)
        if source.dimension != target.dimension:
            raise UnitError(
                [
                    (
                        "unit",
                        f"cannot convert {self.unit!r} ({source.dimension}) "
                        f"to {target.name!r} ({target.dimension})",
                    )
                ]
            )
        if source.name == target.name:
            return self
        value = _EXACT.divide(_EXACT.multiply(self.value, source.factor), target.factor)
        return computed(value, target.name)

    def __float__(self) -> float:
        return float(self.value)

    def equivalent(self, other: Quantity) -> bool:
        """Whether `other` is the same amount, in any unit of the same dimension.

        Quantities of different dimensions are never equivalent.

        Raises:
            TypeError: if `other` is not a quantity.
        """
        if not isinstance(other, Quantity):
            raise misuse("other", "a Quantity", other)
        if self.dimension != other.dimension:
            return False
        return self._amount() == other._amount()

    def __lt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._amount() < self._amount_of(other)

    def __le__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._amount() <= self._amount_of(other)

    def __gt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._amount() > self._amount_of(other)

    def __ge__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._amount() >= self._amount_of(other)

    def __add__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return computed(_EXACT.add(self.value, self._in_my_unit(other)), self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return computed(_EXACT.subtract(self.value, self._in_my_unit(other)), self.unit)

    def _amount(self) -> Decimal:
        """The value in the base unit of the dimension, exactly."""
        return _EXACT.multiply(self.value, get_unit(self.unit).factor)

    def _amount_of(self, other: Quantity) -> Decimal:
        """`other`'s value in the base unit, after checking that it has this dimension."""
        self._check_dimension(other)
        return other._amount()

    def _in_my_unit(self, other: Quantity) -> Decimal:
        self._check_dimension(other)
        if other.unit == self.unit:
            return other.value
        return _EXACT.divide(other._amount(), get_unit(self.unit).factor)

    def _check_dimension(self, other: Quantity) -> None:
        mine, theirs = self.dimension, other.dimension
        if mine != theirs:
            raise UnitError(
                [
                    (
                        "unit",
                        f"cannot compare or combine {self.unit!r} ({mine}) "
                        f"with {other.unit!r} ({theirs})",
                    )
                ]
            )
