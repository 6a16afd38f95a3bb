"""Two installed versions of qms against each other, alternated with the bare read and the floor.

    python -m venv /tmp/qms-a && /tmp/qms-a/bin/pip install .      # e.g. the commit before a change
    python -m venv /tmp/qms-b && /tmp/qms-b/bin/pip install .      # and the change
    python benchmarks/bench_ab.py /work/bench-data/m1/xlsx /tmp/qms-a/bin/qms /tmp/qms-b/bin/qms --repeat 5
    python benchmarks/bench_ab.py /work/bench-data/city/xlsx A B --objectives /work/bench-data/city/objectives.yaml

Each round runs, as fresh processes with the files in the page cache: the bare single-threaded read
(bench_evaluate.BARE), `A evaluate FOLDER --no-store`, `B evaluate FOLDER --no-store`, and the floor
(bench_evaluate.FLOOR: qms's own parse alone on its threads). The machine's speed drifts from hour to
hour: a ratio to the bare read of the same round is what compares. Prints each one's median wall and
CPU seconds and its ratio to the bare read, round by round; fails if A's and B's JSON differ but for
the time stamp and the objectives file's path (two installs ship it at two places).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_evaluate import BARE, FLOOR, cpu_seconds, warm  # noqa: E402


def timed(books: list[Path], command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one fresh process, the books read once before it."""
    warm(books)
    before, start = cpu_seconds(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command[:2])} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return time.perf_counter() - start, cpu_seconds() - before


def figures(path: Path) -> dict:
    result = json.loads(path.read_text(encoding="utf-8"))
    result.pop("generated_at")
    result["objectives_file"].pop("path")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a folder of .xlsx books")
    parser.add_argument("a", help="the qms console script of version A")
    parser.add_argument("b", help="the qms console script of version B")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--objectives", help="passed to both (a city's registry of wards)")
    args = parser.parse_args()
    books = sorted(args.folder.glob("*.xlsx"))
    out = Path(tempfile.mkdtemp(prefix="qms-ab-"))
    extra = ["--objectives", args.objectives] if args.objectives else []
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "A": [], "B": [], "floor": []}
    for _ in range(args.repeat):
        runs["bare"].append(timed(books, [sys.executable, "-c", BARE, *map(str, books)]))
        for name, qms in (("A", args.a), ("B", args.b)):
            command = [qms, "evaluate", str(args.folder), "--period", "2019", "--no-store", "-q"]
            runs[name].append(timed(books, [*command, *extra, "--format", "json", "-o", str(out / f"{name}.json")]))
        runs["floor"].append(timed(books, [sys.executable, "-c", FLOOR, *map(str, books)]))
    bare = statistics.median(wall for wall, _ in runs["bare"])
    print(f"{len(books)} books, {args.repeat} rounds (medians); A = {args.a}, B = {args.b}")
    for name, timings in runs.items():
        wall = statistics.median(w for w, _ in timings)
        cpu = statistics.median(c for _, c in timings)
        rounds = ", ".join(f"{w / b:.2f}" for (w, _), (b, _) in zip(timings, runs["bare"], strict=True))
        print(f"{name:6} {wall:8.2f} s  cpu {cpu:8.2f} s  ratio to the bare read {wall / bare:.2f}  ({rounds})")
    if figures(out / "A.json") != figures(out / "B.json"):
        raise SystemExit(f"A and B give different JSON: {out}")
    print("A and B give the same JSON (but for the time stamp and the objectives file's path)")


if __name__ == "__main__":
    main()
