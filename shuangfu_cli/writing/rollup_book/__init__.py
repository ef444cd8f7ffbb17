"""The rollup workbook (``rollup -o FILE.xlsx``), fit to print on A4 and written whole or not
at all:

- 目标完成情况 — a row per target (with 本季度新增 and the change since last quarter when
  ``--previous`` is given); 图表 — its charts on a sheet of their own;
- 各镇街完成情况 — each town's completion of the split targets;
- 本季度新增 — what each town added in the quarter (with ``--previous``);
- 报送情况 — every town in exactly one state, with its files;
- 附件N 汇总 — each attachment with a row per town and the 合计, split into pages;
- 问题清单 — every finding and every file not counted.

One module per kind of sheet: :mod:`.district_sheets`, :mod:`.town_sheets` (on
:mod:`.town_tables`), :mod:`.listing_sheets`; :mod:`.sheet_cells` is what they share. The
workbook is written streamed (openpyxl's write-only mode, through :mod:`.streamed`): the rows
of a sheet leave memory as they are done.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from shuangfu_cli.district.rollup import Rollup
from shuangfu_cli.reading.source import OWN_WORKBOOK_MARK
from shuangfu_cli.writing.guard import atomic_path
from shuangfu_cli.writing.rollup_book.district_sheets import charts_sheet, targets_sheet
from shuangfu_cli.writing.rollup_book.listing_sheets import findings_sheet, status_sheet
from shuangfu_cli.writing.rollup_book.town_sheets import (
    attachment_sheets,
    completion_sheets,
    increment_sheets,
)


def build_workbook(r: Rollup) -> Workbook:
    """The workbook, its sheets written (to openpyxl's temporary files) and ready to be saved
    once."""
    wb = Workbook(write_only=True)
    try:
        _sheets(wb, r)
    except BaseException:
        discard(wb)
        raise
    return wb


def _sheets(wb: Workbook, r: Rollup) -> None:
    wb.properties.category = OWN_WORKBOOK_MARK
    wb.properties.creator = "shuangfu"
    targets, labels = targets_sheet(wb, r)
    towns = completion_sheets(wb, r)
    charts_sheet(wb, r, targets, labels, towns[0] if towns else None)
    increment_sheets(wb, r)
    status_sheet(wb, r)
    attachment_sheets(wb, r)
    findings_sheet(wb, r)
    wb.active = 0


def write_workbook(r: Rollup, out: Path) -> None:
    wb = None
    try:
        # built inside: the sheets are streamed to temporary files as they are made, and a
        # write that fails for want of room there is an OSError too (atomic_path)
        with atomic_path(out) as tmp:
            wb = build_workbook(r)
            wb.save(tmp)
    finally:
        if wb is not None:
            discard(wb)


def discard(wb: Workbook) -> None:
    """Close and remove the temporary files of the sheets a failed write left open (a saved
    sheet's are gone already), so that nothing is left behind and no half-written stream
    complains when it is collected."""
    for ws in wb.worksheets:
        # openpyxl's stream of the sheet, None before its first row
        writer = ws._writer  # type: ignore[attr-defined]  # a write-only sheet's private attribute, absent from types-openpyxl
        if writer is None or ws.closed:
            continue
        try:
            ws.close()
        except Exception:  # noqa: BLE001, S110 - the write failed already; its error is raised
            pass
        writer.cleanup()
