"""The vocabularies of `ledger.vocab` are the only spelling: the CLI's choices, the loader's
statuses and qualifiers and the exit rule all read them (the schema and the docs are held to
them by test_schema.py and test_docs.py)."""

from __future__ import annotations

import subprocess
import sys
from enum import StrEnum

import click
import pytest

from ledger.cli import cli
from ledger.outcome import fails
from ledger.quantity import QUALIFIERS
from ledger.records import STATUSES
from ledger.vocab import (
    ALWAYS_FAILS,
    FAILABLE,
    CheckFormat,
    ExportFormat,
    Family,
    OrgKind,
    PlaceLevel,
    ReportFormat,
    Status,
    TotalsFormat,
    Verdict,
    choices,
)

from .conftest import REPO

ENUMS: list[type[StrEnum]] = [
    Status,
    Verdict,
    Family,
    PlaceLevel,
    OrgKind,
    CheckFormat,
    ReportFormat,
    TotalsFormat,
    ExportFormat,
]


def choice_of(command: str, option: str) -> list[str]:
    """The values `aid-ledger COMMAND --OPTION` accepts, as click holds them."""
    (param,) = [p for p in cli.commands[command].params if p.name == option]
    assert isinstance(param.type, click.Choice), (command, option)
    return list(param.type.choices)


@pytest.mark.parametrize(
    ("command", "option", "expected"),
    [
        ("check", "fmt", CheckFormat),
        ("report", "fmt", ReportFormat),
        ("report", "fail_on", FAILABLE),
        ("totals", "level", PlaceLevel),
        ("totals", "fmt", TotalsFormat),
        ("totals", "org_level", OrgKind),
        ("add", "status", Status),
        ("export", "fmt", ExportFormat),
    ],
)
def test_cli_choices_are_the_vocabulary(command: str, option: str, expected) -> None:
    assert choice_of(command, option) == [m.value for m in expected]


def test_every_cli_choice_comes_from_the_vocabulary():
    """No command keeps a `click.Choice` list of its own."""
    known = {tuple(m.value for m in e) for e in ENUMS} | {tuple(m.value for m in FAILABLE)}
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param.type, click.Choice):
                assert tuple(param.type.choices) in known, (name, param.name)


def test_cli_defaults_are_members():
    defaults = {(c, p.name): p.default for c, cmd in cli.commands.items() for p in cmd.params}
    assert defaults[("check", "fmt")] in set(CheckFormat)
    assert defaults[("report", "fmt")] in set(ReportFormat)
    assert defaults[("totals", "fmt")] in set(TotalsFormat)
    assert defaults[("export", "fmt")] in set(ExportFormat)


def test_verdicts_strongest_first():
    assert [v.value for v in Verdict] == [
        "supported",
        "compatible",
        "rounding",
        "contradicted",
        "incomparable",
    ]


def test_failing_verdicts_split_the_rest():
    """`supported` never fails, `contradicted` always does, and `--fail-on` may name any other."""
    assert ALWAYS_FAILS is Verdict.CONTRADICTED
    assert ALWAYS_FAILS not in FAILABLE and Verdict.SUPPORTED not in FAILABLE
    assert set(FAILABLE) | {ALWAYS_FAILS, Verdict.SUPPORTED} == set(Verdict)
    assert [v.value for v in FAILABLE] == ["rounding", "compatible", "incomparable"]


@pytest.mark.parametrize(
    ("verdicts", "fail_on", "failed"),
    [
        ({"contradicted": 1}, (), True),
        ({"contradicted": 0, "supported": 3}, (), False),
        ({"compatible": 2}, (), False),
        ({"compatible": 2}, ("compatible",), True),
        ({"rounding": 1}, (Verdict.ROUNDING,), True),
    ],
)
def test_outcome_fails_on_the_vocabulary(verdicts: dict, fail_on: tuple, failed: bool):
    """Outcomes come back from JSON caches with plain-string keys: members must find them."""
    assert fails(0, 0, verdicts, fail_on) is failed


def test_members_equal_their_words():
    """Values are the strings used in ledgers and output, so old comparisons keep working."""
    assert Status.CONTEXT == "context" and "context" in set(Status)
    assert Status("pledged") is Status.PLEDGED
    assert {"more_than": 1}[Family.MORE_THAN] == 1
    assert f"{Verdict.ROUNDING}" == "rounding" and str(PlaceLevel.CAMP) == "camp"


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_values_are_unique_lowercase_words(enum: type[StrEnum]):
    values = [m.value for m in enum]
    assert len(set(values)) == len(values)
    assert all(v == v.lower() and " " not in v for v in values)


@pytest.mark.parametrize("enum", [Status, Verdict, Family], ids=lambda e: e.__name__)
def test_described_members_say_what_they_mean(enum):
    assert all(m.description.strip() for m in enum)


def test_loader_tables_read_the_vocabulary():
    assert {s.value: s.description for s in Status} == STATUSES
    assert set(QUALIFIERS.values()) <= set(Family)


def test_choices_are_plain_strings_in_order():
    assert choices(PlaceLevel)[:2] == ["country", "governorate"]
    assert all(type(c) is str for c in choices(Verdict) + choices(FAILABLE))


def test_importing_the_vocabulary_stays_light():
    """The CLI imports vocab at start-up: it must not load pandas or pint (nor must the CLI)."""
    code = (
        "import sys, ledger.vocab, ledger.cli\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pint', 'numpy'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
