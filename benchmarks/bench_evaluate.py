"""Time `qms evaluate` end to end against a bare single-threaded fastexcel -> pandas read, in one run.

    python benchmarks/make_books.py --rows 1000000 --books 30 --out /tmp/qms-bench
    python benchmarks/bench_evaluate.py /tmp/qms-bench --repeat 3

Prints, for the .xlsx books: the bare read as a fresh process (median wall time, rows/s, and the
read alone without imports), `qms evaluate` as a fresh process (median wall time, peak memory of
that process), their ratio, whole process against whole process, as the issue measured them; then
the same rows as one CSV through `qms evaluate`. It also checks that qms's counts equal truth.json, which the generator
computed from the rows it wrote, so no speed-up can change a figure unnoticed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import sys, time, fastexcel, pandas
start = time.perf_counter()
rows = 0
for book in sys.argv[1:]:  # single-threaded, whole sheet, the reader's own defaults
    rows += len(fastexcel.read_excel(book).load_sheet(0).to_pandas())
print(rows, time.perf_counter() - start)
"""


def warm(paths: list[Path]) -> None:
    """Read the files once, so that every timed run finds them in the page cache (the machine's memory
    manager may have evicted them since the last run, which would add seconds of disk reads at random)."""
    for path in paths:
        with path.open("rb") as handle:
            while handle.read(1 << 22):
                pass


def cpu_seconds() -> float:
    """User + system CPU time of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_read(books: list[Path]) -> tuple[float, float, int]:
    """Run the bare read in a fresh process: (whole-process seconds, seconds of the read alone, rows)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BARE, *map(str, books)], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    rows, inner = done.stdout.split()
    return wall, float(inner), int(rows)


def run_qms(folder: Path, out: Path) -> tuple[float, float]:
    """Run qms evaluate in a fresh process; return (wall seconds, peak resident MiB of that process)."""
    code = (
        "import resource, sys, runpy; sys.argv = ['qms'] + sys.argv[1:];"
        "from qms_cli.launch import main\n"  # the console script's own entry point
        "try:\n    main()\n"
        "except SystemExit as e:\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "    print(f'PEAK {peak:.0f}', file=sys.stderr); raise\n"
    )
    args = [
        sys.executable,
        "-c",
        code,
        "evaluate",
        str(folder),
        "--period",
        "2019",
        "--format",
        "json",
        "--output",
        str(out),
        "--quiet",
        "--no-store",  # the scorecard alone; keeping files in the store is measured apart
    ]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"qms failed ({done.returncode}):\n{done.stderr}")
    peak = float(next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK")))
    return wall, peak


def check(result_path: Path, truth: dict[str, dict[str, int]]) -> list[str]:
    result = json.loads(result_path.read_text(encoding="utf-8"))
    ind = {i["id"]: {u["unit"]: u for u in i["units"]} for i in result["indicators"]}
    problems = []
    for unit, t in truth.items():
        pairs = [
            ("on_time", (t["on_time"], t["resolved"])),
            ("postal_in_share", (t["postal_in"], t["received"])),
            ("supplement_rate", (t["supplement"], t["received"])),
        ]
        for ind_id, expected in pairs:
            got = (ind[ind_id][unit]["numerator"], ind[ind_id][unit]["denominator"])
            if got != expected:
                problems.append(f"{unit} {ind_id}: qms {got}, truth {expected}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    books = sorted((args.folder / "xlsx").glob("*.xlsx"))
    truth = json.loads((args.folder / "truth.json").read_text(encoding="utf-8"))
    out = Path(tempfile.mkdtemp()) / "result.json"
    csvs = sorted((args.folder / "csv").glob("*.csv"))
    bare, bare_inner, qms, peaks, csv_times = [], [], [], [], []
    bare_cpu, qms_cpu, csv_cpu = [], [], []
    rows = 0
    for _ in range(args.repeat):
        warm(books)
        before = cpu_seconds()
        seconds, inner, rows = bare_read(books)
        bare_cpu.append(cpu_seconds() - before)
        bare.append(seconds)
        bare_inner.append(inner)
        warm(books)
        before = cpu_seconds()
        wall, peak = run_qms(args.folder / "xlsx", out)
        qms_cpu.append(cpu_seconds() - before)
        qms.append(wall)
        peaks.append(peak)
        problems = check(out, truth)
        if problems:
            raise SystemExit("counts differ from the plain reading:\n" + "\n".join(problems))
        warm(csvs)
        before = cpu_seconds()
        csv_wall, _ = run_qms(args.folder / "csv", out)
        csv_cpu.append(cpu_seconds() - before)
        csv_times.append(csv_wall)
        if check(out, truth):
            raise SystemExit("CSV counts differ from the plain reading")
    b, q, c = statistics.median(bare), statistics.median(qms), statistics.median(csv_times)
    spread = f"ratio of each run: {', '.join(f'{y / x:.2f}' for x, y in zip(bare, qms, strict=True))}"
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"rows: {rows:,} in {len(books)} .xlsx books; runs: {args.repeat} (medians)")
    cpu = statistics.median
    print(
        f"bare fastexcel->pandas, 1 thread : {b:7.2f} s  {rows / b:>12,.0f} rows/s  (whole process)"
        f"  cpu {cpu(bare_cpu):.2f} s"
    )
    print(f"  of which the read alone        : {statistics.median(bare_inner):7.2f} s  (imports excluded)")
    print(
        f"qms evaluate (whole process)     : {q:7.2f} s  {rows / q:>12,.0f} rows/s  peak {max(peaks):,.0f} MiB"
        f"  cpu {cpu(qms_cpu):.2f} s"
    )
    print(f"ratio qms / bare                 : {q / b:7.2f}  ({spread})")
    runs = ", ".join(f"{t:.2f}" for t in csv_times)
    print(f"qms evaluate, same rows as 1 CSV : {c:7.2f} s  (runs: {runs})  cpu {cpu(csv_cpu):.2f} s")
    print("counts: equal to the generator's truth for every unit (on_time, postal_in_share, supplement_rate)")


if __name__ == "__main__":
    main()
