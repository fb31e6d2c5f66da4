"""A ledger file checks the ids and corrections of what it is given against what it holds."""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest

from beijing_plan import Observation, PlanValidationError, StatusChange, Withdrawal
from beijing_plan.ledgerfile import LedgerFile, LedgerFileWarning
from helpers import count

MARCH = Observation("t", "2025-03-31", count(128), recorded="2025-04-05", id="march")


def fix(value: int = 132, *, reason: str | None = None) -> Observation:
    """A correction of the March figure of target `t`, entered in May."""
    return Observation(
        "t", "2025-03-31", count(value), recorded="2025-05-10", supersedes="march", reason=reason
    )


def started(tmp_path: Path) -> LedgerFile:
    """A ledger file holding the March figure (line 2) and a status of task `a` (line 3)."""
    log = LedgerFile(tmp_path / "progress.jsonl")
    log.append(MARCH, StatusChange("a", "2025-03-01", "done", id="a-done"))
    return log


def test_a_correction_appended_reads_back_as_the_figure_that_counts(tmp_path: Path) -> None:
    """An append that corrects a record in the file is kept, and read back with its links."""
    log = started(tmp_path)
    log.append(fix(reason="late returns"))
    ledger = log.read()
    assert len(ledger) == 3
    assert [int(r.value.value) for r in ledger.observations("t")] == [132]


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (
            Observation("t", "2025-04-30", count(1), id="march"),
            ("records[0].id", "'march' is also the id of line 2"),
        ),
        (
            Observation("t", "2025-04-30", count(1), supersedes="nope"),
            ("records[0].supersedes", "'nope' is not the id of a record in {file}"),
        ),
        (
            StatusChange("b", "2025-04-30", "done", supersedes="a-done"),
            (
                "records[0].supersedes",
                "'a-done' is line 3, a StatusChange of 'a'; a correction is about the same item",
            ),
        ),
        (
            Withdrawal("nope", "2025-06-01"),
            ("records[0].record", "'nope' is not the id of a record in {file}"),
        ),
    ],
)
def test_an_append_that_breaks_a_link_is_refused(
    tmp_path: Path, record: Observation, problem: tuple[str, str]
) -> None:
    """A duplicate id, an unknown or foreign correction is refused and the file stays as it was."""
    log = started(tmp_path)
    before = log.path.read_bytes()
    with pytest.raises(PlanValidationError) as caught:
        log.append(record)
    path, message = problem
    assert caught.value.problems == [(path, message.format(file=log.path))]
    assert log.path.read_bytes() == before


def test_an_append_correcting_a_corrected_record_is_refused(tmp_path: Path) -> None:
    """A record is corrected once; the second correction names the first by its line."""
    log = started(tmp_path)
    log.append(fix())
    before = log.path.read_bytes()
    with pytest.raises(PlanValidationError) as caught:
        log.append(fix(133))
    assert caught.value.problems == [
        ("records[0].supersedes", "'march' is already corrected or withdrawn by line 4")
    ]
    assert log.path.read_bytes() == before


def test_the_records_of_one_append_are_checked_together(tmp_path: Path) -> None:
    """Two records of one call that correct the same record: the second is refused."""
    log = started(tmp_path)
    before = log.path.read_bytes()
    with pytest.raises(PlanValidationError) as caught:
        log.append(Observation("t", "2025-04-30", count(9)), fix(), fix(133))
    assert caught.value.problems == [
        ("records[2].supersedes", "'march' is already corrected or withdrawn by records[1]")
    ]
    assert log.path.read_bytes() == before


def test_a_first_append_is_checked_too(tmp_path: Path) -> None:
    """An append to a file not yet made checks its records among themselves."""
    log = LedgerFile(tmp_path / "new.jsonl")
    with pytest.raises(PlanValidationError) as caught:
        log.append(fix())
    assert caught.value.problems == [
        ("records[0].supersedes", f"'march' is not the id of a record in {log.path}")
    ]
    assert not log.path.exists()


def test_reading_names_a_broken_link_by_its_line(tmp_path: Path) -> None:
    """A file written by another program with a double correction is refused at its line."""
    log = started(tmp_path)
    with log.path.open("ab") as stream:
        stream.write(
            b'{"kind":"observation","item":"t","on":"2025-03-31","value":{"value":"1",'
            b'"unit":"count"},"supersedes":"march"}\n'
            b'{"kind":"observation","item":"t","on":"2025-03-31","value":{"value":"2",'
            b'"unit":"count"},"supersedes":"march"}\n'
        )
    with pytest.raises(PlanValidationError) as caught:
        log.read()
    assert caught.value.problems == [
        ("line 5: supersedes", "'march' is already corrected or withdrawn by line 4")
    ]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ledger = log.read(recover=True)
    assert [w.category for w in seen] == [LedgerFileWarning]
    assert [s.number for s in log.skipped] == [5]
    assert [int(r.value.value) for r in ledger.observations("t")] == [1]


def test_recovering_skips_what_a_skipped_line_leaves_dangling(tmp_path: Path) -> None:
    """A correction of a torn record is skipped with it, so what is read is a valid ledger."""
    path = tmp_path / "torn.jsonl"
    path.write_bytes(
        b'{"schema":"beijing-plan/1","kind":"ledger"}\n'
        b'{"kind":"observation","item":"t","on":"2025-03-31","value":{"value":"1",'
        b'"unit":"count"},"id":"a"}\n'
        b'{"kind":"observation","item":"t","on":"2025-03-31","value":{"value":"2",'
        b'"unit":"count"},"id":"a"}\n'
        b'{"kind":"withdrawal","record":"a","on":"2025-06-01"}\n'
    )
    log = LedgerFile(path)
    with pytest.raises(PlanValidationError) as caught:
        log.read()
    assert caught.value.problems == [("line 3: id", "'a' is also the id of line 2")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LedgerFileWarning)
        ledger = log.read(recover=True)
    assert len(ledger) == 2
    assert len(ledger.known_at(None)) == 0


def _correct_each(paths: list[str], value: int, start: Any, results: Any) -> None:
    """For each file in turn, wait for the other side, then try to correct its March figure;
    report what happened."""
    for path in paths:
        start.wait(timeout=20)
        try:
            LedgerFile(path).append(fix(value))
        except PlanValidationError as error:
            results.put((path, "refused", value, error.problems))
        else:
            results.put((path, "kept", value, []))


def _race(tmp_path: Path, context: Any, rounds: int) -> None:
    """Two workers of `context` correct the same record of each of `rounds` files at once;
    exactly one of them is kept each time, and the other is told why."""
    logs = []
    for round_ in range(rounds):
        folder = tmp_path / str(round_)
        folder.mkdir()
        logs.append(started(folder))
    paths = [os.fspath(log.path) for log in logs]
    start, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_correct_each, args=(paths, value, start, results))
        for value in (131, 133)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=30) for _ in range(2 * rounds)]
    for worker in workers:
        worker.join(timeout=30)
    assert [getattr(worker, "exitcode", 0) for worker in workers] == [0, 0]  # threads have none
    for log in logs:
        mine = [o[1:] for o in outcomes if o[0] == os.fspath(log.path)]
        assert sorted(kind for kind, _, _ in mine) == ["kept", "refused"]
        (kept,) = [value for kind, value, _ in mine if kind == "kept"]
        (problems,) = [p for kind, _, p in mine if kind == "refused"]
        assert problems == [
            ("records[0].supersedes", "'march' is already corrected or withdrawn by line 4")
        ]
        assert [int(r.value.value) for r in log.read().observations("t")] == [kept]


class _Threads:
    """Threads in the place of processes, for `_race`."""

    Barrier = threading.Barrier
    Queue = queue.Queue

    @staticmethod
    def Process(target: Any, args: tuple[Any, ...]) -> threading.Thread:  # noqa: N802
        return threading.Thread(target=target, args=args)


def test_two_threads_correcting_one_record_one_wins(tmp_path: Path) -> None:
    """Of two threads that correct the same record at once, exactly one is kept."""
    _race(tmp_path, _Threads, rounds=40)


def test_two_processes_correcting_one_record_one_wins(tmp_path: Path) -> None:
    """Of two processes that correct the same record at once, exactly one is kept."""
    _race(tmp_path, multiprocessing.get_context("spawn"), rounds=40)
