"""A curator's day, entirely through the command line (issue 13, "Done when"): a new report is
stored as a source, its figures are added in one conversation that starts with an unknown
organisation and an unknown place and enters the total before its parts; `check` is then
clean, the report cites the source, and `show`, `totals` and `export` work on what was added."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import cli_run

BULLETIN = (
    "A bulletin of the Relief Wire, 4 December 2016. In total about 7 tons were delivered by "
    "Relief Wire Aid: 5 tons to Hanano district and 2 tons to Saydnaya.\n"
)
SOURCE = [
    "--source", "relief-2016-12-04", "--source-title", "Relief update",
    "--source-publisher", "Relief Wire", "--source-published", "2016-12-04",
    "--source-document", "seeds/relief.txt", "--source-url", "https://example.org/relief",
]  # fmt: skip
ANSWERS = [
    # the total, as the bulletin gives it first; its parts do not exist yet
    "Relief Wire Aid", "y", "ngo", "",  # claimant: unknown, create it: kind ngo, no parent
    "",  # status: delivered
    "Relief Wire Aid",  # provider: made a moment ago
    "humanitarian aid", "about 7 t",
    "Hanano district, Saydnaya", "y", "district", "Aleppo city",  # a new place, created
    "2016-12-04", "In total about 7 tons were delivered by Relief Wire Aid",
    "relief-hanano, relief-saydnaya",  # sum_of: named ahead
    "",  # count_of
    "relief-total", "y",  # its id; another claim
    # the first part: claimant, status, provider, item and date are offered from the total
    "", "", "", "", "5 t", "Hanano district", "", "5 tons to Hanano district", "", "",
    "", "y",  # its id: the first one named ahead
    "", "", "", "", "2 t", "Saydnaya", "", "2 tons to Saydnaya", "", "",
    "", "",  # its id; no more claims
]  # fmt: skip


def _fresh_ledger(root: Path, seed_copy: Path) -> Path:
    (seed_copy.parent / "seeds" / "relief.txt").write_text(BULLETIN, encoding="utf-8")
    return seed_copy


def test_a_report_curated_through_the_cli_checks_clean_and_is_cited(seed_copy: Path):
    data = _fresh_ledger(seed_copy.parent, seed_copy)
    target = data / "claims" / "relief.yaml"
    added = cli_run("add", "--file", str(target), *SOURCE, input="\n".join(ANSWERS) + "\n")
    assert added.exit_code == 0, added.output
    for cid in ("relief-total", "relief-hanano", "relief-saydnaya"):
        assert f"added {cid} to " in added.stdout
    assert "- name: Relief Wire Aid\n  kind: ngo\n" in (data / "orgs.yaml").read_text("utf-8")
    places = (data / "places.yaml").read_text(encoding="utf-8")
    assert "- name: Hanano district\n  level: district\n  parent: Aleppo city\n" in places

    check = cli_run("check", str(data), "--no-cache")
    assert check.exit_code == 0, check.output
    assert "0 errors, 0 warnings" in check.output

    report = cli_run("report", str(data), "--format", "json", "--no-cache")
    assert report.exit_code == 0, report.output
    doc = json.loads(report.output)
    (total,) = [c for c in doc["checks"] if c["claim"] == "relief-total"]
    assert total["verdict"] == "supported"  # 5 t + 2 t against about 7 t
    cited = doc["sources"]["relief-2016-12-04"]
    assert (cited["title"], cited["publisher"], cited["published"], cited["url"]) == (
        "Relief update", "Relief Wire", "2016-12-04", "https://example.org/relief"
    )  # fmt: skip
    text = cli_run("report", str(data), "--source", "relief-2016-12-04", "--no-cache").output
    assert '"Relief update", Relief Wire, 2016-12-04, https://example.org/relief' in text

    shown = cli_run("show", "relief-hanano", str(data))
    assert shown.exit_code == 0, shown.output
    assert "5 tons to Hanano district" in shown.output and "relief-total" in shown.output

    totals = cli_run("totals", str(data), "--by", "provider", "--source", "relief-2016-12-04")
    assert totals.exit_code == 0, totals.output
    assert "Relief Wire Aid" in totals.output

    exported = cli_run("export", str(data), "--format", "csv", "--no-cache")
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert {r["claim_id"] for r in rows} >= {"relief-total", "relief-hanano", "relief-saydnaya"}
