"""Value strategies behind `beijing_plan.strategies` (needs Hypothesis).

Texts, ids, numbers, quantities, weights and dates. Dates inside a plan are
drawn as *positions* (0 to `STEPS`) and placed in a window of days only
when an item is built, so the strategies do not depend on the window: each is
made once and reused, which keeps drawing fast, and position 0 (the start of the
window) is where a date shrinks to.
"""

from __future__ import annotations

import datetime as dt
import decimal
import string
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

import pendulum
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .._validators import MAX_ID_LENGTH, id_problem
from ..exceptions import PlanValidationError
from ..model import Source, Text, TrajectoryPoint
from ..units import MAX_DIGITS, MAX_EXPONENT, Quantity, as_decimal, units

__all__ = [
    "ANCHOR",
    "FIRST_DAY",
    "INCREASES",
    "LAST_DAY",
    "MAX_LENGTH",
    "NUMBERS",
    "REFS",
    "SOURCES",
    "SOURCE_SPECS",
    "STEPS",
    "TEXTS",
    "TRAJECTORIES",
    "YEAR",
    "SourceSpec",
    "TrajectorySpec",
    "convert_or_keep",
    "day",
    "dimensions",
    "identifiers",
    "maybe_positions",
    "names",
    "numbers",
    "periods",
    "pick",
    "place",
    "place_maybe",
    "positions",
    "prefixes",
    "quantities_in",
    "raised",
    "sampled",
    "sources_in",
    "storable",
    "text_values",
    "trajectory_in",
    "units_of",
    "weights",
    "widened",
]

# -- days ---------------------------------------------------------------------------------

#: Earliest and latest start (ordinals) of a drawn plan. With periods of up to
#: three years, ledger records within a month of the period, and baselines and
#: sources within a year before what they belong to, every drawn date falls
#: between 2000 and 2100.
FIRST_DAY = dt.date(2002, 1, 1).toordinal()
LAST_DAY = dt.date(2096, 12, 31).toordinal()
#: Plans shrink toward the calendar year 2025.
ANCHOR = dt.date(2025, 1, 1).toordinal()
YEAR = 364  # days from 1 January to 31 December of a common year
MAX_LENGTH = 3 * 366  # longest drawn plan period, in days
_DAY_ONE, _DAY_LAST = 1, dt.date.max.toordinal()

#: Positions of a date in its window run from 0 (the first day) to STEPS (the last).
STEPS = 2**16 - 1
positions = st.integers(0, STEPS)
maybe_positions = st.none() | positions


def widened(lo: int, hi: int, *, before: int = 0, after: int = 0) -> tuple[int, int]:
    """The days from `before` days before `lo` to `after` days after `hi`.

    The result stays within the days a date can have, for periods pinned near
    the ends of the calendar.
    """
    return max(_DAY_ONE, lo - before), min(_DAY_LAST, hi + after)


@lru_cache(maxsize=16_384)
def day(ordinal: int) -> pendulum.Date:
    """The `pendulum.Date` of a day ordinal."""
    return pendulum.Date.fromordinal(ordinal)


def place(position: int, lo: int, hi: int) -> int:
    """The day at `position` in the window from day `lo` to day `hi`."""
    return lo + position * (hi - lo) // STEPS


def place_maybe(position: int | None, lo: int, hi: int) -> pendulum.Date | None:
    """The date at `position` in the window, or `None` for no position."""
    return None if position is None else day(place(position, lo, hi))


_START_OFFSETS = st.integers(FIRST_DAY - ANCHOR, LAST_DAY - ANCHOR)
_LENGTHS = st.just(YEAR) | st.integers(0, MAX_LENGTH)


def periods(start: int | None, end: int | None) -> SearchStrategy[tuple[int, int]]:
    """Plan periods `(start, end)` in day ordinals, keeping a given start or end.

    Drawn periods start between 2002 and 2096 and last up to three years,
    shrinking toward the calendar year 2025.
    """
    if start is not None and end is not None:
        return st.just((start, end))
    if end is not None:
        return st.integers(0, min(MAX_LENGTH, end - _DAY_ONE)).map(lambda n: (end - n, end))
    starts = _START_OFFSETS.map(ANCHOR.__add__) if start is None else st.just(start)
    return st.tuples(starts, _LENGTHS).map(lambda p: (p[0], min(p[0] + p[1], _DAY_LAST)))


# -- text ---------------------------------------------------------------------------------

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_CJK_RARE = st.one_of(
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),  # extension A
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),  # extension B, astral
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),  # compatibility ideographs
)
# Full-width and Chinese punctuation, digits and the Latin letters Chinese text mixes in.
_ZH_MARKS = st.sampled_from(
    "\uff0c\u3002\u3001\uff1b\uff1a\uff1f\uff01\u201c\u201d\u2018\u2019\uff08\uff09"
    "\u300a\u300b\u3010\u3011\u2014\u2026\u00b7\uff05\uff10\uff11\uff12"
    "0123456789GDPAIk%"
)
_EN_CORE = st.sampled_from(string.ascii_letters + string.digits + "-'")
_EN_COMMON = st.sampled_from(string.ascii_letters + string.digits + "     ,.;:-'()/&%$")
# Valid but awkward: combining marks, zero-width and direction marks, non-breaking
# and ideographic spaces, tabs and line breaks, characters that change under case
# mapping or normalisation, astral emoji and letters, and characters that quoting
# and escaping in JSON, YAML and TOML care about.
_AWKWARD = st.sampled_from(
    "\u0301\u0327\u200b\u200d\u2060\ufeff\u200e\u202e\u00a0\u3000\u2028\t\n\r"
    "\u00e9\u00df\u0130\u01c5\ufb01\u212b\u03a3\u0640"
    "\U0001f680\U0001f600\U0001d518\U0002a6a5"
    "\"'\\#&<>{}[]$:|*!?=@`~"
)
# Any Unicode scalar value (surrogates, which cannot be encoded, are left out).
_ANY = st.characters(codec="utf-8")
_ODD = st.one_of(_AWKWARD, _CJK_RARE, _ANY)


def _joined(parts: tuple[str, list[str], str, str]) -> str:
    head, odd, core, tail = parts
    return head + "".join(odd) + core + tail


def _strings(
    core: SearchStrategy[str], common: SearchStrategy[str], size: int
) -> SearchStrategy[str]:
    """Non-blank strings, plain or awkward.

    Plain ones hold only `core` characters (none of them blank). Awkward ones
    put a `core` character after common text and up to three odd characters,
    each drawn from one of three groups in turn rather than from one alphabet
    merging them, so that the few awkward characters are not lost among the
    million of all Unicode. Strings are drawn whole where possible, which keeps
    drawing fast.
    """
    plain = st.text(core, min_size=1, max_size=size)
    odd = st.tuples(
        st.text(common, max_size=size // 2),
        st.lists(_ODD, max_size=3),
        core,
        st.text(st.one_of(common, _ANY), max_size=size // 2),
    ).map(_joined)
    return plain | odd


_ZH = _strings(_CJK, _CJK | _ZH_MARKS, 12)
_EN = _strings(_EN_CORE, _EN_COMMON, 24)
#: Short non-blank strings, Chinese or English (units, issuers, notes).
names = _ZH | _EN


@st.composite
def _text_values(draw: st.DrawFn, zh: bool | None, en: bool | None) -> Text:
    has_zh = zh if zh is not None else (en is False or draw(st.booleans()))
    has_en = en if en is not None else (not has_zh or draw(st.booleans()))
    return Text(zh=draw(_ZH) if has_zh else None, en=draw(_EN) if has_en else None)


@lru_cache(maxsize=16)
def text_values(zh: bool | None, en: bool | None) -> SearchStrategy[Text]:
    """Texts; `zh`/`en` pin whether each language is there (`None` draws)."""
    return _text_values(zh, en)


TEXTS = text_values(None, None)

# -- ids ----------------------------------------------------------------------------------

_ID_SAFE = st.sampled_from(string.ascii_letters + string.digits + "-_.:/#")
# Characters allowed in an id (no whitespace, control or format characters); the
# ids are put in NFC, so a combining mark joins the letter before it where it can.
_ID_ANY = st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zs", "Zl", "Zp"))
_ID_ODD = st.sampled_from("\u5317\u4eac\u5e02\u00e9\u03a9\u0301\U0001f680")


def _nfc(chars: list[str]) -> str:
    return unicodedata.normalize("NFC", "".join(chars))


def _is_id(value: str) -> bool:
    return id_problem(value) is None


@lru_cache(maxsize=16)
def identifiers(max_size: int = MAX_ID_LENGTH) -> SearchStrategy[str]:
    """Valid ids of at most `max_size` characters, mostly plain, sometimes odd."""
    plain = st.text(_ID_SAFE, min_size=1, max_size=min(16, max_size))
    odd = st.lists(_ID_SAFE | _ID_ODD | _ID_ANY, min_size=1, max_size=max_size).map(_nfc)
    return plain | odd.filter(_is_id)


#: What every id of one drawn plan starts with.
prefixes = st.just("") | identifiers(max_size=8)

#: References to other items, as positions in a list of ids (see `pick`).
REFS = st.lists(st.integers(0, 15), max_size=2)


def pick(refs: Sequence[int], ids: Sequence[str]) -> tuple[str, ...]:
    """The ids that `refs` point at (by position, wrapping round), without repeats."""
    if not ids:
        return ()
    return tuple(dict.fromkeys(ids[ref % len(ids)] for ref in refs))


# -- numbers and quantities ---------------------------------------------------------------


def storable(number: Decimal) -> bool:
    """Whether `number` is accepted, both as it is and read back from its string form."""
    try:
        as_decimal(number)
        as_decimal(str(number))
    except PlanValidationError:
        return False
    return True


# Digits of the widest drawn values: their string form ("-0.00000123...", "1.23...E+60")
# adds at most eight characters, and files carry values as strings.
_WIDEST = MAX_DIGITS - 8
# Wide enough that adding two accepted values is exact.
_WIDE = decimal.Context(prec=400, Emax=10_000, Emin=-10_000)


def _wide_decimal(negative: bool, coefficient: int, adjusted: int) -> Decimal:
    digits = tuple(int(c) for c in str(coefficient))
    return Decimal((int(negative), digits, adjusted - len(digits) + 1))


def numbers(*, nonnegative: bool = False) -> SearchStrategy[Decimal]:
    """Decimals within the supported range: small, with cents, or as wide as allowed."""
    low = 0 if nonnegative else -1000
    small = st.integers(low, 1_000_000).map(Decimal)
    cents = st.decimals(
        min_value=low * 1000, max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    )
    wide = st.builds(
        _wide_decimal,
        st.just(False) if nonnegative else st.booleans(),
        st.integers(1, 10**_WIDEST - 1),
        st.integers(-MAX_EXPONENT, MAX_EXPONENT),
    )
    return small | cents | wide


NUMBERS = numbers()
INCREASES = numbers(nonnegative=True)


def dimensions() -> tuple[str, ...]:
    """The registry's dimensions, in the order their first unit was registered."""
    return tuple(dict.fromkeys(unit.dimension for unit in units().values()))


def units_of(dimension: str) -> tuple[str, ...]:
    """The canonical names of the units of `dimension`, in registry order."""
    return tuple(name for name, unit in units().items() if unit.dimension == dimension)


@lru_cache(maxsize=256)
def sampled(values: tuple[str, ...]) -> SearchStrategy[str]:
    """`st.sampled_from(values)`, made once for each tuple of values."""
    return st.sampled_from(values)


@lru_cache(maxsize=256)
def quantities_in(unit_names: tuple[str, ...]) -> SearchStrategy[Quantity]:
    """Quantities in one of `unit_names` with values from `numbers`."""
    return st.builds(Quantity, NUMBERS, sampled(unit_names))


def convert_or_keep(quantity: Quantity, unit: str) -> Quantity:
    """`quantity` in `unit` when the result is storable, else `quantity` itself."""
    try:
        converted = quantity.to(unit)
    except PlanValidationError:
        return quantity
    return converted if storable(converted.value) else quantity


def raised(value: Quantity, increase: Decimal, unit: str) -> Quantity:
    """An upper bound: `value` plus `increase`, in `unit` where that fits.

    Where the sum has too many digits to store, the bound is `value` itself.
    """
    level = _WIDE.add(value.value, increase)
    upper = Quantity(level, value.unit) if storable(level) else value
    return convert_or_keep(upper, unit)


# -- small parts --------------------------------------------------------------------------

#: Weights: finite and zero or more, often 1, sometimes 0, at most 1e6.
weights = st.just(1.0) | st.just(0.0) | st.floats(0.0, 1e6, allow_subnormal=False)
_URLS = st.integers(1, 10**6).map(lambda n: f"https://example.com/plan/{n}")

#: A source drawn apart from its date window: title, url, date position, note.
SourceSpec = tuple[str, str | None, int | None, str | None]
SOURCE_SPECS = st.tuples(names, st.none() | _URLS, maybe_positions, st.none() | names)
# How many sources an item gets: mostly none, so that drawing stays fast.
_SOURCE_COUNTS = st.sampled_from((0, 0, 0, 1))


@st.composite
def _sources(draw: st.DrawFn) -> list[SourceSpec]:
    return [draw(SOURCE_SPECS) for _ in range(draw(_SOURCE_COUNTS))]


#: No source (mostly) or one.
SOURCES = _sources()


def _source(spec: SourceSpec, lo: int, hi: int) -> Source:
    title, url, position, note = spec
    return Source(title, url, place_maybe(position, lo, hi), note)


def sources_in(specs: Sequence[SourceSpec], lo: int, hi: int) -> tuple[Source, ...]:
    """The sources of `specs`, dated (if at all) between days `lo` and `hi`."""
    return tuple(_source(spec, lo, hi) for spec in specs)


#: Up to three date positions and as many fractions of expected progress.
TrajectorySpec = tuple[list[int], list[float]]
_FRACTIONS = st.floats(0.0, 1.0)
_POINT_POSITIONS = st.lists(positions, max_size=3)


@st.composite
def _trajectories(draw: st.DrawFn) -> TrajectorySpec:
    ons = draw(_POINT_POSITIONS)
    return ons, [draw(_FRACTIONS) for _ in ons]


TRAJECTORIES = _trajectories()


def trajectory_in(spec: TrajectorySpec, lo: int, hi: int) -> tuple[TrajectoryPoint, ...]:
    """Points on strictly later days in the window, with non-decreasing fractions.

    Positions that fall on one day count once.
    """
    ons = sorted({place(position, lo, hi) for position in spec[0]})
    fractions = sorted(spec[1])[: len(ons)]
    return tuple(TrajectoryPoint(day(on), f) for on, f in zip(ons, fractions, strict=True))
