"""Run qms on the probe's hostile inbox as cron runs it, and count what issue 11 says must never happen.

    python scripts/hostile_probe.py /tmp/hostile && python scripts/hostile_check.py /tmp/hostile

Each run is a process of its own with a store and `--quiet` (as cron runs it): every top-level path of
the inbox alone, then the whole inbox twice (the second run takes the files from the store), then
`validate`, `report` and `actions list` on that store. Printed: the runs by exit status, the aborted
(killed by a signal) and internal-error (70) runs, the rows unaccounted (read − accepted − rejected −
skipped, over every file of every JSON output), the personal values planted by the probe ("Người Giả")
found in any output, log or decoded store record, and the largest peak memory of one run. Exit 1 if any of
these is not 0 (or a run ends 5: the machine is not at fault here).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import pyarrow as pa

PLANTED = ("Người Giả", "Nguoi Gia")  # the probe's Họ tên column, with and without diacritics
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"), "QMS_LANG": "vi"}


def run(args: list[str], cwd: Path) -> tuple[int, str, str, int]:
    """`qms ARGS` in a process of its own: its exit status (negative: killed by a signal), stdout, stderr
    and peak memory (KiB, from wait4's rusage of that process alone)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "qms_cli", *args], cwd=cwd, env=ENV, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
        out.seek(0)
        err.seek(0)
        said = (out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
    return child.returncode, *said, usage.ru_maxrss


def texts_of(value: Any) -> list[str]:
    """Every text inside a JSON value (keys too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*texts_of(k), *texts_of(v))]
    if isinstance(value, list):
        return [t for v in value for t in texts_of(v)]
    return []


def store_texts(store: Path) -> list[str]:
    """Every text of the store, decoded: each column of each table, each Arrow record, each JSON."""
    out: list[str] = []
    with closing(sqlite3.connect(store)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):  # noqa: S608 - names from the schema
                for cell in row:
                    out += _cell_texts(cell)
    return out


def _cell_texts(cell: object) -> list[str]:
    if isinstance(cell, bytes):
        try:
            return texts_of(pa.ipc.open_stream(io.BytesIO(cell)).read_all().to_pylist())
        except pa.ArrowInvalid:
            return [cell.decode("utf-8", "replace")]
    if isinstance(cell, str):
        try:
            return [cell, *texts_of(json.loads(cell))]
        except ValueError:
            return [cell]
    return []


def file_texts(folder: Path) -> list[str]:
    """The text of every file written under `folder` (the XML members of a workbook or a document)."""
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as book:
                out += [book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml")]
        elif path.suffix != ".sqlite":
            out.append(path.read_text(encoding="utf-8", errors="replace"))
    return out


def unaccounted(stdout: str) -> int:
    """Rows read that are neither accepted, rejected nor skipped, over the files of a JSON output."""
    try:
        files = json.loads(stdout)["data_quality"]["files"]
    except (ValueError, KeyError, TypeError):
        return 0
    return sum(f["rows_read"] - f["rows_accepted"] - f["rows_rejected"] - f["rows_skipped"] for f in files)


def main() -> int:
    """Run the probe's runs and print the figures; 1 if any of them is not what issue 11 asks."""
    base = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/qms-hostile").resolve()
    inbox, work = base / "inbox", base / "runs"
    work.mkdir(exist_ok=True)
    unit = inbox / "phuong-an-lac"
    runs: list[tuple[str, tuple[int, str, str, int]]] = []
    for k, path in enumerate(sorted(unit.iterdir())):
        store = work / f"one-{k}.sqlite"
        runs.append((path.name, run(["evaluate", str(path), "--store", str(store), "--quiet", "-f", "json"], work)))
    store = work / "all.sqlite"
    whole = ["evaluate", str(inbox), "--store", str(store), "--quiet", "-f", "json", "--log-file", "qms.log"]
    runs.append(("inbox", run(whole, work)))
    runs.append(("inbox again (from the store)", run(whole, work)))
    runs.append(("validate", run(["validate", str(inbox), "--quiet", "-f", "json"], work)))
    runs.append(("report", run(["report", "--period", "2019", "--store", str(store), "-o", "reports", "-q"], work)))
    runs.append(("actions list", run(["actions", "list", "--store", str(store)], work)))
    statuses = Counter(code for _, (code, _, _, _) in runs)
    bad = [(name, code, err.strip()[-300:]) for name, (code, _, err, _) in runs if code < 0 or code in (5, 70)]
    lost = sum(unaccounted(out) for _, (_, out, _, _) in runs)
    texts = [t for _, (_, out, err, _) in runs for t in (out, err)] + file_texts(work)
    texts += [t for s in sorted(work.glob("*.sqlite")) for t in store_texts(s)]
    leaks = sum(1 for t in texts for planted in PLANTED if planted in t)
    heaviest, peak = max(((name, p) for name, (*_, p) in runs), key=lambda item: item[1])
    single = sorted(((p, name) for name, (*_, p) in runs[: len(runs) - 5]), reverse=True)[:3]
    print(f"runs: {len(runs)}; exit statuses: {dict(sorted(statuses.items()))}")
    print(f"aborted or internal-error (or exit 5) runs: {len(bad)}")
    for name, code, err in bad:
        print(f"  {name!r}: exit {code}: {err}")
    print(f"rows unaccounted: {lost}; personal values found: {leaks} in {len(texts)} texts")
    heavy = ", ".join(f"{name} {p / 1024:.0f} MiB" for p, name in single)
    print(f"peak memory of a run: {peak / 1024:.0f} MiB ({heaviest}); the heaviest single paths: {heavy}")
    return 1 if bad or lost or leaks else 0


if __name__ == "__main__":
    sys.exit(main())
