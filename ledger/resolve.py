"""The resolve stage: structurally valid records -> typed `Claim`s, and the problems found.

Each written value is resolved once however many claims use it: a quantity phrase through
the grammar, a unit through pint, a place list through the gazetteer, a name through
orgs.yaml or items.yaml, a date text through the ISO parser. The answers (or their errors)
are remembered per distinct value for the whole load (units and names by `Units.lookup` and
`Hierarchy.lookup`, which hand errors back as values; phrases and dates here), so a million claims cost as much as the
handful of distinct values they hold. Equal texts are also stored once (interned), which is
most of what keeps a million claims small.

    records (dicts from records.py) -> Resolver.claims -> (list[Claim], list[Problem])
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .claim import Claim, Figure, SumAs, line_offsets
from .config import Tolerances
from .dates import DateError, Period, parse_period
from .hierarchy import Hierarchy, ResolveError
from .problems import Problem, error, warning
from .quantity import Quantity, QuantityError, parse_quantity, quantity_from_mapping
from .sources import Source
from .units import UnitError, UnitInfo, Units


@dataclass
class Context:
    """The ledger's reference data: what resolving and checking claims read besides claims."""

    sources: dict[str, Source]
    places: Hierarchy
    items: Hierarchy
    units: Units
    repo: Path
    orgs: Hierarchy | None = None
    tolerances: Tolerances = Tolerances()


def _caught(fn: Callable[[Any], Any], exc: type[Exception]) -> Callable[[Any], Any]:
    """`fn`, returning its error instead of raising it (answers are remembered either way)."""

    def call(value: Any) -> Any:
        try:
            return fn(value)
        except exc as err:
            return err

    return call


class _Memo(dict):
    """Answers per distinct hashable value."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Hashable) -> Any:
        value = self[key] = self.fn(key)
        return value


def _parse_quantity(q: Any) -> Quantity | QuantityError:
    try:
        if isinstance(q, dict):
            return quantity_from_mapping(q.get("value"), q.get("unit"), q.get("qualifier"))
        return parse_quantity(q)
    except QuantityError as exc:
        return exc


def _counted(
    value: tuple[Any, ...] | None,
) -> tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...] | None]:
    """`count_of` as the flat ids every other stage reads (references, cycles, containment),
    and its actions only when it groups ids (`[a, [b, c]]`): most claims store no groups."""
    if value is None or all(type(v) is str for v in value):
        return value, None
    groups = tuple((v,) if type(v) is str else tuple(v) for v in value)
    return tuple(i for g in groups for i in g), groups


class Resolver:
    """Resolves records into claims against one ledger's reference data."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.texts: dict[str, str] = {}
        self.phrases = _Memo(_parse_quantity)
        self.figures = _Memo(self._figure)
        self.tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.layouts: dict[tuple[int | None, ...], tuple[int | None, ...]] = {}
        self.periods = _Memo(_caught(parse_period, DateError))
        self.weights = _Memo(self._weight)

    def claims(self, records: list[dict[str, Any]]) -> tuple[list[Claim], list[Problem]]:
        problems: list[Problem] = []
        out = [self.claim(rec, problems) for rec in records]
        return out, problems

    def _shared(self, offsets: tuple[int | None, ...]) -> tuple[int | None, ...]:
        """One stored copy of each layout of key lines (claims are written alike)."""
        return self.layouts.setdefault(offsets, offsets)

    def _text(self, value: Any) -> Any:
        """One stored copy of each distinct text (claimants, units, places repeat a lot)."""
        if type(value) is str:
            return self.texts.setdefault(value, value)
        return value

    def claim(self, rec: dict[str, Any], problems: list[Problem]) -> Claim:
        file, line, lines = rec["file"], rec["line"], rec["lines"]

        def at(key: str) -> tuple[str, int]:
            return file, lines.get(key, line)

        t = self._text
        raw_q = rec.get("quantity")
        quantity, unit = self._quantity(raw_q, at, problems)
        written_q = raw_q if isinstance(raw_q, str) else (quantity.text if quantity else None)
        places = rec.get("places")
        count_of, groups = _counted(rec.get("count_of"))
        return Claim(
            id=rec.get("id"),
            source=t(rec.get("source")),
            claimant=t(rec.get("claimant")),
            provider=t(rec.get("provider")),
            status=t(rec.get("status")),
            item=t(rec.get("item")),
            quantity_text=t(written_q),
            places=self._places_written(places),
            quote=rec.get("quote"),
            notes=rec.get("notes"),
            sum_of=rec.get("sum_of"),
            count_of=count_of,
            count_groups=groups,
            same_as=rec.get("same_as"),
            sum_as=self._sum_as(rec.get("sum_as"), unit, at, problems),
            quantity=quantity,
            unit=unit,
            figure=self.figures[(quantity, unit)] if quantity is not None else None,
            period=self._period(rec, at, problems),
            place_names=self._places(places, at, problems),
            item_name=self._item(rec.get("item"), at, problems),
            provider_org=self._org(rec.get("provider"), "provider", at, problems),
            claimant_org=self._org(rec.get("claimant"), "claimant", at, problems),
            file=file,
            line=line,
            lines=self._shared(line_offsets(line, lines)),
        )

    def _quantity(
        self, raw: Any, at: Callable[[str], tuple[str, int]], problems: list[Problem]
    ) -> tuple[Quantity | None, UnitInfo | None]:
        if raw is None:
            return None, None
        parsed = self.phrases[raw] if isinstance(raw, str) else _parse_quantity(raw)
        if isinstance(parsed, QuantityError):
            problems.append(error(*at("quantity"), parsed.code, str(parsed)))
            return None, None
        if parsed.unit is None:
            return parsed, None
        info = self.ctx.units.lookup(parsed.unit)
        if isinstance(info, UnitError):
            problems.append(error(*at("quantity"), info.code, str(info)))
            return None, None
        if info.warning:
            problems.append(warning(*at("quantity"), "unit-ambiguous-ton", info.warning))
        return parsed, info

    def _figure(self, key: tuple[Quantity, UnitInfo | None]) -> Figure:
        return Figure.of(*key, self.ctx.tolerances)

    def _sum_as(
        self,
        text: str | None,
        unit: UnitInfo | None,
        at: Callable[[str], tuple[str, int]],
        problems: list[Problem],
    ) -> SumAs | None:
        """The claim's `sum_as`, with its problems at the key's line. One in the claim's own
        dimension is a warning: a sum in that dimension reads the claim's figure itself."""
        if not isinstance(text, str):
            return None
        weight, notes = self.weights[text]
        for is_error, code, msg in notes:
            problems.append((error if is_error else warning)(*at("sum_as"), code, msg))
        fig = weight.figure if weight is not None else None
        if fig is not None and unit is not None and fig.dimension == unit.dimension:
            msg = (
                f"`sum_as: {text}` is a {unit.dimension}, as the claim's own figure is, and a "
                f"sum of {unit.dimension} reads that figure itself; remove `sum_as`, or give "
                "it in the unit of the sum the claim is part of."
            )
            problems.append(warning(*at("sum_as"), "sum-as-redundant", msg))
        return weight

    def _weight(self, text: str) -> tuple[SumAs | None, list[tuple[bool, str, str]]]:
        """`sum_as` read once per distinct text, through the quantity grammar and the ledger's
        units: the `SumAs` (None when unusable) and its problems as (is_error, code, message)."""
        if text.lower() == "unknown":
            return SumAs(text, None, None), []
        takes = "`sum_as` takes `unknown`, or a figure such as `at least 2 t`"
        parsed = self.phrases[text]
        if isinstance(parsed, QuantityError):
            msg = f"`sum_as: {text}`: {str(parsed).rstrip('.')}; {takes}."
            return None, [(True, "sum-as-invalid", msg)]
        if parsed.unit is None:
            msg = (
                f"`sum_as: {text}` adds nothing, which needs no `sum_as`; when the amount is not "
                "known write `sum_as: unknown`, else a figure such as `at least 2 t`."
            )
            return None, [(True, "sum-as-invalid", msg)]
        info = self.ctx.units.lookup(parsed.unit)
        if isinstance(info, UnitError):
            return None, [(True, "sum-as-invalid", f"`sum_as: {text}`: {info}")]
        notes = [(False, "unit-ambiguous-ton", info.warning)] if info.warning else []
        return SumAs(text, parsed, self.figures[(parsed, info)]), notes

    def _places_written(self, places: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if places is None else self.tuples.setdefault(places, places)

    def _places(
        self,
        places: tuple[str, ...] | None,
        at: Callable[[str], tuple[str, int]],
        problems: list[Problem],
    ) -> tuple[str, ...] | None:
        if places is None:
            return None
        if not places:
            msg = "`places` is empty; name at least the country (`Syria`)."
            problems.append(error(*at("places"), "places-empty", msg))
        out = []
        for name in places:
            hit = self.ctx.places.lookup(name)
            if isinstance(hit, ResolveError):
                problems.append(error(*at("places"), hit.code, str(hit)))
            else:
                out.append(hit)
        if len(out) != len(places):
            return None
        resolved = tuple(out)
        return self.tuples.setdefault(resolved, resolved)

    def _item(
        self, item: str | None, at: Callable[[str], tuple[str, int]], problems: list[Problem]
    ) -> str | None:
        if not isinstance(item, str):
            return None
        hit = self.ctx.items.lookup(item)
        if isinstance(hit, ResolveError):
            severity = error if hit.code.endswith("ambiguous") else warning
            problems.append(severity(*at("item"), hit.code, str(hit)))
            return None
        return hit

    def _org(
        self,
        name: str | None,
        key: str,
        at: Callable[[str], tuple[str, int]],
        problems: list[Problem],
    ) -> str | None:
        if self.ctx.orgs is None or not isinstance(name, str):
            return None
        hit = self.ctx.orgs.lookup(name)
        if isinstance(hit, ResolveError):
            problems.append(error(*at(key), hit.code, str(hit)))
            return None
        return hit

    def _period(
        self, rec: dict[str, Any], at: Callable[[str], tuple[str, int]], problems: list[Problem]
    ) -> Period | None:
        period, day = rec.get("period"), rec.get("date")
        text = period if isinstance(period, str) else day if isinstance(day, str) else None
        if text is None:
            return None
        key = "period" if isinstance(period, str) else "date"
        hit = self.periods[text]
        if isinstance(hit, DateError):
            problems.append(error(*at(key), hit.code, str(hit)))
            return None
        if key == "date" and "/" in text:
            msg = f"`date: {text}` is a period; write it as `period: {text}`."
            problems.append(warning(*at(key), "date-is-period", msg))
        return hit
