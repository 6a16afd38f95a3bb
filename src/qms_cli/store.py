"""The store: an embedded SQLite file of what was read (never personal data), its lineage, the runs,
and the corrective actions. Monthly runs consolidate into a half-year: the report reads them all back.

Each file read is kept once, by content (sha256): re-reading the same file changes nothing, and a
file whose content changed at the same path replaces its earlier version. Records are kept as they
came out of the reader, per file (Arrow IPC, exact types), so that the latest-export-wins rule is
applied to the whole store at report time, as if every file were read in one run.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import filelock
import pandas as pd
import pyarrow as pa

from qms_cli.errors import EnvironmentFault, LockedError, QmsError, UsageError, printable
from qms_cli.quality import ISSUE_COLUMNS, FileReport, QualityLog
from qms_cli.read.files import FileResult

SCHEMA_VERSION = 1
MIGRATIONS = {  # version -> the SQL that brings the store from version - 1 to it
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
}
ACTION_STATUSES = ("draft", "open", "done", "closed")


class StoreError(UsageError):
    """The store named is not one qms can use, or an action asked of it does not exist (exit 2)."""


class StoreLocked(LockedError):
    """Another qms run holds the store (exit 4): nothing was changed."""


def store_fault(exc: sqlite3.Error, path: Path) -> QmsError:
    """The one-line reason of an SQLite error on the store at `path`, as the error the CLI maps."""
    text = str(exc).lower()
    shown = printable(path)
    if "not a database" in text or "file is encrypted" in text:
        return StoreError(f"{shown}: not a qms store (not an SQLite database); name another file with --store")
    if "malformed" in text or "corrupt" in text:
        return EnvironmentFault(f"{shown}: the store is damaged (corrupt page); restore it from a backup")
    if "full" in text:
        return EnvironmentFault(f"{shown}: the disk is full; nothing was changed in the store")
    if "readonly" in text or "read-only" in text:
        return EnvironmentFault(f"{shown}: the store or its folder is read-only; nothing was changed")
    if "unable to open" in text or "permission" in text or "i/o error" in text or "cantopen" in text:
        return EnvironmentFault(f"{shown}: the store cannot be opened or written ({exc}); check the permissions")
    if "locked" in text or "busy" in text:
        return StoreLocked(f"{shown} is in use by another program; nothing was changed")
    return EnvironmentFault(f"{shown}: the store failed: {exc}")


@contextmanager
def locked(path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the store's lock (a lock file beside it) for a whole run; StoreLocked when another run has it.

    The lock is `filelock`'s: an OS lock on the file (flock on POSIX, msvcrt on Windows), released by
    the OS if the process dies, so a killed run never leaves the store locked.
    """
    name = path.with_name(path.name + ".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(name, timeout=max(wait, 0.0), poll_interval=0.2)
        lock.acquire()
    except filelock.Timeout:
        raise StoreLocked(
            f"{printable(path)} is in use by another qms run; nothing was changed (wait for it with --wait SECONDS)"
        ) from None
    except OSError as exc:  # a read-only or full folder: the lock file cannot be made
        raise EnvironmentFault.from_os_error(exc, name, "the store's lock file cannot be made") from None
    try:
        yield
    finally:
        lock.release()


def _blob(frame: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    options = pa.ipc.IpcWriteOptions(compression="lz4")  # a fifth of the size, read back faster than raw
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _frame(blob: bytes) -> pd.DataFrame:
    return pa.ipc.open_stream(io.BytesIO(blob)).read_all().to_pandas()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Store:
    """One SQLite file; every write happens in one transaction."""

    def __init__(self, path: Path, create: bool = True) -> None:
        """Open the store at `path`; `create=False` (a command that only reads it) refuses a missing one.

        Every failure is one line: not a qms store, made by a newer qms, damaged, disk full, read-only.
        """
        self.path = path
        if not create and not path.exists():
            raise StoreError(f"{printable(path)}: no such store; name the store that `qms evaluate` wrote (--store)")
        if path.exists() and not path.is_file():
            raise StoreError(f"{printable(path)}: not a qms store (not a regular file)")
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
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

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise EnvironmentFault(f"{printable(self.path)}: made by a newer qms (schema {version}); update qms")
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables:  # an SQLite file of another program: never changed by qms
            raise StoreError(f"{printable(self.path)}: not a qms store (an SQLite database of another program)")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {target}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close the connection (a `with Store(path) as store:` block does it on leaving)."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: everything inside is kept, or nothing (an SQLite error becomes its one-line reason).

        Nested uses join the outer one, so that a run's files and its corrective actions are kept together.
        """
        if self.db.in_transaction:
            yield
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_fault(exc, self.path) from None
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:  # SQLite may have rolled back by itself (disk full)
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.Error):
                raise store_fault(exc, self.path) from None
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # --- what was read -------------------------------------------------------------------------
    def save(
        self, results: list[FileResult], command: str, period: str | None, objectives_sha: str, rules: dict[str, Any]
    ) -> tuple[int, int]:
        """Keep each file's results, once by content; return (files added, files unchanged)."""
        now = datetime.now().isoformat(timespec="seconds")
        added = unchanged = 0
        with self.transaction():
            run = self.db.execute(
                "INSERT INTO runs (started_at, command, period, objectives_sha256, rules) VALUES (?, ?, ?, ?, ?)",
                (now, command, period, objectives_sha, json.dumps(rules)),
            ).lastrowid
            for result in results:
                if result.path is None:
                    continue
                try:
                    digest = sha256(result.path)
                except OSError:  # gone or unreadable since it was read: it is named in the run's report
                    continue
                abspath = printable(result.path.resolve())  # a name that is not UTF-8, escaped
                if self.db.execute("SELECT 1 FROM files WHERE sha256 = ?", (digest,)).fetchone():
                    unchanged += 1
                    continue
                self.db.execute("DELETE FROM files WHERE abspath = ?", (abspath,))  # a new version replaces it
                shown = (
                    (result.reports + result.others + result.log.files)[0].path
                    if (result.reports or result.others or result.log.files)
                    else printable(result.path)
                )
                file_id = self.db.execute(
                    "INSERT INTO files (path, abspath, sha256, loaded_at, run_id, unreadable, reports, others,"
                    " files_log) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        shown,
                        abspath,
                        digest,
                        now,
                        run,
                        int(result.unreadable),
                        json.dumps([asdict(r) for r in result.reports]),
                        json.dumps([asdict(r) for r in result.others]),
                        json.dumps([asdict(r) for r in result.log.files]),
                    ),
                ).lastrowid
                rows = [("dossiers", i, _blob(f)) for i, f in enumerate(result.frames)]
                rows += [
                    (f"table:{kind}", i, _blob(f)) for kind, parts in result.tables.items() for i, f in enumerate(parts)
                ]
                issues = result.log.issues_frame()
                if len(issues):
                    rows.append(("issues", 0, _blob(issues.astype({"row": "float64"}))))
                self.db.executemany(
                    "INSERT INTO frames (file_id, kind, position, data) VALUES (?, ?, ?, ?)",
                    [(file_id, *r) for r in rows],
                )
                added += 1
            self.db.execute(
                "UPDATE runs SET files_added = ?, files_unchanged = ? WHERE id = ?", (added, unchanged, run)
            )
        return added, unchanged

    def results(self, exclude_sha: set[str] | None = None) -> list[FileResult]:
        """Return the stored files' results, in the order they were first read."""
        try:
            return self._results(exclude_sha)
        except sqlite3.Error as exc:
            raise store_fault(exc, self.path) from None
        except (pa.ArrowInvalid, ValueError, KeyError, TypeError) as exc:  # a blob or a record that does not decode
            raise EnvironmentFault(
                f"{printable(self.path)}: the store is damaged ({exc}); restore it from a backup"
            ) from None

    def _results(self, exclude_sha: set[str] | None) -> list[FileResult]:
        out = []
        for file_id, _path, digest, unreadable, reports, others, files_log in self.db.execute(
            "SELECT id, path, sha256, unreadable, reports, others, files_log FROM files ORDER BY id"
        ):
            if exclude_sha and digest in exclude_sha:
                continue
            result = FileResult(path=None, unreadable=bool(unreadable))
            result.reports = [FileReport(**r) for r in json.loads(reports)]
            result.others = [FileReport(**r) for r in json.loads(others)]
            result.log = QualityLog(files=[FileReport(**r) for r in json.loads(files_log)])
            for kind, _, blob in self.db.execute(
                "SELECT kind, position, data FROM frames WHERE file_id = ? ORDER BY kind, position", (file_id,)
            ):
                frame = _frame(blob)
                if kind == "dossiers":
                    result.frames.append(frame)
                elif kind == "issues":
                    frame["row"] = frame["row"].astype("Int64")
                    result.log.add_frame(frame[ISSUE_COLUMNS])
                else:
                    result.tables.setdefault(kind.split(":", 1)[1], []).append(frame)
            out.append(result)
        return out

    def runs(self) -> list[dict[str, Any]]:
        cursor = self.db.execute("SELECT * FROM runs ORDER BY id")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    # --- corrective actions (ISO 9001 §10.2) ------------------------------------------------------
    def open_actions(self, shortfalls: list[dict[str, Any]], period: str, due: str) -> int:
        """Open a draft action for every shortfall that has none for this period; return how many."""
        now = datetime.now().isoformat(timespec="seconds")
        with self.transaction():
            before = self.db.total_changes
            for s in shortfalls:
                self.db.execute(
                    "INSERT OR IGNORE INTO actions (indicator, unit, period, value, target, gap, owner, due, status,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
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
                )
        return self.db.total_changes - before

    def actions(self, period: str | None = None) -> list[dict[str, Any]]:
        """The corrective actions (of one period), in the order they were opened."""
        try:
            return self._actions(period)
        except sqlite3.Error as exc:
            raise store_fault(exc, self.path) from None

    def _actions(self, period: str | None) -> list[dict[str, Any]]:
        query = "SELECT * FROM actions" + (" WHERE period = ?" if period else "") + " ORDER BY id"
        cursor = self.db.execute(query, (period,) if period else ())
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def update_action(self, action_id: int, **fields: str | None) -> dict[str, Any]:
        allowed = {"status", "cause", "action", "effectiveness", "owner", "due"}
        changes = {k: v for k, v in fields.items() if v is not None and k in allowed}
        if "status" in changes and changes["status"] not in ACTION_STATUSES:
            raise StoreError(f"status takes {', '.join(ACTION_STATUSES)}")
        if not self.db.execute("SELECT 1 FROM actions WHERE id = ?", (action_id,)).fetchone():
            raise StoreError(f"no corrective action #{action_id}")
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            now = datetime.now().isoformat(timespec="seconds")
            with self.transaction():
                self.db.execute(
                    f"UPDATE actions SET {sets}, updated_at = ? WHERE id = ?",  # noqa: S608 - fixed names
                    (*changes.values(), now, action_id),
                )
        return next(a for a in self.actions() if a["id"] == action_id)
