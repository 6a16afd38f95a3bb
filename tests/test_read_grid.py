"""qms_cli.read.grid: the sheet's grid, its column letters as Excel names them."""

from __future__ import annotations

from qms_cli.read.grid import column_letter


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]
