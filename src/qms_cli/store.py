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

from qms_cli.errors import EnvironmentFault, LockedError, UsageError
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


@contextmanager
def locked(path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the store's lock (a lock file beside it) for a whole run; StoreLocked when another run has it.

    The lock is `filelock`'s: an OS lock on the file (flock on POSIX, msvcrt on Windows), released by
    the OS if the process dies, so a killed run never leaves the store locked.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(path.with_name(path.name + ".lock"), timeout=max(wait, 0.0), poll_interval=0.2)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise StoreLocked(
            f"{path} is in use by another qms run; nothing was changed (wait for it with --wait SECONDS)"
        ) from None
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

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a qms store ({exc})") from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise EnvironmentFault(f"{self.path}: made by a newer qms (schema {version}); update qms")
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
        self.db.execute("BEGIN IMMEDIATE")
        try:
            run = self.db.execute(
                "INSERT INTO runs (started_at, command, period, objectives_sha256, rules) VALUES (?, ?, ?, ?, ?)",
                (now, command, period, objectives_sha, json.dumps(rules)),
            ).lastrowid
            for result in results:
                if result.path is None or not result.path.exists():
                    continue
                digest = sha256(result.path)
                abspath = str(result.path.resolve())
                if self.db.execute("SELECT 1 FROM files WHERE sha256 = ?", (digest,)).fetchone():
                    unchanged += 1
                    continue
                self.db.execute("DELETE FROM files WHERE abspath = ?", (abspath,))  # a new version replaces it
                shown = (
                    (result.reports + result.others + result.log.files)[0].path
                    if (result.reports or result.others or result.log.files)
                    else str(result.path)
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
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return added, unchanged

    def results(self, exclude_sha: set[str] | None = None) -> list[FileResult]:
        """Return the stored files' results, in the order they were first read."""
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
        self.db.execute("BEGIN IMMEDIATE")
        try:
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
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return self.db.total_changes - before

    def actions(self, period: str | None = None) -> list[dict[str, Any]]:
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
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                f"UPDATE actions SET {sets}, updated_at = ? WHERE id = ?",  # noqa: S608 - fixed names
                (*changes.values(), now, action_id),
            )
            self.db.execute("COMMIT")
        return next(a for a in self.actions() if a["id"] == action_id)
