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

# What the fast parser must not see, found in three cheap steps (a single regular expression
# over the whole text cost more than parsing it): substrings that rule a file out at once,
# checks on the parsed values (YAML 1.1 booleans, numbers, dates), and a few patterns run only
# when the values say they might matter.
_NEVER = ("\t", "<<", "\x85", "\u2028", "\u2029")
_TAG_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[!&*][^\s,\]}]", re.MULTILINE)
_DOCUMENT_MARK = re.compile(r"^(?:---|\.\.\.)(?:\s|$)", re.MULTILINE)
_QUOTED_VALUE = re.compile(r"value:\s*[\"']")
# numbers that yaml-rs types but our strict reader keeps as text
_ODD_NUMBER = re.compile(
    r"(?:[:\[,]|^\s*-)\s*[-+]?(?:0[xob][0-9a-f_]+|\.(?:inf|nan)|\d+_[\d_]*)\s*(?:[,\]#]|$)",
    re.MULTILINE | re.IGNORECASE,
)
# dates yaml-rs reads but writes back differently (`2016-12-2` -> `2016-12-02`)
_ODD_DATE = re.compile(r"\d{4}-(?:\d-|\d\d-\d(?!\d))")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off"})


def _ruled_out(text: str) -> bool:
    if any(s in text for s in _NEVER):
        return True
    if ("!" in text or "&" in text or "*" in text) and _TAG_OR_ALIAS.search(text):
        return True
    if ("---" in text or "..." in text) and _DOCUMENT_MARK.search(text):
        return True
    return "value:" in text and _QUOTED_VALUE.search(text) is not None


def available() -> bool:
    """Whether the fast path is on: yaml-rs installed, and not turned off with the environment
    variable `AID_LEDGER_PARSER=pyyaml` (the tests run both ways)."""
    return yaml_rs is not None and os.environ.get("AID_LEDGER_PARSER", "") != "pyyaml"


def parse(text: str) -> Any | None:
    """The document as LMap/LList values (every line 0), or None to use the strict reader."""
    if not available() or _ruled_out(text):
        return None
    try:
        value = yaml_rs.loads(text.removeprefix("\ufeff"))
    except Exception:  # any refusal (duplicate key, syntax): the strict reader explains it
        return None
    if value is None:
        return None
    seen: set[type] = set()
    try:
        wrapped = _wrap(value, seen)
    except _Unsafe:
        return None
    if (int in seen or float in seen) and _ODD_NUMBER.search(text):
        return None
    if date in seen and _ODD_DATE.search(text):
        return None
    if not _locate_claims(wrapped, text):
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


class _Unsafe(Exception):
    """A value the strict reader would read differently: use the strict reader."""


_NO_KEYS: frozenset[str] = frozenset()


def _wrap(value: Any, seen: set[type]) -> Any:
    """Plain values -> the strict reader's types (line 0 meaning "not known"); notes in `seen`
    the kinds of scalars met, so that `parse` runs the costlier scans only when needed."""
    kind = type(value)
    if kind is dict:
        return _wrap_map(value, seen)
    if kind is list:
        items = LList(_wrap(v, seen) for v in value)
        items.line = 0
        items.item_lines = [0] * len(items)
        return items
    return _scalar(value, kind, seen)


def _wrap_map(value: dict, seen: set[type]) -> LMap:
    out = LMap(value)
    for k, v in value.items():
        if type(k) is not str:
            raise _Unsafe
        kind = type(v)
        if kind is str:
            if len(v) <= 3 and v.lower() in _YAML11_WORDS:
                raise _Unsafe  # quoted or not? Only the strict reader can tell, and warn
        elif kind is dict:
            out[k] = _wrap_map(v, seen)
        else:
            out[k] = _wrap(v, seen)
    out.line = 0
    out.key_lines = out.value_lines = dict.fromkeys(out, 0)
    out.quoted = _NO_KEYS
    return out


def _scalar(value: Any, kind: type, seen: set[type]) -> Any:
    if kind is str:
        if len(value) <= 3 and value.lower() in _YAML11_WORDS:
            raise _Unsafe
        return value
    if kind is datetime:
        raise _Unsafe
    seen.add(kind)
    if kind is date:
        return value.isoformat()
    return value
