"""Do the ledger's figures add up? Verdicts for summed and counted claims, containment
conflicts across claims and sources, and suspected double counts.

Everything here works on the claims' canonical figures (see claim.py), computed once per
claim. The results are plain dataclasses holding codes and the facts that decide them; their
sentences are written by wording.py (which reads these results; nothing here writes English).
A new verdict rule goes here; how it reads goes there.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .claim import Claim, Figure
from .containment import containing_pairs
from .intervals import Interval, total
from .loader import Ledger
from .outcome import fails
from .vocab import CheckKind, Status, Verdict


@dataclass(slots=True)
class Finding:
    """How a part strays outside its summed claim's scope: a code and the facts behind it."""

    code: str
    part: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    severity: str = "warning"


@dataclass(slots=True)
class Part:
    claim: str
    figure: Figure | None
    found: Claim | None  # the part itself, None when it is not in the ledger


@dataclass(slots=True)
class SumCheck:
    """The verdict on one claim with `sum_of` (kind "sum") or `count_of` (kind "count")."""

    claim: str
    kind: CheckKind
    verdict: Verdict
    point_holds: bool | None
    figure: Figure | None
    parts: list[Part]
    sum: Interval | None = None
    sum_rounded: Interval | None = None
    point_sum: Decimal | None = None
    unusable: tuple[str, dict[str, Any]] | None = None  # why it cannot be compared: code, fields
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class Conflict:
    """Claim `outer`'s scope contains claim `inner`'s, but its figure cannot hold it."""

    code: str  # containment-conflict | zero-contradicted
    x: Claim = field(repr=False)
    y: Claim = field(repr=False)

    @property
    def outer(self) -> str:
        return self.x.id

    @property
    def inner(self) -> str:
        return self.y.id


@dataclass(slots=True)
class Duplicate:
    """Two claims from different sources that look like one delivery."""

    x: Claim = field(repr=False)
    y: Claim = field(repr=False)

    @property
    def a(self) -> str:
        return self.x.id

    @property
    def b(self) -> str:
        return self.y.id


@dataclass
class Analysis:
    ledger: Ledger
    checks: list[SumCheck]
    conflicts: list[Conflict]
    duplicates: list[Duplicate]
    aggregates: set[str]  # claims that add up others: left out of totals
    counted_once: set[str]  # claims linked by `same_as` to another: left out of totals
    by_id: dict[str, Claim] = field(default_factory=dict)  # claim id -> the claim

    def failing(self, fail_on: Iterable[str] = ()) -> bool:
        """Whether anything is contradicted, or has a verdict named in `fail_on` (the claims'
        verdicts only: ledger errors are `self.ledger.ok`)."""
        verdicts = Counter(c.verdict for c in self.checks)
        return fails(0, len(self.conflicts), verdicts, fail_on)


def analyse(book: Ledger) -> Analysis:
    rows = book.by_id
    checks = [_check(r, rows, book) for r in rows.values()
              if r.sum_of is not None or r.count_of is not None]  # fmt: skip
    conflicts, contains = _containment(rows, book)
    duplicates, linked = _duplicates(rows)
    aggregates = {c.claim for c in checks} | contains
    return Analysis(book, checks, conflicts, duplicates, aggregates, linked, rows)


def _check(row: Claim, rows: dict[str, Claim], book: Ledger) -> SumCheck:
    kind = CheckKind.SUM if row.sum_of is not None else CheckKind.COUNT
    ids = row.sum_of if kind == CheckKind.SUM else row.count_of
    parts = [Part(p, (c := rows.get(p)) and c.figure, c) for p in ids]
    fig = row.figure
    check = SumCheck(row.id, kind, Verdict.INCOMPARABLE, None, fig, parts)
    check.findings = [
        f for p in parts if p.found is not None for f in _scope(row, p.found, book, kind)
    ]
    check.unusable = _unusable(row, fig, parts, kind)
    if check.unusable:
        return check
    if kind == CheckKind.COUNT:
        return _count_verdict(check, fig)
    return _sum_verdict(check, fig)


def _unusable(
    row: Claim, fig: Figure | None, parts: list[Part], kind: CheckKind
) -> tuple[str, dict[str, Any]] | None:
    """Why the claim cannot be compared with its parts (a code and its facts), or None."""
    missing = [p.claim for p in parts if p.found is None]
    if missing:
        return "parts-missing", {"parts": missing}
    if fig is None:
        return "no-figure", {"claim": row.id}
    if kind == CheckKind.COUNT:
        if fig.dimension in ("mass", "volume") or (fig.dimension or "").startswith("currency"):
            return "count-not-a-count", {"dimension": fig.dimension}
        return None
    broken = [p.claim for p in parts if p.figure is None]
    if broken:
        return "parts-unusable", {"parts": broken}
    other = [p for p in parts if p.figure.dimension not in (fig.dimension, None)]
    if fig.dimension is None and parts:
        return "none-figure", {}
    if other:
        listed = [(p.claim, p.figure.unit) for p in other]
        return "dimensions-differ", {"unit": fig.unit, "parts": listed}
    return None


def _sum_verdict(check: SumCheck, fig: Figure) -> SumCheck:
    figs = [p.figure for p in check.parts]
    check.sum = total([f.stated for f in figs])
    check.sum_rounded = total([f.rounded for f in figs])
    check.point_sum = sum((f.point for f in figs), Decimal(0))
    check.point_holds = fig.stated.has(check.point_sum)
    check.verdict = verdict(fig.stated, check.sum, fig.rounded, check.sum_rounded)
    return check


def verdict(claim: Interval, parts: Interval, claim_r: Interval, parts_r: Interval) -> Verdict:
    """supported > compatible > rounding > contradicted, as defined in the README."""
    if claim.contains(parts):
        return Verdict.SUPPORTED
    if claim.overlaps(parts):
        return Verdict.COMPATIBLE
    if claim_r.overlaps(parts_r):
        return Verdict.ROUNDING
    return Verdict.CONTRADICTED


def _count_verdict(check: SumCheck, fig: Figure) -> SumCheck:
    n = Decimal(len(check.parts))
    check.sum = check.sum_rounded = Interval.point(n)
    check.point_sum = n
    check.point_holds = fig.stated.has(n)
    check.verdict = verdict(fig.stated, check.sum, fig.rounded, check.sum)
    return check


def _scope(claim: Claim, part: Claim, book: Ledger, kind: CheckKind) -> Iterator[Finding]:
    """How a part strays outside the summed claim's own scope (each with its own code).

    A count (`two events`) counts its parts whatever they carried, so items are not compared.
    """
    pid = part.id
    outside = _places_outside(claim, part, book)
    if outside:
        chains = [(n, book.places.ancestors(n)) for n in outside]
        claim_places = list(claim.place_names or claim.places or ())
        yield Finding("scope-place", pid, {"outside": chains, "claim_places": claim_places})
    if not claim.when.contains(part.when):
        periods = {"period": part.period_text, "claim_period": claim.period_text}
        yield Finding("scope-period", pid, periods)
    if not _provider_within(claim, part, book):
        providers = {"provider": part.provider, "claim_provider": claim.provider}
        yield Finding("scope-provider", pid, providers)
    if claim.status == Status.DELIVERED and part.status != Status.DELIVERED:
        yield Finding("scope-status", pid, {"status": part.status})
    if kind == CheckKind.SUM and not _item_within(claim, part, book):
        yield Finding("scope-item", pid, {"item": part.item, "claim_item": claim.item})


def _provider_within(outer: Claim, inner: Claim, book: Ledger) -> bool:
    """Whether inner's provider is outer's or one of its units (UNICEF within the UN)."""
    if book.orgs is not None and outer.provider_org and inner.provider_org:
        return book.orgs.contains(outer.provider_org, inner.provider_org)
    return outer.provider == inner.provider


def _top_org(row: Claim, book: Ledger) -> str | None:
    if book.orgs is not None and row.provider_org:
        chain = book.orgs.ancestors(row.provider_org)
        return chain[-1] if chain else row.provider_org
    return row.org


def _places_outside(outer: Claim, inner: Claim, book: Ledger) -> list[str]:
    if not outer.place_names or not inner.place_names:
        return []
    return [n for n in inner.place_names
            if not any(book.places.contains(o, n) for o in outer.place_names)]  # fmt: skip


def _item_within(outer: Claim, inner: Claim, book: Ledger) -> bool:
    if outer.item_name and inner.item_name:
        return book.items.contains(outer.item_name, inner.item_name)
    return outer.item == inner.item


def _reaches(start: Claim, goal: str, rows: dict[str, Claim]) -> bool:
    """Whether `goal` is among the parts of `start`, or their parts, and so on.

    Searched when asked, not stored: a `sum_of` chain 10,000 claims long would otherwise keep
    every claim's descendants (50 million ids), and most claims have no parts at all.
    """
    todo = list(start.parts)
    seen = set(todo)
    while todo:
        ref = todo.pop()
        if ref == goal:
            return True
        row = rows.get(ref)
        for nxt in row.parts if row is not None else ():
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _containment(rows: dict[str, Claim], book: Ledger) -> tuple[list[Conflict], set[str]]:
    """For delivered claims X and Y where X's scope holds Y's, X must be able to hold Y's figure.

    Claims are grouped by their provider's top organisation first (Russia for its ministry),
    and within a group candidates come from an index by place (see containment.py). Returns
    the conflicts and the ids of claims that contain at least one other.
    """
    groups: dict[str | None, list[Claim]] = defaultdict(list)
    for row in rows.values():
        if row.status == Status.DELIVERED and row.figure is not None and row.place_names:
            groups[_top_org(row, book)].append(row)
    conflicts: list[Conflict] = []
    containers: set[str] = set()

    def apart(x: Claim, y: Claim) -> bool:
        """Pairs the containment rule leaves alone: one sums the other, or they are linked."""
        return _reaches(x, y.id, rows) or _reaches(y, x.id, rows) or _linked(x, y)

    for members in groups.values():
        # Claims with one and the same scope are compared as one: a ledger may hold thousands
        # of deliveries to one camp on one day.
        scopes: dict[tuple, list[Claim]] = defaultdict(list)
        for row in members:
            scopes[_scope_key(row)].append(row)
        reps = [group[0] for group in scopes.values()]
        of = {id(group[0]): group for group in scopes.values()}
        pairs = containing_pairs(
            reps,
            lambda r: r.figure.dimension,
            book.places.ancestors,
            lambda x, y: _scope_within(x, y, book),
            lambda y, of=of: any(m.figure.positive for m in of[id(y)]),
        )
        for rx, ry in pairs:
            wider = not _scope_within(ry, rx, book)
            _hold(of[id(rx)], of[id(ry)], wider, apart, conflicts, containers)
        for group in scopes.values():  # the same scope: only a zero claim must hold the rest
            zeros = [x for x in group if x.figure.is_zero]
            if zeros:
                _hold(zeros, group, False, apart, conflicts, containers)
    return conflicts, containers


def _scope_key(row: Claim) -> tuple:
    """Who, what, where, when and which dimension: claims with equal keys share one scope."""
    return (
        row.org,
        row.item_key,
        _place_set(row.place_names or ()),
        row.start,
        row.end,
        row.figure.dimension if row.figure else None,
    )


@lru_cache(maxsize=65536)
def _place_set(names: tuple[str, ...]) -> tuple[str, ...]:
    """The places as a set, in a stable order (one tuple per distinct list of places: the
    resolve stage stores each list once, so this is worked out once per list)."""
    return tuple(sorted(set(names)))


def _hold(
    outers: list[Claim],
    inners: list[Claim],
    wider: bool,
    apart: Callable[[Claim, Claim], bool],
    conflicts: list[Conflict],
    containers: set[str],
) -> None:
    """Every outer claim must be able to hold every inner one (only a zero claim when the
    scopes are the same: two convoys on one day are not one inside the other)."""
    # hardest to hold first: the highest low end, an open one before a closed one
    inners = sorted(
        inners,
        key=lambda y: (y.figure.rounded.lo, y.figure.rounded.lo_open),
        reverse=True,
    )
    for x in outers:
        fx = x.figure
        if wider and fx.point > 0 and any(y.figure.point > 0 and not apart(x, y) for y in inners):
            containers.add(x.id)  # its figure already holds those of the claims inside it
        if not wider and not fx.is_zero:
            continue
        for y in inners:
            fy = y.figure
            if fx.rounded.can_hold(fy.rounded):
                break  # the rest are smaller still
            if y is not x and not apart(x, y):
                code = "zero-contradicted" if fx.is_zero else "containment-conflict"
                conflicts.append(Conflict(code, x, y))


def _scope_within(outer: Claim, inner: Claim, book: Ledger) -> bool:
    """Whether inner's period, places and item all lie inside outer's."""
    return (
        _provider_within(outer, inner, book)
        and outer.when.contains(inner.when)
        and not _places_outside(outer, inner, book)
        and _item_within(outer, inner, book)
    )


def _linked(x: Claim, y: Claim) -> bool:
    return (
        x.same_as == y.id or y.same_as == x.id or (x.same_as is not None and x.same_as == y.same_as)
    )


def _duplicates(rows: dict[str, Claim]) -> tuple[list[Duplicate], set[str]]:
    """Claims from different sources with the same provider, item, places, period and figure."""
    # a scope holds one claim, or a list once a second arrives: most scopes hold one, and a
    # million one-item lists would cost more than the claims' own figures
    groups: dict[tuple, Claim | list[Claim]] = {}
    for row in rows.values():
        if row.figure is None or row.status == Status.CONTEXT or not row.place_names:
            continue
        key = (*_scope_key(row), row.status)
        seen = groups.setdefault(key, row)
        if seen is not row:
            if isinstance(seen, list):
                seen.append(row)
            else:
                groups[key] = [seen, row]
    out = []
    for members in groups.values():
        if not isinstance(members, list):
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.source == b.source or _linked(a, b):
                    continue
                if a.figure.stated.overlaps(b.figure.stated):
                    out.append(Duplicate(a, b))
    return out, _counted_elsewhere(rows)


def _counted_elsewhere(rows: dict[str, Claim]) -> set[str]:
    """Claims that `same_as` links to another: each linked group is counted once, through the
    claim the links lead to (the first id, for links that go round in a circle)."""
    links = {cid: r.same_as for cid, r in rows.items() if r.same_as in rows and r.same_as != cid}
    parent: dict[str, str] = {}  # only the linked claims: most claims link to nothing
    for cid, target in links.items():
        parent.setdefault(cid, cid)
        parent.setdefault(target, target)

    def find(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for cid, target in links.items():
        parent[find(cid)] = find(target)
    groups: dict[str, list[str]] = defaultdict(list)
    for cid in rows:  # in ledger order, so the claim kept is the same whatever the links' order
        if cid in parent:
            groups[find(cid)].append(cid)
    out: set[str] = set()
    for members in groups.values():
        if len(members) > 1:
            targets = [m for m in members if rows[m].same_as not in rows or rows[m].same_as == m]
            keep = targets[0] if targets else min(members)
            out |= set(members) - {keep}
    return out
