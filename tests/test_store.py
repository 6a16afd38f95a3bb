"""The store: its lock, its life as a context manager, and writes that survive a power cut."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import write_csv, write_xlsx

from qms_cli.api import evaluate, form_06a
from qms_cli.render.plain import atomic_write
from qms_cli.results import Evaluation
from qms_cli.store import StoreLocked
from qms_cli.store_open import locked, open_store

POSTGRES = os.environ.get("QMS_TEST_POSTGRES")  # a server's address, e.g. from scripts/start_postgres.sh


def _fresh_database(base: str) -> tuple[str, Any]:
    """A new, empty database on the test server: (its address, a function that drops it)."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"qms_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(base)
    url = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))

    def drop() -> None:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return url, drop


@pytest.fixture
def postgres() -> Any:
    """A fresh PostgreSQL store's address; skipped without a server, except in CI, which starts one."""
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must run the store tests against PostgreSQL: set QMS_TEST_POSTGRES (see .ci/run)")
        pytest.skip("no PostgreSQL server: set QMS_TEST_POSTGRES=postgresql://… (scripts/start_postgres.sh)")
    url, drop = _fresh_database(POSTGRES)
    yield url
    drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """Each store test runs on both back ends: a SQLite file, and a database on a PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "qms.sqlite"
    return request.getfixturevalue("postgres")


def _count(location: Any, table: str) -> int:
    with open_store(location) as store:
        return int(store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - fixed names


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
        from qms_cli.store import StoreLocked
        from qms_cli.store_open import locked
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


def test_the_lock_refuses_a_second_holder_and_frees_itself_when_its_process_dies(location: Any) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from qms_cli.store_open import locked, store_location\n"
            "with locked(store_location(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(location),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLocked, match="in use by another qms run"), locked(location, wait=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    with locked(location, wait=10):  # the OS (or the server, for the dead session) released the lock
        pass


def test_store_is_a_context_manager_that_closes_its_connection(location: Any) -> None:
    with open_store(location) as store:
        assert store.runs() == []
    with pytest.raises(Exception, match="(?i)closed"):
        store.execute("SELECT 1")


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


def _figures(evaluation: Evaluation) -> dict[str, Any]:
    """Everything of an evaluation but the time it was made (and a report's own part)."""
    return {k: v for k, v in evaluation.model_dump(mode="json").items() if k not in ("generated_at", "report")}


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
    tmp_path: Path, parses: list[str], location: Any
) -> None:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)  # every kind of input: books, Biểu 06a, surveys, registers, a re-export
    files = sorted(p for p in data.rglob("*") if p.is_file())
    late = data / "dossiers" / "2019" / "phuong-an-lac" / "so-theo-doi-12-2019.xlsx"
    aside = tmp_path / late.name
    late.rename(aside)
    store = location
    evaluate(paths=[data], period="2019", store=store)
    assert len(parses) == len(files) - 1
    aside.rename(late)  # December's book arrives
    parses.clear()
    again = evaluate(paths=[data], period="2019", store=store)
    assert parses == [late.name]  # one parse; the other files' records came from the store
    full = evaluate(paths=[data], period="2019")  # no store: every file parsed
    assert len(parses) == 1 + len(files)
    assert _figures(again) == _figures(full)
    with open_store(store) as kept:
        assert [(r["files_added"], r["files_unchanged"]) for r in kept.runs()] == [
            (len(files) - 1, 0),
            (1, len(files) - 1),
        ]


def test_files_from_the_store_are_named_as_this_run_names_them(
    tmp_path: Path, parses: list[str], location: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first run names the files from the folder above the data ("data/…"), the second from a
    # sibling folder ("../data/…"): every path the second run shows (files, issues, their samples)
    # is its own, as in a run without store from there.
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    evaluate(paths=[Path("data")], period="2019", store=location)
    monkeypatch.chdir(tmp_path / "elsewhere")
    parses.clear()
    again = evaluate(paths=[Path("../data")], period="2019", store=location)
    assert parses == []  # every file from the store
    full = evaluate(paths=[Path("../data")], period="2019")
    assert _figures(again) == _figures(full)
    shown = json.dumps(_figures(again), ensure_ascii=False)
    assert '"../data/' in shown and '"data/' not in shown


def test_stored_issue_rows_are_renamed_in_arrow_keeping_their_types() -> None:
    import pyarrow as pa

    from qms_cli.data_quality import _relabelled

    paths = pa.array(["a.xlsx", None, "a.xlsx", "b.xlsx"], type=pa.large_string())
    table = pa.table({"code": ["x", "y", "z", "w"], "path": paths.dictionary_encode()})
    renamed = _relabelled(table, "a.xlsx", "../a.xlsx")
    assert renamed.schema == table.schema  # still a category of the same types
    assert renamed.column("path").to_pylist() == ["../a.xlsx", None, "../a.xlsx", "b.xlsx"]
    both = _relabelled(table, "a.xlsx", "b.xlsx")  # the new name is a value already: merged as text
    assert both.column("path").to_pylist() == ["b.xlsx", None, "b.xlsx", "b.xlsx"]
    plain = _relabelled(table.set_column(1, "path", paths), "a.xlsx", "../a.xlsx")
    assert plain.column("path").type == pa.large_string()
    assert plain.column("path").to_pylist() == ["../a.xlsx", None, "../a.xlsx", "b.xlsx"]
    assert _relabelled(table.drop_columns(["path"]), "a.xlsx", "b.xlsx").num_columns == 1


def test_a_summary_tables_field_rows_come_back_from_the_store(tmp_path: Path, parses: list[str], location: Any) -> None:
    group = ["Số hồ sơ nhận giải quyết", None, None, None, "Số hồ sơ đã giải quyết", None, None, None]
    sub = ["Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số", "Trước hạn"]
    sub += ["Đúng hạn", "Quá hạn"]
    rows = [
        ["Tháng 3 năm 2019"],
        ["STT", "Đơn vị", "Lĩnh vực", *group],
        [None, None, None, *sub],
        [1, "UBND phường Tân Tạo", "Hộ tịch", 10, 4, 6, 0, 8, 5, 2, 1],
        [2, "UBND phường Tân Tạo", "Chứng thực", 6, 1, 5, 0, 6, 3, 3, 0],
    ]
    merges = [(1, 3, 1, 6, group[0]), (1, 7, 1, 10, group[4])]
    write_xlsx(tmp_path / "in" / "bieu-06a.xlsx", rows, merges=merges)
    first = evaluate(paths=[tmp_path / "in"], period="2019-03", store=location)
    again = evaluate(paths=[tmp_path / "in"], period="2019-03", store=location)
    assert parses == ["bieu-06a.xlsx"]  # the second run read the table's records from the store
    expected = [  # by hand, columns (1)-(10): the unit's row is the sum of its two fields
        [1, "UBND phường Tân Tạo", 16, 5, 11, 0, 14, 8, 5, 1],
        ["1.1", "Chứng thực", 6, 1, 5, 0, 6, 3, 3, 0],
        ["1.2", "Hộ tịch", 10, 4, 6, 0, 8, 5, 2, 1],
        ["", "Tổng cộng", 16, 5, 11, 0, 14, 8, 5, 1],
    ]
    assert [r[:10] for r in form_06a(evaluation=first).rows] == expected
    assert [r[:10] for r in form_06a(evaluation=again).rows] == expected
    assert _on_time(again) == (13, 14)  # (8 + 5) of 14 resolved


def _on_time(evaluation: Evaluation) -> tuple[int, int]:
    district = evaluation.indicator("on_time").district
    return district.numerator, district.denominator


K1 = ["K1", "02/01/2019", "09/01/2019", "08/01/2019", "Trực tiếp"]  # on time
K2 = ["K2", "03/01/2019", "10/01/2019", "12/01/2019", "Trực tiếp"]  # two days late
K3 = ["K3", "04/01/2019", "11/01/2019", "05/01/2019", "Trực tiếp"]  # on time


def test_a_book_that_changed_or_moved_or_a_new_unit_registry_is_parsed_again(
    tmp_path: Path, parses: list[str], location: Any
) -> None:
    store = location
    book = write_csv(tmp_path / "a" / "phuong-tan-tao" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1, K2])
    assert _on_time(evaluate(paths=[tmp_path / "a"], period="2019", store=store)) == (1, 2)
    assert _on_time(evaluate(paths=[tmp_path / "a"], period="2019", store=store)) == (1, 2)
    assert parses == [book.name]  # the second run parsed nothing
    write_csv(book, HEADER, [K1, K2, K3])  # the same name, another content
    assert _on_time(evaluate(paths=[tmp_path / "a"], period="2019", store=store)) == (2, 3)
    assert parses == [book.name] * 2
    shutil.move(tmp_path / "a", tmp_path / "b")  # another place: the folders may name the unit
    assert _on_time(evaluate(paths=[tmp_path / "b"], period="2019", store=store)) == (2, 3)
    assert parses == [book.name] * 3
    registry = (SAMPLE.parent / "objectives.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "objectives.yaml"
    edited.write_text(registry.replace('name: "UBND phường Tân Tạo",', 'name: "UBND phường Tân Tạo", aliases: ["TT"],'))
    assert edited.read_text(encoding="utf-8") != registry
    assert _on_time(evaluate(paths=[tmp_path / "b"], period="2019", objectives=edited, store=store)) == (2, 3)
    assert parses == [book.name] * 4
    assert _count(store, "files") == 1  # still one file kept, the latest reading of it


def test_a_book_dated_by_its_modification_time_is_read_again_when_that_date_changes(
    tmp_path: Path, parses: list[str], location: Any
) -> None:
    store = location
    undated = write_csv(tmp_path / "phuong-tan-tao" / "thang-01.csv", HEADER, [K1, K2])
    dated = write_csv(tmp_path / "phuong-an-lac" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1])
    evaluate(paths=[tmp_path], period="2019", store=store)
    assert sorted(parses) == sorted([undated.name, dated.name])
    parses.clear()
    for path in (undated, dated):
        os.utime(path, (1_550_000_000, 1_550_000_000))  # 12 Feb 2019: another modification date
    again = evaluate(paths=[tmp_path], period="2019", store=store)
    assert parses == [undated.name]  # its export date is the modification date: read again
    books = {Path(f.path).name: f.export_date for f in again.data_quality.files}
    assert books[undated.name] == datetime.fromtimestamp(1_550_000_000).date()
    assert books[dated.name] == date(2019, 2, 3)


def test_rows_superseded_in_an_earlier_run_are_counted_again(tmp_path: Path, parses: list[str], location: Any) -> None:
    store = location
    first = write_csv(tmp_path / "phuong-tan-tao" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1, K2])
    later = write_csv(tmp_path / "phuong-tan-tao" / "thang-01_xuat-2019-02-20.csv", HEADER, [K2])
    both = evaluate(paths=[tmp_path / "phuong-tan-tao"], period="2019", store=store)
    superseded = {Path(f.path).name: f.rows_superseded for f in both.data_quality.files}
    assert superseded == {first.name: 1, later.name: 0}  # K2 of the first export gives way to the later one
    later.unlink()
    parses.clear()
    alone = evaluate(paths=[tmp_path / "phuong-tan-tao"], period="2019", store=store)
    assert parses == []
    assert [f.rows_superseded for f in alone.data_quality.files] == [0]
    assert _figures(alone) == _figures(evaluate(paths=[tmp_path / "phuong-tan-tao"], period="2019"))


# --- the back ends: one schema, the same figures, versions that migrate forward, runs in parallel -----
def _version_one(location: Any) -> None:
    """Make a store as qms wrote it before incremental reading (schema 1), with one run and one action."""
    from qms_cli.store import SQLITE_MIGRATIONS
    from qms_cli.store_postgres import POSTGRES_MIGRATIONS, connect

    if isinstance(location, Path):
        db: Any = sqlite3.connect(location, isolation_level=None)
        statements, mark = SQLITE_MIGRATIONS[1], "PRAGMA user_version = 1"
    else:
        db = connect(location)
        statements, mark = POSTGRES_MIGRATIONS[1], "UPDATE qms_schema SET version = 1"
    for statement in [*statements.split(";"), mark]:
        if statement.strip():
            db.execute(statement)
    db.execute(
        "INSERT INTO runs (started_at, command, period, files_added, files_unchanged)"
        " VALUES ('2019-07-01T08:00:00', 'qms evaluate', 'H1-2019', 0, 0)"
    )
    db.execute(
        "INSERT INTO actions (indicator, unit, period, value, gap, status, created_at, updated_at)"
        " VALUES ('on_time', 'phuong-tan-tao', 'H1-2019', 0.95, -0.03, 'open', '2019-07-01', '2019-07-01')"
    )
    db.close()


def test_a_store_of_the_previous_schema_migrates_forward_and_keeps_its_runs_and_actions(
    location: Any, tmp_path: Path
) -> None:
    from qms_cli.store import SCHEMA_VERSION

    _version_one(location)
    with open_store(location) as store:
        assert store._version() == SCHEMA_VERSION == 2
        assert [r["period"] for r in store.runs()] == ["H1-2019"]
        assert [(a["unit"], a["status"], a["gap"]) for a in store.actions()] == [("phuong-tan-tao", "open", -0.03)]
    write_csv(tmp_path / "in" / "phuong-tan-tao" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1, K2])
    assert _on_time(evaluate(paths=[tmp_path / "in"], period="2019", store=location)) == (1, 2)
    assert _count(location, "files") == 1 and _count(location, "runs") == 2


def test_a_store_of_a_newer_schema_is_refused_with_exit_5(location: Any) -> None:
    from qms_cli.errors import EnvironmentFault
    from qms_cli.store import SCHEMA_VERSION

    with open_store(location) as store:
        with store.transaction():
            store._set_version(SCHEMA_VERSION + 1)
    with pytest.raises(EnvironmentFault, match=f"newer qms .schema {SCHEMA_VERSION + 1}"):
        open_store(location)


def test_two_runs_at_once_on_one_store_wait_for_each_other_and_lose_nothing(location: Any, tmp_path: Path) -> None:
    # Two processes start `qms evaluate` on the same store at the same moment, each on its own ward's
    # folder; with --wait the second waits for the first; both succeed and the store holds both files.
    for ward, rows in (("phuong-tan-tao", [K1, K2]), ("phuong-an-lac", [K1, K2, K3])):
        write_csv(tmp_path / ward / "thang-01_xuat-2019-02-03.csv", HEADER, rows)
    command = [sys.executable, "-m", "qms_cli", "evaluate", "--period", "2019", "--store", str(location), "-q"]
    runs = [
        subprocess.Popen([*command, "--wait", "120", str(tmp_path / ward)], stderr=subprocess.PIPE, text=True)
        for ward in ("phuong-tan-tao", "phuong-an-lac")
    ]
    for process in runs:
        _, err = process.communicate(timeout=300)
        assert process.returncode in (0, 1), err
    assert _count(location, "files") == 2 and _count(location, "runs") == 2
    with open_store(location) as store:
        assert sorted((r["files_added"], r["files_unchanged"]) for r in store.runs()) == [(1, 0), (1, 0)]


def test_sqlite_and_postgresql_stores_give_the_same_figures_files_and_actions(postgres: str, tmp_path: Path) -> None:
    from qms_cli.api import report

    months = sorted((SAMPLE / "dossiers" / "2019" / "phuong-an-lac").glob("so-theo-doi-0[1-3]-2019*.xlsx"))
    out: dict[str, Any] = {}
    for name, where in (("sqlite", tmp_path / "qms.sqlite"), ("postgresql", postgres)):
        for month in months:  # monthly runs, as a ward's cron does
            evaluate(paths=[month], store=where)
        current = report(period="Q1-2019", store=where, formats=["json"], output_dir=tmp_path / name)
        with open_store(where) as keep:
            actions = [{k: v for k, v in a.items() if k not in ("created_at", "updated_at")} for a in keep.actions()]
            runs = [(r["period"], r["files_added"], r["files_unchanged"]) for r in keep.runs()]
        out[name] = (_figures(current), actions, runs)
    assert out["sqlite"] == out["postgresql"]
    assert out["sqlite"][0]["indicators"] == _figures(evaluate(paths=months, period="Q1-2019"))["indicators"]
    assert "so-theo-doi-03-2019-xuat-lai.xlsx" in [m.name for m in months]  # March, exported again
    assert out["sqlite"][2] == [("2019-01", 1, 0), ("2019-02", 1, 0), ("2019-03", 1, 0), ("2019-03", 1, 0)]


def test_the_address_of_a_server_is_shown_without_its_password() -> None:
    from qms_cli.store_open import shown_location

    assert shown_location("postgresql://hanh:s3cret@db.example:5433/qms") == "postgresql://hanh@db.example:5433/qms"
    assert shown_location("postgresql://hanh@db.example/qms") == "postgresql://hanh@db.example/qms"
    assert shown_location(Path("qms.sqlite")) == "qms.sqlite"


def test_a_server_that_cannot_be_reached_is_one_line_and_exit_5(tmp_path: Path) -> None:
    pytest.importorskip("psycopg", reason="the postgresql extra is not installed")
    write_csv(tmp_path / "phuong-tan-tao" / "thang-01_xuat-2019-02-03.csv", HEADER, [K1])
    url = f"postgresql://qms:topsecret@/qms?host={tmp_path / 'no-server'}&port=1"
    done = subprocess.run(
        [sys.executable, "-m", "qms_cli", "evaluate", str(tmp_path), "--store", url, "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 5, done.stderr
    assert "cannot open the PostgreSQL store" in done.stderr and "topsecret" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_books_a_store_holds_are_not_parsed_ahead(tmp_path: Path, location: Any, monkeypatch) -> None:
    # The console script parses the first books while qms loads; the books the store already holds are
    # not: a SQLite store is read before, a PostgreSQL one asked by the first parse ahead (once).
    from qms_cli.read import ahead, prefetch

    folder = tmp_path / "so"
    books = [
        write_xlsx(folder / f"phuong-tan-tao-{m:02d}.xlsx", [HEADER, [f"T{m}", f"0{m}/03/2019", f"1{m}/03/2019"]])
        for m in (1, 2)
    ]
    evaluate(paths=[books[0]], period="2019", store=location)  # the store holds the first book only
    parsed: list[str] = []
    real = prefetch.parse_sheet
    monkeypatch.setattr(prefetch, "parse_sheet", lambda reader, sheet: parsed.append(sheet) or real(reader, sheet))
    prefetch.start(["evaluate", str(folder), "--store", str(location), "--period", "2019"])
    ahead_of = {Path(path).name: future.result() for (path, _), future in ahead.PENDING.items()}
    ahead.PENDING.clear()
    assert {name for name, batch in ahead_of.items() if batch is not None} == {"phuong-tan-tao-02.xlsx"}
    assert len(parsed) == 1
