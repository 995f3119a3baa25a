"""ISO 8601 dates and periods as curators write them."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.dates import DateError, parse_period


def error_code(text: str) -> str:
    with pytest.raises(DateError) as info:
        parse_period(text)
    return info.value.code


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2016-12-02", date(2016, 12, 2), date(2016, 12, 2)),
        ("2016-12", date(2016, 12, 1), date(2016, 12, 31)),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29)),  # a leap year
        ("2015-02", date(2015, 2, 1), date(2015, 2, 28)),
        ("2016", date(2016, 1, 1), date(2016, 12, 31)),
        ("2016-02-29", date(2016, 2, 29), date(2016, 2, 29)),
        ("2016-12-01/2016-12-02", date(2016, 12, 1), date(2016, 12, 2)),
        ("2016-12-02/2016-12-02", date(2016, 12, 2), date(2016, 12, 2)),
        ("2016-11/2016-12", date(2016, 11, 1), date(2016, 12, 31)),
        ("2016-12-01/2016-12", date(2016, 12, 1), date(2016, 12, 31)),
        ("2011-03-15/2016-12-03", date(2011, 3, 15), date(2016, 12, 3)),
        ("../2016-12-02", None, date(2016, 12, 2)),
        ("../2016-12", None, date(2016, 12, 31)),
        ("2016-12-01/..", date(2016, 12, 1), None),
        (" 2016-12-02 ", date(2016, 12, 2), date(2016, 12, 2)),
    ],
)
def test_accepted_forms(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)
    assert p.text == text.strip()


def test_a_year_written_as_a_yaml_integer():
    assert parse_period(2016).start == date(2016, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2016-02-30",
        "2015-02-29",
        "2016-12-32",
        "2016-12-00",
        "2016-13",
        "2016-00",
        "0000-01-01",
        "2016-12-1",
        "16-12-02",
        "20161202",
        "2016-12-02T10:00",
        "2016-W48",
        "December 2016",
        "",
        "/",
        "../..",
        "2016-12-01/",
        "/2016-12-01",
        "2016-12-01/2016-12-02/2016-12-03",
        "2016-12-01..2016-12-02",
        "2016-12-01/2016-02-30",
    ],
)
def test_invalid(text):
    assert error_code(text) == "date-invalid"


def test_invalid_day_says_why():
    with pytest.raises(DateError, match="2016-02-30"):
        parse_period("2016-02-30")


def test_wrong_form_says_what_to_write():
    with pytest.raises(DateError, match="`2016-12-02`"):
        parse_period("02/12/2016")


@pytest.mark.parametrize(
    "text", ["2016-12-02/2016-12-01", "2016-12/2016-11", "2016/2015", "2016-12-02/2016-11"]
)
def test_reversed_period(text):
    assert error_code(text) == "period-reversed"


def test_reversed_period_says_how_to_write_it():
    with pytest.raises(DateError, match="`2016-12-01/2016-12-02`"):
        parse_period("2016-12-02/2016-12-01")


def test_contains():
    december = parse_period("2016-12")
    day = parse_period("2016-12-02")
    until = parse_period("../2016-12-02")
    since = parse_period("2016-12-01/..")
    assert december.contains(day)
    assert not day.contains(december)
    assert not december.contains(until)  # an open start may reach before December
    assert until.contains(day)
    assert since.contains(day)
    assert not since.contains(until)
    assert until.contains(until)
    assert day.contains(day)
    assert not parse_period("2016-12-03").contains(day)
