"""What ``shuangfu trend`` prints in a terminal, as plain tables and lines (render.py draws
them): each quarter's towns, each target's completion against 序时进度 quarter by quarter, the
district's 本季度新增, the figures that fell, and the notes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...config import load_registry
from ...findings import Lang
from ...trend import Trend

WORDS = {
    "zh": {
        "states": "各季度报送情况",
        "town": "镇(街道)",
        "targets": "目标完成情况(完成数 完成率;低于序时进度的标“滞后”)",
        "indicator": "指标",
        "tp": "{period}(序时{tp:.0%})",
        "behind": "滞后",
        "counted": "计入镇街数",
        "increments": "本季度新增(全区,按两季都计入的镇街计算)",
        "of": "{v}({n}个镇街)",
        "falls": "累计数比上季度减少",
        "notes": "说明",
        "coverage": "(覆盖率)",
        "valid": "通过",
        "invalid": "不通过",
        "unreadable": "无法读取",
        "missing": "未报送",
        "duplicate": "重复报送",
        "other_period": "报告期不符",
    },
    "en": {
        "states": "Returns by quarter",
        "town": "Town",
        "targets": "Targets (actual, completion; 'behind' when under time progress)",
        "indicator": "Indicator",
        "tp": "{period} (time {tp:.0%})",
        "behind": "behind",
        "counted": "Towns counted",
        "increments": "Added this quarter (district, over the towns counted in both quarters)",
        "of": "{v} ({n} towns)",
        "falls": "Cumulative figures lower than the quarter before",
        "notes": "Notes",
        "coverage": " (coverage)",
        "valid": "valid",
        "invalid": "invalid",
        "unreadable": "unreadable",
        "missing": "missing",
        "duplicate": "duplicate",
        "other_period": "other quarter",
    },
}


@dataclass
class Block:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: a block of lines instead of a table
    lines: list[str] = field(default_factory=list)


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.4f}"


def trend_blocks(t: Trend, lang: Lang) -> list[Block]:
    w = WORDS[lang]
    reg = load_registry().by_code()

    def name(code: str) -> str:
        ind = reg[code]
        return ind.name_zh if lang == "zh" else ind.name_en[:1].upper() + ind.name_en[1:]

    states = Block(w["states"], [w["town"], *t.periods])
    towns = list(t.states[t.periods[0]]) if t.periods else []
    for town in towns:
        states.rows.append([town, *(w[t.states[p][town].status] for p in t.periods)])
    targets = Block(w["targets"], [w["indicator"]])
    increments = Block(w["increments"], [w["indicator"], *t.periods])
    first = True
    for code, rows in t.district.groupby("code", sort=False):
        rows = rows.set_index("period")
        if first:
            targets.headers += [w["tp"].format(period=p, tp=rows.loc[p, "time_progress"])
                                for p in t.periods]  # fmt: skip
            first = False
        label = name(code) + (w["coverage"] if rows["coverage"].iloc[0] else "")
        cells = []
        for p in t.periods:
            r = rows.loc[p]
            if math.isnan(r.completion):
                cells.append(_num(r.actual))
                continue
            late = f" {w['behind']}" if r.completion < r.time_progress else ""
            cells.append(f"{_num(r.actual)} {r.completion:.1%}{late}")
        targets.rows.append([label, *cells])
        if reg[code].kind == "flow":
            incs = []
            for p in t.periods:
                r = rows.loc[p]
                if r.compared == 0:
                    incs.append("—")
                elif r.compared < r.towns:
                    incs.append(w["of"].format(v=_num(r.increment), n=int(r.compared)))
                else:
                    incs.append(_num(r.increment))
            increments.rows.append([label, *incs])
    counted = [str(int(t.district[t.district.period == p].towns.iloc[0])) if len(t.district)
               else "0" for p in t.periods]  # fmt: skip
    targets.rows.append([w["counted"], *counted])
    blocks = [states, targets, increments]
    if t.falls:
        blocks.append(
            Block(w["falls"], lines=[f"{p} {town} {f.sheet}!{f.cell or '-'}: {f.message(lang)}"
                                     for p, town, _r, f in t.falls])  # fmt: skip
        )
    notes = [e if lang == "en" else z for z, e in t.notes()]
    if notes:
        blocks.append(Block(w["notes"], lines=notes))
    return blocks
