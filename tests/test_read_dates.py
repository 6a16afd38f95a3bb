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


def test_every_text_read_as_a_date_has_the_shape_that_lets_a_column_of_codes_skip_the_parse() -> None:
    import itertools
    import re

    from qms_cli.read.dates import DATE_SHAPE

    forms = [
        "2019-03-04 00:00:00",
        "2019-3-4",
        "2019-03-04T08:30",
        "04/03/2019",
        "4/3/2019",
        "04.03.2019",
        "04-03-2019",
        "04/03/19",
        "04/03/2019 08:30",
        "04/03/2019  8:30:15",
        "4/3/2019 08:30:15.5",
        "02/13/2019",  # ambiguous
        "43528",
        "43528.5",
        " 04/03/2019 ",
    ]
    not_dates = ["HS00000588", "000.00.16.H05-190304-0001", "(6)", "Nguyễn Văn A", "31/02/2019", "2019", "K1"]
    read = pd.Series(forms + not_dates)
    _, status = parse_dates(read, remember=False)
    shape = re.compile(DATE_SHAPE)
    for text, st in itertools.zip_longest(forms + not_dates, status):
        if st in (OK, AMBIGUOUS):
            assert shape.search(text.strip()), text
    assert list(status[: len(forms)]) == [OK] * 11 + [AMBIGUOUS] + [OK] * 3
    assert list(status[len(forms) :]) == [UNPARSEABLE] * len(not_dates)


def test_texts_read_once_are_remembered_but_the_window_of_each_run_still_applies() -> None:
    from qms_cli.read import dates

    dates._MEMO.pop("05/03/2019", None)
    first, status = parse_dates(pd.Series(["05/03/2019"]))
    assert status[0] == OK and str(first[0])[:10] == "2019-03-05"
    assert "05/03/2019" in dates._MEMO
    try:
        dates.set_window(2020, 366)  # a run whose earliest year is 2020
        again, status = parse_dates(pd.Series(["05/03/2019"]))
        assert status[0] == dates.OUT_OF_RANGE and pd.isna(again[0])
    finally:
        dates.set_window(2000, 366)


def test_only_dates_and_texts_without_letters_are_remembered_and_never_a_personal_column() -> None:
    from qms_cli.read import dates

    for text in ("06/03/2019", "(7)", "Trần Thị B", "07/03/2019"):
        dates._MEMO.pop(text, None)
    parse_dates(pd.Series(["06/03/2019", "(7)", "Trần Thị B"]))
    assert "06/03/2019" in dates._MEMO and "(7)" in dates._MEMO
    assert "Trần Thị B" not in dates._MEMO  # a text with letters that is no date: perhaps a person's name
    parse_dates(pd.Series(["07/03/2019"]), remember=False)  # as for a column of personal data
    assert "07/03/2019" not in dates._MEMO
