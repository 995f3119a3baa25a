"""Numbers as sources write them: digits, separators and words in en/ru/fr/ar; negation; steps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.numbers import (
    forms,
    has_negation,
    known_languages,
    numbers_in_text,
    parse_english_digits,
    step_of,
    to_ascii_digits,
    words_value,
)

D = Decimal


def found(text: str, lang: str | None = None) -> set[Decimal]:
    return numbers_in_text(text, lang)


# --- English --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 4 tons; about one ton", {D(4), D(1)}),
        ("90,000 Aleppo residents", {D(90000)}),
        ("more than 5 metric tons", {D(5)}),
        ("4.5 t and 1,000.5 kg", {D("4.5"), D("1000.5")}),
        ("ninety thousand people", {D(90000)}),
        ("two hundred and five trucks", {D(205)}),
        ("twenty-one trucks", {D(21)}),
        ("3-4 trucks", {D(3), D(4)}),
        ("a single gram", {D(1)}),
        ("two humanitarian events", {D(2)}),
        ("one and a half tons", {D("1.5")}),
        ("two dozen blankets", {D(24)}),
    ],
)
def test_english(text, expected):
    assert found(text) == expected


def test_scale_after_digits_adds_the_scaled_figure():
    assert {D("1.5"), D(1500000)} <= found("1.5 million people")


def test_articles_are_not_figures_in_quotes():
    assert found("a ton of flour") == set()


def test_words_inside_other_words_are_not_numbers():
    assert found("onerous tone, someone") == set()


def test_broken_numbers_are_not_read():
    assert found("version 2.0.1") == set()
    assert found("1,5 t") == set()  # an English text has no decimal comma


def test_number_words_out_of_order_are_not_summed():
    assert D(6) not in found("one two three")
    assert D(5) not in found("two three")


def test_arabic_indic_digits_become_ascii():
    assert to_ascii_digits("٩٠٬٠٠٠") == "90٬000"
    assert to_ascii_digits("plain 42") == "plain 42"


# --- other languages ------------------------------------------------------------------------


def test_russian_decimal_comma_and_spaces():
    assert found("1,5 тонны гуманитарной помощи", "ru") == {D("1.5")}
    assert found("доставлено 90 000 человек", "ru") == {D(90000)}
    assert found("доставлено 90\u00a0000 человек", "ru") == {D(90000)}


def test_russian_words():
    assert found("две тонны", "ru") == {D(2)}
    assert found("двадцать пять тонн", "ru") == {D(25)}
    assert found("сто двадцать", "ru") == {D(120)}
    assert found("три тысячи", "ru") == {D(3000)}


def test_decimal_comma_needs_the_language():
    assert D("1.5") not in found("1,5 тонны")  # read as English: no number
    assert D("1.5") in found("1,5 тонны", "ru")


def test_english_figures_in_a_russian_quote_are_still_found():
    assert D(4) in found("около 4 тонн", "ru")
    assert D("4.5") in found("около 4.5 тонн", "ru")


def test_french():
    assert found("2,5 tonnes", "fr") == {D("2.5")}
    assert found("1 000 personnes", "fr") == {D(1000)}
    assert found("vingt et un camions", "fr") == {D(21)}
    assert found("deux mille personnes", "fr") == {D(2000)}
    assert found("soixante-dix", "fr") == {D(70)}


def test_french_group_dot_is_not_an_english_decimal():
    """`1.000` in a French text is a thousand, not 1.000 (which would equal 1)."""
    assert found("1.000 personnes", "fr") == {D(1000)}


def test_arabic_digits_and_separators():
    assert found("٤٫٥ طن", "ar") == {D("4.5")}
    assert found("٩٠٬٠٠٠ شخص", "ar") == {D(90000)}
    assert found("ثلاثة آلاف", "ar") == {D(3000)}


def test_language_codes():
    assert forms("ru-RU").lang == "ru"
    assert forms("RU").lang == "ru"
    assert forms(None).lang == "en"
    assert forms("xx").lang == "en"  # unknown: English forms
    assert {"en", "ru", "fr", "ar"} <= set(known_languages())


# --- words_value ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["ninety", "thousand"], D(90000)),
        (["two", "hundred", "and", "five"], D(205)),
        (["one", "thousand", "two", "hundred"], D(1200)),
        (["a", "hundred"], D(100)),
        (["one", "and", "a half"], D("1.5")),
        (["half a", "million"], D(500000)),
        (["two", "dozen"], D(24)),
        (["one", "two"], None),
        (["twenty", "thirty"], None),
        (["eleven", "one"], None),
        (["ton"], None),
        ([], None),
        (["and"], None),
    ],
)
def test_words_value(words, value):
    assert words_value(words, forms("en")) == value


# --- negation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("has not allocated a single gram", None),
        ("have yet to offer humanitarian assistance", None),
        ("no aid arrived", None),
        ("None of it arrived", None),
        ("nothing was delivered", None),
        ("they didn't deliver", None),
        ("they cannot deliver any aid", None),
        ("не было доставлено", "ru"),
        ("ни одного грамма", "ru"),
        ("n'a pas livré", "fr"),
        ("rien", "fr"),
        ("لم يصل", "ar"),
        ("has not allocated", "ru"),  # English negations hold in any language
    ],
)
def test_negation(text, lang):
    assert has_negation(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("delivered 4 t", None),
        ("notable aid", None),
        ("it's been knotted", None),
        ("nonetheless delivered", None),
        ("Nobody knows", None),
        ("rien", None),  # French word, English text
        ("une fine", "fr"),
    ],
)
def test_no_negation(text, lang):
    assert not has_negation(text, lang)


# --- step_of and English digits -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written", "step"),
    [
        (D(4), None, D(1)),
        (D(90000), "90,000", D(10000)),
        (D(100), None, D(100)),
        (D("3.5"), "3.5", D("0.1")),
        (D("3.50"), "3.50", D("0.01")),
        (D("4.0"), "4.0", D("0.1")),
        (D("4.0"), None, D(1)),
        (D("0.5"), None, D("0.1")),
        (D(1500000), None, D(100000)),
        (D(0), None, D(0)),
        (D(0), "0.00", D(0)),
    ],
)
def test_step_of(value, written, step):
    assert step_of(value, written) == step


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("90,000", D(90000)),
        ("4.5", D("4.5")),
        ("1234", D(1234)),
        (".5", D("0.5")),
        ("1,000,000.25", D("1000000.25")),
        ("1,5", None),
        ("1.000.000", None),
        ("1,00,000", None),
        ("4e3", None),
        ("-4", None),
        ("", None),
    ],
)
def test_parse_english_digits(text, value):
    assert parse_english_digits(text) == value


def test_a_range_in_words_states_both_figures():
    """Regression: `between five and six tons` was read as one (impossible) number, so a
    `between 5 and 6 t` claim failed its quote check."""
    from decimal import Decimal

    from ledger.numbers import numbers_in_text

    found = numbers_in_text("Russia delivered between five and six tons of flour")
    assert {Decimal(5), Decimal(6)} <= found
    assert numbers_in_text("two hundred and five kits") == {Decimal(205)}
