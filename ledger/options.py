"""What a command was asked, judged before any work: kept free of heavy imports, so a warm run
can refuse a bad request or answer from the cache before pandas or pint are loaded."""

from __future__ import annotations

import os

from .vocab import ExportFormat


class TotalsError(ValueError):
    """A bad option (unknown group or unit): the command cannot run."""


def export_refusal(
    fmt: str,
    output: str | os.PathLike[str] | None,
    force: bool = False,
    ledger: str | os.PathLike[str] | None = None,
) -> str | None:
    """Why an export to `output` must not start (asked before any work is done), or None:
    SQLite needs a file; where the file may go is `output.refusal`'s, as for every `-o`."""
    if output is None:
        return "--format sqlite needs -o FILE." if fmt == ExportFormat.SQLITE else None
    from .output import refusal

    return refusal(output, ledger, force)
