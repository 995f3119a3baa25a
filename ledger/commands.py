"""What each command does, as library functions: the CLI only parses options and prints.

Every command that reads a ledger (`check`, `report`, `totals`, `export`) goes through the same
two steps: answer from the cache (cache.py) when no input changed, without importing pandas or
pint, else load the ledger, compute, and store what was computed. Each returns an `Outcome`,
and `exit_code` is the one exit rule: 1 when the ledger has errors (or, for a report, a claim
is contradicted or a verdict named in `fail_on` occurs), else 0.
"""

from __future__ import annotations

import codecs
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec

from .cache import Cache, read_output
from .filters import NO_FILTER, ReportFilter
from .outcome import Outcome
from .paths import find_root
from .problems import Problem, has_errors

if TYPE_CHECKING:
    import pandas as pd

    from .loader import Ledger
    from .parquet import Written

Chunks = Iterator[bytes]
P = ParamSpec("P")


@dataclass(frozen=True)
class CheckResult:
    """Every problem of a ledger, and how many claims and files it has."""

    problems: list[Problem]
    claims: int
    files: int

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def outcome(self) -> Outcome:
        return _errors_only(sum(p.severity == "error" for p in self.problems))


def exit_code(outcome: Outcome, fail_on: Iterable[str] = ()) -> int:
    """The exit status of every command that reads a ledger (2, "cannot run", is the CLI's)."""
    return 1 if outcome.failing(fail_on) else 0


def check_result(path: str | os.PathLike[str], use_cache: bool = True) -> CheckResult:
    """`aid-ledger check`: every problem of the ledger at `path` (LedgerNotFound if none)."""
    cache = Cache(find_root(path)) if use_cache else None
    hit = cache.result("check", {}) if cache is not None else None
    cached = _check_result(hit[0]) if hit is not None else None
    if cached is not None:
        return cached
    book = _load(path, use_cache)
    result = CheckResult(list(book.problems), len(book.entries), book.files)
    if cache is not None:
        stored = {
            "problems": [p.as_dict() for p in result.problems],
            "claims": result.claims,
            "files": result.files,
        }
        cache.store_result("check", {}, book.inputs, stored)
    return result


def report_bytes(
    path: str | os.PathLike[str],
    fmt: str,
    colour: bool = False,
    use_cache: bool = True,
    shown: ReportFilter = NO_FILTER,
) -> tuple[Outcome, Chunks]:
    """`aid-ledger report`: the outcome and the report in `fmt` (a `ReportFormat`) as UTF-8
    bytes, produced as they are written (a warm run's come straight from the cache's file,
    `cache.Stored`). `shown` narrows what it shows (the analysis, the coverage line and the
    outcome stay the whole ledger's); FilterError for an unknown id, raised before anything
    is written or stored. `report_output` gives the same as text."""

    def make(book: Ledger) -> tuple[Outcome, Chunks]:
        from .analysis import analyse
        from .report import build
        from .views import render

        model = build(analyse(book), shown)
        return model.outcome, _encoded(render(model, fmt, colour))

    options = {"format": fmt, "colour": colour and fmt == "text", "filter": shown.options()}
    return cached_output(path, "report", options, make, use_cache)


def totals_bytes(
    path: str | os.PathLike[str],
    by: tuple[str, ...] = ("provider", "status"),
    level: str | None = None,
    unit: str | None = None,
    org_level: str | None = None,
    fmt: str = "text",
    per: str | None = None,
    use_cache: bool = True,
    shown: ReportFilter = NO_FILTER,
) -> tuple[Outcome, Chunks]:
    """`aid-ledger totals`: the outcome and the totals table in `fmt` (a `TotalsFormat`) as
    UTF-8 bytes, of the claims `shown` picks (its source, claim and period; all when empty).
    TotalsError for a bad group or unit, FilterError for an unknown id, raised before
    anything is written or stored. `totals_output` gives the same as text."""

    def make(book: Ledger) -> tuple[Outcome, Chunks]:
        from .report import total_rows
        from .views.totals import render

        table = _totals(book, by, level, unit, org_level, per, shown)
        text = render(total_rows(table), fmt, list(table.columns))
        return _ledger_outcome(book), iter((text.encode("utf-8"),))

    options = {"by": list(by), "level": level, "unit": unit, "org_level": org_level, "fmt": fmt,
               "per": per, "filter": shown.options()}  # fmt: skip
    return cached_output(path, "totals", options, make, use_cache)


def _as_text(
    make_bytes: Callable[P, tuple[Outcome, Chunks]], name: str
) -> Callable[P, tuple[Outcome, Iterator[str]]]:
    """The text version of a command that gives bytes, with its parameters: for a notebook,
    which wants text; the CLI writes the bytes as they are."""

    @functools.wraps(make_bytes)
    def as_text(*args: P.args, **kwargs: P.kwargs) -> tuple[Outcome, Iterator[str]]:
        outcome, chunks = make_bytes(*args, **kwargs)
        return outcome, _decoded(chunks)

    as_text.__name__ = as_text.__qualname__ = name
    as_text.__doc__ = f"`{make_bytes.__name__}`, its output as text (decoded as it comes)."
    return as_text


report_output = _as_text(report_bytes, "report_output")
totals_output = _as_text(totals_bytes, "totals_output")


def totals_table(
    path: str | os.PathLike[str],
    by: tuple[str, ...] = ("provider", "status"),
    level: str | None = None,
    unit: str | None = None,
    org_level: str | None = None,
    per: str | None = None,
    shown: ReportFilter = NO_FILTER,
) -> tuple[pd.DataFrame, bool]:
    """The totals as a DataFrame (exact sums as text) and whether the ledger is free of errors,
    for a notebook. TotalsError for a bad group or unit, FilterError for an unknown id."""
    book = _load(path, True)
    return _totals(book, by, level, unit, org_level, per, shown), book.ok


def export_output(
    path: str | os.PathLike[str], fmt: str, raw: bool = False, use_cache: bool = True
) -> tuple[Outcome, Chunks]:
    """`aid-ledger export`: the outcome and the export's bytes in `fmt` (an `ExportFormat`).
    Where they go, and whether that is allowed, is `export.refusal`'s and the caller's."""

    def make(book: Ledger) -> tuple[Outcome, Chunks]:
        from .analysis import analyse
        from .export import export_chunks

        return _ledger_outcome(book), export_chunks(analyse(book), fmt, raw)

    return cached_output(path, "export", {"format": fmt, "raw": raw}, make, use_cache)


def export_dataset(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    force: bool = False,
    use_cache: bool = True,
) -> tuple[Outcome, Written]:
    """`aid-ledger export --format parquet -o FOLDER`: the outcome and what was written. A
    dataset is a folder, not bytes, so it is never cached; the ledger's load still is.
    parquet.DatasetRefused when the folder may not be written or pyarrow is missing."""
    from .analysis import analyse
    from .parquet import pyarrow_modules, write_dataset

    pyarrow_modules()  # say "install pyarrow" before loading a million claims
    book = _load(path, use_cache)
    return _ledger_outcome(book), write_dataset(analyse(book), output, force)


def cached_output(
    path: str | os.PathLike[str],
    kind: str,
    options: dict[str, Any],
    make: Callable[[Ledger], tuple[Outcome, Chunks]],
    use_cache: bool = True,
) -> tuple[Outcome, Chunks]:
    """The output of command `kind` with `options`: the stored one when no input changed,
    else `make(ledger)`'s, stored as it is passed on (when `use_cache`)."""
    cache = Cache(find_root(path)) if use_cache else None
    hit = cache.result(kind, options) if cache is not None else None
    if hit is not None and hit[1] is not None:
        outcome = _outcome(hit[0])
        if outcome is not None:
            return outcome, read_output(hit[1])
    book = _load(path, use_cache)
    outcome, chunks = make(book)
    if cache is not None:
        chunks = cache.tee(kind, options, book.inputs, outcome.as_dict(), chunks)
    return outcome, chunks


def _load(path: str | os.PathLike[str], use_cache: bool) -> Ledger:
    from .loader import load

    return load(path, use_cache=use_cache)


def _totals(
    book: Ledger,
    by: tuple[str, ...],
    level: str | None,
    unit: str | None,
    org_level: str | None,
    per: str | None = None,
    shown: ReportFilter = NO_FILTER,
) -> pd.DataFrame:
    from .analysis import analyse
    from .totals import totals

    shown.validate(book)
    keep = shown.picks if shown.picks_claims else None
    return totals(analyse(book), by, level, unit, org_level, per, keep=keep)


def _errors_only(errors: int) -> Outcome:
    return Outcome(errors, 0, {})


def _ledger_outcome(book: Ledger) -> Outcome:
    return _errors_only(sum(p.severity == "error" for p in book.problems))


def _encoded(chunks: Iterable[str]) -> Chunks:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def _decoded(chunks: Iterable[bytes]) -> Iterator[str]:
    """Text from bytes read in pieces that may cut a character in two."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in chunks:
        if text := decoder.decode(chunk):
            yield text
    if tail := decoder.decode(b"", final=True):
        yield tail


def _check_result(hit: Any) -> CheckResult | None:
    """A stored check result, or None when it has the wrong shape (a cache entry is never
    trusted to be what it should: it is then computed afresh)."""
    try:
        found = CheckResult(
            [Problem.checked(**p) for p in hit["problems"]], hit["claims"], hit["files"]
        )
    except (TypeError, KeyError, ValueError):
        return None
    return found if type(found.claims) is int and type(found.files) is int else None


def _outcome(stored: Any) -> Outcome | None:
    """A stored outcome, or None when it has the wrong shape."""
    try:
        outcome = Outcome(**stored)
    except TypeError:
        return None
    counts = outcome.verdicts
    numbers = isinstance(outcome.errors, int) and isinstance(outcome.conflicts, int)
    if numbers and isinstance(counts, dict) and all(isinstance(n, int) for n in counts.values()):
        return outcome
    return None
