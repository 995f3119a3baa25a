"""The ledger's vocabularies, defined once: statuses, verdicts, kinds of check, qualifier
families, place levels, organisation kinds and output formats.

Everything else (the loader, the CLI's choices, the JSON Schema and the docs, through their
tests) reads these, so a word cannot be added in one place and forgotten in another. Members are
`StrEnum`s whose values are the words written in ledgers and printed in output, so they compare
equal to plain strings. The CLI imports this module at start-up: it must stay free of heavy
imports (no pandas, no pint).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class _Described(StrEnum):
    """A `StrEnum` whose members may carry a one-line `description` (for messages and docs)."""

    description: str

    def __new__(cls, value: str, description: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member


class Status(_Described):
    """What a claim says happened to the aid (the claim's `status`)."""

    DELIVERED = "delivered", "aid said to have reached people"
    PLEDGED = "pledged", "aid promised, not yet delivered"
    PLANNED = "planned", "aid scheduled or announced"
    CONTEXT = (
        "context",
        "a figure that is not aid (a population, people in need); never totalled as aid",
    )


class Verdict(_Described):
    """How a summed or counted claim compares with its parts, strongest first: the order of the
    members is the order `analysis` tries them and reports list them in."""

    SUPPORTED = "supported", "every reading of the parts makes the claim true"
    COMPATIBLE = "compatible", "the parts allow the claim, but do not force it"
    ROUNDING = "rounding", "off only by the rounding of bare figures"
    CONTRADICTED = (
        "contradicted",
        "the parts cannot add up to the claim, even read as rounded",
    )
    INCOMPARABLE = "incomparable", "cannot be compared"


ALWAYS_FAILS = Verdict.CONTRADICTED
"""The verdict that always makes `report` exit 1."""

FAILABLE: tuple[Verdict, ...] = (Verdict.ROUNDING, Verdict.COMPATIBLE, Verdict.INCOMPARABLE)
"""The verdicts `report --fail-on` may name to fail too (strict CI)."""


class CheckKind(StrEnum):
    """How a checked claim relates to its parts (`SumCheck.kind`, the `kind` of the report's
    checks and of the SQLite export's `claim_parts`): it adds them up or counts them."""

    SUM = "sum"  # `sum_of`
    COUNT = "count"  # `count_of`


class Family(_Described):
    """Qualifier families: each has one interval rule (`intervals.stated`); many written
    qualifiers (`quantity.QUALIFIERS`) share a family (`around` and `roughly` read as `about`)."""

    EXACT = "exact", "a bare figure: exactly x (or x ± ½ last digit, read as rounded)"
    ABOUT = "about", "x ± ½ last digit"
    NEARLY = "nearly", "[x − 1 last digit, x)"
    MORE_THAN = "more_than", "(x, ∞)"
    AT_LEAST = "at_least", "[x, ∞)"
    UP_TO = "up_to", "[0, x]"
    LESS_THAN = "less_than", "[0, x)"
    BETWEEN = "between", "[a, b]"


class PlaceLevel(StrEnum):
    """A gazetteer entry's `level` in places.yaml, widest first: what `totals --level` lifts
    places to."""

    COUNTRY = "country"
    GOVERNORATE = "governorate"
    DISTRICT = "district"
    CITY = "city"
    AREA = "area"
    NEIGHBOURHOOD = "neighbourhood"
    CAMP = "camp"


class OrgKind(StrEnum):
    """An organisation's `kind` in orgs.yaml: what `totals --org-level` lifts providers to."""

    STATE = "state"
    MINISTRY = "ministry"
    AGENCY = "agency"
    MILITARY = "military"
    NGO = "ngo"
    MOVEMENT = "movement"
    SPOKESPERSON = "spokesperson"
    MEDIA = "media"
    EXPERT = "expert"


class CheckFormat(StrEnum):
    """`check --format`."""

    TEXT = "text"
    JSON = "json"


class ReportFormat(StrEnum):
    """`report --format`."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    HTML = "html"


class TotalsFormat(StrEnum):
    """`totals --format`."""

    TEXT = "text"
    CSV = "csv"
    JSON = "json"


class FindingCode(StrEnum):
    """What the report finds beyond verdicts (`report --finding`, the coverage line): how a
    part strays outside its claim's scope, conflicts, possible conflicts, double counts."""

    SCOPE_PLACE = "scope-place"
    SCOPE_PERIOD = "scope-period"
    SCOPE_PROVIDER = "scope-provider"
    SCOPE_STATUS = "scope-status"
    SCOPE_ITEM = "scope-item"
    CONTAINMENT_CONFLICT = "containment-conflict"
    ZERO_CONTRADICTED = "zero-contradicted"
    POSSIBLE_ZERO_CONTRADICTED = "possible-zero-contradicted"
    POSSIBLE_CONTAINMENT_CONFLICT = "possible-containment-conflict"
    SAME_SOURCE_OVERLAP = "same-source-overlap"
    POSSIBLE_DOUBLE_COUNT = "possible-double-count"


class TotalsPer(StrEnum):
    """`totals --per`: the granularity of the `period` key."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    STATED = "stated"


class TotalKind(StrEnum):
    """What a totals row adds up: never added to a row of another kind."""

    QUANTITY = "quantity"
    PEOPLE = "people reached"
    RUNNING = "running total"
    RUNNING_PEOPLE = "running total, people reached"


class TotalsRole(StrEnum):
    """How `totals` counts one claim (totals.py's rules), exported so that a query over the
    Parquet dataset adds up exactly what `totals` adds up."""

    ITEMISED = "itemised"  # added: each delivery once
    STATED = "stated"  # a containing claim or a `sum_of` with parts missing: shown beside
    PARTS = "parts"  # a `sum_of` or `count_of` whose parts are counted instead
    SAME_AS = "same-as"  # the delivery another claim (`same_as`) stands for
    CONTEXT = "context"  # people in need, populations: never totalled
    ZERO = "zero"  # "not a single gram": nothing to add
    UNREADABLE = "unreadable"  # no id, figure or unit to add (its problem is reported)


class ExportFormat(StrEnum):
    """`export --format`."""

    CSV = "csv"
    HXL = "hxl"
    JSON = "json"
    JSONL = "jsonl"
    SQLITE = "sqlite"
    PARQUET = "parquet"


def choices(members: type[StrEnum] | tuple[StrEnum, ...]) -> list[str]:
    """The values of an enum (or of some of its members), in order, as plain strings for
    `click.Choice` (which shows them in `--help` and in its error messages)."""
    return [str(m) for m in members]
