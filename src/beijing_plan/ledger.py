"""The progress ledger: what happened, kept apart from what was planned.

A [`Ledger`][beijing_plan.ledger.Ledger] is an immutable, append-only sequence of dated records.
Two kinds carry progress: an [`Observation`][beijing_plan.ledger.Observation] measures a target, a
[`StatusChange`][beijing_plan.ledger.StatusChange] moves a task, policy or milestone to a new
status. A [`Revision`][beijing_plan.ledger.Revision] changes the plan from a date on (an extended
deadline, an adjusted target), and a [`Withdrawal`][beijing_plan.ledger.Withdrawal] takes a record
back. Among the records for one item, the latest date wins, and on the same date the record later
in the ledger wins.

Nothing is overwritten. A record has two dates: `on`, the day it describes, and `recorded`, the day
it was entered (the same day when `None`). A record with an `id` can be corrected by a later one
that `supersedes` it; [`Ledger.known_at`][beijing_plan.ledger.Ledger.known_at] gives the records
as they were known on a day, so that an old report can be made again exactly.

>>> ledger = Ledger().append(StatusChange("t1", "2025-03-01", "in_progress", percent=40))
>>> ledger = ledger.append(StatusChange("t1", "2025-06-01", "done"))
>>> ledger.latest_status("t1", as_of="2025-04-01").percent
40.0
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import attrs
import pendulum

from ._corrections import known_records, link_problems
from ._dates import DateLike, as_date, as_optional_date
from ._errors import fail, misuse
from ._fields import named_problems
from ._references import reference_problems
from ._validators import (
    as_enum,
    as_number,
    as_tuple,
    id_problem,
    surrogate_problem,
    valid_strings,
    valid_weight,
)
from .exceptions import PlanValidationError, UnknownReferenceError
from .model import (
    Plan,
    Source,
)
from .units import Quantity

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["Ledger", "Observation", "Record", "Revision", "Status", "StatusChange", "Withdrawal"]


class Status(enum.StrEnum):
    """The status of a task, policy or milestone."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


def _valid_ref(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = id_problem(value)
    if problem is not None:
        raise PlanValidationError([(attribute.name, problem)])


def _valid_note(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a string")])
    surrogate = surrogate_problem(value)
    if surrogate is not None:
        raise PlanValidationError([(attribute.name, surrogate)])


def _valid_optional_ref(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _valid_ref(instance, attribute, value)


def _valid_source(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Source):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a Source")])


def _valid_quantity(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Quantity):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a Quantity")])


def _valid_optional_quantity(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Quantity):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a Quantity")])


def _as_optional_weight(value: float | int | Decimal | None) -> float | None:
    return None if value is None else as_number(value)


def _valid_optional_weight(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        valid_weight(instance, attribute, value)  # type: ignore[arg-type]


def _check_recorded(record: Observation | StatusChange | Revision) -> None:
    """A record cannot be entered before the day it describes."""
    if record.recorded is not None and record.recorded < record.on:
        raise fail("recorded", f"recorded {record.recorded} is before on {record.on}")


def _as_status(value: Status | str) -> Status:
    return as_enum(Status, value, "status")


def _as_percent(value: float | int | Decimal | None) -> float | None:
    return None if value is None else as_number(value)


def _valid_percent(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and 0.0 <= value <= 100.0):
        raise PlanValidationError([(attribute.name, f"{value!r} is not between 0 and 100")])


@named_problems
@attrs.frozen
class Observation:
    """A measured value of a target on a day.

    For a target aggregated by `sum` the value is an increment; otherwise it is
    the level reached. In files the target is named under `item` (`target` is
    read too).

    Attributes:
        recorded: The day the figure was entered (`None`: the day `on`); never before `on`.
        id: Names the record, so that a later one can correct or withdraw it; unique in
            a ledger.
        supersedes: The `id` of the record of the same target that this one corrects.
        reason: Why the correction was made.
    """

    target: str = attrs.field(validator=_valid_ref)
    on: pendulum.Date = attrs.field(converter=as_date)
    value: Quantity = attrs.field(validator=_valid_quantity)
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_valid_source)
    note: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)
    recorded: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=as_optional_date
    )
    id: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_ref)
    supersedes: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_ref)
    reason: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)

    def __attrs_post_init__(self) -> None:
        _check_recorded(self)

    @property
    def item(self) -> str:
        """The id the record is about (the target)."""
        return self.target


@named_problems
@attrs.frozen
class StatusChange:
    """A task, policy or milestone moved to `status` on a day.

    `percent` (0 to 100) is an optional reported share of completion. `recorded`,
    `id`, `supersedes` and `reason` are as for an
    [`Observation`][beijing_plan.ledger.Observation].
    """

    item: str = attrs.field(validator=_valid_ref)
    on: pendulum.Date = attrs.field(converter=as_date)
    status: Status = attrs.field(converter=_as_status)
    percent: float | None = attrs.field(
        default=None, kw_only=True, converter=_as_percent, validator=_valid_percent
    )
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_valid_source)
    note: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)
    recorded: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=as_optional_date
    )
    id: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_ref)
    supersedes: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_ref)
    reason: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)

    def __attrs_post_init__(self) -> None:
        _check_recorded(self)


@named_problems
@attrs.frozen
class Withdrawal:
    """Takes back the record whose `id` is `record`, without a replacement.

    `on` is the day it was withdrawn: from then on the record no longer counts, and
    before then (with `known_at`) it still does.

    >>> Withdrawal("obs-17", "2025-07-02", reason="entered twice").record
    'obs-17'
    """

    record: str = attrs.field(validator=_valid_ref)
    on: pendulum.Date = attrs.field(converter=as_date)
    reason: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_valid_source)
    note: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)
    id: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_ref)


#: The fields a revision may change, in the order they are shown.
REVISED_FIELDS = ("start", "due", "value", "upper", "weight")


@named_problems
@attrs.frozen
class Revision:
    """An approved change to an item of the plan (延期, 调整), in force from `on`.

    Each field given replaces the item's own from `on` on: `start` and `due` its
    schedule (`due` is a target's `deadline`), `value` and `upper` a target's goal,
    `weight` its share in roll-ups. Later revisions win field by field.

    >>> Revision("t1", "2025-05-20", due="2025-12-31", reason="site handed over late")
    ... # doctest: +ELLIPSIS
    Revision(item='t1', on=Date(2025, 5, 20), start=None, due=Date(2025, 12, 31), ...)

    Attributes:
        approved_by: Who approved the change.
    """

    item: str = attrs.field(validator=_valid_ref)
    on: pendulum.Date = attrs.field(converter=as_date)
    start: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=as_optional_date
    )
    due: pendulum.Date | None = attrs.field(default=None, kw_only=True, converter=as_optional_date)
    value: Quantity | None = attrs.field(
        default=None, kw_only=True, validator=_valid_optional_quantity
    )
    upper: Quantity | None = attrs.field(
        default=None, kw_only=True, validator=_valid_optional_quantity
    )
    weight: float | None = attrs.field(
        default=None, kw_only=True, converter=_as_optional_weight, validator=_valid_optional_weight
    )
    reason: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)
    approved_by: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=as_tuple, validator=valid_strings
    )
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_valid_source)
    note: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)
    recorded: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=as_optional_date
    )
    id: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_ref)
    supersedes: str | None = attrs.field(default=None, kw_only=True, validator=_valid_optional_ref)

    def __attrs_post_init__(self) -> None:
        _check_recorded(self)
        if all(getattr(self, name) is None for name in REVISED_FIELDS):
            raise fail("", "a revision changes at least one of start, due, value, upper, weight")
        if self.start is not None and self.due is not None and self.start > self.due:
            raise fail("start", f"start {self.start} is after due {self.due}")
        if self.value is not None and self.upper is not None:
            if self.value.dimension != self.upper.dimension:
                raise fail(
                    "upper",
                    f"unit {self.upper.unit!r} does not measure {self.value.dimension} "
                    f"like the value's unit {self.value.unit!r}",
                )
            if self.upper.to(self.value.unit).value < self.value.value:
                raise fail("upper", f"upper {self.upper} is below value {self.value}")

    def changes(self) -> dict[str, object]:
        """The fields this revision sets, by name, in the order of `REVISED_FIELDS`."""
        return {
            name: getattr(self, name) for name in REVISED_FIELDS if getattr(self, name) is not None
        }


#: A ledger record.
Record: TypeAlias = Observation | StatusChange | Withdrawal | Revision


def _as_records(value: Iterable[Record]) -> tuple[Record, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise misuse("records", "an iterable of records", value)
    return tuple(value)


_RECORD_TYPES = (Observation, StatusChange, Withdrawal, Revision)


def _valid_records(instance: Ledger, _: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    problems = []
    linked = False
    for i, record in enumerate(value):
        if type(record) not in _RECORD_TYPES and not isinstance(record, _RECORD_TYPES):
            problems.append(
                (
                    f"records[{i}]",
                    f"{record!r} is not a record (Observation, StatusChange, Withdrawal, Revision)",
                )
            )
        elif not linked and (
            record.id is not None  # type: ignore[attr-defined]
            or type(record) is Withdrawal
            or record.supersedes is not None  # type: ignore[attr-defined]
        ):
            linked = True
    if problems:
        raise PlanValidationError(problems)
    if linked:
        problems = link_problems(value)
        if problems:
            raise PlanValidationError(problems)
    object.__setattr__(instance, "_linked", linked)


def _ordinal(record: Record) -> int:
    return record.on.toordinal()


@named_problems
@attrs.frozen
class Ledger:
    """An immutable, append-only sequence of dated records.

    Iterating yields the records in the order they were appended; `len` counts
    them. `append` and `extend` return a new ledger.

    Record ids are unique; a record's `supersedes` names a record of the same kind
    and item, a withdrawal's `record` a record that is not a withdrawal; no record is
    corrected or withdrawn twice, and corrections form no cycle. Each problem is
    reported with its record's path.
    """

    records: tuple[Record, ...] = attrs.field(
        default=(), converter=_as_records, validator=_valid_records
    )
    _by_item: dict[str, tuple[Record, ...]] | None = attrs.field(
        init=False, default=None, repr=False, eq=False, hash=False
    )
    _linked: bool = attrs.field(init=False, default=False, repr=False, eq=False, hash=False)
    _revised: bool | None = attrs.field(init=False, default=None, repr=False, eq=False, hash=False)

    @classmethod
    def _checked(cls, records: tuple[Record, ...], *, linked: bool) -> Ledger:
        """A ledger of records already checked (a part of a valid ledger), built without
        checking them again: a part may name, in `supersedes`, a record it left out."""
        ledger = object.__new__(cls)
        object.__setattr__(ledger, "records", records)
        object.__setattr__(ledger, "_by_item", None)
        object.__setattr__(ledger, "_linked", linked)
        object.__setattr__(ledger, "_revised", None)
        return ledger

    def __repr__(self) -> str:
        from .display import ledger_repr  # noqa: PLC0415 (presentation loads on first use)

        return ledger_repr(self)

    def __str__(self) -> str:
        from .display import ledger_str  # noqa: PLC0415 (presentation loads on first use)

        return ledger_str(self)

    def _repr_html_(self) -> str:
        from .display import ledger_html  # noqa: PLC0415 (presentation loads on first use)

        return ledger_html(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per record (the `pandas` extra)."""
        from .frames import ledger_frame  # noqa: PLC0415 (presentation loads on first use)

        return ledger_frame(self, backend="pandas")

    def to_polars(self) -> pl.DataFrame:
        """One row per record, as [`to_pandas`][beijing_plan.ledger.Ledger.to_pandas], in polars
        (the `polars` extra)."""
        from .frames import ledger_frame  # noqa: PLC0415 (presentation loads on first use)

        return ledger_frame(self, backend="polars")

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> Ledger: ...
    def __getitem__(self, index: int | slice) -> Record | Ledger:
        if isinstance(index, slice):
            return Ledger(self.records[index])
        return self.records[index]

    def append(self, record: Record) -> Ledger:
        """A new ledger with `record` after the existing ones."""
        return Ledger((*self.records, record))

    def extend(self, records: Iterable[Record]) -> Ledger:
        """A new ledger with `records` after the existing ones."""
        return Ledger((*self.records, *records))

    def known_at(self, when: DateLike | None = None) -> Ledger:
        """The records that count as known on `when`, in ledger order.

        Records entered after `when` (by `recorded`, or by `on` without one) and
        withdrawals dated after it are left out; so is every record that a record
        entered by then corrects (`supersedes`) or withdraws. Withdrawals are not in
        the result. With `when=None` everything entered counts, so that only the
        corrections and withdrawals apply.

        >>> ledger = Ledger([
        ...     Observation("t", "2025-03-31", Quantity(128, "count"), id="march"),
        ...     Observation("t", "2025-03-31", Quantity(132, "count"), recorded="2025-05-10",
        ...                 supersedes="march", reason="late returns"),
        ... ])
        >>> print(*(r.value.value for r in ledger.known_at("2025-04-30")))
        128
        >>> print(*(r.value.value for r in ledger.known_at(None)))
        132
        """
        limit = None if when is None else as_date(when).toordinal()
        if limit is None and not self._linked:
            return self
        records = known_records(self.records, limit, linked=self._linked)
        if len(records) == len(self.records):
            return self
        return Ledger._checked(records, linked=self._linked)

    def has_revisions(self) -> bool:
        """Whether any record is a [`Revision`][beijing_plan.ledger.Revision] (found once)."""
        found = self._revised
        if found is None:
            found = any(type(record) is Revision for record in self.records)
            object.__setattr__(self, "_revised", found)
        return found

    def by_id(self) -> Mapping[str, Record]:
        """The records that have an `id`, by id."""
        return {r.id: r for r in self.records if r.id is not None}

    def by_item(self) -> Mapping[str, tuple[Record, ...]]:
        """The records that count, grouped by the id of the item they name, each group
        oldest first.

        Superseded and withdrawn records are left out (as by
        [`known_at`][beijing_plan.ledger.Ledger.known_at] with `None`), and so are
        withdrawals. Within a group, records are ordered by date, and records of the
        same date keep their ledger order, so the last of a group is the one that wins.
        """
        cached = self._by_item
        if cached is None:
            groups: dict[str, list[Record]] = {}
            for record in self.known_at(None).records:
                if type(record) is Observation:
                    key = record.target
                elif type(record) is Withdrawal:
                    continue
                else:
                    key = record.item  # type: ignore[union-attr]
                groups.setdefault(key, []).append(record)
            cached = {key: tuple(sorted(group, key=_ordinal)) for key, group in groups.items()}
            object.__setattr__(self, "_by_item", cached)
        return cached

    def for_item(self, item_id: str, *, as_of: DateLike | None = None) -> tuple[Record, ...]:
        """The records naming `item_id` (up to `as_of` when given), oldest first."""
        records = self.by_item().get(item_id, ())
        if as_of is None:
            return records
        limit = as_date(as_of).toordinal()
        return tuple(r for r in records if r.on.toordinal() <= limit)

    def latest_status(self, item_id: str, *, as_of: DateLike | None = None) -> StatusChange | None:
        """The status change of `item_id` that is in force at `as_of`, if any."""
        for record in reversed(self.for_item(item_id, as_of=as_of)):
            if isinstance(record, StatusChange):
                return record
        return None

    def observations(
        self, target_id: str, *, as_of: DateLike | None = None
    ) -> tuple[Observation, ...]:
        """The observations of `target_id` (up to `as_of` when given), oldest first."""
        return tuple(r for r in self.for_item(target_id, as_of=as_of) if isinstance(r, Observation))

    def revisions(self, item_id: str, *, as_of: DateLike | None = None) -> tuple[Revision, ...]:
        """The revisions of `item_id` that count (up to `as_of` when given), oldest first."""
        return tuple(r for r in self.for_item(item_id, as_of=as_of) if isinstance(r, Revision))

    def until(self, as_of: DateLike) -> Ledger:
        """The records dated on or before `as_of`, in ledger order.

        A correction may name a record after `as_of`, which is then not in the result.
        """
        limit = as_date(as_of).toordinal()
        return Ledger._checked(
            tuple(r for r in self.records if r.on.toordinal() <= limit), linked=self._linked
        )

    def check(self, plan: Plan) -> None:
        """Raise if any record names an id the plan does not have, or the wrong kind.

        Observations must name targets; status changes must name tasks, policies or
        milestones.

        Raises:
            UnknownReferenceError: listing every such record, by its index.
        """
        problems = reference_problems(self.records, plan)
        if problems:
            raise UnknownReferenceError(problems)
