"""The template checks itself: every rule with a spreadsheet form (rules/sheet_forms.py) is
compiled into formulas over the template's cells.

- hidden columns of the sheet 自查 (its last tab, protected) hold one line per check of one
  cell: the code it reports, the sheet and cell, the state (通过 / 错误 / 待说明 / 已说明), the
  message in validate's words (:data:`.selfcheck_sheet.DETAIL`); not a sheet of their own:
  LibreOffice takes as long to open an empty sheet as 2,000 of these formulas;
- the cell to change turns red (an error) or yellow (a warning not explained in 审核说明) by
  conditional formatting;
- the sheet 自查 (printed with the return, :mod:`.selfcheck_sheet`) gives the verdict, the
  problems and what to do, and the checks only the district runs; the cover shows the verdict;
- the workbook-level names CHECK_ERRORS and CHECK_WARNINGS hold the counts.

A list's checks are written for its rows as the template offers them plus `SPARE_ROWS` (rows
inserted beyond that are still marked red or yellow, but not listed nor counted).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from schemas.form import POOR_VILLAGE
from shuangfu_cli.form.findings import CATALOG
from shuangfu_cli.form.layout import ListLayout
from shuangfu_cli.rules import sheet_rows
from shuangfu_cli.rules.sheet_forms import (
    FIGURE_FORMS,
    ROW_FORMS,
    WORDS_COLUMNS,
    Row,
    Sheet,
    SheetCheck,
    number,
    q,
    thresholds,
    value,
    words_codes,
)
from shuangfu_cli.writing.template.formula_text import sheet_in_formula
from shuangfu_cli.writing.template.sections import LIST_LAST_ROW, Book
from shuangfu_cli.writing.template.selfcheck_sheet import (
    DATA_COLUMN,
    DETAIL,
    DETAIL_HEADER,
    PREVIOUS_COLUMNS,
    write_summary,
)
from shuangfu_cli.writing.template.selfcheck_sheet import SHEET as SUMMARY_SHEET

T = TypeVar("T")
_CODE = re.compile(r'"([EW]_[A-Z0-9_]+)"')
_REF = re.compile(r"\$[A-Z]+\$?\d+")


def _box(rng: str) -> tuple[int, int, int, int]:
    """A range's first column, first row, last column and last row (sheet and $ left out)."""
    c1, r1, c2, r2 = range_boundaries(rng.split("!")[-1].replace("$", ""))
    assert c1 is not None and r1 is not None and c2 is not None and r2 is not None, rng
    return c1, r1, c2, r2


#: rows checked (each a line of the checks) below a list's rows as the template offers them
SPARE_ROWS = 20
ERROR_FILL = PatternFill("solid", fgColor="FF8080", bgColor="FF8080")
WARNING_FILL = PatternFill("solid", fgColor="FFE040", bgColor="FFE040")
#: the states, as 自查 says them
PASS, ERROR, TO_EXPLAIN, EXPLAINED = "通过", "错误", "待说明", "已说明"
#: the names the conditional formats read the checks' lines by: the sheet, cell and state
MARK_NAMES = {"CHECK_SHEETS": "sheet", "CHECK_CELLS": "cell", "CHECK_STATES": "state"}


@dataclass(frozen=True)
class LastQuarter:
    """The town's last valid return, for the checks against last quarter (--previous)."""

    period: str
    file: str
    values: Mapping[str, object]
    copy_min: int = 0  # the plausibility settings' copy_min_figures (0: not checked)


def _period_end(period: str) -> str:
    year, quarter = int(period[:4]), int(period[-1])
    end = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return f"DATE({end.year},{end.month},{end.day})"


def sheet_of(book: Book, last: LastQuarter | None, ws: Worksheet) -> Sheet:
    """What the sheet forms need to know of this template; last quarter's figures are written
    into the hidden columns of 自查 (`ws`) that the checks against them read."""
    from shuangfu_cli.writing.template.forms import formula

    layout = book.layout
    prev_refs: dict[str, str] = {}
    if last is not None:
        code_col, value_col = PREVIOUS_COLUMNS
        ws[f"{code_col}1"] = "上期指标代码"
        ws[f"{value_col}1"] = f"上期数（{last.period}）"
        for i, code in enumerate(layout.figures, start=2):
            v = last.values.get(code)
            ws[f"{code_col}{i}"] = code
            if isinstance(v, int | float) or hasattr(v, "as_tuple"):
                at = f"{value_col}{i}"
                ws[at] = float(v) if not isinstance(v, int) else v  # type: ignore[arg-type]
                prev_refs[code] = f"${value_col}${i}"
    same_year = (
        last is not None and last.period[:4] == book.period[:4] and last.period < book.period
    )

    def list_range(name: str, key: str) -> str:
        return book.list_ranges[(name, key)]

    return Sheet(
        layout=layout,
        fig=lambda code: book.figure_cells[code],
        bounds=book.bounds,
        names={i.code: (i.name_zh, i.name_en) for i in book.registry.indicators},
        thresholds=thresholds(book.policy),
        villages={v.name: v.kind for v in book.town.villages},
        town=book.town.name,
        year=int(book.period[:4]),
        period_end=_period_end(book.period),
        prev=prev_refs.get,
        prev_period=last.period if last else "",
        prev_file=last.file if last and same_year else None,
        kinds={i.code: i.kind for i in book.registry.indicators},
        summary=lambda code: formula(book, layout.figures[code])[1:],
        list_range=list_range,
        copy_min=last.copy_min if last else 0,
        poor_kind=POOR_VILLAGE,
    )


def _unique(forms: Mapping[str, T]) -> list[T]:
    return list(dict.fromkeys(forms.values()))


class Data:
    """What the checks read, computed once, in columns right of the checks' lines: each
    typed figure's value as validate reads it, and each list row's cells, values and flags (by
    INDEX into the list's ranges: rows inserted above a row move it)."""

    def __init__(self, book: Book, sheet: Sheet, ws: Worksheet):
        self.book, self.sheet, self.ws = book, sheet, ws
        self.row = 2
        self.last_column = DATA_COLUMN + 2  # the rightmost column written
        #: the codes a cell computed here may say, by its reference
        self.codes: dict[str, set[str]] = {}
        self.vals: dict[str, str] = {}
        self.numbers: dict[str, str] = {}
        a, b, c = (get_column_letter(DATA_COLUMN + i) for i in range(3))
        for f in book.layout.figures.values():
            if f.is_input:
                r, x = self.row, book.figure_cells[f.code]
                self.ws[f"{a}{r}"] = f.code
                self.ws[f"{c}{r}"] = f"=IFERROR({number(x)},NA())"
                n = f"${c}${r}"
                self.ws[f"{b}{r}"] = "=" + value(x, f.vtype, book.bounds.get(f.code), n)
                self.vals[f.code], self.numbers[f.code] = f"${b}${r}", n
                self.row += 1

    def said_by(self, code: str) -> set[str]:
        """The codes the formula `code` of a check may give: those it names, and those of
        the cells computed here that it reads."""
        out = set(_CODE.findall(code))
        for ref in _REF.findall(code):
            out |= self.codes.get(ref, set())
        return out

    def list_row(self, lst: ListLayout, k: int) -> Row:
        """Row `k` of the list's ranges (1: the header), its cells mirrored here."""
        ranges = {c.key: self.book.list_ranges[(lst.name, c.key)] for c in lst.columns}
        r, ws = self.row, self.ws
        self.row += 1
        c = DATA_COLUMN

        def put(formula: str | int) -> str:
            # row-relative: every row of a list has the same formulas (R1C1), which a
            # spreadsheet program compiles once for the whole column
            nonlocal c
            ws.cell(r, c, formula)
            self.last_column = max(self.last_column, c)
            c += 1
            ref = f"${get_column_letter(c - 1)}{r}"
            if isinstance(formula, str):
                self.codes[ref] = set(_CODE.findall(formula))
            return ref

        put(lst.name)
        at_k = put(k)
        flags: dict[str, str] = {
            "row": put(f'=IFERROR(ROW(INDEX({ranges[lst.form.key]},{at_k})),"")')
        }
        raw: dict[str, str] = {}
        for col in lst.columns:
            at = f"INDEX({ranges[col.key]},{at_k})"
            raw[col.key] = put(f'=IFERROR(IF(LEN({at}&"")=0,"",{at}),{at})')
            if col.vtype in ("count", "money"):
                n = put(f"=IFERROR({number(raw[col.key])},NA())")
                flags[f"n_{col.key}"] = n
                flags[f"v_{col.key}"] = put("=" + value(raw[col.key], col.vtype, col.max, n))

        def upto(key: str) -> str:
            return f"INDEX({ranges[key]},1):INDEX({ranges[key]},{at_k})"

        def env() -> Row:
            return Row(
                cell=raw.__getitem__,
                upto=upto,
                rng=ranges.__getitem__,
                val=lambda key: flags[f"v_{key}"],
                flags=dict(flags),
            )

        for name, test in (
            ("inside", sheet_rows.inside),
            ("is_row", sheet_rows.row_test),
            ("nameless", sheet_rows.nameless_test),
        ):
            flags[name] = put(f"=IFERROR({test(lst, env())},FALSE())")
        for col in lst.columns:
            if col.key != lst.form.key and (col.vtype != "text" or col.required):
                code = sheet_rows.cell_code(self.sheet, lst, col, env())
                flags[f"code_{col.key}"] = put(f'=IFERROR({code},"")')
        return env()


class Explained:
    """Whether 审核说明 answers a warning: a row with its code and its cell, or its code and what
    it is about (check/explanations.py), and a text."""

    def __init__(self, book: Book):
        cols = {}
        for key in ("code", "cell", "subject", "text"):
            rng = book.list_ranges[("explanations", key)]
            sheet = sheet_in_formula(rng.split("!")[0])
            letter = get_column_letter(_box(rng)[0])
            cols[key] = f"{sheet}!${letter}:${letter}"
        self.cols = cols

    def __call__(self, code: str, cell: str, subject: str) -> str:
        c = self.cols
        by_cell = f'COUNTIFS({c["code"]},{code},{c["cell"]},{cell},{c["text"]},"<>")'
        by_subject = (
            f'IF({subject}="",0,COUNTIFS({c["code"]},{code},{c["subject"]},{subject},'
            f'{c["text"]},"<>"))'
        )
        return f"({by_cell}+{by_subject})>0"


def _place(book: Book, check: SheetCheck) -> tuple[str, str]:
    """The sheet and cell of a single figure's check (a village missing: the list's sheet)."""
    if not check.target:
        return check.where, ""
    sheet, ref = book.figure_cells[check.target].split("!")
    return sheet.strip("'"), ref.replace("$", "")


def _figure_checks(sheet: Sheet) -> Iterator[SheetCheck]:
    for form in _unique(FIGURE_FORMS):
        yield from form(sheet)


def write_selfcheck(book: Book, last: LastQuarter | None = None) -> int:
    """Compile the checks into the workbook: the sheet 自查 with the checks' lines, the marks,
    the names and the cover's verdict. Returns the number of checks written."""
    ws = book.wb.create_sheet(SUMMARY_SHEET)  # the last tab
    sheet = sheet_of(book, last, ws)
    for key, header in DETAIL_HEADER.items():
        ws[f"{DETAIL[key]}1"] = header
    data = Data(book, sheet, ws)
    sheet = dataclasses.replace(
        sheet, val=data.vals.__getitem__, number_at=data.numbers.__getitem__
    )
    data.sheet = sheet
    _words(ws)
    explained = Explained(book)
    row = 2
    #: the lines each code may be said on (a value check says one of several)
    lines_of: dict[str, list[int]] = {}

    def line(check: SheetCheck, sheet_name: str, cell: str) -> None:
        nonlocal row
        r = row
        a, c, d, e, g, h = (
            f"{DETAIL[k]}{r}" for k in ("code", "cell", "state", "message", "row", "explained")
        )
        fails_is_code = check.fails == f'{check.code}<>""'
        body = check.code if fails_is_code else f'IF({check.fails},{check.code},"")'
        ws[a] = f'=IFERROR({body},"")'
        ws[f"{DETAIL['sheet']}{r}"] = sheet_name
        ws[c] = cell
        if check.severity == "warning":  # errors are corrected, not explained
            ws[h] = f'=IF({a}="",FALSE(),{explained(a, c, check.subject)})'
            state = f"IF({h},{q(EXPLAINED)},{q(TO_EXPLAIN)})"
        else:
            state = q(ERROR)
        ws[d] = f'=IF({a}="",{q(PASS)},{state})'
        ws[e] = f'=IF({a}="","",IFERROR({check.message},""))'
        # its own row number when it finds a problem: 自查 lists the problems by SMALL (a
        # running count would chain 1,535 cells, each waiting for the one above)
        ws[g] = f'=IF({a}="","",ROW())'
        for code in data.said_by(check.code):
            lines_of.setdefault(code, []).append(r)
        row += 1

    for check in _figure_checks(sheet):
        line(check, *_place(book, check))
    for lst in book.layout.lists:
        letters = _letters(book, lst)
        rows = [data.list_row(lst, k) for k in range(2, _list_rows(book, lst) + SPARE_ROWS + 2)]
        checks = [[c for form in _unique(ROW_FORMS) for c in form(sheet, lst, env)] for env in rows]
        kinds = [(c.target, c.severity) for c in checks[0]]
        if any([(c.target, c.severity) for c in row_checks] != kinds for row_checks in checks):
            raise ValueError(f"the rows of {lst.name} are not checked alike")
        # check by check, each down the list's rows: a check's lines have the same formulas
        # (R1C1), compiled once (one line a row, row by row, made LibreOffice open the
        # template 2.1 times slower than without the checks)
        for j in range(len(checks[0])):
            for env, row_checks in zip(rows, checks):  # noqa: B905 (same length: one per row)
                check, number = row_checks[j], env.flags["row"]
                addr = f'=IF({number}="","",{q(letters[check.target])}&{number})'
                line(check, lst.sheet.name, addr)
    _marks(book, ws.title, row - 1)
    write_summary(book, ws, row - 1, data.last_column, lines_of)
    return row - 2


def _words(ws: Worksheet) -> None:
    """The message templates the checks' messages are made from."""
    code_col, words_col = WORDS_COLUMNS
    for i, code in enumerate(words_codes(), start=1):
        ws[f"{code_col}{i}"] = code
        ws[f"{words_col}{i}"] = CATALOG[code].zh


def _letters(book: Book, lst: ListLayout) -> dict[str, str]:
    out = {}
    for col in lst.columns:
        out[col.key] = get_column_letter(_box(book.list_ranges[(lst.name, col.key)])[0])
    return out


def _list_rows(book: Book, lst: ListLayout) -> int:
    _, r1, _, r2 = _box(book.list_ranges[(lst.name, lst.form.key)])
    return r2 - r1  # the rows between the header and the closing line, and the line


def _marks(book: Book, detail: str, last: int) -> None:
    """Red (an error) or yellow (a warning to verify) on each checked cell, as its line says its
    state, by its sheet and address: a list row's address moves with the rows inserted above
    it, so the formats of a list cover its columns down to LIST_LAST_ROW."""
    d = quote_sheetname(detail)
    # by workbook-level names: a conditional format may not point at another sheet in an .xls
    # (BIFF8), but a name may
    for name, key in MARK_NAMES.items():
        col = DETAIL[key]
        ref = f"{d}!${col}$2:${col}${last}"
        book.wb.defined_names[name] = DefinedName(name, attr_text=ref)

    def rule(sheet_name: str, cell: str, state: str) -> str:
        return (
            f"COUNTIFS(CHECK_SHEETS,{q(sheet_name)},CHECK_CELLS,{cell},CHECK_STATES,{q(state)})>0"
        )

    here = "ADDRESS(ROW(),COLUMN(),4)"
    for sheet_layout in book.layout.sheets:
        ws = book.wb[sheet_layout.sheet.name]
        cells = [
            book.figure_cells[f.code].split("!")[1].replace("$", "")
            for b in sheet_layout.blocks
            for f in b.figures
        ]
        area = " ".join(cells)
        _paint(ws, area, rule(ws.title, here, ERROR), rule(ws.title, here, TO_EXPLAIN))
    for lst in book.layout.lists:
        ws = book.wb[lst.sheet.name]
        first = _box(book.list_ranges[(lst.name, lst.form.key)])[1] + 1
        letters = _letters(book, lst).values()
        area = " ".join(f"{c}{first}:{c}{LIST_LAST_ROW}" for c in letters)
        _paint(ws, area, rule(ws.title, here, ERROR), rule(ws.title, here, TO_EXPLAIN))


def _paint(ws: Worksheet, area: str, red: str, yellow: str) -> None:
    ws.conditional_formatting.add(
        area, FormulaRule(formula=[red], fill=ERROR_FILL, stopIfTrue=True)
    )
    ws.conditional_formatting.add(area, FormulaRule(formula=[yellow], fill=WARNING_FILL))
