"""`make bench`: time `aid-ledger check` and `report` on synthetic ledgers (issue 5).

For each size (10,000 and 100,000 claims; 1,000,000 too with BENCH_FULL=1) it generates a
ledger once into `.bench/` with benchmarks/generate.py (reused while the generator, size and seed are unchanged), then
times, each as a separate process started from scratch, end to end:

- the reference: a bare `yaml.load(text, Loader=yaml.CSafeLoader)` of the same claim files,
- `check` cold (cache folder deleted, `--no-cache` when the command accepts it),
- `check` filling the cache (one run), then warm (nothing changed since),
- `check` with one claim file changed (a comment line appended, different every run),
- `report --format json` cold, filling the cache, and warm, the same way.

Why processes and wall-clock time: a user waits for the whole command, interpreter start and
imports included; and each child's own peak memory is read from `os.wait4`, which reports the
resources of exactly that child (a `getrusage(RUSAGE_CHILDREN)` delta cannot: its `ru_maxrss`
is the largest child so far, not the last one).

Settings come from the environment: BENCH_RUNS (timed runs per figure, default 3; the median
is reported), BENCH_FULL=1 (add 1,000,000 claims), BENCH_SIZES (comma-separated, replaces the
sizes, e.g. `BENCH_SIZES=2000` for a smoke run), BENCH_SEED (default 1), BENCH_TIMEOUT
(seconds per child, default 600: a child that takes longer is killed and reported as such,
and the runs that would take as long are skipped; such a figure is far off every target).

Issue 11 adds, side by side in the same run:

- at every size, the warm runs of every command with standard output to /dev/null, each after
  one first run that fills the cache (and whose output is checked): `report --format json`,
  `totals` and `export --format csv` (`check` warm writes one line: its figure above serves);
- at the main size (100,000, else the largest), the same claims laid out as files of
  BENCH_LAYOUT claims (default 20: 5,000 files; 0 skips it), generated with
  `generate.py --claims-per-file`, and their cold `check`;
- at the main size, the peers: `hledger check` and beancount's `bean-check` on the same
  claims written as a journal (benchmarks/peers.py: one transaction per claim, a balance
  assertion a day), each cold; a peer that is not installed is skipped with a line saying so
  (hledger: `apt-get install hledger`; bean-check: `python benchmarks/peers.py
  --install-beancount`, into `.bench/peers-venv/`). BENCH_PEERS=0 skips them;
- the blow-up shapes of benchmarks/shapes.py, cold `check` and `report --format json` on each
  (target: under 10 s and 500 MB). BENCH_SHAPES=0 skips them; a shape run that takes more
  than twice the target is not repeated (the verdict cannot change), and BENCH_SHAPE_TIMEOUT
  (default 180 s) kills one that runs far longer.

Results: a table on stdout, and JSON in `.bench/results-<timestamp>.json` and
`.bench/latest.json` (the previous `latest.json` is compared against in the table's last
column). No figure here is asserted anywhere: timing belongs in this report, not in tests.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
CACHE_FOLDER = ".aid-ledger-cache"  # ledger.cache.FOLDER; named here so no internals are imported
MIB = 1024 * 1024
NULL = Path(os.devnull)
WARM_TARGET = 0.3  # s: a warm run of every command at 100,000 claims (issue 11)
SHAPE_SECONDS, SHAPE_MB = 10.0, 500.0  # each blow-up shape, cold check and report (issue 11)
LAYOUT_RATIO = 1.25  # the many-small-files layout against the default one (issue 11)

sys.path.insert(0, str(ROOT))  # `python benchmarks/run.py` from a source tree
sys.path.insert(0, str(ROOT / "benchmarks"))  # the generator beside this file (not packaged)

# The bare parse every figure is compared with: the same claim files, PyYAML's C loader,
# nothing else (no checks, no pandas): what "just reading the YAML" costs.
REFERENCE = """\
import sys, pathlib, yaml
n = 0
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.yaml")):
    doc = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    n += len(doc["claims"])
print(n)
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit: int | None  # None: killed after the timeout
    timed_out: bool = False


@dataclass
class Measure:
    claims: int
    name: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    failed: bool = False  # the command crashed, found errors or read too few claims
    group: str = "size"  # size, layout, peer, shape: the section of the run it belongs to
    # how a run's output is judged (see `_outcome`): reference, check, report, csv, exit0;
    # "" takes it from the name as before (yaml..., check..., else a report)
    kind: str = ""
    expect_errors: int = 0  # errors a check must report (a shape made of unknown places)
    null_stdout: bool = False  # standard output to /dev/null: judged by the exit code alone
    output_bytes: int | None = None  # what the last run wrote to standard output
    version: str = ""  # a peer's version

    def __post_init__(self) -> None:
        if not self.kind:
            self.kind = ("reference" if self.name.startswith("yaml") else
                         "check" if self.name.startswith("check") else "report")  # fmt: skip

    @property
    def ok_runs(self) -> list[Run]:
        return [r for r in self.runs if not r.timed_out]

    @property
    def median(self) -> float | None:
        ok = self.ok_runs
        return statistics.median(r.seconds for r in ok) if ok else None

    @property
    def peak_mb(self) -> float | None:
        ok = self.ok_runs
        return max(r.peak_mb for r in ok) if ok else None

    @property
    def rate(self) -> float | None:
        m = self.median
        return self.claims / m if m else None


@dataclass
class Settings:
    runs: int
    seed: int
    sizes: list[int]
    timeout: float
    aid_ledger: list[str]
    no_cache: dict[str, bool]
    layout: int = 20  # claims per file of the second layout at the main size; 0: skipped
    peers: bool = True
    shapes: bool = True
    shape_timeout: float = 180.0


# --- running children ---------------------------------------------------------------------


# Children are started by a small process of their own, started before this runner imports
# anything heavy. On Linux a child's `ru_maxrss` never falls below the resident size of the
# process it was forked from (the high-water mark survives `exec`), so children forked from
# this runner, which grows as it imports the generator and reads outputs, would all report at
# least the runner's size. The spawner stays a few MB, so each figure is the child's own.
SPAWNER = """\
import json, os, subprocess, sys, threading, time
for line in sys.stdin:
    req = json.loads(line)
    with open(req["out"], "wb") as out, open(req["err"], "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(req["cmd"], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                cwd=req["cwd"])
        killed = threading.Event()
        def kill():
            killed.set()
            proc.kill()
        timer = threading.Timer(req["timeout"], kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
    print(json.dumps({"seconds": seconds, "maxrss": usage.ru_maxrss, "killed": killed.is_set(),
                      "exit": os.waitstatus_to_exitcode(status)}), flush=True)
"""


class Spawner:
    """The small process that starts each measured command and reports its time and peak."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", SPAWNER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)  # fmt: skip

    def run(
        self, cmd: list[str], out: Path, timeout: float, err: Path | None = None
    ) -> dict[str, Any]:
        req = {"cmd": cmd, "out": str(out), "err": str(err or out.with_suffix(".err")),
               "cwd": str(ROOT), "timeout": timeout}  # fmt: skip
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())


_SPAWNER: Spawner | None = None


def run_child(cmd: list[str], out: Path, timeout: float, err: Path | None = None) -> Run:
    """Run `cmd` to completion; wall time from before the fork to after the reap, and the
    child's own peak resident memory (ru_maxrss: KiB on Linux, bytes on macOS)."""
    assert _SPAWNER is not None, "main() starts the spawner first"
    got = _SPAWNER.run(cmd, out, timeout, err)
    scale = 1 if sys.platform == "darwin" else 1024
    peak = got["maxrss"] * scale / MIB
    if got["killed"]:
        return Run(got["seconds"], peak, None, timed_out=True)
    return Run(got["seconds"], peak, got["exit"])


def timed(
    m: Measure,
    runs: int,
    settings: Settings,
    before: Callable[[int], None] | None = None,
    timeout: float | None = None,
    enough: float | None = None,
) -> Measure:
    """`runs` timed runs of `m.command`; `before(i)` prepares run i (delete a cache, change a
    file) outside the timing. Stops at the first timeout: the next would take as long; and,
    given `enough`, after a run that took longer than that (far off its target already)."""
    timeout = settings.timeout if timeout is None else timeout
    stem = re.sub(r"[^A-Za-z0-9.,_-]+", "-", m.name).strip("-")
    out = BENCH / "out" / f"{m.claims}-{stem}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    for i in range(runs):
        if before is not None:
            before(i)
        run = run_child(m.command, NULL if m.null_stdout else out, timeout, out.with_suffix(".err"))
        m.runs.append(run)
        shown = "timed out" if run.timed_out else f"{run.seconds:.2f} s, exit {run.exit}"
        print(f"  [{m.claims:,}] {m.name} {i + 1}/{runs}: {shown}, {run.peak_mb:.0f} MB",
              flush=True)  # fmt: skip
        if run.timed_out:
            m.note = f"killed after {timeout:g} s"
            break
        m.output_bytes = None if m.null_stdout else out.stat().st_size
        m.note, ok = _outcome(m, run, out)
        if not ok:
            m.failed = True
            m.note = f"FAILED {m.note}"
            print(f"  [{m.claims:,}] {m.name}: {m.note}", flush=True)
            break
        if enough is not None and run.seconds > enough and i + 1 < runs:
            m.note = f"{m.note}; one run: over {enough:g} s"
            break
    return m


SUMMARY = re.compile(r"(\d+) claims in (\d+) files?: (\d+) errors?, (\d+) warnings?")
DATASET = re.compile(r"wrote .*: ([\d,]+) claims?,")
SHORT = {"supported": "sup", "compatible": "compat", "rounding": "round", "contradicted": "contra",
         "incomparable": "incomp"}  # fmt: skip


def _small_output(out: Path) -> str:
    """A command's output when it is small (check, the reference); "" for a report, which is
    read by `_verdict_counts` without loading it whole (a million claims write ~1 GB)."""
    if not out.exists() or out.stat().st_size > 1 << 20:
        return ""
    return out.read_text(encoding="utf-8", errors="replace")


def _verdict_counts(out: Path) -> dict[str, int]:
    """The report's `verdict_counts` (near its top) from a complete JSON report: one that
    ends with its closing brace, so a report cut short is not taken for a run."""
    with open(out, "rb") as handle:
        head = handle.read(1 << 16).decode("utf-8", errors="replace")
        handle.seek(max(0, out.stat().st_size - 2))
        tail = handle.read()
    if tail != b"}\n":
        raise ValueError("the report is incomplete")
    found = re.search(r'"verdict_counts": (\{[^}]*\})', head)
    if found is None:
        raise ValueError("no verdict_counts")
    return json.loads(found.group(1))


def _last_line(out: Path) -> str:
    """The last line of a command's output, read from its end (a check listing thousands of
    problems still ends with its summary)."""
    if not out.exists():
        return ""
    with open(out, "rb") as handle:
        handle.seek(max(0, out.stat().st_size - 4096))
        lines = handle.read().decode("utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def _csv_rows(out: Path) -> int:
    """Records of a CSV file, header included (quoted cells may hold line breaks)."""
    import csv

    with open(out, encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle))


def _outcome(m: Measure, run: Run, out: Path) -> tuple[str, bool]:
    """(what the command said, whether the run did the work asked): a fast figure from a
    command that crashed, found errors or read fewer claims must not pass for a timing."""
    err = out.with_suffix(".err")
    err_text = err.read_text(encoding="utf-8", errors="replace") if err.exists() else ""
    last_err = err_text.strip().splitlines()[-1:]
    why = f"exit {run.exit}: {last_err[0][:90]}" if last_err else f"exit {run.exit}, no output"
    if m.null_stdout:  # nothing to read: the exit status and a clean standard error
        allowed = (0, 1) if m.kind == "report" else (0,)
        ok = run.exit in allowed and "Traceback" not in err_text
        return (f"exit {run.exit}, stdout to {NULL}" if ok else why), ok
    if m.kind == "reference":
        text = _small_output(out)
        ok = run.exit == 0 and text.strip() == str(m.claims)
        return (f"{text.strip()} claims parsed" if ok else why), ok
    if m.kind == "check":
        found = SUMMARY.search(_last_line(out))
        if found is None or run.exit not in (0, 1):
            return why, False
        claims, errors = int(found.group(1)), int(found.group(3))
        ok = claims == m.claims and errors == m.expect_errors
        ok = ok and run.exit == (1 if m.expect_errors else 0)
        return found.group(0), ok
    if m.kind == "exit0":  # a peer, totals: exit 0 is their own verdict of the whole input
        ok = run.exit == 0 and "Traceback" not in err_text
        return (f"exit 0, {out.stat().st_size:,} bytes out" if ok else why), ok
    if m.kind == "dataset":  # `wrote DIR: N claims, ...` on standard error, exit 0
        found = DATASET.search(err_text)
        rows = int(found.group(1).replace(",", "")) if found else None
        ok = run.exit == 0 and rows == m.claims
        return (f"exit 0: {rows:,} claims written" if ok else why), ok
    if m.kind == "csv":
        if run.exit != 0:
            return why, False
        rows = _csv_rows(out) - 1
        return f"exit 0: {rows:,} rows", rows == m.claims
    try:
        counts = _verdict_counts(out)
        shown = ", ".join(f"{v} {SHORT.get(k, k)}" for k, v in counts.items())
    except (ValueError, KeyError, TypeError, AttributeError):
        return why, False
    return f"exit {run.exit}: {shown}", run.exit in (0, 1)


# --- one size -----------------------------------------------------------------------------


def ledger_for(
    size: int, seed: int, per_file: int | None = None
) -> tuple[Path, dict[str, Any], float | None]:
    """The generated ledger of `size` claims (in files of `per_file` claims; None: the
    generator's default layout): reused when its marker matches, else written."""
    from generate import CLAIMS_PER_FILE, GENERATOR_VERSION, MARKER, generate  # heavy

    per = per_file or CLAIMS_PER_FILE
    folder = BENCH / f"ledger-{size}-seed{seed}{'' if per == CLAIMS_PER_FILE else f'-per{per}'}"
    marker = folder / MARKER
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
        found = (info.get("generator"), info.get("claims"), info.get("seed"),
                 info.get("claims_per_file", CLAIMS_PER_FILE))  # fmt: skip
        if found == (GENERATOR_VERSION, size, seed, per):
            return folder, info["counts"], None
    except (OSError, ValueError):
        pass
    print(f"generating {size:,} claims into {folder.relative_to(ROOT)} ...", flush=True)
    if folder.exists() and not marker.exists():
        shutil.rmtree(folder)  # a generation interrupted before its marker was written
    start = time.perf_counter()
    counts = generate(size, folder, seed, per)
    return folder, counts, time.perf_counter() - start


class ChangedFile:
    """One claim file changed by appending a comment line, restored afterwards. The original
    is kept beside the ledger until restored, so an interrupted run is repaired by the next."""

    def __init__(self, folder: Path) -> None:
        files = sorted((folder / "data" / "claims").glob("*.yaml"))
        self.path = files[len(files) // 2]
        self.count = len(files)
        self.backup = folder / "changed-file.orig"
        self.restore()
        self.original = self.path.read_bytes()

    def change(self, i: int) -> None:
        if not self.backup.exists():
            self.backup.write_bytes(self.path.name.encode() + b"\n" + self.original)
        stamp = f"# aid-ledger bench: changed, run {i + 1} at {time.time_ns()}\n"
        self.path.write_bytes(self.original + stamp.encode())

    def restore(self) -> None:
        if self.backup.exists():
            name, _, content = self.backup.read_bytes().partition(b"\n")
            (self.path.parent / name.decode()).write_bytes(content)
            self.backup.unlink()


def bench_size(size: int, settings: Settings) -> tuple[list[Measure], dict[str, Any]]:
    folder, counts, generated = ledger_for(size, settings.seed)
    data = folder / "data"
    cache = data / CACHE_FOLDER
    rel = str(data.relative_to(ROOT))
    aid = settings.aid_ledger
    runs = settings.runs
    changed = ChangedFile(folder)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    info = {"path": str(folder.relative_to(ROOT)), "counts": counts, "files": changed.count,
            "generated_seconds": generated, "load_average_before": load}  # fmt: skip
    print(f"\n== {size:,} claims in {changed.count} files ({rel}); load average {load}",
          flush=True)  # fmt: skip

    def flags(command: str) -> list[str]:
        return ["--no-cache"] if settings.no_cache[command] else []

    def clear(_: int = 0) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    check = [*aid, "check", rel]
    report = [*aid, "report", rel, "--format", "json"]
    out: list[Measure] = []
    ref = Measure(size, "yaml.load reference", [sys.executable, "-c", REFERENCE, f"{rel}/claims"])
    out.append(timed(ref, runs, settings))
    for name, cmd in (("check", check), ("report", report)):
        cold = timed(Measure(size, f"{name} cold", cmd + flags(name)), runs, settings, clear)
        out.append(cold)
        if not cold.ok_runs:  # a fill or warm run would be killed just the same
            skip = f"skipped: {name} cold timed out"
            out += [Measure(size, f"{name} {k}", cmd, note=skip) for k in ("cache fill", "warm")]
            continue
        clear()
        fill = timed(Measure(size, f"{name} cache fill", cmd), 1, settings)
        out.append(fill)
        if not fill.ok_runs:
            continue
        out.append(timed(Measure(size, f"{name} warm", cmd), runs, settings))
        if name == "check":
            try:
                one = Measure(size, f"check 1 of {changed.count} files changed", cmd)
                out.append(timed(one, runs, settings, changed.change))
            finally:
                changed.restore()
    out += warm_all(size, rel, settings, out)
    # last: it clears the cache (a cold export), which the warm runs above must find filled
    out.append(timed(dataset_measure(size, rel, aid), runs, settings, clear))
    return out, info


def dataset_measure(size: int, rel: str, aid: list[str]) -> Measure:
    """Issue 15: `export --format parquet` of the whole ledger, cold (the load included), its
    peak memory the figure that matters at 1,000,000 claims (written in batches: < 2 GB)."""
    folder = BENCH / "out" / f"{size}-dataset.parquet"
    cmd = [*aid, "export", rel, "--format", "parquet", "-o", str(folder), "--force", "--no-cache"]
    return Measure(size, "export parquet cold", cmd, kind="dataset")


def warm_all(size: int, rel: str, settings: Settings, so_far: list[Measure]) -> list[Measure]:
    """Issue 11: the warm run of every command with standard output to /dev/null (what a user
    waits for; a 100,000-claim JSON report is ~90 MB a file would have to take). `check` warm
    writes one line: its figure above is the same. `totals` and `export` first fill the cache
    (their output then checked: exit 0, and as many CSV rows as claims)."""
    aid = settings.aid_ledger
    out: list[Measure] = []
    report = find(so_far, size, "report warm")
    if report is not None and report.ok_runs and not report.failed:
        cmd = [*aid, "report", rel, "--format", "json"]
        m = Measure(size, "report warm >/dev/null", cmd, null_stdout=True)
        out.append(timed(m, settings.runs, settings))
    commands = (("totals", [*aid, "totals", rel], "exit0"),
                ("export csv", [*aid, "export", rel, "--format", "csv"], "csv"))  # fmt: skip
    for name, cmd, kind in commands:
        first = timed(Measure(size, f"{name} first run", cmd, kind=kind), 1, settings)
        out.append(first)
        if first.ok_runs and not first.failed:
            warm = Measure(size, f"{name} warm >/dev/null", cmd, kind=kind, null_stdout=True)
            out.append(timed(warm, settings.runs, settings))
    return out


def main_size(sizes: list[int]) -> int:
    """The size the issue's targets are read at: 100,000 claims, else the largest run."""
    return 100_000 if 100_000 in sizes else max(sizes)


def bench_layout(size: int, settings: Settings) -> tuple[list[Measure], dict[str, Any]]:
    """Issue 11: the same claims in files of `settings.layout` claims (one report each), cold
    `check`; compared with the default layout's `check cold` at the same size."""
    per = settings.layout
    folder, counts, generated = ledger_for(size, settings.seed, per)
    data = folder / "data"
    rel = str(data.relative_to(ROOT))
    files = counts["files"]
    info = {"path": str(folder.relative_to(ROOT)), "claims_per_file": per, "files": files,
            "counts": counts, "generated_seconds": generated}  # fmt: skip
    print(f"\n== {size:,} claims in {files:,} files of {per} ({rel})", flush=True)
    flags = ["--no-cache"] if settings.no_cache["check"] else []
    m = Measure(size, f"check cold, {files:,} files of {per}", [*settings.aid_ledger, "check",
                rel, *flags], group="layout", kind="check")  # fmt: skip

    def clear(_: int = 0) -> None:
        shutil.rmtree(data / CACHE_FOLDER, ignore_errors=True)

    return [timed(m, settings.runs, settings, clear)], info


def bench_peers(size: int, settings: Settings) -> tuple[list[Measure], dict[str, Any]]:
    """Issue 11: hledger and bean-check on the same claims as a journal, each cold. A peer not
    installed is skipped with a line saying so."""
    from peers import PEERS_VERSION, find_peers, write_journals

    folder, _, _ = ledger_for(size, settings.seed)
    found = find_peers()
    info: dict[str, Any] = {"claims": size, "peers_version": PEERS_VERSION,
                            "tools": {p.name: {"path": p.exe, "version": p.version}
                                      for p in found}}  # fmt: skip
    print(f"\n== peers at {size:,} claims", flush=True)
    for p in found:
        if p.exe is None:
            print(f"  {p.name}: not installed, skipped (to install: {p.install})", flush=True)
    present = [p for p in found if p.exe is not None]
    if not present:
        return [], info
    from generate import MARKER

    about = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    about = {k: about.get(k) for k in ("generator", "claims", "seed")}
    where = BENCH / f"peers-{size}-seed{settings.seed}"
    start = time.perf_counter()
    paths, written = write_journals(folder / "data", where, about)
    if written:
        print(f"  wrote the peer journals into {where.relative_to(ROOT)} "
              f"({time.perf_counter() - start:.1f} s)", flush=True)  # fmt: skip
    info["journals"] = {k: str(v.relative_to(ROOT)) for k, v in paths.items()}
    out = []
    for peer in present:
        journal = paths[peer.suffix]

        def clear(_: int = 0, peer: Any = peer, journal: Path = journal) -> None:
            for f in peer.cache_files(journal):
                f.unlink(missing_ok=True)

        cmd = peer.command(journal.relative_to(ROOT))
        m = Measure(size, f"peer: {peer.name} check" if peer.name == "hledger" else
                    f"peer: {peer.name}", cmd, group="peer", kind="exit0",
                    version=peer.version)  # fmt: skip
        out.append(timed(m, settings.runs, settings, clear))
    return out, info


def bench_shapes(settings: Settings) -> tuple[list[Measure], dict[str, Any]]:
    """Issue 11: the blow-up shapes (benchmarks/shapes.py), cold `check` and `report --format
    json` each. A run over twice the target is not repeated."""
    import shapes

    aid = settings.aid_ledger
    out: list[Measure] = []
    info: dict[str, Any] = {"shapes_version": shapes.SHAPES_VERSION}
    for shape in shapes.SHAPES:
        folder = BENCH / f"shape-{shape.name}"
        claims = shapes.write(shape, folder, settings.seed)
        data = folder / "data"
        rel = str(data.relative_to(ROOT))
        expect = shape.expect_errors(claims)
        info[shape.name] = {"about": shape.about, "claims": claims, "path": rel,
                            "expected_errors": expect}  # fmt: skip
        print(f"\n== shape {shape.name}: {shape.about} ({claims:,} claims, {rel})", flush=True)

        def clear(_: int = 0, data: Path = data) -> None:
            shutil.rmtree(data / CACHE_FOLDER, ignore_errors=True)

        def flags(command: str) -> list[str]:
            return ["--no-cache"] if settings.no_cache[command] else []

        check = Measure(claims, f"shape {shape.name}: check cold",
                        [*aid, "check", rel, *flags("check")], group="shape", kind="check",
                        expect_errors=expect)  # fmt: skip
        report = Measure(claims, f"shape {shape.name}: report cold",
                         [*aid, "report", rel, "--format", "json", *flags("report")],
                         group="shape", kind="report")  # fmt: skip
        for m in (check, report):
            out.append(timed(m, settings.runs, settings, clear, settings.shape_timeout,
                             enough=2 * SHAPE_SECONDS))  # fmt: skip
    return out, info


# --- targets and output -------------------------------------------------------------------


def find(results: list[Measure], size: int, name: str) -> Measure | None:
    return next((m for m in results if m.claims == size and m.name == name), None)


def seconds(m: Measure | None) -> tuple[float, bool] | None:
    """(time, is_lower_bound): the median, or for a killed child the time it ran (the real
    figure is longer); None when not measured."""
    if m is None or m.failed:
        return None
    if m.median is not None:
        return m.median, False
    killed = [r.seconds for r in m.runs if r.timed_out]
    return (min(killed), True) if killed else None


def targets(results: list[Measure], sizes: list[int]) -> list[dict[str, Any]]:
    """The issue's targets, each with the figure it is judged on and met / not met / None.
    A killed child counts with the time it ran: "report > 600 s" already misses "within 1.5x"."""
    rows: list[dict[str, Any]] = []

    def row(text: str, value: str, met: bool | None) -> None:
        rows.append({"issue": 5, "target": text, "value": value, "met": met})

    main = main_size(sizes)
    for name, goal in (("check cold", 50_000), ("check warm", 500_000)):
        t = seconds(find(results, main, name))
        text = f"{name} at {main:,} claims >= {goal:,} claims/s"
        if t is None:
            row(text, "not measured or failed", None)
        else:
            rate = main / t[0]
            row(text, f"{'< ' if t[1] else ''}{rate:,.0f} claims/s", rate >= goal and not t[1])
    for size in sizes:
        for kind in ("cold", "warm"):
            c = seconds(find(results, size, f"check {kind}"))
            r = seconds(find(results, size, f"report {kind}"))
            text = f"report {kind} within 1.5x of check {kind} at {size:,}"
            if c is None or r is None or c[1]:
                row(text, "not measured or failed", None)
            else:
                ratio = r[0] / c[0]
                met = None if r[1] and ratio <= 1.5 else ratio <= 1.5
                row(text, f"{'> ' if r[1] else ''}{ratio:.2f}x", met)
    big = 1_000_000
    for name in ("check cold", "report cold"):
        a, b = seconds(find(results, 100_000, name)), seconds(find(results, big, name))
        text = f"{name}: per-claim time at 1,000,000 within 1.5x of 100,000"
        if a is None or b is None or a[1]:
            why = "not measured (BENCH_FULL=1)" if big not in sizes else "not measured"
            row(text, why, None)
        else:
            ratio = (b[0] / big) / (a[0] / 100_000)
            met = None if b[1] and ratio <= 1.5 else ratio <= 1.5
            row(text, f"{'> ' if b[1] else ''}{ratio:.2f}x", met)
    peaks = [r.peak_mb for m in results if m.claims == big and "yaml" not in m.name
             for r in m.runs]  # fmt: skip
    row("peak memory at 1,000,000 claims < 2 GB",
        f"{max(peaks):,.0f} MB" if peaks else "not measured (BENCH_FULL=1)",
        max(peaks) < 2048 if peaks else None)  # fmt: skip
    export = find(results, big, "export parquet cold")
    peak = export.peak_mb if export is not None else None
    rows.append({"issue": 15, "target": "export parquet of 1,000,000 claims < 2 GB",
                 "value": f"{peak:,.0f} MB" if peak else "not measured (BENCH_FULL=1)",
                 "met": peak < 2048 if peak else None})  # fmt: skip
    for size in sizes:
        cold, warm = (
            seconds(find(results, size, "check cold")),
            seconds(find(results, size, "check warm")),
        )
        one = seconds(next((m for m in results if m.claims == size and "changed" in m.name), None))
        if cold and warm and one and not (cold[1] or warm[1] or one[1]):
            row(f"info: check with one changed file at {size:,} (only that file re-parsed?)",
                f"{one[0]:.2f} s; cold {cold[0]:.2f} s, warm {warm[0]:.2f} s", None)  # fmt: skip
    return rows


def targets_11(
    results: list[Measure], sizes: list[int], settings: Settings, peers: dict[str, Any]
) -> list[dict[str, Any]]:
    """Issue 11's targets, all read from this one run (see the module's docstring)."""
    rows: list[dict[str, Any]] = []

    def row(text: str, value: str, met: bool | None) -> None:
        rows.append({"issue": 11, "target": text, "value": value, "met": met})

    main = main_size(sizes)
    ours = seconds(find(results, main, "check cold"))
    # 1. cold check against the peers
    for name, label, is_target in (("peer: hledger check", "hledger", True),
                                   ("peer: bean-check", "bean-check", False)):  # fmt: skip
        text = (f"{'' if is_target else 'info: '}check cold of {main:,} claims "
                f"{'faster than' if is_target else 'against'} `{name.removeprefix('peer: ')}` "
                f"of them as {main:,} transactions (check / {label})")  # fmt: skip
        theirs = seconds(find(results, main, name))
        tool = peers.get("tools", {}).get(label, {})
        if not settings.peers:
            row(text, "not measured (BENCH_PEERS=0)", None)
        elif tool and not tool.get("path"):
            row(text, f"{label} not installed: skipped", None)
        elif ours is None or theirs is None or ours[1] or theirs[1]:
            row(text, "not measured or failed", None)
        else:
            ratio = ours[0] / theirs[0]
            row(text, f"{ours[0]:.2f} s / {theirs[0]:.2f} s = {ratio:.2f}x",
                ratio < 1 if is_target else None)  # fmt: skip
    # 2. cold report within 1.5x of cold check
    report = seconds(find(results, main, "report cold"))
    text = f"report cold within 1.5x of check cold at {main:,}"
    if ours is None or report is None or ours[1]:
        row(text, "not measured or failed", None)
    else:
        ratio = report[0] / ours[0]
        row(text, f"{'> ' if report[1] else ''}{ratio:.2f}x",
            None if report[1] and ratio <= 1.5 else ratio <= 1.5)  # fmt: skip
    # 3. warm runs of every command
    for name in ("check warm", "report warm >/dev/null", "totals warm >/dev/null",
                 "export csv warm >/dev/null"):  # fmt: skip
        t = seconds(find(results, main, name))
        text = f"{name} at {main:,} claims < {WARM_TARGET} s"
        if t is None:
            row(text, "not measured or failed", None)
        else:
            row(text, f"{'> ' if t[1] else ''}{t[0]:.2f} s", t[0] < WARM_TARGET and not t[1])
    # 4. many small files
    layout = next((m for m in results if m.group == "layout" and m.claims == main), None)
    text = f"check cold of {main:,} claims in files of {settings.layout} within {LAYOUT_RATIO}x"
    t = seconds(layout)
    if not settings.layout:
        row(text.replace(" in files of 0", " in small files"), "not measured (BENCH_LAYOUT=0)",
            None)  # fmt: skip
    elif layout is None or t is None or ours is None or ours[1]:
        row(text + " of the default layout", "not measured or failed", None)
    else:
        files = layout.name.split(", ", 1)[1]
        ratio = t[0] / ours[0]
        row(f"check cold of {main:,} claims as {files} within {LAYOUT_RATIO}x of "
            f"{find_info_files(results, main)}", f"{'> ' if t[1] else ''}{ratio:.2f}x "
            f"({t[0]:.2f} s / {ours[0]:.2f} s)", None if t[1] and ratio <= LAYOUT_RATIO
            else ratio <= LAYOUT_RATIO)  # fmt: skip
    # 5. the blow-up shapes
    if not settings.shapes:
        row("blow-up shapes", "not measured (BENCH_SHAPES=0)", None)
    for m in results:
        if m.group != "shape":
            continue
        text = f"{m.name} < {SHAPE_SECONDS:g} s and < {SHAPE_MB:g} MB"
        t = seconds(m)
        if t is None:
            row(text, m.note or "not measured or failed", None)
            continue
        peak = m.peak_mb or 0.0
        killed = [r.peak_mb for r in m.runs if r.timed_out]
        peak = max([peak, *killed])
        big = m.output_bytes and m.output_bytes >= MIB
        wrote = f", {m.output_bytes / MIB:,.0f} MB written" if big else ""
        met = t[0] < SHAPE_SECONDS and peak < SHAPE_MB and not t[1]
        row(text, f"{'> ' if t[1] else ''}{t[0]:.2f} s, {peak:,.0f} MB{wrote}", met)
    return rows


def find_info_files(results: list[Measure], size: int) -> str:
    """How the default layout's `check cold` names its files, from its summary line."""
    m = find(results, size, "check cold")
    found = re.search(r"in (\d+) files?", m.note) if m else None
    return f"{int(found.group(1)):,} files" if found else "the default layout"


def peer_table(results: list[Measure], size: int) -> str:
    """The peers beside our cold check, at the main size."""
    ours = find(results, size, "check cold")
    rows = [m for m in results if m.group == "peer" and m.claims == size]
    if not rows or ours is None:
        return ""
    head = ("tool", "version", "median s", "peak MB", "check / tool (time)", "(memory)")
    lines = [head]
    mine = seconds(ours)
    for m in [ours, *rows]:
        t = seconds(m)
        ratio = f"{mine[0] / t[0]:.2f}x" if t and mine and m is not ours else "-"
        mem = (f"{ours.peak_mb / m.peak_mb:.2f}x" if m is not ours and m.peak_mb and ours.peak_mb
               else "-")  # fmt: skip
        name = "aid-ledger check" if m is ours else m.name.removeprefix("peer: ")
        lines.append((name, m.version if m is not ours else "(this checkout)",
                      f"{'> ' if t and t[1] else ''}{t[0]:.2f}" if t else "-",
                      f"{m.peak_mb:,.0f}" if m.peak_mb else "-", ratio, mem))  # fmt: skip
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) if i in (2, 3, 4, 5) else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
                     for r in lines)  # fmt: skip


def table(results: list[Measure], previous: dict[tuple[int, str], float]) -> str:
    head = ("claims", "measure", "median s", "claims/s", "x ref", "peak MB", "runs", "vs last",
            "outcome")  # fmt: skip
    lines = [head]
    for m in results:
        ref = find(results, m.claims, "yaml.load reference") if m.group != "shape" else None
        med = m.median
        ratio = f"{med / ref.median:.2f}" if med and ref and ref.median else "-"
        last = previous.get((m.claims, m.name))
        vs = f"{med / last:.2f}x" if med and last else "-"
        t = seconds(m)
        shown = f"{'> ' if t[1] else ''}{t[0]:.2f}" if t else "-"
        rate = f"{'< ' if t[1] else ''}{m.claims / t[0]:,.0f}" if t else "-"
        lines.append((
            f"{m.claims:,}", m.name, shown, rate, ratio,
            f"{m.peak_mb:,.0f}" if m.peak_mb else "-", str(len(m.ok_runs)), vs, m.note[:70],
        ))  # fmt: skip
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    right = {0, 2, 3, 4, 5, 6, 7}
    return "\n".join(
        "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in
                  enumerate(zip(r, widths, strict=True))).rstrip()
        for r in lines
    )  # fmt: skip


def machine(settings: Settings) -> dict[str, Any]:
    def cmd(*args: str) -> str:
        try:
            done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)
            return done.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "aid_ledger": cmd(*settings.aid_ledger, "--version"),
        "commit": cmd("git", "rev-parse", "--short", "HEAD"),
        "dirty": bool(cmd("git", "status", "--porcelain", "--untracked-files=no")),
    }


def settings_from_env() -> Settings:
    sizes = [10_000, 100_000]
    if os.environ.get("BENCH_FULL") == "1":
        sizes.append(1_000_000)
    if os.environ.get("BENCH_SIZES"):
        sizes = [int(s.replace("_", "")) for s in os.environ["BENCH_SIZES"].split(",") if s]
    exe = Path(sys.executable).parent / "aid-ledger"
    found = shutil.which("aid-ledger")
    aid = [str(exe)] if exe.exists() else [found] if found else [sys.executable, "-m", "ledger"]
    no_cache = {}
    for command in ("check", "report"):
        helptext = subprocess.run([*aid, command, "--help"], capture_output=True, text=True)
        no_cache[command] = "--no-cache" in helptext.stdout
    return Settings(
        runs=max(1, int(os.environ.get("BENCH_RUNS", "3"))),
        seed=int(os.environ.get("BENCH_SEED", "1")),
        sizes=sizes,
        timeout=float(os.environ.get("BENCH_TIMEOUT", "600")),
        aid_ledger=aid,
        no_cache=no_cache,
        layout=max(0, int(os.environ.get("BENCH_LAYOUT", "20"))),
        peers=os.environ.get("BENCH_PEERS", "1") != "0",
        shapes=os.environ.get("BENCH_SHAPES", "1") != "0",
        shape_timeout=float(os.environ.get("BENCH_SHAPE_TIMEOUT", "180")),
    )


def code_fingerprint() -> str:
    """The package's files by name, size and modification time. aid-ledger's caches are keyed
    by the same (`ledger._version.code_tag`): a file of ledger/ edited or touched during a run
    (another person working in the tree) turns every later warm run into a cold one."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted((ROOT / "ledger").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(ROOT)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def previous_medians() -> dict[tuple[int, str], float]:
    try:
        doc = json.loads((BENCH / "latest.json").read_text(encoding="utf-8"))
        return {(r["claims"], r["measure"]): r["median_s"] for r in doc["results"]
                if r.get("median_s")}  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def to_json(m: Measure, results: list[Measure]) -> dict[str, Any]:
    ref = find(results, m.claims, "yaml.load reference") if m.group != "shape" else None
    med = m.median
    return {
        "claims": m.claims,
        "measure": m.name,
        "group": m.group,
        "command": m.command,
        "stdout": str(NULL) if m.null_stdout else "file",
        "output_bytes": m.output_bytes,
        "version": m.version or None,
        "median_s": med,
        "claims_per_s": m.rate,
        "ratio_to_reference": med / ref.median if med and ref and ref.median else None,
        "peak_mb": m.peak_mb,
        "runs": [asdict(r) for r in m.runs],
        "failed": m.failed,
        "note": m.note,
    }


def main() -> int:
    global _SPAWNER
    _SPAWNER = Spawner()  # first, while this process is small (see SPAWNER)
    BENCH.mkdir(exist_ok=True)
    settings = settings_from_env()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    host = machine(settings)
    previous = previous_medians()
    print(
        f"aid-ledger benchmark: sizes {', '.join(f'{s:,}' for s in settings.sizes)}; "
        f"{settings.runs} runs each (median); seed {settings.seed}; "
        f"--no-cache accepted by check: {settings.no_cache['check']}, "
        f"report: {settings.no_cache['report']}\n"
        f"{host['cpus']} CPUs ({host['cpu']}), Python {host['python']}, {host['aid_ledger']} "
        f"at {host['commit']}{' (uncommitted changes)' if host['dirty'] else ''}\n"
        f"issue 11: layout of {settings.layout or '-'} claims per file"
        f"{' (BENCH_LAYOUT=0: skipped)' if not settings.layout else ''}; peers "
        f"{'on' if settings.peers else 'off (BENCH_PEERS=0)'}; shapes "
        f"{'on' if settings.shapes else 'off (BENCH_SHAPES=0)'}",
        flush=True,
    )
    results: list[Measure] = []
    ledgers: dict[str, Any] = {}
    sections: dict[str, Any] = {}  # issue 11: "layout", "peers", "shapes"
    path = BENCH / f"results-{stamp}.json"
    code = code_fingerprint()

    def save() -> dict[str, Any]:
        sizes = [s for s in settings.sizes if str(s) in ledgers]
        doc = {
            "format": 1,
            "timestamp": stamp,
            "machine": host,
            "code_changed_during_run": code_fingerprint() != code,
            "settings": asdict(settings),
            "ledgers": ledgers,
            **sections,
            "results": [to_json(m, results) for m in results],
            "targets": targets(results, sizes)
            + targets_11(results, sizes, settings, sections.get("peers", {})),
        }
        path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        return doc

    for size in settings.sizes:
        measures, info = bench_size(size, settings)
        results += measures
        ledgers[str(size)] = info
        save()  # a long run leaves its figures so far, even if stopped later
    main = main_size(settings.sizes)
    from generate import CLAIMS_PER_FILE

    if settings.layout and settings.layout < CLAIMS_PER_FILE:
        measures, sections["layout"] = bench_layout(main, settings)
        results += measures
        save()
    elif settings.layout:
        print(f"\nlayout: {settings.layout} claims per file is the default layout; "
              f"BENCH_LAYOUT takes 1 to {CLAIMS_PER_FILE - 1}", flush=True)  # fmt: skip
    if settings.peers:
        measures, sections["peers"] = bench_peers(main, settings)
        results += measures
        save()
    if settings.shapes:
        measures, sections["shapes"] = bench_shapes(settings)
        results += measures
    doc = save()
    shutil.copyfile(path, BENCH / "latest.json")
    print("\n" + table(results, previous))
    print("\nx ref: time relative to the bare yaml.load reference at the same size (1.00 = as "
          "fast as parsing alone);\nvs last: median relative to the previous .bench/latest.json.")  # fmt: skip
    peers = peer_table(results, main)
    if peers:
        print(f"\nPeers at {main:,} claims (the same claims as a journal; each cold, median of "
              f"{settings.runs}; check / tool < 1.00x: ours is faster):\n{peers}")  # fmt: skip
    for issue in (5, 11, 15):
        print(f"\nTargets (issue {issue}):")
        for t in doc["targets"]:
            if t["issue"] == issue:
                verdict = {True: "met", False: "NOT MET", None: "-"}[t["met"]]
                print(f"  {verdict:8} {t['target']}: {t['value']}")
    if doc["code_changed_during_run"]:
        print("\nWARNING: files of ledger/ changed during this run (edited or touched by another "
              "process):\naid-ledger's caches are keyed by them, so a warm figure taken after "
              "the change may be a cold run.\nRun again on a tree nobody is editing.")  # fmt: skip
    print(f"\nwritten {path.relative_to(ROOT)} and .bench/latest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
