"""Today's forms (Thông tư 03/2025/TT-VPCP) and headers that name a person, counted by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import evaluate_json, unit_entry, write_csv, write_xlsx

from qms_cli.read.dossiers import PHRASES
from qms_cli.read.headers import match_field

FAKE_NAME, FAKE_ADDRESS = "Nguyễn Văn Giả", "Số 9 Đường Giả, 0909 999 999"


def mau_07(path: Path) -> Path:
    """The dossier book of TT 03/2025 (Mẫu số 07, the 2018 Mẫu 06 renumbered), with fake people."""
    top = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên tổ chức, cá nhân"]
    top += ["Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày, tháng, năm", None, None, None, None]
    top += ["Ký nhận", "Ghi chú"]
    low = [None] * 7 + ["Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết"]
    low += ["Nhận kết quả từ cơ quan giải quyết", "Trả kết quả", None, None]
    person = [1, FAKE_NAME, FAKE_ADDRESS, "Phòng Giả"]
    d = date
    rows = [
        ["UBND PHƯỜNG BÌNH TÂN"],  # Excel row 1
        ["Mẫu số 07"],
        ["SỔ THEO DÕI HỒ SƠ"],
        top,  # 4
        low,  # 5
        [f"({i})" for i in range(1, 15)],  # 6
        [1, "M1", "Cấp bản sao", *person, d(2025, 8, 4), d(2025, 8, 11), None, d(2025, 8, 8), d(2025, 8, 11)],
        [2, "M2", "Chứng thực", *person, d(2025, 8, 5), d(2025, 8, 12), None, d(2025, 8, 13), None],  # late
        [3, "M3", "Chứng thực", *person, d(2025, 8, 6), d(2025, 8, 13), None, d(2025, 8, 13), None],
    ]
    return write_xlsx(path, rows, merges=[(3, 7, 3, 11, "Ngày, tháng, năm")])


def control_slip(path: Path) -> Path:
    """Mẫu số 06 of TT 03/2025: the control slip of one dossier, which names a code and dates."""
    rows = [
        ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"],
        ["Mã hồ sơ: H29-250804-0001"],
        ["TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ", "GHI CHÚ"],
        ["1. Giao: Bộ phận TN&TKQ", "10 giờ 30 phút, ngày 04/08/2025", "Trước hạn", None],
        ["2. Nhận: Phòng Giả", "14 giờ 00 phút, ngày 04/08/2025", None, None],
    ]
    return write_xlsx(path, rows)


def test_mau_07_is_read_like_mau_06_and_the_control_slip_is_no_book(tmp_path: Path) -> None:
    mau_07(tmp_path / "so-theo-doi.xlsx")
    control_slip(tmp_path / "phieu-kiem-soat.xlsx")
    result = evaluate_json(tmp_path, period="2025-08")
    entry = unit_entry(result, "on_time", "phuong-binh-tan")
    assert (entry["numerator"], entry["denominator"]) == (2, 3)  # M1 8 ≤ 11, M3 13 ≤ 13; M2 13 > 12
    files = {Path(f["path"]).name: f for f in result["data_quality"]["files"]}
    book, slip = files["so-theo-doi.xlsx"], files["phieu-kiem-soat.xlsx"]
    assert (book["rows_read"], book["rows_accepted"], book["rows_skipped"]) == (4, 3, 1)  # (1)…(14) skipped
    assert slip["kind"] == "not_dossier_book" and slip["rows_read"] == slip["rows_skipped"] == 5
    codes = {i["code"] for i in result["data_quality"]["issues"]}
    assert "header-not-found" not in codes and "date-unparseable" not in codes
    dump = json.dumps(result, ensure_ascii=False)
    assert FAKE_NAME not in dump and "Số 9 Đường Giả" not in dump


@pytest.mark.parametrize(
    "header",
    ["Tên đơn vị/cá nhân nộp hồ sơ", "Tên cá nhân, tổ chức", "Đơn vị/ cá nhân giải quyết", "Cán bộ đang xử lý"],
)
def test_a_header_that_names_a_person_is_personal_data(header: str) -> None:
    assert match_field(header, PHRASES)[0] == "pii"


def test_a_person_column_is_never_the_unit_column(tmp_path: Path) -> None:
    # The cells hold a unit's name: were the column taken as the unit, the dossiers would go to An Lạc.
    path = write_csv(
        tmp_path / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Tên đơn vị/cá nhân nộp hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [
            ["P1", "UBND phường An Lạc", "02/01/2019", "09/01/2019", "08/01/2019"],
            ["P2", "UBND phường An Lạc", "03/01/2019", "10/01/2019", "11/01/2019"],
        ],
    )
    result = evaluate_json(path, period="2019-01")
    entry = unit_entry(result, "on_time", "phuong-tan-tao")
    assert (entry["numerator"], entry["denominator"]) == (1, 2)
    assert unit_entry(result, "on_time", "phuong-an-lac")["denominator"] == 0
