"""The QĐ 766/QĐ-TTg index of service to citizens and businesses: per-unit scores from a portal export.

One row per unit (and period): the six components with their maxima (real-exports.md §3) and the
total. Components are recognised by the NAMES in the header (`vocabulary.yaml`, headers.service_index),
never by their position nor by the short codes (CKMB, TDGQ, …) that exports carry and users mix up:
a column headed by a code alone is reported and not read. The period of a row comes from a period
column ("Kỳ đánh giá": "Tháng 3/2026", "Quý I/2026", "Năm 2025"), else from the title rows, the sheet
or the file name. Rows of units outside the registry (a city-wide export lists every ward) are
skipped and counted; a score out of its range rejects the row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from qms_cli.data_quality import FileReport, QualityLog
from qms_cli.index766 import COMPONENTS
from qms_cli.read.common import Reason, SheetContext, per_unique, read_table, unit_column, valid
from qms_cli.read.grid import column_letter
from qms_cli.read.headers import Header, _phrases
from qms_cli.read.phrases import named_range
from qms_cli.text import fold
from qms_cli.units import UnitMatcher
from qms_cli.vocabulary import VOCABULARY

# The components in the order of the index, with their maxima (total 100).
SYNONYMS: dict[str, list[str]] = VOCABULARY.headers["service_index"]
PHRASES = _phrases(SYNONYMS)
REQUIRED_ANY = {"transparency", "progress", "payment", "digitisation"}
LOADED = set(SYNONYMS) - {"code_only"}
SPEC = (PHRASES, REQUIRED_ANY, LOADED)
TOTAL_TOLERANCE = 0.01  # points: a stated total further than this from the components' sum is said


def period_of(text: str) -> tuple[date, date] | None:
    """The range a period cell names: a range, quarter, half, month ("Tháng 03/2026", "3/2026") or year."""
    return named_range(text, whole_cell=True)


def score_of(text: str) -> float:
    """A score as written: decimal comma or point ("15,5", "15.50"); NaN when it is not a number."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return float("nan")


def _periods(table: Any, span: tuple[date, date] | None) -> tuple[np.ndarray, np.ndarray]:
    """Each row's period (start, end as datetime64[D]): its period cell, else the sheet's span."""
    n = table.n
    start = np.full(n, np.datetime64(span[0]) if span else np.datetime64("NaT"), dtype="datetime64[D]")
    end = np.full(n, np.datetime64(span[1]) if span else np.datetime64("NaT"), dtype="datetime64[D]")
    if "period" in table.text:
        found = per_unique(table.text["period"], period_of)
        named = np.array([f is not None for f in found], dtype=bool)
        start = np.where(named, np.array([f[0] if f else date.min for f in found], dtype="datetime64[D]"), start)
        end = np.where(named, np.array([f[1] if f else date.min for f in found], dtype="datetime64[D]"), end)
    return start, end


def read_service_index_sheet(
    grid: Any,
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    log: QualityLog,
    span: tuple[date, date] | None,
) -> tuple[pd.DataFrame, FileReport]:
    """Return one record per unit and period of the registry with its component scores and totals."""
    table = read_table(grid, header, ctx.path, ctx.sheet, log)
    for column, label in sorted(header.ignored.items()):
        if match_code(label):
            where = column_letter(column)
            log.add("index-component-unnamed", ctx.path, ctx.sheet, header.row + 1, where, label, label)
    unit, unknown = unit_column(table, ctx.unit, matcher)
    named = valid(table.text["unit"]) if "unit" in table.text else np.zeros(table.n, bool)
    outside = table.rows & named & unknown
    table.issues(outside, "index-unit-outside-registry", "unit")
    table.rows = table.rows & ~outside  # another unit's scores: skipped and counted, not rejected
    start, end = _periods(table, span)
    reasons: list[Reason] = [
        (unknown, "unit-unknown", "unit" if "unit" in table.text else None),
        (np.isnat(start), "index-period-unknown", "period" if "period" in table.text else None),
    ]
    scores = {}
    for name, maximum in (*COMPONENTS.items(), ("total", 100.0)):
        if name not in table.text:
            continue
        values = per_unique(table.text[name], score_of, np.nan, float)
        written = valid(table.text[name])
        reasons.append((written & np.isnan(values), "number-unparseable", name))
        reasons.append((~np.isnan(values) & ((values < 0) | (values > maximum)), "index-score-out-of-range", name))
        scores[name] = values
    accepted = table.reject(reasons)
    records = _records(unit, start, end, scores, accepted, ctx)
    _check_totals(table, scores, accepted)
    return records, table.report("service_index", ctx, accepted)


def match_code(label: str) -> bool:
    """True when a header is one of the index's short codes and nothing else ("CKMB", "TONG_SCORE")."""
    codes = {fold(c) for c in SYNONYMS.get("code_only", [])}
    return fold(label) in codes


def _records(
    unit: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    scores: dict[str, np.ndarray],
    accepted: np.ndarray,
    ctx: SheetContext,
) -> pd.DataFrame:
    keep = np.flatnonzero(accepted)
    data: dict[str, Any] = {
        "unit": unit[keep],
        "start": start[keep].astype("datetime64[s]"),
        "end": end[keep].astype("datetime64[s]"),
    }
    for name in (*COMPONENTS, "total"):
        data[name] = scores[name][keep] if name in scores else np.full(len(keep), np.nan)
    data["path"] = ctx.path
    data["sheet"] = ctx.sheet
    return pd.DataFrame(data)


def _check_totals(table: Any, scores: dict[str, np.ndarray], accepted: np.ndarray) -> None:
    """A stated total that is not the sum of the six components is said (the components are kept)."""
    if "total" not in scores or not all(c in scores for c in COMPONENTS):
        return
    parts = np.nansum(np.vstack([scores[c] for c in COMPONENTS]), axis=0)
    off = accepted & ~np.isnan(scores["total"]) & (np.abs(parts - scores["total"]) > TOTAL_TOLERANCE)
    table.issues(off, "index-total-mismatch", "total")
