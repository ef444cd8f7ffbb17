"""The policy thresholds of the year's document (warnings: the figure may be true but must be
confirmed, or explained in 审核说明). The thresholds are the reference's (``policy:``,
schemas/policy.py; 2020: 潼扶组发〔2020〕4号) and every message says the reference's numbers."""

from __future__ import annotations

from decimal import Decimal

from schemas import POLICY_2020, Policy
from schemas.form import POOR_VILLAGE
from shuangfu_cli.rules import Context, rule

# The 2020 document's thresholds, kept importable under their old names; the rules read the
# reference's (ctx.reference.policy).
POOR_SHARE = POLICY_2020.poor_share  # 三(四): registered poor people ≥ 30% of a workshop's workers
LEADERS_PER_POOR_VILLAGE = POLICY_2020.leaders_per_poor_village  # 三(三)
LEADERS_PER_OTHER_VILLAGE = POLICY_2020.leaders_per_other_village  # 三(三)
HOUSEHOLDS_PER_LEADER = POLICY_2020.households_per_leader  # 三(三)
CLASS_MIN_DAYS = POLICY_2020.class_min_days  # 三(三)
CLASS_RATIO = (POLICY_2020.class_classroom_days, POLICY_2020.class_field_days)  # 三(三)


VILLAGE_COUNTS = ("poor_villages_under_4", "villages_without_leader", "villages_under_3_households")


def village_counts(rows, policy: Policy = POLICY_2020) -> dict[str, int]:
    """The per-village thresholds counted over a village list (the rollup adds them up across
    the district's valid towns). The keys keep their 2020 names (poor_villages_under_4: under
    the reference's leaders per poor village)."""
    out = dict.fromkeys(VILLAGE_COUNTS, 0)
    for row in rows:
        stock, households = row.value("stock") or 0, row.value("households") or 0
        if row.value("kind") == POOR_VILLAGE and stock < policy.leaders_per_poor_village:
            out["poor_villages_under_4"] += 1
        if stock == 0:
            out["villages_without_leader"] += 1
        if stock and households < policy.households_per_leader * stock:
            out["villages_under_3_households"] += 1
    return out


@rule(
    "W_WS_POOR_SHARE",
    "warning",
    "扶贫车间“{item}”（第{row}行）建档立卡贫困人口{poor}人占吸纳就业{workers}人的{share}%，"
    "低于{min_share}%",
    "Workshop '{item}' (row {row}): registered poor {poor} of workers {workers}, {share}%, "
    "below {min_share}%",
)
def workshop_poor_share(ctx: Context):
    policy = ctx.reference.policy
    for row in ctx.rows("workshops"):
        workers, poor = row.value("workers"), row.value("poor")
        if workers and poor is not None and Decimal(poor) < policy.poor_share * workers:
            share = (Decimal(100) * poor / workers).quantize(Decimal("0.1"))
            yield ctx.at_row(
                "W_WS_POOR_SHARE",
                row,
                "poor",
                poor=poor,
                workers=workers,
                share=share,
                min_share=policy.share_percent,
            )


@rule(
    "W_POORV_LEADERS",
    "warning",
    "贫困村“{item}”（第{row}行）致富带头人{stock}人，少于每个贫困村{need}人的要求",
    "Poor village '{item}' (row {row}) has {stock} wealth leaders, fewer than {need}",
)
def poor_village_leaders(ctx: Context):
    need = ctx.reference.policy.leaders_per_poor_village
    for row in ctx.rows("villages"):
        stock = row.value("stock")
        if row.value("kind") == POOR_VILLAGE and stock is not None and stock < need:
            yield ctx.at_row("W_POORV_LEADERS", row, "stock", stock=stock, need=need)


@rule(
    "W_OTHERV_LEADERS",
    "warning",
    "{kind}“{item}”（第{row}行）{has_zh}，每个非贫困村和社区应不少于{need}人",
    "{kind} '{item}' (row {row}) has {has_en}; at least {need} is required",
)
def other_village_leaders(ctx: Context):
    need = ctx.reference.policy.leaders_per_other_village
    for row in ctx.rows("villages"):
        stock, kind = row.value("stock"), row.value("kind")
        if kind and kind != POOR_VILLAGE and stock is not None and stock < need:
            has_zh = f"致富带头人{stock}人" if stock else "没有致富带头人"
            has_en = (
                f"{stock} wealth leader{'s' if stock > 1 else ''}" if stock else "no wealth leader"
            )
            yield ctx.at_row(
                "W_OTHERV_LEADERS",
                row,
                "stock",
                stock=stock,
                kind=kind,
                need=need,
                has_zh=has_zh,
                has_en=has_en,
            )


@rule(
    "W_HOUSEHOLDS_PER_LEADER",
    "warning",
    "“{item}”（第{row}行）{stock}名致富带头人只带动{households}户贫困户，每人应至少带动{each}户（共{need}户）",
    "'{item}' (row {row}): {stock} wealth leaders help only {households} poor households; at "
    "{each} each they should help at least {need}",
)
def households_per_leader(ctx: Context):
    each = ctx.reference.policy.households_per_leader
    for row in ctx.rows("villages"):
        stock, households = row.value("stock"), row.value("households")
        if stock and households is not None and households < each * stock:
            yield ctx.at_row(
                "W_HOUSEHOLDS_PER_LEADER",
                row,
                "households",
                stock=stock,
                households=households,
                each=each,
                need=each * stock,
            )


@rule(
    "W_CLASS_DAYS",
    "warning",
    "培训班“{item}”（第{row}行）只有{days}天，每期原则上不少于{min_days}天",
    "Class '{item}' (row {row}) lasts less than the {min_days} days required: {days}",
)
def class_length(ctx: Context):
    min_days = ctx.reference.policy.class_min_days
    for row in ctx.rows("classes"):
        days = row.value("days")
        if days is not None and days < min_days:
            yield ctx.at_row("W_CLASS_DAYS", row, "days", days=days, min_days=min_days)


@rule(
    "W_CLASS_RATIO",
    "warning",
    "培训班“{item}”（第{row}行）集中教学{classroom}天、现场观摩{field}天，不符合{ratio}的要求",
    "Class '{item}' (row {row}): {classroom} classroom to {field} field days is not {ratio}",
)
def class_ratio(ctx: Context):
    a, b = ctx.reference.policy.class_classroom_days, ctx.reference.policy.class_field_days
    for row in ctx.rows("classes"):
        classroom, fieldd = row.value("classroom_days"), row.value("field_days")
        if classroom is None or fieldd is None or classroom + fieldd == 0:
            continue
        if classroom * b != fieldd * a:
            yield ctx.at_row(
                "W_CLASS_RATIO",
                row,
                "classroom_days",
                classroom=classroom,
                field=fieldd,
                ratio=f"{a}:{b}",
            )
