"""Possible conflicts: scopes that share part of each other without one holding the other.

A contradiction needs one scope wholly inside another (analysis.py). But an analyst also
puts side by side a zero claim ("X has yet to deliver any aid to eastern Aleppo this week")
and a delivery by a unit of X to two of its neighbourhoods over days that start inside that
week and end after it: if any of that delivery fell in the shared places and days, the zero
claim is wrong. These findings say what is shared and what would decide it:

- `possible-zero-contradicted`: a zero claim and a delivery whose scopes overlap;
- `possible-containment-conflict`: a containing claim (one whose scope holds another's)
  and a claim whose scope overlaps its own with a figure it could not hold;
- `same-source-overlap`: a containing claim and another figure of the same source about a
  scope inside or overlapping its own (a consignment and a cumulative figure that may include
  it), not linked by `sum_of`, `count_of` or `same_as`.

Claims of one scope are looked at once, and candidates come from an index of scopes by place
and by each place's ancestors, then a numpy filter on days and dimensions: each outer scope
meets only the scopes that share a place with it, never every scope of the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .claim import Claim
from .containment import PlaceIndex
from .loader import Ledger
from .scopes import Relation, Shared, places_outside, relate, scope_key, top_org
from .vocab import FindingCode, Status

_MIN, _MAX = -(2**62), 2**62
CODES = (
    FindingCode.POSSIBLE_ZERO_CONTRADICTED,
    FindingCode.POSSIBLE_CONTAINMENT_CONFLICT,
    FindingCode.SAME_SOURCE_OVERLAP,
)


@dataclass(slots=True)
class Overlap:
    """Claims of one scope (`outers`) and claims of scopes that overlap it (`inners`), with
    what the clearest pair (`x`, `y`, the first outer and the first inner it meets) shares."""

    code: str  # one of CODES
    outers: tuple[Claim, ...] = field(repr=False)
    inners: tuple[Claim, ...] = field(repr=False)
    x: Claim = field(repr=False)
    y: Claim = field(repr=False)
    relation: Relation  # of y's scope to x's (inside only for same-source-overlap)
    shared: Shared


@dataclass(slots=True)
class _Found:
    outers: dict[str, Claim] = field(default_factory=dict)
    inners: dict[str, Claim] = field(default_factory=dict)
    first: tuple[Claim, Claim, Relation, Shared] | None = None

    def add(self, x: Claim, y: Claim, rel: Relation, shared: Shared) -> None:
        self.outers.setdefault(x.id, x)
        self.inners.setdefault(y.id, y)
        if self.first is None:
            self.first = (x, y, rel, shared)


def find_overlaps(
    rows: dict[str, Claim],
    book: Ledger,
    containing: set[str],
    apart: Callable[[Claim, Claim], bool],
) -> list[Overlap]:
    """Every possible conflict of the ledger, one per outer scope and code (see the module
    docstring). `containing` are the ids of claims whose scope holds another claim's (not
    only the parts they add up: a summed claim and its own parts are the verdict's business,
    and the ledger's many summed claims would each be looked at for nothing)."""
    groups: dict[str | None, list[Claim]] = defaultdict(list)
    for row in rows.values():
        if row.status == Status.DELIVERED and row.figure is not None and row.place_names:
            groups[top_org(row, book)].append(row)
    out: list[Overlap] = []
    for members in groups.values():
        scopes: dict[tuple, list[Claim]] = defaultdict(list)
        for row in members:
            scopes[scope_key(row)].append(row)
        out += _in_group(list(scopes.values()), book, containing, apart)
    return out


def _in_group(
    scopes: list[list[Claim]],
    book: Ledger,
    containing: set[str],
    apart: Callable[[Claim, Claim], bool],
) -> list[Overlap]:
    """The overlaps among the scopes of one top organisation."""
    outers = [i for i, g in enumerate(scopes)
              if any(m.figure.is_zero or m.id in containing for m in g)]  # fmt: skip
    if not outers:
        return []
    index = _Index(scopes, book)
    found: dict[tuple[int, str], _Found] = {}
    for i in outers:
        x_rep = scopes[i][0]
        for j in index.near(i, containing):
            y_rep = scopes[j][0]
            rel, shared = relate(x_rep, y_rep, book)
            if rel == Relation.DISJOINT or shared is None:
                continue
            half = x_rep.when.contains(y_rep.when) or not places_outside(x_rep, y_rep, book)
            _meet(scopes[i], scopes[j], (rel, half), shared, containing, apart, found, i)
    return [
        Overlap(code, tuple(f.outers.values()), tuple(f.inners.values()), *f.first)
        for (_, code), f in found.items()
        if f.first is not None
    ]


def _meet(
    xs: list[Claim],
    ys: list[Claim],
    how: tuple[Relation, bool],
    shared: Shared,
    containing: set[str],
    apart: Callable[[Claim, Claim], bool],
    found: dict[tuple[int, str], _Found],
    scope: int,
) -> None:
    """Record the findings between the claims of outer scope `scope` (`xs`) and those of a
    scope related to it (`ys`): each outer claim with the first inner claim it meets, then
    each inner claim with the first outer claim it meets (a pair set apart by `sum_of`,
    `count_of` or `same_as` is skipped, and those are rare, so both passes stay short).

    Inside is the contradiction rules' own case (analysis.py), so here it only matters for
    figures of one source.
    """
    positive = [y for y in ys if y.figure.positive]
    outers = [x for x in xs if x.figure.is_zero or x.id in containing]

    def note(x: Claim, y: Claim, codes: set[str]) -> None:
        code = None if y is x else _code(x, y, how, containing)
        if code is not None and code not in codes and not apart(x, y):
            codes.add(code)
            found.setdefault((scope, code), _Found()).add(x, y, how[0], shared)

    for x in outers:  # a zero claim has one code to find, a containing claim two
        codes: set[str] = set()
        most = 1 if x.figure.is_zero else 2
        for y in positive:
            note(x, y, codes)
            if len(codes) == most:
                break
    zeros = any(x.figure.is_zero for x in outers)
    most = int(zeros) + 2 * int(any(not x.figure.is_zero for x in outers))
    for y in positive:
        codes = set()
        for x in outers:
            note(x, y, codes)
            if len(codes) == most:
                break


def _code(x: Claim, y: Claim, how: tuple[Relation, bool], containing: set[str]) -> str | None:
    """The finding for outer claim x and inner claim y whose scopes relate as `how` says (the
    relation, and whether y's days or y's places lie wholly inside x's).

    Any overlap matters to a zero claim: nothing was to be given in the shared part. A
    containing claim is only put beside a figure that lies inside it in days or in places
    (a convoy on one of its days to some of its places and others), not beside every wider
    figure that happens to touch it: that one would be the containing side itself.
    """
    rel, half_inside = how
    if rel == Relation.OVERLAPPING and x.figure.is_zero:
        return "possible-zero-contradicted"
    if x.id not in containing or x.figure.is_zero:
        return None
    if rel == Relation.OVERLAPPING:
        if half_inside and not x.figure.rounded.can_hold(y.figure.rounded):
            return "possible-containment-conflict"
        if not half_inside:
            return None
    if x.source is not None and x.source == y.source:
        return "same-source-overlap"
    return None


class _Index:
    """Scopes by place, and by each ancestor of their places: the scopes that may share a
    place with a given one are those holding one of its places or held by one of them. Days,
    dimensions, figures and sources are arrays, one entry per scope, to filter those at once."""

    def __init__(self, scopes: list[list[Claim]], book: Ledger) -> None:
        self.scopes, self.book = scopes, book
        reps = [g[0] for g in scopes]
        self.start = np.array([r.start.toordinal() if r.start else _MIN for r in reps], np.int64)
        self.end = np.array([r.end.toordinal() if r.end else _MAX for r in reps], np.int64)
        dims: dict[str | None, int] = {}
        self.dims = np.array([dims.setdefault(r.figure.dimension, len(dims)) for r in reps])
        self.none = dims.get(None, -2)  # a zero of anything: meets every dimension
        # the largest low end (as rounded) of each scope's figures: what it takes to hold them
        self.top = np.array([max((float(m.figure.rounded.lo) for m in g), default=0.0)
                             for g in scopes])  # fmt: skip
        self.sources: dict[str | None, int] = {}
        self.source = np.array([self._source(g) for g in scopes], np.int64)
        self.places = PlaceIndex(
            ((j, r.place_names) for j, r in enumerate(reps)), book.places.ancestors
        )

    def _source(self, group: list[Claim]) -> int:
        """The code of the scope's one source, or -1 when its claims come from several."""
        first = group[0].source
        if any(m.source != first for m in group):
            return -1
        return self.sources.setdefault(first, len(self.sources))

    def near(self, i: int, containing: set[str]) -> list[int]:
        """The other scopes that share a day, a dimension and a place with scope i, and, when
        no claim of scope i is a zero claim, that state a figure its containing claims might
        not hold or come from one of their sources (the only findings left to them)."""
        group = self.scopes[i]
        parts = [self.places.near(q) for q in dict.fromkeys(group[0].place_names)]
        cand = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
        keep = (self.start[cand] <= self.end[i]) & (self.end[cand] >= self.start[i])
        if self.dims[i] != self.none:
            keep &= (self.dims[cand] == self.dims[i]) | (self.dims[cand] == self.none)
        if not any(m.figure.is_zero for m in group):
            outers = [m for m in group if m.id in containing]
            hold = min(float(m.figure.rounded.hi) for m in outers)
            mine = [self.sources[m.source] for m in outers if m.source in self.sources]
            keep &= (self.top[cand] >= hold) | np.isin(self.source[cand], [-1, *mine])
        return [int(j) for j in cand[keep] if j != i]
