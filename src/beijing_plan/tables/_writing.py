"""Tasks, progress records and responsible units written to task and progress sheets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .._errors import misuse
from ..exceptions import PlanValidationError
from ..ledger import Ledger, Observation, Record, Revision, StatusChange
from ..model import Aggregation, Plan, Task
from ._cadence import cadence_text
from ._cells import STATUS_TEXT, date_cell, number_cell, source_cell, unit_text
from ._columns import LINK_FIELDS, PROGRESS_FIELDS, TASK_FIELDS
from ._options import JOINERS, THEME_JOINERS, Lang, lang_of
from ._revisions import REVISION_COLUMNS, revision_cells, unwritable
from ._rows import (
    cell_problems,
    joined,
    record_problems,
    title_problems,
)
from ._sheets import Cell, SheetTarget, format_of, write_rows
from ._units import write_unit_rows

if TYPE_CHECKING:
    from ..assessment import Assessment

__all__ = ["write_progress", "write_tasks", "write_units"]


def write_tasks(
    tasks: Plan | Iterable[Task],
    target: SheetTarget,
    *,
    lang: str = "zh",
    format: str | None = None,  # noqa: A002 (the documented keyword name)
) -> None:
    """Write tasks as a task sheet that [`read_tasks`][beijing_plan.tables.read_tasks] reads back.

    Headers are written in `lang`; the task column holds each title in `lang`
    (or in the other language when it has only that), and a second title column
    is added when some title has both languages. Reading tells the language of
    the task column by its script, so a Chinese title there needs a Chinese
    character and an English one none. Lists are joined with `、`
    (Chinese) or `; ` and `, ` (English); deadlines are ISO dates in CSV and
    date cells in XLSX, blank when there is none; a cadence column (报送频次) is
    added when some task has its own `reporting`. Only these columns are written:
    targets, milestones, schedules beyond the deadline, weights and sources of
    the tasks are not part of a task sheet.

    Args:
        tasks: The tasks, or a plan (its tasks, measure by measure).
        target: A path (replaced atomically), or a file object: binary, or text for
            CSV (written without the byte order mark; open a file with
            `newline=""`).
        lang: `"zh"` or `"en"`: the language of headers, titles and words.
        format: `"csv"` or `"xlsx"`; by default from the file name's suffix.

    Raises:
        PlanValidationError: listing every value a sheet could not hold so that it
            reads back the same (a unit name holding a separator or surrounding
            white space, a title with surrounding white space, a title in the task
            column whose script says the other language, a control character in an
            XLSX cell), before anything is written; or, before anything is
            written, for an XLSX target opened as text or a text target whose
            encoding cannot hold the sheet.
        ImportError: for an XLSX file when openpyxl is not installed.
    """
    chosen_lang = lang_of(lang, optional=False) or "zh"
    chosen = format_of(target, format)
    items = tuple(tasks.tasks()) if isinstance(tasks, Plan) else tuple(tasks)
    problems = [
        (f"tasks[{i}]", f"{task!r} is not a Task")
        for i, task in enumerate(items)
        if not isinstance(task, Task)
    ]
    if problems:
        raise PlanValidationError(problems)
    other: Lang = "en" if chosen_lang == "zh" else "zh"
    both = any(t.title.zh is not None and t.title.en is not None for t in items)
    names = ["id", "title", *([f"title_{other}"] if both else []), "lead", "partners", "due"]
    names.append("themes")
    cadences = any(task.reporting is not None for task in items)
    if cadences:
        names.append("reporting")
    by_name = {field.name: field for field in TASK_FIELDS}
    rows: list[list[Cell]] = [[by_name[name].header(chosen_lang) for name in names]]
    paths: list[str] = ["header"]
    for i, task in enumerate(items):
        path = f"tasks[{i}]"
        problems.extend(title_problems(task.title, path, chosen_lang, both=both))
        row: list[Cell] = [task.id, task.title.get(chosen_lang)]
        if both:
            has_both = task.title.zh is not None and task.title.en is not None
            row.append(task.title.get(other) if has_both else None)
        row.append(joined(task.lead, f"{path}.lead", problems, JOINERS[chosen_lang]))
        row.append(joined(task.partners, f"{path}.partners", problems, JOINERS[chosen_lang]))
        row.append(date_cell(task.due, chosen))
        themes = sorted(task.themes)
        row.append(joined(themes, f"{path}.themes", problems, THEME_JOINERS[chosen_lang]))
        if cadences:
            cadence = task.reporting
            row.append(None if cadence is None else cadence_text(cadence, chosen_lang))
        rows.append(row)
        paths.append(path)
    problems.extend(cell_problems(rows, paths, names, chosen))
    if problems:
        raise PlanValidationError(problems)
    write_rows(target, rows, format=chosen, title="任务" if chosen_lang == "zh" else "Tasks")


def _sum_targets(plan: Plan | None) -> frozenset[str]:
    """The ids of the plan's targets whose observations are increments."""
    if plan is None:
        return frozenset()
    return frozenset(t.id for t in plan.targets() if t.aggregation is Aggregation.SUM)


def write_progress(
    ledger: Ledger | Iterable[Record],
    target: SheetTarget,
    *,
    lang: str = "zh",
    format: str | None = None,  # noqa: A002 (the documented keyword name)
    plan: Plan | None = None,
) -> None:
    """Write a ledger as a progress sheet that [`read_progress`][beijing_plan.tables.read_progress]
    reads back.

    One row per record, in ledger order: an observation fills the value and unit
    columns, a status change the status and percent columns (percent in points,
    `40` for 40%). With `plan`, an observation of a `sum` target goes in the
    increment column (本期增量 / Increment), which says that it is an increment.
    A source is written as its title and URL; its publication date and note are
    not part of a progress sheet. When any record has a `recorded` day, an id, a
    correction or a reason, the columns 填报日期, 记录编号, 更正 and 更正原因
    (Recorded, Record id, Corrects, Reason) follow.

    Args:
        ledger: The records to write.
        target: A path (replaced atomically), or a file object: binary, or text for
            CSV (written without the byte order mark; open a file with
            `newline=""`).
        lang: `"zh"` or `"en"`: the language of headers and status words.
        format: `"csv"` or `"xlsx"`; by default from the file name's suffix.
        plan: When given, a title column shows each item's title (it is not read
            back).

    Raises:
        PlanValidationError: listing every value a sheet could not hold so that it
            reads back the same (a note with surrounding white space, a source whose
            title and URL would not split back the same, a control character in an
            XLSX cell), before anything is written; or, before anything is
            written, for an XLSX target opened as text or a text target whose
            encoding cannot hold the sheet.
        ImportError: for an XLSX file when openpyxl is not installed.
    """
    chosen_lang = lang_of(lang, optional=False) or "zh"
    chosen = format_of(target, format)
    given = tuple(ledger)
    problems = [
        (f"records[{i}]", f"{record!r} is not an Observation or a StatusChange")
        for i, record in enumerate(given)
        if not isinstance(record, Observation | StatusChange | Revision)
    ]
    for i, record in enumerate(given):
        if isinstance(record, Revision):
            problems.extend(unwritable(record, f"records[{i}]"))
    if problems:
        raise PlanValidationError(problems)
    records = [r for r in given if isinstance(r, Observation | StatusChange | Revision)]
    sums = _sum_targets(plan)
    increments = any(isinstance(r, Observation) and r.item in sums for r in records)
    linked = any(
        getattr(r, name) is not None
        for r in records
        for name in LINK_FIELDS
        if not (name == "reason" and isinstance(r, Revision))  # its own column says why
    )
    revised = any(isinstance(r, Revision) for r in records)
    unwritten = {"total", *(() if plan is not None else ("title",))}
    unwritten.update(() if increments else ("increment",))
    unwritten.update(() if linked else LINK_FIELDS)
    unwritten.update(() if revised else REVISION_COLUMNS)
    names = [f.name for f in PROGRESS_FIELDS if f.name not in unwritten]
    by_name = {field.name: field for field in PROGRESS_FIELDS}
    rows: list[list[Cell]] = [[by_name[name].header(chosen_lang) for name in names]]
    for i, record in enumerate(records):
        problems.extend(
            record_problems(record.note, record.source, f"records[{i}]", reason=record.reason)
        )
        cells: dict[str, Cell] = {
            "item": record.item,
            "date": date_cell(record.on, chosen),
            "note": record.note or None,
            "source": source_cell(record.source),
            "recorded": None if record.recorded is None else date_cell(record.recorded, chosen),
            "id": record.id,
            "supersedes": record.supersedes,
            "reason": record.reason or None,
        }
        if plan is not None:
            node = plan.get(record.item)
            cells["title"] = None if node is None else node.title.get(chosen_lang)
        if isinstance(record, Revision):
            cells["reason"] = None  # a revision's reason has its own column
            joined(record.approved_by, f"records[{i}].approved_by", problems, JOINERS[chosen_lang])
            cells.update(revision_cells(record, chosen, chosen_lang, JOINERS[chosen_lang]))
        elif isinstance(record, Observation):
            column = "increment" if record.item in sums else "value"
            cells[column] = number_cell(record.value.value, chosen)
            cells["unit"] = unit_text(record.value.unit, chosen_lang)
        else:
            cells["status"] = STATUS_TEXT[chosen_lang][record.status]
            if record.percent is not None:
                cells["percent"] = number_cell(record.percent, chosen)
        rows.append([cells.get(name) for name in names])
    paths = ["header", *(f"records[{i}]" for i in range(len(records)))]
    problems.extend(cell_problems(rows, paths, names, chosen))
    if problems:
        raise PlanValidationError(problems)
    write_rows(target, rows, format=chosen, title="进展" if chosen_lang == "zh" else "Progress")


def write_units(
    assessment: Assessment,
    target: SheetTarget,
    *,
    role: str = "lead",
    lang: str = "zh",
    format: str | None = None,  # noqa: A002 (the documented keyword name)
) -> None:
    """Write the units sheet of an assessment: one row per responsible unit.

    The columns are the unit (单位), how many items it answers for (事项数), its
    completion in percent (完成度), its status in `lang` (状态), the reports it owed
    (应报次数) and those that came in on time (按时报送次数), and its on-time
    rate in percent (按时报送率), as
    [`by_unit`][beijing_plan.assessment.Assessment.by_unit] and
    [`reporting`][beijing_plan.assessment.Assessment.reporting] give them.
    Percentages are rounded to one decimal; unknown ones are blank. Units are
    listed in the order they first appear in the plan. The sheet is a report:
    [`read_tasks`][beijing_plan.tables.read_tasks] does not read it.

    Args:
        assessment: The assessment.
        target: A path (replaced atomically), or a file object as for
            [`write_tasks`][beijing_plan.tables.write_tasks].
        role: `"lead"`, `"partner"` or `"any"`.
        lang: `"zh"` or `"en"`: the language of headers and status words.
        format: `"csv"` or `"xlsx"`; by default from the file name's suffix.

    Raises:
        PlanValidationError: for an unknown role or language, or a unit name a
            sheet cannot hold, before anything is written.
        ImportError: for an XLSX file when openpyxl is not installed.
        TypeError: for an `assessment` that is not an
            [`Assessment`][beijing_plan.assessment.Assessment].
    """
    from ..assessment import Assessment  # noqa: PLC0415 (the engine loads when it is used)

    if not isinstance(assessment, Assessment):
        raise misuse("assessment", "an Assessment", assessment)
    chosen_lang = lang_of(lang, optional=False) or "zh"
    chosen = format_of(target, format)
    write_unit_rows(assessment, target, role=role, lang=chosen_lang, chosen=chosen)
