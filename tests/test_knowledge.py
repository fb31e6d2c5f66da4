# ruff: noqa: RUF001 (expected Chinese output is written with full-width punctuation)
"""Knowledge time and corrections in assessments and their explanations (DESIGN section 10)."""

from __future__ import annotations

import pytest
from tests.helpers import count, one_measure_plan

import beijing_plan as bp
from beijing_plan import Ledger, Observation, StatusChange, Target, Task, Withdrawal

TARGET = Target("t", "Companies", "at_least", count(200))
PLAN = one_measure_plan(targets=[TARGET])
MARCH = Observation("t", "2025-03-31", count(128), recorded="2025-04-05", id="march")
FIXED = Observation(
    "t", "2025-03-31", count(132), recorded="2025-05-10", supersedes="march", reason="late returns"
)


def lines(ledger: Ledger, *, known_at: str | None = None, lang: str = "en") -> list[str]:
    """The explanation of target `t` as of 2025-06-30, line by line."""
    assessment = bp.assess(PLAN, ledger, as_of="2025-06-30", known_at=known_at)
    return assessment["t"].explain(lang).splitlines()


def test_an_explanation_names_the_record_a_figure_corrects() -> None:
    """The figure that counts because it corrects another says what it corrects, and why."""
    text = lines(Ledger([MARCH, FIXED]))
    assert "Observations counted up to 2025-06-30: 2025-03-31: 132" in text
    assert "Record of 2025-03-31: 132, corrects 128 recorded 2025-04-05: late returns" in text


def test_a_chinese_explanation_names_the_correction() -> None:
    """The Chinese text says the same with the words of the words module."""
    text = lines(Ledger([MARCH, FIXED]), lang="zh")
    assert "2025-03-31 的记录：132，更正 2025-04-05 录入的 128：late returns" in text


def test_an_explanation_with_known_at_says_whose_knowledge_it_uses() -> None:
    """Known on a day before the correction, the old figure counts and nothing is corrected."""
    text = lines(Ledger([MARCH, FIXED]), known_at="2025-05-01")
    assert text[1] == (
        "Known at 2025-05-01: records entered after that day, corrections and withdrawals "
        "included, are left out"
    )
    assert "Observations counted up to 2025-06-30: 2025-03-31: 128" in text
    assert not any("corrects" in line for line in text)
    zh = lines(Ledger([MARCH, FIXED]), known_at="2025-05-01", lang="zh")
    assert zh[1] == "按 2025-05-01 已知的记录：其后录入的记录、更正和撤回都不计入"


def test_an_explanation_names_a_correction_that_moves_the_date() -> None:
    """When the correction changes the day, the explanation gives the corrected record's day."""
    moved = Observation(
        "t", "2025-02-28", count(128), recorded="2025-04-20", supersedes="march", reason="wrong day"
    )
    text = lines(Ledger([MARCH, moved]))
    assert "Observations counted up to 2025-06-30: 2025-02-28: 128" in text
    assert (
        "Record of 2025-02-28: 128, corrects 128 of 2025-03-31 recorded 2025-04-05: wrong day"
        in text
    )


def test_an_explanation_follows_a_chain_of_two_corrections() -> None:
    """A correction of a correction names both records it replaces, latest first."""
    first = Observation(
        "t",
        "2025-03-31",
        count(132),
        recorded="2025-05-10",
        id="fixed",
        supersedes="march",
        reason="late returns",
    )
    second = Observation("t", "2025-03-31", count(130), recorded="2025-06-01", supersedes="fixed")
    text = lines(Ledger([MARCH, first, second]))
    assert (
        "Record of 2025-03-31: 130, corrects 132 recorded 2025-05-10; "
        "that corrected 128 recorded 2025-04-05: late returns"
    ) in text


def test_an_explanation_names_a_withdrawn_record() -> None:
    """A record taken back is named with the day it was withdrawn and the reason."""
    ledger = Ledger(
        [
            MARCH,
            Observation("t", "2025-04-30", count(150), id="april"),
            Withdrawal("april", "2025-05-20", reason="entered twice"),
        ]
    )
    text = lines(ledger)
    assert "Observations counted up to 2025-06-30: 2025-03-31: 128" in text
    assert (
        "Withdrawn on 2025-05-20: the record of 2025-04-30, 150, recorded 2025-04-30: "
        "entered twice; it does not count"
    ) in text
    assert "2025-05-20 撤回：2025-04-30 的记录 150（2025-04-30 录入）：entered twice，不计入" in (
        lines(ledger, lang="zh")
    )
    before = lines(ledger, known_at="2025-05-19")
    assert not any(line.startswith("Withdrawn") for line in before)
    assert "Observations counted up to 2025-06-30: 2025-03-31: 128, 2025-04-30: 150" in before


def test_a_status_correction_is_named_with_its_percent() -> None:
    """A corrected status change shows the status and percent it replaces."""
    task = Task("a", "A")
    plan = one_measure_plan(task)
    ledger = Ledger(
        [
            StatusChange("a", "2025-03-31", "in_progress", percent=40, id="q1"),
            StatusChange(
                "a",
                "2025-03-31",
                "in_progress",
                percent=25,
                recorded="2025-05-02",
                supersedes="q1",
                reason="recounted",
            ),
        ]
    )
    text = bp.assess(plan, ledger, as_of="2025-06-30")["a"].explain().splitlines()
    assert (
        "Record of 2025-03-31: in_progress 25%, corrects in_progress 40% recorded 2025-03-31: "
        "recounted"
    ) in text


def test_a_correction_dated_after_as_of_is_not_named() -> None:
    """Only records that count up to the date are explained."""
    late = Observation("t", "2025-07-31", count(140), recorded="2025-08-02", id="july")
    fixed = Observation("t", "2025-07-31", count(141), recorded="2025-08-09", supersedes="july")
    text = lines(Ledger([MARCH, late, fixed]))
    assert not any("corrects" in line for line in text)


def test_a_reason_is_shown_escaped() -> None:
    """A reason with control characters stays on its line."""
    fixed = Observation(
        "t", "2025-03-31", count(132), recorded="2025-05-10", supersedes="march", reason="a\nb"
    )
    text = lines(Ledger([MARCH, fixed]))
    assert "Record of 2025-03-31: 132, corrects 128 recorded 2025-04-05: a\\x0ab" in text


@pytest.mark.parametrize("known_at", [None, "2025-12-31"])
def test_without_corrections_explanations_say_nothing_new(known_at: str | None) -> None:
    """A ledger without links explains as before: no correction or withdrawal line."""
    text = lines(Ledger([Observation("t", "2025-03-31", count(128))]), known_at=known_at)
    assert not any("corrects" in line or "Withdrawn" in line for line in text)
    assert any(line.startswith("Known at") for line in text) == (known_at is not None)
