"""`aid-ledger check` driven through click's CliRunner, on the seed ledger and broken copies."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import SEED_CLAIMS, SEED_DATA, cli_run, line_of


def test_seed_ledger_checks_clean():
    result = cli_run("check", str(SEED_DATA))
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_mangled_quote_exits_1_at_its_line(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("about one ton", "about one tonne"), encoding="utf-8")
    result = cli_run("check", str(seed_copy))
    assert result.exit_code == 1
    line = line_of(claims, "about one tonne")
    assert f"{claims.name}:{line}: error: [quote-not-found]" in result.output


def test_unknown_unit_exits_1_at_its_line(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace("quantity: about 1 t", "quantity: about 1 tunn"), encoding="utf-8"
    )
    result = cli_run("check", str(seed_copy))
    assert result.exit_code == 1
    line = line_of(claims, "about 1 tunn")
    assert f"{claims.name}:{line}: error: [unit-unknown]" in result.output


def test_duplicate_id_exits_1_at_the_second(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    text = text.replace("id: ru-mod-2016-12-02-saydnaya", "id: ru-mod-2016-12-02-hananu-mahalej")
    claims.write_text(text, encoding="utf-8")
    result = cli_run("check", str(seed_copy))
    assert result.exit_code == 1
    lines = [
        n
        for n, text_line in enumerate(text.splitlines(), 1)
        if "id: ru-mod-2016-12-02-hananu-mahalej" in text_line
    ]
    assert f"{claims.name}:{lines[1]}: error: [id-duplicate]" in result.output


def test_json_format_lists_problems(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("places: [Saydnaya]", "places: [Saydnya]"),
        encoding="utf-8",
    )
    result = cli_run("check", str(seed_copy), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    codes = {p["code"] for p in data["problems"]}
    assert "place-unknown" in codes
    assert data["summary"]["errors"] >= 1
    hit = next(p for p in data["problems"] if p["code"] == "place-unknown")
    assert "Saydnaya" in hit["message"]
    assert hit["line"] == line_of(claims, "places: [Saydnya]")


def test_missing_path_exits_2(tmp_path: Path):
    assert cli_run("check", str(tmp_path / "nope")).exit_code == 2
    assert cli_run("check", str(tmp_path)).exit_code == 2


def test_warnings_alone_exit_0(seed_copy: Path):
    claims = seed_copy / SEED_CLAIMS
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("quantity: about 4 t", "quantity: about 4 tons"),
        encoding="utf-8",
    )
    result = cli_run("check", str(seed_copy))
    assert "warning: [unit-ambiguous-ton]" in result.output
    assert result.exit_code == 0
