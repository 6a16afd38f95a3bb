"""Applying the procedure catalogue to dossier records: online levels, fields, and statutory due dates.

The catalogue gives, per procedure and year, the online level (2/3/4) and the statutory time in
working days, and its field (Lĩnh vực): a dossier whose book names no field takes its procedure's
(Biểu 06a lists each unit's rows per field). An online dossier whose level the book does not state
takes the catalogue's level; a dossier without an appointment date gets one computed over the
working-day calendar (§8), and an appointment date that differs from the statutory time is flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qms_cli.calendar import WorkCalendar
from qms_cli.data_quality import ISSUE_COLUMNS, FileReport, QualityLog
from qms_cli.text import fold


def _lookup(catalogue: pd.DataFrame) -> dict[tuple[str, str], list[tuple[float, float, float]]]:
    """(kind, folded key) -> [(year, level, days)]: by procedure code and by procedure name."""
    table: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for row in catalogue.itertuples(index=False):
        for kind, key in (("code", row.code), ("name", row.name)):
            if isinstance(key, str) and key.strip():
                table.setdefault((kind, fold(key)), []).append((row.year, row.level, row.days))
    return table


def _pick(entries: list[tuple[float, float, float]], year: int) -> tuple[float, float]:
    """The entry of that year, else one for every year, else the latest year before it."""
    exact = [e for e in entries if e[0] == year]
    any_year = [e for e in entries if np.isnan(e[0])]
    before = sorted((e for e in entries if not np.isnan(e[0]) and e[0] < year), key=lambda e: e[0])
    chosen = (exact or any_year or before[-1:] or [(np.nan, np.nan, np.nan)])[0]
    return chosen[1], chosen[2]


def apply_catalogue(
    records: pd.DataFrame, catalogue: pd.DataFrame, reports: list[FileReport], calendar: WorkCalendar, log: QualityLog
) -> pd.DataFrame:
    """Return the records with catalogue levels and computed due dates; issues go to `log`."""
    if records.empty or catalogue.empty:
        return records
    table = _lookup(catalogue)
    keys = pd.DataFrame(
        {
            "code": records["procedure_code"].astype(object),
            "name": records["procedure"].astype(object),
            "year": records["received"].dt.year,
        }
    )
    distinct = keys.drop_duplicates().reset_index(drop=True)
    found = []
    for row in distinct.itertuples(index=False):
        entries = []
        if isinstance(row.code, str):
            entries = table.get(("code", fold(row.code)), [])
        if not entries and isinstance(row.name, str):
            entries = table.get(("name", fold(row.name)), [])
        found.append(_pick(entries, int(row.year)) if entries else (np.nan, np.nan))
    distinct["cat_level"] = [f[0] for f in found]
    distinct["cat_days"] = [f[1] for f in found]
    merged = keys.merge(distinct, on=["code", "name", "year"], how="left")
    level, days = merged["cat_level"].to_numpy(), merged["cat_days"].to_numpy()
    records = records.copy()
    records["field"] = with_fields(records, catalogue)
    paths = np.array([r.path for r in reports], dtype=object)

    def where(mask: np.ndarray) -> set[tuple[str, str | None, int]]:
        rows = records.loc[mask]
        return set(zip(paths[rows["source"].to_numpy()], rows["sheet"], rows["row"].astype(int), strict=True))

    # Online level from the catalogue where the book does not state it.
    online = (records["channel_in"].astype(object) == "online").to_numpy()
    fill = online & records["online_level"].isna().to_numpy() & np.isin(level, [3.0, 4.0])
    if fill.any():
        records.loc[fill, "online_level"] = level[fill]
        log.discard("online-level-unknown", where(fill))
    # Due dates: computed where missing, checked where present.
    received = records["received"].to_numpy().astype("datetime64[D]")
    statutory = calendar.add_working_days(received, days)
    due = records["due"].to_numpy().astype("datetime64[D]")
    known = ~np.isnat(statutory)
    computed = known & np.isnat(due)
    if computed.any():
        records.loc[computed, "due"] = statutory[computed].astype("datetime64[s]")
        log.discard("missing-due-date", where(computed))
        _issues(log, "due-computed", records, computed, paths, statutory)
    _issues(log, "due-statutory-mismatch", records, known & ~np.isnat(due) & (due != statutory), paths, statutory)
    return records


def with_fields(records: pd.DataFrame, catalogue: pd.DataFrame) -> pd.Series:
    """The records' fields: the book's, else the catalogue's field of the procedure (by code, then name)."""
    field = records["field"]
    if "field" not in catalogue:
        return field
    known: dict[tuple[str, str], str] = {}
    for row in catalogue.itertuples(index=False):
        if isinstance(row.field, str) and row.field.strip():
            for kind, key in (("code", row.code), ("name", row.name)):
                if isinstance(key, str) and key.strip():
                    known.setdefault((kind, fold(key)), row.field.strip())
    text = field.astype(object).where(field.notna(), "").astype(str)
    missing = (text.str.strip() == "").to_numpy()
    if not missing.any() or not known:
        return field
    codes = records["procedure_code"].astype(object).where(records["procedure_code"].notna(), "").astype(str)
    names = records["procedure"].astype(object).where(records["procedure"].notna(), "").astype(str)
    pairs = pd.DataFrame({"code": codes, "name": names}).loc[missing]
    lookup = {
        (code, name): known.get(("code", fold(code))) or known.get(("name", fold(name)))
        for code, name in pairs.drop_duplicates().itertuples(index=False)
    }
    out = field.astype(object).copy()
    out.loc[missing] = [lookup[pair] for pair in pairs.itertuples(index=False, name=None)]
    return out.astype("category") if isinstance(field.dtype, pd.CategoricalDtype) else out.astype(field.dtype)


def _issues(
    log: QualityLog, code: str, records: pd.DataFrame, mask: np.ndarray, paths: np.ndarray, statutory: np.ndarray
) -> None:
    if not mask.any():
        return
    rows = records.loc[mask]
    log.add_frame(
        pd.DataFrame(
            {
                "code": code,
                "path": paths[rows["source"].to_numpy()],
                "sheet": rows["sheet"].to_numpy(),
                "row": rows["row"].to_numpy(),
                "column": None,
                "header": None,
                "value": [f"{d}" for d in statutory[mask]],
            },
            columns=ISSUE_COLUMNS,
        )
    )
