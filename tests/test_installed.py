"""The installed `qms` command works from any folder, with the objectives file shipped in the package."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_csv

QMS = shutil.which("qms")


@pytest.mark.skipif(QMS is None, reason="the qms console script is not installed")
def test_installed_command_outside_the_repository(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "data" / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["K1", "02/01/2019", "09/01/2019", "08/01/2019"], ["K2", "02/01/2019", "09/01/2019", "10/01/2019"]],
    )
    done = subprocess.run(
        [QMS, "evaluate", "data", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["period"]["label"] == "2019-01"
    entry = next(u for u in result["indicators"][0]["units"] if u["unit"] == "phuong-tan-tao")
    assert (entry["numerator"], entry["denominator"]) == (1, 2)
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_console_script_turns_transparent_huge_pages_off() -> None:
    # Run in a child: the setting is the process's own and is read back with PR_GET_THP_DISABLE (42).
    code = (
        "import ctypes; from qms_cli.launch import _no_transparent_huge_pages as off; "
        "libc = ctypes.CDLL(None); before = libc.prctl(42, 0, 0, 0, 0); off(); "
        "print(before, libc.prctl(42, 0, 0, 0, 0))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "1"]
