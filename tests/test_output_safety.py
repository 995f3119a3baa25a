"""Output safety: ledger text is shown, never run.

- The HTML report escapes every text that came from a ledger: a ledger whose claimant,
  provider, item, quote, notes, place name and alias and source title hold `<script>`, an
  `<img onerror>` that breaks out of an attribute, and `</style>` gives a page with no script,
  no image, no event handler, and the payloads shown as text.
- CSV and HXL neutralise a formula (`=`, `+`, `-`, `@`, tab, CR at the start) in every text
  column of `ledger.export.NAMES`, both from hand-made records and end to end from a ledger.
- The SQLite export binds data as parameters: the SQL text in `ledger/export.py` is fixed
  (the only formatted part is the column list), and a ledger full of `'); DROP TABLE claims; --`
  round-trips.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

import ledger
import ledger.export
from ledger.analysis import analyse
from ledger.export import FORMULA_START, NAMES, export, to_csv

from .conftest import Page, cli_run

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
STYLE = "</style>"
PAYLOAD = f"{SCRIPT} {IMG} {STYLE}"
DROP = "'); DROP TABLE claims; --"


def ys(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_ledger(
    root: Path,
    *,
    title: str,
    claimant: str,
    provider: str,
    item: str,
    place: str,
    alias: str,
    notes: str,
    quotes: tuple[str, str, str],
    source_id: str = "src",
    source_url: str = "https://example.org/r",
    place_code: str = "SY99",
    governorate: str = "Test governorate",
    governorate_code: str = "SY98",
    other: str | None = None,
) -> Path:
    """A small ledger: a total of 5 t that sums 2 t and 3 t (supported), each field as given.
    With `other`, part-b is about `other item <other>` in `Other place <other>`, outside the
    total's item and place, so the report's scope findings name both."""
    data = root / "data"
    (data / "claims").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "seeds" / "doc.txt").write_text(
        "Report.\n" + "\n".join(f"It said: {q}." for q in quotes) + "\n", encoding="utf-8"
    )
    (data / "sources.yaml").write_text(
        f"- id: {ys(source_id)}\n  title: {ys(title)}\n  publisher: {ys(title)}\n"
        f'  published: "2016-12-03"\n  url: {ys(source_url)}\n  document: seeds/doc.txt\n'
        f"  notes: {ys(notes)}\n",
        encoding="utf-8",
    )
    (data / "places.yaml").write_text(
        "- name: Syria\n  code: SY\n  level: country\n"
        f"- name: {ys(governorate)}\n  code: {ys(governorate_code)}\n  level: governorate\n"
        "  parent: Syria\n"
        f"- name: {ys(place)}\n  code: {ys(place_code)}\n  level: city\n"
        f"  parent: {ys(governorate)}\n  aliases: [{ys(alias)}]\n  notes: {ys(notes)}\n",
        encoding="utf-8",
    )
    items = f"- name: {ys(item)}\n  dimension: mass\n  notes: {ys(notes)}\n"
    where = {"total": (item, alias), "part-a": (item, alias), "part-b": (item, alias)}
    if other is not None:
        where["part-b"] = (f"other item {other}", f"Other place {other}")
        items += f"- name: {ys(where['part-b'][0])}\n  dimension: mass\n"
        with (data / "places.yaml").open("a", encoding="utf-8") as f:
            f.write(f"- name: {ys(where['part-b'][1])}\n  level: city\n  parent: Syria\n")
    (data / "items.yaml").write_text(items, encoding="utf-8")
    claims = []
    for cid, qty, quote, extra in (
        ("total", "5 t", quotes[0], "    sum_of: [part-a, part-b]\n"),
        ("part-a", "2 t", quotes[1], ""),
        ("part-b", "3 t", quotes[2], ""),
    ):
        what, place_written = where[cid]
        claims.append(
            f"  - id: {cid}\n    claimant: {ys(claimant)}\n    provider: {ys(provider)}\n"
            f"    status: delivered\n    item: {ys(what)}\n    quantity: {qty}\n"
            f"    places: [{ys(place_written)}]\n    date: 2016-12-02\n    quote: {ys(quote)}\n"
            f"    notes: {ys(notes)}\n{extra}"
        )
    (data / "claims" / "x.yaml").write_text(
        f"source: {ys(source_id)}\nclaims:\n" + "".join(claims), encoding="utf-8"
    )
    return data


# --- HTML ---------------------------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_ledger(
        tmp_path,
        title=f"Title {PAYLOAD}",
        claimant=f"Claimant {PAYLOAD}",
        provider=f"Provider {PAYLOAD}",
        item=f"item {PAYLOAD}",
        place=f"Place {PAYLOAD}",
        alias=f"alias {PAYLOAD}",
        notes=f"notes {PAYLOAD}",
        quotes=(
            f"in all 5 t were delivered {PAYLOAD}",
            f"first 2 t {SCRIPT}",
            f"then 3 t {IMG} {STYLE}",
        ),
        other=PAYLOAD,
    )


def test_hostile_ledger_loads_clean(hostile: Path):
    """The payloads are all legal ledger text: the report below sees every one of them."""
    book = ledger.load(hostile)
    assert [p.format() for p in book.problems] == []
    assert {c.verdict for c in analyse(book).checks} == {"supported"}


@pytest.mark.parametrize("output", ["stdout", "file"])
def test_html_report_shows_hostile_text_and_runs_nothing(
    hostile: Path, tmp_path: Path, output: str
):
    if output == "file":
        out = tmp_path / "report.html"
        result = cli_run("report", str(hostile), "--format", "html", "-o", str(out))
        html = out.read_text(encoding="utf-8")
    else:
        result = cli_run("report", str(hostile), "--format", "html")
        html = result.output
    assert result.exit_code == 0, result.output
    page = Page()
    page.feed(html)
    page.close()
    names = [t for t, _ in page.tags]
    for banned in ("script", "img", "iframe", "object", "embed", "base", "link", "form"):
        assert banned not in names, banned
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)
    assert names.count("style") == 1
    assert "alert" not in "".join(page.styles) and "img" not in "".join(page.styles)
    shown = "".join(page.text)
    for payload in (SCRIPT, IMG, STYLE):
        assert payload in shown, f"{payload!r} is not shown as text"
    for text in (
        f"Claimant {PAYLOAD}",  # claimant, provider and quotes, each whole and as text
        f"Provider {PAYLOAD}",
        f"in all 5 t were delivered {PAYLOAD}",
        f"first 2 t {SCRIPT}",
        f"then 3 t {IMG} {STYLE}",
        f"Place {PAYLOAD}",  # place names and items, in the scope findings
        f"Other place {PAYLOAD}",
        f"item {PAYLOAD}",
        f"other item {PAYLOAD}",
    ):
        assert text in shown, f"{text!r} is not shown as text"
    assert "<script" not in html.lower() and "<img" not in html.lower()


# --- CSV / HXL formula cells ----------------------------------------------------------------------

NUMERIC = ("stated_value", "low", "point", "high")
LISTS = ("places", "place_codes", "adm1_names", "adm1_codes", "sum_of", "count_of")
TEXT_COLUMNS = [c for c in NAMES if c not in NUMERIC]
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", '=HYPERLINK("http://x","y")', "\t=1", "\r=1"]


def test_every_column_is_text_or_a_known_number():
    assert set(NUMERIC) <= set(NAMES) and set(LISTS) <= set(NAMES)
    assert len(TEXT_COLUMNS) == len(NAMES) - len(NUMERIC) >= 20
    assert set("=+-@") <= {s[0] for s in FORMULA_START}


def _parse(text: str, hxl: bool) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == NAMES
    body = rows[2:] if hxl else rows[1:]
    assert len(body) == 1
    return dict(zip(rows[0], body[0], strict=True))


@pytest.mark.parametrize("hxl", [False, True], ids=["csv", "hxl"])
@pytest.mark.parametrize("column", TEXT_COLUMNS)
def test_formula_is_neutralised_in_every_text_column(column: str, hxl: bool):
    for formula in FORMULAS:
        rec: dict[str, object] = {c: "plain" for c in TEXT_COLUMNS}
        rec.update(dict.fromkeys(LISTS, ["plain"]))
        rec.update(stated_value=-1, low=-1.5, point=2, high=None)
        rec[column] = [formula, "second"] if column in LISTS else formula
        written = formula + "; second" if column in LISTS else formula
        got = _parse(to_csv([rec], hxl=hxl), hxl)
        assert got[column] == "'" + written, (column, formula)
        assert (got["stated_value"], got["low"], got["point"], got["high"]) == (
            "-1",
            "-1.5",
            "2",
            "",
        )
        assert all(got[c] == "plain" for c in TEXT_COLUMNS if c not in LISTS and c != column)
        raw = _parse(to_csv([rec], hxl=hxl, raw=True), hxl)
        assert raw[column] == written


def test_formulas_from_a_ledger_are_neutralised_end_to_end(tmp_path: Path):
    """The text columns a ledger can fill with a formula, through `aid-ledger export`."""
    data = write_ledger(
        tmp_path,
        title="=T()",
        claimant="=cmd|' /C calc'!A0",
        provider="+provider()",
        item="@item",
        place="-place",
        alias="=alias",
        notes="=notes",
        quotes=("@all 5 t", "=first 2 t", "+then 3 t"),
        source_id="-src",
        source_url='=HYPERLINK("http://evil.example","x")',
        place_code="+SY99",
        governorate="@gov",
        governorate_code="-SY98",
    )
    book = ledger.load(data)
    assert [p for p in book.problems if p.severity == "error"] == []
    for fmt in ("csv", "hxl"):
        result = cli_run("export", str(data), "--format", fmt)
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
        body = {
            r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[(2 if fmt == "hxl" else 1) :]
        }
        assert set(body) == {"total", "part-a", "part-b"}
        part = body["part-a"]
        expected = {
            "source_id": "-src",
            "source_url": '=HYPERLINK("http://evil.example","x")',
            "claimant": "=cmd|' /C calc'!A0",
            "provider": "+provider()",
            "item": "@item",
            "places": "-place",
            "place_codes": "+SY99",
            "adm1_names": "@gov",
            "adm1_codes": "-SY98",
            "quote": "=first 2 t",
        }
        for column, value in expected.items():
            assert part[column] == "'" + value, (fmt, column, part[column])
        assert body["total"]["quote"] == "'@all 5 t"
        assert (part["stated_value"], part["point"]) == ("2", "2")


# --- SQLite -------------------------------------------------------------------------------------------


def _sql_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("execute", "executemany", "executescript")
    ]


def test_sql_text_in_the_exporter_is_fixed_but_for_the_column_list():
    """Every SQL statement is a literal, or an f-string whose only holes are the fixed column
    names and their `?` marks; no `%`, `.format` or `+` builds SQL from data."""
    source = Path(ledger.export.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    calls = _sql_calls(tree)
    assert len(calls) >= 6  # the schema, sources, places (2), claims, claim_places, parts, findings
    assigned = {
        t.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    allowed_holes = {"', '.join(NAMES)", "marks"}
    assert ast.unparse(assigned["marks"]) == "', '.join(('?' for _ in NAMES))"
    assert ast.unparse(assigned["NAMES"]) == "[c for c, _, _ in COLUMNS]"
    for call in calls:
        sql = call.args[0]
        where = f"line {call.lineno}: {ast.unparse(sql)[:80]}"
        if isinstance(sql, ast.Name):  # executescript(SCHEMA): a module constant, a literal
            assert sql.id == "SCHEMA" and call.func.attr == "executescript", where
            assert isinstance(assigned["SCHEMA"], ast.Constant), where
            continue
        if isinstance(sql, ast.Constant):
            assert isinstance(sql.value, str) and "%" not in sql.value, where
        else:
            assert isinstance(sql, ast.JoinedStr), where
            holes = {ast.unparse(v.value) for v in sql.values if isinstance(v, ast.FormattedValue)}
            assert holes <= allowed_holes, where
        if call.func.attr in ("execute", "executemany"):
            text = ast.unparse(sql)
            assert text.count("?") >= 1 or "marks" in text or "SELECT" in text.upper(), where
    # the column list itself is the documented, fixed contract
    for name in NAMES:
        assert name.replace("_", "").isalnum(), name
    # nothing else in the package talks to SQLite
    package = Path(ledger.__file__).parent
    users = sorted(p.name for p in package.glob("*.py") if "sqlite3" in p.read_text("utf-8"))
    assert users == ["export.py"], users


def test_sqlite_round_trips_text_holding_sql(tmp_path: Path):
    data = write_ledger(
        tmp_path,
        title=f"Robert{DROP}",
        claimant=f"Claimant{DROP}",
        provider=f"Provider{DROP}",
        item=f"item{DROP}",
        place=f"Place{DROP}",
        alias=f"alias{DROP}",
        notes=f"notes{DROP}",
        quotes=(f"all 5 t{DROP}", f"first 2 t{DROP}", f"then 3 t{DROP}"),
        source_id=f"src{DROP}",
        source_url=f"https://example.org/?q={DROP}",
        place_code=f"SY{DROP}",
        governorate=f"Gov{DROP}",
        governorate_code=f"G{DROP}",
    )
    book = ledger.load(data)
    assert [p.format() for p in book.problems if p.severity == "error"] == []
    db = tmp_path / "out.db"
    export(analyse(book), "sqlite", str(db))
    con = sqlite3.connect(db)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"sources", "places", "claims", "claim_places", "claim_parts", "findings"} <= tables
        rows = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT claim_id, source_id, claimant, provider, item, places, quote, "
                "place_codes, adm1_names, adm1_codes, source_url FROM claims"
            )
        }
        assert set(rows) == {"total", "part-a", "part-b"}
        assert rows["part-a"] == (
            f"src{DROP}", f"Claimant{DROP}", f"Provider{DROP}", f"item{DROP}", f"Place{DROP}",
            f"first 2 t{DROP}", f"SY{DROP}", f"Gov{DROP}", f"G{DROP}",
            f"https://example.org/?q={DROP}",
        )  # fmt: skip
        assert con.execute("SELECT id, title FROM sources").fetchall() == [
            (f"src{DROP}", f"Robert{DROP}")
        ]
        assert sorted(con.execute("SELECT name, code, parent FROM places").fetchall()) == sorted([
            ("Syria", "SY", None),
            (f"Gov{DROP}", f"G{DROP}", "Syria"),
            (f"Place{DROP}", f"SY{DROP}", f"Gov{DROP}"),
        ])  # fmt: skip
        assert con.execute("SELECT count(*) FROM claim_places").fetchone() == (3,)
        parts = con.execute("SELECT claim_id, part_id FROM claim_parts ORDER BY part_id")
        assert parts.fetchall() == [("total", "part-a"), ("total", "part-b")]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
