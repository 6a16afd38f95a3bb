"""Units with validity dates (spec/units.md): the 2025 reorganisation of Bình Tân's wards as data.

The default registry ends the district's 26 units on 30/06/2025 and begins five wards on 01/07/2025,
three of which wear an old ward's name (An Lạc, Bình Trị Đông, Bình Hưng Hòa, Tân Tạo) and one a
new name, Bình Tân, that must not be taken for "quận Bình Tân". Figures below are counted by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from helpers import evaluate_json, indicator, unit_entry, write_csv

from qms_cli import api
from qms_cli.config import load_objectives
from qms_cli.units import UnitMatcher

SPEC = load_objectives().spec
HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày nhận", "Ngày hẹn trả", "Ngày trả kết quả"]


@pytest.fixture(scope="module")
def matcher() -> UnitMatcher:
    return UnitMatcher(SPEC.units)


def test_registry_of_a_period() -> None:
    assert len(SPEC.units_between(date(2019, 1, 1), date(2019, 12, 31))) == 26
    assert [u.slug for u in SPEC.units_between(date(2026, 1, 1), date(2026, 12, 31))] == [
        "phuong-an-lac-2025",
        "phuong-binh-tan",
        "phuong-binh-tri-dong-2025",
        "phuong-binh-hung-hoa-2025",
        "phuong-tan-tao-2025",
    ]
    assert len(SPEC.units_between(date(2025, 6, 30), date(2025, 7, 1))) == 31


def test_ward_binh_tan_is_not_the_district(matcher: UnitMatcher) -> None:
    assert matcher.in_cell("Bình Tân") == "phuong-binh-tan"
    assert matcher.in_cell("UBND phường Bình Tân") == "phuong-binh-tan"
    assert matcher.in_cell("P. Bình Tân") == "phuong-binh-tan"
    assert matcher.in_cell("quận Bình Tân") is None
    assert matcher.in_cell("UBND quận Bình Tân") is None
    assert matcher.find_in("Sổ theo dõi hồ sơ - Ủy ban nhân dân quận Bình Tân") is None
    assert matcher.find_in("BINH TAN quan", full_names_only=False) == "phuong-binh-tan"  # no type word before it
    assert matcher.in_cell("VPĐKĐĐ quận Bình Tân") is None  # the district's branch named loosely: not the ward
    assert matcher.in_cell("Chi nhánh Văn phòng đăng ký đất đai quận Bình Tân") == "chi-nhanh-vp-dang-ky-dat-dai"


def test_a_name_worn_by_turns_goes_to_the_unit_of_the_day(matcher: UnitMatcher) -> None:
    old, new, a = (matcher.slugs.index(s) for s in ("phuong-an-lac", "phuong-an-lac-2025", "phuong-an-lac-a"))
    assert matcher.in_cell("Phường An Lạc") == "phuong-an-lac"  # the name alone: the first wearer
    days = np.array(["2025-06-30", "2025-07-01", "NaT", "2025-07-01", "2019-03-01"], dtype="datetime64[s]")
    codes = np.array([old, old, old, a, new])
    assert matcher.on_dates(codes, days).tolist() == [old, new, old, -1, old]  # the name of 2019: the old ward
    assert matcher.at("phuong-tan-tao", date(2026, 2, 1)) == "phuong-tan-tao-2025"
    assert matcher.at("phuong-tan-tao-a", date(2026, 2, 1)) is None


ROWS = [  # the ward An Lạc before and after 01/07/2025; An Lạc A after it no longer exists
    ["AL-01", "Phường An Lạc", "02/06/2025", "10/06/2025", "09/06/2025"],  # old ward, on time
    ["AL-02", "Phường An Lạc", "03/06/2025", "11/06/2025", "12/06/2025"],  # old ward, late
    ["AL-03", "Phường An Lạc", "01/07/2025", "08/07/2025", "07/07/2025"],  # new ward, on time
    ["AL-04", "UBND phường An Lạc", "15/07/2025", "22/07/2025", "22/07/2025"],  # new ward, on time
    ["ALA-9", "Phường An Lạc A", "04/08/2025", "11/08/2025", "11/08/2025"],  # no such ward then: rejected
]


def test_dossiers_belong_to_the_units_of_their_dates(tmp_path: Path) -> None:
    book = write_csv(tmp_path / "so-an-lac.csv", HEADER, ROWS)
    result = evaluate_json(book, period="2025-06-01..2025-08-31")
    on_time = indicator(result, "on_time")
    assert len(on_time["units"]) == 31  # 26 units until 30/06, 5 wards from 01/07: never merged
    old = unit_entry(result, "on_time", "phuong-an-lac")
    new = unit_entry(result, "on_time", "phuong-an-lac-2025")
    assert (old["numerator"], old["denominator"]) == (1, 2)
    assert (new["numerator"], new["denominator"]) == (2, 2)
    assert old["name"] == "UBND phường An Lạc (đến 30/06/2025)"
    assert new["name"] == "UBND phường An Lạc (từ 01/07/2025)"
    assert (on_time["district"]["numerator"], on_time["district"]["denominator"]) == (3, 4)
    (report,) = result["data_quality"]["files"]
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (5, 4, 1)
    (issue,) = [i for i in result["data_quality"]["issues"] if i["code"] == "unit-not-valid-on-date"]
    assert issue["count"] == 1 and issue["samples"][0]["row"] == 6
    # Missing submissions: June, the 25 old units without a book; July and August, the 4 new wards
    # other than An Lạc, and all five in August. No old unit is asked for a month after it ended.
    missing = result["data_quality"]["missing_submissions"]
    assert len([m for m in missing if m["month"] == "2025-06"]) == 25
    assert sorted(m["unit"] for m in missing if m["month"] == "2025-07") == [
        "phuong-binh-hung-hoa-2025",
        "phuong-binh-tan",
        "phuong-binh-tri-dong-2025",
        "phuong-tan-tao-2025",
    ]
    assert len(missing) == 25 + 4 + 5  # August: An Lạc too (its only August row is the rejected one)


def test_the_change_is_said_with_its_crosswalk(tmp_path: Path) -> None:
    book = write_csv(tmp_path / "so-an-lac.csv", HEADER, ROWS)
    (change,) = evaluate_json(book, period="2025")["unit_changes"]
    assert change["date"] == "2025-07-01"
    assert len(change["ended"]) == 26 and len(change["began"]) == 5
    began = {b["unit"]: b for b in change["began"]}
    assert began["phuong-an-lac-2025"]["comparable"] is True  # An Lạc, An Lạc A, Bình Trị Đông B wholly
    assert began["phuong-binh-tan"]["comparable"] is False
    assert [(x["unit"], x["part"]) for x in began["phuong-binh-tan"]["formed_from"]] == [
        ("phuong-binh-hung-hoa-b", "whole"),
        ("phuong-binh-tri-dong-a", "partial"),
        ("phuong-tan-tao", "partial"),
    ]
    outside = began["phuong-binh-hung-hoa-2025"]["formed_from"][-1]
    assert (outside["unit"], outside["part"]) == (None, "partial") and "Sơn Kỳ" in outside["name"]
    assert evaluate_json(book, period="H1-2025")["unit_changes"] == []
    assert [c["date"] for c in evaluate_json(book, period="H2-2025")["unit_changes"]] == ["2025-07-01"]


def test_a_trend_across_the_change_shows_the_break(tmp_path: Path) -> None:
    book = write_csv(tmp_path / "so-an-lac.csv", HEADER, ROWS[:4])
    report = api.report(period="2025-06-01..2025-07-31", data=[book], formats=["json"], output_dir=tmp_path / "out")
    chart = report.report["trend"]["on_time"]
    assert chart["breaks"] == ["2025-07"]
    june, july = chart["points"]
    assert (june["numerator"], june["denominator"], june["centre"]) == (1, 2, 0.5)
    assert (july["numerator"], july["denominator"], july["centre"]) == (2, 2, 1.0)  # its own centre line


def test_period_denominators_use_the_units_valid_then(tmp_path: Path) -> None:
    register = write_csv(
        tmp_path / "so-kiem-tra.csv",
        ["Ngày kiểm tra", "Đơn vị được kiểm tra", "Hình thức"],
        [["10/03/2026", "Phường Tân Tạo", "Định kỳ"], ["12/03/2026", "Phường Bình Tân", "Đột xuất"]],
    )
    coverage = indicator(evaluate_json(register, period="2026"), "inspection_coverage")
    assert (coverage["district"]["numerator"], coverage["district"]["denominator"]) == (2, 5)
    assert coverage["units_inspected"] == ["phuong-binh-tan", "phuong-tan-tao-2025"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("UBND phường An Lạc", "phuong-an-lac"),
        ("An Lạc A", "phuong-an-lac-a"),
        ("AN LAC A", "phuong-an-lac-a"),
        ("P. Bình Trị Đông", "phuong-binh-tri-dong"),
        ("Bình Trị Đông B", "phuong-binh-tri-dong-b"),
        ("Ủy ban nhân dân phường Tân Tạo", "phuong-tan-tao"),
        ("Phòng TN-MT", "phong-tai-nguyen-moi-truong"),
        ("UBND quận Bình Tân", None),
    ],
)
def test_unit_names(text: str, slug: str | None) -> None:
    matcher = UnitMatcher(load_objectives().spec.units)
    assert matcher.exact(text) == slug


def test_unit_in_longer_text_takes_the_longest_name() -> None:
    matcher = UnitMatcher(load_objectives().spec.units)
    assert matcher.find_in("SỔ THEO DÕI HỒ SƠ - UBND PHƯỜNG AN LẠC A") == "phuong-an-lac-a"
    assert matcher.find_in("so-theo-doi_an-lac_2019-03") == "phuong-an-lac"


def test_unit_names_without_spaces() -> None:
    matcher = UnitMatcher(load_objectives().spec.units)
    assert matcher.find_in("AnLacA_T1_2019") == "phuong-an-lac-a"
    assert matcher.find_in("binhtridong-2019") == "phuong-binh-tri-dong"
