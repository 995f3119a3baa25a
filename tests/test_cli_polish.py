"""The smaller points of issue 13 (item 10): `check` in colour like `report`, counts that
agree with their nouns, `totals --by` with a key twice, NO_COLOR honoured."""

from __future__ import annotations

from pathlib import Path

from ledger.cli import common as cli_module

from .conftest import SEED_CLAIMS, cli_run


def _one_error(seed_copy: Path) -> None:
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("about one ton", "about one tonne"), encoding="utf-8")


def test_check_marks_severities_in_colour_when_asked(seed_copy: Path):
    _one_error(seed_copy)
    coloured = cli_run("check", str(seed_copy), "--color", color=True)
    plain = cli_run("check", str(seed_copy), "--no-color", color=True)
    assert "\x1b[31m\x1b[1merror\x1b[0m" in coloured.output  # red, bold
    assert "\x1b[" not in plain.output
    assert coloured.exit_code == plain.exit_code == 1


def test_no_color_in_the_environment_wins_over_a_terminal(monkeypatch):
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli_module.sys, "stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module.colour_for(None, True) is True  # a terminal: colour
    assert cli_module.colour_for(None, False) is False  # written to a file: none
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module.colour_for(None, True) is False  # no-color.org
    assert cli_module.colour_for(True, True) is True  # --color still forces it


def test_counts_agree_with_their_nouns(seed_copy: Path):
    _one_error(seed_copy)
    result = cli_run("check", str(seed_copy), "--no-cache")
    assert "1 error, " in result.output and "1 errors" not in result.output
    report = cli_run("report", str(seed_copy), "--no-cache")
    assert "the ledger has 1 error:" in report.output


def test_totals_by_a_key_named_twice_is_that_key_once(seed_copy: Path):
    once = cli_run("totals", str(seed_copy), "--by", "provider", "--no-cache")
    twice = cli_run("totals", str(seed_copy), "--by", "provider,provider", "--no-cache")
    assert twice.exit_code == once.exit_code == 0, twice.output
    assert twice.output == once.output
