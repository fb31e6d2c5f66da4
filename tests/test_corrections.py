"""Knowledge time and corrections: record links, `Ledger.known_at` and `assess(known_at=)`."""

from __future__ import annotations

import pytest

import beijing_plan as bp
from beijing_plan import (
    Ledger,
    Observation,
    PlanValidationError,
    Quantity,
    Revision,
    StatusChange,
    Task,
    Withdrawal,
)
from helpers import one_measure_plan


def count(value: int) -> Quantity:
    return Quantity(value, "count")


def values(ledger: Ledger) -> list[int]:
    return [int(r.value.value) for r in ledger if isinstance(r, Observation)]


MARCH = Observation("t", "2025-03-31", count(128), recorded="2025-04-05", id="march")
FIXED = Observation(
    "t", "2025-03-31", count(132), recorded="2025-05-10", supersedes="march", reason="late returns"
)


def test_a_correction_replaces_the_record_it_names() -> None:
    """With everything known, the corrected figure counts and the old one does not."""
    assert values(Ledger([MARCH, FIXED]).known_at(None)) == [132]


def test_a_correction_entered_after_known_at_does_not_count_yet() -> None:
    """Known on a day before the correction was entered, the old figure stands."""
    ledger = Ledger([MARCH, FIXED])
    assert values(ledger.known_at("2025-05-09")) == [128]
    assert values(ledger.known_at("2025-05-10")) == [132]
    assert values(ledger.known_at("2025-04-04")) == []


def test_a_record_without_recorded_is_known_on_its_own_day() -> None:
    """`recorded=None` means the day `on`."""
    ledger = Ledger([Observation("t", "2025-03-31", count(5))])
    assert values(ledger.known_at("2025-03-30")) == []
    assert values(ledger.known_at("2025-03-31")) == [5]


def test_a_correction_may_change_the_date() -> None:
    """The correction's own date is the one that counts."""
    moved = Observation("t", "2025-02-28", count(128), recorded="2025-04-20", supersedes="march")
    (record,) = Ledger([MARCH, moved]).known_at(None)
    assert str(record.on) == "2025-02-28"


def test_a_chain_of_two_corrections_leaves_the_last() -> None:
    """Correcting a correction drops both earlier records."""
    second = Observation("t", "2025-03-31", count(130), recorded="2025-06-01", supersedes="fixed")
    first = Observation(
        "t", "2025-03-31", count(132), recorded="2025-05-10", id="fixed", supersedes="march"
    )
    ledger = Ledger([MARCH, first, second])
    assert values(ledger.known_at(None)) == [130]
    assert values(ledger.known_at("2025-05-31")) == [132]
    assert values(ledger.known_at("2025-04-30")) == [128]


def test_a_withdrawal_takes_a_record_back_from_its_day() -> None:
    """Before the withdrawal's day the record counts; from it on, it does not."""
    ledger = Ledger([MARCH, Withdrawal("march", "2025-06-01", reason="entered twice")])
    assert values(ledger.known_at("2025-05-31")) == [128]
    assert values(ledger.known_at("2025-06-01")) == []
    assert len(ledger.known_at(None)) == 0


@pytest.mark.parametrize(
    ("records", "problems"),
    [
        (
            [MARCH, Observation("t", "2025-04-30", count(1), id="march")],
            [("records[1].id", "'march' is also the id of records[0]")],
        ),
        (
            [Observation("t", "2025-04-30", count(1), supersedes="nope")],
            [("records[0].supersedes", "'nope' is not the id of a record in the ledger")],
        ),
        (
            [MARCH, Observation("u", "2025-04-30", count(1), supersedes="march")],
            [
                (
                    "records[1].supersedes",
                    "'march' is records[0], an Observation of 't'; "
                    "a correction is about the same item",
                )
            ],
        ),
        (
            [MARCH, StatusChange("t", "2025-04-30", "done", supersedes="march")],
            [
                (
                    "records[1].supersedes",
                    "'march' is records[0], an Observation of 't'; "
                    "a correction is about the same item",
                )
            ],
        ),
        (
            [MARCH, FIXED, Withdrawal("march", "2025-06-01")],
            [("records[2].record", "'march' is already corrected or withdrawn by records[1]")],
        ),
        (
            [Withdrawal("x", "2025-06-01", id="w"), Withdrawal("w", "2025-06-02")],
            [
                ("records[0].record", "'x' is not the id of a record in the ledger"),
                ("records[1].record", "'w' is records[0], a withdrawal; it cannot be withdrawn"),
            ],
        ),
        (
            [
                Observation("t", "2025-03-01", count(1), id="a", supersedes="b"),
                Observation("t", "2025-03-01", count(2), id="b", supersedes="a"),
            ],
            [("records[0].supersedes", "corrections form a cycle: 'a' -> 'b' -> 'a'")],
        ),
        (
            [Observation("t", "2025-03-01", count(1), id="a", supersedes="a")],
            [("records[0].supersedes", "corrections form a cycle: 'a' -> 'a'")],
        ),
    ],
)
def test_every_link_problem_is_named_at_its_record(
    records: list[bp.Record], problems: list[tuple[str, str]]
) -> None:
    """Duplicate ids, dangling, foreign, double and cyclic corrections are refused."""
    with pytest.raises(PlanValidationError) as caught:
        Ledger(records)
    assert caught.value.problems == problems


def test_recorded_before_on_is_refused() -> None:
    """A record cannot be entered before the day it describes."""
    with pytest.raises(PlanValidationError) as caught:
        Observation("t", "2025-03-31", count(1), recorded="2025-03-30")
    assert caught.value.problems == [("recorded", "recorded 2025-03-30 is before on 2025-03-31")]


def test_files_carry_the_new_fields_and_read_target_as_item() -> None:
    """A ledger with corrections, withdrawals and revisions round-trips; `target` still reads."""
    ledger = Ledger(
        [
            MARCH,
            Observation("t", "2025-04-30", count(140), id="april"),
            FIXED,
            Withdrawal("april", "2025-07-01"),
            Revision("t", "2025-05-01", due="2025-09-30", approved_by=["office"]),
        ]
    )
    text = bp.dumps(ledger)
    assert '"item": "t"' in text
    assert '"target"' not in text
    assert bp.loads(text, Ledger) == ledger
    old = text.replace('"item": "t"', '"target": "t"', 1)
    assert bp.loads(old, Ledger) == ledger


def test_item_and_target_together_are_refused() -> None:
    """An observation names its target once."""
    text = (
        '{"schema": "beijing-plan/1", "records": [{"kind": "observation", "item": "t", '
        '"target": "t", "on": "2025-01-01", "value": {"value": "1", "unit": "count"}}]}'
    )
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(text, Ledger)
    assert caught.value.problems == [
        ("records[0].target", "the target is given twice: as item and as target (keep item)")
    ]


def test_assess_known_at_reproduces_the_earlier_report() -> None:
    """`assess(..., known_at=K)` gives the figures reported on K, not the corrected ones."""
    task = Task("t1", "T1")
    plan = one_measure_plan(task)
    ledger = Ledger(
        [
            StatusChange(task.id, "2025-03-31", "in_progress", percent=40, id="q1"),
            StatusChange(
                task.id,
                "2025-03-31",
                "in_progress",
                percent=25,
                recorded="2025-05-02",
                supersedes="q1",
            ),
        ]
    )
    then = bp.assess(plan, ledger, as_of="2025-04-30", known_at="2025-04-30")
    now = bp.assess(plan, ledger, as_of="2025-04-30")
    assert then[task.id].completion == pytest.approx(0.40)
    assert now[task.id].completion == pytest.approx(0.25)


def test_revision_fields_must_fit_the_item() -> None:
    """A revision is checked against its item when the ledger is checked against the plan."""
    task = Task("t1", "T1")
    plan = one_measure_plan(task)
    ledger = Ledger([Revision(task.id, "2025-05-01", value=count(3))])
    with pytest.raises(PlanValidationError) as caught:
        ledger.check(plan)
    assert caught.value.problems == [("records[0].value", "a task has no value to revise")]


def test_a_revision_changes_something_and_keeps_its_own_dates_in_order() -> None:
    """An empty revision, or one with start after due, is refused."""
    with pytest.raises(PlanValidationError) as caught:
        Revision("t", "2025-05-01")
    assert caught.value.problems == [
        ("", "a revision changes at least one of start, due, value, upper, weight")
    ]
    with pytest.raises(PlanValidationError) as caught:
        Revision("t", "2025-05-01", start="2025-09-01", due="2025-08-01")
    assert caught.value.problems == [("start", "start 2025-09-01 is after due 2025-08-01")]


def test_a_cadence_names_a_known_period() -> None:
    """`Cadence.every` is month or quarter; `due_days` a whole number from 0."""
    assert bp.Cadence("quarter", 10).due_days == 10
    with pytest.raises(PlanValidationError) as caught:
        bp.Cadence("week")
    assert caught.value.problems == [("every", "'week' is not one of 'month', 'quarter'")]
    with pytest.raises(PlanValidationError) as caught:
        bp.Cadence("month", -1)
    assert caught.value.problems == [("due_days", "-1 is not between 0 and 366")]
