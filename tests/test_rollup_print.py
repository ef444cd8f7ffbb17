"""The rollup workbook prints on A4 to be read: charts on a sheet with no cells in use, Chinese
headers with the codes in a row (or column) that does not print, wide tables split into pages of
a legible width with their header repeated, page numbers everywhere, the findings' text wrapped."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from shuangfu_cli.district.rollup import rollup
from shuangfu_cli.writing.rollup_book import write_workbook
from shuangfu_cli.writing.rollup_book.town_tables import MAX_COLUMNS

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "区汇总.xlsx"
    r = rollup([SAMPLES / "2020Q4"], "2020Q4", previous=[SAMPLES / "2020Q3"])
    write_workbook(r, out)
    return out


def _area(ws):
    ((sheet_range),) = ws.print_area if isinstance(ws.print_area, list) else [ws.print_area]
    ref = sheet_range.split("!")[-1].replace("$", "")
    return range_boundaries(ref)  # min_col, min_row, max_col, max_row


def test_every_sheet_prints_on_a4_with_page_numbers(book):
    wb = load_workbook(book)
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, ws.title
        assert ws.print_area, ws.title
        footer = ws.oddFooter.center.text or ws.oddFooter.right.text or ""
        assert "&P" in footer and "&N" in footer, ws.title


def test_wide_tables_are_split_into_legible_pages_with_repeated_headers(book):
    wb = load_workbook(book)
    parts = [ws for ws in wb.worksheets if ws.title.startswith(("附件", "各镇街", "本季度"))]
    assert len([ws for ws in parts if ws.title.startswith("附件2")]) > 1  # 38 columns: split
    for ws in parts:
        min_col, min_row, max_col, _ = _area(ws)
        assert max_col - min_col + 1 <= MAX_COLUMNS + 3, ws.title  # never 40 on one page
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows, ws.title  # the header on every page
        # the codes are in row 1, outside the print area; the printed header is Chinese
        assert min_row == 2 and CODE.search(" ".join(str(c.value) for c in ws[1] if c.value))
        for row in ws.iter_rows(min_row=2, max_row=6, max_col=max_col):
            for cell in row:
                assert not CODE.search(str(cell.value or "")), (ws.title, cell.coordinate)


def test_charts_cover_no_cell_in_use(book):
    wb = load_workbook(book)
    charted = [ws for ws in wb.worksheets if ws._charts]
    assert charted
    for ws in charted:
        used = [c.coordinate for row in ws.iter_rows() for c in row if c.value is not None]
        assert used == [], ws.title


def test_the_targets_sheet_keeps_its_codes_outside_the_page(book):
    ws = load_workbook(book)["目标完成情况"]
    _, _, max_col, max_row = _area(ws)
    printed = " ".join(
        str(c.value) for row in ws.iter_rows(max_col=max_col, max_row=max_row) for c in row
    )
    assert not CODE.search(printed)
    codes = [c.value for row in ws.iter_rows(min_col=max_col + 1) for c in row if c.value]
    assert any(CODE.fullmatch(str(v)) for v in codes)


def test_findings_text_is_wrapped_and_rows_tall_enough(book):
    ws = load_workbook(book)["问题清单"]
    head = [c.value for c in ws[3]]
    col = head.index("说明") + 1
    rows = [r for r in range(4, ws.max_row + 1) if ws.cell(r, col).value]
    assert rows
    for r in rows:
        cell = ws.cell(r, col)
        assert cell.alignment.wrap_text
        width = ws.column_dimensions[cell.column_letter].width
        chars = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
        assert ws.row_dimensions[r].height >= 15 * (chars // width), (r, cell.value)


def test_a_town_of_another_period_shows_its_file(book):
    ws = load_workbook(book)["报送情况"]
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "花岩镇")
    assert "报告期不符" in row[2].value
    assert "花岩镇_2020Q4.xlsx（报告期2020Q3）" in row[5].value


def test_every_table_keeps_its_frozen_header_and_fits_the_page_width(book):
    # the workbook is written streamed: what a sheet file holds before its rows (freeze panes,
    # the fit to the page, column widths) must still be there
    wb = load_workbook(book)
    for ws in wb.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        if ws.title == "图表":
            continue
        assert ws.freeze_panes, ws.title
        _, first_row, max_col, _ = _area(ws)
        assert ws.freeze_panes != f"A{first_row}" or ws.title == "问题清单", ws.title
        for col in range(1, max_col + 1):
            assert ws.column_dimensions[get_column_letter(col)].width, (ws.title, col)


def test_merged_headers_are_framed_across_their_width(book):
    wb = load_workbook(book)
    ws = wb["附件4 就业 汇总"]
    merged = [m for m in ws.merged_cells.ranges if m.min_row == 4 and m.max_col > m.min_col]
    assert merged  # a group's title over its columns
    for m in merged:
        for col in range(m.min_col, m.max_col + 1):
            border = ws.cell(4, col).border
            assert border.top.style and border.bottom.style, (m.coord, col)
        assert ws.cell(4, m.max_col).border.right.style, m.coord


@pytest.mark.libreoffice
def test_libreoffice_prints_it_without_codes_and_with_page_numbers(book, tmp_path):
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/prof", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    pdf = tmp_path / "区汇总.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 10
    for i, page in enumerate(pages, start=1):
        assert re.search(rf"第\s*{i}\s*页", page), i
        if "校验问题清单" not in page:  # the findings quote codes in their messages
            assert not CODE.search(page), (i, CODE.search(page))
    # amounts in 万元 print to the hundred yuan, and to the yuan where they have it: never
    # padded to four decimals (500.0000)
    assert not re.search(r"\d\.\d{2,3}0\b", text), re.search(r".{20}\d\.\d{2,3}0\b.{5}", text)
    total = rollup([SAMPLES / "2020Q4"], "2020Q4").totals["EDU_TOTAL_AMOUNT"]
    shown = f"{total:,.4f}".rstrip("0")
    shown += "0" * max(0, 2 - len(shown.split(".")[1]))
    assert shown in text, shown
