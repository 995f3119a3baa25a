"""Names that look alike (homoglyphs): "Аleppo city" typed with a Cyrillic `А` is another
name to a computer and the same to a reader.

A name's skeleton is what it looks like: compatibility-folded (fullwidth `Ａ` is `A`), each
Cyrillic or Greek letter drawn like a Latin one read as that letter (the plain data file
defaults/confusables.yaml), then case-folded. Two names with one skeleton cannot be told
apart. Every helper is per name or per letter, and a name in plain ASCII (nearly all of them)
costs one `isascii` and one `casefold`. hierarchy.py uses these to warn about look-alike
entries and to explain an unknown name that looks like a known one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})  # alphabets whose letters are drawn alike
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters


@cache
def _lookalikes() -> dict[int, str]:
    """Look-alike letter (code point) -> the Latin letter a reader takes it for."""
    import yaml

    text = resources.files("ledger").joinpath("defaults/confusables.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=yaml.SafeLoader)  # our own file, not user data
    return {ord(k): str(v) for table in raw.values() for k, v in table.items()}


def skeleton(label: str) -> str:
    """What `label` looks like, white space collapsed and case folded: equal skeletons of
    different names mean a reader cannot tell the names apart."""
    text = " ".join(label.split())
    if text.isascii():
        return text.casefold()
    read = unicodedata.normalize("NFKD", text).translate(_lookalikes())
    return unicodedata.normalize("NFC", read).casefold()


def odd_letters(label: str) -> list[str]:
    """The characters of `label` that pass for others (they change its skeleton), once each."""
    if label.isascii():
        return []
    return [c for c in dict.fromkeys(label) if not c.isspace() and skeleton(c) != c.casefold()]


@cache
def script_of(c: str) -> str | None:
    script = unicodedata.name(c, "").partition(" ")[0]
    return script if script in _SCRIPTS else None


def mixed_letters(label: str) -> list[str]:
    """Letters of the lesser script in each word that mixes Latin, Cyrillic and Greek letters
    (`Аleppo`: the Cyrillic `А`); at a tie the non-Latin ones. Words in one script are fine."""
    if label.isascii():
        return []
    odd: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFC", label)):
        by_script: dict[str, list[str]] = {}
        for c in word:
            script = script_of(c)
            if script is not None:
                by_script.setdefault(script, []).append(c)
        if len(by_script) > 1:
            main = max(by_script, key=lambda s: (len(by_script[s]), s == "LATIN"))
            odd += [c for s, cs in by_script.items() if s != main for c in cs]
    return list(dict.fromkeys(odd))


def letters(chars: list[str]) -> str:
    """`Cyrillic 'А' U+0410 (CYRILLIC CAPITAL LETTER A)`, for each of the first five."""
    shown = []
    for c in chars[:5]:
        name = unicodedata.name(c, "")
        script = script_of(c)
        where = f"{script.title()} " if script else ""
        shown.append(f"{where}'{c}' U+{ord(c):04X} ({name or 'no name'})")
    more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
    return ", ".join(shown) + more


def differing(label: str, known: str) -> tuple[list[str], list[str]]:
    """The characters that differ between two names that look alike: letter by letter where
    both have as many, else each one's look-alike letters."""
    a, b = " ".join(label.split()), " ".join(known.split())
    if len(a) != len(b):
        return odd_letters(a), odd_letters(b)
    pairs = dict.fromkeys((x, y) for x, y in zip(a, b, strict=True) if x.casefold() != y.casefold())
    return list(dict.fromkeys(x for x, _ in pairs)), list(dict.fromkeys(y for _, y in pairs))


def as_latin(label: str) -> str:
    """`label` with each look-alike letter replaced by the Latin letter it passes for."""
    read = unicodedata.normalize("NFKD", label).translate(_lookalikes())
    return unicodedata.normalize("NFC", read)
