"""What a command was asked, judged before any work: kept free of heavy imports, so a warm run
can refuse a bad request or answer from the cache before pandas or pint are loaded."""

from __future__ import annotations

import os

from .vocab import ExportFormat


class TotalsError(ValueError):
    """A bad option (unknown group or unit): the command cannot run."""


def export_refusal(fmt: str, output: str | None, force: bool = False) -> str | None:
    """Why an export to `output` must not start (asked before any work is done), or None."""
    if output is None and fmt == ExportFormat.SQLITE:
        return "--format sqlite needs -o FILE."
    if output is not None and os.path.lexists(output) and not force:
        return f"{output} exists; add --force to replace it."
    return None
