"""Task ledgers (任务台账) as spreadsheets: tasks and progress in CSV and XLSX.

Departments keep their tasks in spreadsheets: one row per task with its number
(序号), the task (任务), lead and partner units (牵头单位, 配合单位) and a deadline
(完成时限) written as a phrase such as `2025年6月底`; and progress sheets with a
status (进展), a percent complete (完成比例) and notes (备注). This module reads
both into the library's model and writes them back.

- The format comes from the suffix (`.csv`, `.xlsx`) or `format=`. XLSX
  needs the `xlsx` extra (openpyxl). CSV is read as UTF-8 with or without a byte
  order mark and written with one, so that Excel shows Chinese text correctly.
- Headers may be Chinese or English, with common synonyms, compared without
  regard to case, width or white space; a title row above the header is
  skipped. Columns the table does not know are ignored, or reported with
  `strict=True`.
- A cell may list several units or themes, separated by `、`, commas,
  semicolons or slashes (Chinese or Western), or line breaks.
- Deadline phrases become dates by [`parse_deadline`][beijing_plan.tables.parse_deadline], relative
  to the plan year where the phrase names none.
- Reading checks every cell and raises one
  [`PlanValidationError`][beijing_plan.exceptions.PlanValidationError] listing every bad cell as
  `row 7, column 完成时限` (the spreadsheet's own row numbers, the header row
  included); nothing is returned unless the whole sheet is good.
- Writing refuses, all at once, every value that would not read back the same
  (a title whose script says the other language, text with surrounding white
  space, a unit name holding a separator); it builds the whole file first and
  then replaces the destination atomically, so a failure leaves the old file as
  it was.

The header words, deadline rules and status words are tabulated in
`docs/tables.md`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

import pendulum

from .._errors import misuse
from ..exceptions import PlanValidationError
from ..ledger import Ledger, Observation, Record, Revision, StatusChange
from ..model import Plan, Task
from ._cells import STATUS_TEXT, date_cell, number_cell, source_cell, unit_text
from ._columns import PROGRESS_FIELDS, TASK_FIELDS, Field, Layout, is_blank, locate
from ._deadlines import DeadlineError, deadline_of
from ._revisions import REVISION_COLUMNS, revision_cells, unwritable
from ._rows import (
    cell_problems,
    joined,
    progress_records,
    record_problems,
    tasks_of,
    title_problems,
)
from ._sheets import Cell, Row, SheetSource, SheetTarget, format_of, read_rows, write_rows

__all__ = [
    "parse_deadline",
    "read_progress",
    "read_tasks",
    "write_progress",
    "write_tasks",
]

Lang = Literal["zh", "en"]
_JOINERS = {"zh": "、", "en": "; "}
_THEME_JOINERS = {"zh": "、", "en": ", "}


def _plan_year(year: object, path: str = "year") -> int | None:
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise PlanValidationError([(path, f"{year!r} is not a year (1 to 9999)")])
    return year


def _lang(lang: object, *, optional: bool) -> Lang | None:
    if lang is None and optional:
        return None
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise PlanValidationError([("lang", f"{lang!r} is not 'zh' or 'en'")])


def parse_deadline(text: str | dt.date | None, *, year: int | None) -> pendulum.Date | None:
    """The date a deadline phrase of a task ledger stands for.

    Phrases without a year (`6月底`, `三季度`, `年内`) refer to `year`, the
    plan year; a phrase that names its year needs none. Open-ended phrases
    (`长期`, `持续推进`) and blank text mean no deadline and give `None`.
    `datetime.date` values, and the naive `datetime` values of spreadsheet
    date cells, give their day. The rules are tabulated in `docs/tables.md`.

    >>> parse_deadline("2025年6月底前", year=None)
    Date(2025, 6, 30)
    >>> parse_deadline("三季度", year=2025)
    Date(2025, 9, 30)
    >>> parse_deadline("长期", year=2025) is None
    True

    Raises:
        PlanValidationError: for text that is no deadline, a day the calendar does
            not have, or a phrase relative to the plan year when `year` is
            `None`.
    """
    plan_year = _plan_year(year)
    try:
        return deadline_of(text, plan_year)
    except DeadlineError as error:
        raise PlanValidationError([("", str(error))]) from None


# -- reading ---------------------------------------------------------------------------


def _read_sheet(
    source: SheetSource,
    fields: Sequence[Field],
    required: Sequence[Sequence[str]],
    *,
    format: str | None,  # noqa: A002 (the public keyword name)
    sheet: str | None,
    encoding: str,
    strict: bool,
) -> tuple[Layout, list[Row], list[tuple[str, str]]]:
    chosen = format_of(source, format)
    rows = read_rows(source, format=chosen, sheet=sheet, encoding=encoding)
    layout, problems = locate(rows, fields, required, strict=strict)
    data = [(n, cells) for n, cells in rows if n > layout.header_row and not is_blank(cells)]
    return layout, data, problems


def read_tasks(
    source: SheetSource,
    *,
    year: int | None,
    format: str | None = None,  # noqa: A002 (the documented keyword name)
    lang: str | None = None,
    sheet: str | None = None,
    encoding: str = "utf-8-sig",
    strict: bool = False,
) -> tuple[Task, ...]:
    """Read a task sheet: one task per row.

    Columns: the task id (序号) and the task (任务) are required; lead units
    (牵头单位), partner units (配合单位), the deadline (完成时限) and themes (主题)
    are optional. Blank rows are skipped.

    Args:
        source: A path, or a file opened in binary mode (or text mode, for CSV).
        year: The plan year that deadline phrases without a year refer to;
            `None` when every deadline names its year.
        format: `"csv"` or `"xlsx"`; by default from the file name's suffix.
        lang: The language of the task column: `"zh"`, `"en"`, or `None` to
            tell by the script (a title with a Chinese character is Chinese).
        sheet: The XLSX sheet to read (the first by default).
        encoding: The text encoding of a CSV file (Excel on a Chinese Windows
            writes plain "CSV" files in `"gbk"`).
        strict: Report columns the table does not know instead of ignoring them.

    Raises:
        PlanValidationError: listing every bad cell, as `row 7, column 完成时限`.
        ImportError: for an XLSX file when defusedxml (the `xlsx` extra) is not installed.
    """
    plan_year = _plan_year(year)
    title_lang = _lang(lang, optional=True)
    layout, rows, problems = _read_sheet(
        source,
        TASK_FIELDS,
        [("id",), ("title", "title_zh", "title_en")],
        format=format,
        sheet=sheet,
        encoding=encoding,
        strict=strict,
    )
    if problems:
        raise PlanValidationError(problems)
    tasks = tasks_of(rows, layout, problems, plan_year=plan_year, lang=title_lang)
    if problems:
        raise PlanValidationError(problems)
    return tuple(tasks)


def _progress_year(year: int | None, plan: Plan | None) -> int | None:
    if year is not None or plan is None:
        return _plan_year(year)
    # Only a plan within one calendar year says which year "6月底" is.
    return plan.start.year if plan.start.year == plan.end.year else None


def read_progress(
    source: SheetSource,
    *,
    year: int | None = None,
    plan: Plan | None = None,
    format: str | None = None,  # noqa: A002 (the documented keyword name)
    sheet: str | None = None,
    encoding: str = "utf-8-sig",
    strict: bool = False,
) -> Ledger:
    """Read a progress sheet into a ledger, one or two records per row.

    Columns: the item id (编号) and the date (日期) are required; status (进展),
    percent (完成比例), value (数值), unit (单位), note (备注) and source (来源) are
    optional, and a title column (任务) is allowed but not read. A row with a
    value becomes an [`Observation`][beijing_plan.ledger.Observation]; a row with a
    status or a percent becomes a [`StatusChange`][beijing_plan.ledger.StatusChange] (a
    bare percent implies the status: 0 not started, 100 done, else in progress); a
    row with both gives both, the observation first. The value cell may carry
    its unit (`60亿元`).

    With `plan`, each row is checked against it: the item must be one of its
    targets (which take values, and a blank unit means the target's unit) or its
    tasks, policies or milestones (which take statuses).

    Args:
        source: A path, or a file opened in binary mode (or text mode, for CSV).
        year: The year that dates such as `6月底` refer to; by default the plan's
            year when `plan` lies within one calendar year.
        plan: The plan the records belong to, to check them against.
        format: `"csv"` or `"xlsx"`; by default from the file name's suffix.
        sheet: The XLSX sheet to read (the first by default).
        encoding: The text encoding of a CSV file.
        strict: Report columns the table does not know instead of ignoring them.

    Raises:
        PlanValidationError: listing every bad cell, as `row 7, column 完成比例`.
        TypeError: for a `plan` that is not a [`Plan`][beijing_plan.model.Plan].
        ImportError: for an XLSX file when defusedxml (the `xlsx` extra) is not installed.
    """
    if plan is not None and not isinstance(plan, Plan):
        raise misuse("plan", "a Plan", plan)
    plan_year = _progress_year(year, plan)
    layout, rows, problems = _read_sheet(
        source,
        PROGRESS_FIELDS,
        [("item",), ("date",)],
        format=format,
        sheet=sheet,
        encoding=encoding,
        strict=strict,
    )
    if problems:
        raise PlanValidationError(problems)
    records = progress_records(rows, layout, problems, plan=plan, plan_year=plan_year)
    if problems:
        raise PlanValidationError(problems)
    return Ledger(records)


# -- writing ---------------------------------------------------------------------------


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
    date cells in XLSX, blank when there is none. Only these columns are written:
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
    chosen_lang = _lang(lang, optional=False) or "zh"
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
        row.append(joined(task.lead, f"{path}.lead", problems, _JOINERS[chosen_lang]))
        row.append(joined(task.partners, f"{path}.partners", problems, _JOINERS[chosen_lang]))
        row.append(date_cell(task.due, chosen))
        themes = sorted(task.themes)
        row.append(joined(themes, f"{path}.themes", problems, _THEME_JOINERS[chosen_lang]))
        rows.append(row)
        paths.append(path)
    problems.extend(cell_problems(rows, paths, names, chosen))
    if problems:
        raise PlanValidationError(problems)
    write_rows(target, rows, format=chosen, title="任务" if chosen_lang == "zh" else "Tasks")


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
    `40` for 40%). A source is written as its title and URL; its publication
    date and note are not part of a progress sheet.

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
    chosen_lang = _lang(lang, optional=False) or "zh"
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
    revised = any(isinstance(r, Revision) for r in records)
    names = [
        f.name
        for f in PROGRESS_FIELDS
        if (plan is not None or f.name != "title") and (revised or f.name not in REVISION_COLUMNS)
    ]
    by_name = {field.name: field for field in PROGRESS_FIELDS}
    rows: list[list[Cell]] = [[by_name[name].header(chosen_lang) for name in names]]
    for i, record in enumerate(records):
        problems.extend(record_problems(record.note, record.source, f"records[{i}]"))
        cells: dict[str, Cell] = {
            "item": record.item,
            "date": date_cell(record.on, chosen),
            "note": record.note or None,
            "source": source_cell(record.source),
        }
        if plan is not None:
            node = plan.get(record.item)
            cells["title"] = None if node is None else node.title.get(chosen_lang)
        if isinstance(record, Revision):
            joined(record.approved_by, f"records[{i}].approved_by", problems, _JOINERS[chosen_lang])
            cells.update(revision_cells(record, chosen, chosen_lang, _JOINERS[chosen_lang]))
        elif isinstance(record, Observation):
            cells["value"] = number_cell(record.value.value, chosen)
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
