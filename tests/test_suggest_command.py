"""`aid-ledger suggest` (issue 14): the draft of the seed article against its curated claims,
field by field, then the command's safety (`-o`, `--accept` all or nothing) and other texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import ledger
from ledger.sources import normalise, quote_found
from tests.conftest import FIXTURE, SEED_CLAIMS, cli_run, snapshot

SOURCE = "sputnik-2016-12-03-aleppo"
DOCUMENT = FIXTURE / "seeds" / "2016-12-03-sputnik-russia-iran-aleppo.txt"


def _key(c: object) -> tuple:
    """What a figure says: qualifier family, point value and canonical unit."""
    return (c.quantity.family, c.figure.point, c.unit.canonical if c.unit else None)  # type: ignore[attr-defined]


def _strip_reviews(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if "# review:" not in line)


@pytest.fixture
def drafted(seed_copy: Path) -> tuple[Path, str]:
    """The seed's draft, and the seed copy with the curated claims moved out of the ledger."""
    result = cli_run("suggest", SOURCE, str(seed_copy))
    assert result.exit_code == 0, result.output
    return seed_copy, result.stdout


def _draft_ledger(data: Path, draft: str) -> ledger.Ledger:
    """The draft alone as the ledger's claims, review points settled (stripped)."""
    (data / SEED_CLAIMS).unlink()
    (data / "claims" / "draft.yaml").write_text(_strip_reviews(draft), encoding="utf-8")
    return ledger.load(data, use_cache=False)


def _seed() -> ledger.Ledger:
    return ledger.load(FIXTURE / "data", use_cache=False)


def test_every_curated_figure_is_proposed_with_its_qualifier(drafted: tuple[Path, str]) -> None:
    book = _draft_ledger(*drafted)
    proposed = {_key(c) for c in book.entries if c.figure.point != 0}
    curated = {_key(c) for c in _seed().entries if c.figure.point != 0}
    assert curated == proposed  # about 4 t, about 1 t, more than 5 t, two events, 90,000 people


def test_zero_claims_one_per_provider_and_item(drafted: tuple[Path, str]) -> None:
    book = _draft_ledger(*drafted)

    def zeros(b: ledger.Ledger) -> set[tuple]:
        return {(c.provider, c.item, c.quantity_text) for c in b.entries if c.figure.point == 0}

    assert zeros(book) == zeros(_seed())
    assert ("United Kingdom", "pills", "0 pills") in zeros(book)


def test_places_links_and_periods_match_the_curated_claims(drafted: tuple[Path, str]) -> None:
    book = _draft_ledger(*drafted)
    seed = _seed()
    mine = {_key(c): c for c in book.entries if c.figure.point != 0}
    for curated in seed.entries:
        if curated.figure.point == 0 or curated.status == "context":
            continue
        c = mine[_key(curated)]
        assert c.places == curated.places, curated.id
        assert str(c.period) == str(curated.period), curated.id
        assert (c.status, c.item_name, c.provider, c.claimant_org) == (
            curated.status, curated.item_name, curated.provider, curated.claimant_org,
        )  # fmt: skip
        for link in ("sum_of", "count_of"):
            want = getattr(curated, link)
            got = getattr(c, link)
            assert (got is None) == (want is None), (curated.id, link)
            if want:  # the links name the drafts of the same parts
                parts = {_key(book.claim(i)) for i in got}
                assert parts == {_key(seed.claim(i)) for i in want}
    saydnaya = mine[_key(seed.claim("ru-mod-2016-12-02-saydnaya"))]
    assert saydnaya.places == ("Saydnaya",)  # "Seid Naya" in the text
    context = [c for c in book.entries if c.status == "context"]
    assert [c.quantity_text for c in context] == ["90,000 people"]


def test_every_quote_passes_the_quote_check(drafted: tuple[Path, str]) -> None:
    data, draft = drafted
    text = normalise(DOCUMENT.read_text(encoding="utf-8"))
    quotes = [c["quote"] for c in yaml.safe_load(draft)["claims"]]
    assert quotes and all(quote_found(q, text) for q in quotes)
    assert "about one ton" in quotes  # the shortest span holding the figure and its unit


def test_the_settled_draft_checks_clean(drafted: tuple[Path, str]) -> None:
    book = _draft_ledger(*drafted)
    errors = [p.format() for p in book.problems if p.severity == "error"]
    assert errors == []
    assert len(book.entries) == 12


def test_uncertain_fields_carry_review_points(drafted: tuple[Path, str]) -> None:
    _, draft = drafted
    reviews = re.findall(r"# review: (.*)", draft)
    assert any("Damascus province" in r and "Rural Damascus" in r for r in reviews)
    assert any(r.startswith("quantity: `tons`") for r in reviews)  # metric or short tons
    assert any("`Aleppo` could be" in r for r in reviews)


def test_ids_are_readable_and_unique_in_the_ledger(seed_copy: Path) -> None:
    draft = cli_run("suggest", SOURCE, str(seed_copy)).stdout
    ids = [c["id"] for c in yaml.safe_load(draft)["claims"]]
    assert len(set(ids)) == len(ids) == 12
    assert "sputnik-2016-12-02-saydnaya" in ids
    assert not set(ids) & {c.id for c in _seed().entries}


def test_output_is_written_safely(seed_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    assert cli_run("suggest", SOURCE, str(seed_copy), "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Draft claims")
    out.write_text("mine\n", encoding="utf-8")
    refused = cli_run("suggest", SOURCE, str(seed_copy), "-o", str(out))
    assert refused.exit_code == 2 and "--force" in refused.output
    assert out.read_text(encoding="utf-8") == "mine\n"
    before = snapshot(seed_copy.parent)
    onto = cli_run("suggest", SOURCE, str(seed_copy), "-o", str(seed_copy / SEED_CLAIMS), "--force")
    assert onto.exit_code == 2 and snapshot(seed_copy.parent) == before


def test_accept_adds_every_claim_through_add(seed_copy: Path) -> None:
    (seed_copy / SEED_CLAIMS).unlink()
    result = cli_run("suggest", SOURCE, str(seed_copy), "--accept")
    assert result.exit_code == 0, result.output
    book = ledger.load(seed_copy, use_cache=False)
    assert len(book.entries) == 12 and book.ok
    assert "# review" not in (seed_copy / SEED_CLAIMS).read_text(encoding="utf-8")


def test_accept_writes_nothing_when_one_claim_fails(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ledger.suggest as suggest

    fields = suggest.claim_fields

    def broken(d: suggest.Draft) -> dict:
        out = fields(d)
        if out["quantity"] == "about 1 t":
            out["quote"] = "not in the article"
        return out

    monkeypatch.setattr(suggest, "claim_fields", broken)
    (seed_copy / SEED_CLAIMS).unlink()
    before = snapshot(seed_copy.parent)
    result = cli_run("suggest", SOURCE, str(seed_copy), "--accept")
    assert result.exit_code == 1
    assert "quote-not-found" in result.output and "nothing was written" in result.output
    assert snapshot(seed_copy.parent) == before


def test_unknown_source_cannot_run(seed_copy: Path) -> None:
    result = cli_run("suggest", "no-such-source", str(seed_copy))
    assert result.exit_code == 2 and "neither a source id" in result.output


def _text(seed_copy: Path, name: str, body: str) -> Path:
    path = seed_copy.parent / "seeds" / name
    path.write_text(body, encoding="utf-8")
    return path


def test_a_text_file_is_drafted_and_accepted_with_its_source(seed_copy: Path) -> None:
    text = _text(
        seed_copy, "tass.txt",
        "On Monday the Russian Center for Reconciliation said it had delivered between 2 and "
        "3 tonnes of flour to the Hanano area of Aleppo.\n"
        "The center said nearly 1,500 civilians received aid in Sednaya.\n",
    )  # fmt: skip
    opts = ["--source-id", "tass-2016-12-07", "--source-published", "2016-12-07"]
    draft = cli_run("suggest", str(text), str(seed_copy), *opts)
    assert draft.exit_code == 0, draft.output
    claims = yaml.safe_load(draft.stdout)["claims"]
    flour, people = claims
    assert (flour["quantity"], flour["item"], flour["date"]) == (
        "between 2 and 3 t", "flour", "2016-12-05",
    )  # fmt: skip
    assert flour["places"] == ["Hananu 3"] and "spelling match" in draft.stdout
    assert flour["claimant"] == "Russian Center for Reconciliation"
    assert flour["provider"] == "Russia"
    assert (people["quantity"], people["status"], people["places"]) == (
        "nearly 1,500 people", "context", ["Saydnaya"],
    )  # fmt: skip
    missing = cli_run("suggest", str(text), str(seed_copy), *opts, "--accept")
    assert missing.exit_code == 2 and "--source-title" in missing.output
    more = ["--source-title", "Aid to Aleppo", "--source-publisher", "TASS"]
    accepted = cli_run("suggest", str(text), str(seed_copy), *opts, *more, "--accept")
    assert accepted.exit_code == 0, accepted.output
    book = ledger.load(seed_copy, use_cache=False)
    assert book.ok and "tass-2016-12-07" in book.sources
    assert len([c for c in book.entries if c.source == "tass-2016-12-07"]) == 2


def test_french_qualifiers_and_decimal_commas(seed_copy: Path) -> None:
    text = _text(
        seed_copy, "fr.txt",
        "Vendredi, le Croissant-Rouge a livré plus de 12,5 tonnes d'aide humanitaire à Alep, "
        "et environ 300 kg de farine.\n",
    )  # fmt: skip
    opts = ["--source-id", "afp-2016-12-03", "--source-published", "2016-12-03", "--language", "fr"]
    result = cli_run("suggest", str(text), str(seed_copy), *opts)
    assert result.exit_code == 0, result.output
    claims = yaml.safe_load(result.stdout)["claims"]
    assert [c["quantity"] for c in claims] == ["more than 12.5 t", "about 300 kg"]
    assert {c["date"] for c in claims} == {"2016-12-02"}
    assert all(quote_found(c["quote"], normalise(text.read_text("utf-8"))) for c in claims)


def test_russian_qualifiers_words_and_a_list_in_one_sentence(seed_copy: Path) -> None:
    text = _text(
        seed_copy, "ru.txt",
        "В пятницу Министерство обороны сообщило, что за последние сутки доставлено более 5 "
        "тонн гуманитарной помощи: около 4 тонн в районе Ханану и около одной тонны в Сейднае.\n",
    )  # fmt: skip
    opts = ["--source-id", "ria-2016-12-03", "--source-published", "2016-12-03", "--language", "ru"]
    result = cli_run("suggest", str(text), str(seed_copy), *opts)
    assert result.exit_code == 0, result.output
    total, four, one = yaml.safe_load(result.stdout)["claims"]
    assert [c["quantity"] for c in (total, four, one)] == [
        "more than 5 t",
        "about 4 t",
        "about 1 t",
    ]
    assert total["sum_of"] == [four["id"], one["id"]]
    assert one["quote"] == "около одной тонны"
    assert {c["period"] for c in (total, four, one)} == {"2016-12-01/2016-12-02"}


def test_scales_bounds_open_starts_and_plans(seed_copy: Path) -> None:
    text = _text(
        seed_copy, "en.txt",
        "Since the start of the operation, the Russian Defense Ministry said, Russia has "
        "delivered at least 1.5 million tonnes of aid and up to 300 tents to Aleppo.\n"
        "SARC said on Thursday it plans to deliver about 2,000 blankets to eastern Aleppo.\n",
    )  # fmt: skip
    opts = ["--source-id", "wire-2016-12-03", "--source-published", "2016-12-03"]
    result = cli_run("suggest", str(text), str(seed_copy), *opts)
    assert result.exit_code == 0, result.output
    aid, tents, blankets = yaml.safe_load(result.stdout)["claims"]
    assert (aid["quantity"], aid["quote"]) == (
        "at least 1,500,000 t",
        "at least 1.5 million tonnes",
    )
    assert (aid["provider"], aid["period"]) == ("Russia", "../2016-12-03")
    assert tents["quantity"] == "up to 300 tents"
    assert (blankets["status"], blankets["date"], blankets["places"]) == (
        "planned", "2016-12-01", ["eastern Aleppo"],
    )  # fmt: skip
    assert blankets["provider"] == blankets["claimant"] == "Syrian Arab Red Crescent"


def test_a_figure_followed_by_a_single_word_never_crashes(seed_copy: Path) -> None:
    # The unit search looked two words past the figure even when only one followed it
    # (IndexError where the text ends one word after the figure).
    text = _text(seed_copy, "short.txt", "Доставлено 12 новых.\n")
    opts = ["--source-id", "short-2017", "--source-published", "2017-03-27", "--language", "ru"]
    result = cli_run("suggest", str(text), str(seed_copy), *opts)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("published", ["2018-03", "2018"])
def test_a_month_or_year_of_publication_is_read_as_its_last_day(
    seed_copy: Path, published: str
) -> None:
    # `check` accepts `published: 2018-03` (the day unknown); suggest raised ValueError on it.
    text = _text(seed_copy, "month.txt", "A convoy brought 12 t of flour to Saydnaya.\n")
    opts = ["--source-id", "month-2018", "--source-published", published]
    result = cli_run("suggest", str(text), str(seed_copy), *opts)
    assert result.exit_code == 0, result.output
    (claim,) = yaml.safe_load(result.stdout)["claims"]
    assert claim["quantity"] == "12 t"
