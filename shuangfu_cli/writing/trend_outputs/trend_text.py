"""What ``shuangfu trend`` prints in a terminal, as plain tables and lines (render.py draws
them): each quarter's towns, each target's completion against 序时进度 quarter by quarter, the
district's 本季度新增, the figures that fell, and the notes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol, cast

from shuangfu_cli.district.trend import Trend
from shuangfu_cli.form.findings import Lang, capital
from shuangfu_cli.text.numbers import figure as figure_text
from shuangfu_cli.text.words import by_lang

WORDS = by_lang("trend_table", "state")


class _Quarter(Protocol):
    """A target's row of `Trend.district` in one quarter (``.loc[period]``), with its columns'
    types (pandas-stubs types such a row as a Series or a frame)."""

    actual: float
    completion: float
    behind: bool | None
    complete: bool
    coverage: bool
    counted_completion: float
    increment: float
    compared: int
    towns: int


@dataclass
class Block:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: a block of lines instead of a table
    lines: list[str] = field(default_factory=list)


def trend_blocks(t: Trend, lang: Lang) -> list[Block]:
    w = {key: t.units.say(word, lang) for key, word in WORDS[lang].items()}
    reg = t.indicators

    def name(code: str) -> str:
        ind = reg[code]
        return ind.name_zh if lang == "zh" else capital(ind.name_en)

    states = Block(w["states"], [w["town"], *t.periods])
    towns = list(t.states[t.periods[0]]) if t.periods else []
    for town in towns:
        states.rows.append([town, *(w[t.states[p][town].status] for p in t.periods)])
    tp = t.district.groupby("period").time_progress.first()
    targets = Block(w["targets"], [w["indicator"], *(w["tp"].format(period=p, tp=tp[p])
                                                     for p in t.periods)])  # fmt: skip
    increments = Block(w["increments"], [w["indicator"], *t.periods])
    for code, rows in t.district.groupby("code", sort=False):
        assert isinstance(code, str)  # an indicator's code
        rows = rows.set_index("period")
        label = name(code) + (w["coverage"] if rows["coverage"].iloc[0] else "")
        cells = []
        for p in t.periods:
            r = cast(_Quarter, rows.loc[p])
            if math.isnan(r.completion):
                cells.append(figure_text(r.actual))
                continue
            late = f" {w['behind']}" if r.behind else ""
            part = ""  # towns not counted: judged by the counted towns' own shares
            if not r.complete and not r.coverage and not math.isnan(r.counted_completion):
                part = w["of_counted"].format(c=r.counted_completion)
            cells.append(f"{figure_text(r.actual)} {r.completion:.1%}{part}{late}")
        targets.rows.append([label, *cells])
        if reg[code].kind == "flow":
            incs = []
            for p in t.periods:
                r = cast(_Quarter, rows.loc[p])
                if r.compared == 0:
                    incs.append("—")
                elif r.compared < r.towns:
                    incs.append(w["of"].format(v=figure_text(r.increment), n=int(r.compared)))
                else:
                    incs.append(figure_text(r.increment))
            increments.rows.append([label, *incs])
    counted = [str(sum(s.status == "valid" for s in t.states[p].values())) for p in t.periods]
    targets.rows.append([w["counted"], *counted])
    blocks = [states, targets, increments]
    for key, found in (("falls", t.falls), ("doubts", t.doubts)):
        if not found:
            continue
        blocks.append(
            Block(
                w[key],
                lines=[
                    f"{p} {town} {f.sheet}!{f.cell or '-'}: {f.message(lang, t.names)}"
                    for p, town, _r, f in found
                ],
            )  # fmt: skip
        )
    notes = [e if lang == "en" else z for z, e in t.notes()]
    if notes:
        blocks.append(Block(w["notes"], lines=notes))
    return blocks
