"""The small values a plan's items hold: texts, sources, baselines, trajectory points,
reporting cadences, and the counts a plan declares.

Also the two enums of a target, [`Comparator`][beijing_plan.model.Comparator] and
[`Aggregation`][beijing_plan.model.Aggregation], and the converters that make these
values from plain strings, tuples and enum values. The classes are part of the
model and are imported from [`beijing_plan.model`][beijing_plan.model]; they sit
here, below the classes that hold them, so that the model's module holds the
plan's items.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from ._dates import DateLike, as_date, as_optional_date
from ._errors import fail
from ._fields import named_problems
from ._validators import (
    as_enum,
    as_number,
    as_tuple,
    instance_of,
    valid_count,
    valid_fraction,
    valid_optional_text,
    valid_text,
)
from ._words import has_cjk
from .exceptions import PlanValidationError
from .units import Quantity

__all__ = [
    "Aggregation",
    "Baseline",
    "Cadence",
    "Comparator",
    "Declared",
    "Source",
    "Text",
    "TrajectoryPoint",
    "as_aggregation",
    "as_comparator",
    "as_declared",
    "as_text",
    "as_trajectory",
]


def as_text(value: Text | str) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text.of(value)
    raise fail("", f"{value!r} is not a text")


@named_problems
@attrs.frozen
class Text:
    """Text in Chinese and/or English; at least one must be given.

    >>> str(Text(zh="北京", en="Beijing"))
    '北京'
    >>> Text(zh="北京", en="Beijing").get("en")
    'Beijing'
    """

    zh: str | None = attrs.field(default=None, validator=valid_optional_text)
    en: str | None = attrs.field(default=None, validator=valid_optional_text)

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

    title: str = attrs.field(validator=valid_text)
    url: str | None = attrs.field(default=None, validator=valid_optional_text)
    published: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date)
    note: str | None = attrs.field(default=None, validator=valid_optional_text)


@named_problems
@attrs.frozen
class Baseline:
    """The value a target starts from, and when it was measured."""

    value: Quantity = attrs.field(validator=instance_of(Quantity))
    on: pendulum.Date = attrs.field(converter=as_date)


def _as_point(value: TrajectoryPoint | tuple[DateLike, float]) -> TrajectoryPoint:
    if isinstance(value, TrajectoryPoint):
        return value
    if isinstance(value, tuple | list) and len(value) == 2:
        return TrajectoryPoint(value[0], value[1])
    raise fail("", f"{value!r} is not a (date, fraction) point")


def as_trajectory(
    value: Iterable[TrajectoryPoint | tuple[DateLike, float]],
) -> tuple[TrajectoryPoint, ...]:
    points = []
    for i, point in enumerate(as_tuple(value)):
        try:
            points.append(_as_point(point))
        except PlanValidationError as error:
            raise error.prefixed(f"[{i}]") from None
    return tuple(points)


@named_problems
@attrs.frozen
class TrajectoryPoint:
    """A planned point of progress: by `on`, `fraction` of the work is expected done."""

    on: pendulum.Date = attrs.field(converter=as_date)
    fraction: float = attrs.field(converter=as_number, validator=valid_fraction)


class Comparator(enum.StrEnum):
    """How a target's value is to be met."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EXACTLY = "exactly"
    BETWEEN = "between"


class Aggregation(enum.StrEnum):
    """How the observations of a target combine into its current value.

    `SUM` treats observations as increments; the others treat them as levels.
    """

    LAST = "last"
    SUM = "sum"
    MAX = "max"
    MIN = "min"
    MEAN = "mean"


def as_comparator(value: Comparator | str) -> Comparator:
    return as_enum(Comparator, value, "comparator")


def as_aggregation(value: Aggregation | str) -> Aggregation:
    return as_enum(Aggregation, value, "aggregation")


#: The periods a reporting cadence may have, shortest first.
CADENCE_PERIODS = ("month", "quarter")

#: The most days after a period's end that a report may be allowed to take.
MAX_DUE_DAYS = 366


def _valid_every(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in CADENCE_PERIODS:
        raise fail(attribute.name, f"{value!r} is not one of 'month', 'quarter'")


def _valid_due_days(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int:
        raise fail(attribute.name, f"{value!r} is not a whole number")
    if not 0 <= value <= MAX_DUE_DAYS:
        raise fail(attribute.name, f"{value!r} is not between 0 and {MAX_DUE_DAYS}")


@named_problems
@attrs.frozen
class Cadence:
    """How often a leaf reports: one report per calendar month or quarter.

    The report for a period is due `due_days` days after the period ends.

    >>> Cadence("quarter", due_days=10)
    Cadence(every='quarter', due_days=10)
    """

    every: str = attrs.field(default="month", validator=_valid_every)
    due_days: int = attrs.field(default=0, validator=_valid_due_days)


@named_problems
@attrs.frozen
class Declared:
    """How many items the plan declares, when only part of it is encoded."""

    measures: int | None = attrs.field(default=None, validator=valid_count)
    tasks: int | None = attrs.field(default=None, validator=valid_count)
    policies: int | None = attrs.field(default=None, validator=valid_count)


def as_declared(value: Declared | Mapping[str, int] | None) -> Declared | None:
    """`value` as [`Declared`][beijing_plan.model.Declared] (a mapping of its counts)."""
    if value is None or isinstance(value, Declared):
        return value
    if isinstance(value, Mapping):
        return Declared(**value)
    raise fail("", f"{value!r} is not a Declared")
