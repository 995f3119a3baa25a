"""When a consistency report fails: one rule for the library and the command line.

Kept free of heavy imports, so a warm `report` can decide its exit status from a cached
outcome without loading pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .vocab import ALWAYS_FAILS


def fails(
    errors: int, conflicts: int, verdicts: Mapping[str, int], fail_on: Iterable[str] = ()
) -> bool:
    """The ledger has errors, claims conflict, or a failing verdict occurs: a contradiction
    always fails, and `fail_on` adds more verdicts (`compatible`, `rounding`, ...)."""
    bad = {ALWAYS_FAILS, *fail_on}
    return bool(errors or conflicts or any(verdicts.get(v) for v in bad))


@dataclass(frozen=True)
class Outcome:
    """What a report's exit status depends on: errors, conflicts and how many of each verdict
    (small enough to keep beside a cached report)."""

    errors: int
    conflicts: int  # conflict findings: one per scope whose claims cannot hold those inside it
    verdicts: Mapping[str, int]

    def failing(self, fail_on: Iterable[str] = ()) -> bool:
        return fails(self.errors, self.conflicts, self.verdicts, fail_on)

    def as_dict(self) -> dict[str, object]:
        return {"errors": self.errors, "conflicts": self.conflicts, "verdicts": dict(self.verdicts)}
