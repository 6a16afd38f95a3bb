"""The Vietnamese working-day calendar: Monday-Friday, less public holidays, plus make-up Saturdays."""

from __future__ import annotations

import functools
from datetime import date

import holidays
import numpy as np
import pandas as pd

from qms_cli.config import CalendarOverrides


class WorkCalendar:
    """Tells days off from working days, from the `holidays` package (VN) and objectives.yaml overrides."""

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        self._overrides = overrides or CalendarOverrides()

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one calendar per run, a few years
    def _sets(self, years: tuple[int, ...]) -> tuple[set[date], set[date]]:
        vn = holidays.country_holidays("VN", years=list(years))
        off = set(vn.keys()) | set(self._overrides.extra_days_off)
        work = {d for d in vn.weekend_workdays if d.year in years} | set(self._overrides.extra_working_days)
        return off - set(self._overrides.extra_working_days), work

    def is_day_off(self, days: pd.Series) -> pd.Series:
        """Return, for a datetime Series, True where the date is a day off (NaT gives False)."""
        valid = days.notna()
        if not valid.any():
            return pd.Series(False, index=days.index)
        years = tuple(sorted({int(y) for y in days[valid].dt.year.unique()}))
        off, work = self._sets(years)
        normalized = days.dt.normalize()
        weekend = days.dt.day_of_week >= 5
        in_off = normalized.isin(pd.to_datetime(sorted(off))) if off else False
        in_work = normalized.isin(pd.to_datetime(sorted(work))) if work else False
        result = (weekend | in_off) & ~np.asarray(in_work, dtype=bool) & valid
        return result.astype(bool)
