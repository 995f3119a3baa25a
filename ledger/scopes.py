"""How two claims' scopes relate: who gave (through the org hierarchy), where (through the
gazetteer), when (the periods) and what (through the items' hierarchy).

A claim's scope is what its figure is about. An outer scope may hold an inner one wholly
(`inside`: every place, day, provider and item of the inner lies within the outer's), share
part of it (`overlapping`: a delivery by a unit of X to two of the neighbourhoods a zero claim
names, over days that start inside its week and end after it), or share nothing (`disjoint`).
Inside is what a contradiction needs; overlapping is what an analyst puts side by side and
asks about, so `relate` also says what the two share (which places, which days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from .claim import Claim
from .hierarchy import Hierarchy
from .loader import Ledger


class Relation(StrEnum):
    """How an inner claim's scope lies with respect to an outer one's."""

    INSIDE = "inside"
    OVERLAPPING = "overlapping"
    DISJOINT = "disjoint"


@dataclass(frozen=True, slots=True)
class Shared:
    """What two overlapping scopes have in common: the places (the narrower of each pair of
    places one of which holds the other) and the days (None: open at that end)."""

    places: tuple[str, ...]
    start: date | None
    end: date | None

    @property
    def days(self) -> str:
        """The shared days as a period is written (`2016-12-01/2016-12-02`, `../2016-12-02`)."""
        first = self.start.isoformat() if self.start else ".."
        last = self.end.isoformat() if self.end else ".."
        return first if first == last else f"{first}/{last}"


def top_org(row: Claim, book: Ledger) -> str | None:
    """The organisation at the top of the provider's chain (Russia for its ministry): claims
    whose providers have different tops can never share a scope."""
    if book.orgs is not None and row.provider_org:
        chain = book.orgs.ancestors(row.provider_org)
        return chain[-1] if chain else row.provider_org
    return row.org


def provider_within(outer: Claim, inner: Claim, book: Ledger) -> bool:
    """Whether inner's provider is outer's or one of its units (UNICEF within the UN)."""
    if book.orgs is not None and outer.provider_org and inner.provider_org:
        return book.orgs.contains(outer.provider_org, inner.provider_org)
    return outer.provider == inner.provider


def item_within(outer: Claim, inner: Claim, book: Ledger) -> bool:
    if outer.item_name and inner.item_name:
        return book.items.contains(outer.item_name, inner.item_name)
    return outer.item == inner.item


def places_outside(outer: Claim, inner: Claim, book: Ledger) -> list[str]:
    """Inner's places that no place of outer holds (none when either has no gazetteer names)."""
    if not outer.place_names or not inner.place_names:
        return []
    return [n for n in inner.place_names
            if not any(book.places.contains(o, n) for o in outer.place_names)]  # fmt: skip


def scope_within(outer: Claim, inner: Claim, book: Ledger) -> bool:
    """Whether inner's provider, period, places and item all lie inside outer's."""
    return (
        provider_within(outer, inner, book)
        and outer.when.contains(inner.when)
        and not places_outside(outer, inner, book)
        and item_within(outer, inner, book)
    )


def scope_key(row: Claim) -> tuple:
    """Who, what, where, when and which dimension: claims with equal keys share one scope."""
    return (
        row.org,
        row.item_key,
        place_set(row.place_names or ()),
        row.start,
        row.end,
        row.figure.dimension if row.figure else None,
    )


@lru_cache(maxsize=65536)
def place_set(names: tuple[str, ...]) -> tuple[str, ...]:
    """The places as a set, in a stable order (one tuple per distinct list of places: the
    resolve stage stores each list once, so this is worked out once per list)."""
    return tuple(sorted(set(names)))


def relate(outer: Claim, inner: Claim, book: Ledger) -> tuple[Relation, Shared | None]:
    """How inner's scope lies with respect to outer's, and what they share when they do.

    Each facet is inside, overlapping or disjoint; the scopes are disjoint when any facet is,
    inside when every facet is, else overlapping. A provider or item overlaps when the inner
    one holds the outer one (Russia's deliveries may be its ministry's); claims without
    gazetteer places are never related (their places could not be read).
    """
    facets = (
        _facet(book.orgs, outer.provider_org, inner.provider_org, outer.provider, inner.provider),
        _facet(book.items, outer.item_name, inner.item_name, outer.item, inner.item),
    )
    if Relation.DISJOINT in facets or not outer.place_names or not inner.place_names:
        return Relation.DISJOINT, None
    a, b = outer.when, inner.when
    start = _later(a.start, b.start)
    end = _earlier(a.end, b.end)
    if start is not None and end is not None and start > end:
        return Relation.DISJOINT, None
    places, all_inside = _shared_places(outer.place_names, inner.place_names, book.places)
    if not places:
        return Relation.DISJOINT, None
    inside = all_inside and a.contains(b) and all(f == Relation.INSIDE for f in facets)
    return (Relation.INSIDE if inside else Relation.OVERLAPPING), Shared(places, start, end)


def _facet(
    tree: Hierarchy | None, outer: str | None, inner: str | None, o_text: str | None,
    i_text: str | None,
) -> Relation:  # fmt: skip
    if tree is not None and outer and inner:
        if tree.contains(outer, inner):
            return Relation.INSIDE
        return Relation.OVERLAPPING if tree.contains(inner, outer) else Relation.DISJOINT
    return Relation.INSIDE if o_text == i_text else Relation.DISJOINT


def _shared_places(
    outer: tuple[str, ...], inner: tuple[str, ...], places: Hierarchy
) -> tuple[tuple[str, ...], bool]:
    """The places both scopes cover (an inner place an outer one holds, or an outer place an
    inner one holds), and whether every inner place lies inside an outer one."""
    shared: dict[str, None] = {}
    all_inside = True
    for p in inner:
        if any(places.contains(q, p) for q in outer):
            shared[p] = None
            continue
        all_inside = False
        for q in outer:
            if places.contains(p, q):
                shared[q] = None
    return tuple(shared), all_inside


def _later(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else max(x, y)


def _earlier(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else min(x, y)
