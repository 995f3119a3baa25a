"""Finding a ledger folder and naming files the way a user would: no heavy imports here, so
a warm `check` can answer before pandas or pint are loaded."""

from __future__ import annotations

import os
from pathlib import Path


class LedgerNotFound(FileNotFoundError):
    """The path is not a ledger folder: the command itself cannot run (exit 2)."""


def find_root(path: str | os.PathLike[str]) -> Path:
    """The ledger folder for `path`: itself, its `data/` child, or the folder above a claim file."""
    p = Path(path)
    if not p.exists():
        raise LedgerNotFound(f"no such file or folder: {p}")
    candidates = [p, p / "data"] if p.is_dir() else list(p.resolve().parents)[:3]
    for c in candidates:
        if (c / "sources.yaml").is_file() or (c / "claims").is_dir():
            return c
    raise LedgerNotFound(f"{p} is not a ledger: no sources.yaml or claims/ folder in it")


def display_path(path: Path) -> str:
    """Paths as the user would type them: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
