"""Each rule's spreadsheet form: the same check written as Excel formulas over the template's
cells, so that the template the district sends out checks itself as the clerk types (the 自查
sheet, writing/template/selfcheck.py).

Every code of the catalogue is either here, with a function that writes its check as formulas
(`FIGURE_FORMS` for the single figures, `ROW_FORMS` for each row of a list), or in
`DISTRICT_ONLY` with the reason only the district can check it. tests/test_selfcheck.py fails
when a code has neither. A rule's spreadsheet form lives beside its family: the figures' in
sheet_figures.py, the lists' in sheet_rows.py.

Only functions Excel 2010, WPS and LibreOffice 7 evaluate alike: SUM, SUMIFS, COUNTIFS, IF,
AND, OR, ISNUMBER, ISTEXT, ISERROR, IFERROR, VALUE, ASC, TRIM, LEN, INT, ROUND, ABS, INDEX,
ROW, COLUMN, ADDRESS, TEXT, SMALL, TRUE() and FALSE() — no dynamic arrays, LET, LAMBDA, macros or external links.

The functions return formula text without the leading ``=``; they never see a workbook (this
wing may not import writing/).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from schemas import Policy
from shuangfu_cli.form.findings import CATALOG, Severity, return_codes, zh_prose
from shuangfu_cli.form.layout import Column, FormLayout, ListLayout
from shuangfu_cli.text.words import both


@dataclass(frozen=True)
class SheetCheck:
    """One check of one cell written as formulas. `code`, `message` and `subject` are formulas
    too (most often a quoted text): a value check says one of several codes."""

    code: str
    severity: Severity
    fails: str  # TRUE when the check fails
    target: str  # the figure's code, or the list column's key
    message: str  # what validate says, in Chinese, built by text concatenation
    subject: str = '""'  # what an explanation may name instead of the cell
    #: the sheet of a finding without a cell (a village missing from the list)
    where: str = ""


@dataclass(frozen=True)
class Sheet:
    """What the template tells the sheet forms: where each figure is and what it knows."""

    layout: FormLayout
    fig: Callable[[str], str]  # a figure's absolute cell reference
    bounds: Mapping[str, int]  # each figure's plausibility bound
    names: Mapping[str, tuple[str, str]]  # each figure's (Chinese, English) name
    thresholds: Mapping[str, object]
    villages: Mapping[str, str]  # the town's villages and their kind (the reference's)
    town: str
    year: int
    period_end: str  # DATE(y,m,d) of the quarter's last day
    #: a figure's value last quarter (a cell of the hidden sheet), None without --previous
    prev: Callable[[str], str | None] = lambda code: None
    prev_period: str = ""
    prev_file: str | None = None
    kinds: Mapping[str, str] = field(default_factory=dict)  # flow or stock, by code
    #: a list summary's own formula (the template's), by code
    summary: Callable[[str], str] = lambda code: "NA()"
    #: a list column's whole range (header to closing line), by list name and column key
    list_range: Callable[[str, str], str] = lambda name, key: ""
    copy_min: int = 0  # W_COPIED_RETURN: at least this many cumulative figures
    poor_kind: str = "贫困村"
    #: the figure validate reads from a typed figure's cell (a cell computed once), None:
    #: computed in place
    val: Callable[[str], str] | None = None
    #: the cell holding number(x) of a typed figure, None: computed in place
    number_at: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Row:
    """One row of a list as formulas: `cell(key)` is the row's cell in a column, `upto(key)`
    the column's range from the list's header down to this row."""

    cell: Callable[[str], str]
    upto: Callable[[str], str]
    rng: Callable[[str], str]  # the column's whole range (header to closing line)
    #: the figure validate reads from a cell (a cell computed once), None: computed in place
    val: Callable[[str], str] | None = None
    #: what is computed once for the row: "row" (its number on the list's sheet), "inside",
    #: "is_row", "nameless" (see sheet_rows.py); absent: computed in place
    flags: Mapping[str, str] = field(default_factory=dict)


FigureForm = Callable[[Sheet], Iterator[SheetCheck]]
RowForm = Callable[[Sheet, ListLayout, Row], Iterator[SheetCheck]]

FIGURE_FORMS: dict[str, FigureForm] = {}
ROW_FORMS: dict[str, RowForm] = {}


def figure_form(*codes: str) -> Callable[[FigureForm], FigureForm]:
    """Register the spreadsheet form of the checks of `codes` on the single figures."""

    def deco(fn: FigureForm) -> FigureForm:
        for code in codes:
            FIGURE_FORMS[code] = fn
        return fn

    return deco


def row_form(*codes: str) -> Callable[[RowForm], RowForm]:
    """Register the spreadsheet form of the checks of `codes` on each row of a list."""

    def deco(fn: RowForm) -> RowForm:
        for code in codes:
            ROW_FORMS[code] = fn
        return fn

    return deco


def compiled_codes() -> set[str]:
    return set(FIGURE_FORMS) | set(ROW_FORMS)


#: the codes only the district checks, with the reason (a key of the catalogue's section
#: ``district_only``)
_DISTRICT_ONLY_WHY = {
    "E_UNREADABLE": "structure",
    "E_SHEET_MISSING": "structure",
    "E_SHEET_TOO_LARGE": "structure",
    "E_SHEET_AMBIGUOUS": "structure",
    "E_LABEL_MISSING": "structure",
    "W_EXPLANATION_UNMATCHED": "explanations",
    "E_TOWN_UNKNOWN": "cover",
    "E_PERIOD_INVALID": "cover",
    "E_PERIOD_MISMATCH": "cover",
    "E_FORM_PERIOD_MISMATCH": "cover",
    "E_COVER_BLANK": "cover",
    "E_DATE_BEFORE_PERIOD_END": "cover",
    "E_PERIOD_NAME_MISMATCH": "file_name",
    "E_TOWN_VILLAGES_MISMATCH": "cover",
    "E_LIST_NOTE": "lists",
    "E_LIST_ROW_OUTSIDE": "lists",
    "W_PEER_OUTLIER": "peers",
    "W_JUMP": "history",
    "W_STOCK_CHANGE": "history",
    "W_EXTRA_DIGIT": "history",
    "W_DROPPED_DIGIT": "history",
    "W_YUAN_FOR_WANYUAN": "history",
    "W_DIGITS_SWAPPED": "history",
    "W_ROWS_EXCHANGED": "history",
}
#: the codes only the district checks, with the reason (Chinese, English)
DISTRICT_ONLY: dict[str, tuple[str, str]] = {
    code: both("district_only", why) for code, why in _DISTRICT_ONLY_WHY.items()
}

#: the codes checked against last quarter's figures: compiled in a template made with
#: --previous only
AGAINST_LAST_QUARTER = frozenset({"W_CUMULATIVE_DECREASE", "W_COPIED_RETURN"})

#: the codes about what a town types into its forms and lists (not the cover nor the
#: workbook's structure): the share of them compiled is measured (benchmarks/selfcheck.py)
NOT_FIGURES = frozenset(
    {
        "E_UNREADABLE",
        "E_SHEET_MISSING",
        "E_SHEET_TOO_LARGE",
        "E_SHEET_AMBIGUOUS",
        "E_LABEL_MISSING",
        "W_EXPLANATION_UNMATCHED",
        "E_TOWN_UNKNOWN",
        "E_PERIOD_INVALID",
        "E_PERIOD_MISMATCH",
        "E_FORM_PERIOD_MISMATCH",
        "E_COVER_BLANK",
        "E_DATE_BEFORE_PERIOD_END",
        "E_PERIOD_NAME_MISMATCH",
        "E_TOWN_VILLAGES_MISMATCH",
    }
)


def figure_codes() -> list[str]:
    return [c for c in return_codes() if c not in NOT_FIGURES]


def thresholds(policy: Policy) -> dict[str, object]:
    """The policy thresholds the compiled checks use, read in this one place: the reference
    data's (``policy:``), as validate reads them."""
    return {
        "poor_share": policy.poor_share,
        "share_percent": policy.share_percent,
        "leaders_poor": policy.leaders_per_poor_village,
        "leaders_other": policy.leaders_per_other_village,
        "households_per_leader": policy.households_per_leader,
        "class_min_days": policy.class_min_days,
        "class_ratio": (policy.class_classroom_days, policy.class_field_days),
        "amount_per_student": policy.max_amount_per_student,
    }


# --- formula text --------------------------------------------------------------------------


def q(text: str) -> str:
    """A text as a formula's string literal."""
    return '"' + str(text).replace('"', '""') + '"'


def num(x: object) -> str:
    """A Python number as a formula's number."""
    if isinstance(x, Decimal):
        return format(x.normalize(), "f")
    return str(x)


_PARAM = re.compile(r"\{(\w+)\}")

#: every code's Chinese message template, one a row from row 1 (the catalogue's codes sorted),
#: in two columns of the sheet the checks are written on: the messages are made from them
WORDS_COLUMNS = ("BA", "BB")


def words_codes() -> list[str]:
    return return_codes()


def _words_cell(code: str) -> str:
    return f"${WORDS_COLUMNS[1]}${words_codes().index(code) + 1}"


def _fill(template: str, names: list[str], params: Mapping[str, str]) -> str:
    out = template
    for name in names:
        out = f'SUBSTITUTE({out},"{{{name}}}",{params[name]})'
    return out


def say(code: str, **params: str) -> str:
    """The code's Chinese message as a formula: its template (a cell of `WORDS_COLUMNS`) with
    each parameter replaced by the formula given for it (`params`)."""
    names = list(dict.fromkeys(_PARAM.findall(CATALOG[code].zh)))
    return _fill(_words_cell(code), names, params)


def say_any(code: str, **params: str) -> str:
    """The message of the code the formula `code` gives, with every parameter of `params`
    replaced (a value check: one of several codes)."""
    codes, words = (f"${c}$1:${c}${len(return_codes())}" for c in WORDS_COLUMNS)
    return _fill(f"INDEX({words},MATCH({code},{codes},0))", list(params), params)


def name_of(sheet: Sheet, code: str) -> str:
    """A figure's name as the messages say it: 其中：区外（EMP_TRANSFER_OUTSIDE）."""
    zh = sheet.names.get(code)
    return q(f"{zh_prose(zh[0]) if zh else code}（{code}）")


def blank(x: str) -> str:
    return f'IFERROR(LEN(TRIM({x}&""))=0,FALSE())'


def number(x: str) -> str:
    """The number a cell holds, typed as a number or as text (full-width digits, spaces,
    thousands separators); an error when it holds none."""
    return f'IF(ISNUMBER({x}),{x},VALUE(SUBSTITUTE(ASC(TRIM({x})),",","")))'


def valid(x: str, vtype: str, most: object, n: str | None = None) -> str:
    """TRUE when the cell holds a figure validate accepts (an error value is FALSE); `n`: the
    cell holding number(x), if there is one."""
    n = n or number(x)
    whole = (
        f"ABS({n}-ROUND({n},0))<0.000000001"
        if vtype == "count"
        else (f"ABS({n}*10000-ROUND({n}*10000,0))<0.000001")
    )
    parts = [f"NOT({blank(x)})", f"{n}>=0", whole]
    if most is not None:
        parts.append(f"{n}<={num(most)}")
    return f"IFERROR(AND({','.join(parts)}),FALSE())"


def value(x: str, vtype: str, most: object, n: str | None = None) -> str:
    """The figure validate reads from the cell, or #N/A when it reads none (a check over it
    is then FALSE: wrapped in IFERROR)."""
    return f"IF({valid(x, vtype, most, n)},{n or number(x)},NA())"


def guarded(condition: str) -> str:
    """A check's condition, FALSE where a cell it needs holds no figure."""
    return f"IFERROR({condition},FALSE())"


def column_most(col: Column) -> object:
    return col.max


# importing the modules registers their spreadsheet forms
from shuangfu_cli.rules import sheet_figures, sheet_rows  # noqa: E402,F401,I001
