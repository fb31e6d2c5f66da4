"""The assessment engine: every node's figures, computed once, as plain values.

[`Assessment`][beijing_plan.assessment.Assessment] builds one `Engine` and asks it
for each node's figures; the engine reads the ledger, computes the parts, the
leaves and the groups into one node table (`Nodes`) and computes contributions
and explanations on demand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cached_property

import pendulum

from .. import explain as _explain
from ..ledger import Ledger, Revision, Status
from ..model import Aggregation, Item, Milestone, Plan, Policy, Target, Task, Text
from ..rules import Rules
from ..units import Quantity, computed
from .completion import (
    ATTAINMENT,
    CANCELLED,
    MISSING,
    PARTS,
    Part,
    Point,
    aggregate,
    as_part,
    counted_points,
    last_value,
    leaf_completion,
    milestone_completion,
    missing_completion,
    records_in_force,
)
from .nodes import TARGET, Nodes
from .reporting import Owed, leaf_reports, silent_leaves
from .revisions import check_revisions, done_by, item_in_force, revisions_of
from .rollup import (
    Contribution,
    Figures,
    Take,
    Terms,
    flat,
    flat_contributions,
    membership,
    nested,
    nested_contributions,
    part_contributions,
    picker,
    terms,
)
from .schedule import Forecast, Window, forecast, progress, schedule, window
from .units import ResponsibleUnit, unit_members

__all__ = ["Engine", "Layout"]


class Layout:
    """What an assessment takes from the plan alone, whatever the date or the ledger.

    Several assessments of one plan (a history) share it.

    Attributes:
        membership: Which leaves each group holds.
        parts: The targets and milestones of tasks, numbered after the leaves.
        owners: The task of each part.
        items: The leaves, then the parts: the nodes before the groups.
        index: Each leaf's and part's number by id.
        node_index: Each node's number by id, the groups' too: the engines of the plan
            number them alike (measures, then themes, then the plan, after the parts).
        first_part: The number of a task's first part, by the task's number.
    """

    def __init__(self, plan: Plan) -> None:
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
        self.parts, self.owners = parts, owners
        self.sub_start, self.sub_end = count, count + len(parts)
        self.items: list[Task | Policy | Target | Milestone] = [*leaves, *parts]
        self.index: dict[str, int] = {item.id: i for i, item in enumerate(self.items)}
        groups = [
            *(measure.id for measure in plan.measures),
            *mem.theme_order,
            plan.id,
        ]
        numbers = range(self.sub_end, self.sub_end + len(groups))
        self.node_index: dict[str, int] = {**self.index, **dict(zip(groups, numbers, strict=True))}
        #: What each node takes: `""` status changes, a dimension observations of it.
        self.takes = [
            item.value.dimension if isinstance(item, Target) else "" for item in self.items
        ]
        #: Each group's `picker`, by kind and id, made on first use.
        self.pickers: dict[tuple[str, str], Take] = {}

    @cached_property
    def blank(self) -> Nodes:
        """A node table of the leaves and parts with no figures yet, to be copied."""
        nodes = Nodes()
        nodes.grow(self.items)
        return nodes

    @cached_property
    def dues(self) -> list[int]:
        """The due day of each leaf and part as planned."""
        windows, numbers = self.windows
        return [windows[number][1] for number in numbers]

    @cached_property
    def windows(self) -> tuple[list[Window], list[int]]:
        """The distinct windows of the leaves and parts as planned, and each one's window."""
        distinct: dict[Window, int] = {}
        numbers: list[int] = []
        start, end = self.start, self.end
        for position, item in enumerate(self.items):
            task = self.owners[position - self.sub_start] if position >= self.sub_start else None
            span = window(item, plan_start=start, plan_end=end, task=task)
            numbers.append(distinct.setdefault(span, len(distinct)))
        return list(distinct), numbers


class Engine:
    """Every node's figures in one node table, computed from a plan, a ledger and rules.

    Attributes:
        nodes: The node table (see `Nodes` for the numbering).
        index: Each node's number by id.
        groups: Each group's roll-up mode, the node numbers it is taken over and
            its figures, by node number.
    """

    def __init__(
        self,
        plan: Plan,
        ledger: Ledger,
        as_of: pendulum.Date,
        rules: Rules,
        known_at: pendulum.Date | None = None,
        *,
        layout: Layout | None = None,
    ) -> None:
        self.plan, self.ledger, self.as_of, self.rules = plan, ledger, as_of, rules
        self.known_at = known_at
        self.day = as_of.toordinal()
        self.layout = layout = Layout(plan) if layout is None else layout
        self.start, self.end = layout.start, layout.end
        self.membership = layout.membership
        self.leaf_count = layout.leaf_count
        self.first_part = layout.first_part
        self.sub_start, self.sub_end = layout.sub_start, layout.sub_end
        self.owners = layout.owners
        self.nodes = nodes = layout.blank.copy()
        self.index = layout.node_index  # shared by the engines of the layout: never written
        self.groups: dict[int, tuple[str, Sequence[int], Figures]] = {}
        self.contributed: dict[int, tuple[Contribution, ...]] = {}
        self.units: dict[str, dict[str, int]] = {}
        self.reports: list[Owed] | None = None
        self.members: dict[int, Sequence[int]] = {}
        self._read()
        self._revise()
        self._parts(range(self.sub_start, self.sub_end))
        self._leaves(range(self.leaf_count))
        self._schedule()
        self.terms = self._terms()
        self._groups()
        #: How many nodes the plan itself has; units made later come after them.
        self.size = len(nodes)

    @cached_property
    def known(self) -> Ledger:
        """The records that count: known at `known_at`, corrections applied."""
        return self.ledger.known_at(self.known_at)

    def __reduce__(
        self,
    ) -> tuple[
        type[Engine],
        tuple[Plan, Ledger, pendulum.Date, Rules, pendulum.Date | None],
        tuple[str, ...],
    ]:
        """Pickled as what it is computed from; unpickling computes it again.

        The roles whose units were made come along, so that their nodes get the
        same numbers again (results refer to their node by number).
        """
        arguments = (self.plan, self.ledger, self.as_of, self.rules, self.known_at)
        return Engine, arguments, tuple(self.units)

    def __setstate__(self, roles: tuple[str, ...]) -> None:
        """Make the units of `roles` again, in the order they were first made."""
        for role in roles:
            self.unit_positions(role)

    # -- the ledger ----------------------------------------------------------------------

    def _read(self) -> None:
        """Each node's status in force and observations; on a wrong record, fail as check does."""
        self.latest, self.observed, wrong = records_in_force(
            self.known.records, index=self.layout.index, takes=self.layout.takes, as_of=self.day
        )
        if wrong:
            self.ledger.check(self.plan)  # the paths of the whole ledger's records

    # -- nodes ---------------------------------------------------------------------------

    def _revise(self) -> None:
        """The items in force at the date, by id (revised ones only), and their weights."""
        #: The items as revisions leave them at the date, by id (only those revised).
        self.in_force: dict[str, Task | Policy | Milestone | Target] = {}
        #: The revisions that count, by item (none with `basis="original"`).
        self.revised: dict[str, list[Revision]] = {}
        if self.rules.basis == "original" or not self.ledger.has_revisions():
            return
        self.revised = revised = revisions_of(self.known.records)
        if not revised:
            return
        nodes, index, in_force = self.nodes, self.index, self.in_force
        check_revisions(self.plan, self.ledger, self.known, revised)
        for item_id, found in revised.items():
            position = index[item_id]
            item = nodes.items[position]
            assert isinstance(item, Task | Policy | Milestone | Target)
            current = item_in_force(item, found, self.day)
            nodes.weight[position] = current.weight  # revised or not: each date sets its own
            if current is not item:
                in_force[item_id] = current

    def current(self, position: int) -> Item | Plan | ResponsibleUnit:
        """The item of the node at `position` as in force at the date."""
        item = self.nodes.items[position]
        if not self.in_force:
            return item
        found = self.in_force.get(item.id)
        return item if found is None else found

    def span(self, position: int, *, original: bool = False) -> Window:
        """The window of the leaf, target or milestone at `position` (as planned: `original`)."""
        item = self.nodes.items[position] if original else self.current(position)
        task = None
        if position >= self.sub_start:
            task = self.owners[position - self.sub_start]
            if not original:
                task = self.in_force.get(task.id, task)  # type: ignore[assignment]
        assert isinstance(item, Task | Policy | Milestone | Target)
        return window(item, plan_start=self.start, plan_end=self.end, task=task)

    def points(self, target: Target, position: int) -> list[Point]:
        """The counted observations of `target`, the node at `position`."""
        return counted_points(
            target, self.observed.get(position, ()), as_of=self.day, plan_start=self.start
        )

    def _target(self, target: Target, position: int) -> float | None:
        """A target's attainment (`None` without an observation); keeps its value and ratio."""
        observed = self.observed.get(position)
        if not observed:
            return None
        if target.aggregation is Aggregation.LAST:
            value: Decimal | None = last_value(target, observed)
        else:
            value = aggregate(target, self.points(target, position))
            if value is None:
                return None
        return self._attain(target, position, value)  # type: ignore[arg-type]

    def _attain(self, target: Target, position: int, value: Decimal) -> float:
        """The attainment of `target` at `value`; keeps the value and the raw ratio."""
        ratio = target.level_ratio(value)
        self.nodes.values[position] = value
        self.nodes.ratios[position] = ratio
        return min(1.0, max(0.0, ratio))

    def _terms(self) -> Terms:
        """What each leaf puts into the roll-ups' sums."""
        return terms(self.nodes, self.leaf_count)

    def _schedule(self) -> None:
        """The expected completion, status and due day of every leaf and part."""
        nodes, count = self.nodes, self.sub_end
        layout = self.layout
        if self.in_force:  # revised items run in windows of their own
            windows, numbers = [self.span(i) for i in range(count)], range(count)
            dues = [span[1] for span in windows]
        else:
            (windows, numbers), dues = layout.windows, layout.dues  # type: ignore[assignment]
        nodes.expected[:count], nodes.status[:count] = schedule(
            self.day,
            windows,
            numbers,
            dues=dues,
            completions=nodes.completion[:count],
            cancelled=nodes.cancelled[:count],
            rules=self.rules,
        )
        nodes.due[:count] = dues

    def _store(
        self, position: int, completion: float | None, *, recorded: bool, cancelled: bool
    ) -> None:
        nodes = self.nodes
        nodes.completion[position] = completion
        nodes.recorded[position] = recorded
        nodes.cancelled[position] = cancelled

    def _parts(self, positions: Iterable[int]) -> None:
        """The completions of the targets and milestones of tasks at `positions`."""
        latest, items = self.latest, self.nodes.items
        for position in positions:
            item = items[position]
            if self.in_force:
                item = self.in_force.get(item.id, item)
            if isinstance(item, Target):
                completion = self._target(item, position)
                recorded, cancelled = position in self.observed, False
            else:
                status = latest[position]
                completion = milestone_completion(status)
                recorded = status is not None
                cancelled = recorded and status.status is Status.CANCELLED  # type: ignore[union-attr]
            self._store(position, completion, recorded=recorded, cancelled=cancelled)

    def _part_entries(self, task: Task, first: int) -> list[tuple[int, Part | None]]:
        """A task's targets and milestones as rule-3 parts (`None`: cancelled)."""
        nodes = self.nodes
        return [
            (
                position,
                as_part(
                    nodes.weight[position],
                    nodes.completion[position],
                    target=nodes.kinds[position] == TARGET,
                    recorded=nodes.recorded[position],
                    cancelled=nodes.cancelled[position],
                ),
            )
            for position in range(first, first + len(task.targets) + len(task.milestones))
        ]

    def _leaves(self, positions: Iterable[int]) -> None:
        """The completions of the leaves at `positions`, their parts' done already."""
        rules, latest, items = self.rules, self.latest, self.nodes.items
        first_part, store = self.first_part, self._store
        rule_of, recorded_of = self.nodes.rule, self.nodes.recorded
        missing = missing_completion(rules)
        for position in positions:
            leaf = items[position]
            if self.in_force:
                leaf = self.in_force.get(leaf.id, leaf)
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
                        recorded = recorded or recorded_of[part_position]
                        if part is not None:
                            parts.append(part)
                completion, rule = leaf_completion(status, parts, rules)
                cancelled = rule is CANCELLED
            rule_of[position] = rule
            store(position, completion, recorded=recorded, cancelled=cancelled)

    # -- groups --------------------------------------------------------------------------

    def _group(
        self,
        position: int,
        members: tuple[int, ...] | range,
        children: tuple[int, ...] | None,
    ) -> int:
        """The figures of the group at `position` (its node made already)."""
        nodes = self.nodes
        kind, item = nodes.kinds[position], nodes.items[position]
        key = (kind, item.id)
        take = self.layout.pickers.get(key)
        if take is None:
            take = picker(members)
            if kind != "unit":  # units of different roles may share a name
                self.layout.pickers[key] = take
        figures = self._flat(position, members, take)
        completion, fraction = figures.completion, figures.expected
        if children is not None:
            # A leaf of weight 0 is no child that counts; a group counts by its completion.
            weights, completions, expecteds = nodes.weight, nodes.completion, nodes.expected
            leaf_end = self.sub_end
            completion, fraction = nested(
                [
                    (completions[i], expecteds[i])
                    if i >= leaf_end or weights[i] > 0.0
                    else (None, None)
                    for i in children
                ]
            )
        due = figures.due if figures.due is not None else self.end
        status = progress(
            completion,
            fraction,
            as_of=self.day,
            due=due,
            rules=self.rules,
            cancelled=figures.cancelled,
        )
        nodes.weight[position] = figures.weight
        nodes.set(
            position,
            completion,
            fraction,
            status,
            due,
            recorded=bool(figures.coverage),
            cancelled=figures.cancelled,
        )
        listed = members if children is None else children
        self.groups[position] = ("flat" if children is None else "nested", listed, figures)
        self.members[position] = members
        return position

    def _flat(self, position: int, members: tuple[int, ...] | range, take: Take) -> Figures:
        """The flat figures of the group at `position` over its leaves `members`."""
        return flat(members, self.nodes, leaf_terms=self.terms, take=take)

    def _groups(self) -> None:
        plan, mem = self.plan, self.membership
        is_nested = self.rules.rollup == "nested"
        nodes = self.nodes
        self.measure_positions: dict[str, int] = {}
        first = nodes.grow(plan.measures, "measure")
        for position, measure in enumerate(plan.measures, first):
            members = mem.measures[measure.id]
            self.measure_positions[measure.id] = self._group(
                position, members, members if is_nested else None
            )
        self.theme_positions: dict[str, int] = {}
        first = nodes.grow([plan[theme_id] for theme_id in mem.theme_order], "theme")
        for position, theme_id in enumerate(mem.theme_order, first):
            children = None
            if is_nested:
                children = (
                    *(self.theme_positions[sub] for sub in mem.sub_themes[theme_id]),
                    *mem.direct[theme_id],
                )
            self.theme_positions[theme_id] = self._group(position, mem.themes[theme_id], children)
        top = None
        if is_nested:
            top = (*self.measure_positions.values(), *mem.top)
        self.plan_position = self._group(nodes.grow([plan], "plan"), mem.plan, top)

    def unit_positions(self, role: str) -> dict[str, int]:
        """Each unit's node for `role` (`"lead"`, `"partner"` or `"any"`), made on first use.

        A unit is a flat group of the leaves it answers for, whatever `rules.rollup` says.
        """
        found = self.units.get(role)
        if found is None:
            members = unit_members(self.plan, self.membership.leaves, role)
            units = [ResponsibleUnit(name, Text(zh=name, en=name)) for name in members]
            first = self.nodes.grow(units, "unit")
            found = self.units[role] = {
                name: self._group(position, leaves, None)
                for position, (name, leaves) in enumerate(members.items(), first)
            }
        return found

    def owed(self, silent_after: int) -> tuple[list[Owed], list[int]]:
        """Every report the leaves owe by the date, and the silent leaves (numbers)."""
        if self.reports is None:
            self.reports = leaf_reports(
                self.plan, self.membership.leaves, self.known.by_item(), as_of=self.day
            )
        return self.reports, silent_leaves(self.reports, silent_after)

    # -- access --------------------------------------------------------------------------

    def coverage(self, position: int) -> float | None:
        """A node's coverage."""
        group = self.groups.get(position)
        if group is not None:
            return group[2].coverage
        if self.nodes.weight[position] <= 0.0:
            return None
        return 1.0 if self.nodes.recorded[position] else 0.0

    def target_figures(
        self, position: int
    ) -> tuple[float | None, Quantity | None, Forecast | None]:
        """The ratio, current value and forecast of the target at `position`."""
        item = self.current(position)
        assert isinstance(item, Target)
        value = self.nodes.values.get(position)
        current = None if value is None else computed(value, item.value.unit)
        deadline = item.deadline if item.deadline is not None else self.plan.end
        outlook = forecast(item, self.points(item, position), deadline=deadline)
        return self.nodes.ratios.get(position), current, outlook

    def original_due(self, position: int) -> int:
        """The due day of the node at `position` as first planned.

        A group's is the latest of its leaves' that are not cancelled (the plan's end
        when there is none), as for the due day in force.
        """
        if not self.in_force:
            return self.nodes.due[position]
        members = self.members.get(position)
        if members is None:
            return self.span(position, original=True)[1]
        cancelled = self.nodes.cancelled
        dues = [self.span(i, original=True)[1] for i in members if not cancelled[i]]
        return max(dues) if dues else self.end

    def late_against_original(self, position: int) -> bool | None:
        """Whether the leaf, target or milestone at `position` was not done by its
        original due day, now past; `None` for a group."""
        if position in self.groups:
            return None
        if self.nodes.cancelled[position]:
            return False
        due = self.original_due(position)
        if self.day <= due:
            return False
        item = self.nodes.items[position]
        assert isinstance(item, Task | Policy | Milestone | Target)
        return not done_by(
            item,
            due,
            records=self.known.by_item(),
            revised=self.revised,
            plan_start=self.start,
            rules=self.rules,
        )

    def explain(self, result: _explain.Explainable, position: int, lang: str) -> str:
        """The explanation of `result`, the result of the node at `position`."""
        group = self.groups.get(position)
        return _explain.explain(
            result,
            plan=self.plan,
            ledger=self.known,
            as_of=self.as_of,
            rules=self.rules,
            covered=None if group is None else group[2].covered,
            lang=lang,
            entered=self.ledger,
            known_at=self.known_at,
        )

    def contributions(self, position: int) -> tuple[Contribution, ...]:
        """What each leaf, child or part adds to the node at `position`."""
        found = self.contributed.get(position)
        if found is None:
            found = self.contributed[position] = self._contributions(position)
        return found

    def _contributions(self, position: int) -> tuple[Contribution, ...]:
        nodes = self.nodes
        group = self.groups.get(position)
        if group is not None:
            mode, listed, _ = group
            if mode == "flat":
                return flat_contributions(listed, nodes)
            return nested_contributions(listed, nodes, self.groups)
        task = nodes.items[position]
        if nodes.rule[position] is PARTS and isinstance(task, Task):
            entries = self._part_entries(task, self.first_part[position])
            return part_contributions(entries, nodes, zero=self.rules.missing == "zero")
        return ()
