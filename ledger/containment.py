"""Finding which claims' scopes contain which, without comparing every pair.

Comparing every claim with every other one is quadratic: at 100,000 claims from one provider
that is 10^10 comparisons. A claim X can only contain Y if one of X's places is Y's first
place or one of its ancestors, so candidates come from an index of claims by place, looked up
once per distinct place. Periods and dimensions are then compared as numpy arrays, and only the
survivors go through the full (Python) scope test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

_MIN, _MAX = -(2**62), 2**62


def containing_pairs(
    members: list[Any],
    dimension: Callable[[Any], str | None],
    ancestors: Callable[[str], list[str]],
    within: Callable[[Any, Any], bool],
    relevant: Callable[[Any], bool],
) -> Iterator[tuple[Any, Any]]:
    """Pairs (x, y), x is not y, where `within(x, y)` holds (x's scope holds y's).

    `dimension(row)` is None for a zero of anything, which may hold any dimension; only rows
    for which `relevant(y)` is true are looked at as the contained claim.
    """
    if len(members) < 2:
        return
    start = np.array([r.start.toordinal() if r.start else _MIN for r in members], dtype=np.int64)
    end = np.array([r.end.toordinal() if r.end else _MAX for r in members], dtype=np.int64)
    codes: dict[str | None, int] = {None: -1}
    dims = np.array([codes.setdefault(dimension(r), len(codes)) for r in members], dtype=np.int64)
    by_place: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(members):
        for p in dict.fromkeys(r.place_names):
            by_place[p].append(i)
    near: dict[str, np.ndarray] = {}
    for j, y in enumerate(members):
        if not relevant(y):
            continue
        first = y.place_names[0]
        if first not in near:
            lists = [by_place[p] for p in (first, *ancestors(first)) if p in by_place]
            near[first] = np.unique(np.concatenate(lists)) if lists else np.empty(0, np.int64)
        cand = near[first]
        keep = (start[cand] <= start[j]) & (end[cand] >= end[j])
        keep &= (dims[cand] == dims[j]) | (dims[cand] == -1)
        for i in cand[keep]:
            if i != j and within(members[i], y):
                yield members[i], y


class PlaceIndex:
    """Members (by number) under each place they name and under each of its ancestors: the
    members that may share a place with a given place are those naming it or one of its
    ancestors (they hold it) and those naming a place inside it (it holds them)."""

    def __init__(
        self, places: Iterable[tuple[int, Iterable[str]]], ancestors: Callable[[str], list[str]]
    ) -> None:
        self.ancestors = ancestors
        self.at: dict[str, list[int]] = defaultdict(list)  # place -> members naming it
        self.under: dict[str, list[int]] = defaultdict(list)  # place -> members inside it
        for j, names in places:
            for p in dict.fromkeys(names):
                self.at[p].append(j)
                for a in (p, *ancestors(p)):
                    self.under[a].append(j)
        self._near: dict[str, np.ndarray] = {}

    def near(self, q: str) -> np.ndarray:
        """The members with a place inside q, or holding q, sorted (worked out once per place)."""
        hit = self._near.get(q)
        if hit is None:
            lists = [self.under.get(q, []), *(self.at.get(a, []) for a in self.ancestors(q))]
            flat = [j for part in lists for j in part]
            hit = self._near[q] = np.unique(np.asarray(flat, np.int64))
        return hit
