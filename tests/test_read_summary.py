"""Summary tables in the layouts real systems export (real-exports.md §2), every figure counted by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import evaluate_json, indicator, unit_entry, write_xlsx


def _issues(result: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [i for i in result["data_quality"]["issues"] if i["code"] == code]


def _counts(result: dict[str, Any], ind: str, unit: str) -> tuple[int, int]:
    entry = unit_entry(result, ind, unit)
    return entry["numerator"], entry["denominator"]


def per_unit_summary(path: Path) -> Path:
    """One system's per-unit summary: two header rows, Qua mạng and Qua BCCI parts of Trong kỳ, a rate column."""
    top = ["STT", "Đơn vị", "Tiếp nhận", None, None, None, None, "Đã xử lý", None, None, None, "Đang xử lý", None]
    top += ["Bổ sung", "Trả lại/ Rút HS"]
    low = [None, None, "Tổng số", "Kỳ trước", "Trong kỳ", "Qua mạng", "Qua BCCI", "Trước hạn", "Đúng hạn", "Quá hạn"]
    low += ["Tỷ lệ trước hạn, đúng hạn", "Trong hạn", "Quá hạn", None, None]
    rows = [
        ["BÁO CÁO TỔNG HỢP TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"],  # Excel row 1
        ["Tháng 3 năm 2019"],  # 2
        top,  # 3
        low,  # 4
        [1, "UBND phường Tân Tạo", 60, 10, 50, 20, 5, 30, 12, 3, "93,33 %", 4, 1, 6, 2],  # 5: 42/45 = 93,33 %
        [2, "UBND phường An Lạc", 40, 5, 35, 7, 4, 20, 9, 1, "96 %", 3, 0, 2, 1],  # 6: 29/30 = 96,67 %, truncated
        [3, "UBND phường Bình Trị Đông", 20, 0, 20, 2, 1, 0, 10, 5, "100 %", 5, 0, 0, 0],  # 7: 10/15: wrong
    ]
    merges = [(2, 2, 2, 6, "Tiếp nhận"), (2, 7, 2, 10, "Đã xử lý"), (2, 11, 2, 12, "Đang xử lý")]
    return write_xlsx(path, rows, merges=merges)


def test_per_unit_summary(tmp_path: Path) -> None:
    path = per_unit_summary(tmp_path / "tong-hop.xlsx")
    result = evaluate_json(path, period="2019-03")
    assert _counts(result, "on_time", "phuong-tan-tao") == (42, 45)  # trước 30 + đúng 12 of 30 + 12 + 3
    assert _counts(result, "on_time", "phuong-an-lac") == (29, 30)
    assert _counts(result, "postal_in_share", "phuong-tan-tao") == (5, 50)  # Qua BCCI of Trong kỳ
    assert _counts(result, "supplement_rate", "phuong-an-lac") == (2, 35)
    overdue = evaluate_json(path, period="2019-03", rules={"on_time_denominator": "resolved_and_overdue"})
    assert _counts(overdue, "on_time", "phuong-tan-tao") == (42, 46)  # + 1 pending overdue
    (rate,) = _issues(result, "summary-rate-mismatch")
    assert rate["count"] == 1
    assert rate["samples"][0]["row"] == 7 and rate["samples"][0]["value"].startswith("100 % ≠ 66,67 %")
    assert not _issues(result, "summary-inconsistent")


def progress_766(path: Path) -> Path:
    """The QĐ 766 progress table: three header rows; Trong hạn means on time under Đã xử lý."""
    r1 = ["STT", "Đơn vị", "Tiếp nhận", None, None, None, None, None, "Đã xử lý", None, None, None]
    r1 += ["Đang xử lý", None, None, "Tạm dừng xử lý"]
    r2 = [None, None, "Tổng số", "Kỳ trước chuyển sang", "Trong kỳ", None, None, None, "Tổng số", "Trước hạn"]
    r2 += ["Trong hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn", None]
    r3 = [None, None, None, None, "Tổng số", "Trực tuyến", "Trực tiếp", "BCCI", None, None, None, None, None, None]
    r3 += [None, None]
    rows = [
        ["TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ"],  # 1
        ["Tháng 3 năm 2019"],  # 2
        r1,  # 3
        r2,  # 4
        r3,  # 5
        [1, "UBND phường Tân Tạo", 70, 10, 60, 15, 40, 5, 50, 20, 28, 2, 20, 18, 2, 3],  # 6
        [2, "UBND phường An Lạc", 35, 5, 30, 10, 15, 4, 20, 5, 14, 1, 9, 9, 0, 0],  # 7: 10 + 15 + 4 = 29 ≠ 30
    ]
    merges = [
        (2, 2, 2, 7, "Tiếp nhận"),
        (3, 4, 3, 7, "Trong kỳ"),
        (2, 8, 2, 11, "Đã xử lý"),
        (2, 12, 2, 14, "Đang xử lý"),
    ]
    return write_xlsx(path, rows, merges=merges)


def test_qd_766_progress_table(tmp_path: Path) -> None:
    path = progress_766(tmp_path / "tien-do.xlsx")
    result = evaluate_json(path, period="2019-03")
    assert _counts(result, "on_time", "phuong-tan-tao") == (48, 50)  # trước 20 + trong hạn 28 of 50
    assert _counts(result, "on_time", "phuong-an-lac") == (19, 20)
    assert _counts(result, "postal_in_share", "phuong-tan-tao") == (5, 60)  # BCCI of Trong kỳ
    assert _counts(result, "postal_in_share", "phuong-an-lac") == (4, 29)  # the parts are counted, not 30
    overdue = evaluate_json(path, period="2019-03", rules={"on_time_denominator": "resolved_and_overdue"})
    assert _counts(overdue, "on_time", "phuong-tan-tao") == (48, 52)  # + 2 pending overdue, not the 18 in time
    (inconsistent,) = _issues(result, "summary-inconsistent")
    assert inconsistent["count"] == 1 and inconsistent["samples"][0]["row"] == 7
    assert "30 ≠ 10 + 15 + 4 = 29" in inconsistent["samples"][0]["value"]


def test_a_flat_table_that_says_som_han(tmp_path: Path) -> None:
    header = ["Đơn vị", "Tổng số tiếp nhận", "Trực tuyến", "Trực tiếp, qua bưu chính", "Đã giải quyết", "Sớm hạn"]
    header += ["Đúng hạn", "Trễ hạn", "Đang giải quyết", "Chưa đến hạn", "Quá hạn"]
    path = write_xlsx(
        tmp_path / "bieu.xlsx",
        [["Tháng 3 năm 2019"], header, ["UBND phường Tân Tạo", 50, 10, 40, 45, 30, 12, 3, 5, 4, 1]],
    )
    result = evaluate_json(path, period="2019-03")
    assert _counts(result, "on_time", "phuong-tan-tao") == (42, 45)  # sớm 30 + đúng 12 of 45
    assert not _issues(result, "summary-inconsistent")


def test_a_published_table_whose_parts_do_not_add_up(tmp_path: Path) -> None:
    # One province's report: 13,767 + 3,254 + 634 = 17,655 against a stated 17,651.
    group = ["Số hồ sơ nhận giải quyết", None, None, None, "Kết quả giải quyết", None, None, None]
    sub = ["Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số", "Trước hạn"]
    sub += ["Đúng hạn", "Quá hạn"]
    rows = [
        ["BIỂU 06a"],
        ["Năm 2019"],
        ["STT", "Đơn vị", *group],
        [None, None, *sub],
        [1, "Tổng hợp", 18000, 4000, 14000, 0, 17651, 13767, 3254, 634],  # Excel row 5
    ]
    merges = [(2, 2, 2, 5, group[0]), (2, 6, 2, 9, group[4])]
    result = evaluate_json(write_xlsx(tmp_path / "tinh.xlsx", rows, merges=merges), period="2019")
    district = indicator(result, "on_time")["district"]
    assert (district["numerator"], district["denominator"]) == (13767 + 3254, 17655)
    (inconsistent,) = _issues(result, "summary-inconsistent")
    assert "17651 ≠ 13767 + 3254 + 634 = 17655" in inconsistent["samples"][0]["value"]
