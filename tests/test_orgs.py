"""Organisations as a hierarchy (issue 7): `orgs.yaml` resolves claims' `provider` and `claimant`,
and scope findings, containment, zero claims, duplicates and totals see a delivery by a part as a
delivery by the whole (the Russian Center for Reconciliation delivers for Russia, UNICEF for the UN).

Small ledgers are built from test_analysis's `ledger_texts` plus an `orgs.yaml` (without one, names
are compared as written): checked in memory (`org_book`, `org_memory`), or written to tmp with
`org_ledger` where a test needs a folder (the command line, lines read back from the files).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ledger import load, wording
from ledger.analysis import Analysis, analyse
from ledger.hierarchy import Hierarchy, load_hierarchy
from ledger.loader import Ledger
from ledger.problems import Problem
from ledger.totals import totals

from .conftest import SEED_CLAIMS, SEED_DATA, cli_run, line_of
from .test_analysis import check_of, codes, load_memory, summed, write_ledger

SEED_ORGS = SEED_DATA / "orgs.yaml"
ORG_KEYS = {"kind": str, "code": str, "notes": str}
KINDS = {"state", "ministry", "agency", "military", "ngo", "movement", "spokesperson", "media"}
KINDS |= {"expert"}
TOTAL = "ru-mod-2016-12-02-aleppo-damascus-total"

# A small gazetteer of organisations for the tmp ledgers. "Ministry of Defence" is the default
# claimant of test_analysis's claims, so it must resolve.
ORGS = """\
- name: Russia
  kind: state
  aliases: [Russian Federation]
- name: Russian Ministry of Defence
  kind: ministry
  parent: Russia
  aliases: [Ministry of Defence, Russian Defense Ministry]
- name: Russian Center for Reconciliation
  kind: military
  parent: Russian Ministry of Defence
- name: Maj. Gen. Igor Konashenkov
  kind: spokesperson
  parent: Russian Ministry of Defence
  aliases: [Konashenkov]
- name: Iran
  kind: state
- name: United Nations
  kind: agency
  aliases: [UN, the UN]
- name: UNICEF
  kind: agency
  parent: United Nations
- name: World Food Programme
  kind: agency
  parent: United Nations
  aliases: [WFP]
"""


def org_ledger(root: Path, claims: list[dict[str, Any]], orgs: str = ORGS) -> Path:
    """A tmp ledger (see test_analysis.write_ledger) with `orgs` as its orgs.yaml."""
    data = write_ledger(root, claims)
    (data / "orgs.yaml").write_text(orgs, encoding="utf-8")
    return data


def org_memory(claims: list[dict[str, Any]], orgs: str = ORGS) -> Ledger:
    """The ledger `org_ledger` would write, checked in memory whatever its problems."""
    return load_memory(claims, more={"data/orgs.yaml": orgs})


def org_book(root: Path, claims: list[dict[str, Any]], orgs: str = ORGS) -> Ledger:
    """`org_memory`, which must load without errors (`root` is not written to)."""
    book = org_memory(claims, orgs)
    assert book.ok, [p.format() for p in book.problems]
    assert book.orgs is not None
    return book


def org_analysed(root: Path, claims: list[dict[str, Any]], orgs: str = ORGS) -> Analysis:
    return analyse(org_book(root, claims, orgs))


def column(book: Ledger, key: str) -> dict[str, Any]:
    """One attribute of every typed claim, by id (a missing value is None)."""
    return {c.id: getattr(c, key) for c in book.entries}


def org_problems(book: Ledger) -> list[Problem]:
    return [p for p in book.problems if p.code.startswith("org-")]


def lines_of(path: Path, needle: str) -> list[int]:
    """Every 1-based line holding `needle`."""
    text = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(text, 1) if needle in line]


@pytest.fixture(scope="module")
def seed_orgs() -> Hierarchy:
    tree, problems = load_hierarchy(SEED_ORGS, "orgs.yaml", "org", ORG_KEYS)
    assert problems == []
    return tree


@pytest.fixture(scope="module")
def seed_book() -> Ledger:
    return load(SEED_DATA)


# --- resolution --------------------------------------------------------------------------------


def test_seed_claims_resolve_every_provider_and_claimant(seed_book: Ledger):
    assert seed_book.ok, [p.format() for p in seed_book.problems]
    assert seed_book.orgs is not None
    for key in ("provider", "claimant"):
        written = column(seed_book, key)
        resolved = column(seed_book, f"{key}_org")
        for cid, name in written.items():
            if name is None:
                continue
            assert resolved[cid] == seed_book.orgs.resolve(name), (cid, key)
            assert resolved[cid] in seed_book.orgs.entries, (cid, key)
    assert column(seed_book, "provider_org")[TOTAL] == "Russia"
    assert column(seed_book, "claimant_org")[TOTAL] == "Russian Ministry of Defence"
    assert column(seed_book, "provider_org")["ru-mod-un-no-aid-aleppo"] == "United Nations"
    assert column(seed_book, "claimant_org")["ru-mod-un-no-aid-aleppo"] == (
        "Maj. Gen. Igor Konashenkov"
    )


def test_seed_claim_without_provider_has_no_provider_org(seed_book: Ledger):
    # The context claim (a population figure) names no provider: its `provider_org` is None,
    # as the resolve stage documents (a missing value is None, never NaN).
    assert column(seed_book, "provider")["ru-mod-aleppo-residents-liberated"] is None
    assert column(seed_book, "provider_org")["ru-mod-aleppo-residents-liberated"] is None


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Russian Defense Ministry", "Russian Ministry of Defence"),
        ("Russian Ministry of Defense", "Russian Ministry of Defence"),
        ("russian  defense   ministry", "Russian Ministry of Defence"),
        ("UN", "United Nations"),
        ("the UN", "United Nations"),
        ("WFP", "World Food Programme"),
        ("Moscow", "Russia"),
        ("Russian Center for reconciliation", "Russian Center for Reconciliation"),
        ("Konashenkov", "Maj. Gen. Igor Konashenkov"),
        ("Tehran", "Iran"),
        ("Islamic Republic of Iran", "Iran"),
        ("Sheikholeslam", "Hossein Sheikholeslam"),
        ("Syrian Arab Army", "Syrian Arab Army"),
        ("SAA", "Syrian Arab Army"),
        ("Assad's army", "Syrian Arab Army"),
        ("the US", "United States"),
        ("the UK", "United Kingdom"),
        ("Sputnik Persian", "Sputnik"),
        ("SARC", "Syrian Arab Red Crescent"),
    ],
)
def test_seed_names_and_aliases_resolve(seed_orgs: Hierarchy, label: str, name: str):
    assert seed_orgs.resolve(label) == name


def test_aliases_resolve_through_load(tmp_path: Path):
    # The seed orgs.yaml in a tmp ledger; claims name organisations by their aliases.
    claims = [
        {"id": "ru", "quantity": "1 t", "claimant": "Russian Defense Ministry"},
        {"id": "un", "quantity": "2 t", "claimant": "Konashenkov", "provider": "UN"},
        {"id": "wfp", "quantity": "3 t", "claimant": "UN", "provider": "WFP"},
    ]
    book = org_memory(claims, SEED_ORGS.read_text(encoding="utf-8"))
    assert book.ok, [p.format() for p in book.problems]
    assert column(book, "provider_org") == {
        "ru": "Russia",
        "un": "United Nations",
        "wfp": "World Food Programme",
    }
    assert column(book, "claimant_org") == {
        "ru": "Russian Ministry of Defence",
        "un": "Maj. Gen. Igor Konashenkov",
        "wfp": "United Nations",
    }
    # the names as written are kept beside the resolved ones
    assert column(book, "provider") == {"ru": "Russia", "un": "UN", "wfp": "WFP"}


def test_without_orgs_yaml_names_are_not_resolved(tmp_path: Path):
    book = load_memory([{"id": "a", "quantity": "1 t", "provider": "Rusia"}])
    assert book.ok, [p.format() for p in book.problems]
    assert book.orgs is None
    assert column(book, "provider_org") == {"a": None}
    assert column(book, "claimant_org") == {"a": None}


def test_unknown_provider_names_the_closest_at_its_line(tmp_path: Path):
    data = org_ledger(tmp_path, [{"id": "a", "quantity": "1 t", "provider": "Rusia"}])
    book = load(data)
    assert not book.ok
    (problem,) = org_problems(book)
    claim_file = data / "claims" / "src-a.yaml"
    assert problem.code == "org-unknown"
    assert problem.severity == "error"
    assert Path(problem.file).resolve() == claim_file.resolve()
    assert problem.line == line_of(claim_file, "provider: Rusia")
    assert "`Rusia`" in problem.message
    assert "Did you mean" in problem.message and "`Russia`" in problem.message


def test_unknown_claimant_is_reported_at_the_claimant_line(tmp_path: Path):
    data = org_ledger(tmp_path, [{"id": "a", "quantity": "1 t", "claimant": "Konashenkv"}])
    book = load(data)
    (problem,) = org_problems(book)
    assert problem.code == "org-unknown"
    assert problem.line == line_of(data / "claims" / "src-a.yaml", "claimant: Konashenkv")
    assert "`Konashenkov`" in problem.message


def test_unresolved_org_column_is_none_beside_resolved_ones(tmp_path: Path):
    # One unknown provider among resolved ones: its `provider_org` must be None (the resolve
    # stage's contract), not NaN, so that code falling back to the written name (`org or
    # written`) works; the DataFrame view shows it as missing.
    claims = [
        {"id": "bad", "quantity": "1 t", "provider": "Rusia", "claimant": "Sputnikk"},
        {"id": "good", "quantity": "2 t", "places": ["Hananu 3"]},
    ]
    book = org_memory(claims)
    assert {p.code for p in org_problems(book)} == {"org-unknown"}
    assert column(book, "provider_org") == {"bad": None, "good": "Russia"}
    assert column(book, "claimant_org") == {"bad": None, "good": "Russian Ministry of Defence"}
    view = book.claims.set_index("id")
    assert view["provider_org"].isna().to_dict() == {"bad": True, "good": False}


def test_totals_group_an_unresolved_provider_under_its_written_name(tmp_path: Path):
    # A ledger with errors is still totalled (exit 1): the unknown provider keeps its name.
    claims = [
        {"id": "bad", "quantity": "1 t", "provider": "Rusia"},
        {"id": "good", "quantity": "2 t", "places": ["Hananu 3"]},
    ]
    book = org_memory(claims)
    got = {
        r["provider"]: r["point"]
        for r in totals(analyse(book), by=("provider",)).to_dict("records")
    }
    assert got == {"Rusia": 1.0, "Russia": 2.0}


def test_unresolved_different_providers_are_not_duplicates(tmp_path: Path):
    # Two misspelt, different providers: compared as written, they are not the same delivery.
    # (A third claim whose provider resolves makes the column hold names beside the gaps.)
    pair = {"quantity": "4 t", "places": ["Hananu 3"], "date": "2016-12-02"}
    claims = [
        {"id": "a", "provider": "Rusia", **pair},
        {"id": "b", "provider": "Irann", "source": "src-b", **pair},
        {"id": "c", "provider": "Russia", "quantity": "40 t", "places": ["Saydnaya"]},
    ]
    book = org_memory(claims)
    assert {p.code for p in org_problems(book)} == {"org-unknown"}
    assert analyse(book).duplicates == []


AMBIGUOUS = """\
- name: Russian Ministry of Defence
  kind: ministry
  aliases: [Ministry of Defence, MoD]
- name: UK Ministry of Defence
  kind: ministry
  aliases: [MoD]
- name: Russia
  kind: state
"""


def test_ambiguous_alias_names_every_candidate(tmp_path: Path):
    data = org_ledger(tmp_path, [{"id": "a", "quantity": "1 t", "provider": "MoD"}], AMBIGUOUS)
    book = load(data)
    (problem,) = org_problems(book)
    assert problem.code == "org-ambiguous"
    assert problem.line == line_of(data / "claims" / "src-a.yaml", "provider: MoD")
    assert "`Russian Ministry of Defence`" in problem.message
    assert "`UK Ministry of Defence`" in problem.message
    assert book.orgs is not None
    with pytest.raises(LookupError) as info:
        book.orgs.resolve("mod")
    assert sorted(info.value.candidates) == [
        "Russian Ministry of Defence",
        "UK Ministry of Defence",
    ]


@pytest.mark.parametrize(
    ("text", "code", "entry", "needle"),
    [
        (
            "- name: Russia\n  kind: state\n- name: Russian MoD\n  kind: ministry\n"
            "  parent: Rusia\n",
            "org-parent-unknown",
            "- name: Russian MoD",
            "`Russia`",
        ),
        (
            "- name: Russia\n  kind: state\n  parent: Russian MoD\n- name: Russian MoD\n"
            "  kind: ministry\n  parent: Russia\n",
            "org-cycle",
            "- name: Russia",
            "its own ancestor",
        ),
        (
            "- name: UNICEF\n  kind: agency\n  parent: UNICEF\n",
            "org-cycle",
            "- name: UNICEF",
            "its own ancestor",
        ),
    ],
    ids=["parent-unknown", "cycle", "self-parent"],
)
def test_orgs_file_problems_carry_their_lines(
    tmp_path: Path, text: str, code: str, entry: str, needle: str
):
    data = org_ledger(tmp_path, [{"id": "a", "quantity": "1 t", "claimant": "Russia"}], text)
    book = load(data)
    hits = [p for p in book.problems if p.file.endswith("orgs.yaml")]
    assert [p.code for p in hits] == [code], [p.format() for p in book.problems]
    assert hits[0].line == line_of(data / "orgs.yaml", entry)
    assert needle in hits[0].message
    assert not book.ok


def test_orgs_file_duplicate_is_reported_at_the_second_entry(tmp_path: Path):
    text = ORGS + "- name: UNICEF\n  kind: agency\n"
    data = org_ledger(tmp_path, [{"id": "a", "quantity": "1 t"}], text)
    book = load(data)
    hits = [p for p in book.problems if p.file.endswith("orgs.yaml")]
    first, second = lines_of(data / "orgs.yaml", "- name: UNICEF")
    assert [(p.code, p.line) for p in hits] == [("org-duplicate", second)]
    assert f"line {first}" in hits[0].message


# --- the seed orgs.yaml ------------------------------------------------------------------------

SEED_ACTORS = [
    # (as the article or the issue names it, name in orgs.yaml, kind)
    ("Russia", "Russia", "state"),
    ("Russian Ministry of Defense", "Russian Ministry of Defence", "ministry"),
    ("Russian Center for reconciliation", "Russian Center for Reconciliation", None),
    ("Maj. Gen. Igor Konashenkov", "Maj. Gen. Igor Konashenkov", "spokesperson"),
    ("Iran", "Iran", "state"),
    ("Iranian Foreign Ministry", "Iranian Ministry of Foreign Affairs", "ministry"),
    ("Hossein Sheikholeslam", "Hossein Sheikholeslam", "spokesperson"),
    ("the Syrian government", "Syrian government", None),
    ("Syrian Arab Army", "Syrian Arab Army", None),
    ("the US", "United States", "state"),
    ("the UK", "United Kingdom", "state"),
    ("France", "France", "state"),
    ("the UN", "United Nations", None),
    ("Sputnik", "Sputnik", "media"),
]


@pytest.mark.parametrize(("label", "name", "kind"), SEED_ACTORS, ids=[a[1] for a in SEED_ACTORS])
def test_seed_orgs_hold_every_actor_of_the_article(
    seed_orgs: Hierarchy, label: str, name: str, kind: str | None
):
    assert seed_orgs.resolve(label) == name
    got = seed_orgs.get(name, "kind")
    assert got in KINDS, (name, got)
    if kind is not None:
        assert got == kind


@pytest.mark.parametrize(
    ("outer", "inner"),
    [
        ("Russia", "Russian Ministry of Defence"),
        ("Russia", "Russian Center for Reconciliation"),
        ("Russian Ministry of Defence", "Russian Center for Reconciliation"),
        ("Russian Ministry of Defence", "Maj. Gen. Igor Konashenkov"),
        ("Iran", "Hossein Sheikholeslam"),
        ("Syrian government", "Syrian Arab Army"),
        ("United Nations", "UNICEF"),
        ("United Nations", "OCHA"),
        ("United Nations", "World Food Programme"),
        ("United Nations", "UNHCR"),
        ("United Nations", "World Health Organization"),
        ("International Red Cross and Red Crescent Movement", "ICRC"),
        ("International Red Cross and Red Crescent Movement", "IFRC"),
        ("International Red Cross and Red Crescent Movement", "Syrian Arab Red Crescent"),
    ],
)
def test_seed_orgs_nest_units_in_their_wholes(seed_orgs: Hierarchy, outer: str, inner: str):
    assert seed_orgs.contains(outer, inner)
    assert not seed_orgs.contains(inner, outer)


def test_seed_orgs_keep_unrelated_actors_apart(seed_orgs: Hierarchy):
    assert not seed_orgs.contains("Russia", "Iranian Ministry of Foreign Affairs")
    assert not seed_orgs.contains("United Nations", "ICRC")
    assert not seed_orgs.contains("United Kingdom", "USAID")
    assert not seed_orgs.contains("Syrian government", "Syrian Arab Red Crescent")
    # Sputnik publishes the article: it reports, it belongs to none of the actors it quotes
    assert seed_orgs.ancestors("Sputnik") == ()


def test_every_seed_org_has_a_known_kind_and_text_codes(seed_orgs: Hierarchy):
    assert len(seed_orgs.entries) >= 20
    for name, entry in seed_orgs.entries.items():
        assert entry.fields.get("kind") in KINDS, name
        code = entry.fields.get("code")
        assert code is None or (isinstance(code, str) and code.strip()), name
    agencies = ("OCHA", "UNICEF", "World Food Programme", "UNHCR", "World Health Organization")
    assert all(seed_orgs.get(a, "kind") == "agency" for a in agencies)
    assert seed_orgs.get("UNICEF", "code") == "XM-DAC-41122"


# --- scope of a summed claim -------------------------------------------------------------------


def test_part_by_a_unit_of_the_provider_is_in_scope(tmp_path: Path):
    claims = summed("3 t", ["1 t", "2 t"])
    claims[1]["provider"] = "Russian Center for Reconciliation"
    claims[2]["provider"] = "Russian Defense Ministry"
    c = check_of(org_analysed(tmp_path, claims), "total")
    assert codes(c) == []
    assert c.verdict == "supported"


def test_part_by_an_unrelated_org_is_out_of_scope(tmp_path: Path):
    claims = summed("3 t", ["1 t", "2 t"])
    claims[1]["provider"] = "Iran"
    c = check_of(org_analysed(tmp_path, claims), "total")
    assert [(f.code, f.part) for f in c.findings] == [("scope-provider", "p1")]
    assert "Iran" in wording.finding(c.findings[0])


def test_part_by_the_whole_is_outside_a_units_claim(tmp_path: Path):
    # The hierarchy is directed: Russia is not a part of its Center for Reconciliation.
    claims = summed("3 t", ["1 t", "2 t"], provider="Russian Center for Reconciliation")
    claims[2]["provider"] = "Russian Center for Reconciliation"
    c = check_of(org_analysed(tmp_path, claims), "total")
    assert [(f.code, f.part) for f in c.findings] == [("scope-provider", "p1")]


def test_without_orgs_yaml_a_unit_is_another_provider(tmp_path: Path):
    # With no orgs.yaml, names are compared as written.
    claims = summed("3 t", ["1 t", "2 t"])
    claims[1]["provider"] = "Russian Center for Reconciliation"
    book = load_memory(claims)
    assert book.ok, [p.format() for p in book.problems]
    assert [(f.code, f.part) for f in check_of(analyse(book), "total").findings] == [
        ("scope-provider", "p1")
    ]


# --- containment through the hierarchy ---------------------------------------------------------


def test_a_claim_about_the_un_covers_its_agencies(tmp_path: Path):
    claims = [
        {"id": "un", "claimant": "UN", "provider": "UN", "quantity": "1 t", "period": "2016-12"},
        {
            "id": "unicef",
            "source": "src-b",
            "claimant": "UNICEF",
            "provider": "UNICEF",
            "quantity": "5 t",
            "places": ["Hananu 3"],
            "date": "2016-12-02",
        },
    ]
    a = org_analysed(tmp_path, claims)
    assert [(c.code, c.outer, c.inner) for c in a.conflicts] == [
        ("containment-conflict", "un", "unicef")
    ]
    assert a.failing()


def test_an_agency_claim_does_not_cover_the_un(tmp_path: Path):
    # The reverse: UNICEF's 1 t says nothing about what the UN as a whole delivered.
    claims = [
        {"id": "unicef", "provider": "UNICEF", "quantity": "1 t", "period": "2016-12"},
        {
            "id": "un",
            "source": "src-b",
            "provider": "UN",
            "quantity": "5 t",
            "places": ["Hananu 3"],
            "date": "2016-12-02",
        },
    ]
    assert org_analysed(tmp_path, claims).conflicts == []


UN_NONE = {
    "id": "un-none",
    "claimant": "Konashenkov",
    "provider": "UN",
    "quantity": "none",
    "places": ["eastern Aleppo"],
    "period": "2016-11-28/2016-12-02",
    "quote": "the UN has yet to offer humanitarian assistance to Aleppo residents",
}


def unicef_delivery(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "unicef",
        "source": "src-b",
        "claimant": "UNICEF",
        "provider": "UNICEF",
        "item": "flour",
        "quantity": "2 t",
        "places": ["Hananu 3"],
        "date": "2016-12-02",
    }
    return {**base, **fields}


def test_zero_claim_about_the_un_contradicted_by_unicefs_delivery(tmp_path: Path):
    a = org_analysed(tmp_path, [UN_NONE, unicef_delivery()])
    assert [(c.code, c.outer, c.inner) for c in a.conflicts] == [
        ("zero-contradicted", "un-none", "unicef")
    ]
    # who says it and about whom stay apart in the message
    assert "Konashenkov says UN gave none" in wording.conflict(a.conflicts[0])
    assert "UNICEF states 2 t" in wording.conflict(a.conflicts[0])
    assert a.failing()


def test_zero_claim_about_the_un_contradicted_by_a_delivery_named_by_alias(tmp_path: Path):
    a = org_analysed(tmp_path, [UN_NONE, unicef_delivery(provider="WFP")])
    assert [(c.code, c.outer, c.inner) for c in a.conflicts] == [
        ("zero-contradicted", "un-none", "unicef")
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "pledged"},  # a pledge is not a delivery
        {"status": "planned"},
        {"date": "2016-12-05"},  # after the zero claim's period
        {"date": "2016-11-20"},  # before it
        {"places": ["Saydnaya"]},  # outside its places
        {"places": ["al-Mahalej camp"]},  # Aleppo governorate, but not eastern Aleppo
        {"provider": "Iran"},  # an unrelated provider
        {"provider": "Russian Center for Reconciliation"},  # a unit of another whole
    ],
    ids=["pledge", "planned", "later", "earlier", "elsewhere", "camp", "iran", "ru-unit"],
)
def test_zero_claim_about_the_un_not_contradicted_outside_its_scope(
    tmp_path: Path, fields: dict[str, Any]
):
    a = org_analysed(tmp_path, [UN_NONE, unicef_delivery(**fields)])
    assert a.conflicts == []


def test_zero_claim_about_an_agency_not_contradicted_by_a_sister_agency(tmp_path: Path):
    zero = {**UN_NONE, "provider": "World Food Programme"}
    assert org_analysed(tmp_path, [zero, unicef_delivery()]).conflicts == []


# --- duplicates ---------------------------------------------------------------------------------


def _reported_twice(b_provider: str) -> list[dict[str, Any]]:
    a = {"id": "a", "provider": "WFP", "claimant": "WFP", "quantity": "about 4 t"}
    b = {"id": "b", "provider": b_provider, "claimant": "UN", "quantity": "4 t", "source": "src-b"}
    where = {"places": ["Hananu 3"], "date": "2016-12-02"}
    return [{**a, **where}, {**b, **where}]


def test_same_delivery_under_an_alias_and_a_name_is_a_duplicate(tmp_path: Path):
    a = org_analysed(tmp_path, _reported_twice("World Food Programme"))
    assert [(d.a, d.b) for d in a.duplicates] == [("a", "b")]
    assert "same_as" in wording.duplicate(a.duplicates[0])


def test_deliveries_by_two_agencies_are_not_duplicates(tmp_path: Path):
    assert org_analysed(tmp_path, _reported_twice("UNICEF")).duplicates == []


# --- totals -------------------------------------------------------------------------------------


def _three_providers() -> list[dict[str, Any]]:
    return [
        {
            "id": "rcr",
            "provider": "Russian Center for Reconciliation",
            "quantity": "2 t",
            "places": ["Hananu 3"],
        },
        {"id": "ru", "provider": "Russia", "quantity": "1 t", "places": ["Saydnaya"]},
        {"id": "ir", "provider": "Iran", "quantity": "3 t", "places": ["al-Mahalej camp"]},
        {"id": "wfp", "provider": "WFP", "quantity": "4 t", "places": ["Beirut"]},
    ]


def _points(table) -> dict[str, float]:
    return {r["provider"]: r["point"] for r in table.to_dict("records")}


def test_totals_lift_providers_to_their_state(tmp_path: Path):
    a = org_analysed(tmp_path, _three_providers())
    got = _points(totals(a, by=("provider",), org_level="state"))
    # WFP has no state above it: it stays itself, under its name in orgs.yaml
    assert got == {"Russia": 3.0, "Iran": 3.0, "World Food Programme": 4.0}


def test_totals_without_org_level_keep_each_provider(tmp_path: Path):
    a = org_analysed(tmp_path, _three_providers())
    assert _points(totals(a, by=("provider",))) == {
        "Russian Center for Reconciliation": 2.0,
        "Russia": 1.0,
        "Iran": 3.0,
        "World Food Programme": 4.0,
    }


def test_totals_lift_to_the_nearest_org_of_a_kind(tmp_path: Path):
    a = org_analysed(tmp_path, _three_providers())
    got = _points(totals(a, by=("provider",), org_level="ministry"))
    assert got == {
        "Russian Ministry of Defence": 2.0,
        "Russia": 1.0,
        "Iran": 3.0,
        "World Food Programme": 4.0,
    }


def test_totals_cli_org_level_state(tmp_path: Path):
    data = org_ledger(tmp_path, _three_providers())
    result = cli_run(
        "totals", str(data), "--by", "provider", "--org-level", "state", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    got = {r["provider"]: r["point"] for r in json.loads(result.output)}
    assert got == {"Russia": 3, "Iran": 3, "World Food Programme": 4}
    text = cli_run("totals", str(data), "--by", "provider", "--org-level", "state")
    assert text.exit_code == 0, text.output
    assert "Russia" in text.output
    assert "Russian Center for Reconciliation" not in text.output
    plain = cli_run("totals", str(data), "--by", "provider")
    assert plain.exit_code == 0, plain.output
    assert "Russian Center for Reconciliation" in plain.output


def test_totals_cli_refuses_an_unknown_org_level(tmp_path: Path):
    data = org_ledger(tmp_path, _three_providers())
    result = cli_run("totals", str(data), "--by", "provider", "--org-level", "galaxy")
    assert result.exit_code == 2
    assert "galaxy" in result.output


# --- claimant and provider stay apart -----------------------------------------------------------


def test_seed_report_json_keeps_claimant_and_provider_apart():
    result = cli_run("report", str(SEED_DATA), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["checks"]
    for check in doc["checks"]:
        assert {"claimant", "provider"} <= set(check), check["claim"]
        for part in check["parts"]:
            assert {"claimant", "provider"} <= set(part), part["claim"]
    (total,) = [c for c in doc["checks"] if c["claim"] == TOTAL]
    assert total["claimant"] == "Russian Ministry of Defence"
    assert total["provider"] == "Russia"
    assert total["claimant"] != total["provider"]
    # the seed claim file indeed says so (the report does not invent either)
    claims = (SEED_DATA / SEED_CLAIMS).read_text(encoding="utf-8")
    assert "claimant: Russian Ministry of Defence\n    provider: Russia\n" in claims


def test_report_json_conflict_names_claimant_and_provider(tmp_path: Path):
    data = org_ledger(tmp_path, [UN_NONE, unicef_delivery()])
    result = cli_run("report", str(data), "--format", "json")
    assert result.exit_code == 1, result.output
    (conflict,) = json.loads(result.output)["conflicts"]
    assert conflict["code"] == "zero-contradicted"
    assert (conflict["outer"]["claimant"], conflict["outer"]["provider"]) == ("Konashenkov", "UN")
    assert (conflict["inner"]["claimant"], conflict["inner"]["provider"]) == ("UNICEF", "UNICEF")


# --- kinds and the nearest ancestor of a kind (ledger.vocab.OrgKind, Hierarchy.nearest) --------


def test_kinds_are_the_vocabulary():
    from ledger.vocab import OrgKind

    assert set(OrgKind) == KINDS


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Russian Center for Reconciliation", "state", "Russia"),
        ("Russian Center for Reconciliation", "ministry", "Russian Ministry of Defence"),
        ("Russian Center for Reconciliation", "military", "Russian Center for Reconciliation"),
        ("Maj. Gen. Igor Konashenkov", "state", "Russia"),
        ("Hossein Sheikholeslam", "state", "Iran"),
        ("UNICEF", "agency", "UNICEF"),  # itself, not the United Nations above it
        ("Russia", "ministry", None),  # a walk goes up, never down
        ("Sputnik", "state", None),  # a publisher belongs to no state in the ledger
        ("Nowhere", "state", None),
    ],
)
def test_nearest_org_of_a_kind(seed_orgs: Hierarchy, name: str, kind: str, expected: str | None):
    assert seed_orgs.nearest(name, "kind", kind) == expected


def test_totals_cli_offers_every_org_kind(tmp_path: Path):
    data = org_ledger(tmp_path, _three_providers())
    result = cli_run("totals", str(data), "--by", "provider", "--org-level", "spokesperson")
    assert result.exit_code == 0, result.output
