"""Tests of beijing_plan.columnar: table layout, roll-ups by hand, equality with assess.

The hand-computed tests use one small portfolio (``demo``) assessed on
2025-07-02; the property tests draw portfolios from the public strategies and
check that [`assess_tables`][beijing_plan.columnar.assess_tables] gives what
[`beijing_plan.assess`][beijing_plan.assess] gives,
for every rule setting, on polars and DuckDB, and on PySpark where it runs.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from beijing_plan import strategies as bps
from beijing_plan._engine.rollup import membership
from beijing_plan.assessment import assess
from beijing_plan.columnar import (
    LEAVES_SCHEMA,
    LEVELS,
    RECORDS_SCHEMA,
    RESULT_COLUMNS,
    Tables,
    assess_tables,
    check_tables,
    to_tables,
)
from beijing_plan.exceptions import PlanValidationError, UnknownReferenceError
from beijing_plan.ledger import Ledger, Observation, Revision, StatusChange
from beijing_plan.model import (
    Aggregation,
    Baseline,
    Measure,
    Milestone,
    Plan,
    Policy,
    Target,
    Task,
    Theme,
)
from beijing_plan.rules import Rules
from beijing_plan.units import Quantity, get_unit
from helpers import count, one_measure_plan, year_plan

AS_OF = "2025-07-02"
TODAY = dt.date(2025, 7, 2)

#: Every rule setting the equality test covers.
SETTINGS = [
    *(
        Rules(missing=missing, rollup=rollup, in_progress_credit=credit)
        for missing in ("zero", "exclude")
        for rollup in ("flat", "nested")
        for credit in (None, 0.5)
    ),
    Rules(basis="original"),
]

Key = tuple[str, str, str]


class Row(NamedTuple):
    """The figures the two engines must agree on."""

    completion: float | None
    expected: float | None
    spi: float | None
    coverage: float | None
    weight: float
    due: dt.date
    status: str


def demo_plan() -> Plan:
    """Two measures, three themes (one nested), a measure target, three tasks, two policies."""
    return Plan(
        "p1",
        "示范计划",
        start="2025-01-01",
        end="2025-12-31",
        themes=[
            Theme("econ", "Economy"),
            Theme("tech", "Technology", parent="econ"),
            Theme("green", "Green"),
        ],
        measures=[
            Measure(
                "m1",
                1,
                "Measure one",
                themes={"econ"},
                targets=[
                    Target("g-m1", "Firms", "at_least", count(60), deadline="2025-06-30", weight=2)
                ],
                tasks=[
                    Task(
                        "t1",
                        "Task one",
                        themes={"tech"},
                        start="2025-03-01",
                        due="2025-10-31",
                        weight=3,
                        targets=[
                            Target(
                                "g1",
                                "Funds",
                                "at_least",
                                Quantity(100, "yi_yuan"),
                                baseline=Baseline(Quantity(40, "yi_yuan"), "2024-12-31"),
                                aggregation="sum",
                            )
                        ],
                        milestones=[Milestone("ms1", "Launch")],
                    ),
                    Task("t2", "Task two", trajectory=[("2025-04-01", 0.5)]),
                ],
            ),
            Measure("m2", 2, "Measure two", tasks=[Task("t3", "Task three", themes={"green"})]),
        ],
        policies=[
            Policy("p-a", "Policy A", themes={"green"}, measures=("m1", "m2"), due="2025-09-30"),
            Policy("p-b", "Policy B"),
        ],
    )


def demo_ledger() -> Ledger:
    """Records for the demo plan: g1 in two money units, a same-day correction, a later one."""
    return Ledger(
        [
            Observation("g1", "2025-02-01", Quantity(200000, "wan_yuan")),  # 20 亿元
            Observation("g1", "2025-04-01", Quantity(10, "yi_yuan")),
            StatusChange("ms1", "2025-05-01", "done"),
            Observation("g-m1", "2025-03-01", count(30)),
            Observation("g-m1", "2025-03-01", count(45)),  # a correction: it wins
            StatusChange("t2", "2025-02-01", "in_progress", percent=40),
            StatusChange("t3", "2025-03-01", "cancelled"),
            StatusChange("p-a", "2025-06-01", "done"),
            Observation("g-m1", "2025-08-01", count(60)),  # after the assessment
        ]
    )


@pytest.fixture(scope="module")
def demo() -> Tables:
    return to_tables([demo_plan()], [demo_ledger()])


def rows_of(result: Any) -> list[dict[str, Any]]:
    """The rows of a result of any backend, as dictionaries."""
    if isinstance(result, pa.Table):
        return result.to_pylist()
    if isinstance(result, pl.LazyFrame):
        result = result.collect()
    if isinstance(result, pl.DataFrame):
        return result.to_dicts()
    if isinstance(result, duckdb.DuckDBPyRelation):
        table: pa.Table = result.to_arrow_table()
        return table.to_pylist()
    if isinstance(result, pd.DataFrame):
        return pa.Table.from_pandas(result, preserve_index=False).to_pylist()
    spark_table = result.toArrow()  # a PySpark DataFrame
    assert isinstance(spark_table, pa.Table)
    return spark_table.to_pylist()


def by_key(result: Any) -> dict[Key, dict[str, Any]]:
    return {(row["plan"], row["level"], row["id"]): row for row in rows_of(result)}


def assessed(tables: Tables, **options: Any) -> dict[Key, dict[str, Any]]:
    options.setdefault("by", LEVELS)
    return by_key(assess_tables(tables.leaves, tables.records, as_of=AS_OF, **options))


# -- the table layout ---------------------------------------------------------------------


def test_leaves_have_one_row_per_leaf_in_plan_order(demo: Tables) -> None:
    """Measure targets, then tasks, measure by measure, then policies, each with a key."""
    leaves = demo.leaves
    assert leaves.schema == LEAVES_SCHEMA
    assert leaves.column("leaf").to_pylist() == ["g-m1", "t1", "t2", "t3", "p-a", "p-b"]
    assert leaves.column("kind").to_pylist() == [
        "target",
        "task",
        "task",
        "task",
        "policy",
        "policy",
    ]
    assert leaves.column("key").to_pylist() == [0, 1, 4, 5, 6, 7]  # 2 and 3 are t1's parts
    assert leaves.column("measures").to_pylist() == [
        ["m1"],
        ["m1"],
        ["m1"],
        ["m2"],
        ["m1", "m2"],
        [],
    ]
    assert set(leaves.column("plan").to_pylist()) == {"p1"}


def test_a_task_row_holds_its_schedule_themes_and_parts(demo: Tables) -> None:
    """t1 has its own dates, its tag and its measure's, its target in 亿元 and its milestone."""
    t1 = demo.leaves.to_pylist()[1]
    assert (t1["weight"], t1["start"], t1["due"]) == (
        3.0,
        dt.date(2025, 3, 1),
        dt.date(2025, 10, 31),
    )
    assert (t1["plan_start"], t1["plan_end"]) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert t1["themes"] == [
        {"id": "econ", "parent": None, "depth": 0, "direct": False},
        {"id": "tech", "parent": "econ", "depth": 1, "direct": True},
    ]
    assert t1["trajectory"] == []
    assert t1["parts"] == [
        {
            "id": "g1",
            "key": 2,
            "kind": "target",
            "weight": 1.0,
            "comparator": "at_least",
            "aggregation": "sum",
            "unit": "yi_yuan",
            "value": 100.0,
            "upper": None,
            "baseline": 40.0,
            "baseline_on": dt.date(2024, 12, 31),
        },
        {
            "id": "ms1",
            "key": 3,
            "kind": "milestone",
            "weight": 1.0,
            "comparator": None,
            "aggregation": None,
            "unit": None,
            "value": None,
            "upper": None,
            "baseline": None,
            "baseline_on": None,
        },
    ]


def test_defaults_come_from_the_plan_and_measure_targets_are_their_own_part(demo: Tables) -> None:
    """Policies and measure targets start with the plan; a measure target's part is itself."""
    rows = {row["leaf"]: row for row in demo.leaves.to_pylist()}
    target, policy, bare = rows["g-m1"], rows["p-a"], rows["p-b"]
    assert (target["start"], target["due"]) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert [part["key"] for part in target["parts"]] == [target["key"]]
    assert target["parts"][0]["weight"] == 2.0
    assert target["themes"] == [{"id": "econ", "parent": None, "depth": 0, "direct": True}]
    assert (policy["start"], policy["due"]) == (dt.date(2025, 1, 1), dt.date(2025, 9, 30))
    assert policy["parts"] == []
    assert (bare["due"], bare["themes"], bare["measures"]) == (dt.date(2025, 12, 31), [], [])
    assert rows["t2"]["trajectory"] == [{"on": dt.date(2025, 4, 1), "fraction": 0.5}]


#: The revision columns of a record that is not a revision.
NO_REVISION = {"start": None, "due": None, "upper": None, "weight": None}


def test_records_come_by_key_day_and_ledger_order_and_in_the_target_unit(demo: Tables) -> None:
    """Each record names its item's key; 200000 万元 is 20 亿元 in a 亿元 target's unit."""
    records = demo.records
    assert records.schema == RECORDS_SCHEMA
    listed = records.to_pylist()
    assert listed == sorted(listed, key=lambda row: (row["key"], row["on"], row["seq"]))
    rows = {row["seq"]: row for row in listed}
    assert sorted(rows) == list(range(9))  # seq: the position in the plan's ledger
    assert rows[0] == {
        "plan": "p1",
        "item": "g1",
        "key": 2,
        "on": dt.date(2025, 2, 1),
        "seq": 0,
        "kind": "observation",
        "value": 20.0,
        "status": None,
        "percent": None,
        **NO_REVISION,
    }
    assert rows[5] == {
        "plan": "p1",
        "item": "t2",
        "key": 4,
        "on": dt.date(2025, 2, 1),
        "seq": 5,
        "kind": "status",
        "value": None,
        "status": "in_progress",
        "percent": 40.0,
        **NO_REVISION,
    }
    assert [rows[seq]["key"] for seq in range(9)] == [2, 2, 3, 0, 0, 4, 5, 6, 0]


def test_leaves_of_the_same_measures_or_themes_share_a_set(demo: Tables) -> None:
    """g-m1 and t2 count in m1 and econ alone; t1 in m1 but under tech; p-a in m1 and m2."""
    rows = {row["leaf"]: row for row in demo.leaves.to_pylist()}
    measure_sets = {leaf: row["measure_set"] for leaf, row in rows.items()}
    theme_sets = {leaf: row["theme_set"] for leaf, row in rows.items()}
    assert measure_sets["g-m1"] == measure_sets["t1"] == measure_sets["t2"]
    assert len({measure_sets[leaf] for leaf in ("g-m1", "t3", "p-a", "p-b")}) == 4
    assert theme_sets["g-m1"] == theme_sets["t2"]
    assert len({theme_sets[leaf] for leaf in ("g-m1", "t1", "t3", "p-b")}) == 4
    assert theme_sets["t3"] == theme_sets["p-a"]  # both tagged green alone


def test_sets_numbered_apart_give_the_same_results(demo: Tables) -> None:
    """A set per leaf, and records in any order, are slower but roll up the same."""
    leaves = demo.leaves
    own = leaves.column("key")
    apart = leaves.set_column(
        leaves.schema.get_field_index("measure_set"), "measure_set", own
    ).set_column(leaves.schema.get_field_index("theme_set"), "theme_set", own)
    shuffled = demo.records.take(list(reversed(range(demo.records.num_rows))))
    for rules in SETTINGS:
        wanted = by_key(
            assess_tables(demo.leaves, demo.records, as_of=AS_OF, rules=rules, by=LEVELS)
        )
        got = by_key(assess_tables(apart, shuffled, as_of=AS_OF, rules=rules, by=LEVELS))
        assert got.keys() == wanted.keys()
        for key, row in wanted.items():
            for name, value in row.items():
                if isinstance(value, float):
                    assert got[key][name] == pytest.approx(value), (rules, key, name)
                else:
                    assert got[key][name] == value, (rules, key, name)


def test_keys_run_on_across_plans_and_ledgers_pair_by_id() -> None:
    """A second plan's keys follow the first's; a mapping pairs ledgers with plans by id."""
    first = year_plan("a", "A", policies=[Policy("x", "X")])
    second = year_plan("b", "B", policies=[Policy("x", "X")])
    tables = to_tables([first, second], {"b": Ledger([StatusChange("x", "2025-02-01", "done")])})
    assert tables.leaves.column("key").to_pylist() == [0, 1]
    assert tables.records.to_pylist()[0]["plan"] == "b"
    assert tables.records.to_pylist()[0]["key"] == 1
    single = to_tables(first, Ledger([StatusChange("x", "2025-02-01", "done")]))
    assert single.records.column("key").to_pylist() == [0]


def test_a_conversion_beyond_the_range_of_a_quantity_still_gives_a_number() -> None:
    """1e-57 yuan is 1e-61 万元, too small for a Quantity, but a float holds it."""
    plan = one_measure_plan(targets=[Target("g", "G", "at_least", Quantity(1, "wan_yuan"))])
    ledger = Ledger([Observation("g", "2025-02-01", Quantity("1E-57", "yuan"))])
    value = to_tables(plan, ledger).records.column("value")[0].as_py()
    assert value == pytest.approx(1e-61, rel=1e-15)


def test_tables_round_trip_through_parquet(demo: Tables, tmp_path: Path) -> None:
    """write_parquet writes two files that read_parquet reads back unchanged."""
    leaves_path, records_path = demo.write_parquet(tmp_path / "out")
    assert (leaves_path.name, records_path.name) == ("leaves.parquet", "records.parquet")
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "leaves.parquet",
        "records.parquet",
    ]
    back = Tables.read_parquet(tmp_path / "out")
    assert back.leaves.equals(demo.leaves)
    assert back.records.equals(demo.records)


def test_reading_parquet_without_a_column_names_it(demo: Tables, tmp_path: Path) -> None:
    """A leaves file without its key column cannot be read as tables."""
    demo.write_parquet(tmp_path)
    pq.write_table(demo.leaves.drop_columns(["key"]), tmp_path / "leaves.parquet")
    with pytest.raises(PlanValidationError) as caught:
        Tables.read_parquet(tmp_path)
    assert caught.value.problems == [("leaves", "the column 'key' is missing")]


def test_to_tables_lists_bad_plans_and_ledgers() -> None:
    """Two plans with one id, a ledger for no plan, a wrong count of ledgers: each is named."""
    plan = demo_plan()
    with pytest.raises(PlanValidationError) as caught:
        to_tables([plan, plan])
    assert caught.value.problems == [("plans[1].id", "'p1' is used again (first at plans[0])")]
    with pytest.raises(PlanValidationError) as caught:
        to_tables([plan], {"nope": Ledger()})
    assert caught.value.problems == [("ledgers['nope']", "'nope' is not the id of a plan given")]
    with pytest.raises(PlanValidationError) as caught:
        to_tables([plan], [Ledger(), Ledger()])
    assert caught.value.problems == [("ledgers", "2 ledgers given for 1 plans")]
    with pytest.raises(PlanValidationError) as caught:
        to_tables(["p1"])  # type: ignore[list-item]
    assert caught.value.problems == [("plans[0]", "'p1' is not a Plan")]
    with pytest.raises(PlanValidationError) as caught:
        to_tables(None)  # type: ignore[arg-type]
    assert caught.value.problems == [("plans", "None is not a plan or a list of plans")]
    for ledgers in (3, "abc"):
        with pytest.raises(PlanValidationError) as caught:
            to_tables([plan], ledgers)  # type: ignore[arg-type]
        assert caught.value.problems == [
            ("ledgers", f"{ledgers!r} is not a ledger, a list of ledgers or a mapping of them")
        ]
    records = {"p1": [StatusChange("t1", "2025-03-01", "done")]}
    with pytest.raises(PlanValidationError) as caught:
        to_tables([plan], records)  # type: ignore[arg-type]
    assert caught.value.problems == [("ledgers['p1']", "'list' object is not a Ledger")]


def test_to_tables_reports_unknown_ids_under_the_plans_ledger() -> None:
    """A record naming an id the plan lacks is reported with the plan's id in its path."""
    with pytest.raises(UnknownReferenceError) as caught:
        to_tables([demo_plan()], [Ledger([StatusChange("ghost", "2025-02-01", "done")])])
    assert caught.value.problems == [
        ("ledgers['p1'].records[0].item", "'ghost' is not an id of the plan")
    ]


# -- figures computed by hand --------------------------------------------------------------

# On 2025-07-02: t1 runs 123 of its 244 days; t2's trajectory rises from 0.5 on
# 2025-04-01 to 1 on 2025-12-31 and is 92 of those 274 days along; p-a is 182 of
# its 272 days along, p-b 182 of 364; g-m1 was due on 2025-06-30.
G_M1, T1, T2, PA, PB = 0.75, (0.5 + 1.0) / 2, 0.4, 1.0, 0.0
E_G_M1, E_T1, E_T2, E_PA, E_PB = 1.0, 123 / 244, 0.5 + 0.5 * 92 / 274, 182 / 272, 182 / 364


def test_leaf_figures(demo: Tables) -> None:
    """Each leaf's completion, expected value, coverage, weight and status."""
    rows = assessed(demo, by="leaf")
    expected = {
        "g-m1": (G_M1, E_G_M1, 1.0, 2.0, "overdue"),  # 45 of 60: the correction, not 60 (later)
        "t1": (T1, E_T1, 1.0, 3.0, "on_track"),  # target (70-40)/(100-40) and milestone 1
        "t2": (T2, E_T2, 1.0, 1.0, "off_track"),  # spi 0.4/0.668 = 0.599 < 0.6
        "p-a": (PA, E_PA, 1.0, 1.0, "done"),
        "p-b": (PB, E_PB, 0.0, 1.0, "off_track"),
    }
    for leaf, (completion, wanted, coverage, weight, status) in expected.items():
        row = rows["p1", "leaf", leaf]
        assert row["completion"] == pytest.approx(completion)
        assert row["expected"] == pytest.approx(wanted)
        assert (row["coverage"], row["weight"], row["status"]) == (coverage, weight, status)
    cancelled = rows["p1", "leaf", "t3"]
    assert (cancelled["completion"], cancelled["spi"], cancelled["status"]) == (
        None,
        None,
        "cancelled",
    )
    assert (cancelled["coverage"], cancelled["weight"]) == (1.0, 1.0)


def test_flat_roll_ups(demo: Tables) -> None:
    """Weighted means over the leaves of the plan, each measure and each theme."""
    rows = assessed(demo)
    plan = rows["p1", "plan", "p1"]
    done = 2 * G_M1 + 3 * T1 + T2 + PA + PB
    assert plan["completion"] == pytest.approx(done / 8)
    assert plan["expected"] == pytest.approx((2 * E_G_M1 + 3 * E_T1 + E_T2 + E_PA + E_PB) / 8)
    assert plan["coverage"] == pytest.approx(7 / 8)  # p-b has no record; t3 is left out
    assert (plan["weight"], plan["due"], plan["status"]) == (8.0, dt.date(2025, 12, 31), "on_track")
    m1 = rows["p1", "measure", "m1"]  # g-m1, t1, t2 and p-a, which serves m1 and m2
    assert m1["completion"] == pytest.approx((2 * G_M1 + 3 * T1 + T2 + PA) / 7)
    assert m1["weight"] == 7.0
    m2 = rows["p1", "measure", "m2"]  # t3 is cancelled: only p-a counts
    assert (m2["completion"], m2["weight"], m2["status"]) == (1.0, 1.0, "done")
    econ = rows["p1", "theme", "econ"]  # g-m1 and t2 through m1, t1 through its sub-theme
    assert econ["completion"] == pytest.approx((2 * G_M1 + 3 * T1 + T2) / 6)
    assert rows["p1", "theme", "tech"]["completion"] == pytest.approx(T1)
    assert rows["p1", "theme", "green"]["completion"] == 1.0
    assert rows["p1", "theme", "green"]["due"] == dt.date(2025, 9, 30)  # t3's due is left out


def test_nested_roll_ups(demo: Tables) -> None:
    """Plain means of children: measures and lone policies, leaves, sub-themes and direct leaves."""
    rows = assessed(demo, rules=Rules(rollup="nested"))
    m1 = (G_M1 + T1 + T2 + PA) / 4
    assert rows["p1", "measure", "m1"]["completion"] == pytest.approx(m1)
    assert rows["p1", "measure", "m2"]["completion"] == 1.0
    assert rows["p1", "plan", "p1"]["completion"] == pytest.approx((m1 + 1.0 + PB) / 3)
    assert rows["p1", "plan", "p1"]["expected"] == pytest.approx(
        ((E_G_M1 + E_T1 + E_T2 + E_PA) / 4 + E_PA + E_PB) / 3
    )
    # econ's children: the sub-theme tech (t1 alone) and its direct leaves g-m1 and t2.
    assert rows["p1", "theme", "econ"]["completion"] == pytest.approx((T1 + G_M1 + T2) / 3)
    assert rows["p1", "theme", "tech"]["completion"] == pytest.approx(T1)
    assert rows["p1", "plan", "p1"]["coverage"] == pytest.approx(7 / 8)  # still weighted
    assert rows["p1", "plan", "p1"]["weight"] == 8.0


def test_missing_exclude_leaves_silent_leaves_out_but_not_of_coverage(demo: Tables) -> None:
    """With missing="exclude" p-b has no completion; the plan's mean skips it, coverage does not."""
    rows = assessed(demo, rules=Rules(missing="exclude"))
    assert rows["p1", "leaf", "p-b"]["completion"] is None
    assert rows["p1", "leaf", "p-b"]["status"] == "no_data"
    plan = rows["p1", "plan", "p1"]
    assert plan["completion"] == pytest.approx((2 * G_M1 + 3 * T1 + T2 + PA) / 7)
    assert plan["coverage"] == pytest.approx(7 / 8)


def test_records_after_the_date_count_once_it_has_passed(demo: Tables) -> None:
    """On 2025-08-15 the observation of 60 firms dated 2025-08-01 completes g-m1."""
    result = assess_tables(demo.leaves, demo.records, as_of="2025-08-15", by="leaf")
    assert by_key(result)["p1", "leaf", "g-m1"]["completion"] == 1.0


def comparator_plan() -> tuple[Plan, Ledger]:
    """One measure whose own targets cover every comparator and aggregation."""
    targets = [
        Target("lo", "T", "at_least", count(60)),
        Target("lb", "T", "at_least", count(100), baseline=Baseline(count(40), "2024-12-31")),
        Target("neg", "T", "at_least", count(-5)),
        Target("mb", "T", "at_most", count(60), baseline=Baseline(count(100), "2024-12-31")),
        Target("mo", "T", "at_most", count(60)),
        Target("ex", "T", "exactly", count(5)),
        Target("bt", "T", "between", count(10), upper=count(20)),
        Target("mx", "T", "at_least", count(60), aggregation="max"),
        Target("mn", "T", "at_least", count(60), aggregation="min"),
        Target("me", "T", "at_least", count(60), aggregation="mean"),
        Target("su", "T", "at_least", count(60), aggregation="sum"),
        Target("none", "T", "at_least", count(60)),
    ]
    observed = {
        "lo": [45],
        "lb": [70],
        "neg": [-3],
        "mb": [80],
        "mo": [61],
        "ex": [5],
        "bt": [25],
        "mx": [30, 50, 40],
        "mn": [30, 50],
        "me": [10, 20],
        "su": [15, 6, 9],
    }
    records = [
        Observation(target, f"2025-0{day + 2}-01", count(value))
        for target, values in observed.items()
        for day, value in enumerate(values)
    ]
    # A sum without a baseline counts from the plan's start: this increment does not.
    records.append(Observation("su", "2024-12-15", count(100)))
    return one_measure_plan(targets=targets, plan_id="c", title="C"), Ledger(records)


def test_target_attainment_by_comparator_and_aggregation() -> None:
    """Each comparator and aggregation gives the attainment DESIGN section 4 defines."""
    tables = to_tables(*comparator_plan())
    rows = assessed(tables, by="leaf")
    wanted = {
        "lo": 45 / 60,
        "lb": (70 - 40) / (100 - 40),
        "neg": 1.0,  # a target of at most 0 is met or not: -3 >= -5
        "mb": (100 - 80) / (100 - 60),
        "mo": 0.0,
        "ex": 1.0,
        "bt": 0.0,
        "mx": 50 / 60,
        "mn": 30 / 60,
        "me": 15 / 60,
        "su": (15 + 6 + 9) / 60,
        "none": 0.0,
    }
    got = {leaf: rows["c", "leaf", leaf]["completion"] for leaf in wanted}
    assert got == pytest.approx(wanted)
    excluded = assessed(tables, by="leaf", rules=Rules(missing="exclude"))
    assert excluded["c", "leaf", "none"]["completion"] is None
    assert excluded["c", "leaf", "none"]["coverage"] == 0.0


def test_in_progress_credit_and_every_leaf_cancelled() -> None:
    """A task in progress without a percent gets the credit; an all-cancelled group is cancelled."""
    plan = year_plan(
        "q",
        "Q",
        measures=[
            Measure("m", 1, "M", tasks=[Task("a", "A")]),
            Measure("gone", 2, "Gone", tasks=[Task("b", "B")]),
        ],
    )
    ledger = Ledger(
        [
            StatusChange("a", "2025-02-01", "in_progress"),
            StatusChange("b", "2025-02-01", "cancelled"),
        ]
    )
    tables = to_tables(plan, ledger)
    with_credit = assessed(tables, rules=Rules(in_progress_credit=0.3))
    assert with_credit["q", "leaf", "a"]["completion"] == 0.3
    assert assessed(tables)["q", "leaf", "a"]["completion"] == 0.0
    gone = with_credit["q", "measure", "gone"]
    assert (gone["completion"], gone["coverage"], gone["weight"]) == (None, None, 0.0)
    assert (gone["status"], gone["due"]) == ("cancelled", dt.date(2025, 12, 31))


# -- backends and arguments ----------------------------------------------------------------


@pytest.mark.parametrize(
    "rules",
    [Rules(), Rules(rollup="nested", missing="exclude", in_progress_credit=0.5)],
    ids=["flat", "nested"],
)
def test_every_backend_gives_the_same_rows(demo: Tables, tmp_path: Path, rules: Rules) -> None:
    """pyarrow, polars (eager and lazy), pandas, DuckDB and Parquet files read by DuckDB agree."""
    reference = assessed(demo, rules=rules)
    leaves, records = pl.from_arrow(demo.leaves), pl.from_arrow(demo.records)
    assert isinstance(leaves, pl.DataFrame)
    assert isinstance(records, pl.DataFrame)
    connection = duckdb.connect()
    leaves_path, records_path = demo.write_parquet(tmp_path)
    inputs = {
        "polars": (leaves, records),
        "polars lazy": (leaves.lazy(), records.lazy()),
        "pandas": (demo.leaves.to_pandas(), demo.records.to_pandas()),
        "duckdb": (connection.from_arrow(demo.leaves), connection.from_arrow(demo.records)),
        "parquet": (
            connection.read_parquet(str(leaves_path)),
            connection.read_parquet(str(records_path)),
        ),
    }
    for name, (left, right) in inputs.items():
        result = assess_tables(left, right, as_of=AS_OF, rules=rules, by=LEVELS)
        assert type(result) is type(left), name
        got = by_key(result)
        assert got.keys() == reference.keys(), name
        for key, row in reference.items():
            assert list(got[key]) == list(RESULT_COLUMNS), name
            for column, value in row.items():
                if isinstance(value, float):
                    assert got[key][column] == pytest.approx(value, abs=1e-12), (name, key, column)
                else:
                    assert got[key][column] == value, (name, key, column)


def test_results_come_in_the_order_of_levels_given(demo: Tables) -> None:
    """by=("theme", "plan") lists the themes first; a single level may be a string."""
    result = assess_tables(demo.leaves, demo.records, as_of=AS_OF, by=("theme", "plan"))
    assert result.column("level").to_pylist() == ["theme"] * 3 + ["plan"]
    only = assess_tables(demo.leaves, demo.records, as_of=AS_OF, by="measure")
    assert sorted(str(value) for value in only.column("id").to_pylist()) == ["m1", "m2"]


def test_bad_arguments_are_named(demo: Tables) -> None:
    """A bad level, date or rules object, or a frame that is not one, is reported with its path."""
    with pytest.raises(PlanValidationError) as caught:
        assess_tables(demo.leaves, demo.records, as_of=AS_OF, by=("plan", "region", "plan"))
    assert caught.value.problems == [
        ("by[1]", "'region' is not one of 'plan', 'measure', 'theme', 'leaf'"),
        ("by[2]", "'plan' is given twice"),
    ]
    with pytest.raises(PlanValidationError) as caught:
        assess_tables(demo.leaves, demo.records, as_of=AS_OF, by=())
    assert caught.value.problems == [("by", "at least one level is needed")]
    for by in (None, 3, b"plan"):
        with pytest.raises(PlanValidationError) as caught:
            assess_tables(demo.leaves, demo.records, as_of=AS_OF, by=by)  # type: ignore[arg-type]
        assert caught.value.problems == [
            ("by", f"{by!r} is not a level or levels ('plan', 'measure', 'theme', 'leaf')")
        ]
    with pytest.raises(PlanValidationError) as caught:
        assess_tables(demo.leaves, demo.records, as_of="2025-13-01")
    assert caught.value.problems[0][0] == "as_of"
    with pytest.raises(TypeError) as misused:
        assess_tables(demo.leaves, demo.records, as_of=AS_OF, rules="flat")  # type: ignore[arg-type]
    assert str(misused.value) == "rules must be a Rules, not str"
    with pytest.raises(PlanValidationError) as caught:
        assess_tables(42, demo.records, as_of=AS_OF)
    assert caught.value.problems == [
        ("leaves", "a 'int' object is not a frame of a supported backend")
    ]


def test_frames_must_share_a_backend_and_have_every_column(demo: Tables) -> None:
    """Leaves on polars with records on DuckDB, or a table without a column, are refused."""
    leaves = pl.from_arrow(demo.leaves)
    with pytest.raises(PlanValidationError) as caught:
        assess_tables(leaves, duckdb.connect().from_arrow(demo.records), as_of=AS_OF)
    assert caught.value.problems == [
        ("records", "a 'duckdb' frame, but leaves is a 'polars' frame")
    ]
    with pytest.raises(PlanValidationError) as caught:
        assess_tables(demo.leaves, demo.records.drop_columns(["seq", "on"]), as_of=AS_OF)
    assert caught.value.problems == [
        ("records", "the column 'on' is missing"),
        ("records", "the column 'seq' is missing"),
    ]


def test_the_package_imports_without_the_columnar_libraries() -> None:
    """``import beijing_plan`` loads none of narwhals, pyarrow, polars, DuckDB or PySpark."""
    code = (
        "import sys, beijing_plan\n"
        "heavy = {'narwhals', 'pyarrow', 'polars', 'duckdb', 'pyspark'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert completed.stdout.strip() == "[]"


def test_a_missing_library_names_the_extra_to_install() -> None:
    """Without narwhals, importing the module says to install beijing-plan[columnar]."""
    code = (
        "import sys\n"
        "sys.modules['narwhals'] = None\n"
        "try:\n"
        "    import beijing_plan.columnar\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert completed.stdout == (
        'beijing_plan.columnar needs the `narwhals` package: pip install "beijing-plan[columnar]"\n'
    )


# -- the same figures as the object engine -------------------------------------------------


def object_rows(
    pairs: Sequence[tuple[Plan, Ledger]], as_of: dt.date, rules: Rules
) -> dict[Key, Row]:
    """The object engine's figures for every group that has leaves, and for every leaf."""
    rows: dict[Key, Row] = {}
    for plan, ledger in pairs:
        assessment = assess(plan, ledger, as_of=as_of, rules=rules)
        groups = membership(plan)

        def put(level: str, result: Any, plan: Plan = plan) -> None:
            due = dt.date(result.due.year, result.due.month, result.due.day)
            rows[plan.id, level, result.id] = Row(
                result.completion,
                result.expected,
                result.spi,
                result.coverage,
                result.weight,
                due,
                result.status.value,
            )

        if groups.leaves:
            put("plan", assessment.overall)
        for measure_id, result in assessment.by_measure().items():
            if groups.measures[measure_id]:
                put("measure", result)
        for theme_id, result in assessment.by_theme().items():
            if groups.themes[theme_id]:
                put("theme", result)
        for result in assessment.leaves():
            put("leaf", result)
    return rows


def table_rows(result: Any) -> dict[Key, Row]:
    return {
        key: Row(
            row["completion"],
            row["expected"],
            row["spi"],
            row["coverage"],
            row["weight"],
            row["due"],
            row["status"],
        )
        for key, row in by_key(result).items()
    }


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def on_an_edge(row: Row, rules: Rules) -> bool:
    """Whether a figure the status is read from lies within 1e-9 of where it changes.

    The object engine sums exactly (``math.fsum``); the backends add floats in
    an order of their own. Where two such sums agree to 1e-9 on either side of
    1.0 (done), 0 (no expected progress) or a threshold of ``spi``, the two
    statuses may differ, and both are right to that precision.
    """
    edges = (
        (row.completion, 1.0),
        (row.expected, 0.0),
        (row.spi, rules.on_track),
        (row.spi, rules.at_risk),
    )
    return any(value is not None and close(value, edge) for value, edge in edges)


def assert_same(wanted: dict[Key, Row], got: dict[Key, Row], rules: Rules) -> None:
    assert sorted(got) == sorted(wanted), rules
    for key, row in wanted.items():
        other = got[key]
        numbers = ("completion", "expected", "spi", "coverage", "weight")
        same = all(close(getattr(row, name), getattr(other, name)) for name in numbers)
        assert same, (rules, key, row, other)
        assert row.due == other.due, (rules, key, row, other)
        if not (on_an_edge(row, rules) or on_an_edge(other, rules)):
            assert row.status == other.status, (rules, key, row, other)


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[list[tuple[Plan, Ledger]], dt.date]:
    """One to three plans with distinct ids, their ledgers, and a date around the first plan."""
    pairs = draw(
        st.lists(
            bps.plans_and_ledgers(max_measures=3, revisions=True),
            min_size=1,
            max_size=3,
            unique_by=lambda pair: pair[0].id,
        )
    )
    first = pairs[0][0]
    length = first.end.toordinal() - first.start.toordinal()
    offset = draw(st.integers(-40, length + 40))
    return pairs, dt.date.fromordinal(first.start.toordinal() + offset)


def amount(quantity: Quantity, unit: str) -> Decimal:
    """``quantity`` in ``unit``, exactly."""
    with decimal.localcontext() as context:
        context.prec, context.Emax, context.Emin = 400, 10_000, -10_000
        return quantity.value * get_unit(quantity.unit).factor / get_unit(unit).factor


def sums_fit_a_double(plan: Plan, ledger: Ledger) -> bool:
    """Whether float64 adds up every ``sum`` and ``mean`` target of ``plan`` exactly.

    The columnar engine adds doubles where the object engine adds decimals; the
    two can only agree on bounds (``exactly 10**22`` against ``10**22 - 459``)
    where the double sums are exact: whole numbers whose magnitudes add up to
    less than 2**53.
    """
    observed: dict[str, list[Quantity]] = {}
    for record in ledger:
        if isinstance(record, Observation):
            observed.setdefault(record.target, []).append(record.value)
    for target in plan.targets():
        if target.aggregation not in {Aggregation.SUM, Aggregation.MEAN}:
            continue
        unit = target.value.unit
        terms = [amount(value, unit) for value in observed.get(target.id, [])]
        if target.aggregation is Aggregation.SUM and target.baseline is not None:
            terms.append(amount(target.baseline.value, unit))
        if len(terms) < 2:
            continue
        if any(term != term.to_integral_value() for term in terms):
            return False
        if sum(abs(term) for term in terms) >= 2**53:
            return False
    return True


def levels_fit_a_double(plan: Plan, ledger: Ledger) -> bool:
    """Whether float64 keeps apart every two levels of a target that differ.

    The columnar engine compares in float64; a bound such as
    495.99999999999999999999999999999999985 rounds to 496 there, so an observation
    of 496 meets it in one engine and not in the other. Portfolios where rounding
    makes two different levels of one target (its value, upper bound, baseline,
    observations) equal are outside the equality this test checks, as sums that
    float64 cannot add exactly are.
    """
    levels: dict[str, list[Decimal]] = {}
    for target in plan.targets():
        unit = target.value.unit
        baseline = None if target.baseline is None else target.baseline.value
        bounds = [target.value, target.upper, baseline]
        levels[target.id] = [amount(q, unit) for q in bounds if q is not None]
    units = {target.id: target.value.unit for target in plan.targets()}
    for record in ledger:
        if isinstance(record, Observation) and record.target in levels:
            levels[record.target].append(amount(record.value, units[record.target]))
        if isinstance(record, Revision) and record.item in levels:
            revised = (record.value, record.upper)
            levels[record.item] += [amount(q, units[record.item]) for q in revised if q is not None]
    for values in levels.values():
        seen: dict[float, Decimal] = {}
        for value in values:
            if seen.setdefault(float(value), value) != value:
                return False
    return True


def check_portfolio(
    pairs: list[tuple[Plan, Ledger]],
    as_of: dt.date,
    frames: Any,
    *,
    check: bool = True,
    settings: Sequence[Rules] = SETTINGS,
) -> None:
    """Assess a portfolio under every rule setting (or those of `settings`) on one
    backend and compare.

    With ``check``, the tables are checked once first (those of to_tables keep
    the layout); they are then assessed unchecked under every setting.
    """
    if not all(
        sums_fit_a_double(plan, ledger) and levels_fit_a_double(plan, ledger)
        for plan, ledger in pairs
    ):
        reject()
    plans, ledgers = zip(*pairs, strict=True)
    tables = to_tables(plans, ledgers)
    leaves, records = frames(tables)
    if check:
        check_tables(leaves, records)
    for rules in settings:
        result = assess_tables(leaves, records, as_of=as_of, rules=rules, by=LEVELS, check=False)
        assert_same(object_rows(pairs, as_of, rules), table_rows(result), rules)


def polars_frames(tables: Tables) -> tuple[pl.DataFrame, pl.DataFrame]:
    leaves, records = pl.from_arrow(tables.leaves), pl.from_arrow(tables.records)
    assert isinstance(leaves, pl.DataFrame)
    assert isinstance(records, pl.DataFrame)
    return leaves, records


def duckdb_frames(tables: Tables) -> tuple[Any, Any]:
    connection = duckdb.connect()
    return connection.from_arrow(tables.leaves), connection.from_arrow(tables.records)


# Each example checks a whole portfolio under every rule setting, about a second on
# polars and ten on DuckDB: the two draw fewer examples than the profile's, so that
# the suite keeps within the time CI allows. The engine's rules are the same on every
# backend, and the polars run covers them with the most examples.
_HALF = max(10, settings().max_examples // 2)
_FEWER = max(4, settings().max_examples // 8)


@settings(max_examples=_HALF, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_polars_gives_the_figures_of_the_object_engine(
    portfolio: tuple[list[tuple[Plan, Ledger]], dt.date],
) -> None:
    """On polars, every figure of every leaf and group equals assess's, for every rule setting."""
    check_portfolio(*portfolio, polars_frames)


@settings(max_examples=_FEWER, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_duckdb_gives_the_figures_of_the_object_engine(
    portfolio: tuple[list[tuple[Plan, Ledger]], dt.date],
) -> None:
    """On DuckDB, every figure of every leaf and group equals assess's, for every rule setting."""
    check_portfolio(*portfolio, duckdb_frames)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the test session, or a skip without PySpark or Java."""
    sql = pytest.importorskip("pyspark.sql", reason="PySpark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Java is not installed, and PySpark needs it")
    session = (
        sql.SparkSession.builder.master("local[1]")
        .appName("beijing-plan-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# Spark runs the same narwhals code as the other backends, many times slower: one
# portfolio, under the default rules and against the original plan (the polars and
# DuckDB tests draw many portfolios under every setting).
SPARK_SETTINGS = (Rules(), Rules(missing="exclude", rollup="nested"), Rules(basis="original"))


@settings(
    max_examples=1,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(portfolio=portfolios())
def test_spark_gives_the_figures_of_the_object_engine(
    spark: Any, portfolio: tuple[list[tuple[Plan, Ledger]], dt.date]
) -> None:
    """On PySpark in local mode, every figure equals assess's, for every rule setting."""

    def spark_frames(tables: Tables) -> tuple[Any, Any]:
        return spark.createDataFrame(tables.leaves), spark.createDataFrame(tables.records)

    # About twenty Spark jobs a check: test_spark_names_a_broken_promise checks on Spark.
    check_portfolio(*portfolio, spark_frames, check=False, settings=SPARK_SETTINGS)


def test_spark_names_a_broken_promise(spark: Any) -> None:
    """On Spark, valid tables pass the checks, and broken promises are named."""
    tables = to_tables([demo_plan()], [demo_ledger()])
    check_tables(spark.createDataFrame(tables.leaves), spark.createDataFrame(tables.records))
    records = pa.concat_tables([tables.records, tables.records.slice(0, 1)])
    percent = records.column("percent").to_pylist()
    percent[records.column("item").to_pylist().index("t2")] = 150.0
    records = records.set_column(
        records.schema.get_field_index("percent"), "percent", pa.array(percent, pa.float64())
    )
    with pytest.raises(PlanValidationError) as caught:
        check_tables(spark.createDataFrame(tables.leaves), spark.createDataFrame(records))
    assert caught.value.problems == [
        ("records.percent", "150.0 is not between 0 and 100 (plan 'p1', item 't2', on 2025-02-01)"),
        (
            "records.seq",
            "3 is given to two records of the item that day "
            "(plan 'p1', item 'g-m1', on 2025-03-01)",
        ),
    ]


@pytest.mark.parametrize("backend", ["polars", "duckdb", "pandas"])
def test_a_nested_roll_up_without_themes(backend: str) -> None:
    """Without any theme, a nested roll-up by theme gives the plan's row alone.

    (pandas gives the depth's missing maximum as NA, not None.)
    """
    plan = one_measure_plan(Task("a", "A"), Task("b", "B"))
    tables = to_tables([plan], [Ledger([StatusChange("a", "2025-03-01", "done")])])
    inputs: dict[str, tuple[Any, Any]] = {
        "polars": (pl.from_arrow(tables.leaves), pl.from_arrow(tables.records)),
        "duckdb": (duckdb.from_arrow(tables.leaves), duckdb.from_arrow(tables.records)),
        "pandas": (tables.leaves.to_pandas(), tables.records.to_pandas()),
    }
    leaves, records = inputs[backend]
    result = assess_tables(leaves, records, as_of=AS_OF, rules=Rules(rollup="nested"))
    rows = by_key(result)
    assert list(rows) == [("p", "plan", "p")]
    assert rows[("p", "plan", "p")]["completion"] == 0.5
