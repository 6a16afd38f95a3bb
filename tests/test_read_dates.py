"""qms_cli.read.dates: dates of the exports as officials type them; values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from qms_cli.read.dates import AMBIGUOUS, BLANK, OK, UNPARSEABLE, parse_dates


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


def test_two_digit_years() -> None:
    dates, status = parse_dates(pd.Series(["03/01/19", "3/1/19 08:00", "31/02/19"]))
    assert [str(pd.Timestamp(d).date()) if not pd.isna(d) else None for d in dates] == [
        "2019-01-03",
        "2019-01-03",
        None,
    ]
