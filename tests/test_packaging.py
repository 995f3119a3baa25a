"""Installing prints no deprecation banner: `project.license` is an SPDX expression (a TOML
table made setuptools print a screenful of warnings on every `pip install`, issue 13)."""

from __future__ import annotations

import re
import tomllib

from .conftest import REPO


def test_the_license_is_an_spdx_string_and_setuptools_reads_it():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    (req,) = [r for r in pyproject["build-system"]["requires"] if r.startswith("setuptools")]
    assert int(re.search(r">=(\d+)", req).group(1)) >= 77  # the first to read SPDX strings
