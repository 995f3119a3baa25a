"""`ledger.unitfile`: units.txt read by us, imports inlined, each line's arithmetic bounded
before pint sees it, and every problem at its own `file:line` (issue 11)."""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.unitfile import UnitFile, read_units
from ledger.units import Units, units_for

from .conftest import SEED_CLAIMS, cli_run, line_of

D = Decimal


def write(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def read(folder: Path) -> UnitFile:
    return read_units(folder / "units.txt", "data/units.txt")


def found(file: UnitFile) -> list[tuple[str, int, str]]:
    return [(p.file, p.line, p.code) for p in file.problems]


def test_an_exponent_tower_is_a_problem_at_its_line_and_does_not_hang(tmp_path: Path):
    write(tmp_path, "units.txt", "kit = [kit]", "foo = 9**9**9 * kg", "carton = 12 * kit")
    start = time.perf_counter()
    file = read(tmp_path)
    units = Units(file.lines)
    assert time.perf_counter() - start < 2.0
    assert found(file) == [("data/units.txt", 2, "units-definition")]
    (problem,) = file.problems
    assert problem.severity == "error"
    assert "`50 * kg`" in problem.message  # says what to write instead
    assert file.lines == ("kit = [kit]", "carton = 12 * kit")
    assert units.resolve("carton").factor == 12  # the bad line hides nothing else


@pytest.mark.parametrize(
    "value",
    [
        "1e308 * 1e308 * kg",  # each number a float, the product an absurd exact Decimal
        "1e999 * kg",
        "inf * kg",
        "nan * kg",
        "NaN kg",
        "Infinity * kg",
        "0 * kg",
        "-5 * kg",
        "1e-40 * kg",
        "(9**9)**9 * kg",  # a written exponent, but the factor comes to 1.97e77
        "10 ^ 3 ^ 2 * kg",
        "2 ** 40 * kg",
        "kg ** kg",
        "2 ** (1 + 1) * kg",
        "1e20 * 1e20 * kg",
    ],
)
def test_unbounded_arithmetic_is_a_problem_and_left_out(tmp_path: Path, value: str):
    write(tmp_path, "units.txt", "# counted", "kit = [kit]", f"foo = {value}", "box = 6 kit")
    file = read(tmp_path)
    assert found(file) == [("data/units.txt", 3, "units-definition")]
    assert "write the factor as a plain number such as `50 * kg`" in file.problems[0].message
    assert file.lines == ("kit = [kit]", "box = 6 kit")


def test_what_real_units_need_passes_with_pint_s_factors(tmp_path: Path):
    write(
        tmp_path,
        "units.txt",
        "food_kit = [food_kit]  # a counted thing",
        "bottle = [bottle]",
        "bag_50kg = 50 * kg = _ = sack_50kg",
        "sack_25kg = 25 kg",
        "carton = 12 * bottle",
        "cubic_meter = meter ** 3 = m3",
        "jerrycan = 2e1 L",
        "third_tonne = t / 3",
        "kilotonne_x = 10 ** 6 * kg",
        "dose_ml = 0.5 * mL",
        "per_area = kg / m ** -2 / m ** 2",
        "[crowding] = [person] / [length] ** 2",
        "degX = kelvin; offset: 273.15",
        "in_pack = 12 in",  # `in` (inch) is a Python keyword: never handed to Python
    )
    file = read(tmp_path)
    assert file.problems == ()
    assert len(file.lines) == 14
    units = Units(file.lines)
    assert units.rejected == {}
    assert units.resolve("sack_50kg").factor == D("0.05")
    assert units.resolve("sack_25kg").factor == D("0.025")
    assert units.resolve("cartons").factor == 12
    assert units.resolve("m3").factor == 1000
    assert units.resolve("jerrycan").factor == 20
    assert units.resolve("third_tonne").factor == D("0.3333333333333333333333333333")
    assert units.resolve("kilotonne_x").factor == 1000
    assert units.resolve("food_kits").dimension == "food_kit"


def test_an_import_is_inlined_in_place_and_listed_in_reads(tmp_path: Path):
    units_txt = write(tmp_path, "units.txt", "kit = [kit]", "@import more.txt", "box = 6 kit")
    more = write(tmp_path, "more.txt", "# drums", "drum = 200 L = _ = fuel_drum")
    file = read(tmp_path)
    assert file.problems == ()
    assert file.lines == ("kit = [kit]", "drum = 200 L = _ = fuel_drum", "box = 6 kit")
    assert file.origins == (("data/units.txt", 1), ("data/more.txt", 2), ("data/units.txt", 3))
    assert file.reads == {
        units_txt.resolve(): units_txt.read_bytes(),
        more.resolve(): more.read_bytes(),
    }
    assert Units(file.lines).resolve("fuel drums").factor == 200


def test_an_import_from_a_subfolder_names_its_own_imports_from_there(tmp_path: Path):
    write(tmp_path, "units.txt", "@import units/money.txt")
    write(tmp_path, "units/money.txt", "@import ../kits.txt", "USD = [currency_USD]")
    write(tmp_path, "kits.txt", "kit = [kit]")
    file = read(tmp_path)
    assert file.problems == ()
    assert file.lines == ("kit = [kit]", "USD = [currency_USD]")
    assert file.origins == (("data/kits.txt", 1), ("data/units/money.txt", 2))


def test_an_import_leaving_the_folder_is_refused(tmp_path: Path):
    data = tmp_path / "data"
    outside = write(tmp_path, "outside.txt", "evil = 5 kg")
    (data / "sub").mkdir(parents=True)
    (data / "link.txt").symlink_to(outside)
    (data / "sub" / "linked").symlink_to(tmp_path, target_is_directory=True)
    write(
        data,
        "units.txt",
        "@import ../outside.txt",
        f"@import {outside}",
        "@import link.txt",
        "@import sub/linked/outside.txt",
        "@import sub/../../outside.txt",
        "kit = [kit]",
    )
    file = read(data)
    assert found(file) == [("data/units.txt", n, "units-import") for n in range(1, 6)]
    assert all(
        "copy its definitions into a file in that folder" in p.message for p in file.problems
    )
    assert all(p.severity == "error" for p in file.problems)
    assert file.lines == ("kit = [kit]",)
    assert outside.resolve() not in file.reads


def test_a_missing_import_is_a_problem_and_read_as_absent(tmp_path: Path):
    write(tmp_path, "units.txt", "kit = [kit]", "@import extra.txt", "box = 6 kit")
    file = read(tmp_path)
    assert found(file) == [("data/units.txt", 2, "units-import")]
    assert "create it or remove the line" in file.problems[0].message
    assert file.reads[(tmp_path / "extra.txt").resolve()] is None
    assert file.lines == ("kit = [kit]", "box = 6 kit")


def test_a_missing_units_txt_is_read_as_absent(tmp_path: Path):
    file = read(tmp_path)
    assert found(file) == [("data/units.txt", 1, "file-unreadable")]
    assert file.reads == {(tmp_path / "units.txt").resolve(): None}
    assert file.lines == ()


def test_an_imported_pipe_is_a_problem_not_a_hang(tmp_path: Path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path, "units.txt", "@import pipe.txt", "kit = [kit]")
    file = read(tmp_path)
    assert found(file) == [("data/pipe.txt", 1, "file-not-regular")]
    assert file.reads[(tmp_path / "pipe.txt").resolve()] is None
    assert file.lines == ("kit = [kit]",)


def test_an_import_cycle_is_a_problem_not_a_recursion(tmp_path: Path):
    write(tmp_path, "units.txt", "@import a.txt", "@import units.txt", "kit = [kit]")
    write(tmp_path, "a.txt", "aa = [aa]", "@import b.txt")
    write(tmp_path, "b.txt", "@import a.txt", "bb = [bb]")
    file = read(tmp_path)
    assert found(file) == [
        ("data/b.txt", 1, "units-import"),
        ("data/units.txt", 2, "units-import"),
    ]
    assert "a.txt -> b.txt -> a.txt" in file.problems[0].message
    assert file.lines == ("aa = [aa]", "bb = [bb]", "kit = [kit]")


def test_imports_nest_at_most_eight_deep(tmp_path: Path):
    write(tmp_path, "units.txt", "@import f1.txt")
    for n in range(1, 11):
        write(tmp_path, f"f{n}.txt", f"u{n} = [u{n}]", f"@import f{n + 1}.txt")
    file = read(tmp_path)
    assert found(file) == [("data/f8.txt", 2, "units-import")]
    assert "deeper than 8" in file.problems[0].message
    assert file.lines == tuple(f"u{n} = [u{n}]" for n in range(1, 9))


def test_a_file_imported_twice_is_read_once_with_a_warning(tmp_path: Path):
    write(tmp_path, "units.txt", "@import kits.txt", "@import kits.txt")
    write(tmp_path, "kits.txt", "kit = [kit]")
    file = read(tmp_path)
    assert [(p.line, p.severity, p.code) for p in file.problems] == [(2, "warning", "units-import")]
    assert file.lines == ("kit = [kit]",)


def test_problems_in_an_imported_file_are_at_its_own_lines(tmp_path: Path):
    write(tmp_path, "units.txt", "kit = [kit]", "@import more.txt", "box = 6 kit")
    write(tmp_path, "more.txt", "# more", "drum = 200 L", "foo = 1e308 * 1e308 * kg", "bar = 5 kg")
    file = read(tmp_path)
    assert found(file) == [("data/more.txt", 3, "units-definition")]
    # `bar` is pint's own unit: pint refuses the line, and the loader says so at its line
    units = Units(file.lines)
    refused = file.refused(units.rejected)
    assert [(p.file, p.line, p.code) for p in refused] == [("data/more.txt", 4, "units-definition")]
    assert "`bar` is already a unit" in refused[0].message
    assert units.resolve("drums").factor == 200
    assert units.resolve("box").factor == 6


def test_what_pint_refuses_is_left_out_at_its_line(tmp_path: Path):
    write(
        tmp_path,
        "units.txt",
        "kit = [kit]",
        "blanket = [blanket]",
        "blanket = [blanket]",  # a redefinition: pint refuses it
        "crate = 2 * no_such_unit",  # loads, but cannot be worked out
        "loop_a = 2 * loop_b",
        "loop_b = 3 * loop_a",
        "far = Qpc ** 4",  # a bounded exponent, but a factor no float holds
        "box = 6 kit",
    )
    file = read(tmp_path)
    assert file.problems == ()
    units = Units(file.lines)
    assert [p.line for p in file.refused(units.rejected)] == [3, 4, 5, 6, 7]
    assert units.resolve("blankets").dimension == "blanket"
    assert units.resolve("box").factor == 6
    for gone in ("crate", "loop_a", "far"):
        assert units.lookup(gone).code == "unit-unknown"


def test_a_line_that_is_not_a_definition_is_a_problem(tmp_path: Path):
    write(tmp_path, "units.txt", "kit [kit]", "@group extras", "kit = [kit]")
    file = read(tmp_path)
    assert found(file) == [
        ("data/units.txt", 1, "units-definition"),
        ("data/units.txt", 2, "units-definition"),
    ]
    assert "`food_kit = [food_kit]`" in file.problems[0].message
    assert file.lines == ("kit = [kit]",)


def test_registries_are_shared_by_content_never_by_path(tmp_path: Path):
    path = write(tmp_path, "units.txt", "kit = [kit]")
    first = units_for(path)
    assert first.resolve("kits").dimension == "kit"
    assert units_for(("kit = [kit]",)) is first  # same content, same registry
    path.write_text("crate = [crate]\n", encoding="utf-8")
    edited = units_for(path)
    assert edited is not first
    assert edited.resolve("crates").dimension == "crate"
    assert edited.lookup("kits").code == "unit-unknown"


# --- through the command line --------------------------------------------------------------


def test_check_reports_bad_units_at_their_lines_and_report_does_not_crash(seed_copy: Path):
    units_txt = seed_copy / "units.txt"
    with units_txt.open("a", encoding="utf-8") as f:
        f.write("bigsack = 1e308 * 1e308 * kg\ntower = 9**9**9 * kg\ncrate = [crate]\n")
    claims = seed_copy / SEED_CLAIMS
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("quantity: about 4 t", "quantity: about 4 bigsack"), "utf-8")

    start = time.perf_counter()
    result = cli_run("check", str(seed_copy))
    assert time.perf_counter() - start < 10.0
    assert result.exit_code == 1, result.output
    for needle in ("bigsack =", "tower ="):
        line = line_of(units_txt, needle)
        assert f"units.txt:{line}: error: [units-definition]" in result.output
    assert "such as `50 * kg`" in result.output
    assert "[unit-unknown] unknown unit `bigsack`" in result.output
    # the lines around the bad ones still load: the seed's people and blankets are known
    assert "unknown unit `people`" not in result.output

    for fmt in ("text", "json", "html"):
        report = cli_run("report", str(seed_copy), "--format", fmt)  # a crash fails here
        assert report.exit_code == 1, report.output
