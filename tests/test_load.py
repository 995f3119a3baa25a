"""`ledger.load`: the Python API on the seed ledger, and the loader's promise never to raise."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import ledger

from .conftest import REPO, SEED_CLAIMS, line_of


@pytest.fixture(scope="module")
def book() -> ledger.Ledger:
    return ledger.load(REPO / "data")


def test_seed_ledger_is_clean(book):
    assert book.problems == []
    assert book.ok


def test_claims_frame_holds_parsed_values(book):
    c = book.claim("ru-mod-2016-12-02-hananu-mahalej")
    assert c["value"] == Decimal(4)
    assert c["family"] == "about"
    assert c["unit"] == "t"
    assert c["canonical_unit"] == "t"
    assert c["point"] == 4.0
    assert c["source"] == "sputnik-2016-12-03-aleppo"
    assert tuple(c["place_names"]) == ("Hananu 3", "al-Mahalej camp")
    assert (c["start"], c["end"]) == (date(2016, 12, 1), date(2016, 12, 2))
    assert c["file"].endswith("sputnik-2016-12-03-aleppo.yaml")


def test_aliases_resolve_to_gazetteer_names(book):
    assert tuple(book.claim("ru-mod-2016-12-02-saydnaya")["place_names"]) == ("Saydnaya",)


def test_summed_claim_and_open_start(book):
    c = book.claim("ru-mod-2016-12-02-aleppo-damascus-total")
    assert c["family"] == "more_than"
    assert c["start"] is None and c["end"] == date(2016, 12, 2)
    assert set(c["sum_of"]) == {"ru-mod-2016-12-02-hananu-mahalej", "ru-mod-2016-12-02-saydnaya"}


def test_counts_and_zero(book):
    residents = book.claim("ru-mod-aleppo-residents-liberated")
    assert residents["dimension"] == "person" and residents["point"] == 90000.0
    none = book.claim("ru-mod-us-no-aid-aleppo")
    assert none["value"] == 0 and none["unit"] is None and none["point"] == 0.0
    grams = book.claim("ru-mod-uk-no-flour-syria")
    assert grams["canonical_unit"] == "t" and grams["point"] == 0.0


def test_a_broken_claim_keeps_its_row_with_no_figure(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8").replace(
        "quantity: about 1 t", "quantity: about 1 tunn"
    )
    claims.write_text(text, encoding="utf-8")
    book = ledger.load(seed_copy)
    assert not book.ok
    c = book.claim("ru-mod-2016-12-02-saydnaya")
    assert c["unit"] is None and math.isnan(c["point"])
    (p,) = book.problems
    assert (p.code, p.line) == ("unit-unknown", line_of(claims, "about 1 tunn"))
    assert p.format().startswith(f"{p.file}:{p.line}: error: [unit-unknown] ")


def test_problems_are_sorted_by_file_and_line(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    text = text.replace("status: delivered", "status: deliverd")
    claims.write_text(text, encoding="utf-8")
    problems = ledger.load(seed_copy).problems
    assert len(problems) == text.count("status: deliverd")
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert {p.code for p in problems} == {"status-invalid"}


def test_not_a_ledger_raises_ledger_not_found(tmp_path: Path):
    with pytest.raises(ledger.LedgerNotFound):
        ledger.load(tmp_path / "missing")
    with pytest.raises(ledger.LedgerNotFound):
        ledger.load(tmp_path)
