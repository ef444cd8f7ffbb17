"""核实性审核 against the town's own history (``--previous``, and quarter after quarter in
`trend`): a figure far out of line with the town's pace so far, and the slip that probably made
it (slips.py) — each a warning at the cell to check, answered in 审核说明 like any other.

:func:`suspects` is pure (figures in, suspects out): the rule below runs it on one return in
its worker, and `trend` on its quarters, each placing the suspects at their cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import PurePath
from typing import cast

from schemas import Indicator, Plausibility
from shuangfu_cli.form.findings import Finding, define, unit_in
from shuangfu_cli.form.layout import Figure, form_layout
from shuangfu_cli.rules import Context, rule
from shuangfu_cli.rules.slips import (
    History,
    Number,
    exchange_gain,
    exchanged_exactly,
    explain,
    in_line,
    out_of_line,
    stock_restored,
    times,
)
from shuangfu_cli.text.words import pairs

#: the codes of the plausibility checks (history and peers): what the district sees as the
#: figures of its 通报 that rest on a doubt
PLAUSIBILITY_CODES = (
    "W_JUMP",
    "W_STOCK_CHANGE",
    "W_EXTRA_DIGIT",
    "W_DROPPED_DIGIT",
    "W_YUAN_FOR_WANYUAN",
    "W_DIGITS_SWAPPED",
    "W_ROWS_EXCHANGED",
    "W_COPIED_RETURN",
    "W_PEER_OUTLIER",
)

_SLIP_CODES = {
    "yuan": "W_YUAN_FOR_WANYUAN",
    "extra_digit": "W_EXTRA_DIGIT",
    "dropped_digit": "W_DROPPED_DIGIT",
    "swapped": "W_DIGITS_SWAPPED",
}

_CHECK = "请核实；如数字无误，请在审核说明中写明原因"
_CHECK_EN = "check it; if the figure is right, say why in 审核说明"

MESSAGES = {
    "W_JUMP": (
        "{name}{history_zh}。" + _CHECK,
        "{name}: {history_en}. Far out of line with the town's own pace: " + _CHECK_EN,
    ),
    "W_STOCK_CHANGE": (
        "{name}{history_zh}，变动远超正常范围。" + _CHECK,
        "{name}: {history_en}, far more change than usual: " + _CHECK_EN,
    ),
    "W_EXTRA_DIGIT": (
        "{name}{history_zh}。请核实是否多输了一位数字（是否应为{guess}）",
        "{name}: {history_en}. Was a digit typed twice (should it be {guess})?",
    ),
    "W_DROPPED_DIGIT": (
        "{name}{history_zh}。请核实是否漏输了一位数字（是否应为{guess}）",
        "{name}: {history_en}. Was a digit dropped (should it be {guess})?",
    ),
    "W_YUAN_FOR_WANYUAN": (
        "{name}{history_zh}。请核实是否按元（或百元）填写了金额：本栏单位为万元（是否应为{guess}）",
        "{name}: {history_en}. Was the amount typed in yuan (or hundreds of yuan)? The unit is "
        "10,000 yuan (should it be {guess})?",
    ),
    "W_DIGITS_SWAPPED": (
        "{name}{history_zh}。请核实是否把两位数字输颠倒了（是否应为{guess}）",
        "{name}: {history_en}. Were two digits swapped (should it be {guess})?",
    ),
    "W_ROWS_EXCHANGED": (
        "{name}与相邻的{other}（{other_cell}）可能填反了：{name}本季度{value}，上季度{prev}；{other}"
        "本季度{other_value}，上季度{other_prev}。两数互换后都与上季度相符，请核实",
        "{name} and the neighbouring {other} ({other_cell}) may have been typed in each other's "
        "row: {name} is {value} (last quarter {prev}), {other} is {other_value} (last quarter "
        "{other_prev}); exchanged, both would be in line with last quarter. Check them",
    ),
    "W_COPIED_RETURN": (
        "本报表的{n}项累计数与上季度（{prev_period}）报表{prev_file}完全相同，可能是上季度的报表只改了"
        "封面又报了一次；请填写1月1日至本季度末的累计数，如确实本季度全无进展，请在审核说明中写明",
        "All {n} cumulative figures equal those of last quarter's return ({prev_period}, "
        "{prev_file}): last quarter's file sent again with a new cover? Enter the figures from 1 "
        "January to this quarter's end, or say in 审核说明 that nothing moved this quarter",
    ),
    # against the peers: a run of several towns' returns (shuangfu_cli/check/peers.py)
    "W_PEER_OUTLIER": (
        "{name}为{value}{unit}，按本镇街的规模折算，约为其他{n}个镇街中位数的{times}倍（其他镇街按本镇街"
        "规模折算，一般在{lo}至{hi}{unit}之间）。" + _CHECK,
        "{name} is {value} {unit}: scaled to the town's size, about {times} times the median of "
        "the {n} other towns (scaled the same way, they are usually between {lo} and {hi} "
        "{unit}). " + _CHECK_EN[0].upper() + _CHECK_EN[1:],
    ),
}


@dataclass
class Suspect:
    """A figure out of line with its history, before it is placed at a cell."""

    code: str
    figure: str
    params: dict[str, object] = field(default_factory=dict)
    other: str | None = None  # W_ROWS_EXCHANGED: the neighbouring figure


def _num(x) -> str:
    return format(x.normalize(), "f") if isinstance(x, Decimal) else str(x)


def _about(h: History, unit: str, prev_period: str) -> dict[str, str]:
    """The history said in words (zh and en): what the figure did against its pace."""
    uz, ue = unit, unit_in("en", unit)
    v, p = _num(h.value), _num(h.prev)
    if h.kind == "stock":
        return {
            "history_zh": f"本季度末为{v}{uz}，上季度（{prev_period}）末为{p}{uz}",
            "history_en": f"{v} {ue} at this quarter's end, {p} {ue} at the end of {prev_period}",
        }
    inc = _num(h.increase)
    k = times(h)
    quarters = h.prev_quarter
    if k is None:
        pace_zh, pace_en = "此前各季度累计为0", "nothing before it this year"
    else:
        pace = h.pace.quantize(Decimal("0.1")).normalize()
        pace_zh = f"是前{quarters}个季度平均每季新增（约{_num(pace)}{uz}）的{k:.0f}倍"
        pace_en = f"{k:.0f} times the average of about {_num(pace)} {ue} a quarter so far"
    if h.value < h.prev:
        return {
            "history_zh": f"本季度累计{v}{uz}，比上季度（{prev_period}）累计{p}{uz}还少",
            "history_en": f"{v} {ue} to date, below the {p} {ue} of {prev_period}",
        }
    return {
        "history_zh": f"本季度新增{inc}{uz}，{pace_zh}；上季度（{prev_period}）累计{p}{uz}，本季度"
        f"累计{v}{uz}",
        "history_en": f"{inc} {ue} added this quarter, {pace_en}; {p} {ue} to the end of "
        f"{prev_period}, {v} {ue} now",
    }


@cache
def neighbours() -> tuple[tuple[str, str], ...]:
    """Pairs of figures a clerk can exchange by typing one row off: typed figures of one
    column (or one block of single figures) in adjacent rows, both counts or both amounts."""
    pairs = []
    for sheet in form_layout().sheets:
        for block in sheet.blocks:
            columns: dict[str | None, list[Figure]] = {}
            for f in block.figures:
                if f.is_input:
                    columns.setdefault(f.col_label, []).append(f)
            for figs in columns.values():
                for a, b in zip(figs, figs[1:], strict=False):
                    if a.vtype == b.vtype:  # 开发岗位数 (个) beside 新安置 (人) too
                        pairs.append((a.code, b.code))
    return tuple(pairs)


def checked_figures(indicators: Mapping[str, Indicator]) -> list[Figure]:
    """The figures compared with their history: the typed ones. A total moves with its parts,
    and a list summary with the list (a workshop opened adds its workers), so the slip is
    looked for where it was typed."""
    return [f for f in form_layout().figures.values() if f.is_input and f.code in indicators]


def suspects(
    value_of: Callable[[str], object],
    previous: Mapping[str, object],
    quarter: int,
    prev_quarter: int,
    indicators: Mapping[str, Indicator],
    settings: Plausibility,
    prev_period: str,
    prev_file: str = "",
) -> list[Suspect]:
    """The figures of a return out of line with the same town's earlier return."""
    if not settings.enabled:
        return []
    hist: dict[str, History] = {}
    for f in checked_figures(indicators):
        ind = indicators[f.code]
        value, prev = value_of(f.code), previous.get(f.code)
        # a figure that was 0 has no pace yet (a first activity): the peers judge it
        if isinstance(value, int | Decimal) and isinstance(prev, int | Decimal) and prev:
            hist[f.code] = History(
                value, prev, ind.kind, quarter, prev_quarter, money=f.vtype == "money"
            )
    flows = [h for h in hist.values() if h.kind == "flow"]
    moved = sum(1 for h in flows if h.prev)
    if moved >= settings.copy_min_figures and all(h.value == h.prev for h in flows):
        return [
            Suspect(
                "W_COPIED_RETURN",
                "",
                # the file's name: the town knows its own file, not the district's folders
                {
                    "n": len(flows),
                    "prev_period": prev_period,
                    "prev_file": PurePath(prev_file).name,
                },
            )
        ]
    found: list[Suspect] = []
    taken: set[str] = set()
    units = {c: indicators[c].unit for c in hist}

    def words(code: str, h: History) -> dict[str, object]:
        return {"value": _num(h.value), "prev": _num(h.prev), **_about(h, units[code], prev_period)}

    for a, b in neighbours():
        ha, hb = hist.get(a), hist.get(b)
        if ha is None or hb is None or ha.value == hb.value or ha.kind != hb.kind:
            continue
        if a in taken or b in taken:  # a figure is exchanged with one neighbour at most
            continue
        # exchanged back, both are far more ordinary than as typed, and both in line; or two
        # stocks that hold each other's figure of last quarter exactly
        back = in_line(ha, hb.value, settings) and in_line(hb, ha.value, settings)
        gain = back and exchange_gain(ha, hb) >= settings.exchange_gain
        if gain or exchanged_exactly(ha, hb):
            for this, other, h, ho in ((a, b, ha, hb), (b, a, hb, ha)):
                params = {
                    **words(this, h),
                    "other_code": other,
                    "other_value": _num(ho.value),
                    "other_prev": _num(ho.prev),
                }
                found.append(Suspect("W_ROWS_EXCHANGED", this, params, other))
            taken |= {a, b}
    for code, h in hist.items():
        if code in taken:
            continue
        if out_of_line(h, settings):
            slip = explain(h, settings)
            generic = "W_JUMP" if h.kind == "flow" else "W_STOCK_CHANGE"
        else:
            slip = stock_restored(h, settings)
            generic = None
        if slip is not None:
            kind, guess = slip
            found.append(Suspect(_SLIP_CODES[kind], code, {**words(code, h), "guess": _num(guess)}))
        elif generic is not None:
            found.append(Suspect(generic, code, words(code, h)))
    return found


def one_finding_a_cell(findings: list[Finding]) -> list[Finding]:
    """The findings without a plausibility doubt at a cell that already has another finding
    (an error, or a warning such as W_AMOUNT_PER_STUDENT or W_CUMULATIVE_DECREASE): one cell,
    one thing to mend; the other finding says what is wrong there."""
    others = {(f.sheet, f.cell) for f in findings if f.cell and f.code not in PLAUSIBILITY_CODES}
    return [
        f for f in findings if f.code not in PLAUSIBILITY_CODES or (f.sheet, f.cell) not in others
    ]


_FALL_HINTS = pairs("fall_hint")


def fall_hint(h: History, settings: Plausibility) -> tuple[str, str]:
    """What a fallen cumulative figure probably is (zh, en), or ("", ""): a slip of its digits,
    or this quarter's own figure typed where the total since 1 January belongs (last
    quarter's figure plus it would be in line) — whichever is nearer the town's pace."""
    hints: list[tuple[str, Number]] = []
    if (slip := explain(h, settings)) is not None:
        hints.append(slip)
    if h.value and 2 * h.value <= h.prev and in_line(h, h.prev + h.value, settings):
        hints.append(("quarter_only", h.prev + h.value))
    if not hints:
        return "", ""
    kind, guess = min(hints, key=lambda k: abs(Decimal(k[1]) - h.expected()))
    zh, en = _FALL_HINTS[kind]
    g = _num(guess)
    return f"；{zh}（是否应为{g}）", f"; {en}? (should it be {g})"


def of_return(ctx: Context) -> list[Suspect]:
    """The return's suspects against its previous return (computed once: two rules ask)."""
    if "history" not in ctx.memo:
        prev = ctx.previous
        found: list[Suspect] = []
        if prev is not None and prev.period and ctx.period and prev.period < ctx.period:
            same_year = prev.period[:4] == ctx.period[:4]
            if same_year:
                found = suspects(
                    ctx.value,
                    prev.values,
                    int(ctx.period[-1]),
                    int(prev.period[-1]),
                    ctx.indicators,
                    ctx.reference.plausibility,
                    prev.period,
                    prev.file,
                )
        ctx.memo["history"] = found
    return cast(list[Suspect], ctx.memo["history"])


def place(
    s: Suspect, refs: Mapping[str, str | None], period_cell: tuple[str, str] | None
) -> Finding:
    """A suspect as a finding at its cell — `refs`: where each figure was read; a copied return
    at the cover's period (`period_cell`: sheet and cell)."""
    if s.code == "W_COPIED_RETURN":
        sheet, ref = period_cell or ("封面", None)
        return Finding(s.code, sheet=sheet, cell=ref, params=s.params)
    params = dict(s.params)
    if s.other is not None:
        params["other_cell"] = refs.get(s.other) or ""
    return Finding(
        s.code,
        sheet=form_layout().figures[s.figure].sheet,
        cell=refs.get(s.figure),
        indicator=s.figure,
        subject=s.figure,
        params={"name_code": s.figure, **params},
    )


for _code, (_zh, _en) in MESSAGES.items():
    if _code != "W_JUMP":
        define(_code, "warning", _zh, _en)


@rule("W_JUMP", "warning", *MESSAGES["W_JUMP"])
def out_of_line_with_history(ctx: Context) -> Iterator[Finding]:
    """Every history suspect of the return (W_JUMP and the slips' codes above)."""
    found = of_return(ctx)
    if not found:
        return
    refs = {code: cell.ref for code, cell in ctx.cells.items()}
    period = ctx.read.cover.get("period")
    for s in found:
        yield place(s, refs, (period.sheet, period.ref) if period else None)
