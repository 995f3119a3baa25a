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


FAILABLE = ("contradicted", "rounding", "compatible", "incomparable")


@cli.command()
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json", "html"]),
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
    type=click.Choice(FAILABLE),
    default=("contradicted",),
    show_default=True,
    help="Verdicts that make the exit status 1; repeat it (`--fail-on compatible --fail-on rounding`) for strict CI.",
)
@click.option(
    "--color/--no-color", default=None, help="Force colour on or off (default: only on a terminal)."
)
def report(
    path: str, fmt: str, output: str | None, fail_on: tuple[str, ...], color: bool | None
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
    from .analysis import analyse
    from .report import build

    book = load_or_fail(path)
    analysis = analyse(book)
    doc = build(analysis)
    text = _render(doc, fmt, color, output)
    if output:
        from .atomic import write_text_atomic

        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False, color=color)
    failed = analysis.failing(set(fail_on)) or not book.ok
    sys.exit(1 if failed else 0)


def _render(doc: dict, fmt: str, color: bool | None, output: str | None) -> str:
    import json

    from . import html, render

    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "markdown":
        return render.markdown(doc)
    if fmt == "html":
        return html.render(doc)
    use_colour = color if color is not None else (output is None and sys.stdout.isatty())
    return render.text(doc, colour=use_colour)


@cli.command()
@path_argument
@click.option(
    "--by",
    default="provider,status",
    show_default=True,
    help="Comma-separated groups: provider, claimant, place, item, status, source.",
)
@click.option(
    "--level",
    type=click.Choice(["country", "governorate", "district", "city"]),
    help="With `--by place`, lift each place to this level of the gazetteer.",
)
@click.option(
    "--unit", help="Show totals of this unit's dimension in it (e.g. `kg`); others stay canonical."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True
)
def totals(path: str, by: str, level: str | None, unit: str | None, fmt: str) -> None:
    """Add up the ledger at PATH: low, point and high totals per group.

    Each delivery is counted once (claims that sum others and `same_as` duplicates are left
    out), pledges stay apart from deliveries (group by `status`), `context` figures and zero
    claims are not totalled, and different dimensions (t, people, blankets) are never added.

    \b
    Example:
        aid-ledger totals data
        aid-ledger totals data --by provider,place --level governorate --unit kg
    """
    from .analysis import analyse
    from .render import _table
    from .report import _total_row
    from .totals import TotalsError
    from .totals import totals as compute

    book = load_or_fail(path)
    try:
        table = compute(
            analyse(book), tuple(k.strip() for k in by.split(",") if k.strip()), level, unit
        )
    except TotalsError as exc:
        raise click.BadParameter(str(exc)) from None
    rows = [_total_row(r) for r in table.to_dict("records")]
    if fmt == "csv":
        click.echo(table.to_csv(index=False), nl=False)
    elif fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(_table(rows)))
    sys.exit(0 if book.ok else 1)


def main() -> None:
    cli(prog_name="aid-ledger")
