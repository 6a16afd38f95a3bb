"""Biểu 06a lists every unit, whether it sent a dossier book or a summary table, and its total row is the
scorecard's: worked out by hand on one book unit and one summary unit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from helpers import write_csv, write_xlsx

from qms_cli import api
from qms_cli.render.plain import form_06a_csv

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"

GROUP = ["Số hồ sơ nhận giải quyết", "", "", "", "Số hồ sơ đã giải quyết", "", "", "", "Số hồ sơ đang giải quyết"]
SUB = ["Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước"]
SUB += ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"]


def fixture(folder: Path) -> Path:
    # Phường Tân Tạo sends its book for March 2019 (no channel column: every dossier is counted in person):
    # T1 early, T2 on its due day, T3 two days late, T4 still pending on 31/03 and due 05/04.
    write_csv(
        folder / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [
            ["T1", "04/03/2019", "08/03/2019", "07/03/2019"],
            ["T2", "05/03/2019", "11/03/2019", "11/03/2019"],
            ["T3", "06/03/2019", "12/03/2019", "14/03/2019"],
            ["T4", "20/03/2019", "05/04/2019", ""],
        ],
    )
    # Phường Bình Hưng Hòa sends only its Biểu 06a for March 2019, columns (3)-(13), no extra column.
    rows = [
        ["BIỂU 06a"],
        ["Tháng 3 năm 2019"],
        [],
        ["STT", "Đơn vị", *GROUP[:4], *GROUP[4:8], GROUP[8], "", ""],
        [None, None, *SUB],
        [1, "UBND phường Bình Hưng Hòa", 60, 20, 35, 5, 50, 30, 18, 2, 10, 8, 2],
    ]
    merges = [(3, 2, 3, 5, GROUP[0]), (3, 6, 3, 9, GROUP[4]), (3, 10, 3, 12, GROUP[8])]
    write_xlsx(folder / "bieu-06a-binh-hung-hoa.xlsx", rows, merges=merges)
    return folder


def test_every_unit_and_a_total_equal_to_the_scorecard(tmp_path: Path) -> None:
    evaluation = api.evaluate(paths=[fixture(tmp_path / "in")], period="2019-03")
    form = api.form_06a(evaluation=evaluation)
    assert form["numbers"][:4] == ["(1)", "(2)", "(3)", "(4)"] and form["numbers"][-1] == "(19)"
    assert form["groups"][2] == "Số hồ sơ nhận giải quyết" and form["groups"][6] == "Số hồ sơ đã giải quyết"
    rows = {r[1]: r for r in form["rows"]}
    assert list(rows) == ["UBND phường Bình Hưng Hòa", "UBND phường Tân Tạo", "Tổng cộng"]  # registry order
    # Tân Tạo by hand: received 4 = online 0 + in person 4 + carried 0; resolved 3 = early 1 + on time 1 +
    # late 1; pending 1, within time; no level, post, supplementation or return column: 0 counted.
    assert rows["UBND phường Tân Tạo"][2:] == [4, 0, 4, 0, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    # Bình Hưng Hòa: its table's figures; the extra columns it lacks stay empty, not 0.
    assert rows["UBND phường Bình Hưng Hòa"][2:] == [60, 20, 35, 5, 50, 30, 18, 2, 10, 8, 2, *[None] * 6]
    total = rows["Tổng cộng"]
    assert total[2:13] == [64, 20, 39, 5, 53, 31, 19, 3, 11, 9, 2]
    # The scorecard's on-time figure is (8)+(9) over (7) of the total: (1 + 1 + 30 + 18) / (3 + 50) = 50/53.
    district = evaluation.indicator("on_time").district
    assert (district.numerator, district.denominator) == (50, 53)
    assert (total[7] + total[8], total[6]) == (50, 53)


def test_the_csv_keeps_the_form_layout_and_names(tmp_path: Path) -> None:
    evaluation = api.evaluate(paths=[fixture(tmp_path / "in")], period="2019-03", lang="en")
    lines = list(csv.reader(io.StringIO(form_06a_csv(api.form_06a(evaluation=evaluation)))))
    assert lines[0][:3] == ["No.", "Unit, field", "Dossiers received for resolution"]
    assert lines[2][0] == "(1)" and lines[3][:2] == ["1", "UBND phường Bình Hưng Hòa"]
    assert lines[-1][1] == "Total" and lines[-1][6] == "53"
    assert not any("phuong-" in cell for line in lines for cell in line)  # names, never slugs


def fields_fixture(folder: Path) -> Path:
    fixture(folder)  # Bình Hưng Hòa's summary (no field column); Tân Tạo's book is replaced below
    # Tân Tạo, March 2019, in person: the book names the field of T1, T2, T3, T5 ("hộ tịch " is spelled
    # otherwise but is the same field); T4's comes from the catalogue; T6's procedure is in no catalogue.
    header = ["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]
    write_csv(
        folder / "phuong-tan-tao.csv",
        header,
        [
            ["T1", "Đăng ký khai sinh", "Hộ tịch", "04/03/2019", "08/03/2019", "07/03/2019"],  # early
            ["T2", "Đăng ký kết hôn", "hộ tịch ", "05/03/2019", "11/03/2019", "11/03/2019"],  # on time
            ["T3", "Chứng thực chữ ký", "Chứng thực", "06/03/2019", "12/03/2019", "14/03/2019"],  # late
            ["T4", "Chứng thực bản sao từ bản chính", "", "20/03/2019", "05/04/2019", ""],  # pending, in time
            ["T5", "Đăng ký khai tử", "Hộ tịch", "07/03/2019", "13/03/2019", "13/03/2019"],  # on time
            ["T6", "Thủ tục mẫu không có trong danh mục", "", "08/03/2019", "14/03/2019", "12/03/2019"],  # early
        ],
    )
    write_csv(
        folder / "danh-muc-tthc.csv",
        ["Tên thủ tục", "Lĩnh vực", "Mức độ", "Thời hạn giải quyết"],
        [["Chứng thực bản sao từ bản chính", "Chứng thực", 2, 1]],
    )
    return folder


def test_each_unit_lists_its_fields_and_its_row_is_their_sum(tmp_path: Path) -> None:
    evaluation = api.evaluate(paths=[fields_fixture(tmp_path / "in")], period="2019-03")
    form = api.form_06a(evaluation=evaluation)
    head = [r[:13] for r in form.rows]
    # By hand, columns (1)-(13): received (3) = online (4) + in person (5) + carried (6); resolved (7) =
    # early (8) + on time (9) + late (10); pending (11) = within time (12) + overdue (13).
    assert head == [
        [1, "UBND phường Bình Hưng Hòa", 60, 20, 35, 5, 50, 30, 18, 2, 10, 8, 2],  # its table names no field
        [2, "UBND phường Tân Tạo", 6, 0, 6, 0, 5, 2, 2, 1, 1, 1, 0],
        ["2.1", "Chứng thực", 2, 0, 2, 0, 1, 0, 0, 1, 1, 1, 0],  # T3 late, T4 pending (field from the catalogue)
        ["2.2", "Hộ tịch", 3, 0, 3, 0, 3, 1, 2, 0, 0, 0, 0],  # T1 early, T2 and T5 on time
        ["2.3", "Lĩnh vực chưa xác định", 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0],  # T6 early
        ["", "Tổng cộng", 66, 20, 41, 5, 55, 32, 20, 3, 11, 9, 2],
    ]
    assert form.kinds == ["unit", "unit", "field", "field", "field", "total"]
    # The total is the scorecard's: on time = (8)+(9) over (7) = (32 + 20) / 55.
    district = next(i for i in evaluation.indicators if i.id == "on_time").district
    assert (district.numerator, district.denominator) == (52, 55)


def test_the_field_rows_in_english_and_in_the_06a_csv(tmp_path: Path) -> None:
    evaluation = api.evaluate(paths=[fields_fixture(tmp_path / "in")], period="2019-03", lang="en")
    lines = list(csv.reader(io.StringIO(form_06a_csv(api.form_06a(evaluation=evaluation)))))
    assert [line[:3] for line in lines[4:8]] == [
        ["2", "UBND phường Tân Tạo", "6"],
        ["2.1", "Chứng thực", "2"],
        ["2.2", "Hộ tịch", "3"],
        ["2.3", "Field not stated", "1"],
    ]


def summary_fields_fixture(folder: Path) -> Path:
    """Tân Tạo's book of `fixture` (no field named), and Bình Hưng Hòa's Biểu 06a for March 2019 with a
    Lĩnh vực column: two fields, a row whose field cell is empty, and the table's own total row."""
    fixture(folder)
    (folder / "bieu-06a-binh-hung-hoa.xlsx").unlink()
    rows = [
        ["BIỂU 06a"],
        ["Tháng 3 năm 2019"],
        [],
        ["STT", "Đơn vị", "Lĩnh vực", *GROUP[:4], *GROUP[4:8], GROUP[8], "", ""],
        [None, None, None, *SUB],
        [1, "UBND phường Bình Hưng Hòa", "Hộ tịch", 40, 15, 20, 5, 35, 20, 12, 3, 5, 4, 1],
        [2, "UBND phường Bình Hưng Hòa", "  Chứng   thực ", 20, 5, 15, 0, 18, 10, 8, 0, 2, 2, 0],
        [3, "UBND phường Bình Hưng Hòa", None, 5, 1, 4, 0, 4, 2, 2, 0, 1, 1, 0],
        ["Tổng cộng", None, None, 65, 21, 39, 5, 57, 32, 22, 3, 8, 7, 1],  # not a unit's row: skipped
    ]
    merges = [(3, 3, 3, 6, GROUP[0]), (3, 7, 3, 10, GROUP[4]), (3, 11, 3, 13, GROUP[8])]
    write_xlsx(folder / "bieu-06a-linh-vuc.xlsx", rows, merges=merges)
    return folder


# Worked by hand from the table above and `fixture`'s book, columns (1)-(13).
SUMMARY_FIELD_ROWS = [
    [1, "UBND phường Bình Hưng Hòa", 65, 21, 39, 5, 57, 32, 22, 3, 8, 7, 1],  # 40 + 20 + 5 received, …
    ["1.1", "Chứng thực", 20, 5, 15, 0, 18, 10, 8, 0, 2, 2, 0],  # its spaces made single
    ["1.2", "Hộ tịch", 40, 15, 20, 5, 35, 20, 12, 3, 5, 4, 1],
    ["1.3", "Lĩnh vực chưa xác định", 5, 1, 4, 0, 4, 2, 2, 0, 1, 1, 0],  # the row naming no field
    [2, "UBND phường Tân Tạo", 4, 0, 4, 0, 3, 1, 1, 1, 1, 1, 0],  # its book names no field: no field rows
    ["", "Tổng cộng", 69, 21, 43, 5, 60, 33, 23, 4, 9, 8, 1],
]


def test_a_summary_table_with_a_field_column_gives_its_field_rows(tmp_path: Path) -> None:
    evaluation = api.evaluate(paths=[summary_fields_fixture(tmp_path / "in")], period="2019-03")
    form = api.form_06a(evaluation=evaluation)
    assert [r[:13] for r in form.rows] == SUMMARY_FIELD_ROWS
    assert form.kinds == ["unit", "field", "field", "field", "unit", "total"]
    # The scorecard counts the table as before: on time (8)+(9) over (7) = (33 + 23) / 60, of which
    # Bình Hưng Hòa (32 + 22) / 57.
    on_time = evaluation.indicator("on_time")
    assert (on_time.district.numerator, on_time.district.denominator) == (56, 60)
    unit = next(u for u in on_time.units if u.unit == "phuong-binh-hung-hoa")
    assert (unit.numerator, unit.denominator) == (54, 57)


def _sample_field_sums(months: range) -> dict[str, list[int]]:
    """Columns (3)-(19) of Bình Hưng Hòa's monthly Biểu 06a files of the sample, summed per field, read
    straight from the workbooks (the Lĩnh vực column is the second)."""
    import fastexcel

    sums: dict[str, list[int]] = {}
    for month in months:
        book = SAMPLE / "summaries" / f"binh-hung-hoa-bieu-06a-{month:02d}-2019.xlsx"
        sheet = fastexcel.read_excel(book).load_sheet(0, header_row=None).to_pandas()
        for _, row in sheet.iterrows():
            if row.iloc[1] in ("Chứng thực", "Hộ tịch"):
                figures = [int(v) for v in row.iloc[2:19]]
                sums[row.iloc[1]] = [a + b for a, b in zip(sums.get(row.iloc[1], [0] * 17), figures, strict=True)]
    return sums


def test_the_samples_summary_unit_has_its_field_rows_and_the_total_is_the_scorecards() -> None:
    evaluation = api.evaluate(paths=[SAMPLE], period="H1-2019")
    form = api.form_06a(evaluation=evaluation)
    rows = {(r[0], r[1]): r[2:] for r in form.rows}
    unit = next(n for n, name in rows if name == "UBND phường Bình Hưng Hòa")
    sums = _sample_field_sums(range(1, 7))
    assert rows[(f"{unit}.1", "Chứng thực")] == sums["Chứng thực"]
    assert rows[(f"{unit}.2", "Hộ tịch")] == sums["Hộ tịch"]
    assert rows[(unit, "UBND phường Bình Hưng Hòa")] == [a + b for a, b in zip(*sums.values(), strict=True)]
    total = rows[("", "Tổng cộng")]
    district = evaluation.indicator("on_time").district
    assert (total[5] + total[6], total[4]) == (district.numerator, district.denominator)  # (8)+(9) of (7)
    assert (district.numerator, district.denominator) == (2476, 2513)  # the figure issue 12 names


def test_counts_per_unit_and_field_are_grouped_by_codes_in_the_order_of_the_texts(monkeypatch) -> None:
    # Worked by hand: four dossiers, one without a unit (left out, as pandas' grouping leaves it);
    # the groups in the order of (unit, field) texts: (an-lac, Hộ tịch), (an-lac, Đất đai), (tan-tao, Hộ tịch).
    import numpy as np
    import pandas as pd

    from qms_cli.evaluate import form06a

    units = pd.Categorical(["tan-tao", "an-lac", None, "an-lac"], categories=["tan-tao", "an-lac"])
    records = pd.DataFrame({"unit": units})
    names = np.array(["Hộ tịch", "Đất đai"], dtype=object)  # sorted as texts
    field = np.array([0, 1, 0, 0])  # Hộ tịch, Đất đai, Hộ tịch, Hộ tịch
    flags = {key: np.zeros(4, dtype=bool) for key in form06a.KEYS if not key.endswith("_total")}
    flags["online"] = np.array([True, True, True, True])
    flags["early"] = np.array([False, True, True, True])
    flags["late"] = np.array([True, False, False, False])
    monkeypatch.setattr(form06a, "_flags", lambda *_: flags)
    table = form06a._from_records(records, None, None, field, names)  # type: ignore[arg-type]
    assert table.index.tolist() == [("an-lac", "Hộ tịch"), ("an-lac", "Đất đai"), ("tan-tao", "Hộ tịch")]
    assert table["online"].tolist() == [1, 1, 1]
    assert table["early"].tolist() == [1, 1, 0]
    assert table["resolved_total"].tolist() == [1, 1, 1]


def test_field_names_are_spelt_alike_across_dossiers_and_tables() -> None:
    # Worked by hand: "Hộ tịch" is written three times (once plainly and once with two spaces in the
    # dossiers, once in a table), "hộ tịch " once: the most used spelling names all four. "Đất đai"
    # appears once, in a table; two cells are empty (one in each part), one holds only spaces: "?".
    import pandas as pd

    from qms_cli.evaluate import form06a

    dossiers = pd.Series(pd.Categorical(["hộ tịch ", "Hộ tịch", None, "Hộ  tịch", "  "]))
    tables = pd.Series(["Đất đai", None, "Hộ tịch"], dtype=object)
    (of_dossiers, of_tables), names = form06a._field_names([dossiers, tables])
    assert sorted(names.tolist()) == names.tolist()
    named = [names[c] for c in of_dossiers], [names[c] for c in of_tables]
    assert named == (
        ["Hộ tịch", "Hộ tịch", "?", "Hộ tịch", "?"],
        ["Đất đai", "?", "Hộ tịch"],
    )


def test_field_spellings_used_equally_often_take_the_first_met_across_the_parts() -> None:
    # "hộ tịch" once in the dossiers, "Hộ tịch" once in a table: the dossiers' spelling is met first.
    import pandas as pd

    from qms_cli.evaluate import form06a

    (of_dossiers, of_tables), names = form06a._field_names(
        [pd.Series(["hộ tịch"], dtype=object), pd.Series(["Hộ tịch"], dtype=object)]
    )
    assert (names[of_dossiers[0]], names[of_tables[0]]) == ("hộ tịch", "hộ tịch")
