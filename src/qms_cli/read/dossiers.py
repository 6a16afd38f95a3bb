"""Dossier books (Sổ theo dõi hồ sơ): one sheet -> normalised dossier records, rejections and skips.

Citizens' names, addresses and phone numbers are recognised by their headers so that they are
never loaded: only the columns of the fields below are read from the file.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from qms_cli.calendar import WorkCalendar
from qms_cli.data_quality import FileReport, QualityLog
from qms_cli.read import dates as D
from qms_cli.read import fit
from qms_cli.read.bounds import formulas_without_value
from qms_cli.read.common import (
    Distinct,
    IssueSink,
    Reason,
    RowsLog,
    SheetContext,
    data_rows,
    fingerprint,
    per_unique,
    reject_first,
    valid,
)
from qms_cli.read.grid import Grid, column_letter
from qms_cli.read.headers import Header, _phrases, match_field
from qms_cli.text import fold
from qms_cli.units import UnitMatcher
from qms_cli.vocabulary import NO_LEVEL, VOCABULARY, WordMap, folded_set, has_any, level_of

SYNONYMS: dict[str, list[str]] = VOCABULARY.headers["dossier_book"]
PHRASES = _phrases(SYNONYMS)
LOADED = {
    "unit",
    "dossier_id",
    "procedure",
    "procedure_code",
    "field",
    "received",
    "due",
    "due_new",
    "result_ready",
    "returned",
    "channel_in",
    "online_level",
    "channel_out",
    "supplement_requested",
    "status",
    "apology",
    "seq",
    "resolver",
    "extension_approved",
    "digitised_dossier",
    "digitised_result",
}
REQUIRED_ANY = {"dossier_id", "received"}
DATE_FIELDS = ["received", "due", "result_ready", "returned"]
TEXT_FIELDS = ["dossier_id", "procedure", "procedure_code", "field"]
LATER_COLUMNS = [
    "resolver",
    "resolver_outside",
    "due_new",
    "extension_approved",
    "digitised_dossier",
    "has_digitised_dossier",
    "digitised_result",
    "has_digitised_result",
]
# The columns of a book's records, in the order the reader writes them (read.files adds export_date).
RECORD_COLUMNS = [
    "unit",
    "dossier_id",
    "code_print",
    "procedure",
    "procedure_code",
    "field",
    *DATE_FIELDS,
    "channel_in",
    "online_level",
    "channel_out",
    "status",
    "supplement_requested",
    "apology",
    "has_channel_in",
    "has_channel_out",
    "has_supplement",
    "source",
    "sheet",
    "row",
    # Since 2025 (read by _later_fields): the resolving agency beside the receiving unit, the
    # extension of the time limit and its approval, digitisation of the dossier and of the result.
    *LATER_COLUMNS,
]
SPLIT_ROWS = 200_000  # a sheet longer than this is read in two ranges of rows, one per core

_STATUS = WordMap(VOCABULARY.statuses)
_CHANNEL = WordMap(VOCABULARY.channels)
_NO = folded_set(VOCABULARY.says_no)

# Channels and statuses are kept as categories, the same in every book, so that books concatenate
# without re-encoding; in the reader they are codes (-1: none).
CHANNELS = pd.CategoricalDtype(["direct", "postal", "online"])
STATUSES = pd.CategoricalDtype(["pending", "resolved", "withdrawn", "refused", "stopped"])
ONLINE = CHANNELS.categories.get_loc("online")
WITHDRAWN_OR_REFUSED = [STATUSES.categories.get_loc(s) for s in ("withdrawn", "refused", "stopped")]
# Meanings of a status text that are no status of the record (spec/metrics.md §2).
NOT_RECEIVED = "not_received"
TIMING_LATE, TIMING_IN_TIME = "timing_late", "timing_in_time"
NOT_A_STATUS = {NOT_RECEIVED, TIMING_LATE, TIMING_IN_TIME}


@functools.lru_cache(maxsize=8)
def unit_dtype(slugs: tuple[str, ...]) -> pd.CategoricalDtype:
    """The category type of the registry's units, one object for every book of a run: the merge of a
    city's thousands of books then joins their unit codes as they are (read/compact.py)."""
    return pd.CategoricalDtype(list(slugs))


def _code(dtype: pd.CategoricalDtype, value: str | None) -> int:
    return -1 if value is None else int(dtype.categories.get_loc(value))


def channel_of(text: str) -> str | None:
    """Return direct, postal or online for a channel text, else None (vocabulary.yaml, `channels`)."""
    meaning = _CHANNEL(text)
    return meaning if meaning in CHANNELS.categories else None


def status_of(text: str) -> str | None:
    """Return the status a status text names (vocabulary.yaml, `statuses`), else None."""
    meaning = _STATUS(text)
    return meaning if meaning in STATUSES.categories else None


def status_meaning(text: str) -> str | None:
    """Return what a status text means: a status, not_received, a timing word, or None (unknown)."""
    return _STATUS(text)


class StatusColumn:
    """What the status column says, row by row: the status code, and the rows that are no status."""

    def __init__(self, arr: pa.Array) -> None:
        self.text = Distinct(arr)
        meaning = self.text.map(status_meaning, "", object)
        self.code = self.text.map(lambda t: _code(STATUSES, status_of(t)), -1, np.int8)
        self.unknown = valid(arr) & pd.isna(meaning)
        self.not_received = meaning == NOT_RECEIVED
        self.late_word = meaning == TIMING_LATE
        self.in_time_word = meaning == TIMING_IN_TIME

    def contradictions(self, completed: np.ndarray, due: np.ndarray) -> np.ndarray:
        """Rows whose timing word says the opposite of their dates (completed vs appointment)."""
        known = ~np.isnat(completed) & ~np.isnat(due)
        return known & ((self.late_word & (completed <= due)) | (self.in_time_word & (completed > due)))


def says_yes(text: str) -> bool:
    """True where a yes/no, count or date cell says 'yes' (anything but blank, 0 or 'không')."""
    return fold(text) not in _NO


MIN_PROCEDURE_REPEATS = 3  # a free text in fewer dossiers of a sheet may be a person's own: not kept (docs)
FREE_TEXT_HEADERS = tuple(VOCABULARY.layout.free_text_headers)  # texts a clerk writes freely


def rare_free_texts(
    header: Header, columns: dict[int, pa.Array], procedures: frozenset[str] = frozenset()
) -> pa.Array | None:
    """The texts of a free-text procedure column (Trích yếu, Nội dung hồ sơ…) that are withheld: found
    in fewer than MIN_PROCEDURE_REPEATS rows of the whole sheet and, folded whole, none of `procedures`
    (the catalogue's folded names). None when the column holds procedure names by its header (Tên thủ
    tục, Tên TTHC) or there is none. Counted once for the sheet, before any split."""
    col = header.columns.get("procedure")
    if col is None or col not in columns or not has_any(header.labels.get(col, ""), FREE_TEXT_HEADERS):
        return None
    counts = pc.value_counts(columns[col])
    rare = pc.filter(counts.field("values"), pc.less(counts.field("counts"), MIN_PROCEDURE_REPEATS))
    if not procedures or not len(rare):
        return rare
    named = pa.array([isinstance(t, str) and fold(t) in procedures for t in rare.to_pylist()], pa.bool_())
    return pc.filter(rare, pc.invert(named))


def _procedure_names(values: pa.Array, rare: pa.Array | None) -> pa.Array:
    """The procedure texts that are procedure names: a rarer free text (a Trích yếu naming the
    applicant) is not kept, not stored, never printed; its rows count all the same."""
    if rare is None or not len(rare) or not len(values):
        return values
    withheld = pc.fill_null(pc.is_in(values, value_set=rare), False)
    if not pc.any(withheld).as_py():
        return values
    kept = pc.if_else(withheld, pa.scalar(None, values.type), values)
    # copied out: a null over the same bytes would still carry the withheld text into the store
    return pa.array(kept.to_pylist(), values.type)


def _say_withheld(
    rare: pa.Array | None, columns: dict[int, pa.Array], header: Header, ctx: SheetContext, log: QualityLog
) -> None:
    """One line for the sheet: how many rows' free text was not kept, and where; never the text."""
    col = header.columns.get("procedure")
    if rare is None or not len(rare) or col is None:
        return
    count = int(pc.sum(pc.fill_null(pc.is_in(columns[col], value_set=rare), False)).as_py() or 0)
    note = (
        f"{count} row(s): a text in fewer than {MIN_PROCEDURE_REPEATS} rows of the sheet, and not a name of the"
        " procedure catalogue, is not kept"
    )
    log.add("free-text-withheld", ctx.path, ctx.sheet, None, column_letter(col), header.labels.get(col), note)


# The date columns whose typed dates share the file's day/month order (decided from all of them).
ORDER_FIELDS = [*DATE_FIELDS, "due_new", "extension_approved"]


@dataclass
class _Prepared:
    """One dossier sheet of a file, its columns taken and its fit checked, before any date is parsed."""

    header: Header
    ctx: SheetContext
    columns: dict[int, pa.Array]
    n: int  # rows below the header
    first: int  # the Excel row of its first dossier row
    fits: bool
    day_first: int = 0  # distinct typed dates that read only day/month
    month_first: int = 0  # ... and only month/day
    unknown: dict[str, np.ndarray] = field(default_factory=dict)  # per field, formulas without a value


def read_dossier_sheet(
    grid: Grid,
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    calendar: WorkCalendar,
    log: QualityLog,
) -> tuple[pd.DataFrame, FileReport]:
    """Return the accepted dossier records of one sheet (a file of that one sheet) and its row accounting."""
    ((records, report),) = read_dossier_sheets([(grid, header, ctx)], matcher, calendar, log)
    return records, report


def read_dossier_sheets(
    sheets: list[tuple[Grid, Header, SheetContext]],
    matcher: UnitMatcher,
    calendar: WorkCalendar,
    log: QualityLog,
) -> list[tuple[pd.DataFrame, FileReport]]:
    """Read the dossier sheets of one file: records and row accounting per sheet; issues go to `log`.

    Every sheet is checked against its header first; the day/month order of the typed dates is then
    decided once for the FILE from the dates of all its fitting sheets (docs/counting.md), and only
    then is any date parsed: a book is read month-first or day-first as a whole, or refused.
    """
    prepared = [_prepare(grid, header, ctx, log) for grid, header, ctx in sheets]
    order = _file_order(prepared, log)
    return [_read_prepared(p, order, matcher, calendar, log) for p in prepared]


def _prepare(grid: Grid, header: Header, ctx: SheetContext, log: QualityLog) -> _Prepared:
    """Take the sheet's columns, check that its body fits the header, count its day/month evidence."""
    columns = grid.arrays(header.row + 1, list(header.columns.values()))
    n = max(grid.height - (header.row + 1), 0) if columns else 0
    first, fits = _fit(grid, header, columns, ctx, log)
    sheet = _Prepared(header, ctx, columns, n, first, fits, unknown=formula_masks(grid, header, n))
    if fits:
        date_cols = [header.columns[f] for f in ORDER_FIELDS if f in header.columns]
        sheet.day_first, sheet.month_first = D.order_evidence([columns[c] for c in date_cols])
    return sheet


def _file_order(prepared: list[_Prepared], log: QualityLog) -> str:
    """The day/month order of the file, from the typed dates of all its fitting sheets; said once."""
    fitting = [p for p in prepared if p.fits]
    day = sum(p.day_first for p in fitting)
    month = sum(p.month_first for p in fitting)
    order = D.decide_order(day, month)
    if order == D.DAY_FIRST or not fitting:
        return order
    evidence = f"{day} typed dates of the file read only as day/month, {month} only as month/day"
    if len(fitting) > 1:
        evidence += " (" + "; ".join(f"{p.ctx.sheet}: {p.day_first}/{p.month_first}" for p in fitting) + ")"
    one = fitting[0] if len(fitting) == 1 else None
    sheet, row = (one.ctx.sheet, one.first) if one else (None, None)
    code = "date-order-ambiguous" if order == D.MIXED else "date-order-month-first"
    log.add(code, fitting[0].ctx.path, sheet, row, None, None, evidence)
    return order


def _read_prepared(
    p: _Prepared, order: str, matcher: UnitMatcher, calendar: WorkCalendar, log: QualityLog
) -> tuple[pd.DataFrame, FileReport]:
    """Read one prepared sheet under the file's day/month order.

    The text is cleaned for the whole sheet first (a legacy font, once seen, is read everywhere after);
    a sheet of more than SPLIT_ROWS rows is then read in two ranges on two threads, whose records,
    counts and issues are put together as one read would give them.
    """
    header, ctx, columns, n = p.header, p.ctx, p.columns, p.n
    if not p.fits or order == D.MIXED:
        return _refused(columns, header, ctx, matcher, calendar, log, n)
    if order == D.MONTH_FIRST:
        date_cols = {header.columns[f] for f in ORDER_FIELDS if f in header.columns}
        columns = {c: D.swap_day_month(a) if c in date_cols else a for c, a in columns.items()}
    rare = rare_free_texts(header, columns, ctx.procedures)
    _say_withheld(rare, columns, header, ctx, log)
    unknown = p.unknown
    if n < SPLIT_ROWS or (os.cpu_count() or 1) < 2:
        return _read_rows(columns, header, ctx, matcher, calendar, log, 0, n, rare, unknown)
    bounds = [(0, n // 2), (n // 2, n)]
    logs = [RowsLog(part) for part in range(len(bounds))]

    def read(part: int) -> tuple[pd.DataFrame, FileReport]:
        start, stop = bounds[part]
        window = {c: a.slice(start, stop - start) for c, a in columns.items()}
        part_unknown = {name: mask[start:stop] for name, mask in unknown.items()}
        return _read_rows(window, header, ctx, matcher, calendar, logs[part], start, stop - start, rare, part_unknown)

    with ThreadPoolExecutor(max_workers=len(bounds)) as pool:
        parts = list(pool.map(read, range(len(bounds))))
    RowsLog.replay(logs, log)
    report = parts[0][1]
    for _, more in parts[1:]:
        report.rows_read += more.rows_read
        report.rows_accepted += more.rows_accepted
        report.rows_rejected += more.rows_rejected
        report.rows_skipped += more.rows_skipped
    return pd.concat([records for records, _ in parts], ignore_index=True), report


def formula_masks(grid: Grid, header: Header, n: int) -> dict[str, np.ndarray]:
    """Per field, the rows below the header whose cell is a formula without a cached value (docs/robustness.md):
    the parser reads such a cell as empty, but its value is unknown, not blank."""
    at = formulas_without_value(grid.path, grid.sheet)
    out: dict[str, np.ndarray] = {}
    for name, col in header.columns.items():
        rows = np.asarray(at.get(col, []), dtype=np.int64) - (header.row + 1)
        rows = rows[(rows >= 0) & (rows < n)]
        if len(rows):
            out[name] = np.zeros(n, bool)
            out[name][rows] = True
    return out


def _formula_reasons(unknown: dict[str, np.ndarray] | None, dossier: np.ndarray) -> list[Reason]:
    """A row whose code or date received is such a formula is a dossier row (not a blank one, skipped);
    any field of a row that is such a formula rejects it, before every other reason (`dossier` is updated)."""
    unknown = unknown or {}
    for name in ("dossier_id", "received"):
        if name in unknown:
            dossier |= unknown[name]
    return [(mask, "formula-without-value", name) for name, mask in unknown.items()]


def _fit(
    grid: Grid, header: Header, columns: dict[int, pa.Array], ctx: SheetContext, log: QualityLog
) -> tuple[int, bool]:
    """Check that the body fits the header (spec/metrics.md §6): the Excel row of the first dossier row,
    and whether the sheet may be read; a sheet that does not fit is said so, column by column."""
    cols = header.columns
    head = {c: a.slice(0, fit.SAMPLE_ROWS) for c, a in columns.items()}
    rows = data_rows(head, header) if head else np.zeros(0, bool)
    first = header.row + 2 + (int(np.flatnonzero(rows)[0]) if rows.any() else 0)
    sample = fit.rows_of(head, rows)
    personal_cols = [c for c, label in header.ignored.items() if match_field(label, PHRASES)[0] == "pii"]
    personal = fit.rows_of(grid.arrays(header.row + 1, personal_cols, limit=fit.SAMPLE_ROWS), rows)
    found = fit.misfits({name: sample[c] for name, c in cols.items()}, personal, cols, header.labels)
    for m in found:
        log.add("header-body-mismatch", ctx.path, ctx.sheet, first, column_letter(m.column), m.header, m.text())
    return first, not found


def _refused(
    columns: dict[int, pa.Array],
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    calendar: WorkCalendar,
    log: QualityLog,
    n: int,
) -> tuple[pd.DataFrame, FileReport]:
    """A sheet refused as a whole: no records; its dossier rows rejected, the others skipped."""
    records, report = _read_rows(
        {c: a.slice(0, 0) for c, a in columns.items()}, header, ctx, matcher, calendar, log, 0, 0
    )
    rejected = int(data_rows(columns, header).sum()) if columns else 0
    report.rows_read, report.rows_rejected, report.rows_skipped = n, rejected, n - rejected
    return records, report


def _not_yet_received(states: StatusColumn | None, dossier: np.ndarray, issues: IssueSink) -> np.ndarray:
    """Dossier rows whose status says the online submission is not accepted yet: skipped, and said."""
    if states is None:
        return np.zeros(len(dossier), dtype=bool)
    waiting = dossier & states.not_received
    issues(waiting, "not-yet-received", "status")
    return waiting


def _channels(text: dict[str, pa.Array], a: np.ndarray, n: int, issues: IssueSink) -> tuple[np.ndarray, ...]:
    """Submission channel and online level codes, return channel codes (-1: none); unknown ones said."""
    channel_in = np.full(n, -1, dtype=np.int8)
    level = np.full(n, np.nan)
    if "channel_in" in text:
        channel_text = Distinct(text["channel_in"])
        channel_in = channel_text.map(lambda t: _code(CHANNELS, channel_of(t)), -1, np.int8)
        issues(a & valid(text["channel_in"]) & (channel_in < 0), "unknown-channel", "channel_in")
        level = channel_text.map(level_of, np.nan, float)
    if "online_level" in text:
        stated = per_unique(text["online_level"], level_of, np.nan, float)
        level = np.where(np.isnan(stated), level, stated)
    online = channel_in == ONLINE
    no_level = level == NO_LEVEL
    level = np.where(online & np.isin(level, [3.0, 4.0]), level, np.nan)
    level_field = "online_level" if "online_level" in text else "channel_in"
    issues(a & online & np.isnan(level) & ~no_level, "online-level-unknown", level_field)
    channel_out = np.full(n, -1, dtype=np.int8)
    if "channel_out" in text:
        channel_out = per_unique(text["channel_out"], lambda t: _code(CHANNELS, channel_of(t)), -1, np.int8)
        issues(a & valid(text["channel_out"]) & (channel_out < 0), "unknown-channel", "channel_out")
    return channel_in, level, channel_out


def _statuses(
    text: dict[str, pa.Array],
    header: Header,
    states: StatusColumn | None,
    parsed: dict[str, np.ndarray],
    a: np.ndarray,
    n: int,
    issues: IssueSink,
) -> tuple[np.ndarray, ...]:
    """Status codes (-1: derived from the dates), supplementation and apology flags; what is unknown said."""
    status = np.full(n, -1, dtype=np.int8)
    supplement = np.zeros(n, dtype=bool)
    if states is not None:
        status = states.code
        issues(a & states.unknown, "unknown-status", "status")
        ready = np.where(np.isnat(parsed["result_ready"]), parsed["returned"], parsed["result_ready"])
        issues(a & states.contradictions(ready, parsed["due"]), "status-contradicts-dates", "status")
        supplement = states.text.map(lambda t: has_any(t, VOCABULARY.supplement), False, bool)
    if "supplement_requested" in text:
        supplement = supplement | per_unique(text["supplement_requested"], says_yes, False, bool)
    apology = np.zeros(n, dtype=bool)
    if "apology" in text:
        note = Distinct(text["apology"])
        if "status" not in text:
            # No status column: a note saying the dossier was withdrawn, refused or stopped is the status.
            noted = note.map(lambda t: _code(STATUSES, status_of(t)), -1, np.int8)
            status = np.where(np.isin(noted, WITHDRAWN_OR_REFUSED), noted, np.int8(-1))
        apology = note.map(lambda t: has_any(t, VOCABULARY.apology), False, bool)
        if not has_any(header.labels.get(header.columns["apology"], ""), VOCABULARY.note_headers):
            apology = apology | note.map(says_yes, False, bool)  # a dedicated yes/no column
    return status, supplement, apology


def _dossier_rows(
    columns: dict[int, pa.Array], text: dict[str, pa.Array], header: Header, n: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Parse the date columns and find the dossier rows: (dates, date statuses, has a code, has a
    received date, is a dossier row).

    Dates first: a row whose received date reads as a date is a dossier row. Only the other rows
    (usually a handful) can be blank, total, signature, column-number or repeated-header rows.
    """
    parsed: dict[str, np.ndarray] = {}
    date_status: dict[str, np.ndarray] = {}
    for name in DATE_FIELDS:
        if name in text:
            parsed[name], date_status[name] = D.parse_dates(text[name])
        else:
            parsed[name] = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    none = np.zeros(n, bool)
    has_id = valid(text["dossier_id"]) if "dossier_id" in text else none
    has_received = valid(text["received"]) if "received" in text else none
    dossier = has_id | has_received
    others = np.flatnonzero(~(date_status["received"] == D.OK) if "received" in text else ~none)
    if len(others):
        cols = sorted(header.columns.values())
        dossier[others] &= data_rows({c: pc.take(columns[c], pa.array(others)) for c in cols}, header)
    return parsed, date_status, has_id, has_received, dossier


def _date_reasons(
    cols: dict[str, int],
    parsed: dict[str, np.ndarray],
    date_status: dict[str, np.ndarray],
    has_id: np.ndarray,
    has_received: np.ndarray,
) -> list[Reason]:
    """The reasons to reject a dossier row that its code and dates give, in the order they are tried."""
    reasons: list[Reason] = [
        (~has_id, "missing-dossier-id", "dossier_id" if "dossier_id" in cols else None),
        (~has_received, "missing-received-date", "received" if "received" in cols else None),
    ]
    for name, status in date_status.items():
        reasons += [
            (status == D.UNPARSEABLE, "date-unparseable", name),
            (status == D.AMBIGUOUS, "date-ambiguous", name),
            (status == D.OUT_OF_RANGE, "date-out-of-range", name),
        ]
    received = parsed["received"]
    return reasons + [
        (parsed["result_ready"] < received, "ready-before-received", "result_ready"),
        (parsed["returned"] < received, "returned-before-received", "returned"),
    ]


def _unit_codes(
    text: dict[str, pa.Array],
    ctx: SheetContext,
    matcher: UnitMatcher,
    units: pd.CategoricalDtype,
    received: np.ndarray,
    reasons: list[Reason],
) -> np.ndarray:
    """The unit of each row: a column, else the title rows or file name (codes of the registry's
    units valid on the date received, -1: none); the reasons to reject a row for its unit are added."""
    unit = np.full(len(received), _code(units, ctx.unit), dtype=np.int32)
    unit_field = None
    if "unit" in text:
        named = per_unique(text["unit"], lambda u: _code(units, matcher.in_cell(u)), -1, np.int32)
        has_name = valid(text["unit"])
        unit = np.where(has_name, named, unit)
        unit_field = "unit" if has_name.any() else None
    reasons.append((unit < 0, "unit-unknown", unit_field))
    on_day = matcher.on_dates(unit, received)  # the unit of that name valid on the date received
    reasons.append(((unit >= 0) & (on_day < 0), "unit-not-valid-on-date", unit_field or "received"))
    return np.where(unit >= 0, on_day, unit)


def _text_fields(text: dict[str, pa.Array], keep: np.ndarray, n: int, rare: pa.Array | None) -> dict[str, Any]:
    """The text columns of the accepted rows `keep` (and the codes' fingerprint); rare free texts withheld."""
    take = pa.array(keep, type=pa.int64())
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name not in text:
            values = pa.nulls(len(keep), pa.string())
        else:
            values = text[name] if len(keep) == n else text[name].take(take)  # every row accepted: no copy
        if name == "procedure":
            values = _procedure_names(values, rare)
        data[name] = pd.arrays.ArrowStringArray(values)  # zero-copy, dtype string[pyarrow]
        if name == "dossier_id":
            data["code_print"] = fingerprint(values)  # read.files finds repeated codes by it
    return data


def _coded_fields(
    text: dict[str, pa.Array],
    header: Header,
    states: StatusColumn | None,
    parsed: dict[str, np.ndarray],
    a: np.ndarray,
    issues: IssueSink,
    keep: np.ndarray,
) -> dict[str, Any]:
    """Channels, online level, status, supplementation and apology of the accepted rows `keep` (the
    unknown ones of the accepted rows `a` said), and which of these figures the book can feed at all."""
    n = len(a)
    channel_in, level, channel_out = _channels(text, a, n, issues)
    status, supplement, apology = _statuses(text, header, states, parsed, a, n, issues)
    return {
        "channel_in": pd.Categorical.from_codes(channel_in[keep], dtype=CHANNELS),
        "online_level": level[keep],
        "channel_out": pd.Categorical.from_codes(channel_out[keep], dtype=CHANNELS),
        "status": pd.Categorical.from_codes(status[keep], dtype=STATUSES),
        "supplement_requested": supplement[keep],
        "apology": apology[keep],
        # A missing column makes its figures no_data, not zero.
        "has_channel_in": "channel_in" in text,
        "has_channel_out": "channel_out" in text,
        "has_supplement": "supplement_requested" in text or "status" in text,
    }


def _read_rows(
    columns: dict[int, pa.Array],
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    calendar: WorkCalendar,
    log: QualityLog | RowsLog,
    first: int,
    n: int,
    rare: pa.Array | None = None,
    unknown: dict[str, np.ndarray] | None = None,
) -> tuple[pd.DataFrame, FileReport]:
    """Read `n` rows of the sheet's cleaned columns, from the `first` row below the header; the
    procedure texts in `rare` (rare free texts, see rare_free_texts) are not kept; the cells in
    `unknown` (per field, formulas without a value) reject their rows."""
    cols = header.columns
    text = {name: columns[idx] for name, idx in cols.items()}
    excel_row = np.arange(header.row + 2 + first, header.row + 2 + first + n)
    report = FileReport(path=ctx.path, kind="dossier_book", sheet=ctx.sheet, unit=ctx.unit, rows_read=n)

    issues = IssueSink(log, ctx.path, ctx.sheet, header, text, header.row + 2 + first)
    if isinstance(log, RowsLog):
        log.sink = issues

    parsed, date_status, has_id, has_received, dossier = _dossier_rows(columns, text, header, n)
    formulas = _formula_reasons(unknown, dossier)
    states = StatusColumn(text["status"]) if "status" in text else None
    dossier &= ~_not_yet_received(states, dossier, issues)
    report.rows_skipped = int((~dossier).sum())

    # 2. The reason, if any, to reject each dossier row (the first reason wins); 3. the unit.
    reasons = [*formulas, *_date_reasons(cols, parsed, date_status, has_id, has_received)]
    received = parsed["received"]
    units = unit_dtype(tuple(matcher.slugs))
    unit = _unit_codes(text, ctx, matcher, units, received, reasons)
    a = reject_first(dossier, reasons, issues)  # accepted: dossier rows with no reason to reject them
    report.rows_rejected = int((dossier & ~a).sum())
    report.rows_accepted = int(a.sum())

    # 4. Warnings for what a figure cannot use; the rows stay.
    if "due" not in cols and first == 0:  # said once for the sheet
        log.add("missing-column", ctx.path, ctx.sheet, header.row + 1, None, "Hẹn trả kết quả", None)
    due = parsed["due"]
    issues(a & np.isnat(due), "missing-due-date", "due" if "due" in cols else None)
    issues(a & (due < received), "due-before-received", "due")
    issues(a & calendar.is_day_off(due), "due-on-day-off", "due")

    # 5. The records of the accepted rows.
    keep = np.flatnonzero(a)
    data: dict[str, Any] = {"unit": pd.Categorical.from_codes(unit[keep], dtype=units)}
    data.update(_text_fields(text, keep, n, rare))
    for name in DATE_FIELDS:
        data[name] = parsed[name][keep]
    data.update(_coded_fields(text, header, states, parsed, a, issues, keep))
    data.update(source=ctx.source, sheet=ctx.sheet, row=excel_row[keep])
    later = _later_fields(text, matcher, units, received, a, issues)
    data.update({name: values[keep] if isinstance(values, np.ndarray) else values for name, values in later.items()})
    data["resolver"] = pd.Categorical.from_codes(later["resolver"][keep], dtype=units)
    rec = pd.DataFrame(data, index=pd.RangeIndex(len(keep)), copy=False)  # no copy into 2-D blocks: fresh arrays
    return rec, report


def _later_fields(
    text: dict[str, pa.Array],
    matcher: UnitMatcher,
    units: pd.CategoricalDtype,
    received: np.ndarray,
    accepted: np.ndarray,
    issues: IssueSink,
) -> dict[str, Any]:
    """The fields of today's books, per row: the resolving agency (a registry unit's code, -1 none;
    `resolver_outside` where it names an agency outside the registry), the extended appointment and
    the date its extension was approved, and whether the dossier and the result were digitised."""
    n = len(received)
    resolver = np.full(n, -1, dtype=np.int32)
    outside = np.zeros(n, dtype=bool)
    if "resolver" in text:
        named = per_unique(text["resolver"], lambda u: _code(units, matcher.in_cell(u)), -1, np.int32)
        resolver = np.where(named >= 0, matcher.on_dates(named, received), -1).astype(np.int32)
        outside = valid(text["resolver"]) & (resolver < 0)
        issues(accepted & outside, "resolver-outside-registry", "resolver")
    out: dict[str, Any] = {"resolver": resolver, "resolver_outside": outside}
    for name in ("due_new", "extension_approved"):
        values = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
        if name in text:
            values, status = D.parse_dates(text[name])
            issues(accepted & np.isin(status, [D.UNPARSEABLE, D.AMBIGUOUS]), "extension-date-unreadable", name)
            values = np.where(status == D.OK, values, np.datetime64("NaT"))
        out[name] = values
    for name in ("digitised_dossier", "digitised_result"):
        yes = per_unique(text[name], says_yes, False, bool) if name in text else np.zeros(n, dtype=bool)
        out[name] = yes
        out[f"has_{name}"] = name in text
    return out
