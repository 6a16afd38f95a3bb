"""Biểu 06a for the period: every unit, whether it sent dossier rows or Biểu 06a summary tables, with
columns (3)-(13) of the official form plus the extra columns that Decision 784 needs, and the
district's total row, so that the form reconciles with the scorecard.

Column (7) counts the dossiers resolved in the period that have an appointment date, so that
(8)+(9) over (7) is exactly the `on_time` figure of the default rule. A unit's summary tables whose
reporting range lies inside the period are added column by column (as the scorecard adds them); a
column the tables do not carry stays empty (not zero). Summary rows that name no unit of the
registry, and dossiers of units outside the registry, count in the district's figures: they form
a row of their own (`OTHER`), so that the total is still the sum of the unit rows.

Under each unit whose dossiers or summary tables name their field (Lĩnh vực: the book's column, else
the procedure catalogue's; a summary table's column), the form lists one row per field, as the
official form does; the unit's row is their subtotal. Dossiers of such a unit without a field, and
its summary tables that name none, make a row "field not stated" (`NOT_STATED`), so that the field
rows always add up to the unit's row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from qms_cli.config import Objectives, Rules
from qms_cli.evaluate.kinds import completed, effective_due
from qms_cli.periods import Period
from qms_cli.text import fold

COLUMNS = [  # (number, key, Vietnamese header, English header)
    (3, "received_total", "Tổng số", "Total"),
    (4, "online", "Trong đó: trực tuyến", "of which online"),
    (5, "direct_postal", "Trong đó: trực tiếp, dịch vụ bưu chính", "of which in person or by post"),
    (6, "carried", "Trong đó: từ kỳ trước", "of which carried over"),
    (7, "resolved_total", "Tổng số", "Total"),
    (8, "early", "Trước hạn", "Early"),
    (9, "on_time", "Đúng hạn", "On time"),
    (10, "late", "Quá hạn", "Late"),
    (11, "pending_total", "Tổng số", "Total"),
    (12, "pending_in_time", "Trong hạn", "Within time"),
    (13, "pending_overdue", "Quá hạn", "Overdue"),
    (14, "online_l3", "Trực tuyến mức độ 3", "Online level 3"),
    (15, "online_l4", "Trực tuyến mức độ 4", "Online level 4"),
    (16, "postal_in", "Tiếp nhận qua bưu chính", "Received by post"),
    (17, "supplement", "Yêu cầu bổ sung", "Supplementation requested"),
    (18, "returned_total", "Số hồ sơ đã trả kết quả", "Results returned"),
    (19, "postal_out", "Trả kết quả qua bưu chính", "Results returned by post"),
]
GROUPS = [  # (first column, last column, Vietnamese, English): the form's group headers
    (3, 6, "Số hồ sơ nhận giải quyết", "Dossiers received for resolution"),
    (7, 10, "Số hồ sơ đã giải quyết", "Dossiers resolved"),
    (11, 13, "Số hồ sơ đang giải quyết", "Dossiers pending"),
    (14, 19, "Chỉ tiêu bổ sung theo Quyết định 784", "Extra columns for Decision 784"),
]
KEYS = [key for _, key, _, _ in COLUMNS]
TOTAL = ""  # the index of the district's total row
OTHER = "?"  # the index of the row of figures that belong to no unit of the registry
UNIT = ""  # the field index of a unit's own row (the subtotal of its field rows)
NOT_STATED = "?"  # the field index of a unit's figures that name no field


def _dates(values: pd.Series) -> np.ndarray:
    """A date column as numpy datetimes (NaT where empty): compared without pandas' per-call costs."""
    out = values.to_numpy()
    return out if out.dtype.kind == "M" else pd.to_datetime(values).to_numpy()


def _true(mask: pd.Series) -> np.ndarray:
    """A mask as numpy booleans, an empty value false."""
    return np.asarray(mask.to_numpy(dtype=bool, na_value=False))


def _is(values: pd.Series, value: object) -> np.ndarray:
    """Where a column holds `value`, as numpy booleans (an empty cell is not it)."""
    return _true(values == value)


def _flags(records: pd.DataFrame, rules: Rules, period: Period) -> dict[str, np.ndarray]:
    """One boolean array per counted column of the form, one value per dossier.

    Worked on numpy arrays: a city's year is 5 M dossiers, and each pandas temporary of that length
    (an object copy of the statuses, an int64 frame of the flags) costs more than the counting.
    Comparisons with an empty date are false, as in pandas; "not" is the negation of "equal".
    """
    start, end = np.datetime64(pd.Timestamp(period.start)), np.datetime64(pd.Timestamp(period.end))
    done = _dates(completed(records, rules))
    status = records["status"]
    counted = ~_true(status.isin(["withdrawn", "refused", "stopped"]))
    received = _dates(records["received"])
    due = _dates(effective_due(records, rules))
    in_p = (received >= start) & (received <= end) & ~_is(status, "refused")
    online = _is(records["channel_in"], "online")
    open_at_end = np.isnat(done) | (done > end)
    resolved = (done >= start) & (done <= end) & counted & ~np.isnat(due)
    pending = (received <= end) & open_at_end & counted
    returned_at = _dates(records["returned"])
    returned = (returned_at >= start) & (returned_at <= end)
    level = records["online_level"]
    online_in_p = in_p & online
    return {
        "online": online_in_p,
        "direct_postal": in_p & ~online,
        "carried": (received < start) & (np.isnat(done) | (done >= start)) & counted,
        "early": resolved & (done < due),
        "on_time": resolved & (done == due),
        "late": resolved & (done > due),
        "pending_in_time": pending & ~(due < end),
        "pending_overdue": pending & (due < end),
        "online_l3": online_in_p & _is(level, 3),
        "online_l4": online_in_p & _is(level, 4),
        "postal_in": in_p & _is(records["channel_in"], "postal"),
        "supplement": in_p & np.asarray(records["supplement_requested"].astype(bool).to_numpy(), dtype=bool),
        "returned_total": returned,
        "postal_out": returned & _is(records["channel_out"], "postal"),
    }


def _totals(table: pd.DataFrame) -> pd.DataFrame:
    """The counted columns with the form's three totals, (3), (7) and (11), as nullable integers."""
    table["received_total"] = table["online"] + table["direct_postal"] + table["carried"]
    table["resolved_total"] = table["early"] + table["on_time"] + table["late"]
    table["pending_total"] = table["pending_in_time"] + table["pending_overdue"]
    return table.reindex(columns=KEYS).astype("Int64")


def _field_names(parts: list[pd.Series]) -> tuple[list[np.ndarray], np.ndarray]:
    """Each field as the form names it, spelt alike across `parts` (the dossiers' fields, the summary
    tables'): the spelling most used of the fields that fold alike ("Hộ tịch", "hộ tịch "),
    `NOT_STATED` where none is given. Returns, per part, each row's code into the names (in sorted
    order), and the names.

    Worked on the distinct values (a city's year repeats a few dozen fields over millions of rows):
    a spelling's count is the rows that have it, and of spellings used equally often the first met
    (in the parts' order) wins, as pandas' value_counts of the parts put end to end orders them."""
    factorized = [pd.factorize(part, use_na_sentinel=True) for part in parts]  # uniques in the order first met
    texts: list[str] = []
    counts: list[int] = []
    offsets = []
    for codes, uniques in factorized:
        offsets.append(len(texts))
        values = np.asarray(uniques, dtype=object)
        texts.extend(re.sub(r"\s+", " ", str(u).strip()) if not pd.isna(u) else "" for u in values)
        counts.extend(int(c) for c in np.bincount(codes[codes >= 0], minlength=len(values)))
    used: dict[str, list[int]] = {}  # spelling -> [rows, the first met]
    for at, (text, count) in enumerate(zip(texts, counts, strict=True)):
        if text:
            seen = used.setdefault(text, [0, at])
            seen[0] += count
    best: dict[str, tuple[int, int, str]] = {}  # folded -> (-rows, first met, spelling), the least wins
    for text, (count, first) in used.items():
        candidate = (-count, first, text)
        key = fold(text)
        if key and (key not in best or candidate < best[key]):
            best[key] = candidate
    named = [best[fold(t)][2] if t and fold(t) in best else NOT_STATED for t in texts]
    rank, names = pd.factorize(np.asarray([*named, NOT_STATED], dtype=object), sort=True)  # last: an empty cell
    out = []
    for (codes, _), offset in zip(factorized, offsets, strict=True):
        out.append(rank[np.where(codes >= 0, codes + offset, len(named))])
    return out, np.asarray(names, dtype=object)


def _from_records(
    records: pd.DataFrame, rules: Rules, period: Period, field: np.ndarray, names: np.ndarray
) -> pd.DataFrame:
    """The counts per unit and field (a MultiIndex), `field` each dossier's code into `names`."""
    flags = _flags(records, rules, period)
    unit, units = _sorted_codes(records["unit"])
    named = unit >= 0
    if not named.any():  # no rows, or none with a unit: pandas' own empty grouping
        frame = pd.DataFrame({c: v.astype(np.int64) for c, v in flags.items()}, index=records.index)
        return _totals(frame.groupby([records["unit"].astype(str).to_numpy(), names[field]]).sum())
    width = len(names)
    key = unit * width + field
    present = np.flatnonzero(np.bincount(key[named], minlength=len(units) * width))  # in (unit, field) order
    place = np.full(len(units) * width, -1, dtype=np.int64)
    place[present] = np.arange(len(present))
    every = bool(named.all())  # else the rows without a unit are left out of every count
    at = place[key] if every else place[np.where(named, key, 0)]
    sums = {
        c: np.bincount(at[v if every else v & named], minlength=len(present)).astype(np.int64) for c, v in flags.items()
    }
    index = pd.MultiIndex.from_arrays([units[present // width], names[present % width]])
    return _totals(pd.DataFrame(sums, index=index))


def _sorted_codes(units: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's unit as a code into the units' texts (as `astype(str)` writes them) in sorted order,
    -1 where a category is missing (pandas' grouping leaves those rows out): the grouping of pandas
    by the texts, worked on a few hundred values instead of millions of rows."""
    if not isinstance(units.dtype, pd.CategoricalDtype):
        codes, texts = pd.factorize(units.astype(str).to_numpy(), sort=True)
        return codes, np.asarray(texts, dtype=object)
    own = units.cat.codes.to_numpy(np.int64)
    ranks, texts = pd.factorize(np.asarray(units.cat.categories.astype(str), dtype=object), sort=True)
    return np.append(ranks, -1)[own], np.asarray(texts, dtype=object)  # a missing unit stays -1


def _inside(summaries: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """The summary records whose range lies inside the period (unit, field and the form's columns)."""
    if summaries is None or summaries.empty:
        return pd.DataFrame(columns=["unit", "field", *KEYS])
    inside = (summaries["start"] >= pd.Timestamp(period.start)) & (summaries["end"] <= pd.Timestamp(period.end))
    return summaries.loc[inside].reindex(columns=["unit", "field", *KEYS])


def _from_summaries(rows: pd.DataFrame, fields: pd.Series) -> pd.DataFrame:
    """The summary figures summed per unit (`OTHER` for rows naming none) and field, NA where no table
    has the column."""
    units = rows["unit"].where(rows["unit"].notna(), OTHER).astype(str)
    values = rows[KEYS].apply(pd.to_numeric, errors="coerce")
    if values.empty:
        return pd.DataFrame(columns=KEYS, index=pd.MultiIndex.from_tuples([], names=[None, None]), dtype="Int64")
    return values.groupby([units.to_numpy(), fields.to_numpy()]).sum(min_count=1).round().astype("Int64")


def _by_field(records: pd.DataFrame, summaries: pd.DataFrame | None, rules: Rules, period: Period) -> pd.DataFrame:
    """The form's counts per (unit, field) of the dossier rows and the summary tables together, fields
    spelt alike across both."""
    rows = _inside(summaries, period)
    field_of_records = records["field"] if "field" in records else pd.Series(None, index=records.index)
    (of_records, of_tables), names = _field_names([field_of_records, rows["field"]])
    from_records = _from_records(records, rules, period, of_records, names)
    from_tables = _from_summaries(rows, pd.Series(names[of_tables], index=rows.index, dtype=object))
    table = pd.concat([from_records, from_tables])
    return table.groupby(level=[0, 1]).sum(min_count=1).astype("Int64")


def _field_rows(slug: str, by_field: pd.DataFrame) -> pd.DataFrame:
    """A unit's field rows (fields in alphabetical order, `NOT_STATED` last), or none when none of its
    dossiers or tables names a field; its figures that name none count as `NOT_STATED`."""
    if slug not in by_field.index.get_level_values(0):
        return by_field.iloc[:0].droplevel(0)
    own = by_field.xs(slug, level=0)
    if (own.index == NOT_STATED).all():
        return own.iloc[:0]
    names = sorted((f for f in own.index if f != NOT_STATED), key=fold)
    return own.loc[names + ([NOT_STATED] if NOT_STATED in own.index else [])]


def form_06a(
    records: pd.DataFrame,
    spec: Objectives,
    rules: Rules,
    period: Period,
    summaries: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The form's rows, indexed by (unit, field): each unit with dossiers or summary figures (registry
    order) as (slug, `UNIT`) followed by its field rows (slug, field name or `NOT_STATED`); then
    (`OTHER`, `UNIT`) if any; then the district's total row (`TOTAL`, `UNIT`), the sum of the unit
    rows. Columns `KEYS`, nullable integers."""
    by_field = _by_field(records, summaries, rules, period)
    table = by_field.groupby(level=0).sum(min_count=1).astype("Int64")
    registry = [u.slug for u in spec.units]
    order = [slug for slug in registry if slug in table.index]
    outside = [slug for slug in table.index if slug not in registry]
    if outside:  # units outside the registry and unnamed summary rows: the district's figures only
        table.loc[OTHER] = table.loc[outside].sum(min_count=1)
    parts = []
    for slug in order:
        parts.append(table.loc[[slug], KEYS].set_axis(pd.MultiIndex.from_tuples([(slug, UNIT)])))
        fields = _field_rows(slug, by_field)
        parts.append(fields.set_axis(pd.MultiIndex.from_arrays([[slug] * len(fields), list(fields.index)])))
    if outside:
        parts.append(table.loc[[OTHER], KEYS].set_axis(pd.MultiIndex.from_tuples([(OTHER, UNIT)])))
    units = table.loc[order + ([OTHER] if outside else []), KEYS]
    total = units.sum(min_count=1).to_frame().T.astype("Int64")
    parts.append(total.set_axis(pd.MultiIndex.from_tuples([(TOTAL, UNIT)])))
    return pd.concat([p for p in parts if len(p)]).astype("Int64")


def header_rows(lang: str) -> tuple[list[str], list[str], list[str]]:
    """The form's three header rows: group headers, column headers, column numbers (1)…(19).

    A group header is written in its first column and left empty in the others it spans (the
    renderers merge it across them).
    """
    vi = lang != "en"
    groups = ["TT" if vi else "No.", "Đơn vị, lĩnh vực" if vi else "Unit, field"]
    heads = ["", ""]
    for number, _, vi_head, en_head in COLUMNS:
        group = next(g for g in GROUPS if g[0] <= number <= g[1])
        groups.append((group[2] if vi else group[3]) if number == group[0] else "")
        heads.append(vi_head if vi else en_head)
    numbers = [f"({n})" for n in range(1, len(COLUMNS) + 3)]
    return groups, heads, numbers


def row_kinds(table: pd.DataFrame) -> list[str]:
    """What each row of the form is: "unit", "field", "other" (outside the registry) or "total"."""
    kinds = []
    for slug, field in table.index:
        if slug == TOTAL:
            kinds.append("total")
        elif slug == OTHER and field == UNIT:
            kinds.append("other")
        else:
            kinds.append("unit" if field == UNIT else "field")
    return kinds


def _label(slug: str, field: str, names: dict[str, str], vi: bool) -> str:
    if slug == TOTAL:
        return "Tổng cộng" if vi else "Total"
    if slug == OTHER and field == UNIT:
        return "Ngoài danh mục đơn vị (chỉ tính vào tổng)" if vi else "Outside the unit registry (total only)"
    if field == NOT_STATED:
        return "Lĩnh vực chưa xác định" if vi else "Field not stated"
    return field if field != UNIT else names.get(slug, slug)


def body_rows(table: pd.DataFrame, names: dict[str, str], lang: str) -> list[list[object]]:
    """The form's rows: TT (1, 2, … for units; 1.1, 1.2, … for their fields), the unit's display name
    or the field's, then the counts (None where a table lacks one)."""
    vi = lang != "en"
    out: list[list[object]] = []
    unit_number, field_number = 0, 0
    for kind, ((slug, field), row) in zip(row_kinds(table), table.iterrows(), strict=True):
        number: object = ""
        if kind == "unit":
            unit_number, field_number = unit_number + 1, 0
            number = unit_number
        elif kind == "field":
            field_number += 1
            number = f"{unit_number}.{field_number}"
        counts = [None if pd.isna(row[key]) else int(row[key]) for key in KEYS]
        out.append([number, _label(str(slug), str(field), names, vi), *counts])
    return out
