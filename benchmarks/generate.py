"""Synthetic ledgers for benchmarks: `python benchmarks/generate.py --claims N --out DIR --seed S`.

Not part of the installed package: `make bench` (benchmarks/run.py) imports `generate` from
here, and a person can run this file to write a ledger by hand (`--help`).

Why synthetic: the seed ledger has 12 claims, and real ledgers of hundreds of thousands of
claims are not ours to ship. To time `check` and `report` at 10^4..10^6 claims we need a ledger
that looks like a real one to every stage of the checker (many claim files, a gazetteer of
thousands of places, quotes that verify against stored documents, a mix of qualifiers, units,
statuses, sums, duplicates and contradictions), is the same byte for byte for the same seed (so
runs on different days compare the same work), and is fast to write (YAML is written as text
with string formatting, never through a YAML emitter).

Every generated ledger is meant to pass `aid-ledger check` with 0 errors and 0 warnings:
a problem reported on it is either a generator bug or a checker bug, never noise.

Layout of DIR (document paths are relative to DIR, the ledger folder's parent):

    DIR/data/sources.yaml, places.yaml, items.yaml, orgs.yaml, units.txt, config.yaml
    DIR/data/claims/<source id>.yaml     about 1,000 claims each, one source per file
                                         (--claims-per-file K: the same claims in files of K,
                                         each a source `<source id>-pNN` of its own)
    DIR/seeds/<source id>.txt            the source documents the quotes come from
    DIR/bench-ledger.json                what was generated (parameters and counts), written last

The figures, places and documents are made up; only organisation names are real (they must
resolve through orgs.yaml like a real ledger's).

What a figure means is the package's rule, not the generator's: every quantity phrase it writes
is read back with `ledger.quantity.parse_quantity`, converted with the package's unit registry
(`ledger.units` on the repository's units.txt) and widened with `ledger.intervals.rounded` under
its config.yaml (each ledger gets a copy of both), so its sums and contradictions are the ones
`check` and `report` compute. What
it keeps of its own, on purpose, is how things are *written* (number words, the plain and folded
YAML layout of hand-written files): see the comments at `words` and `yaml_text`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `python benchmarks/generate.py` from a source tree

from ledger.add import scalar  # noqa: E402
from ledger.config import Tolerances, load_config  # noqa: E402
from ledger.formatting import number as num_text  # noqa: E402
from ledger.intervals import INF, Interval, rounded, total  # noqa: E402
from ledger.numbers import step_of  # noqa: E402
from ledger.quantity import QUALIFIERS, parse_quantity  # noqa: E402
from ledger.units import Units, units_for  # noqa: E402

GENERATOR_VERSION = 1  # bump when the output changes, so cached benchmark ledgers are rebuilt
CLAIMS_PER_FILE = 1000
MARKER = "bench-ledger.json"
SUM_SHARE = 0.10  # share of claims that are `sum_of` another claims of the same file
DUPLICATE_SHARE = 0.015  # claims repeating a delivery of the previous source
CONTRADICTION_SHARE = 0.05  # share of sums whose stated figure cannot hold their parts
CONTEXT_SHARE = 0.02  # population figures (`status: context`)
ZERO_SHARE = 0.002  # "has not delivered any aid" claims
DAYS_PER_SOURCE = 4  # sources are published this far apart: the same density at every size
FIRST_PUBLISHED = date(2012, 3, 1)


class BenchRefused(Exception):
    """The output folder holds something that is not a generated ledger: nothing is written."""


# --- reference data -----------------------------------------------------------------------

# (name, P-code, weight): OCHA admin1 P-codes of Syria; weights skew claims towards the
# governorates most reports are about.
GOVERNORATES = [
    ("Damascus", "SY01", 8), ("Aleppo", "SY02", 18), ("Rural Damascus", "SY03", 14),
    ("Homs", "SY04", 9), ("Hama", "SY05", 8), ("Lattakia", "SY06", 5), ("Idleb", "SY07", 12),
    ("Al-Hasakeh", "SY08", 6), ("Deir-ez-Zor", "SY09", 6), ("Tartous", "SY10", 3),
    ("Ar-Raqqa", "SY11", 5), ("Daraa", "SY12", 6), ("As-Sweida", "SY13", 3),
    ("Quneitra", "SY14", 2),
]  # fmt: skip

# Organisations: (name, kind, parent, aliases, provider weight). Weight 0: claimant only.
ORGS = [
    ("Russia", "state", None, ["Russian Federation"], 10),
    ("Russian Ministry of Defence", "ministry", "Russia", ["Russian Defence Ministry"], 6),
    ("Russian Center for Reconciliation", "military", "Russian Ministry of Defence",
     ["Russian Centre for Reconciliation"], 6),
    ("EMERCOM", "ministry", "Russia", ["Russian Emergencies Ministry"], 2),
    ("Iran", "state", None, ["Islamic Republic of Iran"], 5),
    ("China", "state", None, ["People's Republic of China"], 3),
    ("Kazakhstan", "state", None, [], 1),
    ("Belarus", "state", None, [], 1),
    ("Armenia", "state", None, [], 1),
    ("India", "state", None, [], 2),
    ("Turkey", "state", None, ["Turkiye"], 4),
    ("AFAD", "agency", "Turkey", ["Turkish Disaster and Emergency Management Authority"], 3),
    ("Qatar", "state", None, [], 2),
    ("Saudi Arabia", "state", None, ["Kingdom of Saudi Arabia"], 2),
    ("KSrelief", "agency", "Saudi Arabia", ["King Salman Humanitarian Aid and Relief Centre"], 3),
    ("United Arab Emirates", "state", None, ["UAE"], 3),
    ("Kuwait", "state", None, [], 2),
    ("Jordan", "state", None, [], 2),
    ("Egypt", "state", None, [], 1),
    ("Iraq", "state", None, [], 2),
    ("Germany", "state", None, ["Federal Republic of Germany"], 4),
    ("France", "state", None, ["French Republic"], 2),
    ("United Kingdom", "state", None, ["UK", "Britain"], 3),
    ("United States", "state", None, ["United States of America", "USA"], 3),
    ("USAID", "agency", "United States", ["United States Agency for International Development"], 4),
    ("Italy", "state", None, [], 2),
    ("Netherlands", "state", None, [], 2),
    ("Sweden", "state", None, [], 2),
    ("Norway", "state", None, [], 2),
    ("Japan", "state", None, [], 2),
    ("European Union", "agency", None, ["EU"], 3),
    ("ECHO", "agency", "European Union", ["European Civil Protection and Humanitarian Aid"], 4),
    ("Syrian government", "state", None, ["Government of Syria"], 5),
    ("Syrian Ministry of Local Administration", "ministry", "Syrian government", [], 0),
    ("United Nations", "agency", None, ["UN"], 4),
    ("OCHA", "agency", "United Nations", ["UN OCHA"], 0),
    ("World Food Programme", "agency", "United Nations", ["WFP"], 9),
    ("UNHCR", "agency", "United Nations", ["UN Refugee Agency"], 7),
    ("UNICEF", "agency", "United Nations", ["United Nations Children's Fund"], 7),
    ("World Health Organization", "agency", "United Nations", ["WHO"], 4),
    ("UNRWA", "agency", "United Nations", [], 2),
    ("International Red Cross and Red Crescent Movement", "movement", None, [], 0),
    ("ICRC", "ngo", "International Red Cross and Red Crescent Movement",
     ["International Committee of the Red Cross"], 6),
    ("IFRC", "ngo", "International Red Cross and Red Crescent Movement", [], 2),
    ("Syrian Arab Red Crescent", "ngo", "International Red Cross and Red Crescent Movement",
     ["SARC", "Syrian Red Crescent"], 8),
    ("Turkish Red Crescent", "ngo", "International Red Cross and Red Crescent Movement",
     ["Kizilay"], 3),
    ("Iranian Red Crescent Society", "ngo", "International Red Cross and Red Crescent Movement",
     ["Iranian Red Crescent"], 2),
    ("Islamic Relief", "ngo", None, ["Islamic Relief Worldwide"], 3),
    ("Save the Children", "ngo", None, [], 3),
    ("CARE International", "ngo", None, ["CARE"], 2),
    ("Mercy Corps", "ngo", None, [], 2),
    ("MSF", "ngo", None, ["Doctors Without Borders"], 2),
    ("Norwegian Refugee Council", "ngo", None, ["NRC"], 2),
    ("Qatar Charity", "ngo", None, [], 2),
    ("IHH", "ngo", None, ["IHH Humanitarian Relief Foundation"], 2),
    ("Sputnik", "media", None, [], 0),
    ("SANA", "media", None, ["Syrian Arab News Agency"], 0),
    ("TASS", "media", None, [], 0),
    ("Reuters", "media", None, [], 0),
    ("Anadolu Agency", "media", None, [], 0),
    ("IRNA", "media", None, [], 0),
    ("Xinhua", "media", None, [], 0),
    ("ReliefWeb", "media", None, [], 0),
]  # fmt: skip

# Publishers: (name, id prefix, claimants their reports quote).
PUBLISHERS = [
    ("Sputnik", "sputnik", ["Russian Ministry of Defence", "Russian Center for Reconciliation",
                            "Sputnik"]),
    ("TASS", "tass", ["Russian Center for Reconciliation", "EMERCOM", "TASS"]),
    ("SANA", "sana", ["SANA", "Syrian Ministry of Local Administration", "Syrian Arab Red Crescent"]),
    ("Reuters", "reuters", ["Reuters", "United Nations", "ICRC", "World Food Programme"]),
    ("Anadolu Agency", "aa", ["Anadolu Agency", "AFAD", "Turkish Red Crescent"]),
    ("IRNA", "irna", ["IRNA", "Iranian Red Crescent Society"]),
    ("Xinhua", "xinhua", ["Xinhua", "United Nations"]),
    ("ReliefWeb", "reliefweb", ["OCHA", "UNHCR", "UNICEF", "World Food Programme",
                                "World Health Organization"]),
    ("OCHA", "ocha", ["OCHA"]),
    ("World Food Programme", "wfp", ["World Food Programme"]),
    ("UNHCR", "unhcr", ["UNHCR"]),
]  # fmt: skip

# Items: (name, parent, dimension, aliases, words a quote uses, units with weights).
ITEMS = [
    ("humanitarian aid", None, None, ["humanitarian assistance", "humanitarian cargo"],
     ["humanitarian aid", "humanitarian cargo", "aid"], {"t": 1}),
    ("food", "humanitarian aid", None, ["foodstuffs", "food aid"],
     ["food", "foodstuffs", "food aid"], {"t": 3, "kg": 1}),
    ("flour", "food", "mass", ["wheat flour"], ["flour", "wheat flour"], {"t": 3, "kg": 2}),
    ("rice", "food", "mass", [], ["rice"], {"t": 1, "kg": 1}),
    ("sugar", "food", "mass", [], ["sugar"], {"t": 1, "kg": 2}),
    ("canned food", "food", "mass", ["canned goods", "tinned food"],
     ["canned food", "canned goods"], {"t": 1, "kg": 1}),
    ("food kits", "food", "kit", ["food parcels", "food baskets"],
     ["food kits", "food parcels"], {"kits": 1}),
    ("drinking water", "humanitarian aid", "volume", ["water", "bottled water"],
     ["drinking water", "bottled water", "clean water"], {"L": 1}),
    ("medical supplies", "humanitarian aid", None, ["medical aid"], ["medical supplies"], {}),
    ("medicines", "medical supplies", "mass", ["medicine", "medication"],
     ["medicines", "medicine"], {"t": 1, "kg": 3}),
    ("medical kits", "medical supplies", "kit", ["first aid kits"],
     ["medical kits", "first aid kits"], {"kits": 1}),
    ("non-food items", "humanitarian aid", None, ["NFI", "NFIs"], ["non-food items"], {}),
    ("blankets", "non-food items", "blanket", ["blanket"], ["blankets"], {"blankets": 1}),
    ("hygiene kits", "non-food items", "kit", ["hygiene kit", "dignity kits"],
     ["hygiene kits", "dignity kits"], {"kits": 1}),
    ("people reached", None, "person", ["beneficiaries", "people assisted"], ["people"],
     {"people": 1}),
    ("residents", None, "person", ["population", "inhabitants"], ["residents"], {"people": 1}),
]  # fmt: skip
ITEM = {i[0]: i for i in ITEMS}
# How often each item is the subject of a standalone claim.
ITEM_WEIGHTS = {
    "humanitarian aid": 10, "food": 4, "flour": 14, "rice": 5, "sugar": 4, "canned food": 5,
    "food kits": 8, "drinking water": 8, "medicines": 6, "medical kits": 5, "blankets": 10,
    "hygiene kits": 8, "people reached": 8,
}  # fmt: skip
MASS_PARTS = {"food": ["flour", "rice", "sugar", "canned food"],
              "humanitarian aid": ["flour", "rice", "sugar", "canned food", "medicines"]}  # fmt: skip
UNIT_WORDS = {"t": ["tonnes", "tons", "metric tons", "t"], "kg": ["kg", "kilograms"],
              "L": ["litres", "liters", "L"]}  # fmt: skip
UNIT_ONE = {"tonnes": "tonne", "tons": "ton", "metric tons": "metric ton", "kilograms": "kilogram",
            "litres": "litre", "liters": "liter"}  # fmt: skip
# Qualifiers of standalone claims, with synonyms as curators write them (each one that
# `ledger.quantity.QUALIFIERS` knows: checked below).
STANDALONE_QUALIFIERS = [("", 36), ("about", 14), ("around", 4), ("approximately", 3), ("some", 2),
              ("more than", 9), ("over", 2), ("nearly", 5), ("almost", 2), ("at least", 6),
              ("up to", 6), ("between", 8), ("less than", 1), ("roughly", 2)]  # fmt: skip
PART_QUALIFIERS = [("", 45), ("about", 20), ("nearly", 6), ("between", 10), ("more than", 8),
                   ("at least", 5), ("up to", 6)]  # fmt: skip
BOUNDED = [("", 60), ("about", 25), ("between", 10), ("nearly", 5)]
_WRITTEN = {q for table in (STANDALONE_QUALIFIERS, PART_QUALIFIERS, BOUNDED) for q, _ in table}
assert _WRITTEN - {""} <= set(QUALIFIERS), _WRITTEN - set(QUALIFIERS)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
# English number words, written here on purpose rather than taken from
# ledger/defaults/numbers.yaml: the checker finds a spelled-out figure in its quote with
# `ledger.numbers.numbers_in_text`, which reads that file; a writer built from the same table
# would agree with the reader by construction, so a wrong entry there could never show.
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SYLLABLES = ["ba", "da", "fa", "ha", "ja", "ka", "la", "ma", "na", "qa", "ra", "sa", "ta", "za",
             "bi", "di", "hi", "ki", "mi", "ni", "ri", "si", "ti", "zi", "bu", "du", "hu", "ku",
             "mu", "nu", "ru", "su", "tu", "sha", "shi", "kha", "gha", "dha"]  # fmt: skip
FINALS = ["", "", "n", "r", "m", "sh", "d", "h", "l", "s", "t", "b", "k", "ya", "iya", "un"]
PREFIXES = ["Tell", "Kafr", "Ain", "Deir", "Beit", "Jisr", "Maarat", "Khirbet", "Qasr", "Ras",
            "Bir", "Umm", "Abu", "Jebel", "Wadi", "Hamam", "Sheikh", "Mazraat", "Nahr", "Tal"]  # fmt: skip


# --- small helpers ------------------------------------------------------------------------


def round_sig(x: Decimal, sig: int, rounding: str) -> Decimal:
    """`x` rounded to `sig` significant digits (floor, ceiling or half up): how a source rounds
    a total it states. The package reads rounded figures but never rounds one, so this is the
    generator's own."""
    if x <= 0:
        return Decimal(0)
    q = Decimal(1).scaleb(x.adjusted() - sig + 1)
    return ((x / q).to_integral_value(rounding) * q).normalize()


def words(n: int) -> str | None:
    """English words for the figures reports spell out (`four`, `twenty-five thousand`).

    An independent writer on purpose (see ONES): it tests the package's number-word reader."""
    if 0 < n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000 and n % 100 == 0:
        return ONES[n // 100] + " hundred"
    if n % 1000 == 0 and n < 100_000:
        return f"{words(n // 1000)} thousand"
    return None


def day_text(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([t[0] for t in table], [t[1] for t in table])[0]


def yaml_text(key: str, text: str, indent: str = "    ") -> str:
    """`key: text` as a plain scalar when that is safe and short, else folded (`>-`) like the
    hand-written files, else double-quoted by the package's writer (`ledger.add.scalar`).

    The plain/folded test is the generator's own on purpose: `aid-ledger add` quotes anything
    outside a narrow set of characters (commas, full stops, digits first, dashes), so that it can
    never be wrong; hand-written ledgers are mostly plain and folded scalars holding exactly
    those, and the benchmark must time the loader on what curators write. A text this test
    refuses is one `scalar` quotes too (it starts with no letter or digit, or holds `: `, ` #`
    or a line break, or ends with `:`)."""
    safe = (
        text
        and text[0].isalnum()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
    )
    if not safe:
        return f"{indent}{key}: {scalar(text)}\n"
    if len(text) + len(indent) + len(key) + 2 <= 96:
        return f"{indent}{key}: {text}\n"
    lines, rest, width = [], text, 90 - len(indent)
    while len(rest) > width:
        cut = rest.rfind(" ", 0, width)
        if cut <= 0:
            break
        lines.append(rest[:cut])
        rest = rest[cut + 1 :]
    lines.append(rest)
    body = "".join(f"{indent}  {line}\n" for line in lines)
    return f"{indent}{key}: >-\n{body}"


# --- the gazetteer ------------------------------------------------------------------------


@dataclass
class Place:
    name: str
    code: str
    level: str
    parent: str | None
    aliases: list[str] = field(default_factory=list)
    notes: str | None = None


@dataclass
class District:
    place: Place
    governorate: int
    leaves: list[Place] = field(default_factory=list)  # communities, neighbourhoods, camps
    communities: list[Place] = field(default_factory=list)
    camps: list[Place] = field(default_factory=list)


@dataclass
class Gazetteer:
    places: list[Place]
    districts: list[list[District]]  # per governorate
    governorates: list[Place]


def _gazetteer(rng: random.Random) -> Gazetteer:
    """Syria > 14 governorates (real P-codes) > ~75 districts > ~3,500 communities,
    neighbourhoods and camps, with made-up names (unique, also through aliases)."""
    taken: set[str] = set()

    def unique(name: str) -> bool:
        if name.casefold() in taken:
            return False
        taken.add(name.casefold())
        return True

    def root() -> str:
        while True:
            n = rng.choice((2, 2, 3))
            word = "".join(rng.choice(SYLLABLES) for _ in range(n)) + rng.choice(FINALS)
            word = word.capitalize()
            style = rng.random()
            if style < 0.3:
                word = f"{rng.choice(PREFIXES)} {word}"
            elif style < 0.45:
                word = f"al-{word}"
            if unique(word):
                return word

    def alias_of(name: str) -> list[str]:
        if rng.random() >= 0.15:
            return []
        alt = name[:-1] + "eh" if name.endswith("a") else name + "a"
        alt = alt.replace("al-", "Al ", 1) if alt.startswith("al-") else alt
        return [alt] if unique(alt) else []

    country = Place("Syria", "SY", "country", None, ["Syrian Arab Republic"])
    for fixed in ("Syria", "Syrian Arab Republic"):
        unique(fixed)
    for gname, _, _ in GOVERNORATES:  # before any made-up name can take one of these
        for fixed in (gname, f"{gname} governorate", f"{gname} province", f"{gname} city",
                      f"{gname} district"):  # fmt: skip
            unique(fixed)
    places = [country]
    governorates: list[Place] = []
    districts: list[list[District]] = []
    community_no, camp_no = 1000, 0
    for g, (gname, gcode, _) in enumerate(GOVERNORATES):
        gov = Place(f"{gname} governorate", gcode, "governorate", "Syria", [f"{gname} province"])
        places.append(gov)
        governorates.append(gov)
        ds: list[District] = []
        for d in range(rng.randint(3, 8)):
            town = gname if d == 0 and gname != "Rural Damascus" else root()
            dist = Place(f"{town} district", f"{gcode}{d:02d}", "district", gov.name)
            if town != gname:
                unique(dist.name)
            places.append(dist)
            district = District(dist, g)
            ds.append(district)
            for c in range(rng.randint(25, 60)):
                community_no += 1
                if c == 0:
                    name = f"{town} city" if town == gname else town
                    aliases = [gname] if town == gname else []
                else:
                    name = root()
                    aliases = alias_of(name)
                level = "city"
                place = Place(name, f"C{community_no}", level, dist.name, aliases)
                places.append(place)
                district.leaves.append(place)
                district.communities.append(place)
                hoods = rng.randint(8, 20) if c == 0 and town == gname else 0
                hoods = rng.randint(2, 6) if c in (1, 2) and rng.random() < 0.3 else hoods
                for h in range(hoods):
                    hood_name = f"{root()} {rng.choice(('neighbourhood', 'quarter', h + 1))}"
                    if not unique(hood_name):
                        continue
                    hood = Place(hood_name, f"{place.code}-{h + 1:02d}", "neighbourhood", name)
                    places.append(hood)
                    district.leaves.append(hood)
            for _ in range(rng.choice((0, 1, 1, 2, 3, 4))):
                camp_no += 1
                camp_name = f"{root()} camp"
                if not unique(camp_name):
                    continue
                camp = Place(camp_name, f"CP{camp_no:05d}", "camp", dist.name, alias_of(camp_name))
                places.append(camp)
                district.leaves.append(camp)
                district.camps.append(camp)
        districts.append(ds)
    return Gazetteer(places, districts, governorates)


def _places_yaml(gaz: Gazetteer, seed: int) -> str:
    out = [
        f"# Synthetic gazetteer for benchmarks (aid-ledger bench, seed {seed}): the country and\n"
        "# governorates with their OCHA P-codes are real; districts, communities, neighbourhoods\n"
        "# and camps, and their codes, are made up.\n"
    ]
    for p in gaz.places:
        out.append(f"- name: {p.name}\n  code: {p.code}\n  level: {p.level}\n")
        if p.parent:
            out.append(f"  parent: {p.parent}\n")
        if p.aliases:
            out.append(f"  aliases: [{', '.join(p.aliases)}]\n")
    return "".join(out)


def _items_yaml() -> str:
    out = ["# Items of the synthetic benchmark ledger (aid-ledger bench).\n"]
    for name, parent, dim, aliases, _, _ in ITEMS:
        out.append(f"- name: {name}\n")
        if parent:
            out.append(f"  parent: {parent}\n")
        if dim:
            out.append(f"  dimension: {dim}\n")
        if aliases:
            out.append(f"  aliases: [{', '.join(aliases)}]\n")
    return "".join(out)


def _orgs_yaml() -> str:
    out = ["# Organisations named by the synthetic benchmark ledger (aid-ledger bench).\n"]
    for name, kind, parent, aliases, _ in ORGS:
        out.append(f'- name: "{name}"\n  kind: {kind}\n')
        if parent:
            out.append(f'  parent: "{parent}"\n')
        if aliases:
            out.append(f"  aliases: [{', '.join(json.dumps(a) for a in aliases)}]\n")
    return "".join(out)


def _repo_file(name: str) -> str:
    """The repository's own `data/<name>`, so the benchmark measures the real unit registry
    and tolerances (and `Reader` reads the generated figures with the same)."""
    return (ROOT / "data" / name).read_text(encoding="utf-8")


# --- figures ------------------------------------------------------------------------------


@dataclass
class Written:
    """A figure as the generator wrote it, and what the package reads from it.

    Only `phrase` and `spoken` are the generator's; `point` and `rounded` come from `Reader`,
    that is from the package's own rules, in the canonical unit (t, L, or the count)."""

    phrase: str  # `about 4,500 kg`
    spoken: str  # `about 4,500 kilograms` / `about four tonnes`
    point: Decimal
    rounded: Interval  # the rounded reading (`ledger.intervals.rounded`)


class Reader:
    """A quantity phrase read as `check` reads it: `ledger.quantity.parse_quantity`, the unit
    registry of the repository's units.txt and `ledger.intervals.rounded` under its config.yaml
    (the files every generated ledger gets a copy of). Each distinct phrase is read once."""

    def __init__(self, data: Path) -> None:
        tolerances, problems = load_config(data / "config.yaml", "config.yaml")
        if problems:
            raise RuntimeError(f"{data / 'config.yaml'}: {problems[0].format()}")
        self.tolerances: Tolerances = tolerances
        self.units: Units = units_for(data / "units.txt")
        self._seen: dict[str, tuple[Decimal, Interval]] = {}

    def factor(self, unit: str) -> Decimal:
        """canonical = written value * factor (`kg` -> 0.001 t)."""
        return self.units.resolve(unit).factor

    def __call__(self, phrase: str, spoken: str) -> Written:
        hit = self._seen.get(phrase)
        if hit is None:
            q = parse_quantity(phrase)
            assert q.unit is not None, phrase
            f = self.factor(q.unit)
            hit = self._seen[phrase] = (q.value * f, rounded(q, self.tolerances).scale(f))
        return Written(phrase, spoken, *hit)


def _value(rng: random.Random, unit: str) -> Decimal:
    """A figure of the size reports give in `unit`."""
    r = rng.random()
    if unit == "t":
        if r < 0.6:
            return Decimal(rng.randint(1, 60))
        if r < 0.85:
            return Decimal(rng.randint(5, 200)) / 10
        return Decimal(rng.randint(10, 90) * 10)
    if unit in ("kg", "blankets"):
        if r < 0.6:
            return Decimal(rng.randint(2, 200) * 100)
        if r < 0.9:
            return Decimal(rng.randint(5, 500) * 10)
        return Decimal(rng.randint(100, 9999))
    if unit == "L":
        if r < 0.95:
            return Decimal(rng.randint(1, 500) * 1000)
        return Decimal(rng.randint(11, 40)) * 100_000  # written `1.5 million L`
    if unit == "people":
        if r < 0.5:
            return Decimal(rng.randint(1, 50) * 1000)
        if r < 0.9:
            return Decimal(rng.randint(5, 500) * 10)
        return Decimal(rng.randint(50, 9999))
    # kits
    if r < 0.7:
        return Decimal(rng.randint(1, 100) * 100)
    return Decimal(rng.randint(5, 999) * 10)


def _written(rng: random.Random, value: Decimal, unit: str, spell: bool = True) -> tuple[str, str]:
    """(as the quantity phrase writes the number, as the quote says it).

    `spell=False` for `between`: both ends stay in digits. (Chosen when the checker read
    "between five and six" as one run of words that is no number; it reads both figures now,
    but spelling them would change the bytes of every ledger of this GENERATOR_VERSION.)"""
    if unit == "L" and value >= 1_000_000 and value % 100_000 == 0:
        text = f"{num_text(value / 1_000_000)} million"
        return text, text
    text = num_text(value)
    spoken = text
    if spell and value == value.to_integral_value() and rng.random() < 0.08:
        spelled = words(int(value))
        if spelled:
            spoken = spelled
    return text, spoken


def _unit_word(rng: random.Random, unit: str, value: Decimal, item_word: str) -> str:
    """How the quote names the unit: `tonnes`, `kg`; counted things are named by the item."""
    if unit in UNIT_WORDS:
        word = rng.choice(UNIT_WORDS[unit])
        return UNIT_ONE.get(word, word) if value == 1 else word
    return item_word


def _figure(rng: random.Random, read: Reader, qualifier: str, unit: str, value: Decimal,
            item_word: str, high: Decimal | None = None) -> Written:  # fmt: skip
    """Write `value` (and `high`, for `between`) in `unit` with `qualifier`."""
    if QUALIFIERS.get(qualifier) == "between":
        if high is None:
            high = value + max(step_of(value), Decimal(1)) * rng.randint(1, 5)
        lo_text, lo_spoken = _written(rng, value, unit, spell=False)
        hi_text, hi_spoken = _written(rng, high, unit, spell=False)
        word = _unit_word(rng, unit, high, item_word)
        return read(f"between {lo_text} and {hi_text} {unit}",
                    f"between {lo_spoken} and {hi_spoken} {word}")  # fmt: skip
    text, spoken_num = _written(rng, value, unit)
    word = _unit_word(rng, unit, value, item_word)
    lead = f"{qualifier} " if qualifier else ""
    return read(f"{lead}{text} {unit}", f"{lead}{spoken_num} {word}")


# --- claims -------------------------------------------------------------------------------


@dataclass
class Claim:
    status: str
    provider: str | None
    claimant: str
    item: str
    figure: Written | None  # None: `none`
    places: list[str]
    when_key: str
    when: str
    quote: str
    sentence: str  # the document's sentence holding the quote
    start: date
    end: date
    parts: list[Claim] = field(default_factory=list)
    same_as: str | None = None
    notes: str | None = None
    id: str = ""


class FileGen:
    """Generates one source: its claim file and its document."""

    def __init__(self, gen: Generator, index: int, n: int, previous: list[Claim]) -> None:
        self.gen = gen
        self.rng = random.Random(f"aid-ledger-bench:{gen.seed}:{index}")
        self.index = index
        self.n = n
        self.previous = previous
        rng = self.rng
        self.publisher, slug, claimants = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
        self.published = FIRST_PUBLISHED + timedelta(days=index * DAYS_PER_SOURCE)
        self.source_id = f"{slug}-{self.published.isoformat()}-{index + 1:04d}"
        self.claimants = rng.sample(claimants, min(len(claimants), rng.randint(1, 3)))
        self.window = (self.published - timedelta(days=35), self.published - timedelta(days=1))
        self.claims: list[Claim] = []
        self.counts = {"summed": 0, "parts": 0, "contradictions": 0, "duplicates": 0,
                       "duplicates_linked": 0, "context": 0, "zero": 0}  # fmt: skip

    def figure(self, qualifier: str, unit: str, value: Decimal, item_word: str,
               high: Decimal | None = None) -> Written:  # fmt: skip
        return _figure(self.rng, self.gen.read, qualifier, unit, value, item_word, high)

    # places, dates, orgs -------------------------------------------------------------------

    def governorate(self) -> int:
        return self.rng.choices(range(len(GOVERNORATES)), self.gen.gov_weights)[0]

    def leaf(self, district: District) -> Place:
        r = self.rng.random()
        if r < 0.05:
            return district.place
        if r < 0.8:
            return self.rng.choice(district.communities)
        return self.rng.choice(district.leaves)

    def written(self, place: Place) -> str:
        """A place as the claim writes it: its name, or now and then an alias."""
        if place.aliases and self.rng.random() < 0.2:
            return place.aliases[0]
        return place.name

    def org(self, name: str) -> str:
        aliases = self.gen.org_aliases.get(name)
        if aliases and self.rng.random() < 0.1:
            return self.rng.choice(aliases)
        return name

    def provider(self) -> str:
        return self.rng.choices(self.gen.providers, self.gen.provider_weights)[0]

    def day(self, lo: date | None = None, hi: date | None = None) -> date:
        lo = lo or self.window[0]
        hi = hi or self.window[1]
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def when(self, start: date, end: date) -> tuple[str, str, str]:
        """(key, ISO text, how the quote says it) for a claim's date or period."""
        if start == end:
            return "date", start.isoformat(), f" on {day_text(start)}"
        first = date(start.year, start.month, 1)
        if start == first and end == (first + timedelta(days=32)).replace(day=1) - timedelta(1):
            return "date", start.isoformat()[:7], f" in {MONTHS[start.month - 1]} {start.year}"
        text = f"{start.isoformat()}/{end.isoformat()}"
        return "period", text, f" between {day_text(start)} and {day_text(end)}"

    def span(self) -> tuple[date, date]:
        r = self.rng.random()
        start = self.day()
        if r < 0.7:
            return start, start
        if r < 0.93:
            return start, min(start + timedelta(days=self.rng.randint(1, 4)), self.window[1])
        first = start.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(1)

    # sentences -----------------------------------------------------------------------------

    def item_word(self, item: str) -> str:
        return self.rng.choice(ITEM[item][4])

    def quote_for(self, status: str, provider: str, item: str, fig: Written, places: list[str],
                  when: str, total: bool = False) -> str:  # fmt: skip
        rng = self.rng
        where = " and ".join(places)
        dim = ITEM[item][2]
        counted = dim in ("kit", "blanket", "person")
        thing = fig.spoken if counted else f"{fig.spoken} of {self.item_word(item)}"
        if dim == "person":
            if total and status == "delivered":
                return f"in total, aid from {provider} has reached {thing} in {where}{when}"
            verb = {"delivered": "reached", "pledged": "is expected to reach",
                    "planned": "will reach"}[status]  # fmt: skip
            return f"aid from {provider} {verb} {thing} in {where}{when}"
        if total:
            return rng.choice((
                f"in total, {provider} has delivered {thing} to {where}{when}",
                f"{provider} has so far delivered {thing} to {where}{when}",
                f"altogether {thing} from {provider} reached {where}{when}",
            )) if status == "delivered" else (
                f"in total, {provider} has {status} {thing} for {where}{when}"
            )  # fmt: skip
        if status == "delivered":
            return rng.choice((
                f"{provider} delivered {thing} to {where}{when}",
                f"a convoy from {provider} brought {thing} to {where}{when}",
                f"{thing} provided by {provider} were distributed in {where}{when}",
                f"{provider} handed over {thing} to residents of {where}{when}",
            ))  # fmt: skip
        if status == "pledged":
            return rng.choice((
                f"{provider} pledged {thing} for {where}{when}",
                f"{provider} has promised to send {thing} to {where}{when}",
            ))  # fmt: skip
        return rng.choice((
            f"{provider} plans to deliver {thing} to {where}{when}",
            f"{thing} from {provider} are expected in {where}{when}",
        ))  # fmt: skip

    def sentence(self, quote: str, claimant: str) -> tuple[str, str]:
        """(the quote as it stands in the claim, the document's sentence holding it).

        Now and then the document uses typographic dashes or a non-breaking space, or the quote
        skips words with `...`: what copying from a web page does to real quotes."""
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            quote = quote[0].upper() + quote[1:]
            doc = quote
        elif r < 0.7:
            doc = f"{claimant} said that {quote}"
        elif r < 0.85:
            doc = f"According to {claimant}, {quote}"
        else:
            doc = f"The statement added that {quote}"
        r = rng.random()
        if r < 0.03 and " to " in quote and " up to " not in quote:
            head, tail = quote.rsplit(" to ", 1)
            doc = doc.replace(quote, f"{head}, according to local sources, to {tail}")
            quote = f"{head} ... to {tail}"
        elif r < 0.06:
            doc = doc.replace("-", "\u2013")
        elif r < 0.08:
            doc = doc.replace(" ", "\u00a0", 1)
        end = rng.choice((".", ".", ".", ", the statement said.", ", officials said."))
        return quote, doc + end

    # claims --------------------------------------------------------------------------------

    def claim(self, status: str, provider: str | None, item: str, fig: Written | None,
              places: list[str], start: date, end: date, total: bool = False) -> Claim:  # fmt: skip
        claimant = self.org(self.rng.choice(self.claimants))
        key, iso, spoken_when = self.when(start, end)
        if self.rng.random() < 0.15:
            spoken_when = ""
        if fig is None:
            quote = f"{provider} has not delivered any humanitarian aid to {' and '.join(places)}"
        elif status == "context":
            quote = f"{' and '.join(places)} is home to {fig.spoken}"
        else:
            assert provider is not None
            quote = self.quote_for(status, provider, item, fig, places, spoken_when, total)
        quote, doc = self.sentence(quote, claimant)
        return Claim(status, provider, claimant, item, fig, places, key, iso, quote, doc,
                     start, end)  # fmt: skip

    def standalone(self) -> Claim:
        rng = self.rng
        g = self.governorate()
        district = rng.choice(self.gen.gaz.districts[g])
        places = [self.leaf(district)]
        if rng.random() < 0.06:
            other = self.leaf(district)
            if other is not places[0]:
                places.append(other)
        names = [self.written(p) for p in places]
        r = rng.random()
        if r < CONTEXT_SHARE:
            self.counts["context"] += 1
            fig = self.figure(rng.choice(("", "about", "more than")), "people",
                          _value(rng, "people"), "residents")  # fmt: skip
            start, end = self.span()
            return self.claim("context", None, "residents", fig, names, start, end)
        if r < CONTEXT_SHARE + ZERO_SHARE:
            # "X has not delivered any aid to D": a district and a month, so that the report's
            # zero-contradicted findings stay a few per zero claim at every ledger size.
            self.counts["zero"] += 1
            start = self.day() - timedelta(days=30)
            return self.claim("delivered", self.org(self.provider()), "humanitarian aid", None,
                              [district.place.name], start, self.window[1])  # fmt: skip
        status = rng.choices(("delivered", "pledged", "planned"), (78, 13, 9))[0]
        item = rng.choices(self.gen.items, self.gen.item_weights)[0]
        units = ITEM[item][5]
        unit = rng.choices(list(units), list(units.values()))[0]
        fig = self.figure(
            pick(rng, STANDALONE_QUALIFIERS), unit, _value(rng, unit), self.item_word(item)
        )
        start, end = self.span()
        return self.claim(status, self.org(self.provider()), item, fig, names, start, end)

    def group(self, k: int) -> list[Claim]:
        """A summed claim and its k parts: one provider, status and kind of item, in one
        district, one governorate or two; the sum sits in their parent place(s) and its
        period covers theirs. A few sums are contradictions: their figure cannot hold the parts."""
        rng = self.rng
        gaz = self.gen.gaz
        provider = self.provider()
        status = rng.choices(("delivered", "pledged", "planned"), (80, 12, 8))[0]
        contradiction = rng.random() < CONTRADICTION_SHARE
        item = rng.choices(self.gen.items, self.gen.item_weights)[0]
        if item in MASS_PARTS and rng.random() < 0.6:
            part_items = [rng.choice(MASS_PARTS[item]) for _ in range(k)]
        else:
            part_items = [item] * k
        dim = ITEM[item][2] or "mass"
        g = self.governorate()
        r = rng.random()
        if r < 0.5:
            districts = [rng.choice(gaz.districts[g])]
            where = [districts[0].place.name]
        elif r < 0.9:
            districts = gaz.districts[g]
            where = [gaz.governorates[g].name]
        else:
            h = self.governorate()
            if h == g:
                h = (g + 1) % len(GOVERNORATES)
            districts = gaz.districts[g] + gaz.districts[h]
            where = [gaz.governorates[g].name, gaz.governorates[h].name]
        first = self.day(self.window[0], self.window[1] - timedelta(days=10))
        last = first + timedelta(days=rng.randint(0, 9))
        # Distinct communities and camps, none inside another: a part in a district or a town
        # holding a sibling's neighbourhood would be a second, unintended contradiction.
        pool = [c for d in districts for c in d.communities + d.camps]
        places = rng.sample(pool, k) if len(pool) >= k else [rng.choice(pool) for _ in range(k)]
        parts = []
        for pitem, place in zip(part_items, places, strict=True):
            units = ITEM[pitem][5]
            unit = rng.choices(list(units), list(units.values()))[0]
            qualifier = pick(rng, BOUNDED if contradiction else PART_QUALIFIERS)
            fig = self.figure(qualifier, unit, _value(rng, unit), self.item_word(pitem))
            start = self.day(first, last)
            end = min(start + timedelta(days=rng.choice((0, 0, 0, 1, 2))), last)
            parts.append(self.claim(status, self.org(provider), pitem, fig,
                                    [self.written(place)], start, end))  # fmt: skip
        start, end = min(p.start for p in parts), max(p.end for p in parts)
        r = rng.random()
        if r < 0.15:
            start = start.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(1)
            end = end if end >= max(p.end for p in parts) else max(p.end for p in parts)
        elif r < 0.3:
            start, end = start - timedelta(days=rng.randint(1, 5)), end
        fig = self.total_figure(parts, dim, item, contradiction)
        total = self.claim(status, self.org(provider), item, fig, where, start, end, total=True)
        if r >= 0.3 and rng.random() < 0.07:  # "has so far delivered": open start
            total.when_key, total.when = "period", f"../{end.isoformat()}"
        total.parts = parts
        self.counts["summed"] += 1
        self.counts["parts"] += k
        if contradiction:
            self.counts["contradictions"] += 1
            total.notes = "Synthetic contradiction: the stated total cannot hold its parts."
        return [total, *parts] if rng.random() < 0.6 else [*parts, total]

    def total_figure(self, parts: list[Claim], dim: str, item: str, contradiction: bool) -> Written:
        """The sum's figure: consistent with its parts' point sum (read as the source would
        round it), or, for a contradiction, out of reach of their rounded interval."""
        rng = self.rng
        figs = [p.figure for p in parts if p.figure is not None]
        point = sum((f.point for f in figs), Decimal(0))
        held = total([f.rounded for f in figs])  # what the parts add up to, read as rounded
        low, high = held.lo, held.hi
        read = self.gen.read
        in_kg = point / read.factor("kg")
        units = {"mass": "t" if in_kg >= 1000 else "kg", "volume": "L", "kit": "kits",
                 "blanket": "blankets", "person": "people"}  # fmt: skip
        unit = units[dim]
        factor = read.factor(unit)
        word = self.item_word(item)
        x = point / factor
        if contradiction:
            if rng.random() < 0.7 and low > 0:
                value = round_sig(low / factor / 3, 1, ROUND_FLOOR)
                if value > 0:
                    qualifier = rng.choice(("about", "up to", "less than"))
                    fig = self.figure(qualifier, unit, value, word)
                    if fig.rounded.hi < low:
                        return fig
                    return self.figure("up to", unit, value, word)
            value = round_sig(high / factor * 2 if high != INF else x * 3, 1, ROUND_CEILING)
            return self.figure("more than", unit, value, word)
        form = rng.choices(("about", "more than", "at least", "nearly", "", "up to", "between"),
                           (30, 20, 10, 10, 15, 5, 10))[0]  # fmt: skip
        if form == "about":
            return self.figure(rng.choice(("about", "around", "some")), unit,
                           round_sig(x, 2, ROUND_HALF_UP), word)  # fmt: skip
        if form in ("more than", "at least"):
            value = round_sig(x, 2, ROUND_FLOOR)
            if value == x and form == "more than":
                value = round_sig(x, 1, ROUND_FLOOR)
            if value == x or value == 0:
                form = ""
            else:
                return self.figure(form, unit, value, word)
        if form == "nearly":
            value = round_sig(x, 2, ROUND_FLOOR)
            value = value + step_of(value)
            return self.figure("nearly", unit, value, word)
        if form == "up to":
            return self.figure("up to", unit, round_sig(x, 2, ROUND_CEILING), word)
        if form == "between":
            lo, hi = round_sig(x, 2, ROUND_FLOOR), round_sig(x, 2, ROUND_CEILING)
            if lo == hi:
                hi = lo + step_of(lo)
            if lo > 0:
                return self.figure("between", unit, lo, word, hi)
        if x != x.to_integral_value() and dim not in ("mass", "volume"):
            return self.figure("about", unit, round_sig(x, 2, ROUND_HALF_UP), word)
        return self.figure("", unit, x, word)

    def duplicate(self, original: Claim) -> Claim:
        """The same delivery as reported by this source: same scope and figure, new words.
        Half are linked with `same_as` (curated), half are left for the report to flag."""
        fig = original.figure
        assert fig is not None and original.provider is not None
        claim = self.claim(original.status, original.provider, original.item, fig,
                           list(original.places), original.start, original.end)  # fmt: skip
        claim.when_key, claim.when = original.when_key, original.when
        self.counts["duplicates"] += 1
        if self.rng.random() < 0.5:
            claim.same_as = original.id
            self.counts["duplicates_linked"] += 1
        else:
            claim.notes = f"Synthetic duplicate of {original.id}, not linked with same_as."
        return claim

    def build(self) -> None:
        rng = self.rng
        n = self.n
        blocks: list[list[Claim]] = []
        left = n
        n_dup = int(n * DUPLICATE_SHARE) if self.previous else 0
        candidates = [c for c in self.previous if c.figure is not None and not c.parts
                      and c.status != "context"]  # fmt: skip
        n_dup = min(n_dup, len(candidates), left)
        for original in rng.sample(candidates, n_dup):
            blocks.append([self.duplicate(original)])
        left -= n_dup
        for _ in range(round(n * SUM_SHARE)):
            if left < 3:
                break
            k = min(rng.randint(2, 10), left - 1)
            blocks.append(self.group(k))
            left -= k + 1
        while left > 0:
            blocks.append([self.standalone()])
            left -= 1
        rng.shuffle(blocks)
        self.claims = [c for block in blocks for c in block]
        for i, c in enumerate(self.claims, 1):
            c.id = f"{self.source_id}-{i:04d}"

    # output --------------------------------------------------------------------------------

    def parts(self, per_file: int) -> list[Part]:
        """This source's claims as files of at most `per_file` claims, each a report of its
        own (`--claims-per-file`); one part, the source itself, at CLAIMS_PER_FILE."""
        if per_file >= len(self.claims):
            return [Part(self.source_id, self.claims, 0, 1)]
        n = (len(self.claims) + per_file - 1) // per_file
        width = len(str(n))
        return [Part(f"{self.source_id}-p{k + 1:0{width}d}",
                     self.claims[k * per_file : (k + 1) * per_file], k + 1, n)
                for k in range(n)]  # fmt: skip

    def claims_yaml(self, part: Part | None = None) -> str:
        source_id, claims = (part.source_id, part.claims) if part else (self.source_id, self.claims)
        out = [
            f"# Synthetic claims (aid-ledger bench, seed {self.gen.seed}): made-up figures in the\n"
            f"# style of data/claims/, each quote verbatim in seeds/{source_id}.txt.\n"
            f"source: {source_id}\nclaims:\n"
        ]
        for c in claims:
            fig = c.figure.phrase if c.figure is not None else "none"
            text = f"  - id: {c.id}\n    claimant: {c.claimant}\n"
            if c.provider is not None:
                text += f"    provider: {c.provider}\n"
            text += (
                f"    status: {c.status}\n    item: {c.item}\n    quantity: {fig}\n"
                f"    places: [{', '.join(c.places)}]\n    {c.when_key}: {c.when}\n"
            )
            text += yaml_text("quote", c.quote)
            if c.parts:
                text += f"    sum_of: [{', '.join(p.id for p in c.parts)}]\n"
            if c.same_as:
                text += f"    same_as: {c.same_as}\n"
            if c.notes:
                text += yaml_text("notes", c.notes)
            out.append(text + "\n")
        return "".join(out)

    def title(self, part: Part | None = None) -> str:
        title = f"Humanitarian deliveries in Syria, report {self.index + 1}"
        return f"{title}, part {part.number} of {part.of}" if part and part.of > 1 else title

    def document(self, part: Part | None = None) -> str:
        claims = part.claims if part else self.claims
        lines = [
            f"{self.title(part)} ({self.publisher}, {day_text(self.published)})\n\n",
            f"Synthetic benchmark text generated by aid-ledger bench (seed {self.gen.seed}); "
            "not a real report.\n\n",
        ]
        for i in range(0, len(claims), 5):
            lines.append(" ".join(c.sentence for c in claims[i : i + 5]) + "\n\n")
        return "".join(lines)

    def source_yaml(self, part: Part | None = None) -> str:
        source_id = part.source_id if part else self.source_id
        return (
            f"- id: {source_id}\n  title: {json.dumps(self.title(part))}\n"
            f'  publisher: {self.publisher}\n  published: "{self.published.isoformat()}"\n'
            f"  url: https://example.org/aid-ledger-bench/{source_id}\n"
            f"  document: seeds/{source_id}.txt\n  language: en\n"
        )


@dataclass
class Part:
    """One claim file of a source split by `--claims-per-file`: a report of its own."""

    source_id: str
    claims: list[Claim]
    number: int  # 1-based; 0: the whole source
    of: int


class Generator:
    """What every file shares: the seed, the gazetteer, the weighted choices, the reader."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.read = Reader(ROOT / "data")  # the files each generated ledger gets a copy of
        self.gaz = _gazetteer(random.Random(f"aid-ledger-bench:{seed}:places"))
        self.gov_weights = [g[2] for g in GOVERNORATES]
        self.providers = [o[0] for o in ORGS if o[4] > 0]
        self.provider_weights = [o[4] for o in ORGS if o[4] > 0]
        self.org_aliases = {o[0]: o[3] for o in ORGS if o[3]}
        self.items = list(ITEM_WEIGHTS)
        self.item_weights = list(ITEM_WEIGHTS.values())


def _prepare(out: Path) -> None:
    """Refuse to write over anything but a previous generated ledger, which is replaced whole
    (so a smaller ledger never keeps claim files of a bigger one)."""
    if out.exists() and not out.is_dir():
        raise BenchRefused(f"{out} is a file; give a folder for the generated ledger.")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise BenchRefused(
                f"{out} is not empty and holds no generated ledger ({MARKER}); "
                "give an empty or new folder."
            )
        (out / MARKER).unlink()
        for sub in ("data", "seeds"):
            shutil.rmtree(out / sub, ignore_errors=True)
    (out / "data" / "claims").mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(parents=True, exist_ok=True)


def generate(claims: int, out: Path, seed: int, per_file: int = CLAIMS_PER_FILE) -> dict[str, int]:
    """Write a synthetic ledger of `claims` claims under `out`; return what it holds.

    The same `claims` and `seed` give the same bytes: every file draws from its own random
    stream seeded by (seed, file number), and nothing depends on time, hash order or locale.

    `per_file` (1 to CLAIMS_PER_FILE) lays the same claims out in smaller files: each source of
    CLAIMS_PER_FILE claims is cut, in order, into files of `per_file` claims, each a report of
    its own (source `<id>-p01`, `-p02`, ..., with a document holding its claims' sentences).
    The claims themselves (ids, figures, places, dates, quotes, links) are the same whatever
    `per_file`; some `sum_of` parts and `same_as` targets then sit in another file.
    """
    if claims < 1:
        raise BenchRefused("--claims must be at least 1.")
    if not 1 <= per_file <= CLAIMS_PER_FILE:
        raise BenchRefused(f"--claims-per-file must be from 1 to {CLAIMS_PER_FILE}.")
    out = Path(out)
    _prepare(out)
    gen = Generator(seed)
    data = out / "data"
    (data / "places.yaml").write_text(_places_yaml(gen.gaz, seed), encoding="utf-8")
    (data / "items.yaml").write_text(_items_yaml(), encoding="utf-8")
    (data / "orgs.yaml").write_text(_orgs_yaml(), encoding="utf-8")
    (data / "units.txt").write_text(_repo_file("units.txt"), encoding="utf-8")
    (data / "config.yaml").write_text(_repo_file("config.yaml"), "utf-8")
    units = (claims + CLAIMS_PER_FILE - 1) // CLAIMS_PER_FILE
    counts = {"claims": 0, "files": 0, "places": len(gen.gaz.places),
              "summed": 0, "parts": 0, "contradictions": 0, "duplicates": 0,
              "duplicates_linked": 0, "context": 0, "zero": 0}  # fmt: skip
    sources = [f"# Sources of the synthetic benchmark ledger (aid-ledger bench, seed {seed}).\n"]
    previous: list[Claim] = []
    for i in range(units):
        n = min(CLAIMS_PER_FILE, claims - i * CLAIMS_PER_FILE)
        fg = FileGen(gen, i, n, previous)
        fg.build()
        for part in fg.parts(per_file):
            name = part.source_id
            (data / "claims" / f"{name}.yaml").write_text(fg.claims_yaml(part), encoding="utf-8")
            (out / "seeds" / f"{name}.txt").write_text(fg.document(part), encoding="utf-8")
            sources.append(fg.source_yaml(part))
            counts["files"] += 1
        counts["claims"] += len(fg.claims)
        for key, value in fg.counts.items():
            counts[key] += value
        previous = fg.claims
    (data / "sources.yaml").write_text("".join(sources), encoding="utf-8")
    marker: dict[str, object] = {"generator": GENERATOR_VERSION, "claims": claims, "seed": seed}
    if per_file != CLAIMS_PER_FILE:  # only then: the default marker stays byte for byte
        marker["claims_per_file"] = per_file
    marker["counts"] = counts
    (out / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return counts


# --- command line -------------------------------------------------------------------------


def _at_least_one(text: str) -> int:
    try:
        n = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _per_file(text: str) -> int:
    n = _at_least_one(text)
    if n > CLAIMS_PER_FILE:
        raise argparse.ArgumentTypeError(f"must be at most {CLAIMS_PER_FILE}")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python benchmarks/generate.py",
        description="Write a deterministic synthetic ledger whose every claim checks clean:\n"
        "a gazetteer of thousands of places, quotes that verify against generated documents,\n"
        "a mix of qualifiers, units and statuses, about 10% summed claims, some duplicates\n"
        "and some contradictions. DIR must be new, empty, or a ledger this command generated\n"
        "(then it is replaced whole).",
        epilog="example:\n"
        "  python benchmarks/generate.py --claims 100000 --out /tmp/bench --seed 1\n"
        "  aid-ledger check /tmp/bench/data\n\n"
        "`make bench` (benchmarks/run.py) generates its ledgers with the same code, into .bench/.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--claims", required=True, type=_at_least_one, metavar="N",
                   help="how many claims (1,000 per claim file unless --claims-per-file)")  # fmt: skip
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="folder to write: DIR/data (the ledger) and DIR/seeds (its documents)")  # fmt: skip
    p.add_argument("--seed", type=int, default=1, metavar="S",
                   help="random seed: the same seed and size give the same bytes (default: 1)")  # fmt: skip
    p.add_argument("--claims-per-file", type=_per_file, default=CLAIMS_PER_FILE, metavar="K",
                   help="lay the same claims out in files (reports) of at most K claims, "
                   f"1 to {CLAIMS_PER_FILE:,} (default: {CLAIMS_PER_FILE:,})")  # fmt: skip
    return p


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when written, 2 when the arguments are wrong or DIR is refused (nothing written)."""
    args = parser().parse_args(argv)
    try:
        counts = generate(args.claims, args.out, args.seed, args.claims_per_file)
    except BenchRefused as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{counts['claims']:,} claims in {counts['files']} files, {counts['places']:,} places: "
        f"{counts['summed']:,} summed, {counts['duplicates']:,} duplicates, "
        f"{counts['contradictions']:,} contradictions; ledger in {args.out / 'data'}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
