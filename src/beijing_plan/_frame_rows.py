"""The rows of the frames of an assessment and of a plan's targets, as lists of columns.

[`beijing_plan.frames`][] turns these columns into pandas or polars frames; here
each result or target becomes one value in every column. Presentation reads the
objects' public attributes only (see [Architecture][presentation-reads-attributes]).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeAlias

from ._present import is_target, is_theme, item_themes

if TYPE_CHECKING:
    from .assessment import Assessment
    from .model import Plan, Target

__all__ = ["assessment_columns", "targets_columns"]

_Columns: TypeAlias = dict[str, list[Any]]


def _date(value: dt.date | None) -> dt.date | None:
    return None if value is None else dt.date.fromordinal(value.toordinal())


def _parent(plan: Plan, item_id: str) -> tuple[str | None, str | None]:
    """The id and kind of what holds an item: a theme's parent, a task's measure, ..."""
    if item_id == plan.id or item_id not in plan:
        return None, None
    node = plan[item_id]
    parent = getattr(node, "parent", None) if is_theme(node) else plan.parent_of(item_id)
    if parent is None:
        return None, None
    return parent, _kind_of(plan[parent])


def _kind_of(node: object) -> str:
    """The kind of an item as files and results name it (`"task"`, `"measure"`, ...)."""
    return type(node).__name__.lower()


def _target_figures(columns: _Columns, target: Target | None) -> None:
    """The comparator, goal, upper bound and unit of a target's row, null for other rows."""
    if target is None:
        for name in ("comparator", "goal", "upper", "unit"):
            columns[name].append(None)
        return
    unit = target.value.unit
    columns["comparator"].append(target.comparator.value)
    columns["goal"].append(float(target.value.value))
    upper = target.upper
    columns["upper"].append(None if upper is None else float(upper.to(unit).value))
    columns["unit"].append(unit)


def assessment_columns(assessment: Assessment, columns: _Columns) -> _Columns:
    """Fill `columns` (one empty list per column) with a row per result of `assessment`."""
    plan = assessment.plan
    themes = item_themes(plan)
    for result in assessment.results():
        columns["id"].append(result.id)
        columns["kind"].append(result.kind)
        columns["title_zh"].append(result.title.zh)
        columns["title_en"].append(result.title.en)
        columns["themes"].append(list(themes.get(result.id, ())))
        columns["completion"].append(result.completion)
        columns["expected"].append(result.expected)
        columns["spi"].append(result.spi)
        columns["status"].append(result.status.value)
        columns["coverage"].append(result.coverage)
        columns["weight"].append(result.weight)
        columns["due"].append(_date(result.due))
        columns["original_due"].append(_date(result.original_due))
        columns["late_against_original"].append(result.late_against_original)
        parent, parent_kind = _parent(plan, result.id)
        columns["parent"].append(parent)
        columns["parent_kind"].append(parent_kind)
        columns["rule"].append(result.rule)
        columns["ratio"].append(result.ratio)
        node = plan.get(result.id) if result.kind == "target" else None
        target = node if is_target(node) else None
        _target_figures(columns, target)
        current = result.current
        if current is not None and target is not None:
            current = current.to(target.value.unit)
        columns["current"].append(None if current is None else float(current.value))
        outlook = result.forecast
        if outlook is None:
            for name in ("forecast", "forecast_on", "forecast_meets", "forecast_slope"):
                columns[name].append(None)
            columns["forecast_points"].append(None)
        else:
            columns["forecast"].append(float(outlook.value.value))
            columns["forecast_on"].append(_date(outlook.on))
            columns["forecast_meets"].append(outlook.would_meet)
            columns["forecast_slope"].append(outlook.slope)
            columns["forecast_points"].append(outlook.points)
    return columns


def targets_columns(plan: Plan, columns: _Columns) -> _Columns:
    """Fill `columns` (one empty list per column) with a row per target of `plan`."""
    themes = item_themes(plan)
    for target in plan.targets():
        unit = target.value.unit
        parent, parent_kind = _parent(plan, target.id)
        columns["id"].append(target.id)
        columns["title_zh"].append(target.title.zh)
        columns["title_en"].append(target.title.en)
        columns["parent"].append(parent)
        columns["parent_kind"].append(parent_kind)
        columns["measure"].append(plan.measure_of(target.id))
        columns["themes"].append(list(themes[target.id]))
        columns["comparator"].append(target.comparator.value)
        columns["goal"].append(float(target.value.value))
        upper = target.upper
        columns["upper"].append(None if upper is None else float(upper.to(unit).value))
        columns["unit"].append(unit)
        baseline = target.baseline
        columns["baseline"].append(
            None if baseline is None else float(baseline.value.to(unit).value)
        )
        columns["baseline_on"].append(None if baseline is None else _date(baseline.on))
        columns["deadline"].append(_date(target.deadline))
        columns["due"].append(_date(target.deadline if target.deadline is not None else plan.end))
        columns["aggregation"].append(target.aggregation.value)
        columns["weight"].append(target.weight)
    return columns
