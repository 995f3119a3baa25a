"""`report` and `totals` narrowed by --source, --claim, --verdict, --finding and --period:
the ledger is still checked whole, only what is shown (or added) is narrowed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ledger.analysis import analyse
from ledger.filters import FINDING_CODES, FilterError, ReportFilter
from ledger.overlaps import CODES as OVERLAP_CODES
from ledger.report import build
from ledger.views import render_text
from ledger.vocab import ReportFormat

from .conftest import REPO, cli_run
from .test_analysis import load_memory, write_ledger

# src-a: a supported total of December; src-b: a compatible total of November; src-c: a
# second report of a1's delivery (a possible double count).
CLAIMS: list[dict[str, Any]] = [
    {"id": "total-a", "quantity": "about 5 t", "sum_of": ["a1", "a2"]},
    {"id": "a1", "quantity": "2 t", "places": ["Aleppo city"]},
    {"id": "a2", "quantity": "3 t", "places": ["al-Mahalej camp"]},
    {"id": "total-b", "source": "src-b", "quantity": "more than 4 t", "period": "2016-11",
     "places": ["Beirut"], "sum_of": ["b1", "b2"]},
    {"id": "b1", "source": "src-b", "quantity": "about 2 t", "date": "2016-11-05",
     "places": ["Beirut"]},
    {"id": "b2", "source": "src-b", "quantity": "about 3 t", "date": "2016-11-06",
     "places": ["Beirut"]},
    {"id": "c1", "source": "src-c", "claimant": "Observer", "quantity": "about 2 t",
     "places": ["Aleppo city"]},
]  # fmt: skip
SCHEMA = json.loads((REPO / "ledger/schema/report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("filters"), CLAIMS)


def report(data: Path, *args: str) -> tuple[int, str]:
    result = cli_run("report", str(data), "--no-cache", *args)
    return result.exit_code, result.output


def report_json(data: Path, *args: str) -> dict[str, Any]:
    code, out = report(data, "--format", "json", *args)
    assert code in (0, 1), out
    doc = json.loads(out)
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc)) == []
    return doc


def shown(doc: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The checked claims, and the members of each group of double counts."""
    groups = [[m["claim"] for m in d["members"]] for d in doc["duplicates"]]
    return [c["claim"] for c in doc["checks"]], groups


def test_the_ledger_unfiltered(data: Path):
    doc = report_json(data)
    assert shown(doc) == (["total-a", "total-b"], [["a1", "c1"]])
    assert doc["filter"] is None


def test_source_shows_its_checks_and_keeps_the_whole_ledgers_counts(data: Path):
    doc = report_json(data, "--source", "src-b")
    assert shown(doc) == (["total-b"], [])
    assert doc["verdict_counts"]["supported"] == doc["verdict_counts"]["compatible"] == 1
    assert doc["coverage"]["summed"] == 2  # the whole ledger was checked
    assert doc["filter"]["shown"]["checks"] == 1 and doc["filter"]["of"]["checks"] == 2
    assert doc["filter"]["options"]["source"] == ["src-b"]
    assert [(r["claims"], r["low"], r["high"]) for r in doc["totals"]] == [(2, 4, 6)]


def test_a_claim_shows_the_checks_and_groups_it_is_part_of(data: Path):
    assert shown(report_json(data, "--claim", "a1")) == (["total-a"], [["a1", "c1"]])
    assert shown(report_json(data, "--claim", "b2", "--claim", "c1")) == (
        ["total-b"],
        [["a1", "c1"]],
    )


def test_verdict_and_finding_pick_kinds_of_result(data: Path):
    assert shown(report_json(data, "--verdict", "compatible")) == (["total-b"], [])
    assert shown(report_json(data, "--finding", "possible-double-count")) == ([], [["a1", "c1"]])
    both = report_json(data, "--verdict", "supported", "--finding", "possible-double-count")
    assert shown(both) == (["total-a"], [["a1", "c1"]])
    # across options, all must hold: src-b has no supported check
    assert shown(report_json(data, "--verdict", "supported", "--source", "src-b")) == ([], [])


def test_period_picks_claims_whose_period_overlaps_it(data: Path):
    assert shown(report_json(data, "--period", "2016-11")) == (["total-b"], [])
    assert shown(report_json(data, "--period", "2016-11-30/2016-12-01")) == (
        ["total-a", "total-b"],
        [["a1", "c1"]],
    )
    assert shown(report_json(data, "--period", "../2016-10-31")) == ([], [])


@pytest.mark.parametrize("fmt", [f.value for f in ReportFormat if f != ReportFormat.JSON])
def test_every_format_is_filtered_and_says_so(data: Path, fmt: str):
    code, whole = report(data, "--format", fmt)
    assert code == 0 and "total-a" in whole and "total-b" in whole
    code, out = report(data, "--format", fmt, "--source", "src-b")
    assert code == 0, out
    assert "total-b" in out and "total-a" not in out
    assert "shown: 1 of 2 checks, 0 of 1 possible double counts (--source src-b)" in out
    assert "checked 2 summed" in out  # the coverage line is still the whole ledger's


def test_the_exit_status_stays_the_whole_ledgers(data: Path):
    # total-b is compatible: a filter that hides it does not hide the failure from CI
    code, _ = report(data, "--source", "src-a", "--fail-on", "compatible")
    assert code == 1
    assert report(data, "--source", "src-a")[0] == 0


@pytest.mark.parametrize("command", ["report", "totals"])
def test_unknown_ids_are_refused_with_a_suggestion(data: Path, command: str):
    result = cli_run(command, str(data), "--source", "src-x")
    assert result.exit_code == 2
    assert "no source `src-x` in the ledger" in result.output and "`src-a`" in result.output
    result = cli_run(command, str(data), "--claim", "totl-a")
    assert result.exit_code == 2
    assert "no claim `totl-a`" in result.output and "Did you mean `total-a`" in result.output
    result = cli_run(command, str(data), "--period", "2016-13")
    assert result.exit_code == 2 and "--period" in result.output
    assert "Traceback" not in result.output


def test_verdict_and_finding_are_choices():
    assert cli_run("report", "--verdict", "wrong").exit_code == 2
    result = cli_run("report", "--finding", "scope-plaec")
    assert result.exit_code == 2 and "scope-place" in result.output


def totals_json(data: Path, *args: str) -> list[dict[str, Any]]:
    result = cli_run("totals", str(data), "--format", "json", "--by", "source", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rows(table: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["source"], r["claims"], r["low"], r["point"], r["high"]) for r in table]


def test_totals_add_only_the_picked_claims(data: Path):
    assert rows(totals_json(data)) == [
        ("src-a", 2, 5, 5, 5), ("src-b", 2, 4, 5, 6), ("src-c", 1, 1.5, 2, 2.5),
    ]  # fmt: skip
    assert rows(totals_json(data, "--source", "src-a")) == [("src-a", 2, 5, 5, 5)]
    assert rows(totals_json(data, "--period", "2016-11-06")) == [("src-b", 1, 2.5, 3, 3.5)]
    assert rows(totals_json(data, "--source", "src-a", "--source", "src-c")) == [
        ("src-a", 2, 5, 5, 5), ("src-c", 1, 1.5, 2, 2.5),
    ]  # fmt: skip
    assert rows(totals_json(data, "--claim", "a2", "--period", "2016-12")) == [
        ("src-a", 1, 3, 3, 3)
    ]


def test_the_cache_never_mixes_filtered_and_unfiltered(tmp_path: Path):
    data = write_ledger(tmp_path, CLAIMS)
    ask = ("report", str(data), "--format", "json")
    whole = cli_run(*ask).stdout
    filtered = cli_run(*ask, "--source", "src-b").stdout
    assert shown(json.loads(filtered)) == (["total-b"], [])
    assert cli_run(*ask).stdout == whole  # not the filtered answer
    assert cli_run(*ask, "--source", "src-b").stdout == filtered
    assert cli_run(*ask, "--source", "src-a").stdout != filtered
    totals = ("totals", str(data), "--format", "json")
    narrow = cli_run(*totals, "--source", "src-a").stdout
    wide = cli_run(*totals).stdout
    assert json.loads(wide)[0]["claims"] == 5 and json.loads(narrow)[0]["claims"] == 2
    assert cli_run(*totals, "--source", "src-a").stdout == narrow


# --- the library ----------------------------------------------------------------------------


def test_the_filter_checks_its_words():
    with pytest.raises(FilterError, match="Did you mean `compatible`"):
        ReportFilter(verdicts=("compatable",))
    with pytest.raises(FilterError, match="scope-place"):
        ReportFilter(findings=("scope-plac",))
    with pytest.raises(FilterError, match="--period"):
        ReportFilter(periods=("2016-12-02/2016-12-01",))
    f = ReportFilter.of(sources=["a,b", " a "], periods=["2016-12"])
    assert f.sources == ("a", "b") and f.active and f.picks_claims
    assert f.describe() == "--source a --source b --period 2016-12"
    assert not ReportFilter().active


def test_every_finding_code_can_be_named():
    assert set(OVERLAP_CODES) <= set(FINDING_CODES)
    book = load_memory(CLAIMS)
    from ledger.coverage import coverage

    assert set(coverage(analyse(book)).findings) <= set(FINDING_CODES)


def test_build_validates_and_narrows_in_memory():
    analysis = analyse(load_memory(CLAIMS))
    with pytest.raises(FilterError, match="Did you mean `a1`"):
        build(analysis, ReportFilter(claims=("a11",)))
    model = build(analysis, ReportFilter(periods=("2016-11",)))
    assert [c.claim for c in model.checks] == ["total-b"]
    assert model.whole is not None and model.whole.checks == 2
    assert model.outcome.verdicts == build(analysis).outcome.verdicts
    text = render_text(model, "text")
    assert "shown: 1 of 2 checks, 0 of 1 possible double counts (--period 2016-11)" in text
