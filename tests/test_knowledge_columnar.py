"""The columnar tables hold the records that count: corrections applied, as known on a day."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from beijing_plan import (
    Ledger,
    Observation,
    PlanValidationError,
    StatusChange,
    Target,
    Task,
    Withdrawal,
    assess,
)
from beijing_plan.columnar import assess_tables, to_tables
from helpers import count, one_measure_plan

TARGET = Target("g", "Firms", "at_least", count(200))
PLAN = one_measure_plan(Task("a", "A"), targets=[TARGET])
LEDGER = Ledger(
    [
        Observation("g", "2025-03-31", count(128), recorded="2025-04-05", id="march"),
        Observation(
            "g", "2025-03-31", count(132), recorded="2025-05-10", supersedes="march", id="fix"
        ),
        Observation("g", "2025-02-28", count(100), recorded="2025-06-20", supersedes="fix"),
        StatusChange("a", "2025-04-01", "in_progress", percent=30, id="a1"),
        StatusChange("a", "2025-05-01", "in_progress", percent=60, id="a2"),
        Withdrawal("a2", "2025-06-01", reason="entered twice"),
    ]
)


def rows(known_at: str | None) -> list[tuple[str, str, Any, Any]]:
    """The records table of the plan and ledger known at `known_at`: item, day, value, percent."""
    table = to_tables(PLAN, LEDGER, known_at=known_at).records
    return [(r["item"], r["on"].isoformat(), r["value"], r["percent"]) for r in table.to_pylist()]


def test_the_records_table_leaves_out_corrected_and_withdrawn_records() -> None:
    """With everything known, only the last of the chain and the status not withdrawn remain."""
    assert sorted(rows(None)) == [
        ("a", "2025-04-01", None, 30.0),
        ("g", "2025-02-28", 100.0, None),
    ]


@pytest.mark.parametrize(
    ("known_at", "expected"),
    [
        ("2025-04-30", [("a", "2025-04-01", None, 30.0), ("g", "2025-03-31", 128.0, None)]),
        (
            "2025-05-31",
            [
                ("a", "2025-04-01", None, 30.0),
                ("a", "2025-05-01", None, 60.0),
                ("g", "2025-03-31", 132.0, None),
            ],
        ),
    ],
)
def test_the_records_table_is_as_known_on_a_day(
    known_at: str, expected: list[tuple[str, str, Any, Any]]
) -> None:
    """Known on a day, the table holds what had been entered by then, corrected by then."""
    assert sorted(rows(known_at)) == expected


@pytest.mark.parametrize("known_at", [None, "2025-04-30", "2025-05-31", "2025-06-30"])
def test_assess_tables_gives_the_figures_of_assess_with_known_at(known_at: str | None) -> None:
    """The columnar figures of tables known at a day equal assess with the same known_at."""
    tables = to_tables(PLAN, LEDGER, known_at=known_at)
    leaves = pl.from_arrow(tables.leaves)
    records = pl.from_arrow(tables.records)
    result = assess_tables(leaves, records, as_of="2025-06-30", by="leaf")
    assert isinstance(result, pl.DataFrame)
    got = {row["id"]: row["completion"] for row in result.to_dicts()}
    wanted = assess(PLAN, LEDGER, as_of="2025-06-30", known_at=known_at)
    assert got.keys() == {"g", "a"}
    for leaf, completion in got.items():
        assert completion == pytest.approx(wanted[leaf].completion)


def test_to_tables_refuses_a_bad_known_at() -> None:
    """`known_at` must be a date; the error names it."""
    with pytest.raises(PlanValidationError) as caught:
        to_tables(PLAN, LEDGER, known_at="yesterday")
    assert [path for path, _ in caught.value.problems] == ["known_at"]
