"""The consolidated report (Decision 784, reporting duties 1-4): one model, written as HTML, Markdown,
JSON, XLSX and DOCX. Templates are plain Jinja files in templates/ that a district may edit."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from qms_cli.config import packaged_path
from qms_cli.errors import UsageError
from qms_cli.messages import unsure
from qms_cli.render import charts
from qms_cli.render.labels import STATUS, TEXT, number, percent, status_text, target_text
from qms_cli.render.plain import atomic_write

FORMATS = ("html", "xlsx", "docx", "md", "json")
METHODS = {
    "vi": {
        "on_time": "số hồ sơ hoàn thành trước hoặc đúng ngày hẹn ÷ số hồ sơ theo quy tắc on_time_denominator={rule}; "
        "hồ sơ rút, bị từ chối và hồ sơ không có ngày hẹn không tính",
        "received_share": "số hồ sơ tiếp nhận trong kỳ thỏa {match} ÷ số hồ sơ tiếp nhận trong kỳ "
        "(trừ hồ sơ bị từ chối)",
        "returned_share": "số kết quả trả trong kỳ thỏa {match} ÷ số kết quả trả trong kỳ",
        "received_growth": "(số hồ sơ tiếp nhận trong kỳ thỏa {match} ÷ số hồ sơ như vậy cùng kỳ năm gốc) − 1",
        "satisfaction": "số lượt đánh giá hài lòng, rất hài lòng hoặc 4–5 sao ÷ số lượt đánh giá hợp lệ trong kỳ",
        "inspection_coverage": "số cơ quan, đơn vị được kiểm tra từ đầu năm đến cuối kỳ ÷ số đơn vị trong danh mục",
        "iso_transition": "số mốc hoàn thành đến cuối kỳ ÷ tổng số mốc của kế hoạch chuyển đổi",
    },
    "en": {
        "on_time": "dossiers completed on or before their appointment date ÷ dossiers by rule "
        "on_time_denominator={rule}; withdrawn, refused and undated dossiers left out",
        "received_share": "dossiers received in the period with {match} ÷ dossiers received (refused left out)",
        "returned_share": "results returned in the period with {match} ÷ results returned in the period",
        "received_growth": "(dossiers received in the period with {match} ÷ the same in the baseline period) − 1",
        "satisfaction": "satisfied, very satisfied or 4-5 star ratings ÷ valid ratings in the period",
        "inspection_coverage": "units inspected from 1 January to the end of the period ÷ units in the registry",
        "iso_transition": "milestones done by the end of the period ÷ all milestones of the transition plan",
    },
}


def build(current: Any, previous: Any, actions: list[dict[str, Any]], extras: dict[str, Any]) -> dict[str, Any]:
    """The report model: the evaluation (schema qms.evaluation/1) plus the report's fields."""
    from qms_cli.evaluate import review

    result = dict(current.result)
    today = date.today().isoformat()
    previous_result = previous.result if previous is not None else None
    met_now = {(i["id"], u["unit"]): u["status"] for i in result["indicators"] for u in i["units"]}
    met_now |= {(i["id"], ""): i["district"]["status"] for i in result["indicators"]}
    follow_up = [
        {**a, "status_now": met_now.get((a["indicator"], a["unit"] or ""), "no_data")}
        for a in actions
        if previous_result and a["period"] == previous_result["period"]["label"]
    ]
    result["report"] = {
        "previous_period": previous_result["period"] if previous_result else None,
        "changes_pp": review.changes(result, previous_result),
        "trend": review.monthly(current.inputs, current.rules, current.period),
        "funnel": review.funnel(result),
        "pareto": review.pareto(current.inputs, current.rules, current.period),
        "actions": [
            {**a, "overdue": a["status"] not in ("done", "closed") and (a["due"] or "9999") < today}
            for a in actions
            if a["period"] == result["period"]["label"]
        ],
        "follow_up": follow_up,
        "units_with_data": [
            u["unit"]
            for u in result["indicators"][0]["units"]
            if any(e["denominator"] for i in result["indicators"] for e in i["units"] if e["unit"] == u["unit"])
        ],
        "methods": {
            i["id"]: METHODS[result["lang"]][i["kind"]].format(
                rule=result["rules"]["on_time_denominator"],
                match=", ".join(f"{k}={v}" for k, v in current.objectives.spec.indicators[n].match.items()),
            )
            for n, i in enumerate(result["indicators"])
        },
        **extras,
    }
    return result


def points(value: float | None, lang: str) -> str:
    """A change in percentage points, signed, with the output's decimal mark ("+0,65 pp")."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number(value, lang) + " pp"


def _environment(templates: Path, html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=percent, num=number, pp=points)
    return env


def _render(template: str, model: dict[str, Any], lang: str, templates: Path) -> str:
    html = template.endswith(".html.j2")
    model = copy.deepcopy(model)  # what the templates add for display never reaches the JSON
    for ind in model["indicators"]:  # the value as shown: growth carries its sign
        d = ind["district"]
        d["shown"] = (
            percent(d["value"], lang, signed=ind["kind"] == "received_growth") if d["value"] is not None else "–"
        )
    env = _environment(templates, html)
    t = TEXT[lang]
    svg = {}
    if html:
        for ind in model["indicators"]:
            chart = model["report"]["trend"].get(ind["id"])
            if chart:
                svg[ind["id"]] = Markup(charts.trend_svg(chart, ind["title"], lang))  # noqa: S704 - built escaped
        svg["funnel"] = Markup(charts.funnel_svg(model["report"]["funnel"], t["funnel"], lang))  # noqa: S704
    try:
        return env.get_template(template).render(
            r=model,
            t=t,
            lang=lang,
            svg=svg,
            status_text=lambda e: status_text(e, lang),
            target_text=lambda i: target_text(i, lang),
            status_label=STATUS[lang],
            unsure=unsure("on_time", lang),
        )
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"{exc.filename or template}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise UsageError(f"{templates / template}: {exc}") from None


def write(
    model: dict[str, Any], formats: list[str], output_dir: Path, lang: str, templates: Path | None = None
) -> list[Path]:
    """Write the report in each format into `output_dir`; return the files written."""
    templates = templates or packaged_path("templates")
    stem = f"bao-cao-muc-tieu-chat-luong-{model['period']['label'].lower()}"
    written = []
    for fmt in formats:
        path = output_dir / f"{stem}.{fmt}"
        if fmt in ("json", "html", "md"):
            text = (
                json.dumps(model, ensure_ascii=False, indent=2, default=str) + "\n"
                if fmt == "json"
                else _render(f"report.{fmt}.j2", model, lang, templates)
            )
            atomic_write(path, _text_writer(text))
        elif fmt == "xlsx":
            from qms_cli.render.workbook import write_workbook

            atomic_write(path, lambda p: write_workbook(model, p, lang))
        elif fmt == "docx":
            from qms_cli.render.document import write_document

            atomic_write(path, lambda p: write_document(model, p, lang, templates))
        written.append(path)
    return written


def _text_writer(text: str) -> Callable[[Path], object]:
    return lambda target: target.write_text(text, encoding="utf-8")
