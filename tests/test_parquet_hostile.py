"""Tests of hostile columnar input: Parquet files that do not read, sums and dates out of range.

``Tables.read_parquet`` refuses an empty, truncated, foreign or ambiguous file
with our error naming the file; ``check_tables`` refuses weights whose sum is
beyond the largest float, as the object model does, and dates that Python
cannot hold, naming the table and the column.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import attrs
import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from beijing_plan import (
    Ledger,
    Measure,
    Milestone,
    Plan,
    PlanValidationError,
    StatusChange,
    Task,
)
from beijing_plan.columnar import Tables, assess_tables, check_tables, to_tables

LARGEST = sys.float_info.max
#: The first day after 9999-12-31 and the last day before 0001-01-01, in days since 1970-01-01.
AFTER_9999 = (dt.date(9999, 12, 31) - dt.date(1970, 1, 1)).days + 1
BEFORE_1 = (dt.date(1, 1, 1) - dt.date(1970, 1, 1)).days - 1
RANGE = "is not a date from 0001-01-01 to 9999-12-31"


def plan(*weights: float, parts: tuple[float, ...] = ()) -> Plan:
    """A plan of one measure: tasks ``a``, ``b``, ... of ``weights``.

    Task ``a`` has milestones of weights ``parts``, and a trajectory.
    """
    tasks = [
        Task(
            chr(ord("a") + i),
            f"Task {i}",
            weight=weight,
            milestones=[Milestone(f"a{j}", "M", weight=w) for j, w in enumerate(parts)]
            if i == 0
            else [],
            trajectory=[("2025-06-01", 0.5)] if i == 0 else [],
        )
        for i, weight in enumerate(weights)
    ]
    return Plan(
        "p", "P", start="2025-01-01", end="2025-12-31", measures=[Measure("m", 1, "M", tasks=tasks)]
    )


def tables(*weights: float, parts: tuple[float, ...] = ()) -> Tables:
    """The tables of ``plan(*weights, parts=parts)`` with a status change of ``a``."""
    return to_tables(
        [plan(*weights, parts=parts)], [Ledger([StatusChange("a", "2025-03-01", "in_progress")])]
    )


def problems(leaves: Any, records: Any) -> list[tuple[str, str]]:
    """The problems ``check_tables`` reports."""
    with pytest.raises(PlanValidationError) as caught:
        check_tables(leaves, records)
    return caught.value.problems


def with_column(table: pa.Table, name: str, values: pa.Array[Any]) -> pa.Table:
    """``table`` with its column ``name`` replaced by ``values``."""
    return table.set_column(table.schema.get_field_index(name), name, values)


def days(*values: int) -> pa.Array[Any]:
    """A date32 array of ``values``, days since 1970-01-01."""
    return pa.array(list(values), pa.int32()).cast(pa.date32())


# -- reading Parquet files ---------------------------------------------------------------------


def written(tmp_path: Path) -> Path:
    """A folder holding the tables of a small plan, as `write_parquet` writes them."""
    folder = tmp_path / "tables"
    tables(1.0, 1.0).write_parquet(folder)
    return folder


def test_an_empty_file_is_refused_by_name(tmp_path: Path) -> None:
    """An empty ``leaves.parquet`` gives our error, naming the file."""
    folder = written(tmp_path)
    (folder / "leaves.parquet").write_bytes(b"")
    with pytest.raises(PlanValidationError) as caught:
        Tables.read_parquet(folder)
    [(where, message)] = caught.value.problems
    assert where == str(folder / "leaves.parquet")
    assert message.startswith("is not a Parquet file that can be read (")


def test_a_truncated_file_is_refused_by_name(tmp_path: Path) -> None:
    """A ``records.parquet`` cut in half gives our error, naming the file."""
    folder = written(tmp_path)
    path = folder / "records.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(PlanValidationError) as caught:
        Tables.read_parquet(folder)
    [(where, message)] = caught.value.problems
    assert where == str(path)
    assert message.startswith("is not a Parquet file that can be read (")


def test_a_file_that_is_not_parquet_is_refused_by_name(tmp_path: Path) -> None:
    """A JSON file under a Parquet name gives our error, naming the file."""
    folder = written(tmp_path)
    (folder / "leaves.parquet").write_text('{"schema": "beijing-plan/1"}\n', encoding="utf-8")
    with pytest.raises(PlanValidationError) as caught:
        Tables.read_parquet(folder)
    [(where, message)] = caught.value.problems
    assert where == str(folder / "leaves.parquet")
    assert message.startswith("is not a Parquet file that can be read (")


def test_a_column_written_twice_is_refused_by_name(tmp_path: Path) -> None:
    """A file with two columns of one name is refused, naming the file and the column."""
    folder = written(tmp_path)
    path = folder / "records.parquet"
    records = pq.read_table(path)
    doubled = pa.Table.from_arrays(
        [*records.columns, records.column("kind")], names=[*records.column_names, "kind"]
    )
    pq.write_table(doubled, path)
    with pytest.raises(PlanValidationError) as caught:
        Tables.read_parquet(folder)
    assert caught.value.problems == [(str(path), "has 2 columns named 'kind'")]


def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    """A named pipe under the name of a table file is refused without waiting for a writer."""
    folder = written(tmp_path)
    path = folder / "leaves.parquet"
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(PlanValidationError) as caught:
        Tables.read_parquet(folder)
    assert caught.value.problems == [(str(path), "is a named pipe (FIFO), not a regular file")]


def test_a_missing_file_is_still_file_not_found(tmp_path: Path) -> None:
    """A missing table file raises ``FileNotFoundError`` naming it, as ``load`` does."""
    folder = written(tmp_path)
    (folder / "records.parquet").unlink()
    with pytest.raises(FileNotFoundError) as caught:
        Tables.read_parquet(folder)
    assert caught.value.filename == str(folder / "records.parquet")


def test_good_files_still_read_back(tmp_path: Path) -> None:
    """Files written by ``write_parquet`` read back equal."""
    folder = tmp_path / "tables"
    original = tables(1.0, 2.0, parts=(1.0,))
    original.write_parquet(folder)
    again = Tables.read_parquet(folder)
    assert again.leaves.equals(original.leaves)
    assert again.records.equals(original.records)


# -- sums of weights ---------------------------------------------------------------------------


def test_the_object_model_refuses_the_same_weights() -> None:
    """Two leaves of weight 1e308 are refused by the object model: the tables must be too."""
    with pytest.raises(PlanValidationError, match="beyond the largest float"):
        plan(1e308, 1e308)


@pytest.mark.parametrize("backend", ["polars", "duckdb"])
def test_leaf_weights_whose_sum_overflows_are_refused(backend: str) -> None:
    """Two leaves of weight 1e308 in one plan are refused at ``leaves.weight``."""
    good = tables(1.0, 1.0)
    leaves = with_column(good.leaves, "weight", pa.array([1e308, 1e308]))
    leaves_in: Any = leaves
    records: Any = good.records
    if backend == "duckdb":
        connection = duckdb.connect()
        leaves_in, records = connection.from_arrow(leaves), connection.from_arrow(records)
    message = (
        f"the weights of the plan's leaves add up to more than the largest float ({LARGEST!r})"
    )
    assert problems(leaves_in, records) == [("leaves.weight", f"{message} (plan 'p')")]


def test_part_weights_whose_sum_overflows_are_refused() -> None:
    """A task whose milestones weigh 1e308 each is refused at ``leaves.parts.weight``."""
    good = tables(1.0, parts=(1.0, 1.0))
    leaves = pl.from_arrow(good.leaves)
    assert isinstance(leaves, pl.DataFrame)
    rows = leaves.to_dicts()
    for part in rows[0]["parts"]:
        part["weight"] = 1e308
    broken = pl.DataFrame(rows, schema=leaves.schema)
    message = (
        "the weights of the leaf's targets and milestones add up to more than the largest "
        f"float ({LARGEST!r}) (plan 'p', leaf 'a')"
    )
    assert problems(broken, good.records) == [("leaves.parts.weight", message)]


def test_weights_beyond_the_largest_float_in_all_but_fitting_in_each_plan_pass() -> None:
    """Two plans of one leaf of 1e308 each pass: only a plan's own sum is checked."""
    first, second = plan(1.0), attrs.evolve(plan(1.0), id="q")
    good = to_tables([first, second])
    leaves = with_column(good.leaves, "weight", pa.array([1e308, 1e308]))
    check_tables(leaves, good.records)


def test_part_weights_beyond_the_largest_float_in_all_but_fitting_in_each_leaf_pass() -> None:
    """Two tasks whose milestones weigh 1e308 each pass: only a leaf's own sum is checked."""
    good = tables(1.0, 1.0, parts=(1.0,))
    leaves = pl.from_arrow(good.leaves)
    assert isinstance(leaves, pl.DataFrame)
    rows = leaves.to_dicts()
    rows[0]["parts"][0]["weight"] = 1e308
    rows[1]["parts"] = [{**rows[0]["parts"][0], "id": "b0", "key": 99}]
    check_tables(pl.DataFrame(rows, schema=leaves.schema), good.records)


def test_large_weights_that_fit_still_assess() -> None:
    """Weights of 1e308 and 1e307 fit in a float and are assessed as the object engine does."""
    done = Ledger([StatusChange("b", "2025-03-01", "done")])
    good = to_tables([plan(1.0, 1.0)], [done])
    leaves = with_column(good.leaves, "weight", pa.array([1e308, 1e307]))
    result = assess_tables(leaves, good.records, as_of="2025-07-02", by="plan")
    assert result.column("weight").to_pylist() == [1e308 + 1e307]
    assert result.column("completion").to_pylist() == [1e307 / (1e308 + 1e307)]


# -- dates out of range ------------------------------------------------------------------------


def test_a_due_date_after_9999_is_refused_with_its_column() -> None:
    """A due date of 10000-01-01 is named at ``leaves.due``, not an OverflowError."""
    good = tables(1.0, 1.0)
    leaves = with_column(good.leaves, "due", days(AFTER_9999, 0))
    assert problems(leaves, good.records) == [
        ("leaves.due", f"+10000-01-01 {RANGE} (plan 'p', leaf 'a')")
    ]
    with pytest.raises(PlanValidationError):
        assess_tables(leaves, good.records, as_of="2025-07-02", by="plan")


def test_a_record_of_a_negative_year_is_refused_with_its_column() -> None:
    """A record dated in year -768 is named at ``records.on``."""
    good = tables(1.0, 1.0)
    records = with_column(good.records, "on", days(-1_000_000))
    assert problems(good.leaves, records) == [
        ("records.on", f"-0768-02-04 {RANGE} (plan 'p', item 'a', on -0768-02-04)")
    ]


@pytest.mark.parametrize("backend", ["polars", "duckdb"])
def test_the_first_and_last_days_python_holds_pass(backend: str) -> None:
    """Dates of 0001-01-01 and 9999-12-31 in every date column are not out of range."""
    good = tables(1.0, 1.0)
    first, last = BEFORE_1 + 1, AFTER_9999 - 1
    leaves = with_column(good.leaves, "plan_start", days(first, first))
    leaves = with_column(leaves, "start", days(first, first))
    leaves = with_column(leaves, "plan_end", days(last, last))
    leaves = with_column(leaves, "due", days(last, last))
    records = with_column(good.records, "on", days(last))
    leaves_in: Any = leaves
    records_in: Any = records
    if backend == "duckdb":
        connection = duckdb.connect()
        leaves_in, records_in = connection.from_arrow(leaves), connection.from_arrow(records)
    check_tables(leaves_in, records_in)


def test_dates_of_year_99999_are_refused_in_every_date_column() -> None:
    """Dates out of range in the plan's end, a start and a trajectory point are each named."""
    good = tables(1.0, 1.0)
    far = 35_804_712  # 99999-12-22
    leaves = with_column(good.leaves, "plan_end", days(far, far))
    leaves = with_column(leaves, "start", days(BEFORE_1, 0))
    kind = leaves.schema.field("trajectory").type
    points = pa.StructArray.from_arrays([days(far), pa.array([0.5])], fields=list(kind.value_type))
    offsets = pa.array([0, 1, 1], pa.int32())
    leaves = with_column(leaves, "trajectory", pa.ListArray.from_arrays(offsets, points, type=kind))
    assert problems(leaves, good.records) == [
        ("leaves.plan_end", f"+99999-12-22 {RANGE} (plan 'p', leaf 'a'); 2 rows in all"),
        ("leaves.start", f"0000-12-31 {RANGE} (plan 'p', leaf 'a')"),
        ("leaves.trajectory.on", f"+99999-12-22 {RANGE} (plan 'p', leaf 'a')"),
    ]
