"""ledger/jsontext.py: indented JSON as json.dumps(indent=2, ensure_ascii=False) writes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from ledger import jsontext


@dataclass
class Point:
    x: int


VALUES: list[Any] = [
    {"claim": "a1", "places": ["Hananu 3", "al-Mahalej camp"], "interval": {"low": 3.5,
     "high": None, "low_open": True}, "empty": [], "none": {}, "nested": [[1, [2, {}]], []]},
    ["Дамаск", "حلب", "tab\there", "line\nbreak", "quote \" and \\", "\x01\x1f\x7f", "\u2028"],
    [0, -1, 2**63 - 1, -(2**63), 0.1 + 0.2, -0.0, 1.5e16, 1e300, 4.5, True, False, None],
    "a string alone",
    [],
    {},
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES)
def test_the_text_is_the_standard_librarys_byte_for_byte(value: Any):
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_default_turns_to_text_is_written_as_json_dumps_writes_it():
    value = {"published": date(2016, 12, 3), "at": datetime(2016, 12, 3, 10, 30),
             "figure": Decimal("3677.9"), "point": Point(1)}  # fmt: skip
    assert jsontext.dumps(value, default=str) == json.dumps(
        value, indent=2, ensure_ascii=False, default=str
    )


@pytest.mark.parametrize("value", [[2**70, 1.5], {2: "a", None: "b", True: "c"}])
def test_what_orjson_refuses_is_written_by_the_standard_library(value: Any):
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_tiny_floats_differ_only_in_spelling():
    text = jsontext.dumps([1e-05, 2.5e-7])
    assert json.loads(text) == [1e-05, 2.5e-7]


def test_a_value_neither_can_write_is_a_type_error():
    with pytest.raises(TypeError):
        jsontext.dumps({"figure": Decimal("1.5")})
