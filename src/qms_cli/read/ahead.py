"""Sheets parsed ahead (by qms_cli.read.prefetch) waiting for the reader (qms_cli.read.grid), and the
two parse steps both use. The standard library only: the console script imports it before anything else.

The reader takes a sheet from here when it was parsed ahead and parses it itself otherwise; prefetch
puts sheets here. Neither imports the other at the top, so the two form no import cycle.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

PENDING: dict[tuple[str, str], Future[Any]] = {}  # (resolved path, sheet name or "" for a CSV) -> its parse


def source(path: Path) -> str | bytes:
    """What the parsers open: the path as text, or the file's bytes when its name is not UTF-8 (a name
    from a Windows zip), which the parsers cannot take as a path."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return path.read_bytes()
    return name


def parse_sheet(reader: Any, sheet: str) -> tuple[list[int], Any]:
    """One parse of a whole sheet, every cell as text: (absolute column indices, Arrow record batch).

    Only the Arrow batch is kept: the parser's own copy of the cells is freed as soon as it is converted.
    """
    loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
    return [info.absolute_index for info in loaded.available_columns()], loaded.to_arrow()


def take(path: Path, sheet: str) -> Any | None:
    """The sheet parsed ahead (sheet "" for a CSV), if it was (waiting for it if it is still being parsed),
    else None."""
    future = PENDING.pop((str(path.resolve()), sheet), None)
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - parse it again in the reader, which reports the error properly
        return None
