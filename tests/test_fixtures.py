"""The suite reads its seed ledger from tests/fixtures/seed, never from the live data/: users
curate data/, and what they write there must not break `make test`."""

from __future__ import annotations

import re

from .conftest import FIXTURE, REPO, SEED_DATA


def test_no_test_reads_the_live_data_folder():
    live = re.compile(r"""\bREPO\s*/\s*["'](?:data|seeds)["']|parent\.parent\s*/\s*["']data["']""")
    offenders = [
        f"{p.name}:{n}"
        for p in sorted((REPO / "tests").glob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if live.search(line) and p.name != "test_fixtures.py"
    ]
    assert offenders == []


def test_the_seed_fixture_is_a_whole_ledger_with_its_documents():
    assert (FIXTURE / "data" / "sources.yaml").is_file()
    assert list((FIXTURE / "data" / "claims").glob("*.yaml"))
    assert list((FIXTURE / "seeds").glob("*.txt"))
    assert SEED_DATA != FIXTURE / "data"  # tests read a copy; the fixture stays as committed
    assert not (FIXTURE / "data" / ".aid-ledger-cache").exists()
