"""The list sheets (扶贫车间明细, 村(社区)明细, 培训班明细, 审核说明): an Excel table per list with
pale-yellow input rows. A form's list is closed by a locked line under its last row
(layout.LIST_END, 本表到此为止…): the list's formulas reach from its header row to that line
and its print area ends with it, so a row inserted anywhere above it — straight under the
header too — is counted, as the reader counts it, and printed; what is typed below it is
neither, and the reader says so (E_LIST_ROW_OUTSIDE). The header cells are left unlocked,
because a row inserted under the header takes the header's format, and must be writable."""

from __future__ import annotations

from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.table import Table, TableStyleInfo

from schemas import Explanation
from shuangfu_cli.form.layout import LIST_END, ListLayout
from shuangfu_cli.writing.styles import BORDER, CENTER, INPUT_FILL, TITLE_FONT, UNLOCKED
from shuangfu_cli.writing.template import paper
from shuangfu_cli.writing.template.sections import LIST_LAST_ROW, Book


def write_list(book: Book, lst: ListLayout, prefill: list[dict]) -> None:
    ws = book.wb.create_sheet(lst.sheet.name)
    width = len(lst.columns)
    is_form = lst.sheet.name != Explanation.form.sheet.name  # 审核说明 is not a form
    if is_form:
        header = paper.frame_top(book, ws, lst.sheet.title, lst.sheet.unit_line, width) - 1
    else:
        header = _plain_heading(book, ws, lst.sheet.title, width)
    n = max(len(prefill), lst.form.rows, 1)
    # the closing line of a form's list; 审核说明 has none (no formula counts it)
    end = header + n + 1 if is_form else header + n
    paper.header_row(ws, header, [col.label for col in lst.columns])
    for c, col in enumerate(lst.columns, start=1):
        ws.cell(header, c).protection = UNLOCKED  # see the module's docstring
        ws.column_dimensions[get_column_letter(c)].width = col.width
        letter = get_column_letter(c)
        first, last = header + 1, LIST_LAST_ROW
        book.list_ranges[(lst.name, col.key)] = (
            f"{quote_sheetname(ws.title)}!${letter}${header}:${letter}${end}"
        )
        if col.vtype != "text":
            book.dv(ws, col.vtype, col.choices, col.max).add(f"{letter}{first}:{letter}{last}")
        for r in range(first, header + n + 1):
            cell = ws.cell(r, c)
            cell.protection = UNLOCKED
            cell.border = BORDER
            cell.fill = INPUT_FILL
            if col.vtype == "date":
                cell.number_format = "yyyy-mm-dd"
        _unlock_below(ws, c, end + 1, last)
    for i, values in enumerate(prefill):
        for c, col in enumerate(lst.columns, start=1):
            if col.key in values:
                ws.cell(header + 1 + i, c, values[col.key])
    ref = f"A{header}:{get_column_letter(width)}{header + n}"
    table = Table(displayName=lst.form.table, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)
    ws.freeze_panes = ws.cell(header + 1, 1)
    total = sum(col.width for col in lst.columns)
    if is_form:
        _closing_line(ws, end, width, total)
    paper.print_setup(
        ws,
        width,
        end,
        landscape=total > 95,
        title_rows=f"{header}:{header}",
        footer=paper.SIGN_OFF_FOOTER if is_form else "",
    )
    paper.protect(ws, rows_editable=True)


def _closing_line(ws, row: int, width: int, total_width: float) -> None:
    """The locked line that closes a list, across its printed width (see the docstring)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row, 1, LIST_END)
    cell.font, cell.alignment = paper.SMALL, paper.NOTE
    cell.protection = Protection(locked=True)
    ws.row_dimensions[row].height = 13 * paper.lines_needed(LIST_END, total_width * 1.1) + 4


def _plain_heading(book: Book, ws, title: str, width: int) -> int:
    """A sheet that is not a statistical form (审核说明): a title and the town. Returns the
    header row."""
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = ws.cell(1, 1, title)
    cell.font, cell.alignment = TITLE_FONT, CENTER
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, f"填报单位：{book.town.name}")
    return 3


def _unlock_below(ws, col: int, first: int, last: int) -> None:
    """Rows below the table stay writable (a clerk types on below the last row)."""
    letter = get_column_letter(col)
    ws.column_dimensions[letter].protection = UNLOCKED
    for r in range(first, min(last, first + 200) + 1):
        ws[f"{letter}{r}"].protection = UNLOCKED
