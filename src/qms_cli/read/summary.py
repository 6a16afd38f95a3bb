"""Summary tables, Biểu 06a "Tình hình, kết quả giải quyết TTHC" (spec/metrics.md §7, kind 2).

One row per unit (or per unit and field, summed) for a stated range. The header is two or three
rows deep; same-named columns ("Tổng số", "Quá hạn") are told apart by their group, and a row of
column numbers (1)…(13) names the standard columns where their words do not.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from qms_cli.data_quality import FileReport, QualityLog
from qms_cli.read.common import SheetContext, per_unique, read_table, unit_column, valid
from qms_cli.read.grid import column_letter
from qms_cli.read.headers import Header
from qms_cli.units import UnitMatcher
from qms_cli.vocabulary import VOCABULARY, WordMap, has_any

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
# Columns of real systems' own layouts: received in the period ("Trong kỳ"), in person alone (QĐ 766),
# and groups no figure uses (kept, summed, never counted).
MORE = ["received_period", "direct", "withdrawn", "paused", "cancelled", "waiting_return"]
BY_NUMBER = {n: f for n, f in zip(range(3, 14), COUNTS, strict=True)}
_WORDS = VOCABULARY.summary
_GROUPS = tuple((group, tuple(words)) for group, words in _WORDS.groups.items())
_EXTRA_WORDS = tuple((name, tuple(words)) for name, words in _WORDS.extras.items() if name != "printed_rate")
_RATE_WORDS = tuple(_WORDS.extras.get("printed_rate", []))
_COLUMNS = {group: WordMap(columns) for group, columns in _WORDS.columns.items()}
_ALL_GROUP_WORDS = tuple(w for _, ws in _GROUPS for w in ws)
_NUMBER_CELL = re.compile(r"^\(?(\d{1,2})\)?$")


def _group_of(elements: list[str]) -> str | None:
    """The first group named from the top of a header path."""
    for element in elements:
        for group, words in _GROUPS:
            if has_any(element, words):
                return group
    return None


def _field_of(elements: list[str], carried: str | None = None) -> str | None:
    """The field a column names, from its header cells top to bottom (vocabulary.yaml, `summary`).

    A group no figure uses takes its group's name; then an extra column's words anywhere; then, within
    its group (its own, else `carried`: the group named to its left in a flat header), the lowest cell
    naming a column, where "Tổng số" under a named sub-level is that level. A group named alone is its total.
    """
    own = _group_of(elements)
    group = own or carried
    if group is not None and group not in _COLUMNS:
        return group
    path = " ".join(elements)
    if has_any(path, _RATE_WORDS):
        return "printed_rate"
    for name, words in _EXTRA_WORDS:
        if has_any(path, words):
            return name
    if group is None:
        return None
    names = [_COLUMNS[group](e) for e in elements]
    named = [n for n in names if n]
    if not named:
        return f"{group}_total" if own else None  # "Đang giải quyết" alone
    if named[-1] == f"{group}_total" and len(named) > 1:
        return named[-2]  # "Trong kỳ / Tổng số": received in the period
    return named[-1]


def _cell(rows: list[list[str | None]], r: int, c: int) -> str | None:
    value = rows[r][c] if c < len(rows[r]) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _header_span(rows: list[list[str | None]]) -> tuple[int, int, int | None] | None:
    """(first header row, last header row, row of column numbers or None): the header starts at the first
    row naming two groups and ends above the column numbers or the first row of figures."""
    top = next(
        (
            r
            for r, row in enumerate(rows)
            if sum(1 for c in range(len(row)) if (t := _cell(rows, r, c)) and has_any(t, _ALL_GROUP_WORDS)) >= 2
        ),
        None,
    )
    if top is None:
        return None
    bottom = top
    for r in range(top + 1, min(top + 5, len(rows))):
        cells = [t for c in range(len(rows[r])) if (t := _cell(rows, r, c))]
        if cells and all(_NUMBER_CELL.match(t) for t in cells) and len(cells) >= 3:
            return top, bottom, r
        if sum(1 for t in cells if re.fullmatch(r"[\d.,\s]+", t)) >= 3:
            break  # the first data row
        bottom = r
    return top, bottom, None


def _header_paths(rows: list[list[str | None]], top: int, bottom: int) -> dict[int, list[str]]:
    """Per column, its header cells top to bottom; a group cell merged across stands over the empty cells
    to its right that have sub-headers below."""
    width = max(len(rows[r]) for r in range(top, bottom + 1))
    filled = [[_cell(rows, r, c) for c in range(width)] for r in range(top, bottom + 1)]
    for i in range(len(filled) - 1):
        for c in range(1, width):
            below = any(filled[j][c] for j in range(i + 1, len(filled)))
            if filled[i][c] is None and filled[i][c - 1] is not None and below:
                filled[i][c] = filled[i][c - 1]
    elements: dict[int, list[str]] = {}
    for c in range(width):
        if words := [w for i in range(len(filled)) if (w := filled[i][c])]:
            elements[c] = list(dict.fromkeys(words))
    return elements


def _name_columns(elements: dict[int, list[str]]) -> dict[str, int]:
    """The field of each column by its words (the first column of a field wins)."""
    columns: dict[str, int] = {}
    group: str | None = None  # a flat header ("Tổng số đã giải quyết", "Trước hạn", …): the group runs on
    for c in sorted(elements):
        path = " ".join(elements[c])
        group = _group_of(elements[c]) or group
        name = None if has_any(path, _WORDS.not_counts) else _field_of(elements[c], group)
        if name is None and has_any(path, _WORDS.unit):
            name = "unit"
        elif name is None and has_any(path, _WORDS.field):
            name = "field"
        if name and name not in columns:
            columns[name] = c
    return columns


def find_summary_header(rows: list[list[str | None]]) -> Header | None:
    """Return the header of a summary table: its last header row, depth, and columns by field.

    A row of column numbers (1)…(13) names the standard columns of Biểu 06a where the words do not.
    """
    span = _header_span(rows)
    if span is None:
        return None
    top, bottom, numbers_row = span
    elements = _header_paths(rows, top, bottom)
    columns = _name_columns(elements)
    if numbers_row is not None:
        for c in range(len(rows[numbers_row])):
            if (t := _cell(rows, numbers_row, c)) and (m := _NUMBER_CELL.match(t)):
                name = BY_NUMBER.get(int(m.group(1)))
                if name and name not in columns:
                    columns[name] = c
    if not {"resolved_total", "received_total", "received_period"} & columns.keys() and not (
        {"early", "late"} <= columns.keys()
    ):
        return None
    last = numbers_row if numbers_row is not None else bottom
    labels = {c: " ".join(words) for c, words in elements.items()}
    return Header(last, last - top + 1, columns, labels, {})


def _number(text: str) -> float:
    digits = re.sub(r"[.,\s]", "", text)
    return float(digits) if digits.isdigit() else np.nan


def _percent(text: str) -> tuple[float, int]:
    """A printed rate as a percentage and its number of decimals ("97,99 %" -> (97.99, 2)); NaN if none."""
    t = text.replace("%", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"\d+(?:\.\d+)?", t):
        return np.nan, 0
    decimals = len(t.split(".")[1]) if "." in t else 0
    value = float(t)
    if "%" not in text and value <= 1 and decimals:  # a fraction: 0,9799
        return value * 100, max(decimals - 2, 0)
    return value, decimals


def _half_up(value: float, decimals: int) -> float:
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _truncated(value: float, decimals: int) -> float:
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN))


def _rate_mismatch(printed: str, early: float, on_time: float, late: float) -> str | None:
    """Why a printed rate (trước hạn + đúng hạn) ÷ (trước hạn + đúng hạn + quá hạn) is wrong, else None.

    Truncating systems (97,99 % shown as 97 %) are accepted; a rate printed for nothing resolved is not.
    """
    value, decimals = _percent(printed)
    if np.isnan(value) or np.isnan(early + on_time + late):
        return None
    resolved = early + on_time + late
    if resolved == 0:
        return f"{printed} (nothing resolved: no rate)"
    computed = 100 * (early + on_time) / resolved
    if value in (_half_up(computed, decimals), _truncated(computed, decimals)):
        return None
    shown = f"{_half_up(computed, 2):.2f}".replace(".", ",")
    return f"{printed} ≠ {shown} % = ({early:.0f} + {on_time:.0f}) ÷ {resolved:.0f}"


# Identities of the form (spec §7, real-exports.md §2): total, its parts. A total that is not the sum of its
# parts is `summary-inconsistent`: the parts are counted, and the issue shows both.
_IDENTITIES = [  # inner totals first: a corrected "Trong kỳ" then feeds "Tổng số"
    ("received_period", ["online", "direct_postal"]),
    ("received_period", ["online", "direct", "postal_in"]),
    ("received_total", ["received_period", "carried"]),
    ("received_total", ["online", "direct_postal", "carried"]),
    ("resolved_total", ["early", "on_time", "late"]),
    ("pending_total", ["pending_in_time", "pending_overdue"]),
]


def _derive(numbers: dict[str, np.ndarray]) -> None:
    """Fill the standard columns a real system's layout gives in other words (in place)."""

    def has(*names: str) -> bool:
        return all(n in numbers for n in names)

    if "direct_postal" not in numbers and has("direct"):  # QĐ 766: Trực tiếp | BCCI
        numbers["direct_postal"] = numbers["direct"] + np.nan_to_num(numbers.get("postal_in", 0.0))
    if "direct_postal" not in numbers and has("received_period", "online"):  # Trong kỳ, of which Qua mạng
        numbers["direct_postal"] = numbers["received_period"] - numbers["online"]
    if "online" not in numbers and has("received_period", "direct_postal"):
        numbers["online"] = numbers["received_period"] - numbers["direct_postal"]
    if "received_period" not in numbers and has("online", "direct_postal"):
        numbers["received_period"] = numbers["online"] + numbers["direct_postal"]
    for total, parts in (
        ("resolved_total", ["early", "on_time", "late"]),
        ("pending_total", ["pending_in_time", "pending_overdue"]),
        ("received_total", ["received_period", "carried"]),
    ):
        if total not in numbers and has(*parts):
            numbers[total] = sum((numbers[p] for p in parts), np.zeros_like(numbers[parts[0]]))


def _check_identities(
    numbers: dict[str, np.ndarray], given: set[str], accepted: np.ndarray, table: Any, log: QualityLog
) -> None:
    """Warn where a stated total is not the sum of its stated parts, and count the parts (in place).

    Every identity is checked on the figures as printed; then each wrong total takes the sum of its parts,
    inner totals first, so that one wrong cell is one warning."""
    stated = {f: np.nan_to_num(v) for f, v in numbers.items()}
    for total, parts in _IDENTITIES:
        if total not in given or not all(p in given for p in parts):
            continue
        right = sum((stated[p] for p in parts), np.zeros(len(stated[total])))
        wrong = accepted & (stated[total] != right)
        label = table.issues.header.labels.get(table.issues.header.columns[total], total)
        for i in np.flatnonzero(wrong):
            shown = " + ".join(f"{stated[p][i]:.0f}" for p in parts)
            value = f"{label}: {stated[total][i]:.0f} ≠ {shown} = {right[i]:.0f}"
            log.add(
                "summary-inconsistent",
                table.issues.path,
                table.issues.sheet,
                int(i + table.first_row),
                None,
                None,
                value,
            )
        counted = sum((np.nan_to_num(numbers[p]) for p in parts), np.zeros(len(stated[total])))
        numbers[total] = np.where(wrong, counted, numbers[total])


def read_summary_sheet(
    grid: Any,
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    log: QualityLog,
    period: tuple[date, date] | None,
) -> tuple[pd.DataFrame, FileReport]:
    """Return one record per unit and field (the `field` column; None where the table names none) with the
    counts of columns (3)-(13) and the extras."""
    table = read_table(grid, header, ctx.path, ctx.sheet, log)
    text, n, issues, rows = table.text, table.n, table.issues, table.rows
    numbers = {f: per_unique(text[f], _number, np.nan, float) for f in COUNTS + EXTRAS + MORE if f in text}
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
    given = set(numbers)
    _check_identities(numbers, given, accepted, table, log)
    _derive(numbers)
    if "printed_rate" in text and {"early", "on_time", "late"} <= given:
        _check_rate(text["printed_rate"], numbers, accepted, table, log)
    keep = np.flatnonzero(accepted)
    fields = per_unique(text["field"], _field_name) if "field" in text else np.full(n, None, dtype=object)
    return _per_unit_and_field({f: v[keep] for f, v in numbers.items()}, unit[keep], fields[keep], ctx, period), report


def _field_name(cell: str) -> str | None:
    """A field cell as the form names it (spaces made single), None when it names nothing."""
    name = " ".join(cell.split())
    return name or None


def _per_unit_and_field(
    numbers: dict[str, np.ndarray],
    units: np.ndarray,
    fields: np.ndarray,
    ctx: SheetContext,
    period: tuple[date, date] | None,
) -> pd.DataFrame:
    """One record per unit and field of the accepted rows (`field` None where the table names none),
    figures summed (NaN where no row has one), with the table's range, file and sheet."""
    frame = pd.DataFrame(
        {
            "unit": pd.Series(units, dtype=object).fillna(""),
            "field": pd.Series(fields, dtype=object).fillna(""),
        }
    )
    for f in COUNTS + EXTRAS + ["received_period"]:
        frame[f] = numbers[f] if f in numbers else np.nan
    grouped = frame.groupby(["unit", "field"], sort=False).sum(min_count=1).reset_index()
    grouped["unit"] = grouped["unit"].replace("", None)
    grouped["field"] = grouped["field"].replace("", None)
    start, end = period if period else (None, None)
    grouped["start"] = pd.Timestamp(start) if start else pd.NaT
    grouped["end"] = pd.Timestamp(end) if end else pd.NaT
    grouped["path"] = ctx.path
    grouped["sheet"] = ctx.sheet
    return grouped


def _check_rate(printed: pa.Array, numbers: dict[str, np.ndarray], accepted: np.ndarray, table: Any, log: Any) -> None:
    """Recompute a printed rate column on every accepted row; a mismatch is `summary-rate-mismatch`."""
    texts = printed.to_pylist()
    for i in np.flatnonzero(accepted):
        if not texts[i]:
            continue
        why = _rate_mismatch(texts[i], numbers["early"][i], numbers["on_time"][i], numbers["late"][i])
        if why:
            col = table.issues.header.columns["printed_rate"]
            log.add(
                "summary-rate-mismatch",
                table.issues.path,
                table.issues.sheet,
                int(i + table.first_row),
                column_letter(col),
                table.issues.header.labels.get(col),
                why,
            )


__all__ = ["COUNTS", "EXTRAS", "find_summary_header", "read_summary_sheet", "pa"]
