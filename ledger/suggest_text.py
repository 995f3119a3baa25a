"""Reading a source text for `suggest`: sentences, stated figures with their qualifier and
unit word, and dates resolved against the publication day.

The words are the ledger's own (defaults/suggest.yaml and defaults/numbers.yaml), so a curator
adds a language or a qualifier without touching this code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from .numbers import forms, join_multiword, to_ascii_digits, words_value


@dataclass(frozen=True)
class Rules:
    """How one language states qualifiers, attributions, statuses and dates (suggest.yaml)."""

    lang: str
    qualifiers: dict[str, str]
    attribution: tuple[str, ...]
    pronouns: tuple[str, ...]
    status: dict[str, tuple[str, ...]]
    open_start: tuple[str, ...]
    last_day: tuple[str, ...]
    this_week: tuple[str, ...]
    today: tuple[str, ...]
    yesterday: tuple[str, ...]
    weekdays: tuple[str, ...]
    levels: dict[str, str]
    abbreviations: tuple[str, ...]
    list_words: tuple[str, ...]


@cache
def _all_rules() -> dict[str, dict[str, Any]]:
    import yaml

    text = resources.files("ledger").joinpath("defaults/suggest.yaml").read_text("utf-8")
    return yaml.load(text, Loader=yaml.SafeLoader)  # our own file, not user data


def _low(values: Any) -> tuple[str, ...]:
    return tuple(str(v).casefold() for v in values or ())


@cache
def rules(lang: str | None) -> Rules:
    """The rules of `lang`, English when it has none; English words are read too (reports in
    other languages quote English names and figures)."""
    raw = _all_rules()
    code = (lang or "en").split("-")[0].lower()
    own, en = raw.get(code, raw["en"]), raw["en"]

    def both(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*_low(own.get(key)), *_low(en.get(key)))))

    statuses = {s: both_status(own, en, s) for s in ("delivered", "pledged", "planned")}
    return Rules(
        lang=code if code in raw else "en",
        qualifiers={
            str(k).casefold(): str(v) for d in (en, own) for k, v in d["qualifiers"].items()
        },
        attribution=both("attribution"),
        pronouns=both("pronouns"),
        status=statuses,
        open_start=both("open_start"),
        last_day=both("last_day"),
        this_week=both("this_week"),
        today=both("today"),
        yesterday=both("yesterday"),
        weekdays=_low(own.get("weekdays") or en["weekdays"]),
        levels={str(k).casefold(): str(v) for d in (en, own) for k, v in d["levels"].items()},
        abbreviations=both("abbreviations"),
        list_words=both("list_words"),
    )


def both_status(own: dict, en: dict, status: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*_low(own["status"][status]), *_low(en["status"][status]))))


@cache
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `phrases`, whole-word, case-insensitive, longest first (built once per list)."""
    alts = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts or '(?!x)x'})(?!\w)", re.IGNORECASE)


# --- sentences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


# A sentence ends at a full stop, `!` or `?` (Arabic `؟`, Urdu `۔`), a closing quote allowed,
# before whitespace and what may start a sentence: the first character after an opening quote
# or bracket is captured, and `_starts_sentence` judges it. The Arabic comma `،` and semicolon
# `؛` end none.
_SENTENCE_END = re.compile(r"[.!?\u061f\u06d4][\"'”»]?(?=\s+[\"'“«(\[]?(\S))|\n+|$")


def _starts_sentence(ch: str) -> bool:
    """Whether a sentence may start with `ch`: a Latin or Cyrillic capital, a digit of any
    script (Arabic-Indic `٤` too), or a letter of a script without case (Arabic, Hebrew...),
    where no capital marks a new sentence. A lowercase letter after a full stop is no new
    sentence (`approx. four`), nor are other capitals than A-Z, А-Я, Ё (unchanged from before)."""
    if re.match(r"[A-ZА-ЯЁ]", ch) or ch.isdecimal():
        return True
    return ch.isalpha() and not ch.isupper() and not ch.islower()


def sentences(text: str, lang: str | None) -> list[Sentence]:
    """The text's sentences with their offsets; a full stop after an abbreviation (`Maj.`,
    `Gen.`, Arabic `د.`) ends none. Each line is a paragraph, and a paragraph ends a sentence.
    Scripts without case (Arabic) have no capital to show where a sentence starts, so any of
    their letters after a full stop does; otherwise a whole Arabic report was one sentence and
    every figure took every place and date of the text."""
    abbreviations = set(rules(lang).abbreviations)
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(1) is not None and not _starts_sentence(m.group(1)):
            continue
        word = text[: m.start() + 1].rsplit(None, 1)[-1].casefold() if m.group() else ""
        if word in abbreviations:
            continue
        end = m.end()
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append(Sentence(start + lead, end, piece.strip()))
        start = end
        if m.end() == len(text):
            break
    return out


# --- figures -------------------------------------------------------------------------------


@dataclass
class Figure:
    """A figure as the text states it: qualifier, value(s), unit word, and where it stands."""

    start: int  # the qualifier's start (else the number's)
    end: int  # the unit word's end
    qualifier: str | None
    value: Decimal
    high: Decimal | None  # `between value and high`
    unit_word: str  # as written (`metric tons`, `events`)
    number_text: str  # the number as written (`one`, `90,000`)
    reviews: list[str] = field(default_factory=list)


# Arabic writes one-letter words (و "and", ف "so", ب "by/with", ل "for", ك "as") and the article
# ال joined to the next word, digits too: "و4 أطنان", "بـ7 أطنان", "الـ24 ساعة" (a tatweel `ـ` may
# stretch the join). Digits after one of these are still a figure; after any other letter (`B52`)
# they are not. Each is its own fixed-width look-behind (Python's `re` needs that).
_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "ال", "وال", "بال",
               "فال", "كال", "لل", "ولل", "فلل")  # fmt: skip
_AFTER_PROCLITIC = "|".join(rf"(?<=(?<!\w){p}{t})" for p in _PROCLITICS for t in ("", "\u0640"))


@cache
def number_pattern(lang: str) -> re.Pattern[str]:
    """Digits in `lang`'s forms (and English ones) or a run of number words. Digits may follow
    an attached Arabic proclitic (`_PROCLITICS`); number words may not (`لست` is "I am not",
    not ل + ست "six")."""
    f, en = forms(lang), forms("en")
    groups = sorted({re.escape(g) for g in (*f.group, ",") if g != f.decimal})
    dec = re.escape(f.decimal)
    digits = rf"\d{{1,3}}(?:(?:{'|'.join(groups)})\d{{3}})+(?:[.{dec}]\d+)?|\d+(?:[.{dec}]\d+)?"
    names = {*f.words, *f.scales, *en.words, *en.scales} - {"none", "nil", "zero", "half"}
    word = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    joiners = "|".join(re.escape(j) for j in (*f.joiners, *en.joiners) if j != "and")
    run = rf"(?:{word})(?:(?:\s+|\s*(?:{joiners or '(?!x)x'})\s*)(?:{word}))*"
    scales = "|".join(re.escape(n) for n in sorted({*f.scales, *en.scales}, key=len, reverse=True))
    scaled = rf"(?:{digits})(?:\s+(?:{scales}))?"  # `1.5 million`
    free = rf"(?<![\w.,])(?:{scaled}|{run})"
    attached = rf"(?:{_AFTER_PROCLITIC})(?:{scaled})"
    return re.compile(rf"(?:{free}|{attached})(?![\w]|[.,]\d)", re.IGNORECASE)


def number_value(written: str, lang: str) -> Decimal | None:
    """The value of a number as written: digits in the language's forms, or number words."""
    raw = to_ascii_digits(written)
    f = forms(lang)
    digits, _, scale = raw.partition(" ")
    if scale.strip() and digits[:1].isdigit():  # `1.5 million`
        base = number_value(digits, lang)
        factor = {**forms("en").scales, **f.scales}.get(scale.strip().casefold())
        return base * factor if base is not None and factor is not None else None
    if raw[:1].isdigit():
        for g in f.group:
            if g != f.decimal:
                raw = raw.replace(g, "")
        if f.decimal != "." and f.decimal in raw:
            raw = raw.replace(f.decimal, ".")
        try:
            return Decimal(raw.replace(",", ""))
        except InvalidOperation:
            return None
    words = re.findall(r"[^\W\d_]+|-", written.casefold())
    joined = join_multiword(words, f)
    return (
        words_value(joined, f)
        if words_value(joined, f) is not None
        else words_value(join_multiword(words, forms("en")), forms("en"))
    )


def qualifier_before(text: str, at: int, lang: str) -> tuple[str | None, int]:
    """The qualifier written just before offset `at` (`about`, `more than`), and its start."""
    head = text[max(0, at - 40) : at]
    m = _qualifier_end(lang).search(head)
    if m is None:
        return None, at
    return rules(lang).qualifiers[m.group(1).casefold()], at - len(head) + m.start()


@cache
def _qualifier_end(lang: str) -> re.Pattern[str]:
    """Any written qualifier of `lang` (or English) ending a text, longest first."""
    alts = "|".join(re.escape(q) for q in sorted(rules(lang).qualifiers, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alts})\s+$", re.IGNORECASE)


# --- dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """What a sentence says of time: the day it refers to, a window, an open start."""

    day: date | None = None  # the reference day ("on Friday")
    window: tuple[date, date] | None = None  # "earlier this week"
    open_start: bool = False  # "already", "since the start of the operation"
    last_day: bool = False  # "within the last 24 hours" (before the reference day)


def read_when(sentence: str, published: date, lang: str) -> When:
    """Dates a sentence states, resolved against the publication day (never after it)."""
    r = rules(lang)
    day = None
    if phrase_pattern(r.yesterday).search(sentence):
        day = published - timedelta(days=1)
    elif phrase_pattern(r.today).search(sentence):
        day = published
    else:
        m = phrase_pattern(r.weekdays).search(sentence)
        if m:
            wanted = r.weekdays.index(m.group().casefold())
            day = published - timedelta(days=(published.weekday() - wanted) % 7)
    window = None
    if phrase_pattern(r.this_week).search(sentence):
        monday = published - timedelta(days=published.weekday())
        window = (monday, max(monday, published - timedelta(days=1)))
    open_start = phrase_pattern(r.open_start).search(sentence) is not None
    last_day = phrase_pattern(r.last_day).search(sentence) is not None
    return When(day, window, open_start, last_day)


def period_of(when: When, carried: date | None, published: date) -> tuple[str, str | None]:
    """The claim's `period` (or day) as written in the ledger, and why it needs review."""
    day = when.day or carried
    why = None
    if when.day is None and carried is not None:
        why = "the sentence states no date; the day of the sentences before it is used"
    if when.last_day:
        end = day or published
        why = why if day else "no reference day; the publication day is used"
        return f"{end - timedelta(days=1)}/{end}", why
    if when.window:
        return f"{when.window[0]}/{when.window[1]}", None
    if day is None:
        day, why = published, "the sentence states no date; the publication day is used"
    if when.open_start:
        return f"../{day}", why or "open start: the source says since when only loosely"
    return str(day), why
