"""A sheet of the rollup workbook written as it goes (openpyxl's write-only mode), so that a
district of thousands of towns is never held whole in memory.

A write-only worksheet takes its rows in order, once, and before the first row what the file
holds before them: column widths, freeze panes and the page's fit (its sheet properties);
merged cells, print areas and titles, page set-up, margins, headers and footers and charts it
takes at any time before the workbook is saved (see openpyxl's "Write-only mode" docs and its
WorksheetWriter.write_top / write_tail). The sheets write to a
:class:`StreamedSheet` as to an ordinary worksheet (``ws.cell``, ``ws.merge_cells``,
``ws.row_dimensions`` …): its cells go to a small window — an ordinary openpyxl worksheet, so
that a merged range's border is drawn exactly as openpyxl draws it — and leave it, row by row,
when the sheet says they are done (:meth:`StreamedSheet.flush`). Writing to a row already
written, or setting a width, freeze panes or the fit after the first row, is a programming error
(ValueError), never a silently different workbook. The sheets therefore set their page up before
their rows.
"""

from __future__ import annotations

from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

#: what a sheet sets that goes straight to the write-only sheet
_SHEET_SETTINGS = ("print_area", "print_title_rows")


class StreamedSheet:
    PAPERSIZE_A4 = Worksheet.PAPERSIZE_A4

    def __init__(self, wb: Workbook, title: str, index: int | None = None):
        assert wb.write_only, "a streamed sheet belongs to a write-only workbook"
        out = wb.create_sheet(title, index)
        object.__setattr__(self, "out", out)
        # the window: cells not yet written (bound to the workbook, for its shared styles)
        object.__setattr__(self, "_window", Worksheet(wb, title))
        object.__setattr__(self, "_written", 0)  # rows 1.._written are in the file
        object.__setattr__(self, "_max_col", 0)

    # --- what goes through the window -------------------------------------------------------

    def cell(self, row: int, column: int, value=None):
        self._unwritten(row)
        object.__setattr__(self, "_max_col", max(self._max_col, column))
        return self._window.cell(row, column, value)

    def merge_cells(self, *, start_row: int, start_column: int, end_row: int, end_column: int):
        self._unwritten(start_row)
        object.__setattr__(self, "_max_col", max(self._max_col, end_column))
        rng = CellRange(
            min_row=start_row, min_col=start_column, max_row=end_row, max_col=end_column
        )
        self._window.merge_cells(rng.coord)  # the covered cells and their borders
        self.out.merged_cells.add(rng)

    @property
    def row_dimensions(self):
        return self._window.row_dimensions

    # --- what the write-only sheet writes before its first row -------------------------------

    @property
    def column_dimensions(self):
        self._not_started("column widths")
        return self.out.column_dimensions

    @property
    def sheet_properties(self):  # fit to page
        self._not_started("the page's fit")
        return self.out.sheet_properties

    @property
    def freeze_panes(self):
        return self.out.freeze_panes

    @freeze_panes.setter
    def freeze_panes(self, cell: str) -> None:
        self._not_started("freeze panes")
        self.out.freeze_panes = cell

    def _not_started(self, what: str) -> None:
        if self._written:
            raise ValueError(f"{self.title}: {what} must be set before the first row is written")

    # --- everything else is the write-only sheet's --------------------------------------------

    def __getattr__(self, name):
        return getattr(self.out, name)

    def __setattr__(self, name, value):
        if name == "freeze_panes":
            object.__setattr__(self, name, value)  # the property's checks
            return
        if name not in _SHEET_SETTINGS:
            raise AttributeError(f"StreamedSheet does not set {name}")
        setattr(self.out, name, value)

    def _unwritten(self, row: int) -> None:
        if row <= self._written:
            raise ValueError(f"{self.title}: row {row} is already written")

    def flush(self, last_row: int) -> None:
        """Write rows up to `last_row` (with their heights) and forget them."""
        window, out = self._window, self.out
        for r in range(self._written + 1, last_row + 1):
            dim = window.row_dimensions.pop(r, None)
            if dim is not None:
                out.row_dimensions[r] = dim
            out.append([_writable(out, window._cells.pop((r, c), None))
                        for c in range(1, self._max_col + 1)])  # fmt: skip
            out.row_dimensions.pop(r, None)
        object.__setattr__(self, "_written", max(self._written, last_row))

    def finish(self) -> None:
        """Write the rows left in the window."""
        rows = [r for r, _c in self._window._cells] + list(self._window.row_dimensions)
        self.flush(max(rows, default=0))


def _writable(out, cell):
    """A cell as the write-only sheet takes it: a merged range's covered cell (a MergedCell,
    which keeps only its border) becomes an empty cell of the same style."""
    if isinstance(cell, MergedCell):
        empty = WriteOnlyCell(out)
        empty._style = copy(cell._style)  # type: ignore[attr-defined]  # a cell's style array: in openpyxl's __slots__, absent from types-openpyxl
        return empty
    return cell
