"""Spreadsheets of responsible units: the task sheet's cadence column and the units sheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from beijing_plan import (
    Assessment,
    Cadence,
    Measure,
    Plan,
    PlanValidationError,
    StatusChange,
    Task,
    assess,
)
from beijing_plan.tables import read_tasks, write_tasks, write_units

TASKS = (
    Task("a", "任务一", lead=("发改委",), reporting=Cadence("quarter", due_days=10)),
    Task("b", "任务二", lead=("科委",), reporting=Cadence("month")),
    Task("c", "任务三", lead=("科委",)),
)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cadence_column_reads_back(tmp_path: Path, fmt: str, lang: str) -> None:
    """A quarter with due days, a month and a blank cell survive a round trip."""
    tasks = (
        TASKS
        if lang == "zh"
        else tuple(Task(t.id, f"Task {t.id}", lead=t.lead, reporting=t.reporting) for t in TASKS)
    )
    path = tmp_path / f"tasks.{fmt}"
    write_tasks(tasks, path, lang=lang)
    assert read_tasks(path, year=None) == tasks


def test_the_cadence_column_is_written_in_the_sheets_language() -> None:
    """Chinese writes 季+10天 and 月 under 报送频次; English quarter+10 days under Cadence."""
    buffer = io.StringIO(newline="")
    write_tasks(TASKS, buffer, format="csv")
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0][-1] == "报送频次"
    assert [row[-1] for row in rows[1:]] == ["季+10天", "月", ""]
    english = tuple(Task(t.id, f"Task {t.id}", reporting=t.reporting) for t in TASKS)
    buffer = io.StringIO(newline="")
    write_tasks(english, buffer, format="csv", lang="en")
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0][-1] == "Cadence"
    assert [row[-1] for row in rows[1:]] == ["quarter+10 days", "month", ""]


def test_a_sheet_without_cadences_has_no_cadence_column() -> None:
    """Tasks that inherit the plan's cadence add no column."""
    buffer = io.StringIO(newline="")
    write_tasks([Task("a", "任务一")], buffer, format="csv")
    assert "报送频次" not in buffer.getvalue()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("月", Cadence("month")),
        ("每季度", Cadence("quarter")),
        ("季度 + 10 天", Cadence("quarter", due_days=10)),
        ("Quarterly+5d", Cadence("quarter", due_days=5)),
        ("month+1 day", Cadence("month", due_days=1)),
        ("按月\uff0b\uff13日", Cadence("month", due_days=3)),  # full-width + and 3
    ],
)
def test_cadence_cells_are_read_in_either_language(cell: str, expected: Cadence) -> None:
    """Period words with optional +days, full width and spaces allowed."""
    text = f"序号,任务,报送频次\r\na,任务一,{cell}\r\n"
    (task,) = read_tasks(io.StringIO(text), year=None, format="csv")
    assert task.reporting == expected


def test_bad_cadence_cells_are_named_by_row_and_column() -> None:
    """A period word that is not one, and too many days, are listed with their cells."""
    text = "序号,任务,报送频次\r\na,任务一,每周\r\nb,任务二,季+400天\r\nc,任务三,\r\n"
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(io.StringIO(text), year=None, format="csv")
    assert caught.value.problems == [
        (
            "row 2, column 报送频次",
            "'每周' is not a cadence (月 or 季, month or quarter, optionally +days)",
        ),
        ("row 3, column 报送频次", "'季+400天': 400 is not between 0 and 366"),
    ]


def _assessment() -> Assessment:
    plan = Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        reporting=Cadence("month"),
        measures=[Measure("m", 1, "M", tasks=list(TASKS))],
    )
    ledger = [
        StatusChange("a", "2025-03-20", "in_progress", percent=50),
        StatusChange("b", "2025-01-10", "done"),
    ]
    return assess(plan, ledger, as_of="2025-04-15")


def test_the_units_sheet_rates_each_unit() -> None:
    """发改委: a at 50%, Q1 report on time 1/1; 科委: b done, c nothing: 50%, reports 2 of 4."""
    buffer = io.StringIO(newline="")
    write_units(_assessment(), buffer, format="csv")
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [
        ["单位", "事项数", "完成度(%)", "状态", "应报次数", "按时报送次数", "按时报送率(%)"],
        ["发改委", "1", "50", "进度正常", "1", "1", "100"],
        ["科委", "2", "50", "进度正常", "4", "1", "25"],
    ]


def test_the_units_sheet_in_english_and_xlsx(tmp_path: Path) -> None:
    """English headers and status labels; an XLSX file with number cells."""
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "units.xlsx"
    write_units(_assessment(), path, lang="en")
    sheet = openpyxl.load_workbook(path).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Unit", "Items", "Completion (%)"]
    assert values[2] == ["科委", 2, 50, "on track", 4, 1, 25]


def test_the_units_sheet_refuses_what_is_not_an_assessment() -> None:
    """A plan given for an assessment is a TypeError naming the argument."""
    plan = Plan("p", "P", start="2025-01-01", end="2025-12-31")
    with pytest.raises(TypeError, match="assessment must be an Assessment, not Plan"):
        write_units(plan, io.StringIO(), format="csv")  # type: ignore[arg-type]
