"""Reading a list under its header row (扶贫车间明细, 村(社区)明细, 培训班明细, 审核说明): its
rows, and the 合计 rows a clerk added (kept aside, for the rules to name their cells)."""

from __future__ import annotations

from ..findings import Finding
from ..layout import Column, ListLayout
from ..values import ErrorValue, is_blank, norm, parse_date, parse_text
from .cells import Cell, ListRowData, ReadReturn
from .grid import Grid
from .parse import bad_value, header_columns, missing, number

TOTAL_ROW_LABELS = {"合计", "总计", "小计"}


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
    wanted = list(columns.values())
    placed = [(col, columns[col.key]) for col in lst.columns if col.key in columns]
    for r in range(header + 1, len(sheet.rows)):
        line = sheet.rows[r]
        width = len(line)
        if all(c >= width or is_blank(line[c]) for c in wanted):
            continue
        name = parse_text(sheet.get(r, columns[lst.form.key]))
        if norm(name) in TOTAL_ROW_LABELS:
            # a 合计 row added by the town is not a workshop, village or class
            key_cell = sheet.cell(r, columns[lst.form.key])
            result.total_rows.setdefault(lst.name, []).append((r + 1, key_cell))
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
        if not name and lst.name != "explanations":
            ref = sheet.cell(r, columns[lst.form.key])
            result.findings.append(
                Finding(
                    "E_LIST_NAME_MISSING",
                    sheet=sheet.name,
                    cell=ref.ref,
                    params={"row": r + 1, "label": key_col.label},
                )
            )
            continue
        rows.append(data)
