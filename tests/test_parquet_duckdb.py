"""Issue 15's proof that the Parquet dataset serves: the DuckDB query of `docs/parquet.md`,
run as the docs print it, gives the rows of `aid-ledger totals --by provider,place --level
governorate` (and with `status` as a key: pledges apart) on the seed ledger, on a generated
ledger of every shape the generator writes, and on a generated 100,000-claim ledger.

The expected rows come from `ledger.totals.totals` (the library behind the command), never from
the exporter, and every column is compared: the itemised sums and the stated and combined
readings of containing claims (conflicts, overlapping scopes, nested and tied claims).
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

import ledger
from ledger.analysis import Analysis, analyse
from ledger.parquet import write_dataset
from ledger.totals import COLUMNS, totals

from .conftest import REPO, SEED_DATA
from .test_analysis import analysed, load_memory

DOCS = REPO / "docs" / "parquet.md"
LARGE = 100_000


def recipe() -> str:
    """The SQL block of docs/parquet.md that starts with the totals comment."""
    blocks = re.findall(r"```sql\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if b.startswith("-- totals --by provider,place --level governorate")]
    assert len(found) == 1, "docs/parquet.md lost its totals recipe"
    return found[0]


def with_status(sql: str) -> str:
    """The docs' variant for pledges apart: `status` added after `place` where the docs say."""
    edits = [
        ("coalesce(cp.place, '(unknown)') AS place,", "coalesce(cp.place, '(unknown)') AS place, c.status,"),
        ("ORDER BY provider, place, kind_order", "ORDER BY provider, place, status, kind_order"),
        ("SELECT row_id, provider, place, kind", "SELECT row_id, provider, place, status, kind"),
    ]  # fmt: skip
    for old, new in edits:
        assert sql.count(old) == 1, old
        sql = sql.replace(old, new)
    return sql


def _plain(x: Any) -> Any:
    """A figure compared by value: 4 == 4.000000000000000000; unbounded (inf) as None."""
    if isinstance(x, Decimal):
        return x.normalize() if x.is_finite() else None
    return x


def expected(analysis: Analysis, by: tuple[str, ...]) -> list[tuple[Any, ...]]:
    table = totals(analysis, by=by, level="governorate")
    return [tuple(_plain(r[c]) for c in (*by, *COLUMNS)) for r in table.to_dict("records")]


def queried(folder: Path, sql: str) -> list[tuple[Any, ...]]:
    rows = duckdb.sql(sql.replace("DIR", folder.as_posix())).fetchall()
    return [tuple(_plain(v) for v in row) for row in rows]


def assert_same_totals(analysis: Analysis, folder: Path) -> None:
    write_dataset(analysis, folder)
    got = queried(folder, recipe())
    want = expected(analysis, ("provider", "place"))
    assert got == want  # the same rows in the same order
    got = queried(folder, with_status(recipe()))
    want = expected(analysis, ("provider", "place", "status"))
    assert got == want


def test_the_recipe_gives_the_seed_ledgers_totals(tmp_path: Path) -> None:
    analysis = analyse(ledger.load(SEED_DATA, use_cache=False, write_cache=False))
    assert_same_totals(analysis, tmp_path / "seed.parquet")
    rows = queried(tmp_path / "seed.parquet", recipe())
    assert {r[1] for r in rows} == {"Aleppo governorate", "Rural Damascus governorate"}


# Every kind of row `totals` makes, in one small ledger (places of tests/test_analysis.py).
SHAPES: list[dict[str, Any]] = [
    {"id": "cum", "quantity": "more than 3,000 t", "places": ["Syria"], "period": "2015/2016-12-02"},
    {"id": "a1", "quantity": "about 4 t", "places": ["Hananu 3", "al-Mahalej camp"]},
    {"id": "a2", "quantity": "1.5 t", "places": ["Saydnaya"], "date": "2016-12-01"},
    {"id": "a3", "quantity": "0.1 t", "places": ["Aleppo city", "Saydnaya"], "date": "2016-11"},
    {"id": "a4", "quantity": "0.2 t", "places": ["Aleppo city", "Saydnaya"], "date": "2016"},
    {"id": "b1", "quantity": "2 t", "places": ["Beirut"], "date": "2016-12-02"},
    {"id": "b1-again", "quantity": "2 t", "places": ["Beirut"], "date": "2016-12-02",
     "source": "src-b", "same_as": "b1"},
    {"id": "pledge", "quantity": "up to 10 t", "places": ["Aleppo city"], "status": "pledged"},
    {"id": "run", "quantity": "300 t", "places": ["Lebanon"], "period": "../2016-12-02"},
    {"id": "run2", "quantity": "at least 20 t", "places": ["Lebanon"], "period": "../2016-11-30"},
    {"id": "people", "quantity": "1,200 residents", "item": "residents", "places": ["Beirut"]},
    {"id": "total", "quantity": "about 5.5 t", "places": ["Aleppo governorate", "Saydnaya"],
     "sum_of": ["a1", "a2"]},
    {"id": "nothing", "quantity": "0 t", "places": ["Beirut"], "provider": "Iran"},
]  # fmt: skip


def test_the_recipe_gives_every_kind_of_row(tmp_path: Path) -> None:
    """Running totals (a row per period), people reached, a containing claim's row of its own,
    pledges, an unbounded total, places in two governorates and a place in none, `same_as`,
    a `sum_of` counted through its parts, a zero claim: each as `totals` makes it."""
    analysis = analysed(tmp_path, SHAPES)
    table = totals(analysis, by=("provider", "place"), level="governorate")
    assert set(table["kind"]) == {"quantity", "people reached", "running total"}
    assert any(_plain(v) is None for v in table["high"])  # "more than", "at least"
    assert any(n == 0 for n in table["claims"])  # the cumulative's row: stated only
    assert "Aleppo governorate + Rural Damascus governorate" in set(table["place"])
    assert_same_totals(analysis, tmp_path / "shapes.parquet")


# Every stated reading `totals` makes, row by row (governorates of tests/test_analysis.py):
# Russia/Aleppo: a containing claim ("more than 10 t" in 2016) stated twice (the first is the
#   widest), holding a narrower containing claim, two deliveries of its row, a delivery by a
#   unit of Russia (another row) and leaving one of its row outside (2017);
# Iran: a stated figure too small for what it holds (conflict);
# China: two containing claims sharing part of their periods (overlapping), a delivery inside
#   both and an unbounded one outside both;
# UN/Beirut: four containing claims of one row ("and 1 more") beside pledges;
# Russia/Rural Damascus: a `sum_of` with a part missing (stated) whose other part lies in
#   another row; WFP: "more than 5 t" holding exactly 5 t (the low end stays open).
READINGS: list[dict[str, Any]] = [
    {"id": "ag", "quantity": "more than 10 t", "places": ["Aleppo governorate"], "period": "2016"},
    {"id": "ag-again", "quantity": "about 12 t", "places": ["Aleppo governorate"],
     "period": "2016", "source": "src-b"},
    {"id": "city", "quantity": "about 8 t", "places": ["Aleppo city"], "period": "2016"},
    {"id": "d1", "quantity": "2 t", "places": ["Hananu 3"], "date": "2016-12-01"},
    {"id": "d2", "quantity": "3 t", "places": ["al-Mahalej camp"], "date": "2016-11-01"},
    {"id": "d3", "quantity": "1 t", "places": ["Aleppo city"], "date": "2017-01-05"},
    {"id": "mod-d", "quantity": "4 t", "places": ["Aleppo city"], "date": "2016-10-01",
     "provider": "Russian Ministry of Defence"},
    {"id": "ir-cum", "quantity": "1 t", "places": ["Damascus governorate"], "period": "2016",
     "provider": "Iran"},
    {"id": "ir-d", "quantity": "2.45 t", "places": ["Damascus governorate"],
     "date": "2016-05-01", "provider": "Iran"},
    {"id": "cn-1", "quantity": "about 10 t", "places": ["Rural Damascus governorate"],
     "period": "2016-01-01/2016-06-30", "provider": "China"},
    {"id": "cn-2", "quantity": "about 20 t", "places": ["Rural Damascus governorate"],
     "period": "2016-04-01/2016-09-30", "provider": "China"},
    {"id": "cn-d", "quantity": "3 t", "places": ["Saydnaya"], "date": "2016-05-01",
     "provider": "China"},
    {"id": "cn-x", "quantity": "more than 1 t", "places": ["Saydnaya"], "date": "2016-12-01",
     "provider": "China"},
    *({"id": f"un-{m}", "quantity": f"about {m}0 t", "places": ["Beirut"],
       "period": f"2016-0{m}", "provider": "UN"} for m in range(1, 5)),
    *({"id": f"un-d{m}", "quantity": f"{m} t", "places": ["Beirut"], "date": f"2016-0{m}-10",
       "provider": "UN"} for m in range(1, 5)),
    {"id": "un-p", "quantity": "up to 50 t", "places": ["Beirut"], "period": "2016",
     "provider": "UN", "status": "pledged"},
    {"id": "un-pd", "quantity": "5 t", "places": ["Beirut"], "date": "2016-06-01",
     "provider": "UN", "status": "pledged"},
    {"id": "s-total", "quantity": "about 7 t", "places": ["Saydnaya"], "date": "2016-12-01",
     "sum_of": ["s1", "s-missing"]},
    {"id": "s1", "quantity": "3 t", "places": ["Beirut"], "date": "2016-12-01"},
    {"id": "more", "quantity": "more than 5 t", "places": ["Lebanon"], "period": "2015",
     "provider": "WFP"},
    {"id": "more-d", "quantity": "5 t", "places": ["Beirut"], "date": "2015-03-01",
     "provider": "WFP"},
]  # fmt: skip
ORGS = """\
- {name: Russia, kind: state}
- {name: Russian Ministry of Defence, kind: ministry, parent: Russia,
   aliases: [Ministry of Defence]}
- {name: Iran, kind: state}
- {name: China, kind: state}
- {name: UN, kind: agency}
- {name: WFP, kind: agency, parent: UN}
"""


def readings_ledger() -> Analysis:
    book = load_memory(READINGS, more={"data/orgs.yaml": ORGS})
    # the one error is the missing part, which makes `s-total` a stated figure
    assert [p.code for p in book.problems] == ["sum-of-unknown"]
    return analyse(book)


def test_the_recipe_gives_every_stated_reading(tmp_path: Path) -> None:
    analysis = readings_ledger()
    table = totals(analysis, by=("provider", "place"), level="governorate")
    read = table[table["stated_by"] != ""]
    assert set(read["note"]) == {"", "conflict", "overlapping"}
    assert "un-1, un-2, un-3 and 1 more" in set(read["stated_by"])
    assert "ag" in set(read["stated_by"]) and "ag-again" not in set(read["stated_by"])
    assert any(_plain(v) is None for v in read["combined_high"])  # unbounded
    assert_same_totals(analysis, tmp_path / "readings.parquet")


def test_an_empty_ledger_gives_an_empty_table_not_a_missing_one(tmp_path: Path) -> None:
    # With no claim there is no partition folder to write; without a file DuckDB's glob fails
    # ("No files found"): the claims table is one empty file with the whole schema.
    analysis = analyse(load_memory([]))
    write_dataset(analysis, tmp_path / "empty")
    assert queried(tmp_path / "empty", recipe()) == []
    count = "SELECT count(*) FROM read_parquet('DIR/claims/**/*.parquet', hive_partitioning = true)"
    assert queried(tmp_path / "empty", count) == [(0,)]


def _generated(tmp_path_factory: pytest.TempPathFactory, claims: int) -> Analysis:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    out = tmp_path_factory.mktemp(f"generated-{claims}")
    generate(claims, out, seed=15)
    return analyse(ledger.load(out / "data", use_cache=False, write_cache=False))


def test_the_recipe_gives_a_generated_ledgers_totals(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Every shape the generator writes: pledges, people, running totals ("since ..."),
    unbounded figures, sums, duplicates (`same_as`), containing claims, many governorates."""
    analysis = _generated(tmp_path_factory, 3_000)
    table = totals(analysis, by=("provider", "place", "status"), level="governorate")
    assert {"pledged", "delivered"} <= set(table["status"])
    assert any(_plain(v) is None for v in table["high"])  # an unbounded total
    assert (table["stated_by"] != "").any()  # a containing claim's reading
    assert_same_totals(analysis, tmp_path / "generated.parquet")


def test_the_recipe_gives_a_100000_claim_ledgers_totals(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    analysis = _generated(tmp_path_factory, LARGE)
    assert len(analysis.ledger.entries) == LARGE
    assert_same_totals(analysis, tmp_path / "large.parquet")
