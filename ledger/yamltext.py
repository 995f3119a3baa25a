"""The YAML text the writing commands add to hand-written files: scalars that read back as
written (plain when safe, else double-quoted), flow-list items, and a place, organisation or
item entry in its file's key order. One module below `add`, `curate` and `gazetteer`, so that
none of them imports another for a way of writing."""

from __future__ import annotations

import json
import re
from typing import Any

FILES = {"place": "places.yaml", "org": "orgs.yaml", "item": "items.yaml"}
ORDER = {  # keys in the order the seed files write them; a file's own order comes first
    "place": ("name", "code", "level", "parent", "notes", "aliases"),
    "org": ("name", "kind", "parent", "code", "notes", "aliases"),
    "item": ("name", "parent", "dimension", "notes", "aliases"),
}
_PLAIN = re.compile(r"^[^\W\d_][\w .()'/+\u2019-]*$")
_YAML_WORDS = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null|~)$", re.IGNORECASE)


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


def flow_item(value: str) -> str:
    out = scalar(value)
    return _double_quoted(value) if re.search(r"[,\[\]{}]", out) else out


def entry_block(entry: dict[str, Any], order: tuple[str, ...], indent: int = 0) -> str:
    """The entry as a block list item, keys in `order`, aliases as a flow list."""
    pad, lines = " " * indent, []
    for key in order:
        value = entry.get(key)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, list):
            text = "[" + ", ".join(flow_item(str(v)) for v in value) + "]"
        else:
            text = scalar(value)
        lines.append(f"{pad}{'- ' if not lines else '  '}{key}: {text}")
    return "\n".join(lines) + "\n"
