"""The totals table on its own (`aid-ledger totals`): aligned text, CSV or JSON.

Figures are the exact sums, written by formatting.py: plainly in text and CSV (`inf` for an
unbounded high end, an empty cell where a row has no such figure), as numbers in JSON (`null`
for an unbounded end or none). Text shows a reader's columns (stated and combined figures as
intervals, and only when some row has them) and says under the table when a row adds figures
of several periods; CSV and JSON keep every column, each figure apart. CSV neutralises text
cells a spreadsheet would run as a formula (a provider named `=HYPERLINK(...)`).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from .. import jsontext
from ..export import neutralise
from ..formatting import plain, table
from ..report import TotalRow, total_table
from ..vocab import TotalsFormat


def render(rows: list[TotalRow], fmt: str, columns: list[str]) -> str:
    """The table in `fmt`; `columns` head an empty CSV too."""
    if fmt == TotalsFormat.JSON:
        shown = [r.as_json() for r in rows]
        return jsontext.dumps(shown) + "\n"
    if fmt == TotalsFormat.CSV:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(v) for v in r.as_data().values()] for r in rows)
        return buf.getvalue()
    return "\n".join([*table(total_table(rows)), *notes(rows)]) + "\n"


def notes(rows: list[TotalRow]) -> list[str]:
    """What a reader of the text table must not miss: rows adding several periods' figures
    that were not asked for by period (a row per week adds its days, as asked)."""
    mixed = sum(1 for r in rows if r.periods > 1 and "period" not in dict(r.keys))
    if not mixed:
        return []
    return [
        "",
        f"{mixed} row(s) add figures of several periods (see `periods` and `span`); "
        "add `period` to --by, or give --per day|week|month, to see them apart.",
    ]


def _csv_cell(value: object) -> object:
    """A CSV cell: figures plainly (no thousands commas), none as empty, text made safe."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return neutralise(value) if isinstance(value, str) else value
