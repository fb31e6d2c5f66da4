"""Ledger frames carry the dates and links of corrections and withdrawals."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from beijing_plan import frames
from beijing_plan.ledger import Ledger, Observation, StatusChange, Withdrawal
from beijing_plan.units import Quantity

LEDGER = Ledger(
    [
        Observation("t", "2025-03-31", Quantity(128, "count"), recorded="2025-04-05", id="march"),
        Observation(
            "t",
            "2025-03-31",
            Quantity(132, "count"),
            recorded="2025-05-10",
            id="fix",
            supersedes="march",
            reason="late returns",
        ),
        StatusChange("a", "2025-04-01", "done", id="a1"),
        Withdrawal("a1", "2025-06-01", reason="entered twice", id="w1"),
    ]
)


def texts(column: pd.Series) -> list[str | None]:
    """A text column's values, a missing one as `None` (pandas may show it as NaN)."""
    return [None if pd.isna(value) else str(value) for value in column]


def test_ledger_frame_columns_hold_the_links_of_each_record() -> None:
    """`recorded`, `id`, `supersedes`, `record` and `reason` are columns, in this order."""
    assert frames.LEDGER_COLUMNS == (
        "kind",
        "item",
        "on",
        "recorded",
        "value",
        "unit",
        "status",
        "percent",
        "note",
        "source",
        "url",
        "id",
        "supersedes",
        "record",
        "reason",
        "start",
        "due",
        "upper",
        "weight",
        "approved_by",
    )


def test_pandas_ledger_frame_shows_corrections_and_withdrawals() -> None:
    """Each record's links are in its row; a withdrawal names the record it takes back."""
    frame = frames.ledger_frame(LEDGER)
    assert frame["kind"].tolist() == ["observation", "observation", "status", "withdrawal"]
    assert frame["recorded"].tolist()[:2] == [
        pd.Timestamp("2025-04-05"),
        pd.Timestamp("2025-05-10"),
    ]
    assert frame["recorded"].isna().tolist() == [False, False, True, True]
    assert frame["id"].tolist() == ["march", "fix", "a1", "w1"]
    assert texts(frame["supersedes"]) == [None, "march", None, None]
    assert texts(frame["record"]) == [None, None, None, "a1"]
    assert texts(frame["reason"]) == [None, "late returns", None, "entered twice"]
    assert texts(frame["item"]) == ["t", "t", "a", None]


def test_polars_ledger_frame_types_the_new_columns() -> None:
    """In polars `recorded` is a Date and the links are strings."""
    frame = frames.ledger_frame(LEDGER, backend="polars")
    row = frame.row(1, named=True)
    assert row["recorded"] == dt.date(2025, 5, 10)
    assert (row["id"], row["supersedes"], row["reason"]) == ("fix", "march", "late returns")
    assert str(frame.schema["recorded"]) == "Date"
    assert frame.row(3, named=True)["record"] == "a1"
