"""An optional fast path for reading claim files, through the Rust parser `yaml-rs`.

PyYAML composes 100,000 claims in about 15 s; yaml-rs parses them in about 1 s. But yaml-rs
keeps no line numbers, silently drops tags, follows YAML 1.2 where we also warn about YAML 1.1
readings, and reads a few forms (`0x1F`, `.inf`, `1_000`, timestamps) differently from our
strict builder. So the fast path is taken only for text that cannot hold any of those: a cheap
scan sends anything suspicious (and anything yaml-rs refuses) to the strict, line-aware reader
in `yamlfile.py`. Files whose claims have problems are read again by the strict reader so that
every problem gets its line (see `loader.py`).
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from typing import Any

from .yamlfile import LList, LMap

try:
    import yaml_rs
except ImportError:  # the `fast` extra is not installed: the strict reader does everything
    yaml_rs = None

# Text the fast parser must not see: tags, anchors/aliases, merge keys, tabs, several
# documents, YAML 1.1 booleans, numbers written as quoted text, and scalars that yaml-rs types
# differently from our builder (hex/octal, .inf/.nan, digit separators, timestamps with time).
_RISKY = re.compile(
    r"""(?:^|[\s\[{,])[!&*][^\s,\]}]"""  # tag, anchor or alias
    r"""|<<\s*:"""
    r"""|\t|^---|^\.\.\.\s*$|[\x85\u2028\u2029]"""
    r"""|(?:[:\[,]|^\s*-)\s*(?:y|n|yes|no|on|off)\s*(?:[,\]#]|$)"""
    r"""|value:\s*["']"""
    r"""|(?:[:\[,]|^\s*-)\s*[-+]?(?:0[xob][0-9a-fA-F_]+|\.(?:inf|nan)|\d+_[\d_]*)\s*(?:[,\]#]|$)"""
    r"""|(?:[:\[,]|^\s*-)\s*\d{4}-\d\d?-\d\d?[Tt ]\d"""
    r"""|(?:[:\[,]|^\s*-)\s*\d{4}-(?:\d-|\d\d-\d(?!\d))""",
    re.MULTILINE | re.IGNORECASE,
)


def available() -> bool:
    """Whether the fast path is on: yaml-rs installed, and not turned off with the environment
    variable `AID_LEDGER_PARSER=pyyaml` (the tests run both ways)."""
    return yaml_rs is not None and os.environ.get("AID_LEDGER_PARSER", "") != "pyyaml"


def parse(text: str) -> Any | None:
    """The document as LMap/LList values (every line 0), or None to use the strict reader."""
    if not available() or _RISKY.search(text):
        return None
    try:
        value = yaml_rs.loads(text.removeprefix("\ufeff"))
    except Exception:  # any refusal (duplicate key, syntax): the strict reader explains it
        return None
    if value is None:
        return None
    wrapped = _wrap(value)
    if wrapped is _Unsafe or not _locate_claims(wrapped, text):
        return None
    return wrapped


_CLAIMS_KEY = re.compile(r"^claims:[ ]*(?:#.*)?$", re.MULTILINE)
_ITEM = re.compile(r"^( *)- ", re.MULTILINE)


def _locate_claims(top: Any, text: str) -> bool:
    """Give each claim the line its `- ` starts on, found by a scan of the text.

    Keys keep line 0 ("not known"): a problem on one sends its file to the strict reader. The
    scan must find exactly one item start per parsed claim, else the strict reader is used.
    """
    claims = top.get("claims") if isinstance(top, LMap) else None
    if not isinstance(claims, LList) or not claims:
        return True
    key = _CLAIMS_KEY.search(text)
    if key is None:
        return False
    starts = [m for m in _ITEM.finditer(text, key.end())]
    if not starts:
        return False
    indent = starts[0].group(1)
    starts = [m.start() for m in starts if m.group(1) == indent]
    if len(starts) != len(claims):
        return False
    lines, line, pos = [], text.count("\n", 0, starts[0]) + 1, starts[0]
    for at in starts:
        line += text.count("\n", pos, at)
        pos = at
        lines.append(line)
    claims.item_lines = lines
    for claim, at in zip(claims, lines, strict=True):
        if isinstance(claim, LMap):
            claim.line = at
    return True


def _wrap(value: Any) -> Any:
    """Plain values -> the strict reader's types, with line 0 meaning "not known"."""
    if isinstance(value, dict):
        out = LMap()
        for k, v in value.items():
            if not isinstance(k, str):
                return _Unsafe
            out[k] = _wrap(v)
            if out[k] is _Unsafe:
                return _Unsafe
        out.line = 0
        out.key_lines = out.value_lines = dict.fromkeys(out, 0)
        out.quoted = _NO_KEYS
        return out
    if isinstance(value, list):
        items = LList(_wrap(v) for v in value)
        if any(v is _Unsafe for v in items):
            return _Unsafe
        items.line = 0
        items.item_lines = [0] * len(items)
        return items
    if isinstance(value, datetime):
        return _Unsafe
    if isinstance(value, date):
        return value.isoformat()
    return value


_Unsafe = object()
_NO_KEYS: frozenset[str] = frozenset()
