"""aid-ledger: check whether the aid figures in reports add up.

>>> import ledger
>>> book = ledger.load("data")
>>> book.claims[["id", "quantity", "point", "canonical_unit"]]
>>> [p.format() for p in book.problems]
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .paths import LedgerNotFound
from .problems import Problem

if TYPE_CHECKING:
    from .loader import Ledger, load


def __getattr__(name: str) -> Any:
    """`ledger.load` and `ledger.Ledger` import pandas and pint on first use only, so the
    command line can answer from its cache without them."""
    if name in ("load", "Ledger"):
        from . import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'ledger' has no attribute {name!r}")


__all__ = ["Ledger", "LedgerNotFound", "Problem", "load", "__version__"]
