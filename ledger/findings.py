"""Every finding of an analysis as flat rows, for the tables of the SQLite and Parquet exports:
verdicts, each summed claim's findings, conflicts and possible duplicates, one row per claim
a finding names (never one per pair: a conflict of a thousand claims is a thousand rows)."""

from __future__ import annotations

from . import wording
from .analysis import Analysis

Row = tuple[str, str | None, str, str, str]  # claim, other claim, code, severity, message


def finding_rows(analysis: Analysis, ids: set[str]) -> list[Row]:
    """Every finding as (claim, other claim, code, severity, message), one row per claim it
    names, of the claims `ids` only: the SQLite and Parquet exports' `findings` tables."""
    out: list[Row] = []
    for c in analysis.checks:
        out.append((c.claim, None, f"verdict-{c.verdict}", "info", wording.reason(c) or c.verdict))
        out += [
            (c.claim, f.part if f.part in ids else None, f.code, f.severity, wording.finding(f))
            for f in c.findings
        ]
    for k in analysis.conflicts:  # a row per claim of a conflict, never one per pair
        said, named = wording.conflict(k), set()
        for x in k.outers:  # each with the first (the largest) inner claim it cannot hold
            y = next(y for y in k.inners if analysis.conflicting(x, y))
            out.append((x.id, y.id, k.code, "error", said))
            named.add(y.id)
        for y in k.inners:  # the rest with the first (the smallest) outer that cannot hold it
            if y.id not in named:
                x = next(x for x in k.outers if analysis.conflicting(x, y))
                out.append((y.id, x.id, k.code, "error", said))
    for d in analysis.duplicates:  # a row per claim of a group: the first pair, then the rest
        said = wording.duplicate(d)
        out.append((d.a, d.b, "possible-duplicate", "warning", said))
        out += [(m.id, d.a, "possible-duplicate", "warning", said)
                for m in d.members if m is not d.x and m is not d.y]  # fmt: skip
    return [f for f in out if f[0] in ids]
