"""`show`, `edit` and `remove`: one claim at a time (show.py, curate.py)."""

from __future__ import annotations

import sys

import click

from ..vocab import (
    CheckFormat,
    choices,
)
from .common import (
    curating_errors,
    dry_run_option,
    errors_in,
    load_or_fail,
    path_argument,
)

claim_id_argument = click.argument("claim_id", metavar="ID")


@click.command()
@claim_id_argument
@path_argument
@click.option(
    "--format", "fmt", type=click.Choice(choices(CheckFormat)), default="text", show_default=True,
    help="`text` for people; `json`: the same as one JSON object.",
)  # fmt: skip
def show(claim_id: str, path: str, fmt: str) -> None:
    """Show the claim ID of the ledger at PATH: the claim as written (`file:line`), its source
    (title, publisher, date, URL), the quote marked in the sentences around it, its problems,
    and the checks and findings it takes part in. An unknown ID exits 2.

    \b
    Example:
        aid-ledger show ru-mod-2016-12-02-saydnaya
        aid-ledger show ru-mod-2016-12-02-saydnaya data --format json
    """
    import json

    from ..show import show as show_model
    from ..show import show_text

    with curating_errors(writes=False):
        model = show_model(load_or_fail(path), claim_id)
    if fmt == CheckFormat.JSON:
        click.echo(json.dumps(model, indent=2, ensure_ascii=False))
    else:
        click.echo(show_text(model), nl=False)


@click.command()
@claim_id_argument
@path_argument
@click.option(
    "--from", "from_file", type=click.File("r", encoding="utf-8"),
    help="Take the new block from FILE (`-`: standard input) instead of opening $EDITOR.",
)  # fmt: skip
@dry_run_option
def edit(claim_id: str, path: str, from_file: click.utils.LazyFile | None, dry_run: bool) -> None:
    """Edit the claim ID of the ledger at PATH in $EDITOR: its own block only.

    The new block is checked against the whole ledger before it replaces the old one; nothing
    else in the file changes (comments and other claims stay byte for byte). With an error it
    is refused and the problems are listed (at a terminal you may edit it again); an unchanged
    block writes nothing. Exits 1 when refused.

    \b
    Example:
        aid-ledger edit ru-mod-2016-12-02-saydnaya
        aid-ledger edit ru-mod-2016-12-02-saydnaya data --from new-block.yaml
    """
    from ..curate import edit_claim, editable

    with curating_errors():
        draft = from_file.read() if from_file is not None else None
        if draft is None:
            draft = click.edit(editable(path, claim_id).dedented(), extension=".yaml")
        while draft is not None:
            result = edit_claim(path, claim_id, draft, dry_run=dry_run)
            for p in result.problems:
                click.echo(p.format(), err=True)
            if result.written or result.unchanged or not errors_in(result.problems):
                done = "edited" if result.written else "checked (dry run)"
                said = f"{done}: {result.claim_id} in {result.file}"
                click.echo("unchanged; nothing was written." if result.unchanged else said)
                return
            again = from_file is None and sys.stdin.isatty()
            if not again or not click.confirm("Edit it again?", default=True):
                break
            draft = click.edit(draft, extension=".yaml")
        click.echo("nothing was written.", err=True)
        sys.exit(1)


@click.command()
@claim_id_argument
@path_argument
@click.option(
    "--unlink", is_flag=True,
    help="Also take ID out of the `sum_of`, `count_of` and `same_as` of the claims naming it.",
)  # fmt: skip
@dry_run_option
def remove(claim_id: str, path: str, unlink: bool, dry_run: bool) -> None:
    """Remove the claim ID from its claim file in the ledger at PATH.

    Its block goes, with the comment lines directly above it at its indentation (no blank
    line between); everything else stays byte for byte. Refused while other claims name it in
    `sum_of`, `count_of` or `same_as`, unless --unlink, which takes it out of those lists in
    their files too: every file is checked and written together, or none is.

    \b
    Example:
        aid-ledger remove ru-mod-2016-12-02-saydnaya --dry-run
        aid-ledger remove ru-mod-2016-12-02-saydnaya data --unlink
    """
    from ..curate import remove_claim

    with curating_errors():
        result = remove_claim(path, claim_id, unlink=unlink, dry_run=dry_run)
    for p in result.problems:
        click.echo(p.format(), err=True)
    if errors_in(result.problems):
        click.echo("nothing was written.", err=True)
        sys.exit(1)
    click.echo(f"{'removed' if result.written else 'would remove'} {claim_id} from {result.file}")
    for cid, key, file in result.unlinked:
        click.echo(f"  and from `{key}` of {cid} ({file})")
    if dry_run:
        click.echo(result.removed, nl=False)
