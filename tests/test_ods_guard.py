"""The .ods far-cell guard (reading/scan.py) on a return saved by LibreOffice, its content.xml
edited the way a stray fill or a crafted file would leave it.

calamine expands an .ods sheet to a dense grid when it opens the file, so content reaching far
must be found before: the file is refused naming the sheet and the cell. What every
LibreOffice file holds (column definitions, the empty rows filling each table to row 1048576)
must not be mistaken for it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from shuangfu_cli.check.many_returns import validate_files
from shuangfu_cli.reading.scan import scan

pytestmark = pytest.mark.libreoffice

SHEET = "附件4 就业"
FILLED = (
    'office:value-type="string" calcext:value-type="string"><text:p>x</text:p></table:table-cell>'
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory, resave, reference, blank_templates) -> Path:
    """A return filled by the template and saved as .ods by LibreOffice."""
    from shuangfu_cli.writing.fill import fill_workbook
    from shuangfu_dev.samples import figures_for

    src = tmp_path_factory.mktemp("ods-guard") / "柏梓镇.xlsx"
    figures, lists, cover = figures_for(reference.town("柏梓镇"), "2020Q3")
    fill_workbook(blank_templates("柏梓镇", "2020Q3"), src, figures, lists, cover)
    return resave(src, "ods")


def _edited(src: Path, dst: Path, edit) -> Path:
    """A copy of the .ods whose content.xml has SHEET's table passed through `edit`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "content.xml":
                start = data.index(f'table:name="{SHEET}"'.encode())
                end = data.index(b"</table:table>", start)
                data = data[:start] + edit(data[start:end]) + data[end:]
            zout.writestr(info, data, zipfile.ZIP_STORED if info.filename == "mimetype" else 8)
    return dst


def _refused_at(path: Path) -> tuple[str, str | None, str | None]:
    (report,), _ = validate_files([path])
    (finding,) = report.findings
    return report.status, finding.sheet, finding.cell


def _trailing_rows(table: bytes) -> re.Match:
    m = re.search(rb'<table:table-row [^>]*number-rows-repeated="([0-9]+)">', table)
    assert m and int(m.group(1)) > 1_000_000, "LibreOffice fills each table to its last row"
    return m


def test_what_libreoffice_writes_is_not_mistaken_for_a_far_cell(saved):
    data = saved.read_bytes()
    assert scan(data, "ods", None).too_large == {}
    (report,), _ = validate_files([saved])
    assert report.status == "valid" and report.town == "柏梓镇"


# a filled cell as LibreOffice writes it, and as another program may (a number in an attribute,
# the element closed at once: it looks like the empty filler cells but is not)
FILLED_CELLS = {
    "text": b'<table:table-cell table:number-columns-repeated="3" ' + FILLED.encode(),
    "number": b'<table:table-cell office:value-type="float" office:value="7" '
    b'table:number-columns-repeated="3"/>',
}


@pytest.mark.parametrize("kind", FILLED_CELLS)
def test_a_value_filled_down_the_empty_rows_to_the_end_is_named(saved, tmp_path, kind):
    """The empty rows that fill the table, given a value (a fill down to the end)."""

    def edit(table: bytes) -> bytes:
        m = _trailing_rows(table)
        cell = b'<table:table-cell table:number-columns-repeated="16384"/>'
        at = table.index(cell, m.end())
        filled = FILLED_CELLS[kind]
        rest = b'<table:table-cell table:number-columns-repeated="16381"/>'
        return table[:at] + filled + rest + table[at + len(cell) :]

    status, sheet, cell = _refused_at(_edited(saved, tmp_path / f"filled_down_{kind}.ods", edit))
    assert (status, sheet, cell) == ("unreadable", SHEET, "C1048575")


def test_a_value_after_the_empty_rows_is_named(saved, tmp_path):
    """A value typed at the sheet's last row, after a million empty ones."""

    def edit(table: bytes) -> bytes:
        last = b'<table:table-row table:style-name="ro2"><table:table-cell'
        at = table.rindex(last)
        row = b'<table:table-row><table:table-cell table:number-columns-repeated="4"/>'
        row += b"<table:table-cell " + FILLED.encode() + b"</table:table-row>"
        end = table.index(b"</table:table-row>", at) + len(b"</table:table-row>")
        return table[:at] + row + table[end:]

    status, sheet, cell = _refused_at(_edited(saved, tmp_path / "last_row.ods", edit))
    assert (status, sheet, cell) == ("unreadable", SHEET, "E1048576")


def test_a_block_of_repeated_values_in_the_middle_is_named(saved, tmp_path):
    """2,000 rows of 1,000 repeated values (2 million cells) just above the filler rows."""
    used = {}

    def edit(table: bytes) -> bytes:
        m = _trailing_rows(table)
        used["filler"] = filler = int(m.group(1))
        block = b'<table:table-row table:number-rows-repeated="2000">'
        block += b'<table:table-cell table:number-columns-repeated="1000" ' + FILLED.encode()
        block += b"</table:table-row>"
        shorter = m.group(0).replace(m.group(1), str(filler - 2000).encode())
        return table[: m.start()] + block + shorter + table[m.end() :]

    status, sheet, cell = _refused_at(_edited(saved, tmp_path / "block.ods", edit))
    # the filler covered rows (1048576 - filler) to 1048575; the block now starts there
    first = 1048576 - used["filler"]
    assert (status, sheet, cell) == ("unreadable", SHEET, f"ALL{first + 1999}")


def test_the_scan_reads_each_member_as_zipfile_does(saved, make_return):
    """Members are inflated by reading.source.member (no second CRC pass): the bytes must be
    zipfile's, in an .ods and an .xlsx, also with bytes before the package (self-extracting)."""
    import io

    from shuangfu_cli.reading.source import member

    for path in (saved, make_return()):
        for data in (path.read_bytes(), b"MZ" + bytes(998) + path.read_bytes()):
            zf = zipfile.ZipFile(io.BytesIO(data))
            for name in zf.namelist():
                assert member(zf, data, name) == zf.read(name), (path.name, name)


def test_a_damaged_content_stream_is_unreadable_naming_the_part(saved, tmp_path):
    """The scan does not give up quietly (calamine might read on past what it cannot see):
    the file is unreadable, naming content.xml."""
    from shuangfu_cli.reading import UnreadableError

    data = bytearray(saved.read_bytes())
    zf = zipfile.ZipFile(saved)
    info = zf.getinfo("content.xml")
    middle = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    data[middle : middle + 64] = bytes(64)
    broken = tmp_path / "broken.ods"
    broken.write_bytes(bytes(data))
    with pytest.raises(UnreadableError):
        scan(bytes(data), "ods", None)
    (report,), _ = validate_files([broken])
    assert report.status == "unreadable"
    assert "“content.xml”部分已损坏" in report.findings[0].message("zh")


# an error value as LibreOffice writes it, and as XML also allows it: single quotes, spaces
# around "=", the marker written as a character reference
ODS_ERRORS = {
    "as LibreOffice": 'table:formula="of:=1/0" office:value-type="string" office:string-value="" '
    'calcext:value-type="error"',
    "single quotes": "table:formula='of:=1/0' office:value-type='string' office:string-value='' "
    "calcext:value-type='error'",
    "spaces": 'office:value-type = "string" office:string-value = "" calcext:value-type = "error"',
    "character reference": 'office:value-type="string" office:string-value="" '
    'calcext:value-type="&#101;rror"',
}


@pytest.mark.parametrize("spelling", list(ODS_ERRORS))
def test_an_error_value_in_any_spelling_is_found(saved, tmp_path, reference, spelling):
    """calamine reads the cell's empty string-value: without the scan the list's blank would
    count as 0."""
    from shuangfu_dev.samples import figures_for

    workers = figures_for(reference.town("柏梓镇"), "2020Q3")[1]["workshops"][0]["workers"]
    table = "附件4-1 扶贫车间明细"
    cell = re.compile(
        rb'<table:table-cell [^>]*office:value="%d"[^>]*>(?:<text:p>[^<]*</text:p>)?'
        rb"</table:table-cell>" % workers
    )
    error = f"<table:table-cell {ODS_ERRORS[spelling]}><text:p>#DIV/0!</text:p></table:table-cell>"
    out = tmp_path / f"error_{len(spelling)}.ods"
    with zipfile.ZipFile(saved) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "content.xml":
                m = cell.search(data, data.index(f'table:name="{table}"'.encode()))
                data = data[: m.start()] + error.encode() + data[m.end() :]
            zout.writestr(info, data, zipfile.ZIP_STORED if info.filename == "mimetype" else 8)
    (report,), _ = validate_files([out])
    assert ("E_ERROR_VALUE", table, "D9") in [(f.code, f.sheet, f.cell) for f in report.findings]


def test_the_scan_of_many_large_empty_repeats_is_linear(saved, tmp_path):
    """Rows repeated by the thousand with nothing in them, many of them at a table's end: the
    look that tells them from content once ran to the table's end from each (quadratic)."""
    import time

    def with_rows(n: int) -> bytes:
        row = (
            b'<table:table-row table:number-rows-repeated="1000">'
            b'<table:table-cell table:number-columns-repeated="3"/></table:table-row>'
        )

        def edit(table: bytes) -> bytes:
            m = _trailing_rows(table)
            return table[: m.start()] + row * n + table[m.start() :]

        return _edited(saved, tmp_path / f"rows{n}.ods", edit).read_bytes()

    small, large = with_rows(3000), with_rows(6000)
    assert scan(large, "ods", None).too_large == {}
    times = {0: [], 1: []}
    for _ in range(3):
        for i, data in enumerate((small, large)):
            start = time.perf_counter()
            scan(data, "ods", None)
            times[i].append(time.perf_counter() - start)
    ratio = min(times[1]) / min(times[0])
    assert ratio < 3.0, ratio
