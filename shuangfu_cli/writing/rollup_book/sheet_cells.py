"""What every sheet of the rollup workbook shares: writing a cell safely, headers, titles, the
row of codes that does not print, number formats and the page setup."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.text.sanitize import for_xlsx
from shuangfu_cli.text.words import section
from shuangfu_cli.writing.styles import BOLD, BORDER, CENTER, HEAD_FILL, MONEY_FORMAT, TITLE_FONT
from shuangfu_cli.writing.template.paper import lines_needed, print_setup

STATUS_ZH = section("state_book", "zh")
CODE_FONT = Font(name="Consolas", size=8, color="808080")
PERCENT, POINTS = "0.0%", "+0.0;-0.0;0.0"


def put(ws, row: int, col: int, value, fmt: str | None = None, *, border: bool = True):
    """Write a cell; text is always text (a return's '=…' never becomes a formula) and holds
    nothing the file format cannot (a control character typed in a return): see for_xlsx."""
    if isinstance(value, Decimal):
        value = float(value)
    cell = ws.cell(row, col, for_xlsx(value))
    if fmt:
        cell.number_format = fmt
    if border:
        cell.border = BORDER
    return cell


def header(ws, row: int, labels: list[str], first_col: int = 1) -> None:
    for c, text in enumerate(labels, start=first_col):
        cell = put(ws, row, c, text)
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, CENTER


def title(ws, row: int, text: str, width: int) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))
    cell = ws.cell(row, 1, for_xlsx(text))
    cell.font, cell.alignment = TITLE_FONT, CENTER
    ws.row_dimensions[row].height = 30


def code_row(ws, codes: dict[int, str]) -> None:
    """Row 1: the indicator code over each column, for anyone matching the sheet to the JSON;
    outside the print area (row 1 is not printed)."""
    ws.cell(1, 1, "指标代码（不打印）").font = CODE_FONT
    for col, code in codes.items():
        ws.cell(1, col, code).font = CODE_FONT


def code_column(ws, col: int, first_row: int, codes: list[str]) -> None:
    """The codes in a column right of the print area (with a blank column between)."""
    ws.cell(first_row - 1, col, "指标代码（不打印）").font = CODE_FONT
    for i, code in enumerate(codes):
        ws.cell(first_row + i, col, code).font = CODE_FONT
    ws.column_dimensions[get_column_letter(col)].width = 28


def fmt(code: str) -> str:
    return MONEY_FORMAT if form_layout().figures[code].vtype == "money" else "#,##0"


def page(ws, last_col: int, last_row: int, *, first_row: int = 1, title_rows: str | None = None,
         freeze: str | None = None) -> None:  # fmt: skip
    """A4 landscape, the table only, its header on every page, 第 N 页 共 M 页 in the footer."""
    print_setup(ws, last_col, last_row, landscape=True, title_rows=title_rows, first_row=first_row)
    if freeze:
        ws.freeze_panes = freeze


def fit_height(ws, row: int, widths: Mapping[int, float], line: float = 15) -> None:
    """Set a row's height for its wrapped text (LibreOffice does not grow rows that openpyxl
    wrote, so text would overflow into the next row)."""
    lines = 1
    for col, width in widths.items():
        value = ws.cell(row, col).value
        if isinstance(value, str):
            lines = max(lines, lines_needed(value, width))
    ws.row_dimensions[row].height = line * lines + 3
