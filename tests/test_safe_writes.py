"""Writes that are safe everywhere: every `-o` goes through ledger/output.py, every file through
ledger/atomic.py (issue 13, item 8).

- Modes: a new output or claim file gets what a plain `open()` would give (0o666 less the
  umask: 0o644 under 022, 0o600 under 077), a replaced one keeps its own (0o640 stays 0o640).
- Refused before any work (exit 2), the file byte for byte as it was: a file the ledger reads
  (sources.yaml, places.yaml, units.txt and a file it imports, a claim file, a new claim file,
  a source's document, through a link, a hard link or `..`), anything that is not a regular
  file (`/dev/null` stays a character device; a FIFO is refused without blocking; a folder),
  an existing file without `--force` (for `report` too), a missing or read-only folder.
- A full disk (ENOSPC while writing or syncing) is a clear error (exit 1): nothing written,
  the old file unchanged, no temporary file left.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ledger
import ledger.atomic
from ledger.add import add_claim
from ledger.analysis import analyse
from ledger.atomic import WriteRefused, open_atomic
from ledger.export import ExportRefused, export
from ledger.output import OutputFailed, refusal, write

from .conftest import SEED_CLAIMS, cli_run, snapshot
from .test_writers import FIELDS, NEW_FIELDS, NEW_SOURCE, _OsWithFullDisk

DOCUMENT = "seeds/2016-12-03-sputnik-russia-iran-aleppo.txt"
OLD = b"a file somebody relies on\n"


@pytest.fixture
def umask() -> Iterator[Any]:
    """Set the process umask for a test (`umask(0o077)`), restored afterwards."""
    old = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _atomic_write(path: str | Path) -> None:
    """What `add` does to a claim file: write through ledger/atomic.py."""
    with open_atomic(path) as handle:
        handle.write(b"x")


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (lock files aside)."""
    return sorted(p.name for p in folder.rglob("*.tmp"))


# --- modes ---------------------------------------------------------------------------------------


def test_new_outputs_follow_the_umask(seed_copy: Path, tmp_path: Path, umask: Any):
    out = tmp_path / "out"
    out.mkdir()
    for mask, want in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
        umask(mask)
        for command, name in (("report", f"r{mask:o}.txt"), ("export", f"e{mask:o}.csv")):
            result = cli_run(command, str(seed_copy), "-o", str(out / name))
            assert result.exit_code in (0, 1), result.output
            assert (out / name).stat().st_size > 0
            assert mode(out / name) == want, (command, oct(mask), oct(mode(out / name)))


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_replaced_output_needs_force_and_keeps_its_mode(
    seed_copy: Path, tmp_path: Path, umask: Any, command: str
):
    out = tmp_path / "kept.out"
    out.write_bytes(OLD)
    out.chmod(0o640)
    owner = (4321, 4322) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    os.chown(out, *owner)  # root replacing a colleague's file leaves it theirs
    umask(0o077)  # the new file would be 0o600: the old file's mode must win
    result = cli_run(command, str(seed_copy), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "--force" in result.output
    assert out.read_bytes() == OLD
    result = cli_run(command, str(seed_copy), "-o", str(out), "--force")
    assert result.exit_code in (0, 1), result.output
    assert out.read_bytes() != OLD and out.stat().st_size > 0
    assert mode(out) == 0o640
    assert (out.stat().st_uid, out.stat().st_gid) == owner
    assert leftovers(tmp_path) == []


def test_report_help_offers_force():
    result = cli_run("report", "--help")
    assert "--force" in result.output and "Replace FILE if it exists" in result.output


def test_add_writes_a_new_claim_file_by_the_umask_and_keeps_an_old_ones_mode(
    seed_copy: Path, umask: Any
):
    (seed_copy.parent / NEW_SOURCE["document"]).write_text(
        "On 4 December a convoy brought 12 t of flour to Saydnaya, the agency said.\n",
        encoding="utf-8",
    )
    sources, claims = seed_copy / "sources.yaml", seed_copy / SEED_CLAIMS
    sources.chmod(0o640)
    claims.chmod(0o604)
    umask(0o022)
    new_claims = seed_copy / "claims" / "relief-2016-12-04.yaml"
    result = add_claim(seed_copy, new_claims, NEW_FIELDS, NEW_SOURCE)
    assert result.written, [p.format() for p in result.problems]
    assert mode(new_claims) == 0o644
    assert mode(sources) == 0o640  # replaced with the new source, mode kept
    result = add_claim(seed_copy, claims, FIELDS)
    assert result.written, [p.format() for p in result.problems]
    assert mode(claims) == 0o604
    assert f"id: {FIELDS['id']}" in claims.read_text(encoding="utf-8")


# --- the ledger's own files ---------------------------------------------------------------------


def _link(seed: Path, kind: str) -> tuple[Path, Path]:
    """(the path given to -o, the ledger file it reaches) for each way of naming one."""
    repo = seed.parent
    if kind == "symlink":
        (repo / "link.yaml").symlink_to(seed / "sources.yaml")
        return repo / "link.yaml", seed / "sources.yaml"
    if kind == "hardlink":
        os.link(seed / SEED_CLAIMS, repo / "hard.yaml")
        return repo / "hard.yaml", seed / SEED_CLAIMS
    if kind == "dotdot":
        return seed / "claims" / ".." / "places.yaml", seed / "places.yaml"
    if kind == "import":
        (seed / "more-units.txt").write_text("crate = [crate]\n", encoding="utf-8")
        with (seed / "units.txt").open("a", encoding="utf-8") as f:
            f.write("@import more-units.txt\n")
        return seed / "more-units.txt", seed / "more-units.txt"
    target = {
        "sources": seed / "sources.yaml",
        "units": seed / "units.txt",
        "claim": seed / SEED_CLAIMS,
        "document": repo / DOCUMENT,
        "new-claim-file": seed / "claims" / "report.yaml",
    }[kind]
    return target, target


KINDS = ["sources", "units", "claim", "document", "new-claim-file", "symlink", "hardlink",
         "dotdot", "import"]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_report_never_writes_over_a_file_of_the_ledger(seed_copy: Path, kind: str):
    given, reached = _link(seed_copy, kind)
    before = snapshot(seed_copy.parent)
    result = cli_run("report", str(seed_copy), "-o", str(given), "--force")
    assert result.exit_code == 2, result.output
    assert f"Error: cannot write {given}: it is " in result.output
    assert "of the ledger" in result.output and "write the output elsewhere" in result.output
    assert "Traceback" not in result.output
    assert snapshot(seed_copy.parent) == before
    assert reached.exists() == (kind != "new-claim-file")
    assert leftovers(seed_copy.parent) == []


@pytest.mark.parametrize("kind", ["sources", "document", "hardlink"])
def test_export_never_writes_over_a_file_of_the_ledger(seed_copy: Path, kind: str):
    given, _ = _link(seed_copy, kind)
    before = snapshot(seed_copy.parent)
    result = cli_run("export", str(seed_copy), "-o", str(given), "--force")
    assert result.exit_code == 2, result.output
    assert "of the ledger" in result.output
    assert snapshot(seed_copy.parent) == before
    with pytest.raises(ExportRefused, match="of the ledger"):  # the library refuses too
        export(analyse(ledger.load(seed_copy)), "csv", str(given), force=True)
    assert snapshot(seed_copy.parent) == before


def test_the_refusal_names_nothing_for_a_plain_new_file(seed_copy: Path, tmp_path: Path):
    assert refusal(tmp_path / "fine.html", seed_copy) is None
    assert refusal(seed_copy.parent / "report.html", seed_copy) is None  # beside data/: fine
    assert refusal(seed_copy / "report.html", seed_copy) is None  # not read by the ledger


# --- not regular files --------------------------------------------------------------------------


def test_dev_null_is_refused_and_stays_a_device(seed_copy: Path):
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    for command in ("report", "export"):
        result = cli_run(command, str(seed_copy), "-o", "/dev/null", "--force")
        assert result.exit_code == 2, result.output
        assert "cannot write /dev/null: it is a character device" in result.output
        assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    with pytest.raises(WriteRefused, match="character device"):  # what `add` writes through
        _atomic_write("/dev/null")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_device_node_of_our_own_is_refused(seed_copy: Path, tmp_path: Path):
    """As /dev/null, but a node made here (so the check can run on code that would replace it)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    result = cli_run("report", str(seed_copy), "-o", str(node))  # refused even with --force
    assert result.exit_code == 2, result.output
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    with pytest.raises(WriteRefused, match="character device"):
        _atomic_write(node)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_fifo_is_refused_without_blocking(seed_copy: Path, tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    run = subprocess.run(
        [sys.executable, "-m", "ledger", "report", str(seed_copy), "-o", str(fifo)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 2, run.stdout + run.stderr
    assert "a FIFO (named pipe), not a regular file" in run.stderr
    assert "Traceback" not in run.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(WriteRefused, match="FIFO"):
        _atomic_write(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_is_refused(seed_copy: Path, tmp_path: Path):
    result = cli_run("report", str(seed_copy), "-o", str(tmp_path), "--force")
    assert result.exit_code == 2, result.output
    assert "it is a folder, not a regular file" in result.output


# --- folders and full disks ---------------------------------------------------------------------


def test_a_missing_folder_is_a_clear_error(seed_copy: Path, tmp_path: Path):
    for command in ("report", "export"):
        out = tmp_path / "no" / "such" / "report.out"
        result = cli_run(command, str(seed_copy), "-o", str(out))
        assert result.exit_code == 2, result.output
        assert f"Error: cannot write {out}: no such folder {out.parent}" in result.output
        assert not (tmp_path / "no").exists()
    with pytest.raises(OutputFailed, match="no such folder"):  # a folder gone mid-run
        write(tmp_path / "gone" / "x.txt", iter([b"x"]))


def test_a_read_only_folder_is_a_clear_error(seed_copy: Path, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "old.txt").write_bytes(OLD)
    folder.chmod(0o555)
    try:
        new = cli_run("report", str(seed_copy), "-o", str(folder / "new.txt"))
        old = cli_run("report", str(seed_copy), "-o", str(folder / "old.txt"), "--force")
        listed = sorted(os.listdir(folder))
    finally:
        folder.chmod(0o755)
    for result in (new, old):
        assert result.exit_code == 2, result.output
        assert f"the folder {folder} is not writable" in result.output
    assert listed == ["old.txt"]
    assert (folder / "old.txt").read_bytes() == OLD


@pytest.mark.parametrize("where", ["write", "fsync"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_a_full_disk_is_a_clear_error_and_keeps_the_old_file(
    seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, existing: bool
):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.html"
    if existing:
        out.write_bytes(OLD)
    monkeypatch.setattr(ledger.atomic, "os", _OsWithFullDisk(where))
    force = ["--force"] if existing else []
    result = cli_run(
        "report", str(seed_copy), "--format", "html", "--no-cache", "-o", str(out), *force
    )
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    said = f"Error: cannot write {out}: No space left on device; nothing was written"
    assert said in result.output, result.output
    assert (f"{out} is unchanged" in result.output) == existing
    assert "Traceback" not in result.output
    assert sorted(os.listdir(folder)) == (["report.html"] if existing else [])
    if existing:
        assert out.read_bytes() == OLD
