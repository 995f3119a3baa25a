"""The quantity grammar: qualifiers, separators, number words, scales, the mapping form, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.claim import Figure
from ledger.config import Tolerances
from ledger.quantity import QUALIFIERS, QuantityError, parse_quantity, quantity_from_mapping
from ledger.vocab import Family

D = Decimal


def error_code(text: str) -> str:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    return info.value.code


# --- qualifiers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "family"),
    [
        ("about", "about"),
        ("around", "about"),
        ("approximately", "about"),
        ("approx.", "about"),
        ("roughly", "about"),
        ("some", "about"),
        ("nearly", "nearly"),
        ("almost", "nearly"),
        ("more than", "more_than"),
        ("over", "more_than"),
        ("at least", "at_least"),
        ("up to", "up_to"),
        ("at most", "up_to"),
        ("less than", "less_than"),
        ("fewer than", "less_than"),
        ("under", "less_than"),
    ],
)
def test_each_qualifier(qualifier, family):
    q = parse_quantity(f"{qualifier} 7 t")
    assert q.qualifier == qualifier
    assert q.family == family
    assert (q.value, q.low, q.high) == (D(7), D(7), D(7))
    assert q.unit == "t"
    assert q.text == f"{qualifier} 7 t"


def test_every_qualifier_is_tested():
    """A qualifier added to the table without a family of its own must still be listed above."""
    assert set(QUALIFIERS.values()) == {
        "about",
        "nearly",
        "more_than",
        "at_least",
        "up_to",
        "less_than",
        "between",
    }


def test_families_are_the_vocabulary():
    """Each written qualifier names a `Family` member, and every family but `exact` (a bare
    figure) has a qualifier that writes it."""
    assert all(type(f) is Family for f in QUALIFIERS.values())
    assert set(QUALIFIERS.values()) == set(Family) - {Family.EXACT}


@pytest.mark.parametrize(
    ("phrase", "family"),
    [("4 t", Family.EXACT), ("none", Family.EXACT), ("about 4 t", Family.ABOUT),
     ("between 2 and 3 t", Family.BETWEEN)],
)  # fmt: skip
def test_parsed_family_is_a_member_that_equals_its_word(phrase: str, family: Family):
    """Families are `StrEnum` members: code that still compares with plain words keeps working."""
    q = parse_quantity(phrase)
    assert q.family is family
    assert q.family == family.value


def test_mapping_form_reads_families_from_the_vocabulary():
    assert quantity_from_mapping(4, "t", "Over").family is Family.MORE_THAN
    assert quantity_from_mapping(4, "t", None).family is Family.EXACT
    assert quantity_from_mapping([2, 3], "t", "between").family is Family.BETWEEN


def test_qualifier_case_and_spacing_are_normalised():
    q = parse_quantity("  More   Than 5   metric tons ")
    assert q.qualifier == "more than"
    assert q.family == "more_than"
    assert q.value == 5
    assert q.unit == "metric tons"
    assert q.text == "More Than 5 metric tons"


def test_bare_figure_is_exact():
    q = parse_quantity("4 t")
    assert q.qualifier is None
    assert q.family == "exact"
    assert q.value == 4


def test_between():
    q = parse_quantity("between 2 and 3 t")
    assert q.qualifier == "between" and q.family == "between"
    assert (q.low, q.high, q.value) == (D(2), D(3), D("2.5"))
    assert q.unit == "t"
    assert q.step == 1


def test_between_with_the_unit_on_both_ends_and_words():
    assert parse_quantity("between 2 t and 3 t").low == 2
    q = parse_quantity("between two and three blankets")
    assert (q.low, q.high, q.unit) == (D(2), D(3), "blankets")


def test_between_step_is_the_finer_end():
    assert parse_quantity("between 1.5 and 2 t").step == D("0.1")


def test_between_equal_ends_is_accepted():
    q = parse_quantity("between 2 and 2 t")
    assert q.low == q.high == q.value == 2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("between 3 and 2 t", "quantity-reversed"),
        ("between 2 kg and 3 t", "quantity-invalid"),
        ("between 2 t", "quantity-invalid"),
        ("between 2 and 3", "quantity-no-unit"),
        ("between -1 and 2 t", "quantity-negative"),
    ],
)
def test_between_errors(text, code):
    assert error_code(text) == code


def test_reversed_between_says_how_to_write_it():
    with pytest.raises(QuantityError, match="between 2 and 3"):
        parse_quantity("between 3 and 2 t")


def test_between_scale_on_one_end_only_is_refused():
    """`between 1 and 2 million` must not be read as 1 to 2,000,000."""
    with pytest.raises(QuantityError, match="million") as info:
        parse_quantity("between 1 and 2 million people")
    assert info.value.code == "quantity-invalid"
    q = parse_quantity("between 1 million and 2 million people")
    assert (q.low, q.high) == (D(1000000), D(2000000))
    q = parse_quantity("between 500 thousand and 2 million people")
    assert (q.low, q.high) == (D(500000), D(2000000))


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "step"),
    [
        ("4 t", D(4), D(1)),
        ("90,000 people", D(90000), D(10000)),
        ("90000 people", D(90000), D(10000)),
        ("1,234,567 people", D(1234567), D(1)),
        ("4.5 t", D("4.5"), D("0.1")),
        ("3.50 t", D("3.50"), D("0.01")),
        ("0.5 t", D("0.5"), D("0.1")),
        (".5 t", D("0.5"), D("0.1")),
        ("1,000.5 t", D("1000.5"), D("0.1")),
        ("+4 t", D(4), D(1)),
        ("4t", D(4), D(1)),
        ("4\u00a0t", D(4), D(1)),
    ],
)
def test_digits(text, value, step):
    q = parse_quantity(text)
    assert q.value == value
    assert q.step == step
    assert q.unit == ("t" if text.endswith("t") else "people")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("one ton", D(1), "ton"),
        ("two events", D(2), "events"),
        ("a single gram", D(1), "gram"),
        ("a single pill", D(1), "pill"),
        ("a t", D(1), "t"),
        ("an event", D(1), "event"),
        ("ten kits", D(10), "kits"),
        ("twenty one people", D(21), "people"),
        ("ninety thousand people", D(90000), "people"),
        ("two hundred and five people", D(205), "people"),
        ("one thousand two hundred people", D(1200), "people"),
        ("seven hundred thousand people", D(700000), "people"),
        ("a dozen kits", D(12), "kits"),
        ("half a ton", D("0.5"), "ton"),
        ("hundred people", D(100), "people"),
        ("under one t", D(1), "t"),
    ],
)
def test_number_words(text, value, unit):
    q = parse_quantity(text)
    assert q.value == value
    assert q.unit == unit


def test_number_words_are_case_insensitive():
    assert parse_quantity("About Two Events").value == 2


def test_fractions_and_dozens_read_as_people_say_them():
    assert parse_quantity("one and a half t").value == D("1.5")
    assert parse_quantity("two and a half t").value == D("2.5")
    assert parse_quantity("two dozen blankets").value == 24
    assert parse_quantity("4 dozen blankets").value == 48


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("one two t", D(1), "two t"),
        ("two three t", D(2), "three t"),
        ("five twenty people", D(5), "twenty people"),
        ("half one t", D("0.5"), "one t"),
    ],
)
def test_number_words_out_of_order_are_not_added_up(text, value, unit):
    """`two three t` is a mistake, not 5 t: the first word is the number, and the words that
    do not continue it are left in the unit, where the unit check refuses them."""
    q = parse_quantity(text)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "value", "step"),
    [
        ("1.5 million people", D(1500000), D(100000)),
        ("2 million people", D(2000000), D(1000000)),
        ("5 thousand people", D(5000), D(1000)),
        ("1.5 thousand t", D(1500), D(100)),
        ("3 billion USD", D(3000000000), D(1000000000)),
    ],
)
def test_scales_after_digits(text, value, step):
    q = parse_quantity(text)
    assert q.value == value
    assert q.step == step
    assert q.unit in ("people", "t", "USD")


def test_scale_word_is_not_taken_as_the_unit():
    assert parse_quantity("2 million people").unit == "people"


# --- zero -----------------------------------------------------------------------------------


def zero(q) -> bool:
    """Whether the phrase states nothing at all, by the one rule analysis uses (Figure)."""
    return Figure.of(q, None, Tolerances()).is_zero


@pytest.mark.parametrize("text", ["none", "None", "NOTHING", "nothing"])
def test_none_is_zero_of_anything(text):
    q = parse_quantity(text)
    assert q.value == q.low == q.high == 0
    assert q.unit is None
    assert zero(q)
    assert q.step == 0


@pytest.mark.parametrize("text", ["0 g", "zero t", "0 people", "up to 0 t"])
def test_zero_with_a_unit(text):
    q = parse_quantity(text)
    assert zero(q)
    assert q.unit is not None


def test_more_than_zero_is_not_zero():
    assert not zero(parse_quantity("more than 0 t"))
    assert not zero(parse_quantity("4 t"))


# --- the mapping form -----------------------------------------------------------------------


def test_mapping_plain():
    q = quantity_from_mapping(4, "t", None)
    assert (q.value, q.unit, q.family, q.qualifier) == (D(4), "t", "exact", None)
    assert q.text == "4 t"


def test_mapping_with_qualifier_and_decimal():
    q = quantity_from_mapping(4.5, "t", "About")
    assert q.qualifier == "about" and q.family == "about"
    assert q.value == D("4.5")
    assert q.step == D("0.1")
    assert q.text == "about 4.5 t"


def test_mapping_value_as_text_keeps_its_digits():
    q = quantity_from_mapping("4.50", "t", None)
    assert q.value == D("4.50")
    assert q.step == D("0.01")


def test_mapping_between():
    q = quantity_from_mapping([2, 3], "t", "between")
    assert (q.low, q.high, q.value) == (D(2), D(3), D("2.5"))
    assert q.text == "between 2 and 3 t"


def test_mapping_zero():
    assert zero(quantity_from_mapping(0, "g", None))


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "code"),
    [
        ([3, 2], "t", "between", "quantity-reversed"),
        (4, "t", "between", "quantity-invalid"),
        ([2, 3, 4], "t", "between", "quantity-invalid"),
        ([1, "x"], "t", "between", "quantity-invalid"),
        (4, "t", "circa", "quantity-invalid"),
        (4, "", None, "quantity-invalid"),
        (4, None, None, "quantity-invalid"),
        (4, 5, None, "quantity-invalid"),
        (True, "t", None, "quantity-invalid"),
        (None, "t", None, "quantity-invalid"),
        ("abc", "t", None, "quantity-invalid"),
        ("90,000", "people", None, "quantity-invalid"),
        ({"a": 1}, "t", None, "quantity-invalid"),
        (float("nan"), "t", None, "quantity-not-finite"),
        (float("inf"), "t", None, "quantity-not-finite"),
        ("nan", "t", None, "quantity-not-finite"),
        ("Infinity", "t", None, "quantity-not-finite"),
        ("1e400", "t", None, "quantity-not-finite"),
        ("1e999999999", "t", None, "quantity-not-finite"),
        (-1, "t", None, "quantity-negative"),
        ("-1", "t", None, "quantity-negative"),
        (-0.5, "t", None, "quantity-negative"),
    ],
)
def test_mapping_errors(value, unit, qualifier, code):
    with pytest.raises(QuantityError) as info:
        quantity_from_mapping(value, unit, qualifier)
    assert info.value.code == code


def test_mapping_unknown_qualifier_lists_the_known_ones():
    with pytest.raises(QuantityError, match="`more than`"):
        quantity_from_mapping(4, "t", "circa")


# --- bad phrases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "quantity-invalid"),
        ("   ", "quantity-invalid"),
        ("quux 4 t", "quantity-invalid"),
        ("more 5 t", "quantity-invalid"),
        ("at about 4 t", "quantity-invalid"),
        ("about about 4 t", "quantity-invalid"),
        ("some people", "quantity-invalid"),
        ("1,5 t", "quantity-invalid"),
        ("1,50 t", "quantity-invalid"),
        ("1,5000 t", "quantity-invalid"),
        ("12,34,567 t", "quantity-invalid"),
        ("2.5.1 t", "quantity-invalid"),
        ("1e3 t", "quantity-invalid"),
        ("1e400 t", "quantity-invalid"),
        ("-4 t", "quantity-negative"),
        ("-0 t", "quantity-negative"),
        ("NaN t", "quantity-not-finite"),
        ("nan t", "quantity-not-finite"),
        ("inf t", "quantity-not-finite"),
        ("Infinity t", "quantity-not-finite"),
        ("-inf t", "quantity-not-finite"),
        ("1" + "0" * 400 + " t", "quantity-not-finite"),
        ("4", "quantity-no-unit"),
        ("about 4", "quantity-no-unit"),
        ("two", "quantity-no-unit"),
        ("a single", "quantity-no-unit"),
        ("1.5 million", "quantity-no-unit"),
    ],
)
def test_bad_phrases(text, code):
    assert error_code(text) == code


def test_unknown_word_is_named_in_the_message():
    with pytest.raises(QuantityError, match="`quux`"):
        parse_quantity("quux 4 t")


def test_decimal_comma_hint():
    with pytest.raises(QuantityError, match=r"`1\.5`"):
        parse_quantity("1,5 t")


def test_no_unit_message_suggests_one():
    with pytest.raises(QuantityError, match="`about 4 t`"):
        parse_quantity("about 4")


@pytest.mark.parametrize("text", ["4 4 t", "four score t", "1 000 t", "4 t about", "a few t"])
def test_leftover_words_stay_in_the_unit(text):
    """The grammar drops nothing: words it cannot read end up in the unit, which then fails."""
    q = parse_quantity(text)
    assert q.unit not in (None, "t")
    assert q.unit.split()[-1] in ("t", "about")
