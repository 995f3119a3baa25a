"""The smaller checks of issue 12, item 8: a `count_of` cycle, a bound of zero that allows no
amount at all (`less than 0 t`), and names spelt with look-alike letters of another script
("Аleppo city" with a Cyrillic `А`).

Each test builds a small ledger in memory and asserts the problem (code, line, and the words
that say what to write instead) that the ledger passed without before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import yaml

import ledger
from ledger.checks import check_references
from ledger.config import Tolerances
from ledger.intervals import stated
from ledger.quantity import QuantityError, parse_quantity, quantity_from_mapping

from .conftest import SEED_DATA

UNITS = SEED_DATA / "units.txt"  # `event`, `people`: counted things (the registry is per path)
CLAIMS = "data/claims/src.yaml"
PLACES = "- name: Syria\n- name: Aleppo city\n  parent: Syria\n"
DUMP: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "default_flow_style": None}


def record(cid: str, quantity: Any = "2 t", quote: str = "2 t of flour", **extra: Any) -> dict:
    """One delivered claim; `extra` adds keys (`sum_of`, `count_of`, `places`...)."""
    rec = {
        "id": cid,
        "claimant": "Ministry",
        "provider": "Russia",
        "status": "delivered",
        "item": "humanitarian aid",
        "quantity": quantity,
        "places": ["Aleppo city"],
        "date": "2016-12-02",
        "quote": quote,
    }
    return rec | extra


def texts(records: list[dict], **files: str) -> dict[str, str]:
    """A ledger of one source whose document holds every quote; `files` replaces or adds
    reference files by name (`places`, `orgs`, `items`)."""
    source = {
        "id": "src",
        "title": "A bulletin",
        "publisher": "Agency",
        "published": "2016-12-03",
        "url": "https://example.org/src",
        "document": "seeds/src.txt",
    }
    out = {
        "data/sources.yaml": yaml.safe_dump([source], **DUMP),
        "data/places.yaml": PLACES,
        "data/items.yaml": "- name: humanitarian aid\n",
        CLAIMS: yaml.safe_dump({"source": "src", "claims": records}, **DUMP),
        "seeds/src.txt": "\n".join(str(r["quote"]) for r in records) + "\n",
    }
    out.update({f"data/{name}.yaml": text for name, text in files.items()})
    return out


def load(records: list[dict], **files: str) -> ledger.Ledger:
    return ledger.load_texts(texts(records, **files), units=UNITS)


def line_in(text: str, needle: str, after: int = 0) -> int:
    """The 1-based line of the first line holding `needle` after line `after`."""
    lines = text.splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > after and needle in line)


def key_line(files: dict[str, str], cid: str, key: str) -> int:
    """The line of `key` in the claim `cid` of the claim file."""
    text = files[CLAIMS]
    return line_in(text, f"{key}:", after=line_in(text, f"id: {cid}"))


# --- 1. `count_of` cycles ------------------------------------------------------------------


def event(cid: str, **extra: Any) -> dict:
    return record(cid, "2 events", "two events were held", **extra)


CYCLES = {
    "count-count": (
        [event("a", count_of=["b"]), event("b", count_of=["a"])],
        "count-of-cycle",
        ("a", "count_of"),
        ["`count_of` forms a cycle: a -> b -> a", "`a` count_of `b`, `b` count_of `a`"],
    ),
    "sum-count": (
        [record("a", sum_of=["b"]), event("b", count_of=["a"])],
        "count-of-cycle",
        ("a", "sum_of"),
        ["`sum_of` and `count_of` form a cycle: a -> b -> a", "`b` count_of `a`"],
    ),
    "count-sum-sum": (
        [event("a", count_of=["b"]), record("b", sum_of=["c"]), record("c", sum_of=["a"])],
        "count-of-cycle",
        ("a", "count_of"),
        ["a -> b -> c -> a", "`a` count_of `b`, `b` sum_of `c`, `c` sum_of `a`"],
    ),
    "both-keys-one-claim": (  # b lists a as a part and as a counted claim: one cycle said once
        [record("a", sum_of=["b"]), record("b", sum_of=["a"], count_of=["a"])],
        "sum-of-cycle",
        ("a", "sum_of"),
        ["`sum_of` forms a cycle: a -> b -> a"],
    ),
}


@pytest.mark.parametrize("name", CYCLES)
def test_a_cycle_through_count_of_is_an_error(name: str):
    records, code, (cid, key), words = CYCLES[name]
    files = texts(records)
    book = ledger.load_texts(files, units=UNITS)
    cycles = [p for p in book.problems if p.code.endswith("-cycle")]
    assert [(p.code, p.severity) for p in cycles] == [(code, "error")], book.problems
    assert (cycles[0].file, cycles[0].line) == (CLAIMS, key_line(files, cid, key))
    for w in words:
        assert w in cycles[0].message
    if code == "count-of-cycle":
        assert "remove the id that leads back" in cycles[0].message


def test_references_without_a_cycle_are_not_one():
    """A diamond (two claims naming the same parts, one counting the other) is no cycle."""
    records = [
        record("p1"),
        record("p2"),
        record("total", "4 t", "4 t in all", sum_of=["p1", "p2"]),
        event("events", count_of=["p1", "p2"]),
        record("again", "4 t", "4 t again", sum_of=["p1", "p2"], same_as="total"),
    ]
    book = load(records)
    assert [p.format() for p in book.problems] == []


@dataclass(frozen=True)
class Ref:
    """Just what `check_references` reads of a claim (its `READS`), for a large graph fast."""

    id: str
    sum_of: tuple[str, ...] | None = None
    count_of: tuple[str, ...] | None = None
    same_as: str | None = None

    def at(self, key: str) -> tuple[str, int]:
        return CLAIMS, int(self.id[1:]) + 1


def test_a_long_chain_of_counts_closing_on_itself_is_found_without_recursion():
    """20,000 claims each counting the next, the last counting the first: one cycle, found
    by the iterative walk in linear time (a recursive walk would pass Python's depth limit),
    and its message keeps to a count of the links instead of listing each."""
    n = 20_000
    claims = [Ref(f"c{i}", count_of=(f"c{(i + 1) % n}",)) for i in range(n)]
    claims[n // 2] = Ref(f"c{n // 2}", sum_of=(f"c{n // 2 + 1}",))
    start = time.perf_counter()
    problems = check_references(claims, None)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 5
    assert [(p.code, p.line) for p in problems] == [("count-of-cycle", 1)]
    assert problems[0].message.count(" -> ") == n
    assert f"(1 `sum_of` and {n - 1} `count_of` links)" in problems[0].message


# --- 2. bounds of zero that allow nothing ----------------------------------------------------


EMPTY_PHRASES = [
    "less than 0 t",
    "fewer than 0 people",
    "under 0 kg",
    "nearly 0 t",
    "almost 0 t",
    "less than zero t",
    "nearly 0.0 t",
]


@pytest.mark.parametrize("phrase", EMPTY_PHRASES)
def test_a_bound_of_zero_that_allows_nothing_is_refused(phrase: str):
    with pytest.raises(QuantityError) as err:
        parse_quantity(phrase)
    assert err.value.code == "quantity-empty"
    unit = phrase.rsplit(" ", 1)[1]
    assert f"write `0 {unit}` or `none`" in str(err.value)
    assert "not a single" in str(err.value)


@pytest.mark.parametrize(
    "qualifier", ["less than", "fewer than", "under", "nearly", "almost", "Less Than"]
)
def test_the_mapping_form_of_an_empty_bound_is_refused(qualifier: str):
    with pytest.raises(QuantityError) as err:
        quantity_from_mapping(0, "t", qualifier)
    assert err.value.code == "quantity-empty"
    with pytest.raises(QuantityError):
        quantity_from_mapping(0.0, "t", qualifier)


INF = Decimal("Infinity")


@pytest.mark.parametrize(
    "phrase, ends",
    [
        ("up to 0 t", (0, 0, False, False)),  # a plain zero
        ("at most 0 t", (0, 0, False, False)),
        ("more than 0 t", (0, INF, True, True)),  # some amount
        ("at least 0 t", (0, INF, False, True)),  # any amount
        ("0 t", (0, 0, False, False)),
        ("less than 1 t", (0, 1, False, True)),
        ("nearly 1 t", (0, 1, False, True)),
    ],
)
def test_zero_bounds_that_allow_something_still_parse(phrase: str, ends: tuple):
    got = stated(parse_quantity(phrase), Tolerances())
    assert (got.lo, got.hi, got.lo_open, got.hi_open) == ends
    assert not got.empty


@pytest.mark.parametrize(
    "quantity",
    ["less than 0 t", "nearly 0 t", {"value": 0, "unit": "t", "qualifier": "less than"}],
    ids=["phrase", "nearly", "mapping"],
)
def test_an_empty_bound_in_a_claim_is_an_error_at_its_quantity(quantity: Any):
    """In a ledger: the error at the quantity's line, and the claim left without a figure, so
    it is never read as a zero claim (an empty interval beside deliveries in its scope)."""
    records = [record("zero", quantity, "less than 0 t, not a single gram"), record("d")]
    files = texts(records)
    book = ledger.load_texts(files, units=UNITS)
    errors = [p for p in book.problems if p.severity == "error"]
    assert [(p.code, p.line) for p in errors] == [
        ("quantity-empty", key_line(files, "zero", "quantity"))
    ]
    assert "allows no amount at all" in errors[0].message
    assert book.claim("zero").quantity is None


# --- 3. look-alike names ---------------------------------------------------------------------

CYR_A = "\u0410"  # CYRILLIC CAPITAL LETTER A, drawn like `A`
CYR_a = "\u0430"  # CYRILLIC SMALL LETTER A
GREEK_ETA = "\u0397"  # GREEK CAPITAL LETTER ETA, drawn like `H`


def gazetteer(*entries: str) -> str:
    """A places file: Syria, then one entry per `name[|alias|alias...]`, each under Syria."""
    out = "- name: Syria\n"
    for spec in entries:
        name, *aliases = spec.split("|")
        out += f"- name: {name}\n  parent: Syria\n"
        if aliases:
            out += f"  aliases: [{', '.join(aliases)}]\n"
    return out


def warned(places: str, code: str) -> list[ledger.Problem]:
    book = load([record("d")], places=places)
    return [p for p in book.problems if p.code == code]


def test_a_place_name_with_a_homoglyph_of_another_is_a_warning():
    places = gazetteer("Aleppo city", f"{CYR_A}leppo city", "Hama")
    (p,) = warned(places, "place-homoglyph")
    assert p.severity == "warning"
    assert (p.file, p.line) == ("data/places.yaml", line_in(places, f"name: {CYR_A}leppo"))
    assert "looks just like `Aleppo city`" in p.message
    assert f"Cyrillic '{CYR_A}' U+0410 (CYRILLIC CAPITAL LETTER A)" in p.message
    assert "retype it in Latin letters (`Aleppo city`)" in p.message
    assert p.format().startswith(f"data/places.yaml:{p.line}: warning: [place-homoglyph]")


def test_an_alias_with_a_greek_homoglyph_names_the_entry_it_imitates():
    places = gazetteer("Hama|Hamah", f"Old town|{GREEK_ETA}amah")
    (p,) = warned(places, "place-homoglyph")
    assert p.line == line_in(places, "name: Old town")
    assert "alias `" in p.message and "`Hamah` (an alias of `Hama`)" in p.message
    assert f"Greek '{GREEK_ETA}' U+0397 (GREEK CAPITAL LETTER ETA)" in p.message


def test_a_name_wholly_in_another_script_that_looks_like_another_is_a_warning():
    oka = "\u041e\u043a\u0430"  # Cyrillic О к а: "Ока" (к has no Latin look-alike here)
    places = gazetteer("Oka", f"{oka}")
    assert warned(places, "place-homoglyph") == []  # `к` is not read as `k`: they differ
    coa = "\u0421\u043e\u0430"  # Cyrillic С о а: looks like "Coa"
    places = gazetteer("Coa", coa)
    (p,) = warned(places, "place-homoglyph")
    assert f"make `{coa}` an alias of `Coa`" in p.message


def test_a_word_that_mixes_scripts_is_a_warning_even_without_a_twin():
    places = gazetteer(f"D{CYR_a}raa")
    (p,) = warned(places, "place-mixed-script")
    assert p.severity == "warning"
    assert p.line == line_in(places, "name: D")
    assert "mixes scripts inside a word" in p.message
    assert "U+0430 (CYRILLIC SMALL LETTER A)" in p.message
    assert "(`Daraa`)" in p.message
    assert warned(places, "place-homoglyph") == []


@pytest.mark.parametrize(
    "entries",
    [
        ("Aleppo city|Алеппо|حلب|Ḥalab",),  # other scripts, each word in one: fine
        (f"Aleppo city|{CYR_A}leppo city",),  # a look-alike listed on purpose as an alias
        ("Aleppo city|Алеппо", "Aleppo governorate|Алеппо"),  # one alias on two: ambiguity
        ("Aleppo city", "Tartus|Ṭarṭūs", "Homs|Ḥimṣ", "Idlib|إدلب"),
    ],
    ids=["scripts", "own-alias", "shared-alias", "diacritics"],
)
def test_names_in_one_script_each_are_not_warned_about(entries: tuple[str, ...]):
    book = load([record("d")], places=gazetteer(*entries))
    assert [p.format() for p in book.problems] == []


def test_organisations_and_items_are_checked_the_same_way():
    orgs = f"- name: Russia\n  kind: state\n- name: Russi{CYR_a}\n  kind: state\n"
    items = f"- name: humanitarian aid\n- name: fl{chr(0x043E)}ur\n"
    book = load([record("d")], orgs=orgs, items=items)
    codes = {(p.file, p.code) for p in book.problems}
    assert ("data/orgs.yaml", "org-homoglyph") in codes
    assert ("data/items.yaml", "item-mixed-script") in codes


def test_a_claim_place_with_a_homoglyph_says_which_letter_differs():
    book = load([record("d", places=[f"{CYR_A}leppo city"])])
    (p,) = book.problems
    assert (p.code, p.severity) == ("place-unknown", "error")
    assert "Did you mean `Aleppo city`?" in p.message
    assert (
        f"The name you wrote has Cyrillic '{CYR_A}' U+0410 (CYRILLIC CAPITAL LETTER A)" in p.message
    )
    assert "where `Aleppo city` has Latin 'A' U+0041" in p.message
    assert "Add it to the places file" not in p.message  # it is not new: it is misspelt


def test_a_latin_place_against_a_homoglyph_in_the_gazetteer_points_at_the_gazetteer():
    places = gazetteer(f"{CYR_A}leppo city")
    book = load([record("d", places=["Aleppo city"])], places=places)
    (p,) = [p for p in book.problems if p.code == "place-unknown"]
    assert f"Did you mean `{CYR_A}leppo city`?" in p.message
    assert "The name you wrote has Latin 'A' U+0041 (LATIN CAPITAL LETTER A)" in p.message
    assert f"where `{CYR_A}leppo city` has Cyrillic '{CYR_A}' U+0410" in p.message


def test_an_unknown_place_that_only_looks_alike_by_spelling_keeps_the_plain_hint():
    (p,) = load([record("d", places=["Aleppo citty"])]).problems
    assert "Did you mean `Aleppo city`?" in p.message
    assert "U+" not in p.message and "Add it to the places file" in p.message


def test_the_seed_ledger_has_no_look_alike_names():
    book = ledger.load(SEED_DATA, use_cache=False)
    odd = [p for p in book.problems if p.code.endswith(("-homoglyph", "-mixed-script"))]
    assert odd == []
