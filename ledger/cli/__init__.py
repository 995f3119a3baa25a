"""The `aid-ledger` command: a thin click layer over the library (`ledger.load`, ...).

Exit status: 0 when the ledger has no errors, 1 when it has, 2 when the command cannot run.
One module per kind of command: `reading` (check, report, totals, export), `claims` (add,
suggest), `curating` (show, edit, remove), `gazetteer` (place/org/item add); what they share
is in `common`. Nothing here loads pandas or pint: a command imports what it needs when it runs.
"""

from __future__ import annotations

import click

from .._version import __version__
from .claims import add, suggest
from .curating import edit, remove, show
from .gazetteer import item, org, place
from .reading import check, export, report, totals


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aid-ledger")
def cli() -> None:
    """Check whether the aid figures in reports add up.

    A ledger is a folder (by default `data/`) of hand-curated claims, each tied to its source
    text by a verbatim quote. Run `aid-ledger COMMAND --help` for each command.
    """


for command in (check, report, totals, add, suggest, export, show, edit, remove, place, org, item):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="aid-ledger")
