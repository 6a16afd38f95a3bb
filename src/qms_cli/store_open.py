"""Which store a location names, a SQLite file or a PostgreSQL server (postgresql://…), and opening
and locking it. The one place that knows both back ends: qms_cli.store holds the store's logic (and
the SQLite file), qms_cli.store_postgres the server's connection, dialect and lock."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from qms_cli.store import Store, file_lock
from qms_cli.store_postgres import PostgresStore, advisory_lock, without_password

StoreLocation = Path | str  # a SQLite file, or a postgresql:// address


def is_postgres(location: StoreLocation) -> bool:
    """A postgresql:// (or postgres://) address rather than a file."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def store_location(text: str | Path) -> StoreLocation:
    """The --store option or QMS_STORE as given: a PostgreSQL address stays text, anything else is a file."""
    return str(text) if is_postgres(str(text)) else Path(text)


def store_exists(location: StoreLocation) -> bool:
    """A SQLite store exists when its file does; a PostgreSQL store always can be opened (or fails to)."""
    return is_postgres(location) or Path(location).exists()


def shown_location(location: StoreLocation) -> str:
    """The store as it may be shown to people: a PostgreSQL address without its password."""
    if not is_postgres(location):
        return str(location)
    return without_password(str(location))


def locked(location: StoreLocation, wait: float = 0.0) -> AbstractContextManager[None]:
    """Hold the store's lock for a whole run; StoreLocked when another run has it (after `wait` seconds)."""
    if is_postgres(location):
        return advisory_lock(str(location), wait)
    return file_lock(Path(location), wait)


def open_store(location: StoreLocation, create: bool = True) -> Store:
    """Open (and create or migrate) the store at a path or a postgresql:// address; `create=False` (a
    command that only reads it) refuses a SQLite file that does not exist."""
    if is_postgres(location):
        return PostgresStore(str(location))
    return Store(Path(location), create)
