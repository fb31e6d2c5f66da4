"""The progress ledger: what happened, kept apart from what was planned.

A [`Ledger`][beijing_plan.ledger.Ledger] is an immutable, append-only sequence of dated records. Two
kinds are enough: an [`Observation`][beijing_plan.ledger.Observation] measures a target, a
[`StatusChange`][beijing_plan.ledger.StatusChange] moves a task, policy or milestone to a new
status. Nothing is overwritten: a correction is a later record. Among the records for one item,
the latest date wins, and on the same date the record later in the ledger wins.

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

from ._dates import DateLike, as_date
from ._errors import misuse
from ._fields import named_problems
from ._validators import as_enum, as_number, id_problem, surrogate_problem
from .exceptions import PlanValidationError, UnknownReferenceError
from .model import (
    Milestone,
    Plan,
    Policy,
    Source,
    Target,
    Task,
)
from .units import Quantity, get_unit

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["Ledger", "Observation", "Record", "Status", "StatusChange"]


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


def _valid_source(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Source):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a Source")])


def _valid_quantity(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Quantity):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a Quantity")])


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
    the level reached.
    """

    target: str = attrs.field(validator=_valid_ref)
    on: pendulum.Date = attrs.field(converter=as_date)
    value: Quantity = attrs.field(validator=_valid_quantity)
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_valid_source)
    note: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)

    @property
    def item(self) -> str:
        """The id the record is about (the target)."""
        return self.target


@named_problems
@attrs.frozen
class StatusChange:
    """A task, policy or milestone moved to `status` on a day.

    `percent` (0 to 100) is an optional reported share of completion.
    """

    item: str = attrs.field(validator=_valid_ref)
    on: pendulum.Date = attrs.field(converter=as_date)
    status: Status = attrs.field(converter=_as_status)
    percent: float | None = attrs.field(
        default=None, kw_only=True, converter=_as_percent, validator=_valid_percent
    )
    source: Source | None = attrs.field(default=None, kw_only=True, validator=_valid_source)
    note: str | None = attrs.field(default=None, kw_only=True, validator=_valid_note)


#: A ledger record.
Record: TypeAlias = Observation | StatusChange


def _as_records(value: Iterable[Record]) -> tuple[Record, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise misuse("records", "an iterable of records", value)
    return tuple(value)


def _valid_records(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    problems = [
        (f"records[{i}]", f"{record!r} is not an Observation or a StatusChange")
        for i, record in enumerate(value)
        if not isinstance(record, Observation | StatusChange)
    ]
    if problems:
        raise PlanValidationError(problems)


def _ordinal(record: Record) -> int:
    return record.on.toordinal()


@named_problems
@attrs.frozen
class Ledger:
    """An immutable, append-only sequence of dated records.

    Iterating yields the records in the order they were appended; `len` counts
    them. `append` and `extend` return a new ledger.
    """

    records: tuple[Record, ...] = attrs.field(
        default=(), converter=_as_records, validator=_valid_records
    )
    _by_item: dict[str, tuple[Record, ...]] | None = attrs.field(
        init=False, default=None, repr=False, eq=False, hash=False
    )

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

    def by_item(self) -> Mapping[str, tuple[Record, ...]]:
        """Records grouped by the id they name, each group oldest first.

        Within a group, records are ordered by date, and records of the same date
        keep their ledger order, so the last of a group is the one that wins.
        """
        cached = self._by_item
        if cached is None:
            groups: dict[str, list[Record]] = {}
            for record in self.records:
                key = record.target if type(record) is Observation else record.item
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

    def until(self, as_of: DateLike) -> Ledger:
        """The records dated on or before `as_of`, in ledger order."""
        limit = as_date(as_of).toordinal()
        return Ledger(tuple(r for r in self.records if r.on.toordinal() <= limit))

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


def reference_problems(records: Iterable[object], plan: Plan) -> list[tuple[str, str]]:
    """Records that name an id the plan does not have, the wrong kind of item, or a unit
    of another dimension than their target's, as `(path, message)`.

    `records` may hold records or record documents (mappings with a `kind`),
    so that a ledger document that does not build is still checked against its
    plan; whatever in a document is malformed is skipped here (the converter
    reports it).
    """
    problems: list[tuple[str, str]] = []
    for i, record in enumerate(records):
        problem = _reference_problem(record, plan)
        if problem is not None:
            problems.append((f"records[{i}].{problem[0]}", problem[1]))
    return problems


def _reference_of(record: object) -> tuple[str, object, object] | None:
    """The field naming the item, the id it names and the unit of a record or its document."""
    if type(record) is Observation:
        return "target", record.target, record.value.unit
    if type(record) is StatusChange:
        return "item", record.item, None
    if isinstance(record, Mapping):
        kind = record.get("kind")
        if kind == "observation":
            value = record.get("value")
            return (
                "target",
                record.get("target"),
                value.get("unit") if isinstance(value, Mapping) else None,
            )
        if kind == "status":
            return "item", record.get("item"), None
    return None


def _dimension(unit: object) -> tuple[str, str] | None:
    """The canonical name and the dimension of a unit, or `None` for no known unit."""
    if not isinstance(unit, str):
        return None
    try:
        found = get_unit(unit)
    except PlanValidationError:
        return None
    return found.name, found.dimension


def _reference_problem(record: object, plan: Plan) -> tuple[str, str] | None:
    reference = _reference_of(record)
    if reference is None:
        return None
    field, item_id, unit = reference
    if not isinstance(item_id, str) or id_problem(item_id) is not None:
        return None  # a malformed id is reported where the record is read
    node = plan.get(item_id)
    if node is None:
        return field, f"{item_id!r} is not an id of the plan"
    if field == "target":
        if not isinstance(node, Target):
            return field, f"{item_id!r} is a {type(node).__name__}, not a Target"
        dimension = _dimension(unit)
        if dimension is not None and dimension[1] != node.value.dimension:
            return "value", (
                f"unit {dimension[0]!r} does not measure {node.value.dimension} "
                f"like the target's unit {node.value.unit!r}"
            )
        return None
    if not isinstance(node, Task | Policy | Milestone):
        return field, (
            f"{item_id!r} is a {type(node).__name__}; "
            "status changes are for tasks, policies and milestones"
        )
    return None
