"""The report as one JSON document (`report --format json`), written a check at a time.

The document is what `json.dumps(doc, indent=2)` of the whole would give, byte for byte,
but each list item is encoded on its own, so a report of a million claims is never held as
one structure. Figures are numbers (`null` for an unbounded end): see formatting.json_interval.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .. import __version__, wording
from ..analysis import SumCheck
from ..claim import Claim
from ..formatting import json_interval, json_number
from ..report import Report
from .common import sum_unit


def render(report: Report, colour: bool = False) -> Iterator[str]:
    fields: list[tuple[str, Any]] = [
        ("aid_ledger", __version__),
        ("ledger", report.ledger),
        ("claims", report.claims),
        ("problems", report.problems),
        ("verdict_counts", report.verdict_counts),
        ("checks", (check(c, report) for c in report.checks)),
        ("conflicts", (_conflict(k, report) for k in report.conflicts)),
        ("duplicates", (_duplicate(d, report) for d in report.duplicates)),
        ("totals", (r.as_json() for r in report.totals)),
        ("tolerances", report.tolerances),
    ]
    yield "{\n"
    for n, (key, value) in enumerate(fields):
        yield f"  {_dumps(key)}: "
        if isinstance(value, Iterator):
            yield from _list(value)
        else:
            yield _dumps(value, 2)
        yield ",\n" if n < len(fields) - 1 else "\n"
    yield "}\n"


def _list(items: Iterable[Any]) -> Iterator[str]:
    """A list as json.dumps(indent=2) writes it at depth 1, one item at a time."""
    first = True
    for item in items:
        yield ("[\n    " if first else ",\n    ") + _dumps(item, 4)
        first = False
    yield "[]" if first else "\n  ]"


def _dumps(value: Any, depth: int = 0) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return text.replace("\n", "\n" + " " * depth) if depth else text


def brief(claim: Claim) -> dict[str, Any]:
    """What a reader needs to judge one claim: who says it, about whom, the words and the figure."""
    fig = claim.figure
    return {
        "claim": claim.id,
        "claimant": claim.claimant,
        "claimant_org": claim.claimant_org,
        "provider": claim.provider,
        "provider_org": claim.provider_org,
        "status": claim.status,
        "item": claim.item,
        "quantity": claim.quantity_text,
        "places": list(claim.places or ()),
        "period": claim.period_text,
        "source": claim.source,
        "quote": claim.quote,
        "interval": json_interval(fig.stated, fig.unit) if fig else None,
        "rounded": json_interval(fig.rounded, fig.unit) if fig else None,
        "point": json_number(fig.point) if fig else None,
        "location": claim.location,
    }


def check(c: SumCheck, report: Report) -> dict[str, Any]:
    """One checked claim with its verdict, figures, parts and findings."""
    claim = report.claim(c.claim)
    unit = sum_unit(c)
    parts = [
        {"claim": p.claim, "missing": True} if p.found is None else brief(p.found) for p in c.parts
    ]
    out = brief(claim)
    out.update(
        {
            "kind": c.kind,
            "verdict": c.verdict,
            "explanation": wording.explanation(c),
            "point_holds": c.point_holds,
            "stated": json_interval(c.figure.stated, c.figure.unit) if c.figure else None,
            "sum": json_interval(c.sum, unit),
            "sum_rounded": json_interval(c.sum_rounded, unit),
            "point_sum": json_number(c.point_sum),
            "point_check": wording.point_check(c, claim.quantity_text),
            "parts": parts,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "part": f.part,
                    "message": wording.finding(f),
                }
                for f in c.findings
            ],
        }
    )
    return out


def _conflict(k: Any, report: Report) -> dict[str, Any]:
    outer, inner = report.claim(k.outer), report.claim(k.inner)
    return {
        "code": k.code,
        "outer": brief(outer),
        "inner": brief(inner),
        "message": wording.conflict(k),
    }


def _duplicate(d: Any, report: Report) -> dict[str, Any]:
    return {
        "a": brief(report.claim(d.a)),
        "b": brief(report.claim(d.b)),
        "message": wording.duplicate(d),
    }
