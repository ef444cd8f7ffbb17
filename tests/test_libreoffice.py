"""Returns re-saved by a real spreadsheet program (LibreOffice) as .xlsx, .xls and .ods read
back the same, validate clean, and still give each mistake at its cell."""

from __future__ import annotations

import pytest

from shuangfu_cli.fill import locate
from shuangfu_cli.validate import validate_file

pytestmark = pytest.mark.libreoffice
FORMATS = ("xlsx", "xls", "ods")


@pytest.mark.parametrize("fmt", FORMATS)
def test_resaved_clean_return_validates_clean(make_return, resave, fmt):
    original = make_return("柏梓镇", "2020Q4")
    expected = validate_file(original)
    resaved = resave(original, fmt)
    report = validate_file(resaved, expected_period="2020Q4")
    assert report.findings == []
    assert report.status == "valid"
    assert report.values == expected.values  # every figure, totals included
    assert report.read.fmt == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_resaved_mistakes_keep_code_and_cell(make_return, resave, fmt):
    def mutate(f, lists, cover):
        f["EMP_TRANSFER_OUTSIDE"] = f["EMP_TRANSFER_NEW"] + 1
        f["EDU_TOTAL_ELIGIBLE"] = 1  # typed over the formula
        lists["workshops"][0].update(workers=50, poor=10)

    original = make_return("柏梓镇", "2020Q4", mutate)
    report = validate_file(resave(original, fmt))
    got = sorted((f.code, f.severity, f.sheet, f.cell) for f in report.findings)
    want = sorted(
        [
            ("E_PART_ABOVE_TOTAL", "error", *locate(original, "EMP_TRANSFER_OUTSIDE")),
            ("E_TOTAL_SUM", "error", *locate(original, "EDU_TOTAL_ELIGIBLE")),
            ("W_WS_POOR_SHARE", "warning", *locate(original, ("workshops", 0, "poor"))),
        ]
    )
    assert got == want
    assert report.status == "invalid"


def test_resaved_template_keeps_names_and_tables(blank_templates, resave):
    from openpyxl import load_workbook

    from shuangfu_cli.layout import form_layout

    resaved = resave(blank_templates("米心镇", "2020Q3"), "xlsx")
    wb = load_workbook(resaved)
    assert set(form_layout().figures) <= set(wb.defined_names)
    tables = {name for ws in wb.worksheets for name in ws.tables}
    assert {"EMP_WORKSHOPS", "LDR_VILLAGES", "LDR_CLASSES", "EXPLANATIONS"} <= tables


def test_rollup_of_resaved_returns_equals_the_originals(make_return, resave, tmp_path):
    from shuangfu_cli.rollup import rollup

    towns = ("柏梓镇", "崇龛镇", "桂林街道")
    originals = [make_return(t, "2020Q4", name=f"{t}.xlsx") for t in towns]
    resaved = [resave(p, fmt) for p, fmt in zip(originals, FORMATS, strict=True)]
    a = rollup(originals, "2020Q4").to_dict()
    b = rollup(resaved, "2020Q4").to_dict()
    assert {t: s["status"] for t, s in b["towns"].items() if t in towns} == dict.fromkeys(
        towns, "valid"
    )
    assert a["indicators"] == b["indicators"]


def test_one_mistake_one_finding_at_the_cell_typed(make_return, lo_type):
    """4.12345 万元 and 2.5 sessions typed in Calc: Calc's 合计 formulas carry the mistake on
    (five decimals, a half session), but each is reported once, at the cell typed."""
    path = make_return("柏梓镇", "2020Q3")
    amount, sessions = locate(path, "EDU_COLLEGE_AMOUNT"), locate(path, "TRN_CADRE_TEAM_SESSIONS")
    edits = [[*amount, "4.12345"], [*sessions, "2.5"]]
    for fmt, typed in lo_type(path, edits).items():
        report = validate_file(typed)
        got = sorted((f.code, f.sheet, f.cell) for f in report.findings)
        want = sorted([("E_MONEY_DECIMALS", *amount), ("E_NOT_WHOLE", *sessions)])
        assert got == want, fmt


def test_cells_the_forms_formulas_leave_out_are_named_not_the_locked_summary(
    make_return, lo_type, reference
):
    """Typed in Calc: '40 (a number stored as text), 是 with a trailing space, and a 合计 row
    under the workshop list. Calc's SUM/COUNTIF/COUNTA then disagree with the list; each cell
    the clerk must change is named, and not the locked summary cell on the other sheet."""
    from shuangfu_cli.samples import figures_for

    rows = figures_for(reference.town("柏梓镇"), "2020Q3")[1]["workshops"]

    def first_is_new(f, lists, cover):
        lists["workshops"][0]["new_2020"] = "是"

    path = make_return("柏梓镇", "2020Q3", first_is_new)
    poor = locate(path, ("workshops", 0, "poor"))  # (a clerk's 合计 row below sums workers)
    new = locate(path, ("workshops", 0, "new_2020"))
    total_name = locate(path, ("workshops", len(rows), "name"))
    total_workers = locate(path, ("workshops", len(rows), "workers"))
    edits = [
        [*poor, f"'{rows[0]['poor']}"],
        [*new, "是 "],
        [*total_name, "合计"],
        [*total_workers, str(sum(r["workers"] for r in rows))],
    ]
    for fmt, typed in lo_type(path, edits).items():
        report = validate_file(typed)
        got = sorted((f.code, f.sheet, f.cell) for f in report.findings)
        want = sorted(
            [
                ("E_NUMBER_AS_TEXT", *poor),
                ("E_CHOICE_SPACES", *new),
                ("E_LIST_TOTAL_ROW", *total_name),
            ]
        )
        assert got == want, fmt


def test_rows_inserted_under_the_list_header_and_below_the_table_are_counted_by_both(
    make_return, lo_type, reference
):
    """In Calc: a row inserted straight under the workshop list's header and one inserted just
    below its table, a workshop typed into each. The form's own summaries (SUM, COUNTIF,
    COUNTA) and the reader count the same rows: no mismatch, both workshops in the figures."""
    from openpyxl import load_workbook
    from openpyxl.utils import range_boundaries

    from shuangfu_cli.samples import figures_for

    rows = figures_for(reference.town("柏梓镇"), "2020Q3")[1]["workshops"]
    path = make_return("柏梓镇", "2020Q3")
    ws = load_workbook(path)["附件4-1 扶贫车间明细"]
    _, header, _, last = range_boundaries(ws.tables["EMP_WORKSHOPS"].ref)
    sheet = ws.title
    village = rows[0]["village"]

    def typed_row(r: int, name: str, workers: int, poor: int) -> list:
        values = [name, village, "是", str(workers), str(poor)]
        return [[sheet, f"{col}{r}", v] for col, v in zip("ABCDE", values, strict=True)]

    edits = [
        [sheet, f"ROWS+{header + 1}", "1"],
        *typed_row(header + 1, "新增车间甲", 7, 3),
        [sheet, f"ROWS+{last + 2}", "1"],  # the table now ends at last + 1
        *typed_row(last + 2, "新增车间乙", 5, 2),
    ]
    for fmt, typed in lo_type(path, edits).items():
        report = validate_file(typed)
        assert [(f.code, f.cell) for f in report.findings] == [], fmt
        assert report.values["EMP_WS_TOTAL"] == len(rows) + 2, fmt
        assert report.values["EMP_WS_WORKERS"] == sum(r["workers"] for r in rows) + 12, fmt
        assert report.values["EMP_WS_NEW"] == sum(r["new_2020"] == "是" for r in rows) + 2, fmt


def test_full_width_digits_and_yuan_for_wanyuan_are_told_where_they_were_typed(
    make_return, lo_type, reference
):
    """Typed in Calc: the college students' count in full-width digits (the form's 合计 then
    shows #VALUE!) and a stage's amount in 元 (41000 for 4.1 万元). Each is an error at the cell
    the clerk typed, not at the locked 合计, and says what to type instead."""
    from shuangfu_cli.samples import figures_for

    figures = figures_for(reference.town("柏梓镇"), "2020Q3")[0]
    path = make_return("柏梓镇", "2020Q3")
    eligible = locate(path, "EDU_COLLEGE_ELIGIBLE")
    amount = locate(path, "EDU_HIGHSCHOOL_AMOUNT")
    wide = str(figures["EDU_COLLEGE_ELIGIBLE"]).translate(
        {ord(d): 0xFF10 + int(d) for d in "0123456789"}
    )
    edits = [[*eligible, wide], [*amount, "41000"]]
    for fmt, typed in lo_type(path, edits).items():
        report = validate_file(typed)
        got = sorted((f.code, f.sheet, f.cell) for f in report.findings)
        assert got == sorted([("E_NUMBER_AS_TEXT", *eligible), ("E_YUAN_FOR_WANYUAN", *amount)]), (
            fmt
        )
        said = {f.code: f.message("zh") for f in report.findings}
        total = locate(path, "EDU_TOTAL_ELIGIBLE")[1]
        assert f"(全角数字),表中的合计({total})因此显示错误值#VALUE!" in said["E_NUMBER_AS_TEXT"]
        assert "41000元即4.1万元" in said["E_YUAN_FOR_WANYUAN"], fmt
        assert "身份证" not in said["E_YUAN_FOR_WANYUAN"]
        assert report.values["EDU_COLLEGE_ELIGIBLE"] == figures["EDU_COLLEGE_ELIGIBLE"]
        assert report.values["EDU_HIGHSCHOOL_AMOUNT"] is None  # refused, never added up
