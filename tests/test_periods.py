"""Periods, dates, text folding, unit matching, intervals: each against values worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from qms_cli.config import load_objectives
from qms_cli.errors import UsageError
from qms_cli.periods import covering_period, parse_period
from qms_cli.read.dates import AMBIGUOUS, BLANK, OK, UNPARSEABLE, parse_dates
from qms_cli.read.grid import column_letter
from qms_cli.stats import conclusive, wilson
from qms_cli.text import fold
from qms_cli.units import UnitMatcher


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2019", date(2019, 1, 1), date(2019, 12, 31)),
        ("h1-2019", date(2019, 1, 1), date(2019, 6, 30)),
        ("H2-2019", date(2019, 7, 1), date(2019, 12, 31)),
        ("Q1-2019", date(2019, 1, 1), date(2019, 3, 31)),
        ("2019-02", date(2019, 2, 1), date(2019, 2, 28)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
        ("2019-03-05..2019-04-01", date(2019, 3, 5), date(2019, 4, 1)),
    ],
)
def test_period_grammar(text: str, start: date, end: date) -> None:
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("H1-2019", date(2018, 12, 15), date(2019, 6, 14)),
        ("2019", date(2018, 12, 15), date(2019, 12, 14)),
        ("2019-03", date(2019, 2, 15), date(2019, 3, 14)),
        ("Q2-2019", date(2019, 3, 15), date(2019, 6, 14)),
    ],
)
def test_decree_09_cutoffs(text: str, start: date, end: date) -> None:
    p = parse_period(text, "decree-09-2019")
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("text", ["H3-2019", "2019-00", "Q5-2019", "2019-06-31..2019-07-01", "last year", ""])
def test_bad_periods(text: str) -> None:
    with pytest.raises(UsageError, match="period"):
        parse_period(text)


def test_covering_period_and_baseline_shift() -> None:
    assert covering_period(date(2019, 1, 3), date(2019, 1, 30)).label == "2019-01"
    assert covering_period(date(2019, 1, 3), date(2019, 3, 30)).label == "Q1-2019"
    assert covering_period(date(2019, 1, 3), date(2019, 6, 30)).label == "H1-2019"
    assert covering_period(date(2019, 3, 3), date(2019, 7, 30)).label == "2019"
    assert parse_period("H1-2019").shifted_years(1).label == "H1-2018"


def test_dates() -> None:
    values = pd.Series(
        [
            "2019-03-04 00:00:00",
            "04/03/2019",
            "4/3/2019 08:30",
            "04/03/2019 08:30:15",
            "31/02/2019",
            "43480",
            None,
            " ",
            "03/13/2019",
            "abc",
        ]
    )
    dates, status = parse_dates(values)
    expected = ["2019-03-04", "2019-03-04", "2019-03-04", "2019-03-04", None, "2019-01-15", None, None, None, None]
    assert [None if pd.isna(d) else str(d.date()) for d in pd.Series(dates)] == expected
    assert list(status) == [OK, OK, OK, OK, UNPARSEABLE, OK, BLANK, BLANK, AMBIGUOUS, UNPARSEABLE]


def test_fold_and_letters() -> None:
    assert fold("Ngày, tháng,\nnăm") == "ngay thang nam"
    assert fold("ĐƠN VỊ") == "don vi"
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


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


def test_wilson_against_newcombe_1998() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 -> 0.2553 to 0.3662; 0/10 -> 0 to 0.2775.
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = wilson(0, 10)
    assert (round(low, 4), round(high, 4)) == (0.0, 0.2775)
    assert wilson(0, 0) is None
    assert conclusive((0.95, 0.97), ">=", 0.98) and not conclusive((0.95, 0.99), ">=", 0.98)
    assert conclusive((0.01, 0.09), "<=", 0.10) and not conclusive((0.05, 0.12), "<=", 0.10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/02/2019", None),
        ("30/02/2020 10:00:00", None),
        ("2019-02-29 00:00:00", None),  # never rolled over
        ("29/02/2020", "2020-02-29"),
        ("3/3/2019", "2019-03-03"),
        ("01/03/2019 08:30", "2019-03-01"),
    ],
)
def test_impossible_dates_are_not_rolled_over(text: str, expected: str | None) -> None:
    dates, status = parse_dates(pd.Series([text]))
    got = None if pd.isna(dates[0]) else str(pd.Timestamp(dates[0]).date())
    assert got == expected
    assert status[0] == (OK if expected else UNPARSEABLE)


def test_two_digit_years_and_names_without_spaces() -> None:
    dates, status = parse_dates(pd.Series(["03/01/19", "3/1/19 08:00", "31/02/19"]))
    assert [str(pd.Timestamp(d).date()) if not pd.isna(d) else None for d in dates] == [
        "2019-01-03",
        "2019-01-03",
        None,
    ]
    matcher = UnitMatcher(load_objectives().spec.units)
    assert matcher.find_in("AnLacA_T1_2019") == "phuong-an-lac-a"
    assert matcher.find_in("binhtridong-2019") == "phuong-binh-tri-dong"
