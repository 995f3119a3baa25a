"""Problems are values: every mistake in a ledger becomes one of these, never an exception.

A problem carries where it is (`file:line`), how bad it is, a stable code that tools and tests can
rely on, and a message that says what to write instead. Stages collect them in lists; the caller
decides the exit status from whether any is an error.
"""

from __future__ import annotations

import difflib
import heapq
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about the ledger's data, located in a file."""

    file: str
    line: int
    severity: Severity
    code: str
    message: str

    def as_dict(self) -> dict[str, object]:
        """The problem as plain JSON-ready data (`check --format json`, the result cache)."""
        return asdict(self)

    @classmethod
    def checked(
        cls, file: object, line: object, severity: object, code: object, message: object
    ) -> Problem:
        """A problem from stored data (a cache entry), each field checked for its type: a
        stored value is never trusted to be what it should be. Raises ValueError if not."""
        texts = all(type(v) is str for v in (file, code, message))
        if not (texts and type(line) is int and severity in SEVERITIES):
            raise ValueError("not a problem")
        return cls(file, line, severity, code, message)  # type: ignore[arg-type]

    def format(self, severity: str | None = None) -> str:
        """The `file:line: severity: [code] message` form that editors and CI logs understand
        (`severity`: the word as shown, e.g. in colour)."""
        return f"{self.file}:{self.line}: {severity or self.severity}: [{self.code}] {self.message}"


def error(file: str, line: int, code: str, message: str) -> Problem:
    return Problem(file, line, "error", code, message)


def warning(file: str, line: int, code: str, message: str) -> Problem:
    return Problem(file, line, "warning", code, message)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Stable reading order: by file, then line, then code."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.code, p.message))


def summary(problems: list[Problem]) -> dict[str, int]:
    errors = sum(p.severity == "error" for p in problems)
    return {"errors": errors, "warnings": len(problems) - errors}


def to_json(problems: list[Problem], **extra: object) -> str:
    return json.dumps(
        {"problems": [asdict(p) for p in problems], "summary": summary(problems), **extra},
        indent=2,
        ensure_ascii=False,
    )


class Suggester:
    """'Did you mean' over a fixed list of names, built once and asked many times.

    The answers are difflib's (`get_close_matches`: ratio at least 0.6, best first, ties by
    name), but found without difflib scanning every name. rapidfuzz, in compiled code, gives
    each name's Indel ratio, which is never below difflib's ratio (difflib's matching blocks
    are a common subsequence, never longer than the longest), so names are tried from the
    highest Indel ratio down and the search stops as soon as no name left can beat the n
    found: 5,000 unknown names against a gazetteer of thousands cost a second, not minutes.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self.lowered = {c.lower(): c for c in choices}
        self.pool = list(self.lowered)

    def closest(self, word: str, n: int = 3) -> list[str]:
        key = word.lower()
        if len(self.pool) <= 64:
            hits = difflib.get_close_matches(key, self.pool, n=n, cutoff=0.6)
        else:
            hits = self._bounded(key, n)
        return [self.lowered[h] for h in hits]

    def _bounded(self, key: str, n: int) -> list[str]:
        """difflib's answer, trying names in order of their Indel ratio (an upper bound)."""
        from rapidfuzz import fuzz, process

        near = process.extract(key, self.pool, scorer=fuzz.ratio, score_cutoff=59.99, limit=None)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        scored: list[tuple[float, str]] = []
        for name, bound, _ in near:  # highest bound first
            if len(scored) >= n and bound / 100 + 1e-9 < scored[-1][0]:  # scored: best first
                break  # no name left can reach the n-th best ratio found
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                ratio = matcher.ratio()
                if ratio >= 0.6:
                    scored = heapq.nlargest(n, [*scored, (ratio, name)])
        return [name for _, name in heapq.nlargest(n, scored)]

    def did_you_mean(self, word: str) -> str:
        hits = self.closest(word)
        if not hits:
            return ""
        return " Did you mean " + " or ".join(f"`{h}`" for h in hits) + "?"


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Names that look like `word`, for 'did you mean' hints."""
    return Suggester(choices).closest(word, n)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    return Suggester(choices).did_you_mean(word)
