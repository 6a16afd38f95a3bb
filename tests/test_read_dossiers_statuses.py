"""Statuses by their meaning (spec/metrics.md §2): a book whose every row is worked out by hand below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import evaluate_json, unit_entry, write_csv

from qms_cli.read.dossiers import status_meaning

HEADER = ["Mã hồ sơ", "Trạng thái", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]
# Excel row, then: code, status, received, due, ready. Period 2019-01. Hand counts:
ROWS = [
    ["K1", "Đã trả kết quả", "02/01/2019", "09/01/2019", "08/01/2019"],  # 2 resolved, on time
    ["K2", "Đã chuyển trả kết quả", "03/01/2019", "10/01/2019", "10/01/2019"],  # 3 resolved, on time ("chuyển")
    ["K3", "Chuyển xử lý", "03/01/2019", "10/01/2019", ""],  # 4 pending, overdue at 31/01 (was "withdrawn")
    ["K4", "Không được tiếp nhận", "04/01/2019", "11/01/2019", ""],  # 5 refused: not received
    ["K5", "Mới đăng ký", "04/01/2019", "", ""],  # 6 not yet received: skipped
    ["K6", "Dừng xử lý", "04/01/2019", "11/01/2019", "15/01/2019"],  # 7 stopped: out of objective 1
    ["K7", "Trễ hạn", "07/01/2019", "14/01/2019", "11/01/2019"],  # 8 timing word, dates say early: warning
    ["K8", "Hồ sơ lạ", "07/01/2019", "14/01/2019", "15/01/2019"],  # 9 unknown status; late by its dates
    ["K9", "Hồ sơ lạ", "08/01/2019", "15/01/2019", "15/01/2019"],  # 10 unknown status; on time
    ["K10", "Yêu cầu bổ sung giấy tờ", "08/01/2019", "15/01/2019", ""],  # 11 pending, supplement, overdue
]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, ROWS)


def _issue(result: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in result["data_quality"]["issues"] if i["code"] == code)


def test_objective_1_by_meaning(book: Path) -> None:
    result = evaluate_json(book, period="2019-01")
    entry = unit_entry(result, "on_time", "phuong-tan-tao")
    # Completed in January, not withdrawn/refused/stopped, with a due date: K1 K2 K7 K8 K9; on time: all but K8.
    assert (entry["numerator"], entry["denominator"]) == (4, 5)
    assert entry["stopped"] == 1  # K6, counted beside the figure


def test_pending_transferred_dossiers_stay_in_the_overdue_denominator(book: Path) -> None:
    result = evaluate_json(book, period="2019-01", rules={"on_time_denominator": "resolved_and_overdue"})
    entry = unit_entry(result, "on_time", "phuong-tan-tao")
    # The five above plus K3 and K10, pending on 31/01 with due 10/01 and 15/01; K4 refused, K6 stopped.
    assert (entry["numerator"], entry["denominator"]) == (4, 7)


def test_refused_and_not_yet_received_are_not_received(book: Path) -> None:
    result = evaluate_json(book, period="2019-01")
    entry = unit_entry(result, "supplement_rate", "phuong-tan-tao")
    # Received in January: K1 K2 K3 K6 K7 K8 K9 K10 (not K4 refused, not K5 skipped); supplement: K10.
    assert (entry["numerator"], entry["denominator"]) == (1, 8)
    (report,) = result["data_quality"]["files"]
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"], report["rows_skipped"]) == (
        10,
        9,
        0,
        1,
    )
    waiting = _issue(result, "not-yet-received")
    assert waiting["count"] == 1 and waiting["samples"][0]["row"] == 6
    assert waiting["severity"] == "info"


def test_unknown_statuses_are_reported_once_per_value_and_timing_words_checked(book: Path) -> None:
    result = evaluate_json(book, period="2019-01")
    unknown = _issue(result, "unknown-status")
    assert unknown["count"] == 2
    assert [(v["value"], v["count"]) for v in unknown["values"]] == [("Hồ sơ lạ", 2)]
    assert "on_time" in unknown["values"][0]["figures"]
    contradiction = _issue(result, "status-contradicts-dates")
    assert contradiction["count"] == 1 and contradiction["samples"][0]["row"] == 8


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("Mới đăng ký", "not_received"),
        ("Chờ tiếp nhận", "not_received"),
        ("Được tiếp nhận", "pending"),
        ("Không được tiếp nhận", "refused"),
        ("Từ chối tiếp nhận", "refused"),
        ("Đang xử lý", "pending"),
        ("Yêu cầu bổ sung giấy tờ", "pending"),
        ("Yêu cầu thực hiện nghĩa vụ tài chính", "pending"),
        ("Công dân yêu cầu rút hồ sơ", "withdrawn"),
        ("Dừng xử lý", "stopped"),
        ("Dừng giải quyết", "stopped"),
        ("Tạm dừng xử lý", "pending"),
        ("Đã xử lý xong", "resolved"),
        ("Đã trả kết quả", "resolved"),
        ("Chuyển xử lý", "pending"),
        ("Chờ trả kết quả", "resolved"),
        ("Đã phát hành", "resolved"),
        ("Tạm dừng", "pending"),
        ("Trễ hạn", "timing_late"),
        ("Quá hạn", "timing_late"),
        ("Đúng hạn", "timing_in_time"),
        ("Trước hạn", "timing_in_time"),
        ("Hủy", "withdrawn"),
        ("Trả lại hồ sơ", "withdrawn"),
        ("Có kết quả", "resolved"),  # iGate's state once the result is signed
        ("Trả kết quả", "resolved"),
        ("Chưa có kết quả", "pending"),  # four words: longer than "có kết quả"
        ("Chưa trả kết quả", "pending"),
        ("Không biết", None),
    ],
)
def test_the_words_of_real_exports(text: str, meaning: str | None) -> None:
    assert status_meaning(text) == meaning
