"""Add one claim to a claim file without touching what a person wrote.

The new claim is validated against the whole ledger before anything is written (the ledger is
loaded with the edited text in place of the file). It is appended as text at the end of the
file's `claims:` list, so comments, order and formatting of everything else stay byte for byte.
The write is atomic and holds a lock, and the file is re-read afterwards: it must load with the
new claim in it, or the old text is put back.
"""

from __future__ import annotations

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

KEY_ORDER = list(CLAIM_KEYS)
_PLAIN = re.compile(r"^[^\W\d_][\w .()'/+\u2019-]*$")
_YAML_WORDS = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null|~)$", re.IGNORECASE)
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


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly `value` (plain when safe, else double-quoted)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and not _YAML_WORDS.match(text) and text == text.strip():
        return text
    return _double_quoted(text)


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar. JSON's escapes are YAML's too, but JSON leaves NEL, LS, PS
    and the C1 controls raw, and a YAML 1.1 reader folds a raw NEL into a space."""
    out = json.dumps(text, ensure_ascii=False)
    return _UNSAFE_RAW.sub(lambda m: _YAML_ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), out)


_UNSAFE_RAW = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
_YAML_ESCAPES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\ufeff"}


def _flow_item(value: str) -> str:
    out = scalar(value)
    return _double_quoted(value) if re.search(r"[,\[\]{}]", out) else out


def render_claim(fields: dict[str, Any], indent: int) -> str:
    """The claim as a block list item, keys in the documented order."""
    pad = " " * indent
    lines = []
    for key in KEY_ORDER:
        value = fields.get(key)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, (list, tuple)):
            rendered = "[" + ", ".join(_flow_item(str(v)) for v in value) + "]"
        else:
            rendered = scalar(value)
        lead = f"{pad}- " if not lines else f"{pad}  "
        lines.append(f"{lead}{key}: {rendered}")
    return "\n".join(lines) + "\n"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def propose_id(source: str, place: str | None, when: str | None, taken: set[str]) -> str:
    """`<source>-<place>-<date>`, with `-2`, `-3`... until it is free."""
    parts = [slug(source)] + ([slug(place)] if place else []) + ([slug(when)] if when else [])
    base = "-".join(parts)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


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
    root = find_root(ledger_path)
    target = Path(file)
    sources_path = root / "sources.yaml"
    with locked(sources_path), locked(target):
        return _add_locked(root, target, sources_path, dict(fields), new_source, dry_run)


def _add_locked(
    root: Path,
    target: Path,
    sources_path: Path,
    fields: dict[str, Any],
    new_source: dict[str, Any] | None,
    dry_run: bool,
) -> AddResult:
    display = display_path(target)
    old = original = _current(target, display)
    before = load(root, write_cache=False)
    if not fields.get("id"):
        places = fields.get("places") or [None]
        taken = set(before.by_id)
        when = fields.get("date") or fields.get("period")
        fields["id"] = propose_id(str(fields.get("source") or target.stem), places[0], when, taken)
    if old is None:
        head = SCHEMA_LINE + f"source: {scalar(fields.get('source', ''))}\nclaims:\n"
        offset, indent, old = len(head), 2, head
    else:
        offset, indent = insertion(old, display)
    if new_source and new_source.get("id") in before.sources:
        new_source = None  # added meanwhile by another writer (we waited for its lock)
    spaced = f"\n\n{' ' * indent}- " in old  # the file spaces its claims with blank lines
    overrides: dict[Path, str] = {}
    source_block = None
    if new_source:
        src_old = _current(sources_path, display_path(sources_path)) or ""
        source_block = _render_source(new_source)
        sep = "" if not src_old or src_old.endswith("\n") else "\n"
        overrides[sources_path] = src_old + sep + source_block
    # A blank line before the new claim would join a `|+` block scalar just above it; try the
    # file's own spacing first, then none, and refuse if existing claims still read otherwise.
    for blank in (spaced, False) if spaced else (False,):
        block, new_text, span = _spliced(old, offset, render_claim(fields, indent), blank)
        overrides[target] = new_text
        after = load(root, overrides, write_cache=False)
        if _same_claims(before, after, fields["id"]):
            break
    else:
        raise AddRefused(
            f"appending to {display} would change what its existing claims say; cannot safely append."
        )
    problems = _new_problems(before.problems, after.problems, display, span, fields["id"], after)
    result = AddResult(fields["id"], block, problems, source_text=source_block)
    if has_errors(problems) or dry_run:
        return result
    sources_before = _current(sources_path, display_path(sources_path)) if source_block else None
    try:
        if source_block is not None:
            write_text_atomic(sources_path, overrides[sources_path])
        write_text_atomic(target, new_text)
        _confirm(root, target, new_text, after, fields["id"], display)
    except BaseException:
        _restore(target, original)  # all or nothing: the claim and its new source together
        if sources_before is not None:
            _restore(sources_path, sources_before)
        raise
    result.written = True
    return result


def _spliced(old: str, offset: int, block: str, blank: bool) -> tuple[str, str, tuple[int, int]]:
    """The new file text with `block` at `offset`, and the lines the block occupies."""
    head = old[:offset] if old[:offset].endswith("\n") or not old[:offset] else old[:offset] + "\n"
    if blank:
        block = "\n" + block
    first = head.count("\n") + 1 + (1 if blank else 0)
    return block, head + block + old[offset:], (first, first + block.strip("\n").count("\n"))


def _same_claims(before: Any, after: Any, new_id: str) -> bool:
    """Whether every claim but the new one reads exactly as before (lines may move)."""

    def fields(book: Any) -> list[str]:
        return sorted(repr(c.content()) for c in book.entries if c.id != new_id)

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


def _current(path: Path, display: str) -> str | None:
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


def _new_problems(
    before: list[Problem],
    after: list[Problem],
    display: str,
    span: tuple[int, int],
    cid: str,
    book: Any,
) -> list[Problem]:
    """Problems the new claim brings: those inside its lines, plus any that were not there before."""
    seen = Counter((p.file, p.code, p.message) for p in before)
    out = []
    for p in after:
        key = (p.file, p.code, p.message)
        if p.file == display and span[0] <= p.line <= span[1]:
            out.append(p)
        elif seen[key] > 0:
            seen[key] -= 1
        else:
            out.append(p)
    if cid not in book.by_id and not has_errors(out):
        out.append(
            error(
                display,
                span[0],
                "add-not-loaded",
                "the new claim did not load; nothing was written.",
            )
        )
    return out


def _confirm(root: Path, target: Path, text: str, checked: Any, cid: str, display: str) -> None:
    """Re-read the written file: it must hold exactly the text checked, and load with the new
    claim as it was checked; else AddRefused (the caller puts the old files back)."""
    on_disk = target.read_bytes().decode("utf-8", errors="replace")
    book = load(root, write_cache=False)
    rows = [c for c in book.entries if c.id == cid]
    same = on_disk == text and len(rows) == 1 and _same_claims(checked, book, "")
    if not same or Path(rows[0].file).resolve() != target.resolve():
        raise AddRefused(f"{display} did not read back as written; the old file was put back.")


def _restore(path: Path, old: str | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    elif not path.exists() or path.read_bytes() != old.encode("utf-8"):
        write_text_atomic(path, old)
