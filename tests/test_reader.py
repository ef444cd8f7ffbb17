"""The reader: template -> fill every code -> read back gives the same figures; labels, not
addresses; what towns really type; formulas without a cached value; unreadable files."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.reading import UnreadableError, read_return
from shuangfu_cli.writing.fill import locate
from shuangfu_dev.samples import figures_for


def _expected_values(reference, town="柏梓镇", period="2020Q3"):
    figures, lists, _ = figures_for(reference.town(town), period)
    return figures, lists


def test_every_code_reads_back(make_return, reference):
    figures, lists = _expected_values(reference)
    read = read_return(make_return())
    assert set(read.figures) == set(form_layout().figures)
    for code, value in figures.items():
        assert read.figures[code].value == value, code
    for name, rows in lists.items():
        got = [{k: c.value for k, c in r.cells.items()} for r in read.lists[name]]
        assert got == rows, name


def test_values_keep_sheet_and_cell(make_return):
    path = make_return()
    read = read_return(path)
    for code in ("TRN_CADRE_GRAD_PTIMES", "EDU_COLLEGE_FUNDED", "EMP_JOBSEND", "LDR_STOCK_POORV"):
        cell = read.figures[code]
        assert (cell.sheet, cell.ref) == locate(path, code)


def test_totals_without_cached_values_are_recomputed_not_zero(make_return, reference):
    """openpyxl writes formulas without cached values: the totals are recomputed."""
    path = make_return()
    read = read_return(path)
    assert read.figures["TRN_CADRE_TOTAL_PLANNED"].value is None  # no cached value
    report = validate_file(path)
    figures, lists = _expected_values(reference)
    planned = sum(v for k, v in figures.items() if k.endswith("_PLANNED"))
    assert report.values["TRN_CADRE_TOTAL_PLANNED"] == planned > 0
    stock = sum(r["stock"] for r in lists["villages"] if r["kind"] == "贫困村")
    assert report.values["LDR_STOCK_POORV"] == stock
    assert report.values["EMP_WS_TOTAL"] == len(lists["workshops"])
    assert report.findings == []


def test_inserted_rows_and_columns_still_read(make_return, reference, tmp_path):
    path = make_return()
    wb = load_workbook(path)
    for name in ("附件2 培训", "附件4 就业", "附件4-1 扶贫车间明细"):
        wb[name].insert_rows(2, amount=3)  # a town adds notes above the form
    wb["附件3 教育"].insert_cols(1)  # and a column in front of another
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    figures, _ = _expected_values(reference)
    report = validate_file(moved)
    assert report.findings == []
    for code in ("TRN_PRACTICAL_POOR", "EDU_COLLEGE_AMOUNT", "EMP_JOBSEND"):
        assert report.values[code] == figures[code]
    cell = read_return(moved).figures["EMP_JOBSEND"]
    where = locate(path, "EMP_JOBSEND")[1]
    assert cell.ref == f"{where[0]}{int(where[1:]) + 3}"  # same column, three rows down


def test_renamed_label_is_an_error_naming_it(make_return, tmp_path):
    path = make_return()
    wb = load_workbook(path)
    ws = wb["附件4 就业"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "送工送岗人数")
    cell.value = "送岗人数"
    broken = tmp_path / "renamed.xlsx"
    wb.save(broken)
    report = validate_file(broken)
    assert [(f.code, f.sheet) for f in report.findings] == [("E_LABEL_MISSING", "附件4 就业")]
    assert "送工送岗人数" in report.findings[0].message("zh")
    assert "EMP_JOBSEND" not in report.values or report.values["EMP_JOBSEND"] is None
    assert report.status == "invalid"


def test_deleted_sheet_is_an_error_naming_it(make_return, tmp_path):
    path = make_return()
    wb = load_workbook(path)
    del wb["附件3 教育"]
    broken = tmp_path / "nosheet.xlsx"
    wb.save(broken)
    report = validate_file(broken)
    assert [(f.code, f.sheet) for f in report.findings] == [("E_SHEET_MISSING", "附件3 教育")]


@pytest.mark.parametrize(
    "typed, value",
    [
        ("１２", 12),
        (" 12 ", 12),
        ("1,234", 1234),
        ("１，２３４", 1234),
        ("\u300012\u3000", 12),
        ("12.0", 12),
        (12.0, 12),
    ],
)
def test_numbers_as_towns_type_them(make_return, typed, value):
    def mutate(f, lists, cover):
        f["EMP_PWJ_POSTS"] = typed
        f["EMP_PWJ_ONDUTY"] = 0

    report = validate_file(make_return(mutate=mutate))
    assert report.values["EMP_PWJ_POSTS"] == value
    assert report.findings == []


def test_money_as_text(make_return):
    def mutate(f, lists, cover):
        f["EDU_COLLEGE_AMOUNT"] = " 3.5 "

    report = validate_file(make_return(mutate=mutate))
    assert report.values["EDU_COLLEGE_AMOUNT"] == Decimal("3.5")


def test_town_added_total_row_in_list_is_not_a_workshop(make_return):
    def mutate(f, lists, cover):
        rows = lists["workshops"]
        rows.append({"name": "合计", "workers": sum(r["workers"] for r in rows)})

    report = validate_file(make_return(mutate=mutate))
    assert report.findings == []


# --- files that cannot be read ------------------------------------------------------------


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _corrupt_zip(tmp_path, make_return):
    data = make_return().read_bytes()
    return _write(tmp_path, "truncated.xlsx", data[: len(data) // 2])


def _docx(tmp_path):
    p = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return p


def _encrypted(tmp_path, make_return):
    import msoffcrypto.format.ooxml as ooxml

    src = make_return()
    out = tmp_path / "locked.xlsx"
    with open(src, "rb") as fin, open(out, "wb") as fout:
        ooxml.OOXMLFile(fin).encrypt("123456", fout)
    return out


UNREADABLE = {
    "empty": (lambda t, m: _write(t, "empty.xlsx", b""), "空"),
    "text": (lambda t, m: _write(t, "notes.xlsx", "柏梓镇 送工送岗 12\n".encode()), "不是Excel"),
    "html saved as xls": (
        lambda t, m: _write(t, "wps.xls", b"<html><table><tr><td>1</td></tr></table></html>"),
        "网页",
    ),
    "truncated zip": (_corrupt_zip, "损坏"),
    "word document": (lambda t, m: _docx(t), "不是Excel"),
    "encrypted": (_encrypted, "密码"),
    "folder": (lambda t, m: t, "文件夹"),
    "other spreadsheet": (None, "不是双扶季报表"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_unreadable_files(tmp_path, make_return, case):
    make, words = UNREADABLE[case]
    if make is None:
        from openpyxl import Workbook

        wb = Workbook()
        wb.active["A1"] = "随便一张表"
        path = tmp_path / "other.xlsx"
        wb.save(path)
    else:
        path = make(tmp_path, make_return)
    with pytest.raises(UnreadableError):
        read_return(path)
    report = validate_file(path)
    assert report.status == "unreadable"
    assert [f.code for f in report.findings] == ["E_UNREADABLE"]
    assert words in report.findings[0].message("zh")
    assert report.findings[0].message("en")


def test_format_is_found_by_content_not_extension(make_return, tmp_path):
    path = make_return()
    renamed = tmp_path / "return.xls"  # an .xlsx saved with the wrong extension
    renamed.write_bytes(path.read_bytes())
    assert read_return(renamed).fmt == "xlsx"
    assert validate_file(renamed).findings == []


def test_value_typed_far_away_is_reported_not_a_crash(make_return, tmp_path):
    """calamine would try to hold A1:XFD1048576 densely and abort the whole process."""
    wb = load_workbook(make_return())
    wb["附件4 就业"]["XFD1048576"] = "随手打的字"
    far = tmp_path / "far.xlsx"
    wb.save(far)
    report = validate_file(far)
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
        ("E_SHEET_TOO_LARGE", "附件4 就业", "XFD1048576")
    ]
    assert report.status == "invalid"


def test_valid_return_is_the_schemas_model(make_return, reference):
    """The reader's output fits the Pydantic schema it was derived from."""
    from schemas import TownReturn
    from shuangfu_cli.check.pydantic_model import to_model

    figures, lists = _expected_values(reference)
    model = to_model(validate_file(make_return()))
    assert isinstance(model, TownReturn)
    assert model.cover.town == "柏梓镇" and model.cover.period == "2020Q3"
    assert model.training.cadre.GRAD.PTIMES == figures["TRN_CADRE_GRAD_PTIMES"]
    assert model.education.funding.COLLEGE.AMOUNT == figures["EDU_COLLEGE_AMOUNT"]
    assert model.leaders.summary.TOTAL.STOCK == sum(v["stock"] for v in lists["villages"])
    assert [v.name for v in model.villages] == [v["name"] for v in lists["villages"]]
    assert len(model.workshops) == len(lists["workshops"])


@pytest.mark.libreoffice
def test_xls_and_ods_saved_with_a_password_say_so(make_return, lo_type):
    """LibreOffice's "Save with password" in .xls (RC4/CryptoAPI) and .ods: the clerk is told
    to remove the password, not that the file is damaged (they would resend the same file)."""
    locked = lo_type(make_return(), [], ("xls", "ods"), password="1234")
    for fmt, path in locked.items():
        report = validate_file(path)
        assert report.status == "unreadable", fmt
        assert "打开密码" in report.findings[0].message("zh"), fmt
        assert "password" in report.findings[0].message("en"), fmt


@pytest.mark.libreoffice
def test_a_note_typed_on_a_row_inserted_under_a_block_title_hides_nothing(make_return, lo_type):
    """In Calc: a row inserted under 三、贫困劳动力技能培训 and a note typed in it. The block's
    figures are still read and checked — a mistake planted in the block is still found."""
    from openpyxl import load_workbook

    def mutate(f, lists, cover):
        f["TRN_SKILL_EMPLOYED"] = f["TRN_SKILL_PERSONS"] + 1  # 其中 above its total

    path = make_return("柏梓镇", "2020Q3", mutate)
    ws = load_workbook(path)["附件2 培训"]
    title = next(c.row for c in ws["A"] if str(c.value or "").endswith("贫困劳动力技能培训"))
    edits = [
        ["附件2 培训", f"ROWS+{title + 1}", "1"],
        ["附件2 培训", f"A{title + 1}", "注:本项含跨镇参训人员"],
    ]
    sheet, cell = locate(path, "TRN_SKILL_EMPLOYED")
    moved = f"{cell[0]}{int(cell[1:]) + 1}"
    for fmt, typed in lo_type(path, edits).items():
        report = validate_file(typed)
        got = [(f.code, f.sheet, f.cell) for f in report.findings]
        assert got == [("E_PART_ABOVE_TOTAL", sheet, moved)], fmt


def test_a_file_over_the_size_ceiling_is_refused_saying_so(make_return, monkeypatch):
    from shuangfu_cli.reading import source

    path = make_return()
    monkeypatch.setattr(source, "MAX_FILE_BYTES", path.stat().st_size - 1)
    with pytest.raises(UnreadableError) as caught:
        source.read_bytes(path)
    assert "文件过大" in caught.value.zh


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_file_whose_size_is_not_known_ahead_is_read_whole(monkeypatch):
    """Some file systems (network shares, /proc) report 0 bytes and then deliver content: it is
    read to its end, still within the ceiling."""
    from shuangfu_cli.reading import source

    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    data = source.read_bytes(status)
    assert data.startswith(b"Name:")
    assert b"VmRSS" in data  # near the end of the file, past the first read
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100)
    with pytest.raises(UnreadableError) as caught:
        source.read_bytes(status)
    assert "变大" in caught.value.zh
