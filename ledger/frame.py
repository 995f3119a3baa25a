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
from .formatting import plain

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
    return None if x is None else plain(x)


def claims_frame(claims: Sequence[Claim], names: Sequence[str] = NAMES) -> pd.DataFrame:
    """The DataFrame view of `claims` (see COLUMNS), or only the columns `names`.

    Columns are built one at a time, each from a plain list that is dropped once pandas holds
    it: a narrow view (totals need a dozen columns) costs only what it holds.
    """
    text: dict[Decimal, str | None] = {}

    def ex(x: Decimal | None) -> str | None:  # each distinct figure written once
        if x is None:
            return None
        hit = text.get(x)
        if hit is None:
            hit = text[x] = exact(x)
        return hit

    def attr(name: str) -> Callable[[], list[Any]]:
        return lambda: [getattr(c, name) for c in claims]

    def joined(name: str) -> Callable[[], list[str | None]]:
        return lambda: [None if (v := getattr(c, name)) is None else SEP.join(v) for c in claims]

    def of_q(fn: Callable[[Any], Any]) -> Callable[[], list[Any]]:
        return lambda: [None if c.quantity is None else fn(c.quantity) for c in claims]

    def of_u(fn: Callable[[Any], Any]) -> Callable[[], list[Any]]:
        return lambda: [None if c.unit is None else fn(c.unit) for c in claims]

    def of_f(fn: Callable[[Any], Any], missing: Any = None) -> Callable[[], list[Any]]:
        return lambda: [missing if c.figure is None else fn(c.figure) for c in claims]

    build: dict[str, Callable[[], list[Any]]] = {
        **{k: attr(k) for k in ("id", "source", "claimant", "claimant_org", "provider",
                                "provider_org", "status", "item", "item_name", "quote", "notes",
                                "same_as", "file", "line")},
        "quantity": attr("quantity_text"),
        "qualifier": of_q(lambda q: q.qualifier),
        "family": of_q(lambda q: q.family),
        "value": of_q(lambda q: ex(q.value)),
        "value_low": of_q(lambda q: ex(q.low)),
        "value_high": of_q(lambda q: ex(q.high)),
        "step": of_q(lambda q: ex(q.step)),
        "unit": of_q(lambda q: q.unit),
        "dimension": of_u(lambda u: u.dimension),
        "canonical_unit": of_u(lambda u: u.canonical),
        "factor": of_u(lambda u: ex(u.factor)),
        "low_exact": of_f(lambda f: ex(f.stated.lo)),
        "point_exact": of_f(lambda f: ex(f.point)),
        "high_exact": of_f(lambda f: ex(f.stated.hi)),
        "low": of_f(lambda f: float(f.stated.lo), math.nan),
        "point": of_f(lambda f: float(f.point), math.nan),
        "high": of_f(lambda f: float(f.stated.hi), math.nan),
        "low_open": of_f(lambda f: f.stated.lo_open),
        "high_open": of_f(lambda f: f.stated.hi_open),
        "places": joined("places"),
        "place_names": joined("place_names"),
        "period": lambda: [c.period.text if c.period else None for c in claims],
        "start": lambda: _days(c.start for c in claims),
        "end": lambda: _days(c.end for c in claims),
        "sum_of": joined("sum_of"),
        "count_of": joined("count_of"),
    }  # fmt: skip
    dtypes = {name: dtype for name, dtype, _ in COLUMNS}
    return pd.DataFrame(
        {name: pd.Series(build[name](), dtype=dtypes[name]) for name in names},
        columns=list(names),
    )


def _days(days: Any) -> np.ndarray:
    return np.array([d.isoformat() if d else "NaT" for d in days], dtype="datetime64[D]").astype(
        "datetime64[s]"
    )
