"""aid-ledger: check whether the aid figures in reports add up.

>>> import ledger
>>> book = ledger.load("data")
>>> book.claims[["id", "quantity", "point", "canonical_unit"]]
>>> [p.format() for p in book.problems]
"""

from importlib.metadata import PackageNotFoundError, version

from .loader import Ledger, LedgerNotFound, load
from .problems import Problem

try:
    __version__ = version("aid-ledger")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["Ledger", "LedgerNotFound", "Problem", "load", "__version__"]
