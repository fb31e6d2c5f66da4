"""Reading a file's bytes safely: regular files only, and never past a size limit.

A name says nothing about what is behind it: `plan.json` may be a named pipe
that no one writes to (reading it would wait for ever), a symbolic link to
`/dev/zero` (reading it would fill the memory), or a folder. So every reader
of the library opens the file first, asks the open descriptor (not the path,
which may change in between) what it is, refuses anything but a regular file,
and reads at most one byte more than its limit. The open itself cannot wait:
named pipes are opened without blocking.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.json"
>>> _ = path.write_bytes(b"{}")
>>> read_bytes(path, limit=1024, what="document")
b'{}'
"""

from __future__ import annotations

import os
import stat

from .exceptions import PlanValidationError

__all__ = ["UnreadableFileError", "open_regular", "read_bytes", "read_open"]

#: What each kind of file that is not a regular one is called in messages.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

#: How much is read at a time once the size the system gave is passed.
_CHUNK = 1 << 20


class UnreadableFileError(PlanValidationError):
    """A file that is not read at all: not a regular file, or larger than the limit.

    Its one problem's path is the file's path; the message says what is wrong
    with it. The command line shows it as a file it cannot read.
    """


def _refuse(path: str | os.PathLike[str], message: str) -> UnreadableFileError:
    return UnreadableFileError([(os.fspath(path), message)])


def open_regular(path: str | os.PathLike[str], flags: int = os.O_RDONLY) -> int:
    """A descriptor of the regular file at `path`, opened with `flags`.

    The file is opened without blocking (a named pipe would otherwise wait for a
    writer) and without becoming a controlling terminal; then the open
    descriptor is checked, and closed again if it is not a regular file.
    `flags` may hold `os.O_CREAT` (the file is made with the permissions
    the umask allows) and `os.O_RDWR | os.O_APPEND` (to append).

    Raises:
        UnreadableFileError: a [`PlanValidationError`][beijing_plan.PlanValidationError]
            naming `path` when it is a folder, a named pipe, a device or a socket.
        OSError: when it cannot be opened (`FileNotFoundError`, ...), naming `path`.
    """
    extra = os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags | extra | getattr(os, "O_BINARY", 0), 0o666)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            raise _refuse(path, f"is {kind}, not a regular file")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_open(descriptor: int, path: str | os.PathLike[str], *, limit: int, what: str) -> bytes:
    """The bytes of the regular file open at `descriptor`, from its start, up to `limit`.

    The size the system reports is checked first; then at most `limit + 1`
    bytes are read, so a file that grows, or whose size is not reported (as
    some files under `/proc`), is refused all the same.

    Args:
        descriptor: An open descriptor, as [`open_regular`][beijing_plan._reading.open_regular]
            gives; it is left open.
        path: The file's name, for messages.
        limit: The largest number of bytes accepted.
        what: What the file holds, for messages (`"document"`, `"ledger file"`).

    Raises:
        UnreadableFileError: naming `path`, when the file is larger than `limit`.
    """
    size = os.fstat(descriptor).st_size
    if size > limit:
        raise _refuse(path, f"is {size} bytes, more than the limit of {limit} for a {what}")
    chunks: list[bytes] = []
    total, offset = 0, 0
    wanted = size + 1  # one byte more tells whether the file ended where it said
    while total <= limit:
        chunk = os.pread(descriptor, min(wanted, limit + 1 - total), offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        offset += len(chunk)
        wanted = _CHUNK
    raise _refuse(path, f"is more than {limit} bytes, the limit for a {what}")


def read_bytes(path: str | os.PathLike[str], *, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`, refused if more than `limit`.

    This is how every reader of the library reads a file: see the module's
    description for what it guards against.

    Args:
        path: The file; a symbolic link is followed to what it names.
        limit: The largest number of bytes accepted.
        what: What the file holds, for messages: `"document"`, `"sheet"`, ...

    Raises:
        UnreadableFileError: a [`PlanValidationError`][beijing_plan.PlanValidationError]
            whose one problem's path is `path`: for a folder, a named pipe, a
            device or a socket, and for a file larger than `limit`.
        OSError: when the file cannot be opened (`FileNotFoundError`,
            `PermissionError`, ...), naming `path`.
    """
    descriptor = open_regular(path)
    try:
        return read_open(descriptor, path, limit=limit, what=what)
    finally:
        os.close(descriptor)
