"""The one cache: parsed claim files, and whole results of every command, keyed by content.

Two kinds of entry live in `<ledger>/.aid-ledger-cache/` (git-ignored), under one format
number and one tag (the package's code fingerprint):

- `claims/<digest>.json`: the structural result of one claim file (records, problems), keyed
  by the SHA-256 of its bytes, so a changed file is the only one parsed again;
- `results/<key>.json` (+ `.out`): the whole result of a command (`check`, `report`, `totals`,
  `export`) with its options, and the `Inputs` it was computed from: the digest of the very
  bytes read of every input, the inputs that were absent too (a source document created later,
  a new `orgs.yaml`) and the claim files the folder listed. A warm run hashes the same files
  and, when all agree, answers without loading pandas or pint.

Keyed by content, not modification time: beancount's mtime cache misses changes that keep the
mtime and files that appear. Everything is plain JSON (or the output's own bytes), checked field
by field before use: a ledger folder is shared, synced and unpacked from archives, so nothing
read back may run code (a pickle could) or be trusted to have the shape it should. An entry
that is unreadable, foreign, stale or of the wrong shape is ignored and rebuilt; a cache that
cannot be written only makes the next run slower. Paths are stored relative to the ledger, and
a result is keyed by how the ledger's paths are shown (relative to the working folder), so a run
from another folder never prints the first run's paths.

This module imports nothing heavy, on purpose.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ._version import code_tag
from .atomic import open_atomic, write_bytes_atomic
from .problems import Problem

FOLDER = ".aid-ledger-cache"
FORMAT = 4  # 1 was pickles (never read); 2 kept results in a second module; 3 had `lined`
_TUPLES = ("places", "sum_of", "count_of")  # record keys whose value is a tuple of texts
_CHUNK = 1 << 20


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def claim_paths(root: Path) -> list[Path]:
    """The claim files of a ledger folder (`claims/*.yaml`, `*.yml`), in name order: one
    listing for the loader and for the cache's check that no file came or went."""
    folder = (root / "claims").resolve()
    return sorted(folder.glob("*.y*ml"), key=lambda p: p.name)


class Inputs:
    """What a load read, recorded as it reads: each input's path relative to the ledger folder
    with the digest of the bytes read (None: absent or unreadable), and the claim files listed.

    Recorded from the bytes themselves, never re-read afterwards: a file edited while a cold
    command runs is stored under what the result was computed from, so the next run misses.
    `complete` is False once something was read that is not on disk (an edit being checked),
    and such a result is never stored."""

    def __init__(self, root: Path) -> None:
        self.base = Path(os.path.abspath(root))
        self.files: dict[str, str | None] = {}
        self.claims: list[str] = []
        self.complete = True

    def name(self, path: Path) -> str:
        return Path(os.path.relpath(os.path.abspath(path), self.base)).as_posix()

    def read(self, path: Path, data: bytes | None) -> None:
        """`path` was read as `data` (None: it was absent or could not be read)."""
        self.files[self.name(path)] = None if data is None else digest(data)

    def listed(self, paths: Iterable[Path]) -> None:
        self.claims = [self.name(p) for p in paths]

    def as_json(self) -> dict[str, Any]:
        return {"files": dict(sorted(self.files.items())), "claims": self.claims}

    def unchanged(self, stored: Any) -> bool:
        """Whether every input recorded in `stored` still has the same bytes (or is still
        absent) and the claims folder lists the same files."""
        try:
            files, claims = stored["files"], stored["claims"]
            if [self.name(p) for p in claim_paths(self.base)] != claims:
                return False
            return all(current_digest(self.base / name) == want for name, want in files.items())
        except (TypeError, KeyError, AttributeError, ValueError, OSError):
            return False


def current_digest(path: Path) -> str | None:
    """The digest of a regular file's bytes now; None when it is absent or not a regular file
    (opened without waiting, so a FIFO put in a file's place never blocks)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


class Cache:
    """The cache of one ledger folder. `writable=False` reads it but changes nothing."""

    def __init__(self, root: Path, writable: bool = True) -> None:
        self.root = root
        self.folder = root / FOLDER
        self.writable = writable
        self.tag = f"{code_tag()}/{FORMAT}"

    # -- parsed claim files ---------------------------------------------------------------

    def parsed(self, key: str, display: str) -> tuple[list[dict[str, Any]], list[Problem]] | None:
        """The structural result (records, problems) of a claim file
        whose bytes have digest `key`, shown as `display`; None when absent or unusable."""
        try:
            entry = json.loads((self.folder / "claims" / f"{key}.json").read_bytes())
            if not isinstance(entry, dict) or entry.get("tag") != self.tag:
                return None
            if entry.get("key") != key:
                return None
            records = [_record(r, display) for r in entry["records"]]
            problems = [_problem(p, display) for p in entry["problems"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, truncated, corrupt, foreign or of the wrong shape: rebuild
        return records, problems

    def store_parsed(
        self, key: str, records: list[dict[str, Any]], problems: list[Problem]
    ) -> None:
        entry = {
            "tag": self.tag,
            "key": key,
            "records": [{k: v for k, v in r.items() if k != "file"} for r in records],
            "problems": [[p.line, p.severity, p.code, p.message] for p in problems],
        }
        self._write(self.folder / "claims" / f"{key}.json", entry)

    # -- whole results --------------------------------------------------------------------

    def _key(self, kind: str, options: dict[str, Any]) -> str:
        shown = os.path.relpath(self.root)  # how problems and reports name the ledger's files
        ident = json.dumps([kind, options, shown], sort_keys=True, default=str)
        return f"{kind.split('.')[0]}-{digest(ident.encode())[:32]}"

    def result(self, kind: str, options: dict[str, Any]) -> tuple[Any, Path | None] | None:
        """The stored result of command `kind` with `options`, and the file holding its output
        (None when it has none), if no input changed since; else None."""
        key = self._key(kind, options)
        try:
            entry = json.loads((self.folder / "results" / f"{key}.json").read_bytes())
            if not isinstance(entry, dict) or entry.get("tag") != self.tag:
                return None
            if entry.get("kind") != kind or entry.get("options") != _plain(options):
                return None
            if not Inputs(self.root).unchanged(entry.get("inputs")):
                return None
            output = entry.get("output")
            if output is None:
                return entry["result"], None
            path = self.folder / "results" / str(output)
            if not (isinstance(output, str) and output.startswith(key + "@")):
                return None
            if "/" in output or not path.is_file():
                return None
            return entry["result"], path
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store_result(
        self,
        kind: str,
        options: dict[str, Any],
        inputs: Inputs | None,
        result: Any,
        output: str | None = None,
    ) -> None:
        """Store a result with the inputs it was computed from (nothing when those are not all
        on disk)."""
        if inputs is None or not inputs.complete:
            return
        entry = {
            "tag": self.tag,
            "kind": kind,
            "options": _plain(options),
            "inputs": inputs.as_json(),
            "result": result,
            "output": output,
        }
        self._write(self.folder / "results" / f"{self._key(kind, options)}.json", entry)

    def tee(
        self,
        kind: str,
        options: dict[str, Any],
        inputs: Inputs | None,
        result: Any,
        chunks: Iterable[bytes],
    ) -> Iterator[bytes]:
        """Pass `chunks` on while storing them; once all are through, store them as the output
        of `kind` with `result`. An output cut short (an error, a closed pipe) is never kept."""
        if not self.writable or inputs is None or not inputs.complete:
            yield from chunks
            return
        key = self._key(kind, options)
        folder = self.folder / "results"
        name = f"{key}@{os.getpid()}-{time.time_ns()}.out"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            sink = contextlib.ExitStack()
            handle = sink.enter_context(open_atomic(folder / name))
        except OSError:  # no cache this time: the output is all that matters
            yield from chunks
            return
        with sink:
            for chunk in chunks:
                handle.write(chunk)
                yield chunk
        for old in folder.glob(f"{key}@*.out"):
            if old.name != name:
                with contextlib.suppress(OSError):
                    old.unlink()
        self.store_result(kind, options, inputs, result, name)

    def _write(self, path: Path, entry: dict[str, Any]) -> None:
        if not self.writable:
            return
        with contextlib.suppress(OSError, TypeError, ValueError):
            data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, data)


class Stored:
    """A stored output: iterated, its bytes a megabyte at a time; `copy_to` hands the whole file
    to the kernel instead (a warm report of 100 MB never passes through Python)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[bytes]:
        with open(self.path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk

    def copy_to(self, fd: int) -> bool:
        """Copy the file to descriptor `fd` with `os.sendfile`; False, having written nothing,
        when the kernel cannot (then iterate). An error once bytes went out is raised."""
        sendfile = getattr(os, "sendfile", None)
        if sendfile is None:
            return False
        with open(self.path, "rb") as handle:
            size, sent = os.fstat(handle.fileno()).st_size, 0
            while sent < size:
                try:
                    n = sendfile(fd, handle.fileno(), sent, size - sent)
                except OSError:
                    if sent == 0:
                        return False
                    raise
                if n == 0:  # the file shrank under us: what was sent is what there is
                    break
                sent += n
        return True


def read_output(path: Path) -> Stored:
    """A stored output (see `Stored`)."""
    return Stored(path)


def _plain(options: dict[str, Any]) -> Any:
    """Options as JSON gives them back (tuples become lists), so stored and asked compare."""
    return json.loads(json.dumps(options, default=str))


def _record(raw: Any, display: str) -> dict[str, Any]:
    """A record read back, checked: a line, lines, texts where texts belong (tuples of texts
    for places and parts, where `count_of` may also hold groups of texts: `[a, [b, c]]`; a
    mapping or text for the quantity). JSON keys are always text."""
    if type(raw) is not dict:
        raise ValueError("not a record")
    if type(raw.get("line")) is not int or type(raw.get("lines")) is not dict:
        raise ValueError("no lines")
    if raw["line"] < 1 or any(type(v) is not int or v < 1 for v in raw["lines"].values()):
        raise ValueError("bad lines")  # both readers give every value its line, from 1 on
    for key, value in raw.items():
        kind = type(value)
        if key in _TUPLES:
            if kind is not list or any(type(v) is not str for v in value):
                grouped = key == "count_of" and kind is list and value
                if not grouped or any(
                    type(v) is not str
                    and not (type(v) is list and v and all(type(w) is str for w in v))
                    for v in value
                ):
                    raise ValueError(f"bad {key}")
                value = [v if type(v) is str else tuple(v) for v in value]
            raw[key] = tuple(value)
        elif not (kind is str or value is None or key in ("line", "lines")) and not (
            key == "quantity" and kind is dict
        ):
            raise ValueError(f"bad {key}")
    raw["file"] = display
    return raw


def _problem(raw: Any, display: str) -> Problem:
    line, severity, code, message = raw
    return Problem.checked(display, line, severity, code, message)
