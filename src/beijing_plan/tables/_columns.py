"""Columns of task and progress sheets: the header words and the header row.

A column is recognised by its header, compared after normalising (full-width
characters to ASCII, case folded, white space, `_`, `-`, `.` and `*`
removed), first as written and then without a trailing bracketed note, so that
`完成比例(%)` (with full-width brackets too) and `Lead Units` are found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ._sheets import Cell, Row

__all__ = [
    "LINK_FIELDS",
    "PROGRESS_FIELDS",
    "TASK_FIELDS",
    "Field",
    "Layout",
    "cell_path",
    "is_blank",
    "locate",
    "normalise_header",
]

#: How many rows from the top may hold a title before the header row.
HEADER_SEARCH_ROWS = 10
_HEADER_NOISE = re.compile(r"[\s_\-.*]+")
_BRACKETED = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]$")


def normalise_header(text: str) -> str:
    """The form in which headers are compared."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


@attrs.frozen
class Field:
    """A column a table knows.

    Attributes:
        name: The field it fills.
        zh, en: The header written in each language.
        what: How messages name the column.
        synonyms: Headers accepted on input (compared normalised).
    """

    name: str
    zh: str
    en: str
    what: str
    synonyms: tuple[str, ...]

    def header(self, lang: str) -> str:
        """The header written in `lang`."""
        return self.en if lang == "en" else self.zh


TASK_FIELDS = (
    Field(
        "id",
        "序号",
        "ID",
        "the task id",
        ("序号", "编号", "任务编号", "任务序号", "id", "no", "number", "taskid", "#"),
    ),
    Field(
        "title",
        "任务",
        "Task",
        "the task",
        (
            "任务",
            "重点任务",
            "任务名称",
            "工作任务",
            "任务内容",
            "主要任务",
            "具体任务",
            "重点工作",
            "task",
            "title",
            "taskname",
            "keytask",
        ),
    ),
    Field(
        "title_en",
        "任务(英文)",
        "Task (en)",
        "the task in English",
        ("任务(英文)", "英文名称", "title(en)", "task(en)", "titleen", "englishtitle"),
    ),
    Field(
        "title_zh",
        "任务(中文)",
        "Task (zh)",
        "the task in Chinese",
        ("任务(中文)", "中文名称", "title(zh)", "task(zh)", "titlezh", "chinesetitle"),
    ),
    Field(
        "lead",
        "牵头单位",
        "Lead units",
        "the lead units",
        (
            "牵头单位",
            "责任单位",
            "牵头部门",
            "责任部门",
            "主责单位",
            "lead",
            "leadunit",
            "leadunits",
            "leaddepartments",
            "responsibleunits",
        ),
    ),
    Field(
        "partners",
        "配合单位",
        "Partner units",
        "the partner units",
        (
            "配合单位",
            "协办单位",
            "配合部门",
            "参与单位",
            "协同单位",
            "partners",
            "partner",
            "partnerunits",
            "supportingunits",
        ),
    ),
    Field(
        "due",
        "完成时限",
        "Deadline",
        "the deadline",
        (
            "完成时限",
            "时间节点",
            "截止时间",
            "完成时间",
            "完成期限",
            "时限",
            "截止日期",
            "deadline",
            "due",
            "duedate",
        ),
    ),
    Field(
        "themes",
        "主题",
        "Themes",
        "the themes",
        ("主题", "领域", "类别", "分类", "themes", "theme", "category", "categories"),
    ),
    Field(
        "reporting",
        "报送频次",
        "Cadence",
        "the reporting cadence",
        (
            "报送频次",
            "报送频率",
            "报送周期",
            "填报频次",
            "调度频次",
            "cadence",
            "reporting",
            "reportingcadence",
            "reportingfrequency",
            "frequency",
        ),
    ),
)

PROGRESS_FIELDS = (
    Field(
        "item",
        "编号",
        "Item",
        "the item id",
        ("编号", "序号", "事项编号", "任务编号", "指标编号", "item", "id", "itemid", "taskid"),
    ),
    Field(
        "title",
        "任务",
        "Title",
        "the title (not read)",
        ("任务", "重点任务", "任务名称", "事项", "指标", "名称", "title", "task", "name"),
    ),
    Field(
        "date",
        "日期",
        "Date",
        "the date",
        (
            "日期",
            "更新日期",
            "进展日期",
            "统计日期",
            "报送日期",
            "时间",
            "date",
            "on",
            "asof",
            "reportdate",
        ),
    ),
    Field(
        "status",
        "进展",
        "Status",
        "the status",
        ("进展", "状态", "进展情况", "完成情况", "推进状态", "status", "progress", "state"),
    ),
    Field(
        "percent",
        "完成比例(%)",
        "Percent (%)",
        "the percent complete",
        (
            "完成比例",
            "完成进度",
            "进度",
            "完成率",
            "完成百分比",
            "percent",
            "percentage",
            "completion",
            "pct",
            "%",
        ),
    ),
    Field(
        "value",
        "数值",
        "Value",
        "the value",
        ("数值", "完成值", "实际值", "指标值", "当前值", "value", "actual", "observed"),
    ),
    Field(
        "increment",
        "本期增量",
        "Increment",
        "the increment of a sum target",
        (
            "本期增量",
            "本期",
            "增量",
            "本期数值",
            "本期值",
            "本期完成",
            "本期完成值",
            "数值(本期)",
            "数值(增量)",
            "完成值(本期)",
            "increment",
            "increments",
            "thisperiod",
            "value(increment)",
            "value(thisperiod)",
        ),
    ),
    Field(
        "total",
        "累计",
        "Running total",
        "the running total of a sum target",
        (
            "累计",
            "累计值",
            "累计数值",
            "累计完成",
            "累计完成值",
            "数值(累计)",
            "完成值(累计)",
            "runningtotal",
            "cumulative",
            "todate",
            "totaltodate",
            "value(runningtotal)",
            "value(cumulative)",
        ),
    ),
    Field("unit", "单位", "Unit", "the unit", ("单位", "计量单位", "unit", "units")),
    Field(
        "note",
        "备注",
        "Note",
        "the note",
        ("备注", "说明", "进展说明", "note", "notes", "remark", "remarks", "comment", "comments"),
    ),
    Field(
        "source",
        "来源",
        "Source",
        "the source",
        ("来源", "出处", "信息来源", "数据来源", "source", "sources", "reference"),
    ),
    # Knowledge time and corrections: when a row was entered, its id, the id it corrects.
    Field(
        "recorded",
        "填报日期",
        "Recorded",
        "the day entered",
        ("填报日期", "录入日期", "登记日期", "recorded", "recordedon", "entered", "enteredon"),
    ),
    Field(
        "id",
        "记录编号",
        "Record id",
        "the record id",
        ("记录编号", "记录号", "记录id", "recordid", "record"),
    ),
    Field(
        "supersedes",
        "更正",
        "Corrects",
        "the record corrected",
        ("更正", "更正记录", "更正编号", "corrects", "supersedes", "correctionof"),
    ),
    Field(
        "reason",
        "更正原因",
        "Reason",
        "the reason for a correction",
        ("更正原因", "更正说明", "原因", "reason", "correctionreason"),
    ),
    # A revision (调整): see `_revisions`.
    Field(
        "new_due",
        "调整后完成时限",
        "New due date",
        "the new due date",
        (
            "调整后完成时限",
            "调整后时限",
            "新完成时限",
            "延期至",
            "newdue",
            "newduedate",
            "reviseddue",
            "extendedto",
        ),
    ),
    Field(
        "new_value",
        "调整后目标值",
        "New target value",
        "the new target value",
        ("调整后目标值", "新目标值", "调整后目标", "newvalue", "newtarget", "newtargetvalue"),
    ),
    Field(
        "revision_reason",
        "调整原因",
        "Revision reason",
        "the reason for a revision",
        ("调整原因", "延期原因", "revisionreason"),
    ),
    Field(
        "approved_by",
        "批准单位",
        "Approved by",
        "who approved",
        ("批准单位", "审批单位", "批准机关", "批准", "approvedby", "approver", "approval"),
    ),
)

#: The progress columns a sheet needs only for recorded days and corrections.
LINK_FIELDS = ("recorded", "id", "supersedes", "reason")


def cell_path(row: int, column: str) -> str:
    """The path of a cell in problems: `row 7, column 完成时限`."""
    return f"row {row}, column {column}"


def _shown(cell: Cell) -> str:
    return " ".join(str(cell).split())


@attrs.frozen
class Layout:
    """Where a table's columns are.

    Attributes:
        header_row: The spreadsheet row number of the header.
        columns: For each field found, its index and its header as written.
    """

    header_row: int
    columns: dict[str, tuple[int, str]]

    def cell(self, cells: Sequence[Cell], field: str) -> Cell:
        """The cell of `field` in a row, `None` if absent."""
        found = self.columns.get(field)
        if found is None or found[0] >= len(cells):
            return None
        return cells[found[0]]

    def path(self, row: int, field: str) -> str:
        """The problem path of `field` in `row`."""
        return cell_path(row, self.columns[field][1])


def _lookup(fields: Sequence[Field]) -> dict[str, Field]:
    return {normalise_header(word): field for field in fields for word in field.synonyms}


def _field_of(header: str, lookup: dict[str, Field]) -> Field | None:
    key = normalise_header(header)
    found = lookup.get(key)
    if found is None:
        trimmed = _BRACKETED.sub("", key)
        if trimmed and trimmed != key:
            found = lookup.get(trimmed)
    return found


def is_blank(cells: Iterable[Cell]) -> bool:
    """Whether every cell is empty or white space."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def locate(
    rows: Sequence[Row],
    fields: Sequence[Field],
    required: Sequence[Sequence[str]],
    *,
    strict: bool,
    hints: Mapping[str, str] | None = None,
) -> tuple[Layout, list[tuple[str, str]]]:
    """Find the header row and the columns, with the problems of the header.

    The header is the first of the top rows in which two or more cells name known
    columns (so a title row above it is skipped); failing that, the first row that
    is not blank. `required` lists groups of fields of which at least one must
    be present; `hints` adds to the message of a missing one, by its first field.
    """
    lookup = _lookup(fields)
    by_name = {field.name: field for field in fields}
    non_blank = [(n, cells) for n, cells in rows if not is_blank(cells)]
    header_row, header = non_blank[0] if non_blank else (1, ())
    for number, cells in non_blank[:HEADER_SEARCH_ROWS]:
        named = [c for c in cells if isinstance(c, str) and _field_of(c, lookup) is not None]
        if len(named) >= 2:
            header_row, header = number, cells
            break
    problems: list[tuple[str, str]] = []
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        shown = _shown(cell)
        field = _field_of(str(cell), lookup)
        if field is None:
            if strict:
                problems.append((cell_path(header_row, shown), f"{shown!r} is not a known column"))
            continue
        if field.name in columns:
            first = columns[field.name][1]
            message = f"{shown!r} repeats the column of {field.what} (already {first!r})"
            problems.append((cell_path(header_row, shown), message))
            continue
        columns[field.name] = (index, shown)
    for group in required:
        if not any(name in columns for name in group):
            main = by_name[group[0]]
            words, what = ", ".join(main.synonyms[:4]), main.what
            hint = (hints or {}).get(main.name, "")
            problems.append(
                (f"row {header_row}", f"no column for {what} (a header such as {words}){hint}")
            )
    return Layout(header_row, columns), problems
