"""One reader contract: whatever reads a claim file, the same bytes give the same records and
problems, lines included.

The fast reader (`fastyaml.parse`) may decline a text (None: the strict reader reads it), but
whenever it answers, its value must be the strict reader's value exactly (every `line`,
`key_lines`, `value_lines`, `item_lines` and `quoted`), and so must be the records and problems
`records.records_from` makes of it, as `loader._read_claim_file` uses them. Claim files are
generated in the ways people write them, then mutated in the ways they go wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ledger import fastyaml
from ledger.records import records_from
from ledger.yamlfile import LList, LMap, decode_text, load_yaml

pytestmark = pytest.mark.skipif(not fastyaml.available(), reason="yaml-rs is not installed")

DISPLAY = "data/claims/x.yaml"


# --- both readers, as the loader calls them ------------------------------------------------


def strict_read(data: bytes) -> tuple[Any, list, list]:
    """The strict reader on a file's bytes: its value, and (records, problems) from it."""
    text, problems = decode_text(data, DISPLAY)
    if text is None:
        return None, [], problems
    doc = load_yaml(Path(DISPLAY), DISPLAY, text)
    return doc.value, *records_from(doc.value, DISPLAY, list(doc.problems))


def fast_value(data: bytes) -> Any | None:
    """The fast reader on a file's bytes, as `loader._fast_value` calls it (but through
    `read`, which lets an error it did not foresee be seen, where `parse` gives None)."""
    if b"\x00" in data:
        return None
    try:
        return fastyaml.read(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def shape(value: Any) -> Any:
    """A value with every line the readers give it, for comparing them exactly."""
    if isinstance(value, LMap):
        return (
            "map",
            value.line,
            dict(value.key_lines),
            dict(value.value_lines),
            sorted(value.quoted),
            [(k, shape(v)) for k, v in value.items()],
        )
    if isinstance(value, LList):
        return ("list", value.line, list(value.item_lines), [shape(v) for v in value])
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [shape(v) for v in value]
    return (type(value).__name__, value)


def check_agree(text: str, *, bom: bool = False, crlf: bool = False) -> bool:
    """Both readers on `text`; True when the fast one answered (and agreed)."""
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    fast = fast_value(data)
    if fast is None:
        return False
    value, records, problems = strict_read(data)
    assert shape(fast) == shape(value), text
    fast_records, fast_problems = records_from(fast, DISPLAY, [])
    assert fast_problems == problems, text
    assert shape(fast_records) == shape(records), text
    return True


# --- claim files as people write them ------------------------------------------------------

COMMON = [
    "flour", "Aleppo city", "Turkish Red Crescent", "about 4 t", "8,660 kits", "WFP", "4",
    "4.5", "2016-12-02", "2016-12-01/2016-12-02", "it's", "Help! 5 t & more", "1 000 t",
    "über", "حلب", "notes and more", "nothing", "offline", "-x", "a#b", "b:c", "x]", "12:30",
]  # fmt: skip
TRICKY = [
    "no", "yes", "On", "off", "y", "N", "null", "~", "Null", "True", "false", "FALSE", "-3",
    ".5", "5.", "1e3", "1.0e+6", "1_000", "0x1F", "0o17", "0b11", "+1", "012", ".inf", "-.inf",
    ".NaN", "2016-12-2", "2016-12", "2016-12-02T10:00:00", "2016-12-02 10:00", "../2016-12-02",
    "?x", ":x", "=", "a  b", "1:2", "0", "-0", "00", "1__0", "٣",
]  # fmt: skip
SCALARS = COMMON + TRICKY
KEYS = [
    "id", "claimant", "provider", "status", "item", "quantity", "places", "date", "period",
    "quote", "notes", "sum_of", "same_as", "qty", "Id",
]  # fmt: skip
ODD_KEYS = ["no", "4", "'id'", "a b", "-x", "? id", "id ", "null"]


@st.composite
def scalar_text(draw: st.DrawFn) -> str:
    """A scalar as it may be written on one line: plain, quoted, or maybe not valid at all."""
    text = draw(st.sampled_from(COMMON if draw(st.integers(0, 15)) else TRICKY))
    form = draw(st.sampled_from(["plain"] * 8 + ["single", "double", "double", "double-escape"]))
    if form == "single":
        return "'" + text.replace("'", "''") + "'"
    if form == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if form == "double-escape":
        return '"' + text + '\\t"'
    return text


@st.composite
def value_lines(draw: st.DrawFn, key_col: int) -> tuple[str, list[str]]:
    """What follows `key:` on its line, and the lines below it (indented past `key_col`)."""
    deeper = " " * (key_col + draw(st.sampled_from([2, 2, 4, 1])))
    kind = draw(
        st.sampled_from(
            ["scalar"] * 6 + ["flow-list", "flow-map", "block", "multi-plain", "block-list"]
            + ["block-map", "empty", "comment"]
        )
    )  # fmt: skip
    if kind == "scalar":
        return " " + draw(scalar_text()), []
    if kind == "flow-list":
        items = draw(st.lists(scalar_text(), max_size=3))
        sep = draw(st.sampled_from([", ", ",", " , "]))
        return " [" + sep.join(items) + draw(st.sampled_from(["]", ",]", " ]"])), []
    if kind == "flow-map":
        pairs = [f"{k}: {v}" for k, v in zip(["value", "unit", "qualifier"], draw(st.lists(scalar_text(), min_size=1, max_size=3)), strict=False)]  # fmt: skip
        return " {" + ", ".join(pairs) + "}", []
    if kind == "block":
        header = draw(st.sampled_from([">-", ">", "|", "|-", ">+", "|2", ">- # c"]))
        words = draw(st.lists(st.sampled_from(SCALARS), min_size=1, max_size=3))
        inner = draw(st.sampled_from(["", "", "  "]))
        body = [deeper + inner * (n % 2) + w for n, w in enumerate(words)]
        return " " + header, body
    if kind == "multi-plain":
        words = draw(st.lists(st.sampled_from(SCALARS), min_size=2, max_size=3))
        gap = draw(st.sampled_from([[], [], [""]]))
        return " " + words[0], [*gap, *(deeper + w for w in words[1:])]
    if kind == "block-list":
        items = draw(st.lists(scalar_text(), min_size=1, max_size=3))
        at = draw(st.sampled_from([deeper, " " * key_col]))  # indented, or indentless
        return "", [f"{at}- {v}" for v in items]
    if kind == "block-map":
        items = draw(st.lists(scalar_text(), min_size=1, max_size=3))
        return "", [f"{deeper}{k}: {v}" for k, v in zip(["value", "unit", "qualifier"], items, strict=False)]  # fmt: skip
    if kind == "comment":
        return " " + draw(scalar_text()) + " # a comment", []
    return "", []  # `key:` with nothing: null


@st.composite
def claim_file(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.booleans()):
        lines.append("# claims stated in a report")
    lines.append("source: " + draw(st.sampled_from(["src", "src", "'src'", "2016-12-02", "4"])))
    if draw(st.booleans()):
        lines.append("notes: " + draw(scalar_text()))
    lines.append("claims:" + draw(st.sampled_from(["", "", "", " # the list", " []"])))
    dash = draw(st.sampled_from([0, 2, 2, 4]))
    after = draw(st.sampled_from([1, 1, 1, 3]))  # spaces after `-`
    col = dash + 1 + after
    for _ in range(draw(st.integers(1, 3))):
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
        if not draw(st.integers(0, 10)):
            keys.append(draw(st.sampled_from(ODD_KEYS)))
        for n, key in enumerate(keys):
            rest, below = draw(value_lines(col))
            start = " " * dash + "-" + " " * after if n == 0 else " " * col
            lines.append(f"{start}{key}:{rest}")
            lines.extend(below)
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "   ", "# between claims", "  # indented"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


# --- and as they go wrong -------------------------------------------------------------------

CONTROL_CHARS = ["\x01", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe", "\x0c", "\x00", "\u2028"]
INSERTS = [
    "!!str ", "!!int ", "!!null ", "!foo ", "! ", "&a ", "*a", "? ", "- ", "-", "---", "...",
    "\t", "'", '"', "#", ": ", "[", "]", "{", "}", "%YAML 1.2", "<<: ", "|", ">", "@",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        n = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "char", "insert", "indent", "dedent"]))
        line = lines[n]
        at = draw(st.integers(0, len(line)))
        if op == "delete" and len(lines) > 1:
            del lines[n]
        elif op == "duplicate":
            lines.insert(n, line)
        elif op == "char":
            lines[n] = line[:at] + draw(st.sampled_from(CONTROL_CHARS)) + line[at:]
        elif op == "insert":
            lines[n] = line[:at] + draw(st.sampled_from(INSERTS)) + line[at:]
        elif op == "indent":
            lines[n] = " " + line
        elif op == "dedent":
            lines[n] = line.removeprefix(" ")
    return "\n".join(lines)


@settings(
    max_examples=800,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), bom=st.booleans(), crlf=st.booleans())
@example(data=None, bom=False, crlf=False)  # the plain file below, at least once
def test_readers_agree_on_generated_claim_files(data, bom, crlf):
    text = PLAIN if data is None else data.draw(claim_file().flatmap(mutated))
    check_agree(text, bom=bom, crlf=crlf)


PLAIN = """\
# claims stated in a report
source: src
claims:
  - id: a
    claimant: Ministry of Defence
    status: delivered
    quantity: about 4 t
    places: [Aleppo city, Syria]
    date: 2016-12-02
    quote: >-
      the convoy delivered about 4 tons
      of flour

  - id: b
    quantity: {value: "4", unit: t}
    places:
      - Saydnaya
    notes:
"""


def test_plain_claims_are_read_fast_with_every_line():
    assert check_agree(PLAIN)
    assert check_agree(PLAIN, bom=True, crlf=True)


# --- what used to go wrong -------------------------------------------------------------------


def deep_block(levels: int) -> str:
    """`notes` holding lists nested `levels` deep, in block style (one more indent a level)."""
    body = "".join(" " * (6 + n) + "-\n" for n in range(levels - 1))
    return f"source: s\nclaims:\n  - id: a\n    notes:\n{body}{' ' * (6 + levels)}- deep\n"


@pytest.mark.parametrize(
    "text",
    [
        deep_block(500),
        deep_block(3000),
        "source: s\nclaims:\n  - notes:\n      " + "- " * 20000 + "x\n",  # crashed yaml-rs
        "source: s\nclaims:\n  - notes: " + "[" * 3000 + "]" * 3000 + "\n",
        "source: s\nclaims:\n  - notes:\n      " + "? " * 20000 + "x\n",
    ],
    ids=["block-500", "block-3000", "compact-20000", "flow-3000", "keys-20000"],
)
def test_deep_nesting_is_declined_and_never_raises(text: str):
    assert fastyaml.parse(text) is None
    value, records, problems = strict_read(text.encode())
    assert {p.code for p in problems} & {"yaml-too-deep", "yaml-syntax"}


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe", "\x0c"])
def test_control_character_is_one_problem_at_its_line_and_other_claims_stay(char: str):
    text = (
        "source: s\nclaims:\n  - id: a\n    notes: fine\n"
        f"  - id: b\n    notes: x{char}y\n  - id: c\n    notes: fine\n"
    )
    assert fastyaml.parse(text) is None
    _, records, problems = strict_read(text.encode())
    (problem,) = [p for p in problems if p.code == "yaml-control-character"]
    assert problem.line == 6
    assert f"U+{ord(char):04X}" in problem.message and "delete it" in problem.message
    assert [r["id"] for r in records] == ["a", "b", "c"]


@pytest.mark.parametrize(
    "value",
    ["!!str [a, b]", "!!bool delivered", "!!int 4.5", "!!map [a]", "!!seq {a: 1}", "!!null x"],
)
def test_core_tag_on_the_wrong_kind_of_value_is_a_problem_at_its_line(value: str):
    text = f"source: s\nclaims:\n  - id: a\n    places: {value}\n"
    assert fastyaml.parse(text) is None
    _, _, problems = strict_read(text.encode())
    assert [(p.code, p.line) for p in problems if p.code == "yaml-tag"] == [("yaml-tag", 4)]


def test_null_tag_on_a_list_below_its_key_is_a_problem_at_the_key():
    text = "source: s\nclaims: !!null\n  - id: a\n"
    assert fastyaml.parse(text) is None
    _, _, problems = strict_read(text.encode())
    assert ("yaml-tag", 2) in [(p.code, p.line) for p in problems]


@pytest.mark.parametrize(
    "text",
    [
        "!!str a: 1\n",
        "- !!str a\n",
        "a:\n- !!int 4\n",
        "a: [!!str 4]\n",
        "a: {b: !!str 4}\n",
        "a: ! 4\n",
        "a: !\n",
        "a: &x 1\n",
        "a: *x\n",
    ],
)
def test_any_tag_or_alias_is_ruled_out_in_every_position(text: str):
    assert fastyaml.ruled_out(text)
    assert fastyaml.parse(text) is None


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("source: s\nclaims:\n  - id: a\n    status: 4\n", "type-invalid", 4),
        ("source: s\nclaims:\n  - id: a\n\n    colour: red\n", "key-unknown", 5),
        ("source: s\nclaims:\n  - id: a\n    quantity: {value: '4', unit: t}\n", "yaml-number-as-text", 4),
        ("source: s\nclaims:\n  - id: a\n    quantity:\n      value: 4\n      units: t\n", "key-unknown", 6),
    ],
)  # fmt: skip
def test_a_problem_in_a_fast_read_file_has_its_line(text: str, code: str, line: int):
    assert check_agree(text)
    _, problems = records_from(fastyaml.parse(text), DISPLAY, [])
    assert [p.line for p in problems if p.code == code] == [line]
    assert all(p.line > 0 for p in problems)
