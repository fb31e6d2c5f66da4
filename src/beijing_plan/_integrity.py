"""Whole-plan integrity rules: unique ids, references that resolve, theme trees, total weights.

The same rules run on a built [`Plan`][beijing_plan.model.Plan] and on a raw
document that failed to build, so that loading reports structural and semantic
problems together. Both are read through `_get`, which takes attributes
from objects and keys from mappings and skips whatever is malformed (structural
checks report that part).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ._dates import _parse_iso

__all__ = ["MAX_THEME_DEPTH", "plan_problems"]

_LARGEST = sys.float_info.max


def _get(node: object, name: str) -> Any:
    if isinstance(node, Mapping):
        return node.get(name)
    return getattr(node, name, None)


def _items(node: object, name: str) -> list[tuple[str, Any]]:
    value = _get(node, name)
    if isinstance(value, list | tuple):
        return [(f"{name}[{i}]", item) for i, item in enumerate(value)]
    return []


def _theme_refs(node: object, prefix: str) -> list[tuple[str, str]]:
    return [(_join(prefix, p), r) for p, r in _refs(node, "themes", indexed=False)]


def _refs(node: object, name: str, *, indexed: bool = True) -> Iterable[tuple[str, str]]:
    """References held in a list (paths with the index) or a set (the field's path)."""
    value = _get(node, name)
    if isinstance(value, frozenset | set):
        return [(name, ref) for ref in sorted(v for v in value if isinstance(v, str))]
    if isinstance(value, list | tuple):
        return [
            (f"{name}[{i}]" if indexed else name, ref)
            for i, ref in enumerate(value)
            if isinstance(ref, str)
        ]
    return []


def _join(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix else path


def plan_problems(plan: object) -> list[tuple[str, str]]:
    """Every integrity problem of a plan or plan document, as `(path, message)`."""
    ids: list[tuple[str, Any]] = []
    theme_refs: list[tuple[str, str]] = []
    measure_refs: list[tuple[str, str]] = []
    numbers: list[tuple[str, Any]] = []

    ids.append(("id", _get(plan, "id")))
    themes = _items(plan, "themes")
    for path, theme in themes:
        ids.append((f"{path}.id", _get(theme, "id")))
    leaves: list[Any] = []
    measures = _items(plan, "measures")
    for mpath, measure in measures:
        ids.append((f"{mpath}.id", _get(measure, "id")))
        numbers.append((f"{mpath}.number", _get(measure, "number")))
        theme_refs.extend(_theme_refs(measure, mpath))
        for kind in ("tasks", "targets"):
            for tpath, item in _items(measure, kind):
                full = _join(mpath, tpath)
                ids.append((f"{full}.id", _get(item, "id")))
                leaves.append(item)
                theme_refs.extend(_theme_refs(item, full))
                for sub in ("targets", "milestones"):
                    ids.extend(
                        (f"{_join(full, spath)}.id", _get(s, "id"))
                        for spath, s in _items(item, sub)
                    )
    policies = _items(plan, "policies")
    for ppath, policy in policies:
        ids.append((f"{ppath}.id", _get(policy, "id")))
        leaves.append(policy)
        theme_refs.extend(_theme_refs(policy, ppath))
        measure_refs.extend((_join(ppath, p), r) for p, r in _refs(policy, "measures"))

    problems = _duplicates(ids)
    problems.extend(_theme_tree(themes))
    # References are checked only against collections that are wholly readable: a
    # malformed theme or measure is reported elsewhere, and its id is unknown here.
    theme_ids = _known_ids(plan, "themes")
    if theme_ids is not None:
        problems.extend(
            (path, f"{ref!r} is not a theme of the plan")
            for path, ref in theme_refs
            if ref not in theme_ids
        )
    measure_ids = _known_ids(plan, "measures")
    if measure_ids is not None:
        problems.extend(
            (path, f"{ref!r} is not a measure of the plan")
            for path, ref in measure_refs
            if ref not in measure_ids
        )
    problems.extend(_duplicates(numbers))
    problems.extend(_schedule_problems(plan, measures, policies))
    problems.extend(_declared(plan, measures, policies))
    problems.extend(_weight_problems(leaves, measures, policies))
    return problems


def _weight(node: object) -> float | None:
    """A node's weight as a float, or `None` where it is malformed (reported elsewhere)."""
    value = getattr(node, "weight", None)
    if type(value) is float:
        return value if 0.0 <= value <= _LARGEST else None
    if value is None and isinstance(node, Mapping):
        value = node.get("weight")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if 0.0 <= number <= _LARGEST else None


def _weight_problems(
    leaves: list[Any], measures: list[tuple[str, Any]], policies: list[tuple[str, Any]]
) -> list[tuple[str, str]]:
    """Weights whose sum is beyond the largest float: the leaves', or a task's parts'.

    Roll-ups divide by sums of weights (of a group's leaves, of a task's targets
    and milestones); a sum beyond the largest float would be infinite and every
    figure divided by it wrong. Every such sum is part of the sum of all those
    weights, so only when that one is too large are the groups looked at.
    """
    weights = [_weight(leaf) for leaf in leaves]
    for leaf in leaves:
        for sub in ("targets", "milestones"):
            parts = getattr(leaf, sub, None)
            if parts is None and isinstance(leaf, Mapping):
                parts = leaf.get(sub)
            if parts and isinstance(parts, list | tuple):
                weights.extend([_weight(part) for part in parts])
    if not _overflows([weight for weight in weights if weight is not None]):
        return []
    paths = [
        (_join(mpath, path), leaf)
        for mpath, measure in measures
        for kind in ("tasks", "targets")
        for path, leaf in _items(measure, kind)
    ]
    problems = _first_overflow([*paths, *policies], "the plan's leaves")
    for path, leaf in paths:
        parts = [
            (_join(path, sub), part)
            for kind in ("targets", "milestones")
            for sub, part in _items(leaf, kind)
        ]
        problems.extend(_first_overflow(parts, "the task's targets and milestones"))
    return problems


def _overflows(weights: Iterable[float]) -> bool:
    """Whether `weights` sum beyond the largest float."""
    try:
        math.fsum(weights)
    except OverflowError:
        return True
    return False


def _first_overflow(nodes: list[tuple[str, Any]], whose: str) -> list[tuple[str, str]]:
    """A problem at the weight that takes the total weight of `nodes` beyond the largest float."""
    weights = [(path, weight) for path, node in nodes if (weight := _weight(node)) is not None]
    if not _overflows(weight for _, weight in weights):
        return []
    # The weight at which the running sum overflows; the last one where rounding hid it.
    path, weight = weights[-1]
    running = 0.0
    for where, value in weights:
        running += value
        if math.isinf(running):
            path, weight = where, value
            break
    message = f"{weight!r} takes the total weight of {whose} beyond the largest float"
    return [(f"{path}.weight", f"{message} ({_LARGEST!r})")]


def _known_ids(plan: object, name: str) -> set[str] | None:
    value = _get(plan, name)
    if value is None:
        return set()
    if not isinstance(value, list | tuple):
        return None
    ids = {_get(item, "id") for item in value}
    return ids if all(isinstance(i, str) for i in ids) else None


def _duplicates(values: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """Values used twice; strings are compared in NFC, as they look (an NFD twin is one)."""
    problems: list[tuple[str, str]] = []
    first_use: dict[object, str] = {}
    for path, item_id in values:
        if not isinstance(item_id, str | int) or isinstance(item_id, bool):
            continue
        key: object = item_id
        if isinstance(item_id, str) and not item_id.isascii():
            key = unicodedata.normalize("NFC", item_id)
        if key in first_use:
            problems.append((path, f"{item_id!r} is used again (first at {first_use[key]})"))
        else:
            first_use[key] = path
    return problems


#: Deepest nesting of themes: a theme without a parent is at level 1.
MAX_THEME_DEPTH = 64
#: How many ids of a cycle of themes a message shows before counting the rest.
_CYCLE_SHOWN = 5
_IN_CYCLE = -1


def _theme_tree(themes: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """Parents that are not themes, cycles (each named once) and themes nested too deep.

    Each theme's level is found once, walking up its parents only as far as the
    first theme whose level is known, so a chain of `n` themes costs `O(n)`.
    """
    parents: dict[str, Any] = {}
    first_at: dict[str, tuple[int, str]] = {}
    for index, (path, theme) in enumerate(themes):
        theme_id = _get(theme, "id")
        if isinstance(theme_id, str) and theme_id not in parents:
            parents[theme_id] = _get(theme, "parent")
            first_at[theme_id] = (index, path)
    found: list[tuple[int, tuple[str, str]]] = []
    for index, (path, theme) in enumerate(themes):
        parent = _get(theme, "parent")
        if isinstance(parent, str) and isinstance(_get(theme, "id"), str) and parent not in parents:
            found.append((index, (f"{path}.parent", f"{parent!r} is not a theme of the plan")))
    levels: dict[str, int] = {}
    for theme_id in parents:
        chain: list[str] = []
        on_chain: dict[str, int] = {}
        current: Any = theme_id
        while current not in levels:
            on_chain[current] = len(chain)
            chain.append(current)
            parent = parents[current]
            if not isinstance(parent, str) or parent not in parents:
                levels[current] = 1  # a root, or a dangling parent (reported above)
                chain.pop()
                break
            if parent in on_chain:
                cycle = chain[on_chain[parent] :]
                found.append(_cycle_problem(cycle, first_at))
                for member in chain:  # the cycle and the themes that lead into it
                    levels[member] = _IN_CYCLE
                chain = []
                break
            current = parent
        for member in reversed(chain):
            above = levels[parents[member]]
            levels[member] = _IN_CYCLE if above == _IN_CYCLE else above + 1
            if levels[member] == MAX_THEME_DEPTH + 1:
                index, path = first_at[member]
                message = (
                    f"theme {member!r} would be {MAX_THEME_DEPTH + 1} levels deep; "
                    f"themes nest at most {MAX_THEME_DEPTH} levels"
                )
                found.append((index, (f"{path}.parent", message)))
    found.sort(key=lambda item: item[0])
    return [problem for _, problem in found]


def _cycle_problem(
    cycle: list[str], first_at: dict[str, tuple[int, str]]
) -> tuple[int, tuple[str, str]]:
    """One problem for a cycle of themes, at the theme of the cycle that comes first."""
    start = min(range(len(cycle)), key=lambda i: first_at[cycle[i]][0])
    ordered = cycle[start:] + cycle[:start]
    shown = ordered if len(ordered) <= _CYCLE_SHOWN + 1 else ordered[:_CYCLE_SHOWN]
    names = " -> ".join(shown)
    if len(shown) < len(ordered):
        names += f" -> ... {len(ordered) - len(shown)} more"
    index, path = first_at[ordered[0]]
    message = f"theme {ordered[0]!r} is its own ancestor ({names} -> {ordered[0]})"
    return index, (f"{path}.parent", message)


def _day(node: object, name: str) -> dt.date | None:
    """A node's date field as a date, or `None` where absent or malformed (reported elsewhere)."""
    value = _get(node, name)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return _parse_iso(value)
        except ValueError:
            return None
    return None


def _starts_after_due(
    path: str, what: str, due: tuple[str, dt.date | None], start: tuple[str, dt.date]
) -> list[tuple[str, str]]:
    """A problem at `path` when the due day given comes before the start in force."""
    (due_name, due_day), (whose, start_day) = due, start
    if due_day is None or due_day >= start_day:
        return []
    message = f"{due_name} {due_day} is before the {what}'s start, {start_day} ({whose} start)"
    return [(f"{path}.{due_name}", message)]


def _schedule_problems(
    plan: object, measures: list[tuple[str, Any]], policies: list[tuple[str, Any]]
) -> list[tuple[str, str]]:
    """Leaves that would start after they are due, with the engine's defaults.

    As `window` counts: a task runs from its start
    (else the plan's) to its due day (else the plan's end); a policy from the
    plan's start; a milestone and a target from their task's start (a measure's
    own target from the plan's), to their due day or deadline. A task that gives
    both days is checked by the task itself.
    """
    plan_start, plan_end = _day(plan, "start"), _day(plan, "end")
    if plan_start is None or plan_end is None or plan_start > plan_end:
        return []
    at_plan = ("the plan's", plan_start)
    problems: list[tuple[str, str]] = []
    for mpath, measure in measures:
        for tpath, task in _items(measure, "tasks"):
            full = _join(mpath, tpath)
            start, due = _day(task, "start"), _day(task, "due")
            if start is None and _get(task, "start") is not None:
                continue  # a malformed start, reported elsewhere
            if start is None:
                problems.extend(_starts_after_due(full, "task", ("due", due), at_plan))
            elif due is None and _get(task, "due") is None and start > plan_end:
                message = f"start {start} is after the task's due date, {plan_end} (the plan's end)"
                problems.append((f"{full}.start", message))
            at_task = at_plan if start is None else ("its task's", start)
            for gpath, target in _items(task, "targets"):
                where = _join(full, gpath)
                problems.extend(
                    _starts_after_due(
                        where, "target", ("deadline", _day(target, "deadline")), at_task
                    )
                )
            for spath, milestone in _items(task, "milestones"):
                where = _join(full, spath)
                problems.extend(
                    _starts_after_due(where, "milestone", ("due", _day(milestone, "due")), at_task)
                )
        for gpath, target in _items(measure, "targets"):
            where = _join(mpath, gpath)
            problems.extend(
                _starts_after_due(where, "target", ("deadline", _day(target, "deadline")), at_plan)
            )
    for ppath, policy in policies:
        problems.extend(_starts_after_due(ppath, "policy", ("due", _day(policy, "due")), at_plan))
    return problems


def _declared(
    plan: object, measures: list[tuple[str, Any]], policies: list[tuple[str, Any]]
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    declared = _get(plan, "declared")
    if declared is not None:
        encoded = {
            "measures": len(measures),
            "tasks": sum(len(_items(m, "tasks")) for _, m in measures),
            "policies": len(policies),
        }
        for name, count in encoded.items():
            value = _get(declared, name)
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count:
                problems.append(
                    (f"declared.{name}", f"{value!r} declared, but the plan encodes {count}")
                )
    return problems


def plan_surely_sound(plan: Any) -> bool:  # noqa: PLR0912 (one pass over the plan)
    """Whether [`plan_problems`][beijing_plan._integrity.plan_problems] surely finds nothing.

    For a plan whose fields are all of their types (as the fast loader builds it,
    before its index): one pass over it, which may answer `False` for a sound plan,
    never `True` for one with a problem. Ids are compared in NFC, as `_duplicates`
    compares them; the weights are summed as `_overflows` sums them.
    """
    start, end = plan.start, plan.end
    ids: list[str] = [plan.id]
    parents: dict[str, str | None] = {}
    for theme in plan.themes:
        ids.append(theme.id)
        parents[theme.id] = theme.parent
    for first in parents.values():
        level, parent = 1, first
        while parent is not None:
            if parent not in parents:
                return False
            level += 1
            if level > MAX_THEME_DEPTH:
                return False  # too deep, or a cycle
            parent = parents[parent]
    themes = parents.keys()
    measures: set[str] = set()
    numbers: set[int] = set()
    weights: list[float] = []
    tasks = 0
    for measure in plan.measures:
        ids.append(measure.id)
        measures.add(measure.id)
        if measure.number in numbers or not measure.themes <= themes:
            return False
        numbers.add(measure.number)
        for target in measure.targets:
            ids.append(target.id)
            weights.append(target.weight)
            if target.deadline is not None and target.deadline < start:
                return False
        for task in measure.tasks:
            tasks += 1
            ids.append(task.id)
            weights.append(task.weight)
            if not task.themes <= themes:
                return False
            if task.start is None:
                if task.due is not None and task.due < start:
                    return False
                floor = start
            else:
                if task.due is None and task.start > end:
                    return False
                floor = task.start
            for target in task.targets:
                ids.append(target.id)
                weights.append(target.weight)
                if target.deadline is not None and target.deadline < floor:
                    return False
            for milestone in task.milestones:
                ids.append(milestone.id)
                weights.append(milestone.weight)
                if milestone.due is not None and milestone.due < floor:
                    return False
    for policy in plan.policies:
        ids.append(policy.id)
        weights.append(policy.weight)
        if not policy.themes <= themes or not set(policy.measures) <= measures:
            return False
        if policy.due is not None and policy.due < start:
            return False
    declared = plan.declared
    if declared is not None:
        for value, count in (
            (declared.measures, len(plan.measures)),
            (declared.tasks, tasks),
            (declared.policies, len(plan.policies)),
        ):
            if value is not None and value < count:
                return False
    return _distinct(ids) and not _overflows(weights)


def _distinct(ids: list[str]) -> bool:
    """Whether no two of `ids` are equal in NFC (an ASCII id is its own NFC)."""
    if all(map(str.isascii, ids)):
        return len(set(ids)) == len(ids)
    return len({i if i.isascii() else unicodedata.normalize("NFC", i) for i in ids}) == len(ids)
