"""The one unit registry, and what a ledger may write as a unit.

pint does the unit work; this module decides which of pint's answers a ledger can trust. It
never lets pint parse numbers (pint reads `2,5 kg` as 25 kg) and it resolves each distinct unit
string once, so a million rows cost as much as the handful of units they use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    """pint's default registry plus a ledger's unit definitions, with a cache per distinct unit.

    `definitions` is units.txt by path (read by `ledger.unitfile.read_units`, which drops the
    lines it refuses; the loader reports them) or definition lines (`UnitFile.lines`): pint
    never opens a file itself. Lines are handed to pint one at a time, so that what pint
    refuses is known by line (`rejected`: index in the lines -> message) and left out; the
    registry is then rebuilt without them, as a refused line may have been half added.
    """

    def __init__(self, definitions: Path | Iterable[str] | None = None) -> None:
        if isinstance(definitions, Path):
            from .paths import display_path
            from .unitfile import read_units

            definitions = read_units(definitions, display_path(definitions)).lines
        self.lines: tuple[str, ...] = tuple(definitions or ())
        self.rejected: dict[int, str] = {}
        with localcontext(_DECIMAL_CONTEXT):
            self.registry = self._registry()
        self._cache: dict[str, UnitInfo | UnitError] = {}
        # Names, symbols and aliases for "did you mean" (pint's and units.txt's), in the registry's
        # alphabetical order. Taken now: pint adds each prefixed unit it parses (`megadram`) to
        # its names, and hints must not depend on what other rows happened to write before.
        self._names = [n for n in self.registry if len(n) > 1]
        self.defined: list[str] | None = None  # units.txt's own names, for suggestions first

    def _registry(self) -> pint.UnitRegistry:
        """A registry with every line pint accepts and whose unit it can then work out.

        Usually one pass; a refused line costs one more (rarely two: a line that used a refused
        one), as the registry is built again without it."""
        for _ in range(_PASSES):
            registry = pint.UnitRegistry(non_int_type=Decimal, on_redefinition="raise")
            refused: dict[int, str] = {}
            kept = [i for i in range(len(self.lines)) if i not in self.rejected]
            for i in kept:
                try:
                    registry.load_definitions([self.lines[i]])
                except Exception as exc:  # pint's definition errors come in many types
                    refused[i] = _refusal(exc)
            for i in kept:  # references and factors are worked out only when a unit is used
                name = self.lines[i].partition("=")[0].strip()
                if i not in refused and name.isidentifier():
                    why = _unusable(registry, name)
                    if why:
                        refused[i] = why
            if not refused:
                break
            self.rejected.update(refused)
        return registry

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
        hits = self.suggestions(written)
        hint = (" Did you mean " + " or ".join(f"`{h}`" for h in hits) + "?") if hits else ""
        return f"unknown unit `{written}`.{hint} Counted things must be defined in units.txt."

    def suggestions(self, written: str, n: int = 3) -> list[str]:
        """Units to offer for an unknown one, the ledger's own first: the unit its last word
        names (`food kits` -> `kit`), then units.txt's names that look alike, then pint's
        (`food kits` is never `foot` when the ledger defines `kit`)."""
        from .problems import closest

        out: list[str] = []
        words = written.split()
        if len(words) > 1:
            hit = self.lookup(words[-1])
            if isinstance(hit, UnitInfo):
                out.append(hit.name)
        key = "_".join(words)
        out += closest(key, self._own_names(), n) + closest(key, self._names, n)
        return list(dict.fromkeys(out))[:n]

    def _own_names(self) -> list[str]:
        """Names, symbols and aliases units.txt defines (`kit`, `hygiene_kit`), read once."""
        if self.defined is None:
            names = []
            for i, line in enumerate(self.lines):
                if i in self.rejected:
                    continue
                for part in line.split("=")[:1] + line.split("=")[2:]:
                    part = part.strip()
                    if part.isidentifier() and part != "_":
                        names.append(part)
            self.defined = names
        return self.defined


def _integral_powers(dims: UnitsContainer) -> UnitsContainer:
    """`[length] ** 3`, never `[length] ** 3.0`: Decimal arithmetic keeps a `.0` in powers
    that pass through a non-integer (`Z_0` has `Decimal('2.0')`), and the key must not depend on it.
    """
    return UnitsContainer({d: int(p) if p == int(p) else p for d, p in dims.items()})


_PASSES = 3  # registry builds at most: a first, then without what pint refused

# A unit's factor to pint's base units must stay well inside what a float holds, as reports
# compute in floats: units.txt's own numbers are bounded by `read_units`, this also bounds
# what they make with pint's units (`Qpc ** 32`, or one line built on another).
_BASE_RANGE = (Decimal("1e-100"), Decimal("1e100"))
_REDEFINED = (
    "`{name}` is already a unit (pint's own or defined before); choose another name, "
    "such as `{name}_count`, or remove the line."
)


def _refusal(exc: Exception) -> str:
    """What to write instead of a line pint refused (its own messages rarely say)."""
    if isinstance(exc, pint.RedefinitionError):
        return _REDEFINED.format(name=exc.name)
    return (
        "pint cannot read this definition; a definition reads `name = factor * unit` "
        "(`bag_50kg = 50 * kg`, `carton = 12 * bottle`), or `name = [name]` for a counted "
        "thing (`food_kit = [food_kit]`), with names of letters, digits and `_`."
    )


def _unusable(registry: pint.UnitRegistry, name: str) -> str | None:
    """Why the unit a line defines cannot be used (an unknown unit in it, a definition through
    itself, a factor beyond floats), or None."""
    try:
        factor = Decimal(registry.Quantity(Decimal(1), name).to_base_units().magnitude)
    except RecursionError:
        return (
            f"`{name}` is defined through itself (directly or through other units); "
            "define it from a pint unit (`50 * kg`) or as a counted thing (`x = [x]`)."
        )
    except pint.UndefinedUnitError as exc:
        return (
            f"`{name}` cannot be worked out: {exc}. Define that unit first, or use a unit pint "
            "knows (`kg`, `t`, `L`)."
        )
    except Exception as exc:  # pint raises assorted errors on odd definitions
        return f"`{name}` cannot be worked out ({exc}); write the factor as a plain number such as `50 * kg`."
    low, high = _BASE_RANGE
    if not factor.is_finite() or not low <= abs(factor) <= high:
        return (
            f"`{name}` comes to {factor:.3e} in pint's base units, beyond what can be "
            "computed with; write the factor as a plain number such as `50 * kg`."
        )
    return None


@lru_cache(maxsize=8)
def _units_for_lines(lines: tuple[str, ...]) -> Units:
    return Units(lines)


def units_for(definitions: Path | Iterable[str] | None) -> Units:
    """One registry per content (building a pint registry is costly): `definitions` is
    units.txt by path (read afresh each time) or its lines (`UnitFile.lines`). An edited
    file is never answered from the registry of its old content."""
    if isinstance(definitions, Path):
        from .paths import display_path
        from .unitfile import read_units

        definitions = read_units(definitions, display_path(definitions)).lines
    return _units_for_lines(tuple(definitions or ()))
