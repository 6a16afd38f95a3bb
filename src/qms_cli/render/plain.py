"""JSON and CSV renderings of an evaluation."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qms_cli.results import Evaluation, Figure, Form06a

CSV_FIELDS = [
    "indicator",
    "objective",
    "unit",
    "name",
    "numerator",
    "denominator",
    "value",
    "ci95_low",
    "ci95_high",
    "conclusive",
    "status",
    "target_op",
    "target",
    "missing_due",
    "reason",
]


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")  # a figure ("-0.5", "-1e-05") stays a number


def safe_cell(value: Any) -> Any:
    """Return text that a spreadsheet will not run as a formula (leading = + - @ get a quote)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(evaluation: Evaluation) -> str:
    """One row per (indicator, district or unit), with the fields of the JSON entries."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for ind in evaluation.indicators:
        scopes: list[tuple[str, str, Figure]] = [("", "", ind.district)]
        scopes += [(u.unit, u.name, u) for u in ind.units]
        for unit, name, entry in scopes:
            low, high = entry.ci95 or (None, None)
            row = {
                "indicator": ind.id,
                "objective": ind.objective,
                "unit": unit,
                "name": name,
                "numerator": entry.numerator,
                "denominator": entry.denominator,
                "value": "" if entry.value is None else repr(entry.value),
                "ci95_low": "" if low is None else repr(low),
                "ci95_high": "" if high is None else repr(high),
                "conclusive": "" if entry.conclusive is None else str(entry.conclusive).lower(),
                "status": entry.status,
                "target_op": ind.target.op,
                "target": ind.target.value,
                "missing_due": "" if entry.missing_due is None else entry.missing_due,
                "reason": entry.reason or "",
            }
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def form_06a_csv(form: Form06a) -> str:
    """Biểu 06a as CSV in the form's layout: group headers, column headers, column numbers, the unit rows
    and the total row (an empty cell where a unit's tables lack the column)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for header in (form.groups, form.heads, form.numbers):
        writer.writerow(header)
    for row in form.rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return buffer.getvalue()


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, flushed to disk, renamed into place: never half a file.

    The temporary file is fsync'ed before the rename (else a power cut just after it can leave an
    empty file under the final name), and on POSIX the folder too, so that the rename itself lasts.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        _fsync(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary file would be, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; Windows cannot open a folder, and its rename is already journaled."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
