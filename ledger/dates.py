"""Dates and periods in ISO 8601, as curators write them.

`2016-12-02` (a day), `2016-12` or `2016` (the whole month or year), `2016-12-01/2016-12-02`
(an interval, ends included), `../2016-12-02` (up to that day, start unknown) and
`2016-12-01/..` (from that day on). Every form becomes a pair of dates, `None` for an open end.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class Period:
    text: str
    start: date | None  # None: open start (`../2016-12-02`)
    end: date | None  # None: open end

    def contains(self, other: Period) -> bool:
        """Whether every day of `other` lies inside this period."""
        if self.start is not None and (other.start is None or other.start < self.start):
            return False
        return not (self.end is not None and (other.end is None or other.end > self.end))


class DateError(ValueError):
    def __init__(self, message: str, code: str = "date-invalid") -> None:
        super().__init__(message)
        self.code = code


def parse_period(text: str) -> Period:
    """Parse any of the accepted forms; raise DateError saying what to write instead."""
    raw = str(text).strip()
    if "/" in raw:
        left, _, right = raw.partition("/")
        start = None if left == ".." else _bounds(left, raw)[0]
        end = None if right == ".." else _bounds(right, raw)[1]
        if start is None and end is None:
            raise DateError(f"`{raw}` is open at both ends; give at least one date.")
        if start is not None and end is not None and start > end:
            msg = f"the period `{raw}` ends before it starts; write `{right}/{left}`."
            raise DateError(msg, "period-reversed")
        return Period(raw, start, end)
    start, end = _bounds(raw, raw)
    return Period(raw, start, end)


def _bounds(part: str, whole: str) -> tuple[date, date]:
    m = _PART.match(part.strip())
    if not m:
        raise DateError(
            f"`{whole}` is not an ISO 8601 date; write `2016-12-02`, `2016-12`, "
            "`2016-12-01/2016-12-02` or `../2016-12-02`."
        )
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        mon = int(month)
        if day is None:
            return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])
        d = date(year, mon, int(day))
        return d, d
    except ValueError as exc:
        raise DateError(f"`{part}` is not a date that exists ({exc}).") from None
