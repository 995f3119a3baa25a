"""`ledger.load`: the Python API on the seed ledger, and the loader's promise never to raise."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ledger
from ledger.frame import NAMES

from .conftest import REPO, SEED_CLAIMS, line_of


@pytest.fixture(scope="module")
def book() -> ledger.Ledger:
    return ledger.load(REPO / "data")


def test_seed_ledger_is_clean(book):
    assert book.problems == []
    assert book.ok


def test_claims_hold_parsed_values(book):
    c = book.claim("ru-mod-2016-12-02-hananu-mahalej")
    assert c.quantity.value == Decimal(4)
    assert c.quantity.family == "about"
    assert c.quantity.unit == "t"
    assert c.unit.canonical == "t"
    assert c.figure.point == Decimal(4)
    assert (c.figure.stated.lo, c.figure.stated.hi) == (Decimal("3.5"), Decimal("4.5"))
    assert c.source == "sputnik-2016-12-03-aleppo"
    assert c.place_names == ("Hananu 3", "al-Mahalej camp")
    assert (c.start, c.end) == (date(2016, 12, 1), date(2016, 12, 2))
    assert c.file.endswith("sputnik-2016-12-03-aleppo.yaml")
    assert c.line == line_of(REPO / "data" / SEED_CLAIMS, "id: ru-mod-2016-12-02-hananu-mahalej")


def test_the_frame_shows_the_same_values_as_plain_columns(book):
    c = book.claims.set_index("id").loc["ru-mod-2016-12-02-hananu-mahalej"]
    assert c["value"] == "4"  # exact, as text
    assert (c["low_exact"], c["point_exact"], c["high_exact"]) == ("3.5", "4", "4.5")
    assert (c["low"], c["point"], c["high"]) == (3.5, 4.0, 4.5)
    assert c["family"] == "about"
    assert c["unit"] == "t" and c["canonical_unit"] == "t"
    assert c["place_names"] == "Hananu 3; al-Mahalej camp"
    assert (c["start"], c["end"]) == (pd.Timestamp("2016-12-01"), pd.Timestamp("2016-12-02"))
    assert c["file"].endswith("sputnik-2016-12-03-aleppo.yaml")


def test_no_frame_cell_holds_a_decimal_tuple_or_object_of_ours(book: ledger.Ledger):
    plain = (str, int, float, bool, np.integer, np.floating, np.bool_, pd.Timestamp)
    frame = book.claims
    assert list(frame.columns) == NAMES
    for name in frame.columns:
        for value in frame[name]:
            assert value is pd.NaT or pd.isna(value) or isinstance(value, plain), (name, value)
            assert not isinstance(value, (Decimal, tuple, list, dict)), (name, value)
    assert all(str(t) != "object" for t in frame.dtypes), frame.dtypes


def test_aliases_resolve_to_gazetteer_names(book):
    c = book.claim("ru-mod-2016-12-02-saydnaya")
    assert c.place_names == ("Saydnaya",)


def test_summed_claim_and_open_start(book):
    c = book.claim("ru-mod-2016-12-02-aleppo-damascus-total")
    assert c.quantity.family == "more_than"
    assert c.start is None and c.end == date(2016, 12, 2)
    assert set(c.sum_of) == {"ru-mod-2016-12-02-hananu-mahalej", "ru-mod-2016-12-02-saydnaya"}


def test_counts_and_zero(book):
    residents = book.claim("ru-mod-aleppo-residents-liberated")
    assert residents.unit.dimension == "person" and residents.figure.point == 90000
    none = book.claim("ru-mod-us-no-aid-aleppo")
    assert none.quantity.value == 0 and none.unit is None and none.figure.point == 0
    assert none.figure.is_zero
    grams = book.claim("ru-mod-uk-no-flour-syria")
    assert grams.unit.canonical == "t" and grams.figure.point == 0 and grams.figure.is_zero
    assert not residents.figure.is_zero


def test_a_broken_claim_keeps_its_row_with_no_figure(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8").replace(
        "quantity: about 1 t", "quantity: about 1 tunn"
    )
    claims.write_text(text, encoding="utf-8")
    book = ledger.load(seed_copy)
    assert not book.ok
    c = book.claim("ru-mod-2016-12-02-saydnaya")
    assert c.quantity_text == "about 1 tunn"
    assert c.quantity is None and c.unit is None and c.figure is None
    row = book.claims.set_index("id").loc["ru-mod-2016-12-02-saydnaya"]
    assert pd.isna(row["unit"]) and math.isnan(row["point"])
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
