"""qms_cli.read.grid: the sheet's grid, its column letters as Excel names them."""

from __future__ import annotations

from qms_cli.read.grid import column_letter


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


def test_a_column_asked_for_its_first_rows_is_read_whole_where_a_legacy_font_may_show(tmp_path) -> None:
    # The fit check samples a personal-data column: its first rows are enough, unless a cell holds a sign of
    # a legacy font, whose cells the sheet's report counts (legacy-encoding) wherever they are. Names fake.
    from helpers import write_csv

    from qms_cli.read.grid import open_grids

    rows = [[f"HS{i}", "Người Giả Mẫu"] for i in range(30)]
    (grid,) = open_grids(write_csv(tmp_path / "a.csv", ["Mã hồ sơ", "Tên người nộp"], rows))
    part = grid.arrays(1, [1], limit=10)[1]
    assert len(part) == 10 and part.to_pylist() == ["Người Giả Mẫu"] * 10
    assert grid.legacy["tcvn3"] == []
    rows[25][1] = "Ng\u00adêi Gi¶ MÉu"  # TCVN3 typed as Windows-1252: "Người Giả Mẫu", in row 27
    (grid,) = open_grids(write_csv(tmp_path / "b.csv", ["Mã hồ sơ", "Tên người nộp"], rows))
    whole = grid.arrays(1, [1], limit=10)[1]
    assert len(whole) == 30 and whole[25].as_py() == "Người Giả Mẫu"  # converted
    assert len(grid.legacy["tcvn3"]) == 1
    rows[25][1] = "Giả Nun\u0303ez"  # a decomposed "ñ": a sign once NFC composes it, so the whole is read
    (grid,) = open_grids(write_csv(tmp_path / "c.csv", ["Mã hồ sơ", "Tên người nộp"], rows))
    assert len(grid.arrays(1, [1], limit=10)[1]) == 30


def test_what_nfc_may_turn_into_a_legacy_sign_is_looked_for_before_reading_only_the_first_rows() -> None:
    # A character NFC makes a sign of (of TCVN3, or any of U+00A1-U+00FF once a sheet shows TCVN3) comes
    # from a code point NFC replaces, or from the letter and marks a sign decomposes into: each such code
    # point and mark is among those looked for.
    import re
    import sys
    import unicodedata

    from qms_cli.read.grid import _BECOME_SIGNS
    from qms_cli.text import TCVN3_SIGNS

    looked_for = re.compile(f"[{_BECOME_SIGNS}]")
    signs = set(TCVN3_SIGNS + "ñÑ") | set(map(chr, range(0xA1, 0x100)))
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if not 0xD800 <= code <= 0xDFFF and ch not in signs and set(unicodedata.normalize("NFC", ch)) & signs:
            assert looked_for.match(ch), f"U+{code:04X}"
    for sign in signs:
        for mark in unicodedata.normalize("NFD", sign)[1:]:
            assert looked_for.match(mark), f"U+{ord(mark):04X} in {sign}"
