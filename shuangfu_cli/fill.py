"""Filling a template through its defined names and tables, as any outside tool can.

Used to make the sample returns and the tests' workbooks: it finds every figure by its code and
every list by its table name, never by a cell address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from .layout import form_layout
from .writing.guard import atomic_path


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
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        header = {ws.cell(min_row, c).value: c for c in range(min_col, max_col + 1)}
        columns = {col.key: header[col.label] for col in lst.columns}
        for r in range(min_row + 1, max(max_row, min_row + len(rows)) + 1):
            for c in columns.values():
                ws.cell(r, c).value = None
        for i, row in enumerate(rows):
            for key, value in row.items():
                _put(ws.cell(min_row + 1 + i, columns[key]), value)
        last = min_row + max(len(rows), 1)
        table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last}"


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
    min_col, min_row, max_col, _ = range_boundaries(table.ref)
    label = lst.column(key).label
    col = next(c for c in range(min_col, max_col + 1) if ws.cell(min_row, c).value == label)
    return ws.title, f"{get_column_letter(col)}{min_row + 1 + index}"
