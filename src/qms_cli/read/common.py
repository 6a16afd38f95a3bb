"""What every kind of table shares: rows that are not data, per-distinct-value mapping, issue rows."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from qms_cli.data_quality import ISSUE_COLUMNS, FileReport, QualityLog
from qms_cli.read import dates as D
from qms_cli.read.compact import repeated
from qms_cli.read.grid import column_letter
from qms_cli.read.headers import Header
from qms_cli.read.phrases import FOOTER_ROW, TOTAL_ROW
from qms_cli.text import fold
from qms_cli.units import UnitMatcher

_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?$")


@dataclass
class SheetContext:
    """Where rows come from: the file as shown, its sheet, the sheet's unit and the file's order in the run."""

    path: str
    sheet: str | None
    unit: str | None  # from title rows or file name, when the book has no unit column
    source: int  # order of the file in the run; breaks ties between equal export dates
    procedures: frozenset[str] = frozenset()  # folded names of the procedure catalogue: free texts kept


class Distinct:
    """A text column encoded once as its distinct values and, per row, the index of its value.

    A book has a million rows but a handful of distinct channel or status texts: every mapping then
    does its Python work once per distinct value, and the per-row work in numpy.
    """

    def __init__(self, arr: pa.Array) -> None:
        encoded = pc.dictionary_encode(arr)
        self.values = encoded.dictionary.to_pylist()
        self.index = pc.fill_null(encoded.indices, len(self.values)).to_numpy(zero_copy_only=False)

    def map(self, fn: Callable[[str], Any], missing: Any = None, dtype: Any = object) -> np.ndarray:
        """One result of `fn` per row (`missing` for empty cells)."""
        return np.array([fn(v) for v in self.values] + [missing], dtype=dtype)[self.index]


def _splitmix64(seed: int, count: int) -> list[int]:
    """`count` odd 64-bit numbers of the SplitMix64 sequence: plain integer arithmetic, the same forever."""
    out, mask = [], (1 << 64) - 1
    for _ in range(count):
        seed = (seed + 0x9E3779B97F4A7C15) & mask
        z = ((seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append((z ^ (z >> 31)) | 1)
    return out


# Multipliers of the fingerprint, one per byte position from each end. Fingerprints are kept in the
# store, so these never change (not drawn from a random generator whose stream a numpy may alter).
_FRONT_BACK = np.array(_splitmix64(784, 64), dtype=np.uint64)


def fingerprint(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit number per text, equal for equal texts, computed in numpy from the Arrow buffers.

    It finds candidate repeats among a million dossier codes without hashing Python strings; two
    different texts may share one (rarely), so a repeat is always confirmed on the texts themselves.
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    arr = pc.fill_null(arr.cast(pa.string()), "")
    n = len(arr)
    _, offset_buffer, data_buffer = arr.buffers()
    offsets = np.frombuffer(offset_buffer, np.int32, n + 1, arr.offset * 4).astype(np.int64)
    empty = data_buffer is None or not data_buffer.size
    data = np.zeros(1, np.uint8) if empty else np.frombuffer(data_buffer, np.uint8)
    start, length = offsets[:-1], np.diff(offsets)
    out = length.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    last = len(data) - 1
    for j in range(int(min(length.max(initial=0), 32))):  # up to 32 bytes from the front and 32 from the back
        inside = length > j
        front = np.where(inside, data[np.minimum(start + j, last)], 0).astype(np.uint64)
        back = np.where(inside, data[np.clip(start + length - 1 - j, 0, last)], 0).astype(np.uint64)
        out += front * _FRONT_BACK[j] + back * _FRONT_BACK[32 + j]
    return out


def per_unique(arr: pa.Array, fn: Callable[[str], Any], missing: Any = None, dtype: Any = object) -> np.ndarray:
    """Apply `fn` once per distinct text of `arr`; return one result per row (`missing` for empty cells)."""
    return Distinct(arr).map(fn, missing, dtype)


def matches(arr: pa.Array, pattern: str) -> np.ndarray:
    """Per value, whether it matches the regular expression `pattern` (null: no)."""
    return pc.fill_null(pc.match_substring_regex(arr, pattern), False).to_numpy(zero_copy_only=False)


def valid(arr: pa.Array) -> np.ndarray:
    """Per value, whether it is present (not null)."""
    return pc.is_valid(arr).to_numpy(zero_copy_only=False)


# First cells without a letter already read (the row numbers 1, 2, 3… that a city's books all repeat);
# in this process's memory only, and never a text with a letter (it may be a person's name).
_FOOTERS: dict[str, bool] = {}


def _footer(text: str) -> bool:
    """Whether a row's first cell begins a signature or place-and-date line (FOOTER_ROW, folded)."""
    found = _FOOTERS.get(text)
    if found is None:
        found = bool(FOOTER_ROW.search(fold(text)))
        if len(_FOOTERS) < 100_000 and not any(ch.isalpha() for ch in text):
            _FOOTERS[text] = found
    return found


def data_rows(columns: dict[int, pa.Array], header: Header) -> np.ndarray:
    """Return, for rows given column by column, False where the row is not a dossier row.

    Not dossier rows: blank rows, total rows ("Tổng cộng", even with numbers), signature and
    place-and-date lines, column-number rows "(1) (2) (3)", and the header repeated (spec §6).
    """
    ordered = sorted(columns)
    n = len(columns[ordered[0]]) if ordered else 0
    nonblank = sum((valid(columns[c]).astype(np.int32) for c in ordered), np.zeros(n, np.int32))
    first = pc.coalesce(*[columns[c] for c in ordered])  # the first non-empty cell of each row
    is_total = matches(pc.utf8_lower(first), TOTAL_ROW)  # "Tổng cộng", "Cộng:" (vocabulary.yaml layout)
    is_footer = per_unique(first, _footer, False, bool)
    numbered = sum(
        (matches(columns[c], _COLUMN_NUMBER.pattern).astype(np.int32) for c in ordered), np.zeros(n, np.int32)
    )
    is_colnum = (nonblank >= 3) & (numbered == nonblank)
    repeated = np.zeros(n, np.int32)
    for c in ordered:
        if label := header.labels.get(c):
            repeated += pc.fill_null(pc.equal(columns[c], label), False).to_numpy(zero_copy_only=False)
    return (nonblank > 0) & ~is_total & ~is_footer & ~is_colnum & (repeated < 2)


@dataclass
class IssueSink:
    """Writes issue rows for one sheet: file, sheet, Excel row, column letter, header and raw value."""

    log: QualityLog | RowsLog
    path: str
    sheet: str | None
    header: Header
    text: dict[str, pa.Array]
    first_row: int  # the Excel row of the first row below the header
    calls: int = 0  # checks made so far (see RowsLog)

    def __call__(self, mask: np.ndarray, code: str, field: str | None) -> None:
        self.calls += 1
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        col = self.header.columns.get(field) if field else None
        values = self.text[field].take(pa.array(idx)).to_pylist() if field in self.text else None
        n = len(idx)
        self.log.add_frame(
            pd.DataFrame(
                {
                    "code": repeated(code, n),
                    "path": repeated(self.path, n),
                    "sheet": repeated(self.sheet, n),
                    "row": idx + self.first_row,
                    "column": repeated(column_letter(col) if col is not None else None, n),
                    "header": repeated(self.header.labels.get(col) if col is not None else None, n),
                    "value": values,
                },
                columns=ISSUE_COLUMNS,
            )
        )


@dataclass
class RowsLog:
    """The issues of one range of a sheet's rows, read on its own thread, each tagged with the check that
    found it, so that the ranges' issues go to the sheet's log in the order a single read would give."""

    part: int  # which range: 0, 1, …
    sink: IssueSink | None = None
    entries: list[tuple[tuple[int, int, int, int], str, tuple[Any, ...]]] = dataclasses.field(default_factory=list)

    def add_frame(self, frame: pd.DataFrame) -> None:  # from a check: goes with it
        """Add a frame of issue rows found by a vectorised check."""
        self._keep(0, "add_frame", (frame,))

    def add(self, *args: Any) -> None:  # a line between two checks: goes after the former
        """Add one issue of one row."""
        self._keep(1, "add", args)

    def _keep(self, phase: int, method: str, args: tuple[Any, ...]) -> None:
        calls = self.sink.calls if self.sink is not None else 0
        self.entries.append(((calls, phase, self.part, len(self.entries)), method, args))

    @staticmethod
    def replay(parts: list[RowsLog], log: QualityLog) -> None:
        """Write every range's issues into `log`, check by check, and within a check range by range."""
        for _, method, args in sorted((e for p in parts for e in p.entries), key=lambda e: e[0]):
            getattr(log, method)(*args)


@dataclass
class Table:
    """The text columns of one sheet below its header, which rows are data, and where issues go."""

    text: dict[str, pa.Array]
    rows: np.ndarray  # True for data rows (not blank, total, signature, column numbers, repeated header)
    n: int
    first_row: int  # Excel row of the first row below the header
    issues: IssueSink

    def report(self, kind: str, ctx: SheetContext, accepted: np.ndarray) -> FileReport:
        """The sheet's row accounting: read = accepted + rejected + skipped."""
        return FileReport(
            path=ctx.path,
            kind=kind,
            sheet=ctx.sheet,
            unit=ctx.unit,
            rows_read=self.n,
            rows_accepted=int(accepted.sum()),
            rows_rejected=int((self.rows & ~accepted).sum()),
            rows_skipped=int((~self.rows).sum()),
        )

    def dates(self, field: str, reasons: list[Reason], required: bool) -> np.ndarray:
        """Parse a date column; add the reasons to reject rows (unreadable, ambiguous, missing if required)."""
        if field not in self.text:
            if required:
                reasons.append((np.ones(self.n, bool), "missing-date", None))
            return np.full(self.n, np.datetime64("NaT"), dtype="datetime64[s]")
        values, status = D.parse_dates(self.text[field])
        if required:
            reasons.append((status == D.BLANK, "missing-date", field))
        reasons += [
            (status == D.UNPARSEABLE, "date-unparseable", field),
            (status == D.AMBIGUOUS, "date-ambiguous", field),
            (status == D.OUT_OF_RANGE, "date-out-of-range", field),
        ]
        return values

    def reject(self, reasons: list[Reason]) -> np.ndarray:
        """Reject data rows by (mask, code, field), the first reason winning; return the accepted rows."""
        return reject_first(self.rows, reasons, self.issues)


Reason = tuple[np.ndarray, str, str | None]


def reject_first(rows: np.ndarray, reasons: list[Reason], issues: IssueSink) -> np.ndarray:
    """Reject `rows` by (mask, code, field) in order, each row for its first reason only, writing one
    issue row per rejected row; return the rows left accepted."""
    open_ = rows.copy()
    for mask, code, field in reasons:
        hit = mask & open_
        issues(hit, code, field)
        open_ &= ~hit
    return open_


def read_table(grid: Any, header: Header, path: str, sheet: str | None, log: QualityLog) -> Table:
    """Return the loaded columns of a sheet whose header was found, with the data rows marked."""
    columns = grid.arrays(header.row + 1, list(header.columns.values()))
    n = max(grid.height - header.row - 1, 0)
    text = {name: columns[idx] for name, idx in header.columns.items()}
    rows = data_rows(columns, header) if columns else np.zeros(n, dtype=bool)
    first_row = header.row + 2
    return Table(text, rows, n, first_row, IssueSink(log, path, sheet, header, text, first_row))


def unit_column(table: Table, default: str | None, matcher: UnitMatcher) -> tuple[np.ndarray, np.ndarray]:
    """Return (unit slug per row: the unit cell's, else `default`; True where that is no known unit)."""
    unit = np.full(table.n, default, dtype=object)
    if "unit" not in table.text:
        return unit, pd.isna(unit)
    named = per_unique(table.text["unit"], matcher.in_cell)
    has_name = valid(table.text["unit"])
    unit = np.where(has_name, named, unit)
    return unit, pd.isna(unit)
