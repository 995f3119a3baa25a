"""`export --format parquet`: the ledger as a typed Parquet dataset that DuckDB, Polars, pandas,
R/arrow and Spark read as it is, with no Python of ours in between.

One folder, one sub-folder per table (so a `**/*.parquet` glob over a table never mixes
schemas); `docs/parquet.md` is the reader's guide:

- `claims/status=<status>/start_year=<year>/part-<n>.parquet`: one row per claim, Hive
  partitioned by status and the year its period starts (`open`: an open start, `unknown`: no
  period). `places` are gazetteer names (null unless every place written resolved;
  `places_written` as written). Figures are decimals in the canonical unit (`low`, `point`,
  `high`; an unbounded end is null, never "inf"; `low_open`/`high_open` say whether an end is
  excluded), repeated text is dictionary encoded, places and links are lists, dates are
  dates. `in_totals` and
  `total_kind` say how `aid-ledger totals` counts the claim, so a query adds up what it adds up.
- `checks/`: each `sum_of`/`count_of` check: parts, verdict, the parts' sum, the point check.
- `findings/`: every finding, as the SQLite export has them.
- `sources/`, `places/`, `orgs/`; `place_closure/` and `org_closure/` (ancestor, descendant,
  depth; depth 0 is the entry itself) roll figures up by governorate or by state in a join.
- `contains/` and `overlaps/`: which claims each stated (containing) claim's scope holds, and
  which stated claims may share part of their scopes (`readings.Links`), so a query reads a
  row's stated and combined figures as `totals` does, with no gazetteer logic of its own.
  Claims carry their `position` in the ledger, which the partitions do not keep (a tie
  between two containing claims of one scope goes to the first).
- `_aid-ledger.json`: what wrote the folder, its tables and row counts. A folder without it is
  never replaced, even with `--force`: it is not ours to delete.

Claims are written in batches (`BATCH`), so a million claims never sit in memory twice. The
dataset is written into a hidden folder beside the target and renamed into place when whole:
a reader sees the old dataset or the new one, never half of one.

pyarrow is an optional extra (`pip install 'aid-ledger[parquet]'`); only this module imports it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._version import __version__
from .atomic import umask
from .output import DATASET_MARKER as MANIFEST
from .output import dataset_refusal, folder_kind

if TYPE_CHECKING:
    from .analysis import Analysis
    from .claim import Claim
    from .hierarchy import Hierarchy

LAYOUT = "aid-ledger parquet dataset"
LAYOUT_VERSION = 1
BATCH = 10_000  # claims per record batch (and at most per row group)
PRECISION = 38  # decimal128: DuckDB, Polars and Spark read it natively
SCALE = 18  # decimals kept unless a figure needs more (then as many as it needs, if they fit)
NO_STATUS = "unstated"
OPEN_START = "open"
NO_PERIOD = "unknown"
INSTALL = "pip install 'aid-ledger[parquet]'"


class DatasetRefused(Exception):
    """The dataset cannot be written as asked; nothing was written, an old one is unchanged."""


# --- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """What `write_dataset` wrote: rows per table and the decimal type of the figures."""

    folder: Path
    rows: dict[str, int]
    precision: int
    scale: int


def pyarrow_modules() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet; DatasetRefused says how to install them."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetRefused(
            f"--format parquet needs pyarrow, an optional extra: `{INSTALL}`."
        ) from None
    return pa, pq


def write_dataset(
    analysis: Analysis, output: str | os.PathLike[str], force: bool = False
) -> Written:
    """Write the dataset of `analysis` to folder `output`, whole or not at all.

    DatasetRefused when `output` may not be written (`output.dataset_refusal`) or a figure
    has more digits than a decimal holds; OSError from the disk leaves nothing behind and an
    old dataset as it was."""
    ledger = analysis.ledger
    refused = dataset_refusal(output, ledger.root if ledger.inputs is not None else None, force)
    if refused:
        raise DatasetRefused(refused)
    modules = pyarrow_modules()
    target = Path(output)
    precision, scale = decimal_type(_figures(analysis))
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        rows = _write_tables(analysis, tmp, modules, modules[0].decimal128(precision, scale))
        _write_manifest(tmp, rows, precision, scale)
        _take_umask(tmp)
        _swap(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Written(target, rows, precision, scale)


def _write_tables(analysis: Analysis, tmp: Path, modules: tuple[Any, Any], dec: Any) -> dict:
    from .findings import finding_rows

    pa, pq = modules
    book = analysis.ledger
    ids = {c.id for c in book.entries if c.id}
    findings = finding_rows(analysis, ids)
    codes: dict[str, set[str]] = defaultdict(set)  # a claim's finding codes (not its verdict)
    for claim, _other, code, _severity, _message in findings:
        if not code.startswith("verdict-"):
            codes[claim].add(code)
    rows = {"claims": _write_claims(analysis, tmp / "claims", modules, dec, codes)}
    tables = {
        "checks": check_table(analysis, pa, dec, codes),
        "findings": findings_table(findings, pa),
        "sources": sources_table(book.sources.values(), pa),
        "places": entries_table(book.places, ("code", "level"), pa),
        "place_closure": closure_table(book.places, pa),
        "orgs": entries_table(book.orgs, ("kind",), pa),
        "org_closure": closure_table(book.orgs, pa),
        **link_tables(analysis, pa),
    }
    for name, table in tables.items():
        (tmp / name).mkdir()
        pq.write_table(table, tmp / name / "part-0.parquet", compression="zstd")
        rows[name] = table.num_rows
    return rows


def _write_manifest(tmp: Path, rows: dict[str, int], precision: int, scale: int) -> None:
    manifest = {
        "layout": LAYOUT, "layout_version": LAYOUT_VERSION,
        "written_by": f"aid-ledger {__version__}",
        "tables": {name: {"rows": n, "files": f"{name}/**/*.parquet"} for name, n in rows.items()},
        "partitioning": {"claims": ["status", "start_year"]},
        "figures": {"type": "decimal", "precision": precision, "scale": scale},
    }  # fmt: skip
    text = json.dumps(manifest, indent=2) + "\n"
    (tmp / MANIFEST).write_text(text, encoding="utf-8")


def _take_umask(tmp: Path) -> None:
    """The top folder as `mkdir` would have made it (mkdtemp's is private): 0o777 less the
    umask. pyarrow makes the folders and files inside through plain calls that honour it."""
    os.chmod(tmp, 0o777 & ~umask())


def _swap(tmp: Path, target: Path) -> None:
    """Rename the new dataset into place; an earlier one (checked ours again) is moved aside
    first and deleted only once the new one stands, or put back if the rename fails."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    if folder_kind(target) is not None:  # it changed since the refusal: never delete it
        raise DatasetRefused(f"cannot write {target}: it changed while the dataset was written.")
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    old = aside / target.name
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old, target)
        os.rmdir(aside)
        raise
    shutil.rmtree(aside, ignore_errors=True)


# --- exact figures ------------------------------------------------------------------------------


def _figures(analysis: Analysis) -> Iterator[tuple[str, Decimal]]:
    """Every figure the dataset holds, with the claim it belongs to (for the refusal)."""
    for c in analysis.ledger.entries:
        if c.quantity is not None:
            yield c.id or c.location(), c.quantity.value
        if c.figure is not None:
            for x in (c.figure.stated.lo, c.figure.point, c.figure.stated.hi):
                yield c.id or c.location(), x
    for k in analysis.checks:
        for x in (k.point_sum, *(_ends(k.sum))):
            if x is not None:
                yield k.claim, x


def _ends(interval: Any) -> tuple[Decimal | None, Decimal | None]:
    return (None, None) if interval is None else (interval.lo, interval.hi)


def decimal_type(figures: Iterable[tuple[str, Decimal]]) -> tuple[int, int]:
    """(precision, scale) that holds every figure exactly: `SCALE` decimals, or more when a
    figure needs them; DatasetRefused names a figure no 38-digit decimal holds."""
    scale, whole, widest = SCALE, 1, None
    seen: set[Decimal] = set()
    for claim, x in figures:
        if x in seen or not x.is_finite():
            continue
        seen.add(x)
        sign, digits, exponent = x.normalize().as_tuple()
        places = max(0, -int(exponent))
        integer = max(1, len(digits) + int(exponent))
        if places > scale or integer > whole:
            scale, whole = max(scale, places), max(whole, integer)
            widest = (claim, x)
    if scale + whole > PRECISION:
        claim, x = widest or ("?", Decimal(0))
        raise DatasetRefused(
            f"cannot write the dataset: the figures need {scale + whole} digits ({whole} before "
            f"the point, {scale} after; claim `{claim}`: {x}), more than a {PRECISION}-digit "
            "decimal holds; export CSV or JSON instead, or state the figure in another unit."
        )
    return PRECISION, scale


def _dec(x: Decimal | None) -> Decimal | None:
    """A bound as stored: an unbounded end (infinite) is null."""
    return None if x is None or not x.is_finite() else x


# --- the claims table ---------------------------------------------------------------------------


def claim_fields(pa: Any, dec: Any) -> list[tuple[str, Any]]:
    """The claims table's columns and types, in order (the partition keys come last)."""
    text, words, names = pa.string(), pa.dictionary(pa.int32(), pa.string()), pa.list_(pa.string())
    return [
        ("claim_id", text), ("source_id", words), ("source_title", words),
        ("source_publisher", words), ("source_published", words), ("source_url", words),
        ("claimant", words), ("claimant_org", words), ("provider", words), ("provider_org", words),
        ("item", words), ("item_name", words), ("qualifier", words), ("stated_value", dec),
        ("stated_unit", words), ("canonical_unit", words), ("dimension", words),
        ("low", dec), ("point", dec), ("high", dec), ("low_open", pa.bool_()),
        ("high_open", pa.bool_()), ("places", names), ("places_written", names),
        ("place_codes", names),
        ("adm1_names", names), ("adm1_codes", names), ("period", words),
        ("date_start", pa.date32()), ("date_end", pa.date32()), ("in_totals", words),
        ("total_kind", words), ("quote", text), ("sum_of", names), ("count_of", names),
        ("count_groups", pa.list_(names)), ("same_as", text), ("verdict", words),
        ("finding_codes", names), ("file", words), ("line", pa.int32()),
        ("position", pa.int64()), ("status", text), ("start_year", text),
    ]  # fmt: skip


PARTITIONS = ("status", "start_year")


def _write_claims(
    analysis: Analysis, folder: Path, modules: tuple[Any, Any], dec: Any,
    codes: dict[str, set[str]],
) -> int:  # fmt: skip
    """The claims, partition by partition: sorted (stably) by their partition, so each
    partition's file is written once, in ledger order, a batch at a time through one open
    writer, and no more than a batch of rows is ever held as columns."""
    pa, pq = modules
    fields = claim_fields(pa, dec)
    schema = pa.schema([f for f in fields if f[0] not in PARTITIONS])
    folder.mkdir()
    claims = analysis.ledger.entries
    if not claims:  # no partition to write: one empty file keeps the table and its schema
        pq.write_table(pa.schema(fields).empty_table(), folder / "part-0.parquet")
        return 0
    columns = _ClaimColumns(analysis, codes)
    order = sorted(range(len(claims)), key=lambda n: partition_of(claims[n]))
    writer, current = None, None
    try:
        for start in range(0, len(order), BATCH):
            for key, group in groupby(
                order[start : start + BATCH], lambda n: partition_of(claims[n])
            ):
                if key != current:
                    writer = _close(writer) or _partition_writer(pq, folder, key, schema)
                    current = key
                values = columns.of(claims, list(group))
                arrays = [pa.array(v, type=f.type) for v, f in zip(values, schema, strict=True)]
                writer.write_batch(pa.record_batch(arrays, schema=schema))
    finally:
        _close(writer)
    return len(claims)


def partition_of(c: Claim) -> tuple[str, str]:
    """(status, start year) of a claim: the folders its row is written under."""
    return c.status or NO_STATUS, _start_year(c.period is not None, c.start)


def _partition_writer(pq: Any, folder: Path, key: tuple[str, str], schema: Any) -> Any:
    """A Parquet writer for one partition's file, `status=<s>/start_year=<y>/part-0.parquet`
    (values percent-encoded as Hive readers decode them: a `/` in a status stays one name)."""
    named = zip(PARTITIONS, key, strict=True)
    path = folder.joinpath(*(f"{name}={quote(value, safe='')}" for name, value in named))
    path.mkdir(parents=True)
    return pq.ParquetWriter(path / "part-0.parquet", schema, compression="zstd")


def _close(writer: Any) -> None:
    if writer is not None:
        writer.close()


class _ClaimColumns:
    """The claims table's columns for a slice of claims, as plain lists (pyarrow types them)."""

    def __init__(self, analysis: Analysis, codes: dict[str, set[str]]) -> None:
        from .totals import kind_of, period_spelling, role_of

        self.book = analysis.ledger
        self.analysis = analysis
        self.verdicts = {k.claim: str(k.verdict) for k in analysis.checks}
        self.codes = {claim: sorted(found) for claim, found in codes.items()}
        self.role_of, self.kind_of, self.spelling = role_of, kind_of, period_spelling
        self._places: dict[str, tuple[str | None, str | None, str | None]] = {}

    def of(self, claims: Sequence[Claim], positions: Sequence[int]) -> list[list[Any]]:
        """The columns of the claims at `positions` (their places in the ledger)."""
        rows = (self.row(claims[n], n) for n in positions)
        return [list(column) for column in zip(*rows, strict=True)]

    def row(self, c: Claim, position: int) -> tuple[Any, ...]:
        src = self.book.sources.get(c.source) if c.source else None
        q, u, f = c.quantity, c.unit, c.figure
        names = _list(c.place_names)
        found = [self._place(n) for n in names or ()]
        kind = self.kind_of(c)
        start, end = c.start, c.end
        return (
            c.id, c.source, src.title if src else None, src.publisher if src else None,
            str(src.published) if src else None, src.url if src else None,
            c.claimant, c.claimant_org, c.provider, c.provider_org, c.item, c.item_name,
            q.qualifier if q else None, q.value if q else None, q.unit if q else None,
            u.canonical if u else None, u.dimension if u else None,
            _dec(f.stated.lo) if f else None, _dec(f.point) if f else None,
            _dec(f.stated.hi) if f else None,
            f.stated.lo_open if f else None, f.stated.hi_open if f else None,
            names, _list(c.places), [p[0] for p in found], [p[1] for p in found],
            [p[2] for p in found],
            self.spelling(c), start, end, str(self.role_of(c, self.analysis)),
            str(kind) if kind else None, c.quote, _list(c.sum_of), _list(c.count_of),
            [list(g) for g in c.count_groups] if c.count_groups else None, c.same_as,
            self.verdicts.get(c.id or ""), self.codes.get(c.id or "", []), c.file, c.line,
            position,
        )  # fmt: skip

    def _place(self, name: str) -> tuple[str | None, str | None, str | None]:
        """(code, governorate, governorate's code) of a place, looked up once per name."""
        hit = self._places.get(name)
        if hit is None:
            from .vocab import PlaceLevel

            places = self.book.places
            adm1 = places.nearest(name, "level", PlaceLevel.GOVERNORATE)
            code = places.get(name, "code")
            hit = self._places[name] = (
                None if code is None else str(code), adm1,
                None if adm1 is None or places.get(adm1, "code") is None
                else str(places.get(adm1, "code")),
            )  # fmt: skip
        return hit


def _list(values: Sequence[str] | None) -> list[str] | None:
    return None if values is None else list(values)


def _start_year(has_period: bool, start: date | None) -> str:
    if not has_period:
        return NO_PERIOD
    return OPEN_START if start is None else str(start.year)


# --- the other tables ---------------------------------------------------------------------------


def check_table(analysis: Analysis, pa: Any, dec: Any, codes: dict[str, set[str]]) -> Any:
    """Each `sum_of`/`count_of` check: the claim, its parts (and those not in the ledger),
    verdict, the parts' sum and point sum, and whether the point check holds."""
    checks = analysis.checks
    names = pa.list_(pa.string())

    def sums(end: str) -> list[Decimal | None]:
        return [_dec(getattr(k.sum, end)) if k.sum is not None else None for k in checks]

    columns = {
        "claim_id": (pa.string(), [k.claim for k in checks]),
        "kind": (pa.string(), [str(k.kind) for k in checks]),
        "verdict": (pa.string(), [str(k.verdict) for k in checks]),
        "point_holds": (pa.bool_(), [k.point_holds for k in checks]),
        "parts": (names, [[p.claim for p in k.parts] for k in checks]),
        "missing_parts": (names, [[p.claim for p in k.parts if p.found is None] for k in checks]),
        "sum_low": (dec, sums("lo")),
        "sum_high": (dec, sums("hi")),
        "sum_high_open": (pa.bool_(), [k.sum.hi_open if k.sum else None for k in checks]),
        "point_sum": (dec, [_dec(k.point_sum) for k in checks]),
        "finding_codes": (names, [sorted(codes.get(k.claim, ())) for k in checks]),
    }  # fmt: skip
    return _table(pa, columns)


def findings_table(findings: Sequence[tuple[Any, ...]], pa: Any) -> Any:
    """Every finding, one row per claim it names (as in the SQLite export's `findings`)."""
    return _text_table(pa, findings, ("claim_id", "other_claim_id", "code", "severity", "message"))


def sources_table(sources: Iterable[Any], pa: Any) -> Any:
    found = list(sources)
    text = pa.string()
    return _table(pa, {
        "source_id": (text, [s.id for s in found]),
        "title": (text, [s.title for s in found]),
        "publisher": (text, [s.publisher for s in found]),
        "published": (text, [str(s.published) for s in found]),
        "published_date": (pa.date32(), [_day(s.published) for s in found]),
        "url": (text, [s.url for s in found]),
        "document": (text, [s.document for s in found]),
        "language": (text, [s.language for s in found]),
    })  # fmt: skip


def _day(published: Any) -> date | None:
    """The publication day, when one day is given (a month or a year is no day)."""
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published)) if len(str(published)) == 10 else None
    except ValueError:
        return None


def entries_table(tree: Hierarchy | None, keys: tuple[str, ...], pa: Any) -> Any:
    """The entries of a gazetteer (places, orgs): name, parent, aliases and the fields `keys`."""
    entries = list(tree.entries.values()) if tree is not None else []
    text = pa.string()
    columns = {
        "name": (text, [e.name for e in entries]),
        "parent": (text, [e.parent for e in entries]),
        "aliases": (pa.list_(text), [list(e.aliases) for e in entries]),
    }
    for key in keys:
        columns[key] = (text, [_text(e.fields.get(key)) for e in entries])
    return _table(pa, columns)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def closure_table(tree: Hierarchy | None, pa: Any) -> Any:
    """(ancestor, descendant, depth) for every entry and each of its ancestors, the entry
    itself at depth 0: a roll-up to any level is one join, with no recursion."""
    rows: list[tuple[str, str, int]] = []
    for name in tree.entries if tree is not None else ():
        rows.append((name, name, 0))
        rows += [(a, name, n) for n, a in enumerate(tree.ancestors(name), start=1)]
    return _table(pa, {
        "ancestor": (pa.string(), [r[0] for r in rows]),
        "descendant": (pa.string(), [r[1] for r in rows]),
        "depth": (pa.int32(), [r[2] for r in rows]),
    })  # fmt: skip


def link_tables(analysis: Analysis, pa: Any) -> dict[str, Any]:
    """`contains` (outer_id, inner_id, through) and `overlaps` (first_id, second_id): which
    stated claims' scopes hold which claims, and which may share a part (readings.Links), so
    a query reads a row's stated figures as `totals` does."""
    from .readings import links
    from .totals import roles

    found = links(analysis.ledger, *roles(analysis))
    return {
        "contains": _text_table(pa, found.contains, ("outer_id", "inner_id", "through")),
        "overlaps": _text_table(pa, found.overlaps, ("first_id", "second_id")),
    }


def _text_table(pa: Any, rows: Sequence[Sequence[Any]], names: Sequence[str]) -> Any:
    """A table of text columns `names` from rows of that many values (by position)."""
    return _table(pa, {name: (pa.string(), [row[n] for row in rows])
                       for n, name in enumerate(names)})  # fmt: skip


def _table(pa: Any, columns: dict[str, tuple[Any, list[Any]]]) -> Any:
    return pa.table({name: pa.array(values, type=kind) for name, (kind, values) in columns.items()})


__all__ = ["MANIFEST", "DatasetRefused", "Written", "decimal_type", "write_dataset"]
