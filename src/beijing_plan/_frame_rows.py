"""The rows of the frames, as lists of columns: an assessment's results, a plan's targets,
a history's dates, responsible units, reporting periods, and how a ledger record fills
each column of its frame.

[`beijing_plan.frames`][] turns these columns into pandas or polars frames; here
each result, target, unit or period becomes one value in every column. Presentation reads the
objects' public attributes only (see [Architecture][presentation-reads-attributes]).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from ._present import is_target, is_theme, item_themes

if TYPE_CHECKING:
    from .assessment import Assessment
    from .histories import History
    from .model import Plan, Target
    from .reporting import Reporting

__all__ = [
    "RECORD_KINDS",
    "assessment_columns",
    "date_field",
    "field",
    "history_columns",
    "record_kind",
    "record_number",
    "record_status",
    "record_unit",
    "record_upper",
    "reporting_columns",
    "source_field",
    "targets_columns",
    "units_columns",
]

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


def history_columns(history: History, columns: _Columns) -> _Columns:
    """Fill `columns` with a row per date and node of `history`."""
    for assessment in history.assessments():
        day = _date(assessment.as_of)
        for result in assessment.results():
            columns["date"].append(day)
            columns["id"].append(result.id)
            columns["kind"].append(result.kind)
            columns["completion"].append(result.completion)
            columns["expected"].append(result.expected)
            columns["status"].append(result.status.value)
            columns["coverage"].append(result.coverage)
    return columns


def units_columns(assessment: Assessment, role: str, columns: _Columns) -> _Columns:
    """Fill `columns` with a row per responsible unit of `assessment` in `role`."""
    units = assessment.by_unit(role)  # type: ignore[arg-type]
    totals = assessment.reporting(role=role).totals()  # type: ignore[arg-type]
    for name, result in units.items():
        total = totals.get(name)
        columns["unit"].append(name)
        columns["role"].append(role)
        columns["leaves"].append([row.id for row in result.contributions])
        columns["completion"].append(result.completion)
        columns["expected"].append(result.expected)
        columns["spi"].append(result.spi)
        columns["status"].append(result.status.value)
        columns["coverage"].append(result.coverage)
        columns["weight"].append(result.weight)
        columns["due"].append(_date(result.due))
        columns["reports_expected"].append(0 if total is None else total.expected)
        columns["reports_on_time"].append(0 if total is None else total.on_time)
        columns["on_time_rate"].append(None if total is None else total.rate)
    return columns


def reporting_columns(reporting: Reporting, columns: _Columns) -> _Columns:
    """Fill `columns` with a row per unit (or leaf) and period of `reporting`."""
    for row in reporting.rows:
        columns["id"].append(row.id)
        columns["kind"].append(row.kind)
        columns["period"].append(row.period)
        columns["start"].append(_date(row.start))
        columns["end"].append(_date(row.end))
        columns["expected"].append(row.expected)
        columns["on_time"].append(row.on_time)
        columns["late"].append(row.late)
        columns["missing"].append(row.missing)
        columns["on_time_rate"].append(row.rate)
    return columns


# -- ledger records ------------------------------------------------------------------------

#: The kind of each record class, as files name it.
RECORD_KINDS = {
    "Observation": "observation",
    "StatusChange": "status",
    "Withdrawal": "withdrawal",
    "Revision": "revision",
}


def field(name: str) -> Callable[[Any], Any]:
    """The record's field `name` as it is, `None` for a kind of record without it."""
    return lambda record: getattr(record, name, None)


def date_field(name: str) -> Callable[[Any], Any]:
    """The record's date field `name` as a standard date, `None` when it has none."""
    return lambda record: _date(getattr(record, name, None))


def source_field(name: str) -> Callable[[Any], Any]:
    """The field `name` of the record's source, `None` without a source."""
    return lambda record: None if record.source is None else getattr(record.source, name)


def record_number(record: Any) -> float | None:
    """The record's value as a float, `None` when it has none."""
    value = getattr(record, "value", None)
    return None if value is None else float(value.value)


def record_unit(record: Any) -> str | None:
    """The unit of the record's value, or of a revision's upper bound when only it is given."""
    value = getattr(record, "value", None)
    if value is None:
        value = getattr(record, "upper", None)
    return None if value is None else str(value.unit)


def record_upper(record: Any) -> float | None:
    """A revision's upper bound, in the unit of its value when it has one."""
    upper = getattr(record, "upper", None)
    if upper is None:
        return None
    value = getattr(record, "value", None)
    if value is not None and value.unit != upper.unit:
        upper = upper.to(value.unit)
    return float(upper.value)


def record_status(record: Any) -> str | None:
    """The value of the record's status, `None` when it has none."""
    status = getattr(record, "status", None)
    return None if status is None else str(status.value)


def record_kind(record: Any) -> str:
    """The record's kind as files name it."""
    return RECORD_KINDS[type(record).__name__]
