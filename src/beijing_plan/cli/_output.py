"""What the command writes and returns: its exit codes, its output and its errors.

Standard output takes the command's results, unless `--output` names a file,
which is replaced atomically; a write that fails there ends the command with
exit code 74 (or 141 when the reader went away). Standard error takes
the messages, written as well as it can be, with what comes from outside escaped.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._atomic import replacing
from .._safe import terminal

if TYPE_CHECKING:
    from pathlib import Path

    from _typeshed import SupportsWrite

PROG = "beijing-plan"
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 74
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

_CLOSED = "standard output is closed"


class _OutputError(Exception):
    """Standard output cannot take the output: a full disk, a closed descriptor."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _write(text: str) -> None:
    """Write `text` to standard output, replacing what its encoding cannot show.

    Raises:
        _OutputError: when standard output is closed or refuses the text.
        BrokenPipeError: when the reader of the output has gone away.
    """
    out = sys.stdout
    if out is None:  # Python's standard output when its descriptor is closed
        raise _OutputError(_CLOSED)
    try:
        try:
            out.write(text)
        except UnicodeEncodeError:
            encoding = out.encoding or "ascii"
            out.write(text.encode(encoding, "replace").decode(encoding))
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _OutputError(error.strerror or str(error)) from None
    except ValueError:  # a closed stream
        raise _OutputError(_CLOSED) from None


def _write_file(path: Path, data: bytes) -> None:
    """Replace the file at `path` with `data`, atomically.

    Raises:
        _OutputError: when the file cannot be written, naming it.
    """
    try:
        with replacing(path) as stream:
            stream.write(data)
    except OSError as error:
        raise _OutputError(f"{path}: {error.strerror or error}") from None
    except ValueError as error:  # a name the system refuses, such as one with a NUL
        raise _OutputError(f"{path}: {error}") from None


def _flush() -> None:
    """Flush standard output, which is when a full disk is found."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _OutputError(error.strerror or str(error)) from None
    except ValueError:
        raise _OutputError(_CLOSED) from None


def _say(text: str, stream: SupportsWrite[str] | None) -> None:
    """Write `text` to standard error as well as it can: nothing is left to tell a failure."""
    try:
        if stream is not None:
            stream.write(text)
            flush = getattr(stream, "flush", None)
            if flush is not None:
                flush()
    except (OSError, ValueError):
        pass


def _complain(message: str, problems: Sequence[tuple[str, str]] = ()) -> None:
    """Say what went wrong on standard error, with what comes from outside shown escaped."""
    lines = [f"{PROG}: error: {terminal(message)}"]
    lines += [
        f"  {terminal(where)}: {terminal(text)}" if where else f"  {terminal(text)}"
        for where, text in problems
    ]
    _say("".join(line + "\n" for line in lines), sys.stderr)
