"""`assess` against a small reference written straight from DESIGN sections 4 and 5.

The reference below shares no code with the engine: it reads the plan and the
ledger directly, computes with exact fractions, and follows the design's words
(and, where the design is silent, the decisions written in the engine's module
docstrings and in docs/concepts.md). It is slow and plain on purpose.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any, NamedTuple

from hypothesis import given
from hypothesis import strategies as st

from beijing_plan import strategies as bps
from beijing_plan.assessment import assess
from beijing_plan.ledger import Ledger, Observation, Record, Status, StatusChange, Withdrawal
from beijing_plan.model import Aggregation, Comparator, Plan, Target, Task
from beijing_plan.rules import Progress, Rules
from beijing_plan.units import Quantity, get_unit

ONE, ZERO = Fraction(1), Fraction(0)


class Fig(NamedTuple):
    """A node's figures: what the test compares, and what its groups read."""

    completion: Fraction | None
    expected: Fraction | None
    coverage: Fraction | None
    status: Progress
    weight: Fraction = ZERO
    recorded: bool = False
    cancelled: bool = False
    due: int = 0
    leaf: bool = True


def level(quantity: Quantity, unit: str) -> Fraction:
    """``quantity`` in ``unit``, exactly."""
    factor = Fraction(get_unit(quantity.unit).factor) / Fraction(get_unit(unit).factor)
    return Fraction(quantity.value) * factor


def day(date: Any, default: int) -> int:
    return default if date is None else int(date.toordinal())


def known(ledger: Ledger, known_at: dt.date | None) -> list[Record]:
    """The records that count, by DESIGN section 10: (1) drop records entered after
    `known_at` and withdrawals dated after it, (2) drop what the rest corrects or
    withdraws, and the withdrawals themselves."""
    limit = None if known_at is None else known_at.toordinal()

    def entered(record: Any) -> int:
        if isinstance(record, Withdrawal):
            return int(record.on.toordinal())
        return int((record.recorded or record.on).toordinal())

    left = [r for r in ledger if limit is None or entered(r) <= limit]
    gone = {r.record if isinstance(r, Withdrawal) else r.supersedes for r in left}
    return [r for r in left if not isinstance(r, Withdrawal) and (r.id is None or r.id not in gone)]


class Reference:
    """Every figure of DESIGN sections 4 and 5 for one plan, ledger, day and rules, with the
    ledger as known at `known_at` (section 10)."""

    def __init__(
        self,
        plan: Plan,
        ledger: Ledger,
        as_of: dt.date,
        rules: Rules,
        known_at: dt.date | None = None,
    ) -> None:
        self.plan, self.day, self.rules = plan, as_of.toordinal(), rules
        self.ledger = known(ledger, known_at)
        self.missing = ZERO if rules.missing == "zero" else None
        self.start, self.end = plan.start.toordinal(), plan.end.toordinal()
        self.nodes: dict[str, Fig] = {}

    def records(self, kind: type, item_id: str) -> list[Any]:
        """The item's records of ``kind`` up to the day, in ledger order."""
        return [
            r for r in self.ledger
            if isinstance(r, kind) and r.item == item_id and r.on.toordinal() <= self.day  # type: ignore[union-attr]
        ]  # fmt: skip

    def status_of(self, item_id: str) -> StatusChange | None:
        """The latest status; on one day the later in the ledger."""
        found = None
        for record in self.records(StatusChange, item_id):
            if found is None or record.on >= found.on:
                found = record
        return found

    def current(self, target: Target) -> Fraction | None:
        """The aggregation of the counted observations, one a day (the later in the ledger)."""
        unit = target.value.unit
        by_day = {
            r.on.toordinal(): level(r.value, unit) for r in self.records(Observation, target.id)
        }
        base = target.baseline
        if target.aggregation is Aggregation.SUM:  # increments after the baseline or plan start
            after = day(base and base.on, self.start - 1)
            by_day = {on: value for on, value in by_day.items() if on > after}
        values = [by_day[on] for on in sorted(by_day)]
        if not values:
            return None
        return {
            Aggregation.LAST: lambda: values[-1],
            Aggregation.MAX: lambda: max(values),
            Aggregation.MIN: lambda: min(values),
            Aggregation.MEAN: lambda: sum(values, ZERO) / len(values),
            Aggregation.SUM: lambda: sum(values, level(base.value, unit) if base else ZERO),
        }[target.aggregation]()  # fmt: skip

    def attainment(self, target: Target) -> Fraction | None:
        c, unit = self.current(target), target.value.unit
        if c is None:
            return None
        t = level(target.value, unit)
        b = None if target.baseline is None else level(target.baseline.value, unit)
        if target.comparator is Comparator.AT_LEAST:
            if b is not None and t > b:
                ratio = (c - b) / (t - b)
            else:
                ratio = c / t if t > 0 else ONE if c >= t else ZERO
        elif target.comparator is Comparator.AT_MOST:
            ratio = (b - c) / (b - t) if b is not None and b > t else ONE if c <= t else ZERO
        else:
            upper = t if target.upper is None else level(target.upper, unit)
            ratio = ONE if t <= c <= upper else ZERO
        return min(ONE, max(ZERO, ratio))

    def expected(self, start: int, due: int, trajectory: Any = ()) -> Fraction:
        """0 before start, 1 after due, linear or through the extended trajectory between."""
        start, today = min(start, due), self.day
        if today < start or today > due:
            return ZERO if today < start else ONE
        points = {p.on.toordinal(): Fraction(p.fraction) for p in trajectory}
        if not points:
            return ONE if today == due else Fraction(today - start, due - start)
        points.setdefault(due, ONE)
        points.setdefault(start, ZERO)
        before = max(on for on in points if on <= today)
        after = min(on for on in points if on >= today)
        if before == after:
            return points[today]
        step = (points[after] - points[before]) * Fraction(today - before, after - before)
        return points[before] + step

    def put(self, item_id: str, fig: Fig) -> Fig:
        """Store ``fig`` with its status (and, for a leaf, its coverage)."""
        c, e, rules = fig.completion, fig.expected, self.rules
        index = None if c is None or not e else c / e
        status = (
            Progress.CANCELLED if fig.cancelled
            else Progress.NO_DATA if c is None
            else Progress.DONE if c >= 1
            else Progress.OVERDUE if self.day > fig.due
            else Progress.ON_TRACK if index is None or index >= Fraction(rules.on_track)
            else Progress.AT_RISK if index >= Fraction(rules.at_risk)
            else Progress.OFF_TRACK
        )  # fmt: skip
        coverage = fig.coverage
        if fig.leaf:
            coverage = None if fig.weight == 0 else ONE if fig.recorded else ZERO
        self.nodes[item_id] = fig = fig._replace(status=status, coverage=coverage)
        return fig

    def leaf(self, item: Any, completion: Fraction | None, start: int, due: int, **kw: Any) -> Fig:
        expected = self.expected(start, due, getattr(item, "trajectory", ()))
        fig = Fig(
            completion, expected, None, Progress.NO_DATA, Fraction(item.weight), due=due, **kw
        )
        return self.put(item.id, fig)

    def rules_1_to_7(self, status: StatusChange | None, parts: Fraction | None) -> Fraction | None:
        """Leaf rules 2 to 7 (rule 1 is the caller's); ``parts`` is rule 3's mean, if it applies."""
        code = None if status is None else status.status
        if code is Status.DONE:
            return ONE
        if parts is not None:
            return parts
        if status is not None and status.percent is not None:
            return Fraction(status.percent) / 100
        if code is Status.NOT_STARTED:
            return ZERO
        if code is Status.IN_PROGRESS and self.rules.in_progress_credit is not None:
            return Fraction(self.rules.in_progress_credit)
        return self.missing

    def task(self, task: Task) -> Fig:
        start, due = day(task.start, self.start), day(task.due, self.end)
        status = self.status_of(task.id)
        recorded, applies, parts = status is not None, False, []
        for target in task.targets:
            attained = self.attainment(target)
            seen = bool(self.records(Observation, target.id))  # counted or not, a record
            self.leaf(target, attained, start, day(target.deadline, self.end), recorded=seen)
            recorded, applies = recorded or seen, applies or attained is not None
            if attained is not None or self.missing is not None:
                parts.append((Fraction(target.weight), attained or ZERO))
        for milestone in task.milestones:
            state = self.status_of(milestone.id)
            gone = state is not None and state.status is Status.CANCELLED
            done = ONE if state is not None and state.status is Status.DONE else ZERO
            due_day = day(milestone.due or task.due, self.end)
            own = None if state is None or gone else done
            self.leaf(milestone, own, start, due_day, recorded=state is not None, cancelled=gone)
            recorded = recorded or state is not None
            if not gone:
                applies = applies or state is not None
                parts.append((Fraction(milestone.weight), done))
        total = sum((w for w, _ in parts), ZERO)
        mean = sum((w * v for w, v in parts), ZERO) / total if applies and total > 0 else None
        cancelled = status is not None and status.status is Status.CANCELLED
        completion = None if cancelled else self.rules_1_to_7(status, mean)
        return self.leaf(task, completion, start, due, recorded=recorded, cancelled=cancelled)

    def group(self, item_id: str, members: list[Fig], children: list[Fig] | None) -> Fig:
        active = [leaf for leaf in members if not leaf.cancelled]
        total = sum((leaf.weight for leaf in active), ZERO)
        covered = sum((leaf.weight for leaf in active if leaf.recorded), ZERO)
        # A leaf of weight 0 never counts; nested gives every counted child the same weight.
        counted = [
            x for x in (members if children is None else children)
            if x.completion is not None and not x.cancelled and (x.weight > 0 or not x.leaf)
        ]  # fmt: skip
        weights = [x.weight if children is None else ONE for x in counted]
        completion = expected = None
        if sum(weights, ZERO) > 0:
            done = sum(
                (w * (x.completion or ZERO) for w, x in zip(weights, counted, strict=True)), ZERO
            )
            due_by = sum(
                (w * (x.expected or ZERO) for w, x in zip(weights, counted, strict=True)), ZERO
            )
            completion, expected = done / sum(weights, ZERO), due_by / sum(weights, ZERO)
        fig = Fig(completion, expected, covered / total if total > 0 else None, Progress.NO_DATA,
                  total, bool(covered), bool(members) and not active,
                  max((leaf.due for leaf in active), default=self.end), leaf=False)  # fmt: skip
        return self.put(item_id, fig)

    def run(self) -> dict[str, Fig]:
        leaves: list[tuple[Fig, frozenset[str]]] = []
        served: dict[str, list[Fig]] = {m.id: [] for m in self.plan.measures}
        for measure in self.plan.measures:
            for target in measure.targets:
                attained = self.attainment(target)
                seen = bool(self.records(Observation, target.id))
                completion = self.missing if attained is None else attained
                fig = self.leaf(
                    target, completion, self.start, day(target.deadline, self.end), recorded=seen
                )
                leaves.append((fig, measure.themes))
                served[measure.id].append(fig)
            for task in measure.tasks:
                leaves.append((fig := self.task(task), task.themes | measure.themes))
                served[measure.id].append(fig)
        alone = []
        for policy in self.plan.policies:
            status = self.status_of(policy.id)
            cancelled = status is not None and status.status is Status.CANCELLED
            completion = None if cancelled else self.rules_1_to_7(status, None)
            due = day(policy.due, self.end)
            fig = self.leaf(
                policy,
                completion,
                self.start,
                due,
                recorded=status is not None,
                cancelled=cancelled,
            )
            leaves.append((fig, policy.themes))
            for measure_id in dict.fromkeys(policy.measures):
                served[measure_id].append(fig)
            if not policy.measures:
                alone.append(fig)
        nested = self.rules.rollup == "nested"
        parent = {theme.id: theme.parent for theme in self.plan.themes}

        def above(theme_id: str | None) -> set[str]:
            found: set[str] = set()
            while theme_id is not None and (theme_id := parent[theme_id]) is not None:
                found.add(theme_id)
            return found

        measures = [self.group(m, figs, figs if nested else None) for m, figs in served.items()]
        themes: dict[str, Fig] = {}
        for theme in sorted(self.plan.themes, key=lambda t: -len(above(t.id))):
            inside, direct = [], []
            for leaf, tags in leaves:
                if theme.id in set(tags).union(*map(above, tags)):
                    inside.append(leaf)
                # A direct child: tagged with the theme and with none of its sub-themes.
                if theme.id in tags and not any(theme.id in above(tag) for tag in tags):
                    direct.append(leaf)
            subs = [themes[t.id] for t in self.plan.themes if t.parent == theme.id]
            themes[theme.id] = self.group(theme.id, inside, [*subs, *direct] if nested else None)
        everything = [leaf for leaf, _ in leaves]
        self.group(self.plan.id, everything, [*measures, *alone] if nested else None)
        return self.nodes


def close(a: Fraction | float | None, b: Fraction | float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def on_an_edge(node: Fig, rules: Rules) -> bool:
    """Whether a figure the status reads lies within 1e-9 of where the status changes."""
    index = None
    if node.completion is not None and node.expected:
        index = node.completion / node.expected
    edges = (
        (node.completion, 1),
        (node.expected, 0),
        (index, rules.on_track),
        (index, rules.at_risk),
    )
    return any(value is not None and close(value, edge) for value, edge in edges)


Case = tuple[Plan, Ledger, dt.date, float | None, dt.date | None]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    plan, ledger = draw(bps.plans_and_ledgers(max_measures=3))
    length = plan.end.toordinal() - plan.start.toordinal()
    offset = draw(st.integers(-40, length + 40))
    as_of = dt.date.fromordinal(plan.start.toordinal() + offset)
    known_offset = draw(st.none() | st.integers(-40, length + 130))
    known_at = (
        None if known_offset is None else dt.date.fromordinal(plan.start.toordinal() + known_offset)
    )
    return plan, ledger, as_of, draw(st.sampled_from([None, 0.5])), known_at


@given(cases())
def test_assess_gives_the_figures_of_the_reference(case: Case) -> None:
    """Every result's completion, expected, coverage and status is the reference's, with the
    ledger as known on a drawn day or with everything entered."""
    plan, ledger, as_of, credit, known_at = case
    for missing in ("zero", "exclude"):
        for rollup in ("flat", "nested"):
            rules = Rules(missing=missing, rollup=rollup, in_progress_credit=credit)
            wanted = Reference(plan, ledger, as_of, rules, known_at).run()
            got = assess(plan, ledger, as_of=as_of, rules=rules, known_at=known_at)
            assert len(got) == len(wanted)
            for item_id, node in wanted.items():
                result = got[item_id]
                figures = (result.completion, result.expected, result.coverage)
                where = (missing, rollup, credit, item_id, node, figures, result.status)
                assert all(map(close, node[:3], figures)), where
                if not on_an_edge(node, rules):
                    assert result.status is node.status, where
