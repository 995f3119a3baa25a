"""Shared fixtures: the seed ledger (a copy of tests/fixtures/seed), a throw-away copy a test
may edit, and one CLI runner."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parent.parent
# The seed ledger as a test fixture: users curate the live `data/`, and what they write there
# must never break the suite. Tests read a copy made once per run (the fixture itself stays
# as committed, and caches a command writes land in the copy, not in the source tree).
FIXTURE = REPO / "tests" / "fixtures" / "seed"
SEED_REPO = Path(tempfile.mkdtemp(prefix="aid-ledger-seed-"))
shutil.copytree(FIXTURE, SEED_REPO, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
atexit.register(shutil.rmtree, SEED_REPO, True)
SEED_DATA = SEED_REPO / "data"
SEED_CLAIMS = "claims/sputnik-2016-12-03-aleppo.yaml"


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A copy of the repository's `data/` and `seeds/` under tmp; returns the data folder."""
    shutil.copytree(FIXTURE / "data", tmp_path / "data", ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    return tmp_path / "data"


def cli_run(*args: str, input: str | None = None, **kw: Any) -> Result:
    """`aid-ledger *args` through click's CliRunner, with `input` on stdin; any other keyword
    (`env`, `prog_name`, `color`, `terminal_width`...) goes to `CliRunner.invoke`.

    `result.output` holds stdout and stderr interleaved, `result.stdout` and `result.stderr`
    each alone. A Python exception escaping the command fails the test here, with the
    command's output and the original traceback: a crash never passes for a normal exit 1.
    """
    from ledger.cli import cli  # here, so a broken import fails only the CLI tests

    result = CliRunner().invoke(cli, list(args), input=input, **kw)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        command = " ".join(["aid-ledger", *args])
        raise AssertionError(
            f"`{command}` raised {exc!r} (exit {result.exit_code})\n{result.output}"
        ) from exc
    return result


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line holding `needle` (so tests never hard-code lines)."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


class Page(HTMLParser):
    """Every start tag with its attributes, every style block and all the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, but lock files and hidden folders (the parse
    cache, which any command may refresh): what a refused write must leave as it was."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        hidden = any(part.startswith(".") for part in rel.parts[:-1])
        if p.is_file() and not p.name.endswith(".lock") and not hidden:
            out[str(rel)] = p.read_bytes()
    return out
