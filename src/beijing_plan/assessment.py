"""Assess a plan against its ledger at a date: every figure, for every node.

[`assess`][beijing_plan.assessment.assess] computes, as of one day, the completion, expected
completion, schedule performance, status and coverage of every task, policy, target,
milestone, measure and theme, and of the plan, as
[Concepts][concepts-how-every-number-is-reached] defines them.

>>> from beijing_plan import Ledger, Measure, Plan, StatusChange, Task
>>> plan = Plan("p", "Plan", start="2025-01-01", end="2025-12-31",
...             measures=[Measure("m", 1, "Measure", tasks=[Task("a", "A"), Task("b", "B")])])
>>> ledger = Ledger([StatusChange("a", "2025-03-01", "done"),
...                  StatusChange("b", "2025-03-01", "in_progress", percent=20)])
>>> assessment = assess(plan, ledger, as_of="2025-07-02")
>>> assessment.overall.completion
0.6
>>> assessment["b"].status
<Progress.OFF_TRACK: 'off_track'>

The engine works on plain values (day ordinals, floats, lists indexed by node)
and builds a [`Result`][beijing_plan.assessment.Result] only when one is asked for; contributions
and explanations are computed on access too.

Decisions where the design is silent:

- The whole ledger is checked against the plan, records after `as_of`
  included: a record naming an unknown id is wrong whatever its date.
- Targets and milestones of a task get results of their own but are not leaves:
  a target's completion is its attainment (`None` without an observation), a
  milestone's is 1 when done, 0 under another status, `None` with no record.
- A leaf's coverage is 1 when it has any record up to `as_of` (its own status,
  an observation of one of its targets, a status of one of its milestones), else 0;
  at weight 0 it is `None`, as for a group whose weights sum to 0. An
  observation is a record whether or not it counts (a `sum` increment dated on
  or before the baseline's date is one), but only a counted observation makes
  leaf rule 3 apply.
- `rule` names the leaf rule that decided a leaf's completion (see
  `beijing_plan.completion`); it is `None` for other results.
- A task's contributions are its targets and milestones when rule 3 decided its
  completion; other leaves, targets and milestones have none.
- [`Assessment.results`][beijing_plan.assessment.Assessment.results] yields the plan, the measures,
  the themes, the leaves, then the targets and milestones of tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pendulum

from . import explain as _explain
from ._dates import DateLike, as_date, today
from .completion import (
    ATTAINMENT,
    CANCELLED,
    MISSING,
    PARTS,
    Part,
    Point,
    aggregate,
    counted_points,
    leaf_completion,
    milestone_completion,
    missing_completion,
    records_in_force,
    target_attainment,
)
from .exceptions import PlanValidationError
from .ledger import Ledger, Record, Status
from .model import Item, Milestone, Plan, Policy, Target, Task, Text
from .rollup import (
    Contribution,
    Figures,
    Nodes,
    flat,
    flat_contributions,
    membership,
    nested,
    nested_contributions,
    part_contributions,
)
from .rules import Progress, Rules
from .schedule import Forecast, expected, forecast, progress, spi, window
from .units import Quantity, computed

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes

__all__ = ["Assessment", "Result", "assess"]

_TARGET = "target"
_KIND: dict[type, str] = {
    Task: "task",
    Policy: "policy",
    Target: _TARGET,
    Milestone: "milestone",
}


@attrs.frozen
class Result:
    """The figures of one node of a plan at the date of its assessment.

    Attributes:
        id: The node's id (the plan's own for the plan).
        kind: `"plan"`, `"measure"`, `"theme"`, `"task"`, `"policy"`,
            `"target"` or `"milestone"`.
        title: Its title.
        completion: A fraction in [0, 1], or `None` where nothing is known.
        expected: The completion its schedule expects by now, or `None`.
        spi: `completion / expected`, or `None`.
        status: Where it stands ([`Progress`][beijing_plan.rules.Progress]).
        coverage: The share of its weight with any record (for a leaf, 1 with a record
            and 0 without), or `None` at weight 0.
        weight: Its weight (for a group, the sum over its leaves not cancelled).
        due: Its due date (for a group, the latest of its leaves').
        ratio: For a target, its raw attainment (above 1: over-achieved).
        current: For a target, its current value.
        forecast: For a target, where its trend leads by the deadline.
        rule: For a leaf, the rule that decided its completion.
    """

    id: str
    kind: str
    title: Text
    completion: float | None
    expected: float | None
    spi: float | None
    status: Progress
    coverage: float | None
    weight: float
    due: pendulum.Date | None
    ratio: float | None = None
    current: Quantity | None = None
    forecast: Forecast | None = None
    rule: str | None = None
    _engine: _Engine | None = attrs.field(default=None, eq=False, repr=False, alias="engine")
    _position: int = attrs.field(default=-1, eq=False, repr=False, alias="position")

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """What each leaf (or child, or part) adds to this result, in plan order."""
        if self._engine is None:
            return ()
        return self._engine.contributions(self._position)

    def explain(self, lang: str = "en") -> str:
        """Plain text from which a reader can recompute the figures by hand.

        Args:
            lang: `"en"` or `"zh"`.
        """
        engine = self._engine
        if engine is None:
            msg = f"result {self.id!r} was not made by an assessment"
            raise PlanValidationError([("result", msg)])
        return engine.explain(self._position, lang)

    def __str__(self) -> str:
        from .display import result_str  # noqa: PLC0415 (presentation loads on first use)

        return result_str(self, rules=None if self._engine is None else self._engine.rules)

    def _repr_html_(self) -> str:
        from .display import result_html  # noqa: PLC0415 (presentation loads on first use)

        return result_html(self, rules=None if self._engine is None else self._engine.rules)


class _Engine:
    """Every node's figures as plain values, and Results built on demand.

    Nodes are numbered: the leaves first (in plan order), then the targets and
    milestones of tasks, then the measures, themes and the plan. Every figure is
    a list indexed by that number; only plain values (floats, ints, shared
    enums and strings) are stored per node, because the garbage collector scans
    every container and a million new ones would cost more than the work.
    """

    def __init__(self, plan: Plan, ledger: Ledger, as_of: pendulum.Date, rules: Rules) -> None:
        self.plan, self.ledger, self.as_of, self.rules = plan, ledger, as_of, rules
        self.day = as_of.toordinal()
        self.start, self.end = plan.start.toordinal(), plan.end.toordinal()
        self.membership = mem = membership(plan)
        leaves = mem.leaves
        self.leaf_count = count = len(leaves)
        parts: list[Target | Milestone] = []
        owners: list[Task] = []
        self.first_part: dict[int, int] = {}
        for position, leaf in enumerate(leaves):
            if isinstance(leaf, Task) and (leaf.targets or leaf.milestones):
                self.first_part[position] = count + len(parts)
                parts.extend(leaf.targets)
                parts.extend(leaf.milestones)
                owners.extend([leaf] * (len(leaf.targets) + len(leaf.milestones)))
        self.sub_start, self.sub_end = count, count + len(parts)
        size = self.sub_end
        self.items: list[Item | Plan] = [*leaves, *parts]
        self.ids: list[str] = [item.id for item in self.items]
        self.index: dict[str, int] = dict(zip(self.ids, range(size), strict=True))
        self.kinds: list[str] = [_KIND[type(item)] for item in self.items]
        self.weight: list[float] = [item.weight for item in self.items]  # type: ignore[union-attr]
        self.completion: list[float | None] = [None] * size
        self.expected: list[float | None] = [None] * size
        self.recorded: list[bool] = [False] * size
        self.cancelled: list[bool] = [False] * size
        self.due: list[int] = [0] * size
        self.rule: list[str | None] = [None] * size
        self.status: list[Progress] = [Progress.NO_DATA] * size
        self.values: dict[int, Decimal] = {}
        self.ratios: dict[int, float] = {}
        self.groups: dict[int, tuple[str, Sequence[int], Figures]] = {}
        self.cache: dict[int, Result] = {}
        self.contributed: dict[int, tuple[Contribution, ...]] = {}
        self._read()
        self._parts(parts, owners)
        self._leaves(leaves)
        self._groups()

    def __reduce__(self) -> tuple[type[_Engine], tuple[Plan, Ledger, pendulum.Date, Rules]]:
        """Pickled as what it is computed from; unpickling computes it again."""
        return _Engine, (self.plan, self.ledger, self.as_of, self.rules)

    # -- the ledger ----------------------------------------------------------------------

    def _read(self) -> None:
        """Each node's status in force and observations; on a wrong record, fail as check does."""
        # What each node takes: "" a status, a dimension an observation of that dimension.
        takes = [item.value.dimension if isinstance(item, Target) else "" for item in self.items]
        self.latest, self.observed, wrong = records_in_force(
            self.ledger.records, index=self.index, takes=takes, as_of=self.day
        )
        if wrong:
            self.ledger.check(self.plan)

    # -- nodes ---------------------------------------------------------------------------

    def _points(self, target: Target, position: int) -> list[Point]:
        return counted_points(
            target, self.observed.get(position, ()), as_of=self.day, plan_start=self.start
        )

    def _target(self, target: Target, position: int) -> float | None:
        """A target's attainment (`None` without an observation); keeps its value and ratio."""
        value = aggregate(target, self._points(target, position))
        if value is None:
            return None
        found = target_attainment(target, computed(value, target.value.unit))
        assert found is not None
        self.values[position] = value
        self.ratios[position] = found[1]
        return found[0]

    def _set(
        self,
        position: int,
        completion: float | None,
        window_: tuple[int, int, tuple[tuple[int, float], ...]],
        *,
        recorded: bool,
        cancelled: bool,
    ) -> None:
        begin, due, points = window_
        fraction = expected(self.day, begin, due, points)
        self.completion[position] = completion
        self.expected[position] = fraction
        self.recorded[position] = recorded
        self.cancelled[position] = cancelled
        self.due[position] = due
        self.status[position] = progress(
            completion, fraction, as_of=self.day, due=due, rules=self.rules, cancelled=cancelled
        )

    def _parts(self, parts: list[Target | Milestone], owners: list[Task]) -> None:
        """The targets and milestones of tasks."""
        start, end, latest = self.start, self.end, self.latest
        for position, item, task in zip(
            range(self.sub_start, self.sub_end), parts, owners, strict=True
        ):
            if isinstance(item, Target):
                completion = self._target(item, position)
                recorded, cancelled = position in self.observed, False
            else:
                status = latest[position]
                completion = milestone_completion(status)
                recorded = status is not None
                cancelled = recorded and status.status is Status.CANCELLED  # type: ignore[union-attr]
            span = window(item, plan_start=start, plan_end=end, task=task)
            self._set(position, completion, span, recorded=recorded, cancelled=cancelled)

    def _part_entries(self, task: Task, first: int) -> list[tuple[int, Part | None]]:
        """A task's targets and milestones as rule-3 parts (`None`: cancelled)."""
        entries: list[tuple[int, Part | None]] = []
        for position in range(first, first + len(task.targets) + len(task.milestones)):
            if self.cancelled[position]:
                entries.append((position, None))
            elif self.kinds[position] == _TARGET:
                # Only a counted observation makes rule 3 apply (an increment of a
                # `sum` target dated on or before its baseline is a record all the same).
                attainment = self.completion[position]
                entries.append(
                    (position, (self.weight[position], attainment, attainment is not None))
                )
            else:
                done = self.completion[position] or 0.0
                entries.append((position, (self.weight[position], done, self.recorded[position])))
        return entries

    def _leaves(self, leaves: tuple[Task | Policy | Target, ...]) -> None:
        rules, start, end, latest = self.rules, self.start, self.end, self.latest
        first_part, set_node, rule_of = self.first_part, self._set, self.rule
        missing = missing_completion(rules)
        for position, leaf in enumerate(leaves):
            cancelled = False
            if isinstance(leaf, Target):
                completion = self._target(leaf, position)
                recorded = position in self.observed
                rule = ATTAINMENT if completion is not None else MISSING
                if completion is None:
                    completion = missing
            else:
                status = latest[position]
                recorded = status is not None
                parts: list[Part] = []
                first = first_part.get(position)
                if first is not None:
                    assert isinstance(leaf, Task)
                    for part_position, part in self._part_entries(leaf, first):
                        recorded = recorded or self.recorded[part_position]
                        if part is not None:
                            parts.append(part)
                completion, rule = leaf_completion(status, parts, rules)
                cancelled = rule is CANCELLED
            rule_of[position] = rule
            span = window(leaf, plan_start=start, plan_end=end)
            set_node(position, completion, span, recorded=recorded, cancelled=cancelled)

    # -- groups --------------------------------------------------------------------------

    def _group(
        self,
        kind: str,
        item: Item | Plan,
        members: tuple[int, ...] | range,
        children: tuple[int, ...] | None,
    ) -> int:
        figures = flat(
            members,
            weights=self.weight,
            completions=self.completion,
            expecteds=self.expected,  # type: ignore[arg-type]
            recorded=self.recorded,
            cancelled=self.cancelled,
            dues=self.due,
        )
        completion, fraction = figures.completion, figures.expected
        if children is not None:
            # A leaf of weight 0 is no child that counts; a group counts by its completion.
            weights, leaf_end = self.weight, self.sub_end
            completion, fraction = nested(
                [
                    (self.completion[i], self.expected[i])
                    if i >= leaf_end or weights[i] > 0.0
                    else (None, None)
                    for i in children
                ]
            )
        due = figures.due if figures.due is not None else self.end
        position = len(self.ids)
        self.index[item.id] = position
        self.ids.append(item.id)
        self.kinds.append(kind)
        self.items.append(item)
        self.completion.append(completion)
        self.expected.append(fraction)
        self.recorded.append(bool(figures.coverage))
        self.cancelled.append(figures.cancelled)
        self.weight.append(figures.weight)
        self.due.append(due)
        self.rule.append(None)
        self.status.append(
            progress(
                completion,
                fraction,
                as_of=self.day,
                due=due,
                rules=self.rules,
                cancelled=figures.cancelled,
            )
        )
        listed = members if children is None else children
        self.groups[position] = ("flat" if children is None else "nested", listed, figures)
        return position

    def _groups(self) -> None:
        plan, mem = self.plan, self.membership
        is_nested = self.rules.rollup == "nested"
        self.measure_positions: dict[str, int] = {}
        for measure in plan.measures:
            members = mem.measures[measure.id]
            self.measure_positions[measure.id] = self._group(
                "measure", measure, members, members if is_nested else None
            )
        self.theme_positions: dict[str, int] = {}
        for theme_id in mem.theme_order:
            children = None
            if is_nested:
                children = (
                    *(self.theme_positions[sub] for sub in mem.sub_themes[theme_id]),
                    *mem.direct[theme_id],
                )
            self.theme_positions[theme_id] = self._group(
                "theme", plan[theme_id], mem.themes[theme_id], children
            )
        top = None
        if is_nested:
            top = (*self.measure_positions.values(), *mem.top)
        self.plan_position = self._group("plan", plan, mem.plan, top)

    # -- access --------------------------------------------------------------------------

    def coverage(self, position: int) -> float | None:
        """A node's coverage."""
        group = self.groups.get(position)
        if group is not None:
            return group[2].coverage
        if self.weight[position] <= 0.0:
            return None
        return 1.0 if self.recorded[position] else 0.0

    def result(self, position: int) -> Result:
        """The Result of the node at `position`, built once."""
        cached = self.cache.get(position)
        if cached is not None:
            return cached
        item = self.items[position]
        kind = self.kinds[position]
        ratio = current = outlook = None
        if kind == _TARGET:
            assert isinstance(item, Target)
            value = self.values.get(position)
            ratio = self.ratios.get(position)
            if value is not None:
                current = computed(value, item.value.unit)
            deadline = item.deadline if item.deadline is not None else self.plan.end
            outlook = forecast(item, self._points(item, position), deadline=deadline)
        completion, fraction = self.completion[position], self.expected[position]
        result = Result(
            self.ids[position],
            kind,
            item.title,
            completion,
            fraction,
            spi(completion, fraction),
            self.status[position],
            self.coverage(position),
            self.weight[position],
            pendulum.Date.fromordinal(self.due[position]),
            ratio=ratio,
            current=current,
            forecast=outlook,
            rule=self.rule[position],
            engine=self,
            position=position,
        )
        self.cache[position] = result
        return result

    def explain(self, position: int, lang: str) -> str:
        """The explanation of the node at `position`."""
        group = self.groups.get(position)
        return _explain.explain(
            self.result(position),
            plan=self.plan,
            ledger=self.ledger,
            as_of=self.as_of,
            rules=self.rules,
            covered=None if group is None else group[2].covered,
            lang=lang,
        )

    def contributions(self, position: int) -> tuple[Contribution, ...]:
        """What each leaf, child or part adds to the node at `position`."""
        found = self.contributed.get(position)
        if found is None:
            found = self.contributed[position] = self._contributions(position)
        return found

    def _contributions(self, position: int) -> tuple[Contribution, ...]:
        nodes = Nodes(
            self.ids,
            self.kinds,
            self.items,
            self.weight,
            self.completion,
            self.expected,
            self.recorded,
            self.cancelled,
            self.rule,
        )
        group = self.groups.get(position)
        if group is not None:
            mode, listed, _ = group
            if mode == "flat":
                return flat_contributions(listed, nodes)
            return nested_contributions(listed, nodes, self.groups)
        task = self.items[position]
        if self.rule[position] is PARTS and isinstance(task, Task):
            entries = self._part_entries(task, self.first_part[position])
            return part_contributions(entries, nodes, zero=self.rules.missing == "zero")
        return ()


def _as_ledger(value: Ledger | Iterable[Record] | None) -> Ledger:
    if value is None:
        return Ledger()
    if isinstance(value, Ledger):
        return value
    if isinstance(value, Plan):
        message = f"{value!r} is a Plan, not a Ledger (the plan comes first: assess(plan, ledger))"
        raise PlanValidationError([("ledger", message)])
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise PlanValidationError([("ledger", f"{value!r} is not a Ledger or a list of records")])
    return Ledger(value)


def _check_plan(_: object, attribute: attrs.Attribute[Plan], value: object) -> None:
    if not isinstance(value, Plan):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a Plan")])


def _check_rules(_: object, attribute: attrs.Attribute[Rules], value: object) -> None:
    if not isinstance(value, Rules):
        raise PlanValidationError([(attribute.name, f"{value!r} is not a Rules")])


def _as_day(value: DateLike) -> pendulum.Date:
    try:
        return as_date(value)
    except PlanValidationError as error:
        raise error.prefixed("as_of") from None


@attrs.frozen
class Assessment:
    """A plan assessed against its ledger at a date; see [`assess`][beijing_plan.assessment.assess].

    `assessment[id]` gives the [`Result`][beijing_plan.assessment.Result] of any task, policy,
    target, milestone, measure or theme, or of the plan (by the plan's id).

    Attributes:
        plan: The plan assessed.
        ledger: The ledger it was assessed against.
        as_of: The date of the assessment; later records are ignored.
        rules: The rules applied.
    """

    plan: Plan = attrs.field(validator=_check_plan)
    ledger: Ledger = attrs.field(converter=_as_ledger)
    as_of: pendulum.Date = attrs.field(converter=_as_day)
    rules: Rules = attrs.field(factory=Rules, validator=_check_rules)
    _engine: _Engine = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_engine", _Engine(self.plan, self.ledger, self.as_of, self.rules))

    def __repr__(self) -> str:
        from .display import assessment_repr  # noqa: PLC0415 (presentation loads on first use)

        return assessment_repr(self)

    def __str__(self) -> str:
        from .display import assessment_str  # noqa: PLC0415 (presentation loads on first use)

        return assessment_str(self)

    def _repr_html_(self) -> str:
        from .display import assessment_html  # noqa: PLC0415 (presentation loads on first use)

        return assessment_html(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per result (the `pandas` extra): ids, titles, figures, status, due."""
        from .frames import assessment_frame  # noqa: PLC0415 (presentation loads on first use)

        return assessment_frame(self, backend="pandas")

    def to_polars(self) -> pl.DataFrame:
        """One row per result, as [`to_pandas`][beijing_plan.assessment.Assessment.to_pandas], in
        polars (the `polars` extra)."""
        from .frames import assessment_frame  # noqa: PLC0415 (presentation loads on first use)

        return assessment_frame(self, backend="polars")

    def plot(self, by: Literal["theme", "measure", "leaf"] = "theme", **options: Any) -> Axes:
        """Bars of completion with the expected mark, coloured by status (the `plot` extra).

        Options are those of
        [`beijing_plan.charts.plot_assessment`][beijing_plan.charts.plot_assessment].
        """
        from .charts import plot_assessment  # noqa: PLC0415 (presentation loads on first use)

        return plot_assessment(self, by, **options)

    def __getitem__(self, item_id: str) -> Result:
        position = self._engine.index.get(item_id)
        if position is None:
            raise KeyError(item_id)
        return self._engine.result(position)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._engine.index

    def __len__(self) -> int:
        return len(self._engine.ids)

    def __iter__(self) -> Iterator[str]:
        """The ids of every result, in the order of
        [`results`][beijing_plan.assessment.Assessment.results]."""
        ids = self._engine.ids
        return (ids[position] for position in self._order())

    def get(self, item_id: str) -> Result | None:
        """The result for `item_id`, or `None` if the plan has no such id."""
        position = self._engine.index.get(item_id)
        return None if position is None else self._engine.result(position)

    @property
    def overall(self) -> Result:
        """The result for the whole plan."""
        return self._engine.result(self._engine.plan_position)

    def by_measure(self) -> dict[str, Result]:
        """Each measure's result, in plan order."""
        engine = self._engine
        return {key: engine.result(value) for key, value in engine.measure_positions.items()}

    def by_theme(self) -> dict[str, Result]:
        """Each theme's result, in the plan's theme order."""
        engine = self._engine
        return {
            theme.id: engine.result(engine.theme_positions[theme.id]) for theme in self.plan.themes
        }

    def _order(self) -> Iterator[int]:
        engine = self._engine
        yield engine.plan_position
        yield from engine.measure_positions.values()
        yield from (engine.theme_positions[theme.id] for theme in self.plan.themes)
        yield from range(engine.leaf_count)
        yield from range(engine.sub_start, engine.sub_end)

    def results(self) -> Iterator[Result]:
        """Every result: the plan, measures, themes, leaves, then tasks' targets and milestones."""
        engine = self._engine
        return (engine.result(position) for position in self._order())

    def leaves(self) -> Iterator[Result]:
        """The results of the leaves (tasks, policies, measures' own targets), in plan order."""
        engine = self._engine
        return (engine.result(position) for position in range(engine.leaf_count))


def assess(
    plan: Plan,
    ledger: Ledger | Iterable[Record] | None = None,
    *,
    as_of: DateLike | None = None,
    rules: Rules | None = None,
) -> Assessment:
    """Assess `plan` against `ledger` as of a date.

    Args:
        plan: The plan.
        ledger: What happened (a [`Ledger`][beijing_plan.ledger.Ledger] or its
            records); nothing when omitted.
        as_of: The date (a `pendulum.Date`, `datetime.date` or ISO string);
            today in Beijing when omitted. Records after it are ignored.
        rules: The rules; [`Rules`][beijing_plan.rules.Rules] defaults when omitted.

    Raises:
        UnknownReferenceError: listing every record that names an id the plan
            does not have, or an item of the wrong kind.
        PlanValidationError: for an `as_of` that is not a date.
    """
    return Assessment(
        plan,
        ledger,
        today() if as_of is None else as_of,
        Rules() if rules is None else rules,
    )
