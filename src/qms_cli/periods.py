"""Reporting periods: the `--period` grammar, calendar and Decree 09/2019 cut-offs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from qms_cli.errors import Phrase, UsageError

GRAMMAR = "2019, H1-2019, H2-2019, Q1-2019..Q4-2019, 2019-03, or 2019-01-01..2019-06-30"


@dataclass(frozen=True)
class Period:
    """A reporting period: its label and first and last days."""

    label: str
    start: date
    end: date

    def shifted_years(self, years: int) -> Period:
        """Return the same period `years` earlier (H1-2019 shifted 1 -> H1-2018)."""
        label = re.sub(r"\d{4}", lambda m: str(int(m.group()) - years), self.label)
        return Period(label, _minus_years(self.start, years), _minus_years(self.end, years))

    def to_json(self) -> dict[str, str]:
        """The period as its JSON object (label, start, end)."""
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _minus_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year - years, day=28)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _months(label: str, year: int, first: int, last: int, cutoff: str) -> Period:
    """The period covering calendar months first..last of `year`, under the chosen cut-off."""
    if cutoff == "decree-09-2019":
        # Decree 09/2019/NĐ-CP: a reporting month runs from the 15th of the previous month to the 14th.
        start_year, start_month = (year - 1, 12) if first == 1 else (year, first - 1)
        return Period(label, date(start_year, start_month, 15), date(year, last, 14))
    return Period(label, date(year, first, 1), _month_end(year, last))


def parse_period(text: str, cutoff: str = "calendar") -> Period:
    """Return the period named by `text`; UsageError states the grammar when it is not one."""
    raw = text.strip()
    t = raw.upper()
    try:
        if m := re.fullmatch(r"(\d{4})", t):
            return _months(t, int(m[1]), 1, 12, cutoff)
        if m := re.fullmatch(r"H([12])-(\d{4})", t):
            h = int(m[1])
            return _months(t, int(m[2]), 6 * h - 5, 6 * h, cutoff)
        if m := re.fullmatch(r"Q([1-4])-(\d{4})", t):
            q = int(m[1])
            return _months(t, int(m[2]), 3 * q - 2, 3 * q, cutoff)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
            month = int(m[2])
            if not 1 <= month <= 12:
                raise ValueError
            return _months(t, int(m[1]), month, month, cutoff)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", t):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if end < start:
                raise UsageError(Phrase("period_backwards", period=repr(raw)))
            return Period(t, start, end)
    except ValueError:
        pass
    raise UsageError(Phrase("unknown_period", period=repr(raw), grammar=GRAMMAR.replace(", or ", ", ")))


def covering_period(first: date, last: date, cutoff: str = "calendar") -> Period:
    """Return the smallest calendar month, quarter, half or year covering first..last, else the range."""
    candidates = []
    if first.year == last.year:
        y = first.year
        candidates = [
            f"{y}-{first.month:02d}",
            f"Q{(first.month + 2) // 3}-{y}",
            f"H{1 if first.month <= 6 else 2}-{y}",
            f"{y}",
        ]
    for label in candidates:
        p = parse_period(label, cutoff)
        if p.start <= first and last <= p.end:
            return p
    return Period(f"{first.isoformat()}..{last.isoformat()}", first, last)


def previous_period(period: Period, cutoff: str = "calendar") -> Period:
    """Return the reporting period just before `period` (H1-2019 -> H2-2018, 2019-03 -> 2019-02, …)."""
    label = period.label
    if m := re.fullmatch(r"(\d{4})", label):
        return parse_period(str(int(m[1]) - 1), cutoff)
    if m := re.fullmatch(r"H([12])-(\d{4})", label):
        return parse_period(f"H2-{int(m[2]) - 1}" if m[1] == "1" else f"H1-{m[2]}", cutoff)
    if m := re.fullmatch(r"Q([1-4])-(\d{4})", label):
        q, y = int(m[1]), int(m[2])
        return parse_period(f"Q4-{y - 1}" if q == 1 else f"Q{q - 1}-{y}", cutoff)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        y, mo = int(m[1]), int(m[2])
        return parse_period(f"{y - 1}-12" if mo == 1 else f"{y}-{mo - 1:02d}", cutoff)
    length = period.end - period.start
    end = period.start - timedelta(days=1)
    return Period(f"{(end - length).isoformat()}..{end.isoformat()}", end - length, end)
