"""Start parsing the first workbooks and CSV files while the rest of qms loads.

Python's start and the imports of pandas, pydantic and typer take about 0.7 s before `qms evaluate`
reads a byte. The console script calls `start` first (this module imports only the spreadsheet
parser and the standard library): the first files are parsed on background threads, which the
parser's Rust code runs without the GIL, and the reader takes the parsed sheets from here. Nothing
else changes: the same files, the same parse, the same order of results.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

from qms_cli.read.ahead import PENDING as _pending
from qms_cli.read.ahead import parse_sheet, source

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}
EXCEL = {".xlsx", ".xlsm", ".xls"}
LIMIT = 8  # workbooks parsed ahead: about what both cores parse while the imports run
_OPTIONS_WITH_VALUE = {
    "--period",
    "-p",
    "--objectives",
    "--rule",
    "--format",
    "-f",
    "--output",
    "-o",
    "--store",
    "--lang",
    "--wait",
    "--log-file",
}
_digests: dict[str, tuple[int, int, str]] = {}  # resolved path -> (size, mtime_ns, sha256) hashed here


class PathProblem(NamedTuple):
    """A path that is not read, with its data-quality code and a short reason."""

    path: Path
    code: str  # file-unreadable, not-a-regular-file, link-broken, link-loop
    reason: str


def spreadsheets(paths: list[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) for every readable spreadsheet under `paths`, in a stable order; the rest is not given."""
    for item in walk(paths):
        if not isinstance(item, PathProblem):
            yield item


def walk(paths: list[Path]) -> Iterator[tuple[Path, Path] | PathProblem]:
    """(file, root) for every spreadsheet under `paths`, in a stable order, and a PathProblem for every
    path given or found that cannot be read: missing, unreadable, not a regular file, a broken link
    or a link loop. Folders are searched recursively; a symbolic link is followed once (a link to a
    folder that contains it is a loop). Hidden files and Excel's lock files (`~$…`) are not looked at.
    """
    for root in paths:
        try:
            info = root.stat()
        except OSError as exc:
            yield _problem(root, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(root, root, {(info.st_dev, info.st_ino)})
        else:
            yield from _file(root, root.parent, info, named=True)


def _problem(path: Path, exc: OSError) -> PathProblem:
    if exc.errno == errno.ELOOP:
        return PathProblem(path, "link-loop", "the symbolic link points, through others, back to itself")
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return PathProblem(path, "link-broken", "the symbolic link points to nothing (its target is gone)")
    if isinstance(exc, FileNotFoundError):
        return PathProblem(path, "file-unreadable", "no such file or folder")
    if isinstance(exc, PermissionError):
        return PathProblem(path, "file-unreadable", "permission denied: qms may not read it")
    return PathProblem(path, "file-unreadable", exc.strerror or type(exc).__name__)


def _file(path: Path, root: Path, info: os.stat_result, named: bool) -> Iterator[tuple[Path, Path] | PathProblem]:
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        yield PathProblem(path, "not-a-regular-file", f"{kind}, not a file: not read")
        return
    if not named and path.suffix.lower() not in SUFFIXES:
        return
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as exc:
        yield _problem(path, exc)
        return
    yield path, root


def _walk_folder(
    folder: Path, root: Path, ancestors: set[tuple[int, int]]
) -> Iterator[tuple[Path, Path] | PathProblem]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as exc:
        yield _problem(folder, exc)
        return
    for name in names:
        if name.startswith((".", "~$")):
            continue
        path = folder / name
        try:
            info = path.stat()
        except OSError as exc:
            yield _problem(path, exc)
            continue
        if not stat.S_ISDIR(info.st_mode):
            yield from _file(path, root, info, named=False)
        elif (info.st_dev, info.st_ino) in ancestors:
            yield PathProblem(path, "link-loop", "the link leads back to a folder that contains it: not followed")
        else:
            yield from _walk_folder(path, root, ancestors | {(info.st_dev, info.st_ino)})


def _paths(argv: list[str]) -> list[Path]:
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            out.append(Path(arg))
    return out


def _parse(path: Path, sheet: str, stored: _Stored | None = None) -> Any:
    import fastexcel

    from qms_cli.read.grid import check_workbook  # here, not at the top: start() runs before pyarrow loads

    if stored is not None and stored.holds(path):  # the reader takes it from the store: nothing ahead
        return None
    book = check_workbook(path)  # an empty, damaged or unsafe (zip bomb) file is never parsed ahead
    return parse_sheet(fastexcel.read_excel(source(book.copy if book and book.copy else path)), sheet)


class _Stored:
    """The sha256 of the files a PostgreSQL store holds, asked once, by the first parse ahead that needs
    them (on its thread, while qms loads): a monthly run parses none of the books the store holds."""

    def __init__(self, location: str) -> None:
        self._location = location
        self._lock = threading.Lock()
        self._known: set[str] | None = None
        self._asked = False

    def holds(self, path: Path) -> bool:
        with self._lock:
            if not self._asked:
                self._asked = True
                self._known = _postgres_digests(self._location)
        return self._known is not None and digest(path) in self._known


def _postgres_digests(location: str) -> set[str] | None:
    """The sha256 of the files of the store at a postgresql:// address; None when it cannot say at once
    (no driver, no server within 3 s, no store yet): then the books are parsed ahead, as without one."""
    try:
        import psycopg

        with psycopg.connect(location, autocommit=True, connect_timeout=3, application_name="qms") as db:
            return {row[0] for row in db.execute("SELECT sha256 FROM files")}
    except Exception:  # noqa: BLE001 - a head start only: the run itself names what is wrong with the store
        return None


def _read_csv(path: Path) -> Any:
    from qms_cli.read.grid import read_csv  # here, not at the top: start() runs before pyarrow loads

    return read_csv(path)


def start(argv: list[str]) -> None:
    """Parse the first workbooks and CSV files named on the command line of `qms evaluate` or `qms validate`."""
    if not argv or argv[0] not in ("evaluate", "validate") or "--help" in argv:
        return
    import fastexcel

    books = [p for p, _ in spreadsheets(_paths(argv[1:]))]
    location = _store_location(argv)
    postgres = location is not None and location.startswith(("postgresql://", "postgres://"))
    known = None if postgres else _stored_digests(location)
    if known is not None:  # with a store, the files it already holds are not parsed: none ahead either
        books = [p for p in books if digest(p) not in known]
    books = books[:LIMIT]
    stored = _Stored(location) if postgres and location else None  # a PostgreSQL store: asked by the parses
    if not books:
        return
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="qms-prefetch")
    for book in books:
        if book.suffix.lower() not in EXCEL:  # a CSV: Arrow's reader, also without the GIL
            _pending[(str(book.resolve()), "")] = pool.submit(_read_csv, book)
            continue
        try:
            sheets = fastexcel.read_excel(source(book)).sheet_names
        except Exception:  # noqa: BLE001, S112 - a head start only: the reader names every bad file
            continue
        for sheet in sheets:
            _pending[(str(book.resolve()), sheet)] = pool.submit(_parse, book, sheet, stored)
    pool.shutdown(wait=False)


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _store_location(argv: list[str]) -> str | None:
    """The store `qms evaluate` keeps its files in (a SQLite file or a postgresql:// address), or None."""
    if argv[0] != "evaluate" or "--no-store" in argv:
        return None
    return _option(argv, "--store") or os.environ.get("QMS_STORE") or "qms.sqlite"  # evaluate's default


def _stored_digests(location: str | None) -> set[str] | None:
    """The sha256 of the files an existing SQLite store at `location` holds (the standard library reads
    it), or None without one. A PostgreSQL store is asked by the parses ahead themselves (_Stored)."""
    if not location or not Path(location).is_file():
        return None
    import sqlite3

    try:
        with sqlite3.connect(f"file:{Path(location).resolve()}?mode=ro", uri=True, timeout=5) as db:
            return {row[0] for row in db.execute("SELECT sha256 FROM files")}
    except sqlite3.Error:  # not a store, or an older one: the reader says so, or parses everything
        return None


def digest(path: Path) -> str:
    """The sha256 of a file's content, hashed once per run (the store asks again for the same files)."""
    import hashlib

    key = str(path.resolve())
    stat = path.stat()
    cached = _digests.get(key)
    if cached and cached[:2] == (stat.st_size, stat.st_mtime_ns):
        return cached[2]
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    _digests[key] = (stat.st_size, stat.st_mtime_ns, hasher.hexdigest())
    return _digests[key][2]
