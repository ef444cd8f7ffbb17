"""The spreadsheet forms of the checks on each row of the three lists (rules/list_rows.py,
rules/list_totals.py, rules/policy.py, and the reader's verdict on a list's cells): each returns
the check of one cell of one row as formulas over that row's cells (see sheet_forms.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from schemas.form import POOR_VILLAGE
from shuangfu_cli.form.findings import Severity
from shuangfu_cli.form.layout import Column, ListLayout
from shuangfu_cli.reading.list_reader import TOTAL_ROW_LABELS
from shuangfu_cli.rules.list_rows import FILL_HINTS
from shuangfu_cli.rules.sheet_figures import value_code, value_message
from shuangfu_cli.rules.sheet_forms import (
    Row,
    Sheet,
    SheetCheck,
    blank,
    guarded,
    num,
    q,
    row_form,
    say,
    value,
)


def rownum(lst: ListLayout, row: Row) -> str:
    """The row's number on the list's sheet."""
    return row.flags.get("row") or f"ROW({row.cell(lst.form.key)})"


def inside(lst: ListLayout, row: Row) -> str:
    """Above the list's closing line (the last cell of its ranges)."""
    rng = row.rng(lst.form.key)
    return f"{rownum(lst, row)}<ROW(INDEX({rng},ROWS({rng})))"


def _inside(lst: ListLayout, row: Row) -> str:
    return row.flags.get("inside") or inside(lst, row)


def _others(lst: ListLayout, row: Row) -> str:
    return (
        "OR("
        + ",".join(f"NOT({blank(row.cell(c.key))})" for c in lst.columns if c.key != lst.form.key)
        + ")"
    )


def is_row(lst: ListLayout, row: Row) -> str:
    return row.flags.get("is_row") or row_test(lst, row)


def row_test(lst: ListLayout, row: Row) -> str:
    """A workshop, village or class: inside the list, with a name that is not 合计 and not a
    note's (注:…), and something besides the name (a lone name is a note: reading/list_reader)."""
    name = row.cell(lst.form.key)
    totals = ",".join(f"TRIM({name})={q(t)}" for t in sorted(TOTAL_ROW_LABELS))
    note = f'OR(LEFT(TRIM({name}),2)="注:",LEFT(TRIM({name}),2)="注：")'
    return (
        f"AND({_inside(lst, row)},NOT({blank(name)}),NOT(OR({totals})),NOT({note}),"
        f"{_others(lst, row)})"
    )


def _nameless(lst: ListLayout, row: Row) -> str:
    return row.flags.get("nameless") or nameless_test(lst, row)


def nameless_test(lst: ListLayout, row: Row) -> str:
    """A row with figures but no name (E_LIST_NAME_MISSING)."""
    numbers = [f"ISNUMBER({row.cell(c.key)})" for c in lst.columns if c.vtype in ("count", "money")]
    return f"AND({_inside(lst, row)},{blank(row.cell(lst.form.key))},OR({','.join(numbers)}))"


def _names(sheet: Sheet) -> str:
    """The town's villages as an inline array (the reference's, written into the template)."""
    return "{" + ";".join(q(v) for v in sheet.villages) + "}" if sheet.villages else '{""}'


def _item(lst: ListLayout, row: Row) -> str:
    return f"TRIM({row.cell(lst.form.key)})"


def _summed(sheet: Sheet, lst: ListLayout, key: str) -> bool:
    return any(
        f.summary is not None
        and f.summary_of == lst.name
        and f.summary.op == "sum"
        and f.summary.column == key
        for f in sheet.layout.figures.values()
    )


def _counted_choices(sheet: Sheet, lst: ListLayout, key: str) -> list[str]:
    """The choices of a column a list summary counts (是 of 2020年新建): one typed with spaces
    around it is left out by the form's count (E_CHOICE_SPACES)."""
    out: list[str] = []
    for f in sheet.layout.figures.values():
        s = f.summary
        if s is not None and f.summary_of == lst.name and s.where == key:
            out += [v for v in s.values if v not in out]
    return out


def _cell_code(sheet: Sheet, lst: ListLayout, col: Column, row: Row) -> str:
    """The code of what is wrong in one cell of a list row (``""`` when nothing is)."""
    x = row.cell(col.key)
    incomplete = "E_LIST_ROW_INCOMPLETE" if col.required and col.key != lst.form.key else None
    if col.vtype in ("count", "money"):
        last = '""'
        if _summed(sheet, lst, col.key):
            v = _v(lst, row, col.key)
            last = f'IF(IFERROR(AND(ISTEXT({x}),{v}<>0),FALSE()),"E_NUMBER_AS_TEXT","")'
        return value_code(x, col.vtype, col.max, incomplete, last, row.flags.get(f"n_{col.key}"))
    steps = [
        (f"ISERROR({x})", q("E_ERROR_VALUE")),
        (blank(x), q(incomplete) if incomplete else '""'),
    ]
    if col.vtype == "date":
        steps.append(
            (f"AND(NOT(ISNUMBER({x})),ISERROR(DATEVALUE(TRIM({x}))))", q("E_INVALID_DATE"))
        )
    elif col.vtype == "choice":
        among = ",".join(f"TRIM({x})={q(c)}" for c in col.choices)
        steps.append((f"NOT(OR({among}))", q("E_INVALID_CHOICE")))
        counted = _counted_choices(sheet, lst, col.key)
        if counted:
            spaced = ",".join(f"TRIM({x})={q(c)}" for c in counted)
            steps.append((f"AND(TRIM({x})<>{x},OR({spaced}))", q("E_CHOICE_SPACES")))
    out = '""'
    for cond, code in reversed(steps):
        out = f"IF({cond},{code},{out})"
    return out


@row_form(
    "E_LIST_ROW_INCOMPLETE",
    "E_INVALID_DATE",
    "E_INVALID_CHOICE",
    "E_CHOICE_SPACES",
    "E_LIST_NAME_MISSING",
)
def row_cells(sheet: Sheet, lst: ListLayout, row: Row) -> Iterator[SheetCheck]:
    """Each cell of a row: filled where the list requires it, a figure, date or choice the
    column takes; a row with figures has a name."""
    name = row.cell(lst.form.key)
    for col in lst.columns:
        x = row.cell(col.key)
        if col.key == lst.form.key:
            label = q(col.label)
            text = say("E_LIST_NAME_MISSING", row=rownum(lst, row), label=label)
            yield SheetCheck(q("E_LIST_NAME_MISSING"), "error", _nameless(lst, row), col.key, text)
            continue
        if col.vtype == "text" and not col.required:
            continue
        code = row.flags.get(f"code_{col.key}") or cell_code(sheet, lst, col, row)
        zh, _en = FILL_HINTS[col.vtype]
        params = {"item": _item(lst, row), "row": rownum(lst, row)}
        if col.required:
            params |= {"label": q(col.label), "hint_zh": q(zh)}
        if col.vtype == "choice":
            params["choices"] = q("、".join(col.choices))
        if _summed(sheet, lst, col.key):
            params["kind_zh"] = "IF(ISERROR(VALUE(TRIM(" + x + '))),"（全角数字）","")'
            params["effect_zh"] = q("表中的合计公式不会计入它")
        money, n = col.vtype == "money", row.flags.get(f"n_{col.key}")
        message = value_message(code, x, col.max, col.unit or "", money, n, **params)
        yield SheetCheck(code, "error", f'{code}<>""', col.key, message, f"TRIM({name})")


def cell_code(sheet: Sheet, lst: ListLayout, col: Column, row: Row) -> str:
    """The code of what is wrong in one cell of a list row, for a row that is one (or has
    figures without a name)."""
    code = _cell_code(sheet, lst, col, row)
    return f'IF(OR({is_row(lst, row)},{_nameless(lst, row)}),{code},"")'


def _v(lst: ListLayout, row: Row, key: str) -> str:
    if row.val is not None:
        return row.val(key)
    col = lst.column(key)
    return value(row.cell(key), col.vtype, col.max)


def _check(
    lst: ListLayout,
    row: Row,
    code: str,
    severity: Severity,
    condition: str,
    key: str,
    **params: str,
) -> SheetCheck:
    fails = guarded(f"AND({is_row(lst, row)},{condition})")
    text = say(code, item=_item(lst, row), row=rownum(lst, row), **params)
    return SheetCheck(q(code), severity, fails, key, text, _item(lst, row))


@row_form("E_ROW_PART_ABOVE_TOTAL")
def row_parts(sheet: Sheet, lst: ListLayout, row: Row) -> Iterator[SheetCheck]:
    for col in lst.columns:
        if col.not_above:
            whole = lst.column(col.not_above)
            v, bound = _v(lst, row, col.key), _v(lst, row, whole.key)
            yield _check(
                lst,
                row,
                "E_ROW_PART_ABOVE_TOTAL",
                "error",
                f"{v}>{bound}",
                col.key,
                part=q(col.label),
                whole=q(whole.label),
                value=v,
                bound=bound,
            )


@row_form("E_CLASS_DAYS_SUM", "E_CLASS_DATE", "W_CLASS_DAYS", "W_CLASS_RATIO")
def classes(sheet: Sheet, lst: ListLayout, row: Row) -> Iterator[SheetCheck]:
    if lst.name != "classes":
        return
    t = sheet.thresholds
    days, room, fieldd = (_v(lst, row, k) for k in ("days", "classroom_days", "field_days"))
    yield _check(
        lst,
        row,
        "E_CLASS_DAYS_SUM",
        "error",
        f"{room}+{fieldd}<>{days}",
        "days",
        days=days,
        classroom=room,
        field=fieldd,
    )
    start = row.cell("start")
    first = f"DATE({sheet.year},1,1)"
    yield _check(
        lst,
        row,
        "E_CLASS_DATE",
        "error",
        f"AND(ISNUMBER({start}),OR({start}<{first},{start}>{sheet.period_end}))",
        "start",
        start=f'TEXT({start},"yyyy-mm-dd")',
        first=f'TEXT({first},"yyyy-mm-dd")',
        last=f'TEXT({sheet.period_end},"yyyy-mm-dd")',
    )
    yield _check(
        lst,
        row,
        "W_CLASS_DAYS",
        "warning",
        f"{days}<{num(t['class_min_days'])}",
        "days",
        days=days,
        min_days=num(t["class_min_days"]),
    )
    a, b = cast(tuple[int, int], t["class_ratio"])
    yield _check(
        lst,
        row,
        "W_CLASS_RATIO",
        "warning",
        f"AND({room}+{fieldd}<>0,{room}*{b}<>{fieldd}*{a})",
        "classroom_days",
        classroom=room,
        field=fieldd,
        ratio=q(f"{a}:{b}"),
    )


@row_form("W_WS_POOR_SHARE", "E_WS_VILLAGE_UNKNOWN")
def workshops(sheet: Sheet, lst: ListLayout, row: Row) -> Iterator[SheetCheck]:
    if lst.name != "workshops":
        return
    workers, poor = _v(lst, row, "workers"), _v(lst, row, "poor")
    share = num(sheet.thresholds["poor_share"])
    yield _check(
        lst,
        row,
        "W_WS_POOR_SHARE",
        "warning",
        f"AND({workers}<>0,{poor}<{share}*{workers})",
        "poor",
        poor=poor,
        workers=workers,
        share=f"ROUND(100*{poor}/{workers},1)",
        min_share=q(str(sheet.thresholds["share_percent"])),
    )
    village = row.cell("village")
    yield _check(
        lst,
        row,
        "E_WS_VILLAGE_UNKNOWN",
        "error",
        f"AND(NOT({blank(village)}),ISNA(MATCH(TRIM({village}),{_names(sheet)},0)))",
        "village",
        village=f"TRIM({village})",
        town=q(sheet.town),
    )


@row_form(
    "W_POORV_LEADERS",
    "W_OTHERV_LEADERS",
    "W_HOUSEHOLDS_PER_LEADER",
    "E_VILLAGE_DUPLICATE",
    "E_VILLAGE_UNKNOWN",
    "E_VILLAGE_KIND",
)
def villages(sheet: Sheet, lst: ListLayout, row: Row) -> Iterator[SheetCheck]:
    if lst.name != "villages":
        return
    t = sheet.thresholds
    stock, households = _v(lst, row, "stock"), _v(lst, row, "households")
    kind, name = f"TRIM({row.cell('kind')})", _item(lst, row)
    yield _check(
        lst,
        row,
        "W_POORV_LEADERS",
        "warning",
        f"AND({kind}={q(POOR_VILLAGE)},{stock}<{num(t['leaders_poor'])})",
        "stock",
        stock=stock,
        need=num(t["leaders_poor"]),
    )
    yield _check(
        lst,
        row,
        "W_OTHERV_LEADERS",
        "warning",
        f'AND({kind}<>"",{kind}<>{q(POOR_VILLAGE)},{stock}<{num(t["leaders_other"])})',
        "stock",
        stock=stock,
        kind=kind,
        need=num(t["leaders_other"]),
        has_zh=f'IF({stock}=0,"没有致富带头人","致富带头人"&{stock}&"人")',
    )
    need = f"{num(t['households_per_leader'])}*{stock}"
    yield _check(
        lst,
        row,
        "W_HOUSEHOLDS_PER_LEADER",
        "warning",
        f"AND({stock}<>0,{households}<{need})",
        "households",
        stock=stock,
        households=households,
        each=num(t["households_per_leader"]),
        need=need,
    )
    yield _check(
        lst,
        row,
        "E_VILLAGE_DUPLICATE",
        "error",
        f"COUNTIF({row.upto(lst.form.key)},{name})=2",
        "name",
    )
    yield _check(
        lst,
        row,
        "E_VILLAGE_UNKNOWN",
        "error",
        f"ISNA(MATCH({name},{_names(sheet)},0))",
        "name",
        town=q(sheet.town),
    )
    kinds = "{" + ";".join(q(k) for k in sheet.villages.values()) + "}"
    expected = f'IFERROR(INDEX({kinds},MATCH({name},{_names(sheet)},0)),"")'
    yield _check(
        lst,
        row,
        "E_VILLAGE_KIND",
        "error",
        f'AND({expected}<>"",{kind}<>{expected})',
        "kind",
        kind=kind,
        expected=expected,
    )


@row_form("E_LIST_TOTAL_ROW")
def total_rows(sheet: Sheet, lst: ListLayout, row: Row) -> Iterator[SheetCheck]:
    """A 合计 row a clerk added inside a list: the form counts it twice."""
    name = row.cell(lst.form.key)
    totals = ",".join(f"TRIM({name})={q(t)}" for t in sorted(TOTAL_ROW_LABELS))
    fails = f"AND({_inside(lst, row)},OR({totals}))"
    text = say("E_LIST_TOTAL_ROW", row=rownum(lst, row))
    yield SheetCheck(q("E_LIST_TOTAL_ROW"), "error", fails, lst.form.key, text)
