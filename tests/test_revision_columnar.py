"""Revisions in the columnar engine: the plan in force on polars and DuckDB, and the checks."""

from __future__ import annotations

from typing import Any

import pytest

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

from beijing_plan import (  # noqa: E402
    Ledger,
    Observation,
    PlanValidationError,
    Revision,
    Rules,
    StatusChange,
    Target,
    Task,
)
from beijing_plan.columnar import assess_tables, check_tables, to_tables  # noqa: E402
from helpers import count, one_measure_plan  # noqa: E402

PLAN = one_measure_plan(
    Task(
        "roads",
        "Roads",
        start="2025-01-01",
        due="2025-06-30",
        targets=[Target("band", "Band", "between", count(10), upper=count(20))],
    ),
    Task("parks", "Parks", due="2025-09-30"),
    targets=[Target("firms", "Firms", "at_least", count(60))],
)
LEDGER = Ledger(
    [
        StatusChange("parks", "2025-10-15", "done"),
        Revision("roads", "2025-05-20", due="2025-12-31"),
        Revision("parks", "2025-03-01", weight=3),
        Revision("firms", "2025-08-01", value=count(50)),
        Observation("firms", "2025-09-30", count(45)),
        Observation("band", "2025-09-30", count(25)),
        Revision("band", "2025-09-01", upper=count(30)),
    ]
)


def frames(backend: str) -> tuple[Any, Any]:
    tables = to_tables([PLAN], [LEDGER])
    if backend == "polars":
        return pl.from_arrow(tables.leaves), pl.from_arrow(tables.records)
    connection = duckdb.connect()
    return connection.from_arrow(tables.leaves), connection.from_arrow(tables.records)


def leaf_rows(backend: str, rules: Rules) -> dict[str, tuple[Any, ...]]:
    leaves, records = frames(backend)
    result = assess_tables(leaves, records, as_of="2025-10-31", rules=rules, by="leaf")
    table = result.pl() if backend == "duckdb" else result
    return {
        row["id"]: (round(row["completion"], 4), row["weight"], str(row["due"]), row["status"])
        for row in table.iter_rows(named=True)
    }


@pytest.mark.parametrize("backend", ["polars", "duckdb"])
def test_the_columnar_engine_assesses_against_the_plan_in_force(backend: str) -> None:
    """Band 25 within [10, 30]: roads 1, due in December; firms 45 / 50 = 0.9; parks weighs 3."""
    assert leaf_rows(backend, Rules()) == {
        "firms": (0.9, 1.0, "2025-12-31", "on_track"),
        "roads": (1.0, 1.0, "2025-12-31", "done"),
        "parks": (1.0, 3.0, "2025-09-30", "done"),
    }


@pytest.mark.parametrize("backend", ["polars", "duckdb"])
def test_the_columnar_engine_ignores_revisions_on_the_original_basis(backend: str) -> None:
    """Band 25 outside [10, 20]: roads 0 and overdue; firms 45 / 60 = 0.75; parks weighs 1."""
    assert leaf_rows(backend, Rules(basis="original")) == {
        "firms": (0.75, 1.0, "2025-12-31", "at_risk"),
        "roads": (0.0, 1.0, "2025-06-30", "overdue"),
        "parks": (1.0, 1.0, "2025-09-30", "done"),
    }


def problems(records: Any) -> list[tuple[str, str]]:
    leaves, _ = frames("polars")
    with pytest.raises(PlanValidationError) as caught:
        check_tables(leaves, records)
    return caught.value.problems


def test_check_tables_names_a_bad_revision() -> None:
    """A negative weight, a start after the due date and a value for a task are named."""
    _, records = frames("polars")
    roads = pl.col("item") == "roads"
    parks = (pl.col("item") == "parks") & (pl.col("kind") == "revision")
    broken = records.with_columns(
        weight=pl.when(parks).then(-1.0).otherwise(pl.col("weight")),
        start=pl.when(roads).then(pl.lit("2026-01-01").str.to_date()).otherwise(pl.col("start")),
        value=pl.when(roads).then(5.0).otherwise(pl.col("value")),
    )
    assert sorted(problems(broken)) == [
        (
            "records.start",
            "2026-01-01 is after the due date (plan 'p', item 'roads', on 2025-05-20)",
        ),
        (
            "records.value",
            "5.0 a revision of a value or an upper bound is for targets "
            "(plan 'p', item 'roads', on 2025-05-20)",
        ),
        (
            "records.weight",
            "-1.0 is not a finite number of 0 or more (plan 'p', item 'parks', on 2025-03-01)",
        ),
    ]


def test_check_tables_refuses_revision_columns_on_other_records() -> None:
    """A due date on an observation is no revision's: refused."""
    _, records = frames("polars")
    observation = (pl.col("item") == "firms") & (pl.col("kind") == "observation")
    broken = records.with_columns(
        due=pl.when(observation).then(pl.lit("2026-01-01").str.to_date()).otherwise(pl.col("due"))
    )
    assert problems(broken) == [
        (
            "records.due",
            "2026-01-01 only a revision has one (plan 'p', item 'firms', on 2025-09-30)",
        )
    ]
