"""What each command does, as library functions: the CLI only parses options and prints.

`check_result` and `report_output` answer from the result cache when no input changed (without
importing pandas or pint), else load the ledger and store what they computed. Both can be
called from Python as they are; the exit rule is `Outcome.failing` / "are there errors".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import results
from .outcome import Outcome
from .paths import find_root
from .problems import Problem, has_errors

if TYPE_CHECKING:
    import pandas as pd

    from .loader import Ledger


@dataclass(frozen=True)
class CheckResult:
    """Every problem of a ledger, and how many claims and files it has."""

    problems: list[Problem]
    claims: int
    files: int

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def _documents(book: Ledger) -> list[str]:
    """The source documents a result depends on (for the result cache)."""
    return [s.document for s in book.sources.values() if s.path is not None]


def check_result(path: str | os.PathLike[str], use_cache: bool = True) -> CheckResult:
    """`aid-ledger check`: every problem of the ledger at `path` (LedgerNotFound if none)."""
    root = find_root(path)
    cached = _check_result(results.get(root, "check", {})) if use_cache else None
    if cached is not None:
        return cached
    from .loader import load

    book = load(path, use_cache=use_cache)
    hit = {
        "problems": [p.as_dict() for p in book.problems],
        "claims": len(book.entries),
        "files": book.files,
    }
    if use_cache:
        results.put(root, "check", {}, _documents(book), hit)
    return CheckResult(list(book.problems), len(book.entries), book.files)


def _check_result(hit: Any) -> CheckResult | None:
    """A stored check result, or None when there is none or it has the wrong shape (a cache
    entry is never trusted to be what it should: it is then computed afresh)."""
    try:
        found = CheckResult([Problem(**p) for p in hit["problems"]], hit["claims"], hit["files"])
    except (TypeError, KeyError):
        return None
    ok = all(isinstance(getattr(p, k), str) for p in found.problems for k in ("file", "code"))
    return found if ok and isinstance(found.claims, int) and isinstance(found.files, int) else None


def _outcome(stored: dict[str, Any]) -> Outcome | None:
    """A stored report's outcome, or None when it has the wrong shape."""
    try:
        outcome = Outcome(**stored["outcome"])
    except (TypeError, KeyError):
        return None
    counts = outcome.verdicts
    numbers = isinstance(outcome.errors, int) and isinstance(outcome.conflicts, int)
    if numbers and isinstance(counts, dict) and all(isinstance(n, int) for n in counts.values()):
        return outcome
    return None


def report_output(
    path: str | os.PathLike[str], fmt: str, colour: bool = False, use_cache: bool = True
) -> tuple[Outcome, Iterator[str]]:
    """`aid-ledger report`: the outcome (for the exit status) and the report in `fmt` as chunks
    of text, written as they are produced (and stored for the next run when `use_cache`)."""
    root = find_root(path)
    kind = f"report.{fmt}" + (".colour" if fmt == "text" and colour else "")
    hit = results.get_output(root, kind) if use_cache else None
    outcome = _outcome(hit[0]) if hit is not None else None
    if hit is not None and outcome is not None:
        return outcome, results.read_output(hit[1])
    from .analysis import analyse
    from .loader import load
    from .report import build
    from .views import render

    book = load(path, use_cache=use_cache)
    model = build(analyse(book))
    outcome = model.outcome
    chunks = render(model, fmt, colour)
    if use_cache:
        result: dict[str, Any] = {"outcome": outcome.as_dict()}
        chunks = results.tee_output(root, kind, _documents(book), result, chunks)
    return outcome, chunks


def totals_table(
    path: str | os.PathLike[str],
    by: tuple[str, ...] = ("provider", "status"),
    level: str | None = None,
    unit: str | None = None,
    org_level: str | None = None,
) -> tuple[pd.DataFrame, bool]:
    """`aid-ledger totals`: the totals frame (exact sums) and whether the ledger is free of
    errors. TotalsError for a bad group or unit."""
    from .analysis import analyse
    from .loader import load
    from .totals import totals

    book = load(path)
    return totals(analyse(book), by, level, unit, org_level), book.ok
