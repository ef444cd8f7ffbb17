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

from ..bulletin import QUARTER_ZH, number, percent
from ..config import load_registry
from ..rollup import Rollup, town_ranking
from .guard import atomic_path
from .sanitize import for_xlsx, show_path

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
PT_2HAO, PT_3HAO, PT_4HAO = 22, 16, 14
NUMERALS = "一二三四五六七八九十"
#: a town's state as prose says it (the workbook's STATUS_ZH has half-width brackets)
STATUS_ZH = {
    "valid": "通过",
    "invalid": "未通过校验",
    "unreadable": "无法读取",
    "missing": "未报送",
    "duplicate": "重复报送",
}


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


def _table(doc, head: list[str], rows: list[list[str]]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    first = 56 if len(head) > 3 else 70  # the text block is 156 mm wide
    widths = [Mm(first)] + [Mm((156 - first) / (len(head) - 1))] * (len(head) - 1)
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), HEI, 12)
    for _ in rows:
        table.add_row()
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # the cells Word lays out by
    for values, row in zip(rows, table.rows[1:], strict=True):
        cells = row.cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            _font(p.add_run(for_xlsx(text)), BODY_FONT, 12)


def build(r: Rollup, head: Letterhead):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    reg = load_registry().by_code()
    doc = Document()
    _setup(doc)
    year, q = r.period[:4], r.period[-1]
    # 版头: the issuing office in red, the number under it, a red rule
    _para(doc, head.office, TITLE_FONT, 26, align=center, indent=False, color="C00000")
    number = _para(doc, head.number or "", BODY_FONT, PT_3HAO, align=center, indent=False)
    _red_rule(number)
    _para(doc, indent=False)
    _para(doc, f"关于{year}年扶志扶智工作{QUARTER_ZH[q]}进展情况的通报", TITLE_FONT, PT_2HAO,
          align=center, indent=False)  # fmt: skip
    _para(doc, indent=False)
    _para(doc, "各镇党委（街道党工委）、人民政府（街道办事处）：", indent=False)
    valid = r.valid_towns
    months = f"{year}年1—{int(q) * 3}月"
    _para(
        doc,
        f"现将{months}全区贫困群众扶志扶智（“双扶”）工作进展情况通报如下。本期应报"
        f"{len(r.towns)}个镇（街道），通过校验并计入全区合计的{len(valid)}个；"
        f"序时进度为{percent(r.time_progress)}。",
    )
    sections = _sections(r, reg)
    for i, (title, paragraphs, table) in enumerate(sections):
        _para(doc, f"{NUMERALS[i]}、{title}", HEI)
        for text in paragraphs:
            if text.startswith("（"):
                _para(doc, text, KAI)
            else:
                _para(doc, text)
        if table is not None:
            _table(doc, *table)
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


_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"})


def _name(reg, code: str) -> str:
    """An indicator's Chinese name as prose writes it (the registry's half-width brackets
    made full-width)."""
    return reg[code].name_zh.translate(_FULL_WIDTH)


def _sections(r: Rollup, reg) -> list[tuple[str, list[str], tuple | None]]:
    counts = {s: 0 for s in STATUS_ZH}
    for state in r.towns.values():
        counts[state.status] += 1
    overall = [
        f"全区{len(r.towns)}个镇（街道）中，{counts['valid']}个报表通过校验并计入合计，"
        f"{counts['invalid']}个未通过校验，{counts['unreadable']}个无法读取，"
        f"{counts['missing']}个未报送，{counts['duplicate']}个重复报送。",
    ]
    rows, behind = [], []
    for code, t in r.targets.items():
        name = _name(reg, code) + ("（覆盖率）" if t.coverage else "")
        late = r.is_behind(t)
        if late:
            behind.append(name)
        rows.append(
            [
                name,
                number(t.target),
                number(t.actual),
                percent(t.completion),
                percent(r.time_progress),
                "滞后" if late else "达到",
            ]
        )
    targets = (
        "各项目标任务完成情况见下表（完成率低于序时进度的为滞后）。",
        (["指标", "全年目标", "完成", "完成率", "序时进度", "进度"], rows),
    )
    ranking = town_ranking(r)
    if ranking:
        top = "、".join(t for t, _ in ranking[:3])
        bottom = "、".join(t for t, _ in ranking[-3:])
        towns = [
            f"按各项分解任务的平均完成率排序，前三位是{top}，后三位是{bottom}。",
        ]
        town_rows = [
            [town, percent(score), str(sum(town in t.behind_towns for t in r.targets.values()))]
            for town, score in ranking
        ]
        town_table = (["镇（街道）", "平均完成率", "滞后指标数"], town_rows)
    else:
        towns, town_table = ["本期没有通过校验的报表，无法排序。"], None
    problems = []
    if behind:
        problems.append(f"（一）部分指标滞后于序时进度。{'、'.join(behind)}未达到序时进度。")
        for code, t in r.targets.items():
            if t.behind_towns:
                towns_late = "、".join(t.behind_towns)
                problems.append(f"{_name(reg, code)}滞后的镇（街道）：{towns_late}。")
    not_counted = [(town, s) for town, s in r.towns.items() if s.status != "valid"]
    if not_counted or r.ignored:
        parts = [
            f"{town}（{STATUS_ZH[s.status]}"
            + (f"，{'、'.join(Path(show_path(f)).name for f in s.files)}" if s.files else "")
            + "）"
            for town, s in not_counted
        ]
        text = "（二）部分镇（街道）报表未计入全区合计。" + ("、".join(parts) + "。" if parts else "")
        problems.append(text)
        for ig in r.ignored:
            problems.append(f"{Path(show_path(ig.file)).name}未计入：{ig.public_zh}。")
    checks = r.village_checks
    policy = []
    if checks.get("poor_villages_under_4"):
        policy.append(f"致富带头人不足4人的贫困村{checks['poor_villages_under_4']}个")
    if checks.get("villages_without_leader"):
        policy.append(f"没有致富带头人的村（社区）{checks['villages_without_leader']}个")
    if checks.get("villages_under_3_households"):
        policy.append(f"带头人人均带动不足3户的村（社区）{checks['villages_under_3_households']}个")
    if policy:
        problems.append("（三）政策要求尚未全部落实。" + "，".join(policy) + "。")
    if not problems:
        problems.append("各项指标均达到序时进度，各镇（街道）报表均已计入。")
    next_steps = [
        "（一）对照序时进度，滞后的镇（街道）要分析原因、倒排工期，确保按期完成全年目标任务。",
        "（二）未通过校验的镇（街道）要按审核意见逐项修改，核实性问题在“审核说明”中写明原因，"
        "按时重新报送。",
        "（三）（此处由区扶贫办填写本季度的具体工作要求。）",
    ]
    return [
        ("总体情况", overall, None),
        ("目标任务完成情况", [targets[0]], targets[1]),
        ("各镇街完成情况", towns, town_table),
        ("存在的问题", problems, None),
        ("下一步工作要求", next_steps, None),
    ]


def write_bulletin_docx(r: Rollup, out: Path, head: Letterhead) -> None:
    doc = build(r, head)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
