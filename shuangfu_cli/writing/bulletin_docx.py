"""The quarterly 通报 as a Word document in the form of a Chinese official document (公文,
GB/T 9704-2012; shared/design/office.md): A4 with its margins, the issuing office in red with
the document number under it (its year in 六角括号: 潼扶组办〔2021〕2号), the title in 2号 小标宋,
the body in 3号 仿宋 with 黑体 / 楷体 headings, the targets as a Word table, the issuing office
and date at the end, the 版记 (抄送, 印发机关 and 印发日期 between rules) at the foot of the last
page, and page numbers "— 1 —" (odd pages right, even pages left).

Word keeps an East Asian font apart from the Latin one (w:eastAsia): every run names both.
Prose uses full-width Chinese punctuation; file names are shown, never paths.
"""

from __future__ import annotations

from pathlib import Path

from shuangfu_cli.district.rollup import Rollup
from shuangfu_cli.text.sanitize import for_xml
from shuangfu_cli.writing.bulletin_text import NUMERALS, Table, bulletin_text
from shuangfu_cli.writing.guard import atomic_path
from shuangfu_cli.writing.letterhead import Letterhead, date_zh, doc_number  # noqa: F401 (doc_number: its home)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
PT_2HAO, PT_3HAO, PT_4HAO = 22, 16, 14
PT_5HAO = 10.5
LEFT_MARGIN_MM = 28  # the binding margin (GB/T 9704)


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
        _font(p.add_run(for_xml(text)), font, size, bold=bold, color=color)
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
    section.left_margin, section.right_margin = Mm(LEFT_MARGIN_MM), Mm(26)
    doc.settings.odd_and_even_pages_header_footer = True  # odd pages right, even left
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


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
        _font(p.add_run(for_xml(text)), HEI, size)
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
            _font(p.add_run(for_xml(text)), BODY_FONT, size)


def _keep_rows_whole(table, *, header: bool = True) -> None:
    """No row broken across pages; the header row repeated on every page the table spans."""
    from docx.oxml import OxmlElement

    for i, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if i == 0 and header:
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
        heading = _para(doc, f"{NUMERALS[i]}、{section.title}", HEI)
        heading.paragraph_format.keep_with_next = True  # never alone at a page's foot
        for paragraph in section.paragraphs:
            _para(doc, paragraph, KAI if paragraph.startswith("（") else BODY_FONT)
        if section.table is not None:
            _table(doc, section.table)
        for paragraph in section.after:
            _para(doc, paragraph)
    _para(doc, indent=False)
    _para(doc, indent=False)
    _para(doc, head.office, align=right, indent=False)
    when = _para(doc, date_zh(head.issued), align=right, indent=False)
    when.paragraph_format.right_indent = _chars(4)
    _imprint(doc, head)
    return doc


#: the 版记's rules in eighths of a point: the first and last 0.35 mm, the ones between 0.25 mm
THICK, THIN = 8, 6


def _imprint(doc, head: Letterhead) -> None:
    """版记 (GB/T 9704 7.4): 抄送 (if any) over 印发机关 and 印发日期, in 4号 仿宋, a character
    in from each side, between rules as wide as the text block — thick above the first and
    under the last, thin between. A table of one column, floating at the foot of the last page
    (text does not run under it)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Emu, Mm, Pt

    lines = head.imprint()
    width = Mm(156)  # the text block
    table = doc.add_table(rows=len(lines), cols=1)
    table.autofit = False
    table.columns[0].width = width
    for row, (left, right) in zip(table.rows, lines, strict=True):
        cell = row.cells[0]
        cell.width = width
        p = cell.paragraphs[0]
        fmt = p.paragraph_format
        fmt.line_spacing = Pt(22)
        fmt.space_before = fmt.space_after = Pt(4)
        fmt.left_indent = fmt.right_indent = _chars(1, PT_4HAO)
        if right is None:  # 抄送: a line run over starts under the first office's name
            fmt.left_indent = _chars(4, PT_4HAO)
            fmt.first_line_indent = -_chars(3, PT_4HAO)
        else:  # 印发日期 a character in from the right: a right tab there
            stop = Emu(width - _chars(1, PT_4HAO))
            fmt.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT)
        _font(p.add_run(for_xml(left if right is None else f"{left}\t{right}")), BODY_FONT, PT_4HAO)
    _keep_rows_whole(table, header=False)
    _float_at_page_foot(table)
    # a floating table is anchored to the paragraph after it: one of a point, taking no room
    anchor = doc.add_paragraph().paragraph_format
    anchor.line_spacing, anchor.space_before, anchor.space_after = Pt(1), Pt(0), Pt(0)


#: the order of a table's properties in the schema (Word refuses a file out of order)
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook")  # fmt: skip


def _float_at_page_foot(table) -> None:
    """The table floating at the foot of the text block, text kept off it; rules
    above, between and under its rows (no side rules); no cell margins, so its rules are as
    wide as the text block."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from lxml.etree import _Element

    def el(tag: str, **attrs) -> _Element:
        e = OxmlElement(f"w:{tag}")
        for k, v in attrs.items():
            e.set(qn(f"w:{k}"), str(v))
        return e

    tbl_pr = table._tbl.tblPr
    # placed from the page's edge, at the left margin: LibreOffice floats a table as wide as
    # the text block only when it is placed against the page
    left = round(LEFT_MARGIN_MM / 25.4 * 1440)
    floating = el("tblpPr", leftFromText=0, rightFromText=0, topFromText=0, bottomFromText=0,
                  vertAnchor="margin", horzAnchor="page", tblpX=left, tblpYSpec="bottom")  # fmt: skip
    borders = el("tblBorders")
    for edge, size in (("top", THICK), ("bottom", THICK), ("insideH", THIN)):
        borders.append(el(edge, val="single", sz=size, space=0, color="000000"))
    for edge in ("left", "right", "insideV"):
        borders.append(el(edge, val="nil"))
    margins = el("tblCellMar")
    for edge in ("left", "right"):
        margins.append(el(edge, w=0, type="dxa"))
    for e in (floating, el("tblOverlap", val="never"), borders, margins):
        _insert_in_order(tbl_pr, e, _TBLPR_ORDER)
    width = tbl_pr.find(qn("w:tblW"))  # its width, not "auto": LibreOffice floats it then
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(table.columns[0].width.twips))


def _chars(n: float, size: float = PT_3HAO):
    from docx.shared import Pt

    return Pt(size * n)


#: the order of a paragraph's properties in the schema (Word refuses a file out of order)
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc")  # fmt: skip


def _insert_in_order(props, el, order: tuple[str, ...] = _PPR_ORDER) -> None:
    """Put `el` among a paragraph's (or with `order`, a table's) properties where the schema
    wants it."""
    from docx.oxml.ns import qn

    name = el.tag.split("}")[1]
    later = {qn(f"w:{n}") for n in order[order.index(name) + 1 :]}
    for child in props:
        if child.tag in later:
            child.addprevious(el)
            return
    props.append(el)


def _red_rule(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    _insert_in_order(ppr, border)


def write_bulletin_docx(r: Rollup, out: Path, head: Letterhead) -> None:
    doc = build(r, head)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
