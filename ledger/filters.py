"""What a report or a totals table shows: `report --source/--claim/--verdict/--finding/--period`.

A filter narrows what is *shown*, never what is *checked*: the analysis always runs on the whole
ledger (a verdict needs all its parts, a conflict both its sides), and the coverage line and the
exit status keep describing the whole ledger. Within one option, values are alternatives (two
`--claim` show either); across options, all must hold.

- `--source`, `--claim`, `--period` pick claims: a check, conflict, possible conflict or group of
  double counts is shown when one of the claims it involves is picked (a check involves its
  claim and its parts); totals add only the picked claims.
- `--verdict` and `--finding` pick kinds of result: with either, only the checks of those
  verdicts, and the results of those codes (a check by the codes of its scope findings), are
  shown.

This module is imported by the CLI at start-up for its choices: it stays free of heavy imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .vocab import FindingCode, Verdict

if TYPE_CHECKING:
    from .analysis import Conflict, DuplicateGroup, SumCheck
    from .claim import Claim
    from .dates import Period
    from .loader import Ledger
    from .overlaps import Overlap

FINDING_CODES = tuple(c.value for c in FindingCode)
"""The codes `--finding` may name (the codes of the coverage line's findings)."""


class FilterError(ValueError):
    """A filter the ledger cannot answer (an unknown id, a bad period): the command cannot run."""


@dataclass(frozen=True, slots=True)
class Shown:
    """How many results of each section a report holds."""

    checks: int
    conflicts: int
    overlaps: int
    duplicates: int

    def as_json(self) -> dict[str, int]:
        return {"checks": self.checks, "conflicts": self.conflicts,
                "overlaps": self.overlaps, "duplicates": self.duplicates}  # fmt: skip


_SECTION_WORDS = (("checks", "checks"), ("conflicts", "conflicts"),
                  ("overlaps", "possible conflicts"), ("duplicates", "possible double counts"))  # fmt: skip


@dataclass(frozen=True)
class ReportFilter:
    """The options of one filtered ask, as given (see the module's rules); empty: show all."""

    sources: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    verdicts: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()  # ISO 8601 periods, as claims write them
    _parsed: tuple[Period, ...] = field(default=(), init=False, repr=False, compare=False)
    _memo: dict[Any, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Check the words (FilterError says what to write instead) and read the periods."""
        from .dates import DateError, parse_period
        from .problems import did_you_mean

        for v in self.verdicts:
            if v not in set(Verdict):
                raise FilterError(f"--verdict: no verdict `{v}`.{did_you_mean(v, Verdict)}")
        for code in self.findings:
            if code not in FINDING_CODES:
                hint = did_you_mean(code, FINDING_CODES)
                raise FilterError(f"--finding: no finding code `{code}`.{hint}")
        parsed = []
        for p in self.periods:
            try:
                parsed.append(parse_period(p))
            except DateError as exc:
                raise FilterError(f"--period: {exc}") from None
        object.__setattr__(self, "_parsed", tuple(parsed))

    @classmethod
    def of(
        cls,
        sources: Iterable[str] = (),
        claims: Iterable[str] = (),
        verdicts: Iterable[str] = (),
        findings: Iterable[str] = (),
        periods: Iterable[str] = (),
    ) -> ReportFilter:
        """A filter from options as typed: each value once, `a,b` as two values."""

        def once(values: Iterable[str]) -> tuple[str, ...]:
            split = (v.strip() for value in values for v in value.split(","))
            return tuple(dict.fromkeys(v for v in split if v))

        return cls(once(sources), once(claims), once(verdicts), once(findings), once(periods))

    @property
    def active(self) -> bool:
        return bool(self.sources or self.claims or self.verdicts or self.findings or self.periods)

    @property
    def picks_claims(self) -> bool:
        """Whether some claims are left out (`--source`, `--claim`, `--period`)."""
        return bool(self.sources or self.claims or self.periods)

    def options(self) -> dict[str, list[str]]:
        """The filter as a cache key part: a filtered result never answers an unfiltered ask."""
        return {"source": list(self.sources), "claim": list(self.claims),
                "verdict": list(self.verdicts), "finding": list(self.findings),
                "period": list(self.periods)}  # fmt: skip

    def describe(self) -> str:
        """The options as a command line says them: `--source a --verdict compatible`."""
        return " ".join(f"--{k} {v}" for k, vs in self.options().items() for v in vs)

    def validate(self, book: Ledger) -> None:
        """FilterError, with a did-you-mean, for a source or claim id the ledger does not hold."""
        from .problems import Suggester

        if self.sources:
            known = set(book.sources) | {c.source for c in book.entries if c.source is not None}
            _known("source", self.sources, known, Suggester)
        if self.claims:
            _known("claim", self.claims, book.by_id, Suggester)

    def picks(self, claim: Claim) -> bool:
        """Whether the claim passes `--source`, `--claim` and `--period` (memoised per
        distinct source and period, so a million claims cost a million dict look-ups)."""
        if self.claims and claim.id not in self.claims:
            return False
        if self.sources and claim.source not in self.sources:
            return False
        return not self.periods or self._in_periods(claim.period)

    def _in_periods(self, period: Period | None) -> bool:
        key = period.text if period is not None else None
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = period is not None and any(
                _overlap(period, p) for p in self._parsed
            )
        return hit

    def any_picked(self, claims: Iterable[Claim | None]) -> bool:
        if not self.picks_claims:
            return True
        return any(c is not None and self.picks(c) for c in claims)

    def _kinds(self) -> bool:
        return bool(self.verdicts or self.findings)

    def shows_check(self, check: SumCheck, claim: Claim) -> bool:
        named = check.verdict in self.verdicts or any(
            f.code in self.findings for f in check.findings
        )
        if self._kinds() and not named:
            return False
        return self.any_picked((claim, *(p.found for p in check.parts)))

    def shows_group(self, code: str, outers: Iterable[Claim], inners: Iterable[Claim]) -> bool:
        """A conflict, possible conflict or group of double counts (`inners` empty) of `code`."""
        if self._kinds() and code not in self.findings:
            return False
        return self.any_picked(outers) or self.any_picked(inners)

    def checks(self, checks: list[SumCheck], by_id: dict[str, Claim]) -> list[SumCheck]:
        return [c for c in checks if self.shows_check(c, by_id[c.claim])]

    def conflicts(self, found: list[Conflict]) -> list[Conflict]:
        return [k for k in found if self.shows_group(k.code, k.outers, k.inners)]

    def overlaps(self, found: list[Overlap]) -> list[Overlap]:
        return [o for o in found if self.shows_group(o.code, o.outers, o.inners)]

    def duplicates(self, found: list[DuplicateGroup]) -> list[DuplicateGroup]:
        return [
            d for d in found if self.shows_group(FindingCode.POSSIBLE_DOUBLE_COUNT, d.members, ())
        ]

    def line(self, shown: Shown, whole: Shown) -> str:
        """`shown: 3 of 120 checks, 0 of 2 conflicts (--source x)`: sections the ledger has."""
        parts = [
            f"{getattr(shown, k):,} of {getattr(whole, k):,} {words}"
            for k, words in _SECTION_WORDS
            if k == "checks" or getattr(whole, k)
        ]
        return f"shown: {', '.join(parts)} ({self.describe()})"


NO_FILTER = ReportFilter()


def _known(what: str, asked: tuple[str, ...], known: Any, suggester: Any) -> None:
    for value in asked:
        if value not in known:
            hint = suggester(known).did_you_mean(value)
            raise FilterError(f"--{what}: no {what} `{value}` in the ledger.{hint}")


def _overlap(a: Period, b: Period) -> bool:
    """Whether two periods share a day (an open end reaches as far as it may)."""
    if a.end is not None and b.start is not None and a.end < b.start:
        return False
    return not (b.end is not None and a.start is not None and b.end < a.start)
