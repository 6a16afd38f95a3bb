"""The workbook prints as a report: read back from its XML, every sheet has a title and the period,
frozen and repeated header rows, A4 landscape fitted to the page width, columns of differing widths,
number formats on the numbers, and not a single formula."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from test_evaluate_form06a import fixture
from typer.testing import CliRunner

from qms_cli.cli import app


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    folder = tmp_path_factory.mktemp("xlsx")
    inputs = fixture(folder / "in")
    store = folder / "qms.sqlite"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["evaluate", str(inputs), "--period", "2019-03", "--store", str(store), "-q"]).exit_code == 0
    )
    done = runner.invoke(
        app, ["report", "--period", "2019-03", "--store", str(store), "--format", "xlsx", "-o", str(folder)]
    )
    assert done.exit_code == 0, done.output
    return zipfile.ZipFile(next(Path(folder).glob("*.xlsx")))


def sheets(book: zipfile.ZipFile) -> dict[str, str]:
    names = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="rId(\d+)"', book.read("xl/workbook.xml").decode())
    return {name: book.read(f"xl/worksheets/sheet{n}.xml").decode() for name, n in names}


def test_print_setup_and_frozen_headers_on_every_sheet(book: zipfile.ZipFile) -> None:
    workbook = book.read("xl/workbook.xml").decode()
    for name, xml in sheets(book).items():
        assert 'orientation="landscape"' in xml and 'paperSize="9"' in xml, name  # A4 landscape
        assert 'fitToHeight="0"' in xml and '<pageSetUpPr fitToPage="1"/>' in xml, name  # fit to width
        assert 'state="frozen"' in xml, name
        assert "&amp;P / &amp;N" in xml, name  # page numbers in the footer
        assert f"'{name}'!$4:$" in workbook or f"{name}!$4:$" in workbook, name  # header rows repeated
        widths = {float(w) for w in re.findall(r'<col [^>]*width="([\d.]+)"', xml)}
        assert len(widths) >= 2, name  # fitted to the content, not one width for all


def test_titles_numbers_and_no_formula(book: zipfile.ZipFile) -> None:
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "BÁO CÁO Kết quả thực hiện mục tiêu chất lượng — Biểu 06a" in strings
    assert "Kỳ báo cáo: tháng 3 năm 2019" in strings
    styles = book.read("xl/styles.xml").decode()
    # Vietnamese numbers whatever the reader's locale: the formats carry the locale [$-42A] (decimal comma).
    assert 'formatCode="[$-42A]0.00 %"' in styles and 'formatCode="[$-42A]#,##0"' in styles and "đpt" in styles
    for name, xml in sheets(book).items():
        assert "<f>" not in xml and "<f " not in xml, name
    assert not re.search(r"<t>(id|op|N|D|LCL|UCL|slug)</t>", strings)  # no ids as headers


def test_form_06a_sheet_merges_its_group_headers(book: zipfile.ZipFile) -> None:
    xml = sheets(book)["Biểu 06a"]
    merged = re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"/>', xml)
    # Row 4: (3)-(6) received C:F, (7)-(10) resolved G:J, (11)-(13) pending K:M, (14)-(19) extras N:S.
    assert {"C4:F4", "G4:J4", "K4:M4", "N4:S4", "A4:A5", "B4:B5"} <= set(merged)
