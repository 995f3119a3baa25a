"""Around `add` and `export`: the claim-file JSON Schema, the pre-commit hook, and CLI niceties
(`--version`, an example in every command's help, shell completion)."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import click
import jsonschema
import pytest
import yaml

import ledger
from ledger.cli import cli
from ledger.quantity import QUALIFIERS
from ledger.records import CLAIM_KEYS, FILE_KEYS, ID_RE, REQUIRED, STATUSES
from ledger.vocab import Family, Status, Verdict
from ledger.yamlfile import load_yaml

from .conftest import REPO, SEED_CLAIMS, SEED_DATA, SEED_REPO, cli_run

SCHEMA_PATH = REPO / "ledger" / "schema" / "claims.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema="
CLAIM_FILES = sorted((SEED_DATA / "claims").glob("*.y*ml"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def plain(path: Path, text: str | None = None):
    """A claim file as the ledger reads it (YAML 1.2 scalars: dates stay text)."""
    doc = load_yaml(path, path.name, text)
    assert doc.problems == []
    return doc.value


VALID_CLAIM = {
    "id": "c-1",
    "claimant": "Russian Ministry of Defence",
    "provider": "Russia",
    "status": "delivered",
    "item": "humanitarian aid",
    "quantity": "about 1 t",
    "places": ["Saydnaya"],
    "period": "2016-12-01/2016-12-02",
    "quote": "about one ton",
}


def file_with(**claim) -> dict:
    return {"source": "s", "claims": [{**VALID_CLAIM, **claim}]}


# --- the schema ------------------------------------------------------------------------------


def test_schema_is_valid_json_schema(schema: dict):
    cls = jsonschema.validators.validator_for(schema)
    assert schema["$schema"].startswith("https://json-schema.org/")
    cls.check_schema(schema)  # raises SchemaError when it is not


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: p.name)
def test_seed_claim_files_validate(validator, path: Path):
    errors = [e.message for e in validator.iter_errors(plain(path))]
    assert errors == []


def test_the_seed_has_claim_files():
    assert SEED_DATA / SEED_CLAIMS in CLAIM_FILES


def test_schema_keys_match_the_loader(schema: dict):
    claim = schema["$defs"]["claim"]
    assert set(claim["properties"]) == set(CLAIM_KEYS)
    assert set(claim["required"]) == set(REQUIRED)
    assert set(claim["properties"]["status"]["enum"]) == set(STATUSES)
    assert set(schema["properties"]) == set(FILE_KEYS)
    assert claim["properties"]["id"]["pattern"] == ID_RE.pattern
    quantity = claim["properties"]["quantity"]["oneOf"]
    mapping = next(q for q in quantity if q.get("type") == "object")
    # qualifiers are matched in any case (as the loader does), by an ECMA-262-safe pattern
    pattern = re.compile(mapping["properties"]["qualifier"]["pattern"])
    for q in QUALIFIERS:
        assert (
            pattern.fullmatch(q) and pattern.fullmatch(q.upper()) and pattern.fullmatch(q.title())
        )
    assert not pattern.fullmatch("aboutt") and not pattern.fullmatch("roughly about")


def _qualifier_schema(schema: dict) -> dict:
    quantity = schema["$defs"]["claim"]["properties"]["quantity"]["oneOf"]
    return next(q for q in quantity if q.get("type") == "object")["properties"]["qualifier"]


def test_schema_statuses_are_the_vocabulary(schema: dict):
    """The schema ships as data: this keeps its status list and wording in step with vocab."""
    status = schema["$defs"]["claim"]["properties"]["status"]
    assert status["enum"] == [s.value for s in Status]
    assert status["description"] == "; ".join(f"{s}: {s.description}" for s in Status)
    assert list(STATUSES) == status["enum"]


def test_schema_qualifiers_are_the_vocabulary(schema: dict):
    """The qualifier pattern spells each qualifier in any case (`[aA][bB]...`): read back, its
    alternatives are exactly the loader's qualifiers, in the same order as its description."""
    qualifier = _qualifier_schema(schema)
    body = qualifier["pattern"].removeprefix("^(?:").removesuffix(")$")
    spelled = [
        re.sub(r"\\(.)", r"\1", re.sub(r"\[(.)(.)\]", r"\1", alt)) for alt in body.split("|")
    ]
    assert spelled == list(QUALIFIERS)
    assert qualifier["description"] == f"one of: {', '.join(QUALIFIERS)} (any case)"
    assert set(QUALIFIERS.values()) == set(Family) - {Family.EXACT}


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({}, True),
        ({"quantity": {"value": 4, "unit": "t", "qualifier": "about"}}, True),
        ({"quantity": {"value": [2, 3], "unit": "t", "qualifier": "between"}}, True),
        ({"status": "context", "provider": None}, True),
        ({"period": None, "date": "2016-12-02"}, True),
        ({"period": "../2016-12-02"}, True),
        ({"quantitiy": "about 1 t"}, False),
        ({"status": "delivred"}, False),
        ({"quote": None}, False),
        ({"provider": None}, False),
        ({"date": "2016-12-02"}, False),  # and a period
        ({"period": "2 December 2016"}, False),
        ({"id": "has space"}, False),
        ({"places": []}, False),
        ({"quantity": {"value": 4}}, False),
    ],
)
def test_schema_tells_good_claims_from_bad(validator, change: dict, valid: bool):
    claim = {**VALID_CLAIM, **change}
    claim = {k: v for k, v in claim.items() if v is not None}
    assert validator.is_valid({"source": "s", "claims": [claim]}) is valid


@pytest.mark.parametrize(
    "form",
    [
        "    places: Saydnaya\n",
        "    date: 2016\n",
        "    quantity: {value: 1, unit: t, qualifier: About}\n",
    ],
    ids=["places-as-text", "date-as-year", "qualifier-capitalised"],
)
def test_what_check_accepts_the_schema_accepts(validator, seed_copy: Path, form: str):
    """An editor must not mark as wrong a claim that `aid-ledger check` accepts silently."""
    key = form.split(":")[0].strip()
    lines = {
        "quantity": "    quantity: about 1 t\n",
        "places": "    places: [Saydnaya]\n",
        "date": "    period: 2016-12-01/2016-12-02\n",
    }
    text = (
        "source: sputnik-2016-12-03-aleppo\nclaims:\n  - id: forms-1\n"
        "    claimant: Russian Ministry of Defence\n    provider: Russia\n    status: delivered\n"
        "    item: humanitarian aid\n    quantity: about 1 t\n    places: [Saydnaya]\n"
        "    period: 2016-12-01/2016-12-02\n"
        "    quote: in the Seid Naya area in the Damascus province — about one ton\n"
    ).replace(lines[key], form)
    path = seed_copy / "claims" / "forms.yaml"
    path.write_text(text, encoding="utf-8")
    book = ledger.load(seed_copy)
    assert [p.format() for p in book.problems] == []
    errors = [e.message for e in validator.iter_errors(plain(path))]
    assert errors == []


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: p.name)
def test_seed_claim_files_name_the_schema(path: Path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith(SCHEMA_LINE)
    target = first.removeprefix(SCHEMA_LINE).strip()
    assert not Path(target).is_absolute() and "://" not in target
    # as the bundled ledger's claim files stand (data/claims/ of this repository): a path
    # worked out, not a file read, so a user's edits to data/ cannot break this test
    assert (REPO / path.relative_to(SEED_REPO).parent / target).resolve() == SCHEMA_PATH.resolve()


def test_claim_file_made_by_add_names_the_schema_like_the_seed(seed_copy: Path):
    target = seed_copy / "claims" / "made-by-add.yaml"
    result = cli_run(
        "add", "--file", str(target), "--source", "sputnik-2016-12-03-aleppo", "--id", "m-1",
        "--claimant", "Russian Ministry of Defence", "--provider", "Russia",
        "--status", "delivered", "--item", "humanitarian aid", "--quantity", "about 1 t",
        "--places", "Saydnaya", "--period", "2016-12-01/2016-12-02",
        "--quote", "about one ton", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    first = target.read_text(encoding="utf-8").split("\n", 1)[0]
    seed_first = (SEED_DATA / SEED_CLAIMS).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == seed_first  # same folder depth: it resolves in the repository as the seed's


def test_schema_is_shipped_with_the_package():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]["ledger"]
    assert any(Path("schema/claims.schema.json").match(g) for g in data)


# --- the report's JSON ------------------------------------------------------------------------

REPORT_SCHEMA_PATH = REPO / "ledger" / "schema" / "report.schema.json"


@pytest.fixture(scope="module")
def report_schema() -> dict:
    return json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_validator(report_schema: dict) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(report_schema)
    cls.check_schema(report_schema)
    return cls(report_schema)


def report_doc(book: ledger.Ledger) -> dict:
    from ledger.analysis import analyse
    from ledger.report import build
    from ledger.views import render_text

    return json.loads(render_text(build(analyse(book)), "json"))


def errors_of(validator, doc: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_report_schema_names_the_vocabulary(report_schema: dict):
    assert report_schema["$schema"].startswith("https://json-schema.org/")
    verdicts = report_schema["$defs"]["check"]["properties"]["verdict"]["enum"]
    assert verdicts == [str(v) for v in Verdict]
    assert report_schema["properties"]["verdict_counts"]["required"] == verdicts


def test_seed_report_validates(report_validator):
    doc = report_doc(ledger.load(SEED_DATA))
    assert doc["checks"] and errors_of(report_validator, doc) == []


def test_report_with_a_conflict_and_a_group_validates(report_validator):
    from .test_analysis import load_memory
    from .test_views import GROUPS

    doc = report_doc(load_memory(GROUPS))
    assert len(doc["conflicts"]) == len(doc["duplicates"]) == 1
    assert errors_of(report_validator, doc) == []
    # a finding per pair, as reports once wrote them, is not a report of this version
    (conflict,) = doc["conflicts"]
    pair = {k: conflict[k] for k in ("code", "outer", "inner", "message")}
    assert errors_of(report_validator, {**doc, "conflicts": [pair]})
    (group,) = doc["duplicates"]
    pair = {k: group[k] for k in ("a", "b", "message")}
    assert errors_of(report_validator, {**doc, "duplicates": [pair]})


def test_report_schema_is_shipped_with_the_package():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]["ledger"]
    assert any(Path("schema/report.schema.json").match(g) for g in data)
    assert (Path(ledger.__file__).parent / "schema" / "report.schema.json").is_file()


# --- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_hook_parses_and_runs_aid_ledger_check(monkeypatch: pytest.MonkeyPatch):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and hooks
    hook = next(h for h in hooks if "aid-ledger check" in h["entry"])
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["language"] == "python"
    words = shlex.split(hook["entry"])
    assert words[:2] == ["aid-ledger", "check"]
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["aid-ledger"] == "ledger.cli:main"
    files = re.compile(hook["files"])
    assert files.search("data/claims/sputnik-2016-12-03-aleppo.yaml")
    assert files.search("seeds/2016-12-03-sputnik-russia-iran-aleppo.txt")
    # What pre-commit would run, from the root of a repository holding the seed ledger.
    monkeypatch.chdir(SEED_REPO)
    result = cli_run(*words[1:], *hook.get("args", []))
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


# --- CLI niceties ---------------------------------------------------------------------------


def test_version_prints_the_version():
    result = cli_run("--version")
    assert result.exit_code == 0
    assert ledger.__version__ in result.output
    assert re.search(r"\d+\.\d+", result.output)


def _leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += _leaf_commands(command, (*path, name))
        else:
            out.append((*path, name))
    return out


COMMANDS = _leaf_commands(cli)


def test_the_documented_commands_exist():
    assert {("check",), ("report",), ("totals",), ("add",), ("export",)} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_help_has_an_example(command: tuple[str, ...]):
    result = cli_run(*command, "--help")
    assert result.exit_code == 0, result.output
    after = result.output.split("Example", 1)
    assert len(after) == 2, result.output
    assert "aid-ledger " + " ".join(command) in after[1]


def test_shell_completion_works():
    result = cli_run(env={"_AID_LEDGER_COMPLETE": "bash_source"}, prog_name="aid-ledger")
    assert result.exit_code == 0
    assert "_aid_ledger_completion" in result.output


def test_shell_completion_is_documented():
    docs = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    text = "\n".join(p.read_text(encoding="utf-8") for p in docs if p.exists())
    assert "_AID_LEDGER_COMPLETE" in text
