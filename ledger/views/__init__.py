"""Views of the report model: one module per output format, each a generator of text chunks.

A view writes the report piece by piece (a check at a time), so the whole document is never
held in memory: a report of a million claims is written as it is read. A new output format is
one module here with `render(report, colour) -> Iterator[str]`, registered in `VIEWS` and
named in `vocab.ReportFormat`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..report import Report
from ..vocab import ReportFormat
from . import html, jsondoc, markdown, text

View = Callable[[Report, bool], Iterator[str]]

VIEWS: dict[ReportFormat, View] = {
    ReportFormat.TEXT: text.render,
    ReportFormat.MARKDOWN: markdown.render,
    ReportFormat.JSON: jsondoc.render,
    ReportFormat.HTML: html.render,
}


def render(report: Report, fmt: str, colour: bool = False) -> Iterator[str]:
    """The report in `fmt`, as chunks of text to write one after another."""
    return VIEWS[ReportFormat(fmt)](report, colour)


def render_text(report: Report, fmt: str, colour: bool = False) -> str:
    """The whole report as one string (for small reports and tests)."""
    return "".join(render(report, fmt, colour))
