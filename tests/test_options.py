"""qms_cli.options and the CLI's shell: choices as types, environment defaults, -v, completion, progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import write_csv
from typer.testing import CliRunner

from qms_cli import api, progress
from qms_cli.cli import app, progress_wanted

runner = CliRunner()
HEADER = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]


@pytest.fixture()
def books(tmp_path: Path) -> Path:
    """Three monthly books of one ward, one dossier each (all on time)."""
    folder = tmp_path / "in"
    for month in (1, 2, 3):
        write_csv(
            folder / f"phuong-tan-tao-{month:02d}.csv",
            HEADER,
            [[f"K{month}", f"02/{month:02d}/2019", f"09/{month:02d}/2019", f"08/{month:02d}/2019"]],
        )
    return folder


@pytest.mark.parametrize(
    ("command", "choices"),
    [
        (["evaluate"], "<table|json|csv|06a>"),
        (["validate"], "<table|json>"),
        (["actions", "list"], "<table|json>"),
        (["actions", "update"], "<draft|open|done|closed>"),
        (["evaluate"], "<vi|en>"),
        (["report"], "html,xlsx,docx,md,json"),
    ],
)
def test_help_lists_the_choices(command: list[str], choices: str) -> None:
    assert choices in runner.invoke(app, [*command, "--help"]).stdout


@pytest.mark.parametrize(
    "args",
    [
        ["actions", "list", "--format", "foo"],
        ["actions", "update", "1", "--status", "finished"],
        ["report", "--period", "2019", "--format", "html,pdf"],
        ["evaluate", ".", "--rule", "no-equals-sign"],
        ["evaluate", ".", "--wait", "-1"],
        ["validate", ".", "--objectives", "no-such-objectives.yaml"],
    ],
)
def test_a_bad_value_is_a_usage_error_before_anything_is_read(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_environment_defaults(books: Path, tmp_path: Path) -> None:
    english = runner.invoke(app, ["validate", str(books)], env={"QMS_LANG": "en"})
    assert english.exit_code == 0 and "rows read 3 = accepted 3" in english.stderr
    assert runner.invoke(app, ["validate", str(books)], env={"QMS_LANG": "fr"}).exit_code == 2
    bad = runner.invoke(app, ["validate", str(books)], env={"QMS_OBJECTIVES": str(tmp_path / "missing.yaml")})
    assert bad.exit_code == 2
    store = tmp_path / "elsewhere.sqlite"
    done = runner.invoke(app, ["evaluate", str(books), "--period", "Q1-2019", "-q"], env={"QMS_STORE": str(store)})
    assert done.exit_code == 0 and store.exists() and not Path("qms.sqlite").exists()


def test_verbose_tells_what_is_done_through_logging(books: Path) -> None:
    quiet = runner.invoke(app, ["evaluate", str(books), "--period", "Q1-2019", "--no-store", "-q"])
    assert quiet.stderr == ""
    told = runner.invoke(app, ["-v", "evaluate", str(books), "--period", "Q1-2019", "--no-store", "-q"])
    assert "qms: 3 file(s) found; 3 parsed" in told.stderr and "qms: period Q1-2019" in told.stderr
    also = runner.invoke(app, ["evaluate", str(books), "--period", "Q1-2019", "--no-store", "-q", "-v"])
    assert "qms: period Q1-2019" in also.stderr


def test_shell_completion_installs_and_completes(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = runner.invoke(app, ["--install-completion", "bash"], env=env, prog_name="qms")
    assert done.exit_code == 0, done.output
    script = (tmp_path / ".bash_completions" / "qms.sh").read_text()
    assert "_QMS_COMPLETE" in script
    asked = {"_QMS_COMPLETE": "complete_bash", "COMP_WORDS": "qms evaluate --format ", "COMP_CWORD": "3"}
    offered = runner.invoke(app, [], env=asked, prog_name="qms")
    assert offered.stdout.split() == ["table", "json", "csv", "06a"]


class Recorder:
    """A progress reporter that writes down what it is told."""

    def __init__(self) -> None:
        self.told: list[tuple[str, str, int]] = []

    def start(self, task: str, total: int) -> None:
        self.told.append(("start", task, total))

    def advance(self, task: str) -> None:
        self.told.append(("advance", task, 1))

    def stop(self, task: str) -> None:
        self.told.append(("stop", task, 0))


def test_progress_of_reading_and_writing_is_told_to_the_caller(books: Path, tmp_path: Path) -> None:
    heard = Recorder()
    with progress.reporting(heard):
        api.evaluate(paths=[books], period="Q1-2019")
    assert heard.told == [("start", "reading", 3), *[("advance", "reading", 1)] * 3, ("stop", "reading", 0)]
    heard = Recorder()
    with progress.reporting(heard):
        api.report(period="Q1-2019", data=[books], formats=["json", "md"], output_dir=tmp_path / "out")
    assert ("start", "writing", 2) in heard.told and heard.told.count(("advance", "writing", 1)) == 2
    silent = Recorder()
    api.evaluate(paths=[books], period="Q1-2019")  # nobody listening: nothing told, nothing printed
    assert silent.told == []


@pytest.mark.parametrize(
    ("quiet", "json_on_stdout", "terminal", "shown"),
    [
        (False, False, True, True),  # a person at a terminal
        (True, False, True, False),  # --quiet
        (False, True, True, False),  # JSON on stdout
        (False, False, False, False),  # cron: no terminal
    ],
)
def test_a_progress_bar_only_for_a_person_watching(
    quiet: bool, json_on_stdout: bool, terminal: bool, shown: bool
) -> None:
    assert progress_wanted(quiet, json_on_stdout, terminal) is shown


def test_no_progress_without_a_terminal(books: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(books), "--period", "Q1-2019", "--no-store", "--format", "json"])
    assert json.loads(result.stdout)["period"]["label"] == "Q1-2019"
    assert "Đọc tệp" not in result.stderr and "Reading files" not in result.stderr
