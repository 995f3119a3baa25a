"""Named trees with aliases: the gazetteer of places and the list of items share this shape.

Each entry has a `name`, optional `aliases` and an optional `parent`. Names resolve
case-insensitively, through aliases; an alias shared by two entries is ambiguous and resolves to
neither. `contains(a, b)` answers "is b inside a" by walking b's parents, which is what scope
checks need (Hananu 3 is inside Aleppo city, inside Aleppo governorate).

Names are also compared by their look (`skeleton`): "Аleppo city" typed with a Cyrillic `А` is
another name to a computer but the same to a reader, so loading warns about such look-alikes
and an unknown name that looks like a known one says which letters differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .lookalikes import (
    as_latin,
    differing,
    letters,
    mixed_letters,
    odd_letters,
    script_of,
    skeleton,
)
from .problems import Problem, Suggester, did_you_mean, error, warning
from .yamlfile import LList, LMap, load_yaml


@dataclass
class Entry:
    name: str
    parent: str | None
    aliases: tuple[str, ...]
    fields: dict[str, Any]
    file: str
    line: int


class ResolveError(LookupError):
    def __init__(self, message: str, code: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.candidates = candidates or []


@dataclass
class Hierarchy:
    """Entries by name, an index of every name and alias, and parent links."""

    kind: str  # "place", "item": used in messages and codes
    entries: dict[str, Entry] = field(default_factory=dict)
    index: dict[str, list[str]] = field(default_factory=dict)
    _resolved: dict[str, str | ResolveError] = field(default_factory=dict)
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _suggester: Suggester | None = None  # 'did you mean' over every name and alias, built once
    _skeletons: dict[str, list[str]] | None = None  # look -> names and aliases, built once

    def add(self, entry: Entry) -> None:
        self.entries[entry.name] = entry
        self._ancestors.clear()  # a new entry can change any chain or lookup read before
        self._resolved.clear()
        self._suggester = None
        self._skeletons = None
        for label in (entry.name, *entry.aliases):
            names = self.index.setdefault(label.casefold(), [])
            if entry.name not in names:
                names.append(entry.name)

    def resolve(self, label: str) -> str:
        """The entry name for a name or alias; ResolveError when unknown or ambiguous."""
        hit = self.lookup(label)
        if isinstance(hit, ResolveError):
            raise hit
        return hit

    def lookup(self, label: str) -> str | ResolveError:
        """What `resolve` answers, with the error as a value (remembered per label either way)."""
        hit = self._resolved.get(label)
        if hit is None:
            hit = self._resolved[label] = self._resolve(label)
        return hit

    def _resolve(self, label: str) -> str | ResolveError:
        names = self.index.get(" ".join(str(label).split()).casefold(), [])
        if len(names) == 1:
            return names[0]
        if names:
            listed = " or ".join(f"`{n}`" for n in names)
            msg = f"`{label}` could be {listed}; write the full name of the one meant."
            return ResolveError(msg, f"{self.kind}-ambiguous", names)
        if self._suggester is None:
            known = list(self.entries) + [a for e in self.entries.values() for a in e.aliases]
            self._suggester = Suggester(known)
        lookalike = self._lookalike_hint(label)
        if lookalike:
            return ResolveError(
                f"unknown {self.kind} `{label}`.{lookalike}", f"{self.kind}-unknown"
            )
        msg = f"unknown {self.kind} `{label}`.{self._suggester.did_you_mean(label)}"
        return ResolveError(
            msg + f" Add it to the {self.kind}s file if it is new.", f"{self.kind}-unknown"
        )

    def _lookalike_hint(self, label: str) -> str:
        """' Did you mean `Aleppo city`? The name you wrote has Cyrillic 'А' ...' when `label`
        looks just like a known name or alias (one skeleton), else ''. The skeletons of the
        known names are worked out once, on the first unknown name."""
        if self._skeletons is None:
            self._skeletons = {}
            for entry in self.entries.values():
                for known in (entry.name, *entry.aliases):
                    names = self._skeletons.setdefault(skeleton(known), [])
                    if known not in names:
                        names.append(known)
        label = str(label)
        hits = self._skeletons.get(skeleton(label), [])
        if not hits:
            return ""
        mine, theirs = differing(label, hits[0])
        if not (mine or theirs):
            return ""
        shown = " or ".join(f"`{h}`" for h in hits[:3])
        where = f" where `{hits[0]}` has {letters(theirs)}" if theirs else ""
        return (
            f" Did you mean {shown}? The name you wrote has {letters(mine) or 'no odd letter'}"
            f"{where}: they look alike but are other letters; copy the name as the "
            f"{self.kind}s file writes it (or fix it there if that one is wrong)."
        )

    def ancestors(self, name: str) -> tuple[str, ...]:
        """Parents of `name`, nearest first (cycles are refused at load time). Remembered per
        name: scope checks ask for the same chains hundreds of thousands of times."""
        hit = self._ancestors.get(name)
        if hit is None:
            hit = self._ancestors[name] = tuple(self._walk_up(name))
        return hit

    def _walk_up(self, name: str) -> list[str]:
        out: list[str] = []
        parent = self.entries[name].parent if name in self.entries else None
        while parent is not None and parent in self.entries and parent not in out:
            out.append(parent)
            parent = self.entries[parent].parent
        return out

    def contains(self, outer: str, inner: str) -> bool:
        return outer == inner or outer in self.ancestors(inner)

    def nearest(self, name: str, key: str, value: str) -> str | None:
        """`name` itself or its nearest ancestor whose field `key` is `value`, else None: the
        one walk behind "Hananu 3 at governorate level" and "the state a ministry belongs to"."""
        for candidate in (name, *self.ancestors(name)):
            if self.get(candidate, key) == value:
                return candidate
        return None

    def first(self, name: str, key: str) -> Any:
        """The value of field `key` on `name` itself or, failing that, on its nearest ancestor
        that sets it, else None: "the dimension an item inherits" (an unset, None or empty
        text value is skipped)."""
        for candidate in (name, *self.ancestors(name)):
            value = self.get(candidate, key)
            if value is not None and value != "":
                return value
        return None

    def get(self, name: str, key: str, default: Any = None) -> Any:
        entry = self.entries.get(name)
        return entry.fields.get(key, default) if entry else default


def load_hierarchy(
    path: Path, display: str, kind: str, extra_keys: dict[str, type], text: str | None = None
) -> tuple[Hierarchy, list[Problem]]:
    """Load a YAML list of `{name, parent, aliases, ...extra_keys}` entries from `path`, or from
    `text` when given (a ledger held in memory)."""
    tree = Hierarchy(kind)
    doc = load_yaml(path, display, text)
    problems = list(doc.problems)
    if doc.value is None:
        return tree, problems
    if not isinstance(doc.value, LList):
        msg = f"the {kind}s file must be a list of entries (`- name: ...`)."
        return tree, [
            *problems,
            error(display, getattr(doc.value, "line", 1), "file-top-level", msg),
        ]
    allowed = {"name": str, "parent": str, "aliases": list, **extra_keys}
    for raw, line in zip(doc.value, doc.value.item_lines, strict=True):
        entry = _entry(raw, line, display, kind, allowed, problems)
        if entry is None:
            continue
        if entry.name in tree.entries:
            first = tree.entries[entry.name].line
            msg = f"the {kind} `{entry.name}` is listed twice (first on line {first}); keep one."
            problems.append(error(display, line, f"{kind}-duplicate", msg))
            continue
        tree.add(entry)
    problems.extend(_check_parents(tree, display, kind))
    problems.extend(_check_lookalikes(tree, display, kind))
    return tree, problems


def _entry(
    raw: Any, line: int, display: str, kind: str, allowed: dict[str, type], problems: list[Problem]
) -> Entry | None:
    if not isinstance(raw, LMap):
        problems.append(error(display, line, "type-invalid", f"each {kind} must be a mapping."))
        return None
    for key in raw:
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            msg = f"unknown key `{key}` for a {kind}.{hint}"
            problems.append(error(display, raw.key_lines[key], "key-unknown", msg))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(error(display, line, "key-missing", f"each {kind} needs a `name`."))
        return None
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        at = raw.value_lines.get("aliases", line)
        problems.append(error(display, at, "type-invalid", "`aliases` must be a list of names."))
        aliases = []
    fields = {k: v for k, v in raw.items() if k not in ("name", "aliases")}
    for key, want in allowed.items():
        value = fields.get(key)
        if value is None or isinstance(value, want) and not isinstance(value, bool):
            continue
        # `code: 0101` reads as the number 101: a P-code or a name must be text
        shown = "true/false" if isinstance(value, bool) else type(value).__name__
        hint = " (put it in quotes)" if want is str else ""
        msg = f"`{key}` must be a {want.__name__}{hint}; found a {shown}."
        problems.append(error(display, raw.value_lines[key], "type-invalid", msg))
        del fields[key]
    parent = fields.pop("parent", None)
    return Entry(name.strip(), parent or None, tuple(aliases), fields, display, line)


def _check_parents(tree: Hierarchy, display: str, kind: str) -> list[Problem]:
    problems = []
    for entry in tree.entries.values():
        if entry.parent is not None and entry.parent not in tree.entries:
            msg = f"parent `{entry.parent}` is not a {kind} in this file."
            msg += did_you_mean(entry.parent, tree.entries)
            problems.append(error(display, entry.line, f"{kind}-parent-unknown", msg))
            entry.parent = None
    for entry in tree.entries.values():
        seen: set[str] = set()
        parent = entry.parent
        while parent is not None:
            if parent == entry.name:
                msg = (
                    f"`{entry.name}` is its own ancestor through `{entry.parent}`; fix the parents."
                )
                problems.append(error(display, entry.line, f"{kind}-cycle", msg))
                entry.parent = None
                break
            if parent in seen:  # a cycle above this entry: reported at one of its members
                break
            seen.add(parent)
            parent = tree.entries[parent].parent
    tree._ancestors.clear()  # parents were cut above: chains read before are stale
    return problems


def _check_lookalikes(tree: Hierarchy, display: str, kind: str) -> list[Problem]:
    """Warn about names and aliases that look like another entry's (`<kind>-homoglyph`) or mix
    scripts inside one word (`<kind>-mixed-script`). Each distinct label is looked at once;
    only labels beyond ASCII can be at fault, the rest are what they are compared with."""
    groups: dict[str, list[tuple[str, Entry]]] = {}
    for entry in tree.entries.values():
        for label in dict.fromkeys((entry.name, *entry.aliases)):
            groups.setdefault(skeleton(label), []).append((label, entry))
    problems = []
    for group in groups.values():
        for label, entry in group:
            if not label.isascii():
                problems.extend(_lookalike_problem(label, entry, group, display, kind))
    return problems


def _lookalike_problem(
    label: str, entry: Entry, group: list[tuple[str, Entry]], display: str, kind: str
) -> list[Problem]:
    what = "name" if label == entry.name else "alias"
    same = " ".join(label.split()).casefold()
    alike = [(o, e) for o, e in group if " ".join(o.split()).casefold() != same]
    others = sorted(
        (p for p in alike if p[1] is not entry), key=lambda p: (bool(odd_letters(p[0])), p[1].line)
    )
    odd = odd_letters(label)
    if others and odd:
        other, owner = others[0]
        whom = f"`{other}`" + ("" if other == owner.name else f" (an alias of `{owner.name}`)")
        if mixed_letters(label) or not all(script_of(c) for c in odd):
            them = "it" if len(odd) == 1 else "them"
            fix = (
                f"retype {them} in Latin letters (`{as_latin(label)}`), and keep one entry if "
                f"they are one {kind}"
            )
        else:  # a name wholly in another script (Cyrillic `Соа` beside Latin `Coa`)
            fix = (
                f"if they are one {kind}, make `{label}` an alias of `{owner.name}`; if not, "
                "rename one so that they look different"
            )
        msg = (
            f"the {kind} {what} `{label}` looks just like {whom} (line {owner.line}) but is "
            f"written with {letters(odd)}; a reader cannot tell the two apart: {fix}."
        )
        return [warning(display, entry.line, f"{kind}-homoglyph", msg)]
    if any(e is entry for _, e in alike):  # a look-alike spelling listed on purpose as an alias
        return []
    mixed = mixed_letters(label)
    if not mixed:
        return []
    fixed = as_latin(label)
    hint = f" (`{fixed}`)" if fixed != label and not mixed_letters(fixed) else ""
    msg = (
        f"the {kind} {what} `{label}` mixes scripts inside a word: {letters(mixed)}; retype "
        f"{'it' if len(mixed) == 1 else 'them'} in the word's own script{hint}."
    )
    return [warning(display, entry.line, f"{kind}-mixed-script", msg)]
