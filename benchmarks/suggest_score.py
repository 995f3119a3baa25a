"""Score `aid-ledger suggest` against hand-curated ledgers (issue 14, "Measured").

The truth is what a careful curator wrote: the seed article in `tests/fixtures/seed/data`,
and a corpus of more reports in `tests/corpus/data` when one is there (a ledger like any other:
sources.yaml, places, orgs, items, claims and each report's text). The corpus of real
reports the issue asks for is not in the repository yet: its texts must be ones the project
may store. For every source of those ledgers the
script asks suggest for a draft through one library call (`draft_claims` below), matches the
drafted claims to the curated ones, and prints per field how much of the truth the draft found
(recall) and how much of the draft is true (precision), beside the issue's targets:

    .venv/bin/python benchmarks/suggest_score.py          # exit 0 always: it measures, never gates

`score(expected, drafted)` is the measure itself, usable on any two lists of claims written as
in a claims file (dicts with `quantity`, `quote`, `places`, `date`/`period`, `sum_of`...).

How claims are matched: within one source, a drafted claim goes first to an expected claim
with the same figure (value in its dimension's canonical unit, so `4,000 kg` is `4 t`), the
one whose quote shares most words with its own (ties: same provider, same item); a drafted
claim left over goes to a left-over expected claim whose quote it overlaps by at least half
(a figure read wrong still counts as that claim for places and dates). Why figure first: two
claims of one sentence share their quote ("4 tons; ... one ton"), never their figure.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ledger.dates import DateError, parse_period  # noqa: E402
from ledger.quantity import (  # noqa: E402
    Quantity,
    QuantityError,
    parse_quantity,
    quantity_from_mapping,
)
from ledger.units import UnitError, Units, units_for  # noqa: E402

CORPUS = REPO / "tests" / "corpus" / "data"
SEED = REPO / "tests" / "fixtures" / "seed" / "data"
LEDGERS = tuple(folder for folder in (CORPUS, SEED) if folder.is_dir())
DEFAULT_UNITS = SEED / "units.txt"
# The issue's targets: (recall, precision) for figures and qualifiers; a share of matched
# claims for places and dates; the share of drafted quotes `check` accepts. Zero claims and
# links are measured without a target (the issue sets none).
TARGETS: dict[str, tuple[float, float] | float] = {
    "figures": (0.95, 0.90),
    "qualifiers": (0.95, 0.90),
    "places": 0.80,
    "dates": 0.80,
    "quotes": 1.0,
}
MIN_QUOTE_OVERLAP = 0.5
_WORD = re.compile(r"\w+", re.UNICODE)

Claim = Mapping[str, Any]


# --- reading one claim into what is compared ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Read:
    """What the score compares of one claim, each field normalised once."""

    key: str  # the claim's id (expected) or its index in the draft
    source: str | None
    figure: tuple[Any, ...] | None  # (low, high, canonical unit); None: no readable figure
    family: str | None
    zero: bool
    places: frozenset[str]
    period: tuple[Any, Any] | None
    words: frozenset[str]
    provider: str
    item: str
    links: tuple[tuple[str, str], ...]  # (kind, part id)


class Reader:
    """Normalises claims: figures through the ledger's units, places through its gazetteer
    (aliases to names; without one, names as written, case-folded), dates through its parser.
    Every distinct quantity, unit, place and period is read once."""

    def __init__(self, units: Units | None = None, places: Any = None) -> None:
        self.units = units if units is not None else units_for(DEFAULT_UNITS)
        self.places = places  # a ledger Hierarchy, or None
        self._figure = lru_cache(maxsize=None)(self._read_figure)
        self._place = lru_cache(maxsize=None)(self._read_place)
        self._period = lru_cache(maxsize=None)(self._read_period)

    def read(self, claim: Claim, key: str) -> Read:
        figure, family, zero = self.figure(claim.get("quantity"))
        span = claim.get("period", claim.get("date"))
        return Read(
            key=key,
            source=claim.get("source"),
            figure=figure,
            family=family,
            zero=zero,
            places=frozenset(self._place(str(p)) for p in _as_list(claim.get("places"))),
            period=self._period(str(span)) if span is not None else None,
            words=frozenset(w.casefold() for w in _WORD.findall(str(claim.get("quote") or ""))),
            provider=str(claim.get("provider") or "").casefold(),
            item=str(claim.get("item") or "").casefold(),
            links=_links(claim),
        )

    def figure(self, quantity: Any) -> tuple[tuple[Any, ...] | None, str | None, bool]:
        """(low, high, canonical unit), the qualifier family, and whether it is a zero claim."""
        if isinstance(quantity, Mapping):  # the mapping form is rare: read it each time
            get = quantity.get
            return self._from(
                lambda: quantity_from_mapping(get("value"), get("unit"), get("qualifier"))
            )
        return self._figure(str(quantity or ""))

    def _read_figure(self, phrase: str) -> tuple[tuple[Any, ...] | None, str | None, bool]:
        return self._from(lambda: parse_quantity(phrase))

    def _from(
        self, parse: Callable[[], Quantity]
    ) -> tuple[tuple[Any, ...] | None, str | None, bool]:
        try:
            q = parse()
        except QuantityError:
            return None, None, False
        family = str(q.family.value)
        if q.unit is None:  # `none`, `nothing`: zero of anything
            return (Decimal(0), Decimal(0), "none"), family, True
        info = self.units.lookup(q.unit)
        if isinstance(info, UnitError):
            return None, family, q.value == 0
        # Decimals compare and hash by value: 4, 4.0 and 4.000 t are one figure.
        return (q.low * info.factor, q.high * info.factor, info.canonical), family, q.value == 0

    def _read_place(self, name: str) -> str:
        if self.places is not None:
            hit = self.places.lookup(name)
            if isinstance(hit, str):
                return hit
        return " ".join(name.split()).casefold()

    @staticmethod
    def _read_period(text: str) -> tuple[Any, Any] | None:
        try:
            p = parse_period(text)
        except DateError:
            return None
        return p.start, p.end


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _links(claim: Claim) -> tuple[tuple[str, str], ...]:
    """Every (kind, part id) the claim names; ids in `count_of` groups count one by one."""
    out = [("sum_of", str(i)) for i in _as_list(claim.get("sum_of"))]
    for part in _as_list(claim.get("count_of")):
        out += [("count_of", str(i)) for i in _as_list(part)]
    return tuple(out)


# --- matching -------------------------------------------------------------------------------


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the shorter quote the other holds (1.0: one quote holds the other)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _affinity(d: Read, e: Read) -> tuple[float, int, int]:
    """How alike two claims are: quote words first, then the qualifier, then provider and item
    (the seed's four zero claims share one quote and differ by provider alone)."""
    same = int(d.provider == e.provider) + int(d.item == e.item)
    return _overlap(d.words, e.words), int(d.family == e.family), same


def match(expected: Sequence[Read], drafted: Sequence[Read]) -> dict[str, str]:
    """Drafted key -> expected key. Figures are grouped first (a dict per source and figure),
    so a drafted claim is only weighed against the few expected claims that could be it; within
    a group the most alike pairs are taken first."""
    by_figure: dict[tuple[Any, Any], list[Read]] = {}
    for e in expected:
        by_figure.setdefault((e.source, e.figure), []).append(e)
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    groups: dict[tuple[Any, Any], list[Read]] = {}
    for d in drafted:
        if d.figure is not None and (d.source, d.figure) in by_figure:
            groups.setdefault((d.source, d.figure), []).append(d)
    for key, ds in groups.items():  # the closest pairs of each figure first, not draft order
        ranked = sorted(
            ((_affinity(d, e), i, d, e) for i, d in enumerate(ds) for e in by_figure[key]),
            key=lambda t: (t[0], -t[1]),
            reverse=True,
        )
        for _aff, _i, d, e in ranked:
            if d.key not in pairs and e.key not in taken:
                pairs[d.key] = e.key
                taken.add(e.key)
    by_source: dict[Any, list[Read]] = {}
    for e in expected:
        by_source.setdefault(e.source, []).append(e)
    for d in drafted:  # left-overs: the same words, a figure read wrong
        if d.key in pairs:
            continue
        pool = [e for e in by_source.get(d.source, []) if e.key not in taken]
        if not pool:
            continue
        best = max(pool, key=lambda e: _affinity(d, e))
        if _affinity(d, best)[0] >= MIN_QUOTE_OVERLAP:
            pairs[d.key] = best.key
            taken.add(best.key)
    return pairs


# --- the score ------------------------------------------------------------------------------


def _rate(hits: int, of: int) -> float | None:
    return hits / of if of else None


def _counted(hits: int, expected: int, drafted: int) -> dict:
    return {
        "expected": expected,
        "drafted": drafted,
        "matched": hits,
        "recall": _rate(hits, expected),
        "precision": _rate(hits, drafted),
    }


def score(
    expected: Sequence[Claim],
    drafted: Sequence[Claim],
    *,
    reader: Reader | None = None,
    quote_ok: Callable[[int, Claim], bool] | None = None,
) -> dict[str, Any]:
    """Per field, how the drafted claims compare with the expected ones.

    Claims may carry `source` (the id of their source): matching stays within a source.
    `quote_ok(index, claim)` says whether `check` accepts a drafted claim's quote; without it
    the quote field is not scored (None). Returns, per counted field (`figures`, `qualifiers`,
    `zero_claims`, `links`), `expected`, `drafted`, `matched`, `recall` and `precision`; per
    judged field (`places`, `dates`) `right`, `of` (matched claims) and `share`; `quotes` as
    `passed`, `of`, `share`; `missing` (expected ids no draft matched) and `extra` (indexes of
    drafted claims that match nothing). A rate over nothing is None.
    """
    r = reader or Reader()
    exp = [r.read(c, str(c.get("id", f"expected-{i}"))) for i, c in enumerate(expected)]
    dra = [r.read(c, str(i)) for i, c in enumerate(drafted)]
    pairs = match(exp, dra)
    by_key = {e.key: e for e in exp}
    matched = [(d, by_key[pairs[d.key]]) for d in dra if d.key in pairs]
    same_figure = [(d, e) for d, e in matched if d.figure == e.figure and d.figure is not None]
    same_family = [(d, e) for d, e in same_figure if d.family == e.family]
    zero_hits = sum(1 for d, e in matched if d.zero and e.zero)
    result: dict[str, Any] = {
        "figures": _counted(len(same_figure), len(exp), len(dra)),
        "qualifiers": _counted(len(same_family), len(exp), len(dra)),
        "zero_claims": _counted(zero_hits, sum(e.zero for e in exp), sum(d.zero for d in dra)),
        "links": _link_score(exp, dra, pairs, drafted),
        "places": _judged(matched, lambda d, e: d.places == e.places),
        "dates": _judged(matched, lambda d, e: d.period == e.period),
        "quotes": _quotes(drafted, quote_ok),
        "missing": sorted(set(by_key) - set(pairs.values())),
        "extra": [int(d.key) for d in dra if d.key not in pairs],
    }
    return result


def _judged(pairs: Sequence[tuple[Read, Read]], right: Callable[[Read, Read], bool]) -> dict:
    hits = sum(1 for d, e in pairs if right(d, e))
    return {"right": hits, "of": len(pairs), "share": _rate(hits, len(pairs))}


def _link_score(
    exp: Sequence[Read], dra: Sequence[Read], pairs: Mapping[str, str], drafted: Sequence[Claim]
) -> dict:
    """Links as (claim, kind, part) edges between expected ids; a drafted edge counts when
    both its ends (drafted ids, looked up within the draft's source) match the expected edge's."""
    want = {(e.key, kind, part) for e in exp for kind, part in e.links}
    ids = {(d.source, str(c.get("id"))): d.key for d, c in zip(dra, drafted, strict=True)}
    got = []  # a list: two drafted links to unmatched claims are two links, not one
    for d in dra:
        for kind, part in d.links:
            part_key = ids.get((d.source, part))
            got.append((pairs.get(d.key), kind, pairs.get(part_key) if part_key else None))
    hits = len(want & set(got))
    return _counted(hits, len(want), len(got))


def _quotes(drafted: Sequence[Claim], quote_ok: Callable[[int, Claim], bool] | None) -> dict:
    if quote_ok is None:
        return {"passed": None, "of": len(drafted), "share": None}
    passed = sum(1 for i, c in enumerate(drafted) if quote_ok(i, c))
    return {"passed": passed, "of": len(drafted), "share": _rate(passed, len(drafted))}


# --- the corpus, the drafts and `check` -----------------------------------------------------

QUOTE_CODES = frozenset({"quote-empty", "quote-not-found", "quote-number-missing"})
DRAFT_FILE = "zz-suggest-draft-{source}.yaml"


def expected_claims(folder: Path) -> list[dict[str, Any]]:
    """Every curated claim of the ledger in `folder`, each with its `source`."""
    out: list[dict[str, Any]] = []
    for path in sorted((folder / "claims").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out += [{**c, "source": doc.get("source")} for c in doc.get("claims") or []]
    return out


def source_ids(folder: Path) -> list[str]:
    """The ids of `sources.yaml`, in its order."""
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    return [str(s["id"]) for s in yaml.safe_load(text) or []]


def draft_claims(book: Any, source_id: str) -> list[dict[str, Any]] | None:
    """suggest's draft for one source of `book` (a loaded ledger), as claim dicts (links as
    ids); None when suggest does not exist yet.

    The one call into suggest: `ledger.suggest.suggest(book, source_text(book, id))`, each
    draft turned into the claim `add` would write by `claim_fields`."""
    try:
        from ledger.suggest import claim_fields, source_text, suggest
    except ImportError:
        return None
    drafts = suggest(book, source_text(book, source_id))
    return [{**_as_dict(claim_fields(d)), "source": source_id} for d in drafts]


def _as_dict(claim: Any) -> dict[str, Any]:
    if isinstance(claim, Mapping):
        return dict(claim)
    if hasattr(claim, "as_dict"):
        return dict(claim.as_dict())
    return dict(vars(claim))


_NOT_CHECKED = ("source", "sum_of", "count_of", "same_as")


def _plain(value: Any) -> Any:
    """A value YAML can write: lists and mappings kept, numbers and text as they are, anything
    else (a Decimal, a date) as its text, which is how a claims file would hold it."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def quote_verdicts(folder: Path, drafted: Sequence[Claim]) -> list[bool]:
    """Whether `check` accepts each drafted claim's quote: the drafts are checked as claim
    files of the ledger in `folder` (held in memory, nothing written), their ids made unique
    and their links dropped so that only the quote checks speak."""
    import ledger

    texts: dict[str, list[str]] = {}
    lines: dict[str, list[tuple[int, int]]] = {}  # file -> (first line, claim index)
    for i, c in enumerate(drafted):
        name = DRAFT_FILE.format(source=c.get("source"))
        body = texts.setdefault(name, [f"source: {c.get('source')}", "claims:"])
        plain = {k: _plain(v) for k, v in c.items() if k not in _NOT_CHECKED}
        plain["id"] = f"suggest-draft-{i}"
        dumped = yaml.safe_dump([plain], allow_unicode=True, sort_keys=False, width=10**6)
        lines.setdefault(name, []).append((len(body) + 1, i))
        body += ["  " + line for line in dumped.splitlines()]
    overrides = {(folder / "claims" / n).resolve(): "\n".join(t) + "\n" for n, t in texts.items()}
    book = ledger.load(folder, overrides=overrides, use_cache=False, write_cache=False)
    ok = [True] * len(drafted)
    for p in book.problems:
        name = Path(p.file).name
        if p.code in QUOTE_CODES and name in lines:
            ok[max((i for first, i in lines[name] if first <= p.line), default=0)] = False
    return ok


# --- the table ------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _met(value: float | None, target: float) -> bool:
    return value is not None and value >= target


def _pair_target(field: str, f: Mapping[str, Any]) -> str:
    """`>= r / >= p | met` (or NOT MET), or `(none) |` for a field the issue sets no target."""
    if field not in TARGETS:
        return "(none) | |"
    want_r, want_p = TARGETS[field]  # type: ignore[misc]
    met = _met(f["recall"], want_r) and _met(f["precision"], want_p)
    return f">= {_pct(want_r)} / >= {_pct(want_p)} | {'met' if met else 'NOT MET'} |"


def table(result: Mapping[str, Any]) -> list[str]:
    """The score as a Markdown table with the targets, each `met` or `NOT MET`."""
    rows = ["| field | expected | drafted | matched | recall | precision | target | |",
            "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for field in ("figures", "qualifiers", "zero_claims", "links"):
        f = result[field]
        rows.append(
            f"| {field} | {f['expected']} | {f['drafted']} | {f['matched']} | {_pct(f['recall'])}"
            f" | {_pct(f['precision'])} | {_pair_target(field, f)}"
        )
    for field in ("places", "dates"):
        f = result[field]
        target = float(TARGETS[field])  # type: ignore[arg-type]
        rows.append(
            f"| {field} (of matched claims) | | | {f['right']} of {f['of']} | {_pct(f['share'])}"
            f" | | >= {_pct(target)} right | {'met' if _met(f['share'], target) else 'NOT MET'} |"
        )
    q = result["quotes"]
    passed = "n/a" if q["passed"] is None else f"{q['passed']} of {q['of']}"
    rows.append(
        f"| quotes `check` accepts | | {q['of']} | {passed} | {_pct(q['share'])} | | every one"
        f" | {'met' if _met(q['share'], 1.0) else 'NOT MET'} |"
    )
    return rows


def merge(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Several scores (one per ledger, each read with its own gazetteer) as one: counts
    added, rates worked out again."""
    out: dict[str, Any] = {}
    for field in ("figures", "qualifiers", "zero_claims", "links"):
        n = {k: sum(r[field][k] for r in results) for k in ("expected", "drafted", "matched")}
        out[field] = _counted(n["matched"], n["expected"], n["drafted"])
    for field in ("places", "dates"):
        right, of = (sum(r[field][k] for r in results) for k in ("right", "of"))
        out[field] = {"right": right, "of": of, "share": _rate(right, of)}
    of = sum(r["quotes"]["of"] for r in results)
    if any(r["quotes"]["passed"] is None for r in results):
        out["quotes"] = {"passed": None, "of": of, "share": None}
    else:
        passed = sum(r["quotes"]["passed"] for r in results)
        out["quotes"] = {"passed": passed, "of": of, "share": _rate(passed, of)}
    out["missing"] = [m for r in results for m in r["missing"]]
    out["extra"] = [x for r in results for x in r["extra_claims"]]
    out["failed"] = [x for r in results for x in r.get("failed", [])]
    out["languages"] = {}
    for r in results:
        for language, row in r.get("languages", {}).items():
            had = out["languages"].get(language)
            out["languages"][language] = row if had is None else _add_rows(had, row)
    return out


def _add_rows(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Two languages' rows (the same language in two ledgers) as one."""
    out: dict[str, Any] = {"reports": a["reports"] + b["reports"]}
    for field in ("figures", "qualifiers"):
        n = {k: a[field][k] + b[field][k] for k in ("expected", "drafted", "matched")}
        out[field] = _counted(n["matched"], n["expected"], n["drafted"])
    return out


def language_table(languages: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Figures and qualifiers per language, as a Markdown table."""
    rows = ["| language | reports | claims | figures recall / precision | qualifiers recall / precision |",
            "|---|---|---|---|---|"]  # fmt: skip
    for language, row in languages.items():
        f, q = row["figures"], row["qualifiers"]
        rows.append(
            f"| {language} | {row['reports']} | {f['expected']} | {_pct(f['recall'])} / "
            f"{_pct(f['precision'])} | {_pct(q['recall'])} / {_pct(q['precision'])} |"
        )
    return rows


def score_ledger(folder: Path) -> dict[str, Any] | None:
    """The score of suggest's drafts for every source of the ledger in `folder`; None when
    suggest does not exist yet. A source suggest fails on is drafted as nothing (its claims
    count as missed) and named in `failed`."""
    import ledger

    book = ledger.load(folder, use_cache=False, write_cache=False)
    drafted: list[dict[str, Any]] = []
    failed: list[str] = []
    for sid in source_ids(folder):
        try:
            got = draft_claims(book, sid)
        except Exception as exc:  # noqa: BLE001 (a measure reports a crash, it does not stop)
            failed.append(f"{sid}: {type(exc).__name__}: {exc}")
            continue
        if got is None:
            return None
        drafted += got
    verdicts = quote_verdicts(folder, drafted)
    result = score(
        expected_claims(folder),
        drafted,
        reader=Reader(book.units, book.places),
        quote_ok=lambda i, _c: verdicts[i],
    )
    result["extra_claims"] = [
        f"{drafted[i].get('source')}: {drafted[i].get('quantity')}" for i in result["extra"]
    ]
    result["failed"] = failed
    result["languages"] = _by_language(book, expected_claims(folder), drafted)
    return result


def _by_language(
    book: Any, expected: Sequence[Claim], drafted: Sequence[Claim]
) -> dict[str, dict[str, Any]]:
    """Figures and qualifiers per language of the sources (a claim scored with its source's)."""
    lang = {sid: (src.language or "en") for sid, src in book.sources.items()}
    reader = Reader(book.units, book.places)
    out: dict[str, dict[str, Any]] = {}
    for language in sorted(set(lang.values())):
        exp = [c for c in expected if lang.get(c.get("source")) == language]
        dra = [c for c in drafted if lang.get(c.get("source")) == language]
        r = score(exp, dra, reader=reader)
        out[language] = {
            "reports": sum(1 for v in lang.values() if v == language),
            "figures": r["figures"],
            "qualifiers": r["qualifiers"],
        }
    return out


def main() -> int:
    """Score every source of the corpus ledgers; print the table. Exit 0 whatever the score."""
    results = [score_ledger(folder) for folder in LEDGERS]
    if any(r is None for r in results):
        n = sum(len(expected_claims(folder)) for folder in LEDGERS)
        print(f"ledger.suggest does not exist: nothing to score ({n} curated claims wait).")
        return 0
    result = merge([r for r in results if r is not None])
    print("\n".join(table(result)))
    print()
    print("\n".join(language_table(result["languages"])))
    for failure in result["failed"]:
        print(f"\nsuggest FAILED on {failure}")
    if result["missing"]:
        print(f"\nmissed ({len(result['missing'])}): " + ", ".join(result["missing"]))
    if result["extra"]:
        print(f"\nextra ({len(result['extra'])}): " + "; ".join(result["extra"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
