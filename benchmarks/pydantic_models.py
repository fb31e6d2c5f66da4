"""pydantic v2 models of a plan and a ledger, with the library's checks, for bench_load.py.

Only the benchmark imports this module, and only when pydantic is installed
(`pip install pydantic`); pydantic is no dependency of the package. The models
read and write the same documents as `beijing_plan.loads` / `dumps` and check
what the library checks on the benchmark's documents:

- ids: a non-empty string of at most 200 characters without whitespace or control
  characters, in Unicode normal form NFC;
- texts: `{zh, en}`, at least one, neither blank;
- dates: ISO `YYYY-MM-DD`;
- quantities: a finite decimal value of bounded size and a known unit (aliases
  written canonically), the units of a target's bounds and baseline of one dimension;
- weights finite and not negative, percentages from 0 to 100, measure numbers whole
  and positive, declared counts not below what is encoded;
- across fields: a target's `between` and its upper bound, a task's start before
  its due day, a record not recorded before its day, a plan's start before its end;
- across the plan: ids unique, theme and measure references resolved, measure
  numbers unique.

A dump writes what `dumps` writes: the fields that are not at their default,
sets as sorted lists, decimals as strings, indented by two spaces.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    field_serializer,
    model_validator,
)

from beijing_plan.units import units

_LOOKUP = {alias: unit.name for unit in units().values() for alias in (unit.name, *unit.aliases)}
_DIMENSION = {unit.name: unit.dimension for unit in units().values()}


def _nfc(value: str) -> str:
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        raise ValueError(f"{value!r} is not in Unicode normal form NFC")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(f"{value!r} is blank")
    return value


def _unit(value: str) -> str:
    try:
        return _LOOKUP[value]
    except KeyError:
        raise ValueError(f"{value!r} is not a known unit") from None


def _decimal(value: Decimal) -> Decimal:
    if not value.is_finite() or (value and not -1000 <= value.adjusted() <= 1000):
        raise ValueError(f"{value!r} is out of the supported range")
    return value


Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s\x00-\x1f\x7f-\x9f]+$"),
    AfterValidator(_nfc),
]
NonBlank = Annotated[str, AfterValidator(_not_blank)]
Weight = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
_FROZEN = ConfigDict(extra="forbid", frozen=True)


class Text(BaseModel):
    model_config = _FROZEN
    zh: NonBlank | None = None
    en: NonBlank | None = None

    @model_validator(mode="after")
    def _one_given(self) -> Text:
        if self.zh is None and self.en is None:
            raise ValueError("a text needs Chinese (zh) or English (en)")
        return self


class Quantity(BaseModel):
    model_config = _FROZEN
    value: Annotated[Decimal, AfterValidator(_decimal)]
    unit: Annotated[str, AfterValidator(_unit)]

    @field_serializer("value")
    def _value(self, value: Decimal) -> str:
        return str(value)


class Source(BaseModel):
    model_config = _FROZEN
    title: NonBlank
    url: NonBlank | None = None
    published: dt.date | None = None
    note: NonBlank | None = None


class Baseline(BaseModel):
    model_config = _FROZEN
    value: Quantity
    on: dt.date


class TrajectoryPoint(BaseModel):
    model_config = _FROZEN
    on: dt.date
    fraction: Annotated[float, Field(ge=0.0, le=1.0)]


class Target(BaseModel):
    model_config = _FROZEN
    id: Id
    title: Text
    comparator: Literal["at_least", "at_most", "exactly", "between"]
    value: Quantity
    upper: Quantity | None = None
    baseline: Baseline | None = None
    deadline: dt.date | None = None
    aggregation: Literal["last", "sum", "max", "min", "mean"] = "last"
    weight: Weight = 1.0
    trajectory: tuple[TrajectoryPoint, ...] = ()
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _bounds(self) -> Target:
        if (self.comparator == "between") != (self.upper is not None):
            raise ValueError("only a 'between' target takes an upper bound, and it needs one")
        dimension = _DIMENSION[self.value.unit]
        for other in (self.upper, self.baseline.value if self.baseline else None):
            if other is not None and _DIMENSION[other.unit] != dimension:
                raise ValueError(f"unit {other.unit!r} does not measure {dimension}")
        return self


class Milestone(BaseModel):
    model_config = _FROZEN
    id: Id
    title: Text
    due: dt.date | None = None
    weight: Weight = 1.0


def _id_set(ids: tuple[str, ...]) -> tuple[str, ...]:
    """A set of ids, kept sorted so that it is written as `dumps` writes it."""
    return tuple(sorted(set(ids)))


IdSet = Annotated[tuple[Id, ...], AfterValidator(_id_set)]


class Task(BaseModel):
    model_config = _FROZEN
    id: Id
    title: Text
    themes: IdSet = ()
    lead: tuple[NonBlank, ...] = ()
    partners: tuple[NonBlank, ...] = ()
    start: dt.date | None = None
    due: dt.date | None = None
    weight: Weight = 1.0
    targets: tuple[Target, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    trajectory: tuple[TrajectoryPoint, ...] = ()
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _dates(self) -> Task:
        if self.start is not None and self.due is not None and self.start > self.due:
            raise ValueError(f"start {self.start} is after due {self.due}")
        return self


class Measure(BaseModel):
    model_config = _FROZEN
    id: Id
    number: Annotated[int, Field(ge=1, le=2**53 - 1, strict=True)]
    title: Text
    themes: IdSet = ()
    lead: tuple[NonBlank, ...] = ()
    tasks: tuple[Task, ...] = ()
    targets: tuple[Target, ...] = ()
    sources: tuple[Source, ...] = ()


class Theme(BaseModel):
    model_config = _FROZEN
    id: Id
    title: Text
    parent: Id | None = None


class Policy(BaseModel):
    model_config = _FROZEN
    id: Id
    title: Text
    themes: IdSet = ()
    measures: tuple[Id, ...] = ()
    lead: tuple[NonBlank, ...] = ()
    issuer: NonBlank | None = None
    due: dt.date | None = None
    weight: Weight = 1.0
    sources: tuple[Source, ...] = ()


Count = Annotated[int, Field(ge=0, le=2**53 - 1, strict=True)]


class Declared(BaseModel):
    model_config = _FROZEN
    measures: Count | None = None
    tasks: Count | None = None
    policies: Count | None = None


class PlanModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    schema_: Literal["beijing-plan/1"] = Field(alias="schema")
    id: Id
    title: Text
    start: dt.date
    end: dt.date
    issuer: NonBlank | None = None
    published: dt.date | None = None
    themes: tuple[Theme, ...] = ()
    measures: tuple[Measure, ...] = ()
    policies: tuple[Policy, ...] = ()
    declared: Declared | None = None
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _integrity(self) -> PlanModel:  # noqa: PLR0912 (the plan's checks, in one pass)
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        ids = [self.id, *(theme.id for theme in self.themes)]
        themes = {theme.id for theme in self.themes}
        measures = {measure.id for measure in self.measures}
        numbers = [measure.number for measure in self.measures]
        weights: list[float] = []
        for measure in self.measures:
            ids.append(measure.id)
            if not set(measure.themes) <= themes:
                raise ValueError(f"{measure.id}: a theme is not a theme of the plan")
            for target in measure.targets:
                ids.append(target.id)
                weights.append(target.weight)
            for task in measure.tasks:
                ids.append(task.id)
                weights.append(task.weight)
                if not set(task.themes) <= themes:
                    raise ValueError(f"{task.id}: a theme is not a theme of the plan")
                ids.extend(target.id for target in task.targets)
                ids.extend(milestone.id for milestone in task.milestones)
        for policy in self.policies:
            ids.append(policy.id)
            weights.append(policy.weight)
            if not set(policy.themes) <= themes or not set(policy.measures) <= measures:
                raise ValueError(f"{policy.id}: a reference is not in the plan")
        if len(set(ids)) != len(ids) or len(set(numbers)) != len(numbers):
            raise ValueError("an id or a measure number is used twice")
        if not math.isfinite(math.fsum(weights)):
            raise ValueError("the total weight is beyond the largest float")
        declared = self.declared
        if declared is not None:
            tasks = sum(len(measure.tasks) for measure in self.measures)
            for value, count in (
                (declared.measures, len(self.measures)),
                (declared.tasks, tasks),
                (declared.policies, len(self.policies)),
            ):
                if value is not None and value < count:
                    raise ValueError(f"{value} declared, but the plan encodes {count}")
        return self


class Observation(BaseModel):
    model_config = _FROZEN
    kind: Literal["observation"]
    item: Id
    on: dt.date
    value: Quantity
    source: Source | None = None
    note: str | None = None
    recorded: dt.date | None = None
    id: Id | None = None
    supersedes: Id | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _recorded(self) -> Observation:
        if self.recorded is not None and self.recorded < self.on:
            raise ValueError(f"recorded {self.recorded} is before on {self.on}")
        return self


class StatusChange(BaseModel):
    model_config = _FROZEN
    kind: Literal["status"]
    item: Id
    on: dt.date
    status: Literal["not_started", "in_progress", "done", "cancelled"]
    percent: Annotated[float, Field(ge=0.0, le=100.0)] | None = None
    source: Source | None = None
    note: str | None = None
    recorded: dt.date | None = None
    id: Id | None = None
    supersedes: Id | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _recorded(self) -> StatusChange:
        if self.recorded is not None and self.recorded < self.on:
            raise ValueError(f"recorded {self.recorded} is before on {self.on}")
        return self


Record = Annotated[Observation | StatusChange, Field(discriminator="kind")]


class LedgerModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    schema_: Literal["beijing-plan/1"] = Field(alias="schema")
    records: tuple[Record, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> LedgerModel:
        ids = [record.id for record in self.records if record.id is not None]
        if len(set(ids)) != len(ids):
            raise ValueError("a record id is used twice")
        return self


_RECORD: TypeAdapter[Any] = TypeAdapter(Record)


def plan_dump(plan: PlanModel) -> str:
    """The plan's text, as `dumps` writes it."""
    return plan.model_dump_json(indent=2, by_alias=True, exclude_defaults=True) + "\n"


def ledger_dump(ledger: LedgerModel) -> str:
    """The ledger's text, as `dumps` writes it."""
    return ledger.model_dump_json(indent=2, by_alias=True, exclude_defaults=True) + "\n"


def read_lines(lines: list[bytes]) -> list[Any]:
    """The records of a ledger file's lines (the header left out), one by one."""
    return [_RECORD.validate_json(line) for line in lines if line.strip()]
