"""Rules on the cover: the town and the period must be known and, if asked, the expected one."""

from __future__ import annotations

from schemas import parse_period

from ..findings import Finding, define
from ..values import shorten
from . import Context, rule


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
    "封面填报单位“{town}”不是本区的镇(街道)",
    "The cover's town '{town}' is not a town of the district",
)
def town_known(ctx: Context):
    cell = ctx.read.cover.get("town")
    if cell is not None and ctx.town is None:
        yield _cover_finding(ctx, "E_TOWN_UNKNOWN", "town", town=shorten(cell.value or ""))


@rule(
    "E_PERIOD_INVALID",
    "error",
    "封面报告期“{period}”无效,应为{year}年的某个季度,如{year}Q3",
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
    "封面报告期为{period},但本次应报{expected}",
    "The cover's period is {period}, but {expected} is expected",
)
def period_expected(ctx: Context):
    if ctx.period and ctx.expected_period and ctx.period != parse_period(ctx.expected_period):
        yield _cover_finding(
            ctx, "E_PERIOD_MISMATCH", "period", period=ctx.period, expected=ctx.expected_period
        )


# made by a run of several returns (rollup, trend), where each return's quarter is judged
# against the one its file or folder name says (shuangfu_cli/town_states.py)
define(
    "E_PERIOD_NAME_MISMATCH",
    "error",
    "封面报告期为{period},但{where_zh}为{named}:看不出是哪个季度的报表,不计入任何季度;"
    "请改正封面报告期或文件名后重新报送",
    "The cover's period is {period}, but {where_en} says {named}: which quarter the return is "
    "of is unclear, so it is counted in no quarter; correct the cover or the name and send it "
    "again",
)
