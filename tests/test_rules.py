"""Each rule passes on a good return and fires on a bad one with the right code, severity and
cell — and nothing else fires."""

from __future__ import annotations

import datetime as dt

import pytest

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.form.findings import CATALOG
from shuangfu_cli.form.reference import load_reference
from shuangfu_cli.rules import RULES
from shuangfu_cli.writing.fill import locate
from shuangfu_dev.samples import figures_for

TOWN = "柏梓镇"
#: the sample's workshops: a row typed under them is the list's next row
N_WORKSHOPS = len(figures_for(load_reference().town(TOWN), "2020Q3")[1]["workshops"])
N_CLASSES = len(figures_for(load_reference().town(TOWN), "2020Q3")[1]["classes"])


def _findings(report):
    return sorted((f.code, f.severity, f.sheet, f.cell) for f in report.findings)


def _set(**values):
    def mutate(f, lists, cover):
        for code, value in values.items():
            f[code] = value(f) if callable(value) else value

    return mutate


def _row(list_name, index, **values):
    def mutate(f, lists, cover):
        row = lists[list_name][index]
        for key, value in values.items():
            row[key] = value(row) if callable(value) else value

    return mutate


def _calc_leaves_out(key):
    """Workshop 0's `key` typed so that Calc's SUM/COUNTIF leave it out (text, or 是 with a
    space), and the summary as Calc then computes it."""

    def mutate(f, lists, cover):
        rows = lists["workshops"]
        if key == "workers":
            rows[0]["workers"] = str(rows[0]["workers"])
            f["EMP_WS_WORKERS"] = sum(r["workers"] for r in rows[1:])
        else:
            rows[0]["new_2020"] = "是 "
            f["EMP_WS_NEW"] = sum(r["new_2020"] == "是" for r in rows)

    return mutate


def _clerks_total_row(f, lists, cover):
    """A 合计 row typed under the list, inside the formulas' ranges: Calc counts it twice."""
    rows = lists["workshops"]
    total = sum(r["workers"] for r in rows)
    f["EMP_WS_TOTAL"] = len(rows) + 1  # COUNTA counts the 合计 row's name
    f["EMP_WS_WORKERS"] = 2 * total
    rows.append({"name": "合计", "workers": total})


def _append(list_name, row):
    def mutate(f, lists, cover):
        lists[list_name].append(row)

    return mutate


def _first(kind):
    def index(lists):
        return next(i for i, v in enumerate(lists["villages"]) if v["kind"] == kind)

    return index


def _village(which, **values):
    def mutate(f, lists, cover):
        row = lists["villages"][_first(which)(lists)]
        for key, value in values.items():
            row[key] = value(row) if callable(value) else value

    return mutate


def _append_village(row):
    def mutate(f, lists, cover):
        lists["villages"].append(row(lists) if callable(row) else row)

    return mutate


def _drop_village(kind):
    def mutate(f, lists, cover):
        del lists["villages"][_first(kind)(lists)]

    return mutate


VILLAGES = "附件5-1 村(社区)明细"
CASES = {
    # code: (mutation, [(code, severity, where)])
    "practical poor above persons": (
        _set(TRN_PRACTICAL_POOR=lambda f: f["TRN_PRACTICAL_PERSONS"] + 1),
        [("E_PART_ABOVE_TOTAL", "error", "TRN_PRACTICAL_POOR")],
    ),
    "relocated above skill persons": (
        _set(TRN_SKILL_RELOCATED=lambda f: f["TRN_SKILL_PERSONS"] + 3),
        [("E_PART_ABOVE_TOTAL", "error", "TRN_SKILL_RELOCATED")],
    ),
    "trained above planned": (
        _set(
            TRN_CADRE_GRAD_PLANNED=2,
            TRN_CADRE_GRAD_TRAINED=3,
            TRN_CADRE_GRAD_PTIMES=3,
            TRN_CADRE_GRAD_SESSIONS=1,
        ),
        [("E_TRAINED_ABOVE_PLANNED", "error", "TRN_CADRE_GRAD_TRAINED")],
    ),
    "person-times below persons": (
        _set(TRN_CADRE_TEAM_PTIMES=lambda f: f["TRN_CADRE_TEAM_TRAINED"] - 1),
        [("E_PTIMES_BELOW_PERSONS", "error", "TRN_CADRE_TEAM_PTIMES")],
    ),
    "funded above eligible": (
        _set(EDU_HIGHSCHOOL_ELIGIBLE=lambda f: f["EDU_HIGHSCHOOL_FUNDED"] - 1),
        [("E_FUNDED_ABOVE_ELIGIBLE", "error", "EDU_HIGHSCHOOL_FUNDED")],
    ),
    "money without funded students": (
        _set(EDU_PRESCHOOL_FUNDED=0),
        [("E_AMOUNT_WITHOUT_FUNDED", "error", "EDU_PRESCHOOL_AMOUNT")],
    ),
    "funded students without money": (
        _set(EDU_COLLEGE_AMOUNT=0),
        [("E_FUNDED_WITHOUT_AMOUNT", "error", "EDU_COLLEGE_AMOUNT")],
    ),
    "implausible amount per student": (
        _set(EDU_COLLEGE_AMOUNT=lambda f: f["EDU_COLLEGE_FUNDED"] * 3),
        [("W_AMOUNT_PER_STUDENT", "warning", "EDU_COLLEGE_AMOUNT")],
    ),
    "total typed over the formula": (
        _set(
            TRN_CADRE_TOTAL_PLANNED=lambda f: (
                sum(
                    v for k, v in f.items() if k.startswith("TRN_CADRE_") and k.endswith("_PLANNED")
                )
                + 1
            )
        ),
        [("E_TOTAL_SUM", "error", "TRN_CADRE_TOTAL_PLANNED")],
    ),
    "workshop summary not the list's sum": (
        _set(EMP_WS_WORKERS=999),
        [("E_LIST_SUM", "error", "EMP_WS_WORKERS")],
    ),
    "text that is not a number": (
        _set(EMP_PWJ_POSTS="十二"),
        [("E_NOT_NUMBER", "error", "EMP_PWJ_POSTS")],
    ),
    "negative count": (
        _set(EMP_PWJ_POSTS=-1),
        [("E_NEGATIVE", "error", "EMP_PWJ_POSTS")],
    ),
    "count with decimals": (
        _set(TRN_SKILL_PERSONS=lambda f: f["TRN_SKILL_PERSONS"] + 0.5),
        [("E_NOT_WHOLE", "error", "TRN_SKILL_PERSONS")],
    ),
    "money with five decimals": (
        _set(EDU_COLLEGE_AMOUNT=1.23456),
        [("E_MONEY_DECIMALS", "error", "EDU_COLLEGE_AMOUNT")],
    ),
    "blank figure": (
        _set(EMP_JOBSEND=None),
        [("E_BLANK", "error", "EMP_JOBSEND")],
    ),
    "workshop poor above its workers": (
        _row("workshops", 0, poor=lambda r: r["workers"] + 1),
        [("E_ROW_PART_ABOVE_TOTAL", "error", ("workshops", 0, "poor"))],
    ),
    "village new leaders above its stock": (
        _village("贫困村", new=lambda r: r["stock"] + 1),
        [("E_ROW_PART_ABOVE_TOTAL", "error", ("villages", 0, "new"))],
    ),
    "poor village left out": (
        _drop_village("贫困村"),
        [("E_VILLAGE_MISSING", "error", VILLAGES)],
    ),
    "other village left out": (
        _drop_village("非贫困村"),
        [("W_VILLAGE_MISSING", "warning", VILLAGES)],
    ),
    "unknown village": (
        _append_village(
            {
                "name": "不存在村",
                "kind": "非贫困村",
                "stock": 1,
                "new": 0,
                "trained": 0,
                "households": 3,
            }
        ),
        [("E_VILLAGE_UNKNOWN", "error", ("villages", 18, "name"))],
    ),
    "duplicate village": (
        _append_village(lambda lists: dict(lists["villages"][5])),
        [("E_VILLAGE_DUPLICATE", "error", ("villages", 18, "name"))],
    ),
    "village of the wrong kind": (
        _village("非贫困村", kind="社区"),
        [("E_VILLAGE_KIND", "error", ("villages", 3, "kind"))],
    ),
    "invalid yes/no": (
        _row("workshops", 0, new_2020="新建"),
        [("E_INVALID_CHOICE", "error", ("workshops", 0, "new_2020"))],
    ),
    "invalid date": (
        _row("classes", 0, start="2020-02-30"),
        [("E_INVALID_DATE", "error", ("classes", 0, "start"))],
    ),
    "class starting after the period": (
        _row("classes", 0, start="2020-10-12"),  # the return is for 2020Q3
        [("E_CLASS_DATE", "error", ("classes", 0, "start"))],
    ),
    "class in another year": (
        _row("classes", 0, start="2026-05-11"),  # 5/11 typed, the current year assumed
        [("E_CLASS_DATE", "error", ("classes", 0, "start"))],
    ),
    # the cells the form's own formulas leave out; the stored 合计 is what the formula gives
    "number stored as text in a list": (
        _calc_leaves_out("workers"),
        [("E_NUMBER_AS_TEXT", "error", ("workshops", 0, "workers"))],
    ),
    "number stored as text in a grid": (
        _set(
            # what Calc's SUM gives when the team's figure is text, then the figure as text
            TRN_CADRE_TOTAL_PLANNED=lambda f: sum(
                v
                for k, v in f.items()
                if k.endswith("_PLANNED")
                and k not in ("TRN_CADRE_TOTAL_PLANNED", "TRN_CADRE_TEAM_PLANNED")
            ),
            TRN_CADRE_TEAM_PLANNED=lambda f: str(f["TRN_CADRE_TEAM_PLANNED"]),
        ),
        [("E_NUMBER_AS_TEXT", "error", "TRN_CADRE_TEAM_PLANNED")],
    ),
    "是 with a trailing space": (
        _calc_leaves_out("new_2020"),
        [("E_CHOICE_SPACES", "error", ("workshops", 0, "new_2020"))],
    ),
    "a clerk's 合计 row in the list": (
        _clerks_total_row,
        [("E_LIST_TOTAL_ROW", "error", ("workshops", N_WORKSHOPS, "name"))],
    ),
    "workshop without a name": (
        _row("workshops", 0, name=None),
        [("E_LIST_NAME_MISSING", "error", ("workshops", 0, "name"))],
    ),
    "workshop without its village": (
        _row("workshops", 0, village=None),
        [("E_LIST_ROW_INCOMPLETE", "error", ("workshops", 0, "village"))],
    ),
    "workshop without 是否2020年新创办": (
        _row("workshops", 0, new_2020=None),
        [("E_LIST_ROW_INCOMPLETE", "error", ("workshops", 0, "new_2020"))],
    ),
    "workshop without its worker counts": (
        _row("workshops", 0, workers=None, poor=None),
        [
            ("E_LIST_ROW_INCOMPLETE", "error", ("workshops", 0, "workers")),
            ("E_LIST_ROW_INCOMPLETE", "error", ("workshops", 0, "poor")),
        ],
    ),
    "village whose households are left blank": (
        _village("贫困村", households=None),
        [("E_LIST_ROW_INCOMPLETE", "error", ("villages", 0, "households"))],
    ),
    "class without its start date and trainees": (
        _row("classes", 0, start=None, trainees=None),
        [
            ("E_LIST_ROW_INCOMPLETE", "error", ("classes", 0, "start")),
            ("E_LIST_ROW_INCOMPLETE", "error", ("classes", 0, "trainees")),
        ],
    ),
    "class without its field days": (  # not also E_CLASS_DAYS_SUM: a blank is not a 0
        _row("classes", 0, field_days=None),
        [("E_LIST_ROW_INCOMPLETE", "error", ("classes", 0, "field_days"))],
    ),
    "note typed under the last workshop": (
        _append("workshops", {"name": "注:以上数据截至12月31日"}),
        [("E_LIST_NOTE", "error", ("workshops", N_WORKSHOPS, "name"))],
    ),
    "workshop name typed alone": (  # a note, or a row begun and left: either way not counted
        _append("workshops", {"name": "待建扶贫车间"}),
        [("E_LIST_NOTE", "error", ("workshops", N_WORKSHOPS, "name"))],
    ),
    "note typed across the figures' columns": (
        _append("workshops", {"workers": "单位:人,含季节性用工"}),
        [("E_LIST_NOTE", "error", ("workshops", N_WORKSHOPS, "workers"))],
    ),
    "note in a form whose COUNTA counts it (a template before COUNTIFS)": (
        lambda f, lists, cover: (
            lists["workshops"].append({"name": "注:以上数据截至9月30日"}),
            f.update(EMP_WS_TOTAL=N_WORKSHOPS + 1),
        ),
        [("E_LIST_NOTE", "error", ("workshops", N_WORKSHOPS, "name"))],  # not E_LIST_SUM too
    ),
    "a workshop whose name starts with 注 (注塑) is no note": (
        _row("workshops", 0, name="注塑加工扶贫车间"),
        [],
    ),
    "note in the class list": (  # not a 0-day class (W_CLASS_DAYS)
        _append("classes", {"name": "备注:第3期培训班10月开班"}),
        [("E_LIST_NOTE", "error", ("classes", N_CLASSES, "name"))],
    ),
    "workshop in a village not of the town": (
        _row("workshops", 0, village="火星村"),
        [("E_WS_VILLAGE_UNKNOWN", "error", ("workshops", 0, "village"))],
    ),
    "class days do not add up": (
        _row("classes", 0, days=8),
        [("E_CLASS_DAYS_SUM", "error", ("classes", 0, "days"))],
    ),
    "class shorter than 7 days": (
        _row("classes", 0, days=5, classroom_days=4, field_days=1),
        [
            ("W_CLASS_DAYS", "warning", ("classes", 0, "days")),
            ("W_CLASS_RATIO", "warning", ("classes", 0, "classroom_days")),
        ],
    ),
    "class not 5:2": (
        _row("classes", 0, classroom_days=6, field_days=1),
        [("W_CLASS_RATIO", "warning", ("classes", 0, "classroom_days"))],
    ),
    "workshop under 30% poor": (
        _row("workshops", 0, workers=50, poor=14),
        [("W_WS_POOR_SHARE", "warning", ("workshops", 0, "poor"))],
    ),
    "poor village under 4 leaders": (
        _village(
            "贫困村",
            stock=3,
            new=lambda r: min(r["new"], 3),
            trained=lambda r: min(r["trained"], 3),
            households=9,
        ),
        [("W_POORV_LEADERS", "warning", ("villages", 0, "stock"))],
    ),
    "other village without a leader": (
        _village("非贫困村", stock=0, new=0, trained=0, households=0),
        [("W_OTHERV_LEADERS", "warning", ("villages", 3, "stock"))],
    ),
    "leaders lifting under 3 households each": (
        _village("贫困村", households=lambda r: 3 * r["stock"] - 1),
        [("W_HOUSEHOLDS_PER_LEADER", "warning", ("villages", 0, "households"))],
    ),
    "an amount typed in 元 (41000 for 4.1 万元), above the bound": (
        _set(EDU_HIGHSCHOOL_AMOUNT=41000),
        [("E_YUAN_FOR_WANYUAN", "error", "EDU_HIGHSCHOOL_AMOUNT")],
    ),
    "no phone number on the cover": (
        lambda f, lists, cover: cover.update(phone=None),
        [("E_COVER_BLANK", "error", ("cover", "phone"))],
    ),
    "cover left unsigned and undated": (
        lambda f, lists, cover: cover.update(preparer=" ", date=None),
        [
            ("E_COVER_BLANK", "error", ("cover", "preparer")),
            ("E_COVER_BLANK", "error", ("cover", "date")),
        ],
    ),
    "cover dated on the quarter's last day (a reused file's date)": (
        lambda f, lists, cover: cover.update(date=dt.date(2020, 9, 30)),
        [("E_DATE_BEFORE_PERIOD_END", "error", ("cover", "date"))],
    ),
    "cover date that is no date": (
        lambda f, lists, cover: cover.update(date="2020年10月32日"),
        [("E_INVALID_DATE", "error", ("cover", "date"))],
    ),
    "unknown town on the cover": (
        lambda f, lists, cover: cover.update(town="柏梓乡"),
        [("E_TOWN_UNKNOWN", "error", ("cover", "town"))],
    ),
    "period that is no quarter": (
        lambda f, lists, cover: cover.update(period="2020年第五季度"),
        [("E_PERIOD_INVALID", "error", ("cover", "period"))],
    ),
    "period of another year": (
        lambda f, lists, cover: cover.update(period="2019Q3"),
        [("E_PERIOD_INVALID", "error", ("cover", "period"))],
    ),
}


def test_clean_return_has_no_finding(make_return):
    report = validate_file(make_return(), expected_period="2020Q3")
    assert report.findings == []
    assert report.status == "valid"


@pytest.mark.parametrize("case", list(CASES))
def test_rule_fires_with_code_and_cell(make_return, case):
    mutate, expected = CASES[case]
    path = make_return(TOWN, "2020Q3", mutate)
    report = validate_file(path, expected_period="2020Q3")
    want = sorted((code, sev, *locate(path, where)) for code, sev, where in expected)
    assert _findings(report) == want
    errors = any(sev == "error" for _, sev, _ in expected)
    assert report.status == ("invalid" if errors else "valid")


def test_period_mismatch(make_return):
    path = make_return(TOWN, "2020Q3")
    report = validate_file(path, expected_period="2020Q4")
    assert _findings(report) == [("E_PERIOD_MISMATCH", "error", *locate(path, ("cover", "period")))]
    assert "2020Q4" in report.findings[0].message("zh")


def test_cumulative_decrease_names_both_values(make_return):
    q3 = validate_file(make_return(TOWN, "2020Q3"))
    q4_path = make_return(TOWN, "2020Q4", _set(EMP_JOBSEND=1))
    report = validate_file(q4_path, previous=q3)
    assert _findings(report) == [
        ("W_CUMULATIVE_DECREASE", "warning", *locate(q4_path, "EMP_JOBSEND"))
    ]
    message = report.findings[0].message("zh")
    assert "1" in message and str(q3.values["EMP_JOBSEND"]) in message
    assert report.status == "valid"
    assert validate_file(q4_path, previous=q3, strict=True).status == "invalid"


@pytest.mark.parametrize(("per_student", "said"), [(500, "人均500万元"), (2.125, "人均2.125万元")])
def test_amount_per_student_is_said_without_trailing_zeros(make_return, per_student, said):
    """An amount reads as the clerk would write it: 人均500万元, never 人均500.0000万元."""
    from decimal import Decimal

    amount = _set(EDU_COLLEGE_AMOUNT=lambda f: Decimal(str(per_student)) * f["EDU_COLLEGE_FUNDED"])
    report = validate_file(make_return(TOWN, "2020Q3", amount))
    (finding,) = [f for f in report.findings if f.code == "W_AMOUNT_PER_STUDENT"]
    assert said in finding.message("zh")
    assert f"averages {said[2:-2]} 万元" in finding.message("en")


def test_strict_makes_unexplained_warnings_invalid(make_return):
    path = make_return(TOWN, "2020Q3", _row("workshops", 0, workers=50, poor=10))
    assert validate_file(path).status == "valid"
    assert validate_file(path, strict=True).status == "invalid"


def test_row_typed_below_the_lists_closing_line(make_return):
    """A workshop typed below the list's closing line (本表到此为止), where the form's formulas
    and print area end, is named and not counted; a note typed there is where notes belong."""
    from openpyxl import load_workbook

    from shuangfu_cli.form.layout import LIST_END

    path = make_return(TOWN, "2020Q3")
    wb = load_workbook(path)
    ws = wb["附件4-1 扶贫车间明细"]
    end = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == LIST_END)
    ws.cell(end + 1, 1, "注:以上数据截至9月30日")
    village = load_reference().town(TOWN).villages[0].name
    for col, value in zip("ABCDE", ("新建扶贫车间", village, "是", 20, 8), strict=True):
        ws[f"{col}{end + 3}"] = value
    wb.save(path)
    report = validate_file(path, expected_period="2020Q3")
    sheet = ws.title
    assert _findings(report) == [("E_LIST_ROW_OUTSIDE", "error", sheet, f"A{end + 3}")]
    assert report.values["EMP_WS_TOTAL"] == N_WORKSHOPS
    assert "本表到此为止" in report.findings[0].message("zh")


def test_every_rule_has_a_test_case():
    """A rule added without a case here would go unpinned."""
    tested = {code for _, expected in CASES.values() for code, _, _ in expected}
    tested |= {"E_PERIOD_MISMATCH", "W_CUMULATIVE_DECREASE", "E_TOWN_VILLAGES_MISMATCH"}
    tested |= {"E_LIST_ROW_OUTSIDE"}  # test_row_typed_below_the_lists_closing_line
    tested |= {"W_JUMP"}  # with every history code: tests/test_history_checks.py
    tested |= {"E_FORM_PERIOD_MISMATCH"}  # typed over in LibreOffice: tests/test_printed_period.py
    assert {r.check.code for r in RULES} - tested == set()


def test_every_check_has_both_languages():
    for check in CATALOG.values():
        assert check.zh and check.en
        assert check.severity in ("error", "warning")


def test_known_but_wrong_town_on_the_cover_is_one_finding(make_return):
    """柏梓镇's return whose cover says 崇龛镇: one error, not one per village."""
    path = make_return(TOWN, "2020Q3", lambda f, lists, cover: cover.update(town="崇龛镇"))
    report = validate_file(path)
    assert _findings(report) == [
        ("E_TOWN_VILLAGES_MISMATCH", "error", *locate(path, ("cover", "town")))
    ]
    assert "柏梓镇" in report.findings[0].message("zh")
