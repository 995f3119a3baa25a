"""Where a command's output goes when it is given `-o FILE`: one helper for every command.

Asked before any work is done (`refusal`), so that a long run never ends in "cannot write":

- a path that is not a regular file (a folder, `/dev/null`, a FIFO, a socket) is refused even
  with `--force`: renaming a new file over it would replace the device itself;
- so is a file the ledger itself reads (sources.yaml, places/items/orgs.yaml, config.yaml,
  units.txt and every file it imports, each claim file, each source's stored document) or a
  file its cache keeps: a report written over a claim file destroys the work it reports on.
  Paths are compared resolved (links and `..` followed) and by identity (hard links), and a
  YAML file in `claims/` that does not exist yet is refused too: the next run would read it;
- an existing regular file is replaced only with `force`;
- a missing or read-only folder, or a read-only file, is said plainly.

Then `write` writes atomically (atomic.py): a new file gets the mode a plain `open()` gives
(0o666 less the umask), a replaced one keeps its mode; a failure on the way (a full disk) is
`OutputFailed`, with no temporary file left and the old file as it was.

Imports nothing heavy: a warm run refuses before pandas or pint are loaded.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .atomic import WriteRefused, file_kind, open_atomic, writable

# The reference files a ledger folder may hold (loader.read_reference), read when present.
REFERENCE_FILES = (
    "sources.yaml", "places.yaml", "items.yaml", "orgs.yaml", "config.yaml", "units.txt",
)  # fmt: skip
CLAIM_PATTERN = "*.y*ml"  # as `cache.claim_paths` lists claim files


class OutputFailed(OSError):
    """The output could not be written (a full disk, a folder gone); nothing was written and
    a file that was there is unchanged."""


@dataclass(frozen=True)
class LedgerInputs:
    """Every file a ledger reads (`files`, present or not; `claims`, its claim files), where a
    new claim file would be read from (`claims_dir`) and its cache folder, resolved."""

    files: tuple[Path, ...]
    claims: tuple[Path, ...]
    claims_dir: Path
    cache_dir: Path

    def holding(self, target: Path) -> str | None:
        """What `target` is to the ledger, in words, when writing it would change what the
        ledger reads; None when it is none of its files."""
        from .paths import display_path as shown

        real = Path(os.path.realpath(target))
        if real.parent == self.claims_dir and fnmatch.fnmatch(real.name, CLAIM_PATTERN):
            return f"a claim file of the ledger ({shown(self.claims_dir / real.name)})"
        if real == self.cache_dir or self.cache_dir in real.parents:
            return f"inside the ledger's cache ({shown(self.cache_dir)})"
        same = _identity(real)
        for path in self.files:  # resolved only when the names agree: 10,000 documents
            named = path.name == real.name and Path(os.path.realpath(path)) == real
            if named or (same and _identity(path) == same):
                return f"an input of the ledger ({shown(path)})"
        for path in self.claims if same else ():  # a link or hard link to a claim file
            if _identity(path) == same:
                return f"a claim file of the ledger ({shown(path)})"
        return None


def ledger_inputs(ledger: str | os.PathLike[str]) -> LedgerInputs | None:
    """The files the ledger at `ledger` reads, found the way the loader finds them but without
    loading it; None when `ledger` is not a ledger (the command says so itself)."""
    from .cache import FOLDER, claim_paths
    from .paths import LedgerNotFound, find_root

    try:
        root = find_root(ledger)
    except LedgerNotFound:
        return None
    files = [root / name for name in REFERENCE_FILES]
    files += _unit_imports(root / "units.txt")
    files += _documents(root / "sources.yaml", root.resolve().parent)
    claims, cache = (Path(os.path.realpath(root / name)) for name in ("claims", FOLDER))
    return LedgerInputs(tuple(files), tuple(claim_paths(root)), claims, cache)


def _unit_imports(units: Path) -> list[Path]:
    """units.txt's `@import`ed files (read as the loader reads them: few and small)."""
    if not units.is_file():
        return []
    from .unitfile import read_units

    return list(read_units(units, str(units)).reads)


class _Unread:
    """Documents as `load_sources` asks for them, never read: only their names are wanted."""

    def locate(self, document: str, display: str, line: int, problems: list) -> Path | None:
        return None

    def read(self, path: Path) -> tuple[str | None, list]:
        return None, []


def _documents(sources: Path, repo: Path) -> list[Path]:
    """Each source's stored document, as the loader names it (relative to the repository).
    Only the names are wanted, so yaml-rs reads them when it safely can (10,000 sources: 0.1 s
    against 2 s for the strict reader, which would cost every warm run that much)."""
    from .yamlfile import read_bytes

    data, _ = read_bytes(sources, str(sources))
    entries = _quick_list(data) if data is not None else []
    if entries is None:  # what only the strict reader reads as the loader does
        from .sources import load_sources

        found, _ = load_sources(sources, str(sources), _Unread())
        return [repo / s.document for s in found.values() if isinstance(s.document, str)]
    documents = (e.get("document") for e in entries if isinstance(e, dict))
    return [repo / d for d in documents if isinstance(d, str)]


def _quick_list(data: bytes) -> list | None:
    """sources.yaml's entries by the fast parser, or None where only the strict reader may
    read it (no parser, or text yaml-rs could misread or not survive: `fastyaml.ruled_out`)."""
    from . import fastyaml

    try:
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        if not fastyaml.available() or fastyaml.ruled_out(text):
            return None
        value = fastyaml.yaml_rs.loads(text)
    except Exception:  # not UTF-8, a refusal: the strict reader says what the loader would
        return None
    return value if isinstance(value, list) else None


def _identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of an existing file (through links), None for none."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def refusal(
    output: str | os.PathLike[str],
    ledger: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> str | None:
    """Why writing to `output` must not start, as a message that says what to do instead;
    None when it may. `ledger` is the ledger the command reads (its files are refused)."""
    target = Path(output)
    shown = os.fspath(output)
    why = _not_regular(target)
    if why is None and ledger is not None:
        inputs = ledger_inputs(ledger)
        held = inputs.holding(target) if inputs is not None else None
        if held:
            why = f"it is {held}; write the output elsewhere"
    if why is None and os.path.lexists(target) and not force:
        why = "it exists; add --force to replace it"
    why = why or _not_writable(target)
    return f"cannot write {shown}: {why}." if why else None


def _not_regular(target: Path) -> str | None:
    try:
        found = target.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a loop of links, a file used as a folder
        return f"{exc.strerror or exc}"
    if stat.S_ISREG(found.st_mode):
        return None
    return (
        f"it is {file_kind(found.st_mode)}, not a regular file; name a file, or leave out -o "
        "to write to standard output"
    )


def _not_writable(target: Path) -> str | None:
    why = _parent_problem(target)
    if why is None and target.exists() and not writable(target):
        return "the file is read-only"
    return why


def _parent_problem(target: Path) -> str | None:
    """Why nothing can be created beside `target`: its folder is missing or read-only."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        return f"no such folder {folder}; create it first (`mkdir -p {folder}`)"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not writable(folder):
        return f"the folder {folder} is not writable"
    return None


# --- a folder of output: the Parquet dataset -----------------------------------------------------

DATASET_MARKER = "_aid-ledger.json"  # what `export --format parquet` leaves in its folder


def dataset_refusal(
    output: str | os.PathLike[str], ledger: str | os.PathLike[str] | None, force: bool
) -> str | None:
    """Why a dataset must not be written to folder `output`, saying what to do instead; None
    when it may. A folder is replaced only when an earlier export wrote it (its
    `DATASET_MARKER`) and `force` is given; the ledger's own folders (the folder holding it,
    `claims/`, its cache) are refused."""
    target = Path(output)
    why = folder_kind(target) or _in_ledger_folders(target, ledger)
    if why is None and target.is_dir() and not force:
        why = "it exists; add --force to replace it"
    why = why or _parent_problem(target)
    return f"cannot write {os.fspath(output)}: {why}." if why else None


def folder_kind(target: Path) -> str | None:
    """Why `target` is not a folder a dataset may be written to (or replace); None when it is
    absent or an earlier export. Asked again just before an old dataset is moved aside."""
    if target.is_symlink():
        return "it is a symbolic link; name the folder itself, or a new one"
    if not os.path.lexists(target):
        return None
    if not target.is_dir():
        return "it is not a folder; a Parquet dataset is a folder: name a new one"
    if not (target / DATASET_MARKER).is_file():
        return (
            f"it is a folder that no `export --format parquet` wrote (no {DATASET_MARKER}); "
            "it is never replaced, even with --force: name a new folder"
        )
    return None


def _in_ledger_folders(target: Path, ledger: str | os.PathLike[str] | None) -> str | None:
    inputs = ledger_inputs(ledger) if ledger is not None else None
    if inputs is None:
        return None
    real = Path(os.path.realpath(target))
    root = inputs.claims_dir.parent
    for folder, what in ((inputs.claims_dir, "claims folder"), (inputs.cache_dir, "cache")):
        if real == folder or folder in real.parents:
            return f"it is inside the ledger's {what}; write the dataset elsewhere"
    if real == root or real in root.parents:
        return "it holds the ledger itself; write the dataset elsewhere"
    return None


def write(output: str | os.PathLike[str], chunks: Iterable[bytes]) -> None:
    """Write `chunks` to `output` atomically (streamed: the whole never held in memory).
    OutputFailed says why when it cannot: nothing was written, an old file is unchanged."""
    shown = os.fspath(output)
    existed = os.path.lexists(output)
    try:
        with open_atomic(output) as handle:
            for chunk in chunks:
                handle.write(chunk)
    except WriteRefused as exc:
        raise OutputFailed(f"cannot write {shown}: {exc}") from None
    except OSError as exc:
        kept = f"; {shown} is unchanged" if existed else ""
        reason = exc.strerror or str(exc)
        raise OutputFailed(f"cannot write {shown}: {reason}; nothing was written{kept}.") from None
