"""The data-quality codes (each with its severity and Vietnamese and English titles), and the exceptions the
library raises, each with its exit status."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, Literal

from qms_cli.messages import text

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Code:
    """A data-quality code: its severity, Vietnamese and English titles, and whether it rejects the row."""

    code: str
    severity: Severity
    vi: str
    en: str
    rejects_row: bool = False


def _by_code(*codes: Code) -> dict[str, Code]:
    """The codes by name, in the order declared (docs/errors.md keeps it); a name declared twice is refused."""
    table = {c.code: c for c in codes}
    if len(table) != len(codes):
        twice = sorted({c.code for c in codes if sum(d.code == c.code for d in codes) > 1})
        raise ValueError(f"data-quality codes declared twice: {', '.join(twice)}")
    return table


CODES: dict[str, Code] = _by_code(  # the one table of the codes: data_quality, docs/errors.md and the renderers
    # file level
    Code("file-unreadable", "error", "Không đọc được tệp", "The file could not be read"),
    Code("file-empty", "error", "Tệp rỗng", "The file is empty"),
    Code("file-corrupt", "error", "Tệp bị hỏng hoặc không đầy đủ", "The file is damaged or cut short"),
    Code("file-encrypted", "error", "Tệp có mật khẩu", "The workbook is password-protected"),
    Code("file-wrong-kind", "error", "Không phải tệp bảng tính", "Not a spreadsheet file"),
    Code("file-too-large", "error", "Tệp quá lớn để đọc an toàn", "The file is too large to be read safely"),
    Code(
        "not-a-regular-file",
        "error",
        "Không phải tệp thông thường (ống dẫn, thiết bị…): không đọc",
        "Not a regular file (a pipe, a device…): not read",
    ),
    Code("link-broken", "error", "Liên kết tượng trưng trỏ tới tệp không còn", "A symbolic link whose target is gone"),
    Code("link-loop", "error", "Liên kết tượng trưng tạo vòng lặp: không theo", "A symbolic link loop: not followed"),
    Code(
        "csv-malformed",
        "error",
        "Tệp CSV có dấu ngoặc kép không đóng: các dòng sau đó bị gộp",
        "A CSV quote is never closed: the lines after it run together",
    ),
    Code(
        "formula-without-value",
        "error",
        "Ô công thức chưa có giá trị (tệp chưa được tính lại và lưu trong Excel): dòng bị loại",
        "A formula cell without its value (the file was not recalculated and saved by Excel): the row is rejected",
        rejects_row=True,
    ),
    Code(
        "cells-outside-range",
        "info",
        "Ô trống (dấu cách, định dạng) ở xa vùng dữ liệu: không đọc",
        "Blank cells (a space, a format) far from the data: not read",
    ),
    Code(
        "date-out-of-range",
        "error",
        "Ngày nằm ngoài khoảng hợp lý (nhập nhầm năm?)",
        "A date outside the plausible window (a typo in the year?)",
        rejects_row=True,
    ),
    Code(
        "free-text-withheld",
        "info",
        "Nội dung riêng của từng hồ sơ (có thể có tên người) không lưu: chỉ giữ tên thủ tục lặp lại",
        "Text particular to a dossier (it may name a person) is not kept: only repeated procedure names",
    ),
    Code("sheet-hidden", "info", "Trang tính bị ẩn: vẫn được đọc", "A hidden sheet: it is read like the others"),
    Code(
        "header-not-found",
        "error",
        "Không tìm thấy dòng tiêu đề của sổ theo dõi hồ sơ",
        "No dossier-book header row was found",
    ),
    Code("missing-column", "warning", "Thiếu cột cần cho một chỉ tiêu", "A column needed by an indicator is missing"),
    Code(
        "unit-unknown",
        "error",
        "Không xác định được đơn vị",
        "The reporting unit could not be identified",
        rejects_row=True,
    ),
    Code(
        "unit-unknown-district",
        "warning",
        "Không xác định được đơn vị: chỉ tính vào số liệu chung",
        "Unit not in the registry: counted in the whole's figures only",
    ),
    Code(
        "index-component-unnamed",
        "warning",
        "Cột chỉ số 766 chỉ ghi mã (CKMB, TDGQ…), không ghi tên thành phần: không đọc (mã hay bị nhầm)",
        "A QĐ 766 index column headed by a code alone (CKMB, TDGQ…), not a component's name: not read",
    ),
    Code(
        "index-unit-outside-registry",
        "info",
        "Điểm chỉ số 766 của đơn vị ngoài danh mục: bỏ qua",
        "QĐ 766 index scores of a unit outside the registry: skipped",
    ),
    Code(
        "index-period-unknown",
        "error",
        "Không xác định được kỳ của điểm chỉ số 766",
        "The period of a QĐ 766 index score could not be found",
        rejects_row=True,
    ),
    Code(
        "index-score-out-of-range",
        "error",
        "Điểm chỉ số 766 ngoài thang điểm của thành phần",
        "A QĐ 766 index score outside its component's range",
        rejects_row=True,
    ),
    Code(
        "index-total-mismatch",
        "warning",
        "Tổng điểm chỉ số 766 khác tổng các thành phần: hiển thị cả hai",
        "The QĐ 766 index total is not the sum of its components: both are shown",
    ),
    Code(
        "resolver-outside-registry",
        "info",
        "Cơ quan giải quyết ngoài danh mục đơn vị: hồ sơ tính cho đơn vị tiếp nhận",
        "Resolving agency outside the registry: the dossier counts for the unit that received it",
    ),
    Code(
        "extension-date-unreadable",
        "warning",
        "Ngày gia hạn / ngày phê duyệt gia hạn không đọc được: không tính gia hạn",
        "Extension or approval date unreadable: the extension is not taken into account",
    ),
    Code(
        "unit-not-valid-on-date",
        "error",
        "Đơn vị không còn (hoặc chưa) tồn tại vào ngày nhận hồ sơ (xem hiệu lực đơn vị trong objectives.yaml)",
        "The unit named did not exist on the date received (see the units' validity in objectives.yaml)",
        rejects_row=True,
    ),
    # row rejections
    Code("missing-dossier-id", "error", "Thiếu mã hồ sơ", "The dossier code is missing", rejects_row=True),
    Code("missing-received-date", "error", "Thiếu ngày nhận hồ sơ", "The date received is missing", rejects_row=True),
    Code("date-unparseable", "error", "Ngày không đọc được", "A date could not be read", rejects_row=True),
    Code(
        "date-ambiguous",
        "error",
        "Ngày viết theo kiểu tháng/ngày, không chắc chắn",
        "A date reads as month/day, not day/month: ambiguous",
        rejects_row=True,
    ),
    Code(
        "returned-before-received",
        "error",
        "Ngày trả kết quả trước ngày nhận",
        "Result returned before the dossier was received",
        rejects_row=True,
    ),
    Code(
        "ready-before-received",
        "error",
        "Ngày có kết quả trước ngày nhận",
        "Result ready before the dossier was received",
        rejects_row=True,
    ),
    # row warnings: the row stays
    Code(
        "missing-due-date",
        "warning",
        "Thiếu ngày hẹn trả: không tính vào mục tiêu 1",
        "No appointment date: left out of objective 1",
    ),
    Code("due-before-received", "warning", "Ngày hẹn trả trước ngày nhận", "Appointment date before the date received"),
    Code("due-on-day-off", "warning", "Ngày hẹn trả rơi vào ngày nghỉ", "Appointment date falls on a day off"),
    Code(
        "unknown-channel", "warning", "Không nhận ra hình thức nộp/trả", "Submission or return channel not recognised"
    ),
    Code(
        "online-level-unknown",
        "warning",
        "Hồ sơ trực tuyến không rõ mức độ",
        "Online dossier whose level (3 or 4) is unknown",
    ),
    Code("unknown-status", "warning", "Không nhận ra trạng thái hồ sơ", "Dossier status not recognised"),
    Code(
        "header-body-mismatch",
        "error",
        "Nội dung các cột không khớp tiêu đề (giá trị lệch cột): cả trang tính bị từ chối",
        "The values do not fit their headers (shifted columns): the whole sheet is refused",
        rejects_row=True,
    ),
    Code(
        "date-order-ambiguous",
        "error",
        "Tệp ghi ngày lẫn cả ngày/tháng và tháng/ngày: mọi trang tính sổ hồ sơ của tệp bị từ chối",
        "The file writes dates both day/month and month/day: every dossier sheet of it is refused",
        rejects_row=True,
    ),
    Code(
        "date-order-month-first",
        "info",
        "Tệp ghi ngày theo kiểu tháng/ngày: mọi trang tính đọc theo tháng/ngày",
        "The file writes its dates month/day: every sheet read month/day",
    ),
    Code(
        "not-yet-received",
        "info",
        "Hồ sơ mới đăng ký, chưa được tiếp nhận: không phải hồ sơ đã nhận, bỏ qua",
        "An online submission not accepted yet: not a received dossier, skipped",
    ),
    Code(
        "status-contradicts-dates",
        "warning",
        "Trạng thái (trễ hạn, đúng hạn…) trái với ngày tháng: tính theo ngày tháng",
        "A timing status (late, on time…) contradicts the dates: the dates decide",
    ),
    Code(
        "duplicate-dossier",
        "warning",
        "Hồ sơ trùng mã trong cùng một tệp: dòng sau được dùng",
        "The same dossier code twice in one export: the later row is used",
    ),
    Code(
        "superseded",
        "info",
        "Hồ sơ có trong bản xuất mới hơn: dùng bản mới nhất",
        "The dossier is in a later export: the latest one is used",
    ),
    Code(
        "sheet-skipped",
        "info",
        "Trang tính không có tiêu đề của loại dữ liệu nào: bỏ qua",
        "A sheet with no header of a known kind: not read",
    ),
    Code("missing-date", "error", "Thiếu ngày", "The date is missing", rejects_row=True),
    Code("rating-unknown", "warning", "Không nhận ra mức đánh giá", "Rating not recognised: not a valid rating"),
    Code("number-unparseable", "error", "Số không đọc được", "A number could not be read", rejects_row=True),
    Code("missing-name", "error", "Thiếu nội dung", "The name or content is missing", rejects_row=True),
    Code(
        "summary-inconsistent",
        "warning",
        "Biểu tổng hợp không khớp: tổng số khác tổng các phần ((3)=(4)+(5)+(6), (7)=(8)+(9)+(10)…): tính theo phần",
        "A summary's total is not the sum of its parts ((3)=(4)+(5)+(6), (7)=(8)+(9)+(10), …): the parts are counted",
    ),
    Code(
        "summary-rate-mismatch",
        "warning",
        "Tỷ lệ in trong biểu tổng hợp khác tỷ lệ tính lại từ các cột",
        "A rate printed in a summary differs from the rate recomputed from its columns",
    ),
    Code(
        "summary-superseded",
        "warning",
        "Đơn vị gửi cả sổ và biểu tổng hợp cùng tháng: dùng số liệu từ sổ",
        "Both dossier rows and a summary for the same unit and month: the dossier rows are used",
    ),
    Code(
        "summary-outside-period",
        "info",
        "Kỳ của biểu tổng hợp không nằm trọn trong kỳ đánh giá: không dùng",
        "The summary's range is not inside the period: not used",
    ),
    Code(
        "due-statutory-mismatch",
        "warning",
        "Ngày hẹn trả khác thời hạn giải quyết theo danh mục TTHC",
        "Appointment date differs from the statutory time of the procedure catalogue",
    ),
    Code(
        "due-computed",
        "info",
        "Ngày hẹn trả tính từ thời hạn trong danh mục TTHC",
        "Appointment date computed from the procedure catalogue",
    ),
    Code("legacy-encoding", "warning", "Văn bản dùng bảng mã cũ (TCVN3/VNI)", "Text in a legacy font encoding"),
)


def codes_markdown() -> str:
    """The codes as the table of docs/errors.md (kept equal to it by a test)."""
    lines = [
        "# Data-quality codes",
        "",
        "Generated from `src/qms_cli/errors.py` by `python -m qms_cli.errors > docs/errors.md`; a test keeps",
        "the two equal. A code that rejects a row keeps that row out of every figure; the others are",
        "warnings or information: the row stays and the figure it cannot join says so.",
        "",
        "| code | severity | rejects the row | Vietnamese | English |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{c.code}` | {c.severity} | {'yes' if c.rejects_row else ''} | {c.vi} | {c.en} |" for c in CODES.values()
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(codes_markdown(), end="")


class ExitStatus(IntEnum):
    """The exit statuses of `qms` (spec/cli.md, "Exit status"): what a cron job can tell apart."""

    OK = 0
    SHORTFALL = 1  # done; --fail-on-shortfall and an indicator not met, or `qms validate` found rejected rows
    USAGE = 2  # bad option, unknown period, unreadable objectives file, a store that a reading command needs
    INPUT = 3  # no usable input, or a file that could not be read at all: someone must fix or resend it
    LOCKED = 4  # another qms run holds the store; nothing was changed
    ENVIRONMENT = 5  # disk full, permission denied, read-only folder: the server needs attention
    INTERNAL = 70  # a defect of qms (EX_SOFTWARE); `--debug` shows the traceback


class Phrase:
    """Words of the catalogue (messages.FAULTS and the other tables) not yet put in a language: a key and
    its fields; a field may itself be a Phrase (a reason inside a sentence)."""

    def __init__(self, key: str, **fields: object) -> None:  # noqa: D107 - see the class
        self.key = key
        self.fields = fields

    def words(self, lang: str) -> str:
        """The sentence in `lang` (vi or en), its fields filled in (nested phrases in the same language)."""
        return text(
            self.key, lang, **{k: v.words(lang) if isinstance(v, Phrase) else v for k, v in self.fields.items()}
        )

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, {self.fields!r})"


class QmsError(Exception):
    """Base of the errors the library raises on purpose; each class carries the exit status the CLI gives it.

    Raised with a `Phrase`, the error is rendered in the run's language by the CLI (`words`); its str()
    is the English sentence (for scripts and tracebacks). Raised with a text, that text is both.
    """

    exit_status: ClassVar[ExitStatus] = ExitStatus.INTERNAL  # a failure not classified is a defect of qms

    def __init__(self, message: str | Phrase = "") -> None:  # noqa: D107 - see the class
        self.phrase = message if isinstance(message, Phrase) else None
        super().__init__(message.words("en") if isinstance(message, Phrase) else message)

    def words(self, lang: str) -> str:
        """The error's one line in `lang`: its catalogue sentence when it was raised with one, else its text."""
        return self.phrase.words(lang) if self.phrase is not None else str(self)


class UsageError(QmsError):
    """Bad option, period, rule, objectives file or template (exit 2)."""

    exit_status: ClassVar[ExitStatus] = ExitStatus.USAGE


class InputError(QmsError):
    """No usable input, or a file that could not be read at all (exit 3)."""

    exit_status: ClassVar[ExitStatus] = ExitStatus.INPUT


class LockedError(QmsError):
    """Another qms run holds the store (exit 4): nothing was changed."""

    exit_status: ClassVar[ExitStatus] = ExitStatus.LOCKED


class EnvironmentFault(QmsError):
    """Disk full, permission denied, read-only folder, unwritable lock or log file (exit 5); names the path."""

    exit_status: ClassVar[ExitStatus] = ExitStatus.ENVIRONMENT

    @classmethod
    def from_os_error(cls, exc: OSError, path: object = None, doing: str = "") -> EnvironmentFault:
        """The fault of an OSError, in one line naming the path: `path` when given, else the error's own.

        `doing` is the key of what failed (messages.FAULTS: "doing_output", "doing_log_file"…); the
        reason is the catalogue's for the usual errno values, else the system's own text."""
        where = path if path is not None else exc.filename
        known = _REASONS.get(exc.errno or 0)
        reason: object = Phrase(known) if known else (exc.strerror or type(exc).__name__)
        other = f" ({printable(exc.filename)})" if path is not None and exc.filename not in (None, str(path)) else ""
        fields = {"path": printable(where) if where is not None else "?", "reason": reason, "other": other}
        return cls(Phrase("fault_doing", doing=Phrase(doing), **fields) if doing else Phrase("fault", **fields))


_REASONS = {  # errno -> the key of its reason in messages.FAULTS
    errno.ENOSPC: "reason_disk_full",
    errno.EDQUOT: "reason_quota",
    errno.EFBIG: "reason_too_big",
    errno.EACCES: "reason_denied",
    errno.EPERM: "reason_not_permitted",
    errno.EROFS: "reason_read_only",
}


def printable(value: object) -> str:
    """Text safe to show anywhere: control characters and undecodable bytes of a name as escapes.

    A file name that is not UTF-8 (a Windows zip) arrives as surrogate escapes: it is shown as
    `\\xNN`; escape sequences (ESC, BEL, newlines…) in a name or a cell never reach a terminal raw.
    """
    if isinstance(value, bytes):
        text = value.decode("utf-8", errors="backslashreplace")
    else:
        text = str(value)
        if any("\udc80" <= ch <= "\udcff" for ch in text):
            text = os.fsencode(text).decode("utf-8", errors="backslashreplace")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
