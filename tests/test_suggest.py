"""'Did you mean': difflib's answers, found without comparing every name with every other."""

from __future__ import annotations

import difflib
import random
import string

import pytest

from ledger import problems
from ledger.hierarchy import Entry, Hierarchy
from ledger.problems import Suggester


def gazetteer(n: int, rng: random.Random) -> list[str]:
    syllables = ["al", "ba", "da", "ha", "ka", "ma", "na", "ra", "sa", "ta", "zu", "qi", "fa"]
    names = set()
    while len(names) < n:
        words = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                 for _ in range(rng.randint(1, 3))]  # fmt: skip
        names.add(" ".join(w.capitalize() for w in words))
    return sorted(names)


def plain_difflib(word: str, choices: list[str]) -> list[str]:
    lowered = {c.lower(): c for c in choices}
    return [lowered[h] for h in difflib.get_close_matches(word.lower(), list(lowered), 3, 0.6)]


def typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(len(name))
    return name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1 :]


@pytest.mark.parametrize("size", [10, 64, 65, 3000])
def test_the_suggestions_are_exactly_difflibs(size: int):
    rng = random.Random(size)
    names = gazetteer(size, rng)
    s = Suggester(names)
    words = [typo(rng.choice(names), rng) for _ in range(150)]
    words += [rng.choice(names)[::-1] for _ in range(30)] + ["", "x", "Zzzzzz qqq"]
    for word in words:
        assert s.closest(word) == plain_difflib(word, names), word


def test_difflib_compares_only_a_few_names_per_unknown_one(monkeypatch: pytest.MonkeyPatch):
    """5,000 unknown names against 4,000 places once took a minute (one difflib scan each),
    then 14 s (difflib over every name within reach). Now difflib computes its full ratio
    for a handful of names per unknown one: those that can still beat the best found."""
    rng = random.Random(5)
    names = gazetteer(4000, rng)
    ratios: list[str] = []
    real = difflib.SequenceMatcher.ratio

    def spy(self):  # type: ignore[no-untyped-def]
        ratios.append(self.a)
        return real(self)

    monkeypatch.setattr(problems.difflib.SequenceMatcher, "ratio", spy)
    tree = Hierarchy("place")
    for i, name in enumerate(names):
        tree.add(Entry(name, None, (), {}, "places.yaml", i + 1))
    # two typos each: close to many names, as in the benchmark's unknown-places shape
    unknown = [typo(typo(rng.choice(names), rng), rng) for _ in range(200)]
    unknown = [w for w in unknown if w.lower() not in {n.lower() for n in names}]
    for word in unknown:
        with pytest.raises(LookupError):
            tree.resolve(word)
    # (about 96 per name when difflib scanned every name within reach; about 5 now)
    assert 0 < len(ratios) < 10 * len(unknown)


def test_the_gazetteer_builds_its_index_once_and_again_after_an_addition():
    tree = Hierarchy("place")
    tree.add(Entry("Aleppo city", None, (), {}, "places.yaml", 1))
    with pytest.raises(LookupError, match="Aleppo city"):
        tree.resolve("Aleppo cty")
    tree.add(Entry("Hanano 3", None, ("Hananu 3",), {}, "places.yaml", 2))
    with pytest.raises(LookupError, match="Hanan"):
        tree.resolve("Hanano3")
