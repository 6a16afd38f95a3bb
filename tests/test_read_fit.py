"""A sheet whose body does not fit its header is refused; day/month order is decided for the whole file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import evaluate_json, unit_entry, write_csv, write_xlsx

DRILL_DOWN = [
    "STT",
    "Đơn vị tiếp nhận",
    "Lĩnh vực",
    "Tên thủ tục hành chính",
    "Mã hồ sơ",
    "Trạng thái",
    "Địa chỉ",
    "Chủ hồ sơ",
    "Ngày nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "Đơn vị/ cá nhân giải quyết",
]


def _issues(result: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [i for i in result["data_quality"]["issues"] if i["code"] == code]


def test_the_shifted_drill_down_list_is_refused(tmp_path: Path) -> None:
    # One system's export: 9 cells under 12 headers; the received date lies under "Địa chỉ", the
    # appointment under "Chủ hồ sơ", the end of processing under "Ngày nhận"; the last three are empty.
    unit = "UBND phường Tân Tạo"
    body = [
        [1, unit, "Hộ tịch", "Đăng ký khai sinh", "H29-190305-0001", "Đã trả kết quả", "05/03/2019", "08/03/2019"],
        [2, unit, "Hộ tịch", "Đăng ký kết hôn", "H29-190306-0002", "Đã trả kết quả", "06/03/2019", "11/03/2019"],
        [3, unit, "Chứng thực", "Chứng thực bản sao", "H29-190306-0003", "Đang xử lý", "06/03/2019", "07/03/2019"],
        [4, unit, "Chứng thực", "Chứng thực chữ ký", "H29-190307-0004", "Đã trả kết quả", "07/03/2019", "08/03/2019"],
    ]
    body = [row + [end] for row, end in zip(body, ["07/03/2019", "12/03/2019", None, "08/03/2019"], strict=True)]
    path = write_xlsx(tmp_path / "danh-sach-ho-so.xlsx", [["DANH SÁCH HỒ SƠ"], DRILL_DOWN, *body])
    result = evaluate_json(path, period="2019-03")
    mismatch = _issues(result, "header-body-mismatch")
    assert mismatch and mismatch[0]["severity"] == "error"
    headers = {s["header"] for s in mismatch[0]["samples"]}
    assert {"Địa chỉ", "Chủ hồ sơ"} <= headers  # dates in personal-data columns
    assert {"Ngày hẹn trả", "Ngày kết thúc xử lý"} <= headers  # empty in every row at the end
    sample = next(s for s in mismatch[0]["samples"] if s["header"] == "Địa chỉ")
    assert sample["column"] == "G" and "05/03/2019" in sample["value"]
    (report,) = result["data_quality"]["files"]
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"], report["rows_skipped"]) == (
        4,
        0,
        4,
        0,
    )
    assert unit_entry(result, "on_time", "phuong-tan-tao")["denominator"] == 0  # no figure takes a row


def test_codes_that_are_dates_do_not_fit(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả"],
        [[f"0{d}/03/2019", f"0{d}/03/2019", f"0{d + 1}/03/2019"] for d in range(4, 8)],
    )
    result = evaluate_json(path, period="2019-03")
    (mismatch,) = _issues(result, "header-body-mismatch")
    assert mismatch["samples"][0]["header"] == "Mã hồ sơ"
    assert result["data_quality"]["files"][0]["rows_accepted"] == 0


HEADER = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]


def test_a_book_written_month_first_is_read_month_first(tmp_path: Path) -> None:
    rows = [
        ["D1", "03/13/2019", "03/20/2019", "03/19/2019"],  # 13 March, due 20, ready 19: on time
        ["D2", "03/04/2019", "03/11/2019", "03/12/2019"],  # 4 March (not 3 April), due 11, ready 12: late
        ["D3", "03/14/2019", "03/21/2019", "03/21/2019"],  # on time
    ]
    result = evaluate_json(write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, rows), period="2019-03")
    entry = unit_entry(result, "on_time", "phuong-tan-tao")
    assert (entry["numerator"], entry["denominator"]) == (2, 3)
    (said,) = _issues(result, "date-order-month-first")
    assert said["severity"] == "info"
    assert not _issues(result, "date-ambiguous")


def test_a_book_of_both_orders_is_refused(tmp_path: Path) -> None:
    rows = [
        ["E1", "13/03/2019", "20/03/2019", "19/03/2019"],  # only day-first
        ["E2", "14/03/2019", "21/03/2019", "21/03/2019"],  # only day-first
        ["E3", "03/15/2019", "03/22/2019", "03/22/2019"],  # only month-first
        ["E4", "03/18/2019", "03/25/2019", "03/25/2019"],  # only month-first
    ]
    result = evaluate_json(write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, rows), period="2019-03")
    (refused,) = _issues(result, "date-order-ambiguous")
    assert refused["severity"] == "error"
    assert result["data_quality"]["files"][0]["rows_rejected"] == 4
    assert unit_entry(result, "on_time", "phuong-tan-tao")["denominator"] == 0


def test_one_stray_month_first_date_is_only_that_row(tmp_path: Path) -> None:
    rows = [
        ["F1", "13/03/2019", "20/03/2019", "19/03/2019"],
        ["F2", "03/15/2019", "22/03/2019", "22/03/2019"],  # one typed month-first: that row is ambiguous
        ["F3", "14/03/2019", "21/03/2019", "21/03/2019"],
    ]
    result = evaluate_json(write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, rows), period="2019-03")
    assert [s["row"] for s in _issues(result, "date-ambiguous")[0]["samples"]] == [3]
    assert unit_entry(result, "on_time", "phuong-tan-tao")["denominator"] == 2


def _two_sheet_book(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate([HEADER, *rows]):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
    wb.close()
    return path


def test_the_day_month_order_is_the_files_not_each_sheets(tmp_path: Path) -> None:
    # Sheet "T3a" alone holds only dates whose parts are both <= 12: read alone it would be day-first
    # (3 April, 3 May …, outside March). Sheet "T3b" is decisively month-first (13, 14 March). The
    # file is month-first as a whole, so T3a reads 4 March (ready 7, due 8: on time) and 5 March
    # (ready 12, due 11: late). March 2019 by hand: 4 resolved, on time G1, H1, H2 = 3 of 4.
    book = _two_sheet_book(
        tmp_path / "phuong-tan-tao.xlsx",
        {
            "T3a": [["G1", "03/04/2019", "03/08/2019", "03/07/2019"], ["G2", "03/05/2019", "03/11/2019", "03/12/2019"]],
            "T3b": [["H1", "03/13/2019", "03/20/2019", "03/19/2019"], ["H2", "03/14/2019", "03/21/2019", "03/21/2019"]],
        },
    )
    result = evaluate_json(book, period="2019-03")
    entry = unit_entry(result, "on_time", "phuong-tan-tao")
    assert (entry["numerator"], entry["denominator"]) == (3, 4)
    # Said once for the file, with each sheet's evidence: distinct month-first-only texts per column,
    # T3b: received 13, 14; due 20, 21; ready 19, 21 = 6; T3a none.
    (said,) = _issues(result, "date-order-month-first")
    assert "T3a: 0/0; T3b: 0/6" in said["samples"][0]["value"]
    counts = [
        (f["sheet"], f["rows_read"], f["rows_accepted"], f["rows_rejected"]) for f in result["data_quality"]["files"]
    ]
    assert counts == [("T3a", 2, 2, 0), ("T3b", 2, 2, 0)]


def test_a_file_whose_sheets_disagree_on_the_order_is_refused_whole(tmp_path: Path) -> None:
    # Each sheet alone is decisive (K: day-first 13, 14 March; L: month-first 15, 18 March) and would be
    # read; together the file writes both orders: every sheet is refused, 4 rows rejected, none counted.
    book = _two_sheet_book(
        tmp_path / "phuong-tan-tao.xlsx",
        {
            "K": [["K1", "13/03/2019", "20/03/2019", "19/03/2019"], ["K2", "14/03/2019", "21/03/2019", "21/03/2019"]],
            "L": [["L1", "03/15/2019", "03/22/2019", "03/22/2019"], ["L2", "03/18/2019", "03/25/2019", "03/25/2019"]],
        },
    )
    result = evaluate_json(book, period="2019-03")
    (refused,) = _issues(result, "date-order-ambiguous")
    assert refused["severity"] == "error"
    counts = [
        (f["rows_read"], f["rows_accepted"], f["rows_rejected"], f["rows_skipped"])
        for f in result["data_quality"]["files"]
    ]
    assert counts == [(2, 0, 2, 0), (2, 0, 2, 0)]
    assert unit_entry(result, "on_time", "phuong-tan-tao")["denominator"] == 0


def test_dossier_codes_are_checked_as_python_reads_their_spaces_and_digits() -> None:
    # The code checks run in Arrow on ASCII columns and value by value otherwise; both read whitespace
    # and digits as str.strip and str.isdigit do. "\x1c" is whitespace to Python (not to Arrow's trim):
    # two such cells leave 2 codes, too few to judge; superscript digits are digits to str.isdigit.
    import pyarrow as pa

    from qms_cli.read.fit import _code_misfit

    assert _code_misfit(pa.array(["\x1c", "\x1d", "AB", "CD"])) is None  # 2 values: fewer than 3
    assert _code_misfit(pa.array(["\x1c", "AB", "CD", "EF"])) == "text without digits where dossier codes should be"
    assert _code_misfit(pa.array(["HS¹", "HS²", "HS³"])) is None  # 3 values with a digit, all distinct
    assert _code_misfit(pa.array(["HSá", "HSé", "HS3"])) == "text without digits where dossier codes should be"
    assert _code_misfit(pa.array(["HS1", "HS1", "HS1", None])) == (
        "the same few values where distinct dossier codes should be"
    )
    assert _code_misfit(pa.array(["01/03/2019", "02/03/2019", "HS1"])) == "dates where dossier codes should be"
