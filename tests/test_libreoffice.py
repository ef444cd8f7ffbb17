"""Returns re-saved by a real spreadsheet program (LibreOffice) as .xlsx, .xls and .ods read
back the same, validate clean, and still give each mistake at its cell."""

from __future__ import annotations

import pytest

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.writing.fill import locate

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

    from shuangfu_cli.form.layout import form_layout

    resaved = resave(blank_templates("米心镇", "2020Q3"), "xlsx")
    wb = load_workbook(resaved)
    assert set(form_layout().figures) <= set(wb.defined_names)
    tables = {name for ws in wb.worksheets for name in ws.tables}
    assert {"EMP_WORKSHOPS", "LDR_VILLAGES", "LDR_CLASSES", "EXPLANATIONS"} <= tables


def test_rollup_of_resaved_returns_equals_the_originals(make_return, resave, tmp_path):
    from shuangfu_cli.district.rollup import rollup

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
    from shuangfu_dev.samples import figures_for

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

    from shuangfu_dev.samples import figures_for

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


def test_a_note_typed_under_the_last_workshop_is_counted_neither_by_the_form_nor_by_the_tool(
    make_return, lo_type
):
    """In Calc, 注:以上数据截至12月31日 typed in the name column under 柏梓镇's two workshops: the
    form's own 扶贫车间总数 (as Calc recalculates it) and the tool both say 2, and the note is
    named where it was typed."""
    path = make_return("柏梓镇", "2020Q4")
    note = locate(path, ("workshops", 2, "name"))
    for fmt, typed in lo_type(path, [[*note, "注:以上数据截至12月31日"]]).items():
        report = validate_file(typed)
        assert [(f.code, f.sheet, f.cell) for f in report.findings] == [("E_LIST_NOTE", *note)]
        assert report.read.figures["EMP_WS_TOTAL"].value == 2, fmt  # the form's COUNTIFS
        assert report.values["EMP_WS_TOTAL"] == 2, fmt
        assert report.read.figures["EMP_WS_NEW"].value == report.values["EMP_WS_NEW"] == 1, fmt


def test_the_rows_the_form_counts_are_the_rows_it_prints(make_return, lo_type, reference):
    """In Calc: a row inserted right above the workshop list's closing line (本表到此为止) and a
    workshop typed into it, another typed below the line. The saved workbook's print area and
    every formula over the list end with the closing line, now a row lower: the inserted
    workshop is counted by the form and the tool and printed; the one below is counted by
    neither, and named."""
    import re

    from openpyxl import load_workbook
    from openpyxl.utils import range_boundaries

    from shuangfu_cli.form.layout import LIST_END
    from shuangfu_dev.samples import figures_for

    rows = figures_for(reference.town("柏梓镇"), "2020Q4")[1]["workshops"]
    path = make_return("柏梓镇", "2020Q4")
    sheet = "附件4-1 扶贫车间明细"
    ws = load_workbook(path)[sheet]
    end = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == LIST_END)
    village = rows[0]["village"]

    def typed_row(r: int, name: str, workers: int, poor: int) -> list:
        values = [name, village, "是", str(workers), str(poor)]
        return [[sheet, f"{col}{r}", v] for col, v in zip("ABCDE", values, strict=True)]

    edits = [
        [sheet, f"ROWS+{end}", "1"],  # Insert > Rows on the closing line: a row above it
        *typed_row(end, "新增车间甲", 7, 3),
        *typed_row(end + 3, "表外车间乙", 5, 2),  # the closing line is now at end + 1
    ]
    typed = lo_type(path, edits)
    for fmt, file in typed.items():
        report = validate_file(file)
        got = [(f.code, f.sheet, f.cell) for f in report.findings]
        assert got == [("E_LIST_ROW_OUTSIDE", sheet, f"A{end + 3}")], fmt
        for code, want in (
            ("EMP_WS_TOTAL", len(rows) + 1),
            ("EMP_WS_WORKERS", sum(r["workers"] for r in rows) + 7),
        ):
            assert report.read.figures[code].value == report.values[code] == want, (fmt, code)
    wb = load_workbook(typed["xlsx"])
    area = wb[sheet].print_area
    area = area[0] if isinstance(area, list) else area
    assert range_boundaries(area.split("!")[-1].replace("$", ""))[3] == end + 1
    assert wb[sheet].cell(end + 1, 1).value == LIST_END
    formulas = " ".join(
        c.value
        for row in wb["附件4 就业"].iter_rows()
        for c in row
        if isinstance(c.value, str) and sheet in c.value
    )
    ends = set(re.findall(r"\$[A-Z]+\$\d+:\$[A-Z]+\$(\d+)", formulas))
    assert ends == {str(end + 1)}


def test_full_width_digits_and_yuan_for_wanyuan_are_told_where_they_were_typed(
    make_return, lo_type, reference
):
    """Typed in Calc: the college students' count in full-width digits (the form's 合计 then
    shows #VALUE!) and a stage's amount in 元 (41000 for 4.1 万元). Each is an error at the cell
    the clerk typed, not at the locked 合计, and says what to type instead."""
    from shuangfu_dev.samples import figures_for

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
        assert (
            f"（全角数字），表中的合计（{total}）因此显示错误值#VALUE!" in said["E_NUMBER_AS_TEXT"]
        )
        assert "41000元即4.1万元" in said["E_YUAN_FOR_WANYUAN"], fmt
        assert "身份证" not in said["E_YUAN_FOR_WANYUAN"]
        assert report.values["EDU_COLLEGE_ELIGIBLE"] == figures["EDU_COLLEGE_ELIGIBLE"]
        assert report.values["EDU_HIGHSCHOOL_AMOUNT"] is None  # refused, never added up
