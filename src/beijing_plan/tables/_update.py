"""Merging a department's edited task sheet back into its plan.

The sheet is a task sheet as [`write_plan`][beijing_plan.tables.write_plan] writes it
(重点任务): one row per task, keyed by its id. A row of a task of the plan
updates the fields whose columns the sheet has (a blank cell clears the field);
a row of a new id adds a task to the measure its 重大举措 cell names; a task of
the plan without a row is removed. Targets and milestones stay with their task.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, TypeAlias

import attrs

from ..convert import unstructure
from ..model import Plan, Task
from . import _plan as pl
from ._layout import TASK_SHEET
from ._sheets import Format, Row, SheetSource, format_of, read_book_sheet, read_rows, source_bytes

__all__ = ["Change", "FieldChanged", "RowAdded", "RowRemoved", "merge_tasks"]


@attrs.frozen
class FieldChanged:
    """A field of a task that the sheet changed.

    Attributes:
        id: The task's id.
        field: The field's name (`measure` for the measure the task is under).
        old: Its value in the plan.
        new: Its value from the sheet.
    """

    id: str
    field: str
    old: object
    new: object


@attrs.frozen
class RowAdded:
    """A task the sheet adds: its id, the measure it goes under, and the task."""

    id: str
    measure: str
    task: Task


@attrs.frozen
class RowRemoved:
    """A task of the plan that the sheet has no row for: its id, its measure, the task."""

    id: str
    measure: str
    task: Task


#: One change a sheet makes to a plan.
Change: TypeAlias = FieldChanged | RowAdded | RowRemoved

_KEPT = frozenset(TASK_SHEET.children)


def _sheet(
    source: SheetSource, chosen: Format, sheet: str | None, encoding: str
) -> tuple[str, list[Row]]:
    if chosen == "csv":
        name = os.fspath(source) if isinstance(source, str | os.PathLike) else ""
        label = Path(name).name or "the sheet"
        return label, read_rows(source, format="csv", sheet=sheet, encoding=encoding)
    if sheet is not None:
        return sheet, read_rows(source, format="xlsx", sheet=sheet, encoding=encoding)
    data = source_bytes(source, "workbook")
    name = os.fspath(source) if isinstance(source, str | os.PathLike) else "the workbook"
    for title in (TASK_SHEET.zh, TASK_SHEET.en):
        rows = read_book_sheet(data, (title,), name)
        if rows is not None:
            return title, rows
    first = read_rows(io.BytesIO(data), format="xlsx", sheet=None, encoding=encoding)
    return "the first sheet", first


def _set(document: dict[str, Any], key: str, value: Any) -> None:
    *heads, last = key.split(".")
    for head in heads:
        inner = document.get(head)
        document[head] = inner = dict(inner) if isinstance(inner, dict) else {}
        document = inner
    if value is None:
        document.pop(last, None)
    else:
        document[last] = value


def _changes(old: Task, new: Task) -> list[FieldChanged]:
    return [
        FieldChanged(new.id, field.name, getattr(old, field.name), getattr(new, field.name))
        for field in attrs.fields(Task)
        if field.init
        and field.name not in _KEPT
        and getattr(old, field.name) != getattr(new, field.name)
    ]


@attrs.define
class _Merge:
    """The merging of the rows of a task sheet into a plan's document."""

    document: dict[str, Any]
    problems: list[tuple[str, str]]
    keys: list[str]
    old_tasks: dict[str, tuple[dict[str, Any], str]] = attrs.field(init=False)
    index: dict[str, list[dict[str, Any]]] = attrs.field(init=False)
    placed: dict[str, list[dict[str, Any]]] = attrs.field(init=False)
    where: dict[int, pl.Place] = attrs.field(factory=dict)
    seen: dict[str, int] = attrs.field(factory=dict)
    order: list[tuple[str, str, bool]] = attrs.field(factory=list)  # id, measure, added

    def __attrs_post_init__(self) -> None:
        measures = self.document.get("measures", [])
        self.old_tasks = {t["id"]: (t, m["id"]) for m in measures for t in m.get("tasks", [])}
        self.index = pl.index_of(measures)
        self.placed = {m["id"]: [] for m in measures}

    def _id(self, row: dict[str, Any], place: pl.Place) -> str | None:
        task_id = row.get("id")
        if not isinstance(task_id, str):
            self.problems.append((place.where("id"), "the task id is missing"))
            return None
        if task_id in self.seen:
            first = self.seen[task_id]
            self.problems.append(
                (place.where("id"), f"{task_id!r} is used again (first in row {first})")
            )
            return None
        self.seen[task_id] = place.row
        return task_id

    def row(self, row: dict[str, Any], place: pl.Place) -> None:
        task_id = self._id(row, place)
        if task_id is None:
            return
        old = self.old_tasks.get(task_id)
        measure = old[1] if old is not None else None
        if row.get("^measure") is not None or old is None:
            found = pl.link((row, place), "^measure", self.index, "the measure", self.problems)
            measure = None if found is None else found["id"]
        if measure is None:
            return
        task = dict(old[0]) if old is not None else {"id": task_id}
        for key in self.keys:
            _set(task, key, pl.value_at(row, key))
        self.placed[measure].append(task)
        self.where[id(task)] = place
        self.order.append((task_id, measure, old is None))

    def plan(self) -> Plan:
        for measure in self.document.get("measures", []):
            if self.placed[measure["id"]]:
                measure["tasks"] = self.placed[measure["id"]]
            else:
                measure.pop("tasks", None)
        return pl.build(self.document, pl.paths_of(self.document, self.where), self.problems)

    def changes(self, plan: Plan, new_plan: Plan) -> list[Change]:
        changes: list[Change] = []
        for task_id, measure_id, added in self.order:
            task = _task(new_plan, task_id)
            if added:
                changes.append(RowAdded(task_id, measure_id, task))
                continue
            old_measure = self.old_tasks[task_id][1]
            if old_measure != measure_id:
                changes.append(FieldChanged(task_id, "measure", old_measure, measure_id))
            changes.extend(_changes(_task(plan, task_id), task))
        changes.extend(
            RowRemoved(task_id, measure_id, _task(plan, task_id))
            for task_id, (_, measure_id) in self.old_tasks.items()
            if task_id not in self.seen
        )
        return changes


def _task(plan: Plan, task_id: str) -> Task:
    task = plan[task_id]
    assert isinstance(task, Task)
    return task


def merge_tasks(
    plan: Plan,
    source: SheetSource,
    *,
    format: str | None,  # noqa: A002 (the public keyword name)
    sheet: str | None,
    encoding: str,
) -> tuple[Plan, list[Change]]:
    """The plan with the task sheet merged in, and what changed (see the module)."""
    chosen = format_of(source, format)
    label, rows = _sheet(source, chosen, sheet, encoding)
    document = unstructure(plan)
    context = pl.plan_context(document, document.get("themes", []), "zh")
    problems: list[tuple[str, str]] = []
    items, layout = pl.sheet_items(TASK_SHEET, (label, rows), context, problems)
    keys = [key for key in layout.columns if not key.startswith("^")]
    merge = _Merge(document, problems, keys)
    for row, place in items:
        merge.row(row, place)
    new_plan = merge.plan()
    return new_plan, merge.changes(plan, new_plan)
