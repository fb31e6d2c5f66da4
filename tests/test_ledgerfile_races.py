"""Tests of a ledger file shared by threads and processes, and of the header ``append`` checks.

Every append that returns lands in the file exactly once, whether threads or
processes append to a file not yet made, or ``update`` rewrites the file while
others append. ``append`` refuses a file that is not a ledger of this schema and
leaves it as it was.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

import beijing_plan as bp
from beijing_plan import Ledger, Plan, PlanValidationError, StatusChange
from beijing_plan.ledger import Record
from beijing_plan.ledgerfile import LedgerFile

HEADER = b'{"schema":"beijing-plan/1","kind":"ledger"}\n'


def change(item: str) -> StatusChange:
    """A status change of ``item``, whose id tells which writer made it."""
    return StatusChange(item, "2025-03-01", "in_progress", percent=50)


def items(ledger: Ledger) -> list[str]:
    """The ids the ledger's records name, in file order."""
    return [record.item for record in ledger if isinstance(record, StatusChange)]


def _append_from_threads(path: str, prefix: str, threads: int, count: int) -> None:
    """Append ``count`` records from each of ``threads`` threads, one record a call."""
    log = LedgerFile(path)
    failures: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(thread: int) -> None:
        start.wait()
        try:
            for i in range(count):
                log.append(change(f"{prefix}t{thread}-{i}"))
        except BaseException as error:  # reported below, in the caller
            failures.append(error)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    if failures:
        raise failures[0]


def _update_repeatedly(path: str, times: int) -> None:
    """Add a record of its own to the ledger ``times`` times, each by read-modify-write."""
    log = LedgerFile(path)
    for i in range(times):
        mark = change(f"fix-{i}")

        def add(ledger: Ledger, mark: StatusChange = mark) -> list[Record]:
            return [*ledger, mark]

        log.update(add)


def _run(processes: list[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * len(processes)


def test_threads_appending_to_a_new_file_each_land_once(tmp_path: Path) -> None:
    """Eight threads appending at once to a file not yet made: no error, no loss, one header."""
    for run in range(100):
        path = tmp_path / f"run{run}.jsonl"
        _append_from_threads(os.fspath(path), "", threads=8, count=1)
        assert sorted(items(LedgerFile(path).read())) == [f"t{t}-0" for t in range(8)]
        assert path.read_bytes().startswith(HEADER)
        assert path.read_bytes().count(b'"kind":"ledger"') == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"run{r}.jsonl" for r in range(100))


def test_threads_of_several_processes_each_land_once(tmp_path: Path) -> None:
    """Three processes of four threads, appending to a new file, leave every record once."""
    path = tmp_path / "shared.jsonl"
    context = multiprocessing.get_context("spawn")
    _run(
        [
            context.Process(target=_append_from_threads, args=(os.fspath(path), f"p{p}", 4, 25))
            for p in range(3)
        ]
    )
    expected = [f"p{p}t{t}-{i}" for p in range(3) for t in range(4) for i in range(25)]
    assert sorted(items(LedgerFile(path).read())) == sorted(expected)
    assert path.read_bytes().count(b'"kind":"ledger"') == 1


def test_appends_during_updates_are_never_lost(tmp_path: Path) -> None:
    """Appends from three processes and rewrites from a fourth: every record is there once."""
    path = tmp_path / "shared.jsonl"
    context = multiprocessing.get_context("spawn")
    appenders = [
        context.Process(target=_append_from_threads, args=(os.fspath(path), f"p{p}", 2, 100))
        for p in range(3)
    ]
    updater = context.Process(target=_update_repeatedly, args=(os.fspath(path), 100))
    _run([updater, *appenders])
    expected = [f"p{p}t{t}-{i}" for p in range(3) for t in range(2) for i in range(100)]
    expected += [f"fix-{i}" for i in range(100)]
    assert sorted(items(LedgerFile(path).read())) == sorted(expected)


def test_an_append_waiting_on_a_rewrite_goes_into_the_new_file(tmp_path: Path) -> None:
    """An append that opened the file just before it was replaced appends to the new file."""
    log = LedgerFile(tmp_path / "p.jsonl")
    log.append(change("old"))
    holder = os.open(log.path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a rewrite holds it
    appender = threading.Thread(target=log.append, args=(change("late"),))
    appender.start()
    time.sleep(0.3)  # the appender has opened the old file and waits for the lock
    replacement = tmp_path / "new.jsonl"
    LedgerFile(replacement).write([change("rewritten")])
    os.replace(replacement, log.path)
    os.close(holder)
    appender.join(timeout=10)
    assert not appender.is_alive()
    assert items(log.read()) == ["rewritten", "late"]


def test_update_sees_and_keeps_what_was_appended(tmp_path: Path) -> None:
    """``update`` hands the current ledger to the change and writes what it returns."""
    log = LedgerFile(tmp_path / "p.jsonl")
    assert log.update(lambda ledger: [*ledger, change("a")]) == Ledger([change("a")])
    log.append(change("b"))

    def drop_a(ledger: Ledger) -> list[Record]:
        return [record for record in ledger if getattr(record, "item", None) != "a"]

    assert items(log.update(drop_a)) == ["b"]
    assert items(log.read()) == ["b"]


def test_update_leaves_the_file_when_the_change_fails(tmp_path: Path) -> None:
    """A change that raises, or returns what is not records, leaves the file as it was."""
    log = LedgerFile(tmp_path / "p.jsonl")
    log.append(change("a"))
    before = log.path.read_bytes()

    def fail(ledger: Ledger) -> Ledger:
        raise RuntimeError(len(ledger))

    with pytest.raises(RuntimeError):
        log.update(fail)
    with pytest.raises(PlanValidationError) as caught:
        log.update(lambda ledger: [5])  # type: ignore[list-item]
    assert caught.value.problems == [
        ("records[0]", "5 is not a record (Observation, StatusChange, Withdrawal, Revision)")
    ]
    assert log.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.jsonl"]


# -- the header ---------------------------------------------------------------------------------


def test_append_refuses_a_plan_file(tmp_path: Path) -> None:
    """Appending to a plan document is refused with the file's path; the plan stays whole."""
    path = tmp_path / "plan.json"
    bp.save(Plan("p", "P", start="2025-01-01", end="2025-12-31"), path)
    before = path.read_bytes()
    with pytest.raises(PlanValidationError) as caught:
        LedgerFile(path).append(change("a"))
    expected = "line 1: '{' is not a ledger header (" + HEADER.decode().strip() + ")"
    assert caught.value.problems == [(str(path), expected)]
    assert path.read_bytes() == before


def test_append_refuses_a_ledger_of_another_schema(tmp_path: Path) -> None:
    """A ledger of another schema version is refused by path and left unchanged."""
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"schema": "beijing-plan/9", "kind": "ledger"}\n')
    with pytest.raises(PlanValidationError) as caught:
        LedgerFile(path).append(change("a"))
    message = "line 1: 'beijing-plan/9' is not a schema this version reads ('beijing-plan/1')"
    assert caught.value.problems == [(str(path), message)]
    assert path.read_bytes() == b'{"schema": "beijing-plan/9", "kind": "ledger"}\n'


def test_a_header_with_a_byte_order_mark_reads_and_takes_appends(tmp_path: Path) -> None:
    """A header after a UTF-8 byte-order mark is a header, as ``load`` reads one."""
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER)
    log = LedgerFile(path)
    assert log.read() == Ledger()
    log.append(change("a"))
    assert items(log.read()) == ["a"]
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + HEADER + b'{"kind":"status","item":"a",')
    assert data.count(b"\n") == 2


def test_append_into_a_missing_folder_names_the_ledger(tmp_path: Path) -> None:
    """The error of a folder that does not exist names the ledger, not a temporary file."""
    path = tmp_path / "missing" / "p.jsonl"
    with pytest.raises(FileNotFoundError) as caught:
        LedgerFile(path).append(change("a"))
    assert caught.value.filename == str(path)
    assert list(tmp_path.iterdir()) == []
