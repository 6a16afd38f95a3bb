"""Convert the Word report to PDF with LibreOffice and check its layout as a reader would see it.

    python scripts/docx_to_pdf.py reports/bao-cao-muc-tieu-chat-luong-h1-2019.docx [--out DIR]

Runs `soffice --headless --convert-to pdf` (a fresh LibreOffice profile in a temporary folder, so it
works beside an open LibreOffice and in CI), then reads the PDF with poppler's `pdfinfo` and
`pdftotext -layout`. It prints the page count and whether the national heading and the motto each sit
on one line, and exits 1 if they do not. Look at the pages too: `pdftoppm -png -r 80 FILE.pdf page`.
Needs LibreOffice Writer (Debian: libreoffice-writer-nogui) and poppler-utils.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ONE_LINE = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
ONE_LINE_EN = ("SOCIALIST REPUBLIC OF VIETNAM", "Independence - Freedom - Happiness")


def available() -> bool:
    """Whether LibreOffice and poppler are installed."""
    return all(shutil.which(tool) for tool in ("soffice", "pdfinfo", "pdftotext"))


def convert(docx: Path, out_dir: Path) -> Path:
    """The PDF LibreOffice makes of `docx`, in `out_dir`."""
    with tempfile.TemporaryDirectory(prefix="qms-lo-") as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return out_dir / (docx.stem + ".pdf")


def inspect(pdf: Path) -> dict[str, object]:
    """Page count, the text lines of page 1, and whether each heading line is whole on one line."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    first = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [" ".join(line.split()) for line in first.splitlines()]
    headings = ONE_LINE if any(ONE_LINE[0] in line for line in lines) else ONE_LINE_EN
    return {"pages": pages, "one_line": {h: any(h in line for line in lines) for h in headings}, "lines": lines}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="folder for the PDF [default: beside the .docx]")
    args = parser.parse_args()
    if not available():
        print("soffice, pdfinfo or pdftotext is not installed", file=sys.stderr)
        return 2
    pdf = convert(args.docx, args.out or args.docx.parent)
    found = inspect(pdf)
    print(json.dumps({"pdf": str(pdf), "pages": found["pages"], "one_line": found["one_line"]}, ensure_ascii=False))
    return 0 if all(found["one_line"].values()) else 1  # type: ignore[union-attr]


if __name__ == "__main__":
    sys.exit(main())
