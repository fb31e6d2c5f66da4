"""Replacing a file atomically: the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["replacing"]


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` when the block ends without error.

    The stream writes to a temporary file in the same folder. When the block ends,
    the file is flushed to disk, given the permissions of the file it replaces (a
    new file gets those the umask allows), renamed over ``path``, and the folder
    is flushed so that the rename survives a crash. When the block raises, the
    temporary file is removed and ``path`` is left as it was.

    Raises:
        OSError: when the temporary file cannot be made or renamed over ``path``
            (``FileNotFoundError`` for a folder that does not exist,
            ``IsADirectoryError`` for a ``path`` that is a folder, ...), naming
            ``path``, never the temporary file.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(temporary, flags, 0o666)
    except OSError as error:
        raise _naming(error, path) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise _naming(error, path) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _naming(error: OSError, path: str | os.PathLike[str]) -> OSError:
    """The same error about ``path`` (the file the caller named) instead of the temporary file."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, os.fspath(path))


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders cannot be opened on some platforms
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - and cannot be synced on others
        pass
    finally:
        os.close(fd)
