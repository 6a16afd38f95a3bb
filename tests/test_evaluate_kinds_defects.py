"""Counting defects found by an independent check, and the mutations they let survive: each test below is
worked out by hand on its own small fixture (dates 2017-2019; all names fake)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import evaluate_json, indicator, unit_entry, write_csv, write_xlsx
from typer.testing import CliRunner

from qms_cli import api
from qms_cli.cli import app
from qms_cli.config import load_objectives
from qms_cli.messages import reason
from qms_cli.results import to_json

BOOK = ["Mã hồ sơ", "Trạng thái", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp", "Mức độ"]


def _row(code: str, received: str, level: str = "3", status: str = "") -> list[str]:
    """A dossier received on `received` (dd/mm/yyyy), online at `level` ("" = in person), done on time."""
    d = date(int(received[6:]), int(received[3:5]), int(received[:2]))
    channel = "Trực tuyến" if level else "Trực tiếp"
    return [code, status, received, "", d.strftime("%d/%m/%Y"), channel, level]


def _counts(entry: dict[str, Any]) -> tuple[int, int]:
    return entry["numerator"], entry["denominator"]


# -- L3 growth under the Decree 09/2019 cut-offs -------------------------------------------------------------


def test_decree_l3_baseline_is_the_same_period_a_year_earlier(tmp_path: Path) -> None:
    # H1-2019 under Decree 09 = 15/12/2018-14/06/2019; its baseline H1-2018 = 15/12/2017-14/06/2018.
    rows = [
        _row("G1", "15/12/2018"),  # the first day of the period: counted
        _row("G2", "10/03/2019"),
        _row("G3", "14/06/2019"),  # the last day: counted
        _row("G4", "20/06/2019"),  # after 14/06: out
        _row("K1", "15/12/2017"),  # the first day of the baseline: counted
        _row("K2", "12/02/2018"),
        _row("K4", "15/06/2018"),  # after 14/06/2018: out
        _row("K5", "12/03/2018", status="Từ chối tiếp nhận"),  # refused: never received, not in the baseline
        # In person: with K2 they give every whole month of the baseline (Jan-May 2018) its exports.
        *(_row(f"F{m}", f"10/0{m}/2018", level="") for m in (1, 3, 4, 5)),
    ]
    path = write_csv(tmp_path / "phuong-tan-tao.csv", BOOK, rows)
    result = evaluate_json(path, period="H1-2019", rules={"period_cutoff": "decree-09-2019"})
    growth = indicator(result, "online_l3_growth")
    assert growth["baseline"]["period"] == {"label": "H1-2018", "start": "2017-12-15", "end": "2018-06-14"}
    assert growth["baseline"]["source"] == "exports"
    entry = unit_entry(result, "online_l3_growth", "phuong-tan-tao")
    assert _counts(entry) == (3, 2)  # G1 G2 G3 over K1 K2
    assert entry["value"] == pytest.approx(0.5)


# -- L3 growth from Biểu 06a tables only ---------------------------------------------------------------------

GROUP = ["Số hồ sơ nhận giải quyết", None, None, None, "Kết quả giải quyết", None, None, None]
GROUP += ["Số hồ sơ đang giải quyết", None, None, "Trực tuyến mức độ 3"]
SUB = ["Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số", "Trước hạn"]
SUB += ["Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn", None]


def _table(path: Path, title: str, l3: tuple[int, int]) -> Path:
    rows = [
        ["BIỂU 06a"],
        [title],
        [],
        ["STT", "Đơn vị", *GROUP],
        [None, None, *SUB],
        [1, "UBND phường Tân Tạo", 40, 30, 10, 0, 40, 30, 10, 0, 0, 0, 0, l3[0]],
        [2, "UBND phường An Lạc", 30, 20, 10, 0, 30, 20, 10, 0, 0, 0, 0, l3[1]],
    ]
    return write_xlsx(path, rows, merges=[(3, 2, 3, 5, GROUP[0]), (3, 6, 3, 9, GROUP[4]), (3, 10, 3, 12, GROUP[8])])


def test_l3_growth_from_summary_tables_alone(tmp_path: Path) -> None:
    _table(tmp_path / "bieu-2019.xlsx", "6 tháng đầu năm 2019", (30, 20))
    _table(tmp_path / "bieu-2018.xlsx", "6 tháng đầu năm 2018", (20, 20))
    result = evaluate_json(tmp_path, period="H1-2019")
    district = indicator(result, "online_l3_growth")["district"]
    assert _counts(district) == (50, 40) and district["value"] == pytest.approx(0.25)  # 50 / 40 - 1
    assert unit_entry(result, "online_l3_growth", "phuong-tan-tao")["value"] == pytest.approx(0.5)  # 30/20 - 1
    assert unit_entry(result, "online_l3_growth", "phuong-an-lac")["value"] == pytest.approx(0.0)


# -- A few carry-over dossiers do not make a baseline --------------------------------------------------------


def _objectives_with_baseline(tmp_path: Path) -> Path:
    shipped = load_objectives(None).path.read_text(encoding="utf-8")
    assert shipped.count("baseline: {}") == 1
    path = tmp_path / "objectives.yaml"
    path.write_text(shipped.replace("baseline: {}", 'baseline: {"2018": {district: 100, phuong-tan-tao: 100}}'))
    return path


def test_carry_over_dossiers_do_not_replace_the_baseline_of_objectives_yaml(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rows = [
        _row("L1", "11/02/2019"),
        _row("L2", "11/03/2019"),
        _row("L3", "10/04/2019"),
        _row("C1", "20/12/2018"),  # carried over from December 2018: December alone does not cover 2018
        _row("C2", "27/12/2018"),
    ]
    write_csv(data / "phuong-tan-tao.csv", BOOK, rows)
    objectives = _objectives_with_baseline(tmp_path)
    result = json.loads(to_json(api.evaluate(paths=[data], period="2019", objectives=objectives)))
    growth = indicator(result, "online_l3_growth")
    assert growth["baseline"]["source"] == "objectives.yaml"
    entry = unit_entry(result, "online_l3_growth", "phuong-tan-tao")
    assert _counts(entry) == (3, 100) and entry["value"] == pytest.approx(-0.97)  # 3 / 100 - 1
    assert _counts(growth["district"]) == (3, 100)
    # --format csv: a negative figure is a number, not text guarded against formulas.
    out = CliRunner().invoke(
        app, ["evaluate", str(data), "--period", "2019", "--objectives", str(objectives), "--format", "csv"]
    )
    assert out.exit_code in (0, 1), out.output
    rows_out = list(csv.DictReader(io.StringIO(out.stdout)))
    district = next(r for r in rows_out if r["indicator"] == "online_l3_growth" and r["unit"] == "")
    assert float(district["value"]) == pytest.approx(-0.97)


# -- Inspections: the year to date ---------------------------------------------------------------------------

INSPECTIONS = ["Ngày kiểm tra", "Đơn vị được kiểm tra", "Hình thức"]


def test_inspections_under_the_decree_count_from_15_december(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "kiem-tra.csv",
        INSPECTIONS,
        [["20/12/2018", "Phòng Tư pháp", "Định kỳ"], ["10/03/2019", "Phòng Y tế", "Định kỳ"]],
    )
    ind = indicator(
        evaluate_json(path, period="H1-2019", rules={"period_cutoff": "decree-09-2019"}), "inspection_coverage"
    )
    assert ind["counted_from"] == "2018-12-15"
    assert ind["units_inspected"] == ["phong-tu-phap", "phong-y-te"]


def test_inspections_count_from_the_start_of_the_year_not_of_the_period(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "kiem-tra.csv",
        INSPECTIONS,
        [["10/03/2019", "Phòng Tư pháp", "Định kỳ"], ["20/08/2019", "Phòng Y tế", "Định kỳ"]],
    )
    ind = indicator(evaluate_json(path, period="H2-2019"), "inspection_coverage")
    assert ind["counted_from"] == "2019-01-01"
    assert ind["district"]["numerator"] == 2  # March counts for H2: objective 6 is cumulative over the year


# -- A unit that received nothing ----------------------------------------------------------------------------


def test_a_unit_that_received_nothing_says_so(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "phuong-tan-tao.csv", BOOK, [_row("N1", "10/01/2019", level="")])
    result = evaluate_json(path, period="2019-02")  # the book has the channel column; nothing in February
    entry = unit_entry(result, "postal_in_share", "phuong-tan-tao")
    assert entry["status"] == "no_data"
    assert entry["reason"] == reason("no_dossiers", "vi")


# -- Boundaries of objective 1 and of the 06a output ---------------------------------------------------------

DATES = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả"]
JULY = [  # period 2019-07: Monday 1 July - Wednesday 31 July 2019
    ["P1", "26/07/2019", "31/07/2019", "", ""],  # pending on 31/07, due that day: within time
    ["P2", "02/07/2019", "09/07/2019", "", "08/07/2019"],  # no result date: completed when returned, on time
    ["P3", "15/07/2019", "22/07/2019", "05/08/2019", ""],  # completed after July: pending and overdue on 31/07
    ["P4", "01/07/2019", "08/07/2019", "05/07/2019", "05/07/2019"],  # received on the first day
    ["P5", "24/06/2019", "01/07/2019", "01/07/2019", "01/07/2019"],  # completed on the first day, on time
]


@pytest.fixture
def july(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "phuong-tan-tao.csv", DATES, JULY)


def test_objective_1_boundaries(july: Path) -> None:
    resolved = unit_entry(evaluate_json(july, period="2019-07"), "on_time", "phuong-tan-tao")
    assert _counts(resolved) == (3, 3)  # completed in July: P2 (returned 08/07), P4 (05/07), P5 (01/07)
    overdue = evaluate_json(july, period="2019-07", rules={"on_time_denominator": "resolved_and_overdue"})
    # + P3 (completed in August, due 22/07 < 31/07); not P1 (due 31/07 is not before the last day).
    assert _counts(unit_entry(overdue, "on_time", "phuong-tan-tao")) == (3, 4)


def test_received_on_the_first_day_counts(july: Path) -> None:
    entry = unit_entry(evaluate_json(july, period="2019-07"), "supplement_rate", "phuong-tan-tao")
    assert entry["status"] == "no_data"  # no supplementation column; its denominator is still counted
    form = CliRunner().invoke(app, ["evaluate", str(july), "--period", "2019-07", "--format", "06a"])
    line = next(r for r in csv.reader(io.StringIO(form.stdout)) if len(r) > 1 and r[1] == "UBND phường Tân Tạo")
    figures = [int(x) for x in line[2:13]]  # columns (3)..(13)
    # (4)+(5) received in July: P1 P2 P3 P4 = 4 (P5 in June, carried: (6) = 1); (3) = 5.
    assert figures[0] == 5 and figures[1] + figures[2] == 4 and figures[3] == 1
    # (11)-(13) pending on 31/07: P1 within time (due 31/07), P3 overdue (due 22/07).
    assert figures[8:11] == [2, 1, 1]


# -- Ratings and working days --------------------------------------------------------------------------------


def test_three_stars_are_not_satisfied(tmp_path: Path) -> None:
    answers = write_csv(
        tmp_path / "khao-sat.csv",
        ["Đơn vị", "Ngày", "Mức độ hài lòng"],
        [["phuong-tan-tao", "05/03/2019", a] for a in ("5 sao", "4", "★★★", "3 sao", "3")],
    )
    counts = write_csv(
        tmp_path / "khao-sat-so-luong.csv",
        ["Đơn vị", "Ngày", "5 sao", "4 sao", "3 sao"],
        [["phuong-an-lac", "05/03/2019", "10", "5", "7"]],
    )
    result = evaluate_json(answers, counts, period="2019-03")
    assert _counts(unit_entry(result, "satisfaction", "phuong-tan-tao")) == (2, 5)  # 5 sao, 4
    assert _counts(unit_entry(result, "satisfaction", "phuong-an-lac")) == (15, 22)  # 10 + 5 of 22


def test_a_time_limit_from_a_day_off_counts_from_the_next_working_day(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "danh-muc.csv",
        ["Mã thủ tục", "Tên thủ tục", "Mức độ", "Thời hạn giải quyết", "Năm áp dụng"],
        [["1.001", "Đăng ký khai sinh", "3", "3", "2019"]],
    )
    # Received on Sunday 13 January 2019: three working days are Mon 14, Tue 15, Wed 16; ready Thu 17: late.
    write_csv(
        tmp_path / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Tên thủ tục", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["S1", "Đăng ký khai sinh", "13/01/2019", "", "17/01/2019"]],
    )
    result = evaluate_json(tmp_path, period="2019-01")
    computed = next(i for i in result["data_quality"]["issues"] if i["code"] == "due-computed")
    assert computed["samples"][0]["value"] == "2019-01-16"
    assert _counts(unit_entry(result, "on_time", "phuong-tan-tao")) == (0, 1)
