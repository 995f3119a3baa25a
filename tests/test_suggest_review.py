"""`aid-ledger suggest --interactive` (issue 14): the curator keeps, edits, skips or stops,
claim by claim, every edited answer checked as `add` checks it; the kept claims are written
all or nothing, like `--accept`, and an interrupted review writes nothing.

The seed article drafts 12 claims, in this order: the total (`sum_of` claims 3 and 4), the
two events (`count_of` claims 3 and 4), Hananu 3 (about 4 t), Saydnaya (about 1 t), then the
zero claims and the population figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import ledger
from ledger.suggest import source_text, suggest
from ledger.suggest_review import InputEnded, review
from tests.conftest import FIXTURE, SEED_CLAIMS, cli_run, snapshot

SOURCE = "sputnik-2016-12-03-aleppo"
DRAFTED = 12
TOTAL, EVENTS, HANANU, SAYDNAYA = (
    "sputnik-2016-12-02-aleppo-governorate",
    "sputnik-2016-12-02-aleppo-governorate-humanitarian-events",
    "sputnik-2016-12-02-hananu-3",
    "sputnik-2016-12-02-saydnaya",
)
# An edit asks quantity, item, places, claimant, status, provider, period, quote, sum_of,
# count_of: Enter (an empty line) keeps each drafted value.
FIELDS = 10


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


def keep_rest(after: int) -> list[str]:
    """`y` for every draft after the first `after`, then `y` to the final confirmation."""
    return ["y"] * (DRAFTED - after) + ["y"]


@pytest.fixture
def data(seed_copy: Path) -> Path:
    """The seed copy without its curated claims: the drafts land in an absent file."""
    (seed_copy / SEED_CLAIMS).unlink()
    return seed_copy


def run(data: Path, *answers: str, extra: tuple[str, ...] = ()):
    return cli_run("suggest", SOURCE, str(data), "--interactive", *extra, input=lines(*answers))


def written(data: Path) -> dict[str, dict]:
    """The claims of the source's claim file, by id."""
    text = (data / SEED_CLAIMS).read_text(encoding="utf-8")
    return {c["id"]: c for c in yaml.safe_load(text)["claims"]}


def test_yes_to_all_writes_what_accept_writes(data: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(FIXTURE / "data", other / "data")
    shutil.copytree(FIXTURE / "seeds", other / "seeds")
    (other / "data" / SEED_CLAIMS).unlink()
    accepted = cli_run("suggest", SOURCE, str(other / "data"), "--accept")
    assert accepted.exit_code == 0, accepted.output

    result = run(data, *keep_rest(0))
    assert result.exit_code == 0, result.output
    assert "Claim 1 of 12:" in result.output and "# review:" in result.output
    assert f"Add {DRAFTED} claim(s) to" in result.output
    mine = (data / SEED_CLAIMS).read_bytes()
    assert mine == (other / "data" / SEED_CLAIMS).read_bytes()
    assert ledger.load(data, use_cache=False).ok


def test_skipped_claims_are_not_written(data: Path) -> None:
    # claims 5 and 6 are the zero claims of the United States and the United Kingdom
    answers = ["y"] * 4 + ["s", "skip"] + keep_rest(6)
    result = run(data, *answers)
    assert result.exit_code == 0, result.output
    claims = written(data)
    assert len(claims) == DRAFTED - 2
    providers = {c.get("provider") for c in claims.values() if c["quantity"] == "none"}
    assert "United States" not in providers and "United Kingdom" not in providers


def test_an_unknown_answer_to_keep_is_asked_again(data: Path) -> None:
    result = run(data, "maybe", *keep_rest(0))
    assert result.exit_code == 0, result.output
    assert "answer y, e, s or q." in result.output
    assert len(written(data)) == DRAFTED


def test_an_edited_quantity_is_checked_and_a_wrong_one_asked_again(data: Path) -> None:
    edit = ["e", "about 4 zorks", "about 4 short_ton"] + [""] * (FIELDS - 1) + ["y"]
    result = run(data, "y", "y", *edit, *keep_rest(3))
    assert result.exit_code == 0, result.output
    assert "[unit-unknown] unknown unit `zorks`" in result.output
    assert result.output.count("Quantity (e.g. about 4 t)") == 2  # asked again, only it
    claims = written(data)
    assert claims[HANANU]["quantity"] == "about 4 short_ton"
    assert claims[HANANU]["places"] == ["Hananu 3", "al-Mahalej camp"]  # Enter kept it
    assert claims[SAYDNAYA]["quantity"] == "about 1 t"


def test_an_item_must_fit_the_quantity_kept_before_it(data: Path) -> None:
    # `about 4 t` is a mass; pills are counted: refused, then flour (a mass) is taken
    edit = ["e", "", "pills", "flour"] + [""] * (FIELDS - 2) + ["y"]
    result = run(data, "y", "y", *edit, *keep_rest(3))
    assert result.exit_code == 0, result.output
    assert "[item-unit-mismatch]" in result.output
    assert written(data)[HANANU]["item"] == "flour"


def test_places_and_quote_are_checked_against_the_gazetteer_and_the_source(data: Path) -> None:
    edit = (
        ["e", "", "", "Atlantis", "Saydnaya, Hananu 3", "", "", "", ""]
        + ["not in the article", "about one ton", "", ""]
        + ["y"]
    )
    result = run(data, "y", "y", "y", *edit, *keep_rest(4))
    assert result.exit_code == 0, result.output
    assert "unknown place `Atlantis`" in result.output
    assert "[quote-not-found]" in result.output
    assert written(data)[SAYDNAYA]["places"] == ["Saydnaya", "Hananu 3"]


def test_a_skipped_part_leaves_its_totals_without_the_link(data: Path) -> None:
    result = run(data, "y", "y", "s", *keep_rest(3))
    assert result.exit_code == 0, result.output
    assert f"`{TOTAL}`: `{HANANU}` skipped, so sum_of keeps 1 part(s)." in result.output
    assert f"`{EVENTS}`: `{HANANU}` skipped, so count_of keeps 1 part(s)." in result.output
    claims = written(data)
    assert HANANU not in claims
    assert claims[TOTAL]["sum_of"] == [SAYDNAYA]
    assert claims[EVENTS]["count_of"] == [SAYDNAYA]
    book = ledger.load(data, use_cache=False)
    assert [p.format() for p in book.problems if p.severity == "error"] == []


def test_totals_whose_parts_are_all_skipped_lose_the_link(data: Path) -> None:
    result = run(data, "y", "y", "s", "s", *keep_rest(4))
    assert result.exit_code == 0, result.output
    assert "so sum_of dropped" in result.output and "so count_of dropped" in result.output
    claims = written(data)
    assert "sum_of" not in claims[TOTAL] and "count_of" not in claims[EVENTS]
    book = ledger.load(data, use_cache=False)
    assert [p.format() for p in book.problems if p.severity == "error"] == []


def test_an_edit_may_relink_a_total_and_refuses_unknown_ids(data: Path) -> None:
    # the total: keep every field, sum_of names an unknown id (asked again), then claim 4 only
    edit = ["e"] + [""] * (FIELDS - 2) + ["no-such-claim", SAYDNAYA, ""] + ["y"]
    result = run(data, *edit, *keep_rest(1))
    assert result.exit_code == 0, result.output
    assert "`no-such-claim` is neither a drafted claim nor in the ledger" in result.output
    assert written(data)[TOTAL]["sum_of"] == [SAYDNAYA]


def test_quit_keeps_what_was_kept_after_a_confirmation(data: Path) -> None:
    result = run(data, "y", "y", "q", "y")
    assert result.exit_code == 0, result.output
    assert "quit: 10 claim(s) not kept" in result.output
    assert "Add 2 claim(s) to" in result.output
    claims = written(data)
    assert set(claims) == {TOTAL, EVENTS}
    assert "sum_of" not in claims[TOTAL]  # its parts were never kept


def test_saying_no_at_the_confirmation_writes_nothing(data: Path) -> None:
    before = snapshot(data.parent)
    result = run(data, "y", "q", "n")
    assert result.exit_code == 0, result.output
    assert "nothing was written." in result.output
    assert snapshot(data.parent) == before


def test_nothing_kept_writes_nothing_and_succeeds(data: Path) -> None:
    before = snapshot(data.parent)
    result = run(data, *["s"] * DRAFTED)
    assert result.exit_code == 0, result.output
    assert "no claim kept; nothing was written." in result.output
    assert "Add " not in result.output  # no confirmation for nothing
    assert snapshot(data.parent) == before


@pytest.mark.parametrize(
    "answers",
    [
        ["y", "y"],  # between two claims
        ["y", "y", "e", "about 4 t"],  # in the middle of an edit: defaults are not taken
        keep_rest(0)[:-1],  # at the final confirmation
    ],
    ids=["between-claims", "mid-edit", "at-confirmation"],
)
def test_end_of_input_writes_nothing(seed_copy: Path, answers: list[str]) -> None:
    # with the curated claims in place: the file exists and must keep its bytes
    before = snapshot(seed_copy.parent)
    result = run(seed_copy, *answers)
    assert result.exit_code == 1
    assert "input ended before the review was done. Nothing was written." in result.output
    assert snapshot(seed_copy.parent) == before


@pytest.mark.parametrize(
    ("extra", "named"), [(("--accept",), "--accept"), (("-o", "draft.yaml"), "-o")]
)
def test_interactive_with_accept_or_output_is_a_usage_error(
    data: Path, extra: tuple[str, ...], named: str
) -> None:
    before = snapshot(data.parent)
    result = run(data, "y", extra=extra)
    assert result.exit_code == 2
    assert "--interactive adds the claims you keep" in result.output
    assert f"leave out {named}" in result.output
    assert snapshot(data.parent) == before


def test_short_flag_and_help(data: Path) -> None:
    result = cli_run("suggest", SOURCE, str(data), "-i", input=lines("q"))
    assert result.exit_code == 0, result.output
    assert "no claim kept" in result.output
    helped = cli_run("suggest", "--help")
    assert "-i, --interactive" in helped.output and "skipped (s)" in helped.output


class Script:
    """The `IO` protocol from a list of answers, for the library without click."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.said: list[str] = []

    def ask(self, label: str, default: str | None = None) -> str:
        if not self.answers:
            raise InputEnded("script ended")
        answer = self.answers.pop(0)
        return answer if answer or default is None else default

    def yes(self, label: str, default: bool = False) -> bool:
        return self.ask(label).startswith("y")

    def say(self, text: str) -> None:
        self.said.append(text)


def test_review_as_a_library_leaves_the_drafts_alone(data: Path) -> None:
    book = ledger.load(data, use_cache=False)
    src = source_text(book, SOURCE)
    drafts = suggest(book, src)
    io = Script("y", "y", "e", "about 6 t", *[""] * (FIELDS - 1), "y", "q")
    kept = review(book, src, drafts, io)
    assert [d.fields["id"] for d in kept] == [TOTAL, EVENTS, HANANU]
    assert kept[2].fields["quantity"] == "about 6 t"
    assert drafts[2].fields["quantity"] == "about 4 t"  # the caller's drafts as they were
    assert [p.fields["id"] for p in kept[0].fields["sum_of"]] == [HANANU]
    assert len(drafts[0].fields["sum_of"]) == 2
    assert any("sum_of keeps 1 part(s)" in s for s in io.said)


def test_a_text_file_source_is_refused_before_any_question(data: Path) -> None:
    text = data.parent / "seeds" / "convoy.txt"
    text.write_text("A convoy brought 12 t of flour to Saydnaya.\n", encoding="utf-8")
    described = ["--source-id", "convoy-2018", "--source-published", "2018-03-02"]
    before = snapshot(data.parent)
    missing = cli_run("suggest", str(text), str(data), "-i", *described, input=lines("y", "y"))
    assert missing.exit_code == 2 and "--source-title" in missing.output
    assert "Keep this claim?" not in missing.output
    assert snapshot(data.parent) == before
    more = ["--source-title", "Convoy", "--source-publisher", "Wire"]
    # no claimant is drafted (the text names none): the edit needs one; the quote is checked
    # against the text file itself, before it is stored
    sarc = "Syrian Arab Red Crescent"
    edit = ["e", "", "", "", "", sarc, "", "", sarc, ""]
    edit += ["a convoy of 12 t", "12 t of flour", "", "", "y", "y"]
    result = cli_run("suggest", str(text), str(data), "-i", *described, *more, input=lines(*edit))
    assert result.exit_code == 0, result.output
    assert "Claimant: an answer is needed." in result.output
    assert "Provider: an answer is needed." in result.output  # delivered: who delivered?
    assert "[quote-not-found]" in result.output
    book = ledger.load(data, use_cache=False)
    assert "convoy-2018" in book.sources
    (claim,) = [c for c in book.entries if c.source == "convoy-2018"]
    assert claim.quote == "12 t of flour"


def test_a_total_may_name_a_claim_already_in_the_ledger(seed_copy: Path) -> None:
    book = ledger.load(seed_copy, use_cache=False)
    src = source_text(book, SOURCE)
    curated = "ru-mod-2016-12-02-saydnaya"
    io = Script("e", *[""] * (FIELDS - 2), curated, "", "y", "q")
    (total,) = review(book, src, suggest(book, src), io)
    assert [p.fields["id"] for p in total.fields["sum_of"]] == [curated]
    assert not any("skipped" in s for s in io.said)  # a ledger claim is never dropped
