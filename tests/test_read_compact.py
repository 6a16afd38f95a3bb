"""Compact record columns: categories for repeated texts, merged without turning into text or losing a value."""

from __future__ import annotations

import platform
import sys

import pandas as pd
import pytest

from qms_cli.read import compact as compact_module
from qms_cli.read.compact import compact, concat_records


def _book(procedures: list[str | None], sheet: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "procedure": pd.array(procedures, dtype="string"),
            "sheet": [sheet] * len(procedures),
            "row": range(7, 7 + len(procedures)),
        }
    )


def test_books_with_different_procedures_merge_into_one_category_with_the_same_texts() -> None:
    first = compact(_book(["Đăng ký khai sinh", "Chứng thực bản sao"], "Sổ 1"))
    later = compact(_book(["Cấp giấy phép xây dựng", "Đăng ký khai sinh"], "Sổ 2"))
    assert isinstance(first["procedure"].dtype, pd.CategoricalDtype)
    frames = [first, later]
    merged = concat_records(frames)
    assert frames == []  # the books' columns were released as they were merged
    assert isinstance(merged["procedure"].dtype, pd.CategoricalDtype)
    assert merged["procedure"].astype(object).tolist() == [
        "Đăng ký khai sinh",
        "Chứng thực bản sao",
        "Cấp giấy phép xây dựng",
        "Đăng ký khai sinh",
    ]
    assert merged["sheet"].astype(object).tolist() == ["Sổ 1", "Sổ 1", "Sổ 2", "Sổ 2"]
    assert merged["row"].tolist() == [7, 8, 7, 8]


def test_a_column_with_an_empty_cell_stays_text_so_that_none_is_not_turned_into_nan() -> None:
    full = compact(_book(["Đăng ký khai sinh"], "Sổ 1"))
    gaps = compact(_book([None, "Đăng ký khai sinh"], "Sổ 2"))
    assert not isinstance(gaps["procedure"].dtype, pd.CategoricalDtype)
    merged = concat_records([full, gaps])
    assert not isinstance(merged["procedure"].dtype, pd.CategoricalDtype)
    assert merged["procedure"].isna().tolist() == [False, True, False]
    assert merged["procedure"].iloc[2] == "Đăng ký khai sinh"


def test_books_kept_as_arrow_by_the_store_merge_into_the_same_records_as_pandas_frames() -> None:
    import pyarrow as pa

    from qms_cli.read.compact import with_source

    def books() -> list[pd.DataFrame]:
        return [
            compact(_book(["Đăng ký khai sinh", "Chứng thực bản sao"], "Sổ 1")),
            compact(_book(["Cấp giấy phép xây dựng", "Đăng ký khai sinh"], "Sổ 2")),
            compact(_book(["Chứng thực bản sao"], "Sổ 3")),
        ]

    by_pandas = concat_records([with_source(f, i) for i, f in enumerate(books())])
    stored = [pa.Table.from_pandas(f, preserve_index=False) for f in books()[:2]]  # as the store gives them
    earlier = [*(t.to_pandas() for t in stored), books()[2]]
    file_by_file = concat_records([with_source(f, i) for i, f in enumerate(earlier)])
    frames = [with_source(f, i) for i, f in enumerate([*stored, books()[2]])]  # and one book parsed now
    assert isinstance(frames[0], pa.Table)
    by_arrow = concat_records(frames)
    assert frames == []
    # what the store gave before (each file to pandas, then merged), exactly: types and categories
    pd.testing.assert_frame_equal(by_arrow, file_by_file, check_exact=True)
    assert by_arrow["procedure"].cat.categories.tolist() == [  # each book's, in the order first met
        "Chứng thực bản sao",
        "Đăng ký khai sinh",
        "Cấp giấy phép xây dựng",
    ]
    # and the same values as the books merged without the store
    for column in ("procedure", "sheet"):
        assert by_arrow[column].astype(object).tolist() == by_pandas[column].astype(object).tolist()
    assert by_arrow["row"].tolist() == [7, 8, 7, 8, 7]
    assert by_arrow["source"].tolist() == [0, 0, 1, 1, 2]


def test_stored_books_whose_column_types_differ_are_merged_as_pandas_frames() -> None:
    import pyarrow as pa

    full = compact(_book(["Đăng ký khai sinh"], "Sổ 1"))  # procedure a category
    gaps = compact(_book([None, "Đăng ký khai sinh"], "Sổ 2"))  # procedure text: it has an empty cell
    tables = [pa.Table.from_pandas(f, preserve_index=False) for f in (full, gaps)]
    merged = concat_records(tables)
    assert merged["procedure"].tolist()[0] == "Đăng ký khai sinh"
    assert merged["procedure"].isna().tolist() == [False, True, False]
    assert merged["row"].tolist() == [7, 7, 8]


def test_many_books_merge_by_their_arrays_with_the_types_pandas_gives() -> None:
    # Worked out by hand from pandas' rules (categories listed in order: each category part's own,
    # sorted as astype('category') sorts them, then each text part's values as they come).
    a = pd.DataFrame(
        {
            "unit": pd.Categorical(["an-lac", "tan-tao"], categories=["an-lac", "tan-tao", "binh-tri-dong"]),
            "code": pd.Series(["b", "a"], dtype="str").astype("category"),
            "gap": pd.Series(["x", "y"], dtype="str").astype("category"),
            "note": pd.Series([None, None], dtype=object),
            "received": pd.to_datetime(["2019-01-02", "2019-01-03"]).astype("datetime64[s]"),
            "source": [0, 0],
        }
    )
    b = pd.DataFrame(
        {
            "unit": pd.Categorical(["binh-tri-dong"], categories=["tan-tao", "an-lac", "binh-tri-dong"]),
            "code": pd.Series(["c"], dtype="str"),
            "gap": pd.Series([None], dtype="str"),
            "note": pd.Series(["ghi chú"], dtype=object),
            "received": pd.to_datetime(["2019-02-01"]).astype("datetime64[s]"),
            "source": [0],
        }
    )
    merged = concat_records([a, b], sources=[4, 9])
    assert merged["unit"].tolist() == ["an-lac", "tan-tao", "binh-tri-dong"]
    assert list(merged["unit"].cat.categories) == ["an-lac", "tan-tao", "binh-tri-dong"]  # the first book's order
    assert list(merged["code"].cat.categories) == ["a", "b", "c"]
    assert merged["code"].astype(object).tolist() == ["b", "a", "c"]
    assert not isinstance(merged["gap"].dtype, pd.CategoricalDtype)  # an empty cell: text, as pandas makes it
    assert merged["gap"].iloc[:2].tolist() == ["x", "y"] and pd.isna(merged["gap"].iloc[2])
    assert merged["note"].dtype == object and merged["note"].tolist() == [None, None, "ghi chú"]
    assert merged["received"].dtype == "datetime64[s]"
    assert merged["received"].dt.strftime("%d/%m/%Y").tolist() == ["02/01/2019", "03/01/2019", "01/02/2019"]
    assert merged["source"].tolist() == [4, 4, 9]  # the sources given, not the frames' own


def test_the_merge_by_arrays_equals_pandas_concat_of_the_same_frames() -> None:
    books = [
        compact(_book(["Đăng ký khai sinh", "Chứng thực bản sao"], "Sổ 1")),
        compact(_book([None, "Đăng ký khai sinh"], "Sổ 2")),
        _book(["Cấp giấy phép xây dựng"], "Sổ 3"),
    ]
    expected = pd.concat([b.astype({"procedure": object}) for b in books], ignore_index=True)
    merged = concat_records([b.copy() for b in books])
    assert merged["procedure"].astype(object).where(merged["procedure"].notna(), None).tolist() == [
        "Đăng ký khai sinh",
        "Chứng thực bản sao",
        None,
        "Đăng ký khai sinh",
        "Cấp giấy phép xây dựng",
    ]
    assert merged["sheet"].astype(object).tolist() == expected["sheet"].astype(object).tolist()
    assert merged["row"].tolist() == [7, 8, 7, 8, 7]


def test_issues_kept_as_arrow_by_the_store_come_back_in_file_order_with_their_rows_as_integers() -> None:
    import pyarrow as pa

    from qms_cli.data_quality import ISSUE_COLUMNS, QualityLog

    def issues(path: str, rows: list[int], code: str = "due-on-day-off") -> pd.DataFrame:
        n = len(rows)
        return pd.DataFrame(
            {"code": [code] * n, "path": [path] * n, "sheet": ["Sổ"] * n, "row": rows, "column": ["G"] * n}
            | {"header": ["Hẹn trả"] * n, "value": [None] * n},
            columns=ISSUE_COLUMNS,
        )

    def stored(frame: pd.DataFrame) -> pa.Table:  # as store.encode keeps a file's issues
        return pa.Table.from_pandas(frame.astype({"row": "float64"}), preserve_index=False)

    log = QualityLog()
    log.add_frame(issues("a.xlsx", [7]))
    log.add_table(stored(issues("b.xlsx", [8, 9])))
    log.add_table(stored(compact_issues_of(issues("c.xlsx", list(range(10, 80))))))  # categories: another schema
    log.add_table(stored(issues("d.xlsx", [5])))
    log.add_frame(issues("e.xlsx", [6], "missing-due-date"))
    frame = log.issues_frame()
    assert frame["path"].astype(object).tolist() == ["a.xlsx", "b.xlsx", "b.xlsx", *["c.xlsx"] * 70, "d.xlsx", "e.xlsx"]
    assert frame["row"].tolist() == [7, 8, 9, *range(10, 80), 5, 6]
    assert str(frame["row"].dtype) == "Int64"
    assert log.count("due-on-day-off", "b.xlsx", "Sổ") == 2  # the Arrow ones counted as well
    assert [i["count"] for i in log.issues()] == [74, 1]


def compact_issues_of(frame: pd.DataFrame) -> pd.DataFrame:
    from qms_cli.read.compact import compact_issues

    compact_issues([frame])
    return frame


def test_a_consuming_merge_gives_the_books_memory_back_after_each_column(monkeypatch) -> None:
    # The books' small blocks, freed column by column, stay in the C heap unless given back (a
    # city's year: 1,092 -> 828 MiB on 2.5 million rows, docs/performance.md).
    calls: list[int] = []
    monkeypatch.setattr(compact_module, "give_back_memory", lambda: calls.append(1))
    books = [_book(["Khai sinh"], "T1"), _book(["Kết hôn", None], "T2")]
    merged = concat_records(books, sources=[0, 1])
    assert len(calls) == 3  # procedure, sheet, row
    assert merged["row"].tolist() == [7, 7, 8]
    concat_records([_book(["Khai sinh"], "T1")], consume=False)
    assert len(calls) == 3  # the caller keeps its frames: nothing was freed


@pytest.mark.skipif(sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_glibc_heap_is_trimmed() -> None:
    assert compact_module._malloc_trim() is not None
    compact_module.give_back_memory()  # returns nothing, raises nothing


def test_an_issue_check_of_many_rows_writes_its_repeated_texts_as_the_categories_compact_issues_makes() -> None:
    # IssueSink gives a check of 64 rows or more its code, file, sheet, column and header as categories of
    # one text each, made from their codes; the frame equals the one compact_issues made of the texts.
    import numpy as np
    import pyarrow as pa

    from qms_cli.data_quality import QualityLog
    from qms_cli.read.common import IssueSink
    from qms_cli.read.compact import compact_issues
    from qms_cli.read.headers import Header

    header = Header(row=0, depth=1, columns={"due": 2}, labels={2: "Hẹn trả"}, ignored={})
    for rows, sheet in ((64, "Sổ 1"), (63, "Sổ 1"), (70, None)):
        log = QualityLog()
        due = pa.array([f"0{d % 9 + 1}/03/2019" for d in range(rows)])
        IssueSink(log, "so-1.xlsx", sheet, header, {"due": due}, 2)(np.ones(rows, bool), "due-on-day-off", "due")
        (made,) = log._frames
        texts = pd.DataFrame(
            {
                "code": ["due-on-day-off"] * rows,
                "path": ["so-1.xlsx"] * rows,
                "sheet": [sheet] * rows,
                "row": np.arange(2, 2 + rows),
                "column": ["C"] * rows,
                "header": ["Hẹn trả"] * rows,
                "value": due.to_pylist(),
            }
        )
        compact_issues([texts])
        pd.testing.assert_frame_equal(made, texts)
        categories = [c for c in made if isinstance(made[c].dtype, pd.CategoricalDtype)]
        expected = [] if rows < 64 else ["code", "path", "column", "header"] + (["sheet"] if sheet else [])
        assert sorted(categories) == sorted(expected)
