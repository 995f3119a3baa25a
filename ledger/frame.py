"""The claims as a pandas DataFrame: a view of the typed claims for totals, export and notebooks.

One row per claim, one plain typed value per cell: text (`str`), categoricals for the few
values that repeat (status, units, files...), floats for the canonical figures, integers for
lines, dates as `datetime64`, booleans for open interval ends. Exact figures are text
(`"0.3"`, `"inf"`), so a reader can take them to `Decimal` without the float's noise; lists
(places, `sum_of`) are joined with `; `. No cell holds a Decimal, tuple or object of ours.

The frame is built on first use only: `check` never needs it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .claim import Claim
from .intervals import INF

SEP = "; "

# (column, dtype, what it holds): the view's contract, in order.
COLUMNS: list[tuple[str, str, str]] = [
    ("id", "str", "the claim's id"),
    ("source", "category", "the source's id in sources.yaml"),
    ("claimant", "category", "who states the figure, as written"),
    ("claimant_org", "category", "the claimant in orgs.yaml"),
    ("provider", "category", "who delivered or pledged, as written"),
    ("provider_org", "category", "the provider in orgs.yaml"),
    ("status", "category", "delivered, pledged, planned or context"),
    ("item", "category", "what was delivered, as written"),
    ("item_name", "category", "the item in items.yaml"),
    ("quantity", "str", "the quantity as written"),
    ("qualifier", "category", "about, more than, ... (missing: exact)"),
    ("family", "category", "the qualifier's family: exact, about, more_than, ..."),
    ("value", "str", "the figure as written, exact (midpoint for between)"),
    ("value_low", "str", "low end as written (between), exact"),
    ("value_high", "str", "high end as written (between), exact"),
    ("step", "str", "place of the last significant digit, exact"),
    ("unit", "category", "the unit as written"),
    ("dimension", "category", "mass, volume, person, currency_USD, ..."),
    ("canonical_unit", "category", "t, L, or the counted thing"),
    ("factor", "str", "written unit -> canonical unit, exact"),
    ("low_exact", "str", "low end of the stated interval, canonical unit, exact"),
    ("point_exact", "str", "point value, canonical unit, exact"),
    ("high_exact", "str", "high end, canonical unit, exact (`inf`: unbounded)"),
    ("low", "float64", "low end, canonical unit"),
    ("point", "float64", "point value, canonical unit"),
    ("high", "float64", "high end, canonical unit (inf: unbounded)"),
    ("low_open", "boolean", "whether the low end is excluded"),
    ("high_open", "boolean", "whether the high end is excluded"),
    ("places", "str", "places as written, `; `-separated"),
    ("place_names", "str", "gazetteer names, `; `-separated"),
    ("period", "str", "the date or period as written"),
    ("start", "datetime64[s]", "first day (missing: open start)"),
    ("end", "datetime64[s]", "last day (missing: open end)"),
    ("quote", "str", "the source's words"),
    ("notes", "str", "the curator's notes"),
    ("sum_of", "str", "ids of the parts, `; `-separated"),
    ("count_of", "str", "ids of the claims it counts, `; `-separated"),
    ("same_as", "str", "id of the same delivery from another source"),
    ("file", "category", "the claim file"),
    ("line", "int64", "the claim's line in its file"),
]
NAMES = [c for c, _, _ in COLUMNS]


def exact(x: Decimal | None) -> str | None:
    """A Decimal as plain text: `0.3`, `90000`, `inf` (no exponent, no trailing zeros)."""
    if x is None:
        return None
    if x == INF:
        return "inf"
    return f"{x.normalize():f}"


def claims_frame(claims: Sequence[Claim]) -> pd.DataFrame:
    """The DataFrame view of `claims` (see COLUMNS)."""
    text: dict[Decimal, str | None] = {}

    def ex(x: Decimal | None) -> str | None:  # each distinct figure written once
        if x is None:
            return None
        hit = text.get(x)
        if hit is None:
            hit = text[x] = exact(x)
        return hit

    def col(fn: Callable[[Claim], Any]) -> list[Any]:
        return [fn(c) for c in claims]

    def joined(fn: Callable[[Claim], tuple[str, ...] | None]) -> list[str | None]:
        return [None if (v := fn(c)) is None else SEP.join(v) for c in claims]

    q = [c.quantity for c in claims]
    u = [c.unit for c in claims]
    f = [c.figure for c in claims]
    data: dict[str, list[Any]] = {
        "id": col(lambda c: c.id),
        "source": col(lambda c: c.source),
        "claimant": col(lambda c: c.claimant),
        "claimant_org": col(lambda c: c.claimant_org),
        "provider": col(lambda c: c.provider),
        "provider_org": col(lambda c: c.provider_org),
        "status": col(lambda c: c.status),
        "item": col(lambda c: c.item),
        "item_name": col(lambda c: c.item_name),
        "quantity": col(lambda c: c.quantity_text),
        "qualifier": [x.qualifier if x else None for x in q],
        "family": [x.family if x else None for x in q],
        "value": [ex(x.value) if x else None for x in q],
        "value_low": [ex(x.low) if x else None for x in q],
        "value_high": [ex(x.high) if x else None for x in q],
        "step": [ex(x.step) if x else None for x in q],
        "unit": [x.unit if x else None for x in q],
        "dimension": [x.dimension if x else None for x in u],
        "canonical_unit": [x.canonical if x else None for x in u],
        "factor": [ex(x.factor) if x else None for x in u],
        "low_exact": [ex(x.stated.lo) if x else None for x in f],
        "point_exact": [ex(x.point) if x else None for x in f],
        "high_exact": [ex(x.stated.hi) if x else None for x in f],
        "low": [float(x.stated.lo) if x else math.nan for x in f],
        "point": [float(x.point) if x else math.nan for x in f],
        "high": [float(x.stated.hi) if x else math.nan for x in f],
        "low_open": [x.stated.lo_open if x else None for x in f],
        "high_open": [x.stated.hi_open if x else None for x in f],
        "places": joined(lambda c: c.places),
        "place_names": joined(lambda c: c.place_names),
        "period": col(lambda c: c.period.text if c.period else None),
        "start": _days(c.start for c in claims),
        "end": _days(c.end for c in claims),
        "quote": col(lambda c: c.quote),
        "notes": col(lambda c: c.notes),
        "sum_of": joined(lambda c: c.sum_of),
        "count_of": joined(lambda c: c.count_of),
        "same_as": col(lambda c: c.same_as),
        "file": col(lambda c: c.file),
        "line": col(lambda c: c.line),
    }
    return pd.DataFrame(
        {name: pd.Series(data[name], dtype=dtype) for name, dtype, _ in COLUMNS}, columns=NAMES
    )


def _days(days: Any) -> np.ndarray:
    return np.array([d.isoformat() if d else "NaT" for d in days], dtype="datetime64[D]").astype(
        "datetime64[s]"
    )
