"""Every user-facing word of the renderers, in Vietnamese and English, and number formats."""

from __future__ import annotations

from typing import Any

STATUS = {
    "vi": {
        "met": "✔ Đạt",
        "not_met": "✘ Không đạt",
        "in_progress": "◔ Đang thực hiện",
        "no_data": "– Không có dữ liệu",
    },
    "en": {"met": "✔ Met", "not_met": "✘ Not met", "in_progress": "◔ In progress", "no_data": "– No data"},
}
UNSURE = {"vi": "chưa đủ hồ sơ để kết luận", "en": "too few dossiers to be sure"}
STYLE = {"met": "bold green", "not_met": "bold red", "in_progress": "yellow", "no_data": "dim"}
TEXT = {
    "vi": {
        "heading": "Kết quả thực hiện mục tiêu chất lượng",
        "decision": "Quyết định",
        "period": "Kỳ",
        "rules": "Quy tắc tính",
        "overridden": "đổi cho lần chạy này",
        "district": "Toàn quận",
        "objective": "MT",
        "indicator": "Chỉ tiêu",
        "target": "Mục tiêu",
        "value": "Kết quả",
        "counts": "Tử số / mẫu số",
        "ci": "KTC 95 %",
        "status": "Đánh giá",
        "units": "Theo đơn vị",
        "unit": "Đơn vị",
        "shortfalls": "Chỉ tiêu không đạt: cần phân tích nguyên nhân và hành động khắc phục",
        "none": "Không có chỉ tiêu nào không đạt.",
        "owner": "Trách nhiệm",
        "gap": "Chênh lệch",
        "quality": "Chất lượng dữ liệu",
        "file": "Tệp",
        "sheet": "Trang",
        "read": "Đọc",
        "accepted": "Nhận",
        "rejected": "Loại",
        "skipped": "Bỏ qua",
        "superseded": "Bị thay thế",
        "code": "Mã lỗi",
        "count": "Số dòng",
        "example": "Ví dụ",
        "row": "dòng",
        "column": "cột",
        "missing_due": "thiếu ngày hẹn",
        "units_without_data": "đơn vị không có dữ liệu",
        "reason": "lý do",
        "no_issue": "Không có lỗi dữ liệu.",
        "kind": "Loại",
    },
    "en": {
        "heading": "Quality objectives: results",
        "decision": "Decision",
        "period": "Period",
        "rules": "Counting rules",
        "overridden": "overridden for this run",
        "district": "District",
        "objective": "Obj.",
        "indicator": "Indicator",
        "target": "Target",
        "value": "Value",
        "counts": "Numerator / denominator",
        "ci": "95 % CI",
        "status": "Status",
        "units": "By unit",
        "unit": "Unit",
        "shortfalls": "Shortfalls: each needs a cause and a corrective action",
        "none": "No indicator is short of its target.",
        "owner": "Owner",
        "gap": "Gap",
        "quality": "Data quality",
        "file": "File",
        "sheet": "Sheet",
        "read": "Read",
        "accepted": "Accepted",
        "rejected": "Rejected",
        "skipped": "Skipped",
        "superseded": "Superseded",
        "code": "Code",
        "count": "Rows",
        "example": "Example",
        "row": "row",
        "column": "column",
        "missing_due": "no due date",
        "units_without_data": "units without data",
        "reason": "reason",
        "no_issue": "No data issue.",
        "kind": "Kind",
    },
}


def number(value: float, lang: str, decimals: int = 2) -> str:
    """Return `value` with a decimal comma in Vietnamese (1.234,56) and a point in English (1,234.56)."""
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(value: float | None, lang: str, signed: bool = False) -> str:
    """Return a fraction as a percentage with two decimals ("98,25 %"), or "–" for None."""
    if value is None:
        return "–"
    text = number(value * 100, lang)
    if signed and value > 0:
        text = "+" + text
    return f"{text} %"


def status_text(entry: dict[str, Any], lang: str) -> str:
    text = STATUS[lang][entry["status"]]
    if entry["status"] == "not_met" and entry.get("conclusive") is False:
        text += f" — {UNSURE[lang]}"
    return text


def target_text(indicator: dict[str, Any], lang: str) -> str:
    op = {">=": "≥", "<=": "≤"}[indicator["target"]["op"]]
    signed = indicator["kind"] == "received_growth"
    return f"{op} {percent(indicator['target']['value'], lang, signed)}"


# The row-accounting columns of a data-quality table, as label keys of TEXT.
QUALITY_COLUMNS = ("file", "sheet", "kind", "unit", "read", "accepted", "rejected", "skipped", "superseded")
