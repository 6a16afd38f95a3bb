"""The report as an XLSX workbook (XlsxWriter) that prints as a report: on every sheet a title and the
period, frozen header rows repeated on each printed page, A4 landscape fitted to the page width,
columns as wide as their content, numbers stored as numbers with number formats (percentages,
thousands, percentage points), names instead of slugs. Every text cell is written as text, never as
a formula, whatever it begins with."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import xlsxwriter

from qms_cli.messages import file_kind, month_words, scope_name, severity, status_word, text
from qms_cli.render.beside import word as beside_word
from qms_cli.render.labels import QUALITY_COLUMNS, target_text

MAX_WIDTH, MIN_WIDTH = 48, 6
HEAD_ROW = 3  # the first header row: title, period, a blank row above it
VI_LOCALE = "[$-42A]"  # a number format's locale, Vietnamese: decimal comma, thousands dot
LINE = 15  # points per line of text in a row
CHARS_PER_WIDTH = 1.2  # Times New Roman 11 fits about 1.2 characters per unit of column width


class Sheets:
    """Writes titled, print-ready sheets into one workbook."""

    def __init__(self, path: Path, model: dict[str, Any], lang: str) -> None:
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        self.model, self.lang = model, lang
        add = self.wb.add_format
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
        self.f = {
            "title": add({**base, "bold": True, "font_size": 14}),
            "sub": add({**base, "italic": True}),
            "head": add(
                {**base, "bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True, "align": "center"}
            ),
            "text": add({**base, "border": 1, "text_wrap": True}),
            "pct": add({**base, "border": 1, "num_format": "0.00%"}),
            "int": add({**base, "border": 1, "num_format": "#,##0"}),
            "pp": add({**base, "border": 1, "num_format": '+0.00" đpt";-0.00" đpt";0.00" đpt"'}),
            "note": add({**base, "italic": True, "text_wrap": True, "font_color": "#B00000"}),
            "bold": add({**base, "border": 1, "bold": True, "text_wrap": True}),
            "indent": add({**base, "border": 1, "text_wrap": True, "indent": 2}),  # a field under its unit
        }
        if lang == "en":
            self.f["pp"].set_num_format('+0.00" pp";-0.00" pp";0.00" pp"')
        else:  # Vietnamese numbers whatever the reader's locale: 2.476 and 98,53 % (LibreOffice honours it)
            for key, code in (("pct", "0.00 %"), ("int", "#,##0"), ("pp", '+0.00" đpt";-0.00" đpt";0.00" đpt"')):
                self.f[key].set_num_format(VI_LOCALE + code)
        self.f["tt"] = add({**base, "border": 1, "align": "center"})  # the form's TT: 1, 1.1, 1.2, …

    def sheet(self, name: str, title: str) -> Any:
        """A new worksheet of the report's workbook, with its title row."""
        ws = self.wb.add_worksheet(name[:31])
        ws.write_string(0, 0, f"{text('title', self.lang)} — {title}", self.f["title"])
        period = self.model["report"]["period_words"]
        decision = self.model["objectives_file"]["decision"]
        ws.write_string(1, 0, f"{text('period_label', self.lang)}: {period} · {text('decision', self.lang)} {decision}")
        ws.set_row(1, None, self.f["sub"])
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # fit to the page width, as many pages down as needed
        ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer(f"&L{title}&R&P / &N")
        return ws

    def table(self, ws: Any, headers: list[list[str]], rows: list[list[Any]], kinds: list[str]) -> int:
        """Header rows then data rows from HEAD_ROW; `kinds` gives each column's format. Returns the next row."""
        for r, header in enumerate(headers):
            ws.write_row(HEAD_ROW + r, 0, header, self.f["head"])
        first = HEAD_ROW + len(headers)
        for r, row in enumerate(rows, start=first):
            for c, value in enumerate(row):
                self._cell(ws, r, c, value, kinds[c])
        last = HEAD_ROW + len(headers) - 1
        ws.freeze_panes(last + 1, 0)
        ws.repeat_rows(HEAD_ROW, last)
        self._fit(ws, headers, rows)
        return first + len(rows)

    def _cell(self, ws: Any, r: int, c: int, value: Any, kind: str) -> None:
        if value is None or value == "":
            ws.write_blank(r, c, None, self.f["text"])
        elif isinstance(value, bool):
            ws.write_string(r, c, text("yes" if value else "no", self.lang), self.f["text"])
        elif isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
            ws.write_number(r, c, value, self.f[kind if kind in ("pct", "int", "pp") else "int"])
        else:
            ws.write_string(r, c, str(value), self.f["bold" if kind == "bold" else "text"])

    def _fit(self, ws: Any, headers: list[list[str]], rows: list[list[Any]]) -> None:
        """Each column as wide as its longest value (capped; long texts wrap), headers by their longest word."""
        columns = max([len(h) for h in headers] + [len(r) for r in rows] + [1])
        widths = []
        for c in range(columns):
            values = [_shown(r[c]) for r in rows if c < len(r)]
            words = [w for h in headers if c < len(h) for w in str(h[c]).split()]
            longest = max([len(v) for v in values] + [len(w) + 1 for w in words] + [MIN_WIDTH])
            widths.append(min(MAX_WIDTH, longest + 2))
            ws.set_column(c, c, widths[-1])
        for r, header in enumerate(headers):  # wrapped headers get the height they need: no overprint
            ws.set_row(HEAD_ROW + r, LINE * _lines(header, widths))
        first = HEAD_ROW + len(headers)
        for r, row in enumerate(rows, start=first):  # so do wrapped cells (LibreOffice keeps one line)
            if (lines := _lines(row, widths)) > 1:
                ws.set_row(r, LINE * lines)

    def note(self, ws: Any, row: int, words: str, span: int) -> None:
        """A line of explanation under a sheet's table."""
        ws.merge_range(row, 0, row, max(span - 1, 1), words, self.f["note"])
        ws.set_row(row, LINE * max(2, math.ceil(len(words) / 120)))


def _lines(row: list[Any], widths: list[int]) -> int:
    """The lines the tallest cell of a row takes, wrapped in its column (numbers take one)."""
    most = 1
    for c, value in enumerate(row[: len(widths)]):
        if isinstance(value, str) and value:
            room = max(widths[c] - 1, 1) * CHARS_PER_WIDTH
            most = max(most, sum(max(1, math.ceil(len(part) / room)) for part in value.split("\n")))
    return most


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value * 100:.2f} %" if abs(value) <= 10 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    lines = str(value or "").split("\n")
    return max(lines, key=len)


def write_workbook(model: dict[str, Any], path: Path, lang: str) -> None:
    """Write the six sheets: summary, units, monthly, Biểu 06a, shortfalls and actions, data quality."""
    out = Sheets(path, model, lang)
    _summary(out, model, lang)
    _units(out, model, lang)
    _monthly(out, model, lang)
    _form(out, model, lang)
    _shortfalls(out, model, lang)
    _quality(out, model, lang)
    _beside(out, model, lang)
    out.wb.close()


def _beside(out: Sheets, model: dict[str, Any], lang: str) -> None:
    """The QĐ 766 index and digitisation, one sheet each, with the scoring basis and the unit changes
    beneath; the changes alone on a sheet of their own when the inputs have neither table."""
    view = model["report"].get("beside") or {}
    notes = [line for line in [view.get("scored_on"), *view.get("unit_changes", [])] if line]
    tables = view.get("tables", [])
    if not tables and view.get("unit_changes"):
        title = beside_word("changes_title", lang)
        tables = [{"title": title, "sheet": title, "headers": [beside_word("note", lang)], "rows": []}]
    for table in tables:
        ws = out.sheet(table["sheet"], table["title"])
        row = out.table(ws, [table["headers"]], table["rows"], ["bold"] + ["text"] * (len(table["headers"]) - 1))
        for line in notes:
            row += 1
            out.note(ws, row, line, len(table["headers"]))


def _summary(out: Sheets, model: dict[str, Any], lang: str) -> None:
    keys = ["objective", "indicator", "target", "value", "numerator", "denominator", "ci_low", "ci_high"]
    headers = [[text(k, lang) for k in keys] + [text("status", lang), text("change", lang)]]
    rows = []
    for i in model["indicators"]:
        d = i["district"]
        ci = d.get("ci95") or [None, None]
        change = model["report"]["changes"][i["id"]]
        rows.append(
            [i["objective"], i["title"], target_text(i, lang), d["value"], d["numerator"], d["denominator"], *ci]
            + [
                status_word(d["status"], lang, symbol=True),
                change["value"] * 100 if change["value"] is not None else change["text"],
            ]
        )
    kinds = ["int", "text", "text", "pct", "int", "int", "pct", "pct", "text", "pp"]
    out.table(out.sheet(text("sheet_summary", lang), scope_name(model, lang)), headers, rows, kinds)


def _units(out: Sheets, model: dict[str, Any], lang: str) -> None:
    keys = ["indicator", "unit", "numerator", "denominator", "value", "status", "reason"]
    rows = [
        [i["title"], u["name"], u["numerator"], u["denominator"], u["value"], status_word(u["status"], lang, True)]
        + [u.get("reason", "")]
        for i in model["indicators"]
        for u in i["units"]
        if u["denominator"] or u["numerator"]
    ]
    name = text("units", lang)
    out.table(
        out.sheet(text("sheet_units", lang), name),
        [[text(k, lang) for k in keys]],
        rows,
        ["text", "text", "int", "int", "pct", "text", "text"],
    )


def _monthly(out: Sheets, model: dict[str, Any], lang: str) -> None:
    titles = {i["id"]: i["title"] for i in model["indicators"]}
    keys = ["indicator", "month", "numerator", "denominator", "value", "lcl", "ucl", "centre", "target"]
    rows = [
        [titles[i], month_words(p["month"], lang), p["numerator"], p["denominator"], p["value"], p.get("lcl")]
        + [p.get("ucl"), chart["centre"], chart["target"]]
        for i, chart in model["report"]["trend"].items()
        for p in chart["points"]
    ]
    kinds = ["text", "text", "int", "int", "pct", "pct", "pct", "pct", "pct"]
    name = text("trend", lang)
    out.table(out.sheet(text("sheet_monthly", lang), name), [[text(k, lang) for k in keys]], rows, kinds)


def _form(out: Sheets, model: dict[str, Any], lang: str) -> None:
    form = model["report"].get("form_06a")
    if not form:
        return
    ws = out.sheet("Biểu 06a", "Biểu 06a")
    headers = [form["groups"], form["heads"], form["numbers"]]
    kinds = ["int", "bold"] + ["int"] * (len(form["numbers"]) - 2)
    out.table(ws, headers, form["rows"], kinds)
    first = HEAD_ROW + len(headers)
    kinds_of_rows = form.get("kinds") or [""] * len(form["rows"])
    for r, (row, kind) in enumerate(zip(form["rows"], kinds_of_rows, strict=True)):
        ws.write_string(first + r, 0, str(row[0]), out.f["tt"])  # 1, 1.1, 1.2: one alignment for all
        if kind == "field":  # a field row: its name indented and not bold, under its unit's bold row
            ws.write_string(first + r, 1, str(row[1]), out.f["indent"])
    ws.set_row(HEAD_ROW, LINE * 2)  # the group headers span several columns: two lines are enough
    groups = form["groups"]
    starts = [c for c, g in enumerate(groups) if g and c >= 2]
    for n, c in enumerate(starts):  # the group headers span their columns, as on the form
        end = (starts[n + 1] if n + 1 < len(starts) else len(groups)) - 1
        if end > c:
            ws.merge_range(HEAD_ROW, c, HEAD_ROW, end, groups[c], out.f["head"])
    for c in (0, 1):  # TT and the unit column span the group and column header rows
        ws.merge_range(HEAD_ROW, c, HEAD_ROW + 1, c, groups[c], out.f["head"])


def _shortfalls(out: Sheets, model: dict[str, Any], lang: str) -> None:
    keys = ["indicator", "unit", "value", "target", "gap", "contributors", "owner", "cause", "action", "due"]
    headers = [["#", *(text(k, lang) for k in keys), text("action_status", lang)]]
    rows = [
        [
            s["action_id"],
            s["title"],
            s["unit_name"],
            s["value_number"],
            s["target"],
            s["short_points"],
            "\n".join(s["contributors"]),
        ]
        + [s["owner"], s["cause"] or text("to_fill", lang), s["action"] or text("to_fill", lang), s["due"], s["status"]]
        for s in model["report"]["shortfall_view"]
    ]
    ws = out.sheet(text("sheet_shortfalls", lang), text("shortfalls", lang))
    end = out.table(ws, headers, rows, ["int", "text", "text", "pct", "text", "pp"] + ["text"] * 6)
    report = model["report"]
    if report["drafts"]:
        out.note(ws, end + 1, text("drafts_note", lang), len(headers[0]))
    elif rows and not report["actions"]:
        out.note(ws, end + 1, text("no_store_actions", lang), len(headers[0]))
    out.note(ws, end + 3, text("preventive_note", lang) + " " + "; ".join(report["preventive"]), len(headers[0]))


def _quality(out: Sheets, model: dict[str, Any], lang: str) -> None:
    quality = model["data_quality"]
    headers = [[*(text(k, lang) for k in QUALITY_COLUMNS), text("message", lang)]]
    names = {u["unit"]: u["name"] for i in model["indicators"] for u in i["units"]}
    rows = [
        [
            f["path"],
            f.get("sheet") or "",
            file_kind(f["kind"], lang),
            names.get(f.get("unit") or "", f.get("unit") or ""),
        ]
        + [f["rows_read"], f["rows_accepted"], f["rows_rejected"], f["rows_skipped"], f["rows_superseded"]]
        + [f.get("message", "")]
        for f in quality["files"]
    ]
    sheet = out.sheet(text("quality", lang), text("quality", lang))
    out.table(sheet, headers, rows, ["text"] * 4 + ["int"] * 5 + ["text"])
    _problems(out, quality, lang)
    _missing(out, model, lang)


def _problems(out: Sheets, quality: dict[str, Any], lang: str) -> None:
    """The data-quality problems on a sheet of their own: each with its severity, count and an example
    (none: no sheet)."""
    if not quality["issues"]:
        return
    headers = [[text("severity", lang), text("problem", lang), text("count", lang), text("example", lang)]]
    rows = []
    for issue in quality["issues"]:
        sample = issue["samples"][0] if issue["samples"] else {}
        where = " ".join(
            str(sample.get(k, "")) for k in ("path", "row", "column", "value") if sample.get(k) is not None
        )
        rows.append([severity(issue["severity"], lang), issue["title"], issue["count"], where])
    title = text("sheet_problems", lang)
    out.table(out.sheet(title, title), headers, rows, ["text", "text", "int", "text"])


def _missing(out: Sheets, model: dict[str, Any], lang: str) -> None:
    """The units that sent nothing for some months, on a sheet of their own (none: no sheet)."""
    missing = model["report"]["missing_by_unit"]
    if not missing:
        return
    headers = [[text("missing", lang), text("missing_count", lang), text("months", lang)]]
    rows = [[m["name"], m["count"], m["months"]] for m in missing]
    title = text("missing", lang)
    out.table(out.sheet(title, title), headers, rows, ["text", "int", "text"])
