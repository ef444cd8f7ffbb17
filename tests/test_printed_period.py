"""The period each form prints under its title comes from the cover: a clerk who reuses last
quarter's file and types the new quarter on the cover gets forms that print the new quarter (in
Excel, WPS and LibreOffice: the formula uses only functions all three have); a period typed over
a form's formula that contradicts the cover is an error at that cell."""

from __future__ import annotations

import re
import subprocess

import pytest
from openpyxl import load_workbook

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.reading import read_return
from shuangfu_cli.writing.fill import locate

FORMS = [s.sheet.name for s in form_layout().sheets] + [
    lst.sheet.name for lst in form_layout().lists
]
TITLES = {s.sheet.name: s.sheet.title for s in form_layout().sheets} | {
    lst.sheet.name: lst.sheet.title for lst in form_layout().lists
}


def _period_cells(path) -> dict[str, str]:
    """sheet -> the cell right of 填报单位 that holds the printed period, as the template
    wrote it."""
    wb = load_workbook(path)
    out = {}
    for name in FORMS:
        for row in wb[name].iter_rows(max_row=12):
            first = next((c for c in row if str(c.value or "").startswith("填报单位")), None)
            if first is not None:
                cell = next(
                    c
                    for c in row[first.column :]
                    if c.value and not str(c.value).startswith("单位")
                )
                out[name] = cell.coordinate
    return out


def test_every_form_prints_its_period_by_a_formula_of_the_cover(blank_templates):
    path = blank_templates("柏梓镇", "2020Q3")
    cells = _period_cells(path)
    assert set(cells) == set(FORMS)
    wb = load_workbook(path)
    for sheet, ref in cells.items():
        formula = wb[sheet][ref].value
        assert formula.startswith("=") and "COVER_PERIOD" in formula, sheet
        assert "1-9月" not in formula  # nothing of the quarter it was made for is fixed


@pytest.fixture(scope="module")
def reused(tmp_path_factory, reference, blank_templates, lo_type):
    """A clean Q3 return reused for Q4 in LibreOffice: the cover's period and date typed anew,
    and the period of 附件4 typed over its formula with last quarter's text."""
    from shuangfu_cli.writing.fill import fill_workbook
    from shuangfu_dev.samples import figures_for

    figures, lists, cover = figures_for(reference.town("柏梓镇"), "2020Q3")
    q3 = tmp_path_factory.mktemp("reused") / "柏梓镇_2020Q3.xlsx"
    fill_workbook(blank_templates("柏梓镇", "2020Q3"), q3, figures, lists, cover)
    typed_over = ("附件4 就业", _period_cells(q3)["附件4 就业"])
    edits = [
        [*locate(q3, ("cover", "period")), "2020Q4"],
        [*locate(q3, ("cover", "date")), "2021-01-05"],
        [*typed_over, "2020年1-9月"],
    ]
    return lo_type(q3, edits), typed_over


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_reused_file_prints_the_quarter_its_cover_says(reused, fmt):
    files, (sheet, ref) = reused
    printed = {c.sheet: c.value for c in read_return(files[fmt]).printed_periods}
    assert printed == {name: "2020年1-12月" for name in FORMS if name != sheet} | {
        sheet: "2020年1-9月"
    }
    report = validate_file(files[fmt], expected_period="2020Q4")
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
        ("E_FORM_PERIOD_MISMATCH", sheet, ref)
    ]
    message = report.findings[0].message("zh")
    assert "“2020年1-9月”" in message and "2020Q4" in message and "2020年1-12月" in message
    assert "2020年1-12月" in report.findings[0].message("en")


@pytest.mark.libreoffice
def test_the_printed_forms_say_the_new_quarter(reused, resave):
    """As LibreOffice prints it: every form's page says 2020年1-12月, except the one whose
    period was typed over (the error above)."""
    files, (sheet, _) = reused
    pdf = resave(files["xlsx"], "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    for name in FORMS:
        page = next(p for p in pages if TITLES[name] in p)
        if name == sheet:
            assert "2020年1-9月" in page
        else:
            assert "2020年1-12月" in page and not re.search(r"1-9\s*月", page), name


def test_an_older_template_with_a_fixed_period_is_caught_on_every_form(make_return, tmp_path):
    """A file of a template whose period was fixed text (2020年1-9月), its cover changed to
    2020Q4: each form would print 1-9月 on paper."""
    path = make_return("柏梓镇", "2020Q4")
    cells = _period_cells(path)
    wb = load_workbook(path)
    for sheet, ref in cells.items():
        wb[sheet][ref].value = "2020年1-9月"
    old = tmp_path / "old.xlsx"
    wb.save(old)
    report = validate_file(old, expected_period="2020Q4")
    assert sorted((f.code, f.sheet, f.cell) for f in report.findings) == sorted(
        ("E_FORM_PERIOD_MISMATCH", sheet, ref) for sheet, ref in cells.items()
    )


def test_a_period_typed_over_that_agrees_with_the_cover_is_no_finding(make_return, tmp_path):
    path = make_return("柏梓镇", "2020Q3")
    wb = load_workbook(path)
    for sheet, ref in _period_cells(path).items():
        wb[sheet][ref].value = "2020年第三季度"
    same = tmp_path / "same.xlsx"
    wb.save(same)
    assert validate_file(same).findings == []
