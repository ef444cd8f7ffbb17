"""Rules on the three lists: they add up to their summaries, and the village list matches the
town's villages in the reference data."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from schemas.form import POOR_VILLAGE
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.layout import Figure, ListLayout
from shuangfu_cli.form.values import show
from shuangfu_cli.rules import Context, rule


def _number_typed(cell) -> bool:
    """Whether a cell holds what a spreadsheet's ">=0" criterion counts: a number (a date is
    one) not below 0, never a text, however much it looks like a number."""
    raw = None if cell is None else cell.raw
    if isinstance(raw, bool) or not isinstance(raw, int | float | dt.date | dt.time):
        return False
    return not isinstance(raw, int | float) or raw >= 0


def list_summary(rows, summary) -> int:
    """A summary figure recomputed from list rows (see schemas.form.Summary), counting what the
    form's own formula counts: a count only the rows whose `column` holds a number."""
    picked = [r for r in rows if summary.where is None or r.value(summary.where) in summary.values]
    if summary.op == "count":
        if summary.column:
            picked = [r for r in picked if _number_typed(r.cells.get(summary.column))]
        return len(picked)
    return sum(r.value(summary.column) or 0 for r in picked)


@rule(
    "E_LIST_SUM",
    "error",
    "{name}填报为{stored}，与{list}汇总数{expected}不符",
    "{name} is {stored}, but {list} adds up to {expected}",
)
def lists_add_up(ctx: Context):
    for f, stored, expected in ctx.stored_not_derived():
        if f.summary:
            sheet = ctx.layout.list(f.summary_of).sheet.name
            yield ctx.at("E_LIST_SUM", f.code, stored=stored, expected=expected, list=sheet)


#: what a formula shows when it adds a number stored as text that the program cannot convert
#: (LibreOffice: full-width digits such as ２２)
VALUE_ERROR = "#VALUE!"


def broken_by_text(ctx: Context, f) -> bool:
    """Whether the stored total `f` shows #VALUE! because a part of it is a number stored as
    text: the mistake is the part's, where the clerk typed it."""
    cell = ctx.read.figures.get(f.code)
    return (
        bool(f.parts)
        and cell is not None
        and cell.problem == "E_ERROR_VALUE"
        and str(cell.raw) == VALUE_ERROR
        and any(k == "text" for k, _row, _cell in ctx.left_out(f))
    )


def _left_out(ctx: Context, kind: str):
    """Each cell of `kind` that makes a stored total or summary disagree, or (numbers stored as
    text) show #VALUE!, once: (list row or None, cell, the total shown as an error or None)."""
    seen = set()
    totals: list[tuple[Figure, Figure | None]] = [
        (f, None) for f, _stored, _expected in ctx.mismatches()
    ]
    if kind == "text":
        totals += [(f, f) for f in ctx.figures() if broken_by_text(ctx, f)]
    for f, broken in totals:
        for k, row, cell in ctx.left_out(f):
            if k == kind and (cell.sheet, cell.ref) not in seen:
                seen.add((cell.sheet, cell.ref))
                yield row, cell, broken


def _full_width(raw) -> bool:
    return isinstance(raw, str) and any("\uff10" <= ch <= "\uff19" for ch in raw)


#: The cells the form's own formulas leave out, each reported where the clerk can mend it
#: (instead of E_LIST_SUM / E_TOTAL_SUM or an error value at the locked total): (code, quirk,
#: zh, en)
LEFT_OUT = (
    (
        "E_NUMBER_AS_TEXT",
        "text",
        "“{raw}”是以文本形式存储的数字{kind_zh}，{effect_zh}；请删除后重新输入数字"
        "（用半角数字，单元格格式设为“常规”或“数值”）",
        "'{raw}' is a number stored as text{kind_en}, {effect_en}: delete it and type the "
        "number again (half-width digits, cell format General or Number)",
    ),
    (
        "E_CHOICE_SPACES",
        "spaces",
        "“{raw}”前后有空格，表中的统计公式不会计入；请从下拉列表中选择",
        "'{raw}' has spaces around it, which the form's counts leave out: pick it from the list",
    ),
    (
        "E_LIST_TOTAL_ROW",
        "total_row",
        "第{row}行是自行添加的合计行：表中已自动合计，这一行会被重复计入；请删除该行",
        "Row {row} is a 合计 row added by hand: the form adds the list up itself and counts "
        "this row twice; delete the row",
    ),
)


def _left_out_rule(code: str, kind: str):
    def check(ctx: Context):
        for row, cell, broken in _left_out(ctx, kind):
            number = row.row if row is not None else int(re.sub(r"\D", "", cell.ref))
            params = {"raw": show(cell.raw), "row": number}
            if kind == "text":
                wide = _full_width(cell.raw)
                params |= {
                    "kind_zh": "（全角数字）" if wide else "",
                    "kind_en": " (full-width digits)" if wide else "",
                }
                if broken is None:
                    params |= {
                        "effect_zh": "表中的合计公式不会计入它",
                        "effect_en": "which the form's totals leave out",
                    }
                else:
                    total = ctx.read.figures[broken.code]
                    params |= {
                        "effect_zh": f"表中的合计（{total.ref}）因此显示错误值{VALUE_ERROR}",
                        "effect_en": f"which makes the form's total ({total.ref}) show {VALUE_ERROR}",
                    }
            yield Finding(
                code,
                sheet=cell.sheet,
                cell=cell.ref,
                subject=(row.value("name") if row is not None else None) or None,
                params=params,
            )

    return check


for _code, _kind, _zh, _en in LEFT_OUT:
    rule(_code, "error", _zh, _en)(_left_out_rule(_code, _kind))


@rule(
    "E_ROW_PART_ABOVE_TOTAL",
    "error",
    "{item}（第{row}行）：{part}为{value}，大于{whole}{bound}",
    "{item} (row {row}): {part} is {value}, above {whole} ({bound})",
)
def rows_parts_within_totals(ctx: Context):
    for lst in ctx.layout.lists:
        for col in lst.columns:
            if not col.not_above:
                continue
            whole = lst.column(col.not_above)
            for row in ctx.rows(lst.name):
                value, bound = row.value(col.key), row.value(whole.key)
                if value is not None and bound is not None and value > bound:
                    yield ctx.at_row(
                        "E_ROW_PART_ABOVE_TOTAL",
                        row,
                        col.key,
                        part=col.label,
                        whole=whole.label,
                        value=value,
                        bound=bound,
                    )


def own_villages(ctx: Context) -> bool:
    """The village rules apply when the list is the cover town's (see Context.village_town)."""
    return ctx.town is not None and ctx.village_town() is ctx.town


@rule(
    "E_TOWN_VILLAGES_MISMATCH",
    "error",
    "封面填报单位为{town}，但村（社区）明细表是{other}的村名单：请核对封面或换用本镇街的模板",
    "The cover says {town} but the village list is {other}'s: check the cover or use your own template",
)
def villages_of_the_cover_town(ctx: Context):
    other = ctx.village_town()
    if ctx.town is not None and other is not None and other is not ctx.town:
        cell = ctx.read.cover.get("town")
        yield Finding(
            "E_TOWN_VILLAGES_MISMATCH",
            sheet=cell.sheet if cell else None,
            cell=cell.ref if cell else None,
            params={"town": ctx.town.name, "other": other.name},
        )


def _villages(ctx: Context) -> ListLayout:
    return ctx.layout.list("villages")


def _list_sheet_finding(ctx: Context, code: str, **params):
    return Finding(
        code, sheet=_villages(ctx).sheet.name, subject=params.get("village"), params=params
    )


def _missing_villages(ctx: Context, poor: bool):
    """The town's villages (poor ones, or the others) absent from its village list."""
    town = ctx.town
    if town is None or not own_villages(ctx) or not ctx.has_list("villages"):
        return
    listed = {r.value("name") for r in ctx.rows("villages")}
    for v in town.villages:
        if (v.kind == POOR_VILLAGE) == poor and v.name not in listed:
            yield v


@rule(
    "E_VILLAGE_MISSING",
    "error",
    "贫困村“{village}”不在村（社区）明细表中，每个贫困村都必须填报",
    "Poor village '{village}' is missing from the village list",
)
def poor_villages_present(ctx: Context):
    for v in _missing_villages(ctx, poor=True):
        yield _list_sheet_finding(ctx, "E_VILLAGE_MISSING", village=v.name)


@rule(
    "W_VILLAGE_MISSING",
    "warning",
    "{kind}“{village}”不在村（社区）明细表中，请核实",
    "{kind} '{village}' is missing from the village list: please confirm",
)
def other_villages_present(ctx: Context):
    for v in _missing_villages(ctx, poor=False):
        yield _list_sheet_finding(ctx, "W_VILLAGE_MISSING", village=v.name, kind=v.kind)


@rule(
    "E_VILLAGE_UNKNOWN",
    "error",
    "“{item}”（第{row}行）不是{town}的村（社区），请照抄模板中的村名",
    "'{item}' (row {row}) is not a village of {town}: copy the names from the template",
)
def villages_known(ctx: Context):
    town = ctx.town
    if town is None or not own_villages(ctx):
        return
    known = {v.name for v in town.villages}
    for row in ctx.rows("villages"):
        if row.value("name") not in known:
            yield ctx.at_row("E_VILLAGE_UNKNOWN", row, "name", town=town.name)


@rule(
    "E_VILLAGE_DUPLICATE",
    "error",
    "“{item}”在村（社区）明细表中重复出现（第{row}行），每村只能填一行",
    "'{item}' appears again in the village list (row {row}): one row per village",
)
def villages_once(ctx: Context):
    seen: Counter[str] = Counter()
    for row in ctx.rows("villages"):
        seen[row.value("name")] += 1
        if seen[row.value("name")] == 2:
            yield ctx.at_row("E_VILLAGE_DUPLICATE", row, "name")


@rule(
    "E_VILLAGE_KIND",
    "error",
    "“{item}”（第{row}行）类别填为“{kind}”，应为“{expected}”",
    "'{item}' (row {row}) is marked '{kind}' but is a '{expected}'",
)
def village_kinds(ctx: Context):
    town = ctx.town
    if town is None or not own_villages(ctx):
        return
    kinds = {v.name: v.kind for v in town.villages}
    for row in ctx.rows("villages"):
        expected = kinds.get(row.value("name"))
        if expected and row.value("kind") != expected:
            yield ctx.at_row(
                "E_VILLAGE_KIND", row, "kind", kind=row.value("kind") or "", expected=expected
            )


@rule(
    "E_CLASS_DAYS_SUM",
    "error",
    "{item}（第{row}行）：集中教学{classroom}天+现场观摩{field}天不等于培训天数{days}天",
    "{item} (row {row}): classroom days {classroom} + field days {field} do not make the "
    "length, {days} days",
)
def class_days_add_up(ctx: Context):
    for row in ctx.rows("classes"):
        days, classroom, fieldd = (row.value(k) for k in ("days", "classroom_days", "field_days"))
        if None not in (days, classroom, fieldd) and classroom + fieldd != days:
            yield ctx.at_row(
                "E_CLASS_DAYS_SUM", row, "days", days=days, classroom=classroom, field=fieldd
            )


def _period_end(ctx: Context) -> dt.date:
    """The last day of the return's period (its cover's quarter; the year's end if unknown)."""
    period = ctx.period or ctx.expected_period
    if not period:
        return dt.date(ctx.year, 12, 31)
    year, quarter = int(period[:4]), int(period[-1])
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


@rule(
    "E_CLASS_DATE",
    "error",
    "{item}（第{row}行）：开班日期{start}不在{first}至{last}之间（本报告期内）",
    "{item} (row {row}): start date {start} is not between {first} and {last} (this period)",
)
def class_dates_in_period(ctx: Context):
    """A class reported by the end of the period started in the year, by the period's end
    (a date typed as 5/11 that the spreadsheet put in another year is the typical case)."""
    first, last = dt.date(ctx.year, 1, 1), _period_end(ctx)
    for row in ctx.rows("classes"):
        start = row.value("start")
        if isinstance(start, dt.date) and not first <= start <= last:
            yield ctx.at_row("E_CLASS_DATE", row, "start", start=start, first=first, last=last)
