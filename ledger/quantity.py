"""The quantity grammar: `about 4 t`, `more than 5 metric tons`, `between 2 and 3 t`, `none`.

A small grammar of our own on top of pint's unit names:

    phrase     := "none" | "nothing" | [qualifier] number unit | "between" number [unit] "and" number unit
    qualifier  := about | around | approximately | roughly | some | nearly | almost | more than
                  | over | at least | up to | at most | less than | under | fewer than
    number     := digits (`90,000`, `4.5`) [scale] | number words (`one`, `a single`, `ninety thousand`)

Every word must be understood: an unknown word is an error, never silently dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .numbers import forms, parse_english_digits, step_of, words_value
from .vocab import Family

# written qualifier -> the family whose interval rule applies (see intervals.py)
QUALIFIERS: dict[str, Family] = {
    "about": Family.ABOUT,
    "around": Family.ABOUT,
    "approximately": Family.ABOUT,
    "approx.": Family.ABOUT,
    "roughly": Family.ABOUT,
    "some": Family.ABOUT,
    "nearly": Family.NEARLY,
    "almost": Family.NEARLY,
    "more than": Family.MORE_THAN,
    "over": Family.MORE_THAN,
    "at least": Family.AT_LEAST,
    "up to": Family.UP_TO,
    "at most": Family.UP_TO,
    "less than": Family.LESS_THAN,
    "fewer than": Family.LESS_THAN,
    "under": Family.LESS_THAN,
    "between": Family.BETWEEN,
}
ZERO_WORDS = ("none", "nothing")
_QUALIFIER_RE = re.compile(
    r"^(" + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True)) + r")\s+",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"^([-+]?[\d.,]*\d[\d.,]*(?:[eE][-+]?\d+)?)(?:\s+|$|(?=[^\d.,\s]))")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed figure, still in the unit it was written in."""

    text: str
    qualifier: str | None  # as written, normalised: "more than", "about", ...
    family: Family  # the interval rule: `exact` for a bare figure
    value: Decimal  # the point value (midpoint for `between`)
    low: Decimal  # written bounds: equal to value except for `between`
    high: Decimal
    step: Decimal  # place of the last significant digit (for `about` and rounding)
    unit: str | None  # None only for `none`/`nothing`: zero of anything


class QuantityError(ValueError):
    def __init__(self, message: str, code: str = "quantity-invalid") -> None:
        super().__init__(message)
        self.code = code


def parse_quantity(text: str) -> Quantity:
    """Parse a quantity phrase; raise QuantityError saying what to write instead."""
    phrase = " ".join(str(text).split())
    if not phrase:
        raise QuantityError("the quantity is empty; write a figure and a unit, e.g. `about 4 t`.")
    if phrase.lower() in ZERO_WORDS:
        zero = Decimal(0)
        return Quantity(phrase, None, Family.EXACT, zero, zero, zero, zero, None)
    qualifier, rest = _split_qualifier(phrase)
    family = QUALIFIERS[qualifier] if qualifier else Family.EXACT
    if family == Family.BETWEEN:
        return _between(phrase, rest)
    value, step, unit = _number_then_unit(rest, phrase)
    _refuse_empty(phrase, qualifier, family, value, unit)
    return Quantity(phrase, qualifier, family, value, value, value, step, unit)


def quantity_from_mapping(value: Any, unit: Any, qualifier: Any) -> Quantity:
    """The mapping form `{value, unit, qualifier}`; `value: [2, 3]` with `qualifier: between`."""
    if qualifier is not None and str(qualifier).lower() not in QUALIFIERS:
        raise QuantityError(f"unknown qualifier `{qualifier}`; use one of {_qualifier_list()}.")
    q = str(qualifier).lower() if qualifier is not None else None
    if not isinstance(unit, str) or not unit.strip():
        raise QuantityError("`unit` must be a unit name such as `t` or `people`.")
    if q is not None and QUALIFIERS[q] == Family.BETWEEN:
        if not (isinstance(value, list) and len(value) == 2):
            raise QuantityError("with `qualifier: between`, write `value: [low, high]`.")
        lo, lo_step = _number_value(value[0])
        hi, hi_step = _number_value(value[1])
        return _between_result(f"between {lo} and {hi} {unit}", lo, hi, min(lo_step, hi_step), unit)
    number, step = _number_value(value)
    text = f"{q + ' ' if q else ''}{value} {unit}"
    family = QUALIFIERS[q] if q else Family.EXACT
    _refuse_empty(text, q, family, number, unit)
    return Quantity(text, q, family, number, number, number, step, unit)


# Families whose interval lies below the figure with an open top, [0, x) or [x - step, x): at
# x = 0 they allow no value at all. (`up to 0` is [0, 0], a plain zero; `more than 0` is any
# positive amount and `at least 0` any amount: odd, but not empty.)
_BELOW: frozenset[Family] = frozenset({Family.LESS_THAN, Family.NEARLY})


def _refuse_empty(
    phrase: str, qualifier: str | None, family: Family, value: Decimal, unit: str | None
) -> None:
    """Refuse `less than 0 t` and `nearly 0 t`: no amount is below zero, so the phrase would be
    an empty interval, which matches nothing and sets off odd zero-claim conflicts later."""
    if family not in _BELOW or value != 0:
        return
    u = unit or "t"
    why = "short of 0" if family == Family.NEARLY else f"{qualifier} 0"
    raise QuantityError(
        f"`{phrase}` allows no amount at all (no amount is {why}); if the source says nothing "
        f'was given ("not a single ..."), write `0 {u}` or `none`; if it says only a little, '
        f"write a bound such as `less than 1 {u}` or `up to 1 {u}`.",
        "quantity-empty",
    )


def _qualifier_list() -> str:
    return ", ".join(f"`{q}`" for q in QUALIFIERS)


def _split_qualifier(phrase: str) -> tuple[str | None, str]:
    m = _QUALIFIER_RE.match(phrase)
    if not m:
        return None, phrase
    return m.group(1).lower(), phrase[m.end() :]


def _between(phrase: str, rest: str) -> Quantity:
    parts = re.split(r"\s+and\s+", rest, maxsplit=1, flags=re.IGNORECASE)
    if len(parts) != 2:
        raise QuantityError(
            f"`{phrase}`: write `between A and B <unit>`, e.g. `between 2 and 3 t`."
        )
    lo, lo_step, lo_unit = _number_then_unit(parts[0], phrase, unit_required=False)
    hi, hi_step, unit = _number_then_unit(parts[1], phrase)
    scale = _scale_in(parts[1])
    if scale is not None and _scale_in(parts[0]) is None and lo * scale[1] <= hi:
        raise QuantityError(
            f"`{phrase}`: does `{scale[0]}` belong to both figures? Write it after each: "
            f"`between {parts[0].strip()} {scale[0]} and {parts[1].strip()}`, or write the low "
            "figure in full."
        )
    if lo_unit and lo_unit != unit:
        raise QuantityError(
            f"`{phrase}`: both ends must use one unit; write `between A and B {unit}`."
        )
    return _between_result(phrase, lo, hi, min(lo_step, hi_step), unit)


def _scale_in(text: str) -> tuple[str, Decimal] | None:
    """The first scale word (`thousand`, `million`, ...) in `text` and its value, if any."""
    scales = forms("en").scales
    for word in text.lower().split():
        if word in scales:
            return word, scales[word]
    return None


def _between_result(phrase: str, lo: Decimal, hi: Decimal, step: Decimal, unit: str) -> Quantity:
    if lo > hi:
        raise QuantityError(
            f"`{phrase}`: the low end is above the high end; write `between {hi} and {lo}`.",
            "quantity-reversed",
        )
    return Quantity(phrase, "between", Family.BETWEEN, (lo + hi) / 2, lo, hi, step, unit)


def _number_then_unit(
    rest: str, phrase: str, unit_required: bool = True
) -> tuple[Decimal, Decimal, str | None]:
    """Read the number at the start of `rest` (digits, scale, or words); the rest is the unit."""
    m = _DIGITS_RE.match(rest)
    if m:
        value = _english_number(m.group(1), phrase)
        step = step_of(value, m.group(1))
        tail = rest[m.end() :].strip()
        scale, tail = _take_scale(tail)
        if scale is not None:
            value, step = value * scale, (step if step else Decimal(1)) * scale
            step = step_of(value, None) if "." not in m.group(1) else step
    else:
        first = rest.split(" ")[0].lower().strip(".")
        if first in ("nan", "inf", "infinity", "-inf"):
            raise QuantityError(
                f"`{phrase}`: write a finite figure in digits.", "quantity-not-finite"
            )
        value, tail = _take_words(rest, phrase)
        step = step_of(value)
    if not math.isfinite(float(value)):
        raise QuantityError(
            f"`{phrase}`: the figure is too large to be a quantity; check the digits.",
            "quantity-not-finite",
        )
    unit = tail.strip() or None
    if unit is None and unit_required:
        raise QuantityError(
            f"`{phrase}` has no unit; write one after the number, e.g. `{phrase} t` or "
            f"`{phrase} people`.",
            "quantity-no-unit",
        )
    return value, step, unit


def _english_number(raw: str, phrase: str) -> Decimal:
    if raw.startswith("-"):
        raise QuantityError(f"`{phrase}`: a quantity cannot be negative.", "quantity-negative")
    value = parse_english_digits(raw.lstrip("+"))
    if value is None:
        if re.fullmatch(r"\d+,\d{1,2}", raw):
            hint = f"a decimal is written with a point (`{raw.replace(',', '.')}`)"
        elif "e" in raw.lower():
            hint = "write the number out in digits"
        else:
            hint = "group thousands with commas (`90,000`) and write decimals with a point (`4.5`)"
        raise QuantityError(f"`{raw}` in `{phrase}` is not a number as written; {hint}.")
    return value


def _take_scale(tail: str) -> tuple[Decimal | None, str]:
    word, _, after = tail.partition(" ")
    scale = forms("en").scales.get(word.lower())
    if scale is None or word.lower() == "hundred":
        return None, tail
    return scale, after


def _take_words(rest: str, phrase: str) -> tuple[Decimal, str]:
    """Number words at the start of `rest`: the longest run that reads as a number."""
    f = forms("en")
    tokens = rest.split(" ")
    best: tuple[Decimal, int] | None = None
    for n in range(1, len(tokens) + 1):
        words = _merge_pairs([t.lower() for t in tokens[:n]], f)
        value = words_value(words, f)
        if value is None:  # `one and a` is no number, but `one and a half` is: read on
            continue
        best = (value, n)
    if best is None:
        first = tokens[0]
        raise QuantityError(
            f"`{first}` in `{phrase}` is not a number or a qualifier; start with a figure "
            f"(`4`, `90,000`, `one`) optionally after a qualifier ({_qualifier_list()}).",
        )
    return best[0], " ".join(tokens[best[1] :])


def _merge_pairs(words: list[str], f: object) -> list[str]:
    out: list[str] = []
    for w in words:
        if out and f"{out[-1]} {w}" in getattr(f, "words", {}):
            out[-1] = f"{out[-1]} {w}"
        else:
            out.append(w)
    return out


def _number_value(value: Any) -> tuple[Decimal, Decimal]:
    """A YAML number from the mapping form, checked: finite and not negative."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise QuantityError(f"`value` must be a number, not `{value}`.")
    if isinstance(value, float) and not math.isfinite(value):
        raise QuantityError(f"`value` is `{value}`; write a finite number.", "quantity-not-finite")
    raw = repr(value) if isinstance(value, float) else str(value)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise QuantityError(f"`value` `{value}` is not a number; write it in digits.") from None
    if not number.is_finite():
        raise QuantityError(f"`value` is `{value}`; write a finite number.", "quantity-not-finite")
    if not math.isfinite(float(number)):  # `"1e400"`: a Decimal, but no figure (and no float)
        raise QuantityError(
            f"`value` is `{value}`, too large to be a quantity; check the digits.",
            "quantity-not-finite",
        )
    if number < 0:
        raise QuantityError(
            f"`value` is {value}; a quantity cannot be negative.", "quantity-negative"
        )
    return number, step_of(number, raw if "e" not in raw.lower() else None)
