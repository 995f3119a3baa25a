"""A cache of parsed claim files, keyed by each file's content hash.

Keyed by content (SHA-256 of the bytes), not by modification time: beancount's mtime cache
misses changes that keep the mtime and files that appear. Entries also carry the package
version and a format number, so an upgrade never reads an old layout. Each entry is written
atomically; an entry that cannot be read (corrupt, half-written by a crash, from another
version) is ignored and rebuilt. The folder is `<ledger>/.aid-ledger-cache/` (git-ignored).
Entries are pickles: like Python's own `__pycache__`, the folder belongs to the user who runs
the tool and is never shared or committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any

from ._version import code_tag
from .atomic import write_bytes_atomic

FORMAT = 1
FOLDER = ".aid-ledger-cache"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ParseCache:
    """Structural results (records, problems, whether lines are known) per file content."""

    def __init__(self, root: Path, writable: bool = True) -> None:
        self.folder = root / FOLDER / "claims"
        self.writable = writable
        self.tag = f"{code_tag()}/{FORMAT}".encode()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str, display: str) -> tuple[list[dict[str, Any]], list[Any], bool] | None:
        """The cached result for content `key`, shown as `display`; None when absent or unusable."""
        try:
            blob = self._path(key).read_bytes()
            tag, _, body = blob.partition(b"\n")
            if tag != self.tag:
                return None
            records, problems, strict = pickle.loads(body)
        except Exception:  # missing, truncated, corrupt or foreign: rebuild it
            return None
        for rec in records:
            rec["file"] = display
        return records, [replace(p, file=display) for p in problems], strict

    def put(
        self, key: str, records: list[dict[str, Any]], problems: list[Any], strict: bool
    ) -> None:
        """Store a result; a cache that cannot be written is only a slower next run."""
        if not self.writable:
            return
        body = pickle.dumps((records, problems, strict), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self._path(key), self.tag + b"\n" + body)
