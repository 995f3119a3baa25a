"""Per-ledger settings, read from `config.yaml` in the ledger folder.

The tolerance table decides how wide "about", "nearly" and a bare (rounded) figure are. The
defaults, and why:

- `about`: half a unit of the last significant digit (`about 4` -> [3.5, 4.5], `about 90,000`
  -> [85,000, 95,000]). That is the range a writer who rounds to that digit would still call
  "about"; it grows with the figure's own precision instead of a fixed percentage.
- `nearly`: up to one unit of the last significant digit below (`nearly 5` -> [4, 5)).
- `rounding`: half a unit of the last written digit (`3.5` -> [3.45, 3.55]); only used to tell
  a rounding difference from a contradiction.

Each may also set a `relative` floor (a fraction of the figure, `0.1` = 10%); the wider wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .problems import Problem, did_you_mean, error
from .yamlfile import LMap, load_yaml

RULES = ("about", "nearly", "rounding")
DEFAULTS = {"about": (Decimal("0.5"), Decimal(0)), "nearly": (Decimal(1), Decimal(0)),
            "rounding": (Decimal("0.5"), Decimal(0))}  # fmt: skip


@dataclass(frozen=True)
class Tolerances:
    about_digits: Decimal = Decimal("0.5")
    about_relative: Decimal = Decimal(0)
    nearly_digits: Decimal = Decimal(1)
    nearly_relative: Decimal = Decimal(0)
    rounding_digits: Decimal = Decimal("0.5")
    rounding_relative: Decimal = Decimal(0)

    def table(self) -> list[dict[str, str]]:
        """The rules in words, for the report (so a reader can disagree with them)."""
        return [
            {"qualifier": "(none)", "interval": "exactly x"},
            {"qualifier": "about, around, approximately, roughly, some",
             "interval": f"x ± max({self.about_digits} × last digit, {self.about_relative} × x)"},
            {"qualifier": "nearly, almost",
             "interval": f"[x - max({self.nearly_digits} × last digit, {self.nearly_relative} × x), x)"},
            {"qualifier": "more than, over", "interval": "(x, inf)"},
            {"qualifier": "at least", "interval": "[x, inf)"},
            {"qualifier": "up to, at most", "interval": "[0, x]"},
            {"qualifier": "less than, fewer than, under", "interval": "[0, x)"},
            {"qualifier": "between a and b", "interval": "[a, b]"},
            {"qualifier": "(rounding check)",
             "interval": f"bare x read as x ± {self.rounding_digits} × last digit"},
        ]  # fmt: skip


def load_config(
    path: Path, display: str, text: str | None = None
) -> tuple[Tolerances, list[Problem]]:
    """Read `config.yaml` (optional), or `text` in its place when given (a ledger held in
    memory). Unknown keys and bad numbers are problems, not crashes."""
    if text is None and not path.exists():
        return Tolerances(), []
    doc = load_yaml(path, display, text)
    problems = [p for p in doc.problems if p.code != "file-empty"]  # comments only: defaults
    top = doc.value
    if top is None:
        return Tolerances(), problems
    if not isinstance(top, LMap):
        return Tolerances(), [
            *problems,
            error(
                display, getattr(top, "line", 1), "file-top-level", "config.yaml must be a mapping."
            ),
        ]
    for key in top:
        if key != "tolerance":
            msg = f"unknown key `{key}` in config.yaml.{did_you_mean(key, ['tolerance'])}"
            problems.append(error(display, top.key_lines[key], "key-unknown", msg))
    values: dict[str, Decimal] = {}
    tol = top.get("tolerance")
    if isinstance(tol, LMap):
        for rule, spec in tol.items():
            _rule(rule, spec, tol, display, values, problems)
    elif tol is not None:
        problems.append(error(display, top.value_lines["tolerance"], "type-invalid",
                              "`tolerance` must be a mapping of rules (`about: {digits: 0.5}`)."))  # fmt: skip
    return Tolerances(**values), problems


def _rule(rule: str, spec: object, tol: LMap, display: str, values: dict, problems: list) -> None:
    line = tol.key_lines[rule]
    if rule not in RULES:
        msg = f"unknown tolerance rule `{rule}`; the rules are {', '.join(RULES)}.{did_you_mean(rule, RULES)}"
        problems.append(error(display, line, "key-unknown", msg))
        return
    if not isinstance(spec, LMap):
        problems.append(
            error(display, line, "type-invalid", f"`{rule}` takes `digits:` and/or `relative:`.")
        )
        return
    for key, raw in spec.items():
        at = spec.key_lines[key]
        if key not in ("digits", "relative"):
            problems.append(
                error(
                    display,
                    at,
                    "key-unknown",
                    f"`{rule}` takes `digits` and `relative`, not `{key}`.",
                )
            )
            continue
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            number = Decimal(-1)
        if isinstance(raw, bool) or not number.is_finite() or number < 0:
            msg = f"`{rule}.{key}` must be a number of 0 or more, e.g. `0.5`."
            problems.append(error(display, at, "type-invalid", msg))
            continue
        values[f"{rule}_{key}"] = number
