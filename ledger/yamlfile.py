"""A strict, line-aware YAML reader for hand-written ledger files.

PyYAML's loaders lose data in ways a curator never sees: the last of two duplicate keys wins,
`no` becomes `False`, `2016-12-02` becomes a `date`, and tags can build Python objects. We let
the C parser *compose* the document into nodes (fast, constructs nothing) and build plain values
ourselves, so that we can:

- refuse duplicate keys, unknown tags and aliases (which also stops "billion laughs" bombs),
- read scalars by YAML 1.2 rules (`no` stays text, dates stay text for our own date parser),
- warn where a YAML 1.1 tool would read the same text differently,
- keep the line of every key and value, so each problem points at `file:line`.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, error, warning

try:  # libyaml makes composing several times faster; fall back to pure Python
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_ALLOWED_TAGS |= {_CORE + "timestamp"}  # implicit only; we keep its text

# YAML 1.2 core schema (what we apply) ...
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
# ... and the YAML 1.1 readings that other tools would still apply to the same text.
_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d?-\d\d?(?:[Tt ].*)?$")
MAX_DEPTH = 64
_RESOLVER = yaml.resolver.Resolver()  # the implicit tags PyYAML's safe loaders give plain scalars
_ALIAS_MESSAGE = "anchors and aliases (`&name`, `*name`) are not accepted; write the value out."


class LMap(dict):
    """A mapping that remembers where it and each of its keys and values were written."""

    line: int
    key_lines: dict[str, int]
    value_lines: dict[str, int]
    quoted: set[str]  # keys whose value was a quoted scalar (so "4" was meant as text)


class LList(list):
    """A sequence that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


@dataclass
class YamlDoc:
    path: Path
    display: str
    value: Any = None
    problems: list[Problem] = field(default_factory=list)


MAX_BYTES = 64 * 1024 * 1024  # a ledger file or source document larger than this is a mistake


def read_bytes(
    path: Path, display: str, limit: int | None = None
) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, read only when it is a regular file of at most `limit` bytes.

    The file is opened without waiting (a FIFO would block a plain open) and checked through
    the open descriptor, so what is read is what was checked: a pipe, a device (a link to
    `/dev/zero`) or a file that grows past the limit is a problem, never a hang or a flood.
    """
    limit = MAX_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, [
            error(display, 1, "file-unreadable", f"cannot read the file: {exc.strerror}.")
        ]
    try:
        refused = status_problems(os.fstat(fd), display, limit)
        if refused:
            return None, refused
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return None, [
            error(display, 1, "file-unreadable", f"cannot read the file: {exc.strerror}.")
        ]
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while it was read
        return None, [_too_large(display, limit)]
    return data, []


def status_problems(info: os.stat_result, display: str, limit: int | None = None) -> list[Problem]:
    """Why a file of this status is not read: a folder, not a regular file, or too large."""
    limit = MAX_BYTES if limit is None else limit
    if stat.S_ISDIR(info.st_mode):
        return [error(display, 1, "file-unreadable", "cannot read the file: it is a folder.")]
    if not stat.S_ISREG(info.st_mode):
        msg = (
            "this is not a regular file (a pipe, a device or a socket); nothing was read. "
            "Put the text in a plain file."
        )
        return [error(display, 1, "file-not-regular", msg)]
    if info.st_size > limit:
        return [_too_large(display, limit)]
    return []


def _too_large(display: str, limit: int) -> Problem:
    msg = f"the file is larger than {limit:,} bytes; nothing was read. Split it into smaller files."
    return error(display, 1, "file-too-large", msg)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text; a BOM and CRLF line ends are accepted, other bytes are not."""
    data, problems = read_bytes(path, display)
    if data is None:
        return None, problems
    return decode_text(data, display)


def decode_text(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Bytes as UTF-8 text (BOM dropped, CRLF made LF); a NUL or a non-UTF-8 byte is a problem."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        msg = "the file holds a NUL byte; save it as plain UTF-8 text."
        return None, [error(display, line, "file-encoding", msg)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = f"byte {data[exc.start]:#04x} is not UTF-8; save the file as UTF-8."
        return None, [error(display, line, "file-encoding", msg)]
    return text.replace("\r\n", "\n"), []


def load_yaml(path: Path, display: str | None = None, text: str | None = None) -> YamlDoc:
    """Load one YAML file into plain values with line information, collecting problems.

    `text`, when given, is used instead of the file's content (to check an edit before it is
    written).
    """
    doc = YamlDoc(path=path, display=display or str(path))
    if text is None:
        text, doc.problems = read_text(path, doc.display)
    else:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if text is None:
        return doc
    if "\t" in text:
        for n, line in enumerate(text.split("\n"), 1):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                msg = "a tab in the indentation; YAML indents with spaces only."
                doc.problems.append(error(doc.display, n, "yaml-tab", msg))
                return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = LineOf(text)(mark) if mark else 1
        # an error found at the end of the text points past its last line: name the last one
        line = max(1, min(line, text.count("\n") + (0 if text.endswith("\n") else 1)))
        what = exc.problem or str(exc)
        msg = f"the YAML cannot be read: {what}; check the indentation and quoting near here."
        doc.problems.append(error(doc.display, line, "yaml-syntax", msg))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(error(doc.display, 1, "yaml-syntax", f"the YAML cannot be read: {exc}"))
        return doc
    if node is None or isinstance(node, yaml.ScalarNode) and node.tag == _CORE + "null":
        doc.problems.append(error(doc.display, 1, "file-empty", "the file holds no data."))
        return doc
    builder = _Builder(doc.display, LineOf(text))
    doc.value = builder.build(node, 0)
    doc.problems.extend(builder.problems)
    if builder.aliased:
        doc.problems.extend(_alias_problems(text, doc.display))
    return doc


def _alias_problems(text: str, display: str) -> list[Problem]:
    """One problem per line holding a `*alias`: a composed alias is the anchored node itself,
    so it only knows the anchor's line. The parser's events know where each alias was written."""
    line_of = LineOf(text)
    lines = {
        line_of(event.start_mark)
        for event in yaml.parse(text, Loader=_Loader)
        if isinstance(event, yaml.AliasEvent)
    }
    return [error(display, line, "yaml-alias", _ALIAS_MESSAGE) for line in sorted(lines)]


class LineOf:
    """The line of a parser mark as editors count lines: after each `\n` only.

    libyaml also breaks lines at U+2028, U+2029, NEL and a lone CR, so a pasted line separator
    inside a quote would shift every later line by one. Such text is rare: only then are lines
    worked out from the mark's character index.
    """

    def __init__(self, text: str) -> None:
        odd = any(c in text for c in ("\u2028", "\u2029", "\x85", "\r"))
        self.breaks = [m.start() for m in re.finditer("\n", text)] if odd else None

    def __call__(self, mark: yaml.Mark) -> int:
        if self.breaks is None:
            return mark.line + 1
        return bisect.bisect_left(self.breaks, mark.index) + 1


class _Builder:
    """Turns composed nodes into LMap/LList/scalars, refusing what a ledger must not hold."""

    def __init__(self, display: str, line_of: LineOf) -> None:
        self.display = display
        self.line_of = line_of
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.aliased = False  # an alias was met; load_yaml reports each at its own line

    def _err(self, node: yaml.Node, code: str, msg: str) -> None:
        self.problems.append(error(self.display, self.line_of(node.start_mark), code, msg))

    def build(self, node: yaml.Node, depth: int) -> Any:
        if id(node) in self.seen:
            self.aliased = True
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self._err(node, "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels.")
            return None
        if node.tag not in _ALLOWED_TAGS:
            msg = f"the tag `{node.tag}` is not accepted; remove it and write plain values."
            self._err(node, "yaml-tag", msg)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            out = LList(self.build(item, depth + 1) for item in node.value)
            out.line = self.line_of(node.start_mark)
            out.item_lines = [self.line_of(item.start_mark) for item in node.value]
            return out
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LMap:
        out = LMap()
        out.line = self.line_of(node.start_mark)
        out.key_lines, out.value_lines, out.quoted = {}, {}, set()
        for knode, vnode in node.value:
            if knode.tag == _CORE + "merge":
                self._err(
                    knode, "yaml-alias", "merge keys (`<<`) are not accepted; write keys out."
                )
                continue
            key = self.build(knode, depth + 1)
            if not isinstance(key, str):
                key = "" if key is None else str(key)
            line = self.line_of(knode.start_mark)
            if key in out.key_lines:
                first = out.key_lines[key]
                msg = f"the key `{key}` is given twice (first on line {first}); keep one."
                self._err(knode, "yaml-duplicate-key", msg)
                continue
            out.key_lines[key] = line
            out.value_lines[key] = self.line_of(vnode.start_mark)
            if isinstance(vnode, yaml.ScalarNode) and vnode.style in ("'", '"'):
                out.quoted.add(key)
            out[key] = self.build(vnode, depth + 1)
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        # a plain scalar has style "" in libyaml's nodes and None in pure-Python PyYAML's
        if node.style or _explicit_str(node):
            return text  # quoted, a block scalar, or explicitly tagged `!!str`: text as written
        if _NULL.match(text):
            return None
        if _BOOL.match(text):
            return text.lower() == "true"
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text) and any(c.isdigit() for c in text):
            return float(text)
        if _YAML11_BOOL.match(text):
            line = self.line_of(node.start_mark)
            msg = (
                f"`{text}` is read here as text, but YAML 1.1 tools read it as a true/false; "
                f"write it in quotes: '{text}'."
            )
            self.problems.append(warning(self.display, line, "yaml-bool-trap", msg))
        return text


def _explicit_str(node: yaml.ScalarNode) -> bool:
    """Whether a plain scalar carries a hand-written `!!str` (the resolver would tag it otherwise)."""
    if node.tag != _CORE + "str":
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False)) != node.tag


def is_timestamp_like(text: str) -> bool:
    return bool(_TIMESTAMP.match(text))
