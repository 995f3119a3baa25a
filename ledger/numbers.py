"""Numbers as people write them: `90,000`, `4.5`, `one`, `a single`, `1,5` in Russian.

Used twice: to read the figure of a quantity phrase (English, the ledger's own language) and to
find that figure again inside a verbatim quote in the source's language. The word lists live in
`defaults/numbers.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class NumberForms:
    """How one language writes numbers."""

    lang: str
    decimal: str
    group: tuple[str, ...]
    words: dict[str, Decimal]
    scales: dict[str, Decimal]
    articles: dict[str, Decimal]
    joiners: tuple[str, ...]
    negations: tuple[str, ...]
    # unit word in a quote (casefolded) -> ledger unit names it may mean (quoteunits.py)
    units: dict[str, tuple[str, ...]]
    # number words written after their noun ("طن واحد": one ton), read by `suggest`
    after_noun: tuple[str, ...] = ()


@cache
def all_forms() -> dict[str, NumberForms]:
    import yaml

    text = resources.files("ledger").joinpath("defaults/numbers.yaml").read_text("utf-8")
    raw: dict = yaml.load(text, Loader=yaml.SafeLoader)  # our own file, not user data
    out = {}
    for lang, d in raw.items():
        out[lang] = NumberForms(
            lang=lang,
            decimal=d["decimal"],
            group=tuple(d.get("group", [])),
            words={str(k).lower(): Decimal(str(v)) for k, v in d.get("words", {}).items()},
            scales={str(k).lower(): Decimal(str(v)) for k, v in d.get("scales", {}).items()},
            articles={str(k).lower(): Decimal(str(v)) for k, v in d.get("articles", {}).items()},
            joiners=tuple(d.get("joiners", [])),
            negations=tuple(n.lower() for n in d.get("negations", [])),
            units={str(k).casefold(): _names(v) for k, v in (d.get("units") or {}).items()},
            after_noun=tuple(str(w) for w in d.get("after_noun") or ()),
        )
    return out


def _names(value: object) -> tuple[str, ...]:
    """A `units:` entry's unit names: one name or a list of them."""
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def forms(lang: str | None) -> NumberForms:
    """The forms of `lang` (an ISO 639-1 code); English when unknown or not given."""
    table = all_forms()
    return table.get((lang or "en").split("-")[0].lower(), table["en"])


def known_languages() -> list[str]:
    return sorted(all_forms())


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and other decimal digits become 0-9, so one pattern reads them all."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def parse_english_digits(text: str) -> Decimal | None:
    """`90,000` or `4.5` or `1234`; None for anything else (`1,5`, `1.000`, `4e3`)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+", text):
        return Decimal(text.replace(",", ""))
    return None


def step_of(value: Decimal, written: str | None = None) -> Decimal:
    """The place of the last significant digit: 4 -> 1, 90,000 -> 10,000, 3.5 -> 0.1.

    Trailing zeros of a whole number are not significant (reports round to them); written
    decimals are (`3.50` -> 0.01). Zero has no rounding: step 0.
    """
    if value == 0:
        return Decimal(0)
    if written is not None and "." in written:
        decimals = len(written.split(".")[1].rstrip())
        return _power_of_ten(-decimals)
    exponent = value.normalize().as_tuple().exponent
    return _power_of_ten(int(exponent))


@cache
def _power_of_ten(exponent: int) -> Decimal:
    """10**exponent, one object per exponent (a million figures share a handful of steps)."""
    return Decimal(1).scaleb(exponent)


def words_value(words: list[str], f: NumberForms) -> Decimal | None:
    """The value of a run of number words (`ninety thousand`, `two hundred and five`).

    Words must come in the order numbers are said: `twenty one` is 21, but `one twenty` or
    `two three` is no number (None), never a sum of its words.
    """
    total = current = Decimal(0)
    last: Decimal | None = None  # the previous word's value, since the last scale
    seen = False
    for w in words:
        if w in f.joiners:
            continue
        if w in f.words or w in f.articles:
            value = f.words[w] if w in f.words else f.articles[w]
            if last is not None and not _may_follow(last, value):
                return None
            current += value
            last = value
        elif w in f.scales:
            current = (current or Decimal(1)) * f.scales[w]
            if f.scales[w] >= 1000:
                total, current = total + current, Decimal(0)
            last = None
        else:
            return None
        seen = True
    return total + current if seen else None


def _may_follow(last: Decimal, value: Decimal) -> bool:
    """A smaller word after a round one (`twenty one`, `сто двадцать`, `soixante-dix`), or a
    fraction after a whole (`one and a half`)."""
    if value < 1:
        return last >= 1
    return last >= 20 and value < last


def _number_pattern(f: NumberForms) -> re.Pattern[str]:
    group = "|".join(re.escape(g) for g in f.group if g != f.decimal)
    dec = re.escape(f.decimal)
    grouped = rf"\d{{1,3}}(?:(?:{group})\d{{3}})+" if group else r"(?!x)x"
    return re.compile(rf"(?<![\w.,])(?:{grouped}|\d+)(?:{dec}\d+)?(?!\d|[.,]\d)")


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    f = forms(lang)
    names = sorted(set(f.words) | set(f.scales), key=len, reverse=True)
    word_alt = "|".join(re.escape(n) for n in names)
    joiners = "|".join(re.escape(j) for j in f.joiners) or r"(?!x)x"
    word_run = re.compile(
        rf"(?<!\w)(?:{word_alt})(?:(?:\s+|\s*(?:{joiners})\s*)(?:{word_alt}))*(?!\w)",
        re.IGNORECASE,
    )
    scale_alt = "|".join(re.escape(s) for s in sorted(f.scales, key=len, reverse=True))
    scaled = re.compile(rf"\s*({scale_alt})(?!\w)", re.IGNORECASE) if scale_alt else None
    return _number_pattern(f), word_run, scaled


def numbers_in_text(text: str, lang: str | None = None) -> set[Decimal]:
    """Every figure a text states, in digits or in words, in `lang`'s number forms (see
    `figures_in_text`)."""
    return {value for value, _ in figures_in_text(text, lang)}


def figures_in_text(text: str, lang: str | None = None) -> Iterator[tuple[Decimal, int]]:
    """Each figure a text states, in digits or in words, with where its writing ends (digits
    with a scale word give both readings: `1.5 million` is 1.5, ending at `5`, and 1,500,000,
    ending after `million`).

    English text is also read with English forms whatever `lang` says, since quotes in other
    languages often carry English-style figures; but digits that `lang` already read are not
    read again (`1.000` in French is a thousand, not the English 1.000).
    """
    text = to_ascii_digits(text)  # one character for one: positions hold
    own = forms(lang).lang
    taken: list[tuple[int, int]] = []  # spans of the figures read in the source's own forms
    for code in dict.fromkeys((own, "en")):
        f = forms(code)
        digits, word_run, scaled = _patterns(code)
        for m in digits.finditer(text):
            if code != own and any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if code == own:
                taken.append(m.span())
            raw = m.group(0)
            for g in f.group:
                raw = raw.replace(g, "")
            try:
                value = Decimal(raw.replace(f.decimal, "."))
            except InvalidOperation:
                continue
            yield value, m.end()
            tail = scaled.match(text, m.end()) if scaled else None
            if tail:
                yield value * f.scales[tail.group(1).lower()], tail.end()
        for m in word_run.finditer(text):
            parts = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?|-", m.group(0).lower())
            for value in _run_values(join_multiword(parts, f), f):
                yield value, m.end()


def _run_values(words: list[str], f: NumberForms) -> set[Decimal]:
    """The figures in a run of number words: the run as one number (`two hundred and five`),
    else each piece between joiners (`between five and six` states 5 and 6), else each word."""
    value = words_value(words, f)
    if value is not None:
        return {value}
    out: set[Decimal] = set()
    piece: list[str] = []
    for w in [*words, None]:
        if w is None or w in f.joiners:
            if piece:
                whole = words_value(piece, f)
                if whole is not None:
                    out.add(whole)
                else:
                    out |= {v for x in piece if (v := words_value([x], f)) is not None}
            piece = []
        else:
            piece.append(w)
    return out


def join_multiword(parts: list[str], f: NumberForms) -> list[str]:
    """Re-join multi-word entries (`a single`, `ни одного`) split by the tokenizer."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        pair = " ".join(parts[i : i + 2])
        if i + 1 < len(parts) and (pair in f.words or pair in f.scales):
            out.append(pair)
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


def figure_written(text: str, value: Decimal, lang: str | None = None) -> bool:
    """Whether `value` stands in `text` in digits as it is usually written (`46,000`, `4.5`,
    `4,5` in a decimal-comma language), as a whole number token. A quick test that settles
    most quotes; `numbers_in_text` reads everything else (words, scales, unusual grouping)."""
    written = digit_forms(value, forms(lang))
    return any(next(token_ends(text, form), None) is not None for form in written)


def token_ends(text: str, form: str) -> Iterator[int]:
    """Where each occurrence of the digits `form` that is a whole number token ends: not a
    piece of a longer number (`46` in `460` or `1.46`). `str.find` is several times faster than
    a pattern here, and this runs once per quote."""
    start = 0
    while (at := text.find(form, start)) >= 0:
        end = at + len(form)
        before = text[at - 1] if at else " "
        after = text[end : end + 2]
        if not (before.isalnum() or before in ".,") and not (
            after[:1].isdigit() or (after[:1] in ".," and after[1:2].isdigit())
        ):
            yield end
        start = at + 1


def digit_forms(value: Decimal, f: NumberForms) -> set[str]:
    plain = f"{value.normalize():f}"
    whole, _, frac = plain.partition(".")
    grouped = f"{int(whole):,}"
    out = {plain, grouped + ("." + frac if frac else "")}
    for group in (*f.group, ","):
        g = grouped.replace(",", group) if group != f.decimal else None
        if g:
            out.add(g + (f.decimal + frac if frac else ""))
        if frac:
            out.add(whole + f.decimal + frac)
    return out


def has_negation(text: str, lang: str | None = None) -> bool:
    """Whether a text denies a quantity ("has not allocated a single gram", "no aid")."""
    return negation_pattern(forms(lang).lang).search(text) is not None


@cache
def negation_pattern(lang: str) -> re.Pattern[str]:
    """One pattern for the negations of `lang` and English: whole words, except elided forms
    (`n'`, `n't`) that attach to the next or previous word."""
    alts = []
    for code in dict.fromkeys((lang, "en")):
        for neg in forms(code).negations:
            word = re.escape(neg)
            alts.append(word if neg.startswith("n'") or neg.endswith("'") or neg == "n't"
                        else rf"(?<!\w){word}(?!\w)")  # fmt: skip
    return re.compile("|".join(alts), re.IGNORECASE)


__all__ = ["NumberForms", "forms", "numbers_in_text", "has_negation", "step_of"]
