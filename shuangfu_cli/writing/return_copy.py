"""What a town's feedback copy is made of: its return's workbook as it was checked — the bytes
that were read and checked, never the path opened again — with nothing in it that acts or
points outside the workbook.

- An .xlsx (known by its content, whatever its name: ``.xls``, ``.et``) is loaded by openpyxl
  with its formulas, styles and names. openpyxl never keeps macros, ActiveX or OLE objects,
  data connections or query tables. Dropped here as well: the links to other workbooks
  (``xl/externalLinks`` with their ``file://``, UNC or web targets) and every defined name,
  input list (data validation) and conditional format that uses them; formulas that use them
  or reach outside (``HYPERLINK``, ``WEBSERVICE``, ``IMAGE``, ``RTD``, ``CALL``, ``REGISTER``,
  the ``CUBE`` functions, DDE), each replaced by the value it showed; hyperlinks to anything
  but a cell of the workbook (the cell keeps its text); pivot tables (their cache can be
  refreshed from a source outside). A template (.xltx) becomes a workbook.
- An .xls or .ods — or an .xlsx openpyxl cannot load although calamine read it (a character
  XML forbids) — is carried over: every sheet with its values as calamine reads them, each
  sheet named as a workbook may name it; text stays text.
"""

from __future__ import annotations

import io
import re

from shuangfu_cli.text.sanitize import for_xlsx, sheet_title

#: a reference into another workbook: ``[1]Sheet1!A1``, ``'[2]Sheet 1'!A1``, ``[1]!name``
#: (a table's column, ``Table1[2020]``, follows a name or a bracket, and is not one)
_OTHER_BOOK = re.compile(r"(?<![\w\]\[.])\[\d+\]")
#: functions that reach outside the workbook, and DDE (``cmd|' /c …'!A0``: a pipe is no
#: operator of a formula otherwise)
_OUTWARD = re.compile(
    r"(?<![\w.])(?:_xlfn\.|_xlws\.)?"
    r"(?:HYPERLINK|WEBSERVICE|IMAGE|RTD|CALL|REGISTER(?:\.ID)?|CUBE[A-Z]*|DDE[A-Z]*)\s*\(|\|",
    re.IGNORECASE,
)


#: a text in a formula ("…", a quote doubled inside): nothing in it is a reference
_STRING = re.compile(r'"(?:[^"]|"")*"')


def reaches_out(formula: object, dropped: re.Pattern | None = None) -> bool:
    """Whether a formula (or a name's definition) uses another workbook, reaches outside, or
    uses one of the names `dropped` matches (names that did). What is inside a text in it
    ("|3|6|9|", "HYPERLINK") is not looked at."""
    text = getattr(formula, "text", formula)  # an ArrayFormula holds its text
    if not isinstance(text, str):
        return False
    text = _STRING.sub('""', text)
    return bool(
        _OTHER_BOOK.search(text) or _OUTWARD.search(text) or dropped and dropped.search(text)
    )


def open_copy(data: bytes, fmt: str):
    """The workbook to mark, and the copy's name of each of the return's sheets (a sheet the
    copy has under another name: carried over; see :func:`sheet_title`)."""
    if fmt == "xlsx":
        try:
            wb = _load_xlsx(data)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - calamine read it for the check: carried over
            return _carried_over(data)
        return wb, {name: name for name in wb.sheetnames}
    return _carried_over(data)


def _load_xlsx(data: bytes):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), rich_text=False, keep_links=False)
    wb.template = False
    dropped = _drop_outward_names(wb)
    stale: list = []  # formula cells that reach out: replaced by the values they showed
    for ws in wb.worksheets:
        ws._pivots = []  # type: ignore[attr-defined]  # openpyxl's private list of pivot tables, absent from types-openpyxl
        for cell in list(ws._cells.values()):  # the cells there are (iter_rows makes more)
            link = cell.hyperlink
            if link is not None and link.target:  # outside the workbook (file://, http…)
                cell.hyperlink = None
            if cell.data_type == "f" and reaches_out(cell.value, dropped):
                stale.append(cell)
        dvs = ws.data_validations.dataValidation
        dvs[:] = [
            dv for dv in dvs
            if not (reaches_out(dv.formula1, dropped) or reaches_out(dv.formula2, dropped))
        ]  # fmt: skip
        for cf in ws.conditional_formatting:
            cf.rules[:] = [
                r for r in cf.rules if not any(reaches_out(f, dropped) for f in r.formula or ())
            ]
    if stale:
        shown = load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
        for cell in stale:
            cell.value = for_xlsx(shown[cell.parent.title][cell.coordinate].value)
    return wb


def _drop_outward_names(wb) -> re.Pattern | None:
    """Drop the defined names (the workbook's and each sheet's) that reach out, and those that
    use them; a pattern matching their use in a formula, None when none was dropped."""
    scopes = [wb.defined_names, *(ws.defined_names for ws in wb.worksheets)]
    gone: set[str] = set()
    pattern = None
    while True:  # a name may use a name that reaches out
        found = [
            (scope, name)
            for scope in scopes
            for name, defn in scope.items()
            if reaches_out(defn.attr_text, pattern)
        ]
        if not found:
            return pattern
        for scope, name in found:
            del scope[name]
            gone.add(name)
        words = "|".join(map(re.escape, sorted(gone, key=len, reverse=True)))
        # a use, not a longer name, a function, a table's column or a sheet ('封面'!B3)
        pattern = re.compile(rf"(?<![\w.\[\]])(?:{words})(?![\w(!\]])", re.IGNORECASE)


def _carried_over(data: bytes):
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the sheet a new workbook starts with
    names = {}
    for name in book.sheet_names:
        ws = wb.create_sheet(sheet_title(name))  # a name taken already is made unique
        names[name] = ws.title
        for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
            ws.append([for_xlsx(v) if v != "" else None for v in row])
    return wb, names
