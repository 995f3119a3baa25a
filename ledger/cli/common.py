"""What every command shares: exit 2 when it cannot run, the ledger loaded or refused, the
options every command spells the same way, one writer for every `-o`, one reading of
--source/--claim/--period."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click

from ..cache import Stored
from ..filters import FilterError, ReportFilter
from ..paths import LedgerNotFound

if TYPE_CHECKING:  # pandas and pint load only when a command needs the ledger itself
    from ..loader import Ledger


class CannotRun(click.ClickException):
    """The command itself cannot run (no such ledger): exit 2, like a usage error."""

    exit_code = 2


def load_or_fail(path: str, use_cache: bool = True) -> Ledger:
    from ..loader import load

    try:
        return load(path, use_cache=use_cache)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None


no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Read every file afresh and leave the cache (`<ledger>/.aid-ledger-cache/`) alone.",
)

# Every command that writes a file takes these two, and goes through `refuse_output` (before
# any work) and `write_output` (ledger/output.py): one set of rules for every `-o`.
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(),
    metavar="FILE",
    help="Write to FILE (atomically) instead of standard output. Refused: a file the ledger "
    "reads (sources, claims, units, documents...) and anything not a regular file (a folder, "
    "/dev/null, a FIFO). A new FILE gets the mode a plain write would (umask), a replaced one "
    "keeps its own.",
)
force_option = click.option(
    "--force", is_flag=True, help="Replace FILE if it exists (it is never replaced without)."
)


path_argument = click.argument("path", default="data", type=click.Path(exists=True))

colour_option = click.option(
    "--color/--no-color",
    default=None,
    help="Force colour on or off (default: on a terminal, unless NO_COLOR is set).",
)
SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}


def colour_for(choice: bool | None, to_stdout: bool) -> bool:
    """Colour as asked, else only for a terminal and never when NO_COLOR is set (no-color.org):
    the words always say the same, so colour is never the only cue."""
    if choice is not None:
        return choice
    return to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def claim_filters(command: Callable[..., None]) -> Callable[..., None]:
    """`--source`, `--claim`, `--period`: which claims a report shows or totals add."""
    for option in reversed([
        click.option("--source", "sources", multiple=True, metavar="ID",
                     help="Only claims of this source (repeatable)."),
        click.option("--claim", "claims", multiple=True, metavar="ID",
                     help="Only this claim (repeatable); a report shows what involves it."),
        click.option("--period", "periods", multiple=True, metavar="PERIOD",
                     help="Only claims whose period overlaps this ISO 8601 period "
                     "(`2016-12`, `2016-12-01/2016-12-02`)."),
    ]):  # fmt: skip
        command = option(command)
    return command


def shown_filter(**asked: tuple[str, ...]) -> ReportFilter:
    """The filter the options ask for; a bad one stops the command (exit 2)."""
    try:
        return ReportFilter.of(**asked)
    except FilterError as exc:
        raise CannotRun(str(exc)) from None


def write_output(chunks: Iterable[bytes], output: str | None) -> None:
    """Write an output to `output` atomically (never half a file), or to standard output as it
    comes. The bytes are written as they are: colour was decided when they were made."""
    if output is None:
        sys.stdout.flush()
        stdout = sys.stdout.buffer
        stdout.flush()
        if isinstance(chunks, Stored) and _copied(chunks, stdout):
            return  # a warm run's stored output, copied by the kernel
        for chunk in chunks:
            stdout.write(chunk)
        stdout.flush()
        return
    from ..output import OutputFailed, write

    try:
        write(output, chunks)
    except OutputFailed as exc:
        raise click.ClickException(str(exc)) from None


def _copied(stored: Stored, stream: Any) -> bool:
    """Whether `stored` went to `stream`'s file descriptor whole (a stream without one, as
    under click's test runner, takes the chunks instead)."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return False
    return stored.copy_to(fd)


def refuse_output(output: str | None, path: str, force: bool) -> None:
    """Stop before any work when `-o output` may not be written (ledger/output.py says why):
    exit 2, the command cannot run as asked."""
    from ..output import refusal

    why = refusal(output, path, force) if output is not None else None
    if why:
        raise CannotRun(why)


def errors_in(problems: Iterable[object]) -> bool:
    return any(getattr(p, "severity", None) == "error" for p in problems)


dry_run_option = click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")  # fmt: skip


class curating_errors:
    """Turns the refusals of curate and gazetteer into clean exits: an unknown claim or
    ledger exits 2, anything that cannot be written safely 1, never a traceback."""

    def __init__(self, writes: bool = True) -> None:
        self.said = "nothing was written: " if writes else ""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> bool:
        from ..add import AddRefused
        from ..atomic import WriteRefused
        from ..curate import UnknownClaim

        if isinstance(exc, (LedgerNotFound, UnknownClaim)):
            raise CannotRun(str(exc)) from None
        if isinstance(exc, (AddRefused, WriteRefused, OSError)):
            raise click.ClickException(f"{self.said}{exc}") from None
        return False
