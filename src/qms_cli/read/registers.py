"""The Home Affairs Office's registers: inspections (objective 6) and ISO transition milestones
(objective 7); and the procedure catalogue (online level and statutory time of each procedure)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from qms_cli.data_quality import FileReport, QualityLog
from qms_cli.read.common import Reason, SheetContext, Table, per_unique, read_table, unit_column, valid
from qms_cli.read.headers import Header, _phrases
from qms_cli.text import fold
from qms_cli.units import UnitMatcher
from qms_cli.vocabulary import VOCABULARY, has_any

INSPECTION_SYNONYMS: dict[str, list[str]] = VOCABULARY.headers["inspection_register"]
MILESTONE_SYNONYMS: dict[str, list[str]] = VOCABULARY.headers["transition_milestones"]
CATALOGUE_SYNONYMS: dict[str, list[str]] = VOCABULARY.headers["procedure_catalogue"]
INSPECTION = (_phrases(INSPECTION_SYNONYMS), {"date", "unit"}, set(INSPECTION_SYNONYMS))
MILESTONES = (_phrases(MILESTONE_SYNONYMS), {"due"}, set(MILESTONE_SYNONYMS))
CATALOGUE = (_phrases(CATALOGUE_SYNONYMS), {"days", "level"}, set(CATALOGUE_SYNONYMS))


def _inspection_kind(text: str) -> str:
    return "unannounced" if has_any(text, VOCABULARY.inspections.unannounced) else "periodic"


def _texts(table: Table, field: str, keep: np.ndarray) -> list[str | None]:
    return table.text[field].take(keep).to_pylist() if field in table.text else [None] * len(keep)


def read_inspections(
    grid: Any, header: Header, ctx: SheetContext, matcher: UnitMatcher, log: QualityLog
) -> tuple[pd.DataFrame, FileReport]:
    """Return one record per inspection: date, unit inspected, kind (periodic / unannounced), result."""
    table = read_table(grid, header, ctx.path, ctx.sheet, log)
    reasons: list[Reason] = []
    dates = table.dates("date", reasons, required=True)
    unit, unknown = unit_column(table, None, matcher)
    reasons.append((unknown, "unit-unknown", "unit"))
    accepted = table.reject(reasons)
    keep = np.flatnonzero(accepted)
    kind = (
        per_unique(table.text["kind"], _inspection_kind, "periodic")
        if "kind" in table.text
        else np.full(table.n, "periodic", dtype=object)
    )
    records = pd.DataFrame(
        {"unit": unit[keep], "date": dates[keep], "kind": kind[keep], "result": _texts(table, "result", keep)}
    )
    return records, table.report("inspection_register", ctx, accepted)


def read_milestones(grid: Any, header: Header, ctx: SheetContext, log: QualityLog) -> tuple[pd.DataFrame, FileReport]:
    """Return one record per milestone of the ISO 9001:2015 transition: content, due, done, evidence."""
    table = read_table(grid, header, ctx.path, ctx.sheet, log)
    reasons: list[Reason] = []
    content_missing = ~valid(table.text["content"]) if "content" in table.text else np.ones(table.n, bool)
    reasons.append((content_missing, "missing-name", "content" if "content" in table.text else None))
    due = table.dates("due", reasons, required=True)
    done = table.dates("done", reasons, required=False)
    accepted = table.reject(reasons)
    keep = np.flatnonzero(accepted)
    records = pd.DataFrame(
        {
            "content": _texts(table, "content", keep),
            "due": due[keep],
            "done": done[keep],
            "evidence": _texts(table, "evidence", keep),
        }
    )
    return records, table.report("transition_milestones", ctx, accepted)


def _int(text: str) -> float:
    m = re.search(r"\d+", text)
    return float(m.group()) if m else np.nan


def read_catalogue(grid: Any, header: Header, ctx: SheetContext, log: QualityLog) -> tuple[pd.DataFrame, FileReport]:
    """Return one record per procedure and year: code, name, field, online level, statutory working days."""
    from qms_cli.vocabulary import level_of

    table = read_table(grid, header, ctx.path, ctx.sheet, log)
    has_name = valid(table.text["name"]) if "name" in table.text else np.zeros(table.n, bool)
    has_code = valid(table.text["code"]) if "code" in table.text else np.zeros(table.n, bool)
    accepted = table.reject([(~has_name & ~has_code, "missing-name", "name" if "name" in table.text else None)])
    keep = np.flatnonzero(accepted)
    level = (
        per_unique(table.text["level"], level_of, np.nan, float) if "level" in table.text else np.full(table.n, np.nan)
    )
    days = per_unique(table.text["days"], _int, np.nan, float) if "days" in table.text else np.full(table.n, np.nan)
    year = per_unique(table.text["year"], _int, np.nan, float) if "year" in table.text else np.full(table.n, np.nan)
    names = _texts(table, "name", keep)
    records = pd.DataFrame(
        {
            "code": _texts(table, "code", keep),
            "name": names,
            "name_key": [fold(n) if n else None for n in names],
            "field": _texts(table, "field", keep),
            "level": level[keep],
            "days": days[keep],
            "year": year[keep],
        }
    )
    return records, table.report("procedure_catalogue", ctx, accepted)
