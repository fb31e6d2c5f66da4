"""Small functions shared by the frames, the notebook display and the charts.

- RAG colour names (`"amber"`) become concrete colours (CSS has no amber), and a
  colour a user configured is passed on only when it is a plain colour name or a
  hex code, so nothing else reaches an inline style.
- The themes of every item of a plan: the themes it is tagged with, its measure's
  for a task or a measure's own target, and their ancestors, in the plan's theme
  order. These are exactly the themes whose roll-up counts the item, so selecting
  the rows whose themes hold `"x"` selects what `by_theme()["x"]` rolls up.
- What kind of object a value is, told by its public attributes (`is_task`,
  `is_target` and the like), so that presentation imports the model, the ledger
  and the assessment only for type checking and they may call it without a cycle.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._numbers import fraction_text
from .rules import Progress, Rules

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from .assessment import Assessment
    from .histories import History
    from .ledger import Ledger, Observation
    from .model import Plan, Target, Task, Theme

__all__ = [
    "RAG",
    "fraction_text",
    "is_assessment",
    "is_history",
    "is_ledger",
    "is_observation",
    "is_plan",
    "is_target",
    "is_task",
    "is_theme",
    "item_themes",
    "number_text",
    "owner_task",
    "plural",
    "status_colour",
    "text_colour",
]

#: The colour each RAG name stands for.
RAG: Mapping[str, str] = {
    "blue": "#2b6cb0",
    "green": "#2f855a",
    "amber": "#d69e2e",
    "red": "#c53030",
    "maroon": "#702459",
    "grey": "#a0aec0",
    "gray": "#a0aec0",
}

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_NAME = re.compile(r"[a-zA-Z]{3,30}")


def status_colour(rules: Rules, status: Progress) -> str:
    """The colour of a status: a hex code, or a plain colour name a user configured."""
    name = rules.colour(status).strip()
    found = RAG.get(name.lower())
    if found is not None:
        return found
    if _HEX.fullmatch(name) or _NAME.fullmatch(name):
        return name
    return RAG["grey"]


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` (white for names)."""
    if not _HEX.fullmatch(background):
        return "#ffffff"
    digits = background[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#1a202c" if luminance > 0.55 else "#ffffff"


def plural(count: int, word: str, plurals: str | None = None) -> str:
    """`count` and `word`, with `plurals` (`word` + "s" by default) unless it is 1."""
    return f"{count} {word if count == 1 else plurals or word + 's'}"


def number_text(value: float | None, digits: int = 2) -> str:
    """A number with `digits` decimals, or `"—"` when unknown."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:.{digits}f}"


def _closure(plan: Plan, tags: frozenset[str], order: Mapping[str, int]) -> tuple[str, ...]:
    found = set(tags)
    for tag in tags:
        found.update(plan.theme_ancestors(tag))
    return tuple(sorted(found, key=order.__getitem__))


def item_themes(plan: Plan) -> dict[str, tuple[str, ...]]:
    """The themes of every item of `plan` and of the plan, by id.

    A task counts in its own themes and its measure's; a measure's own target and
    the targets and milestones of a task in their measure's or task's; a policy
    in its own; a theme in itself; the plan in none. Ancestors are included.
    """
    order = {theme.id: i for i, theme in enumerate(plan.themes)}
    cache: dict[frozenset[str], tuple[str, ...]] = {}

    def closure(tags: frozenset[str]) -> tuple[str, ...]:
        found = cache.get(tags)
        if found is None:
            found = cache[tags] = _closure(plan, tags, order)
        return found

    themes: dict[str, tuple[str, ...]] = {plan.id: ()}
    for theme in plan.themes:
        themes[theme.id] = closure(frozenset({theme.id}))
    for measure in plan.measures:
        themes[measure.id] = closure(measure.themes)
        for target in measure.targets:
            themes[target.id] = themes[measure.id]
        for task in measure.tasks:
            themes[task.id] = own = closure(task.themes | measure.themes)
            for target in task.targets:
                themes[target.id] = own
            for milestone in task.milestones:
                themes[milestone.id] = own
    for policy in plan.policies:
        themes[policy.id] = closure(policy.themes)
    return themes


def owner_task(plan: Plan, item_id: str) -> Task | None:
    """The task that holds a target or milestone, or `None`."""
    parent = plan.parent_of(item_id)
    if parent is None:
        return None
    node = plan[parent]
    return node if is_task(node) else None


def is_task(value: object) -> TypeIs[Task]:
    """Whether `value` is a task: only a task has partner units."""
    return hasattr(value, "partners") and hasattr(value, "milestones")


def is_theme(value: object) -> TypeIs[Theme]:
    """Whether `value` is a theme: only a theme names a parent of its own kind."""
    return hasattr(value, "parent") and hasattr(value, "title") and not hasattr(value, "tasks")


def is_target(value: object) -> TypeIs[Target]:
    """Whether `value` is a target: only a target has a comparator."""
    return hasattr(value, "comparator") and hasattr(value, "aggregation")


def is_observation(value: object) -> TypeIs[Observation]:
    """Whether a ledger record is an observation (a status change has no value)."""
    return hasattr(value, "target") and hasattr(value, "value") and hasattr(value, "on")


def is_plan(value: object) -> TypeIs[Plan]:
    """Whether `value` is a plan: it holds measures, policies and themes."""
    return all(hasattr(value, name) for name in ("measures", "policies", "themes", "parent_of"))


def is_ledger(value: object) -> TypeIs[Ledger]:
    """Whether `value` is a ledger: a sequence of records that can be appended to."""
    return all(hasattr(value, name) for name in ("records", "append", "for_item"))


def is_history(value: object) -> TypeIs[History]:
    """Whether `value` is a history: a plan assessed at several dates."""
    return all(hasattr(value, name) for name in ("plan", "dates", "assessments", "changes"))


def is_assessment(value: object) -> TypeIs[Assessment]:
    """Whether `value` is an assessment: a plan assessed against a ledger at a date."""
    return all(hasattr(value, name) for name in ("plan", "ledger", "as_of", "rules", "by_theme"))
