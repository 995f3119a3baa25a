"""The report's sentences, in one place: what a verdict means for the figures that decide it,
the arithmetic of the point check, why a check could not be made, scope findings, conflicts
and possible double counts.

Analysis decides (verdicts, codes and the facts behind them); this module only says it in
English. Every view (text, Markdown, JSON, HTML) and the SQLite export take their sentences
from here: `finding(f)`, `conflict(k)`, `overlap(o)`, `duplicate(d)`, `reason(c)`,
`explanation(c)`.

A conflict or a group of possible double counts may hold thousands of claims: its sentence
stays one sentence (a count, a few names, the clearest case), and the views list the claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from .analysis import BOUNDS, UNKNOWN, Conflict, DuplicateGroup, Finding, Part, SumCheck
from .claim import Claim, SumAs
from .formatting import interval, number, plain
from .intervals import INF, Interval
from .overlaps import Overlap
from .vocab import CheckKind, Family, Verdict


def explanation(c: SumCheck) -> str:
    """The verdict in words, with the figures that decide it (and the unweighed parts, whose
    `sum_as` stands in for a figure the source gave in another unit)."""
    base = Verdict(c.verdict).description
    if c.unusable:
        return reason(c)
    if c.figure is None or c.sum is None:
        return base
    unit = None if c.kind == CheckKind.COUNT else c.figure.unit
    claim, parts = interval(c.figure.stated, unit), interval(c.sum, unit)
    if c.verdict == Verdict.COMPATIBLE:
        said = f"{base}: some values of the parts' range {parts} lie outside the claim's {claim}"
    elif c.verdict == Verdict.SUPPORTED:
        said = f"{base}: the parts' range {parts} lies inside the claim's {claim}"
    elif c.verdict == Verdict.ROUNDING:
        said = (
            f"{base}: {parts} misses {claim}, but {interval(c.sum_rounded, unit)} meets "
            f"{interval(c.figure.rounded, unit)}"
        )
    else:
        said = f"{base}: the parts' range {parts} and the claim's {claim} do not meet"
    return said + _unweighed(c, unit)


def _unweighed(c: SumCheck, unit: str | None) -> str:
    """`; 1 part unweighed in t, counted as its `sum_as` says: kits (unknown: [0, inf) t), so
    the sum of parts is only a lower bound` ("" when every part was weighed)."""
    listed = [
        f"{p.claim} ({p.weight.text}: {interval(_weight_range(p.weight), unit)})"
        for p in c.parts
        if p.weight is not None
    ]
    if not listed:
        return ""
    n = len(listed)
    bound = ", so the sum of parts is only a lower bound" if c.sum and c.sum.hi == INF else ""
    return (
        f"; {n} part{'s' if n > 1 else ''} unweighed in {unit}, counted as `sum_as` says: "
        f"{', '.join(listed)}{bound}"
    )


def _weight_range(w: SumAs) -> Interval:
    return UNKNOWN if w.figure is None else w.figure.stated


_HOLDS = {True: "which is", False: "which is not", None: "which may or may not be"}


def point_check(c: SumCheck, stated_text: str | None) -> str | None:
    """'4 t + 1 t = 5 t, which is not more than 5 t': the arithmetic a reader would do, with
    bounds kept as bounds ('more than 2.8 t = more than 2.8 t, which is more than 2.8 t')."""
    if c.point_sum is None or c.figure is None:
        return None
    if c.kind == CheckKind.COUNT:
        states = f"the claim states {plain(c.figure.point)}."
        n = len(c.actions) if c.actions is not None else len(c.parts)
        if n != len(c.parts):
            return f"{n} actions listed ({len(c.parts)} claims); {states}"
        return f"{len(c.parts)} parts listed; {states}"
    unit = c.figure.unit or ""
    terms = " + ".join(_term(p, unit) for p in c.parts if p.figure)
    said = (
        f"{terms} = {_at_face(c, unit)}, {_HOLDS[c.point_holds]} {stated_text} "
        f"(stated interval {interval(c.figure.stated)} {unit})."
    )
    if c.point_holds is None:
        said += " The parts' bounds leave the point check open; the verdict compares the ranges."
    return said


def _term(p: Part, unit: str) -> str:
    """One part at face value, as the point check adds it: `4 t`, `more than 2.8 t`, and for
    an unweighed part its `sum_as` (`unknown (kits)`, `at least 1 t (kits)`)."""
    if p.weight is not None:
        if p.weight.figure is None or p.weight.quantity is None:
            return f"unknown ({p.claim})"
        fig, family = p.weight.figure, p.weight.quantity.family
        return f"{_words(fig.point, family, unit)} ({p.claim})"
    q = p.found.quantity if p.found is not None else None
    return _words(p.figure.point, q.family if q else Family.EXACT, unit)


def _words(x: Decimal, family: Family, unit: str) -> str:
    """`4 t`, or with a bound's qualifier: `more than 2.8 t`, `nearly 5 t`."""
    word = family.value.replace("_", " ") + " " if family in BOUNDS else ""
    return f"{word}{number(x)} {unit}"


def _at_face(c: SumCheck, unit: str) -> str:
    """The parts' sum at face value: `5 t`, `more than 2.8 t`, `up to 5 t`, or `[3, 5) t`."""
    r = c.point_range
    if r is None or r.lo == r.hi:
        return f"{number(c.point_sum)} {unit}"
    if r.hi == INF:
        return f"{'more than' if r.lo_open else 'at least'} {number(r.lo)} {unit}"
    if r.lo == 0 and not r.lo_open:
        return f"{'less than' if r.hi_open else 'up to'} {number(r.hi)} {unit}"
    return interval(r, unit)


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
        + f"; where a part's amount in {f['unit']} is not stated, say so on it with "
        f"`sum_as: unknown` (or a figure, `sum_as: at least 1 {f['unit']}`)"
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


def _scope(c: Claim) -> str:
    """`United Nations, eastern Aleppo, 2016-11-28/2016-12-02`: who, where and when."""
    places = ", ".join(c.place_names or c.places or ())
    return f"{c.provider}, {places}, {c.period_text or 'any time'}"


def overlap(o: Overlap) -> str:
    """Two scopes that share part of each other: what each says, what they share, and what
    would make it a contradiction (or, for one source's figures, how to count them)."""
    x, y = o.x, o.y
    more = f" (and {len(o.inners) - 1:,} more claims like it)" if len(o.inners) > 1 else ""
    others = f" ({len(o.outers):,} claims say so)" if len(o.outers) > 1 else ""
    shared = f"they share {', '.join(o.shared.places)} on {o.shared.days}"
    if o.code == "possible-zero-contradicted":
        return (
            f"{x.claimant} says {x.provider} gave none ({x.quantity_text}; {_scope(x)}){others}, "
            f"and {y.id}{more}, where {y.claimant} states {_figure(y)} ({_scope(y)}), "
            f"overlaps that scope: {shared}. If any of it was delivered there on those days, "
            "the zero claim is contradicted; if none was, both can hold."
        )
    if o.code == "possible-containment-conflict":
        return (
            f"{x.claimant} states {_figure(x)} ({_scope(x)}){others}, and {y.id}{more}, where "
            f"{y.claimant} states {_figure(y)} ({_scope(y)}), overlaps that scope: {shared}. "
            f"If more than {x.quantity_text} of it fell there on those days, the two "
            "contradict; otherwise both can hold."
        )
    where = "lies inside" if o.relation == "inside" else "overlaps"
    return (
        f"{x.id} ({_figure(x)}) and {y.id}{more} ({_figure(y)}) are both from {x.source}, and "
        f"{y.id}'s scope {where} {x.id}'s: {shared}. {x.id}'s figure may already include "
        f"{y.id}'s; count them once (list it in `sum_of` if {x.id} adds it up, or say in "
        "`notes` that it is separate)."
    )
