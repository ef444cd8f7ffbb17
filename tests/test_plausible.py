"""Values no return can hold — an ID-card number in a count, 1E+308, a 300-digit number, an
error value such as #DIV/0! — typed into a return in LibreOffice and saved as .xlsx, .xls and
.ods: each is an error at its own cell, never a figure in a total, never a crash."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.form.values import parse_number, ratio
from shuangfu_cli.writing.fill import locate

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def planted(tmp_path_factory, reference, blank_templates, lo_type):
    """A clean 柏梓镇 return with six absurd values typed over it in LibreOffice."""
    from shuangfu_cli.writing.fill import fill_workbook
    from shuangfu_dev.samples import figures_for

    figures, lists, cover = figures_for(reference.town("柏梓镇"), "2020Q4")
    original = tmp_path_factory.mktemp("planted") / "柏梓镇_2020Q4.xlsx"
    fill_workbook(blank_templates("柏梓镇", "2020Q4"), original, figures, lists, cover)
    where = {
        ("E_TOO_LARGE", "EMP_JOBSEND"): "510102199001011234",  # an ID-card number
        ("E_TOO_LARGE", "EDU_COLLEGE_AMOUNT"): "1E+308",
        ("E_ERROR_VALUE", "TRN_PRACTICAL_PERSONS"): "=1/0",
        ("E_ERROR_VALUE", ("workshops", 0, "workers")): "=1/0",  # 20 workers, once read as 0
        ("E_TOO_LARGE", ("villages", 0, "households")): "1" * 300,
        ("E_ERROR_VALUE", ("classes", 0, "trainees")): "=NA()",
    }
    expected = set()
    edits = []
    for (code, target), text in where.items():
        sheet, cell = locate(original, target)
        edits.append([sheet, cell, text])
        expected.add((code, sheet, cell))
    return lo_type(original, edits), expected


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_each_absurd_or_error_value_is_an_error_at_its_cell(planted, fmt):
    files, expected = planted
    report = validate_file(files[fmt], expected_period="2020Q4")
    got = {(f.code, f.sheet, f.cell) for f in report.findings}
    assert got == expected  # and nothing at the totals that merely show them
    assert report.status == "invalid"
    assert report.read.fmt == fmt
    # none of them reached a figure the rollup would add up
    assert report.values["EMP_JOBSEND"] is None
    assert report.values["EDU_COLLEGE_AMOUNT"] is None
    assert report.values["EDU_TOTAL_AMOUNT"] is None


def test_messages_name_the_bound_and_the_error():
    from shuangfu_cli.form.findings import Finding

    too_large = Finding(
        "E_TOO_LARGE", params={"raw": "5.10102199001011e+17", "max": "100000", "unit": "人"}
    )
    assert "合理上限100000人" in too_large.message("zh")
    assert "身份证号" in too_large.message("zh")
    error = Finding("E_ERROR_VALUE", params={"raw": "#DIV/0!"})
    assert "“#DIV/0!”" in error.message("zh") and "#DIV/0!" in error.message("en")


@pytest.mark.parametrize(
    "raw",
    [1e308, float("inf"), "1" * 300, "1" * 5000, Decimal("1e24"), 10**400, "９" * 40],
)
@pytest.mark.parametrize("vtype", ["count", "money"])
def test_no_value_a_file_can_hold_becomes_a_figure_beyond_the_hard_ceiling(raw, vtype):
    value, problem = parse_number(raw, vtype)
    assert value is None and problem in ("E_TOO_LARGE", "E_NOT_NUMBER")


def test_ratios_of_any_size_do_not_overflow():
    assert ratio(10**400, 10**399) == 10.0
    assert ratio(Decimal("1e400"), 3) is None  # beyond a float: no ratio, no crash
    assert ratio(5, 0) is None
