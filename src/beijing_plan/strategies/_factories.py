"""Item strategies behind `beijing_plan.strategies` (needs Hypothesis).

Items are drawn as *factories*: a drawn function that builds the item once it is
given its id and its `Scope` (the window of days its dates fall in and
the ids it may refer to). A list of factories shrinks like any list, elements
being deleted from it, and ids follow from positions when the whole is built,
so they are unique by construction. Each strategy here is made once for each
set of options and reused.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import lru_cache

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .._integrity import MAX_THEME_DEPTH
from .._references import revision_problems
from ..ledger import Ledger, Observation, Record, Revision, Status, StatusChange
from ..model import (
    Aggregation,
    Baseline,
    Comparator,
    Declared,
    Measure,
    Milestone,
    Plan,
    Policy,
    Target,
    Task,
    Text,
    Theme,
)
from ..units import Quantity
from . import _generators as gen

__all__ = [
    "GAPS",
    "PARENTS",
    "RECORD_MARGIN",
    "PlanParts",
    "Scope",
    "ledger_of",
    "measure_factories",
    "milestone_factories",
    "observed",
    "plan_values",
    "policy_factories",
    "record_groups",
    "revision_values",
    "target_factories",
    "task_factories",
    "with_revisions",
]

# How far before its window a baseline or a source may be dated, in days.
_YEAR_BEFORE = 366


@attrs.frozen
class Scope:
    """Where an item sits: the days its dates fall between and what it may name.

    Attributes:
        lo, hi: First and last day (ordinals) of its window.
        themes: Ids of the themes it may be tagged with.
        measures: Ids of the measures it may serve (policies).
    """

    lo: int
    hi: int
    themes: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()

    def sources_window(self) -> tuple[int, int]:
        """The days a source of the item may be dated: from a year before to the end."""
        return gen.widened(self.lo, self.hi, before=_YEAR_BEFORE)


_COMPARATORS = st.sampled_from(Comparator)
_AGGREGATIONS = st.sampled_from(Aggregation)
_UNIT_NAMES = st.lists(gen.names, max_size=2).map(tuple)
_MAYBE_NAMES = st.none() | gen.names
# A baseline's position in the year before its window: often its window's first day,
# so that observations fall on and around it.
_BASE_POSITIONS = st.just(gen.STEPS) | gen.positions
# Date positions for an option that pins whether a date is set (None draws).
_DATES: dict[bool | None, SearchStrategy[int | None]] = {
    None: gen.maybe_positions,
    True: gen.positions,
    False: st.none(),
}


@st.composite
def _targets(
    draw: st.DrawFn,
    comparator: Comparator | None,
    aggregation: Aggregation | None,
    dimension: str | None,
    baseline: bool | None,
) -> Callable[[str, Scope], Target]:
    dim = dimension if dimension is not None else draw(gen.sampled(gen.dimensions()))
    unit_names = gen.units_of(dim)
    comp = comparator if comparator is not None else draw(_COMPARATORS)
    value = draw(gen.quantities_in(unit_names))
    upper = None
    if comp is Comparator.BETWEEN:
        upper = gen.raised(value, draw(gen.INCREASES), draw(gen.sampled(unit_names)))
    base_value = None
    if baseline if baseline is not None else draw(st.booleans()):
        base_value = draw(gen.quantities_in(unit_names))
    base_position = draw(_BASE_POSITIONS) if base_value is not None else 0
    deadline_position = draw(gen.maybe_positions)
    title = draw(gen.TEXTS)
    agg = aggregation if aggregation is not None else draw(_AGGREGATIONS)
    weight = draw(gen.weights)
    trajectory = draw(gen.TRAJECTORIES)
    sources = draw(gen.SOURCES)

    def build(target_id: str, scope: Scope) -> Target:
        deadline = gen.place_maybe(deadline_position, scope.lo, scope.hi)
        end = scope.hi if deadline is None else deadline.toordinal()
        base = None
        if base_value is not None:
            first, last = gen.widened(scope.lo, scope.lo, before=_YEAR_BEFORE)
            base = Baseline(base_value, gen.day(gen.place(base_position, first, last)))
        return Target(
            target_id,
            title,
            comp,
            value,
            upper=upper,
            baseline=base,
            deadline=deadline,
            aggregation=agg,
            weight=weight,
            trajectory=gen.trajectory_in(trajectory, scope.lo, end),
            sources=gen.sources_in(sources, *scope.sources_window()),
        )

    return build


@lru_cache(maxsize=64)
def target_factories(
    *,
    comparator: Comparator | None = None,
    aggregation: Aggregation | None = None,
    dimension: str | None = None,
    baseline: bool | None = None,
) -> SearchStrategy[Callable[[str, Scope], Target]]:
    """Targets: bounds in one dimension, a baseline in the year before the window,
    a deadline and a trajectory within it. `None` options are drawn."""
    return _targets(comparator, aggregation, dimension, baseline)


@st.composite
def _milestones(draw: st.DrawFn, due: bool | None) -> Callable[[str, Scope], Milestone]:
    position = draw(_DATES[due])
    title, weight = draw(gen.TEXTS), draw(gen.weights)

    def build(milestone_id: str, scope: Scope) -> Milestone:
        on = gen.place_maybe(position, scope.lo, scope.hi)
        return Milestone(milestone_id, title, due=on, weight=weight)

    return build


@lru_cache(maxsize=8)
def milestone_factories(
    *, due: bool | None = None
) -> SearchStrategy[Callable[[str, Scope], Milestone]]:
    """Milestones, due (if at all) within the window; `due` pins whether they are."""
    return _milestones(due)


@st.composite
def _tasks(
    draw: st.DrawFn,
    target_lists: SearchStrategy[list[Callable[[str, Scope], Target]]],
    milestone_lists: SearchStrategy[list[Callable[[str, Scope], Milestone]]],
    dated: bool | None,
) -> Callable[[str, Scope], Task]:
    start_position, due_position = draw(_DATES[dated]), draw(_DATES[dated])
    target_builds, milestone_builds = draw(target_lists), draw(milestone_lists)
    title, themes = draw(gen.TEXTS), draw(gen.REFS)
    lead, partners = draw(_UNIT_NAMES), draw(_UNIT_NAMES)
    weight, trajectory, sources = draw(gen.weights), draw(gen.TRAJECTORIES), draw(gen.SOURCES)

    def build(task_id: str, scope: Scope) -> Task:
        start = gen.place_maybe(start_position, scope.lo, scope.hi)
        lo = scope.lo if start is None else start.toordinal()
        due = gen.place_maybe(due_position, lo, scope.hi)
        hi = scope.hi if due is None else due.toordinal()
        inner = Scope(lo, hi)
        return Task(
            task_id,
            title,
            themes=gen.pick(themes, scope.themes),
            lead=lead,
            partners=partners,
            start=start,
            due=due,
            weight=weight,
            targets=[b(f"{task_id}-g{i}", inner) for i, b in enumerate(target_builds, 1)],
            milestones=[b(f"{task_id}-ms{i}", inner) for i, b in enumerate(milestone_builds, 1)],
            trajectory=gen.trajectory_in(trajectory, lo, hi),
            sources=gen.sources_in(sources, *scope.sources_window()),
        )

    return build


@lru_cache(maxsize=64)
def task_factories(
    *, max_targets: int = 2, max_milestones: int = 2, dated: bool | None = None
) -> SearchStrategy[Callable[[str, Scope], Task]]:
    """Tasks within the window, with targets and milestones within the task's dates.

    Their ids extend the task's: `<task>-g1` for targets, `<task>-ms1` for
    milestones. `dated` pins whether `start` and `due` are set.
    """
    return _tasks(
        st.lists(target_factories(), max_size=max_targets),
        st.lists(milestone_factories(), max_size=max_milestones),
        dated,
    )


@st.composite
def _measures(
    draw: st.DrawFn,
    task_lists: SearchStrategy[list[Callable[[str, Scope], Task]]],
    target_lists: SearchStrategy[list[Callable[[str, Scope], Target]]],
) -> Callable[[str, int, Scope], Measure]:
    task_builds, target_builds = draw(task_lists), draw(target_lists)
    title, themes, lead, sources = (
        draw(gen.TEXTS),
        draw(gen.REFS),
        draw(_UNIT_NAMES),
        draw(gen.SOURCES),
    )

    def build(measure_id: str, number: int, scope: Scope) -> Measure:
        return Measure(
            measure_id,
            number,
            title,
            themes=gen.pick(themes, scope.themes),
            lead=lead,
            tasks=[b(f"{measure_id}-t{i}", scope) for i, b in enumerate(task_builds, 1)],
            targets=[b(f"{measure_id}-g{i}", scope) for i, b in enumerate(target_builds, 1)],
            sources=gen.sources_in(sources, *scope.sources_window()),
        )

    return build


@lru_cache(maxsize=64)
def measure_factories(
    *, min_tasks: int = 0, max_tasks: int = 4, max_targets: int = 1
) -> SearchStrategy[Callable[[str, int, Scope], Measure]]:
    """Measures, built from an id and a number, with tasks and targets of their own.

    Their ids extend the measure's: `<measure>-t1` for tasks, `<measure>-g1`
    for its own targets.
    """
    return _measures(
        st.lists(task_factories(), min_size=min_tasks, max_size=max_tasks),
        st.lists(target_factories(), max_size=max_targets),
    )


@st.composite
def _policies(draw: st.DrawFn) -> Callable[[str, Scope], Policy]:
    title, themes, served = draw(gen.TEXTS), draw(gen.REFS), draw(gen.REFS)
    issuer, due_position = draw(_MAYBE_NAMES), draw(gen.maybe_positions)
    weight, sources = draw(gen.weights), draw(gen.SOURCES)

    def build(policy_id: str, scope: Scope) -> Policy:
        return Policy(
            policy_id,
            title,
            themes=gen.pick(themes, scope.themes),
            measures=gen.pick(served, scope.measures),
            issuer=issuer,
            due=gen.place_maybe(due_position, scope.lo, scope.hi),
            weight=weight,
            sources=gen.sources_in(sources, *scope.sources_window()),
        )

    return build


#: Policies serving some of the scope's measures, due (if at all) within the window.
policy_factories = _policies()


# -- plans ------------------------------------------------------------------------------

#: A theme's parent: none, or how many themes back it is (wrapping round).
PARENTS = st.none() | st.integers(0, 8)
_EXTRA = st.none() | st.integers(0, 200)
#: The step from one measure's number to the next.
GAPS = st.integers(1, 3)


@attrs.frozen
class PlanParts:
    """What a plan is drawn from, made once for each set of options."""

    period: SearchStrategy[tuple[int, int]]
    themes: SearchStrategy[list[tuple[int | None, Text]]]
    measures: SearchStrategy[list[tuple[int, Callable[[str, int, Scope], Measure]]]]
    policies: SearchStrategy[list[Callable[[str, Scope], Policy]]]
    declared: bool | None


def _themes(prefix: str, specs: list[tuple[int | None, Text]]) -> list[Theme]:
    """Themes whose parents (when they have one) come before them, at most 64 levels deep."""
    themes: list[Theme] = []
    levels: list[int] = []
    for i, (choice, title) in enumerate(specs):
        above = None if choice is None or i == 0 else i - 1 - choice % i
        if above is not None and levels[above] >= MAX_THEME_DEPTH:
            above = None
        themes.append(
            Theme(f"{prefix}th{i + 1}", title, None if above is None else themes[above].id)
        )
        levels.append(1 if above is None else levels[above] + 1)
    return themes


def _declared(draw: st.DrawFn, measures: list[Measure], policies: list[Policy]) -> Declared:
    """Declared counts, each absent or at least the encoded count."""
    counts = (len(measures), sum(len(measure.tasks) for measure in measures), len(policies))
    extra = [draw(_EXTRA) for _ in counts]
    declared = [
        None if more is None else count + more for count, more in zip(counts, extra, strict=True)
    ]
    return Declared(*declared)


@st.composite
def plan_values(draw: st.DrawFn, parts: PlanParts) -> Plan:
    """A plan: themes, then measures that may name them, then policies serving those."""
    lo, hi = draw(parts.period)
    prefix = draw(gen.prefixes)
    themes = _themes(prefix, draw(parts.themes))
    scope = Scope(lo, hi, themes=tuple(theme.id for theme in themes))
    entries = draw(parts.measures)
    numbers = itertools.accumulate(gap for gap, _ in entries)
    measures = [
        build(f"{prefix}m{i}", number, scope)
        for i, ((_, build), number) in enumerate(zip(entries, numbers, strict=True), 1)
    ]
    scope = attrs.evolve(scope, measures=tuple(measure.id for measure in measures))
    policies = [build(f"{prefix}p{i}", scope) for i, build in enumerate(draw(parts.policies), 1)]
    wanted = parts.declared if parts.declared is not None else draw(st.booleans())
    around = gen.widened(lo, hi, before=_YEAR_BEFORE)
    return Plan(
        f"{prefix}plan",
        draw(gen.TEXTS),
        start=gen.day(lo),
        end=gen.day(hi),
        issuer=draw(_MAYBE_NAMES),
        published=gen.place_maybe(draw(gen.maybe_positions), *around),
        themes=themes,
        measures=measures,
        policies=policies,
        declared=_declared(draw, measures, policies) if wanted else None,
        sources=gen.sources_in(draw(gen.SOURCES), *around),
    )


# -- ledgers ----------------------------------------------------------------------------

_PERCENTS = st.none() | st.floats(0.0, 100.0)
_REPEATS = st.sampled_from((1, 1, 1, 1, 2, 3))
_STATUSES = st.sampled_from(Status)
_MAYBE_SOURCE_SPEC = st.none() | gen.SOURCE_SPECS
_BOUND = st.none() | st.integers(0, 2)
#: How many days before and after the plan period records may fall.
RECORD_MARGIN = 31
# How many days before its target's baseline an observation falls (None: anywhere).
_BEFORE_BASELINE = st.sampled_from((None, None, 0, 1))


def observed(draw: st.DrawFn, target: Target) -> Quantity:
    """A value for an observation of `target`: anything in its dimension, or a bound."""
    unit = draw(gen.sampled(gen.units_of(target.value.dimension)))
    choice = draw(_BOUND)
    if choice is None:
        return Quantity(draw(gen.NUMBERS), unit)
    bounds = [target.value]
    if target.upper is not None:
        bounds.append(target.upper)
    if target.baseline is not None:
        bounds.append(target.baseline.value)
    return gen.convert_or_keep(bounds[choice % len(bounds)], unit)


@st.composite
def record_groups(
    draw: st.DrawFn, items: SearchStrategy[tuple[str, Target | None]], period: tuple[int, int]
) -> list[Record]:
    """One to three records for one item on one day (mostly one)."""
    item_id, target = draw(items)
    first, last = gen.widened(*period, before=RECORD_MARGIN, after=RECORD_MARGIN)
    position = draw(gen.maybe_positions)
    on = period[0] if position is None else gen.place(position, first, last)
    if target is not None and target.baseline is not None:
        # Sometimes on or just before the baseline's date: a sum does not count it.
        before = draw(_BEFORE_BASELINE)
        if before is not None and first <= target.baseline.on.toordinal() - before <= last:
            on = target.baseline.on.toordinal() - before
    records: list[Record] = []
    for _ in range(draw(_REPEATS)):
        spec = draw(_MAYBE_SOURCE_SPEC)
        source = (
            None
            if spec is None
            else gen.sources_in([spec], *gen.widened(on, on, before=_YEAR_BEFORE))[0]
        )
        note = draw(_MAYBE_NAMES)
        if target is not None:
            value = observed(draw, target)
            records.append(Observation(item_id, gen.day(on), value, source=source, note=note))
        else:
            status, percent = draw(_STATUSES), draw(_PERCENTS)
            records.append(
                StatusChange(
                    item_id, gen.day(on), status, percent=percent, source=source, note=note
                )
            )
    return records


def ledger_of(most: int, groups: list[list[Record]]) -> Ledger:
    """The ledger of the records of `groups`, in order, keeping the first `most`."""
    return Ledger(tuple(itertools.chain.from_iterable(groups))[:most])


# -- revisions ----------------------------------------------------------------------------

_REVISION_WEIGHTS = st.sampled_from((0.0, 0.5, 1.0, 2.0, 3.0))


def _revisable(item: Task | Policy | Milestone | Target) -> tuple[str, ...]:
    """The fields a revision of `item` may change."""
    if isinstance(item, Task):
        return ("start", "due", "weight")
    if isinstance(item, Target):
        return (
            ("due", "value", "upper", "weight")
            if item.upper is not None
            else (
                "due",
                "value",
                "weight",
            )
        )
    return ("due", "weight")


def _revised_value(draw: st.DrawFn, target: Target) -> Quantity:
    """A new goal for `target` in its unit: any number, or one of its bounds."""
    bounds = [target.value] if target.upper is None else [target.value, target.upper]
    if draw(st.booleans()):
        return draw(st.sampled_from(bounds))
    return Quantity(draw(gen.NUMBERS), target.value.unit)


@st.composite
def revision_values(
    draw: st.DrawFn,
    items: SearchStrategy[Task | Policy | Milestone | Target],
    period: tuple[int, int],
) -> Revision:
    """A revision of one of `items`, of some of the fields it has, dated in `period`
    widened by a month (it may still not fit what earlier revisions left)."""
    item = draw(items)
    first, last = gen.widened(*period, before=RECORD_MARGIN, after=RECORD_MARGIN)
    names = draw(st.lists(st.sampled_from(_revisable(item)), min_size=1, max_size=3, unique=True))
    fields: dict[str, object] = {}
    for name in names:
        if name in ("start", "due"):
            fields[name] = gen.day(draw(st.integers(first, last)))
        elif name == "weight":
            fields[name] = draw(_REVISION_WEIGHTS)
        else:
            assert isinstance(item, Target)
            fields[name] = _revised_value(draw, item)
    start, due = fields.get("start"), fields.get("due")
    if start is not None and due is not None and start > due:  # type: ignore[operator]
        fields["start"], fields["due"] = due, start
    value, upper = fields.get("value"), fields.get("upper")
    if (
        isinstance(value, Quantity)
        and isinstance(upper, Quantity)
        and upper.to(value.unit).value < value.value
    ):
        fields["value"], fields["upper"] = upper, value
    on = gen.day(draw(st.integers(first, last)))
    reason = draw(_MAYBE_NAMES)
    approved = tuple(draw(st.lists(gen.names, max_size=2)))
    return Revision(item.id, on, reason=reason, approved_by=approved, **fields)  # type: ignore[arg-type]


def with_revisions(plan: Plan, ledger: Ledger, revisions: list[Revision], most: int) -> Ledger:
    """`ledger` and those of `revisions` that fit their item after the ones before,
    within `most` records in all."""
    kept: dict[str, list[tuple[int, Revision]]] = {}
    records = list(ledger.records)
    for revision in revisions:
        if len(records) >= most:
            break
        found = kept.setdefault(revision.item, [])
        if revision_problems(plan[revision.item], [*found, (len(found), revision)]):
            continue
        found.append((len(found), revision))
        records.append(revision)
    return Ledger(records)
