"""Tests of progress sheets: a date for the whole sheet, increments and running totals."""

from __future__ import annotations

import io

import pendulum
import pytest

from beijing_plan import (
    Measure,
    Observation,
    Plan,
    PlanValidationError,
    Quantity,
    StatusChange,
    Target,
    Task,
)
from beijing_plan.tables import read_progress, write_progress

D = pendulum.Date

PLAN = Plan(
    "demo",
    "示范计划",
    start="2025-01-01",
    end="2025-12-31",
    measures=[
        Measure(
            "m1",
            1,
            "中关村科技园区雄安园",
            tasks=[
                Task(
                    "t1",
                    "引进高成长性企业",
                    targets=[
                        Target("g1", "入园企业", "at_least", Quantity(60, "家")),
                        Target(
                            "s1",
                            "新增投资",
                            "at_least",
                            Quantity(100, "亿元"),
                            aggregation="sum",
                        ),
                    ],
                )
            ],
        )
    ],
)


def _read(text: str, **options: object) -> list[object]:
    return list(read_progress(io.StringIO(text), format="csv", **options))  # type: ignore[arg-type]


def _problems(text: str, **options: object) -> list[tuple[str, str]]:
    with pytest.raises(PlanValidationError) as caught:
        _read(text, **options)
    return caught.value.problems


def test_a_sheet_without_dates_takes_the_date_of_on() -> None:
    """A sheet with 进展情况 and 完成比例 but no date column is read with the date of `on=`."""
    sheet = "编号,进展情况,完成比例\nt1,推进中,40%\n"
    assert _read(sheet, on="2025-06-30") == [
        StatusChange("t1", D(2025, 6, 30), "in_progress", percent=40)
    ]


def test_a_sheet_without_dates_and_without_on_is_refused() -> None:
    """Without a date column and without `on=`, the header row is refused as before."""
    sheet = "编号,进展情况,完成比例\nt1,推进中,40%\n"
    [(path, message)] = _problems(sheet)
    assert path == "row 1"
    assert message.startswith("no column for the date")
    assert "on=" in message


def test_the_date_column_wins_where_filled_and_on_fills_blanks() -> None:
    """A filled date cell is the row's date; a blank one takes `on=`."""
    sheet = "编号,日期,进展\nt1,2025-03-31,推进中\nt1,,已完成\n"
    assert _read(sheet, on=D(2025, 6, 30)) == [
        StatusChange("t1", D(2025, 3, 31), "in_progress"),
        StatusChange("t1", D(2025, 6, 30), "done"),
    ]


def test_a_bad_on_is_refused_by_name() -> None:
    """An `on=` that is not a date is a problem of `on`."""
    with pytest.raises(PlanValidationError) as caught:
        _read("编号,进展\nt1,推进中\n", on="6月底")
    assert caught.value.problems == [("on", "'6月底' is not a date (YYYY-MM-DD)")]


def test_a_running_total_becomes_increments_in_date_order() -> None:
    """累计 values of a sum target become increments per target, in date order."""
    sheet = "编号,日期,累计\ns1,2025-06-30,30亿元\ns1,2025-03-31,10\ns1,2025-09-30,45\n"
    assert _read(sheet, plan=PLAN) == [
        Observation("s1", D(2025, 6, 30), Quantity(20, "yi_yuan")),
        Observation("s1", D(2025, 3, 31), Quantity(10, "yi_yuan")),
        Observation("s1", D(2025, 9, 30), Quantity(15, "yi_yuan")),
    ]


def test_a_running_total_that_goes_down_is_a_cell_error() -> None:
    """A running total below the one before it (in date order) is refused at its cell."""
    sheet = "编号,日期,累计数值\ns1,2025-03-31,10亿元\ns1,2025-06-30,8亿元\n"
    assert _problems(sheet, plan=PLAN) == [
        (
            "row 3, column 累计数值",
            "'8亿元' is less than the running total of 's1' before it "
            "('10亿元' in row 2); a running total cannot go down",
        )
    ]


def test_an_increment_column_reads_as_increments() -> None:
    """A 本期 (increment) column of a sum target is the observation as it is."""
    sheet = "编号,日期,本期增量,单位\ns1,2025-03-31,10,亿元\n"
    assert _read(sheet, plan=PLAN) == [Observation("s1", D(2025, 3, 31), Quantity(10, "yi_yuan"))]


def test_increment_and_running_total_are_only_for_sum_targets() -> None:
    """With a plan, an increment or running total of a target that is not `sum` is refused."""
    sheet = "编号,日期,累计\ng1,2025-03-31,10\n"
    assert _problems(sheet, plan=PLAN) == [
        (
            "row 2, column 累计",
            "'g1' is not a sum target: its value is a level, so put it in the value column",
        )
    ]


def test_a_row_with_two_kinds_of_value_is_refused() -> None:
    """A row filling both the value and the running total says which cells clash."""
    sheet = "编号,日期,数值,累计\ns1,2025-03-31,5,10\n"
    assert _problems(sheet, plan=PLAN) == [
        ("row 2", "a row takes one of 数值, 累计, not several"),
    ]


def test_writing_puts_sum_observations_in_the_increment_column() -> None:
    """With a plan, observations of sum targets are written under 本期增量, which reads back."""
    ledger = [
        Observation("s1", D(2025, 3, 31), Quantity(10, "yi_yuan")),
        Observation("g1", D(2025, 3, 31), Quantity(12, "count")),
    ]
    buffer = io.StringIO()
    write_progress(ledger, buffer, format="csv", plan=PLAN)
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "编号,任务,日期,进展,完成比例(%),数值,本期增量,单位,备注,来源"
    assert lines[1] == "s1,新增投资,2025-03-31,,,,10,亿元,,"
    assert lines[2] == "g1,入园企业,2025-03-31,,,12,,个,,"
    buffer.seek(0)
    assert list(read_progress(buffer, format="csv", plan=PLAN)) == ledger


def test_writing_without_sum_targets_keeps_the_columns() -> None:
    """A ledger without sum targets is written with the columns it always had."""
    buffer = io.StringIO()
    write_progress([StatusChange("t1", D(2025, 3, 31), "done")], buffer, format="csv")
    assert buffer.getvalue().splitlines()[0] == "编号,日期,进展,完成比例(%),数值,单位,备注,来源"


def test_running_totals_in_units_of_two_dimensions_are_refused() -> None:
    """Without a plan, running totals of one item in units that do not convert are a cell error."""
    sheet = "编号,日期,累计\ns1,2025-03-31,10亿元\ns1,2025-06-30,12家\n"
    assert _problems(sheet) == [
        (
            "row 3, column 累计",
            "'12家' is not in a unit of the running total of 's1' before it ('10亿元' in row 2)",
        )
    ]


def test_running_totals_without_a_plan_become_increments() -> None:
    """Without a plan, a running total column is still turned into increments per item."""
    sheet = "编号,日期,累计\ns1,2025-03-31,10亿元\ns1,2025-06-30,1200000000元\n"
    assert _read(sheet) == [
        Observation("s1", D(2025, 3, 31), Quantity(10, "yi_yuan")),
        Observation("s1", D(2025, 6, 30), Quantity(200000000, "yuan")),
    ]


def test_a_value_header_with_a_bracketed_word_says_which_it_is() -> None:
    """数值(累计) (full-width brackets too) is a running total and 数值(本期) an increment."""
    sheet = "编号,日期,数值（累计）\ns1,2025-03-31,10亿元\ns1,2025-06-30,25亿元\n"  # noqa: RUF001
    assert _read(sheet, plan=PLAN) == [
        Observation("s1", D(2025, 3, 31), Quantity(10, "yi_yuan")),
        Observation("s1", D(2025, 6, 30), Quantity(15, "yi_yuan")),
    ]
    sheet = "编号,日期,Value (increment)\ns1,2025-06-30,25亿元\n"
    assert _read(sheet, plan=PLAN) == [Observation("s1", D(2025, 6, 30), Quantity(25, "yi_yuan"))]
    with pytest.raises(PlanValidationError):
        _read("编号,日期,数值(本期)\ng1,2025-06-30,25\n", plan=PLAN)
