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

from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeAlias, TypeVar

import attrs
import pendulum

from ._dates import as_date, as_optional_date
from ._errors import fail, misuse
from ._fields import named_problems
from ._integrity import plan_problems
from ._validators import (
    as_id_set,
    as_number,
    as_tuple,
    instance_of,
    items_of,
    valid_id,
    valid_ids,
    valid_number,
    valid_optional_id,
    valid_optional_text,
    valid_strings,
    valid_trajectory,
    valid_weight,
)
from ._values import (
    Aggregation,
    Baseline,
    Cadence,
    Comparator,
    Declared,
    Source,
    Text,
    TrajectoryPoint,
    as_aggregation,
    as_comparator,
    as_declared,
    as_text,
    as_trajectory,
)
from .exceptions import ItemNotFoundError, PlanValidationError
from .units import Quantity

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = [
    "Aggregation",
    "Baseline",
    "Cadence",
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


@named_problems
@attrs.frozen
class Theme:
    """A classification of measures, tasks and policies; themes may nest."""

    id: str = attrs.field(validator=valid_id)
    title: Text = attrs.field(converter=as_text)
    parent: str | None = attrs.field(default=None, validator=valid_optional_id)

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

    id: str = attrs.field(validator=valid_id)
    title: Text = attrs.field(converter=as_text)
    comparator: Comparator = attrs.field(converter=as_comparator)
    value: Quantity = attrs.field(validator=instance_of(Quantity))
    upper: Quantity | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(Quantity, optional=True)
    )
    baseline: Baseline | None = attrs.field(
        default=None, kw_only=True, validator=instance_of(Baseline, optional=True)
    )
    deadline: pendulum.Date | None = attrs.field(
        default=None, converter=as_optional_date, kw_only=True
    )
    aggregation: Aggregation = attrs.field(
        default=Aggregation.LAST, converter=as_aggregation, kw_only=True
    )
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=valid_weight, kw_only=True
    )
    trajectory: tuple[TrajectoryPoint, ...] = attrs.field(
        default=(), converter=as_trajectory, validator=valid_trajectory, kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Source), kw_only=True
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
        return self.level_ratio(self._level(current))

    def level_ratio(self, level: Decimal) -> float:
        """The unclamped attainment of `level`, an amount in the target's own unit.

        >>> Target("t", "T", "at_least", Quantity(60, "count")).level_ratio(Decimal(45))
        0.75
        """
        c, t = level, self.value.value
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
        return 1.0 if self._level_met(c) else 0.0

    def attainment(self, current: Quantity) -> float:
        """How much of the target `current` attains, clamped to [0, 1]."""
        return min(1.0, max(0.0, self.ratio(current)))

    def met(self, current: Quantity) -> bool:
        """Whether `current` meets the comparator itself."""
        return self._level_met(self._level(current))

    def _level_met(self, c: Decimal) -> bool:
        t = self.value.value
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

    id: str = attrs.field(validator=valid_id)
    title: Text = attrs.field(converter=as_text)
    due: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date, kw_only=True)
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=valid_weight, kw_only=True
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
        reporting: How often it reports; `None` takes the plan's cadence.
    """

    id: str = attrs.field(validator=valid_id)
    title: Text = attrs.field(converter=as_text)
    themes: frozenset[str] = attrs.field(
        default=frozenset(), converter=as_id_set, validator=valid_ids, kw_only=True
    )
    lead: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=valid_strings, kw_only=True
    )
    partners: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=valid_strings, kw_only=True
    )
    start: pendulum.Date | None = attrs.field(
        default=None, converter=as_optional_date, kw_only=True
    )
    due: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date, kw_only=True)
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=valid_weight, kw_only=True
    )
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Target), kw_only=True
    )
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Milestone), kw_only=True
    )
    trajectory: tuple[TrajectoryPoint, ...] = attrs.field(
        default=(), converter=as_trajectory, validator=valid_trajectory, kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Source), kw_only=True
    )
    reporting: Cadence | None = attrs.field(
        default=None, validator=instance_of(Cadence, optional=True), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        _check_dates(self.start, self.due)


@named_problems
@attrs.frozen
class Measure:
    """A major measure (重大举措): a numbered group of tasks and targets."""

    id: str = attrs.field(validator=valid_id)
    number: int = attrs.field(validator=valid_number)
    title: Text = attrs.field(converter=as_text)
    themes: frozenset[str] = attrs.field(
        default=frozenset(), converter=as_id_set, validator=valid_ids, kw_only=True
    )
    lead: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=valid_strings, kw_only=True
    )
    tasks: tuple[Task, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Task), kw_only=True
    )
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Target), kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Source), kw_only=True
    )


@named_problems
@attrs.frozen
class Policy:
    """A policy to be introduced; once issued its status is `done`.

    Attributes:
        measures: Ids of the measures it serves; it counts in each one's roll-up.
        lead: The units that lead its drafting (牵头单位).
        reporting: How often it reports; `None` takes the plan's cadence.
    """

    id: str = attrs.field(validator=valid_id)
    title: Text = attrs.field(converter=as_text)
    themes: frozenset[str] = attrs.field(
        default=frozenset(), converter=as_id_set, validator=valid_ids, kw_only=True
    )
    measures: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=valid_ids, kw_only=True
    )
    lead: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=valid_strings, kw_only=True
    )
    issuer: str | None = attrs.field(default=None, kw_only=True, validator=valid_optional_text)
    due: pendulum.Date | None = attrs.field(default=None, converter=as_optional_date, kw_only=True)
    weight: float = attrs.field(
        default=1.0, converter=as_number, validator=valid_weight, kw_only=True
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Source), kw_only=True
    )
    reporting: Cadence | None = attrs.field(
        default=None, validator=instance_of(Cadence, optional=True), kw_only=True
    )


#: Anything that has an id in a plan.
Item: TypeAlias = Theme | Measure | Task | Target | Milestone | Policy
_Kind = TypeVar("_Kind", Theme, Measure, Task, Target, Milestone, Policy)


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

    `reporting` is the cadence at which every leaf reports unless its own
    `reporting` says otherwise (`None`: no reports are expected).

    `plan[id]` finds any item; `plan.task(id)`, `plan.target(id)`,
    `plan.measure(id)`, `plan.policy(id)`, `plan.milestone(id)` and
    `plan.theme(id)` find one of that kind, typed as such, and raise an
    [`ItemNotFoundError`][beijing_plan.exceptions.ItemNotFoundError] (a `KeyError`)
    naming what the id is otherwise. `plan.measure_of(task_id)` and
    `plan.parent_of(id)` give where an item sits.
    """

    id: str = attrs.field(validator=valid_id)
    title: Text = attrs.field(converter=as_text)
    start: pendulum.Date = attrs.field(converter=as_date, kw_only=True)
    end: pendulum.Date = attrs.field(converter=as_date, kw_only=True)
    issuer: str | None = attrs.field(default=None, kw_only=True, validator=valid_optional_text)
    published: pendulum.Date | None = attrs.field(
        default=None, converter=as_optional_date, kw_only=True
    )
    themes: tuple[Theme, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Theme), kw_only=True
    )
    measures: tuple[Measure, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Measure), kw_only=True
    )
    policies: tuple[Policy, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Policy), kw_only=True
    )
    declared: Declared | None = attrs.field(default=None, converter=as_declared, kw_only=True)
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=as_tuple, validator=items_of(Source), kw_only=True
    )
    reporting: Cadence | None = attrs.field(
        default=None, validator=instance_of(Cadence, optional=True), kw_only=True
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

    def to_pandas(self, kind: Literal["leaves", "targets"] = "leaves") -> pd.DataFrame:
        """One row per leaf (the `pandas` extra): tasks, policies and measure targets.

        With `kind="targets"`, one row per target instead, the targets of tasks
        included ([`targets_frame`][beijing_plan.frames.targets_frame]).
        """
        from .frames import plan_frame_of  # noqa: PLC0415 (presentation loads on first use)

        frame: pd.DataFrame = plan_frame_of(self, kind, "pandas")
        return frame

    def to_polars(self, kind: Literal["leaves", "targets"] = "leaves") -> pl.DataFrame:
        """One row per leaf, or per target with `kind="targets"`, as
        [`to_pandas`][beijing_plan.model.Plan.to_pandas], in polars (the `polars` extra)."""
        from .frames import plan_frame_of  # noqa: PLC0415 (presentation loads on first use)

        frame: pl.DataFrame = plan_frame_of(self, kind, "polars")
        return frame

    def __getitem__(self, item_id: str) -> Item:
        return self._index[item_id]

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._index

    def get(self, item_id: str) -> Item | None:
        """The item with that id, or `None`."""
        return self._index.get(item_id)

    def _of_kind(self, item_id: str, cls: type[_Kind]) -> _Kind:
        if not isinstance(item_id, str):
            raise misuse("item_id", "a str", item_id)
        item = self._index.get(item_id)
        if isinstance(item, cls):
            return item
        actual = None if item is None else type(item).__name__.lower()
        raise ItemNotFoundError(item_id, cls.__name__.lower(), actual, self.id)

    def task(self, item_id: str) -> Task:
        """The task with that id (raises [`ItemNotFoundError`][beijing_plan.ItemNotFoundError])."""
        return self._of_kind(item_id, Task)

    def target(self, item_id: str) -> Target:
        """The target with that id, a measure's or a task's (raises `ItemNotFoundError`)."""
        return self._of_kind(item_id, Target)

    def measure(self, item_id: str) -> Measure:
        """The measure with that id (raises `ItemNotFoundError`)."""
        return self._of_kind(item_id, Measure)

    def policy(self, item_id: str) -> Policy:
        """The policy with that id (raises `ItemNotFoundError`)."""
        return self._of_kind(item_id, Policy)

    def milestone(self, item_id: str) -> Milestone:
        """The milestone with that id (raises `ItemNotFoundError`)."""
        return self._of_kind(item_id, Milestone)

    def theme(self, item_id: str) -> Theme:
        """The theme with that id (raises `ItemNotFoundError`)."""
        return self._of_kind(item_id, Theme)

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
