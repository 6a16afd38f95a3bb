"""What people see: the terminal table fits the terminal, the reports name units and indicators in
words, never by slug or id, and say what a draft corrective action needs."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qms_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
BORDERS_OPEN, BORDERS_CLOSE = ("│", "┃", "┏", "┡", "└"), ("│", "┃", "┓", "┩", "┘")


@pytest.fixture(scope="module")
def sample_result() -> dict:
    done = CliRunner().invoke(app, ["evaluate", str(SAMPLE), "--period", "H1-2019", "--format", "json", "--no-store"])
    assert done.exit_code == 0
    return json.loads(done.stdout)


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
def test_the_terminal_table_follows_columns(columns: int, sample_result: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from qms_cli.render.table import render_evaluation

    monkeypatch.setenv("COLUMNS", str(columns))
    out = io.StringIO()
    render_evaluation(sample_result, out, "vi")
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= columns
    # A box is never cut: every row of a table that starts with a border ends with one.
    cut = [line for line in lines if line.startswith(BORDERS_OPEN) and not line.rstrip().endswith(BORDERS_CLOSE)]
    assert cut == []
    assert "Phòng Tài nguyên và" in out.getvalue()  # names wrap inside their cell, they are not cut


def test_no_slug_or_indicator_id_in_the_vietnamese_terminal_table(sample_result: dict) -> None:
    from qms_cli.render.table import render_evaluation

    out = io.StringIO()
    render_evaluation(sample_result, out, "vi")
    shown = out.getvalue()
    slugs = {u["unit"] for i in sample_result["indicators"] for u in i["units"]}
    ids = {i["id"] for i in sample_result["indicators"]}
    rules = set(sample_result["rules"])
    found = [w for w in slugs | ids | rules if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", shown)]
    assert found == []
    assert "dossier_book" not in shown and "summary_06a" not in shown  # kinds of file in words


def test_a_shortfall_over_a_ceiling_is_short_by_positive_points(sample_result: dict) -> None:
    from qms_cli.render.table import render_evaluation

    out = io.StringIO()
    render_evaluation(sample_result, out, "vi")
    # Phòng Tài nguyên và Môi trường: 13,90 % supplementation against a ceiling of 10 %: 3,90 points over.
    assert "+3,90 điểm" in out.getvalue()
    assert "−3,90" not in out.getvalue() and "-3,90" not in out.getvalue()
