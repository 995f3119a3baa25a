"""Do the ledger's figures add up? Verdicts for summed and counted claims, containment
conflicts across claims and sources, and suspected double counts.

Everything here works on the claims' canonical figures (see claim.py), computed once per
claim. The results are plain dataclasses holding codes and the facts that decide them; their
sentences are written by wording.py (which reads these results; nothing here writes English).
A new verdict rule goes here; how it reads goes there.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from .claim import Claim, Figure, SumAs
from .containment import containing_pairs
from .intervals import INF, Interval, total
from .loader import Ledger
from .outcome import fails
from .overlaps import Overlap, find_overlaps
from .scopes import item_within, places_outside, provider_within, scope_key, scope_within, top_org
from .vocab import CheckKind, Family, Status, Verdict


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
    weight: SumAs | None = None  # its `sum_as`, when that stands in for its figure (unweighed)


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
    point_range: Interval | None = None  # the parts at face value: a point, or a bound
    actions: list[tuple[str, ...]] | None = None  # a count's actions: the ids of each


@dataclass(slots=True)
class Conflict:
    """Claims of one scope (`outers`) whose figures cannot hold those of claims in a scope
    their own holds (`inners`): one finding per scope, however many claims it has.

    `code` is `zero-contradicted` for outers that say nothing was given (the inners may share
    their scope), `containment-conflict` for outers stating too small a figure (the inners lie
    in narrower scopes). An outer claim conflicts with each inner one whose figure (read as
    rounded) it cannot hold, unless it is that claim or the two are set apart: one adds up the
    other (`sum_of`, `count_of`), or `same_as` links them (`Analysis.pairs` lists the pairs).
    Every claim listed conflicts with at least one on the other side. Outers come smallest
    figure first, inners largest first (ledger order between equals), so `x` and `y`, the first
    outer and the first inner it cannot hold, are the clearest case.
    """

    code: str  # containment-conflict | zero-contradicted
    outers: tuple[Claim, ...] = field(repr=False)
    inners: tuple[Claim, ...] = field(repr=False)
    x: Claim = field(repr=False)
    y: Claim = field(repr=False)

    @property
    def outer(self) -> str:
        """The id of the clearest case's outer claim (`x`)."""
        return self.x.id

    @property
    def inner(self) -> str:
        """The id of the clearest case's inner claim (`y`)."""
        return self.y.id


@dataclass(slots=True)
class DuplicateGroup:
    """Claims that may report one delivery twice or more: the same provider, item, places,
    period, dimension and status, stated figures that overlap (each with one before it, from
    the lowest up), from more than one source, and not already one delivery by `same_as`.

    `members` are in ledger order; `y` is the first of them with one before it from another
    source that `same_as` does not link to it yet, and `x` the first such one (for two
    members, the two).
    """

    members: tuple[Claim, ...] = field(repr=False)
    x: Claim = field(repr=False)
    y: Claim = field(repr=False)

    @property
    def a(self) -> str:
        """The id of the first claim of the clearest pair (`x`)."""
        return self.x.id

    @property
    def b(self) -> str:
        """The id of the second claim of the clearest pair (`y`)."""
        return self.y.id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members)

    @property
    def sources(self) -> tuple[str | None, ...]:
        """The members' sources, each once, in the order they first appear."""
        return tuple(dict.fromkeys(m.source for m in self.members))


@dataclass
class Analysis:
    ledger: Ledger
    checks: list[SumCheck]
    conflicts: list[Conflict]  # one per scope whose claims cannot hold those inside it
    duplicates: list[DuplicateGroup]  # one per group of claims that may be one delivery
    aggregates: set[str]  # claims that add up others: left out of totals
    counted_once: set[str]  # claims linked by `same_as` to another: left out of totals
    by_id: dict[str, Claim] = field(default_factory=dict)  # claim id -> the claim
    overlaps: list[Overlap] = field(default_factory=list)  # possible conflicts (overlaps.py)

    def failing(self, fail_on: Iterable[str] = ()) -> bool:
        """Whether anything is contradicted, or has a verdict named in `fail_on` (the claims'
        verdicts only: ledger errors are `self.ledger.ok`)."""
        verdicts = Counter(c.verdict for c in self.checks)
        return fails(0, len(self.conflicts), verdicts, fail_on)

    def conflicting(self, x: Claim, y: Claim) -> bool:
        """Whether outer claim x and inner claim y of a conflict are one of its pairs: x's
        figure cannot hold y's, and they are neither one claim nor set apart."""
        held = y is x or x.figure.rounded.can_hold(y.figure.rounded)
        return not held and not _apart(x, y, self.by_id)

    def pairs(self, k: Conflict) -> Iterator[tuple[Claim, Claim]]:
        """Each (outer, inner) pair of claims the conflict stands for, outer by outer: as many
        as outers times inners, so for a reader who asks, never stored."""
        return ((x, y) for x in k.outers for y in k.inners if self.conflicting(x, y))


def analyse(book: Ledger) -> Analysis:
    rows = book.by_id
    checks = [_check(r, rows, book) for r in rows.values()
              if r.sum_of is not None or r.count_of is not None]  # fmt: skip
    conflicts, contains = _containment(rows, book)
    families = _families(rows)
    duplicates = _duplicates(rows, families)
    linked = _counted_elsewhere(rows, families)
    aggregates = {c.claim for c in checks} | contains
    overlaps = find_overlaps(rows, book, contains, lambda x, y: _apart(x, y, rows))
    return Analysis(book, checks, conflicts, duplicates, aggregates, linked, rows, overlaps)


def _check(row: Claim, rows: dict[str, Claim], book: Ledger) -> SumCheck:
    kind = CheckKind.SUM if row.sum_of is not None else CheckKind.COUNT
    ids = row.sum_of if kind == CheckKind.SUM else row.count_of
    parts = [Part(p, (c := rows.get(p)) and c.figure, c) for p in ids]
    fig = row.figure
    check = SumCheck(row.id, kind, Verdict.INCOMPARABLE, None, fig, parts)
    if kind == CheckKind.SUM:
        _weigh(parts, fig)
    else:
        check.actions = list(row.actions)
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
    other = [
        p for p in parts if p.weight is None and p.figure.dimension not in (fig.dimension, None)
    ]
    if fig.dimension is None and parts:
        return "none-figure", {}
    if other:
        listed = [(p.claim, p.figure.unit) for p in other]
        return "dimensions-differ", {"unit": fig.unit, "parts": listed}
    return None


def _weigh(parts: list[Part], fig: Figure | None) -> None:
    """Let a part's `sum_as` stand in for its figure where that figure is in another dimension
    than the claim's (500 food kits inside a tonnage total): the part is then unweighed."""
    if fig is None:
        return
    for p in parts:
        part = p.found
        if part is None or part.sum_as is None or p.figure is None:
            continue
        if p.figure.dimension not in (fig.dimension, None) and part.sum_as.fits(fig.dimension):
            p.weight = part.sum_as


# Families whose words bound the figure rather than state it: at face value such a figure is
# the interval it states ("more than 2.8 t" is any mass above 2.8 t), any other is its point
# (`between`: the midpoint). The README's Verdicts section has the table.
BOUNDS = frozenset(
    {Family.MORE_THAN, Family.AT_LEAST, Family.UP_TO, Family.LESS_THAN, Family.NEARLY}
)
UNKNOWN = Interval(Decimal(0), INF, False, True)  # what `sum_as: unknown` adds: 0 or more


def face(fig: Figure, family: Family) -> Interval:
    """A figure at face value: its point, or for a bound the interval its words state."""
    return fig.stated if family in BOUNDS else Interval.point(fig.point)


def _added(p: Part) -> tuple[Interval, Interval, Interval, Decimal]:
    """What one part adds to the sum: (stated, as rounded, at face value, point), from its own
    figure or, for an unweighed part, from its `sum_as` (`unknown`: 0 or more)."""
    source = p.found if p.weight is None else p.weight
    fig, q = source.figure, source.quantity
    if fig is None or q is None:  # `sum_as: unknown` (a part without a figure is unusable)
        return UNKNOWN, UNKNOWN, UNKNOWN, Decimal(0)
    return fig.stated, fig.rounded, face(fig, q.family), fig.point


def point_holds(claim: Interval, parts: Interval) -> bool | None:
    """The point check: whether the parts at face value satisfy the claim. A point does or
    does not; a bound (a part "more than x") may hold for every value (`more than 2.8 t` for
    `more than 2.8 t`: True), for none (False), or leave it open (None): never an alarm about
    a claim that restates its parts' bounds."""
    if claim.contains(parts):
        return True
    return None if claim.overlaps(parts) else False


def _sum_verdict(check: SumCheck, fig: Figure) -> SumCheck:
    added = [_added(p) for p in check.parts]
    check.sum = total([a[0] for a in added])
    check.sum_rounded = total([a[1] for a in added])
    check.point_range = total([a[2] for a in added])
    check.point_sum = sum((a[3] for a in added), Decimal(0))
    check.point_holds = point_holds(fig.stated, check.point_range)
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
    """A count counts actions: `count_of: [a, [b, c]]` is two, however many claims each has."""
    n = Decimal(len(check.actions if check.actions is not None else check.parts))
    check.sum = check.sum_rounded = check.point_range = Interval.point(n)
    check.point_sum = n
    check.point_holds = fig.stated.has(n)
    check.verdict = verdict(fig.stated, check.sum, fig.rounded, check.sum)
    return check


def _scope(claim: Claim, part: Claim, book: Ledger, kind: CheckKind) -> Iterator[Finding]:
    """How a part strays outside the summed claim's own scope (each with its own code).

    A count (`two events`) counts its parts whatever they carried, so items are not compared.
    """
    pid = part.id
    outside = places_outside(claim, part, book)
    if outside:
        chains = [(n, book.places.ancestors(n)) for n in outside]
        claim_places = list(claim.place_names or claim.places or ())
        yield Finding("scope-place", pid, {"outside": chains, "claim_places": claim_places})
    if not claim.when.contains(part.when):
        periods = {"period": part.period_text, "claim_period": claim.period_text}
        yield Finding("scope-period", pid, periods)
    if not provider_within(claim, part, book):
        providers = {"provider": part.provider, "claim_provider": claim.provider}
        yield Finding("scope-provider", pid, providers)
    if claim.status == Status.DELIVERED and part.status != Status.DELIVERED:
        yield Finding("scope-status", pid, {"status": part.status})
    if kind == CheckKind.SUM and not item_within(claim, part, book):
        yield Finding("scope-item", pid, {"item": part.item, "claim_item": claim.item})


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


def _apart(x: Claim, y: Claim, rows: dict[str, Claim]) -> bool:
    """Pairs the containment rule leaves alone: one sums the other, or they are linked."""
    return _reaches(x, y.id, rows) or _reaches(y, x.id, rows) or _linked(x, y)


def _containment(rows: dict[str, Claim], book: Ledger) -> tuple[list[Conflict], set[str]]:
    """For delivered claims X and Y where X's scope holds Y's, X must be able to hold Y's figure.

    Claims are grouped by their provider's top organisation first (Russia for its ministry),
    and within a group candidates come from an index by place (see containment.py). Claims
    with one and the same scope are compared as one (a ledger may hold thousands of deliveries
    to one camp on one day), and each scope's claims are checked at once against every claim
    in the scopes it holds: one finding per scope and kind, never one per pair of claims.
    Returns the conflicts and the ids of claims that contain at least one other.
    """
    groups: dict[str | None, list[Claim]] = defaultdict(list)
    for row in rows.values():
        if row.status == Status.DELIVERED and row.figure is not None and row.place_names:
            groups[top_org(row, book)].append(row)
    conflicts: list[Conflict] = []
    containers: set[str] = set()

    def apart(x: Claim, y: Claim) -> bool:
        return _apart(x, y, rows)

    for members in groups.values():
        scopes: dict[tuple, list[Claim]] = defaultdict(list)
        for row in members:
            scopes[scope_key(row)].append(row)
        reps = [group[0] for group in scopes.values()]
        of = {id(group[0]): group for group in scopes.values()}
        # the claims of the scopes each scope holds: narrower ones, and ones as wide as it
        # (written differently: an alias, the same places in another order)
        inside: dict[int, tuple[list[Claim], list[Claim]]] = {}
        pairs = containing_pairs(
            reps,
            lambda r: r.figure.dimension,
            book.places.ancestors,
            lambda x, y: scope_within(x, y, book),
            lambda y, of=of: any(m.figure.positive for m in of[id(y)]),
        )
        for rx, ry in pairs:
            narrower, alike = inside.setdefault(id(rx), ([], []))
            (alike if scope_within(ry, rx, book) else narrower).extend(of[id(ry)])
        for group in scopes.values():
            narrower, alike = inside.get(id(group[0]), ([], []))
            _hold(group, narrower, alike, apart, conflicts, containers)
    return conflicts, containers


def _hold(
    group: list[Claim],
    narrower: list[Claim],
    alike: list[Claim],
    apart: Callable[[Claim, Claim], bool],
    conflicts: list[Conflict],
    containers: set[str],
) -> None:
    """The claims of one scope (`group`) against those of the scopes it holds: every claim
    must be able to hold the claims of narrower scopes; a zero claim must also hold those of
    its own scope and of scopes as wide (two convoys on one day are not one inside the other,
    but none and a convoy cannot both be true)."""
    held = [y for y in narrower if y.figure.point > 0]
    for x in group:
        if held and x.figure.point > 0 and any(not apart(x, y) for y in held):
            containers.add(x.id)  # its figure already holds those of the claims inside it
    zeros = [x for x in group if x.figure.is_zero]
    if zeros:
        _conflict("zero-contradicted", zeros, [*group, *alike, *narrower], apart, conflicts)
    if narrower:
        others = [x for x in group if not x.figure.is_zero]
        _conflict("containment-conflict", others, narrower, apart, conflicts)


def _hardness(y: Claim) -> tuple[Decimal, bool]:
    """How hard a figure is to hold: its low end as rounded, an open one above a closed one."""
    return y.figure.rounded.lo, y.figure.rounded.lo_open


def _conflict(
    code: str,
    outers: list[Claim],
    inners: list[Claim],
    apart: Callable[[Claim, Claim], bool],
    conflicts: list[Conflict],
) -> None:
    """One conflict for the outers that cannot hold some of the inners, if any cannot.

    An outer claim cannot hold exactly the inners harder than its high end, so with the inners
    hardest first those are a leading run of them, found by bisection; pairs are only looked
    at to skip a claim itself and claims set apart from it. Linear after sorting, but for
    pairs set apart (rare: they need `sum_of`, `count_of` or `same_as`).
    """
    if not outers or not inners:
        return
    inners = sorted(inners, key=_hardness, reverse=True)  # stable: ledger order among equals
    ascending = [_hardness(y) for y in reversed(inners)]

    def reach(x: Claim) -> int:
        """How many of the inners (from the hardest) x's figure cannot hold."""
        r = x.figure.rounded
        return len(inners) - bisect_left(ascending, (r.hi, not r.hi_open))

    ranked = sorted(((reach(x), x) for x in outers), key=lambda p: -p[0])
    listed: list[tuple[int, Claim]] = []
    first: Claim | None = None
    for n, x in ranked:
        if n == 0:
            break  # the rest hold every inner claim
        y = next((y for y in islice(inners, n) if y is not x and not apart(x, y)), None)
        if y is not None:
            listed.append((n, x))
            first = first or y
    if not listed:
        return
    contradicted = []
    for j, y in enumerate(islice(inners, listed[0][0])):
        for n, x in listed:
            if n <= j:
                break  # this outer and the ones after it can hold y
            if y is not x and not apart(x, y):
                contradicted.append(y)
                break
    outs = tuple(x for _, x in listed)
    conflicts.append(Conflict(code, outs, tuple(contradicted), outs[0], first))


def _linked(x: Claim, y: Claim) -> bool:
    return (
        x.same_as == y.id or y.same_as == x.id or (x.same_as is not None and x.same_as == y.same_as)
    )


def _duplicates(rows: dict[str, Claim], families: dict[str, str]) -> list[DuplicateGroup]:
    """Groups of claims that may be one delivery (see `DuplicateGroup`): one scope and status,
    figures that overlap one after another; linear after sorting each scope by figure."""
    # a scope holds one claim, or a list once a second arrives: most scopes hold one, and a
    # million one-item lists would cost more than the claims' own figures
    groups: dict[tuple, Claim | list[Claim]] = {}
    for row in rows.values():
        if row.figure is None or row.status == Status.CONTEXT or not row.place_names:
            continue
        key = (*scope_key(row), row.status)
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
        for run in _overlapping(members):
            pair = _unlinked_pair(run, families)
            if pair is not None:
                out.append(DuplicateGroup(tuple(run), *pair))
    return out


def _overlapping(members: list[Claim]) -> Iterator[list[Claim]]:
    """The runs of claims whose stated figures overlap, each with one before it (from the
    lowest up), each run in the members' order: a sweep over the figures sorted by low end."""
    order = sorted(
        range(len(members)),
        key=lambda i: (members[i].figure.stated.lo, members[i].figure.stated.lo_open),
    )
    run: list[int] = []
    widest: Interval | None = None  # the run's figure reaching highest
    for i in order:
        fig = members[i].figure.stated
        if widest is not None and not widest.overlaps(fig):
            if len(run) > 1:
                yield [members[j] for j in sorted(run)]
            run, widest = [], None
        run.append(i)
        if widest is None or (fig.hi, not fig.hi_open) > (widest.hi, not widest.hi_open):
            widest = fig
    if len(run) > 1:
        yield [members[j] for j in sorted(run)]


def _unlinked_pair(run: list[Claim], families: dict[str, str]) -> tuple[Claim, Claim] | None:
    """The first claim of the run with one before it from another source that `same_as` does
    not already make the same delivery, after the first such one; None when there is none.

    One pass: until a pair is found, a claim from another source than the first claim's is of
    its linked group, and a claim of another group is from its source, so the first of each
    is all a later claim needs to be compared with.
    """
    first = run[0]
    source, linked = first.source, families.get(first.id, first.id)
    elsewhere: Claim | None = None  # the first from another source (so of first's group)
    unlinked: Claim | None = None  # the first of another group (so from first's source)
    for b in run[1:]:
        other_source, other_group = b.source != source, families.get(b.id, b.id) != linked
        if other_source and other_group:
            return first, b
        if other_group and elsewhere is not None:
            return elsewhere, b
        if other_source and unlinked is not None:
            return unlinked, b
        if other_source and elsewhere is None:
            elsewhere = b
        if other_group and unlinked is None:
            unlinked = b
    return None


def _families(rows: dict[str, Claim]) -> dict[str, str]:
    """The claims that `same_as` links, each with one claim standing for its linked group
    (links followed both ways and on: a same_as b same_as c is one delivery)."""
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
    return {cid: find(cid) for cid in parent}


def _counted_elsewhere(rows: dict[str, Claim], families: dict[str, str]) -> set[str]:
    """Claims that `same_as` links to another: each linked group is counted once, through the
    claim the links lead to (the first id, for links that go round in a circle)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for cid in rows:  # in ledger order, so the claim kept is the same whatever the links' order
        if cid in families:
            groups[families[cid]].append(cid)
    out: set[str] = set()
    for members in groups.values():
        if len(members) > 1:
            targets = [m for m in members if rows[m].same_as not in rows or rows[m].same_as == m]
            keep = targets[0] if targets else min(members)
            out |= set(members) - {keep}
    return out
