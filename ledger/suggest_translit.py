"""Places written in a script other than Latin, for `suggest`: "в Алеппо", "Дамаска", "في حلب"
are transliterated with anyascii and compared with the gazetteer's Latin names and aliases
(`suggest_match.Matcher`): Cyrillic or Greek by sound, a case ending tolerated; Arabic and
Hebrew, which leave short vowels unwritten, by their consonants. Each match is a `Mention`
with its score and how it was made, for the draft's review point.

Each distinct run of words is transliterated and scored once per matcher, and the labels'
forms are indexed once per matcher: a long text costs one scan, never one per name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from .suggest_match import FUZZY_CUTOFF, Matcher, Mention

# Consonant skeletons are short ("hlb"): one letter more is 86% at three letters, which would
# read سيارة (a car, "syrh") as Syria ("syr"); 90 needs five matching consonants for that.
ABJAD_CUTOFF = 90

Script = Literal["alphabet", "abjad"]  # abjad: short vowels unwritten (Arabic, Hebrew, Syriac)
Index = Literal["alphabet", "stem", "abjad"]  # names by sound, without an ending, by consonants
Reading = tuple[tuple[str, ...], int, str]  # names, score, how the match was made

# A letter of any script, with the combining marks (Arabic harakat, Cyrillic stress) that `\w`
# leaves out; a word may be hyphenated ("Риф-Дамаск"); a number may end a name ("Ханано 3").
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])"
_TOKEN = re.compile(rf"{_LETTER}+(?:-{_LETTER}+)*|\d+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f-]+")
# Letters of scripts other than Latin (Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, CJK...)
_OTHER_SCRIPT = re.compile(r"[\u0370-\u1dff\u1f00-\u1fff\u2c00-\ud7ff\uf900-\ufdff\ufe70-\ufeff]")
_ABJAD = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Sounds that transliterations write differently: Алеппо "Aleppo"/Дамаск "Damask"/Сирия
# "Siriya" against Aleppo, Damascus, Syria; doubled letters count once.
_SOUNDS = (("kh", "h"), ("ph", "f"), ("ck", "k"), ("c", "k"), ("q", "k"), ("x", "ks"),
           ("y", "i"), ("w", "v"), ("j", "i"), ("ou", "u"), ("ee", "i"))  # fmt: skip
# Case endings (Russian, after `_SOUNDS`) a name may carry in the text: Дамаска, Алеппской,
# Сайдной; and the Latin endings of a name the other script leaves off (Damasc-us, Дамаск).
_ENDINGS = ("skogo", "skaia", "skoi", "skii", "skom", "skuiu", "ami", "iam", "akh", "ov", "ev",
            "ei", "oi", "om", "em", "ia", "iu", "ie", "ii", "us", "os", "a", "e", "i", "o", "u")  # fmt: skip
_STEM_MIN = 4  # shorter stems match too much ("Дама" is no Damascus)
# Arabic words carry a conjunction, preposition or article in front: بحلب, وحلب, المحالج.
_PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف", "ك")
_LEVELS = {"governorate", "province", "city", "camp", "district", "area", "village", "town",
           "neighbourhood", "neighborhood"}  # fmt: skip
_ARTICLES = {"the", "al", "el", "ad", "ar", "as", "an", "at", "ash"}


def translit_places(
    text: str, offset: int, matcher: Matcher, taken: list[Mention]
) -> list[Mention]:
    """Places written in a script other than Latin: runs of 1 to 3 such words, each distinct
    run read once per matcher, matched to a name or alias of the gazetteer. Where readings
    overlap, the one of more words wins (Риф Дамаск is Rural Damascus, not Damascus)."""
    if not _OTHER_SCRIPT.search(text):
        return []  # most texts: nothing to transliterate
    hits: list[tuple[int, Mention]] = []
    for n, start, end, script in _candidates(text):
        found = _reading(text[start:end], script, matcher)
        if found:
            hits.append((n, Mention(start + offset, end + offset, text[start:end], *found)))
    busy = bytearray(len(text))  # characters a name already covers: no pair is compared
    for t in taken:
        _cover(busy, t.start - offset, t.end - offset)
    out: list[Mention] = []
    for _n, m in sorted(hits, key=lambda h: (-h[0], -h[1].score, h[1].start)):
        if not any(busy[m.start - offset : m.end - offset]):
            _cover(busy, m.start - offset, m.end - offset)
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def _candidates(text: str) -> Iterator[tuple[int, int, int, Script]]:
    """Every run of 1 to 3 foreign words that may be a name, as (words, start, end, script):
    a name starts with a word, and a run of more than one word neither starts nor ends with
    a word of one or two letters, a preposition or conjunction (в, и, في) that would pass
    "и Дамаске" for "Rif Damask"."""
    for run in _foreign_runs(text):
        for i, (start, first_end, script) in enumerate(run):
            if script is None:
                continue  # a number ends a name ("Ханано 3"), never starts one
            for n in range(1, min(3, len(run) - i) + 1):
                last_start, end, last = run[i + n - 1]
                short = first_end - start < 3 or (last is not None and end - last_start < 3)
                if n == 1 or not short:
                    yield n, start, end, script


def _cover(busy: bytearray, start: int, end: int) -> None:
    start, end = max(0, start), min(len(busy), end)
    busy[start:end] = b"\x01" * max(0, end - start)


def _foreign_runs(text: str) -> list[list[tuple[int, int, Script | None]]]:
    """Words of one non-Latin script in a row, separated by spaces only, and a number that
    ends them ("Ханано 3"), as (start, end, script); a number's script is None."""
    runs: list[list[tuple[int, int, Script | None]]] = []
    run: list[tuple[int, int, Script | None]] = []
    for t in _TOKEN.finditer(text):
        word = t.group()
        script: Script | None = None
        if not word.isdigit():
            script = "abjad" if _ABJAD.search(word) else "alphabet"
        latin = script is not None and _LATIN.fullmatch(word) is not None
        joins = bool(run) and not text[run[-1][1] : t.start()].strip() and run[-1][2] is not None
        if joins and not latin and script in (None, run[0][2]):
            run.append((t.start(), t.end(), script))
            continue
        if run:
            runs.append(run)
        run = [(t.start(), t.end(), script)] if script is not None and not latin else []
    if run:
        runs.append(run)
    return runs


def _reading(written: str, script: Script, matcher: Matcher) -> Reading | None:
    """The gazetteer entries a run of foreign words names, with the score; read once per
    distinct run and matcher, since a text names its places again and again."""
    key = (written, script)
    if key not in matcher._read:
        matcher._read[key] = _best_reading(written, script, matcher)
    return matcher._read[key]


def _best_reading(written: str, script: Script, matcher: Matcher) -> Reading | None:
    from anyascii import anyascii
    from rapidfuzz import fuzz, process

    index = _script_index(matcher)
    cutoff = ABJAD_CUTOFF if script == "abjad" else FUZZY_CUTOFF
    best: tuple[float, str, Index] | None = None
    for form, kinds in _text_forms(written, script):
        for kind in kinds:
            labels = index[kind].get(len(form.split()))
            hit = labels and process.extractOne(form, list(labels), scorer=fuzz.ratio,
                                                processor=None, score_cutoff=cutoff)  # fmt: skip
            if hit and (best is None or hit[1] > best[0]):
                best = (hit[1], hit[0], kind)
    if best is None:
        return None
    score, key, kind = best
    how = f"transliterated `{anyascii(written)}`"
    how += ", compared by its consonants" if script == "abjad" else ""
    return index[kind][len(key.split())][key], int(score), how


def _text_forms(written: str, script: Script) -> list[tuple[str, tuple[Index, ...]]]:
    """The keys a foreign run is compared by, with the keys of names each may meet: in an
    abjad, the consonants with and without a proclitic; in an alphabet, the sounds as written
    against names as listed, and without a case ending against names with or without theirs
    (Дамаска: Damask-a, Damasc-us). A word as written never meets a stem: Седина (grey
    hair, "sedina") would pass for Sedna-ya."""
    if script == "abjad":
        bare = {written} | {written[len(p) :] for p in _PROCLITICS
                            if written.startswith(p) and len(written) - len(p) >= 3}  # fmt: skip
        return [(k, ("abjad",)) for k in map(_skeleton, bare) if _long_enough(k)]
    key = _sound_key(written)
    stems = [(k, ("alphabet", "stem")) for k in _stems(key)]
    return [(k, kinds) for k, kinds in [(key, ("alphabet",)), *stems] if _long_enough(k)]


def _long_enough(key: str) -> bool:
    return len(key.replace(" ", "")) >= 3


def _script_index(matcher: Matcher) -> dict[Index, dict[int, dict[str, tuple[str, ...]]]]:
    """Every name and alias of the matcher as keys of each kind and number of words (a run is
    compared with names of as many words only, so "Алеппо и" is no longer Aleppo), each key
    with the entries it names; built once per matcher."""
    if matcher._scripts is None:
        matcher._scripts = {"alphabet": {}, "stem": {}, "abjad": {}}
        for label, names in matcher.labels.items():
            for form in _label_forms(label):
                keys: dict[Index, set[str]] = {
                    "alphabet": {_sound_key(form)},
                    "stem": _stems(_sound_key(form)),
                    "abjad": {_skeleton(form)},
                }
                for kind, found in keys.items():
                    for key in found:
                        by_n = matcher._scripts[kind].setdefault(len(key.split()), {})
                        by_n[key] = tuple(dict.fromkeys([*by_n.get(key, ()), *names]))
    return matcher._scripts


def _label_forms(label: str) -> set[str]:
    """A name as listed, without a level word ("Dimashq governorate") or a number ("Hananu
    3", as the English "Hanano area" finds it) and without an article ("al-Mahalej"): a text
    in another script names the place without them."""
    words = _ascii(label).split()
    forms = {" ".join(words)}
    if len(words) > 1 and (words[-1] in _LEVELS or words[-1].isdigit()):
        words = words[:-1]
        forms.add(" ".join(words))
    if len(words) > 1 and words[0] in _ARTICLES:
        forms.add(" ".join(words[1:]))
    return {f for f in forms if f}


def _ascii(written: str) -> str:
    """Lower-case ASCII words: hyphens split words, other marks go."""
    from anyascii import anyascii

    low = re.sub(r"[\s-]+", " ", anyascii(written).casefold())
    return re.sub(r"[^a-z0-9 ]", "", low).strip()


def _sound_key(written: str) -> str:
    key = _ascii(written)
    for a, b in _SOUNDS:
        key = key.replace(a, b)
    return re.sub(r"(.)\1", r"\1", key)


def _skeleton(written: str) -> str:
    """The consonants of a name, what an abjad writes of it (Halab: hlb, Saydnaya: sydny); a
    long vowel that ends a word is written there, so Hananu's last u is a w (حنانو: hnnw)."""
    key = _ascii(written).replace("ou", "w")
    key = re.sub(r"[ou]\b", "w", re.sub(r"i\b", "y", key))
    return re.sub(r"(.)\1", r"\1", re.sub(r"[aeiou]", "", key))


def _stems(key: str) -> set[str]:
    """The key without each case ending its last word may carry, kept long enough to mean
    something."""
    head, _, last = key.rpartition(" ")
    return {
        f"{head} {last[: -len(e)]}".strip()
        for e in _ENDINGS
        if last.endswith(e) and len(last) - len(e) >= _STEM_MIN
    }
