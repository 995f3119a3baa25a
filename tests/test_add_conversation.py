"""`aid-ledger add` as a conversation (issue 13): each answer checked as it is given, unknown
places and organisations created on the spot, several claims in one batch (a total before its
parts), written whole or not at all, `--json`, and the smaller `add` fixes (url, unit hints,
readable ids, blank lines, non-UTF-8 arguments, `sum_of: a, b`).

Every test works on a throw-away copy of the seed ledger (`seed_copy`) and types its answers
through CliRunner's `input=`, one line per question.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ledger

from .conftest import SEED_CLAIMS, cli_run, snapshot

SEED_DOCUMENT = "seeds/2016-12-03-sputnik-russia-iran-aleppo.txt"
BULLETIN = (
    "Bulletin: in total about 7 tons were delivered on 4 December: 5 tons to Hanano district "
    "and 2 tons to Saydnaya. Relief Wire Aid brought 300 blankets to Hananu 3."
)
# Every field of one claim but the places, as flags: the conversation asks only what is missing.
BUT_PLACES = [
    "--claimant", "Russian Ministry of Defence", "--provider", "Russia",
    "--status", "delivered", "--item", "humanitarian aid", "--quantity", "about 4 t",
    "--period", "2016-12-01/2016-12-02", "--quote", "about 4 tons",
]  # fmt: skip


def with_bulletin(seed_copy: Path) -> Path:
    """Add BULLETIN to the seed's stored text (so its quotes are verbatim); the claim file."""
    doc = seed_copy.parent / SEED_DOCUMENT
    doc.write_text(doc.read_text(encoding="utf-8") + "\n" + BULLETIN + "\n", encoding="utf-8")
    return seed_copy / SEED_CLAIMS


def typed(*answers: str) -> str:
    return "\n".join(answers) + "\n"


def errors(book: ledger.Ledger) -> list[str]:
    return [p.format() for p in book.problems if p.severity == "error"]


def check_clean(seed_copy: Path) -> ledger.Ledger:
    result = cli_run("check", str(seed_copy), "--no-cache")
    assert result.exit_code == 0, result.output
    book = ledger.load(seed_copy, use_cache=False)
    assert errors(book) == []
    return book


# --- each answer checked as it is given -----------------------------------------------------


def test_a_wrong_place_is_asked_again_alone_and_the_right_one_is_written(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    answers = typed(
        "Hananu 33", "n", "Hananu 3", "", "", ""
    )  # place, create?, place, sum, count, more?
    result = cli_run("add", "--file", str(target), "--id", "re-asked", *BUT_PLACES, input=answers)
    assert result.exit_code == 0, result.output
    assert "[place-unknown] unknown place `Hananu 33`. Did you mean `Hananu 3`" in result.output
    assert result.output.count("Places (comma-separated)") == 2  # only that field again
    assert "Claimant" not in result.output and "Quantity" not in result.output
    book = check_clean(seed_copy)
    assert book.claim("re-asked").places == ("Hananu 3",)


def test_an_ambiguous_place_is_asked_again_with_both_names(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    answers = typed("Aleppo", "Aleppo city", "", "", "")
    result = cli_run("add", "--file", str(target), "--id", "amb", *BUT_PLACES, input=answers)
    assert result.exit_code == 0, result.output
    assert "[place-ambiguous]" in result.output
    assert "Create place" not in result.output  # an ambiguous name is corrected, not created
    assert check_clean(seed_copy).claim("amb").places == ("Aleppo city",)


def test_an_unknown_place_is_created_on_the_spot_with_a_checked_parent_and_level(
    seed_copy: Path,
):
    target = seed_copy / SEED_CLAIMS
    answers = typed(
        "Hanano district", "y",  # unknown: create it
        "quarter", "district",  # level: not a level, asked again
        "Alepo town", "Aleppo city",  # parent: unknown, asked again
        "", "", "",  # sum_of, count_of, another claim
    )  # fmt: skip
    result = cli_run("add", "--file", str(target), "--id", "new-place", *BUT_PLACES, input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown place `Alepo town`" in result.output
    assert "`quarter` is not one of" in result.output
    places = (seed_copy / "places.yaml").read_text(encoding="utf-8")
    assert places.endswith(
        "\n\n- name: Hanano district\n  level: district\n  parent: Aleppo city\n"
    )
    book = check_clean(seed_copy)
    assert book.claim("new-place").places == ("Hanano district",)
    assert book.places.contains("Aleppo governorate", "Hanano district")


def test_an_unknown_org_is_created_on_the_spot_with_its_kind(seed_copy: Path):
    target = with_bulletin(seed_copy)
    flags = [
        "--status", "delivered", "--item", "blankets", "--quantity", "300 blankets",
        "--places", "Hananu 3", "--date", "2016-12-04",
        "--quote", "Relief Wire Aid brought 300 blankets to Hananu 3",
    ]  # fmt: skip
    answers = typed(
        "Relief Wire Aid", "y", "charity", "ngo", "",  # claimant: create, kind, no parent
        "Relief Wire Aid",  # provider: now known (made in this batch)
        "", "", "",
    )  # fmt: skip
    result = cli_run("add", "--file", str(target), "--id", "rwa-blankets", *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert "[org-unknown] unknown org `Relief Wire Aid`" in result.output
    assert result.output.count("Create org") == 1
    orgs = (seed_copy / "orgs.yaml").read_text(encoding="utf-8")
    assert orgs.endswith("\n\n- name: Relief Wire Aid\n  kind: ngo\n")
    book = check_clean(seed_copy)
    got = book.claim("rwa-blankets")
    assert (got.claimant, got.provider) == ("Relief Wire Aid", "Relief Wire Aid")


def test_a_wrong_unit_is_asked_again_with_the_ledgers_unit_first(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    flags = [f for f in BUT_PLACES if f not in ("--quantity", "about 4 t")]
    answers = typed("500 food kits", "about 4 t", "Hananu 3", "", "", "")
    result = cli_run("add", "--file", str(target), "--id", "unit", *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown unit `food kits`. Did you mean `kit`" in result.output
    assert check_clean(seed_copy).claim("unit").quantity_text == "about 4 t"


def test_unit_hints_name_the_ledgers_own_unit_first_with_no_input(seed_copy: Path):
    before = snapshot(seed_copy.parent)
    args = ["add", "--file", str(seed_copy / SEED_CLAIMS), "--id", "kits", "--places", "Hananu 3"]
    flags = [f if f != "about 4 t" else "500 food kits" for f in BUT_PLACES]
    result = cli_run(*args, *flags, "--no-input")
    assert result.exit_code == 1
    hint = re.search(r"unknown unit `food kits`\. Did you mean `(\w+)`", result.output)
    assert hint and hint[1] == "kit", result.output
    assert snapshot(seed_copy.parent) == before


def test_a_wrong_date_and_a_quote_not_in_the_source_are_asked_again(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    flags = BUT_PLACES[: BUT_PLACES.index("--period")]
    answers = typed("Hananu 3", "2016-13-01", "2016-12-01/2016-12-02", "about 40 tons",
                    "about 4 tons", "", "", "")  # fmt: skip
    result = cli_run("add", "--file", str(target), "--id", "when", *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert "[date-invalid]" in result.output
    assert "[quote-not-found]" in result.output
    got = check_clean(seed_copy).claim("when")
    assert (got.period_text, got.quote) == ("2016-12-01/2016-12-02", "about 4 tons")


# --- several claims in one batch --------------------------------------------------------------


def test_a_total_before_its_two_parts_is_written_at_once_and_checks_clean(seed_copy: Path):
    target = with_bulletin(seed_copy)
    old = target.read_text(encoding="utf-8")
    answers = typed(
        # the total, first as the bulletin reads; its parts are named before they exist
        "Russian Ministry of Defence", "", "Russia", "humanitarian aid", "about 7 t",
        "Aleppo governorate, Rural Damascus governorate", "2016-12-04",
        "in total about 7 tons were delivered on 4 December", "bulletin-hananu, bulletin-saydnaya",
        "", "bulletin-total", "y",
        # first part: the id offered is the first one named ahead
        "", "", "", "humanitarian aid", "5 t", "Hananu 3", "", "5 tons to Hanano district",
        "", "", "", "y",
        "", "", "", "humanitarian aid", "2 t", "Saydnaya", "", "2 tons to Saydnaya",
        "", "", "", "",  # no more names pending: "another claim?" defaults to no
    )  # fmt: skip
    result = cli_run("add", "--file", str(target), input=answers)
    assert result.exit_code == 0, result.output
    assert "named but not added yet: `bulletin-hananu`, `bulletin-saydnaya`" in result.output
    assert "Id [bulletin-hananu]" in result.output and "Id [bulletin-saydnaya]" in result.output
    for cid in ("bulletin-total", "bulletin-hananu", "bulletin-saydnaya"):
        assert f"added {cid} to " in result.stdout
    text = target.read_text(encoding="utf-8")
    assert text.startswith(old)
    assert "\n\n  - id: bulletin-hananu" in text and "\n\n  - id: bulletin-saydnaya" in text
    book = check_clean(seed_copy)
    assert book.claim("bulletin-total").sum_of == ("bulletin-hananu", "bulletin-saydnaya")
    assert book.claim("bulletin-saydnaya").period_text == "2016-12-04"  # default from the total


def test_a_batch_with_an_error_writes_nothing(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    answers = typed(
        "Hananu 3", "", "", "", "first-ok", "y",  # a good claim
        "", "", "", "humanitarian aid", "about 4 t", "Hananu 3", "", "about 4 tons",
        "never-added", "", "second", "n",  # names a part, then stops without adding it
    )  # fmt: skip
    result = cli_run("add", "--file", str(target), *BUT_PLACES, input=answers)
    assert result.exit_code == 1, result.output
    assert "never-added" in result.output and "nothing was written." in result.output
    assert "added first-ok" not in result.output
    assert snapshot(seed_copy.parent) == before


# --- --json -----------------------------------------------------------------------------------


def test_json_says_what_was_written(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    args = ["add", "--file", str(target), "--id", "js", "--places", "Hananu 3", *BUT_PLACES]
    result = cli_run(*args, "--no-input", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["written"] is True and out["summary"] == {"errors": 0, "warnings": 0}
    (only,) = out["claims"]
    assert only["id"] == "js" and Path(only["file"]).name == target.name
    first, last = only["lines"]
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[first - 1] == "  - id: js" and lines[last - 1].startswith("    quote:")


def test_json_lists_the_problems_when_nothing_is_written(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    args = ["add", "--file", str(target), "--id", "js", "--places", "Nowhere town", *BUT_PLACES]
    result = cli_run(*args, "--no-input", "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["written"] is False
    assert "place-unknown" in [p["code"] for p in out["problems"]]
    assert snapshot(seed_copy.parent) == before


# --- the smaller points -----------------------------------------------------------------------

NEW_SOURCE = [
    "--source", "relief-2016-12-04", "--source-title", "Relief update",
    "--source-publisher", "Relief Wire", "--source-published", "2016-12-04",
    "--source-document", "seeds/relief-2016-12-04.txt",
]  # fmt: skip


def _new_source_add(seed_copy: Path, *url: str) -> tuple[object, str]:
    (seed_copy.parent / "seeds" / "relief-2016-12-04.txt").write_text(
        "A convoy brought 12 t of flour to Saydnaya.\n", encoding="utf-8"
    )
    target = seed_copy / "claims" / "relief.yaml"
    result = cli_run(
        "add", "--file", str(target), "--id", "relief-flour", *NEW_SOURCE, *url,
        "--claimant", "World Food Programme", "--provider", "World Food Programme",
        "--status", "delivered", "--item", "flour", "--quantity", "12 t", "--places", "Saydnaya",
        "--date", "2016-12-04", "--quote", "A convoy brought 12 t of flour to Saydnaya",
        "--no-input",
    )  # fmt: skip
    return result, (seed_copy / "sources.yaml").read_text(encoding="utf-8")


def test_a_source_without_url_is_written_with_a_warning(seed_copy: Path):
    result, sources = _new_source_add(seed_copy)
    assert result.exit_code == 0, result.output
    assert "warning: [source-no-url]" in result.output
    assert "id: relief-2016-12-04" in sources
    assert ledger.load(seed_copy).sources["relief-2016-12-04"].url is None


def test_an_empty_or_blank_url_is_treated_as_missing(seed_copy: Path):
    for n, url in enumerate(("", " ")):
        copy = seed_copy if n == 0 else _fresh(seed_copy)
        result, sources = _new_source_add(copy, "--source-url", url)
        assert result.exit_code == 0, result.output
        assert "warning: [source-no-url]" in result.output
        new = sources[sources.index("id: relief-2016-12-04") :]
        assert "url" not in new


def _fresh(seed_copy: Path) -> Path:
    """Undo the first add of the test: take its source, claim file and document away."""
    import shutil

    from .conftest import FIXTURE

    shutil.copy(FIXTURE / "data" / "sources.yaml", seed_copy / "sources.yaml")
    (seed_copy / "claims" / "relief.yaml").unlink()
    return seed_copy


def test_proposed_ids_are_readable_and_numbered_when_taken(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    ids = []
    for _ in range(3):
        result = cli_run("add", "--file", str(target), "--places", "Hananu 3", *BUT_PLACES,
                         "--no-input")  # fmt: skip
        assert result.exit_code == 0, result.output
        ids.append(re.search(r"^added (\S+) to ", result.stdout, re.M)[1])
    base = "sputnik-2016-12-02-hananu-3"
    assert ids == [base, f"{base}-2", f"{base}-3"]


def test_claims_appended_one_by_one_are_spaced_by_a_blank_line(seed_copy: Path):
    target = seed_copy / "claims" / "second-file.yaml"
    for cid in ("one", "two"):
        args = ["add", "--file", str(target), "--source", "sputnik-2016-12-03-aleppo"]
        result = cli_run(*args, "--id", cid, "--places", "Hananu 3", *BUT_PLACES, "--no-input")
        assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "claims:\n  - id: one\n" in text  # no blank line opening the list
    assert "\n\n  - id: two\n" in text
    check_clean(seed_copy)


def test_a_non_utf8_byte_in_an_argument_is_a_clear_error(seed_copy: Path):
    before = snapshot(seed_copy.parent)
    args = ["add", "--file", str(seed_copy / SEED_CLAIMS), "--places", "Hananu 3", *BUT_PLACES]
    args[args.index("about 4 tons")] = "about 4 tons\udcff"  # how Python hands over byte 0xff
    result = cli_run(*args, "--no-input")
    assert result.exit_code == 2
    assert "`--quote` holds the byte 0xff, which is not UTF-8 text" in result.output
    assert snapshot(seed_copy.parent) == before


def test_sum_of_written_as_text_says_to_write_a_list():
    book = ledger.load_texts(
        {
            "data/sources.yaml": "[]\n",
            "data/claims/a.yaml": "source: s\nclaims:\n  - id: total\n    sum_of: a, b\n",
        }
    )
    (msg,) = [p.message for p in book.problems if "sum_of" in p.message]
    assert "write the ids as a list in brackets: `sum_of: [a, b]`" in msg.lower()


def test_a_non_utf8_answer_is_asked_again(monkeypatch, capsys):
    import ledger.conversation as conversation

    lines = iter(["Hananu 3\udcff", "Hananu 3"])  # a terminal byte 0xff, then a good answer
    monkeypatch.setattr(conversation, "_read_line", lambda: next(lines))
    assert conversation.TerminalIO().ask("Places") == "Hananu 3"
    assert "not UTF-8 text" in capsys.readouterr().out


def test_a_new_place_may_lie_in_another_made_in_the_same_answer(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    answers = typed(
        "Hanano district, Hanano block 5",
        "y", "district", "Aleppo city",  # the first, inside a known place
        "y", "neighbourhood", "hanano district",  # the second, inside the first (any case)
        "", "", "",
    )  # fmt: skip
    result = cli_run("add", "--file", str(target), "--id", "two-new", *BUT_PLACES, input=answers)
    assert result.exit_code == 0, result.output
    book = check_clean(seed_copy)
    assert book.claim("two-new").places == ("Hanano district", "Hanano block 5")
    assert book.places.contains("Hanano district", "Hanano block 5")


def test_dry_run_shows_the_new_place_and_the_claim_and_writes_nothing(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    answers = typed("Hanano district", "y", "district", "Aleppo city", "", "", "")
    args = ["add", "--file", str(target), "--id", "dry", *BUT_PLACES, "--dry-run"]
    result = cli_run(*args, input=answers)
    assert result.exit_code == 0, result.output
    shown = result.stdout[result.stdout.index("# to places.yaml") :]
    assert shown.startswith("# to places.yaml\n- name: Hanano district\n")
    assert "\n# to " in shown and "  - id: dry\n" in shown
    assert snapshot(seed_copy.parent) == before


def test_an_id_named_ahead_that_looks_like_a_known_one_gets_a_hint(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    answers = typed("Hananu 3", "ru-mod-2016-12-02-saydnya", "", "n")  # count_of, no more
    result = cli_run("add", "--file", str(target), "--id", "hint", *BUT_PLACES, input=answers)
    assert "`ru-mod-2016-12-02-saydnya` is not in the ledger yet" in result.output
    assert re.search(r"Did you mean `ru-mod-2016-12-02-saydnaya`[ ?]", result.output)
    assert "Another claim? [Y/n]" in result.output  # a name is pending: more is the default
    assert result.exit_code == 1  # never added: the batch is refused whole


def test_an_unknown_item_is_created_on_the_spot_under_a_checked_parent(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    flags = [f for f in BUT_PLACES if f not in ("--item", "humanitarian aid")]
    answers = typed("winter aid", "y", "clothes rack", "humanitarian assistance",
                    "Hananu 3", "", "", "")  # fmt: skip
    result = cli_run("add", "--file", str(target), "--id", "winter", *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert "[item-unknown] unknown item `clothes rack`" in result.output  # the parent, re-asked
    items = (seed_copy / "items.yaml").read_text(encoding="utf-8")
    assert items.endswith("\n\n- name: winter aid\n  parent: humanitarian aid\n")  # alias -> name
    book = check_clean(seed_copy)
    assert book.items.contains("humanitarian aid", book.claim("winter").item_name)
