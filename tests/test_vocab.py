"""The vocabularies of `ledger.vocab` are the only spelling: the CLI's choices, the loader's
statuses and qualifiers and the exit rule all read them (the schema and the docs are held to
them by test_schema.py and test_docs.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import click
import pytest

import ledger
from ledger.analysis import analyse, verdict
from ledger.cli import cli
from ledger.export import export
from ledger.intervals import Interval
from ledger.outcome import fails
from ledger.quantity import QUALIFIERS
from ledger.records import STATUSES
from ledger.vocab import (
    ALWAYS_FAILS,
    FAILABLE,
    CheckFormat,
    CheckKind,
    ExportFormat,
    Family,
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

from .conftest import REPO, SEED_DATA

ENUMS: list[type[StrEnum]] = [
    Status,
    Verdict,
    CheckKind,
    Family,
    PlaceLevel,
    OrgKind,
    CheckFormat,
    ReportFormat,
    TotalsFormat,
    TotalsPer,
    FindingCode,
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
        ("totals", "per", TotalsPer),
        ("report", "findings", FindingCode),
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


def _iv(lo: int, hi: int) -> Interval:
    return Interval(Decimal(lo), Decimal(hi))


@pytest.mark.parametrize(
    ("claim", "parts", "claim_r", "parts_r", "expected"),
    [
        (_iv(90, 110), _iv(95, 105), _iv(90, 110), _iv(95, 105), Verdict.SUPPORTED),
        (_iv(90, 110), _iv(100, 120), _iv(90, 110), _iv(100, 120), Verdict.COMPATIBLE),
        (_iv(100, 100), _iv(104, 104), _iv(95, 105), _iv(104, 104), Verdict.ROUNDING),
        (_iv(100, 100), _iv(200, 200), _iv(95, 105), _iv(200, 200), Verdict.CONTRADICTED),
    ],
)
def test_analysis_verdict_returns_members(claim, parts, claim_r, parts_r, expected):
    """`analysis.verdict` answers with the vocabulary's members, not words of its own."""
    got = verdict(claim, parts, claim_r, parts_r)
    assert type(got) is Verdict and got is expected


def test_every_verdict_and_kind_the_analysis_produces_is_a_member(seed_copy: Path):
    """Over the seed (a sum and a count) plus a claim whose part is missing (the default,
    `incomparable`): each check's verdict is a `Verdict` and its kind a `CheckKind`."""
    claims = seed_copy / "claims" / "sputnik-2016-12-03-aleppo.yaml"
    with claims.open("a", encoding="utf-8") as f:
        f.write(
            "\n  - id: test-missing-part\n    claimant: Russian Ministry of Defence\n"
            "    provider: Russia\n    status: delivered\n    item: humanitarian aid\n"
            "    quantity: about 1 t\n    places: [Saydnaya]\n    period: 2016-12-01/2016-12-02\n"
            "    quote: in the Seid Naya area in the Damascus province — about one ton\n"
            "    sum_of: [no-such-claim]\n"
        )
    checks = {c.claim: c for c in analyse(ledger.load(seed_copy)).checks}
    assert checks["test-missing-part"].verdict is Verdict.INCOMPARABLE
    assert {type(c.verdict) for c in checks.values()} == {Verdict}
    assert {c.kind for c in checks.values()} == set(CheckKind)
    assert {type(c.kind) for c in checks.values()} == {CheckKind}


def test_members_reach_the_sqlite_export_as_plain_text(tmp_path: Path):
    """Verdicts and kinds are members in the analysis; SQLite stores their words as TEXT."""
    db = tmp_path / "ledger.db"
    export(analyse(ledger.load(SEED_DATA)), ExportFormat.SQLITE, str(db))
    con = sqlite3.connect(db)
    try:
        kinds = con.execute("SELECT DISTINCT kind, typeof(kind) FROM claim_parts").fetchall()
        verdicts = con.execute(
            "SELECT DISTINCT verdict, typeof(verdict) FROM claims WHERE verdict IS NOT NULL"
        ).fetchall()
        codes = con.execute("SELECT code FROM findings WHERE code LIKE 'verdict-%'").fetchall()
    finally:
        con.close()
    assert {k for k, _ in kinds} == set(choices(CheckKind))
    assert verdicts and {v for v, _ in verdicts} <= set(choices(Verdict))
    assert {t for _, t in kinds + verdicts} == {"text"}
    assert codes and {c.removeprefix("verdict-") for (c,) in codes} <= set(choices(Verdict))


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
