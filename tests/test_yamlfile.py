"""The strict YAML reader: line numbers, duplicate keys, YAML 1.1 traps, tags, aliases, encodings.

Every test runs twice: with libyaml's C loader (what the ledger uses where available) and with
PyYAML's pure-Python loader (the fallback), since the two compose scalars slightly differently.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from ledger import yamlfile
from ledger.yamlfile import LList, LMap, is_timestamp_like, load_yaml

LOADERS = [yaml.SafeLoader]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.insert(0, yaml.CSafeLoader)


@pytest.fixture(params=LOADERS, ids=lambda c: c.__name__, autouse=True)
def loader(request, monkeypatch):
    monkeypatch.setattr(yamlfile, "_Loader", request.param)
    return request.param


def load(tmp_path: Path, content: str | bytes, name: str = "f.yaml"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return load_yaml(path, name)


def line_in(text: str, needle: str, nth: int = 0) -> int:
    """The 1-based line of the `nth` line holding `needle`."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    return hits[nth]


def codes(doc) -> list[str]:
    return [p.code for p in doc.problems]


# --- line numbers ---------------------------------------------------------------------------

LINES = """\
# a comment line
source: src

claims:
  - id: first
    quantity: about 4 t
    places: [Aleppo, Syria]

  - id: second
    quote: >-
      folded text
      on two lines
    places:
      - Saydnaya
      - Syria
"""


def test_line_of_every_key_value_and_item(tmp_path):
    doc = load(tmp_path, LINES)
    assert doc.problems == []
    top = doc.value
    assert isinstance(top, LMap)
    assert top.line == line_in(LINES, "source:")
    assert top.key_lines == {
        "source": line_in(LINES, "source:"),
        "claims": line_in(LINES, "claims:"),
    }
    assert top.value_lines["source"] == line_in(LINES, "source:")
    claims = top["claims"]
    assert isinstance(claims, LList)
    assert claims.item_lines == [line_in(LINES, "id: first"), line_in(LINES, "id: second")]
    first, second = claims
    assert first.line == line_in(LINES, "id: first")
    assert first.key_lines["quantity"] == line_in(LINES, "quantity:")
    assert first["places"].item_lines == [line_in(LINES, "[Aleppo")] * 2
    assert second.key_lines["quote"] == line_in(LINES, "quote:")
    # a block scalar's value starts on the line of its indicator
    assert second.value_lines["quote"] == line_in(LINES, "quote:")
    assert second["quote"] == "folded text on two lines"
    assert second["places"].line == line_in(LINES, "- Saydnaya")
    assert second["places"].item_lines == [line_in(LINES, "- Saydnaya"), line_in(LINES, "- Syria")]


def test_quoted_values_are_remembered(tmp_path):
    doc = load(tmp_path, "value: \"4\"\nunit: t\nother: '5'\n")
    assert doc.value.quoted == {"value", "other"}
    assert doc.value["value"] == "4"


# --- plain scalars by YAML 1.2 rules ----------------------------------------------------------


def test_plain_scalars_are_typed_by_yaml_1_2(tmp_path):
    text = (
        "int: 4\nneg: -3\nfloat: 4.5\nhalf: .5\nexp: 1e3\nt: true\nf: False\n"
        "empty:\ntilde: ~\nnothing: null\nword: hello\nquoted_int: '4'\nblock: |\n  4\n"
    )
    doc = load(tmp_path, text)
    v = doc.value
    assert doc.problems == []
    assert v["int"] == 4 and isinstance(v["int"], int)
    assert v["neg"] == -3
    assert v["float"] == 4.5 and isinstance(v["float"], float)
    assert v["half"] == 0.5
    assert v["exp"] == 1000.0
    assert v["t"] is True and v["f"] is False
    assert v["empty"] is None and v["tilde"] is None and v["nothing"] is None
    assert v["word"] == "hello"
    assert v["quoted_int"] == "4"
    assert v["block"] == "4\n"


def test_explicit_str_tag_keeps_text(tmp_path):
    doc = load(tmp_path, "a: !!str 5\nb: !!str no\n")
    assert doc.value == {"a": "5", "b": "no"}
    assert doc.problems == []


@pytest.mark.parametrize("word", ["no", "yes", "No", "YES", "on", "off", "Off", "y", "n"])
def test_yaml11_booleans_stay_text_with_a_warning(tmp_path, word):
    text = f"first: 1\nanswer: {word}\n"
    doc = load(tmp_path, text)
    assert doc.value["answer"] == word
    (problem,) = doc.problems
    assert problem.code == "yaml-bool-trap"
    assert problem.severity == "warning"
    assert problem.line == line_in(text, "answer:")
    assert f"'{word}'" in problem.message


def test_quoted_yaml11_boolean_has_no_warning(tmp_path):
    doc = load(tmp_path, "a: 'no'\nb: \"off\"\n")
    assert doc.value == {"a": "no", "b": "off"}
    assert doc.problems == []


@pytest.mark.parametrize(
    "text", ["2016-12-02", "2016-12", "2016-12-02T10:00:00", "2016-12-01/2016-12-02", "2016-1-2"]
)
def test_unquoted_dates_stay_strings(tmp_path, text):
    doc = load(tmp_path, f"date: {text}\n")
    assert doc.value["date"] == text
    assert isinstance(doc.value["date"], str)
    assert doc.problems == []


def test_is_timestamp_like():
    assert is_timestamp_like("2016-12-02")
    assert is_timestamp_like("2016-12-02 10:00")
    assert not is_timestamp_like("2016-12")
    assert not is_timestamp_like("about 4 t")


# --- duplicate keys -------------------------------------------------------------------------

DUPLICATES = """\
a: 1
b:
  c: first
  c: second
a: 3
claims:
  - id: x
    id: y
"""


def test_duplicate_keys_at_every_level(tmp_path):
    doc = load(tmp_path, DUPLICATES)
    dups = [p for p in doc.problems if p.code == "yaml-duplicate-key"]
    assert [p.line for p in dups] == [
        line_in(DUPLICATES, "c: second"),
        line_in(DUPLICATES, "a: 3"),
        line_in(DUPLICATES, "id: y"),
    ]
    assert all(p.severity == "error" for p in dups)
    assert f"first on line {line_in(DUPLICATES, 'c: first')}" in dups[0].message
    assert f"first on line {line_in(DUPLICATES, 'a: 1')}" in dups[1].message
    # the first value is kept, never silently replaced by the second
    assert doc.value["a"] == 1
    assert doc.value["b"]["c"] == "first"
    assert doc.value["claims"][0]["id"] == "x"


def test_keys_that_read_the_same_are_duplicates(tmp_path):
    doc = load(tmp_path, "1: x\n'1': y\n")
    assert codes(doc) == ["yaml-duplicate-key"]
    assert doc.problems[0].line == 2


# --- tags and aliases -----------------------------------------------------------------------


def test_python_object_tag_is_refused_and_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"ok: 1\nattack: !!python/object/apply:os.system ['touch {marker}']\n"
    doc = load(tmp_path, text)
    assert codes(doc) == ["yaml-tag"]
    assert doc.problems[0].line == line_in(text, "attack:")
    assert "python/object/apply:os.system" in doc.problems[0].message
    assert doc.value["attack"] is None
    assert doc.value["ok"] == 1
    assert not marker.exists()


@pytest.mark.parametrize(
    "value",
    [
        "!!python/name:os.system",
        "!!python/object:collections.OrderedDict {}",
        "!custom 3",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!<tag:example.com,2000:app/x> 1",
    ],
)
def test_other_tags_are_refused(tmp_path, value):
    doc = load(tmp_path, f"first: 1\nx: {value}\n")
    assert codes(doc) == ["yaml-tag"]
    assert doc.problems[0].line == 2
    assert doc.value["x"] is None


def test_alias_is_refused_at_the_line_of_the_alias(tmp_path):
    text = "a: &anchor 1\nb: 2\nc: *anchor\n"
    doc = load(tmp_path, text)
    assert codes(doc) == ["yaml-alias"]
    assert doc.problems[0].line == line_in(text, "*anchor")
    assert doc.value["c"] is None
    assert doc.value["a"] == 1


def test_alias_in_a_list_is_refused_at_its_line(tmp_path):
    text = "base: &b {x: 1}\nitems:\n  - z: 2\n  - *b\n"
    doc = load(tmp_path, text)
    assert codes(doc) == ["yaml-alias"]
    assert doc.problems[0].line == line_in(text, "- *b")


def test_merge_key_is_refused(tmp_path):
    text = "base: {x: 1}\nclaim:\n  <<: {x: 2}\n  y: 2\n"
    doc = load(tmp_path, text)
    assert "yaml-alias" in codes(doc)
    assert doc.problems[0].line == line_in(text, "<<")
    assert "x" not in doc.value["claim"]


def billion_laughs(levels: int = 10) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        refs = ", ".join([f"*l{n - 1}"] * 10)
        lines.append(f"l{n}: &l{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_finishes_fast_and_expands_nothing(tmp_path):
    text = billion_laughs(10)  # 10**10 strings if expanded
    start = time.perf_counter()
    doc = load(tmp_path, text)
    assert time.perf_counter() - start < 2.0
    aliases = [p for p in doc.problems if p.code == "yaml-alias"]
    assert aliases
    assert {p.line for p in aliases} == set(range(2, 11))
    assert len(doc.value["l0"]) == 10
    assert all(item is None for item in doc.value["l9"])


# --- encodings and white space --------------------------------------------------------------


def test_bom_and_crlf_are_accepted(tmp_path):
    plain = load(tmp_path, "a: one\nb:\n  - 2\n", "lf.yaml")
    crlf = load(tmp_path, b"\xef\xbb\xbfa: one\r\nb:\r\n  - 2\r\n", "crlf.yaml")
    assert crlf.problems == []
    assert crlf.value == plain.value
    assert crlf.value.key_lines == {"a": 1, "b": 2}
    assert crlf.value["b"].item_lines == [3]


def test_nul_byte_is_refused_at_its_line(tmp_path):
    doc = load(tmp_path, b"a: 1\nb: 2\nc: \x00\n")
    assert codes(doc) == ["file-encoding"]
    assert doc.problems[0].line == 3
    assert doc.value is None


def test_utf16_file_is_refused(tmp_path):
    doc = load(tmp_path, "a: 1\n".encode("utf-16"))
    assert codes(doc) == ["file-encoding"]


def test_non_utf8_bytes_are_refused_at_their_line(tmp_path):
    doc = load(tmp_path, "a: 1\nb: café\n".encode("latin-1"))
    assert codes(doc) == ["file-encoding"]
    assert doc.problems[0].line == 2
    assert "0xe9" in doc.problems[0].message
    assert doc.value is None


def test_tab_in_indentation_is_refused_at_its_line(tmp_path):
    text = "a: 1\nb:\n  c: 2\n\td: 3\n"
    doc = load(tmp_path, text)
    assert codes(doc) == ["yaml-tab"]
    assert doc.problems[0].line == 4


def test_tab_inside_a_value_is_accepted(tmp_path):
    doc = load(tmp_path, 'a: "x\ty"\nb: |\n  x\ty\n')
    assert doc.problems == []
    assert doc.value == {"a": "x\ty", "b": "x\ty\n"}


# --- files that are not data ----------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "# only a comment\n", "\n\n   \n", "---\n"])
def test_empty_file(tmp_path, content):
    doc = load(tmp_path, content)
    assert codes(doc) == ["file-empty"]
    assert doc.value is None


def test_syntax_error_points_at_its_line(tmp_path):
    text = "a: 1\nb: about 4 t: more\nc: 3\n"
    doc = load(tmp_path, text)
    assert codes(doc) == ["yaml-syntax"]
    assert doc.problems[0].line == line_in(text, "b:")
    assert doc.value is None


def test_unclosed_bracket_is_reported_where_the_parser_notices_it(tmp_path):
    text = "a: 1\nb: [1, 2\nc: 3\nd: 4\n"
    doc = load(tmp_path, text)
    assert codes(doc) == ["yaml-syntax"]
    assert doc.problems[0].line == line_in(text, "c: 3")


def test_two_documents_are_a_syntax_error(tmp_path):
    doc = load(tmp_path, "a: 1\n---\nb: 2\n")
    assert codes(doc) == ["yaml-syntax"]
    assert doc.problems[0].line == 2


def test_too_deep_nesting(tmp_path):
    depth = yamlfile.MAX_DEPTH + 5
    doc = load(tmp_path, "a: " + "[" * depth + "]" * depth + "\n")
    assert "yaml-too-deep" in codes(doc)


def test_unreadable_file(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    doc = load_yaml(tmp_path / "dir.yaml", "dir.yaml")
    assert codes(doc) == ["file-unreadable"]
    assert doc.problems[0].file == "dir.yaml"


def deep_block(levels: int) -> str:
    """`notes` holding lists nested `levels` deep in block style, one space more a level."""
    body = "".join(" " * (4 + n) + "-\n" for n in range(levels - 1))
    return f"id: a\nnotes:\n{body}{' ' * (4 + levels)}- deep\n"


@pytest.mark.parametrize(
    "text",
    [
        deep_block(500),
        "notes:\n  " + "- " * 3000 + "deep\n",
        "notes: " + "[" * 3000 + "]" * 3000 + "\n",
        "notes: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
    ],
    ids=["block-500", "block-compact-3000", "flow-list-3000", "flow-map-3000"],
)
def test_nesting_thousands_deep_is_a_problem_never_a_crash(tmp_path, text):
    """The pure-Python composer recursed into a RecursionError; libyaml stops at 1,000 levels."""
    doc = load(tmp_path, text)
    (problem,) = doc.problems
    assert problem.code in ("yaml-too-deep", "yaml-syntax")
    assert problem.line >= 2 or text.startswith("notes: ")


def test_deep_nesting_is_reported_at_the_line_where_it_passes_the_limit(tmp_path):
    """Alike from both loaders: the pure-Python one finds the line from parser events."""
    doc = load(tmp_path, deep_block(500))
    (problem,) = doc.problems
    assert problem.code == "yaml-too-deep"
    # the list on line 3 is 1 deep, each line below one deeper: the first too deep is here
    assert problem.line == 3 + yamlfile.MAX_DEPTH


# --- control characters ---------------------------------------------------------------------

CONTROL_TEXT = "a: 1\nb: x{char}y\nc: 3\nd: tail{char}\n"


@pytest.mark.parametrize(
    "char", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9b", "\ufffe"]
)
def test_control_character_is_a_problem_at_its_line_and_the_rest_is_read(tmp_path, char):
    doc = load(tmp_path, CONTROL_TEXT.format(char=char))
    assert codes(doc) == ["yaml-control-character"] * 2
    assert [p.line for p in doc.problems] == [2, 4]
    assert f"U+{ord(char):04X}" in doc.problems[0].message
    assert "delete it" in doc.problems[0].message
    # every other value is still read, the character shown as U+FFFD where it was
    assert doc.value == {"a": 1, "b": "x\ufffdy", "c": 3, "d": "tail\ufffd"}


def test_control_characters_of_a_binary_file_are_reported_a_few_times_only(tmp_path):
    doc = load(tmp_path, "a: 1\n" + "\x01x\n" * 1000)
    assert codes(doc)[0] == "yaml-control-character"
    assert len(doc.problems) <= 25


def test_nul_in_a_given_text_is_the_same_problem_as_in_a_file(tmp_path):
    from_file = load(tmp_path, b"a: 1\nb: \x00\n")
    given = load_yaml(tmp_path / "x.yaml", "f.yaml", "a: 1\nb: \x00\n")
    assert codes(from_file) == codes(given)[:1] == ["file-encoding"]
    assert from_file.problems[0].line == given.problems[0].line == 2


def test_escaped_control_character_in_double_quotes_is_accepted(tmp_path):
    doc = load(tmp_path, 'a: "x\\ey\\x01"\n')
    assert doc.problems == []
    assert doc.value == {"a": "x\x1by\x01"}


# --- core tags on the wrong kind of value ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!str [a, b]", "`!!str` does not fit a list"),
        ("!!bool delivered", "`!!bool` does not fit `delivered`"),
        ("!!bool yes", "`!!bool` does not fit `yes`"),
        ("!!int 4.5", "`!!int` does not fit `4.5`"),
        ("!!int 0x1F", "`!!int` does not fit `0x1F`"),
        ("!!float 1_000", "`!!float` does not fit `1_000`"),
        ("!!null x", "`!!null` does not fit `x`"),
        ("!!map [a]", "`!!map` does not fit a list"),
        ("!!seq {a: 1}", "`!!seq` does not fit a mapping"),
        ("!!map a", "`!!map` does not fit `a`"),
        ("!!timestamp soon", "`!!timestamp` does not fit `soon`"),
    ],
)
def test_core_tag_on_the_wrong_kind_of_value_is_a_problem(tmp_path, value, message):
    doc = load(tmp_path, f"first: 1\nx: {value}\n")
    assert codes(doc) == ["yaml-tag"]
    assert doc.problems[0].line == 2
    assert message in doc.problems[0].message
    assert doc.value["x"] is None


def test_null_tag_on_the_list_below_it_is_a_problem_at_the_tag(tmp_path):
    doc = load(tmp_path, "source: s\nclaims: !!null\n  - id: a\n")
    assert codes(doc) == ["yaml-tag"]
    assert doc.problems[0].line == 2
    assert doc.value["claims"] is None


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("!!int 4", 4),
        ("!!int '4'", 4),
        ("!!float 4", 4.0),
        ("!!float 4.5", 4.5),
        ("!!bool true", True),
        ("!!null ''", None),
        ("!!str 4", "4"),
        ("!!map {a: 1}", {"a": 1}),
        ("!!seq [1]", [1]),
        ("!!timestamp 2016-12-02", "2016-12-02"),
    ],
)
def test_core_tag_that_fits_is_read_as_its_type(tmp_path, value, read):
    doc = load(tmp_path, f"x: {value}\n")
    assert doc.problems == []
    assert doc.value["x"] == read
    assert type(doc.value["x"]) is type(read) or isinstance(read, (dict, list))


def test_a_number_tagged_in_quotes_is_no_number_as_text(tmp_path):
    doc = load(tmp_path, "value: !!int '4'\nunit: '4'\n")
    assert doc.value.quoted == {"unit"}


def test_an_equals_sign_is_text(tmp_path):
    """PyYAML resolves a lone `=` to its `value` tag; it is plain text to YAML 1.2."""
    doc = load(tmp_path, "a: =\n")
    assert doc.problems == []
    assert doc.value == {"a": "="}
