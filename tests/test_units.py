"""The unit registry: pint plus `data/units.txt`, and what a ledger may write as a unit."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ledger.units import UnitError, Units, units_for

from .conftest import REPO

D = Decimal


@pytest.fixture(scope="module")
def units() -> Units:
    return units_for((REPO / "data" / "units.txt").resolve())


def resolve_error(units: Units, written: str) -> UnitError:
    with pytest.raises(UnitError) as info:
        units.resolve(written)
    return info.value


@pytest.mark.parametrize(
    "written", ["t", "tonne", "tonnes", "metric_ton", "metric ton", "metric tons", "  t "]
)
def test_metric_tons(units, written):
    info = units.resolve(written)
    assert info.dimension == "mass"
    assert info.canonical == "t"
    assert info.factor == 1
    assert info.warning is None
    # and 1000 kg, as pint itself converts
    assert units.registry.Quantity(1, info.name).to("kg").magnitude == pytest.approx(1000)


@pytest.mark.parametrize(
    ("written", "factor"),
    [
        ("kg", D("0.001")),
        ("kilograms", D("0.001")),
        ("g", D("0.000001")),
        ("grams", D("0.000001")),
        ("lb", D("0.00045359237")),
        ("long_ton", D("1.0160469088")),
    ],
)
def test_other_masses_convert_to_tons(units, written, factor):
    info = units.resolve(written)
    assert info.canonical == "t"
    assert info.factor == factor
    assert info.warning is None


@pytest.mark.parametrize("written", ["ton", "tons"])
def test_ton_resolves_as_a_short_ton_with_a_warning(units, written):
    info = units.resolve(written)
    assert info.factor == D("0.90718474")
    assert info.dimension == "mass"
    assert info.warning is not None
    assert f"`{written}`" in info.warning
    assert "`t`" in info.warning and "`short_ton`" in info.warning


@pytest.mark.parametrize("written", ["short_ton", "short ton"])
def test_short_ton_written_out_has_no_warning(units, written):
    info = units.resolve(written)
    assert info.factor == D("0.90718474")
    assert info.warning is None


@pytest.mark.parametrize(
    "written", ["MT", "mt", "Mt", "T", "kt", "bag", "bags", "unit", "units", "item", "items"]
)
def test_ambiguous_units_are_refused_saying_what_to_write(units, written):
    err = resolve_error(units, written)
    assert err.code == "unit-ambiguous"
    assert re.search(r"(write|name)[^`]*`[^`]+`", str(err)), str(err)


def test_mt_says_to_write_t(units):
    assert "write `t`" in str(resolve_error(units, "MT"))
    assert "write `t`" in str(resolve_error(units, "mt"))


@pytest.mark.parametrize(
    "written", ["kg**1000", "t/0", "1/t", "kg*2", "metre**3", "4 t", "", "°C", "t-1"]
)
def test_unit_expressions_are_refused(units, written):
    assert resolve_error(units, written).code == "unit-expression"


@pytest.mark.parametrize("written", ["km", "hour", "degC", "m", "percent", "radian"])
def test_units_that_measure_nothing_a_ledger_counts(units, written):
    assert resolve_error(units, written).code == "unit-dimension"


@pytest.mark.parametrize(
    ("written", "dimension"),
    [
        ("people", "person"),
        ("person", "person"),
        ("residents", "person"),
        ("civilians", "person"),
        ("blanket", "blanket"),
        ("blankets", "blanket"),
        ("pill", "pill"),
        ("pills", "pill"),
        ("tablets", "pill"),
        ("events", "event"),
        ("humanitarian events", "event"),
        ("kits", "kit"),
        ("parcels", "parcel"),
        ("convoys", "convoy"),
        ("trucks", "truck"),
        ("families", "family"),
        ("sacks", "sack"),
    ],
)
def test_counts_have_a_dimension_of_their_own(units, written, dimension):
    info = units.resolve(written)
    assert info.dimension == dimension
    assert info.factor == 1


def test_people_and_blankets_never_mix(units):
    people, blankets, tons = (units.resolve(w) for w in ("people", "blankets", "t"))
    assert len({people.dimension, blankets.dimension, tons.dimension}) == 3
    assert people.canonical != blankets.canonical


@pytest.mark.parametrize(
    ("written", "canonical", "factor"),
    [("L", "L", D(1)), ("litres", "L", D(1)), ("ml", "L", D("0.001")), ("m3", "L", D(1000))],
)
def test_volumes(units, written, canonical, factor):
    info = units.resolve(written)
    assert info.dimension == "volume"
    assert info.canonical == canonical
    assert info.factor == factor


def test_currencies_stay_apart(units):
    usd, eur = units.resolve("USD"), units.resolve("EUR")
    assert usd.dimension == "currency_USD"
    assert eur.dimension == "currency_EUR"
    assert units.resolve("usd").name == usd.name


@pytest.mark.parametrize(
    ("written", "hint"),
    [("tunn", "`tonne`"), ("blankts", "`blanket`"), ("peopel", "`people`"), ("Tons", "`ton`")],
)
def test_unknown_unit_says_did_you_mean(units, written, hint):
    err = resolve_error(units, written)
    assert err.code == "unit-unknown"
    assert f"`{written}`" in str(err)
    assert "Did you mean" in str(err)
    assert hint in str(err)


def test_unknown_unit_without_a_close_name(units):
    err = resolve_error(units, "zzzzqqq")
    assert err.code == "unit-unknown"
    assert "Did you mean" not in str(err)


def test_answers_are_cached_including_errors(units):
    first = units.resolve("blankets")
    assert units.resolve("blankets") is first
    one = resolve_error(units, "tunn")
    assert resolve_error(units, "tunn") is one


def test_without_units_txt_counts_are_unknown():
    bare = units_for(None)
    assert bare.resolve("t").factor == 1
    assert resolve_error(bare, "blankets").code == "unit-unknown"


def test_one_registry_per_definitions_file(units):
    assert units_for((REPO / "data" / "units.txt").resolve()) is units
