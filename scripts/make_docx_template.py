"""Write templates/report.docx: the administrative report of Decree 30/2020/NĐ-CP as a docxtpl template.

Run once after editing this script: `python scripts/make_docx_template.py`. The district may also edit
the .docx in Word; the {{ … }} and {%p … %} / {%tr … %} tags are the docxtpl (Jinja) placeholders.
Times New Roman, A4, margins 20/20/30/15 mm (top, bottom, left, right), as the decree prescribes.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parents[1] / "templates" / "report.docx"


def para(
    doc_or_cell,
    text: str = "",
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    space_after: float = 4,
):
    p = doc_or_cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return p


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    # The heading: issuing body on the left, the national heading on the right.
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Mm(68), Mm(97)
    left.paragraphs[0].text = ""
    para(left, "{{ L.issuer_parent }}", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(left, "{{ L.issuer }}", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    para(left, "{{ L.number }}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(right, "{{ L.nation }}", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(right, "{{ L.motto }}", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    para(right, "{{ L.place_date }}", italic=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{{ L.report }}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, "{{ L.title }}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(doc, "{{ L.basis }}")
    para(doc, "{{ L.part1 }}", bold=True)
    table = doc.add_table(rows=3, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [
            "{{ L.col_no }}",
            "{{ L.col_indicator }}",
            "{{ L.col_target }}",
            "{{ L.col_result }}",
            "{{ L.col_counts }}",
            "{{ L.col_status }}",
        ],
        strict=True,
    ):
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for i in rows %}"
    for cell, text in zip(
        table.rows[2].cells,
        ["{{ i.objective }}", "{{ i.title }}", "{{ i.target }}", "{{ i.value }}", "{{ i.counts }}", "{{ i.status }}"],
        strict=True,
    ):
        cell.paragraphs[0].text = text
    row = table.add_row()
    row.cells[0].paragraphs[0].text = "{%tr endfor %}"
    table.autofit = False
    widths = (11, 55, 25, 23, 27, 24)  # 165 mm of text width: number, indicator, target, result, counts, status
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for r in table.rows:
        for cell, width in zip(r.cells, widths, strict=True):
            cell.width = Mm(width)
    para(doc, "{%p for o in objectives %}", space_after=0)
    para(doc, "{{ o.text }}")
    para(doc, "{%p endfor %}", space_after=0)
    para(doc, "{{ L.part2 }}", bold=True)
    para(doc, "{%p for s in shortfalls %}", space_after=0)
    para(doc, "- {{ s.text }}. {{ L.cause }}: {{ s.cause }}; {{ L.action | lower }}: {{ s.action }}.")
    para(doc, "{%p endfor %}", space_after=0)
    para(doc, "{%p if not shortfalls %}", space_after=0)
    para(doc, "{{ L.none }}")
    para(doc, "{%p endif %}", space_after=0)
    para(doc, "{{ L.part3 }}", bold=True)
    para(doc, "{%p for m in met %}", space_after=0)
    para(doc, "- {{ m }}: {{ L.preventive }}")
    para(doc, "{%p endfor %}", space_after=0)
    para(doc, "{{ L.part4 }}", bold=True)
    para(doc, "{{ L.proposals }}")
    para(doc, "{{ L.closing }}")
    foot = doc.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    para(left, "{{ L.recipients }}", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0)
    para(left, "{%p for n in L.recipient_list %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0)
    para(left, "- {{ n }};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0)
    para(left, "{%p endfor %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0)
    para(right, "{{ L.signer_title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=48)
    para(right, "{{ L.signer_note }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
