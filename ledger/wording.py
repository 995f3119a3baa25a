"""The report's sentences, in one place: what a verdict means for the figures that decide it,
the arithmetic of the point check, and why a check could not be made.

Analysis decides (verdicts, codes, intervals); this module only says it in English. Every
view (text, Markdown, JSON, HTML) and the SQLite export take their sentences from here.
"""

from __future__ import annotations

from .analysis import SumCheck
from .formatting import interval, number, plain
from .vocab import CheckKind, Verdict


def explanation(c: SumCheck) -> str:
    """The verdict in words, with the figures that decide it."""
    base = Verdict(c.verdict).description
    if c.reason:
        return c.reason
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
