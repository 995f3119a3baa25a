"""The HTML report: one self-contained file (no scripts, fonts or images fetched), with an
interval chart per check so the gap between a claim and its parts can be seen at a glance.

Every text that came from a ledger goes through `html.escape`; a quote holding `<script>`
shows as text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .render import interval_text

CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
blockquote{margin:.5rem 0;padding:.3rem .8rem;border-left:3px solid #bbb;color:#444}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;
text-align:left;vertical-align:top}.v{font-weight:bold;padding:.1rem .4rem;border-radius:3px}
.supported{background:#d8f5d8}.compatible{background:#fff1bf}.rounding{background:#d6f0f5}
.contradicted{background:#f9d0d0}.incomparable{background:#ecd9f5}.f{color:#7a4b00}
svg text{font:12px system-ui,sans-serif}
"""
FILL = {"supported": "#3a3", "compatible": "#c90", "rounding": "#29a", "contradicted": "#c33",
        "incomparable": "#96b"}  # fmt: skip


def render(doc: dict[str, Any]) -> str:
    e = escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>aid-ledger report: {e(doc['ledger'])}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>aid-ledger report: <code>{e(doc['ledger'])}</code></h1>",
        f"<p>{doc['claims']} claims. Verdicts: "
        + ", ".join(
            f'<span class="v {e(v)}">{n} {e(v)}</span>'
            for v, n in doc["verdict_counts"].items()
            if n
        )
        + "</p>",
    ]
    if doc["problems"]["errors"]:
        parts.append(f"<p><strong>The ledger has {doc['problems']['errors']} errors</strong>; "
                     "run <code>aid-ledger check</code>.</p>")  # fmt: skip
    for c in doc["checks"]:
        parts.append(_check(c))
    if doc["conflicts"]:
        parts.append("<h2>Conflicts between claims</h2><ul>")
        for k in doc["conflicts"]:
            parts.append(f"<li><code>{e(k['code'])}</code>: {e(k['message'])}")
            for side in ("outer", "inner"):
                b = k[side]
                parts.append(f"<blockquote>{e(b['quote'] or '')}<br>— {e(b['claimant'] or '')} "
                             f"(<code>{e(b['claim'])}</code>)</blockquote>")  # fmt: skip
            parts.append("</li>")
        parts.append("</ul>")
    if doc["duplicates"]:
        parts.append("<h2>Possible double counts</h2><ul>")
        parts += [f"<li>{e(d['message'])}</li>" for d in doc["duplicates"]]
        parts.append("</ul>")
    parts.append("<h2>Totals</h2>" + _table(doc["totals"]))
    parts.append("<h2>How figures were read</h2>" + _table(doc["tolerances"]))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _check(c: dict[str, Any]) -> str:
    e = escape
    v = c["verdict"]
    rows = [f"<tr><th>{e(c['claim'])}</th><td>{e(c['quantity'] or '')}</td>"
            f"<td>{e(interval_text(c['stated']))}</td><td></td></tr>"]  # fmt: skip
    for p in c["parts"]:
        if p.get("missing"):
            rows.append(f"<tr><td>{e(p['claim'])}</td><td colspan=3><em>missing</em></td></tr>")
        else:
            rows.append(f"<tr><td>{e(p['claim'])}</td><td>{e(p['quantity'] or '')}</td>"
                        f"<td>{e(interval_text(p['interval']))}</td><td>{e(p['quote'] or '')}</td></tr>")  # fmt: skip
    findings = "".join(
        f"<li class=f><code>{e(f['code'])}</code> {e(f['message'])}</li>" for f in c["findings"]
    )
    return (
        f'<h2 id="{e(c["claim"])}">{e(c["claim"])} <span class="v {e(v)}">{e(v)}</span></h2>'
        f"<blockquote>{e(c['quote'] or '')}<br>— {e(c['claimant'] or '')}, about "
        f"{e(c['provider'] or '?')} (<code>{e(c['location'])}</code>)</blockquote>"
        f"{chart(c)}"
        "<table><tr><th>claim</th><th>quantity</th><th>interval</th><th>quote</th></tr>"
        + "".join(rows)
        + "</table>"
        f"<p><strong>{e(v)}</strong>: {e(c['explanation'])}</p>"
        + (f"<p>Point check: {e(c['point_check'])}</p>" if c["point_check"] else "")
        + (f"<ul>{findings}</ul>" if findings else "")
    )


def chart(c: dict[str, Any]) -> str:
    """Two bars on one axis: the stated interval and the sum of the parts (dashed: as rounded)."""
    bars = [("claim", c["stated"]), ("sum of parts", c["sum"]), ("as rounded", c["sum_rounded"])]
    bars = [(label, i) for label, i in bars if i is not None]
    if len(bars) < 2:
        return ""
    finite = [x for _, i in bars for x in (i["low"], i["high"]) if x is not None]
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or max(abs(hi), 1)
    lo, hi = lo - span * 0.15, hi + span * 0.25
    width, left, right = 560, 110, 20

    def x(v: float | None) -> float:
        v = hi if v is None else v
        return left + (v - lo) / (hi - lo) * (width - left - right)

    out = [f'<svg role="img" aria-label="intervals of {escape(c["claim"])}" width="{width}" '
           f'height="{28 * len(bars) + 24}" xmlns="http://www.w3.org/2000/svg">']  # fmt: skip
    colour = FILL.get(c["verdict"], "#888")
    for n, (label, i) in enumerate(bars):
        y = 10 + 28 * n
        x0, x1 = x(i["low"]), x(i["high"])
        dash = (
            ' stroke-dasharray="4 3" fill="none"'
            if label == "as rounded"
            else f' fill="{colour if n else "#555"}"'
        )
        out.append(f'<text x="0" y="{y + 13}">{escape(label)}</text>')
        out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 2):.1f}" height="16" '
                   f'stroke="#333"{dash} opacity="0.8"/>')  # fmt: skip
        if i["high"] is None:
            out.append(f'<text x="{x1 - 14:.1f}" y="{y + 13}">→∞</text>')
        out.append(f"<title>{escape(label)}: {escape(interval_text(i))}</title>")
    y = 14 + 28 * len(bars)
    for v in sorted({v for _, i in bars for v in (i["low"], i["high"]) if v is not None}):
        out.append(f'<text x="{x(v):.1f}" y="{y}" text-anchor="middle">{v:g}</text>')
    out.append("</svg>")
    return "".join(out)


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>(nothing)</p>"
    cols = list(rows[0])
    head = "".join(f"<th>{escape(str(c))}</th>" for c in cols)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape('inf' if r[c] is None else str(r[c]))}</td>" for c in cols)
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"
