"""The consolidated report (Decision 784, reporting duties 1-4): one model, written as HTML, Markdown,
JSON, XLSX and DOCX. Templates are plain Jinja files in templates/ that a district may edit."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from qms_cli import progress
from qms_cli.config import Objectives, load_objectives, packaged_path
from qms_cli.errors import UsageError
from qms_cli.messages import (
    date_words,
    file_kind,
    points,
    scope_name,
    severity,
    text,
    unsure,
)
from qms_cli.render import beside, charts
from qms_cli.render.labels import STATUS, TEXT, number, percent, status_text, target_text
from qms_cli.render.plain import atomic_write

FORMATS = ("html", "xlsx", "docx", "md", "json")


def counts_text(entry: dict[str, Any], lang: str) -> str:
    """Numerator / denominator with the output's thousands mark, or why there is no figure."""
    if not entry["denominator"]:
        return str(entry.get("reason") or "–")
    out = f"{number(entry['numerator'], lang, 0)} / {number(entry['denominator'], lang, 0)}"
    if entry.get("missing_due"):
        out += f" (+{number(entry['missing_due'], lang, 0)} {text('missing_due', lang)})"
    return out


def _markdown_text(value: Any) -> Any:
    """A value printed into Markdown is text: no HTML tag, entity or link of an input reaches a viewer."""
    if not isinstance(value, str):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("[", "\\[").replace("]", "\\]")


def _environment(templates: Path, html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=None if html else _markdown_text,
    )
    env.filters.update(pct=percent, num=number, pp=points, date_words=date_words)
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
            status_text=lambda e, kind="on_time": status_text(e, lang, kind),
            target_text=lambda i: target_text(i, lang),
            status_label=STATUS[lang],
            unsure=unsure("on_time", lang),
            file_kind=lambda k: file_kind(k, lang),
            severity=lambda level: severity(level, lang),
            counts_text=lambda e: counts_text(e, lang),
            drafts_note=text("drafts_note", lang),
            scope=scope_name(model, lang),
        )
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"{exc.filename or template}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise UsageError(f"{templates / template}: {exc}") from None


def write(
    model: dict[str, Any],
    formats: list[str],
    output_dir: Path,
    lang: str,
    templates: Path | None = None,
    spec: Objectives | None = None,
) -> list[Path]:
    """Write the report in each format into `output_dir`; return the files written."""
    templates = templates or packaged_path("templates")
    # Beside the scorecard, in words: the scoring basis, unit changes, the QĐ 766 index, digitisation.
    model = {**model, "report": {**model["report"], "beside": beside.report_view(model, lang)}}
    stem = f"bao-cao-muc-tieu-chat-luong-{model['period']['label'].lower()}"
    written = []
    with progress.task(progress.WRITING, len(formats)) as step:
        for fmt in formats:
            written.append(_write_one(model, fmt, output_dir / f"{stem}.{fmt}", lang, templates, spec))
            step()
    return written


def _write_one(
    model: dict[str, Any], fmt: str, path: Path, lang: str, templates: Path, spec: Objectives | None = None
) -> Path:
    """Write the report in one format at `path`."""
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
        atomic_write(path, _document_writer(model, lang, templates, spec or load_objectives().spec))
    return path


def _document_writer(model: dict[str, Any], lang: str, templates: Path, spec: Objectives) -> Callable[[Path], object]:
    from qms_cli.render.document import write_document

    return lambda target: write_document(model, target, lang, templates, spec)


def _text_writer(text: str) -> Callable[[Path], object]:
    return lambda target: target.write_text(text, encoding="utf-8")
