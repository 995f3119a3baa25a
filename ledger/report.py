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
from .formatting import json_number
from .outcome import Outcome
from .problems import summary
from .totals import totals
from .vocab import Verdict


@dataclass(frozen=True, slots=True)
class TotalRow:
    """One group of the totals table: its keys (in `by` order), unit, count and exact sums."""

    keys: tuple[tuple[str, str], ...]
    unit: str
    claims: int
    low: Decimal
    point: Decimal
    high: Decimal  # Decimal("Infinity") when unbounded

    def as_dict(self) -> dict[str, Any]:
        """Keys, then unit, claims, low, point, high: the table's columns."""
        return {**dict(self.keys), "unit": self.unit, "claims": self.claims,
                "low": self.low, "point": self.point, "high": self.high}  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        """The same columns, figures as JSON numbers (an unbounded high end `null`)."""
        return {**self.as_dict(), "low": json_number(self.low), "point": json_number(self.point),
                "high": json_number(self.high)}  # fmt: skip


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
        by_id=analysis.by_id,
    )


def total_rows(table: Any) -> list[TotalRow]:
    """The rows of a `totals()` frame as typed rows (a missing group key reads `(none)`)."""
    keys = [c for c in table.columns if c not in ("unit", "claims", "low", "point", "high")]
    out = []
    for r in table.to_dict("records"):
        out.append(
            TotalRow(
                tuple((k, _key(r[k])) for k in keys),
                str(r["unit"]),
                int(r["claims"]),
                r["low"],
                r["point"],
                r["high"],
            )
        )
    return out


def _key(v: Any) -> str:
    return "(none)" if v is None or (isinstance(v, float) and v != v) else str(v)
