"""Names in a source text for `suggest`: organisations, places and items of the ledger, each
found by its name or an alias, and places also by a close spelling (transliterations differ:
"Seid Naya", "Sednaya", "Saydnaya") through rapidfuzz, with the match's confidence (places
written in another script: `suggest_translit`).

Matchers are built once per ledger (one pattern per hierarchy), so a long text costs one scan
per kind of name, never one per name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .hierarchy import Hierarchy

LEVEL_RANK = {"country": 0, "governorate": 1, "district": 2, "city": 3, "area": 4,
              "camp": 5, "neighbourhood": 5}  # fmt: skip
FUZZY_CUTOFF = 85  # rapidfuzz ratio below which a spelling is not taken for a known name
PLACE_WORDS = r"(?:area|camp|district|neighbou?rhood|village|town|city|province)"


@dataclass(frozen=True)
class Mention:
    """A name found in the text: where, as written, and the entries it may mean."""

    start: int
    end: int
    written: str
    names: tuple[str, ...]  # more than one: an alias two entries share
    score: int = 100  # rapidfuzz ratio for a close spelling, 100 for a name as listed
    how: str = ""  # how a name in another script was read ("transliterated `Damaska`")

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def match_note(self) -> str:
        """The confidence a `# review:` comment gives for a match that is not a listed name."""
        return f"{self.how}, match {self.score}%" if self.how else f"spelling match {self.score}%"


class Matcher:
    """Every name and alias of one hierarchy, as one whole-word pattern, longest first."""

    def __init__(self, tree: Hierarchy, ignore_case: bool) -> None:
        self.tree = tree
        self.labels: dict[str, list[str]] = {}
        for entry in tree.entries.values():
            for label in (entry.name, *entry.aliases):
                key = label.casefold() if ignore_case else label
                names = self.labels.setdefault(key, [])
                if entry.name not in names:
                    names.append(entry.name)
        self.ignore_case = ignore_case
        alts = "|".join(re.escape(k) for k in sorted(self.labels, key=len, reverse=True))
        flags = re.IGNORECASE if ignore_case else 0
        self.pattern = re.compile(rf"(?<![\w-])(?:{alts or '(?!x)x'})(?![\w-])", flags)
        # suggest_translit's caches, per matcher: its labels' forms by script index, and each
        # distinct run of words of another script with its reading (None: no place)
        self._scripts: dict | None = None
        self._read: dict = {}

    def find(self, text: str, offset: int = 0) -> list[Mention]:
        out = []
        for m in self.pattern.finditer(text):
            key = m.group().casefold() if self.ignore_case else m.group()
            names = tuple(self.labels.get(key, ()))
            if names:
                out.append(Mention(m.start() + offset, m.end() + offset, m.group(), names))
        return out


def fuzzy_places(text: str, offset: int, matcher: Matcher, taken: list[Mention]) -> list[Mention]:
    """Places written in another transliteration: capitalised words before a place word
    ("the Hanano area"), not already found, matched to the closest known name or alias."""
    from rapidfuzz import fuzz, process

    labels = list(matcher.labels)
    out = []
    pattern = rf"((?:[A-Z][\w'-]*\s?){{1,3}}?(?:\d+\s)?)(?={PLACE_WORDS}\b)"
    for m in re.finditer(pattern, text):
        start, end = m.start(1) + offset, m.end(1) + offset
        if any(t.start < end and start < t.end for t in taken):
            continue
        written = m.group(1).strip()
        hit = process.extractOne(written.casefold(), labels, scorer=fuzz.ratio,
                                 processor=str.casefold, score_cutoff=FUZZY_CUTOFF)  # fmt: skip
        if hit:
            names = tuple(matcher.labels[hit[0]])
            out.append(Mention(start, start + len(written), written, names, int(hit[1])))
    return out


def specific_places(found: list[Mention], tree: Hierarchy) -> tuple[list[Mention], list[str]]:
    """The places a figure is about: a place that holds another one named with it is left
    out ("Hananu 3 area of the Aleppo city"), and so is a coarser place that only locates a
    finer one ("Seid Naya area in the Damascus province"), with a review note when the
    gazetteer puts it elsewhere."""
    reviews: list[str] = []
    kept: list[Mention] = []
    names = {m.name for m in found}
    for m in found:
        inner = [n for n in names if n != m.name and tree.contains(m.name, n)]
        if inner:
            continue
        locates = _locates(m, found, tree)
        if locates is not None:
            if not tree.contains(m.name, locates):
                parent = tree.entries[locates].parent if locates in tree.entries else None
                reviews.append(
                    f"places: the source places {locates} in `{m.written}`; the gazetteer "
                    f"puts it in {parent}: {m.name} left out"
                )
            continue
        if all(k.name != m.name for k in kept):
            kept.append(m)
    return kept, reviews


def _locates(m: Mention, found: list[Mention], tree: Hierarchy) -> str | None:
    """The finer place that `m` only locates (named before it, at a finer level), if any."""
    rank = LEVEL_RANK.get(str(tree.get(m.name, "level")), 9)
    for other in found:
        other_rank = LEVEL_RANK.get(str(tree.get(other.name, "level")), 9)
        if other.end <= m.start and other_rank > rank and m.start - other.end < 40:
            return other.name
    return None


def settle_ambiguous(m: Mention, text: str, offset: int, levels: dict[str, str],
                     tree: Hierarchy) -> tuple[Mention, str | None]:  # fmt: skip
    """One place for an alias two places share, by a level word next to it ("provinces of
    Aleppo", "Aleppo city"); else the finest, with a review note saying so."""
    if len(m.names) == 1:
        return m, None
    near = text[max(0, m.start - offset - 25) : m.end - offset + 15].casefold()
    for word, level in levels.items():
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", near):
            hits = [n for n in m.names if tree.get(n, "level") == level]
            if len(hits) == 1:
                return replace(m, names=(hits[0],)), None
    finest = max(m.names, key=lambda n: LEVEL_RANK.get(str(tree.get(n, "level")), 0))
    listed = " or ".join(m.names)
    why = f"places: `{m.written}` could be {listed}; {finest} assumed"
    return replace(m, names=(finest,)), why
