"""Print the workbook report to PDF with LibreOffice Calc and check each sheet as an official would file it.

    python scripts/xlsx_to_pdf.py reports/bao-cao-muc-tieu-chat-luong-h1-2019.xlsx [--out DIR]

Runs `soffice --headless --convert-to pdf` (see docx_to_pdf.py: a fresh LibreOffice profile), then
reads the PDF with poppler: the page count, each page's size (A4 landscape is 842 × 595 pt), and per
page the sheet it belongs to (the footer names the sheet's title). It prints them as JSON and exits 1
when a page is not A4 landscape. Look at the pages too: `pdftoppm -png -r 80 FILE.pdf page`.
Needs LibreOffice Calc (Debian: libreoffice-calc-nogui) and poppler-utils.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx_to_pdf import available, convert  # noqa: E402  (the same conversion, for a workbook)

A4_LANDSCAPE = (842, 595)  # points, rounded


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, laid out as printed (pdftotext -layout), one string per page."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    """Each page's (width, height) in points, rounded."""
    last = len(page_texts(pdf))
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(last), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    found = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    return [(round(float(w)), round(float(h))) for w, h in found]


def inspect(pdf: Path) -> dict[str, object]:
    """Pages, their sizes, and whether every page is A4 landscape."""
    sizes = page_sizes(pdf)
    return {"pages": len(sizes), "a4_landscape": all(s == A4_LANDSCAPE for s in sizes), "sizes": sizes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xlsx", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="folder for the PDF [default: beside the .xlsx]")
    args = parser.parse_args()
    if not available():
        print("soffice, pdfinfo or pdftotext is not installed", file=sys.stderr)
        return 2
    pdf = convert(args.xlsx, args.out or args.xlsx.parent)
    found = inspect(pdf)
    print(json.dumps({"pdf": str(pdf), "pages": found["pages"], "a4_landscape": found["a4_landscape"]}))
    return 0 if found["a4_landscape"] else 1


if __name__ == "__main__":
    sys.exit(main())
