"""The plan model: immutable, validated, typed.

Every class is a frozen, slotted attrs class whose validators make an invalid
object impossible to build. Invalid input raises
[`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] naming the field and the
value. Date fields take a `pendulum.Date`, a `datetime.date` or an ISO string
and hold a `pendulum.Date`; title fields take a [`Text`][beijing_plan.model.Text] or a plain string
(Chinese if it holds a CJK character, English otherwise).

>>> plan = Plan(
...     "demo", "示范计划", start="2025-01-01", end="2025-12-31",
...     measures=[Measure("m1", 1, "Measure one", tasks=[Task("t1", "Task one")])],
... )
>>> plan["t1"].title
Text(zh=None, en='Task one')
>>> plan.measure_of("t1")
'm1'
"""

from __future__ import annotations

import enum
import itertools
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import attrs
import pendulum

from ._dates import DateLike, as_date, as_optional_date
from ._errors import fail
from ._fields import named_problems
from ._integrity import plan_problems
from ._words import has_cjk
from .exceptions import PlanValidationError
from .units import Quantity, number_repr

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = [
    "Aggregation",
    "Baseline",
    "Comparator",
    "Declared",
    "Item",
    "Measure",
    "Milestone",
    "Plan",
    "Policy",
    "Source",
    "Target",
    "Task",
    "Text",
    "Theme",
    "TrajectoryPoint",
]

_BAD_ID = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_ID_LENGTH = 200


# -- validators and converters ---------------------------------------------------------


def id_problem(value: object) -> str | None:
    """Why `value` is not a valid id, or `None` if it is one.

    An id is a non-empty string of at most `MAX_ID_LENGTH` characters, without
    whitespace, control, surrogate or format (Cf) characters, in Unicode normal
    form NFC. References to ids (theme parents, themes, a policy's measures, the
    items of ledger records) follow the same rule.
    """
    if type(value) is str and value in _GOOD_IDS:
        return None
    if not isinstance(value, str):
        return f"{value!r} is not a string"
    if not value:
        return "an id must not be empty"
    if len(value) > MAX_ID_LENGTH:
        return f"{value[:40]!r}... is longer than {MAX_ID_LENGTH} characters"
    if _BAD_ID.search(value):
        return f"{value!r} must not contain spaces or control characters"
    surrogate = surrogate_problem(value)
    if surrogate is not None:
        return surrogate
    if not value.isascii():
        lookalike = _lookalike_problem(value)
        if lookalike is not None:
            return lookalike
    if type(value) is str and len(_GOOD_IDS) < _GOOD_IDS_LIMIT:
        _GOOD_IDS.add(value)  # ids recur in every record that names them
    return None


def _lookalike_problem(value: str) -> str | None:
    """Why `value` could look like another id, or `None`.

    A format character (Unicode category Cf: zero-width spaces and joiners,
    direction marks, overrides and isolates, the byte-order mark) does not show
    or reorders what is around it, and a string not in normal form NFC shows
    like its NFC form: either way two ids that look the same would differ.
    """
    for index, char in enumerate(value):
        if unicodedata.category(char) == "Cf":
            name = unicodedata.name(char, "")
            code = f"U+{ord(char):04X} {name}".rstrip()
            return (
                f"{value!r} holds the format character {code} (at index {index}), "
                "which is invisible or reorders text"
            )
    if not unicodedata.is_normalized("NFC", value):
        nfc = unicodedata.normalize("NFC", value)
        return (
            f"{value!r} is not in Unicode normal form NFC; write it as {nfc!r} "
            f"({len(nfc)} characters, not {len(value)}): ids are compared exactly, "
            "so they are refused, not changed"
        )
    return None


def surrogate_problem(value: str) -> str | None:
    """Why `value` cannot be saved, or `None`: UTF-8 cannot encode a surrogate.

    Surrogates (`'\\ud800'` to `'\\udfff'`) are halves of UTF-16 pairs; in a
    Python string they come from decoding with `surrogateescape` or from a
    JSON `\\ud800` escape, and no document can hold them.
    """
    found = _SURROGATE.search(value)
    if found is None:
        return None
    shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}..."
    return (
        f"{shown} holds the surrogate {found.group()!r} (at index {found.start()}), "
        "which UTF-8 cannot encode"
    )


_GOOD_IDS: set[str] = set()
_GOOD_IDS_LIMIT = 100_000


def _valid_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = id_problem(value)
    if problem is not None:
        raise fail(attribute.name, problem)


def _valid_optional_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _valid_id(_, attribute, value)


def _valid_ids(_: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    items = sorted(value, key=repr) if isinstance(value, frozenset) else value
    problems = []
    for i, item in enumerate(items):
        problem = id_problem(item)
        if problem is not None:
            where = attribute.name if isinstance(value, frozenset) else f"{attribute.name}[{i}]"
            problems.append((where, problem))
    if problems:
        raise PlanValidationError(problems)


def _valid_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise fail(attribute.name, f"{value!r} is not a string")
    if not value.strip():
        raise fail(attribute.name, f"{value!r} is blank")
    surrogate = surrogate_problem(value)
    if surrogate is not None:
        raise fail(attribute.name, surrogate)


def _valid_optional_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _valid_text(_, attribute, value)


def _valid_strings(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    problems = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problem: str | None = f"{item!r} is not a non-blank string"
        else:
            problem = surrogate_problem(item)
        if problem is not None:
            problems.append((f"{attribute.name}[{i}]", problem))
    if problems:
        raise PlanValidationError(problems)


def _items_of(*classes: type) -> Any:
    names = " or ".join(c.__name__ for c in classes)

    def check(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        problems = [
            (f"{attribute.name}[{i}]", f"{item!r} is not a {names}")
            for i, item in enumerate(value)
            if not isinstance(item, classes)
        ]
        if problems:
            raise PlanValidationError(problems)

    return check


def _instance_of(cls: type, *, optional: bool = False) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, cls):
            raise fail(attribute.name, f"{value!r} is not a {cls.__name__}")

    return check


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, str | bytes | Mapping):
        raise fail("", f"{value!r} is not a list")
    return tuple(value)


def _as_id_set(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str | bytes | Mapping):
        raise fail("", f"{value!r} is not a set of ids")
    return frozenset(value)


def as_number(value: float | int | Decimal) -> float:
    """Coerce an `int`, `float` or `Decimal` (not a `bool`) to `float`.

    NaN and infinities pass, for the fields' validators to refuse.

    Raises:
        PlanValidationError: for other types, a signalling NaN, and a finite
            `int` or `Decimal` beyond the largest float.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise fail("", f"{value!r} is not a number")
    if isinstance(value, Decimal) and value.is_snan():
        raise fail("", f"{value!r} is not a number")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the largest float
        number = math.inf
    infinite = isinstance(value, float) or (isinstance(value, Decimal) and value.is_infinite())
    if math.isinf(number) and not infinite:
        shown = number_repr(value)
        raise fail("", f"{shown} is beyond the largest float ({sys.float_info.max!r})")
    return number


def _valid_weight(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not math.isfinite(value):
        raise fail(attribute.name, f"{value!r} is not a finite number")
    if value < 0:
        raise fail(attribute.name, f"{value!r} is negative")


def _as_text(value: Text | str) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text.of(value)
    raise fail("", f"{value!r} is not a text")


# -- small value classes ---------------------------------------------------------------


@named_problems
@attrs.frozen
class Text:
    """Text in Chinese and/or English; at least one must be given.

    >>> str(Text(zh="北京", en="Beijing"))
    '北京'
    >>> Text(zh="北京", en="Beijing").get("en")
    'Beijing'
    """

    zh: str | None = attrs.field(default=None, validator=_valid_optional_text)
    en: str | None = attrs.field(default=None, validator=_valid_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.zh is None and self.en is None:
            raise fail("", "a text needs Chinese (zh) or English (en)")

    def __str__(self) -> str:
        return self.get()

    def get(self, lang: str = "zh") -> str:
        """The text in `lang` (`"zh"` or `"en"`), falling back to the other."""
        first, second = (self.en, self.zh) if lang == "en" else (self.zh, self.en)
        return first if first is not None else second  # type: ignore[return-value]

    @classmethod
    def of(cls, value: str) -> Text:
        """A text from a plain string: Chinese if it has a CJK character, else English."""
        if has_cjk(value):
            return cls(zh=value)
        return cls(en=value)


@named_problems
@attrs.frozen
class Source:
    """Where a fact comes from: a citation, an optional URL and date.

    Attributes:
        title: The citation (publisher, title).
        url: Address of the page, if any.
        published: Date of publication, if known.
        note: Caveats (an aggregator, a mirror, a broader count).
    """

    title: str = attrs.field(validator=_valid_text)
    url: str | None = attrs.field(default=None, validator=_valid_optional_text)
    published: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date)
    note: str | None = attrs.field(default=None, validator=_valid_optional_text)


@named_problems
@attrs.frozen
class Baseline:
    """The value a target starts from, and when it was measured."""

    value: Quantity = attrs.field(validator=_instance_of(Quantity))
    on: pendulum.Date = attrs.field(converter=as_date)


def _as_point(value: TrajectoryPoint | tuple[DateLike, float]) -> TrajectoryPoint:
    if isinstance(value, TrajectoryPoint):
        return value
    if isinstance(value, tuple | list) and len(value) == 2:
        return TrajectoryPoint(value[0], value[1])
    raise fail("", f"{value!r} is not a (date, fraction) point")


def _as_trajectory(
    value: Iterable[TrajectoryPoint | tuple[DateLike, float]],
) -> tuple[TrajectoryPoint, ...]:
    points = []
    for i, point in enumerate(_as_tuple(value)):
        try:
            points.append(_as_point(point))
        except PlanValidationError as error:
            raise error.prefixed(f"[{i}]") from None
    return tuple(points)


def _valid_trajectory(
    _: object, attribute: attrs.Attribute[Any], value: tuple[TrajectoryPoint, ...]
) -> None:
    problems = [
        (f"{attribute.name}[{i}].on", f"{b.on} does not come after {a.on}")
        for i, (a, b) in enumerate(itertools.pairwise(value), start=1)
        if b.on <= a.on
    ]
    if problems:
        raise PlanValidationError(problems)


def _valid_fraction(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0.0 <= value <= 1.0:  # also refuses NaN
        raise fail(attribute.name, f"{value!r} is not between 0 and 1")


@named_problems
@attrs.frozen
class TrajectoryPoint:
    """A planned point of progress: by `on`, `fraction` of the work is expected done."""

    on: pendulum.Date = attrs.field(converter=as_date)
    fraction: float = attrs.field(converter=as_number, validator=_valid_fraction)


class Comparator(enum.Enum):
    """How a target's value is to be met."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EXACTLY = "exactly"
    BETWEEN = "between"


class Aggregation(enum.Enum):
    """How the observations of a target combine into its current value.

    `SUM` treats observations as increments; the others treat them as levels.
    """

    LAST = "last"
    SUM = "sum"
    MAX = "max"
    MIN = "min"
    MEAN = "mean"


def _as_comparator(value: Comparator | str) -> Comparator:
    return as_enum(Comparator, value, "comparator")


def _as_aggregation(value: Aggregation | str) -> Aggregation:
    return as_enum(Aggregation, value, "aggregation")


_E = TypeVar("_E", bound=enum.Enum)


def as_enum(cls: type[_E], value: _E | str, path: str = "") -> _E:
    """Coerce an enum member or its value, with an error listing the valid values."""
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except (ValueError, TypeError):
        valid = ", ".join(repr(m.value) for m in cls)
        raise fail(path, f"{value!r} is not one of {valid}") from None


@named_problems
@attrs.frozen
class Theme:
    """A classification of measures, tasks and policies; themes may nest."""

    id: str = attrs.field(validator=_valid_id)
    title: Text = attrs.field(converter=_as_text)
    parent: str | None = attrs.field(default=None, validator=_valid_optional_id)

    def __attrs_post_init__(self) -> None:
        if self.parent == self.id:
            raise fail("parent", f"theme {self.id!r} is its own ancestor ({self.id} -> {self.id})")


@named_problems
@attrs.frozen
class Target:
    """A quantitative goal, such as "attract at least 60 companies".

    Attributes:
        comparator: How `value` is to be met.
        value: The goal (the lower bound for `between`).
        upper: The upper bound; required for `between`, refused otherwise.
        baseline: Where the measure started; attainment counts from it.
        deadline: When the goal is due (defaults to the plan's end).
        aggregation: How observations combine; `sum` adds increments.
        weight: Share in roll-ups, zero or more.
        trajectory: Planned `(date, fraction)` points of expected progress.

    >>> target = Target("t", "Companies", "at_least", Quantity(60, "家"))
    >>> target.attainment(Quantity(45, "count"))
    0.75
    """

    id: str = attrs.field(validator=_valid_id)
    title: Text = attrs.field(converter=_as_text)
    comparator: Comparator = attrs.field(converter=_as_comparator)
    value: Quantity = attrs.field(validator=_instance_of(Quantity))
    upper: Quantity | None = attrs.field(
        default=None, kw_only=True, validator=_instance_of(Quantity, optional=True)
    )
    baseline: Baseline | None = attrs.field(
        default=None, kw_only=True, validator=_instance_of(Baseline, optional=True)
    )
    deadline: pendulum.Date | None = attrs.field(
        default=None, converter=as_optional_date, kw_only=True
    )
    aggregation: Aggregation = attrs.field(
        default=Aggregation.LAST, converter=_as_aggregation, kw_only=True
    )
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=_valid_weight, kw_only=True
    )
    trajectory: tuple[TrajectoryPoint, ...] = attrs.field(
        default=(), converter=_as_trajectory, validator=_valid_trajectory, kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Source), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        dimension = self.value.dimension
        if self.comparator is Comparator.BETWEEN:
            if self.upper is None:
                problems.append(("upper", "a 'between' target needs an upper bound"))
        elif self.upper is not None:
            problems.append(
                (
                    "upper",
                    f"only a 'between' target takes an upper bound, not {self.comparator.value!r}",
                )
            )
        for name, quantity in (
            ("upper", self.upper),
            ("baseline.value", self.baseline.value if self.baseline else None),
        ):
            if quantity is not None and quantity.dimension != dimension:
                problems.append(
                    (
                        name,
                        f"unit {quantity.unit!r} does not measure {dimension} "
                        f"like {self.value.unit!r}",
                    )
                )
        if (
            not problems
            and self.upper is not None
            and self.upper.to(self.value.unit).value < self.value.value
        ):
            problems.append(("upper", f"{self.upper} is below the lower bound {self.value}"))
        if problems:
            raise PlanValidationError(problems)

    def _level(self, quantity: Quantity) -> Decimal:
        return quantity.to(self.value.unit).value

    def ratio(self, current: Quantity) -> float:
        """The unclamped attainment: above 1 is over-achievement, below 0 is movement away.

        Raises:
            UnitError: if `current` is not of the target's dimension.
        """
        c, t = self._level(current), self.value.value
        b = None if self.baseline is None else self._level(self.baseline.value)
        if self.comparator is Comparator.AT_LEAST:
            if b is not None and t > b:
                return float((c - b) / (t - b))
            if t > 0:
                return float(c / t)
            return 1.0 if c >= t else 0.0
        if self.comparator is Comparator.AT_MOST:
            if b is not None and b > t:
                return float((b - c) / (b - t))
            return 1.0 if c <= t else 0.0
        return 1.0 if self.met(current) else 0.0

    def attainment(self, current: Quantity) -> float:
        """How much of the target `current` attains, clamped to [0, 1]."""
        return min(1.0, max(0.0, self.ratio(current)))

    def met(self, current: Quantity) -> bool:
        """Whether `current` meets the comparator itself."""
        c, t = self._level(current), self.value.value
        if self.comparator is Comparator.AT_LEAST:
            return c >= t
        if self.comparator is Comparator.AT_MOST:
            return c <= t
        if self.comparator is Comparator.EXACTLY:
            return c == t
        assert self.upper is not None
        return t <= c <= self._level(self.upper)


@named_problems
@attrs.frozen
class Milestone:
    """A yes/no step of a task; it counts 1 once done, else 0."""

    id: str = attrs.field(validator=_valid_id)
    title: Text = attrs.field(converter=_as_text)
    due: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date, kw_only=True)
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=_valid_weight, kw_only=True
    )


def _check_dates(start: pendulum.Date | None, due: pendulum.Date | None) -> None:
    if start is not None and due is not None and start > due:
        raise fail("start", f"start {start} is after due {due}")


@named_problems
@attrs.frozen
class Task:
    """A key task (重点任务) of a measure.

    Attributes:
        themes: Ids of the plan's themes it belongs to (its measure's are added).
        lead: Lead units (牵头单位).
        partners: Partner units (配合单位).
        start, due: Its schedule; each defaults to the plan's.
        targets, milestones: What measures its progress.
        trajectory: Planned `(date, fraction)` points of expected progress.
    """

    id: str = attrs.field(validator=_valid_id)
    title: Text = attrs.field(converter=_as_text)
    themes: frozenset[str] = attrs.field(
        default=frozenset(), converter=_as_id_set, validator=_valid_ids, kw_only=True
    )
    lead: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_valid_strings, kw_only=True
    )
    partners: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_valid_strings, kw_only=True
    )
    start: pendulum.Date | None = attrs.field(
        default=None, converter=as_optional_date, kw_only=True
    )
    due: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date, kw_only=True)
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=_valid_weight, kw_only=True
    )
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Target), kw_only=True
    )
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Milestone), kw_only=True
    )
    trajectory: tuple[TrajectoryPoint, ...] = attrs.field(
        default=(), converter=_as_trajectory, validator=_valid_trajectory, kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Source), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_dates(self.start, self.due)


#: Largest whole number a field holds (`2**53 - 1`): every format reads and
#: writes it exactly, JSON readers that use doubles included, and orjson and
#: TOML, which stop at 64 bits.
MAX_WHOLE = 2**53 - 1


def whole_number_problem(value: object, least: int) -> str | None:
    """Why `value` is not a whole number from `least` to `MAX_WHOLE`, or `None`.

    A `Decimal` beyond `MAX_WHOLE` is called too large rather than not whole:
    the readers make one of an integer too long for Python's `int`.
    """
    kind = type(value)
    if (kind is int or (kind is Decimal and value.is_finite())) and value > MAX_WHOLE:  # type: ignore[attr-defined, operator]
        shown = number_repr(value)
        return (
            f"{shown} is more than {MAX_WHOLE}, the largest whole number every format holds exactly"
        )
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        return f"{number_repr(value)} is not a whole number of {least} or more"
    return None


def _valid_number(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = whole_number_problem(value, 1)
    if problem is not None:
        raise fail(attribute.name, problem)


@named_problems
@attrs.frozen
class Measure:
    """A major measure (重大举措): a numbered group of tasks and targets."""

    id: str = attrs.field(validator=_valid_id)
    number: int = attrs.field(validator=_valid_number)
    title: Text = attrs.field(converter=_as_text)
    themes: frozenset[str] = attrs.field(
        default=frozenset(), converter=_as_id_set, validator=_valid_ids, kw_only=True
    )
    lead: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_valid_strings, kw_only=True
    )
    tasks: tuple[Task, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Task), kw_only=True
    )
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Target), kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Source), kw_only=True
    )


@named_problems
@attrs.frozen
class Policy:
    """A policy to be introduced; once issued its status is `done`.

    Attributes:
        measures: Ids of the measures it serves; it counts in each one's roll-up.
    """

    id: str = attrs.field(validator=_valid_id)
    title: Text = attrs.field(converter=_as_text)
    themes: frozenset[str] = attrs.field(
        default=frozenset(), converter=_as_id_set, validator=_valid_ids, kw_only=True
    )
    measures: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_valid_ids, kw_only=True
    )
    issuer: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_text)
    due: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date, kw_only=True)
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=_valid_weight, kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Source), kw_only=True
    )


def _valid_count(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = None if value is None else whole_number_problem(value, 0)
    if problem is not None:
        raise fail(attribute.name, problem)


@named_problems
@attrs.frozen
class Declared:
    """How many items the plan declares, when only part of it is encoded."""

    measures: int | None = attrs.field(default=None, validator=_valid_count)
    tasks: int | None = attrs.field(default=None, validator=_valid_count)
    policies: int | None = attrs.field(default=None, validator=_valid_count)


def _as_declared(value: Declared | Mapping[str, int] | None) -> Declared | None:
    if value is None or isinstance(value, Declared):
        return value
    if isinstance(value, Mapping):
        return Declared(**value)
    raise fail("", f"{value!r} is not a Declared")


#: Anything that has an id in a plan.
Item: TypeAlias = Theme | Measure | Task | Target | Milestone | Policy


@named_problems
@attrs.frozen
class Plan:
    """A whole plan: themes, measures with their tasks, and policies.

    Ids are unique across the whole plan (the plan's own included), every theme,
    parent and measure reference resolves, themes form a tree at most
    `MAX_THEME_DEPTH` (64) levels deep (a theme without a parent is at level 1,
    which bounds the cost of roll-ups by theme and the indentation of reports),
    a cycle of themes is named once, measure numbers
    are unique, declared counts are not below what is encoded, and the weights
    of its leaves (tasks, policies, measures' targets), and those of each task's
    targets and milestones, add up to no more than the largest float, so that
    every roll-up is computed with finite sums.

    `plan[id]` finds any item; `plan.measure_of(task_id)` and
    `plan.parent_of(id)` give where an item sits.
    """

    id: str = attrs.field(validator=_valid_id)
    title: Text = attrs.field(converter=_as_text)
    start: pendulum.Date = attrs.field(converter=as_date, kw_only=True)
    end: pendulum.Date = attrs.field(converter=as_date, kw_only=True)
    issuer: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_text)
    published: pendulum.Date | None = attrs.field(
        default=None, converter=as_optional_date, kw_only=True
    )
    themes: tuple[Theme, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Theme), kw_only=True
    )
    measures: tuple[Measure, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Measure), kw_only=True
    )
    policies: tuple[Policy, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Policy), kw_only=True
    )
    declared: Declared | None = attrs.field(default=None, converter=_as_declared, kw_only=True)
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_items_of(Source), kw_only=True
    )
    _index: Mapping[str, Item] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _parents: Mapping[str, str] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if self.start > self.end:
            problems.append(("start", f"start {self.start} is after end {self.end}"))
        problems.extend(plan_problems(self))
        if problems:
            raise PlanValidationError(problems)
        self._build_index()

    def __getstate__(self) -> dict[str, object]:
        """The fields, without the index (rebuilt on unpickling: a mapping proxy cannot pickle)."""
        return {field.name: getattr(self, field.name) for field in attrs.fields(Plan) if field.init}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self._build_index()

    def _build_index(self) -> None:
        """Index every item by id, and each item of a measure or task by its holder's id."""
        index: dict[str, Item] = {}
        parents: dict[str, str] = {}
        for theme in self.themes:
            index[theme.id] = theme
        for measure in self.measures:
            index[measure.id] = measure
            for target in measure.targets:
                index[target.id] = target
                parents[target.id] = measure.id
            for task in measure.tasks:
                index[task.id] = task
                parents[task.id] = measure.id
                for task_target in task.targets:
                    index[task_target.id] = task_target
                    parents[task_target.id] = task.id
                for milestone in task.milestones:
                    index[milestone.id] = milestone
                    parents[milestone.id] = task.id
        for policy in self.policies:
            index[policy.id] = policy
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_parents", MappingProxyType(parents))

    def __repr__(self) -> str:
        from .display import plan_repr  # noqa: PLC0415 (presentation loads on first use)

        return plan_repr(self)

    def __str__(self) -> str:
        from .display import plan_str  # noqa: PLC0415 (presentation loads on first use)

        return plan_str(self)

    def _repr_html_(self) -> str:
        from .display import plan_html  # noqa: PLC0415 (presentation loads on first use)

        return plan_html(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per leaf (the `pandas` extra): tasks, policies and measure targets."""
        from .frames import plan_frame  # noqa: PLC0415 (presentation loads on first use)

        return plan_frame(self, backend="pandas")

    def to_polars(self) -> pl.DataFrame:
        """One row per leaf, as [`to_pandas`][beijing_plan.model.Plan.to_pandas], in polars (the
        `polars` extra)."""
        from .frames import plan_frame  # noqa: PLC0415 (presentation loads on first use)

        return plan_frame(self, backend="polars")

    def __getitem__(self, item_id: str) -> Item:
        return self._index[item_id]

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._index

    def get(self, item_id: str) -> Item | None:
        """The item with that id, or `None`."""
        return self._index.get(item_id)

    @property
    def ids(self) -> frozenset[str]:
        """Every id in the plan except the plan's own."""
        return frozenset(self._index)

    def parent_of(self, item_id: str) -> str | None:
        """The id of the measure or task that holds an item, or `None` at the top."""
        if item_id not in self._index:
            raise KeyError(item_id)
        return self._parents.get(item_id)

    def measure_of(self, item_id: str) -> str | None:
        """The id of the measure an item sits in (`None` for policies and themes)."""
        current: str | None = self.parent_of(item_id)
        while current is not None and not isinstance(self._index[current], Measure):
            current = self._parents.get(current)
        return current

    def tasks(self) -> Iterator[Task]:
        """Every task, measure by measure."""
        for measure in self.measures:
            yield from measure.tasks

    def targets(self) -> Iterator[Target]:
        """Every target: each measure's own, then its tasks'."""
        for measure in self.measures:
            yield from measure.targets
            for task in measure.tasks:
                yield from task.targets

    def milestones(self) -> Iterator[Milestone]:
        """Every milestone of every task."""
        for task in self.tasks():
            yield from task.milestones

    def theme_ancestors(self, theme_id: str) -> tuple[str, ...]:
        """The theme's parents, nearest first."""
        chain: list[str] = []
        node = self._index[theme_id]
        assert isinstance(node, Theme)
        while node.parent is not None:
            chain.append(node.parent)
            parent = self._index[node.parent]
            assert isinstance(parent, Theme)
            node = parent
        return tuple(chain)
