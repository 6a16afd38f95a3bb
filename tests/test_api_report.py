"""`qms report` and the store: five formats, consolidation of monthly runs, corrective actions."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qms_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    done = run(
        "report",
        "--period",
        "H1-2019",
        "--data",
        str(SAMPLE),
        "--output-dir",
        str(out / "vi"),
        "--store",
        str(out / "none.sqlite"),
    )
    assert done.exit_code == 0, done.output
    english = run(
        "report",
        "--period",
        "H1-2019",
        "--data",
        str(SAMPLE),
        "--output-dir",
        str(out / "en"),
        "--lang",
        "en",
        "--format",
        "html,md,docx",
        "--store",
        str(out / "none.sqlite"),
    )
    assert english.exit_code == 0, english.output
    files = {p.suffix[1:]: p for p in (out / "vi").iterdir()}
    files |= {f"en.{p.suffix[1:]}": p for p in (out / "en").iterdir()}
    return files


def test_five_formats_written(reports: dict[str, Path]) -> None:
    assert {"html", "xlsx", "docx", "md", "json"} <= set(reports)


def test_html_is_self_contained_with_charts(reports: dict[str, Path]) -> None:
    html = reports["html"].read_text(encoding="utf-8")
    assert "<svg" in html and "<style>" in html
    resources = re.findall(r'(?:src|href)\s*=\s*"([^"]+)"', html)
    assert resources == []  # no image, stylesheet or script fetched from anywhere
    assert "<script" not in html


def test_json_agrees_with_evaluate(reports: dict[str, Path]) -> None:
    report = json.loads(reports["json"].read_text(encoding="utf-8"))
    evaluation = json.loads(
        run("evaluate", str(SAMPLE), "--period", "H1-2019", "--format", "json", "--no-store").stdout
    )
    assert report["schema"] == "qms.evaluation/1"
    assert report["indicators"] == evaluation["indicators"]
    assert report["shortfalls"] == evaluation["shortfalls"]
    assert report["report"]["previous_period"]["label"] == "H2-2018"
    assert set(report["report"]["trend"]) >= {"on_time", "supplement_rate", "satisfaction"}


def test_xlsx_has_its_sheets(reports: dict[str, Path]) -> None:
    with zipfile.ZipFile(reports["xlsx"]) as book:
        workbook = book.read("xl/workbook.xml").decode("utf-8")
    sheets = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert sheets == [
        *("Tổng hợp", "Đơn vị", "Theo tháng", "Biểu 06a", "Chưa đạt và khắc phục", "Chất lượng dữ liệu"),
        *("Vấn đề dữ liệu", "Đơn vị chưa gửi số liệu"),  # each with its own headers, when it has rows
    ]


def test_docx_carries_the_national_heading_and_tables(reports: dict[str, Path]) -> None:
    from docx import Document

    doc = Document(str(reports["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert "Kết quả thực hiện mục tiêu chất lượng 6 tháng đầu năm 2019" in text
    assert "Nơi nhận:" in cells and "TRƯỞNG PHÒNG" in cells
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in cells  # the results table
    assert doc.sections[0].left_margin.mm == pytest.approx(30, abs=0.01)


def test_english_outputs(reports: dict[str, Path]) -> None:
    assert "Dossiers resolved on time" in reports["en.html"].read_text(encoding="utf-8")
    assert "✔ Met" in reports["en.md"].read_text(encoding="utf-8")
    from docx import Document

    cells = "\n".join(c.text for t in Document(str(reports["en.docx"])).tables for r in t.rows for c in r.cells)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in cells


def test_monthly_runs_into_a_store_equal_one_run_over_the_half_year(tmp_path: Path) -> None:
    store = tmp_path / "qms.sqlite"
    months = sorted((SAMPLE / "dossiers" / "2019" / "phuong-an-lac").glob("*.xlsx"))
    for book in months:
        assert run("evaluate", str(book), "--store", str(store), "-q").exit_code in (0, 1)
    again = run("evaluate", str(months[0]), "--store", str(store), "-q")  # the same file: nothing changes
    assert again.exit_code in (0, 1)
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == len(months)
        assert db.execute("SELECT files_added, files_unchanged FROM runs ORDER BY id DESC").fetchone() == (0, 1)
    out = tmp_path / "out"
    assert (
        run("report", "--period", "H1-2019", "--store", str(store), "--format", "json", "-o", str(out)).exit_code == 0
    )
    from_store = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    one = json.loads(run("evaluate", *map(str, months), "--period", "H1-2019", "--format", "json", "--no-store").stdout)
    assert len(months) == 13  # twelve months and the re-exported March
    assert from_store["indicators"] == one["indicators"]
    assert from_store["data_quality"]["files"] == one["data_quality"]["files"]


def test_shortfalls_open_draft_actions_that_can_be_filled_and_closed(tmp_path: Path) -> None:
    store = tmp_path / "qms.sqlite"
    run("evaluate", str(SAMPLE), "--period", "H1-2019", "--store", str(store), "-q")
    listed = json.loads(run("actions", "list", "--store", str(store), "--format", "json").stdout)
    evaluation = json.loads(
        run("evaluate", str(SAMPLE), "--period", "H1-2019", "--format", "json", "--no-store").stdout
    )
    assert len(listed) == len(evaluation["shortfalls"]) > 0
    assert {a["status"] for a in listed} == {"draft"}
    first = listed[0]["id"]
    done = run(
        "actions",
        "update",
        str(first),
        "--store",
        str(store),
        "--cause",
        "Thiếu cán bộ",
        "--action",
        "Bổ sung nhân sự",
        "--status",
        "open",
    )
    assert done.exit_code == 0
    assert run("actions", "update", str(first), "--store", str(store), "--status", "finished").exit_code == 2  # usage
    out = tmp_path / "out"
    assert run("report", "--period", "H1-2019", "--store", str(store), "--format", "md", "-o", str(out)).exit_code == 0
    assert "Bổ sung nhân sự" in next(out.glob("*.md")).read_text(encoding="utf-8")
    run("evaluate", str(SAMPLE), "--period", "H1-2019", "--store", str(store), "-q")  # no duplicate drafts
    assert len(json.loads(run("actions", "list", "--store", str(store), "--format", "json").stdout)) == len(listed)


def test_broken_template_names_file_and_line(tmp_path: Path) -> None:
    from qms_cli.errors import UsageError
    from qms_cli.render.report import _render

    (tmp_path / "report.md.j2").write_text("line one\n{% for x in %}\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"report.md.j2, line 2"):
        _render("report.md.j2", {"indicators": []}, "vi", tmp_path)


def test_store_schema_is_versioned(tmp_path: Path) -> None:
    from qms_cli.store import SCHEMA_VERSION, Store

    store = Store(tmp_path / "s.sqlite")
    store.close()
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    # A store of a newer qms: the server's qms must be updated (environment, exit 5), no input to resend.
    assert run("report", "--period", "2019", "--store", str(tmp_path / "s.sqlite")).exit_code == 5


def test_a_second_run_on_a_locked_store_exits_4_and_changes_nothing(tmp_path: Path) -> None:
    import time

    from qms_cli.store_open import locked

    store = tmp_path / "qms.sqlite"
    book = SAMPLE / "dossiers" / "2019" / "phuong-an-lac" / "so-theo-doi-01-2019.xlsx"
    assert run("evaluate", str(book), "--store", str(store), "-q").exit_code in (0, 1)
    log = tmp_path / "qms.log"
    with locked(store):
        started = time.monotonic()
        busy = run("evaluate", str(SAMPLE / "dossiers" / "2019"), "--store", str(store), "--log-file", str(log))
        assert busy.exit_code == 4 and time.monotonic() - started < 5
        waited = run("evaluate", str(book), "--store", str(store), "--wait", "0.5")
        assert waited.exit_code == 4
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1
    assert "mã thoát 4" in log.read_text(encoding="utf-8")  # the log is in the run's language (vi by default)
    assert run("evaluate", str(book), "--store", str(store), "-q").exit_code in (0, 1)  # free again


def test_report_names_unreadable_files_and_exits_3(tmp_path: Path) -> None:
    bad = Path(__file__).parent / "bad_files"
    done = run(
        "report",
        "--period",
        "2019",
        "--data",
        str(bad),
        "-o",
        str(tmp_path / "out"),
        "--format",
        "json",
        "--store",
        str(tmp_path / "none.sqlite"),
    )
    assert done.exit_code == 3
    assert "cut-short.xlsx" in done.stderr
    report = json.loads(next((tmp_path / "out").glob("*.json")).read_text(encoding="utf-8"))
    assert {f["kind"] for f in report["data_quality"]["files"]} == {"unreadable", "unknown", "dossier_book"}


def test_a_run_that_dies_half_way_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qms_cli import api
    from qms_cli import store as store_module

    store = tmp_path / "qms.sqlite"
    books = sorted((SAMPLE / "dossiers" / "2019" / "phuong-an-lac").glob("*.xlsx"))
    api.evaluate(paths=[books[0]], store=store)
    calls = {"n": 0}
    real_blob = store_module._blob

    def dying_blob(frame):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:  # the third file's records: the process "dies" here
            raise KeyboardInterrupt
        return real_blob(frame)

    monkeypatch.setattr(store_module, "_blob", dying_blob)
    with pytest.raises(KeyboardInterrupt):
        api.evaluate(paths=books[1:5], store=store)
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
