"""How numbers, intervals and quantities are written, in every output: the one place.

Figures are exact Decimals up to here; they are written plainly (no exponent, no trailing
zeros, thousands grouped: `90,000`, `0.3`, `3.5`), and an interval with its brackets and
unit (`(5, inf) t`, `[3.5, 4.5] t`). JSON gets numbers (an integer when the figure is whole)
and `null` for an unbounded end. Table cells go through `cell`.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Protocol

INF = Decimal("Infinity")
UNBOUNDED = "inf"


class Bounds(Protocol):
    """An interval as this module reads it (intervals.Interval is one)."""

    lo: Decimal
    hi: Decimal
    lo_open: bool
    hi_open: bool


def number(x: Decimal | int | float) -> str:
    """A figure written plainly, thousands grouped: 5, 0.3, 90,000, inf."""
    if isinstance(x, float):
        if math.isinf(x):
            return UNBOUNDED
        x = Decimal(repr(x))
    elif isinstance(x, int):
        return f"{x:,}"
    if x == INF:
        return UNBOUNDED
    return f"{x.normalize():,f}"


def plural(n: int, word: str) -> str:
    """`1 error`, `2 errors`: a count and its noun, agreeing."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def plain(x: Decimal) -> str:
    """A figure without grouping, exactly as it is (text a reader or a program may take back
    as a Decimal): 90000, 0.3, inf."""
    return UNBOUNDED if x == INF else f"{x.normalize():f}"


def interval(i: Bounds | None, unit: str | None = None) -> str:
    """`[3.5, 4.5] t`, `(5, inf) t`, or `?` when there is no interval."""
    if i is None:
        return "?"
    left = "(" if i.lo_open else "["
    right = ")" if i.hi_open else "]"
    return f"{left}{number(i.lo)}, {number(i.hi)}{right}" + (f" {unit}" if unit else "")


def json_number(x: Decimal | None) -> int | float | None:
    """A figure for JSON: an integer when whole, else a float; None when unbounded or absent."""
    if x is None or x == INF:
        return None
    return int(x) if x == x.to_integral_value() else float(x)


def json_interval(i: Bounds | None, unit: str | None) -> dict[str, Any] | None:
    """`{low, high, low_open, high_open, unit}`; an unbounded end is `null`."""
    if i is None:
        return None
    return {
        "low": json_number(i.lo),
        "high": json_number(i.hi),
        "low_open": i.lo_open,
        "high_open": i.hi_open,
        "unit": unit,
    }


def cell(v: Any) -> str:
    """A table cell: figures written plainly (an unbounded one as `inf`), the rest as text."""
    if v is None:
        return UNBOUNDED
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return number(v)
    return str(v)


def table(rows: list[dict[str, Any]]) -> list[str]:
    """Rows of equal keys as aligned text columns, a header first."""
    if not rows:
        return ["(nothing to total)"]
    cols = list(rows[0])
    cells = [[cell(r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return lines
