"""Bad files, each with the exact code it must produce (tests/bad_files/, in the spirit of csvkit's
examples/), a fuzz test that mutates real fixture files, and property tests of the parsers."""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from helpers import write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from qms_cli import api
from qms_cli.periods import parse_period
from qms_cli.read.dates import BLANK, OK, OUT_OF_RANGE, parse_dates, window
from qms_cli.read.dossiers import PHRASES
from qms_cli.read.headers import match_field

BAD = Path(__file__).parent / "bad_files"
EXPECTED = {
    "a-pdf-renamed.xlsx": "file-wrong-kind",
    "a-word-file-renamed.xlsx": "file-wrong-kind",
    "random-bytes.csv": "file-wrong-kind",
    "random-bytes.xlsx": "file-wrong-kind",
    "blank-lines.csv": "file-empty",
    "empty.csv": "file-empty",
    "empty.xlsx": "file-empty",
    "cut-short.xlsx": "file-corrupt",
    "password-protected.xlsx": "file-encrypted",
    "zip-bomb.xlsx": "file-too-large",
    "no-known-header.csv": "header-not-found",
    "lying-sizes.xlsx": "file-too-large",  # claims 6 kB for a sheet that inflates past 200 x its size
    "too-many-columns.csv": "file-too-large",  # 20,001 columns
}
# Files that are read, each with the code that names what is wrong in it (scripts/make_bad_files.py):
# 8 dossier rows each (9 in hidden-sheet.xlsx), all accounted for, none lost.
READ_WITH_CODE = {
    "unterminated-quote.csv": ("csv-malformed", 8),  # the quote on line 4 would swallow lines 4-9
    "typo-year.csv": ("date-out-of-range", 8),  # 04/03/2919
    "far-blank-cell.xlsx": ("cells-outside-range", 8),  # one space in XFD1048576
    "far-value.xlsx": ("cells-outside-range", 8),  # "x" in XFD1048576: right of the header's 4 columns, not read
    "hidden-sheet.xlsx": ("sheet-hidden", 9),  # 8 rows on the visible sheet, 1 on the hidden one
    "formula-without-value.xlsx": ("formula-without-value", 8),  # C2 and C3 are formulas never calculated
}


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_each_bad_file_has_its_code(name: str, code: str) -> None:
    quality = api.validate(paths=[BAD / name]).data_quality
    assert quality.unreadable_files == 1
    (issue,) = quality.issues
    assert issue.code == code
    assert issue.samples[0].path.endswith(name)


def test_every_bad_file_is_listed() -> None:
    assert {p.name for p in BAD.iterdir()} - {"header-only.csv"} == set(EXPECTED) | set(READ_WITH_CODE)


@pytest.mark.parametrize(("name", "code", "rows"), sorted((n, c, r) for n, (c, r) in READ_WITH_CODE.items()))
def test_each_file_read_with_a_problem_names_it_and_keeps_every_row(name: str, code: str, rows: int) -> None:
    quality = api.validate(paths=[BAD / name]).data_quality
    assert quality.unreadable_files == 0
    assert sum(f.rows_read for f in quality.files) == rows  # counted by hand in scripts/make_bad_files.py
    for f in quality.files:
        assert f.rows_read == f.rows_accepted + f.rows_rejected + f.rows_skipped
    issue = next(i for i in quality.issues if i.code == code)
    assert issue.samples[0].path.endswith(name)


def test_a_typo_year_never_moves_the_default_period(tmp_path: Path) -> None:
    shutil.copy(BAD / "typo-year.csv", tmp_path / "phuong-tan-tao.csv")
    evaluation = api.evaluate(paths=[tmp_path / "phuong-tan-tao.csv"])
    assert evaluation.period.label == "2019-03"  # the seven other rows: March 2019, not 2019-2919
    assert evaluation.indicator("on_time").unit("phuong-tan-tao").denominator == 7


def test_the_unterminated_quote_is_named_with_its_line() -> None:
    quality = api.validate(paths=[BAD / "unterminated-quote.csv"]).data_quality
    issue = next(i for i in quality.issues if i.code == "csv-malformed")
    assert issue.samples[0].row == 4 and "line 4" in str(issue.samples[0].value)


def test_bad_files_beside_a_good_book(tmp_path: Path) -> None:
    shutil.copytree(BAD, tmp_path / "inbox")
    write_csv(
        tmp_path / "inbox" / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["K1", "02/01/2019", "09/01/2019", "08/01/2019"], ["K2", "03/01/2019", "09/01/2019", "10/01/2019"]],
    )
    first = api.evaluate(paths=[tmp_path / "inbox"], period="2019-01")
    assert first.data_quality.unreadable_files == len(EXPECTED)
    entry = first.indicator("on_time").unit("phuong-tan-tao")
    assert (entry.numerator, entry.denominator) == (1, 2)
    again = api.evaluate(paths=[tmp_path / "inbox"], period="2019-01")
    assert again.indicators == first.indicators


def _mutations(data: bytes, rng: random.Random) -> list[bytes]:
    out = [data[: rng.randrange(1, len(data))]]  # truncated
    flipped = bytearray(data)
    for _ in range(20):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    out.append(bytes(flipped))
    return out


def test_fuzzed_books_never_crash_and_rows_add_up(tmp_path: Path) -> None:
    rng = random.Random(784)
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "dossiers" / "2019"
    books = [
        sample / "phuong-an-lac" / "so-theo-doi-02-2019.xlsx",
        sample / "phong-tu-phap" / "phong-tu-phap_02-2019.csv",
    ]
    for book in books:
        for i, data in enumerate(_mutations(book.read_bytes(), rng)):
            target = tmp_path / f"{i}-{book.name}"
            target.write_bytes(data)
            for f in api.validate(paths=[target]).data_quality.files:
                assert f.rows_read == f.rows_accepted + f.rows_rejected + f.rows_skipped


def test_fuzzed_csv_cells(tmp_path: Path) -> None:
    rng = random.Random(9)
    junk = ["", " ", "=1+1", "31/02/2019", "99/99/9999", "Tổng cộng", "(3)", "xin rút", "\u0000", "🙂", "1e9", "-"]
    rows = [
        [
            rng.choice(junk + [f"K{i}"]),
            rng.choice(junk + ["02/01/2019"]),
            rng.choice(junk + ["09/01/2019"]),
            rng.choice(junk),
        ]
        for i in range(300)
    ]
    path = write_csv(tmp_path / "phuong-tan-tao.csv", ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Hình thức nộp"], rows)
    (f,) = api.validate(paths=[path]).data_quality.files
    assert f.rows_read == 300 == f.rows_accepted + f.rows_rejected + f.rows_skipped


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y"]),
)
def test_any_written_date_reads_back(day: date, fmt: str) -> None:
    dates, status = parse_dates(pd.Series([day.strftime(fmt)]))
    first, last = window()  # plausible dates: 2000 to a year after today (rules earliest_year, latest_days_after_run)
    if first <= day <= last:
        assert status[0] == OK
        assert pd.Timestamp(dates[0]).date() == day
    else:  # a date is read, but it is a typo for a dossier: never a date that moves the period
        assert status[0] == OUT_OF_RANGE and pd.isna(dates[0])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(29, 31), st.integers(2000, 2099))
def test_impossible_days_never_read(month: int, day: int, year: int) -> None:
    try:
        date(year, month, day)
        return
    except ValueError:
        pass
    dates, status = parse_dates(pd.Series([f"{day:02d}/{month:02d}/{year}"]))
    assert pd.isna(dates[0]) and status[0] not in (OK, BLANK)


@settings(max_examples=100, deadline=None)
@given(st.integers(2000, 2099), st.sampled_from(["", "H1-", "H2-", "Q1-", "Q2-", "Q3-", "Q4-"]))
def test_periods_cover_their_range(year: int, prefix: str) -> None:
    for cutoff in ("calendar", "decree-09-2019"):
        p = parse_period(f"{prefix}{year}", cutoff)
        assert p.start < p.end
        assert (p.end - p.start) < timedelta(days=366)
        assert p.end.year == year


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["Mã hồ sơ", "Ngày nhận", "Hẹn trả kết quả", "Trả kết quả", "Hình thức nộp"]),
    st.sampled_from(["upper", "lower", "ascii", "newline", "spaces"]),
)
def test_header_matching_ignores_case_diacritics_and_spaces(header: str, change: str) -> None:
    from qms_cli.text import fold

    variant = {
        "upper": header.upper(),
        "lower": header.lower(),
        "ascii": fold(header),
        "newline": header.replace(" ", "\n", 1),
        "spaces": "  " + header.replace(" ", "   ") + " ",
    }[change]
    assert match_field(variant, PHRASES)[0] == match_field(header, PHRASES)[0] is not None


def test_parsing_ahead_changes_nothing(tmp_path: Path) -> None:
    from qms_cli.read import prefetch

    folder = Path(__file__).resolve().parents[1] / "sample_data" / "dossiers" / "2019" / "phuong-an-lac"
    plain = api.evaluate(paths=[folder, BAD], period="H1-2019")
    prefetch.start(["evaluate", str(folder), str(BAD), "--period", "H1-2019", "--rule", "completion=returned"])
    assert prefetch._pending  # the first workbooks are being parsed ahead
    ahead = api.evaluate(paths=[folder, BAD], period="H1-2019")
    assert not prefetch._pending  # and the reader took every one of them
    assert ahead.indicators == plain.indicators
    assert ahead.data_quality.files == plain.data_quality.files


def test_reading_csv_files_ahead_changes_nothing(tmp_path: Path) -> None:
    # CSV files, good and bad, read ahead by the console script: the same figures, files and issues.
    from qms_cli.read import prefetch

    folder = Path(__file__).resolve().parents[1] / "sample_data" / "dossiers" / "2019" / "phong-tu-phap"
    bad = [BAD / name for name in ("blank-lines.csv", "empty.csv", "header-only.csv", "random-bytes.csv")]
    paths = [*bad, folder]
    plain = api.evaluate(paths=paths, period="2019")
    prefetch.start(["evaluate", *map(str, paths), "--period", "2019"])
    assert len(prefetch._pending) == prefetch.LIMIT  # the bad files and the first good ones
    ahead = api.evaluate(paths=paths, period="2019")
    assert not prefetch._pending
    assert ahead.indicators == plain.indicators
    assert ahead.data_quality.files == plain.data_quality.files
    assert ahead.data_quality.issues == plain.data_quality.issues


def test_formula_cells_without_a_value_reject_their_rows_naming_each_cell(tmp_path: Path) -> None:
    # scripts/make_bad_files.py: C2 and C3 (Ngày hẹn trả of BF1 and BF2) are =B2+7, =B3+7 never calculated
    shutil.copy(BAD / "formula-without-value.xlsx", tmp_path / "phuong-tan-tao.xlsx")
    quality = api.validate(paths=[tmp_path / "phuong-tan-tao.xlsx"]).data_quality
    (f,) = quality.files
    assert (f.rows_read, f.rows_accepted, f.rows_rejected, f.rows_skipped) == (8, 6, 2, 0)
    (issue,) = [i for i in quality.issues if i.code == "formula-without-value"]
    cells = [(s.row, s.column, s.header) for s in issue.samples]
    assert cells == [(2, "C", "Ngày hẹn trả"), (3, "C", "Ngày hẹn trả")]
    assert issue.count == f.rows_rejected == 2  # one per rejected row, no line more for the sheet
    codes = {i.code for i in quality.issues}
    assert "missing-due-date" not in codes  # the two cells are unknown, not blank (due 09/03 and 10/03 are days off)
    assert codes == {"formula-without-value", "due-on-day-off"}


def test_formula_cells_only_in_a_column_not_read_are_one_line_for_the_sheet(tmp_path: Path) -> None:
    # The good book of 8 rows with =B2+1 … =B9+1, never calculated, in column F (no header, not read):
    # nothing is rejected, and one line for the sheet names the file stale (8 cells, the first five listed).
    import re
    import zipfile

    import xlsxwriter

    path = tmp_path / "phuong-tan-tao.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Sổ theo dõi")
    sheet.write_row(0, 0, ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"])
    for i in range(1, 9):
        sheet.write_row(i, 0, [f"BF{i}", f"{i + 1:02d}/03/2019", f"{i + 8:02d}/03/2019", f"{i + 6:02d}/03/2019"])
        sheet.write_formula(i, 5, f"=B{i + 1}+1")
    workbook.close()
    with zipfile.ZipFile(path) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    members["xl/worksheets/sheet1.xml"] = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", members["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    quality = api.validate(paths=[path]).data_quality
    (f,) = quality.files
    assert (f.rows_read, f.rows_accepted, f.rows_rejected) == (8, 8, 0)
    (issue,) = [i for i in quality.issues if i.code == "formula-without-value"]
    assert issue.count == 1 and issue.samples[0].row is None
    assert issue.samples[0].value == "8 cell(s): F2, F3, F4, F5, F6…; open the file in Excel and save it again"


def _wide_book(path: Path, far_row: int) -> Path:
    """8 good rows under a 4-column header, and one value typed in column XFD of Excel row `far_row`."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Sổ theo dõi")
    sheet.write_row(0, 0, ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"])
    for i in range(1, 9):
        sheet.write_row(i, 0, [f"W{i}", f"{i + 1:02d}/03/2019", f"{i + 8:02d}/03/2019", f"{i + 6:02d}/03/2019"])
    sheet.write_string(far_row - 1, 16_383, "rác")
    workbook.close()
    return path


def test_a_value_far_to_the_right_of_the_header_is_not_read_and_costs_nothing(tmp_path: Path) -> None:
    # "rác" in XFD5000: the parser's rectangle would be 5,000 x 16,384 = 81,920,000 cells, past the budget
    # of 20,000,000; no header cell is above it (the first 60 rows end at column D), so only A:D are read:
    # the 8 rows, A1:D9, and one line says what was left out.
    from qms_cli.read import bounds

    path = _wide_book(tmp_path / "phuong-tan-tao.xlsx", 5000)
    quality = api.validate(paths=[path]).data_quality
    (f,) = quality.files
    assert (f.rows_read, f.rows_accepted, f.rows_rejected, f.rows_skipped) == (8, 8, 0, 0)
    (issue,) = [i for i in quality.issues if i.code == "cells-outside-range"]
    assert issue.samples[0].value == (
        "0 blank cells outside A1:D9 not read; 1 cell(s) right of column D, with no header above them, not read"
    )
    scan = bounds.scan_workbook(path)  # what the parser is given: the copy's sheet of 9 rows by 4 columns
    assert (scan.sheets["Sổ theo dõi"].last_row, scan.sheets["Sổ theo dõi"].wide) == (9, 4)
    bounds.release(path)


def test_a_far_value_within_the_header_rows_is_still_refused(tmp_path: Path) -> None:
    # "rác" in XFD40 is in the rows a header may lie in: the sheet's columns cannot be told apart from junk,
    # and 5,000 rows (a value in A5000 too) by 16,384 columns is past the budget: file-too-large.
    import xlsxwriter

    path = tmp_path / "phuong-tan-tao.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Mã hồ sơ", "Ngày nhận"])
    sheet.write_string(39, 16_383, "rác")
    sheet.write_string(4999, 0, "Z1")
    workbook.close()
    assert {i.code for i in api.validate(paths=[path]).data_quality.issues} == {"file-too-large"}
