"""Time `qms evaluate` end to end against a bare single-threaded fastexcel -> pandas read, in one run.

    python benchmarks/make_books.py --rows 1000000 --books 30 --out /tmp/qms-bench
    python benchmarks/bench_evaluate.py /tmp/qms-bench --repeat 3

Prints, for the .xlsx books: the bare read as a fresh process (median wall time, rows/s, and the
read alone without imports), `qms evaluate` as a fresh process (median wall time, peak memory of
that process), their ratio, whole process against whole process, as the issue measured them; the
floor (qms's own parse of the books on qms's threads and nothing else, which no qms can go below) and
its ratio to the bare read; then the same rows as one CSV through `qms evaluate`. It also checks qms's
counts against a plain, slow reading of the same files (every cell as text, then Python row by row,
no code of qms): the district's on-time, postal and supplementation figures and each book's accepted
rows; and, where the folder is make_books.py's, every unit's against truth.json, which the generator
computed from the rows it wrote. So no speed-up can change a figure unnoticed. FOLDER may also be a
folder of books in the official layout that make_books.py did not write (then without truth.json and
without CSV).
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
from datetime import date, datetime
from pathlib import Path

BARE = """
import sys, time, fastexcel, pandas
start = time.perf_counter()
rows = 0
for book in sys.argv[1:]:  # single-threaded, whole sheet, the reader's own defaults
    rows += len(fastexcel.read_excel(book).load_sheet(0).to_pandas())
print(rows, time.perf_counter() - start)
"""

# The floor: the one parse qms needs of every sheet (every cell as text, as qms.read.ahead.parse_sheet asks
# fastexcel for it), on as many threads as qms reads with, and nothing else: no budget scan, no checks, no
# figures. qms cannot be faster than this; its ratio to the bare read is what the machine allows.
FLOOR = """
import os, sys, time
from concurrent.futures import ThreadPoolExecutor
import fastexcel
start = time.perf_counter()
def parse(book):
    reader = fastexcel.read_excel(book)
    return sum(reader.load_sheet(s, header_row=None, skip_rows=0, dtypes="string").to_arrow().num_rows
               for s in reader.sheet_names)
with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 4)) as pool:
    rows = sum(pool.map(parse, sys.argv[1:]))
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


def parse_floor(books: list[Path]) -> float:
    """Run the floor (FLOOR: qms's own parse alone, on qms's threads) in a fresh process: whole-process seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR, *map(str, books)], capture_output=True, text=True, check=True)
    return time.perf_counter() - start


def run_qms(folder: Path, out: Path) -> tuple[float, float]:
    """Run qms evaluate in a fresh process; return (wall seconds, peak resident MiB of that process)."""
    # The peak is the process's own high-water mark (VmHWM). Not ru_maxrss: Linux carries into it the
    # resident size of the process before exec, i.e. of this benchmark, which holds the plain reading.
    code = (
        "import resource, sys; sys.argv = ['qms'] + sys.argv[1:];"
        "from qms_cli.launch import main\n"  # the console script's own entry point
        "def peak():\n"
        "    try:\n"
        "        with open('/proc/self/status') as f:\n"
        "            return next(int(l.split()[1]) for l in f if l.startswith('VmHWM:')) / 1024\n"
        "    except OSError:\n"
        "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "try:\n    main()\n"
        "except SystemExit as e:\n"
        "    print(f'PEAK {peak():.0f}', file=sys.stderr); raise\n"
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


def _plain_date(text: str | None) -> date | None:
    """A date cell as the parser gives it ("2019-03-04 00:00:00") or as typed ("04/03/2019 08:00")."""
    text = (text or "").strip()
    for form, width in (("%Y-%m-%d", 10), ("%d/%m/%Y", 10)):
        try:
            return datetime.strptime(text[:width], form).date()
        except ValueError:
            continue
    return None


def _plain_rows(rows: list[list[str | None]]) -> dict[str, int]:
    """Count one book (rows of text cells, official layout) by plain Python, row by row."""

    def label(cell: str | None) -> str:
        return " ".join((cell or "").split()).casefold()

    top = next(r for r, row in enumerate(rows) if "mã hồ sơ" in map(label, row))
    names: dict[str, int] = {}
    for row in rows[top : top + 2]:  # the header and the sub-header below the merged "Ngày, tháng, năm"
        for c, cell in enumerate(row):
            names.setdefault(label(cell), c)
    col = {
        key: names[name]
        for key, name in [
            ("id", "mã hồ sơ"),
            ("received", "nhận hồ sơ"),
            ("due", "hẹn trả kết quả"),
            ("ready", "nhận kết quả từ cơ quan giải quyết"),
            ("channel", "hình thức nộp"),
            ("supplement", "yêu cầu bổ sung"),
        ]
    }
    n = {"rows": 0, "on_time": 0, "resolved": 0, "postal_in": 0, "received": 0, "supplement": 0}
    for row in rows[top + 1 :]:
        received = _plain_date(row[col["received"]])
        if not (row[col["id"]] or "").strip() or received is None:
            continue  # the sub-header, the column numbers, blank and signature rows
        due, ready = _plain_date(row[col["due"]]), _plain_date(row[col["ready"]])
        n["rows"] += 1
        if ready is not None and ready.year == 2019 and due is not None:
            n["resolved"] += 1
            n["on_time"] += ready <= due
        if received.year == 2019:
            n["received"] += 1
            n["postal_in"] += "bưu" in label(row[col["channel"]])
            n["supplement"] += label(row[col["supplement"]]) not in ("", "0", "không")
    return n


def plain_reading(books: list[Path], csvs: list[Path]) -> tuple[dict[str, int], dict[str, int]]:
    """The district's counts and each book's dossier rows, by a plain, slow reading of the files: every
    cell as text (fastexcel, csv), then Python row by row, sharing no code with qms."""
    import csv

    import fastexcel

    totals: dict[str, int] = {}
    per_file = {}
    for book in books:
        batch = fastexcel.read_excel(str(book)).load_sheet(0, header_row=None, dtypes="string").to_arrow()
        rows = [list(r.values()) for r in batch.to_pylist()]
        counts = _plain_rows(rows)
        per_file[book.name] = counts["rows"]
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    csv_totals: dict[str, int] = {}
    for path in csvs:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for key, value in _plain_rows(list(csv.reader(handle))).items():
                csv_totals[key] = csv_totals.get(key, 0) + value
    if csvs and {k: v for k, v in csv_totals.items()} != totals:
        raise SystemExit(f"the plain reading of the CSV differs from that of the books: {csv_totals} {totals}")
    return totals, per_file


def check_plain(result_path: Path, totals: dict[str, int], per_file: dict[str, int]) -> list[str]:
    """The district's figures and each book's accepted rows of qms against the plain reading."""
    result = json.loads(result_path.read_text(encoding="utf-8"))
    district = {i["id"]: (i["district"]["numerator"], i["district"]["denominator"]) for i in result["indicators"]}
    problems = [
        f"district {ind_id}: qms {district[ind_id]}, plain reading {expected}"
        for ind_id, expected in [
            ("on_time", (totals["on_time"], totals["resolved"])),
            ("postal_in_share", (totals["postal_in"], totals["received"])),
            ("supplement_rate", (totals["supplement"], totals["received"])),
        ]
        if district[ind_id] != expected
    ]
    accepted = {Path(f["path"]).name: f["rows_accepted"] for f in result["data_quality"]["files"]}
    problems += [
        f"{name}: qms accepted {accepted.get(name)} rows, plain reading {rows}"
        for name, rows in per_file.items()
        if per_file and name in accepted and accepted[name] != rows
    ]
    return problems


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
    parser.add_argument("folder", type=Path, help="make_books.py's output (xlsx/, csv/, truth.json), or books")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plain-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    xlsx_dir = args.folder / "xlsx" if (args.folder / "xlsx").is_dir() else args.folder
    csv_dir = args.folder / "csv"
    books = sorted(xlsx_dir.glob("*.xlsx"))
    csvs = sorted(csv_dir.glob("*.csv"))
    truth_path = args.folder / "truth.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else None
    if args.plain_only:  # the plain reading, in a process of its own (see below)
        print(json.dumps(plain_reading(books, csvs)))
        return
    # In a child process: this one stays small, so that nothing it holds weighs on the timed runs.
    started = time.perf_counter()
    plain = subprocess.run(
        [sys.executable, __file__, str(args.folder), "--plain-only"], capture_output=True, text=True, check=False
    )
    if plain.returncode:
        raise SystemExit(plain.stderr or plain.stdout)
    totals, per_file = json.loads(plain.stdout)
    plain_seconds = time.perf_counter() - started
    out = Path(tempfile.mkdtemp()) / "result.json"

    def verify(what: str, per_book: dict[str, int]) -> None:
        problems = check_plain(out, totals, per_book) + (check(out, truth) if truth else [])
        if problems:
            raise SystemExit(f"{what}: counts differ from the plain reading:\n" + "\n".join(problems))

    bare, bare_inner, qms, peaks, csv_times, floor = [], [], [], [], [], []
    bare_cpu, qms_cpu, csv_cpu, floor_cpu = [], [], [], []
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
        floor.append(parse_floor(books))
        floor_cpu.append(cpu_seconds() - before)
        warm(books)
        before = cpu_seconds()
        wall, peak = run_qms(xlsx_dir, out)
        qms_cpu.append(cpu_seconds() - before)
        qms.append(wall)
        peaks.append(peak)
        verify("xlsx", per_file)
        if csvs:
            warm(csvs)
            before = cpu_seconds()
            csv_wall, _ = run_qms(csv_dir, out)
            csv_cpu.append(cpu_seconds() - before)
            csv_times.append(csv_wall)
            verify("csv", {})
    b, q = statistics.median(bare), statistics.median(qms)
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
    f = statistics.median(floor)
    floors = ", ".join(f"{y / x:.2f}" for x, y in zip(bare, floor, strict=True))
    print(
        f"the floor: qms's parse alone     : {f:7.2f} s  on {min(os.cpu_count() or 1, 4)} threads, nothing else"
        f"  cpu {cpu(floor_cpu):.2f} s; ratio to bare {f / b:.2f} ({floors})"
    )
    if csv_times:
        c, runs = statistics.median(csv_times), ", ".join(f"{t:.2f}" for t in csv_times)
        print(f"qms evaluate, same rows as 1 CSV : {c:7.2f} s  (runs: {runs})  cpu {cpu(csv_cpu):.2f} s")
    print(
        f"counts: the district's on_time, postal_in_share and supplement_rate and each book's accepted rows equal"
        f" a plain, slow reading of the same files ({plain_seconds:.0f} s)"
        + ("; every unit's equal the generator's truth.json" if truth else "")
    )


if __name__ == "__main__":
    main()
