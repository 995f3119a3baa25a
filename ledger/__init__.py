"""aid-ledger: check whether the aid figures in reports add up.

>>> import ledger
>>> book = ledger.load("data")
>>> book.claims[["id", "quantity", "point", "canonical_unit"]]
>>> [p.format() for p in book.problems]
>>> small = ledger.load_texts({"data/sources.yaml": "...", "seeds/a.txt": "..."})
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .paths import LedgerNotFound
from .problems import Problem

if TYPE_CHECKING:
    from .loader import Ledger, load, load_texts


def __getattr__(name: str) -> Any:
    """`ledger.load`, `ledger.load_texts` and `ledger.Ledger` import pandas and pint on first
    use only, so the command line can answer from its cache without them."""
    if name in ("load", "load_texts", "Ledger"):
        from . import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'ledger' has no attribute {name!r}")


__all__ = ["Ledger", "LedgerNotFound", "Problem", "load", "load_texts", "__version__"]
