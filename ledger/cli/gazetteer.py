"""`place add`, `org add` and `item add`: new entries of the gazetteer and the hierarchies
(ledger/gazetteer.py)."""

from __future__ import annotations

import sys

import click

from ..vocab import (
    OrgKind,
    PlaceLevel,
    choices,
)
from .common import (
    curating_errors,
    dry_run_option,
    errors_in,
)

ledger_option = click.option(
    "--ledger", "ledger_path", default="data", show_default=True,
    type=click.Path(exists=True, file_okay=False), help="The ledger folder.",
)  # fmt: skip
parent_option = click.option(
    "--parent", help="The entry it lies in or belongs to (a name or alias)."
)
alias_option = click.option(
    "--alias", "aliases", multiple=True, help="Another name (repeat for more)."
)
notes_option = click.option("--notes", help="Free text.")


@click.group()
def place() -> None:
    """The gazetteer (places.yaml): `aid-ledger place add --help`."""


@place.command("add")
@click.argument("name")
@parent_option
@click.option("--level", required=True, type=click.Choice(choices(PlaceLevel)), help="Its level.")
@click.option("--code", help="Its OCHA P-code, where one exists (`SY02`).")
@alias_option
@notes_option
@ledger_option
@dry_run_option
def place_add(name: str, ledger_path: str, dry_run: bool, **fields: object) -> None:
    """Add the place NAME to places.yaml, checked first: its level, its parent (needed but for
    a country), a name and aliases no other place uses. Appended in the file's own style.

    \b
    Example:
        aid-ledger place add "Hanano district" --parent "Aleppo city" --level area \\
            --alias "Hananu district"
    """
    _entry_add("place", ledger_path, {"name": name, **fields}, dry_run)


@click.group()
def org() -> None:
    """Organisations (orgs.yaml): `aid-ledger org add --help`."""


@org.command("add")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(choices(OrgKind)), help="Its kind.")
@parent_option
@click.option("--code", help="Its IATI organisation identifier, where one is published.")
@alias_option
@notes_option
@ledger_option
@dry_run_option
def org_add(name: str, ledger_path: str, dry_run: bool, **fields: object) -> None:
    """Add the organisation NAME to orgs.yaml, checked first: its kind, its parent, a name and
    aliases no other organisation uses. Appended in the file's own style.

    \b
    Example:
        aid-ledger org add "Russian Emergencies Ministry" --kind ministry --parent Russia \\
            --alias EMERCOM
    """
    _entry_add("org", ledger_path, {"name": name, **fields}, dry_run)


@click.group()
def item() -> None:
    """What is delivered (items.yaml): `aid-ledger item add --help`."""


@item.command("add")
@click.argument("name")
@parent_option
@click.option(
    "--dimension", help="How it is measured: mass, volume or a counted thing of units.txt."
)
@alias_option
@notes_option
@ledger_option
@dry_run_option
def item_add(name: str, ledger_path: str, dry_run: bool, **fields: object) -> None:
    """Add the item NAME to items.yaml, checked first: its parent, a name and aliases no other
    item uses, a dimension the ledger's units know. Appended in the file's own style.

    \b
    Example:
        aid-ledger item add "food kits" --parent food --dimension kit --alias "food kit"
    """
    _entry_add("item", ledger_path, {"name": name, **fields}, dry_run)


def _entry_add(kind: str, ledger_path: str, fields: dict, dry_run: bool) -> None:
    from ..gazetteer import add_entry

    with curating_errors():
        result = add_entry(ledger_path, kind, fields, dry_run=dry_run)
    for p in result.problems:
        click.echo(p.format(), err=True)
    if errors_in(result.problems):
        click.echo("nothing was written.", err=True)
        sys.exit(1)
    if result.written:
        click.echo(f"added {kind} `{result.name}` to {result.file}")
    else:
        click.echo(f"# to {result.file}\n{result.text}", nl=False)
