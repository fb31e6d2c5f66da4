"""Tests of the progress ledger."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beijing_plan import (
    Ledger,
    Measure,
    Observation,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Status,
    StatusChange,
    Target,
    Task,
    UnknownReferenceError,
)


def small_plan() -> Plan:
    """A plan with one task, one target and one policy."""
    return Plan(
        "p",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m1",
                1,
                "M",
                tasks=[
                    Task("t1", "T", targets=[Target("g1", "G", "at_least", Quantity(60, "家"))])
                ],
            )
        ],
        policies=[Policy("p1", "P")],
    )


def test_append_returns_a_new_ledger() -> None:
    """Appending leaves the original ledger unchanged."""
    empty = Ledger()
    one = empty.append(StatusChange("t1", "2025-01-05", "in_progress"))
    assert len(empty) == 0
    assert len(one) == 1
    record = next(iter(one))
    assert isinstance(record, StatusChange)
    assert record.status is Status.IN_PROGRESS


def test_latest_date_wins_and_same_day_later_record_wins() -> None:
    """Among records of an item the latest date wins; on one date the later record wins."""
    ledger = Ledger(
        [
            StatusChange("t1", "2025-05-01", "done"),
            StatusChange("t1", "2025-03-01", "in_progress", percent=30),
            StatusChange("t1", "2025-05-01", "in_progress", percent=90),
        ]
    )
    latest = ledger.latest_status("t1")
    assert latest is not None
    assert latest.percent == 90.0
    earlier = ledger.latest_status("t1", as_of="2025-04-30")
    assert earlier is not None
    assert earlier.percent == 30.0
    assert ledger.latest_status("t1", as_of="2025-02-01") is None


def test_observations_are_filtered_by_date() -> None:
    """Only observations on or before as_of are returned, oldest first."""
    ledger = Ledger(
        [
            Observation("g1", "2025-06-01", Quantity(30, "count")),
            Observation("g1", "2025-03-01", Quantity(10, "count")),
            StatusChange("t1", "2025-03-01", "in_progress"),
        ]
    )
    assert [o.value.value for o in ledger.observations("g1")] == [10, 30]
    assert len(ledger.observations("g1", as_of="2025-05-31")) == 1
    assert len(ledger.until("2025-03-01")) == 2


def test_percent_must_be_between_0_and_100() -> None:
    """A reported percent outside 0..100 is refused, naming the field."""
    with pytest.raises(PlanValidationError) as error:
        StatusChange("t1", "2025-01-01", "in_progress", percent=101)
    assert error.value.problems[0][0] == "percent"
    with pytest.raises(PlanValidationError):
        StatusChange("t1", "2025-01-01", "in_progress", percent=float("nan"))


def test_unknown_status_is_refused() -> None:
    """A status must be one of the four."""
    with pytest.raises(PlanValidationError, match="'finished' is not one of"):
        StatusChange("t1", "2025-01-01", "finished")


def test_check_lists_every_unknown_or_misdirected_record() -> None:
    """check() reports each record naming an unknown id or the wrong kind of item."""
    ledger = Ledger(
        [
            Observation("g1", "2025-02-01", Quantity(5, "count")),
            Observation("ghost", "2025-02-01", Quantity(5, "count")),
            StatusChange("nobody", "2025-02-01", "done"),
            Observation("t1", "2025-02-01", Quantity(5, "count")),
            StatusChange("m1", "2025-02-01", "done"),
            Observation("g1", "2025-02-01", Quantity(5, "yuan")),
        ]
    )
    with pytest.raises(UnknownReferenceError) as error:
        ledger.check(small_plan())
    assert [path for path, _ in error.value.problems] == [
        "records[1].target",
        "records[2].item",
        "records[3].target",
        "records[4].item",
        "records[5].value",
    ]


def test_check_passes_a_good_ledger() -> None:
    """A ledger whose records all resolve passes check()."""
    Ledger([Observation("g1", "2025-02-01", Quantity(5, "家"))]).check(small_plan())


@given(st.permutations(list(range(6))))
def test_grouping_orders_by_date_whatever_the_ledger_order(order: list[int]) -> None:
    """Records of distinct dates are ordered by date whatever order they were appended in."""
    records = [
        StatusChange("t1", f"2025-0{1 + i}-01", "in_progress", percent=10 * i) for i in order
    ]
    grouped = Ledger(records).for_item("t1")
    assert [r.on.month for r in grouped] == [1, 2, 3, 4, 5, 6]
