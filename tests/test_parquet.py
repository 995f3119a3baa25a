"""`aid-ledger export --format parquet -o DIR` (issue 15): the typed, partitioned dataset, read
back with pyarrow, pandas and Polars; every figure kept exactly; written whole or not at all,
never over a folder it did not write, with the umask's modes.

Expected values come from the library (`ledger.load` + `analyse`), never from the exporter.
"""

from __future__ import annotations

import builtins
import json
import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import ledger
from ledger.analysis import Analysis, analyse
from ledger.parquet import MANIFEST, SCALE, DatasetRefused, decimal_type, write_dataset
from ledger.scopes import Relation, relate, scope_within
from ledger.totals import role_of

from .conftest import SEED_DATA, cli_run
from .test_analysis import analysed
from .test_parquet_duckdb import _generated, readings_ledger

TABLES = {"claims", "checks", "findings", "sources", "places", "place_closure", "orgs",
          "org_closure", "contains", "overlaps"}  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyse(ledger.load(SEED_DATA, use_cache=False, write_cache=False))


@pytest.fixture(scope="module")
def seed_dataset(seed: Analysis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "seed.parquet"
    write_dataset(seed, folder)
    return folder


def claims_of(folder: Path) -> dict[str, dict[str, Any]]:
    table = ds.dataset(folder / "claims", format="parquet", partitioning="hive").to_table()
    return {row["claim_id"]: row for row in table.to_pylist()}


# --- layout and schema ---------------------------------------------------------------------------


def test_each_table_is_a_folder_and_claims_are_partitioned(seed_dataset: Path, seed: Analysis):
    folders = {p.name for p in seed_dataset.iterdir() if p.is_dir()}
    assert folders == TABLES
    parts = {p.relative_to(seed_dataset / "claims").parent.as_posix()
             for p in (seed_dataset / "claims").rglob("*.parquet")}  # fmt: skip
    want = {f"status={c.status}/start_year={c.start.year if c.start else 'open'}"
            for c in seed.ledger.entries}  # fmt: skip
    assert parts == want
    manifest = json.loads((seed_dataset / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tables"]["claims"]["rows"] == len(seed.ledger.entries)
    assert manifest["figures"] == {"type": "decimal", "precision": 38, "scale": SCALE}


def test_each_partition_is_one_file_in_ledger_order(tmp_path: Path):
    # claims of two statuses and three years, interleaved in the ledger: each partition's
    # file holds its claims in the order the ledger writes them
    claims = [{"id": f"c{n}", "quantity": f"{n + 1} t", "date": f"{2014 + n % 3}-05-01",
               "status": ("delivered", "pledged")[n % 2]} for n in range(12)]  # fmt: skip
    analysis = analysed(tmp_path, claims)
    write_dataset(analysis, tmp_path / "d")
    files = sorted((tmp_path / "d" / "claims").rglob("*.parquet"))
    assert len(files) == 6 and all(f.name == "part-0.parquet" for f in files)
    order = [c.id for c in analysis.ledger.entries]
    for f in files:
        ids = pq.read_table(f).column("claim_id").to_pylist()
        assert ids == sorted(ids, key=order.index) and len(ids) == 2


def test_the_claims_schema_is_typed(seed_dataset: Path):
    schema = ds.dataset(seed_dataset / "claims", format="parquet", partitioning="hive").schema
    kind = {f.name: f.type for f in schema}
    for col in ("low", "point", "high", "stated_value"):
        assert kind[col] == pa.decimal128(38, SCALE), col
    for col in ("canonical_unit", "dimension", "in_totals", "verdict"):
        assert pa.types.is_dictionary(kind[col]), col
    for col in ("places", "place_codes", "sum_of", "count_of", "finding_codes"):
        assert kind[col] == pa.list_(pa.string()), col
    assert kind["date_start"] == pa.date32() and kind["line"] == pa.int32()
    assert kind["low_open"] == pa.bool_()


def test_every_claim_and_figure_round_trips_exactly(seed_dataset: Path, seed: Analysis):
    rows = claims_of(seed_dataset)
    assert set(rows) == {c.id for c in seed.ledger.entries}
    for n, c in enumerate(seed.ledger.entries):
        row, f = rows[c.id], c.figure
        assert row["position"] == n  # the ledger's order, which the partitions do not keep
        if f is None:
            assert row["low"] is row["point"] is row["high"] is None
            continue
        hi = f.stated.hi if f.stated.hi.is_finite() else None
        assert (row["low"], row["point"], row["high"]) == (f.stated.lo, f.point, hi), c.id
        assert (row["low_open"], row["high_open"]) == (f.stated.lo_open, f.stated.hi_open)
        assert row["canonical_unit"] == (c.unit.canonical if c.unit else None)
        assert row["status"] == c.status
        assert row["places"] == list(c.place_names) and row["places_written"] == list(c.places)
        assert (row["date_start"], row["date_end"]) == (c.start, c.end)
        assert row["in_totals"] == role_of(c, seed)
        assert row["sum_of"] == (list(c.sum_of) if c.sum_of else None)
        assert row["quote"] == c.quote


def test_a_more_than_figure_is_unbounded_as_null_and_open(tmp_path: Path):
    analysis = analysed(tmp_path, [{"id": "x", "quantity": "more than 5 t"}])
    write_dataset(analysis, tmp_path / "d")
    row = claims_of(tmp_path / "d")["x"]
    assert (row["low"], row["high"], row["low_open"]) == (Decimal(5), None, True)


def test_figures_finer_than_the_default_scale_widen_it_and_stay_exact(tmp_path: Path):
    # 1.2345678901234567891 t has 19 decimals: the scale widens to hold it, never rounds it
    analysis = analysed(tmp_path, [{"id": "fine", "quantity": "1.2345678901234567891 t"}])
    written = write_dataset(analysis, tmp_path / "d")
    assert written.scale == 19
    assert claims_of(tmp_path / "d")["fine"]["point"] == Decimal("1.2345678901234567891")


def test_a_figure_no_decimal_holds_is_refused_by_name():
    assert decimal_type([("a", Decimal("4")), ("b", Decimal("0.5"))]) == (38, SCALE)
    with pytest.raises(DatasetRefused, match=r"claim `huge`.*38-digit"):
        decimal_type([("huge", Decimal("1E+30")), ("fine", Decimal("0.000001"))])


def test_checks_findings_and_closures_hold_what_the_analysis_holds(
    seed_dataset: Path, seed: Analysis
):
    checks = pq.read_table(seed_dataset / "checks").to_pylist()
    assert [(c["claim_id"], c["verdict"]) for c in checks] == [
        (k.claim, k.verdict) for k in seed.checks
    ]
    assert [c["parts"] for c in checks] == [[p.claim for p in k.parts] for k in seed.checks]
    closure = {(r["ancestor"], r["descendant"], r["depth"])
               for r in pq.read_table(seed_dataset / "place_closure").to_pylist()}  # fmt: skip
    places = seed.ledger.places
    for name in places.entries:
        assert (name, name, 0) in closure
        for depth, above in enumerate(places.ancestors(name), start=1):
            assert (above, name, depth) in closure
    assert len(closure) == sum(1 + len(places.ancestors(n)) for n in places.entries)
    orgs = {r["name"]: r for r in pq.read_table(seed_dataset / "orgs").to_pylist()}
    assert set(orgs) == set(seed.ledger.orgs.entries)


def test_pandas_and_polars_read_the_same_files_without_conversion(seed_dataset: Path):
    import pandas as pd

    frame = pd.read_parquet(seed_dataset / "claims")
    assert len(frame) == len(claims_of(seed_dataset))
    assert set(frame["status"].astype(str)) == {
        r["status"] for r in claims_of(seed_dataset).values()
    }
    lazy = polars.read_parquet(f"{seed_dataset}/claims/**/*.parquet", hive_partitioning=True)
    assert lazy.height == len(frame)
    assert str(lazy.schema["low"]).startswith("Decimal")


# --- where it goes, and how ----------------------------------------------------------------------


def test_the_cli_writes_the_folder_and_says_what_it_wrote(seed_copy: Path, tmp_path: Path):
    out = tmp_path / "out.parquet"
    result = cli_run("export", str(seed_copy), "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / MANIFEST).is_file()
    assert f"{len(claims_of(out))} claims" in result.stderr


def test_parquet_needs_a_folder_to_write_to(seed_copy: Path):
    result = cli_run("export", str(seed_copy), "--format", "parquet")
    assert result.exit_code == 2 and "needs -o FOLDER" in result.output


def test_an_earlier_export_is_replaced_only_with_force(seed_copy: Path, tmp_path: Path):
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / "out.parquet"
    assert cli_run("export", str(seed_copy), "--format", "parquet", "-o", str(out)).exit_code == 0
    (out / "marker").write_text("old")
    again = cli_run("export", str(seed_copy), "--format", "parquet", "-o", str(out))
    assert again.exit_code == 2 and "add --force" in again.output
    assert (out / "marker").exists()
    forced = cli_run("export", str(seed_copy), "--format", "parquet", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert not (out / "marker").exists() and (out / MANIFEST).is_file()
    assert [p.name for p in out.parent.iterdir()] == ["out.parquet"]  # nothing left aside


@pytest.mark.parametrize("make", ["folder", "file", "link"])
def test_what_no_export_wrote_is_never_replaced_even_with_force(
    make: str, seed_copy: Path, tmp_path: Path
):
    out = tmp_path / "target"
    if make == "folder":
        out.mkdir()
        (out / "thesis.txt").write_text("years of work")
    elif make == "file":
        out.write_text("years of work")
    else:
        (tmp_path / "real").mkdir()
        out.symlink_to(tmp_path / "real")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = cli_run("export", str(seed_copy), "--format", "parquet", "-o", str(out), "--force")
    assert result.exit_code == 2 and "cannot write" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("inside", ["claims/new.parquet", ".aid-ledger-cache/x", "."])
def test_the_ledgers_own_folders_are_refused(inside: str, seed_copy: Path):
    out = seed_copy / inside
    result = cli_run("export", str(seed_copy), "--format", "parquet", "-o", str(out), "--force")
    assert result.exit_code == 2 and "ledger" in result.output
    assert not (seed_copy / "claims" / "new.parquet").exists()


def test_a_failure_midway_leaves_nothing_and_the_old_dataset_whole(
    seed: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "d"
    write_dataset(seed, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full_disk(*args: Any, **kw: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_dataset(seed, out, force=True)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["d"]  # no temporary folder left


def test_folders_and_files_take_the_umask(seed: Analysis, tmp_path: Path):
    old = os.umask(0o027)
    try:
        write_dataset(seed, tmp_path / "d")
    finally:
        os.umask(old)
    for path in [tmp_path / "d", *(tmp_path / "d").rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o750 if path.is_dir() else 0o640), (path, oct(mode))


def test_without_pyarrow_the_command_says_how_to_install_it(
    seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kw: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    out = tmp_path / "d"
    result = cli_run("export", str(seed_copy), "--format", "parquet", "-o", str(out))
    assert result.exit_code == 2
    assert "aid-ledger[parquet]" in result.output and not out.exists()


# --- what containing claims hold ----------------------------------------------------------------


def _brute_links(analysis: Analysis) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    """`contains` and `overlaps` worked out pair by pair (every claim against every stated
    claim), through the scope tests themselves: the dataset's index must find the same."""
    roles = {c.id: role_of(c, analysis) for c in analysis.ledger.entries}
    counted = [c for c in analysis.ledger.entries if roles[c.id] in ("itemised", "stated")]
    stated = [c for c in counted if roles[c.id] == "stated"]
    book = analysis.ledger

    def holds(x: Any, y: Any) -> bool:
        return (x is not y and bool(y.place_names) and x.status == y.status
                and x.figure.dimension == y.figure.dimension and scope_within(x, y, book))  # fmt: skip

    contains = {(x.id, y.id, "scope") for x in stated for y in counted if holds(x, y)}
    contains |= {(x.id, p, "sum_of") for x in stated for p in x.sum_of or ()
                 if roles.get(p) == "itemised" and (x.id, p, "scope") not in contains}  # fmt: skip
    overlaps = {
        (x.id, y.id)
        for n, x in enumerate(stated) for y in stated[n + 1 :]
        if x.figure.unit == y.figure.unit and not holds(x, y) and not holds(y, x)
        and relate(x, y, book)[0] != Relation.DISJOINT
    }  # fmt: skip
    return contains, overlaps


@pytest.mark.parametrize("which", ["readings", "generated"])
def test_contains_and_overlaps_are_every_pair_the_scopes_make(
    which: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
):
    analysis = readings_ledger() if which == "readings" else _generated(tmp_path_factory, 3_000)
    write_dataset(analysis, tmp_path / "d")
    contains = {(r["outer_id"], r["inner_id"], r["through"])
                for r in pq.read_table(tmp_path / "d" / "contains").to_pylist()}  # fmt: skip
    overlaps = {(r["first_id"], r["second_id"])
                for r in pq.read_table(tmp_path / "d" / "overlaps").to_pylist()}  # fmt: skip
    assert (contains, overlaps) == _brute_links(analysis)
    assert contains  # not vacuous: the ledger has containing claims
    if which == "readings":
        assert ("s-total", "s1", "sum_of") in contains  # a part outside the total's scope
        assert {("ag", "ag-again", "scope"), ("ag-again", "ag", "scope")} <= contains
        assert ("ag", "mod-d", "scope") in contains  # a delivery by a unit of Russia
        assert not any(inner == "d3" for _, inner, _ in contains)  # 2017, outside 2016
        assert overlaps == {("cn-1", "cn-2")}
