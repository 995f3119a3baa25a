"""Claim files -> claim records: the structural stage of the pipeline.

Each claim file is `{source: <id>, claims: [...]}`. This stage checks the shape only (known
keys, required keys, types) and turns each claim into a flat record that remembers the line of
every field. Meaning (units, places, quotes) is checked later, column by column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .problems import Problem, did_you_mean, error, warning
from .vocab import Status
from .yamlfile import LList, LMap, load_yaml

# status -> what it means; the words and their meanings live in vocab.Status
STATUSES: dict[str, str] = {s.value: s.description for s in Status}
# key -> (expected python type(s), description used in messages)
CLAIM_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "id": ((str,), "a unique name, letters, digits, `-`, `_` and `.`"),
    "claimant": ((str,), "who states the figure"),
    "provider": ((str,), "who delivered or pledged the aid"),
    "status": ((str,), "one of " + ", ".join(f"`{s}`" for s in STATUSES)),
    "item": ((str,), "what was delivered, e.g. `flour`"),
    "quantity": ((str, LMap, int, float), "a phrase such as `about 4 t` or `{value, unit}`"),
    "places": ((list, str), "a list of gazetteer names"),
    "date": ((str, int), "an ISO 8601 date, e.g. `2016-12-02`"),
    "period": ((str, int), "an ISO 8601 period, e.g. `2016-12-01/2016-12-02`"),
    "quote": ((str,), "the sentence of the source that states the figure, verbatim"),
    "notes": ((str,), "free text"),
    "sum_of": ((list,), "ids of the claims this one adds up"),
    "count_of": (
        (list,),
        "ids of the claims this one counts; ids in brackets count as one action: `[a, [b, c]]`",
    ),
    "same_as": ((str,), "id of a claim about the same delivery from another source"),
    "sum_as": (
        (str,),
        "what this claim adds to a sum in another unit: `unknown`, or a figure such as "
        "`at least 2 t`",
    ),
}
_KIND_NAMES = {LMap: "mapping", LList: "list", str: "text", int: "number", float: "number"}
_VERBATIM = frozenset({"quote", "notes"})
_TEXT_KEYS = (
    frozenset(
        {"id", "claimant", "provider", "status", "item", "date", "period", "same_as", "sum_as"}
    )
    | _VERBATIM
)
REQUIRED = ("id", "claimant", "status", "item", "quantity", "places", "quote")
FILE_KEYS = {"source": "the id of the source in sources.yaml", "claims": "the list of claims",
             "notes": "free text"}  # fmt: skip
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
QUANTITY_KEYS = ("value", "unit", "qualifier")


def read_claim_file(
    path: Path, display: str, text: str | None = None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """One claim file -> (records, problems). Records carry `file`, `line` and `lines`."""
    doc = load_yaml(path, display, text)
    return records_from(doc.value, display, list(doc.problems))


def records_from(
    top: Any, display: str, problems: list[Problem]
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The structural stage on a parsed claim file (from either YAML reader)."""
    if top is None:
        return [], problems
    if not isinstance(top, LMap):
        msg = (
            "a claim file is a mapping: `source: <source id>` then `claims:` with a list of claims."
        )
        return [], [*problems, error(display, getattr(top, "line", 1), "file-top-level", msg)]
    for key in top:
        if key not in FILE_KEYS:
            msg = f"unknown top-level key `{key}`.{did_you_mean(key, FILE_KEYS)}"
            problems.append(error(display, top.key_lines[key], "key-unknown", msg))
    source = top.get("source")
    if not isinstance(source, str) or not source:
        msg = "the file needs `source: <id>` naming its entry in sources.yaml."
        problems.append(error(display, top.key_lines.get("source", top.line), "key-missing", msg))
        source = None
    source_line = top.value_lines.get("source", top.line)
    claims = top.get("claims")
    if not isinstance(claims, LList):
        at = top.key_lines.get("claims", top.line)
        msg = "the file needs `claims:` followed by a list of claims (`- id: ...`)."
        if "claims" in top and claims is None:
            msg = "`claims:` is empty; add claims or delete the file."
            problems.append(warning(display, at, "claims-empty", msg))
        else:
            problems.append(
                error(display, at, "key-missing" if "claims" not in top else "type-invalid", msg)
            )
        return [], problems
    records = []
    for raw, line in zip(claims, claims.item_lines, strict=True):
        rec = _record(raw, line, display, source, source_line, problems)
        if rec is not None:
            records.append(rec)
    return records, problems


def _record(
    raw: Any,
    line: int,
    display: str,
    source: str | None,
    source_line: int,
    problems: list[Problem],
) -> dict[str, Any] | None:
    if not isinstance(raw, LMap):
        msg = "each claim must be a mapping of keys (`- id: ...`)."
        problems.append(error(display, line, "type-invalid", msg))
        return None
    rec: dict[str, Any] = {"file": display, "line": line, "source": source, "lines": {}}
    if source is not None:
        rec["lines"]["source"] = source_line
    lines = rec["lines"]
    for key, value in raw.items():
        if type(value) is str and key in _TEXT_KEYS:  # the common case, kept cheap
            lines[key] = raw.value_lines[key]
            text = value if key in _VERBATIM else " ".join(value.split())
            if text:
                rec[key] = text
                continue
        at = raw.key_lines[key]
        if key not in CLAIM_KEYS:
            msg = f"unknown key `{key}`.{did_you_mean(key, CLAIM_KEYS)}"
            problems.append(error(display, at, "key-unknown", msg))
            continue
        rec["lines"][key] = raw.value_lines[key]
        if value is None:
            continue
        value = _typed(key, value, raw, display, problems)
        if value is not None:
            rec[key] = value
    _required(rec, raw, line, display, problems)
    _id(rec, display, problems)
    return rec


def _typed(key: str, value: Any, raw: LMap, display: str, problems: list[Problem]) -> Any:
    types, what = CLAIM_KEYS[key]
    at = raw.value_lines[key]
    if isinstance(value, bool) or not isinstance(value, types):
        shown = (
            "true/false"
            if isinstance(value, bool)
            else _KIND_NAMES.get(type(value), type(value).__name__)
        )
        msg = f"`{key}` must be {what}; found a {shown}."
        if key in ("sum_of", "count_of") and isinstance(value, str):
            ids = ", ".join(v.strip() for v in value.split(",") if v.strip())
            msg += f" Write the ids as a list in brackets: `{key}: [{ids}]`."
        problems.append(error(display, at, "type-invalid", msg))
        return None
    if key in ("date", "period") and isinstance(value, int):
        return str(value)
    if key == "places" and isinstance(value, str):
        value = (value,)
    if key == "count_of" and any(isinstance(v, list) for v in value):
        return _count_groups(value, at, display, problems)
    if key in ("places", "sum_of", "count_of"):
        if not all(isinstance(v, str) and v.strip() for v in value):
            msg = f"`{key}` must be a list of names; write each as text."
            if key == "sum_of" and any(isinstance(v, list) for v in value):
                msg += " Brackets group ids into one action in `count_of` only; a sum adds each."
            problems.append(error(display, at, "type-invalid", msg))
            return None
        return tuple(" ".join(v.split()) for v in value)
    if key == "quantity" and isinstance(value, LMap):
        return _quantity_mapping(value, display, problems)
    if key == "quantity" and isinstance(value, (int, float)):
        msg = f"`quantity: {value}` has no unit; write `{value} t`, `{value} people`, ..."
        problems.append(error(display, at, "quantity-no-unit", msg))
        return None
    if isinstance(value, str) and key != "quote" and key != "notes":
        value = " ".join(value.split())
        if not value:
            problems.append(error(display, at, "type-invalid", f"`{key}` is empty."))
            return None
    return value


def _count_groups(
    value: list[Any], at: int, display: str, problems: list[Problem]
) -> tuple[str | tuple[str, ...], ...] | None:
    """`count_of` with groups: `[a, [b, c], d]` counts three actions, where a group is one
    action that several claims describe (a convoy's food in tonnes and its kits as a count).
    Each bad item is a problem at its own line; None (the key dropped) when any is bad."""
    lines = getattr(value, "item_lines", None) or []
    out: list[str | tuple[str, ...]] = []
    for n, item in enumerate(value):
        problem = _group_problem(item)
        if problem is not None:
            line = lines[n] if n < len(lines) and lines[n] else at
            problems.append(error(display, line, *problem))
        elif isinstance(item, str):
            out.append(" ".join(item.split()))
        else:
            out.append(tuple(" ".join(v.split()) for v in item))
    return tuple(out) if len(out) == len(value) else None


def _group_problem(item: Any) -> tuple[str, str] | None:
    """What is wrong with one item of a grouped `count_of` (a code and what to write), if any."""
    if isinstance(item, str):
        return None if item.strip() else ("type-invalid", "`count_of` holds an empty id.")
    if not isinstance(item, list):
        shown = "true/false" if isinstance(item, bool) else _KIND_NAMES.get(type(item), "value")
        return (
            "type-invalid",
            f"`count_of` lists claim ids, or ids in brackets for one action (`[a, [b, c]]`); "
            f"found a {shown}: write each id as text.",
        )
    if not item:
        msg = "`count_of` holds an empty group `[]`; list the ids of that action, or remove it."
        return "count-of-group-empty", msg
    if any(isinstance(v, list) for v in item):
        msg = (
            "a group in `count_of` lists ids, not groups (groups do not nest); write one group "
            "per action, e.g. `[a, [b, c, d]]`."
        )
        return "count-of-group-nested", msg
    if not all(isinstance(v, str) and v.strip() for v in item):
        return "type-invalid", "a group in `count_of` lists claim ids; write each id as text."
    return None


def _quantity_mapping(value: LMap, display: str, problems: list[Problem]) -> LMap | None:
    ok = True
    for k in value:
        if k not in QUANTITY_KEYS:
            msg = f"unknown key `{k}` in `quantity`.{did_you_mean(k, QUANTITY_KEYS)}"
            problems.append(error(display, value.key_lines[k], "key-unknown", msg))
            ok = False
    for k in ("value", "unit"):
        if k not in value:
            msg = f"`quantity` as a mapping needs `{k}` (e.g. `{{value: 4, unit: t}}`)."
            problems.append(error(display, value.line, "key-missing", msg))
            ok = False
    if "value" in value.quoted:
        msg = f'`value: "{value["value"]}"` is a number written as text; drop the quotes.'
        problems.append(warning(display, value.value_lines["value"], "yaml-number-as-text", msg))
    return value if ok else None


def _required(
    rec: dict[str, Any], raw: LMap, line: int, display: str, problems: list[Problem]
) -> None:
    for key in REQUIRED:
        if key not in raw:
            _, what = CLAIM_KEYS[key]
            problems.append(error(display, line, "key-missing", f"a claim needs `{key}`: {what}."))
    status = rec.get("status")
    if "provider" not in raw and status != Status.CONTEXT:
        msg = "a claim needs `provider`: who delivered or pledged (only `status: context` may omit it)."
        problems.append(error(display, line, "key-missing", msg))
    if "date" in raw and "period" in raw:
        msg = "give `date` or `period`, not both."
        problems.append(error(display, raw.key_lines["period"], "date-and-period", msg))
    elif "date" not in raw and "period" not in raw:
        msg = "a claim needs `date` (`2016-12-02`) or `period` (`2016-12-01/2016-12-02`)."
        problems.append(error(display, line, "key-missing", msg))
    if status is not None and status not in STATUSES:
        msg = (
            f"unknown status `{status}`; use one of " + ", ".join(f"`{s}`" for s in STATUSES) + "."
        )
        msg += did_you_mean(status, STATUSES)
        problems.append(error(display, rec["lines"]["status"], "status-invalid", msg))
        rec.pop("status")


def _id(rec: dict[str, Any], display: str, problems: list[Problem]) -> None:
    cid = rec.get("id")
    if cid is not None and not ID_RE.match(cid):
        msg = (
            f"the id `{cid}` holds characters that break links and file names; use letters, digits, "
            f"`-`, `_` and `.` only, e.g. `{re.sub(r'[^A-Za-z0-9._-]+', '-', cid).strip('-.') or 'claim-1'}`."
        )
        problems.append(error(display, rec["lines"]["id"], "id-invalid", msg))
