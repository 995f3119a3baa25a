"""The report's sentences, in one place: what a verdict means for the figures that decide it,
the arithmetic of the point check, why a check could not be made, scope findings, conflicts
and possible double counts.

Analysis decides (verdicts, codes and the facts behind them); this module only says it in
English. Every view (text, Markdown, JSON, HTML) and the SQLite export take their sentences
from here: `finding(f)`, `conflict(k)`, `duplicate(d)`, `reason(c)`, `explanation(c)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .analysis import Conflict, Duplicate, Finding, SumCheck
from .claim import Claim
from .formatting import interval, number, plain
from .vocab import CheckKind, Verdict


def explanation(c: SumCheck) -> str:
    """The verdict in words, with the figures that decide it."""
    base = Verdict(c.verdict).description
    if c.unusable:
        return reason(c)
    if c.figure is None or c.sum is None:
        return base
    unit = None if c.kind == CheckKind.COUNT else c.figure.unit
    claim, parts = interval(c.figure.stated, unit), interval(c.sum, unit)
    if c.verdict == Verdict.COMPATIBLE:
        return f"{base}: some values of the parts' range {parts} lie outside the claim's {claim}"
    if c.verdict == Verdict.SUPPORTED:
        return f"{base}: the parts' range {parts} lies inside the claim's {claim}"
    if c.verdict == Verdict.ROUNDING:
        return (
            f"{base}: {parts} misses {claim}, but {interval(c.sum_rounded, unit)} meets "
            f"{interval(c.figure.rounded, unit)}"
        )
    return f"{base}: the parts' range {parts} and the claim's {claim} do not meet"


def point_check(c: SumCheck, stated_text: str | None) -> str | None:
    """'4 t + 1 t = 5 t, which is not more than 5 t': the arithmetic a reader would do."""
    if c.point_sum is None or c.figure is None:
        return None
    if c.kind == CheckKind.COUNT:
        return f"{len(c.parts)} parts listed; the claim states {plain(c.figure.point)}."
    unit = c.figure.unit or ""
    terms = " + ".join(f"{number(p.figure.point)} {unit}" for p in c.parts if p.figure)
    holds = "which is" if c.point_holds else "which is not"
    return (
        f"{terms} = {number(c.point_sum)} {unit}, {holds} {stated_text} "
        f"(stated interval {interval(c.figure.stated)} {unit})."
    )


def _places_outside(pid: str | None, f: dict[str, Any]) -> str:
    where = ", ".join(f"`{n}` ({' < '.join(chain) or 'top level'})" for n, chain in f["outside"])
    return f"{pid}: {where} lies outside the claim's places: {', '.join(f['claim_places'])}."


FINDINGS: dict[str, Callable[[str | None, dict[str, Any]], str]] = {
    "scope-place": _places_outside,
    "scope-period": lambda pid, f: (
        f"{pid}: its period {f['period']} is not inside the claim's period {f['claim_period']}."
    ),
    "scope-provider": lambda pid, f: (
        f"{pid}: provided by {f['provider']}, which is not {f['claim_provider']} nor part of it."
    ),
    "scope-status": lambda pid, f: f"{pid}: a {f['status']} figure under a delivered claim.",
    "scope-item": lambda pid, f: (
        f"{pid}: its item `{f['item']}` is not a kind of the claim's item `{f['claim_item']}`."
    ),
}


def finding(f: Finding) -> str:
    """A scope finding in words: which part strays outside the summed claim's scope, and how."""
    return FINDINGS[f.code](f.part, f.fields)


UNUSABLE: dict[str, Callable[[dict[str, Any]], str]] = {
    "parts-missing": lambda f: "parts not in the ledger: " + ", ".join(f["parts"]),
    "no-figure": lambda f: f"`{f['claim']}` has no usable figure (see the check problems)",
    "count-not-a-count": lambda f: (
        f"`count_of` needs a count (e.g. `two events`), not a {f['dimension']}"
    ),
    "parts-unusable": lambda f: "parts without a usable figure: " + ", ".join(f["parts"]),
    "none-figure": lambda f: "a `none` figure cannot be compared with a sum",
    "dimensions-differ": lambda f: (
        f"dimensions differ: the claim is in {f['unit']}, but "
        + ", ".join(f"{pid} ({unit})" for pid, unit in f["parts"])
    ),
}


def reason(c: SumCheck) -> str:
    """Why a summed or counted claim could not be compared with its parts ("" when it could)."""
    if c.unusable is None:
        return ""
    code, fields = c.unusable
    return UNUSABLE[code](fields)


def _figure(c: Claim) -> str:
    """`about 4 t [3.5, 4.5] t`: the words, then the interval they were read as."""
    if c.figure is None:
        return f"{c.quantity_text} ?"
    return f"{c.quantity_text} {interval(c.figure.stated)} {c.figure.unit or ''}".rstrip()


def conflict(k: Conflict) -> str:
    """Claim x's scope holds claim y's, but x's figure cannot hold y's."""
    x, y = k.x, k.y
    if k.code == "zero-contradicted":
        what = f"{x.claimant} says {x.provider} gave none ({x.quantity_text})"
    else:
        what = f"{x.claimant} states {_figure(x)}"
    return f"{what} for a scope that holds {y.id}, where {y.claimant} states {_figure(y)}."


def duplicate(d: Duplicate) -> str:
    """Two claims from different sources that look like one delivery, and how to link them."""
    a, b = d.x, d.y
    places = ", ".join(a.place_names or ())
    return (
        f"{a.id} ({a.source}) and {b.id} ({b.source}) look like the same delivery: "
        f"{a.provider}, {places}, {a.period_text}, {a.quantity_text} / {b.quantity_text}. "
        f"If they are, add `same_as: {a.id}` to {b.id}."
    )
