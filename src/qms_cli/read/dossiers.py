"""Dossier books (Sổ theo dõi hồ sơ): one sheet -> normalised dossier records, rejections and skips.

Citizens' names, addresses and phone numbers are recognised by their headers so that they are
never loaded: only the columns of the fields below are read from the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qms_cli.calendar import WorkCalendar
from qms_cli.quality import ISSUE_COLUMNS, FileReport, QualityLog
from qms_cli.read import dates as D
from qms_cli.read.grid import Grid, column_letter
from qms_cli.read.headers import Header, _phrases
from qms_cli.text import fold
from qms_cli.units import UnitMatcher

SYNONYMS: dict[str, list[str]] = {
    "unit": ["đơn vị", "cơ quan", "đơn vị tiếp nhận", "đơn vị giải quyết", "tên đơn vị"],
    "dossier_id": [
        "mã hồ sơ",
        "số biên nhận",
        "mã biên nhận",
        "số hồ sơ",
        "mã số hồ sơ",
        "số biên nhận hồ sơ",
        "mã hs",
        "số bn",
    ],
    "procedure": [
        "tên tthc",
        "tên thủ tục",
        "tên thủ tục hành chính",
        "nội dung hồ sơ",
        "trích yếu",
        "trích yếu nội dung",
        "thủ tục hành chính",
    ],
    "procedure_code": ["mã tthc", "mã thủ tục", "mã thủ tục hành chính"],
    "field": ["lĩnh vực"],
    "received": ["nhận hồ sơ", "ngày nhận", "ngày tiếp nhận", "ngày nhận hồ sơ", "ngày nộp"],
    "due": [
        "hẹn trả kết quả",
        "ngày hẹn trả",
        "hẹn trả",
        "ngày hẹn",
        "ngày hẹn trả kết quả",
        "hạn xử lý",
        "hạn giải quyết",
    ],
    "due_new": ["hẹn lại", "ngày hẹn lại", "hẹn trả lại", "ngày hẹn mới", "hẹn trả mới", "gia hạn"],
    "result_ready": [
        "nhận kết quả từ cơ quan giải quyết",
        "ngày có kết quả",
        "ngày kết thúc xử lý",
        "ngày hoàn thành",
        "ngày giải quyết xong",
        "nhận kết quả",
        "ngày kết thúc",
        "ngày giải quyết",
        "ngày xử lý xong",
        "ngày hoàn thành xử lý",
    ],
    "returned": ["trả kết quả", "ngày trả", "ngày trả kết quả"],
    "channel_in": [
        "hình thức nhận hồ sơ",
        "hình thức nộp",
        "kênh nộp",
        "phương thức nộp",
        "hình thức tiếp nhận",
        "hình thức nộp hồ sơ",
        "kênh tiếp nhận",
        "nguồn tiếp nhận",
    ],
    "online_level": ["mức độ", "mức độ dvc", "mức độ dịch vụ công", "mức độ dvctt"],
    "channel_out": [
        "hình thức trả",
        "phương thức nhận kết quả",
        "hình thức trả kết quả",
        "phương thức trả kết quả",
        "hình thức nhận kết quả",
    ],
    "supplement_requested": ["yêu cầu bổ sung", "bổ sung", "ngày yêu cầu bổ sung", "bổ sung hồ sơ"],
    "status": ["trạng thái", "tình trạng", "trạng thái hồ sơ", "tình trạng hồ sơ"],
    "apology": ["ghi chú", "xin lỗi", "phiếu xin lỗi", "phiếu xin lỗi và hẹn lại"],
    "seq": ["stt", "số thứ tự"],
    # Recognised so that they are never loaded (privacy) or never mistaken for another field.
    "pii": [
        "tên cá nhân tổ chức",
        "họ tên",
        "họ và tên",
        "tên tổ chức cá nhân",
        "người nộp",
        "chủ hồ sơ",
        "địa chỉ",
        "số điện thoại",
        "điện thoại",
        "ký nhận",
        "email",
        "cmnd",
        "cccd",
        "tên người nộp",
        "tổ chức cá nhân",
        "người đứng tên",
    ],
    "transferred": ["chuyển hồ sơ đến cơ quan giải quyết", "chuyển hồ sơ", "ngày chuyển"],
    "other": [
        "người nhận hồ sơ",
        "địa bàn",
        "cán bộ tiếp nhận",
        "cán bộ xử lý",
        "người tiếp nhận",
        # The agency that resolves the dossier is not the reporting unit (Mẫu số 06).
        "cơ quan chủ trì giải quyết",
        "cơ quan giải quyết",
        "cơ quan chủ trì",
        "số lượng hồ sơ",
    ],
}
PHRASES = _phrases(SYNONYMS)
LOADED = {
    "unit",
    "dossier_id",
    "procedure",
    "procedure_code",
    "field",
    "received",
    "due",
    "due_new",
    "result_ready",
    "returned",
    "channel_in",
    "online_level",
    "channel_out",
    "supplement_requested",
    "status",
    "apology",
    "seq",
}
REQUIRED_ANY = {"dossier_id", "received"}
DATE_FIELDS = ["received", "due", "result_ready", "returned"]
TEXT_FIELDS = ["dossier_id", "procedure", "procedure_code", "field"]

# Total rows: "Tổng cộng", "Cộng:", "Tổng số hồ sơ: 125", "TONG CONG" (diacritics matter: "Công" is not "Cộng").
_TOTAL = re.compile(r"^(?:tổng cộng|tổng số|tong cong|tong so)(?:[\s:.]|$)|^(?:tổng|cộng|tong|cong)\s*(?::.*)?$")
_FOOTER = re.compile(
    r"^(?:nguoi lap|thu truong|xac nhan|lanh dao|ky ten|ghi chu|truong bo phan|can bo lap)"
    r"|ngay \d{0,2}\s*thang \d{0,2}\s*nam"
)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?$")
_STATUS = [  # (folded phrase, status); the first that the text contains wins
    ("xin rut", "withdrawn"),
    ("rut ho so", "withdrawn"),
    ("tra lai", "withdrawn"),
    ("huy", "withdrawn"),
    ("tu choi", "refused"),
    ("khong giai quyet", "refused"),
    ("khong du dieu kien", "refused"),
    ("da giai quyet", "resolved"),
    ("hoan thanh", "resolved"),
    ("da tra", "resolved"),
    ("da co ket qua", "resolved"),
    ("hoan tat", "resolved"),
    ("da xu ly", "resolved"),
    ("xong", "resolved"),
    ("dang", "pending"),
    ("cho", "pending"),
    ("chua", "pending"),
    ("bo sung", "pending"),
    ("tam dung", "pending"),
    ("moi tiep nhan", "pending"),
]
_ONLINE = (
    "truc tuyen",
    "online",
    "qua mang",
    "dvc",
    "dich vu cong",
    "muc do 3",
    "muc do 4",
    "internet",
    "dien tu",
    "email",
    "cong dich vu",
    "toan trinh",
    "mot phan",
)
_POSTAL = ("buu chinh", "buu dien", "bcci", "vnpost", "qua buu")
_DIRECT = ("truc tiep", "tai quay", "mot cua", "tai bo phan", "nop tai", "nhan tai")
_NO = {"", "khong", "0", "no", "false", "n", "k", "-"}


@dataclass
class SheetContext:
    path: str
    sheet: str | None
    unit: str | None  # from title rows or file name, when the book has no unit column
    source: int  # order of the file in the run; breaks ties between equal export dates


def _fold_series(s: pd.Series) -> pd.Series:
    """Fold each distinct value once (cheap on a million rows with few distinct texts)."""
    uniques = s.dropna().unique()
    mapping = {u: fold(str(u)) for u in uniques}
    return _map(s, mapping).astype("string")


def _map(s: pd.Series, mapping: dict) -> pd.Series:  # type: ignore[type-arg]
    """Map values through a dict; object dtype, so that an all-missing result keeps a usable type."""
    return s.astype(object).map(mapping)


def _classify_channel(folded: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (channel: direct/postal/online/None, unknown flag) from folded channel text."""
    uniques = folded.dropna().unique()
    mapping: dict[str, str | None] = {}
    for text in uniques:
        if any(w in text for w in _POSTAL):
            mapping[text] = "postal"
        elif any(w in text for w in _ONLINE):
            mapping[text] = "online"
        elif any(w in text for w in _DIRECT):
            mapping[text] = "direct"
        else:
            mapping[text] = None
    channel = _map(folded, mapping)
    unknown = folded.notna() & (folded != "") & channel.isna()
    return channel, unknown


def _level(folded: pd.Series) -> pd.Series:
    """Return the online level (3 or 4) named by folded text, else NA."""
    uniques = folded.dropna().unique()
    mapping: dict[str, float] = {}
    for text in uniques:
        m = re.search(r"(?:^|muc do |muc |md |level )([234])(?:\b|$)", text)
        if m:
            mapping[text] = float(m.group(1))
        elif "toan trinh" in text:
            mapping[text] = 4.0
        elif "mot phan" in text:
            mapping[text] = 3.0
    return _map(folded, mapping).astype("float64")


def _status(folded: pd.Series) -> pd.Series:
    uniques = folded.dropna().unique()
    mapping = {t: next((s for w, s in _STATUS if w in t), None) for t in uniques}
    return _map(folded, mapping)


def _yes(folded: pd.Series) -> pd.Series:
    """Return True where a yes/no, count or date cell says 'yes' (anything not blank, 0 or 'không')."""
    return folded.notna() & ~folded.isin(_NO)


def read_dossier_sheet(
    grid: Grid,
    header: Header,
    ctx: SheetContext,
    matcher: UnitMatcher,
    calendar: WorkCalendar,
    log: QualityLog,
) -> tuple[pd.DataFrame, FileReport]:
    """Return the accepted dossier records of one sheet and its row accounting; issues go to `log`."""
    cols = header.columns
    frame = grid.columns(header.row + 1, list(cols.values()))
    n = len(frame)
    excel_row = np.arange(header.row + 2, header.row + 2 + n)
    text = {name: frame[idx] for name, idx in cols.items()}
    report = FileReport(path=ctx.path, kind="dossier_book", sheet=ctx.sheet, unit=ctx.unit, rows_read=n)

    def issues(mask: np.ndarray | pd.Series, code: str, field: str | None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        col = cols.get(field) if field else None
        log.add_frame(
            pd.DataFrame(
                {
                    "code": code,
                    "path": ctx.path,
                    "sheet": ctx.sheet,
                    "row": excel_row[idx],
                    "column": column_letter(col) if col is not None else None,
                    "header": header.labels.get(col) if col is not None else None,
                    "value": text[field].iloc[idx].to_numpy(dtype=object) if field else None,
                },
                columns=ISSUE_COLUMNS,
            )
        )

    # 1. Rows that are not dossier rows are skipped: blank, total, footer, column numbers, repeated headers.
    ordered = [cols[k] for k in sorted(cols, key=lambda k: cols[k])]
    cells = pd.DataFrame({c: text[k] for k, c in cols.items()})[ordered]
    nonblank = cells.notna().sum(axis=1).to_numpy()
    first = pd.Series(pd.NA, index=cells.index, dtype="string[pyarrow]")
    for c in ordered:  # the first non-empty cell of each row, left to right
        first = first.fillna(cells[c])
    # Totals and signatures: only rows whose first cell is not a plain number (the STT) can be one.
    candidate = (first.notna() & ~first.str.fullmatch(r"\d+(?:\.0+)?").fillna(False)).to_numpy(dtype=bool)
    is_total = np.zeros(n, dtype=bool)
    is_footer = np.zeros(n, dtype=bool)
    if candidate.any():
        firsts = first[candidate]
        is_total[candidate] = firsts.str.lower().str.contains(_TOTAL).fillna(False).to_numpy(dtype=bool)
        is_footer[candidate] = _fold_series(firsts).str.contains(_FOOTER).fillna(False).to_numpy(dtype=bool)
    numbered = cells.apply(lambda s: s.str.fullmatch(_COLUMN_NUMBER.pattern).fillna(False)).sum(axis=1).to_numpy()
    is_colnum = (nonblank >= 3) & (numbered == nonblank)
    labels = {c: header.labels.get(c) for c in ordered}
    repeated = sum((cells[c] == lab).fillna(False).to_numpy(dtype=bool).astype(int) for c, lab in labels.items() if lab)
    is_header = np.asarray(repeated) >= 2
    has_id = text["dossier_id"].notna().to_numpy() if "dossier_id" in text else np.zeros(n, bool)
    has_received = text["received"].notna().to_numpy() if "received" in text else np.zeros(n, bool)
    dossier = (nonblank > 0) & ~is_total & ~is_footer & ~is_colnum & ~is_header & (has_id | has_received)
    report.rows_skipped = int((~dossier).sum())

    # 2. Parse dates and find the reason, if any, to reject each dossier row (first reason wins).
    parsed: dict[str, pd.Series] = {}
    reason = np.full(n, None, dtype=object)
    reason_field = np.full(n, None, dtype=object)

    def reject(mask: np.ndarray, code: str, field: str | None) -> None:
        hit = mask & dossier & (reason == None)  # noqa: E711 - elementwise on an object array
        reason[hit] = code
        reason_field[hit] = field

    reject(~has_id, "missing-dossier-id", "dossier_id" if "dossier_id" in cols else None)
    reject(~has_received, "missing-received-date", "received" if "received" in cols else None)
    for name in DATE_FIELDS:
        if name not in text:
            parsed[name] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
            continue
        values, status = D.parse_dates(text[name])
        parsed[name] = values
        reject(status == D.UNPARSEABLE, "date-unparseable", name)
        reject(status == D.AMBIGUOUS, "date-ambiguous", name)
    received = parsed["received"]
    reject((parsed["result_ready"] < received).to_numpy(dtype=bool), "ready-before-received", "result_ready")
    reject((parsed["returned"] < received).to_numpy(dtype=bool), "returned-before-received", "returned")

    # 3. The unit: a column, else the title rows or file name.
    if "unit" in text:
        names = text["unit"]
        uniques = names.dropna().unique()
        mapping = {u: matcher.exact(u) or matcher.find_in(u) for u in uniques}
        unit = _map(names, mapping)
        unit = unit.where(names.notna(), ctx.unit)
        reject((unit.isna()).to_numpy(dtype=bool), "unit-unknown", "unit" if names.notna().any() else None)
    else:
        unit = pd.Series(ctx.unit, index=frame.index, dtype=object)
        reject(unit.isna().to_numpy(dtype=bool), "unit-unknown", None)

    rejected = dossier & (reason != None)  # noqa: E711
    for code in pd.unique(reason[rejected]):
        for field in pd.unique(reason_field[rejected & (reason == code)]):
            mask = rejected & (reason == code) & (reason_field == field)
            issues(mask, str(code), field)
    accepted = dossier & ~rejected
    report.rows_rejected = int(rejected.sum())
    report.rows_accepted = int(accepted.sum())

    # 4. Normalise the accepted rows into records; warnings for what a figure cannot use.
    rec = pd.DataFrame(index=frame.index[accepted])
    rec["unit"] = unit[accepted].astype(str)
    for name in TEXT_FIELDS:
        rec[name] = text[name][accepted] if name in text else pd.Series(pd.NA, index=rec.index, dtype="string")
    for name in DATE_FIELDS:
        rec[name] = parsed[name][accepted]
    a = accepted
    if "due" not in cols:
        log.add("missing-column", ctx.path, ctx.sheet, header.row + 1, None, "Hẹn trả kết quả", None)
    issues(a & parsed["due"].isna().to_numpy(), "missing-due-date", "due" if "due" in cols else None)
    issues(a & (parsed["due"] < received).to_numpy(dtype=bool), "due-before-received", "due")
    issues(a & calendar.is_day_off(parsed["due"]).to_numpy(dtype=bool), "due-on-day-off", "due")

    channel_in = pd.Series(None, index=frame.index, dtype=object)
    level = pd.Series(np.nan, index=frame.index)
    if "channel_in" in text:
        folded_in = _fold_series(text["channel_in"])
        channel_in, unknown = _classify_channel(folded_in)
        issues(a & unknown.to_numpy(dtype=bool), "unknown-channel", "channel_in")
        level = _level(folded_in)
    if "online_level" in text:
        level = _level(_fold_series(text["online_level"])).fillna(level)
    online = (channel_in == "online").to_numpy(dtype=bool)
    level = level.where(online & level.isin([3.0, 4.0]))
    issues(
        a & online & level.isna().to_numpy(),
        "online-level-unknown",
        "online_level" if "online_level" in cols else "channel_in",
    )
    rec["channel_in"] = channel_in[a]
    rec["online_level"] = level[a]

    channel_out = pd.Series(None, index=frame.index, dtype=object)
    if "channel_out" in text:
        channel_out, unknown_out = _classify_channel(_fold_series(text["channel_out"]))
        issues(a & unknown_out.to_numpy(dtype=bool), "unknown-channel", "channel_out")
    rec["channel_out"] = channel_out[a]

    status = pd.Series(None, index=frame.index, dtype=object)
    supplement = pd.Series(False, index=frame.index)
    # Which figures this book can feed at all: a missing column makes them no_data, not zero.
    rec["has_channel_in"] = "channel_in" in cols
    rec["has_channel_out"] = "channel_out" in cols
    rec["has_supplement"] = "supplement_requested" in cols or "status" in cols
    if "status" in text:
        folded_status = _fold_series(text["status"])
        status = _status(folded_status)
        issues(a & (folded_status.notna() & status.isna()).to_numpy(dtype=bool), "unknown-status", "status")
        supplement = folded_status.str.contains("bo sung", regex=False).fillna(False)
    if "supplement_requested" in text:
        supplement = supplement | _yes(_fold_series(text["supplement_requested"]))
    if "status" not in text and "apology" in text:
        # No status column: a note saying the dossier was withdrawn or refused is the status.
        noted = _status(_fold_series(text["apology"]))
        status = noted.where(noted.isin(["withdrawn", "refused"]))
    rec["status"] = status[a]
    rec["supplement_requested"] = supplement[a].astype(bool)
    apology = pd.Series(False, index=frame.index)
    if "apology" in text:
        folded_note = _fold_series(text["apology"])
        apology = folded_note.str.contains("xin loi|hen lai", regex=True).fillna(False)
        if "ghi chu" not in fold(header.labels.get(cols["apology"], "")):  # a dedicated yes/no column
            apology = apology | _yes(folded_note)
    rec["apology"] = apology[a].astype(bool)
    rec["source"] = ctx.source
    rec["sheet"] = ctx.sheet
    rec["row"] = excel_row[a]
    return rec.reset_index(drop=True), report
