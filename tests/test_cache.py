"""The parse cache: plain JSON, checked before use; nothing read back can run code or crash."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import ledger
from ledger.cache import FOLDER, ParseCache, digest

from .conftest import SEED_CLAIMS, cli_run


def content(book: ledger.Ledger) -> tuple[list, list]:
    return [c.content() for c in book.entries], [p.as_dict() for p in book.problems]


def entry_path(data: Path) -> Path:
    """Where the cache keeps the seed claim file's parse."""
    key = digest((data / SEED_CLAIMS).read_bytes())
    return data / FOLDER / "claims" / f"{key}.json"


class Explode:
    """Unpickling this writes a marker file: proof that the cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "ran"))


def test_a_warm_load_gives_the_same_ledger_from_plain_json(seed_copy: Path):
    fresh = ledger.load(seed_copy, use_cache=False)
    ledger.load(seed_copy)  # fills the cache
    path = entry_path(seed_copy)
    assert path.is_file()
    entry = json.loads(path.read_text(encoding="utf-8"))  # JSON, not a pickle
    assert set(entry) == {"tag", "key", "lined", "records", "problems"}
    assert not list((seed_copy / FOLDER).rglob("*.pickle"))
    warm = ledger.load(seed_copy)
    assert content(warm) == content(fresh)
    assert all(isinstance(c.places, tuple) for c in warm.entries if c.places is not None)


def test_a_cached_file_with_problems_keeps_their_lines(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("status: delivered", "status: deliverd", 1),
        encoding="utf-8",
    )
    fresh = ledger.load(seed_copy, use_cache=False)
    ledger.load(seed_copy)
    warm = ledger.load(seed_copy)
    assert [p.code for p in warm.problems] == ["status-invalid"]
    assert content(warm) == content(fresh)


@pytest.mark.parametrize("name", ["json", "pickle"])
def test_a_pickle_in_the_cache_never_runs(seed_copy: Path, tmp_path: Path, name: str):
    fresh = ledger.load(seed_copy, use_cache=False)
    marker = tmp_path / "marker"
    payload = pickle.dumps(([Explode(marker)], [], True))
    path = entry_path(seed_copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    tag = ParseCache(seed_copy).tag.rsplit("/", 1)[0]
    if name == "pickle":  # the old layout: a tag line, then a pickle
        path = path.with_suffix(".pickle")
        path.write_bytes(f"{tag}/1\n".encode() + payload)
    else:
        path.write_bytes(payload)
    book = ledger.load(seed_copy)
    assert not marker.exists()
    assert content(book) == content(fresh)


@pytest.mark.parametrize(
    "records",
    [
        5,
        [5],
        [{"line": "one", "lines": {}}],
        [{"line": 1, "lines": {"id": True}}],
        [{"line": 1, "lines": {}, "places": "Aleppo"}],
        [{"line": 1, "lines": {}, "places": [1, 2]}],
        [{"line": 1, "lines": {}, "quantity": 4}],
        [{"line": 1, "lines": {}, "id": {"a": 1}}],
    ],
    ids=["not-a-list", "not-a-record", "line", "lines", "places-text", "places-numbers",
         "quantity", "id"],
)  # fmt: skip
def test_a_cache_entry_of_the_wrong_shape_is_ignored_and_rebuilt(seed_copy: Path, records):
    fresh = ledger.load(seed_copy, use_cache=False)
    path = entry_path(seed_copy)
    key = path.stem
    path.parent.mkdir(parents=True, exist_ok=True)
    bad = {"tag": ParseCache(seed_copy).tag, "key": key, "lined": True, "records": records,
           "problems": []}  # fmt: skip
    path.write_text(json.dumps(bad), encoding="utf-8")
    book = ledger.load(seed_copy)
    assert content(book) == content(fresh)
    assert json.loads(path.read_text(encoding="utf-8"))["records"] != records  # rebuilt


@pytest.mark.parametrize(
    "text", ["", "{", "null", "[]", '{"tag": 1}', '{"tag": "x", "records": []}'],
    ids=["empty", "cut", "null", "list", "tag-number", "other-version"],
)  # fmt: skip
def test_unreadable_or_foreign_entries_are_ignored(seed_copy: Path, text: str):
    fresh = ledger.load(seed_copy, use_cache=False)
    path = entry_path(seed_copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    assert content(ledger.load(seed_copy)) == content(fresh)


def test_problems_of_the_wrong_shape_are_ignored(seed_copy: Path):
    fresh = ledger.load(seed_copy, use_cache=False)
    ledger.load(seed_copy)
    path = entry_path(seed_copy)
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["problems"] = [[1, "fatal", "x", "y"]]
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert content(ledger.load(seed_copy)) == content(fresh)


@pytest.mark.parametrize(
    "result",
    [{}, {"problems": 5, "claims": 1, "files": 1}, {"problems": [{"x": 1}], "claims": 1,
     "files": 1}, {"problems": [], "claims": "12", "files": 1}],
    ids=["empty", "problems-number", "problem-shape", "claims-text"],
)  # fmt: skip
def test_a_stored_check_result_of_the_wrong_shape_is_computed_afresh(seed_copy: Path, result):
    first = cli_run("check", str(seed_copy))
    entry_file = seed_copy / FOLDER / "check.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    entry["result"] = result
    entry_file.write_text(json.dumps(entry), encoding="utf-8")
    again = cli_run("check", str(seed_copy))
    assert (again.exit_code, again.output) == (first.exit_code, first.output)


@pytest.mark.parametrize(
    "outcome", [None, {"errors": "0"}, {"errors": 0, "conflicts": 0, "verdicts": []}],
    ids=["none", "text", "verdicts-list"],
)  # fmt: skip
def test_a_stored_report_outcome_of_the_wrong_shape_is_computed_afresh(seed_copy: Path, outcome):
    first = cli_run("report", str(seed_copy), "--format", "json")
    (entry_file,) = (seed_copy / FOLDER).glob("report.json.json")
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    entry["result"]["outcome"] = outcome
    entry_file.write_text(json.dumps(entry), encoding="utf-8")
    again = cli_run("report", str(seed_copy), "--format", "json")
    assert (again.exit_code, again.output) == (first.exit_code, first.output)
