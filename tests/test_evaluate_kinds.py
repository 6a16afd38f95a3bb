"""Every counting rule of spec/metrics.md on a small book whose figures were worked out by hand.

Unit phuong-an-lac (CSV), period H1-2019 (1 Jan - 30 Jun 2019):

id   received    due         ready       returned    in      lvl out     suppl status
A1   02/01/2019  10/01/2019  09/01/2019  10/01/2019  direct      direct  no
A2   03/01/2019  10/01/2019  10/01/2019  11/01/2019  postal      postal  yes
A3   04/01/2019  10/01/2019  14/01/2019  14/01/2019  online  3   direct  no
A4   05/06/2019  20/06/2019  -           -           online  4           no    Đang giải quyết
A5   10/06/2019  05/07/2019  -           -           direct              no
A6   01/02/2019  -           05/02/2019  06/02/2019  direct      postal  no
A7   01/03/2019  08/03/2019  07/03/2019  07/03/2019  direct      direct  no    Xin rút hồ sơ
A8   01/03/2019  08/03/2019  04/03/2019  04/03/2019  direct      direct  no    Từ chối giải quyết
A9   20/12/2018  03/01/2019  02/01/2019  03/01/2019  online  3   direct  no
A10  25/06/2019  05/07/2019  03/07/2019  04/07/2019  direct      direct  no
A13  15/05/2019  22/05/2019  29/05/2019  30/05/2019  direct      direct  no
A11  15/03/2018  22/03/2018  20/03/2018  21/03/2018  online  3   direct  no
A12  20/04/2018  27/04/2018  25/04/2018  26/04/2018  online  3   direct  no

Unit phuong-an-lac-a (xlsx, official layout): B1 received 02/01, due 05/01 (a make-up Saturday),
ready 04/01; B2 received 03/01, due 06/01 (a Sunday), ready 07/01 (late).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import evaluate_json, indicator, unit_entry, write_csv, write_xlsx

HEADER = [
    "Mã hồ sơ",
    "Ngày nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Ngày trả",
    "Hình thức nộp",
    "Mức độ",
    "Hình thức trả",
    "Bổ sung",
    "Trạng thái",
]
ROWS = [
    ["A1", "02/01/2019", "10/01/2019", "09/01/2019", "10/01/2019", "Trực tiếp", "", "Trực tiếp", "Không", ""],
    ["A2", "03/01/2019", "10/01/2019", "10/01/2019", "11/01/2019", "Bưu chính", "", "Bưu chính", "Có", ""],
    ["A3", "04/01/2019", "10/01/2019", "14/01/2019", "14/01/2019", "Trực tuyến", "3", "Trực tiếp", "Không", ""],
    ["A4", "05/06/2019", "20/06/2019", "", "", "Trực tuyến", "4", "", "Không", "Đang giải quyết"],
    ["A5", "10/06/2019", "05/07/2019", "", "", "Trực tiếp", "", "", "Không", ""],
    ["A6", "01/02/2019", "", "05/02/2019", "06/02/2019", "Trực tiếp", "", "Bưu chính", "Không", ""],
    [
        "A7",
        "01/03/2019",
        "08/03/2019",
        "07/03/2019",
        "07/03/2019",
        "Trực tiếp",
        "",
        "Trực tiếp",
        "Không",
        "Xin rút hồ sơ",
    ],
    [
        "A8",
        "01/03/2019",
        "08/03/2019",
        "04/03/2019",
        "04/03/2019",
        "Trực tiếp",
        "",
        "Trực tiếp",
        "Không",
        "Từ chối giải quyết",
    ],
    ["A9", "20/12/2018", "03/01/2019", "02/01/2019", "03/01/2019", "Trực tuyến", "3", "Trực tiếp", "Không", ""],
    ["A10", "25/06/2019", "05/07/2019", "03/07/2019", "04/07/2019", "Trực tiếp", "", "Trực tiếp", "Không", ""],
    ["A13", "15/05/2019", "22/05/2019", "29/05/2019", "30/05/2019", "Trực tiếp", "", "Trực tiếp", "Không", ""],
    ["A11", "15/03/2018", "22/03/2018", "20/03/2018", "21/03/2018", "Trực tuyến", "3", "Trực tiếp", "Không", ""],
    ["A12", "20/04/2018", "27/04/2018", "25/04/2018", "26/04/2018", "Trực tuyến", "3", "Trực tiếp", "Không", ""],
]

ROWS_2018 = [  # appointments on working days (Monday, Tuesday)
    [f"Z{m}", recv, due, ready, due, "Trực tiếp", "", "Trực tiếp", "Không", ""]
    for m, recv, due, ready in (
        (1, "08/01/2018", "15/01/2018", "12/01/2018"),
        (2, "01/02/2018", "06/02/2018", "05/02/2018"),
        (5, "07/05/2018", "14/05/2018", "11/05/2018"),
        (6, "04/06/2018", "11/06/2018", "08/06/2018"),
    )
]


@pytest.fixture()
def books(tmp_path: Path) -> Path:
    write_csv(tmp_path / "phuong-an-lac" / "so-2019.csv", HEADER, ROWS)
    # The 2018 exports of An Lạc: with A11 and A12 (March, April) they cover every month of H1-2018, so
    # the L3 baseline comes from the exports (docs/counting.md); none of these four is online.
    write_csv(tmp_path / "phuong-an-lac" / "so-2018.csv", HEADER, ROWS_2018)
    write_xlsx(
        tmp_path / "an-lac-a.xlsx",
        [
            ["UBND PHƯỜNG AN LẠC A"],
            [],
            ["STT", "Mã hồ sơ", "Ngày, tháng, năm", None, None, "Hình thức nộp", "Hình thức trả kết quả"],
            [None, None, "Nhận hồ sơ", "Hẹn trả kết quả", "Nhận kết quả từ cơ quan giải quyết"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
            [1, "B1", date(2019, 1, 2), date(2019, 1, 5), date(2019, 1, 4), "Trực tiếp", "Trực tiếp"],
            [2, "B2", date(2019, 1, 3), date(2019, 1, 6), date(2019, 1, 7), "Trực tiếp", "Trực tiếp"],
        ],
        merges=[(2, 2, 2, 4, "Ngày, tháng, năm")],
    )
    return tmp_path


def counts(entry: dict) -> tuple[int, int]:
    return entry["numerator"], entry["denominator"]


def test_on_time_resolved_default(books: Path) -> None:
    result = evaluate_json(books)
    a = unit_entry(result, "on_time", "phuong-an-lac")
    assert counts(a) == (3, 5)  # A1, A2, A9 of A1, A2, A3, A9, A13
    assert a["missing_due"] == 1  # A6
    assert a["value"] == pytest.approx(0.6)
    assert a["status"] == "not_met"
    b = unit_entry(result, "on_time", "phuong-an-lac-a")
    assert counts(b) == (1, 2)
    district = indicator(result, "on_time")["district"]
    assert counts(district) == (4, 7)  # sums of numerators over sums of denominators
    assert district["value"] == pytest.approx(4 / 7)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("on_time_denominator=resolved_and_overdue", (3, 6)),  # + A4, pending and overdue on 30/06
        ("on_time_denominator=due", (3, 6)),  # due in P: A1 A2 A3 A4 A9 A13
        ("on_time_denominator=received", (3, 7)),  # A1 A2 A3 A4 A5 A10 A13; on time A1 A2 A10
        ("withdrawn_count_as_on_time=true", (4, 6)),  # + A7
        ("completion=returned", (2, 5)),  # A1 (10/01) and A9 (03/01) only
    ],
)
def test_on_time_rules(books: Path, rule: str, expected: tuple[int, int]) -> None:
    key, _, value = rule.partition("=")
    result = evaluate_json(books, rules={key: value})
    assert counts(unit_entry(result, "on_time", "phuong-an-lac")) == expected
    assert result["rules_overridden"] == [key]


def test_received_shares(books: Path) -> None:
    result = evaluate_json(books)
    # Received in P, refused left out: A1-A7, A10, A13 = 9.
    assert counts(unit_entry(result, "supplement_rate", "phuong-an-lac")) == (1, 9)  # A2
    assert counts(unit_entry(result, "online_l4_share", "phuong-an-lac")) == (1, 9)  # A4
    assert counts(unit_entry(result, "postal_in_share", "phuong-an-lac")) == (1, 9)  # A2
    assert unit_entry(result, "supplement_rate", "phuong-an-lac")["status"] == "not_met"  # 11.1 % > 10 %


def test_postal_out_counts_returned_in_period(books: Path) -> None:
    result = evaluate_json(books)
    # Returned in P: A1 A2 A3 A6 A7 A8 A9 A13; by post: A2 A6.
    entry = unit_entry(result, "postal_out_share", "phuong-an-lac")
    assert counts(entry) == (2, 8)
    assert entry["status"] == "met"
    # The official-layout book has a return-channel column but no return date: nothing returned.
    assert counts(unit_entry(result, "postal_out_share", "phuong-an-lac-a")) == (0, 0)


def test_online_l3_growth_from_2018_exports(books: Path) -> None:
    result = evaluate_json(books)
    entry = unit_entry(result, "online_l3_growth", "phuong-an-lac")
    assert counts(entry) == (1, 2)  # A3 in H1-2019; A11, A12 in H1-2018
    assert entry["value"] == pytest.approx(-0.5)
    assert entry["ci95"] is None
    ind = indicator(result, "online_l3_growth")
    assert ind["baseline"]["period"] == {"label": "H1-2018", "start": "2018-01-01", "end": "2018-06-30"}
    assert ind["baseline"]["source"] == "exports"


def test_online_l3_growth_share_points(books: Path) -> None:
    result = evaluate_json(books, rules={"l3_growth": "share_points"})
    entry = unit_entry(result, "online_l3_growth", "phuong-an-lac")
    assert entry["value"] == pytest.approx(1 / 9 - 2 / 6)  # A11, A12 of the six received in H1-2018


def test_growth_without_baseline_is_no_data(tmp_path: Path) -> None:
    write_csv(tmp_path / "phuong-an-lac.csv", HEADER, ROWS[:3])
    result = evaluate_json(tmp_path)
    district = indicator(result, "online_l3_growth")["district"]
    assert district["status"] == "no_data"
    assert district["value"] is None


def test_missing_channel_column_is_no_data_not_zero(books: Path) -> None:
    result = evaluate_json(books)
    # The xlsx book has channel columns: its received share is counted (0 of 2 by post).
    assert counts(unit_entry(result, "postal_in_share", "phuong-an-lac-a")) == (0, 2)
    # It has no supplementation column: no data, and its rows stay out of the district's figure.
    entry = unit_entry(result, "supplement_rate", "phuong-an-lac-a")
    assert entry["status"] == "no_data"
    assert counts(indicator(result, "supplement_rate")["district"]) == (1, 9)


def test_shortfalls_name_the_unit_and_gap(books: Path) -> None:
    result = evaluate_json(books)
    short = next(s for s in result["shortfalls"] if s["indicator"] == "on_time" and s["unit"] == "phuong-an-lac")
    assert short["gap"] == pytest.approx(0.6 - 0.98)
    assert short["owner"] == "UBND phường An Lạc"
    assert short["conclusive"] is True  # Wilson [0.23, 0.88] lies below 0.98
    supplement = next(s for s in result["shortfalls"] if s["indicator"] == "supplement_rate")
    assert supplement["gap"] == pytest.approx(0.10 - 1 / 9)  # '<=' target: negative when short


def test_due_on_a_day_off_is_flagged_make_up_saturday_is_not(books: Path) -> None:
    result = evaluate_json(books)
    issue = next(i for i in result["data_quality"]["issues"] if i["code"] == "due-on-day-off")
    assert issue["count"] == 1
    assert issue["samples"][0]["row"] == 7  # B2, due Sunday 6 Jan 2019; B1's 5 Jan is a make-up Saturday
    assert issue["samples"][0]["column"] == "D"


def test_period_cutoff_decree_09(books: Path) -> None:
    # Under Decree 09/2019, H1-2019 runs from 15 Dec 2018 to 14 Jun 2019.
    result = evaluate_json(books, rules={"period_cutoff": "decree-09-2019"})
    assert result["period"] == {"label": "H1-2019", "start": "2018-12-15", "end": "2019-06-14"}
    # Received 15/12/2018-14/06/2019, refused left out: A1-A7, A9, A13 = 9; A10 (25/06) is out.
    assert counts(unit_entry(result, "postal_in_share", "phuong-an-lac")) == (1, 9)


def test_form_06a_from_dossier_rows(books: Path) -> None:
    from typer.testing import CliRunner

    from qms_cli.cli import app

    out = CliRunner().invoke(app, ["evaluate", str(books), "--period", "H1-2019", "--format", "06a"])
    assert out.exit_code == 0
    import csv
    import io

    lines = list(csv.reader(io.StringIO(out.stdout)))[3:]  # below the group, column and number header rows
    rows = {line[1]: line[2:] for line in lines}
    # (3)..(19): received 10 = online 2 (A3, A4) + in person or post 7 + carried 1 (A9); resolved with a due
    # date 5 = early 2 (A1, A9) + on time 1 (A2) + late 2 (A3, A13); pending on 30/06 3 = within time 2
    # (A5, A10) + overdue 1 (A4); L3 1, L4 1, by post 1, supplementation 1, returned 8, returned by post 2.
    expected = [10, 2, 7, 1, 5, 2, 1, 2, 3, 2, 1, 1, 1, 1, 1, 8, 2]
    assert [int(x) for x in rows["UBND phường An Lạc"]] == expected
    assert rows["Tổng cộng"][4] == "7"  # resolved: A's 5 and B's 2, the on_time denominator


def test_counts_per_unit_by_bins_kept_only_while_their_units_live() -> None:
    # Worked by hand: units an-lac, tan-tao, (none), an-lac; a mask true on rows 0, 2 and 3 counts
    # 2 for an-lac and 0 for tan-tao (row 2 has no unit); a unit without records (binh-tri) is not
    # listed. A new frame's units, made after the first is gone, are counted on their own codes.
    import gc

    import pandas as pd

    from qms_cli.evaluate import kinds

    def units_of(values: list[str | None]) -> pd.Series:
        return pd.Series(pd.Categorical(values, categories=["binh-tri", "an-lac", "tan-tao"]))

    units = units_of(["an-lac", "tan-tao", None, "an-lac"])
    assert kinds._count(pd.Series([True, False, True, True]), units).to_dict() == {"an-lac": 2, "tan-tao": 0}
    many = units_of(["an-lac"] * 4 + ["tan-tao"] * 5)
    few = pd.Series([False] * 5 + [True] + [False] * 3)  # 1 of 9, under a quarter: only its bin is counted
    assert kinds._count(few, many).to_dict() == {"an-lac": 0, "tan-tao": 1}
    assert kinds._count(pd.Series([1.0, None, 0.0, None]), units).to_dict() == {"an-lac": 1, "tan-tao": 0}
    del units
    gc.collect()
    units = units_of(["tan-tao", "tan-tao", "binh-tri", None])
    assert kinds._count(pd.Series([True, True, False, True]), units).to_dict() == {"binh-tri": 0, "tan-tao": 2}
    assert len(kinds._BINS) <= kinds._BINS_KEPT
