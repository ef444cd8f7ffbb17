"""The 指标解释 sheet (Attachment 7): every indicator's code, name, unit, kind, definition,
bounds and 2020 target, each row as high as its longest wrapped text so that it prints
readably."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from shuangfu_cli.writing.styles import BORDER, CENTER, TITLE_FONT, WRAP
from shuangfu_cli.writing.template import paper
from shuangfu_cli.writing.template.sections import Book

HEADERS = (
    "指标代码",
    "指标名称",
    "计量单位",
    "类型",
    "指标解释（口径）",
    "不得大于",
    "合理上限",
    "{year}年全区目标",
)
WIDTHS = (26, 24, 7, 9, 70, 26, 10, 12)
LINE_POINTS = 13.5  # one line of 11 pt text


def write_indicators(book: Book) -> None:
    ws = book.wb.create_sheet("指标解释")
    width = len(HEADERS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    title = ws.cell(1, 1, "“双扶”工作季报表指标解释")
    title.font, title.alignment = TITLE_FONT, CENTER
    ws.row_dimensions[1].height = 30
    paper.header_row(ws, 3, [h.format(year=book.period[:4]) for h in HEADERS])
    for c, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    row = 3
    for row, ind in enumerate(book.registry.indicators, start=4):
        target = ind.target if ind.target is not None else (ind.target_note or "")
        values = (
            ind.code,
            ind.name_zh,
            ind.unit,
            "流量（累计）" if ind.kind == "flow" else "存量（期末）",
            ind.definition,
            "、".join(ind.not_above),
            f"{ind.max}{ind.unit}",
            target,
        )
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row, c, v)
            cell.border = BORDER
            cell.alignment = WRAP
        lines = max(paper.lines_needed(str(v), w) for v, w in zip(values, WIDTHS, strict=True))
        ws.row_dimensions[row].height = LINE_POINTS * lines + 4
    ws.freeze_panes = "A4"
    paper.print_setup(ws, width, row, landscape=True, title_rows="3:3")
    paper.protect(ws)
