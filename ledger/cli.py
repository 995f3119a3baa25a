"""The `aid-ledger` command: a thin click layer over the library (`ledger.load`, ...).

Exit status: 0 when the ledger has no errors, 1 when it has, 2 when the command cannot run.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .loader import Ledger, LedgerNotFound, load
from .problems import summary, to_json


class CannotRun(click.ClickException):
    """The command itself cannot run (no such ledger): exit 2, like a usage error."""

    exit_code = 2


def load_or_fail(path: str) -> Ledger:
    try:
        return load(path)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None


path_argument = click.argument("path", default="data", type=click.Path(exists=True))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aid-ledger")
def cli() -> None:
    """Check whether the aid figures in reports add up.

    A ledger is a folder (by default `data/`) of hand-curated claims, each tied to its source
    text by a verbatim quote. Run `aid-ledger COMMAND --help` for each command.
    """


@cli.command()
@path_argument
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="`text`: one `file:line: severity: [code] message` line per problem; `json`: the same as JSON.",
)  # fmt: skip
def check(path: str, fmt: str) -> None:
    """Check every record of the ledger at PATH and list all problems found.

    Checks keys and types, unique ids, units (pint), places (the gazetteer), dates,
    `sum_of` references, and that each quote is verbatim in its source document and
    states the claim's figure. Exits 0 when there are no errors (warnings allowed),
    1 when there are, 2 when the command cannot run.

    \b
    Example:
        aid-ledger check data
        aid-ledger check data --format json | jq '.problems[] | .code'
    """
    book = load_or_fail(path)
    counts = summary(book.problems)
    files = book.claims["file"].nunique()
    if fmt == "json":
        click.echo(to_json(book.problems, claims=len(book.claims), files=int(files)))
    else:
        for p in book.problems:
            click.echo(p.format())
        click.echo(
            f"{len(book.claims)} claims in {files} files: "
            f"{counts['errors']} errors, {counts['warnings']} warnings."
        )
    sys.exit(1 if counts["errors"] else 0)


def main() -> None:
    cli(prog_name="aid-ledger")
