"""Records in compact columns, so that a city's year fits a small server.

A dossier book repeats a few dozen procedure names, fields and sheet names over thousands of rows:
held as text, they cost 40-60 bytes a row; as categories (one small integer a row and each distinct
text once) about two. Every later step reads them through `.astype(object)`, `.to_numpy()` or as
values, which give the same texts, so no figure changes (the tests compare with and without).

Issue rows (a due date on a day off can concern a third of the rows) keep their code, file, sheet,
column and header as categories too. Books are merged column by column, each column of the books
released as soon as it is merged, so the merge never holds the year twice. What the books held is
small blocks on the C heap: freed, it is not reused by the merged columns (each larger than the
allocator's mmap threshold), so it is given back to the system after each column.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import ExtensionDtype

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


COMPACT_ROWS = 64  # issue frames of fewer rows stay text: a category costs more than it saves there


def compact_issues(frames: list[pd.DataFrame | pa.Table]) -> None:
    """A file's issue rows with their repeated texts (code, path, sheet, column, header) as categories;
    frames of a few rows stay as they are (a category costs more than it saves there)."""
    for frame in frames:
        if isinstance(frame, pd.DataFrame) and len(frame) >= COMPACT_ROWS:
            for column in ISSUE_REPEATED:
                if not isinstance(frame[column].dtype, pd.CategoricalDtype) and frame[column].notna().all():
                    frame[column] = frame[column].astype("category")


def repeated(value: str | None, n: int) -> Any:
    """One text for `n` issue rows, as `compact_issues` would leave that column: a category of that one
    text from COMPACT_ROWS rows (made from its codes: no column of `n` texts to encode), else the text."""
    if value is None or n < COMPACT_ROWS:
        return value
    return pd.Categorical.from_codes(np.zeros(n, np.int8), dtype=_one_text(value))


@lru_cache(maxsize=4096)
def _one_text(value: str) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(pd.Index([value]))


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


def concat_records(
    frames: list[pd.DataFrame | pa.Table], consume: bool = True, sources: list[int] | None = None
) -> pd.DataFrame:
    """pd.concat(frames, ignore_index=True), column by column; with `consume`, each column of `frames`
    is released as soon as it is merged and the list is emptied. With `sources`, the merged `source`
    column says which of them each row came from (the frames' own `source` is not read).

    Categories of different values (a procedure name that one book has and another not) are united
    first, so that the merged column stays a category instead of becoming text. Arrow tables (records
    from the store) are merged by Arrow, when their types agree. A city's year is thousands of small
    frames: columns of one type are joined as arrays (numpy, Arrow, category codes), not as pandas
    Series, which cost a few milliseconds a frame (docs/performance.md).
    """
    lengths = [len(f) for f in frames]
    if any(isinstance(f, pa.Table) for f in frames):
        if sources is not None:  # merged by Arrow: each part carries its source
            frames[:] = [with_source(f, s) for f, s in zip(frames, sources, strict=True)]
            sources = None
        bulk = _concat_tables(frames) if consume else None
        if bulk is not None:
            return bulk
        frames[:] = [f.to_pandas() if isinstance(f, pa.Table) else f for f in frames]
    columns = list(frames[0].columns)
    split = [dict(zip(frame.columns, _column_arrays(frame), strict=True)) for frame in frames]
    if consume:
        frames.clear()  # the columns are now held by `split` alone, and released as they are merged
    merged: dict[str, Any] = {}
    for column in columns:
        parts = [part.pop(column) if consume else part[column] for part in split]
        if column == "source" and sources is not None:
            merged[column] = np.repeat(np.asarray(sources, dtype=np.int64), lengths)
        else:
            merged[column] = _merge_column(parts)
        del parts
        if consume:
            give_back_memory()
    return pd.DataFrame(merged, columns=columns, copy=False)


def give_back_memory() -> None:
    """Return freed memory to the system: Arrow's pool, and glibc's heap (`malloc_trim`, where there
    is one). A city's books freed during the merge left about 100 MiB a million rows in the heap."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]  # glibc's; none in musl or macOS
    except (OSError, AttributeError, TypeError):  # TypeError: Windows loads no library by None
        return None


def _column_arrays(frame: pd.DataFrame) -> list[Any]:
    """A frame's columns as arrays (numpy or pandas' own), without a Series for each: a Series costs
    about 20 µs, and a city's year merges 2,000 frames of 30 columns. pandas' iterator of a frame's
    column arrays (in pandas since 1.3, not public) when there is one."""
    arrays = getattr(frame, "_iter_column_arrays", None)
    if arrays is not None:
        return list(arrays())
    return [s.array if isinstance(s.dtype, ExtensionDtype) else s.to_numpy() for _, s in frame.items()]


def _merge_column(parts: list[Any]) -> Any:
    """One column of many frames, as pd.concat of their Series gives it (the same values and type)."""
    first = parts[0].dtype
    if any(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        merged = _merge_categories(parts)
        if merged is not None:
            return merged
    elif all(p.dtype == first for p in parts[1:]):
        if isinstance(first, np.dtype) and first.kind in "biufmM":
            return np.concatenate(parts)
        if _arrow_text(first):
            return _texts(parts, first)
    series = [pd.Series(p, dtype=p.dtype, copy=False) for p in parts]
    dtype = _categories(series)
    if dtype is not None:
        series = [part.astype(dtype) for part in series]
    return pd.concat(series, ignore_index=True)  # a Series: an object array would be read as text


def _arrow_text(dtype: Any) -> bool:
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _texts(parts: list[Any], dtype: pd.StringDtype) -> Any:
    """Text parts (categories decoded) joined as one Arrow-backed text array of `dtype`."""
    chunks = []
    for part in parts:
        values = pa.array(part)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        chunks += _large(values)
    return pd.arrays.ArrowStringArray(pa.chunked_array(chunks, pa.large_string()), dtype=dtype)


def _merge_categories(parts: list[Any]) -> Any:
    """A column of which some parts are categories, as `_categories` says pd.concat should give it:
    the first part's type when all have the same categories, else the categories of all the parts
    (when no cell is empty) or their text (when one is). None: leave it to pandas."""
    first = parts[0]
    if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        order = _recode(parts, first.dtype.categories)
        if order is not None:
            return _from_codes(parts, order, first.dtype)
    return _united(parts)


def _united(parts: list[Any]) -> Any:
    """Parts of which some are categories and some text, or categories of different values, merged as
    `_categories` says: their text when a cell is empty, else one category type of the parts' values
    in the order pandas lists them (each text part's values as they come, each category part's
    categories), computed by Arrow over the whole column; None: leave it to pandas."""
    categorical = [isinstance(p.dtype, pd.CategoricalDtype) for p in parts]
    listed = [p.dtype.categories if c else p for p, c in zip(parts, categorical, strict=True)]
    typed = next((v.dtype for v in listed if len(v)), None)  # the texts' own type, as one book gives it
    text = pd.api.types.pandas_dtype("object" if typed is None else str(typed))
    if not _arrow_text(text):
        return None
    if any((np.asarray(p.codes) < 0).any() if c else pd.isna(p).any() for p, c in zip(parts, categorical, strict=True)):
        return _texts(parts, text)
    # Codes part by part (a category part's through its few categories): the column is never held as text.
    arrays: dict[int, pa.Array] = {}
    kinds: list[bool] = []
    for v, c in zip(listed, categorical, strict=True):
        if not c or id(v) not in arrays:
            arrays[id(v)] = _strings(v) if c else pa.array(v)
            kinds.append(c)
    each = [v if c else pc.unique(v) for v, c in zip(arrays.values(), kinds, strict=True)]  # in the order met
    values = pc.unique(pa.chunked_array([c for v in each for c in _large(v)], pa.large_string()))
    dtype = pd.CategoricalDtype(pd.Index(values.to_numpy(zero_copy_only=False).astype(object)).astype(typed))
    texts = [arrays[id(v)] for v, c in zip(listed, categorical, strict=True) if not c]
    found: Iterator[np.ndarray] = iter([])
    if texts:  # the text parts' codes in one pass, then split part by part
        chunks = [c for v in texts for c in _large(v)]
        flat = pc.index_in(pa.chunked_array(chunks, pa.large_string()), value_set=values).to_numpy(zero_copy_only=False)
        found = iter(np.split(flat, np.cumsum([len(v) for v in texts])[:-1]))
    where: dict[int, np.ndarray] = {}
    codes = []
    for part, v, c in zip(parts, listed, categorical, strict=True):
        if not c:
            codes.append(next(found))
            continue
        if id(v) not in where:
            where[id(v)] = pc.index_in(arrays[id(v)], value_set=values).to_numpy(zero_copy_only=False)
        codes.append(where[id(v)][np.asarray(part.codes)])
    return pd.Categorical.from_codes(np.concatenate(codes), dtype=dtype)


def _strings(index: pd.Index) -> pa.Array:
    return pa.array(index.to_numpy(dtype=object), pa.large_string())


def _large(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    return [c if c.type == pa.large_string() else c.cast(pa.large_string()) for c in chunks]


def _recode(parts: list[Any], target: pd.Index) -> dict[int, np.ndarray | None] | None:
    """For each distinct category list of the parts (by identity: a run's books share a few), where its
    categories sit in `target` (None: as they are); None when a list is not `target`'s set."""
    known: dict[int, np.ndarray | None] = {}
    for part in parts:
        own = part.dtype.categories
        if id(own) in known:
            continue
        if own is target or own.equals(target):
            known[id(own)] = None
            continue
        where = target.get_indexer(own)
        if (where < 0).any() or len(own) != len(target):
            return None
        known[id(own)] = where
    return known


def _from_codes(parts: list[Any], order: dict[int, np.ndarray | None], dtype: pd.CategoricalDtype) -> Any:
    codes = []
    for part in parts:
        where, values = order.get(id(part.dtype.categories)), np.asarray(part.codes)
        codes.append(values if where is None else np.where(values < 0, -1, where[values]))
    return pd.Categorical.from_codes(np.concatenate(codes), dtype=dtype)
