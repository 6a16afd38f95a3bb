"""Data-quality bookkeeping: row accounting per file and sheet, and issues by code with samples."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from qms_cli.errors import CODES
from qms_cli.read.headers import _phrases, match_field
from qms_cli.vocabulary import VOCABULARY

ISSUE_COLUMNS = ["code", "path", "sheet", "row", "column", "header", "value"]
SAMPLES_PER_CODE = 5
# Codes reported once per distinct value too (with its count), and the figures such a value cannot join,
# by the field of the column it was found in (spec/metrics.md §6; issue "read right", point 1).
BY_VALUE: dict[str, dict[str, list[str]]] = {
    "unknown-status": {
        "status": ["on_time", "supplement_rate", "online_l3_growth", "online_l4_share", "postal_in_share"]
    },
    "unknown-channel": {
        "channel_in": ["online_l3_growth", "online_l4_share", "postal_in_share"],
        "channel_out": ["postal_out_share"],
    },
    "online-level-unknown": {
        "online_level": ["online_l3_growth", "online_l4_share"],
        "channel_in": ["online_l3_growth", "online_l4_share"],
    },
}


@dataclass
class FileReport:
    """Row accounting of one sheet of one file: rows read = accepted + rejected + skipped."""

    path: str
    kind: str
    sheet: str | None = None
    unit: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    rows_superseded: int = 0
    export_date: str | None = None
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The report as its JSON object (export_date and message only when known)."""
        out = {k: v for k, v in self.__dict__.items() if k not in ("export_date", "message")}
        if self.export_date:
            out["export_date"] = self.export_date
        if self.message:
            out["message"] = self.message
        return out


@dataclass
class QualityLog:
    """Collects what every reader found; frames of issue rows are kept until the end, then counted."""

    files: list[FileReport] = field(default_factory=list)
    _frames: list[pd.DataFrame | pa.Table] = field(default_factory=list)  # Arrow: as the store keeps them

    def add(
        self,
        code: str,
        path: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        header: str | None = None,
        value: str | None = None,
    ) -> None:
        """Add one issue of `code` at a file, sheet, Excel row and column, with the header and value."""
        self._frames.append(pd.DataFrame([[code, path, sheet, row, column, header, value]], columns=ISSUE_COLUMNS))

    def merge(self, other: QualityLog) -> None:
        """Append another log's files and issues (a file read on another thread)."""
        self.files.extend(other.files)
        self._frames.extend(other._frames)

    def add_table(self, table: pa.Table) -> None:
        """Add issue rows kept by the store (Arrow, columns ISSUE_COLUMNS, rows as floats): made pandas
        with the other files' at once, when the issues are counted (a city's 2,000 files)."""
        if table.num_rows:
            self._frames.append(table.select(ISSUE_COLUMNS))

    def relabel(self, old: str, new: str) -> None:
        """Name the file `old` as `new` in every issue row (a stored file shown from another folder);
        the store's Arrow tables stay Arrow (made pandas one by one, a city's 2,000 cost seconds)."""
        for at, frame in enumerate(self._frames):
            if isinstance(frame, pa.Table):
                self._frames[at] = _relabelled(frame, old, new)
            else:
                relabel_frame(frame, old, new)

    def as_pandas(self) -> list[pd.DataFrame]:
        """The issue frames, those kept as Arrow made pandas (for the few steps that change them)."""
        self._frames = [_frame_of(f) if isinstance(f, pa.Table) else f for f in self._frames]
        return self._frames  # type: ignore[return-value]  # every one is pandas now

    def discard(self, code: str, where: set[tuple[str, str | None, int]]) -> None:
        """Withdraw issues of `code` at these (path, sheet, row): a later input resolved them."""
        if not where:
            return
        self.as_pandas()
        kept = []
        for frame in self._frames:
            if (frame["code"] == code).any():
                keys = zip(frame["path"], frame["sheet"], frame["row"], strict=True)
                hit = [
                    (code_ == code and (p, s, int(r) if r == r and r is not None else r) in where)
                    for code_, (p, s, r) in zip(frame["code"], keys, strict=True)
                ]
                frame = frame.loc[[not h for h in hit]]
            kept.append(frame)
        self._frames = kept

    def count(self, code: str, path: str, sheet: str | None) -> int:
        """How many issues of `code` were found so far in this file's sheet."""
        return sum(
            int(((f["code"] == code) & (f["path"] == path) & (f["sheet"] == sheet)).sum())
            for f in self.as_pandas()
            if (f["code"] == code).any()
        )

    def add_frame(self, frame: pd.DataFrame) -> None:
        """Add issue rows (columns ISSUE_COLUMNS) found by a vectorised check."""
        if len(frame):
            self._frames.append(frame[ISSUE_COLUMNS])

    def issues_frame(self) -> pd.DataFrame:
        """Every issue row found so far, one frame (columns ISSUE_COLUMNS)."""
        if not self._frames:
            return pd.DataFrame(columns=ISSUE_COLUMNS)
        from qms_cli.read.compact import concat_records  # the readers import this module

        return concat_records(_in_runs(self._frames), consume=False)  # a file's categories stay categories

    def issues(self, lang: str = "vi") -> list[dict[str, Any]]:
        """Return the issues grouped by code: severity, title, count and the first samples."""
        frame = self.issues_frame()
        out = []
        for code, group in frame.groupby("code", sort=False):
            entry = CODES[str(code)]
            samples = []
            for rec in group.head(SAMPLES_PER_CODE).to_dict("records"):
                samples.append({k: _plain(rec[k]) for k in ISSUE_COLUMNS[1:] if _plain(rec[k]) is not None})
            item = {
                "code": code,
                "severity": entry.severity,
                "title": entry.vi if lang == "vi" else entry.en,
                "count": int(len(group)),
                "samples": samples,
            }
            if code in BY_VALUE:
                item["values"] = distinct_values(group, BY_VALUE[str(code)])
            out.append(item)
        order = {"error": 0, "warning": 1, "info": 2}
        return sorted(out, key=lambda i: (order[i["severity"]], -i["count"]))


def _frame_of(table: pa.Table) -> pd.DataFrame:
    """Stored issue rows as the reader made them (their rows as nullable integers)."""
    frame = table.to_pandas()
    frame["row"] = frame["row"].astype("Int64")
    return frame


def relabel_frame(frame: pd.DataFrame, old: str, new: str) -> None:
    """Replace `old` by `new` in the frame's path column, if it has one, keeping the column's type."""
    if "path" in frame:
        paths = frame["path"].astype(object)
        frame["path"] = paths.where(paths != old, new).astype(frame["path"].dtype.name)


def _relabelled(table: pa.Table, old: str, new: str) -> pa.Table:
    """The table with `old` replaced by `new` in its path column, of the same type (a category's
    values are replaced, not its codes; where `new` is among them already, the column becomes text)."""
    at = table.schema.get_field_index("path")
    if at < 0:
        return table
    column, field = table.column(at), table.field(at)
    if pa.types.is_dictionary(column.type) and any(pc.any(pc.equal(c.dictionary, new)).as_py() for c in column.chunks):
        column = column.cast(column.type.value_type)
        field = field.with_type(column.type)
    if pa.types.is_dictionary(column.type):
        chunks = [
            pa.DictionaryArray.from_arrays(
                c.indices, pc.if_else(pc.equal(c.dictionary, old), pa.scalar(new, c.dictionary.type), c.dictionary)
            )
            for c in column.chunks
        ]
        replaced = pa.chunked_array(chunks, type=column.type)
    else:
        replaced = pc.if_else(pc.equal(column, old), pa.scalar(new, column.type), column)
    return table.set_column(at, field, replaced)


def _in_runs(frames: list[pd.DataFrame | pa.Table]) -> list[pd.DataFrame]:
    """The frames in their order, each run of Arrow tables of one schema made one pandas frame."""
    out: list[pd.DataFrame] = []
    run: list[pa.Table] = []
    for frame in [*frames, None]:
        if run and not (isinstance(frame, pa.Table) and frame.schema.equals(run[0].schema)):
            out.append(_frame_of(pa.concat_tables(run)))
            run = []
        if isinstance(frame, pa.Table):
            run.append(frame)
        elif frame is not None:
            out.append(frame)
    return out


def distinct_values(group: pd.DataFrame, leaves: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One entry per distinct (header, value) of an issue's rows: its count and the figures it cannot join."""

    keys = group[["header", "value"]].astype(object).where(group[["header", "value"]].notna(), "")
    counts = keys.value_counts(sort=False).reset_index(name="count")
    counts = counts.sort_values(["count", "value"], ascending=[False, True], kind="stable")
    out = []
    for header, value, count in counts.itertuples(index=False):
        field = match_field(header, _dossier_phrases())[0] if header else None
        figures = leaves.get(field or "", sorted({f for fs in leaves.values() for f in fs}))
        out.append({"value": value or None, "header": header or None, "count": int(count), "figures": figures})
    return out


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


@functools.cache
def _dossier_phrases() -> Any:
    """The dossier book's header phrases (vocabulary.yaml), as the reader matches them."""
    return _phrases(VOCABULARY.headers["dossier_book"])
