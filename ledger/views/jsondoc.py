"""The report as one JSON document (`report --format json`), written a check at a time.

The document is what `json.dumps(doc, indent=2)` of the whole would give (byte for byte but
for the spelling of tiny floats: ledger/jsontext.py), but each list item is encoded on its own, so a report of a million claims is never held as
one structure; the claims of a conflict or of a group of possible double counts, which may be
thousands, are written one at a time too. Figures are numbers (`null` for an unbounded end):
see formatting.json_interval. The document's shape: ledger/schema/report.schema.json.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import __version__, jsontext, wording
from ..analysis import Conflict, DuplicateGroup, SumCheck
from ..claim import Claim
from ..formatting import json_interval, json_number
from ..overlaps import Overlap
from ..report import Report
from ..sources import Source
from .common import sum_unit


def render(report: Report, colour: bool = False) -> Iterator[str]:
    fields: list[tuple[str, Any]] = [
        ("aid_ledger", __version__),
        ("ledger", report.ledger),
        ("claims", report.claims),
        ("problems", report.problems),
        ("verdict_counts", report.verdict_counts),
        ("coverage", report.coverage.as_json() if report.coverage else None),
        ("checks", (check(c, report) for c in report.checks)),
        ("conflicts", (_conflict(k, report) for k in report.conflicts)),
        ("overlaps", (_overlap(o) for o in report.overlaps)),
        ("duplicates", (_duplicate(d, report) for d in report.duplicates)),
        ("totals", (r.as_json() for r in report.totals)),
        ("tolerances", report.tolerances),
        ("sources", {k: _source(s) for k, s in report.sources.items()}),
        ("filter", _filter(report)),
    ]
    yield from _write(dict(fields), 0)
    yield "\n"


def _source(source: Source | None) -> dict[str, Any]:
    """A cited source as sources.yaml states it, or that it does not hold the id."""
    if source is None:
        return {"missing": True}
    return {"title": source.title, "publisher": source.publisher,
            "published": source.published, "url": source.url, "document": source.document,
            "language": source.language}  # fmt: skip


def _filter(report: Report) -> dict[str, Any] | None:
    """What a filtered report was asked to show, and how much of the whole it shows."""
    if report.whole is None:
        return None
    return {"options": report.filter.options(), "shown": report.shown().as_json(),
            "of": report.whole.as_json()}  # fmt: skip


def _write(value: Any, depth: int) -> Iterator[str]:
    """`value` as json.dumps(indent=2) writes it `depth` spaces in, in pieces: a list given as
    an iterator is written an item at a time, and so is an object holding one."""
    if isinstance(value, Iterator):
        first = True
        for item in value:
            yield ("[\n" if first else ",\n") + " " * (depth + 2)
            yield from _write(item, depth + 2)
            first = False
        yield "[]" if first else "\n" + " " * depth + "]"
    elif isinstance(value, dict) and value and any(isinstance(v, Iterator) for v in value.values()):
        last = len(value) - 1
        yield "{\n"
        for n, (key, item) in enumerate(value.items()):
            yield f"{' ' * (depth + 2)}{_dumps(key)}: "
            yield from _write(item, depth + 2)
            yield ",\n" if n < last else "\n"
        yield " " * depth + "}"
    else:
        yield _dumps(value, depth)


def _dumps(value: Any, depth: int = 0) -> str:
    text = jsontext.dumps(value, default=str)
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
            "point_range": json_interval(c.point_range, unit),
            "parts": parts,
            "actions": [list(a) for a in c.actions] if c.actions is not None else None,
            "unweighed": [
                {"claim": p.claim, "sum_as": p.weight.text} for p in c.parts if p.weight is not None
            ],
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


def _conflict(k: Conflict, report: Report) -> dict[str, Any]:
    """One conflict: the clearest case (`outer`, `inner`), then every claim on each side."""
    return {
        "code": k.code,
        "message": wording.conflict(k),
        "outer": brief(k.x),
        "inner": brief(k.y),
        "outers": (brief(x) for x in k.outers),
        "inners": (brief(y) for y in k.inners),
    }


def _overlap(o: Overlap) -> dict[str, Any]:
    """One possible conflict: the clearest pair, what it shares, then every claim each side."""
    return {
        "code": o.code,
        "message": wording.overlap(o),
        "relation": str(o.relation),
        "shared": {"places": list(o.shared.places), "days": o.shared.days},
        "outer": brief(o.x),
        "inner": brief(o.y),
        "outers": (brief(x) for x in o.outers),
        "inners": (brief(y) for y in o.inners),
    }


def _duplicate(d: DuplicateGroup, report: Report) -> dict[str, Any]:
    """One group of claims that may be one delivery: its sources, the clearest pair (`a`, `b`),
    then every claim with its `same_as` link (if it has one already)."""
    return {
        "message": wording.duplicate(d),
        "sources": list(d.sources),
        "a": brief(d.x),
        "b": brief(d.y),
        "members": ({**brief(m), "same_as": m.same_as} for m in d.members),
    }
