"""Figures and zero claims of one sentence, as drafted claims (`aid-ledger suggest`): each
stated figure with its qualifier and unit, and each negation ("have yet to offer", "not a
single gram of flour, a single pill or blanket") as zero claims, one per provider and item.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from .numbers import forms, negation_pattern
from .suggest_fields import (
    POPULATION,
    Context,
    Draft,
    item_for,
    places_in,
    provider_for,
    providers_in,
    segment_of,
    status_of,
    unit_out,
    unit_words,
)
from .suggest_text import (
    Figure,
    Sentence,
    number_pattern,
    number_value,
    phrase_pattern,
    qualifier_before,
    rules,
)

# --- figures -------------------------------------------------------------------------------


def figures_in(ctx: Context, s: Sentence, lang: str) -> list[Figure]:
    """Each figure with a unit the ledger knows, in the order written: a number before its unit
    ("5 أطنان", "two events"), a number after its noun ("طن واحد", one ton: `_after_noun`), and
    a dual, one word for two of a unit ("طنان", two tons)."""
    after = _after_noun(s, lang)
    out: list[Figure] = []
    text = s.text
    for m in number_pattern(lang).finditer(text):
        if any(m.start() + s.start < f.end and f.start < m.end() + s.start for f in after):
            continue  # `واحد` of `طن واحد`: read with its noun
        value = number_value(m.group(), lang)
        if value is None or (out and m.start() + s.start < out[-1].end):
            continue  # the second figure of `between 2 and 3 t` is part of the first
        qualifier, start = qualifier_before(text, m.start(), lang)
        high, tail = None, m.end()
        if qualifier == "between":
            second = re.match(r"\s+(?:and|to|-|et|und|и|до)\s+", text[tail:], re.IGNORECASE)
            other = number_pattern(lang).match(text, tail + second.end()) if second else None
            if other is not None:
                high, tail = number_value(other.group(), lang), other.end()
        unit = _dual(m.group(), tail, lang) or _unit_after(ctx, text, tail, lang)
        if unit is None:
            continue
        word, end = unit
        out.append(Figure(start + s.start, end + s.start, qualifier, value, high, word, m.group()))
    return sorted(out + after, key=lambda f: f.start)


def _dual(written: str, end: int, lang: str) -> tuple[str, int] | None:
    """A number word that is also a unit word is a dual, its own unit ("طنان", two tons):
    numbers.yaml lists it under both `words:` (2) and `units:` of the language."""
    f = forms(lang)
    word = written.casefold()
    return (written, end) if word in f.units and (word in f.words or word in f.scales) else None


def _after_noun(s: Sentence, lang: str) -> list[Figure]:
    """Figures written after their noun: a unit word of `lang` (singular or dual) and one of its
    `after_noun:` number words ("حوالي طن واحد": about 1 t, "طنان اثنان": 2 t). The qualifier
    stands before the noun, and the quote spans qualifier, noun and number. Nothing for a
    language whose numbers.yaml entry lists no such words (English, French...)."""
    pattern = _after_noun_pattern(forms(lang).lang)
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(s.text):
        value = number_value(m.group(2), lang)
        if value is None:
            continue
        qualifier, start = qualifier_before(s.text, m.start(), lang)
        noun, number = m.group(1), m.group(2)
        out.append(Figure(start + s.start, m.end() + s.start, qualifier, value, None, noun, number))
    return out


@cache
def _after_noun_pattern(code: str) -> re.Pattern[str] | None:
    """A unit word of the language (numbers.yaml `units:`), then one of its `after_noun:`
    number words, both whole words; built once per language."""
    numbers = forms(code).after_noun
    units = forms(code).units
    if not numbers or not units:
        return None
    unit_alt = "|".join(
        r"\s+".join(re.escape(part) for part in w.split())
        for w in sorted(units, key=len, reverse=True)
    )
    number_alt = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({unit_alt})\s+({number_alt})(?!\w)", re.IGNORECASE)


def _unit_after(ctx: Context, text: str, at: int, lang: str) -> tuple[str, int] | None:
    """The unit word after a figure ("metric tons", "events", two words skipped at most for a
    counted unit: "two humanitarian events", "90,000 Aleppo residents")."""
    words = list(re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)?", text[at : at + 60]))
    if not words or text[at : at + words[0].start()].strip():
        return None
    for skip in range(min(3, len(words))):
        if skip and not _skippable(text[at : at + words[skip - 1].end()], lang):
            break
        for size in (2, 1):
            chunk = words[skip : skip + size]
            if len(chunk) < size:
                continue
            written = text[at + chunk[0].start() : at + chunk[-1].end()]
            if skip == 0 and unit_words(lang).get(written.casefold()):
                return written, at + chunk[-1].end()
            info = ctx.book.units.lookup(written.casefold().replace(" ", "_"))
            if not isinstance(info, Exception) and info.dimension in ctx.counted:
                return written, at + chunk[-1].end()
    return None


def _skippable(between: str, lang: str) -> bool:
    """Words between a figure and a counted unit: plain words, no mark, no number."""
    if re.search(r"[^\w\s'-]", between):
        return False
    f, en = forms(lang), forms("en")
    known = {*f.words, *f.scales, *en.words, *en.scales}
    return not any(w.casefold() in known for w in between.split())


def _figure_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():f}"


def figure_draft(
    ctx: Context, s: Sentence, fig: Figure, lang: str, claimant: str | None, verb_end: int
) -> Draft | None:
    if _negated_single(s.text[: fig.start - s.start], fig, lang):
        return None
    unit, reviews = unit_out(ctx, fig.unit_word, lang)
    info = ctx.book.units.lookup(unit)
    if isinstance(info, Exception):
        return None
    number = _figure_text(fig.value)
    if fig.qualifier == "between" and fig.high is not None:
        quantity = f"between {number} and {_figure_text(fig.high)} {unit}"
    else:
        quantity = f"{fig.qualifier + ' ' if fig.qualifier else ''}{number} {unit}"
    segment = segment_of(s, fig.start)
    places, place_reviews = places_in(ctx, *segment, lang)
    item, item_review = item_for(ctx, s, fig, segment, info.dimension)
    fields: dict[str, Any] = {
        "source": ctx.src.id, "claimant": claimant, "item": item, "quantity": quantity,
        "places": places, "quote": ctx.src.text[fig.start : fig.end],
    }  # fmt: skip
    reviews += place_reviews + ([item_review] if item_review else [])
    if info.dimension in POPULATION:
        fields["status"] = "context"
    else:
        fields["status"], why = status_of(s.text, lang)
        reviews += [why] if why else []
        fields["provider"], why = provider_for(ctx, s, fig, claimant, verb_end)
        reviews += [why] if why else []
    canonical = fig.value * info.factor
    return Draft(fields, reviews, fig, dimension=info.dimension, canonical=canonical)


def _negated_single(before: str, fig: Figure, lang: str) -> bool:
    """`not ... a single gram`: a figure of one, written in words, after a negation."""
    clause = re.split(r"[,;:.]", before)[-1] if not fig.number_text[:1].isdigit() else ""
    return fig.value == 1 and bool(negation_pattern(lang).search(clause))


# --- zero claims ---------------------------------------------------------------------------


def zero_drafts(
    ctx: Context, s: Sentence, lang: str, claimant: str | None, verb_end: int
) -> list[Draft]:
    """`have yet to offer humanitarian assistance`: `none`, one per provider named before the
    negation; "not ... a single gram of flour, a single pill or blanket": `0 g` of flour,
    `0 pills`, `0 blankets`."""
    r = rules(lang)
    verbs = phrase_pattern((*r.status["delivered"], *r.status["pledged"]))
    out = []
    for neg in negation_pattern(lang).finditer(s.text):
        verb = verbs.match(s.text, neg.end() + 1) or _after_words(verbs, s.text, neg.end())
        if verb is None:
            continue
        head = verb_end if verb_end <= neg.start() else 0
        providers = providers_in(ctx, s.text[head : neg.start()], s.start, claimant)
        items = _zero_items(ctx, s, verb.end(), lang)
        places, reviews = places_in(ctx, s.text, s.start, lang)
        for provider in providers or [None]:
            for item, unit, end in items:
                quote = ctx.src.text[s.start + neg.start() : s.start + end]
                fields = {
                    "source": ctx.src.id, "claimant": claimant, "provider": provider,
                    "status": "delivered", "item": item,
                    "quantity": f"0 {unit}" if unit else "none", "places": places,
                    "quote": quote,
                }  # fmt: skip
                zero = Figure(s.start + neg.start(), s.start + end, None, Decimal(0), None, "", "")
                why = [] if provider else ["provider: the negation names no provider"]
                out.append(Draft(fields, reviews + why, zero))
    return out


def _after_words(verbs: re.Pattern[str], text: str, at: int) -> re.Match[str] | None:
    """The verb one or two words after a negation (`has not yet allocated`)."""
    m = re.match(r"\s+(?:[^\W\d_]+\s+){1,2}?", text[at:])
    return verbs.match(text, at + m.end()) if m else None


def _zero_items(ctx: Context, s: Sentence, at: int, lang: str) -> list[tuple[str, str | None, int]]:
    """What a negation denies: (item, unit or None, end offset in the sentence) per item."""
    rest = s.text[at:]
    single = re.match(r"\s+(?:a single|single|any|un seul|une seule|ни одного)\s+", rest, re.I)
    if not single:
        hits = ctx.items.find(rest[:60], at)
        return [(hits[0].name, None, hits[0].end)] if hits else []
    out = []
    joins = "|".join(re.escape(w) for w in rules(lang).list_words if w != ",")
    stop = re.search(r"\s(?:to|for|in|since|pour|für|для)\s|[.;:\"]", rest[single.end() :])
    listed = rest[single.end() : single.end() + (stop.start() if stop else len(rest))]
    pos = at + single.end()
    for piece in re.split(rf"(,\s*|\s+(?:{joins})\s+)", listed):
        word = re.sub(r"^(?:a single|single|a|an)\s+", "", piece.strip(), flags=re.I)
        end = pos + len(piece.rstrip())
        pos += len(piece)
        if not word or re.fullmatch(rf",|{joins}", word, re.I):
            continue
        found = _zero_item(ctx, word, lang)
        if found:
            out.append((*found, end))
    return out


def _zero_item(ctx: Context, word: str, lang: str) -> tuple[str, str | None] | None:
    """`gram of flour` -> (flour, g); `pill` -> (pills, pills)."""
    m = re.match(r"(\w+(?: \w+)?) of (.+)", word)
    units = unit_words(lang)
    if m and m.group(1).casefold() in units:
        item = ctx.items.find(m.group(2))
        unit, _ = unit_out(ctx, m.group(1), lang)
        return (item[0].name, unit) if item else None
    item = ctx.items.find(word)
    if not item:
        return None
    name = item[0].name
    dimension = ctx.book.items.first(name, "dimension")
    if dimension in ctx.counted:
        info = ctx.book.units.lookup(name)
        return name, name if not isinstance(info, Exception) else str(dimension)
    return name, None
