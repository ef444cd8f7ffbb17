"""The sheet 自查, the last tab, printed with the return: the verdict, the problems the workbook
finds with what to do (validate's words), each compiled check's state, and the checks only the
district runs; the cover's verdict line and the names CHECK_ERRORS and CHECK_WARNINGS.

Right of what it prints, in hidden columns, are the checks' lines (:mod:`.selfcheck`): one per
check of one cell, from row 2, in the columns of `DETAIL`; right of them what the checks read,
computed once (from `DATA_COLUMN`), the message templates (rules/sheet_forms.py's
WORDS_COLUMNS) and, in a template made with --previous, last quarter's figures
(`PREVIOUS_COLUMNS`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from schemas import Cover, Policy
from shuangfu_cli.form.findings import CATALOG
from shuangfu_cli.rules.sheet_forms import (
    AGAINST_LAST_QUARTER,
    DISTRICT_ONLY,
    WORDS_COLUMNS,
    compiled_codes,
    q,
)
from shuangfu_cli.writing.styles import BOLD, BORDER, CENTER, TITLE_FONT, WRAP
from shuangfu_cli.writing.template import paper
from shuangfu_cli.writing.template.sections import Book

SHEET = "自查"
#: the problems listed one by one (the counts and the marks cover every one)
LISTED = 40
CLERK_LINE = (
    "红色单元格：必须改正；黄色：请核实，数据属实的在“审核说明”表中写明审核代码、单元格和原因。"
)
NAMES = {"CHECK_ERRORS": "$B$3", "CHECK_WARNINGS": "$B$4"}
#: the checks' lines: the first column (J: right of the printed A-F and the helper G), then
#: each field's column and its header
DETAIL_FIRST = 10
DETAIL_HEADER = {
    "code": "审核代码",
    "sheet": "工作表",
    "cell": "单元格",
    "state": "状态",
    "message": "问题和处理方法",
    "row": "行号",
    "explained": "已说明",
}
DETAIL = {key: get_column_letter(DETAIL_FIRST + i) for i, key in enumerate(DETAIL_HEADER)}
#: last quarter's figures (a template made with --previous): each figure's code and value,
#: right of the message templates (not a sheet of their own: LibreOffice takes as long to
#: open an empty sheet as 2,000 formulas)
PREVIOUS_COLUMNS = ("BD", "BE")
#: a visible column, outside the print area, left of the lines
LAST_LINE_KEEPER = "H"
#: the first column of what the checks read, computed once
DATA_COLUMN = DETAIL_FIRST + len(DETAIL) + 1


def verdict(errors: str, warnings: str) -> str:
    """The verdict line as a formula: 自查通过, or 自查：2个错误，1个警告待说明."""
    return f'IF({errors}+{warnings}=0,"自查通过","自查："&{errors}&"个错误，"&{warnings}&"个警告待说明")'


def write_summary(
    book: Book, ws: Worksheet, last: int, last_column: int, lines_of: Mapping[str, list[int]]
) -> None:
    """The printed part of 自查 (its lines of checks are written: rows 2 to `last`, what they
    read up to `last_column`, the lines each code may be said on in `lines_of`), the names
    and the cover's verdict."""
    words = min(column_index_from_string(c) for c in WORDS_COLUMNS)
    if last_column >= words:
        raise ValueError("the checks' data would overwrite the message templates")
    col = {k: f"${c}$2:${c}${last}" for k, c in DETAIL.items()}
    widths = (11, 10, 20, 9, 28, 70)
    for i, w in enumerate(widths):
        ws.column_dimensions["ABCDEF"[i]].width = w
    ws.merge_cells("A1:F1")
    ws["A1"] = "自查结果（填报时自动检查，与区里的审核程序使用同样的规则）"
    ws["A1"].font, ws["A1"].alignment = TITLE_FONT, CENTER
    ws.row_dimensions[1].height = 30
    counts = (
        ("错误", f'=COUNTIF({col["state"]},"错误")'),
        ("警告待说明", f'=COUNTIF({col["state"]},"待说明")'),
        ("警告已说明", f'=COUNTIF({col["state"]},"已说明")'),
    )
    for i, (label, formula) in enumerate(counts):
        ws.cell(3 + i, 1, label).font = BOLD
        ws.cell(3 + i, 2, formula).font = BOLD
    for name, ref in NAMES.items():
        book.wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(SHEET)}!{ref}")
    ws.merge_cells("C3:F3")
    ws["C3"] = "=" + verdict("CHECK_ERRORS", "CHECK_WARNINGS")
    ws["C3"].font = TITLE_FONT
    ws.merge_cells("C4:F5")
    ws["C4"] = CLERK_LINE
    ws["C4"].alignment = WRAP
    row = 7
    paper.header_row(ws, row, ["序号", "状态", "工作表", "单元格", "审核代码", "问题和处理方法"])
    for i in range(1, LISTED + 1):
        r = row + i
        # the i-th problem's line (its place in the lines' columns, which start on row 2),
        # found once (column G, outside the print area)
        ws.cell(r, 7, f'=IFERROR(SMALL({col["row"]},{i})-1,"")')
        ws.cell(r, 1, f'=IF(G{r}="","",{i})')
        for c, k in ((2, "state"), (3, "sheet"), (4, "cell"), (5, "code"), (6, "message")):
            ws.cell(r, c, f'=IF(G{r}="","",INDEX({col[k]},G{r}))')
        for c in range(1, 7):
            ws.cell(r, c).border = BORDER
            ws.cell(r, c).alignment = WRAP
        ws.row_dimensions[r].height = 26
    row += LISTED + 1
    ws.cell(
        row, 1, f"（此处列出前{LISTED}个问题；其余的在表中以红色或黄色标出。）"
    ).font = paper.SMALL
    row += 2
    ws.cell(row, 1, "自查项目（每个审核代码的结果）").font = BOLD
    row += 1
    paper.header_row(ws, row, ["", "状态", "", "", "审核代码", "检查内容"])
    for code in sorted(compiled_codes()):
        row += 1
        if code in lines_of:
            found = _count(DETAIL["code"], lines_of[code], code)
            ws.cell(row, 2, f'=IF({found}=0,"通过","发现"&{found}&"处")')
        elif code in AGAINST_LAST_QUARTER:  # a template made without last quarter's figures
            ws.cell(row, 2, "本表不查")
        else:  # nothing it could find here (a poor village missing: a town without one)
            ws.cell(row, 2, "通过")
        ws.cell(row, 5, code)
        what = _what(code, book.policy)
        ws.cell(row, 6, what).alignment = WRAP
        ws.row_dimensions[row].height = 13 * paper.lines_needed(what, 70) + 3
    row += 2
    ws.cell(row, 1, "只在区里审核的项目（本表不能自查）").font = BOLD
    row += 1
    paper.header_row(ws, row, ["", "", "", "", "审核代码", "原因"])
    for code, (zh, _en) in DISTRICT_ONLY.items():
        row += 1
        ws.cell(row, 5, code)
        ws.cell(row, 6, zh)
    ws.column_dimensions["G"].hidden = True
    previous = column_index_from_string(PREVIOUS_COLUMNS[-1])
    for first, end in ((DETAIL_FIRST, last_column), (words, previous)):
        ws.column_dimensions.group(
            get_column_letter(first), get_column_letter(end), hidden=True, outline_level=0
        )
    # LibreOffice saving an .xlsx or .xls leaves out the rows more than 1,000 below the last
    # cell of a visible column: a formula (showing nothing) in the visible column H, outside
    # the print area, on the last line keeps every line (test_the_lines_survive_a_save)
    ws[f"{LAST_LINE_KEEPER}{last}"] = '=""'
    paper.print_setup(ws, 6, row, landscape=False)
    paper.protect(ws)
    _cover_verdict(book)


def _count(column: str, lines: list[int], code: str) -> str:
    """How many of the lines say `code`: counted on the runs of lines that may say it only
    (41 counts over all 1,535 lines took longer to recalculate than the rest of 自查)."""
    runs: list[list[int]] = []
    for r in sorted(lines):
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return "+".join(f"COUNTIF(${column}${a}:${column}${b},{q(code)})" for a, b in runs)


def _cover_verdict(book: Book) -> None:
    """The cover's line under its fields: 自查通过 / 自查：2个错误，1个警告待说明."""
    ws = book.wb[Cover.sheet.name]
    r = 3 + len(book.layout.cover)
    ws.cell(r, 1, "自查结果").font = BOLD
    ws.cell(r, 1).border = BORDER
    cell = ws.cell(r, 2, "=" + verdict("CHECK_ERRORS", "CHECK_WARNINGS"))
    cell.font, cell.border = BOLD, BORDER


def _what(code: str, policy: Policy) -> str:
    """What a check says when it fails, for the list of checks: its message template with the
    reference's thresholds in it and each figure of the return left out (…)."""
    thresholds: dict[str, dict[str, object]] = {
        "W_WS_POOR_SHARE": {"min_share": policy.share_percent},
        "W_POORV_LEADERS": {"need": policy.leaders_per_poor_village},
        "W_OTHERV_LEADERS": {"need": policy.leaders_per_other_village},
        "W_HOUSEHOLDS_PER_LEADER": {"each": policy.households_per_leader},
        "W_CLASS_DAYS": {"min_days": policy.class_min_days},
        "W_CLASS_RATIO": {"ratio": f"{policy.class_classroom_days}:{policy.class_field_days}"},
        "W_AMOUNT_PER_STUDENT": {"max": policy.max_amount_per_student},
    }
    known = thresholds.get(code, {})
    return re.sub(r"\{(\w+)\}", lambda m: str(known.get(m.group(1), "…")), CATALOG[code].zh)
