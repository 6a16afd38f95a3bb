"""Records in compact columns, so that a city's year fits a small server.

A dossier book repeats a few dozen procedure names, fields and sheet names over thousands of rows:
held as text, they cost 40-60 bytes a row; as categories (one small integer a row and each distinct
text once) about two. Every later step reads them through `.astype(object)`, `.to_numpy()` or as
values, which give the same texts, so no figure changes (the tests compare with and without).

Issue rows (a due date on a day off can concern a third of the rows) keep their code, file, sheet,
column and header as categories too. Books are merged column by column, each column of the books
released as soon as it is merged, so the merge never holds the year twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

REPEATED_TEXT = ("procedure", "procedure_code", "field", "sheet")  # few distinct values per book
ISSUE_REPEATED = ("code", "path", "sheet", "column", "header")  # the same for thousands of issue rows


def compact(records: pd.DataFrame) -> pd.DataFrame:
    """The reader's records with their repeated texts as categories (the same values). A column with
    an empty cell stays text: a category would turn None into NaN, which other steps tell apart."""
    for column in REPEATED_TEXT:
        if column in records and not isinstance(records[column].dtype, pd.CategoricalDtype):
            if records[column].notna().all():
                records[column] = records[column].astype("category")
    return records


def _categories(parts: list[pd.Series]) -> pd.CategoricalDtype | str | None:
    """How to merge a column whose parts differ in type: one category type for them all when some are
    categories and none has an empty cell, their text type when one has; None when they agree."""
    kinds = {part.dtype for part in parts}
    if len(kinds) == 1 or not any(isinstance(kind, pd.CategoricalDtype) for kind in kinds):
        return None
    values = [
        part.cat.categories if isinstance(part.dtype, pd.CategoricalDtype) else pd.Index(part.unique())
        for part in parts
    ]
    typed = next((v.dtype for v in values if len(v)), None)  # the texts' own type, as one book gives it
    if any(part.isna().any() for part in parts):
        return "object" if typed is None else str(typed)
    merged = pd.Index(np.concatenate([v.astype(object).to_numpy() for v in values])).unique()
    return pd.CategoricalDtype(merged.astype(typed) if typed is not None else merged)


def compact_issues(frames: list[pd.DataFrame]) -> None:
    """A file's issue rows with their repeated texts (code, path, sheet, column, header) as categories;
    frames of a few rows stay as they are (a category costs more than it saves there)."""
    for frame in frames:
        if len(frame) >= 64:
            for column in ISSUE_REPEATED:
                if not isinstance(frame[column].dtype, pd.CategoricalDtype) and frame[column].notna().all():
                    frame[column] = frame[column].astype("category")


def with_source(frame: pd.DataFrame | pa.Table, source: int) -> pd.DataFrame | pa.Table:
    """The frame (or the store's Arrow table) with its `source` column set: which file report it is of."""
    if isinstance(frame, pd.DataFrame):
        return frame.assign(source=source)  # copy-on-write: the columns are not copied
    column = pa.array(np.full(len(frame), source, dtype=np.int64))
    at = frame.schema.get_field_index("source")
    return frame.set_column(at, "source", column) if at >= 0 else frame.append_column("source", column)


def _concat_tables(frames: list[pd.DataFrame | pa.Table]) -> pd.DataFrame | None:
    """The records of the store's Arrow tables (and of the few files parsed in this run) as one
    frame, converted to pandas once instead of file by file; None when their columns' types differ
    (then they are merged as pandas frames). The same values as the frames' merge: a table is what
    the store gives for a frame, and Arrow unites the categories of the files in the same order."""
    tables = [f if isinstance(f, pa.Table) else pa.Table.from_pandas(f, preserve_index=False) for f in frames]
    schema = tables[0].schema
    if any(not t.schema.equals(schema) for t in tables[1:]):
        return None
    merged = pa.concat_tables(tables)
    del tables
    frames.clear()
    return merged.to_pandas(self_destruct=True, split_blocks=True)


def concat_records(frames: list[pd.DataFrame | pa.Table], consume: bool = True) -> pd.DataFrame:
    """pd.concat(frames, ignore_index=True), column by column; with `consume`, each column of `frames`
    is released as soon as it is merged and the list is emptied.

    Categories of different values (a procedure name that one book has and another not) are united
    first, so that the merged column stays a category instead of becoming text. Arrow tables (records
    from the store) are merged by Arrow, when their types agree.
    """
    if any(isinstance(f, pa.Table) for f in frames):
        bulk = _concat_tables(frames) if consume else None
        if bulk is not None:
            return bulk
        frames[:] = [f.to_pandas() if isinstance(f, pa.Table) else f for f in frames]
    columns = list(frames[0].columns)
    # Each frame's columns taken out once: DataFrame.pop re-lays the frame's blocks at every call
    # (9 s of the 24 s of CPU of a re-run over 1.26 M stored records in 504 books); a dict's pop is free.
    split = [dict(frame.items()) for frame in frames]
    if consume:
        frames.clear()  # the columns are now held by `split` alone, and released as they are merged
    merged: dict[str, pd.Series] = {}
    for column in columns:
        parts = [part.pop(column) if consume else part[column] for part in split]
        dtype = _categories(parts)
        if dtype is not None:
            parts = [part.astype(dtype) for part in parts]
        merged[column] = pd.concat(parts, ignore_index=True)
        del parts
    return pd.DataFrame(merged, columns=columns, copy=False)
