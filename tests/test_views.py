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


# --- conflicts and possible double counts: groups of claims ------------------------------------

GROUPS = [
    *({"id": f"none-{n}", "claimant": claimant, "quantity": "none",
       "quote": f"{claimant}: Russia has yet to deliver anything"}
      for n, claimant in enumerate(["Konashenkov", "Zakharova"])),
    *({"id": f"given-{n}", "source": "src-b", "claimant": "Agency B", "quantity": f"{n} t"}
      for n in (2, 7, 5)),
    *({"id": f"seen-{n}", "source": source, "claimant": f"Observer {n}", "quantity": "about 4 t",
       "places": ["Saydnaya"]}
      for n, source in enumerate(["src-a", "src-b", "src-c"])),
]  # fmt: skip


@pytest.fixture(scope="module")
def group_report() -> Report:
    """Two zero claims against three deliveries of their scope; three sources of one delivery."""
    from .test_analysis import load_memory

    book = load_memory(GROUPS)
    assert book.ok, [p.format() for p in book.problems]
    return build(analyse(book))


def test_the_model_holds_one_conflict_and_one_group(group_report: Report):
    (k,) = group_report.conflicts
    assert [x.id for x in k.outers] == ["none-0", "none-1"]
    assert [y.id for y in k.inners] == ["given-7", "given-5", "given-2"]
    (d,) = group_report.duplicates
    assert d.ids == ("seen-0", "seen-1", "seen-2")
    assert group_report.outcome.conflicts == 1 and group_report.outcome.failing()


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_every_view_lists_every_claim_of_a_conflict_and_a_group(group_report: Report, fmt: str):
    page = render_text(group_report, fmt)
    conflicts = page.index("onflicts")
    doubles = page.index("double counts") if fmt != "json" else page.index('"duplicates"')
    for claim in GROUPS:
        at = page.index(claim["id"], conflicts)  # listed in its finding, after the checks
        assert at < doubles if claim["id"].startswith(("none", "given")) else at > doubles
    for claimant in ("Konashenkov", "Zakharova"):
        assert f"{claimant}: Russia has yet to deliver anything" in page


def test_text_view_of_a_conflict_lists_each_side(group_report: Report):
    text = render_text(group_report, "text")
    tail = text[text.index("Conflicts between claims:") :].splitlines()
    assert tail[1].startswith(
        "  zero-contradicted: 2 claims by Konashenkov and Zakharova say Russia gave none"
    )
    assert tail[2] == "    about the whole scope (2):"
    assert tail[3].startswith("      none-0 (") and tail[3].endswith(
        ', Konashenkov, none: "Konashenkov: Russia has yet to deliver anything"'
    )
    assert tail[5] == "    within it (3):"
    assert [line.split()[0] for line in tail[6:9]] == ["given-7", "given-5", "given-2"]
    doubles = text[text.index("Possible double counts:") :].splitlines()
    assert doubles[1].startswith("  3 claims from 3 sources (src-a, src-b and src-c)")
    assert [line.split()[0] for line in doubles[2:5]] == ["seen-0", "seen-1", "seen-2"]
    assert ", src-c, Observer 2, about 4 t: " in doubles[4]


def test_json_of_a_conflict_and_a_group(group_report: Report):
    text = render_text(group_report, "json")
    doc = json.loads(text)
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    (k,) = doc["conflicts"]
    assert (k["outer"]["claim"], k["inner"]["claim"]) == ("none-0", "given-7")
    assert [c["claim"] for c in k["outers"]] == ["none-0", "none-1"]
    assert [c["claim"] for c in k["inners"]] == ["given-7", "given-5", "given-2"]
    assert k["message"].startswith("2 claims by Konashenkov and Zakharova say Russia gave none")
    (d,) = doc["duplicates"]
    assert d["sources"] == ["src-a", "src-b", "src-c"]
    assert (d["a"]["claim"], d["b"]["claim"]) == ("seen-0", "seen-1")
    assert [(m["claim"], m["same_as"]) for m in d["members"]] == [
        ("seen-0", None), ("seen-1", None), ("seen-2", None),
    ]  # fmt: skip
