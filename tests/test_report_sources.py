"""Reports cite their sources: each claim shown names its source id, and every format lists each
cited source once with its title, publisher, publication date and URL."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
import yaml

import ledger
from ledger.analysis import analyse
from ledger.loader import Ledger
from ledger.report import Report, build
from ledger.views import render, render_text
from ledger.vocab import ReportFormat

from .conftest import REPO, SEED_DATA, Page
from .test_analysis import UNITS, ledger_texts, load_memory
from .test_views import GROUPS

FORMATS = [f.value for f in ReportFormat]
TITLE = "Russia, Iran Developing Joint Humanitarian Operation in Aleppo"
URL = "https://sputnikglobe.com/20161203/russia-iran-syria-aleppo-1048129386.html"
SCHEMA = json.loads((REPO / "ledger/schema/report.schema.json").read_text(encoding="utf-8"))
HEADINGS = {"text": "\nSources:\n", "markdown": "\n## Sources\n", "html": '<h2 id="sources">'}


@pytest.fixture(scope="module")
def seed() -> Report:
    return build(analyse(ledger.load(SEED_DATA)))


def sources_section(page: str, fmt: str) -> str:
    return page[page.index(HEADINGS[fmt]) :]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_format_lists_the_cited_source(seed: Report, fmt: str):
    tail = sources_section(render_text(seed, fmt), fmt)
    assert TITLE in tail and "Sputnik" in tail and "2016-12-03" in tail and URL in tail
    assert tail.count("sputnik-2016-12-03-aleppo") == (2 if fmt == "html" else 1)


def test_markdown_and_html_link_the_url(seed: Report):
    assert f"[{URL}]({URL})" in render_text(seed, "markdown")
    page = Page()
    page.feed(render_text(seed, "html"))
    links = [a.get("href") for t, a in page.tags if t == "a"]
    assert URL in links
    assert "#source-sputnik-2016-12-03-aleppo" in links  # each claim links to its source


def test_json_has_the_sources_keyed_by_id(seed: Report):
    doc = json.loads(render_text(seed, "json"))
    assert doc["sources"] == {
        "sputnik-2016-12-03-aleppo": {
            "title": TITLE,
            "publisher": "Sputnik",
            "published": "2016-12-03",
            "url": URL,
            "document": "seeds/2016-12-03-sputnik-russia-iran-aleppo.txt",
            "language": "en",
        }
    }
    cited = {c["source"] for check in doc["checks"] for c in [check, *check["parts"]]}
    assert cited == set(doc["sources"])
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc)) == []


def test_each_claim_of_a_check_names_its_source(seed: Report):
    text = render_text(seed, "text")
    check = text[text.index("COMPATIBLE") : text.index("SUPPORTED")]
    says = [line for line in check.splitlines() if line.strip().startswith(("Russian", '"'))]
    assert len(says) == 3  # the claim and its two parts' quotes
    assert all(line.endswith("  [sputnik-2016-12-03-aleppo]") for line in says)
    markdown = render_text(seed, "markdown")
    rows = [r for r in markdown.splitlines() if r.startswith("| ru-mod") or r.startswith("| **")]
    assert rows and all(r.endswith("| `sputnik-2016-12-03-aleppo` |") for r in rows)


@pytest.fixture(scope="module")
def groups() -> Report:
    return build(analyse(load_memory(GROUPS)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_conflicts_and_double_counts_name_their_claims_sources(groups: Report, fmt: str):
    page = render_text(groups, fmt)
    if fmt == "json":
        doc = json.loads(page)
        assert set(doc["sources"]) == {"src-a", "src-b", "src-c"}
        assert {c["source"] for c in doc["conflicts"][0]["inners"]} == {"src-b"}
        return
    conflicts = page[page.index("onflicts") : page.index("double counts")]
    assert "src-b" in conflicts  # the deliveries that contradict the zero claims
    tail = sources_section(page, fmt)
    for source in ("src-a", "src-b", "src-c"):
        assert f"Report {source}" in tail and f"https://example.org/{source}" in tail


def test_the_text_of_a_conflict_names_the_source_of_each_claim(groups: Report):
    text = render_text(groups, "text")
    lines = text[text.index("Conflicts between claims:") :].splitlines()
    assert ", src-b, Agency B, 7 t: " in lines[6]


# --- hostile and missing sources --------------------------------------------------------------

HOSTILE = {
    "title": '<b>Aid</b> & "help" <script>alert(1)</script>',
    "publisher": "Pub | *lisher* [x](javascript:alert(2))",
    "url": "javascript:alert(3)",
}


def hostile_ledger(source: dict[str, Any], drop: str | None = None) -> Ledger:
    """The GROUPS ledger with src-a's entry in sources.yaml changed (or, with `drop`, gone)."""
    files = ledger_texts(GROUPS)
    entries = yaml.safe_load(files["data/sources.yaml"])
    entries = [{**e, **source} if e["id"] == "src-a" else e for e in entries if e["id"] != drop]
    files["data/sources.yaml"] = yaml.safe_dump(entries, sort_keys=False)
    return ledger.load_texts(files, units=UNITS)


def test_html_escapes_the_source_and_never_links_a_script():
    page = render_text(build(analyse(hostile_ledger(HOSTILE))), "html")
    assert "<script" not in page.lower() and "<b>Aid" not in page
    assert "&lt;b&gt;Aid&lt;/b&gt; &amp; &#34;help&#34;" in page
    parsed = Page()
    parsed.feed(page)
    hrefs = [a.get("href") or "" for t, a in parsed.tags if t == "a"]
    assert not any("javascript" in h.lower() for h in hrefs)
    assert "javascript:alert(3)" in "".join(parsed.text)  # shown as text


def test_html_escapes_a_url_with_quotes():
    url = 'https://example.org/a?b=1&c="x"><script>'
    page = render_text(build(analyse(hostile_ledger({"url": url}))), "html")
    assert "<script" not in page.lower()
    assert 'href="https://example.org/a?b=1&amp;c=&#34;x&#34;&gt;&lt;script&gt;"' in page


def test_markdown_never_links_a_script_and_escapes_markup():
    page = render_text(build(analyse(hostile_ledger(HOSTILE))), "markdown")
    tail = sources_section(page, "markdown")
    assert "[x](" not in tail and "\\[x\\](javascript" in tail  # brackets escaped: no link
    assert re.search(r"(?<!\\)[<>]", tail) is None  # every angle bracket escaped
    assert "(javascript:alert(3))" not in tail
    assert "\\<script\\>" in tail and "Pub \\| \\*lisher\\*" in tail


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_claim_with_an_unknown_source_still_renders(fmt: str):
    book = hostile_ledger({}, drop="src-a")
    assert not book.ok  # the claim file names a source sources.yaml lacks
    model = build(analyse(book))
    assert model.sources["src-a"] is None
    chunks = list(render(model, fmt))
    page = "".join(chunks)
    if fmt == "json":
        doc = json.loads(page)
        assert doc["sources"]["src-a"] == {"missing": True}
        assert doc["sources"]["src-b"]["title"] == "Report src-b"
        assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc)) == []
    else:
        assert "src-a" in sources_section(page, fmt)
        assert "not in sources.yaml" in sources_section(page, fmt)
