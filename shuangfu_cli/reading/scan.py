"""Cheap looks into a workbook's own XML (or BIFF records) before and beside calamine.

Two things calamine does not tell:

- **How far a sheet reaches.** calamine holds a sheet as a dense grid from A1 to its last
  filled cell, so a value typed at XFD1048576 would need hundreds of GB. Where a sheet's far
  cell can be found cheaply it is named (``E_SHEET_TOO_LARGE``) and the sheet is not loaded. The
  scan is a fast path, not the safety net: a file that gets past it still runs in a worker
  process with a memory ceiling (:mod:`shuangfu_cli.check.workers`), the reader looks at the size
  calamine gives a sheet before taking its values, and a file that outgrows the ceiling is read
  again with every part walked exactly (``careful``).
- **Which cells hold an error value** (``#DIV/0!``, ``#REF!``): python-calamine turns them
  into empty strings, so a list's "blank means 0" would silently count them as 0.

Each look is a C-speed search over the bytes for what any spelling of the thing must contain
(an error cell's ``t`` is ``"e"`` or ``'e'``, whatever the quotes, spaces or prefixes around
it); only when it hits is the part walked with a real XML parser (:mod:`.xmlwalk`), which
places cells where calamine does. Every search is linear in the part. A part the scan cannot
read is never taken as "nothing there": the file is unreadable, naming the part.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import cast

from shuangfu_cli.reading.source import member
from shuangfu_cli.reading.xmlwalk import damaged_part, ods_tables, parse_part, xlsx_sheet

#: A sheet whose dense grid would exceed this many cells is not loaded.
MAX_CELLS = 1_000_000

# .xlsx: a cell or row reference with three column letters or a row of four digits or more, in
# either quotes and either case (a digit after the letters: ``operator="between"`` is none). A reference in another spelling (``r = "…"``) is caught by the
# reader's look at the grid's size, or by the careful reading after the memory ceiling.
_SUSPECT_REF = re.compile(rb"r=[\"'](?:[A-Za-z]{3,}[0-9]|[A-Za-z]{0,2}[0-9]{4})")
_OFFICE_DOCUMENT = "/relationships/officeDocument"
_SHEET_TYPES = ("worksheet", "chartsheet", "dialogsheet")

# .ods: repeats of rows or cells large enough to matter (or written otherwise than as a plain
# number), found by a pattern that starts with literal text (searched at C speed; no per-tag
# work on ordinary cells). What every LibreOffice file holds is excluded by the pattern itself,
# by a look of bounded length: the trailing filler cell of a row
# (``…repeated="16374"/></table:table-row>``, hundreds per file), a column definition (followed
# by another one or by the first row: never what follows a cell). The empty rows that fill a
# table to its end are told apart in Python, with searches that only move forward.
_BIG_REPEAT = re.compile(
    rb"number-(?:rows|columns)-repeated\s*=\s*"
    rb"""(?:"[0-9]{4,}"|'[0-9]{4,}'|["'](?![0-9]+["']))"""
    rb"(?!/></table:table-row>"
    rb"|[^>]{0,400}/><table:table-(?!cell)"
    rb"|[^>]{0,400}/></table:table-(?!row>))"
)
# an error value's marker ends with "rror" and a quote however it is quoted (the patterns start
# with literal text: the search runs at C speed); a character reference may spell it otherwise
_ODS_ERROR = re.compile(rb"rror[\"']")
_CHAR_REF = re.compile(rb"&#")
_PLAIN_REPEAT = re.compile(rb"""\s*=\s*["']([0-9]+)["']""")
#: what typed content starts with: a value type, or a paragraph
_ODS_CONTENT = (b"office:value-type", b"<text:")
_ROW_END = b"</table:table-row>"
_TABLE_END = b"</table:table>"
#: more candidates than this and the content is walked exactly instead
_MAX_CANDIDATES = 1000

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

    def add(self, sheet: str, look) -> None:
        """An exact walk's finding for one sheet (:class:`.xmlwalk.Look`)."""
        rows, cols = look.extent
        if rows * cols > MAX_CELLS:
            self.too_large[sheet] = look.far
        elif look.errors:
            self.errors[sheet] = look.errors


def scan(
    data: bytes,
    fmt: str,
    sheets: set[str] | None,
    package: zipfile.ZipFile | None = None,
    content: bytes | None = None,
    careful: bool = False,
    read_end: int | None = None,
) -> Scan:
    """Scan the workbook's `sheets` (the ones the reader will load; None: all of them).
    `package`: the .xlsx/.ods zip already opened over `data` (else it is opened here);
    `content`: an .ods's content.xml already inflated; `careful`: walk every part exactly;
    `read_end`: where in content.xml the tables that are never read start (error values are
    not looked for past it). Raises UnreadableError for a part it cannot read."""
    if fmt == "xls":
        try:
            return _scan_xls(data, sheets)
        except (ValueError, EOFError, struct.error):
            return Scan()  # calamine has read it: xlrd's trouble is its own
    if fmt == "ods" and content is not None:
        return _scan_ods(content, sheets, careful, read_end)
    try:
        zf = package or zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise damaged_part("zip", str(exc)[:80]) from exc
    if fmt == "xlsx":
        return _scan_xlsx(zf, data, sheets, careful)
    return _scan_ods(_read(zf, data, "content.xml"), sheets, careful)


def _read(zf: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    """A member of the package; one that cannot be read makes the file unreadable."""
    try:
        return member(zf, data, name)
    except KeyError as exc:
        raise damaged_part(name, "missing") from exc
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError,
            zlib.error, struct.error, EOFError) as exc:  # fmt: skip
        raise damaged_part(name, str(exc)[:80]) from exc


class _Package:
    """The package's members found as calamine finds them: ASCII case ignored, backslashes
    read as slashes (sniff has refused a package where two names meet that way)."""

    def __init__(self, zf: zipfile.ZipFile, data: bytes) -> None:
        self.zf, self.data = zf, data
        self.names = {n.replace("\\", "/").lower(): n for n in zf.namelist()}

    def get(self, path: str) -> bytes:
        return _read(self.zf, self.data, self.names.get(path.lower(), path))

    def tree(self, path: str):
        return parse_part(self.get(path), path)


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def xlsx_parts(zf: zipfile.ZipFile, data: bytes) -> dict[str, str]:
    """Sheet name -> the path calamine reads it from: the workbook found through the
    package's relationships, each sheet's target as calamine joins it (an absolute one from
    the root, else from the workbook's folder). The first of two sheets of one name (the
    reader refuses to choose between them)."""
    pkg = _Package(zf, data)
    target = next(
        (
            el.get("Target", "")
            for el in pkg.tree("_rels/.rels").iterfind(".//{*}Relationship")
            if el.get("Type", "").endswith(_OFFICE_DOCUMENT)
        ),
        "xl/workbook.xml",
    )
    base = target[: target.rfind("/") + 1]
    base = base[1:] if base.startswith("/") else base
    rels = {
        el.get("Id"): (el.get("Target", ""), el.get("Type", ""))
        for el in pkg.tree(f"{base}_rels/workbook.xml.rels").iterfind(".//{*}Relationship")
    }
    out: dict[str, str] = {}
    for el in pkg.tree(f"{base}workbook.xml").iterfind(".//{*}sheet"):
        rel_id = None
        for key, value in el.attrib.items():
            if _local(key) == "id":
                rel_id = value
        target, kind = rels.get(rel_id, ("", ""))
        if kind.rsplit("/", 1)[-1] not in _SHEET_TYPES:
            continue  # calamine refuses the workbook: nothing is read from it
        out.setdefault(el.get("name", ""), target[1:] if target.startswith("/") else base + target)
    return out


def _needs_walk(xml: bytes) -> bool:
    """Whether a sheet's XML may hold an error value or a far reference, in any spelling."""
    if b'"e"' in xml or _SUSPECT_REF.search(xml):
        return True
    return b"'" in xml and b"'e'" in xml  # single quotes: rare (a formula's sheet name)


def _scan_xlsx(zf: zipfile.ZipFile, data: bytes, sheets: set[str] | None, careful: bool) -> Scan:
    result = Scan()
    parts = xlsx_parts(zf, data)
    for sheet in sorted((sheets or set()) - parts.keys()):  # to be read, and not seen here
        raise damaged_part("xl/workbook.xml", f"sheet {sheet[:40]!r} not found")
    pkg = _Package(zf, data)
    for sheet, path in parts.items():
        if sheets is not None and sheet not in sheets:
            continue
        xml = pkg.get(path)
        if careful or _needs_walk(xml):
            result.add(sheet, xlsx_sheet(xml, path))
    return result


def _find_or_end(xml: bytes, what: bytes, start: int) -> int:
    at = xml.find(what, start)
    return len(xml) if at < 0 else at


def _ods_needs_walk(xml: bytes, body: int, read_end: int) -> bool:
    """Whether content.xml may hold, before `read_end`, an error value (LibreOffice's
    ``calcext:value-type`` "error", in either quotes, or written with character references) or
    content reaching far. Past `read_end` are the tables calamine is not handed (reader.py);
    should it be handed them after all, what reaches far there outgrows the memory ceiling and
    the careful reading names it."""
    if _ODS_ERROR.search(xml, body, read_end):
        return True
    if xml.find(b"#", body, read_end) >= 0 and _CHAR_REF.search(xml, body, read_end):
        return True  # (a "#" is rare in a table: a memchr rules the search out)
    table_end = row_end = -1
    content_at = [-1, -1]  # the next of each _ODS_CONTENT
    for n, m in enumerate(_BIG_REPEAT.finditer(xml, body, read_end)):
        if n >= _MAX_CANDIDATES:
            return True
        value = _PLAIN_REPEAT.match(xml, xml.find(b"-repeated", m.start()) + 9)
        if value is None:
            return True  # a repeat written otherwise than as a plain number
        # a large repeat is harmless filler unless it holds or is followed by typed content,
        # in the rest of the table (rows) or of the row (cells); column definitions don't count
        start = xml.rfind(b"<", 0, m.start())
        close = xml.find(b">", value.end())
        if close < 0:
            return True
        tag = xml[start : close + 1]
        if tag.startswith(b"<table:table-column"):
            continue
        rows = xml.startswith(b"number-rows", m.start())
        if not rows and tag.endswith(b"/>") and xml.startswith(_ROW_END, close + 1):
            continue  # the usual trailing filler cell of a row
        if b"office:value-type" in tag:
            return True
        # where this row or table ends, and where the next content is: each found once and
        # only looked for again past the point reached (linear however many repeats there are)
        if rows:
            if table_end < close:
                table_end = _find_or_end(xml, _TABLE_END, close)
            end = table_end
        else:
            if row_end < close:
                row_end = _find_or_end(xml, _ROW_END, close)
            end = row_end
        for i, what in enumerate(_ODS_CONTENT):
            if content_at[i] < close:
                content_at[i] = _find_or_end(xml, what, close)
        if min(content_at) < end:
            return True
    return False


def _scan_ods(
    xml: bytes, sheets: set[str] | None, careful: bool, read_end: int | None = None
) -> Scan:
    result = Scan()
    body = max(xml.find(b"<office:body"), 0)  # the styles before it hold no cell (a tenth)
    if careful or _ods_needs_walk(xml, body, len(xml) if read_end is None else read_end):
        for sheet, look in ods_tables(xml, sheets).items():
            result.add(sheet, look)
    return result


def unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(a, b)
    return text


def _scan_xls(data: bytes, sheets: set[str] | None) -> Scan:
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
            errors: dict[tuple[int, int], str] = {}
            for r in range(min(sh.nrows, 100_000)):
                for c, ctype in enumerate(sh.row_types(r)):
                    if ctype == xlrd.XL_CELL_ERROR:
                        # an error cell's value is its code (types-xlrd says str)
                        code = cast(int, sh.cell_value(r, c))
                        errors[(r, c)] = xlrd.error_text_from_code.get(code, "#N/A")
            if errors:
                result.errors[name] = errors
    except Exception:
        pass
    finally:
        book.release_resources()
    return result
