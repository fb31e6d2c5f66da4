"""Revisions (调整) in progress sheets: read, written back, and refused cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from beijing_plan import (
    Ledger,
    Observation,
    PlanValidationError,
    Quantity,
    Revision,
    Source,
    StatusChange,
    Target,
    Task,
)
from beijing_plan.tables import read_progress, write_progress
from helpers import count, one_measure_plan

PLAN = one_measure_plan(
    Task("a", "修路", start="2025-03-01", due="2025-06-30"),
    targets=[Target("t", "新增企业", "at_least", count(60))],
)


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return tmp_path / "progress.csv"


def test_a_revision_sheet_in_chinese_is_read(sheet: Path) -> None:
    """新的完成时限、调整后目标值、调整原因和批准单位 become revisions from the row's date."""
    sheet.write_text(
        "编号,日期,调整后完成时限,调整后目标值,调整原因,批准单位,备注\n"
        "a,2025-05-20,2025年12月底,,施工场地移交延迟,市政府办公厅、区政府,第一次延期\n"
        "t,2025-08-01,,50,市场放缓,区发展改革委,\n",
        encoding="utf-8",
    )
    assert list(read_progress(sheet, plan=PLAN)) == [
        Revision(
            "a",
            "2025-05-20",
            due="2025-12-31",
            reason="施工场地移交延迟",
            approved_by=("市政府办公厅", "区政府"),
            note="第一次延期",
        ),
        Revision(
            "t", "2025-08-01", value=count(50), reason="市场放缓", approved_by=("区发展改革委",)
        ),
    ]


def test_revisions_are_written_and_read_back(sheet: Path) -> None:
    """A ledger with revisions, statuses and observations survives a progress sheet, zh and en."""
    ledger = Ledger(
        [
            StatusChange("a", "2025-04-01", "in_progress", percent=40),
            Revision(
                "a",
                "2025-05-20",
                due="2025-12-31",
                reason="site handed over late",
                approved_by=("Municipal Office", "District"),
                source=Source("Decision 12", url="https://example.org/12"),
            ),
            Observation("t", "2025-06-30", count(45)),
            Revision("t", "2025-08-01", value=Quantity(50, "count"), note="lowered"),
        ]
    )
    for lang in ("zh", "en"):
        write_progress(ledger, sheet, lang=lang)
        assert list(read_progress(sheet, plan=PLAN)) == list(ledger)


def test_sheets_without_revisions_keep_their_columns(sheet: Path) -> None:
    """The revision columns are written only when the ledger holds a revision."""
    write_progress(Ledger([StatusChange("a", "2025-04-01", "done")]), sheet)
    header = sheet.read_text("utf-8-sig").splitlines()[0]
    assert header == "编号,日期,进展,完成比例(%),数值,单位,备注,来源"


def test_bad_revision_cells_are_named_by_row_and_column(sheet: Path) -> None:
    """Each bad revision cell is refused with its row and column."""
    sheet.write_text(
        "编号,日期,调整后完成时限,调整后目标值,单位,调整原因\n"
        "a,2025-05-20,,50,,\n"
        "a,2025-05-20,明年某时,,,\n"
        "a,2025-05-20,,,,只有原因\n"
        "t,2025-05-20,,50,元,\n"
        "a,2025-05-20,2025-02-01,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanValidationError) as caught:
        read_progress(sheet, plan=PLAN)
    assert caught.value.problems == [
        ("row 2, column 调整后目标值", "'a' is a Task; only targets take values"),
        (
            "row 3, column 调整后完成时限",
            "'明年某时' is not a date or a deadline phrase (such as 2025年6月30日 or 6月底)",
        ),
        ("row 4, column 调整原因", "a reason or an approval without a new due date or value"),
        (
            "row 5, column 调整后目标值",
            "unit 'yuan' does not measure count like the target's unit 'count'",
        ),
        ("row 6, column 调整后完成时限", "start 2025-03-01 would be after due 2025-02-01"),
    ]


def test_a_revision_a_sheet_cannot_hold_is_refused_before_writing(sheet: Path) -> None:
    """A new weight, start or upper bound has no column: refused with the record's path."""
    ledger = Ledger([Revision("a", "2025-05-20", weight=2, reason=" padded ")])
    with pytest.raises(PlanValidationError) as caught:
        write_progress(ledger, sheet)
    assert caught.value.problems == [
        (
            "records[0]",
            "a revision of weight has no column in a progress sheet "
            "(only a new due date and a new target value)",
        ),
        (
            "records[0].reason",
            "' padded ' would read back as 'padded' (reading removes surrounding white space)",
        ),
    ]
    assert not sheet.exists()
