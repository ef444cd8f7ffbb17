"""The frame every printed form has (shared/design/office.md): the identity block at the top
right (表号, 制定机关, 批准文号, 有效期至), the title, the line of 填报单位 / period / unit, the
栏次 row, the sign-off line and the numbered 说明 under the grid; and the page set-up: A4, print
area, header rows repeated, 第 X 页 共 Y 页 in the footer, sheet protection."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from shuangfu_cli.writing.styles import BOLD, BORDER, CENTER, HEAD_FILL, TITLE_FONT
from shuangfu_cli.writing.template.sections import Book

SIGN_OFF_ITEMS = (
    "单位负责人：",
    "统计负责人：",
    "填表人：",
    "联系电话：",
    "报出日期：20    年    月    日",
)
SIGN_OFF_GAP = 10  # spaces after each item, room to sign
#: the same, compact, for the footer of a list that grows over pages
SIGN_OFF_FOOTER = (
    "单位负责人：        统计负责人：        填表人：        联系电话：            "
    "报出日期：20    年    月    日"
)
PAGE_NUMBER = "第 &P 页 共 &N 页"
SMALL = Font(name="宋体", size=9)
CODE_FONT = Font(name="Arial", size=8, color="808080")
RIGHT = Alignment(horizontal="right", vertical="center")
NOTE = Alignment(horizontal="left", vertical="top", wrap_text=True)
#: 栏次 of text columns; data columns are numbered 1, 2, 3 ...
TEXT_COLUMNS = "甲乙丙丁戊己庚辛"


def text_width(text: str) -> int:
    """Width in character cells: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def period_formula(cover_period: str) -> str:
    """The period printed under each form's title, derived from the cover's period (the
    defined name `cover_period`), so that a file reused for the next quarter prints the quarter
    its cover says: '2020Q3', '2020-Q3', '2020年第三季度', '2020年3季度' and '2020年1-9月' all
    print 2020年1-9月 (flows are cumulative from January). A period it cannot read prints as it
    is typed on the cover, never a quarter the cover does not say. Only functions that Excel,
    WPS and LibreOffice all have (no LET, no regular expressions)."""
    p = f"TRIM({cover_period})"
    by_q = f'VALUE(MID({p},SEARCH("Q",{p})+1,1))'  # 2020Q3, 2020-Q3, 2020年Q3
    by_name = f'MOD(FIND(MID({p},FIND("季",{p})-1,1),"一二三四1234")-1,4)+1'  # 第三季度, 3季度
    months = f'MID({p},FIND("-",{p})+1,FIND("月",{p})-FIND("-",{p})-1)'  # 1-9月
    by_months = f'(FIND("|"&{months}&"|","|3|6|9|12|")+1)/2'
    quarter = f"IFERROR({by_q},IFERROR({by_name},{by_months}))"
    return f'=IFERROR(VALUE(LEFT({p},4))&"年1-"&CHOOSE({quarter},3,6,9,12)&"月",""&{p})'


def frame_top(book: Book, ws, title: str, unit_line: str, width: int) -> int:
    """Identity block (if the reference file has one), title and the line under it, across
    `width` printed columns. Returns the first free row (after a blank one)."""
    row = 1
    if book.forms is not None:
        for label, value in book.forms.lines(ws.title):
            cell = ws.cell(row, width, f"{label}：{value}")
            cell.font, cell.alignment = SMALL, RIGHT
            row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1, title).font = TITLE_FONT
    ws.cell(row, 1).alignment = CENTER
    ws.row_dimensions[row].height = 30
    row += 1
    ws.cell(row, 1, f"填报单位（盖章）：{book.town.name}")
    period = ws.cell(row, max(2, (width + 1) // 2), period_formula(book.cover_name("period")))
    period.alignment = CENTER
    if unit_line:
        ws.cell(row, width, unit_line).alignment = RIGHT
    return row + 2


def header_row(ws, row: int, labels: list[str]) -> None:
    for c, text in enumerate(labels, start=1):
        cell = ws.cell(row, c, text)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTER
    ws.row_dimensions[row].height = 30


def column_numbers(ws, row: int, text_columns: int, data_columns: int) -> None:
    """The 栏次 row: 甲, 乙 … over the text columns, 1, 2 … over the data columns (as text, so
    that no SUM over a column ever adds them)."""
    marks = [TEXT_COLUMNS[i] for i in range(text_columns)]
    marks += [str(i) for i in range(1, data_columns + 1)]
    for c, mark in enumerate(marks, start=1):
        cell = ws.cell(row, c, mark)
        cell.font, cell.border, cell.alignment = SMALL, BORDER, CENTER


def sign_off_lines(room: float) -> list[str]:
    """The sign-off items packed into as few lines as fit `room` characters, never broken
    inside an item."""
    lines: list[str] = []
    for item in SIGN_OFF_ITEMS:
        if lines and text_width(lines[-1]) + SIGN_OFF_GAP + text_width(item) <= room:
            lines[-1] += " " * SIGN_OFF_GAP + item
        else:
            lines.append(item)
    return lines


def sign_off_and_notes(ws, row: int, width: int, notes: list[str], widths: Sequence[float]) -> int:
    """The sign-off line and the numbered 说明 under the grid, each merged across the printed
    width and as high as its (wrapped) text. Returns the last row used."""
    total = sum(widths)
    lines = sign_off_lines(total * 0.95)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1, "\n".join(lines)).alignment = Alignment(vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = 18 * len(lines) + 6
    for i, text in enumerate(notes):
        r = row + 2 + i
        line = ("说明：" if i == 0 else "") + f"{i + 1}. {text}"
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        cell = ws.cell(r, 1, line if i == 0 else "      " + line)
        cell.font, cell.alignment = SMALL, NOTE
        ws.row_dimensions[r].height = 13 * lines_needed(cell.value, total * 1.1) + 2
    return row + 1 + len(notes)


def print_setup(
    ws,
    last_col: int,
    last_row: int,
    *,
    landscape: bool,
    title_rows: str | None = None,
    footer: str = "",
    first_row: int = 1,
) -> None:
    """A4, the form only (codes and helper columns outside), header rows on every page and
    the page number in the footer (with the sign-off line before it where the grid grows)."""
    ws.print_area = f"A{first_row}:{get_column_letter(last_col)}{last_row}"
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    if footer:  # a header/footer holds no line break that every program reads: left and right
        ws.oddFooter.left.text, ws.oddFooter.left.size = footer, 9
        ws.oddFooter.right.text, ws.oddFooter.right.size = PAGE_NUMBER, 9
    else:
        ws.oddFooter.center.text, ws.oddFooter.center.size = PAGE_NUMBER, 9


def protect(ws, *, rows_editable: bool = False) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if rows_editable:
        ws.protection.insertRows = False
        ws.protection.deleteRows = False
        ws.protection.sort = False
        ws.protection.autoFilter = False
