"""The benchmark's synthetic ledger generator (`ledger.bench`, `aid-ledger bench generate`).

The generator must be deterministic (benchmark runs on different days must time the same
work), give the size asked for, and produce ledgers that check clean: a problem reported on a
generated ledger would make every timing measure an error path instead of the real one.
No timing is asserted here (see benchmarks/run.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import ledger
from ledger.bench import MARKER, BenchRefused, generate
from ledger.cli import cli


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


def test_cli_bench_generate(tmp_path: Path):
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        cli, ["bench", "generate", "--claims", "1200", "--out", str(out), "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "1,200 claims" in result.output
    assert len(list((out / "data" / "claims").glob("*.yaml"))) == 2
    assert tree(out) == tree(_generated(tmp_path / "api", 1200, 5))


def test_cli_bench_generate_refuses_with_exit_2(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["bench", "generate", "--claims", "10", "--out", str(tmp_path), "--seed", "1"]
    )
    assert result.exit_code == 2
    assert "not empty" in result.output


def _generated(out: Path, n: int, seed: int) -> Path:
    generate(n, out, seed)
    return out


def test_gazetteer_names_are_unambiguous_for_many_seeds():
    """An alias shared by two places is an error in every claim that uses it."""
    import random
    from collections import Counter

    from ledger.bench import _gazetteer

    for seed in range(1, 41):
        gaz = _gazetteer(random.Random(f"aid-ledger-bench:{seed}:places"))
        labels = Counter(x.casefold() for p in gaz.places for x in (p.name, *p.aliases))
        assert [x for x, n in labels.items() if n > 1] == [], seed
