"""Reading a ledger's `units.txt` ourselves, so that pint only ever sees checked definitions.

Handing pint the path went wrong in four ways: pint works out a definition's arithmetic as
written (`9**9**9`, or `1e308 * 1e308`, an exact Decimal that later overflows a float); its
message for an odd line rarely names the line; one bad line kept every unit from loading; and it
opens `@import`ed files itself, behind the back of the content cache, which must know every file
a result depends on.

So each file is read here, once, as bytes (no pipes, devices or huge files: `read_bytes`);
`@import`s are inlined in place, only from the folder of units.txt, with cycles and depth
bounded; and each definition's arithmetic is judged by a small evaluator of our own (Python's
`ast` over numbers, names, `*`, `/`, `**` and parentheses; nothing is ever `eval`ed) before
pint sees it. A bad line becomes a problem at its own `file:line` and is left out, so one typo
does not hide the other units.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, DecimalException, InvalidOperation, localcontext
from pathlib import Path

from .problems import Problem, error, warning
from .yamlfile import decode_text, read_bytes

__all__ = ["UnitFile", "read_units"]

MAX_IMPORT_DEPTH = 8  # units.txt imports a file that imports a file ... at most this deep
MAX_EXPONENT = 32  # `meter ** 3` needs 3; a larger power is no unit a report counts in
SMALLEST, LARGEST = Decimal("1e-30"), Decimal("1e30")  # a literal's and a line's factor
_RANGE = "1e-30 to 1e30"
# Between operations a value may stray further (`1e-20 * 1e-20 * 1e20`), but never so far
# that the arithmetic itself gets costly.
_STRAY = Decimal("1e90")
MAX_LINE = 2000  # characters: the longest alias list of a real unit is a tenth of this
_MAX_NESTING = 40  # operators and parentheses within one another in one expression

_WRITE = "write the factor as a plain number such as `50 * kg`"
_SHAPES = (
    "a definition reads `name = factor * unit` (`bag_50kg = 50 * kg`, `carton = 12 * bottle`), "
    "or `name = [name]` for a counted thing (`food_kit = [food_kit]`)"
)
# What `str.splitlines` (and so pint) breaks lines at, besides the `\n` editors count.
_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NUMBER = re.compile(r"(?<![\w.])(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?")
_NOT_A_NUMBER = {"inf", "infinity", "nan"}  # names pint or Decimal might read as a number
_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?)"
    r"|(?P<name>\[?[^\W\d]\w*\]?)"
    r"|(?P<op>\*\*|\^|\*|/|\(|\)|-|\+))"
)
# Decimal arithmetic that stops (with an exception) rather than run away or lose the value.
_CONTEXT = Context(prec=28, Emax=999_999, Emin=-999_999)


@dataclass(frozen=True)
class UnitFile:
    """What a ledger's units.txt holds, read and judged, ready to hand to pint.

    `lines` are the definitions that passed, in file order with each `@import` inlined where
    it was written (comments and blank lines dropped: editing them changes nothing pint sees);
    `origins` says where each came from (display path, 1-based line), so that what pint itself
    refuses can still be reported at its line. `reads` is every file read, by resolved path,
    with its exact bytes (None: absent or unreadable), for the content cache.
    """

    lines: tuple[str, ...]
    reads: dict[Path, bytes | None]
    problems: tuple[Problem, ...]
    origins: tuple[tuple[str, int], ...] = ()

    def refused(self, reasons: Mapping[int, str]) -> list[Problem]:
        """Problems for lines that pint refused (index in `lines` -> message, as
        `Units.rejected` gives them), each at its own file and line."""
        return [
            error(*self.origins[i], "units-definition", message)
            for i, message in sorted(reasons.items())
        ]


def read_units(path: Path, display: str) -> UnitFile:
    """Read units.txt at `path` (named `display` in problems) and the files it imports."""
    reader = _Reader(path.parent.resolve())
    reader.read(path, display, 0)
    lines = tuple(text for text, _ in reader.definitions)
    origins = tuple(where for _, where in reader.definitions)
    return UnitFile(lines, reader.reads, tuple(reader.problems), origins)


class _Reader:
    """Reads files into judged definition lines, following `@import`s (at most 8 deep, never
    round a cycle): every file read is recorded, every refusal is a problem at its line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # units.txt's folder, resolved: imports must stay inside it
        self.reads: dict[Path, bytes | None] = {}
        self.problems: list[Problem] = []
        self.definitions: list[tuple[str, tuple[str, int]]] = []  # text, (display, line)
        self.reading: list[Path] = []  # the chain of files being read, to name a cycle
        self.imported: dict[Path, str] = {}  # resolved path -> where it was first imported

    def read(self, path: Path, display: str, depth: int) -> None:
        key = path.resolve()
        data, problems = read_bytes(path, display)
        self.reads[key] = data
        self.problems += problems
        if data is None:
            return
        text, problems = decode_text(data, display)
        self.problems += problems
        if text is None:
            return
        self.reading.append(key)
        for number, raw in enumerate(text.split("\n"), 1):
            line = raw.split("#", 1)[0].strip()
            if line.startswith("@"):
                self.directive(line, path, display, number, depth)
            elif line:
                why = judge(line)
                if why is None:
                    self.definitions.append((line, (display, number)))
                else:
                    self.problems.append(error(display, number, "units-definition", why))
        self.reading.pop()

    def directive(self, line: str, path: Path, display: str, number: int, depth: int) -> None:
        word, name = (*line.split(None, 1), "")[:2]
        name = name.strip()

        def refuse(message: str, code: str = "units-import") -> None:
            self.problems.append(error(display, number, code, message))

        if word != "@import":
            refuse(
                f"`{word}` blocks are not read here: {_SHAPES}, one per line, "
                "or `@import more.txt` for definitions kept in another file.",
                "units-definition",
            )
            return
        if not name:
            refuse("`@import` names no file; write `@import more.txt` (a file next to units.txt).")
            return
        outside = (
            f"`@import {name}` reads a file outside the folder of units.txt; copy its "
            f"definitions into a file in that folder and write `@import {Path(name).name}`."
        )
        if Path(name).is_absolute():
            refuse(outside)
            return
        target = path.parent / name
        try:
            key = target.resolve()
        except (OSError, RuntimeError):  # a loop of symbolic links
            refuse(f"`@import {name}` cannot be followed (a loop of links); name a plain file.")
            return
        if not key.is_relative_to(self.folder):  # `..` or a link that leaves the folder
            refuse(outside)
            return
        if key in self.reading:
            chain = " -> ".join(p.name for p in self.reading[self.reading.index(key) :])
            refuse(
                f"`@import {name}` imports a file that is being read ({chain} -> {key.name}); "
                "remove one of the imports."
            )
            return
        if depth >= MAX_IMPORT_DEPTH:
            refuse(
                f"`@import {name}`: imports nest deeper than {MAX_IMPORT_DEPTH} files; "
                "import the files from units.txt itself."
            )
            return
        if key in self.imported:
            self.problems.append(
                warning(
                    display,
                    number,
                    "units-import",
                    f"`{name}` is already imported ({self.imported[key]}); "
                    "this import is skipped: remove the line.",
                )
            )
            return
        self.imported[key] = f"{display}:{number}"
        if not target.exists():
            self.reads[key] = None
            refuse(
                f"`@import {name}`: there is no such file next to {os.path.basename(display)}; "
                "create it or remove the line."
            )
            return
        child = os.path.normpath(os.path.join(os.path.dirname(display), name))
        self.read(key, child, depth + 1)


class _Refused(Exception):
    """A definition whose arithmetic is not accepted; the message says what to write."""


class _TooComplex(Exception):
    """A definition the evaluator cannot judge (binary `+`, unknown symbols, deep nesting)."""


def judge(line: str) -> str | None:
    """Why a definition line must not reach pint (a message saying what to write instead),
    or None when it may.

    Only the value is arithmetic: the name, symbol and aliases are names pint never evaluates.
    The value's numbers must be finite and within 1e-30..1e30, so must the factor they make,
    and a power needs a small written exponent (`meter ** 3`). A value the evaluator cannot
    judge still goes to pint if it has no power and its numbers are bounded: pint then refuses
    it or not, and the loader reports that at this line too.
    """
    if len(line) > MAX_LINE:
        return f"the definition is longer than {MAX_LINE:,} characters; {_SHAPES}."
    if _BREAKS.search(line):
        return (
            "the line holds a line break other than a plain newline (a pasted line or page "
            f"separator); retype it: {_SHAPES}."
        )
    main, _, modifiers = line.partition(";")
    parts = [p.strip() for p in main.split("=")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return f"`{line}` is not a definition: {_SHAPES}."
    name, value = parts[0], parts[1]
    if modifiers:  # `; offset: 273.15` and the like: plain numbers only
        why = _plain_numbers(modifiers, zero=True)
        if why:
            return why
    try:
        factor = _factor(value)
    except _Refused as exc:
        return str(exc)
    except _TooComplex:
        return _plain_numbers(value, zero=False)
    if name.startswith("["):  # a derived dimension: `[density] = [mass] / [length] ** 3`
        return None if factor == 1 else _dimension_numbers(name)
    if factor < 0:
        return f"the factor comes to {_show(factor)}, but a unit's factor is positive; {_WRITE}."
    if not SMALLEST <= factor <= LARGEST:
        return f"the factor comes to {_show(factor)}, outside {_RANGE}; {_WRITE}."
    return None


def _dimension_numbers(name: str) -> str:
    return (
        f"a dimension is made of dimensions only, with no numbers: write `{name} = "
        "[mass] / [length] ** 3`, or define a unit instead (`carton = 12 * bottle`)."
    )


def _plain_numbers(text: str, zero: bool) -> str | None:
    """The fallback for what the evaluator cannot judge: no power, every number bounded."""
    if "**" in text or "^" in text:
        return (
            f"`{text.strip()}` cannot be checked: a power is accepted only as "
            f"`unit ** 3` or `10 ** 3` with a small whole exponent; {_WRITE}."
        )
    for word in re.findall(r"[^\W\d]\w*", text):
        if word.lower() in _NOT_A_NUMBER:
            return _not_a_number(word)
    for literal in _NUMBER.findall(text):
        why = _literal(literal, zero)
        if isinstance(why, str):
            return why
    return None


def _not_a_number(word: str) -> str:
    return f"`{word}` is not a number a unit can stand for; {_WRITE}."


def _literal(text: str, zero: bool = False) -> Decimal | str:
    """A written number as an exact Decimal, or why it cannot be a unit's factor."""
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return f"`{text}` is not a number pint reads the same way; {_WRITE}."
    if not number.is_finite():
        return _not_a_number(text)
    if (zero and number == 0) or SMALLEST <= abs(number) <= LARGEST:
        return number
    return f"the number `{text}` is outside {_RANGE}, no unit's factor; {_WRITE}."


def _show(number: Decimal) -> str:
    if Decimal("1e-6") <= abs(number) < Decimal("1e12"):
        return format(number.normalize(), "f")
    return format(number, ".3e")


def _factor(value: str) -> Decimal:
    """The number a value's arithmetic comes to, with every unit name counted as 1.

    pint's syntax is Python's with `^` for `**` and a space for `*` (`50 kg`, same precedence
    as `*`), so the tokens are rewritten into a Python expression of placeholders (numbers and
    names never reach `ast` as themselves: `in` is pint's inch and Python's keyword) and the
    tree is walked by `_Evaluator`.
    """
    numbers: dict[str, str] = {}
    out: list[str] = []
    position, previous = 0, ""
    value = value.strip()
    while position < len(value):
        match = _TOKEN.match(value, position)
        if match is None or match.end() == position:
            raise _TooComplex
        position = match.end()
        kind = match.lastgroup or ""
        text = match.group(kind)
        if kind == "name" and text.startswith("[") != text.endswith("]"):
            raise _TooComplex
        if kind == "name" and text.lower() in _NOT_A_NUMBER:
            raise _Refused(_not_a_number(text))
        operand_starts = kind in ("number", "name") or text == "("
        if operand_starts and previous in ("number", "name", ")"):
            out.append("*")  # pint's implicit multiplication: `50 kg`
        if kind == "op":
            out.append("**" if text == "^" else text)
            previous = text
        else:
            placeholder = f"_{len(numbers)}"
            numbers[placeholder] = text if kind == "number" else ""
            out.append(placeholder)
            previous = kind
    try:
        tree = ast.parse(" ".join(out), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise _TooComplex from None
    evaluator = _Evaluator(numbers)
    with localcontext(_CONTEXT) as ctx:
        ctx.traps[InvalidOperation] = True
        try:
            return evaluator.value(tree.body, 0)
        except DecimalException:
            raise _Refused(f"the arithmetic of `{value}` runs out of range; {_WRITE}.") from None


class _Evaluator:
    """Walks the expression tree: numbers, names (as 1), unary `-`, `*`, `/` and `**` with a
    written exponent. Anything else is beyond judging (`_TooComplex`)."""

    def __init__(self, numbers: dict[str, str]) -> None:
        self.numbers = numbers  # placeholder -> the number as written ("" for a name)

    def text(self, node: ast.expr) -> str:
        """A node as the user wrote it, near enough to quote in a message."""
        return re.sub(r"\b_\d+\b", lambda m: self.numbers[m.group()] or "unit", ast.unparse(node))

    def value(self, node: ast.expr, depth: int) -> Decimal:
        if depth > _MAX_NESTING:
            raise _TooComplex
        if isinstance(node, ast.Name) and node.id in self.numbers:
            written = self.numbers[node.id]
            if not written:
                return Decimal(1)  # a unit or dimension name: its own factor is pint's
            number = _literal(written)
            if isinstance(number, str):
                raise _Refused(number)
            return number
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.value(node.operand, depth + 1)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
            left = self.value(node.left, depth + 1)
            right = self.value(node.right, depth + 1)
            return self.bounded(left * right if isinstance(node.op, ast.Mult) else left / right)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = self.exponent(node)
            return self.bounded(self.value(node.left, depth + 1) ** exponent)
        raise _TooComplex

    def exponent(self, power: ast.BinOp) -> Decimal:
        """The written exponent of `power`: a number, perhaps signed, of at most 32."""
        sign, inner = 1, power.right
        if isinstance(inner, ast.UnaryOp) and isinstance(inner.op, ast.USub | ast.UAdd):
            sign = -1 if isinstance(inner.op, ast.USub) else 1
            inner = inner.operand
        written = self.numbers.get(inner.id, "") if isinstance(inner, ast.Name) else ""
        if not written:
            shown = self.text(power)
            if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Pow):
                raise _Refused(
                    f"a power of a power (`{shown}`) is not accepted: an exponent is a small "
                    f"written number (`meter ** 3`); {_WRITE}."
                )
            raise _Refused(
                f"the exponent in `{shown}` is not a written number: a power is accepted as "
                f"`meter ** 3` or `10 ** 3`; {_WRITE}."
            )
        try:
            exponent = Decimal(written)
        except (InvalidOperation, ValueError):
            raise _Refused(
                f"`{written}` is not a number pint reads the same way; {_WRITE}."
            ) from None
        if abs(exponent) > MAX_EXPONENT:
            raise _Refused(
                f"the exponent `{written}` is larger than {MAX_EXPONENT}; powers in a unit are "
                f"small (`meter ** 3`); {_WRITE}."
            )
        return sign * exponent

    def bounded(self, number: Decimal) -> Decimal:
        if number and not 1 / _STRAY <= abs(number) <= _STRAY:
            raise _Refused(
                f"the arithmetic comes to {_show(number)} on the way, far outside {_RANGE}; "
                f"{_WRITE}."
            )
        return number
