"""The typed claim: one record per claim, everything parsed once, nothing rebuilt later.

The resolve stage (resolve.py) turns each structurally valid record into a `Claim`: the words
as written, what they resolved to (the parsed `Quantity`, its `UnitInfo`, the `Period`, the
gazetteer's place names, the organisations, the item) and the figure those give in the
canonical unit. Checks, analysis, totals and export read these attributes; none of them
parses or converts again. A field that could not be resolved is None and its problem is
already in the ledger's list.

`Claim` is frozen and slotted: a million of them must fit in memory beside everything else,
and no stage may change what another stage reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .config import Tolerances
from .dates import Period
from .intervals import Interval, rounded, stated
from .quantity import Quantity
from .units import UnitInfo

# Keys whose line a claim remembers, in a fixed order (see `Claim.lines`).
LINE_KEYS = (
    "source", "id", "claimant", "provider", "status", "item", "quantity", "places", "date",
    "period", "quote", "notes", "sum_of", "count_of", "same_as", "sum_as",
)  # fmt: skip
_LINE_INDEX = {k: i for i, k in enumerate(LINE_KEYS)}
ALWAYS = Period("..", None, None)  # the period of a claim whose date could not be read


@dataclass(frozen=True, slots=True)
class Figure:
    """One claim's figure in its canonical unit: as stated, read as rounded, and its point.

    Built once per distinct (quantity, unit) pair: a ledger states the same phrase many times.
    """

    stated: Interval
    rounded: Interval
    point: Decimal
    unit: str | None  # the canonical unit; None: a zero of anything (`none`)
    dimension: str | None

    @classmethod
    def of(cls, q: Quantity, unit: UnitInfo | None, tol: Tolerances) -> Figure:
        """The figure of a quantity in its unit's canonical unit (`none`: zero of anything)."""
        if unit is None:
            return cls(stated(q, tol), rounded(q, tol), q.value, None, None)
        f = unit.factor
        if f == 1:  # already canonical: keep the parsed figures, make no new ones
            return cls(stated(q, tol), rounded(q, tol), q.value, unit.canonical, unit.dimension)
        return cls(
            stated(q, tol).scale(f),
            rounded(q, tol).scale(f),
            q.value * f,
            unit.canonical,
            unit.dimension,
        )

    @property
    def is_zero(self) -> bool:
        """Nothing at all: `none`, `0 t`, `up to 0 t` (the one rule for a zero claim)."""
        return self.stated.hi == 0

    @property
    def positive(self) -> bool:
        """A figure that can make a claim contain another or be too big for one."""
        return self.point > 0 or self.rounded.lo > 0


@dataclass(frozen=True, slots=True)
class SumAs:
    """What a claim adds to a sum in another dimension (its `sum_as`): 500 food kits inside
    a tonnage total weigh something, but no one said how much.

    `figure` is the phrase's figure (`at least 1 t`), None for `unknown` (anything from 0 up).
    Built once per distinct text, so a million claims saying `unknown` share one.
    """

    text: str
    quantity: Quantity | None  # None: `unknown`
    figure: Figure | None

    @property
    def unknown(self) -> bool:
        return self.figure is None

    def fits(self, dimension: str | None) -> bool:
        """Whether it can stand in for the claim's figure in a sum of this dimension."""
        return self.figure is None or self.figure.dimension == dimension


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim as written and as resolved, with where it was written."""

    id: str | None
    source: str | None
    claimant: str | None
    provider: str | None
    status: str | None
    item: str | None
    quantity_text: str | None  # the quantity as written (a mapping is shown as a phrase)
    places: tuple[str, ...] | None  # as written
    quote: str | None
    notes: str | None
    sum_of: tuple[str, ...] | None
    count_of: tuple[str, ...] | None  # every id counted, flat (groups: `count_groups`)
    count_groups: tuple[tuple[str, ...], ...] | None  # the actions, when `count_of` groups ids
    same_as: str | None
    sum_as: SumAs | None  # what it adds to a sum in another dimension (see `SumAs`)
    # resolved: None when the written value had a problem (reported) or was absent
    quantity: Quantity | None
    unit: UnitInfo | None
    figure: Figure | None
    period: Period | None
    place_names: tuple[str, ...] | None  # gazetteer names, when every place resolved
    item_name: str | None
    provider_org: str | None  # orgs.yaml names; None without orgs.yaml or when unresolved
    claimant_org: str | None
    # where
    file: str
    line: int
    lines: tuple[
        int | None, ...
    ]  # line of each of LINE_KEYS, relative to `line` (source: absolute)

    def at(self, key: str) -> tuple[str, int]:
        """`(file, line)` of `key`, or of the claim itself when the key was not written."""
        i = _LINE_INDEX.get(key)
        offset = self.lines[i] if i is not None and i < len(self.lines) else None
        if offset is None:
            return self.file, self.line
        return self.file, offset if key == "source" else self.line + offset

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def when(self) -> Period:
        """The claim's period, open at both ends when it could not be read."""
        return self.period or ALWAYS

    @property
    def period_text(self) -> str | None:
        return self.period.text if self.period else None

    @property
    def start(self) -> date | None:
        return self.period.start if self.period else None

    @property
    def end(self) -> date | None:
        return self.period.end if self.period else None

    @property
    def org(self) -> str | None:
        """The provider as resolved in orgs.yaml, else as written."""
        return self.provider_org or self.provider

    @property
    def item_key(self) -> str | None:
        """The item as resolved in items.yaml, else as written."""
        return self.item_name or self.item

    @property
    def parts(self) -> tuple[str, ...]:
        """Ids this claim adds up or counts (flat: a group of `count_of` gives each of its ids)."""
        return (self.sum_of or ()) + (self.count_of or ())

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        """What `count_of` counts: one tuple of ids per action (`[a, [b, c]]` is two actions).
        Kept apart from `count_of` only when it groups ids, so most claims store nothing."""
        if self.count_groups is not None:
            return self.count_groups
        return tuple((i,) for i in self.count_of or ())

    def content(self) -> tuple[object, ...]:
        """Everything but where it was written: two loads of one claim compare equal on this
        even when lines moved (add checks that appending changed no other claim)."""
        return tuple(getattr(self, f) for f in self.__slots__ if f not in ("file", "line", "lines"))


def line_offsets(line: int, lines: dict[str, int]) -> tuple[int | None, ...]:
    """The compact form of a record's key lines: small offsets from the claim's line (Python
    keeps one object per small int), the `source` key's line as it is (it stands above)."""
    out: list[int | None] = []
    for key in LINE_KEYS:
        at = lines.get(key)
        if at is None:
            out.append(None)
        else:
            out.append(at if key == "source" else at - line)
    while out and out[-1] is None:
        out.pop()
    return tuple(out)
