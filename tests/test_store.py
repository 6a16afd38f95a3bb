"""The store: its lock, its life as a context manager, and writes that survive a power cut."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import write_csv

from qms_cli.render.plain import atomic_write
from qms_cli.store import Store, StoreLocked, locked


def test_every_module_imports_and_locks_without_fcntl(tmp_path: Path) -> None:
    """On Windows there is no fcntl: every module must still import, and the store's lock still hold."""
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError, as on Windows
        # (__main__ is left out: importing it runs the CLI)
        import qms_cli
        names = [m.name for m in pkgutil.walk_packages(qms_cli.__path__, "qms_cli.") if m.name != "qms_cli.__main__"]
        for name in names:
            importlib.import_module(name)
        from pathlib import Path
        from qms_cli.store import StoreLocked, locked
        store = Path({str(tmp_path / "s.sqlite")!r})
        with locked(store):
            try:
                with locked(store):
                    raise SystemExit("a second lock was granted")
            except StoreLocked:
                pass
        with locked(store):  # released on leaving
            pass
        print(len(names))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) >= 30  # the package's modules, not an empty walk


def test_the_lock_refuses_a_second_holder_and_frees_itself_when_its_process_dies(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from qms_cli.store import locked\n"
            f"with locked(Path({str(store)!r})):\n    print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLocked, match="in use by another qms run"), locked(store, wait=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    with locked(store):  # the OS released the dead run's lock
        pass


def test_store_is_a_context_manager_that_closes_its_connection(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        assert store.runs() == []
    with pytest.raises(sqlite3.ProgrammingError):
        store.db.execute("SELECT 1")


def test_atomic_write_flushes_the_file_to_disk_before_renaming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}") if Path("/proc/self/fd").exists() else "?"))
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append(("replace", str(src)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "out" / "report.json"
    atomic_write(target, lambda p: p.write_text("{}\n", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "{}\n"
    kinds = [kind for kind, _ in events]
    assert kinds[:2] == ["fsync", "replace"]  # the data is on disk before the new name points at it
    if events[0][1] != "?":
        assert events[0][1] == events[1][1]  # the file fsync'ed is the one renamed
    if os.name == "posix":
        assert kinds == ["fsync", "replace", "fsync"]  # then the folder, so that the rename lasts
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]  # no temporary file left


# --- reading only what changed -------------------------------------------------------------------
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
HEADER = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp"]


def _figures(run: Any) -> dict[str, Any]:
    """Everything of an evaluation but the time it was made."""
    return {k: v for k, v in run.result.items() if k != "generated_at"}


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the reader parses (every call of the one-file reader)."""
    from qms_cli.read import files

    seen: list[str] = []
    real = files._read_file

    def counting(path: Path, *args: Any) -> Any:
        seen.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(files, "_read_file", counting)
    return seen


def test_a_re_run_parses_only_the_new_file_and_gives_the_figures_of_a_full_read(
    tmp_path: Path, parses: list[str]
) -> None:
    from qms_cli.api import evaluate_paths

    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)  # every kind of input: books, Biểu 06a, surveys, registers, a re-export
    files = sorted(p for p in data.rglob("*") if p.is_file())
    late = data / "dossiers" / "2019" / "phuong-an-lac" / "so-theo-doi-12-2019.xlsx"
    aside = tmp_path / late.name
    late.rename(aside)
    store = tmp_path / "qms.sqlite"
    evaluate_paths([data], period="2019", store=store)
    assert len(parses) == len(files) - 1
    aside.rename(late)  # December's book arrives
    parses.clear()
    again = evaluate_paths([data], period="2019", store=store)
    assert parses == [late.name]  # one parse; the other files' records came from the store
    full = evaluate_paths([data], period="2019")  # no store: every file parsed
    assert len(parses) == 1 + len(files)
    assert _figures(again) == _figures(full)
    with Store(store) as kept:
        assert [(r["files_added"], r["files_unchanged"]) for r in kept.runs()] == [
            (len(files) - 1, 0),
            (1, len(files) - 1),
        ]


def _on_time(run: Any) -> tuple[int, int]:
    district = next(i for i in run.result["indicators"] if i["id"] == "on_time")["district"]
    return district["numerator"], district["denominator"]


K1 = ["K1", "02/01/2019", "09/01/2019", "08/01/2019", "Trực tiếp"]  # on time
K2 = ["K2", "03/01/2019", "10/01/2019", "12/01/2019", "Trực tiếp"]  # two days late
K3 = ["K3", "04/01/2019", "11/01/2019", "05/01/2019", "Trực tiếp"]  # on time


def test_a_book_that_changed_or_moved_or_a_new_unit_registry_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    from qms_cli.api import evaluate_paths

    store = tmp_path / "qms.sqlite"
    book = write_csv(tmp_path / "a" / "phuong-tan-tao" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1, K2])
    assert _on_time(evaluate_paths([tmp_path / "a"], period="2019", store=store)) == (1, 2)
    assert _on_time(evaluate_paths([tmp_path / "a"], period="2019", store=store)) == (1, 2)
    assert parses == [book.name]  # the second run parsed nothing
    write_csv(book, HEADER, [K1, K2, K3])  # the same name, another content
    assert _on_time(evaluate_paths([tmp_path / "a"], period="2019", store=store)) == (2, 3)
    assert parses == [book.name] * 2
    shutil.move(tmp_path / "a", tmp_path / "b")  # another place: the folders may name the unit
    assert _on_time(evaluate_paths([tmp_path / "b"], period="2019", store=store)) == (2, 3)
    assert parses == [book.name] * 3
    registry = (SAMPLE.parent / "objectives.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "objectives.yaml"
    edited.write_text(registry.replace('name: "UBND phường Tân Tạo",', 'name: "UBND phường Tân Tạo", aliases: ["TT"],'))
    assert edited.read_text(encoding="utf-8") != registry
    assert _on_time(evaluate_paths([tmp_path / "b"], "2019", edited, store=store)) == (2, 3)
    assert parses == [book.name] * 4
    with sqlite3.connect(store) as db:  # still one file kept, the latest reading of it
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1


def test_a_book_dated_by_its_modification_time_is_read_again_when_that_date_changes(
    tmp_path: Path, parses: list[str]
) -> None:
    from qms_cli.api import evaluate_paths

    store = tmp_path / "qms.sqlite"
    undated = write_csv(tmp_path / "phuong-tan-tao" / "thang-01.csv", HEADER, [K1, K2])
    dated = write_csv(tmp_path / "phuong-an-lac" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1])
    evaluate_paths([tmp_path], period="2019", store=store)
    assert sorted(parses) == sorted([undated.name, dated.name])
    parses.clear()
    for path in (undated, dated):
        os.utime(path, (1_550_000_000, 1_550_000_000))  # 12 Feb 2019: another modification date
    again = evaluate_paths([tmp_path], period="2019", store=store)
    assert parses == [undated.name]  # its export date is the modification date: read again
    books = {Path(f["path"]).name: f.get("export_date") for f in again.result["data_quality"]["files"]}
    assert books[undated.name] == datetime.fromtimestamp(1_550_000_000).date().isoformat()
    assert books[dated.name] == "2019-02-03"


def test_rows_superseded_in_an_earlier_run_are_counted_again(tmp_path: Path, parses: list[str]) -> None:
    from qms_cli.api import evaluate_paths

    store = tmp_path / "qms.sqlite"
    first = write_csv(tmp_path / "phuong-tan-tao" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1, K2])
    later = write_csv(tmp_path / "phuong-tan-tao" / "thang-01_xuat-2019-02-20.csv", HEADER, [K2])
    both = evaluate_paths([tmp_path / "phuong-tan-tao"], period="2019", store=store)
    superseded = {Path(f["path"]).name: f["rows_superseded"] for f in both.result["data_quality"]["files"]}
    assert superseded == {first.name: 1, later.name: 0}  # K2 of the first export gives way to the later one
    later.unlink()
    parses.clear()
    alone = evaluate_paths([tmp_path / "phuong-tan-tao"], period="2019", store=store)
    assert parses == []
    assert [f["rows_superseded"] for f in alone.result["data_quality"]["files"]] == [0]
    assert _figures(alone) == _figures(evaluate_paths([tmp_path / "phuong-tan-tao"], period="2019"))
