"""The benchmark's synthetic ledger generator (`benchmarks/generate.py`, not in the package).

The generator must be deterministic (benchmark runs on different days must time the same
work), give the size asked for, and produce ledgers that check clean: a problem reported on a
generated ledger would make every timing measure an error path instead of the real one.
The same holds for the blow-up shapes (`benchmarks/shapes.py`) and for the journals the peer
tools are timed on (`benchmarks/peers.py`; their tests skip where a peer is not installed).
No timing is asserted here (see benchmarks/run.py).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import ledger
from ledger.cli import cli

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
if str(GENERATE.parent) not in sys.path:
    sys.path.insert(0, str(GENERATE.parent))  # as benchmarks/run.py imports it

import generate as bench  # noqa: E402
import peers  # noqa: E402
import shapes  # noqa: E402

from .conftest import cli_run  # noqa: E402

MARKER, BenchRefused, generate = bench.MARKER, bench.BenchRefused, bench.generate
# The bytes of `generate(2000, seed=7)` (less the copies of the repository's units.txt and
# config.yaml) as GENERATOR_VERSION 1 writes them: benchmark ledgers generated once are reused
# (a 1,000,000-claim one among them), so output may only change with a new GENERATOR_VERSION.
GOLDEN = (1, "bb7af92ebee7c45b44a5a6a17a57c8fc365205c9a64f749e9f13b4880ca1a25b")


def tree(root: Path) -> dict[str, bytes]:
    """Every generated file under `root` (not a cache a load may leave), with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".aid-ledger-cache" not in p.parts
    }


def claims_of(out: Path) -> list[dict]:
    files = sorted((out / "data" / "claims").glob("*.yaml"))
    return [c for f in files for c in yaml.safe_load(f.read_text(encoding="utf-8"))["claims"]]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """One 2,000-claim ledger shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("bench") / "ledger"
    return out, generate(2000, out, seed=7)


def test_same_seed_gives_the_same_bytes(small: tuple[Path, dict[str, int]], tmp_path: Path):
    out, _ = small
    again = tmp_path / "again"
    generate(2000, again, seed=7)
    assert tree(again) == tree(out)


def test_different_seed_gives_a_different_ledger(tmp_path: Path):
    generate(300, tmp_path / "a", seed=1)
    generate(300, tmp_path / "b", seed=2)
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert a["data/places.yaml"] != b["data/places.yaml"]
    claims_a = [v for k, v in a.items() if k.startswith("data/claims/")]
    claims_b = [v for k, v in b.items() if k.startswith("data/claims/")]
    assert claims_a != claims_b


def test_layout_and_counts(small: tuple[Path, dict[str, int]]):
    out, counts = small
    data = out / "data"
    for name in ("sources.yaml", "places.yaml", "items.yaml", "units.txt", "config.yaml"):
        assert (data / name).is_file(), name
    files = sorted((data / "claims").glob("*.yaml"))
    assert len(files) == counts["files"] == 2
    assert len(list((out / "seeds").glob("*.txt"))) == 2
    parsed = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    claims = [c for doc in parsed for c in doc["claims"]]
    assert len(claims) == counts["claims"] == 2000
    assert len({c["id"] for c in claims}) == 2000
    summed = [c for c in claims if "sum_of" in c]
    assert 0.08 <= len(summed) / len(claims) <= 0.12
    ids_by_file = [{c["id"] for c in doc["claims"]} for doc in parsed]
    for doc, ids in zip(parsed, ids_by_file, strict=True):
        for c in doc["claims"]:
            if "sum_of" in c:  # parts come from the claim's own file
                assert 2 <= len(c["sum_of"]) <= 10 and set(c["sum_of"]) <= ids
    assert counts["places"] >= 2000
    assert counts["contradictions"] > 0 and counts["duplicates"] > 0
    assert json.loads((out / MARKER).read_text())["counts"] == counts


def test_every_requested_size_is_exact(tmp_path: Path):
    for n in (1, 7, 1001):
        counts = generate(n, tmp_path / str(n), seed=3)
        assert counts["claims"] == n
        assert counts["files"] == (n + 999) // 1000


def test_generated_ledger_checks_clean(small: tuple[Path, dict[str, int]]):
    out, counts = small
    book = ledger.load(out / "data")
    assert len(book.claims) == counts["claims"]
    assert [p.format() for p in book.problems] == []


def test_a_realistic_mix(small: tuple[Path, dict[str, int]]):
    out, _ = small
    claims = claims_of(out)
    assert {c["status"] for c in claims} >= {"delivered", "pledged", "planned"}
    phrases = [c["quantity"] for c in claims]
    assert {q.split()[-1] for q in phrases} >= {"t", "kg", "L", "people", "blankets", "kits"}
    for qualifier in ("about", "more than", "nearly", "at least", "up to", "between"):
        assert any(q.startswith(qualifier + " ") for q in phrases), qualifier
    assert any(q[0].isdigit() for q in phrases)  # bare figures too
    assert any("same_as" in c for c in claims)


def test_refuses_a_folder_that_is_not_a_generated_ledger(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BenchRefused):
        generate(10, tmp_path, seed=1)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_regenerating_replaces_a_bigger_ledger(tmp_path: Path):
    generate(2500, tmp_path, seed=1)
    generate(900, tmp_path, seed=1)
    assert len(list((tmp_path / "data" / "claims").glob("*.yaml"))) == 1
    assert len(list((tmp_path / "seeds").glob("*.txt"))) == 1


def test_output_is_unchanged_for_this_generator_version(small: tuple[Path, dict[str, int]]):
    out, _ = small
    digest = hashlib.sha256()
    for name, data in tree(out).items():
        if name not in ("data/units.txt", "data/config.yaml"):
            digest.update(name.encode() + b"\0" + data + b"\0")
    found = (bench.GENERATOR_VERSION, digest.hexdigest())
    assert found == GOLDEN, "output changed: bump GENERATOR_VERSION, then update GOLDEN"


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    """`python benchmarks/generate.py ARGS` as a person runs it, from another folder."""
    return subprocess.run([sys.executable, str(GENERATE), *args], capture_output=True,
                          text=True, cwd=GENERATE.anchor, timeout=300)  # fmt: skip


def test_command_line_generates(tmp_path: Path):
    out = tmp_path / "cli"
    result = run_script("--claims", "1200", "--out", str(out), "--seed", "5")
    assert result.returncode == 0, result.stderr
    assert "1,200 claims" in result.stdout
    assert len(list((out / "data" / "claims").glob("*.yaml"))) == 2
    assert tree(out) == tree(_generated(tmp_path / "api", 1200, 5))


def test_command_line_refuses_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    code = bench.main(["--claims", "10", "--out", str(tmp_path), "--seed", "1"])
    assert code == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_command_line_refuses_a_bad_size_with_exit_2(tmp_path: Path):
    for size in ("0", "-3", "many"):
        with pytest.raises(SystemExit) as exc:
            bench.main(["--claims", size, "--out", str(tmp_path / "x")])
        assert exc.value.code == 2
    assert not (tmp_path / "x").exists()


def test_command_line_help():
    result = run_script("--help")
    assert result.returncode == 0, result.stderr
    for option in ("--claims N", "--out DIR", "--seed S", "same bytes", "aid-ledger check"):
        assert option in result.stdout, option


def test_aid_ledger_help_lists_no_bench_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    commands = result.output.split("Commands:", 1)[1].split()
    assert "bench" not in commands and "bench" not in cli.commands
    assert {"add", "check", "export", "report", "totals"} <= set(cli.commands)
    assert CliRunner().invoke(cli, ["bench", "generate", "--help"]).exit_code == 2


def _generated(out: Path, n: int, seed: int) -> Path:
    generate(n, out, seed)
    return out


def test_gazetteer_names_are_unambiguous_for_many_seeds():
    """An alias shared by two places is an error in every claim that uses it."""
    import random
    from collections import Counter

    for seed in range(1, 41):
        gaz = bench._gazetteer(random.Random(f"aid-ledger-bench:{seed}:places"))
        labels = Counter(x.casefold() for p in gaz.places for x in (p.name, *p.aliases))
        assert [x for x, n in labels.items() if n > 1] == [], seed


# --- issue 11: the layout option, the blow-up shapes, the peers' journals ------------------


def test_claims_per_file_lays_the_same_claims_out_in_more_files(tmp_path: Path):
    default = _generated(tmp_path / "default", 1200, 7)
    small = tmp_path / "small"
    counts = generate(1200, small, seed=7, per_file=20)
    files = sorted((small / "data" / "claims").glob("*.yaml"))
    assert len(files) == counts["files"] == 60  # 1,000 in 50 files of 20, 200 in 10
    assert len(list((default / "data" / "claims").glob("*.yaml"))) == 2
    assert claims_of(small) == claims_of(default)  # the same claims, in the same order
    docs = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    assert all(len(d["claims"]) <= 20 for d in docs)
    sources = yaml.safe_load((small / "data" / "sources.yaml").read_text(encoding="utf-8"))
    assert sorted(s["id"] for s in sources) == sorted(d["source"] for d in docs)  # a report each
    marker = json.loads((small / MARKER).read_text())
    assert marker["claims_per_file"] == 20 and marker["counts"] == counts
    book = ledger.load(small / "data")
    assert len(book.claims) == 1200
    assert [p.format() for p in book.problems] == []


def test_claims_per_file_on_the_command_line(tmp_path: Path):
    out = tmp_path / "cli"
    result = run_script("--claims", "50", "--out", str(out), "--claims-per-file", "20")
    assert result.returncode == 0, result.stderr
    assert "50 claims in 3 files" in result.stdout
    for bad in ("0", "1001", "x"):
        with pytest.raises(SystemExit) as exc:
            bench.main(["--claims", "10", "--out", str(tmp_path / "y"), "--claims-per-file", bad])
        assert exc.value.code == 2
    assert not (tmp_path / "y").exists()


SMALL_SHAPES = {"same-scope-1000": 40, "same-scope-2000": 60, "zero-vs-delivery": 20,
                "chain": 50, "unknown-places": 30}  # fmt: skip


@pytest.mark.parametrize("shape", shapes.SHAPES, ids=lambda s: s.name)
def test_a_blow_up_shape_checks_as_expected(shape: shapes.Shape, tmp_path: Path):
    """`aid-ledger check` accepts every shape with no error, but for the errors the shape is
    made of (one unknown place per claim); a small size of each."""
    out = tmp_path / shape.name
    n = shapes.write(shape, out, seed=3, size=SMALL_SHAPES[shape.name])
    result = cli_run("check", str(out / "data"), "--no-cache", "--format", "json")
    found = json.loads(result.stdout)
    expect = shape.expect_errors(n)
    assert result.exit_code == (1 if expect else 0), result.output
    problems = found["problems"]
    assert [p for p in problems if p["code"] != "place-unknown"] == []
    assert len(problems) == expect
    if expect:
        names = {p["message"].split("`")[1] for p in problems}
        assert len(names) == n  # distinct names, one per claim
    report = cli_run("report", str(out / "data"), "--format", "json", "--no-cache")
    assert report.exit_code in (0, 1), report.output
    assert json.loads(report.stdout)["claims"] == n


def test_the_shapes_have_the_issue_sizes(tmp_path: Path):
    want = {"same-scope-1000": 1000, "same-scope-2000": 2000, "zero-vs-delivery": 1000,
            "chain": 10_001, "unknown-places": 5000}  # fmt: skip
    for shape in shapes.SHAPES:
        out = tmp_path / shape.name
        assert shapes.write(shape, out) == want[shape.name], shape.name
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # 20,000 claims: the C reader
        files = sorted((out / "data" / "claims").glob("*.yaml"))
        claims = [c for f in files for c in yaml.load(f.read_text("utf-8"), loader)["claims"]]
        assert len(claims) == want[shape.name]
        if shape.name.startswith("same-scope") or shape.name == "zero-vs-delivery":
            scopes = {(c["provider"], c["item"], tuple(c["places"]), c["date"]) for c in claims}
            assert len(scopes) == 1
            assert len(list((out / "data" / "claims").glob("*.yaml"))) == 2
        if shape.name == "zero-vs-delivery":
            assert sum(c["quantity"] == "none" for c in claims) == 500
        if shape.name == "chain":
            links = [c["sum_of"] for c in claims if "sum_of" in c]
            assert links == [[c["id"]] for c in claims[1:]]


def test_a_shape_refuses_a_folder_it_did_not_write(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BenchRefused):
        shapes.write(shapes.BY_NAME["chain"], tmp_path, size=3)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.fixture(scope="module")
def journals(small: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory):
    """The peers' journals of the shared 2,000-claim ledger."""
    out, _ = small
    paths, written = peers.write_journals(out / "data", tmp_path_factory.mktemp("peers"), {})
    assert written
    return paths


def test_peer_journals_hold_one_transaction_per_claim(journals: dict[str, Path], small):
    _, counts = small
    hledger = journals[".journal"].read_text(encoding="utf-8")
    beancount = journals[".beancount"].read_text(encoding="utf-8")
    txns = peers.transactions(small[0] / "data")
    days = len({t.date for t in txns})
    assert len(txns) == counts["claims"]
    assert hledger.count("\n    income:") == counts["claims"]
    assert hledger.count(" = ") == days  # an assertion a day
    assert beancount.count(' * "') == counts["claims"]
    assert beancount.count(" balance ") == days
    assert peers.write_journals(small[0] / "data", journals[".journal"].parent, {}) == (
        journals,
        False,
    )  # reused while nothing changed


def test_peer_amounts():
    D = Decimal
    assert peers._amount("about 4,500 kg") == (D(4500), "kg")
    assert peers._amount("between 2 and 3 t") == (D(2), "t")
    assert peers._amount("1.5 million L") == (D(1_500_000), "L")
    assert peers._amount("none") == (D(0), "t")
    assert peers.slug("al-Hama neighbourhood") == "al-hama-neighbourhood"
    assert peers._bean_account("al-hama-2") == "Al-Hama-2"


def _peer_or_skip(find) -> peers.Peer:
    peer = find()
    if peer.exe is None:
        pytest.skip(f"{peer.name} is not installed ({peer.install})")
    return peer


def _run_peer(peer: peers.Peer, journal: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(peer.command(journal), capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("find", [peers.find_hledger, peers.find_bean_check],
                         ids=["hledger", "bean-check"])  # fmt: skip
def test_a_peer_accepts_its_journal_and_checks_its_assertions(find, journals, tmp_path: Path):
    peer = _peer_or_skip(find)
    journal = journals[peer.suffix]
    done = _run_peer(peer, journal)
    assert done.returncode == 0, done.stdout + done.stderr
    # the assertions are real: one wrong running total fails the check
    text = journal.read_text(encoding="utf-8")
    marker = " = " if peer.suffix == ".journal" else " balance "
    at = text.index(marker)
    end = text.index("\n", at)
    head, total, unit = text[:end].rsplit(" ", 2)
    bad = tmp_path / f"bad{peer.suffix}"
    bad.write_text(f"{head} {Decimal(total) + 1} {unit}{text[end:]}", encoding="utf-8")
    shutil.rmtree(tmp_path / ".cache", ignore_errors=True)
    done = _run_peer(peer, bad)
    assert done.returncode != 0, "a wrong balance assertion passed"


def test_every_warm_run_finds_the_cache_its_first_run_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A measure that clears the cache (a cold run) between a command's first run and its
    warm run made the warm run a cold one: the Parquet export, measured before the warm runs
    to /dev/null, once turned a 0.26 s warm report into 39.8 s. Here `timed` only records
    the order and which measures clear the cache."""
    import run

    generate(40, tmp_path / "ledger", seed=3)
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "ledger_for", lambda size, seed: (tmp_path / "ledger", {}, None))
    order: list[tuple[str, bool]] = []

    def timed(m: run.Measure, runs: int, settings: Any, before: Any = None, **_: Any):
        order.append((m.name, getattr(before, "__name__", "") == "clear"))
        m.runs = [run.Run(0.1, 1.0, 0)]
        return m

    monkeypatch.setattr(run, "timed", timed)
    settings = run.Settings(runs=1, seed=3, sizes=[40], timeout=1.0, aid_ledger=["aid-ledger"],
                            no_cache={"check": True, "report": True})  # fmt: skip
    run.bench_size(40, settings)
    names = [name for name, _ in order]
    warm = [n for n in names if " warm" in n]
    assert {"check warm", "report warm", "report warm >/dev/null", "totals warm >/dev/null",
            "export csv warm >/dev/null"} <= set(warm)  # fmt: skip
    for name in warm:
        command = name.split(" warm")[0]
        fills = [i for i, n in enumerate(names)
                 if n in (f"{command} cache fill", f"{command} first run")]  # fmt: skip
        at = names.index(name)
        start = max(i for i in fills if i < at)
        assert not any(clears for _, clears in order[start + 1 : at]), (name, order)
