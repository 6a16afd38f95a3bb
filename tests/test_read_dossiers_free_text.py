"""Free text against the procedure catalogue (issue 11, item 8): a free-text procedure column (Trích yếu)
keeps a text that is a name of objectives.yaml's procedure catalogue (folded, whole) or that repeats in
at least 3 rows of its sheet; any other text is withheld. The store reads a file again when the
catalogue changes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import write_xlsx

from qms_cli.config import load_objectives, packaged_path
from qms_cli.data_quality import QualityLog
from qms_cli.errors import UsageError
from qms_cli.read.files import read_files
from qms_cli.store import Store, read_changed, reader_key

NAMED = "Cấp bản sao trích lục hộ tịch"  # twice in the sheet: a catalogue name
REPEATED = "Đăng ký kết hôn"  # three times: kept by its repeats alone
CHILD = "Đăng ký khai sinh cho bé Giả Lập"  # once: someone's own text
LONGER = "Cấp bản sao trích lục hộ tịch cho ông Giả Định"  # holds a name, but is not one whole
TEXTS = [NAMED, REPEATED, CHILD, NAMED, REPEATED, LONGER, REPEATED]


def _book(folder: Path) -> Path:
    rows = [["Mã hồ sơ", "Trích yếu", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]]
    rows += [[f"FT{i}", t, "04/02/2019", "11/02/2019", "08/02/2019"] for i, t in enumerate(TEXTS)]
    return write_xlsx(folder / "phuong-an-lac" / "so-02-2019.xlsx", rows)


def _objectives(folder: Path, catalogue: list[str] | None) -> Path:
    """The packaged objectives.yaml, with a catalogue of these names beside it (or none)."""
    text = packaged_path("objectives.yaml").read_text(encoding="utf-8")
    if catalogue is not None:
        rows = [["Mã thủ tục", "Tên thủ tục", "Mức độ", "Thời hạn giải quyết", "Năm áp dụng"]]
        rows += [[f"TT{i}", name, "3", "5", "2019"] for i, name in enumerate(catalogue)]
        write_xlsx(folder / "danh-muc" / "tthc.xlsx", rows)
        text += "\nprocedure_catalogue: danh-muc/tthc.xlsx\n"
    path = folder / "objectives.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _procedures(frames: list[pd.DataFrame]) -> list[object]:
    frame = pd.concat([f if isinstance(f, pd.DataFrame) else f.to_pandas() for f in frames])
    return [None if pd.isna(v) else v for v in frame.sort_values("dossier_id")["procedure"].astype(object)]


def test_a_catalogue_name_is_kept_however_rarely_it_occurs(tmp_path: Path) -> None:
    book = _book(tmp_path / "in")
    # the catalogue writes the name in capitals and with its diacritics: folded, it is the book's text whole
    spec = load_objectives(_objectives(tmp_path, ["CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH", "Chứng thực chữ ký"])).spec
    log = QualityLog()
    (result,) = read_files([book], spec, log)
    # FT0..FT6: NAMED kept (catalogue), REPEATED kept (3 rows), CHILD and LONGER withheld (once, no name)
    assert _procedures(result.frames) == [NAMED, REPEATED, None, NAMED, REPEATED, None, REPEATED]
    (withheld,) = [i for i in result.log.issues() if i["code"] == "free-text-withheld"]
    assert withheld["count"] == 1 and withheld["samples"][0]["value"].startswith("2 row(s)")


def test_without_a_catalogue_a_name_found_twice_is_withheld(tmp_path: Path) -> None:
    book = _book(tmp_path / "in")
    spec = load_objectives(_objectives(tmp_path, None)).spec
    (result,) = read_files([book], spec, QualityLog())
    assert _procedures(result.frames) == [None, REPEATED, None, None, REPEATED, None, REPEATED]


def test_the_store_reads_a_file_again_when_the_catalogue_changes(tmp_path: Path) -> None:
    book = _book(tmp_path / "in")
    plain = load_objectives(_objectives(tmp_path / "a", None)).spec
    named = load_objectives(_objectives(tmp_path / "b", [NAMED])).spec
    assert reader_key(plain) != reader_key(named)
    with Store(tmp_path / "s.sqlite") as store:
        results, seen = read_changed([book], plain, QualityLog(), store)
        store.save(results, "test", None, "-", {}, seen, reader_key(plain))
        again, seen = read_changed([book], named, QualityLog(), store)
        assert seen[0].stored_id is None  # parsed again: the stored records had the name withheld
        assert _procedures(again[0].frames) == [NAMED, REPEATED, None, NAMED, REPEATED, None, REPEATED]
        store.save(again, "test", None, "-", {}, seen, reader_key(named))
        (kept,) = store.results()
        assert _procedures(kept.frames) == [NAMED, REPEATED, None, NAMED, REPEATED, None, REPEATED]
        _, seen = read_changed([book], named, QualityLog(), store)
        assert seen[0].stored_id is not None  # the same catalogue: taken from the store


def test_a_catalogue_that_is_missing_or_not_one_is_a_usage_error(tmp_path: Path) -> None:
    text = packaged_path("objectives.yaml").read_text(encoding="utf-8") + "\nprocedure_catalogue: nowhere.xlsx\n"
    path = tmp_path / "objectives.yaml"
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    with pytest.raises(UsageError, match=f"line {line}: procedure_catalogue: .*nowhere.xlsx is not a file"):
        load_objectives(path)
    _book(tmp_path / "in")
    path.write_text(text.replace("nowhere.xlsx", "in/phuong-an-lac/so-02-2019.xlsx"), encoding="utf-8")
    with pytest.raises(UsageError, match="is not a procedure catalogue"):
        read_files([tmp_path / "in"], load_objectives(path).spec, QualityLog())
