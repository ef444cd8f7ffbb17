"""A warning answered in 审核说明 is marked explained and does not count; errors cannot be."""

from __future__ import annotations

from shuangfu_cli.fill import locate
from shuangfu_cli.validate import validate_file


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


def test_empty_or_mismatched_explanation_does_not_count(make_return):
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
    assert report.warnings == 1


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
