"""The gazetteer (`data/places.yaml` through `ledger.hierarchy`): aliases, ambiguity, containment,
and the mistakes a places file itself can hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.hierarchy import Hierarchy, ResolveError, load_hierarchy

from .conftest import SEED_DATA, line_of

PLACE_KEYS = {"code": str, "level": str, "notes": str}


@pytest.fixture(scope="module")
def places() -> Hierarchy:
    tree, problems = load_hierarchy(SEED_DATA / "places.yaml", "places.yaml", "place", PLACE_KEYS)
    assert problems == []
    return tree


def load_places(tmp_path: Path, text: str) -> tuple[Hierarchy, list, Path]:
    path = tmp_path / "places.yaml"
    path.write_text(text, encoding="utf-8")
    tree, problems = load_hierarchy(path, "places.yaml", "place", PLACE_KEYS)
    return tree, problems, path


def resolve_error(tree: Hierarchy, label: str) -> ResolveError:
    with pytest.raises(ResolveError) as info:
        tree.resolve(label)
    return info.value


# --- the seed gazetteer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Saydnaya", "Saydnaya"),
        ("Seid Naya", "Saydnaya"),
        ("seid  naya", "Saydnaya"),
        ("Sednaya", "Saydnaya"),
        ("Hananu 3", "Hananu 3"),
        ("Hanano 3", "Hananu 3"),
        ("hanano 3", "Hananu 3"),
        ("Mahalej camp", "al-Mahalej camp"),
        ("Rural Damascus", "Rural Damascus governorate"),
        ("Rif Dimashq", "Rural Damascus governorate"),
        ("Damascus", "Damascus governorate"),
        ("Syria", "Syria"),
    ],
)
def test_names_and_aliases_resolve(places, label, name):
    assert places.resolve(label) == name


def test_aleppo_is_ambiguous_and_lists_both(places):
    err = resolve_error(places, "Aleppo")
    assert err.code == "place-ambiguous"
    assert sorted(err.candidates) == ["Aleppo city", "Aleppo governorate"]
    assert "`Aleppo city`" in str(err) and "`Aleppo governorate`" in str(err)
    assert resolve_error(places, "aleppo").code == "place-ambiguous"


def test_unknown_place_names_the_closest(places):
    err = resolve_error(places, "Saydnya")
    assert err.code == "place-unknown"
    assert "Did you mean" in str(err)
    assert "`Saydnaya`" in str(err)


def test_unknown_place_far_from_any_name(places):
    err = resolve_error(places, "Xyzzy")
    assert err.code == "place-unknown"
    assert "Did you mean" not in str(err)


def test_codes_are_kept(places):
    assert places.get("Aleppo governorate", "code") == "SY02"
    assert places.get("Rural Damascus governorate", "code") == "SY03"
    assert places.get("Damascus governorate", "code") == "SY01"
    assert places.get("Nowhere", "code", "?") == "?"


def test_contains_walks_the_parents(places):
    assert places.contains("Aleppo city", "Hananu 3")
    assert places.contains("Aleppo governorate", "Hananu 3")
    assert places.contains("Syria", "Hananu 3")
    assert places.contains("Aleppo governorate", "al-Mahalej camp")
    assert not places.contains("Aleppo city", "al-Mahalej camp")  # finer location unknown
    assert not places.contains("Hananu 3", "Aleppo city")
    assert places.contains("Saydnaya", "Saydnaya")


def test_saydnaya_is_in_rural_damascus_not_damascus(places):
    assert places.contains("Rural Damascus governorate", "Saydnaya")
    assert not places.contains("Damascus governorate", "Saydnaya")
    assert places.contains("Syria", "Saydnaya")


def test_ancestors_nearest_first(places):
    assert places.ancestors("Hananu 3") == (
        "eastern Aleppo",
        "Aleppo city",
        "Aleppo governorate",
        "Syria",
    )
    assert places.ancestors("Syria") == ()


def test_every_seed_place_is_in_the_gazetteer(places):
    for name in ("Aleppo city", "Hananu 3", "al-Mahalej camp", "Saydnaya"):
        assert name in places.entries


# --- mistakes in a places file --------------------------------------------------------------


def test_unknown_parent(tmp_path):
    text = "- name: Syria\n- name: Aleppo governorate\n  parent: Syira\n"
    tree, problems, path = load_places(tmp_path, text)
    (p,) = problems
    assert p.code == "place-parent-unknown"
    assert p.line == line_of(path, "name: Aleppo governorate")
    assert "`Syria`" in p.message
    assert tree.ancestors("Aleppo governorate") == ()


def test_cycle_of_two(tmp_path):
    text = "- name: A\n  parent: B\n- name: B\n  parent: A\n- name: C\n  parent: B\n"
    tree, problems, path = load_places(tmp_path, text)
    cycles = [p for p in problems if p.code == "place-cycle"]
    assert len(cycles) == 1
    assert cycles[0].line == line_of(path, "name: A")
    assert "`A`" in cycles[0].message
    # the loop is cut, and every walk ends
    assert tree.ancestors("C") in (("B", "A"), ("B",))
    assert tree.contains("B", "C")


def test_self_parent_is_a_cycle(tmp_path):
    tree, problems, path = load_places(tmp_path, "- name: A\n  parent: A\n")
    assert [p.code for p in problems] == ["place-cycle"]
    assert problems[0].line == 1
    assert tree.ancestors("A") == ()


def test_cycle_is_reported_on_its_members_only(tmp_path):
    """An entry whose parents lead into a cycle is not in the cycle: its own link is sound."""
    text = "- name: C\n  parent: A\n- name: A\n  parent: B\n- name: B\n  parent: A\n"
    tree, problems, path = load_places(tmp_path, text)
    cycles = [p for p in problems if p.code == "place-cycle"]
    assert len(cycles) == 1
    assert cycles[0].line in (line_of(path, "name: A"), line_of(path, "name: B"))
    assert tree.entries["C"].parent == "A"
    assert tree.contains("A", "C")


def test_duplicate_name(tmp_path):
    text = "- name: Syria\n- name: Aleppo\n  parent: Syria\n- name: Aleppo\n"
    tree, problems, path = load_places(tmp_path, text)
    (p,) = problems
    assert p.code == "place-duplicate"
    assert p.line == 4
    assert "first on line 2" in p.message
    assert tree.entries["Aleppo"].parent == "Syria"  # the first entry is kept


def test_alias_shared_by_two_entries_is_ambiguous(tmp_path):
    text = "- name: Big\n  aliases: [X]\n- name: Small\n  parent: Big\n  aliases: [x]\n"
    tree, problems, _ = load_places(tmp_path, text)
    assert problems == []
    err = resolve_error(tree, "X")
    assert err.code == "place-ambiguous"
    assert err.candidates == ["Big", "Small"]


def test_unknown_key_says_did_you_mean(tmp_path):
    tree, problems, path = load_places(tmp_path, "- name: Syria\n  aliasses: [SY]\n")
    (p,) = problems
    assert p.code == "key-unknown"
    assert p.line == 2
    assert "`aliases`" in p.message


def test_entry_without_a_name(tmp_path):
    tree, problems, path = load_places(tmp_path, "- name: Syria\n- code: SY01\n")
    (p,) = problems
    assert p.code == "key-missing"
    assert p.line == 2
    assert list(tree.entries) == ["Syria"]


def test_entry_that_is_not_a_mapping(tmp_path):
    tree, problems, path = load_places(tmp_path, "- name: Syria\n- Aleppo\n")
    assert [(p.code, p.line) for p in problems] == [("type-invalid", 2)]


def test_aliases_must_be_a_list(tmp_path):
    tree, problems, path = load_places(tmp_path, "- name: Syria\n  aliases: SY\n")
    assert [(p.code, p.line) for p in problems] == [("type-invalid", 2)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- name: Damascus governorate\n  code: 0101\n", 2),
        ("- name: Syria\n  level: [country]\n", 2),
        ("- name: A\n- name: B\n  parent: 5\n", 3),
    ],
)
def test_extra_keys_are_typed(tmp_path, text, line):
    """`code: 0101` is the number 101 to YAML; a P-code must be written as text."""
    tree, problems, path = load_places(tmp_path, text)
    assert [(p.code, p.line) for p in problems] == [("type-invalid", line)]


def test_places_file_must_be_a_list(tmp_path):
    tree, problems, path = load_places(tmp_path, "name: Syria\n")
    assert [(p.code, p.line) for p in problems] == [("file-top-level", 1)]
    assert tree.entries == {}


# --- levels and the nearest ancestor at a level (ledger.vocab.PlaceLevel, Hierarchy.nearest) ----


def test_every_seed_place_has_a_known_level(places):
    from ledger.vocab import PlaceLevel

    levels = {entry.fields.get("level") for entry in places.entries.values()}
    assert levels <= set(PlaceLevel)
    assert None not in levels


@pytest.mark.parametrize(
    ("name", "level", "expected"),
    [
        ("Hananu 3", "governorate", "Aleppo governorate"),
        ("Hananu 3", "city", "Aleppo city"),
        ("Hananu 3", "area", "eastern Aleppo"),
        ("Hananu 3", "country", "Syria"),
        ("Hananu 3", "neighbourhood", "Hananu 3"),  # itself when it is at that level
        ("Saydnaya", "governorate", "Rural Damascus governorate"),
        ("al-Mahalej camp", "city", None),  # its finer location is unknown: no city above it
        ("Syria", "governorate", None),  # nothing above the country
        ("Hananu 3", "district", None),  # no district in the seed gazetteer
        ("Nowhere", "country", None),  # an unknown name has no level and no parents
    ],
)
def test_nearest_walks_up_to_a_level(places, name, level, expected):
    assert places.nearest(name, "level", level) == expected


def test_nearest_follows_a_chain_loaded_later(tmp_path):
    """The walk reads the parents as they are now: an entry added later extends the chain."""
    tree, problems, _ = load_places(
        tmp_path, "- name: B\n  level: city\n  parent: A\n- name: A\n  level: governorate\n"
    )
    assert problems == []
    assert tree.nearest("B", "level", "governorate") == "A"
    assert tree.nearest("B", "code", "SY02") is None


# --- the nearest value of a field (Hierarchy.first: an item's inherited dimension) -----------


def test_first_is_the_nearest_value_set_on_the_entry_or_above(tmp_path):
    """Its own value first, then the nearest ancestor's; an empty value does not count."""
    tree, problems, _ = load_places(
        tmp_path,
        "- name: A\n  code: SY02\n"
        '- name: B\n  parent: A\n  code: ""\n'
        "- name: C\n  parent: B\n"
        "- name: D\n  parent: C\n  code: SY0201\n",
    )
    assert problems == []
    assert tree.first("A", "code") == "SY02"
    assert tree.first("B", "code") == "SY02"  # its own is empty: A's
    assert tree.first("C", "code") == "SY02"  # nothing on C nor B: two steps up
    assert tree.first("D", "code") == "SY0201"  # its own wins over an ancestor's
    assert tree.first("D", "level") is None  # set nowhere on the chain
    assert tree.first("Nowhere", "code") is None  # an unknown name


def test_first_reads_the_dimension_items_inherit():
    """What the item-unit check reads: flour is weighed itself, pills are counted, `food`
    and `humanitarian aid` name no dimension and accept any unit."""
    items, problems = load_hierarchy(
        SEED_DATA / "items.yaml", "items.yaml", "item", {"dimension": str, "notes": str}
    )
    assert problems == []
    assert items.first("flour", "dimension") == "mass"
    assert items.first("pills", "dimension") == "pill"
    assert items.first("food", "dimension") is None
    assert items.first("humanitarian aid", "dimension") is None
