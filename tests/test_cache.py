"""The cache: plain JSON, checked before use; nothing read back can run code, crash or lie."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import ledger
from ledger.cache import FOLDER, Cache, digest

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
    assert set(entry) == {"tag", "key", "records", "problems"}
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
    tag = Cache(seed_copy).tag.rsplit("/", 1)[0]
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
        [{"line": 0, "lines": {}}],
        [{"line": 1, "lines": {"quantity": 0}}],
    ],
    ids=["not-a-list", "not-a-record", "line", "lines", "places-text", "places-numbers",
         "quantity", "id", "line-zero", "key-line-zero"],
)  # fmt: skip
def test_a_cache_entry_of_the_wrong_shape_is_ignored_and_rebuilt(seed_copy: Path, records):
    fresh = ledger.load(seed_copy, use_cache=False)
    path = entry_path(seed_copy)
    key = path.stem
    path.parent.mkdir(parents=True, exist_ok=True)
    bad = {"tag": Cache(seed_copy).tag, "key": key, "records": records, "problems": []}
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
     "files": 1}, {"problems": [], "claims": "12", "files": 1},
     {"problems": [{"file": "x", "line": 1, "severity": "fatal", "code": "c", "message": "m"}],
      "claims": 1, "files": 1},
     {"problems": [{"file": "x", "line": "1", "severity": "error", "code": "c",
      "message": "m"}], "claims": 1, "files": 1}],
    ids=["empty", "problems-number", "problem-shape", "claims-text", "severity", "line-text"],
)  # fmt: skip
def test_a_stored_check_result_of_the_wrong_shape_is_computed_afresh(seed_copy: Path, result):
    first = cli_run("check", str(seed_copy))
    (entry_file,) = (seed_copy / FOLDER / "results").glob("check-*.json")
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
    (entry_file,) = (seed_copy / FOLDER / "results").glob("report-*.json")
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    entry["result"] = outcome
    entry_file.write_text(json.dumps(entry), encoding="utf-8")
    again = cli_run("report", str(seed_copy), "--format", "json")
    assert (again.exit_code, again.output) == (first.exit_code, first.output)


# -- whole results: keyed by every input read, absent ones included ------------------------


def stored(data: Path, kind: str) -> list[Path]:
    return sorted((data / FOLDER / "results").glob(f"{kind}-*.json"))


def no_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, loading the ledger fails the test: the answer must come from the cache."""

    def refuse(*_args: object, **_kw: object) -> None:
        raise AssertionError("the ledger was loaded: the cache was not used")

    monkeypatch.setattr("ledger.commands._load", refuse)


@pytest.mark.parametrize(
    "args",
    [
        ("check",),
        ("report", "--format", "json"),
        ("totals", "--by", "provider,place"),
        ("export", "--format", "jsonl"),
    ],
    ids=["check", "report", "totals", "export"],
)
def test_every_command_answers_a_warm_run_from_the_cache(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
):
    cold = cli_run(*args[:1], str(seed_copy), *args[1:])
    assert stored(seed_copy, args[0])
    no_load(monkeypatch)
    warm = cli_run(*args[:1], str(seed_copy), *args[1:])
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)
    assert warm.stdout


def test_options_are_part_of_the_key(seed_copy: Path):
    by_place = cli_run("totals", str(seed_copy), "--by", "place")
    by_status = cli_run("totals", str(seed_copy), "--by", "status")
    assert by_place.stdout != by_status.stdout
    assert cli_run("totals", str(seed_copy), "--by", "place").stdout == by_place.stdout
    assert len(stored(seed_copy, "totals")) == 2


def test_a_sqlite_export_from_the_cache_is_the_same_database(seed_copy: Path, tmp_path: Path):
    import sqlite3

    def tables(path: Path) -> list[tuple]:
        with sqlite3.connect(path) as con:
            return con.execute("SELECT claim_id, point FROM claims ORDER BY claim_id").fetchall()

    first, second = tmp_path / "a.db", tmp_path / "b.db"
    assert cli_run("export", str(seed_copy), "--format", "sqlite", "-o", str(first)).exit_code == 0
    assert cli_run("export", str(seed_copy), "--format", "sqlite", "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert tables(second) and tables(second) == tables(first)


def test_a_document_missing_at_first_and_created_later_is_read(seed_copy: Path):
    sources = seed_copy / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    document = text.split("document: ", 1)[1].split("\n", 1)[0]
    moved = seed_copy.parent / "moved.txt"
    (seed_copy.parent / document).rename(moved)
    before = cli_run("check", str(seed_copy))
    assert "source-document-missing" in before.stdout
    moved.rename(seed_copy.parent / document)
    after = cli_run("check", str(seed_copy))
    assert "source-document-missing" not in after.stdout
    assert after.stdout == cli_run("check", str(seed_copy), "--no-cache").stdout


def test_a_reference_file_created_later_is_read(seed_copy: Path):
    orgs = seed_copy / "orgs.yaml"
    saved = orgs.read_text(encoding="utf-8")
    orgs.unlink()
    without = cli_run("report", str(seed_copy), "--format", "json").stdout
    orgs.write_text(saved, encoding="utf-8")
    with_orgs = cli_run("report", str(seed_copy), "--format", "json").stdout
    assert with_orgs == cli_run("report", str(seed_copy), "--format", "json", "--no-cache").stdout
    assert with_orgs != without


def test_a_claim_file_added_or_removed_is_seen(seed_copy: Path):
    first = cli_run("check", str(seed_copy)).stdout
    extra = seed_copy / "claims" / "zz-copy.yaml"
    extra.write_text((seed_copy / SEED_CLAIMS).read_text(encoding="utf-8"), encoding="utf-8")
    added = cli_run("check", str(seed_copy)).stdout
    assert "id-duplicate" in added and added != first
    extra.unlink()
    assert cli_run("check", str(seed_copy)).stdout == first


def test_an_edit_made_while_a_cold_run_reads_is_never_stored_as_its_result(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    """The file is changed just after the run read it: the stored result belongs to the bytes
    read, so the next run sees the new content instead of the old answer."""
    import ledger.loader

    claims = seed_copy / SEED_CLAIMS
    original = ledger.loader.read_bytes

    def read_then_edit(path: Path, display: str, limit: int | None = None):  # type: ignore[no-untyped-def]
        data, problems = original(path, display, limit)
        if Path(path).resolve() == claims.resolve():
            text = claims.read_text(encoding="utf-8")
            claims.write_text(text.replace("status: delivered", "status: deliverd", 1), "utf-8")
        return data, problems

    monkeypatch.setattr(ledger.loader, "read_bytes", read_then_edit)
    first = cli_run("check", str(seed_copy))
    assert "status-invalid" not in first.stdout  # computed from the bytes read before the edit
    monkeypatch.setattr(ledger.loader, "read_bytes", original)
    second = cli_run("check", str(seed_copy))
    assert "status-invalid" in second.stdout


def test_paths_are_shown_from_where_each_run_is_started(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    claims = seed_copy / SEED_CLAIMS
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("status: delivered", "status: deliverd", 1),
        encoding="utf-8",
    )
    monkeypatch.chdir(seed_copy.parent)
    from_repo = cli_run("check", "data").stdout
    assert f"data/{SEED_CLAIMS}:" in from_repo
    monkeypatch.chdir(seed_copy)
    from_data = cli_run("check", ".").stdout
    assert f"\n{SEED_CLAIMS}:" in "\n" + from_data
    assert "data/claims" not in from_data


def test_a_result_entry_is_plain_json_with_paths_relative_to_the_ledger(seed_copy: Path):
    cli_run("report", str(seed_copy), "--format", "json")
    (path,) = stored(seed_copy, "report")
    entry = json.loads(path.read_text(encoding="utf-8"))
    files = entry["inputs"]["files"]
    assert SEED_CLAIMS in files and "sources.yaml" in files
    assert all(not Path(name).is_absolute() for name in files)
    assert any(name.startswith("../seeds/") for name in files)
    assert entry["inputs"]["claims"] == [SEED_CLAIMS]


def test_an_edit_being_checked_is_never_stored(seed_copy: Path):
    claims = (seed_copy / SEED_CLAIMS).resolve()
    edited = claims.read_text(encoding="utf-8").replace("status: delivered", "status: deliverd")
    book = ledger.load(seed_copy, overrides={claims: edited})
    assert book.inputs is not None and not book.inputs.complete
    assert not (seed_copy / FOLDER / "claims" / f"{digest(edited.encode())}.json").exists()


def test_a_unit_file_imported_by_units_txt_is_part_of_the_key(seed_copy: Path):
    units = seed_copy / "units.txt"
    units.write_text(units.read_text(encoding="utf-8") + "@import more.txt\n", encoding="utf-8")
    more = seed_copy / "more.txt"
    more.write_text("# nothing yet\n", encoding="utf-8")
    first = cli_run("check", str(seed_copy))
    assert first.exit_code == 0, first.stdout
    more.write_text("bag_of_rice = 25 * kg\nbag_of_rice = 50 * kg\n", encoding="utf-8")
    second = cli_run("check", str(seed_copy))
    assert "more.txt:2:" in second.stdout and second.exit_code == 1
    more.unlink()
    third = cli_run("check", str(seed_copy))
    assert "units-import" in third.stdout


@pytest.mark.parametrize(
    "args",
    [("check",), ("report", "--format", "json"), ("totals",), ("export", "--format", "csv")],
    ids=["check", "report", "totals", "export"],
)
def test_a_warm_run_of_every_command_loads_neither_pandas_nor_pint(
    seed_copy: Path, args: tuple[str, ...]
):
    """A warm run answers from the cache: importing pandas or pint alone costs more than the
    0.3 s a warm run may take."""
    import subprocess
    import sys

    cli_run(args[0], str(seed_copy), *args[1:])  # fills the cache
    code = (
        "import sys\n"
        "from ledger.cli import cli\n"
        "try:\n"
        "    cli(sys.argv[1:], standalone_mode=False)\n"
        "finally:\n"
        "    heavy = {m.split('.')[0] for m in sys.modules} & {'pandas', 'pint'}\n"
        "    sys.stderr.write('HEAVY=' + ','.join(sorted(heavy)))\n"
    )
    argv = [sys.executable, "-c", code, args[0], str(seed_copy), *args[1:]]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert out.stdout
    assert out.stderr.rstrip().endswith("HEAVY="), out.stderr[-300:]


# -- a warm output goes out as it was stored ------------------------------------------------------


def test_a_stored_output_is_copied_whole_to_a_file_or_a_pipe(tmp_path: Path):
    import os
    import threading

    from ledger.cache import Stored

    data = bytes(range(256)) * 20_000  # 5 MB: more than one chunk and one sendfile call
    source = tmp_path / "stored.out"
    source.write_bytes(data)
    stored_output = Stored(source)
    assert b"".join(stored_output) == data  # iterated, a megabyte at a time
    with open(tmp_path / "copy", "wb") as sink:
        assert stored_output.copy_to(sink.fileno())
    assert (tmp_path / "copy").read_bytes() == data
    read_end, write_end = os.pipe()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(os.fdopen(read_end, "rb").read()))
    reader.start()
    try:
        assert stored_output.copy_to(write_end)
    finally:
        os.close(write_end)
    reader.join()
    assert got == [data]


def test_a_descriptor_the_kernel_cannot_copy_to_gets_nothing_and_says_so(tmp_path: Path):
    from ledger.cache import Stored

    source = tmp_path / "stored.out"
    source.write_bytes(b"report\n")
    (tmp_path / "target").write_bytes(b"")
    with open(tmp_path / "target", "rb") as read_only:  # not writable: sendfile refuses
        assert not Stored(source).copy_to(read_only.fileno())
    assert (tmp_path / "target").read_bytes() == b""


def test_a_warm_report_written_by_the_kernel_is_the_cold_one_byte_for_byte(
    seed_copy: Path, tmp_path: Path
):
    """The warm run's standard output is a file here, so the stored report goes out through
    `os.sendfile`; it must be the very bytes the cold run wrote."""
    import subprocess
    import sys

    outs = []
    for run in ("cold", "warm"):
        out = tmp_path / f"{run}.json"
        with open(out, "wb") as sink:
            subprocess.run([sys.executable, "-m", "ledger", "report", str(seed_copy), "--format",
                            "json"], stdout=sink, check=False)  # fmt: skip
        outs.append(out.read_bytes())
    assert stored(seed_copy, "report")
    assert outs[0] and outs[1] == outs[0]


def test_the_library_text_is_the_commands_bytes_cold_and_warm(seed_copy: Path):
    """`report_output` and `totals_output` (text, for a notebook) decode what the commands
    write (bytes, straight from the cache when warm)."""
    from ledger.commands import report_output, totals_output

    for _run in ("cold", "warm"):
        report = cli_run("report", str(seed_copy), "--format", "json")
        totals = cli_run("totals", str(seed_copy), "--by", "provider,place")
        assert "".join(report_output(seed_copy, "json")[1]) == report.stdout
        assert "".join(totals_output(seed_copy, ("provider", "place"))[1]) == totals.stdout
    assert stored(seed_copy, "report") and stored(seed_copy, "totals")
