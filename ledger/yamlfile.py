"""A strict, line-aware YAML reader for hand-written ledger files.

PyYAML's loaders lose data in ways a curator never sees: the last of two duplicate keys wins,
`no` becomes `False`, `2016-12-02` becomes a `date`, and tags can build Python objects. We let
the C parser *compose* the document into nodes (fast, constructs nothing) and build plain values
ourselves, so that we can:

- refuse duplicate keys, unknown tags, core tags that do not fit their value (`!!str [a]`) and
  aliases (which also stops "billion laughs" bombs),
- refuse control characters at their own line, and still read the rest of the file,
- read scalars by YAML 1.2 rules (`no` stays text, dates stay text for our own date parser),
- warn where a YAML 1.1 tool would read the same text differently,
- keep the line of every key and value, so each problem points at `file:line`.
"""

from __future__ import annotations

import bisect
import functools
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
_IMPLICIT = "implicit:"  # how `_marking` tells a resolved tag from one written in the text

# YAML 1.2 core schema (what we apply) ...
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
# ... and the YAML 1.1 readings that other tools would still apply to the same text.
_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d?-\d\d?(?:[Tt ].*)?$")
MAX_DEPTH = 64
# Characters YAML does not allow in a file (outside its printable set: C0 controls but tab and
# line breaks, DEL, C1 controls, surrogates, U+FFFE, U+FFFF), and NEL (U+0085), which YAML 1.2
# allows but libyaml reads as a line break. All are invisible in most editors.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {"\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL", "\x0c": "form feed",
                  "\x0b": "vertical tab", "\x08": "backspace", "\x07": "bell"}  # fmt: skip
_CONTROL_LINES = 20  # lines reported one by one; a file full of them gets one more problem
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


_NUL_MESSAGE = "the file holds a NUL byte; save it as plain UTF-8 text."


def decode_text(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Bytes as UTF-8 text (BOM dropped, CRLF made LF); a NUL or a non-UTF-8 byte is a problem."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [error(display, line, "file-encoding", _NUL_MESSAGE)]
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
    if has_control(text):
        text, more = control_problems(text, doc.display)
        doc.problems.extend(more)
    if "\t" in text:
        for n, line in enumerate(text.split("\n"), 1):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                msg = "a tab in the indentation; YAML indents with spaces only."
                doc.problems.append(error(doc.display, n, "yaml-tab", msg))
                return doc
    tagged = "!" in text  # no `!` (the rule for claim files): no tag was written, none to check
    try:
        node = yaml.compose(text, Loader=_marking(_Loader) if tagged else _Loader)
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
    except RecursionError:  # only PyYAML's pure-Python composer recurses; libyaml stops at 1,000
        doc.problems.append(_too_deep(text, doc.display))
        return doc
    if node is None or isinstance(node, yaml.ScalarNode) and _untagged(node.tag) == _NULL_TAG:
        doc.problems.append(error(doc.display, 1, "file-empty", "the file holds no data."))
        return doc
    builder = _Builder(doc.display, LineOf(text), tagged)
    doc.value = builder.build(node, 0)
    doc.problems.extend(builder.problems)
    if builder.aliased:
        doc.problems.extend(_alias_problems(text, doc.display))
    return doc


_ASCII_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def has_control(text: str) -> bool:
    """Whether the text holds a CONTROL character; for ASCII text (most ledgers) found by
    deleting every printable byte, several times faster than a search over all of it."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_PRINTABLE))
    return CONTROL.search(text) is not None


def control_problems(text: str, display: str) -> tuple[str, list[Problem]]:
    """One problem per line holding a control character YAML does not allow, and the text with
    each made U+FFFD, so that the rest of the file is still read: a stray ESC pasted into one
    claim must not hide every other claim of its file behind one error at line 1."""
    problems: list[Problem] = []
    line, pos, last = 1, 0, 0
    for m in CONTROL.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if line == last:
            continue
        last = line
        if len(problems) == _CONTROL_LINES:  # a binary file: say so once, not a million times
            msg = "more invisible control characters from this line on; delete them all."
            problems.append(error(display, line, "yaml-control-character", msg))
            break
        problems.append(_control_problem(m.group(), display, line))
    return CONTROL.sub("\ufffd", text), problems


def _control_problem(char: str, display: str, line: int) -> Problem:
    if char == "\x00":
        return error(display, line, "file-encoding", _NUL_MESSAGE)
    code = ord(char)
    name = _CONTROL_NAMES.get(char, "a control character" if code < 0xA0 else "a noncharacter")
    escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    msg = (
        f"an invisible character U+{code:04X} ({name}) that YAML does not allow; delete it, "
        f"or write a space or a line break instead (`{escape}` in double quotes if it is meant)."
    )
    return error(display, line, "yaml-control-character", msg)


_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)


def _too_deep(text: str, display: str) -> Problem:
    """The problem for a document too deep to compose, at the line of its first node deeper than
    MAX_DEPTH, as the builder would give it: found from parser events, which do not recurse."""
    depth, line_of = 0, LineOf(text)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if depth > MAX_DEPTH and isinstance(event, _NODE_EVENTS):
                return error(display, line_of(event.start_mark), "yaml-too-deep", _DEEP)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return error(display, 1, "yaml-too-deep", _DEEP)


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


_NULL_TAG, _STR_TAG = _CORE + "null", _CORE + "str"
_DEEP = f"nesting deeper than {MAX_DEPTH} levels."
# what each core tag written on a scalar accepts, by our YAML 1.2 reading of its text
_TAG_READS: dict[str, tuple[re.Pattern[str], Any]] = {
    _CORE + "int": (_INT, int),
    _CORE + "float": (_FLOAT, float),
    _CORE + "bool": (_BOOL, lambda text: text.lower() == "true"),
    _NULL_TAG: (_NULL, lambda text: None),
    _CORE + "timestamp": (_TIMESTAMP, str),  # dates stay text, for our own date parser
}


_COLLECTIONS = {
    yaml.MappingNode: (_CORE + "map", "a mapping"),
    yaml.SequenceNode: (_CORE + "seq", "a list"),
}
_COLLECTION_TAGS = {tag for tag, _ in _COLLECTIONS.values()}


@functools.cache
def _marking(base: type) -> type:
    """`base` with every tag it resolves itself marked as such: composed nodes keep the tag
    written in the text (`!!int`) or the resolved one (`implicit:...int`), so a core tag written
    on the wrong kind of value (`!!str [a, b]`, `!!int 4.5`) can be refused."""

    class Marking(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            return _IMPLICIT + super().resolve(kind, value, implicit)

    return Marking


def _untagged(tag: str) -> str:
    return tag.removeprefix(_IMPLICIT)


class _Builder:
    """Turns composed nodes into LMap/LList/scalars, refusing what a ledger must not hold.

    `tagged`: the nodes were composed by a `_marking` loader, so that a tag not marked implicit
    was written in the text. Otherwise the text held no `!`, and every tag is implicit."""

    def __init__(self, display: str, line_of: LineOf, tagged: bool = False) -> None:
        self.display = display
        self.line_of = line_of
        self.tagged = tagged
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
            self._err(node, "yaml-too-deep", _DEEP)
            return None
        written = self.tagged and not node.tag.startswith(_IMPLICIT)
        if written and not self._fits(node):
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            out = LList(self.build(item, depth + 1) for item in node.value)
            out.line = self.line_of(node.start_mark)
            out.item_lines = [self.line_of(item.start_mark) for item in node.value]
            return out
        if written:
            return self._tagged(node)
        return self._scalar(node)

    def _fits(self, node: yaml.Node) -> bool:
        """Whether a tag written in the text is one we accept, on the kind of node it fits."""
        if node.tag not in _ALLOWED_TAGS:
            msg = f"the tag `{node.tag}` is not accepted; remove it and write plain values."
            self._err(node, "yaml-tag", msg)
            return False
        fitting, what = _COLLECTIONS.get(type(node), (None, f"`{node.value}`"))
        if node.tag == fitting or fitting is None and node.tag not in _COLLECTION_TAGS:
            return True
        self._wrong_tag(node, what)
        return False

    def _wrong_tag(self, node: yaml.Node, what: str) -> None:
        tag = "!!" + node.tag.removeprefix(_CORE)
        msg = f"the tag `{tag}` does not fit {what}; remove the tag and write the value plainly."
        self._err(node, "yaml-tag", msg)

    def _tagged(self, node: yaml.ScalarNode) -> Any:
        """A scalar with a core tag written on it: read as that type, or a problem."""
        if node.tag == _STR_TAG:
            return node.value  # `!!str 5`: text as written, which is what the tag is for
        pattern, read = _TAG_READS[node.tag]
        if pattern.match(node.value):
            return read(node.value)
        self._wrong_tag(node, f"`{node.value}`")
        return None

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LMap:
        out = LMap()
        out.line = self.line_of(node.start_mark)
        out.key_lines, out.value_lines, out.quoted = {}, {}, set()
        for knode, vnode in node.value:
            if _untagged(knode.tag) == _CORE + "merge":
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
            value = out[key] = self.build(vnode, depth + 1)
            # a quoted number is remembered ("4" was meant as text), unless tagged `!!int "4"`
            quoted = isinstance(vnode, yaml.ScalarNode) and vnode.style in ("'", '"')
            if quoted and isinstance(value, str):
                out.quoted.add(key)
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar without a written tag, read by YAML 1.2 rules whatever PyYAML resolved."""
        text = node.value
        # a plain scalar has style "" in libyaml's nodes and None in pure-Python PyYAML's
        if node.style:
            return text  # quoted or a block scalar: text as written
        value = read_plain(text)
        if value is text and _YAML11_BOOL.match(text):
            line = self.line_of(node.start_mark)
            msg = (
                f"`{text}` is read here as text, but YAML 1.1 tools read it as a true/false; "
                f"write it in quotes: '{text}'."
            )
            self.problems.append(warning(self.display, line, "yaml-bool-trap", msg))
        return value


def read_plain(text: str) -> Any:
    """A plain (unquoted, untagged) scalar by the YAML 1.2 rules we apply: null, true/false, a
    decimal int or float, else the text itself (the very object, so a caller can tell)."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


def is_yaml11_bool(text: str) -> bool:
    """Whether a YAML 1.1 tool reads this plain text as a true/false (we keep it as text, and warn)."""
    return bool(_YAML11_BOOL.match(text))


def is_timestamp_like(text: str) -> bool:
    return bool(_TIMESTAMP.match(text))
