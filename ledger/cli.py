"""The `aid-ledger` command: a thin click layer over the library (`ledger.load`, ...).

Exit status: 0 when the ledger has no errors, 1 when it has, 2 when the command cannot run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._version import __version__
from .filters import FilterError, ReportFilter
from .formatting import plural
from .paths import LedgerNotFound
from .problems import summary, to_json
from .vocab import (
    FAILABLE,
    CheckFormat,
    ExportFormat,
    FindingCode,
    OrgKind,
    PlaceLevel,
    ReportFormat,
    Status,
    TotalsFormat,
    TotalsPer,
    Verdict,
    choices,
)

if TYPE_CHECKING:  # pandas and pint load only when a command needs the ledger itself
    from .add import AddResult
    from .loader import Ledger


class CannotRun(click.ClickException):
    """The command itself cannot run (no such ledger): exit 2, like a usage error."""

    exit_code = 2


def load_or_fail(path: str, use_cache: bool = True) -> Ledger:
    from .loader import load

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


def _colour(choice: bool | None, to_stdout: bool) -> bool:
    """Colour as asked, else only for a terminal and never when NO_COLOR is set (no-color.org):
    the words always say the same, so colour is never the only cue."""
    if choice is not None:
        return choice
    return to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


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
    "--format", "fmt", type=click.Choice(choices(CheckFormat)), default="text", show_default=True,
    help="`text`: one `file:line: severity: [code] message` line per problem; `json`: the same as JSON.",
)  # fmt: skip
@colour_option
@no_cache_option
def check(path: str, fmt: str, color: bool | None, no_cache: bool) -> None:
    """Check every record of the ledger at PATH and list all problems found.

    Checks keys and types, unique ids, units (pint), places (the gazetteer), dates,
    `sum_of` references, and that each quote is verbatim in its source document and
    states the claim's figure. Exits 0 when there are no errors (warnings allowed),
    1 when there are, 2 when the command cannot run.

    Results are cached by the content of every input: a second run with nothing changed
    answers at once, and a changed claim file is the only one read again.

    \b
    Example:
        aid-ledger check data
        aid-ledger check data --format json | jq '.problems[] | .code'
    """
    from .commands import check_result, exit_code

    try:
        result = check_result(path, use_cache=not no_cache)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    counts = summary(result.problems)
    if fmt == CheckFormat.JSON:
        click.echo(to_json(result.problems, claims=result.claims, files=result.files))
    else:
        colour = _colour(color, True)
        for p in result.problems:  # the severity in colour, as `report` marks its verdicts
            mark = click.style(p.severity, fg=SEVERITY_COLOURS[p.severity], bold=True)
            click.echo(p.format(mark if colour else None), color=colour)
        click.echo(
            f"{plural(result.claims, 'claim')} in {plural(result.files, 'file')}: "
            f"{plural(counts['errors'], 'error')}, {plural(counts['warnings'], 'warning')}."
        )
    sys.exit(exit_code(result.outcome))


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


def _shown(**asked: tuple[str, ...]) -> ReportFilter:
    """The filter the options ask for; a bad one stops the command (exit 2)."""
    try:
        return ReportFilter.of(**asked)
    except FilterError as exc:
        raise CannotRun(str(exc)) from None


@cli.command()
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(choices(ReportFormat)),
    default="text",
    show_default=True,
    help="Terminal text (coloured on a terminal), Markdown, JSON or one HTML file.",
)
@output_option
@force_option
@click.option(
    "--fail-on",
    multiple=True,
    type=click.Choice(choices(FAILABLE)),
    help="Verdicts that also make the exit status 1 (a contradiction always does); repeat it "
    "(`--fail-on compatible --fail-on rounding`) for strict CI.",
)
@claim_filters
@click.option(
    "--verdict", "verdicts", multiple=True, type=click.Choice(choices(Verdict)),
    help="Show only the checks of this verdict (repeatable).",
)  # fmt: skip
@click.option(
    "--finding",
    "findings",
    multiple=True,
    type=click.Choice(choices(FindingCode)),
    help="Show only the conflicts, possible conflicts, double counts and checks with scope "
    "findings of this code (repeatable).",
)
@colour_option
@no_cache_option
def report(
    path: str,
    fmt: str,
    output: str | None,
    force: bool,
    fail_on: tuple[str, ...],
    color: bool | None,
    no_cache: bool,
    **filters: tuple[str, ...],
) -> None:
    """Does the ledger at PATH add up? A verdict for every summed or counted claim.

    For each claim with `sum_of` (or `count_of`) it shows the quote, the parts with their
    quotes and intervals, the sum, the verdict (supported, compatible, rounding,
    contradicted, incomparable), the point check and scope findings; then conflicts between
    claims, possible double counts and a short totals table.

    Exits 1 when a claim is contradicted (or a verdict named by --fail-on occurs) or the
    ledger has errors, 0 otherwise, 2 when the command cannot run.

    --source, --claim, --period, --verdict and --finding narrow what is shown (a check shows
    when its claim or a part is picked); the ledger is still checked whole, and the coverage
    line and the exit status are the whole ledger's. Each claim names its source, and a
    Sources section lists each cited source's title, publisher, date and URL.

    \b
    Example:
        aid-ledger report data
        aid-ledger report data --format html -o report.html
        aid-ledger report data --format json --fail-on compatible
        aid-ledger report data --source sputnik-2016-12-03-aleppo --verdict compatible
    """
    from .commands import exit_code, report_output

    refuse_output(output, path, force)
    colour = _colour(color, output is None)
    shown = _shown(**filters)
    try:
        outcome, chunks = report_output(path, fmt, colour, use_cache=not no_cache, shown=shown)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    except FilterError as exc:
        raise CannotRun(str(exc)) from None
    write_output((c.encode("utf-8") for c in chunks), output)
    sys.exit(exit_code(outcome, fail_on))


def write_output(chunks: Iterable[bytes], output: str | None) -> None:
    """Write an output to `output` atomically (never half a file), or to standard output as it
    comes. The bytes are written as they are: colour was decided when they were made."""
    if output is None:
        sys.stdout.flush()
        stdout = sys.stdout.buffer
        for chunk in chunks:
            stdout.write(chunk)
        stdout.flush()
        return
    from .output import OutputFailed, write

    try:
        write(output, chunks)
    except OutputFailed as exc:
        raise click.ClickException(str(exc)) from None


def refuse_output(output: str | None, path: str, force: bool) -> None:
    """Stop before any work when `-o output` may not be written (ledger/output.py says why):
    exit 2, the command cannot run as asked."""
    from .output import refusal

    why = refusal(output, path, force) if output is not None else None
    if why:
        raise CannotRun(why)


@cli.command()
@path_argument
@click.option(
    "--by",
    default="provider,status",
    show_default=True,
    help="Comma-separated groups: provider, claimant, place, item, status, source, period.",
)
@click.option(
    "--level",
    type=click.Choice(choices(PlaceLevel)),
    help="With `--by place`, lift each place to this level of the gazetteer.",
)
@click.option(
    "--unit", help="Show totals of this unit's dimension in it (e.g. `kg`); others stay canonical."
)
@click.option(
    "--format", "fmt", type=click.Choice(choices(TotalsFormat)), default="text", show_default=True
)
@click.option(
    "--org-level",
    type=click.Choice(choices(OrgKind)),
    help="Lift each provider (and claimant) to its nearest organisation of this kind in orgs.yaml.",
)
@click.option(
    "--per",
    type=click.Choice(choices(TotalsPer)),
    help="Group by period (added to --by if missing): each day, ISO week, month, or as stated.",
)
@claim_filters
@no_cache_option
def totals(
    path: str,
    by: str,
    level: str | None,
    unit: str | None,
    fmt: str,
    org_level: str | None,
    per: str | None,
    no_cache: bool,
    **filters: tuple[str, ...],
) -> None:
    """Add up the ledger at PATH: low, point and high totals per group.

    Each delivery is counted once (claims that sum others and `same_as` duplicates are left
    out), pledges stay apart from deliveries (group by `status`), `context` figures and zero
    claims are not totalled, and different dimensions (t, people, blankets) are never added.
    A claim whose scope holds others (a cumulative "3,677.9 t since 2015") is shown beside the
    itemised sum as `stated`, with the `combined` reading of both. Each row says its `kind`
    (quantity, people reached, running total: a "since ..." figure, never added to dated
    ones) and how many `periods` it adds over which `span`. --source, --claim and --period
    add only the claims they pick.

    \b
    Example:
        aid-ledger totals data
        aid-ledger totals data --by provider,place --level governorate --unit kg
        aid-ledger totals data --by provider,status --org-level state
        aid-ledger totals data --by provider,period --per month
        aid-ledger totals data --source sputnik-2016-12-03-aleppo --period 2016-12
    """
    from .commands import exit_code, totals_output
    from .options import TotalsError

    groups = tuple(dict.fromkeys(k.strip() for k in by.split(",") if k.strip()))
    shown = _shown(**filters)
    try:
        outcome, chunks = totals_output(
            path, groups, level, unit, org_level, fmt, per, use_cache=not no_cache, shown=shown
        )
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    except FilterError as exc:
        raise CannotRun(str(exc)) from None
    except TotalsError as exc:
        raise click.BadParameter(str(exc)) from None
    write_output((c.encode("utf-8") for c in chunks), None)
    sys.exit(exit_code(outcome))


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@cli.command()
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
    from .add import AddRefused, add_batch, refuse_undecodable
    from .atomic import WriteRefused
    from .conversation import OptionsError, TerminalIO, collect

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
    from .add import result_json

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


@cli.command()
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
    from .add import AddRefused
    from .atomic import WriteRefused
    from .suggest import SuggestError, accept_drafts, draft_for, render
    from .suggest import suggest as draft
    from .suggest_review import InputEnded, ReviewTerminal, review_and_accept

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


@cli.command()
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(choices(ExportFormat)),
    default="csv",
    show_default=True,
    help="csv: tidy, one row per claim; hxl: csv with an HXL hashtag row; sqlite needs -o "
    "FILE; parquet needs -o FOLDER (a typed dataset; `pip install 'aid-ledger[parquet]'`).",
)
@output_option
@force_option
@click.option(
    "--raw", is_flag=True, help="Do not neutralise cells a spreadsheet would run as formulas."
)
@no_cache_option
def export(path: str, fmt: str, output: str | None, force: bool, raw: bool, no_cache: bool) -> None:
    """Export the claims of the ledger at PATH, one row per claim.

    Columns, in this order: claim_id, source_id, source_url, claimant, provider, status,
    item, qualifier, stated_value, stated_unit, canonical_unit, low, point, high, places,
    place_codes, adm1_names, adm1_codes, date_start, date_end, quote, sum_of, count_of,
    same_as, verdict. CSV is UTF-8 with RFC 4180 quoting; text starting with = + - @ tab or CR is
    prefixed with ' unless --raw. SQLite holds claims, sources, places, findings,
    claim_places and claim_parts tables with foreign keys. Parquet writes a folder: a typed
    claims table partitioned by status and start year (exact decimals, lists, dates, how
    `totals` counts each claim), with checks, findings, sources, places, orgs and closure
    tables of the places and orgs; docs/parquet.md has the layout and DuckDB queries.

    \b
    Example:
        aid-ledger export data > claims.csv
        aid-ledger export data --format hxl -o claims-hxl.csv
        aid-ledger export data --format sqlite -o ledger.db && datasette ledger.db
        aid-ledger export data --format parquet -o ledger.parquet
    """
    from .commands import exit_code, export_output
    from .options import export_refusal

    refused = export_refusal(fmt, output, force, path)
    if refused:
        raise CannotRun(refused)
    if fmt == ExportFormat.PARQUET and output is not None:
        return _export_dataset(path, output, force, no_cache)
    try:
        outcome, chunks = export_output(path, fmt, raw, use_cache=not no_cache)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    write_output(chunks, output)
    if exit_code(outcome):
        click.echo(f"warning: the ledger has errors; run `aid-ledger check {path}`.", err=True)
    sys.exit(exit_code(outcome))


def _export_dataset(path: str, output: str, force: bool, no_cache: bool) -> None:
    from .commands import exit_code, export_dataset
    from .parquet import DatasetRefused

    try:
        outcome, written = export_dataset(path, output, force, use_cache=not no_cache)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    except DatasetRefused as exc:
        raise CannotRun(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}; nothing was written.") from None
    rows = written.rows
    click.echo(f"wrote {output}: {plural(rows['claims'], 'claim')}, "
               f"{plural(rows['checks'], 'check')}, {plural(rows['findings'], 'finding')}.",
               err=True)  # fmt: skip
    if exit_code(outcome):
        click.echo(f"warning: the ledger has errors; run `aid-ledger check {path}`.", err=True)
    sys.exit(exit_code(outcome))


# --- one claim: show, edit, remove (ledger/curate.py) ------------------------------------------

claim_id_argument = click.argument("claim_id", metavar="ID")
dry_run_option = click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")  # fmt: skip


@cli.command()
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

    from .show import show as show_model
    from .show import show_text

    with _curating(writes=False):
        model = show_model(load_or_fail(path), claim_id)
    if fmt == CheckFormat.JSON:
        click.echo(json.dumps(model, indent=2, ensure_ascii=False))
    else:
        click.echo(show_text(model), nl=False)


@cli.command()
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
    from .curate import edit_claim, editable

    with _curating():
        draft = from_file.read() if from_file is not None else None
        if draft is None:
            draft = click.edit(editable(path, claim_id).dedented(), extension=".yaml")
        while draft is not None:
            result = edit_claim(path, claim_id, draft, dry_run=dry_run)
            for p in result.problems:
                click.echo(p.format(), err=True)
            if result.written or result.unchanged or not _errors(result.problems):
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


@cli.command()
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
    from .curate import remove_claim

    with _curating():
        result = remove_claim(path, claim_id, unlink=unlink, dry_run=dry_run)
    for p in result.problems:
        click.echo(p.format(), err=True)
    if _errors(result.problems):
        click.echo("nothing was written.", err=True)
        sys.exit(1)
    click.echo(f"{'removed' if result.written else 'would remove'} {claim_id} from {result.file}")
    for cid, key, file in result.unlinked:
        click.echo(f"  and from `{key}` of {cid} ({file})")
    if dry_run:
        click.echo(result.removed, nl=False)


def _errors(problems: Iterable[object]) -> bool:
    return any(getattr(p, "severity", None) == "error" for p in problems)


class _curating:
    """Turns the refusals of curate and gazetteer into clean exits: an unknown claim or
    ledger exits 2, anything that cannot be written safely 1, never a traceback."""

    def __init__(self, writes: bool = True) -> None:
        self.said = "nothing was written: " if writes else ""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> bool:
        from .add import AddRefused
        from .atomic import WriteRefused
        from .curate import UnknownClaim

        if isinstance(exc, (LedgerNotFound, UnknownClaim)):
            raise CannotRun(str(exc)) from None
        if isinstance(exc, (AddRefused, WriteRefused, OSError)):
            raise click.ClickException(f"{self.said}{exc}") from None
        return False


# --- the gazetteer: place, org, item add (ledger/gazetteer.py) ---------------------------------

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


@cli.group()
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


@cli.group()
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


@cli.group()
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
    from .gazetteer import add_entry

    with _curating():
        result = add_entry(ledger_path, kind, fields, dry_run=dry_run)
    for p in result.problems:
        click.echo(p.format(), err=True)
    if _errors(result.problems):
        click.echo("nothing was written.", err=True)
        sys.exit(1)
    if result.written:
        click.echo(f"added {kind} `{result.name}` to {result.file}")
    else:
        click.echo(f"# to {result.file}\n{result.text}", nl=False)


def main() -> None:
    cli(prog_name="aid-ledger")
