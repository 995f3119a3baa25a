"""The fast reader (yaml-rs) and the strict reader (PyYAML) must give the same ledger."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import ledger
from ledger import fastyaml

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
        "value: '4'\n",
        'a: "x\u2028y"\n',
        "<<: {a: 1}\n",
        "a: 1\na: 2\n",
    ],
)
def test_risky_text_goes_to_the_strict_reader(text: str):
    assert fastyaml.parse(text) is None


def test_plain_claim_text_takes_the_fast_path():
    value = fastyaml.parse(
        "source: s\nclaims:\n  - id: a\n    date: 2016-12-02\n    quote: Help! 5 t & more\n"
    )
    assert value is not None
    assert value["claims"][0]["date"] == "2016-12-02"
    assert value["claims"].item_lines == [3]
