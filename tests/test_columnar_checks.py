"""Tests of the checks of the columnar tables: every broken promise of the layout is named.

Each case breaks one promise in tables made by ``to_tables`` from a small plan
and checks the problem reported (path and message) on polars (eager and lazy
frames), on pyarrow Tables, on pandas and on DuckDB. The property tests check
that valid tables, in any row order, pass. On polars the checks run in rounds of
queries, with rules translated once and the engine chosen by size: each case is
also checked untranslated and on the other engine.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

import duckdb
import narwhals as nw
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan import strategies as bps
from beijing_plan.columnar import (
    LEAVES_SCHEMA,
    RECORDS_SCHEMA,
    _checks,
    _checks_leaves,
    _checks_rules,
    assess_tables,
    check_tables,
    to_tables,
)
from beijing_plan.columnar._backends import lazy_frame
from beijing_plan.columnar._checks_leaves import PART_FIELDS, exploded
from beijing_plan.columnar._checks_records import gathered_probe, record_items
from beijing_plan.columnar._checks_rules import Translation, counts_of
from beijing_plan.columnar._checks_sets import SETS, hashed_sets
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Ledger, Observation, StatusChange
from beijing_plan.model import Baseline, Measure, Milestone, Plan, Policy, Target, Task, Theme
from helpers import count

#: Polars frames eager and lazy (a query over a frame), pyarrow Tables, pandas and DuckDB.
BACKENDS = ("polars", "lazy", "arrow", "pandas", "duckdb")
Frames = tuple[pl.DataFrame, pl.DataFrame]


def small_plan(plan_id: str = "p1") -> Plan:
    """A measure target, a task with two targets and a milestone, a trajectory, two policies."""
    return Plan(
        plan_id,
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        themes=[Theme("econ", "Economy"), Theme("tech", "Technology", parent="econ")],
        measures=[
            Measure(
                "m1",
                1,
                "Measure one",
                themes={"econ"},
                targets=[Target("g-m1", "Firms", "at_least", count(60))],
                tasks=[
                    Task(
                        "t1",
                        "Task one",
                        themes={"tech"},
                        targets=[
                            Target(
                                "g1",
                                "Funds",
                                "at_least",
                                count(100),
                                baseline=Baseline(count(40), "2024-12-31"),
                                aggregation="sum",
                            ),
                            Target("g2", "Share", "between", count(10), upper=count(20)),
                        ],
                        milestones=[Milestone("ms1", "Launch")],
                    ),
                    Task("t2", "Task two", trajectory=[("2025-04-01", 0.5)]),
                ],
            ),
            Measure("m2", 2, "Measure two", tasks=[Task("t3", "Task three")]),
        ],
        policies=[
            Policy("pa", "Policy A", measures=("m1", "m2")),
            Policy("pb", "Policy B"),
        ],
    )


def small_ledger() -> Ledger:
    return Ledger(
        [
            Observation("g-m1", "2025-03-01", count(30)),
            Observation("g1", "2025-02-01", count(20)),
            Observation("g2", "2025-02-01", count(15)),
            StatusChange("ms1", "2025-05-01", "done"),
            StatusChange("t2", "2025-02-01", "in_progress", percent=40),
            StatusChange("pa", "2025-06-01", "done"),
        ]
    )


@pytest.fixture(scope="module")
def frames() -> Frames:
    tables = to_tables([small_plan()], [small_ledger()])
    leaves, records = pl.from_arrow(tables.leaves), pl.from_arrow(tables.records)
    assert isinstance(leaves, pl.DataFrame)
    assert isinstance(records, pl.DataFrame)
    return leaves, records


def native(frame: pl.DataFrame, backend: str, connection: Any = None) -> Any:
    if backend == "polars":
        return frame
    if backend == "lazy":
        return frame.lazy().select(pl.all())
    if backend == "arrow":
        return frame.to_arrow()
    if backend == "pandas":
        return frame.to_pandas()
    return (connection or duckdb).from_arrow(frame.to_arrow())


def problems(leaves: pl.DataFrame, records: pl.DataFrame, backend: str) -> list[tuple[str, str]]:
    """The problems ``check_tables`` reports for the two tables on ``backend``."""
    connection = duckdb.connect() if backend == "duckdb" else None
    try:
        check_tables(native(leaves, backend, connection), native(records, backend, connection))
    except PlanValidationError as error:
        return error.problems
    return []


def where(column: str, value: str) -> pl.Expr:
    return pl.col(column) == value


def set_at(frame: pl.DataFrame, row: pl.Expr, **values: Any) -> pl.DataFrame:
    """``frame`` with the columns of ``values`` set on the rows where ``row`` holds."""
    return frame.with_columns(
        **{
            name: pl.when(row).then(pl.lit(value, dtype=frame.schema[name])).otherwise(pl.col(name))
            for name, value in values.items()
        }
    )


def set_part(frame: pl.DataFrame, part: str, **values: Any) -> pl.DataFrame:
    """``frame`` with fields of the part ``part`` (in any leaf's ``parts``) set."""
    rows = frame.to_dicts()
    for row in rows:
        for item in row["parts"]:
            if item["id"] == part:
                item.update(values)
    return pl.DataFrame(rows, schema=frame.schema)


def set_list(frame: pl.DataFrame, leaf: str, column: str, value: list[Any]) -> pl.DataFrame:
    rows = frame.to_dicts()
    for row in rows:
        if row["leaf"] == leaf:
            row[column] = value
    return pl.DataFrame(rows, schema=frame.schema)


def set_lists(frame: pl.DataFrame, theme_set: int, themes: list[Any]) -> pl.DataFrame:
    """``frame`` with the themes of every leaf of ``theme_set`` set alike."""
    rows = frame.to_dicts()
    for row in rows:
        if row["theme_set"] == theme_set:
            row["themes"] = themes
    return pl.DataFrame(rows, schema=frame.schema)


Change = Callable[[pl.DataFrame, pl.DataFrame], Frames]


def on_leaves(change: Callable[[pl.DataFrame], pl.DataFrame]) -> Change:
    return lambda leaves, records: (change(leaves), records)


def on_records(change: Callable[[pl.DataFrame], pl.DataFrame]) -> Change:
    return lambda leaves, records: (leaves, change(records))


def theme_cells(leaves: pl.DataFrame, leaf: str) -> list[dict[str, Any]]:
    cells = leaves.filter(where("leaf", leaf))["themes"].to_list()[0]
    assert isinstance(cells, list)
    return cells


#: Each case: a change that breaks one promise, and the one problem it gives.
CASES: dict[str, tuple[Change, str, str]] = {
    "negative weight": (
        on_leaves(lambda f: set_at(f, where("leaf", "t2"), weight=-1.0)),
        "leaves.weight",
        "-1.0 is not a number of 0 or more (plan 'p1', leaf 't2')",
    ),
    "infinite weight": (
        on_leaves(lambda f: set_at(f, where("leaf", "t2"), weight=math.inf)),
        "leaves.weight",
        "inf is not a number of 0 or more (plan 'p1', leaf 't2')",
    ),
    "missing due date": (
        on_leaves(lambda f: set_at(f, where("leaf", "t3"), due=None)),
        "leaves.due",
        "is missing (plan 'p1', leaf 't3')",
    ),
    "unknown leaf kind": (
        on_leaves(lambda f: set_at(f, where("leaf", "t3"), kind="Task")),
        "leaves.kind",
        "'Task' is not 'task', 'policy' or 'target' (plan 'p1', leaf 't3')",
    ),
    "a measure target without its part": (
        on_leaves(lambda f: set_at(f, where("leaf", "g-m1"), parts=[])),
        "leaves.parts",
        "a measure's own target is a leaf with exactly one part, itself (plan 'p1', leaf 'g-m1')",
    ),
    "a policy with a part": (
        on_leaves(
            lambda f: set_list(
                f, "pa", "parts", [{"id": "pm", "key": 100, "kind": "milestone", "weight": 1.0}]
            )
        ),
        "leaves.parts",
        "a policy has no parts (plan 'p1', leaf 'pa')",
    ),
    "negative part weight": (
        on_leaves(lambda f: set_part(f, "ms1", weight=-2.0)),
        "leaves.parts.weight",
        "-2.0 is not a number of 0 or more (plan 'p1', leaf 't1', id 'ms1')",
    ),
    "unknown comparator": (
        on_leaves(lambda f: set_part(f, "g1", comparator="more")),
        "leaves.parts.comparator",
        "'more' is not 'at_least', 'at_most', 'exactly' or 'between' "
        "(plan 'p1', leaf 't1', id 'g1')",
    ),
    "unknown aggregation": (
        on_leaves(lambda f: set_part(f, "g1", aggregation="total")),
        "leaves.parts.aggregation",
        "'total' is not 'last', 'sum', 'max', 'min' or 'mean' (plan 'p1', leaf 't1', id 'g1')",
    ),
    "a target without a value": (
        on_leaves(lambda f: set_part(f, "g1", value=None)),
        "leaves.parts.value",
        "is missing (plan 'p1', leaf 't1', id 'g1')",
    ),
    "between without an upper bound": (
        on_leaves(lambda f: set_part(f, "g2", upper=None)),
        "leaves.parts.upper",
        "a 'between' target needs one (plan 'p1', leaf 't1', id 'g2')",
    ),
    "an upper bound below the value": (
        on_leaves(lambda f: set_part(f, "g2", upper=5.0)),
        "leaves.parts.upper",
        "5.0 is not a number at or above the target's value (plan 'p1', leaf 't1', id 'g2')",
    ),
    "an upper bound on at_least": (
        on_leaves(lambda f: set_part(f, "g1", upper=500.0)),
        "leaves.parts.upper",
        "500.0 only a 'between' target has an upper bound (plan 'p1', leaf 't1', id 'g1')",
    ),
    "a baseline without its date": (
        on_leaves(lambda f: set_part(f, "g1", baseline_on=None)),
        "leaves.parts.baseline_on",
        "a baseline has a value and a date, or neither (plan 'p1', leaf 't1', id 'g1')",
    ),
    "a fraction above 1": (
        on_leaves(
            lambda f: set_list(
                f, "t2", "trajectory", [{"on": dt.date(2025, 4, 1), "fraction": 1.5}]
            )
        ),
        "leaves.trajectory.fraction",
        "1.5 is not between 0 and 1 (plan 'p1', leaf 't2')",
    ),
    "two points on one day": (
        on_leaves(
            lambda f: set_list(
                f,
                "t2",
                "trajectory",
                [
                    {"on": dt.date(2025, 4, 1), "fraction": 0.2},
                    {"on": dt.date(2025, 4, 1), "fraction": 0.5},
                ],
            )
        ),
        "leaves.trajectory.on",
        "2025-04-01 has two points or more (plan 'p1', leaf 't2')",
    ),
    "a measure set with two lists": (
        on_leaves(lambda f: set_list(f, "t2", "measures", ["m2"])),
        "leaves.measure_set",
        "0 is shared by leaves with different measures",
    ),
    "a theme set with two lists": (
        on_leaves(lambda f: set_list(f, "t3", "themes", theme_cells(f, "t1"))),
        "leaves.theme_set",
        "4 is shared by leaves with different themes",
    ),
    "a measure listed twice": (
        on_leaves(lambda f: set_list(f, "pb", "measures", ["m2", "m2"])),
        "leaves.measures",
        "'m2' lists one item twice (plan 'p1', leaf 'pb')",
    ),
    "a theme with two parents": (
        on_leaves(
            lambda f: set_lists(
                f,
                f.filter(where("leaf", "t2"))["theme_set"].item(),
                [
                    {"id": "econ", "parent": None, "depth": 0, "direct": True},
                    {"id": "tech", "parent": None, "depth": 0, "direct": True},
                ],
            )
        ),
        "leaves.themes",
        "the theme is given two parents or depths (plan 'p1', id 'tech')",
    ),
    "a theme without its parent": (
        on_leaves(
            lambda f: set_list(
                f, "t1", "themes", [{"id": "tech", "parent": "econ", "depth": 1, "direct": True}]
            )
        ),
        "leaves.themes.parent",
        "'econ' is not among the leaf's themes (plan 'p1', leaf 't1', id 'tech')",
    ),
    "a theme called direct above a listed sub-theme": (
        on_leaves(
            lambda f: set_list(
                f,
                "t1",
                "themes",
                [
                    {"id": "econ", "parent": None, "depth": 0, "direct": True},
                    {"id": "tech", "parent": "econ", "depth": 1, "direct": True},
                ],
            )
        ),
        "leaves.themes.direct",
        "is true, but the leaf lists a sub-theme of the theme (plan 'p1', leaf 't1', id 'econ')",
    ),
    "a theme not called direct without a listed sub-theme": (
        on_leaves(
            lambda f: set_list(
                f,
                "t1",
                "themes",
                [
                    {"id": "econ", "parent": None, "depth": 0, "direct": False},
                    {"id": "tech", "parent": "econ", "depth": 1, "direct": False},
                ],
            )
        ),
        "leaves.themes.direct",
        "is false, but the leaf lists no sub-theme of the theme (plan 'p1', leaf 't1', id 'tech')",
    ),
    "a status in capitals": (
        on_records(lambda f: set_at(f, where("item", "ms1"), status="Done")),
        "records.status",
        "'Done' is not 'not_started', 'in_progress', 'done' or 'cancelled' "
        "(plan 'p1', item 'ms1', on 2025-05-01)",
    ),
    "a percent above 100": (
        on_records(lambda f: set_at(f, where("item", "t2"), percent=150.0)),
        "records.percent",
        "150.0 is not between 0 and 100 (plan 'p1', item 't2', on 2025-02-01)",
    ),
    "an unknown record kind": (
        on_records(lambda f: set_at(f, where("item", "g1"), kind="obs")),
        "records.kind",
        "'obs' is not 'observation', 'status' or 'revision' (plan 'p1', item 'g1', on 2025-02-01)",
    ),
    "a seq of 2**32": (
        on_records(lambda f: set_at(f, where("item", "t2"), seq=2**32)),
        "records.seq",
        "4294967296 is not from 0 to 2**32 - 1 (plan 'p1', item 't2', on 2025-02-01)",
    ),
    "a negative seq": (
        on_records(lambda f: set_at(f, where("item", "t2"), seq=-1)),
        "records.seq",
        "-1 is not from 0 to 2**32 - 1 (plan 'p1', item 't2', on 2025-02-01)",
    ),
    "an observation without a value": (
        on_records(lambda f: set_at(f, where("item", "g1"), value=None)),
        "records.value",
        "an observation needs one (plan 'p1', item 'g1', on 2025-02-01)",
    ),
    "an observation with a status": (
        on_records(lambda f: set_at(f, where("item", "g1"), status="done")),
        "records.status",
        "'done' an observation has none (plan 'p1', item 'g1', on 2025-02-01)",
    ),
    "a status change with a value": (
        on_records(lambda f: set_at(f, where("item", "t2"), value=3.0)),
        "records.value",
        "3.0 a status change has none (plan 'p1', item 't2', on 2025-02-01)",
    ),
    "a record twice": (
        on_records(lambda f: pl.concat([f, f.filter(where("item", "t2"))])),
        "records.seq",
        "4 is given to two records of the item that day (plan 'p1', item 't2', on 2025-02-01)",
    ),
    "a key that names nothing": (
        on_records(lambda f: set_at(f, where("item", "t2"), key=999)),
        "records.key",
        "999 is the key of no leaf or part (plan 'p1', item 't2', on 2025-02-01)",
    ),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_promise_is_named(frames: Frames, case: str, backend: str) -> None:
    change, path, message = CASES[case]
    leaves, records = change(*frames)
    assert problems(leaves, records, backend) == [(path, message)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_valid_tables_pass(frames: Frames, backend: str) -> None:
    assert problems(*frames, backend) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_status_on_a_target_names_the_kind(frames: Frames, backend: str) -> None:
    """A status change keyed to a target: the key is another item's, of the wrong kind."""
    leaves, records = frames
    target = leaves.filter(where("leaf", "g-m1"))["key"].item()
    found = problems(leaves, set_at(records, where("item", "t2"), key=target), backend)
    assert found == [
        (
            "records.key",
            f"{target} is the key of another item (plan 'p1', item 't2', on 2025-02-01)",
        ),
        (
            "records.kind",
            "'status' is not the kind of record its item takes (targets are observed; tasks, "
            "policies and milestones change status) (plan 'p1', item 't2', on 2025-02-01)",
        ),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_part_with_its_tasks_key(frames: Frames, backend: str) -> None:
    """The milestone takes its task's key, which two items now share.

    Records are matched to items only once keys are unique: the milestone's
    records, whose key now names nothing, are not reported as well.
    """
    leaves, records = frames
    task = leaves.filter(where("leaf", "t1"))["key"].item()
    assert problems(set_part(leaves, "ms1", key=task), records, backend) == [
        (
            "leaves.parts.key",
            f"{task} is the key of the part's task: a part needs a key of its own "
            "(plan 'p1', leaf 't1', id 'ms1')",
        ),
        ("leaves.key", f"{task} is given to more than one item (plan 'p1', id 'ms1')"),
    ]


def polars_problems(
    leaves: pl.DataFrame, records: pl.DataFrame, *, by_position: bool
) -> list[tuple[str, str]]:
    """The problems the polars checks report, records matched by position or by a join."""
    left, _ = lazy_frame(leaves, "leaves", LEAVES_SCHEMA)
    right, _ = lazy_frame(records, "records", RECORDS_SCHEMA)
    try:
        _checks.check_tables(left, right, by_position=by_position)
    except PlanValidationError as error:
        return error.problems
    return []


def by_position_taken(leaves: pl.DataFrame, records: pl.DataFrame) -> bool:
    """Whether the polars checks find each record's item by its position in these tables."""
    left, _ = lazy_frame(leaves, "leaves", LEAVES_SCHEMA)
    right, _ = lazy_frame(records, "records", RECORDS_SCHEMA)
    items = record_items(left, exploded(left, "parts", PART_FIELDS))
    return gathered_probe(items, right) is not None


def shifted_keys(leaves: pl.DataFrame, records: pl.DataFrame) -> Frames:
    """The tables with every key one more: no item has key 0, so no key is a position."""
    parts = pl.col("parts").list.eval(pl.element().struct.with_fields(pl.field("key") + 1))
    return (
        leaves.with_columns(pl.col("key") + 1, parts),
        records.with_columns(pl.col("key") + 1),
    )


@pytest.mark.parametrize("case", list(CASES))
def test_records_matched_by_position_or_by_a_join_give_one_verdict(
    frames: Frames, case: str
) -> None:
    """Each broken promise is named alike whether records are gathered or joined."""
    change, path, message = CASES[case]
    leaves, records = change(*frames)
    gathered = polars_problems(leaves, records, by_position=True)
    assert gathered == polars_problems(leaves, records, by_position=False)
    assert gathered == [(path, message)]


def test_keys_that_run_from_0_are_matched_by_position(frames: Frames) -> None:
    """Keys as to_tables numbers them are positions; a gap, a repeat or a null is not."""
    leaves, records = frames
    assert by_position_taken(leaves, records)
    assert not by_position_taken(*shifted_keys(leaves, records))
    assert not by_position_taken(set_at(leaves, where("leaf", "t2"), key=None), records)
    task = leaves.filter(where("leaf", "t1"))["key"].item()
    assert not by_position_taken(set_part(leaves, "ms1", key=task), records)


@pytest.mark.parametrize(
    "change",
    [
        lambda leaves, records: (leaves, set_at(records, where("item", "t2"), key=-1)),
        lambda leaves, records: (leaves, set_at(records, where("item", "t2"), key=None)),
        lambda leaves, records: (leaves, set_at(records, where("item", "g1"), item="g2")),
        lambda leaves, records: (leaves, set_at(records, where("item", "g1"), plan="p2")),
        lambda leaves, records: (
            leaves,
            set_at(records, where("item", "t2"), kind="revision", value=2.0, status=None),
        ),
        shifted_keys,
    ],
)
def test_records_named_wrongly_give_one_verdict_by_position_or_by_a_join(
    frames: Frames, change: Change
) -> None:
    """Keys below 0, null keys, another item's id or plan, a task's value revised."""
    leaves, records = change(*frames)
    gathered = polars_problems(leaves, records, by_position=True)
    assert gathered == polars_problems(leaves, records, by_position=False)
    assert gathered == problems(leaves, records, "pandas")


#: The one theme of the leaves of theme set 1 (g-m1 and t2) in the small plan.
ECON = {"id": "econ", "parent": None, "depth": 0, "direct": True}


@pytest.mark.parametrize(
    "themes",
    [
        [{**ECON, "id": "tech"}],
        [{**ECON, "parent": "econ"}],
        [{**ECON, "depth": 1}],
        [{**ECON, "direct": False}],
        [None],
        [],
        None,
    ],
)
def test_a_theme_list_that_differs_in_any_field_splits_its_set(
    frames: Frames, themes: list[Any] | None
) -> None:
    """Polars hashes the lists of a set element by element: every field of a theme counts."""
    leaves, records = frames
    assert theme_cells(leaves, "t2") == [ECON]
    changed = set_list(leaves, "t2", "themes", themes)  # type: ignore[arg-type]
    for backend in ("polars", "pandas"):
        found = problems(changed, records, backend)
        assert ("leaves.theme_set", "1 is shared by leaves with different themes") in found


def test_a_theme_list_in_another_order_or_with_a_repeat_splits_its_set_on_polars(
    frames: Frames,
) -> None:
    """Polars compares the lists of a set as sequences: order and repeats count."""
    leaves, records = frames
    listed = theme_cells(leaves, "t1")
    reordered = set_at(
        set_list(leaves, "t2", "themes", listed[::-1]), where("leaf", "t2"), theme_set=2
    )
    found = problems(reordered, records, "polars")
    assert ("leaves.theme_set", "2 is shared by leaves with different themes") in found
    found = problems(set_list(leaves, "t2", "themes", [ECON, ECON]), records, "polars")
    assert ("leaves.theme_set", "1 is shared by leaves with different themes") in found


@pytest.mark.parametrize("interleaved", [False, True])
def test_plans_counted_by_runs_then_by_names_as_by_names(interleaved: bool) -> None:
    """A set's plans, counted by the runs of rows they are in, are counted again by names.

    Two portfolios made apart share set numbers across their plans; interleaved,
    each plan's leaves are in several runs.
    """
    one = to_tables([small_plan("p1")], [small_ledger()])
    two = to_tables([small_plan("p2")], [small_ledger()])
    both = pl.from_arrow(pa.concat_tables([one.leaves, two.leaves]))
    assert isinstance(both, pl.DataFrame)
    if interleaved:
        half = both.height // 2
        both = both[
            [
                row
                for pair in zip(range(half), range(half, both.height), strict=True)
                for row in pair
            ]
        ]
    frame, _ = lazy_frame(both, "leaves", LEAVES_SCHEMA)
    for column, listed in SETS:
        by_runs = hashed_sets(frame, column, listed).to_native().collect()
        counted = _checks._by_name(frame, by_runs, column, listed)
        by_names = hashed_sets(frame, column, listed, by_run=False).to_native().collect()
        assert counted.sort(column).equals(by_names.sort(column))
        assert (counted["plans"] > 1).any()


@pytest.mark.parametrize("backend", BACKENDS)
def test_tables_of_two_calls_put_together_are_refused(backend: str) -> None:
    """Two portfolios made apart number keys and sets alike: concatenated, they clash."""
    one = to_tables([small_plan("p1")], [small_ledger()])
    two = to_tables([small_plan("p2")], [small_ledger()])
    leaves = pl.from_arrow(pa.concat_tables([one.leaves, two.leaves]))
    records = pl.from_arrow(pa.concat_tables([one.records, two.records]))
    assert isinstance(leaves, pl.DataFrame)
    assert isinstance(records, pl.DataFrame)
    paths = [path for path, _ in problems(leaves, records, backend)]
    assert paths == [
        "leaves.measure_set",
        "leaves.theme_set",
        "records.seq",
        "leaves.key",
    ]
    found = dict(problems(leaves, records, backend))
    # Nine items a plan: six leaves, and two targets and a milestone of t1.
    assert re.fullmatch(
        r"\d+ is given to more than one item \(plan 'p1', id '[\w-]+'\); 9 keys in all",
        found["leaves.key"],
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_many_bad_rows_are_counted(frames: Frames, backend: str) -> None:
    leaves, records = frames
    ((path, message),) = problems(
        leaves, set_at(records, pl.col("kind") == "status", percent=-5.0), backend
    )
    assert path == "records.percent"
    assert re.fullmatch(r"-5\.0 is not between 0 and 100 \(plan 'p1', .*\); 3 rows in all", message)


def test_wrong_types_are_named_before_values_are_read(frames: Frames) -> None:
    leaves, records = frames
    leaves = leaves.with_columns(pl.col("weight").cast(pl.String), pl.col("key").cast(pl.Float64))
    records = records.with_columns(pl.col("on").cast(pl.String))
    with pytest.raises(PlanValidationError) as caught:
        check_tables(leaves, records)
    assert caught.value.problems == [
        ("leaves.key", "the column is of type Float64, where a whole number type is needed"),
        ("leaves.weight", "the column is of type String, where a number type is needed"),
        ("records.on", "the column is of type String, where a date type is needed"),
    ]


def test_nested_fields_are_typed(frames: Frames) -> None:
    leaves, records = frames
    rows = leaves.to_dicts()
    for row in rows:
        row["parts"] = [{**part, "weight": str(part["weight"])} for part in row["parts"]]
    schema = dict(leaves.schema)
    part = schema["parts"]
    assert isinstance(part, pl.List)
    inner = part.inner
    assert isinstance(inner, pl.Struct)
    schema["parts"] = pl.List(
        pl.Struct(
            [pl.Field(f.name, pl.String if f.name == "weight" else f.dtype) for f in inner.fields]
        )
    )
    with pytest.raises(PlanValidationError) as caught:
        check_tables(pl.DataFrame(rows, schema=schema), records)
    assert caught.value.problems == [
        ("leaves.parts.weight", "the column is of type String, where a number type is needed")
    ]


def test_a_column_of_nulls_only_may_be_untyped(frames: Frames) -> None:
    """polars types a column built from Python ``None``s as Null: allowed where nulls are."""
    leaves, records = frames
    statuses = records.filter(pl.col("kind") == "status").with_columns(value=pl.lit(None))
    assert statuses.schema["value"] == pl.Null
    check_tables(leaves, statuses)


def test_pandas_columns_arrow_cannot_read_are_named(frames: Frames) -> None:
    leaves, records = frames
    table = leaves.to_pandas()
    table["weight"] = "heavy"
    with pytest.raises(PlanValidationError) as caught:
        check_tables(table, records.to_pandas())
    ((path, message),) = caught.value.problems
    assert path == "leaves.weight"
    assert message.startswith("cannot be read as double: ")


def test_duckdb_relations_of_two_connections_are_assessed(frames: Frames) -> None:
    leaves, records = frames
    one, two = duckdb.connect(), duckdb.connect()
    result = assess_tables(
        one.from_arrow(leaves.to_arrow()), two.from_arrow(records.to_arrow()), as_of="2025-07-01"
    )
    expected = assess_tables(leaves, records, as_of="2025-07-01")
    got = pl.from_arrow(result.to_arrow_table())
    assert isinstance(got, pl.DataFrame)
    assert got.sort("level", "id").equals(expected.sort("level", "id"))


def test_assess_tables_checks_unless_told_not_to(frames: Frames) -> None:
    leaves, records = frames
    doubled = pl.concat([records, records])
    with pytest.raises(PlanValidationError, match=r"records\.seq: .* is given to two records"):
        assess_tables(leaves, doubled, as_of="2025-07-01")
    # Unchecked, the repeated observations of the summed target are counted twice.
    once = assess_tables(leaves, records, as_of="2025-07-01", by="leaf", check=False)
    twice = assess_tables(leaves, doubled, as_of="2025-07-01", by="leaf", check=False)
    once, twice = once.filter(where("id", "t1")), twice.filter(where("id", "t1"))
    assert once["completion"].item() != twice["completion"].item()


@pytest.mark.parametrize("check", ["yes", 1, None])
def test_check_is_a_bool(frames: Frames, check: Any) -> None:
    with pytest.raises(PlanValidationError, match=r"^check: .* is not True or False$"):
        assess_tables(*frames, as_of="2025-07-01", check=check)


# The equality tests of test_columnar.py check every portfolio they draw, sorted;
# these draws add shuffled rows and pandas, a quarter as many.
@settings(max_examples=max(10, settings().max_examples // 4))
@given(bps.plans_and_ledgers(max_measures=3), st.randoms(use_true_random=False))
def test_valid_tables_pass_in_any_row_order(pair: tuple[Plan, Ledger], random: Any) -> None:
    """Tables from to_tables pass, sorted or shuffled (polars then takes its slower paths)."""
    tables = to_tables([pair[0]], [pair[1]])
    leaves, records = pl.from_arrow(tables.leaves), pl.from_arrow(tables.records)
    assert isinstance(leaves, pl.DataFrame)
    assert isinstance(records, pl.DataFrame)
    check_tables(leaves, records)
    shuffled = [
        frame[random.sample(range(frame.height), frame.height)] for frame in (leaves, records)
    ]
    check_tables(*shuffled)
    check_tables(pd.DataFrame(leaves.to_pandas()), pd.DataFrame(records.to_pandas()))


def test_polars_rules_are_translated_once(frames: Frames) -> None:
    """On polars each tuple of rules is translated once, and the translation is narwhals's own."""
    check_tables(*frames)
    before = counts_of.cache_info()
    check_tables(*frames)
    after = counts_of.cache_info()
    assert after.misses == before.misses
    assert after.hits > before.hits
    leaves, _ = lazy_frame(frames[0], "leaves", LEAVES_SCHEMA)
    probe = _checks_leaves.leaf_probe(leaves)
    translation = counts_of(probe.rules, polars=True)
    assert translation.translated("select")
    assert translation.select(leaves).collect().row(0) == tuple(
        leaves.select(*translation.exprs).collect().row(0)
    )


def test_a_translation_narwhals_does_not_make_is_not_used(frames: Frames) -> None:
    """Expressions whose plan differs from narwhals's own are given to narwhals each time."""
    leaves, _ = lazy_frame(frames[0], "leaves", LEAVES_SCHEMA)
    translation = Translation((nw.col("weight").sum(),))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_checks_rules, "_translate", lambda *_: None)
        assert translation.select(leaves).collect().item() == frames[0]["weight"].sum()
    assert not translation.translated("select")


@pytest.mark.parametrize("case", list(CASES))
def test_untranslated_checks_give_one_verdict(
    frames: Frames, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each broken promise is named alike with the rules translated once or by narwhals."""
    _named_alike(frames, case, lambda: monkeypatch.setattr(Translation, "_apply", _written))


@pytest.mark.parametrize("case", list(CASES))
def test_polars_engines_give_one_verdict(
    frames: Frames, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small tables are checked on polars's in-memory engine, large ones streamed: alike."""
    _named_alike(frames, case, lambda: monkeypatch.setattr(_checks, "STREAMED", 0))


def _written(*arguments: Any) -> Any:
    """`Translation._apply` as narwhals alone would: the step as written."""
    return arguments[4]()


def _named_alike(frames: Frames, case: str, change_checks: Callable[[], None]) -> None:
    """`case` is named by its path and message on polars, and so again after `change_checks`."""
    change, path, message = CASES[case]
    leaves, records = change(*frames)
    assert problems(leaves, records, "polars") == [(path, message)]
    change_checks()
    assert problems(leaves, records, "polars") == [(path, message)]


@pytest.mark.parametrize("streamed", [False, True])
def test_polars_engines_take_the_slower_paths_alike(
    streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reordered tables pass, and two portfolios put together clash alike, on either engine.

    Reversed, records are not in order; with keys shifted, keys are no positions
    (the items are joined); put together, sets span two runs of plans and keys are
    shared.
    """
    if streamed:
        monkeypatch.setattr(_checks, "STREAMED", 0)
    one = to_tables([small_plan("p1")], [small_ledger()])
    two = to_tables([small_plan("p2")], [small_ledger()])
    leaves = pl.from_arrow(pa.concat_tables([one.leaves, two.leaves]))
    records = pl.from_arrow(pa.concat_tables([one.records, two.records]))
    assert isinstance(leaves, pl.DataFrame)
    assert isinstance(records, pl.DataFrame)
    assert problems(leaves, records, "polars") == problems(leaves, records, "pandas")
    single, own = leaves[: one.leaves.num_rows], records.filter(where("plan", "p1"))
    check_tables(single.reverse(), own.reverse())
    check_tables(*shifted_keys(single, own))
