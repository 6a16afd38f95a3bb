"""The QĐ 766 index beside the ISO objectives: each unit's published scores for the period.

The index is not an objective of Decision 784 and is not scored against a target: it is shown
beside objective 1 (its "tiến độ giải quyết"), objective 3 ("dịch vụ công trực tuyến") and
objective 5 ("mức độ hài lòng"), with the period the scores belong to. A unit's row beside the
objectives is the index row whose period overlaps the evaluation period most (then the latest);
every overlapping row is listed under `rows`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from qms_cli.evaluate.kinds import Inputs
from qms_cli.index766 import BESIDE, COMPONENTS, NAMES
from qms_cli.periods import Period


def range_label(start: date, end: date) -> str:
    """The `--period` name of a range: 2026, H1-2026, Q1-2026, 2026-03, else 2026-01-01..2026-02-15."""
    y = start.year
    whole_months = start.day == 1 and (end + pd.Timedelta(days=1)).day == 1 and end.year == y
    if whole_months:
        months = (start.month, end.month)
        if months == (1, 12):
            return str(y)
        if months in ((1, 6), (7, 12)):
            return f"H{1 if months[0] == 1 else 2}-{y}"
        if months[1] - months[0] == 2 and months[0] % 3 == 1:
            return f"Q{months[0] // 3 + 1}-{y}"
        if months[0] == months[1]:
            return f"{y}-{months[0]:02d}"
    return f"{start.isoformat()}..{end.isoformat()}"


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _row(row: Any, names: dict[str, str]) -> dict[str, Any]:
    start, end = row.start.date(), row.end.date()
    scores = {c: _number(getattr(row, c)) for c in COMPONENTS}
    parts = [v for v in scores.values() if v is not None]
    return {
        "unit": row.unit,
        "name": names.get(row.unit, row.unit),
        "period": {"label": range_label(start, end), "start": start.isoformat(), "end": end.isoformat()},
        "scores": scores,
        "total": _number(row.total),
        "total_of_components": round(sum(parts), 4) if len(parts) == len(COMPONENTS) else None,
        "source": {"path": row.path, "sheet": row.sheet},
    }


def service_index(inputs: Inputs, period: Period, names: dict[str, str], lang: str) -> dict[str, Any]:
    """The `service_index` key of the evaluation: the components, and the units' scores in the period."""
    english = lang == "en"
    out: dict[str, Any] = {
        "components": [{"id": c, "name": NAMES[c][english], "max": m} for c, m in COMPONENTS.items()],
        "beside": {str(objective): component for objective, component in BESIDE.items()},
        "units": [],
        "rows": [],
    }
    table = inputs.table("service_index")
    if table.empty:
        return out
    lo, hi = pd.Timestamp(period.start), pd.Timestamp(period.end)
    inside = table.loc[(table["start"] <= hi) & (table["end"] >= lo) & table["unit"].notna()].copy()
    if inside.empty:
        return out
    overlap = inside["end"].clip(upper=hi) - inside["start"].clip(lower=lo)
    inside = inside.assign(_overlap=overlap).sort_values(["unit", "start", "end"], kind="stable")
    out["rows"] = [_row(r, names) for r in inside.itertuples(index=False)]
    best = inside.sort_values(["_overlap", "end"], ascending=False, kind="stable").drop_duplicates("unit")
    order = {slug: i for i, slug in enumerate(names)}
    best = best.assign(_order=best["unit"].map(order)).sort_values("_order", kind="stable")
    out["units"] = [_row(r, names) for r in best.itertuples(index=False)]
    return out
