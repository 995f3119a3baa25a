"""The report as GitHub-flavoured Markdown: one section per check, tables for parts and totals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from .. import wording
from ..analysis import SumCheck
from ..claim import Claim
from ..formatting import cell, interval
from ..report import Report, total_table
from ..sources import Source
from .common import stated, sum_unit


def render(report: Report, colour: bool = False) -> Iterator[str]:
    counts = ", ".join(f"{n} {v}" for v, n in report.verdict_counts.items() if n)
    yield f"# aid-ledger report: `{report.ledger}`\n\n{report.claims} claims; verdicts: {counts or 'none'}\n"
    if report.coverage is not None:
        yield f"\n{_md(report.coverage_line())}\n"
    for c in report.checks:
        yield "\n".join(_check(c, report)) + "\n"
    if report.conflicts:
        yield "\n## Conflicts\n\n"
    for k in report.conflicts:  # a line at a time: a conflict may list thousands of claims
        yield f"- `{k.code}`: {_md(wording.conflict(k))}\n  - about the whole scope:\n"
        yield from (f"    - {_said(x)}\n" for x in k.outers)
        yield "  - within it:\n"
        yield from (f"    - {_said(y)}\n" for y in k.inners)
    if report.overlaps:
        yield "\n## Possible conflicts (scopes that overlap)\n\n"
    for o in report.overlaps:
        yield f"- `{o.code}`: {_md(wording.overlap(o))}\n"
        yield from (f"  - {_said(b)}\n" for b in (*o.outers, *o.inners))
    if report.duplicates:
        yield "\n## Possible double counts\n\n"
    for d in report.duplicates:
        yield f"- {_md(wording.duplicate(d))}\n"
        yield from (f"  - {_said(m, source=True)}\n" for m in d.members)
    out = ["", "## Totals", ""]
    rows = total_table(report.totals)
    if rows:
        cols = list(rows[0])
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        out += ["| " + " | ".join(_md(cell(r[c])) for c in cols) + " |" for r in rows]
    out += ["", "## How figures were read", "", "| qualifier | interval |", "|---|---|"]
    out += [f"| {t['qualifier']} | {_md(t['interval'])} |" for t in report.tolerances]
    yield "\n".join(out) + "\n"
    if report.sources:
        yield "\n## Sources\n\n"
    yield from (f"- {_source(k, s)}\n" for k, s in report.sources.items())


def _source(source_id: str, source: Source | None) -> str:
    """`` `id`: *title*, publisher, published, [url](url) `` (a link only for http(s))."""
    if source is None:
        return f"`{_code(source_id)}`: not in sources.yaml"
    said = [f"*{_md(source.title)}*", _md(source.publisher), _md(source.published)]
    if source.url:
        said.append(_link(source.url))
    return f"`{_code(source_id)}`: " + ", ".join(x for x in said if x)


def _link(url: str) -> str:
    """A web address as a Markdown link; anything else (`javascript:`) as plain text."""
    if not url.lower().startswith(("http://", "https://")):
        return _md(url)
    target = "".join(ch if ch.isprintable() and ch not in " <>()[]\\`" else quote(ch) for ch in url)
    return f"[{_md(url)}]({target})"


def _code(s: str) -> str:
    """Text inside a code span (a backtick would end it)."""
    return " ".join(str(s).split()).replace("`", "'").replace("|", "\\|")


def _check(c: SumCheck, report: Report) -> list[str]:
    claim = report.claim(c.claim)
    out = ["", f"## {c.claim}: **{c.verdict}**", "", f"> {_md(claim.quote)}", ""]
    out += [
        f"— {_md(claim.claimant)}, about {_md(claim.provider or '?')}; "
        f"source `{_code(claim.source or '?')}`; `{claim.location}`",
        "",
    ]
    out.append("| claim | quantity | interval | quote | source |")
    out.append("|---|---|---|---|---|")
    out.append(
        f"| **{c.claim}** | {_md(claim.quantity_text)} | {stated(claim)} | | {_src(claim)} |"
    )
    for p in c.parts:
        if p.found is None:
            out.append(f"| {p.claim} | *missing* | | | |")
        else:
            row = p.found
            out.append(
                f"| {p.claim} | {_md(row.quantity_text)} | {stated(row)} | {_md(row.quote)} "
                f"| {_src(row)} |"
            )
    unit = sum_unit(c)
    out += [
        "",
        f"- sum of parts: {interval(c.sum, unit)} (as rounded: {interval(c.sum_rounded, unit)})",
    ]
    out.append(f"- verdict: **{c.verdict}**: {_md(wording.explanation(c))}")
    point = wording.point_check(c, claim.quantity_text)
    if point:
        out.append(f"- point check: {_md(point)}")
    out += [f"- {f.severity} `{f.code}`: {_md(wording.finding(f))}" for f in c.findings]
    return out


def _src(claim: Claim) -> str:
    return f"`{_code(claim.source or '?')}`"


def _said(claim: Claim, source: bool = True) -> str:
    """`id (source, claimant, quantity): quote` of one claim of a conflict or a group."""
    who = [claim.source, claim.claimant] if source else [claim.claimant]
    linked = f"; same\\_as: {_md(claim.same_as)}" if source and claim.same_as else ""
    about = ", ".join(_md(w) for w in (*who, claim.quantity_text))
    return f"{_md(claim.id)} ({about}{linked}): {_md(claim.quote)}"


def _md(s: Any) -> str:
    """Escape what would break a Markdown table or turn into markup."""
    text = " ".join(str(s).split())
    for ch in "\\|*_`<>[]":
        text = text.replace(ch, "\\" + ch)
    return text
