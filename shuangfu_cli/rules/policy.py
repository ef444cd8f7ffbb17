"""The policy thresholds of 潼扶组发〔2020〕4号 (warnings: the figure may be true but must be
confirmed, or explained in 审核说明)."""

from __future__ import annotations

from decimal import Decimal

from schemas.form import POOR_VILLAGE
from shuangfu_cli.rules import Context, rule

POOR_SHARE = Decimal("0.3")  # 三(四): registered poor people ≥ 30% of a workshop's workers
LEADERS_PER_POOR_VILLAGE = 4  # 三(三)
LEADERS_PER_OTHER_VILLAGE = 1  # 三(三)
HOUSEHOLDS_PER_LEADER = 3  # 三(三)
CLASS_MIN_DAYS = 7  # 三(三)
CLASS_RATIO = (5, 2)  # 三(三): classroom : field-visit days


VILLAGE_COUNTS = ("poor_villages_under_4", "villages_without_leader", "villages_under_3_households")


def village_counts(rows) -> dict[str, int]:
    """The per-village thresholds counted over a village list (the rollup adds them up across
    the district's valid towns)."""
    out = dict.fromkeys(VILLAGE_COUNTS, 0)
    for row in rows:
        stock, households = row.value("stock") or 0, row.value("households") or 0
        if row.value("kind") == POOR_VILLAGE and stock < LEADERS_PER_POOR_VILLAGE:
            out["poor_villages_under_4"] += 1
        if stock == 0:
            out["villages_without_leader"] += 1
        if stock and households < HOUSEHOLDS_PER_LEADER * stock:
            out["villages_under_3_households"] += 1
    return out


@rule(
    "W_WS_POOR_SHARE",
    "warning",
    "扶贫车间“{item}”（第{row}行）建档立卡贫困人口{poor}人占吸纳就业{workers}人的{share}%，低于30%",
    "Workshop '{item}' (row {row}): registered poor {poor} of workers {workers}, {share}%, "
    "below 30%",
)
def workshop_poor_share(ctx: Context):
    for row in ctx.rows("workshops"):
        workers, poor = row.value("workers"), row.value("poor")
        if workers and poor is not None and Decimal(poor) < POOR_SHARE * workers:
            share = (Decimal(100) * poor / workers).quantize(Decimal("0.1"))
            yield ctx.at_row(
                "W_WS_POOR_SHARE", row, "poor", poor=poor, workers=workers, share=share
            )


@rule(
    "W_POORV_LEADERS",
    "warning",
    "贫困村“{item}”（第{row}行）致富带头人{stock}人，少于每个贫困村4人的要求",
    "Poor village '{item}' (row {row}) has {stock} wealth leaders, fewer than 4",
)
def poor_village_leaders(ctx: Context):
    for row in ctx.rows("villages"):
        stock = row.value("stock")
        if row.value("kind") == POOR_VILLAGE and stock is not None:
            if stock < LEADERS_PER_POOR_VILLAGE:
                yield ctx.at_row("W_POORV_LEADERS", row, "stock", stock=stock)


@rule(
    "W_OTHERV_LEADERS",
    "warning",
    "{kind}“{item}”（第{row}行）没有致富带头人，每个非贫困村和社区应不少于1人",
    "{kind} '{item}' (row {row}) has no wealth leader; at least 1 is required",
)
def other_village_leaders(ctx: Context):
    for row in ctx.rows("villages"):
        stock, kind = row.value("stock"), row.value("kind")
        if kind and kind != POOR_VILLAGE and stock is not None:
            if stock < LEADERS_PER_OTHER_VILLAGE:
                yield ctx.at_row("W_OTHERV_LEADERS", row, "stock", stock=stock, kind=kind)


@rule(
    "W_HOUSEHOLDS_PER_LEADER",
    "warning",
    "“{item}”（第{row}行）{stock}名致富带头人只带动{households}户贫困户，每人应至少带动3户（共{need}户）",
    "'{item}' (row {row}): {stock} wealth leaders help only {households} poor households; at "
    "3 each they should help at least {need}",
)
def households_per_leader(ctx: Context):
    for row in ctx.rows("villages"):
        stock, households = row.value("stock"), row.value("households")
        if stock and households is not None and households < HOUSEHOLDS_PER_LEADER * stock:
            yield ctx.at_row(
                "W_HOUSEHOLDS_PER_LEADER",
                row,
                "households",
                stock=stock,
                households=households,
                need=HOUSEHOLDS_PER_LEADER * stock,
            )


@rule(
    "W_CLASS_DAYS",
    "warning",
    "培训班“{item}”（第{row}行）只有{days}天，每期原则上不少于7天",
    "Class '{item}' (row {row}) lasts less than the 7 days required: {days}",
)
def class_length(ctx: Context):
    for row in ctx.rows("classes"):
        days = row.value("days")
        if days is not None and days < CLASS_MIN_DAYS:
            yield ctx.at_row("W_CLASS_DAYS", row, "days", days=days)


@rule(
    "W_CLASS_RATIO",
    "warning",
    "培训班“{item}”（第{row}行）集中教学{classroom}天、现场观摩{field}天，不符合5:2的要求",
    "Class '{item}' (row {row}): {classroom} classroom to {field} field days is not 5:2",
)
def class_ratio(ctx: Context):
    a, b = CLASS_RATIO
    for row in ctx.rows("classes"):
        classroom, fieldd = row.value("classroom_days"), row.value("field_days")
        if classroom is None or fieldd is None or classroom + fieldd == 0:
            continue
        if classroom * b != fieldd * a:
            yield ctx.at_row(
                "W_CLASS_RATIO", row, "classroom_days", classroom=classroom, field=fieldd
            )
