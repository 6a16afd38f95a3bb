"""The workbook printed: LibreOffice Calc converts the XLSX report to PDF (scripts/xlsx_to_pdf.py) and
each sheet must print as an official files it: A4 landscape, fitted to the page width (no column cut
off: the sheet's last column header is on every one of its pages), its title on its first page, and a
bounded number of pages. Skipped where LibreOffice (soffice) or poppler is not installed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from test_evaluate_form06a import fields_fixture
from typer.testing import CliRunner

from qms_cli.cli import app
from qms_cli.messages import text

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "xlsx_to_pdf.py"
_spec = importlib.util.spec_from_file_location("xlsx_to_pdf", SCRIPT)
assert _spec and _spec.loader
xlsx_to_pdf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(xlsx_to_pdf)
pytestmark = pytest.mark.skipif(not xlsx_to_pdf.available(), reason="LibreOffice (soffice) or poppler is missing")

# Each sheet's title (in its footer and after the report's title) and the header of its last column.
SHEETS = {
    "vi": {
        "Biểu 06a": "(19)",
        text("shortfalls", "vi"): text("action_status", "vi"),
        text("quality", "vi"): text("message", "vi"),
        text("sheet_problems", "vi"): text("example", "vi"),
        text("units", "vi"): text("reason", "vi"),
    },
    "en": {
        "Biểu 06a": "(19)",
        text("shortfalls", "en"): text("action_status", "en"),
        text("quality", "en"): text("message", "en"),
        text("sheet_problems", "en"): text("example", "en"),
        text("units", "en"): text("reason", "en"),
    },
}


@pytest.fixture(scope="module", params=["vi", "en"])
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    lang = request.param
    folder = tmp_path_factory.mktemp(f"xlsx-pdf-{lang}")
    inputs = fields_fixture(folder / "in")
    args = ["report", "--period", "2019-03", "--data", str(inputs), "--store", str(folder / "none.sqlite")]
    done = CliRunner().invoke(app, [*args, "--format", "xlsx", "--lang", lang, "-o", str(folder / "out"), "-q"])
    assert done.exit_code == 0, done.output
    xlsx = next((folder / "out").glob("*.xlsx"))
    run = subprocess.run([sys.executable, str(SCRIPT), str(xlsx)], capture_output=True, text=True, timeout=400)
    assert run.returncode == 0, run.stdout + run.stderr
    return lang, xlsx.with_suffix(".pdf")


def _words(words: str) -> list[str]:
    return words.split()


def test_every_page_is_a4_landscape(printed: tuple[str, Path]) -> None:
    _, pdf = printed
    sizes = xlsx_to_pdf.page_sizes(pdf)
    assert sizes and all(size == (842, 595) for size in sizes), sizes


def test_each_sheet_titled_fitted_to_width_and_short(printed: tuple[str, Path]) -> None:
    lang, pdf = printed
    pages = xlsx_to_pdf.page_texts(pdf)
    footers = [next((line for line in reversed(p.splitlines()) if line.strip()), "") for p in pages]
    # One small month of two units: every sheet fits on one or two pages, so about a dozen in all.
    assert len(pages) <= 16, len(pages)
    for title, last_header in SHEETS[lang].items():
        own = [p for p, footer in zip(pages, footers, strict=True) if " ".join(footer.split()).startswith(title)]
        assert 1 <= len(own) <= 2, (title, len(own))
        assert f"{text('title', lang)} — {title}" in " ".join(own[0].split())  # the title on its first page
        for page in own:  # fitted to the width: the last column's header is printed on every page
            flat = " ".join(page.split())
            assert all(word in flat for word in _words(last_header)), (title, last_header)


def test_vietnamese_numbers_print_with_a_decimal_comma(printed: tuple[str, Path]) -> None:
    lang, pdf = printed
    flat = " ".join(" ".join(xlsx_to_pdf.page_texts(pdf)).split())
    # Tân Tạo's on-time rate worked by hand: (2 early + 2 on time) / 5 resolved = 80,00 % (en: 80.00%).
    assert ("80,00 %" if lang == "vi" else "80.00%") in flat
