"""The `aid-ledger` command: a thin click layer over the library (`ledger.load`, ...).

Exit status: 0 when the ledger has no errors, 1 when it has, 2 when the command cannot run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._version import __version__
from .paths import LedgerNotFound
from .problems import summary, to_json
from .vocab import (
    FAILABLE,
    CheckFormat,
    ExportFormat,
    OrgKind,
    PlaceLevel,
    ReportFormat,
    Status,
    TotalsFormat,
    TotalsPer,
    choices,
)

if TYPE_CHECKING:  # pandas and pint load only when a command needs the ledger itself
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
    "--format", "fmt", type=click.Choice(choices(CheckFormat)), default="text", show_default=True,
    help="`text`: one `file:line: severity: [code] message` line per problem; `json`: the same as JSON.",
)  # fmt: skip
@no_cache_option
def check(path: str, fmt: str, no_cache: bool) -> None:
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
        for p in result.problems:
            click.echo(p.format())
        click.echo(
            f"{result.claims} claims in {result.files} files: "
            f"{counts['errors']} errors, {counts['warnings']} warnings."
        )
    sys.exit(exit_code(result.outcome))


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
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--fail-on",
    multiple=True,
    type=click.Choice(choices(FAILABLE)),
    help="Verdicts that also make the exit status 1 (a contradiction always does); repeat it "
    "(`--fail-on compatible --fail-on rounding`) for strict CI.",
)
@click.option(
    "--color/--no-color", default=None, help="Force colour on or off (default: only on a terminal)."
)
@no_cache_option
def report(
    path: str,
    fmt: str,
    output: str | None,
    fail_on: tuple[str, ...],
    color: bool | None,
    no_cache: bool,
) -> None:
    """Does the ledger at PATH add up? A verdict for every summed or counted claim.

    For each claim with `sum_of` (or `count_of`) it shows the quote, the parts with their
    quotes and intervals, the sum, the verdict (supported, compatible, rounding,
    contradicted, incomparable), the point check and scope findings; then conflicts between
    claims, possible double counts and a short totals table.

    Exits 1 when a claim is contradicted (or a verdict named by --fail-on occurs) or the
    ledger has errors, 0 otherwise, 2 when the command cannot run.

    \b
    Example:
        aid-ledger report data
        aid-ledger report data --format html -o report.html
        aid-ledger report data --format json --fail-on compatible
    """
    from .commands import exit_code, report_output

    colour = color if color is not None else (output is None and sys.stdout.isatty())
    try:
        outcome, chunks = report_output(path, fmt, colour, use_cache=not no_cache)
    except LedgerNotFound as exc:
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
    from .atomic import WriteRefused, open_atomic

    try:
        with open_atomic(output) as handle:
            for chunk in chunks:
                handle.write(chunk)
    except (WriteRefused, OSError) as exc:
        raise click.ClickException(f"nothing was written: {exc}") from None


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
) -> None:
    """Add up the ledger at PATH: low, point and high totals per group.

    Each delivery is counted once (claims that sum others and `same_as` duplicates are left
    out), pledges stay apart from deliveries (group by `status`), `context` figures and zero
    claims are not totalled, and different dimensions (t, people, blankets) are never added.
    A claim whose scope holds others (a cumulative "3,677.9 t since 2015") is shown beside the
    itemised sum as `stated`, with the `combined` reading of both. Each row says its `kind`
    (quantity, people reached, running total: a "since ..." figure, never added to dated
    ones) and how many `periods` it adds over which `span`.

    \b
    Example:
        aid-ledger totals data
        aid-ledger totals data --by provider,place --level governorate --unit kg
        aid-ledger totals data --by provider,status --org-level state
        aid-ledger totals data --by provider,period --per month
    """
    from .commands import exit_code, totals_output
    from .options import TotalsError

    groups = tuple(dict.fromkeys(k.strip() for k in by.split(",") if k.strip()))
    try:
        outcome, chunks = totals_output(
            path, groups, level, unit, org_level, fmt, per, use_cache=not no_cache
        )
    except LedgerNotFound as exc:
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
def add(file: str, ledger_path: str | None, dry_run: bool, no_input: bool, **opts: object) -> None:
    """Add one claim to a claim file, checked against the whole ledger first.

    Every field is an option; the ones not given are asked for, with defaults from the file's
    previous claim (source, claimant, provider, status, date). Nothing is written if the
    claim has an error: the problems are printed as `check` prints them and the exit status
    is 1. The claim is appended as text at the end of the file's `claims:` list (comments
    and formatting of everything else stay as they are); the write is atomic and locked.

    \b
    Example:
        aid-ledger add --file data/claims/sputnik-2016-12-03-aleppo.yaml \\
            --claimant "Russian Ministry of Defence" --provider Russia --status delivered \\
            --item "humanitarian aid" --quantity "about 4 t" --places "Hananu 3" \\
            --period 2016-12-01/2016-12-02 --quote "about 4 tons" --dry-run
    """
    from .add import AddRefused, add_claim
    from .atomic import WriteRefused

    root = ledger_path or str(Path(file).resolve().parent.parent)
    book = load_or_fail(root)
    fields, new_source = _ask(file, book, no_input, opts)
    try:
        result = add_claim(book.root, file, fields, new_source, dry_run=dry_run)
    except (AddRefused, WriteRefused, OSError) as exc:
        raise click.ClickException(f"nothing was written: {exc}") from None
    for p in result.problems:
        click.echo(p.format(), err=True)
    if result.written:
        click.echo(f"added {result.claim_id} to {file}")
        return
    if dry_run and not any(p.severity == "error" for p in result.problems):
        if result.source_text:
            click.echo("# to sources.yaml\n" + result.source_text + f"# to {file}", nl=True)
        click.echo(result.text, nl=False)
        return
    click.echo("nothing was written.", err=True)
    sys.exit(1)


def _ask(file: str, book: Ledger, no_input: bool, opts: dict) -> tuple[dict, dict | None]:
    """Fill in missing fields from prompts (defaults from the file's previous claim)."""
    from .add import previous_claim

    prev = previous_claim(file)

    def need(key: str, label: str, default: object = None) -> object:
        value = opts.get(key)
        if value not in (None, (), ""):
            return value
        if no_input:
            raise click.UsageError(f"--{key.replace('_', '-')} is required with --no-input.")
        return click.prompt(label, default=default if default is not None else prev.get(key))

    if prev.get("source"):  # a claim file has one source: the claim takes the file's
        if opts.get("source") and opts["source"] != prev["source"]:
            raise click.UsageError(
                f"{file} holds claims of source `{prev['source']}`; put claims of "
                f"`{opts['source']}` in a file of their own."
            )
        fields: dict = {"source": prev["source"]}
    else:
        fields = {"source": need("source", "Source id")}
    new_source = None
    if fields["source"] not in book.sources:
        new_source = {"id": fields["source"]}
        for key in ("title", "publisher", "published", "url", "document"):
            new_source[key] = need(f"source_{key}", f"New source {key}")
        if opts.get("source_language"):
            new_source["language"] = opts["source_language"]
    fields["id"] = opts.get("claim_id")
    fields["claimant"] = need("claimant", "Claimant (who states it)")
    fields["status"] = need(
        "status", f"Status ({'/'.join(choices(Status))})", prev.get("status", Status.DELIVERED)
    )
    if fields["status"] != Status.CONTEXT or opts.get("provider"):
        fields["provider"] = need("provider", "Provider (who delivered)")
    fields["item"] = need("item", "Item")
    fields["quantity"] = need("quantity", "Quantity (e.g. about 4 t)")
    places = opts.get("places") or ()
    fields["places"] = (
        _split(places) if places else _split((str(need("places", "Places (comma-separated)")),))
    )
    if not opts.get("date") and not opts.get("period"):
        when = need("period", "Date or period (ISO 8601)", prev.get("period") or prev.get("date"))
        fields["period" if "/" in str(when) else "date"] = when
    else:
        fields["date"], fields["period"] = opts.get("date"), opts.get("period")
    fields["quote"] = need("quote", "Quote (verbatim from the source)")
    fields["notes"] = opts.get("notes")
    fields["sum_of"] = _split(opts.get("sum_of") or ())
    fields["count_of"] = _split(opts.get("count_of") or ())
    fields["same_as"] = opts.get("same_as")
    return fields, new_source


@cli.command()
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(choices(ExportFormat)),
    default="csv",
    show_default=True,
    help="csv: tidy, one row per claim; hxl: csv with an HXL hashtag row; sqlite needs -o.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to FILE (atomically) instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
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
    claim_places and claim_parts tables with foreign keys.

    \b
    Example:
        aid-ledger export data > claims.csv
        aid-ledger export data --format hxl -o claims-hxl.csv
        aid-ledger export data --format sqlite -o ledger.db && datasette ledger.db
    """
    from .commands import exit_code, export_output
    from .options import export_refusal

    refused = export_refusal(fmt, output, force)
    if refused:
        raise CannotRun(refused)
    try:
        outcome, chunks = export_output(path, fmt, raw, use_cache=not no_cache)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    write_output(chunks, output)
    if exit_code(outcome):
        click.echo(f"warning: the ledger has errors; run `aid-ledger check {path}`.", err=True)
    sys.exit(exit_code(outcome))


def main() -> None:
    cli(prog_name="aid-ledger")
