"""Write templates/report.docx: the administrative report of Decree 30/2020/NĐ-CP as a docxtpl template.

Run after editing this script: `python scripts/make_docx_template.py`. The district may also edit the
.docx in Word; the {{ … }} and {%p … %} / {%tr … %} tags are the docxtpl (Jinja) placeholders.

The layout follows Appendix I of the decree: A4 portrait, Times New Roman, margins 20 mm top and
bottom, 30 mm left, 15 mm right; the issuing body (its governing body above it) on the left and the
national heading on the right, each on one line, with a short rule under the issuing body and a rule
as long as the motto under it; number and symbol under the issuing body, the place-date line in
italics under the motto; the kind of document and its title centred in bold with a short rule; the
body justified with a first-line indent; page numbers centred at the top from the second page;
recipients on the left and the signature block on the right at the end.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parents[1] / "templates" / "report.docx"
TEXT_WIDTH = 165  # mm: 210 - 30 - 15
HEAD_LEFT, HEAD_RIGHT = 72, 93  # the heading's two columns, mm: the national heading fits on one line
INDENT = Mm(10)  # first-line indent of the body
CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY


def para(
    where,
    text: str = "",
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align=JUSTIFY,
    after: float = 6,
    indent: bool = False,
):
    """A paragraph of one run; body paragraphs get the first-line indent."""
    p = where.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(0)
    if indent:
        fmt.first_line_indent = INDENT
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return p


def tag(where, text: str):
    """A docxtpl control paragraph ({%p … %}): removed when the template is rendered."""
    return para(where, text, size=2, after=0, align=LEFT)


def rule(where, width_mm: float, cell_mm: float):
    """A short horizontal rule, centred: an empty paragraph with a top border, indented on both sides."""
    p = where.add_paragraph()
    fmt = p.paragraph_format
    side = Mm(max(cell_mm - width_mm, 0) / 2)
    fmt.left_indent, fmt.right_indent = side, side
    fmt.space_before, fmt.space_after = Pt(0), Pt(4)
    fmt.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    border.append(top)
    p._p.get_or_add_pPr().append(border)
    return p


def fixed_table(doc, rows: int, widths_mm: tuple[float, ...], borders: bool):
    """A table whose grid, cell widths and fixed layout agree, so Word and LibreOffice lay it out alike."""
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if borders:
        table.style = "Table Grid"
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def repeat_header(row) -> None:
    """The header row is repeated on every page the table runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def page_numbers(section) -> None:
    """Page numbers centred at the top, from the second page on (Decree 30, Appendix I)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    run = p.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(6)
    page_numbers(section)


def heading(doc) -> None:
    """The issuing body and the national heading, the number and symbol, the place-date line."""
    head = fixed_table(doc, 1, (HEAD_LEFT, HEAD_RIGHT), borders=False)
    left, right = head.rows[0].cells
    left.paragraphs[0].text = "{{ L.issuer_parent }}"
    left.paragraphs[0].alignment = CENTER
    left.paragraphs[0].paragraph_format.space_after = Pt(0)
    left.paragraphs[0].runs[0].font.size = Pt(12)
    para(left, "{{ L.issuer }}", bold=True, size=12.5, align=CENTER, after=0)
    rule(left, 22, HEAD_LEFT)
    para(left, "{{ L.number }}", size=13, align=CENTER, after=0)
    right.paragraphs[0].text = "{{ L.nation }}"
    right.paragraphs[0].alignment = CENTER
    right.paragraphs[0].paragraph_format.space_after = Pt(0)
    right.paragraphs[0].runs[0].font.size = Pt(12)
    right.paragraphs[0].runs[0].bold = True
    para(right, "{{ L.motto }}", bold=True, size=13, align=CENTER, after=0)
    rule(right, 62, HEAD_RIGHT)
    para(right, "{{ L.place_date }}", italic=True, size=13, align=CENTER, after=0)
    para(doc, "", after=6)
    para(doc, "{{ L.report }}", bold=True, size=14, align=CENTER, after=0)
    para(doc, "{{ L.title }}", bold=True, size=14, align=CENTER, after=0)
    rule(doc, 45, TEXT_WIDTH)


def results(doc) -> None:
    """Part I: the results, once, as a table that fits the A4 text width."""
    para(doc, "{{ L.part1 }}", bold=True)
    widths = (12, 56, 24, 22, 27, 24)  # 165 mm: objective, indicator, target, result, counts, status
    table = fixed_table(doc, 3, widths, borders=True)
    heads = ["L.col_no", "L.col_indicator", "L.col_target", "L.col_result", "L.col_counts", "L.col_status"]
    for cell, key in zip(table.rows[0].cells, heads, strict=True):
        run = cell.paragraphs[0].add_run("{{ " + key + " }}")
        run.bold, run.font.size = True, Pt(12)
        cell.paragraphs[0].alignment = CENTER
    repeat_header(table.rows[0])
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for i in rows %}"
    cells = ["i.objective", "i.title", "i.target", "i.value", "i.counts", "i.status"]
    for n, (cell, key) in enumerate(zip(table.rows[2].cells, cells, strict=True)):
        run = cell.paragraphs[0].add_run("{{ " + key + " }}")
        run.font.size = Pt(12)
        cell.paragraphs[0].alignment = LEFT if n == 1 else CENTER
    table.add_row().cells[0].paragraphs[0].text = "{%tr endfor %}"
    para(doc, "{{ L.results_note }}", italic=True, size=12, indent=True, after=6)


def shortfalls(doc) -> None:
    """Part II: each shortfall with what is known, its cause and corrective action (or how to fill them)."""
    para(doc, "{{ L.part2 }}", bold=True)
    tag(doc, "{%p if L.drafts_note %}")
    para(doc, "{{ L.drafts_note }}", italic=True, indent=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for s in shortfalls %}")
    para(doc, "{{ s.heading }}", bold=True, indent=True, after=2)
    tag(doc, "{%p for c in s.contributors %}")
    para(doc, "- {{ c }}", indent=True, after=2)
    tag(doc, "{%p endfor %}")
    para(doc, "- {{ L.cause }}: {{ s.cause }}", indent=True, after=2)
    para(doc, "- {{ L.action }}: {{ s.action }}", indent=True)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not shortfalls %}")
    para(doc, "{{ L.none }}", indent=True)
    tag(doc, "{%p endif %}")


def closing(doc) -> None:
    """Parts III and IV, the closing sentence, recipients and signature."""
    para(doc, "{{ L.part3 }}", bold=True)
    para(doc, "{{ L.preventive }}", indent=True)
    tag(doc, "{%p for m in met %}")
    para(doc, "- {{ m }}", indent=True, after=2)
    tag(doc, "{%p endfor %}")
    para(doc, "{{ L.part4 }}", bold=True)
    para(doc, "{{ L.proposals }}", indent=True)
    para(doc, "{{ L.closing }}", indent=True, after=12)
    foot = fixed_table(doc, 1, (80, 85), borders=False)
    left, right = foot.rows[0].cells
    left.paragraphs[0].text = "{{ L.recipients }}"
    left.paragraphs[0].runs[0].bold = left.paragraphs[0].runs[0].italic = True
    left.paragraphs[0].runs[0].font.size = Pt(12)
    left.paragraphs[0].paragraph_format.space_after = Pt(0)
    tag(left, "{%p for n in L.recipient_list %}")
    para(left, "- {{ n }}", size=11, align=LEFT, after=0)
    tag(left, "{%p endfor %}")
    right.paragraphs[0].text = "{{ L.signer_title }}"
    right.paragraphs[0].alignment = CENTER
    right.paragraphs[0].runs[0].bold = True
    right.paragraphs[0].paragraph_format.space_after = Pt(0)
    para(right, "{{ L.signer_note }}", italic=True, size=12, align=CENTER, after=60)
    para(right, "{{ L.signer_name }}", bold=True, align=CENTER, after=0)


def main() -> None:
    doc = Document()
    setup(doc)
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    heading(doc)
    para(doc, "{{ L.basis }}", indent=True)
    results(doc)
    shortfalls(doc)
    closing(doc)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
