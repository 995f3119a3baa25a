"""Graded overlap (issue 12, item 1): a zero or containing claim and a claim whose scope shares
part of its own, without lying inside it, are put side by side as a possible conflict, with
what they share; figures of one source that one may include are flagged (item 8); and every
report says what it checked (item 6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ledger import wording
from ledger.analysis import Analysis, analyse
from ledger.coverage import coverage
from ledger.scopes import Relation, relate

from .conftest import cli_run
from .test_analysis import UNITS, analysed, ledger_texts
from .test_orgs import ORGS, org_book

WEEK = "2016-11-28/2016-12-02"
UN_NONE = {
    "id": "un-none",
    "claimant": "Konashenkov",
    "provider": "United Nations",
    "quantity": "none",
    "places": ["eastern Aleppo"],
    "period": WEEK,
    "quote": "the UN has yet to deliver any aid to the residents of eastern Aleppo",
}


def unicef(**fields: Any) -> dict[str, Any]:
    """A delivery by a unit of the UN to Hananu 3 (in eastern Aleppo) and al-Mahalej camp
    (outside it), starting inside the week of UN_NONE and ending three days after it."""
    base = {
        "id": "unicef-convoy",
        "source": "src-b",
        "claimant": "UNICEF",
        "provider": "UNICEF",
        "quantity": "3 t",
        "places": ["Hananu 3", "al-Mahalej camp"],
        "period": "2016-12-01/2016-12-05",
    }
    return {**base, **fields}


def found(a: Analysis) -> list[tuple[str, str, str]]:
    return [(o.code, o.x.id, o.y.id) for o in a.overlaps]


def test_a_delivery_overlapping_a_zero_claims_scope_is_a_possible_conflict(tmp_path: Path):
    a = analyse(org_book(tmp_path, [UN_NONE, unicef()]))
    assert a.conflicts == []  # not inside: no contradiction
    assert found(a) == [("possible-zero-contradicted", "un-none", "unicef-convoy")]
    (o,) = a.overlaps
    assert o.relation == Relation.OVERLAPPING
    assert o.shared.places == ("Hananu 3",)  # al-Mahalej camp is not in eastern Aleppo
    assert o.shared.days == "2016-12-01/2016-12-02"
    said = wording.overlap(o)
    assert "Hananu 3 on 2016-12-01/2016-12-02" in said
    assert "If any of it was delivered there on those days" in said
    assert not a.failing()  # a possibility, not a contradiction


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"places": ["Hananu 3"], "period": "2016-11-29/2016-12-01"}, "inside"),
        ({"places": ["Saydnaya"]}, "no shared place"),
        ({"period": "2016-12-03/2016-12-05"}, "no shared day"),
        ({"provider": "Iran", "claimant": "Iran"}, "another provider"),
        ({"status": "pledged"}, "a pledge"),
        ({"status": "planned"}, "a plan"),
    ],
)
def test_no_possible_conflict_where_the_scopes_do_not_overlap(
    tmp_path: Path, fields: dict[str, Any], why: str
):
    a = analyse(org_book(tmp_path, [UN_NONE, unicef(**fields)]))
    assert a.overlaps == [], why
    if why == "inside":  # today's finding stays
        assert [(k.code, k.outer, k.inner) for k in a.conflicts] == [
            ("zero-contradicted", "un-none", "unicef-convoy")
        ]


def test_a_wider_provider_overlaps_a_zero_claim_of_one_of_its_units(tmp_path: Path):
    # "UNICEF gave nothing" and "the UN delivered 3 t": the UN's aid may or may not be UNICEF's
    zero = {**UN_NONE, "id": "unicef-none", "provider": "UNICEF"}
    delivery = unicef(id="un-convoy", provider="United Nations", places=["Hananu 3"],
                      period="2016-11-29/2016-12-01")  # fmt: skip
    a = analyse(org_book(tmp_path, [zero, delivery]))
    assert a.conflicts == []
    assert found(a) == [("possible-zero-contradicted", "unicef-none", "un-convoy")]


def test_one_finding_per_scope_however_many_claims(tmp_path: Path):
    zeros = [{**UN_NONE, "id": f"un-none-{n}"} for n in range(3)]
    deliveries = [unicef(id=f"convoy-{n}", quantity=f"{n + 1} t") for n in range(4)]
    a = analyse(org_book(tmp_path, zeros + deliveries))
    (o,) = a.overlaps
    assert [x.id for x in o.outers] == ["un-none-0", "un-none-1", "un-none-2"]
    assert sorted(y.id for y in o.inners) == [f"convoy-{n}" for n in range(4)]
    assert "3 claims say so" in wording.overlap(o)


def test_a_containing_claim_and_an_overlapping_figure_it_cannot_hold(tmp_path: Path):
    claims = [
        # 2 t to Aleppo city this week; it holds the 1 t to Hananu 3, so it is a containing claim
        {"id": "week", "quantity": "2 t", "places": ["Aleppo city"], "period": WEEK},
        {"id": "hananu", "quantity": "1 t", "places": ["Hananu 3"], "date": "2016-11-30",
         "source": "src-b"},
        # 5 t to Hananu 3 and Saydnaya: part of it may have gone to Aleppo city
        {"id": "wide", "quantity": "5 t", "places": ["Hananu 3", "Saydnaya"], "date": "2016-11-30",
         "source": "src-c"},
    ]  # fmt: skip
    a = analysed(tmp_path, claims)
    assert a.conflicts == []
    assert found(a) == [("possible-containment-conflict", "week", "wide")]
    said = wording.overlap(a.overlaps[0])
    assert "If more than 2 t of it fell there on those days, the two contradict" in said


def test_a_containing_claim_that_can_hold_an_overlapping_figure_is_not_flagged(tmp_path: Path):
    claims = [
        {"id": "week", "quantity": "20 t", "places": ["Aleppo city"], "period": WEEK},
        {"id": "hananu", "quantity": "1 t", "places": ["Hananu 3"], "date": "2016-11-30",
         "source": "src-b"},
        {"id": "wide", "quantity": "5 t", "places": ["Hananu 3", "Saydnaya"], "date": "2016-11-30",
         "source": "src-c"},
    ]  # fmt: skip
    assert analysed(tmp_path, claims).overlaps == []


CUMULATIVE = {
    "id": "since-2015",
    "quantity": "3,677.9 t",
    "places": ["Syria"],
    "period": "2015-09-30/2016-12-02",
    "quote": "In all, 3,677.9 t of humanitarian aid have been delivered since 2015",
}
TODAY = {
    "id": "today",
    "quantity": "2.45 t",
    "places": ["Aleppo city"],
    "date": "2016-12-02",
    "quote": "Today 2.45 t of humanitarian aid were delivered to Aleppo",
}


def test_a_consignment_and_a_cumulative_figure_of_one_source_are_flagged(tmp_path: Path):
    a = analysed(tmp_path, [CUMULATIVE, TODAY])
    assert found(a) == [("same-source-overlap", "since-2015", "today")]
    assert a.overlaps[0].relation == Relation.INSIDE
    assert "may already include" in wording.overlap(a.overlaps[0])


def test_the_same_figures_from_two_sources_are_ordinary_containment(tmp_path: Path):
    assert analysed(tmp_path, [CUMULATIVE, {**TODAY, "source": "src-b"}]).overlaps == []


def test_a_sum_of_link_settles_a_same_source_overlap(tmp_path: Path):
    total = {**CUMULATIVE, "quantity": "about 2.5 t", "sum_of": ["today"],
             "quote": "In all, about 2.5 t of humanitarian aid have been delivered since 2015"}  # fmt: skip
    assert analysed(tmp_path, [total, TODAY]).overlaps == []


def test_relate_grades_each_facet(tmp_path: Path):
    book = org_book(tmp_path, [UN_NONE, unicef(), unicef(id="inside", places=["Hananu 3"],
                    period="2016-11-29/2016-11-30")])  # fmt: skip
    x, y, z = (book.by_id[i] for i in ("un-none", "unicef-convoy", "inside"))
    assert relate(x, y, book)[0] == Relation.OVERLAPPING
    assert relate(x, z, book)[0] == Relation.INSIDE
    assert relate(z, x, book)[0] == Relation.OVERLAPPING  # the wider scope seen from inside
    assert relate(y, z, book)[0] == Relation.DISJOINT  # days 12-01..05 against 11-29..30


# --- coverage ---------------------------------------------------------------------------------


def test_coverage_counts_what_was_checked_and_found(tmp_path: Path):
    a = analyse(org_book(tmp_path, [UN_NONE, unicef()]))
    cov = coverage(a)
    assert (cov.summed, cov.counted, cov.containing, cov.zero, cov.deliveries) == (0, 0, 0, 1, 1)
    assert cov.findings == {"possible-zero-contradicted": 1}
    assert cov.line() == (
        "checked 0 summed, 0 counted, 0 containing and 1 zero claims against 1 deliveries; "
        "findings: 1 possible-zero-contradicted"
    )


def test_coverage_of_a_quiet_ledger_says_it_checked_and_found_none(tmp_path: Path):
    zero = {**UN_NONE, "id": "un-none"}
    cov = coverage(analyse(org_book(tmp_path, [zero])))
    assert cov.zero == 1 and cov.deliveries == 0
    assert cov.line().endswith("findings: none")


def _write(root: Path, claims: list[dict[str, Any]]) -> Path:
    files = {**ledger_texts(claims), "data/orgs.yaml": ORGS}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "data" / "units.txt").symlink_to(UNITS)
    return root / "data"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_every_report_format_has_the_coverage_line_and_the_possible_conflict(
    tmp_path: Path, fmt: str
):
    data = _write(tmp_path, [UN_NONE, unicef()])
    result = cli_run("report", str(data), "--format", fmt, "--no-cache")
    assert result.exit_code == 0, result.output
    if fmt == "json":
        doc = json.loads(result.output)
        assert doc["coverage"]["zero"] == 1
        assert doc["coverage"]["findings"] == {"possible-zero-contradicted": 1}
        (o,) = doc["overlaps"]
        assert (o["outer"]["claim"], o["inner"]["claim"]) == ("un-none", "unicef-convoy")
        assert o["shared"] == {"places": ["Hananu 3"], "days": "2016-12-01/2016-12-02"}
        return
    assert "checked 0 summed, 0 counted, 0 containing and 1 zero claims" in result.output
    assert "possible-zero-contradicted" in result.output
    assert "unicef-convoy" in result.output


def test_the_seed_reports_its_zero_claims_as_checked(tmp_path: Path):
    from .conftest import SEED_DATA

    result = cli_run("report", str(SEED_DATA), "--format", "json", "--no-cache")
    doc = json.loads(result.output)
    assert doc["coverage"]["zero"] == 7
    assert doc["coverage"]["summed"] == 1 and doc["coverage"]["counted"] == 1
    counts = {v: n for v, n in doc["verdict_counts"].items() if n}
    assert counts == {"supported": 1, "compatible": 1}  # the seed keeps its verdicts
