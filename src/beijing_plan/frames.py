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
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, overload

from ._errors import misuse
from ._optional import require
from ._present import (
    is_assessment,
    is_ledger,
    is_plan,
    is_target,
    is_task,
    item_themes,
)
from .exceptions import PlanValidationError
from .rules import Progress

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from .assessment import Assessment
    from .ledger import Ledger
    from .model import Plan, Policy, Target, Task

__all__ = [
    "ASSESSMENT_COLUMNS",
    "LEDGER_COLUMNS",
    "PLAN_COLUMNS",
    "Backend",
    "assessment_frame",
    "ledger_frame",
    "plan_frame",
    "to_pandas",
    "to_polars",
]

#: The DataFrame libraries a frame can be built with.
Backend: TypeAlias = Literal["pandas", "polars"]

#: A column's kind: how its values are typed in either backend.
_Kind: TypeAlias = Literal["str", "float", "date", "strings", "status", "record_status", "bool"]

_ASSESSMENT: tuple[tuple[str, _Kind], ...] = (
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
    ("original_due", "date"),
    ("late_against_original", "bool"),
)
_LEDGER: tuple[tuple[str, _Kind], ...] = (
    ("kind", "str"),
    ("item", "str"),
    ("on", "date"),
    ("value", "float"),
    ("unit", "str"),
    ("status", "record_status"),
    ("percent", "float"),
    ("note", "str"),
    ("source", "str"),
    ("url", "str"),
    ("start", "date"),
    ("due", "date"),
    ("upper", "float"),
    ("weight", "float"),
    ("approved_by", "strings"),
)
_PLAN: tuple[tuple[str, _Kind], ...] = (
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

#: The columns of [`assessment_frame`][beijing_plan.frames.assessment_frame], in order.
ASSESSMENT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _ASSESSMENT)
#: The columns of [`ledger_frame`][beijing_plan.frames.ledger_frame], in order. `kind` is
#: the record's kind as files name it (`"observation"`, `"status"`, `"withdrawal"`,
#: `"revision"`); `item` is the id it is about (empty for a withdrawal); `value` and
#: `unit` belong to observations and revisions, `status` and `percent` (0 to 100) to
#: status changes; `source` and `url` are the
#: record's source title and address. `start`, `due`, `upper`, `weight` and
#: `approved_by` belong to revisions (`value` and `upper` in the `unit` of the value,
#: or of `upper` when only it is revised; `approved_by` empty for other records).
LEDGER_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _LEDGER)
#: The columns of [`plan_frame`][beijing_plan.frames.plan_frame], in order. `measures` lists the
#: measures a leaf counts in (a policy may serve several, or none); `start` and `due` are
#: the days the schedule uses (the item's own, else the plan's); `comparator`,
#: `value`, `upper` and `unit` belong to targets.
PLAN_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _PLAN)

_STATUSES = [progress.value for progress in Progress]
#: The values of [`Status`][beijing_plan.ledger.Status], in order (a test keeps them equal).
_RECORD_STATUSES = ["not_started", "in_progress", "done", "cancelled"]
_BACKENDS = ("pandas", "polars")
#: What needs pandas or polars, for the message of a missing package.
_FEATURE = "beijing_plan.frames"

_Columns: TypeAlias = dict[str, list[Any]]


def _empty(spec: Sequence[tuple[str, _Kind]]) -> _Columns:
    return {name: [] for name, _ in spec}


def _day(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


def _date(value: dt.date | None) -> dt.date | None:
    return None if value is None else dt.date.fromordinal(value.toordinal())


# -- rows ------------------------------------------------------------------------------


def _assessment_columns(assessment: Assessment) -> _Columns:
    themes = item_themes(assessment.plan)
    columns = _empty(_ASSESSMENT)
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
    return columns


#: The kind of each record class, as files name it.
_RECORD_KINDS = {
    "Observation": "observation",
    "StatusChange": "status",
    "Withdrawal": "withdrawal",
    "Revision": "revision",
}


def _ledger_columns(ledger: Ledger) -> _Columns:
    columns = _empty(_LEDGER)
    for record in ledger:
        kind = _RECORD_KINDS[type(record).__name__]
        columns["kind"].append(kind)
        columns["item"].append(getattr(record, "item", None))
        columns["on"].append(_date(record.on))
        value, upper = getattr(record, "value", None), getattr(record, "upper", None)
        if upper is not None and value is not None and upper.unit != value.unit:
            upper = upper.to(value.unit)
        unit = value.unit if value is not None else None if upper is None else upper.unit
        columns["value"].append(None if value is None else float(value.value))
        columns["unit"].append(unit)
        status = getattr(record, "status", None)
        columns["status"].append(None if status is None else status.value)
        columns["percent"].append(getattr(record, "percent", None))
        columns["note"].append(record.note)
        source = record.source
        columns["source"].append(None if source is None else source.title)
        columns["url"].append(None if source is None else source.url)
        columns["start"].append(_date(getattr(record, "start", None)))
        columns["due"].append(_date(getattr(record, "due", None)))
        columns["upper"].append(None if upper is None else float(upper.value))
        columns["weight"].append(getattr(record, "weight", None))
        columns["approved_by"].append(list(getattr(record, "approved_by", ())))
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


def _plan_columns(plan: Plan) -> _Columns:
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


# -- backends --------------------------------------------------------------------------


def _pandas(columns: _Columns, spec: Sequence[tuple[str, _Kind]]) -> pd.DataFrame:
    # The module is imported here, on first use; the annotations name it for mypy only.
    pandas: Any = require("pandas", _FEATURE)
    data: dict[str, Any] = {}
    for name, kind in spec:
        values = columns[name]
        if kind == "float":
            data[name] = pandas.Series(values, dtype="float64")
        elif kind == "date":
            data[name] = pandas.Series(values, dtype="datetime64[s]")
        elif kind == "strings":
            data[name] = pandas.Series(values, dtype=object)
        elif kind == "bool":
            data[name] = pandas.Series(values, dtype="boolean")
        elif kind in ("status", "record_status"):
            categories = _STATUSES if kind == "status" else _RECORD_STATUSES
            data[name] = pandas.Categorical(values, categories=categories, ordered=True)
        else:
            data[name] = pandas.Series(values)
    frame: pd.DataFrame = pandas.DataFrame(data, columns=[name for name, _ in spec])
    return frame


def _polars(columns: _Columns, spec: Sequence[tuple[str, _Kind]]) -> pl.DataFrame:
    polars: Any = require("polars", _FEATURE)
    types: dict[_Kind, Any] = {
        "str": polars.String,
        "float": polars.Float64,
        "date": polars.Date,
        "strings": polars.List(polars.String),
        "status": polars.Enum(_STATUSES),
        "record_status": polars.Enum(_RECORD_STATUSES),
        "bool": polars.Boolean,
    }
    schema = {name: types[kind] for name, kind in spec}
    frame: pl.DataFrame = polars.DataFrame({name: columns[name] for name, _ in spec}, schema=schema)
    return frame


def _check_backend(backend: object) -> Backend:
    if backend == "pandas":
        return "pandas"
    if backend == "polars":
        return "polars"
    valid = ", ".join(repr(name) for name in _BACKENDS)
    raise PlanValidationError([("backend", f"{backend!r} is not one of {valid}")])


def _frame(
    columns: _Columns, spec: Sequence[tuple[str, _Kind]], backend: object
) -> pd.DataFrame | pl.DataFrame:
    if _check_backend(backend) == "pandas":
        return _pandas(columns, spec)
    return _polars(columns, spec)


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
    _check_backend(backend)
    return _frame(_assessment_columns(assessment), _ASSESSMENT, backend)


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
    _check_backend(backend)
    return _frame(_ledger_columns(ledger), _LEDGER, backend)


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
    _check_backend(backend)
    return _frame(_plan_columns(plan), _PLAN, backend)


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
