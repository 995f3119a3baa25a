"""The consistency report as data: one plain dict that every output format renders.

`build(analysis)` is the JSON document (`aid-ledger report --format json`); the text, Markdown
and HTML renderers read the same dict, so the formats cannot disagree.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from . import __version__
from .analysis import Analysis, SumCheck
from .claim import Claim, Figure
from .intervals import fmt
from .problems import summary
from .totals import totals

EXPLAIN = {
    "supported": "every reading of the parts makes the claim true",
    "compatible": "the parts allow the claim, but do not force it",
    "rounding": "off only by the rounding of bare figures",
    "contradicted": "the parts cannot add up to the claim, even read as rounded",
    "incomparable": "cannot be compared",
}


def build(analysis: Analysis) -> dict[str, Any]:
    book = analysis.ledger
    rows = analysis.rows
    table = totals(analysis)
    counts = {v: sum(c.verdict == v for c in analysis.checks) for v in EXPLAIN}
    return {
        "aid_ledger": __version__,
        "ledger": str(book.root),
        "claims": len(book.entries),
        "problems": summary(book.problems),
        "verdict_counts": counts,
        "checks": [_check(c, rows) for c in analysis.checks],
        "conflicts": [
            {
                "code": c.code,
                "outer": _brief(rows[c.outer], rows[c.outer].figure),
                "inner": _brief(rows[c.inner], rows[c.inner].figure),
                "message": c.message,
            }
            for c in analysis.conflicts
        ],  # fmt: skip
        "duplicates": [
            {
                "a": _brief(rows[d.a], rows[d.a].figure),
                "b": _brief(rows[d.b], rows[d.b].figure),
                "message": d.message,
            }
            for d in analysis.duplicates
        ],  # fmt: skip
        "totals": [_total_row(r) for r in table.to_dict("records")],
        "tolerances": book.tolerances.table(),
    }


def _interval(fig_interval: Any, unit: str | None) -> dict[str, Any] | None:
    return fig_interval.to_dict(unit) if fig_interval is not None else None


def _brief(row: Claim, fig: Figure | None) -> dict[str, Any]:
    """What a reader needs to judge one claim: who says it, about whom, the words and the figure."""
    return {
        "claim": row.id,
        "claimant": row.claimant,
        "claimant_org": row.claimant_org,
        "provider": row.provider,
        "provider_org": row.provider_org,
        "status": row.status,
        "item": row.item,
        "quantity": row.quantity_text,
        "places": list(row.places or ()),
        "period": row.period_text,
        "source": row.source,
        "quote": row.quote,
        "interval": _interval(fig.stated, fig.unit) if fig else None,
        "rounded": _interval(fig.rounded, fig.unit) if fig else None,
        "point": _num(fig.point) if fig else None,
        "location": f"{row.file}:{row.line}",
    }


def _check(c: SumCheck, rows: dict) -> dict[str, Any]:
    unit = c.figure.unit if c.figure else None
    if c.kind == "count":
        unit = "parts"
    parts = []
    for p in c.parts:
        if p.row is None:
            parts.append({"claim": p.claim, "missing": True})
        else:
            parts.append(_brief(p.row, p.figure))
    out = _brief(rows[c.claim], c.figure)
    out.update(
        {
            "kind": c.kind,
            "verdict": c.verdict,
            "explanation": c.reason or _explain(c),
            "point_holds": c.point_holds,
            "stated": _interval(c.figure.stated, c.figure.unit) if c.figure else None,
            "sum": _interval(c.sum, unit),
            "sum_rounded": _interval(c.sum_rounded, unit),
            "point_sum": _num(c.point_sum) if c.point_sum is not None else None,
            "point_check": _point_sentence(c, rows[c.claim].quantity_text),
            "parts": parts,
            "findings": [
                {"code": f.code, "severity": f.severity, "part": f.part, "message": f.message}
                for f in c.findings
            ],
        }
    )
    return out


def _explain(c: SumCheck) -> str:
    """The verdict in words, with the figures that decide it."""
    base = EXPLAIN[c.verdict]
    if c.figure is None or c.sum is None:
        return base
    unit = "" if c.kind == "count" else f" {c.figure.unit}"
    claim, parts = f"{c.figure.stated}{unit}", f"{c.sum}{unit}"
    if c.verdict == "compatible":
        return f"{base}: some values of the parts' range {parts} lie outside the claim's {claim}"
    if c.verdict == "supported":
        return f"{base}: the parts' range {parts} lies inside the claim's {claim}"
    if c.verdict == "rounding":
        return f"{base}: {parts} misses {claim}, but {c.sum_rounded}{unit} meets {c.figure.rounded}{unit}"
    return f"{base}: the parts' range {parts} and the claim's {claim} do not meet"


def _point_sentence(c: SumCheck, stated_text: str) -> str | None:
    """'4 t + 1 t = 5 t, which is not more than 5 t': the arithmetic a reader would do."""
    if c.point_sum is None or c.figure is None:
        return None
    unit = c.figure.unit or ""
    if c.kind == "count":
        return f"{len(c.parts)} parts listed; the claim states {c.figure.point.normalize():f}."
    terms = " + ".join(f"{fmt(p.figure.point)} {unit}" for p in c.parts if p.figure)
    holds = "which is" if c.point_holds else "which is not"
    return f"{terms} = {fmt(c.point_sum)} {unit}, {holds} {stated_text} (stated interval {c.figure.stated} {unit})."


def _total_row(r: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: an unbounded total is `null`, a missing group key `(none)`."""
    out: dict[str, Any] = {}
    for k, v in r.items():
        if k in ("low", "point", "high"):
            out[k] = _num(v) if v.is_finite() else None
        elif k == "claims":
            out[k] = int(v)
        else:
            out[k] = "(none)" if v is None or (isinstance(v, float) and math.isnan(v)) else v
    return out


def _num(x: Decimal) -> int | float:
    return int(x) if x == x.to_integral_value() else float(x)
