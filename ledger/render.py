"""Text and Markdown renderings of the report dict built by `report.build`.

The terminal form marks verdicts with colour through click (plain text when the output is not
a terminal, or with NO_COLOR set); the words are always there, so colour is never the only cue.
"""

from __future__ import annotations

from typing import Any

import click

COLOURS = {
    "supported": "green",
    "compatible": "yellow",
    "rounding": "cyan",
    "contradicted": "red",
    "incomparable": "magenta",
}


def interval_text(i: dict[str, Any] | None) -> str:
    if i is None:
        return "?"
    left = "(" if i["low_open"] else "["
    right = ")" if i["high_open"] else "]"
    high = "inf" if i["high"] is None else _n(i["high"])
    unit = f" {i['unit']}" if i.get("unit") else ""
    return f"{left}{_n(i['low'])}, {high}{right}{unit}"


def _n(x: float | int) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:,.10g}"


def text(doc: dict[str, Any], colour: bool | None = None) -> str:
    """The terminal report: each check, then conflicts, duplicates and totals."""
    out: list[str] = []
    style = (
        (lambda s, v: click.style(s, fg=COLOURS.get(v), bold=True)) if colour else (lambda s, v: s)
    )
    out.append(f"aid-ledger report: {doc['ledger']} ({doc['claims']} claims)")
    counts = ", ".join(f"{n} {v}" for v, n in doc["verdict_counts"].items() if n)
    out.append(f"verdicts: {counts or 'no summed or counted claims'}")
    if doc["problems"]["errors"]:
        out.append(
            f"the ledger has {doc['problems']['errors']} errors: run `aid-ledger check` to see them."
        )
    for c in doc["checks"]:
        out.append("")
        out.append(f"{style(c['verdict'].upper(), c['verdict'])}  {c['claim']}  ({c['location']})")
        out.append(f'  {c["claimant"]} says: "{c["quote"]}"')
        out.append(f"  about: {_scope_line(c)}")
        out.append(f"  claim: {c['quantity']}  -> {interval_text(c['stated'])}")
        for p in c["parts"]:
            if p.get("missing"):
                out.append(f"  part {p['claim']}: MISSING from the ledger")
                continue
            out.append(f"  part {p['claim']}: {p['quantity']}  -> {interval_text(p['interval'])}")
            out.append(f'      "{p["quote"]}"')
        label = "count" if c["kind"] == "count" else "sum"
        out.append(f"  {label} of parts: {interval_text(c['sum'])}"
                   + (f"  (read as rounded: {interval_text(c['sum_rounded'])})"
                      if c["sum_rounded"] != c["sum"] else ""))  # fmt: skip
        out.append(f"  verdict: {c['verdict']}: {c['explanation']}")
        if c["point_check"]:
            out.append(f"  point check: {c['point_check']}")
        for f in c["findings"]:
            out.append(f"  {f['severity']}: [{f['code']}] {f['message']}")
    if doc["conflicts"]:
        out += ["", "Conflicts between claims:"]
        for k in doc["conflicts"]:
            out.append(f"  {style(k['code'], 'contradicted')}: {k['message']}")
            for side in ("outer", "inner"):
                b = k[side]
                out.append(f'    {b["claim"]} ({b["location"]}), {b["claimant"]}: "{b["quote"]}"')
    if doc["duplicates"]:
        out += ["", "Possible double counts:"]
        out += [f"  {d['message']}" for d in doc["duplicates"]]
    out += ["", "Totals (each delivery once; pledges apart; dimensions never mixed):"]
    out += ["  " + line for line in _table(doc["totals"])]
    return "\n".join(out) + "\n"


def _scope_line(c: dict[str, Any]) -> str:
    """Who is said to have delivered what, where and when: kept apart from who says so."""
    places = " + ".join(c["places"]) or "?"
    return f"{c['provider'] or '?'}, {c['status']}, {c['item']}, {places}, {c['period']}"


def _table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["(nothing to total)"]
    cols = list(rows[0])
    cells = [[_cell(r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return lines


def _cell(v: Any) -> str:
    if v is None:
        return "inf"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _n(v)
    return str(v)


def markdown(doc: dict[str, Any]) -> str:
    """GitHub-flavoured Markdown: one section per check, tables for parts and totals."""
    out = [f"# aid-ledger report: `{doc['ledger']}`", ""]
    out.append(f"{doc['claims']} claims; verdicts: "
               + (", ".join(f"{n} {v}" for v, n in doc["verdict_counts"].items() if n) or "none"))  # fmt: skip
    for c in doc["checks"]:
        out += ["", f"## {c['claim']}: **{c['verdict']}**", ""]
        out.append(f"> {_md(c['quote'])}")
        out += [
            "",
            f"— {_md(c['claimant'])}, about {_md(c['provider'] or '?')}; `{c['location']}`",
            "",
        ]
        out.append("| claim | quantity | interval | quote |")
        out.append("|---|---|---|---|")
        out.append(f"| **{c['claim']}** | {_md(c['quantity'])} | {interval_text(c['stated'])} | |")
        for p in c["parts"]:
            if p.get("missing"):
                out.append(f"| {p['claim']} | *missing* | | |")
            else:
                out.append(
                    f"| {p['claim']} | {_md(p['quantity'])} | {interval_text(p['interval'])} | {_md(p['quote'])} |"
                )
        out += [
            "",
            f"- sum of parts: {interval_text(c['sum'])} (as rounded: {interval_text(c['sum_rounded'])})",
        ]
        out.append(f"- verdict: **{c['verdict']}**: {_md(c['explanation'])}")
        if c["point_check"]:
            out.append(f"- point check: {_md(c['point_check'])}")
        out += [f"- {f['severity']} `{f['code']}`: {_md(f['message'])}" for f in c["findings"]]
    if doc["conflicts"]:
        out += ["", "## Conflicts", ""]
        out += [f"- `{k['code']}`: {_md(k['message'])}" for k in doc["conflicts"]]
    if doc["duplicates"]:
        out += ["", "## Possible double counts", ""]
        out += [f"- {_md(d['message'])}" for d in doc["duplicates"]]
    out += ["", "## Totals", ""]
    if doc["totals"]:
        cols = list(doc["totals"][0])
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        out += ["| " + " | ".join(_md(_cell(r[c])) for c in cols) + " |" for r in doc["totals"]]
    out += ["", "## How figures were read", "", "| qualifier | interval |", "|---|---|"]
    out += [f"| {t['qualifier']} | {_md(t['interval'])} |" for t in doc["tolerances"]]
    return "\n".join(out) + "\n"


def _md(s: Any) -> str:
    """Escape what would break a Markdown table or turn into markup."""
    text = " ".join(str(s).split())
    for ch in "\\|*_`<>[]":
        text = text.replace(ch, "\\" + ch)
    return text
