"""A city's year (make_city.py): the bare read, `qms evaluate` without a store, the first run into a
store, the monthly re-run with one new book, and `qms report` from the store, for SQLite and (with
--postgres URL) PostgreSQL; whole process each, with its peak memory (VmHWM).

    python benchmarks/make_city.py --rows 5040000 --wards 168 --out /work/bench-data/city
    python benchmarks/bench_city.py /work/bench-data/city --postgres postgresql://qms@/qms_bench?host=/tmp/pg

The bare read, the floor (qms's own parse alone on its threads: bench_evaluate.FLOOR) and `qms evaluate
--no-store` are timed alternately, `--repeat` times each, and their
ratio is printed per pair (the machine is shared: a ratio within one pair is what counts). Every
qms run's figures are checked against truth.json (each ward's on-time, postal and supplementation
counts, computed by the generator), and the re-run's and the reports' figures against the first run's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_evaluate import bare_read, check, cpu_seconds, parse_floor, warm  # noqa: E402

PEAK = (
    "import resource, sys; sys.argv = ['qms'] + sys.argv[1:];"
    "from qms_cli.launch import main\n"
    "def peak():\n"
    "    with open('/proc/self/status') as f:\n"
    "        return next(int(l.split()[1]) for l in f if l.startswith('VmHWM:')) / 1024\n"
    "try:\n    main()\n"
    "except SystemExit as e:\n"
    "    print(f'PEAK {peak():.0f}', file=sys.stderr); raise\n"
)


def qms(*args: str) -> tuple[float, float, float]:
    """Run qms (the console script's entry point) in a fresh process: (wall s, CPU s, peak MiB)."""
    before = cpu_seconds()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args, "-q"], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"qms {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak = float(next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK")))
    return wall, cpu_seconds() - before, peak


def figures(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["indicators"]


def store_runs(name: str, store: str, folder: Path, objectives: Path, out: Path, truth: dict) -> dict[str, tuple]:
    """First run over the year less its last book, the re-run with it, and the report from the store."""
    books = sorted(folder.glob("*.xlsx"))
    last = max(books, key=lambda p: (p.stem[-7:], p.name))  # the last month's last ward
    held = out / "held-back"
    held.mkdir(exist_ok=True)
    shutil.move(str(last), held / last.name)
    common = ["--objectives", str(objectives), "--period", "2019", "--format", "json", "--store", store]
    try:
        warm([b for b in books if b != last])
        first = qms("evaluate", str(folder), *common, "-o", str(out / f"{name}-first.json"))
    finally:
        shutil.move(str(held / last.name), last)
    warm(books)
    again = qms("evaluate", str(folder), *common, "-o", str(out / f"{name}-again.json"))
    problems = check(out / f"{name}-again.json", truth)
    if problems:
        raise SystemExit(f"{name} re-run: counts differ from truth.json:\n" + "\n".join(problems[:20]))
    report = qms(
        "report", "--period", "2019", "--objectives", str(objectives), "--store", store,
        "--format", "json", "-o", str(out / f"{name}-report"),
    )  # fmt: skip
    reported = json.loads(next((out / f"{name}-report").glob("*.json")).read_text(encoding="utf-8"))
    if reported["indicators"] != figures(out / f"{name}-again.json"):
        raise SystemExit(f"{name}: the report's figures differ from the re-run's")
    return {"first run (all but one book)": first, "re-run with one new book": again, "report (json)": report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("city", type=Path, help="make_city.py's output (xlsx/, objectives.yaml, truth.json)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--postgres", help="an empty PostgreSQL database for the shared-store runs")
    args = parser.parse_args()
    folder, objectives = args.city / "xlsx", args.city / "objectives.yaml"
    truth = json.loads((args.city / "truth.json").read_text(encoding="utf-8"))
    books = sorted(folder.glob("*.xlsx"))
    out = Path(tempfile.mkdtemp(prefix="qms-city-"))
    pairs = []
    for _ in range(args.repeat):
        warm(books)
        before = cpu_seconds()
        bare, _, rows = bare_read(books)
        bare_cpu = cpu_seconds() - before
        warm(books)
        floor = parse_floor(books)
        warm(books)
        result = out / "no-store.json"
        plain = qms("evaluate", str(folder), "--objectives", str(objectives), "--period", "2019",
                    "--format", "json", "--no-store", "-o", str(result))  # fmt: skip
        problems = check(result, truth)
        if problems:
            raise SystemExit("counts differ from truth.json:\n" + "\n".join(problems[:20]))
        pairs.append((bare, bare_cpu, plain, floor))
    dossiers = sum(t["received"] for t in truth.values())
    print(
        f"city: {dossiers:,} dossiers in {len(books)} books ({rows:,} sheet rows); {len(truth)} wards;"
        f" runs: {args.repeat}"
    )
    for bare, bare_cpu, (wall, cpu, peak), floor in pairs:
        print(
            f"bare read {bare:7.1f} s (cpu {bare_cpu:6.1f}) | qms evaluate --no-store {wall:7.1f} s (cpu {cpu:6.1f}),"
            f" peak {peak:,.0f} MiB ({peak / dossiers * 1e6:,.0f} MiB per million) | ratio {wall / bare:.2f}"
            f" | the floor (qms's parse alone) {floor:.1f} s, {floor / bare:.2f} of the bare read"
        )
    ratios = [p[2][0] / p[0] for p in pairs]
    print(f"median ratio qms / bare: {statistics.median(ratios):.2f}")
    stores = [("sqlite", str(out / "city.sqlite"))] + ([("postgresql", args.postgres)] if args.postgres else [])
    for name, store in stores:
        timed = store_runs(name, store, folder, objectives, out, truth)
        for what, (wall, cpu, peak) in timed.items():
            print(f"{name:10} {what:30} {wall:7.1f} s  cpu {cpu:6.1f} s  peak {peak:,.0f} MiB")
        first, again = timed["first run (all but one book)"], timed["re-run with one new book"]
        print(f"{name:10} re-run / first run: {again[0] / first[0]:.3f} (cpu {again[1] / first[1]:.3f})")
        if figures(out / f"{name}-again.json") != figures(out / "no-store.json"):
            raise SystemExit(f"{name}: the incremental re-run's figures differ from a full read's")
    if args.postgres:
        if figures(out / "sqlite-again.json") != figures(out / "postgresql-again.json"):
            raise SystemExit("SQLite and PostgreSQL give different figures")
        print("figures: identical across --no-store, SQLite and PostgreSQL, full and incremental runs, and reports")
    print(f"every run's ward counts equal truth.json; outputs in {out}")


if __name__ == "__main__":
    main()
