"""Vectorised reading of date cells: Excel dates, serial numbers and dd/MM/yyyy[ HH:mm[:ss]] text."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

OK, BLANK, UNPARSEABLE, AMBIGUOUS, OUT_OF_RANGE = 0, 1, 2, 3, 4
# The window of plausible dates (rules earliest_year, latest_days_after_run; set by the run): a date
# outside it reads as OUT_OF_RANGE, never as a date, so that a typo year (2919) cannot move the period.
_window: list[np.datetime64] = [np.datetime64("2000-01-01", "s"), np.datetime64("2100-01-01", "s")]


def set_window(earliest_year: int, days_after_run: int, today: date | None = None) -> None:
    """Set the plausible dates: from 1 January of `earliest_year` to `days_after_run` days after today."""
    last = (today or date.today()) + timedelta(days=days_after_run)
    _window[:] = [np.datetime64(f"{earliest_year:04d}-01-01", "s"), np.datetime64(last.isoformat(), "s")]


set_window(2000, 366)  # the rules' defaults, until a run sets its own


def window() -> tuple[date, date]:
    """The plausible dates now in force (first and last day)."""
    return _window[0].astype("datetime64[D]").item(), _window[1].astype("datetime64[D]").item()


# fastexcel renders a date cell as "2019-03-04 00:00:00"; units type "04/03/2019 08:30".
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME + "$"
_DMY = r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})" + _TIME.replace("[ T]", r"\s+") + "$"
_SERIAL = r"^(?P<n>\d{5})(?:\.\d+)?$"
# Every text that parse_dates reads as a date (OK or AMBIGUOUS) has this shape (a test checks it on
# every form): a column of which fewer than half the values have it holds fewer than half dates.
DATE_SHAPE = (
    r"^[0-9]{1,4}\s*[-/.]\s*[0-9]{1,2}\s*[-/.]\s*[0-9]{1,4}"
    r"(?:\s*[T ]?\s*[0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2}(?:\.[0-9]+)?)?)?\s*$|^[0-9]{5}(?:\.[0-9]+)?$"
)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_SERIAL_MIN, _SERIAL_MAX = 36526, 73051  # 2000-01-01 .. 2100-01-01: plausible dossier dates


def _parts(arr: pa.Array, pattern: str, names: tuple[str, ...]) -> list[np.ndarray]:
    found = pc.extract_regex(arr, pattern)
    out = []
    for name in names:
        field = pc.struct_field(found, name)
        out.append(pc.cast(field, pa.int64(), safe=False).to_numpy(zero_copy_only=False).astype("float64"))
    return out


# Formats tried in C, fastest first; what none of them reads goes to the careful regex path.
_DAY_WRITTEN = {"Y": r"^\d{4}-\d{1,2}-(?P<d>\d{1,2})", "d": r"^(?P<d>\d{1,2})"}  # by the format's first field
_FAST_FORMATS = ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")


# Distinct date texts already read (text -> seconds since 1970 and status, before the window): a city's
# 2,000 books repeat the same few hundred days, and a book's columns are read twice (fit, then rows).
# Kept in this process's memory only: texts that read as dates, and those without a letter (the
# column-number row "(6)"), never a column of personal data.
_MEMO: dict[str, tuple[int, int]] = {}
_MEMO_LIMIT = 200_000  # entries (about 40 MiB at most); beyond it, new texts are parsed each time
_MEMO_DISTINCT = 5_000  # columns of more distinct texts are parsed by the vector path alone


def parse_dates(values: pa.Array | pd.Series, remember: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Return (dates at midnight as datetime64[s], a status per value: OK, BLANK, UNPARSEABLE or AMBIGUOUS).

    Times of day are dropped: comparisons are on dates. A dd/MM text whose month part is above 12 but
    whose day part is not reads as MM/dd: it is AMBIGUOUS, never guessed. Each distinct text is read
    once per column, and once per run when `remember` (not for a column of personal data).
    """
    if isinstance(values, pd.Series):
        values = pa.array(values.astype(object).where(values.notna(), None).tolist(), type=pa.string())
    arr = pc.utf8_trim_whitespace(values)
    n = len(arr)
    encoded = pc.dictionary_encode(arr)
    distinct = encoded.dictionary
    if remember and len(distinct) <= _MEMO_DISTINCT:
        dates, status = _remembered(distinct)
    elif len(distinct) * 4 < n:  # a date column repeats its values: each distinct text parsed once
        dates, status = _parse(distinct)
    else:
        return _windowed(*_parse(arr))
    dates, status = _windowed(dates, status)
    index = pc.fill_null(encoded.indices, len(dates)).to_numpy(zero_copy_only=False)
    dates = np.append(dates, np.datetime64("NaT", "s"))
    status = np.append(status, np.int8(BLANK))
    return dates[index], status[index]


def _remembered(distinct: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The distinct texts of a column read, those already read in this run taken from `_MEMO`."""
    texts = distinct.to_pylist()
    known = [_MEMO.get(t) for t in texts]
    missing = [i for i, k in enumerate(known) if k is None]
    if missing:
        dates, status = _parse(distinct.take(pa.array(missing, pa.int64())) if len(missing) < len(texts) else distinct)
        seconds = dates.astype(np.int64)
        for j, i in enumerate(missing):
            entry = (int(seconds[j]), int(status[j]))
            known[i] = entry
            if len(_MEMO) < _MEMO_LIMIT and (entry[1] != UNPARSEABLE or not any(c.isalpha() for c in texts[i])):
                _MEMO[texts[i]] = entry
    found = np.array(known, dtype=np.int64).reshape(len(texts), 2)
    return found[:, 0].astype("datetime64[s]"), found[:, 1].astype(np.int8)


def _windowed(dates: np.ndarray, status: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates outside the plausible window (set_window) read as OUT_OF_RANGE, never as dates."""
    outside = (status == OK) & ((dates < _window[0]) | (dates > _window[1]))
    if outside.any():
        status = status.copy()
        dates = dates.copy()
        status[outside] = OUT_OF_RANGE
        dates[outside] = np.datetime64("NaT")
    return dates, status


def _parse(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Trimmed texts read as dates, before the window: the fast formats in C, then the careful path."""
    n = len(arr)
    blank = pc.fill_null(pc.equal(arr, ""), True).to_numpy(zero_copy_only=False) if arr.null_count < n else None
    if blank is None:  # an empty column
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"), np.full(n, BLANK, dtype=np.int8)
    dates = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    todo = ~blank
    for fmt in _FAST_FORMATS:
        rows = np.flatnonzero(todo)
        if not len(rows):
            break
        part = arr if len(rows) == n else pc.take(arr, pa.array(rows))
        got = pc.strptime(part, format=fmt, unit="s", error_is_null=True)
        parsed = got.to_numpy(zero_copy_only=False).astype("datetime64[s]")
        # strptime rolls an impossible day over ("31/02/2019" -> 3 March), onto days 1-3 of the next
        # month: on those rows the day written must be the day read, else the careful path decides.
        day = pc.day(got)
        suspect = np.flatnonzero(pc.fill_null(pc.less_equal(day, 3), False).to_numpy(zero_copy_only=False))
        if len(suspect):
            take = pa.array(suspect)
            written = pc.struct_field(pc.extract_regex(pc.take(part, take), _DAY_WRITTEN[fmt[1]]), "d")
            same = pc.fill_null(pc.equal(pc.cast(written, pa.int64()), pc.take(day, take)), False)
            parsed[suspect[~same.to_numpy(zero_copy_only=False)]] = np.datetime64("NaT")
        parsed[parsed < np.datetime64("1900-01-01")] = np.datetime64("NaT")  # "03/01/19": %Y took "19"
        ok = ~np.isnat(parsed)
        dates[rows[ok]] = parsed[ok]
        todo[rows[ok]] = False
    status = np.full(n, OK, dtype=np.int8)
    rest = np.flatnonzero(todo)
    if len(rest):
        slow_dates, slow_status = _parse_text(pc.take(arr, pa.array(rest)))
        dates[rest] = slow_dates
        status[rest] = slow_status
    status[blank] = BLANK
    return dates.astype("datetime64[D]").astype("datetime64[s]"), status


def _parse_text(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The slow path for typed text: dd/MM/yyyy (/ . -), ISO text, serial numbers; with the reason when not."""
    n = len(arr)
    y, m, d = (np.full(n, np.nan) for _ in range(3))
    iy, im, iday = _parts(arr, _ISO, ("y", "m", "d"))
    dy, dm, dd = _parts(arr, _DMY, ("y", "m", "d"))
    (sn,) = _parts(arr, _SERIAL, ("n",))
    dy = np.where(dy < 100, dy + 2000, dy)  # "03/01/19": two-digit years are this century's
    for src in ((iy, im, iday), (dy, dm, dd)):
        hit = ~np.isnan(src[0]) & np.isnan(y)
        y[hit], m[hit], d[hit] = src[0][hit], src[1][hit], src[2][hit]
    ambiguous = ~np.isnan(dm) & (dm > 12) & (dd <= 12)
    ok = ~np.isnan(y) & ~ambiguous & (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
    month = ((np.where(ok, y, 1970) - 1970) * 12 + np.where(ok, m, 1) - 1).astype("int64").astype("datetime64[M]")
    days = month.astype("datetime64[D]") + (np.where(ok, d, 1) - 1).astype("int64").astype("timedelta64[D]")
    ok &= days.astype("datetime64[M]") == month  # 31/02 would run into March: not a date
    dates = np.where(ok, days.astype("datetime64[s]"), np.datetime64("NaT", "s"))
    serial_ok = ~np.isnan(sn) & (sn >= _SERIAL_MIN) & (sn <= _SERIAL_MAX)
    serial_days = _EXCEL_EPOCH + np.where(serial_ok, sn, 0).astype("int64").astype("timedelta64[D]")
    dates = np.where(serial_ok & np.isnat(dates), serial_days.astype("datetime64[s]"), dates)
    status = np.full(n, OK, dtype=np.int8)
    status[np.isnat(dates)] = UNPARSEABLE
    status[ambiguous] = AMBIGUOUS
    return dates, status


# Day/month order of a sheet's typed dates (Excel's own dates carry no order: they read as ISO text).
_DM_TEXT = r"^\s*(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})[/.-]\d{2,4}"
DAY_FIRST, MONTH_FIRST, MIXED = "day-first", "month-first", "mixed"
MINORITY = 0.05  # the other order's share of the decisive dates below which it is a stray, not an order


def order_evidence(arrays: list[pa.Array]) -> tuple[int, int]:
    """Distinct typed dates that can only be day-first (13/02/2019) and only month-first (02/13/2019)."""
    day_first, month_first = 0, 0
    for arr in arrays:
        distinct = pc.unique(arr.drop_null())
        if not len(distinct):
            continue
        a, b = _parts(distinct, _DM_TEXT, ("a", "b"))
        day_first += int(((a > 12) & (a <= 31) & (b >= 1) & (b <= 12)).sum())
        month_first += int(((b > 12) & (b <= 31) & (a >= 1) & (a <= 12)).sum())
    return day_first, month_first


def decide_order(day_first: int, month_first: int) -> str:
    """The order of a sheet's typed dates from its evidence (docs/counting.md).

    Day-first (the Vietnamese way) unless the sheet shows month-first dates: at least two and the
    day-first ones a stray few (<= 5 %); both orders in earnest is MIXED: the sheet is refused.
    A stray date of the minority order is rejected as date-ambiguous.
    """
    decisive = day_first + month_first
    if month_first <= 1 or month_first <= MINORITY * decisive:
        return DAY_FIRST
    if day_first <= MINORITY * decisive:
        return MONTH_FIRST
    return MIXED


def swap_day_month(arr: pa.Array) -> pa.Array:
    """Typed dates written month-first, rewritten day-first ("02/13/2019 08:00" -> "13/02/2019 08:00")."""
    return pc.replace_substring_regex(arr, pattern=r"^(\s*)(\d{1,2})([/.-])(\d{1,2})([/.-])", replacement=r"\1\4\3\2\5")
