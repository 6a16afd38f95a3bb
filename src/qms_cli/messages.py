"""Every word people read, in one bilingual table of words and sentences: Vietnamese by default, English on request.

Labels of tables, statuses, kinds of file, action statuses, periods in words, unit display names,
CLI messages and the help of the commands all come from here, so that a wording is changed in one
place and no slug or indicator id reaches a person. A sentence is looked up by key:

    >>> text("rows_summary", "en", files=2, read=10, accepted=9, rejected=1, skipped=0, superseded=0)
    'qms: 2 file(s); rows read 10 = accepted 9 + rejected 1 + skipped 0; superseded by a later export 0'

The language is the `--lang` option, else the environment variable QMS_LANG, else Vietnamese
(`resolve_lang`). Add a sentence as `KEY: (vietnamese, english)` in the section it belongs to;
`tests/test_messages.py` checks that every entry has both languages and the same {fields}.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping
from functools import partial
from typing import Any

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
ENV_VAR = "QMS_LANG"

# ---------------------------------------------------------------------------------------------------
# Statuses: of an indicator, of a corrective action, of a file.
STATUS: dict[str, tuple[str, str]] = {
    "met": ("Đạt", "Met"),
    "not_met": ("Không đạt", "Not met"),
    "in_progress": ("Đang thực hiện", "In progress"),
    "no_data": ("Không có dữ liệu", "No data"),
}
STATUS_SYMBOL = {"met": "✔", "not_met": "✘", "in_progress": "◔", "no_data": "–"}
ACTION_STATUS: dict[str, tuple[str, str]] = {
    "draft": ("Dự thảo (chưa điền)", "Draft (to be filled in)"),
    "open": ("Đang thực hiện", "Open"),
    "done": ("Đã thực hiện", "Done"),
    "closed": ("Đã đóng", "Closed"),
}
FILE_KIND: dict[str, tuple[str, str]] = {
    "dossier_book": ("Sổ theo dõi hồ sơ", "Dossier book"),
    "summary_06a": ("Biểu 06a (bảng tổng hợp)", "Biểu 06a summary table"),
    "survey": ("Phiếu khảo sát hài lòng", "Satisfaction survey"),
    "satisfaction": ("Phiếu khảo sát hài lòng", "Satisfaction survey"),
    "inspections": ("Sổ kiểm tra", "Inspection register"),
    "register": ("Sổ kiểm tra", "Inspection register"),
    "milestones": ("Kế hoạch chuyển đổi ISO", "ISO transition plan"),
    "catalogue": ("Danh mục thủ tục", "Procedure catalogue"),
    "service_index": ("Bộ chỉ số 766 (phục vụ người dân, doanh nghiệp)", "QĐ 766 service index"),
    "unknown": ("Không nhận dạng được", "Not recognised"),
    "unreadable": ("Không đọc được", "Unreadable"),
}
SEVERITY: dict[str, tuple[str, str]] = {
    "error": ("Lỗi", "Error"),
    "warning": ("Cảnh báo", "Warning"),
    "info": ("Ghi chú", "Note"),
}

# ---------------------------------------------------------------------------------------------------
# Labels of tables and headings (terminal, HTML, Markdown, XLSX, DOCX).
LABELS: dict[str, tuple[str, str]] = {
    "heading": ("Kết quả thực hiện mục tiêu chất lượng", "Quality objectives: results"),
    "decision": ("Quyết định", "Decision"),
    "period": ("Kỳ", "Period"),
    "rules": ("Quy tắc tính", "Counting rules"),
    "overridden": ("đổi cho lần chạy này", "overridden for this run"),
    "district": ("Toàn bộ các đơn vị", "All units"),  # only without a scope name (scope_name)
    "objective": ("MT", "Obj."),
    "objective_long": ("Mục tiêu số", "Objective"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "target": ("Mục tiêu", "Target"),
    "value": ("Kết quả", "Value"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "counts": ("Tử số / mẫu số", "Numerator / denominator"),
    "ci": ("KTC 95 %", "95 % CI"),
    "ci_low": ("KTC 95 % dưới", "95 % CI low"),
    "ci_high": ("KTC 95 % trên", "95 % CI high"),
    "status": ("Đánh giá", "Status"),
    "units": ("Theo đơn vị", "By unit"),
    "unit": ("Đơn vị", "Unit"),
    "shortfalls": (
        "Chỉ tiêu không đạt: cần phân tích nguyên nhân và hành động khắc phục",
        "Shortfalls: each needs a cause and a corrective action",
    ),
    "none": ("Không có chỉ tiêu nào không đạt.", "No indicator is short of its target."),
    "owner": ("Trách nhiệm", "Owner"),
    "gap": ("Thiếu hụt so với mục tiêu", "Short of the target by"),
    "quality": ("Chất lượng dữ liệu", "Data quality"),
    "file": ("Tệp", "File"),
    "sheet": ("Trang tính", "Sheet"),
    "read": ("Số dòng đọc", "Read"),
    "accepted": ("Nhận", "Accepted"),
    "rejected": ("Bị loại", "Rejected"),
    "skipped": ("Bỏ qua", "Skipped"),
    "superseded": ("Bị thay thế", "Superseded"),
    "code": ("Mã lỗi", "Code"),
    "severity": ("Mức độ", "Severity"),
    "problem": ("Vấn đề", "Problem"),
    "count": ("Số dòng", "Rows"),
    "example": ("Ví dụ", "Example"),
    "row": ("dòng", "row"),
    "column": ("cột", "column"),
    "missing_due": ("thiếu ngày hẹn", "no due date"),
    "stopped": ("dừng giải quyết", "stopped"),
    "applies_from": ("áp dụng từ", "applies from"),
    "units_without_data": ("đơn vị không có dữ liệu", "units without data"),
    "reason": ("Lý do", "Reason"),
    "no_issue": ("Không có lỗi dữ liệu.", "No data issue."),
    "kind": ("Loại tệp", "Kind of file"),
    "message": ("Ghi chú", "Note"),
    "title": ("BÁO CÁO Kết quả thực hiện mục tiêu chất lượng", "REPORT on the quality objectives"),
    "change": ("Thay đổi so với kỳ trước", "Change on the previous period"),
    "change_na": ("không so sánh", "not compared"),
    "change_units": ("không so sánh: đơn vị đã thay đổi", "not compared: the units changed"),
    "trend_break": ("đơn vị thay đổi từ {month}", "units changed from {month}"),
    "trend": ("Diễn biến theo tháng (biểu đồ kiểm soát p′ Laney)", "Month by month (Laney p′ control charts)"),
    "funnel": ("Tỷ lệ đúng hạn theo đơn vị và số hồ sơ", "On-time rate by unit against volume"),
    "pareto": ("Thủ tục và đơn vị có nhiều hồ sơ trễ hạn nhất", "Procedures and units with the most late dossiers"),
    "actions": ("Hành động khắc phục", "Corrective actions"),
    "follow_up": ("Theo dõi hành động khắc phục kỳ trước", "Follow-up of the previous period's actions"),
    "methods": ("Phương pháp tính", "Methods"),
    "no_actions": ("Không có hành động khắc phục.", "No corrective action."),
    "missing": ("Đơn vị chưa gửi số liệu", "Missing submissions"),
    "late": ("Số hồ sơ trễ hạn", "Late dossiers"),
    "cumulative": ("Cộng dồn", "Cumulative"),
    "procedure": ("Thủ tục", "Procedure"),
    "action_status": ("Trạng thái", "Status"),
    "cause": ("Nguyên nhân", "Cause"),
    "action": ("Hành động khắc phục", "Corrective action"),
    "due": ("Hạn hoàn thành", "Due"),
    "met_now": ("Kỳ này đạt?", "Met now?"),
    "period_label": ("Kỳ báo cáo", "Period"),
    "generated": ("Lập lúc", "Generated"),
    "files": ("Tệp dữ liệu", "Input files"),
    "overdue": ("quá hạn", "overdue"),
    "month": ("Tháng", "Month"),
    "months": ("Các tháng", "Months"),
    "yes": ("Đạt", "Met"),
    "no": ("Không đạt", "Not met"),
    "unknown": ("–", "–"),
    "total": ("Tổng cộng", "Total"),
    "no_number": ("TT", "No."),
    "field": ("Lĩnh vực", "Field"),
    "lcl": ("Giới hạn dưới", "Lower limit"),
    "ucl": ("Giới hạn trên", "Upper limit"),
    "centre": ("Đường trung tâm p̄", "Centre p̄"),
    "contributors": ("Đóng góp nhiều nhất", "Largest contributors"),
    "to_fill": ("(cần điền)", "(to be filled in)"),
    "preventive": ("Biện pháp phòng ngừa", "Preventive measures"),
    "missing_count": ("Số tháng thiếu", "Months missing"),
    "late_count": ("hồ sơ trễ", "late"),
    "target_line": ("Mục tiêu", "Target"),
    "axis_rate": ("Tỷ lệ (%)", "Rate (%)"),
    "axis_month_ticks": ("Tháng, năm {years} (T1 … T12: tháng 1 … tháng 12)", "Month, {years} (Jan … Dec)"),
    "axis_volume": ("Số hồ sơ (thang log)", "Dossiers (log scale)"),
    "legend_trend": (
        "Đường liền, chấm tròn: giá trị từng tháng; nét chấm: đường trung tâm p̄ (tỷ lệ của cả kỳ); bậc thang "
        "liền: giới hạn kiểm soát p′ của Laney (3 sigma); nét gạch dài: mục tiêu; ô vuông rỗng: tháng ngoài "
        "giới hạn kiểm soát (tín hiệu); phần giới hạn vượt ra ngoài trục (tháng ít hồ sơ) không "
        "được vẽ; T1 … T12: tháng 1 … tháng 12.",
        "Solid line with dots: each month's value; dotted: centre p̄ (the whole period's rate); solid steps: "
        "Laney p′ control limits (3 sigma); long dashes: target; open squares: months outside the limits (signals); "
        "a month's limit beyond the axis (a month of few dossiers) is not drawn; Jan … Dec: the months.",
    ),
    "legend_funnel": (
        "Mỗi điểm là một đơn vị, đánh số như danh sách dưới biểu đồ; trục ngang: số hồ sơ (thang log); nét "
        "chấm ngắn: giới hạn 95 %; nét liền: giới hạn 99,8 %; nét gạch dài: mục tiêu; ô vuông rỗng: đơn vị "
        "ngoài giới hạn 99,8 %.",
        "Each point is a unit, numbered as in the key below the chart; across: dossiers (log scale); short "
        "dashes: 95 % limits; solid: 99.8 % limits; long dashes: target; open squares: units outside the "
        "99.8 % limits.",
    ),
    "drafts_note": (
        "Các hành động khắc phục dưới đây còn là DỰ THẢO: nguyên nhân và hành động chưa được điền. "
        'Đơn vị chủ trì điền bằng lệnh: qms actions update SỐ --cause "…" --action "…" --status open',
        "The corrective actions below are DRAFTS: their cause and action are not filled in yet. "
        'The owner fills them with: qms actions update NUMBER --cause "…" --action "…" --status open',
    ),
    "no_store_actions": (
        "Chưa có hành động khắc phục trong kho dữ liệu: mỗi chỉ tiêu không đạt ở trên cần một hành động "
        "(chạy qms evaluate có lưu kho, rồi qms actions update).",
        "No corrective action in the store yet: each shortfall above needs one "
        "(run qms evaluate with a store, then qms actions update).",
    ),
    "preventive_note": (
        "Đối với các chỉ tiêu đạt, đơn vị duy trì và đề xuất biện pháp phòng ngừa (Quyết định 784, mục 4).",
        "For the objectives met, keep them up and propose preventive measures (Decision 784, section 4).",
    ),
    "abbreviations": ("Chữ viết tắt", "Abbreviations"),
    "abbrev_list": (
        "MT: mục tiêu; T1 … T12: tháng 1 … tháng 12; KTC: khoảng tin cậy; p̄: tỷ lệ của cả kỳ; p′: biểu đồ kiểm "
        "soát tỷ lệ hiệu chỉnh của "
        "Laney; đpt: điểm phần trăm; n: số hồ sơ; HTQLCL: hệ thống quản lý chất lượng; ISO: Tổ chức Tiêu chuẩn "
        "hóa Quốc tế.",
        "Obj.: objective; CI: confidence interval; p̄: the whole period's rate; p′: Laney's adjusted proportion "
        "control chart; pp: percentage points; n: number of dossiers; QMS: quality management system; ISO: "
        "International Organization for Standardization.",
    ),
    "method_limits": (
        "Giới hạn của biểu đồ phễu là giới hạn nhị thức chính xác: phân vị 0,1 % và 99,9 % (99,8 %), 2,5 % và "
        "97,5 % (95 %) của phân phối nhị thức B(n; p̄) với n là số hồ sơ của đơn vị và p̄ là tỷ lệ chung, "
        "chia cho n (không dùng xấp xỉ chuẩn, vốn đánh dấu sai các phường ít hồ sơ). Khoảng tin cậy 95 % của "
        "từng tỷ lệ là khoảng Wilson; biểu đồ kiểm soát theo tháng là biểu đồ p′ của Laney (giới hạn 3 sigma).",
        "The funnel plot's limits are exact binomial limits: the 0.1 % and 99.9 % (99.8 %), 2.5 % and 97.5 % "
        "(95 %) quantiles of the binomial distribution B(n, p̄), n the unit's dossiers and p̄ the overall "
        "rate, divided by n (not the normal approximation, which flags small wards wrongly). Each rate's 95 % "
        "interval is Wilson's; the monthly control charts are Laney's p′ (3-sigma limits).",
    ),
    "points": ("điểm phần trăm", "percentage points"),
    "sheet_summary": ("Tổng hợp", "Summary"),
    "no_procedure": ("sổ không ghi tên thủ tục", "no procedure named in the book"),
    "sheet_units": ("Đơn vị", "Units"),
    "sheet_problems": ("Vấn đề dữ liệu", "Data problems"),
    "sheet_monthly": ("Theo tháng", "Monthly"),
    "sheet_shortfalls": ("Chưa đạt và khắc phục", "Shortfalls and actions"),
}

# ---------------------------------------------------------------------------------------------------
# Sentences of the command line (stderr) and of the engine.
SENTENCES: dict[str, tuple[str, str]] = {
    "rows_summary": (
        "qms: {files} tệp; đọc {read} dòng = nhận {accepted} + loại {rejected} + bỏ qua {skipped};"
        " bị bản xuất sau thay thế {superseded}",
        "qms: {files} file(s); rows read {read} = accepted {accepted} + rejected {rejected} + skipped {skipped};"
        " superseded by a later export {superseded}",
    ),
    "rows_rejected": (
        "qms: {rejected} dòng bị loại; xem phần chất lượng dữ liệu",
        "qms: {rejected} row(s) rejected; see the data-quality section",
    ),
    "file_problem": ("qms: {path}: {message}", "qms: {path}: {message}"),
    "error": ("qms: lỗi: {message}", "qms: error: {message}"),
    "init_written": (
        "qms: đã ghi {path}. Sửa theo thứ tự: quyết định (decision), năm, đơn vị (units), chỉ tiêu (indicators);"
        " rồi chạy: qms validate THƯ_MỤC_SỔ --objectives {path}",
        "qms: wrote {path}. Edit, in order: decision, year, units, indicators;"
        " then run: qms validate BOOKS_FOLDER --objectives {path}",
    ),
    "internal_error": (
        "qms: lỗi nội bộ của qms ({kind}: {message}); vui lòng báo lại kèm câu lệnh đã chạy;"
        " chạy lại với --debug để xem chi tiết (traceback)",
        "qms: internal error, a defect of qms ({kind}: {message}); please report it with the command;"
        " rerun it with --debug to see the traceback",
    ),
    "progress_reading": ("Đọc tệp", "Reading files"),
    "progress_writing": ("Ghi báo cáo", "Writing the report"),
    "wrote": ("qms: đã ghi {path}", "qms: wrote {path}"),
    "stored": ("qms: đã lưu vào kho {path}", "qms: stored in {path}"),
    "bad_lang": ("--lang nhận vi hoặc en", "--lang takes vi or en"),
    "bad_format": ("--format nhận {choices}", "--format takes {choices}"),
    "district_scope": ("(toàn quận)", "(district)"),
    "valid_since": ("từ {day}", "from {day}"),  # a unit's validity, telling apart two units of one name
    "valid_until": ("đến {day}", "until {day}"),
    "action_line": (
        "#{id} {period} · {indicator} · {unit} · thiếu {gap} · trách nhiệm: {owner} · hạn {due} · {status}",
        "#{id} {period} · {indicator} · {unit} · short by {gap} · owner: {owner} · due {due} · {status}",
    ),
    "action_updated": ("#{id} [{status}] {indicator} · {unit}", "#{id} [{status}] {indicator} · {unit}"),
    "no_actions_listed": ("Không có hành động khắc phục nào.", "No corrective action."),
    "action_required": (
        "phân tích nguyên nhân và đề ra hành động khắc phục (Quyết định 784, mục 3)",
        "cause analysis and corrective action (Decision 784, section 3)",
    ),
    "unsure": ("chưa đủ hồ sơ để kết luận", "too few dossiers to be sure"),
    "unsure_ratings": ("chưa đủ phiếu đánh giá để kết luận", "too few ratings to be sure"),
    "unsure_units": ("chưa đủ số đơn vị để kết luận", "too few units to be sure"),
    "unsure_generic": ("chưa đủ số liệu để kết luận", "too few cases to be sure"),
    "missing_months": ("{unit}: {months}", "{unit}: {months}"),
    "help_lang": (
        "Ngôn ngữ của kết quả và thông báo: vi hoặc en [mặc định: biến QMS_LANG, không có thì vi].",
        "Language of output and messages: vi or en [default: $QMS_LANG, else vi].",
    ),
}

# ---------------------------------------------------------------------------------------------------
# Faults of the store and of the machine (errors.Phrase keys: the CLI says them in the run's language),
# and the lines of --log-file. {path} is the store, file or folder; {detail} the driver's own words.
FAULTS: dict[str, tuple[str, str]] = {
    "fault": ("{path}: {reason}{other}", "{path}: {reason}{other}"),
    "fault_doing": ("{path}: {doing}: {reason}{other}", "{path}: {doing}: {reason}{other}"),
    "reason_disk_full": (
        "ổ đĩa đã đầy (hết chỗ trống trên thiết bị)",
        "the disk is full (no space left on the device)",
    ),
    "reason_quota": ("đã vượt hạn mức dung lượng đĩa", "the disk quota is exceeded"),
    "reason_too_big": (
        "tệp sẽ lớn hơn mức hệ thống cho phép (ổ đĩa đầy đối với tiến trình này)",
        "the file would be larger than the system allows (disk full for this process)",
    ),
    "reason_denied": ("không có quyền truy cập", "permission denied"),
    "reason_not_permitted": ("thao tác không được phép", "operation not permitted"),
    "reason_read_only": ("hệ thống tệp chỉ cho phép đọc", "the file system is read-only"),
    "doing_lock_file": ("không tạo được tệp khóa của kho dữ liệu", "the store's lock file cannot be made"),
    "doing_log_file": ("không ghi được tệp nhật ký", "the log file cannot be written"),
    "doing_output": ("không ghi được tệp kết quả", "the output cannot be written"),
    "store_missing": (
        "{path}: không có kho dữ liệu này; hãy chỉ ra kho mà qms evaluate đã ghi (--store)",
        "{path}: no such store; name the store that qms evaluate wrote (--store)",
    ),
    "store_not_regular": (
        "{path}: không phải kho dữ liệu của qms (không phải tệp thông thường)",
        "{path}: not a qms store (not a regular file)",
    ),
    "store_not_sqlite": (
        "{path}: không phải kho dữ liệu của qms (không phải cơ sở dữ liệu SQLite); hãy chỉ ra tệp khác bằng --store",
        "{path}: not a qms store (not an SQLite database); name another file with --store",
    ),
    "store_foreign": (
        "{path}: không phải kho dữ liệu của qms (cơ sở dữ liệu SQLite của một chương trình khác)",
        "{path}: not a qms store (an SQLite database of another program)",
    ),
    "store_newer": (
        "{path}: kho do phiên bản qms mới hơn tạo ra (lược đồ {version}); hãy cập nhật qms",
        "{path}: made by a newer qms (schema {version}); update qms",
    ),
    "store_corrupt": (
        "{path}: kho dữ liệu bị hỏng (trang dữ liệu hỏng); hãy khôi phục từ bản sao lưu",
        "{path}: the store is damaged (corrupt page); restore it from a backup",
    ),
    "store_undecodable": (
        "{path}: kho dữ liệu bị hỏng ({detail}); hãy khôi phục từ bản sao lưu",
        "{path}: the store is damaged ({detail}); restore it from a backup",
    ),
    "store_disk_full": (
        "{path}: ổ đĩa đã đầy; kho dữ liệu không bị thay đổi",
        "{path}: the disk is full; nothing was changed in the store",
    ),
    "store_read_only": (
        "{path}: kho dữ liệu hoặc thư mục chứa nó chỉ cho phép đọc; không có gì bị thay đổi",
        "{path}: the store or its folder is read-only; nothing was changed",
    ),
    "store_cannot_open": (
        "{path}: không mở hoặc ghi được kho dữ liệu ({detail}); hãy kiểm tra quyền truy cập",
        "{path}: the store cannot be opened or written ({detail}); check the permissions",
    ),
    "store_used_elsewhere": (
        "{path} đang được một chương trình khác sử dụng; không có gì bị thay đổi",
        "{path} is in use by another program; nothing was changed",
    ),
    "store_busy": (
        "{path} đang được một lần chạy qms khác sử dụng; không có gì bị thay đổi (chờ bằng --wait SỐ_GIÂY)",
        "{path} is in use by another qms run; nothing was changed (wait for it with --wait SECONDS)",
    ),
    "store_failed": ("{path}: kho dữ liệu gặp lỗi: {detail}", "{path}: the store failed: {detail}"),
    "store_bad_status": ("trạng thái nhận một trong các giá trị {choices}", "status takes {choices}"),
    "store_no_action": ("không có hành động khắc phục #{id}", "no corrective action #{id}"),
    "store_data_alone": (
        "qms: lưu ý: {path} không tồn tại: báo cáo chỉ lập từ --data",
        "qms: note: {path} does not exist: the report is made from --data alone",
    ),
    "pg_no_driver": (
        'kho dữ liệu PostgreSQL cần trình điều khiển psycopg: pip install "qms-cli[postgresql]"',
        'a PostgreSQL store needs the psycopg driver: pip install "qms-cli[postgresql]"',
    ),
    "pg_cannot_open": (
        "{path}: không mở được kho dữ liệu PostgreSQL ({detail})",
        "{path}: cannot open the PostgreSQL store ({detail})",
    ),
    "pg_cannot_set_up": (
        "{path}: không tạo được các bảng của qms ({detail})",
        "{path}: cannot set up the qms tables ({detail})",
    ),
    "pg_failed": (
        "{path}: kho dữ liệu PostgreSQL gặp lỗi ({detail}); không có gì bị thay đổi",
        "{path}: the PostgreSQL store failed ({detail}); nothing was changed",
    ),
    "log_error": ("lỗi, mã thoát {status}: {message}", "error, exit {status}: {message}"),
    "log_evaluated": (
        "kỳ {period}: {files} tệp, {shortfalls} chỉ tiêu chưa đạt, {unreadable} tệp không đọc được; mã thoát {status}",
        "period {period}: {files} file(s), {shortfalls} shortfall(s), {unreadable} unreadable file(s); exit {status}",
    ),
    # Errors of use and of input (exit 2 and 3), said in the run's language.
    "no_input_files": (
        "không tìm thấy tệp .xlsx, .xls hay .csv nào trong {paths}",
        "no .xlsx, .xls or .csv file found in {paths}",
    ),
    "no_usable_rows": (
        "không có dòng hồ sơ nào dùng được; xem báo cáo chất lượng dữ liệu (qms validate)",
        "no usable dossier row in the inputs; see the data-quality report (qms validate)",
    ),
    "no_dates": (
        "dữ liệu không có ngày tháng: hãy nêu kỳ báo cáo bằng --period",
        "the inputs carry no dates: name the period with --period",
    ),
    "nothing_to_report": (
        "không có gì để báo cáo: kho dữ liệu trống và không có --data",
        "nothing to report: the store is empty and no --data was given",
    ),
    "unknown_formats": ("định dạng là {known}; nhận được {got}", "formats are {known}; got {got}"),
    "no_06a_records": (
        "kết quả này không được tính trong tiến trình này: Biểu 06a cần các bản ghi của nó",
        "this evaluation was not counted in this process: Biểu 06a needs its records",
    ),
    "unknown_example": (
        "--example {example} không phải là một trong: {known}",
        "--example {example} is not one of: {known}",
    ),
    "file_exists": (
        "{path} đã có: hãy chọn tên khác, hoặc dùng --force để ghi đè",
        "{path} exists already: choose another name, or --force to replace it",
    ),
    "cannot_write": ("{path}: không ghi được ({reason})", "{path}: cannot be written ({reason})"),
    "period_backwards": ("kỳ {period} kết thúc trước khi bắt đầu", "period {period} ends before it starts"),
    "unknown_period": (
        "không hiểu kỳ {period}; hãy viết theo một trong các dạng: {grammar}",
        "unknown period {period}; write one of: {grammar}",
    ),
    "unknown_rule": ("không có quy tắc {rule}; các quy tắc là: {known}", "unknown rule {rule}; rules are: {known}"),
    "rule_not_allowed": (
        "quy tắc {rule}={value} không được phép; {rule} nhận: {allowed}",
        "rule {rule}={value} is not allowed; {rule} takes: {allowed}",
    ),
    "objectives_unreadable": (
        "{path}: không đọc được tệp mục tiêu ({reason})",
        "{path}: cannot read the objectives file ({reason})",
    ),
    "objectives_line": ("{path}, dòng {line}: {detail}", "{path}, line {line}: {detail}"),
    "objectives_not_yaml": ("{path}: không phải YAML hợp lệ: {detail}", "{path}: not valid YAML: {detail}"),
    "objectives_not_mapping": (
        "{path}: cấp trên cùng phải là một bảng khóa: giá trị",
        "{path}: expected a mapping at the top level",
    ),
    "objectives_invalid": (
        "{path}: tệp mục tiêu không hợp lệ:\n{detail}",
        "{path}: invalid objectives file:\n{detail}",
    ),
    "catalogue_not_a_file": (
        "{path}, dòng {line}: procedure_catalogue: {where} không phải là một tệp",
        "{path}, line {line}: procedure_catalogue: {where} is not a file",
    ),
    "catalogue_unreadable": (
        "procedure_catalogue: {path}: {reason}",
        "procedure_catalogue: {path}: {reason}",
    ),
    "catalogue_wrong_kind": (
        "procedure_catalogue: {path} không phải danh mục thủ tục"
        " (Mã thủ tục, Tên thủ tục, Mức độ, Thời hạn giải quyết)",
        "procedure_catalogue: {path} is not a procedure catalogue"
        " (Mã thủ tục, Tên thủ tục, Mức độ, Thời hạn giải quyết)",
    ),
    "vocabulary_not_yaml": ("{where}: không phải tệp YAML: {detail}", "{where}: not a YAML file: {detail}"),
    "vocabulary_not_mapping": (
        "{where}: tệp từ vựng là một bảng các mục (headers, statuses, channels, …)",
        "{where}: a vocabulary file is a mapping of sections (headers, statuses, channels, …)",
    ),
    "vocabulary_unreadable": (
        "{where}: không đọc được tệp từ vựng ({reason})",
        "{where}: the vocabulary file cannot be read ({reason})",
    ),
    "vocabulary_invalid": ("{where}: {detail}", "{where}: {detail}"),
    "rule_not_key_value": (
        "viết KHÓA=GIÁ_TRỊ, ví dụ on_time_denominator=received; không phải {got}",
        "KEY=VALUE, e.g. on_time_denominator=received; got {got}",
    ),
    "report_formats_unknown": ("{wrong}: các định dạng là {allowed}", "{wrong}: the formats are {allowed}"),
    "no_online_level": (
        "online_level {value} không chỉ mức độ trực tuyến nào (3, 4, hoặc từ của một quy định về mức độ)",
        "online_level {value} names no online level (3, 4, or the words of a level rule)",
    ),
}

# ---------------------------------------------------------------------------------------------------
# The command-line framework's usage errors (exit 2), in the words of the run's language (qms_cli.usage).
# The English is the framework's own, which an English run shows unchanged.
USAGE: dict[str, tuple[str, str]] = {
    "usage_error": ("Lỗi: {message}", "Error: {message}"),
    "usage_hint": ("Xem '{command} {option}' để được trợ giúp.", "Try '{command} {option}' for help."),
    "usage_bad_value": ("giá trị không hợp lệ cho {param}: {detail}", "Invalid value for {param}: {detail}"),
    "usage_bad_value_bare": ("giá trị không hợp lệ: {detail}", "Invalid value: {detail}"),
    "usage_missing": ("thiếu {kind} {param}.", "Missing {kind} {param}."),
    "usage_missing_bare": ("thiếu {kind}.", "Missing {kind}."),
    "usage_kind_argument": ("đối số", "argument"),
    "usage_kind_option": ("tùy chọn", "option"),
    "usage_kind_parameter": ("tham số", "parameter"),
    "usage_no_option": ("không có tùy chọn {option}", "No such option: {option}"),
    "usage_possible_options": ("(các tùy chọn gần giống: {options})", "(Possible options: {options})"),
    "usage_no_command": ("không có lệnh {command}.", "No such command {command}."),
    "usage_did_you_mean": ("Có phải ý bạn là {names}?", "Did you mean {names}?"),
    "usage_missing_command": ("thiếu lệnh.", "Missing command."),
    "usage_extra_arguments": ("thừa đối số: {arguments}", "Got unexpected extra argument(s) ({arguments})"),
    "usage_needs_value": ("tùy chọn {option} cần một giá trị.", "Option {option} requires an argument."),
    "usage_needs_values": ("tùy chọn {option} cần {count} giá trị.", "Option {option} requires {count} arguments."),
    "usage_takes_no_value": ("tùy chọn {option} không nhận giá trị.", "Option {option} does not take a value."),
    "usage_not_one_of": ("{value} không phải một trong các giá trị {choices}.", "{value} is not one of {choices}."),
    "usage_integer": ("cần một số nguyên, không phải {value}", "Input should be a valid integer, not {value}"),
    "usage_number": ("cần một số, không phải {value}", "Input should be a valid number, not {value}"),
    "usage_at_least": ("cần lớn hơn hoặc bằng {limit}", "Input should be greater than or equal to {limit}"),
    "usage_more_than": ("cần lớn hơn {limit}", "Input should be greater than {limit}"),
    "usage_at_most": ("cần nhỏ hơn hoặc bằng {limit}", "Input should be less than or equal to {limit}"),
    "usage_less_than": ("cần nhỏ hơn {limit}", "Input should be less than {limit}"),
    "usage_path_missing": ("{kind} {path} không tồn tại.", "{kind} {path} does not exist."),
    "usage_path_is_file": ("{kind} {path} là một tệp.", "{kind} {path} is a file."),
    "usage_path_is_folder": ("{kind} {path} là một thư mục.", "{kind} {path} is a directory."),
    "usage_path_unreadable": ("không đọc được {kind} {path}.", "{kind} {path} is not readable."),
    "usage_path_unwritable": ("không ghi được vào {kind} {path}.", "{kind} {path} is not writable."),
    "usage_kind_file": ("tệp", "file"),
    "usage_kind_dir": ("thư mục", "dir"),
    "usage_kind_path": ("đường dẫn", "path"),
    "usage_env_var": ("(biến môi trường: {name})", "(env var: {name})"),
}

_TABLES: tuple[dict[str, tuple[str, str]], ...] = (LABELS, SENTENCES, FAULTS, USAGE)


def resolve_lang(lang: str | None = None) -> str:
    """The output language: `lang` if given, else $QMS_LANG, else Vietnamese; ValueError if not vi or en."""
    chosen = (lang or os.environ.get(ENV_VAR) or DEFAULT_LANG).strip().lower()
    if chosen not in LANGS:
        raise ValueError(SENTENCES["bad_lang"][0 if DEFAULT_LANG == "vi" else 1])
    return chosen


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def text(key: str, lang: str, **fields: Any) -> str:
    """The label or sentence `key` in `lang`, with its {fields} filled in; KeyError for an unknown key."""
    for table in _TABLES:
        if key in table:
            words = _pick(table[key], lang)
            return words.format(**fields) if fields else words
    raise KeyError(key)


def labels(lang: str) -> dict[str, str]:
    """Every label of LABELS in `lang`, as a dict for templates (`t.unit`, `t['gap']`)."""
    return {key: _pick(pair, lang) for key, pair in LABELS.items()}


def status_word(status: str, lang: str, symbol: bool = False) -> str:
    """An indicator status in words ("Đạt"), with its greyscale-safe symbol first if asked ("✔ Đạt")."""
    words = _pick(STATUS[status], lang)
    return f"{STATUS_SYMBOL[status]} {words}" if symbol else words


def action_status(status: str | None, lang: str) -> str:
    """A corrective action's status in words; an unknown status is shown as it is, never dropped."""
    if status in ACTION_STATUS:
        return _pick(ACTION_STATUS[status], lang)
    return str(status or "–")


def file_kind(kind: str, lang: str) -> str:
    """The kind of an input file in words ("Sổ theo dõi hồ sơ")."""
    return _pick(FILE_KIND[kind], lang) if kind in FILE_KIND else kind.replace("_", " ")


def severity(level: str, lang: str) -> str:
    """The severity of a data-quality issue in words."""
    return _pick(SEVERITY[level], lang) if level in SEVERITY else level


def unit_name(slug: str | None, names: Mapping[str, str], lang: str) -> str:
    """A unit's display name from its slug; for None or "" the whole scope, `names[""]` if given."""
    if not slug:
        return names.get("", "") or text("district", lang)
    return names.get(slug, slug)


def scope_name(result: Mapping[str, Any], lang: str) -> str:
    """The whole the objectives are set for, by its own name in objectives.yaml ("Phường Bình Tân (toàn
    phường)", a department's own): the label of the whole-scope figures in every report. An evaluation
    stored before qms kept the name gets the neutral word, never a district's."""
    return str(result.get("objectives_file", {}).get("scope") or "") or text("district", lang)


MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date_words(iso: str, lang: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}" if lang == "vi" else f"{int(d)} {MONTHS_EN[int(m) - 1]} {y}"


def period_words(period: Mapping[str, str], lang: str) -> str:
    """A period in words: "6 tháng đầu năm 2019" / "the first half of 2019" for H1-2019, and so on."""
    label = str(period["label"]).upper()
    vi = lang != "en"
    if len(label) == 7 and label[0] == "H" and label[1] in "12":
        year = label[3:]
        if vi:
            return f"6 tháng {'đầu' if label[1] == '1' else 'cuối'} năm {year}"
        return f"the {'first' if label[1] == '1' else 'second'} half of {year}"
    if len(label) == 7 and label[0] == "Q":
        return f"quý {'I II III IV'.split()[int(label[1]) - 1]} năm {label[3:]}" if vi else f"Q{label[1]} {label[3:]}"
    if label.isdigit() and len(label) == 4:
        return f"năm {label}" if vi else label
    if len(label) == 7 and label[4] == "-":
        month = int(label[5:])
        return f"tháng {month} năm {label[:4]}" if vi else f"{MONTHS_EN[month - 1]} {label[:4]}"
    start, end = _date_words(period["start"], lang), _date_words(period["end"], lang)
    return f"từ ngày {start} đến ngày {end}" if vi else f"{start} to {end}"


def month_words(yyyymm: str, lang: str) -> str:
    """A month "2019-03" as "03/2019" (vi) or "March 2019" (en)."""
    year, month = yyyymm[:4], int(yyyymm[5:7])
    return f"{month:02d}/{year}" if lang != "en" else f"{MONTHS_EN[month - 1]} {year}"


def date_words(iso: str, lang: str) -> str:
    """A date "2019-06-30" as "30/06/2019" (vi) or "30 June 2019" (en)."""
    return _date_words(iso, lang)


def fields_of(words: str) -> set[str]:
    """The {fields} a sentence takes (used by the tests to check both languages agree)."""
    return {name for _, name, _, _ in string.Formatter().parse(words) if name}


# ---------------------------------------------------------------------------------------------------
# Numbers as people write them.
def number(value: float, lang: str, decimals: int = 2) -> str:
    """`value` with a decimal comma in Vietnamese (1.234,56) and a point in English (1,234.56)."""
    out = f"{value:,.{decimals}f}"
    if lang != "en":
        out = out.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return out


def percent(value: float | None, lang: str, signed: bool = False) -> str:
    """A fraction as a percentage with two decimals ("98,25 %"), or "–" for None."""
    if value is None:
        return "–"
    out = number(value * 100, lang)
    if signed and round(value * 100, 2) > 0:
        out = "+" + out
    elif out.startswith("-"):
        out = "−" + out[1:]  # a true minus sign
    return f"{out} %"


def target_text(indicator: dict[str, Any], lang: str) -> str:
    """The target as "≥ 98,00 %"; growth carries its sign; a complete transition reads "100 %"."""
    op = {">=": "≥", "<=": "≤"}[indicator["target"]["op"]]
    value = indicator["target"]["value"]
    if indicator["kind"] == "iso_transition" and value >= 1:
        return "100 % " + ("(hoàn thành)" if lang != "en" else "(complete)")
    signed = indicator["kind"] == "received_growth"
    return f"{op} {percent(value, lang, signed)}"


def points(value: float | None, lang: str, short: bool = False) -> str:
    """A difference of two rates in percentage points, signed: "+3,90 điểm phần trăm" ("+3,90 đpt" short)."""
    if value is None:
        return "–"
    out = number(value * 100, lang)
    if round(value * 100, 2) > 0:
        out = "+" + out
    elif out.startswith("-"):
        out = "−" + out[1:]
    unit = ("đpt" if lang != "en" else "pp") if short else text("points", lang)
    return f"{out} {unit}"


# Which "too few to be sure" sentence fits an indicator's kind (ratings are not dossiers).
UNSURE_BY_KIND = {"satisfaction": "unsure_ratings", "inspection_coverage": "unsure_units"}


def unsure(kind: str, lang: str) -> str:
    """The "not met, but too few cases to be sure" note in the words of the indicator's kind."""
    key = UNSURE_BY_KIND.get(kind, "unsure" if kind in ("on_time", "received_share", "returned_share") else "")
    return text(key or "unsure_generic", lang)


# ---------------------------------------------------------------------------------------------------
# Why a figure has no value (engine), and the names of the fields those sentences mention.
REASONS: dict[str, tuple[str, str]] = {
    "no_column": ("sổ không có cột {fields}", "the books have no column for {fields}"),
    "no_baseline": (
        "không có số liệu kỳ gốc: không có bản xuất năm gốc, objectives.yaml cũng không ghi",
        "no baseline: no exports of the baseline period and no figure in objectives.yaml",
    ),
    "empty_baseline": ("kỳ gốc không có hồ sơ loại này", "no dossiers of this kind in the baseline period"),
    "no_dossiers": ("không có hồ sơ trong kỳ", "no dossiers in the period"),
    "satisfaction": (
        "chưa có phiếu khảo sát hài lòng trong dữ liệu vào",
        "no satisfaction survey among the inputs",
    ),
    "inspection_coverage": ("chưa có sổ kiểm tra trong dữ liệu vào", "no inspection register among the inputs"),
    "iso_transition": (
        "chưa có danh sách mốc chuyển đổi trong dữ liệu vào",
        "no list of transition milestones among the inputs",
    ),
}
FIELDS: dict[str, tuple[str, str]] = {
    "unit": ("đơn vị", "unit"),
    "dossier_id": ("mã hồ sơ", "dossier code"),
    "procedure": ("tên thủ tục", "procedure"),
    "field": ("lĩnh vực", "field"),
    "received": ("ngày nhận", "date received"),
    "due": ("ngày hẹn trả", "appointment date"),
    "resolved": ("ngày giải quyết", "date resolved"),
    "result_ready": ("ngày có kết quả", "date of the result"),
    "returned": ("ngày trả kết quả", "date returned"),
    "channel_in": ("hình thức tiếp nhận", "channel received"),
    "online_level": ("mức độ trực tuyến", "online level"),
    "channel_out": ("hình thức trả kết quả", "channel of return"),
    "status": ("tình trạng", "status"),
    "supplement_requested": ("yêu cầu bổ sung", "supplementation requested"),
    "online_l3": ("trực tuyến mức độ 3", "online level 3"),
    "online_l4": ("trực tuyến mức độ 4", "online level 4"),
    "postal_in": ("tiếp nhận qua bưu chính", "received by post"),
    "postal_out": ("trả kết quả qua bưu chính", "returned by post"),
    "supplement": ("yêu cầu bổ sung", "supplementation requested"),
    "received_total": ("tổng số hồ sơ nhận", "dossiers received"),
    "returned_total": ("số hồ sơ đã trả kết quả", "results returned"),
    "resolved_total": ("số hồ sơ đã giải quyết", "dossiers resolved"),
}


def field_words(names: str, lang: str) -> str:
    """Comma-separated field names ("channel_in, online_level") in words; an unknown one in quotes."""
    parts = [n.strip() for n in names.split(",") if n.strip()]
    return ", ".join(_pick(FIELDS[n], lang) if n in FIELDS else f"«{n}»" for n in parts) or "?"


def reason(key: str, lang: str, fields: str = "") -> str:
    """Why a figure has no value, in `lang`."""
    words = _pick(REASONS[key], lang)
    return words.format(fields=field_words(fields, lang)) if "{fields}" in words else words


# ---------------------------------------------------------------------------------------------------
# The help of the commands and options (`qms … --help`), in the language of --lang / QMS_LANG.
def _examples(*commands: str) -> str:
    """A help text's examples, one command a line, kept as written: click rewraps every paragraph
    into one unless it opens with "\\b". A command too long for a terminal of 80 columns goes on
    after " \\" (as a shell reads it), broken before an option, never inside a quoted value."""
    lines = []
    for command in commands:
        units: list[str] = []  # an option with its value, or a word
        for token in re.findall(r'"[^"]*"|\S+', command):
            if units and not token.startswith("-") and units[-1].startswith("-") and " " not in units[-1]:
                units[-1] += " " + token
            else:
                units.append(token)
        line = "  "
        for unit in units:
            if line.strip() and len(line) + 1 + len(unit) > 72:
                lines.append(line + " \\")
                line = "      " + unit
            else:
                line = f"{line} {unit}" if line.strip() else line + unit
        lines.append(line)
    return "\b\n" + "\n".join(lines)


_EVALUATE_EXAMPLES = _examples(
    "qms evaluate sample_data --period H1-2019",
    "qms evaluate exports/ --period 2019 --rule on_time_denominator=received --format json -o h1.json",
    "qms evaluate exports/ --period H1-2019 --format 06a -o bieu-06a-6-thang.csv",
)
_VALIDATE_EXAMPLES = _examples("qms validate so-theo-doi-thang-03.xlsx", "qms validate exports/2019-03/ --strict")
_REPORT_EXAMPLES = _examples(
    "qms report --period H1-2019 --data sample_data --format html,xlsx,docx,md,json -o reports/",
    "qms report --period 2019 --store /srv/qms/qms.sqlite --lang en --format html",
)
_ACTIONS_UPDATE_EXAMPLES = _examples(
    'qms actions update 3 --cause "Thiếu cán bộ" --action "Bổ sung nhân sự bộ phận một cửa" --status open'
)

HELP: dict[str, tuple[str, str]] = {
    "app": (
        "qms: bảng kết quả mục tiêu chất lượng theo Quyết định 784/QĐ-UBND (ISO 9001) từ các bản xuất "
        "sổ theo dõi hồ sơ của các cơ quan, đơn vị và phường.",
        "qms: scorecards of the quality objectives of Decision 784/QĐ-UBND (ISO 9001) "
        "from the dossier-tracking exports of a district's agencies and wards.",
    ),
    "version": ("In số phiên bản rồi thoát.", "Print the version and exit."),
    "debug": (
        "Khi có lỗi nội bộ, in chi tiết (traceback) [hoặc biến QMS_DEBUG=1].",
        "On an internal error, print the traceback [or QMS_DEBUG=1].",
    ),
    "verbose": (
        "In ra stderr những việc qms làm (tệp đã đọc, kỳ, kho); -vv: chi tiết hơn.",
        "Print what qms does on stderr (files read, period, store); -vv: more.",
    ),
    "strict": (
        "Thoát mã 1 cả khi có cảnh báo, không chỉ khi có dòng bị loại.",
        "Exit 1 on a warning too, not only on a rejected row.",
    ),
    "paths": (
        "Tệp (.xlsx, .xls, .csv) hoặc thư mục (tìm cả thư mục con).",
        "Files (.xlsx, .xls, .csv) or folders, searched recursively.",
    ),
    "objectives": (
        "Tệp mục tiêu [mặc định: ./objectives.yaml, không có thì bản kèm theo qms].",
        "The objectives file [default: ./objectives.yaml, else the copy shipped with qms].",
    ),
    "lang": SENTENCES["help_lang"],
    "quiet": ("Chỉ in các vấn đề ra stderr.", "Print only problems on stderr."),
    "period": (
        "2019, H1-2019, Q2-2019, 2019-03 hoặc 2019-01-01..2019-06-30 "
        "(qms evaluate, khi không ghi: kỳ lịch nhỏ nhất bao các ngày của năm mới nhất).",
        "2019, H1-2019, Q2-2019, 2019-03 or 2019-01-01..2019-06-30 "
        "(qms evaluate without it: the smallest calendar period covering the latest year's dates).",
    ),
    "rule": (
        "Đổi một quy tắc tính cho lần chạy này, KHÓA=GIÁ_TRỊ; dùng được nhiều lần.",
        "Override a counting rule for this run, KEY=VALUE; repeatable.",
    ),
    "format_evaluate": ("table, json, csv hoặc 06a (Biểu 06a).", "table, json, csv or 06a (Biểu 06a)."),
    "format_validate": ("table hoặc json.", "table or json."),
    "format_report": (
        "Các định dạng, cách nhau bằng dấu phẩy: html, xlsx, docx, md, json.",
        "Comma-separated: html, xlsx, docx, md, json.",
    ),
    "output": ("Ghi ra tệp này (ghi trọn vẹn, không bao giờ dở dang).", "Write to this file (atomically)."),
    "store": (
        "Kho lưu dữ liệu đã đọc và hành động khắc phục: một tệp SQLite, hoặc máy chủ PostgreSQL của thành phố "
        "(postgresql://người-dùng@máy-chủ/csdl); hoặc biến QMS_STORE [mặc định: ./qms.sqlite]. "
        "Tệp đã có trong kho không được đọc lại.",
        "The store that keeps what was read and the corrective actions: a SQLite file, or a city's PostgreSQL "
        "server (postgresql://user@host/db); or QMS_STORE [default: ./qms.sqlite]. Files already in it are not "
        "read again.",
    ),
    "no_store": ("Không lưu gì giữa các lần chạy.", "Keep nothing between runs."),
    "fail_on_shortfall": (
        "Thoát mã 1 khi có chỉ tiêu không đạt (cho cron).",
        "Exit 1 when an indicator is not met (for cron).",
    ),
    "wait": (
        "Nếu lần chạy khác đang giữ kho, chờ tối đa SỐ GIÂY (không thì thoát mã 4 ngay).",
        "If another run holds the store, wait up to SECONDS for it (else exit 4 at once).",
    ),
    "log_file": ("Ghi thêm việc đã làm vào tệp này.", "Append what was done to this file."),
    "data": (
        "Tệp hoặc thư mục đọc thêm ngoài kho; dùng được nhiều lần.",
        "Files or folders to read besides the store; repeatable.",
    ),
    "output_dir": ("Thư mục ghi các tệp báo cáo.", "Where to write the files."),
    "actions": (
        "Hành động khắc phục (ISO 9001 mục 10.2): xem, điền, đóng.",
        "Corrective actions (ISO 9001 §10.2): list, fill in, close.",
    ),
    "actions_period": ("Chỉ các hành động của kỳ này.", "Only this period's actions."),
    "action_id": ("Số của hành động, xem bằng qms actions list.", "The action's number, from `qms actions list`."),
    "cause": ("Nguyên nhân đã xác định.", "The cause found."),
    "action": ("Hành động khắc phục đã quyết định.", "The corrective action decided."),
    "status": (
        "draft (dự thảo), open (đang thực hiện), done (đã thực hiện) hoặc closed (đã đóng).",
        "draft, open, done or closed.",
    ),
    "effectiveness": (
        "Khi đóng: hành động có hiệu quả không? (ISO 9001 mục 10.2.1 d)",
        "Closing: was the action effective? (ISO 9001 §10.2.1 d)",
    ),
    "cmd_evaluate": (
        "Tính kết quả các mục tiêu chất lượng từ bản xuất hằng tháng và lưu vào kho ./qms.sqlite.\n\n"
        "Ví dụ:\n\n" + _EVALUATE_EXAMPLES,
        "Score the quality objectives from monthly exports and keep them in the store ./qms.sqlite.\n\n"
        "Examples:\n\n" + _EVALUATE_EXAMPLES,
    ),
    "cmd_init": (
        "Ghi một tệp mục tiêu có chú thích để bắt đầu (bản sao của ví dụ kèm theo qms): mặc định ví dụ"
        " quyết định năm 2026 của một phường; --example 2019 cho Quyết định 784 của quận (2019).\n\n"
        "Ví dụ:\n\n" + _examples("qms init", "qms init muc-tieu-2026.yaml"),
        "Write a commented objectives file to start from (a copy of an example shipped with qms): by default"
        " a ward's 2026 decision; --example 2019 for the district's Decision 784 (2019).\n\n"
        "Examples:\n\n" + _examples("qms init", "qms init objectives-2026.yaml"),
    ),
    "init_output": ("Tệp sẽ ghi [mặc định: ./objectives.yaml].", "The file to write [default: ./objectives.yaml]."),
    "init_example": ("Ví dụ để chép: 2026-ward hoặc 2019.", "The example to copy: 2026-ward or 2019."),
    "init_force": ("Ghi đè tệp đã có.", "Replace a file that exists."),
    "cmd_validate": (
        "Kiểm tra bản xuất trước khi gửi: đếm dòng và mọi dòng bị loại, không tính điểm. Thoát mã 0 khi mọi"
        " dòng được nhận, 1 khi có dòng bị loại (với --strict: cả khi có cảnh báo), 3 khi có tệp không đọc được.\n\n"
        "Ví dụ:\n\n" + _VALIDATE_EXAMPLES,
        "Check exports before sending them: row accounting and every rejected row, no scoring. Exits 0 when"
        " every row is accepted, 1 when a row is rejected (with --strict: on a warning too), 3 when a file"
        " cannot be read at all.\n\n"
        "Examples:\n\n" + _VALIDATE_EXAMPLES,
    ),
    "cmd_report": (
        "Lập báo cáo tổng hợp cho Ban Chỉ đạo ISO từ kho và/hoặc các tệp.\n\nVí dụ:\n\n" + _REPORT_EXAMPLES,
        "Write the consolidated report for the ISO Steering Committee from the store and/or files.\n\n"
        "Examples:\n\n" + _REPORT_EXAMPLES,
    ),
    "cmd_actions_list": (
        "Liệt kê các hành động khắc phục mà các chỉ tiêu không đạt đã mở.\n\n"
        "Ví dụ:\n\n" + _examples("qms actions list --period H1-2019"),
        "List the corrective actions that shortfalls opened.\n\nExample:\n\n"
        + _examples("qms actions list --period H1-2019"),
    ),
    "cmd_actions_update": (
        "Điền nguyên nhân và hành động khắc phục, đổi trạng thái hoặc đóng hành động.\n\n"
        "Ví dụ:\n\n" + _ACTIONS_UPDATE_EXAMPLES,
        "Fill in the cause and action of a corrective action, change its status, or close it.\n\n"
        "Example:\n\n" + _ACTIONS_UPDATE_EXAMPLES,
    ),
}


def argv_lang(argv: list[str]) -> str:
    """The language a command line asks for (`--lang en`, `--lang=en`), else $QMS_LANG, else vi.

    The help is built before the options are parsed, so it reads the command line itself; an
    unknown value falls back to the default here and is refused by the option's own check.
    """
    asked = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            asked = argv[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.split("=", 1)[1]
    try:
        return resolve_lang(asked)
    except ValueError:
        return DEFAULT_LANG


def help_text(key: str, lang: str) -> str:
    """The help of a command or option in `lang`."""
    return _pick(HELP[key], lang)


# ---------------------------------------------------------------------------------------------------
# Counting rules and what each indicator counts, in words (the methods section, the rules line).
RULE_NAMES: dict[str, tuple[str, str]] = {
    "on_time_denominator": ("mẫu số của tỷ lệ đúng hạn", "on-time denominator"),
    "completion": ("ngày hoàn thành", "completion date"),
    "withdrawn_count_as_on_time": ("hồ sơ rút tính là đúng hạn", "withdrawn counted as on time"),
    "period_cutoff": ("cách chốt kỳ", "period cut-off"),
    "supplement_clock": ("thời hạn khi bổ sung", "clock on supplementation"),
    "l3_growth": ("tăng trưởng mức độ 3", "level-3 growth"),
    "satisfaction_pool": ("gộp phiếu hài lòng", "satisfaction pooling"),
    "extension": ("gia hạn thời hạn giải quyết (Mẫu 04)", "extension of the time limit (Mẫu 04)"),
    "earliest_year": ("ngày hợp lý từ năm", "plausible dates from the year"),
    "latest_days_after_run": ("ngày hợp lý đến số ngày sau ngày chạy", "plausible dates up to days after the run"),
}
RULE_VALUES: dict[str, tuple[str, str]] = {
    "resolved": ("hồ sơ đã giải quyết trong kỳ", "dossiers resolved in the period"),
    "resolved_and_overdue": (
        "hồ sơ đã giải quyết và hồ sơ quá hạn chưa giải quyết",
        "dossiers resolved and dossiers pending overdue",
    ),
    "due": ("hồ sơ đến hạn trong kỳ", "dossiers due in the period"),
    "received": ("hồ sơ tiếp nhận trong kỳ", "dossiers received in the period"),
    "result_ready": ("ngày có kết quả (không có thì ngày trả)", "result ready (else returned)"),
    "returned": ("ngày trả kết quả", "date returned"),
    "calendar": ("theo tháng dương lịch", "calendar months"),
    "decree-09-2019": ("Nghị định 09/2019 (ngày 15 đến ngày 14)", "Decree 09/2019 (15th to 14th)"),
    "as_recorded": ("theo ngày hẹn ghi trong sổ", "the appointment date as recorded"),
    "relative": ("tỷ lệ tăng so với kỳ gốc", "relative to the baseline"),
    "share_points": ("chênh lệch tỷ trọng (điểm phần trăm)", "difference of shares (points)"),
    "pooled": ("gộp mọi phiếu", "all ratings pooled"),
    "mean_of_sources": ("trung bình các nguồn", "mean of the sources"),
    "true": ("có", "yes"),
    "false": ("không", "no"),
    "ignore": ("không tính, theo ngày hẹn ban đầu", "ignored: the original appointment"),
    "accept_approved": ("tính ngày hẹn mới khi có ngày phê duyệt gia hạn", "the new date where its approval is dated"),
    "receiving_unit": ("đơn vị tiếp nhận", "the receiving unit"),
    "resolving_agency": ("cơ quan giải quyết", "the resolving agency"),
}
MATCH_WORDS: dict[str, tuple[str, str]] = {
    "supplement_requested=True": ("có yêu cầu bổ sung", "with a supplementation request"),
    "online_level=3": ("trực tuyến mức độ 3", "online at level 3"),
    "online_level=4": ("trực tuyến mức độ 4", "online at level 4"),
    "channel_in=postal": ("tiếp nhận qua bưu chính", "received by post"),
    "channel_out=postal": ("trả kết quả qua bưu chính", "returned by post"),
    "online_level=toàn trình": ("trực tuyến toàn trình", "fully online (toàn trình)"),
    "online_level=một phần": ("trực tuyến một phần", "partly online (một phần)"),
    "digitised_dossier=True": ("được số hóa hồ sơ", "with the dossier digitised"),
    "digitised_result=True": ("được số hóa kết quả", "with the result digitised"),
}
METHODS: dict[str, tuple[str, str]] = {
    "on_time": (
        "số hồ sơ hoàn thành trước hoặc đúng ngày hẹn ÷ {rule}; hồ sơ rút, bị từ chối và hồ sơ không có "
        "ngày hẹn không tính",
        "dossiers completed on or before their appointment date ÷ {rule}; withdrawn, refused and undated "
        "dossiers left out",
    ),
    "received_share": (
        "số hồ sơ tiếp nhận trong kỳ {match} ÷ số hồ sơ tiếp nhận trong kỳ (trừ hồ sơ bị từ chối)",
        "dossiers received in the period {match} ÷ dossiers received (refused left out)",
    ),
    "returned_share": (
        "số kết quả trả trong kỳ {match} ÷ số kết quả trả trong kỳ",
        "results returned in the period {match} ÷ results returned in the period",
    ),
    "received_growth": (
        "(số hồ sơ tiếp nhận trong kỳ {match} ÷ số hồ sơ như vậy cùng kỳ năm gốc) − 1",
        "(dossiers received in the period {match} ÷ the same in the baseline period) − 1",
    ),
    "satisfaction": (
        "số lượt đánh giá hài lòng, rất hài lòng hoặc 4–5 sao ÷ số lượt đánh giá hợp lệ trong kỳ",
        "satisfied, very satisfied or 4-5 star ratings ÷ valid ratings in the period",
    ),
    "inspection_coverage": (
        "số cơ quan, đơn vị được kiểm tra từ đầu năm đến cuối kỳ ÷ số đơn vị trong danh mục",
        "units inspected from 1 January to the end of the period ÷ units in the registry",
    ),
    "iso_transition": (
        "số mốc hoàn thành đến cuối kỳ ÷ tổng số mốc của kế hoạch chuyển đổi",
        "milestones done by the end of the period ÷ all milestones of the transition plan",
    ),
}


def rule_words(name: str, value: object, lang: str) -> str:
    """A counting rule and its value in words ("mẫu số của tỷ lệ đúng hạn: hồ sơ đã giải quyết trong kỳ")."""
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    label = _pick(RULE_NAMES[name], lang) if name in RULE_NAMES else name
    return f"{label}: {_pick(RULE_VALUES[shown], lang) if shown in RULE_VALUES else shown}"


def match_words(match: Mapping[str, object], lang: str) -> str:
    """What an indicator's numerator matches, in words; an unknown condition as it is written."""
    parts = []
    for key, value in match.items():
        code = f"{key}={value}"
        parts.append(_pick(MATCH_WORDS[code], lang) if code in MATCH_WORDS else code)
    return ", ".join(parts)


def method(kind: str, lang: str, rule: str, match: Mapping[str, object]) -> str:
    """How an indicator of `kind` is counted, in words."""
    words = _pick(METHODS[kind], lang) if kind in METHODS else kind
    return words.format(rule=_pick(RULE_VALUES.get(rule, (rule, rule)), lang), match=match_words(match, lang))


# ---------------------------------------------------------------------------------------------------
# The Word report (Decree 30/2020/NĐ-CP): the words around the issuer's own, which come from objectives.yaml.
DOCUMENT: dict[str, tuple[str, str]] = {
    "nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
    "motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "number": ("Số:       /{symbol}", "No.:       /{symbol}"),
    "place_date": ("{place}, ngày      tháng      năm {year}", "{place}, ...... {year}"),
    "report": ("BÁO CÁO", "REPORT"),
    "title": ("Kết quả thực hiện mục tiêu chất lượng {period}", "Results of the quality objectives for {period}"),
    "basis": (
        "Căn cứ Quyết định số {decision} ngày {date} của {decision_issuer} về {decision_title}; "
        "{issuer} báo cáo kết quả thực hiện mục tiêu chất lượng {period} như sau:",
        "Under Decision {decision} of {date} of the {decision_issuer} on the {decision_title}, "
        "the {issuer} reports the results of the quality objectives for {period}:",
    ),
    "part1": ("I. KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG", "I. RESULTS OF THE QUALITY OBJECTIVES"),
    "results_note": (
        "Kết quả là tỷ lệ tử số trên mẫu số của cả kỳ; chỉ tiêu đang thực hiện là chỉ tiêu tính cộng dồn "
        "đến cuối năm. Kết quả theo từng đơn vị và Biểu 06a có trong bảng tính kèm theo.",
        "Each result is the numerator over the denominator of the whole period; an indicator in progress is "
        "cumulative to the end of the year. The results by unit and Biểu 06a are in the attached workbook.",
    ),
    "part2": (
        "II. NGUYÊN NHÂN VÀ HÀNH ĐỘNG KHẮC PHỤC ĐỐI VỚI CHỈ TIÊU KHÔNG ĐẠT",
        "II. CAUSES AND CORRECTIVE ACTIONS FOR THE INDICATORS NOT MET",
    ),
    "shortfall_heading": (
        "{n}. {title} — {unit}: {value} (mục tiêu {target}; thiếu hụt {short_by}){unsure}",
        "{n}. {title} — {unit}: {value} (target {target}; short by {short_by}){unsure}",
    ),
    "draft_cell": ("dự thảo, chưa điền (hành động số {id})", "draft, not filled in (action no. {id})"),
    "no_action_cell": ("chưa có hành động trong kho dữ liệu", "no action in the store yet"),
    "none": ("Các chỉ tiêu đều đạt.", "Every indicator was met."),
    "part3": ("III. BIỆN PHÁP PHÒNG NGỪA", "III. PREVENTIVE MEASURES"),
    "part4": ("IV. ĐỀ XUẤT, KIẾN NGHỊ", "IV. PROPOSALS"),
    "proposals": (
        "(Đơn vị ghi đề xuất, kiến nghị của mình tại đây.)",
        "(The issuing body writes its proposals here.)",
    ),
    "closing": (
        "Trên đây là báo cáo kết quả thực hiện mục tiêu chất lượng {period} của {issuer}./.",
        "This is the {issuer}'s report on the quality objectives for {period}./.",
    ),
    "recipients": ("Nơi nhận:", "Recipients:"),
    "signer_note": ("(Ký, ghi rõ họ tên, đóng dấu)", "(Signature, full name, seal)"),
}


def document_text(key: str, lang: str, **fields: Any) -> str:
    """A sentence of the Word report in `lang`."""
    words = _pick(DOCUMENT[key], lang)
    return words.format(**fields) if fields else words


# The words the command-line framework writes around our help texts, and their Vietnamese.
HELP_FRAMEWORK: tuple[tuple[str, str], ...] = (
    ("Usage: ", "Cách dùng: "),
    ("Arguments:", "Đối số:"),
    ("Options:", "Tùy chọn:"),
    ("Commands:", "Lệnh:"),
    ("Show this message and exit.", "In trợ giúp này rồi thoát."),
    ("[OPTIONS]", "[TÙY CHỌN]"),
    ("COMMAND [ARGS]...", "LỆNH [ĐỐI SỐ]..."),
    ("[required]", "[bắt buộc]"),
    ("[default: ", "[mặc định: "),
    ("[env var: ", "[biến môi trường: "),
    ("; default: ", "; mặc định: "),
    ("Install completion for the current shell.", "Cài tính năng tự hoàn thành lệnh cho shell đang dùng."),
    (
        "Show completion for the current shell, to copy it or customize the installation.",
        "In mã tự hoàn thành lệnh của shell đang dùng, để chép hoặc tự cài theo ý mình.",
    ),
)


# The placeholders of option values (options.py metavar) and of the paths argument, as words; the
# type typer prints after an argument ("<list[Path]>") is a programmer's, not a reader's.
HELP_METAVARS: tuple[tuple[str, str], ...] = (
    ("FILE|URL", "TỆP|URL"),
    ("KEY=VALUE", "KHÓA=GIÁ_TRỊ"),
    ("SECONDS", "GIÂY"),
    ("FILE", "TỆP"),
    ("PATH", "ĐƯỜNG_DẪN"),
    ("P", "KỲ"),
)


def translate_help(page: str, lang: str) -> str:
    """A help page with the framework's own English words in `lang` (ours are already in it).

    The page is wrapped before it is translated, so the words of a phrase may be split by a line break.
    A placeholder keeps the column of the text after it: spaces are taken or given after it."""
    if lang == "en":
        return page
    for english, vietnamese in HELP_FRAMEWORK:
        words = r"\s+".join(re.escape(word) for word in english.split())
        page = re.sub(words, partial(_kept_break, said=vietnamese.strip()), page)
    page = page.replace(" <list[Path]>", " " * len(" <list[Path]>"))  # the text after it keeps its column
    for english, vietnamese in HELP_METAVARS:
        placeholder = rf"(?<![\w\-.|=<]){re.escape(english)}(?![\w\-|=]) *"
        page = re.sub(placeholder, partial(_same_column, said=vietnamese), page)
    return page


def _same_column(match: re.Match[str], said: str) -> str:
    """`said` in place of a placeholder, the spaces after it changed so that what follows keeps its column
    (one space at least when there were some)."""
    found = match[0]
    spaces = len(found) - len(found.rstrip(" "))
    if not spaces:
        return said
    return said + " " * max(1, len(found) - len(said))


def _kept_break(match: re.Match[str], said: str) -> str:
    """`said` in place of the match, its line breaks (and indents) at the spaces nearest the match's, in proportion."""
    found = match[0]
    spaces = [i for i, ch in enumerate(said) if ch == " "]
    at: dict[int, str] = {}
    for line_break in re.finditer(r"[ ]*\n[ ]*", found) if spaces else ():
        where = line_break.start() / len(found) * len(said)
        at[min(spaces, key=lambda i: abs(i - where))] = line_break[0]
    return "".join(at.get(i, ch) for i, ch in enumerate(said))
