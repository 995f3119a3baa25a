"""Figures as intervals: what a stated quantity allows, in exact decimal arithmetic.

"about 4 t" is not the number 4: it is every mass a fair reader would accept as "about 4 t".
An `Interval` keeps both ends and whether each is open, so "more than 5 t", (5, inf), and
"at least 5 t", [5, inf), stay different. Sums use `Decimal`, so 0.1 t + 0.2 t is exactly 0.3 t.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from . import formatting
from .config import Tolerances
from .quantity import Quantity
from .vocab import Family

INF = Decimal("Infinity")
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Decimal
    hi: Decimal
    lo_open: bool = False
    hi_open: bool = False

    @classmethod
    def point(cls, x: Decimal) -> Interval:
        return cls(x, x)

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def __add__(self, other: Interval) -> Interval:
        return Interval(
            self.lo + other.lo,
            self.hi + other.hi,
            self.lo_open or other.lo_open,
            self.hi_open or other.hi_open or self.hi == INF or other.hi == INF,
        )

    def scale(self, factor: Decimal) -> Interval:
        """Multiply by a positive factor (a unit conversion); ends keep their openness."""
        hi = self.hi if self.hi == INF else self.hi * factor
        return Interval(self.lo * factor, hi, self.lo_open, self.hi_open)

    def has(self, x: Decimal) -> bool:
        """Whether the point `x` lies in the interval."""
        above = x > self.lo or (x == self.lo and not self.lo_open)
        below = x < self.hi or (x == self.hi and not self.hi_open)
        return above and below

    def contains(self, other: Interval) -> bool:
        """Whether every value of `other` lies in this interval (self is a superset)."""
        if other.empty:
            return True
        lo_ok = self.lo < other.lo or (self.lo == other.lo and (not self.lo_open or other.lo_open))
        hi_ok = self.hi > other.hi or (self.hi == other.hi and (not self.hi_open or other.hi_open))
        return lo_ok and hi_ok

    def intersection(self, other: Interval) -> Interval:
        """The values in both (possibly empty)."""
        if self.lo != other.lo:
            lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        else:
            lo, lo_open = self.lo, self.lo_open or other.lo_open
        if self.hi != other.hi:
            hi, hi_open = min((self.hi, self.hi_open), (other.hi, other.hi_open))
        else:
            hi, hi_open = self.hi, self.hi_open or other.hi_open
        return Interval(lo, hi, lo_open, hi_open)

    def overlaps(self, other: Interval) -> bool:
        """Whether some value lies in both."""
        return not self.intersection(other).empty

    def can_hold(self, other: Interval) -> bool:
        """Whether a total read from this interval can be at least some value of `other`."""
        return self.hi > other.lo or (
            self.hi == other.lo and not self.hi_open and not other.lo_open
        )

    def __str__(self) -> str:
        return formatting.interval(self)


def _about(q: Quantity, tol: Tolerances) -> Interval:
    half = max(tol.about_digits * q.step, tol.about_relative * q.value)
    return Interval(max(ZERO, q.value - half), q.value + half)


def _nearly(q: Quantity, tol: Tolerances) -> Interval:
    below = max(tol.nearly_digits * q.step, tol.nearly_relative * q.value)
    return Interval(max(ZERO, q.value - below), q.value, False, True)


# one interval rule per qualifier family (docs/format.md and the README's table say the same)
RULES: dict[Family, Callable[[Quantity, Tolerances], Interval]] = {
    Family.EXACT: lambda q, tol: Interval.point(q.value),
    Family.ABOUT: _about,
    Family.NEARLY: _nearly,
    Family.MORE_THAN: lambda q, tol: Interval(q.value, INF, True, True),
    Family.AT_LEAST: lambda q, tol: Interval(q.value, INF, False, True),
    Family.UP_TO: lambda q, tol: Interval(ZERO, q.value),
    Family.LESS_THAN: lambda q, tol: Interval(ZERO, q.value, False, True),
    Family.BETWEEN: lambda q, tol: Interval(q.low, q.high),
}


def stated(q: Quantity, tol: Tolerances) -> Interval:
    """The interval a phrase allows, in the unit it was written in (see docs/format.md)."""
    rule = RULES.get(q.family)
    if rule is None:
        raise ValueError(f"unknown qualifier family {q.family!r}")
    return rule(q, tol)


def rounded(q: Quantity, tol: Tolerances) -> Interval:
    """A bare figure read as rounded to its last written digit; other phrases as stated."""
    if q.family != Family.EXACT or q.value == 0:
        return stated(q, tol)
    half = max(tol.rounding_digits * q.step, tol.rounding_relative * q.value)
    return Interval(max(ZERO, q.value - half), q.value + half)


def total(intervals: list[Interval]) -> Interval:
    out = Interval.point(ZERO)
    for i in intervals:
        out = out + i
    return out
