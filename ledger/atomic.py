"""Writing files so that a crash never leaves a half-written one.

The text goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
the target: readers see the old file or the new one, never a mix. A lock file beside the target
serialises writers, so two `add`s at once both land.

The file ends with the mode a plain `open()` would have given it: a new file 0o666 less the
umask (mkstemp's private 0o600 would hide a report or a claim file from the rest of a team), a
replaced file its old mode (and owner, where we may set it). A target that is not a regular
file (a device such as /dev/null, a FIFO, a folder) is never replaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class WriteRefused(OSError):
    """The target cannot be written safely (read-only file or folder); nothing was changed."""


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    with open_atomic(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def open_atomic(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file beside `path`, renamed over it when the block ends
    without an error (flushed and fsynced first); on an error the temporary file is removed and
    `path` is as it was. Lets a writer stream a large output without holding it in memory."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    old = _existing(target)
    if old is not None and not writable(target):
        raise WriteRefused(f"{target} is read-only; nothing was written.")
    if not folder.is_dir():
        raise WriteRefused(f"no such folder {folder}; nothing was written.")
    if not writable(folder):
        raise WriteRefused(f"the folder {folder} is not writable; nothing was written.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            _take_mode(handle.fileno(), old)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_dir(folder)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _existing(target: Path) -> os.stat_result | None:
    """The status of the regular file at `target` (through a link), None when there is none;
    WriteRefused for anything else: renaming over /dev/null or a FIFO would replace it."""
    try:
        found = target.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteRefused(
            f"{target} cannot be examined ({exc.strerror}); nothing was written."
        ) from None
    if not stat.S_ISREG(found.st_mode):
        raise WriteRefused(
            f"{target} is {file_kind(found.st_mode)}, not a regular file; nothing was written."
        )
    return found


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words for a message."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISSOCK, "a socket"))  # fmt: skip
    return next((word for test, word in kinds if test(mode)), "not a regular file")


def _take_mode(fd: int, old: os.stat_result | None) -> None:
    """Give the temporary file the mode the target should end with: the replaced file's mode
    and owner (the owner only where we may set it), else what `open()` gives a new file."""
    if old is None:
        os.fchmod(fd, 0o666 & ~umask())
        return
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.fchown(fd, old.st_uid, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


def umask() -> int:
    """The process's umask, read without changing it where Linux tells it (/proc), else by
    setting and restoring it (the only portable way)."""
    with (
        contextlib.suppress(OSError, ValueError, IndexError),
        open("/proc/self/status", encoding="ascii", errors="replace") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def writable(path: Path) -> bool:
    """Writable by us, and meant to be: the mode bits count even for root (whom os.access lets
    write anything), since a file or folder a person made read-only is not ours to change."""
    try:
        return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)
    except OSError:
        return False


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock for `path` (on `.<name>.lock` beside it, which survives renames)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not writable(folder):  # say so plainly, before even a lock file is made there
        raise WriteRefused(f"the folder {folder} is not writable; nothing was written.")
    lock = folder / f".{target.name}.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
