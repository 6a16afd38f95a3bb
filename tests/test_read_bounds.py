"""The bounded scan of a workbook (read/bounds.py): what it counts, wherever the inflated chunks end."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
import xlsxwriter

from qms_cli.read import bounds

SHEET = (
    b'<sheetData><row r="3"><c r="A3" t="s"><v>0</v></c><c r="AB3"><f>A3+1</f></c></row>'
    b'<row r="12"><c r="B12"><v>7</v></c><c r="C12" t="s"><v>1</v></c></row></sheetData>'
)


def _scan_in(chunks: list[bytes]) -> bounds.SheetScan:
    sheet = bounds.SheetScan("xl/worksheets/sheet1.xml")
    tail = b""
    for chunk in chunks:
        bounds._count(sheet, tail, chunk, True)
        tail = bounds._tail(tail, chunk)
    return sheet


@pytest.mark.parametrize("cut", range(1, len(SHEET)))
def test_the_scan_finds_the_same_wherever_a_chunk_ends(cut: int) -> None:
    # Counted by hand: 4 cells, 2 of them shared strings; the last row 12; a cell in AB (two letters:
    # a column past Z, so the rectangle may reach CZ = 104); AB3 a formula without a value. A chunk may end
    # anywhere, inside a tag too: what lies across two chunks is found all the same, the formula cell
    # once (a "<c " or 't="s"' split in two is what the byte counts miss, a bound the budget allows for).
    sheet = _scan_in([SHEET[:cut], SHEET[cut:]])
    split_cell = any(SHEET.find(b"<c ", at) == at for at in range(max(cut - 2, 0), cut))
    split_shared = any(SHEET.find(b't="s"', at) == at for at in range(max(cut - 4, 0), cut))
    assert sheet.cells == 4 - split_cell
    assert sheet.shared == 2 - split_shared
    assert (sheet.last_row, sheet.wide) == (12, 104)
    assert (sheet.formulas_without_value, sheet.formula_cells, list(sheet.formula_at)) == (1, ["AB3"], [2 * 16384 + 27])


def _book(path: Path) -> Path:
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Sổ")
    for r in range(10):
        sheet.write_row(r, 0, [f"HS{r}", "01/03/2019", "08/03/2019", "05/03/2019"])  # 40 cells
    workbook.close()
    return path


def _claim(path: Path, member: bytes, size: int) -> None:
    """Make the archive claim `size` bytes for `member` (its local header and its central directory entry)."""
    raw = bytearray(path.read_bytes())
    for signature, at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        for m in re.finditer(re.escape(signature), raw):
            if raw[m.start() + name_at : m.start() + name_at + len(member)] == member:
                raw[m.start() + at : m.start() + at + 4] = struct.pack("<I", size)
    path.write_bytes(bytes(raw))


def test_cells_are_counted_only_where_the_sheets_could_hold_more_than_the_budget(tmp_path: Path, monkeypatch) -> None:
    # Each "<c " takes 3 bytes: sheets of at most 3 x MAX_CELLS bytes cannot hold more cells than the
    # budget. The sheet holds 40 cells in some 2 kB of XML.
    path = _book(tmp_path / "so.xlsx")
    monkeypatch.setattr(bounds, "MAX_CELLS", 10_000)  # 30,000 bytes: the cells are not counted
    assert bounds._scan(path, path.stat().st_size).sheets["Sổ"].cells == 0
    monkeypatch.setattr(bounds, "MAX_CELLS", 30)  # 90 bytes: they are, and 40 is past the budget
    assert bounds._scan(path, path.stat().st_size).sheets["Sổ"].cells == 40
    with pytest.raises(bounds.TooLarge, match="40 cells"):
        bounds._check(bounds._scan(path, path.stat().st_size), path, path.stat().st_size)


def test_an_archive_that_claims_small_sheets_has_its_cells_counted_all_the_same(tmp_path: Path, monkeypatch) -> None:
    # The decision to count is taken on the sizes the archive claims; the sizes inflated decide in the end.
    path = _book(tmp_path / "so.xlsx")
    _claim(path, b"xl/worksheets/sheet1.xml", 50)
    monkeypatch.setattr(bounds, "MAX_CELLS", 30)
    book = bounds._scan(path, path.stat().st_size)
    assert book.sheets["Sổ"].size > 90 and book.sheets["Sổ"].cells == 40
