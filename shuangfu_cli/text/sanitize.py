"""One sanitiser per output channel, for every piece of text that came from a return or a file
name: a town clerk's cell, a cover field, a path.

- :func:`for_xlsx` — a cell value: text without what XML 1.0 cannot hold (see :func:`for_xml`),
  and always text: ``=1+1`` or ``#N/A`` typed as text is never written as a formula or an
  error value, so openpyxl never raises, never writes a corrupt file and never makes a
  clerk's text live.
- :func:`sheet_title` — a worksheet's name as a workbook may hold it.
- :func:`for_markdown` — one line, with table pipes, HTML and link/emphasis syntax neutralised.
- :func:`for_terminal` — no C0/C1 control characters (no escape sequences: no colours, no
  clear-screen, no hyperlinks), no bidirectional overrides; rich markup is escaped by the
  terminal module itself.
- :func:`for_xml` — text for an XML 1.0 document (a workbook's comments, the Word bulletin,
  JUnit): every character XML 1.0 forbids (C0 controls but tab, newline and CR; lone
  surrogates; U+FFFE and U+FFFF) and those it discourages (DEL, C1 controls, the other
  non-characters) is replaced.

Every channel replaces lone surrogates and the Unicode non-characters (U+FDD0-U+FDEF and the
last two code points of every plane, U+FFFE and U+FFFF among them): calamine passes them
through from a cell, a file name may hold them, and no output has a use for them.
- :func:`for_csv` — a CSV field a spreadsheet opens as text, never as a formula.
- :func:`show_path` — a file name that is not valid UTF-8 (a GBK name from a Chinese Windows
  archive) shown with replacement characters, so it can go into any output.
"""

from __future__ import annotations

import os
import re

REPLACEMENT = "\ufffd"
#: C0 controls but tab/newline/CR, DEL, C1 controls
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: bidirectional embeddings, overrides and isolates, and the implicit marks
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: lone surrogates and the non-characters (U+FDD0-U+FDEF, U+nFFFE and U+nFFFF of every plane)
_UNUSABLE = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
#: characters with a meaning in Markdown (CommonMark lets any ASCII punctuation be escaped)
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|<>~&])")


def show_path(path: os.PathLike | str) -> str:
    """A path as text any output can hold: undecodable bytes become U+FFFD."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def file_name(path: os.PathLike | str) -> str:
    """The file's name only (never the folders it is in), as any output can hold it."""
    return os.path.basename(show_path(path))


def _text(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    return _UNUSABLE.sub(REPLACEMENT, text)


#: the most a cell holds (Excel's limit; openpyxl cuts a plain string there too)
MAX_CELL_TEXT = 32767
#: plain strings openpyxl writes as something else than text (its ERROR_CODES, and a formula)
_ERROR_VALUES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def for_xlsx(value):
    """A cell value for openpyxl: text without what XML 1.0 cannot hold, and kept as text —
    openpyxl makes a formula of any string starting with ``=`` and an error value of ``#N/A``,
    so such text is handed over as rich text, which it writes as the string it is. Numbers,
    dates and booleans are returned as they are."""
    if not isinstance(value, str):
        return value
    text = for_xml(value)[:MAX_CELL_TEXT]
    if len(text) > 1 and text.startswith("=") or text in _ERROR_VALUES:
        from openpyxl.cell.rich_text import CellRichText

        return CellRichText(text)
    return text


def sheet_title(name: object) -> str:
    """A worksheet name a workbook may hold: no character XML cannot hold, none of the
    characters Excel forbids in it (``[ ] : * ? / \\``), no apostrophe at either end, not blank
    and at most 31 characters."""
    text = re.sub(r"[\[\]:*?/\\]", "_", for_xml(name))[:31].strip("'")
    return text if text.strip() else "_"


def for_markdown(value: object) -> str:
    """Text for a Markdown line or table cell: one line, no markup of its own."""
    text = _LINE_BREAKS.sub(" ", _text(value))
    text = _BIDI.sub("", _CONTROL_ALL.sub(REPLACEMENT, text))
    return _MARKDOWN.sub(r"\\\1", text)


def for_terminal(value: object, *, keep_newlines: bool = False) -> str:
    """Text for a terminal or a CI log: no control sequences, no bidi overrides."""
    text = _text(value)
    if keep_newlines:
        text = _CONTROL.sub(REPLACEMENT, text.replace("\r", ""))
    else:
        text = _CONTROL_ALL.sub(REPLACEMENT, text)
    return _BIDI.sub("", text)


def for_xml(value: object) -> str:
    """Text for an XML 1.0 document: control characters and lone surrogates replaced."""
    return _CONTROL.sub(REPLACEMENT, _text(value))


#: what makes Excel, WPS or LibreOffice read a CSV field as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_csv(value: object) -> str:
    """A CSV field: no control characters but line breaks, and a field a spreadsheet would
    take for a formula (``=HYPERLINK(...)`` typed into a cell, a file named ``+1.xlsx``)
    starts with an apostrophe, so it is shown as the text it is."""
    if value is None:
        return ""
    text = _BIDI.sub("", _CONTROL.sub(REPLACEMENT, _text(value)))
    return "'" + text if text.startswith(_FORMULA_START) else text
