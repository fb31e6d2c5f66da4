"""Progress sheets carry recorded dates, record ids and corrections (填报日期, 记录编号, 更正)."""

from __future__ import annotations

from pathlib import Path

import pytest

from beijing_plan import Ledger, Observation, PlanValidationError, Quantity, StatusChange
from beijing_plan.tables import read_progress, write_progress

LEDGER = Ledger(
    [
        Observation("g", "2025-03-31", Quantity(128, "count"), recorded="2025-04-05", id="march"),
        Observation(
            "g",
            "2025-03-31",
            Quantity(132, "count"),
            recorded="2025-05-10",
            id="fix",
            supersedes="march",
            reason="late returns",
        ),
        StatusChange("a", "2025-04-01", "in_progress", percent=40, id="a1"),
        StatusChange(
            "a", "2025-04-01", "in_progress", percent=25, supersedes="a1", reason="recounted"
        ),
        StatusChange("b", "2025-05-01", "done"),
    ]
)


def write_csv(path: Path, text: str) -> Path:
    """A CSV file as Excel writes it (UTF-8 with a byte order mark)."""
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_ledger_with_corrections_round_trips(tmp_path: Path, fmt: str, lang: str) -> None:
    """Recorded days, ids, corrections and reasons are written and read back unchanged."""
    path = tmp_path / f"progress.{fmt}"
    write_progress(LEDGER, path, lang=lang)
    assert read_progress(path) == LEDGER


def test_the_new_columns_have_chinese_and_english_headers(tmp_path: Path) -> None:
    """The headers are 填报日期, 记录编号, 更正 and 更正原因 (Recorded, Record id, Corrects,
    Reason), after the columns a sheet always had."""
    write_progress(LEDGER, tmp_path / "zh.csv")
    write_progress(LEDGER, tmp_path / "en.csv", lang="en")
    zh = (tmp_path / "zh.csv").read_text(encoding="utf-8-sig").splitlines()
    en = (tmp_path / "en.csv").read_text(encoding="utf-8-sig").splitlines()
    assert zh[0] == "编号,日期,进展,完成比例(%),数值,单位,备注,来源,填报日期,记录编号,更正,更正原因"
    assert zh[2] == "g,2025-03-31,,,132,个,,,2025-05-10,fix,march,late returns"
    assert en[0] == (
        "Item,Date,Status,Percent (%),Value,Unit,Note,Source,Recorded,Record id,Corrects,Reason"
    )


def test_a_ledger_without_links_is_written_as_before(tmp_path: Path) -> None:
    """The new columns are written only when a record needs them."""
    write_progress(Ledger([StatusChange("b", "2025-05-01", "done")]), tmp_path / "p.csv")
    lines = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "编号,日期,进展,完成比例(%),数值,单位,备注,来源"


def test_a_sheet_with_only_a_recorded_column_takes_it_as_the_date(tmp_path: Path) -> None:
    """A sheet whose one date column is 填报日期 is read as before: that is each row's date."""
    path = write_csv(tmp_path / "p.csv", "编号,填报日期,完成比例\n1,2025-06-30,40\n")
    assert read_progress(path) == Ledger(
        [StatusChange("1", "2025-06-30", "in_progress", percent=40)]
    )


def test_synonyms_of_the_new_columns_are_read(tmp_path: Path) -> None:
    """English and other Chinese headers name the same columns."""
    path = write_csv(
        tmp_path / "p.csv",
        "item,date,percent,entered,record id,supersedes,correction reason\n"
        "1,2025-06-30,40,2025-07-02,r1,,\n"
        "1,2025-06-30,45,2025-07-09,,r1,typo\n",
    )
    assert read_progress(path) == Ledger(
        [
            StatusChange(
                "1", "2025-06-30", "in_progress", percent=40, recorded="2025-07-02", id="r1"
            ),
            StatusChange(
                "1",
                "2025-06-30",
                "in_progress",
                percent=45,
                recorded="2025-07-09",
                supersedes="r1",
                reason="typo",
            ),
        ]
    )


def test_bad_cells_of_the_new_columns_are_named_by_row_and_column(tmp_path: Path) -> None:
    """A bad recorded day, one before the date, a bad id and broken links: every cell is named."""
    path = write_csv(
        tmp_path / "p.csv",
        "编号,日期,完成比例,填报日期,记录编号,更正,更正原因\n"
        "1,2025-06-30,40,昨天,r1,,\n"  # row 2
        "1,2025-06-30,40,2025-06-29,r2,,\n"  # row 3
        "1,2025-06-30,40,,has space,,\n"  # row 4
        "1,2025-06-30,40,,r5,nope,\n"  # row 5
        "1,2025-06-30,40,,r5,,\n"  # row 6
        "2,2025-06-30,40,,,r5,\n",  # row 7
    )
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert caught.value.problems == [
        (
            "row 2, column 填报日期",
            "'昨天' is not a date or a deadline phrase (such as 2025年6月30日 or 6月底)",
        ),
        ("row 3, column 填报日期", "recorded 2025-06-29 is before the date 2025-06-30"),
        ("row 4, column 记录编号", "'has space' must not contain spaces or control characters"),
    ]
    fixed = path.read_text(encoding="utf-8-sig").splitlines()
    write_csv(path, "\n".join([fixed[0], *fixed[4:]]) + "\n")
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert caught.value.problems == [
        ("row 3, column 记录编号", "'r5' is also the id of row 2"),
        ("row 2, column 更正", "'nope' is not the id of a record in the sheet"),
        (
            "row 4, column 更正",
            "'r5' is row 2, a StatusChange of '1'; a correction is about the same item",
        ),
    ]


def test_a_row_with_an_id_gives_one_record(tmp_path: Path) -> None:
    """A row with a value and a status makes two records, so it cannot carry one record id."""
    path = write_csv(
        tmp_path / "p.csv", "编号,日期,进展,数值,单位,记录编号\n1,2025-06-30,推进中,5,个,r1\n"
    )
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    assert caught.value.problems == [
        (
            "row 2, column 记录编号",
            "a row with a record id or a correction holds one record: a value, a status "
            "or a revision, not two of them",
        )
    ]


def test_writing_refuses_a_reason_that_would_not_read_back(tmp_path: Path) -> None:
    """A reason with surrounding white space is refused before anything is written."""
    ledger = Ledger(
        [
            StatusChange("a", "2025-04-01", "done", id="a1"),
            StatusChange("a", "2025-04-02", "done", supersedes="a1", reason=" typo"),
        ]
    )
    with pytest.raises(PlanValidationError) as caught:
        write_progress(ledger, tmp_path / "p.csv")
    assert caught.value.problems == [
        (
            "records[1].reason",
            "' typo' would read back as 'typo' (reading removes surrounding white space)",
        )
    ]
    assert not (tmp_path / "p.csv").exists()
