"""Writers that crash, and writes that cannot happen: nothing lost, nothing torn.

- Twenty processes adding to one file at once: `test_add.py::
  test_twenty_concurrent_adds_from_separate_processes_all_land` (not repeated here).
- A process killed with SIGKILL in the middle of an add, at each step of the write (the lock
  held, the claim checked, the temporary file half written, written, before and after the
  rename, before the read-back; with a new source, between sources.yaml and the claim file),
  and killed from outside after a random short delay once it starts writing: each file is
  byte for byte the old one, or the old one plus the whole new claim (or source), and the
  ledger loads without an error and takes the next add.
- A read-only claim file, a read-only claims folder, and a full disk (ENOSPC from the write):
  a clear error, a non-zero exit from the CLI, the file untouched, no temporary file left.

"Unchanged" always means byte for byte. Lock files (`.<name>.lock`) may stay behind.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

import ledger
import ledger.atomic
from ledger.add import add_claim
from ledger.atomic import WriteRefused

from .conftest import SEED_CLAIMS, SEED_DATA, SEED_REPO, cli_run, snapshot

SEED_SOURCE = "sputnik-2016-12-03-aleppo"
# A claim that is valid against the seed ledger (its quote is in the seed document).
FIELDS = {
    "id": "killed-add",
    "source": SEED_SOURCE,
    "claimant": "Russian Ministry of Defence",
    "provider": "Russia",
    "status": "delivered",
    "item": "humanitarian aid",
    "quantity": "about 4 t",
    "places": ["Hananu 3"],
    "period": "2016-12-01/2016-12-02",
    "quote": "about 4 tons",
}
NEW_SOURCE = {
    "id": "relief-2016-12-04",
    "title": "Relief update: Saydnaya",
    "publisher": "Relief Wire",
    "published": "2016-12-04",
    "url": "https://example.org/relief/2016-12-04",
    "document": "seeds/relief-2016-12-04.txt",
}
NEW_DOCUMENT = "On 4 December a convoy brought 12 t of flour to Saydnaya, the agency said.\n"
NEW_FIELDS = {
    "id": "relief-flour",
    "source": NEW_SOURCE["id"],
    "claimant": "World Food Programme",
    "provider": "World Food Programme",
    "status": "delivered",
    "item": "flour",
    "quantity": "12 t",
    "places": ["Saydnaya"],
    "date": "2016-12-04",
    "quote": "a convoy brought 12 t of flour to Saydnaya",
}
NEW_CLAIMS = "claims/relief-2016-12-04.yaml"

# Run in a child process: add one claim, and SIGKILL itself at the named step.
KILLER = r"""
import contextlib, json, os, signal, sys
from pathlib import Path

import ledger.add
import ledger.atomic

root, target, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
fields, new_source = json.loads(sys.argv[4]), json.loads(sys.argv[5])
sources = root / "sources.yaml"
victim = sources if point.startswith("source-") else target
step = point.removeprefix("source-")


def die():
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def is_victim(path):
    return Path(path).name == victim.name


def fd_is_victims_temp(fd):
    name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    return name.startswith(f".{victim.name}.") and name.endswith(".tmp")


class Os:
    # ledger.atomic's `os`, with some calls replaced
    def __init__(self, **calls):
        self.__dict__.update(calls)

    def __getattr__(self, name):
        return getattr(os, name)


class HalfWriter:
    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        os.fsync(self.handle.fileno())
        die()

    def __getattr__(self, name):
        return getattr(self.handle, name)


real_locked, real_write = ledger.add.locked, ledger.add.write_text_atomic


@contextlib.contextmanager
def locked(path):
    with real_locked(path):
        if is_victim(path) and step == "lock-held":
            die()
        yield


def write_text_atomic(path, text):
    if step == "writing":
        print("WRITING", flush=True)  # the parent kills us after a random short delay
    if is_victim(path) and step == "checked":
        die()
    return real_write(path, text)


def fdopen(fd, *args, **kwargs):
    handle = os.fdopen(fd, *args, **kwargs)
    return HalfWriter(handle) if fd_is_victims_temp(fd) else handle


def fsync(fd):
    if fd_is_victims_temp(fd):
        die()
    return os.fsync(fd)


def replace(src, dst):
    if is_victim(dst) and step == "before-rename":
        die()
    os.replace(src, dst)
    if is_victim(dst) and step == "after-rename":
        die()


def confirm(*args, **kwargs):
    die()


ledger.add.locked = locked
ledger.add.write_text_atomic = write_text_atomic
calls = {"replace": replace}
if step == "temp-half-written":
    calls["fdopen"] = fdopen
if step == "temp-written":
    calls["fsync"] = fsync
ledger.atomic.os = Os(**calls)
if step == "before-confirm":
    ledger.add._confirm = confirm
result = ledger.add.add_claim(root, target, fields, new_source or None)
print("DONE", result.written, flush=True)
"""

# kill point -> what each file must hold afterwards: "old" or "new" ("new" for the claim file:
# the old bytes plus the whole new claim; for sources.yaml: plus the whole new source)
KILL_POINTS: dict[str, tuple[str, str]] = {
    "lock-held": ("old", "old"),
    "checked": ("old", "old"),
    "temp-half-written": ("old", "old"),
    "temp-written": ("old", "old"),
    "before-rename": ("old", "old"),
    "after-rename": ("new", "old"),
    "before-confirm": ("new", "old"),
    # with a new source: sources.yaml is written first, then the new claim file
    "source-temp-half-written": ("old", "old"),
    "source-after-rename": ("old", "new"),  # see test_kill_between_the_two_files
    "after-rename+source": ("new", "new"),
}
EXTERNAL_TRIALS = 6  # killed from outside at a random short delay after writing starts
EXTERNAL_SEED = 6


@dataclass
class Trial:
    name: str
    repo: Path
    target: Path
    fields: dict[str, Any]
    new_source: dict[str, Any] | None
    old_claims: bytes | None  # None: the claim file did not exist
    old_sources: bytes
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    delay: float | None = None
    listing: dict[str, set[str]] = field(default_factory=dict)


def _copy_seed(base: Path, name: str) -> Path:
    repo = base / name
    skip = shutil.ignore_patterns(".aid-ledger-cache", ".*.lock")
    shutil.copytree(SEED_DATA, repo / "data", ignore=skip)
    shutil.copytree(SEED_REPO / "seeds", repo / "seeds", ignore=skip)
    (repo / NEW_SOURCE["document"]).write_text(NEW_DOCUMENT, encoding="utf-8")
    return repo


def _trial(base: Path, name: str, with_source: bool) -> Trial:
    repo = _copy_seed(base, name)
    data = repo / "data"
    target = data / (NEW_CLAIMS if with_source else SEED_CLAIMS)
    fields = dict(NEW_FIELDS if with_source else FIELDS)
    old = target.read_bytes() if target.exists() else None
    trial = Trial(
        name, repo, target, fields, NEW_SOURCE if with_source else None, old,
        (data / "sources.yaml").read_bytes(),
    )  # fmt: skip
    trial.listing = {d.name: set(os.listdir(d)) for d in (data, data / "claims")}
    return trial


def _spawn(trial: Trial, point: str, script: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(ledger.__file__).resolve().parent.parent)}
    args = [
        sys.executable, str(script), str(trial.repo / "data"), str(trial.target), point,
        json.dumps(trial.fields), json.dumps(trial.new_source),
    ]  # fmt: skip
    return subprocess.Popen(
        args, cwd=trial.repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _kill_after_writing_starts(trial: Trial, proc: subprocess.Popen) -> None:
    """Wait for the child to start writing, then SIGKILL it after `trial.delay` seconds."""
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.startswith("WRITING"):
        time.sleep(trial.delay or 0)
        proc.kill()
    out, err = proc.communicate(timeout=300)
    trial.stdout, trial.stderr, trial.returncode = first + out, err, proc.returncode


@pytest.fixture(scope="module")
def trials(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Trial]:
    """Every kill trial, run at once in separate processes (each on its own ledger copy)."""
    base = tmp_path_factory.mktemp("killed")
    script = base / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    out: dict[str, Trial] = {}
    procs: dict[str, subprocess.Popen] = {}
    for point in KILL_POINTS:
        with_source = point.startswith("source-") or point.endswith("+source")
        out[point] = _trial(base, point, with_source)
        procs[point] = _spawn(out[point], point.removesuffix("+source"), script)
    rng = random.Random(EXTERNAL_SEED)
    waiters = []
    for n in range(EXTERNAL_TRIALS):
        name = f"external-{n}"
        out[name] = _trial(base, name, with_source=n % 2 == 1)
        # half the kills land within the first 5 ms of writing, half within 150 ms
        out[name].delay = rng.uniform(0, 0.005 if n < EXTERNAL_TRIALS // 2 else 0.15)
        proc = _spawn(out[name], "writing", script)
        waiters.append(threading.Thread(target=_kill_after_writing_starts, args=(out[name], proc)))
        waiters[-1].start()
    for point, proc in procs.items():
        trial = out[point]
        trial.stdout, trial.stderr = proc.communicate(timeout=300)
        trial.returncode = proc.returncode
    for w in waiters:
        w.join(timeout=300)
    return out


def _appended(old: bytes | None, now: bytes | None, what: str) -> Any:
    """None when `now` is byte for byte `old`; else what was appended, read as YAML (it must
    be appended: the old bytes stay a prefix)."""
    if now == old:
        return None
    assert now is not None, f"{what} was deleted"
    assert now.startswith(old or b""), f"{what} is neither the old file nor the old file plus more"
    return yaml.safe_load(now[len(old or b"") :].decode("utf-8"))


def _check_trial(trial: Trial, retry: bool = True) -> tuple[str, str]:
    """Each file is the old one or the old one plus one whole block; the ledger loads clean;
    the killed writer left nothing but lock and temporary files; (`retry`) the next add goes
    through. Returns what each file holds: "old" or "new"."""
    data = trial.repo / "data"
    now = trial.target.read_bytes() if trial.target.exists() else None
    added = _appended(trial.old_claims, now, trial.target.name)
    if added is not None:  # one whole claim (in a new file: the file's one claim)
        items = added["claims"] if isinstance(added, dict) else added
        assert isinstance(items, list) and len(items) == 1, added
        got = {k: items[0].get(k) for k in ("id", "quantity", "places", "quote")}
        assert got == {k: trial.fields[k] for k in got}, got
    added_source = _appended(trial.old_sources, (data / "sources.yaml").read_bytes(), "sources")
    if added_source is not None:  # one whole source
        assert trial.new_source is not None
        assert isinstance(added_source, list) and len(added_source) == 1, added_source
        assert {k: added_source[0].get(k) for k in trial.new_source} == trial.new_source
    book = ledger.load(data, use_cache=False)
    errors = [p.format() for p in book.problems if p.severity == "error"]
    assert errors == [], errors
    assert list(book.claims["id"]).count(trial.fields["id"]) == (0 if added is None else 1)
    for folder in (data, data / "claims"):
        for name in set(os.listdir(folder)) - trial.listing[folder.name]:
            temp = name.startswith(".") and name.endswith(".tmp")
            assert name.endswith(".lock") or temp or name == trial.target.name, name
    if retry:
        _retry(trial, added_source is None)
    return ("old" if added is None else "new"), ("old" if added_source is None else "new")


def _retry(trial: Trial, source_missing: bool) -> None:
    """The lock died with the process: the next add goes through (on a copy of the trial, so
    that the other tests see what the kill left)."""
    again = trial.repo.with_name(trial.repo.name + "-again")
    shutil.rmtree(again, ignore_errors=True)
    shutil.copytree(trial.repo, again)
    target = again / trial.target.relative_to(trial.repo)
    fields = dict(trial.fields, id=f"{trial.fields['id']}-again")
    source = trial.new_source if source_missing else None
    result = add_claim(again / "data", target, fields, source)
    assert result.written, [p.format() for p in result.problems]


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_sigkill_at_each_step_leaves_old_or_old_plus_whole_claim(
    trials: dict[str, Trial], point: str
):
    trial = trials[point]
    assert trial.returncode == -9, f"not killed at {point}:\n{trial.stdout}{trial.stderr}"
    assert _check_trial(trial) == KILL_POINTS[point]


def test_sigkill_leaves_only_hidden_temporary_files_that_the_loader_ignores(
    trials: dict[str, Trial],
):
    """A killed writer cannot clean up: its `.<name>.*.tmp` stays, hidden and never named like a
    claim file, so the loader never reads it."""
    for point in ("temp-half-written", "temp-written", "before-rename", "source-temp-half-written"):
        trial = trials[point]
        victim = (
            trial.repo / "data" / "sources.yaml" if point.startswith("source-") else trial.target
        )
        temp = [n for n in os.listdir(victim.parent) if n.endswith(".tmp")]
        assert len(temp) == 1, (point, temp)
        assert temp[0].startswith(f".{victim.name}.") and not temp[0].endswith((".yaml", ".yml"))


def test_kill_between_the_two_files_leaves_a_source_that_the_retry_reuses(
    trials: dict[str, Trial],
):
    """sources.yaml is written before the claim file: a kill in between leaves the whole new
    source without its claim (each file whole; the pair is not one transaction). Running the
    add again then adds only the claim."""
    trial = trials["source-after-rename"]
    assert not trial.target.exists()
    book = ledger.load(trial.repo / "data", use_cache=False)
    assert NEW_SOURCE["id"] in book.sources
    assert NEW_FIELDS["id"] not in set(book.claims["id"])


def test_sigkill_from_outside_at_random_moments_of_the_write(trials: dict[str, Trial]):
    outcomes = []
    for n in range(EXTERNAL_TRIALS):
        trial = trials[f"external-{n}"]
        assert trial.returncode in (0, -9), trial.stdout + trial.stderr
        assert trial.stdout.startswith("WRITING"), trial.stdout + trial.stderr
        outcomes.append((trial.returncode, *_check_trial(trial, retry=False)))
    assert any(rc == -9 for rc, *_ in outcomes), f"no trial was killed: {outcomes}"
    print("external kills (returncode, claim file, sources.yaml):", outcomes)


# --- refused writes: read-only file, read-only folder, full disk ------------------------------

CLI_ARGS = [
    "--claimant", FIELDS["claimant"], "--provider", FIELDS["provider"], "--status", "delivered",
    "--item", FIELDS["item"], "--quantity", FIELDS["quantity"], "--places", "Hananu 3",
    "--period", FIELDS["period"], "--quote", FIELDS["quote"], "--no-input",
]  # fmt: skip


def run_add(target: Path, cid: str = "refused-add") -> Any:
    return cli_run("add", "--file", str(target), "--id", cid, *CLI_ARGS)


def temp_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp"))


def test_read_only_claim_file_is_refused_even_for_root(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    target.chmod(0o444)
    try:
        result = run_add(target)
        assert result.exit_code == 1, result.output
        assert "read-only" in result.output and "nothing was written" in result.output
        with pytest.raises(WriteRefused, match="read-only"):
            add_claim(seed_copy, target, FIELDS)
        assert stat.S_IMODE(target.stat().st_mode) == 0o444
    finally:
        target.chmod(0o644)
    assert snapshot(seed_copy.parent) == before
    assert temp_files(seed_copy.parent) == []


def test_read_only_sources_yaml_refuses_a_new_source_and_its_claim(seed_copy: Path):
    (seed_copy.parent / NEW_SOURCE["document"]).write_text(NEW_DOCUMENT, encoding="utf-8")
    sources = seed_copy / "sources.yaml"
    before = snapshot(seed_copy.parent)
    sources.chmod(0o444)
    try:
        with pytest.raises(WriteRefused, match="read-only"):
            add_claim(seed_copy, seed_copy / NEW_CLAIMS, NEW_FIELDS, NEW_SOURCE)
    finally:
        sources.chmod(0o644)
    assert not (seed_copy / NEW_CLAIMS).exists()
    assert snapshot(seed_copy.parent) == before
    assert temp_files(seed_copy.parent) == []


def test_read_only_claims_folder_is_refused(seed_copy: Path):
    """A folder a person made read-only (0o555) is not written to, as a read-only file is not,
    even by root (for whom the permission bits do not stop the write)."""
    folder = seed_copy / "claims"
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    folder.chmod(0o555)
    try:
        result = run_add(target)
        after = snapshot(seed_copy.parent)
        left = temp_files(seed_copy.parent)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1, f"as uid {os.getuid()}, the add wrote anyway:\n{result.output}"
    assert "nothing was written" in result.output
    assert after == before
    assert left == []


def _enospc() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FillingHandle:
    """A file whose disk fills up halfway through the write."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def __enter__(self) -> _FillingHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise _enospc()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


class _OsWithFullDisk:
    """`ledger.atomic`'s view of `os`, where writing the temporary file fails with ENOSPC."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = os.fdopen(fd, *args, **kwargs)
        return _FillingHandle(handle) if self.where == "write" else handle

    def fsync(self, fd: int) -> None:
        if self.where == "fsync":
            raise _enospc()
        os.fsync(fd)


class _TempfileWithFullDisk:
    def __getattr__(self, name: str) -> Any:
        return getattr(tempfile, name)

    def mkstemp(self, *args: Any, **kwargs: Any) -> Any:
        raise _enospc()


@pytest.mark.parametrize("where", ["create", "write", "fsync"])
def test_full_disk_is_a_clear_error_and_leaves_the_file_untouched(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch, where: str
):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    if where == "create":
        monkeypatch.setattr(ledger.atomic, "tempfile", _TempfileWithFullDisk())
    else:
        monkeypatch.setattr(ledger.atomic, "os", _OsWithFullDisk(where))
    result = run_add(target)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.output, result.output
    assert "nothing was written" in result.output
    assert snapshot(seed_copy.parent) == before
    assert temp_files(seed_copy.parent) == []
    assert [p for p in ledger.load(seed_copy).problems if p.severity == "error"] == []


def test_full_disk_during_export_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "claims.csv"
    out.write_bytes(b"an export somebody relies on\n")
    monkeypatch.setattr(ledger.atomic, "os", _OsWithFullDisk("write"))
    result = cli_run("export", str(SEED_DATA), "--format", "csv", "-o", str(out), "--force")
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.output
    assert out.read_bytes() == b"an export somebody relies on\n"
    assert sorted(os.listdir(tmp_path)) == ["claims.csv"]
