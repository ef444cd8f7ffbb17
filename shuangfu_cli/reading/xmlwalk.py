"""The exact look into a workbook's XML, for what the cheap look (:mod:`.scan`) cannot judge.

The scans search the bytes at C speed for what an ordinary file holds. When a part holds
something they cannot settle — an error value, a far reference, a spelling they were not
written for (single-quoted attributes, ``r = "…"``, lowercase columns, a namespace prefix, cells
without a reference) — the part is parsed here with a real XML parser: lxml, streaming (time
linear in the part, memory flat), hardened (no DTD, no entity expansion, no network).

Cells are placed as calamine places them, so that what is found here is where calamine puts
it: an .xlsx cell at its ``r`` (letters in either case) or, without one, after the cell before
it in its row, rows likewise (calamine's ``xlsx/cells_reader.rs``); an .ods cell through the
rows' and cells' repeats. Every cell counts for the sheet's extent, as in the byte scan.

A part this parser cannot read — not well-formed XML, a DTD — is not guessed at: it is
:class:`~.source.UnreadableError` naming the part. calamine's own parser is more lenient (it
reads mismatched end tags on), so "not readable here" must never mean "no error values".
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.etree import ElementTree

from shuangfu_cli.reading.source import UnreadableError, said
from shuangfu_cli.text.words import LANGS

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_CALCEXT_NS = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_T = f"{{{_TABLE_NS}}}"
_VALUE_TYPE = f"{{{_OFFICE_NS}}}value-type"
_CALC_VALUE_TYPE = f"{{{_CALCEXT_NS}}}value-type"
_TEXT_P = f"{{{_TEXT_NS}}}p"
_ROWS_REPEATED = f"{_T}number-rows-repeated"
_COLS_REPEATED = f"{_T}number-columns-repeated"

#: an error value's text as kept (the cell holds no more than `#GETTING_DATA`)
_MAX_TEXT = 40
#: an .ods repeat is counted at most this far for the error cells it stands for
_MAX_ERROR_REPEAT = 1000
_REF = re.compile(r"([A-Za-z]*)([0-9]+)")
_PROLOG_END = re.compile(rb"<[^?!]")


def damaged_part(part: str, detail: str = "") -> UnreadableError:
    """The file is unreadable because one of its parts cannot be read or parsed."""
    zh, en = (
        said(
            lang,
            "damaged_part",
            part=part,
            detail=detail and said(lang, "technical", detail=detail),
        )
        for lang in LANGS
    )
    return UnreadableError(zh, en)


def _refuse_dtd(xml: bytes, part: str) -> None:
    """OOXML and ODF parts never hold a DTD; one that does is refused, not parsed."""
    m = _PROLOG_END.search(xml)
    if b"<!DOCTYPE" in xml[: m.start() if m else len(xml)]:
        raise damaged_part(part, "a DTD")


_PARSER_OPTIONS: dict[str, Any] = dict(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
    remove_comments=True, remove_pis=True,
)  # fmt: skip


class _DtdRefused(Exception):
    pass


class _NoDtd(ElementTree.TreeBuilder):
    """A tree builder that stops the parse at a DTD, in whatever encoding it is written."""

    def doctype(self, *_):
        raise _DtdRefused


def parse_part(xml: bytes, part: str) -> ElementTree.Element:
    """A small part (the package's relationships, workbook.xml, the properties) as a tree, by
    the standard library's parser (expat, which never fetches anything), no DTD accepted: the
    parts every .xlsx is read through, so the C parser already loaded is used, not lxml.
    Raises UnreadableError."""
    _refuse_dtd(xml, part)
    parser = ElementTree.XMLParser(target=_NoDtd())
    try:
        parser.feed(xml)
        return parser.close()
    except _DtdRefused:
        raise damaged_part(part, "a DTD") from None
    except ElementTree.ParseError as exc:
        raise damaged_part(part, f"not well-formed XML: {str(exc)[:80]}") from exc


def _events(xml: bytes, part: str, tags):
    """(event, element) of `tags`, streamed by lxml (imported when a part is first walked);
    an element is cleared by the caller when done."""
    from lxml import etree

    _refuse_dtd(xml, part)
    walk = etree.iterparse(io.BytesIO(xml), events=("start", "end"), tag=tags, **_PARSER_OPTIONS)
    try:
        yield from walk
    except etree.XMLSyntaxError as exc:
        raise damaged_part(part, f"not well-formed XML: {str(exc)[:80]}") from exc
    if walk.root is not None and walk.root.getroottree().docinfo.doctype:
        raise damaged_part(part, "a DTD")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _drop_done(el) -> None:
    """Free an element that is done with, and its earlier siblings (memory stays flat)."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _position(ref: str, part: str) -> tuple[int, int | None]:
    """calamine's reading of a cell or row reference: (0-based row, 0-based column or None)."""
    m = _REF.fullmatch(ref)
    if m is None or int(m.group(2)) == 0:
        raise damaged_part(part, f"cell reference {ref[:20]!r}")
    letters, digits = m.groups()
    return int(digits) - 1, (_col_number(letters) - 1 if letters else None)


class Look:
    """What the exact walk found in one sheet: its extent (rows, columns), the cell that last
    pushed it out, and the error values by (0-based row, column)."""

    __slots__ = ("extent", "far", "errors")

    def __init__(self) -> None:
        self.extent = (0, 0)
        self.far = (0, 0)
        self.errors: dict[tuple[int, int], str] = {}

    def reach(self, bottom: int, right: int) -> None:
        """A cell reaching down to row `bottom` and right to column `right` (both counts)."""
        rows, cols = self.extent
        if bottom > rows or right > cols:
            self.far = (bottom - 1, right - 1)
            self.extent = (max(rows, bottom), max(cols, right))


def _text(el) -> str:
    return "".join(el.itertext())[:_MAX_TEXT]


def xlsx_sheet(xml: bytes, part: str) -> Look:
    """An .xlsx worksheet part's cells, placed as calamine places them."""
    look = Look()
    row = col = 0  # calamine's running position for cells and rows without a reference
    in_data = False
    cell: list | None = None  # [position, holds an error, text of its <v>]
    depth = 0  # <c> inside <c> (calamine refuses the sheet): only the outer one counts
    tags = ("{*}sheetData", "{*}row", "{*}c", "{*}v")
    names: dict[str, str] = {}  # tag -> local name, as each namespace is met
    for event, el in _events(xml, part, tags):
        name = names.get(el.tag) or names.setdefault(el.tag, _local(el.tag))
        if name == "sheetData":
            if event == "end":
                break  # calamine reads the cells of the first one only
            in_data = True
        elif not in_data:
            continue
        elif name == "c":
            if event == "start":
                depth += 1
                if depth > 1:
                    continue
                ref = el.get("r")
                if ref is not None:
                    r, c = _position(ref, part)
                    if c is None:
                        raise damaged_part(part, f"cell reference {ref[:20]!r}")
                else:
                    r, c = row, col
                cell = [(r, c), el.get("t") == "e", None]
                look.reach(r + 1, c + 1)
            else:
                depth -= 1
                if depth or cell is None:
                    continue
                (r, c), error, text = cell
                if error:
                    look.errors[(r, c)] = text or "#N/A"
                col = c + 1
                cell = None
                el.clear()  # the row, done, takes its cells with it
        elif name == "v":
            if event == "end" and cell is not None and depth == 1 and cell[1]:
                cell[2] = _text(el)
        elif name == "row":
            if event == "start":
                ref = el.get("r")
                if ref is not None:
                    row = _position(ref, part)[0]
            else:
                row, col = row + 1, 0
                _drop_done(el)
    return look


def _repeat(el, attr: str) -> int:
    value = el.get(attr)
    if value is None:
        return 1
    try:
        return max(int(value), 1)
    except ValueError:
        return 1


def ods_tables(xml: bytes, sheets: set[str] | None, part: str = "content.xml") -> dict[str, Look]:
    """An .ods content.xml's tables (those in `sheets`; None: all), cells placed through the
    repeats: filled cells (a value type or a paragraph) count for the extent."""
    found: dict[str, Look] = {}
    look: Look | None = None
    top = next_row = col = 0
    rows_here = 1
    tags = (f"{_T}table", f"{_T}table-row", f"{_T}table-cell", f"{_T}covered-table-cell")
    for event, el in _events(xml, part, tags):
        name = _local(el.tag)
        if name == "table":
            if event == "start":
                title = el.get(f"{_T}name")
                wanted = title is not None and (sheets is None or title in sheets)
                look = found.setdefault(title, Look()) if wanted else None
                next_row = 0
            else:
                look = None
                _drop_done(el)
        elif name == "table-row":
            if event == "start":
                top, rows_here, col = next_row, _repeat(el, _ROWS_REPEATED), 0
                next_row += rows_here
            else:
                _drop_done(el)
        elif event == "end":  # a cell: its paragraphs are read by now
            cols_here = _repeat(el, _COLS_REPEATED)
            if look is not None:
                paragraph = el.find(_TEXT_P)
                if el.get(_VALUE_TYPE) is not None or paragraph is not None:
                    look.reach(top + rows_here, col + cols_here)
                    if el.get(_CALC_VALUE_TYPE) == "error":
                        text = _text(paragraph) if paragraph is not None else ""
                        for r in range(top, top + min(rows_here, _MAX_ERROR_REPEAT)):
                            for c in range(col, col + min(cols_here, _MAX_ERROR_REPEAT)):
                                look.errors[(r, c)] = text or "#N/A"
            col += cols_here
            _drop_done(el)
    return found
