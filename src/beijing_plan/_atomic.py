"""Replacing a file atomically: the old file or the new one, never half of either.

Every writer of the library ([`save`][beijing_plan.save],
[`LedgerFile.write`][beijing_plan.LedgerFile.write], the sheet writers,
[`Tables.write_parquet`][beijing_plan.columnar.Tables.write_parquet]) goes through
[`replacing`][beijing_plan._atomic.replacing], so they all treat an existing
file alike:

- a symbolic link is followed: the file it names gets the new content, in its
  own folder, and the link stays a link;
- the file keeps its permission bits; a new file gets those the umask allows;
- a file without write permission (for its owner or anyone: `chmod 444`) is
  refused with `PermissionError`, even for a user such as `root` whom the
  system would let write it;
- a file with other hard links is refused (`OSError`, `EMLINK`): renaming a
  new file over one of its names would part it from the others, which would
  keep the old content, and writing it in place would give up atomicity. Remove
  the other names first, or write elsewhere;
- a folder is refused with `IsADirectoryError`, and a named pipe, a device or
  a socket with `OSError` (`EINVAL`): none is replaced by a regular file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["replacing"]


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces `path` when the block ends without error.

    The stream writes to a temporary file in the folder of the file (of the file
    a symbolic link names). When the block ends, the file is flushed to disk,
    given the permissions of the file it replaces (a new file gets those the
    umask allows), renamed over it, and the folder is flushed so that the rename
    survives a crash. When the block raises, the temporary file is removed and
    `path` is left as it was. What is refused, and why, is in the module's
    description.

    Raises:
        PermissionError: for a file without write permission, naming it.
        OSError: when the temporary file cannot be made or renamed over the file
            (`FileNotFoundError` for a folder that does not exist,
            `IsADirectoryError` for a `path` that is a folder, ...), or the
            file is refused, naming the file (`path`, or the file its
            symbolic link names), never the temporary file.
    """
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    named = path if target == Path(path) else target
    _check_replaceable(target, named)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(temporary, flags, 0o666)
    except OSError as error:
        raise _naming(error, named) from None
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
            raise _naming(error, named) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _check_replaceable(target: Path, named: str | os.PathLike[str]) -> None:
    """Refuse to replace what `target` is, if it exists and is not a plain writable file."""
    try:
        found = os.stat(target)
    except FileNotFoundError:
        return  # a new file
    except OSError as error:
        raise _naming(error, named) from None
    mode = found.st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(named))
    if not stat.S_ISREG(mode):
        message = "not a regular file: it is not replaced by one"
        raise OSError(errno.EINVAL, message, os.fspath(named))
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        message = f"the file is read-only (mode {stat.S_IMODE(mode):o}): it is not replaced"
        raise PermissionError(errno.EACCES, message, os.fspath(named))
    if found.st_nlink > 1:
        message = (
            f"the file has {found.st_nlink} hard links: replacing it would part it from "
            "the others, so it is not replaced"
        )
        raise OSError(errno.EMLINK, message, os.fspath(named))


def _naming(error: OSError, path: str | os.PathLike[str]) -> OSError:
    """The same error about `path` (the file the caller named) instead of the temporary file."""
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
