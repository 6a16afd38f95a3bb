"""The store: its lock, its life as a context manager, and writes that survive a power cut."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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
