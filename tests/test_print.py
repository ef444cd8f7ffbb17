"""The template prints on A4 as a Chinese statistical form (shared/design/office.md): identity
block, title, 栏次 row, sign-off line and 说明 under each attachment, print areas that hold the
form only, header rows repeated, page numbers, readable 指标解释, every input cell pale yellow.
Read back from the file, and looked at as LibreOffice prints it."""

from __future__ import annotations

import re
import subprocess

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.writing.styles import INPUT_FILL

ATTACHMENTS = [s.sheet.name for s in form_layout().sheets]
LISTS = [lst.sheet.name for lst in form_layout().lists]


@pytest.fixture(scope="module")
def wb(blank_templates):
    return load_workbook(blank_templates("柏梓镇", "2020Q3"))


def _area(ws) -> tuple[int, int, int, int]:
    (area,) = ws.print_area if isinstance(ws.print_area, list) else [ws.print_area]
    return range_boundaries(area.split("!")[-1].replace("$", ""))


def _texts(ws, max_col=None) -> list[str]:
    return [
        str(c.value)
        for row in ws.iter_rows(max_col=max_col)
        for c in row
        if isinstance(c.value, str)
    ]


@pytest.mark.parametrize("sheet", ATTACHMENTS + LISTS)
def test_every_form_has_its_identity_block_marked_as_sample(wb, sheet, reference):
    number = reference.forms.number(sheet)
    texts = _texts(wb[sheet])
    assert f"表    号：{number}(示例)" in texts
    assert any(t.startswith("制定机关：潼南区扶贫开发领导小组办公室") for t in texts)
    assert any(t.startswith("有效期至：") for t in texts)
    assert re.fullmatch(r"潼扶志智\d(-\d)?表", number)


@pytest.mark.parametrize("sheet", ATTACHMENTS)
def test_attachments_have_column_numbers_sign_off_and_check_relations(wb, sheet):
    ws = wb[sheet]
    texts = _texts(ws)
    assert "甲" in texts and "1" in texts  # 栏次, as text: no SUM adds them
    assert any(t.startswith("单位负责人：") and "报出日期：" in t for t in texts)
    assert any(t.startswith("说明：1. 本表由柏梓镇填报") for t in texts)  # its own unit
    sign_off = next(
        c for row in ws.iter_rows() for c in row if str(c.value).startswith("单位负责人")
    )
    _, _, _, last_row = _area(ws)
    assert sign_off.row < last_row  # the 说明 print too


@pytest.mark.parametrize("sheet", ATTACHMENTS)
def test_the_sign_off_line_fits_the_printed_width(wb, sheet):
    from shuangfu_cli.writing.template.paper import text_width

    ws = wb[sheet]
    _, _, max_col, _ = _area(ws)
    room = sum(ws.column_dimensions[chr(64 + c)].width for c in range(1, max_col + 1))
    sign_off = next(
        c for row in ws.iter_rows() for c in row if str(c.value).startswith("单位负责人")
    )
    lines = sign_off.value.split("\n")
    assert all(text_width(line) <= room for line in lines), (room, lines)
    assert "20    年    月    日" in lines[-1]
    assert ws.row_dimensions[sign_off.row].height >= 18 * len(lines)


def test_check_relations_are_written_with_column_numbers(wb):
    notes = " ".join(t for t in _texts(wb["附件2 培训"]) if "审核关系" in t)
    assert "2栏≤1栏" in notes and "4栏≥2栏" in notes  # 已训≤应训, 人次≥已训
    assert "“其中:贫困群众”≤“培训人数”" in notes


@pytest.mark.parametrize("sheet", ATTACHMENTS + LISTS + ["指标解释"])
def test_print_setup_is_a4_with_page_numbers_and_a_print_area(wb, sheet):
    ws = wb[sheet]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    footer = ws.oddFooter.center.text or ws.oddFooter.right.text
    assert footer == "第 &P 页 共 &N 页"
    min_col, min_row, max_col, max_row = _area(ws)
    assert (min_col, min_row) == (1, 1)
    assert ws.print_title_rows  # header rows repeated on every page


@pytest.mark.parametrize("sheet", ATTACHMENTS)
def test_codes_are_kept_out_of_the_printed_form(wb, sheet):
    ws = wb[sheet]
    _, _, max_col, _ = _area(ws)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+", c.value):
                assert c.column > max_col, f"{sheet}!{c.coordinate} {c.value} is printed"


@pytest.mark.parametrize("sheet", LISTS)
def test_lists_print_their_rows_only_with_the_header_repeated_and_sign_off_in_the_footer(wb, sheet):
    from shuangfu_cli.form.layout import LIST_END

    ws = wb[sheet]
    (table,) = ws.tables.values()
    t_min_col, header, t_max_col, t_last = range_boundaries(table.ref)
    _, _, max_col, max_row = _area(ws)
    # the table and its closing line, no empty bordered rows below
    assert (max_col, max_row) == (t_max_col, t_last + 1)
    assert ws.cell(max_row, 1).value == LIST_END and ws.cell(max_row, 1).protection.locked
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}"
    assert ws.oddFooter.left.text.startswith("单位负责人：")


@pytest.mark.parametrize("sheet", LISTS)
def test_list_input_cells_are_pale_yellow_and_the_header_writable(wb, sheet):
    ws = wb[sheet]
    (table,) = ws.tables.values()
    min_col, header, max_col, last = range_boundaries(table.ref)
    for r in range(header + 1, last + 1):
        for c in range(min_col, max_col + 1):
            cell = ws.cell(r, c)
            assert cell.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb and not cell.protection.locked
    # a row inserted straight under the header takes the header's format: it must be writable
    assert not any(ws.cell(header, c).protection.locked for c in range(min_col, max_col + 1))


def list_formula_ranges(wb) -> list[tuple[str, int, int]]:
    """(list sheet, first row, last row) of every range over a list in the forms' formulas."""
    formulas = [
        c.value
        for name in ATTACHMENTS
        for row in wb[name].iter_rows()
        for c in row
        if isinstance(c.value, str) and "明细" in c.value and c.value.startswith("=")
    ]
    found = re.findall(r"'([^']+)'!\$[A-Z]+\$(\d+):\$[A-Z]+\$(\d+)", " ".join(formulas))
    return [(sheet, int(first), int(last)) for sheet, first, last in found]


def test_list_formulas_reach_from_the_header_row_to_the_printed_closing_line(wb):
    """A row inserted straight under a list's header, or right above its closing line, is
    inside every summary's range and the print area: the form counts what prints."""
    ranges = list_formula_ranges(wb)
    assert {sheet for sheet, _, _ in ranges} == {LISTS[0], LISTS[1]}  # classes: no summary
    for sheet, first, last in ranges:
        (table,) = wb[sheet].tables.values()
        assert first == range_boundaries(table.ref)[1], sheet
        assert last == _area(wb[sheet])[3], sheet


def test_indicator_rows_are_as_high_as_their_wrapped_text(wb):
    ws = wb["指标解释"]
    width = ws.column_dimensions["E"].width
    for r in range(4, ws.max_row + 1):
        text = str(ws.cell(r, 5).value)
        chars = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
        lines = -(-chars // int(width - 1))
        assert ws.row_dimensions[r].height >= 13 * lines, (r, text)


def test_attachments_print_with_their_frame_as_libreoffice_prints_them(blank_templates, resave):
    """Converted by LibreOffice: every attachment prints on one page with its frame, the
    text of the codes does not appear, page numbers do."""
    src = blank_templates("柏梓镇", "2020Q3")
    pdf = resave(src, "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    for title in ("干部及实用技术培训情况统计表", "教育扶贫情况统计表", "就业扶贫情况统计表"):
        (page,) = [p for p in pages if title in p]
        assert re.search(r"表\s+号：潼扶志智\d表", page)
        assert "单位负责人" in page and "说明" in page and "甲" in page
        assert "TRN_" not in page and "EDU_" not in page and "EMP_" not in page
        assert re.search(r"第 \d+ 页 共 \d+ 页", page)


def test_a_filled_form_prints_amounts_as_money(make_return, resave):
    """The 资助金额 of a filled return, printed by LibreOffice: 万元 to the hundred yuan and to
    the yuan where typed (2.30, 8.375), never padded to four decimals (2.3000)."""
    from decimal import Decimal

    def amounts(figures, lists, cover):
        figures["EDU_PRESCHOOL_AMOUNT"] = Decimal("2.3")
        figures["EDU_COMPULSORY_AMOUNT"] = Decimal("8.375")

    text = subprocess.run(
        ["pdftotext", "-layout", str(resave(make_return("柏梓镇", "2020Q3", amounts), "pdf")), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (page,) = [p for p in text.split("\f") if "教育扶贫情况统计表" in p]
    assert re.search(r"\b2\.30\b", page) and re.search(r"\b8\.375\b", page), page
    assert not re.search(r"\d\.\d{2,3}0\b", page), page
