"""Load a ledger: a pipeline of plain stages, each giving records and problems.

    sources.yaml, places.yaml, items.yaml, orgs.yaml,   -> reference data (`Context`)
    units.txt, config.yaml
    claims/*.yaml  -> records.py (shape)                -> raw records, one file at a time
                   -> resolve.py (meaning of each value) -> typed `Claim`s
    checks.CHECKS  (claims, context) -> problems        -> ids, references, quotes, ...
    Ledger.claims                                       -> the DataFrame view (frame.py)

The pipeline gets its files from a `Folder`: `load` reads a folder on disk (`DiskFolder`),
`load_texts` a dict of texts (`TextFolder`), so a test can check a small ledger without writing
one, through the very same stages. Nothing here raises for bad data: every problem is
collected with its `file:line`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol, TypeVar

from . import fastyaml
from .cache import Cache, Inputs, claim_paths, digest
from .checks import run_checks
from .claim import Claim
from .config import Tolerances, load_config
from .hierarchy import Hierarchy, load_hierarchy
from .paths import LedgerNotFound, display_path, find_root
from .problems import Problem, has_errors, sort_problems
from .records import read_claim_file, records_from
from .resolve import Context, Resolver
from .sources import DiskDocuments, Documents, Source, TextDocuments, load_sources
from .unitfile import read_units
from .units import Units, units_for
from .yamlfile import decode_text, read_bytes

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
Reader = Callable[["LedgerFile"], tuple[T, list[Problem]]]  # one file -> its value and problems

__all__ = ["DiskFolder", "Folder", "Ledger", "LedgerFile", "TextFolder", "load", "load_texts"]


@dataclass
class Ledger:
    """A loaded ledger: its typed claims, reference data and every problem found."""

    root: Path  # the data folder
    repo: Path  # the folder source documents are relative to (the data folder's parent)
    entries: tuple[Claim, ...]  # every claim, typed, in file and line order
    sources: dict[str, Source]
    places: Hierarchy
    items: Hierarchy
    units: Units
    tolerances: Tolerances = field(default_factory=Tolerances)
    problems: list[Problem] = field(default_factory=list)
    orgs: Hierarchy | None = None  # None when the ledger has no orgs.yaml: names compared as text
    inputs: Inputs | None = None  # what was read from disk, for the cache (None: held in memory)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @cached_property
    def claims(self) -> pd.DataFrame:
        """The claims as a tidy DataFrame of plain typed columns (see frame.py), built once."""
        from .frame import claims_frame

        return claims_frame(self.entries)

    @cached_property
    def by_id(self) -> dict[str, Claim]:
        """Claims by id (a repeated id, which `check` reports, gives the last of them)."""
        return {c.id: c for c in self.entries if c.id is not None}

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id; KeyError when there is none."""
        return self.by_id[claim_id]

    @property
    def files(self) -> int:
        """How many claim files hold claims."""
        return len({c.file for c in self.entries})


def load(
    path: str | os.PathLike[str] = "data",
    overrides: dict[Path, str] | None = None,
    use_cache: bool = True,
    write_cache: bool = True,
) -> Ledger:
    """Load and check a ledger. Raises LedgerNotFound only when `path` is not a ledger at all.

    `overrides` maps `sources.yaml` or claim files (resolved paths) to text used in place of
    their content, possibly for files that do not exist yet: `add` checks a new claim against
    the whole ledger this way before writing anything.

    `use_cache=False` reads every claim file afresh (and writes no cache); `write_cache=False`
    reads the cache but leaves it as it is (for `add`, whose checks must change nothing).
    """
    root = find_root(path)
    cache = Cache(root, writable=write_cache) if use_cache else None
    return check_folder(DiskFolder(root, overrides or {}, cache))


def load_texts(
    files: Mapping[str, str], *, units: Path | None = None, data: str = "data"
) -> Ledger:
    """Load and check a ledger held in memory, through the same pipeline as `load`.

    `files` maps paths relative to the repository (`data/sources.yaml`, `data/places.yaml`,
    `data/claims/src-a.yaml`, `seeds/src-a.txt`) to their text; problems name files as they are
    written here. Nothing is read from or written to disk, but for `units`: the unit definitions
    file pint loads by path (registries are costly and cached per path; None: pint's own
    units). `data` is the data folder's path among `files`.

    Raises LedgerNotFound when `files` holds neither `<data>/sources.yaml` nor a claim file,
    and ValueError when they hold `<data>/units.txt` (give its path as `units` instead).
    """
    return check_folder(TextFolder(files, units, data))


@dataclass(frozen=True)
class LedgerFile:
    """One file of a ledger: where it is (its identity, and where it is read from when `text`
    is None), the name problems give it, and its text when that is not on disk (an edit `add`
    checks before writing it, or a ledger held in memory).

    `problems` says why a text cannot be read at all (held in memory: text no UTF-8 file could
    hold, such as a NUL or a lone surrogate); the file then counts as empty, as on disk."""

    path: Path
    display: str
    text: str | None = None
    problems: tuple[Problem, ...] = ()


class Folder(Protocol):
    """Where the pipeline gets its files: the one place that knows whether they are on disk."""

    root: Path  # the data folder
    repo: Path  # the folder source documents are relative to (the data folder's parent)
    units: Path | None  # the unit definitions pint loads (None: pint's own units only)
    documents: Documents  # where source documents are found and read
    cache: Cache | None  # parsed claim files by content (None: parse every file)
    inputs: Inputs | None  # every read recorded, for the cache (None: nothing is on disk)

    def file(self, name: str) -> LedgerFile | None:
        """`name` in the data folder (`places.yaml`), or None when the ledger has none."""
        ...

    def claim_files(self) -> list[LedgerFile]:
        """The claim files (`claims/*.yaml`, `*.yml`), in name order."""
        ...

    def read(self, file: LedgerFile) -> tuple[bytes | None, list[Problem]]:
        """A file's bytes, or None and the problems that stop it being read."""
        ...


class DiskFolder:
    """A ledger folder on disk. `overrides` (paths -> text) stand in for files, possibly ones
    not yet written, so an edit can be checked before it is saved."""

    def __init__(
        self, root: Path, overrides: Mapping[Path, str], cache: Cache | None = None
    ) -> None:
        self.root = root
        self.repo = root.resolve().parent
        self.overrides = {Path(k).resolve(): v for k, v in overrides.items()}
        self.inputs: Inputs | None = Inputs(root)
        self.inputs.complete = not self.overrides
        units = root / "units.txt"
        self.units = units if units.exists() else None
        if self.units is None:
            self.inputs.read(units, None)  # made later, it must be read
        self.documents: Documents = DiskDocuments(self.repo, self.inputs)
        self.cache = cache

    def file(self, name: str) -> LedgerFile | None:
        path = self.root / name
        text = self.overrides.get(path.resolve())
        if text is None and not path.exists():
            self.inputs.read(path, None)  # absent now: made later, it must be read
            return None
        return LedgerFile(path, display_path(path), text)

    def claim_files(self) -> list[LedgerFile]:
        on_disk = claim_paths(self.root)
        self.inputs.listed(on_disk)
        claims_dir = (self.root / "claims").resolve()
        files = set(on_disk)
        files |= {p for p in self.overrides if p.parent == claims_dir and _is_yaml(p)}
        return [
            LedgerFile(f, display_path(f), self.overrides.get(f))
            for f in sorted(files, key=lambda f: f.name)
        ]

    def read(self, file: LedgerFile) -> tuple[bytes | None, list[Problem]]:
        if file.text is not None:  # an edit being checked, not on disk
            return file.text.encode("utf-8"), []
        data, problems = read_bytes(file.path, file.display)
        self.inputs.read(file.path, data)
        return data, problems


class TextFolder:
    """A ledger held as texts by their path in the repository (see `load_texts`)."""

    def __init__(self, files: Mapping[str, str], units: Path | None, data: str = "data") -> None:
        self.texts = {PurePosixPath(name): (name, text) for name, text in files.items()}
        self.data = PurePosixPath(data)
        if self.data / "units.txt" in self.texts:
            msg = "pint reads unit definitions from a file: give its path as `units=`."
            raise ValueError(msg)
        if self.data / "sources.yaml" not in self.texts and not self._claim_paths():
            msg = f"no {data}/sources.yaml and no claim file in {data}/claims/ among the texts"
            raise LedgerNotFound(msg)
        self.root, self.repo = Path(data), Path()
        self.units = units
        self.documents: Documents = TextDocuments(files)
        self.cache: Cache | None = None  # content is already in memory: nothing to save
        self.inputs: Inputs | None = None

    def file(self, name: str) -> LedgerFile | None:
        path = self.data / name
        return self._file(path) if path in self.texts else None

    def claim_files(self) -> list[LedgerFile]:
        return [self._file(p) for p in sorted(self._claim_paths(), key=lambda p: p.name)]

    def read(self, file: LedgerFile) -> tuple[bytes | None, list[Problem]]:
        if file.problems or file.text is None:
            return None, list(file.problems)
        return file.text.encode("utf-8"), []

    def _claim_paths(self) -> list[PurePosixPath]:
        return [p for p in self.texts if p.parent == self.data / "claims" and _is_yaml(p)]

    def _file(self, path: PurePosixPath) -> LedgerFile:
        """The text as the disk would give it: through UTF-8 bytes, so that what no file could
        hold is the same problem (`file-encoding` at its line) and never an exception."""
        name, text = self.texts[path]
        decoded, problems = decode_text(text.encode("utf-8", "surrogatepass"), name)
        return LedgerFile(Path(path), name, decoded, tuple(problems))


def check_folder(folder: Folder) -> Ledger:
    """The pipeline behind `load` and `load_texts`: reference data, then claim files (shape,
    then meaning), then the checks across claims. Each file is read once: both YAML readers
    give values with their lines, so every problem has its line on the first pass."""
    ctx, problems = read_reference(folder)
    claims, more = read_claims(folder, Resolver(ctx))
    problems += more
    problems += run_checks(claims, ctx)
    return Ledger(
        folder.root,
        folder.repo,
        tuple(claims),
        ctx.sources,
        ctx.places,
        ctx.items,
        ctx.units,
        ctx.tolerances,
        sort_problems(problems),
        ctx.orgs,
        folder.inputs,
    )


PLACE_KEYS: dict[str, type] = {"code": str, "level": str, "notes": str}
ITEM_KEYS: dict[str, type] = {"dimension": str, "notes": str}
ORG_KEYS: dict[str, type] = {"kind": str, "code": str, "notes": str}


def unknown_levels(places: Hierarchy) -> list[Problem]:
    """A place's `level` must be a `vocab.PlaceLevel`: `totals --level` lifts places to those
    and would pass over a `quarter` silently (a warning, naming the known levels)."""
    from .problems import did_you_mean, warning
    from .vocab import PlaceLevel, choices

    known, hints = choices(PlaceLevel), {}
    out = []
    for e in places.entries.values():
        level = e.fields.get("level")
        if not isinstance(level, str) or level in known:
            continue
        if level not in hints:
            listed = ", ".join(f"`{k}`" for k in known)
            hints[level] = f"{did_you_mean(level, known)} Write one of {listed}."
        msg = f"`{e.name}` has the unknown level `{level}`.{hints[level]}"
        out.append(warning(e.file, e.line, "place-level-unknown", msg))
    return out


def read_reference(folder: Folder) -> tuple[Context, list[Problem]]:
    """What claims are resolved and checked against: sources, places, items, orgs, config and
    units. A file the ledger does not have gives its empty default."""
    problems: list[Problem] = []

    def read(name: str, reader: Reader[T], empty: T) -> T:
        file = folder.file(name)
        if file is None:
            return empty
        data, more = folder.read(file)
        text, decoded = decode_text(data, file.display) if data is not None else (None, [])
        problems.extend(more + decoded)
        if text is None:  # unreadable: as an empty file, with the problem that says why
            return empty
        value, more = reader(LedgerFile(file.path, file.display, text))
        problems.extend(more)
        return value

    def tree(kind: str, keys: dict[str, type]) -> Reader[Hierarchy]:
        return lambda f: load_hierarchy(f.path, f.display, kind, keys, f.text)

    sources = read(
        "sources.yaml", lambda f: load_sources(f.path, f.display, folder.documents, f.text), {}
    )
    places = read("places.yaml", tree("place", PLACE_KEYS), Hierarchy("place"))
    problems += unknown_levels(places)
    items = read("items.yaml", tree("item", ITEM_KEYS), Hierarchy("item"))
    orgs = read("orgs.yaml", tree("org", ORG_KEYS), None)
    tolerances = read("config.yaml", lambda f: load_config(f.path, f.display, f.text), Tolerances())
    units, more, unit_reads = _units(folder.units)
    problems += more
    if folder.inputs is not None:  # units.txt and every file it imports
        for path, data in unit_reads.items():
            folder.inputs.read(path, data)
    return Context(sources, places, items, units, folder.repo, orgs, tolerances), problems


def read_claims(folder: Folder, resolver: Resolver) -> tuple[list[Claim], list[Problem]]:
    """Every claim file through the structural stage (from the cache when its content is known,
    else the fast reader when it can, else the strict line-aware one), then resolved into
    claims one file at a time, so only one file's raw records are ever held."""
    files = folder.claim_files()
    claims: list[Claim] = []
    problems: list[Problem] = []
    progress = Progress(len(files), "reading claim files")
    for file in files:
        progress.step()
        recs, more = _read_claim_file(folder, file)
        problems += more
        typed, more = resolver.claims(recs)
        claims += typed
        problems += more
    progress.done()
    return claims, problems


class Progress:
    """A one-line counter on stderr, shown only on a terminal and only once a load has taken
    more than a second (a quick load stays silent; a pipe or a log never sees it)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.n = total, label, 0
        self.start = time.monotonic()
        self.on = sys.stderr.isatty()
        self.shown = False

    def step(self) -> None:
        self.n += 1
        if self.on and time.monotonic() - self.start > 1.0:
            self.shown = True
            sys.stderr.write(f"\r{self.label}: {self.n}/{self.total}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * (len(self.label) + 24) + "\r")
            sys.stderr.flush()


def _read_claim_file(folder: Folder, ledger_file: LedgerFile) -> tuple[list[dict], list[Problem]]:
    """One claim file's records and structural problems: from the cache when these bytes were
    read before, else by the fast reader when it answers, else by the strict one. Both give
    the same values and lines (tests/test_readers_agree.py), so the answer never depends on
    which one read the file."""
    file, display, text = ledger_file.path, ledger_file.display, ledger_file.text
    data, problems = folder.read(ledger_file)
    if data is None:
        return [], problems
    cache = folder.cache
    key = digest(data)
    hit = cache.parsed(key, display) if cache is not None else None
    if hit is not None:
        return hit
    value = _fast_value(data)
    if value is not None:
        recs, more = records_from(value, display, [])
    else:
        decoded, more = decode_text(data, display)  # a NUL or a non-UTF-8 byte: its line
        recs, more = read_claim_file(file, display, decoded) if decoded is not None else ([], more)
    if cache is not None and text is None:  # an edit not yet written is never cached
        cache.store_parsed(key, recs, more)
    return recs, more


def _fast_value(data: bytes) -> object | None:
    if not fastyaml.available() or b"\x00" in data:
        return None
    try:
        return fastyaml.parse(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _is_yaml(path: PurePosixPath | Path) -> bool:
    return path.suffix in (".yaml", ".yml")


def _units(path: Path | None) -> tuple[Units, list[Problem], dict[Path, bytes | None]]:
    """pint's units plus the ledger's units.txt, read by `read_units` (imports inlined, each
    line's arithmetic bounded) so that pint never opens a file, and each line it refuses is a
    problem at its own `file:line`. Also every file read, by resolved path, with its bytes."""
    if path is None:
        return units_for(None), [], {}
    file = read_units(path, display_path(path))
    units = units_for(file.lines)
    return units, [*file.problems, *file.refused(units.rejected)], file.reads
