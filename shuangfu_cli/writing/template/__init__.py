"""Writing the blank return a town fills in Excel, WPS or LibreOffice, and prints.

Each attachment is a sheet laid out like a Chinese statistical form (shared/design/office.md):
identity block, title, 栏次 row, sign-off line and 说明 (:mod:`.paper`); input cells are
unlocked, pale yellow and validated, totals are formulas in locked grey cells (:mod:`.forms`).
Every single-value cell carries a workbook-level defined name equal to its code and each list is
an Excel table (:mod:`.lists`), so any tool can find any figure. The sections share one
:class:`.book.Book`.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from schemas import Explanation, FormsInfo, IndicatorRegistry, Policy, TownRef
from shuangfu_cli.writing.guard import atomic_path
from shuangfu_cli.writing.template.forms import formula, write_attachment, write_cover
from shuangfu_cli.writing.template.indicator_sheet import write_indicators
from shuangfu_cli.writing.template.list_sheets import write_list
from shuangfu_cli.writing.template.sections import Book
from shuangfu_cli.writing.template.selfcheck import LastQuarter, write_selfcheck


def build_template(
    town: TownRef,
    period: str,
    registry: IndicatorRegistry,
    forms: FormsInfo | None = None,
    last: LastQuarter | None = None,
    policy: Policy | None = None,
) -> Workbook:
    book = Book(town, period, registry, forms, policy)
    write_cover(book)
    for sheet_layout in book.layout.sheets:
        write_attachment(book, sheet_layout)
    villages = [{"name": v.name, "kind": v.kind} for v in town.villages]
    for lst in book.layout.lists:
        write_list(book, lst, villages if lst.name == "villages" else [])
    write_list(book, book.layout.explanations, [])
    write_indicators(book)
    for cell, f in book.pending_formulas:
        cell.value = formula(book, f)
    write_selfcheck(book, last)
    # the explanations sheet is for free text: keep it unprotected
    book.wb[Explanation.form.sheet.name].protection.sheet = False
    book.wb.active = 0
    return book.wb


def write_template(
    town: TownRef,
    period: str,
    registry: IndicatorRegistry,
    out: Path,
    forms: FormsInfo | None = None,
    last: LastQuarter | None = None,
    policy: Policy | None = None,
) -> None:
    """Write the blank return for `town` and `period` to `out` (whole or not at all), with the
    reference file's form identity block (`forms`) on every form, checking itself (and
    against `last`, the town's last valid return, when given) with the reference's `policy`
    thresholds."""
    wb = build_template(town, period, registry, forms, last, policy)
    with atomic_path(out) as tmp:
        wb.save(tmp)
