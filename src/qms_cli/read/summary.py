"""Summary tables, Biểu 06a "Tình hình, kết quả giải quyết TTHC" (spec/metrics.md §7, kind 2).

One row per unit (or per unit and field, summed) for a stated range. The header is two or three
rows deep; same-named columns ("Tổng số", "Quá hạn") are told apart by their group, and a row of
column numbers (1)…(13) names the standard columns where their words do not.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from qms_cli.quality import FileReport, QualityLog
from qms_cli.read.common import SheetContext, per_unique, read_table, unit_column, valid
from qms_cli.read.headers import Header
from qms_cli.text import fold
from qms_cli.units import UnitMatcher
from qms_cli.vocabulary import VOCABULARY, has_any

COUNTS = [
    "received_total",
    "online",
    "direct_postal",
    "carried",
    "resolved_total",
    "early",
    "on_time",
    "late",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
]
EXTRAS = ["online_l3", "online_l4", "postal_in", "supplement", "returned_total", "postal_out"]
BY_NUMBER = {n: f for n, f in zip(range(3, 14), COUNTS, strict=True)}
_WORDS = VOCABULARY.summary
_GROUPS = tuple((group, tuple(words)) for group, words in _WORDS.groups.items())
_EXTRA_WORDS = tuple((name, tuple(words)) for name, words in _WORDS.extras.items())
_SUB = {
    group: tuple((word, name) for name, words in columns.items() for word in words)
    for group, columns in _WORDS.columns.items()
}
_ALL_GROUP_WORDS = tuple(w for _, ws in _GROUPS for w in ws)
_ALL_SUB_WORDS = tuple(w for ws in _SUB.values() for w, _ in ws)
_NUMBER_CELL = re.compile(r"^\(?(\d{1,2})\)?$")
_MONTH = re.compile(r"thang (\d{1,2})(?: nam | )(\d{4})")
_RANGE = re.compile(
    r"tu ngay (\d{1,2}) (?:thang )?(\d{1,2}) (?:nam )?(\d{4}) den ngay (\d{1,2}) (?:thang )?(\d{1,2}) (?:nam )?(\d{4})"
)
_PLACE_DATE = re.compile(r"ngay \d{1,2} thang \d{1,2} nam \d{4}")
_HALF = re.compile(r"6 thang (dau|cuoi) nam (\d{4})")
_QUARTER = re.compile(r"quy (i{1,3}v?|iv|[1-4]) nam (\d{4})")
_YEAR = re.compile(r"nam (\d{4})")


def _field_of(path: str, group_text: str | None = None) -> str | None:
    """The field a column names: its own words, within its group (its own path, or the column to its left
    that named a group, for a flat one-row header). A group named alone is that group's total."""
    for name, words in _EXTRA_WORDS:
        if has_any(path, words):
            return name
    within = group_text if group_text else path
    for group, group_words in _GROUPS:
        if has_any(within, group_words):
            for word, name in _SUB.get(group, ()):
                if has_any(path, (word,)):
                    return name
            if group_text is None and not has_any(path, _ALL_SUB_WORDS):
                return f"{group}_total"  # "Đang giải quyết" alone
    return None


def find_summary_header(rows: list[list[str | None]]) -> Header | None:
    """Return the header of a Biểu 06a table: its last header row, depth, and columns by field."""

    def text(r: int, c: int) -> str | None:
        value = rows[r][c] if c < len(rows[r]) else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    top = next(
        (
            r
            for r, row in enumerate(rows)
            if sum(1 for c in range(len(row)) if (t := text(r, c)) and has_any(t, _ALL_GROUP_WORDS)) >= 2
        ),
        None,
    )
    if top is None:
        return None
    bottom, numbers_row = top, None
    for r in range(top + 1, min(top + 5, len(rows))):
        cells = [t for c in range(len(rows[r])) if (t := text(r, c))]
        if cells and all(_NUMBER_CELL.match(t) for t in cells) and len(cells) >= 3:
            numbers_row = r
            break
        if sum(1 for t in cells if re.fullmatch(r"[\d.,\s]+", t)) >= 3:
            break  # the first data row
        bottom = r
    width = max(len(rows[r]) for r in range(top, bottom + 1))
    paths: dict[int, str] = {}
    filled = [[text(r, c) for c in range(width)] for r in range(top, bottom + 1)]
    for i in range(len(filled) - 1):  # a group cell merged across stands over the empty cells to its right
        for c in range(1, width):
            below = any(filled[j][c] for j in range(i + 1, len(filled)))
            if filled[i][c] is None and filled[i][c - 1] is not None and below:
                filled[i][c] = filled[i][c - 1]
    for c in range(width):
        words = [w for i in range(len(filled)) if (w := filled[i][c])]
        if words:
            paths[c] = " ".join(dict.fromkeys(words))
    columns: dict[str, int] = {}
    group = ""  # a flat header ("Tổng số đã giải quyết", "Trước hạn", …): the group runs on to the right
    for c in sorted(paths):
        path = paths[c]
        if has_any(path, _ALL_GROUP_WORDS):
            group = path
        name = _field_of(path)
        if name is None and group and not has_any(path, _WORDS.not_counts):
            name = _field_of(path, group)
        if name is None and has_any(path, _WORDS.unit):
            name = "unit"
        elif name is None and has_any(path, _WORDS.field):
            name = "field"
        if name and name not in columns:
            columns[name] = c
    if numbers_row is not None:
        for c in range(width):
            if (t := text(numbers_row, c)) and (m := _NUMBER_CELL.match(t)):
                name = BY_NUMBER.get(int(m.group(1)))
                if name and name not in columns:
                    columns[name] = c
    if "resolved_total" not in columns and "received_total" not in columns:
        return None
    last = numbers_row if numbers_row is not None else bottom
    labels = {c: p for c, p in paths.items()}
    return Header(last, last - top + 1, columns, labels, {})


def reporting_range(texts: list[str]) -> tuple[date, date] | None:
    """The range a summary reports on, from its title: a range, a month, a quarter, a half or a year."""
    ordered = sorted(texts, key=lambda raw: "ky bao cao" not in fold(raw))  # "Kỳ báo cáo: …" first
    for raw in ordered:
        t = fold(raw)
        if m := _RANGE.search(t):
            try:
                return date(int(m[3]), int(m[2]), int(m[1])), date(int(m[6]), int(m[5]), int(m[4]))
            except ValueError:
                continue
        t = _PLACE_DATE.sub(" ", t)  # "…, ngày 05 tháng 4 năm 2019" is when it was signed, not its range
        if m := _MONTH.search(t):
            y, mo = int(m[2]), int(m[1])
            if 1 <= mo <= 12:
                return date(y, mo, 1), (date(y + mo // 12, mo % 12 + 1, 1) - timedelta(days=1))
        if m := _QUARTER.search(t):
            q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m[1], None) or int(m[1])
            return date(int(m[2]), 3 * q - 2, 1), date(int(m[2]) + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
        if m := _HALF.search(t):
            y = int(m[2])
            return (date(y, 1, 1), date(y, 6, 30)) if m[1] == "dau" else (date(y, 7, 1), date(y, 12, 31))
        if m := _YEAR.search(t):
            y = int(m[1])
            return date(y, 1, 1), date(y, 12, 31)
    return None


def _number(text: str) -> float:
    digits = re.sub(r"[.,\s]", "", text)
    return float(digits) if digits.isdigit() else np.nan


def read_summary_sheet(
    grid: Any,
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    log: QualityLog,
    period: tuple[date, date] | None,
) -> tuple[pd.DataFrame, FileReport]:
    """Return one record per unit (fields summed) with the counts of columns (3)-(13) and the extras."""
    table = read_table(grid, header, ctx.path, ctx.sheet, log)
    text, n, issues, rows = table.text, table.n, table.issues, table.rows
    numbers = {f: per_unique(text[f], _number, np.nan, float) for f in COUNTS + EXTRAS if f in text}
    with_figures = np.zeros(n, bool)
    for values in numbers.values():
        with_figures |= ~np.isnan(values)
    if not (rows & with_figures).any():
        # A table of one total row only ("Tổng cộng", a published aggregate): that row is the figures.
        rows = with_figures
    report = FileReport(
        path=ctx.path, kind="summary_06a", sheet=ctx.sheet, unit=ctx.unit, rows_read=n, rows_skipped=int((~rows).sum())
    )
    open_ = rows.copy()
    if period is None:
        issues(open_, "missing-date", None)
        open_[:] = False
    for f, values in numbers.items():
        bad = open_ & valid(text[f]) & np.isnan(values)
        issues(bad, "number-unparseable", f)
        open_ &= ~bad
    unit, unknown = unit_column(table, ctx.unit, matcher)
    if "unit" in text:
        issues(open_ & valid(text["unit"]) & unknown, "unit-unknown-district", "unit")
    else:
        issues(open_ & unknown, "unit-unknown-district", None)
    accepted = open_
    report.rows_accepted = int(accepted.sum())
    report.rows_rejected = int((rows & ~accepted).sum())
    keep = np.flatnonzero(accepted)
    frame = pd.DataFrame({"unit": pd.Series(unit[keep], dtype=object).fillna("")})
    for f in COUNTS + EXTRAS:
        frame[f] = numbers[f][keep] if f in numbers else np.nan
    # Identities of the form (spec §7): a mismatch is a warning, not a rejection.
    checks = [
        ("received_total", ["online", "direct_postal", "carried"]),
        ("resolved_total", ["early", "on_time", "late"]),
        ("pending_total", ["pending_in_time", "pending_overdue"]),
    ]
    mismatch = np.zeros(n, bool)
    for total, parts in checks:
        if total in numbers and all(p in numbers for p in parts):
            left = np.nan_to_num(numbers[total])
            right = sum(np.nan_to_num(numbers[p]) for p in parts)
            mismatch |= accepted & (left != right)
    issues(mismatch, "summary-inconsistent", None)
    grouped = frame.groupby("unit", sort=False).sum(min_count=1).reset_index()
    grouped["unit"] = grouped["unit"].replace("", None)
    start, end = period if period else (None, None)
    grouped["start"] = pd.Timestamp(start) if start else pd.NaT
    grouped["end"] = pd.Timestamp(end) if end else pd.NaT
    grouped["path"] = ctx.path
    return grouped, report


__all__ = ["COUNTS", "EXTRAS", "find_summary_header", "read_summary_sheet", "reporting_range", "pa"]
