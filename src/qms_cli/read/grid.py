"""Raw cell grids from .xlsx, .xls and .csv files, as text, indexed as Excel shows them.

Reading knows spreadsheets and nothing of objectives: a Grid parses a sheet once, then gives its
first rows (to find the header), its last rows (the signatures) and the columns that the caller
asks for, all as text. Row i of a grid is Excel
row i + 1; column j is Excel column `column_letter(j)`.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from qms_cli.read import ahead, bounds
from qms_cli.text import TCVN3_SIGNS, from_tcvn3, looks_tcvn3, looks_vni

_CSV_ENCODINGS = ("utf-8", "cp1258")
csv.field_size_limit(2**31 - 1)  # a cell as long as the file allows (the file itself is bounded: MAX_CSV_BYTES)


class UnreadableFile(Exception):
    """The file cannot be opened as a spreadsheet at all; `code` is its data-quality code."""

    def __init__(self, message: str, code: str = "file-unreadable") -> None:
        super().__init__(message)
        self.code = code


_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook(path: Path) -> bounds.BookScan | None:
    """Raise UnreadableFile with a clerk's explanation when `path` cannot be a readable workbook; return
    what the bounded scan of an .xlsx found (None for a legacy .xls)."""
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("the file is empty (0 bytes)", "file-empty")
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(b"%PDF"):
        raise UnreadableFile("this is a PDF document, not a spreadsheet: send the Excel file", "file-wrong-kind")
    if head.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in head or path.suffix.lower() == ".xlsx":
            raise UnreadableFile("the workbook is password-protected: save a copy without a password", "file-encrypted")
        return None  # a legacy .xls: its cells are records of the file itself, bounded by its size
    if not head.startswith(_ZIP):
        raise UnreadableFile("not an Excel workbook (neither .xlsx nor .xls content)", "file-wrong-kind")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("the workbook is damaged or cut short: export it again", "file-corrupt") from None
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("a zip file but not an Excel workbook (a Word or other document?)", "file-wrong-kind")
    try:
        return bounds.scan_workbook(path)
    except bounds.TooLarge as exc:
        raise UnreadableFile(f"{exc}: refused before it is read", "file-too-large") from None
    except (bounds.Damaged, zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UnreadableFile(f"the workbook is damaged or cut short ({exc}): export it again", "file-corrupt") from None


def column_letter(index: int) -> str:
    """Return the Excel letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def clean_text(array: pa.Array, legacy: Callable[[str], str] | None = None, signs: str = "") -> pa.Array:
    """Return cells as NFC text without surrounding spaces, empty cells as null (vectorised in Arrow).

    `legacy` converts a cell typed in a legacy font encoding; it is applied once per distinct value,
    and only to columns where a character of `signs` occurs (never to ASCII columns: dates, codes).
    """
    if not pa.types.is_string(array.type):
        array = pc.cast(array, pa.string())
    array = pc.utf8_trim_whitespace(array)
    if pc.all(pc.string_is_ascii(array)).as_py() is not False:  # ASCII text needs no normalising
        return _empty_as_null(array)
    encoded = pc.dictionary_encode(array)
    if len(encoded.dictionary) * 2 < len(array):  # repetitive text: each distinct value once
        values = pc.utf8_normalize(encoded.dictionary, "NFC")
        if legacy and signs and pc.any(pc.match_substring_regex(values, f"[{signs}]")).as_py():
            values = pa.array([legacy(v) for v in values.to_pylist()], pa.string())
        return _empty_as_null(pc.take(values, encoded.indices))
    array = pc.utf8_normalize(array, "NFC")
    if legacy and signs and pc.any(pc.match_substring_regex(array, f"[{signs}]")).as_py():
        values = pa.array([legacy(v) for v in encoded.dictionary.to_pylist()], pa.string())
        array = pc.utf8_normalize(pc.take(values, encoded.indices), "NFC")
    return _empty_as_null(array)


def _empty_as_null(array: pa.Array) -> pa.Array:
    """Return `array` with empty strings as nulls; zero-copy (a new validity bitmap over the same text)."""
    keep = pc.fill_null(pc.not_equal(array, ""), False)
    if array.offset == 0 and keep.offset == 0:
        _, offsets, data = array.buffers()
        return pa.Array.from_buffers(pa.string(), len(array), [keep.buffers()[1], offsets, data])
    return pc.if_else(keep, array, pa.scalar(None, pa.string()))


# What NFC may turn into a sign of a legacy font (clean_text looks for the signs after it): a combining
# mark after its letter ("n" + U+0303 is "ñ"), and three characters NFC replaces by one (U+0387 by "·",
# U+1FFD by "´", U+212B by "Å"); found by normalising every code point (tests/test_read_grid.py).
_BECOME_SIGNS = "\u0300-\u036f\u0387\u1ffd\u212b"


@dataclass
class Grid:
    """One sheet of one file, read once, every cell as text; columns keyed by absolute index."""

    path: Path
    sheet: str | None
    _load: Callable[[], tuple[dict[int, pa.Array | pa.ChunkedArray], int]]
    _cells: dict[int, pa.Array | pa.ChunkedArray] | None = None
    _height: int = 0
    # Cells in a legacy font encoding: TCVN3 ones converted to Unicode, VNI ones only reported.
    legacy: dict[str, list[str]] = field(default_factory=lambda: {"tcvn3": [], "vni": []})

    def _legacy(self, value: str) -> str:
        if value.isascii() or max(value) > "\u00ff":  # legacy text lies in U+00A0-U+00FF: most cells end here
            return value
        # A sheet is typed in one font: once TCVN3 shows (a sign such as "¬" inside a word), every cell
        # of the sheet whose characters all lie below U+0100 is read as TCVN3 too ("Trùc tiÕp").
        tcvn3 = looks_tcvn3(value) or (
            bool(self.legacy["tcvn3"]) and any(ord(ch) >= 0xA1 for ch in value) and all(ord(ch) <= 0xFF for ch in value)
        )
        if tcvn3:
            self.legacy["tcvn3"].append(value)
            return from_tcvn3(value)
        if looks_vni(value):
            self.legacy["vni"].append(value)
        return value

    def _ensure(self) -> dict[int, pa.Array | pa.ChunkedArray]:
        if self._cells is None:
            self._cells, self._height = self._load()
        return self._cells

    @property
    def height(self) -> int:
        """The number of rows, from Excel row 1 to the last non-empty row."""
        self._ensure()
        return self._height

    def head(self, n_rows: int) -> list[list[str | None]]:
        """Return the first `n_rows` rows as lists of text (None for an empty cell), absolute columns."""
        return self.rows(0, n_rows)

    def rows(self, start: int, n_rows: int) -> list[list[str | None]]:
        """Return `n_rows` rows from absolute row `start`, every column, as text (None for an empty cell)."""
        cells = self._ensure()
        width = max(cells, default=-1) + 1
        stop = min(self._height, start + n_rows)
        out: list[list[str | None]] = [[None] * width for _ in range(max(0, stop - start))]
        for c, column in cells.items():
            for r, value in enumerate(column.slice(start, max(0, stop - start)).to_pylist()):
                if value is not None and value.strip():
                    out[r][c] = self._legacy(value)
        return out

    def arrays(self, skip_rows: int, indices: list[int], limit: int | None = None) -> dict[int, pa.Array]:
        """Return the rows below `skip_rows` of the given absolute columns as clean text (Arrow arrays);
        with `limit`, at most that many of them, unless the column holds a sign of a legacy font (then
        all: what the sheet's cells tell of its font must not depend on the rows asked for)."""
        cells = self._ensure()
        n = max(0, self._height - skip_rows)
        out: dict[int, pa.Array] = {}
        for i in indices:
            column = cells.get(i)
            part = column.slice(skip_rows, n) if column is not None else pa.nulls(n, pa.string())
            if isinstance(part, pa.ChunkedArray):
                part = part.combine_chunks()
            # Legacy font encodings: once a sheet shows TCVN3, any character above U+00A0 may be one.
            signs = "\u00a1-\u00ff" if self.legacy["tcvn3"] else f"{TCVN3_SIGNS}ñÑ"
            if (
                limit is not None
                and len(part) > limit
                and pa.types.is_string(part.type)
                and not pc.any(pc.match_substring_regex(part, f"[{signs}{_BECOME_SIGNS}]")).as_py()
            ):
                part = part.slice(0, limit)  # clean_text reads each cell alone: the same text as the whole's
            out[i] = clean_text(part, self._legacy, signs)
        return out


def _excel_loader(
    reader: fastexcel.ExcelReader, name: str, path: Path
) -> Callable[[], tuple[dict[int, pa.Array], int]]:
    def load() -> tuple[dict[int, pa.Array], int]:
        # One parse of the whole sheet, every cell as text: the header, the rows and the footer all come from it.
        indices, batch = ahead.take(path, name) or ahead.parse_sheet(reader, name)
        return {index: batch.column(i) for i, index in enumerate(indices)}, batch.num_rows

    return load


def open_grids(path: Path) -> list[Grid]:
    """Return one Grid per sheet of `path` (one for a CSV); UnreadableFile when it cannot be opened."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        cells, height = ahead.take(path, "") or read_csv(path)
        return [Grid(path, None, lambda: (cells, height))]
    book = check_workbook(path)
    try:
        reader = fastexcel.read_excel(ahead.source(book.copy if book and book.copy else path))
        names = reader.sheet_names
    except Exception as exc:  # fastexcel raises its own family for corrupt, encrypted, non-Excel files
        text = _short(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise UnreadableFile(
                "the workbook is password-protected: save a copy without a password", "file-encrypted"
            ) from None
        raise UnreadableFile(f"the workbook is damaged: {text}", "file-corrupt") from None
    return [Grid(path, name, _excel_loader(reader, name, path)) for name in names]


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


_BOM8 = b"\xef\xbb\xbf"
_BOM16 = (b"\xff\xfe", b"\xfe\xff")


def _decode(raw: bytes) -> str:
    for encoding in _CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("the text encoding is not UTF-8, UTF-16 or Windows-1258")


def read_csv(path: Path) -> tuple[dict[int, pa.Array], int]:
    """Return the cells of a CSV as text columns: Arrow's fast reader, or Python's for ragged rows.

    UTF-8 (with or without BOM) is read by Arrow from the file itself, on all cores; UTF-16 (Excel's
    "Unicode text") and Windows-1258 are decoded first.
    """
    source, head = _csv_source(path)
    delimiter, width = _csv_shape(path, head)
    if _bytes(source).count(b'"') % 2 == 0:  # an odd number of quotes: one is never closed (read below)
        try:
            return _checked(_arrow_csv(source, delimiter, width), path, delimiter)
        except pa.ArrowInvalid as exc:
            if "utf8" in str(exc).lower():  # not UTF-8: Windows-1258, the other encoding Vietnamese offices use
                source = pa.py_buffer(_decode(_bytes(source)).encode("utf-8"))
                try:
                    return _checked(_arrow_csv(source, delimiter, width), path, delimiter)
                except pa.ArrowInvalid:
                    pass
    # Rows of different widths (title rows above the table), or quotes that swallow lines: one by one.
    raw = _bytes(source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode(raw)
    rows, swallowed = csv_rows(text, delimiter)
    if swallowed:
        CSV_PROBLEMS[_key(path)] = swallowed
    most = max((len(r) for r in rows), default=0)
    columns = {c: pa.array([r[c] if c < len(r) else None for r in rows], pa.string()) for c in range(most)}
    return columns, len(rows)


def _csv_source(path: Path) -> tuple[str | pa.Buffer, str]:
    """What Arrow reads a CSV from (its path, or its text re-encoded as UTF-8) and the text of its head;
    UnreadableFile for a file too large, empty or binary."""
    size = path.stat().st_size
    if size > bounds.MAX_CSV_BYTES:
        raise UnreadableFile(
            f"the CSV file has {size:,} bytes; qms reads at most {bounds.MAX_CSV_BYTES:,} from one file",
            "file-too-large",
        )
    with path.open("rb") as handle:
        first = handle.read(65536)
    if not first.strip() and not path.read_bytes().strip():
        raise UnreadableFile("the file is empty", "file-empty")
    named = ahead.source(path)
    source: str | pa.Buffer = named if isinstance(named, str) else pa.py_buffer(named)
    if first[:2] in _BOM16:
        decoded = path.read_bytes().decode("utf-16").encode("utf-8")
        source, first = pa.py_buffer(decoded), decoded[:65536]
    elif first.startswith(_BOM8):
        first = first[len(_BOM8) :]  # Arrow skips the BOM of the file by itself
    head = first[:20000].decode("utf-8", errors="replace")
    controls = sum(1 for ch in head if ch < " " and ch not in "\r\n\t")
    if controls > 0.05 * len(head):  # a stray control character in a cell is data; this many is not text
        raise UnreadableFile("binary content, not a CSV text file", "file-wrong-kind")
    return source, head


def _csv_shape(path: Path, head: str) -> tuple[str, int]:
    """The delimiter of a CSV and the width of its first row; UnreadableFile beyond MAX_CSV_COLUMNS."""
    try:
        delimiter = csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    width = len(next(csv.reader(io.StringIO(head), delimiter=delimiter), []))
    with path.open("rb") as handle:  # the first line in full: a header of many columns is longer than the head
        widest = handle.readline(64 * 1024**2).count(delimiter.encode("ascii")) + 1
    if max(width, widest) > bounds.MAX_CSV_COLUMNS:
        width = max(width, widest)
        raise UnreadableFile(
            f"the CSV file has {width:,} columns; qms reads at most {bounds.MAX_CSV_COLUMNS:,}", "file-too-large"
        )
    return delimiter, width


# Lines where a CSV's quoting swallowed the lines after it, by file (`csv-malformed`); taken by the reader.
CSV_PROBLEMS: dict[str, list[int]] = {}


def _key(path: Path) -> str:
    return os.fsdecode(os.path.abspath(path))


def _checked(
    read: tuple[dict[int, pa.Array | pa.ChunkedArray], int], path: Path, delimiter: str
) -> tuple[dict[int, pa.Array], int]:
    """Arrow's reading, unless a cell spans lines that look like rows (a quote closed much later): then
    the file is read again line by line, and the lines are named."""
    cells, height = read
    for column in cells.values():
        if pc.any(pc.match_substring(column, "\n")).as_py():
            for value in pc.filter(column, pc.match_substring(column, "\n")).to_pylist():
                if _looks_swallowed(value, delimiter):
                    raise pa.ArrowInvalid("a quoted value swallowed rows")  # read again below, line by line
    return cells, height  # type: ignore[return-value]


def _looks_swallowed(value: str, delimiter: str) -> bool:
    """A cell whose inner lines carry delimiters holds rows, not text typed with line breaks."""
    return any(line.count(delimiter) >= 2 for line in value.splitlines()[1:])


def csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The records of a CSV, and the lines (1-based) where a quote swallowed the lines after it.

    Such a record (a quote never closed, or closed lines later around text that holds delimiters) is
    read again line by line, so that every line is a row: none is lost into one cell.
    """
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list[str]] = []
    swallowed: list[int] = []
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a quote open at the end of the file
            record = None
        end = reader.line_num
        spans = end > start
        if (
            record is None
            or (spans and any(_looks_swallowed(v, delimiter) for v in record))
            or (spans and end == len(lines) and text.count('"') % 2)
        ):
            swallowed.append(start)
            rows += [next(csv.reader([line], delimiter=delimiter), []) for line in lines[start - 1 : end]]
            if record is None:
                break
        else:
            rows.append(record)
        start = end + 1
    return rows, swallowed


def _bytes(source: str | pa.Buffer) -> bytes:
    """The bytes of a CSV source, without a UTF-8 BOM."""
    raw = Path(source).read_bytes() if isinstance(source, str) else source.to_pybytes()
    return raw.removeprefix(_BOM8)


def _arrow_csv(source: str | pa.Buffer, delimiter: str, width: int) -> tuple[dict[int, pa.Array], int]:
    table = pacsv.read_csv(
        source if isinstance(source, str) else pa.BufferReader(source),
        read_options=pacsv.ReadOptions(autogenerate_column_names=True),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(width)}, strings_can_be_null=False
        ),
    )
    return {i: table.column(i) for i in range(table.num_columns)}, table.num_rows
