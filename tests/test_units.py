"""The unit registry: pint plus `data/units.txt`, and what a ledger may write as a unit."""

from __future__ import annotations

import ast
import re
from decimal import Context, Decimal, localcontext

import pytest

import ledger.units
from ledger.units import UnitError, Units, units_for

from .conftest import SEED_DATA

D = Decimal


@pytest.fixture(scope="module")
def units() -> Units:
    return units_for((SEED_DATA / "units.txt").resolve())


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
    assert units_for((SEED_DATA / "units.txt").resolve()) is units


# --- exact factors (a Decimal registry, no float rounding) -----------------------------------


@pytest.mark.parametrize(
    ("written", "canonical", "factor"),
    [
        ("kg", "t", "0.001"),
        ("g", "t", "0.000001"),
        ("lb", "t", "0.00045359237"),
        ("short_ton", "t", "0.90718474"),
        ("long_ton", "t", "1.0160469088"),
        ("t", "t", "1"),
        ("m3", "L", "1000"),
        ("cubic metres", "L", "1000"),
        ("mL", "L", "0.001"),
        ("L", "L", "1"),
        ("gallon", "L", "3.785411784"),
    ],
)
def test_factors_are_exact_decimals_without_trailing_zeros(units, written, canonical, factor):
    info = units.resolve(written)
    assert info.canonical == canonical
    assert type(info.factor) is Decimal
    assert info.factor == D(factor)
    # the same digits and exponent as the normalised exact value: no 1000.000, no 0.0010
    assert info.factor.as_tuple() == D(factor).normalize().as_tuple()


def test_exact_factors_add_up_exactly(units):
    lb, kg, ml = (units.resolve(w).factor for w in ("lb", "kg", "mL"))
    assert 1000 * lb == D("0.45359237")
    assert 2000 * lb == units.resolve("short_ton").factor
    assert 1000 * kg == 1
    assert 1000000 * ml == units.resolve("m3").factor


def test_factors_from_units_txt_definitions(tmp_path):
    (tmp_path / "more.txt").write_text("drum = 200 L = _ = fuel_drum\n", encoding="utf-8")
    (tmp_path / "units.txt").write_text(
        "@import more.txt\n"
        "sack = [sack]\n"
        "sack_flour = 50 kg = _ = flour_sack\n"
        "jerrycan = 2e1 L\n"
        "fine_sack = 12.3456789012345678901 kg\n"
        "third_tonne = t / 3\n",
        encoding="utf-8",
    )
    units = Units(tmp_path / "units.txt")
    assert units.resolve("flour sacks").factor == D("0.05")
    assert units.resolve("sack_flour").dimension == "mass"
    assert units.resolve("drums").factor == D(200)  # through @import
    assert units.resolve("jerrycan").factor == D(20)  # a literal in exponent notation
    # 21 significant digits: more than a float holds, kept exactly (the float path kept 12)
    assert units.resolve("fine_sack").factor == D("0.0123456789012345678901")
    # a repeating fraction cannot be an exact Decimal: 28 significant digits
    assert units.resolve("third_tonne").factor == D("0.3333333333333333333333333333")
    sack = units.resolve("sacks")
    assert (sack.dimension, sack.canonical, sack.factor) == ("sack", "sack", D(1))


def test_counted_things_from_units_txt_have_factor_one(units):
    for written in ("people", "sacks", "trucks", "USD"):
        info = units.resolve(written)
        assert type(info.factor) is Decimal
        assert info.factor.as_tuple() == D(1).as_tuple()
        assert info.canonical == info.name


def test_a_low_precision_decimal_context_elsewhere_does_not_round_factors():
    with localcontext(Context(prec=4)):
        units = Units(SEED_DATA / "units.txt")
        assert units.resolve("lb").factor == D("0.00045359237")
        assert units.resolve("gallon").factor == D("3.785411784")


def test_dimension_powers_print_as_integers(units):
    # Decimal arithmetic gives Z_0 the power Decimal("2.0"); the message must not show it
    err = resolve_error(units, "Z_0")
    assert err.code == "unit-dimension"
    assert "[mass] * [length] ** 2 / [time] ** 3 / [current] ** 2;" in str(err)


def test_did_you_mean_does_not_depend_on_units_resolved_before():
    units = Units(SEED_DATA / "units.txt")
    before = str(resolve_error(units, "kilodrum"))
    units.resolve("kilodram")  # pint now knows the prefixed name `kilodram`
    assert str(resolve_error(units, "kilodrums")) == before.replace("kilodrum", "kilodrums")


def test_did_you_mean_includes_units_txt_names(units):
    assert "`humanitarian_event`" in str(resolve_error(units, "humanitarian_evnt"))


# --- pint through its public API only ----------------------------------------------------


def test_units_module_reads_no_private_pint_attributes():
    path = ledger.units.__file__
    with open(path, encoding="utf-8") as f:
        source = f.read()
    assert not re.search(r"\._units\b", source)
    assert not re.search(r"\b(registry|parsed|pint|unit|dims|quantity)\._", source)
    # Any `x._name` must be the module's own state (`self._cache`), never pint's.
    tree = ast.parse(source)
    own = {
        node.name
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
    }
    own |= {"_cache", "_names"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            if node.attr.startswith("__") and node.attr.endswith("__"):
                continue
            assert isinstance(node.value, ast.Name) and node.value.id == "self", (
                f"line {node.lineno}: `._{node.attr[1:]}` on {ast.unparse(node.value)}"
            )
            assert node.attr in own, f"line {node.lineno}: self.{node.attr}"
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("getattr", "vars"):
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            assert not any(str(a).startswith("_") for a in args), f"line {node.lineno}"
