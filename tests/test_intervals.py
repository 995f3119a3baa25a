"""Interval arithmetic, the qualifier families, exact decimal sums and the tolerance config."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ledger.config import Tolerances, load_config
from ledger.formatting import json_interval
from ledger.intervals import INF, RULES, Interval, rounded, stated, total
from ledger.quantity import Quantity, parse_quantity
from ledger.vocab import Family

from .conftest import SEED_DATA, cli_run, line_of
from .test_analysis import analysed, check_of, summed, write_ledger

D = Decimal


def iv(lo: str | int, hi: str | int, lo_open: bool = False, hi_open: bool = False) -> Interval:
    return Interval(D(lo), D(hi), lo_open, hi_open)


def closed(lo: str | int, hi: str | int) -> Interval:
    return iv(lo, hi)


def ends(i: Interval) -> tuple[Decimal, Decimal, bool, bool]:
    return (i.lo, i.hi, i.lo_open, i.hi_open)


# --- interval arithmetic -----------------------------------------------------------------------


def test_point_is_a_closed_degenerate_interval():
    p = Interval.point(D(5))
    assert ends(p) == (5, 5, False, False)
    assert not p.empty
    assert p.has(D(5))
    assert not p.has(D("5.0001"))


@pytest.mark.parametrize(
    "interval, empty",
    [
        (iv(1, 2), False),
        (iv(2, 1), True),
        (iv(1, 1), False),
        (iv(1, 1, lo_open=True), True),
        (iv(1, 1, hi_open=True), True),
        (iv(1, 2, True, True), False),
        (iv(0, 0), False),
    ],
)
def test_empty(interval: Interval, empty: bool):
    assert interval.empty is empty


def test_has_respects_open_and_closed_ends():
    half = iv(5, 6, lo_open=True)  # (5, 6]
    assert not half.has(D(5))
    assert half.has(D("5.000001"))
    assert half.has(D(6))
    assert not half.has(D("6.000001"))
    more = iv(5, INF, True, True)  # (5, inf)
    assert not more.has(D(5))
    assert more.has(D(10) ** 30)
    assert not more.has(INF)
    at_least = iv(5, INF, False, True)
    assert at_least.has(D(5))


def test_has_zero():
    assert iv(0, 5).has(D(0))
    assert not iv(0, 5, lo_open=True).has(D(0))


def test_add_adds_ends_and_keeps_openness():
    s = iv(1, 2) + iv(3, 4)
    assert ends(s) == (4, 6, False, False)
    s = iv(1, 2, lo_open=True) + iv(3, 4)
    assert ends(s) == (4, 6, True, False)
    s = iv(1, 2) + iv(3, 4, hi_open=True)
    assert ends(s) == (4, 6, False, True)


def test_add_with_infinity_stays_open_at_infinity():
    s = iv(1, 2) + iv(5, INF, True, True)
    assert s.lo == 6 and s.lo_open
    assert s.hi == INF and s.hi_open
    assert not s.has(INF)
    assert s.has(D(1000))


def test_add_zero_is_neutral():
    z = Interval.point(D(0))
    a = iv("3.5", "4.5", True, False)
    assert a + z == a
    assert z + a == a
    assert total([]) == z
    assert total([a]) == a


def test_total_of_many():
    parts = [iv("3.5", "4.5"), iv("0.5", "1.5"), Interval.point(D("0.25"))]
    assert ends(total(parts)) == (D("4.25"), D("6.25"), False, False)


def test_scale_converts_and_keeps_infinity_and_openness():
    kg = iv(500, 1500, True, False)
    t = kg.scale(D("0.001"))
    assert ends(t) == (D("0.5"), D("1.5"), True, False)
    unbounded = iv(5, INF, True, True).scale(D(1000))
    assert unbounded.lo == 5000 and unbounded.hi == INF and unbounded.lo_open and unbounded.hi_open
    assert Interval.point(D(0)).scale(D("0.001")) == Interval.point(D(0))


@pytest.mark.parametrize(
    "outer, inner, expected",
    [
        (closed(0, 10), closed(2, 3), True),
        (closed(2, 3), closed(0, 10), False),
        (closed(0, 1), iv(0, 1, True, True), True),  # [0,1] holds (0,1)
        (iv(0, 1, True, True), closed(0, 1), False),  # (0,1) misses 0 and 1
        (iv(0, 1, lo_open=True), iv(0, 1, lo_open=True), True),
        (iv(0, 1, hi_open=True), closed(0, 1), False),
        (iv(5, INF, True, True), closed(6, 100), True),
        (iv(5, INF, True, True), closed(5, 100), False),  # 5 is not more than 5
        (iv(5, INF, True, True), iv(6, INF, False, True), True),
        (closed(0, 100), iv(6, INF, False, True), False),
        (closed(4, 6), closed(5, 5), True),
        (closed(0, 0), closed(0, 0), True),
        (closed(0, 0), closed(0, 1), False),
        (closed(1, 2), iv(3, 2), True),  # every value of an empty interval lies anywhere
    ],
)
def test_contains(outer: Interval, inner: Interval, expected: bool):
    assert outer.contains(inner) is expected


def test_intersection_keeps_the_tighter_ends():
    assert ends(closed(0, 5).intersection(closed(3, 8))) == (3, 5, False, False)
    assert ends(iv(1, 3, lo_open=True).intersection(closed(1, 2))) == (1, 2, True, False)
    assert ends(closed(1, 3).intersection(iv(0, 3, hi_open=True))) == (1, 3, False, True)
    assert ends(iv(5, INF, True, True).intersection(closed(4, 6))) == (5, 6, True, False)
    assert closed(0, 1).intersection(closed(2, 3)).empty
    assert iv(0, 1, hi_open=True).intersection(closed(1, 2)).empty
    assert not closed(0, 1).intersection(closed(1, 2)).empty


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (closed(0, 1), closed(1, 2), True),  # they share 1
        (iv(0, 1, hi_open=True), closed(1, 2), False),
        (closed(0, 1), iv(1, 2, lo_open=True), False),
        (closed(4, 6), iv(5, INF, True, True), True),  # the seed: [4, 6] against (5, inf)
        (closed(4, 5), iv(5, INF, True, True), False),  # 5 t is not more than 5 t
        (closed(0, 0), closed(0, 3), True),
        (closed(0, 0), iv(0, 3, lo_open=True), False),
        (closed(3, 4), closed(1, 2), False),
    ],
)
def test_overlaps(a: Interval, b: Interval, expected: bool):
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


@pytest.mark.parametrize(
    "outer, inner, expected",
    [
        (closed(0, 5), closed(5, 6), True),  # a total of 5 can hold a part of at least 5
        (iv(0, 5, hi_open=True), closed(5, 6), False),
        (closed(0, 5), iv(5, 6, lo_open=True), False),
        (closed(0, 5), closed(2, 3), True),
        (closed(0, 0), closed("0.5", "1.5"), False),  # a zero cannot hold a delivery
        (closed(0, 0), closed(0, 0), True),
        (iv(5, INF, True, True), closed(100, 200), True),
        (closed(1, 2), iv(3, INF, False, True), False),
    ],
)
def test_can_hold(outer: Interval, inner: Interval, expected: bool):
    assert outer.can_hold(inner) is expected


def test_str_and_json_form_show_open_ends_and_infinity():
    more = iv(5, INF, True, True)
    assert str(more) == "(5, inf)"
    assert str(iv("3.5", "4.5")) == "[3.5, 4.5]"
    assert str(iv(85000, 95000)) == "[85,000, 95,000]"
    assert str(iv(4, 5, hi_open=True)) == "[4, 5)"
    assert json_interval(more, "t") == {
        "low": 5,
        "high": None,
        "low_open": True,
        "high_open": True,
        "unit": "t",
    }
    assert json_interval(iv("0.5", "1.5"), "t")["low"] == 0.5


# --- qualifiers through stated() and rounded() ---------------------------------------------------

TOL = Tolerances()


def st(phrase: str) -> tuple[Decimal, Decimal, bool, bool]:
    return ends(stated(parse_quantity(phrase), TOL))


def rd(phrase: str) -> tuple[Decimal, Decimal, bool, bool]:
    return ends(rounded(parse_quantity(phrase), TOL))


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("4 t", (4, 4, False, False)),
        ("3.5 t", (D("3.5"), D("3.5"), False, False)),
        ("about 4 t", (D("3.5"), D("4.5"), False, False)),
        ("around 4 t", (D("3.5"), D("4.5"), False, False)),
        ("approximately 4 t", (D("3.5"), D("4.5"), False, False)),
        ("roughly 4 t", (D("3.5"), D("4.5"), False, False)),
        ("some 4 t", (D("3.5"), D("4.5"), False, False)),
        ("about one t", (D("0.5"), D("1.5"), False, False)),
        ("about 90,000 people", (85000, 95000, False, False)),
        ("about 4.5 t", (D("4.45"), D("4.55"), False, False)),
        ("nearly 5 t", (4, 5, False, True)),
        ("almost 5 t", (4, 5, False, True)),
        ("nearly 5,000 people", (4000, 5000, False, True)),
        ("more than 5 t", (5, INF, True, True)),
        ("over 5 t", (5, INF, True, True)),
        ("at least 5 t", (5, INF, False, True)),
        ("up to 5 t", (0, 5, False, False)),
        ("at most 5 t", (0, 5, False, False)),
        ("less than 5 t", (0, 5, False, True)),
        ("under 5 t", (0, 5, False, True)),
        ("fewer than 5 people", (0, 5, False, True)),
        ("between 2 and 3 t", (2, 3, False, False)),
        ("between 2.5 and 3 t", (D("2.5"), 3, False, False)),
        ("none", (0, 0, False, False)),
        ("0 g", (0, 0, False, False)),
    ],
)
def test_stated(phrase: str, expected: tuple):
    assert st(phrase) == expected


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("3.5 t", (D("3.45"), D("3.55"), False, False)),
        ("3,350 people", (3345, 3355, False, False)),
        ("4 t", (D("3.5"), D("4.5"), False, False)),
        ("1.25 t", (D("1.245"), D("1.255"), False, False)),
        ("3.50 t", (D("3.495"), D("3.505"), False, False)),  # a written trailing zero counts
        ("90,000 people", (85000, 95000, False, False)),
        ("0 g", (0, 0, False, False)),  # zero is not rounded
        ("none", (0, 0, False, False)),
    ],
)
def test_rounded_reads_a_bare_figure_as_rounded(phrase: str, expected: tuple):
    assert rd(phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    ["about 4 t", "nearly 5 t", "more than 5 t", "at least 5 t", "up to 5 t", "less than 5 t",
     "between 2 and 3 t"],
)  # fmt: skip
def test_rounded_leaves_qualified_phrases_as_stated(phrase: str):
    assert rd(phrase) == st(phrase)


def test_every_family_has_an_interval_rule():
    """A family added to the vocabulary without a rule would fail every claim that used it."""
    assert set(RULES) == set(Family)


def test_a_family_outside_the_vocabulary_is_refused():
    q = parse_quantity("4 t")
    odd = Quantity(q.text, q.qualifier, "roughly", q.value, q.low, q.high, q.step, q.unit)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="roughly"):
        stated(odd, TOL)


def test_qualified_intervals_never_go_below_zero():
    wide = Tolerances(about_relative=D(2), nearly_relative=D(2))
    assert ends(stated(parse_quantity("about 4 t"), wide)) == (0, 12, False, False)
    assert stated(parse_quantity("nearly 1 t"), TOL).lo == 0
    assert ends(stated(parse_quantity("nearly 4 t"), wide)) == (0, 4, False, True)


def test_relative_floor_wins_when_wider():
    tol = Tolerances(about_relative=D("0.1"))
    assert ends(stated(parse_quantity("about 90,000 people"), tol)) == (81000, 99000, False, False)
    # for a small figure the digit rule is wider: 4 ± max(0.5, 0.4)
    assert ends(stated(parse_quantity("about 4 t"), tol)) == (D("3.5"), D("4.5"), False, False)


def test_digits_setting_scales_the_about_rule():
    tol = Tolerances(about_digits=D(1))
    assert ends(stated(parse_quantity("about 4 t"), tol)) == (3, 5, False, False)
    tol = Tolerances(rounding_digits=D(1))
    assert ends(rounded(parse_quantity("3.5 t"), tol)) == (D("3.4"), D("3.6"), False, False)


# --- exact decimal sums ----------------------------------------------------------------------------


def test_decimal_sum_of_tenths_is_exact():
    parts = [stated(parse_quantity(p), TOL) for p in ("0.1 t", "0.2 t")]
    s = total(parts)
    claim = stated(parse_quantity("0.3 t"), TOL)
    assert s == claim
    assert claim.contains(s)
    assert claim.has(s.lo)


def test_decimal_sum_through_a_ledger(tmp_path: Path):
    c = check_of(analysed(tmp_path, summed("0.3 t", ["0.1 t", "0.2 t"])), "total")
    assert c.verdict == "supported"
    assert c.point_sum == D("0.3")
    assert c.point_holds is True


def test_decimal_sum_across_units_through_a_ledger(tmp_path: Path):
    c = check_of(analysed(tmp_path, summed("0.3 t", ["100 kg", "0.2 t"])), "total")
    assert c.verdict == "supported"
    assert c.point_holds is True


# --- tolerance config ------------------------------------------------------------------------------


def test_seed_config_is_the_documented_default():
    path = SEED_DATA / "config.yaml"
    tol, problems = load_config(path, "data/config.yaml")
    assert problems == []
    assert tol == Tolerances()


def test_missing_or_empty_config_gives_defaults(tmp_path: Path):
    assert load_config(tmp_path / "config.yaml", "config.yaml") == (Tolerances(), [])
    (tmp_path / "config.yaml").write_text("# nothing yet\n", encoding="utf-8")
    tol, problems = load_config(tmp_path / "config.yaml", "config.yaml")
    assert tol == Tolerances()
    assert all(p.line == 1 for p in problems)


def test_config_values_are_read(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text(
        "tolerance:\n  about: {digits: 1, relative: 0.1}\n  nearly: {relative: 0.2}\n"
        "  rounding: {digits: 0.25}\n",
        encoding="utf-8",
    )
    tol, problems = load_config(path, "config.yaml")
    assert problems == []
    assert tol.about_digits == 1 and tol.about_relative == D("0.1")
    assert tol.nearly_relative == D("0.2") and tol.nearly_digits == 1
    assert tol.rounding_digits == D("0.25") and tol.rounding_relative == 0


@pytest.mark.parametrize(
    "text, needle, code",
    [
        ("tolerence:\n  about: {digits: 1}\n", "tolerence", "key-unknown"),
        ("tolerance:\n  abuot: {digits: 1}\n", "abuot", "key-unknown"),
        ("tolerance:\n  about:\n    digit: 1\n", "digit: 1", "key-unknown"),
        ("tolerance:\n  about:\n    digits: -1\n", "digits: -1", "type-invalid"),
        ("tolerance:\n  about:\n    digits: lots\n", "digits: lots", "type-invalid"),
        ("tolerance:\n  about:\n    digits: true\n", "digits: true", "type-invalid"),
        ("tolerance:\n  about:\n    relative: .nan\n", "relative: .nan", "type-invalid"),
        ("tolerance:\n  about:\n    relative: 1e400\n", "relative: 1e400", "type-invalid"),
        ("tolerance:\n  nearly: 3\n", "nearly: 3", "type-invalid"),
        ("tolerance: 5\n", "tolerance: 5", "type-invalid"),
        ("- about\n", "- about", "file-top-level"),
    ],
)
def test_bad_config_gives_problems_with_lines(tmp_path: Path, text: str, needle: str, code: str):
    path = tmp_path / "config.yaml"
    path.write_text("# tolerances\n" + text, encoding="utf-8")
    tol, problems = load_config(path, "config.yaml")
    assert isinstance(tol, Tolerances)
    hits = [p for p in problems if p.code == code]
    assert hits, [p.format() for p in problems]
    assert hits[0].severity == "error"
    assert hits[0].file == "config.yaml"
    assert hits[0].line == line_of(path, needle)


def test_bad_value_keeps_the_default_and_the_good_values(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text("tolerance:\n  about: {digits: -1, relative: 0.1}\n", encoding="utf-8")
    tol, problems = load_config(path, "config.yaml")
    assert [p.code for p in problems] == ["type-invalid"]
    assert tol.about_digits == D("0.5")
    assert tol.about_relative == D("0.1")


def test_unknown_rule_suggests_the_right_one(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text("tolerance:\n  abuot: {digits: 1}\n", encoding="utf-8")
    _, problems = load_config(path, "config.yaml")
    assert "`about`" in problems[0].message


def test_bad_config_fails_check_with_its_line(tmp_path: Path):
    data = write_ledger(
        tmp_path, [{"id": "a", "quantity": "2 t"}], config="tolerance:\n  abuot: {digits: 1}\n"
    )
    result = cli_run("check", str(data))
    assert result.exit_code == 1, result.output
    line = line_of(data / "config.yaml", "abuot")
    assert f"config.yaml:{line}: error: [key-unknown]" in result.output


# The claim "at least 96 t" against a part "about 90 t": by default about 90 is [85, 95]
# (contradicted); with `relative: 0.1` it is [81, 99] (compatible); with `digits: 1`, [80, 100].
AT_LEAST_96 = summed("at least 96 t", ["about 90 t"])


def test_default_tolerance_verdict(tmp_path: Path):
    c = check_of(analysed(tmp_path, AT_LEAST_96), "total")
    assert c.verdict == "contradicted"
    assert (c.sum.lo, c.sum.hi) == (85, 95)


@pytest.mark.parametrize(
    "config, interval",
    [
        ("tolerance:\n  about: {relative: 0.1}\n", (81, 99)),
        ("tolerance:\n  about: {digits: 1}\n", (80, 100)),
    ],
)
def test_custom_tolerance_changes_the_verdict(tmp_path: Path, config: str, interval: tuple):
    c = check_of(analysed(tmp_path, AT_LEAST_96, config=config), "total")
    assert c.verdict == "compatible"
    assert (c.sum.lo, c.sum.hi) == interval


def test_custom_rounding_changes_the_verdict(tmp_path: Path):
    # 2 t + 1 t under "3.6 t": read as rounded ([1.5, 2.5] + [0.5, 1.5] = [2, 4]) they meet
    # [3.55, 3.65]; with `rounding: {digits: 0.1}` ([1.9, 2.1] + [0.9, 1.1]) they do not.
    claims = summed("3.6 t", ["2 t", "1 t"])
    assert check_of(analysed(tmp_path / "a", claims), "total").verdict == "rounding"
    strict = "tolerance:\n  rounding: {digits: 0.1}\n"
    assert check_of(analysed(tmp_path / "b", claims, strict), "total").verdict == "contradicted"
