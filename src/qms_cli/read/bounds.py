"""The cost of a workbook, bounded before it is parsed (docs/robustness.md, "Budget").

An .xlsx is a zip of XML. The parser (calamine, through fastexcel) inflates each sheet and makes a
rectangle of cells from the first used row and column to the last: one space typed in XFD1048576
makes it ask for 512 GiB, and an archive may claim sizes it does not have. So before a workbook is
parsed, each member is inflated here once, its real size counted as it comes out, with a cap, and
its sheets' cells, rows and columns are counted on the way (byte searches on each chunk, no XML
parse: one search of Arrow's regular expressions a chunk, and a closer look at the few chunks it
finds something in). A workbook past the budget is refused (`file-too-large`); a sheet whose
rectangle is large only because of blank cells far away (a space, an empty string, a formatted empty
cell) is read from a copy without them. Imports only the standard library at its top: the console
script imports it before pandas has loaded (pyarrow is loaded by the time a workbook is scanned).
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
import threading
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# The budget (documented in docs/robustness.md): generous for real exports, which are a fraction of it.
MAX_UNPACKED_BYTES = 1024**3  # XML inflated from one workbook, counted while inflating
MAX_RATIO = 200  # inflated bytes per byte of the file: real workbooks are 5-30
MAX_CELLS = 20_000_000  # cells written in one workbook (a year of a ward is well under a million)
CELL_BYTES = len(b"<c ")  # bytes a counted cell takes at least: sheets under CELL_BYTES * MAX_CELLS need no count
MAX_RANGE = 20_000_000  # rows x columns of the rectangle the parser allocates for one sheet
MAX_SHARED_TEXT = 512 * 1024**2  # bytes of text the parser may copy out of the shared strings, all cells
MAX_CELL_TEXT = 4 * 32_767  # Excel holds at most 32,767 characters in a cell (up to 4 bytes each)
MAX_CSV_BYTES = 1024**3  # a CSV is read whole
MAX_CSV_COLUMNS = 16_384  # as many as Excel has
_CHUNK = 1 << 22
_XLSX_COLUMNS = 16_384
_XLSX_ROWS = 1_048_576


class TooLarge(Exception):
    """The file is past the budget; the message says which bound and by how much."""


class Damaged(Exception):
    """The archive's structure is not what it claims (an entry past the end, an unknown compression)."""


@dataclass
class SheetScan:
    """What one sheet member holds, counted while it was inflated."""

    member: str
    size: int = 0  # bytes inflated
    cells: int = 0  # counted only when the sheets' bytes could hold more than MAX_CELLS (see _scan)
    last_row: int = 0
    wide: int = 26  # an upper bound of the last column: 26 (Z), 104 (CZ), 702 (ZZ) or 16384 (XFD)
    shared: int = 0  # cells whose text is a shared string
    formulas_without_value: int = 0
    formula_cells: list[str] = field(default_factory=list)  # the first few, to name them
    formula_at: array[int] = field(default_factory=lambda: array("q"))  # every one: row * 16384 + column, 0-based

    @property
    def range_bound(self) -> int:
        """An upper bound of the cells of the rectangle the parser allocates."""
        return max(self.last_row, 1) * self.wide


@dataclass
class BookScan:
    """A workbook's real size and its sheets, by sheet name; `hidden` names the hidden sheets."""

    unpacked: int = 0
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)
    shared_longest: int = 0
    shared_cells: int = 0
    copy: Path | None = None  # a copy without far blank cells, when one was needed
    trimmed: dict[str, str] = field(default_factory=dict)  # sheet -> what the copy left out


_ROW = re.compile(rb'<row r="(\d+)"')
_FAR = re.compile(rb'<c r="[A-Z](?:[A-Z]|\d{7})')  # a cell past column Z or past row 999,999: look closer
_CELL_REF = re.compile(rb'<c r="[A-Z]+(\d{7,})"')  # rows from 1,000,000
_WIDER = [  # (bound when the pattern is found, the pattern): a cell in a column past Z, past CZ, past ZZ
    (104, re.compile(rb'<c r="[A-Z]{2}\d')),
    (702, re.compile(rb'<c r="[D-Z][A-Z]\d')),
    (_XLSX_COLUMNS, re.compile(rb'<c r="[A-Z]{3}\d')),
]
_RARE = r'<c r="[A-Z](?:[A-Z]|\d{7})|<f'  # _FAR, or what may begin a formula: what _count looks closer at
_SEAM = 4096  # bytes of a chunk searched with the tail of the one before


def _rare(data: bytes) -> bool:
    """Whether `data` holds a match of _RARE: one pass of Arrow's regular expressions (RE2, on bytes),
    which run without the GIL, instead of two passes of Python's."""
    import pyarrow as pa  # loaded by then: the reader and the parse ahead import it before any scan
    import pyarrow.compute as pc

    offsets = pa.py_buffer(struct.pack("<qq", 0, len(data)))
    one = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    return bool(pc.match_substring_regex(one, _RARE)[0].as_py())


_FORMULA_NO_VALUE = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v/>|<v></v>)?</c>')
_SI = re.compile(rb"<si>(.*?)</si>", re.S)
_TAGS = re.compile(rb"<[^>]*>")
_cache: dict[tuple[str, int, int], BookScan] = {}
_lock = threading.Lock()


def scan_workbook(path: Path) -> BookScan:
    """Inflate every member of the .xlsx at `path` once, counting; TooLarge or Damaged when it must not
    be parsed. The result is kept for the run (the head start and the reader both ask)."""
    info = path.stat()
    key = (os.fsdecode(os.path.abspath(path)), info.st_size, info.st_mtime_ns)
    with _lock:
        if key in _cache:
            return _cache[key]
    book = _scan(path, info.st_size)
    _check(book, path, info.st_size)
    with _lock:
        _cache[key] = book
    return book


def release(path: Path) -> BookScan | None:
    """The scan of a workbook read in this run (None if none), forgotten; its trimmed copy is deleted."""
    with _lock:
        found = [k for k in _cache if k[0] == os.fsdecode(os.path.abspath(path))]
        book = _cache.pop(found[0]) if found else None
    if book is not None and book.copy is not None:
        book.copy.unlink(missing_ok=True)
    return book


def _scan(path: Path, size: int) -> BookScan:
    book = BookScan()
    with zipfile.ZipFile(path) as archive, path.open("rb") as handle:
        members = archive.infolist()
        names = _sheet_names(archive)
        book.hidden = [name for name, (_, hidden) in names.items() if hidden]
        by_member = {member: name for name, (member, _) in names.items()}
        has_shared = any(m.filename == "xl/sharedStrings.xml" for m in members)
        # Each "<c " takes 3 bytes: sheets of at most CELL_BYTES * MAX_CELLS bytes cannot hold more cells
        # than the budget, and theirs are not counted (a book of 100,000 rows is some 60 MB of XML).
        count = sum(m.file_size for m in members if m.filename in by_member) > CELL_BYTES * MAX_CELLS
        for member in members:
            if member.compress_size > size:
                raise Damaged(f"the entry {member.filename} is larger than the file")
            sheet = SheetScan(member.filename) if member.filename in by_member else None
            shared = member.filename == "xl/sharedStrings.xml"
            book.unpacked += _inflate(
                handle, member, book.unpacked, size, sheet, book if shared else None, has_shared, count
            )
            if sheet is not None:
                book.sheets[by_member[member.filename]] = sheet
        if not count and sum(s.size for s in book.sheets.values()) > CELL_BYTES * MAX_CELLS:
            _count_cells(handle, members, book)  # the archive claimed less than its sheets hold
    return book


def _count_cells(handle: object, members: list[zipfile.ZipInfo], book: BookScan) -> None:
    """Count the sheets' cells, inflating them again (their sizes are known to be within the budget)."""
    by_member = {sheet.member: sheet for sheet in book.sheets.values()}
    for member in members:
        if (sheet := by_member.get(member.filename)) is not None:
            sheet.cells = sum(chunk.count(b"<c ") for chunk in _chunks(handle, member))


def _check(book: BookScan, path: Path, size: int) -> None:
    cells = sum(s.cells for s in book.sheets.values())
    if cells > MAX_CELLS:
        raise TooLarge(f"the workbook has {cells:,} cells; qms reads at most {MAX_CELLS:,} from one file")
    book.shared_cells = sum(s.shared for s in book.sheets.values())
    if book.shared_longest > MAX_CELL_TEXT:
        raise TooLarge(f"a text of {book.shared_longest:,} bytes, longer than Excel puts in a cell (a zip bomb?)")
    if book.shared_longest * book.shared_cells > MAX_SHARED_TEXT:
        copied = _shared_text(path, book)
        if copied > MAX_SHARED_TEXT:
            raise TooLarge(f"the cells repeat {copied:,} bytes of text; qms reads at most {MAX_SHARED_TEXT:,}")
    for name, sheet in book.sheets.items():
        if sheet.range_bound > MAX_RANGE:
            _trim(path, book, name, sheet)


def _inflate(
    handle: object,
    member: zipfile.ZipInfo,
    before: int,
    size: int,
    sheet: SheetScan | None,
    book: BookScan | None,
    has_shared: bool = True,
    cells: bool = True,
) -> int:
    """Inflate one member, counting its real size against the budget; count a sheet's cells on the way
    (its "<c " only when `cells`)."""
    total = 0
    tail = b""
    shared = bytearray() if book is not None else None
    for chunk in _chunks(handle, member):
        total += len(chunk)
        if before + total > MAX_UNPACKED_BYTES or before + total > MAX_RATIO * max(size, 1):
            raise TooLarge(f"the workbook unpacks to more than {before + total:,} bytes from {size:,} (a zip bomb?)")
        if sheet is not None:
            _count(sheet, tail, chunk, has_shared, cells)
            tail = _tail(tail, chunk)
            sheet.size = total
        if shared is not None:
            shared += chunk
            _shared_strings(book, shared)  # type: ignore[arg-type]
    if book is not None and shared:
        _shared_strings(book, shared, final=True)
    return total


def _chunks(handle: object, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's inflated bytes, read from its compressed data itself: never from its claimed size."""
    read = handle.read  # type: ignore[attr-defined]
    handle.seek(member.header_offset)  # type: ignore[attr-defined]
    header = read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Damaged(f"the entry {member.filename} does not start where the archive says")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(member.header_offset + 30 + name_length + extra_length)  # type: ignore[attr-defined]
    left = member.compress_size
    if member.compress_type == zipfile.ZIP_STORED:
        while left > 0 and (raw := read(min(_CHUNK, left))):
            left -= len(raw)
            yield raw
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise Damaged(f"the entry {member.filename} uses a compression Excel does not write")
    inflater = zlib.decompressobj(-15)
    while left > 0 and (raw := read(min(_CHUNK, left))):
        left -= len(raw)
        try:
            out = inflater.decompress(raw, _CHUNK)
            while True:
                if out:
                    yield out
                if not inflater.unconsumed_tail:
                    break
                out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        except zlib.error:
            raise Damaged(f"the entry {member.filename} is damaged") from None
        if inflater.eof:
            break


_TAIL = 64  # bytes of a chunk carried to the next at least: longer than any pattern _count looks for
_CELL_MAX = 1 << 16  # a formula cell, whose formula Excel keeps under 8,192 characters, is shorter


def _tail(tail: bytes, chunk: bytes) -> bytes:
    """The end of a chunk to read with the next: from the start of its last cell (which may go on in the
    next chunk), at least _TAIL bytes; `tail`, the chunk before's, is its start when the chunk is short."""
    if len(chunk) < _CELL_MAX:
        chunk = tail + chunk
    start = chunk.rfind(b"<c ", max(0, len(chunk) - _CELL_MAX))
    start = len(chunk) - _TAIL if start < 0 else min(start, len(chunk) - _TAIL)
    return chunk[max(start, 0) :]


def _count(sheet: SheetScan, tail: bytes, chunk: bytes, shared: bool, cells: bool = True) -> None:
    """Count cells, the last row and a bound of the last column in one chunk (byte searches, no XML
    parse); `tail` ends the chunk before, so that what lies across the two is seen."""
    if cells:
        sheet.cells += chunk.count(b"<c ")
    if shared:
        sheet.shared += chunk.count(b't="s"')
    at = chunk.rfind(b'<row r="')  # the chunk's last row, or one begun in the last bytes of the chunk before
    seam = tail[-_TAIL:] + chunk[:_SEAM] if at < 0 else b""
    if at >= 0 and (m := _ROW.match(chunk, at)):
        sheet.last_row = max(sheet.last_row, int(m[1]))
    elif at < 0 and (at := seam.rfind(b'<row r="')) >= 0 and (m := _ROW.match(seam, at)):
        sheet.last_row = max(sheet.last_row, int(m[1]))
    if _rare(chunk) or _rare(tail + chunk[:_SEAM]):  # most chunks: one search, which finds nothing _closer looks for
        _closer(sheet, tail + chunk, chunk)


def _closer(sheet: SheetScan, window: bytes, chunk: bytes) -> None:
    """Cells past column Z or row 999,999, and formulas without a value, in a chunk (`window`: with the
    tail of the chunk before)."""
    if sheet.wide < _XLSX_COLUMNS and _FAR.search(window):
        if sheet.last_row < _XLSX_ROWS and _CELL_REF.search(window):
            sheet.last_row = _XLSX_ROWS
        for bound, pattern in _WIDER:
            if sheet.wide < bound and pattern.search(window):
                sheet.wide = bound
    if b"<f" in window:
        for m in _FORMULA_NO_VALUE.finditer(window):
            if m.end() > len(window) - len(chunk):  # a cell that ended in the chunk before was counted then
                sheet.formulas_without_value += 1
                ref = m[1].decode("ascii")
                if len(sheet.formula_cells) < 5:
                    sheet.formula_cells.append(ref)
                letters = ref.rstrip("0123456789")
                sheet.formula_at.append((int(ref[len(letters) :]) - 1) * _XLSX_COLUMNS + _column(letters.encode()) - 1)


def formulas_without_value(path: Path, sheet: str | None) -> dict[int, list[int]]:
    """The formula cells without a cached value of a sheet of a workbook scanned in this run (before
    `release`): 0-based column -> its 0-based rows, as a Grid indexes them. Empty for any other file."""
    with _lock:
        book = next((b for k, b in _cache.items() if k[0] == os.fsdecode(os.path.abspath(path))), None)
    scan = book.sheets.get(sheet or "") if book is not None else None
    out: dict[int, list[int]] = {}
    for at in scan.formula_at if scan is not None else ():
        out.setdefault(at % _XLSX_COLUMNS, []).append(at // _XLSX_COLUMNS)
    return out


def _shared_strings(book: BookScan, data: bytearray, final: bool = False) -> None:
    """The longest shared string so far; the consumed strings are dropped from `data`."""
    end = 0
    for m in _SI.finditer(data):
        book.shared_longest = max(book.shared_longest, len(m[1]) if b"<" not in m[1] else len(_TAGS.sub(b"", m[1])))
        end = m.end()
    del data[:end]
    if not final and len(data) > MAX_CELL_TEXT * 2:  # one string longer than any cell: enough to refuse
        book.shared_longest = max(book.shared_longest, len(data))
        del data[:]


_SHARED_CELL = re.compile(rb't="s"[^>]*><v>(\d+)</v>')


def _shared_text(path: Path, book: BookScan) -> int:
    """The bytes of text that the sheets' shared-string cells copy, counted cell by cell (only for a
    workbook whose rough bound is past the budget: a long text in many cells)."""
    with zipfile.ZipFile(path) as archive:
        lengths = [len(m[1]) for m in _SI.finditer(archive.read("xl/sharedStrings.xml"))]
        total = 0
        for sheet in book.sheets.values():
            with archive.open(sheet.member) as stream:
                tail = b""
                while chunk := stream.read(_CHUNK):
                    window = tail + chunk
                    last = 0
                    for m in _SHARED_CELL.finditer(window):
                        index = int(m[1])
                        total += lengths[index] if index < len(lengths) else 0
                        last = m.end()
                    tail = window[max(last, len(window) - 64) :]
                    if total > MAX_SHARED_TEXT:
                        return total
    return total


_SHEET = re.compile(rb"<sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<Relationship\b[^>]*>")


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """Sheet name -> (its member in the archive, hidden or not), from workbook.xml and its relationships."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error):
        return {}
    targets = {}
    for tag in _REL.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get(b"Id", b"")] = os.path.normpath(target).replace(os.sep, "/")
    out = {}
    for tag in _SHEET.findall(workbook):
        attrs = dict(_ATTR.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        name = _unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        if rid in targets:
            out[name] = (targets[rid], attrs.get(b"state", b"visible") != b"visible")
    return out


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


# --- a copy without the far blank cells -------------------------------------------------------------
_ANY_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_BLANK_VALUE = re.compile(rb"^(?:<v>\s*</v>|<v/>|<is>(?:<t[^>]*>\s*</t>|<t/>)*</is>|)$", re.S)
_SHARED_INDEX = re.compile(rb"^<v>(\d+)</v>$")
MAX_TRIM_BYTES = 256 * 1024**2  # a sheet is copied without its far blank cells only up to this size


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


HEADER_ROWS = 60  # a header lies in the first rows of a sheet (read.headers.PROBE_ROWS): its columns are these


def _extent(xml: bytes, blank_shared: set[int], within: int = _XLSX_COLUMNS) -> tuple[int, int, int, int]:
    """(last row, last column, blank cells, last column of the first HEADER_ROWS rows) of the cells that
    hold something, counting only columns up to `within`; the cells right of it count as blank."""
    rows = cols = blank = head = 0
    for m in _ANY_CELL.finditer(xml):
        column = _column(m[1])
        if column > within or _is_blank(m, blank_shared):
            blank += 1
            continue
        row = int(m[2])
        rows, cols = max(rows, row), max(cols, column)
        if row <= HEADER_ROWS:
            head = max(head, column)
    return rows, cols, blank, head


def _trim(path: Path, book: BookScan, name: str, sheet: SheetScan) -> None:
    """Find the rectangle of the sheet's cells that hold something; when it is within the budget, write
    a copy of the workbook without the blank cells outside it. When a value lies far away to the right
    of the header (no header cell above it, in the first HEADER_ROWS rows), only the header's columns
    are read. TooLarge when even that is too large."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(sheet.member)
        if info.file_size > MAX_TRIM_BYTES:
            raise TooLarge(f"sheet {name!r}: {sheet.last_row:,} rows by up to {sheet.wide:,} columns")
        xml = archive.read(sheet.member)
        blank_shared = _blank_shared(archive)
        rows, cols, blank, head = _extent(xml, blank_shared)
        right = 0
        if rows * cols > MAX_RANGE and head:  # a value far to the right: only the header's columns are read
            rows, cols, outside, _ = _extent(xml, blank_shared, within=head)
            right = outside - blank
        if rows * cols > MAX_RANGE or not cols:
            raise TooLarge(f"sheet {name!r} uses {rows:,} rows by {cols:,} columns; qms reads at most {MAX_RANGE:,}")

        def keep(m: re.Match[bytes]) -> bytes:
            return m[0] if int(m[2]) <= rows and _column(m[1]) <= cols else b""  # every other cell is blank or right

        trimmed = _ANY_CELL.sub(keep, xml)
        trimmed = re.sub(rb"<dimension [^>]*/>", b"", trimmed, count=1)
        trimmed = re.sub(rb'<row r="\d+"[^>]*>\s*</row>|<row r="\d+"[^>]*/>', b"", trimmed)
        fd, name_copy = tempfile.mkstemp(prefix="qms-trimmed-", suffix=".xlsx")
        os.close(fd)
        copy = Path(name_copy)
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for member in archive.infolist():
                data = trimmed if member.filename == sheet.member else archive.read(member.filename)
                out.writestr(member.filename, data)
    if book.copy is not None:
        book.copy.unlink(missing_ok=True)
    book.copy = copy
    note = f"{blank:,} blank cells outside A1:{_letters(cols)}{rows} not read"
    if right:
        note += f"; {right:,} cell(s) right of column {_letters(cols)}, with no header above them, not read"
    book.trimmed[name] = note
    sheet.last_row, sheet.wide = rows, cols


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out or "A"


def _blank_shared(archive: zipfile.ZipFile) -> set[int]:
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return set()
    return {i for i, m in enumerate(_SI.finditer(data)) if not _TAGS.sub(b"", m[1]).strip()}


def _is_blank(m: re.Match[bytes], blank_shared: set[int]) -> bool:
    body = (m[4] or b"").strip()
    if b"<f" in body:
        return False
    if b't="s"' in m[3]:
        index = _SHARED_INDEX.match(body)
        return index is None or int(index[1]) in blank_shared
    return bool(_BLANK_VALUE.match(body))
