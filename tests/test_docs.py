"""The docs name the vocabularies of `ledger.vocab` exactly: a status, qualifier, place level,
organisation kind or verdict added in code (or dropped) fails here until the docs say so too."""

from __future__ import annotations

import re

import pytest

from ledger.quantity import QUALIFIERS
from ledger.vocab import Family, OrgKind, PlaceLevel, Status, Verdict

from .conftest import REPO

FORMAT_MD = REPO / "docs" / "format.md"
README = REPO / "README.md"


def flat(path) -> str:
    """The file with runs of white space (line breaks included) read as one space."""
    return " ".join(path.read_text(encoding="utf-8").split())


def ticked(text: str) -> list[str]:
    """The `code` spans of `text`, in order."""
    return re.findall(r"`([^`]+)`", text)


def between(text: str, start: str, end: str) -> str:
    """The text after the first `start` up to the next `end` (both must be there)."""
    m = re.search(re.escape(start) + "(.*?)" + re.escape(end), text)
    assert m, f"docs no longer hold {start!r} ... {end!r}: update this test with them"
    return m.group(1)


def section(path, heading: str) -> str:
    """The lines under a Markdown `heading`, up to the next heading of any level."""
    text = path.read_text(encoding="utf-8")
    m = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#|\Z)", text, re.M | re.S)
    assert m, heading
    return m.group(1)


def first_column(table_text: str) -> list[str]:
    """The first cell of each body row of the Markdown tables in `table_text`."""
    rows = [line for line in table_text.splitlines() if line.startswith("|")]
    cells = [row.split("|")[1].strip() for row in rows]
    return [c for c in cells if c and not set(c) <= set("-: ")][1:]  # past the header


# --- docs/format.md ---------------------------------------------------------------------------


def test_format_names_every_status():
    row = between(flat(FORMAT_MD), "| `status` | yes |", "|")
    assert ticked(row) == [s.value for s in Status]


def test_format_names_every_qualifier():
    bullet = between(flat(FORMAT_MD), "- Qualifiers:", "- Numbers:")
    assert ticked(bullet) == list(QUALIFIERS)


def test_format_names_every_place_level():
    sentence = between(flat(FORMAT_MD), "`level` is", "and is what `totals --level` lifts to")
    assert ticked(sentence) == [level.value for level in PlaceLevel]


def test_format_names_every_org_kind():
    sentence = between(flat(FORMAT_MD), "`kind` is one of", ";")
    assert ticked(sentence) == [kind.value for kind in OrgKind]


@pytest.mark.parametrize(
    "word", [*Status, *QUALIFIERS, *PlaceLevel, *OrgKind], ids=lambda w: f"{w}"
)
def test_format_names_each_word_in_code(word: str):
    """A plain check beside the exact ones above, so a failure names the missing word."""
    assert f"`{word}`" in FORMAT_MD.read_text(encoding="utf-8")


# --- README.md ---------------------------------------------------------------------------------


def test_readme_verdicts_table_lists_every_verdict_in_order():
    cells = first_column(section(README, "Verdicts"))
    assert [c.strip("`") for c in cells] == [v.value for v in Verdict]


def test_readme_figures_table_reads_only_known_qualifiers():
    """Each phrase in the README's table is a qualifier, and each family has a row; `approx.`
    is left out there as the abbreviation of `approximately` (docs/format.md lists it)."""
    cells = first_column(section(README, "How figures are read"))
    words = {w for cell in cells for w in ticked(cell)} - {"x", "and"}
    assert words <= set(QUALIFIERS), words - set(QUALIFIERS)
    assert set(QUALIFIERS) - words <= {"approx."}
    assert {QUALIFIERS[w] for w in words} == set(Family) - {Family.EXACT}
