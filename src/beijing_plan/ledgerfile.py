"""A ledger kept durably in a JSON Lines file, safe for concurrent appenders and writers.

The file's first line is a header, `{"schema": "beijing-plan/1", "kind":
"ledger"}`; every further line is one record in the wire format of
[`beijing_plan.convert`][beijing_plan.convert]. `append` writes all its records with a single
`write` on a descriptor opened with `O_APPEND`, then flushes them to disk, so
records from several processes appending at once never interleave and none is
lost. A crash can leave at most a torn last line; `read` names it, and
`read(recover=True)` skips it (and any other bad line) and says what it skipped.
An empty file (made beforehand with `touch`, say) reads as an empty ledger,
and the first append writes its header. `append` checks the header first: it
refuses a file that is not a ledger, or is a ledger of another schema version,
and leaves it as it was.

Records that carry links (an `id`, a `supersedes`, a withdrawal) are checked against
the records already in the file, while the lock is held: a duplicate id, a
correction or withdrawal of an unknown id or of another item's record, a second
correction of one record are refused with the record's path (`records[0].supersedes`,
the records of the call counted from 0), naming the lines they clash with, and the
file is left as it was. So of two appenders that correct the same record at once,
exactly one succeeds. `read` checks the links of the whole file and names a broken
one by its line; `read(recover=True)` skips such records too.

Threads and processes coordinate through an advisory lock (`flock`) on the
file itself, so this holds on POSIX systems (Linux, macOS), for every program
that goes through this class:

- `append` holds the lock while it checks the header and writes, and
  `read` holds it shared while it reads, so a read never sees half an append.
- `write` and `update` hold it while they replace the file, and an
  appender that was waiting for the lock notices that the file it opened was
  replaced and appends to the new one. So every append that returned is in the
  file, unless a later `write` or `update` replaced it away on purpose.
- `write(ledger)` replaces whatever the file holds with `ledger`: records
  appended between a `read` and a `write` are dropped. To correct a ledger
  that others append to, use `update(change)`: it reads, calls `change` and
  writes the result while holding the lock, so nothing appended meanwhile is lost.

`write` and `update` write a temporary file and rename it over the ledger,
as [`save`][beijing_plan.save] does (through a symbolic link to the file it
names; a read-only file, or one with other hard links, is refused).

>>> import tempfile, pathlib
>>> from beijing_plan import StatusChange
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> log = LedgerFile(folder / "progress.jsonl")
>>> log.append(StatusChange("t1", "2025-03-01", "in_progress", percent=20))
>>> _ = log.update(lambda ledger: [*ledger, StatusChange("t1", "2025-04-01", "done")])
>>> len(log.read())
2
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows has no fcntl)
    fcntl = None  # type: ignore[assignment]

import attrs

from . import _formats
from ._atomic import replacing
from ._corrections import is_withdrawal, link_faults, links_of
from ._fastload import builder, link_mark, linked_since, loading
from ._formats import decode
from ._reading import open_regular, read_open
from .convert import structure_record, unstructure
from .exceptions import PlanError, PlanValidationError
from .files import SCHEMA, with_target_unit
from .ledger import Ledger, Record
from .model import Plan

__all__ = ["LedgerFile", "LedgerFileWarning", "SkippedLine"]

_HEADER = {"schema": SCHEMA, "kind": "ledger"}
#: The most of the first line that `append` reads to check the header.
_HEADER_BYTES = 64 * 1024


class LedgerFileWarning(UserWarning):
    """Lines were skipped while recovering a ledger file."""


@attrs.frozen
class SkippedLine:
    """A line `read(recover=True)` could not use.

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
    """A JSON Lines ledger file at `path` (created on the first append).

    Attributes:
        path: Where the file is.
        skipped: The lines the last `read(recover=True)` skipped.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.skipped: tuple[SkippedLine, ...] = ()

    def __repr__(self) -> str:
        return f"LedgerFile({os.fspath(self.path)!r})"

    @contextlib.contextmanager
    def _locked(self, flags: int, *, shared: bool = False) -> Iterator[int]:
        """A descriptor of the file now at `path`, opened with `flags` and locked.

        Once the lock is held, the descriptor is checked to still be the file at
        `path`: a `write` may have renamed another over it while this one
        waited, and then the new file is opened and locked instead.
        """
        while True:
            descriptor = open_regular(self.path, flags)
            try:
                if fcntl is not None:
                    fcntl.flock(descriptor, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
                if _is_at(descriptor, self.path):
                    break
            except BaseException:
                os.close(descriptor)
                raise
            os.close(descriptor)
        try:
            yield descriptor
        finally:
            os.close(descriptor)  # which releases the lock

    def append(self, *records: Record) -> None:
        """Append `records` with one write, then flush them to disk.

        Raises:
            PlanValidationError: if an argument is not a record, the file is
                not a ledger of this schema (its path names the file), or a
                record's links clash with the file's records or each other (a
                duplicate id, an unknown, foreign or second correction; its path
                is the record's, `records[1].supersedes`); nothing is written.
            PlanError: if the system wrote only part of the data.
        """
        problems = [
            (
                f"records[{i}]",
                f"{record!r} is not a record (Observation, StatusChange, Withdrawal, Revision)",
            )
            for i, record in enumerate(records)
            if not isinstance(record, Record)
        ]
        if problems:
            raise PlanValidationError(problems)
        if not records:
            return
        linked = _linked(records)
        if linked and not os.path.lexists(self.path):
            # No file yet: the records are checked among themselves, without making one.
            self._check_links(None, records)
        data = b"".join(_dumps(unstructure(record)) + b"\n" for record in records)
        with self._locked(os.O_RDWR | os.O_APPEND | os.O_CREAT) as fd:
            size = os.fstat(fd).st_size
            if size == 0:
                if linked:
                    self._check_links(None, records)
                data = _dumps(_HEADER) + b"\n" + data
            else:
                first = os.pread(fd, _HEADER_BYTES, 0).split(b"\n", 1)[0]
                wrong = _header_problems(first)
                if wrong:
                    where = os.fspath(self.path)
                    raise PlanValidationError([(where, f"{p}: {m}") for p, m in wrong])
                if linked:
                    self._check_links(fd, records)
                if os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data  # a crash left a torn line: keep ours apart from it
            written = os.write(fd, data)
            if written != len(data):
                msg = f"{self.path}: only {written} of {len(data)} bytes were written"
                raise PlanError(msg)
            os.fsync(fd)

    def _check_links(self, fd: int | None, records: Sequence[Record]) -> None:
        """Raise if `records` would break the links of the ledger in the file open at `fd`
        (`None`: an empty file).

        The records already in the file are read (lines that do not read are left
        to `read` to report); the problems are those the new records bring.
        """
        parsed = _Parsed([]) if fd is None else _Parsed.of(self._bytes(fd), links_only=True)
        problems = _new_link_problems(
            parsed.records, parsed.numbers, records, where=os.fspath(self.path)
        )
        if problems:
            raise PlanValidationError(problems)

    def read(self, *, recover: bool = False, plan: Plan | None = None) -> Ledger:
        """The ledger the file holds, records in file order.

        Only a regular file is read (a symbolic link is followed), and only up
        to the size limit of a document.

        Args:
            recover: Skip lines that are torn or invalid instead of raising; what was
                skipped is kept in `skipped` and announced by a
                [`LedgerFileWarning`][beijing_plan.LedgerFileWarning].
            plan: The plan the ledger is kept for: an observation whose value is
                a bare number (`"value": 3`) takes the unit of its target in it,
                as [`load`][beijing_plan.load] does with `plan=`. The records
                are not otherwise checked against it (see
                [`Ledger.check`][beijing_plan.ledger.Ledger.check]).

        Raises:
            PlanValidationError: naming the line number of each bad line (unless
                `recover`), or when the header is missing or of another schema;
                naming the file when it is a folder, a named pipe or a device,
                or larger than the limit.
            FileNotFoundError: if there is no file.
        """
        with self._locked(os.O_RDONLY, shared=True) as fd:
            data = self._bytes(fd)
        return self._parse(data, recover=recover, plan=plan)

    def _bytes(self, fd: int) -> bytes:
        return read_open(fd, self.path, limit=_formats.MAX_BYTES, what="ledger file")

    def _parse(self, data: bytes, *, recover: bool, plan: Plan | None = None) -> Ledger:
        if not data:
            self.skipped = ()
            return Ledger()  # an empty file (made by `touch`, say) is a ledger not yet begun
        lines = data.split(b"\n")
        torn_end = not data.endswith(b"\n")
        if not torn_end:
            lines.pop()  # the empty string after the final newline
        if lines and not _header_problems(lines[0]):
            fast = _fast_ledger(lines, torn_end=torn_end, plan=plan)
            if fast is not None:
                self.skipped = ()
                return fast
        parsed = _Parsed.of(data, plan=plan)
        if parsed.header:
            raise PlanValidationError(parsed.header)
        problems, skipped = parsed.problems, parsed.skipped
        records, numbers = parsed.records, parsed.numbers
        try:
            ledger = Ledger(tuple(records))
        except PlanValidationError:
            ledger = None
        while ledger is None:  # a link between records is broken: name it by line
            faults = _line_faults(records, numbers)
            if not faults:  # what Ledger refused is not a link: let it say what
                ledger = Ledger(tuple(records))
                break
            reasons: dict[int, list[str]] = {}
            for i, field, message in faults:
                problems.append((f"line {numbers[i]}: {field}", message))
                reasons.setdefault(i, []).append(f"{field}: {message}")
            skipped.extend(
                SkippedLine(numbers[i], "; ".join(why), parsed.preview(numbers[i]))
                for i, why in reasons.items()
            )
            if not recover:
                break
            dropped = set(reasons)
            kept = [i for i in range(len(records)) if i not in dropped]
            records, numbers = [records[i] for i in kept], [numbers[i] for i in kept]
            ledger = None if _line_faults(records, numbers) else Ledger(tuple(records))
        if problems and not recover:
            raise PlanValidationError(problems)
        skipped.sort(key=lambda line: line.number)
        self.skipped = tuple(skipped)
        if skipped:
            listed = ", ".join(str(s.number) for s in skipped)
            warnings.warn(
                f"{self.path}: skipped {len(skipped)} bad line(s): {listed}",
                LedgerFileWarning,
                stacklevel=3,
            )
        assert ledger is not None
        return ledger

    def write(self, ledger: Ledger | Iterable[Record]) -> None:
        """Replace the file's content with `ledger`, atomically (temporary file, fsync, rename).

        Whatever the file held is replaced, records appended since it was last
        read included; to change a ledger that others append to, use
        [`update`][beijing_plan.ledgerfile.LedgerFile.update].

        Raises:
            PlanValidationError: if `ledger` holds something other than records
                (nothing is written).
            PermissionError: for a read-only file; `OSError` for a file with
                other hard links (see [`save`][beijing_plan.save]).
        """
        data = _encode(ledger)
        with self._locked(os.O_RDONLY | os.O_CREAT), replacing(self.path) as stream:
            stream.write(data)

    def update(self, change: Callable[[Ledger], Ledger | Iterable[Record]]) -> Ledger:
        """Replace the ledger with `change(ledger)`, with no append slipping in between.

        The file is read, `change` is called with its ledger, and what it
        returns is written as by [`write`][beijing_plan.ledgerfile.LedgerFile.write], all
        while the file is locked: appends made meanwhile wait, and then go into
        the new file. This is the way to correct a ledger that others append to.
        A missing file is an empty ledger.

        Returns:
            The ledger written.

        Raises:
            PlanValidationError: if the file does not read (see
                [`read`][beijing_plan.ledgerfile.LedgerFile.read]) or `change` returns
                something other than records; the file is left as it was, as it
                is when `change` raises.
            TypeError: if `change` returns something that is not an iterable of
                records (the file is left as it was).
        """
        with self._locked(os.O_RDONLY | os.O_CREAT) as fd:
            changed = change(self._parse(self._bytes(fd), recover=False))
            ledger = changed if isinstance(changed, Ledger) else Ledger(changed)
            data = _encode(ledger)
            with replacing(self.path) as stream:
                stream.write(data)
        return ledger


@attrs.define
class _Parsed:
    """The lines of a ledger file read into records, with what went wrong.

    Attributes:
        header: The problems of the header line (then nothing else is read).
        records: The records of the lines that read, in file order.
        numbers: The line number of each record.
        lines: The lines of the file, the header first.
        problems: The problems of the lines that did not read, by line.
        skipped: Those lines, as `read(recover=True)` reports them.
    """

    header: list[tuple[str, str]]
    records: list[Record] = attrs.field(factory=list)
    numbers: list[int] = attrs.field(factory=list)
    lines: list[bytes] = attrs.field(factory=list)
    problems: list[tuple[str, str]] = attrs.field(factory=list)
    skipped: list[SkippedLine] = attrs.field(factory=list)

    @classmethod
    def of(cls, data: bytes, *, links_only: bool = False, plan: Plan | None = None) -> _Parsed:
        """The records of a file's bytes; with `links_only`, only those that can take part
        in a link (an id, a correction, a withdrawal), which are all a link check needs.
        With `plan`, an observation's bare number takes its target's unit."""
        lines = data.split(b"\n")
        torn_end = not data.endswith(b"\n")
        if not torn_end:
            lines.pop()  # the empty string after the final newline
        wrong = _header_problems(lines[0] if lines else b"")
        parsed = cls(wrong, lines=lines)
        if wrong:
            return parsed
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            try:
                if torn_end and number == len(lines):
                    raise PlanValidationError([("", "the line is torn (no newline at its end)")])
                doc = _loads(decode(line))
                if links_only and not _may_link(doc):
                    continue
                if plan is not None:
                    doc = with_target_unit(doc, plan)
                parsed.records.append(structure_record(doc))
                parsed.numbers.append(number)
            except PlanValidationError as error:
                for path, message in error.problems:
                    where = f"line {number}" + (f": {path}" if path else "")
                    parsed.problems.append((where, message))
                parsed.skipped.append(SkippedLine(number, str(error), _preview(line)))
            except ValueError as error:  # orjson's decode error
                reason = f"not valid JSON: {str(error).split(':', 1)[0]}"
                parsed.problems.append((f"line {number}", reason))
                parsed.skipped.append(SkippedLine(number, reason, _preview(line)))
        return parsed

    def preview(self, number: int) -> str:
        """The start of the line numbered `number` (from 1)."""
        return _preview(self.lines[number - 1])


def _may_link(doc: object) -> bool:
    """Whether a record document has an id, corrects a record or withdraws one (anything
    that is not a mapping is kept, for the converter to refuse)."""
    if not isinstance(doc, dict):
        return True
    return (
        doc.get("id") is not None
        or doc.get("supersedes") is not None
        or doc.get("kind") == "withdrawal"
    )


def _line_faults(records: Sequence[Record], numbers: Sequence[int]) -> list[tuple[int, str, str]]:
    """The link problems of the records of a file, other records named by their lines."""
    return link_faults(records, name=lambda j: f"line {numbers[j]}", where="the file")


def _linked(records: Sequence[Record]) -> bool:
    """Whether any of `records` has an id, corrects a record or withdraws one."""
    return any(links_of(record) != (None, None) or is_withdrawal(record) for record in records)


def _new_link_problems(
    old: Sequence[Record], numbers: Sequence[int], new: Sequence[Record], *, where: str
) -> list[tuple[str, str]]:
    """The link problems that appending `new` to the records `old` (at the lines `numbers`)
    would bring, new records by their index in `new`, old ones by their line."""
    count = len(old)

    def name(j: int) -> str:
        return f"line {numbers[j]}" if j < count else f"records[{j - count}]"

    def path(i: int, field: str) -> str:
        return f"line {numbers[i]}: {field}" if i < count else f"records[{i - count}].{field}"

    combined = [*old, *new]
    faults = link_faults(combined, name=name, where=where)
    if not faults:
        return []
    before = {(i, f, m) for i, f, m in link_faults(old, name=name, where=where)} if old else set()
    return [(path(i, f), m) for i, f, m in faults if (i, f, m) not in before]


def _fast_ledger(lines: list[bytes], *, torn_end: bool, plan: Plan | None) -> Ledger | None:
    """The ledger of `lines` (the header first) by the fast path, or `None` where it gives up.

    The lines are parsed and built with the collector paused; on the first line it
    does not read, the reading line by line of `_parse` decides and names the lines.
    """
    read = builder(Record)
    if torn_end or read is None:
        return None
    import orjson  # noqa: PLC0415 (kept out of `import beijing_plan`)

    loads = orjson.loads
    records: list[Record] = []
    with loading():
        mark = link_mark()
        try:
            for line in lines[1:]:
                if not line or line.isspace():
                    continue
                document = loads(line)
                if plan is not None:
                    document = with_target_unit(document, plan)
                records.append(read(document))
        except Exception:  # a line not JSON, or not read fast: `_parse` decides
            return None
        read_records = tuple(records)
        if not linked_since(mark):  # each record is checked, and none is linked
            return Ledger._checked(read_records, linked=False)
        try:
            return Ledger(read_records)
        except PlanValidationError:
            return None


def _encode(ledger: Ledger | Iterable[Record]) -> bytes:
    """The content of a file that holds `ledger`, header first."""
    if not isinstance(ledger, Ledger):
        ledger = Ledger(ledger)
    data = _dumps(_HEADER) + b"\n"
    return data + b"".join(_dumps(unstructure(record)) + b"\n" for record in ledger)


def _is_at(descriptor: int, path: Path) -> bool:
    """Whether the file open at `descriptor` is the one `path` names now."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _header_problems(line: bytes) -> list[tuple[str, str]]:
    """What is wrong with a ledger's first line (a leading byte-order mark is allowed)."""
    try:
        header = _loads(decode(line))
    except ValueError:  # not UTF-8 (our error is a ValueError too), or not JSON
        header = None
    if not isinstance(header, dict) or header.get("kind") != "ledger":
        expected = _dumps(_HEADER).decode()
        return [("line 1", f"{_preview(line)!r} is not a ledger header ({expected})")]
    if header.get("schema") != SCHEMA:
        schema = header.get("schema")
        return [("line 1", f"{schema!r} is not a schema this version reads ({SCHEMA!r})")]
    return []


def _preview(line: bytes) -> str:
    text = line[:80].decode("utf-8", errors="replace")
    return text + ("..." if len(line) > 80 else "")
