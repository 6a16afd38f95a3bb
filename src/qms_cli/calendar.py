"""The Vietnamese working-day calendar: Monday-Friday, less public holidays, plus make-up Saturdays."""

from __future__ import annotations

import functools
import threading
from datetime import date

import holidays
import numpy as np

from qms_cli.config import CalendarOverrides


class WorkCalendar:
    """Tells days off from working days, from the `holidays` package (VN) and objectives.yaml overrides."""

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        self._overrides = overrides or CalendarOverrides()
        self._lock = threading.Lock()  # books are read on several threads: the holidays are made once

    def _sets(self, years: tuple[int, ...]) -> tuple[set[date], set[date]]:
        with self._lock:
            return self._made(years)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one calendar per run, a few years
    def _made(self, years: tuple[int, ...]) -> tuple[set[date], set[date]]:
        vn = holidays.country_holidays("VN", years=list(years))
        off = set(vn.keys()) | set(self._overrides.extra_days_off)
        work = {d for d in vn.weekend_workdays if d.year in years} | set(self._overrides.extra_working_days)
        return off - set(self._overrides.extra_working_days), work

    def is_day_off(self, days: np.ndarray) -> np.ndarray:
        """Return, for datetime64 values, True where the date is a day off (NaT gives False).

        Vectorised: a table of the days from the earliest to the latest date, looked up per value.
        """
        day = np.asarray(days).astype("datetime64[D]")
        valid = ~np.isnat(day)
        out = np.zeros(len(day), dtype=bool)
        if not valid.any():
            return out
        first, last = day[valid].min(), day[valid].max()
        span = np.arange(first, last + 1)
        if len(span) <= 3660:  # the usual case: every year from the first date's to the last's
            years = np.unique(span.astype("datetime64[Y]").astype(np.int64)) + 1970
        else:  # a typing slip (0219 for 2019) must not make the holidays of eighteen centuries
            years = np.unique(day[valid].astype("datetime64[Y]").astype(np.int64)) + 1970
        off, work = self._sets(tuple(int(y) for y in years))
        weekend = ((span.view("int64") - 4) % 7) >= 5  # 1970-01-01 was a Thursday
        table = (weekend | np.isin(span, np.array(sorted(off), dtype="datetime64[D]"))) & ~np.isin(
            span, np.array(sorted(work), dtype="datetime64[D]")
        )
        out[valid] = table[(day[valid] - first).astype(np.int64)]
        return out

    def add_working_days(self, start: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Return the date `days` working days after each start date (the count starts the day after).

        Civil Code: a time limit counts from the day after receipt; a start on a day off counts from
        the next working day all the same. Vectorised with numpy's business-day calendar, the days off
        (weekends less make-up Saturdays, plus holidays) given explicitly.
        """
        start = start.astype("datetime64[D]")
        valid = ~np.isnat(start) & ~np.isnan(days)
        out = np.full(len(start), np.datetime64("NaT"), dtype="datetime64[D]")
        if not valid.any():
            return out
        first, last = int(str(start[valid].min())[:4]), int(str(start[valid].max())[:4]) + 1
        off, work = self._sets(tuple(range(first, last + 1)))
        every_day = np.arange(np.datetime64(f"{first}-01-01"), np.datetime64(f"{last + 1}-01-01"))
        weekend = ((every_day.astype("datetime64[D]").view("int64") - 4) % 7) >= 5  # 1970-01-01 was a Thursday
        work_set = np.array(sorted(work), dtype="datetime64[D]") if work else np.array([], dtype="datetime64[D]")
        days_off = np.union1d(
            every_day[weekend & ~np.isin(every_day, work_set)], np.array(sorted(off), dtype="datetime64[D]")
        )
        calendar = np.busdaycalendar(weekmask="1111111", holidays=days_off)
        out[valid] = np.busday_offset(start[valid], days[valid].astype(np.int64), roll="backward", busdaycal=calendar)
        return out
