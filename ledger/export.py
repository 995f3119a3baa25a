"""Export the ledger: tidy CSV, HXL-tagged CSV, JSON, JSON Lines and SQLite.

One row per claim, one value per cell, a stable documented column order (`COLUMNS`). Text that
a spreadsheet would run as a formula is neutralised in CSV unless `raw=True`; numbers are
written as numbers. SQLite uses bound parameters only.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import jsontext
from .analysis import Analysis
from .findings import finding_rows
from .formatting import json_number
from .options import export_refusal
from .output import write as write_file
from .vocab import ExportFormat, PlaceLevel, Status, choices

# (column, HXL hashtag, description): the export's contract, in order.
COLUMNS: list[tuple[str, str, str]] = [
    ("claim_id", "#meta+id", "the claim's id"),
    ("source_id", "#meta+source", "the source's id in sources.yaml"),
    ("source_url", "#meta+url", "where the source was published"),
    ("claimant", "#org+name+claimant", "who states the figure"),
    ("provider", "#org+name+impl", "who delivered or pledged"),
    ("status", "#status+name", f"{', '.join(choices(Status)[:-1])} or {choices(Status)[-1]}"),
    ("item", "#item+name+provided", "what was delivered"),
    ("qualifier", "#output+qualifier", "about, more than, ... (empty: exact)"),
    ("stated_value", "#output+num+stated", "the figure as written (midpoint for between)"),
    ("stated_unit", "#output+unit+stated", "the unit as written"),
    ("canonical_unit", "#output+unit", "t, L, or the counted thing"),
    ("low", "#output+num+min", "low end of the interval, canonical unit"),
    ("point", "#output+num", "point value, canonical unit"),
    ("high", "#output+num+max", "high end (empty: unbounded), canonical unit"),
    ("places", "#loc+name", "gazetteer names, `; `-separated"),
    ("place_codes", "#loc+code", "P-codes of the places where known, `; `-separated"),
    ("adm1_names", "#adm1+name", "governorate of each place, `; `-separated"),
    ("adm1_codes", "#adm1+code", "P-code of each governorate, `; `-separated"),
    ("date_start", "#date+occurred+start", "first day (empty: open start)"),
    ("date_end", "#date+occurred+end", "last day (empty: open end)"),
    ("quote", "#description+quote", "the source's words"),
    ("sum_of", "#meta+sum_of", "ids of the parts, `; `-separated"),
    ("count_of", "#meta+count_of", "ids of the claims it counts, `; `-separated"),
    ("same_as", "#meta+same_as", "id of the same delivery from another source"),
    ("verdict", "#status+verdict", "the consistency verdict where the claim has one"),
]
NAMES = [c for c, _, _ in COLUMNS]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(analysis: Analysis) -> list[dict[str, Any]]:
    """The export rows: plain Python values, lists for multi-valued fields."""
    book = analysis.ledger
    verdicts = {c.claim: c.verdict for c in analysis.checks}
    out = []
    for c in book.entries:
        fig, q = c.figure, c.quantity
        names = list(c.place_names or c.places or ())
        adm1 = [_adm1(n, book) for n in names]
        src = book.sources.get(c.source) if c.source else None
        out.append({
            "claim_id": c.id,
            "source_id": c.source,
            "source_url": src.url if src else None,
            "claimant": c.claimant,
            "provider": c.provider,
            "status": c.status,
            "item": c.item,
            "qualifier": q.qualifier if q else None,
            "stated_value": json_number(q.value) if q else None,
            "stated_unit": q.unit if q else None,
            "canonical_unit": c.unit.canonical if c.unit else None,
            "low": json_number(fig.stated.lo) if fig else None,
            "point": json_number(fig.point) if fig else None,
            "high": json_number(fig.stated.hi) if fig else None,
            "places": names,
            "place_codes": [book.places.get(n, "code") or "" for n in names],
            "adm1_names": [a[0] or "" for a in adm1],
            "adm1_codes": [a[1] or "" for a in adm1],
            "date_start": c.start.isoformat() if c.start else None,
            "date_end": c.end.isoformat() if c.end else None,
            "quote": c.quote,
            "sum_of": list(c.sum_of or ()),
            "count_of": list(c.count_of or ()),
            "same_as": c.same_as,
            "verdict": verdicts.get(c.id),
        })  # fmt: skip
    return out


def _adm1(name: str, book: Any) -> tuple[str | None, str | None]:
    hit = book.places.nearest(name, "level", PlaceLevel.GOVERNORATE)
    return (hit, book.places.get(hit, "code")) if hit else (None, None)


def neutralise(text: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with `'` (OWASP's advice)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: Any, raw: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str):
        return value if raw else neutralise(value)
    return value


def to_csv(records: list[dict[str, Any]], hxl: bool = False, raw: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(NAMES)
    if hxl:
        writer.writerow([tag for _, tag, _ in COLUMNS])
    for rec in records:
        writer.writerow([_cell(rec[c], raw) for c in NAMES])
    return buf.getvalue()


def to_json(records: list[dict[str, Any]]) -> str:
    return jsontext.dumps(records) + "\n"


def to_jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT, publisher TEXT, published TEXT, url TEXT,
    document TEXT, language TEXT);
CREATE TABLE places (
    name TEXT PRIMARY KEY, code TEXT, level TEXT,
    parent TEXT REFERENCES places(name));
CREATE TABLE claims (
    claim_id TEXT PRIMARY KEY, source_id TEXT REFERENCES sources(id), source_url TEXT,
    claimant TEXT, provider TEXT, status TEXT, item TEXT, qualifier TEXT,
    stated_value REAL, stated_unit TEXT, canonical_unit TEXT, low REAL, point REAL, high REAL,
    places TEXT, place_codes TEXT, adm1_names TEXT, adm1_codes TEXT,
    date_start TEXT, date_end TEXT, quote TEXT, sum_of TEXT, count_of TEXT,
    same_as TEXT REFERENCES claims(claim_id) DEFERRABLE INITIALLY DEFERRED, verdict TEXT);
CREATE TABLE claim_places (
    claim_id TEXT NOT NULL REFERENCES claims(claim_id),
    place TEXT NOT NULL REFERENCES places(name), PRIMARY KEY (claim_id, place));
CREATE TABLE claim_parts (
    claim_id TEXT NOT NULL REFERENCES claims(claim_id) DEFERRABLE INITIALLY DEFERRED,
    part_id TEXT NOT NULL REFERENCES claims(claim_id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL, PRIMARY KEY (claim_id, part_id, kind));
CREATE TABLE findings (
    id INTEGER PRIMARY KEY, claim_id TEXT NOT NULL REFERENCES claims(claim_id),
    other_claim_id TEXT REFERENCES claims(claim_id), code TEXT NOT NULL,
    severity TEXT NOT NULL, message TEXT NOT NULL);
"""


def to_sqlite(analysis: Analysis, records: list[dict[str, Any]], path: Path) -> None:
    """Write a new SQLite database at `path` (which must not exist yet)."""
    book = analysis.ledger
    con = sqlite3.connect(path)
    try:
        con.executescript(SCHEMA)
        with con:
            con.executemany(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(s.id, s.title, s.publisher, s.published, s.url, s.document, s.language)
                 for s in book.sources.values()],
            )  # fmt: skip
            entries = list(book.places.entries.values())
            con.executemany("INSERT INTO places VALUES (?, ?, ?, NULL)",
                            [(e.name, e.fields.get("code"), e.fields.get("level")) for e in entries])  # fmt: skip
            con.executemany("UPDATE places SET parent = ? WHERE name = ?",
                            [(e.parent, e.name) for e in entries if e.parent])  # fmt: skip
            ids = {r["claim_id"] for r in records if r["claim_id"]}
            marks = ", ".join("?" for _ in NAMES)
            con.executemany(
                f"INSERT INTO claims ({', '.join(NAMES)}) VALUES ({marks})",
                [[_sql(r, c, ids, book) for c in NAMES] for r in records if r["claim_id"]],
            )
            known = set(book.places.entries)
            con.executemany(
                "INSERT OR IGNORE INTO claim_places VALUES (?, ?)",
                [
                    (r["claim_id"], p)
                    for r in records
                    if r["claim_id"]
                    for p in r["places"]
                    if p in known
                ],
            )
            con.executemany(
                "INSERT OR IGNORE INTO claim_parts VALUES (?, ?, ?)",
                [
                    (c.claim, p.claim, c.kind)
                    for c in analysis.checks
                    for p in c.parts
                    if p.claim in ids
                ],
            )
            con.executemany(
                "INSERT INTO findings (claim_id, other_claim_id, code, severity, message) VALUES (?, ?, ?, ?, ?)",
                finding_rows(analysis, ids),
            )
    finally:
        con.close()


def _sql(rec: dict[str, Any], col: str, ids: set[str], book: Any) -> Any:
    value = rec[col]
    if col == "source_id" and value not in book.sources:
        return None
    if col == "same_as" and value not in ids:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


class ExportRefused(Exception):
    """The output cannot be written as asked (see `output.refusal`); nothing was written."""


def export_chunks(analysis: Analysis, fmt: str, raw: bool = False) -> Iterator[bytes]:
    """The export in `fmt` (an `ExportFormat`) as bytes, in pieces: the same bytes whether they
    go to a file, to standard output or into the cache."""
    try:
        fmt = ExportFormat(fmt)
    except ValueError:
        raise ValueError(f"unknown format {fmt!r}") from None
    if fmt == ExportFormat.PARQUET:
        raise ValueError("a Parquet dataset is a folder, not bytes: export(..., output=FOLDER)")
    records = rows(analysis)
    if fmt == ExportFormat.SQLITE:
        return _sqlite_bytes(analysis, records)
    text = {
        ExportFormat.CSV: lambda: to_csv(records, raw=raw),
        ExportFormat.HXL: lambda: to_csv(records, hxl=True, raw=raw),
        ExportFormat.JSON: lambda: to_json(records),
        ExportFormat.JSONL: lambda: to_jsonl(records),
    }[fmt]()
    return iter((text.encode("utf-8"),))


def export(
    analysis: Analysis, fmt: str, output: str | None, raw: bool = False, force: bool = False
) -> str | None:
    """Render `fmt` (an `ExportFormat`); write it atomically to `output` (returning None) or
    return the text; Parquet is a folder (`parquet.write_dataset`). ExportRefused when
    `output` may not be written (`output.refusal`: it exists without `force`, it is not a
    regular file or one of the ledger's own files; `parquet.refusal` for a folder) or SQLite
    or Parquet has none; `output.OutputFailed` when the write fails (nothing is written)."""
    on_disk = analysis.ledger.inputs is not None  # a ledger held in memory has no files
    refused = export_refusal(fmt, output, force, analysis.ledger.root if on_disk else None)
    if refused:
        raise ExportRefused(refused)
    if fmt == ExportFormat.PARQUET and output is not None:
        from .parquet import DatasetRefused, write_dataset

        try:
            write_dataset(analysis, output, force)
        except DatasetRefused as exc:
            raise ExportRefused(str(exc)) from None
        return None
    chunks = export_chunks(analysis, fmt, raw)
    if output is None:
        return b"".join(chunks).decode("utf-8")
    write_file(output, chunks)
    return None


def _sqlite_bytes(analysis: Analysis, records: list[dict[str, Any]]) -> Iterator[bytes]:
    """Build the database in a private temporary folder, then give its bytes (SQLite writes a
    file, not a stream); the folder is removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="aid-ledger-") as folder:
        path = Path(folder) / "ledger.db"
        to_sqlite(analysis, records, path)
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk
