"""The examples of every command's --help stay one command a line at 80 columns, in both languages:
click would rewrap them into one paragraph; a long command goes on after " \\", never mid-word."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import qms_cli

SOURCE = str(Path(qms_cli.__file__).resolve().parents[1])  # the qms under test, whatever the folder

EXAMPLES = {  # as a person types them: each must come out whole, on lines of its own
    "evaluate": [
        "qms evaluate sample_data --period H1-2019",
        "qms evaluate exports/ --period 2019 --rule on_time_denominator=received --format json -o h1.json",
        "qms evaluate exports/ --period H1-2019 --format 06a -o bieu-06a-6-thang.csv",
    ],
    "report": [
        "qms report --period H1-2019 --data sample_data --format html,xlsx,docx,md,json -o reports/",
        "qms report --period 2019 --store /srv/qms/qms.sqlite --lang en --format html",
    ],
    "validate": ["qms validate so-theo-doi-thang-03.xlsx", "qms validate exports/2019-03/ --strict"],
    "actions list": ["qms actions list --period H1-2019"],
    "actions update": [
        'qms actions update 3 --cause "Thiếu cán bộ" --action "Bổ sung nhân sự bộ phận một cửa" --status open'
    ],
}


def _commands(help_text: str) -> list[str]:
    """The example commands of a help text: lines that start with `qms`, joined with their continuations."""
    out: list[str] = []
    going_on = False
    for line in help_text.splitlines():
        words = line.strip()
        if going_on:
            out[-1] += " " + words.removesuffix("\\").strip()
        elif words.startswith("qms "):
            out.append(words.removesuffix("\\").strip())
        going_on = words.endswith("\\")
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_examples_keep_their_lines_at_80_columns(command: str, lang: str) -> None:
    done = subprocess.run(  # the help's language is chosen when qms starts: a process of its own
        [sys.executable, "-m", "qms_cli", *command.split(), "--help"],
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": SOURCE, "QMS_LANG": lang, "COLUMNS": "80"},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert ("Ví dụ:" if lang == "vi" else "Example") in done.stdout
    assert _commands(done.stdout) == EXAMPLES[command]
    for line in done.stdout.splitlines():
        if line.strip().startswith("qms ") or line.rstrip().endswith("\\"):
            assert len(line) <= 80, line
            assert line.count('"') % 2 == 0, line  # a quoted value is never broken
