"""Each town's feedback in its own workbook: `--annotate OUTDIR` writes a copy of every return
with findings, each finding's cell filled by severity with a 批注 carrying the message, and a
first sheet 审核意见 listing them with links. The input is never touched."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuangfu_cli.writing.annotate import FILLS, SHEET
from shuangfu_cli.writing.fill import locate

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _flawed(f, lists, cover):
    f["EDU_COLLEGE_FUNDED"] = f["EDU_COLLEGE_ELIGIBLE"] + 2  # an error
    lists["workshops"][0]["poor"] = 0  # and a warning on the list (few poor workers)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_each_finding_is_marked_at_its_cell_and_listed_on_the_review_sheet(
    make_return, resave, tmp_path, fmt
):
    made = make_return("柏梓镇", "2020Q3", _flawed)
    path = made if fmt == "xlsx" else resave(made, fmt)
    before = _sha(path)
    out = tmp_path / "feedback"
    result = _cli("validate", path, "--annotate", out, "--format", "json")
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    findings = doc["returns"][0]["findings"]
    assert {f["code"] for f in findings} >= {"E_FUNDED_ABOVE_ELIGIBLE"}
    target = out / f"{path.stem}_审核意见.xlsx"
    assert doc["annotated"] == [str(target)]
    assert _sha(path) == before  # the input is only read

    wb = load_workbook(target)
    assert wb.sheetnames[0] == SHEET and wb.active.title == SHEET
    for f in findings:
        if not f["cell"]:
            continue
        cell = wb[f["sheet"]][f["cell"]]
        assert f["code"] in cell.comment.text and f["message"] in cell.comment.text
        kind = "error" if f["severity"] == "error" else "warning"
        assert cell.fill.fgColor.rgb.endswith(FILLS[kind])
    review = wb[SHEET]
    rows = [[c.value for c in row] for row in review.iter_rows(min_row=9, max_col=7)]
    listed = [(r[2], r[3], r[4]) for r in rows if isinstance(r[0], int)]
    assert listed == [(f["sheet"], f["cell"] or "—", f["code"]) for f in findings]
    links = [c.hyperlink.location or c.hyperlink.target for c in review["D"] if c.hyperlink]
    assert any(f["cell"] in link for link in links for f in findings if f["cell"])
    assert "不通过" in " ".join(str(c.value) for c in review["A"][:8])
    if fmt != "xlsx":  # carried over: every sheet of the return with its values
        source = load_workbook(made, data_only=True)
        assert set(source.sheetnames) <= set(wb.sheetnames)
        cell = locate(made, "EDU_COLLEGE_FUNDED")
        assert wb[cell[0]][cell[1]].value == source[cell[0]][cell[1]].value


def test_libreoffice_opens_the_copy_with_its_comments(make_return, resave, tmp_path):
    path = make_return("柏梓镇", "2020Q3", _flawed)
    out = tmp_path / "feedback"
    assert _cli("validate", path, "--annotate", out).returncode == 1
    ods = resave(out / f"{path.stem}_审核意见.xlsx", "ods")
    with zipfile.ZipFile(ods) as zf:
        content = zf.read("content.xml").decode()
    assert content.count("<office:annotation") >= 2
    assert "E_FUNDED_ABOVE_ELIGIBLE" in content


def test_a_finding_without_a_cell_is_on_the_review_sheet_only(tmp_path):
    src = SAMPLES / "2020Q4" / "龙形镇_2020Q4.xlsx"
    out = tmp_path / "feedback"
    result = _cli("validate", src, "--annotate", out)
    assert result.returncode == 1
    wb = load_workbook(out / "龙形镇_2020Q4_审核意见.xlsx")
    codes = [r[4] for r in wb[SHEET].iter_rows(min_row=9, values_only=True) if r[0]]
    assert "E_VILLAGE_MISSING" in codes
    row = next(
        r for r in wb[SHEET].iter_rows(min_row=9, values_only=True) if r[4] == "E_VILLAGE_MISSING"
    )
    assert row[3] == "—"


def test_returns_without_findings_get_no_copy_and_a_folder_of_returns_is_refused(tmp_path):
    folder = SAMPLES / "2020Q4"
    hashes = {p: _sha(p) for p in folder.iterdir()}
    out = tmp_path / "feedback"
    result = _cli("validate", folder, "--annotate", out, "-q")
    made = sorted(p.name for p in out.iterdir())
    assert made == [
        f"{t}_2020Q4_审核意见.xlsx" for t in ("上和镇", "古溪镇", "宝龙镇", "米心镇", "龙形镇")
    ], result.stdout
    inside = folder / "审核意见"
    refused = _cli("validate", folder, "--annotate", inside)
    assert refused.returncode == 2 and "报表文件夹" in refused.stderr
    assert not inside.exists()
    assert {p: _sha(p) for p in folder.iterdir()} == hashes


def test_rollup_writes_the_same_feedback_for_the_towns_it_read(tmp_path):
    """As `validate --period 2020Q4`: 花岩镇, whose return still says 2020Q3, is told so."""
    out = tmp_path / "feedback"
    result = _cli("rollup", SAMPLES / "2020Q4", "--period", "2020Q4", "--annotate", out)
    assert result.returncode == 1, result.stderr
    made = sorted(p.name for p in out.iterdir())
    towns = ("上和镇", "古溪镇", "宝龙镇", "米心镇", "花岩镇", "龙形镇")
    assert made == [f"{t}_2020Q4_审核意见.xlsx" for t in towns]
    wb = load_workbook(out / "上和镇_2020Q4_审核意见.xlsx")
    assert "E_PART_ABOVE_TOTAL" in wb["附件4 就业"]["C21"].comment.text
    wb = load_workbook(out / "花岩镇_2020Q4_审核意见.xlsx")
    assert "E_PERIOD_MISMATCH" in wb["封面"]["B4"].comment.text
    assert wb["封面"]["B4"].fill.fgColor.rgb.endswith(FILLS["error"])


def test_rollup_gives_a_return_of_another_quarter_its_feedback_and_lists_it(make_return, tmp_path):
    """柏梓镇's Q3 return (with an error) beside its Q4 one, and 玉溪镇's Q4 file whose cover
    still says 2020Q3: neither is counted, each gets its copy and its findings in 问题清单,
    marked 未计入 with why — as `validate` gives the same files their copies."""
    folder = tmp_path / "returns"
    folder.mkdir()
    make_return("柏梓镇", "2020Q4", name="returns/柏梓镇_2020Q4.xlsx")
    make_return("柏梓镇", "2020Q3", _flawed, name="returns/柏梓镇_2020Q3.xlsx")
    make_return("玉溪镇", "2020Q3", name="returns/玉溪镇_2020Q4.xlsx")
    out, book = tmp_path / "feedback", tmp_path / "区汇总.xlsx"
    args = ("rollup", folder, "--period", "2020Q4", "-o", book, "--annotate", out)
    result = _cli(*args)
    assert result.returncode == 1, result.stderr
    made = sorted(p.name for p in out.iterdir())
    assert made == ["柏梓镇_2020Q3_审核意见.xlsx", "玉溪镇_2020Q4_审核意见.xlsx"]
    wb = load_workbook(out / "柏梓镇_2020Q3_审核意见.xlsx")
    sheet, cell = locate(folder / "柏梓镇_2020Q3.xlsx", "EDU_COLLEGE_FUNDED")
    assert "E_FUNDED_ABOVE_ELIGIBLE" in wb[sheet][cell].comment.text
    wb = load_workbook(out / "玉溪镇_2020Q4_审核意见.xlsx")
    assert "E_PERIOD_MISMATCH" in wb["封面"]["B4"].comment.text
    rows = [r for r in load_workbook(book)["问题清单"].iter_rows(min_row=4, values_only=True)]
    listed = {(r[0], r[1], r[7]) for r in rows if r[7]}
    assert listed >= {
        (
            "柏梓镇",
            "柏梓镇_2020Q3.xlsx（未计入：报告期为2020Q3，不是2020Q4）",
            "E_FUNDED_ABOVE_ELIGIBLE",
        ),
        (
            "玉溪镇",
            "玉溪镇_2020Q4.xlsx（未计入：报告期不符：封面为2020Q3，文件名为2020Q4，不计入任何季度）",
            "E_PERIOD_MISMATCH",
        ),
    }
    # what validate of the same files makes: the same copies
    again = tmp_path / "again"
    _cli("validate", folder, "--period", "2020Q4", "--annotate", again, "-q")
    assert sorted(p.name for p in again.iterdir()) == made
