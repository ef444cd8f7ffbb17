"""Cheap looks into a workbook's own XML (or BIFF records) before and beside calamine.

Two things calamine does not tell:

- **How far a sheet reaches.** calamine holds a sheet as a dense grid from A1 to its last
  filled cell, so a value typed at XFD1048576 would need hundreds of GB. Where a sheet's far
  cell can be found cheaply it is named (``E_SHEET_TOO_LARGE``) and the sheet is not loaded. The
  scan is a fast path, not the safety net: a file that gets past it still runs in a worker
  process with a memory ceiling (:mod:`shuangfu_cli.check.workers`).
- **Which cells hold an error value** (``#DIV/0!``, ``#REF!``): python-calamine turns them
  into empty strings, so a list's "blank means 0" would silently count them as 0.

Each scan is a C-speed regular-expression search over the bytes; only when it hits does a
slower exact pass run. A scan that cannot make sense of a file gives up quietly: calamine then
says what is wrong with it.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

from shuangfu_cli.reading.source import member

#: A sheet whose dense grid would exceed this many cells is not loaded.
MAX_CELLS = 1_000_000
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# .xlsx: a cell reference attribute, wherever it stands among the <c> element's attributes.
# A reference with three column letters or a row of four digits or more is "suspect"; only
# then is the exact extent computed (two letters and three digits, 702 x 999, stay under
# MAX_CELLS; a real sheet of a return holds a few thousand cells).
_SUSPECT_REF = re.compile(rb'r="(?:[A-Z]{3}|[A-Z]{1,2}[0-9]{4})')  # literal first: C speed
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\bt="e"[^>]*>(?:<(?:\w+:)?f\b.*?</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)?\s*(?:<(?:\w+:)?v>([^<]*)<)?',
    re.S,
)

# .ods: repeats of rows or cells large enough to matter, found by a pattern that starts with
# literal text (searched at C speed; no per-tag work on ordinary cells), and LibreOffice's error
# marker (a plain substring search: an alternation in one pattern would be 30 times slower).
# What every LibreOffice file holds is excluded by the pattern itself, not by a Python test per
# match: the trailing filler cell of a row (``…repeated="16374"/></table:table-row>``, hundreds
# per file), a column definition (followed by another one or by the first row: never what
# follows a cell), and the empty rows (no office:value-type) that fill a table to its end.
_EMPTY_CELLS = rb"(?:<table:table-cell(?:(?!office:value-type)[^>])*/>)+"
_BIG_REPEAT = re.compile(
    rb'number-(?:rows|columns)-repeated="[0-9]{4,}"'  # no group: a tenth of the pass
    rb"(?!/></table:table-row>"
    rb"|[^>]*/><table:table-(?!cell)"
    rb"|[^>]*/></table:table-(?!row>)"
    rb"|[^>]*>" + _EMPTY_CELLS + rb"</table:table-row>"
    rb"(?:<table:table-row[^>]*>" + _EMPTY_CELLS + rb"</table:table-row>)*"
    rb"(?:<table:named-expressions>(?:<table:named-[a-z]+\s[^>]*/>)*</table:named-expressions>)?"
    rb"</table:table>)"
)
_ODS_ERROR = b'calcext:value-type="error"'
_ODS_CONTENT = re.compile(rb"office:value-type=|<text:")
_ROW_END = b"</table:table-row>"
_ODS_TOKEN = re.compile(
    rb"<table:table\s[^>]*?table:name=\"([^\"]*)\"[^>]*>"
    rb"|(</table:table>)"
    rb"|<table:table-row(?=[\s/>])([^>]*?)(/?)>"
    rb"|<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)(/?)>"
)
_REPEAT_ATTR = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]+)"')

# .xls: a BOOLERR record holding an error, or a FORMULA record whose cached result is an error.
# (two patterns, each starting with literal bytes so that the search runs at C speed)
_XLS_ERRORS = (
    re.compile(rb"\x05\x02\x08\x00.{6}.\x01", re.S),
    re.compile(rb"\x06\x00..(?:.{6})\x02.{5}\xff\xff", re.S),
)


@dataclass
class Scan:
    """What the scans found, by sheet name."""

    #: sheet -> (0-based row, 0-based column) of the farthest cell, for sheets too large to load
    too_large: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: sheet -> {(0-based row, 0-based column): error text such as '#DIV/0!'}
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _ref_pos(letters: bytes, digits: bytes) -> tuple[int, int]:
    return int(digits) - 1, _col_number(letters) - 1


def scan(
    data: bytes,
    fmt: str,
    sheets: set[str] | None,
    package: zipfile.ZipFile | None = None,
    content: bytes | None = None,
) -> Scan:
    """Scan the workbook's `sheets` (the ones the reader will load; None: all of them).
    `package`: the .xlsx/.ods zip already opened over `data` (else it is opened here);
    `content`: an .ods's content.xml already inflated."""
    try:
        if fmt == "ods" and content is not None:
            return _scan_ods(content, sheets)
        if fmt in ("xlsx", "ods"):
            zf = package or zipfile.ZipFile(io.BytesIO(data))
            if fmt == "xlsx":
                return _scan_xlsx(zf, data, sheets)
            return _scan_ods(member(zf, data, "content.xml"), sheets)
        if fmt == "xls":
            return _scan_xls(data, sheets)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, ElementTree.ParseError, EOFError,
            zlib.error, struct.error):  # fmt: skip
        pass  # calamine will say what is wrong with the file
    return Scan()


def _xlsx_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the zip."""
    rels = {
        el.get("Id"): el.get("Target", "")
        for el in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    }
    out = {}
    for el in ElementTree.fromstring(zf.read("xl/workbook.xml")).iter():
        if el.tag.endswith("}sheet"):
            target = rels.get(el.get(_R_ID), "")
            out[el.get("name", "")] = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
    return out


def _scan_xlsx(zf: zipfile.ZipFile, data: bytes, sheets: set[str]) -> Scan:
    result = Scan()
    names = set(zf.namelist())
    for sheet, part in _xlsx_parts(zf).items():
        if (sheets is not None and sheet not in sheets) or part not in names:
            continue
        xml = member(zf, data, part)
        if _SUSPECT_REF.search(xml):
            far = xlsx_far_cell(xml)
            if far is not None:
                result.too_large[sheet] = far
                continue
        if b't="e"' in xml:
            errors = {}
            for m in _ERROR_CELL.finditer(xml):
                ref = _CELL_REF.search(m.group(0))
                if ref:
                    text = (m.group(1) or b"#N/A").decode("utf-8", "replace")
                    errors[_ref_pos(*ref.groups())] = text
            if errors:
                result.errors[sheet] = errors
    return result


def xlsx_far_cell(xml: bytes) -> tuple[int, int] | None:
    """The farthest cell of a sheet's XML when its dense grid exceeds MAX_CELLS, else None."""
    rows = cols = 0
    far = (0, 0)
    for letters, digits in _CELL_REF.findall(xml):
        r, c = int(digits), _col_number(letters)
        if r > rows or c > cols:  # this cell pushes the sheet's extent out: the far one so far
            far = (r - 1, c - 1)
        rows, cols = max(rows, r), max(cols, c)
    return far if rows * cols > MAX_CELLS else None


def _scan_ods(xml: bytes, sheets: set[str] | None) -> Scan:
    result = Scan()
    body = max(xml.find(b"<office:body"), 0)  # the styles before it hold no cell (a tenth)
    has_errors = xml.find(_ODS_ERROR, body) >= 0
    suspect = False
    for m in _BIG_REPEAT.finditer(xml, body):
        # what the pattern could not rule out (another writer's attribute order, whitespace
        # between tags): a large repeat is harmless filler unless it holds or is followed by
        # typed content, in the rest of the table (rows) or of the row (cells); column
        # definitions don't count
        start = xml.rfind(b"<", 0, m.start())
        close = xml.find(b">", m.end())
        tag = xml[start : close + 1]
        if tag.startswith(b"<table:table-column"):
            continue
        rows = xml.startswith(b"number-rows", m.start())
        if not rows and tag.endswith(b"/>") and xml.startswith(_ROW_END, close + 1):
            continue  # the usual trailing filler cell of a row
        end = xml.find(b"</table:table>" if rows else _ROW_END, close)
        if b"office:value-type=" in tag or _ODS_CONTENT.search(
            xml, close, end if end >= 0 else len(xml)
        ):
            suspect = True
            break
    if suspect or has_errors:
        _walk_ods(xml, sheets, result, errors=has_errors)
    return result


def _repeat(attrs: bytes) -> int:
    m = _REPEAT_ATTR.search(attrs)
    return int(m.group(1)) if m else 1


def _walk_ods(xml: bytes, sheets: set[str], result: Scan, *, errors: bool) -> None:
    """Walk the ODS tables, tracking each cell's position through the repeats."""
    sheet: str | None = None
    next_row = top = col = 0
    rows_here = 1  # how many rows the current row element stands for
    extent = (0, 0)  # rows, columns reached by typed content in the current sheet
    far = (0, 0)  # the cell that last pushed the extent out
    for m in _ODS_TOKEN.finditer(xml):
        name, end_table, row_attrs, row_closed, cell_attrs, cell_closed = m.groups()
        if name is not None:
            sheet, next_row, extent, far = unescape(name), 0, (0, 0), (0, 0)
        elif end_table is not None:
            if (sheets is None or sheet in sheets) and extent[0] * extent[1] > MAX_CELLS:
                result.too_large[sheet] = far
            sheet = None
        elif row_attrs is not None:
            top, rows_here, col = next_row, _repeat(row_attrs), 0
            next_row += rows_here
        elif cell_attrs is not None and sheet is not None and (sheets is None or sheet in sheets):
            cols_here = _repeat(cell_attrs)
            filled = b"office:value-type=" in cell_attrs or (
                not cell_closed and xml.startswith(b"<text:p", m.end())
            )
            if filled:
                bottom, right = top + rows_here, col + cols_here
                if bottom > extent[0] or right > extent[1]:
                    far = (bottom - 1, right - 1)
                    extent = (max(extent[0], bottom), max(extent[1], right))
                if errors and _ODS_ERROR in cell_attrs:
                    text = _cell_text(xml, m.end())
                    found = result.errors.setdefault(sheet, {})
                    for r in range(top, top + min(rows_here, 1000)):
                        for c in range(col, col + min(cols_here, 1000)):
                            found[(r, c)] = text
            col += cols_here


_TEXT_P = re.compile(rb"<text:p>([^<]*)</text:p>")


def _cell_text(xml: bytes, start: int) -> str:
    m = _TEXT_P.match(xml, start)
    return m.group(1).decode("utf-8", "replace") if m else "#N/A"


def unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(a, b)
    return text


def _scan_xls(data: bytes, sheets: set[str]) -> Scan:
    result = Scan()
    if not any(p.search(data) for p in _XLS_ERRORS):
        return result
    import xlrd  # only for the rare .xls holding an error value: the exact record walk

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception:  # xlrd cannot read what calamine can: nothing more to learn
        return result
    try:
        for name in book.sheet_names():
            if sheets is not None and name not in sheets:
                continue
            sh = book.sheet_by_name(name)
            errors = {}
            for r in range(min(sh.nrows, 100_000)):
                for c, ctype in enumerate(sh.row_types(r)):
                    if ctype == xlrd.XL_CELL_ERROR:
                        code = sh.cell_value(r, c)
                        errors[(r, c)] = xlrd.error_text_from_code.get(code, "#N/A")
            if errors:
                result.errors[name] = errors
    except Exception:
        pass
    finally:
        book.release_resources()
    return result
