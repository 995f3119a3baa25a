"""Blow-up shapes for benchmarks: small ledgers built to hit the quadratic corners (issue 11).

`make bench` (benchmarks/run.py) writes each shape into `.bench/shape-<name>/` and times cold
`check` and `report --format json` on it; the issue's target is under 10 s and 500 MB each.
A person can write one by hand: `python benchmarks/shapes.py --shape chain --out DIR`.

The shapes (each a valid ledger in the layout benchmarks/generate.py writes: sources.yaml, the
generator's gazetteer of about 4,000 places, its items.yaml and orgs.yaml, the repository's
units.txt and config.yaml, one claim file per source, every quote verbatim in its document):

    same-scope-1000   1,000 deliveries with one scope (provider, item, places, date) from two
                      sources, half each, figures that all overlap (5 t, about 5 t, between
                      4 and 6 t, more than 4 t): every pair across the two sources is a
                      possible double count (250,000 pairs)
    same-scope-2000   the same with 2,000 claims (1,000,000 pairs)
    zero-vs-delivery  500 zero claims (`quantity: none`, "has not delivered any aid", as the
                      generator writes them) from one source and 500 deliveries from another,
                      in one scope: every zero is contradicted by every delivery (250,000)
    chain             a `sum_of` chain 10,000 long: each claim sums the next (10,001 claims,
                      one scope and figure, one source), as in tests/test_analysis.py
    unknown-places    5,000 claims, each naming a distinct place that is not in the gazetteer
                      (a near miss of a real entry, so "did you mean" has work to do): `check`
                      reports exactly one `place-unknown` error per claim, nothing else

Every shape but `unknown-places` checks with 0 errors and 0 warnings. What each shape is
expected to give is in `Shape.expect_errors` (the errors `check` must report: anything else
means the generator or the checker is broken, and the timing would measure the wrong path).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # the generator beside this file (not packaged)

import generate as gen  # noqa: E402

SHAPES_VERSION = 1  # bump when a shape's output changes
MARKER = "bench-shape.json"
DAY = date(2016, 12, 2)
PROVIDER = "Russia"
CLAIMANT = "Russian Ministry of Defence"


@dataclass(frozen=True)
class Shape:
    name: str
    about: str
    write: Callable[[Path, int, int], int]  # (data folder parent, size, seed) -> claims
    size: int  # the size; tests use smaller ones
    expect_errors: Callable[[int], int] = lambda claims: 0  # errors `check` must report


@dataclass
class Row:
    """One claim as written: the scope fields of every shape, its figure and quote."""

    id: str
    quantity: str
    place: str
    quote: str
    item: str = "flour"
    status: str = "delivered"
    sum_of: str | None = None


class Writer:
    """The reference files of a generated ledger, then sources added one at a time."""

    def __init__(self, out: Path, seed: int) -> None:
        self.out = out
        self.seed = seed
        _prepare(out)
        self.gaz = gen._gazetteer(random.Random(f"aid-ledger-bench:{seed}:places"))
        data = out / "data"
        (data / "places.yaml").write_text(gen._places_yaml(self.gaz, seed), encoding="utf-8")
        (data / "items.yaml").write_text(gen._items_yaml(), encoding="utf-8")
        (data / "orgs.yaml").write_text(gen._orgs_yaml(), encoding="utf-8")
        (data / "units.txt").write_text(gen._repo_file("units.txt"), encoding="utf-8")
        (data / "config.yaml").write_text(gen._repo_file("config.yaml"), encoding="utf-8")
        self.sources: list[str] = [f"# Sources of a benchmark blow-up shape (seed {seed}).\n"]
        self.claims = 0

    def place(self) -> str:
        """A community of the gazetteer: the one place every claim of a one-scope shape names."""
        return self.gaz.districts[1][0].communities[1].name

    def source(self, source_id: str, rows: list[Row]) -> None:
        head = (
            f"# A benchmark blow-up shape (aid-ledger bench, seed {self.seed}); each quote is\n"
            f"# verbatim in seeds/{source_id}.txt.\nsource: {source_id}\nclaims:\n"
        )
        out = [head]
        for r in rows:
            text = (
                f"  - id: {r.id}\n    claimant: {CLAIMANT}\n    provider: {PROVIDER}\n"
                f"    status: {r.status}\n    item: {r.item}\n    quantity: {r.quantity}\n"
                f"    places: [{r.place}]\n    date: {DAY.isoformat()}\n"
            )
            text += gen.yaml_text("quote", r.quote)
            if r.sum_of:
                text += f"    sum_of: [{r.sum_of}]\n"
            out.append(text + "\n")
        (self.out / "data" / "claims" / f"{source_id}.yaml").write_text("".join(out), "utf-8")
        doc = [f"Benchmark blow-up shape, source {source_id} (not a real report).\n\n"]
        doc += [f"{r.quote}.\n" for r in rows]
        (self.out / "seeds" / f"{source_id}.txt").write_text("".join(doc), encoding="utf-8")
        self.sources.append(
            f"- id: {source_id}\n  title: {json.dumps('Benchmark shape ' + source_id)}\n"
            f'  publisher: Sputnik\n  published: "{DAY.isoformat()}"\n'
            f"  url: https://example.org/aid-ledger-bench/{source_id}\n"
            f"  document: seeds/{source_id}.txt\n  language: en\n"
        )
        self.claims += len(rows)

    def finish(self, shape: str, size: int) -> int:
        (self.out / "data" / "sources.yaml").write_text("".join(self.sources), encoding="utf-8")
        marker = {"shapes": SHAPES_VERSION, "generator": gen.GENERATOR_VERSION, "shape": shape,
                  "size": size, "seed": self.seed, "claims": self.claims}  # fmt: skip
        (self.out / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        return self.claims


def _prepare(out: Path) -> None:
    """Refuse anything but an empty folder or a shape written before (replaced whole)."""
    if out.exists() and not out.is_dir():
        raise gen.BenchRefused(f"{out} is a file; give a folder for the shape.")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise gen.BenchRefused(f"{out} is not empty and holds no shape ({MARKER}).")
        (out / MARKER).unlink()
        for sub in ("data", "seeds"):
            shutil.rmtree(out / sub, ignore_errors=True)
    (out / "data" / "claims").mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(parents=True, exist_ok=True)


WHEN = gen.day_text(DAY)


def _delivery(i: int, place: str, figure: str = "5 t", spoken: str = "5 tonnes",
              item: str = "flour", prefix: str = "d") -> Row:  # fmt: skip
    what = spoken if item == "humanitarian aid" else f"{spoken} of {item}"
    quote = f"Convoy {i} from {PROVIDER} delivered {what} to {place} on {WHEN}"
    return Row(f"{prefix}{i:05d}", figure, place, quote, item)


# Figures that all overlap one another (each pair may be one delivery), written in turn: a
# double-count search that only groups equal figures still meets every pair.
OVERLAPPING = [
    ("5 t", "5 tonnes"),
    ("about 5 t", "about 5 tonnes"),
    ("between 4 and 6 t", "between 4 and 6 tonnes"),
    ("more than 4 t", "more than 4 tonnes"),
]


def same_scope(out: Path, size: int, seed: int) -> int:
    """`size` deliveries of flour to one community on one day, from two sources, with
    figures that all overlap (about 5 t)."""
    w = Writer(out, seed)
    place = w.place()
    half = size // 2

    def rows(prefix: str, n: int) -> list[Row]:
        return [_delivery(i, place, *OVERLAPPING[i % len(OVERLAPPING)], prefix=prefix)
                for i in range(1, n + 1)]  # fmt: skip

    w.source("scope-a", rows("a", half))
    w.source("scope-b", rows("b", size - half))
    return w.finish("same-scope", size)


def zero_vs_delivery(out: Path, size: int, seed: int) -> int:
    """`size` zero claims from one source and `size` deliveries from another, one scope."""
    w = Writer(out, seed)
    place = w.place()
    zeros = [
        Row(f"z{i:05d}", "none", place, f"According to statement {i}, {PROVIDER} has not "
            f"delivered any humanitarian aid to {place} on {WHEN}", "humanitarian aid")
        for i in range(1, size + 1)
    ]  # fmt: skip
    w.source("zero-claims", zeros)
    w.source("deliveries", [_delivery(i, place, item="humanitarian aid") for i in
                            range(1, size + 1)])  # fmt: skip
    return w.finish("zero-vs-delivery", size)


def chain(out: Path, size: int, seed: int) -> int:
    """Claims c00000 .. c<size>: each sums the next, all 1 t of flour in one scope."""
    w = Writer(out, seed)
    place = w.place()
    rows = []
    for i in range(size + 1):
        r = _delivery(i, place, "1 t", "1 tonne", prefix="c")
        if i < size:
            r.sum_of = f"c{i + 1:05d}"
        rows.append(r)
    w.source("chain", rows)
    return w.finish("chain", size)


def unknown_places(out: Path, size: int, seed: int) -> int:
    """`size` claims, each naming its own place that the gazetteer lacks: a real name with one
    letter changed, so that the nearest names are worth suggesting."""
    w = Writer(out, seed)
    rng = random.Random(f"aid-ledger-bench:{seed}:unknown-places")
    taken = {x.casefold() for p in w.gaz.places for x in (p.name, *p.aliases)}
    bases = [p.name for p in w.gaz.places if p.level in ("city", "camp", "neighbourhood")]
    names: list[str] = []
    while len(names) < size:
        base = rng.choice(bases)
        spots = [i for i, ch in enumerate(base) if ch.isalpha() and i > 0]
        i = rng.choice(spots)
        name = base[:i] + rng.choice("aeiouyklmnrst") + base[i + 1 :]
        if name.casefold() not in taken:
            taken.add(name.casefold())
            names.append(name)
    per = 1000
    for s in range(0, size, per):
        rows = [_delivery(i + 1, names[i], f"{i % 50 + 1} t", f"{i % 50 + 1} tonnes", prefix="u")
                for i in range(s, min(size, s + per))]  # fmt: skip
        w.source(f"unknown-{s // per + 1:02d}", rows)
    return w.finish("unknown-places", size)


SHAPES = [
    Shape("same-scope-1000", "1,000 claims, one scope, two sources", same_scope, 1000),
    Shape("same-scope-2000", "2,000 claims, one scope, two sources", same_scope, 2000),
    Shape(
        "zero-vs-delivery", "500 zero claims and 500 deliveries, one scope", zero_vs_delivery, 500
    ),  # fmt: skip
    Shape("chain", "a sum_of chain 10,000 long", chain, 10_000),
    Shape(
        "unknown-places",
        "5,000 distinct unknown places, ~4,000-place gazetteer",
        unknown_places,
        5000,
        lambda claims: claims,
    ),  # fmt: skip
]
BY_NAME = {s.name: s for s in SHAPES}


def write(shape: Shape, out: Path, seed: int = 1, size: int | None = None) -> int:
    """Write `shape` (at the issue's size unless `size` is given) under `out`; the claims."""
    return shape.write(Path(out), shape.size if size is None else size, seed)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python benchmarks/shapes.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--shape", required=True, choices=list(BY_NAME))
    p.add_argument("--out", required=True, type=Path, metavar="DIR")
    p.add_argument("--size", type=int, default=None, help="instead of the issue's size")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    try:
        n = write(BY_NAME[args.shape], args.out, args.seed, args.size)
    except gen.BenchRefused as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(f"{n:,} claims ({args.shape}); ledger in {args.out / 'data'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
