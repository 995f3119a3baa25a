"""Load a ledger folder: a pipeline of plain stages, each giving records and problems.

    sources.yaml, places.yaml, items.yaml, orgs.yaml,   -> reference data (`Context`)
    units.txt, config.yaml
    claims/*.yaml  -> records.py (shape)                -> raw records, one file at a time
                   -> resolve.py (meaning of each value) -> typed `Claim`s
    checks.CHECKS  (claims, context) -> problems        -> ids, references, quotes, ...
    Ledger.claims                                       -> the DataFrame view (frame.py)

Nothing here raises for bad data: every problem is collected with its `file:line`.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import fastyaml
from .cache import ParseCache, digest
from .checks import run_checks
from .claim import Claim
from .config import Tolerances, load_config
from .hierarchy import Hierarchy, load_hierarchy
from .paths import display_path, find_root
from .problems import Problem, error, has_errors, sort_problems
from .records import read_claim_file, records_from
from .resolve import Context, Resolver
from .sources import Source, load_sources
from .units import Units, units_for

if TYPE_CHECKING:
    import pandas as pd


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
    strict_files: set[str] | None = None,
    write_cache: bool = True,
) -> Ledger:
    """Load and check a ledger. Raises LedgerNotFound only when `path` is not a ledger at all.

    `overrides` maps `sources.yaml` or claim files (resolved paths) to text used in place of
    their content, possibly for files that do not exist yet: `add` checks a new claim against
    the whole ledger this way before writing anything.

    `use_cache=False` reads every claim file afresh (and writes no cache); `write_cache=False`
    reads the cache but leaves it as it is (for `add`, whose checks must change nothing). Claim files read by
    the fast parser carry no line numbers; if any of them has a problem, the ledger is loaded
    a second time with those files read by the line-aware reader (`strict_files`).
    """
    root = find_root(path)
    repo = root.resolve().parent
    extra = {Path(k).resolve(): v for k, v in (overrides or {}).items()}
    problems: list[Problem] = []
    src_path = root / "sources.yaml"
    sources, more = _optional(
        src_path,
        lambda p, d: load_sources(p, d, repo, extra.get(p.resolve())),
        {},
        src_path.resolve() in extra,
    )
    problems += more
    places, more = _optional(
        root / "places.yaml",
        lambda p, d: load_hierarchy(p, d, "place", {"code": str, "level": str, "notes": str}),
        Hierarchy("place"),
    )
    problems += more
    items, more = _optional(
        root / "items.yaml",
        lambda p, d: load_hierarchy(p, d, "item", {"dimension": str, "notes": str}),
        Hierarchy("item"),
    )
    problems += more
    orgs, more = _optional(
        root / "orgs.yaml",
        lambda p, d: load_hierarchy(p, d, "org", {"kind": str, "code": str, "notes": str}),
        None,
    )
    problems += more
    tolerances, more = load_config(root / "config.yaml", display_path(root / "config.yaml"))
    problems += more
    units_file = root / "units.txt"
    units, more = _units(units_file)
    problems += more
    ctx = Context(sources, places, items, units, repo, orgs, tolerances)
    cache = ParseCache(root, writable=write_cache) if use_cache else None
    claims, more = read_claims(root, extra, cache, strict_files or set(), Resolver(ctx))
    problems += more
    problems += run_checks(claims, ctx)
    unlocated = {p.file for p in problems if p.line == 0} - (strict_files or set())
    if unlocated:
        again = (strict_files or set()) | unlocated
        return load(path, overrides, use_cache, again, write_cache)
    return Ledger(
        root,
        repo,
        tuple(claims),
        sources,
        places,
        items,
        units,
        tolerances,
        sort_problems(problems),
        orgs,
    )


def read_claims(
    root: Path,
    overrides: dict[Path, str],
    cache: ParseCache | None,
    strict_files: set[str],
    resolver: Resolver,
) -> tuple[list[Claim], list[Problem]]:
    """Every claim file through the structural stage (from the cache when its content is known,
    else the fast reader when it can, else the strict line-aware one), then resolved into
    claims one file at a time, so only one file's raw records are ever held."""
    claims_dir = (root / "claims").resolve()
    files = {f.resolve() for f in claims_dir.glob("*.y*ml")}
    files |= {p for p in overrides if p.parent == claims_dir and p.suffix in (".yaml", ".yml")}
    claims: list[Claim] = []
    problems: list[Problem] = []
    progress = Progress(len(files), "reading claim files")
    for file in sorted(files, key=lambda f: f.name):
        progress.step()
        display = display_path(file)
        recs, more = _read_claim_file(
            file, display, overrides.get(file), cache, display in strict_files
        )
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


def _read_claim_file(
    file: Path, display: str, text: str | None, cache: ParseCache | None, strict: bool
) -> tuple[list[dict], list[Problem]]:
    try:
        data = text.encode("utf-8") if text is not None else file.read_bytes()
    except OSError as exc:
        return [], [error(display, 1, "file-unreadable", f"cannot read the file: {exc.strerror}.")]
    key = digest(data)
    hit = cache.get(key, display) if cache is not None else None
    if hit is not None and (hit[2] or not strict):
        return hit[0], hit[1]
    value = None if strict else _fast_value(data)
    if value is not None:
        recs, more = records_from(value, display, [])
        if more:  # problems need lines: read it again, strictly
            recs, more, lined = *read_claim_file(file, display, data.decode("utf-8")), True
        else:
            lined = False
    else:
        recs, more = read_claim_file(file, display, text)
        lined = True
    if cache is not None and text is None:  # an edit not yet written is never cached
        cache.put(key, recs, more, lined)
    return recs, more


def _fast_value(data: bytes) -> object | None:
    if not fastyaml.available() or b"\x00" in data:
        return None
    try:
        return fastyaml.parse(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _optional(path: Path, reader, empty, overridden: bool = False):  # type: ignore[no-untyped-def]
    if not path.exists() and not overridden:
        return empty, []
    return reader(path, display_path(path))


def _units(path: Path) -> tuple[Units, list[Problem]]:
    if not path.exists():
        return units_for(None), []
    try:
        return units_for(path.resolve()), []
    except Exception as exc:  # pint's definition errors come in many types
        msg = f"units.txt cannot be loaded: {exc}; fix the definition (see pint's format)."
        line = getattr(exc, "lineno", 1) or 1
        return units_for(None), [error(display_path(path), int(line), "units-definition", msg)]
