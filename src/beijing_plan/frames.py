"""Assessments, ledgers and plans as pandas or polars DataFrames.

Analysts work in DataFrames; these functions give them one row per result of an
assessment, per record of a ledger, or per leaf of a plan:

- [`assessment_frame`][beijing_plan.frames.assessment_frame]: the columns of `ASSESSMENT_COLUMNS`,
  one row per result in the order of [`results`][beijing_plan.assessment.Assessment.results] (the
  plan, its measures, its themes, the leaves, then the targets and milestones of
  tasks).
- [`ledger_frame`][beijing_plan.frames.ledger_frame]: the columns of `LEDGER_COLUMNS`, one row per
  record in ledger order.
- [`plan_frame`][beijing_plan.frames.plan_frame]: the columns of `PLAN_COLUMNS`, one row per leaf
  (task, policy, measure's own target) in plan order.
- [`targets_frame`][beijing_plan.frames.targets_frame]: the columns of `TARGETS_COLUMNS`, one row
  per target, a task's included, with its goal, comparator, bounds, unit, baseline, deadline and
  what holds it; `plan.to_pandas(kind="targets")` gives it too.

An assessment's row holds every figure of its
[`Result`][beijing_plan.assessment.Result]: besides completion, expected, SPI,
status, coverage, weight and due date, the `parent` that holds it and its
`parent_kind` (a theme's parent theme, a task's measure, a target's task or
measure), the leaf `rule`, and for a target its `current` value, `ratio`,
`comparator`, `goal`, `upper` bound and `unit` (all its amounts in that
unit), and its `forecast` (value, `forecast_on`, `forecast_meets`,
`forecast_slope`, `forecast_points`). Kinds are named as files name them
(`"task"`, `"measure"`, `"theme"`).

[`to_pandas`][beijing_plan.frames.to_pandas] and [`to_polars`][beijing_plan.frames.to_polars]
take any of the three objects. pandas and
polars are optional: the `pandas` and `polars` extras install them, and a
missing one raises an ImportError that names its extra. `import beijing_plan`
imports neither.

Column types, the same in both backends where they can be:

- text (ids, kinds, titles, units, notes) as strings; a title missing in one
  language is null there, not the other language's text;
- `themes`, `measures`, `lead` and `partners` as lists of strings (an
  object column of lists in pandas, `List(String)` in polars); `themes` holds
  a row's themes and their ancestors in the plan's theme order, so the rows
  whose themes hold `"x"` are what `by_theme()["x"]` rolls up;
- fractions, weights and values as float64, unknown as NaN (pandas) or null
  (polars); quantities are converted from their exact decimals to float;
- whole numbers (`forecast_points`) as the nullable `Int64` in both, and
  yes-or-no figures (`forecast_meets`) as pandas' nullable `boolean` or
  polars' `Boolean`, so a missing one is `<NA>` or null, never a float;
- dates as `datetime64[s]` (pandas) or `Date` (polars);
- `status` as a categorical (pandas) or `Enum` (polars) whose categories are
  every status in their defined order, so sorting by status is meaningful.

>>> from beijing_plan import Ledger, Measure, Plan, StatusChange, Task
>>> from beijing_plan.assessment import assess
>>> plan = Plan("p", "Plan", start="2025-01-01", end="2025-12-31",
...             measures=[Measure("m", 1, "Measure", tasks=[Task("a", "A")])])
>>> frame = assessment_frame(assess(plan, [StatusChange("a", "2025-03-01", "done")],
...                                 as_of="2025-07-02"))
>>> frame["kind"].tolist(), frame["completion"].tolist(), frame["status"].tolist()
(['plan', 'measure', 'task'], [1.0, 1.0, 1.0], ['done', 'done', 'done'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from ._errors import misuse
from ._frame_backends import Backend, Columns, Kind, check_backend, frame
from ._frame_rows import (
    assessment_columns,
    date_field,
    field,
    history_columns,
    record_kind,
    record_number,
    record_status,
    record_unit,
    record_upper,
    reporting_columns,
    source_field,
    targets_columns,
    units_columns,
)
from ._present import (
    is_assessment,
    is_history,
    is_ledger,
    is_plan,
    is_target,
    is_task,
    item_themes,
)
from .exceptions import PlanValidationError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from .assessment import Assessment
    from .histories import History
    from .ledger import Ledger
    from .model import Plan, Policy, Target, Task
    from .reporting import Reporting

__all__ = [
    "ASSESSMENT_COLUMNS",
    "HISTORY_COLUMNS",
    "LEDGER_COLUMNS",
    "PLAN_COLUMNS",
    "REPORTING_COLUMNS",
    "TARGETS_COLUMNS",
    "UNIT_COLUMNS",
    "Backend",
    "assessment_frame",
    "history_frame",
    "ledger_frame",
    "plan_frame",
    "reporting_frame",
    "targets_frame",
    "to_pandas",
    "to_polars",
    "units_frame",
]

_ASSESSMENT: tuple[tuple[str, Kind], ...] = (
    ("id", "str"),
    ("kind", "str"),
    ("title_zh", "str"),
    ("title_en", "str"),
    ("themes", "strings"),
    ("completion", "float"),
    ("expected", "float"),
    ("spi", "float"),
    ("status", "status"),
    ("coverage", "float"),
    ("weight", "float"),
    ("due", "date"),
    ("parent", "str"),
    ("parent_kind", "str"),
    ("rule", "str"),
    ("current", "float"),
    ("ratio", "float"),
    ("comparator", "str"),
    ("goal", "float"),
    ("upper", "float"),
    ("unit", "str"),
    ("forecast", "float"),
    ("forecast_on", "date"),
    ("forecast_meets", "bool"),
    ("forecast_slope", "float"),
    ("forecast_points", "int"),
    ("original_due", "date"),
    ("late_against_original", "bool"),
)
_TARGETS: tuple[tuple[str, Kind], ...] = (
    ("id", "str"),
    ("title_zh", "str"),
    ("title_en", "str"),
    ("parent", "str"),
    ("parent_kind", "str"),
    ("measure", "str"),
    ("themes", "strings"),
    ("comparator", "str"),
    ("goal", "float"),
    ("upper", "float"),
    ("unit", "str"),
    ("baseline", "float"),
    ("baseline_on", "date"),
    ("deadline", "date"),
    ("due", "date"),
    ("aggregation", "str"),
    ("weight", "float"),
)
#: Each column of a ledger frame: its name, its kind and how a record fills it. A record
#: that lacks a field gets null, so a column for a new field is one more line here.
_LEDGER_FIELDS: tuple[tuple[str, Kind, Callable[[Any], Any]], ...] = (
    ("kind", "str", record_kind),
    ("item", "str", field("item")),
    ("on", "date", date_field("on")),
    ("recorded", "date", date_field("recorded")),
    ("value", "float", record_number),
    ("unit", "str", record_unit),
    ("status", "record_status", record_status),
    ("percent", "float", field("percent")),
    ("note", "str", field("note")),
    ("source", "str", source_field("title")),
    ("url", "str", source_field("url")),
    ("id", "str", field("id")),
    ("supersedes", "str", field("supersedes")),
    ("record", "str", field("record")),
    ("reason", "str", field("reason")),
    ("start", "date", date_field("start")),
    ("due", "date", date_field("due")),
    ("upper", "float", record_upper),
    ("weight", "float", field("weight")),
    ("approved_by", "strings", lambda record: list(getattr(record, "approved_by", ()))),
)
_HISTORY: tuple[tuple[str, Kind], ...] = (
    ("date", "date"),
    ("id", "str"),
    ("kind", "str"),
    ("completion", "float"),
    ("expected", "float"),
    ("status", "status"),
    ("coverage", "float"),
)
_LEDGER: tuple[tuple[str, Kind], ...] = tuple((name, kind) for name, kind, _ in _LEDGER_FIELDS)
_PLAN: tuple[tuple[str, Kind], ...] = (
    ("id", "str"),
    ("kind", "str"),
    ("measures", "strings"),
    ("title_zh", "str"),
    ("title_en", "str"),
    ("themes", "strings"),
    ("lead", "strings"),
    ("partners", "strings"),
    ("start", "date"),
    ("due", "date"),
    ("weight", "float"),
    ("comparator", "str"),
    ("value", "float"),
    ("upper", "float"),
    ("unit", "str"),
)

_UNITS: tuple[tuple[str, Kind], ...] = (
    ("unit", "str"),
    ("role", "str"),
    ("leaves", "strings"),
    ("completion", "float"),
    ("expected", "float"),
    ("spi", "float"),
    ("status", "status"),
    ("coverage", "float"),
    ("weight", "float"),
    ("due", "date"),
    ("reports_expected", "int"),
    ("reports_on_time", "int"),
    ("on_time_rate", "float"),
)
_REPORTING: tuple[tuple[str, Kind], ...] = (
    ("id", "str"),
    ("kind", "str"),
    ("period", "str"),
    ("start", "date"),
    ("end", "date"),
    ("expected", "int"),
    ("on_time", "int"),
    ("late", "int"),
    ("missing", "int"),
    ("on_time_rate", "float"),
)

#: The columns of [`units_frame`][beijing_plan.frames.units_frame], in order: each unit's
#: figures as [`by_unit`][beijing_plan.assessment.Assessment.by_unit] gives them, the
#: ids of its leaves, and its reports over every period (`reports_expected`,
#: `reports_on_time`, and their ratio `on_time_rate`, NaN or null when none was expected).
UNIT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _UNITS)
#: The columns of [`reporting_frame`][beijing_plan.frames.reporting_frame], in order: one
#: row per unit (or leaf) and period, as the rows of a
#: [`Reporting`][beijing_plan.reporting.Reporting].
REPORTING_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _REPORTING)
#: The columns of [`assessment_frame`][beijing_plan.frames.assessment_frame], in order.
ASSESSMENT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _ASSESSMENT)
#: The columns of [`targets_frame`][beijing_plan.frames.targets_frame], in order: every target
#: of the plan, a measure's own and a task's. `parent` is the id of the measure or task that
#: holds it and `parent_kind` its kind (`"measure"` or `"task"`), `measure` the measure it sits
#: in; `goal`, `upper` and `baseline` are in the target's `unit` (a baseline written in another
#: unit of the same dimension is converted); `deadline` is the target's own (null when it has
#: none) and `due` the day its schedule uses (the deadline, else the plan's end).
TARGETS_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _TARGETS)
#: The columns of [`history_frame`][beijing_plan.frames.history_frame], in order: one row
#: per date and node, the nodes in the order of an assessment's results.
HISTORY_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _HISTORY)
#: The columns of [`ledger_frame`][beijing_plan.frames.ledger_frame], in order. `kind` is
#: the record's kind as files name it (`"observation"`, `"status"`, `"withdrawal"`,
#: `"revision"`); `item` is the id it is about (empty for a withdrawal); `on` the day
#: it describes and `recorded` the day it was entered (empty: the day `on`); `value` and
#: `unit` belong to observations and revisions, `status` and `percent` (0 to 100) to
#: status changes; `source` and `url` are the
#: record's source title and address; `id` names the record, `supersedes` the record it
#: corrects, `record` the record a withdrawal takes back, and `reason` says why.
#: `start`, `due`, `upper`, `weight` and
#: `approved_by` belong to revisions (`value` and `upper` in the `unit` of the value,
#: or of `upper` when only it is revised; `approved_by` empty for other records).
LEDGER_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _LEDGER)
#: The columns of [`plan_frame`][beijing_plan.frames.plan_frame], in order. `measures` lists the
#: measures a leaf counts in (a policy may serve several, or none); `start` and `due` are
#: the days the schedule uses (the item's own, else the plan's); `comparator`,
#: `value`, `upper` and `unit` belong to targets.
PLAN_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _PLAN)


def _empty(spec: Sequence[tuple[str, Kind]]) -> Columns:
    return {name: [] for name, _ in spec}


def _day(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


# -- rows ------------------------------------------------------------------------------


def _ledger_columns(ledger: Ledger) -> Columns:
    columns = _empty(_LEDGER)
    for name, _, value_of in _LEDGER_FIELDS:
        columns[name] = [value_of(record) for record in ledger]
    return columns


def _window(leaf: Task | Policy | Target, start: int, end: int) -> tuple[int, int]:
    """The first and the due day the schedule uses for a leaf, as day ordinals.

    A task runs from its start to its due day, a policy from the plan's start to its
    due day, a measure's own target from the plan's start to its deadline; missing
    days are the plan's.
    """
    due = leaf.deadline if is_target(leaf) else leaf.due
    if is_task(leaf) and leaf.start is not None:
        start = leaf.start.toordinal()
    return start, end if due is None else due.toordinal()


def _plan_columns(plan: Plan) -> Columns:
    themes = item_themes(plan)
    start, end = plan.start.toordinal(), plan.end.toordinal()
    columns = _empty(_PLAN)
    leaves: list[tuple[Task | Policy | Target, list[str]]] = []
    for measure in plan.measures:
        leaves.extend((target, [measure.id]) for target in measure.targets)
        leaves.extend((task, [measure.id]) for task in measure.tasks)
    leaves.extend((policy, list(dict.fromkeys(policy.measures))) for policy in plan.policies)
    for leaf, measures in leaves:
        begin, due = _window(leaf, start, end)
        columns["id"].append(leaf.id)
        columns["kind"].append(type(leaf).__name__.lower())
        columns["measures"].append(measures)
        columns["title_zh"].append(leaf.title.zh)
        columns["title_en"].append(leaf.title.en)
        columns["themes"].append(list(themes[leaf.id]))
        columns["lead"].append(list(leaf.lead) if is_task(leaf) else [])
        columns["partners"].append(list(leaf.partners) if is_task(leaf) else [])
        columns["start"].append(_day(min(begin, due)))
        columns["due"].append(_day(due))
        columns["weight"].append(leaf.weight)
        if is_target(leaf):
            columns["comparator"].append(leaf.comparator.value)
            columns["value"].append(float(leaf.value.value))
            columns["upper"].append(None if leaf.upper is None else float(leaf.upper.value))
            columns["unit"].append(leaf.value.unit)
        else:
            for name in ("comparator", "value", "upper", "unit"):
                columns[name].append(None)
    return columns


def _check(value: object, test: Callable[[object], bool], expected: str, name: str) -> None:
    if not test(value):
        raise misuse(name, expected, value)


# -- public functions ------------------------------------------------------------------


@overload
def assessment_frame(
    assessment: Assessment, *, backend: Literal["pandas"] = "pandas"
) -> pd.DataFrame: ...
@overload
def assessment_frame(assessment: Assessment, *, backend: Literal["polars"]) -> pl.DataFrame: ...
def assessment_frame(
    assessment: Assessment, *, backend: Backend = "pandas"
) -> pd.DataFrame | pl.DataFrame:
    """One row per result of `assessment`, with the columns of `ASSESSMENT_COLUMNS`.

    Args:
        assessment: The assessment.
        backend: `"pandas"` or `"polars"`.

    Raises:
        ImportError: if the backend is not installed (naming the extra).
        PlanValidationError: for an unknown backend.
        TypeError: for something not an assessment.
    """
    _check(assessment, is_assessment, "an Assessment", "assessment")
    check_backend(backend)
    return frame(assessment_columns(assessment, _empty(_ASSESSMENT)), _ASSESSMENT, backend)


@overload
def history_frame(history: History, *, backend: Literal["pandas"] = "pandas") -> pd.DataFrame: ...
@overload
def history_frame(history: History, *, backend: Literal["polars"]) -> pl.DataFrame: ...
def history_frame(history: History, *, backend: Backend = "pandas") -> pd.DataFrame | pl.DataFrame:
    """One row per date and node of `history` (long form), with `HISTORY_COLUMNS`.

    Args:
        history: The history.
        backend: `"pandas"` or `"polars"`.

    Raises:
        ImportError: if the backend is not installed (naming the extra).
        PlanValidationError: for an unknown backend.
        TypeError: for something not a history.
    """
    _check(history, is_history, "a History", "history")
    check_backend(backend)
    return frame(history_columns(history, _empty(_HISTORY)), _HISTORY, backend)


@overload
def ledger_frame(ledger: Ledger, *, backend: Literal["pandas"] = "pandas") -> pd.DataFrame: ...
@overload
def ledger_frame(ledger: Ledger, *, backend: Literal["polars"]) -> pl.DataFrame: ...
def ledger_frame(ledger: Ledger, *, backend: Backend = "pandas") -> pd.DataFrame | pl.DataFrame:
    """One row per record of `ledger`, in ledger order, with `LEDGER_COLUMNS`.

    Args:
        ledger: The ledger.
        backend: `"pandas"` or `"polars"`.

    Raises:
        ImportError: if the backend is not installed (naming the extra).
        PlanValidationError: for an unknown backend.
        TypeError: for something not a ledger.
    """
    _check(ledger, is_ledger, "a Ledger", "ledger")
    check_backend(backend)
    return frame(_ledger_columns(ledger), _LEDGER, backend)


@overload
def plan_frame(plan: Plan, *, backend: Literal["pandas"] = "pandas") -> pd.DataFrame: ...
@overload
def plan_frame(plan: Plan, *, backend: Literal["polars"]) -> pl.DataFrame: ...
def plan_frame(plan: Plan, *, backend: Backend = "pandas") -> pd.DataFrame | pl.DataFrame:
    """One row per leaf of `plan` (tasks, policies, measures' own targets), in plan order.

    The columns are `PLAN_COLUMNS`. Leaves are listed measure by measure
    (its own targets, then its tasks), then the policies, as roll-ups number them.

    Args:
        plan: The plan.
        backend: `"pandas"` or `"polars"`.

    Raises:
        ImportError: if the backend is not installed (naming the extra).
        PlanValidationError: for an unknown backend.
        TypeError: for something not a plan.
    """
    _check(plan, is_plan, "a Plan", "plan")
    check_backend(backend)
    return frame(_plan_columns(plan), _PLAN, backend)


@overload
def targets_frame(plan: Plan, *, backend: Literal["pandas"] = "pandas") -> pd.DataFrame: ...
@overload
def targets_frame(plan: Plan, *, backend: Literal["polars"]) -> pl.DataFrame: ...
def targets_frame(plan: Plan, *, backend: Backend = "pandas") -> pd.DataFrame | pl.DataFrame:
    """One row per target of `plan`, a measure's own and a task's, in plan order.

    The columns are `TARGETS_COLUMNS`: what a plan file says of each target
    (comparator, goal, upper bound, unit, baseline and its date, deadline,
    aggregation, weight) with what holds it (`parent` and `parent_kind`).
    Targets are listed measure by measure: its own, then its tasks' in task order,
    as [`Plan.targets`][beijing_plan.model.Plan.targets] yields them.
    [`Plan.to_pandas`][beijing_plan.model.Plan.to_pandas] gives it with
    `kind="targets"`.

    Args:
        plan: The plan.
        backend: `"pandas"` or `"polars"`.

    Raises:
        ImportError: if the backend is not installed (naming the extra).
        PlanValidationError: for an unknown backend.
        TypeError: for something not a plan.
    """
    _check(plan, is_plan, "a Plan", "plan")
    check_backend(backend)
    return frame(targets_columns(plan, _empty(_TARGETS)), _TARGETS, backend)


#: What a plan's frame can list: its leaves or its targets.
PLAN_KINDS = ("leaves", "targets")


@overload
def plan_frame_of(plan: Plan, kind: object, backend: Literal["pandas"]) -> pd.DataFrame: ...
@overload
def plan_frame_of(plan: Plan, kind: object, backend: Literal["polars"]) -> pl.DataFrame: ...
def plan_frame_of(plan: Plan, kind: object, backend: Backend) -> pd.DataFrame | pl.DataFrame:
    """The frame of a plan's leaves or of its targets, as `kind` says.

    Raises:
        PlanValidationError: for a `kind` other than `"leaves"` and `"targets"`.
    """
    if kind == "leaves":
        return plan_frame(plan, backend=backend)
    if kind == "targets":
        return targets_frame(plan, backend=backend)
    valid = ", ".join(repr(name) for name in PLAN_KINDS)
    raise PlanValidationError([("kind", f"{kind!r} is not one of {valid}")])


def _is_reporting(value: object) -> bool:
    return all(hasattr(value, name) for name in ("rows", "reports", "silent_after"))


@overload
def units_frame(
    assessment: Assessment, *, role: str = "lead", backend: Literal["pandas"] = "pandas"
) -> pd.DataFrame: ...
@overload
def units_frame(
    assessment: Assessment, *, role: str = "lead", backend: Literal["polars"]
) -> pl.DataFrame: ...
def units_frame(
    assessment: Assessment, *, role: str = "lead", backend: Backend = "pandas"
) -> pd.DataFrame | pl.DataFrame:
    """One row per responsible unit of `assessment` in `role`, with `UNIT_COLUMNS`.

    Args:
        assessment: The assessment.
        role: `"lead"`, `"partner"` or `"any"`, as for
            [`by_unit`][beijing_plan.assessment.Assessment.by_unit].
        backend: `"pandas"` or `"polars"`.

    Raises:
        ImportError: if the backend is not installed (naming the extra).
        PlanValidationError: for an unknown backend or role.
        TypeError: for something not an assessment.
    """
    _check(assessment, is_assessment, "an Assessment", "assessment")
    check_backend(backend)
    return frame(units_columns(assessment, role, _empty(_UNITS)), _UNITS, backend)


@overload
def reporting_frame(
    reporting: Reporting, *, backend: Literal["pandas"] = "pandas"
) -> pd.DataFrame: ...
@overload
def reporting_frame(reporting: Reporting, *, backend: Literal["polars"]) -> pl.DataFrame: ...
def reporting_frame(
    reporting: Reporting, *, backend: Backend = "pandas"
) -> pd.DataFrame | pl.DataFrame:
    """One row per unit (or leaf) and period of `reporting`, with `REPORTING_COLUMNS`.

    Args:
        reporting: What [`Assessment.reporting`][beijing_plan.assessment.Assessment.reporting]
            gave.
        backend: `"pandas"` or `"polars"`.

    Raises:
        ImportError: if the backend is not installed (naming the extra).
        PlanValidationError: for an unknown backend.
        TypeError: for something not a reporting.
    """
    _check(reporting, _is_reporting, "a Reporting", "reporting")
    check_backend(backend)
    return frame(reporting_columns(reporting, _empty(_REPORTING)), _REPORTING, backend)


def _builder(value: object) -> Callable[..., Any]:
    if is_assessment(value):
        return assessment_frame
    if is_ledger(value):
        return ledger_frame
    if is_plan(value):
        return plan_frame
    raise misuse("value", "an Assessment, a Ledger or a Plan", value)


def to_pandas(value: Assessment | Ledger | Plan) -> pd.DataFrame:
    """The pandas DataFrame of an assessment, a ledger or a plan's leaves.

    Raises:
        ImportError: if pandas is not installed (naming the `pandas` extra).
        TypeError: for any other kind of object.
    """
    frame: pd.DataFrame = _builder(value)(value, backend="pandas")
    return frame


def to_polars(value: Assessment | Ledger | Plan) -> pl.DataFrame:
    """The polars DataFrame of an assessment, a ledger or a plan's leaves.

    Raises:
        ImportError: if polars is not installed (naming the `polars` extra).
        TypeError: for any other kind of object.
    """
    frame: pl.DataFrame = _builder(value)(value, backend="polars")
    return frame
