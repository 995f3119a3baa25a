"""The unit word of a claim's figure in its quote (issue 12, item 5): "eight tonnes" does not
back `8 kg`, and "8 litres" does not back `8 t`; a quote with no unit word at the figure, or a
word the ledger cannot read, is fine.

Each test builds a small ledger in memory holding claims that must warn beside claims that
must not, and compares the ids warned about with the ones expected, so that each one fails
where quote units were not checked (nothing was warned about then).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

import ledger
from ledger.checks import CHECKS
from ledger.quoteunits import CODE, check_quote_units

from .conftest import REPO, SEED_CLAIMS, SEED_DATA, line_of

sys.path.insert(0, str(REPO / "benchmarks"))  # the synthetic generator is not part of the package
from generate import generate  # noqa: E402

UNITS = SEED_DATA / "units.txt"  # people, families, trucks, ... (the registry is cached by path)
CLAIMS = "data/claims/src.yaml"


def texts(claims: list[tuple[str, str, str]], language: str | None = None) -> dict[str, str]:
    """A ledger of `(id, quantity, quote)` claims from one source in `language`, whose
    document holds every quote."""
    source = {
        "id": "src",
        "title": "A bulletin",
        "publisher": "Agency",
        "published": "2016-12-03",
        "url": "https://example.org/src",
        "document": "seeds/src.txt",
    }
    if language:
        source["language"] = language
    records = [
        {
            "id": cid,
            "claimant": "Ministry",
            "provider": "Russia",
            "status": "delivered",
            "item": "humanitarian aid",
            "quantity": quantity,
            "places": ["Aleppo"],
            "date": "2016-12-02",
            "quote": quote,
        }
        for cid, quantity, quote in claims
    ]
    dump = {"allow_unicode": True, "sort_keys": False}
    return {
        "data/sources.yaml": yaml.safe_dump([source], **dump),
        "data/places.yaml": "- name: Aleppo\n  level: city\n",
        "data/items.yaml": "- name: humanitarian aid\n",
        CLAIMS: yaml.safe_dump({"source": "src", "claims": records}, **dump),
        "seeds/src.txt": "\n".join(q for _, _, q in claims) + "\n",
    }


def warned(
    claims: list[tuple[str, str, str]], language: str | None = None, units: Path | None = UNITS
) -> dict[str, str]:
    """Id -> message of each claim warned about as `quote-unit-mismatch`; every other problem
    fails the test (the ledgers here are otherwise clean)."""
    files = texts(claims, language)
    book = ledger.load_texts(files, units=units)
    others = [p.format() for p in book.problems if p.code != CODE]
    assert others == []
    lines = {p.line: p for p in book.problems}
    out = {}
    for c in book.entries:
        p = lines.get(c.at("quantity")[1])
        if p is not None:
            out[c.id] = p.message
    assert len(out) == len(book.problems)
    return out


def test_tonnes_against_kg_warns_and_tonnes_against_t_does_not():
    got = warned(
        [
            ("kg", "8 kg", "eight tonnes of medicines were delivered"),
            ("t", "8 t", "eight tonnes of medicine arrived"),
            ("tonne", "8 tonne", "8 tonnes of flour"),  # the same unit as `t`, written otherwise
            ("metric", "8 metric tons", "eight metric tonnes of sugar"),
            ("digits", "8,000 kg", "8,000 tonnes of rice"),
        ]
    )
    assert set(got) == {"kg", "digits"}
    assert "the quote says 'tonnes' (t)" in got["kg"]
    assert "`8 kg` is in kg" in got["kg"]
    assert "write the quantity in `t`" in got["kg"]


def test_tons_may_be_metric_or_short_so_t_and_short_tons_pass():
    got = warned(
        [
            ("t", "about 4 t", "about 4 tons of aid"),
            ("one", "about 1 t", "about one ton of aid"),
            ("short", "4 short_ton", "4 tons of flour"),
            ("kg", "4 kg", "4 tons of sugar"),
        ]
    )
    assert set(got) == {"kg"}
    assert "'tons' (t or short_ton)" in got["kg"]


def test_litres_against_t_is_another_dimension():
    got = warned(
        [
            ("t", "8 t", "8 litres of water"),
            ("L", "8 L", "8 litres of fuel"),
            ("million", "1.5 million L", "1.5 million litres of drinking water"),
            ("million-t", "1.5 million t", "1.5 million liters of bottled water"),
        ]
    )
    assert set(got) == {"t", "million-t"}
    assert "'litres' (L, a volume)" in got["t"]
    assert "`8 t` is in t, a mass: another dimension" in got["t"]


def test_counted_things_people_against_families():
    got = warned(
        [
            ("families", "500 families", "food for 500 people"),
            ("people", "500 people", "food for 500 people in the camp"),
            ("both", "300 families", "300 families"),
        ]
    )
    assert set(got) == {"families"}
    assert "'people' (person, a count of person)" in got["families"]


def test_german_tonnen_in_a_german_source():
    got = warned(
        [
            ("kg", "5 kg", "5 Tonnen Hilfsgüter"),
            ("t", "5 t", "fünf Tonnen Lebensmittel"),
            ("comma", "4.5 t", "4,5 Tonnen Mehl"),
            ("L", "4.5 L", "4,5 Tonnen Zucker"),
        ],
        language="de",
    )
    assert set(got) == {"kg", "L"}
    assert "the quote says 'Tonnen' (t)" in got["kg"]
    assert "another dimension" in got["L"]


def test_russian_and_arabic_words():
    ru = warned(
        [("kg", "5 kg", "доставлено 5 тонн гуманитарного груза"), ("t", "5000 t", "5 тысяч тонн")],
        language="ru",
    )
    assert set(ru) == {"kg"} and "'тонн' (t)" in ru["kg"]
    ar = warned([("kg", "5 kg", "خمسة أطنان من المساعدات"), ("t", "7 t", "7 طن")], language="ar")
    assert set(ar) == {"kg"}


def test_no_unit_word_at_the_figure_is_fine():
    got = warned(
        [
            ("trucks", "8 t", "8 trucks of aid arrived"),  # no unit word: fine
            ("bare", "8 t", "8 of them arrived"),
            ("words", "8 kg", "eight of them came"),
            ("warned", "8 kg", "8 tonnes came"),
        ]
    )
    assert set(got) == {"warned"}


def test_a_figure_stated_twice_is_warned_about_only_if_no_place_has_the_claims_unit():
    got = warned(
        [
            ("date", "4 kg", "4 tonnes of flour on 4 December"),
            ("both", "8 kg", "8 tonnes here, 8 tonnes there"),
            ("one", "6 kg", "6 kg here, 6 tonnes there"),  # one place says the claim's unit
            ("own", "10 trucks", "10 trucks carrying 10 tonnes"),  # the claim's own unit name
            ("kits", "7 kits", "7 tonnes of flour and 7 food kits"),
        ]
    )
    assert set(got) == {"date", "both"}


def test_a_unit_word_far_from_the_figure_is_ignored():
    got = warned(
        [
            ("carrying", "12 trucks", "12 trucks carrying tonnes of flour"),
            ("comma", "12 kg", "12, tonnes of it"),
            ("number", "2 kg", "2 or 3 tonnes"),
            ("between", "between 2 and 3 kg", "between 2 and 3 tonnes"),
            ("adjective", "12 kg", "12 more tonnes of flour"),  # one word between: near
        ]
    )
    assert set(got) == {"between", "adjective"}


def test_a_word_the_ledger_cannot_resolve_is_ignored():
    """Without units.txt there is no `family` unit: "families" means nothing, "tonnes" does."""
    got = warned(
        [("families", "500 kg", "food for 500 families"), ("t", "500 kg", "500 tonnes")],
        units=None,
    )
    assert set(got) == {"t"}


def test_the_warning_names_the_file_and_line_of_the_quantity():
    files = texts([("ok", "2 t", "two tonnes"), ("bad", "3 kg", "three tonnes of flour")])
    book = ledger.load_texts(files, units=UNITS)
    (p,) = book.problems
    line = files[CLAIMS].splitlines().index("  quantity: 3 kg") + 1
    assert (p.file, p.line, p.severity, p.code) == (CLAIMS, line, "warning", CODE)
    assert p.format().startswith(f"{CLAIMS}:{line}: warning: [quote-unit-mismatch] the quote says")


def test_a_zero_figure_is_not_read_for_a_unit():
    got = warned(
        [("zero", "0 kg", "not a single tonne was given"), ("kg", "1 kg", "one tonne was given")]
    )
    assert set(got) == {"kg"}


def test_the_seed_ledger_warns_only_where_its_unit_is_changed(seed_copy):
    assert [p for p in ledger.load(SEED_DATA, use_cache=False).problems if p.code == CODE] == []
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("quantity: about 1 t", "quantity: about 1 kg"), "utf-8")
    found = [p for p in ledger.load(seed_copy, use_cache=False).problems if p.code == CODE]
    assert [(p.line, p.severity) for p in found] == [(line_of(claims, "about 1 kg"), "warning")]
    assert "'ton' (t or short_ton)" in found[0].message


def test_a_generated_ledger_warns_only_where_its_unit_is_changed(tmp_path):
    generate(claims=1500, out=tmp_path / "gen", seed=7)
    root = tmp_path / "gen" / "data"
    book = ledger.load(root, use_cache=False)
    assert [p.format() for p in book.problems if p.code == CODE] == []
    # a claim in t whose quote says so in tonnes, now written in kg: the one warning
    first = sorted((root / "claims").glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    claim = next(
        c
        for c in yaml.safe_load(text)["claims"]
        if (m := re.fullmatch(r"(\d+) t", str(c["quantity"])))
        and re.findall(r"\d+", c["quote"]) == [m.group(1)]
        and f"{m.group(1)} tonnes" in c["quote"]
    )
    lines = text.split("\n")
    at = lines.index(f"  - id: {claim['id']}")
    at = lines.index(f"    quantity: {claim['quantity']}", at)
    lines[at] = lines[at].removesuffix(" t") + " kg"
    first.write_text("\n".join(lines), encoding="utf-8")
    found = [p for p in ledger.load(root, use_cache=False).problems if p.code == CODE]
    assert [(p.file.endswith(first.name), p.line) for p in found] == [(True, at + 1)]


def test_the_check_is_registered_and_names_what_it_reads():
    assert check_quote_units in CHECKS
    assert set(check_quote_units.READS) == {"source", "quote", "quantity", "unit"}
