"""Tests of a whole plan in sheets: the layout, round trips, and problems at their cells."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import attrs
import openpyxl
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beijing_plan import (
    Baseline,
    Measure,
    Milestone,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Source,
    Target,
    Task,
    Text,
    Theme,
)
from beijing_plan.datasets import action_plan_2025, work_report_2025
from beijing_plan.strategies import plans
from beijing_plan.tables import (
    FieldChanged,
    RowAdded,
    RowRemoved,
    read_plan,
    update_plan,
    write_plan,
    write_tasks,
)

D = pendulum.Date

PLAN = Plan(
    "bj2025",
    Text(zh="2025年工作要点", en="Work points 2025"),
    start="2025-01-01",
    end="2025-12-31",
    issuer="北京市人民政府",
    themes=[Theme("industry", "产业"), Theme("digital", Text(zh="数字", en="Digital"))],
    measures=[
        Measure(
            "m1",
            1,
            "培育新质生产力",
            themes=["industry"],
            lead=["市发展改革委"],
            tasks=[
                Task(
                    "t1",
                    "一群一策支持先进制造业集群",
                    lead=("市经济和信息化局", "市发展改革委"),
                    partners=("市财政局",),
                    due="2025-06-30",
                    themes=["digital"],
                    targets=[
                        Target(
                            "g1",
                            "新增投资",
                            "at_least",
                            Quantity(60, "亿元"),
                            aggregation="sum",
                            baseline=Baseline(Quantity(10, "亿元"), "2024-12-31"),
                        )
                    ],
                    milestones=[Milestone("ms1", "出台方案", due="2025-03-31")],
                )
            ],
            targets=[Target("g2", "入园企业", "at_least", Quantity(60, "家"))],
        )
    ],
    policies=[Policy("p1", "支持政策", measures=["m1"], due="2025-09-30")],
)


def _task(plan: Plan, task_id: str) -> Task:
    task = plan[task_id]
    assert isinstance(task, Task)
    return task


def _milestone(plan: Plan, milestone_id: str) -> Milestone:
    milestone = plan[milestone_id]
    assert isinstance(milestone, Milestone)
    return milestone


def _csv(folder: Path, name: str) -> list[list[str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _write_csv(folder: Path, name: str, rows: list[list[str]]) -> None:
    with (folder / name).open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _problems(folder: Path) -> list[tuple[str, str]]:
    with pytest.raises(PlanValidationError) as caught:
        read_plan(folder)
    return caught.value.problems


def test_a_plan_is_written_as_a_workbook_of_sheets_an_office_reads(tmp_path: Path) -> None:
    """The workbook has one sheet per kind of item, with Chinese headers and friendly cells."""
    path = tmp_path / "plan.xlsx"
    write_plan(PLAN, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["计划", "主题", "重大举措", "重点任务", "量化指标", "节点", "政策"]
    tasks = [[c.value for c in row] for row in book["重点任务"].iter_rows()]
    assert tasks[0][:8] == [
        "序号",
        "重大举措",
        "任务",
        "任务(英文)",
        "牵头单位",
        "配合单位",
        "开始时间",
        "完成时限",
    ]
    assert tasks[1][:6] == [
        "t1",
        "m1",
        "一群一策支持先进制造业集群",
        None,
        "市经济和信息化局、市发展改革委",
        "市财政局",
    ]
    assert tasks[1][8] == "数字"
    targets = [[c.value for c in row] for row in book["量化指标"].iter_rows()]
    assert targets[0][:10] == [
        "编号",
        "所属",
        "指标",
        "指标(英文)",
        "要求",
        "目标值",
        "上限",
        "基期值",
        "基期日期",
        "完成时限",
    ]
    assert targets[1][:8] == ["g2", "m1", "入园企业", None, "不低于", "60个", None, None]
    assert targets[2][:8] == ["g1", "t1", "新增投资", None, "不低于", "60亿元", None, "10亿元"]
    assert read_plan(path) == PLAN


def test_a_plan_is_written_as_a_folder_of_csv_files(tmp_path: Path) -> None:
    """The CSV form is a folder with one file per sheet, read back as the same plan."""
    write_plan(PLAN, tmp_path / "plan")
    names = sorted(p.name for p in (tmp_path / "plan").iterdir())
    assert names == sorted(
        f"{n}.csv" for n in ("计划", "主题", "重大举措", "重点任务", "量化指标", "节点", "政策")
    )
    assert _csv(tmp_path / "plan", "计划.csv")[:3] == [
        ["项目", "内容"],
        ["编号", "bj2025"],
        ["名称", "2025年工作要点"],
    ]
    assert _csv(tmp_path / "plan", "节点.csv")[1] == ["ms1", "t1", "出台方案", "", "2025-03-31", ""]
    assert read_plan(tmp_path / "plan") == PLAN


def test_english_sheets_read_back(tmp_path: Path) -> None:
    """With lang="en" the sheets and headers are English and read back the same."""
    write_plan(PLAN, tmp_path / "plan.xlsx", lang="en")
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert book.sheetnames == [
        "Plan",
        "Themes",
        "Measures",
        "Tasks",
        "Targets",
        "Milestones",
        "Policies",
    ]
    assert read_plan(tmp_path / "plan.xlsx") == PLAN


def test_values_a_plain_cell_cannot_hold_are_written_as_json(tmp_path: Path) -> None:
    """A unit name holding 、 and a source with a date are written as JSON and read back."""
    plan = Plan(
        "p",
        "计划",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m1",
                1,
                "举措",
                tasks=[
                    Task(
                        "t1",
                        " 前后有空格 ",
                        lead=("甲、乙",),
                        sources=[Source("新闻", published="2025-01-02")],
                    )
                ],
            )
        ],
    )
    write_plan(plan, tmp_path / "plan")
    row = _csv(tmp_path / "plan", "重点任务.csv")[1]
    assert row[2] == '" 前后有空格 "'
    assert row[4] == '["甲、乙"]'
    assert row[-1] == '[{"title": "新闻", "published": "2025-01-02"}]'
    assert read_plan(tmp_path / "plan") == plan


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans(), form=st.sampled_from(["csv", "xlsx"]), lang=st.sampled_from(["zh", "en"]))
def test_every_drawn_plan_reads_back_equal(plan: Plan, form: str, lang: str) -> None:
    """Writing any drawn plan and reading it back gives an equal plan, in CSV and XLSX."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / ("plan.xlsx" if form == "xlsx" else "plan")
        write_plan(plan, target, lang=lang)
        assert read_plan(target) == plan


def test_a_workbook_file_object_round_trips() -> None:
    """A binary file object takes the workbook and gives it back."""
    buffer = io.BytesIO()
    write_plan(PLAN, buffer, format="xlsx")
    buffer.seek(0)
    assert read_plan(buffer, format="xlsx") == PLAN


def test_themes_are_named_and_resolved_by_title(tmp_path: Path) -> None:
    """A theme cell may name themes by title in either language, or by id."""
    write_plan(PLAN, tmp_path / "plan")
    rows = _csv(tmp_path / "plan", "重点任务.csv")
    column = rows[0].index("主题")
    rows[1][column] = "Digital、industry"
    _write_csv(tmp_path / "plan", "重点任务.csv", rows)
    assert _task(read_plan(tmp_path / "plan"), "t1").themes == frozenset({"digital", "industry"})


def test_an_unknown_or_ambiguous_theme_is_a_cell_error(tmp_path: Path) -> None:
    """A theme name of no theme, or of two, is refused with its sheet, row and column."""
    write_plan(PLAN, tmp_path / "plan")
    themes = _csv(tmp_path / "plan", "主题.csv")
    themes[2][1] = "产业"  # the second theme now has the first one's title
    _write_csv(tmp_path / "plan", "主题.csv", themes)
    rows = _csv(tmp_path / "plan", "重点任务.csv")
    rows[1][rows[0].index("主题")] = "产业、文旅"
    _write_csv(tmp_path / "plan", "重点任务.csv", rows)
    assert _problems(tmp_path / "plan") == [
        (
            "sheet 重大举措.csv, row 2, column 主题",
            "'产业' names several themes ('industry', 'digital'); write the theme's id",
        ),
        (
            "sheet 重点任务.csv, row 2, column 主题",
            "'产业' names several themes ('industry', 'digital'); write the theme's id",
        ),
    ]


def test_a_task_of_an_unknown_measure_is_refused_at_its_cell(tmp_path: Path) -> None:
    """A 重大举措 cell naming no measure is a problem of that cell."""
    write_plan(PLAN, tmp_path / "plan")
    rows = _csv(tmp_path / "plan", "重点任务.csv")
    rows[1][1] = "m9"
    _write_csv(tmp_path / "plan", "重点任务.csv", rows)
    assert _problems(tmp_path / "plan") == [
        ("sheet 重点任务.csv, row 2, column 重大举措", "'m9' is not the id or title of any measure")
    ]


def test_a_problem_of_the_plan_is_placed_at_its_cell(tmp_path: Path) -> None:
    """Problems found when the plan is built (a start after the due date) name their cells."""
    write_plan(PLAN, tmp_path / "plan")
    rows = _csv(tmp_path / "plan", "重点任务.csv")
    rows[1][rows[0].index("开始时间")] = "2025-08-01"
    _write_csv(tmp_path / "plan", "重点任务.csv", rows)
    assert _problems(tmp_path / "plan") == [
        ("sheet 重点任务.csv, row 2, column 开始时间", "start 2025-08-01 is after due 2025-06-30"),
        (
            "sheet 节点.csv, row 2, column 完成时限",
            "due 2025-03-31 is before the milestone's start, 2025-08-01 (its task's start)",
        ),
    ]


def test_bad_cells_are_all_reported(tmp_path: Path) -> None:
    """Every bad cell of every sheet is reported at once."""
    write_plan(PLAN, tmp_path / "plan")
    rows = _csv(tmp_path / "plan", "量化指标.csv")
    rows[1][rows[0].index("要求")] = "大约"
    rows[2][rows[0].index("目标值")] = "六十"
    _write_csv(tmp_path / "plan", "量化指标.csv", rows)
    assert _problems(tmp_path / "plan") == [
        (
            "sheet 量化指标.csv, row 2, column 要求",
            "'大约' is not one of 不低于, 不高于, 等于, 介于 (at_least, at_most, exactly, between)",
        ),
        ("sheet 量化指标.csv, row 3, column 目标值", "'六十' is not a number"),
    ]


def test_a_folder_without_a_plan_sheet_is_refused(tmp_path: Path) -> None:
    """Reading a folder without 计划.csv says which sheet is missing."""
    assert _problems(tmp_path) == [("", "the folder has no sheet '计划' (or 'Plan') for the plan")]


def test_writing_refuses_a_plan_that_is_not_a_plan(tmp_path: Path) -> None:
    """A `plan` of the wrong type is misuse, named."""
    with pytest.raises(TypeError, match="plan must be a Plan, not str"):
        write_plan("plan.json", tmp_path / "x.xlsx")  # type: ignore[arg-type]


def test_milestone_dates_may_be_deadline_phrases(tmp_path: Path) -> None:
    """Dates typed by an office as phrases (6月底) refer to the plan's year."""
    write_plan(PLAN, tmp_path / "plan")
    rows = _csv(tmp_path / "plan", "节点.csv")
    rows[1][4] = "6月底"
    _write_csv(tmp_path / "plan", "节点.csv", rows)
    assert _milestone(read_plan(tmp_path / "plan"), "ms1").due == D(2025, 6, 30)


# -- update_plan ----------------------------------------------------------------------------

TWO = attrs.evolve(
    PLAN,
    measures=[
        *PLAN.measures,
        Measure("m2", 2, "优化营商环境", tasks=[Task("t2", "建设数据专区", due="2025-09-30")]),
    ],
)


def _task_sheet(tmp_path: Path, plan: Plan) -> tuple[Path, list[list[str]]]:
    write_plan(plan, tmp_path / "plan")
    path = tmp_path / "plan" / "重点任务.csv"
    return path, _csv(tmp_path / "plan", "重点任务.csv")


def test_an_edited_task_sheet_updates_the_plan_and_says_what_changed(tmp_path: Path) -> None:
    """Edited cells become changed fields, each with its id, field, old and new value."""
    path, rows = _task_sheet(tmp_path, TWO)
    header = rows[0]
    rows[1][header.index("牵头单位")] = "市经济和信息化局"
    rows[2][header.index("完成时限")] = "10月底"
    _write_csv(tmp_path / "plan", "重点任务.csv", rows)
    new, changes = update_plan(TWO, path)
    assert changes == [
        FieldChanged("t1", "lead", ("市经济和信息化局", "市发展改革委"), ("市经济和信息化局",)),
        FieldChanged("t2", "due", D(2025, 9, 30), D(2025, 10, 31)),
    ]
    assert _task(new, "t1").lead == ("市经济和信息化局",)
    assert _task(new, "t1").targets == _task(TWO, "t1").targets
    assert _task(new, "t2").due == D(2025, 10, 31)
    assert _task(TWO, "t2").due == D(2025, 9, 30)


def test_rows_added_removed_and_moved(tmp_path: Path) -> None:
    """A new row adds a task, a missing row removes one, a new 重大举措 moves one."""
    path, rows = _task_sheet(tmp_path, TWO)
    header = rows[0]
    removed = rows.pop(2)
    rows[1][header.index("重大举措")] = "优化营商环境"  # by the measure's title
    added = [""] * len(header)
    added[0], added[1], added[2] = "t3", "m1", "新任务"
    rows.append(added)
    _write_csv(tmp_path / "plan", "重点任务.csv", rows)
    new, changes = update_plan(TWO, path)
    assert removed[0] == "t2"
    assert changes == [
        FieldChanged("t1", "measure", "m1", "m2"),
        RowAdded("t3", "m1", Task("t3", "新任务")),
        RowRemoved("t2", "m2", _task(TWO, "t2")),
    ]
    assert [t.id for t in new.measures[0].tasks] == ["t3"]
    assert [t.id for t in new.measures[1].tasks] == ["t1"]
    assert new.measure_of("t1") == "m2"


def test_a_sheet_without_some_columns_keeps_those_fields(tmp_path: Path) -> None:
    """A department's sheet of id, task and lead changes no deadline or theme."""
    path = tmp_path / "台账.csv"
    path.write_text(
        "序号,任务,牵头单位\nt1,一群一策支持先进制造业集群,市科委\nt2,建设数据专区,\n",
        encoding="utf-8-sig",
    )
    new, changes = update_plan(TWO, path)
    assert changes == [
        FieldChanged("t1", "lead", ("市经济和信息化局", "市发展改革委"), ("市科委",))
    ]
    assert _task(new, "t1").due == D(2025, 6, 30)
    assert _task(new, "t1").themes == frozenset({"digital"})


def test_rows_naming_unknown_measures_or_themes_are_refused(tmp_path: Path) -> None:
    """Unknown measures and themes are refused with their cells, and nothing is merged."""
    path = tmp_path / "台账.csv"
    path.write_text(
        "序号,重大举措,任务,主题\n"
        "t1,m1,一群一策支持先进制造业集群,数字\n"
        "t2,m2,建设数据专区,\n"
        "t9,m9,新任务,\n"
        "t1,m1,重复,文旅\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(PlanValidationError) as caught:
        update_plan(TWO, path)
    assert caught.value.problems == [
        (
            "sheet 台账.csv, row 5, column 主题",
            "'文旅' is not the name or id of a theme of the plan",
        ),
        ("sheet 台账.csv, row 4, column 重大举措", "'m9' is not the id or title of any measure"),
        ("sheet 台账.csv, row 5, column 序号", "'t1' is used again (first in row 2)"),
    ]


def test_a_new_task_needs_its_measure(tmp_path: Path) -> None:
    """A new row with a blank 重大举措 cell is refused at that cell."""
    path = tmp_path / "台账.csv"
    path.write_text("序号,重大举措,任务\nt1,m1,甲\nt2,,乙\nt3,,丙\n", encoding="utf-8-sig")
    with pytest.raises(PlanValidationError) as caught:
        update_plan(TWO, path)
    assert caught.value.problems == [
        ("sheet 台账.csv, row 4, column 重大举措", "the measure is missing")
    ]


def test_the_task_sheet_of_a_plan_workbook_is_merged(tmp_path: Path) -> None:
    """A workbook written by write_plan is merged from its 重点任务 sheet."""
    write_plan(TWO, tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    book["重点任务"]["C3"] = "建设公共数据专区"
    book.save(tmp_path / "plan.xlsx")
    new, changes = update_plan(TWO, tmp_path / "plan.xlsx")
    assert changes == [
        FieldChanged("t2", "title", Text(zh="建设数据专区"), Text(zh="建设公共数据专区"))
    ]
    assert _task(new, "t2").title == Text(zh="建设公共数据专区")


_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "m1",
            "t1",
            "g1",
            "2025-06-30",
            "6月底",
            "60亿元",
            "不低于",
            "累加",
            "产业",
            "[",
            "{}",
            "5",
            '"x"',
            "[[[]]]",
            "1e999",
            "NaN",
            '{"zh": 1}',
            "null",
            "[1, 2]",
            "数字、产业",
        ]
    ),
    st.text(max_size=8),
)
_SHEET_ROWS = st.lists(st.lists(_CELLS, max_size=8), max_size=4)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sheet=st.sampled_from(["计划", "主题", "重大举措", "重点任务", "量化指标", "节点", "政策"]),
    rows=_SHEET_ROWS,
)
def test_edited_sheets_give_a_plan_or_our_error(sheet: str, rows: list[list[str]]) -> None:
    """Any cells in any sheet give a plan or a PlanValidationError, never another exception."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "plan"
        write_plan(PLAN, target)
        existing = _csv(target, f"{sheet}.csv")
        _write_csv(target, f"{sheet}.csv", [*existing[:2], *rows])
        for attempt in (
            lambda: read_plan(target),
            lambda: update_plan(PLAN, target / f"{sheet}.csv"),
        ):
            problems: list[tuple[str, str]] = []
            try:
                attempt()
            except PlanValidationError as error:
                problems = error.problems
                assert problems  # an error always says what is wrong


@pytest.mark.parametrize("name", ["plan.xlsx", "plan"])
def test_the_bundled_plans_read_back_equal(tmp_path: Path, name: str) -> None:
    """The bundled data sets, sources and all, read back equal from a workbook and a folder."""
    for plan in (action_plan_2025(), work_report_2025()):
        write_plan(plan, tmp_path / name)
        assert read_plan(tmp_path / name) == plan


def test_a_file_that_is_no_workbook_is_refused(tmp_path: Path) -> None:
    """A .xlsx file that is not a zip archive is refused with our error, naming the file."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(PlanValidationError) as caught:
        read_plan(path)
    [(where, message)] = caught.value.problems
    assert where == ""
    assert message.startswith(f"{str(path)!r} is not an XLSX workbook")


def test_a_workbook_without_a_plan_sheet_is_refused(tmp_path: Path) -> None:
    """A workbook of other sheets says that the plan sheet is missing."""
    write_tasks([Task("1", "任务")], tmp_path / "tasks.xlsx")
    with pytest.raises(PlanValidationError) as caught:
        read_plan(tmp_path / "tasks.xlsx")
    assert caught.value.problems == [
        ("", "the workbook has no sheet '计划' (or 'Plan') for the plan")
    ]


def test_an_unknown_or_repeated_field_of_the_plan_sheet_is_refused(tmp_path: Path) -> None:
    """The plan sheet's rows name fields of the plan, each once."""
    write_plan(PLAN, tmp_path / "plan")
    rows = _csv(tmp_path / "plan", "计划.csv")
    rows.extend([["负责人", "张三"], ["编号", "again"], ["", "无名"]])
    _write_csv(tmp_path / "plan", "计划.csv", rows)
    assert _problems(tmp_path / "plan") == [
        ("sheet 计划.csv, row 13", "'负责人' is not a field of the plan"),
        ("sheet 计划.csv, row 14", "'编号' is given again (first in row 2)"),
        ("sheet 计划.csv, row 15", "the name of the field is missing"),
    ]
