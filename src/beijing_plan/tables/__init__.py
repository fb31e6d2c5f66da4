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

A whole plan is written by [`write_plan`][beijing_plan.tables.write_plan] as a
workbook of sheets (重大举措, 重点任务, 量化指标, 节点, ...) that
[`read_plan`][beijing_plan.tables.read_plan] reads back as an equal plan, and a
department's edited task sheet is merged back by
[`update_plan`][beijing_plan.tables.update_plan].

The header words, deadline rules and status words are tabulated in
`docs/tables.md`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pendulum

from .._dates import DateLike, as_optional_date
from .._errors import misuse
from ..exceptions import PlanValidationError
from ..ledger import Ledger
from ..model import Plan, Task
from ._columns import PROGRESS_FIELDS, TASK_FIELDS, Field, Layout, is_blank, locate
from ._deadlines import DeadlineError, deadline_of
from ._options import lang_of, year_of
from ._plan import assemble, build, plan_format, read_book, write_book
from ._rows import Reading, link_problems_of, progress_records, tasks_of
from ._sheets import Row, SheetSource, SheetTarget, format_of, read_rows
from ._update import Change, FieldChanged, RowAdded, RowRemoved, merge_tasks
from ._writing import write_progress, write_tasks, write_units

__all__ = [
    "Change",
    "FieldChanged",
    "RowAdded",
    "RowRemoved",
    "parse_deadline",
    "read_plan",
    "read_progress",
    "read_tasks",
    "update_plan",
    "write_plan",
    "write_progress",
    "write_tasks",
    "write_units",
]


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
    plan_year = year_of(year)
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
    hints: dict[str, str] | None = None,
) -> tuple[Layout, list[Row], list[tuple[str, str]]]:
    chosen = format_of(source, format)
    rows = read_rows(source, format=chosen, sheet=sheet, encoding=encoding)
    layout, problems = locate(rows, fields, required, strict=strict, hints=hints)
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
    (牵头单位), partner units (配合单位), the deadline (完成时限), themes (主题)
    and the reporting cadence (报送频次: `月`, `季+10天`, `quarter+10 days`; blank
    for the plan's) are optional. Blank rows are skipped.

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
    plan_year = year_of(year)
    title_lang = lang_of(lang, optional=True)
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
        return year_of(year)
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
    on: DateLike | None = None,
) -> Ledger:
    """Read a progress sheet into a ledger, one or two records per row.

    Columns: the item id (编号) is required, and the date (日期) unless `on` is
    given; status (进展), percent (完成比例), value (数值), increment (本期增量),
    running total (累计), unit (单位), note (备注) and source (来源) are
    optional, and a title column (任务) is allowed but not read. A row with a
    value becomes an [`Observation`][beijing_plan.ledger.Observation]; a row with a
    status or a percent becomes a [`StatusChange`][beijing_plan.ledger.StatusChange] (a
    bare percent implies the status: 0 not started, 100 done, else in progress); a
    row with both gives both, the observation first. The value cell may carry
    its unit (`60亿元`).

    A `sum` target's observations are increments. Its value may be given in the
    increment column, or in the running-total column: running totals become
    increments per target in date order (the first whole, each later one less
    the one before), and one that goes down is refused at its cell. A value in
    the plain value column is taken as the ledger takes it, an increment.

    The day a row was entered (填报日期), its record id (记录编号), the id it
    corrects (更正) and the reason (更正原因) are optional; a row with an id or a
    correction holds one record. Ids and corrections are checked as a
    [`Ledger`][beijing_plan.ledger.Ledger] checks them, each problem named by its
    cell. A sheet whose only date column is 填报日期 takes it as the date.

    With `plan`, each row is checked against it: the item must be one of its
    targets (which take values, and a blank unit means the target's unit) or its
    tasks, policies or milestones (which take statuses); only a `sum` target
    takes an increment or a running total.

    Args:
        source: A path, or a file opened in binary mode (or text mode, for CSV).
        year: The year that dates such as `6月底` refer to; by default the plan's
            year when `plan` lies within one calendar year.
        plan: The plan the records belong to, to check them against.
        format: `"csv"` or `"xlsx"`; by default from the file name's suffix.
        sheet: The XLSX sheet to read (the first by default).
        encoding: The text encoding of a CSV file.
        strict: Report columns the table does not know instead of ignoring them.
        on: The date of the whole sheet: the date of every row whose date cell is
            blank, or of every row of a sheet without a date column. A filled
            date cell wins over it.

    Raises:
        PlanValidationError: listing every bad cell, as `row 7, column 完成比例`,
            or for an `on` that is not a date.
        TypeError: for a `plan` that is not a [`Plan`][beijing_plan.model.Plan].
        ImportError: for an XLSX file when defusedxml (the `xlsx` extra) is not installed.
    """
    if plan is not None and not isinstance(plan, Plan):
        raise misuse("plan", "a Plan", plan)
    plan_year = _progress_year(year, plan)
    try:
        default = as_optional_date(on)
    except PlanValidationError as error:
        raise PlanValidationError([("on", error.problems[0][1])]) from None
    layout, rows, problems = _read_sheet(
        source,
        PROGRESS_FIELDS,
        [("item",)] if default is not None else [("item",), ("date", "recorded")],
        format=format,
        sheet=sheet,
        encoding=encoding,
        strict=strict,
        hints={"date": "; or give the date of the whole sheet with on="},
    )
    if problems:
        raise PlanValidationError(problems)
    if default is None and "date" not in layout.columns:
        # The day entered is the only day: it is each row's date.
        columns = dict(layout.columns)
        columns["date"] = columns.pop("recorded")
        layout = Layout(layout.header_row, columns)
    reading = Reading(plan, plan_year, default)
    numbers: list[int] = []
    records = progress_records(rows, layout, problems, reading, numbers=numbers)
    if not problems:
        problems = link_problems_of(records, numbers, layout)
    if problems:
        raise PlanValidationError(problems)
    return Ledger(records)


def read_plan(
    source: SheetSource,
    *,
    format: str | None = None,  # noqa: A002 (the documented keyword name)
    encoding: str = "utf-8-sig",
) -> Plan:
    """Read a whole plan from its sheets, as [`write_plan`][beijing_plan.tables.write_plan]
    writes them.

    The sheets are 计划 (the plan's fields), 主题, 重大举措, 重点任务, 量化指标,
    节点 and 政策 (or Plan, Themes, Measures, Tasks, Targets, Milestones,
    Policies): the sheets of one workbook, or the CSV files of one folder. Only
    the plan sheet is required. A task names its measure in its 重大举措 column
    (by id or title), a target its task or measure, a milestone its task; themes
    are named by title (or id). The layout is described in `docs/tables.md`.

    Args:
        source: An `.xlsx` workbook (a path or a binary file object), or the
            path of a folder of CSV files.
        format: `"xlsx"` or `"csv"`; by default XLSX for a `.xlsx` name, else
            a folder of CSV files.
        encoding: The text encoding of the CSV files.

    Raises:
        PlanValidationError: listing every problem, of a cell or of the plan,
            at its sheet, row and column (`sheet 重点任务, row 4, column 重大举措`).
        ImportError: for an XLSX file when defusedxml (the `xlsx` extra) is not installed.
    """
    chosen = plan_format(source, format)
    problems: list[tuple[str, str]] = []
    document, places = assemble(read_book(source, chosen, encoding), problems)
    return build(document, places, problems)


def write_plan(
    plan: Plan,
    target: SheetTarget,
    *,
    lang: str = "zh",
    format: str | None = None,  # noqa: A002 (the documented keyword name)
) -> None:
    """Write a whole plan as sheets that [`read_plan`][beijing_plan.tables.read_plan] reads
    back as an equal plan.

    Every field of every item is written: in a cell an office can read and edit
    (`60亿元`, `2025-06-30`, `市发展改革委、市财政局`, a theme's title), or, for a
    value such a cell could not hold exactly (a title with surrounding spaces,
    a unit name holding `、`, a source with a date), as JSON.

    Args:
        plan: The plan to write.
        target: A `.xlsx` path (replaced atomically) or binary file object, or
            the path of a folder for CSV files (made if missing; each file is
            replaced atomically).
        lang: `"zh"` or `"en"`: the language of sheet names, headers and words.
        format: `"xlsx"` or `"csv"`; by default XLSX for a `.xlsx` name, else
            a folder of CSV files.

    Raises:
        PlanValidationError: listing every value the sheets could not hold, before
            anything is written.
        TypeError: for a `plan` that is not a [`Plan`][beijing_plan.model.Plan].
        OSError: when the file or folder cannot be written (a folder path that is
            a file, say).
        ImportError: for an XLSX file when openpyxl is not installed.
    """
    if not isinstance(plan, Plan):
        raise misuse("plan", "a Plan", plan)
    chosen_lang = lang_of(lang, optional=False) or "zh"
    write_book(plan, target, chosen_lang, plan_format(target, format))


def update_plan(
    plan: Plan,
    source: SheetSource,
    *,
    format: str | None = None,  # noqa: A002 (the documented keyword name)
    sheet: str | None = None,
    encoding: str = "utf-8-sig",
) -> tuple[Plan, list[Change]]:
    """Merge a department's edited task sheet back into its plan.

    The sheet is laid out as the 重点任务 sheet that
    [`write_plan`][beijing_plan.tables.write_plan] writes, one row per task, keyed by
    the task id (序号). A row of a task of the plan sets the fields whose columns
    the sheet has (a blank cell clears the field, a column the sheet lacks keeps
    it) and, where its 重大举措 cell is filled, the measure it is under; a row of
    a new id adds a task under the measure its 重大举措 cell names; a task of the
    plan that has no row is removed. Targets and milestones stay with their
    task. The plan itself is not changed: a new plan is returned.

    Args:
        plan: The plan the sheet was written from.
        source: A CSV file, or a workbook (its 重点任务 or Tasks sheet, else its first).
        format: `"csv"` or `"xlsx"`; by default from the file name's suffix.
        sheet: The XLSX sheet to read.
        encoding: The text encoding of a CSV file.

    Returns:
        The new plan, and the changes in sheet order, removed tasks last:
        [`FieldChanged`][beijing_plan.tables.FieldChanged] (id, field, old, new),
        [`RowAdded`][beijing_plan.tables.RowAdded] and
        [`RowRemoved`][beijing_plan.tables.RowRemoved].

    Raises:
        PlanValidationError: listing every problem at its cell: a row naming an
            unknown measure or theme, a bad cell, an id used twice, a start after
            a due date. Nothing is merged then.
        TypeError: for a `plan` that is not a [`Plan`][beijing_plan.model.Plan].
    """
    if not isinstance(plan, Plan):
        raise misuse("plan", "a Plan", plan)
    return merge_tasks(plan, source, format=format, sheet=sheet, encoding=encoding)
