# ruff: noqa: RUF001 (expected Chinese output is written with full-width punctuation)
"""Knowledge time and corrections in assessments and their explanations (DESIGN section 10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import beijing_plan as bp
from beijing_plan import Ledger, Observation, StatusChange, Target, Task, Withdrawal
from helpers import count, one_measure_plan

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


# -- the rules of section 10, computed by hand ------------------------------------------
# The target asks for at least 200, so a figure c gives completion c / 200.


def completion(ledger: Ledger, as_of: str, known_at: str | None) -> float | None:
    """The completion of target `t`."""
    return bp.assess(PLAN, ledger, as_of=as_of, known_at=known_at)["t"].completion


def test_a_correction_that_changes_the_date() -> None:
    """A figure moved from 31 March to 15 April counts from its new day, once it is known."""
    moved = Observation("t", "2025-04-15", count(128), recorded="2025-04-20", supersedes="march")
    ledger = Ledger([MARCH, moved])
    assert completion(ledger, "2025-04-10", None) == 0.0  # March's figure is gone, April's later
    assert completion(ledger, "2025-04-10", "2025-04-19") == 128 / 200  # not corrected yet
    assert completion(ledger, "2025-04-30", None) == 128 / 200
    assessment = bp.assess(PLAN, ledger, as_of="2025-04-10")
    assert assessment["t"].coverage == 0.0


def test_a_correction_recorded_after_known_at() -> None:
    """Known the day before the correction was entered, the report gives the old figure."""
    ledger = Ledger([MARCH, FIXED])
    assert completion(ledger, "2025-04-30", "2025-05-09") == 128 / 200
    assert completion(ledger, "2025-04-30", "2025-05-10") == 132 / 200
    assert completion(ledger, "2025-04-30", None) == 132 / 200
    assert completion(ledger, "2025-04-30", "2025-04-04") == 0.0  # March's figure not yet in


def test_a_withdrawal_counts_from_its_day() -> None:
    """A withdrawn figure counts in reports made before the withdrawal, not after."""
    ledger = Ledger([MARCH, Withdrawal("march", "2025-06-01", reason="entered twice")])
    assert completion(ledger, "2025-06-30", "2025-05-31") == 128 / 200
    assert completion(ledger, "2025-06-30", "2025-06-01") == 0.0
    assert bp.assess(PLAN, ledger, as_of="2025-06-30")["t"].coverage == 0.0


def test_a_chain_of_two_corrections() -> None:
    """128 corrected to 132, then 132 to 130: each report gives what was known on its day."""
    first = Observation(
        "t", "2025-03-31", count(132), recorded="2025-05-10", id="fixed", supersedes="march"
    )
    second = Observation("t", "2025-03-31", count(130), recorded="2025-06-01", supersedes="fixed")
    ledger = Ledger([MARCH, first, second])
    assert completion(ledger, "2025-06-30", None) == 130 / 200
    assert completion(ledger, "2025-06-30", "2025-05-31") == 132 / 200
    assert completion(ledger, "2025-06-30", "2025-04-30") == 128 / 200


# -- every error, in a fresh interpreter and from the command line ------------------------


def observation(value: int, **fields: str) -> dict[str, object]:
    """An observation document of target `t` (on 31 March unless `on` is given)."""
    on = fields.pop("on", "2025-03-31")
    value_doc = {"value": str(value), "unit": "count"}
    return {"kind": "observation", "item": "t", "on": on, "value": value_doc, **fields}


ERRORS: dict[str, tuple[list[dict[str, object]], tuple[str, str]]] = {
    "recorded before on": (
        [observation(128, recorded="2025-03-30")],
        ("records[0].recorded", "recorded 2025-03-30 is before on 2025-03-31"),
    ),
    "duplicate id": (
        [observation(128, id="march"), observation(130, on="2025-04-30", id="march")],
        ("records[1].id", "'march' is also the id of records[0]"),
    ),
    "unknown supersedes": (
        [observation(128, supersedes="nope")],
        ("records[0].supersedes", "'nope' is not the id of a record in the ledger"),
    ),
    "another item": (
        [
            observation(128, id="march"),
            {
                "kind": "status",
                "item": "a",
                "on": "2025-04-01",
                "status": "done",
                "supersedes": "march",
            },
        ],
        (
            "records[1].supersedes",
            "'march' is records[0], an Observation of 't'; a correction is about the same item",
        ),
    ),
    "cycle": (
        [observation(1, id="a", supersedes="b"), observation(2, id="b", supersedes="a")],
        ("records[0].supersedes", "corrections form a cycle: 'a' -> 'b' -> 'a'"),
    ),
    "two corrections": (
        [
            observation(128, id="march"),
            observation(130, supersedes="march"),
            observation(131, supersedes="march"),
        ],
        ("records[2].supersedes", "'march' is already corrected or withdrawn by records[1]"),
    ),
    "withdrawal of an unknown record": (
        [{"kind": "withdrawal", "record": "nope", "on": "2025-06-01"}],
        ("records[0].record", "'nope' is not the id of a record in the ledger"),
    ),
}


def document(records: list[dict[str, object]]) -> str:
    return json.dumps({"schema": "beijing-plan/1", "records": records})


def test_every_error_is_named_by_loads_in_a_fresh_interpreter() -> None:
    """Each bad link or date is refused by `loads` with its record's path, and nothing else."""
    texts = [document(records) for records, _ in ERRORS.values()]
    script = (
        "import json, sys\n"
        "import beijing_plan as bp\n"
        "out = []\n"
        "for text in json.loads(sys.stdin.read()):\n"
        "    try:\n"
        "        bp.loads(text, bp.Ledger)\n"
        "        out.append(None)\n"
        "    except bp.PlanValidationError as error:\n"
        "        out.append(error.problems)\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    got = json.loads(done.stdout)
    assert [[tuple(p) for p in problems] for problems in got] == [
        [problem] for _, problem in ERRORS.values()
    ]


def test_every_error_is_named_by_validate(tmp_path: Path) -> None:
    """`beijing-plan validate` prints each file's problem with its path and exits 1."""
    paths = []
    for i, (records, _) in enumerate(ERRORS.values()):
        path = tmp_path / f"ledger{i}.json"
        path.write_text(document(records), encoding="utf-8")
        paths.append(path)
    done = subprocess.run(
        [sys.executable, "-m", "beijing_plan", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"{path}: {where}: {message}"
        for path, (_, (where, message)) in zip(paths, ERRORS.values(), strict=True)
    ]
