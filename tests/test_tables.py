"""Tests of task and progress spreadsheets: round trips, headers, cells and problems."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
import sys
from pathlib import Path

import openpyxl
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from beijing_plan import (
    Ledger,
    Measure,
    Milestone,
    Observation,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Source,
    StatusChange,
    Target,
    Task,
    Text,
)
from beijing_plan.tables import read_progress, read_tasks, write_progress, write_tasks

D = pendulum.Date
FORMATS = ["csv", "xlsx"]
LANGS = ["zh", "en"]

TASKS = (
    Task(
        "1",
        Text(zh="一群一策支持先进制造业集群", en="Tailored support for clusters"),
        lead=("市经济和信息化局", "市发展改革委"),
        partners=("市财政局",),
        due=D(2025, 6, 30),
        themes=frozenset({"industry", "innovation"}),
    ),
    Task("2", "Dedicated data zones", lead=("市政务服务和数据管理局",), due=D(2025, 12, 31)),
    Task("3", "持续优化营商环境"),
)

LEDGER = Ledger(
    [
        StatusChange("1", "2025-03-31", "in_progress", percent=40, note="完成选址"),
        StatusChange("2", "2025-04-30", "not_started"),
        Observation(
            "g1",
            "2025-12-31",
            Quantity(132, "count"),
            source=Source("Qianlong", url="https://beijing.qianlong.com/2026/0126/8615684.shtml"),
            note="counts all new entrants",
        ),
        Observation("g2", "2025-09-30", Quantity("12.5", "亿元")),
        StatusChange("3", "2025-12-31", "done", percent=100.0, source=Source("市政府通报")),
        StatusChange("4", "2025-06-30", "cancelled"),
    ]
)


def make_plan(*, end: str = "2025-12-31") -> Plan:
    """A small plan with a target on a task, a measure target, a milestone and a policy."""
    return Plan(
        "demo",
        "示范计划",
        start="2025-01-01",
        end=end,
        measures=[
            Measure(
                "m1",
                1,
                "举措一",
                tasks=[
                    Task(
                        "t1",
                        "任务一",
                        targets=[Target("g1", "引进企业", "at_least", Quantity(60, "家"))],
                        milestones=[Milestone("ms1", "完成选址")],
                    )
                ],
                targets=[Target("g2", "再贷款资金", "at_least", Quantity(600, "亿元"))],
            )
        ],
        policies=[Policy("p1", "公共数据开发利用指引")],
    )


def write_csv(path: Path, text: str, *, bom: bool = True) -> Path:
    """Write CSV text as Excel does (UTF-8, with a byte order mark by default)."""
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def write_xlsx(
    path: Path,
    rows: list[list[str | float | dt.date | dt.time | None]],
    *,
    percent_column: int | None = None,
) -> Path:
    """Write rows to an XLSX file, with one column formatted as a percentage."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if percent_column == c and r > 1:
                cell.number_format = "0%"
    book.save(path)
    return path


def problems_of(error: pytest.ExceptionInfo[PlanValidationError]) -> list[tuple[str, str]]:
    """The problems an error lists."""
    return error.value.problems


# -- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_tasks_round_trip(tmp_path: Path, fmt: str, lang: str) -> None:
    """Tasks written in either language and format read back equal."""
    path = tmp_path / f"tasks.{fmt}"
    write_tasks(TASKS, path, lang=lang)
    assert read_tasks(path, year=None) == TASKS


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_progress_round_trip(tmp_path: Path, fmt: str, lang: str) -> None:
    """A ledger written in either language and format reads back equal, record for record."""
    path = tmp_path / f"progress.{fmt}"
    write_progress(LEDGER, path, lang=lang)
    assert read_progress(path) == LEDGER


def test_written_headers_follow_the_language(tmp_path: Path) -> None:
    """Chinese files get Chinese headers and words, English files English ones."""
    write_tasks(TASKS, tmp_path / "zh.csv")
    write_tasks(TASKS, tmp_path / "en.csv", lang="en")
    write_progress(LEDGER[:1], tmp_path / "p.csv")
    zh = (tmp_path / "zh.csv").read_text(encoding="utf-8-sig").splitlines()
    en = (tmp_path / "en.csv").read_text(encoding="utf-8-sig").splitlines()
    progress = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()
    assert zh[0] == "序号,任务,任务(英文),牵头单位,配合单位,完成时限,主题"
    assert zh[1] == (
        "1,一群一策支持先进制造业集群,Tailored support for clusters,"
        "市经济和信息化局、市发展改革委,市财政局,2025-06-30,industry、innovation"
    )
    assert en[0] == "ID,Task,Task (zh),Lead units,Partner units,Deadline,Themes"
    assert en[1].startswith("1,Tailored support for clusters,一群一策支持先进制造业集群,")
    assert progress == [
        "编号,日期,进展,完成比例(%),数值,单位,备注,来源",
        "1,2025-03-31,推进中,40,,,完成选址,",
    ]


def test_csv_is_written_with_bom_and_crlf(tmp_path: Path) -> None:
    """Written CSV starts with a UTF-8 byte order mark and ends lines with CRLF, as Excel wants."""
    path = tmp_path / "tasks.csv"
    write_tasks(TASKS[2:], path)
    assert (
        path.read_bytes()
        == "\ufeff序号,任务,牵头单位,配合单位,完成时限,主题\r\n3,持续优化营商环境,,,,\r\n".encode()
    )


def test_xlsx_is_written_with_date_and_number_cells(tmp_path: Path) -> None:
    """XLSX deadlines are date cells and values numbers, so Excel can sort and sum them."""
    write_tasks(TASKS, tmp_path / "t.xlsx")
    write_progress(LEDGER, tmp_path / "p.xlsx")
    tasks = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    progress = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    assert tasks is not None
    assert progress is not None
    assert tasks.title == "任务"
    assert tasks["F2"].value == dt.datetime(2025, 6, 30)
    assert progress["D2"].value == 40
    assert progress["E5"].value == 12.5


def test_write_tasks_takes_a_plan(tmp_path: Path) -> None:
    """Writing a plan writes its tasks, measure by measure."""
    plan = make_plan()
    write_tasks(plan, tmp_path / "t.csv")
    assert read_tasks(tmp_path / "t.csv", year=2025) == (Task("t1", "任务一"),)


def test_progress_with_plan_has_a_title_column_that_is_not_read(tmp_path: Path) -> None:
    """With a plan, a title column helps the reader of the sheet and reading ignores it."""
    plan = make_plan()
    ledger = Ledger(
        [
            StatusChange("t1", "2025-05-01", "in_progress"),
            Observation("g2", "2025-06-30", Quantity(10, "亿元")),
        ]
    )
    write_progress(ledger, tmp_path / "p.csv", plan=plan)
    lines = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "编号,任务,日期,进展,完成比例(%),数值,单位,备注,来源"
    assert lines[1] == "t1,任务一,2025-05-01,推进中,,,,,"
    assert read_progress(tmp_path / "p.csv", plan=plan) == ledger


def test_file_objects_read_and_write(tmp_path: Path) -> None:
    """Binary file objects are written and read; the format then comes from format=."""
    for fmt in FORMATS:
        buffer = io.BytesIO()
        write_tasks(TASKS, buffer, format=fmt)
        buffer.seek(0)
        assert read_tasks(buffer, year=None, format=fmt) == TASKS
    text = tmp_path / "t.csv"
    write_tasks(TASKS, text)
    with text.open(encoding="utf-8-sig", newline="") as handle:
        assert read_tasks(handle, year=None) == TASKS
    with text.open(encoding="utf-8", newline="") as handle:  # the mark left in, as text
        assert read_tasks(handle, year=None) == TASKS


# -- headers and cells -------------------------------------------------------------------


def test_chinese_ledger_with_title_row_synonyms_and_phrases(tmp_path: Path) -> None:
    """A real-looking ledger: a title row, synonym headers, unit lists and deadline phrases."""
    path = write_csv(
        tmp_path / "台账.csv",
        "2025年重点任务台账,,,,\n"
        "任务编号,重点任务,责任单位,协办单位,时间节点,责任人\n"
        '1,推进一群一策,"市经济和信息化局、市发展改革委","市财政局\n市科委",2025年6月底前,张三\n'
        ",,,,,\n"
        "2,建设数据专区,市政务服务和数据管理局,,三季度,李四\n"
        "3,优化营商环境,市发展改革委,,长期,\n",
    )
    tasks = read_tasks(path, year=2025)
    assert tasks == (
        Task(
            "1",
            "推进一群一策",
            lead=("市经济和信息化局", "市发展改革委"),
            partners=("市财政局", "市科委"),
            due=D(2025, 6, 30),
        ),
        Task("2", "建设数据专区", lead=("市政务服务和数据管理局",), due=D(2025, 9, 30)),
        Task("3", "优化营商环境", lead=("市发展改革委",)),
    )


def test_english_headers_ignore_case_space_and_notes(tmp_path: Path) -> None:
    """Headers match whatever their case, spacing, underscores or bracketed notes."""
    path = write_csv(
        tmp_path / "t.csv",
        " No. , TASK NAME ,lead_units,Partner-Units,Due Date (plan),CATEGORIES\n"
        'a1,Data zones,Data bureau,"Bureau A, Bureau B",Q3,data\n',
    )
    assert read_tasks(path, year=2025) == (
        Task(
            "a1",
            "Data zones",
            lead=("Data bureau",),
            partners=("Bureau A", "Bureau B"),
            due=D(2025, 9, 30),
            themes={"data"},
        ),
    )


def test_full_width_brackets_in_headers(tmp_path: Path) -> None:
    """A header with full-width brackets around its note, such as 完成比例(%), is recognised."""
    path = write_csv(tmp_path / "p.csv", "编号,日期,完成比例\uff08%\uff09\n1,2025-06-30,40\n")
    assert read_progress(path) == Ledger(
        [StatusChange("1", "2025-06-30", "in_progress", percent=40)]
    )


def test_units_split_on_every_separator(tmp_path: Path) -> None:
    """Units in one cell split on 、, commas, semicolons, slashes and line breaks; blanks go."""
    cell = "甲、乙\uff0c丙,丁\uff1b戊;己\uff0f庚/辛\n壬\r\n癸 、 、子"
    path = write_csv(tmp_path / "t.csv", f'序号,任务,牵头单位\n1,任务,"{cell}"\n')
    (task,) = read_tasks(path, year=None)
    assert task.lead == ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子")


def test_csv_with_and_without_bom_read_the_same(tmp_path: Path) -> None:
    """A byte order mark before the first header does not change what is read."""
    text = "序号,任务\n1,任务一\n"
    with_bom = read_tasks(write_csv(tmp_path / "a.csv", text), year=None)
    without = read_tasks(write_csv(tmp_path / "b.csv", text, bom=False), year=None)
    plain_utf8 = read_tasks(tmp_path / "a.csv", year=None, encoding="utf-8")
    assert with_bom == without == plain_utf8 == (Task("1", "任务一"),)


def test_gbk_csv_needs_its_encoding(tmp_path: Path) -> None:
    """A CSV saved in GBK is refused with a hint, and read when its encoding is given."""
    path = tmp_path / "gbk.csv"
    path.write_bytes("序号,任务\n1,任务一\n".encode("gbk"))
    with pytest.raises(PlanValidationError, match="encoding='gbk'"):
        read_tasks(path, year=None)
    assert read_tasks(path, year=None, encoding="gbk") == (Task("1", "任务一"),)


def test_lang_sets_the_language_of_the_task_column(tmp_path: Path) -> None:
    """lang= says which language the task column is in; by default the script decides."""
    path = write_csv(tmp_path / "t.csv", "序号,任务\n1,5G\n2,数据\n")
    assert [t.title for t in read_tasks(path, year=None)] == [Text(en="5G"), Text(zh="数据")]
    assert [t.title for t in read_tasks(path, year=None, lang="zh")] == [
        Text(zh="5G"),
        Text(zh="数据"),
    ]
    assert [t.title for t in read_tasks(path, year=None, lang="en")] == [
        Text(en="5G"),
        Text(en="数据"),
    ]


@pytest.mark.parametrize(
    ("cell", "percent"),
    [("40%", 40.0), ("40", 40.0), ("40％", 40.0), (" 12.5 % ", 12.5), ("0", 0.0), ("100%", 100.0)],  # noqa: RUF001 (the full-width sign is the point)
)
def test_percent_text_forms(tmp_path: Path, cell: str, percent: float) -> None:
    """Percent text with or without a sign, full-width or not, is in points."""
    path = write_csv(tmp_path / "p.csv", f"编号,日期,进展,完成比例\n1,2025-06-30,推进中,{cell}\n")
    (record,) = read_progress(path)
    assert isinstance(record, StatusChange)
    assert record.percent == percent


def test_xlsx_percent_cells(tmp_path: Path) -> None:
    """In XLSX a percentage-formatted 0.4 is 40%, while a plain number 40 is 40 points."""
    path = write_xlsx(
        tmp_path / "p.xlsx",
        [
            ["编号", "日期", "进展", "完成比例"],
            ["1", dt.date(2025, 6, 30), "推进中", 0.4],
            ["2", dt.date(2025, 6, 30), "推进中", 0.125],
        ],
        percent_column=4,
    )
    plain = write_xlsx(
        tmp_path / "q.xlsx",
        [["编号", "日期", "进展", "完成比例"], ["1", "2025-06-30", "推进中", 40]],
    )
    assert [r.percent for r in read_progress(path) if isinstance(r, StatusChange)] == [40.0, 12.5]
    assert [r.percent for r in read_progress(plain) if isinstance(r, StatusChange)] == [40.0]


def test_xlsx_cells_of_every_kind(tmp_path: Path) -> None:
    """Number ids, date cells, percentage values and text values are read as a person means them."""
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [
            ["序号", "任务", "完成时限"],
            [1, "任务一", dt.datetime(2025, 6, 30)],
            [2.0, "任务二", "2025年底"],
        ],
    )
    assert read_tasks(path, year=None) == (
        Task("1", "任务一", due=D(2025, 6, 30)),
        Task("2", "任务二", due=D(2025, 12, 31)),
    )
    values = write_xlsx(
        tmp_path / "v.xlsx",
        [
            ["编号", "日期", "数值", "单位"],
            ["g", "2025-06-30", 0.054, None],
            ["h", "2025-06-30", "1,234.5", "万元"],
        ],
        percent_column=3,
    )
    assert [r.value for r in read_progress(values) if isinstance(r, Observation)] == [
        Quantity("5.4", "percent"),
        Quantity("1234.5", "wan_yuan"),
    ]


def test_bare_percent_implies_the_status(tmp_path: Path) -> None:
    """Without a status word, 0% is not started, 100% done, and anything between in progress."""
    path = write_csv(
        tmp_path / "p.csv",
        "编号,日期,完成比例\n1,2025-06-30,0\n2,2025-06-30,55\n3,2025-06-30,100%\n",
    )
    assert [r.status.value for r in read_progress(path) if isinstance(r, StatusChange)] == [
        "not_started",
        "in_progress",
        "done",
    ]


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("未启动", "not_started"),
        ("未开始", "not_started"),
        ("Not Started", "not_started"),
        ("推进中", "in_progress"),
        ("进行中", "in_progress"),
        ("已启动", "in_progress"),
        ("in_progress", "in_progress"),
        ("已完成", "done"),
        ("完成", "done"),
        ("DONE", "done"),
        ("已取消", "cancelled"),
        ("取消", "cancelled"),
        ("canceled", "cancelled"),
    ],
)
def test_status_words(tmp_path: Path, word: str, status: str) -> None:
    """Status words in Chinese and English map to the four statuses."""
    path = write_csv(tmp_path / "p.csv", f"编号,日期,进展\n1,2025-06-30,{word}\n")
    (record,) = read_progress(path)
    assert isinstance(record, StatusChange)
    assert record.status.value == status


def test_value_with_its_unit_in_the_cell(tmp_path: Path) -> None:
    """A value cell such as 60亿元 carries its unit; the same unit in the unit column agrees."""
    path = write_csv(
        tmp_path / "p.csv", "编号,日期,数值,单位\ng,2025-06-30,60亿元,\nh,2025-06-30,5.4%,%\n"
    )
    assert [r.value for r in read_progress(path) if isinstance(r, Observation)] == [
        Quantity(60, "yi_yuan"),
        Quantity("5.4", "percent"),
    ]


def test_row_with_value_and_status_gives_both_records(tmp_path: Path) -> None:
    """Without a plan, a row with a value and a status gives an observation and a status change."""
    path = write_csv(
        tmp_path / "p.csv",
        "编号,日期,进展,数值,单位,备注,来源\nx,2025-06-30,推进中,3,个,说明,市统计局 https://tjj.beijing.gov.cn\n",
    )
    source = Source("市统计局", url="https://tjj.beijing.gov.cn")
    assert read_progress(path) == Ledger(
        [
            Observation("x", "2025-06-30", Quantity(3, "count"), source=source, note="说明"),
            StatusChange("x", "2025-06-30", "in_progress", source=source, note="说明"),
        ]
    )


def test_plan_classifies_rows_and_fills_the_target_unit(tmp_path: Path) -> None:
    """With a plan, a target row without a unit takes the target's, and statuses go to tasks."""
    path = write_csv(
        tmp_path / "p.csv",
        "编号,日期,进展,完成比例,数值,单位\n"
        "g1,6月底,,,45,\n"
        "g2,2025-06-30,,,1.2e3,万元\n"
        "t1,2025-06-30,推进中,50,,\n"
        "ms1,2025-07-31,已完成,,,\n"
        "p1,2025-08-31,已完成,,,\n",
    )
    assert read_progress(path, plan=make_plan()) == Ledger(
        [
            Observation("g1", "2025-06-30", Quantity(45, "count")),
            Observation("g2", "2025-06-30", Quantity(1200, "wan_yuan")),
            StatusChange("t1", "2025-06-30", "in_progress", percent=50),
            StatusChange("ms1", "2025-07-31", "done"),
            StatusChange("p1", "2025-08-31", "done"),
        ]
    )


def test_plan_year_comes_from_a_one_year_plan_only(tmp_path: Path) -> None:
    """A plan within one year dates 6月底; a plan over several years needs year=."""
    path = write_csv(tmp_path / "p.csv", "编号,日期,进展\nt1,6月底,推进中\n")
    long_plan = make_plan(end="2027-12-31")
    assert read_progress(path, plan=make_plan())[0].on == D(2025, 6, 30)
    assert read_progress(path, plan=long_plan, year=2026)[0].on == D(2026, 6, 30)
    with pytest.raises(PlanValidationError, match="relative to the plan year"):
        read_progress(path, plan=long_plan)


def test_unknown_columns_are_ignored_or_reported_when_strict(tmp_path: Path) -> None:
    """Columns the table does not know are skipped, or each reported with strict=True."""
    path = write_csv(tmp_path / "t.csv", "序号,任务,责任人,联系电话,,\n1,任务一,张三,123,,\n")
    assert read_tasks(path, year=None) == (Task("1", "任务一"),)
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(path, year=None, strict=True)
    assert problems_of(caught) == [
        ("row 1, column 责任人", "'责任人' is not a known column"),
        ("row 1, column 联系电话", "'联系电话' is not a known column"),
    ]


def test_missing_and_repeated_columns_are_reported(tmp_path: Path) -> None:
    """A header without the required columns, or with one column twice, is reported at once."""
    path = write_csv(tmp_path / "t.csv", "牵头单位,责任单位,完成时限\n甲,乙,年底\n")
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(path, year=2025)
    assert problems_of(caught) == [
        (
            "row 1, column 责任单位",
            "'责任单位' repeats the column of the lead units (already '牵头单位')",
        ),
        ("row 1", "no column for the task id (a header such as 序号, 编号, 任务编号, 任务序号)"),
        ("row 1", "no column for the task (a header such as 任务, 重点任务, 任务名称, 工作任务)"),
    ]


def test_empty_file_reports_missing_columns(tmp_path: Path) -> None:
    """An empty sheet is refused for lack of its required columns."""
    with pytest.raises(PlanValidationError, match="no column for the item id"):
        read_progress(write_csv(tmp_path / "p.csv", ""))


# -- problems ----------------------------------------------------------------------------


def test_every_bad_task_cell_is_reported_at_once(tmp_path: Path) -> None:
    """Every bad cell of a task sheet is listed with its row and column; no task is returned."""
    path = write_csv(
        tmp_path / "t.csv",
        "台账\n"
        "序号,任务,牵头单位,完成时限,主题\n"
        "1,任务一,甲,2025年6月底,产业\n"
        ",无编号,,,\n"
        "2 b,编号有空格,,,\n"
        "1,编号重复,,,\n"
        "3,,,,\n"
        "4,日期不存在,,2025年2月30日,\n"
        "5,日期不认识,,尽快,\n"
        "6,相对日期,,三季度,\n"
        "7,主题有空格,,,数据 要素、产业\n",
    )
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(path, year=None)
    assert problems_of(caught) == [
        ("row 4, column 序号", "the task id is missing"),
        ("row 5, column 序号", "'2 b' must not contain spaces or control characters"),
        ("row 6, column 序号", "'1' is used again (first in row 3)"),
        ("row 7, column 任务", "the task is missing"),
        (
            "row 8, column 完成时限",
            "'2025年2月30日' is not a real date: February 2025 has no day 30",
        ),
        (
            "row 9, column 完成时限",
            "'尽快' is not a date or a deadline phrase (such as 2025年6月30日 or 6月底)",
        ),
        (
            "row 10, column 完成时限",
            "'三季度' is relative to the plan year, which is not known (pass year=...)",
        ),
        ("row 11, column 主题", "'数据 要素' must not contain spaces or control characters"),
    ]


def test_every_bad_progress_cell_is_reported_at_once(tmp_path: Path) -> None:
    """Every bad cell of a progress sheet is listed with its row and column; nothing is returned."""
    path = write_csv(
        tmp_path / "p.csv",
        "编号,日期,进展,完成比例,数值,单位\n"
        "t1,2025-06-30,推进中,40,,\n"
        ",,差不多,120,,\n"
        "t1,长期,,abc,,\n"
        "g1,2025-06-30,,,many,\n"
        "g1,2025-06-30,,,5,公里\n"
        "g1,2025-06-30,,,5,元\n"
        "g1,2025-06-30,推进中,,,\n"
        "t1,2025-06-30,,,5,个\n"
        "zz,2025-06-30,推进中,,,\n"
        "m1,2025-06-30,推进中,,,\n"
        "t1,2025-06-30,,,,个\n"
        "t1,2025-06-30,,,,\n"
        "g1,2025-06-30,,,60亿元,万元\n",
    )
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path, plan=make_plan())
    problems = problems_of(caught)
    # The unit registry words its own message; the table only places it.
    unit_path, unit_message = problems.pop(7)
    assert unit_path == "row 6, column 单位"
    assert unit_message.startswith("'公里' is not a known unit")
    assert problems == [
        ("row 3, column 编号", "the item id is missing"),
        ("row 3, column 日期", "the date is missing"),
        ("row 3, column 进展", "'差不多' is not a status (such as 未启动, 推进中, 已完成, 已取消)"),
        ("row 3, column 完成比例", "'120' is not between 0% and 100%"),
        ("row 4, column 日期", "'长期' is not a date"),
        ("row 4, column 完成比例", "'abc' is not a percent"),
        ("row 5, column 数值", "'many' is not a number"),
        ("row 7, column 单位", "unit '元' does not measure count like the target's unit 'count'"),
        ("row 8, column 进展", "'g1' is a target: it takes a value, not a status"),
        ("row 9, column 数值", "'t1' is a Task; only targets take values"),
        ("row 10, column 编号", "'zz' is not an id of the plan"),
        (
            "row 11, column 编号",
            "'m1' is a Measure; progress is recorded for targets, tasks, policies and milestones",
        ),
        ("row 12, column 单位", "'个' is a unit without a value"),
        ("row 13", "nothing to record: no status, percent or value"),
        ("row 14, column 数值", "the value's unit '亿元' is not '万元'"),
    ]


def test_value_without_a_unit_needs_a_plan(tmp_path: Path) -> None:
    """Without a plan nothing says what unit a bare value is in, so it is refused."""
    path = write_csv(tmp_path / "p.csv", "编号,日期,数值\ng1,2025-06-30,45\n")
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert problems_of(caught) == [("row 2, column 数值", "a value needs a unit")]


# -- files and formats -------------------------------------------------------------------


def test_format_comes_from_the_suffix_or_is_refused(tmp_path: Path) -> None:
    """An unknown suffix or format name is refused; format= overrides the suffix."""
    with pytest.raises(PlanValidationError, match="cannot tell the format"):
        write_tasks(TASKS, tmp_path / "tasks.txt")
    with pytest.raises(PlanValidationError, match="'ods' is not 'csv' or 'xlsx'"):
        write_tasks(TASKS, tmp_path / "tasks.csv", format="ods")
    write_tasks(TASKS, tmp_path / "tasks.txt", format="xlsx")
    assert read_tasks(tmp_path / "tasks.txt", year=None, format="XLSX") == TASKS
    assert not (tmp_path / "tasks.csv").exists()


def test_sheet_is_chosen_by_name(tmp_path: Path) -> None:
    """sheet= picks an XLSX worksheet; a missing sheet, or a sheet of a CSV, is refused."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.append(["说明"])
    book.create_sheet("进展").append(["编号", "日期", "进展"])
    book["进展"].append(["t1", "2025-06-30", "已完成"])
    book.save(tmp_path / "book.xlsx")
    assert len(read_progress(tmp_path / "book.xlsx", sheet="进展")) == 1
    with pytest.raises(PlanValidationError, match="'任务' is not a sheet of"):
        read_progress(tmp_path / "book.xlsx", sheet="任务")
    write_csv(tmp_path / "p.csv", "编号,日期,进展\n")
    with pytest.raises(PlanValidationError, match="a CSV file has no sheets"):
        read_progress(tmp_path / "p.csv", sheet="进展")


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    """A file named .xlsx that is not a workbook is refused as such."""
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(PlanValidationError, match="is not an XLSX workbook"):
        read_tasks(tmp_path / "bad.xlsx", year=None)


def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    """A title starting with = is written as text, not run as a formula."""
    tasks = (Task("1", "=SUM(A1:A9)"),)
    write_tasks(tasks, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    assert sheet["B2"].data_type == "s"
    assert read_tasks(tmp_path / "t.xlsx", year=None) == tasks


def test_values_a_sheet_cannot_hold_are_refused_before_writing(tmp_path: Path) -> None:
    """Unit names holding separators and XLSX control characters are refused; no file is made."""
    tasks = [Task("1", "任务\x01", lead=("甲、乙", " 丙")), Task("2", "二", themes={"a/b"})]
    with pytest.raises(PlanValidationError) as caught:
        write_tasks(tasks, tmp_path / "t.xlsx")
    message = "would not read back as one entry (it holds a separator or surrounding white space)"
    assert problems_of(caught) == [
        ("tasks[0].lead[0]", f"'甲、乙' {message}"),
        ("tasks[0].lead[1]", f"' 丙' {message}"),
        ("tasks[1].themes[0]", f"'a/b' {message}"),
        ("tasks[0].title", "'任务\\x01' has a control character an XLSX cell cannot hold"),
    ]
    assert list(tmp_path.iterdir()) == []


def test_wrong_objects_are_refused_by_the_writers(tmp_path: Path) -> None:
    """Writers name each object that is not a task or a record."""
    with pytest.raises(PlanValidationError) as caught:
        write_tasks([TASKS[0], "task"], tmp_path / "t.csv")  # type: ignore[list-item]
    assert problems_of(caught) == [("tasks[1]", "'task' is not a Task")]
    with pytest.raises(PlanValidationError) as caught:
        write_progress([LEDGER[0], 3], tmp_path / "p.csv")  # type: ignore[list-item]
    assert problems_of(caught) == [("records[1]", "3 is not an Observation or a StatusChange")]
    with pytest.raises(PlanValidationError, match="'fr' is not 'zh' or 'en'"):
        write_tasks(TASKS, tmp_path / "t.csv", lang="fr")


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    """A write that fails leaves the existing file as it was and no temporary file behind."""
    path = tmp_path / "t.csv"
    write_tasks(TASKS, path)
    before = path.read_bytes()
    with pytest.raises(PlanValidationError):
        write_tasks([Task("1", "一", lead=("a;b",))], path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    """Writing over an existing file replaces its content but keeps its permission bits."""
    path = tmp_path / "t.xlsx"
    write_tasks(TASKS, path)
    path.chmod(0o640)
    write_tasks(TASKS[:1], path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert read_tasks(path, year=None) == TASKS[:1]
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_missing_openpyxl_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the xlsx extra, XLSX reading and writing say which extra to install; CSV works."""
    write_tasks(TASKS, tmp_path / "t.xlsx")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    monkeypatch.setitem(sys.modules, "defusedxml", None)
    hint = (
        'reading and writing .xlsx files needs the `{}` package: pip install "beijing-plan[xlsx]"'
    )
    with pytest.raises(ImportError) as read:
        read_tasks(tmp_path / "t.xlsx", year=None)
    assert str(read.value) == hint.format("defusedxml")
    with pytest.raises(ImportError) as written:
        write_progress(LEDGER, tmp_path / "p.xlsx")
    assert str(written.value) == hint.format("openpyxl")
    write_tasks(TASKS, tmp_path / "t.csv")
    assert read_tasks(tmp_path / "t.csv", year=None) == TASKS


def test_exact_values_survive_xlsx(tmp_path: Path) -> None:
    """Values a float cannot hold exactly are kept as text in XLSX and read back exactly."""
    ledger = Ledger(
        [
            Observation("g", "2025-01-01", Quantity("12345678901234567.891", "yuan")),
            Observation("g", "2025-01-02", Quantity("1E+30", "yuan")),
        ]
    )
    write_progress(ledger, tmp_path / "p.xlsx")
    write_progress(ledger, tmp_path / "p.csv")
    assert read_progress(tmp_path / "p.xlsx") == ledger
    assert read_progress(tmp_path / "p.csv") == ledger


# -- properties --------------------------------------------------------------------------

_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_LATIN = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789")


def _words(alphabet: st.SearchStrategy[str], *, spaces: bool) -> st.SearchStrategy[str]:
    word = st.text(alphabet, min_size=1, max_size=6)
    return st.lists(word, min_size=1, max_size=3).map(" ".join if spaces else "".join)


zh_text = _words(_HAN, spaces=False)
en_text = _words(_LATIN, spaces=True)
titles = st.one_of(
    zh_text.map(lambda zh: Text(zh=zh)),
    en_text.map(lambda en: Text(en=en)),
    st.builds(lambda zh, en: Text(zh=zh, en=en), zh_text, en_text),
)
ids = st.text(st.sampled_from("abcdef0123456789-_."), min_size=1, max_size=8)
units = st.lists(st.one_of(zh_text, en_text), max_size=3)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)).map(
    lambda d: D(d.year, d.month, d.day)
)


@st.composite
def task_lists(draw: st.DrawFn) -> tuple[Task, ...]:
    """Tasks with unique ids and every column a task sheet holds."""
    task_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    return tuple(
        Task(
            task_id,
            draw(titles),
            lead=draw(units),
            partners=draw(units),
            due=draw(st.none() | days),
            themes=draw(st.frozensets(ids, max_size=3)),
        )
        for task_id in task_ids
    )


sources = st.none() | st.builds(
    Source, zh_text, url=st.none() | ids.map(lambda s: f"https://example.org/{s}")
)
notes = st.none() | st.one_of(zh_text, en_text)
observations = st.builds(
    Observation,
    ids,
    days,
    st.builds(
        Quantity,
        st.decimals(
            min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False
        ),
        st.sampled_from(["count", "percent", "yuan", "wan_yuan", "yi_yuan", "usd", "m2", "wan_m2"]),
    ),
    source=sources,
    note=notes,
)
status_changes = st.builds(
    StatusChange,
    ids,
    days,
    st.sampled_from(["not_started", "in_progress", "done", "cancelled"]),
    percent=st.none() | st.floats(min_value=0, max_value=100),
    source=sources,
    note=notes,
)


@given(tasks=task_lists(), fmt=st.sampled_from(FORMATS), lang=st.sampled_from(LANGS))
def test_any_tasks_round_trip(tasks: tuple[Task, ...], fmt: str, lang: str) -> None:
    """Tasks that a sheet can hold read back equal after writing, in either format and language."""
    buffer = io.BytesIO()
    write_tasks(tasks, buffer, format=fmt, lang=lang)
    buffer.seek(0)
    assert read_tasks(buffer, year=None, format=fmt) == tasks


@given(
    records=st.lists(st.one_of(observations, status_changes), max_size=6),
    fmt=st.sampled_from(FORMATS),
    lang=st.sampled_from(LANGS),
)
def test_any_ledger_round_trips(
    records: list[Observation | StatusChange], fmt: str, lang: str
) -> None:
    """Any ledger reads back equal after writing, in either format and language."""
    ledger = Ledger(records)
    buffer = io.BytesIO()
    write_progress(ledger, buffer, format=fmt, lang=lang)
    buffer.seek(0)
    assert read_progress(buffer, format=fmt) == ledger


@given(
    st.lists(st.one_of(zh_text, en_text), min_size=1, max_size=5),
    st.sampled_from(["、", "\uff0c", ",", "\uff1b", ";", "\uff0f", "/", "\n", " 、 "]),
)
def test_any_separator_splits_any_units(names: list[str], separator: str) -> None:
    """Units joined by any separator split back into the same units, in order."""
    cell = separator.join(names)
    text = '序号,任务,牵头单位\n1,任务,"' + cell + '"\n'
    (task,) = read_tasks(io.StringIO(text), year=None, format="csv")
    assert task.lead == tuple(names)


# -- less common cells and failures ------------------------------------------------------


def test_xlsx_cells_of_other_types_read_as_their_text(tmp_path: Path) -> None:
    """Booleans, fractional numbers, percentages and times in text columns read as shown."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "日期", "进展", "备注"])
    sheet.append([1.5, dt.datetime(2025, 6, 30, 9, 30), "已完成", True])
    sheet.append([2, dt.date(2025, 7, 1), "已完成", dt.time(9, 30)])
    sheet.append([3, dt.date(2025, 7, 2), "已完成", 0.25])
    sheet.append([4, dt.date(2025, 7, 3), "已完成", dt.datetime(2025, 1, 2, 3, 4)])
    sheet.append([5, dt.date(2025, 7, 4), "已完成", dt.datetime(2025, 1, 2)])
    sheet.append([6, dt.date(2025, 7, 5), "已完成", dt.timedelta(hours=30)])
    sheet["D4"].number_format = "0%"
    book.save(tmp_path / "p.xlsx")
    assert [(r.item, r.on, r.note) for r in read_progress(tmp_path / "p.xlsx")] == [  # type: ignore[union-attr]
        ("1.5", D(2025, 6, 30), "TRUE"),
        ("2", D(2025, 7, 1), "09:30:00"),
        ("3", D(2025, 7, 2), "25.00%"),
        ("4", D(2025, 7, 3), "2025-01-02T03:04:00"),
        ("5", D(2025, 7, 4), "2025-01-02"),
        ("6", D(2025, 7, 5), "1 day, 6:00:00"),
    ]


def test_cells_of_the_wrong_kind_are_reported(tmp_path: Path) -> None:
    """Dates where numbers belong, and numbers beyond the supported size, are each reported."""
    path = write_xlsx(
        tmp_path / "p.xlsx",
        [
            ["编号", "日期", "完成比例", "数值", "单位"],
            ["a", "2025-06-30", dt.date(2025, 1, 1), None, None],
            ["b", "2025-06-30", None, dt.date(2025, 1, 1), "个"],
            ["c", "2025-06-30", None, 10**70, "个"],
            ["d", "2025-06-30", None, "9" * 130, "个"],
        ],
    )
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    problems = problems_of(caught)
    assert problems[:2] == [
        ("row 2, column 完成比例", "datetime.datetime(2025, 1, 1, 0, 0) is not a percent"),
        ("row 3, column 数值", "datetime.datetime(2025, 1, 1, 0, 0) is not a number"),
    ]
    # The size limits and their wording belong to the units module.
    assert [path for path, _ in problems[2:]] == ["row 4, column 数值", "row 5, column 数值"]
    assert "1e+70" in problems[2][1]
    assert repr("9" * 130) in problems[3][1]


def test_time_cell_is_not_a_date(tmp_path: Path) -> None:
    """A time of day in the date column is reported, not guessed into a day."""
    path = write_xlsx(
        tmp_path / "p.xlsx", [["编号", "日期", "进展"], ["t1", dt.time(9, 30), "已完成"]]
    )
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert problems_of(caught) == [
        (
            "row 2, column 日期",
            "datetime.time(9, 30) is not a date or a deadline phrase",
        )
    ]


@pytest.mark.parametrize(
    ("number_format", "percent"), [("0%", 40.0), ('0"%"', 0.4), ("0\\%", 0.4), ("0.0", 0.4)]
)
def test_only_a_real_percentage_format_scales_the_cell(
    tmp_path: Path, number_format: str, percent: float
) -> None:
    """A % in quotes or after a backslash is literal text, so the cell keeps its number."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "日期", "进展", "完成比例"])
    sheet.append(["t1", "2025-06-30", "推进中", 0.4])
    sheet["D2"].number_format = number_format
    book.save(tmp_path / "p.xlsx")
    (record,) = read_progress(tmp_path / "p.xlsx")
    assert isinstance(record, StatusChange)
    assert record.percent == percent


def test_inline_unit_that_is_unknown_disagrees_with_the_unit_column(tmp_path: Path) -> None:
    """A value such as 5公里 beside the unit 个 is reported at the value cell."""
    path = write_csv(tmp_path / "p.csv", "编号,日期,数值,单位\ng,2025-06-30,5公里,个\n")
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert problems_of(caught) == [("row 2, column 数值", "the value's unit '公里' is not '个'")]


def test_source_that_is_only_a_url_round_trips(tmp_path: Path) -> None:
    """A source whose title is its URL is written once and read back the same."""
    source = Source(
        "https://udn.com/news/story/7332/9287188", url="https://udn.com/news/story/7332/9287188"
    )
    ledger = Ledger([StatusChange("t1", "2025-06-30", "done", source=source)])
    write_progress(ledger, tmp_path / "p.csv")
    assert (
        (tmp_path / "p.csv")
        .read_text(encoding="utf-8-sig")
        .splitlines()[1]
        .endswith(",https://udn.com/news/story/7332/9287188")
    )
    assert read_progress(tmp_path / "p.csv") == ledger


def test_text_a_file_cannot_hold_is_refused_for_each_record(tmp_path: Path) -> None:
    """A control character is refused for XLSX; broken Unicode never gets into a record."""
    ledger = Ledger(
        [
            StatusChange("t1", "2025-06-30", "done", note="bell\x07"),
            StatusChange("t2", "2025-06-30", "done", note="fine"),
        ]
    )
    with pytest.raises(PlanValidationError) as caught:
        write_progress(ledger, tmp_path / "p.xlsx")
    assert problems_of(caught) == [
        ("records[0].note", "'bell\\x07' has a control character an XLSX cell cannot hold"),
    ]
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(PlanValidationError, match=r"^note: 'half \\ud800' holds the surrogate"):
        StatusChange("t2", "2025-06-30", "done", note="half \ud800")


def test_oversized_csv_cell_is_refused(tmp_path: Path) -> None:
    """A CSV the reader cannot parse is refused as a whole with the reason."""
    path = write_csv(tmp_path / "t.csv", "序号,任务\n1," + "长" * 200_000 + "\n")
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(path, year=None)
    assert problems_of(caught) == [
        (
            "",
            f"{str(path)!r} is not a readable CSV file: field larger than field limit (131072), "
            "in the row that starts on line 2",
        )
    ]


def test_xlsx_from_a_text_file_is_refused(tmp_path: Path) -> None:
    """An XLSX source opened in text mode is refused with the mode to use."""
    write_tasks(TASKS, tmp_path / "t.xlsx")
    with (
        (tmp_path / "t.xlsx").open(encoding="latin-1") as handle,
        pytest.raises(PlanValidationError, match="open an XLSX file with 'rb'"),
    ):
        read_tasks(handle, year=None)


def test_crash_while_replacing_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the final rename fails, the old file stays whole and the temporary file is removed."""
    path = tmp_path / "t.csv"
    write_tasks(TASKS, path)
    before = path.read_bytes()

    def fail(source: object, destination: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_tasks(TASKS[:1], path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_plan_argument_must_be_a_plan(tmp_path: Path) -> None:
    """read_progress given a plan= that is not a Plan raises TypeError naming its type (misuse)."""
    path = write_csv(tmp_path / "p.csv", "编号,日期,进展\nt1,2025-06-30,已完成\n")
    with pytest.raises(TypeError, match=r"^plan must be a Plan, not str$"):
        read_progress(path, plan="demo")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^plan must be a Plan, not Ledger$"):
        read_progress(path, plan=Ledger())  # type: ignore[arg-type]


# -- quoting, text targets, titles and number forms --------------------------------------


def test_quote_never_closed_is_refused_with_its_line(tmp_path: Path) -> None:
    """A quote left open does not swallow the rows after it: the file is refused, by line."""
    text = '序号,任务\n1,"推进\n2,建设\n3,优化\n'
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(io.StringIO(text), year=2025, format="csv")
    assert problems_of(caught) == [
        (
            "",
            "'the file' is not a readable CSV file: a quote opened on line 2 is never closed; "
            'close it, or double a quote that is part of the text ("")',
        )
    ]
    path = write_csv(
        tmp_path / "p.csv",
        '编号,日期,进展,备注\nt1,2025-06-30,推进中,"完成选址\nt1,2025-12-31,已完成,\n',
    )
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert problems_of(caught) == [
        (
            "",
            f"{str(path)!r} is not a readable CSV file: a quote opened on line 2 is never "
            'closed; close it, or double a quote that is part of the text ("")',
        )
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('序号,任务,牵头单位\n1,"一\n二","甲\n2,乙\n', 3),  # after a cell that spans lines
        ('序号,任务\r\n1,一\r\n2,"二\r\n3,三\r\n', 3),  # CRLF line ends
        ('序号,任务\r1,"说""明\r2,二\r', 2),  # a doubled quote does not close the cell
    ],
)
def test_unclosed_quote_is_placed_on_the_line_it_opens(text: str, line: int) -> None:
    """The line named is the one the open quote is on, counted as the reader counts lines."""
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(io.StringIO(text), year=None, format="csv")
    assert problems_of(caught) == [
        (
            "",
            f"'the file' is not a readable CSV file: a quote opened on line {line} is never "
            'closed; close it, or double a quote that is part of the text ("")',
        )
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [('序号,任务\n1,一\n2,"二"三\n', 3), ('序号,任务\n1,"一\n二"三\n2,"x\n', 3)],
)
def test_text_after_a_closing_quote_is_refused_with_its_line(text: str, line: int) -> None:
    """A quoted cell that goes on after its closing quote is refused on the line it is on."""
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(io.StringIO(text), year=None, format="csv")
    assert problems_of(caught) == [
        (
            "",
            f"'the file' is not a readable CSV file: on line {line}, a quoted cell goes on "
            "after its closing quote; put the whole cell in quotes and double each quote inside "
            'it ("")',
        )
    ]


def test_quotes_that_csv_allows_still_read() -> None:
    """Quotes inside an unquoted cell, and doubled quotes in a quoted one, are text."""
    text = '序号,任务\n1,推进"一群"一策\n2,"说""明"\n3,"跨\n行"\n'
    assert [t.title for t in read_tasks(io.StringIO(text), year=None, format="csv")] == [
        Text(zh='推进"一群"一策'),
        Text(zh='说"明'),
        Text(zh="跨\n行"),
    ]


def test_csv_is_written_to_a_text_stream() -> None:
    """A text stream gets the CSV text with CRLF line ends and no byte order mark."""
    buffer = io.StringIO()
    write_tasks(TASKS[2:], buffer, format="csv")
    assert (
        buffer.getvalue()
        == "序号,任务,牵头单位,配合单位,完成时限,主题\r\n3,持续优化营商环境,,,,\r\n"
    )
    tasks_buffer, progress_buffer = io.StringIO(), io.StringIO()
    write_tasks(TASKS, tasks_buffer, format="csv", lang="en")
    write_progress(LEDGER, progress_buffer, format="csv")
    tasks_buffer.seek(0)
    progress_buffer.seek(0)
    assert read_tasks(tasks_buffer, year=None, format="csv") == TASKS
    assert read_progress(progress_buffer, format="csv") == LEDGER


def test_csv_is_written_to_a_file_opened_as_text(tmp_path: Path) -> None:
    """A file opened as text is written through its own encoding; its name gives the format."""
    path = tmp_path / "tasks.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_tasks(TASKS, handle)
    data = path.read_bytes()
    assert data.startswith("序号,任务,任务(英文),".encode())
    assert data.count(b"\r\n") == len(TASKS) + 1
    assert read_tasks(path, year=None) == TASKS
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the stream adds the mark
        write_progress(LEDGER, handle)
    assert path.read_bytes().startswith("\ufeff编号,日期,".encode())
    assert read_progress(path) == LEDGER


def test_text_target_whose_encoding_cannot_hold_the_sheet_is_refused(tmp_path: Path) -> None:
    """A text file whose encoding lacks a character is refused before anything is written."""
    path = tmp_path / "tasks.csv"
    with path.open("w", encoding="ascii", newline="") as handle:
        with pytest.raises(PlanValidationError) as caught:
            write_tasks(TASKS, handle)
        assert problems_of(caught) == [
            (
                "",
                f"{str(path)!r} is opened with encoding 'ascii', which cannot hold '序'; "
                "open it with encoding='utf-8-sig'",
            )
        ]
    assert path.read_bytes() == b""


def test_xlsx_to_a_text_target_is_refused(tmp_path: Path) -> None:
    """An XLSX target opened as text is refused with the mode to use; nothing is written."""
    with pytest.raises(PlanValidationError) as caught:
        write_tasks(TASKS, io.StringIO(), format="xlsx")
    assert problems_of(caught) == [
        ("", "'the file' is opened as text; open an XLSX file with 'wb'")
    ]
    path = tmp_path / "progress.xlsx"
    with path.open("w", encoding="utf-8") as handle:
        with pytest.raises(PlanValidationError) as caught:
            write_progress(LEDGER, handle)
        assert problems_of(caught) == [
            ("", f"{str(path)!r} is opened as text; open an XLSX file with 'wb'")
        ]
    assert path.read_bytes() == b""


@pytest.mark.parametrize("fmt", FORMATS)
def test_titles_that_would_read_back_otherwise_are_refused(tmp_path: Path, fmt: str) -> None:
    """Titles whose script says the other language, or with surrounding spaces, are refused."""
    tasks = [
        Task("1", Text(zh="GDP")),
        Task("2", Text(en="你好")),
        Task("3", " padded "),
        Task("4", Text(zh="GDP", en="Gross domestic product")),
        Task("5", Text(zh="北京", en=" Beijing")),
        Task("6", "数据", lead=(" 丙",)),
    ]
    with pytest.raises(PlanValidationError) as caught:
        write_tasks(tasks, tmp_path / f"t.{fmt}")
    assert problems_of(caught) == [
        (
            "tasks[0].title",
            "'GDP' is marked Chinese but has no Chinese character, so it would read back as "
            "English (unless read with lang='zh'); make it an English title (Text(en='GDP')), "
            "or add an English title and write with lang='en'",
        ),
        (
            "tasks[1].title",
            "'你好' is marked English but has a Chinese character, so it would read back as "
            "Chinese (unless read with lang='en'); make it a Chinese title (Text(zh='你好')), "
            "or add a Chinese title and write with lang='zh'",
        ),
        (
            "tasks[2].title",
            "' padded ' would read back as 'padded' (reading removes surrounding white space)",
        ),
        (
            "tasks[3].title",
            "'GDP' is marked Chinese but has no Chinese character, so it would read back as "
            "English (unless read with lang='zh'); write with lang='en', which puts it in the "
            "Chinese title column",
        ),
        (
            "tasks[4].title_en",
            "' Beijing' would read back as 'Beijing' (reading removes surrounding white space)",
        ),
        (
            "tasks[5].lead[0]",
            "' 丙' would not read back as one entry "
            "(it holds a separator or surrounding white space)",
        ),
    ]
    assert list(tmp_path.iterdir()) == []


def test_titles_read_back_as_the_refusals_advise(tmp_path: Path) -> None:
    """Written in the advised language, a title with both halves reads back unchanged."""
    tasks = (
        Task("1", Text(zh="GDP", en="Gross domestic product")),
        Task("2", Text(zh="北京", en="你好")),
    )
    with pytest.raises(PlanValidationError) as caught:
        write_tasks(tasks[:1], tmp_path / "t.csv")
    assert "write with lang='en'" in problems_of(caught)[0][1]
    write_tasks(tasks[:1], tmp_path / "t.csv", lang="en")
    assert read_tasks(tmp_path / "t.csv", year=None) == tasks[:1]
    with pytest.raises(PlanValidationError) as caught:
        write_tasks(tasks[1:], tmp_path / "t.csv", lang="en")
    assert "write with lang='zh'" in problems_of(caught)[0][1]
    write_tasks(tasks[1:], tmp_path / "t.csv")
    assert read_tasks(tmp_path / "t.csv", year=None) == tasks[1:]


def test_notes_and_sources_that_would_read_back_otherwise_are_refused(tmp_path: Path) -> None:
    """Notes with surrounding spaces and sources that would split differently are refused."""
    ledger = Ledger(
        [
            StatusChange("t1", "2025-06-30", "in_progress", note=" 完成选址"),
            StatusChange("t1", "2025-07-31", "done", source=Source("新华网 https://example.org/a")),
            StatusChange("t1", "2025-08-31", "done", source=Source(" 千龙网", url="https://q.cn")),
            StatusChange("t1", "2025-09-30", "done", source=Source("x", url="x")),
        ]
    )
    with pytest.raises(PlanValidationError) as caught:
        write_progress(ledger, tmp_path / "p.csv")
    assert problems_of(caught) == [
        (
            "records[0].note",
            "' 完成选址' would read back as '完成选址' (reading removes surrounding white space)",
        ),
        (
            "records[1].source",
            "'新华网 https://example.org/a' would read back as the title '新华网' "
            "with the URL 'https://example.org/a'",
        ),
        (
            "records[2].source",
            "' 千龙网 https://q.cn' would read back as the title '千龙网' with the URL 'https://q.cn'",
        ),
        ("records[3].source", "'x' would read back as the title 'x' with no URL"),
    ]
    assert list(tmp_path.iterdir()) == []


def test_unread_title_column_may_hold_any_title(tmp_path: Path) -> None:
    """The title column of a progress sheet is not read, so its text is not checked."""
    plan = Plan(
        "demo",
        "示范计划",
        start="2025-01-01",
        end="2025-12-31",
        measures=[Measure("m1", 1, "举措", tasks=[Task("t1", " GDP ")])],
    )
    ledger = Ledger([StatusChange("t1", "2025-06-30", "done")])
    write_progress(ledger, tmp_path / "p.csv", plan=plan)
    assert (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()[1] == (
        "t1, GDP ,2025-06-30,已完成,,,,,"
    )
    assert read_progress(tmp_path / "p.csv", plan=plan) == ledger


@pytest.mark.parametrize("cell", ["1.234,5", "1,5", "1,234,5", "1 234", "1.234.567", "1'234"])
def test_value_with_a_decimal_comma_or_other_grouping_is_named(tmp_path: Path, cell: str) -> None:
    """A value written with a decimal comma or foreign thousands separators says so."""
    path = write_csv(tmp_path / "p.csv", f'编号,日期,数值,单位\ng,2025-06-30,"{cell}",亿元\n')
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert problems_of(caught) == [
        (
            "row 2, column 数值",
            f"{cell!r} looks like a number with a decimal comma, or with dots, spaces or "
            "apostrophes between thousands; write it with a decimal point, and commas between "
            "thousands if any: 1234.5 or 1,234.5",
        )
    ]


def test_value_with_thousands_and_a_unit_after_a_space_still_reads(tmp_path: Path) -> None:
    """Commas between thousands, and a unit after a space, are still numbers with units."""
    path = write_csv(
        tmp_path / "p.csv", '编号,日期,数值\ng,2025-06-30,"1,234.5 亿元"\nh,2025-06-30,3 万元\n'
    )
    assert [r.value for r in read_progress(path) if isinstance(r, Observation)] == [
        Quantity("1234.5", "yi_yuan"),
        Quantity(3, "wan_yuan"),
    ]
