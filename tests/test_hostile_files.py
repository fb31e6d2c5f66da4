"""Tests of files that are not what their name says, and of writing through links.

Reading refuses what is not a regular file (a named pipe, a device behind a
symbolic link, a folder) and never reads past the size limit, in the library
and on the command line alike, within a bounded time. Writing follows symbolic
links to the file they name, keeps the file's permissions, refuses a read-only
file and a file with other hard links, and leaves nothing behind when it refuses.
"""

from __future__ import annotations

import errno
import importlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import beijing_plan as bp
from beijing_plan import Ledger, PlanValidationError, StatusChange, Task
from beijing_plan._reading import read_bytes
from beijing_plan.ledgerfile import LedgerFile
from beijing_plan.tables import read_tasks, write_tasks
from helpers import one_measure_plan, year_plan

pytestmark = pytest.mark.skipif(os.name != "posix", reason="named pipes, devices and modes")

formats = importlib.import_module("beijing_plan._formats")

PLAN = one_measure_plan(Task("a", "A"))
OTHER = year_plan("q", "Q")
LEDGER = Ledger([StatusChange("a", "2025-03-01", "done")])


def fifo(folder: Path, name: str) -> Path:
    """A named pipe called ``name`` in ``folder``, with no writer."""
    path = folder / name
    os.mkfifo(path)
    return path


def zero(folder: Path, name: str) -> Path:
    """A symbolic link called ``name`` to ``/dev/zero``, endless zero bytes."""
    path = folder / name
    path.symlink_to("/dev/zero")
    return path


def cli(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter (with a smaller size limit if given)."""
    patch = f"import beijing_plan._formats as f; f.MAX_BYTES = {limit}\n" if limit else ""
    code = patch + "import sys\nfrom beijing_plan.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    """Fail a test that takes more than 20 seconds instead of letting it hang."""

    def expire(signum: int, frame: object) -> None:
        msg = "the test took more than 20 seconds"
        raise TimeoutError(msg)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield None
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# -- reading -----------------------------------------------------------------------------------


def test_load_refuses_a_named_pipe_at_once(tmp_path: Path) -> None:
    """A named pipe with a ``.json`` name is refused without waiting for a writer."""
    path = fifo(tmp_path, "plan.json")
    with pytest.raises(PlanValidationError) as caught:
        bp.load(path)
    assert caught.value.problems == [(str(path), "is a named pipe (FIFO), not a regular file")]


def test_load_refuses_a_link_to_dev_zero(tmp_path: Path) -> None:
    """A symbolic link to ``/dev/zero`` is refused as a device, nothing read from it."""
    path = zero(tmp_path, "plan.json")
    with pytest.raises(PlanValidationError) as caught:
        bp.load(path)
    assert caught.value.problems == [(str(path), "is a character device, not a regular file")]


def test_load_refuses_a_folder(tmp_path: Path) -> None:
    """A folder with a ``.yaml`` name is refused as a folder."""
    path = tmp_path / "plan.yaml"
    path.mkdir()
    with pytest.raises(PlanValidationError) as caught:
        bp.load(path)
    assert caught.value.problems == [(str(path), "is a directory, not a regular file")]


def test_load_refuses_a_file_over_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file larger than the limit is refused with its size, before it is parsed."""
    path = tmp_path / "plan.json"
    bp.save(PLAN, path)
    size = path.stat().st_size
    monkeypatch.setattr(formats, "MAX_BYTES", size - 1)
    with pytest.raises(PlanValidationError) as caught:
        bp.load(path)
    message = f"is {size} bytes, more than the limit of {size - 1} for a document"
    assert caught.value.problems == [(str(path), message)]
    monkeypatch.setattr(formats, "MAX_BYTES", size)
    assert bp.load(path) == PLAN


def test_read_bytes_stops_at_the_limit_when_the_size_is_not_known(tmp_path: Path) -> None:
    """A regular file whose size the system does not report is still read only to the limit."""
    status = Path("/proc/self/status")
    if not status.exists() or status.stat().st_size != 0:
        pytest.skip("needs a procfs file that reports size 0")
    with pytest.raises(PlanValidationError) as caught:
        read_bytes(status, limit=10, what="sheet")
    assert caught.value.problems == [(str(status), "is more than 10 bytes, the limit for a sheet")]
    assert read_bytes(status, limit=1 << 20, what="sheet").startswith(b"Name:")


@pytest.mark.parametrize("name", ["tasks.csv", "tasks.xlsx"])
def test_sheet_readers_refuse_a_named_pipe_and_dev_zero(tmp_path: Path, name: str) -> None:
    """The task and progress sheet readers refuse a named pipe and a device at once."""
    from beijing_plan.tables import read_progress, read_tasks  # noqa: PLC0415 (the xlsx extra)

    pipe = fifo(tmp_path, name)
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(pipe, year=2025)
    assert caught.value.problems == [(str(pipe), "is a named pipe (FIFO), not a regular file")]
    with pytest.raises(PlanValidationError) as caught:
        read_progress(pipe)
    assert caught.value.problems == [(str(pipe), "is a named pipe (FIFO), not a regular file")]
    linked = zero(tmp_path, "zero-" + name)
    with pytest.raises(PlanValidationError) as caught:
        read_tasks(linked, year=2025)
    assert caught.value.problems == [(str(linked), "is a character device, not a regular file")]


def test_ledger_file_refuses_a_named_pipe_and_dev_zero(tmp_path: Path) -> None:
    """``LedgerFile.read`` refuses a named pipe and a link to a device at once."""
    for path, kind in (
        (fifo(tmp_path, "p.jsonl"), "a named pipe (FIFO)"),
        (zero(tmp_path, "z.jsonl"), "a character device"),
    ):
        with pytest.raises(PlanValidationError) as caught:
            LedgerFile(path).read()
        assert caught.value.problems == [(str(path), f"is {kind}, not a regular file")]


def test_ledger_file_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger file larger than the limit is refused before it is read whole."""
    log = LedgerFile(tmp_path / "p.jsonl")
    log.append(*LEDGER)
    size = log.path.stat().st_size
    monkeypatch.setattr(formats, "MAX_BYTES", 20)
    with pytest.raises(PlanValidationError) as caught:
        log.read()
    message = f"is {size} bytes, more than the limit of 20 for a ledger file"
    assert caught.value.problems == [(str(log.path), message)]


@pytest.mark.parametrize("name", ["plan.json", "progress.jsonl"])
def test_cli_refuses_a_named_pipe_in_one_line(tmp_path: Path, name: str) -> None:
    """``validate`` names a named pipe in one line, exits 1, and does not hang."""
    path = fifo(tmp_path, name)
    done = cli("validate", str(path))
    assert done.returncode == 1
    assert done.stdout == f"{path}: cannot read: is a named pipe (FIFO), not a regular file\n"
    assert done.stderr == ""


def test_cli_refuses_dev_zero_as_a_plan_in_one_line(tmp_path: Path) -> None:
    """``report --plan`` with a link to ``/dev/zero`` fails at once with one line on stderr."""
    path = zero(tmp_path, "plan.json")
    done = cli("report", "--plan", str(path))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"beijing-plan: error: cannot read {str(path)!r}: is a character device, "
        "not a regular file\n"
    )


def test_cli_refuses_a_folder_and_a_file_over_the_limit(tmp_path: Path) -> None:
    """A folder and a file over the limit are each named in one line, with no traceback."""
    folder = tmp_path / "plan.toml"
    folder.mkdir()
    big = tmp_path / "big.json"
    bp.save(PLAN, big)
    done = cli("validate", str(folder), str(big), limit=100)
    assert done.returncode == 1
    assert done.stdout == (
        f"{folder}: cannot read: is a directory, not a regular file\n"
        f"{big}: cannot read: is {big.stat().st_size} bytes, "
        "more than the limit of 100 for a document\n"
    )
    assert done.stderr == ""


# -- writing -----------------------------------------------------------------------------------


def test_save_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    """Saving to a symbolic link replaces its target's content and keeps the link."""
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    bp.save(PLAN, real)
    link.symlink_to(real.name)
    bp.save(OTHER, link)
    assert link.is_symlink()
    assert os.readlink(link) == "real.json"
    assert bp.load(real) == OTHER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_save_through_a_dangling_link_makes_its_target(tmp_path: Path) -> None:
    """A symbolic link to a file not yet made is kept, and the file is made."""
    link = tmp_path / "link.yaml"
    link.symlink_to("made.yaml")
    bp.save(PLAN, link)
    assert link.is_symlink()
    assert bp.load(tmp_path / "made.yaml") == PLAN


def test_save_refuses_a_read_only_file(tmp_path: Path) -> None:
    """A file with no write permission is refused by name and left as it was."""
    path = tmp_path / "plan.json"
    bp.save(PLAN, path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(PermissionError) as caught:
        bp.save(OTHER, path)
    assert caught.value.filename == str(path)
    assert caught.value.errno == errno.EACCES
    assert "read-only" in str(caught.value)
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_save_refuses_a_file_with_other_hard_links(tmp_path: Path) -> None:
    """A file with two names is refused, as a rename would part them; both keep their content."""
    path, other = tmp_path / "plan.json", tmp_path / "same.json"
    bp.save(PLAN, path)
    os.link(path, other)
    with pytest.raises(OSError, match="has 2 hard links") as caught:
        bp.save(OTHER, path)
    assert caught.value.filename == str(path)
    assert bp.load(path) == PLAN
    assert os.path.samefile(path, other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "same.json"]


def test_save_keeps_the_permissions_of_the_linked_file(tmp_path: Path) -> None:
    """The mode of the file a link names is kept, and a new file gets the umask's."""
    real, link = tmp_path / "real.toml", tmp_path / "link.toml"
    bp.save(PLAN, real)
    real.chmod(0o600)
    link.symlink_to(real)
    bp.save(OTHER, link)
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    mask = os.umask(0o022)
    try:
        bp.save(PLAN, tmp_path / "new.toml")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o644


def test_ledger_write_goes_through_a_link_and_refuses_read_only(tmp_path: Path) -> None:
    """``LedgerFile.write`` writes a link's target and refuses a read-only ledger."""
    real, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    LedgerFile(real).append(*LEDGER)
    link.symlink_to(real)
    LedgerFile(link).write(Ledger())
    assert link.is_symlink()
    assert LedgerFile(real).read() == Ledger()
    real.chmod(0o444)
    with pytest.raises(PermissionError) as caught:
        LedgerFile(link).write(LEDGER)
    assert caught.value.filename == str(real)
    assert LedgerFile(real).read() == Ledger()


def test_sheet_writer_goes_through_a_link(tmp_path: Path) -> None:
    """A task sheet written to a symbolic link lands in the file it names."""
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    tasks = [Task("1", "One"), Task("2", "Two")]
    write_tasks(tasks, real)
    link.symlink_to(real)
    write_tasks(tasks[:1], link)
    assert link.is_symlink()
    assert read_tasks(real, year=None) == tuple(tasks[:1])


def test_parquet_writer_goes_through_links_and_refuses_read_only(tmp_path: Path) -> None:
    """``write_parquet`` writes through links to its files and refuses a read-only one."""
    columnar = pytest.importorskip("beijing_plan.columnar")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "tables"
    folder.mkdir()
    first = columnar.to_tables([PLAN], [LEDGER])
    first.write_parquet(elsewhere)
    for name in ("leaves.parquet", "records.parquet"):
        (folder / name).symlink_to(elsewhere / name)
    second = columnar.to_tables([PLAN], [Ledger()])
    second.write_parquet(folder)
    assert (folder / "records.parquet").is_symlink()
    assert columnar.Tables.read_parquet(elsewhere).records.num_rows == 0
    (elsewhere / "leaves.parquet").chmod(0o444)
    with pytest.raises(PermissionError) as caught:
        first.write_parquet(folder)
    assert caught.value.filename == str(elsewhere / "leaves.parquet")


def test_save_refuses_to_replace_a_named_pipe(tmp_path: Path) -> None:
    """Saving over a named pipe refuses it by name instead of replacing it with a file."""
    path = fifo(tmp_path, "plan.json")
    with pytest.raises(OSError, match="not a regular file") as caught:
        bp.save(PLAN, path)
    assert caught.value.filename == str(path)
    assert stat.S_ISFIFO(path.lstat().st_mode)


def test_cli_fifo_check_takes_no_time(tmp_path: Path) -> None:
    """A named pipe given as a ledger makes ``report`` fail at once, in a bounded time."""
    path = fifo(tmp_path, "progress.json")
    script = textwrap.dedent(
        f"""
        import sys
        from beijing_plan.cli import main
        sys.exit(main(["report", "--ledger", {str(path)!r}, "--as-of", "2025-06-30"]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
