"""Edit and remove one claim, touching nothing else a person wrote (`show` is show.py).

A claim's **block** is its own lines in its claim file: from its `- id: ...` item down to its
last line (trailing blank lines and comments indented no deeper than its keys are left out:
they stand between claims), plus the comment lines directly above the item, at the item's
own indentation, with no blank line between (a note about that claim). `show` prints the block,
`edit` hands it to an editor and `remove` takes it out, comments above it included.

Every write works like `add` (ledger/add.py, whose helpers it reuses): the files are locked,
the ledger is loaded with the new texts in place of the old (`load(..., overrides=...)`),
nothing is written when that brings a new error or changes any other claim, the writes are
atomic, and the files are read back afterwards; a failure puts every old file back.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .add import (
    AddRefused,
    current_text,
    new_problems,
    restore,
    same_claims,
)
from .atomic import locked, write_text_atomic
from .claim import Claim
from .loader import Ledger, load
from .paths import display_path, find_root
from .problems import Problem, Suggester, error, has_errors
from .yamltext import flow_item

LINK_KEYS = ("sum_of", "count_of", "same_as")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CurateRefused(AddRefused):
    """The change cannot be made safely; the message says why. Nothing was written."""


class UnknownClaim(CurateRefused):
    """No claim has this id (the message says which ids come close)."""


# --- where a claim is written ------------------------------------------------------------------


@dataclass
class Block:
    """A claim's block in its file: lines `start` (its comments) to `end` (exclusive), its
    item (`- id:`) on line `item`, all 0-based, and the dash's indentation."""

    claim_id: str
    path: Path
    display: str
    text: str  # the whole file, as read
    start: int
    item: int
    end: int
    indent: int

    @property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    @property
    def block(self) -> str:
        """The block as written in the file (indented as there)."""
        return "".join(self.lines[self.start : self.end])

    @property
    def line(self) -> int:
        """The 1-based line of the item (`- id:`), as `check` gives it."""
        return self.item + 1

    @property
    def span(self) -> tuple[int, int]:
        """The 1-based first and last line of the block."""
        return self.start + 1, self.end

    def dedented(self) -> str:
        """The block moved to column 0: what an editor shows."""
        return dedent(self.block, self.indent)

    def replaced(self, block: str) -> str:
        """The file's text with this block replaced by `block` (already indented)."""
        lines = self.lines
        return "".join(lines[: self.start]) + block + "".join(lines[self.end :])


def split_lines(text: str) -> list[str]:
    """Lines with their `\\n` (YAML's line breaks only, unlike `str.splitlines`)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def dedent(block: str, indent: int) -> str:
    """Each line less `indent` leading spaces (fewer where it has fewer)."""
    out = []
    for line in split_lines(block):
        spaces = len(line) - len(line.lstrip(" "))
        out.append(line[min(spaces, indent) :])
    return "".join(out)


def indent_block(block: str, indent: int) -> str:
    """Each line that is not blank moved right by `indent` spaces (YAML reads it the same)."""
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in split_lines(block))


def find_claim(book: Ledger, claim_id: str) -> Claim:
    """The claim with this id; UnknownClaim (with the closest ids) when there is none, and
    CurateRefused when the id is used twice (which one would be meant?)."""
    claim = book.by_id.get(claim_id)
    if claim is None:
        hint = Suggester(list(book.by_id)).did_you_mean(claim_id) if book.by_id else ""
        raise UnknownClaim(f"no claim has the id `{claim_id}`.{hint}")
    twice = [c for c in book.entries if c.id == claim_id]
    if len(twice) > 1:
        where = ", ".join(c.location for c in twice)
        raise CurateRefused(
            f"the id `{claim_id}` is used {len(twice)} times ({where}); make it unique first."
        )
    return claim


def claim_path(claim: Claim) -> Path:
    """The claim file on disk (claims name their file as the user would type it)."""
    return Path(claim.file).resolve()


def find_block(book: Ledger, claim_id: str) -> Block:
    """Where the claim `claim_id` is written, read from its file as it is now."""
    claim = find_claim(book, claim_id)
    path = claim_path(claim)
    display = display_path(path)
    text = current_text(path, display)
    if text is None:
        raise CurateRefused(f"{display} no longer exists; run the command again.")
    start, item, end, indent = block_lines(text, claim_id, display)
    return Block(claim_id, path, display, text, start, item, end, indent)


def _items(text: str, display: str) -> list[yaml.Node]:
    """The claim items of a claim file (YAML nodes, with their positions)."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise CurateRefused(f"{display} does not parse as YAML ({exc}); fix it first.") from None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "claims" and isinstance(value, yaml.SequenceNode):
                if value.flow_style:
                    break
                return list(value.value)
    raise CurateRefused(f"`claims:` in {display} is not a block list (`- id: ...` lines).")


def _item_of(items: list[yaml.Node], claim_id: str, display: str) -> tuple[int, yaml.MappingNode]:
    for n, node in enumerate(items):
        if isinstance(node, yaml.MappingNode) and _scalar(node, "id") == claim_id:
            return n, node
    raise CurateRefused(f"cannot find `id: {claim_id}` in {display}; run the command again.")


def _scalar(node: yaml.MappingNode, key: str) -> str | None:
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.ScalarNode):
            return v.value
    return None


def block_lines(text: str, claim_id: str, display: str) -> tuple[int, int, int, int]:
    """`(start, item, end, indent)` of the claim's block (see `Block`)."""
    items = _items(text, display)
    n, node = _item_of(items, claim_id, display)
    lines = split_lines(text)
    item = node.start_mark.line
    dash = lines[item] if item < len(lines) else ""
    indent = len(dash) - len(dash.lstrip(" "))
    if node.flow_style or not dash.lstrip(" ").startswith("- "):
        raise CurateRefused(
            f"the claim `{claim_id}` ({display}:{item + 1}) is not written as a `- id: ...` "
            "block; rewrite it that way first."
        )
    keys = node.start_mark.column  # where its keys stand: deeper lines may be text
    end = items[n + 1].start_mark.line if n + 1 < len(items) else len(lines)
    while end > item + 1 and _between(lines[end - 1], keys):
        end -= 1
    start = item
    while start > 0 and _own_comment(lines[start - 1], indent):
        start -= 1
    return start, item, end, indent


def _between(line: str, keys: int) -> bool:
    """A blank line, or a comment no deeper than the keys (so not text of a block scalar)."""
    body = line.lstrip(" ")
    return not body.strip() or (body.startswith("#") and len(line) - len(body) <= keys)


def _own_comment(line: str, indent: int) -> bool:
    body = line.lstrip(" ")
    return body.startswith("#") and len(line) - len(body) == indent


# --- edit ---------------------------------------------------------------------------------------


@dataclass
class EditResult:
    claim_id: str  # the claim's id after the edit
    file: str
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    unchanged: bool = False


def editable(ledger_path: str | Path, claim_id: str) -> Block:
    """The claim's block, for an editor (`Block.dedented()`)."""
    return find_block(load(find_root(ledger_path), write_cache=False), claim_id)


def edit_claim(
    ledger_path: str | Path, claim_id: str, new_block: str, dry_run: bool = False
) -> EditResult:
    """Replace the claim's block by `new_block` (written from column 0, as `editable` gives
    it; a bare mapping without `- ` is taken as the item), checked against the whole ledger.

    Nothing is written when the block is unchanged, when it has an error or brings one
    elsewhere (`problems`), or when it would change any other claim. Raises CurateRefused when
    the file cannot be edited safely."""
    root = find_root(ledger_path)
    path = claim_path(find_claim(load(root, write_cache=False), claim_id))
    with locked(path):
        before = load(root, write_cache=False)
        block = find_block(before, claim_id)
        if block.path != path:
            raise CurateRefused(f"`{claim_id}` moved to {block.display} meanwhile; run it again.")
        return _edit_locked(root, before, block, _as_item(new_block), dry_run)


def _edit_locked(root: Path, before: Ledger, block: Block, new: str, dry_run: bool) -> EditResult:
    old = _tidy(block.dedented())
    result = EditResult(block.claim_id, block.display)
    if new == old:
        result.unchanged = True
        return result
    new_text = block.replaced(indent_block(new, block.indent))
    first = block.start + 1
    span = (first, first + new.count("\n") - 1)
    new_id, shape = _one_claim(new, block.display, span[0])
    result.claim_id = new_id or block.claim_id
    after = load(root, {block.path: new_text}, write_cache=False)
    ids = {block.claim_id, result.claim_id}
    problems = shape + new_problems(
        before.problems, after.problems, block.display, [span], [result.claim_id], after
    )
    kept = same_claims(before, after, ids) and len(after.entries) == len(before.entries)
    if not kept and not has_errors(problems):  # an error already says why they do
        msg = "the new block would change other claims of the file; give exactly one claim."
        problems.append(error(block.display, span[0], "edit-not-one-claim", msg))
    result.problems = problems
    if has_errors(problems) or dry_run:
        return result
    write_all(root, {block.path: new_text}, after)
    result.written = True
    return result


def _tidy(text: str) -> str:
    """No blank lines at either end, one line break at the end (spaces inside lines are kept:
    in a block scalar they are text)."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"


def _as_item(text: str) -> str:
    """The edited text as a list item: a mapping written without `- ` becomes one."""
    text = _tidy(text.replace("\r\n", "\n"))
    content = [
        line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")
    ]
    if not content or content[0].startswith("- ") or content[0] == "-":
        return text
    lines = split_lines(indent_block(text, 2))
    for n, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#"):
            lines[n] = "- " + line[2:]
            break
    return "".join(lines)


def _one_claim(text: str, display: str, line: int) -> tuple[str | None, list[Problem]]:
    """The new block's id, and a problem unless it is one claim (a list of one mapping). A
    block that does not parse is left to the ledger's own reading, which says where."""
    try:
        value = yaml.load(text, Loader=_LOADER)  # noqa: S506 (the C safe loader)
    except yaml.YAMLError:
        return None, []
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        cid = value[0].get("id")
        return (str(cid) if cid is not None else None), []
    msg = "the block must hold exactly one claim (`- id: ...` and its keys)."
    return None, [error(display, line, "edit-not-one-claim", msg)]


# --- remove -------------------------------------------------------------------------------------


@dataclass
class RemoveResult:
    claim_id: str
    file: str
    removed: str  # the block taken out, as it was written
    unlinked: list[tuple[str, str, str]] = field(default_factory=list)  # (claim, key, file)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False


def referrers(book: Ledger, claim_id: str) -> list[tuple[Claim, str]]:
    """Claims naming `claim_id` in `sum_of`, `count_of` or `same_as`, with the key."""
    out = []
    for c in book.entries:
        if c.id == claim_id:
            continue
        for key in LINK_KEYS:
            refs = getattr(c, key)
            if refs is not None and (refs == claim_id if key == "same_as" else claim_id in refs):
                out.append((c, key))
    return out


def remove_claim(
    ledger_path: str | Path, claim_id: str, unlink: bool = False, dry_run: bool = False
) -> RemoveResult:
    """Remove the claim's block (its comments above it included). Refused (CurateRefused)
    while other claims name it, unless `unlink`: the id is then taken out of their lists in
    their files (a list left empty, and `same_as`, go whole), every file checked together
    and written all or nothing."""
    root = find_root(ledger_path)
    first = load(root, write_cache=False)
    claim = find_claim(first, claim_id)
    paths = {claim_path(claim)} | {claim_path(c) for c, _ in referrers(first, claim_id)}
    with contextlib.ExitStack() as stack:
        for path in sorted(paths):
            stack.enter_context(locked(path))
        before = load(root, write_cache=False)
        named = referrers(before, claim_id)
        if named and not unlink:
            raise CurateRefused(_named_message(claim_id, named))
        if {claim_path(c) for c, _ in named} - paths:
            raise CurateRefused("the ledger changed while removing; run the command again.")
        return _remove_locked(root, before, claim_id, named, dry_run)


def _named_message(claim_id: str, named: list[tuple[Claim, str]]) -> str:
    shown = [f"{c.id} (`{key}`, {c.file}:{c.at(key)[1]})" for c, key in named[:10]]
    more = f" and {len(named) - 10} more" if len(named) > 10 else ""
    return (
        f"`{claim_id}` is named by {', '.join(shown)}{more}; take it out of those lists first, "
        "or remove with `--unlink` to do that too."
    )


def _remove_locked(
    root: Path, before: Ledger, claim_id: str, named: list[tuple[Claim, str]], dry_run: bool
) -> RemoveResult:
    block = find_block(before, claim_id)
    edits: dict[Path, list[tuple[int, int, str]]] = {block.path: [_cut(block)]}
    texts = {block.path: block.text}
    for c, key in named:
        path = claim_path(c)
        if path not in texts:
            texts[path] = current_text(path, display_path(path)) or ""
        edits.setdefault(path, []).append(_unlink_edit(texts[path], c.id, key, claim_id, c.file))
    new_texts = {p: _apply(texts[p], e) for p, e in edits.items()}
    after = load(root, new_texts, write_cache=False)
    result = RemoveResult(claim_id, block.display, block.block)
    result.unlinked = [(c.id, key, c.file) for c, key in named]
    result.problems = fresh_problems(before.problems, after.problems)
    unlinked = {c.id for c, _ in named}
    if not has_errors(result.problems) and not _removed_only(before, after, claim_id, unlinked):
        msg = "removing it would change other claims; nothing was written. Edit the files by hand."
        result.problems.append(error(block.display, block.line, "remove-changes-others", msg))
    if has_errors(result.problems) or dry_run:
        return result
    write_all(root, new_texts, after)
    result.written = True
    return result


def _cut(block: Block) -> tuple[int, int, str]:
    """The character span of the block to delete, with one blank line that spaced it."""
    lines = block.lines
    start, end = block.start, block.end
    blank_before = start > 0 and not lines[start - 1].strip()
    if end < len(lines) and not lines[end].strip():
        end += 1  # the blank line after it, so two blank lines never meet
    elif end >= len(lines) and blank_before:
        start -= 1  # the last claim: the blank line above it goes with it
    offset = sum(len(line) for line in lines[:start])
    return offset, offset + sum(len(line) for line in lines[start:end]), ""


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for a, b, new in sorted(edits, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def _unlink_edit(text: str, cid: str, key: str, gone: str, display: str) -> tuple[int, int, str]:
    """The edit that takes `gone` out of claim `cid`'s `key`: the list rewritten in place as
    a flow list (`[a, b]`), or the key's lines removed when nothing is left."""
    _, node = _item_of(_items(text, display), cid, display)
    for k, v in node.value:
        if k.value != key:
            continue
        if node.flow_style or k.start_mark.line == node.start_mark.line:
            raise CurateRefused(
                f"`{key}` of `{cid}` ({display}:{k.start_mark.line + 1}) cannot be edited in "
                f"place (it starts the claim's item); take `{gone}` out of it by hand."
            )
        kept = _without(v, gone)
        last = v.value[-1] if isinstance(v, yaml.SequenceNode) and v.value else v
        if not kept:
            return _line_start(text, k.start_mark.index), _line_end(text, last.end_mark.index), ""
        flow = _flow(kept)
        if isinstance(v, yaml.SequenceNode) and v.flow_style:
            return v.start_mark.index, v.end_mark.index, flow
        colon = text.index(":", k.end_mark.index) + 1
        return colon, last.end_mark.index, " " + flow
    raise CurateRefused(f"cannot find `{key}` of `{cid}` in {display}; run the command again.")


def _without(node: yaml.Node, gone: str) -> list[Any]:
    """The node's ids without `gone` (groups of `count_of` kept, emptied ones dropped)."""
    if isinstance(node, yaml.ScalarNode):
        return [] if node.value == gone else [node.value]
    out: list[Any] = []
    for item in node.value:
        if isinstance(item, yaml.SequenceNode):
            group = [i.value for i in item.value if getattr(i, "value", None) != gone]
            if group:
                out.append(group)
        elif item.value != gone:
            out.append(item.value)
    return out


def _flow(values: list[Any]) -> str:
    return (
        "["
        + ", ".join(_flow(v) if isinstance(v, list) else flow_item(str(v)) for v in values)
        + "]"
    )


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _removed_only(before: Ledger, after: Ledger, gone: str, unlinked: set[str]) -> bool:
    """Whether the only change is `gone` removed and `gone` taken out of `unlinked`'s links."""
    if gone in after.by_id or len(after.entries) != len(before.entries) - 1:
        return False
    olds = {c.id: c for c in before.entries if c.id in unlinked}
    for cid, old in olds.items():
        new = after.by_id.get(cid)
        if new is None or _unlinked(old, gone) != _links_kept(new):
            return False
    return same_claims(before, after, unlinked | {gone})


def _unlinked(c: Claim, gone: str) -> tuple[Any, ...]:
    """The claim as it should read once `gone` is out of its links (groups aside)."""
    sum_of = tuple(i for i in c.sum_of or () if i != gone) or None
    count_of = tuple(i for i in c.count_of or () if i != gone) or None
    same_as = None if c.same_as == gone else c.same_as
    return _links_kept(dataclasses.replace(c, sum_of=sum_of, count_of=count_of, same_as=same_as))


def _links_kept(c: Claim) -> tuple[Any, ...]:
    return (
        c.sum_of,
        c.count_of,
        c.same_as,
        repr(dataclasses.replace(c, count_groups=None).content()),
    )


def fresh_problems(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """Problems of `after` that `before` did not have (lines aside: they move)."""
    seen = Counter((p.file, p.code, p.message) for p in before)
    out = []
    for p in after:
        key = (p.file, p.code, p.message)
        if seen[key] > 0:
            seen[key] -= 1
        else:
            out.append(p)
    return out


# --- writing ----------------------------------------------------------------------------------


def write_all(root: Path, texts: dict[Path, str], checked: Ledger) -> None:
    """Write every file atomically, then read them back: each must hold the text checked and
    the ledger must load as checked; else every file is put back (CurateRefused)."""
    olds = {p: current_text(p, display_path(p)) for p in texts}
    done: list[Path] = []
    try:
        for path, text in texts.items():
            write_text_atomic(path, text)
            done.append(path)
        on_disk = all(p.read_bytes() == t.encode("utf-8") for p, t in texts.items())
        if not on_disk or not same_claims(checked, load(root, write_cache=False), set()):
            shown = ", ".join(display_path(p) for p in texts)
            raise CurateRefused(
                f"{shown} did not read back as written; the old files were put back."
            )
    except BaseException:
        for path in done:
            restore(path, olds[path])
        raise
