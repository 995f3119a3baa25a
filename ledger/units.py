"""The one unit registry, and what a ledger may write as a unit.

pint does the unit work; this module decides which of pint's answers a ledger can trust. It
never lets pint parse numbers (pint reads `2,5 kg` as 25 kg) and it resolves each distinct unit
string once, so a million rows cost as much as the handful of units they use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from functools import lru_cache
from pathlib import Path

import pint
from pint.util import UnitsContainer

# Units that pint reads, but not the way a humanitarian report means them.
AMBIGUOUS_TON = (
    "`{written}` is ambiguous: pint reads it as the 2,000 lb short ton (0.907 t). "
    "Write `t` for metric tons, or `short_ton` if the source means short tons."
)
AMBIGUOUS_ERROR = {
    "mt": "`mt` is a millitonne (1 kg) to pint, though reports mean metric tons; write `t`.",
    "MT": "`MT` is a megatesla to pint, though reports mean metric tons; write `t`.",
    "Mt": "`Mt` is a megatonne to pint, rarely what a report means; write `t` (or `megatonne`).",
    "bag": "`bag` is pint's 94 lb bag of cement; write `sack` (a count) or the mass in `kg`.",
    "unit": "`unit` is read by pint as micro-nit; name what was counted (`kit`, `parcel`, ...).",
    "item": "`item` says nothing about what was counted; name it (`blanket`, `kit`, ...).",
    "T": "`T` is a tesla to pint; write `t` for metric tons.",
    "kt": "`kt` is a knot to pint; write `1000 t` or `kilotonne`.",
}
_WORD_UNIT = re.compile(r"^[^\W\d][\w]*(?: [^\W\d][\w]*)*$")

# The registry computes in Decimal (`non_int_type=Decimal`): pint reads each number of a
# definition from its text (`Decimal("0.45359237")`, never through a float), so a factor made of
# products of decimal literals is exact: lb -> t is 0.00045359237, m3 -> L is 1000. A factor that
# is a repeating fraction or irrational (`grain = pound / 7000`, `degree = pi / 180 * radian`)
# cannot be an exact Decimal; pint rounds it to this context's 28 significant digits (Python's
# default), which is used for building the registry and for converting so that a change to the
# thread's decimal context elsewhere cannot shorten the factors. No ledger mass or volume unit
# (t, kg, g, lb, ton, L, mL, m3, ...) is such a unit.
_DECIMAL_CONTEXT = Context(prec=28)

# Canonical unit per dimension: totals and intervals are kept in these.
CANONICAL_BY_DIMENSION = {"[mass]": "t", "[length] ** 3": "L"}
DIMENSION_NAMES = {"[mass]": "mass", "[length] ** 3": "volume"}


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What one written unit means: its pint name, dimension and factor to the canonical unit."""

    written: str
    name: str  # pint's name, e.g. "metric_ton"
    dimension: str  # "mass", "volume", or the counted thing, e.g. "person", "currency_USD"
    canonical: str  # "t", "L", "person", ...
    factor: Decimal  # canonical = written value * factor
    warning: str | None = None  # set for units that load but deserve a second look


class UnitError(ValueError):
    """A unit that cannot be used; the message says what to write instead."""

    def __init__(self, message: str, code: str = "unit-unknown") -> None:
        super().__init__(message)
        self.code = code


class Units:
    """pint's default registry plus a ledger's `units.txt`, with a cache per distinct unit."""

    def __init__(self, definitions: Path | None = None) -> None:
        with localcontext(_DECIMAL_CONTEXT):
            self.registry = pint.UnitRegistry(non_int_type=Decimal, on_redefinition="raise")
            self.definitions = definitions
            if definitions is not None:
                self.registry.load_definitions(str(definitions))
        self._cache: dict[str, UnitInfo | UnitError] = {}
        # Names, symbols and aliases for "did you mean" (pint's and units.txt's), in the registry's
        # alphabetical order. Taken now: pint adds each prefixed unit it parses (`megadram`) to
        # its names, and hints must not depend on what other rows happened to write before.
        self._names = [n for n in self.registry if len(n) > 1]

    def resolve(self, written: str) -> UnitInfo:
        """Resolve a written unit (`t`, `metric tons`, `people`); raise UnitError if unusable."""
        hit = self.lookup(written)
        if isinstance(hit, UnitError):
            raise hit
        return hit

    def lookup(self, written: str) -> UnitInfo | UnitError:
        """What `resolve` answers, with an unusable unit's error as a value (remembered per
        written unit either way: a million rows cost as much as their distinct units)."""
        hit = self._cache.get(written)
        if hit is None:
            try:
                hit = self._resolve(written)
            except UnitError as exc:
                hit = exc
            self._cache[written] = hit
        return hit

    def _resolve(self, written: str) -> UnitInfo:
        text = " ".join(written.split())
        for name in (text, text.removesuffix("s")):  # `units`, `items`: plurals pint misreads
            if name in AMBIGUOUS_ERROR:
                raise UnitError(AMBIGUOUS_ERROR[name], "unit-ambiguous")
        if not _WORD_UNIT.match(text):
            msg = (
                f"`{written}` is not a plain unit name; write one unit such as `t`, `kg`, `L` "
                "or a counted thing like `people` (no `*`, `/`, `**` or numbers)."
            )
            raise UnitError(msg, "unit-expression")
        name = text.replace(" ", "_")
        try:
            parsed = self.registry.parse_units(name)
        except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError):
            raise UnitError(self._unknown_message(written)) from None
        except Exception:  # pint raises assorted errors on odd names
            raise UnitError(self._unknown_message(written)) from None
        _, items = self.registry.Quantity(Decimal(1), parsed).to_tuple()  # ((name, power),)
        if len(items) != 1 or items[0][1] != 1:
            raise UnitError(self._unknown_message(written))
        pint_name = items[0][0]
        if pint_name in AMBIGUOUS_ERROR:  # a plural such as `bags` reaches the same unit
            raise UnitError(AMBIGUOUS_ERROR[pint_name], "unit-ambiguous")
        dimension, canonical = self._canonical(parsed, written)
        with localcontext(_DECIMAL_CONTEXT):
            # A Decimal magnitude keeps pint in Decimal even when no conversion is needed.
            factor = self.registry.Quantity(Decimal(1), parsed).to(canonical).magnitude
            factor = Decimal(factor).normalize()  # no trailing zeros: 3.785411784000 -> 3.785411784
        warn = AMBIGUOUS_TON if pint_name == "ton" and "short" not in text else None
        if warn:
            warn = warn.format(written=written)
        return UnitInfo(written, pint_name, dimension, canonical, factor, warn)

    def _canonical(self, parsed: pint.Unit, written: str) -> tuple[str, str]:
        dims = _integral_powers(parsed.dimensionality)
        key = str(dims)
        if key in CANONICAL_BY_DIMENSION:
            return DIMENSION_NAMES[key], CANONICAL_BY_DIMENSION[key]
        if len(dims) == 1:
            ((dim, power),) = dims.items()
            base = dim.strip("[]")
            if power == 1 and dim not in ("[length]", "[time]", "[temperature]", "[current]"):
                base_units = self.registry.get_base_units(parsed)[1]
                return base, str(base_units)
        if not dims:
            msg = f"`{written}` has no dimension; name what was counted (`people`, `kits`, ...)."
            raise UnitError(msg, "unit-dimension")
        msg = (
            f"`{written}` measures {key}; a ledger figure is a mass (`t`, `kg`), a volume "
            "(`L`, `m3`), money (`USD`) or a count of something named in units.txt."
        )
        raise UnitError(msg, "unit-dimension")

    def _unknown_message(self, written: str) -> str:
        from .problems import did_you_mean

        return f"unknown unit `{written}`.{did_you_mean(written, self._names)} " + (
            "Counted things must be defined in units.txt."
        )


def _integral_powers(dims: UnitsContainer) -> UnitsContainer:
    """`[length] ** 3`, never `[length] ** 3.0`: Decimal arithmetic keeps a `.0` in powers
    that pass through a non-integer (`Z_0` has `Decimal('2.0')`), and the key must not depend on it.
    """
    return UnitsContainer({d: int(p) if p == int(p) else p for d, p in dims.items()})


@lru_cache(maxsize=8)
def units_for(definitions: Path | None) -> Units:
    """One registry per definitions file: building a pint registry is costly."""
    return Units(definitions)
