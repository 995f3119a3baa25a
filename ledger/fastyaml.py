"""An optional fast path for reading claim files, through the Rust parser `yaml-rs`.

PyYAML composes 100,000 claims in about 15 s; yaml-rs parses them in about 1 s. But yaml-rs
keeps no line numbers, silently drops tags, follows YAML 1.2 where we also warn about YAML 1.1
readings, reads a few forms (`0x1F`, `.inf`, `1_000`, timestamps) differently from our strict
builder, and overflows its stack on block nesting some thousands deep. So:

1. a cheap scan of the text rules out what yaml-rs must not see (tags, aliases, control
   characters, deep or compact nesting, several documents);
2. yaml-rs parses the rest (anything it refuses goes to the strict reader, which explains it);
3. one pass over the lines, beside the parsed value, gives every key, value and item the line
   the strict reader would give it, and checks that each scalar as written reads the same by
   the strict reader's rules. Anything it cannot place or check exactly (multi-line quotes,
   nested flow collections, `- ` alone on a line, ...) sends the file to the strict reader.

So whenever `parse` answers, its value is the strict reader's value, lines included, and the
strict reader would have found no problem in the YAML itself.
"""

from __future__ import annotations

import os
import re
from datetime import date
from typing import Any

from .yamlfile import LList, LMap, has_control, is_yaml11_bool, read_plain

try:
    import yaml_rs
except ImportError:  # the `fast` extra is not installed: the strict reader does everything
    yaml_rs = None

# What the fast parser must not see, found by substring searches and regular expressions that
# start with a literal character (those run at C speed over the whole text; a Python loop over
# its characters, or a pattern starting with a class of characters, costs as much as parsing).
# (looked for once a leading BOM is dropped and CRLF made LF)
_NEVER = ("\t", "\r", "<<", "\x85", "\u2028", "\u2029", "\ufeff")
_AFTER_TAG_OR_ALIAS = frozenset(" \n,]}")  # `&`/`*` followed by these is plain text ("5 t & more")
# Block nesting needs indentation, or indicators one after another on a line (`- - x`, `? - x`,
# `: : x`): with neither, a document cannot nest much deeper than MAX_INDENT levels, far from
# where yaml-rs overflows its stack (some thousands deep, crashing the process) and from
# MAX_DEPTH. Flow nesting needs no scan: yaml-rs refuses it past 256 levels, `_Lines` at 2.
MAX_INDENT = 40
_COMPACT = (
    re.compile(r"- +[-?:](?: |$)", re.MULTILINE),
    re.compile(r": +[-?:](?: |$)", re.MULTILINE),
)
_QUESTION = re.compile(r"\?(?: |$)", re.MULTILINE)  # an explicit key, first on its line
_MAX_DEPTH = 16  # deeper values are never a claim file's: the strict reader explains them


def available() -> bool:
    """Whether the fast path is on: yaml-rs installed, and not turned off with the environment
    variable `AID_LEDGER_PARSER=pyyaml` (the tests run both ways)."""
    return yaml_rs is not None and os.environ.get("AID_LEDGER_PARSER", "") != "pyyaml"


def ruled_out(text: str) -> bool:
    """Whether the text may hold what yaml-rs reads unlike the strict reader, or cannot survive:
    a tag or alias, a control character, several documents, deep or compact nesting."""
    if any(s in text for s in _NEVER) or " " * MAX_INDENT in text:
        return True
    if has_control(text):
        return True
    if any(r.search(text) for r in _COMPACT) or _explicit_key(text):
        return True
    return _tag_or_alias(text) or _document_mark(text)


def _explicit_key(text: str) -> bool:
    """A `? ` first on its line (after `- ` or `: `, the compact patterns find it)."""
    for m in _QUESTION.finditer(text):
        if not text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip(" "):
            return True
    return False


def _tag_or_alias(text: str) -> bool:
    """A `!` (any tag), `&name` or `*name` where a YAML token may start."""
    for mark in "!&*":
        at = text.find(mark)
        while at >= 0:
            token = at == 0 or text[at - 1] in " \n[{,"
            if token and (mark == "!" or text[at + 1 : at + 2] not in _AFTER_TAG_OR_ALIAS):
                return True
            at = text.find(mark, at + 1)
    return False


def _document_mark(text: str) -> bool:
    """A `---` or `...` line: a second document, or directives before the first."""
    lines = "\n" + text
    for mark in ("\n---", "\n..."):
        at = lines.find(mark)
        while at >= 0:
            if lines[at + 4 : at + 5] in ("", " ", "\n"):
                return True
            at = lines.find(mark, at + 1)
    return False


def parse(text: str) -> Any | None:
    """The document as LMap/LList values with the strict reader's lines, or None: then the
    strict reader must read it (it may have problems, or we could not be sure of the lines).
    Never raises: this is only a faster way to the strict reader's answer."""
    try:
        return read(text)
    except Exception:  # a case `read` did not foresee (a bug): the strict reader decides
        return None


def read(text: str) -> Any | None:
    """`parse`, but raising on what it did not foresee (the tests call this one)."""
    if not available():
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if ruled_out(text):
        return None
    try:
        value = yaml_rs.loads(text)
    except Exception:  # any refusal (duplicate key, syntax): the strict reader explains it
        return None
    if value is None or not isinstance(value, (dict, list)):
        return None  # an empty file or a lone scalar: the strict reader says what is wrong
    try:
        return _Lines(text).document(value)
    except (_Unsafe, RecursionError):
        return None


class _Unsafe(Exception):
    """The text and the parsed value could not be matched exactly: use the strict reader."""


_QUOTED = {'"': re.compile(r'"[^"\\]*"'), "'": re.compile(r"'(?:[^']|'')*'")}
_NOT_IN_FLOW = re.compile(r"[\[\]{}#]")  # nested, or maybe a comment: not checked here
_FLOW_ITEM = re.compile(r"""(?:"[^"\\]*"|'(?:[^']|'')*'|[^,"'])+""")  # commas outside quotes
_BLOCK_HEADERS = frozenset({">-", ">", "|-", "|"})  # no keep (`+`), no indentation indicator
# plain texts the strict reader might read as something else than text (null, bool, number)
# (words: `null`, `true`, `False`, `yes`, `off`..., all at most 5 letters long)
_NUMBER_START, _WORD_START = frozenset("0123456789+-.~"), frozenset("nNtTfFyYoO")
# what a plain scalar cannot start with (or, for `?` and `:`, yaml-rs and PyYAML read apart)
_INDICATOR_START = frozenset(",[]{}#&*!|>'\"%@`?:")
_SLOW_START = _NUMBER_START | _WORD_START | _INDICATOR_START | {""}  # such text: checked in full
_NUMBER_CHARS = "0123456789+-.eE~"
_NO_VALUE = ("", " ", "#")  # after `key: `: no value on the line, or spaces before it


class _Lines:
    """The text's lines, walked once beside the parsed value.

    Each method takes the parsed value of a node and where it is written (line index `i`,
    column `col`), checks that the text there says the same, and returns the value with its
    lines (1-based, as the strict reader gives them) and the index of the line after it.
    `owner` is the indentation of the key or `- ` the node belongs to: its continuation lines
    are indented further. The common forms (`key: text` on one line) take a short path: this
    runs once per key of 100,000 claims.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.n = len(self.lines)
        self.lines.append("")  # past the end: `lines[n]` matches no key and no item
        # keys found to read alike as plain text, by indentation: key -> how its line starts
        self.starts: dict[int, dict[str, str]] = {}

    def document(self, value: Any) -> Any:
        i = self.next(0)
        if i == self.n:
            raise _Unsafe
        out, i = self.node(value, i, _indent(self.lines[i]), -1, 0, False)
        if self.next(i) != self.n:  # text the value does not account for
            raise _Unsafe
        return out

    def next(self, i: int) -> int:
        """The first line from `i` on that holds more than spaces or a comment."""
        lines, n = self.lines, self.n
        while i < n:
            s = lines[i].lstrip(" ")
            if s and s[0] != "#":
                return i
            i += 1
        return i

    def node(self, value: Any, i: int, col: int, owner: int, depth: int, inline: bool) -> Any:
        """`inline`: the node starts on the line of its key, after `key: ` (where only a scalar
        or a flow collection can)."""
        if depth > _MAX_DEPTH:
            raise _Unsafe
        first = self.lines[i][col]
        kind = type(value)
        if kind is dict or kind is list:
            if first in "[{":
                return self.flow(value, i, col), i + 1
            if inline or col != _indent(self.lines[i]):
                raise _Unsafe
            if kind is dict:
                return self.block_map(value, i, col, depth)
            return self.block_seq(value, i, col, depth)
        if first in "\"'":
            return self.quoted(value, i, col), i + 1
        if first in "|>":
            return self.block_scalar(value, i, col, owner)
        return self.plain(value, i, col, owner)

    def block_map(self, value: dict, i: int, col: int, depth: int) -> tuple[LMap, int]:
        """A block mapping whose first key is at line `i`, column `col` (maybe after `- `).

        This runs for each key of each claim, so the way claims are written takes a short
        path: a key already checked, then `: ` and plain text, a date or a flat list, found by
        comparing the whole line with what it must be. Anything else goes through `entry`."""
        lines = self.lines
        starts = self.starts.get(col)  # key -> `   key: ` at this indentation
        if starts is None:
            starts = self.starts[col] = {}
        out = LMap(value)  # values that read differently are replaced below
        out.line, out.quoted = i + 1, set()
        key_lines: dict[str, int] = {}
        moved: dict[str, int] = {}  # values that start below their key
        head = lines[i][:col]  # how the first key's line starts (maybe `- `)
        for key, v in value.items():
            start = starts.get(key)
            if head is not None and start is not None:
                start = head + start[col:]
            line = lines[i]
            if start is not None:
                kind = type(v)
                if kind is str:
                    if line == start + v and (v[:1] not in _SLOW_START or _is_text(v)):
                        key_lines[key] = i + 1  # `key: text`: the value is already in `out`
                        i += 1
                        head = None
                        continue
                elif kind is date:
                    text = v.isoformat()
                    if line == start + text:
                        out[key] = text  # the strict reader keeps dates as text
                        key_lines[key] = i + 1
                        i += 1
                        head = None
                        continue
                elif kind is list and line == start + _flat(v) and _all_text(v):
                    out[key] = items = LList(v)  # `key: [a, b]`
                    items.line, items.item_lines = i + 1, [i + 1] * len(v)
                    key_lines[key] = i + 1
                    i += 1
                    head = None
                    continue
                at = len(start)
                if line.startswith(start) and line[at : at + 1] not in _NO_VALUE:
                    key_lines[key] = i + 1  # `key: ` and a value of another form
                    out[key], i = self.node(v, i, at, col, depth + 1, True)
                    if line[at] in "\"'":
                        out.quoted.add(key)
                    head = None
                    continue
            i = self.entry(out, key, v, i, col, head is None, depth, key_lines, moved)
            head = None
        j = self.next(i)
        if j < self.n and _indent(lines[j]) >= col:
            raise _Unsafe  # a line at this indentation that is no key of the parsed mapping
        out.key_lines = key_lines
        out.value_lines = {**key_lines, **moved} if moved else key_lines
        return out, i

    def entry(
        self,
        out: LMap,
        key: Any,
        v: Any,
        i: int,
        col: int,
        later: bool,
        depth: int,
        key_lines: dict[str, int],
        moved: dict[str, int],
    ) -> int:
        """One key of a block mapping and its value, in any form we check; returns the index of
        the line after them. `later`: not the first key (which is at line `i`, maybe after
        `- `); `moved`: gets the line of a value that starts below its key."""
        lines, n = self.lines, self.n
        if type(key) is not str:
            raise _Unsafe  # the strict reader makes `1:` the text "1"; not checked here
        line = lines[i]
        if later and not (line.startswith(" " * col) and line.startswith(key, col)):
            i = self.next(i)  # blank lines or comments first, or not this key at all
            if i == n or _indent(lines[i]) != col:
                raise _Unsafe
            line = lines[i]
        end = col + len(key)
        if not line.startswith(key, col) or line[end : end + 1] != ":":
            raise _Unsafe
        starts = self.starts[col]
        if key not in starts:
            _plain_text(key, key)
            starts[key] = " " * col + key + ": "
        key_lines[key] = i + 1
        rest = line[end + 1 :]
        s = rest.lstrip(" ")
        if s and s[0] != "#":
            if rest[0] != " ":
                raise _Unsafe
            out[key], after = self.node(v, i, len(line) - len(s), col, depth + 1, True)
            if s[0] in "\"'":
                out.quoted.add(key)
            return after
        j = self.next(i + 1)  # `key:` alone: the value is on the lines below, or empty
        at = _indent(lines[j]) if j < n else -1
        if at > col or at == col and type(v) is list and lines[j].startswith("- ", col):
            moved[key] = j + 1
            out[key], after = self.node(v, j, at, col, depth + 1, False)
            if lines[j][at] in "\"'":
                out.quoted.add(key)
            return after
        if v is not None:
            raise _Unsafe
        return i + 1

    def block_seq(self, value: list, i: int, col: int, depth: int) -> tuple[LList, int]:
        """A block sequence whose first `- ` is at line `i`, column `col`."""
        lines, n, dash = self.lines, self.n, " " * col + "- "
        out = LList()
        out.line = i + 1
        item_lines: list[int] = []
        for v in value:
            line = lines[i]
            if not line.startswith(dash):
                i = self.next(i)  # blank lines or comments between items
                if i == n or not lines[i].startswith(dash):
                    raise _Unsafe
                line = lines[i]
            s = line[col + 2 :].lstrip(" ")
            if not s or s[0] == "#":
                raise _Unsafe  # `-` alone: the item starts on a later line
            at = len(line) - len(s)
            item_lines.append(i + 1)
            if type(v) is dict and s[0] != "{":
                item, i = self.block_map(v, i, at, depth + 1)  # `- key: value`
            else:
                item, i = self.node(v, i, at, col, depth + 1, True)
            out.append(item)
        j = self.next(i)
        if j < n and (_indent(lines[j]) > col or lines[j].startswith(dash.rstrip(" "))):
            raise _Unsafe  # more items than the parsed list holds
        out.item_lines = item_lines
        return out, i

    def flow(self, value: dict | list, i: int, col: int) -> LMap | LList:
        """A flow collection on one line, holding scalars only (nested ones are ruled out
        before parsing): every part of it is on line `i`."""
        s = self.lines[i][col:].rstrip(" ")
        closer = "]" if s[0] == "[" else "}"
        inner = s[1:-1]
        if s[-1] != closer or _NOT_IN_FLOW.search(inner):
            raise _Unsafe
        if "'" in inner or '"' in inner:
            parts = [m.group() for m in _FLOW_ITEM.finditer(inner)]
            if ",".join(parts) != inner:
                raise _Unsafe  # a stray quote
        else:
            parts = inner.split(",")
        parts = [p.strip(" ") for p in parts]
        if parts == [""]:
            parts = []  # `[]`
        if len(parts) != len(value) or "" in parts:
            raise _Unsafe  # an empty item, a trailing comma
        line = i + 1
        if type(value) is list:
            if closer != "]":
                raise _Unsafe
            items = LList()
            for p, v in zip(parts, value, strict=True):
                items.append(
                    v if type(v) is str and v == p and _is_text(p) else _flow_scalar(p, v)[0]
                )
            items.line, items.item_lines = line, [line] * len(items)
            return items
        if closer != "}":
            raise _Unsafe
        out = LMap()
        out.quoted = set()
        for part, (key, v) in zip(parts, value.items(), strict=True):
            written, colon, rest = part.partition(":")
            if not colon or rest[:1] not in ("", " ") or type(key) is not str:
                raise _Unsafe
            _plain_text(written.rstrip(" "), key)
            out[key], quoted = _flow_scalar(rest.strip(" "), v)
            if quoted:
                out.quoted.add(key)
        out.line = line
        out.key_lines = out.value_lines = dict.fromkeys(out, line)
        return out

    def quoted(self, value: Any, i: int, col: int) -> str:
        """A quoted scalar that ends on its line (without escapes: their reading is not
        checked here), equal to what yaml-rs read."""
        s = self.lines[i][col:]
        m = _QUOTED[s[0]].match(s)
        if m is None:
            raise _Unsafe
        _after_value(s[m.end() :])
        return _quoted_text(m.group(), value)

    def block_scalar(self, value: Any, i: int, col: int, owner: int) -> tuple[str, int]:
        """`|` or `>` (optionally `-`) with its lines all at one indentation, folded here and
        compared with what yaml-rs read."""
        lines = self.lines
        header = lines[i][col:]
        if header not in _BLOCK_HEADERS:
            header, _, comment = header.partition(" ")
            if header not in _BLOCK_HEADERS:
                raise _Unsafe  # keep (`+`) or an indentation indicator: not checked here
            _after_value(" " + comment)
        if type(value) is not str:
            raise _Unsafe
        i += 1
        indent = _indent(lines[i])
        pad, texts = " " * indent, []
        while lines[i].startswith(pad) and lines[i][indent : indent + 1] not in ("", " "):
            texts.append(lines[i][indent:])
            i += 1
        # what follows must be less indented (more-indented lines, blank lines within, fold
        # by rules not checked here): the caller's next key or item makes sure of it
        if indent <= owner or not texts:
            raise _Unsafe
        text = (" " if header[0] == ">" else "\n").join(texts)
        if not header.endswith("-"):
            if i == self.n:
                raise _Unsafe  # no line break at the end of the text: PyYAML keeps none
            text += "\n"
        if value != text:
            raise _Unsafe
        return value, i

    def plain(self, value: Any, i: int, col: int, owner: int) -> tuple[Any, int]:
        """A plain scalar, on its line or folded over the lines below it."""
        s = self.lines[i][col:]
        text = _plain_part(s)
        cut = len(text) < len(s.rstrip(" "))
        if type(value) is not str or value == text:
            return _plain_text(text, value), i + 1
        if cut:
            raise _Unsafe  # a comment ends the scalar on its first line
        body, after = self.continuation(i, owner)
        folded, last = [text], i
        for j, line in body:
            part = line.strip(" ")
            if part.startswith("#") or " #" in part:
                raise _Unsafe
            folded.append("\n" * (j - last - 1) or " ")
            folded.append(part)
            last = j
        return _plain_text("".join(folded), value), last + 1

    def continuation(self, i: int, owner: int) -> tuple[list[tuple[int, str]], int]:
        """The non-blank lines after line `i` indented past `owner`, with their indexes (blank
        lines among them show as gaps), and the index of the line after the last of them."""
        lines, body, j = self.lines, [], i + 1
        last = i
        while j < self.n:
            line = lines[j]
            if line.strip(" "):
                if _indent(line) <= owner:
                    break
                body.append((j, line))
                last = j
            j += 1
        return body, last + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_text(value: str) -> bool:
    """Whether a plain scalar yaml-rs read as this text is plain text to the strict reader
    too, told at a glance (False: it may not be, check it in full)."""
    c = value[:1]
    if c not in _SLOW_START:
        return True
    if not c:
        return False  # "": the strict reader reads an empty plain scalar as null
    if c in _WORD_START:
        return len(value) > 5  # `null`, `True`, `off`...: no longer
    return c in _NUMBER_START and value.strip(_NUMBER_CHARS) != ""  # `8,660 kits`, a period


def _flat(items: list) -> str:
    """A list written as a flat flow sequence of plain texts, the way claims write `places`."""
    try:
        return "[" + ", ".join(items) + "]"
    except TypeError:  # not all text: `entry` checks it item by item
        return "\n"  # which no line holds


def _all_text(items: list) -> bool:
    return all(v[:1] not in _SLOW_START or _is_text(v) for v in items)


def _plain_part(s: str) -> str:
    """A plain scalar's text on its line: up to a comment (` #`), trailing spaces dropped."""
    cut = s.find(" #")
    return (s if cut < 0 else s[:cut]).rstrip(" ")


def _after_value(rest: str) -> None:
    """What may follow a scalar on its line: nothing, or a comment after a space."""
    if rest.strip(" ") and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
        raise _Unsafe


def _quoted_text(written: str, value: Any) -> str:
    """A quoted scalar, quotes included, which yaml-rs read as `value`: _Unsafe unless alike."""
    text = written[1:-1]
    if type(value) is not str or value != (text.replace("''", "'") if written[0] == "'" else text):
        raise _Unsafe
    return value


def _flow_scalar(written: str, value: Any) -> tuple[Any, bool]:
    """A scalar in a flow collection as the strict reader reads it, and whether it was quoted."""
    if written[:1] in ("'", '"'):
        if not _QUOTED[written[0]].fullmatch(written):
            raise _Unsafe
        return _quoted_text(written, value), True
    return _plain_text(written, value), False


def _plain_text(text: str, value: Any) -> Any:
    """The strict reader's value for the plain scalar `text`, which yaml-rs read as `value`:
    _Unsafe unless both read it alike (and the strict reader would not warn about it)."""
    if text[:1] in _INDICATOR_START or not text and value is not None:
        raise _Unsafe  # not plain text at all, or read apart (`?x` in a flow list)
    kind = type(value)
    if kind is str:
        if value != text:
            raise _Unsafe
        start = text[:1]
        maybe_typed = start in _NUMBER_START or start in _WORD_START and not text[5:] or not text
        if maybe_typed and (read_plain(text) is not text or is_yaml11_bool(text)):
            raise _Unsafe  # `null`, `4` read as text by yaml-rs, or `no` (strict warns)
        return value
    if kind is date:  # the strict reader keeps dates as text, for our own date parser
        if value.isoformat() != text:
            raise _Unsafe  # `2016-12-2`
        return text
    if kind in (int, float, bool) or value is None:
        strict = read_plain(text)
        if type(strict) is not kind or strict != value:
            raise _Unsafe  # `0x1F`, `1_000`, `.inf`: numbers to yaml-rs, text to us
        return strict
    raise _Unsafe  # a datetime, or anything else we do not know
