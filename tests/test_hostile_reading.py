"""Hostile and faulty inputs to the reading, by class (issue 23): an error value or a far cell in
any spelling XML allows, a part the scan cannot read, a file that is two formats at once, two
candidate sheets for one attachment, names with characters that show nothing, a scan that
must stay linear, the rollup workbook's mark. Real returns made by the template, edited at the
XML level where the case needs it."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuangfu_cli.check.many_returns import validate_files
from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.reading import read_return
from shuangfu_cli.reading.source import OWN_WORKBOOK_MARK
from shuangfu_cli.writing.fill import locate

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _rewrite(src: Path, dst: Path, edits: dict) -> Path:
    """A copy of the package with the members named in `edits` passed through their edit."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            zout.writestr(info, data)
    return dst


def _sheet_part(path: Path, sheet: str) -> str:
    """The zip part of a sheet of an .xlsx written by the template (openpyxl)."""
    with zipfile.ZipFile(path) as zf:
        names = re.findall(rb'<sheet [^>]*name="([^"]+)"', zf.read("xl/workbook.xml"))
    return f"xl/worksheets/sheet{[n.decode() for n in names].index(sheet) + 1}.xml"


def _replace_cell(xml: bytes, ref: str, new: str) -> bytes:
    cell = re.compile(rb'<c r="%s"[^>]*>.*?</c>' % ref.encode())
    assert cell.search(xml), ref
    return cell.sub(new.replace("{ref}", ref).encode(), xml, count=1)


def _cells(report) -> list:
    return [(f.code, f.sheet, f.cell) for f in report.findings]


# --- an error value is never read as 0, however it is written ------------------------------

# a list cell (a workshop's workers: blank would count as 0) holding #DIV/0!, as XML allows it
ERROR_SPELLINGS = {
    "single quotes": "<c r='{ref}' t='e'><v>#DIV/0!</v></c>",
    "spaces around =": '<c r = "{ref}"  t = "e" ><v>#DIV/0!</v></c>',
    "no reference": '<c t="e"><v>#DIV/0!</v></c>',
    "namespace prefix": f'<x:c xmlns:x="{MAIN_NS}" r="{{ref}}" t="e"><x:v>#DIV/0!</x:v></x:c>',
    "dragged shared formula": '<c r="{ref}" t="e"><f t="shared" si="0"/><v>#DIV/0!</v></c>',
    "value before formula": "<c r='{ref}' t='e'><v>#DIV/0!</v><f>1/0</f></c>",
}


@pytest.mark.parametrize("spelling", list(ERROR_SPELLINGS))
def test_an_error_value_in_any_spelling_is_an_error_not_a_zero(make_return, tmp_path, spelling):
    path = make_return()
    sheet, ref = locate(path, ("workshops", 0, "workers"))
    part = _sheet_part(path, sheet)
    edit = {part: lambda xml: _replace_cell(xml, ref, ERROR_SPELLINGS[spelling])}
    bad = _rewrite(path, tmp_path / "柏梓镇_2020Q3.xlsx", edit)
    # calamine itself gives an empty cell there: only the scan can tell
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(bad)).get_sheet_by_name(sheet).to_python()
    row, col = int(ref[1:]) - 1, ord(ref[0]) - 65
    assert row >= len(grid) or col >= len(grid[row]) or grid[row][col] == ""
    report = validate_file(bad)
    assert report.status == "invalid"
    assert ("E_ERROR_VALUE", sheet, ref) in _cells(report)
    assert "#DIV/0!" in next(f for f in report.findings if f.cell == ref).message("zh")


def test_cells_without_references_are_placed_where_calamine_places_them(make_return, tmp_path):
    """A list sheet whose cells carry no `r` (valid: calamine counts them along the row): the
    error value is found at the cell calamine reads it at, and the rest reads as before."""
    path = make_return()
    sheet, ref = locate(path, ("workshops", 0, "workers"))
    part = _sheet_part(path, sheet)

    def strip_refs(xml: bytes) -> bytes:
        xml = _replace_cell(xml, ref, '<c r="{ref}" t="e"><v>#REF!</v></c>')
        return re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml)

    with_refs = _rewrite(
        path,
        tmp_path / "a.xlsx",
        {part: lambda x: _replace_cell(x, ref, '<c r="{ref}" t="e"><v>#REF!</v></c>')},
    )
    without = _rewrite(path, tmp_path / "b.xlsx", {part: strip_refs})
    assert b' r="' not in zipfile.ZipFile(without).read(part).split(b"<sheetData>")[1].replace(
        b"<row r=", b""
    )
    a, b = validate_file(with_refs), validate_file(without)
    assert ("E_ERROR_VALUE", sheet, ref) in _cells(b)
    assert _cells(a) == _cells(b) and a.values == b.values


@pytest.mark.parametrize(
    "part, edit",
    [
        ("xl/workbook.xml", lambda x: x.replace(b"</sheets>", b"</sheetz>")),
        ("xl/_rels/workbook.xml.rels", lambda x: x.replace(b"/>", b"></Relation>", 1)),
        ("xl/workbook.xml", lambda x: b'<!DOCTYPE x [<!ENTITY e "e">]>' + x),
    ],
)
def test_a_part_the_scan_cannot_read_makes_the_return_unreadable_naming_it(
    make_return, tmp_path, part, edit
):
    """calamine reads a mismatched end tag on; the scan must not take "cannot read" for "no
    error values": the error value typed in the list would be counted as 0."""
    path = make_return()
    sheet, ref = locate(path, ("workshops", 0, "workers"))
    sheet_part = _sheet_part(path, sheet)
    edits = {
        sheet_part: lambda xml: _replace_cell(xml, ref, '<c r="{ref}" t="e"><v>#DIV/0!</v></c>'),
        part: edit,
    }
    report = validate_file(_rewrite(path, tmp_path / "柏梓镇_2020Q3.xlsx", edits))
    assert report.status == "unreadable"
    assert f"“{part}”部分已损坏" in report.findings[0].message("zh")
    assert part in report.findings[0].message("en")


# --- a far cell is named, however it is written -------------------------------------------

FAR_SPELLINGS = {
    "single quotes": (
        "<row r='1048576'><c r='XFD1048576' t='inlineStr'>{x}</c></row>",
        "XFD1048576",
    ),
    "spaces around =": ('<row><c r = "XFD1048576" t="inlineStr">{x}</c></row>', "XFD1048576"),
    "lower case": ('<row r="1048576"><c r="xfd1048576" t="inlineStr">{x}</c></row>', "XFD1048576"),
    "namespace prefix": (
        f'<row r="1048576"><x:c xmlns:x="{MAIN_NS}" r="XFD1048576" t="inlineStr">{{x}}</x:c></row>',
        "XFD1048576",
    ),
    "no reference": ("<row r='1048576'><c t='inlineStr'>{x}</c></row>", "A1048576"),
    "just past the ceiling, spaced": (
        '<row r = "2000"><c r = "ZZ2000" t="inlineStr">{x}</c></row>',
        "ZZ2000",
    ),
}


def test_a_far_cell_in_any_spelling_is_named_and_the_rest_read(make_return, tmp_path):
    path = make_return()
    part = _sheet_part(path, "附件4 就业")
    files = []
    for i, (row, _) in enumerate(FAR_SPELLINGS.values()):
        far = row.replace("{x}", "<is><t>随手打的字</t></is>").encode()
        edit = {part: lambda xml, far=far: xml.replace(b"</sheetData>", far + b"</sheetData>")}
        files.append(_rewrite(path, tmp_path / f"柏梓镇_{i}.xlsx", edit))
    reports, _ = validate_files(files)
    for name, report in zip(FAR_SPELLINGS, reports, strict=True):
        cell = FAR_SPELLINGS[name][1]
        assert _cells(report) == [("E_SHEET_TOO_LARGE", "附件4 就业", cell)], (
            name,
            report.findings[0].message("en"),
        )
        assert report.town == "柏梓镇", name


def test_a_far_cell_that_outgrows_the_memory_ceiling_is_named_on_a_careful_second_reading(
    make_return, tmp_path
):
    """Written in a spelling the fast scan does not look for (``r = "ZZ9999"``), 7 million
    cells: calamine outgrows the worker's ceiling before the reader sees the sheet's size. The
    file is read once more with every sheet walked exactly first: the cell is named, the rest
    of the return read — not "unreadable: memory"."""
    from shuangfu_cli.check.workers import Limits

    path = make_return()
    part = _sheet_part(path, "附件4 就业")
    far = b'<row><c r = "ZZ9999" t="inlineStr"><is><t>x</t></is></c></row>'
    edit = {part: lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>")}
    big = _rewrite(path, tmp_path / "柏梓镇_2020Q3.xlsx", edit)
    (report,), _ = validate_files([big], limits=Limits(memory_mb=200))
    assert _cells(report) == [("E_SHEET_TOO_LARGE", "附件4 就业", "ZZ9999")]
    assert report.town == "柏梓镇"


# --- a file that is two formats at once ---------------------------------------------------


@pytest.mark.libreoffice
def test_a_zip_holding_both_an_ods_and_an_xlsx_is_refused(make_return, resave, tmp_path):
    """The .ods half says 送工送岗 999, the .xlsx half 7: no program's choice is taken."""

    def jobs(n):
        def mutate(f, lists, cover):
            f["EMP_JOBSEND"] = n

        return mutate

    xlsx = make_return(mutate=jobs(7))
    ods = resave(make_return(mutate=jobs(999)), "ods")
    both = tmp_path / "柏梓镇_2020Q3.xlsx"
    with zipfile.ZipFile(both, "w", zipfile.ZIP_DEFLATED) as out:
        for src in (ods, xlsx):
            with zipfile.ZipFile(src) as zin:
                for info in zin.infolist():
                    if info.filename not in out.namelist():
                        out.writestr(info, zin.read(info))
    report = validate_file(both)
    assert report.status == "unreadable" and "EMP_JOBSEND" not in report.values
    assert ".xlsx和.ods两份表格" in report.findings[0].message("zh")


def test_a_package_with_two_parts_of_one_name_is_refused(make_return, tmp_path):
    """zipfile reads the last of two members of one name, calamine (case and slashes aside)
    another: the worksheet with 999 must not hide behind the one with 7."""
    path = make_return()
    part = _sheet_part(path, "附件4 就业")
    twin = tmp_path / "柏梓镇_2020Q3.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(twin, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr(part.upper(), zin.read(part))
    report = validate_file(twin)
    assert report.status == "unreadable"
    assert "两个同名的部分" in report.findings[0].message("zh")


# --- two candidate sheets for one attachment ----------------------------------------------


@pytest.mark.parametrize(
    "sheet, copy_name, hide",
    [
        ("附件4 就业", "附件4 就业 (2)", True),  # Excel's copy, the original hidden
        ("附件2 培训", "附件2 培训(修改)", False),  # both visible
        ("封面", "封面 (2)", True),
    ],
)
def test_two_candidate_sheets_for_one_attachment_are_a_finding_naming_both(
    make_return, tmp_path, sheet, copy_name, hide
):
    path = make_return()
    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb[sheet])
    copy.title = copy_name
    if hide:
        wb[sheet].sheet_state = "hidden"
    two = tmp_path / "two.xlsx"
    wb.save(two)
    report = validate_file(two)
    found = [f for f in report.findings if f.code == "E_SHEET_AMBIGUOUS"]
    assert len(found) == 1 and report.status == "invalid"
    message = found[0].message("zh")
    assert f"“{sheet}”" in message and f"“{copy_name}”" in message
    assert ("（隐藏）" in message) is hide
    if sheet == "附件4 就业":  # neither the stale figure nor the copy's is counted
        assert report.values.get("EMP_JOBSEND") is None


# --- characters that show nothing -----------------------------------------------------------

INVISIBLE = ["\u200b", "\ufeff", "\u2060", "\u00ad", "\u200d", "\u3164", "\u180e", "\U000e0020"]


def test_every_format_character_is_known_as_invisible():
    from schemas.text import strip_invisible

    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch) == "Cf":
            assert strip_invisible(f"镇{ch}") == "镇", hex(code)


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_in_a_name_does_not_drop_the_town(make_return, tmp_path, char):
    """In the cover's 填报单位, a village of the list and a sheet's name: matched as shown."""
    path = make_return("柏梓镇", "2020Q4")
    wb = load_workbook(path)
    sheet, ref = locate(path, ("cover", "town"))
    wb[sheet][ref] = f"{char}柏梓镇{char}"
    v_sheet, v_ref = locate(path, ("villages", 0, "name"))
    wb[v_sheet][v_ref] = f"{wb[v_sheet][v_ref].value}{char}"
    wb["附件3 教育"].title = f"附件3 教育{char}"
    folder = tmp_path / "2020Q4"
    folder.mkdir()
    wb.save(folder / "柏梓镇_2020Q4.xlsx")
    (report,), _ = validate_files([folder / "柏梓镇_2020Q4.xlsx"])
    assert report.town == "柏梓镇" and report.status == "valid", _cells(report)
    from shuangfu_cli.district.rollup import rollup

    result = rollup([folder], "2020Q4")
    assert result.towns["柏梓镇"].status == "valid"


def test_a_name_that_still_does_not_match_is_shown_with_its_invisible_characters(
    make_return, tmp_path
):
    path = make_return()
    wb = load_workbook(path)
    sheet, ref = locate(path, ("cover", "town"))
    wb[sheet][ref] = "柏梓\u200b镇镇"
    wb.save(tmp_path / "x.xlsx")
    report = validate_file(tmp_path / "x.xlsx")
    (finding,) = [f for f in report.findings if f.code == "E_TOWN_UNKNOWN"]
    assert "柏梓<U+200B>镇镇" in finding.message("zh")


# --- every scan is linear -------------------------------------------------------------------


def _helper_column(path: Path, dst: Path, rows: int) -> Path:
    """A helper column (AA) with a VLOOKUP dragged down `rows` rows, every one #N/A, as Excel
    writes it: the first cell holds the shared formula, the others `<f t="shared" si="0"/>`."""
    part = _sheet_part(path, "附件3 教育")
    cells = [
        b'<row r="%d"><c r="AA%d" t="e"><f t="shared" ref="AA1:AA%d" si="0">VLOOKUP(A1,Z:Z,1,0)'
        b"</f><v>#N/A</v></c></row>" % (1000 + 1, 1000 + 1, 1000 + rows)
    ]
    cells += [
        b'<row r="%d"><c r="AA%d" t="e"><f t="shared" si="0"/><v>#N/A</v></c></row>' % (r, r)
        for r in range(1000 + 2, 1000 + rows + 1)
    ]
    block = b"".join(cells)
    return _rewrite(
        path, dst, {part: lambda x: x.replace(b"</sheetData>", block + b"</sheetData>")}
    )


def test_reading_a_long_dragged_formula_column_is_linear(make_return, tmp_path):
    """Twice the rows take about twice the time (a quadratic scan took four times: 3,000 rows
    3 s, 6,000 rows 12 s, 12,000 rows past the 30 s limit), and the return stays valid."""
    path = make_return()
    small = _helper_column(path, tmp_path / "3000.xlsx", 3000)
    large = _helper_column(path, tmp_path / "6000.xlsx", 6000)
    assert validate_file(large).status == "valid"
    times = {small: [], large: []}
    for _ in range(3):  # interleaved, the best of three: the machine is shared
        for f in (small, large):
            start = time.perf_counter()
            read_return(f)
            times[f].append(time.perf_counter() - start)
    ratio = min(times[large]) / min(times[small])
    assert ratio < 3.0, ratio


# --- the rollup workbook's mark --------------------------------------------------------------


@pytest.mark.parametrize("field", ["keywords", "category", "title"])
def test_a_return_carrying_the_mark_is_read_as_a_return(make_return, tmp_path, field):
    path = make_return("柏梓镇", "2020Q4")
    wb = load_workbook(path)
    setattr(wb.properties, field, OWN_WORKBOOK_MARK)
    folder = tmp_path / "2020Q4"
    folder.mkdir()
    wb.save(folder / "柏梓镇_2020Q4.xlsx")
    from shuangfu_cli.district.rollup import rollup

    result = rollup([folder], "2020Q4")
    assert result.towns["柏梓镇"].status == "valid"
    assert result.skipped == []


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_the_rollup_workbook_named_alone_is_said_to_be_skipped(tmp_path):
    book = tmp_path / "区汇总.xlsx"
    assert _cli("rollup", SAMPLES / "2020Q4", "--period", "2020Q4", "-o", book).returncode in (0, 1)
    proc = _cli("validate", book)
    assert proc.returncode == 2
    assert "区汇总.xlsx" in proc.stderr and "区汇总表" in proc.stderr and "已跳过" in proc.stderr
    assert "没有表格文件" not in proc.stderr
    assert "Traceback" not in proc.stderr
