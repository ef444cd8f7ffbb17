"""The sheets with a row per town: each attachment's figures (附件N 汇总), each town's completion
of the split targets (各镇街完成情况) and, with --previous, what each town added in the quarter
(本季度新增)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from shuangfu_cli.district.rollup import Rollup, town_ranking
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.writing.rollup_book.sheet_cells import PERCENT, POINTS, STATUS_ZH, fmt
from shuangfu_cli.writing.rollup_book.town_tables import Col, Group, town_sheets


def _fixed(r: Rollup) -> list[Col]:
    return [
        Col(r.units.say("镇（街道）"), lambda town: town),
        Col("状态", lambda town: STATUS_ZH[r.towns[town].status]),
    ]


def _figure(r: Rollup, code: str, label: str, unit: str) -> Col:
    def value(town):
        values = r.by_town.get(town)
        return values[code] if values else None

    return Col(label, value, fmt(code), unit, code, r.totals[code])


def attachment_sheets(wb, r: Rollup) -> None:
    """One table per attachment: a group per scalar section and per row of a grid."""
    note = r.units.say(
        f"合计覆盖{len(r.valid_towns)}个通过校验的镇（街道）；"
        "未通过、未报送、无法读取的镇（街道）不计入合计，其数字不列出。"
    )
    for sheet in form_layout().sheets:
        groups = []
        for block in sheet.blocks:
            if block.kind == "scalar":
                cols = [_figure(r, f.code, f.row_label, f.unit) for f in block.figures]
                groups.append(Group(block.block.title, cols))
                continue
            for _key, row_label in block.rows:
                figures = [f for f in block.figures if f.row_label == row_label]
                cols = [_figure(r, f.code, f.col_label or "", f.unit) for f in figures]
                groups.append(Group(f"{block.block.title}：{row_label}", cols))
        town_sheets(
            wb,
            f"{sheet.sheet.name} 汇总",
            f"{sheet.sheet.title}（汇总） {r.period}",
            note,
            list(r.towns),
            _fixed(r),
            groups,
        )


def completion_sheets(wb, r: Rollup) -> list:
    """Each town's completion of every split target, its mean (the ranking index) and, with
    --previous, the change of that mean since last quarter."""
    names = r.indicators
    say = r.units.say  # the units' words (one level up: 区县, 全市)
    ranking = dict(town_ranking(r))
    fixed = [
        Col(say("镇（街道）"), lambda town: town),
        Col("平均完成率", lambda town: ranking.get(town), PERCENT),
    ]
    change = r.change
    if change is not None:
        fixed.append(
            Col(
                "平均完成率较上季度（百分点）",
                lambda town: _pts(change.mean_change(town, r.split_targets)),
                POINTS,
            )  # fmt: skip
        )
    groups = []
    for code in r.split_targets:
        target = r.targets[code]

        def completion(town, target=target):
            d = target.by_town.get(town)
            return d.completion if d else None

        def behind(town, completion=completion):
            v = completion(town)
            return v is not None and v < r.time_progress

        cols = [Col("完成率", completion, PERCENT, "%", code, target.completion, behind)]
        if r.change is not None:
            by = r.change.town_completion_change.get(code, {})

            def change_of(town: str, by: dict[str, float | None] = by) -> float | None:
                return _pts(by.get(town))

            cols.append(
                Col(
                    "较上季度",
                    change_of,
                    POINTS,
                    "百分点",
                    code,
                    _pts(r.change.completion_change.get(code)),
                )  # fmt: skip
            )
        groups.append(Group(names[code].name_zh, cols))
    return town_sheets(
        wb,
        say("各镇街完成情况"),
        say(f"各镇（街道）目标任务完成情况 {r.period}（序时进度{r.time_progress:.1%}）"),
        say(
            "完成率 = 镇（街道）完成数 / 任务分解数；低于序时进度的为红色。平均完成率为各项完成率的"
            "算术平均，仅用于排序。合计行为全区"
            + (f"（{len(r.not_counted)}个镇街未计入，不完整）。" if r.not_counted else "。")
        ),
        list(r.towns),
        fixed,
        groups,
        total_label=say("全区"),
    )


def _pts(v: float | None) -> float | None:
    """A change of a rate in percentage points (0.05 -> 5.0)."""
    return None if v is None else v * 100


def increment_sheets(wb, r: Rollup) -> None:
    """本季度新增 of the target indicators that are flows, by town (all flows: the JSON)."""
    change = r.change
    if change is None:
        return
    names = r.indicators
    codes = r.targeted_flows
    if change.previous_period is None:
        note = "第一季度：本季度新增即1月1日以来的累计数。"
    else:
        note = f"本季度新增 = 本季度累计数 − 上季度（{change.previous_period}）累计数。"
        if not change.complete:
            note += (
                f"合计为上季度报表可比的{len(change.compared)}个镇（街道）之和；未作比较的："
                + "；".join(f"{t}（{zh}）" for t, (zh, _en) in change.not_compared.items())
                + "。"
            )

    def increment(c: str) -> Callable[[str], int | Decimal | None]:
        return lambda town: change.by_town.get(town, {}).get(c)

    cols = [
        Col(
            names[c].name_zh,
            increment(c),
            fmt(c),
            names[c].unit,
            c,
            change.increments[c],
        )  # fmt: skip
        for c in codes
    ]
    town_sheets(
        wb,
        "本季度新增",
        r.units.say(f"各镇（街道）本季度新增 {r.period}"),
        r.units.say(note),
        list(r.towns),
        _fixed(r),
        [Group("本季度新增", cols)],
    )
