"""Today's books: receiving unit and resolving agency, extensions of the time limit, digitisation.

Every figure below is counted by hand from the rows written in each test.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from helpers import evaluate_json, indicator, unit_entry, write_csv

from qms_cli import api
from qms_cli.results import to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "objectives-2026-ward.yaml"
CENTRE = "Trung tâm Phục vụ hành chính công phường Bình Tân"
ECONOMY = "Phòng Kinh tế, Hạ tầng và Đô thị phường Bình Tân"
SOCIAL = "Phòng Văn hóa - Xã hội phường Bình Tân"

BOTH = ["Mã hồ sơ", "Đơn vị tiếp nhận", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"]
BOTH_ROWS = [
    ["R-1", CENTRE, ECONOMY, "05/01/2026", "09/01/2026", "08/01/2026"],  # economy office, on time
    ["R-2", CENTRE, ECONOMY, "05/01/2026", "09/01/2026", "12/01/2026"],  # economy office, late
    ["R-3", CENTRE, SOCIAL, "06/01/2026", "12/01/2026", "12/01/2026"],  # social office, on time
    ["R-4", CENTRE, "Sở Tư pháp Thành phố Hồ Chí Minh", "06/01/2026", "12/01/2026", "14/01/2026"],  # outside, late
    ["R-5", CENTRE, "", "07/01/2026", "13/01/2026", "13/01/2026"],  # no resolver named: the centre, on time
]


def _run(folder: Path, objectives: Path, rules: dict[str, str] | None = None) -> dict:
    return json.loads(to_json(api.evaluate(paths=[folder], period="Q1-2026", objectives=objectives, rules=rules)))


def _figure(result: dict, ind: str, unit: str) -> tuple[int, int]:
    entry = unit_entry(result, ind, unit)
    return entry["numerator"], entry["denominator"]


def test_objective_1_on_the_resolving_agency_2_to_4_on_the_receiving_unit(tmp_path: Path) -> None:
    write_csv(tmp_path / "books" / "so-q1.csv", BOTH, BOTH_ROWS)
    result = _run(tmp_path / "books", EXAMPLE)
    receiving = {"basis": "receiving_unit"}
    assert result["scored_on"] == {
        "1": {"basis": "resolving_agency", "since": "2025-07-01"},
        "2": receiving,
        "3": receiving,
        "4": receiving,
        "5": receiving,
        "6": receiving,
    }
    assert _figure(result, "on_time", "phong-kinh-te-ha-tang-do-thi") == (1, 2)
    assert _figure(result, "on_time", "phong-van-hoa-xa-hoi") == (1, 1)
    # R-5 (no resolver named) and R-4 (a city department, outside the registry) stay with the centre.
    assert _figure(result, "on_time", "trung-tam-phuc-vu-hcc") == (1, 2)
    on_time = indicator(result, "on_time")
    assert (on_time["district"]["numerator"], on_time["district"]["denominator"]) == (3, 5)
    assert on_time["resolved_elsewhere"] == 1  # R-4, said beside the figure
    assert _figure(result, "supplement_rate", "trung-tam-phuc-vu-hcc") == (0, 5)  # received: all five
    (outside,) = [i for i in result["data_quality"]["issues"] if i["code"] == "resolver-outside-registry"]
    assert outside["count"] == 1


def test_scored_on_is_set_in_the_objectives_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "books" / "so-q1.csv", BOTH, BOTH_ROWS)
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["objectives"][0]["scored_on"] = "receiving_unit"
    objectives = tmp_path / "objectives.yaml"
    objectives.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _run(tmp_path / "books", objectives)
    assert result["scored_on"]["1"] == {"basis": "receiving_unit"}
    assert _figure(result, "on_time", "trung-tam-phuc-vu-hcc") == (3, 5)  # of all five
    assert "resolved_elsewhere" not in indicator(result, "on_time")


EXTENSION = ["Mã hồ sơ", "Đơn vị", "Ngày nhận", "Ngày hẹn trả", "Ngày hẹn trả mới", "Ngày phê duyệt gia hạn",
             "Ngày có kết quả"]  # fmt: skip
EXTENSION_ROWS = [
    ["E-1", CENTRE, "05/01/2026", "09/01/2026", "16/01/2026", "08/01/2026", "15/01/2026"],  # approved in time
    ["E-2", CENTRE, "05/01/2026", "09/01/2026", "16/01/2026", "12/01/2026", "15/01/2026"],  # approved too late
    ["E-3", CENTRE, "05/01/2026", "09/01/2026", "16/01/2026", "", "15/01/2026"],  # never approved
    ["E-4", CENTRE, "05/01/2026", "09/01/2026", "", "", "08/01/2026"],  # no extension, on time
]


def test_extension_rule(tmp_path: Path) -> None:
    write_csv(tmp_path / "books" / "so-gia-han.csv", EXTENSION, EXTENSION_ROWS)
    ignore = _run(tmp_path / "books", EXAMPLE)
    assert ignore["rules"]["extension"] == "ignore"
    assert _figure(ignore, "on_time", "trung-tam-phuc-vu-hcc") == (1, 4)  # E-4 only: the original dates
    accepted = _run(tmp_path / "books", EXAMPLE, {"extension": "accept_approved"})
    assert _figure(accepted, "on_time", "trung-tam-phuc-vu-hcc") == (2, 4)  # E-1 and E-4
    assert unit_entry(accepted, "on_time", "trung-tam-phuc-vu-hcc")["extended"] == 1
    assert "extension" in accepted["rules_overridden"]


def test_extension_without_an_approval_column_changes_nothing(tmp_path: Path) -> None:
    rows = [[r[0], r[1], r[2], r[3], r[4], r[6]] for r in EXTENSION_ROWS]
    header = [h for h in EXTENSION if h != "Ngày phê duyệt gia hạn"]
    write_csv(tmp_path / "books" / "so-gia-han.csv", header, rows)
    accepted = _run(tmp_path / "books", EXAMPLE, {"extension": "accept_approved"})
    assert _figure(accepted, "on_time", "trung-tam-phuc-vu-hcc") == (1, 4)


def test_digitisation_where_the_books_have_the_columns(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "an-lac.csv",
        ["Mã hồ sơ", "Đơn vị", "Ngày nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Số hóa hồ sơ", "Số hóa kết quả"],
        [
            ["AL-1", "Phường An Lạc", "04/03/2019", "08/03/2019", "07/03/2019", "x", "Có"],
            ["AL-2", "Phường An Lạc", "05/03/2019", "11/03/2019", "11/03/2019", "x", "Không"],
            ["AL-3", "Phường An Lạc", "06/03/2019", "12/03/2019", "", "", ""],
        ],
    )
    write_csv(
        tmp_path / "tu-phap.csv",
        ["Mã hồ sơ", "Đơn vị", "Ngày nhận", "Ngày hẹn trả"],
        [["TP-1", "Phòng Tư pháp", "04/03/2019", "08/03/2019"]],
    )
    digitised = evaluate_json(tmp_path, period="2019-03")["digitisation"]
    dossiers, results = digitised["dossiers"], digitised["results"]
    assert [(u["unit"], u["numerator"], u["denominator"]) for u in dossiers["units"]] == [("phuong-an-lac", 2, 3)]
    assert (dossiers["district"]["numerator"], dossiers["district"]["denominator"]) == (2, 3)  # Tư pháp: no column
    assert [(u["unit"], u["numerator"], u["denominator"]) for u in results["units"]] == [("phuong-an-lac", 1, 2)]


def test_no_digitisation_columns_no_figure(tmp_path: Path) -> None:
    write_csv(tmp_path / "tu-phap.csv", ["Mã hồ sơ", "Đơn vị", "Ngày nhận"], [["TP-1", "Phòng Tư pháp", "04/03/2019"]])
    digitised = evaluate_json(tmp_path, period="2019-03")["digitisation"]
    assert digitised["dossiers"]["district"] is None and digitised["dossiers"]["units"] == []


def test_before_the_2025_rules_objective_1_stays_on_the_receiving_unit(tmp_path: Path) -> None:
    """A 2019 Mẫu 06 book names the agency in charge ("Cơ quan chủ trì giải quyết"); by default the
    ward that kept the book is scored on it, as in 2019 (the resolving agency counts from 01/07/2025)."""
    header = ["Mã hồ sơ", "Đơn vị", "Cơ quan chủ trì giải quyết", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]
    rows = [
        ["T-1", "Phường Tân Tạo", "Phòng Tư pháp", "02/01/2019", "04/01/2019", "04/01/2019"],  # on time
        ["T-2", "Phường Tân Tạo", "Sở Tư pháp", "03/01/2019", "08/01/2019", "09/01/2019"],  # late
    ]
    write_csv(tmp_path / "so.csv", header, rows)
    result = evaluate_json(tmp_path / "so.csv", period="2019-01")
    assert _figure(result, "on_time", "phuong-tan-tao") == (1, 2)
    assert _figure(result, "on_time", "phong-tu-phap") == (0, 0)
    assert "resolved_elsewhere" not in indicator(result, "on_time")
