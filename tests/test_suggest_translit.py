"""`suggest` finds places written in another script (issue 14): Russian and Arabic reports
name Aleppo, Saydnaya and Damascus in their own letters, which the gazetteer lists in Latin
only. Names are transliterated (anyascii) and compared by sound or, for Arabic, by consonants;
every such match carries a review point with its score."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import ledger
from ledger import suggest_translit
from ledger.suggest_match import Matcher, Mention
from ledger.suggest_translit import translit_places
from tests.conftest import REPO, SEED_DATA, cli_run

TEXTS = REPO / "tests" / "fixtures" / "translit"


@pytest.fixture(scope="module")
def places() -> Matcher:
    """The seed gazetteer's place matcher (names and aliases in Latin script only)."""
    return Matcher(ledger.load(SEED_DATA, use_cache=False).places, ignore_case=False)


def _names(text: str, matcher: Matcher) -> list[tuple[str, str]]:
    return [(m.written, m.name) for m in translit_places(text, 0, matcher, [])]


def _draft(seed_copy: Path, name: str, language: str) -> tuple[list[dict], str]:
    """`aid-ledger suggest` on a fixture text copied under the seed copy's `seeds/`."""
    text = seed_copy.parent / "seeds" / name
    shutil.copy(TEXTS / name, text)
    opts = ["--source-id", "x-2016-12-05", "--source-published", "2016-12-05"]
    result = cli_run("suggest", str(text), str(seed_copy), *opts, "--language", language)
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout)["claims"], result.stdout


# --- through the command ----------------------------------------------------------------------


def test_a_russian_report_names_its_places_in_cyrillic(seed_copy: Path) -> None:
    claims, draft = _draft(seed_copy, "ria-aleppo-ru.txt", "ru")
    assert [(c["quantity"], c.get("places")) for c in claims] == [
        ("about 4 t", ["Aleppo city"]),  # в Алеппо
        ("about 2 t", ["Saydnaya"]),  # в Сайдная
        ("3 t", ["Damascus governorate"]),  # жителям Дамаска: genitive
    ]
    assert "`Дамаска` read as Damascus governorate (transliterated `Damaska`, match" in draft
    assert "`Алеппо` read as Aleppo city (transliterated `Aleppo`, match 100%)" in draft


def test_an_arabic_report_names_its_places_without_short_vowels(seed_copy: Path) -> None:
    """Each figure keeps its own place: the sentences are split (Arabic has no capitals) and
    "نحو" is read as "about" by the `ar:` rules of suggest.yaml."""
    claims, draft = _draft(seed_copy, "sana-aleppo-ar.txt", "ar")
    assert [(c["quantity"], c.get("places")) for c in claims] == [
        ("about 4 t", ["Aleppo city"]),  # نحو 4 أطنان في حلب: Halab
        ("2 t", ["Saydnaya"]),  # في صيدنايا
        ("3 t", ["Damascus governorate"]),  # في دمشق: Dimashq
    ]
    assert "(transliterated `hlb`, compared by its consonants, match 100%)" in draft


def test_unrelated_cyrillic_words_are_no_places(seed_copy: Path) -> None:
    text = seed_copy.parent / "seeds" / "ru-none.txt"
    text.write_text(
        "В Москве сообщили, что около 4 тонн муки доставили в Сибирь, Сидней и Самару.\n",
        encoding="utf-8",
    )
    opts = ["--source-id", "x-2016-12-05", "--source-published", "2016-12-05", "--language", "ru"]
    result = cli_run("suggest", str(text), str(seed_copy), *opts)
    assert result.exit_code == 0, result.output
    (claim,) = yaml.safe_load(result.stdout)["claims"]
    assert "places" not in claim and "transliterated" not in result.stdout


# --- the matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Алеппо", "Aleppo governorate"),  # the alias Aleppo names both; the draft settles it
        ("Алеппе", "Aleppo governorate"),
        ("Дамаск", "Damascus governorate"),
        ("Дамаска", "Damascus governorate"),
        ("Дамаском", "Damascus governorate"),
        ("Сайдная", "Saydnaya"),
        ("Сайдной", "Saydnaya"),
        ("Сейднае", "Saydnaya"),
        ("Сирии", "Syria"),
        ("Ханану", "Hananu 3"),
        ("Риф-Дамаск", "Rural Damascus governorate"),
        ("Δαμασκός", "Damascus governorate"),
        ("حلب", "Aleppo governorate"),
        ("بحلب", "Aleppo governorate"),
        ("حَلَب", "Aleppo governorate"),
        ("دمشق", "Damascus governorate"),
        ("صيدنايا", "Saydnaya"),
        ("المحالج", "al-Mahalej camp"),
        ("حنانو 3", "Hananu 3"),
    ],
)
def test_names_in_other_scripts_are_read(places: Matcher, written: str, name: str) -> None:
    assert _names(f"в {written}.", places) == [(written, name)]


@pytest.mark.parametrize(
    "written",
    ["Москва", "Сидней", "Седина", "Дамаскин", "Халва", "Сербия", "Дама", "помощи", "около",
     "سيارة", "حلبة", "سري", "المساعدات", "الإنسانية"],
)  # fmt: skip
def test_words_that_only_look_alike_are_no_places(places: Matcher, written: str) -> None:
    assert _names(written, places) == []


def test_a_name_of_more_words_wins_over_the_word_it_holds(places: Matcher) -> None:
    assert _names("в Риф Дамаск", places) == [("Риф Дамаск", "Rural Damascus governorate")]
    assert _names("في ريف دمشق", places) == [("ريف دمشق", "Rural Damascus governorate")]


def test_a_preposition_never_starts_or_ends_a_name(places: Matcher) -> None:
    assert _names("в Алеппо и Дамаске", places) == [
        ("Алеппо", "Aleppo governorate"),
        ("Дамаске", "Damascus governorate"),
    ]


def test_mentions_carry_offsets_scores_and_how_they_were_read(places: Matcher) -> None:
    text = "помощь в Сайдной"
    (m,) = translit_places(text, 100, places, [])
    assert (m.start, m.end, text[m.start - 100 : m.end - 100]) == (109, 116, "Сайдной")
    assert 85 <= m.score < 100 and m.how == "transliterated `Saydnoy`"
    assert m.match_note == f"transliterated `Saydnoy`, match {m.score}%"
    (a,) = translit_places("في حلب", 0, places, [])
    assert a.score == 100 and a.how.endswith("compared by its consonants")


def test_names_already_found_and_latin_text_are_left_alone(places: Matcher) -> None:
    taken = [Mention(2, 8, "Алеппо", ("Aleppo city",))]
    assert translit_places("в Алеппо", 0, places, taken) == []
    assert translit_places("Seid Naya and Aleppo, Hanano area", 0, places, []) == []


def test_each_distinct_run_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    book = ledger.load(SEED_DATA, use_cache=False)
    matcher = Matcher(book.places, ignore_case=False)
    read: list[str] = []
    real = suggest_translit._best_reading

    def spy(written: str, script: suggest_translit.Script, m: Matcher):  # type: ignore[no-untyped-def]
        read.append(written)
        return real(written, script, m)

    monkeypatch.setattr(suggest_translit, "_best_reading", spy)
    text = "в Алеппо. " * 50
    assert len(translit_places(text, 0, matcher, [])) == 50
    assert len(translit_places(text, 0, matcher, [])) == 50
    assert sorted(read) == ["Алеппо", "в"]
