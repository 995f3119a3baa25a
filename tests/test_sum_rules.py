"""Issue 12, items 2 and 7: the point check on bounds, unweighed parts (`sum_as`) and counted
actions (`count_of` groups), on small ledgers built in memory (or in tmp_path for the cache).

Each ledger comes from `tests/test_analysis.py:ledger_texts`, so a test states only the claims
that matter to it; problems are asserted by code, file and line, never by traceback.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import ledger
from ledger import wording
from ledger.analysis import SumCheck, analyse
from ledger.cache import FOLDER, _record
from ledger.intervals import INF, Interval
from ledger.report import build
from ledger.views import render_text

from .conftest import REPO
from .test_analysis import check_of, ledger_texts, load_clean, load_memory, summed, write_ledger

CLAIM_FILE = "data/claims/src-a.yaml"
D = Decimal


def check(claims: list[dict[str, Any]], cid: str = "total") -> SumCheck:
    return check_of(analyse(load_clean(Path("."), claims)), cid)


def json_checks(book: ledger.Ledger) -> dict[str, dict[str, Any]]:
    """The report's JSON checks by claim id."""
    doc = json.loads(render_text(build(analyse(book)), "json"))
    return {c["claim"]: c for c in doc["checks"]}


def line_in(claims: list[dict[str, Any]], needle: str, after: int = 0) -> int:
    """The line of the claim file `ledger_texts` writes for `claims` that holds `needle`, plus
    `after` (a block list's value starts on the line after its key)."""
    text = ledger_texts(claims)[CLAIM_FILE]
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line) + after


def problems_of(book: ledger.Ledger, *codes: str) -> list[tuple[str, str, int]]:
    return [(p.code, p.file, p.line) for p in book.problems if p.code in codes]


# --- the point check on bounds (item 2) -------------------------------------------------------

# one part restated as the claim, for every qualifier family: (phrase, the part at face value)
RESTATED = [
    ("5 t", Interval.point(D(5))),
    ("about 4 t", Interval.point(D(4))),
    ("between 2 and 3 t", Interval.point(D("2.5"))),
    ("nearly 5 t", Interval(D(4), D(5), False, True)),
    ("more than 2.8 t", Interval(D("2.8"), INF, True, True)),
    ("at least 2.8 t", Interval(D("2.8"), INF, False, True)),
    ("up to 3 t", Interval(D(0), D(3))),
    ("less than 3 t", Interval(D(0), D(3), False, True)),
]


@pytest.mark.parametrize(("phrase", "face"), RESTATED, ids=[p for p, _ in RESTATED])
def test_a_restated_figure_of_every_family_passes_the_point_check(phrase: str, face: Interval):
    c = check(summed(phrase, [phrase]))
    assert c.point_range == face  # a point for figures that state one, else the bound's range
    assert c.point_holds is True
    sentence = wording.point_check(c, phrase)
    assert "which is not" not in sentence and "may or may not" not in sentence
    assert sentence.endswith(f"which is {phrase} (stated interval {c.figure.stated} t).")


def test_the_issue_case_more_than_restated_is_no_alarm():
    c = check(summed("more than 2.8 t", ["more than 2.8 t"]))
    assert c.verdict == "supported"
    assert c.point_holds is True
    assert wording.point_check(c, "more than 2.8 t") == (
        "more than 2.8 t = more than 2.8 t, which is more than 2.8 t "
        "(stated interval (2.8, inf) t)."
    )


# claim, parts, point_holds, the parts' sum at face value as the point check writes it
BOUND_CASES = [
    ("at least 3 t", ["more than 2 t", "1 t"], True, "more than 3 t"),
    ("more than 5 t", ["more than 2 t", "1 t"], None, "more than 3 t"),
    ("about 2 t", ["more than 2 t", "1 t"], False, "more than 3 t"),
    ("up to 5 t", ["up to 3 t", "up to 2 t"], True, "up to 5 t"),
    ("less than 5 t", ["up to 3 t", "up to 2 t"], None, "up to 5 t"),
    ("more than 5 t", ["up to 3 t", "up to 2 t"], False, "up to 5 t"),
    ("less than 5 t", ["less than 3 t", "2 t"], True, "[2, 5) t"),
    ("nearly 5 t", ["nearly 3 t", "2 t"], True, "[4, 5) t"),
]


@pytest.mark.parametrize(("total", "parts", "holds", "face"), BOUND_CASES)
def test_bounds_compare_with_bounds_or_leave_the_point_check_open(
    total: str, parts: list[str], holds: bool | None, face: str
):
    c = check(summed(total, parts))
    assert c.point_holds is holds
    sentence = wording.point_check(c, total)
    assert f" = {face}, " in sentence
    if holds is None:
        assert "may or may not be" in sentence and "leave the point check open" in sentence


def test_an_open_point_check_is_null_in_json():
    book = load_clean(Path("."), summed("more than 5 t", ["more than 2 t", "1 t"]))
    c = json_checks(book)["total"]
    assert c["point_holds"] is None
    assert c["point_range"] == {
        "low": 3, "high": None, "low_open": True, "high_open": True, "unit": "t"
    }  # fmt: skip


# --- unweighed parts (item 7) -----------------------------------------------------------------


def convoy(total: str, sum_as: str | None = "unknown", **kits: Any) -> list[dict[str, Any]]:
    """ "about 2 tonnes of food and 500 food kits" under a tonnage total."""
    kit = {"id": "kits", "quantity": "500 kits", "item": "food", "sum_as": sum_as, **kits}
    return [
        {"id": "total", "quantity": total, "sum_of": ["food", "kits"]},
        {"id": "food", "quantity": "about 2 t", "item": "food"},
        kit,
    ]


@pytest.mark.parametrize(
    ("total", "verdict", "holds"),
    [
        ("more than 1 t", "supported", True),  # [1.5, inf) lies in (1, inf)
        ("about 3 t", "compatible", None),
        ("0.5 t", "contradicted", False),  # below the weighed parts' low end, even rounded
    ],
)
def test_an_unweighed_part_makes_the_sum_a_lower_bound(total: str, verdict: str, holds: bool):
    c = check(convoy(total))
    assert c.verdict == verdict
    assert c.sum == Interval(D("1.5"), INF, False, True)
    assert c.point_holds is holds
    assert [p.claim for p in c.parts if p.weight is not None] == ["kits"]
    said = wording.explanation(c)
    assert "kits (unknown: [0, inf) t)" in said and "lower bound" in said
    assert "unknown (kits)" in wording.point_check(c, total)


def test_without_sum_as_the_dimensions_differ_and_the_reason_says_what_to_write():
    c = check(convoy("more than 1 t", sum_as=None))
    assert c.verdict == "incomparable"
    assert "`sum_as: unknown`" in wording.reason(c)


def test_sum_as_a_figure_in_kg_is_added_in_tonnes():
    c = check(convoy("more than 2 t", sum_as="at least 1,000 kg"))
    assert c.verdict == "supported"
    assert c.sum == Interval(D("2.5"), INF, False, True)
    assert c.point_holds is True  # 2 t + at least 1 t = at least 3 t
    assert "at least 1 t (kits)" in wording.point_check(c, "more than 2 t")


def test_sum_as_in_another_dimension_than_the_sum_is_not_used():
    c = check(convoy("more than 1 t", sum_as="at least 100 L"))
    assert c.verdict == "incomparable"
    assert c.unusable[0] == "dimensions-differ"


def test_a_part_of_the_sums_own_dimension_ignores_its_sum_as():
    """The kits counted in kits: their own figure counts, `sum_as` is only for tonnes."""
    claims = [
        {"id": "total", "quantity": "500 kits", "item": "food", "sum_of": ["kits"]},
        {"id": "kits", "quantity": "500 kits", "item": "food", "sum_as": "unknown",
         "places": ["Hananu 3"]},
    ]  # fmt: skip
    c = check(claims)
    assert c.verdict == "supported"
    assert all(p.weight is None for p in c.parts)


def test_json_names_the_unweighed_parts():
    c = json_checks(load_clean(Path("."), convoy("more than 1 t")))["total"]
    assert c["unweighed"] == [{"claim": "kits", "sum_as": "unknown"}]
    assert c["sum"]["high"] is None and c["sum"]["low"] == 1.5


@pytest.mark.parametrize(
    ("sum_as", "code", "after"),
    [
        ("lots of t", "sum-as-invalid", 0),
        ("at least 2 tunn", "sum-as-invalid", 0),
        ("none", "sum-as-invalid", 0),
        ("at least 5", "sum-as-invalid", 0),
        (7, "type-invalid", 0),
        (["unknown"], "type-invalid", 1),
    ],
)
def test_a_bad_sum_as_is_a_problem_at_its_line(sum_as: Any, code: str, after: int):
    claims = convoy("more than 1 t", sum_as=sum_as)
    book = load_memory(claims)
    hits = [p for p in book.problems if p.code == code]
    assert [(p.file, p.line, p.severity) for p in hits] == [
        (CLAIM_FILE, line_in(claims, "sum_as:", after), "error")
    ]
    assert "sum_as" in hits[0].message
    assert check_of(analyse(book), "total").verdict == "incomparable"  # no traceback either


def test_sum_as_in_the_claims_own_dimension_is_a_warning():
    claims = [*summed("3 t", ["1 t", "2 t"])]
    claims[1]["sum_as"] = "at least 1 t"
    book = load_memory(claims)
    assert problems_of(book, "sum-as-redundant") == [
        ("sum-as-redundant", CLAIM_FILE, line_in(claims, "sum_as"))
    ]
    assert check_of(analyse(book), "total").verdict == "supported"


# --- counting actions (item 7) ----------------------------------------------------------------


def actions(total: str, count_of: list[Any]) -> list[dict[str, Any]]:
    """A count over a convoy (food and kits, two claims of one action) and two deliveries."""
    parts = [
        {"id": "a", "quantity": "1 t", "places": ["Hananu 3"]},
        {"id": "b-food", "quantity": "2 t", "places": ["al-Mahalej camp"]},
        {"id": "b-kits", "quantity": "500 kits", "places": ["al-Mahalej camp"]},
        {"id": "c", "quantity": "3 t", "places": ["Saydnaya"]},
    ]
    head = {
        "id": "events",
        "quantity": total,
        "item": "humanitarian events",
        "places": ["Syria"],
        "count_of": count_of,
    }
    return [head, *parts]


def test_a_grouped_count_counts_actions_not_claims():
    c = check(actions("three events", ["a", ["b-food", "b-kits"], "c"]), "events")
    assert c.verdict == "supported"
    assert c.point_holds is True
    assert c.actions == [("a",), ("b-food", "b-kits"), ("c",)]
    assert [p.claim for p in c.parts] == ["a", "b-food", "b-kits", "c"]  # parts stay flat
    assert wording.point_check(c, "three events") == (
        "3 actions listed (4 claims); the claim states 3."
    )


def test_a_grouped_count_keeps_flat_references_for_every_other_stage():
    book = load_clean(Path("."), actions("three events", ["a", ["b-food", "b-kits"], "c"]))
    head = book.claim("events")
    assert head.count_of == ("a", "b-food", "b-kits", "c")
    assert head.parts == ("a", "b-food", "b-kits", "c")
    assert head.count_groups == (("a",), ("b-food", "b-kits"), ("c",))
    assert "events" in analyse(book).aggregates


def test_json_shows_the_actions_and_validates():
    book = load_clean(Path("."), actions("three events", ["a", ["b-food", "b-kits"], "c"]))
    doc = json.loads(render_text(build(analyse(book)), "json"))
    (c,) = [c for c in doc["checks"] if c["claim"] == "events"]
    assert c["actions"] == [["a"], ["b-food", "b-kits"], ["c"]]
    schema = json.loads((REPO / "ledger/schema/report.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(doc)] == []


# count_of as written, the problem's code, and the line it must point at: the bad item's own
# line, or (for a reference) the list's, which starts on the line after `count_of:`
BAD_GROUPS = [
    (["a", ["b-food", ["b-kits"]], "c"], "count-of-group-nested", "- - b-food", 0),
    (["a", [], "c"], "count-of-group-empty", "- []", 0),
    (["a", ["b-food", 5], "c"], "type-invalid", "- - b-food", 0),
    (["a", ["b-food"], {"b": "c"}], "type-invalid", "- b: c", 0),
    (["a", ["b-food", "ghost"], "c"], "count-of-unknown", "count_of:", 1),
    (["a", ["b-food", "a"], "c"], "count-of-duplicate", "count_of:", 1),
    (["a", ["b-food", "events"]], "count-of-self", "count_of:", 1),
]


@pytest.mark.parametrize(
    ("count_of", "code", "needle", "after"), BAD_GROUPS, ids=[b[1] for b in BAD_GROUPS]
)
def test_bad_groups_are_problems_at_their_lines(
    count_of: list[Any], code: str, needle: str, after: int
):
    claims = actions("three events", count_of)
    book = load_memory(claims)
    assert problems_of(book, code) == [(code, CLAIM_FILE, line_in(claims, needle, after))]
    json_checks(book)  # the report is written, whatever the problems


def test_groups_are_for_count_of_only():
    claims = summed("3 t", ["1 t", "2 t"])
    claims[0]["sum_of"] = ["p1", ["p2"]]
    book = load_memory(claims)
    assert problems_of(book, "type-invalid") == [
        ("type-invalid", CLAIM_FILE, line_in(claims, "sum_of:", 1))
    ]
    (problem,) = [p for p in book.problems if p.code == "type-invalid"]
    assert "`count_of` only" in problem.message  # says where brackets do belong


# --- the parse cache ----------------------------------------------------------------------------


def test_a_warm_load_gives_the_same_claims_for_groups_and_sum_as(tmp_path: Path):
    claims = [
        *convoy("more than 1 t"),
        *actions("three events", ["a", ["b-food", "b-kits"], "c"]),
    ]
    data = write_ledger(tmp_path, claims)
    cold = ledger.load(data, use_cache=False)
    ledger.load(data)  # fills the cache
    warm = ledger.load(data)
    assert [c.content() for c in warm.entries] == [c.content() for c in cold.entries]
    assert [p.as_dict() for p in warm.problems] == [p.as_dict() for p in cold.problems]
    assert warm.claim("events").count_groups == (("a",), ("b-food", "b-kits"), ("c",))
    assert warm.claim("kits").sum_as.unknown
    stored = json.loads(next((data / FOLDER / "claims").glob("*.json")).read_text())
    assert stored["records"]  # the warm load read records back from plain JSON


def test_the_cache_reads_groups_back_and_refuses_bad_ones():
    base = {"line": 3, "lines": {}}
    rec = _record({**base, "count_of": ["a", ["b", "c"]], "sum_as": "unknown"}, "f.yaml")
    assert rec["count_of"] == ("a", ("b", "c")) and rec["sum_as"] == "unknown"
    for bad in (["a", []], ["a", [["b"]]], ["a", [1]], ["a", 1]):
        with pytest.raises(ValueError):
            _record({**base, "count_of": bad}, "f.yaml")
    with pytest.raises(ValueError):
        _record({**base, "sum_of": ["a", ["b"]]}, "f.yaml")


def test_the_claim_file_schema_takes_both_new_shapes():
    """An editor must not mark as wrong what `check` accepts (and must mark what it refuses)."""
    schema = json.loads((REPO / "ledger/schema/claims.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    base = {
        "claimant": "Ministry of Defence", "provider": "Russia", "status": "delivered",
        "item": "food", "places": ["Aleppo governorate"], "period": "2016-12-01/2016-12-02",
        "quote": "...",
    }  # fmt: skip

    def valid(**claim: Any) -> bool:
        return validator.is_valid({"source": "s", "claims": [{**base, **claim}]})

    assert valid(id="kits", quantity="500 kits", sum_as="unknown")
    assert valid(id="n", quantity="three events", count_of=["a", ["b-food", "b-kits"], "c"])
    assert not valid(id="n", quantity="three events", count_of=["a", ["b", ["c"]]])
    assert not valid(id="n", quantity="three events", count_of=["a", []])


def test_the_text_report_counts_actions_where_count_of_groups_claims():
    book = load_clean(Path("."), actions("three events", ["a", ["b-food", "b-kits"], "c"]))
    text = render_text(build(analyse(book)), "text")
    assert "count of parts: [3, 3] actions" in text  # it said "[3, 3] parts" for 4 claims
