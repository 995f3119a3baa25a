"""What several views share: the figures of a check as (interval, unit) pairs, the scope line."""

from __future__ import annotations

from ..analysis import SumCheck
from ..claim import Claim
from ..formatting import interval
from ..intervals import Interval
from ..vocab import CheckKind

TOTALS_HEADING = "Totals (each delivery once; pledges apart; dimensions never mixed):"


def sum_unit(c: SumCheck) -> str | None:
    """The unit the sum of parts is in: the claim's; for a count, `actions` when `count_of`
    groups claims into actions (`[a, [b, c]]`), else `parts`."""
    if c.kind == CheckKind.COUNT:
        grouped = c.actions is not None and len(c.actions) != len(c.parts)
        return "actions" if grouped else "parts"
    return c.figure.unit if c.figure else None


def stated(claim: Claim) -> str:
    """A claim's stated interval with its unit (`?` when it has no usable figure)."""
    f = claim.figure
    return interval(f.stated, f.unit) if f else "?"


def sums(c: SumCheck) -> tuple[str, str | None]:
    """The sum of the parts, and the sum read as rounded when that differs (else None)."""
    unit = sum_unit(c)
    shown = interval(c.sum, unit)
    differs = c.sum_rounded is not None and c.sum_rounded != c.sum
    return shown, interval(c.sum_rounded, unit) if differs else None


def scope_line(claim: Claim) -> str:
    """Who is said to have delivered what, where and when: kept apart from who says so."""
    places = " + ".join(claim.places or ()) or "?"
    return f"{claim.provider or '?'}, {claim.status}, {claim.item}, {places}, {claim.period_text}"


def bars(c: SumCheck) -> list[tuple[str, Interval, str | None]]:
    """What a chart of the check draws: the claim, the parts' sum, as rounded (with units)."""
    unit = sum_unit(c)
    out = [
        ("claim", c.figure.stated if c.figure else None, c.figure.unit if c.figure else None),
        ("sum of parts", c.sum, unit),
        ("as rounded", c.sum_rounded, unit),
    ]
    return [(label, i, u) for label, i, u in out if i is not None]
