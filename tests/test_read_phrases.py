"""read/phrases.py: period names, total and signature rows, the export stamp; their words are data."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import qms_cli
from qms_cli.read.phrases import (
    EXPORT_STAMP,
    FOOTER_ROW,
    PLACE_DATE,
    TOTAL_ROW,
    named_range,
    reporting_range,
    stamped_date,
)
from qms_cli.read.service_index import period_of
from qms_cli.read.survey import rating_of
from qms_cli.text import fold
from qms_cli.vocabulary import level_of


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Quý I/2019", "2019-01-01", "2019-03-31"),
        ("BÁO CÁO QUÝ IV NĂM 2018", "2018-10-01", "2018-12-31"),
        ("Quý 3 năm 2019", "2019-07-01", "2019-09-30"),
        ("6 tháng đầu năm 2019", "2019-01-01", "2019-06-30"),
        ("Sáu tháng cuối năm 2019", "2019-07-01", "2019-12-31"),
        ("6 tháng cuối 2020", "2020-07-01", "2020-12-31"),
        ("Tháng 02/2020", "2020-02-01", "2020-02-29"),  # a leap year
        ("Kết quả tháng 12 năm 2018", "2018-12-01", "2018-12-31"),
        ("Năm 2019", "2019-01-01", "2019-12-31"),
        ("Từ ngày 15/12/2018 đến ngày 14/06/2019", "2018-12-15", "2019-06-14"),
        ("(Từ ngày 01 tháng 01 năm 2019 đến ngày 31 tháng 03 năm 2019)", "2019-01-01", "2019-03-31"),
        ("TU NGAY 01/07/2019 DEN NGAY 31/12/2019", "2019-07-01", "2019-12-31"),  # no diacritics
    ],
)
def test_a_period_named_in_words(text: str, first: str, last: str) -> None:
    found = named_range(text)
    assert found is not None and (found[0].isoformat(), found[1].isoformat()) == (first, last)


@pytest.mark.parametrize(
    "text",
    [
        "Bình Tân, ngày 05 tháng 4 năm 2019",  # when it was signed, not the period
        "Tháng 13/2019",
        "2019",  # a bare year in a title is no period (in a period cell it is)
        "3/2019",
        "Quý V/2019",
        "Giải quyết hồ sơ",
        "Báo cáo năm học 20191",  # not four digits standing alone
    ],
)
def test_no_period_where_a_title_names_none(text: str) -> None:
    assert named_range(text) is None


def test_an_impossible_range_falls_back_to_the_words_around_it() -> None:
    # 31/02 does not exist: the range is not taken, and the title's year is.
    assert named_range("Năm 2019 (từ ngày 01/01/2019 đến ngày 31/02/2019)") == (date(2019, 1, 1), date(2019, 12, 31))


def test_a_period_cell_may_leave_the_words_out() -> None:
    assert period_of("3/2026") == (date(2026, 3, 1), date(2026, 3, 31))
    assert period_of("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert period_of("Quý II 2026") == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_of("13/2026") is None
    assert period_of("chưa rõ") is None


def test_the_reporting_period_line_is_read_first() -> None:
    title = ["Báo cáo năm 2019", "Kỳ báo cáo: Quý II năm 2019", "Bình Tân, ngày 05 tháng 7 năm 2019"]
    assert reporting_range(title) == (date(2019, 4, 1), date(2019, 6, 30))
    assert reporting_range(["Bình Tân, ngày 05 tháng 7 năm 2019"]) is None


@pytest.mark.parametrize(
    ("cell", "total"),
    [
        ("tổng cộng", True),
        ("tổng cộng:", True),
        ("tổng số hồ sơ: 125", True),
        ("tong cong", True),  # no diacritics at all
        ("cộng", True),
        ("cộng: 12", True),
        ("tổng", True),
        ("công", False),  # a wrong diacritic is another word
        ("cộng hòa xã hội chủ nghĩa việt nam", False),
        ("tổng hợp", False),
        ("phường tân tạo", False),
    ],
)
def test_total_rows(cell: str, total: bool) -> None:
    assert bool(re.search(TOTAL_ROW, cell)) is total


@pytest.mark.parametrize(
    ("cell", "footer"),
    [
        ("Người lập biểu", True),
        ("THỦ TRƯỞNG ĐƠN VỊ", True),
        ("Bình Tân, ngày 05 tháng 4 năm 2019", True),
        ("…, ngày    tháng    năm 2019", True),  # a form's blanks
        ("Ngày nhận", False),
        ("Nguyễn Văn Lập", False),  # "lập" alone, not "người lập"
    ],
)
def test_signature_rows(cell: str, footer: bool) -> None:
    assert bool(FOOTER_ROW.search(fold(cell))) is footer


def test_the_export_stamp_and_the_place_date_line() -> None:
    assert stamped_date(["SỔ THEO DÕI", "Ngày xuất: 05/04/2019 08:15"], EXPORT_STAMP) == date(2019, 4, 5)
    assert stamped_date(["In lúc 09:30 ngày 07/05/2019"], EXPORT_STAMP) is None  # the time comes first
    assert stamped_date(["Ngày in: 31/02/2019"], EXPORT_STAMP) is None  # no such day
    assert stamped_date(["Tân Tạo, ngày 28 tháng 06 năm 2019"], PLACE_DATE) == date(2019, 6, 28)


@pytest.mark.parametrize(
    ("answer", "satisfied"),
    [("5", True), ("4", True), ("4 sao", True), ("4*", True), ("4/5", True), ("4,5", True), ("3,5 sao", False)]
    + [("3", False), ("3/5", False), ("1 SAO", False), ("6", None), ("0", None)],
)
def test_stars_as_written(answer: str, satisfied: bool | None) -> None:
    assert rating_of(answer) is satisfied


@pytest.mark.parametrize(("text", "level"), [("MĐ3", 3.0), ("Mức độ 4", 4.0), ("mức 3", 3.0), ("Level 4", 4.0)])
def test_level_numbers_after_their_words(text: str, level: float) -> None:
    assert level_of(text) == level


def test_a_district_adds_period_total_and_star_words(tmp_path: Path) -> None:
    extra = tmp_path / "vocabulary.yaml"
    extra.write_text(
        "periods:\n  quarter: [quí]\nlayout:\n  total_words: [tổng hợp]\nsurvey:\n  stars: [điểm]\n"
        "unit_names:\n  prefixes: [bộ phận một cửa]\n",
        encoding="utf-8",
    )
    code = (
        "import re\n"
        "from qms_cli.read.phrases import TOTAL_ROW, named_range\n"
        "from qms_cli.read.survey import rating_of\n"
        "print(named_range('Quí II/2019'), bool(re.search(TOTAL_ROW, 'tổng hợp')), rating_of('4 điểm'))"
    )
    env = {**os.environ, "QMS_VOCABULARY": str(extra)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "(datetime.date(2019, 4, 1), datetime.date(2019, 6, 30)) True True"
    assert named_range("Quí II/2019") is None  # not a word of the shipped vocabulary


def _patterns(path: Path) -> list[str]:
    """The literal patterns of re.compile / re.search / … calls in a module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)  # bytes: the XML of a workbook, not an export's words
        ):
            out.append(node.args[0].value)
    return out


def test_no_word_of_an_export_is_written_in_a_reading_pattern() -> None:
    # The readers' patterns hold the numbers' grammar only: every word is in vocabulary.yaml.
    package = Path(qms_cli.__file__).parent
    modules = [*sorted((package / "read").glob("*.py")), package / "vocabulary.py", package / "units.py"]
    found = {}
    for module in modules:
        for pattern in _patterns(module):
            letters = re.sub(r"\\[a-zA-Z]|\[[^\]]*\]|\(\?[:!=<P]+[^)]*?|[A-Z]", " ", pattern)
            if words := re.findall(r"[a-zà-ỹđ]{3,}", letters):
                found[f"{module.name}: {pattern}"] = words
    assert found == {}
