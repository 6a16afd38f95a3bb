"""Satisfaction surveys (objective 5): one row per response, or counts per rating level per unit.

Ratings map to satisfied / not satisfied by scale (spec/metrics.md §4): 3-level and 5-level
wordings (Rất hài lòng, Hài lòng = satisfied; Bình thường, Không hài lòng, Rất không hài lòng =
not), and 1-5 stars (4-5 = satisfied). Blank ratings are not valid ratings.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from qms_cli.data_quality import FileReport, QualityLog
from qms_cli.read.common import Reason, SheetContext, per_unique, read_table, unit_column, valid
from qms_cli.read.headers import Header, _phrases
from qms_cli.units import UnitMatcher
from qms_cli.vocabulary import VOCABULARY, has_any, written_alternation

_WORDS = VOCABULARY.survey
LEVELS = {  # level header -> satisfied?
    **{w: True for w in _WORDS.levels.get("satisfied", [])},
    **{w: False for w in _WORDS.levels.get("not_satisfied", [])},
}
SYNONYMS: dict[str, list[str]] = {**VOCABULARY.headers["satisfaction_survey"], **{f"level:{k}": [k] for k in LEVELS}}
PHRASES = _phrases(SYNONYMS)
LOADED = set(SYNONYMS) - {"pii"}
REQUIRED_ANY = {"rating", *(f"level:{k}" for k in LEVELS)}
# A number of stars as written: "4", "4,5", "4 sao", "4*", "4/5" (unit words: vocabulary.yaml survey.stars).
_STARS = re.compile(rf"^(\d(?:[.,]\d+)?)(?:\s*(?:{written_alternation(_WORDS.stars)}|\*|/\s*5))?$")


def rating_of(text: str) -> bool | None:
    """Return True (satisfied), False (not) or None (not a rating) for one answer."""
    if has_any(text, _WORDS.negative):
        return False
    if has_any(text, _WORDS.positive):
        return True
    stars = text.count("★")
    if stars:
        return stars >= 4
    if m := _STARS.match(" ".join(unicodedata.normalize("NFC", text.lower()).split())):
        value = float(m.group(1).replace(",", "."))
        return value >= 4 if 1 <= value <= 5 else None
    return None


def source_of(text: str) -> str:
    """The survey source a text names: "web" when it has a web source's words, else "desk"."""
    if has_any(text, _WORDS.web_sources):
        return "web"
    return "desk"


def read_survey_sheet(
    grid: Any,
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    log: QualityLog,
    period: tuple[date, date] | None,
) -> tuple[pd.DataFrame, FileReport]:
    """Return rating records (unit, date, source, satisfied, count) and the sheet's row accounting.

    A row is a response (a rating column, or one column per criterion: each answer is a rating) or a
    count per rating level. Without a date column, the reporting range of the title dates the rows.
    """
    table = read_table(grid, header, ctx.path, ctx.sheet, log)
    text = dict(table.text)
    # Criterion columns: any other column whose header speaks of satisfaction or a criterion; never a
    # column recognised as personal data ("Họ tên người đánh giá").
    known = set(header.columns.values()) | set(header.ignored)
    criteria = [c for c, label in header.labels.items() if c not in known and has_any(label, _WORDS.criterion_headers)]
    if criteria:
        for c, arr in grid.arrays(header.row + 1, criteria).items():
            text[f"criterion:{c}"] = arr
    unit, unknown = unit_column(table, ctx.unit, matcher)
    named = valid(text["unit"]) if "unit" in text else np.zeros(table.n, bool)
    reasons: list[Reason] = []
    dates = table.dates("date", reasons, required=False)
    if period is not None:  # the reporting range of the title dates rows that have no date
        dates = np.where(np.isnat(dates), np.datetime64(period[1], "s"), dates)
    reasons.append((np.isnat(dates), "missing-date", "date" if "date" in text else None))
    accepted = table.reject(reasons)
    table.issues(accepted & named & unknown, "unit-unknown-district", "unit")
    default_source = source_of(f"{ctx.sheet or ''} {ctx.path}")
    source = (
        per_unique(text["source"], source_of, default_source)
        if "source" in text
        else np.full(table.n, default_source, dtype=object)
    )
    keep = np.flatnonzero(accepted)
    base = {"unit": unit[keep], "date": dates[keep], "source": source[keep]}
    parts = []
    for f in (f for f in header.columns if f.startswith("level:")):  # counts per rating level
        counts = per_unique(text[f], _count, 0, np.int64)
        parts.append(pd.DataFrame({**base, "satisfied": LEVELS[f.split(":", 1)[1]], "count": counts[keep]}))
    for f in [f for f in text if f == "rating" or f.startswith("criterion:")]:  # one answer per cell
        answer = per_unique(text[f], rating_of)
        field = f if f == "rating" else None
        table.issues(accepted & valid(text[f]) & pd.isna(answer), "rating-unknown", field)
        ok = ~pd.isna(answer[keep])
        parts.append(
            pd.DataFrame({k: v[ok] for k, v in base.items()} | {"satisfied": answer[keep][ok].astype(bool), "count": 1})
        )
    columns = ["unit", "date", "source", "satisfied", "count"]
    records = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    report = table.report("satisfaction_survey", ctx, accepted)
    return records, report


def _count(text: str) -> int:
    digits = re.sub(r"[.,\s]", "", text)
    return int(digits) if digits.isdigit() else 0
