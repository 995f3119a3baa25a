"""aid-ledger: check whether the aid figures in reports add up.

>>> import ledger
>>> book = ledger.load("data")
>>> book.claims[["id", "quantity", "point", "canonical_unit"]]
>>> [p.format() for p in book.problems]
"""

from ._version import __version__
from .loader import Ledger, LedgerNotFound, load
from .problems import Problem

__all__ = ["Ledger", "LedgerNotFound", "Problem", "load", "__version__"]
