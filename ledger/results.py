"""Whole results of `check` and `report`, kept for a ledger whose inputs have not changed.

A warm run (nothing changed since the last one) should cost what reading the files costs: it
hashes every input (the ledger's YAML and units files, its claim files, and the source
documents the last run read), and when all hashes match the stored ones it prints the stored
result without loading pandas or pint at all. Any change, even of one byte, misses.

This module imports nothing heavy, on purpose.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ._version import code_tag
from .atomic import open_atomic, write_bytes_atomic

FOLDER = ".aid-ledger-cache"
FORMAT = 1


def _digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def ledger_files(root: Path) -> list[Path]:
    """The inputs inside the ledger folder (documents are added from the stored result)."""
    files = [p for p in root.glob("*.y*ml") if p.is_file()]
    files += [p for p in (root / "units.txt",) if p.is_file()]
    files += [p for p in (root / "claims").glob("*.y*ml") if p.is_file()]
    return sorted(files)


def _inputs(root: Path, documents: list[str]) -> dict[str, str | None]:
    repo = root.resolve().parent
    out = {os.path.relpath(p, root): _digest(p) for p in ledger_files(root)}
    for doc in documents:
        out["@" + doc] = _digest(repo / doc)
    return out


def _path(root: Path, kind: str) -> Path:
    return root / FOLDER / f"{kind}.json"


def get(root: Path, kind: str, options: dict[str, Any]) -> dict[str, Any] | None:
    """The stored result of `kind` (`check`, `report`) if no input changed, else None."""
    try:
        entry = json.loads(_path(root, kind).read_text("utf-8"))
        if entry.get("version") != f"{code_tag()}/{FORMAT}" or entry.get("options") != options:
            return None
        if _inputs(root, entry["documents"]) != entry["inputs"]:
            return None
        return entry["result"]
    except (OSError, ValueError, KeyError, TypeError):  # absent, corrupt, half-written: redo
        return None


def put(
    root: Path, kind: str, options: dict[str, Any], documents: list[str], result: dict[str, Any]
) -> None:
    """Store a result with the hashes of everything it was computed from."""
    entry = {
        "version": f"{code_tag()}/{FORMAT}",
        "options": options,
        "documents": sorted(documents),
        "inputs": _inputs(root, sorted(documents)),
        "result": result,
    }
    with contextlib.suppress(OSError):
        (root / FOLDER).mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(
            _path(root, kind), json.dumps(entry, ensure_ascii=False, default=str).encode()
        )


def get_output(root: Path, kind: str) -> tuple[dict[str, Any], Path] | None:
    """A stored output of `kind` (`report.json`, ...) whose inputs have not changed: its
    small result (the outcome) and the file holding the output text, or None."""
    hit = get(root, kind, {})
    if not isinstance(hit, dict) or not isinstance(hit.get("output"), str):
        return None
    path = root / FOLDER / hit["output"]
    if "/" in hit["output"] or not path.is_file():
        return None
    return hit, path


def read_output(path: Path, size: int = 1 << 20) -> Iterator[str]:
    """A stored output, a megabyte at a time."""
    with open(path, encoding="utf-8", newline="") as handle:
        while chunk := handle.read(size):
            yield chunk


def tee_output(
    root: Path, kind: str, documents: list[str], result: dict[str, Any], chunks: Iterable[str]
) -> Iterator[str]:
    """Pass `chunks` on while storing them; once all are through, record them as the output of
    `kind` with `result`. An output cut short (an error, a closed pipe) is never recorded."""
    folder = root / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{kind}@{os.getpid()}-{time.time_ns()}.out"
        sink = contextlib.ExitStack()
        handle = sink.enter_context(open_atomic(folder / name))
    except OSError:  # no cache this time: the output is all that matters
        yield from chunks
        return
    with sink:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))
            yield chunk
    for old in folder.glob(f"{kind}@*.out"):
        if old.name != name:
            with contextlib.suppress(OSError):
                old.unlink()
    put(root, kind, {}, documents, {**result, "output": name})
