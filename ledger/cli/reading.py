"""`check`, `report`, `totals` and `export`: the commands that read a ledger and write what
it says, through `commands.py` (and its cache)."""

from __future__ import annotations

import sys

import click

from ..filters import FilterError
from ..formatting import plural
from ..paths import LedgerNotFound
from ..problems import summary, to_json
from ..vocab import (
    FAILABLE,
    CheckFormat,
    ExportFormat,
    FindingCode,
    OrgKind,
    PlaceLevel,
    ReportFormat,
    TotalsFormat,
    TotalsPer,
    Verdict,
    choices,
)
from .common import (
    SEVERITY_COLOURS,
    CannotRun,
    claim_filters,
    colour_for,
    colour_option,
    force_option,
    no_cache_option,
    output_option,
    path_argument,
    refuse_output,
    shown_filter,
    write_output,
)


@click.command()
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
    from ..commands import check_result, exit_code

    try:
        result = check_result(path, use_cache=not no_cache)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    counts = summary(result.problems)
    if fmt == CheckFormat.JSON:
        click.echo(to_json(result.problems, claims=result.claims, files=result.files))
    else:
        colour = colour_for(color, True)
        for p in result.problems:  # the severity in colour, as `report` marks its verdicts
            mark = click.style(p.severity, fg=SEVERITY_COLOURS[p.severity], bold=True)
            click.echo(p.format(mark if colour else None), color=colour)
        click.echo(
            f"{plural(result.claims, 'claim')} in {plural(result.files, 'file')}: "
            f"{plural(counts['errors'], 'error')}, {plural(counts['warnings'], 'warning')}."
        )
    sys.exit(exit_code(result.outcome))


@click.command()
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
    from ..commands import exit_code, report_bytes

    refuse_output(output, path, force)
    colour = colour_for(color, output is None)
    shown = shown_filter(**filters)
    try:
        outcome, chunks = report_bytes(path, fmt, colour, use_cache=not no_cache, shown=shown)
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    except FilterError as exc:
        raise CannotRun(str(exc)) from None
    write_output(chunks, output)
    sys.exit(exit_code(outcome, fail_on))


@click.command()
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
    from ..commands import exit_code, totals_bytes
    from ..options import TotalsError

    groups = tuple(dict.fromkeys(k.strip() for k in by.split(",") if k.strip()))
    shown = shown_filter(**filters)
    try:
        outcome, chunks = totals_bytes(
            path, groups, level, unit, org_level, fmt, per, use_cache=not no_cache, shown=shown
        )
    except LedgerNotFound as exc:
        raise CannotRun(str(exc)) from None
    except FilterError as exc:
        raise CannotRun(str(exc)) from None
    except TotalsError as exc:
        raise click.BadParameter(str(exc)) from None
    write_output(chunks, None)
    sys.exit(exit_code(outcome))


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command()
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
    `totals` counts each claim), with checks, findings, sources, places, orgs, closure
    tables of the places and orgs, and what each containing claim's scope holds;
    docs/parquet.md has the layout and the DuckDB query that gives `totals`.

    \b
    Example:
        aid-ledger export data > claims.csv
        aid-ledger export data --format hxl -o claims-hxl.csv
        aid-ledger export data --format sqlite -o ledger.db && datasette ledger.db
        aid-ledger export data --format parquet -o ledger.parquet
    """
    from ..commands import exit_code, export_output
    from ..options import export_refusal

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
    from ..commands import exit_code, export_dataset
    from ..parquet import DatasetRefused

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
