"""The meaning checks: plain functions `(claims, context) -> problems` over resolved claims.

Every check reads only `Claim` attributes the resolve stage set (each says which in `READS`)
and the reference data in `Context`; none adds anything another check needs, so their order
in `CHECKS` is only the order their problems are found in (the ledger sorts them anyway).
Answers are worked out once per distinct value (a quote that several claims share is
searched once).

A new check goes here: write `check_x(claims, ctx)`, name what it reads, add it to `CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from .claim import Claim
from .numbers import figure_written, has_negation, numbers_in_text
from .problems import Problem, did_you_mean, error
from .quantity import Quantity
from .quoteunits import check_quote_units
from .resolve import Context
from .sources import quote_found, quote_pieces
from .vocab import Family

Check = Callable[[Sequence[Claim], Context], list[Problem]]


def reads(*fields: str) -> Callable[[Check], Check]:
    """Name the claim attributes a check reads (kept on the function as `READS`)."""

    def mark(fn: Check) -> Check:
        fn.READS = fields  # type: ignore[attr-defined]
        return fn

    return mark


@reads("id")
def check_ids(claims: Sequence[Claim], ctx: Context) -> list[Problem]:
    """Ids are unique across the ledger."""
    problems = []
    first: dict[str, Claim] = {}
    for c in claims:
        if c.id is None:
            continue
        prev = first.setdefault(c.id, c)
        if prev is not c:
            msg = f"the id `{c.id}` is already used at {prev.location}; ids are unique."
            problems.append(error(*c.at("id"), "id-duplicate", msg))
    return problems


@reads("source")
def check_sources(claims: Sequence[Claim], ctx: Context) -> list[Problem]:
    """A claim file's `source` names an entry of sources.yaml (said once per file)."""
    problems = []
    reported: set[tuple[str, str]] = set()
    for c in claims:
        if c.source is None or c.source in ctx.sources or (c.file, c.source) in reported:
            continue
        reported.add((c.file, c.source))
        msg = f"unknown source `{c.source}`; add it to sources.yaml.{did_you_mean(c.source, ctx.sources)}"
        problems.append(error(*c.at("source"), "source-unknown", msg))
    return problems


@reads("item", "item_name", "unit")
def check_item_units(claims: Sequence[Claim], ctx: Context) -> list[Problem]:
    """Where an item (or its parent) names a dimension in items.yaml, the unit must fit it."""
    dims: dict[str, str | None] = {}
    problems = []
    for c in claims:
        if c.item_name is None or c.unit is None:
            continue
        if c.item_name not in dims:
            dim = ctx.items.first(c.item_name, "dimension")
            dims[c.item_name] = None if dim is None else str(dim)
        want = dims[c.item_name]
        if want is not None and want != c.unit.dimension:
            msg = (
                f"`{c.item}` is measured as {want}, but `{c.unit.written}` measures "
                f"{c.unit.dimension}; write the figure in a {want} unit"
                + (" such as `t` or `kg`." if want == "mass" else f" such as `{want}`.")
            )
            problems.append(error(*c.at("quantity"), "item-unit-mismatch", msg))
    return problems


@reads("id", "sum_of", "count_of", "same_as")
def check_references(claims: Sequence[Claim], ctx: Context) -> list[Problem]:
    """`sum_of`, `count_of` and `same_as` name existing claims, not themselves, with no cycle."""
    ids = {c.id for c in claims if c.id is not None}
    problems = []
    graph: dict[str, tuple[Link, ...]] = {}
    for c in claims:
        links: dict[str, str] = {}  # part -> the key naming it (`sum_of` first: one link)
        for key, refs in (("sum_of", c.sum_of), ("count_of", c.count_of)):
            if refs is None:
                continue
            at = c.at(key)
            code = key.replace("_", "-")
            if not refs:
                msg = f"`{key}` is empty; list the ids of the parts, or remove the key."
                problems.append(error(*at, f"{code}-empty", msg))
            for ref in refs:
                problems.extend(_ref_problem(c.id, key, ref, ids, at))
            twice = sorted({r for r in refs if refs.count(r) > 1})
            if twice:
                msg = f"`{key}` lists {', '.join(f'`{r}`' for r in twice)} more than once; a part counts once."
                problems.append(error(*at, f"{code}-duplicate", msg))
            for r in refs:
                if r in ids and r != c.id:
                    links.setdefault(r, key)
        if c.id is not None and (c.sum_of is not None or c.count_of is not None):
            graph[c.id] = tuple(links.items())
        if c.same_as is not None:
            problems.extend(_ref_problem(c.id, "same_as", c.same_as, ids, c.at("same_as")))
    problems.extend(_cycles(claims, graph))
    return problems


def _ref_problem(
    cid: str | None, key: str, ref: str, ids: set[str], at: tuple[str, int]
) -> list[Problem]:
    code = key.replace("_", "-")
    if ref == cid:
        return [error(*at, f"{code}-self", f"`{key}` names the claim itself (`{ref}`).")]
    if ref not in ids:
        msg = f"`{key}` names `{ref}`, which is not a claim id in this ledger.{did_you_mean(ref, ids)}"
        return [error(*at, f"{code}-unknown", msg)]
    return []


Link = tuple[str, str]  # (the id a claim names, the key that names it: `sum_of` or `count_of`)


def _cycles(claims: Sequence[Claim], graph: dict[str, tuple[Link, ...]]) -> list[Problem]:
    """Report each claim that reaches itself through `sum_of` and/or `count_of` links.

    An iterative depth-first walk (no recursion: a chain of 100,000 sums is fine), each link
    followed once and the place of each claim on the current path kept in a dict, so the walk
    stays linear in claims plus links however deep or tangled the references are.
    """
    last = {c.id: c for c in claims if c.id in graph}  # a repeated id: reported at its last use
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    problems = []
    for start in graph:
        if state.get(start):
            continue
        stack = [iter(graph[start])]
        path, keys = [start], []  # keys[i]: the link from path[i] to path[i + 1]
        where = {start: 0}
        state[start] = 1
        while stack:
            link = next(stack[-1], None)
            if link is None:
                node = path.pop()
                state[node] = 2
                del where[node]
                stack.pop()
                if keys:
                    keys.pop()
                continue
            child, key = link
            if state.get(child) == 1:
                i = where[child]
                problems.append(_cycle_problem(last[child], path[i:] + [child], keys[i:] + [key]))
            elif not state.get(child):
                state[child] = 1
                where[child] = len(path)
                path.append(child)
                keys.append(key)
                stack.append(iter(graph.get(child, ())))
    return problems


def _cycle_problem(first: Claim, loop: list[str], keys: list[str]) -> Problem:
    """`sum-of-cycle` for a loop of sums alone, `count-of-cycle` once a count is in it (a
    count of claims that count or add up the counting claim is as circular as a sum)."""
    shown = " -> ".join(loop)
    at = first.at(keys[0])
    if set(keys) == {"sum_of"}:
        msg = f"`sum_of` forms a cycle: {shown}; a claim cannot add up itself."
        return error(*at, "sum-of-cycle", msg)
    if len(keys) <= 6:
        steps = ", ".join(f"`{a}` {k} `{b}`" for a, k, b in zip(loop, keys, loop[1:], strict=False))
    else:  # a long loop: its path above already names every claim
        steps = f"{keys.count('sum_of')} `sum_of` and {keys.count('count_of')} `count_of` links"
    if set(keys) == {"count_of"}:
        head = f"`count_of` forms a cycle: {shown} ({steps}); a claim cannot count itself"
    else:
        head = (
            f"`sum_of` and `count_of` form a cycle: {shown} ({steps}); a claim cannot add up "
            "or count itself"
        )
    msg = head + ": remove the id that leads back from one of these lists."
    return error(*at, "count-of-cycle", msg)


@reads("source", "quote", "quantity")
def check_quotes(claims: Sequence[Claim], ctx: Context) -> list[Problem]:
    """Each quote is found in its source's document (read once per source) and states the figure.

    Both answers are worked out once per distinct (source, quote) and (quote, figure): a quote
    that several claims share (one sentence stating three zero figures) is searched once.
    Claims of one source stand together (a claim file has one source), so the answers are
    kept only while the source stays the same: a million distinct quotes are never all held.
    """
    problems = []
    found: dict[tuple[str | None, str], bool | None] = {}  # None: an empty quote
    figures: dict[tuple, str | None] = {}
    unreadable: set[str] = set()
    current: str | None = None
    for c in claims:
        if c.quote is None:
            continue
        if c.source != current:
            if current in ctx.sources:
                ctx.sources[current].forget_text()
            current = c.source
            found.clear()
            figures.clear()
        src = ctx.sources.get(c.source) if c.source else None
        key = (c.source, c.quote)
        if key not in found:
            pieces = quote_pieces(c.quote)
            text = src.normalised_text() if src is not None and pieces else None
            if src is not None and src.problems and src.id not in unreadable:
                unreadable.add(src.id)  # its quotes cannot be checked: say so, once
                problems += src.problems
            found[key] = None if not pieces else text is None or quote_found(pieces, text)
        if found[key] is None:
            msg = "the quote is empty; copy the words of the source that state the figure."
            problems.append(error(*c.at("quote"), "quote-empty", msg))
            continue
        if not found[key]:
            msg = (
                f"the quote is not in `{src.document}`; copy it verbatim from the document "
                "(white space, quote marks and dashes may differ; mark skipped text with `...`)."
            )
            problems.append(error(*c.at("quote"), "quote-not-found", msg))
            continue
        p = c.quantity
        if p is not None:
            lang = src.language if src else None
            fkey = (c.quote, lang, p.family, p.value, p.low, p.high)
            if fkey not in figures:
                figures[fkey] = _figure_missing(p, c.quote, lang)
            if figures[fkey]:
                problems.append(error(*c.at("quote"), "quote-number-missing", figures[fkey]))
    return problems


def _figure_missing(p: Quantity, quote: str, lang: str | None) -> str | None:
    if p.high == 0:
        if has_negation(quote, lang) or Decimal(0) in numbers_in_text(quote, lang):
            return None
        return (
            "the claim's figure is zero, but the quote neither says 0 nor denies anything "
            "(`not`, `no`, `none`, `yet to`); quote the sentence that says nothing was given."
        )
    wanted = {p.low, p.high} if p.family == Family.BETWEEN else {p.value}
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


CHECKS: tuple[Check, ...] = (
    check_ids,
    check_sources,
    check_item_units,
    check_references,
    check_quotes,
    check_quote_units,
)


def run_checks(claims: Sequence[Claim], ctx: Context) -> list[Problem]:
    """Every check over the resolved claims; each one's problems, collected."""
    problems: list[Problem] = []
    for check in CHECKS:
        problems += check(claims, ctx)
    return problems
