"""Writing files so that a crash never leaves a half-written one.

The text goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
the target: readers see the old file or the new one, never a mix. A lock file beside the target
serialises writers, so two `add`s at once both land.
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
    if target.exists() and not writable(target):
        raise WriteRefused(f"{target} is read-only; nothing was written.")
    if not writable(folder):
        raise WriteRefused(f"the folder {folder} is not writable; nothing was written.")
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
        _fsync_dir(folder)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
