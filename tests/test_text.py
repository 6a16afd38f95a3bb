"""qms_cli.text: legacy font encodings, folding; several sheets, hostile text in the outputs, privacy of the store."""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from helpers import evaluate_json, unit_entry, write_xlsx
from typer.testing import CliRunner

from qms_cli import api
from qms_cli.cli import app
from qms_cli.text import fold, from_tcvn3, looks_tcvn3, looks_vni


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Hå s¬", "Hồ sơ"),
        ("Sæ theo dâi hå s¬", "Sổ theo dõi hồ sơ"),
        ("Ngµy nhËn", "Ngày nhận"),
        ("M· hå s¬", "Mã hồ sơ"),
        ("B­u chÝnh", "Bưu chính"),
        ("Tr¶ kÕt qu¶", "Trả kết quả"),
        ("§¨ng ký kÕt h«n", "Đăng ký kết hôn"),
    ],
)
def test_tcvn3_converts_exactly(legacy: str, unicode: str) -> None:
    assert looks_tcvn3(legacy)
    assert from_tcvn3(legacy) == unicode


@pytest.mark.parametrize("text", ["Hồ sơ", "Ngày nhận", "Cà phê sữa", "TÊN ĐƠN VỊ", "Mã hồ sơ 2019"])
def test_unicode_is_never_taken_for_tcvn3(text: str) -> None:
    assert not looks_tcvn3(text) and not looks_vni(text)


def test_a_tcvn3_book_is_read_and_reported(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "so.xlsx",
        [
            ["UBND ph\xadêng T©n T¹o"],
            ["Sæ theo dâi hå s¬"],
            ["STT", "M· hå s¬", "Ngµy nhËn", "Ngµy hÑn tr¶", "Ngµy cã kÕt qu¶", "H×nh thøc nép"],
            [1, "A1", "02/01/2019", "09/01/2019", "08/01/2019", "B\xadu chÝnh"],
            [2, "A2", "03/01/2019", "09/01/2019", "10/01/2019", "Trùc tiÕp"],
        ],
    )
    result = evaluate_json(path, period="2019-01")
    postal = unit_entry(result, "postal_in_share", "phuong-tan-tao")
    assert (postal["numerator"], postal["denominator"]) == (1, 2)  # "B­u chÝnh" is "Bưu chính"
    issue = next(i for i in result["data_quality"]["issues"] if i["code"] == "legacy-encoding")
    assert "TCVN3" in issue["samples"][0]["value"]


def test_vni_text_is_reported_not_guessed(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "vni.xlsx", [["Mã hồ sơ", "Ngày nhận", "Ghi chuù"], ["V1", "02/01/2019", "Ñaêng kyù khai sinh"]]
    )
    issues = api.validate(paths=[path]).data_quality.issues
    issue = next(i for i in issues if i.code == "legacy-encoding")
    assert "VNI" in str(issue.samples[0].value)


def test_every_sheet_with_a_header_is_read_and_the_others_are_named(tmp_path: Path) -> None:
    path = tmp_path / "phuong-tan-tao-nam-2019.xlsx"
    wb = xlsxwriter.Workbook(path)
    for name, rows in (
        ("Hướng dẫn", [["Điền số liệu vào các trang tháng"]]),
        ("Tháng 1", [["Mã hồ sơ", "Ngày nhận"], ["J1", "02/01/2019"]]),
        ("Tháng 2", [["Mã hồ sơ", "Ngày nhận"], ["F1", "04/02/2019"], ["F2", "05/02/2019"]]),
    ):
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()
    quality = api.validate(paths=[path]).data_quality
    assert [(f.sheet, f.rows_accepted) for f in quality.files] == [("Tháng 1", 1), ("Tháng 2", 2)]
    skipped = next(i for i in quality.issues if i.code == "sheet-skipped")
    assert skipped.samples[0].sheet == "Hướng dẫn"


HOSTILE = ['=HYPERLINK("http://evil.example","bấm")', "+1+1", "-2+3", "@SUM(A1:A2)", "<script>alert('x')</script>"]


def test_hostile_text_is_inert_in_every_output(tmp_path: Path) -> None:
    rows = [["Mã hồ sơ", "Tên thủ tục", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]]
    # each text in three dossiers: a procedure name (a text of one or two dossiers is not kept at all)
    rows += [
        [f"H{i}-{k}", text, "02/01/2019", "03/01/2019", "09/01/2019"]
        for i, text in enumerate(HOSTILE)
        for k in range(3)
    ]
    write_xlsx(tmp_path / "data" / "phuong-tan-tao.xlsx", rows)
    out = tmp_path / "out"
    done = CliRunner().invoke(
        app,
        [
            "report",
            "--period",
            "2019-01",
            "--data",
            str(tmp_path / "data"),
            "-o",
            str(out),
            "--format",
            "html,xlsx,md,json",
            "--store",
            str(tmp_path / "none.sqlite"),
        ],
    )
    assert done.exit_code == 0, done.output
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html  # the late procedures' Pareto
    markdown = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "<script" not in markdown  # a Markdown viewer shows the text, never runs it
    with zipfile.ZipFile(next(out.glob("*.xlsx"))) as book:
        sheets = [book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet for sheet in sheets)  # no formula anywhere in the workbook


def test_the_store_holds_no_personal_data(tmp_path: Path) -> None:
    store = tmp_path / "qms.sqlite"
    write_xlsx(
        tmp_path / "phuong-an-lac.xlsx",
        [
            ["Mã hồ sơ", "Họ tên", "Địa chỉ", "Số điện thoại", "Ngày nhận", "Ngày hẹn trả"],
            ["P1", "Nguyễn Thị Giả Định", "Số 99 Đường Không Có", "0912 345 678", "02/01/2019", "08/01/2019"],
        ],
    )
    assert CliRunner().invoke(
        app, ["evaluate", str(tmp_path / "phuong-an-lac.xlsx"), "--store", str(store), "-q"]
    ).exit_code in (0, 1)
    raw = store.read_bytes()
    for secret in ("Nguyễn Thị Giả Định", "Số 99 Đường Không Có", "0912 345 678"):
        assert secret.encode("utf-8") not in raw
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1
    assert re.search(rb"P1", raw)  # the records are there, only the personal data is not


def test_fold() -> None:
    assert fold("Ngày, tháng,\nnăm") == "ngay thang nam"
    assert fold("ĐƠN VỊ") == "don vi"
