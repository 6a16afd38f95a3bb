"""The report as the administrative document of Decree 30/2020/NĐ-CP (docxtpl, templates/report.docx):
national heading, number and symbol, place-date line, title, the results once as a table, causes and
corrective actions for each shortfall (drafts said to be drafts, with how to fill them), preventive
measures, proposals, recipients and signature. Everything about the issuer comes from objectives.yaml
(`issuer`), so a ward or a department issues its own report."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from qms_cli.config import Issuer, Objectives
from qms_cli.errors import UsageError
from qms_cli.messages import date_words, document_text, status_word, text
from qms_cli.render import beside
from qms_cli.render.labels import number, percent, target_text

NBSP = "\u00a0"


def period_words(period: dict[str, str], lang: str) -> str:
    """'6 tháng đầu năm 2019' for H1-2019 (kept here for existing imports; see messages.period_words)."""
    from qms_cli.messages import period_words as words

    return words(period, lang)


# "Ủy ban nhân dân phường Bình Tân" -> the place "Bình Tân": the body, then the level of government.
_PLACE = re.compile(
    r"^\s*(ủy ban nhân dân|uỷ ban nhân dân|ubnd)?\s*(thành phố|thị xã|thị trấn|quận|huyện|phường|xã|tỉnh)?\s*",
    re.IGNORECASE,
)


def default_issuer(spec: Objectives) -> Issuer:
    """Without an `issuer` in objectives.yaml, the body that issued the decision (`decision.issuer`, e.g.
    "Ủy ban nhân dân phường Bình Tân") issues the report; its place is the name after the level of
    government ("Bình Tân")."""
    name = spec.decision.issuer
    return Issuer(
        parent="",
        name=name.upper(),
        name_en=spec.decision.issuer_en.upper(),
        name_in_text=name,
        abbreviation="UBND",
        place=_PLACE.sub("", unicodedata.normalize("NFC", name)).strip() or name,
        signer_title="CHỦ TỊCH",
        signer_title_en="CHAIR",
    )


def _keep_place_together(parent: str) -> str:
    """ "ỦY BAN NHÂN DÂN QUẬN BÌNH TÂN" breaks, if it must, after "ỦY BAN NHÂN DÂN", never inside the place."""
    head = "ỦY BAN NHÂN DÂN "
    if parent.upper().startswith(head):
        return parent[: len(head)] + parent[len(head) :].replace(" ", NBSP)
    return parent


def _issuer_labels(issuer: Issuer, lang: str, year: str) -> dict[str, Any]:
    en = lang == "en"
    return {
        "issuer_parent": (issuer.parent_en or issuer.parent) if en else _keep_place_together(issuer.parent),
        "issuer": (issuer.name_en or issuer.name) if en else issuer.name,
        "number": document_text("number", lang, symbol=issuer.symbol),
        "place_date": document_text("place_date", lang, place=issuer.place, year=year),
        "signer_title": (issuer.signer_title_en or issuer.signer_title) if en else issuer.signer_title,
        "signer_name": issuer.signer_name,
        "recipient_list": [
            f"{name};" if n < len(recipients) - 1 else f"{name}."
            for recipients in [(issuer.recipients_en or issuer.recipients) if en else issuer.recipients]
            for n, name in enumerate(recipients)
        ],
    }


def _labels(model: dict[str, Any], spec: Objectives, lang: str) -> dict[str, Any]:
    year = model["period"]["end"][:4]
    words = model["report"]["period_words"]
    issuer = spec.issuer or default_issuer(spec)
    own = _issuer_labels(issuer, lang, year)
    name = (issuer.name_en or issuer.name).title() if lang == "en" else (issuer.name_in_text or issuer.name)
    decision = spec.decision
    labels = {k: document_text(k, lang) for k in ("nation", "motto", "report", "part1", "results_note", "part2")}
    labels |= {k: document_text(k, lang) for k in ("none", "part3", "part4", "proposals", "recipients", "signer_note")}
    labels |= {
        **own,
        "title": document_text("title", lang, period=words),
        "basis": document_text(
            "basis",
            lang,
            decision=decision.number,
            date=date_words(decision.date.isoformat(), lang),
            decision_issuer=decision.issuer if lang != "en" else decision.issuer_en,
            decision_title=(decision.title if lang != "en" else decision.title_en).lower(),
            issuer=name,
            period=words,
        ),
        "closing": document_text("closing", lang, period=words, issuer=name),
        "col_no": text("objective", lang),
        "col_indicator": text("indicator", lang),
        "col_target": text("target", lang),
        "col_result": text("value", lang),
        "col_counts": text("counts", lang),
        "col_status": text("status", lang),
        "cause": text("cause", lang),
        "action": text("action", lang),
        "preventive": text("preventive_note", lang),
        "drafts_note": _drafts_note(model, lang),
    }
    return labels


def _drafts_note(model: dict[str, Any], lang: str) -> str:
    report = model["report"]
    if report["drafts"]:
        return text("drafts_note", lang)
    if report["shortfall_view"] and not report["actions"]:
        return text("no_store_actions", lang)
    return ""


def _unbroken(target: str) -> str:
    """ "≥ 98,00 %" never breaks inside; "100 % (hoàn thành)" may break before its note."""
    target = target.replace(" %", NBSP + "%")
    return target[0] + NBSP + target[2:] if target[:1] in ("≥", "≤") else target


def _rows(model: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    rows = []
    for i in model["indicators"]:
        d = i["district"]
        value = percent(d["value"], lang, signed=i["kind"] == "received_growth") if d["value"] is not None else "–"
        counts = f"{number(d['numerator'], lang, 0)} / {number(d['denominator'], lang, 0)}" if d["denominator"] else "–"
        rows.append(
            {
                "objective": i["objective"],
                "title": i["title"],
                "target": _unbroken(target_text(i, lang)),
                "value": value.replace(" ", NBSP),
                "counts": counts,
                "status": status_word(d["status"], lang),
            }
        )
    return rows


def _shortfalls(model: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    out = []
    for n, s in enumerate(model["report"]["shortfall_view"], start=1):
        heading = document_text(
            "shortfall_heading",
            lang,
            n=n,
            title=s["title"],
            unit=s["unit_name"],
            value=s["value"].replace(" %", NBSP + "%"),
            target=_unbroken(s["target"]),
            short_by=s["short_by"].replace(" %", NBSP + "%"),
            unsure=f"; {s['unsure']}" if s["unsure"] else "",
        )
        if s["action_id"] is None:
            empty = document_text("no_action_cell", lang)
        else:
            empty = document_text("draft_cell", lang, id=s["action_id"])
        out.append(
            {
                "heading": heading,
                "contributors": s["contributors"],
                "cause": s["cause"] or empty,
                "action": s["action"] or empty,
            }
        )
    return out


def context(model: dict[str, Any], lang: str, spec: Objectives) -> dict[str, Any]:
    """What the Word template reads: L (labels), rows (results), shortfalls, met (preventive measures)."""
    return {
        "L": _labels(model, spec, lang),
        "rows": _rows(model, lang),
        "shortfalls": _shortfalls(model, lang),
        "met": model["report"]["preventive"],
        "beside": beside.document_lines(model, lang),
        "today": date.today().isoformat(),
    }


def write_document(model: dict[str, Any], path: Path, lang: str, templates: Path, spec: Objectives) -> None:
    """Fill templates/report.docx; a broken template is named with its line (UsageError)."""
    from docxtpl import DocxTemplate

    template = templates / "report.docx"
    try:
        doc = DocxTemplate(str(template))
        doc.render(context(model, lang, spec), autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"{template}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise UsageError(f"{template}: {exc}") from None
    _keep_the_signature_whole(doc)
    _end_with_a_tiny_paragraph(doc)
    doc.save(str(path))


def _keep_the_signature_whole(doc: Any) -> None:
    """The signature block (the body's last table) never splits across pages, and the closing sentence
    before it goes with it: a page never starts with half the recipients or the signer alone."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    if not doc.tables:
        return
    table = doc.tables[-1]
    for row in table.rows:
        props = row._tr.get_or_add_trPr()
        if props.find(qn("w:cantSplit")) is None:
            props.append(OxmlElement("w:cantSplit"))
    before = table._tbl.getprevious()
    if before is not None and before.tag == qn("w:p"):
        Paragraph(before, table._parent).paragraph_format.keep_with_next = True  # in the schema's order


def _end_with_a_tiny_paragraph(doc: Any) -> None:
    """A body that ends with a table (the signature block) gets an empty paragraph from Word or
    LibreOffice, of the normal size: when the table ends near the foot of a page, that paragraph makes
    a blank last page. A paragraph of 1 pt with no spacing, written here, takes its place."""
    from docx.shared import Pt

    body = doc.element.body
    children = [child for child in body if not child.tag.endswith("}sectPr")]
    if not children or not children[-1].tag.endswith("}tbl"):
        return
    last = doc.add_paragraph()
    last.paragraph_format.space_before = last.paragraph_format.space_after = Pt(0)
    last.paragraph_format.line_spacing = Pt(1)
    last.add_run("").font.size = Pt(1)
