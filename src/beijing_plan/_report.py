"""A progress report's content: its rows, its total and the encoded counts, in one language.

[`build_report`][beijing_plan._report.build_report] turns an
[`Assessment`][beijing_plan.assessment.Assessment] into a `Report`: one `Row`
per theme, measure or leaf, the plan's total, and how much of the declared plan
is encoded. [`beijing_plan._render`][] writes a report out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import attrs
import pendulum

from .rules import Progress, Rules

if TYPE_CHECKING:
    from .assessment import Assessment, Result
    from .model import Plan, Theme

__all__ = ["BY", "DEFAULT_RULES", "Encoded", "Report", "Row", "build_report", "theme_tree"]

#: What a report can list, one row each.
BY = ("theme", "measure", "leaf", "unit")

#: The rules a report holds; its footer names those that differ from these defaults.
DEFAULT_RULES = {"missing": "zero", "rollup": "flat"}


@attrs.frozen
class Row:
    """One line of a report: the figures of a theme, measure, leaf or the plan.

    Attributes:
        id: The node's id.
        kind: `"plan"`, `"theme"`, `"measure"`, `"task"`, `"policy"` or `"target"`.
        title: Its title in the report's language.
        depth: How deep it sits (a sub-theme is 1 below its parent).
        completion: A fraction in [0, 1], or `None`.
        expected: The fraction its schedule expects by the date, or `None`.
        spi: `completion / expected`, or `None`.
        status: Where it stands.
        label: The status in the report's language.
        colour: The status's RAG colour.
        coverage: The share of its weight with any record, or `None`.
        weight: Its weight.
        due: Its due date, or `None`.
        change: Its completion minus that of the compared date, or `None`.
        transition: How its status moved since the compared date (a
            [`Transition`][beijing_plan.change.Transition] value), or `None`.
    """

    id: str
    kind: str
    title: str
    depth: int
    completion: float | None
    expected: float | None
    spi: float | None
    status: Progress
    label: str
    colour: str
    coverage: float | None
    weight: float
    due: pendulum.Date | None
    change: float | None = None
    transition: str | None = None


@attrs.frozen
class Encoded:
    """How many items of one kind the plan encodes, of how many it declares."""

    kind: str
    encoded: int
    declared: int


@attrs.frozen
class Report:
    """What a report shows, in one language.

    Attributes:
        plan_id: The plan's id.
        plan_title: The plan's title in `lang`.
        as_of: The date of the assessment.
        by: What the rows are: `"theme"`, `"measure"` or `"leaf"`.
        lang: `"en"` or `"zh"`.
        rules: The rules applied (`missing` and `rollup`), as `(name, value)` pairs.
        rows: The rows, in plan order (sub-themes under their parent).
        total: The plan's own row.
        encoded: Encoded against declared counts, for each kind the plan declares.
        compared: The date the change column compares with, or `None` (no column).
        role: For rows by unit, the units' role (`"lead"`, `"partner"` or `"any"`).
    """

    plan_id: str
    plan_title: str
    as_of: pendulum.Date
    by: str
    lang: str
    rules: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]
    total: Row
    encoded: tuple[Encoded, ...]
    compared: pendulum.Date | None = None
    role: str | None = None


# -- building ---------------------------------------------------------------------------------


def _row(result: Result, depth: int, rules: Rules, lang: str) -> Row:
    return Row(
        id=result.id,
        kind=result.kind,
        title=result.title.get(lang),
        depth=depth,
        completion=result.completion,
        expected=result.expected,
        spi=result.spi,
        status=result.status,
        label=rules.label(result.status, lang),
        colour=rules.colour(result.status),
        coverage=result.coverage,
        weight=result.weight,
        due=result.due,
    )


def theme_tree(themes: Sequence[Theme]) -> Iterator[tuple[Theme, int]]:
    """The themes with their depth, each parent followed by its sub-themes, in plan order."""
    known = {theme.id for theme in themes}
    children: dict[str | None, list[Theme]] = {}
    for theme in themes:
        parent = theme.parent if theme.parent in known else None
        children.setdefault(parent, []).append(theme)
    stack = [(theme, 0) for theme in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        theme, depth = stack.pop()
        if theme.id in seen:  # pragma: no cover - a plan's themes form a tree
            continue
        seen.add(theme.id)
        yield theme, depth
        stack.extend((child, depth + 1) for child in reversed(children.get(theme.id, [])))


def _encoded(plan: Plan) -> tuple[Encoded, ...]:
    declared = plan.declared
    if declared is None:
        return ()
    counts = (
        ("measures", len(plan.measures), declared.measures),
        ("tasks", sum(1 for _ in plan.tasks()), declared.tasks),
        ("policies", len(plan.policies), declared.policies),
    )
    return tuple(Encoded(kind, have, want) for kind, have, want in counts if want is not None)


def build_report(assessment: Assessment, *, by: str, lang: str, role: str = "lead") -> Report:
    """The report of an assessment, one row per theme, measure, leaf or responsible unit.

    Args:
        assessment: The assessment to report.
        by: `"theme"`, `"measure"`, `"leaf"` (every leaf: tasks, policies
            and the measures' own targets) or `"unit"`.
        lang: `"en"` or `"zh"`, for titles and labels.
        role: For `by="unit"`, the units' role: `"lead"`, `"partner"` or `"any"`.
    """
    plan, rules = assessment.plan, assessment.rules
    if by == "theme":
        results = assessment.by_theme()
        found = [(results[theme.id], depth) for theme, depth in theme_tree(plan.themes)]
    elif by == "measure":
        found = [(result, 0) for result in assessment.by_measure().values()]
    elif by == "unit":
        found = [(result, 0) for result in assessment.by_unit(role).values()]  # type: ignore[arg-type]
    else:
        found = [(result, 0) for result in assessment.leaves()]
    return Report(
        plan_id=plan.id,
        plan_title=plan.title.get(lang),
        as_of=assessment.as_of,
        by=by,
        lang=lang,
        rules=tuple((name, str(getattr(rules, name))) for name in DEFAULT_RULES),
        rows=tuple(_row(result, depth, rules, lang) for result, depth in found),
        total=_row(assessment.overall, 0, rules, lang),
        encoded=_encoded(plan),
        role=role if by == "unit" else None,
    )
