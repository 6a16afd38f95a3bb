"""Compact record columns: categories for repeated texts, merged without turning into text or losing a value."""

from __future__ import annotations

import pandas as pd

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
