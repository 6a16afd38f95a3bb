"""The report as the administrative document of Decree 30/2020/NĐ-CP (docxtpl, templates/report.docx):
national heading, number and place-date line, title, results per objective, causes and corrective
actions for each shortfall, preventive measures, proposals, recipients and signature."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from qms_cli.errors import UsageError
from qms_cli.render.labels import STATUS, number, percent, target_text

WORDS = {lang: {k: v.split(" ", 1)[1] for k, v in labels.items()} for lang, labels in STATUS.items()}  # no symbol


def period_words(period: dict[str, str], lang: str) -> str:
    """'6 tháng đầu năm 2019' for H1-2019, 'năm 2019' for 2019, …"""
    label = period["label"]
    vi = lang == "vi"
    if label.startswith("H1-"):
        return f"6 tháng đầu năm {label[3:]}" if vi else f"the first half of {label[3:]}"
    if label.startswith("H2-"):
        return f"6 tháng cuối năm {label[3:]}" if vi else f"the second half of {label[3:]}"
    if label.startswith("Q"):
        return f"quý {label[1]} năm {label[3:]}" if vi else f"quarter {label[1]} of {label[3:]}"
    if len(label) == 4:
        return f"năm {label}" if vi else label
    if len(label) == 7:
        return f"tháng {int(label[5:])} năm {label[:4]}" if vi else f"{label}"
    return f"từ {period['start']} đến {period['end']}" if vi else f"{period['start']} to {period['end']}"


def _labels(model: dict[str, Any], lang: str) -> dict[str, Any]:
    year = model["period"]["end"][:4]
    words = period_words(model["period"], lang)
    if lang == "vi":
        return {
            "issuer_parent": "ỦY BAN NHÂN DÂN QUẬN BÌNH TÂN",
            "issuer": "PHÒNG NỘI VỤ",
            "number": "Số:       /BC-PNV",
            "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "motto": "Độc lập - Tự do - Hạnh phúc",
            "place_date": f"Bình Tân, ngày      tháng      năm {year}",
            "report": "BÁO CÁO",
            "title": f"Kết quả thực hiện mục tiêu chất lượng {words}",
            "basis": f"Căn cứ Quyết định số {model['objectives_file']['decision']} của Ủy ban nhân dân quận Bình Tân "
            f"về mục tiêu chất lượng năm {year}; Phòng Nội vụ báo cáo kết quả thực hiện mục tiêu chất lượng "
            f"{words} như sau:",
            "part1": "I. KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG",
            "col_no": "MT",
            "col_indicator": "Chỉ tiêu",
            "col_target": "Mục tiêu",
            "col_result": "Kết quả",
            "col_counts": "Tử số / mẫu số",
            "col_status": "Đánh giá",
            "part2": "II. NGUYÊN NHÂN VÀ HÀNH ĐỘNG KHẮC PHỤC ĐỐI VỚI CHỈ TIÊU KHÔNG ĐẠT",
            "cause": "Nguyên nhân",
            "action": "Hành động khắc phục",
            "none": "Các chỉ tiêu đều đạt.",
            "part3": "III. BIỆN PHÁP PHÒNG NGỪA",
            "preventive": "đạt mục tiêu; tiếp tục duy trì và đề xuất biện pháp phòng ngừa để cải tiến.",
            "part4": "IV. ĐỀ XUẤT, KIẾN NGHỊ",
            "proposals": ".........................................................",
            "closing": "Trên đây là báo cáo kết quả thực hiện mục tiêu chất lượng của Phòng Nội vụ./.",
            "recipients": "Nơi nhận:",
            "recipient_list": [
                "Ban Chỉ đạo ISO quận",
                "Thường trực UBND quận",
                "Các cơ quan, đơn vị, UBND các phường",
                "Lưu: VT, NV",
            ],
            "signer_title": "TRƯỞNG PHÒNG",
            "signer_note": "(Ký, ghi rõ họ tên, đóng dấu)",
            "to_fill": "(đơn vị bổ sung)",
        }
    return {
        "issuer_parent": "BÌNH TÂN DISTRICT PEOPLE'S COMMITTEE",
        "issuer": "HOME AFFAIRS OFFICE",
        "number": "No.:       /BC-PNV",
        "nation": "SOCIALIST REPUBLIC OF VIETNAM",
        "motto": "Independence - Freedom - Happiness",
        "place_date": f"Bình Tân, ...... {year}",
        "report": "REPORT",
        "title": f"Results of the quality objectives for {words}",
        "basis": f"Under Decision {model['objectives_file']['decision']} of the Bình Tân District People's Committee "
        f"on the quality objectives for {year}, the Home Affairs Office reports the results for {words}:",
        "part1": "I. RESULTS OF THE QUALITY OBJECTIVES",
        "col_no": "Obj.",
        "col_indicator": "Indicator",
        "col_target": "Target",
        "col_result": "Result",
        "col_counts": "Numerator / denominator",
        "col_status": "Status",
        "part2": "II. CAUSES AND CORRECTIVE ACTIONS FOR THE OBJECTIVES NOT MET",
        "cause": "Cause",
        "action": "Corrective action",
        "none": "Every objective was met.",
        "part3": "III. PREVENTIVE MEASURES",
        "preventive": "met; keep it up and propose preventive measures.",
        "part4": "IV. PROPOSALS",
        "proposals": ".........................................................",
        "closing": "This is the Home Affairs Office's report on the quality objectives./.",
        "recipients": "Recipients:",
        "recipient_list": [
            "The district ISO Steering Committee",
            "The District People's Committee",
            "Agencies, units and wards",
            "Archive",
        ],
        "signer_title": "HEAD OF OFFICE",
        "signer_note": "(Signature, full name, seal)",
        "to_fill": "(to be filled in)",
    }


def context(model: dict[str, Any], lang: str) -> dict[str, Any]:
    labels = _labels(model, lang)
    rows, objectives, met = [], [], []
    for i in model["indicators"]:
        d = i["district"]
        value = percent(d["value"], lang, signed=i["kind"] == "received_growth") if d["value"] is not None else "–"
        counts = f"{number(d['numerator'], lang, 0)} / {number(d['denominator'], lang, 0)}" if d["denominator"] else "–"
        rows.append(
            {
                "objective": i["objective"],
                "title": i["title"],
                "target": target_text(i, lang).replace(" ", "\u00a0"),  # "≥ 98,00 %" never breaks
                "value": value.replace(" ", "\u00a0"),
                "counts": counts,
                "status": WORDS[lang][d["status"]],
            }
        )
        objectives.append({"text": f"{i['objective']}. {i['title']}: {value} ({WORDS[lang][d['status']].lower()})."})
        if d["status"] == "met":
            met.append(i["title"])
    actions = {(a["indicator"], a["unit"] or ""): a for a in model["report"]["actions"]}
    shortfalls = []
    for s in model["shortfalls"]:
        a = actions.get((s["indicator"], s["unit"] or ""), {})
        title = next(i["title"] for i in model["indicators"] if i["id"] == s["indicator"])
        shortfalls.append(
            {
                "text": f"{title} — {s['owner']}: {percent(s['value'], lang)} "
                f"({'mục tiêu' if lang == 'vi' else 'target'} {percent(s['target'], lang)})",
                "cause": a.get("cause") or labels["to_fill"],
                "action": a.get("action") or labels["to_fill"],
            }
        )
    return {
        "L": labels,
        "rows": rows,
        "objectives": objectives,
        "shortfalls": shortfalls,
        "met": met,
        "today": date.today().isoformat(),
    }


def write_document(model: dict[str, Any], path: Path, lang: str, templates: Path) -> None:
    from docxtpl import DocxTemplate

    template = templates / "report.docx"
    try:
        doc = DocxTemplate(str(template))
        doc.render(context(model, lang), autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"{template}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise UsageError(f"{template}: {exc}") from None
    doc.save(str(path))
