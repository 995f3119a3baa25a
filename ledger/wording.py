"""The report's sentences, in one place: what a verdict means for the figures that decide it,
the arithmetic of the point check, why a check could not be made, scope findings, conflicts
and possible double counts.

Analysis decides (verdicts, codes and the facts behind them); this module only says it in
English. Every view (text, Markdown, JSON, HTML) and the SQLite export take their sentences
from here: `finding(f)`, `conflict(k)`, `duplicate(d)`, `reason(c)`, `explanation(c)`.

A conflict or a group of possible double counts may hold thousands of claims: its sentence
stays one sentence (a count, a few names, the clearest case), and the views list the claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .analysis import Conflict, DuplicateGroup, Finding, SumCheck
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


def _few(names: Iterable[str | None], limit: int = 3) -> str:
    """`A`, `A and B`, `A, B and C`, `A, B, C and 4 others`: distinct names, in order."""
    shown = [str(n) for n in dict.fromkeys(names)]
    if len(shown) > limit:
        rest = len(shown) - limit
        return f"{', '.join(shown[:limit])} and {rest:,} other{'s' if rest > 1 else ''}"
    return " and ".join(shown) if len(shown) < 3 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def conflict(k: Conflict) -> str:
    """The outer claims' scope holds the inner claims' scopes, but their figures cannot hold
    the inner claims' figures: who says what of the wider scope, then the clearest case."""
    x, y = k.x, k.y
    zero = k.code == "zero-contradicted"
    n, m = len(k.outers), len(k.inners)
    if n == 1 and zero:
        what = f"{x.claimant} says {x.provider} gave none ({x.quantity_text})"
    elif n == 1:
        what = f"{x.claimant} states {_figure(x)}"
    elif zero:
        what = f"{n:,} claims by {_few(o.claimant for o in k.outers)} say {x.provider} gave none"
    else:
        by = _few(o.claimant for o in k.outers)
        low, high = k.outers[0].quantity_text, k.outers[-1].quantity_text
        what = f"{n:,} claims by {by} state " + (low if low == high else f"{low} to {high}")
    if m == 1:
        return f"{what} for a scope that holds {y.id}, where {y.claimant} states {_figure(y)}."
    by = _few(i.claimant for i in k.inners)
    held = (
        f"deliveries by {by}"
        if zero
        else f"claims by {by} of more than {'it' if n == 1 else 'one of them'} can hold"
    )
    return (
        f"{what} for a scope that holds {m:,} {held}, among them {y.id}, where {y.claimant} "
        f"states {_figure(y)}."
    )


def duplicate(d: DuplicateGroup) -> str:
    """Claims from different sources that look like one delivery, and how to link them."""
    a, b = d.x, d.y
    places = ", ".join(a.place_names or ())
    if len(d.members) == 2:
        return (
            f"{a.id} ({a.source}) and {b.id} ({b.source}) look like the same delivery: "
            f"{a.provider}, {places}, {a.period_text}, {a.quantity_text} / {b.quantity_text}. "
            f"If they are, add `same_as: {a.id}` to {b.id}."
        )
    texts = dict.fromkeys(m.quantity_text for m in d.members)
    if len(texts) == 1:
        figures = f"each {a.quantity_text}"
    else:
        low = min(d.members, key=lambda m: (m.figure.stated.lo, m.figure.stated.lo_open))
        high = max(d.members, key=lambda m: (m.figure.stated.hi, not m.figure.stated.hi_open))
        figures = f"from {low.quantity_text} to {high.quantity_text}"
    sources = d.sources
    return (
        f"{len(d.members):,} claims from {len(sources):,} sources ({_few(sources)}) may report "
        f"the same delivery: {a.provider}, {places}, {a.period_text}, {figures}. Where two "
        f"from different sources are one delivery, add `same_as` to one naming the other "
        f"(for {a.id} and {b.id}: `same_as: {a.id}` on {b.id})."
    )
