"""Roll-ups: which leaves make up each group, and the group's figures (see [Roll-ups][roll-ups]).

The leaves of a plan are its tasks, its policies and each measure's own targets.
`membership` says which leaves each measure, theme and the plan hold;
`flat` computes a group's figures over its leaves, and `nested` the
plain mean of its children when `rules.rollup == "nested"`.

Groups:

- a measure holds its own targets, its tasks and every policy that serves it;
- a theme holds every leaf tagged with it or with one of its sub-themes; a task
  is tagged with its own themes and its measure's, a measure's own target with
  its measure's, a policy with its own; a leaf counts fully in each theme;
- the plan holds every leaf once.

With `"nested"`, the plan's children are its measures and the policies that
serve no measure, and a measure's children are its leaves.

`flat_contributions`, `nested_contributions` and
`part_contributions` say what each leaf, child or rule-3 part adds: its
share is its weight over the counted weight (`1 / n` for the `n` counted
children of a nested roll-up), and it adds `share * completion`, so the
counted contributions add up to the group's completion.

Leaves are numbered in plan order: for each measure, its own targets then its
tasks; then the policies. The figures take per-leaf values as lists indexed by
that number, so a roll-up over a million leaves is a loop over plain values.

Decisions where the design is silent:

- Cancelled leaves are left out of everything: the mean, the expected value,
  the coverage and the group's weight. A leaf of weight 0 is left out of the
  mean and the expected value in both roll-ups (it adds to neither weight nor
  coverage either); a nested group with no counted child has completion `None`.
- A group's `weight` is the sum of the weights of its leaves that are not
  cancelled; its due day is the latest due day among them (the plan's end when
  there is none).
- A group's expected value is taken over the leaves its completion counts, so
  `spi` compares like with like; with no counted leaf both are `None`.
- `coverage` is `None` when the group's weights sum to 0 (there is nothing
  to cover).
- A group of which every leaf is cancelled is itself cancelled.
- A policy counts in the themes it is tagged with, not in those of the measures
  it serves.
- In `"nested"` mode a theme's children are its sub-themes and the leaves
  tagged with it but with none of its sub-themes; children whose completion is
  `None` are left out, and weights play no part in the mean (coverage and
  weight stay weighted over the leaves, as for `"flat"`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple, TypeAlias, TypeVar

import attrs

from ..model import Plan, Policy, Target, Task, Text
from .nodes import Nodes

__all__ = [
    "Contribution",
    "Figures",
    "Leaf",
    "Membership",
    "Take",
    "Terms",
    "flat",
    "flat_again",
    "flat_contributions",
    "membership",
    "nested",
    "nested_contributions",
    "part_contributions",
    "picker",
    "terms",
    "terms_again",
]

_T = TypeVar("_T")

#: A function taking a group's entries out of a column (see `picker`).
Take: TypeAlias = Callable[[Sequence[Any]], Sequence[Any]]

#: Why a leaf of weight 0 is not counted.
_WEIGHT_ZERO = "weight 0"

#: A leaf of a roll-up.
Leaf: TypeAlias = Task | Policy | Target


@attrs.frozen
class Contribution:
    """What one leaf, child or part adds to a result.

    Attributes:
        id: The id of the leaf, child group or part.
        kind: `"task"`, `"policy"`, `"target"`, `"milestone"` or `"measure"`.
        title: Its title.
        weight: The weight it carries here (1 for each child of a nested roll-up).
        share: Its weight over the counted weight, or `None` when not counted.
        completion: The completion it brings, or `None`.
        adds: `share * completion`: what it adds to the result, or `None`.
        counted: Whether the mean counts it.
        reason: Why: the rule that decided its completion, or why it is left out.
        expected: Its expected completion, which enters the result's the same way.
        recorded: Whether it has any record up to the date (coverage counts it).
    """

    id: str
    kind: str
    title: Text
    weight: float
    share: float | None
    completion: float | None
    adds: float | None
    counted: bool
    reason: str
    expected: float | None = None
    recorded: bool = False


class Figures(NamedTuple):
    """A group's figures.

    Attributes:
        completion: Weighted mean completion of its counted leaves, or `None`.
        expected: Weighted mean expected completion of the same leaves, or `None`.
        coverage: Share of its weight with any record, or `None` at weight 0.
        covered: The weight of its leaves with any record.
        weight: Sum of the weights of its leaves that are not cancelled.
        due: Latest due day of those leaves, or `None` when there is none.
        counted: How many leaves the mean counts.
        cancelled: Whether it has leaves and every one is cancelled.
        counted_weight: The weight of the leaves the mean counts.
    """

    completion: float | None
    expected: float | None
    coverage: float | None
    covered: float
    weight: float
    due: int | None
    counted: int
    cancelled: bool
    counted_weight: float


class Terms(NamedTuple):
    """What each leaf puts into the sums of a flat roll-up, as columns by leaf number.

    A leaf that a sum leaves out puts in 0 (-1 for the due day), so that a group's
    figures are sums and maxima over its members' entries: `math.fsum` is exact
    before it rounds, so its zeros change nothing.

    Attributes:
        weight: Its weight, 0 when cancelled.
        covered: Its weight when it has a record and is not cancelled.
        counted: Its weight when the mean counts it: not cancelled, a completion,
            a weight above 0.
        done: `weight * completion` when counted.
        due_by: `weight * expected` when counted.
        counts: Whether the mean counts it.
        live: Whether it is not cancelled.
        due: Its due day, -1 when cancelled.
    """

    weight: list[float]
    covered: list[float]
    counted: list[float]
    done: list[float]
    due_by: list[float]
    counts: list[bool]
    live: list[bool]
    due: list[int]


def terms(
    nodes: Nodes, count: int, *, previous: Terms | None = None, changed: Iterable[int] = ()
) -> Terms:
    """The terms of the first `count` nodes of `nodes` (the leaves).

    Args:
        nodes: The node table.
        count: How many leaves there are.
        previous: The terms of the same leaves at another date, if only the leaves
            `changed` may differ but for their expected completion.
        changed: The leaves whose completion, record or cancellation may differ.
    """
    weights, completions = nodes.weight, nodes.completion
    recorded, cancelled, dues = nodes.recorded, nodes.cancelled, nodes.due
    if previous is None:
        zeros, no = [0.0] * count, [False] * count
        weight, covered, counted, done = list(zeros), list(zeros), list(zeros), zeros
        counts, live, due = list(no), no, [-1] * count
        positions: Iterable[int] = range(count)
    else:
        weight, covered, counted, done = (list(c) for c in previous[:4])
        counts, live = list(previous.counts), list(previous.live)
        due = list(previous.due)
        positions = changed
    for i in positions:
        w, completion = weights[i], completions[i]
        if cancelled[i]:
            weight[i], covered[i], live[i], due[i] = 0.0, 0.0, False, -1
        else:
            weight[i], covered[i], live[i], due[i] = w, w if recorded[i] else 0.0, True, dues[i]
        if cancelled[i] or completion is None or w <= 0.0:
            counted[i], done[i], counts[i] = 0.0, 0.0, False
        else:
            counted[i], done[i], counts[i] = w, w * completion, True
    return Terms(weight, covered, counted, done, _due_by(nodes, counted), counts, live, due)


def _due_by(nodes: Nodes, counted: list[float]) -> list[float]:
    """What each leaf was due to have done: its counted weight times its expected
    completion (set whenever it is counted)."""
    expecteds = nodes.expected[: len(counted)]
    return [c * e if c else 0.0 for c, e in zip(counted, expecteds, strict=True)]  # type: ignore[operator]


def terms_again(nodes: Nodes, previous: Terms, changed: Iterable[int]) -> Terms:
    """The terms of the leaves at another date than `previous`, when the leaves
    `changed` kept their records, cancellations and whether they have a completion
    (and no weight changed): only what they have done and are due to have done
    differ, the other columns are `previous`'s own lists.

    >>> nodes = Nodes()
    >>> nodes.weight, nodes.completion, nodes.expected = [1.0, 3.0], [1.0, 0.5], [0.5, 0.5]
    >>> nodes.recorded, nodes.cancelled, nodes.due = [True, False], [False, False], [10, 20]
    >>> before = terms(nodes, 2)
    >>> nodes.completion, nodes.expected = [1.0, 0.75], [0.75, 0.75]
    >>> after = terms_again(nodes, before, [1])
    >>> after == terms(nodes, 2), after.done, after.weight is before.weight
    (True, [1.0, 2.25], True)
    """
    weights, completions = nodes.weight, nodes.completion
    done, counted = list(previous.done), previous.counted
    for i in changed:
        if counted[i]:
            done[i] = weights[i] * completions[i]  # type: ignore[operator]
    return previous._replace(done=done, due_by=_due_by(nodes, counted))


def picker(members: Sequence[int]) -> Callable[[Sequence[_T]], Sequence[_T]]:
    """A function taking the entries of `members` out of a column, in one call."""
    if isinstance(members, range) and members.step == 1:
        first, stop = members.start, members.stop
        return lambda column: column[first:stop]
    if not members:
        return lambda column: ()
    if len(members) == 1:
        only = members[0]
        return lambda column: (column[only],)
    return itemgetter(*members)


def flat(
    members: Sequence[int],
    nodes: Nodes,
    *,
    leaf_terms: Terms | None = None,
    take: Take | None = None,
) -> Figures:
    """A group's figures over its leaves `members` (node numbers in `nodes`).

    Args:
        members: The group's leaves.
        nodes: The node table.
        leaf_terms: The `terms` of the leaves, when many groups share them.
        take: `picker(members)`, when made already.

    >>> nodes = Nodes()
    >>> nodes.weight, nodes.completion, nodes.expected = [1.0, 3.0], [1.0, 0.5], [0.5, 0.5]
    >>> nodes.recorded, nodes.cancelled, nodes.due = [True, False], [False, False], [10, 20]
    >>> figures = flat([0, 1], nodes)
    >>> figures.completion, figures.expected, figures.coverage, figures.due
    (0.625, 0.5, 0.25, 20)
    """
    if leaf_terms is None:
        leaf_terms = terms(nodes, max(members, default=-1) + 1)
    if take is None:
        take = picker(members)
    fsum = math.fsum
    total = fsum(take(leaf_terms.weight))
    covered_weight = fsum(take(leaf_terms.covered))
    counted_weight = fsum(take(leaf_terms.counted))
    mean, expect = _means(leaf_terms, take, counted_weight)
    due = max(take(leaf_terms.due), default=-1)
    return Figures(
        completion=mean,
        expected=expect,
        coverage=min(1.0, covered_weight / total) if total > 0.0 else None,
        covered=covered_weight,
        weight=total,
        due=due if due >= 0 else None,
        counted=sum(take(leaf_terms.counts)),
        cancelled=bool(members) and not any(take(leaf_terms.live)),
        counted_weight=counted_weight,
    )


def flat_again(before: Figures, leaf_terms: Terms, take: Take) -> Figures:
    """A group's figures at another date than `before`, those of
    [`flat`][beijing_plan._engine.rollup.flat] at the earlier date, when its leaves'
    terms may differ only in `done` and `due_by`: which leaves count, are covered,
    live and due then is as before, so only the two means are summed again.

    >>> nodes = Nodes()
    >>> nodes.weight, nodes.completion, nodes.expected = [1.0, 3.0], [1.0, 0.5], [0.5, 0.5]
    >>> nodes.recorded, nodes.cancelled, nodes.due = [True, False], [False, False], [10, 20]
    >>> before = flat([0, 1], nodes)
    >>> nodes.completion, nodes.expected = [1.0, 0.75], [0.75, 0.75]
    >>> after = flat_again(before, terms(nodes, 2), picker([0, 1]))
    >>> after == flat([0, 1], nodes), after.completion, after.expected
    (True, 0.8125, 0.75)
    """
    if before.counted_weight <= 0.0:
        return before
    mean, expect = _means(leaf_terms, take, before.counted_weight)
    return before._replace(completion=mean, expected=expect)


def _means(
    leaf_terms: Terms, take: Take, counted_weight: float
) -> tuple[float | None, float | None]:
    """A group's weighted mean completion and expected completion over the leaves
    `take` picks, whose counted weight is `counted_weight` (`None` at 0)."""
    if not counted_weight > 0.0:
        return None, None
    fsum = math.fsum
    return (
        min(1.0, fsum(take(leaf_terms.done)) / counted_weight),
        min(1.0, fsum(take(leaf_terms.due_by)) / counted_weight),
    )


def nested(
    children: Sequence[tuple[float | None, float | None]],
) -> tuple[float | None, float | None]:
    """The plain means of the children's `(completion, expected)`, leaving out `None`.

    >>> nested([(1.0, 0.5), (0.0, 0.5), (None, 0.5)])
    (0.5, 0.5)
    """
    counted = [(c, e) for c, e in children if c is not None]
    if not counted:
        return None, None
    completion = math.fsum(c for c, _ in counted) / len(counted)
    expect = math.fsum(0.0 if e is None else e for _, e in counted) / len(counted)
    return min(1.0, completion), min(1.0, expect)


@attrs.frozen
class Membership:
    """Which leaves each group holds, by leaf number.

    Attributes:
        leaves: The leaves, in plan order.
        measures: Each measure's leaves: own targets, tasks, policies serving it.
        themes: Each theme's leaves, sub-themes' included.
        plan: Every leaf once.
        top: The plan's children other than measures under `"nested"`: the
            policies that serve no measure.
        sub_themes: Each theme's direct sub-themes.
        direct: Each theme's leaves tagged with none of its sub-themes.
        theme_order: Theme ids, deepest first, so sub-themes come before parents.
    """

    leaves: tuple[Leaf, ...]
    measures: Mapping[str, tuple[int, ...]]
    themes: Mapping[str, tuple[int, ...]]
    plan: range
    top: tuple[int, ...]
    sub_themes: Mapping[str, tuple[str, ...]]
    direct: Mapping[str, tuple[int, ...]]
    theme_order: tuple[str, ...]


class _ThemeIndex:
    """Closures of theme sets, cached: a plan has few distinct ones."""

    def __init__(self, plan: Plan) -> None:
        self.ancestors = {theme.id: plan.theme_ancestors(theme.id) for theme in plan.themes}
        self.cache: dict[frozenset[str], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def closure(self, tags: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The themes a leaf tagged `tags` counts in, and those it is direct in."""
        found = self.cache.get(tags)
        if found is None:
            ancestors = self.ancestors
            above = {a for tag in tags for a in ancestors[tag]}
            every = tuple(sorted(tags | above))
            direct = tuple(sorted(tag for tag in tags if tag not in above))
            found = self.cache[tags] = (every, direct)
        return found


def membership(plan: Plan) -> Membership:
    """Which leaves each measure, theme and the plan hold."""
    index = _ThemeIndex(plan)
    leaves: list[Leaf] = []
    measures: dict[str, list[int]] = {measure.id: [] for measure in plan.measures}
    themes: dict[str, list[int]] = {theme.id: [] for theme in plan.themes}
    direct: dict[str, list[int]] = {theme.id: [] for theme in plan.themes}

    def tag(position: int, tags: frozenset[str]) -> None:
        if tags:
            every, own = index.closure(tags)
            for theme_id in every:
                themes[theme_id].append(position)
            for theme_id in own:
                direct[theme_id].append(position)

    for measure in plan.measures:
        members = measures[measure.id]
        measure_leaves: tuple[Leaf, ...] = (*measure.targets, *measure.tasks)
        for leaf in measure_leaves:
            position = len(leaves)
            leaves.append(leaf)
            members.append(position)
            own = leaf.themes if isinstance(leaf, Task) else frozenset()
            tag(position, own | measure.themes if own else measure.themes)
    top: list[int] = []
    for policy in plan.policies:
        position = len(leaves)
        leaves.append(policy)
        served = dict.fromkeys(policy.measures)
        for measure_id in served:
            measures[measure_id].append(position)
        if not served:
            top.append(position)
        tag(position, policy.themes)
    sub_themes: dict[str, list[str]] = {theme.id: [] for theme in plan.themes}
    for theme in plan.themes:
        if theme.parent is not None:
            sub_themes[theme.parent].append(theme.id)
    depth = {theme_id: len(chain) for theme_id, chain in index.ancestors.items()}
    order = sorted(depth, key=lambda theme_id: -depth[theme_id])
    return Membership(
        leaves=tuple(leaves),
        measures={key: tuple(value) for key, value in measures.items()},
        themes={key: tuple(value) for key, value in themes.items()},
        plan=range(len(leaves)),
        top=tuple(top),
        sub_themes={key: tuple(value) for key, value in sub_themes.items()},
        direct={key: tuple(value) for key, value in direct.items()},
        theme_order=tuple(order),
    )


def _contribution(
    nodes: Nodes,
    position: int,
    *,
    weight: float,
    share: float | None,
    reason: str,
    completion: float | None,
) -> Contribution:
    return Contribution(
        nodes.ids[position],
        nodes.kinds[position],
        nodes.items[position].title,
        weight,
        share,
        completion,
        None if share is None or completion is None else share * completion,
        share is not None,
        reason,
        nodes.expected[position],
        nodes.recorded[position],
    )


def flat_contributions(members: Sequence[int], nodes: Nodes) -> tuple[Contribution, ...]:
    """Each leaf's share of a flat roll-up and what it adds, in plan order.

    A leaf is counted unless it is cancelled, its completion is `None` or its
    weight is 0; its reason is the rule that decided its completion (`"weight 0"`
    for a leaf of weight 0).
    """
    weight, completion, cancelled = nodes.weight, nodes.completion, nodes.cancelled
    total = math.fsum(weight[i] for i in members if not cancelled[i] and completion[i] is not None)
    out: list[Contribution] = []
    for i in members:
        c = completion[i]
        share = None
        if weight[i] > 0.0 and c is not None and not cancelled[i]:
            share = weight[i] / total
        reason = nodes.rule[i] or "missing"
        if weight[i] <= 0.0 and not cancelled[i]:
            reason = _WEIGHT_ZERO
        out.append(
            _contribution(nodes, i, weight=weight[i], share=share, reason=reason, completion=c)
        )
    return tuple(out)


def nested_contributions(
    children: Sequence[int], nodes: Nodes, groups: Container[int]
) -> tuple[Contribution, ...]:
    """Each child's equal share of a nested roll-up (children in `groups` are groups).

    A child counts when its completion is known, unless it is a leaf of weight 0.
    """
    completion, weight = nodes.completion, nodes.weight
    counts = [completion[i] is not None and (i in groups or weight[i] > 0.0) for i in children]
    count = sum(counts)
    out: list[Contribution] = []
    for i, counted in zip(children, counts, strict=True):
        c = completion[i]
        share = 1.0 / count if counted else None
        reason = nodes.rule[i] or ("nested" if i in groups else "missing")
        if not counted and i not in groups and weight[i] <= 0.0 and not nodes.cancelled[i]:
            reason = _WEIGHT_ZERO
        out.append(_contribution(nodes, i, weight=1.0, share=share, reason=reason, completion=c))
    return tuple(out)


def part_contributions(
    entries: Sequence[tuple[int, tuple[float, float | None, bool] | None]],
    nodes: Nodes,
    *,
    zero: bool,
) -> tuple[Contribution, ...]:
    """Each target's and milestone's share of a task decided by rule 3.

    Args:
        entries: Node number and rule-3 part `(weight, completion, recorded)` of
            each target and milestone (`None` for a cancelled milestone).
        nodes: The node table.
        zero: Whether a target without observation counts 0 (`missing="zero"`).
    """
    total = math.fsum(
        part[0] for _, part in entries if part is not None and (part[1] is not None or zero)
    )
    out: list[Contribution] = []
    for i, part in entries:
        if part is None:
            out.append(
                _contribution(
                    nodes,
                    i,
                    weight=nodes.weight[i],
                    share=None,
                    reason="cancelled",
                    completion=None,
                )
            )
            continue
        weight, value, recorded = part
        if value is None and zero:
            value = 0.0
        share = weight / total if total > 0.0 and value is not None else None
        if nodes.kinds[i] == "target":
            reason = "attainment" if recorded else "missing"
        else:
            reason = "done" if value == 1.0 else "not_done" if recorded else "missing"
        out.append(
            _contribution(nodes, i, weight=weight, share=share, reason=reason, completion=value)
        )
    return tuple(out)
