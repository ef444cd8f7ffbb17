"""An .ods return is handed to calamine without the sheets at its end that are never read
(reading/ods.py): 指标解释 is half of calamine's work on a return. What is read must be exactly
what reading the whole file gives, whatever a clerk did to the sheets (moved 指标解释, added a
sheet of their own), and anything unusual leaves the file whole."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineError, CalamineWorkbook

import shuangfu_cli.reading.reader as reader
from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.reading import read_return
from shuangfu_cli.reading.ods import content_xml, trailing_cut, without_unused_sheets

DEFINITIONS = "指标解释"


def _low_share_explained(figures, lists, cover):
    """A workshop below the 30% poor share (a warning), answered in 审核说明: if 审核说明 were
    not read, the warning would be unexplained."""
    lists["workshops"][0].update(workers=50, poor=10)
    lists["explanations"] = [
        {"code": "W_WS_POOR_SHARE", "subject": lists["workshops"][0]["name"], "text": "季节性用工"}
    ]


@pytest.fixture(scope="module")
def filled(tmp_path_factory, reference, blank_templates) -> Path:
    from shuangfu_cli.writing.fill import fill_workbook
    from shuangfu_dev.samples import figures_for

    src = tmp_path_factory.mktemp("ods-sheets") / "柏梓镇.xlsx"
    figures, lists, cover = figures_for(reference.town("柏梓镇"), "2020Q3")
    _low_share_explained(figures, lists, cover)
    fill_workbook(blank_templates("柏梓镇", "2020Q3"), src, figures, lists, cover)
    return src


@pytest.fixture(scope="module")
def saved(filled, resave) -> Path:
    return resave(filled, "ods")


def _sheets(data: bytes) -> dict[str, list]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def _never_read(name: str) -> bool:
    return reader._never_read(reader.expected_sheets())(name)


def _whole(monkeypatch) -> None:
    """Read .ods files whole, as before the cut."""
    monkeypatch.setattr(reader, "without_unused_sheets", lambda *args: None)


def _outcome(path: Path):
    report = validate_file(path)
    read = read_return(path)
    return (
        report.status,
        [(f.code, f.sheet, f.cell, f.explained) for f in report.findings],
        read.figures,
        read.lists,
        read.cover,
    )


@pytest.mark.libreoffice
def test_libreoffice_return_loses_only_the_sheets_never_read(saved):
    data = saved.read_bytes()
    package = zipfile.ZipFile(io.BytesIO(data))
    whole_xml = content_xml(package, data)
    slim = without_unused_sheets(package, data, whole_xml, _never_read)
    whole, cut = _sheets(data), _sheets(slim)
    # the sheets after 审核说明: 指标解释 and 自查 (the clerk's self-check, which the reader
    # never reads: writing/template/selfcheck.py)
    assert list(whole)[len(cut) :] == [DEFINITIONS, "自查"]
    assert list(cut) == list(whole)[: len(cut)] and list(cut)[-1] == "审核说明"
    assert all(cut[name] == whole[name] for name in cut)  # every kept cell as it was
    # stored, without 指标解释's 100 KB of text: a third of content.xml (LibreOffice 7.4 writes
    # 280 KB, which compresses to 15 KB: the stored cut is larger than the file, by design)
    assert len(slim) < len(whole_xml) * 0.7


@pytest.mark.libreoffice
def test_reading_with_the_cut_is_reading_the_whole_file(saved, monkeypatch):
    with_cut = _outcome(saved)
    assert with_cut[0] == "valid"
    assert ("W_WS_POOR_SHARE", "附件4-1 扶贫车间明细", "E9", True) in with_cut[1]
    _whole(monkeypatch)
    assert _outcome(saved) == with_cut


@pytest.mark.libreoffice
def test_sheets_a_clerk_moved_or_added(filled, lo_type, monkeypatch):
    """指标解释 dragged to the front and a scratch sheet of the clerk's own added at the end, in
    LibreOffice: the scratch sheet is what is cut, and the return reads as it does whole."""
    edits = [[DEFINITIONS, "MOVE", "0"], ["草稿", "NEW", "END"], ["草稿", "B2", "=1/0"]]
    path = lo_type(filled, edits, ("ods",))["ods"]
    data = path.read_bytes()
    package = zipfile.ZipFile(io.BytesIO(data))
    whole_xml = content_xml(package, data)
    slim = without_unused_sheets(package, data, whole_xml, _never_read)
    names = list(_sheets(slim))
    assert names[0] == DEFINITIONS and "草稿" not in names and names[-1] == "审核说明"
    with_cut = _outcome(path)
    assert with_cut[0] == "valid"
    _whole(monkeypatch)
    assert _outcome(path) == with_cut


def _rewritten(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "content.xml":
                data = edit(data)
            zout.writestr(info, data, zipfile.ZIP_STORED if info.filename == "mimetype" else 8)
    return dst


@pytest.mark.libreoffice
def test_a_table_start_written_otherwise_leaves_the_file_whole(saved, tmp_path, monkeypatch):
    """审核说明 moved after 指标解释 by another program that breaks the line inside its start tag:
    a cut from 指标解释's start to the last table end would take 审核说明 with it unseen."""

    def edit(xml: bytes) -> bytes:
        start = xml.index('<table:table table:name="审核说明"'.encode())
        end = xml.index(b"</table:table>", start) + len(b"</table:table>")
        table = xml[start:end].replace(b"<table:table ", b"<table:table\n ", 1)
        rest = xml[:start] + xml[end:]
        last = rest.rindex(b"</table:table>") + len(b"</table:table>")
        return rest[:last] + table + rest[last:]

    path = _rewritten(saved, tmp_path / "moved.ods", edit)
    data = path.read_bytes()
    assert trailing_cut(content_xml(zipfile.ZipFile(path), data), _never_read) is None
    outcome = _outcome(path)
    assert ("W_WS_POOR_SHARE", "附件4-1 扶贫车间明细", "E9", True) in outcome[1]
    _whole(monkeypatch)
    assert _outcome(path) == outcome


@pytest.mark.libreoffice
def test_a_cut_calamine_cannot_open_falls_back_to_the_whole_file(saved, monkeypatch):
    expected = _outcome(saved)
    monkeypatch.setattr(reader, "without_unused_sheets", lambda *args: b"PK\x03\x04 broken")
    assert _outcome(saved) == expected


def _content(*tables: str, tail: str = "<table:named-expressions/>") -> bytes:
    body = "".join(
        f'<table:table table:name="{name}" table:style-name="ta1"><table:table-row>'
        f"<table:table-cell/></table:table-row></table:table>"
        for name in tables
    )
    return f"<office:body><office:spreadsheet>{body}{tail}</office:spreadsheet>".encode()


@pytest.mark.parametrize(
    ("tables", "kept"),
    [
        (["封面", "审核说明", "指标解释", "草稿"], ["封面", "审核说明"]),
        (["封面", "指标解释", "审核说明"], None),  # the last one is read: nothing is cut
        (["封面", "指标解释", "附件2 培训(2)"], None),  # could be 附件2's sheet: kept
        (["封面", "Tom &amp; Jerry"], ["封面"]),  # an escaped name is unescaped first
        (["封面", "指标解释", "&#25991;"], None),  # a character reference: left alone
    ],
)
def test_which_tables_at_the_end_are_cut(tables, kept):
    xml = _content(*tables)
    cut = trailing_cut(xml, _never_read)
    if kept is None:
        assert cut is None
        return
    start, end = cut
    left = xml[:start] + xml[end:]
    assert left == _content(*kept)


@pytest.mark.libreoffice
def test_damage_inside_the_definitions_sheet_alone_is_not_the_return_s(saved, tmp_path):
    """A broken 指标解释 no longer makes the return unreadable: its figures are all in sheets
    that are intact, as with an .xlsx, whose unread sheets calamine never parses. (Checked by
    900 random edits of a LibreOffice-saved content.xml: the cut never read other values than
    the whole file, it only read some files the whole could not be.)"""

    def edit(xml: bytes) -> bytes:
        start = xml.index(f'<table:table table:name="{DEFINITIONS}"'.encode())
        row = xml.index(b"</table:table-row>", start)
        return xml[:row] + xml[row + len(b"</table:table-row>") :]  # a row left unclosed

    path = _rewritten(saved, tmp_path / "broken-definitions.ods", edit)
    with pytest.raises(CalamineError):  # the whole file does not parse
        CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    outcome = _outcome(path)
    assert outcome[0] == "valid"
    assert outcome == _outcome(saved)
