"""From paths to records: find the files, recognise each sheet's kind, read it, consolidate exports."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from qms_cli import progress
from qms_cli.calendar import WorkCalendar
from qms_cli.config import Objectives
from qms_cli.data_quality import ISSUE_COLUMNS, FileReport, QualityLog
from qms_cli.errors import Phrase, UsageError, printable
from qms_cli.read import bounds, registers, service_index, survey
from qms_cli.read.catalogue import apply_catalogue
from qms_cli.read.common import SheetContext, fingerprint
from qms_cli.read.compact import compact, compact_issues, concat_records
from qms_cli.read.dossiers import (
    DATE_FIELDS,
    LOADED,
    PHRASES,
    RECORD_COLUMNS,
    REQUIRED_ANY,
    SYNONYMS,
    read_dossier_sheets,
)
from qms_cli.read.grid import CSV_PROBLEMS, Grid, UnreadableFile, open_grids
from qms_cli.read.headers import PROBE_ROWS, Header, find_header
from qms_cli.read.phrases import EXPORT_STAMP, PLACE_DATE, reporting_range, stamped_date
from qms_cli.read.prefetch import PathProblem, walk
from qms_cli.read.summary import find_summary_header, read_summary_sheet
from qms_cli.read.survey import read_survey_sheet
from qms_cli.text import fold
from qms_cli.units import UnitMatcher
from qms_cli.vocabulary import VOCABULARY, has_any

_NAME_DATES = [
    (re.compile(r"(?<!\d)(20\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{2})[-_.](\d{2})[-_.](20\d{2})(?!\d)"), (3, 2, 1)),
]
FOOTER_ROWS = 12
HEADERS_NEEDED = (
    "a dossier book needs Mã hồ sơ (or Số biên nhận) and Ngày nhận; a Biểu 06a summary needs the groups "
    "Số hồ sơ nhận giải quyết and Kết quả giải quyết; a satisfaction survey needs Mức độ hài lòng (or counts "
    "per level: Rất hài lòng, Hài lòng, …); an inspection register needs Ngày kiểm tra and Đơn vị được kiểm tra; "
    "transition milestones need Nội dung and Hạn hoàn thành; a procedure catalogue needs Tên thủ tục and "
    "Mức độ or Thời hạn giải quyết; a QĐ 766 index export needs a unit column and the components by name "
    "(Công khai, minh bạch, Tiến độ giải quyết, Thanh toán trực tuyến, Số hóa hồ sơ, …)"
)
_SIMPLE_KINDS = {
    "dossier_book": (PHRASES, REQUIRED_ANY, LOADED),
    "satisfaction_survey": (survey.PHRASES, survey.REQUIRED_ANY, survey.LOADED),
    "inspection_register": registers.INSPECTION,
    "transition_milestones": registers.MILESTONES,
    "procedure_catalogue": registers.CATALOGUE,
    "service_index": service_index.SPEC,
}


_DATA_CELL = re.compile(r"^[\d.,:/\s-]+$")


def _above_data(rows: list[list[str | None]]) -> list[list[str | None]]:
    """The probe rows down to the first row of data (three cells or more of numbers or dates): a header
    is always above it, and the kinds need not be tried on the rows below."""
    for r, row in enumerate(rows):
        if sum(1 for cell in row if cell and _DATA_CELL.match(cell)) >= 3 and r > 0:
            return rows[: r + 1]
    return rows


def _skip_control_slip(grid: Grid, rows: list[list[str | None]], shown: str, out: FileResult) -> bool:
    """Skip a sheet that is no dossier book (a control slip), its rows counted as skipped; True if so."""
    slip = _not_a_book(rows)
    if slip is None:
        return False
    note = f"{slip}: not a dossier book (Mẫu 06 of Thông tư 03/2025/TT-VPCP is the control slip)"
    out.log.add("sheet-skipped", shown, grid.sheet, None, None, None, note)
    report = FileReport(shown, "not_dossier_book", grid.sheet, rows_read=grid.height, message=note)
    report.rows_skipped = grid.height
    out.others.append(report)
    return True


def _not_a_book(rows: list[list[str | None]]) -> str | None:
    """The title of a sheet that names a dossier code and dates but is no dossier book (a control slip)."""
    for row in rows[:12]:
        for cell in row:
            if isinstance(cell, str) and len(cell) <= 200 and has_any(cell, VOCABULARY.not_dossier_books):
                return cell.strip()
    return None


def recognise(rows: list[list[str | None]]) -> tuple[str, Header] | None:
    """Return the kind of a sheet and its header: the kind whose header names the most of its fields."""
    best: tuple[int, str, Header] | None = None
    candidates: list[tuple[str, Header | None]] = [("summary_06a", find_summary_header(rows))]
    candidates += [(kind, find_header(rows, *spec)) for kind, spec in _SIMPLE_KINDS.items()]
    for kind, header in candidates:
        if header is None:
            continue
        score = len([f for f in header.columns if f != "seq"])
        if best is None or score > best[0]:
            best = (score, kind, header)
    return (best[1], best[2]) if best else None


@dataclass
class Loaded:
    """What the readers give the evaluation: the consolidated dossiers, the other kinds' tables and file counts."""

    records: pd.DataFrame  # dossiers, one per (unit, dossier code), the latest export's
    unreadable_files: int
    files_seen: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the other kinds, by kind

    def table(self, kind: str) -> pd.DataFrame:
        """The table of the other kind `kind` (empty when no such file was read)."""
        return self.tables.get(kind, pd.DataFrame())


def discover(paths: list[Path], log: QualityLog) -> list[tuple[Path, Path]]:
    """Return (file, root) for every spreadsheet under `paths`, in a stable order; name every path that
    cannot be read (missing, unreadable, not a regular file, a broken link, a link loop) with its code."""
    found = []
    for item in walk(paths):
        if isinstance(item, PathProblem):
            shown = printable(item.path)  # as found, not resolved: a link is named, not its target
            log.add(item.code, shown, value=item.reason)
            log.files.append(FileReport(path=shown, kind="unreadable", message=item.reason))
        else:
            found.append(item)
    return found


def shown_path(path: Path) -> str:
    """The path as people see it: as found (a link is not resolved), relative to the current folder when
    inside it; escaped (printable)."""
    absolute = Path(os.path.abspath(path))
    for cwd in {Path(os.path.abspath(".")), Path.cwd().resolve()}:
        try:
            return printable(absolute.relative_to(cwd))
        except ValueError:
            continue
    return printable(path)


def _export_date(title_texts: list[str], footer_texts: list[str], path: Path) -> date:
    """The export date: from the file's content (an export stamp above the header, else the place-and-date
    line of the signatures below the rows), else a full date in its name, else its modification time."""
    for texts, pattern in ((title_texts, EXPORT_STAMP), (footer_texts, PLACE_DATE)):
        if found := stamped_date(texts, pattern):
            return found
    for pattern, (yi, mi, di) in _NAME_DATES:
        if m := pattern.search(path.name):
            try:
                return date(int(m[yi]), int(m[mi]), int(m[di]))
            except ValueError:
                pass
    return datetime.fromtimestamp(os.path.getmtime(path)).date()


def _sheet_unit(title_texts: list[str], sheet: str | None, path: Path, root: Path, matcher: UnitMatcher) -> str | None:
    """The unit named by the title rows, else the sheet, the file name or its folders (nearest first)."""
    for text in title_texts:
        if slug := matcher.find_in(text, full_names_only=True):
            return slug
    candidates = [sheet or "", path.stem]
    folder = path.parent
    while True:  # folders from the nearest up to the root that was named on the command line
        candidates.append(folder.name)
        if folder == root or folder == folder.parent:
            break
        folder = folder.parent
    for text in candidates:
        if text and (slug := matcher.find_in(text)):
            return slug
    return None


@dataclass
class FileResult:
    """Everything read from one file: records per sheet, their reports, issues; kept as is by the store."""

    path: Path | None = None  # the file on disk
    frames: list[pd.DataFrame | pa.Table] = field(default_factory=list)  # Arrow: as the store keeps them
    reports: list[FileReport] = field(default_factory=list)
    log: QualityLog = field(default_factory=QualityLog)
    unreadable: bool = False
    tables: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    others: list[FileReport] = field(default_factory=list)  # reports of sheets of the other kinds


def _read_books(
    books: list[tuple[Grid, Header, SheetContext, list[str]]],
    path: Path,
    matcher: UnitMatcher,
    calendar: WorkCalendar,
    out: FileResult,
) -> None:
    """Read the dossier sheets of one file together (one day/month order for the file), each dated."""
    read = read_dossier_sheets([(grid, header, ctx) for grid, header, ctx, _ in books], matcher, calendar, out.log)
    for (grid, header, _, title), (records, report) in zip(books, read, strict=True):
        tail = grid.rows(max(header.row + 1, grid.height - FOOTER_ROWS), FOOTER_ROWS)
        footer = [c for row in tail for c in row if isinstance(c, str)]
        exported = _export_date(title, footer, path)
        records["export_date"] = pd.Timestamp(exported)
        report.export_date = exported.isoformat()
        out.frames.append(compact(records))
        out.reports.append(report)


def _read_file(
    path: Path, root: Path, matcher: UnitMatcher, calendar: WorkCalendar, procedures: frozenset[str] = frozenset()
) -> FileResult:
    """Read every sheet of one file whose kind is recognised; a file that fails is named, never raised.
    `procedures`: the catalogue's folded names, free texts that are kept (see procedure_names)."""
    out = FileResult(path=path)
    shown = shown_path(path)
    try:
        _read_sheets(path, root, matcher, calendar, out, procedures)
        _file_issues(path, shown, out)
    except UnreadableFile as exc:
        bounds.release(path)
        out = FileResult(path=path, unreadable=True)
        out.log.add(exc.code, shown, value=str(exc))
        out.log.files.append(FileReport(path=shown, kind="unreadable", message=str(exc)))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run: it is named, the rest go on
        bounds.release(path)
        message = f"could not be read ({type(exc).__name__}: {printable(str(exc)[:200])})"
        out = FileResult(path=path, unreadable=True)
        damaged = "calamine" in f"{type(exc).__name__} {exc}".lower()  # the parser found the content broken
        out.log.add("file-corrupt" if damaged else "file-unreadable", shown, value=message)
        out.log.files.append(FileReport(path=shown, kind="unreadable", message=message))
    return out


def _read_sheets(
    path: Path,
    root: Path,
    matcher: UnitMatcher,
    calendar: WorkCalendar,
    out: FileResult,
    procedures: frozenset[str] = frozenset(),
) -> None:
    """Recognise each sheet's kind and read it into `out`; the dossier books of the file are read last,
    together, since the file's day/month order is one."""
    shown = shown_path(path)
    grids = open_grids(path)
    books: list[tuple[Grid, Header, SheetContext, list[str]]] = []
    for grid in grids:
        rows = grid.head(PROBE_ROWS)
        if _skip_control_slip(grid, rows, shown, out):
            continue
        found = recognise(_above_data(rows))
        if found is None:
            if grid.height and len(grids) > 1:  # said so: a workbook's other sheets (notes, charts…)
                out.log.add("sheet-skipped", shown, grid.sheet, None, None, None, "no header of a known kind")
            continue
        kind, header = found
        title = _title_texts(rows, header)
        unit = _sheet_unit(title, grid.sheet, path, root, matcher)
        ctx = SheetContext(path=shown, sheet=grid.sheet, unit=unit, source=0, procedures=procedures)
        if kind == "dossier_book":
            books.append((grid, header, ctx, title))
            continue
        span = reporting_range([*title, grid.sheet or "", path.stem])
        records, report = _read_other(kind, grid, header, ctx, matcher, out.log, span)
        out.tables.setdefault(kind, []).append(records)
        out.others.append(report)
    _read_books(books, path, matcher, calendar, out)
    for grid in grids:
        _legacy_issues(grid, shown, out.log)


def _read_other(
    kind: str,
    grid: Grid,
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    log: QualityLog,
    span: tuple[date, date] | None,
) -> tuple[pd.DataFrame, FileReport]:
    """Read a sheet of a kind other than the dossier book (summary, survey, registers, index, catalogue)."""
    if kind == "summary_06a":
        return read_summary_sheet(grid, header, ctx, matcher, log, span)
    if kind == "satisfaction_survey":
        return read_survey_sheet(grid, header, ctx, matcher, log, span)
    if kind == "inspection_register":
        return registers.read_inspections(grid, header, ctx, matcher, log)
    if kind == "service_index":
        return service_index.read_service_index_sheet(grid, header, ctx, matcher, log, span)
    if kind == "transition_milestones":
        return registers.read_milestones(grid, header, ctx, log)
    return registers.read_catalogue(grid, header, ctx, log)


def _file_issues(path: Path, shown: str, out: FileResult) -> None:
    """What the scan of the file found (formulas, hidden sheets, …), the CSV's swallowed lines, and a
    file of which no sheet has a known header."""
    _scan_issues(bounds.release(path), shown, out.log)
    for line in CSV_PROBLEMS.pop(os.fsdecode(os.path.abspath(path)), []):
        note = f"line {line}: a quote opened here is not closed where the value ends; each line read as a row"
        out.log.add("csv-malformed", shown, None, line, None, None, note)
    if not out.reports and not out.others:
        message = f"no sheet has the header of a known kind: {HEADERS_NEEDED}"
        out.log.add("header-not-found", shown, value=message)
        out.log.files.append(FileReport(path=shown, kind="unknown", message=message))
        out.unreadable = True


def read_files(paths: list[Path], spec: Objectives, log: QualityLog, workers: int | None = None) -> list[FileResult]:
    """Read every file under `paths`, one result per file, in file order.

    Books are independent, so they are read on as many threads as there are cores (the spreadsheet
    parser and Arrow release the GIL); results come back in file order, so nothing depends on timing.
    """
    return read_found(discover(paths, log), spec, workers)


def read_found(
    files: list[tuple[Path, Path]],
    spec: Objectives,
    workers: int | None = None,
    then: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Read these (file, root) pairs, as `discover` gives them, on threads; results in the same order.
    `then` is called with each result on the thread that read it (the store encodes it there)."""
    if not files:
        return []
    matcher = UnitMatcher(spec.units)
    calendar = WorkCalendar(spec.calendar)
    names = procedure_names(spec)
    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    out = []

    def one(item: tuple[Path, Path]) -> FileResult:
        return _finish(_read_file(item[0], item[1], matcher, calendar, names), then)

    with ThreadPoolExecutor(max_workers=workers) as pool, progress.task(progress.READING, len(files)) as step:
        for result in pool.map(one, files):
            out.append(result)
            step()
    return out


_NAMES: dict[tuple[str, int, int], frozenset[str]] = {}  # the catalogue's names by (path, mtime, size)


def procedure_names(spec: Objectives) -> frozenset[str]:
    """The folded names (Tên thủ tục) of the procedure catalogue that objectives.yaml names
    (`procedure_catalogue`): a free text (Trích yếu…) that is one of them, folded whole, is kept however
    rarely it occurs (docs/robustness.md, Privacy). Read once per content; UsageError when it is no
    readable catalogue."""
    path = spec.procedure_catalogue
    if path is None:
        return frozenset()
    try:
        stat = path.stat()
    except OSError as exc:
        raise UsageError(Phrase("catalogue_unreadable", path=printable(path), reason=exc.strerror or exc)) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _NAMES:
        read = _read_file(path, path.parent, UnitMatcher(spec.units), WorkCalendar(spec.calendar))
        parts = read.tables.get("procedure_catalogue", [])
        if read.unreadable or not parts:
            raise UsageError(Phrase("catalogue_wrong_kind", path=printable(path)))
        names = {fold(n) for part in parts for n in part["name"] if isinstance(n, str) and n.strip()}
        _NAMES[key] = frozenset(names)
    return _NAMES[key]


def _finish(result: FileResult, then: Callable[[FileResult], None] | None) -> FileResult:
    compact_issues(result.log._frames)
    if then is not None:
        then(result)
    return result


def assemble(results: list[FileResult], spec: Objectives, log: QualityLog) -> Loaded:
    """Merge files' results: the latest export of each dossier wins, the catalogue and summaries apply.

    The files' record frames move into the merged records (each result's `frames` is emptied), so that
    memory holds the records once; the store keeps them before (store.read_changed encodes them)."""
    frames: list[pd.DataFrame | pa.Table] = []
    sources: list[int] = []  # the file report each frame is of
    reports: list[FileReport] = []
    tables: dict[str, list[pd.DataFrame]] = {}
    unreadable = sum(1 for f in log.files if f.kind == "unreadable")
    for result in results:
        for frame, report in zip(result.frames, result.reports, strict=True):
            frames.append(frame)
            sources.append(len(reports))
            reports.append(report)
        result.frames = []  # the records move into the merged frame: the year is never held twice
        for kind, parts in result.tables.items():
            tables.setdefault(kind, []).extend(parts)
        log.merge(result.log)
        log.files.extend(result.reports + result.others)  # in file order; superseded counts are filled in below
        unreadable += result.unreadable
    records = _consolidate(frames, sources, reports, log)
    merged = {kind: pd.concat(parts, ignore_index=True) for kind, parts in tables.items()}
    merged = _tables_on_dates(merged, UnitMatcher(spec.units))
    if "procedure_catalogue" in merged:
        records = apply_catalogue(records, merged["procedure_catalogue"], reports, WorkCalendar(spec.calendar), log)
    if "summary_06a" in merged:
        merged["summary_06a"] = _summaries_without_dossiers(merged["summary_06a"], records, log)
    return Loaded(records=records, unreadable_files=unreadable, files_seen=len(results), tables=merged)


# The date that says which unit of a name a row of the other kinds belongs to (units change, spec/units.md).
_TABLE_DATES = {
    "summary_06a": "start",
    "satisfaction_survey": "date",
    "inspection_register": "date",
    "service_index": "end",  # the portal scores the units that exist when it publishes
}


def _tables_on_dates(tables: dict[str, pd.DataFrame], matcher: UnitMatcher) -> dict[str, pd.DataFrame]:
    """Give each row of a summary, survey or register the unit of its name valid on its date; a row
    dated when no unit of that name existed keeps the unit it named."""
    if not matcher.dated():
        return tables
    out = dict(tables)
    for kind, column in _TABLE_DATES.items():
        table = tables.get(kind)
        if table is None or table.empty or "unit" not in table or column not in table:
            continue
        days = pd.to_datetime(table[column]).dt.date
        units = [
            (matcher.at(u, d if pd.notna(d) else None) or u) if isinstance(u, str) else u
            for u, d in zip(table["unit"], days, strict=True)
        ]
        out[kind] = table.assign(unit=pd.Series(units, index=table.index, dtype=table["unit"].dtype))
    return out


def read_inputs(paths: list[Path], spec: Objectives, log: QualityLog, workers: int | None = None) -> Loaded:
    """Read every file under `paths`; return the consolidated records (latest export wins)."""
    return assemble(read_files(paths, spec, log, workers), spec, log)


def _summaries_without_dossiers(summaries: pd.DataFrame, records: pd.DataFrame, log: QualityLog) -> pd.DataFrame:
    """Drop a unit's summary for a range in which the unit also sent dossier rows: the rows win (spec §7)."""
    if records.empty or summaries.empty:
        return summaries
    received = records["received"]
    months = set(zip(records["unit"].astype(str), received.dt.year * 100 + received.dt.month, strict=True))
    keep, said = [], set()
    for row in summaries.itertuples(index=False):
        span = pd.period_range(row.start, row.end, freq="M") if pd.notna(row.start) else []
        clash = row.unit is not None and any((row.unit, p.year * 100 + p.month) in months for p in span)
        value = f"{row.unit} {row.start:%d/%m/%Y}-{row.end:%d/%m/%Y}" if clash else ""
        table = (row.path, getattr(row, "sheet", None), value)
        if clash and table not in said:  # once per table, not once per field row
            log.add("summary-superseded", row.path, value=value)
            said.add(table)
        keep.append(not clash)
    return summaries.loc[keep].reset_index(drop=True)


def _legacy_issues(grid: Grid, shown: str, log: QualityLog) -> None:
    """Report text in the legacy Vietnamese font encodings: TCVN3 was converted, VNI was not."""
    for kind, values in grid.legacy.items():
        if values:  # the cells' own text is not shown: it may be a person's name (privacy)
            note = "converted from TCVN3" if kind == "tcvn3" else "VNI: not converted, retype or convert it"
            log.add("legacy-encoding", shown, grid.sheet, None, None, None, f"{len(values)} cells ({note})")


def _scan_issues(book: bounds.BookScan | None, shown: str, log: QualityLog) -> None:
    """Name what the bounded scan of a workbook found: hidden sheets (read like the others), blank cells
    far from the data (not read), formula cells without a value (in a field read, they have rejected their
    rows, one issue each; otherwise one line for the sheet names the cells)."""
    if book is None:
        return
    for name in book.hidden:
        log.add("sheet-hidden", shown, name, None, None, None, "hidden in Excel; read like the other sheets")
    for name, note in book.trimmed.items():
        log.add("cells-outside-range", shown, name, None, None, None, note)
    for name, sheet in book.sheets.items():
        # cells in the fields read reject their rows, each named there (the count is the rows'); a line for
        # the sheet only when none did (formulas in columns not read: nothing is lost, the file is said stale)
        if sheet.formulas_without_value and not log.count("formula-without-value", shown, name):
            cells = ", ".join(sheet.formula_cells)
            more = "…" if sheet.formulas_without_value > len(sheet.formula_cells) else ""
            note = f"{sheet.formulas_without_value} cell(s): {cells}{more}; open the file in Excel and save it again"
            log.add("formula-without-value", shown, name, None, None, None, note)


def _title_texts(rows: list[list[str | None]], header: Header) -> list[str]:
    top = header.row - header.depth + 1
    return [cell for row in rows[:top] for cell in row if isinstance(cell, str) and cell.strip()]


def _consolidate(
    frames: list[pd.DataFrame | pa.Table], sources: list[int], reports: list[FileReport], log: QualityLog
) -> pd.DataFrame:
    """Keep one record per (unit, dossier_id): the latest export's, then the lowest row; count the rest.
    `sources[i]` is the file report of `frames[i]`."""
    if not frames:
        return empty_records()
    kept = [i for i, f in enumerate(frames) if len(f)] or [0]
    parts = [frames[i] for i in kept]
    frames.clear()  # concat_records releases each column once merged: no other reference may keep it
    records = concat_records(parts, sources=[sources[i] for i in kept])  # empties the list as it goes
    for column in ("unit", "channel_in", "channel_out", "status"):  # few values: cheap to group and compare
        if not isinstance(records[column].dtype, pd.CategoricalDtype):  # the reader's own are already
            records[column] = records[column].astype("category")
    # Candidate repeats of (unit, dossier code) by the codes' fingerprints (integers hash fast), then
    # confirmed on the texts of the candidates alone.
    prints = records.get("code_print")
    if prints is None or prints.isna().any():  # records kept by an older qms have none
        prints = pd.Series(fingerprint(pa.array(records["dossier_id"].array)))
    units = records["unit"].cat.codes.to_numpy(np.int64)
    key = prints.to_numpy(np.uint64) ^ (units.astype(np.uint64) * np.uint64(0xD6E8FEB86659FD93))
    candidates = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
    ids, _ = pd.factorize(records["dossier_id"].take(candidates).to_numpy(object))
    key = np.zeros(len(records), dtype=np.int64)
    key[candidates] = units[candidates] * (int(ids.max(initial=0)) + 2) + ids
    repeated = candidates[pd.Series(key[candidates]).duplicated(keep=False).to_numpy()]
    if not len(repeated):
        return records
    # Only the records whose key repeats need ordering: by export date, then file order, then row.
    order = repeated[
        np.lexsort(
            (
                records["row"].to_numpy()[repeated],
                records["source"].to_numpy()[repeated],
                records["export_date"].to_numpy()[repeated],
            )
        )
    ]
    sources = records["source"].to_numpy()[order]
    superseded = pd.Series(key[order]).duplicated(keep="last").to_numpy()
    within = pd.Series(key[order] * (len(reports) + 1) + sources).duplicated(keep="last").to_numpy()
    for source, count in pd.Series(sources[superseded]).value_counts().items():
        reports[int(source)].rows_superseded = int(count)
    for code, mask in (("duplicate-dossier", within), ("superseded", superseded & ~within)):
        if mask.any():
            rows = records.iloc[order[mask]]
            log.add_frame(
                pd.DataFrame(
                    {
                        "code": code,
                        "path": [reports[int(s)].path for s in rows["source"]],
                        "sheet": rows["sheet"].to_numpy(),
                        "row": rows["row"].to_numpy(),
                        "column": None,
                        "header": None,
                        "value": rows["dossier_id"].astype(str).to_numpy(),
                    },
                    columns=ISSUE_COLUMNS,
                )
            )
    keep = np.ones(len(records), dtype=bool)
    keep[order[superseded]] = False
    return records.loc[keep].reset_index(drop=True)


def empty_records() -> pd.DataFrame:
    """The records of no dossier book: the reader's columns, dates as dates."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in [*RECORD_COLUMNS, "export_date"]})
    for c in (*DATE_FIELDS, "export_date", "due_new", "extension_approved"):
        frame[c] = pd.Series(dtype="datetime64[s]")
    return frame


__all__ = ["Loaded", "read_inputs", "discover", "SYNONYMS"]
