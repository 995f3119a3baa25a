"""The fast reader (yaml-rs) and the strict reader (PyYAML) must give the same ledger."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import ledger
from ledger import fastyaml
from ledger.records import records_from

from .conftest import REPO, SEED_DATA

sys.path.insert(0, str(REPO / "benchmarks"))  # the synthetic generator is not part of the package
from generate import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not fastyaml.available(), reason="yaml-rs is not installed")


def _frame(root: Path, parser: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AID_LEDGER_PARSER", parser)
    book = ledger.load(root, use_cache=False)
    return book.claims, [c.content() for c in book.entries], book.problems


@pytest.mark.parametrize("which", ["seed", "generated"])
def test_both_readers_load_the_same_claims_and_lines(which, tmp_path, monkeypatch):
    root = SEED_DATA
    if which == "generated":
        generate(claims=1500, out=tmp_path / "gen", seed=7)
        root = tmp_path / "gen" / "data"
    fast, fast_claims, fast_problems = _frame(root, "fast", monkeypatch)
    strict, strict_claims, strict_problems = _frame(root, "pyyaml", monkeypatch)
    assert len(fast) > 0
    assert fast_claims == strict_claims  # every field as written and as resolved
    pd.testing.assert_frame_equal(fast, strict)
    assert fast_problems == strict_problems
    assert (fast["line"] > 0).all()  # every claim has its line, even from the fast reader


@pytest.mark.parametrize(
    "text",
    [
        "a: !foo bar\n",
        "a: &x 1\nb: *x\n",
        "a: no\n",
        "a: [yes, 2]\n",
        "a: 0x1F\nb: 1\n",
        "a: .inf\n",
        "a: 1_000\n",
        "a: 2016-12-02T10:00:00\n",
        "a:\n\t- b\n",
        "a: 1\n---\nb: 2\n",
        'a: "x\u2028y"\n',
        "<<: {a: 1}\n",
        "a: 1\na: 2\n",
        # tags in every position, the non-specific `!` too
        "!!str a: 1\n",
        "- !!str a\n",
        "a: [!!int 4]\n",
        "a: ! 4\n",
        "a: !!str [a, b]\n",
        # control characters YAML forbids, and a BOM past the start
        "a: x\x1by\n",
        "a: x\x7fy\n",
        "a: x\x9by\n",
        "a: x\ufffey\n",
        "a: 1\n\ufeffb: 2\n",
        # what only the strict reader reads like itself
        "a: >\n  no final line break",
        "a: '4'\n'b': 5\n",
        "? a\n: 1\n",
        "a: [?x]\n",
    ],
)
def test_risky_text_goes_to_the_strict_reader(text: str):
    assert fastyaml.parse(text) is None


def test_plain_claim_text_takes_the_fast_path_with_every_line():
    text = (
        "source: s\nclaims:\n  - id: a\n    date: 2016-12-02\n    quote: Help! 5 t & more\n"
        "\n  - id: b\n    quantity: {value: '4', unit: t}\n    places:\n      - Aleppo\n"
    )
    value = fastyaml.parse(text)
    assert value is not None
    assert value.key_lines == {"source": 1, "claims": 2}
    claims = value["claims"]
    assert claims.item_lines == [3, 7]
    assert claims[0]["date"] == "2016-12-02"
    assert claims[0].key_lines == {"id": 3, "date": 4, "quote": 5}
    assert claims[1].value_lines == {"id": 7, "quantity": 8, "places": 10}
    assert claims[1]["quantity"].quoted == {"value"}
    assert claims[1]["places"].item_lines == [10]


def deep_block(levels: int) -> str:
    body = "".join(" " * (6 + n) + "-\n" for n in range(levels - 1))
    return f"source: s\nclaims:\n  - id: a\n    notes:\n{body}{' ' * (6 + levels)}- deep\n"


@pytest.mark.parametrize(
    "text",
    [
        deep_block(500),
        "source: s\nclaims:\n  - notes:\n    " + "- " * 20000 + "x\n",
        "source: s\nclaims:\n  - notes:\n    " + "? " * 20000 + "x\n",
        "source: s\nclaims:\n  - notes:\n    " + ": " * 20000 + "x\n",
        "source: s\nclaims:\n  - notes: " + "[" * 3000 + "]" * 3000 + "\n",
    ],
    ids=["block-500", "compact-20000", "keys-20000", "values-20000", "flow-3000"],
)
def test_deep_nesting_is_ruled_out_before_parsing(text: str):
    """yaml-rs overflows its stack (the process dies) on compact nesting some thousands deep,
    and turning its values into ours recursed into a RecursionError at a few hundred."""
    assert fastyaml.parse(text) is None
    assert fastyaml.ruled_out(text) or text.count("[") > 1000


def test_a_problem_in_a_fast_read_claim_file_has_its_line_without_a_second_load(tmp_path):
    """The ledger, read by the fast reader, gives a wrong status its line (the fast values
    carry lines: nothing is read again strictly)."""
    text = (
        "source: s\nclaims:\n  - id: a\n    claimant: MoD\n    provider: Russia\n"
        "    status: deliverd\n    item: flour\n    quantity: 4 t\n    places: [P]\n"
        "    date: 2016-12-02\n    quote: q\n"
    )
    recs, problems = records_from(fastyaml.parse(text), "x.yaml", [])
    assert [(p.code, p.line) for p in problems] == [("status-invalid", 6)]
    assert recs[0]["lines"]["status"] == 6


def test_a_ledger_with_problems_is_read_once_by_the_fast_reader(tmp_path, monkeypatch):
    """A problem in a file the fast reader read used to make `load` read the whole ledger a
    second time, strictly. Now the strict reader is never called for a file yaml-rs read."""
    generate(claims=200, out=tmp_path / "gen", seed=3)
    root = tmp_path / "gen" / "data"
    claim_file = sorted((root / "claims").glob("*.yaml"))[0]
    text = claim_file.read_text(encoding="utf-8")
    claim_file.write_text(text.replace("status: delivered", "status: deliverd", 1), "utf-8")
    calls: list[str] = []
    strict = ledger.loader.read_claim_file
    monkeypatch.setattr(
        ledger.loader, "read_claim_file", lambda *a, **k: calls.append(a[1]) or strict(*a, **k)
    )
    monkeypatch.delenv("AID_LEDGER_PARSER", raising=False)
    book = ledger.load(root, use_cache=False)
    wrong = [p for p in book.problems if p.code == "status-invalid"]
    assert len(wrong) == 1 and wrong[0].line > 0
    assert calls == []
