"""核实性审核 against the town's own history: each slip a clerk makes, typed into a return made
from the template, is a warning at its cell naming the slip and the figure it probably should
be — and a clean return compared with its own previous quarter gets none."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.form.findings import CATALOG
from shuangfu_cli.form.reference import load_reference
from shuangfu_cli.rules.history import PLAUSIBILITY_CODES
from shuangfu_cli.writing.fill import locate
from shuangfu_dev.samples import figures_for

TOWN = "柏梓镇"
Q3, _, _ = figures_for(load_reference().town(TOWN), "2020Q3")
Q4, _, _ = figures_for(load_reference().town(TOWN), "2020Q4")


def _set(**values):
    def mutate(f, lists, cover):
        f.update(values)

    return mutate


def _skills(relocated, employed, persons):
    return _set(
        TRN_SKILL_PERSONS=persons, TRN_SKILL_RELOCATED=relocated, TRN_SKILL_EMPLOYED=employed
    )


@pytest.fixture
def q3(make_return):
    return validate_file(make_return(TOWN, "2020Q3"))


def _found(report):
    return sorted((f.code, f.sheet, f.cell) for f in report.findings)


def _check(make_return, previous, mutate, code, *where):
    path = make_return(TOWN, "2020Q4", mutate)
    report = validate_file(path, previous=previous)
    assert _found(report) == sorted((code, *locate(path, w)) for w in where)
    assert report.status == "valid"  # a warning: the clerk answers it in one sentence
    return report


def test_clean_return_against_its_previous_quarter_has_no_finding(make_return, q3):
    report = validate_file(make_return(TOWN, "2020Q4"), previous=q3)
    assert report.findings == []


def test_extra_digit_names_the_figure_it_should_be(make_return, q3):
    report = _check(make_return, q3, _set(EMP_JOBSEND=70), "W_EXTRA_DIGIT", "EMP_JOBSEND")
    message = report.findings[0].message("zh")
    # the example: 65 added against about 1.7 a quarter, 5 before, 70 now, 7 meant
    for part in ("新增65人", "约1.7人", "39倍", "累计5人", "累计70人", "多输了一位数字", "应为7"):
        assert part in message
    assert "should it be 7" in report.findings[0].message("en")


def test_extra_digit_typed_inside_a_figure(make_return, q3):
    report = _check(
        make_return, q3, _set(TRN_PRACTICAL_PERSONS=2166), "W_EXTRA_DIGIT", "TRN_PRACTICAL_PERSONS"
    )
    assert "应为216" in report.findings[0].message("zh")


def test_a_stock_with_a_dropped_digit(make_return, q3):
    report = _check(make_return, q3, _set(EMP_PWJ_ONDUTY=4), "W_DROPPED_DIGIT", "EMP_PWJ_ONDUTY")
    assert "漏输了一位数字" in report.findings[0].message("zh")


def test_a_flow_with_a_dropped_digit_falls_and_says_so(make_return, q3):
    """A dropped digit lowers a cumulative figure: W_CUMULATIVE_DECREASE, with the slip."""
    report = _check(
        make_return, q3, _set(TRN_PRACTICAL_POOR=9), "W_CUMULATIVE_DECREASE", "TRN_PRACTICAL_POOR"
    )
    assert "漏输了一位数字（是否应为9" in report.findings[0].message("zh")


def test_amount_in_yuan_is_one_finding_at_its_cell(make_return, q3):
    """2.5 万元 typed in 百元 (250): the amount per student gives it away first; one finding."""
    mutate = _set(EDU_COLLEGE_AMOUNT=Q4["EDU_COLLEGE_AMOUNT"] * 100)
    _check(make_return, q3, mutate, "W_AMOUNT_PER_STUDENT", "EDU_COLLEGE_AMOUNT")


def _college(eligible, funded, amount):
    return _set(EDU_COLLEGE_ELIGIBLE=eligible, EDU_COLLEGE_FUNDED=funded, EDU_COLLEGE_AMOUNT=amount)


def test_amount_in_yuan_named_where_the_amount_per_student_passes(make_return):
    """0.6 万元 typed as 60 (百元) for 50 students: 1.2 万元 each passes the per-student rule,
    but it is 100 times the town's pace."""
    previous = validate_file(make_return(TOWN, "2020Q3", _college(50, 45, Decimal("0.45"))))
    path = make_return(TOWN, "2020Q4", _college(50, 50, Decimal("60")))
    report = validate_file(path, previous=previous)
    assert _found(report) == [("W_YUAN_FOR_WANYUAN", *locate(path, "EDU_COLLEGE_AMOUNT"))]
    assert "是否应为0.6" in report.findings[0].message("zh")


def test_swapped_digits_of_a_stock(make_return, q3):
    report = _check(make_return, q3, _set(EMP_PWJ_ONDUTY=73), "W_DIGITS_SWAPPED", "EMP_PWJ_ONDUTY")
    assert "应为37" in report.findings[0].message("zh")


def test_rows_exchanged_names_both_cells(make_return):
    previous = validate_file(make_return(TOWN, "2020Q3", _skills(10, 60, 100)))
    path = make_return(TOWN, "2020Q4", _skills(78, 13, 130))  # 13 and 78 typed a row off
    report = validate_file(path, previous=previous)
    cells = {"TRN_SKILL_RELOCATED": locate(path, "TRN_SKILL_RELOCATED"),
             "TRN_SKILL_EMPLOYED": locate(path, "TRN_SKILL_EMPLOYED")}  # fmt: skip
    assert _found(report) == sorted(("W_ROWS_EXCHANGED", *c) for c in cells.values())
    relocated = next(f for f in report.findings if f.indicator == "TRN_SKILL_RELOCATED")
    assert cells["TRN_SKILL_EMPLOYED"][1] in relocated.message("zh")  # the other cell named


def test_two_stocks_holding_each_others_last_figure(make_return):
    # within a stock's ordinary drift each, but exactly last quarter's two figures exchanged
    previous = validate_file(
        make_return(TOWN, "2020Q3", _set(TRN_CADRE_PARTYSEC_PLANNED=18, TRN_CADRE_VHEAD_PLANNED=22))
    )
    path = make_return(
        TOWN, "2020Q4", _set(TRN_CADRE_PARTYSEC_PLANNED=22, TRN_CADRE_VHEAD_PLANNED=18)
    )
    report = validate_file(path, previous=previous)
    where = [locate(path, c) for c in ("TRN_CADRE_PARTYSEC_PLANNED", "TRN_CADRE_VHEAD_PLANNED")]
    assert _found(report) == sorted(("W_ROWS_EXCHANGED", *c) for c in where)
    # a unit apart, two stocks trade places by an ordinary drift: no finding
    path = make_return(
        TOWN, "2020Q4", _set(TRN_CADRE_PARTYSEC_PLANNED=19, TRN_CADRE_VHEAD_PLANNED=18)
    )
    previous = validate_file(
        make_return(TOWN, "2020Q3", _set(TRN_CADRE_PARTYSEC_PLANNED=18, TRN_CADRE_VHEAD_PLANNED=19))
    )
    assert validate_file(path, previous=previous).findings == []


def test_last_quarters_return_sent_again(make_return, q3):
    path = make_return(TOWN, "2020Q4", _set(**Q3))
    report = validate_file(path, previous=q3)
    assert _found(report) == [("W_COPIED_RETURN", *locate(path, ("cover", "period")))]
    assert "完全相同" in report.findings[0].message("zh")


def test_a_jump_without_a_slips_shape(make_return, q3):
    report = _check(make_return, q3, _set(EMP_JOBSEND=43), "W_JUMP", "EMP_JOBSEND")
    assert "新增38人" in report.findings[0].message("zh")


def test_a_stock_far_from_last_quarter(make_return, q3):
    _check(make_return, q3, _set(EMP_PWJ_ONDUTY=95), "W_STOCK_CHANGE", "EMP_PWJ_ONDUTY")


def test_an_explained_doubt_does_not_count_even_under_strict(make_return, q3):
    def explained(f, lists, cover):
        f["EMP_JOBSEND"] = 70
        lists["explanations"] = [
            {"code": "W_EXTRA_DIGIT", "sheet_name": "附件4 就业", "cell": cell,
             "text": "本季度区里组织专场招聘会,送岗人数确有大幅增加"}
        ]  # fmt: skip

    cell = locate(make_return(TOWN, "2020Q4"), "EMP_JOBSEND")[1]
    path = make_return(TOWN, "2020Q4", explained)
    assert validate_file(path, previous=q3, strict=True).status == "valid"
    report = validate_file(path, previous=q3)
    assert [f.explained for f in report.findings] == [True]
    unexplained = make_return(TOWN, "2020Q4", _set(EMP_JOBSEND=70))
    assert validate_file(unexplained, previous=q3, strict=True).status == "invalid"


def test_sensitivity_comes_from_the_reference(make_return, q3):
    loose = load_reference()
    loose = loose.model_copy(
        update={"plausibility": loose.plausibility.model_copy(update={"jump_factor": 60})}
    )
    path = make_return(TOWN, "2020Q4", _set(EMP_JOBSEND=70))
    assert validate_file(path, previous=q3, reference=loose).findings == []


def test_every_plausibility_code_has_both_languages_and_is_a_warning():
    for code in PLAUSIBILITY_CODES:
        assert CATALOG[code].severity == "warning"
        assert CATALOG[code].zh and CATALOG[code].en
