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
from .formatting import json_number, number
from .outcome import Outcome
from .overlaps import Overlap
from .problems import summary
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

    @property
    def outcome(self) -> Outcome:
        return Outcome(self.problems["errors"], len(self.conflicts), self.verdict_counts)

    def claim(self, claim_id: str) -> Claim:
        return self.by_id[claim_id]


def build(analysis: Analysis) -> Report:
    """The report of an analysis (the default totals table: by provider and status)."""
    book = analysis.ledger
    counts = {str(v): 0 for v in Verdict}
    for c in analysis.checks:
        counts[str(c.verdict)] += 1
    return Report(
        ledger=str(book.root),
        claims=len(book.entries),
        problems=summary(book.problems),
        verdict_counts=counts,
        checks=analysis.checks,
        conflicts=analysis.conflicts,
        duplicates=analysis.duplicates,
        totals=total_rows(totals(analysis)),
        tolerances=book.tolerances.table(),
        overlaps=analysis.overlaps,
        coverage=coverage(analysis),
        by_id=analysis.by_id,
    )


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
