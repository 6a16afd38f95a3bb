"""The grammar of the rows around a table and of period names; the words come from vocabulary.yaml.

Every pattern here is built once from the words of `layout` and `periods` (a district adds its own in
its vocabulary file) and the numbers' grammar: a day or a month is one or two digits, a year four, a
quarter a Roman or Arabic numeral. The patterns work on folded text (`qms_cli.text.fold`: no case,
no diacritics, no punctuation), so "Quý I/2019" is read as "quy i 2019", except the total-row pattern,
which keeps diacritics ("Công" is no "Cộng") and so reads the lower-cased cell.

`named_range` is the one reader of period names: a summary's title lines (`reporting_range`) and a
QĐ 766 index's period cells use it alike.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from qms_cli.text import fold
from qms_cli.vocabulary import VOCABULARY, alternation, written_alternation

_LAYOUT = VOCABULARY.layout
_P = VOCABULARY.periods


# A total row: a phrase at the start followed by a space, colon, dot or the end; or one word alone.
# Matched by Arrow (RE2) on the lower-cased first cell of each row: read/common.py.
TOTAL_ROW = (
    rf"^{written_alternation(_LAYOUT.total_phrases)}(?:[\s:.]|$)"
    rf"|^{written_alternation(_LAYOUT.total_words)}\s*(?::.*)?$"
)

_DAY, _MONTH, _YEAR = alternation(_P.day), alternation(_P.month), alternation(_P.year)
_D, _M, _Y = r"(\d{1,2})", r"(\d{1,2})", r"(\d{4})"
# "…, ngày 05 tháng 4 năm 2019": the date a report was signed (the numbers may be left blank on a form).
PLACE_DATE = re.compile(rf"{_DAY} {_D} {_MONTH} {_M} {_YEAR} {_Y}")
_BLANK_PLACE_DATE = re.compile(rf"{_DAY} ?\d{{0,2}} ?{_MONTH} ?\d{{0,2}} ?{_YEAR}")
# A signature line below the rows (folded first cell starts with a footer word), or a place-date line.
FOOTER_ROW = re.compile(rf"^{alternation(_LAYOUT.footer)}|{_BLANK_PLACE_DATE.pattern}")
# The export stamp above a header, then the date within twenty characters: "Ngày xuất: 05/04/2019".
EXPORT_STAMP = re.compile(rf"{alternation(_LAYOUT.export_stamp)}\D{{0,20}}?{_D} {_M} {_Y}")

_OPT_MONTH, _OPT_YEAR = rf"(?:{_MONTH} )?", rf"(?:{_YEAR} )?"
_RANGE = re.compile(
    rf"{alternation(_P.from_)} {_DAY} {_D} {_OPT_MONTH}{_M} {_OPT_YEAR}{_Y} "
    rf"{alternation(_P.to)} {_DAY} {_D} {_OPT_MONTH}{_M} {_OPT_YEAR}{_Y}"
)
_MONTH_NAMED = re.compile(rf"{_MONTH} {_M} {_OPT_YEAR}{_Y}\b")
_QUARTER = re.compile(rf"{alternation(_P.quarter)} (iv|i{{1,3}}|[1-4]) {_OPT_YEAR}{_Y}\b")
_HALF = re.compile(
    rf"{alternation(_P.half)} (?:(?P<first>{alternation(_P.first_half)})|{alternation(_P.second_half)})"
    rf" {_OPT_YEAR}(?P<year>\d{{4}})\b"
)
_YEAR_NAMED = re.compile(rf"{_YEAR} {_Y}\b")
# A cell that is only a period may leave its words out: "3/2026", "2026".
_MONTH_BARE = re.compile(rf"{_OPT_MONTH}{_M} {_OPT_YEAR}{_Y}")
_YEAR_BARE = re.compile(rf"{_OPT_YEAR}{_Y}")
_REPORTING = re.compile(alternation(_P.reporting_period))
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _dates(m: re.Match[str], first: int) -> date | None:
    """The date of groups first..first+2 (day, month, year); None when it does not exist (31/02)."""
    try:
        return date(int(m[first + 2]), int(m[first + 1]), int(m[first]))
    except ValueError:
        return None


def _named(t: str) -> tuple[date, date] | None:
    """A month, a quarter, a half or a year named with its words inside folded text `t`."""
    if (m := _MONTH_NAMED.search(t)) and 1 <= int(m[1]) <= 12:
        return date(int(m[2]), int(m[1]), 1), _month_end(int(m[2]), int(m[1]))
    if m := _QUARTER.search(t):
        q = _ROMAN.get(m[1]) or int(m[1])
        return date(int(m[2]), 3 * q - 2, 1), _month_end(int(m[2]), 3 * q)
    if m := _HALF.search(t):
        y = int(m["year"])
        return (date(y, 1, 1), date(y, 6, 30)) if m["first"] else (date(y, 7, 1), date(y, 12, 31))
    if m := _YEAR_NAMED.search(t):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    return None


def named_range(text: str, *, whole_cell: bool = False) -> tuple[date, date] | None:
    """The first and last day of the period that `text` names, or None.

    A range ("Từ ngày 01/01/2019 đến ngày 30/06/2019"), else, once a place-and-date line is set
    aside, a month, a quarter, a half or a year named with its words. A cell that is nothing but a
    period (`whole_cell`) may leave the words out: "3/2026" is March 2026, "2026" the year.
    """
    t = fold(text)
    if m := _RANGE.search(t):
        start, end = _dates(m, 1), _dates(m, 4)
        if start and end:
            return start, end
    t = PLACE_DATE.sub(" ", t)
    if found := _named(t):
        return found
    if not whole_cell:
        return None
    if (m := _MONTH_BARE.fullmatch(t)) and 1 <= int(m[1]) <= 12:
        return date(int(m[2]), int(m[1]), 1), _month_end(int(m[2]), int(m[1]))
    if m := _YEAR_BARE.fullmatch(t):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    return None


def reporting_range(texts: list[str]) -> tuple[date, date] | None:
    """The range a summary reports on, from its title lines ("Kỳ báo cáo: …" first); None if none names one."""
    ordered = sorted(texts, key=lambda raw: not _REPORTING.search(fold(raw)))
    for raw in ordered:
        if found := named_range(raw):
            return found
    return None


def stamped_date(texts: list[str], pattern: re.Pattern[str]) -> date | None:
    """The first real date that `pattern` (EXPORT_STAMP or PLACE_DATE: day, month, year) finds in `texts`."""
    for text in texts:
        if (m := pattern.search(fold(text))) and (found := _dates(m, 1)):
            return found
    return None


__all__ = ["EXPORT_STAMP", "FOOTER_ROW", "PLACE_DATE", "TOTAL_ROW", "named_range", "reporting_range", "stamped_date"]
