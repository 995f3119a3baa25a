"""The fields of a drafted claim (`aid-ledger suggest`): who states a figure and who gave,
where, what, and with which status, read from one sentence of the source with the ledger's
own names (orgs.yaml, places.yaml, items.yaml) and words (defaults/suggest.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .numbers import forms
from .suggest_match import Matcher, Mention, fuzzy_places, settle_ambiguous, specific_places
from .suggest_text import Figure, Sentence, phrase_pattern, rules
from .suggest_translit import translit_places

if TYPE_CHECKING:
    from .loader import Ledger

POPULATION = ("person", "family", "household", "child")  # figures of people are `context`
PEOPLE_KINDS = ("spokesperson", "expert")  # who speaks, preferred as claimant
NOT_PROVIDERS = ("media", "spokesperson", "expert")


class SuggestError(ValueError):
    """The draft cannot be made (unknown source, unreadable document); says what to do."""


@dataclass(frozen=True)
class SourceText:
    """The source being drafted: its id, normalised text, publication day and language."""

    id: str
    text: str
    published: date
    language: str | None = None


@dataclass
class Draft:
    """One proposed claim: its fields in the ledger's format and why a curator should look."""

    fields: dict[str, Any]
    reviews: list[str] = field(default_factory=list)
    figure: Figure | None = None
    sentence: int = 0
    dimension: str | None = None
    canonical: Decimal | None = None  # the value in the dimension's canonical unit


@dataclass
class Context:
    """What drafting one text needs from the ledger, built once."""

    book: Ledger
    src: SourceText
    orgs: Matcher | None
    places: Matcher
    items: Matcher
    taken: set[str]
    counted: set[str]
    last_claimant: str | None = None
    last_day: date | None = None


# --- who says it -----------------------------------------------------------------------------


def orgs_in(ctx: Context, text: str, offset: int) -> list[Mention]:
    return ctx.orgs.find(text, offset) if ctx.orgs is not None else []


def org_kind(ctx: Context, name: str) -> str | None:
    return ctx.book.orgs.get(name, "kind") if ctx.book.orgs is not None else None


def claimant_of(ctx: Context, s: Sentence, lang: str) -> tuple[str | None, int, str | None]:
    """Who states the sentence's figures, the end of the attribution verb (0: none), and a
    review note when the claimant is carried over from an earlier sentence."""
    r = rules(lang)
    orgs = [m for m in orgs_in(ctx, s.text, 0) if org_kind(ctx, m.name) != "media"]
    for verb in phrase_pattern(r.attribution).finditer(s.text):
        before = s.text[: verb.start()].rstrip()
        pronoun = before.rsplit(None, 1)[-1].casefold() if before else ""
        if verb.group().casefold() in ("according to",):
            after = [m for m in orgs if m.start >= verb.end()]
            if after:
                ctx.last_claimant = after[0].name
                return after[0].name, verb.end(), None
            continue
        if pronoun in r.pronouns and ctx.last_claimant:
            return ctx.last_claimant, verb.end(), None
        ahead = [m for m in orgs if m.end <= verb.start()]
        people = [m for m in ahead if org_kind(ctx, m.name) in PEOPLE_KINDS]
        pick = (people or ahead or [None])[-1]
        if pick is not None:
            ctx.last_claimant = pick.name
            return pick.name, verb.end(), None
    if ctx.last_claimant:
        why = "claimant: the sentence names no speaker the orgs file knows; the last one is assumed"
        return ctx.last_claimant, 0, why
    return None, 0, None


def providers_in(ctx: Context, text: str, offset: int, claimant: str | None) -> list[str]:
    found = [m.name for m in orgs_in(ctx, text, offset)]
    return list(dict.fromkeys(
        n for n in found if n != claimant and org_kind(ctx, n) not in NOT_PROVIDERS
    ))  # fmt: skip


def state_of(ctx: Context, name: str | None) -> str | None:
    if name is None or ctx.book.orgs is None:
        return None
    return ctx.book.orgs.nearest(name, "kind", "state")


def unit_words(lang: str) -> dict[str, tuple[str, ...]]:
    return {**forms("en").units, **forms(lang).units}


def unit_out(ctx: Context, word: str, lang: str) -> tuple[str, list[str]]:
    """The unit to write for a unit word, and review notes (`tons`: metric or short?)."""
    names = unit_words(lang).get(word.casefold())
    if names:
        usable = [n for n in names if not isinstance(ctx.book.units.lookup(n), Exception)]
        reviews = []
        if len(usable) > 1:
            reviews.append(
                f"quantity: `{word}` may mean {' or '.join(usable)}; {usable[0]} assumed "
                "(`check` warns on `ton`: write `t` for metric tons, `short_ton` else)"
            )
        return (usable or list(names))[0], reviews
    info = ctx.book.units.lookup(word.casefold().replace(" ", "_"))
    if not isinstance(info, Exception) and info.dimension == "person":
        return "people", []
    last = word.casefold().split()[-1]
    same = ctx.book.units.lookup(last)
    if not isinstance(info, Exception) and not isinstance(same, Exception):
        return (last, []) if same.dimension == info.dimension else (word.casefold(), [])
    return word.casefold(), []


def segment_of(s: Sentence, at: int) -> tuple[str, int]:
    """The part of the sentence between `:`/`;` marks that holds offset `at` (a list item)."""
    start = s.start
    for piece in re.split(r"(?<=[:;])", s.text):
        if start <= at < start + len(piece):
            return piece, start
        start += len(piece)
    return s.text, s.start


def places_in(ctx: Context, text: str, offset: int, lang: str) -> tuple[list[str], list[str]]:
    tree = ctx.book.places
    found = ctx.places.find(text, offset)
    found += fuzzy_places(text, offset, ctx.places, found)
    found += translit_places(text, offset, ctx.places, found)
    notes: dict[Mention, str] = {}
    settled = []
    for m in sorted(found, key=lambda m: m.start):
        one, why = settle_ambiguous(m, ctx.src.text, 0, rules(lang).levels, tree)
        settled.append(one)
        if one.score < 100 or one.how:
            why = f"places: `{one.written}` read as {one.name} ({one.match_note})"
        if why:
            notes[one] = why
    kept, more = specific_places(settled, tree)
    return [m.name for m in kept], [notes[m] for m in kept if m in notes] + more


def item_for(
    ctx: Context, s: Sentence, fig: Figure, segment: tuple[str, int], dimension: str
) -> tuple[str | None, str | None]:
    """The item nearest the figure whose dimension fits its unit: in the list item, then the
    sentence, else any item of that counted dimension."""
    tree = ctx.book.items
    for text, offset in (segment, (s.text, s.start)):
        hits = [m for m in ctx.items.find(text, offset) if fits(tree, m.name, dimension)]
        if hits:
            best = min(hits, key=lambda m: abs(m.start - fig.end))
            return best.name, None
    for name in tree.entries:
        if dimension not in ("mass", "volume") and tree.first(name, "dimension") == dimension:
            return name, f"item: not named in the sentence; {name} measured in {dimension}"
    return None, "item: the text names no item for this figure; add one"


def fits(tree: Any, name: str, dimension: str) -> bool:
    own = tree.first(name, "dimension")
    return own == dimension if own else dimension in ("mass", "volume")


def status_of(text: str, lang: str) -> tuple[str, str | None]:
    found = {}
    for status, verbs in rules(lang).status.items():
        m = phrase_pattern(verbs).search(text)
        if m:
            found[status] = m.start()
    if not found:
        return "delivered", "status: no verb says delivered, pledged or planned"
    return min(found, key=found.__getitem__), None


def provider_for(
    ctx: Context, s: Sentence, fig: Figure, claimant: str | None, verb_end: int
) -> tuple[str | None, str | None]:
    head = s.text[verb_end : fig.start - s.start]
    named = providers_in(ctx, head, s.start + verb_end, claimant)
    if named:
        why = f"provider: the sentence names {', '.join(named)}" if len(named) > 1 else None
        return named[0], why
    state = state_of(ctx, claimant)
    if state and state != claimant:
        return state, f"provider: not named; the claimant's state {state} is assumed"
    if claimant and org_kind(ctx, claimant) not in NOT_PROVIDERS:
        return claimant, "provider: not named; the claimant itself is assumed"
    return None, "provider: not named in the sentence"
