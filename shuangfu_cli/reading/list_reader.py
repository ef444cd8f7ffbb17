"""Reading a list under its header row (扶贫车间明细, 村(社区)明细, 培训班明细, 审核说明).

A row is one of the list's workshops, villages or classes only when it is above the list's
closing line (layout.LIST_END: where the form's formulas and print area end), names something
and is not a note. What is left out is kept, for the rules to name its cell (rules/rows.py): a
合计 row a clerk added, a note typed into the list, a row typed below the closing line.
"""

from __future__ import annotations

import re

from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.layout import LIST_END_MARK, Column, ListLayout
from shuangfu_cli.form.values import (
    ErrorValue,
    is_blank,
    norm,
    parse_date,
    parse_number,
    parse_text,
)
from shuangfu_cli.reading.grid import Grid
from shuangfu_cli.reading.located import Cell, ListRowData, ReadReturn
from shuangfu_cli.reading.parse import bad_value, header_columns, missing, number

TOTAL_ROW_LABELS = {"合计", "总计", "小计"}
#: how a note starts (after NFKC: full-width colons and brackets are plain): 注:, 说明:, 备注:,
#: 填表说明, 以上数据…, 数据来源…, or a sign-off typed into the list (填表人:…). A name such as
#: 注塑车间 is not a note: 注, 说明, 备注 need a mark after them.
NOTE_START = re.compile(
    r"^[(\[【*※\s]*("
    r"(注|注释|附注|备注|说明|填表说明|填报说明)\s*[:.,、;\d(]"
    r"|填表说明|填报说明|以上|本表|数据来源|资料来源|数据截至|截至|截止"
    r"|单位负责人|统计负责人|填表人|制表人|审核人|联系电话|报出日期)"
)


def is_end_line(text: str) -> bool:
    return norm(text).lstrip("(").startswith(LIST_END_MARK)


def _holds_value(col: Column, raw) -> bool:
    """Whether a filled cell holds what its column takes (even a wrong one: -1, 2.5, #DIV/0!,
    新建 for 是/否 typed with a name), not a text no figure, date or choice can be."""
    if col.vtype == "text" or type(raw) is not str:
        return True
    if col.vtype in ("count", "money"):
        return parse_number(raw, col.vtype)[1] != "E_NOT_NUMBER"
    if col.vtype == "date":
        return parse_date(raw)[1] is None
    return parse_text(raw) in col.choices


def is_note(key: str, filled: list[tuple[Column, object]]) -> bool:
    """A row typed into a list that is a note, not a row of it: its name starts as a note
    does, or it holds only text no column takes (typed across the figures), or only a name."""
    name = next((parse_text(raw) for col, raw in filled if col.key == key), "")
    if NOTE_START.match(name):
        return True
    if not any(_holds_value(col, raw) for col, raw in filled):
        return True
    return len(filled) == 1 and bool(name)


def list_value(cell: Cell, col: Column) -> None:
    if col.vtype in ("count", "money"):
        number(cell, col.vtype, col.max)
        if cell.problem == "BLANK":  # no value; a required cell left blank: rules/rows.py
            cell.problem = None
    elif col.vtype == "date":
        cell.value, cell.problem = parse_date(cell.raw)
    else:
        cell.value = parse_text(cell.raw)
        if isinstance(cell.raw, ErrorValue):
            cell.problem = "E_ERROR_VALUE"
        elif col.vtype == "choice" and cell.value and cell.value not in col.choices:
            cell.problem = "E_INVALID_CHOICE"
        elif col.vtype == "choice" and cell.value and cell.raw != cell.value:
            cell.quirk = "spaces"


def read_list(sheet: Grid, lst: ListLayout, result: ReadReturn) -> None:
    key_col = lst.column(lst.form.key)
    pos = sheet.find(key_col.label)
    rows: list[ListRowData] = []
    result.lists[lst.name] = rows
    if pos is None:
        missing(result, sheet, key_col.label, f"{lst.sheet.title}的表头")
        return
    header = pos[0]
    columns = header_columns(sheet, header, lst.columns, f"{lst.sheet.title}的表头", result)
    if lst.form.key not in columns:
        return
    is_form = lst.name != "explanations"  # 审核说明 is free text: no notes, no closing line
    placed = [(col, columns[col.key]) for col in lst.columns if col.key in columns]
    key_at = columns[lst.form.key]
    at = {col.key: c for col, c in placed}
    wanted = [c for _, c in placed]
    closed = False  # below the list's closing line
    for r in range(header + 1, len(sheet.rows)):
        line = sheet.rows[r]
        width = len(line)
        if all(c >= width or is_blank(line[c]) for c in wanted):  # most rows: blank, cheaply
            continue
        filled = [(col, line[c]) for col, c in placed if c < width and not is_blank(line[c])]
        name = parse_text(sheet.get(r, key_at))
        if is_form and not closed and is_end_line(name):
            closed = True
            continue
        if norm(name) in TOTAL_ROW_LABELS:
            # a 合计 row added by the town is not a workshop, village or class (below the
            # closing line the form does not count it: nothing to say)
            if not closed:
                result.total_rows.setdefault(lst.name, []).append((r + 1, sheet.cell(r, key_at)))
            continue
        if is_form and is_note(lst.form.key, filled):
            if not closed:  # below the closing line is where a note belongs
                first = at[filled[0][0].key]  # the name's cell, or the text's
                result.notes.setdefault(lst.name, []).append((r + 1, sheet.cell(r, first)))
            continue
        if closed:
            first = at[filled[0][0].key]
            result.outside.setdefault(lst.name, []).append((r + 1, sheet.cell(r, first)))
            continue
        data = ListRowData(row=r + 1, cells={})
        for col, c in placed:
            cell = sheet.cell(r, c)
            list_value(cell, col)
            if cell.problem and cell.problem != "BLANK":
                result.findings.append(
                    bad_value(
                        cell, None, name or None, choices="、".join(col.choices), unit=col.unit
                    )
                )
            data.cells[col.key] = cell
        if not name and is_form:
            result.findings.append(
                Finding(
                    "E_LIST_NAME_MISSING",
                    sheet=sheet.name,
                    cell=sheet.cell(r, key_at).ref,
                    params={"row": r + 1, "label": key_col.label},
                )
            )
            continue
        rows.append(data)
