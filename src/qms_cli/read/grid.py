"""Raw cell grids from .xlsx, .xls and .csv files, as text, indexed as Excel shows them.

Reading knows spreadsheets and nothing of objectives: a Grid gives the first rows (to find the
header) and then only the columns that the caller asks for, all as text. Row i of a grid is Excel
row i + 1; column j is Excel column `column_letter(j)`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import pandas as pd

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}
_CSV_ENCODINGS = ("utf-8-sig", "utf-16", "cp1258")


class UnreadableFile(Exception):
    """The file cannot be opened as a spreadsheet at all."""


def column_letter(index: int) -> str:
    """Return the Excel letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Grid:
    """One sheet of one file."""

    path: Path
    sheet: str | None
    _reader: fastexcel.ExcelReader | None = None
    _frame: pd.DataFrame | None = None  # CSV: the whole file as text
    _probe_cache: dict[int, list[list[str | None]]] = field(default_factory=dict)

    def _sheet_id(self) -> str | int:
        return self.sheet if self.sheet is not None else 0

    def head(self, n_rows: int) -> list[list[str | None]]:
        """Return the first `n_rows` rows as lists of text (None for an empty cell), absolute columns."""
        if n_rows not in self._probe_cache:
            self._probe_cache[n_rows] = self.rows(0, n_rows)
        return self._probe_cache[n_rows]

    def rows(self, start: int, n_rows: int) -> list[list[str | None]]:
        """Return `n_rows` rows from absolute row `start`, every column, as text (None for an empty cell)."""
        if self._frame is not None:
            part = self._frame.iloc[start : start + n_rows]
            return [[v if v != "" else None for v in rec] for rec in part.itertuples(index=False, name=None)]
        assert self._reader is not None
        sheet = self._reader.load_sheet(
            self._sheet_id(), header_row=None, skip_rows=start, n_rows=n_rows, dtypes="string"
        )
        table = sheet.to_arrow()
        infos = sheet.available_columns()
        width = max((c.absolute_index for c in infos), default=-1) + 1
        out: list[list[str | None]] = [[None] * width for _ in range(table.num_rows)]
        for info, column in zip(infos, table.columns, strict=True):
            for r, value in enumerate(column.to_pylist()):
                out[r][info.absolute_index] = value if value not in ("", None) else None
        return out

    def columns(self, skip_rows: int, indices: list[int]) -> pd.DataFrame:
        """Return the rows below `skip_rows` of the given absolute columns, as text; columns named by index."""
        if self._frame is not None:
            part = self._frame.iloc[skip_rows:]
            out = pd.DataFrame(
                {i: (part[i] if i in part.columns else pd.Series("", index=part.index)) for i in indices}
            )
            return out.replace("", None).reset_index(drop=True)
        assert self._reader is not None
        wanted = sorted(set(indices))
        batch = self._reader.load_sheet_eager(
            self._sheet_id(), header_row=None, skip_rows=skip_rows, use_columns=wanted, dtypes="string"
        )
        frame = batch.to_pandas()
        frame.columns = wanted
        return frame


def open_grids(path: Path) -> list[Grid]:
    """Return one Grid per sheet of `path` (one for a CSV); UnreadableFile when it cannot be opened."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [Grid(path, None, _frame=_read_csv(path))]
    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
    except Exception as exc:  # fastexcel raises its own family for corrupt, encrypted, non-Excel files
        raise UnreadableFile(_short(exc)) from None
    return [Grid(path, name, _reader=reader) for name in names]


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    text = None
    for encoding in _CSV_ENCODINGS:
        if encoding == "utf-16" and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
            continue
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise UnreadableFile("the text encoding is not UTF-8, UTF-16 or Windows-1258")
    if "\x00" in text:
        raise UnreadableFile("binary content, not a CSV text file")
    sample = text[:20000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="python" if delimiter != "," else "c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise UnreadableFile(f"not a readable CSV ({_short(exc)})") from None
    frame.columns = range(frame.shape[1])
    return frame
