"""Only regular files of a sane size are read: a pipe, a device or a flood is a problem, never a
hang. Each case runs under an alarm, so a regression fails instead of hanging the suite."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

import ledger
from ledger import yamlfile

from .conftest import SEED_CLAIMS

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")


@pytest.fixture(autouse=True)
def alarm() -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the load hung on a file that is not a regular file")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def problems_of(data: Path) -> list[tuple[str, str, int]]:
    book = ledger.load(data, use_cache=False)
    return [(Path(p.file).name, p.code, p.line) for p in book.problems]


def test_a_fifo_among_the_claim_files_is_a_problem(seed_copy: Path):
    os.mkfifo(seed_copy / "claims" / "pipe.yaml")
    got = problems_of(seed_copy)
    assert got == [("pipe.yaml", "file-not-regular", 1)]


@pytest.mark.parametrize("name", ["places.yaml", "items.yaml", "orgs.yaml", "units.txt"])
def test_a_link_to_dev_zero_as_reference_data_is_a_problem(seed_copy: Path, name: str):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (seed_copy / name).unlink()
    (seed_copy / name).symlink_to("/dev/zero")
    got = problems_of(seed_copy)
    assert (name, "file-not-regular", 1) in got


def test_a_fifo_as_a_source_document_is_a_problem(seed_copy: Path):
    document = seed_copy.parent / "seeds" / "2016-12-03-sputnik-russia-iran-aleppo.txt"
    document.unlink()
    os.mkfifo(document)
    book = ledger.load(seed_copy, use_cache=False)
    assert {p.code for p in book.problems} == {"source-document-missing"}  # refused unread


def test_a_folder_named_like_a_claim_file_is_unreadable(seed_copy: Path):
    (seed_copy / "claims" / "folder.yaml").mkdir()
    assert problems_of(seed_copy) == [("folder.yaml", "file-unreadable", 1)]


def test_a_file_over_the_size_limit_is_not_read(seed_copy: Path, monkeypatch: pytest.MonkeyPatch):
    size = (seed_copy / SEED_CLAIMS).stat().st_size
    monkeypatch.setattr(yamlfile, "MAX_BYTES", size - 1)
    got = problems_of(seed_copy)
    assert (Path(SEED_CLAIMS).name, "file-too-large", 1) in got


def test_read_bytes_reads_a_regular_file_whole(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n" * 1000)
    data, problems = yamlfile.read_bytes(path, "a.yaml")
    assert (data, problems) == (b"a: 1\n" * 1000, [])
    data, problems = yamlfile.read_bytes(path, "a.yaml", limit=10)
    assert data is None and [p.code for p in problems] == ["file-too-large"]
