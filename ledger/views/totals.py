"""The totals table on its own (`aid-ledger totals`): aligned text, CSV or JSON.

Figures are the exact sums, written by formatting.py: plainly in text and CSV (`inf` for an
unbounded high end), as numbers in JSON (`null` for an unbounded end).
"""

from __future__ import annotations

import csv
import io
import json

from ..formatting import cell, table
from ..report import TotalRow
from ..vocab import TotalsFormat

FIGURES = ("low", "point", "high")


def render(rows: list[TotalRow], fmt: str, columns: list[str]) -> str:
    """The table in `fmt`; `columns` head an empty CSV too."""
    if fmt == TotalsFormat.JSON:
        shown = [r.as_json() for r in rows]
        return json.dumps(shown, indent=2, ensure_ascii=False) + "\n"
    dicts = [r.as_dict() for r in rows]
    if fmt == TotalsFormat.CSV:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(k, v) for k, v in d.items()] for d in dicts)
        return buf.getvalue()
    return "\n".join(table(dicts)) + "\n"


def _csv_cell(key: str, value: object) -> object:
    return cell(value).replace(",", "") if key in FIGURES else value
