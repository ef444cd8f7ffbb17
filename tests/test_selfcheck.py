"""The template checks itself (issue 26): every rule has a spreadsheet form or a reason why only
the district checks it; the compiled checks use portable functions only; and the workbook's own
verdict — recalculated by LibreOffice, read from the checks' lines on its sheet 自查 and CHECK_ERRORS /
CHECK_WARNINGS — is validate's on the compiled rules, for every sample return, the clerk cases
typed in Calc and one seeded mistake per compiled rule (in .xlsx, .xls and .ods)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

# the reference checks register their codes in the same catalogue (as a full run does before
# these tests): they are not a return's, and change neither the template nor its checks
from shuangfu_cli.form import reference_findings  # noqa: F401
from shuangfu_cli.form.findings import CATALOG, return_codes
from shuangfu_cli.rules.sheet_forms import (
    AGAINST_LAST_QUARTER,
    DISTRICT_ONLY,
    FIGURE_FORMS,
    ROW_FORMS,
    compiled_codes,
    figure_codes,
)
from shuangfu_cli.writing.template.selfcheck_sheet import (
    DETAIL,
    DETAIL_FIRST,
    DETAIL_HEADER,
    PREVIOUS_COLUMNS,
)
from shuangfu_dev.selfcheck import (
    case_jobs,
    make_samples,
    run_in_libreoffice,
    same_words,
    validate_verdict,
    workbook_verdict,
)

#: what Excel 2010, WPS and LibreOffice 7 all evaluate alike (the issue's list, and what the
#: template's own formulas already used)
PORTABLE = {
    "SUM", "SUMIFS", "SUMPRODUCT", "COUNTIF", "COUNTIFS", "IF", "IFERROR", "AND", "OR", "NOT",
    "ISNUMBER", "ISTEXT", "ISERROR", "ISNA", "ISBLANK", "INT", "ABS", "ROUND", "MOD", "LEN",
    "TEXT", "TRIM", "VALUE", "ASC", "SUBSTITUTE", "INDEX", "MATCH", "ROW", "ROWS", "COLUMN",
    "ADDRESS", "DATE", "DATEVALUE", "NA", "N", "CHOOSE", "ERROR.TYPE", "LEFT", "MID", "SEARCH",
    "FIND", "SMALL", "TRUE", "FALSE",
}  # fmt: skip


def test_every_code_has_a_spreadsheet_form_or_a_reason_it_has_none():
    """A new rule fails here until its spreadsheet form is written (rules/sheet_figures.py,
    rules/sheet_rows.py) or DISTRICT_ONLY says why only the district can check it."""
    compiled = compiled_codes()
    neither = [c for c in return_codes() if c not in compiled and c not in DISTRICT_ONLY]
    both = sorted(compiled & set(DISTRICT_ONLY))
    assert neither == [] and both == []
    assert set(FIGURE_FORMS) | set(ROW_FORMS) <= set(CATALOG)
    for zh, en in DISTRICT_ONLY.values():
        assert zh and en


def test_four_in_five_figure_codes_are_compiled():
    codes = figure_codes()
    compiled = [c for c in codes if c in compiled_codes()]
    assert len(compiled) * 5 >= len(codes) * 4, sorted(set(codes) - set(compiled))


@pytest.fixture(scope="module")
def template(tmp_path_factory, reference, registry):
    from shuangfu_cli.writing.template import write_template
    from shuangfu_cli.writing.template.selfcheck import LastQuarter
    from shuangfu_dev.samples import figures_for

    town = reference.town("柏梓镇")
    last = LastQuarter("2020Q3", "柏梓镇_2020Q3.xlsx", figures_for(town, "2020Q3")[0], 5)
    path = tmp_path_factory.mktemp("selfcheck") / "t.xlsx"
    write_template(town, "2020Q4", registry, path, forms=reference.forms, last=last)
    return path


def test_the_checks_use_only_functions_every_spreadsheet_program_has(template):
    wb = load_workbook(template)
    used: set[str] = set()
    formulas = [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    for ws in wb.worksheets:
        for rng in ws.conditional_formatting:
            formulas += [f for rule in rng.rules for f in rule.formula]
    assert len(formulas) > 1000
    for text in formulas:
        bare = re.sub(r'"[^"]*"', '""', text)  # the words in quotes are not functions
        used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", bare))
        assert "[" not in bare and "_xlfn" not in bare, text[:200]  # no external links
    assert used <= PORTABLE, used - PORTABLE


def test_the_verdict_has_names_a_sheet_and_the_covers_line(template):
    wb = load_workbook(template)
    dests = {n: list(wb.defined_names[n].destinations) for n in ("CHECK_ERRORS", "CHECK_WARNINGS")}
    assert dests == {"CHECK_ERRORS": [("自查", "$B$3")], "CHECK_WARNINGS": [("自查", "$B$4")]}
    summary = wb["自查"]
    assert summary.sheet_state == "visible" and summary.protection.sheet
    # the last tab a clerk sees; the checks' lines are in its hidden columns
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"][-1] == "自查"
    assert summary.print_area.startswith("'自查'!$A$1:$F$")  # not the lines
    for key, letter in DETAIL.items():
        assert summary[f"{letter}1"].value == DETAIL_HEADER[key]
        at = column_index_from_string(letter)
        dims = summary.column_dimensions.values()
        assert any(d.hidden and d.min <= at <= d.max for d in dims), letter
    assert "上期数据" not in wb.sheetnames  # in 自查's hidden columns: see below
    cover = wb["封面"]
    line = next(r for r in cover.iter_rows() if r[0].value == "自查结果")
    assert '"自查："&CHECK_ERRORS&"个错误，"&CHECK_WARNINGS&"个警告待说明"' in line[1].value
    # the forms keep their protection and their validations
    assert wb["附件4 就业"].protection.sheet
    assert wb["附件4 就业"].data_validations.dataValidation
    # the figures of last quarter travel in hidden columns of 自查
    code_col, value_col = PREVIOUS_COLUMNS
    assert summary[f"{value_col}1"].value == "上期数（2020Q3）"
    prev = {
        summary[f"{code_col}{r}"].value: summary[f"{value_col}{r}"].value
        for r in range(2, summary.max_row + 1)
    }
    assert prev["EMP_JOBSEND"] is not None
    at = column_index_from_string(value_col)
    assert any(d.hidden and d.min <= at <= d.max for d in summary.column_dimensions.values())


def test_the_marks_read_the_checks_by_name_so_they_survive_an_xls(template):
    """Red or yellow on each figure and list cell by conditional formats that read the checks'
    lines through workbook-level names: an .xls (BIFF8) format may not point at another sheet, and
    LibreOffice drops the sheet when it saves one (a mark would then read its own sheet)."""
    wb = load_workbook(template)
    for name in ("CHECK_SHEETS", "CHECK_CELLS", "CHECK_STATES"):
        assert list(wb.defined_names[name].destinations)[0][0] == "自查"
    marked = {}
    for ws in wb.worksheets:
        for rng in ws.conditional_formatting:
            for rule in rng.rules:
                assert "!" not in rule.formula[0], rule.formula[0][:120]
                marked.setdefault(ws.title, set()).add(rule.dxf.fill.fgColor.rgb)
    assert set(marked) >= {
        "附件2 培训",
        "附件4 就业",
        "附件4-1 扶贫车间明细",
        "附件5-1 村(社区)明细",
    }
    assert all(len(fills) == 2 for fills in marked.values())  # red and yellow


def test_the_thresholds_are_the_reference_datas(reference, registry, tmp_path):
    """The compiled checks use the reference's policy thresholds, as validate does: a 45%
    share is compiled as 0.45 and said as 45 in the message."""
    from decimal import Decimal

    from schemas import Policy
    from shuangfu_cli.writing.template import write_template

    path = tmp_path / "t.xlsx"
    policy = Policy(poor_share=Decimal("0.45"))
    town = reference.town("柏梓镇")
    write_template(town, "2020Q3", registry, path, forms=reference.forms, policy=policy)
    ws = load_workbook(path)["自查"]
    poor = [
        (a.value, e.value)
        for a, e in zip(ws[DETAIL["code"]], ws[DETAIL["message"]], strict=True)
        if isinstance(a.value, str) and "W_WS_POOR_SHARE" in a.value
    ]
    assert poor and all("0.45*" in check and '"{min_share}","45"' in said for check, said in poor)
    listed = {
        r[0]: r[1]
        for r in load_workbook(path)["自查"].iter_rows(min_col=5, max_col=6, values_only=True)
    }
    assert listed["W_WS_POOR_SHARE"].endswith("低于45%")  # the list of checks says it too


def test_template_previous_must_be_the_towns_valid_earlier_return(make_return, tmp_path):
    from typer.testing import CliRunner

    from shuangfu_cli.cli.app import app

    other = make_return("崇龛镇", "2020Q3")
    invalid = make_return("柏梓镇", "2020Q3", lambda f, lists, cover: f.update(EMP_JOBSEND=-1))
    for prev, why in ((other, "不是本镇街的"), (invalid, "没有通过审核")):
        out = tmp_path / "t.xlsx"
        args = ["template", "--period", "2020Q4", "--town", "柏梓镇", "-o", str(out)]
        result = CliRunner().invoke(app, [*args, "--previous", str(prev)])
        assert result.exit_code == 2, result.output
        assert why in result.output and prev.name in result.output
        assert not out.exists()
    good = make_return("柏梓镇", "2020Q3")
    result = CliRunner().invoke(app, [*args, "--previous", str(good)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["自查"][f"{PREVIOUS_COLUMNS[1]}1"].value == "上期数（2020Q3）"


# --- the key test: the workbook's verdict is validate's ------------------------------------


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Every sample return (2020Q4's templates made with --previous of 2020Q3), every clerk
    case and every seeded mistake, typed and recalculated in one LibreOffice process."""
    from selfcheck_cases import CLERK, SEEDED

    from shuangfu_dev.selfcheck import Job

    folder = tmp_path_factory.mktemp("selfcheck-lo")
    samples = make_samples(folder / "samples", with_previous=True)
    jobs = [Job(p.stem, p, [], p.with_name(p.stem + ".lo"), ("xlsx",), prev) for p, prev in samples]
    jobs += case_jobs(SEEDED + CLERK, folder / "cases")
    run_in_libreoffice(jobs, folder / "profile")
    return {j.name: j for j in jobs}


def _agree(job) -> None:
    for fmt, path in job.outputs().items():
        mine, tools = workbook_verdict(path), validate_verdict(path, job.previous)
        assert sorted(mine.marks) == sorted(tools.marks), (job.name, fmt)
        assert mine.counts() == tools.counts(), (job.name, fmt)
        assert same_words(mine, tools) == [], (job.name, fmt)


@pytest.mark.libreoffice
def test_every_sample_return_marks_what_validate_finds(recalculated):
    samples = [j for j in recalculated.values() if j.src.parent.name in ("2020Q3", "2020Q4")]
    assert len(samples) == 44
    marks = 0
    for job in samples:
        _agree(job)
        marks += len(workbook_verdict(job.outputs()["xlsx"]).marks)
    assert marks >= 10  # the samples' mistakes are there, not only clean returns


def _case_ids():
    from selfcheck_cases import CLERK, SEEDED

    return [c.name for c in SEEDED + CLERK]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", _case_ids())
def test_each_seeded_mistake_and_clerk_case_is_marked_as_validate_finds_it(recalculated, name):
    """One case per compiled rule (and the clerk cases of test_libreoffice.py): the mistake
    typed in Calc, the workbook saved and recalculated (some also as .xls and .ods): the cells
    it marks, with code and state, and its counts are validate's; and the rule the case is
    made for is among them."""
    from selfcheck_cases import CLERK, SEEDED

    case = next(c for c in SEEDED + CLERK if c.name == name)
    job = recalculated[name]
    _agree(job)
    marked = {m[0] for m in workbook_verdict(job.outputs()["xlsx"]).marks}
    assert set(case.codes) <= marked


@pytest.mark.libreoffice
def test_a_clean_return_has_no_mark_and_the_cover_says_it_passes(recalculated):
    from python_calamine import CalamineWorkbook

    for job in recalculated.values():
        if job.src.parent.name != "2020Q3" or job.src.stem.startswith(("群力", "双江", "太安")):
            continue
        verdict = workbook_verdict(job.outputs()["xlsx"])
        assert verdict.marks == frozenset() and verdict.counts() == (0, 0), job.name
        cover = CalamineWorkbook.from_path(str(job.outputs()["xlsx"])).get_sheet_by_name("封面")
        assert ["自查结果", "自查通过"] == [str(v) for v in cover.to_python()[8][:2]]


@pytest.mark.libreoffice
def test_the_compiled_rules_are_all_held_to_validate(recalculated):
    """Every compiled code is raised by at least one recalculated case (none unchecked)."""
    raised = set()
    for job in recalculated.values():
        for path in job.outputs().values():
            raised |= {m[0] for m in workbook_verdict(Path(path)).marks}
    assert compiled_codes() - raised == set()


def _lines(path: Path) -> int:
    """How many lines of checks the workbook's 自查 holds."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("自查").to_python()
    at = DETAIL_FIRST - 1 + list(DETAIL).index("sheet")
    return sum(1 for row in rows[1:] if len(row) > at and row[at] not in ("", None))


@pytest.mark.libreoffice
def test_the_lines_survive_a_save(recalculated):
    """LibreOffice, saving an .xlsx or .xls, leaves out the rows more than 1,000 below a
    sheet's last visible cell: every line of checks (in 自查's hidden columns, 1,535 rows long)
    is still there after Calc saves the return in each of the three formats."""
    saved = [j for j in recalculated.values() if len(j.formats) == 3]
    assert saved
    for job in saved:
        made = _lines(job.src)
        assert made > 1000
        for fmt, path in job.outputs().items():
            assert _lines(path) == made, (job.name, fmt)


@pytest.mark.libreoffice
def test_the_list_of_checks_counts_what_the_lines_find(recalculated):
    """自查's list of checks says, for each code, 发现N处 where N of the lines find it and
    通过 where none does (counted on the lines that may say the code only)."""
    from collections import Counter

    from python_calamine import CalamineWorkbook

    at = DETAIL_FIRST - 1 + list(DETAIL).index("code")
    seen = 0
    for job in recalculated.values():
        for path in job.outputs().values():
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("自查").to_python()
            found = Counter(str(r[at]) for r in rows[1:] if len(r) > at and r[at])
            table = {
                str(r[4]): str(r[1])
                for r in rows
                if str(r[4]) in compiled_codes() and str(r[1]).startswith(("通过", "发现", "本表"))
            }
            assert set(table) == compiled_codes(), path
            for code, state in table.items():
                if state == "本表不查":  # made without last quarter's figures
                    assert job.previous is None, (path, code)
                    assert code in AGAINST_LAST_QUARTER and not found[code], (path, code)
                    continue
                assert state == (f"发现{found[code]}处" if found[code] else "通过"), (path, code)
                seen += bool(found[code])
    assert seen > 50


def test_formula_text_is_written_as_libreoffice_writes_it_and_means_the_same():
    """The self-check's formulas are spelled the way LibreOffice predicts them (so that it
    compiles a column once): TRUE() and FALSE(), plain decimals, a Chinese sheet name
    without quotes; what may not change does not: text in quotes, an array's constants, a
    sheet name that needs its quotes or could be read as a reference."""
    from shuangfu_cli.writing.template.formula_text import canonical

    assert canonical("=IF(A1,TRUE,FALSE)") == "=IF(A1,TRUE(),FALSE())"
    assert canonical("=ABS(A1-B1)>=1E-9") == "=ABS(A1-B1)>=0.000000001"
    assert canonical("=A1*1E+3") == "=A1*1000"
    assert canonical("=COUNTIF('审核说明'!$A:$A,\"FALSE 1E-9\")") == (
        '=COUNTIF(审核说明!$A:$A,"FALSE 1E-9")'
    )
    for kept in (
        "='附件2 培训'!$B$13",
        "='R'!A1",
        "='C1'!A1",
        "='Sheet1'!A1",
        "=OR(A1={TRUE,FALSE})",
    ):
        assert canonical(kept) == kept
    assert canonical("plain text") == "plain text"


def test_every_check_is_written_as_libreoffice_writes_it(template):
    """Every formula of 自查 is already spelled as LibreOffice predicts it (FALSE(), plain
    decimals, 审核说明 without quotes): else LibreOffice compiles it cell by cell, and the
    template opens slower (benchmarks/selfcheck.py)."""
    from shuangfu_cli.writing.template.formula_text import canonical

    ws = load_workbook(template)["自查"]
    formulas = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("=")]
    assert [c.coordinate for c in formulas if canonical(c.value) != c.value] == []
