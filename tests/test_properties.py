"""Properties, tried on generated input (Hypothesis): valid ledgers, mutated YAML, interval laws.

- Generated *valid* ledgers (claims with ids, qualifiers, units that fit their items, places
  from the seed gazetteer, dates and periods, quotes that stand in a generated document and
  state the figure) load with no problem at all under both YAML readers, and every export
  format gives back the same claim ids and figures. The expected figures come from the
  README's table, computed here, never from the exporter.
- Generated *mutations* of the seed ledger's YAML (lines deleted, duplicated, swapped or
  re-indented, characters inserted, the file cut short) never make `ledger.load` raise; every
  problem names a file and a line inside that file, and both readers report the same problems.
- Interval laws: the sum is commutative and associative; `supported` implies the overlap that
  `compatible` needs; a verdict does not change when the parts are reordered or the same
  ledger is written in kg instead of t.

Every run is the same run (`derandomize=True`, no example database), so CI is deterministic.
`EXAMPLES` says how many examples each property tries; the README's Reliability section
quotes these figures.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import ledger
from ledger.analysis import analyse, verdict
from ledger.export import export
from ledger.intervals import INF, Interval, total

from .conftest import SEED_CLAIMS, SEED_DATA, SEED_REPO

# How many examples each property tries (quoted by the README's Reliability section).
EXAMPLES = {
    "valid_ledgers": 60,  # each loaded under both readers and exported in all 5 formats
    "mutations": 60,  # each loaded under both readers
    "truncations": 40,  # a file cut short at any byte, under both readers
    "sum_commutative": 200,
    "sum_associative": 200,
    "supported_implies_overlap": 200,
    "verdict_part_order": 100,
    "verdict_units_rescaled": 40,  # three ledgers each: in t, in kg, mixed and reordered
}
READERS = ("fast", "pyyaml")  # AID_LEDGER_PARSER unset (yaml-rs where safe) and =pyyaml


LOADS = ("valid_ledgers", "mutations", "truncations", "verdict_units_rescaled")


def examples(name: str) -> settings:
    """Settings for one property. Properties that load whole ledgers skip shrinking: a failing
    example is reported as drawn, so a failure costs seconds of CI, not a minute."""
    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    if name not in LOADS:
        phases += [Phase.shrink, Phase.explain]
    return settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        derandomize=True,
        database=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@contextlib.contextmanager
def reader(name: str) -> Iterator[None]:
    """Run under one YAML reader: `pyyaml` alone, or the default (yaml-rs where it is safe)."""
    old = os.environ.get("AID_LEDGER_PARSER")
    if name == "pyyaml":
        os.environ["AID_LEDGER_PARSER"] = "pyyaml"
    else:
        os.environ.pop("AID_LEDGER_PARSER", None)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("AID_LEDGER_PARSER", None)
        else:
            os.environ["AID_LEDGER_PARSER"] = old


def describe(problems: list[ledger.Problem]) -> str:
    return "\n".join(p.format() for p in problems) or "(no problems)"


# --- the seed's reference files ----------------------------------------------------------------

REFERENCE = ("places.yaml", "items.yaml", "units.txt", "orgs.yaml", "config.yaml")


def _names(file: str) -> list[str]:
    with (SEED_DATA / file).open(encoding="utf-8") as f:
        return [e["name"] for e in yaml.safe_load(f)]


ORGS = _names("orgs.yaml")
PLACES = _names("places.yaml")
# item -> the units that fit it (flour is weighed, blankets are counted, ...)
ITEMS = {
    "flour": ("t", "kg"),
    "humanitarian aid": ("t", "kg"),
    "food": ("t", "kg"),
    "drinking water": ("L",),
    "blankets": ("blankets",),
    "pills": ("pills",),
    "humanitarian events": ("events",),
}
UNITS = {  # written unit -> (canonical unit, factor)
    "t": ("t", Decimal(1)),
    "kg": ("t", Decimal("0.001")),
    "L": ("L", Decimal(1)),
    "blankets": ("blanket", Decimal(1)),
    "pills": ("pill", Decimal(1)),
    "events": ("event", Decimal(1)),
}
# qualifier as written -> family (README: "How figures are read")
QUALIFIERS = {
    "": "exact",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "more than": "more_than",
    "over": "more_than",
    "at least": "at_least",
    "up to": "up_to",
    "at most": "up_to",
    "less than": "less_than",
    "under": "less_than",
    "fewer than": "less_than",
    "between": "between",
}
# words for quotes and notes: other scripts, typographic quotes, YAML's special characters
WORDS = [
    "said", "the convoy", "reached", "on Friday", "«humanitarian»", "“aid”", "it's", "— they",
    "reportedly", "Алеппо", "гуманитарная помощь", "حلب", "مساعدات", "ministry's", "a: b",
    "#1", "&", "*", "!", "50%", "(AP)", "O'Neil", 'a "quoted" word', "tab\there", "[x]",
    "{y}", "|", ">", "@home", "`code`", "Ünïcödé", "emoji 🚚",
]  # fmt: skip


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository folder reused by every example (pint's registry is built once per
    units.txt path, so a fresh folder per example would cost a second each)."""
    root = tmp_path_factory.mktemp("generated")
    (root / "data" / "claims").mkdir(parents=True)
    (root / "seeds").mkdir()
    for name in REFERENCE:
        shutil.copy(SEED_DATA / name, root / "data" / name)
    return root


def ys(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's; WORDS hold no NEL, LS or PS)."""
    return json.dumps(value, ensure_ascii=False)


# --- generated valid ledgers -------------------------------------------------------------------


@dataclass
class Figure:
    text: str  # as written: `4,000`, `3.5`
    value: Decimal
    step: Decimal  # the place of the last significant digit


@st.composite
def figures(draw: st.DrawFn, max_digits: int = 9999) -> Figure:
    digits = draw(st.integers(1, max_digits))
    decimals = draw(st.integers(0, 2))
    if decimals and digits % 10 == 0:
        digits += 1  # a written decimal ends in a significant digit (`3.5`, not `3.50`)
    zeros = 0 if decimals else draw(st.integers(0, 3))
    value = Decimal(digits).scaleb(-decimals) * 10**zeros
    if decimals:
        step = Decimal(1).scaleb(-decimals)
    else:
        whole = str(int(value))
        step = Decimal(10) ** (len(whole) - len(whole.rstrip("0")))
    return Figure(f"{value:,f}", value, step)


def written(value: Decimal) -> str:
    """A value as a curator writes it: grouped thousands, no trailing decimal zeros."""
    return f"{value.normalize():,f}"


@dataclass
class Quantity:
    qualifier: str
    number: str  # `4,000` or `2 and 3`
    unit: str
    point: Decimal  # written unit
    low: Decimal
    high: Decimal | None  # None: unbounded

    @property
    def phrase(self) -> str:
        return f"{self.qualifier} {self.number} {self.unit}".strip()


def interval(qualifier: str, fig: Figure) -> tuple[Decimal, Decimal | None]:
    """The README's table, with config.yaml's defaults (about: ½ digit, nearly: 1 digit)."""
    family, x, step = QUALIFIERS[qualifier], fig.value, fig.step
    if family == "exact":
        return x, x
    if family == "about":
        return max(Decimal(0), x - step / 2), x + step / 2
    if family == "nearly":
        return max(Decimal(0), x - step), x
    if family in ("more_than", "at_least"):
        return x, None
    assert family in ("up_to", "less_than"), family
    return Decimal(0), x


@st.composite
def quantities(draw: st.DrawFn, unit: str) -> Quantity:
    qualifier = draw(st.sampled_from(sorted(QUALIFIERS)))
    if qualifier == "between":
        a, b = draw(figures()), draw(figures())
        if a.value == b.value:
            b = Figure(written(b.value + 1), b.value + 1, b.step)
        lo, hi = sorted((a, b), key=lambda f: f.value)
        return Quantity(
            "between",
            f"{lo.text} and {hi.text}",
            unit,
            (lo.value + hi.value) / 2,
            lo.value,
            hi.value,
        )
    fig = draw(figures())
    low, high = interval(qualifier, fig)
    return Quantity(qualifier, fig.text, unit, fig.value, low, high)


@st.composite
def periods(draw: st.DrawFn) -> tuple[str, str]:
    a, b = sorted((draw(st.integers(1, 31)), draw(st.integers(1, 31))))
    return draw(
        st.sampled_from([
            ("date", f"2016-12-{a:02d}"),
            ("period", f"2016-12-{a:02d}/2016-12-{b:02d}"),
            ("period", f"../2016-12-{b:02d}"),
            ("period", f"2016-12-{a:02d}/.."),
            ("date", "2016-12"),
            ("period", "2016"),
        ])
    )  # fmt: skip


@dataclass
class Claim:
    id: str
    source: int
    fields: dict[str, object]  # YAML key -> value (str or list of str), in order
    quantity: Quantity
    quote: str
    places: list[str]


@st.composite
def claims(draw: st.DrawFn, n: int, cid: str, source: int) -> Claim:
    item = draw(st.sampled_from(sorted(ITEMS)))
    unit = draw(st.sampled_from(ITEMS[item]))
    q = draw(quantities(unit))
    provider = draw(st.sampled_from(ORGS))
    places = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2, unique=True))
    tail = draw(st.lists(st.sampled_from(WORDS), max_size=3))
    quote = " ".join([provider, "delivered", q.phrase, "of", item, "to", places[0], *tail])
    quote += f" (report {n})"
    key, when = draw(periods())
    fields: dict[str, object] = {
        "id": cid,
        "claimant": draw(st.sampled_from(ORGS)),
        "provider": provider,
        "status": draw(st.sampled_from(["delivered", "pledged", "planned"])),
        "item": item,
        "quantity": q.phrase,
        "places": places,
        key: when,
        "quote": quote,
    }
    if draw(st.booleans()):
        fields["notes"] = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)))
    return Claim(cid, source, fields, q, quote, places)


@dataclass
class Ledger:
    claims: list[Claim]
    n_sources: int


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    n_sources = draw(st.integers(1, 2))
    n = draw(st.integers(1, 6))
    stems = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), min_size=n, max_size=n)
    )
    out: list[Claim] = []
    for i, stem in enumerate(stems):
        cid = f"{stem}-{i}" + draw(st.sampled_from(["", ".v2", "_x"]))
        c = draw(claims(i, cid, draw(st.integers(0, n_sources - 1))))
        if out and draw(st.integers(0, 3)) == 0:
            c.fields["same_as"] = draw(st.sampled_from([o.id for o in out]))
        out.append(c)
    if draw(st.booleans()):  # a total that sums some of them
        parts = draw(st.lists(st.sampled_from([c.id for c in out]), min_size=1, unique=True))
        total_claim = draw(claims(len(out), f"total-{len(out)}", 0))
        total_claim.fields["sum_of"] = parts
        out.append(total_claim)
    if draw(st.booleans()):  # a count of some of them ("three humanitarian events")
        parts = draw(st.lists(st.sampled_from([c.id for c in out]), min_size=1, unique=True))
        n_parts = Figure(str(len(parts)), Decimal(len(parts)), Decimal(1))
        q = Quantity("", n_parts.text, "events", n_parts.value, n_parts.value, n_parts.value)
        quote = f"{len(parts)} events were held (report {len(out)})"
        fields = {
            "id": f"count-{len(out)}", "claimant": ORGS[0], "provider": ORGS[0],
            "status": "delivered", "item": "humanitarian events", "quantity": q.phrase,
            "places": ["Syria"], "date": "2016-12", "quote": quote, "count_of": parts,
        }  # fmt: skip
        out.append(Claim(str(fields["id"]), 0, fields, q, quote, ["Syria"]))
    return Ledger(out, n_sources)


def render(claim: Claim, mapping: bool) -> str:
    lines = []
    for key, value in claim.fields.items():
        if isinstance(value, list):
            text = "[" + ", ".join(ys(v) for v in value) + "]"
        elif key == "quantity" and mapping and claim.quantity.qualifier != "between":
            q = claim.quantity
            qual = f", qualifier: {ys(q.qualifier)}" if q.qualifier else ""
            text = f"{{value: {q.number.replace(',', '')}, unit: {ys(q.unit)}{qual}}}"
        else:
            text = ys(str(value))
        lines.append(("  - " if not lines else "    ") + f"{key}: {text}")
    return "\n".join(lines) + "\n"


def write_ledger(root: Path, book: Ledger, mapping: bool = False) -> None:
    """The generated ledger as files: sources, one document and one claim file per source."""
    for old in (root / "data" / "claims").iterdir():
        old.unlink()
    sources = []
    for s in range(book.n_sources):
        sources.append(
            f"- id: src-{s}\n  title: {ys(f'Report {s}')}\n  publisher: Example News\n"
            f'  published: "2016-12-03"\n  url: https://example.org/report-{s}\n'
            f"  document: seeds/doc-{s}.txt\n"
        )
        mine = [c for c in book.claims if c.source == s]
        doc = [f"Report {s}."] + [f"In its words, {c.quote}." for c in mine]
        (root / "seeds" / f"doc-{s}.txt").write_text("\n".join(doc) + "\n", encoding="utf-8")
        if mine:
            text = f"source: src-{s}\nclaims:\n" + "".join(render(c, mapping) for c in mine)
            (root / "data" / "claims" / f"src-{s}.yaml").write_text(text, encoding="utf-8")
    (root / "data" / "sources.yaml").write_text("".join(sources), encoding="utf-8")


def _num(cell: object) -> float | None:
    if cell is None or cell == "":
        return None
    return float(cell)  # type: ignore[arg-type]


def _list(cell: object) -> list[str]:
    if isinstance(cell, list):
        return cell
    return [] if cell in (None, "") else str(cell).split("; ")


def exported(analysis, out: Path) -> dict[str, dict[str, dict]]:
    """Every format, read back with an ordinary reader: format -> claim id -> record."""
    got: dict[str, dict[str, dict]] = {}
    for fmt in ("csv", "hxl"):
        rows = list(csv.reader(io.StringIO(export(analysis, fmt, None), newline="")))
        body = rows[2:] if fmt == "hxl" else rows[1:]
        got[fmt] = {r[0]: dict(zip(rows[0], r, strict=True)) for r in body}
    got["json"] = {r["claim_id"]: r for r in json.loads(export(analysis, "json", None))}
    lines = export(analysis, "jsonl", None).splitlines()
    got["jsonl"] = {r["claim_id"]: r for r in map(json.loads, lines)}
    db = out / "export.db"
    db.unlink(missing_ok=True)
    export(analysis, "sqlite", str(db))
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        got["sqlite"] = {r["claim_id"]: dict(r) for r in con.execute("SELECT * FROM claims")}
    finally:
        con.close()
    db.unlink()
    return got


def close(a: float | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, float(b), rel_tol=1e-9, abs_tol=1e-12)


@examples("valid_ledgers")
@given(book=ledgers(), mapping=st.booleans())
def test_generated_valid_ledgers_load_clean_and_round_trip_every_export(
    workdir: Path, book: Ledger, mapping: bool
):
    write_ledger(workdir, book, mapping)
    for name in READERS:
        with reader(name):
            loaded = ledger.load(workdir / "data", use_cache=False)
        assert loaded.problems == [], f"{name}:\n{describe(loaded.problems)}"
        assert sorted(loaded.claims["id"]) == sorted(c.id for c in book.claims)
    analysis = analyse(loaded)
    got = exported(analysis, workdir)
    for fmt, records in got.items():
        assert sorted(records) == sorted(c.id for c in book.claims), fmt
        for c in book.claims:
            rec, q = records[c.id], c.quantity
            canonical, factor = UNITS[q.unit]
            where = f"{fmt} {c.id} `{q.phrase}`"
            assert rec["stated_unit"] == q.unit, where
            assert rec["canonical_unit"] == canonical, where
            assert close(_num(rec["stated_value"]), q.point), where
            assert close(_num(rec["point"]), q.point * factor), where
            assert close(_num(rec["low"]), q.low * factor), where
            assert close(_num(rec["high"]), None if q.high is None else q.high * factor), where
            assert _list(rec["places"]) == c.places, where
            assert _list(rec["sum_of"]) == list(c.fields.get("sum_of", [])), where  # type: ignore[arg-type]


# --- mutations of the seed ledger ------------------------------------------------------------------

SEED_YAML = [
    f"data/{SEED_CLAIMS}",
    "data/sources.yaml",
    "data/places.yaml",
    "data/items.yaml",
    "data/orgs.yaml",
    "data/config.yaml",
]
ORIGINAL = {rel: (SEED_REPO / rel).read_bytes() for rel in SEED_YAML}
# what a hand edit or a paste brings: tabs, YAML indicators, NUL, bytes that are not UTF-8,
# other line breaks (CR, NEL, LS), a BOM, tags, anchors and aliases, document markers
INSERTS = [
    b"\t", b":", b": ", b'"', b"'", b"&", b"*", b"!", b"\x00", b"\xff", b"\xe9", b"\xc3", b"\x80",
    b"-", b"- ", b"[", b"]", b"{", b"}", b"#", b"|", b">", b"%", b"@", b"`", b"?", b",",
    b"&a ", b"*a", b"!!python/object:os.system ", b"!foo ", b"<<: ", b"---\n", b"...\n",
    "\u2028".encode(), "\x85".encode(), b"\r", "\ufeff".encode(), b"\n", b"  ",
]  # fmt: skip


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    rel = draw(st.sampled_from(SEED_YAML))
    data = ORIGINAL[rel]
    for _ in range(draw(st.integers(1, 3))):
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            what = draw(st.one_of(st.sampled_from(INSERTS), st.binary(min_size=1, max_size=4)))
            lines[i] = lines[i][:at] + what + lines[i][at:]
        elif op == "indent":
            lines[i] = b" " * draw(st.integers(0, 9)) + lines[i].lstrip(b" ")
        else:
            data = data[: draw(st.integers(0, len(data)))]
            continue
        data = b"\n".join(lines)
    return rel, data


@pytest.fixture(scope="module")
def seed_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutated")
    shutil.copytree(SEED_DATA, root / "data")
    shutil.copytree(SEED_REPO / "seeds", root / "seeds")
    return root


def n_lines(data: bytes) -> int:
    """Lines as an editor numbers them (a last line without a newline counts; an empty file
    has the one line a problem may point at)."""
    return max(1, data.count(b"\n") + (0 if data.endswith(b"\n") else 1))


def check_mutated(seed_repo: Path, rel: str, data: bytes) -> None:
    """Load the seed with `rel` replaced by `data` under both readers: nothing raises, every
    problem points at a line inside an existing file, and the readers agree."""
    for name, original in ORIGINAL.items():
        (seed_repo / name).write_bytes(original)
    (seed_repo / rel).write_bytes(data)
    seen: dict[str, list[str]] = {}
    for name in READERS:
        with reader(name):
            book = ledger.load(seed_repo / "data", use_cache=False)  # never raises
        for p in book.problems:
            shown = Path(p.file)
            path = shown if shown.is_absolute() else Path.cwd() / shown
            assert p.file and path.is_file(), f"{name}: {p.format()}"
            size = n_lines(path.read_bytes())
            assert 1 <= p.line <= size, f"{name}: {p.format()} ({path.name} has {size} lines)"
        seen[name] = [p.format() for p in book.problems]
    assert seen["fast"] == seen["pyyaml"], "the two readers disagree"


@examples("mutations")
@given(mutation=mutations())
def test_mutated_yaml_never_raises_and_every_problem_points_inside_its_file(
    seed_repo: Path, mutation: tuple[str, bytes]
):
    check_mutated(seed_repo, *mutation)


@examples("truncations")
@given(rel=st.sampled_from(SEED_YAML), data=st.data())
def test_yaml_cut_short_anywhere_never_raises_and_points_inside_the_file(
    seed_repo: Path, rel: str, data: st.DataObject
):
    """What a crash of another tool in mid-write leaves: the file up to some byte."""
    original = ORIGINAL[rel]
    check_mutated(seed_repo, rel, original[: data.draw(st.integers(0, len(original)))])


# --- interval laws ----------------------------------------------------------------------------------

ends = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    """A non-empty interval: closed, open or half-open, possibly unbounded above."""
    lo = draw(ends)
    if draw(st.integers(0, 4)) == 0:
        return Interval(lo, INF, draw(st.booleans()), True)
    hi = lo + draw(ends)
    if hi == lo:
        return Interval.point(lo)
    return Interval(lo, hi, draw(st.booleans()), draw(st.booleans()))


def widened(i: Interval, by: Decimal) -> Interval:
    """The same interval read more generously (as rounding does): a superset of `i`."""
    hi = i.hi if i.hi == INF else i.hi + by
    return Interval(max(Decimal(0), i.lo - by), hi, i.lo_open and by == 0, i.hi_open and by == 0)


@examples("sum_commutative")
@given(a=intervals(), b=intervals())
def test_interval_sum_is_commutative(a: Interval, b: Interval):
    assert a + b == b + a


@examples("sum_associative")
@given(a=intervals(), b=intervals(), c=intervals())
def test_interval_sum_is_associative(a: Interval, b: Interval, c: Interval):
    assert (a + b) + c == a + (b + c)
    assert total([a, b, c]) == total([c, a, b])


@examples("supported_implies_overlap")
@given(claim=intervals(), parts=st.lists(intervals(), min_size=1, max_size=4), by=ends)
def test_supported_implies_the_overlap_compatible_needs(
    claim: Interval, parts: list[Interval], by: Decimal
):
    s = total(parts)
    claim_r, s_r = widened(claim, by), widened(s, by)
    v = verdict(claim, s, claim_r, s_r)
    if claim.contains(s):
        assert claim.overlaps(s) and s.overlaps(claim)
        assert v == "supported"
    if v in ("supported", "compatible"):
        assert claim.overlaps(s), v
    if v == "compatible":
        assert not claim.contains(s)
    if v == "rounding":
        assert not claim.overlaps(s) and claim_r.overlaps(s_r)
    if v == "contradicted":
        assert not claim.overlaps(s) and not claim_r.overlaps(s_r)


@examples("verdict_part_order")
@given(
    claim=intervals(),
    parts=st.lists(st.tuples(intervals(), ends), min_size=1, max_size=5),
    data=st.data(),
)
def test_verdict_does_not_change_when_parts_are_reordered(
    claim: Interval, parts: list[tuple[Interval, Decimal]], data: st.DataObject
):
    claim_r = widened(claim, Decimal("0.5"))
    pairs = [(i, widened(i, by)) for i, by in parts]
    shuffled = data.draw(st.permutations(pairs))

    def judge(ps: list[tuple[Interval, Interval]]) -> str:
        return verdict(claim, total([p for p, _ in ps]), claim_r, total([r for _, r in ps]))

    assert judge(shuffled) == judge(pairs)


# --- verdicts through the whole ledger: t vs kg, parts reordered --------------------------------


@st.composite
def mass_ledgers(draw: st.DrawFn) -> list[tuple[str, Figure, Figure | None]]:
    """A summed claim and its 1-4 parts, each as (qualifier, figure in t, upper figure for
    `between`)."""

    def one() -> tuple[str, Figure, Figure | None]:
        qualifier = draw(st.sampled_from(sorted(QUALIFIERS)))
        a = draw(figures(max_digits=999))
        if qualifier != "between":
            return qualifier, a, None
        b = draw(figures(max_digits=999))
        lo, hi = sorted((a, b), key=lambda f: f.value)
        if lo.value == hi.value:
            hi = Figure(written(hi.value + 1), hi.value + 1, hi.step)
        return qualifier, lo, hi

    return [one() for _ in range(draw(st.integers(2, 5)))]


def mass_text(qualifier: str, a: Figure, b: Figure | None, unit: str) -> str:
    """The figure written in `unit` (t as drawn, kg times 1,000)."""
    scale = Decimal(1000) if unit == "kg" else Decimal(1)
    x = written(a.value * scale)
    if qualifier == "between":
        assert b is not None
        return f"between {x} and {written(b.value * scale)} {unit}"
    return f"{qualifier} {x} {unit}".strip()


def write_mass_ledger(
    root: Path, spec: list[tuple[str, Figure, Figure | None]], units: list[str], order: list[int]
) -> None:
    """Claim 0 sums claims 1..n; `units[i]` is claim i's unit; parts listed in `order`."""
    ids = [f"part-{i}" if i else "total" for i in range(len(spec))]
    blocks, doc = {}, ["Report 0."]
    for i, ((qualifier, a, b), unit) in enumerate(zip(spec, units, strict=True)):
        phrase = mass_text(qualifier, a, b, unit)
        quote = f"the ministry delivered {phrase} of flour (item {i})"
        doc.append(f"It said {quote}.")
        block = (
            f"  - id: {ids[i]}\n    claimant: Russian Ministry of Defence\n    provider: Russia\n"
            f"    status: delivered\n    item: flour\n    quantity: {ys(phrase)}\n"
            f"    places: [Aleppo city]\n    date: 2016-12-02\n    quote: {ys(quote)}\n"
        )
        if i == 0:
            block += "    sum_of: [" + ", ".join(ids[j] for j in order) + "]\n"
        blocks[i] = block
    book = Ledger([], 1)
    write_ledger(root, book)  # sources.yaml and an empty claims folder
    (root / "seeds" / "doc-0.txt").write_text("\n".join(doc) + "\n", encoding="utf-8")
    text = "source: src-0\nclaims:\n" + "".join(blocks[j] for j in [0, *order])
    (root / "data" / "claims" / "src-0.yaml").write_text(text, encoding="utf-8")


def verdicts(root: Path) -> list[tuple]:
    book = ledger.load(root / "data", use_cache=False)
    errors = [p for p in book.problems if p.severity == "error"]
    assert errors == [], describe(errors)
    return [(c.claim, c.verdict, c.point_holds, c.sum, c.sum_rounded) for c in analyse(book).checks]


@examples("verdict_units_rescaled")
@given(spec=mass_ledgers(), data=st.data())
def test_verdict_does_not_change_when_units_are_rescaled_or_parts_reordered(
    workdir: Path, spec: list[tuple[str, Figure, Figure | None]], data: st.DataObject
):
    n = len(spec)
    natural = list(range(1, n))
    write_mass_ledger(workdir, spec, ["t"] * n, natural)
    in_t = verdicts(workdir)
    assert len(in_t) == 1 and in_t[0][0] == "total"
    write_mass_ledger(workdir, spec, ["kg"] * n, natural)
    assert verdicts(workdir) == in_t, "the same ledger in kg"
    mixed = data.draw(st.lists(st.sampled_from(["t", "kg"]), min_size=n, max_size=n))
    order = data.draw(st.permutations(natural))
    write_mass_ledger(workdir, spec, mixed, order)
    assert verdicts(workdir) == in_t, f"units {mixed}, parts in order {order}"
