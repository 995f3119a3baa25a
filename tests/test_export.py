"""`aid-ledger export`: every format holds every claim and figure; HXL tags; formula cells; -o.

Expected values come from the library (`ledger.load` + `ledger.analysis.analyse`), never from
the exporter, and every format is read back with an ordinary reader (csv, pandas, json, sqlite3).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import ledger
import ledger.atomic
from ledger.analysis import analyse
from ledger.export import NAMES, ExportRefused, export, to_csv
from ledger.vocab import ExportFormat, choices

from .conftest import SEED_DATA, cli_run

# The column list of issue 4, in its order, with `count_of` beside `sum_of` (the parts a
# counted claim counts, which the issue's list leaves out but a round trip needs).
ISSUE_COLUMNS = [
    "claim_id", "source_id", "source_url", "claimant", "provider", "status", "item", "qualifier",
    "stated_value", "stated_unit", "canonical_unit", "low", "point", "high", "places",
    "place_codes", "adm1_names", "adm1_codes", "date_start", "date_end", "quote", "sum_of",
    "count_of", "same_as", "verdict",
]  # fmt: skip
NUMERIC = ("stated_value", "low", "point", "high")
LISTS = ("places", "place_codes", "adm1_names", "adm1_codes", "sum_of", "count_of")
HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")
SEED_SOURCE = "sputnik-2016-12-03-aleppo"
SEED_DOCUMENT = "seeds/2016-12-03-sputnik-russia-iran-aleppo.txt"


def text_of(result) -> str:
    """Standard output as written (click's `Result.stdout` turns CRLF into LF)."""
    return result.stdout_bytes.decode("utf-8")


# --- what the ledger says, from the library --------------------------------------------------


def _na(x):
    """A missing cell of the DataFrame view as None."""
    return None if pd.isna(x) else x


def _split(x) -> list[str]:
    return [] if pd.isna(x) else x.split("; ")


def _num(x) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return None if x.is_infinite() else float(x)


def _governorate(book: ledger.Ledger, name: str) -> tuple[str, str]:
    hit = book.places.nearest(name, "level", "governorate")
    return (hit, book.places.get(hit, "code") or "") if hit else ("", "")


def expected_rows(path: Path) -> dict[str, dict]:
    book = ledger.load(path)
    analysis = analyse(book)
    verdicts = {c.claim: c.verdict for c in analysis.checks}
    out = {}
    for r in book.claims.itertuples():  # the DataFrame view, read independently of export
        names = _split(r.place_names)
        src = book.sources[r.source]
        out[r.id] = {
            "claim_id": r.id,
            "source_id": r.source,
            "source_url": src.url,
            "claimant": _na(r.claimant),
            "provider": _na(r.provider),
            "status": r.status,
            "item": r.item,
            "qualifier": _na(r.qualifier),
            "stated_value": float(Decimal(r.value)),
            "stated_unit": _na(r.unit),
            "canonical_unit": _na(r.canonical_unit),
            "low": _num(Decimal(r.low_exact)),
            "point": _num(Decimal(r.point_exact)),
            "high": _num(Decimal(r.high_exact)),
            "places": names,
            "place_codes": [book.places.get(n, "code") or "" for n in names],
            "adm1_names": [_governorate(book, n)[0] for n in names],
            "adm1_codes": [_governorate(book, n)[1] for n in names],
            "date_start": None if pd.isna(r.start) else r.start.date().isoformat(),
            "date_end": None if pd.isna(r.end) else r.end.date().isoformat(),
            "quote": r.quote,
            "sum_of": _split(r.sum_of),
            "count_of": _split(r.count_of),
            "same_as": _na(r.same_as),
            "verdict": verdicts.get(r.id),
        }
    return out


@pytest.fixture(scope="module")
def seed() -> dict[str, dict]:
    rows = expected_rows(SEED_DATA)
    assert len(rows) >= 10
    assert any(r["high"] is None for r in rows.values())  # an unbounded figure
    assert any(r["verdict"] for r in rows.values())  # a summed claim
    return rows


@pytest.fixture(scope="module")
def seed_ids() -> list[str]:
    return list(ledger.load(SEED_DATA).claims["id"])


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | Path]:
    out: dict[str, str | Path] = {}
    for fmt in ("csv", "hxl", "json", "jsonl"):
        result = cli_run("export", str(SEED_DATA), "--format", fmt)
        assert result.exit_code == 0, result.output
        out[fmt] = text_of(result)
    db = tmp_path_factory.mktemp("export") / "ledger.db"
    result = cli_run("export", str(SEED_DATA), "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 0, result.output
    out["sqlite"] = db
    return out


# --- comparing a read-back row with the ledger ------------------------------------------------


def _from_text(col: str, cell: str):
    """A CSV cell back into the export's value: numbers, lists, None for empty."""
    if col in NUMERIC:
        return float(cell) if cell != "" else None
    if col in LISTS:
        return cell.split("; ") if cell != "" else []
    return cell if cell != "" else None


def _blank(values: list) -> list:
    """A list of empty strings reads back from one cell as no list at all: treat them alike."""
    return [] if all(v == "" for v in values) else values


def assert_same(got: dict, want: dict) -> None:
    assert list(got) == NAMES
    for col in NAMES:
        g, w = got[col], want[col]
        if col in LISTS:
            assert _blank(g) == _blank(w), (got["claim_id"], col, g, w)
        elif col in NUMERIC:
            assert (g is None and w is None) or (g is not None and float(g) == w), (col, g, w)
        else:
            assert g == w, (got["claim_id"], col, g, w)


def check_rows(records: list[dict], seed: dict[str, dict], seed_ids: list[str]) -> None:
    assert [r["claim_id"] for r in records] == seed_ids
    for rec in records:
        assert_same(rec, seed[rec["claim_id"]])


# --- round trips ------------------------------------------------------------------------------


def test_column_order_is_the_documented_one():
    assert NAMES == ISSUE_COLUMNS
    result = cli_run("export", "--help")
    assert result.exit_code == 0
    assert ", ".join(ISSUE_COLUMNS) in " ".join(result.output.split())


def test_csv_round_trips_through_the_csv_module(exported, seed, seed_ids):
    text = exported["csv"]
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines[:2])  # CRLF, RFC 4180
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    assert header == NAMES
    records = [
        {col: _from_text(col, cell) for col, cell in zip(header, row, strict=True)}
        for row in reader
    ]
    check_rows(records, seed, seed_ids)


def test_csv_round_trips_through_pandas(exported, seed, seed_ids):
    frame = pd.read_csv(io.StringIO(exported["csv"]), dtype={"date_start": str, "date_end": str})
    assert list(frame.columns) == NAMES
    for col in NUMERIC:
        assert pd.api.types.is_numeric_dtype(frame[col]), col
    frame = frame.astype(object).where(frame.notna(), None)
    records = []
    for row in frame.to_dict("records"):
        for col in LISTS:
            row[col] = row[col].split("; ") if row[col] is not None else []
        records.append(row)
    check_rows(records, seed, seed_ids)


def test_hxl_reads_back_with_the_hashtag_row_second(exported, seed, seed_ids):
    rows = list(csv.reader(io.StringIO(exported["hxl"], newline="")))
    assert rows[0] == NAMES
    tags = rows[1]
    assert len(tags) == len(NAMES)
    assert all(t.startswith("#") and HXL_TAG.match(t) for t in tags), tags
    assert len(set(tags)) == len(tags)
    for example in ("#meta+id", "#adm1+name", "#adm1+code", "#loc+name", "#org+name+impl"):
        assert example in tags
    assert "#item+name+provided" in tags and "#output+num" in tags
    assert any(t.startswith("#date") for t in tags)
    # Under the hashtag row: exactly the CSV's rows.
    assert rows[2:] == list(csv.reader(io.StringIO(exported["csv"], newline="")))[1:]
    frame = pd.read_csv(io.StringIO(exported["hxl"]), skiprows=[1])
    pd.testing.assert_frame_equal(frame, pd.read_csv(io.StringIO(exported["csv"])))
    assert [r[0] for r in rows[2:]] == seed_ids


def test_json_round_trips(exported, seed, seed_ids):
    records = json.loads(exported["json"])
    assert isinstance(records, list)
    for rec in records:
        for col in NUMERIC:
            assert rec[col] is None or isinstance(rec[col], (int, float)), (col, rec[col])
    check_rows(records, seed, seed_ids)


def test_jsonl_round_trips(exported, seed, seed_ids):
    lines = exported["jsonl"].splitlines()
    assert len(lines) == len(seed_ids)
    check_rows([json.loads(line) for line in lines], seed, seed_ids)
    assert [json.loads(line) for line in lines] == json.loads(exported["json"])


def test_sqlite_round_trips_with_foreign_keys(exported, seed, seed_ids):
    con = sqlite3.connect(exported["sqlite"])
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"claims", "sources", "places", "findings"} <= tables
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        refs = con.execute("PRAGMA foreign_key_list(claims)").fetchall()
        assert refs and "sources" in {r[2] for r in refs}
        assert con.execute("PRAGMA foreign_key_list(findings)").fetchall()
        columns = [r[1] for r in con.execute("PRAGMA table_info(claims)")]
        assert columns == NAMES
        con.row_factory = sqlite3.Row
        records = []
        for row in con.execute("SELECT * FROM claims ORDER BY rowid"):
            rec = {c: row[c] for c in NAMES}
            for col in LISTS:
                rec[col] = rec[col].split("; ") if rec[col] else []
            for col in NUMERIC:
                assert rec[col] is None or isinstance(rec[col], (int, float)), (col, rec[col])
            records.append(rec)
        check_rows(records, seed, seed_ids)
        src = con.execute("SELECT * FROM sources WHERE id = ?", (SEED_SOURCE,)).fetchone()
        assert src is not None and src["document"] == SEED_DOCUMENT
        places = {r["name"] for r in con.execute("SELECT name FROM places")}
        assert {p for r in seed.values() for p in r["places"]} <= places
        found = {r["claim_id"] for r in con.execute("SELECT claim_id FROM findings")}
        assert {cid for cid, r in seed.items() if r["verdict"]} <= found
    finally:
        con.close()


def test_formats_agree_on_every_figure(exported):
    by_format = {
        "csv": list(csv.DictReader(io.StringIO(exported["csv"], newline=""))),
        "json": json.loads(exported["json"]),
    }
    con = sqlite3.connect(exported["sqlite"])
    con.row_factory = sqlite3.Row
    by_format["sqlite"] = [dict(r) for r in con.execute("SELECT * FROM claims ORDER BY rowid")]
    con.close()

    def figures(records):
        return [
            (r["claim_id"], *(None if r[c] in ("", None) else float(r[c]) for c in NUMERIC))
            for r in records
        ]

    assert figures(by_format["csv"]) == figures(by_format["json"]) == figures(by_format["sqlite"])


# --- formula cells ----------------------------------------------------------------------------

PREFIXES = ["=", "+", "-", "@"]


def _formula_ledger(seed_copy: Path) -> dict[str, tuple[str, str]]:
    """Add claims whose claimant and quote start with each formula character: id -> both."""
    orgs = seed_copy / "orgs.yaml"
    doc = seed_copy.parent / SEED_DOCUMENT
    claims = [f"source: {SEED_SOURCE}", "claims:"]
    made = {}
    for n, p in enumerate(PREFIXES):
        cid, claimant, quote = (
            f"formula-{n}",
            f"{p}SUM(1+1) Agency {n}",
            f"{p}delivered 3 tons of flour",
        )
        made[cid] = (claimant, quote)
        doc.write_text(doc.read_text(encoding="utf-8") + f"\n{quote}\n", encoding="utf-8")
        if orgs.exists():
            entry = f"\n- name: {json.dumps(claimant)}\n  kind: ngo\n"
            orgs.write_text(orgs.read_text(encoding="utf-8") + entry, encoding="utf-8")
        claims += [
            f"  - id: {cid}",
            f"    claimant: {json.dumps(claimant)}",
            "    provider: Russia",
            "    status: delivered",
            "    item: flour",
            "    quantity: 3 t",
            "    places: [Saydnaya]",
            "    date: 2016-12-04",
            f"    quote: {json.dumps(quote)}",
        ]
    (seed_copy / "claims" / "formula.yaml").write_text("\n".join(claims) + "\n", encoding="utf-8")
    book = ledger.load(seed_copy)
    assert [p.format() for p in book.problems if p.severity == "error"] == []
    return made


def cells_with_quoting(text: str) -> list[list[tuple[str, bool]]]:
    """An RFC 4180 reader that also says whether each cell was quoted."""
    rows, row, cell, quoted, i = [], [], [], False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"' and not cell and not quoted:
            quoted, i = True, i + 1
            while True:
                if text[i] == '"' and text[i + 1 : i + 2] == '"':
                    cell.append('"')
                    i += 2
                elif text[i] == '"':
                    i += 1
                    break
                else:
                    cell.append(text[i])
                    i += 1
            continue
        if ch in ",\r":
            row.append(("".join(cell), quoted))
            cell, quoted = [], False
            if ch == "\r":
                rows.append(row)
                row = []
                i += 1  # the \n of \r\n
        else:
            cell.append(ch)
        i += 1
    return rows


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_formula_cells_are_neutralised_and_numbers_stay_numbers(seed_copy: Path, fmt: str):
    made = _formula_ledger(seed_copy)
    result = cli_run("export", str(seed_copy), "--format", fmt)
    assert result.exit_code == 0, result.output
    text = text_of(result)
    parsed = cells_with_quoting(text)
    header = [c for c, _ in parsed[0]]
    assert header == NAMES
    body = parsed[2:] if fmt == "hxl" else parsed[1:]
    rows = {r[0][0]: dict(zip(header, r, strict=True)) for r in body}
    for cid, (claimant, quote) in made.items():
        row = rows[cid]
        assert row["claimant"][0] == "'" + claimant
        assert row["quote"][0] == "'" + quote
        for col in NUMERIC:
            value, quoted = row[col]
            if value:
                assert not quoted and re.fullmatch(r"\d+(\.\d+)?", value), (col, value)
        assert row["point"][0] == "3" and row["stated_value"][0] == "3"
    # Cells that do not start a formula are left alone.
    assert rows["ru-mod-2016-12-02-saydnaya"]["claimant"][0] == "Russian Ministry of Defence"
    assert rows["ru-mod-2016-12-02-saydnaya"]["date_start"][0] == "2016-12-01"
    for row in rows.values():
        for col in NUMERIC:
            assert not row[col][0].startswith("'")


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_raw_keeps_formula_cells_as_written(seed_copy: Path, fmt: str):
    made = _formula_ledger(seed_copy)
    result = cli_run("export", str(seed_copy), "--format", fmt, "--raw")
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(text_of(result), newline=""))
    rows = {r["claim_id"]: r for r in reader}
    for cid, (claimant, quote) in made.items():
        assert (rows[cid]["claimant"], rows[cid]["quote"]) == (claimant, quote)


def test_json_and_sqlite_keep_formula_text_as_written(seed_copy: Path, tmp_path: Path):
    made = _formula_ledger(seed_copy)
    result = cli_run("export", str(seed_copy), "--format", "json")
    records = {r["claim_id"]: r for r in json.loads(text_of(result))}
    db = tmp_path / "f.db"
    assert cli_run("export", str(seed_copy), "--format", "sqlite", "-o", str(db)).exit_code == 0
    con = sqlite3.connect(db)
    stored = dict(con.execute("SELECT claim_id, quote FROM claims").fetchall())
    con.close()
    for cid, (claimant, quote) in made.items():
        assert (records[cid]["claimant"], records[cid]["quote"]) == (claimant, quote)
        assert stored[cid] == quote


def _record(**values) -> dict:
    rec = dict.fromkeys(NAMES)
    rec.update(values)
    return rec


def test_tab_and_carriage_return_cells_are_neutralised():
    rec = _record(claim_id="x", claimant="\tcmd", quote="\r=cmd", places=["-x", "y"])
    rec.update(low=-1, point=2.5, high=4)
    rows = list(csv.reader(io.StringIO(to_csv([rec]), newline="")))
    got = dict(zip(rows[0], rows[1], strict=True))
    assert got["claimant"] == "'\tcmd"
    assert got["quote"] == "'\r=cmd"
    assert got["places"] == "'-x; y"
    assert (got["low"], got["point"], got["high"]) == ("-1", "2.5", "4")  # numbers, not text
    raw = dict(
        zip(*list(csv.reader(io.StringIO(to_csv([rec], raw=True), newline=""))), strict=True)
    )
    assert (raw["claimant"], raw["quote"]) == ("\tcmd", "\r=cmd")
    hxl = list(csv.reader(io.StringIO(to_csv([rec], hxl=True), newline="")))
    assert dict(zip(hxl[0], hxl[2], strict=True))["claimant"] == "'\tcmd"


# --- -o FILE ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "hxl", "json", "jsonl"])
def test_output_file_holds_what_stdout_would(tmp_path: Path, exported, fmt: str):
    out = tmp_path / f"claims.{fmt}"
    result = cli_run("export", str(SEED_DATA), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_bytes() == exported[fmt].encode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
def test_existing_output_is_replaced_only_with_force(tmp_path: Path, fmt: str):
    out = tmp_path / "existing.out"
    out.write_bytes(b"a file somebody cares about\n")
    result = cli_run("export", str(SEED_DATA), "--format", fmt, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "--force" in result.output
    assert out.read_bytes() == b"a file somebody cares about\n"
    result = cli_run("export", str(SEED_DATA), "--format", fmt, "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    if fmt == "sqlite":
        con = sqlite3.connect(out)
        assert con.execute("SELECT count(*) FROM claims").fetchone()[0] >= 10
        con.close()
    else:
        assert out.read_text(encoding="utf-8").startswith(",".join(NAMES))
    assert sorted(os.listdir(tmp_path)) == ["existing.out"]


def test_sqlite_needs_an_output_file():
    result = cli_run("export", str(SEED_DATA), "--format", "sqlite")
    assert result.exit_code == 2
    assert "-o" in result.output


@pytest.mark.parametrize("fmt", choices(ExportFormat))
def test_the_library_exports_every_format_of_the_vocabulary(tmp_path: Path, exported, fmt: str):
    """`export()` handles each `ExportFormat` (plain word or member) as the CLI does."""
    analysis = analyse(ledger.load(SEED_DATA))
    for given in (fmt, ExportFormat(fmt)):
        if fmt == ExportFormat.SQLITE:
            out = tmp_path / f"{given!r}.db"
            assert export(analysis, given, str(out)) is None
            con = sqlite3.connect(out)
            assert con.execute("SELECT count(*) FROM claims").fetchone()[0] >= 10
            con.close()
        elif fmt == ExportFormat.PARQUET:  # a folder (tests/test_parquet.py reads it)
            out = tmp_path / f"{given!r}.parquet"
            assert export(analysis, given, str(out)) is None
            assert (out / "_aid-ledger.json").is_file()
            with pytest.raises(ExportRefused, match="needs -o FOLDER"):
                export(analysis, given, None)
        else:
            assert export(analysis, given, None) == exported[fmt]


def test_the_library_refuses_a_format_outside_the_vocabulary(tmp_path: Path):
    analysis = analyse(ledger.load(SEED_DATA))
    with pytest.raises(ValueError, match="unknown format 'xlsx'"):
        export(analysis, "xlsx", str(tmp_path / "out.xlsx"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
def test_error_injected_while_replacing_the_output_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
):
    out = tmp_path / "existing.out"
    out.write_bytes(b"old export\n")

    def fail(*args, **kwargs):
        raise OSError(5, "Input/output error (injected)")

    monkeypatch.setattr(ledger.atomic.os, "replace", fail)
    result = cli_run("export", str(SEED_DATA), "--format", fmt, "-o", str(out), "--force")
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert out.read_bytes() == b"old export\n"
    assert sorted(os.listdir(tmp_path)) == ["existing.out"]


# --- SQL injection ------------------------------------------------------------------------------

DROP = "'); DROP TABLE claims; --"


def _count_claims(db: Path) -> tuple[int, set[str]]:
    con = sqlite3.connect(db)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "claims" in tables
        ids = {r[0] for r in con.execute("SELECT claim_id FROM claims")}
        return len(ids), ids
    finally:
        con.close()


def test_sqlite_export_binds_a_quote_and_claimant_holding_sql(seed_copy: Path, tmp_path: Path):
    quote = f"Robert{DROP} delivered 3 tons of flour"
    claimant = f"Robert{DROP}"
    doc = seed_copy.parent / SEED_DOCUMENT
    doc.write_text(doc.read_text(encoding="utf-8") + f"\n{quote}\n", encoding="utf-8")
    orgs = seed_copy / "orgs.yaml"
    if orgs.exists():
        orgs.write_text(
            orgs.read_text(encoding="utf-8") + f"\n- name: {json.dumps(claimant)}\n  kind: ngo\n",
            encoding="utf-8",
        )
    (seed_copy / "claims" / "bobby.yaml").write_text(
        f"source: {SEED_SOURCE}\nclaims:\n  - id: bobby-tables\n"
        f"    claimant: {json.dumps(claimant)}\n    provider: Russia\n    status: delivered\n"
        "    item: flour\n    quantity: 3 t\n    places: [Saydnaya]\n    date: 2016-12-04\n"
        f"    quote: {json.dumps(quote)}\n",
        encoding="utf-8",
    )
    n_claims = len(ledger.load(seed_copy).claims)
    db = tmp_path / "bobby.db"
    result = cli_run("export", str(seed_copy), "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 0, result.output
    count, _ = _count_claims(db)
    assert count == n_claims
    con = sqlite3.connect(db)
    got = con.execute("SELECT claimant, quote FROM claims WHERE claim_id = 'bobby-tables'")
    assert got.fetchone() == (claimant, quote)
    con.close()


def test_sqlite_export_binds_a_claim_id_holding_sql(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / "claims" / "sputnik-2016-12-03-aleppo.yaml"
    text = claims.read_text(encoding="utf-8")
    bad_id = f"x{DROP}"
    claims.write_text(
        text.replace("id: ru-mod-uk-no-blankets-syria", f"id: {json.dumps(bad_id)}"),
        encoding="utf-8",
    )
    book = ledger.load(seed_copy)
    assert bad_id in set(book.claims["id"])
    db = tmp_path / "bad-id.db"
    export(analyse(book), "sqlite", str(db))
    count, ids = _count_claims(db)
    assert count == len(book.claims)
    assert bad_id in ids


# --- findings of conflicts and possible double counts -----------------------------------------


def _findings(claims: list[dict], tmp_path: Path) -> list[tuple[str, str | None, str, str]]:
    from ledger.export import rows, to_sqlite

    from .test_analysis import load_clean

    analysis = analyse(load_clean(tmp_path, claims))
    db = tmp_path / "ledger.sqlite"
    to_sqlite(analysis, rows(analysis), db)
    con = sqlite3.connect(db)
    try:
        query = "SELECT claim_id, other_claim_id, code, severity FROM findings ORDER BY id"
        found = con.execute(query).fetchall()
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    return [f for f in found if not f[2].startswith("verdict-")]


ZERO = {"id": "none", "quantity": "none", "period": "2016-12", "quote": "Russia gave nothing"}
AT = {"places": ["Hananu 3"], "date": "2016-12-02"}


def test_sqlite_findings_of_one_pair_are_one_row(tmp_path: Path):
    claims = [ZERO, {"id": "given", "quantity": "2 t", **AT},
              {"id": "a", "quantity": "about 4 t", "places": ["Saydnaya"]},
              {"id": "b", "source": "src-b", "quantity": "4 t", "places": ["Saydnaya"]}]  # fmt: skip
    assert _findings(claims, tmp_path) == [
        ("none", "given", "zero-contradicted", "error"),
        ("a", "b", "possible-duplicate", "warning"),
    ]


def test_sqlite_findings_of_groups_are_a_row_per_claim(tmp_path: Path):
    # Two zero claims against three deliveries: each zero claim names the largest delivery,
    # each other delivery the first zero claim; three reports of one delivery: the first pair
    # in one row, the third naming the first.
    claims = [ZERO, {**ZERO, "id": "none-2"}]
    claims += [{"id": f"given-{n}", "quantity": f"{n} t", **AT} for n in (2, 7, 5)]
    claims += [{"id": f"seen-{n}", "source": s, "quantity": "about 4 t", "places": ["Saydnaya"]}
               for n, s in enumerate(["src-a", "src-b", "src-c"])]  # fmt: skip
    assert _findings(claims, tmp_path) == [
        ("none", "given-7", "zero-contradicted", "error"),
        ("none-2", "given-7", "zero-contradicted", "error"),
        ("given-5", "none", "zero-contradicted", "error"),
        ("given-2", "none", "zero-contradicted", "error"),
        ("seen-0", "seen-1", "possible-duplicate", "warning"),
        ("seen-2", "seen-0", "possible-duplicate", "warning"),
    ]
