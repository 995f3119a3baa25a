"""The terminal report: each check, then conflicts, double counts and totals.

Verdicts are marked with colour through click when asked (on a terminal, not with NO_COLOR);
the words are always there, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import click

from .. import wording
from ..analysis import SumCheck
from ..formatting import table
from ..report import Report
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
    if report.problems["errors"]:
        n = report.problems["errors"]
        yield f"the ledger has {n} errors: run `aid-ledger check` to see them.\n"
    for c in report.checks:
        yield "\n" + "\n".join(_check(c, report, style)) + "\n"
    if report.conflicts:
        out = ["", "Conflicts between claims:"]
        for k in report.conflicts:
            out.append(f"  {style(k.code, Verdict.CONTRADICTED)}: {wording.conflict(k)}")
            for cid in (k.outer, k.inner):
                b = report.claim(cid)
                out.append(f'    {b.id} ({b.location}), {b.claimant}: "{b.quote}"')
        yield "\n".join(out) + "\n"
    if report.duplicates:
        yield (
            "\n".join(
                [
                    "",
                    "Possible double counts:",
                    *(f"  {wording.duplicate(d)}" for d in report.duplicates),
                ]
            )
            + "\n"
        )
    lines = table([r.as_dict() for r in report.totals])
    yield "\n".join(["", TOTALS_HEADING, *("  " + line for line in lines)]) + "\n"


def _check(c: SumCheck, report: Report, style: Callable[[str, str], str]) -> list[str]:
    claim = report.claim(c.claim)
    out = [f"{style(c.verdict.upper(), c.verdict)}  {c.claim}  ({claim.location})"]
    out.append(f'  {claim.claimant} says: "{claim.quote}"')
    out.append(f"  about: {scope_line(claim)}")
    out.append(f"  claim: {claim.quantity_text}  -> {stated(claim)}")
    for p in c.parts:
        if p.found is None:
            out.append(f"  part {p.claim}: MISSING from the ledger")
            continue
        out.append(f"  part {p.claim}: {p.found.quantity_text}  -> {stated(p.found)}")
        out.append(f'      "{p.found.quote}"')
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
