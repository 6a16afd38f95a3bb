"""qms_cli.periods: the period grammar, Decree 09 cut-offs, covering periods; values worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from qms_cli.errors import UsageError
from qms_cli.periods import covering_period, parse_period


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
