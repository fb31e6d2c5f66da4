"""Responsible units in columns: `unit_table` and `assess_units` equal `Assessment.by_unit`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, reject, settings

from beijing_plan import Ledger, Measure, Plan, PlanValidationError, Policy, StatusChange, Task
from beijing_plan.assessment import assess
from beijing_plan.columnar import UNITS_SCHEMA, assess_units, to_tables, unit_table
from beijing_plan.rules import Rules
from test_columnar import (
    SETTINGS,
    Key,
    Row,
    assert_same,
    levels_fit_a_double,
    portfolios,
    rows_of,
    sums_fit_a_double,
)

ROLES = ("lead", "partner", "any")


def _plan() -> Plan:
    return Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m",
                1,
                "M",
                tasks=[
                    Task("a", "A", lead=["x"], partners=["y"], weight=2),
                    Task("b", "B", lead=["x", "y"]),
                ],
            )
        ],
        policies=[Policy("pol", "Pol", lead=["y"])],
    )


def _ledger() -> Ledger:
    return Ledger(
        [
            StatusChange("a", "2025-03-01", "in_progress", percent=50),
            StatusChange("pol", "2025-03-01", "done"),
        ]
    )


def test_the_units_table_lists_each_leaf_unit_and_role() -> None:
    """a: x lead, y partner; b: x and y lead; the policy: y lead."""
    tables = to_tables([_plan()], [_ledger()])
    units = unit_table([_plan()], tables.leaves)
    assert units.schema == UNITS_SCHEMA
    assert [(r["key"], r["unit"], r["role"]) for r in units.to_pylist()] == [
        (0, "x", "lead"),
        (0, "y", "partner"),
        (1, "x", "lead"),
        (1, "y", "lead"),
        (2, "y", "lead"),
    ]


def test_units_in_columns_by_hand() -> None:
    """Lead y: b 0 and the policy 1 -> 0.5; any y: a 0.5 (w 2), b 0, policy 1 -> 0.5."""
    tables = to_tables([_plan()], [_ledger()])
    units = unit_table([_plan()], tables.leaves)
    lead = {
        r["id"]: r
        for r in assess_units(tables.leaves, tables.records, units, as_of="2025-07-02").to_pylist()
    }
    assert (lead["y"]["completion"], lead["y"]["weight"], lead["y"]["coverage"]) == (0.5, 2.0, 0.5)
    assert lead["x"]["completion"] == pytest.approx(1 / 3)
    every = assess_units(tables.leaves, tables.records, units, as_of="2025-07-02", role="any")
    rows = {r["id"]: r for r in every.to_pylist()}
    assert (rows["y"]["completion"], rows["y"]["weight"], rows["y"]["coverage"]) == (
        0.5,
        4.0,
        0.75,
    )
    assert {r["level"] for r in rows.values()} == {"unit"}


def test_units_tables_across_duckdb_connections_and_polars() -> None:
    """A units relation of another DuckDB connection, and polars frames, give the same rows."""
    tables = to_tables([_plan()], [_ledger()])
    units = unit_table([_plan()], tables.leaves)
    wanted = sorted(
        map(str, assess_units(tables.leaves, tables.records, units, as_of="2025-07-02").to_pylist())
    )
    one, two = duckdb.connect(), duckdb.connect()
    relation = assess_units(
        one.from_arrow(tables.leaves),
        one.from_arrow(tables.records),
        two.from_arrow(units),
        as_of="2025-07-02",
    )
    assert sorted(map(str, rows_of(relation))) == wanted
    frame = assess_units(
        pl.from_arrow(tables.leaves),
        pl.from_arrow(tables.records),
        pl.from_arrow(units),
        as_of="2025-07-02",
    )
    assert isinstance(frame, pl.DataFrame)
    assert sorted(map(str, frame.to_dicts())) == wanted


def test_bad_units_tables_and_roles_are_named() -> None:
    """An unknown role in the call or the table, and a key no leaf has, are our errors."""
    tables = to_tables([_plan()], [_ledger()])
    units = unit_table([_plan()], tables.leaves)
    with pytest.raises(PlanValidationError) as caught:
        assess_units(tables.leaves, tables.records, units, as_of="2025-07-02", role="boss")
    assert caught.value.problems == [("role", "'boss' is not one of 'lead', 'partner', 'any'")]
    broken = pa.table(
        {"plan": ["p", "p"], "key": [0, 99], "unit": ["x", "x"], "role": ["head", "lead"]},
        schema=UNITS_SCHEMA,
    )
    with pytest.raises(PlanValidationError) as caught:
        assess_units(tables.leaves, tables.records, broken, as_of="2025-07-02")
    assert caught.value.problems == [
        ("units.role", "'head' is not one of 'lead', 'partner'"),
        ("units.key", "99 of plan 'p' is not a leaf's key"),
    ]
    with pytest.raises(PlanValidationError) as caught:
        assess_units(tables.leaves, tables.records, units.drop(["role"]), as_of="2025-07-02")
    assert caught.value.problems == [("units", "the column 'role' is missing")]
    with pytest.raises(PlanValidationError) as caught:
        unit_table([_plan()], tables.leaves.slice(0, 1))
    assert caught.value.problems == [
        ("plans[0]", "leaf 'b' is not in the leaves table"),
        ("plans[0]", "leaf 'pol' is not in the leaves table"),
    ]


def _object_units(
    pairs: list[tuple[Plan, Ledger]], as_of: dt.date, rules: Rules, role: str
) -> dict[Key, Row]:
    rows: dict[Key, Row] = {}
    for plan, ledger in pairs:
        for name, result in assess(plan, ledger, as_of=as_of, rules=rules).by_unit(role).items():  # type: ignore[arg-type]
            assert result.due is not None  # a group's latest due day, else the plan's end
            due = dt.date(result.due.year, result.due.month, result.due.day)
            rows[plan.id, "unit", name] = Row(
                result.completion,
                result.expected,
                result.spi,
                result.coverage,
                result.weight,
                due,
                result.status.value,
            )
    return rows


def _table_units(result: Any) -> dict[Key, Row]:
    return {
        (row["plan"], row["level"], row["id"]): Row(
            row["completion"],
            row["expected"],
            row["spi"],
            row["coverage"],
            row["weight"],
            row["due"],
            row["status"],
        )
        for row in rows_of(result)
    }


def _check(pairs: list[tuple[Plan, Ledger]], as_of: dt.date, frames: Any, *, step: int = 3) -> None:
    """Both engines agree for every role, under every `step`-th rule setting."""
    if not all(
        sums_fit_a_double(plan, ledger) and levels_fit_a_double(plan, ledger)
        for plan, ledger in pairs
    ):
        reject()
    plans, ledgers = zip(*pairs, strict=True)
    tables = to_tables(plans, ledgers)
    units = unit_table(plans, tables.leaves)
    leaves, records, unit_frame = frames(tables, units)
    for number, rules in enumerate(SETTINGS[::step]):
        for role in ROLES:
            result = assess_units(
                leaves, records, unit_frame, as_of=as_of, rules=rules, role=role, check=number == 0
            )
            assert_same(_object_units(pairs, as_of, rules, role), _table_units(result), rules)


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(portfolios())
def test_polars_units_equal_the_object_engine(
    portfolio: tuple[list[tuple[Plan, Ledger]], dt.date],
) -> None:
    """On polars, every unit's figures equal by_unit's, in every role."""
    _check(
        *portfolio,
        lambda t, u: (pl.from_arrow(t.leaves), pl.from_arrow(t.records), pl.from_arrow(u)),
    )


@settings(max_examples=3, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(portfolios())
def test_duckdb_units_equal_the_object_engine(
    portfolio: tuple[list[tuple[Plan, Ledger]], dt.date],
) -> None:
    """On DuckDB, every unit's figures equal by_unit's, in every role."""

    def frames(tables: Any, units: pa.Table) -> tuple[Any, Any, Any]:
        connection = duckdb.connect()
        return (
            connection.from_arrow(tables.leaves),
            connection.from_arrow(tables.records),
            connection.from_arrow(units),
        )

    # Flat with zero, and nested with exclude and in-progress credit.
    _check(*portfolio, frames, step=7)
