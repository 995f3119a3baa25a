"""When a consistency report fails: one rule for the library and the command line.

Kept free of heavy imports, so a warm `report` can decide its exit status from a cached
outcome without loading pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .vocab import ALWAYS_FAILS


def fails(
    errors: int, conflicts: int, verdicts: Mapping[str, int], fail_on: Iterable[str] = ()
) -> bool:
    """The ledger has errors, claims conflict, or a failing verdict occurs: a contradiction
    always fails, and `fail_on` adds more verdicts (`compatible`, `rounding`, ...)."""
    bad = {ALWAYS_FAILS, *fail_on}
    return bool(errors or conflicts or any(verdicts.get(v) for v in bad))
