"""Summary tables (Biểu 06a), surveys, inspections, milestones and the procedure catalogue, against
figures worked out by hand or published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import evaluate_json, indicator, unit_entry, write_csv, write_xlsx
from typer.testing import CliRunner

from qms_cli import api
from qms_cli.cli import app

GROUP = [
    "Số hồ sơ nhận giải quyết",
    None,
    None,
    None,
    "Kết quả giải quyết",
    None,
    None,
    None,
    "Số hồ sơ đang giải quyết",
    None,
    None,
]
SUB = [
    "Tổng số",
    "Trực tuyến",
    "Trực tiếp, dịch vụ bưu chính",
    "Từ kỳ trước",
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
]
MERGES = [(3, 2, 3, 5, GROUP[0]), (3, 6, 3, 9, GROUP[4]), (3, 10, 3, 12, GROUP[8])]


def published_06a(
    path: Path,
    title: str,
    received: tuple[int, int, int, int],
    resolved: tuple[int, int, int, int],
    pending: tuple[int, int, int],
) -> Path:
    """A one-row Biểu 06a of a published aggregate (the unit is not in Bình Tân's registry)."""
    rows = [
        ["BIỂU 06a: TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"],
        [title],
        [],
        ["STT", "Đơn vị", *GROUP],
        [None, None, *SUB],
        [f"({i})" for i in range(1, 14)],
        [1, "Tổng hợp", *received, *resolved, *pending],
    ]
    return write_xlsx(path, rows, merges=MERGES)


def test_lam_dong_district_level_dec_2019_feb_2020(tmp_path: Path) -> None:
    # Published: 323,911 early or on time of 329,596 resolved, 98.28 %.
    path = published_06a(
        tmp_path / "lam-dong.xlsx",
        "Kỳ báo cáo: Từ ngày 01/12/2019 đến ngày 29/02/2020",
        (340000, 20000, 310000, 10000),
        (329596, 300000, 23911, 5685),
        (10404, 10000, 404),
    )
    result = evaluate_json(path, period="2019-12-01..2020-02-29")
    district = indicator(result, "on_time")["district"]
    assert (district["numerator"], district["denominator"]) == (323911, 329596)
    table = CliRunner().invoke(app, ["evaluate", str(path)])
    assert "98,28 %" in table.stdout and "từ ngày 01/12/2019 đến ngày 29/02/2020" in table.stdout


def test_district_1_hcmc_2018_received_denominator(tmp_path: Path) -> None:
    # Published: 585,116 on time of 585,336 received in 2018, 99.96 %.
    path = published_06a(
        tmp_path / "quan-1.xlsx", "Năm 2018", (585336, 100000, 485336, 0), (585336, 500000, 85116, 220), (0, 0, 0)
    )
    result = evaluate_json(path, period="2018", rules={"on_time_denominator": "received"})
    district = indicator(result, "on_time")["district"]
    assert (district["numerator"], district["denominator"]) == (585116, 585336)
    assert round(district["value"] * 100, 2) == 99.96


EXTRA = [
    "Trực tuyến mức độ 4",
    "Tiếp nhận qua bưu chính",
    "Yêu cầu bổ sung",
    "Số hồ sơ đã trả kết quả",
    "Trả kết quả qua bưu chính",
]


def unit_06a(path: Path) -> Path:
    rows = [
        ["BIỂU 06a"],
        ["Tháng 3 năm 2019"],
        [],
        ["STT", "Đơn vị", "Lĩnh vực", *GROUP, *EXTRA],
        [None, None, None, *SUB],
        [1, "UBND phường Bình Hưng Hòa", "Hộ tịch", 60, 20, 35, 5, 50, 30, 18, 2, 10, 8, 2, 6, 4, 3, 45, 9],
        [2, "UBND phường Bình Hưng Hòa", "Chứng thực", 40, 10, 30, 0, 40, 20, 19, 1, 0, 0, 0, 4, 6, 2, 38, 5],
        [3, "UBND phường Bình Hưng Hòa A", "Hộ tịch", 30, 5, 25, 0, 31, 10, 20, 0, 0, 0, 0, 1, 3, 1, 30, 3],
        ["Tổng cộng", None, None, 130, 35, 90, 5, 121, 60, 57, 3, 10, 8, 2, 11, 13, 6, 113, 17],
    ]
    merges = [(3, 3, 3, 6, GROUP[0]), (3, 7, 3, 10, GROUP[4]), (3, 11, 3, 13, GROUP[8])]
    return write_xlsx(path, rows, merges=merges)


def test_summary_per_unit_and_field_with_extra_columns(tmp_path: Path) -> None:
    path = unit_06a(tmp_path / "bieu-06a-thang-3.xlsx")
    quality = api.validate(paths=[path]).data_quality
    (report,) = quality.files
    assert (report.kind, report.rows_read, report.rows_accepted, report.rows_skipped) == ("summary_06a", 4, 3, 1)
    issue = next(i for i in quality.issues if i.code == "summary-inconsistent")
    assert issue.count == 1 and issue.samples[0].row == 8  # 31 resolved != 10 + 20 + 0
    result = evaluate_json(path, period="2019-03")
    counts = {
        ind: (
            unit_entry(result, ind, "phuong-binh-hung-hoa")["numerator"],
            unit_entry(result, ind, "phuong-binh-hung-hoa")["denominator"],
        )
        for ind in ("on_time", "supplement_rate", "online_l4_share", "postal_in_share", "postal_out_share")
    }
    assert counts == {
        "on_time": (87, 90),
        "supplement_rate": (5, 95),
        "online_l4_share": (10, 95),
        "postal_in_share": (10, 95),
        "postal_out_share": (14, 83),
    }
    district = indicator(result, "on_time")["district"]
    # 50 + 40 + 30: row 8 states 31 resolved but its parts are 10 + 20 + 0, and the parts are counted.
    assert (district["numerator"], district["denominator"]) == (117, 120)
    due_rule = evaluate_json(path, period="2019-03", rules={"on_time_denominator": "due"})
    assert indicator(due_rule, "on_time")["district"]["status"] == "no_data"  # a summary has no due dates


def test_dossier_rows_win_over_a_summary_of_the_same_month(tmp_path: Path) -> None:
    unit_06a(tmp_path / "bieu-06a.xlsx")
    write_csv(
        tmp_path / "phuong-binh-hung-hoa-a.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["A1", "04/03/2019", "08/03/2019", "07/03/2019"]],
    )
    result = evaluate_json(tmp_path, period="2019-03")
    entry = unit_entry(result, "on_time", "phuong-binh-hung-hoa-a")
    assert (entry["numerator"], entry["denominator"]) == (1, 1)
    assert any(i["code"] == "summary-superseded" for i in result["data_quality"]["issues"])


SURVEY = [
    ["phuong-an-lac", "05/01/2019", "Tại quầy", "Rất hài lòng"],
    ["phuong-an-lac", "06/01/2019", "Tại quầy", "Hài lòng"],
    ["phuong-an-lac", "07/01/2019", "Tại quầy", "Bình thường"],
    ["phuong-an-lac", "08/01/2019", "Website", "Không hài lòng"],
    ["phuong-an-lac", "09/01/2019", "Website", "5"],
    ["phuong-an-lac", "10/01/2019", "Website", ""],
    ["phuong-tan-tao", "11/01/2019", "Tại quầy", "4 sao"],
    ["phuong-tan-tao", "12/01/2019", "Website", "Rất không hài lòng"],
    ["phuong-tan-tao", "15/07/2019", "Tại quầy", "Hài lòng"],
    ["", "13/01/2019", "Website", "Không hài lòng"],
    ["", "14/01/2019", "Tại quầy", "Hài lòng"],
]


@pytest.fixture()
def survey(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "khao-sat.csv", ["Đơn vị", "Ngày", "Nguồn", "Mức độ hài lòng"], SURVEY)


def test_satisfaction_pooled(survey: Path) -> None:
    result = evaluate_json(survey, period="H1-2019")
    a = unit_entry(result, "satisfaction", "phuong-an-lac")
    assert (a["numerator"], a["denominator"]) == (3, 5)  # blank is not a valid rating
    t = unit_entry(result, "satisfaction", "phuong-tan-tao")
    assert (t["numerator"], t["denominator"]) == (1, 2)  # the July answer is outside H1
    d = indicator(result, "satisfaction")["district"]
    assert (d["numerator"], d["denominator"]) == (5, 9)  # with the two answers naming no unit
    assert d["status"] == "not_met"


def test_satisfaction_mean_of_sources(survey: Path) -> None:
    result = evaluate_json(survey, period="H1-2019", rules={"satisfaction_pool": "mean_of_sources"})
    assert unit_entry(result, "satisfaction", "phuong-an-lac")["value"] == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert unit_entry(result, "satisfaction", "phuong-tan-tao")["value"] == pytest.approx(0.5)
    # District: desk 4 of 5, web 1 of 4.
    assert indicator(result, "satisfaction")["district"]["value"] == pytest.approx((4 / 5 + 1 / 4) / 2)


def test_satisfaction_counts_per_level(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "tong-hop-khao-sat.xlsx",
        [
            ["KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG"],
            ["Tháng 2 năm 2019"],
            ["STT", "Đơn vị", "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"],
            [1, "UBND phường An Lạc A", 10, 20, 5, 5],
        ],
    )
    result = evaluate_json(path, period="2019-02")
    entry = unit_entry(result, "satisfaction", "phuong-an-lac-a")
    assert (entry["numerator"], entry["denominator"], entry["status"]) == (30, 40, "not_met")


INSPECTIONS = [
    ["15/03/2019", "Phòng Tư pháp", "Định kỳ"],
    ["20/03/2019", "UBND phường An Lạc", "Định kỳ"],
    ["25/04/2019", "An Lạc A", "Đột xuất"],
    ["10/05/2019", "Phòng Tư pháp", "Đột xuất"],
    ["12/06/2019", "Phòng Y tế", "Định kỳ"],
    ["20/08/2019", "Thanh tra quận", "Định kỳ"],
    ["02/09/2019", "phường Tân Tạo", "Định kỳ"],
    ["15/10/2019", "Phòng Kinh tế", "Đột xuất"],
    ["20/11/2019", "Bình Trị Đông B", "Định kỳ"],
    ["15/11/2018", "Phòng Nội vụ", "Định kỳ"],
    ["05/12/2019", "Sở Nội vụ", "Định kỳ"],
]


def test_inspection_coverage_in_progress_then_met(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so-kiem-tra.csv", ["Ngày kiểm tra", "Đơn vị được kiểm tra", "Hình thức"], INSPECTIONS)
    h1 = indicator(evaluate_json(path, period="H1-2019"), "inspection_coverage")
    assert (h1["district"]["numerator"], h1["district"]["denominator"]) == (4, 26)
    assert h1["district"]["status"] == "in_progress"
    year = indicator(evaluate_json(path, period="2019"), "inspection_coverage")
    assert (year["district"]["numerator"], year["district"]["denominator"]) == (8, 26)
    assert year["district"]["status"] == "met"
    assert year["by_kind"] == {"periodic": 6, "unannounced": 3}  # Tư pháp had one of each
    (report,) = api.validate(paths=[path]).data_quality.files
    assert (report.kind, report.rows_accepted, report.rows_rejected) == ("inspection_register", 10, 1)


def test_transition_milestones(tmp_path: Path) -> None:
    from datetime import date

    path = write_xlsx(
        tmp_path / "moc-chuyen-doi.xlsx",
        [
            ["KẾ HOẠCH CHUYỂN ĐỔI ISO 9001:2015"],
            ["STT", "Nội dung", "Hạn hoàn thành", "Ngày hoàn thành", "Minh chứng"],
            [1, "Đào tạo TCVN ISO 9001:2015", date(2019, 3, 31), date(2019, 3, 25), "QĐ 1"],
            [2, "Xây dựng lại quy trình", date(2019, 6, 30), date(2019, 6, 20), "QĐ 2"],
            [3, "Đánh giá nội bộ", date(2019, 9, 30), date(2019, 10, 15), "BB 3"],
            [4, "Công bố phù hợp", date(2019, 12, 31), None, None],
        ],
    )
    h1 = indicator(evaluate_json(path, period="H1-2019"), "iso_transition")
    assert (h1["district"]["numerator"], h1["district"]["denominator"], h1["district"]["status"]) == (
        2,
        4,
        "in_progress",
    )
    year = indicator(evaluate_json(path, period="2019"), "iso_transition")
    assert (year["district"]["numerator"], year["district"]["status"]) == (3, "not_met")
    assert [m["late"] for m in year["milestones"]] == [False, False, True, True]


def test_procedure_catalogue_levels_and_due_dates(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "danh-muc-tthc.csv",
        ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Mức độ", "Thời hạn giải quyết (ngày làm việc)", "Năm áp dụng"],
        [
            ["1.001", "Đăng ký khai sinh", "Hộ tịch", "4", "3", "2019"],
            ["1.002", "Chứng thực bản sao", "Chứng thực", "3", "1", "2019"],
        ],
    )
    write_csv(
        tmp_path / "phuong-tan-tao" / "so.csv",
        ["Mã hồ sơ", "Tên thủ tục", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp"],
        [
            ["K1", "Đăng ký khai sinh", "04/01/2019", "", "08/01/2019", "Trực tuyến"],
            ["K2", "Chứng thực bản sao", "26/04/2019", "29/04/2019", "02/05/2019", "Trực tiếp"],
            ["K3", "Đăng ký khai sinh", "07/01/2019", "10/01/2019", "09/01/2019", "Trực tuyến mức độ 3"],
        ],
    )
    result = evaluate_json(tmp_path, period="H1-2019")
    # K1: due computed as 3 working days after Friday 4 Jan 2019 = Sat 5 (make-up), Mon 7, Tue 8.
    on_time = unit_entry(result, "on_time", "phuong-tan-tao")
    assert (on_time["numerator"], on_time["denominator"], on_time["missing_due"]) == (2, 3, 0)
    assert unit_entry(result, "online_l4_share", "phuong-tan-tao")["numerator"] == 1  # K1, from the catalogue
    issues = {i["code"]: i for i in result["data_quality"]["issues"]}
    assert issues["due-computed"]["count"] == 1 and issues["due-computed"]["samples"][0]["value"] == "2019-01-08"
    # K2: one working day after Friday 26 April 2019 is Thursday 2 May (29 Apr - 1 May are days off).
    assert issues["due-statutory-mismatch"]["count"] == 1
    assert issues["due-statutory-mismatch"]["samples"][0]["value"] == "2019-05-02"
    assert issues["due-on-day-off"]["count"] == 1
    assert "online-level-unknown" not in issues and "missing-due-date" not in issues


def test_missing_submissions_listed(tmp_path: Path) -> None:
    path = unit_06a(tmp_path / "bieu.xlsx")
    result = json.loads(json.dumps(evaluate_json(path, period="Q1-2019")))
    missing = {(m["unit"], m["month"]) for m in result["data_quality"]["missing_submissions"]}
    assert ("phuong-binh-hung-hoa", "2019-03") not in missing
    assert ("phuong-binh-hung-hoa", "2019-02") in missing
    assert len(missing) == 26 * 3 - 2


def test_a_published_table_of_one_total_row(tmp_path: Path) -> None:
    rows = [
        ["BIỂU 06a"],
        ["Kỳ báo cáo: Từ ngày 01/12/2019 đến ngày 29/02/2020"],
        [],
        ["STT", "Đơn vị", *GROUP],
        [None, None, *SUB],
        [f"({i})" for i in range(1, 14)],
        ["Tổng cộng", None, 340000, 20000, 310000, 10000, 329596, 300000, 23911, 5685, 10404, 10000, 404],
    ]
    path = write_xlsx(tmp_path / "tong-hop.xlsx", rows, merges=MERGES)
    district = indicator(evaluate_json(path, period="2019-12-01..2020-02-29"), "on_time")["district"]
    assert (district["numerator"], district["denominator"]) == (323911, 329596)


def test_a_summary_with_one_flat_header_row(tmp_path: Path) -> None:
    flat = [
        "Đơn vị",
        "Tổng số hồ sơ tiếp nhận",
        "Trực tuyến",
        "Trực tiếp, qua bưu chính",
        "Kỳ trước chuyển qua",
        "Tổng số đã giải quyết",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Đang giải quyết",
        "Trong hạn",
        "Quá hạn",
    ]
    path = write_xlsx(
        tmp_path / "bieu.xlsx",
        [["Tháng 3 năm 2019"], flat, ["UBND phường Tân Tạo", 50, 10, 38, 2, 45, 30, 12, 3, 5, 4, 1]],
    )
    result = evaluate_json(path, period="2019-03")
    on_time = unit_entry(result, "on_time", "phuong-tan-tao")
    assert (on_time["numerator"], on_time["denominator"]) == (42, 45)
    overdue = evaluate_json(path, period="2019-03", rules={"on_time_denominator": "resolved_and_overdue"})
    assert unit_entry(overdue, "on_time", "phuong-tan-tao")["denominator"] == 46  # + 1 pending overdue
