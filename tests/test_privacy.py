"""Privacy under every header and every sample: no planted personal value reaches an output or the
store, whatever the personal column is called; a free text that names a person (a Trích yếu of one
dossier) is not kept. The store is checked decoded (every Arrow record and JSON column), not only as
raw bytes. All names, addresses and numbers below are obviously fake."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pyarrow as pa
import pytest
from helpers import write_xlsx
from typer.testing import CliRunner

from qms_cli.cli import app

SPELLINGS = [
    "Họ tên",
    "Họ và tên người nộp",
    "HỌ VÀ TÊN",
    "Ho ten",  # typed without diacritics
    "Chủ hồ sơ",
    "Tên cá nhân tổ chức",
    "Tên tổ chức, cá nhân",
    "Tên cơ quan, tổ chức, cá nhân",  # says "cơ quan" (a unit) too: a person wins
    "Người nộp hồ sơ",
    "SĐT",
    "Điện thoại liên hệ",
    "Số điện thoại di động",
    "Địa chỉ thường trú",
    "Địa chỉ liên hệ",
    "Email",
    "E-mail",
    "CCCD",
    "Số CMND/CCCD",
    "Cán bộ tiếp nhận",
]
PLANTED = "Giả Định Bí Mật"  # in every personal cell, with the column's number after it
RARE = "Đăng ký khai sinh cho bé Trần Giả Lập Riêng"  # a Trích yếu of one dossier: names a child


def _book(folder: Path) -> None:
    header = ["Mã hồ sơ", *SPELLINGS, "Trích yếu", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]
    rows = [header]
    for i in range(6):
        personal = [f"{PLANTED} {c}-{i}" for c in range(len(SPELLINGS))]
        summary = RARE if i == 0 else "Cấp bản sao trích lục hộ tịch"  # five dossiers: a procedure name
        late = "20/02/2019" if i % 2 else "08/02/2019"
        rows.append([f"PV{i}", *personal, summary, "04/02/2019", "11/02/2019", late])
    write_xlsx(folder / "phuong-an-lac" / "so-theo-doi-02-2019.xlsx", rows)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [s for k in value for s in _strings(k)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _store_texts(store: Path) -> list[str]:
    """Every text of the store, decoded: each column of each table, each Arrow record, each JSON."""
    out: list[str] = []
    with closing(sqlite3.connect(store)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):  # noqa: S608 - names from the schema
                for cell in row:
                    if isinstance(cell, bytes):
                        try:
                            data = pa.ipc.open_stream(io.BytesIO(cell)).read_all()
                        except pa.ArrowInvalid:
                            out.append(cell.decode("utf-8", "replace"))
                            continue
                        out += _strings(data.to_pylist())
                    elif isinstance(cell, str):
                        out.append(cell)
                        try:
                            out += _strings(json.loads(cell))
                        except ValueError:
                            pass
    return out


def test_no_personal_value_in_any_output_or_in_the_decoded_store(tmp_path: Path) -> None:
    _book(tmp_path / "in")
    store = tmp_path / "qms.sqlite"
    runner = CliRunner()
    evaluated = runner.invoke(
        app, ["evaluate", str(tmp_path / "in"), "--store", str(store), "--format", "json", "--period", "2019-02"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    table = runner.invoke(app, ["evaluate", str(tmp_path / "in"), "--no-store", "--period", "2019-02"])
    validated = runner.invoke(app, ["validate", str(tmp_path / "in"), "--format", "json"])
    out = tmp_path / "reports"
    report = runner.invoke(
        app, ["report", "--period", "2019-02", "--store", str(store), "-o", str(out), "--format", "html,md,json,xlsx"]
    )
    assert report.exit_code == 0, report.output
    texts = [evaluated.output, table.output, validated.output, report.output]
    for path in out.iterdir():
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts += [book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")]
        else:
            texts.append(path.read_text(encoding="utf-8"))
    texts += _store_texts(store)
    texts.append(store.read_bytes().decode("utf-8", "replace"))
    for text in texts:
        assert PLANTED not in text
        assert "Giả Định" not in text and "Trần Giả Lập" not in text
    # the repeated procedure name is kept (it is no one's), and the withheld text is said, without it
    assert any("Cấp bản sao trích lục hộ tịch" in t for t in _store_texts(store))
    issues = json.loads(validated.stdout)["data_quality"]["issues"]
    withheld = next(i for i in issues if i["code"] == "free-text-withheld")
    assert withheld["count"] == 1 and "1 row(s)" in withheld["samples"][0]["value"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_spelling_alone_keeps_its_values_out(tmp_path: Path, spelling: str) -> None:
    rows = [["Mã hồ sơ", spelling, "Ngày nhận", "Ngày hẹn trả"]]
    rows += [[f"S{i}", f"{PLANTED} {i}", "04/02/2019", "11/02/2019"] for i in range(3)]
    write_xlsx(tmp_path / "phuong-an-lac" / "so.xlsx", rows)
    done = CliRunner().invoke(app, ["validate", str(tmp_path / "phuong-an-lac"), "--format", "json"])
    assert PLANTED not in done.output
    result = json.loads(done.stdout)
    assert sum(f["rows_accepted"] for f in result["data_quality"]["files"]) == 3  # the rows still count


def test_the_first_cells_remembered_between_books_are_never_a_text_with_a_letter() -> None:
    # data_rows remembers, for the run, which first cells begin a signature line: the row numbers a city's
    # books repeat, never a text with a letter (a free text there may name a person).
    from qms_cli.read import common
    from qms_cli.read.headers import Header

    common._FOOTERS.clear()
    header = Header(row=0, depth=1, columns={"seq": 0, "procedure": 1}, labels={}, ignored={})
    first = pa.array(["1", "2", "Người Giả Mẫu", None, "Người lập biểu", "3"])
    rows = common.data_rows({0: first, 1: pa.array(["Khai sinh"] * 6)}, header)
    assert rows.tolist() == [True, True, True, True, False, True]  # the signature line is not a dossier row
    assert set(common._FOOTERS) == {"1", "2", "3"}
