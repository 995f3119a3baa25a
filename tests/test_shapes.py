"""Shapes of valid ledgers that once blew up (issue 11): findings across claims grow with the
claims, not with their pairs.

A thousand claims of one scope from two sources made 250,000 `Duplicate` pairs (`report` took
34 s, and 2,000 claims ran out of 8 GB); 500 zero claims beside 500 deliveries in one scope made
250,000 `zero-contradicted` conflicts. Each shape is built in memory at full size with
`ledger.load_texts`; loading is not timed, the analysis, the report model and its JSON are.
The bound is generous (they take well under a second): a quadratic step takes tens of seconds.
"""

from __future__ import annotations

import json
import sqlite3
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from ledger import wording
from ledger.analysis import Analysis, analyse
from ledger.export import rows, to_sqlite
from ledger.loader import load_texts
from ledger.report import Report, build
from ledger.views import render, render_text

from .test_analysis import UNITS, ledger_texts

SECONDS = 20  # analyse + build + JSON: under 0.2 s measured at 2,000 claims
JSON_BYTES_PER_CLAIM = 2_000  # a claim is listed once per finding (about 900 bytes)
TRACED_BYTES_PER_CLAIM = 2_000  # Python memory at its peak, per claim (about 200 bytes measured)
WHERE = {"places": ["Hananu 3"], "date": "2016-12-02"}


def one_scope(n: int) -> list[dict[str, Any]]:
    """n claims of one delivery (one provider, item, place, day, figure) from two sources."""
    return [
        {"id": f"c{i}", "source": "src-b" if i % 2 else "src-a", "quantity": "about 4 t", **WHERE}
        for i in range(n)
    ]


def zeros_and_deliveries(zeros: int, deliveries: int) -> list[dict[str, Any]]:
    """Statements that Russia gave nothing, and deliveries by Russia, all in one scope."""
    said = [
        {
            "id": f"z{i}",
            "claimant": "Konashenkov",
            "quantity": "none",
            "quote": f"Statement {i}: Russia has yet to deliver anything.",
            **WHERE,
        }
        for i in range(zeros)
    ]
    given = [
        {"id": f"d{i}", "source": "src-b", "claimant": "Agency B", "quantity": "2 t", **WHERE}
        for i in range(deliveries)
    ]
    return said + given


def small_totals_over_big_deliveries(n: int) -> list[dict[str, Any]]:
    """Month totals for the governorate of 1 to 5 t, and deliveries of 11 to 19 t on one day
    to a neighbourhood inside it: every total is too small for every delivery, even with the
    figures read as rounded (5 t as up to 5.5 t, 11 t as from 10.5 t)."""
    totals = [
        {"id": f"o{i}", "claimant": "Ministry A", "quantity": f"{i % 5 + 1} t", "period": "2016-12"}
        for i in range(n // 2)
    ]
    inside = [
        {"id": f"i{i}", "source": "src-b", "claimant": "Agency B", "quantity": f"{i % 9 + 11} t"}
        for i in range(n // 2)
    ]
    return totals + [{**c, **WHERE} for c in inside]


def zeros_over_many_scopes(n: int) -> list[dict[str, Any]]:
    """Zero claims for the governorate's month, and deliveries on 28 days to two places in it
    (56 scopes inside the zero claims' one)."""
    said = [
        {"id": f"z{i}", "claimant": "Konashenkov", "quantity": "none", "period": "2016-12",
         "quote": f"Statement {i}: Russia has yet to deliver anything."}
        for i in range(n // 2)
    ]  # fmt: skip
    given = [
        {"id": f"d{i}", "source": "src-b", "claimant": "Agency B", "quantity": f"{i % 7 + 1} t",
         "places": ["Hananu 3" if i % 2 else "al-Mahalej camp"], "date": f"2016-12-{i % 28 + 1:02d}"}
        for i in range(n // 2)
    ]  # fmt: skip
    return said + given


def timed_report(claims: list[dict[str, Any]]) -> tuple[Analysis, Report, str, float]:
    """Load in memory (untimed), then analyse, build the report and write its JSON (timed)."""
    book = load_texts(ledger_texts(claims), units=UNITS)
    assert book.ok, [p.format() for p in book.problems][:5]
    started = time.perf_counter()
    analysis = analyse(book)
    report = build(analysis)
    text = render_text(report, "json")
    return analysis, report, text, time.perf_counter() - started


def assert_linear(analysis: Analysis, text: str, n: int, seconds: float) -> None:
    assert seconds < SECONDS
    assert len(text) < JSON_BYTES_PER_CLAIM * n
    assert len(analysis.conflicts) <= n and len(analysis.duplicates) <= n
    listed = sum(len(k.outers) + len(k.inners) for k in analysis.conflicts)
    listed += sum(len(d.members) for d in analysis.duplicates)
    assert listed <= 2 * n


@pytest.mark.parametrize("n", [1_000, 2_000])
def test_one_scope_from_two_sources_is_one_duplicate_group(n: int):
    analysis, report, text, seconds = timed_report(one_scope(n))
    assert_linear(analysis, text, n, seconds)
    (group,) = analysis.duplicates
    assert group.ids == tuple(analysis.by_id)  # every claim, in ledger order
    assert set(group.sources) == {"src-a", "src-b"}
    assert group.x.source != group.y.source
    assert analysis.conflicts == []  # one scope: none of them holds another
    message = wording.duplicate(group)
    assert message.startswith(f"{n:,} claims from 2 sources") and len(message) < 400
    (doc,) = json.loads(text)["duplicates"]
    assert len(doc["members"]) == n and sorted(doc["sources"]) == ["src-a", "src-b"]


def test_zero_claims_and_deliveries_in_one_scope_are_one_conflict():
    analysis, report, text, seconds = timed_report(zeros_and_deliveries(500, 500))
    assert_linear(analysis, text, 1_000, seconds)
    (k,) = analysis.conflicts
    assert k.code == "zero-contradicted"
    assert [x.id for x in k.outers] == [f"z{i}" for i in range(500)]
    assert [y.id for y in k.inners] == [f"d{i}" for i in range(500)]
    # it stands for every pair the rule finds: each statement against each delivery
    assert sum(1 for _ in analysis.pairs(k)) == 500 * 500
    assert analysis.failing() and report.outcome.conflicts == 1
    assert analysis.duplicates == []  # the deliveries come from one source, the zeros too
    message = wording.conflict(k)
    assert message.startswith("500 claims by Konashenkov say Russia gave none")
    assert "500 deliveries by Agency B" in message and len(message) < 400


def test_small_totals_over_big_deliveries_are_one_conflict():
    analysis, _, text, seconds = timed_report(small_totals_over_big_deliveries(1_000))
    assert_linear(analysis, text, 1_000, seconds)
    (k,) = analysis.conflicts
    assert k.code == "containment-conflict"
    assert (len(k.outers), len(k.inners)) == (500, 500)
    # smallest figure first, largest first: the clearest case leads
    assert (k.x.quantity_text, k.y.quantity_text) == ("1 t", "19 t")
    figures = [int(y.quantity_text.split()[0]) for y in k.inners]
    assert figures == sorted(figures, reverse=True)
    assert sum(1 for _ in analysis.pairs(k)) == 500 * 500


def test_zero_claims_over_many_scopes_are_one_conflict():
    analysis, _, text, seconds = timed_report(zeros_over_many_scopes(1_000))
    assert_linear(analysis, text, 1_000, seconds)
    (k,) = analysis.conflicts  # one for the zero claims' scope, whatever the scopes inside
    assert (k.code, len(k.outers), len(k.inners)) == ("zero-contradicted", 500, 500)
    assert k.y.quantity_text == "7 t"  # the largest delivery leads


def test_every_format_of_a_big_group_is_written_in_linear_size():
    n = 2_000
    _, report, _, _ = timed_report(one_scope(n))
    for fmt in ("text", "markdown", "html"):
        started = time.perf_counter()
        size = sum(len(chunk) for chunk in render(report, fmt))
        assert time.perf_counter() - started < SECONDS
        assert size < JSON_BYTES_PER_CLAIM * n, fmt


def test_sqlite_findings_hold_a_row_per_claim_not_per_pair(tmp_path: Path):
    elsewhere = [{**c, "places": ["Saydnaya"]} for c in one_scope(200)]
    book = load_texts(ledger_texts(zeros_and_deliveries(500, 500) + elsewhere), units=UNITS)
    analysis = analyse(book)
    (k,), (group,) = analysis.conflicts, analysis.duplicates
    db = tmp_path / "ledger.sqlite"
    to_sqlite(analysis, rows(analysis), db)
    con = sqlite3.connect(db)
    try:
        found = con.execute("SELECT claim_id, other_claim_id, code FROM findings").fetchall()
    finally:
        con.close()
    zeros = [(a, b) for a, b, code in found if code == "zero-contradicted"]
    duplicates = [(a, b) for a, b, code in found if code == "possible-duplicate"]
    # every claim of a finding has a row but the clearest pair's second, named in the first's
    assert len(zeros) == 999
    assert {a for a, _ in zeros} == {c.id for c in (*k.outers, *k.inners)} - {k.inner}
    for a, b in zeros:  # each row a pair that conflicts: a zero claim and a delivery
        zero, given = (a, b) if a.startswith("z") else (b, a)
        assert analysis.conflicting(analysis.by_id[zero], analysis.by_id[given])
    assert len(duplicates) == 199 and (group.a, group.b) in duplicates
    assert {a for a, _ in duplicates} == set(group.ids) - {group.b}


def test_peak_memory_of_a_big_group_is_linear():
    # The pairs of old (750,000 conflicts, 250,000 duplicates) took 60 MB here, 30 KB a claim,
    # in the analysis alone; the groups take about 200 bytes a claim, the JSON included.
    n = 1_000
    book = load_texts(
        ledger_texts(one_scope(n) + zeros_and_deliveries(n // 2, n // 2)), units=UNITS
    )
    tracemalloc.start()
    try:
        report = build(analyse(book))
        size = sum(len(chunk) for chunk in render(report, "json"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size < JSON_BYTES_PER_CLAIM * 2 * n
    assert peak < TRACED_BYTES_PER_CLAIM * 2 * n
