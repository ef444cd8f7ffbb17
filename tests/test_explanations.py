"""A warning answered in 审核说明 is marked explained and does not count; errors cannot be. An
explanation that answers nothing is a warning at its row saying why, except where the warning
it names is given only by a comparison the run did not make."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.district.trend import trend
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.writing.fill import locate

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
EXPLANATIONS = "审核说明"


def _low_share(explanations):
    def mutate(f, lists, cover):
        lists["workshops"][0].update(workers=50, poor=10)
        f["TRN_PRACTICAL_POOR"] = f["TRN_PRACTICAL_PERSONS"] + 1  # an error as well
        lists["explanations"] = explanations(lists)

    return mutate


def test_explained_by_subject(make_return):
    path = make_return(
        mutate=_low_share(
            lambda lists: [
                {
                    "code": "W_WS_POOR_SHARE",
                    "subject": lists["workshops"][0]["name"],
                    "text": "季节性用工",
                },
                {"code": "E_PART_ABOVE_TOTAL", "subject": "TRN_PRACTICAL_POOR", "text": "属实"},
            ]
        )
    )
    report = validate_file(path, strict=True)
    by_code = {f.code: f for f in report.findings}
    assert by_code["W_WS_POOR_SHARE"].explained
    assert not by_code["E_PART_ABOVE_TOTAL"].explained  # errors cannot be explained away
    assert report.warnings == 0 and report.errors == 1


def test_explained_by_sheet_and_cell(make_return, tmp_path):
    probe = make_return(mutate=_low_share(lambda lists: []))
    sheet, cell = locate(probe, ("workshops", 0, "poor"))
    path = make_return(
        mutate=_low_share(
            lambda lists: [
                {"code": "w_ws_poor_share", "sheet_name": sheet, "cell": cell, "text": "已核实"},
            ]
        )
    )
    report = validate_file(path)
    assert [f.explained for f in report.findings if f.code == "W_WS_POOR_SHARE"] == [True]


def test_empty_or_mismatched_explanation_does_not_count_and_is_told_at_its_row(make_return):
    path = make_return(
        mutate=_low_share(
            lambda lists: [
                {"code": "W_WS_POOR_SHARE", "subject": lists["workshops"][0]["name"], "text": ""},
                {
                    "code": "W_CLASS_DAYS",
                    "subject": lists["workshops"][0]["name"],
                    "text": "写错了代码",
                },
            ]
        )
    )
    report = validate_file(path)
    assert [f.explained for f in report.findings if f.code == "W_WS_POOR_SHARE"] == [False]
    told = {f.cell: f.message("zh") for f in report.findings if f.code == "W_EXPLANATION_UNMATCHED"}
    first, second = (locate(path, ("explanations", i, "code")) for i in (0, 1))
    assert set(told) == {first[1], second[1]}
    assert "“说明”栏是空的" in told[first[1]]
    assert "没有W_CLASS_DAYS提示" in told[second[1]]
    assert report.warnings == 3  # the workshop's, and each explanation that answers nothing


def test_explained_by_a_sheet_bang_cell_reference(make_return):
    probe = make_return(mutate=_low_share(lambda lists: []))
    sheet, cell = locate(probe, ("workshops", 0, "poor"))
    path = make_return(
        mutate=_low_share(
            lambda lists: [
                {
                    "code": "W_WS_POOR_SHARE",
                    "cell": f"'{sheet}'!${cell[0]}${cell[1:]}",
                    "text": "已核实",
                },
            ]
        )
    )
    report = validate_file(path)
    assert [f.explained for f in report.findings if f.code == "W_WS_POOR_SHARE"] == [True]


def _probe(make_return):
    """Where the low-share workshop's warning is: (sheet, cell)."""
    return locate(make_return(mutate=_low_share(lambda lists: [])), ("workshops", 0, "poor"))


def _unmatched(report):
    return [(f.sheet, f.cell, f.message("zh"), f.message("en"))
            for f in report.findings if f.code == "W_EXPLANATION_UNMATCHED"]  # fmt: skip


def test_a_sheet_named_by_its_attachment_number_alone_is_understood(make_return):
    sheet, cell = _probe(make_return)
    assert sheet == "附件4-1 扶贫车间明细"
    path = make_return(
        mutate=_low_share(
            lambda lists: [
                {"code": "W_WS_POOR_SHARE", "sheet_name": "附件4-1", "cell": cell, "text": "属实"}
            ]
        )
    )
    report = validate_file(path)
    assert [f.explained for f in report.findings if f.code == "W_WS_POOR_SHARE"] == [True]
    assert _unmatched(report) == []


@pytest.mark.parametrize(
    "row, zh, en",
    [
        ({"code": "", "sheet_name": "附件4-1", "cell": "@", "text": "属实"},
         "没有填写审核代码", "no code"),
        ({"code": "W_WS_POOR_SHAR", "sheet_name": "附件4-1", "cell": "@", "text": "属实"},
         "“W_WS_POOR_SHAR”不是校验结果中的审核代码", "is no code of the results"),
        ({"code": "W_WS_POOR_SHARE", "sheet_name": "附件9", "cell": "@", "text": "属实"},
         "本报表没有工作表“附件9”", "no sheet '附件9'"),
        ({"code": "W_WS_POOR_SHARE", "sheet_name": "附件4-1", "cell": "第9行", "text": "属实"},
         "“第9行”不是单元格地址", "not a cell address"),
        ({"code": "W_WS_POOR_SHARE", "text": "属实"}, "没有写明是哪一处", "does not say where"),
        ({"code": "W_WS_POOR_SHARE", "sheet_name": "附件4-1", "cell": "A1", "text": "属实"},
         "本报表在附件4-1!A1没有W_WS_POOR_SHARE提示（本报表的W_WS_POOR_SHARE在：附件4-1 扶贫车间明细!@）",
         "its W_WS_POOR_SHARE is at 附件4-1 扶贫车间明细!@"),
    ],
    ids=["no-code", "unknown-code", "no-such-sheet", "no-cell", "nowhere", "no-such-warning"],
)  # fmt: skip
def test_an_explanation_that_answers_nothing_is_told_at_its_row_with_why(make_return, row, zh, en):
    """The warning stays 待核实, and the clerk learns why the answer did not count."""
    _, cell = _probe(make_return)
    row = {k: v.replace("@", cell) for k, v in row.items()}
    path = make_return(mutate=_low_share(lambda lists: [{"text": "", **row}]))
    report = validate_file(path)
    assert [f.explained for f in report.findings if f.code == "W_WS_POOR_SHARE"] == [False]
    [(sheet, at, message_zh, message_en)] = _unmatched(report)
    assert (sheet, at) == locate(path, ("explanations", 0, "code"))
    assert sheet == EXPLANATIONS and report.findings[-1].code == "W_EXPLANATION_UNMATCHED"
    assert message_zh.startswith("审核说明第") and zh.replace("@", cell) in message_zh
    assert en.replace("@", cell) in message_en
    assert report.status == "invalid"  # the error of _low_share; the warning alone would not
    assert validate_file(path, strict=False).warnings == 2


def test_an_answer_to_a_doubt_of_a_comparison_not_made_is_not_said_to_be_wrong(make_return):
    """A peer doubt or a history doubt answered in the file (the district's last run found it):
    checked alone, without peers or the previous return, nothing says the answer is wrong."""
    answers = [
        {"code": "W_PEER_OUTLIER", "subject": "TRN_PRACTICAL_PERSONS", "text": "承接全区培训班"},
        {"code": "W_EXTRA_DIGIT", "subject": "EMP_JOBSEND", "text": "确实新增较多"},
    ]
    path = make_return(
        "柏梓镇", "2020Q4", lambda f, lists, cover: lists.update(explanations=answers)
    )
    report = validate_file(path, strict=True)
    assert report.findings == [] and report.status == "valid"
    # compared with its Q3 return, no W_EXTRA_DIGIT is there: that answer matches nothing
    previous = validate_file(make_return("柏梓镇", "2020Q3"))
    report = validate_file(path, previous=previous)
    [(_, cell, zh, _)] = _unmatched(report)
    assert cell == locate(path, ("explanations", 1, "code"))[1]
    assert "没有W_EXTRA_DIGIT提示" in zh


def test_an_answer_to_a_doubt_found_after_the_read_is_kept(make_return, tmp_path):
    """trend adds the history doubts after each return is read: the answer to one is applied
    then, and nothing says it answers nothing."""
    answer = {"code": "W_EXTRA_DIGIT", "subject": "EMP_JOBSEND", "text": "确实新增65人"}
    folder = tmp_path / "2020Q4"
    shutil.copytree(SAMPLES / "2020Q4", folder)
    mine = folder / "柏梓镇_2020Q4.xlsx"
    mine.unlink()

    def slip(f, lists, cover):
        f["EMP_JOBSEND"] = 70
        lists["explanations"] = [answer]

    shutil.move(make_return("柏梓镇", "2020Q4", slip), mine)
    t = trend([SAMPLES / "2020Q3", folder])
    report = t.states["2020Q4"]["柏梓镇"].report
    assert [(f.code, f.explained) for f in report.findings] == [("W_EXTRA_DIGIT", True)]


def test_a_row_told_as_answering_nothing_is_withdrawn_when_a_later_finding_matches(make_return):
    path = make_return(
        "柏梓镇", "2020Q4",
        lambda f, lists, cover: lists.update(
            explanations=[{"code": "W_JUMP", "subject": "EMP_JOBSEND", "text": "属实"}]
        ),
    )  # fmt: skip
    report = validate_file(path, previous=validate_file(make_return("柏梓镇", "2020Q3")))
    assert [f.code for f in report.findings] == ["W_EXPLANATION_UNMATCHED"]
    sheet, cell = locate(path, "EMP_JOBSEND")
    report.add([Finding("W_JUMP", sheet=sheet, cell=cell, indicator="EMP_JOBSEND",
                        subject="EMP_JOBSEND", params={})], strict=True)  # fmt: skip
    assert [(f.code, f.explained) for f in report.findings] == [("W_JUMP", True)]
    assert report.status == "valid"
