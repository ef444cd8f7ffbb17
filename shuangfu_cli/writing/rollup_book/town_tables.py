"""Tables with a row per town, laid out to be read on A4.

A table is a few fixed columns (the town, its state …) and groups of value columns (a section of
an attachment, a row of a grid, a target). Groups are packed, whole, onto pages of at most
:data:`MAX_COLUMNS` value columns; each page is its own sheet (``附件2 培训 汇总1`` …) with the
fixed columns repeated, the header rows repeated on every printed page, landscape, at a size
that can be read — never 40 columns shrunk onto one page. Headers are the indicators' Chinese
names; their codes are in row 1, which does not print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from shuangfu_cli.text.sanitize import for_xlsx
from shuangfu_cli.writing.rollup_book.sheet_cells import (
    code_row,
    fit_height,
    header,
    page,
    put,
    title,
)
from shuangfu_cli.writing.rollup_book.streamed import StreamedSheet
from shuangfu_cli.writing.styles import BAD_FILL, BOLD, TOTAL_FILL, WRAP
from shuangfu_cli.writing.template.paper import lines_needed

#: value columns on one landscape A4 page at a legible size (about 90% or more)
MAX_COLUMNS = 12
FIXED_WIDTH, VALUE_WIDTH = 12, 10
HEAD = 4  # the header's first row (row 1: codes, 2: title, 3: the note)
FIRST_DATA = HEAD + 3


@dataclass
class Col:
    label: str
    value: Callable[[str], object]  # town -> value
    fmt: str | None = None
    unit: str = ""
    code: str = ""
    total: object = None
    #: town -> whether the value is bad (filled red)
    bad: Callable[[str], bool] | None = None


@dataclass
class Group:
    title: str
    cols: list[Col]


def pages(groups: list[Group], limit: int = MAX_COLUMNS) -> list[list[Group]]:
    """Groups packed in order onto pages of at most `limit` columns (a group never split; one
    wider than a page is cut into page-wide groups)."""
    out: list[list[Group]] = [[]]
    used = 0
    for group in groups:
        for start in range(0, len(group.cols), limit):
            part = Group(group.title, group.cols[start : start + limit])
            if used + len(part.cols) > limit and out[-1]:
                out.append([])
                used = 0
            out[-1].append(part)
            used += len(part.cols)
    return out if out[0] else []


def town_sheets(wb, name: str, heading: str, note: str, towns: list[str], fixed: list[Col],
                groups: list[Group], *, total_label: str | None = "合计") -> list:  # fmt: skip
    """Write the table as one sheet per page; returns the sheets."""
    laid_out = pages(groups)
    sheets = []
    for i, part in enumerate(laid_out, start=1):
        several = len(laid_out) > 1
        ws = StreamedSheet(wb, f"{name}{i}" if several else name)
        text = f"{heading}（第{i}部分，共{len(laid_out)}部分）" if several else heading
        _one_page(ws, text, note, towns, fixed, part, total_label)
        sheets.append(ws)
    return sheets


def _one_page(ws, heading, note, towns, fixed, groups, total_label) -> None:
    cols = fixed + [c for g in groups for c in g.cols]
    width = len(cols)
    title(ws, 2, heading, width)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    ws.cell(3, 1, for_xlsx(note)).alignment = WRAP
    code_row(ws, {i: c.code for i, c in enumerate(cols, start=1) if c.code})
    # the header: fixed columns over three rows; groups: title, labels, units
    for i, col in enumerate(fixed, start=1):
        header(ws, HEAD, [col.label], i)
        ws.merge_cells(start_row=HEAD, start_column=i, end_row=HEAD + 2, end_column=i)
    c = len(fixed) + 1
    for group in groups:
        header(ws, HEAD, [group.title] * len(group.cols), c)
        if len(group.cols) > 1:
            ws.merge_cells(
                start_row=HEAD, start_column=c, end_row=HEAD, end_column=c + len(group.cols) - 1
            )
        header(ws, HEAD + 1, [col.label for col in group.cols], c)
        header(ws, HEAD + 2, [col.unit for col in group.cols], c)
        c += len(group.cols)
    widths = [FIXED_WIDTH] * len(fixed) + [VALUE_WIDTH] * (width - len(fixed))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _heights(ws, fixed, groups)
    fit_height(ws, 3, {1: sum(widths)})  # the note, merged across the table
    last = FIRST_DATA + len(towns) - (total_label is None)
    page(ws, width, last, first_row=2, title_rows=f"{HEAD}:{HEAD + 2}",
         freeze=f"{get_column_letter(len(fixed) + 1)}{FIRST_DATA}")  # fmt: skip
    row = FIRST_DATA
    for town in towns:
        for i, col in enumerate(cols, start=1):
            cell = put(ws, row, i, col.value(town), col.fmt)
            if col.bad is not None and col.bad(town):
                cell.fill = BAD_FILL
        ws.flush(row)
        row += 1
    if total_label is not None:
        put(ws, row, 1, total_label).font = BOLD
        for i, col in enumerate(cols[1:], start=2):
            cell = put(ws, row, i, col.total, col.fmt)
            cell.font, cell.fill = BOLD, TOTAL_FILL
        row += 1
    assert row - 1 == last
    ws.finish()


def _heights(ws, fixed, groups) -> None:
    """Row heights for the wrapped header text (15 points a line)."""
    title_lines = [lines_needed(g.title, VALUE_WIDTH * len(g.cols)) for g in groups]
    label_lines = [lines_needed(c.label, VALUE_WIDTH) for g in groups for c in g.cols]
    fixed_lines = [lines_needed(c.label, FIXED_WIDTH) for c in fixed]
    top = max(title_lines, default=1)
    middle = max(label_lines, default=1)
    spare = max(fixed_lines, default=1) - top - middle - 1
    ws.row_dimensions[HEAD].height = 15 * top + 4
    ws.row_dimensions[HEAD + 1].height = 15 * (middle + max(spare, 0)) + 4
