"""The installed package's version (one place, so every module can read it without cycles)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aid-ledger")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
