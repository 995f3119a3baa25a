"""`add` and `suggest`: the commands that put new claims into a ledger (add.py,
conversation.py, suggest*.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..vocab import (
    Status,
    choices,
)
from .common import (
    CannotRun,
    force_option,
    load_or_fail,
    output_option,
    refuse_output,
    write_output,
)

if TYPE_CHECKING:  # pandas and pint load only when a command needs the ledger itself
    from ..add import AddResult


@click.command()
@click.option(
    "--file",
    "file",
    required=True,
    type=click.Path(dir_okay=False),
    help="The claim file to append to (created with `--source` if it does not exist).",
)
@click.option(
    "--ledger",
    "ledger_path",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="The ledger folder (default: the folder above the claim file's `claims/`).",
)
@click.option(
    "--id", "claim_id", help="Unique id; proposed from source, place and date when left out."
)
@click.option(
    "--source", help="Source id; a new one is added to sources.yaml (asks for its details)."
)
@click.option("--claimant", help="Who states the figure.")
@click.option("--provider", help="Who delivered or pledged.")
@click.option("--status", type=click.Choice(choices(Status)))
@click.option("--item", help="What was delivered, from items.yaml.")
@click.option("--quantity", help="A phrase such as `about 4 t`, `more than 5 t`, `90,000 people`.")
@click.option("--places", multiple=True, help="Gazetteer names, comma-separated or repeated.")
@click.option("--date", help="ISO 8601 date, e.g. 2016-12-02.")
@click.option("--period", help="ISO 8601 period, e.g. 2016-12-01/2016-12-02 or ../2016-12-02.")
@click.option("--quote", help="The source's words that state the figure, verbatim.")
@click.option("--notes", help="How you read the source (free text).")
@click.option(
    "--sum-of", multiple=True, help="Ids of the claims this one adds up (comma-separated)."
)
@click.option(
    "--count-of", multiple=True, help="Ids of the claims this one counts (comma-separated)."
)
@click.option("--same-as", help="Id of a claim about the same delivery from another source.")
@click.option("--source-title", help="New source: its title.")
@click.option("--source-publisher", help="New source: its publisher.")
@click.option("--source-published", help="New source: publication date (ISO 8601).")
@click.option("--source-url", help="New source: where it was published.")
@click.option("--source-document", help="New source: path of its stored text (seeds/...).")
@click.option("--source-language", help="New source: ISO 639-1 language code (default en).")
@click.option(
    "--dry-run", is_flag=True, help="Print the YAML that would be appended; change nothing."
)
@click.option(
    "--no-input", is_flag=True, help="Never prompt: fail when a required field is missing."
)
@click.option(
    "--json", "as_json", is_flag=True,
    help="Print what was written (ids, file, lines) or the problems as JSON; prompts go to stderr.",
)  # fmt: skip
def add(
    file: str, ledger_path: str | None, dry_run: bool, no_input: bool, as_json: bool, **opts: object
) -> None:
    """Add claims to a claim file, each answer checked as it is given.

    Every field is an option; the ones not given are asked for, with defaults from the file's
    previous claim (source, claimant, provider, status, date). Each answer is checked at once
    (places, organisations and items against the ledger's files, the quantity and its unit,
    the date, the quote against the stored source) and only a wrong one is asked again; an
    unknown place, organisation or item can be created on the spot. After each claim `add`
    asks for another: `sum_of`/`count_of` may name claims added later in the same batch (a
    total before its parts). The batch is checked against the whole ledger and written whole
    or not at all: on an error the problems are printed as `check` prints them, nothing is
    written and the exit status is 1. Claims are appended at the end of the file's `claims:`
    list (everything else stays as it is); the write is atomic and locked. `--no-input`
    asks nothing (one claim, from the options).

    \b
    Example:
        aid-ledger add --file data/claims/sputnik-2016-12-03-aleppo.yaml \\
            --claimant "Russian Ministry of Defence" --provider Russia --status delivered \\
            --item "humanitarian aid" --quantity "about 4 t" --places "Hananu 3" \\
            --period 2016-12-01/2016-12-02 --quote "about 4 tons" --dry-run
    """
    from ..add import AddRefused, add_batch, refuse_undecodable
    from ..atomic import WriteRefused
    from ..conversation import OptionsError, TerminalIO, collect

    try:
        refuse_undecodable({f"--{k.replace('_', '-')}": v for k, v in opts.items()})
        refuse_undecodable({"--file": file, "--ledger": ledger_path or ""})
    except AddRefused as exc:
        raise click.UsageError(str(exc)) from None
    root = ledger_path or str(Path(file).resolve().parent.parent)
    book = load_or_fail(root)
    try:
        batch = collect(book, file, opts, None if no_input else TerminalIO(err=as_json))
    except OptionsError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        result = add_batch(
            book.root, file, batch.claims, batch.new_source, batch.new_entries, dry_run
        )
    except (AddRefused, WriteRefused, OSError) as exc:
        raise click.ClickException(f"nothing was written: {exc}") from None
    _print_added(result, file, dry_run, as_json)


def _print_added(result: AddResult, file: str, dry_run: bool, as_json: bool) -> None:
    from ..add import result_json

    failed = any(p.severity == "error" for p in result.problems)
    if as_json:
        click.echo(result_json(result, dry_run))
        sys.exit(1 if failed else 0)
    for p in result.problems:
        click.echo(p.format(), err=True)
    if result.written:
        for cid in result.claim_ids:
            click.echo(f"added {cid} to {file}")
        return
    if dry_run and not failed:
        for name, text in result.entry_texts.items():
            click.echo(f"# to {name}\n" + text, nl=False)
        if result.source_text:
            click.echo("# to sources.yaml\n" + result.source_text, nl=False)
        if result.source_text or result.entry_texts:
            click.echo(f"# to {file}")
        click.echo(result.text, nl=False)
        return
    click.echo("nothing was written.", err=True)
    sys.exit(1)


@click.command()
@click.argument("source")
@click.argument("path", default="data", type=click.Path(exists=True))
@click.option("--source-id", help="Text file: the id the source gets (and claims' ids start with).")
@click.option("--source-title", help="Text file: its title (needed with --accept or -i).")
@click.option("--source-publisher", help="Text file: its publisher (needed with --accept or -i).")
@click.option(
    "--source-published", help="Text file: publication date (ISO 8601); dates resolve against it."
)
@click.option("--source-url", help="Text file: where it was published.")
@click.option("--language", help="Text file: ISO 639-1 language code (default en).")
@output_option
@force_option
@click.option(
    "--accept", is_flag=True,
    help="Add the drafted claims to `<ledger>/claims/<source id>.yaml` through `add`, all or "
    "nothing, instead of printing them (review points are not written).",
)  # fmt: skip
@click.option(
    "--interactive", "-i", is_flag=True,
    help="Review the draft claim by claim: each is shown with its review points, then kept "
    "(y), edited field by field with the draft as default and every answer checked as `add` "
    "checks it (e), skipped (s), or the rest dropped (q). The kept claims are added like "
    "--accept, all or nothing, after one last confirmation; a total loses its link to a "
    "skipped part. Not with -o or --accept.",
)  # fmt: skip
def suggest(source: str, path: str, output: str | None, force: bool, accept: bool,
            interactive: bool, **described: str | None) -> None:  # fmt: skip
    """Draft every claim of SOURCE for the ledger at PATH, for a curator to confirm.

    SOURCE is a source id of sources.yaml (its stored document is read) or a text file
    described by the --source-* options. Every stated figure becomes a claim with its
    qualifier, unit, verbatim quote, places, claimant, provider, status and period; negations
    become zero claims; totals and counts of a following list get `sum_of`/`count_of`. What
    needs a curator's eye is marked `# review:` above the claim. The draft goes to standard
    output or -o FILE; nothing enters the ledger unless --accept or --interactive is given.

    \b
    Example:
        aid-ledger suggest sputnik-2016-12-03-aleppo data -o draft.yaml
        aid-ledger suggest report.txt data --source-id tass-2016-12-05 --source-published 2016-12-05
        aid-ledger suggest sputnik-2016-12-03-aleppo data --interactive
    """
    from ..add import AddRefused
    from ..atomic import WriteRefused
    from ..suggest import SuggestError, accept_drafts, draft_for, render
    from ..suggest import suggest as draft
    from ..suggest_review import InputEnded, ReviewTerminal, review_and_accept

    if accept and output is not None:
        raise click.UsageError("--accept writes into the ledger; leave out -o.")
    if interactive and (accept or output is not None):
        given = "--accept" if accept else "-o"
        raise click.UsageError(
            f"--interactive adds the claims you keep to the ledger itself (as --accept does, "
            f"after asking); leave out {given}."
        )
    refuse_output(output, path, force)
    book = load_or_fail(path)
    try:
        src, new_source = draft_for(book, source, described)
        drafts = draft(book, src)
        if interactive:
            result = review_and_accept(book, src, drafts, ReviewTerminal(), new_source)
            if result is None:
                return
        elif not accept:
            write_output([render(src.id, drafts).encode("utf-8")], output)
            return
        else:
            result = accept_drafts(book, src, drafts, new_source)
    except SuggestError as exc:
        raise CannotRun(str(exc)) from None
    except InputEnded as exc:
        raise click.ClickException(f"{exc} Nothing was written.") from None
    except (AddRefused, WriteRefused, OSError) as exc:
        raise click.ClickException(f"nothing was written: {exc}") from None
    _print_added(result, result.file or src.id, False, False)
