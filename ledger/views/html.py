"""The HTML report: one self-contained file (no scripts, fonts or images fetched), with an
interval chart per check so the gap between a claim and its parts can be seen at a glance.

The page is a Jinja2 template (`ledger/templates/report.html`) with autoescaping on: every
text from a ledger is escaped by the engine, not by a call someone might forget, so a quote
holding `<script>` shows as text. The chart is built here as markup from numbers only.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import wording
from ..analysis import SumCheck
from ..formatting import cell, interval
from ..report import Report, total_table
from ..vocab import Verdict
from .common import bars, stated

CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
blockquote{margin:.5rem 0;padding:.3rem .8rem;border-left:3px solid #bbb;color:#444}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;
text-align:left;vertical-align:top}.v{font-weight:bold;padding:.1rem .4rem;border-radius:3px}
.supported{background:#d8f5d8}.compatible{background:#fff1bf}.rounding{background:#d6f0f5}
.contradicted{background:#f9d0d0}.incomparable{background:#ecd9f5}.f{color:#7a4b00}
svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif}
"""
FILL = {
    Verdict.SUPPORTED: "#3a3",
    Verdict.COMPATIBLE: "#c90",
    Verdict.ROUNDING: "#29a",
    Verdict.CONTRADICTED: "#c33",
    Verdict.INCOMPARABLE: "#96b",
}


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ledger", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html")


def render(report: Report, colour: bool = False) -> Iterator[str]:
    """The page, generated a piece at a time (Jinja2's `generate`)."""
    return _template().generate(
        r=report,
        checks=report.checks,
        totals=total_table(report.totals),
        css=Markup(CSS),
        chart=chart,
        table=table,
        stated=stated,
        explanation=wording.explanation,
        point_check=wording.point_check,
        say=wording,
        link=link,
    )


def link(url: str) -> Markup:
    """A web address as a link; anything else (`javascript:...`) as text, never a link."""
    if not url.lower().startswith(("http://", "https://")):
        return escape(url)
    return Markup('<a href="{}" rel="noreferrer">{}</a>').format(url, url)


def table(rows: list[dict[str, Any]]) -> Markup:
    """Rows of equal keys as an HTML table (every cell escaped)."""
    if not rows:
        return Markup("<p>(nothing)</p>")
    cols = list(rows[0])
    head = Markup("").join(Markup("<th>{}</th>").format(c) for c in cols)
    body = Markup("").join(
        Markup("<tr>{}</tr>").format(
            Markup("").join(Markup("<td>{}</td>").format(cell(r[c])) for c in cols)
        )
        for r in rows
    )
    return Markup("<table><tr>{}</tr>{}</table>").format(head, body)


def chart(c: SumCheck) -> Markup:
    """Two bars on one axis: the stated interval and the sum of the parts (dashed: as rounded).

    The drawing scales to the page (a phone's too); the axis is labelled with the unit.
    """
    shown = bars(c)
    if len(shown) < 2:
        return Markup("")
    unit = shown[0][2] or ""  # the claim's unit names the axis
    finite = [float(x) for _, i, _ in shown for x in (i.lo, i.hi) if x.is_finite()]
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or max(abs(hi), 1)
    lo, hi = lo - span * 0.15, hi + span * 0.25
    width, left, right = 560, 110, 20

    def x(v: Any) -> float:
        v = hi if not v.is_finite() else float(v)
        return left + (v - lo) / (hi - lo) * (width - left - right)

    height = 28 * len(shown) + 24
    out = [
        f'<svg role="img" aria-label="intervals of {escape(c.claim)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    colour = FILL.get(c.verdict, "#888")
    for n, (label, i, iu) in enumerate(shown):
        y = 10 + 28 * n
        x0, x1 = x(i.lo), x(i.hi)
        dash = (
            ' stroke-dasharray="4 3" fill="none"'
            if label == "as rounded"
            else f' fill="{colour if n else "#555"}"'
        )
        out.append(f'<text x="0" y="{y + 13}">{escape(label)}</text>')
        out.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 2):.1f}" height="16" '
            f'stroke="#333"{dash} opacity="0.8"/>'
        )
        if not i.hi.is_finite():
            out.append(f'<text x="{x1 - 14:.1f}" y="{y + 13}">→∞</text>')
        out.append(f"<title>{escape(label)}: {escape(interval(i, iu))}</title>")
    y = 14 + 28 * len(shown)
    ticks = sorted({v for _, i, _ in shown for v in (i.lo, i.hi) if v.is_finite()})
    for v in ticks:
        out.append(f'<text x="{x(v):.1f}" y="{y}" text-anchor="middle">{escape(cell(v))}</text>')
    out.append(f'<text x="0" y="{y}">{escape(unit)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
