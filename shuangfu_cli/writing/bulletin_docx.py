"""The quarterly 通报 as a Word document in the form of a Chinese official document (公文,
GB/T 9704-2012; shared/design/office.md): A4 with its margins, the issuing office in red with
the document number under it, the title in 2号 小标宋, the body in 3号 仿宋 with 黑体 / 楷体
headings, the targets as a Word table, the issuing office and date at the end, and page numbers
"— 1 —" (odd pages right, even pages left).

Word keeps an East Asian font apart from the Latin one (w:eastAsia): every run names both.
Prose uses full-width Chinese punctuation; file names are shown, never paths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..rollup import Rollup
from .bulletin_text import NUMERALS, Table, bulletin_text
from .guard import atomic_path
from .sanitize import for_xlsx

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
PT_2HAO, PT_3HAO, PT_4HAO = 22, 16, 14
PT_5HAO = 10.5


@dataclass(frozen=True)
class Letterhead:
    """Who issues the 通报, under which number, on which date."""

    office: str
    number: str = ""
    date: dt.date | None = None


def _font(run, name: str, size: float, *, bold: bool = False, color: str | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    return run


def _para(doc, text: str = "", font: str = BODY_FONT, size: float = PT_3HAO, *, align=None,
          indent: bool = True, bold: bool = False, color: str | None = None):  # fmt: skip
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)  # 22 lines on the 225 mm text block
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(for_xlsx(text)), font, size, bold=bold, color=color)
    return p


def _page_number(paragraph, align) -> None:
    """— PAGE — in 4号 宋体, the number a field that Word and LibreOffice fill in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = align
    _font(paragraph.add_run("— "), SONG, PT_4HAO)
    run = _font(paragraph.add_run(), SONG, PT_4HAO)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(paragraph.add_run(" —"), SONG, PT_4HAO)


def _setup(doc) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.settings.odd_and_even_pages_header_footer = True  # odd pages right, even left
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _date_zh(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _table(doc, table_text: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    head, rows = table_text.head, table_text.rows
    size = 12 if len(head) <= 6 else PT_5HAO  # 小四, or 五号 for a wide table
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    first = 70 if len(head) <= 3 else 56 if len(head) <= 6 else 44  # the text block: 156 mm
    widths = [Mm(first)] + [Mm((156 - first) / (len(head) - 1))] * (len(head) - 1)
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), HEI, size)
    for _ in rows:
        table.add_row()
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # the cells Word lays out by
    _keep_rows_whole(table)
    for values, row in zip(rows, table.rows[1:], strict=True):
        cells = row.cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            _font(p.add_run(for_xlsx(text)), BODY_FONT, size)


def _keep_rows_whole(table) -> None:
    """No row broken across pages; the header row repeated on every page the table spans."""
    from docx.oxml import OxmlElement

    for i, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if i == 0:
            props.append(OxmlElement("w:tblHeader"))


def build(r: Rollup, head: Letterhead):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    text = bulletin_text(r)
    doc = Document()
    _setup(doc)
    # 版头: the issuing office in red, the number under it, a red rule
    _para(doc, head.office, TITLE_FONT, 26, align=center, indent=False, color="C00000")
    number = _para(doc, head.number or "", BODY_FONT, PT_3HAO, align=center, indent=False)
    _red_rule(number)
    _para(doc, indent=False)
    _para(doc, text.title, TITLE_FONT, PT_2HAO, align=center, indent=False)
    _para(doc, indent=False)
    _para(doc, text.salutation, indent=False)
    _para(doc, text.opening)
    for i, section in enumerate(text.sections):
        _para(doc, f"{NUMERALS[i]}、{section.title}", HEI)
        for paragraph in section.paragraphs:
            _para(doc, paragraph, KAI if paragraph.startswith("（") else BODY_FONT)
        if section.table is not None:
            _table(doc, section.table)
        for paragraph in section.after:
            _para(doc, paragraph)
    _para(doc, indent=False)
    _para(doc, indent=False)
    _para(doc, head.office, align=right, indent=False)
    when = _para(doc, _date_zh(head.date or dt.date.today()), align=right, indent=False)
    when.paragraph_format.right_indent = _chars(4)
    return doc


def _chars(n: int):
    from docx.shared import Pt

    return Pt(PT_3HAO * n)


def _red_rule(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def write_bulletin_docx(r: Rollup, out: Path, head: Letterhead) -> None:
    doc = build(r, head)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
