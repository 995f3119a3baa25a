"""The report model and its views: every format is a view of one `Report`, written in pieces."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from ledger import formatting
from ledger.analysis import analyse
from ledger.intervals import INF, Interval
from ledger.report import Report, build
from ledger.views import VIEWS, render, render_text
from ledger.vocab import ReportFormat, Verdict

from .conftest import SEED_DATA


@pytest.fixture(scope="module")
def seed_report() -> Report:
    return build(analyse(ledger.load(SEED_DATA)))


def test_every_report_format_has_one_view():
    assert set(VIEWS) == set(ReportFormat)


def test_the_model_holds_every_verdict_count_strongest_first(seed_report: Report):
    assert list(seed_report.verdict_counts) == [str(v) for v in Verdict]
    assert sum(seed_report.verdict_counts.values()) == len(seed_report.checks)
    assert seed_report.outcome.failing() is False
    assert seed_report.outcome.failing(["compatible"]) is True


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_views_write_in_pieces_and_the_pieces_make_the_whole(seed_report: Report, fmt: str):
    chunks = list(render(seed_report, fmt))
    assert len(chunks) > 3  # streamed, not one string built in memory
    assert "".join(chunks) == render_text(seed_report, fmt)


def test_streamed_json_is_exactly_what_json_dumps_writes(seed_report: Report):
    text = render_text(seed_report, "json")
    doc = json.loads(text)
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert [c["claim"] for c in doc["checks"]] == [c.claim for c in seed_report.checks]


def test_totals_rows_keep_exact_sums(seed_report: Report):
    (row,) = seed_report.totals
    assert dict(row.keys) == {"provider": "Russia", "status": "delivered"}
    assert (row.low, row.point, row.high) == (Decimal(4), Decimal(5), Decimal(6))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("90000"), "90,000"),
        (Decimal("0.30"), "0.3"),
        (Decimal("5E+3"), "5,000"),
        (Decimal("0.0000001"), "0.0000001"),
        (INF, "inf"),
        (3, "3"),
        (2.5, "2.5"),
        (float("inf"), "inf"),
    ],
)
def test_numbers_are_written_plainly(value, text: str):
    assert formatting.number(value) == text


def test_intervals_and_json_forms():
    i = Interval(Decimal(5), INF, True, True)
    assert formatting.interval(i, "t") == "(5, inf) t"
    assert str(i) == "(5, inf)"
    assert formatting.interval(None) == "?"
    assert formatting.json_interval(i, "t") == {
        "low": 5, "high": None, "low_open": True, "high_open": True, "unit": "t",
    }  # fmt: skip
    assert formatting.json_number(Decimal("0.5")) == 0.5
    assert formatting.json_number(Decimal("4.0")) == 4 and isinstance(
        formatting.json_number(Decimal("4.0")), int
    )


def test_html_view_escapes_through_the_template_engine(seed_report: Report):
    page = render_text(seed_report, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "claim&#39;s" in page  # an apostrophe of a sentence, escaped by the engine
    assert 'viewBox="0 0 560' in page  # the chart scales to the page


def test_the_package_ships_its_template():
    assert (Path(ledger.__file__).parent / "templates" / "report.html").is_file()
