"""Add the ledger up with pandas: low, point and high totals per group, never mixing dimensions.

Each delivery is counted once: claims that add up others (`sum_of`, `count_of`, or a scope
that contains other claims) are left out, since their parts are already in; a claim linked by
`same_as` to another is left out in favour of the one it names; `context` figures (people in
need, populations) are not aid and are never totalled; nor are zero claims ("not a single
gram"), which deny a delivery rather than report one.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .analysis import Analysis
from .frame import SEP, claims_frame, exact
from .hierarchy import Hierarchy
from .options import TotalsError
from .units import UnitError
from .vocab import Status

GROUPS = ("provider", "claimant", "place", "item", "status", "source")


def totals(
    analysis: Analysis,
    by: tuple[str, ...] = ("provider", "status"),
    level: str | None = None,
    unit: str | None = None,
    org_level: str | None = None,
) -> pd.DataFrame:
    """One row per group and canonical unit, with `claims`, `low`, `point`, `high`.

    `level` lifts places to a gazetteer level (a `vocab.PlaceLevel`: `governorate`);
    `org_level` lifts providers to the nearest organisation of that kind (a `vocab.OrgKind`:
    `state`, and the Russian Ministry of Defence counts for Russia).
    """
    for key in by:
        if key not in GROUPS:
            raise TotalsError(f"cannot group by `{key}`; choose from {', '.join(GROUPS)}.")
    frame = _leaves(analysis)
    if frame.empty:
        return pd.DataFrame(columns=[*by, "unit", "claims", "low", "point", "high"])
    if "place" in by:
        places = analysis.ledger.places
        frame["place"] = [_places_at(names, level, places) for names in frame["place_names"]]
    if "provider" in by:
        frame["provider"] = _orgs_at(frame["provider_org"], frame["provider"], org_level, analysis)
    if "claimant" in by:
        frame["claimant"] = _orgs_at(frame["claimant_org"], frame["claimant"], org_level, analysis)
    if "item" in by:
        frame["item"] = _or(frame["item_name"], frame["item"])
    frame["unit"] = frame["canonical_unit"].astype("str")
    divisor = _divisor(frame, unit, analysis) if unit is not None else None
    keys = [*by, "unit"]
    for key in keys:
        frame[key] = frame[key].astype("str")  # a plain text key: no empty categories, no NaN
    groups = frame.groupby(keys, dropna=False, sort=True)
    out = groups.agg(claims=("id", "size"))
    for col in ("low", "point", "high"):
        out[col] = groups[f"{col}_exact"].agg(_exact_sum)
    out = out.reset_index()
    if divisor is not None:
        shown = out["unit"] == divisor[0]
        for col in ("low", "point", "high"):
            out.loc[shown, col] = [v / divisor[1] for v in out.loc[shown, col]]
        out.loc[shown, "unit"] = unit
    return out


def _exact_sum(values: pd.Series) -> Decimal:
    """The exact sum of a column of exact figures (text), each distinct figure read once."""
    counts = values.value_counts(sort=False)
    total = sum((Decimal(v) * n for v, n in counts.items()), Decimal(0))
    return Decimal(exact(total))  # plainly written: 4.0 -> 4, never 5E+3


# The columns totals read: the view is built for the counted claims and these columns only.
_NEEDED = ("id", "source", "claimant", "claimant_org", "provider", "provider_org", "status",
           "item", "item_name", "place_names", "canonical_unit", "low_exact", "point_exact",
           "high_exact")  # fmt: skip


def _leaves(analysis: Analysis) -> pd.DataFrame:
    """The claims each delivery is counted in once: no aggregates, no duplicates linked by
    `same_as`, no context figures, no zero claims, only claims with a usable figure."""
    skip = analysis.aggregates | analysis.counted_once
    leaves = [
        c for c in analysis.ledger.entries
        if c.id is not None and c.id not in skip and c.figure is not None
        and c.status != Status.CONTEXT and c.unit is not None and not c.figure.is_zero
    ]  # fmt: skip
    return claims_frame(leaves, _NEEDED)


def _or(first: pd.Series, second: pd.Series) -> pd.Series:
    """`first` where it is set, else `second` (as plain text)."""
    a, b = first.astype("object"), second.astype("object")
    return a.where(a.notna(), b)


def _places_at(names: str | float, level: str | None, places: Hierarchy) -> str:
    """Each place lifted to `level` (Hananu 3 -> Aleppo governorate), joined with ` + `."""
    if not isinstance(names, str) or not names:
        return "(unknown)"
    lifted: list[str] = []
    for name in names.split(SEP):
        hit = (places.nearest(name, "level", level) or name) if level else name
        if hit not in lifted:
            lifted.append(hit)
    return " + ".join(sorted(lifted))


def _orgs_at(
    orgs: pd.Series, written: pd.Series, kind: str | None, analysis: Analysis
) -> pd.Series:
    """Each organisation itself, or with `kind` its nearest ancestor of that kind."""
    names = _or(orgs, written)
    tree = analysis.ledger.orgs
    if kind is None or tree is None:
        return names
    lifted = {
        org: tree.nearest(org, "kind", kind) or org for org in orgs.dropna().unique().tolist()
    }
    return pd.Series(
        [lifted.get(o, n) if isinstance(o, str) else n for o, n in zip(orgs, names, strict=True)],
        index=orgs.index,
        dtype="object",
    )


def _divisor(frame: pd.DataFrame, unit: str, analysis: Analysis) -> tuple[str, Decimal]:
    """`unit`'s canonical unit and factor: totals of that dimension are shown in `unit`."""
    try:
        info = analysis.ledger.units.resolve(unit)
    except UnitError as exc:
        raise TotalsError(str(exc)) from None
    return info.canonical, info.factor
