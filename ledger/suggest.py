"""`aid-ledger suggest`: draft every claim a source text states, for a curator to confirm.

Each stated figure becomes a claim with its qualifier, unit (through the ledger's registry),
quote (the shortest span holding the figure and its unit, verbatim), places, claimant,
provider, status and period; negations become zero claims, one per provider and item named;
a figure that a following list adds up to gets `sum_of`, a count of listed deliveries
`count_of`. What the text leaves uncertain is said in `# review:` comments above the claim.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .add import propose_id, render_claim
from .dates import DateError, parse_period
from .numbers import forms
from .sources import normalise
from .suggest_fields import (
    Context,
    Draft,
    SourceText,
    SuggestError,
    claimant_of,
)
from .suggest_figures import figure_draft, figures_in, zero_drafts
from .suggest_match import Matcher
from .suggest_text import Sentence, period_of, read_when, sentences
from .yamltext import scalar

if TYPE_CHECKING:
    from .loader import Ledger


def source_text(book: Ledger, source_id: str) -> SourceText:
    """The stored document of source `source_id` of the ledger."""
    src = book.sources.get(source_id)
    if src is None:
        raise SuggestError(f"no source `{source_id}` in sources.yaml; give a text file instead.")
    text = src.normalised_text()
    if text is None:
        raise SuggestError(f"the document of `{source_id}` cannot be read: {src.document}.")
    day = published_day(str(src.published))
    if day is None:
        raise SuggestError(
            f"`published: {src.published}` of `{source_id}` is no date; dates in the text are "
            "read from the publication day: give it as `2016-12-03` (or a month, `2016-12`)."
        )
    return SourceText(source_id, text, day, src.language)


def published_day(published: str) -> date | None:
    """The day relative dates count from: the date as written, or for a month or a year (the
    day not known) its last day, the latest the text can have been published."""
    try:
        return parse_period(published.strip()).end
    except DateError:
        return None


def suggest(book: Ledger, src: SourceText) -> list[Draft]:
    """Every claim `src` states, as drafts in document order (links and ids set)."""
    lang = forms(src.language).lang
    ctx = Context(
        book, src,
        Matcher(book.orgs, ignore_case=False) if book.orgs is not None else None,
        Matcher(book.places, ignore_case=False),
        Matcher(book.items, ignore_case=True),
        set(book.by_id),
        counted_dimensions(book),
    )  # fmt: skip
    drafts: list[Draft] = []
    for n, s in enumerate(sentences(src.text, lang)):
        drafts += _sentence_drafts(ctx, s, n, lang)
    _link(ctx, drafts)
    for d in drafts:
        _name(ctx, d)
    return drafts


def counted_dimensions(book: Ledger) -> set[str]:
    from .gazetteer import known_dimensions

    return set(known_dimensions(book)) - {"mass", "volume"}


def _sentence_drafts(ctx: Context, s: Sentence, n: int, lang: str) -> list[Draft]:
    when = read_when(s.text, ctx.src.published, lang)
    period, date_review = period_of(when, ctx.last_day, ctx.src.published)
    if when.day is not None:
        ctx.last_day = when.day
    claimant, verb_end, claimant_review = claimant_of(ctx, s, lang)
    out = []
    zeros = zero_drafts(ctx, s, lang, claimant, verb_end)
    for fig in figures_in(ctx, s, lang):
        if any(z.figure and z.figure.start <= fig.start < z.figure.end for z in zeros):
            continue  # "not a single gram": the zero claim says it
        d = figure_draft(ctx, s, fig, lang, claimant, verb_end)
        if d is not None:
            out.append(d)
    for d in [*out, *zeros]:
        d.sentence = n
        d.fields["period"] = period
        d.reviews += [f"period: {date_review}"] if date_review else []
        d.reviews += [claimant_review] if claimant_review and d.fields.get("claimant") else []
    return sorted([*out, *zeros], key=lambda d: d.figure.start if d.figure else 0)


# --- links and ids -------------------------------------------------------------------------


def _link(ctx: Context, drafts: list[Draft]) -> None:
    """`count_of` for a count of the deliveries a list after it names; `sum_of` for a figure
    that the figures of a following list add up to (0.5 to 1.5 times: `report` judges).
    Drafts are grouped by sentence once, so a long text is never compared pair by pair."""
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        if d.figure is not None and d.canonical:  # zero claims are parts of nothing
            by_sentence.setdefault(d.sentence, []).append(d)
    for d in drafts:
        if d.figure is None or not d.canonical or d.fields.get("status") == "context":
            continue
        if d.dimension in ctx.counted:
            same = by_sentence.get(d.sentence, [])
            parts = [
                p for p in same if p.figure.start > d.figure.start and p.dimension != d.dimension
            ]
            if parts and len(parts) == d.canonical:
                d.fields["count_of"] = parts
                _places_from_parts(ctx, d, parts)
            continue
        listed = [
            p for p in by_sentence.get(d.sentence, [])
            if p.figure.start > d.figure.end and ":" in ctx.src.text[d.figure.end : p.figure.start]
        ]  # fmt: skip
        for n in (d.sentence, d.sentence + 1, d.sentence + 2):
            pool = listed if n == d.sentence else by_sentence.get(n, [])
            parts = [p for p in pool if p.dimension == d.dimension]
            if len(parts) >= 2:
                total = sum(p.canonical for p in parts)
                if Decimal("0.5") * d.canonical <= total <= Decimal("1.5") * d.canonical:
                    d.fields["sum_of"] = parts
                    d.reviews.append(f"sum_of: the list that follows adds up to {total}")
                break


def _places_from_parts(ctx: Context, d: Draft, parts: list[Draft]) -> None:
    if d.fields.get("places"):
        return
    tree = ctx.book.places
    found = [tree.nearest(p, "level", "governorate") or p
             for part in parts for p in part.fields.get("places") or []]  # fmt: skip
    d.fields["places"] = list(dict.fromkeys(found))
    d.reviews.append("places: the governorates of the deliveries it counts")


def _name(ctx: Context, d: Draft) -> None:
    """A readable id, unique in the ledger and the draft; links then name ids."""
    places = d.fields.get("places") or [None]
    label = places[0] or ""
    if d.fields.get("quantity", "").startswith(("0 ", "none")):
        label = f"{d.fields.get('provider') or ''} no {d.fields.get('item') or ''}"
    elif d.dimension in ctx.counted:
        label = f"{label} {d.fields.get('item') or ''}"
    d.fields["id"] = propose_id(ctx.src.id, label.strip() or None, d.fields["period"], ctx.taken)
    ctx.taken.add(d.fields["id"])


def claim_fields(d: Draft) -> dict[str, Any]:
    """The draft as `add` takes a claim: links as ids, the period as `date` when one day."""
    out = dict(d.fields)
    for key in ("sum_of", "count_of"):
        if key in out:
            out[key] = [p.fields["id"] for p in out[key]]
    if "/" not in str(out.get("period", "")):
        out["date"] = out.pop("period")
    return out


def render(source_id: str, drafts: list[Draft]) -> str:
    """The draft claims file: the ledger's own format, `# review:` comments above claims."""
    head = (
        "# Draft claims made by `aid-ledger suggest`: settle every `# review:` point, then\n"
        "# check the file (`aid-ledger check`) before adding it to the ledger.\n"
        f"source: {scalar(source_id)}\nclaims:\n"
    )
    return head + "\n".join(draft_block(d) for d in drafts)


def draft_block(d: Draft) -> str:
    """One drafted claim as the file holds it: its `# review:` points, then its YAML."""
    notes = "".join(f"  # review: {why}\n" for why in dict.fromkeys(d.reviews))
    return notes + render_claim(claim_fields(d), 2)


def text_source(text: str, source_id: str, published: str, language: str | None) -> SourceText:
    """A text file described by options, drafted before it is stored."""
    day = published_day(published)
    if day is None:
        raise SuggestError(f"--source-published `{published}` is no ISO 8601 date.")
    return SourceText(source_id, normalise(text), day, language)


def draft_for(
    book: Ledger, source: str, described: dict[str, str | None]
) -> tuple[SourceText, dict[str, Any] | None]:
    """The text to draft: a source of the ledger by id, or a text file the options describe
    (with the source entry `--accept` would add for it)."""
    if source in book.sources:
        return source_text(book, source), None
    path = Path(source)
    if not path.is_file():
        raise SuggestError(
            f"`{source}` is neither a source id of sources.yaml nor a text file; give one."
        )
    sid, published = described.get("source_id"), described.get("source_published")
    if not sid or not published:
        raise SuggestError("a text file needs --source-id and --source-published.")
    if sid in book.sources:
        raise SuggestError(f"source `{sid}` exists; give its id as SOURCE, or another --source-id.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SuggestError(f"cannot read {source}: {exc}; give a UTF-8 text file.") from None
    language = described.get("language")
    try:
        document = path.resolve().relative_to(book.repo.resolve()).as_posix()
    except ValueError:
        document = None
    entry = {
        "id": sid, "title": described.get("source_title"),
        "publisher": described.get("source_publisher"), "published": published,
        "url": described.get("source_url"), "document": document, "language": language or "en",
    }  # fmt: skip
    return text_source(text, sid, published, language), entry


def check_new_source(new_source: dict[str, Any] | None) -> None:
    """SuggestError unless a text file's source entry can be added with its claims (asked
    before an interactive review too, so no curator reviews a draft that cannot be written)."""
    if new_source is None:
        return
    missing = [k for k in ("title", "publisher", "document") if not new_source.get(k)]
    if missing:
        raise SuggestError(
            "to add a new source with --accept, store its text under the repository "
            "(seeds/) and give --source-title and --source-publisher "
            f"(missing: {', '.join(missing)})."
        )


def accept_drafts(
    book: Ledger, src: SourceText, drafts: list[Draft], new_source: dict[str, Any] | None
) -> Any:
    """Add the drafts to `<ledger>/claims/<source id>.yaml` through `add`, all or nothing."""
    from .add import add_batch

    if not drafts:
        raise SuggestError(f"no claim found in `{src.id}`; nothing to add.")
    check_new_source(new_source)
    claims = [claim_fields(d) for d in drafts]
    target = book.root / "claims" / f"{src.id}.yaml"
    return add_batch(book.root, target, claims, new_source)


__all__ = ["Draft", "SourceText", "SuggestError", "accept_drafts", "draft_for", "render", "suggest"]
