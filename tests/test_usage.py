"""The framework's usage errors in the run's language: Vietnamese by default (or QMS_LANG=vi), the
framework's own English with --lang en or QMS_LANG=en; each names its option, argument or value and
exits 2 (spec/cli.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qms_cli.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]

# (arguments, the usage line's start, the Vietnamese error line, the English one as typer writes it)
CASES = [
    (
        ["init", "--example", "bogus"],
        "Cách dùng: root init [TÙY CHỌN] [output]",
        "Lỗi: giá trị không hợp lệ cho '--example': 'bogus' không phải một trong các giá trị '2026-ward', '2019'.",
        "Error: Invalid value for '--example': Value error, 'bogus' is not one of '2026-ward', '2019'.",
    ),
    (
        ["init", "--bogus"],
        "Cách dùng: root init [TÙY CHỌN] [output]",
        "Lỗi: không có tùy chọn --bogus (các tùy chọn gần giống: --verbose)",
        "Error: No such option: --bogus (Possible options: --verbose)",
    ),
    (
        ["actions", "update"],
        "Cách dùng: root actions update [TÙY CHỌN] {action_id}",
        "Lỗi: thiếu đối số 'action_id'.",
        "Error: Missing argument 'action_id'.",
    ),
    (
        ["report"],
        "Cách dùng: root report [TÙY CHỌN]",
        "Lỗi: thiếu tùy chọn '--period' / '-p'.",
        "Error: Missing option '--period' / '-p'.",
    ),
    (
        ["bogus"],
        "Cách dùng: root [TÙY CHỌN] LỆNH [ĐỐI SỐ]...",
        "Lỗi: không có lệnh 'bogus'.",
        "Error: No such command 'bogus'.",
    ),
    (
        ["evaluat", "."],
        "Cách dùng: root [TÙY CHỌN] LỆNH [ĐỐI SỐ]...",
        "Lỗi: không có lệnh 'evaluat'. Có phải ý bạn là 'evaluate', 'validate'?",
        "Error: No such command 'evaluat'. Did you mean 'evaluate', 'validate'?",
    ),
    (
        ["actions", "bogus"],
        "Cách dùng: root actions [TÙY CHỌN] LỆNH [ĐỐI SỐ]...",
        "Lỗi: không có lệnh 'bogus'.",
        "Error: No such command 'bogus'.",
    ),
    (
        ["init", "a.yaml", "b.yaml"],
        "Cách dùng: root init [TÙY CHỌN] [output]",
        "Lỗi: thừa đối số: b.yaml",
        "Error: Got unexpected extra argument(s) (b.yaml)",
    ),
    (
        ["actions", "update", "abc"],
        "Cách dùng: root actions update [TÙY CHỌN] {action_id}",
        "Lỗi: giá trị không hợp lệ cho 'action_id': cần một số nguyên, không phải 'abc'",
        "Error: Invalid value for 'action_id': Input should be a valid integer, unable to parse string as an integer",
    ),
    (
        ["evaluate", ".", "--wait", "-1"],
        "Cách dùng: root evaluate [TÙY CHỌN] {ĐƯỜNG_DẪN}...",
        "Lỗi: giá trị không hợp lệ cho '--wait': cần lớn hơn hoặc bằng 0",
        "Error: Invalid value for '--wait': Input should be greater than or equal to 0",
    ),
    (
        ["validate", ".", "--objectives", "no-such-objectives.yaml"],
        "Cách dùng: root validate [TÙY CHỌN] {ĐƯỜNG_DẪN}...",
        "Lỗi: giá trị không hợp lệ cho '--objectives' (biến môi trường: 'QMS_OBJECTIVES'):"
        " tệp 'no-such-objectives.yaml' không tồn tại.",
        "Error: Invalid value for '--objectives' (env var: 'QMS_OBJECTIVES'):"
        " file 'no-such-objectives.yaml' does not exist.",
    ),
    (
        ["evaluate", ".", "--rule", "no-equals-sign"],
        "Cách dùng: root evaluate [TÙY CHỌN] {ĐƯỜNG_DẪN}...",
        "Lỗi: giá trị không hợp lệ cho '--rule': viết KHÓA=GIÁ_TRỊ, ví dụ on_time_denominator=received;"
        " không phải 'no-equals-sign'",
        "Error: Invalid value for '--rule': KEY=VALUE, e.g. on_time_denominator=received; got 'no-equals-sign'",
    ),
    (
        ["report", "--period", "2019", "--format", "html,pdf"],
        "Cách dùng: root report [TÙY CHỌN]",
        "Lỗi: giá trị không hợp lệ cho '--format' / '-f': pdf: các định dạng là html, xlsx, docx, md, json",
        "Error: Invalid value for '--format' / '-f': pdf: the formats are html, xlsx, docx, md, json",
    ),
]


@pytest.mark.parametrize(("args", "usage", "vi", "en"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_usage_error_in_vietnamese_names_its_option_and_value(args: list[str], usage: str, vi: str, en: str) -> None:
    result = runner.invoke(app, args, env={"QMS_LANG": "vi"})
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == usage
    assert lines[1] == f"Xem '{usage.split(' [')[0].removeprefix('Cách dùng: ')} --help' để được trợ giúp."
    assert lines[-1] == vi
    for english in ("Usage", "Error", "Try ", "Invalid", "No such", "Missing", "unexpected", "[OPTIONS]"):
        assert english not in result.stderr, english


@pytest.mark.parametrize(("args", "usage", "vi", "en"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_usage_error_in_english_is_the_framework_s_own(args: list[str], usage: str, vi: str, en: str) -> None:
    for words, env in (([*args, "--lang", "en"], {"QMS_LANG": "vi"}), (args, {"QMS_LANG": "en"})):
        result = runner.invoke(app, words, env=env)
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert lines[0].startswith("Usage: root ") and lines[-1] == en
        assert "Cách dùng" not in result.stderr and "Lỗi" not in result.stderr


def test_without_a_usage_line_and_by_default_in_vietnamese() -> None:
    # An option's missing value is found by the parser before any command's context: no usage line.
    result = runner.invoke(app, ["evaluate", "--period"], env={"QMS_LANG": ""})
    assert (result.exit_code, result.stderr) == (2, "Lỗi: tùy chọn '--period' cần một giá trị.\n")
    english = runner.invoke(app, ["evaluate", "--period"], env={"QMS_LANG": "en"})
    assert (english.exit_code, english.stderr) == (2, "Error: Option '--period' requires an argument.\n")


def test_a_bad_language_is_refused_in_the_default_one() -> None:
    result = runner.invoke(app, ["evaluate", ".", "--lang", "fr"], env={"QMS_LANG": "vi"})
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Lỗi: giá trị không hợp lệ cho '--lang' (biến môi trường: 'QMS_LANG'):"
        " 'fr' không phải một trong các giá trị 'vi', 'en'."
    )


def test_the_installed_command_says_it_too(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "QMS_LANG": "vi"}
    done = subprocess.run(
        [sys.executable, "-m", "qms_cli", "init", "--example", "bogus"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "Cách dùng: python -m qms_cli init [TÙY CHỌN] [output]"
    assert done.stderr.splitlines()[-1].startswith("Lỗi: giá trị không hợp lệ cho '--example': 'bogus'")


def test_a_group_without_its_command_still_shows_its_help() -> None:
    result = runner.invoke(app, ["actions"], env={"QMS_LANG": "vi"})
    assert result.exit_code == 2  # the framework's no_args_is_help, unchanged
    assert "Lệnh:" in result.output and "update" in result.output and "Lỗi" not in result.output
