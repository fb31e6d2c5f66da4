"""A ledger kept durably in a JSON Lines file, safe for concurrent appenders.

The file's first line is a header, ``{"schema": "beijing-plan/1", "kind":
"ledger"}``; every further line is one record in the wire format of
:mod:`beijing_plan.convert`. ``append`` writes all its records with a single
``write`` on a descriptor opened with ``O_APPEND``, then flushes them to disk, so
records from several processes appending at once never interleave and none is
lost. A crash can leave at most a torn last line; ``read`` names it, and
``read(recover=True)`` skips it (and any other bad line) and says what it skipped.
An empty file (made beforehand with ``touch``, say) reads as an empty ledger,
and the first append writes its header.

>>> import tempfile, pathlib
>>> from beijing_plan import StatusChange
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> log = LedgerFile(folder / "progress.jsonl")
>>> log.append(StatusChange("t1", "2025-03-01", "in_progress", percent=20))
>>> len(log.read())
1
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows has no fcntl)
    fcntl = None  # type: ignore[assignment]

import attrs

from ._atomic import replacing
from ._formats import MAX_BYTES, decode
from .convert import structure_record, unstructure
from .exceptions import PlanError, PlanValidationError
from .files import SCHEMA
from .ledger import Ledger, Record

__all__ = ["LedgerFile", "LedgerFileWarning", "SkippedLine"]

_HEADER = {"schema": SCHEMA, "kind": "ledger"}


class LedgerFileWarning(UserWarning):
    """Lines were skipped while recovering a ledger file."""


@attrs.frozen
class SkippedLine:
    """A line ``read(recover=True)`` could not use.

    Attributes:
        number: The line's number in the file, counting from 1 (the header is 1).
        reason: Why it was skipped.
        text: The start of the line as it stands in the file.
    """

    number: int
    reason: str
    text: str


def _dumps(value: Any) -> bytes:
    import orjson  # noqa: PLC0415 (kept out of `import beijing_plan`)

    return orjson.dumps(value)


def _loads(line: bytes | str) -> Any:
    import orjson  # noqa: PLC0415 (kept out of `import beijing_plan`)

    return orjson.loads(line)


class LedgerFile:
    """A JSON Lines ledger file at ``path`` (created on the first append).

    Attributes:
        path: Where the file is.
        skipped: The lines the last ``read(recover=True)`` skipped.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.skipped: tuple[SkippedLine, ...] = ()

    def __repr__(self) -> str:
        return f"LedgerFile({os.fspath(self.path)!r})"

    def _create(self) -> None:
        """Create the file with its header in place, atomically, unless it exists."""
        if self.path.exists():
            return
        folder = self.path.parent
        temporary = folder / f".{self.path.name}.{os.getpid()}.new"
        with open(temporary, "wb") as stream:
            stream.write(_dumps(_HEADER) + b"\n")
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, self.path)  # fails if another process created it first
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)

    def append(self, *records: Record) -> None:
        """Append ``records`` with one write, then flush them to disk.

        Raises:
            PlanValidationError: if an argument is not a record (nothing is written).
            PlanError: if the system wrote only part of the data.
        """
        problems = [
            (f"records[{i}]", f"{record!r} is not an Observation or a StatusChange")
            for i, record in enumerate(records)
            if not isinstance(record, Record)
        ]
        if problems:
            raise PlanValidationError(problems)
        if not records:
            return
        data = b"".join(_dumps(unstructure(record)) + b"\n" for record in records)
        self._create()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        try:
            if os.fstat(fd).st_size == 0:
                _start(fd)
            if not _ends_with_newline(fd):
                data = b"\n" + data  # a crash left a torn line: keep ours apart from it
            written = os.write(fd, data)
            if written != len(data):
                msg = f"{self.path}: only {written} of {len(data)} bytes were written"
                raise PlanError(msg)
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self, *, recover: bool = False) -> Ledger:
        """The ledger the file holds, records in file order.

        Args:
            recover: Skip lines that are torn or invalid instead of raising; what was
                skipped is kept in :attr:`skipped` and announced by a
                :class:`LedgerFileWarning`.

        Raises:
            PlanValidationError: naming the line number of each bad line (unless
                ``recover``), or when the header is missing or of another schema.
            FileNotFoundError: if there is no file.
        """
        data = self.path.read_bytes()
        if not data:
            self.skipped = ()
            return Ledger()  # an empty file (made by `touch`, say) is a ledger not yet begun
        if len(data) > MAX_BYTES:
            raise PlanValidationError([("", f"{self.path} is larger than {MAX_BYTES} bytes")])
        lines = data.split(b"\n")
        torn_end = not data.endswith(b"\n")
        if not torn_end:
            lines.pop()  # the empty string after the final newline
        self._check_header(lines[0] if lines else b"")
        records: list[Record] = []
        problems: list[tuple[str, str]] = []
        skipped: list[SkippedLine] = []
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            try:
                if torn_end and number == len(lines):
                    raise PlanValidationError([("", "the line is torn (no newline at its end)")])
                records.append(structure_record(_loads(decode(line))))
            except PlanValidationError as error:
                for path, message in error.problems:
                    problems.append((f"line {number}" + (f": {path}" if path else ""), message))
                skipped.append(SkippedLine(number, str(error), _preview(line)))
            except ValueError as error:  # orjson's decode error
                reason = f"not valid JSON: {str(error).split(':', 1)[0]}"
                problems.append((f"line {number}", reason))
                skipped.append(SkippedLine(number, reason, _preview(line)))
        if problems and not recover:
            raise PlanValidationError(problems)
        self.skipped = tuple(skipped)
        if skipped:
            numbers = ", ".join(str(s.number) for s in skipped)
            warnings.warn(
                f"{self.path}: skipped {len(skipped)} bad line(s): {numbers}",
                LedgerFileWarning,
                stacklevel=2,
            )
        return Ledger(tuple(records))

    def _check_header(self, line: bytes) -> None:
        try:
            header = _loads(line)
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("kind") != "ledger":
            raise PlanValidationError(
                [
                    (
                        "line 1",
                        f"{_preview(line)!r} is not a ledger header ({_dumps(_HEADER).decode()})",
                    )
                ]
            )
        if header.get("schema") != SCHEMA:
            raise PlanValidationError(
                [
                    (
                        "line 1",
                        f"{header.get('schema')!r} is not a schema this version reads ({SCHEMA!r})",
                    )
                ]
            )

    def write(self, ledger: Ledger | Iterable[Record]) -> None:
        """Replace the file with ``ledger``, atomically (temporary file, fsync, rename).

        Raises:
            PlanValidationError: if ``ledger`` holds something other than records
                (nothing is written).
        """
        if not isinstance(ledger, Ledger):
            ledger = Ledger(ledger)
        data = _dumps(_HEADER) + b"\n"
        data += b"".join(_dumps(unstructure(record)) + b"\n" for record in ledger)
        with replacing(self.path) as stream:
            stream.write(data)


def _start(fd: int) -> None:
    """Write the header into the empty file open at ``fd``, unless another process has.

    The file is locked while it is checked and written where the system has
    ``flock``, so that two appenders that both find it empty write one header.
    """
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        if os.fstat(fd).st_size == 0:
            os.write(fd, _dumps(_HEADER) + b"\n")
    finally:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)


def _ends_with_newline(fd: int) -> bool:
    size = os.fstat(fd).st_size
    if size == 0:
        return True
    return os.pread(fd, 1, size - 1) == b"\n"


def _preview(line: bytes) -> str:
    text = line[:80].decode("utf-8", errors="replace")
    return text + ("..." if len(line) > 80 else "")
