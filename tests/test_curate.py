"""`aid-ledger show`, `edit` and `remove` (ledger/curate.py): one claim, shown with its source
and checks, edited or removed without touching anything else a person wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import ledger

from .conftest import SEED_CLAIMS, cli_run, line_of, snapshot

SAYDNAYA = "ru-mod-2016-12-02-saydnaya"
TOTAL = "ru-mod-2016-12-02-aleppo-damascus-total"
EVENTS = "ru-mod-2016-12-02-events"
QUOTE = "in the Seid Naya area in the Damascus province — about one ton"


def block_of(text: str, claim_id: str) -> str:
    """The claim's lines as the seed file writes them (up to the blank line after it)."""
    start = text.index(f"  - id: {claim_id}\n")
    end = text.find("\n\n", start)
    return text[start : end + 1 if end >= 0 else len(text)]


def dedented(block: str) -> str:
    return "".join(line[2:] if line.startswith("  ") else line for line in block.splitlines(True))


# --- show ----------------------------------------------------------------------------------------


def test_show_text_has_block_source_context_and_checks(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    result = cli_run("show", SAYDNAYA, str(seed_copy))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f":{line_of(claims, f'- id: {SAYDNAYA}')}: claim {SAYDNAYA}" in out
    assert "quantity: about 1 t" in out and "Damascus governorate (SY03)." in out  # the block
    assert "Russia, Iran Developing Joint Humanitarian Operation in Aleppo" in out
    assert "Sputnik, 2016-12-03" in out
    assert "https://sputnikglobe.com/20161203/russia-iran-syria-aleppo-1048129386.html" in out
    # the quote marked inside its sentence, as the document writes it
    assert f"about 4 tons; »{QUOTE}«," in out
    assert "the Russian Defense Ministry's official statement says." in out
    assert f"COMPATIBLE  sum check of {TOTAL}, this claim a part" in out
    assert f"SUPPORTED  count check of {EVENTS}, this claim a part" in out
    assert "[scope-place]" in out
    assert "problems: none" in out


def test_show_json(seed_copy: Path):
    result = cli_run("show", TOTAL, str(seed_copy), "--format", "json")
    assert result.exit_code == 0, result.output
    model = json.loads(result.stdout)
    assert model["claim"] == TOTAL
    assert model["line"] == line_of(seed_copy / SEED_CLAIMS, f"- id: {TOTAL}")
    assert model["block"].startswith(f"  - id: {TOTAL}\n")
    assert (
        model["source"]["publisher"] == "Sputnik" and model["source"]["published"] == "2016-12-03"
    )
    quoted = [s["text"] for s in model["quote"]["segments"] if s["quote"]]
    assert quoted == [
        "Russia has already delivered more than 5 metric tons of humanitarian aid to the "
        "Syrian provinces of Aleppo and Damascus"
    ]
    (check,) = model["checks"]
    assert (check["role"], check["kind"], check["verdict"]) == ("claim", "sum", "compatible")
    assert check["parts"] == ["ru-mod-2016-12-02-hananu-mahalej", SAYDNAYA]
    assert [f["code"] for f in check["findings"]] == ["scope-place"]
    assert model["problems"] == [] and model["findings"] == []


def test_show_lists_the_claims_problems_and_findings(tmp_path: Path):
    """A zero claim contradicted by a delivery: both show the finding; a broken unit shows its
    problem, at its line."""
    data = _two_files(tmp_path)
    b = data / "claims" / "b.yaml"
    text = b.read_text().replace("quantity: 3 t", "quantity: 3 tx")
    b.write_text(text.replace("  - id: b-none\n    provider: Y", "  - id: b-none\n    provider: X"))
    zero = cli_run("show", "b-none", str(data), "--format", "json")
    model = json.loads(zero.stdout)
    assert [(f["code"], f["role"]) for f in model["findings"]] == [("zero-contradicted", "outer")]
    broken = json.loads(cli_run("show", "b-total", str(data), "--format", "json").stdout)
    assert [p["code"] for p in broken["problems"]] == ["unit-unknown"]
    assert broken["problems"][0]["line"] == line_of(b, "quantity: 3 tx")


def test_show_unknown_id_exits_2_with_did_you_mean(seed_copy: Path):
    result = cli_run("show", "ru-mod-2016-12-02-saydnay", str(seed_copy))
    assert result.exit_code == 2
    assert "no claim has the id `ru-mod-2016-12-02-saydnay`" in result.stderr
    assert f"Did you mean `{SAYDNAYA}`" in result.stderr
    assert "Traceback" not in result.output


# --- edit ----------------------------------------------------------------------------------------


def test_edit_from_file_changes_only_the_block(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / SEED_CLAIMS
    old = claims.read_text(encoding="utf-8")
    block = block_of(old, SAYDNAYA)
    new = dedented(block).replace("it lies in Rural", "it is in Rural")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "new.yaml"))
    assert result.exit_code == 0, result.output
    assert f"edited: {SAYDNAYA}" in result.stdout
    text = claims.read_text(encoding="utf-8")
    assert text == old.replace(block, block.replace("it lies in Rural", "it is in Rural"))
    assert text.startswith("# yaml-language-server")  # the header comments, as they were
    assert "it is in Rural" in ledger.load(seed_copy).claim(SAYDNAYA).notes


def test_edit_opens_the_editor_on_the_block_alone(seed_copy: Path, monkeypatch):
    claims = seed_copy / SEED_CLAIMS
    old = claims.read_text(encoding="utf-8")
    shown: list[str] = []

    def editor(text: str, **kw: object) -> str:
        shown.append(text)
        return text.replace("places: [Saydnaya]", "places: [Sednaya]")

    monkeypatch.setattr("click.edit", editor)
    result = cli_run("edit", SAYDNAYA, str(seed_copy))
    assert result.exit_code == 0, result.output
    assert shown == [dedented(block_of(old, SAYDNAYA))]
    assert shown[0].startswith(f"- id: {SAYDNAYA}\n")
    assert claims.read_text(encoding="utf-8") == old.replace(
        "places: [Saydnaya]", "places: [Sednaya]"
    )


def test_edit_keeps_comments_above_the_claim(seed_copy: Path, monkeypatch):
    claims = seed_copy / SEED_CLAIMS
    old = claims.read_text(encoding="utf-8")
    note = "  # Seid Naya is Saydnaya, in Rural Damascus.\n"
    claims.write_text(old.replace(f"  - id: {SAYDNAYA}\n", note + f"  - id: {SAYDNAYA}\n"))
    shown: list[str] = []

    def editor(text: str, **kw: object) -> str:
        shown.append(text)
        return text.replace("it lies in Rural", "it is in Rural")

    monkeypatch.setattr("click.edit", editor)
    result = cli_run("edit", SAYDNAYA, str(seed_copy))
    assert result.exit_code == 0, result.output
    assert shown[0].startswith("# Seid Naya is Saydnaya, in Rural Damascus.\n- id: ")
    text = claims.read_text(encoding="utf-8")
    assert note + f"  - id: {SAYDNAYA}\n" in text and "it is in Rural" in text


def test_edit_with_an_error_is_refused_and_the_file_unchanged(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy)
    new = dedented(block_of(claims.read_text(encoding="utf-8"), SAYDNAYA))
    (tmp_path / "bad.yaml").write_text(new.replace("about 1 t", "about 1 tx"), encoding="utf-8")
    result = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "bad.yaml"))
    assert result.exit_code == 1
    assert "[unit-unknown] unknown unit `tx`" in result.stderr
    assert "nothing was written." in result.stderr
    assert snapshot(seed_copy) == before


def test_edit_that_breaks_another_claim_is_refused(seed_copy: Path, tmp_path: Path):
    """Renaming an id that sum_of and count_of name brings errors elsewhere: refused."""
    claims = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy)
    new = dedented(block_of(claims.read_text(encoding="utf-8"), SAYDNAYA))
    (tmp_path / "new.yaml").write_text(new.replace(SAYDNAYA, "renamed"), encoding="utf-8")
    result = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "new.yaml"))
    assert result.exit_code == 1
    assert "[sum-of-unknown]" in result.stderr or "sum_of" in result.stderr
    assert snapshot(seed_copy) == before


def test_edit_with_two_claims_is_refused(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy)
    new = dedented(block_of(claims.read_text(encoding="utf-8"), SAYDNAYA))
    twice = new + "\n" + new.replace(f"id: {SAYDNAYA}", "id: another")
    (tmp_path / "new.yaml").write_text(twice, encoding="utf-8")
    result = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "new.yaml"))
    assert result.exit_code == 1
    assert "[edit-not-one-claim]" in result.stderr
    assert snapshot(seed_copy) == before


def test_edit_unchanged_writes_nothing(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / SEED_CLAIMS
    new = dedented(block_of(claims.read_text(encoding="utf-8"), SAYDNAYA))
    (tmp_path / "same.yaml").write_text(new + "\n\n", encoding="utf-8")
    stamp = claims.stat().st_mtime_ns
    os.utime(claims, ns=(stamp - 10**9, stamp - 10**9))
    result = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "same.yaml"))
    assert result.exit_code == 0
    assert "unchanged; nothing was written." in result.stdout
    assert claims.stat().st_mtime_ns == stamp - 10**9


def test_edit_takes_a_mapping_without_the_dash(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / SEED_CLAIMS
    old = claims.read_text(encoding="utf-8")
    block = block_of(old, SAYDNAYA)
    mapping = dedented(dedented(block).replace("- id:", "  id:", 1))
    (tmp_path / "m.yaml").write_text(mapping.replace("lies in", "is in"), encoding="utf-8")
    result = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "m.yaml"))
    assert result.exit_code == 0, result.output
    assert claims.read_text(encoding="utf-8") == old.replace(
        block, block.replace("lies in", "is in")
    )


def test_edit_unknown_id_exits_2(seed_copy: Path, tmp_path: Path):
    (tmp_path / "x.yaml").write_text("- id: x\n")
    result = cli_run("edit", "nope", str(seed_copy), "--from", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2 and "no claim has the id `nope`" in result.stderr


# --- remove --------------------------------------------------------------------------------------


def test_remove_is_refused_while_other_claims_name_it(seed_copy: Path):
    before = snapshot(seed_copy)
    result = cli_run("remove", SAYDNAYA, str(seed_copy))
    assert result.exit_code == 1
    assert f"{TOTAL} (`sum_of`" in result.stderr and f"{EVENTS} (`count_of`" in result.stderr
    assert "--unlink" in result.stderr
    assert snapshot(seed_copy) == before


def test_remove_unlink_in_one_file(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    old = claims.read_text(encoding="utf-8")
    result = cli_run("remove", SAYDNAYA, str(seed_copy), "--unlink")
    assert result.exit_code == 0, result.output
    expected = old.replace(block_of(old, SAYDNAYA) + "\n", "")
    expected = expected.replace(
        f"[ru-mod-2016-12-02-hananu-mahalej, {SAYDNAYA}]", "[ru-mod-2016-12-02-hananu-mahalej]"
    )
    assert claims.read_text(encoding="utf-8") == expected
    book = ledger.load(seed_copy)
    assert book.ok and SAYDNAYA not in book.by_id
    assert book.claim(TOTAL).sum_of == ("ru-mod-2016-12-02-hananu-mahalej",)


def test_remove_takes_its_comment_and_one_blank_line(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    old = claims.read_text(encoding="utf-8")
    zero = "ru-mod-france-no-aid-aleppo"
    block = block_of(old, zero)
    note = "  # France: the same sentence as the US.\n"
    claims.write_text(old.replace(block, note + block), encoding="utf-8")
    result = cli_run("remove", zero, str(seed_copy))
    assert result.exit_code == 0, result.output
    assert claims.read_text(encoding="utf-8") == old.replace(block + "\n", "")


def _two_files(tmp_path: Path) -> Path:
    """A ledger of two claim files: a.yaml holds deliveries, b.yaml a total naming one of them
    in `sum_of`, a count naming it in a group, and a zero claim."""
    doc = (
        "The agency delivered 2 t to Aleppo. Another 1 t reached Aleppo later. In all 3 t "
        "were delivered in two convoys. The other agency has not delivered a single gram."
    )
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(doc, encoding="utf-8")
    data = tmp_path / "data"
    (data / "claims").mkdir(parents=True)
    (data / "sources.yaml").write_text(
        '- id: src\n  title: T\n  publisher: P\n  published: "2016-12-03"\n'
        "  url: https://example.org/a\n  document: seeds/a.txt\n",
        encoding="utf-8",
    )
    (data / "places.yaml").write_text("- name: Aleppo\n  level: city\n", encoding="utf-8")
    (data / "items.yaml").write_text("- name: aid\n", encoding="utf-8")
    (data / "units.txt").write_text("convoy = [convoy]\n", encoding="utf-8")
    common = "    claimant: P\n    status: delivered\n    item: aid\n    places: [Aleppo]\n"
    common += "    date: 2016-12-02\n"
    (data / "claims" / "a.yaml").write_text(
        "source: src\nclaims:\n"
        f"  - id: a-first\n    provider: X\n{common}    quantity: 2 t\n"
        "    quote: The agency delivered 2 t to Aleppo.\n\n"
        f"  - id: a-second\n    provider: X\n{common}    quantity: 1 t\n"
        "    quote: Another 1 t reached Aleppo later.\n",
        encoding="utf-8",
    )
    (data / "claims" / "b.yaml").write_text(
        "# totals of src\nsource: src\nclaims:\n"
        f"  - id: b-total\n    provider: X\n{common}    quantity: 3 t\n"
        "    quote: In all 3 t were delivered\n"
        "    sum_of:\n      - a-first\n      - a-second  # the later one\n\n"
        f"  - id: b-convoys\n    provider: X\n{common}    quantity: two convoys\n"
        "    quote: in two convoys\n    count_of: [[a-first, a-second]]\n\n"
        f"  - id: b-none\n    provider: Y\n{common}    quantity: 0 g\n"
        "    quote: The other agency has not delivered a single gram.\n",
        encoding="utf-8",
    )
    return data


def test_remove_unlink_across_files(tmp_path: Path):
    data = _two_files(tmp_path)
    assert ledger.load(data).ok, ledger.load(data).problems
    a, b = data / "claims" / "a.yaml", data / "claims" / "b.yaml"
    old_b = b.read_text(encoding="utf-8")
    assert cli_run("remove", "a-second", str(data)).exit_code == 1
    result = cli_run("remove", "a-second", str(data), "--unlink")
    assert result.exit_code == 0, result.output
    assert "and from `sum_of` of b-total" in result.stdout
    assert "a-second" not in a.read_text(encoding="utf-8")
    assert a.read_text(encoding="utf-8").endswith(
        "    quote: The agency delivered 2 t to Aleppo.\n"
    )
    assert b.read_text(encoding="utf-8") == old_b.replace(
        "    sum_of:\n      - a-first\n      - a-second  # the later one\n",
        "    sum_of: [a-first]  # the later one\n",  # comments are kept
    ).replace("count_of: [[a-first, a-second]]", "count_of: [[a-first]]")
    book = ledger.load(data)
    assert book.ok, book.problems
    assert book.claim("b-total").sum_of == ("a-first",)
    assert book.claim("b-convoys").count_of == ("a-first",)


def test_remove_unlink_drops_an_emptied_list(tmp_path: Path):
    data = _two_files(tmp_path)
    b = data / "claims" / "b.yaml"
    b.write_text(b.read_text().replace("count_of: [[a-first, a-second]]", "count_of: [a-second]"))
    b.write_text(b.read_text().replace("quantity: two convoys", "quantity: one convoy"))
    (tmp_path / "seeds" / "a.txt").write_text(
        (tmp_path / "seeds" / "a.txt").read_text().replace("two convoys", "one convoy")
    )
    b.write_text(b.read_text().replace("quote: in two convoys", "quote: in one convoy"))
    assert ledger.load(data).ok, ledger.load(data).problems
    result = cli_run("remove", "a-second", str(data), "--unlink")
    assert result.exit_code == 0, result.output
    text = b.read_text(encoding="utf-8")
    assert "count_of" not in text and "    quote: in one convoy\n\n  - id: b-none" in text


def test_remove_unlink_is_all_or_nothing(tmp_path: Path):
    """The second file cannot be written: the first is put back, nothing changes."""
    data = _two_files(tmp_path)
    b = data / "claims" / "b.yaml"
    before = snapshot(tmp_path)
    b.chmod(0o444)
    try:
        result = cli_run("remove", "a-second", str(data), "--unlink")
    finally:
        b.chmod(0o644)
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr and "Traceback" not in result.output
    assert "b.yaml is read-only" in result.stderr  # a.yaml was written first, then put back
    assert snapshot(tmp_path) == before


def test_remove_unknown_id_exits_2(seed_copy: Path):
    result = cli_run("remove", "ru-mod-2016-12-02-saydnay", str(seed_copy))
    assert result.exit_code == 2 and f"Did you mean `{SAYDNAYA}`" in result.stderr


@pytest.mark.parametrize("command", ["show", "edit", "remove"])
def test_help_has_an_example(command: str):
    result = cli_run(command, "--help")
    assert (
        result.exit_code == 0
        and f"aid-ledger {command} ru-mod-2016-12-02-saydnaya" in result.output
    )


def test_a_crlf_file_is_shown_and_not_edited(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / SEED_CLAIMS
    claims.write_bytes(claims.read_bytes().replace(b"\n", b"\r\n"))
    shown = cli_run("show", SAYDNAYA, str(seed_copy))
    assert shown.exit_code == 0 and "Sputnik, 2016-12-03" in shown.stdout
    before = snapshot(seed_copy)
    (tmp_path / "b.yaml").write_text(f"- id: {SAYDNAYA}\n", encoding="utf-8")
    edited = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "b.yaml"))
    assert edited.exit_code == 1 and "CRLF line ends" in edited.stderr
    assert snapshot(seed_copy) == before


def test_edit_that_does_not_parse_is_refused_at_its_line(seed_copy: Path, tmp_path: Path):
    before = snapshot(seed_copy)
    (tmp_path / "b.yaml").write_text(f"- id: {SAYDNAYA}\n  quote: [unclosed\n")
    result = cli_run("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "b.yaml"))
    assert result.exit_code == 1
    assert f"{SEED_CLAIMS}:" in result.stderr and ": error: [yaml-syntax]" in result.stderr
    assert "[edit-not-one-claim]" not in result.stderr
    assert snapshot(seed_copy) == before


def test_remove_the_first_claim_leaves_no_blank_line_under_claims(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    first = "ru-mod-2016-12-02-hananu-mahalej"
    for c in (TOTAL, EVENTS):
        assert cli_run("remove", c, str(seed_copy)).exit_code == 0
    result = cli_run("remove", first, str(seed_copy), "--unlink")
    assert result.exit_code == 0, result.output
    assert f"claims:\n  - id: {SAYDNAYA}\n" in claims.read_text(encoding="utf-8")
    assert ledger.load(seed_copy).ok
