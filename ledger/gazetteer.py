"""Add a place, an organisation or an item to the ledger's reference files, as `add` adds a claim.

The entry is checked first (a level or kind from `vocab`, a parent that exists, a name and
aliases no other entry uses, a dimension the ledger's units define), then appended as text at
the end of `places.yaml`, `orgs.yaml` or `items.yaml` in the file's own style: its indentation,
its keys in the order its entries write them, a blank line between entries where the file has
them. The ledger is loaded with the new text before anything is written; the write is atomic
and locked, and read back afterwards (see ledger/curate.py, `write_all`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .add import current_text
from .atomic import locked
from .curate import CurateRefused, fresh_problems, write_all
from .hierarchy import Hierarchy, ResolveError
from .loader import Ledger, load
from .paths import display_path, find_root
from .problems import Problem, did_you_mean, error, has_errors
from .vocab import OrgKind, PlaceLevel, choices
from .yamltext import FILES, ORDER, entry_block

BUILT_IN_DIMENSIONS = ("mass", "volume")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class EntryResult:
    kind: str  # place, org, item
    name: str
    file: str
    text: str = ""  # the YAML appended
    problems: list[Problem] = field(default_factory=list)
    written: bool = False


def tree_of(book: Ledger, kind: str) -> Hierarchy:
    """The ledger's places, orgs or items (an empty tree when it has no orgs.yaml)."""
    found = {"place": book.places, "org": book.orgs, "item": book.items}[kind]
    return found if found is not None else Hierarchy(kind)


def known_dimensions(book: Ledger) -> list[str]:
    """`mass`, `volume`, and each counted thing units.txt defines (`blanket = [blanket]`)."""
    defined = (d for line in book.units.lines for d in re.findall(r"\[(\w+)\]", line))
    return list(dict.fromkeys((*BUILT_IN_DIMENSIONS, *defined)))


def entry_problems(
    book: Ledger, kind: str, entry: dict[str, Any], display: str, line: int
) -> list[Problem]:
    """What is wrong with a new entry before it is written, at `display:line` (where it would
    go). Sets `entry["parent"]` to the parent's own name when it was given by an alias."""
    tree = tree_of(book, kind)
    out = _name_problems(tree, kind, entry, display, line)
    parent = entry.get("parent")
    if parent:
        hit = tree.lookup(parent)
        if isinstance(hit, ResolveError) and hit.code.endswith("-ambiguous"):
            out.append(error(display, line, f"{kind}-parent-unknown", f"the parent {hit}"))
        elif isinstance(hit, ResolveError):
            said = str(hit).replace(f" Add it to the {kind}s file if it is new.", "")
            msg = f"the parent: {said} Add it first (`aid-ledger {kind} add`), or correct it."
            out.append(error(display, line, f"{kind}-parent-unknown", msg))
        else:
            entry["parent"] = hit
    if kind == "place":
        out += _level_problems(entry, display, line)
    elif kind == "org":
        out += _choice(
            entry.get("kind"), choices(OrgKind), "kind", "org-kind-unknown", display, line
        )
    elif entry.get("dimension"):
        known = known_dimensions(book)
        out += _choice(
            entry["dimension"], known, "dimension", "item-dimension-unknown", display, line
        )
    return out


def _name_problems(
    tree: Hierarchy, kind: str, entry: dict[str, Any], display: str, line: int
) -> list[Problem]:
    """The name and each alias must be new: to this file, and to each other."""
    out: list[Problem] = []
    if not str(entry.get("name") or "").strip():
        return [error(display, line, "key-missing", f"a {kind} needs a name.")]
    seen: set[str] = set()
    for label in (entry["name"], *entry.get("aliases", ())):
        key = " ".join(label.split()).casefold()
        owners = tree.index.get(key, [])
        if owners:
            first = tree.entries[owners[0]]
            msg = (
                f"`{label}` is already a name or alias of `{owners[0]}` ({first.file}:{first.line}); "
                f"use that {kind}, or choose another name."
            )
            out.append(error(display, line, f"{kind}-name-taken", msg))
        elif key in seen:
            msg = f"`{label}` is given twice; give each name once."
            out.append(error(display, line, f"{kind}-name-taken", msg))
        seen.add(key)
    return out


def _level_problems(entry: dict[str, Any], display: str, line: int) -> list[Problem]:
    level = entry.get("level")
    out = _choice(level, choices(PlaceLevel), "level", "place-level-unknown", display, line)
    if not out and level != PlaceLevel.COUNTRY and not entry.get("parent"):
        msg = f"a place of level `{level}` needs a `parent` (the place it lies in)."
        out.append(error(display, line, "place-parent-missing", msg))
    return out


def _choice(
    value: Any, known: list[str], key: str, code: str, display: str, line: int
) -> list[Problem]:
    if value in known:
        return []
    listed = ", ".join(f"`{k}`" for k in known)
    said = f"`{key}` `{value}` is not known." if value else f"`{key}` is missing."
    hint = did_you_mean(str(value), known) if value else ""
    return [error(display, line, code, f"{said}{hint} Write one of {listed}.")]


def add_entry(
    ledger_path: str | Path, kind: str, fields: dict[str, Any], dry_run: bool = False
) -> EntryResult:
    """Check `fields` (`name`, `parent`, `aliases`, and `level`/`code` for a place, `kind`
    for an org, `dimension` for an item; `notes`) as a new entry, then append it.

    Returns the problems (and `written=False`) when it has errors; raises CurateRefused when
    the file cannot be appended to safely."""
    root = find_root(ledger_path)
    path = root / FILES[kind]
    display = display_path(path)
    entry = _cleaned(fields)
    with locked(path):
        old = current_text(path, display) or ""
        before = load(root, write_cache=False)
        indent, spaced, order = _style(old, kind, display)
        base = old if not old or old.endswith("\n") else old + "\n"
        sep = "\n" if spaced and base.strip() and not base.endswith("\n\n") else ""
        line = base.count("\n") + len(sep) + 1
        result = EntryResult(kind, entry["name"], display)
        result.problems = entry_problems(before, kind, entry, display, line)
        result.text = entry_block(entry, order, indent)
        if has_errors(result.problems):
            return result
        new_text = base + sep + result.text
        after = load(root, {path: new_text}, write_cache=False)
        result.problems += fresh_problems(before.problems, after.problems)
        if not _only_added(tree_of(before, kind), tree_of(after, kind), entry):
            msg = f"appending to {display} would change its other entries; fix the file first."
            result.problems.append(error(display, line, f"{kind}-not-added", msg))
        if has_errors(result.problems) or dry_run:
            return result
        write_all(root, {path: new_text}, after)
        result.written = True
        return result


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    """Texts stripped, empty values dropped, aliases a list in order, each once."""
    out = {k: " ".join(str(v).split()) for k, v in fields.items() if k != "aliases" and v}
    out.setdefault("name", "")
    aliases = [" ".join(str(a).split()) for a in fields.get("aliases") or ()]
    out["aliases"] = [a for a in dict.fromkeys(aliases) if a]
    return out


def _style(text: str, kind: str, display: str) -> tuple[int, bool, tuple[str, ...]]:
    """The file's indentation of `- `, whether it spaces entries with blank lines, and its
    key order (that of its fullest entry, then the usual order for keys it never writes)."""
    try:
        node = yaml.compose(text, Loader=_LOADER) if text.strip() else None
    except yaml.YAMLError as exc:
        raise CurateRefused(f"{display} does not parse as YAML ({exc}); fix it first.") from None
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return 0, kind != "org", ORDER[kind]
    if not isinstance(node, yaml.SequenceNode) or node.flow_style:
        raise CurateRefused(f"{display} is not a list of `- name: ...` entries; cannot append.")
    maps = [n for n in node.value if isinstance(n, yaml.MappingNode)]
    if not maps:
        return 0, kind != "org", ORDER[kind]
    lines = text.split("\n")
    first = lines[maps[0].start_mark.line]
    indent = len(first) - len(first.lstrip(" "))
    spaced = f"\n\n{' ' * indent}- " in text
    fullest = max(maps, key=lambda m: len(m.value))
    return indent, spaced, _merged([k.value for k, _ in fullest.value], ORDER[kind])


def _merged(own: list[str], usual: tuple[str, ...]) -> tuple[str, ...]:
    """The file's key order, each key it never writes placed after the keys that usually
    come before it (`notes` after `parent`, before `aliases`)."""
    order = [k for k in own if k in usual]
    for n, key in enumerate(usual):
        if key not in order:
            before = [order.index(k) for k in usual[:n] if k in order]
            order.insert(max(before) + 1 if before else 0, key)
    return tuple(order)


def _only_added(before: Hierarchy, after: Hierarchy, entry: dict[str, Any]) -> bool:
    """Whether `after` is `before` plus the new entry as given."""

    def shape(tree: Hierarchy, skip: str | None) -> dict[str, Any]:
        return {n: (e.parent, e.aliases, e.fields) for n, e in tree.entries.items() if n != skip}

    new = after.entries.get(entry["name"])
    if new is None or new.parent != entry.get("parent") or list(new.aliases) != entry["aliases"]:
        return False
    return shape(before, None) == shape(after, entry["name"])
