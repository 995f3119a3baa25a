"""Peer tools for `make bench`: the same claims as an hledger journal and a beancount ledger.

Issue 11 asks that a cold `aid-ledger check` of 100,000 claims take less time than `hledger
check` of 100,000 transactions on the same machine in the same run. This module writes the
equivalent journals from a generated ledger's claim files, and finds the peer tools:

- one transaction per claim: its date (the end of its period; the first day of a month), its
  claimant as payee, and two postings: `assets:aid:<first place>  4.5 t` balanced by
  `income:<provider>` (the claimant where a claim has no provider). The amount is the first
  figure of the quantity phrase (`about 4,500 kg` -> 4500 kg, `between 2 and 3 t` -> 2 t,
  `none` -> 0 t), in the claim's own unit as the commodity;
- a balance assertion once a day: the day's last transaction asserts the running total of its
  place account in its commodity (hledger `= 120.5 t` on the posting; beancount a `balance`
  directive on the next day, which beancount checks at the start of that day).

Transactions are written in date order (the claims' order within a day), so each assertion
holds: a peer that reports an error has parsed a journal this module got wrong, and the run
is marked failed rather than timed.

The peers are found on PATH, or (bean-check) in `.bench/peers-venv/`, a virtualenv of their
own, never the project's: `python benchmarks/peers.py --install-beancount` makes it (PyPI).
hledger comes from the system's packages (`apt-get install hledger`). A peer that is not
installed is skipped with a line saying so (CI machines have neither).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS_VENV = ROOT / ".bench" / "peers-venv"
PEERS_VERSION = 1  # bump when the journals written change
MARKER = "bench-peers.json"

# Commodities: hledger takes the unit as written; beancount wants 2-24 capitals.
BEANCOUNT_COMMODITY = {"t": "TONNE", "kg": "KG", "L": "LITRE", "g": "GRAM"}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Txn:
    date: str  # ISO
    payee: str
    claim: str
    place: str  # account key: lower-case slug
    provider: str  # account key
    amount: Decimal
    unit: str


def slug(name: str) -> str:
    """An account name component both tools accept: ASCII letters, digits and dashes."""
    s = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
    return s or "unknown"


def _day(claim: dict) -> str:
    when = str(claim.get("date") or claim.get("period") or "")
    if "/" in when:
        start, end = when.split("/", 1)
        when = end if end and end != ".." else start
    if len(when) == 7:  # a month
        when += "-01"
    if len(when) == 4:  # a year
        when += "-01-01"
    return when


def _amount(quantity: object) -> tuple[Decimal, str]:
    if isinstance(quantity, dict):  # {value, unit}: the generator never writes it, but a ledger may
        value = quantity.get("value")
        value = value[0] if isinstance(value, list) else value
        return Decimal(str(value or 0)), str(quantity.get("unit") or "t")
    text = str(quantity).strip()
    if text in ("none", "nothing"):
        return Decimal(0), "t"
    found = NUMBER.search(text)
    value = Decimal(found.group(0).replace(",", "")) if found else Decimal(0)
    if " million " in f" {text} ":
        value *= 1_000_000
    return value, text.split()[-1]


def transactions(data: Path) -> list[Txn]:
    """One transaction per claim of the ledger at `data`, in date order (stable)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: list[Txn] = []
    for f in sorted((data / "claims").glob("*.yaml")):
        doc = yaml.load(f.read_text(encoding="utf-8"), Loader=loader)
        for c in doc["claims"]:
            amount, unit = _amount(c["quantity"])
            places = c.get("places") or ["nowhere"]
            out.append(Txn(_day(c), str(c["claimant"]), str(c["id"]), slug(str(places[0])),
                           slug(str(c.get("provider") or c["claimant"])), amount, unit))  # fmt: skip
    out.sort(key=lambda t: t.date)
    return out


def _assertions(txns: list[Txn]) -> Iterator[tuple[Txn, Decimal | None]]:
    """Each transaction with the running total its place account asserts after it (the last
    transaction of each day), else None."""
    running: dict[tuple[str, str], Decimal] = {}
    for i, t in enumerate(txns):
        key = (t.place, t.unit)
        running[key] = running.get(key, Decimal(0)) + t.amount
        last_of_day = i + 1 == len(txns) or txns[i + 1].date != t.date
        yield t, (running[key] if last_of_day else None)


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f") if d else "0"


def hledger_journal(txns: list[Txn], title: str = "") -> str:
    out = [f"; {title}\n; aid-ledger benchmark peer journal: one transaction per claim.\n\n"]
    for t, total in _assertions(txns):
        amount = f"{_num(t.amount)} {t.unit}"
        check = f" = {_num(total)} {t.unit}" if total is not None else ""
        out.append(f"{t.date} {t.payee}  ; claim:{t.claim}\n"
                   f"    assets:aid:{t.place}  {amount}{check}\n"
                   f"    income:{t.provider}\n\n")  # fmt: skip
    return "".join(out)


def _bean_account(key: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in key.split("-"))


def _bean_commodity(unit: str) -> str:
    c = BEANCOUNT_COMMODITY.get(unit) or re.sub(r"[^A-Z0-9]", "", unit.upper())
    return c if len(c) >= 2 and c[0].isalpha() else f"U{c}X"[:24]


def beancount_journal(txns: list[Txn], title: str = "") -> str:
    from datetime import date, timedelta

    out = [f"; {title}\n; aid-ledger benchmark peer ledger: one transaction per claim.\n\n"]
    first = txns[0].date if txns else "2000-01-01"
    opened: set[str] = set()
    for name in sorted({f"Assets:Aid:{_bean_account(t.place)}" for t in txns}
                       | {f"Income:{_bean_account(t.provider)}" for t in txns}):  # fmt: skip
        if name not in opened:
            opened.add(name)
            out.append(f"{first} open {name}\n")
    out.append("\n")
    for t, total in _assertions(txns):
        acct = f"Assets:Aid:{_bean_account(t.place)}"
        cur = _bean_commodity(t.unit)
        out.append(f'{t.date} * "{t.payee}" "claim {t.claim}"\n'
                   f"  {acct}  {_num(t.amount)} {cur}\n"
                   f"  Income:{_bean_account(t.provider)}\n\n")  # fmt: skip
        if total is not None:
            after = (date.fromisoformat(t.date) + timedelta(days=1)).isoformat()
            out.append(f"{after} balance {acct}  {_num(total)} {cur}\n\n")
    return "".join(out)


# --- the peers ----------------------------------------------------------------------------


@dataclass
class Peer:
    name: str  # as shown in the table
    exe: str | None  # None: not installed
    version: str
    suffix: str  # of the journal it reads
    install: str  # how to get it, for the "skipped" line

    def command(self, journal: Path) -> list[str]:
        assert self.exe is not None
        if self.name == "hledger":
            return [self.exe, "-f", str(journal), "check"]
        return [self.exe, "--no-cache", str(journal)]

    def cache_files(self, journal: Path) -> list[Path]:
        """Files a cold run must not find (beancount's pickle cache beside the ledger)."""
        return [journal.with_name(f".{journal.name}.picklecache")]


def _run(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=60)
        return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 \
            else ""  # fmt: skip
    except (OSError, subprocess.SubprocessError, IndexError):
        return ""


def find_hledger() -> Peer:
    exe = shutil.which("hledger")
    version = _run(exe, "--version") if exe else ""
    return Peer("hledger", exe, version, ".journal", "apt-get install hledger")


def find_bean_check() -> Peer:
    exe = shutil.which("bean-check")
    local = PEERS_VENV / "bin" / "bean-check"
    if exe is None and local.exists():
        exe = str(local)
    version = ""
    if exe:
        python = Path(exe).parent / "python"
        if python.exists():
            v = _run(str(python), "-c", "import beancount; print(beancount.__version__)")
            version = f"beancount {v}" if v else ""
        version = version or _run(exe, "--version")
    return Peer("bean-check", exe, version, ".beancount",
                "python benchmarks/peers.py --install-beancount")  # fmt: skip


def find_peers() -> list[Peer]:
    return [find_hledger(), find_bean_check()]


def write_journals(data: Path, out: Path, about: dict) -> tuple[dict[str, Path], bool]:
    """The journals of the ledger at `data` in `out` (reused while `about`, which names the
    ledger generated, and PEERS_VERSION are unchanged); (paths by suffix, written now)."""
    paths = {".journal": out / "claims.journal", ".beancount": out / "claims.beancount"}
    marker = out / MARKER
    want = {"peers": PEERS_VERSION, **about}
    try:
        if json.loads(marker.read_text(encoding="utf-8")) == want and all(
            p.exists() for p in paths.values()
        ):
            return paths, False
    except (OSError, ValueError):
        pass
    out.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    txns = transactions(data)
    title = f"{len(txns):,} claims of {data}"
    paths[".journal"].write_text(hledger_journal(txns, title), encoding="utf-8")
    paths[".beancount"].write_text(beancount_journal(txns, title), encoding="utf-8")
    marker.write_text(json.dumps(want, indent=2) + "\n", encoding="utf-8")
    return paths, True


def install_beancount(target: Path = PEERS_VENV) -> int:
    """A virtualenv of its own with beancount from PyPI (never the project's .venv)."""
    if not (target / "bin" / "python").exists():
        venv.create(target, with_pip=True)
    done = subprocess.run([str(target / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "beancount"])  # fmt: skip
    return done.returncode


def main(argv: Iterable[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python benchmarks/peers.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--install-beancount", action="store_true",
                   help=f"make {PEERS_VENV.relative_to(ROOT)} and pip install beancount there")  # fmt: skip
    p.add_argument("--ledger", type=Path, metavar="DATA", help="write the journals of this ledger")
    p.add_argument("--out", type=Path, metavar="DIR", help="where (with --ledger)")
    args = p.parse_args(list(argv) if argv is not None else None)
    if args.install_beancount:
        return install_beancount()
    if args.ledger and args.out:
        paths, _ = write_journals(args.ledger, args.out, {"ledger": str(args.ledger)})
        for path in paths.values():
            print(path)
        return 0
    for peer in find_peers():
        print(f"{peer.name}: {peer.exe or 'not installed'} {peer.version}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
