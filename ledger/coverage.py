"""What a report checked, so that "no conflict found" and "not checked" never look the same.

Every report format opens with one coverage line: how many summed, counted, containing and
zero claims were checked, against how many deliveries, and how many findings of each kind.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .analysis import Analysis
from .vocab import CheckKind, Status


@dataclass(frozen=True, slots=True)
class Coverage:
    """The counts behind the coverage line (see `line`)."""

    summed: int  # claims with `sum_of`, checked against their parts
    counted: int  # claims with `count_of`
    containing: int  # claims whose scope holds others' (checked that they can hold them)
    zero: int  # delivered-nothing claims, checked against deliveries in or across their scope
    deliveries: int  # delivered claims with a figure above zero and gazetteer places
    findings: dict[str, int] = field(default_factory=dict)  # code -> how many, by code

    def line(self) -> str:
        """`checked 1 summed, 1 counted, 0 containing and 7 zero claims against 2
        deliveries; findings: none`."""
        found = ", ".join(f"{n:,} {code}" for code, n in self.findings.items()) or "none"
        return (
            f"checked {self.summed:,} summed, {self.counted:,} counted, {self.containing:,} "
            f"containing and {self.zero:,} zero claims against {self.deliveries:,} "
            f"deliveries; findings: {found}"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "summed": self.summed,
            "counted": self.counted,
            "containing": self.containing,
            "zero": self.zero,
            "deliveries": self.deliveries,
            "findings": dict(self.findings),
        }


def coverage(analysis: Analysis) -> Coverage:
    """Count what the analysis looked at and what it found (findings sorted by code)."""
    kinds = Counter(c.kind for c in analysis.checks)
    checked = {c.claim for c in analysis.checks}
    zero = deliveries = 0
    for c in analysis.ledger.entries:
        if c.status == Status.DELIVERED and c.figure is not None and c.place_names:
            zero += c.figure.is_zero
            deliveries += c.figure.positive
    found: Counter[str] = Counter(f.code for c in analysis.checks for f in c.findings)
    found.update(k.code for k in analysis.conflicts)
    found.update(o.code for o in analysis.overlaps)
    found["possible-double-count"] += len(analysis.duplicates)
    return Coverage(
        summed=kinds[CheckKind.SUM],
        counted=kinds[CheckKind.COUNT],
        containing=len(analysis.aggregates - checked),
        zero=zero,
        deliveries=deliveries,
        findings={code: n for code, n in sorted(found.items()) if n},
    )
