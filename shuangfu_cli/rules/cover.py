"""Rules on the cover: the town and the period must be known and, if asked, the expected one."""

from __future__ import annotations

import datetime as dt

from schemas import parse_period, period_months
from shuangfu_cli.form.findings import Finding, define
from shuangfu_cli.form.values import is_blank, norm, shorten, show
from shuangfu_cli.rules import Context, rule


def _cover_finding(ctx: Context, code: str, key: str, **params) -> Finding:
    cell = ctx.read.cover.get(key)
    return Finding(
        code,
        sheet=cell.sheet if cell else "封面",
        cell=cell.ref if cell else None,
        params=params,
    )


@rule(
    "E_TOWN_UNKNOWN",
    "error",
    "封面填报单位“{town}”不是本区的镇（街道）",
    "The cover's town '{town}' is not a town of the district",
)
def town_known(ctx: Context):
    cell = ctx.read.cover.get("town")
    if cell is not None and ctx.town is None:
        # quoted as typed, what shows nothing written out (柏梓镇<U+200B>…): the clerk sees
        # what the cell holds, not a name that looks like the town's
        typed = cell.raw.strip() if isinstance(cell.raw, str) else cell.value or ""
        yield _cover_finding(ctx, "E_TOWN_UNKNOWN", "town", town=shorten(str(typed)))


@rule(
    "E_PERIOD_INVALID",
    "error",
    "封面报告期“{period}”无效，应为{year}年的某个季度，如{year}Q3",
    "The cover's period '{period}' is not a quarter of {year}, such as {year}Q3",
)
def period_known(ctx: Context):
    cell = ctx.read.cover.get("period")
    if cell is not None and ctx.period is None:
        yield _cover_finding(
            ctx, "E_PERIOD_INVALID", "period", period=shorten(str(cell.value)), year=ctx.year
        )


@rule(
    "E_PERIOD_MISMATCH",
    "error",
    "封面报告期为{period}，但本次应报{expected}",
    "The cover's period is {period}, but {expected} is expected",
)
def period_expected(ctx: Context):
    if ctx.period and ctx.expected_period and ctx.period != parse_period(ctx.expected_period):
        yield _cover_finding(
            ctx, "E_PERIOD_MISMATCH", "period", period=ctx.period, expected=ctx.expected_period
        )


@rule(
    "E_FORM_PERIOD_MISMATCH",
    "error",
    "本表标题下印出的报告期“{printed}”与封面的报告期{period}不符，打印出来的报表会写错报告期；"
    "这一格原本由封面自动生成，请改回（应为{months}），或从区里下发的模板重新复制",
    "The period this form prints under its title, '{printed}', is not the cover's {period}: the "
    "printed form would state the wrong period. The cell is made from the cover: put it back "
    "(it should read {months}) or copy it from the district's template",
)
def printed_period_is_the_covers(ctx: Context):
    """Each form prints its period from the cover by a formula (writing/template/paper.py); one
    typed over, or a file of an older template whose period was fixed text, can say another
    quarter than the cover. What the formula prints for a cover it cannot read is the cover's
    own text: not a contradiction."""
    cover = ctx.read.cover.get("period")
    if ctx.period is None or cover is None:
        return
    typed_cover = norm(cover.value or "")
    for cell in ctx.read.printed_periods:
        text = cell.value
        if (
            not isinstance(text, str)
            or not text
            or norm(text) == typed_cover
            or parse_period(text) == ctx.period
        ):
            continue
        yield Finding(
            "E_FORM_PERIOD_MISMATCH",
            sheet=cell.sheet,
            cell=cell.ref,
            params={
                "printed": shorten(text),
                "period": ctx.period,
                "months": period_months(ctx.period),
            },
        )


#: the cover's lines a statistics office needs to accept a return: who filled it, how to reach
#: them about a figure, and when it was reported (the 表尾 of every form asks the same)
SIGNED = ("preparer", "phone", "date")


@rule(
    "E_COVER_BLANK",
    "error",
    "封面“{label}”未填写：报表须写明填报人、联系电话和填报日期，以便核实数据",
    "The cover's '{label}' is blank: a return names who filled it, a phone number and the date "
    "it was reported, so that its figures can be checked",
)
def cover_signed(ctx: Context):
    for key in SIGNED:
        cell = ctx.read.cover.get(key)
        if cell is not None and is_blank(cell.raw):
            label = ctx.layout.cover_field(key).label
            yield _cover_finding(ctx, "E_COVER_BLANK", key, label=label)


def quarter_end(period: str) -> dt.date:
    """The last day of a quarter: 2020Q3 -> 2020-09-30."""
    year, q = int(period[:4]), int(period[-1])
    return dt.date(year + q // 4, q % 4 * 3 + 1, 1) - dt.timedelta(days=1)


@rule(
    "E_DATE_BEFORE_PERIOD_END",
    "error",
    "封面填报日期{date}不晚于报告期末{end}：季报的累计数到季度末才完整，填报日期应在{end}之后；"
    "请填写实际填报日期（沿用上季度报表时常忘记改）",
    "The cover's date, {date}, is not after the period's end, {end}: a quarter's cumulative "
    "figures are complete only after its end, so the return is dated after {end}. Enter the "
    "date it is reported (a file reused from last quarter keeps its old date)",
)
def dated_after_the_quarter(ctx: Context):
    cell = ctx.read.cover.get("date")
    if cell is None or is_blank(cell.raw):
        return
    if cell.value is None:
        yield _cover_finding(ctx, "E_INVALID_DATE", "date", raw=show(cell.raw))
    elif (
        ctx.period is not None
        and isinstance(cell.value, dt.date)
        and cell.value <= quarter_end(ctx.period)
    ):
        end = quarter_end(ctx.period)
        yield _cover_finding(
            ctx,
            "E_DATE_BEFORE_PERIOD_END",
            "date",
            date=cell.value.isoformat(),
            end=end.isoformat(),
        )


# made by a run of several returns (rollup, trend), where each return's quarter is judged
# against the one its file or folder name says (shuangfu_cli/district/town_states.py)
define(
    "E_PERIOD_NAME_MISMATCH",
    "error",
    "封面报告期为{period}，但{where_zh}为{named}：看不出是哪个季度的报表，不计入任何季度；"
    "请改正封面报告期或文件名后重新报送",
    "The cover's period is {period}, but {where_en} says {named}: which quarter the return is "
    "of is unclear, so it is counted in no quarter; correct the cover or the name and send it "
    "again",
)
