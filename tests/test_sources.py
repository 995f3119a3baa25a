"""Quotes are found verbatim in their documents, forgiving only what copying from a web page changes."""

from __future__ import annotations

import re

import pytest

from ledger.sources import normalise, quote_found

DOC = normalise(
    "He said: \u201cabout 4 tons\u201d \u2014 in the\u00a0Hananu 3 area of Aleppo;\n"
    "later,   90,000 residents were counted. It\u2019s the UK\u2019s turn."
)


def test_normalise_plain_quotes_dashes_and_spaces():
    assert normalise("\u201ca\u201d \u2018b\u2019 \u00abc\u00bb x\u2013y\u2014z \u2212 1") == (
        '"a" \'b\' "c" x-y-z - 1'
    )
    assert normalise("  a\u00a0b\u202fc\n\td  ") == "a b c d"
    assert normalise("zero\u200bwidth") == "zerowidth"


def test_normalise_collapses_exactly_the_whitespace_of_regex_s():
    # normalise collapses spaces with str.split (fast on 10 MB documents): every code point
    # `\s` matches is a space to it, and no other one is (a quote written before the change
    # reads as it did)
    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert spaces == [chr(c) for c in range(0x110000) if chr(c).isspace()]
    for c in spaces:
        assert normalise(f"{c}a{c}{c}b{c}") == "a b", hex(ord(c))
    assert normalise("a\u200bb") == "ab"  # a zero-width space is no space: it is removed


def test_normalise_composes_unicode():
    assert normalise("e\u0301") == "\u00e9"


@pytest.mark.parametrize(
    "quote",
    [
        '"about 4 tons" - in the Hananu 3',
        "\u201cabout 4 tons\u201d \u2013 in the Hananu 3",
        "about  4\n   tons",
        "later, 90,000 residents",
        "It's the UK's turn",
        "about 4 tons ... 90,000 residents",
        "about 4 tons \u2026 in the Hananu 3",
        "about 4 tons [...] Aleppo",
    ],
)
def test_quote_found(quote):
    assert quote_found(quote, DOC)


@pytest.mark.parametrize(
    "quote",
    [
        "About 4 tons",  # case matters: a quote is verbatim
        "about 5 tons",
        "90,000 residents ... about 4 tons",  # pieces out of order
        "about 4 tons ... 91,000 residents",
        "about4 tons",
    ],
)
def test_quote_not_found(quote):
    assert not quote_found(quote, DOC)
