"""Add the ledger up with pandas: low, point and high totals per group, never mixing dimensions.

Each delivery is counted once: claims that add up others (`sum_of`, `count_of`, or a scope
that contains other claims) are left out, since their parts are already in; a claim linked by
`same_as` to another is left out in favour of the one it names; `context` figures (people in
need, populations) are not aid and are never totalled; nor are zero claims ("not a single
gram"), which deny a delivery rather than report one.
"""

from __future__ import annotations

import math

import pandas as pd

from .analysis import Analysis
from .units import UnitError

GROUPS = ("provider", "claimant", "place", "item", "status", "source")
LEVELS = ("country", "governorate", "district", "city", "area", "neighbourhood", "camp")


class TotalsError(ValueError):
    """A bad option (unknown group or unit): the command cannot run."""


def totals(
    analysis: Analysis,
    by: tuple[str, ...] = ("provider", "status"),
    level: str | None = None,
    unit: str | None = None,
    org_level: str | None = None,
) -> pd.DataFrame:
    """One row per group and canonical unit, with `claims`, `low`, `point`, `high`.

    `level` lifts places to a gazetteer level (`governorate`); `org_level` lifts providers to
    the nearest organisation of that kind (`state`: the Russian Ministry of Defence counts
    for Russia).
    """
    for key in by:
        if key not in GROUPS:
            raise TotalsError(f"cannot group by `{key}`; choose from {', '.join(GROUPS)}.")
    frame = _leaves(analysis)
    if frame.empty:
        return pd.DataFrame(columns=[*by, "unit", "claims", "low", "point", "high"])
    if "place" in by:
        frame["place"] = [_places_at(names, level, analysis) for names in frame["place_names"]]
    if "provider" in by:
        frame["provider"] = [_org_at(p, w, org_level, analysis)
                             for p, w in zip(frame["provider_org"], frame["provider"], strict=True)]  # fmt: skip
    if "claimant" in by:
        frame["claimant"] = [_org_at(p, w, org_level, analysis)
                             for p, w in zip(frame["claimant_org"], frame["claimant"], strict=True)]  # fmt: skip
    if "item" in by:
        frame["item"] = frame["item_name"].where(frame["item_name"].notna(), frame["item"])
    frame["unit"] = frame["canonical_unit"]
    if unit is not None:
        _convert(frame, unit, analysis)
    keys = [*by, "unit"]
    out = frame.groupby(keys, dropna=False, sort=True).agg(
        claims=("id", "size"), low=("low", "sum"), point=("point", "sum"), high=("high", "sum")
    )
    # Float sums carry binary noise (0.1 + 0.2); 9 decimals of a canonical unit (a milligram
    # of a tonne) are far below anything a report states.
    out[["low", "point", "high"]] = out[["low", "point", "high"]].round(9)
    return out.reset_index()


def _leaves(analysis: Analysis) -> pd.DataFrame:
    claims = analysis.ledger.claims
    skip = analysis.aggregates | analysis.counted_once
    keep = [
        isinstance(cid, str) and cid not in skip and cid in analysis.figures
        and status != "context" and unit is not None
        for cid, status, unit in zip(claims["id"], claims["status"], claims["canonical_unit"], strict=True)
    ]  # fmt: skip
    frame = claims.loc[keep].copy()
    nonzero = [analysis.figures[cid].stated.hi != 0 for cid in frame["id"]]
    frame = frame.loc[pd.Series(nonzero, index=frame.index, dtype=bool)]
    figs = [analysis.figures[cid] for cid in frame["id"]]
    frame["low"] = [float(f.stated.lo) for f in figs]
    frame["point"] = [float(f.point) for f in figs]
    frame["high"] = [math.inf if f.stated.hi.is_infinite() else float(f.stated.hi) for f in figs]
    return frame


def _places_at(names: tuple[str, ...] | None, level: str | None, analysis: Analysis) -> str:
    """Each place lifted to `level` (Hananu 3 -> Aleppo governorate), joined with ` + `."""
    if not names:
        return "(unknown)"
    places = analysis.ledger.places
    lifted = []
    for name in names:
        chain = [name, *places.ancestors(name)]
        hit = next((n for n in chain if places.get(n, "level") == level), name) if level else name
        if hit not in lifted:
            lifted.append(hit)
    return " + ".join(sorted(lifted))


def _org_at(org: str | None, written: str, kind: str | None, analysis: Analysis) -> str:
    """The organisation itself, or with `kind` its nearest ancestor of that kind."""
    orgs = analysis.ledger.orgs
    name = org or written
    if kind is None or orgs is None or org is None:
        return name
    return next((n for n in (org, *orgs.ancestors(org)) if orgs.get(n, "kind") == kind), name)


def _convert(frame: pd.DataFrame, unit: str, analysis: Analysis) -> None:
    """Show totals of `unit`'s dimension in `unit` (e.g. `kg`); other dimensions stay as they are."""
    try:
        info = analysis.ledger.units.resolve(unit)
    except UnitError as exc:
        raise TotalsError(str(exc)) from None
    rows = frame["canonical_unit"] == info.canonical
    factor = float(info.factor)
    for col in ("low", "point", "high"):
        frame.loc[rows, col] = frame.loc[rows, col] / factor
    frame.loc[rows, "unit"] = unit
