"""A cache of parsed claim files, keyed by each file's content hash.

Keyed by content (SHA-256 of the bytes), not by modification time: beancount's mtime cache
misses changes that keep the mtime and files that appear. Entries also carry the package
version and a format number, so an upgrade never reads an old layout. Each entry is written
atomically; an entry that cannot be read (corrupt, half-written by a crash, from another
version, of the wrong shape) is ignored and rebuilt. The folder is `<ledger>/.aid-ledger-cache/`
(git-ignored).

Entries are plain JSON and are checked field by field before use: a ledger folder is shared,
synced and unpacked from archives, so nothing read back from the cache may run code (a pickle
could) or be trusted to have the shape it should.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from ._version import code_tag
from .atomic import write_bytes_atomic
from .problems import Problem

FORMAT = 2  # 1 was pickles: never read
FOLDER = ".aid-ledger-cache"
_TUPLES = ("places", "sum_of", "count_of")  # record keys whose value is a tuple of texts
_SEVERITIES = ("error", "warning")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ParseCache:
    """Structural results (records, problems, whether lines are known) per file content."""

    def __init__(self, root: Path, writable: bool = True) -> None:
        self.folder = root / FOLDER / "claims"
        self.writable = writable
        self.tag = f"{code_tag()}/{FORMAT}"

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(
        self, key: str, display: str
    ) -> tuple[list[dict[str, Any]], list[Problem], bool] | None:
        """The cached result for content `key`, shown as `display`; None when absent or unusable."""
        try:
            entry = json.loads(self._path(key).read_bytes())
            if not isinstance(entry, dict) or entry.get("tag") != self.tag:
                return None
            if entry.get("key") != key or not isinstance(entry.get("lined"), bool):
                return None
            records = [_record(r, display) for r in entry["records"]]
            problems = [_problem(p, display) for p in entry["problems"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, truncated, corrupt, foreign or of the wrong shape: rebuild
        return records, problems, entry["lined"]

    def put(
        self, key: str, records: list[dict[str, Any]], problems: list[Problem], lined: bool
    ) -> None:
        """Store a result; a cache that cannot be written is only a slower next run."""
        if not self.writable:
            return
        entry = {
            "tag": self.tag,
            "key": key,
            "lined": lined,
            "records": [{k: v for k, v in r.items() if k != "file"} for r in records],
            "problems": [[p.line, p.severity, p.code, p.message] for p in problems],
        }
        with contextlib.suppress(OSError, TypeError, ValueError):
            data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self._path(key), data)


def _record(raw: Any, display: str) -> dict[str, Any]:
    """A record read back, checked: a line, lines, texts where texts belong (tuples of texts
    for places and parts, a mapping or text for the quantity). JSON keys are always text."""
    if type(raw) is not dict:
        raise ValueError("not a record")
    if type(raw.get("line")) is not int or type(raw.get("lines")) is not dict:
        raise ValueError("no lines")
    if any(type(v) is not int for v in raw["lines"].values()):
        raise ValueError("bad lines")
    for key, value in raw.items():
        kind = type(value)
        if key in _TUPLES:
            if kind is not list or any(type(v) is not str for v in value):
                raise ValueError(f"bad {key}")
            raw[key] = tuple(value)
        elif not (kind is str or value is None or key in ("line", "lines")) and not (
            key == "quantity" and kind is dict
        ):
            raise ValueError(f"bad {key}")
    raw["file"] = display
    return raw


def _problem(raw: Any, display: str) -> Problem:
    line, severity, code, message = raw
    if not (isinstance(line, int) and severity in _SEVERITIES):
        raise ValueError("bad problem")
    if not (isinstance(code, str) and isinstance(message, str)):
        raise ValueError("bad problem")
    return Problem(display, line, severity, code, message)
