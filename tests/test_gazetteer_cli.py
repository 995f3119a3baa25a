"""`aid-ledger place add`, `org add`, `item add` (ledger/gazetteer.py), and the check of a
place's `level` when places.yaml is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

import ledger

from .conftest import SEED_CLAIMS, cli_run, snapshot

SAYDNAYA = "ru-mod-2016-12-02-saydnaya"


def test_place_add_appends_in_the_files_style(seed_copy: Path):
    places = seed_copy / "places.yaml"
    old = places.read_text(encoding="utf-8")
    result = cli_run(
        "place", "add", "Hanano district", "--parent", "Halab", "--level", "area",
        "--alias", "Hananu district", "--alias", "Hanano", "--ledger", str(seed_copy),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "added place `Hanano district`" in result.stdout
    # the old text byte for byte (comments too), a blank line, the entry in the file's key
    # order, and the parent written by its own name (`Halab` is an alias of Aleppo city)
    assert places.read_text(encoding="utf-8") == old + (
        "\n- name: Hanano district\n  level: area\n  parent: Aleppo city\n"
        "  aliases: [Hananu district, Hanano]\n"
    )
    book = ledger.load(seed_copy)
    assert book.ok and book.places.resolve("Hananu district") == "Hanano district"
    assert book.places.nearest("Hanano district", "level", "governorate") == "Aleppo governorate"


def test_place_add_with_code_and_notes(seed_copy: Path):
    result = cli_run(
        "place", "add", "Idlib governorate", "--parent", "Syria", "--level", "governorate",
        "--code", "SY07", "--notes", "north-west", "--alias", "Idlib", "--ledger", str(seed_copy),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (seed_copy / "places.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "\n\n- name: Idlib governorate\n  code: SY07\n  level: governorate\n  parent: Syria\n"
        "  notes: north-west\n  aliases: [Idlib]\n"  # notes before aliases, as the file has it
    )


def test_the_new_place_resolves_in_a_claim_afterwards(seed_copy: Path, tmp_path: Path):
    claims = seed_copy / SEED_CLAIMS
    block = claims.read_text(encoding="utf-8").split(f"  - id: {SAYDNAYA}\n")[1].split("\n\n")[0]
    new = f"- id: {SAYDNAYA}\n" + "\n".join(line[2:] for line in block.splitlines()) + "\n"
    (tmp_path / "new.yaml").write_text(new.replace("[Saydnaya]", "[Seid Naya district]"))
    args = ("edit", SAYDNAYA, str(seed_copy), "--from", str(tmp_path / "new.yaml"))
    refused = cli_run(*args)
    assert refused.exit_code == 1 and "[place-unknown]" in refused.stderr
    added = cli_run(
        "place", "add", "Seid Naya district", "--parent", "Rural Damascus",
        "--level", "district", "--ledger", str(seed_copy),
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert cli_run(*args).exit_code == 0
    assert cli_run("check", str(seed_copy)).exit_code == 0
    assert ledger.load(seed_copy).claim(SAYDNAYA).place_names == ("Seid Naya district",)


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--parent", "Nowhere", "--level", "area"], "place-parent-unknown", "unknown place `Nowhere`"),
        (["--parent", "Aleppo", "--level", "area"], "place-parent-unknown", "could be `Aleppo governorate` or `Aleppo city`"),
        (["--level", "area"], "place-parent-missing", "needs a `parent`"),
        (["--parent", "Syria", "--level", "city", "--alias", "Seid Naya"], "place-name-taken", "`Seid Naya` is already a name or alias of `Saydnaya`"),
    ],
)  # fmt: skip
def test_place_add_refusals_write_nothing(seed_copy: Path, args: list[str], code: str, said: str):
    before = snapshot(seed_copy)
    result = cli_run("place", "add", "Somewhere", *args, "--ledger", str(seed_copy))
    assert result.exit_code == 1, result.output
    assert f"[{code}]" in result.stderr and said in result.stderr
    assert "places.yaml:" in result.stderr and "nothing was written." in result.stderr
    assert snapshot(seed_copy) == before


def test_place_add_duplicate_name_in_other_case(seed_copy: Path):
    before = snapshot(seed_copy)
    result = cli_run(
        "place", "add", "aleppo CITY", "--parent", "Syria", "--level", "city",
        "--ledger", str(seed_copy),
    )  # fmt: skip
    assert result.exit_code == 1 and "[place-name-taken]" in result.stderr
    assert snapshot(seed_copy) == before


def test_place_add_bad_level_is_a_usage_error(seed_copy: Path):
    before = snapshot(seed_copy)
    result = cli_run(
        "place", "add", "X", "--parent", "Syria", "--level", "quarter", "--ledger", str(seed_copy)
    )
    assert result.exit_code == 2 and "'quarter' is not one of 'country'" in result.stderr
    assert snapshot(seed_copy) == before


def test_place_add_dry_run_prints_and_writes_nothing(seed_copy: Path):
    before = snapshot(seed_copy)
    result = cli_run(
        "place", "add", "X", "--parent", "Syria", "--level", "city", "--dry-run",
        "--ledger", str(seed_copy),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "- name: X\n  level: city\n  parent: Syria\n" in result.stdout
    assert snapshot(seed_copy) == before


def test_org_add_keeps_the_files_style(seed_copy: Path):
    orgs = seed_copy / "orgs.yaml"
    old = orgs.read_text(encoding="utf-8")
    result = cli_run(
        "org", "add", "EMERCOM", "--kind", "ministry", "--parent", "Russian Federation",
        "--alias", "Russian Emergencies Ministry", "--ledger", str(seed_copy),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # orgs.yaml writes no blank line between entries, and `kind` before `parent`
    assert orgs.read_text(encoding="utf-8") == old + (
        "- name: EMERCOM\n  kind: ministry\n  parent: Russia\n"
        "  aliases: [Russian Emergencies Ministry]\n"
    )
    book = ledger.load(seed_copy)
    assert book.ok and book.orgs.contains("Russia", "EMERCOM")


@pytest.mark.parametrize(
    ("args", "code", "exit_code"),
    [
        (["UN", "--kind", "agency"], "org-name-taken", 1),
        (["X", "--kind", "agency", "--parent", "Nobody"], "org-parent-unknown", 1),
        (["X", "--kind", "government"], None, 2),
    ],
)
def test_org_add_refusals(seed_copy: Path, args: list[str], code: str | None, exit_code: int):
    before = snapshot(seed_copy)
    result = cli_run("org", "add", *args, "--ledger", str(seed_copy))
    assert result.exit_code == exit_code, result.output
    if code:
        assert f"[{code}]" in result.stderr
    assert snapshot(seed_copy) == before


def test_item_add(seed_copy: Path):
    items = seed_copy / "items.yaml"
    old = items.read_text(encoding="utf-8")
    result = cli_run(
        "item", "add", "food kits", "--parent", "food aid", "--dimension", "kit",
        "--alias", "food kit", "--ledger", str(seed_copy),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert items.read_text(encoding="utf-8") == old + (
        "\n- name: food kits\n  parent: food\n  dimension: kit\n  aliases: [food kit]\n"
    )
    assert ledger.load(seed_copy).items.first("food kits", "dimension") == "kit"


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["kits", "--dimension", "kits"], "item-dimension-unknown", "Did you mean `kit`?"),
        (["kits", "--dimension", "weight"], "item-dimension-unknown", "`mass`, `volume`, `person`"),
        (["kits", "--parent", "tools"], "item-parent-unknown", "unknown item `tools`"),
        (["flour"], "item-name-taken", "`flour` is already a name or alias of `flour`"),
        (["kits", "--alias", "Wheat Flour"], "item-name-taken", "alias of `flour`"),
    ],
)
def test_item_add_refusals(seed_copy: Path, args: list[str], code: str, said: str):
    before = snapshot(seed_copy)
    result = cli_run("item", "add", *args, "--ledger", str(seed_copy))
    assert result.exit_code == 1, result.output
    assert f"[{code}]" in result.stderr and said in result.stderr
    assert snapshot(seed_copy) == before


def test_add_to_a_missing_file_creates_it(seed_copy: Path):
    (seed_copy / "items.yaml").unlink()
    result = cli_run("item", "add", "aid", "--ledger", str(seed_copy))
    assert result.exit_code == 0, result.output
    assert (seed_copy / "items.yaml").read_text(encoding="utf-8") == "- name: aid\n"


def test_a_file_that_is_not_a_list_is_refused(seed_copy: Path):
    (seed_copy / "items.yaml").write_text("name: food\n", encoding="utf-8")
    before = snapshot(seed_copy)
    result = cli_run("item", "add", "aid", "--ledger", str(seed_copy))
    assert result.exit_code == 1 and "is not a list of `- name: ...` entries" in result.stderr
    assert "Traceback" not in result.output and snapshot(seed_copy) == before


# --- the level of a place, checked on load (ledger/loader.py) ---------------------------------


def test_unknown_level_is_a_warning_naming_the_known_ones():
    book = ledger.load_texts(
        {
            "data/sources.yaml": "[]\n",
            "data/places.yaml": "- name: Syria\n  level: country\n"
            "- name: Hanano\n  level: neighborhood\n  parent: Syria\n"
            "- name: Old town\n  level: quarter\n  parent: Syria\n",
        }
    )
    found = [p for p in book.problems if p.code == "place-level-unknown"]
    assert [(p.file, p.line, p.severity) for p in found] == [
        ("data/places.yaml", 3, "warning"),
        ("data/places.yaml", 6, "warning"),
    ]
    assert "`Hanano` has the unknown level `neighborhood`. Did you mean `neighbourhood`?" in (
        found[0].message
    )
    assert "`country`, `governorate`, `district`, `city`, `area`, `neighbourhood`, `camp`" in (
        found[1].message
    )


def test_seed_levels_are_all_known(seed_copy: Path):
    assert not [p for p in ledger.load(seed_copy).problems if p.code == "place-level-unknown"]
