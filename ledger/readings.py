"""A row's stated reading: its containing claims weighed against what their scopes hold.

`totals` shows, beside a row's itemised sum, the claims that state the total of a scope
holding others (a cumulative "3,677.9 t since 2015"), and reads both together (the rules are
in totals.py's docstring). This module finds which claims hold which and reads each row; the
Parquet export writes the same pairs (`links`), so a query can read a row as `totals` does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np

from .claim import Claim
from .containment import PlaceIndex
from .intervals import INF, ZERO, Interval, total
from .loader import Ledger
from .scopes import Relation, relate, scope_within, top_org

_MAX_PAIRS = 100_000  # containing claims of one row compared pairwise for overlap, at most


@dataclass(slots=True)
class Reading:
    """One row's stated figures and their combined reading with its itemised claims."""

    widest: list[Claim]  # the row's containing claims that no other of the row holds
    stated: Interval
    contained: int  # itemised claims (of any row) inside them
    inside: Interval | None  # the combined reading of the widest claims and what they hold
    note: str = ""
    covered: set[int] | None = None  # positions of the row's own itemised claims inside them
    outside: Interval | None = None  # the row's itemised claims outside them


def readings(
    book: Ledger, leaves: list[Claim], stated: list[Claim], group: np.ndarray
) -> dict[int, Reading]:
    """Per group holding a stated claim, its reading (see the module's rules).

    The stated claims each one holds decide which are a group's widest; only those are then
    looked up for the itemised claims they hold (a claim inside a narrower stated claim lies
    inside the wider one too), so each itemised claim is matched with few stated ones."""
    if not stated:
        return {}
    held_in = [set(ks) for ks in held(book, stated, stated)]
    by_group: dict[int, list[int]] = defaultdict(list)
    for j in range(len(stated)):
        by_group[int(group[len(leaves) + j])].append(j)
    widest = {g: _widest(members, held_in) for g, members in by_group.items()}
    wide = [j for js in widest.values() for j in js]
    found = held(book, leaves, [stated[j] for j in wide])
    _add_parts(leaves, [stated[j] for j in wide], found)
    leaf_in = dict(zip(wide, found, strict=True))
    return {
        g: _reading(
            g,
            [stated[j] for j in js],
            [leaf_in[j] for j in js],
            [held_in[j] for j in js],
            leaves,
            stated,
            group,
            book,
        )
        for g, js in widest.items()
    }


_FAR = 2**62  # an open end, as a day number
_NONE = np.empty(0, dtype=np.int64)


def held(book: Ledger, inners: list[Claim], outers: list[Claim]) -> list[list[int]]:
    """For each outer claim, the positions of the inner claims whose scope it holds.

    Candidates come from an index of the outer claims by place, looked up once per distinct
    first place of an inner claim; periods are compared as arrays, and only the survivors go
    through the full scope test, once per distinct inner scope. The work grows with the inner
    claims and the pairs found, never with all pairs."""
    held: list[list[int]] = [[] for _ in outers]
    if not outers:
        return held
    index: dict[str, list[int]] = defaultdict(list)
    for j, c in enumerate(outers):
        for p in dict.fromkeys(c.place_names or ()):
            index[p].append(j)
    start = np.array([_day(c.start, -_FAR) for c in outers], dtype=np.int64)
    end = np.array([_day(c.end, _FAR) for c in outers], dtype=np.int64)
    near: dict[str, np.ndarray] = {}
    tested: dict[tuple, list[int]] = {}
    for i, y in enumerate(inners):
        if not y.place_names:
            continue
        first = y.place_names[0]
        cand = near.get(first)
        if cand is None:
            lists = [index[p] for p in (first, *book.places.ancestors(first)) if p in index]
            cand = near[first] = np.unique(np.concatenate(lists)) if lists else _NONE
        if not cand.size:
            continue
        key = (y.org, y.item_key, y.place_names, y.period, y.figure.dimension, y.status)
        hit = tested.get(key)
        if hit is None:
            keep = (start[cand] <= _day(y.start, -_FAR)) & (end[cand] >= _day(y.end, _FAR))
            hit = tested[key] = [int(j) for j in cand[keep] if _holds(outers[j], y, book)]
        for j in hit:
            if outers[j] is not y:  # a claim holds itself; the test is shared by equal scopes
                held[j].append(i)
    return held


def _day(d: date | None, open_end: int) -> int:
    return d.toordinal() if d is not None else open_end


def _holds(outer: Claim, inner: Claim, book: Ledger) -> bool:
    """Whether outer's scope holds inner's: status, dimension, provider, period, places, item."""
    return (
        outer.status == inner.status
        and outer.figure.dimension == inner.figure.dimension
        and scope_within(outer, inner, book)
    )


def _add_parts(leaves: list[Claim], stated: list[Claim], leaf_in: list[list[int]]) -> None:
    """A `sum_of` claim holds its own parts, wherever they lie."""
    summed = [j for j, c in enumerate(stated) if c.sum_of]
    if not summed:
        return
    at = {c.id: i for i, c in enumerate(leaves)}
    for j in summed:
        have = set(leaf_in[j])
        leaf_in[j] += [
            at[p] for p in dict.fromkeys(stated[j].sum_of) if p in at and at[p] not in have
        ]


def _widest(members: list[int], held_in: list[set[int]]) -> list[int]:
    """The members no other member holds (of two with one scope, the first in the ledger)."""
    inner: set[int] = set()
    for j in members:
        for k in held_in[j]:
            if k not in inner and not (j in held_in[k] and k < j):
                inner.add(k)
    return [j for j in members if j not in inner]


def _reading(
    g: int, widest: list[Claim], holds: list[list[int]], subs: list[set[int]],
    leaves: list[Claim], stated: list[Claim], group: np.ndarray, book: Ledger,
) -> Reading:  # fmt: skip
    """A row's reading: each widest containing claim bounds what it holds; the row's own
    itemised claims outside them are added as they are (see `_uncovered`)."""
    parts: list[Interval] = []
    conflict = False
    for claim, held, sub in zip(widest, holds, subs, strict=True):
        part = _bounded(claim.figure.stated, [leaves[i].figure.stated for i in held],
                        [stated[k].figure.stated for k in sub])  # fmt: skip
        conflict = conflict or part is None
        parts.append(part or claim.figure.stated)
    everything = {i for held in holds for i in held}
    covered = {i for i in everything if group[i] == g}
    shown = total([c.figure.stated for c in widest])
    if conflict:
        return Reading(widest, shown, len(everything), None, "conflict", covered)
    if _overlapping(widest, book):
        said = [c.figure.stated for c in widest]
        return Reading(widest, _loose(said), len(everything), _loose(parts), "overlapping", covered)
    return Reading(widest, shown, len(everything), total(parts), "", covered)


def _loose(intervals: list[Interval]) -> Interval:
    """What scopes that may share a part total: at least the largest, at most the sum."""
    return Interval(max(i.lo for i in intervals), sum((i.hi for i in intervals), ZERO))


def _bounded(claim: Interval, held: list[Interval], subs: Iterable[Interval]) -> Interval | None:
    """What a containing claim's scope totals: in its interval, and at least both what the
    ledger itemises inside it and each stated claim inside it; None when it cannot be."""
    floor = total(held)
    low = max([(floor.lo, floor.lo_open), *((s.lo, s.lo_open) for s in subs)])
    reading = claim.intersection(Interval(low[0], INF, low[1], True))
    return None if reading.empty else reading


def _overlapping(widest: list[Claim], book: Ledger) -> bool:
    """Whether two of a row's widest containing claims may share part of their scopes: a
    sweep by start day compares only claims whose periods meet (at most `_MAX_PAIRS` pairs;
    beyond that, they are taken to overlap)."""
    if len(widest) < 2:
        return False
    lo, hi = -(2**62), 2**62
    order = sorted(widest, key=lambda c: c.start.toordinal() if c.start else lo)
    active: list[tuple[int, Claim]] = []
    pairs = 0
    for c in order:
        start = c.start.toordinal() if c.start else lo
        active = [(e, a) for e, a in active if e >= start]
        for _, a in active:
            pairs += 1
            if pairs > _MAX_PAIRS or relate(a, c, book)[0] != Relation.DISJOINT:
                return True
        active.append((c.end.toordinal() if c.end else hi, c))
    return False


@dataclass(frozen=True, slots=True)
class Links:
    """What the stated claims' scopes hold and share, by claim id, for a reading outside Python.

    `contains`: (outer, inner, through) for each stated claim and each itemised or stated
    claim its scope holds (`scope`), and each itemised part its `sum_of` names that its scope
    does not hold (`sum_of`). `overlaps`: (first, second), in ledger order, for two stated
    claims of one canonical unit whose scopes may share a part while neither holds the other.
    A row's widest claims are those no other of the row holds, and its reading is
    `overlapping` when two of them are an `overlaps` pair."""

    contains: list[tuple[str, str, str]]
    overlaps: list[tuple[str, str]]


def links(book: Ledger, leaves: list[Claim], stated: list[Claim]) -> Links:
    """The `Links` of a ledger whose totals add `leaves` and show `stated` (totals.roles)."""
    held_in = held(book, stated, stated)
    found = held(book, leaves, stated)
    scoped = [set(f) for f in found]
    _add_parts(leaves, stated, found)
    contains: list[tuple[str, str, str]] = []
    for j, outer in enumerate(stated):
        contains += [(outer.id, leaves[i].id, "scope" if i in scoped[j] else "sum_of")
                     for i in found[j]]  # fmt: skip
        contains += [(outer.id, stated[k].id, "scope") for k in held_in[j]]
    pairs = _overlapping_pairs(book, stated, [set(ks) for ks in held_in])
    return Links(contains, [(stated[j].id, stated[k].id) for j, k in pairs])


def _overlapping_pairs(
    book: Ledger, stated: list[Claim], held_in: list[set[int]]
) -> Iterator[tuple[int, int]]:
    """(j, k), j < k: stated claims of one canonical unit and one top provider whose scopes
    are not disjoint (`relate`) and neither of which holds the other. Candidates share a
    place or hold one another's places (an index by place and by each place's ancestors), so
    claims far apart are never compared."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for j, c in enumerate(stated):
        if c.place_names:  # without gazetteer places, scopes are never related
            groups[(top_org(c, book), c.figure.unit)].append(j)
    for members in groups.values():
        if len(members) < 2:
            continue
        index = PlaceIndex(((j, stated[j].place_names) for j in members), book.places.ancestors)
        for j in members:
            near = np.unique(np.concatenate([index.near(q) for q in stated[j].place_names]))
            for k in near.tolist():
                if (
                    k > j
                    and not (k in held_in[j] or j in held_in[k])
                    and _related(stated[j], stated[k], book)
                ):
                    yield j, k


def _related(a: Claim, b: Claim, book: Ledger) -> bool:
    return relate(a, b, book)[0] != Relation.DISJOINT
