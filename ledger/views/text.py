"""The terminal report: each check, then conflicts, double counts and totals (the claims of
each conflict and group of possible double counts listed under its sentence).

Verdicts are marked with colour through click when asked (on a terminal, not with NO_COLOR);
the words are always there, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import click

from .. import wording
from ..analysis import SumCheck
from ..claim import Claim
from ..formatting import plural, table
from ..report import Report, citation, total_table
from ..vocab import Verdict
from .common import TOTALS_HEADING, scope_line, stated, sums

COLOURS = {
    Verdict.SUPPORTED: "green",
    Verdict.COMPATIBLE: "yellow",
    Verdict.ROUNDING: "cyan",
    Verdict.CONTRADICTED: "red",
    Verdict.INCOMPARABLE: "magenta",
}


def render(report: Report, colour: bool = False) -> Iterator[str]:
    def style(s: str, verdict: str) -> str:
        return click.style(s, fg=COLOURS.get(verdict), bold=True) if colour else s

    yield f"aid-ledger report: {report.ledger} ({report.claims} claims)\n"
    counts = ", ".join(f"{n} {v}" for v, n in report.verdict_counts.items() if n)
    yield f"verdicts: {counts or 'no summed or counted claims'}\n"
    if report.coverage is not None:
        yield f"{report.coverage_line()}\n"
    if report.problems["errors"]:
        n = report.problems["errors"]
        yield f"the ledger has {plural(n, 'error')}: run `aid-ledger check` to see them.\n"
    for c in report.checks:
        yield "\n" + "\n".join(_check(c, report, style)) + "\n"
    if report.conflicts:
        yield "\nConflicts between claims:\n"
    for k in report.conflicts:  # a line at a time: a conflict may list thousands of claims
        yield f"  {style(k.code, Verdict.CONTRADICTED)}: {wording.conflict(k)}\n"
        if len(k.outers) == len(k.inners) == 1:
            yield f"    {_said(k.x)}\n    {_said(k.y)}\n"
            continue
        yield f"    about the whole scope ({len(k.outers):,}):\n"
        yield from (f"      {_said(b, figure=True)}\n" for b in k.outers)
        yield f"    within it ({len(k.inners):,}):\n"
        yield from (f"      {_said(b, figure=True)}\n" for b in k.inners)
    if report.overlaps:
        yield "\nPossible conflicts (scopes that overlap):\n"
    for o in report.overlaps:
        yield f"  {style(o.code, Verdict.COMPATIBLE)}: {wording.overlap(o)}\n"
        yield from (f"    {_said(b, figure=True)}\n" for b in (*o.outers, *o.inners))
    if report.duplicates:
        yield "\nPossible double counts:\n"
    for d in report.duplicates:
        yield f"  {wording.duplicate(d)}\n"
        for m in d.members:
            linked = f" (same_as: {m.same_as})" if m.same_as else ""
            yield f"    {_said(m, figure=True, source=True)}{linked}\n"
    lines = table(total_table(report.totals))
    yield "\n".join(["", TOTALS_HEADING, *("  " + line for line in lines)]) + "\n"
    if report.sources:
        yield "\nSources:\n"
    yield from (f"  {citation(k, s)}\n" for k, s in report.sources.items())


def _said(claim: Claim, figure: bool = False, source: bool = True) -> str:
    """`id (file:line), source, claimant: "quote"`, with the quantity as written when asked:
    `id (file:line), source, claimant, quantity: "quote"` (the source id: see Sources)."""
    who = f"{claim.source or '?'}, {claim.claimant}" if source else f"{claim.claimant}"
    what = f", {claim.quantity_text}" if figure else ""
    return f'{claim.id} ({claim.location}), {who}{what}: "{claim.quote}"'


def _cite(claim: Claim) -> str:
    """The claim's source id as the Sources section lists it: `[sputnik-2016-12-03-aleppo]`."""
    return f"[{claim.source or '?'}]"


def _check(c: SumCheck, report: Report, style: Callable[[str, str], str]) -> list[str]:
    claim = report.claim(c.claim)
    out = [f"{style(c.verdict.upper(), c.verdict)}  {c.claim}  ({claim.location})"]
    out.append(f'  {claim.claimant} says: "{claim.quote}"  {_cite(claim)}')
    out.append(f"  about: {scope_line(claim)}")
    out.append(f"  claim: {claim.quantity_text}  -> {stated(claim)}")
    for p in c.parts:
        if p.found is None:
            out.append(f"  part {p.claim}: MISSING from the ledger")
            continue
        out.append(f"  part {p.claim}: {p.found.quantity_text}  -> {stated(p.found)}")
        out.append(f'      "{p.found.quote}"  {_cite(p.found)}')
    label = "count" if c.kind == "count" else "sum"
    total, as_rounded = sums(c)
    out.append(
        f"  {label} of parts: {total}"
        + (f"  (read as rounded: {as_rounded})" if as_rounded else "")
    )
    out.append(f"  verdict: {c.verdict}: {wording.explanation(c)}")
    point = wording.point_check(c, claim.quantity_text)
    if point:
        out.append(f"  point check: {point}")
    out += [f"  {f.severity}: [{f.code}] {wording.finding(f)}" for f in c.findings]
    return out
