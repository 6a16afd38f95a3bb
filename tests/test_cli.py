"""The contract of spec/cli.md: commands, exit codes, the JSON shape, no traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import write_csv
from typer.testing import CliRunner

from qms_cli import __version__
from qms_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
IDS = [
    "on_time",
    "supplement_rate",
    "online_l3_growth",
    "online_l4_share",
    "postal_in_share",
    "postal_out_share",
    "satisfaction",
    "inspection_coverage",
    "iso_transition",
]
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def sample_json() -> dict:
    result = run("evaluate", str(SAMPLE), "--period", "H1-2019", "--format", "json", "--no-store")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sample_json_follows_the_schema(sample_json: dict) -> None:
    assert sample_json["schema"] == "qms.evaluation/1"
    assert sample_json["period"] == {"label": "H1-2019", "start": "2019-01-01", "end": "2019-06-30"}
    assert sample_json["objectives_file"]["decision"] == "784/QĐ-UBND"
    assert len(sample_json["objectives_file"]["sha256"]) == 64
    assert [i["id"] for i in sample_json["indicators"]] == IDS
    for ind in sample_json["indicators"]:
        assert set(ind["target"]) == {"op", "value"}
        for entry in [ind["district"], *ind["units"]]:
            assert {"numerator", "denominator", "value", "ci95", "conclusive", "status"} <= set(entry)
            assert entry["status"] in {"met", "not_met", "in_progress", "no_data"}
            if entry["denominator"] == 0:
                assert entry["value"] is None and entry["status"] == "no_data"
    for key in ("files", "issues", "missing_submissions"):
        assert key in sample_json["data_quality"]
    for short in sample_json["shortfalls"]:
        assert {"indicator", "unit", "value", "target", "gap", "conclusive", "owner", "action_required"} <= set(short)


def test_sample_rows_are_all_accounted_for(sample_json: dict) -> None:
    files = sample_json["data_quality"]["files"]
    on_disk = [p for p in SAMPLE.rglob("*") if p.suffix in (".xlsx", ".xls", ".csv")]
    assert len(files) == len(on_disk)  # every file has one sheet, and every sheet is reported
    for f in files:
        assert f["rows_read"] == f["rows_accepted"] + f["rows_rejected"] + f["rows_skipped"]
    # Planted by scripts/make_sample_data.py: 3 rejected rows in February for each of the six units,
    # one March export of An Lạc exported again later.
    assert sum(f["rows_rejected"] for f in files) == 18
    march = next(f for f in files if f["path"].endswith("phuong-an-lac/so-theo-doi-03-2019.xlsx"))
    assert march["rows_superseded"] == march["rows_accepted"]


def test_district_is_sum_of_units(sample_json: dict) -> None:
    for ind in sample_json["indicators"][:6]:
        if ind["id"] == "online_l3_growth":
            continue
        units = [u for u in ind["units"] if u["status"] != "no_data" or u["denominator"]]
        assert ind["district"]["numerator"] == sum(u["numerator"] for u in units)
        assert ind["district"]["denominator"] == sum(u["denominator"] for u in units)


def test_table_output_has_status_text_and_symbol() -> None:
    result = run("evaluate", str(SAMPLE), "--period", "H1-2019")
    assert result.exit_code == 0
    assert "✔ Đạt" in result.stdout and "✘ Không đạt" in result.stdout
    assert re.search(r"\b\d{1,3},\d{2} %", result.stdout)  # decimal comma in Vietnamese
    english = run("evaluate", str(SAMPLE), "--period", "H1-2019", "--lang", "en")
    assert "✔ Met" in english.stdout and "Not met" in english.stdout
    assert re.search(r"\b\d{1,3}\.\d{2} %", english.stdout)


def test_csv_output_one_row_per_indicator_and_scope(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    result = run("evaluate", str(SAMPLE), "--period", "H1-2019", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("indicator,objective,unit,name,numerator,denominator,value")
    assert len(lines) == 1 + 7 * (1 + 26) + 2  # seven per-unit indicators, two district-only ones


@pytest.mark.parametrize(
    "args",
    [
        ["--period", "H3-2019"],
        ["--period", "2019-13"],
        ["--rule", "on_time_denominator=sometimes"],
        ["--rule", "no_such_rule=1"],
        ["--rule", "missing-equals"],
        ["--format", "pdf"],
        ["--lang", "fr"],
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    result = run("evaluate", str(SAMPLE), *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_bad_rule_lists_allowed_values() -> None:
    result = run("evaluate", str(SAMPLE), "--rule", "on_time_denominator=sometimes")
    assert "resolved, resolved_and_overdue, due, received" in result.stderr


def test_bad_objectives_file_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    text = (ROOT / "objectives.yaml").read_text(encoding="utf-8").replace("value: 0.98", "value: lots")
    bad = tmp_path / "objectives.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run("evaluate", str(SAMPLE), "--objectives", str(bad))
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "indicators.0.target.value" in result.stderr


def test_no_input_exits_3(tmp_path: Path) -> None:
    result = run("evaluate", str(tmp_path))
    assert result.exit_code == 3
    assert "không tìm thấy tệp .xlsx, .xls hay .csv nào" in result.stderr


def test_unreadable_file_named_and_exit_3_while_good_rows_count(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["K1", "02/01/2019", "09/01/2019", "08/01/2019"]],
    )
    (tmp_path / "broken.xlsx").write_bytes(b"this is not a workbook")
    result = run("evaluate", str(tmp_path), "--format", "json", "--period", "2019-01")
    assert result.exit_code == 3
    assert "broken.xlsx" in result.stderr
    data = json.loads(result.stdout)
    assert next(u for u in data["indicators"][0]["units"] if u["unit"] == "phuong-tan-tao")["denominator"] == 1


def test_fail_on_shortfall_exits_1() -> None:
    assert run("evaluate", str(SAMPLE), "--period", "H1-2019", "--fail-on-shortfall", "-q").exit_code == 1


def test_default_period_is_printed_and_covers_the_latest_year() -> None:
    result = run("evaluate", str(SAMPLE / "dossiers"), "--format", "json")
    assert json.loads(result.stdout)["period"]["label"] == "2019"  # 2018 is read as the baseline
    first_half = run("evaluate", str(SAMPLE / "dossiers" / "2019" / "phuong-an-lac" / "so-theo-doi-05-2019.xlsx"))
    assert "Kỳ: tháng 5 năm 2019" in first_half.stdout


def test_version_and_help_examples() -> None:
    assert run("--version").stdout.strip() == f"qms {__version__}"
    for command in ("evaluate", "validate"):
        help_text = run(command, "--help").stdout  # the help is Vietnamese by default
        assert "Ví dụ" in help_text and f"qms {command} " in help_text


@pytest.mark.parametrize(
    ("args", "env", "word"), [(["--lang", "en"], {}, "Example"), ([], {"QMS_LANG": "en"}, "Example")]
)
def test_help_follows_lang_and_qms_lang(args: list[str], env: dict[str, str], word: str) -> None:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "qms_cli", "evaluate", "--help", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert word in done.stdout and "Ví dụ" not in done.stdout
    assert "Keep nothing between runs." in done.stdout  # --no-store, in English


def test_evaluate_keeps_a_store_in_the_current_folder_unless_no_store(tmp_path: Path) -> None:
    book = write_csv(
        tmp_path / "in" / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["K1", "02/01/2019", "09/01/2019", "08/01/2019"]],
    )
    assert run("evaluate", str(book), "--no-store", "-q").exit_code == 0
    assert not (tmp_path / "qms.sqlite").exists()  # conftest runs every test in its tmp_path
    assert run("evaluate", str(book), "-q").exit_code == 0
    assert (tmp_path / "qms.sqlite").exists()
    reported = run("report", "--period", "2019-01", "--format", "json", "-o", str(tmp_path / "out"))
    assert reported.exit_code == 0, reported.output  # the README's monthly workflow: evaluate, then report


def test_messages_follow_lang(tmp_path: Path) -> None:
    book = write_csv(
        tmp_path / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["K1", "02/01/2019", "09/01/2019", "08/01/2019"]],
    )
    vi = run("evaluate", str(book), "--no-store")
    en = run("evaluate", str(book), "--no-store", "--lang", "en")
    assert "qms: 1 tệp; đọc 1 dòng = nhận 1" in vi.stderr
    assert "qms: 1 file(s); rows read 1 = accepted 1" in en.stderr


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (
            ["evaluate", "{tmp}", "--no-store"],
            "không tìm thấy tệp .xlsx, .xls hay .csv nào trong",
            "no .xlsx, .xls or .csv file",
        ),
        (
            ["evaluate", "{tmp}", "--no-store", "--period", "H3-2019"],
            "không hiểu kỳ 'H3-2019'",
            "unknown period 'H3-2019'",
        ),
        (
            ["evaluate", "{tmp}", "--no-store", "--rule", "speed=fast"],
            "không có quy tắc 'speed'",
            "unknown rule 'speed'",
        ),
        (
            ["evaluate", "{tmp}", "--no-store", "--rule", "completion=never"],
            "quy tắc completion='never' không được phép; completion nhận: result_ready, returned",
            "rule completion='never' is not allowed; completion takes: result_ready, returned",
        ),
        (
            ["init", "muc-tieu.yaml"],  # in the current folder (tmp_path), there already
            "muc-tieu.yaml đã có: hãy chọn tên khác, hoặc dùng --force để ghi đè",
            "muc-tieu.yaml exists already: choose another name, or --force to replace it",
        ),
    ],
)
def test_errors_follow_lang(tmp_path: Path, args: list[str], vi: str, en: str) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    (tmp_path / "muc-tieu.yaml").write_text("# a file of the official's own\n", encoding="utf-8")
    said_vi, said_en = run(*args), run(*args, "--lang", "en")
    assert said_vi.exit_code == said_en.exit_code and said_vi.exit_code in (2, 3)
    assert f"qms: lỗi: {vi}" in said_vi.stderr.replace("\n", " ") and en not in said_vi.stderr
    assert "qms: error: " in said_en.stderr and en in said_en.stderr.replace("\n", " ")


def test_validate_json(tmp_path: Path) -> None:
    result = run("validate", str(SAMPLE / "dossiers" / "2019" / "phong-tu-phap"), "--format", "json")
    assert result.exit_code == 1  # February's export carries the three rejected rows the sample plants
    data = json.loads(result.stdout)
    assert data["schema"] == "qms.validation/1"
    assert len(data["data_quality"]["files"]) == 12  # one export a month


def test_sample_2019_has_a_value_for_every_indicator_some_met_some_not() -> None:
    data = json.loads(run("evaluate", str(SAMPLE), "--period", "2019", "--format", "json").stdout)
    assert all(ind["district"]["value"] is not None for ind in data["indicators"])
    statuses = {ind["district"]["status"] for ind in data["indicators"]}
    assert {"met", "not_met"} <= statuses
    kinds = {f["kind"] for f in data["data_quality"]["files"]}
    assert kinds == {
        "dossier_book",
        "summary_06a",
        "satisfaction_survey",
        "inspection_register",
        "transition_milestones",
        "procedure_catalogue",
    }
    text = json.dumps(data, ensure_ascii=False)
    assert "Người dân Mẫu" not in text and "Công dân Mẫu" not in text  # the surveys' and books' names
