"""Revisions in frames: the ledger's revision columns, the assessment's original due dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import polars as pl

from beijing_plan import Ledger, Revision, StatusChange, Target, Task, assess, frames
from helpers import count, one_measure_plan

LEDGER = Ledger(
    [
        StatusChange("a", "2025-03-01", "in_progress", percent=50),
        Revision(
            "a",
            "2025-05-20",
            start="2025-02-01",
            due="2025-12-31",
            weight=2,
            reason="site handed over late",
            approved_by=("Municipal Office", "督查室"),
        ),
        Revision("t", "2025-05-21", value=count(10), upper=count(30)),
        Revision("t", "2025-05-22", upper=count(40)),
    ]
)
PLAN = one_measure_plan(
    Task("a", "A", due="2025-06-30"),
    targets=[Target("t", "Band", "between", count(5), upper=count(20))],
)


def test_ledger_frame_has_the_revision_columns() -> None:
    """Start, due, upper, weight and approved_by show for revisions and are empty elsewhere."""
    frame = frames.ledger_frame(LEDGER, backend="polars")
    rows = frame.rows(named=True)
    assert [row["kind"] for row in rows] == ["status", "revision", "revision", "revision"]
    assert rows[1]["start"] == dt.date(2025, 2, 1)
    assert rows[1]["due"] == dt.date(2025, 12, 31)
    assert rows[1]["weight"] == 2.0
    assert rows[1]["approved_by"] == ["Municipal Office", "督查室"]
    assert (rows[2]["value"], rows[2]["upper"], rows[2]["unit"]) == (10.0, 30.0, "count")
    assert (rows[3]["value"], rows[3]["upper"], rows[3]["unit"]) == (None, 40.0, "count")
    assert rows[0]["approved_by"] == []
    assert rows[0]["due"] is None
    assert frame.schema["due"] == pl.Date
    assert frame.schema["approved_by"] == pl.List(pl.String)


def test_assessment_frame_ends_with_original_due_and_lateness() -> None:
    """The last two columns: the first planned due date, and lateness against it (leaves only)."""
    frame = assess(PLAN, LEDGER, as_of="2025-07-31").to_pandas()
    assert frames.ASSESSMENT_COLUMNS[-2:] == ("original_due", "late_against_original")
    row = frame.set_index("id").loc["a"]
    assert row["due"] == pd.Timestamp("2025-12-31")
    assert row["original_due"] == pd.Timestamp("2025-06-30")
    assert bool(row["late_against_original"]) is True
    assert frame.set_index("id")["late_against_original"].isna()["m"]
    assert str(frame["late_against_original"].dtype) == "boolean"
    polars_frame = assess(PLAN, LEDGER, as_of="2025-07-31").to_polars()
    assert polars_frame.schema["late_against_original"] == pl.Boolean
