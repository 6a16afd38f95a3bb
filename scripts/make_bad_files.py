"""Write the bad files of issue 11 into tests/bad_files/ (one per code; all names and values fake).

python scripts/make_bad_files.py   # rewrites them; the tests read the committed copies
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import xlsxwriter

OUT = Path(__file__).resolve().parents[1] / "tests" / "bad_files"
HEADER = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]
ROWS = [[f"BF{i}", f"{i + 1:02d}/03/2019", f"{i + 8:02d}/03/2019", f"{i + 6:02d}/03/2019"] for i in range(1, 9)]


def book(path: Path, extra: object = None, hidden: bool = False) -> None:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Sổ theo dõi")
    for r, row in enumerate([HEADER, *ROWS]):
        ws.write_row(r, 0, row)
    if callable(extra):
        extra(wb, ws)
    if hidden:
        notes = wb.add_worksheet("Ẩn")
        notes.write_row(0, 0, HEADER)
        notes.write_row(1, 0, ["BF-H1", "02/04/2019", "09/04/2019", "08/04/2019"])
        notes.hide()
    wb.close()


def rewrite(path: Path, member: str, change: object) -> None:
    """Rewrite one member of a zip through `change(bytes) -> bytes`."""
    with zipfile.ZipFile(path) as archive:
        members = [(i, archive.read(i.filename)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info.filename, change(data) if info.filename == member else data)  # type: ignore[operator]


def lying_sizes(path: Path) -> None:
    """A sheet of 100 MB of cells that deflates to about 100 kB, whose archive claims 6 kB for it."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + b'<row><c t="n"><v>1</v></c></row>' * 3_000_000
        + b"</sheetData></worksheet>"
    )
    book(path)
    rewrite(path, "xl/worksheets/sheet1.xml", lambda _: sheet)
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        for m in re.finditer(re.escape(signature), raw):
            start = m.start()
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(name)] == name:
                raw[start + offset : start + offset + 4] = struct.pack("<I", 6000)
    path.write_bytes(bytes(raw))


def formula_without_value(path: Path) -> None:
    """Formulas saved by a program that does not calculate: <f> without <v> (the due date of two rows)."""

    def formulas(wb: object, ws: object) -> None:
        ws.write_formula(1, 2, "=B2+7")  # type: ignore[attr-defined]
        ws.write_formula(2, 2, "=B3+7")  # type: ignore[attr-defined]

    book(path, formulas)
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", xml))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    csv_rows = "\n".join(",".join(r) for r in [HEADER, *ROWS])
    (OUT / "unterminated-quote.csv").write_text(csv_rows.replace("BF3,", 'BF3,"', 1) + "\n", encoding="utf-8")
    (OUT / "typo-year.csv").write_text(csv_rows.replace("04/03/2019", "04/03/2919", 1) + "\n", encoding="utf-8")
    book(OUT / "far-blank-cell.xlsx", lambda wb, ws: ws.write_string(1_048_575, 16_383, " "))
    book(OUT / "far-value.xlsx", lambda wb, ws: ws.write_string(1_048_575, 16_383, "x"))
    book(OUT / "hidden-sheet.xlsx", hidden=True)
    formula_without_value(OUT / "formula-without-value.xlsx")
    lying_sizes(OUT / "lying-sizes.xlsx")
    buffer = io.StringIO()
    buffer.write(",".join(["Mã hồ sơ"] + [f"c{i}" for i in range(20_000)]) + "\n")
    (OUT / "too-many-columns.csv").write_text(buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
