"""Totals that neither double-count nor understate (issue 12, items 3 and 4), on small ledgers
built in memory: a cumulative figure is shown beside the deliveries it contains, with the
combined reading of both; figures of different periods, running totals ("since ...") and
counts of people reached are never added into one figure unseen.
"""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ledger.analysis import analyse
from ledger.options import TotalsError
from ledger.report import build
from ledger.totals import totals
from ledger.views import render

from .conftest import REPO, cli_run
from .test_analysis import analysed, load_clean, write_ledger

D = Decimal
INF = Decimal("Infinity")
DAY = "2016-12-02"


def rows(frame) -> list[dict[str, Any]]:
    return frame.to_dict("records")


def cumulative(quantity: str = "3,677.9 t", **fields: Any) -> dict[str, Any]:
    """Russia's deliveries to all of Syria since 2015, as of the day."""
    return {
        "id": "cum",
        "quantity": quantity,
        "places": ["Syria"],
        "period": f"2015/{DAY}",
        **fields,
    }


def delivery(cid: str, quantity: str, place: str, when: str = DAY, **fields: Any) -> dict:
    return {"id": cid, "quantity": quantity, "places": [place], "date": when, **fields}


# --- containing claims bound the total ---------------------------------------------------------


def test_a_cumulative_containing_a_delivery_is_shown_beside_it(tmp_path: Path):
    # Issue 12 item 3: "3,677.9 t since 2015" contains today's 2.45 t. Leaving the cumulative
    # out gave Russia 2.45 t, a thousand times too low; adding it would count 2.45 t twice.
    a = analysed(tmp_path, [cumulative(), delivery("today", "2.45 t", "Aleppo city")])
    (row,) = rows(totals(a, by=("provider",)))
    assert (row["claims"], row["low"], row["point"], row["high"]) == (
        1,
        D("2.45"),
        D("2.45"),
        D("2.45"),
    )
    assert (row["stated_low"], row["stated_high"], row["stated_by"]) == (
        D("3677.9"),
        D("3677.9"),
        "cum",
    )
    assert (row["combined_low"], row["combined_high"]) == (D("3677.9"), D("3677.9"))
    assert (row["contained"], row["note"]) == (1, "")


def test_the_combined_reading_is_at_least_what_is_itemised_inside(tmp_path: Path):
    # "more than 3 t" since 2015 holds 2 t and 3 t: the total in its scope is at least 5 t,
    # with no upper bound; the 1 t in Beirut lies outside it and is added as it is.
    claims = [
        cumulative("more than 3 t"),
        delivery("a", "2 t", "Hananu 3", "2016-12-01"),
        delivery("b", "3 t", "Saydnaya"),
        delivery("c", "1 t", "Beirut"),
    ]
    (row,) = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    assert (row["claims"], row["point"]) == (3, D(6))
    assert (row["stated_low"], row["stated_high"]) == (D(3), INF)
    assert (row["combined_low"], row["combined_high"]) == (D(6), INF)
    assert row["contained"] == 2


def test_a_stated_figure_bounds_the_combined_reading_from_above(tmp_path: Path):
    # "about 12 t" [11.5, 12.5] holds "about 4 t" [3.5, 4.5]: the scope totals [11.5, 12.5].
    claims = [cumulative("about 12 t"), delivery("a", "about 4 t", "Hananu 3")]
    (row,) = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    assert (row["low"], row["high"]) == (D("3.5"), D("4.5"))
    assert (row["combined_low"], row["combined_high"]) == (D("11.5"), D("12.5"))


def test_a_stated_figure_too_small_for_what_it_holds_is_a_conflict(tmp_path: Path):
    claims = [cumulative("1 t"), delivery("a", "2.45 t", "Hananu 3")]
    a = analysed(tmp_path, claims)
    assert [k.code for k in a.conflicts] == ["containment-conflict"]
    (row,) = rows(totals(a, by=("provider",)))
    assert (row["stated_low"], row["note"]) == (D(1), "conflict")
    assert row["combined_low"] is None and row["combined_high"] is None


def test_nested_cumulatives_count_the_widest_once(tmp_path: Path):
    # Syria since 2015 holds Aleppo since 2016, which holds the day's delivery: one stated
    # figure (the widest), at least the narrower one's low end.
    claims = [
        cumulative("more than 100 t"),
        {
            "id": "aleppo",
            "quantity": "about 400 t",
            "places": ["Aleppo governorate"],
            "period": f"2016/{DAY}",
        },
        delivery("a", "2 t", "Hananu 3"),
    ]
    (row,) = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    assert (row["stated_by"], row["stated_low"]) == ("cum", D(100))
    assert row["combined_low"] == D(350)  # "about 400 t" is at least 350 t
    assert row["claims"] == 1


def test_a_sum_of_claim_with_all_its_parts_stays_represented_by_them(tmp_path: Path):
    claims = [
        {"id": "total", "quantity": "more than 5 t", "period": f"../{DAY}", "sum_of": ["p1", "p2"]},
        delivery("p1", "about 4 t", "Hananu 3"),
        delivery("p2", "about 1 t", "al-Mahalej camp"),
    ]
    (row,) = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    assert (row["claims"], row["low"], row["point"], row["high"]) == (2, D(4), D(5), D(6))
    assert (row["kind"], row["stated_by"], row["combined_low"]) == ("quantity", "", None)


# --- periods are never mixed silently ---------------------------------------------------------


def _days() -> list[dict[str, Any]]:
    return [
        delivery("d1", "1 t", "Hananu 3", "2016-12-01"),  # Thursday, ISO week 48
        delivery("d2", "2 t", "Saydnaya", "2016-12-02"),  # Friday, week 48
        delivery("d3", "4 t", "al-Mahalej camp", "2016-12-20"),  # week 51
        {"id": "two", "quantity": "8 t", "places": ["Beirut"], "period": "2016-12-01/2016-12-02"},
    ]


@pytest.mark.parametrize(
    ("per", "expected"),
    [
        ("day", {"2016-12-01": 1, "2016-12-01/2016-12-02": 8, "2016-12-02": 2, "2016-12-20": 4}),
        ("week", {"2016-W48": 11, "2016-W51": 4}),
        ("month", {"2016-12": 15}),
        ("stated", {"2016-12-01": 1, "2016-12-01/2016-12-02": 8, "2016-12-02": 2, "2016-12-20": 4}),
    ],
)
def test_totals_group_by_period(tmp_path: Path, per: str, expected: dict[str, int]):
    a = analysed(tmp_path, _days())
    table = rows(totals(a, by=("provider", "period"), per=per))
    assert {r["period"]: r["point"] for r in table} == {k: D(v) for k, v in expected.items()}
    assert list(totals(a, by=(f"period:{per}",)).columns[:2]) == ["period", "kind"]


def test_totals_across_periods_say_so(tmp_path: Path):
    (row,) = rows(totals(analysed(tmp_path, _days()), by=("provider",)))
    assert (row["point"], row["periods"], row["span"]) == (D(15), 4, "2016-12-01/2016-12-20")


def test_a_whole_month_or_year_keeps_its_written_form(tmp_path: Path):
    claims = [
        {"id": "nov", "quantity": "5 t", "places": ["Beirut"], "period": "2016-11"},
        {"id": "year", "quantity": "7 t", "places": ["Saydnaya"], "period": "2015"},
        delivery("d", "1 t", "Hananu 3"),
    ]
    table = rows(totals(analysed(tmp_path, claims), by=("period",)))
    assert {r["period"]: r["point"] for r in table} == {"2015": 7, "2016-11": 5, DAY: 1}


def test_per_without_period_adds_the_key_and_bad_ones_are_refused(tmp_path: Path):
    a = analysed(tmp_path, _days())
    assert "period" in totals(a, by=("provider",), per="month").columns
    with pytest.raises(TotalsError, match="fortnight"):
        totals(a, per="fortnight")
    with pytest.raises(TotalsError, match="place:week"):
        totals(a, by=("place:week",))


def test_a_day_and_a_since_start_count_of_people_are_not_added(tmp_path: Path):
    # Issue 12 item 4: food for 9,000 people today and "more than 15,000 people since the
    # start of the operation" elsewhere were added into one figure of 24,000+ people.
    claims = [
        delivery("today", "9,000 people", "Saydnaya", item="food"),
        {
            "id": "since",
            "quantity": "more than 15,000 people",
            "places": ["eastern Aleppo"],
            "period": f"../{DAY}",
            "item": "food",
        },
    ]
    table = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    got = {(r["kind"], r["span"]): (r["claims"], r["low"]) for r in table}
    assert got == {
        ("people reached", DAY): (1, D(9000)),
        ("running total, people reached", f"../{DAY}"): (1, D(15000)),
    }


def test_a_running_total_holding_the_day_is_its_own_row(tmp_path: Path):
    # The cumulative holds the day's figure: shown in its own row as the stated figure, with
    # the day's count inside it, never added to the dated row.
    claims = [
        delivery("today", "9,000 people", "Hananu 3", item="food"),
        {
            "id": "since",
            "quantity": "more than 15,000 people",
            "places": ["eastern Aleppo"],
            "period": f"../{DAY}",
            "item": "food",
        },
    ]
    table = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    dated, running = table
    assert (dated["kind"], dated["point"], dated["stated_by"]) == ("people reached", D(9000), "")
    assert (running["kind"], running["claims"], running["stated_by"]) == (
        "running total, people reached",
        0,
        "since",
    )
    assert (running["combined_low"], running["contained"]) == (D(15000), 1)


def test_running_totals_of_different_days_are_never_added(tmp_path: Path):
    claims = [
        {"id": "dec1", "quantity": "15,000 people", "period": "../2016-12-01", "item": "food"},
        {
            "id": "dec2",
            "quantity": "16,000 people",
            "places": ["Damascus governorate"],
            "period": f"../{DAY}",
            "item": "food",
        },
    ]
    table = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    assert sorted(r["point"] for r in table) == [D(15000), D(16000)]
    assert {r["kind"] for r in table} == {"running total, people reached"}


# --- people apart ---------------------------------------------------------------------------


def test_people_reached_are_apart_from_tons(tmp_path: Path):
    claims = [
        delivery("food", "2 t", "Hananu 3", item="food"),
        delivery("fed", "9,000 people", "Hananu 3", item="food", source="src-b"),
        delivery("families", "300 families", "Saydnaya", item="food"),
        delivery("blankets", "300 blankets", "Saydnaya", item="blankets"),
    ]
    table = rows(totals(analysed(tmp_path, claims), by=("provider",)))
    got = {r["unit"]: r["kind"] for r in table}
    assert got == {
        "t": "quantity",
        "blanket": "quantity",
        "person": "people reached",
        "family": "people reached",
    }
    assert [r["kind"] for r in table] == [
        "quantity",
        "quantity",
        "people reached",
        "people reached",
    ]


# --- the command line and the report ------------------------------------------------------------


def test_totals_cli_per_week_csv_and_a_note_in_text(tmp_path: Path):
    data = write_ledger(tmp_path, _days())
    result = cli_run("totals", str(data), "--per", "week", "--format", "csv")
    assert result.exit_code == 0, result.output
    got = {(r["period"], r["kind"]): r["point"] for r in csv.DictReader(io.StringIO(result.output))}
    assert got == {("2016-W48", "quantity"): "11", ("2016-W51", "quantity"): "4"}
    text = cli_run("totals", str(data), "--by", "provider").output
    assert "1 row(s) add figures of several periods" in text
    assert "2016-12-01/2016-12-20" in text


def test_totals_cli_shows_stated_and_combined(tmp_path: Path):
    data = write_ledger(tmp_path, [cumulative(), delivery("today", "2.45 t", "Aleppo city")])
    text = cli_run("totals", str(data), "--by", "provider").output
    assert "[3,677.9, 3,677.9]" in text and "cum" in text
    (row,) = json.loads(cli_run("totals", str(data), "--format", "json").output)
    assert (row["point"], row["stated_low"], row["combined_high"]) == (2.45, 3677.9, 3677.9)
    assert row["stated_by"] == "cum"


def test_totals_csv_neutralises_formula_like_text(tmp_path: Path):
    data = write_ledger(tmp_path, [delivery("a", "2 t", "Hananu 3", provider="=1+1")])
    result = cli_run("totals", str(data), "--by", "provider", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(result.output))
    assert row["provider"] == "'=1+1"


def test_report_totals_show_the_stated_figure_in_every_format(tmp_path: Path):
    book = load_clean(tmp_path, [cumulative(), delivery("today", "2.45 t", "Aleppo city")])
    report = build(analyse(book))
    doc = json.loads("".join(render(report, "json")))
    schema = json.loads((REPO / "ledger" / "schema" / "report.schema.json").read_text())
    jsonschema.validate(doc, schema)
    (row,) = doc["totals"]
    assert (row["kind"], row["stated_by"], row["combined_low"]) == ("quantity", "cum", 3677.9)
    for fmt in ("text", "markdown", "html"):
        out = "".join(render(report, fmt))
        assert "3,677.9" in out and "stated_by" in out, fmt


def test_seed_like_report_without_stated_figures_keeps_its_columns_short(tmp_path: Path):
    book = load_clean(tmp_path, [delivery("a", "2 t", "Hananu 3")])
    out = "".join(render(build(analyse(book)), "markdown"))
    assert "| provider | status | kind | unit |" in out
    assert "stated" not in out.split("## Totals", 1)[1].split("##", 1)[0]


# --- speed ---------------------------------------------------------------------------------------


def test_totals_with_many_cumulatives_grow_linearly():
    # 200 monthly cumulatives for the governorate, each holding 40 deliveries on days of its
    # month to neighbourhoods: matching every delivery with every cumulative would be
    # 1.6 million scope tests; through the index by place and periods it is 8,000.
    months = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(200)]
    claims = [
        {"id": f"m{m}", "quantity": "more than 100 t", "period": month}
        for m, month in enumerate(months)
    ]
    claims += [
        delivery(
            f"d{m}-{d}",
            "3 t",
            "Hananu 3" if d % 2 else "al-Mahalej camp",
            f"{month}-{d % 28 + 1:02d}",
        )
        for m, month in enumerate(months)
        for d in range(40)
    ]
    a = analysed(None, claims)
    started = time.perf_counter()
    (row,) = rows(totals(a, by=("provider",)))
    seconds = time.perf_counter() - started
    assert (row["claims"], row["contained"], row["note"]) == (8000, 8000, "")
    assert row["combined_low"] == D(200 * 120)  # each month: at least 40 x 3 t, more than 100 t
    assert seconds < 5, seconds


def test_totals_cli_refuses_an_unknown_per(tmp_path: Path):
    data = write_ledger(tmp_path, _days())
    result = cli_run("totals", str(data), "--per", "fortnight")
    assert result.exit_code == 2
    assert "fortnight" in result.output and "week" in result.output
