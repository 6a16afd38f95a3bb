"""The Word report in the layout of Decree 30/2020/NĐ-CP, its issuer from objectives.yaml; converted
to PDF by LibreOffice where it is installed (scripts/docx_to_pdf.py), headings checked on the page."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from typer.testing import CliRunner

from qms_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SCRIPT = ROOT / "scripts" / "docx_to_pdf.py"
_spec = importlib.util.spec_from_file_location("docx_to_pdf", SCRIPT)
assert _spec and _spec.loader
docx_to_pdf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docx_to_pdf)


def ward_objectives(folder: Path) -> Path:
    """The district's objectives with a ward as the issuer of the report."""
    data = yaml.safe_load((ROOT / "objectives.yaml").read_text(encoding="utf-8"))
    data["issuer"] = {
        "parent": "ỦY BAN NHÂN DÂN QUẬN BÌNH TÂN",
        "name": "ỦY BAN NHÂN DÂN PHƯỜNG AN LẠC",
        "name_in_text": "Ủy ban nhân dân phường An Lạc",
        "abbreviation": "UBND",
        "place": "An Lạc",
        "signer_title": "CHỦ TỊCH",
        "recipients": ["UBND quận", "Lưu: VT"],
    }
    path = folder / "objectives.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx")
    made = {}
    for name, extra in (("vi", []), ("en", ["--lang", "en"]), ("ward", ["--objectives", str(ward_objectives(out))])):
        args = ["report", "--period", "H1-2019", "--data", str(SAMPLE), "--format", "docx", "-o", str(out / name)]
        done = CliRunner().invoke(app, [*args, "--store", str(out / "none.sqlite"), *extra])
        assert done.exit_code == 0, done.output
        made[name] = next((out / name).glob("*.docx"))
    return made


def body_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_tables_agree_with_their_grid_and_fit_a4_portrait(reports: dict[str, Path]) -> None:
    doc = Document(str(reports["vi"]))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)  # A4
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        cells = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in table._tbl.tr_lst[0].tc_lst]
        assert grid == cells  # the grid never contradicts the cells' widths
        assert sum(grid) * 635 <= text_width + Mm(0.5)  # twentieths of a point -> EMU; within the text width
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_page_numbers_indents_and_results_once(reports: dict[str, Path]) -> None:
    doc = Document(str(reports["vi"]))
    section = doc.sections[0]
    assert section.different_first_page_header_footer  # no number on the first page
    assert "PAGE" in section.header._element.xml
    indented = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent]
    assert any(p.text.startswith("Căn cứ Quyết định số 784/QĐ-UBND") for p in indented)
    text = body_text(reports["vi"])
    assert text.count("98,53\u00a0%") == 1  # the on-time result, in the table only (no second list of results)
    assert "(đơn vị bổ sung)" not in text
    # Made from --data without a store: no action exists yet, and the report says what to do.
    assert "Chưa có hành động khắc phục trong kho dữ liệu" in text and "qms actions update" in text
    assert "chưa có hành động trong kho dữ liệu" in text  # in place of each cause and action


def test_issuer_number_and_symbol_from_objectives(reports: dict[str, Path]) -> None:
    district = body_text(reports["vi"])
    assert "Số:       /BC-PNV" in district and "PHÒNG NỘI VỤ" in district and "TRƯỞNG PHÒNG" in district
    ward = body_text(reports["ward"])
    assert "/BC-UBND" in ward and "ỦY BAN NHÂN DÂN PHƯỜNG AN LẠC" in ward and "CHỦ TỊCH" in ward
    assert "PHÒNG NỘI VỤ" not in ward and "Phòng Nội vụ" not in ward
    assert "An Lạc, ngày" in ward and "Ủy ban nhân dân phường An Lạc báo cáo" in ward


def test_no_slug_or_id_in_the_vietnamese_word_report(reports: dict[str, Path]) -> None:
    text = body_text(reports["vi"])
    for word in ("on_time", "supplement_rate", "phong-tai-nguyen-moi-truong", "dossier_book", "draft"):
        assert word not in text


@pytest.mark.skipif(not docx_to_pdf.available(), reason="LibreOffice (soffice) or poppler is not installed")
@pytest.mark.parametrize("name", ["vi", "en", "ward"])
def test_libreoffice_pages_keep_the_national_heading_on_one_line(reports: dict[str, Path], name: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(reports[name])], capture_output=True, text=True, timeout=400, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = reports[name].with_suffix(".pdf")
    found = docx_to_pdf.inspect(pdf)
    assert all(found["one_line"].values())
    # 9 results, 20 shortfalls with their contributors and actions, recipients and signature: 3 to 6 A4 pages.
    assert 3 <= found["pages"] <= 6


@pytest.mark.skipif(not docx_to_pdf.available(), reason="LibreOffice (soffice) or poppler is not installed")
@pytest.mark.parametrize("name", ["vi", "ward"])
def test_no_blank_page_and_the_signature_block_whole_on_the_last_page(
    reports: dict[str, Path], name: str, tmp_path: Path
) -> None:
    pdf = docx_to_pdf.convert(reports[name], tmp_path)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = [p for p in out.split("\f")][: docx_to_pdf.inspect(pdf)["pages"]]
    # A page that holds nothing but its number is blank (the empty paragraph after a final table).
    assert all(len(p.split()) > 1 for p in pages), [len(p.split()) for p in pages]
    last = " ".join(pages[-1].split())
    signer = "TRƯỞNG PHÒNG" if name == "vi" else "CHỦ TỊCH"
    for words in ("Nơi nhận:", "- Lưu:", signer, "(Ký, ghi rõ họ tên, đóng dấu)", "Trên đây là báo cáo"):
        assert words in last, words  # the closing sentence, the recipients and the signer stay together
