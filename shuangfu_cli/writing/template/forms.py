"""The cover and the attachment sheets (附件2–5): blocks of single figures and grids, each with
its header, 栏次 row, input cells, formula totals, and the 审核关系 printed under the form."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from schemas import Cover
from shuangfu_cli.form.layout import (
    GRID_LABEL_HEADER,
    SCALAR_HEADER,
    BlockLayout,
    Figure,
    SheetLayout,
)
from shuangfu_cli.writing.styles import (
    BOLD,
    BORDER,
    CENTER,
    INPUT_FILL,
    MONEY_FORMAT,
    TITLE_FONT,
    TOTAL_FILL,
    UNLOCKED,
)
from shuangfu_cli.writing.template import paper
from shuangfu_cli.writing.template.sections import Book

#: the code column of single-figure blocks, kept two columns right of the printed form
CODE_HEADER = "指标代码"


def write_cover(book: Book) -> None:
    ws = book.wb.create_sheet(Cover.sheet.name)
    ws.merge_cells("A1:D1")
    ws["A1"] = Cover.sheet.title
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 36
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 40
    prefill = {"town": book.town.name, "period": book.period}
    for i, f in enumerate(book.layout.cover):
        r = 3 + i
        ws.cell(r, 1, f.label).font = BOLD
        ws.cell(r, 1).border = BORDER
        cell = ws.cell(r, 2, prefill.get(f.key))
        cell.border = BORDER
        if f.key not in prefill:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
        if f.key == "date":
            cell.number_format = "yyyy-mm-dd"
            book.dv(ws, "date").add(cell.coordinate)
        book.name(f.name, ws, r, 2)
    notes = [
        "填表说明：",
        "1. 报告期为季度，流量指标填1月1日至本季度末的累计数，存量指标填本季度末的时点数（见“指标解释”表）。",
        "2. 只在浅黄色格子中填写；灰色格子为自动计算的合计，不要改动。没有数据的填0。",
        "3. 扶贫车间、分村（社区）明细和培训班明细填在各自的明细表中，汇总数自动计算；"
        "行数不够时，在表格中间插入行。",
        "4. 校验工具提示“核实性”问题且数据属实的，请在“审核说明”表中写明原因。",
        "5. 请勿增删、改名工作表，勿修改项目名称；保存为.xlsx（WPS用户请选择Excel格式）。",
    ]
    for i, line in enumerate(notes):
        cell = ws.cell(11 + i, 1, line)
        ws.merge_cells(start_row=11 + i, start_column=1, end_row=11 + i, end_column=4)
        cell.alignment = paper.NOTE
        ws.row_dimensions[11 + i].height = 14 * paper.lines_needed(line, 100) + 2
    paper.print_setup(ws, 4, 10 + len(notes), landscape=False)
    paper.protect(ws)


def write_attachment(book: Book, sheet_layout: SheetLayout) -> None:
    ws = book.wb.create_sheet(sheet_layout.sheet.name)
    scalar_width = len(SCALAR_HEADER)
    width = max(scalar_width, *(1 + len(b.columns) for b in sheet_layout.blocks))
    widths = [30] + [16] * (width - 1)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    code_col = width + 2
    ws.column_dimensions[get_column_letter(code_col)].width = 30
    row = paper.frame_top(book, ws, sheet_layout.sheet.title, sheet_layout.sheet.unit_line, width)
    first_block = row
    for block in sheet_layout.blocks:
        row = _block(book, ws, block, row, code_col) + 1
    notes = _notes(book, sheet_layout)
    last = paper.sign_off_and_notes(ws, row, width, notes, widths)
    paper.print_setup(
        ws,
        width,
        last,
        landscape=sum(widths) > 95,
        title_rows=f"{first_block - 3}:{first_block - 2}",
    )
    paper.protect(ws)


def _block(book: Book, ws, block: BlockLayout, row: int, code_col: int) -> int:
    ws.cell(row, 1, block.block.title).font = BOLD
    row += 1
    if block.kind == "scalar":
        paper.header_row(ws, row, list(SCALAR_HEADER))
        code_head = ws.cell(row, code_col, CODE_HEADER)
        code_head.font = paper.CODE_FONT
        paper.column_numbers(ws, row + 1, 2, 1)
    else:
        paper.header_row(ws, row, [GRID_LABEL_HEADER] + [c.label for c in block.columns])
        paper.column_numbers(ws, row + 1, 1, len(block.columns))
    row += 2
    figures = {f.code: f for f in block.figures}
    if block.kind == "scalar":
        for code, label in block.rows:
            f = figures[code]
            for c, text in enumerate([label, f.unit], start=1):
                ws.cell(row, c, text).border = BORDER
            ws.cell(row, 2).alignment = CENTER
            _figure(book, ws, f, row, 3)
            ws.cell(row, code_col, code).font = paper.CODE_FONT
            row += 1
    else:
        for rkey, label in block.rows:
            ws.cell(row, 1, label).border = BORDER
            for c, col in enumerate(block.columns, start=2):
                _figure(book, ws, figures[block.block.code(rkey, col.key)], row, c)
            row += 1
    return row


def _figure(book: Book, ws, f: Figure, row: int, col: int) -> None:
    cell = ws.cell(row, col)
    cell.border = BORDER
    cell.number_format = MONEY_FORMAT if f.vtype == "money" else "0"
    book.name(f.code, ws, row, col)
    if f.is_input:
        cell.protection = UNLOCKED
        cell.fill = INPUT_FILL
        book.dv(ws, f.vtype, most=book.bounds.get(f.code)).add(cell.coordinate)
    else:
        cell.fill = TOTAL_FILL
        book.pending_formulas.append((cell, f))


def formula(book: Book, f: Figure) -> str:
    """A total's or a list summary's formula. List ranges run from the list's header row, so
    that a row inserted anywhere in the list, even straight under the header, is inside them,
    to its closing line (see .lists). A summary counts only rows with a name, and a count only
    those whose figure column holds a number (a note typed into the list is neither; the
    header's labels are text, never a number)."""
    if f.parts:
        return "=" + "+".join(book.figure_cells[p] for p in f.parts)
    s, of = f.summary, f.summary_of
    if s is None or of is None:
        raise ValueError(f"{f.code} is neither a total nor a list summary: it has no formula")
    ranges = {key: rng for (name, key), rng in book.list_ranges.items() if name == of}
    criteria = [ranges[book.layout.list(of).form.key], '"<>"']
    if s.op == "count":
        head = "COUNTIFS("
        if s.column:
            criteria += [ranges[s.column], '">=0"']
    else:
        assert s.column is not None  # a sum sums a column
        head = f"SUMIFS({ranges[s.column]},"
    if s.where is None:
        header = "-1" if s.op == "count" and not s.column else ""  # the header's name
        return "=" + head + ",".join(criteria) + ")" + header
    where = ranges[s.where]
    return "=" + "+".join(head + ",".join([*criteria, where, f'"{v}"']) + ")" for v in s.values)


def _notes(book: Book, sheet_layout: SheetLayout) -> list[str]:
    """The 说明 under the form: who fills it and how, and its 审核关系 written with the 栏次."""
    figures = book.layout.figures
    relations: list[str] = []
    summed: dict[str, list[str]] = {}
    for block in sheet_layout.blocks:
        number: dict[str | None, str] = {
            c.label: str(i) for i, c in enumerate(block.columns, start=1)
        }
        for f in block.figures:
            if f.parts and (block.kind == "scalar" or f.col_label == block.columns[0].label):
                parts = "+".join(figures[p].row_label for p in f.parts)
                where = "（各栏）" if block.kind == "grid" else ""
                relations.append(f"{f.row_label}={parts}{where}")
            if f.summary_of:
                sheet = book.layout.list(f.summary_of).sheet.name.split(" ")[0]
                summed.setdefault(sheet, []).append(f.row_label)
            for others, op in ((f.not_above, "≤"), (f.not_below, "≥")):
                for code in others:
                    other = figures[code]
                    if block.kind == "grid" and other.row_label == f.row_label:
                        text = f"{number[f.col_label]}栏{op}{number[other.col_label]}栏"
                    elif other.sheet != f.sheet:
                        continue  # checked by the tool; not a relation of this form
                    elif block.kind == "grid":
                        continue  # a row total against a row total: the column rule covers it
                    else:
                        text = f"“{f.row_label}”{op}“{other.row_label}”"
                    if text not in relations:
                        relations.append(text)
    notes = [
        f"本表由{book.town.name}填报。报告期为季度：流量指标填1月1日至本季度末的累计数，"
        "存量指标填本季度末的时点数（口径见“指标解释”表）。",
    ]
    if relations:
        notes.append("审核关系：" + "；".join(relations) + "。")
    gray = "灰色格子为自动计算的数，不要填写"
    for sheet, labels in summed.items():
        shown = "、".join(dict.fromkeys(labels))
        gray += f"；“{shown}”由{sheet}明细表自动汇总"
    notes.append(gray + "。")
    return notes
