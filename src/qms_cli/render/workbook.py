"""The report as an XLSX workbook (XlsxWriter): numbers stored as numbers with percent formats, status
icons by conditional format, frozen headers and filters. Every text cell is written as text, never as
a formula, whatever it begins with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from qms_cli.render.labels import QUALITY_COLUMNS, STATUS, TEXT

STATUS_CODE = {"met": 1, "in_progress": 0, "not_met": -1}


def write_workbook(model: dict[str, Any], path: Path, lang: str) -> None:
    t = TEXT[lang]
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True, "valign": "top"})
    pct = wb.add_format({"num_format": "0.00%"})
    whole = wb.add_format({"num_format": "#,##0"})
    names = {
        "Summary": "Tổng hợp" if lang == "vi" else "Summary",
        "Units": "Đơn vị" if lang == "vi" else "Units",
        "Monthly": "Theo tháng" if lang == "vi" else "Monthly",
        "06a": "Biểu 06a",
        "Shortfalls": "Chưa đạt và khắc phục" if lang == "vi" else "Shortfalls and actions",
        "Quality": "Chất lượng dữ liệu" if lang == "vi" else "Data quality",
    }

    def sheet(name: str, headers: list[str], rows: list[list[Any]], formats: dict[int, Any] | None = None) -> Any:
        ws = wb.add_worksheet(names[name])
        ws.write_row(0, 0, headers, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                fmt = (formats or {}).get(c)
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value, fmt)
                else:
                    ws.write_string(r, c, str(value))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        ws.set_column(0, len(headers) - 1, 16)
        return ws

    def icons(ws: Any, column: int, count: int) -> None:
        ws.conditional_format(
            1,
            column,
            max(count, 1),
            column,
            {
                "type": "icon_set",
                "icon_style": "3_symbols_circled",
                "icons": [
                    {"criteria": ">=", "type": "number", "value": 1},
                    {"criteria": ">=", "type": "number", "value": 0},
                ],
            },
        )

    ind = model["indicators"]
    rows = [
        [
            i["objective"],
            i["id"],
            i["title"],
            i["target"]["op"],
            i["target"]["value"],
            i["district"]["numerator"],
            i["district"]["denominator"],
            i["district"]["value"],
            STATUS_CODE.get(i["district"]["status"]),
            STATUS[lang][i["district"]["status"]],
            model["report"]["changes_pp"].get(i["id"]),
        ]
        for i in ind
    ]
    ws = sheet(
        "Summary",
        [
            t["objective"],
            "id",
            t["indicator"],
            "op",
            t["target"],
            "N",
            "D",
            t["value"],
            "±",
            t["status"],
            t["change"] + " (pp)",
        ],
        rows,
        {4: pct, 5: whole, 6: whole, 7: pct},
    )
    icons(ws, 8, len(rows))
    rows = [
        [
            i["id"],
            u["unit"],
            u["name"],
            u["numerator"],
            u["denominator"],
            u["value"],
            STATUS_CODE.get(u["status"]),
            STATUS[lang][u["status"]],
            u.get("reason", ""),
        ]
        for i in ind
        for u in i["units"]
        if u["denominator"]
    ]
    ws = sheet(
        "Units",
        [t["indicator"], "slug", t["unit"], "N", "D", t["value"], "±", t["status"], t["reason"]],
        rows,
        {3: whole, 4: whole, 5: pct},
    )
    icons(ws, 6, len(rows))
    rows = [
        [
            i,
            p["month"],
            p["numerator"],
            p["denominator"],
            p["value"],
            p.get("lcl"),
            p.get("ucl"),
            chart["centre"],
            chart["target"],
        ]
        for i, chart in model["report"]["trend"].items()
        for p in chart["points"]
    ]
    sheet(
        "Monthly",
        [t["indicator"], t["month"], "N", "D", t["value"], "LCL", "UCL", "p̄", t["target"]],
        rows,
        {2: whole, 3: whole, 4: pct, 5: pct, 6: pct, 7: pct, 8: pct},
    )
    form = model["report"].get("form_06a", [])
    if form:
        headers = list(form[0].keys())
        sheet("06a", headers, [list(r.values()) for r in form])
    rows = [
        [s["indicator"], s["unit"] or t["district"], s["value"], s["target"], s["gap"], s["owner"]]
        for s in model["shortfalls"]
    ]
    actions = {(a["indicator"], a["unit"] or ""): a for a in model["report"]["actions"]}
    rows = [
        r
        + [
            actions.get((r[0], r[1] if r[1] != t["district"] else ""), {}).get(k) or ""
            for k in ("id", "cause", "action", "due", "status")
        ]
        for r in rows
    ]
    sheet(
        "Shortfalls",
        [
            t["indicator"],
            t["unit"],
            t["value"],
            t["target"],
            t["gap"],
            t["owner"],
            "#",
            t["cause"],
            t["action"],
            t["due"],
            t["status"],
        ],
        rows,
        {2: pct, 3: pct, 4: pct},
    )
    rows = [
        [
            f["path"],
            f.get("sheet") or "",
            f["kind"],
            f.get("unit") or "",
            f["rows_read"],
            f["rows_accepted"],
            f["rows_rejected"],
            f["rows_skipped"],
            f["rows_superseded"],
            f.get("message", ""),
        ]
        for f in model["data_quality"]["files"]
    ]
    ws = sheet(
        "Quality",
        [*(t[key] for key in QUALITY_COLUMNS), ""],
        rows,
    )
    top = len(rows) + 3  # the issues, by code, below the files
    ws.write_row(top, 0, [t["code"], "", t["count"], t["example"]], head)
    for r, issue in enumerate(model["data_quality"]["issues"], start=top + 1):
        ws.write_string(r, 0, issue["code"])
        ws.write_string(r, 1, issue["title"])
        ws.write_number(r, 2, issue["count"])
        sample = issue["samples"][0] if issue["samples"] else {}
        ws.write_string(r, 3, " ".join(str(sample.get(k, "")) for k in ("path", "row", "column", "value")))
    wb.close()
