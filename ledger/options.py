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
    SQLite needs a file and Parquet a folder; where a file may go is `output.refusal`'s, as
    for every `-o`, where a Parquet dataset may go `output.dataset_refusal`'s."""
    if output is None:
        needs = {ExportFormat.SQLITE: "-o FILE", ExportFormat.PARQUET: "-o FOLDER"}.get(fmt)
        return f"--format {fmt} needs {needs}." if needs else None
    from .output import dataset_refusal, refusal

    if fmt == ExportFormat.PARQUET:
        return dataset_refusal(output, ledger, force)

    return refusal(output, ledger, force)
