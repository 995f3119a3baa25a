"""The `tests/bad/` corpus: one small ledger per kind of mistake.

Each case is a folder laid out like a repository (`data/` and `seeds/`) with an `expect.yaml`
naming the problems `ledger.load` must report: code, file, line (and the text that line holds,
so that an edit to the fixture cannot silently move the line), optionally severity and a part
of the message. Every *error* the case produces must be listed there: a case shows its own
mistake and nothing else. Cases marked `clean: true` are controls that must load without any
problem. Files git should not hold (NUL bytes, invalid UTF-8, tabs, symlinks, 10 MB of text) are
made by a `setup:` step from readable placeholders; a step names one file or a list of files.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

import ledger

BAD = Path(__file__).resolve().parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expect.yaml").is_file())
RAW_BYTE = re.compile(rb"<0x([0-9A-Fa-f]{2})>")


def read_expect(case: Path) -> dict:
    with (case / "expect.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def setup_raw_bytes(root: Path, rel: str, outside: Path) -> None:
    """Replace each `<0xNN>` placeholder with the byte itself."""
    path = root / rel
    path.write_bytes(RAW_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), path.read_bytes()))


def setup_symlink_outside(root: Path, rel: str, outside: Path) -> None:
    """Make `rel` a link to a copy of the seed text that lies outside the case's repository."""
    target = outside / "doc.txt"
    target.write_text((BAD / "ok-baseline" / "seeds" / "doc.txt").read_text("utf-8"), "utf-8")
    link = root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def setup_symlink_folder_outside(root: Path, rel: str, outside: Path) -> None:
    """Make `rel` a link to a folder outside the case's repository holding a copy of the seed text."""
    folder = outside / "folder"
    folder.mkdir()
    seed = (BAD / "ok-baseline" / "seeds" / "doc.txt").read_text("utf-8")
    (folder / "doc.txt").write_text(seed, "utf-8")
    link = root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(folder, target_is_directory=True)


TEN_MB = 10 * 1024 * 1024


def setup_ten_megabytes(root: Path, rel: str, outside: Path) -> None:
    """Replace the `<10 MB>` placeholder with 10 MiB of plain words (too big to commit)."""
    path = root / rel
    filler = (b" and more flour" * (TEN_MB // 15 + 1))[:TEN_MB]
    data = path.read_bytes()
    assert data.count(b"<10 MB>") == 1, rel
    path.write_bytes(data.replace(b"<10 MB>", filler))


SETUPS = {
    "raw-bytes": setup_raw_bytes,
    "symlink-outside": setup_symlink_outside,
    "symlink-folder-outside": setup_symlink_folder_outside,
    "ten-megabytes": setup_ten_megabytes,
}


def same_file(shown: str, expected: Path) -> bool:
    return Path(shown).resolve() == expected.resolve()


def describe(problems: list[ledger.Problem]) -> str:
    return "\n".join(p.format() for p in problems) or "(no problems)"


@pytest.mark.parametrize("parser", ["fast", "pyyaml"])
@pytest.mark.parametrize("name", CASES)
def test_case(name: str, parser: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each case under both YAML readers: yaml-rs where it is safe, and PyYAML alone."""
    monkeypatch.setenv("AID_LEDGER_PARSER", parser)
    expect = read_expect(BAD / name)
    root = tmp_path / name
    shutil.copytree(BAD / name, root, symlinks=True)
    wanted = expect["problems"]

    # the fixture says what it means: each expected line holds the expected text
    for want in wanted:
        if "text" in want:
            lines = (root / want["file"]).read_text("utf-8").split("\n")
            assert want["text"] in lines[want["line"] - 1], f"{want['file']}:{want['line']}"

    outside = tmp_path / "outside"
    outside.mkdir()
    for step, rels in (expect.get("setup") or {}).items():
        for rel in [rels] if isinstance(rels, str) else rels:
            SETUPS[step](root, rel, outside)

    start = time.perf_counter()
    book = ledger.load(root / "data")  # never raises for bad data
    assert time.perf_counter() - start < 5.0

    if expect.get("clean"):
        assert book.problems == [], describe(book.problems)
        assert len(book.claims) >= 1
        return

    assert wanted, "a bad case names at least one problem"
    for want in wanted:
        at = root / want["file"]
        hits = [
            p
            for p in book.problems
            if p.code == want["code"] and p.line == want["line"] and same_file(p.file, at)
        ]
        where = f"[{want['code']}] at {want['file']}:{want['line']}"
        assert hits, f"expected {where}; got:\n{describe(book.problems)}"
        severity = want.get("severity", "error")
        assert any(p.severity == severity for p in hits), f"{where} should be a {severity}"
        if "message" in want:
            assert any(want["message"] in p.message for p in hits), (
                f"{where}: no message holds {want['message']!r}:\n{describe(hits)}"
            )

    def listed(p: ledger.Problem) -> bool:
        return any(
            p.code == w["code"] and p.line == w["line"] and same_file(p.file, root / w["file"])
            for w in wanted
        )

    unexpected = [p for p in book.problems if p.severity == "error" and not listed(p)]
    assert not unexpected, f"errors the case does not expect:\n{describe(unexpected)}"


def test_corpus_covers_every_kind_of_mistake():
    codes = {w["code"] for name in CASES for w in read_expect(BAD / name)["problems"]}
    required = {
        # structure
        "key-unknown", "key-missing", "type-invalid", "status-invalid", "id-duplicate",
        "id-invalid", "claims-empty", "file-top-level", "file-empty",
        # YAML and encodings
        "yaml-duplicate-key", "yaml-tag", "yaml-alias", "yaml-tab", "yaml-syntax",
        "yaml-bool-trap", "yaml-number-as-text", "file-encoding",
        # sources and quotes
        "source-unknown", "source-duplicate", "source-no-url", "source-language",
        "source-document-outside", "source-document-missing", "quote-not-found",
        "quote-number-missing",
        # references
        "sum-of-unknown", "sum-of-self", "sum-of-empty", "sum-of-cycle", "count-of-unknown",
        "same-as-unknown",
        # quantities and units
        "quantity-invalid", "quantity-no-unit", "quantity-negative", "quantity-not-finite",
        "quantity-reversed", "unit-unknown", "unit-ambiguous", "unit-expression",
        "unit-dimension", "unit-ambiguous-ton", "units-definition", "item-unit-mismatch",
        "item-unknown",
        # places and dates
        "place-unknown", "place-ambiguous", "places-empty", "place-parent-unknown",
        "place-cycle", "place-duplicate", "date-invalid", "period-reversed",
        "date-and-period", "date-is-period",
    }  # fmt: skip
    assert required <= codes, sorted(required - codes)
    assert len(CASES) >= 40


def test_every_case_is_a_full_small_ledger():
    for name in CASES:
        case = BAD / name
        expect = read_expect(case)
        assert set(expect) <= {"problems", "clean", "setup"}, name
        for rel in ("data/sources.yaml", "data/places.yaml", "data/claims/x.yaml"):
            assert (case / rel).is_file(), f"{name}: {rel}"
        linked = (expect.get("setup") or {}).get("symlink-outside")
        assert (case / "seeds" / "doc.txt").is_file() or linked == "seeds/doc.txt", name
        for want in expect["problems"]:
            assert set(want) <= {"code", "file", "line", "text", "severity", "message"}, name
            assert (case / want["file"]).is_file(), f"{name}: {want['file']}"
