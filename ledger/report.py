"""The consistency report as one typed model, built once from an analysis.

Every output format (views/: text, Markdown, JSON, HTML) is a view of a `Report`: the views
choose words and layout, never what was found, so the formats cannot disagree. The model
holds references to the analysis' claims and checks, not copies, so a report of a million
claims costs little more than its analysis; views write it out piece by piece.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .analysis import Analysis, Conflict, DuplicateGroup, SumCheck
from .claim import Claim
from .coverage import Coverage, coverage
from .filters import NO_FILTER, ReportFilter, Shown
from .formatting import json_number, number
from .outcome import Outcome
from .overlaps import Overlap
from .problems import summary
from .sources import Source
from .totals import COLUMNS as TOTAL_COLUMNS
from .totals import totals
from .vocab import Verdict


@dataclass(frozen=True, slots=True)
class TotalRow:
    """One group of the totals table (see totals.py for the rules): its keys (in `by` order),
    kind, unit, the itemised claims' count and exact sums, the periods they state, and where a
    containing claim states the total of the group's scope, its figure and the combined
    reading."""

    keys: tuple[tuple[str, str], ...]
    unit: str
    claims: int
    low: Decimal
    point: Decimal
    high: Decimal  # Decimal("Infinity") when unbounded
    kind: str = "quantity"  # a vocab.TotalKind
    periods: int = 1
    span: str = ""
    stated_low: Decimal | None = None  # None: no containing claim in the group
    stated_high: Decimal | None = None
    stated_by: str = ""
    contained: int = 0
    combined_low: Decimal | None = None  # None: no containing claim, or a conflict (`note`)
    combined_high: Decimal | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The columns a reader sees (text, Markdown, HTML): keys, kind, unit, claims, low,
        point, high, periods, span, then the stated and combined figures as intervals."""
        return {**dict(self.keys), "kind": self.kind, "unit": self.unit, "claims": self.claims,
                "low": self.low, "point": self.point, "high": self.high,
                "periods": self.periods, "span": self.span,
                "stated": _bounds(self.stated_low, self.stated_high),
                "stated_by": self.stated_by,
                "combined": _bounds(self.combined_low, self.combined_high),
                "note": self.note}  # fmt: skip

    def as_data(self) -> dict[str, Any]:
        """Every column, each figure on its own (CSV; None where there is none)."""
        return {**dict(self.keys), "kind": self.kind, "unit": self.unit, "claims": self.claims,
                "low": self.low, "point": self.point, "high": self.high,
                "periods": self.periods, "span": self.span, "stated_low": self.stated_low,
                "stated_high": self.stated_high, "stated_by": self.stated_by,
                "contained": self.contained, "combined_low": self.combined_low,
                "combined_high": self.combined_high, "note": self.note}  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        """`as_data`, figures as JSON numbers (an unbounded high end, or none, `null`)."""
        data = self.as_data()
        return {k: json_number(v) if k in _FIGURES else v for k, v in data.items()}


_FIGURES = frozenset(
    {"low", "point", "high", "stated_low", "stated_high", "combined_low", "combined_high"}
)
_OPTIONAL = ("stated", "stated_by", "combined", "note")  # shown when some row has them


def _bounds(low: Decimal | None, high: Decimal | None) -> str:
    """`[3,677.9, 3,677.9]`, or "" when there is no figure."""
    return "" if low is None or high is None else f"[{number(low)}, {number(high)}]"


def total_table(rows: list[TotalRow]) -> list[dict[str, Any]]:
    """The totals as a reader sees them: the stated and combined columns only when some row
    has a containing claim, the note only when some row has one."""
    dicts = [r.as_dict() for r in rows]
    empty = [c for c in _OPTIONAL if not any(d[c] for d in dicts)]
    return [{k: v for k, v in d.items() if k not in empty} for d in dicts]


@dataclass
class Report:
    """Everything a consistency report says, in the order it says it."""

    ledger: str  # the ledger folder, as the user would type it
    claims: int
    problems: dict[str, int]  # {"errors": n, "warnings": n}
    verdict_counts: dict[str, int]  # every verdict, strongest first, with its count
    checks: list[SumCheck]
    conflicts: list[Conflict]  # one per scope whose claims cannot hold those inside it
    duplicates: list[DuplicateGroup]  # one per group of claims that may be one delivery
    totals: list[TotalRow]
    tolerances: list[dict[str, str]]
    overlaps: list[Overlap] = field(default_factory=list)  # possible conflicts (overlaps.py)
    coverage: Coverage | None = None  # what was checked (coverage.py)
    by_id: Mapping[str, Claim] = field(repr=False, default_factory=dict)
    # the sources the shown claims cite, each once, in the order first cited (None: an id
    # sources.yaml does not hold)
    sources: dict[str, Source | None] = field(default_factory=dict)
    filter: ReportFilter = NO_FILTER  # what is shown (filters.py); the counts stay the whole's
    whole: Shown | None = None  # how many of each section the whole ledger has, when filtered

    @property
    def outcome(self) -> Outcome:
        """The whole ledger's: a filter narrows what is shown, never hides a failure."""
        conflicts = self.whole.conflicts if self.whole is not None else len(self.conflicts)
        return Outcome(self.problems["errors"], conflicts, self.verdict_counts)

    def claim(self, claim_id: str) -> Claim:
        return self.by_id[claim_id]

    def coverage_line(self) -> str:
        """The coverage line (the whole ledger's), and what a filter shows of it."""
        line = self.coverage.line() if self.coverage is not None else ""
        if self.whole is None:
            return line
        shown = self.filter.line(self.shown(), self.whole)
        return f"{line}; {shown}" if line else shown

    def shown(self) -> Shown:
        return Shown(len(self.checks), len(self.conflicts), len(self.overlaps),
                     len(self.duplicates))  # fmt: skip


def build(analysis: Analysis, shown: ReportFilter = NO_FILTER) -> Report:
    """The report of an analysis (the default totals table: by provider and status), showing
    what `shown` picks (FilterError for an id the ledger does not hold)."""
    book = analysis.ledger
    counts = {str(v): 0 for v in Verdict}
    for c in analysis.checks:
        counts[str(c.verdict)] += 1
    report = Report(
        ledger=str(book.root),
        claims=len(book.entries),
        problems=summary(book.problems),
        verdict_counts=counts,
        checks=analysis.checks,
        conflicts=analysis.conflicts,
        duplicates=analysis.duplicates,
        totals=[],
        tolerances=book.tolerances.table(),
        overlaps=analysis.overlaps,
        coverage=coverage(analysis),
        by_id=analysis.by_id,
    )
    if shown.active:
        _narrow(report, analysis, shown)
    keep = shown.picks if shown.picks_claims else None
    report.totals = total_rows(totals(analysis, keep=keep))
    report.sources = cited(report, book.sources)
    return report


def _narrow(report: Report, analysis: Analysis, shown: ReportFilter) -> None:
    """Keep what the filter shows (lists of references: the claims are not copied)."""
    shown.validate(analysis.ledger)
    report.whole = report.shown()
    report.filter = shown
    report.checks = shown.checks(analysis.checks, analysis.by_id)
    report.conflicts = shown.conflicts(analysis.conflicts)
    report.overlaps = shown.overlaps(analysis.overlaps)
    report.duplicates = shown.duplicates(analysis.duplicates)


def cited(report: Report, sources: Mapping[str, Source]) -> dict[str, Source | None]:
    """The sources of the claims a report shows, each once, in the order first cited: one pass
    over the shown claims, a set look-up each (sources are few, claims many)."""
    ids: dict[str | None, None] = {}
    for c in report.checks:
        ids[report.by_id[c.claim].source] = None
        for p in c.parts:
            if p.found is not None:
                ids[p.found.source] = None
    for group in (*report.conflicts, *report.overlaps):
        ids.update(dict.fromkeys(x.source for x in group.outers))
        ids.update(dict.fromkeys(y.source for y in group.inners))
    for d in report.duplicates:
        ids.update(dict.fromkeys(m.source for m in d.members))
    return {i: sources.get(i) for i in ids if i is not None}


def citation(source_id: str, source: Source | None) -> str:
    """One cited source as text: `[id] "title", publisher, published, url` (each part that
    is given), or that sources.yaml does not hold it."""
    if source is None:
        return f"[{source_id}] (not in sources.yaml)"
    said = [f'"{source.title}"', source.publisher, source.published, source.url or ""]
    return f"[{source_id}] " + ", ".join(x for x in said if x)


def total_rows(table: Any) -> list[TotalRow]:
    """The rows of a `totals()` frame as typed rows (a missing group key reads `(none)`)."""
    keys = [c for c in table.columns if c not in TOTAL_COLUMNS]
    out = []
    for r in table.to_dict("records"):
        figures = {c: _figure(r.get(c)) for c in _FIGURES if c not in ("low", "point", "high")}
        out.append(
            TotalRow(
                tuple((k, _key(r[k])) for k in keys),
                str(r["unit"]),
                int(r["claims"]),
                r["low"],
                r["point"],
                r["high"],
                kind=str(r.get("kind", "quantity")),
                periods=int(r.get("periods", 1)),
                span=str(r.get("span", "")),
                stated_by=str(r.get("stated_by") or ""),
                contained=int(r.get("contained") or 0),
                note=str(r.get("note") or ""),
                **figures,
            )
        )
    return out


def _figure(v: Any) -> Decimal | None:
    return None if v is None or (isinstance(v, float) and v != v) else v


def _key(v: Any) -> str:
    return "(none)" if v is None or (isinstance(v, float) and v != v) else str(v)
