"""One sanitiser per output channel, for every piece of text that came from a return or a file
name: a town clerk's cell, a cover field, a path.

- :func:`for_xlsx` — what the XML of a workbook cannot hold (control characters, lone
  surrogates) is replaced, so openpyxl never raises and never writes a corrupt file.
- :func:`for_markdown` — one line, with table pipes, HTML and link/emphasis syntax neutralised.
- :func:`for_terminal` — no C0/C1 control characters (no escape sequences: no colours, no
  clear-screen, no hyperlinks), no bidirectional overrides; rich markup is escaped by the
  terminal module itself.
- :func:`for_xml` — text for an XML 1.0 document (JUnit): what it cannot hold is replaced.
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
_SURROGATE = re.compile(r"[\ud800-\udfff]")
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
    return _SURROGATE.sub(REPLACEMENT, text)


def for_xlsx(value):
    """A cell value for openpyxl: text without what XML 1.0 cannot hold; numbers as they are."""
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return value
    return _CONTROL.sub(REPLACEMENT, _text(value))


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
