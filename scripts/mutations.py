# ruff: noqa: E501  (the table of mutations holds whole lines of code)
"""The counting mutations that the tests must kill (docs/counting.md, "Mutations the tests kill").

Each mutation is applied alone to a copy of the repository in a temporary folder; the tests named on
the command line (default: the counting tests) are run on the copy with its own src on the path; a
mutation that leaves them passing is a hole in the tests. Prints KILLED or SURVIVED per mutation and
exits 1 when one survives. Run from anywhere: python scripts/mutations.py [test paths…]
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

SRC = pathlib.Path(__file__).resolve().parents[1]
MUT = [
    (
        "pending overdue when due is the period's last day",
        "src/qms_cli/evaluate/kinds.py",
        "(pending_at_end & (due < end))",
        "(pending_at_end & (due <= end))",
    ),
    (
        "no fallback from result-ready to returned",
        "src/qms_cli/evaluate/kinds.py",
        'return records["result_ready"].fillna(records["returned"])',
        'return records["result_ready"]',
    ),
    (
        "inspections counted from the period start",
        "src/qms_cli/evaluate/kinds.py",
        "year = Period(str(period.end.year), year_start, period.end)",
        "year = period",
    ),
    (
        "3 stars counted satisfied",
        "src/qms_cli/read/survey.py",
        "return value >= 4 if 1 <= value <= 5 else None",
        "return value >= 3 if 1 <= value <= 5 else None",
    ),
    (
        "3 stars counted satisfied (level column)",
        "src/qms_cli/vocabulary.yaml",
        "satisfied: [rất hài lòng, hài lòng, 5 sao, 4 sao]\n    not_satisfied: [bình thường, không hài lòng, rất không hài lòng, chưa hài lòng, 3 sao,",
        "satisfied: [rất hài lòng, hài lòng, 5 sao, 4 sao, 3 sao]\n    not_satisfied: [bình thường, không hài lòng, rất không hài lòng, chưa hài lòng,",
    ),
    ("3 stars counted satisfied (★)", "src/qms_cli/read/survey.py", "return stars >= 4", "return stars >= 3"),
    ("day-count when received on a day off", "src/qms_cli/calendar.py", 'roll="backward"', 'roll="forward"'),
    (
        "a pending dossier completed after the period",
        "src/qms_cli/evaluate/kinds.py",
        'pending_at_end = (records["received"] <= end) & (done.isna() | (done > end))',
        'pending_at_end = (records["received"] <= end) & done.isna()',
    ),
    (
        "a pending dossier completed after the period (06a)",
        "src/qms_cli/evaluate/form06a.py",
        "open_at_end = np.isnat(done) | (done > end)",
        "open_at_end = np.isnat(done)",
    ),
    (
        "the first day of a period left out",
        "src/qms_cli/evaluate/kinds.py",
        "return (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))",
        "return (dates > pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))",
    ),
    (
        "refused dossiers in the L3 baseline",
        "src/qms_cli/evaluate/kinds.py",
        "then_base = _received_base(records, base_period)",
        'then_base = _in(records["received"], base_period)',
    ),
    (
        "the overdue boundary in the 06a output",
        "src/qms_cli/evaluate/form06a.py",
        '"pending_overdue": pending & (due < end),',
        '"pending_overdue": pending & (due <= end),',
    ),
    (
        "the overdue boundary in the 06a output (in time)",
        "src/qms_cli/evaluate/form06a.py",
        '"pending_in_time": pending & ~(due < end),',
        '"pending_in_time": pending & ~(due <= end),',
    ),
]
COUNTING_TESTS = [
    "tests/test_evaluate_kinds.py",
    "tests/test_evaluate_kinds_defects.py",
    "tests/test_evaluate_kinds_other_inputs.py",
    "tests/test_evaluate_form06a.py",
    "tests/test_read_dossiers.py",
    "tests/test_periods.py",
    "tests/test_golden.py",
]


def killed(root: pathlib.Path, name: str, path: str, old: str, new: str, tests: list[str]) -> bool | None:
    """Apply one mutation to a copy under `root`; True when the tests fail, None when it cannot apply."""
    d = root / "copy"
    shutil.rmtree(d, ignore_errors=True)
    ignore = shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.sqlite")
    for part in ("src", "tests", "sample_data", "templates", "examples", "docs"):
        if (SRC / part).is_dir():
            shutil.copytree(SRC / part, d / part, ignore=ignore)
    for part in ("pyproject.toml", "objectives.yaml", "README.md"):
        if (SRC / part).is_file():
            shutil.copy(SRC / part, d / part)
    target = d / path
    text = target.read_text(encoding="utf-8")
    if text.count(old) != 1:
        return None
    target.write_text(text.replace(old, new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(d / "src")}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    done = subprocess.run(command, cwd=d, env=env, capture_output=True, text=True, check=False)
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")][:1]
    print(("KILLED   " if done.returncode else "SURVIVED ") + name + (f"  ({failed[0]})" if failed else ""), flush=True)
    return done.returncode != 0


def main() -> int:
    """Run every mutation; 1 when one survives or no longer applies (the code moved: update MUT)."""
    tests = sys.argv[1:] or COUNTING_TESTS
    bad = 0
    with tempfile.TemporaryDirectory(prefix="qms-mutations-") as tmp:
        for name, path, old, new in MUT:
            result = killed(pathlib.Path(tmp), name, path, old, new, tests)
            if result is None:
                print(f"NOT APPLIED {name}: {path} no longer holds the line to mutate", flush=True)
            bad += result is not True
    print(f"{len(MUT) - bad} of {len(MUT)} mutations killed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
