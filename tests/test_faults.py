"""Faults of the machine and of the paths, each run as cron runs it (the console script in a process of
its own): the exit status says who must act (spec/cli.md), one line names the path, and the store is
never left changed by a failed run."""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from helpers import write_xlsx

from qms_cli import cli

BOOK = [
    ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
    ["T1", "02/01/2019", "09/01/2019", "08/01/2019"],
    ["T2", "03/01/2019", "10/01/2019", "11/01/2019"],
]


def qms(*args: str, cwd: Path, limit_bytes: int | None = None, user: str | None = None) -> subprocess.CompletedProcess:
    """Run `qms ARGS` as cron does: a process of its own, the exit status and stderr kept."""
    command = [sys.executable, "-m", "qms_cli", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", "--regid=nogroup", "--clear-groups", *command]

    def limits() -> None:
        if limit_bytes is not None:  # a full disk as the process sees it: writes past it fail with EFBIG
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1]), "QMS_LANG": "en"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, preexec_fn=limits, env=env, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "in" / "phuong-tan-tao" / "so-01-2019.xlsx", BOOK)


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount") or os.environ.get("QMS_TEST_NO_MOUNT"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


def _umount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)  # never leave a mount behind


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, bool]]:
    """A folder on a 256 KiB tmpfs where the machine allows it (ENOSPC; True), else a plain folder (False)
    where the test sets an RLIMIT_FSIZE (EFBIG): the disk as a process sees it when it is full."""
    folder = tmp_path / "small"
    mounted = _mount(folder, "size=256k")
    try:
        yield folder, mounted
    finally:
        if mounted:
            _umount(folder)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only folder: a read-only tmpfs as root, else a folder without write permission."""
    folder = tmp_path / "ro"
    if _mount(folder, "ro,size=64k"):
        try:
            yield folder
        finally:
            _umount(folder)
        return
    if os.geteuid() == 0:
        pytest.skip("root without mount: no folder is read-only to this process")
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("qms: error")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- exit status 70: a defect of qms ------------------------------------------------------------
def test_an_internal_error_exits_70_and_says_how_to_see_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], book: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a defect planted by the test")

    monkeypatch.setattr(cli.api, "evaluate", broken)
    monkeypatch.setenv("QMS_LANG", "en")
    for argv, traced in ((["qms", "evaluate", str(book)], False), (["qms", "evaluate", str(book), "--debug"], True)):
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as ended:
            cli.main()
        assert ended.value.code == 70
        err = capsys.readouterr().err
        assert ("Traceback" in err) is traced
        assert "a defect planted by the test" in err
        if not traced:
            assert "--debug" in err and len(err.strip().splitlines()) == 1


def test_an_os_error_anywhere_exits_5_naming_the_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], book: Path
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/srv/qms/somewhere")

    monkeypatch.setattr(cli.api, "evaluate", full)
    monkeypatch.setenv("QMS_LANG", "en")
    monkeypatch.setattr(sys, "argv", ["qms", "evaluate", str(book)])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 5
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "/srv/qms/somewhere" in err and "disk is full" in err


# --- exit status 5: the environment -------------------------------------------------------------
def test_an_unwritable_log_file_exits_5_before_anything_is_done(tmp_path: Path, book: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    log = tmp_path / "a-file" / "qms.log"  # its folder is a file: it can never be written, even by root
    store = tmp_path / "s.sqlite"
    done = qms("evaluate", str(book), "--store", str(store), "--log-file", str(log), cwd=tmp_path)
    assert done.returncode == 5
    assert str(log) in one_line(done.stderr)
    assert not store.exists()  # nothing was done


def test_a_full_disk_for_the_output_exits_5_and_the_store_is_unchanged(
    tmp_path: Path, book: Path, small_disk: tuple[Path, bool]
) -> None:
    folder, mounted = small_disk
    limit = None if mounted else 4096
    store = tmp_path / "s.sqlite"
    assert qms("evaluate", str(book), "--store", str(store), "-q", cwd=tmp_path).returncode == 0
    before = digest(store)
    # the small disk (filled) cannot hold the JSON: a run whose output fails keeps nothing in the store
    if mounted:
        (folder / "filler").write_bytes(b"x" * (250 * 1024))
    out = folder / "result.json"
    done = qms(
        "evaluate",
        str(book),
        "--store",
        str(store),
        "--format",
        "json",
        "-o",
        str(out),
        cwd=tmp_path,
        limit_bytes=limit,
    )
    assert done.returncode == 5, done.stderr
    line = one_line(done.stderr)
    assert "result.json" in line or "s.sqlite" in line
    assert digest(store) == before
    assert not out.exists() and not [p for p in folder.iterdir() if p.name.startswith(".result.json")]


def test_a_full_disk_for_the_store_exits_5_and_leaves_it_as_it_was(
    tmp_path: Path, book: Path, small_disk: tuple[Path, bool]
) -> None:
    folder, mounted = small_disk
    store = folder / "s.sqlite"
    done = qms("evaluate", str(book), "--store", str(store), "-q", "-o", str(tmp_path / "o.txt"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr  # a store of one small book fits
    before = digest(store)
    limit = None if mounted else store.stat().st_size + 8192
    if mounted:  # the tmpfs filled but for a few pages: the next run's file cannot be kept
        (folder / "filler").write_bytes(b"x" * (256 * 1024 - store.stat().st_size - 8192))
    other = write_xlsx(
        tmp_path / "in2" / "phuong-tan-tao" / "so-03-2019.xlsx",
        [BOOK[0], *[[f"C{i}", "04/03/2019", "11/03/2019", "10/03/2019"] for i in range(3000)]],
    )
    done = qms("evaluate", str(other), "--store", str(store), "-q", cwd=tmp_path, limit_bytes=limit)
    assert done.returncode == 5, done.stderr
    assert "s.sqlite" in one_line(done.stderr)
    assert digest(store) == before
    if store.exists():
        with closing(sqlite3.connect(store)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_read_only_store_folder_or_output_folder_exits_5(tmp_path: Path, book: Path, read_only: Path) -> None:
    done = qms("evaluate", str(book), "--store", str(read_only / "s.sqlite"), cwd=tmp_path)
    assert done.returncode == 5
    assert "s.sqlite" in one_line(done.stderr)
    done = qms("evaluate", str(book), "--no-store", "-o", str(read_only / "out.txt"), cwd=tmp_path)
    assert done.returncode == 5
    assert "out.txt" in one_line(done.stderr)


# --- the store ----------------------------------------------------------------------------------
def test_a_missing_store_for_a_command_that_reads_it_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    for args in (["actions", "list"], ["actions", "update", "1", "--status", "open"], ["report", "--period", "2019"]):
        done = qms(*args, "--store", str(tmp_path / "typo.sqlite"), cwd=tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        assert "typo.sqlite" in one_line(done.stderr)
        assert not (tmp_path / "typo.sqlite").exists()


def test_a_file_that_is_not_a_qms_store_is_refused_and_left_as_it_was(tmp_path: Path, book: Path) -> None:
    text = tmp_path / "notes.sqlite"
    text.write_text("a text file, not a database\n" * 100)
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE contacts (name TEXT)")
    for store in (text, other):
        before = digest(store)
        for args in (["actions", "list"], ["evaluate", str(book)]):
            done = qms(*args, "--store", str(store), cwd=tmp_path)
            assert done.returncode == 2, done.stderr
            assert "not a qms store" in one_line(done.stderr)
            assert digest(store) == before


def test_a_corrupt_page_gives_one_line_and_exit_5(tmp_path: Path, book: Path) -> None:
    store = tmp_path / "s.sqlite"
    assert qms("evaluate", str(book), "--store", str(store), "-q", cwd=tmp_path).returncode == 0
    raw = bytearray(store.read_bytes())
    page = 4096
    assert len(raw) >= 3 * page
    raw[page:] = b"\xa5" * (len(raw) - page)  # every page but the first (the schema) overwritten
    store.write_bytes(bytes(raw))
    for args in (["actions", "list"], ["report", "--period", "2019", "-o", str(tmp_path / "rep")]):
        done = qms(*args, "--store", str(store), cwd=tmp_path)
        assert done.returncode == 5, done.stderr
        assert "damaged" in one_line(done.stderr)


def test_concurrent_runs_one_waits_or_exits_4_and_the_store_stays_whole(tmp_path: Path, book: Path) -> None:
    store = tmp_path / "s.sqlite"
    books = [
        write_xlsx(
            tmp_path / "in" / "phuong-tan-tao" / f"so-{m:02d}-2019.xlsx",
            [BOOK[0], *[[f"M{m}-{i}", f"04/{m:02d}/2019", f"11/{m:02d}/2019", f"10/{m:02d}/2019"] for i in range(500)]],
        )
        for m in (2, 3, 4)
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1])}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "qms_cli", "evaluate", str(b), "--store", str(store), "-q", *wait],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for b, wait in zip(books, (["--wait", "120"], ["--wait", "120"], []), strict=True)
    ]
    codes = [r.wait(timeout=300) for r in runs]
    assert codes[0] == codes[1] == 0 and codes[2] in (0, 4)
    with closing(sqlite3.connect(store)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        files = db.execute("SELECT count(*) FROM files").fetchone()[0]
        runs_kept = db.execute("SELECT count(*) FROM runs").fetchone()[0]
    assert files == runs_kept == (3 if codes[2] == 0 else 2)  # each run kept its one file, or nothing


def test_kill_9_during_the_store_write_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    first = write_xlsx(tmp_path / "a" / "phuong-tan-tao" / "so-01-2019.xlsx", BOOK)
    assert qms("evaluate", str(first), "--store", str(store), "-q", cwd=tmp_path).returncode == 0
    with closing(sqlite3.connect(store)) as db:
        before = db.execute("SELECT count(*) FROM files").fetchone()[0]
    rows = [[f"K{i}", "04/02/2019", "11/02/2019", "10/02/2019"] for i in range(20000)]
    big = write_xlsx(tmp_path / "b" / "phuong-tan-tao" / "so-02-2019.xlsx", [BOOK[0], *rows])
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1])}
    run = subprocess.Popen(
        [sys.executable, "-m", "qms_cli", "evaluate", str(big), "--store", str(store), "-q"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    journal = store.with_name(store.name + "-journal")
    while run.poll() is None and not journal.exists():  # the write has begun: its journal exists
        pass
    run.send_signal(signal.SIGKILL)
    run.wait()
    with closing(sqlite3.connect(store)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == before


# --- paths --------------------------------------------------------------------------------------
def test_every_path_that_is_not_read_is_named_with_its_code(tmp_path: Path, book: Path) -> None:
    folder = book.parent
    (folder / "gone.xlsx").symlink_to(tmp_path / "deleted.xlsx")
    (folder / "back").symlink_to(folder.parent)  # a loop: a link to a folder that contains it
    (folder / "self.csv").symlink_to(folder / "self.csv")
    linked = tmp_path / "elsewhere"
    shutil.copytree(folder.parent, linked, symlinks=True)
    os.mkfifo(folder / "pipe.csv")
    (tmp_path / "in" / "linked-unit").symlink_to(linked / "phuong-tan-tao", target_is_directory=True)
    done = qms("evaluate", str(tmp_path / "in"), "--no-store", "--format", "json", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    import json

    result = json.loads(done.stdout)
    codes = {(i["code"], Path(s["path"]).name) for i in result["data_quality"]["issues"] for s in i["samples"]}
    assert ("link-broken", "gone.xlsx") in codes
    assert ("link-loop", "back") in codes
    assert ("link-loop", "self.csv") in codes
    assert ("not-a-regular-file", "pipe.csv") in codes
    read = [f["path"] for f in result["data_quality"]["files"] if f["kind"] == "dossier_book"]
    assert any("linked-unit" in p for p in read)  # a linked unit folder is followed (once)


def test_an_unreadable_file_and_folder_are_named_when_run_as_another_user() -> None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to run qms as the user nobody")
    probe = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "true"])
    if probe.returncode != 0:
        pytest.skip("setpriv cannot change user here")
    import json
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="qms-nobody-", dir="/tmp"))  # pytest's own folders are root's alone
    try:
        top.chmod(0o755)
        book = write_xlsx(top / "in" / "phuong-tan-tao" / "so-01-2019.xlsx", BOOK)
        secret = write_xlsx(top / "in" / "phuong-an-lac" / "so-01-2019.xlsx", BOOK)
        closed = top / "in" / "closed"
        closed.mkdir()
        for p in (top / "in", book.parent, secret.parent):
            p.chmod(0o755)
        book.chmod(0o644)
        secret.chmod(0o000)
        closed.chmod(0o000)
        done = qms("evaluate", str(top / "in"), "--no-store", "--format", "json", cwd=top, user="nobody")
        if done.returncode not in (0, 3) and "qms" not in done.stderr:
            pytest.skip(f"the user nobody cannot run this Python: {done.stderr[:200]}")
        assert done.returncode == 3, done.stderr
        issues = json.loads(done.stdout)["data_quality"]["issues"]
        named = {(i["code"], Path(s["path"]).name) for i in issues for s in i["samples"]}
        assert ("file-unreadable", "so-01-2019.xlsx") in named
        assert ("file-unreadable", "closed") in named
    finally:
        shutil.rmtree(top, ignore_errors=True)


# --- objectives.yaml: every error names its line and key, exit 2 ------------------------------------
def _objectives_with(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the shipped objectives.yaml with one edit, and the line (1-based) where the edit is."""
    text = (Path(__file__).resolve().parents[1] / "objectives.yaml").read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new, 1)
    path = tmp_path / "objectives.yaml"
    path.write_text(edited, encoding="utf-8")
    return path, edited[: edited.index(new)].count("\n") + 1 + new[: new.index(new.strip()[0])].count("\n")


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("value: 0.98", "value: 98", "outside 0..1"),  # 98 meant as 98 %
        ("value: 0.98", "value: -0.5", "outside 0..1"),
        ("deadline: 2019-12-31", "deadline: 2019-02-30", "is not a date"),
        ("rules:\n", "year: 2020\nrules:\n", "written twice"),
        ("value: 0.98", "value: ninety", "value"),  # a type error names its line too
    ],
)
def test_a_bad_objectives_file_exits_2_naming_line_and_key(tmp_path: Path, old: str, new: str, said: str) -> None:
    path, line = _objectives_with(tmp_path, old, new)
    done = qms("validate", str(tmp_path), "--objectives", str(path), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
    assert f"line {line}" in done.stderr or f"line {line - 1}" in done.stderr  # the key's line or its item's


def _into_closed_pipe(*args: str, cwd: Path) -> tuple[int, str]:
    """Run `qms ARGS` with stdout a pipe whose reader has already gone (as `qms … | head -0` would)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # no reader: the first write to stdout fails with EPIPE, every time
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1]), "QMS_LANG": "en"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "qms_cli", *args],
            cwd=cwd,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=300,
        )
    finally:
        os.close(write_end)
    return done.returncode, done.stderr


def test_a_closed_stdout_ends_quietly_with_the_runs_own_status_and_the_run_kept(tmp_path: Path, book: Path) -> None:
    store = tmp_path / "s.sqlite"
    status, err = _into_closed_pipe(
        "evaluate", str(book.parent), "--store", str(store), "--format", "json", cwd=tmp_path
    )
    assert status == 0
    assert err.splitlines() == [line for line in err.splitlines() if line.startswith("qms: 1 file(s); rows read 2")]
    assert "pipe" not in err.lower() and "error" not in err.lower()
    status, err = _into_closed_pipe("actions", "list", "--store", str(store), cwd=tmp_path)
    assert (status, err) == (0, "")
    listed = qms("actions", "list", "--store", str(store), cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout.startswith("#1 ")  # T2 was late: on time 1/2, one action


def test_qms_piped_into_head_exits_0_and_says_nothing(tmp_path: Path) -> None:
    if not shutil.which("bash") or not shutil.which("head"):
        pytest.skip("no bash or head")
    sample = Path(__file__).resolve().parents[1] / "sample_data"
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1]), "QMS_LANG": "en"}
    python = sys.executable
    script = (
        f"set -o pipefail; {python} -m qms_cli evaluate {sample} --no-store --quiet --format json | head -c 100"
        f" >/dev/null; echo $?; {python} -m qms_cli evaluate {sample} --store s.sqlite --quiet --period 2019"
        f" >/dev/null; {python} -m qms_cli actions list --store s.sqlite | head -1 >/dev/null; echo $?"
    )
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    assert done.stdout.split() == ["0", "0"]
    assert set(done.stderr.splitlines()) == {"qms: 18 row(s) rejected; see the data-quality section"}  # only that


# --- the store's and the log's lines in the run's language (messages.FAULTS) ------------------------
RO_REASON = {"vi": "hệ thống tệp chỉ cho phép đọc", "en": "the file system is read-only"}
DENIED = {"vi": "không có quyền truy cập", "en": "permission denied"}
PREFIX = {"vi": "qms: lỗi: ", "en": "qms: error: "}


def _said(lang: str, *args: str) -> tuple[int, str]:
    """`qms ARGS --lang LANG` in this process: its exit status and its one error line."""
    from typer.testing import CliRunner

    done = CliRunner().invoke(cli.app, [*args, "--lang", lang])
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(PREFIX[lang]), done.stderr
    return done.exit_code, lines[0].removeprefix(PREFIX[lang])


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("vi", "không có kho dữ liệu này; hãy chỉ ra kho mà qms evaluate đã ghi (--store)"),
        ("en", "no such store; name the store that qms evaluate wrote (--store)"),
    ],
)
def test_a_missing_store_is_said_in_the_runs_language(lang: str, said: str, tmp_path: Path) -> None:
    typo = tmp_path / "typo.sqlite"
    for args in (["actions", "list"], ["report", "--period", "2019", "-o", str(tmp_path / "rep")]):
        assert _said(lang, *args, "--store", str(typo)) == (2, f"{typo}: {said}")
    assert not typo.exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "vi",
            "không phải kho dữ liệu của qms (không phải cơ sở dữ liệu SQLite); hãy chỉ ra tệp khác bằng --store",
        ),
        ("en", "not a qms store (not an SQLite database); name another file with --store"),
    ],
)
def test_a_file_that_is_not_a_store_is_said_in_the_runs_language(lang: str, said: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("a text file, not a database\n" * 100)
    for args in (["actions", "list"], ["report", "--period", "2019", "-o", str(tmp_path / "rep")]):
        assert _said(lang, *args, "--store", str(notes)) == (2, f"{notes}: {said}")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("vi", "kho dữ liệu bị hỏng (trang dữ liệu hỏng); hãy khôi phục từ bản sao lưu"),
        ("en", "the store is damaged (corrupt page); restore it from a backup"),
    ],
)
def test_a_corrupt_store_is_said_in_the_runs_language(lang: str, said: str, tmp_path: Path, book: Path) -> None:
    store = tmp_path / "s.sqlite"
    assert qms("evaluate", str(book), "--store", str(store), "-q", cwd=tmp_path).returncode == 0
    raw = bytearray(store.read_bytes())
    raw[4096:] = b"\xa5" * (len(raw) - 4096)  # every page but the schema's
    store.write_bytes(bytes(raw))
    for args in (["actions", "list"], ["report", "--period", "2019", "-o", str(tmp_path / "rep")]):
        assert _said(lang, *args, "--store", str(store)) == (5, f"{store}: {said}")


@pytest.mark.parametrize(
    ("lang", "doing"),
    [("vi", "không tạo được tệp khóa của kho dữ liệu"), ("en", "the store's lock file cannot be made")],
)
def test_an_unwritable_store_is_said_in_the_runs_language(
    lang: str, doing: str, tmp_path: Path, book: Path, read_only: Path
) -> None:
    reason = (RO_REASON if os.geteuid() == 0 else DENIED)[lang]  # a read-only tmpfs as root, else no permission
    lock = read_only / "s.sqlite.lock"
    status, line = _said(lang, "evaluate", str(book), "--store", str(read_only / "s.sqlite"), "-q")
    assert (status, line) == (5, f"{lock}: {doing}: {reason}")


@pytest.mark.parametrize(
    ("lang", "summary", "refused"),
    [
        (
            "vi",
            "kỳ 2019-01: 1 tệp, 2 chỉ tiêu chưa đạt, 0 tệp không đọc được; mã thoát 0",
            "lỗi, mã thoát 2: {notes}: không phải kho dữ liệu của qms (không phải cơ sở dữ liệu SQLite); "
            "hãy chỉ ra tệp khác bằng --store",
        ),
        (
            "en",
            "period 2019-01: 1 file(s), 2 shortfall(s), 0 unreadable file(s); exit 0",
            "error, exit 2: {notes}: not a qms store (not an SQLite database); name another file with --store",
        ),
    ],
)
def test_the_log_files_lines_are_in_the_runs_language(
    lang: str, summary: str, refused: str, tmp_path: Path, book: Path
) -> None:
    from typer.testing import CliRunner

    # BOOK: T2 is returned a day after its appointment, so on time is 1 of 2 (50 %), under its target for
    # the ward and for the whole: 2 shortfalls; the second run is refused, its store not being one.
    log = tmp_path / "qms.log"
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a database\n" * 100)
    base = ["evaluate", str(book), "--period", "2019-01", "--log-file", str(log), "--lang", lang, "-q"]
    CliRunner().invoke(cli.app, [*base, "--no-store"])
    CliRunner().invoke(cli.app, [*base, "--store", str(notes)])
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [summary, refused.format(notes=notes)]


@pytest.mark.parametrize(
    ("lang", "doing"), [("vi", "không ghi được tệp nhật ký"), ("en", "the log file cannot be written")]
)
def test_an_unwritable_log_file_is_said_in_the_runs_language(
    lang: str, doing: str, tmp_path: Path, book: Path, read_only: Path
) -> None:
    reason = (RO_REASON if os.geteuid() == 0 else DENIED)[lang]
    log = read_only / "qms.log"
    status, line = _said(lang, "evaluate", str(book), "--no-store", "--log-file", str(log))
    assert (status, line) == (5, f"{log}: {doing}: {reason}")
