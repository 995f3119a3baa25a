"""`ledger.load`: the Python API on the seed ledger, and the loader's promise never to raise;
`ledger.load_texts`: the same pipeline on a ledger held in memory, file for file and problem for
problem, with nothing read from or written to disk."""

from __future__ import annotations

import math
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import ledger
from ledger.frame import NAMES

from .conftest import REPO, SEED_CLAIMS, SEED_DATA, SEED_REPO, line_of
from .test_analysis import ledger_texts


@pytest.fixture(scope="module")
def book() -> ledger.Ledger:
    return ledger.load(SEED_DATA)


def test_seed_ledger_is_clean(book):
    assert book.problems == []
    assert book.ok


def test_claims_hold_parsed_values(book):
    c = book.claim("ru-mod-2016-12-02-hananu-mahalej")
    assert c.quantity.value == Decimal(4)
    assert c.quantity.family == "about"
    assert c.quantity.unit == "t"
    assert c.unit.canonical == "t"
    assert c.figure.point == Decimal(4)
    assert (c.figure.stated.lo, c.figure.stated.hi) == (Decimal("3.5"), Decimal("4.5"))
    assert c.source == "sputnik-2016-12-03-aleppo"
    assert c.place_names == ("Hananu 3", "al-Mahalej camp")
    assert (c.start, c.end) == (date(2016, 12, 1), date(2016, 12, 2))
    assert c.file.endswith("sputnik-2016-12-03-aleppo.yaml")
    assert c.line == line_of(SEED_DATA / SEED_CLAIMS, "id: ru-mod-2016-12-02-hananu-mahalej")


def test_the_frame_shows_the_same_values_as_plain_columns(book):
    c = book.claims.set_index("id").loc["ru-mod-2016-12-02-hananu-mahalej"]
    assert c["value"] == "4"  # exact, as text
    assert (c["low_exact"], c["point_exact"], c["high_exact"]) == ("3.5", "4", "4.5")
    assert (c["low"], c["point"], c["high"]) == (3.5, 4.0, 4.5)
    assert c["family"] == "about"
    assert c["unit"] == "t" and c["canonical_unit"] == "t"
    assert c["place_names"] == "Hananu 3; al-Mahalej camp"
    assert (c["start"], c["end"]) == (pd.Timestamp("2016-12-01"), pd.Timestamp("2016-12-02"))
    assert c["file"].endswith("sputnik-2016-12-03-aleppo.yaml")


def test_no_frame_cell_holds_a_decimal_tuple_or_object_of_ours(book: ledger.Ledger):
    plain = (str, int, float, bool, np.integer, np.floating, np.bool_, pd.Timestamp)
    frame = book.claims
    assert list(frame.columns) == NAMES
    for name in frame.columns:
        for value in frame[name]:
            assert value is pd.NaT or pd.isna(value) or isinstance(value, plain), (name, value)
            assert not isinstance(value, (Decimal, tuple, list, dict)), (name, value)
    assert all(str(t) != "object" for t in frame.dtypes), frame.dtypes


def test_aliases_resolve_to_gazetteer_names(book):
    c = book.claim("ru-mod-2016-12-02-saydnaya")
    assert c.place_names == ("Saydnaya",)


def test_summed_claim_and_open_start(book):
    c = book.claim("ru-mod-2016-12-02-aleppo-damascus-total")
    assert c.quantity.family == "more_than"
    assert c.start is None and c.end == date(2016, 12, 2)
    assert set(c.sum_of) == {"ru-mod-2016-12-02-hananu-mahalej", "ru-mod-2016-12-02-saydnaya"}


def test_counts_and_zero(book):
    residents = book.claim("ru-mod-aleppo-residents-liberated")
    assert residents.unit.dimension == "person" and residents.figure.point == 90000
    none = book.claim("ru-mod-us-no-aid-aleppo")
    assert none.quantity.value == 0 and none.unit is None and none.figure.point == 0
    assert none.figure.is_zero
    grams = book.claim("ru-mod-uk-no-flour-syria")
    assert grams.unit.canonical == "t" and grams.figure.point == 0 and grams.figure.is_zero
    assert not residents.figure.is_zero


def test_a_broken_claim_keeps_its_row_with_no_figure(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8").replace(
        "quantity: about 1 t", "quantity: about 1 tunn"
    )
    claims.write_text(text, encoding="utf-8")
    book = ledger.load(seed_copy)
    assert not book.ok
    c = book.claim("ru-mod-2016-12-02-saydnaya")
    assert c.quantity_text == "about 1 tunn"
    assert c.quantity is None and c.unit is None and c.figure is None
    row = book.claims.set_index("id").loc["ru-mod-2016-12-02-saydnaya"]
    assert pd.isna(row["unit"]) and math.isnan(row["point"])
    (p,) = book.problems
    assert (p.code, p.line) == ("unit-unknown", line_of(claims, "about 1 tunn"))
    assert p.format().startswith(f"{p.file}:{p.line}: error: [unit-unknown] ")


def test_problems_are_sorted_by_file_and_line(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    text = text.replace("status: delivered", "status: deliverd")
    claims.write_text(text, encoding="utf-8")
    problems = ledger.load(seed_copy).problems
    assert len(problems) == text.count("status: deliverd")
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert {p.code for p in problems} == {"status-invalid"}


def test_not_a_ledger_raises_ledger_not_found(tmp_path: Path):
    with pytest.raises(ledger.LedgerNotFound):
        ledger.load(tmp_path / "missing")
    with pytest.raises(ledger.LedgerNotFound):
        ledger.load(tmp_path)


# --- `ledger.load_texts`: the same pipeline on a ledger held in memory ------------------------

UNITS = SEED_DATA / "units.txt"
BAD = REPO / "tests" / "bad"


def repo_texts(repo: Path) -> dict[str, str]:
    """A repository's ledger files (all but units.txt, which pint reads by path) as
    `load_texts` takes them: by path relative to the repository."""
    files = [p for p in (repo / "data").rglob("*") if p.is_file() and p.name != "units.txt"]
    files += [p for p in (repo / "seeds").rglob("*") if p.is_file()]
    return {
        p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8")
        for p in files
        if ".aid-ledger-cache" not in p.parts
    }


def text_line(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` holding `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_seed_ledger_in_memory_is_the_ledger_on_disk(book):
    texts = repo_texts(SEED_REPO)
    assert "data/" + SEED_CLAIMS in texts and "data/orgs.yaml" in texts
    memory = ledger.load_texts(texts, units=UNITS)
    assert [c.content() for c in memory.entries] == [c.content() for c in book.entries]
    assert [(c.line, c.lines) for c in memory.entries] == [(c.line, c.lines) for c in book.entries]
    assert {c.file for c in memory.entries} == {"data/" + SEED_CLAIMS}
    assert memory.problems == book.problems == []
    assert memory.sources.keys() == book.sources.keys()
    assert memory.places.entries.keys() == book.places.entries.keys()
    assert memory.orgs is not None and book.orgs is not None
    assert memory.orgs.entries.keys() == book.orgs.entries.keys()
    assert memory.tolerances == book.tolerances
    assert memory.units is book.units  # one cached registry per definitions file


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (SEED_CLAIMS, "quantity: about 1 t", "quantity: about 1 tunn"),
        (SEED_CLAIMS, "status: delivered", "status: deliverd"),
        (SEED_CLAIMS, "  - id: ", "  - colour: red\n    id: "),
        ("places.yaml", "- name: Saydnaya", "- name: Saydnaya\n  colour: red"),
        ("sources.yaml", "  url:", "  link:"),
        ("orgs.yaml", "- name: Russia\n", "- name: Russia\n  parent: Rusia\n"),
        ("config.yaml", "tolerance:", "tolerence:"),
    ],
    ids=["unit", "status", "claim-key", "place-key", "source-key", "org-parent", "config-key"],
)
def test_a_broken_seed_has_the_same_problems_in_memory(
    seed_copy: Path, file: str, old: str, new: str
):
    path = seed_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    disk = ledger.load(seed_copy)
    memory = ledger.load_texts(repo_texts(seed_copy.parent), units=UNITS)
    assert memory.problems, "the edit must break something"
    # the same problems at the same lines of the same files, named as each entry names them
    assert [(Path(p.file).name, p.line, p.code, p.message) for p in memory.problems] == [
        (Path(p.file).name, p.line, p.code, p.message) for p in disk.problems
    ]
    assert {p.file for p in memory.problems} <= {f"data/{file}", "data/" + SEED_CLAIMS}
    assert [c.content() for c in memory.entries] == [c.content() for c in disk.entries]


def _bad_cases() -> list[str]:
    """The `tests/bad/` cases made of text alone (a `setup:` step makes bytes or links)."""
    return [
        p.name
        for p in sorted(BAD.iterdir())
        if (p / "expect.yaml").is_file()
        and "setup" not in yaml.safe_load((p / "expect.yaml").read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("case", _bad_cases())
def test_the_bad_corpus_has_the_same_problems_in_memory(case: str):
    root = BAD / case
    units = root / "data" / "units.txt"
    texts = repo_texts(root)
    disk = ledger.load(root / "data", use_cache=False)
    memory = ledger.load_texts(texts, units=units if units.exists() else None)

    def where(file: str) -> str:
        """Relative to the case: in memory a file is named as given, but for units.txt."""
        return file if file in texts else Path(file).resolve().relative_to(root).as_posix()

    # Messages may name the folder looked in; the rest is the same, problem for problem.
    assert sorted((where(p.file), p.line, p.code, p.severity) for p in memory.problems) == sorted(
        (where(p.file), p.line, p.code, p.severity) for p in disk.problems
    )
    assert [c.content() for c in memory.entries] == [c.content() for c in disk.entries]


def test_a_bad_claim_in_memory_is_reported_at_its_file_and_line():
    texts = repo_texts(SEED_REPO)
    name = "data/" + SEED_CLAIMS
    texts[name] = texts[name].replace("quantity: about 1 t", "quantity: about 1 tunn")
    book = ledger.load_texts(texts, units=UNITS)
    (p,) = book.problems
    line = text_line(texts[name], "about 1 tunn")
    assert (p.file, p.line, p.code) == (name, line, "unit-unknown")
    assert p.format().startswith(f"{name}:{line}: error: [unit-unknown] ")
    assert book.claim("ru-mod-2016-12-02-saydnaya").figure is None


def test_a_quote_missing_from_its_document_in_memory_is_not_found():
    texts = ledger_texts([{"id": "a", "quantity": "2 t", "quote": "Two tonnes of aid arrived."}])
    assert ledger.load_texts(texts, units=UNITS).ok
    texts["seeds/src-a.txt"] = "Nothing about aid was said.\n"
    (p,) = ledger.load_texts(texts, units=UNITS).problems
    claims = texts["data/claims/src-a.yaml"]
    assert (p.file, p.line, p.code) == (
        "data/claims/src-a.yaml",
        text_line(claims, "quote:"),
        "quote-not-found",
    )
    assert "`seeds/src-a.txt`" in p.message


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("seeds/absent.txt", "source-document-missing"),
        ("../seeds/src-a.txt", "source-document-outside"),
        ("/etc/passwd", "source-document-outside"),
    ],
)
def test_a_document_not_given_or_outside_the_repository_in_memory(document: str, code: str):
    texts = ledger_texts([{"id": "a", "quantity": "2 t"}])
    texts["data/sources.yaml"] = texts["data/sources.yaml"].replace("seeds/src-a.txt", document)
    problems = ledger.load_texts(texts, units=UNITS).problems
    line = text_line(texts["data/sources.yaml"], "document:")
    assert [(p.file, p.line, p.code) for p in problems] == [("data/sources.yaml", line, code)]


@pytest.mark.parametrize(
    "name",
    ["data/sources.yaml", "data/places.yaml", "data/config.yaml", "data/claims/src-a.yaml"],
)
@pytest.mark.parametrize(
    "text",
    [
        "",
        "key: [unclosed\n",
        "x:\n\t- a\n",
        "a: b\x00c\n",
        "ok: 1\nbad: \ud800\n",
        "- - -\n",
        "42\n",
    ],
    ids=["empty", "syntax", "tab", "nul", "surrogate", "nested", "scalar"],
)
def test_bad_text_in_memory_never_raises(name: str, text: str):
    texts = ledger_texts([{"id": "a", "quantity": "2 t"}])
    texts[name] = text
    book = ledger.load_texts(texts, units=UNITS)
    hits = [p for p in book.problems if p.file == name]
    if text or name != "data/config.yaml":  # an empty config.yaml is all defaults
        assert hits and all(p.line >= 1 for p in hits), [p.format() for p in book.problems]
    if "\x00" in text or "\ud800" in text:  # as a file on disk holding these would be
        assert [(p.code, p.line) for p in hits] == [("file-encoding", text.count("\n"))]


def test_load_texts_reads_and_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import builtins
    import io

    texts = repo_texts(SEED_REPO)
    name = "data/" + SEED_CLAIMS
    # a problem the fast reader cannot place: the file is read again, line-aware, in memory too
    texts[name] = texts[name].replace("quantity: about 1 t", "quantity: about 1 tunn")
    expected = ledger.load_texts(texts, units=UNITS)  # imports and the units registry, first
    assert not expected.ok
    monkeypatch.chdir(tmp_path)

    def refuse_but_units(real):  # type: ignore[no-untyped-def]
        def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
            if args and isinstance(args[0], int):  # a descriptor already open: units.txt's
                return real(*args, **kwargs)
            if args and isinstance(args[0], str | os.PathLike) and Path(args[0]) == Path(UNITS):
                return real(*args, **kwargs)  # the one file `units=` names
            raise AssertionError(f"a file was opened: {args[:2]}")

        return refuse

    for owner, attr in [(builtins, "open"), (io, "open"), (os, "open"), (Path, "open")]:
        monkeypatch.setattr(owner, attr, refuse_but_units(getattr(owner, attr)))
    book = ledger.load_texts(texts, units=UNITS)
    assert len(book.claims) == len(book.entries)  # the DataFrame view too
    monkeypatch.undo()
    assert book.problems == expected.problems
    assert list(tmp_path.rglob("*")) == []


def test_load_texts_needs_a_ledger_and_units_by_path():
    with pytest.raises(ledger.LedgerNotFound):
        ledger.load_texts({})
    with pytest.raises(ledger.LedgerNotFound):
        ledger.load_texts({"seeds/a.txt": "text", "claims/x.yaml": "source: a\n"})
    with pytest.raises(ValueError, match="units="):
        ledger.load_texts({"data/sources.yaml": "[]\n", "data/units.txt": "kit = [kit]\n"})
    book = ledger.load_texts({"ledger/claims/x.yaml": "source: a\nclaims:\n"}, data="ledger")
    assert [(p.file, p.code) for p in book.problems] == [("ledger/claims/x.yaml", "claims-empty")]
    assert book.root == Path("ledger") and book.entries == ()
