"""Reading a list under its header row (扶贫车间明细, 村(社区)明细, 培训班明细, 审核说明).

A row is one of the list's workshops, villages or classes only when it is above the list's
closing line (layout.LIST_END: where the form's formulas and print area end) and names
something. What is left out is kept, for the rules to name its cell (rules/lists.py,
rules/rows.py): a 合计 row a clerk added, a row typed below the closing line.
"""

from __future__ import annotations

from ..findings import Finding
from ..layout import LIST_END_MARK, Column, ListLayout
from ..values import ErrorValue, is_blank, norm, parse_date, parse_text
from .cells import Cell, ListRowData, ReadReturn
from .grid import Grid
from .parse import bad_value, header_columns, missing, number

TOTAL_ROW_LABELS = {"合计", "总计", "小计"}


def is_end_line(text: str) -> bool:
    return norm(text).lstrip("(").startswith(LIST_END_MARK)


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
    is_form = lst.name != "explanations"  # 审核说明 is free text: no closing line
    placed = [(col, columns[col.key]) for col in lst.columns if col.key in columns]
    key_at = columns[lst.form.key]
    at = {col.key: c for col, c in placed}
    closed = False  # below the list's closing line
    for r in range(header + 1, len(sheet.rows)):
        line = sheet.rows[r]
        filled = [(col, line[c]) for col, c in placed if c < len(line) and not is_blank(line[c])]
        if not filled:
            continue
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
