"""Rules on the single-value figures of Attachments 2–5."""

from __future__ import annotations

from decimal import Decimal

from schemas import POLICY_2020
from shuangfu_cli.rules import Context, rule

#: Above this many 万元 per funded student a stage's amount must be confirmed: the reference's
#: policy.max_amount_per_student; this name keeps the default importable.
MAX_AMOUNT_PER_STUDENT = POLICY_2020.max_amount_per_student


@rule(
    "E_BLANK",
    "error",
    "{name}未填写（或公式没有算出结果），没有数据请填0",
    "{name} is blank (or a formula without a result): enter 0 where there is nothing to report",
)
def inputs_filled(ctx: Context):
    for f in ctx.figures():
        cell = ctx.cells.get(f.code)
        if f.is_input and cell is not None and cell.problem == "BLANK":
            yield ctx.at("E_BLANK", f.code)


@rule(
    "E_TOTAL_SUM",
    "error",
    "{name}填报为{stored}，不等于各分项之和{expected}",
    "{name} is {stored}, not the sum of its parts, {expected}",
)
def totals_add_up(ctx: Context):
    for f, stored, expected in ctx.stored_not_derived():
        if f.parts:
            yield ctx.at("E_TOTAL_SUM", f.code, stored=stored, expected=expected)


_LIMITED: dict[int, tuple] = {}


def _limited(layout) -> tuple:
    """The typed figures that have a not_above limit (a dozen of the 78), once per layout."""
    key = id(layout)
    if key not in _LIMITED:
        _LIMITED[key] = tuple(f for f in layout.figures.values() if f.is_input and f.not_above)
    return _LIMITED[key]


def _over_limit(ctx: Context, column_matches):
    """(figure, limit code, value, bound) for each typed figure above its not_above limit,
    among figures whose grid column satisfies `column_matches`.

    Only typed figures are checked: a total or list summary can only break a limit when one of
    its parts does, and that part is where the finding belongs.
    """
    for f in _limited(ctx.layout):
        if not column_matches(f.related_col):
            continue
        for limit in f.not_above:
            value, bound = ctx.value(f.code), ctx.value(limit)
            if value is not None and bound is not None and value > bound:
                yield f, limit, value, bound


@rule(
    "E_PART_ABOVE_TOTAL",
    "error",
    "{name}为{value}，大于{limit}{bound}",
    "{name} is {value}, above {limit} ({bound})",
)
def parts_within_totals(ctx: Context):
    for f, limit, value, bound in _over_limit(ctx, lambda col: col not in ("TRAINED", "FUNDED")):
        yield ctx.at("E_PART_ABOVE_TOTAL", f.code, value=value, bound=bound, limit_code=limit)


@rule(
    "E_TRAINED_ABOVE_PLANNED",
    "error",
    "{name}为{value}，大于应训人数{bound}",
    "{name} is {value}, above the persons to be trained ({bound})",
)
def trained_within_planned(ctx: Context):
    for f, _limit, value, bound in _over_limit(ctx, lambda col: col == "TRAINED"):
        yield ctx.at("E_TRAINED_ABOVE_PLANNED", f.code, value=value, bound=bound)


@rule(
    "E_FUNDED_ABOVE_ELIGIBLE",
    "error",
    "{name}为{value}，大于建档立卡在校学生数{bound}",
    "{name} is {value}, above the eligible students ({bound})",
)
def funded_within_eligible(ctx: Context):
    for f, _limit, value, bound in _over_limit(ctx, lambda col: col == "FUNDED"):
        yield ctx.at("E_FUNDED_ABOVE_ELIGIBLE", f.code, value=value, bound=bound)


@rule(
    "E_PTIMES_BELOW_PERSONS",
    "error",
    "{name}为{value}，小于已训人数{bound}（人次不能少于人数）",
    "{name} is {value}, below the persons trained ({bound})",
)
def ptimes_not_below_persons(ctx: Context):
    for f in ctx.figures():
        if not f.is_input:
            continue
        for floor in f.not_below:
            value, bound = ctx.value(f.code), ctx.value(floor)
            if value is not None and bound is not None and value < bound:
                yield ctx.at("E_PTIMES_BELOW_PERSONS", f.code, value=value, bound=bound)


def _stages(ctx: Context):
    for f in ctx.figures():
        if f.related_col == "FUNDED" and f.total is not None:
            yield f.code, f.code.replace("_FUNDED", "_AMOUNT")


@rule(
    "E_AMOUNT_WITHOUT_FUNDED",
    "error",
    "{name}为{amount}万元，但已资助人数为0",
    "{name} is {amount} 万元 but no student was funded",
)
def amount_needs_funded(ctx: Context):
    for funded, amount in _stages(ctx):
        n, money = ctx.value(funded), ctx.value(amount)
        if n == 0 and money:
            yield ctx.at("E_AMOUNT_WITHOUT_FUNDED", amount, amount=money)


@rule(
    "E_FUNDED_WITHOUT_AMOUNT",
    "error",
    "已资助{funded}人，但{name}为0：请填写资助金额（万元）",
    "{name} is 0 while students funded number {funded}: enter the amount (万元)",
)
def funded_needs_amount(ctx: Context):
    """At the amount's cell: that is the cell the clerk must fill."""
    for funded, amount in _stages(ctx):
        n, money = ctx.value(funded), ctx.value(amount)
        if n and money == 0:
            yield ctx.at("E_FUNDED_WITHOUT_AMOUNT", amount, funded=n)


@rule(
    "W_AMOUNT_PER_STUDENT",
    "warning",
    "{name}人均{avg}万元，超过{max}万元，请核实金额单位（万元）",
    "{name} averages {avg} 万元 per student, above {max}: check the unit is 万元",
)
def amount_plausible(ctx: Context):
    most = ctx.reference.policy.max_amount_per_student
    for funded, amount in _stages(ctx):
        n, money = ctx.value(funded), ctx.value(amount)
        if n and money and Decimal(money) / n > most:
            avg = (Decimal(money) / n).quantize(Decimal("0.0001"))
            yield ctx.at("W_AMOUNT_PER_STUDENT", amount, avg=avg, max=most)
