"""The store: what was read (never personal data), its lineage, the runs and the corrective actions.

Two back ends share this module's logic and schema: an embedded SQLite file (the default, for one
office) and a PostgreSQL database (`postgresql://…`, for a city whose officers run qms from several
machines; see store_postgres.py). Monthly runs consolidate into a half-year: the report reads them all.

Each file read is kept once, by content (sha256): re-reading the same file changes nothing, and a
file whose content changed at the same path replaces its earlier version. Records are kept as they
came out of the reader, per file (Arrow IPC, exact types), so that the latest-export-wins rule is
applied to the whole store at report time, as if every file were read in one run. A later run takes
a file's records from the store instead of parsing it again when nothing that the reading depends on
has changed (see `Store.reusable`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path
from types import TracebackType
from typing import Any

import filelock
import pandas as pd
import pyarrow as pa

from qms_cli.data_quality import FileReport, QualityLog, relabel_frame
from qms_cli.errors import EnvironmentFault, LockedError, Phrase, QmsError, UsageError, printable
from qms_cli.read.files import FileResult

SCHEMA_VERSION = 2
SQLITE_MIGRATIONS = {  # version -> the SQL that brings the store from version - 1 to it
    1: """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, command TEXT NOT NULL, period TEXT,
        objectives_sha256 TEXT, rules TEXT, files_added INTEGER, files_unchanged INTEGER);
    CREATE TABLE files (
        id INTEGER PRIMARY KEY, path TEXT NOT NULL, abspath TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
        loaded_at TEXT NOT NULL, run_id INTEGER REFERENCES runs(id), unreadable INTEGER NOT NULL,
        reports TEXT NOT NULL, others TEXT NOT NULL, files_log TEXT NOT NULL);
    CREATE INDEX files_abspath ON files(abspath);
    CREATE TABLE frames (
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE, kind TEXT NOT NULL,
        position INTEGER NOT NULL, data BLOB NOT NULL);
    CREATE TABLE actions (
        id INTEGER PRIMARY KEY, indicator TEXT NOT NULL, unit TEXT, period TEXT NOT NULL, value REAL,
        target REAL, gap REAL, owner TEXT, due TEXT, status TEXT NOT NULL DEFAULT 'draft', cause TEXT,
        action TEXT, effectiveness TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        UNIQUE (indicator, unit, period));
    """,
    2: """
    ALTER TABLE files ADD COLUMN root TEXT;
    ALTER TABLE files ADD COLUMN reader_key TEXT;
    ALTER TABLE files ADD COLUMN mtime_date TEXT;
    ALTER TABLE files ADD COLUMN dated_by_mtime INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX frames_file ON frames(file_id);
    """,
}
ACTION_STATUSES = ("draft", "open", "done", "closed")


class StoreError(UsageError):
    """The store named is not one qms can use, or an action asked of it does not exist (exit 2)."""


class StoreLocked(LockedError):
    """Another qms run holds the store (exit 4): nothing was changed."""


def store_fault(exc: sqlite3.Error, path: Path) -> QmsError:
    """The one-line reason of an SQLite error on the store at `path`, as the error the CLI maps."""
    said = str(exc).lower()
    shown = printable(path)
    if "not a database" in said or "file is encrypted" in said:
        return StoreError(Phrase("store_not_sqlite", path=shown))
    if "malformed" in said or "corrupt" in said:
        return EnvironmentFault(Phrase("store_corrupt", path=shown))
    if "full" in said:
        return EnvironmentFault(Phrase("store_disk_full", path=shown))
    if "readonly" in said or "read-only" in said:
        return EnvironmentFault(Phrase("store_read_only", path=shown))
    if "unable to open" in said or "permission" in said or "i/o error" in said or "cantopen" in said:
        return EnvironmentFault(Phrase("store_cannot_open", path=shown, detail=printable(exc)))
    if "locked" in said or "busy" in said:
        return StoreLocked(Phrase("store_used_elsewhere", path=shown))
    return EnvironmentFault(Phrase("store_failed", path=shown, detail=printable(exc)))


@contextmanager
def file_lock(path: Path, wait: float) -> Iterator[None]:
    """The SQLite store's lock: `filelock`'s OS lock on a file beside it (flock on POSIX, msvcrt on
    Windows), released by the OS if the process dies, so a killed run never leaves the store locked."""
    name = path.with_name(path.name + ".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(name, timeout=max(wait, 0.0), poll_interval=0.2)
        lock.acquire()
    except filelock.Timeout:
        raise StoreLocked(busy_message(printable(path))) from None
    except OSError as exc:  # a read-only or full folder: the lock file cannot be made
        raise EnvironmentFault.from_os_error(exc, name, "doing_lock_file") from None
    try:
        yield
    finally:
        lock.release()


def busy_message(shown: str) -> Phrase:
    """The one line said when another qms run holds the store."""
    return Phrase("store_busy", path=shown)


def _blob(frame: pd.DataFrame | pa.Table) -> bytes:
    sink = io.BytesIO()
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    options = pa.ipc.IpcWriteOptions(compression="lz4")  # a fifth of the size, read back faster than raw
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


_READ = pa.ipc.IpcReadOptions(use_threads=False)


def _table(blob: bytes) -> pa.Table:
    """A blob's table, its buffers read in place and decompressed on this thread.

    Arrow reads a Python buffer without copying it; through io.BytesIO it would pay a Python call
    per read and a copy of every buffer, about twice the decoding of a year's blobs. A file's blob
    is small (a ward's month: some 30 buffers of a few kB): handing each buffer's decompression to
    Arrow's thread pool cost more than the decompression itself (docs/performance.md).
    """
    return pa.ipc.open_stream(pa.py_buffer(blob), options=_READ).read_all()


def _frame(blob: bytes) -> pd.DataFrame:
    return _table(blob).to_pandas()


def sha256(path: Path) -> str:
    """The sha256 of a file's content (once per run: the console script may have hashed it already)."""
    from qms_cli.read.prefetch import digest

    return digest(path)


_SOURCE_KEY: list[str] = []


def _source_key() -> str:
    """sha256 of qms's own code and data files: records read by another version of qms are read again."""
    if not _SOURCE_KEY:
        digest = hashlib.sha256()
        package = Path(__file__).parent
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(package).as_posix().encode())
                digest.update(path.read_bytes())
        _SOURCE_KEY.append(digest.hexdigest())
    return _SOURCE_KEY[0]


def reader_key(spec: Any) -> str:
    """What a file's records depend on besides its content: qms's code, the unit registry, the calendar,
    the district of the objectives file and the names of its procedure catalogue (free texts that are
    one of them are kept); its targets and rules are applied after reading."""
    from qms_cli.read.files import procedure_names

    used = spec.model_dump(mode="json", include={"year", "district", "calendar", "units"})
    used["procedures"] = sorted(procedure_names(spec))
    return hashlib.sha256((_source_key() + json.dumps(used, sort_keys=True)).encode()).hexdigest()


@dataclass
class Seen:
    """One file found on disk in this run: where, its content's sha256, and the store's record of it."""

    path: Path
    root: Path
    digest: str
    mtime_date: str
    stored_id: int | None = None  # its records came from the store (it was not parsed again)
    blobs: list[tuple[str, int, bytes]] | None = None  # its frames encoded for the store, when parsed

    @property
    def abspath(self) -> str:
        """The file's absolute path, as the store keys it."""
        return printable(self.path.resolve())  # a name that is not UTF-8, escaped


def mtime_date(path: Path) -> str:
    """The file's modification date, as an ISO date."""
    return datetime.fromtimestamp(os.path.getmtime(path)).date().isoformat()


def _dated_by_mtime(result: FileResult, mtime: str) -> bool:
    """Could a book's export date have come from the file's modification time (no date in its content
    or name)? Then the same content with another modification date would be dated otherwise: read again."""
    return any(r.export_date == mtime for r in result.reports)


def _relabel(result: FileResult, old: str, new: str) -> None:
    """Show a stored file's results under the name this run gives it (another folder or working folder)."""
    if old == new:
        return
    for report in (*result.reports, *result.others, *result.log.files):
        if report.path == old:
            report.path = new
    result.log.relabel(old, new)
    for frames in result.tables.values():
        for frame in frames:
            relabel_frame(frame, old, new)


class Store:
    """The store's logic, on one DB-API connection; this class is the SQLite back end.

    Every write happens in one transaction: a run that dies half-way leaves the store as it was.
    A subclass changes only the connection, the SQL dialect and the lock (store_postgres.PostgresStore).
    """

    placeholder = "?"
    migrations = SQLITE_MIGRATIONS
    path: Path | None

    def __init__(self, path: Path, create: bool = True) -> None:
        """Open the store at `path`; `create=False` (a command that only reads it) refuses a missing one.

        Every failure is one line: not a qms store, made by a newer qms, damaged, disk full, read-only.
        """
        self.path = path
        self.shown = printable(path)
        if not create and not path.exists():
            raise StoreError(Phrase("store_missing", path=self.shown))
        if path.exists() and not path.is_file():
            raise StoreError(Phrase("store_not_regular", path=self.shown))
        try:
            self.db: Any = sqlite3.connect(path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise store_fault(exc, path) from None
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            self.db.execute("SELECT count(*) FROM files").fetchone()  # a damaged file shows here, not later
        except sqlite3.Error as exc:
            self.db.close()
            raise store_fault(exc, path) from None
        except QmsError:
            self.db.close()
            raise

    # --- the dialect: overridden by the PostgreSQL back end ---------------------------------------
    def _sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def execute(self, text: str, params: tuple[Any, ...] = ()) -> Any:
        """Run one statement (written with ? placeholders) and return its cursor."""
        return self.db.execute(self._sql(text), params)

    def _begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def _migration_lock(self) -> None:
        """Nothing for SQLite: BEGIN IMMEDIATE already keeps a second writer out."""

    def _version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _set_version(self, version: int) -> None:
        self.db.execute(f"PRAGMA user_version = {int(version)}")

    def _in_transaction(self) -> bool:
        return bool(self.db.in_transaction)

    def _fault(self, exc: Exception) -> QmsError:
        """The one-line reason of a database error (see store_fault)."""
        assert self.path is not None
        if isinstance(exc, sqlite3.Error):
            return store_fault(exc, self.path)
        return EnvironmentFault(Phrase("store_failed", path=self.shown, detail=printable(exc)))

    db_errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: everything inside is kept, or nothing (a database error becomes its one-line reason).

        Nested uses join the outer one, so that a run's files and its corrective actions are kept together.
        """
        if self._in_transaction():
            yield
            return
        try:
            self._begin()
        except self.db_errors as exc:
            raise self._fault(exc) from None
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self._in_transaction():  # SQLite may have rolled back by itself (disk full)
                try:
                    self.db.execute("ROLLBACK")
                except self.db_errors:
                    pass
            if isinstance(exc, self.db_errors):
                raise self._fault(exc) from None
            raise

    def _foreign(self) -> bool:
        """An SQLite file of another program (tables, but no qms schema version): never changed by qms."""
        return bool(self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone())

    def _migrate(self) -> None:
        """Bring the schema forward, one version at a time, each in a transaction of its own."""
        if self._version() > SCHEMA_VERSION:
            raise EnvironmentFault(Phrase("store_newer", path=self.shown, version=self._version()))
        if self._version() == 0 and self._foreign():
            raise StoreError(Phrase("store_foreign", path=self.shown))
        while (version := self._version()) < SCHEMA_VERSION:
            with self.transaction():
                self._migration_lock()
                if self._version() != version:  # another process migrated it meanwhile
                    continue
                for statement in self.migrations[version + 1].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self._set_version(version + 1)

    def close(self) -> None:
        """Close the connection (a `with open_store(…) as store:` block does it on leaving)."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # --- reading only what changed ------------------------------------------------------------------
    def reusable(self, seen: list[Seen], key: str) -> None:
        """Mark each file whose records the store can give exactly as a new parse would (sets stored_id).

        That is: the same content (sha256) at the same place (path and the folder named on the command
        line, since a unit may be named by a folder), read by the same qms with the same unit registry
        and calendar (`key`), readable, and (when its export date may have come from the modification
        time) with the same modification date.
        """
        rows = self.execute(
            "SELECT id, sha256, abspath, root, reader_key, mtime_date, dated_by_mtime, unreadable FROM files"
        ).fetchall()
        by_digest = {row[1]: row for row in rows}
        for item in seen:
            row = by_digest.get(item.digest)
            if row is None:
                continue
            file_id, _, abspath, root, stored_key, mtime, by_mtime, unreadable = row
            same_place = abspath == item.abspath and root == printable(item.root.resolve())
            same_date = not by_mtime or mtime == item.mtime_date
            if same_place and same_date and stored_key == key and not unreadable:
                item.stored_id = int(file_id)

    def load(self, file_ids: list[int]) -> dict[int, FileResult]:
        """The stored results of these files, by id."""
        return dict(self._decoded(set(file_ids)))

    def _decoded(self, wanted: set[int]) -> list[tuple[int, FileResult]]:
        """_results, read to the end; a database error or a blob that does not decode is one line."""
        try:
            return list(self._results(wanted))
        except self.db_errors as exc:
            raise self._fault(exc) from None
        except (pa.ArrowInvalid, ValueError, KeyError, TypeError) as exc:  # a blob or a record that does not decode
            raise EnvironmentFault(Phrase("store_undecodable", path=self.shown, detail=printable(exc))) from None

    # --- what was read ---------------------------------------------------------------------------
    def save(
        self,
        results: list[FileResult],
        command: str,
        period: str | None,
        objectives_sha: str,
        rules: dict[str, Any],
        seen: list[Seen] | None = None,
        key: str | None = None,
    ) -> tuple[int, int]:
        """Keep each file's results, once by content; return (files added, files unchanged).

        `seen` (the same order as `results`) carries each file's sha256 and the store's record of it;
        without it, the files are hashed here.
        """
        now = datetime.now().isoformat(timespec="seconds")
        added = unchanged = 0
        with self.transaction():
            run = self.execute(
                "INSERT INTO runs (started_at, command, period, objectives_sha256, rules) VALUES (?, ?, ?, ?, ?)"
                " RETURNING id",
                (now, command, period, objectives_sha, json.dumps(rules)),
            ).fetchone()[0]
            items: list[Seen | None] = list(seen) if seen else [_seen(r) for r in results]
            for result, item in zip(results, items, strict=True):
                if item is None:
                    continue
                if item.stored_id is not None or self._same(item, key):
                    unchanged += 1
                    continue
                self._keep(result, item, key, run, now)
                added += 1
            self.execute("UPDATE runs SET files_added = ?, files_unchanged = ? WHERE id = ?", (added, unchanged, run))
        return added, unchanged

    def _same(self, item: Seen, key: str | None) -> bool:
        """The store already holds this content; without a reader key (an older caller) any version will do."""
        row = self.execute("SELECT abspath, reader_key FROM files WHERE sha256 = ?", (item.digest,)).fetchone()
        return row is not None and (key is None or (row[0] == item.abspath and row[1] == key))

    def _keep(self, result: FileResult, item: Seen, key: str | None, run: int, now: str) -> None:
        self.execute("DELETE FROM files WHERE abspath = ? OR sha256 = ?", (item.abspath, item.digest))
        everything = result.reports + result.others + result.log.files
        file_id = self.execute(
            "INSERT INTO files (path, abspath, sha256, loaded_at, run_id, unreadable, reports, others, files_log,"
            " root, reader_key, mtime_date, dated_by_mtime)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                everything[0].path if everything else printable(item.path),
                item.abspath,
                item.digest,
                now,
                run,
                int(result.unreadable),
                json.dumps([asdict(r) for r in result.reports]),
                json.dumps([asdict(r) for r in result.others]),
                json.dumps([asdict(r) for r in result.log.files]),
                printable(item.root.resolve()),
                key,
                item.mtime_date,
                int(_dated_by_mtime(result, item.mtime_date)),
            ),
        ).fetchone()[0]
        rows = item.blobs if item.blobs is not None else encode(result)
        self.db.cursor().executemany(
            self._sql("INSERT INTO frames (file_id, kind, position, data) VALUES (?, ?, ?, ?)"),
            [(file_id, *r) for r in rows],
        )

    def results(self, exclude_sha: set[str] | None = None) -> list[FileResult]:
        """Return the stored files' results, in the order they were first read."""
        try:
            digests = dict(self.execute("SELECT id, sha256 FROM files").fetchall())
        except self.db_errors as exc:
            raise self._fault(exc) from None
        wanted = {i for i, digest in digests.items() if not (exclude_sha and digest in exclude_sha)}
        return [result for _, result in self._decoded(wanted)]

    def _results(self, wanted: set[int]) -> Iterator[tuple[int, FileResult]]:
        """(id, results) of the wanted files in id order, decoded one file at a time (the store's
        frames are never all in memory at once)."""
        files = self.execute("SELECT id, unreadable, reports, others, files_log FROM files ORDER BY id").fetchall()
        frames = groupby(self._frame_rows(wanted), key=lambda row: int(row[0]))
        pending = next(frames, None)
        for file_id, unreadable, reports, others, files_log in files:
            if int(file_id) not in wanted:
                continue
            blobs: list[tuple[str, bytes]] = []
            while pending is not None and pending[0] <= int(file_id):
                if pending[0] == int(file_id):
                    blobs = [(kind, bytes(blob)) for _, kind, blob in pending[1]]
                pending = next(frames, None)
            yield int(file_id), _result(bool(unreadable), reports, others, files_log, blobs)

    def _frame_rows(self, wanted: set[int]) -> Iterator[tuple[int, str, bytes]]:
        """(file id, kind, blob) of the wanted files' frames, ordered by file, kind and position."""
        for file_id in sorted(wanted):
            yield from self.execute(
                "SELECT file_id, kind, data FROM frames WHERE file_id = ? ORDER BY kind, position", (file_id,)
            ).fetchall()

    def runs(self) -> list[dict[str, Any]]:
        """Every run that wrote to the store, oldest first."""
        return self._dicts("SELECT * FROM runs ORDER BY id")

    def _dicts(self, query: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self.execute(query, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- corrective actions (ISO 9001 §10.2) ------------------------------------------------------
    def open_actions(self, shortfalls: list[dict[str, Any]], period: str, due: str) -> int:
        """Open a draft action for every shortfall that has none for this period; return how many."""
        now = datetime.now().isoformat(timespec="seconds")
        opened = 0
        with self.transaction():
            for s in shortfalls:
                opened += self.execute(
                    "INSERT INTO actions (indicator, unit, period, value, target, gap, owner, due, status,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)"
                    " ON CONFLICT (indicator, unit, period) DO NOTHING",
                    (
                        s["indicator"],
                        s["unit"] or "",
                        period,
                        s["value"],
                        s["target"],
                        s["gap"],
                        s["owner"],
                        due,
                        now,
                        now,
                    ),
                ).rowcount
        return opened

    def actions(self, period: str | None = None) -> list[dict[str, Any]]:
        """The corrective actions (of one period), in the order they were opened."""
        query = "SELECT * FROM actions" + (" WHERE period = ?" if period else "") + " ORDER BY id"
        try:
            return self._dicts(query, (period,) if period else ())
        except self.db_errors as exc:
            raise self._fault(exc) from None

    def update_action(self, action_id: int, **fields: str | None) -> dict[str, Any]:
        """Change an action's cause, action, status, effectiveness, owner or due date."""
        allowed = {"status", "cause", "action", "effectiveness", "owner", "due"}
        changes = {k: v for k, v in fields.items() if v is not None and k in allowed}
        if "status" in changes and changes["status"] not in ACTION_STATUSES:
            raise StoreError(Phrase("store_bad_status", choices=", ".join(ACTION_STATUSES)))
        if not self.execute("SELECT 1 FROM actions WHERE id = ?", (action_id,)).fetchone():
            raise StoreError(Phrase("store_no_action", id=action_id))
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            now = datetime.now().isoformat(timespec="seconds")
            with self.transaction():
                self.execute(
                    f"UPDATE actions SET {sets}, updated_at = ? WHERE id = ?",  # noqa: S608 - fixed names
                    (*changes.values(), now, action_id),
                )
        return next(a for a in self.actions() if a["id"] == action_id)


def encode(result: FileResult) -> list[tuple[str, int, bytes]]:
    """(kind, position, Arrow IPC) of a file's records, tables and issues, as the store keeps them."""
    rows = [("dossiers", i, _blob(f)) for i, f in enumerate(result.frames)]
    rows += [(f"table:{kind}", i, _blob(f)) for kind, parts in result.tables.items() for i, f in enumerate(parts)]
    issues = result.log.issues_frame()
    if len(issues):
        rows.append(("issues", 0, _blob(issues.astype({"row": "float64"}))))
    return rows


def _seen(result: FileResult) -> Seen | None:
    """A file of a run that did not go through `read_changed` (hashed now); None for a path that is gone."""
    if result.path is None:
        return None
    try:
        return Seen(result.path, result.path.parent, sha256(result.path), mtime_date(result.path))
    except OSError:  # gone or unreadable since it was read: it is named in the run's report
        return None


def _result(unreadable: bool, reports: str, others: str, files_log: str, frames: list[tuple[str, bytes]]) -> FileResult:
    result = FileResult(path=None, unreadable=unreadable)
    result.reports = [FileReport(**r) for r in json.loads(reports)]
    for report in result.reports:
        report.rows_superseded = 0  # a figure of the merge of a run, not of the file: counted again
    result.others = [FileReport(**r) for r in json.loads(others)]
    result.log = QualityLog(files=[FileReport(**r) for r in json.loads(files_log)])
    for kind, blob in frames:
        if kind == "dossiers":  # kept as Arrow: the merge converts a year's records to pandas at once
            result.frames.append(_table(blob))
            continue
        if kind == "issues":  # kept as Arrow too: the issues of a year are made pandas at once
            result.log.add_table(_table(blob))
        else:
            result.tables.setdefault(kind.split(":", 1)[1], []).append(_frame(blob))
    return result


def read_changed(
    paths: list[Path], spec: Any, log: QualityLog, store: Store | None
) -> tuple[list[FileResult], list[Seen]]:
    """Read the files under `paths`, parsing only those the store cannot give as they are (see
    `Store.reusable`); the others' records come from the store. Results in file order, as read_files."""
    from qms_cli.read.files import discover, read_found, shown_path

    found = discover(paths, log)
    seen = _hash_all(found)
    key = reader_key(spec)
    if store is not None:  # without one (not made yet), every file is parsed
        store.reusable(seen, key)
    encoded: dict[int, list[tuple[str, int, bytes]]] = {}

    def keep_encoded(result: FileResult) -> None:  # on the reader's thread: before the merge frees the frames
        encoded[id(result)] = encode(result)

    fresh = iter(read_found([(s.path, s.root) for s in seen if s.stored_id is None], spec, then=keep_encoded))
    stored = store.load([s.stored_id for s in seen if s.stored_id is not None]) if store is not None else {}
    results = []
    for item in seen:
        if item.stored_id is None:
            results.append(next(fresh))
            item.blobs = encoded.pop(id(results[-1]))
            continue
        result = stored[item.stored_id]
        everything = result.reports + result.others + result.log.files
        if everything:
            _relabel(result, everything[0].path, shown_path(item.path))
        result.path = item.path
        results.append(result)
    return results, seen


def _hash_all(found: list[tuple[Path, Path]]) -> list[Seen]:
    from concurrent.futures import ThreadPoolExecutor

    def one(item: tuple[Path, Path]) -> Seen:
        path, root = item
        return Seen(path, root, sha256(path), mtime_date(path))

    with ThreadPoolExecutor(max_workers=max(1, min(os.cpu_count() or 1, 4))) as pool:  # hashlib frees the GIL
        return list(pool.map(one, found))


__all__ = ["Store", "StoreError", "StoreLocked", "file_lock", "read_changed", "sha256"]
