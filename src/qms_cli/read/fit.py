"""Does a dossier book's body fit its header? Each mapped column is checked against its field.

A sheet whose values sit under the wrong headers (one system's drill-down list has 9 cells under 12
headers, every value one to three columns left of its header) must be refused, not counted
(real-exports.md §1). The checks, on the data rows of the sheet (at most SAMPLE_ROWS of them):
- dossier codes look like codes (they hold a digit and are not dates) and are mostly distinct;
- date columns mostly read as dates;
- a personal-data column holds no dates;
- the mapped date columns at the end of the header are not empty in every row while the columns to
  their left are filled (the body is narrower than its header).
Thresholds ("mostly") are in docs/counting.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from qms_cli.read import dates as D
from qms_cli.read.common import valid
from qms_cli.read.grid import column_letter

SAMPLE_ROWS = 2000
MIN_VALUES = 3  # a check speaks only when the column holds at least this many values
MOSTLY = 0.5  # a date column whose values read as dates less often than this does not fit
DATE_FIELDS = ("received", "due", "result_ready", "returned")
TRAILING_FIELDS = {"received", "due", "result_ready"}


@dataclass(frozen=True)
class Misfit:
    """One column that does not fit its header: where it is, what it should hold, what lies under it."""

    column: int
    header: str
    why: str
    values: list[str]

    def text(self) -> str:
        """The sample as shown in data_quality: the header, the column, and the values under it."""
        shown = ", ".join(self.values[:3]) or "(trống / empty)"
        return f"{self.header} ({column_letter(self.column)}): {self.why}; under it: {shown}"


def _values(arr: pa.Array) -> list[str]:
    return [v for v in arr.drop_null().to_pylist() if v and v.strip()]


def _dates_share(arr: pa.Array, remember: bool = True) -> tuple[float, int]:
    """The share of the filled values that read as dates (or as ambiguous dates), and how many are
    filled. A date, in every form qms reads, has the shape dates.DATE_SHAPE: when fewer than MOSTLY of
    the values have it, that smaller share is given without parsing (every use compares it with
    MOSTLY, so no decision changes), and a column of names or codes costs one scan. `remember`: see
    dates.parse_dates."""
    values = arr.drop_null()
    if not len(values):
        return 0.0, 0
    trimmed = pc.utf8_trim_whitespace(values)
    count = len(values) - int(pc.sum(pc.equal(trimmed, "")).as_py() or 0)
    if not count:
        return 0.0, 0
    shaped = int(pc.sum(pc.match_substring_regex(trimmed, D.DATE_SHAPE)).as_py() or 0)
    if shaped < MOSTLY * count:
        return shaped / count, count
    _, status = D.parse_dates(values, remember)
    filled = status != D.BLANK
    return float(((status == D.OK) | (status == D.AMBIGUOUS))[filled].mean()), count


def _code_misfit(arr: pa.Array) -> str | None:
    values = _filled(arr)
    if len(values) < MIN_VALUES:
        return None
    share, _ = _dates_share(values, remember=False)  # codes do not repeat
    if share >= MOSTLY:
        return "dates where dossier codes should be"
    if _with_digit(values) < MOSTLY * len(values):
        return "text without digits where dossier codes should be"
    if pc.count_distinct(values).as_py() < MOSTLY * len(values):
        return "the same few values where distinct dossier codes should be"
    return None


# Python's whitespace (str.strip) and digits (str.isdigit) among ASCII characters, for the vectorised
# checks of ASCII columns (dossier codes almost always are); other columns are checked value by value.
_ASCII_SPACE = "".join(ch for ch in map(chr, range(128)) if ch.isspace())


def _filled(arr: pa.Array) -> pa.Array:
    """The values of `arr` that hold more than whitespace, in order: `_values` as an Arrow array."""
    values = arr.drop_null()
    if pc.all(pc.string_is_ascii(values)).as_py() is False:
        return pa.array(_values(values), pa.string())
    return pc.filter(values, pc.not_equal(pc.utf8_trim(values, _ASCII_SPACE), ""))


def _with_digit(values: pa.Array) -> int:
    """How many of the values hold a digit (as Python's str.isdigit sees one)."""
    if pc.all(pc.string_is_ascii(values)).as_py() is False:
        return sum(any(ch.isdigit() for ch in v) for v in values.to_pylist())
    return int(pc.sum(pc.match_substring_regex(values, "[0-9]")).as_py() or 0)


def misfits(
    columns: dict[str, pa.Array], personal: dict[int, pa.Array], where: dict[str, int], labels: dict[int, str]
) -> list[Misfit]:
    """The mapped columns (by field) and personal-data columns (by index) whose values do not fit.

    `columns` and `personal` hold the data rows only (blank, total and footer rows left out).
    """
    out: list[Misfit] = []

    def add(col: int, why: str, values: list[str]) -> None:
        out.append(Misfit(col, labels.get(col, ""), why, values))

    if "dossier_id" in columns and (why := _code_misfit(columns["dossier_id"])):
        add(where["dossier_id"], why, _values(columns["dossier_id"]))
    for name in DATE_FIELDS:
        if name in columns:
            share, count = _dates_share(columns[name])
            if count >= MIN_VALUES and share < MOSTLY:
                add(where[name], "values that are not dates where dates should be", _values(columns[name]))
    for col, arr in personal.items():
        share, count = _dates_share(arr, remember=False)  # a person's data is not kept
        if count >= MIN_VALUES and share >= MOSTLY:  # the sample shows the dates only, never a person's data
            dates = [
                v for v in _values(arr) if not np.isnat(D.parse_dates(pa.array([v], pa.string()), remember=False)[0][0])
            ]
            add(col, "dates in a personal-data column", dates)
    out += _trailing(columns, where, labels)
    return out


def _trailing(columns: dict[str, pa.Array], where: dict[str, int], labels: dict[int, str]) -> list[Misfit]:
    """Mapped date columns at the end of the header, empty in every row while those to their left are not."""
    n = len(next(iter(columns.values()))) if columns else 0
    if n < MIN_VALUES:
        return []
    filled = {c: bool(valid(columns[f]).any()) for f, c in where.items() if f in columns}
    last_filled = max((c for c, full in filled.items() if full), default=-1)
    empty_tail = [f for f, c in where.items() if f in TRAILING_FIELDS and c > last_filled]
    if len(empty_tail) < 2:
        return []
    return [
        Misfit(where[f], labels.get(where[f], ""), "empty in every row, at the end of the header", [])
        for f in empty_tail
    ]


def rows_of(columns: dict[int, pa.Array], mask: np.ndarray) -> dict[int, pa.Array]:
    """The given rows of every column (a numpy mask), at most SAMPLE_ROWS of them."""
    idx = np.flatnonzero(mask)[:SAMPLE_ROWS]
    take = pa.array(idx, pa.int64())
    return {c: pc.take(a, take) for c, a in columns.items()}
