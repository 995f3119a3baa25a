"""`aid-ledger add`: flags, prompts, dry run, refusals, text-preserving appends, locking, crashes.

Every test works on a throw-away copy of the seed ledger (`seed_copy`). "Unchanged" always means
byte for byte; lock files (`.<name>.lock`) are the only files an add may leave behind.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import ledger
import ledger.atomic
from ledger.add import AddRefused, add_claim
from ledger.records import ID_RE

from .conftest import SEED_CLAIMS, SEED_DATA, SEED_REPO, cli_run, line_of, snapshot

SEED_SOURCE = "sputnik-2016-12-03-aleppo"
SEED_DOCUMENT = "seeds/2016-12-03-sputnik-russia-iran-aleppo.txt"
# A claim that is valid against the seed ledger (the quote is in the seed document).
VALID = {
    "--id": "test-claim-1",
    "--claimant": "Russian Ministry of Defence",
    "--provider": "Russia",
    "--status": "delivered",
    "--item": "humanitarian aid",
    "--quantity": "about 4 t",
    "--places": "Hananu 3",
    "--period": "2016-12-01/2016-12-02",
    "--quote": "about 4 tons",
}
CHECK_LINE = re.compile(r"^(?P<file>\S+):(?P<line>\d+): error: \[(?P<code>[a-z0-9-]+)\] ", re.M)


def add_args(file: Path, **over: str | None) -> list[str]:
    """`add --file FILE` plus the VALID flags, with `over` (`quantity="..."`; None drops one)."""
    flags = dict(VALID)
    for key, value in over.items():
        flags["--" + key.replace("_", "-")] = value
    out = ["add", "--file", str(file)]
    for flag, value in flags.items():
        if value is not None:
            out += [flag, value]
    return [*out, "--no-input"]


def leftovers(folder: Path, before: set[str]) -> set[str]:
    """Names that appeared in `folder` since `before`, other than lock files."""
    return {n for n in os.listdir(folder) if n not in before and not n.endswith(".lock")}


def claim(book: ledger.Ledger, cid: str) -> dict:
    """The typed claim `cid` read back, its fields as written (period and quantity as text)."""
    rows = [c for c in book.entries if c.id == cid]
    assert len(rows) == 1, f"{cid} is in the ledger {len(rows)} times"
    c = rows[0]
    written = ("source", "claimant", "provider", "status", "item", "places", "quote", "notes",
               "sum_of", "count_of", "same_as", "file")  # fmt: skip
    return {
        **{k: getattr(c, k) for k in written},
        "quantity": c.quantity_text,
        "period": c.period_text,
    }


def old_claims(book: ledger.Ledger, exclude: set[str] = frozenset()) -> list[str]:
    """The loaded claims (without where they were written, which an insertion may shift) as
    comparable text: every field as written and as resolved."""
    return [repr(c.content()) for c in book.entries if c.id not in exclude]


def errors(book: ledger.Ledger) -> list[str]:
    return [p.format() for p in book.problems if p.severity == "error"]


def add_org(seed_copy: Path, name: str) -> None:
    """Make `name` a known organisation (claimants and providers resolve through orgs.yaml)."""
    orgs = seed_copy / "orgs.yaml"
    if orgs.exists():
        entry = f"- name: {json.dumps(name, ensure_ascii=False)}\n  kind: ngo\n"
        orgs.write_text(orgs.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")


def add_to_document(seed_copy: Path, line: str) -> None:
    """Append a line to the seed source document, so a quote holding it is verbatim."""
    doc = seed_copy.parent / SEED_DOCUMENT
    doc.write_text(doc.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


# --- flags only -----------------------------------------------------------------------------


def test_flags_only_appends_the_claim_with_exactly_the_given_fields(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    old = target.read_bytes()
    before = ledger.load(seed_copy)
    notes = 'Read "tons" as metric tons: see the 5 t total.'
    result = cli_run(*add_args(target, notes=notes, places="Hananu 3, al-Mahalej camp"))
    assert result.exit_code == 0, result.output
    assert f"added test-claim-1 to {target}" in result.stdout
    new = target.read_bytes()
    assert new.startswith(old) and len(new) > len(old)
    book = ledger.load(seed_copy)
    assert errors(book) == []
    assert len(book.claims) == len(before.claims) + 1
    got = claim(book, "test-claim-1")
    assert got["source"] == SEED_SOURCE
    assert got["claimant"] == "Russian Ministry of Defence"
    assert got["provider"] == "Russia"
    assert got["status"] == "delivered"
    assert got["item"] == "humanitarian aid"
    assert got["quantity"] == "about 4 t"
    assert got["places"] == ("Hananu 3", "al-Mahalej camp")
    assert got["period"] == "2016-12-01/2016-12-02"
    assert got["quote"] == "about 4 tons"
    assert got["notes"] == notes
    assert got["sum_of"] is None and got["same_as"] is None
    assert Path(got["file"]).resolve() == target.resolve()
    assert old_claims(book, {"test-claim-1"}) == old_claims(before)


def test_flags_with_sum_of_count_of_and_same_as(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    parts = ["ru-mod-2016-12-02-hananu-mahalej", "ru-mod-2016-12-02-saydnaya"]
    args = add_args(
        target,
        id="test-total",
        quantity="more than 5 t",
        places="Aleppo governorate, Damascus governorate",
        period="../2016-12-02",
        quote="delivered more than 5 metric tons of humanitarian aid",
        same_as="ru-mod-2016-12-02-aleppo-damascus-total",
    )
    args += ["--sum-of", parts[0], "--sum-of", parts[1]]
    result = cli_run(*args)
    assert result.exit_code == 0, result.output
    book = ledger.load(seed_copy)
    assert errors(book) == []
    got = claim(book, "test-total")
    assert got["sum_of"] == tuple(parts)
    assert got["same_as"] == "ru-mod-2016-12-02-aleppo-damascus-total"
    assert got["period"] == "../2016-12-02"

    result = cli_run(
        *add_args(
            target,
            id="test-count",
            item="humanitarian events",
            quantity="two events",
            places="Aleppo governorate, Rural Damascus governorate",
            quote="two humanitarian events have been held",
            count_of=",".join(parts),
        )
    )
    assert result.exit_code == 0, result.output
    assert claim(ledger.load(seed_copy), "test-count")["count_of"] == tuple(parts)


# --- prompts --------------------------------------------------------------------------------


def _last_claim_of(book: ledger.Ledger, name: str) -> dict:
    rows = book.claims[[Path(f).name == name for f in book.claims["file"]]]
    return rows.sort_values("line").iloc[-1].to_dict()


def test_prompts_ask_missing_fields_and_take_defaults_from_the_previous_claim(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    old = target.read_bytes()
    prev = _last_claim_of(ledger.load(seed_copy), target.name)
    # claimant, status, provider and period: an empty line takes the default.
    answers = ["", "", "", "humanitarian aid", "about 4 t", "Hananu 3", "", "about 4 tons"]
    result = cli_run(
        "add", "--file", str(target), "--id", "prompted", input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    for default in (prev["claimant"], prev["status"], prev["provider"], prev["period"]):
        assert f"[{default}]" in result.output
    for label in ("Item", "Quantity", "Places", "Quote"):
        assert re.search(rf"^{label}\b.*: ", result.output, re.M), label
    assert target.read_bytes().startswith(old)
    book = ledger.load(seed_copy)
    assert errors(book) == []
    got = claim(book, "prompted")
    assert (got["claimant"], got["status"], got["provider"], got["period"]) == (
        prev["claimant"],
        prev["status"],
        prev["provider"],
        prev["period"],
    )
    assert (got["item"], got["quantity"], got["places"], got["quote"]) == (
        "humanitarian aid",
        "about 4 t",
        ("Hananu 3",),
        "about 4 tons",
    )


def test_prompt_answers_override_the_defaults(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    add_to_document(seed_copy, 'Aid note: 3 t of flour reached "Saydnaya" #2.')
    answers = [
        "World Food Programme",
        "pledged",
        "WFP",
        "flour",
        "3 t",
        "Saydnaya",
        "2016-12-04",
        'Aid note: 3 t of flour reached "Saydnaya" #2.',
    ]
    result = cli_run("add", "--file", str(target), "--id", "typed", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    got = claim(ledger.load(seed_copy), "typed")
    assert got["claimant"] == "World Food Programme"
    assert got["status"] == "pledged"
    assert got["provider"] == "WFP"
    assert got["places"] == ("Saydnaya",)
    assert got["period"] == "2016-12-04"  # one day: written as `date`
    assert got["quote"] == 'Aid note: 3 t of flour reached "Saydnaya" #2.'


def test_prompts_for_a_new_claim_file_ask_the_source(seed_copy: Path):
    target = seed_copy / "claims" / "second-file.yaml"
    answers = [
        SEED_SOURCE,
        "Russian Ministry of Defence",
        "",  # status: the offered default, delivered
        "Russia",
        "humanitarian aid",
        "about 1 t",
        "Saydnaya",
        "2016-12-02",
        "about one ton",
    ]
    result = cli_run(
        "add", "--file", str(target), "--id", "new-file-1", input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Source id" in result.output
    book = ledger.load(seed_copy)
    assert errors(book) == []
    got = claim(book, "new-file-1")
    assert Path(got["file"]).resolve() == target.resolve()
    assert (got["source"], got["status"], got["period"]) == (SEED_SOURCE, "delivered", "2016-12-02")


def test_no_input_with_a_missing_field_is_a_usage_error_and_writes_nothing(seed_copy: Path):
    before = snapshot(seed_copy.parent)
    result = cli_run(*add_args(seed_copy / SEED_CLAIMS, quote=None))
    assert result.exit_code == 2
    assert "--quote" in result.output
    assert snapshot(seed_copy.parent) == before


# --- dry run --------------------------------------------------------------------------------


def test_dry_run_prints_the_yaml_and_changes_nothing(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    result = cli_run(*add_args(target), "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(seed_copy.parent) == before
    printed = yaml.safe_load(result.stdout)
    assert isinstance(printed, list) and len(printed) == 1
    assert printed[0]["id"] == "test-claim-1"
    assert printed[0]["quantity"] == "about 4 t"
    assert printed[0]["places"] == ["Hananu 3"]
    assert printed[0]["quote"] == "about 4 tons"
    # The real add appends exactly what the dry run showed.
    old = target.read_bytes()
    assert cli_run(*add_args(target)).exit_code == 0
    assert target.read_bytes() == old + result.stdout.encode("utf-8")


# --- refusals -------------------------------------------------------------------------------

REFUSALS = [
    # (code, option, a value that is refused, a value that is accepted)
    ("id-duplicate", "id", "ru-mod-2016-12-02-saydnaya", "fresh-id"),
    ("unit-unknown", "quantity", "about 4 tunn", "about 4 t"),
    ("place-unknown", "places", "Hananu 9", "Hananu 3"),
    ("quote-not-found", "quote", "about 4 tonnes", "about 4 tons"),
    ("sum-of-unknown", "sum_of", "no-such-claim", "ru-mod-2016-12-02-saydnaya"),
    ("quantity-invalid", "quantity", "about four-ish t", "about 4 t"),
]


@pytest.mark.parametrize(("code", "key", "bad", "good"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_writes_nothing_and_prints_check_lines(
    seed_copy: Path, code: str, key: str, bad: str, good: str
):
    target = seed_copy / SEED_CLAIMS
    n_lines = target.read_text(encoding="utf-8").count("\n")
    # Where the field's line would be: the accepted twin's dry run shows the appended lines.
    dry = cli_run(*add_args(target, **{key: good}), "--dry-run")
    assert dry.exit_code == 0, dry.output
    shown = dry.stdout.split("\n")
    at = next(i for i, s in enumerate(shown) if s.strip().removeprefix("- ").startswith(key + ":"))
    expected_line = n_lines + 1 + at

    before = snapshot(seed_copy.parent)
    folder = set(os.listdir(target.parent))
    result = cli_run(*add_args(target, **{key: bad}))
    assert result.exit_code == 1, result.output
    assert snapshot(seed_copy.parent) == before
    assert leftovers(target.parent, folder) == set()
    hits = [m for m in CHECK_LINE.finditer(result.output) if m["code"] == code]
    assert hits, result.output
    assert Path(hits[0]["file"]).name == target.name
    assert int(hits[0]["line"]) == expected_line, result.output
    assert "nothing was written" in result.output


def test_refusal_through_the_library_returns_problems_and_writes_nothing(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    fields = {
        "id": "lib-bad",
        "source": SEED_SOURCE,
        "claimant": "Russian Ministry of Defence",
        "provider": "Russia",
        "status": "delivered",
        "item": "humanitarian aid",
        "quantity": "about 4 tunn",
        "places": ["Hananu 9"],
        "period": "2016-12-01/2016-12-02",
        "quote": "about 4 tonnes",
        "sum_of": ["no-such-claim"],
    }
    result = add_claim(seed_copy, target, fields)
    assert not result.written
    codes = {p.code for p in result.problems if p.severity == "error"}
    assert {"unit-unknown", "place-unknown", "quote-not-found", "sum-of-unknown"} <= codes
    assert snapshot(seed_copy.parent) == before


def test_flow_style_claims_list_is_refused_unchanged(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    target.write_text(
        f"source: {SEED_SOURCE}\n"
        "claims: [{id: flow-1, claimant: Russian Ministry of Defence, provider: Russia,\n"
        "  status: delivered, item: humanitarian aid, quantity: about 1 t, places: [Saydnaya],\n"
        "  period: 2016-12-01/2016-12-02, quote: about one ton}]\n",
        encoding="utf-8",
    )
    assert errors(ledger.load(seed_copy)) == []
    before = snapshot(seed_copy.parent)
    result = cli_run(*add_args(target))
    assert result.exit_code == 1, result.output
    assert "claims:" in result.output
    assert snapshot(seed_copy.parent) == before
    with pytest.raises(AddRefused):
        add_claim(seed_copy, target, {"id": "x", "source": SEED_SOURCE})
    assert snapshot(seed_copy.parent) == before


def test_read_only_claim_file_is_refused_untouched(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    old = target.read_bytes()
    target.chmod(0o444)
    try:
        result = cli_run(*add_args(target))
        assert result.exit_code == 1, result.output
        assert "nothing was written" in result.output
        assert target.read_bytes() == old
        assert stat.S_IMODE(target.stat().st_mode) == 0o444
    finally:
        target.chmod(0o644)


# --- ids ------------------------------------------------------------------------------------


def test_id_is_proposed_when_left_out_and_unique_when_proposed_twice(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    ids = []
    for _ in range(2):
        result = cli_run(*add_args(target, id=None))
        assert result.exit_code == 0, result.output
        ids.append(re.search(r"^added (\S+) to ", result.stdout, re.M)[1])
    assert ids[0] != ids[1]
    for cid in ids:
        assert ID_RE.match(cid)
        assert "hananu-3" in cid  # from the place...
        assert "2016-12" in cid  # ...and the date
    book = ledger.load(seed_copy)
    assert errors(book) == []
    assert all(list(book.claims["id"]).count(cid) == 1 for cid in ids)


# --- new sources ----------------------------------------------------------------------------

NEW_SOURCE = {
    "--source": "relief-2016-12-04",
    "--source-title": "Relief update: Saydnaya",
    "--source-publisher": "Relief Wire",
    "--source-published": "2016-12-04",
    "--source-url": "https://example.org/relief/2016-12-04",
    "--source-document": "seeds/relief-2016-12-04.txt",
}
NEW_DOCUMENT = "On 4 December a convoy brought 12 t of flour to Saydnaya, the agency said.\n"


def _new_source_claim(target: Path, with_source_options: bool = True) -> list[str]:
    args = ["add", "--file", str(target), "--id", "relief-flour"]
    for flag, value in NEW_SOURCE.items():
        if flag == "--source" or with_source_options:
            args += [flag, value]
    return args + [
        "--claimant", "World Food Programme", "--provider", "WFP", "--status", "delivered",
        "--item", "flour", "--quantity", "12 t", "--places", "Saydnaya",
        "--date", "2016-12-04", "--quote", "a convoy brought 12 t of flour to Saydnaya",
    ]  # fmt: skip


def _check_new_source(seed_copy: Path, target: Path, old_sources: bytes) -> None:
    new_sources = (seed_copy / "sources.yaml").read_bytes()
    assert new_sources.startswith(old_sources) and len(new_sources) > len(old_sources)
    book = ledger.load(seed_copy)
    assert errors(book) == []
    src = book.sources["relief-2016-12-04"]
    assert (src.title, src.publisher, src.published, src.url, src.document) == (
        NEW_SOURCE["--source-title"],
        NEW_SOURCE["--source-publisher"],
        NEW_SOURCE["--source-published"],
        NEW_SOURCE["--source-url"],
        NEW_SOURCE["--source-document"],
    )
    got = claim(book, "relief-flour")
    assert got["source"] == "relief-2016-12-04"
    assert Path(got["file"]).resolve() == target.resolve()
    assert got["quote"] == "a convoy brought 12 t of flour to Saydnaya"


def test_new_source_with_its_options_is_appended_to_sources_yaml(seed_copy: Path):
    (seed_copy.parent / NEW_SOURCE["--source-document"]).write_text(NEW_DOCUMENT, encoding="utf-8")
    target = seed_copy / "claims" / "relief-2016-12-04.yaml"
    old_sources = (seed_copy / "sources.yaml").read_bytes()
    result = cli_run(*_new_source_claim(target), "--no-input")
    assert result.exit_code == 0, result.output
    _check_new_source(seed_copy, target, old_sources)


def test_new_source_details_are_prompted_for(seed_copy: Path):
    (seed_copy.parent / NEW_SOURCE["--source-document"]).write_text(NEW_DOCUMENT, encoding="utf-8")
    target = seed_copy / "claims" / "relief-2016-12-04.yaml"
    old_sources = (seed_copy / "sources.yaml").read_bytes()
    answers = [v for k, v in NEW_SOURCE.items() if k != "--source"]
    result = cli_run(
        *_new_source_claim(target, with_source_options=False), input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "title" in result.output and "document" in result.output
    _check_new_source(seed_copy, target, old_sources)


def test_new_source_whose_document_is_missing_writes_nothing(seed_copy: Path):
    target = seed_copy / "claims" / "relief-2016-12-04.yaml"
    before = snapshot(seed_copy.parent)
    result = cli_run(*_new_source_claim(target), "--no-input")
    assert result.exit_code == 1, result.output
    assert "[source-document-missing]" in result.output
    assert snapshot(seed_copy.parent) == before
    assert not target.exists()


# --- the text a person wrote is kept ----------------------------------------------------------


def test_existing_text_is_kept_byte_for_byte_around_the_new_claim(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    text = target.read_text(encoding="utf-8")
    # Make the formatting unusual: comments between and after claims, odd spacing, a flow map.
    text = text.replace("claims:\n", "claims:   # the list\n\n  # first the parts\n", 1)
    text = text.replace(
        "    quantity: about 1 t\n", "    quantity:    {value: 1, unit: t, qualifier: about}\n"
    )
    text += "  # more claims to come\n\n\n"
    target.write_text(text, encoding="utf-8")
    before = ledger.load(seed_copy)
    assert errors(before) == []
    old = target.read_bytes()
    result = cli_run(*add_args(target))
    assert result.exit_code == 0, result.output
    new = target.read_bytes()
    # The new text is the old text with one block inserted: a common prefix and suffix cover it.
    prefix = len(os.path.commonprefix([old, new]))
    suffix = len(os.path.commonprefix([old[prefix:][::-1], new[prefix:][::-1]]))
    assert prefix + suffix == len(old)
    block = new[prefix : len(new) - suffix].decode("utf-8")
    assert "id: test-claim-1" in block
    assert "# the list" not in block and "# more claims" not in block
    book = ledger.load(seed_copy)
    assert errors(book) == []
    assert old_claims(book, {"test-claim-1"}) == old_claims(before)


def test_claims_key_not_last_still_gets_the_claim_in_its_list(seed_copy: Path):
    target = seed_copy / SEED_CLAIMS
    text = target.read_text(encoding="utf-8")
    notes = "notes: kept after the claims\n"
    tail = "# trailing comment about the notes\n" + notes
    target.write_text(text + tail, encoding="utf-8")
    before = ledger.load(seed_copy)
    assert errors(before) == []
    result = cli_run(*add_args(target))
    assert result.exit_code == 0, result.output
    new = target.read_text(encoding="utf-8")
    assert new.startswith(text)
    assert new.endswith(notes)
    book = ledger.load(seed_copy)
    assert errors(book) == []
    got = claim(book, "test-claim-1")
    assert Path(got["file"]).resolve() == target.resolve()
    top = yaml.safe_load(new)
    assert top["notes"] == "kept after the claims"
    assert top["claims"][-1]["id"] == "test-claim-1"
    assert old_claims(book, {"test-claim-1"}) == old_claims(before)


KEEP_CHOMPED = (
    "    notes: |+\n"
    "      A note whose trailing line break is part of it.\n"
)  # fmt: skip


@pytest.mark.parametrize("last_notes", ["as-is", "keep-chomped"])
def test_add_never_changes_what_existing_claims_say(seed_copy: Path, last_notes: str):
    """The last claim of the seed file may end in a `|+` block, whose value runs up to the next
    text: a blank line put before the new claim must not join it."""
    target = seed_copy / SEED_CLAIMS
    if last_notes == "keep-chomped":
        text = target.read_text(encoding="utf-8")
        last = text.rindex("    notes: >-\n")
        target.write_text(text[:last] + KEEP_CHOMPED, encoding="utf-8")
    before = ledger.load(seed_copy)
    assert errors(before) == []
    result = cli_run(*add_args(target))
    assert result.exit_code == 0, result.output
    after = ledger.load(seed_copy)
    assert errors(after) == []
    assert old_claims(after, {"test-claim-1"}) == old_claims(before)


QUOTES = [
    'Aid note: 3 tons of "flour" #1 reached them',
    "- 3 tons, said the café owner — naïve but true",
    "ключ: 3 tons; مساعدات 3 tons 🚚",
    "it's 3 tons: # not a comment",
    "[3 tons] {ok} &anchor *alias !tag %p | > `x` 'y'",
    "yes 3 tons",
    "a line\u2028separator: 3 tons",
]


@pytest.mark.parametrize("quote", QUOTES)
def test_quotes_and_names_with_yaml_specials_round_trip_exactly(seed_copy: Path, quote: str):
    add_to_document(seed_copy, quote)
    target = seed_copy / SEED_CLAIMS
    claimant = 'Ministry: "MoD" #1 — Sa\u2019id al-Ḥalabī'
    provider = "- no"
    notes = "line one: #\nline two \\ end"
    add_org(seed_copy, claimant)
    add_org(seed_copy, provider)
    result = cli_run(
        *add_args(
            target,
            quote=quote,
            quantity="3 t",
            places="Saydnaya",
            claimant=claimant,
            provider=provider,
            notes=notes,
        )
    )
    assert result.exit_code == 0, result.output
    book = ledger.load(seed_copy)
    assert errors(book) == []
    got = claim(book, "test-claim-1")
    assert got["quote"] == quote
    assert got["claimant"] == claimant
    assert got["provider"] == provider
    assert got["notes"] == notes
    # Any YAML reader (PyYAML here, as editors and other tools would) reads the same values.
    written = yaml.safe_load(target.read_text(encoding="utf-8"))["claims"][-1]
    assert (written["quote"], written["claimant"], written["provider"]) == (
        quote,
        claimant,
        provider,
    )


def test_quote_with_a_next_line_character_round_trips_exactly(seed_copy: Path):
    """U+0085 (NEL) is what `…` becomes when Windows-1252 text is read as Latin-1; it is text."""
    quote = "3 tons\u0085 delivered"
    add_to_document(seed_copy, quote)
    target = seed_copy / SEED_CLAIMS
    result = cli_run(*add_args(target, quote=quote, quantity="3 t", places="Saydnaya"))
    assert result.exit_code == 0, result.output
    assert claim(ledger.load(seed_copy), "test-claim-1")["quote"] == quote
    # YAML 1.1 readers (PyYAML) fold a raw NEL inside a double-quoted scalar into a space.
    written = yaml.safe_load(target.read_text(encoding="utf-8"))["claims"][-1]
    assert written["quote"] == quote


# --- concurrency ----------------------------------------------------------------------------


def test_twenty_concurrent_adds_from_separate_processes_all_land(seed_copy: Path):
    """Ten adds name their id, ten let it be proposed (the same proposal for all ten)."""
    target = seed_copy / SEED_CLAIMS
    old = target.read_bytes()
    folder = set(os.listdir(target.parent))
    given = [f"concurrent-{i:02d}" for i in range(10)]
    env = {**os.environ, "PYTHONPATH": str(Path(ledger.__file__).resolve().parent.parent)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ledger", *add_args(target, id=cid)],
            cwd=seed_copy.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cid in [*given, *[None] * 10]
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    added = []
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out + err
        added += re.findall(r"^added (\S+) to ", out, re.M)
    assert len(added) == 20 and len(set(added)) == 20
    assert set(given) <= set(added)
    book = ledger.load(seed_copy)
    assert errors(book) == []
    loaded = list(book.claims["id"])
    assert all(loaded.count(cid) == 1 for cid in added)
    assert target.read_bytes().startswith(old)
    assert leftovers(target.parent, folder) == set()


# --- crash safety ---------------------------------------------------------------------------


def _fail(*args, **kwargs):
    raise OSError(5, "Input/output error (injected)")


@pytest.mark.parametrize("call", ["fsync", "replace"])
def test_error_injected_mid_write_leaves_the_file_as_it_was(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch, call: str
):
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    folder = set(os.listdir(target.parent))
    monkeypatch.setattr(ledger.atomic.os, call, _fail)
    result = cli_run(*add_args(target))
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.output
    assert snapshot(seed_copy.parent) == before
    assert leftovers(target.parent, folder) == set()
    assert errors(ledger.load(seed_copy)) == []


def test_error_writing_the_claim_file_leaves_sources_yaml_as_it_was(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    """A new source and its claim go in together or not at all."""
    (seed_copy.parent / NEW_SOURCE["--source-document"]).write_text(NEW_DOCUMENT, encoding="utf-8")
    target = seed_copy / "claims" / "relief-2016-12-04.yaml"
    before = snapshot(seed_copy.parent)
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == target.name:
            raise OSError(28, "No space left on device (injected)")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(ledger.atomic.os, "replace", replace)
    result = cli_run(*_new_source_claim(target), "--no-input")
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.output
    assert not target.exists()
    assert snapshot(seed_copy.parent) == before


def _torn_after_claimant(data: bytes) -> bytes:
    """Only the new claim's first two lines arrive: the id loads, the rest is lost."""
    at = data.index(b"claimant:", data.index(b"id: test-claim-1"))
    return data[: data.index(b"\n", at) + 1]


def _garbled(data: bytes) -> bytes:
    return data.replace(b"id: test-claim-1", b"id: [test-claim-1")


@pytest.mark.parametrize("damage", [_garbled, _torn_after_claimant], ids=["garbled", "torn"])
def test_a_write_that_does_not_load_back_as_written_is_undone(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch, damage
):
    """The re-read after writing: a write that lands damaged is replaced by the old text."""
    target = seed_copy / SEED_CLAIMS
    before = snapshot(seed_copy.parent)
    real_write = ledger.atomic.write_bytes_atomic
    calls = []

    def damaged_once(path, data):
        calls.append(Path(path).name)
        return real_write(path, damage(data) if len(calls) == 1 else data)

    monkeypatch.setattr(ledger.atomic, "write_bytes_atomic", damaged_once)
    result = cli_run(*add_args(target))
    monkeypatch.undo()
    assert calls and calls[0] == target.name
    assert result.exit_code == 1, result.output
    assert snapshot(seed_copy.parent) == before


def test_the_seed_has_the_claims_and_quote_these_tests_use():
    """Guard: the seed file these tests append to has the claims they refer to."""

    seed = SEED_DATA / SEED_CLAIMS
    for cid in ("ru-mod-2016-12-02-saydnaya", "ru-mod-2016-12-02-hananu-mahalej"):
        assert line_of(seed, f"id: {cid}") > 1
    assert "about 4 tons" in (SEED_REPO / SEED_DOCUMENT).read_text(encoding="utf-8")
