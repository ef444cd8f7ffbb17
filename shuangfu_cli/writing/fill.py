"""Filling a template through its defined names and tables, as any outside tool can.

Used to make the sample returns and the tests' workbooks: it finds every figure by its code and
every list by its table name, never by a cell address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from copy import copy
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.cell_range import CellRange

from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.reading.list_reader import is_end_line
from shuangfu_cli.writing.guard import atomic_path


def _cell(wb, name: str):
    dn = wb.defined_names.get(name)
    if dn is None:
        raise KeyError(f"the workbook has no defined name {name}")
    ((sheet, ref),) = list(dn.destinations)
    return wb[sheet][ref.replace("$", "")]


def _table(wb, name: str):
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(f"the workbook has no table {name}")


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def _put(cell, value) -> None:
    """Write a value as typed: a string is text, even one starting with '='."""
    cell.value = _plain(value)
    if isinstance(value, str):
        cell.data_type = "s"


def fill_workbook(
    src: Path,
    dst: Path,
    figures: Mapping[str, object] = {},
    lists: Mapping[str, Sequence[Mapping[str, object]]] = {},
    cover: Mapping[str, object] = {},
) -> None:
    """Write `figures` (code -> value), `lists` (workshops / villages / classes / explanations:
    rows of column key -> value, replacing the table's rows) and `cover` (field -> value)."""
    wb = load_workbook(src)
    fill(wb, figures, lists, cover)
    with atomic_path(Path(dst)) as tmp:
        wb.save(tmp)


def fill(
    wb,
    figures: Mapping[str, object] = {},
    lists: Mapping[str, Sequence[Mapping[str, object]]] = {},
    cover: Mapping[str, object] = {},
) -> None:
    """:func:`fill_workbook` on a workbook in memory."""
    layout = form_layout()
    for code, value in figures.items():
        _put(_cell(wb, code), value)
    names = {f.key: f.name for f in layout.cover}
    for key, value in cover.items():
        _put(_cell(wb, names[key]), value)
    for list_name, rows in lists.items():
        lst = layout.list(list_name)
        ws, table = _table(wb, lst.form.table)
        min_col, min_row, max_col, max_row = CellRange(table.ref).bounds
        header = {ws.cell(min_row, c).value: c for c in range(min_col, max_col + 1)}
        columns = {col.key: header[col.label] for col in lst.columns}
        _make_room(wb, ws, columns[lst.form.key], min_row, min_row + len(rows))
        for r in range(min_row + 1, max(max_row, min_row + len(rows)) + 1):
            for c in columns.values():
                ws.cell(r, c).value = None
        for i, row in enumerate(rows):
            for key, value in row.items():
                _put(ws.cell(min_row + 1 + i, columns[key]), value)
        last = min_row + max(len(rows), 1)
        table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last}"


def _make_room(wb, ws, key_col: int, header: int, last: int) -> None:
    """Rows down to `last` inside a list: its closing line (layout.LIST_END) moved below them,
    and with it the end of the list's formulas and print area, as Insert > Rows above the line
    does in a spreadsheet; the rows made are formatted as the list's last one."""
    end = next(
        (
            r
            for r in range(header + 1, ws.max_row + 1)
            if isinstance(v := ws.cell(r, key_col).value, str) and is_end_line(v)
        ),
        None,
    )
    if end is None or end > last:
        return
    new = last + 1
    (merged,) = [m for m in ws.merged_cells.ranges if m.min_row == end] or [None]
    width = merged.max_col if merged else key_col
    if merged:
        ws.unmerge_cells(str(merged))
    ws.move_range(f"A{end}:{get_column_letter(width)}{end}", rows=new - end)
    if merged:
        ws.merge_cells(start_row=new, start_column=1, end_row=new, end_column=width)
    ws.row_dimensions[new].height = ws.row_dimensions[end].height
    ws.row_dimensions[end].height = ws.row_dimensions[end - 1].height
    for r in range(end, new):
        for c in range(1, width + 1):
            ws.cell(r, c)._style = copy(ws.cell(end - 1, c)._style)
    ends_at = re.compile(
        rf"({re.escape(quote_sheetname(ws.title))}!\$[A-Z]+\$\d+:\$[A-Z]+\$){end}(?!\d)"
    )
    for sheet in wb.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = ends_at.sub(rf"\g<1>{new}", cell.value)
    if ws.print_area:
        c1, r1, c2, _ = CellRange(ws.print_area.split("!")[-1].replace("$", "")).bounds
        ws.print_area = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{new}"


def locate(path: Path, where) -> tuple[str, str | None]:
    """The sheet and cell of something in a workbook made from the template, found through its
    defined names and tables: a figure code, ("cover", field), (list, row index, column key),
    or a sheet name alone (for findings that have no cell)."""
    wb = load_workbook(path)
    layout = form_layout()
    if isinstance(where, str) and where not in layout.figures:
        return where, None
    if isinstance(where, str) or where[0] == "cover":
        name = where if isinstance(where, str) else layout.cover_field(where[1]).name
        ((sheet, ref),) = list(wb.defined_names[name].destinations)
        return sheet, ref.replace("$", "")
    list_name, index, key = where
    lst = layout.list(list_name)
    ws, table = _table(wb, lst.form.table)
    min_col, min_row, max_col, _ = CellRange(table.ref).bounds
    label = lst.column(key).label
    col = next(c for c in range(min_col, max_col + 1) if ws.cell(min_row, c).value == label)
    return ws.title, f"{get_column_letter(col)}{min_row + 1 + index}"
