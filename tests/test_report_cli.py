"""`aid-ledger report` and `aid-ledger totals` through click's CliRunner: formats, exit codes,
the seed ledger's verdicts, and a self-contained, escaped HTML file."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, SEED_CLAIMS, SEED_DATA, SEED_REPO, Page, cli_run
from .test_analysis import summed, write_ledger

DATA = str(SEED_DATA)
TOTAL = "ru-mod-2016-12-02-aleppo-damascus-total"
EVENTS = "ru-mod-2016-12-02-events"
SCRIPT = "<script>alert(1)</script>"


def report_json(path: str | Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = cli_run("report", str(path), "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def check_by_id(doc: dict[str, Any], claim: str) -> dict[str, Any]:
    hits = [c for c in doc["checks"] if c["claim"] == claim]
    assert len(hits) == 1, [c["claim"] for c in doc["checks"]]
    return hits[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def seed_document(data: Path) -> Path:
    return data.parent / "seeds" / "2016-12-03-sputnik-russia-iran-aleppo.txt"


def contradict_seed(data: Path) -> None:
    """Make the seed's headline "more than 9 metric tons": its parts ([4, 6] t) cannot reach it."""
    edit(seed_document(data), "more than 5 metric tons", "more than 9 metric tons")
    claims = data / SEED_CLAIMS
    edit(claims, "more than 5 metric tons", "more than 9 metric tons")
    edit(claims, "quantity: more than 5 t", "quantity: more than 9 t")


# --- the seed ledger's JSON report ---------------------------------------------------------------


def test_seed_json_report_total_is_compatible_not_supported():
    code, doc = report_json(DATA)
    assert code == 0
    c = check_by_id(doc, TOTAL)
    assert c["verdict"] == "compatible"
    assert c["kind"] == "sum"
    assert c["point_holds"] is False
    assert c["point_sum"] == 5
    assert c["stated"] == {
        "low": 5,
        "high": None,
        "low_open": True,
        "high_open": True,
        "unit": "t",
    }
    assert c["sum"] == {"low": 4, "high": 6, "low_open": False, "high_open": False, "unit": "t"}
    assert "not" in c["point_check"] and "5 t" in c["point_check"]


def test_seed_json_report_shows_every_parts_interval():
    _, doc = report_json(DATA)
    parts = {p["claim"]: p for p in check_by_id(doc, TOTAL)["parts"]}
    assert set(parts) == {"ru-mod-2016-12-02-hananu-mahalej", "ru-mod-2016-12-02-saydnaya"}
    hananu = parts["ru-mod-2016-12-02-hananu-mahalej"]["interval"]
    assert (hananu["low"], hananu["high"], hananu["unit"]) == (3.5, 4.5, "t")
    saydnaya = parts["ru-mod-2016-12-02-saydnaya"]
    assert (saydnaya["interval"]["low"], saydnaya["interval"]["high"]) == (0.5, 1.5)
    assert "Seid Naya" in saydnaya["quote"]


def test_seed_json_report_scope_place_names_saydnaya():
    _, doc = report_json(DATA)
    findings = check_by_id(doc, TOTAL)["findings"]
    place = [f for f in findings if f["code"] == "scope-place"]
    assert len(place) == 1
    assert place[0]["part"] == "ru-mod-2016-12-02-saydnaya"
    assert "Saydnaya" in place[0]["message"]
    assert "Rural Damascus" in place[0]["message"]
    assert all(f["part"] != "ru-mod-2016-12-02-hananu-mahalej" for f in findings)


def test_seed_json_report_events_checked_by_count():
    _, doc = report_json(DATA)
    c = check_by_id(doc, EVENTS)
    assert c["kind"] == "count"
    assert c["verdict"] == "supported"
    assert c["point_holds"] is True
    assert (c["sum"]["low"], c["sum"]["high"]) == (2, 2)
    assert len(c["parts"]) == 2


def test_seed_json_report_counts_and_tolerances():
    _, doc = report_json(DATA)
    counts = doc["verdict_counts"]
    assert sum(counts.values()) == len(doc["checks"])
    assert counts["compatible"] >= 1 and counts["contradicted"] == 0
    assert doc["problems"]["errors"] == 0
    about = [t for t in doc["tolerances"] if t["qualifier"].startswith("about")]
    assert about and "0.5" in about[0]["interval"]


def test_custom_tolerance_shows_in_the_report(tmp_path: Path):
    data = write_ledger(
        tmp_path,
        summed("at least 96 t", ["about 90 t"]),
        config="tolerance:\n  about: {relative: 0.1}\n",
    )
    code, doc = report_json(data)
    assert code == 0
    c = check_by_id(doc, "total")
    assert c["verdict"] == "compatible"
    assert (c["sum"]["low"], c["sum"]["high"]) == (81, 99)
    about = [t for t in doc["tolerances"] if t["qualifier"].startswith("about")]
    assert "0.1" in about[0]["interval"]


# --- every format ------------------------------------------------------------------------------


def test_text_report_on_the_seed():
    result = cli_run("report", DATA)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert re.search(rf"COMPATIBLE\s+{TOTAL}", out)
    assert "(5, inf) t" in out and "[4, 6] t" in out and "[3.5, 4.5] t" in out
    assert "[scope-place]" in out and "Saydnaya" in out
    assert "more than 5 metric tons" in out  # the quote


def test_text_report_colour_can_be_forced():
    coloured = cli_run("report", DATA, "--color")
    assert coloured.exit_code == 0
    assert "\x1b[" in coloured.output
    plain = cli_run("report", DATA, "--no-color")
    assert "\x1b[" not in plain.output
    assert "COMPATIBLE" in plain.output


def test_markdown_report_on_the_seed():
    result = cli_run("report", DATA, "--format", "markdown")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("# ")
    assert f"## {TOTAL}: **compatible**" in out
    assert f"## {EVENTS}: **supported**" in out
    assert "[3.5, 4.5] t" in out
    assert "`scope-place`" in out


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def assert_self_contained(text: str) -> Page:
    page = parse_html(text)
    names = [t for t, _ in page.tags]
    for banned in ("script", "link", "iframe", "img", "object", "embed", "base", "frame"):
        assert banned not in names, banned
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            value = value or ""
            if name == "xmlns" and tag == "svg":
                assert value == "http://www.w3.org/2000/svg"
                continue
            if tag == "a" and name == "href" and value.startswith(("https://", "http://")):
                continue  # a source's link, followed only if the reader clicks: nothing fetched
            assert "//" not in value, (tag, name, value)
            assert not name.startswith("on"), (tag, name)  # no event handlers either
        if tag == "meta":
            assert "http-equiv" not in attrs
    style = "".join(page.styles)
    assert "url(" not in style and "@import" not in style
    return page


def test_html_report_is_self_contained_with_a_chart_per_check(tmp_path: Path):
    out = tmp_path / "report.html"
    result = cli_run("report", DATA, "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    page = assert_self_contained(text)
    _, doc = report_json(DATA)
    svgs = [a for t, a in page.tags if t == "svg"]
    assert len(svgs) == len(doc["checks"]) == 2
    assert any(TOTAL in (a.get("aria-label") or "") for a in svgs)
    body = "".join(page.text)
    assert "compatible" in body and "Saydnaya" in body


def test_html_report_escapes_a_script_in_a_quote(seed_copy: Path):
    edit(seed_document(seed_copy), "about one ton,", f"about one ton {SCRIPT},")
    edit(
        seed_copy / SEED_CLAIMS,
        "quote: in the Seid Naya area in the Damascus province — about one ton",
        f'quote: "in the Seid Naya area in the Damascus province — about one ton {SCRIPT}"',
    )
    assert cli_run("check", str(seed_copy)).exit_code == 0
    result = cli_run("report", str(seed_copy), "--format", "html")
    assert result.exit_code == 0, result.output
    html = result.output
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = assert_self_contained(html)
    assert SCRIPT in "".join(page.text)  # shown as text
    markdown = cli_run("report", str(seed_copy), "--format", "markdown").output
    assert SCRIPT not in markdown


# --- a ledger with every verdict -------------------------------------------------------------------


def every_verdict() -> list[dict[str, Any]]:
    """Five summed claims, one per verdict, each with its own parts in its own place."""
    cases = [
        ("supported", "5 t", ["2 t", "3 t"]),
        ("compatible", "more than 5 t", ["about 4 t", "about 1 t"]),
        ("rounding", "3.3 t", ["1.25 t", "2 t"]),
        ("contradicted", "10 t", ["1 t", "2 t"]),
        ("incomparable", "3 t", ["2 t", "500 people"]),
    ]
    claims: list[dict[str, Any]] = []
    for n, (name, total, parts) in enumerate(cases, 1):
        period = f"2016-12-0{n}"
        ids = [f"{name}-{i}" for i in range(len(parts))]
        claims.append({"id": name, "quantity": total, "sum_of": ids, "date": period})
        claims += [
            {"id": i, "quantity": q, "date": period, "places": [place]}
            for i, q, place in zip(ids, parts, ["Hananu 3", "al-Mahalej camp"], strict=True)
        ]
    return claims


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_every_verdict_renders_in_every_format(tmp_path: Path, fmt: str):
    data = write_ledger(tmp_path, every_verdict())
    result = cli_run("report", str(data), "--format", fmt)
    assert result.exit_code == 1, result.output  # one is contradicted
    for verdict in ("supported", "compatible", "rounding", "contradicted", "incomparable"):
        assert verdict in result.output.lower()
    if fmt == "json":
        doc = json.loads(result.output)
        got = {c["claim"]: c["verdict"] for c in doc["checks"]}
        assert got == {v: v for v in got}
        assert len(got) == 5
        assert "person" in check_by_id(doc, "incomparable")["explanation"]
    if fmt == "html":
        page = assert_self_contained(result.output)
        assert sum(t == "svg" for t, _ in page.tags) >= 4  # every comparable check


def test_missing_part_is_reported_and_fails(tmp_path: Path):
    claims = [
        {"id": "total", "quantity": "5 t", "sum_of": ["p1", "ghost"]},
        {"id": "p1", "quantity": "2 t", "places": ["Hananu 3"]},
    ]
    data = write_ledger(tmp_path, claims)
    code, doc = report_json(data)
    assert code == 1  # the ledger has an error (an unknown `sum_of` id)
    c = check_by_id(doc, "total")
    assert c["verdict"] == "incomparable"
    assert "ghost" in c["explanation"]
    assert {"claim": "ghost", "missing": True} in c["parts"]
    for fmt in ("text", "markdown", "html"):
        result = cli_run("report", str(data), "--format", fmt)
        assert result.exit_code == 1
        assert "ghost" in result.output


def test_conflicts_and_duplicates_in_the_report(tmp_path: Path):
    claims = [
        {
            "id": "uk-no-flour",
            "claimant": "Konashenkov",
            "provider": "United Kingdom",
            "item": "flour",
            "quantity": "0 g",
            "places": ["Syria"],
            "period": "2011-03-15/2016-12-03",
            "quote": "The United Kingdom has not allocated a single gram of flour",
        },
        {
            "id": "uk-flour",
            "source": "src-b",
            "claimant": "DFID",
            "provider": "United Kingdom",
            "item": "flour",
            "quantity": "2 t",
            "date": "2016-12-02",
            "quote": "DFID delivered 2 t of flour to Aleppo",
        },
        {"id": "a", "quantity": "about 4 t", "places": ["Hananu 3"]},
        {"id": "b", "source": "src-b", "quantity": "4 t", "places": ["Hananu 3"]},
    ]
    data = write_ledger(tmp_path, claims)
    code, doc = report_json(data)
    assert code == 1  # a zero claim contradicted by a delivery fails like a contradiction
    (conflict,) = doc["conflicts"]
    assert conflict["code"] == "zero-contradicted"
    assert conflict["outer"]["claim"] == "uk-no-flour"
    assert conflict["outer"]["claimant"] == "Konashenkov"
    assert "not allocated a single gram" in conflict["outer"]["quote"]
    assert conflict["inner"]["claimant"] == "DFID"
    assert "2 t of flour" in conflict["inner"]["quote"]
    assert [c["claim"] for c in conflict["outers"]] == ["uk-no-flour"]
    assert [c["claim"] for c in conflict["inners"]] == ["uk-flour"]
    assert [(d["a"]["claim"], d["b"]["claim"]) for d in doc["duplicates"]] == [("a", "b")]
    (group,) = doc["duplicates"]
    assert [m["claim"] for m in group["members"]] == ["a", "b"]
    assert group["sources"] == ["src-a", "src-b"]
    assert "If they are, add `same_as: a` to b." in group["message"]
    text = cli_run("report", str(data)).output
    assert "zero-contradicted" in text
    assert "not allocated a single gram" in text and "2 t of flour" in text
    assert "same_as" in text


def test_groups_of_claims_in_every_format(tmp_path: Path):
    # 3 statements that nothing was given against 40 deliveries inside their scope, and 30
    # reports of one delivery from two sources: one conflict and one group, not 120 conflicts
    # and 225 pairs.
    zeros = [
        {"id": f"none-{i}", "claimant": "Konashenkov", "quantity": "none", "period": "2016-12",
         "quote": f"Statement {i}: Russia has yet to deliver anything"}
        for i in range(3)
    ]  # fmt: skip
    given = [
        {"id": f"given-{i}", "source": "src-b", "claimant": "DFID", "quantity": f"{i % 4 + 1} t",
         "places": ["Hananu 3"], "date": f"2016-12-{i % 20 + 1:02d}"}
        for i in range(40)
    ]  # fmt: skip
    seen = [
        {"id": f"seen-{i}", "source": "src-b" if i % 2 else "src-a", "quantity": "about 4 t",
         "places": ["Saydnaya"]}
        for i in range(30)
    ]  # fmt: skip
    data = write_ledger(tmp_path, zeros + given + seen)
    code, doc = report_json(data)
    assert code == 1
    (conflict,) = doc["conflicts"]
    assert conflict["code"] == "zero-contradicted"
    assert (len(conflict["outers"]), len(conflict["inners"])) == (3, 40)
    assert {c["quantity"] for c in conflict["inners"][:10]} == {"4 t"}  # the largest first
    (group,) = doc["duplicates"]
    assert len(group["members"]) == 30 and group["sources"] == ["src-a", "src-b"]
    for fmt in ("text", "markdown", "html"):
        result = cli_run("report", str(data), "--format", fmt)
        assert result.exit_code == 1
        out = result.output
        assert all(f"given-{i}" in out for i in range(40)), fmt
        assert all(f"seen-{i}" in out for i in range(30)), fmt
        assert "3 claims by Konashenkov say Russia gave none" in out
        assert "30 claims from 2 sources" in out


# --- exit codes ----------------------------------------------------------------------------------


def test_exit_0_on_the_seed():
    assert cli_run("report", DATA).exit_code == 0


def test_exit_1_when_contradicted(seed_copy: Path):
    contradict_seed(seed_copy)
    assert cli_run("check", str(seed_copy)).exit_code == 0  # the ledger itself is clean
    code, doc = report_json(seed_copy)
    assert code == 1
    assert check_by_id(doc, TOTAL)["verdict"] == "contradicted"


def test_exit_1_with_fail_on_compatible_on_the_seed():
    assert cli_run("report", DATA, "--fail-on", "compatible").exit_code == 1
    assert cli_run("report", DATA, "--fail-on", "rounding").exit_code == 0


def test_fail_on_compatible_still_fails_on_contradicted(seed_copy: Path):
    # `--fail-on compatible` makes compatible fail *too*: a contradiction must still fail.
    contradict_seed(seed_copy)
    assert cli_run("report", str(seed_copy), "--fail-on", "compatible").exit_code == 1


def test_exit_1_when_the_ledger_has_errors(seed_copy: Path):
    edit(seed_copy / SEED_CLAIMS, "about one ton", "about one tonne")
    assert cli_run("report", str(seed_copy)).exit_code == 1


def test_exit_2_on_a_missing_path(tmp_path: Path):
    assert cli_run("report", str(tmp_path / "nope")).exit_code == 2
    assert cli_run("totals", str(tmp_path / "nope")).exit_code == 2


def test_exit_2_on_a_folder_that_is_not_a_ledger(tmp_path: Path):
    result = cli_run("report", str(tmp_path))
    assert result.exit_code == 2
    assert "not a ledger" in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_output_file(tmp_path: Path, fmt: str):
    out = tmp_path / f"report.{fmt}"
    result = cli_run("report", DATA, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file()
    text = out.read_text(encoding="utf-8")
    assert TOTAL in text
    assert TOTAL not in result.output  # written to the file, not to stdout
    assert "\x1b[" not in text
    if fmt == "json":
        assert check_by_id(json.loads(text), TOTAL)["verdict"] == "compatible"


def test_report_on_a_ledger_with_nothing_to_total(tmp_path: Path):
    claims = [
        {
            "id": "pop",
            "quantity": "90,000 people",
            "item": "residents",
            "status": "context",
            "provider": None,
        }
    ]
    data = write_ledger(tmp_path, claims)
    for fmt in ("text", "json", "markdown", "html"):
        result = cli_run("report", str(data), "--format", fmt)
        assert result.exit_code == 0, (fmt, result.output, result.exception)
    assert cli_run("totals", str(data)).exit_code == 0


# --- totals ----------------------------------------------------------------------------------------


def totals_rows(*args: str) -> list[dict[str, str]]:
    result = cli_run("totals", DATA, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_totals_csv_by_provider_and_governorate_in_kg():
    got = {
        (r["provider"], r["place"]): (
            r["unit"],
            float(r["low"]),
            float(r["point"]),
            float(r["high"]),
        )
        for r in totals_rows("--by", "provider,place", "--level", "governorate", "--unit", "kg")
    }
    # about 4 t (Hananu 3, al-Mahalej camp) and about 1 t (Saydnaya); the "more than 5 t"
    # headline sums them and is not counted again; the zero claims are not totals.
    assert got == {
        ("Russia", "Aleppo governorate"): ("kg", 3500.0, 4000.0, 4500.0),
        ("Russia", "Rural Damascus governorate"): ("kg", 500.0, 1000.0, 1500.0),
    }


def test_totals_json_matches_csv():
    result = cli_run(
        "totals", DATA, "--by", "provider,place", "--level", "governorate", "--unit", "kg",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {(r["place"], r["point"]) for r in rows} == {
        ("Aleppo governorate", 4000),
        ("Rural Damascus governorate", 1000),
    }
    assert all(r["claims"] == 1 and r["unit"] == "kg" for r in rows)


def test_totals_default_groups_count_the_seed_once():
    rows = totals_rows()
    assert [(r["provider"], r["status"], r["unit"]) for r in rows] == [("Russia", "delivered", "t")]
    assert (float(rows[0]["point"]), rows[0]["claims"]) == (5.0, "2")


def test_totals_text_format():
    result = cli_run("totals", DATA, "--by", "place", "--level", "governorate")
    assert result.exit_code == 0
    assert "Aleppo governorate" in result.output and "Rural Damascus governorate" in result.output


@pytest.mark.parametrize(
    "args",
    [("--by", "colour"), ("--unit", "tunn"), ("--level", "planet")],
    ids=["by", "unit", "level"],
)
def test_totals_bad_option_exits_2(args: tuple[str, ...]):
    result = cli_run("totals", DATA, *args)
    assert result.exit_code == 2
    assert args[1] in result.output


def test_totals_csv_sums_are_exact_decimals(tmp_path: Path):
    claims = [
        {"id": "a", "quantity": "0.1 t", "places": ["Hananu 3"]},
        {"id": "b", "quantity": "0.2 t", "places": ["Saydnaya"]},
    ]
    data = write_ledger(tmp_path, claims)
    result = cli_run("totals", str(data), "--by", "provider", "--format", "csv")
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.output))
    assert Decimal(row["point"]) == Decimal("0.3")
    assert Decimal(row["low"]) == Decimal("0.3")


# --- make run ------------------------------------------------------------------------------------


def make_run_command() -> list[str]:
    lines = (REPO / "Makefile").read_text(encoding="utf-8").splitlines()
    at = lines.index(next(line for line in lines if line.startswith("run:")))
    recipe = lines[at + 1]
    assert recipe.startswith("\t")
    return recipe.split()


def test_make_run_command_is_report_data():
    cmd = make_run_command()
    assert cmd[0].endswith("aid-ledger")
    assert cmd[1:] == ["report", "data"]


def test_make_run_command_exits_0():
    cmd = make_run_command()
    script = Path(sys.executable).parent / "aid-ledger"
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "ledger"]
    proc = subprocess.run(
        argv + cmd[1:], cwd=SEED_REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert TOTAL in proc.stdout
    assert "COMPATIBLE" in proc.stdout


def test_report_defaults_to_data(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(SEED_REPO)
    result = cli_run("report")
    assert result.exit_code == 0, result.output
    assert TOTAL in result.output
