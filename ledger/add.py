"""Add one claim to a claim file without touching what a person wrote.

The new claim is validated against the whole ledger before anything is written (the ledger is
loaded with the edited text in place of the file). It is appended as text at the end of the
file's `claims:` list, so comments, order and formatting of everything else stay byte for byte.
The write is atomic and holds a lock, and the file is re-read afterwards: it must load with the
new claim in it, or the old text is put back.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .atomic import locked, write_text_atomic
from .loader import display_path, find_root, load
from .problems import Problem, error, has_errors
from .records import CLAIM_KEYS
from .sources import SOURCE_KEYS
from .yamlfile import LMap, decode_text, load_yaml, read_bytes
from .yamltext import FILES, ORDER, entry_block, flow_item, scalar

KEY_ORDER = list(CLAIM_KEYS)
DEFAULTED = ("claimant", "provider", "status", "date", "period")
SCHEMA_LINE = "# yaml-language-server: $schema=../../ledger/schema/claims.schema.json\n"


class AddRefused(Exception):
    """The add cannot be done safely; the message says why. Nothing was written."""


@dataclass
class AddResult:
    claim_id: str
    text: str  # the YAML appended to the claim file
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    source_text: str | None = None  # the YAML appended to sources.yaml, if a source was added
    claim_ids: list[str] = field(default_factory=list)  # every claim of the batch, in order
    spans: list[tuple[int, int]] = field(default_factory=list)  # their first and last lines
    file: str = ""  # the claim file, as problems name it
    entry_texts: dict[str, str] = field(default_factory=dict)  # places.yaml... -> YAML appended


def render_claim(fields: dict[str, Any], indent: int) -> str:
    """The claim as a block list item, keys in the documented order."""
    pad = " " * indent
    lines = []
    for key in KEY_ORDER:
        value = fields.get(key)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, (list, tuple)):
            rendered = "[" + ", ".join(flow_item(str(v)) for v in value) + "]"
        else:
            rendered = scalar(value)
        lead = f"{pad}- " if not lines else f"{pad}  "
        lines.append(f"{lead}{key}: {rendered}")
    return "\n".join(lines) + "\n"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


_DATE_IN_ID = re.compile(r"-?\b\d{4}(?:-\d{2}){0,2}\b.*$")


def propose_id(source: str, place: str | None, when: str | None, taken: set[str]) -> str:
    """`<source name>-<date>-<place>` (`tass-2016-12-04-aleppo-city`), then `-2`, `-3`...

    The source's own date and topic are dropped (`tass-2016-12-05-aleppo` gives `tass`): the
    claim's date and place say more, and repeating both made ids three dates long."""
    name = _DATE_IN_ID.sub("", slug(source)) or slug(source)
    day = _id_date(when)
    parts = [name] + ([day] if day else []) + ([slug(place)] if place else [])
    base = "-".join(parts)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _id_date(when: str | None) -> str | None:
    """The date an id names: a period's end (its start when open-ended), as written."""
    if not when:
        return None
    start, _, end = str(when).partition("/")
    day = end if end and end != ".." else start
    return slug(day) if day and day != ".." else None


def insertion(text: str, display: str) -> tuple[int, int]:
    """Where the new claim goes (a character offset) and its indentation; AddRefused if unsafe."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise AddRefused(
            f"{display} does not parse as YAML ({exc}); fix it before adding."
        ) from None
    if not isinstance(node, yaml.MappingNode):
        raise AddRefused(
            f"{display} is not a claim file (`source:` and `claims:`); cannot safely append."
        )
    for key, value in node.value:
        if key.value != "claims":
            continue
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            return _line_end(text, key.end_mark.line), 2
        if not isinstance(value, yaml.SequenceNode) or value.flow_style:
            raise AddRefused(
                f"`claims:` in {display} is not a block list (`- id: ...` lines); "
                "cannot safely append without rewriting it."
            )
        if not value.value:
            raise AddRefused(
                f"`claims:` in {display} is an empty flow list; write `claims:` alone."
            )
        first_line = text.split("\n")[value.value[0].start_mark.line]
        indent = len(first_line) - len(first_line.lstrip(" "))
        end = value.end_mark
        offset = end.index if end.column == 0 else _line_end(text, end.line)
        return min(offset, len(text)), indent
    raise AddRefused(f"{display} has no `claims:` key; cannot safely append.")


def _line_end(text: str, line: int) -> int:
    """Offset just after line `line` (0-based) including its newline."""
    pos = 0
    for _ in range(line + 1):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return pos


def add_claim(
    ledger_path: str | Path,
    file: str | Path,
    fields: dict[str, Any],
    new_source: dict[str, Any] | None = None,
    dry_run: bool = False,
) -> AddResult:
    """Validate `fields` as a new claim in `file` against the whole ledger, then append it.

    `new_source`, when given, is a source entry to append to `sources.yaml` in the same step.
    Raises AddRefused when the file cannot be appended to safely; returns problems (and
    `written=False`) when the claim itself has errors.
    """
    return add_batch(ledger_path, file, [fields], new_source, dry_run=dry_run)


def add_batch(
    ledger_path: str | Path,
    file: str | Path,
    claims: list[dict[str, Any]],
    new_source: dict[str, Any] | None = None,
    new_entries: dict[str, list[dict[str, Any]]] | None = None,
    dry_run: bool = False,
) -> AddResult:
    """Append several claims (and any new places, orgs, items and source) in one all-or-nothing
    step, checked as a whole: a claim may name in `sum_of` a claim later in the batch.

    `new_entries` maps `places.yaml`, `orgs.yaml` or `items.yaml` to entries to append there
    (`{"name", "parent", "level"/"kind", "aliases"}`). Nothing is written when any of it has an
    error; a crash midway puts every file back as it was.
    """
    if not claims:
        raise AddRefused("no claim to add.")
    refuse_undecodable([*claims, new_source or {}, *(new_entries or {}).values()])
    root = find_root(ledger_path)
    target = Path(file)
    sources_path = root / "sources.yaml"
    entries = {root / name: rows for name, rows in (new_entries or {}).items() if rows}
    with contextlib.ExitStack() as stack:
        for path in [*sorted(entries), sources_path, target]:
            stack.enter_context(locked(path))
        batch = [dict(c) for c in claims]
        return _add_locked(root, target, sources_path, batch, new_source, entries, dry_run)


def refuse_undecodable(values: Any) -> None:
    """A value holding bytes that were not UTF-8 (surrogate escapes) cannot be written as
    text: say which, instead of a traceback from the encoder."""
    if isinstance(values, dict):
        for key, value in values.items():
            refuse_undecodable(value) if not isinstance(value, str) else _utf8(key, value)
    elif isinstance(values, (list, tuple)):
        for value in values:
            refuse_undecodable(value)


def _utf8(key: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start].encode("utf-8", "surrogateescape")
        raise AddRefused(
            f"`{key}` holds the byte 0x{bad.hex()}, which is not UTF-8 text; "
            "type it again in UTF-8 (your terminal's encoding may be set to another)."
        ) from None


def _add_locked(
    root: Path,
    target: Path,
    sources_path: Path,
    claims: list[dict[str, Any]],
    new_source: dict[str, Any] | None,
    entries: dict[Path, list[dict[str, Any]]],
    dry_run: bool,
) -> AddResult:
    display = display_path(target)
    old = original = current_text(target, display)
    before = load(root, write_cache=False)
    _propose_ids(claims, before, target)
    if old is None:
        head = SCHEMA_LINE + f"source: {scalar(claims[0].get('source', ''))}\nclaims:\n"
        offset, indent, old = len(head), 2, head
    else:
        offset, indent = insertion(old, display)
    if new_source and new_source.get("id") in before.sources:
        new_source = None  # added meanwhile by another writer (we waited for its lock)
    overrides, source_block = _reference_texts(sources_path, new_source, entries)
    ids = [c["id"] for c in claims]
    # A blank line before the new claims would join a `|+` block scalar just above them; try
    # one first (unless the list is new), then none, and refuse if existing claims still read
    # otherwise. Claims of the batch are always spaced by a blank line.
    first_blank = original is not None and insertion_has_claims(old, offset)
    for blank in (True, False) if first_blank else (False,):
        blocks = [render_claim(c, indent) for c in claims]
        block, new_text, spans = _spliced(old, offset, blocks, blank)
        overrides[target] = new_text
        after = load(root, overrides, write_cache=False)
        if same_claims(before, after, set(ids)):
            break
    else:
        raise AddRefused(
            f"appending to {display} would change what its existing claims say; cannot safely append."
        )
    problems = new_problems(before.problems, after.problems, display, spans, ids, after)
    result = AddResult(ids[0], block, problems, source_text=source_block)
    result.claim_ids, result.spans, result.file = ids, spans, display
    result.entry_texts = _entry_texts(entries)
    if has_errors(problems) or dry_run:
        return result
    _write_all(root, target, original, overrides, after, ids, display)
    result.written = True
    return result


def insertion_has_claims(text: str, offset: int) -> bool:
    """Whether a claim already stands before `offset` (a list item `- ` above it)."""
    return bool(re.search(r"^\s*- ", text[:offset], re.M))


def _propose_ids(claims: list[dict[str, Any]], before: Any, target: Path) -> None:
    """Give every claim without an id a readable one, unique in the ledger and the batch."""
    taken = set(before.by_id) | {str(c["id"]) for c in claims if c.get("id")}
    for c in claims:
        if not c.get("id"):
            places = c.get("places") or [None]
            when = c.get("date") or c.get("period")
            c["id"] = propose_id(str(c.get("source") or target.stem), places[0], when, taken)
            taken.add(c["id"])


def _reference_texts(
    sources_path: Path,
    new_source: dict[str, Any] | None,
    entries: dict[Path, list[dict[str, Any]]],
) -> tuple[dict[Path, str], str | None]:
    """The new texts of sources.yaml and the reference files the batch appends to."""
    overrides: dict[Path, str] = {}
    source_block = None
    if new_source:
        source_block = _render_source(new_source)
        overrides[sources_path] = _appended(sources_path, source_block)
    for path, rows in entries.items():
        overrides[path] = _appended(path, "\n".join(render_entry(path, r) for r in rows))
    return overrides, source_block


def _entry_texts(entries: dict[Path, list[dict[str, Any]]]) -> dict[str, str]:
    """What goes to each reference file, by file name (for `--dry-run` and `--json`)."""
    return {p.name: "\n".join(render_entry(p, r) for r in rows) for p, rows in entries.items()}


def _appended(path: Path, block: str) -> str:
    """`path`'s text with `block` after a blank line (the block alone for a new file)."""
    old = current_text(path, display_path(path)) or ""
    if not old.strip():
        return block
    return old.rstrip("\n") + "\n\n" + block


def render_entry(path: Path, entry: dict[str, Any]) -> str:
    """A place, org or item as `gazetteer` writes one (`place add`), keys in its order."""
    kind = {file: kind for kind, file in FILES.items()}[path.name]
    return entry_block(entry, ORDER[kind])


def _write_all(
    root: Path,
    target: Path,
    original: str | None,
    overrides: dict[Path, str],
    checked: Any,
    ids: list[str],
    display: str,
) -> None:
    """Write the reference files, then the claim file, and read back; all or nothing."""
    olds = {p: current_text(p, display_path(p)) for p in overrides if p != target}
    done: list[Path] = []
    try:
        for path in [*olds, target]:
            write_text_atomic(path, overrides[path])
            done.append(path)
        _confirm(root, target, overrides[target], checked, ids, display)
    except BaseException:
        restore(target, original)  # all or nothing: the claims and what they need together
        for path in done:
            if path != target:
                restore(path, olds[path])
        raise


def _spliced(
    old: str, offset: int, blocks: list[str], blank: bool
) -> tuple[str, str, list[tuple[int, int]]]:
    """The new file text with `blocks` at `offset` (a blank line between them), and the lines
    each block occupies."""
    head = old[:offset] if old[:offset].endswith("\n") or not old[:offset] else old[:offset] + "\n"
    line = head.count("\n") + 1
    spans, parts = [], []
    for n, block in enumerate(blocks):
        spaced = blank if n == 0 else True
        parts.append(("\n" if spaced else "") + block)
        first = line + (1 if spaced else 0)
        last = first + block.strip("\n").count("\n")
        spans.append((first, last))
        line = last + 1
    text = "".join(parts)
    return text, head + text + old[offset:], spans


def same_claims(before: Any, after: Any, new_ids: set[str] | str) -> bool:
    """Whether every claim but the new ones reads exactly as before (lines may move)."""
    skip = {new_ids} if isinstance(new_ids, str) else new_ids

    def fields(book: Any) -> list[str]:
        return sorted(repr(c.content()) for c in book.entries if c.id not in skip)

    return fields(before) == fields(after)


def previous_claim(file: str | Path) -> dict[str, Any]:
    """The file's `source` and its last claim's who/what/when: defaults for the next prompts."""
    path = Path(file)
    if not path.exists():
        return {}
    top = load_yaml(path, display_path(path)).value
    if not isinstance(top, LMap):
        return {}
    out: dict[str, Any] = {"source": top.get("source")}
    claims = top.get("claims")
    if isinstance(claims, list) and claims and isinstance(claims[-1], dict):
        out.update({k: v for k, v in claims[-1].items() if k in DEFAULTED})
    return {k: v for k, v in out.items() if v is not None}


def current_text(path: Path, display: str) -> str | None:
    """The file's text, or None when it does not exist; AddRefused when it cannot be read or
    has CRLF line ends. Public: `curate` and `gazetteer` read what they append to alike."""
    if not path.exists():
        return None
    raw, problems = read_bytes(path, display)
    if raw is None:
        raise AddRefused(problems[0].message)
    text, problems = decode_text(raw, display)
    if text is None:
        raise AddRefused(problems[0].message if problems else f"cannot read {display}.")
    if b"\r\n" in raw:
        raise AddRefused(
            f"{display} has CRLF line ends; appending would mix line ends. Convert it first."
        )
    return raw.decode("utf-8")


def _render_source(src: dict[str, Any]) -> str:
    lines = []
    for key in SOURCE_KEYS:
        value = src.get(key)
        if value in (None, ""):
            continue
        lead = "- " if not lines else "  "
        lines.append(
            f"{lead}{key}: {scalar(value) if key != 'published' else json.dumps(str(value))}"
        )
    return "\n".join(lines) + "\n"


def new_problems(
    before: list[Problem],
    after: list[Problem],
    display: str,
    spans: list[tuple[int, int]],
    ids: list[str],
    book: Any,
) -> list[Problem]:
    """Problems the new claims bring: those inside their lines, plus any not there before."""
    seen = Counter((p.file, p.code, p.message) for p in before)
    first, last = spans[0][0], spans[-1][1]
    out = []
    for p in after:
        key = (p.file, p.code, p.message)
        if p.file == display and first <= p.line <= last:
            out.append(p)
        elif seen[key] > 0:
            seen[key] -= 1
        else:
            out.append(p)
    missing = [(cid, span) for cid, span in zip(ids, spans, strict=True) if cid not in book.by_id]
    if missing and not has_errors(out):
        cid, span = missing[0]
        msg = f"the new claim `{cid}` did not load; nothing was written."
        out.append(error(display, span[0], "add-not-loaded", msg))
    return out


def _confirm(
    root: Path, target: Path, text: str, checked: Any, ids: list[str], display: str
) -> None:
    """Re-read the written file: it must hold exactly the text checked, and load with the new
    claims as they were checked; else AddRefused (the caller puts the old files back)."""
    on_disk = target.read_bytes().decode("utf-8", errors="replace")
    book = load(root, write_cache=False)
    rows = [c for c in book.entries if c.id in set(ids)]
    same = on_disk == text and len(rows) == len(ids) and same_claims(checked, book, set())
    if not same or any(Path(r.file).resolve() != target.resolve() for r in rows):
        raise AddRefused(f"{display} did not read back as written; the old file was put back.")


def restore(path: Path, old: str | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    elif not path.exists() or path.read_bytes() != old.encode("utf-8"):
        write_text_atomic(path, old)


def result_json(result: AddResult, dry_run: bool = False) -> str:
    """What `add --json` prints: whether it was written, the claims (id, file, lines), the
    YAML appended, and the problems as `check --format json` gives them."""
    from .problems import to_json

    claims = [
        {"id": cid, "file": result.file, "lines": list(span)}
        for cid, span in zip(result.claim_ids, result.spans, strict=True)
    ]
    return to_json(
        result.problems,
        written=result.written,
        dry_run=dry_run,
        claims=claims,
        text=result.text,
        source_text=result.source_text,
        entry_texts=result.entry_texts,
    )
