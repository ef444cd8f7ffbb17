"""The spreadsheet forms of the checks on the single figures of Attachments 2–5 (rules/figures.py,
the values as the reader judges them, rules/list_totals.py's sums, rules/previous.py): each
returns the check of one cell as formulas (see sheet_forms.py)."""

from __future__ import annotations

from collections.abc import Iterator

from shuangfu_cli.form.layout import Figure
from shuangfu_cli.rules.sheet_forms import (
    Sheet,
    SheetCheck,
    blank,
    figure_form,
    guarded,
    name_of,
    num,
    number,
    q,
    say,
    say_any,
    valid,
    value,
)

#: what a cell's value check says, in the reader's order (form/values.py parse_number)
VALUE_CODES = (
    "E_BLANK",
    "E_ERROR_VALUE",
    "E_NOT_NUMBER",
    "E_NEGATIVE",
    "E_NOT_WHOLE",
    "E_MONEY_DECIMALS",
    "E_TOO_LARGE",
    "E_YUAN_FOR_WANYUAN",
)
ERROR_TEXT = 'CHOOSE(ERROR.TYPE({x}),"#NULL!","#DIV/0!","#VALUE!","#REF!","#NAME?","#NUM!","#N/A")'


def value_code(
    x: str, vtype: str, most: object, if_blank: str | None, last: str = '""', n: str | None = None
) -> str:
    """The code of what is wrong with the value in `x` (``""`` when nothing is): the reader's
    verdict (parse_number, then the plausibility bound). `if_blank` is the code a blank cell
    gets (None: nothing), `last` what a value that passes gets; `n` the cell holding
    number(x), if there is one."""
    n = n or number(x)
    whole = f"ABS({n}-ROUND({n},0))>=0.000000001"
    decimals = f"ABS({n}*10000-ROUND({n}*10000,0))>=0.000001"
    steps = [
        (f"ISERROR({x})", q("E_ERROR_VALUE")),
        (blank(x), q(if_blank) if if_blank else '""'),
        (f"ISERROR({n})", q("E_NOT_NUMBER")),
        (f"{n}<0", q("E_NEGATIVE")),
        (
            whole if vtype == "count" else decimals,
            q("E_NOT_WHOLE" if vtype == "count" else "E_MONEY_DECIMALS"),
        ),
    ]
    if most is not None:
        too = q("E_TOO_LARGE")
        if vtype == "money":
            too = f'IF({n}<={num(most)}*10000,"E_YUAN_FOR_WANYUAN","E_TOO_LARGE")'
        steps.append((f"{n}>{num(most)}", too))
    out = last
    for cond, code in reversed(steps):
        out = f"IF({cond},{code},{out})"
    return out


def value_message(
    code: str, x: str, most: object, unit: str, money: bool, n: str | None = None, **params: str
) -> str:
    """The message of a value check's code (the formula `code`), as validate words it; only
    the parameters given (`params`) and those the value's codes need are filled in."""
    n = n or number(x)
    raw = f'{x}&""'
    # a whole number in full (an ID number typed in: as many digits as the program keeps)
    shown = f'IF(ISNUMBER({x}),IF({x}=INT({x}),TEXT({x},"0"),{raw}),{raw})'
    words = {"raw": f"IF(ISERROR({x}),{ERROR_TEXT.format(x=x)},{shown})"}
    if most is not None:
        words |= {"max": num(most), "unit": q(unit)}
        if money:
            wan = f'IF(ROUND({n}/10000,4)={n}/10000,"","≈")&ROUND({n}/10000,4)'
            words["wan"] = f'IFERROR({wan},"")'
    return say_any(code, **words, **params)


def derived(sheet: Sheet, code: str) -> str:
    """What validate takes a figure to be: a typed one's value, a total the sum of its parts,
    a list summary recomputed from the list."""
    f = sheet.layout.figures[code]
    if f.parts:
        return "(" + "+".join(derived(sheet, p) for p in f.parts) + ")"
    if f.summary is not None:
        return f"({sheet.summary(code)})"
    if sheet.val is not None:
        return sheet.val(code)
    return value(sheet.fig(code), f.vtype, sheet.bounds.get(code))


def _has_text_part(sheet: Sheet, f: Figure) -> str:
    """TRUE when a typed part of the total `f` holds a number stored as text."""
    texts = []
    for p in f.parts:
        pf = sheet.layout.figures[p]
        if pf.parts:
            texts.append(_has_text_part(sheet, pf))
        elif pf.is_input:
            texts.append(f"ISTEXT({sheet.fig(p)})")
    return f"OR({','.join(texts)})" if texts else "FALSE()"


def _totals_of(sheet: Sheet, code: str) -> list[Figure]:
    """The totals a typed figure is a part of (directly or through a subtotal)."""
    out = []
    f = sheet.layout.figures[code]
    while f.total is not None:
        f = sheet.layout.figures[f.total]
        out.append(f)
    return out


@figure_form(*VALUE_CODES, "E_NUMBER_AS_TEXT")
def typed_values(sheet: Sheet) -> Iterator[SheetCheck]:
    """Each typed figure: blank, an error value, not a number, negative, not whole, more than
    4 decimals, above its plausibility bound; a number stored as text that makes its total
    show an error or disagree (E_NUMBER_AS_TEXT, at the part)."""
    for f in sheet.layout.figures.values():
        if not f.is_input:
            continue
        x, most = sheet.fig(f.code), sheet.bounds.get(f.code)
        broken = [
            f"OR(ISERROR({sheet.fig(t.code)}),{sheet.fig(t.code)}<>{derived(sheet, t.code)})"
            for t in _totals_of(sheet, f.code)
        ]
        last = '""'
        if broken:
            last = (
                f'IF(AND(ISTEXT({x}),IFERROR(OR({",".join(broken)}),TRUE())),"E_NUMBER_AS_TEXT","")'
            )
        n = sheet.number_at(f.code) if sheet.number_at else None
        code = value_code(x, f.vtype, most, "E_BLANK", last, n)
        params = {"name": name_of(sheet, f.code)}
        if broken:
            params["kind_zh"] = "IF(ISERROR(VALUE(TRIM(" + x + '))),"（全角数字）","")'
            total = sheet.fig(_totals_of(sheet, f.code)[0].code)
            shown = q(f"表中的合计（{total.split('!')[-1].replace('$', '')}）因此显示错误值#VALUE!")
            params["effect_zh"] = f'IF(ISERROR({total}),{shown},"表中的合计公式不会计入它")'

        message = value_message(code, x, most, f.unit, f.vtype == "money", n, **params)
        yield SheetCheck(code, "error", f'{code}<>""', f.code, message, q(f.code))


@figure_form("E_TOTAL_SUM", "E_LIST_SUM")
def sums(sheet: Sheet) -> Iterator[SheetCheck]:
    """A total not the sum of its parts, a list summary not what its list adds up to (typed
    over the form's formula): compared only when every part holds a figure."""
    for f in sheet.layout.figures.values():
        if f.is_input:
            continue
        x = sheet.fig(f.code)
        stored = value(x, f.vtype, sheet.bounds.get(f.code))
        expected = derived(sheet, f.code)
        if f.parts:
            fails = guarded(
                f"AND(NOT({_has_text_part(sheet, f)}),ABS({stored}-{expected})>0.000000001)"
            )
            text = say("E_TOTAL_SUM", name=name_of(sheet, f.code), stored=stored, expected=expected)
            yield SheetCheck(q("E_TOTAL_SUM"), "error", fails, f.code, text, q(f.code))
        else:
            assert f.summary_of is not None
            lst = sheet.layout.list(f.summary_of).sheet.name
            fails = guarded(f"ABS({stored}-{expected})>0.000000001")
            text = say(
                "E_LIST_SUM",
                name=name_of(sheet, f.code),
                stored=stored,
                expected=expected,
                list=q(lst),
            )
            yield SheetCheck(q("E_LIST_SUM"), "error", fails, f.code, text, q(f.code))


def _limit_code(f: Figure) -> str:
    return {"TRAINED": "E_TRAINED_ABOVE_PLANNED", "FUNDED": "E_FUNDED_ABOVE_ELIGIBLE"}.get(
        f.related_col or "", "E_PART_ABOVE_TOTAL"
    )


@figure_form(
    "E_PART_ABOVE_TOTAL",
    "E_TRAINED_ABOVE_PLANNED",
    "E_FUNDED_ABOVE_ELIGIBLE",
    "E_PTIMES_BELOW_PERSONS",
)
def limits(sheet: Sheet) -> Iterator[SheetCheck]:
    """其中 ≤ its total, trained ≤ planned, funded ≤ eligible, person-times ≥ persons."""
    for f in sheet.layout.figures.values():
        if not f.is_input:
            continue
        v = derived(sheet, f.code)
        for limit in f.not_above:
            code = _limit_code(f)
            bound = derived(sheet, limit)
            params = {"name": name_of(sheet, f.code), "value": v, "bound": bound}
            if code == "E_PART_ABOVE_TOTAL":
                params["limit"] = name_of(sheet, limit)
            text = say(code, **params)
            yield SheetCheck(q(code), "error", guarded(f"{v}>{bound}"), f.code, text, q(f.code))
        for floor in f.not_below:
            bound = derived(sheet, floor)
            text = say("E_PTIMES_BELOW_PERSONS", name=name_of(sheet, f.code), value=v, bound=bound)
            fails = guarded(f"{v}<{bound}")
            yield SheetCheck(q("E_PTIMES_BELOW_PERSONS"), "error", fails, f.code, text, q(f.code))


@figure_form("E_AMOUNT_WITHOUT_FUNDED", "E_FUNDED_WITHOUT_AMOUNT", "W_AMOUNT_PER_STUDENT")
def stages(sheet: Sheet) -> Iterator[SheetCheck]:
    """Each stage's amount against its students funded: an amount without students, students
    without an amount, more than the threshold per student (a warning: 元 for 万元?)."""
    most = sheet.thresholds["amount_per_student"]
    for f in sheet.layout.figures.values():
        if f.related_col != "FUNDED" or f.total is None:
            continue
        amount = f.code.replace("_FUNDED", "_AMOUNT")
        n, money = derived(sheet, f.code), derived(sheet, amount)
        name = name_of(sheet, amount)
        yield SheetCheck(
            q("E_AMOUNT_WITHOUT_FUNDED"),
            "error",
            guarded(f"AND({n}=0,{money}<>0)"),
            amount,
            say("E_AMOUNT_WITHOUT_FUNDED", name=name, amount=money),
            q(amount),
        )
        yield SheetCheck(
            q("E_FUNDED_WITHOUT_AMOUNT"),
            "error",
            guarded(f"AND({n}<>0,{money}=0)"),
            amount,
            say("E_FUNDED_WITHOUT_AMOUNT", name=name, funded=n),
            q(amount),
        )
        yield SheetCheck(
            q("W_AMOUNT_PER_STUDENT"),
            "warning",
            guarded(f"AND({n}<>0,{money}<>0,{money}/{n}>{num(most)})"),
            amount,
            say("W_AMOUNT_PER_STUDENT", name=name, avg=f"ROUND({money}/{n},4)", max=num(most)),
            q(amount),
        )


@figure_form("W_CUMULATIVE_DECREASE")
def cumulative(sheet: Sheet) -> Iterator[SheetCheck]:
    """With --previous: a cumulative (flow) figure below last quarter's (a total falls only
    with a part, and is not checked)."""
    for f in sheet.layout.figures.values():
        prev = sheet.prev(f.code)
        if prev is None or f.parts or sheet.kinds.get(f.code) != "flow":
            continue
        v = derived(sheet, f.code)
        text = say(
            "W_CUMULATIVE_DECREASE",
            name=name_of(sheet, f.code),
            value=v,
            prev=prev,
            prev_period=q(sheet.prev_period),
            hint_zh='""',
        )
        fails = guarded(f"AND(ISNUMBER({prev}),{v}<{prev})")
        yield SheetCheck(q("W_CUMULATIVE_DECREASE"), "warning", fails, f.code, text, q(f.code))


@figure_form("W_COPIED_RETURN")
def copied(sheet: Sheet) -> Iterator[SheetCheck]:
    """With --previous of an earlier quarter of the year: every cumulative figure the same as
    last quarter's (at least `copy_min_figures` of them, none 0): the return sent again."""
    if not sheet.copy_min or sheet.prev_file is None:
        return
    pairs = []
    for f in sheet.layout.figures.values():
        prev = sheet.prev(f.code)
        if prev is None or not f.is_input or sheet.kinds.get(f.code) != "flow":
            continue
        pairs.append((derived(sheet, f.code), prev))
    if not pairs:
        return
    known = [f"IFERROR(AND(ISNUMBER({p}),{p}<>0,ISNUMBER({v})),FALSE())" for v, p in pairs]
    same = [f"IFERROR(AND(ISNUMBER({p}),{p}<>0,{v}={p}),FALSE())" for v, p in pairs]
    count = "+".join(f"N({k})" for k in known)
    equal = "+".join(f"N({s})" for s in same)
    fails = f"AND(({count})>={sheet.copy_min},({count})=({equal}))"
    text = say(
        "W_COPIED_RETURN",
        n=count,
        prev_period=q(sheet.prev_period),
        prev_file=q(sheet.prev_file),
    )
    period = sheet.layout.cover_field("period").name
    yield SheetCheck(q("W_COPIED_RETURN"), "warning", fails, period, text, '""')


@figure_form("E_VILLAGE_MISSING", "W_VILLAGE_MISSING")
def villages_present(sheet: Sheet) -> Iterator[SheetCheck]:
    """Each of the town's villages (the reference's) in its village list; a poor one missing is
    an error, another a warning. The finding has no cell: it is the list's."""
    lst = sheet.layout.list("villages")
    names = sheet.list_range("villages", lst.form.key)
    for village, kind in sheet.villages.items():
        poor = kind == sheet.poor_kind
        code = "E_VILLAGE_MISSING" if poor else "W_VILLAGE_MISSING"
        params = {"village": q(village)} | ({} if poor else {"kind": q(kind)})
        yield SheetCheck(
            q(code),
            "error" if poor else "warning",
            f"COUNTIF({names},{q(village)})=0",
            "",
            say(code, **params),
            q(village),
            where=lst.sheet.name,
        )


__all__ = ["derived", "value_code", "value_message", "valid"]
