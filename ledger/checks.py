"""The meaning stage: each check reads claim columns and returns problems.

Checks work on distinct values, not rows: a unit, a place name, a date text or a quantity
phrase is resolved once however many claims use it, then mapped back onto the column.
Each check has the shape `(claims, context) -> problems` and may add columns to `claims`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from .dates import DateError, Period, parse_period
from .hierarchy import Hierarchy, ResolveError
from .numbers import figure_written, has_negation, numbers_in_text
from .problems import Problem, error, warning
from .quantity import Quantity, QuantityError, parse_quantity, quantity_from_mapping
from .sources import Source, quote_found, quote_pieces
from .units import UnitError, UnitInfo, Units


@dataclass
class Context:
    """What the checks need besides the claims: the ledger's reference data."""

    sources: dict[str, Source]
    places: Hierarchy
    items: Hierarchy
    units: Units
    repo: Path
    orgs: Hierarchy | None = None
    _where: Where | None = None

    def where(self, claims: pd.DataFrame) -> Where:
        """Claim locations, read once per load (every check needs them for its problems)."""
        if self._where is None:
            self._where = Where(claims)
        return self._where


class Where:
    """Where each claim was written: file, line and the line of each key, by position.

    Checks loop over plain column lists (far cheaper than building a row object per claim)
    and only look up a location when they have a problem to report.
    """

    def __init__(self, claims: pd.DataFrame) -> None:
        self.file = list(claims["file"])
        self.line = list(claims["line"])
        self.lines = list(claims["lines"])

    def __call__(self, i: int, key: str) -> tuple[str, int]:
        return self.file[i], self.lines[i].get(key, self.line[i])


def _set(claims: pd.DataFrame, name: str, values: list[Any]) -> None:
    """Add a column of objects: a missing value stays None (pandas 3 would infer a string
    column from a list of names and None, and turn None into NaN, which is truthy)."""
    claims[name] = pd.Series(values, index=claims.index, dtype=object)


def _distinct(values: Iterable[Any], fn: Callable[[Any], Any]) -> dict[Hashable, Any]:
    """Apply `fn` once per distinct hashable value."""
    out: dict[Hashable, Any] = {}
    for v in values:
        if isinstance(v, Hashable) and v not in out:
            out[v] = fn(v)
    return out


def check_ids(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    where = ctx.where(claims)
    problems = []
    first: dict[str, int] = {}
    for i, cid in enumerate(claims["id"]):
        if not isinstance(cid, str):
            continue
        if cid in first:
            prev = first[cid]
            msg = (
                f"the id `{cid}` is already used at {where.file[prev]}:{where.line[prev]}; "
                "ids are unique."
            )
            problems.append(error(*where(i, "id"), "id-duplicate", msg))
        else:
            first[cid] = i
    return problems


def check_sources(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    from .problems import did_you_mean

    where = ctx.where(claims)
    problems = []
    reported: set[tuple[str, str]] = set()
    for i, source in enumerate(claims["source"]):
        if source is None or source in ctx.sources or (where.file[i], source) in reported:
            continue
        reported.add((where.file[i], source))
        msg = (
            f"unknown source `{source}`; add it to sources.yaml.{did_you_mean(source, ctx.sources)}"
        )
        problems.append(error(*where(i, "source"), "source-unknown", msg))
    return problems


def _parse(q: Any) -> Quantity | QuantityError:
    try:
        if isinstance(q, dict):
            return quantity_from_mapping(q.get("value"), q.get("unit"), q.get("qualifier"))
        return parse_quantity(q)
    except QuantityError as exc:
        return exc


def check_quantities(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    """Parse each distinct phrase once; resolve each distinct unit once through pint."""
    where = ctx.where(claims)
    phrases = _distinct((q for q in claims["quantity"] if isinstance(q, str)), _parse)
    parsed = [phrases[q] if isinstance(q, str) else _parse(q) if q is not None else None
              for q in claims["quantity"]]  # fmt: skip
    units = _distinct(
        {p.unit for p in parsed if isinstance(p, Quantity) and p.unit}, _unit(ctx.units)
    )
    problems = []
    qty_col: list[Quantity | None] = []
    unit_col: list[UnitInfo | None] = []
    for i, p in enumerate(parsed):
        info = None
        if isinstance(p, QuantityError):
            problems.append(error(*where(i, "quantity"), p.code, str(p)))
            p = None
        elif p is not None and p.unit is not None:
            info = units[p.unit]
            if isinstance(info, UnitError):
                problems.append(error(*where(i, "quantity"), info.code, str(info)))
                p, info = None, None
            elif info.warning:
                problems.append(warning(*where(i, "quantity"), "unit-ambiguous-ton", info.warning))
        qty_col.append(p)
        unit_col.append(info)
    _set(claims, "parsed", qty_col)
    _set(claims, "unit_info", unit_col)
    return problems


def _unit(units: Units) -> Callable[[str], UnitInfo | UnitError]:
    return _caught(units.resolve, UnitError)


def _caught(fn: Callable[[str], Any], exc: type[Exception]) -> Callable[[str], Any]:
    """`fn`, returning its error instead of raising it (for `_distinct` tables)."""

    def call(value: str) -> Any:
        try:
            return fn(value)
        except exc as err:
            return err

    return call


def check_items(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    """Items resolve through items.yaml; where an item names a dimension the unit must fit."""
    where = ctx.where(claims)
    resolved = _distinct((i for i in claims["item"] if isinstance(i, str)), _resolver(ctx.items))
    dims = {
        name: _item_dimension(ctx.items, name)
        for name in resolved.values()
        if isinstance(name, str)
    }
    problems = []
    names: list[str | None] = []
    for i, (item, info) in enumerate(zip(claims["item"], claims["unit_info"], strict=True)):
        hit = resolved.get(item) if isinstance(item, str) else None
        if isinstance(hit, ResolveError):
            sev = error if hit.code.endswith("ambiguous") else warning
            problems.append(sev(*where(i, "item"), hit.code, str(hit)))
            hit = None
        names.append(hit)
        if hit is None or info is None:
            continue
        want = dims[hit]
        if want is not None and want != info.dimension:
            msg = (
                f"`{item}` is measured as {want}, but `{info.written}` measures "
                f"{info.dimension}; write the figure in a {want} unit"
                + (" such as `t` or `kg`." if want == "mass" else f" such as `{want}`.")
            )
            problems.append(error(*where(i, "quantity"), "item-unit-mismatch", msg))
    _set(claims, "item_name", names)
    return problems


def _item_dimension(items: Hierarchy, name: str) -> str | None:
    for n in (name, *items.ancestors(name)):
        dim = items.get(n, "dimension")
        if dim:
            return str(dim)
    return None


def _resolver(tree: Hierarchy) -> Callable[[str], str | ResolveError]:
    return _caught(tree.resolve, ResolveError)


def check_places(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    where = ctx.where(claims)
    names = {n for ps in claims["places"] if isinstance(ps, tuple) for n in ps}
    resolved = _distinct(names, _resolver(ctx.places))
    problems = []
    col: list[tuple[str, ...] | None] = []
    for i, places in enumerate(claims["places"]):
        if not isinstance(places, tuple):
            col.append(None)
            continue
        if not places:
            msg = "`places` is empty; name at least the country (`Syria`)."
            problems.append(error(*where(i, "places"), "places-empty", msg))
        out = []
        for name in places:
            hit = resolved[name]
            if isinstance(hit, ResolveError):
                problems.append(error(*where(i, "places"), hit.code, str(hit)))
            else:
                out.append(hit)
        col.append(tuple(out) if len(out) == len(places) else None)
    _set(claims, "place_names", col)
    return problems


_period: Callable[[str], Period | DateError] = _caught(parse_period, DateError)


def check_dates(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    where = ctx.where(claims)
    texts = [p if isinstance(p, str) else d if isinstance(d, str) else None
             for d, p in zip(claims["date"], claims["period"], strict=True)]  # fmt: skip
    parsed = _distinct((t for t in texts if t is not None), _period)
    problems = []
    col: list[Period | None] = []
    for i, (text, period) in enumerate(zip(texts, claims["period"], strict=True)):
        hit = parsed.get(text) if text is not None else None
        key = "period" if isinstance(period, str) else "date"
        if isinstance(hit, DateError):
            problems.append(error(*where(i, key), hit.code, str(hit)))
            hit = None
        elif key == "date" and hit is not None and "/" in text:
            msg = f"`date: {text}` is a period; write it as `period: {text}`."
            problems.append(warning(*where(i, key), "date-is-period", msg))
        col.append(hit)
    _set(claims, "when", col)
    return problems


def check_references(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    """`sum_of`, `count_of` and `same_as` name existing claims, not themselves, with no cycle."""
    where = ctx.where(claims)
    ids = {i for i in claims["id"] if isinstance(i, str)}
    problems = []
    graph: dict[str, tuple[str, ...]] = {}
    cols = zip(claims["id"], claims["sum_of"], claims["count_of"], claims["same_as"], strict=True)
    for i, (cid, sum_of, count_of, same) in enumerate(cols):
        for key, refs in (("sum_of", sum_of), ("count_of", count_of)):
            if not isinstance(refs, tuple):
                continue
            at = where(i, key)
            if not refs:
                msg = f"`{key}` is empty; list the ids of the parts, or remove the key."
                problems.append(error(*at, f"{key.replace('_', '-')}-empty", msg))
            for ref in refs:
                problems.extend(_ref_problem(cid, key, ref, ids, at))
            twice = sorted({r for r in refs if refs.count(r) > 1})
            if twice:
                msg = f"`{key}` lists {', '.join(f'`{r}`' for r in twice)} more than once; a part counts once."
                problems.append(error(*at, f"{key.replace('_', '-')}-duplicate", msg))
            if key == "sum_of" and isinstance(cid, str):
                graph[cid] = tuple(r for r in refs if r in ids and r != cid)
        if isinstance(same, str):
            problems.extend(_ref_problem(cid, "same_as", same, ids, where(i, "same_as")))
    problems.extend(_cycles(claims, graph, where))
    return problems


def _ref_problem(cid: Any, key: str, ref: str, ids: set[str], at: tuple[str, int]) -> list[Problem]:
    code = key.replace("_", "-")
    if ref == cid:
        return [error(*at, f"{code}-self", f"`{key}` names the claim itself (`{ref}`).")]
    if ref not in ids:
        from .problems import did_you_mean

        msg = f"`{key}` names `{ref}`, which is not a claim id in this ledger.{did_you_mean(ref, ids)}"
        return [error(*at, f"{code}-unknown", msg)]
    return []


def _cycles(claims: pd.DataFrame, graph: dict[str, tuple[str, ...]], where: Where) -> list[Problem]:
    """Report each claim that reaches itself through `sum_of` (iterative DFS, no recursion)."""
    position = {cid: i for i, cid in enumerate(claims["id"]) if cid in graph}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    problems = []
    for start in graph:
        if state.get(start):
            continue
        stack = [(start, iter(graph.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                loop = path[path.index(child) :] + [child]
                msg = (
                    "`sum_of` forms a cycle: "
                    + " -> ".join(loop)
                    + "; a claim cannot add up itself."
                )
                problems.append(error(*where(position[child], "sum_of"), "sum-of-cycle", msg))
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph.get(child, ()))))
    return problems


def check_quotes(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    """Each quote is found in its source's document (read once per source) and states the figure.

    Both answers are worked out once per distinct (source, quote) and (quote, figure): a quote
    that several claims share (one sentence stating three zero figures) is searched once.
    """
    where = ctx.where(claims)
    problems = []
    found: dict[tuple[str | None, str], bool | None] = {}  # None: an empty quote
    figures: dict[tuple, str | None] = {}
    unreadable: set[str] = set()
    cols = zip(claims["source"], claims["quote"], claims["parsed"], strict=True)
    for i, (source, quote, p) in enumerate(cols):
        if not isinstance(quote, str):
            continue
        src = ctx.sources.get(source) if source else None
        key = (source, quote)
        if key not in found:
            pieces = quote_pieces(quote)
            text = src.normalised_text() if src is not None and pieces else None
            if src is not None and src.problems and src.id not in unreadable:
                unreadable.add(src.id)  # its quotes cannot be checked: say so, once
                problems += src.problems
            found[key] = None if not pieces else text is None or quote_found(pieces, text)
        if found[key] is None:
            msg = "the quote is empty; copy the words of the source that state the figure."
            problems.append(error(*where(i, "quote"), "quote-empty", msg))
            continue
        if not found[key]:
            msg = (
                f"the quote is not in `{src.document}`; copy it verbatim from the document "
                "(white space, quote marks and dashes may differ; mark skipped text with `...`)."
            )
            problems.append(error(*where(i, "quote"), "quote-not-found", msg))
            continue
        if p is not None:
            lang = src.language if src else None
            fkey = (quote, lang, p.family, p.value, p.low, p.high)
            if fkey not in figures:
                figures[fkey] = _figure_missing(p, quote, lang)
            if figures[fkey]:
                problems.append(error(*where(i, "quote"), "quote-number-missing", figures[fkey]))
    return problems


def _figure_missing(p: Quantity, quote: str, lang: str | None) -> str | None:
    if p.high == 0:
        if has_negation(quote, lang) or Decimal(0) in numbers_in_text(quote, lang):
            return None
        return (
            "the claim's figure is zero, but the quote neither says 0 nor denies anything "
            "(`not`, `no`, `none`, `yet to`); quote the sentence that says nothing was given."
        )
    wanted = {p.low, p.high} if p.family == "between" else {p.value}
    wanted = {w for w in wanted if not figure_written(quote, w, lang)}  # the quick way first
    found = numbers_in_text(quote, lang) if wanted else set()  # words, scales, odd forms
    lost = [w for w in wanted if w not in found]
    if not lost:
        return None
    shown = ", ".join(f"{w.normalize():f}" for w in lost)
    return (
        f"the figure {shown} does not appear in the quote (in digits or words); quote the "
        "sentence that states it, or write the figure as the source does."
    )


def check_orgs(claims: pd.DataFrame, ctx: Context) -> list[Problem]:
    """`provider` and `claimant` resolve through orgs.yaml, when the ledger has one.

    Adds `provider_org` and `claimant_org`: the organisations' names in orgs.yaml (None when
    unresolved, or when there is no orgs.yaml and names are compared as written).
    """
    problems: list[Problem] = []
    for key in ("provider", "claimant"):
        if ctx.orgs is None:
            _set(claims, f"{key}_org", [None] * len(claims))
            continue
        names = _distinct((n for n in claims[key] if isinstance(n, str)), _resolver(ctx.orgs))
        col: list[str | None] = []
        where = ctx.where(claims)
        for i, name in enumerate(claims[key]):
            hit = names.get(name) if isinstance(name, str) else None
            if isinstance(hit, ResolveError):
                problems.append(error(*where(i, key), hit.code, str(hit)))
                hit = None
            col.append(hit)
        _set(claims, f"{key}_org", col)
    return problems


STAGES: tuple[Callable[[pd.DataFrame, Context], list[Problem]], ...] = (
    check_ids,
    check_sources,
    check_quantities,
    check_items,
    check_places,
    check_orgs,
    check_dates,
    check_references,
    check_quotes,
)
