"""Add the ledger up with pandas: totals per group that neither double-count nor understate.

Which claims count, and how:

- **Itemised** (`claims`, `low`, `point`, `high`): the claims each delivery is counted in once.
  Claims that add up others (`sum_of`, `count_of`) are represented by their parts; a claim
  linked by `same_as` to another is left out in favour of the one it names; `context` figures
  (people in need, populations) and zero claims ("not a single gram") are never totalled.
- **Stated** (`stated_low`, `stated_high`, `stated_by`): a *containing* claim, one whose scope
  holds other claims' (a cumulative "3,677.9 t since 2015" holding today's 2.45 t), or a
  `sum_of` claim some of whose parts are not in the ledger, states the total of its scope. It
  is not added to the itemised figures (that would count today's 2.45 t twice), but it is not
  dropped either (that would understate the total a hundredfold): it is shown in the row it
  falls in, with its id.
- **Combined** (`combined_low`, `combined_high`): the reading of both. The total of a
  containing claim's scope lies in its stated interval and is at least what the ledger itemises
  inside it: [max(stated low, itemised low inside), stated high]. The itemised high end is no
  bound, as the claims inside need not be all that was delivered. A row's combined reading adds
  that of each of its widest containing claims and the itemised figures of its claims outside
  them. `note` says `conflict` when the claims inside hold more than the stated figure allows
  (the report's containment conflicts say which), `overlapping` when two of a row's containing
  claims share part of their scopes (the reading is then the looser one that cannot count the
  shared part twice: at least the largest, at most the sum).
- **Periods are never mixed silently.** Every row says how many periods its itemised claims
  state (`periods`) and the days its claims cover (`span`); `period` is a group key
  (`by=("provider", "period")`) at the granularity `per` (a `vocab.TotalsPer`: each day, ISO week or
  month, or each stated period; a claim whose period runs over two days, weeks or months
  keeps its own). A figure with an open start or end ("since the start of the operation":
  `../2016-12-02`) is a running total: a `kind` of its own, in a row of its own per period,
  never added to dated figures or to another running total.
- **People apart.** Counts of people (`person`, `family`, `household`, `child`,
  `beneficiary` dimensions) are of kind `people reached`, apart from quantities delivered.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from .analysis import Analysis
from .claim import Claim
from .frame import SEP, claims_frame, exact
from .hierarchy import Hierarchy
from .intervals import ZERO, Interval
from .options import TotalsError
from .readings import Reading, readings
from .units import UnitError
from .vocab import Status, TotalKind, TotalsPer, TotalsRole

PERIOD = "period"
GROUPS = ("provider", "claimant", "place", "item", "status", "source", PERIOD)
FIGURES = ("low", "point", "high")
# the columns after the group keys, in order (the CSV and JSON of `aid-ledger totals`)
COLUMNS = ("kind", "unit", "claims", *FIGURES, "periods", "span", "stated_low", "stated_high",
           "stated_by", "contained", "combined_low", "combined_high", "note")  # fmt: skip
# dimensions (units.txt) whose counts are people reached, not quantities delivered
PEOPLE = frozenset({"person", "beneficiary", "family", "household", "child"})
UNKNOWN_PERIOD = "(unknown)"


_KIND_ORDER = {k.value: n for n, k in enumerate(TotalKind)}


def totals(
    analysis: Analysis,
    by: tuple[str, ...] = ("provider", "status"),
    level: str | None = None,
    unit: str | None = None,
    org_level: str | None = None,
    per: str | None = None,
    keep: Callable[[Claim], bool] | None = None,
) -> pd.DataFrame:
    """One row per group, kind, unit (and running total's period): see the module's rules.

    `level` lifts places to a gazetteer level (a `vocab.PlaceLevel`: `governorate`);
    `org_level` lifts providers to the nearest organisation of that kind (a `vocab.OrgKind`:
    `state`, and the Russian Ministry of Defence counts for Russia). `per` (a `vocab.TotalsPer`) sets the
    `period` key's granularity and adds the key when `by` lacks it; `period:week` in `by` is
    short for `period` with `per="week"` (so a command line can say it in one option).
    `keep` picks the claims added (`totals --source`: filters.ReportFilter.picks); the others
    are left out of every row, as if the ledger did not hold them.
    """
    by, per = _keys(by, per)
    divisor = _divisor(unit, analysis) if unit is not None else None
    leaves, stated = roles(analysis)
    if keep is not None:
        leaves, stated = [c for c in leaves if keep(c)], [c for c in stated if keep(c)]
    claims = [*leaves, *stated]
    if not claims:
        return pd.DataFrame(columns=[*by, *COLUMNS])
    frame = claims_frame(claims, _needed(by))
    _group_keys(frame, by, level, org_level, analysis)
    for name, values in _period_columns(claims, TotalsPer(per)).items():
        frame[name] = values
    keys = [*by, "kind", "unit", "_bucket"]
    for key in keys:
        frame[key] = frame[key].astype("str")  # a plain text key: no empty categories, no NaN
    frame["_group"] = frame.groupby(keys, sort=False).ngroup()
    frame["_leaf"] = np.arange(len(frame)) < len(leaves)
    out = _itemised(frame, keys)
    group = frame["_group"].to_numpy()
    found = readings(analysis.ledger, leaves, stated, group)
    _uncovered(frame, found)
    _stated_columns(out, found)
    out = _sorted(out, by)
    if unit is not None and divisor is not None:  # (both or neither)
        _in_unit(out, unit, *divisor)
    return out[[*by, *COLUMNS]].reset_index(drop=True)


def _keys(by: tuple[str, ...], per: str | None) -> tuple[tuple[str, ...], str]:
    """The group keys and the `period` granularity, checked (TotalsError says what to write)."""
    keys: list[str] = []
    for key in by:
        name, _, granularity = key.partition(":")
        if name not in GROUPS or (granularity and name != PERIOD):
            raise TotalsError(f"cannot group by `{key}`; choose from {', '.join(GROUPS)}.")
        if granularity:
            per = granularity
        if name not in keys:
            keys.append(name)
    if per is not None and per not in set(TotalsPer):
        raise TotalsError(f"cannot total per `{per}`; choose from {', '.join(TotalsPer)}.")
    if per is not None and PERIOD not in keys:
        keys.append(PERIOD)
    return tuple(keys), per or TotalsPer.STATED


# The columns totals read: the view is built for the counted claims and these columns only.
_FIGURES_EXACT = ("canonical_unit", "low_exact", "point_exact", "high_exact")
_FOR_KEY = {"provider": ("provider", "provider_org"), "claimant": ("claimant", "claimant_org"),
            "place": ("place_names",), "item": ("item", "item_name"), "status": ("status",),
            "source": ("source",)}  # fmt: skip


def _needed(by: tuple[str, ...]) -> list[str]:
    """The view's columns for these keys: each column costs a pass over the claims."""
    return [*_FIGURES_EXACT, *(c for key in by for c in _FOR_KEY.get(key, ()))]


def roles(analysis: Analysis) -> tuple[list[Claim], list[Claim]]:
    """The itemised claims (each delivery once) and the stated ones (containing claims, and
    `sum_of` claims missing some parts): see the module's rules."""
    leaves: list[Claim] = []
    stated: list[Claim] = []
    for c in analysis.ledger.entries:
        role = role_of(c, analysis)
        if role == TotalsRole.ITEMISED:
            leaves.append(c)
        elif role == TotalsRole.STATED:
            stated.append(c)
    return leaves, stated


def role_of(c: Claim, analysis: Analysis) -> TotalsRole:
    """How totals count claim `c`: the one rule behind `totals` and the exported `in_totals`."""
    if c.id is None or c.figure is None:
        return TotalsRole.UNREADABLE
    if c.id in analysis.counted_once:
        return TotalsRole.SAME_AS
    if c.status == Status.CONTEXT:
        return TotalsRole.CONTEXT
    if c.figure.is_zero:
        return TotalsRole.ZERO
    if c.unit is None:
        return TotalsRole.UNREADABLE
    if c.id not in analysis.aggregates:
        return TotalsRole.ITEMISED
    if c.count_of is None and (c.sum_of is None or any(p not in analysis.by_id for p in c.sum_of)):
        return TotalsRole.STATED  # a stated total of its scope; a count counts claims, not aid
    return TotalsRole.PARTS


def kind_of(c: Claim) -> TotalKind | None:
    """The kind of row claim `c` is added in (None without a figure): a running total for an
    open period, people reached for counts of people."""
    if c.figure is None:
        return None
    return TotalKind(_when(c, TotalsPer.STATED).kind)


def period_spelling(c: Claim) -> str | None:
    """Claim `c`'s period in totals' one spelling (`2016-12`, `../2016-12-02`), None without."""
    return None if c.period is None else _days(c.start, c.end)


def _group_keys(
    frame: pd.DataFrame, by: tuple[str, ...], level: str | None, org_level: str | None,
    analysis: Analysis,
) -> None:  # fmt: skip
    """The group key columns, lifted as asked; `unit` is always a key."""
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


@dataclass(frozen=True, slots=True)
class _When:
    """What a claim's period and dimension give its row: worked out once per distinct pair."""

    kind: str
    period: str  # the `period` key at the asked granularity
    bucket: str  # "" for a dated figure; a running total's (or unknown) period keeps its own
    stated: str  # the period as stated, in one spelling (`2016-12-02`, `2016-12-01/..`)
    start: int  # ordinal of the first day (running totals: their own row, never compared)
    end: int


def _period_columns(claims: list[Claim], per: TotalsPer) -> dict[str, np.ndarray]:
    """`kind`, `period` and the hidden columns for periods and spans, one value per claim:
    worked out once per distinct period text and dimension, then spread by array indexing."""
    index: dict[tuple, int] = {}
    distinct: list[_When] = []
    codes = []
    for c in claims:
        p = c.period
        key = (p.text if p is not None else None, c.figure.dimension)
        k = index.get(key)
        if k is None:
            k = index[key] = len(distinct)
            distinct.append(_when(c, per))
        codes.append(k)
    at = np.array(codes, dtype=np.int64)

    def spread(field: str, dtype: type = object) -> np.ndarray:
        return np.array([getattr(w, field) for w in distinct], dtype=dtype)[at]

    return {
        "kind": spread("kind"),
        PERIOD: spread("period"),
        "_bucket": spread("bucket"),
        "_stated": spread("stated"),
        "_start": spread("start", np.int64),
        "_end": spread("end", np.int64),
    }


def _when(c: Claim, per: TotalsPer) -> _When:
    people = c.figure.dimension in PEOPLE
    if c.period is None:
        kind = TotalKind.PEOPLE if people else TotalKind.QUANTITY
        return _When(kind.value, UNKNOWN_PERIOD, UNKNOWN_PERIOD, UNKNOWN_PERIOD, 0, 0)
    start, end = c.start, c.end
    written = _days(start, end)
    if start is None or end is None:
        kind = TotalKind.RUNNING_PEOPLE if people else TotalKind.RUNNING
        return _When(kind.value, written, written, written, 0, 0)
    kind = TotalKind.PEOPLE if people else TotalKind.QUANTITY
    return _When(
        kind.value, _bucket(start, end, per), "", written, start.toordinal(), end.toordinal()
    )


def _days(start: date | None, end: date | None) -> str:
    """A period in one spelling: `2016-12-02`, `2016-12`, `2016`, `2016-12-01/2016-12-02`,
    `../2016-12-02` (a whole month or year as it is usually written)."""
    if start is not None and end is not None and start.day == 1 and start < end:
        if (start.month, end.month, end.day) == (1, 12, 31) and start.year == end.year:
            return str(start.year)
        last = calendar.monthrange(start.year, start.month)[1]
        if (end.year, end.month, end.day) == (start.year, start.month, last):
            return f"{start.year}-{start.month:02d}"
    first = start.isoformat() if start else ".."
    last = end.isoformat() if end else ".."
    return first if first == last else f"{first}/{last}"


def _bucket(start: date, end: date, per: TotalsPer) -> str:
    """The day, ISO week or month a dated period lies in; its own days when it runs over two."""
    if per == TotalsPer.DAY and start == end:
        return start.isoformat()
    if per == TotalsPer.WEEK and start.isocalendar()[:2] == end.isocalendar()[:2]:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if per == TotalsPer.MONTH and (start.year, start.month) == (end.year, end.month):
        return f"{start.year}-{start.month:02d}"
    return _days(start, end)


def _itemised(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group: its keys, the itemised claims, their exact sums and how many periods they
    state, and the days the group's claims cover (its stated claims' too)."""
    everything = frame.groupby("_group", sort=False)
    out = everything[keys].first()
    items = frame[frame["_leaf"]].groupby("_group", sort=False)
    out["claims"] = items.size().reindex(out.index, fill_value=0)
    leaves = frame[frame["_leaf"]]
    for col in FIGURES:
        sums = _exact_sums(leaves, f"{col}_exact")
        out[col] = [sums.get(g, ZERO) for g in out.index]
    out["periods"] = items["_stated"].nunique().reindex(out.index, fill_value=0)
    starts = everything["_start"].min().reindex(out.index)
    ends = everything["_end"].max().reindex(out.index)
    out["span"] = [
        b or _days(date.fromordinal(int(s)), date.fromordinal(int(e)))
        for b, s, e in zip(out["_bucket"], starts, ends, strict=True)
    ]
    return out


def _exact_sums(frame: pd.DataFrame, col: str) -> dict[int, Decimal]:
    """The exact sum per group of a column of exact figures (text): pandas counts each
    distinct figure of each group in one pass, and each distinct figure is read once, so
    thousands of small groups (a row per day) cost no more than one big one."""
    counts = frame.groupby(["_group", col], sort=False, observed=True).size()
    groups = counts.index.get_level_values(0)
    values = counts.index.get_level_values(1)
    read: dict[str, Decimal] = {}
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for g, v, n in zip(groups, values, counts.to_numpy(), strict=True):
        x = read.get(v)
        if x is None:
            x = read[v] = Decimal(v)
        sums[g] += x * int(n)
    return {g: Decimal(exact(t)) for g, t in sums.items()}  # plainly: 4.0 -> 4, never 5E+3


def _uncovered(frame: pd.DataFrame, readings: dict[int, Reading]) -> None:
    """Each reading's itemised claims of its own row outside its containing claims, summed."""
    if not readings:
        return
    covered = [i for r in readings.values() for i in (r.covered or ())]
    mask = frame["_leaf"].to_numpy() & frame["_group"].isin(list(readings)).to_numpy()
    mask[covered] = False
    rest = frame[mask]
    lows, highs = _exact_sums(rest, "low_exact"), _exact_sums(rest, "high_exact")
    for g, r in readings.items():
        r.outside = Interval(lows.get(g, ZERO), highs.get(g, ZERO))


def _stated_columns(out: pd.DataFrame, readings: dict[int, Reading]) -> None:
    """The stated and combined columns of every row (empty where no containing claim is)."""
    n = len(out)
    cols: dict[str, list] = {c: [None] * n for c in ("stated_low", "stated_high",
                                                      "combined_low", "combined_high")}  # fmt: skip
    cols["stated_by"], cols["contained"], cols["note"] = [""] * n, [0] * n, [""] * n
    for pos, g in enumerate(out.index):
        r = readings.get(g)
        if r is None:
            continue
        cols["stated_low"][pos], cols["stated_high"][pos] = _plain(r.stated.lo), _plain(r.stated.hi)
        cols["stated_by"][pos] = _ids(r.widest)
        cols["contained"][pos], cols["note"][pos] = r.contained, r.note
        if r.inside is not None:
            both = r.inside + (r.outside or Interval.point(ZERO))
            cols["combined_low"][pos], cols["combined_high"][pos] = _plain(both.lo), _plain(both.hi)
    for name, values in cols.items():
        out[name] = pd.Series(values, index=out.index, dtype="object")


def _plain(x: Decimal) -> Decimal:
    """A figure as plainly written as the itemised sums: 325000.0 -> 325000."""
    return Decimal(exact(x))


def _ids(claims: list[Claim], shown: int = 3) -> str:
    """`a, b, c` or `a, b, c and 4 more`: the ids of a row's widest containing claims."""
    ids = ", ".join(c.id for c in claims[:shown])
    return ids + (f" and {len(claims) - shown} more" if len(claims) > shown else "")


def _sorted(out: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """Rows by their keys, kinds in `vocab.TotalKind`'s order, then unit and running period."""
    out = out.assign(_kind=out["kind"].map(_KIND_ORDER))
    return out.sort_values([*by, "_kind", "unit", "_bucket"], kind="stable")


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


def _divisor(unit: str, analysis: Analysis) -> tuple[str, Decimal]:
    """`unit`'s canonical unit and factor: totals of that dimension are shown in `unit`."""
    try:
        info = analysis.ledger.units.resolve(unit)
    except UnitError as exc:
        raise TotalsError(str(exc)) from None
    return info.canonical, info.factor


def _in_unit(out: pd.DataFrame, unit: str, canonical: str, factor: Decimal) -> None:
    """The figures of rows in `canonical` shown in the asked unit (an unbounded end stays)."""
    shown = out["unit"] == canonical
    for col in (*FIGURES, "stated_low", "stated_high", "combined_low", "combined_high"):
        out.loc[shown, col] = pd.Series(
            [None if v is None else v / factor for v in out.loc[shown, col]],
            index=out.index[shown], dtype="object",
        )  # fmt: skip
    out.loc[shown, "unit"] = unit
