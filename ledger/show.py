"""`aid-ledger show ID`: one claim as written (its block, see curate.py), its source, the quote
in the sentences around it, its problems, and the checks and findings it takes part in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .add import AddRefused
from .claim import Claim
from .curate import Block, find_block, find_claim
from .loader import Ledger
from .problems import Problem
from .sources import Source, quote_pieces


def show(book: Ledger, claim_id: str) -> dict[str, Any]:
    """Everything about one claim: its block, source, quote in context, problems, and the
    checks and findings it takes part in (as plain data; `show_text` writes it for people)."""
    from .analysis import analyse

    claim = find_claim(book, claim_id)
    try:
        block: Block | None = find_block(book, claim_id)
    except AddRefused:  # a file only a person can fix (CRLF, not YAML): shown without it
        block = None
    first, last = block.span if block else (claim.line, claim.line)
    src = book.sources.get(claim.source) if claim.source else None
    problems = [p for p in book.problems if p.file == claim.file and first <= p.line <= last]
    analysis = analyse(book)
    return {
        "claim": claim_id,
        "file": claim.file,
        "line": claim.line,
        "block": block.block if block else None,
        "block_start": first,
        "source": _source(src, claim.source),
        "quote": quote_context(src, claim.quote) if src and claim.quote else None,
        "problems": [p.as_dict() for p in problems],
        "checks": list(_checks(analysis, claim_id)),
        "findings": list(_findings(analysis, claim_id)),
    }


def _source(src: Source | None, source_id: str | None) -> dict[str, Any] | None:
    if src is None:
        return None if source_id is None else {"id": source_id, "known": False}
    keys = ("id", "title", "publisher", "published", "url", "document")
    return {k: getattr(src, k) for k in keys} | {"known": True}


def _checks(analysis: Any, cid: str) -> Iterator[dict[str, Any]]:
    """The summed or counted checks the claim is (`role: claim`) or is a part of (`part`)."""
    from . import wording

    for c in analysis.checks:
        if c.claim == cid:
            role, findings = "claim", c.findings
        elif any(p.claim == cid for p in c.parts):
            role, findings = "part", [f for f in c.findings if f.part == cid]
        else:
            continue
        yield {
            "claim": c.claim,
            "kind": str(c.kind),
            "role": role,
            "verdict": str(c.verdict),
            "point_holds": c.point_holds,
            "parts": [p.claim for p in c.parts],
            "message": wording.explanation(c),
            "findings": [{"code": f.code, "message": wording.finding(f)} for f in findings],
        }


def _findings(analysis: Any, cid: str) -> Iterator[dict[str, Any]]:
    """Conflicts, possible conflicts and possible double counts naming the claim."""
    from . import wording

    def role(outers: Iterable[Claim], inners: Iterable[Claim]) -> str | None:
        if any(c.id == cid for c in outers):
            return "outer"
        return "inner" if any(c.id == cid for c in inners) else None

    for k in analysis.conflicts:
        if r := role(k.outers, k.inners):
            yield {"code": k.code, "role": r, "message": wording.conflict(k)}
    for o in analysis.overlaps:
        if r := role(o.outers, o.inners):
            yield {"code": o.code, "role": r, "message": wording.overlap(o)}
    for d in analysis.duplicates:
        if cid in d.ids:
            yield {
                "code": "possible-double-count",
                "role": "member",
                "message": wording.duplicate(d),
            }


# The quote in its document: found as `check` finds it (white space, typographic quotes and
# dashes forgiven), then widened to the sentences around it, read from the document as written.
_VARIANTS = {
    " ": r"[\s\u00a0\u202f\u2009]+",
    "'": "['\u2018\u2019\u201a\u201b\u2032]",
    '"': '["\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]',
    "-": "[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]",
}
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s)|\n\s*\n")
_SPACES = re.compile(r"\s+")
_CONTEXT = 400  # at most this many characters of context on either side


def quote_context(src: Source, quote: str) -> dict[str, Any]:
    """`{"found", "segments"}`: the sentence(s) around the quote, as `[{text, quote}]` pieces
    (`quote: true` for the quoted words), or `found: false` with why."""
    raw = _document(src)
    if raw is None:
        return {"found": False, "why": f"the document `{src.document}` cannot be read"}
    spans = _locate(raw, quote_pieces(quote))
    if spans is None:
        return {"found": False, "why": f"the quote is not in `{src.document}` (see `check`)"}
    start, end = spans[0][0], spans[-1][1]
    ends = [m.end() for m in _SENTENCE_END.finditer(raw, max(0, start - _CONTEXT), start)]
    left = ends[-1] if ends else max(0, start - _CONTEXT)
    after = _SENTENCE_END.search(raw, end, end + _CONTEXT)
    right = after.end() if after else min(len(raw), end + _CONTEXT)
    segments, pos = [], left
    for a, b in spans:
        segments += [{"text": raw[pos:a], "quote": False}, {"text": raw[a:b], "quote": True}]
        pos = b
    segments.append({"text": raw[pos:right], "quote": False})
    for s in segments:
        s["text"] = _SPACES.sub(" ", s["text"])
    segments[0]["text"] = segments[0]["text"].lstrip()
    segments[-1]["text"] = segments[-1]["text"].rstrip()
    return {"found": True, "segments": [s for s in segments if s["text"]]}


def _document(src: Source) -> str | None:
    if src.path is None or src.documents is None:
        return None
    text, problems = src.documents.read(src.path)
    return text


def _locate(raw: str, pieces: list[str]) -> list[tuple[int, int]] | None:
    """Where each piece of the quote stands in the document as written, in order."""
    spans, pos = [], 0
    for piece in pieces:
        pattern = "".join(_VARIANTS.get(c, re.escape(c)) for c in piece)
        m = re.compile(pattern).search(raw, pos)
        if m is None:
            return None
        spans.append((m.start(), m.end()))
        pos = m.end()
    return spans or None


def show_text(model: dict[str, Any]) -> str:
    """The `show` model for people: block, source, quote in context, problems, checks."""
    out = [f"{model['file']}:{model['line']}: claim {model['claim']}"]
    if model["block"]:
        out += ["", model["block"].rstrip("\n")]
    src = model["source"]
    out.append("")
    if src is None:
        out.append("source: none given")
    elif not src["known"]:
        out.append(f"source: `{src['id']}` is not in sources.yaml")
    else:
        out.append(f"source: {src['title']}")
        out.append(f"  {src['publisher']}, {src['published']}")
        out.append(f"  {src['url'] or '(no url)'}")
    q = model["quote"]
    if q is not None:
        out.append("")
        if q["found"]:
            said = "".join(f"»{s['text']}«" if s["quote"] else s["text"] for s in q["segments"])
            out.append(f"in context: {said}")
        else:
            out.append(f"in context: {q['why']}")
    out += ["", f"problems: {len(model['problems']) or 'none'}"]
    out += [f"  {Problem(**p).format()}" for p in model["problems"]]
    out += ["", f"checks: {len(model['checks']) or 'none'}"]
    for c in model["checks"]:
        whose = "this claim" if c["role"] == "claim" else f"{c['claim']}, this claim a part"
        out.append(f"  {c['verdict'].upper()}  {c['kind']} check of {whose}")
        out.append(f"    {c['message']}")
        out += [f"    [{f['code']}] {f['message']}" for f in c["findings"]]
    out += ["", f"findings: {len(model['findings']) or 'none'}"]
    out += [f"  [{f['code']}] {f['message']}" for f in model["findings"]]
    return "\n".join(out) + "\n"
