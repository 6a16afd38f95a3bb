"""The QĐ 766 index as an input kind: components found by their names, never by position or code.

The fixture is a made-up portal export: columns in an unusual order, a two-row header whose upper
row carries codes, a column headed by a code alone, a ward outside the registry, a score above its
component's maximum, a total that is not the sum of its parts. Figures are worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import evaluate_json, write_csv, write_xlsx

from qms_cli import api
from qms_cli.read.service_index import period_of, score_of

TITLE = "KẾT QUẢ BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766/QĐ-TTg)"
CODES = [None, "MDSH", "TTTT", None, "CKMB", "MDHL", "TDGQ", "DVCTT", None, "TONG_SCORE"]
NAMES = [
    "Đơn vị",
    "Số hóa hồ sơ (22 điểm)",
    "Thanh toán trực tuyến (10 điểm)",
    "Kỳ đánh giá",
    "Công khai, minh bạch (18 điểm)",
    "Mức độ hài lòng (18 điểm)",
    "Tiến độ giải quyết (20 điểm)",
    "Dịch vụ công trực tuyến (12 điểm)",
    "TTTT",  # a code alone: which component? users mix them up, so it is reported, not read
    "Tổng điểm",
]
ROWS = [
    ["Phường An Lạc", "20,25", "8", "Quý I/2026", "16,5", "17", "18", "10", "7", "89,75"],
    ["Phường Bình Tân", "18", "7", "Quý I/2026", "15", "16", "17", "9", "7", "80"],  # parts add up to 82
    ["Phường Tân Định", "21", "9", "Quý I/2026", "17", "17", "19", "11", "7", "94"],  # not in the registry
    ["Phường Tân Tạo", "20", "9", "Quý I/2026", "19", "17", "19", "11", "7", "95"],  # 19 > 18: rejected
    ["Phường An Lạc", "21", "9", "Tháng 3/2026", "17", "18", "19", "11", "7", "95"],
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "chi-so-766-quy-1-2026.xlsx", [[TITLE], [], CODES, NAMES, *ROWS])


def test_periods_and_scores_as_written() -> None:
    assert score_of("20,25") == 20.25 and score_of("15.5") == 15.5 and score_of("—") != score_of("—")
    assert [d.isoformat() for d in period_of("Quý I/2026") or ()] == ["2026-01-01", "2026-03-31"]
    assert [d.isoformat() for d in period_of("Tháng 3/2026") or ()] == ["2026-03-01", "2026-03-31"]
    assert [d.isoformat() for d in period_of("6 tháng đầu năm 2026") or ()] == ["2026-01-01", "2026-06-30"]
    assert [d.isoformat() for d in period_of("Năm 2025") or ()] == ["2025-01-01", "2025-12-31"]
    assert [d.isoformat() for d in period_of("2025") or ()] == ["2025-01-01", "2025-12-31"]
    assert period_of("chưa rõ") is None


def test_index_rows_accounted_for(export: Path) -> None:
    quality = api.validate(paths=[export]).data_quality
    (report,) = quality.files
    assert report.kind == "service_index"
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (5, 3, 1, 1)
    codes = {i.code: i for i in quality.issues}
    assert codes["index-score-out-of-range"].samples[0].value == "19"
    assert codes["index-unit-outside-registry"].samples[0].value == "Phường Tân Định"
    assert codes["index-component-unnamed"].samples[0].value == "TTTT"
    assert codes["index-total-mismatch"].count == 1  # Bình Tân: 18+7+15+16+17+9 = 82, not 80


def test_index_beside_the_objectives(export: Path) -> None:
    index = evaluate_json(export, period="Q1-2026")["service_index"]
    assert [c["max"] for c in index["components"]] == [18, 20, 12, 10, 18, 22]
    assert index["beside"] == {"1": "progress", "3": "online", "5": "satisfaction"}
    an_lac, binh_tan = index["units"]
    assert (an_lac["unit"], an_lac["period"]["label"]) == ("phuong-an-lac-2025", "Q1-2026")  # Q1 over March
    assert an_lac["scores"] == {
        "transparency": 16.5,
        "progress": 18.0,
        "online": 10.0,
        "payment": 8.0,
        "satisfaction": 17.0,
        "digitisation": 20.25,
    }
    assert (an_lac["total"], an_lac["total_of_components"]) == (89.75, 89.75)
    assert (binh_tan["unit"], binh_tan["total"], binh_tan["total_of_components"]) == ("phuong-binh-tan", 80.0, 82.0)
    assert [(r["unit"], r["period"]["label"]) for r in index["rows"]] == [
        ("phuong-an-lac-2025", "Q1-2026"),
        ("phuong-an-lac-2025", "2026-03"),
        ("phuong-binh-tan", "Q1-2026"),
    ]
    assert evaluate_json(export, period="2025")["service_index"]["units"] == []  # another period's scores


def test_period_from_the_title_and_a_csv(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "chi-so-766-nam-2025.csv",
        ["Tên đơn vị", "Tiến độ giải quyết", "Mức độ hài lòng", "Thanh toán trực tuyến"],
        [["UBND phường Bình Trị Đông", "19,5", "17,25", "9"]],
    )
    (unit,) = evaluate_json(path, period="2025")["service_index"]["units"]
    assert (unit["unit"], unit["period"]["label"]) == ("phuong-binh-tri-dong-2025", "2025")
    assert unit["scores"]["progress"] == 19.5 and unit["scores"]["online"] is None
    assert unit["total"] is None and unit["total_of_components"] is None
