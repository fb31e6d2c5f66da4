"""Tests of the JSON Lines ledger file: appends, concurrency, torn lines, recovery."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from beijing_plan import Ledger, Observation, PlanValidationError, Quantity, StatusChange
from beijing_plan.ledgerfile import LedgerFile, LedgerFileWarning


def records(n: int, prefix: str = "t") -> list[Observation | StatusChange]:
    """``n`` alternating records naming ids that start with ``prefix``."""
    out: list[Observation | StatusChange] = []
    for i in range(n):
        if i % 2:
            out.append(
                Observation(f"{prefix}-g{i}", "2025-03-01", Quantity(i, "count"), note="说明")
            )
        else:
            out.append(StatusChange(f"{prefix}-{i}", "2025-03-01", "in_progress", percent=i % 100))
    return out


def test_append_and_read_back(tmp_path: Path) -> None:
    """Records appended in several calls read back in order, Chinese intact."""
    log = LedgerFile(tmp_path / "p.jsonl")
    batch = records(5)
    log.append(*batch[:2])
    log.append(*batch[2:])
    log.append()
    assert log.read() == Ledger(batch)
    lines = (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"schema":"beijing-plan/1","kind":"ledger"}'
    assert len(lines) == 6
    assert "说明" in lines[2]


def test_append_refuses_non_records(tmp_path: Path) -> None:
    """Appending something that is not a record writes nothing."""
    log = LedgerFile(tmp_path / "p.jsonl")
    with pytest.raises(PlanValidationError, match=r"records\[1\]"):
        log.append(records(1)[0], "oops")  # type: ignore[arg-type]
    assert not (tmp_path / "p.jsonl").exists()


def test_write_replaces_the_whole_file(tmp_path: Path) -> None:
    """write() replaces the file atomically with the given ledger."""
    log = LedgerFile(tmp_path / "p.jsonl")
    log.append(*records(3))
    log.write(Ledger(records(1)))
    assert len(log.read()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["p.jsonl"]


def test_torn_last_line_is_named_and_recovered(tmp_path: Path) -> None:
    """A torn last line raises with its number; recover skips it and says so."""
    path = tmp_path / "p.jsonl"
    log = LedgerFile(path)
    log.append(*records(3))
    with open(path, "ab") as stream:
        stream.write(b'{"kind": "status", "item": "t-9", "on": "2025-0')
    with pytest.raises(PlanValidationError, match="line 5: the line is torn"):
        log.read()
    with pytest.warns(LedgerFileWarning, match="skipped 1 bad line"):
        recovered = log.read(recover=True)
    assert len(recovered) == 3
    assert [s.number for s in log.skipped] == [5]


def test_append_after_a_torn_line_keeps_the_new_record(tmp_path: Path) -> None:
    """A record appended after a crash starts on its own line and is not lost."""
    path = tmp_path / "p.jsonl"
    log = LedgerFile(path)
    log.append(*records(2))
    with open(path, "ab") as stream:
        stream.write(b'{"kind": "sta')
    log.append(StatusChange("t-new", "2025-04-01", "done"))
    with pytest.warns(LedgerFileWarning):
        recovered = log.read(recover=True)
    assert [r.on.month for r in recovered] == [3, 3, 4]
    assert [s.number for s in log.skipped] == [4]


def test_corrupt_lines_are_each_reported(tmp_path: Path) -> None:
    """Every bad line is reported at once with its number and reason."""
    path = tmp_path / "p.jsonl"
    LedgerFile(path).append(*records(2))
    with open(path, "ab") as stream:
        stream.write(b"not json\n")
        stream.write(b'{"kind": "status", "item": "t", "on": "2025-13-01", "status": "done"}\n')
        stream.write(b'{"kind": "status", "item": "t", "on": "2025-01-01", "status": "\xff"}\n')
    with pytest.raises(PlanValidationError) as error:
        LedgerFile(path).read()
    paths = [p for p, _ in error.value.problems]
    assert paths == ["line 4", "line 5: on", "line 6"]


def test_missing_or_foreign_header_is_refused(tmp_path: Path) -> None:
    """A file without the ledger header, or of another schema, is refused."""
    path = tmp_path / "p.jsonl"
    path.write_text('{"kind": "status"}\n', encoding="utf-8")
    with pytest.raises(PlanValidationError, match=r"line 1: .* is not a ledger header"):
        LedgerFile(path).read()
    path.write_text('{"schema": "beijing-plan/9", "kind": "ledger"}\n', encoding="utf-8")
    with pytest.raises(PlanValidationError, match="'beijing-plan/9' is not a schema"):
        LedgerFile(path).read()


def _append_many(path: str, prefix: str, count: int, per_call: int) -> None:
    log = LedgerFile(path)
    batch = records(count, prefix)
    for start in range(0, count, per_call):
        log.append(*batch[start : start + per_call])


@pytest.mark.parametrize("touched", [False, True])
def test_four_processes_appending_at_once_lose_nothing(tmp_path: Path, touched: bool) -> None:
    """Four processes appending concurrently leave every record, each intact.

    Whether the file is missing or empty at first, it ends with one header.
    """
    path = tmp_path / "shared.jsonl"
    if touched:
        path.touch()
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_append_many, args=(os.fspath(path), f"w{i}", 400, 3))
        for i in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    ledger = LedgerFile(path).read()
    assert len(ledger) == 1600
    for i in range(4):
        mine = [
            r
            for r in ledger
            if isinstance(r, StatusChange | Observation) and r.item.startswith(f"w{i}-")
        ]
        assert len(mine) == 400
    header_lines = path.read_bytes().count(b'"kind":"ledger"')
    assert header_lines == 1


def test_an_empty_file_is_a_ledger_not_yet_begun(tmp_path: Path) -> None:
    """A file made empty beforehand (``touch``) reads as empty and gets its header."""
    path = tmp_path / "p.jsonl"
    path.touch()
    log = LedgerFile(path)
    assert log.read() == Ledger()
    log.append(*records(2))
    log.append(*records(1, prefix="u"))
    assert path.read_bytes().startswith(b'{"schema":"beijing-plan/1","kind":"ledger"}\n')
    assert path.read_bytes().count(b'"kind":"ledger"') == 1
    assert list(log.read()) == records(2) + records(1, prefix="u")


def test_write_refuses_what_is_not_a_record(tmp_path: Path) -> None:
    """Nothing is written, and the old file stays, when ``write`` gets a non-record."""
    log = LedgerFile(tmp_path / "p.jsonl")
    log.write(Ledger(records(2)))
    before = log.path.read_bytes()
    with pytest.raises(PlanValidationError) as caught:
        log.write([records(1)[0], 5])  # type: ignore[list-item]
    assert caught.value.problems == [
        ("records[1]", "5 is not a record (Observation, StatusChange, Withdrawal, Revision)")
    ]
    assert log.path.read_bytes() == before
    log.write(records(3))  # a plain list of records is a ledger too
    assert list(log.read()) == records(3)
