"""Unit words in quotes: a quote that says "eight tonnes" does not back `8 kg` (issue 12).

`check_quotes` finds a claim's figure in its quote, in digits or words; this check reads the
word that follows that figure. The words a quote may use for a unit are data, per language
(`units:` in defaults/numbers.yaml), each with the ledger unit names it may mean; the names are
resolved through the ledger's own registry (`ctx.units`), so `tonnes` means the unit `t` and
`tonne` whatever units.txt adds, and a name the ledger cannot resolve is no meaning at all.

Near the figure means right after it (its scale word included: `1.5 million litres`), with at
most one other word between (`8 more tonnes`), and nothing else: no punctuation, no other
number. One word is the limit on purpose: a second lets a figure borrow the unit of the next
noun phrase (`12 trucks carrying tonnes of flour`).

A quote may state the figure more than once (`4 tonnes on 4 December`). The claim is warned
about when at least one of those places has a unit word the ledger can resolve, and none has a
word that can mean the claim's unit (same canonical unit and factor), nor the claim's own unit
name as written (`10 trucks carrying 10 tonnes` backs `10 trucks`, though `trucks` is no unit
word). No unit word at the figure, or only words the ledger does not know, is never a warning;
nor is a zero figure (`not a single gram` states no figure to carry a unit).

Work is done once per distinct (quote, language, figure) while the claims of one source are
read (the answers are let go when the source changes, as in `check_quotes`), and once per
distinct unit name and per distinct (unit words, claim unit) for the whole ledger.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .claim import Claim
from .numbers import digit_forms, figures_in_text, token_ends
from .numbers import forms as number_forms
from .problems import Problem, warning
from .units import UnitInfo
from .vocab import Family

if TYPE_CHECKING:
    from .resolve import Context

READS = ("source", "quote", "quantity", "unit")
CODE = "quote-unit-mismatch"

# Between a figure and its unit: spaces (no-break ones too) and hyphens (`8-tonne`).
_SEP = r"[\s\u00a0\u202f\-\u2010\u2011]"
# A unit word ends where a word would go on (`t-shirts`, `l'aide` are no units).
_END = r"(?![\w'\u2019\-])"
_DIGITS = frozenset("0123456789")
# The two words after a figure, whatever they are (`trucks carrying`, `food kits`).
_NEXT = re.compile(rf"{_SEP}*([^\W\d_]+)(?:{_SEP}+([^\W\d_]+))?")

# What a quote says at its figure: the unit words found right after it (as written, one per
# place that has one) and where each statement of the figure ends.
Said = tuple[tuple[str, ...], tuple[int, ...]]
# The unit names a word may mean that the ledger resolves, with what each resolves to.
Meanings = tuple[tuple[str, UnitInfo], ...]
Mismatch = tuple[str, Meanings]  # a quote's word and its meanings, none the claim's unit


def check_quote_units(claims: Sequence[Claim], ctx: Context) -> list[Problem]:
    """Warn where a quote's unit word for the figure cannot mean the claim's unit."""
    problems: list[Problem] = []
    said: dict[tuple[str, str, Decimal], Said] = {}  # per source (see above)
    meanings: dict[str, UnitInfo | None] = {}  # unit name -> what it means in this ledger
    verdicts: dict[tuple[tuple[str, ...], str, str], Mismatch | None] = {}  # few
    current: str | None = None
    lang = "en"
    for c in claims:
        p, unit = c.quantity, c.unit
        if c.quote is None or p is None or unit is None or p.high == 0:
            continue
        if c.source != current:  # a claim file has one source: claims of one stand together
            current = c.source
            said.clear()
            src = ctx.sources.get(c.source) if c.source else None
            lang = number_forms(src.language if src else None).lang
        value = p.high if p.family == Family.BETWEEN else p.value  # `between 2 and 3 tonnes`
        key = (c.quote, lang, value)
        hit = said.get(key)
        if hit is None:
            hit = said[key] = unit_words_at(c.quote, value, lang)
        words, ends = hit
        if not words:  # the figure is not stated (`check_quotes` says so), or has no unit word
            continue
        vkey = (words, lang, unit.written)
        if vkey not in verdicts:
            verdicts[vkey] = _mismatch(words, lang, unit, ctx, meanings)
        found = verdicts[vkey]
        if found is not None and not _names_own_unit(c.quote, ends, unit.written):
            msg = _message(*found, unit, c.quantity_text or p.text)
            problems.append(warning(*c.at("quantity"), CODE, msg))
    return problems


check_quote_units.READS = READS  # type: ignore[attr-defined]


def unit_words_at(quote: str, value: Decimal, lang: str = "en") -> Said:
    """The unit words right after the places `quote` states `value` (`lang`: a language of
    numbers.yaml), and where each statement ends. Nothing when the quote does not state it."""
    after = _unit_after(lang)
    ends = _figure_ends(quote, value, lang)
    words = []
    for end in ends:
        m = after.match(quote, end)
        if m is not None:
            words.append(m.group(1) or m.group(2))
    return tuple(words), tuple(ends)


def _names_own_unit(quote: str, ends: tuple[int, ...], written: str) -> bool:
    """Whether a word after the figure is the claim's unit as written (`trucks`, `food kits`
    for `kits`), singular or plural: the quote then states the figure in it. Asked only of
    the few claims about to be warned about."""
    own = " ".join(written.casefold().replace("_", " ").split())
    stems = {own, own.removesuffix("s"), own + "s", own.removesuffix("es")}
    for end in ends:
        m = _NEXT.match(quote, end)
        near = [w.casefold() for w in m.groups() if w] if m else []
        if near and {near[0], near[-1], " ".join(near)} & stems:
            return True
    return False


def _mismatch(
    words: tuple[str, ...],
    lang: str,
    unit: UnitInfo,
    ctx: Context,
    meanings: dict[str, UnitInfo | None],
) -> Mismatch | None:
    """The first word and what it means, for a claim in `unit` whose quote has `words` at its
    figure; None when a word can mean `unit`, or no word means a unit this ledger defines."""
    first: Mismatch | None = None
    for word in words:
        known = []
        for name in _names(word, lang):
            if name not in meanings:
                hit = ctx.units.lookup(name)
                meanings[name] = hit if isinstance(hit, UnitInfo) else None
            if (meant := meanings[name]) is not None:
                known.append((name, meant))
        if any(u.canonical == unit.canonical and u.factor == unit.factor for _, u in known):
            return None
        if known and first is None:
            first = (word, tuple(known))
    return first


def _message(word: str, known: Meanings, unit: UnitInfo, shown: str) -> str:
    """Name both units (and both dimensions when they differ) and what to write instead."""
    names = " or ".join(name for name, _ in known)
    instead = known[0][0]
    if all(u.dimension != unit.dimension for _, u in known):
        return (
            f"the quote says '{word}' ({names}, {_dimension(known[0][1].dimension)}) but the "
            f"quantity `{shown}` is in {unit.written}, {_dimension(unit.dimension)}: another "
            f"dimension; write the quantity in the source's unit (`{instead}`, with an item "
            f"measured in it), or quote the words that state this figure in {unit.written}."
        )
    return (
        f"the quote says '{word}' ({names}) but the quantity `{shown}` is in {unit.written}; "
        f"if the source means {word}, write the quantity in `{instead}`; if not, quote the "
        f"words that state this figure in {unit.written}."
    )


def _dimension(dimension: str) -> str:
    """`a mass`, `a volume`, `money (USD)`, `a count of person`."""
    if dimension in ("mass", "volume"):
        return f"a {dimension}"
    if dimension.startswith("currency_"):
        return f"money ({dimension.removeprefix('currency_')})"
    return f"a count of {dimension}"


def _names(word: str, lang: str) -> tuple[str, ...]:
    """The unit names a quote's word may mean: the language's own entry, else English's."""
    k = " ".join(word.casefold().split())
    return number_forms(lang).units.get(k) or number_forms("en").units.get(k) or ()


@cache
def _unit_after(lang: str) -> re.Pattern[str]:
    """A unit word of `lang` or English right after a figure, or after one other word.

    The word straight after the figure is tried first, so `8 metric tons` reads `metric tons`
    (t), not `tons` after the word `metric`."""
    words = {*number_forms("en").units, *number_forms(lang).units}
    alt = "|".join(
        f"{_SEP}+".join(re.escape(part) for part in w.split())
        for w in sorted(words, key=len, reverse=True)
    )
    pattern = rf"{_SEP}*(?:({alt}){_END}|[^\W\d_]+{_SEP}+({alt}){_END})"
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=4096)
def _written_forms(value: Decimal, lang: str) -> tuple[str, ...]:
    """How `value` is usually written in digits in `lang` (`46,000`, `4,5`), the language's
    own grouping first: worked out once per figure, as a ledger states the same figures again
    and again."""
    f = number_forms(lang)
    usual = {f.decimal, f.group[0] if f.group else f.decimal}
    return tuple(sorted(digit_forms(value, f), key=lambda w: (not set(w) - usual <= _DIGITS, w)))


def _figure_ends(quote: str, value: Decimal, lang: str) -> list[int]:
    """Where each statement of `value` in `quote` ends: digits as usually written, as a whole
    number token (`numbers.token_ends`, as `figure_written` finds it), else digits with a scale
    word or number words."""
    ends: list[int] = []
    for form in _written_forms(value, lang):
        if ends:  # found as usually written: the same figure grouped otherwise is rare
            break
        ends += token_ends(quote, form)
    return ends or _spelled_ends(quote, value, lang)


def _spelled_ends(quote: str, value: Decimal, lang: str) -> list[int]:
    """Where `value` ends when written with a scale (`1.5 million`), in number words
    (`eight`, `ninety thousand`) or in another script's digits: `numbers.figures_in_text`'s
    reading of the quote, keeping the figures equal to `value`."""
    return [end for read, end in figures_in_text(quote, lang) if read == value]
