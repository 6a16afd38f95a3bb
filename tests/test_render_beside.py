"""What the reports show beside the scorecard: scoring basis, unit changes, the QĐ 766 index, digitisation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import evaluate_json, write_csv, write_xlsx

from qms_cli.render import beside
from qms_cli.render.table import render_evaluation

BOOK = ["Mã hồ sơ", "Đơn vị", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả", "Số hóa hồ sơ"]


@pytest.fixture
def result(tmp_path: Path) -> dict:
    write_csv(
        tmp_path / "so.csv",
        BOOK,
        [
            ["A-1", "Phường An Lạc", "02/06/2025", "06/06/2025", "05/06/2025", "x"],  # old ward, on time
            ["A-2", "Phường An Lạc", "01/07/2025", "04/07/2025", "04/07/2025", "x"],  # new ward, on time
            ["A-3", "Phường An Lạc", "02/07/2025", "07/07/2025", "09/07/2025", ""],  # new ward, late
        ],
    )
    write_xlsx(
        tmp_path / "chi-so-766-nam-2025.xlsx",
        [
            ["Đơn vị", "Tiến độ giải quyết", "Dịch vụ công trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ"],
            ["Phường An Lạc", "19,5", "11", "17,25", "20"],
        ],
    )
    return evaluate_json(tmp_path, period="2025-06-01..2025-07-31")


def test_index_beside_objectives_1_3_5(result: dict) -> None:
    headers, rows = beside.index_table(result, "vi")
    assert headers[:4] == ["Đơn vị", "Kỳ của chỉ số", "MT 1", "766: Tiến độ giải quyết"]
    (row,) = rows
    # The index of 2025 names the ward valid on 31/12/2025; its objective 1 in June-July: 1 of 2 on time.
    assert row[:4] == ["UBND phường An Lạc (từ 01/07/2025)", "năm 2025", "50,00 %", "19,50/20"]
    assert "17,25/18" in row and "20,00/22" in row
    compact_headers, compact = beside.index_table(result, "en", compact=True)
    assert "Obj. 1 · 766: Timeliness of resolution" in compact_headers
    assert compact[0][2] == "50.00 % · 19.50/20"


def test_unit_changes_and_digitisation_in_words(result: dict) -> None:
    lines = beside.unit_change_lines(result, "vi")
    assert lines[0].startswith("Thay đổi đơn vị ngày 01/07/2025: 26 đơn vị kết thúc, 5 đơn vị mới")
    assert any("UBND phường Bình Tân gồm:" in line and "không so sánh được" in line for line in lines)
    headers, rows = beside.digitisation_table(result, "vi")
    assert rows[0] == ["UBND phường An Lạc (đến 30/06/2025)", "100,00 % (1/1)", "–"]
    assert rows[1] == ["UBND phường An Lạc (từ 01/07/2025)", "50,00 % (1/2)", "–"]
    assert rows[-1] == ["Cộng", "66,67 % (2/3)", "–"]


def test_the_terminal_shows_them(result: dict) -> None:
    out = io.StringIO()
    render_evaluation(result, out, "vi")
    shown = out.getvalue()
    assert "Đơn vị tính điểm: MT 1: cơ quan giải quyết (hồ sơ tiếp nhận từ 01/07/2025" in shown
    assert "Thay đổi đơn vị ngày 01/07/2025" in shown
    assert "QĐ 766/QĐ-TTg" in shown and "19,50/20" in shown
    assert "Số hóa hồ sơ, kết quả giải quyết" in shown


def test_no_change_on_the_previous_period_across_a_unit_change(tmp_path: Path) -> None:
    from qms_cli.evaluate.findings import changes

    write_csv(
        tmp_path / "so.csv",
        BOOK,
        [
            ["A-1", "Phường An Lạc", "02/06/2025", "06/06/2025", "05/06/2025", ""],
            ["A-2", "Phường An Lạc", "01/07/2025", "04/07/2025", "07/07/2025", ""],
        ],
    )
    h1, h2 = evaluate_json(tmp_path, period="H1-2025"), evaluate_json(tmp_path, period="H2-2025")
    across = changes(h2, h1, "vi")["on_time"]
    assert across == {"value": None, "text": "không so sánh: đơn vị đã thay đổi"}  # 100 % then 0 %: not -100
    q1, q2 = evaluate_json(tmp_path, period="2025-05"), evaluate_json(tmp_path, period="2025-06")
    assert changes(q2, q1, "vi")["on_time"]["text"] == "–"  # same units; May has no figure


def test_every_report_format_shows_the_index_and_the_changes(tmp_path: Path) -> None:
    import json
    import re
    import zipfile

    from typer.testing import CliRunner

    from qms_cli.cli import app

    write_csv(
        tmp_path / "in" / "so.csv",
        BOOK,
        [
            ["A-1", "Phường An Lạc", "02/06/2025", "06/06/2025", "05/06/2025", "x"],
            ["A-2", "Phường An Lạc", "01/07/2025", "04/07/2025", "04/07/2025", "x"],
        ],
    )
    write_xlsx(
        tmp_path / "in" / "chi-so-766-nam-2025.xlsx",
        [["Đơn vị", "Tiến độ giải quyết", "Mức độ hài lòng"], ["Phường An Lạc", "19,5", "17,25"]],
    )
    out = tmp_path / "out"
    args = ["report", "--period", "2025", "--data", str(tmp_path / "in"), "--output-dir", str(out)]
    done = CliRunner().invoke(app, [*args, "--store", str(tmp_path / "s.sqlite")])
    assert done.exit_code == 0, done.output
    files = {p.suffix: p for p in out.iterdir()}
    for suffix in (".html", ".md"):
        shown = files[suffix].read_text(encoding="utf-8")
        assert "QĐ 766/QĐ-TTg" in shown and "19,50/20" in shown and "17,25/18" in shown, suffix
        assert "Thay đổi đơn vị ngày 01/07/2025" in shown and "Đơn vị tính điểm" in shown, suffix
        assert "Số hóa hồ sơ, kết quả giải quyết" in shown, suffix
    with zipfile.ZipFile(files[".xlsx"]) as book:
        sheets = re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode("utf-8"))
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert sheets[-2:] == ["Chỉ số 766", "Số hóa"] and "19,50/20" in strings
    report = json.loads(files[".json"].read_text(encoding="utf-8"))
    assert report["service_index"]["units"][0]["scores"]["progress"] == 19.5
    assert "đơn vị thay đổi từ 07/2025" in files[".html"].read_text(encoding="utf-8")  # the trend's break
    from docx import Document

    paragraphs = [p.text for p in Document(str(files[".docx"])).paragraphs]
    assert any(p.startswith("Đơn vị tính điểm: MT 1: cơ quan giải quyết") for p in paragraphs)
    assert any("766: Tiến độ giải quyết: 19,50/20" in p for p in paragraphs)
