"""What the quarterly 通报 says, once, for both of its forms (Word: :mod:`.bulletin_docx`,
Markdown: :mod:`.bulletin_md`): the title, the opening, five sections of paragraphs and tables.

The text is Chinese prose with full-width punctuation; files are named, never given as paths.
Text from a return or a file name is included raw: each writer passes every piece through its
own channel's sanitiser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..config import load_registry
from ..quarter import points
from ..rollup import Rollup, town_ranking
from .sanitize import file_name

QUARTER_ZH = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}
NUMERALS = "一二三四五六七八九十"
#: a town's state as prose says it
STATUS_ZH = {
    "valid": "通过",
    "invalid": "未通过校验",
    "unreadable": "无法读取",
    "missing": "未报送",
    "duplicate": "重复报送",
    "other_period": "报告期不符",
}
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"})


def number(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, Decimal | float) and v != int(v):
        return f"{float(v):,.4f}".rstrip("0").rstrip(".")
    return f"{int(v):,}"


def percent(v) -> str:
    return "—" if v is None else f"{v:.1%}"


@dataclass
class Table:
    head: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    title: str
    #: paragraphs; one that starts with （一） leads with a sub-heading
    paragraphs: list[str]
    table: Table | None = None
    #: paragraphs after the table
    after: list[str] = field(default_factory=list)


@dataclass
class BulletinText:
    title: str
    salutation: str
    opening: str
    sections: list[Section]


def bulletin_text(r: Rollup) -> BulletinText:
    year, q = r.period[:4], r.period[-1]
    months = f"{year}年1—{int(q) * 3}月"
    valid = r.valid_towns
    reg = load_registry().by_code()
    return BulletinText(
        title=f"关于{year}年扶志扶智工作{QUARTER_ZH[q]}进展情况的通报",
        salutation="各镇党委（街道党工委）、人民政府（街道办事处）：",
        opening=(
            f"现将{months}全区贫困群众扶志扶智（“双扶”）工作进展情况通报如下。本期应报"
            f"{len(r.towns)}个镇（街道），通过校验并计入全区合计的{len(valid)}个；"
            f"序时进度为{percent(r.time_progress)}"
            f"（{'按天计算' if r.progress_mode == 'days' else '按季度计算'}）。"
        ),
        sections=[
            _overall(r),
            _targets(r, reg),
            _towns(r),
            _problems(r, reg),
            _next_steps(),
        ],
    )


def _name(reg, code: str) -> str:
    """An indicator's Chinese name as prose writes it (full-width brackets)."""
    return reg[code].name_zh.translate(_FULL_WIDTH)


def _overall(r: Rollup) -> Section:
    counts = {s: 0 for s in STATUS_ZH}
    for state in r.towns.values():
        counts[state.status] += 1
    parts = [f"{counts['valid']}个报表通过校验并计入合计"]
    for status in ("invalid", "unreadable", "missing", "duplicate", "other_period"):
        if counts[status]:
            parts.append(f"{counts[status]}个{STATUS_ZH[status]}")
    valid = "、".join(r.valid_towns) or "无"
    return Section(
        "总体情况",
        [
            f"全区{len(r.towns)}个镇（街道）中，{'，'.join(parts)}。",
            f"计入全区合计的镇（街道）：{valid}。以下合计数仅含这些镇（街道）。",
        ],
    )


def _targets(r: Rollup, reg) -> Section:
    change = r.change
    head = ["指标", "全年目标", "完成", "完成率"]
    if change is not None:
        head += ["本季度新增", "完成率较上季度（百分点）"]
    head.append("进度")  # 序时进度 is one figure for all: the opening says it
    rows = []
    for code, t in r.targets.items():
        row = [
            _name(reg, code) + ("（覆盖率）" if t.coverage else ""),
            number(t.target),
            number(t.actual),
            percent(t.completion),
        ]
        if change is not None:
            row += [
                number(change.increments.get(code)),
                points(change.completion_change.get(code)),
            ]
        row.append("滞后" if r.is_behind(t) else "达到")
        rows.append(row)
    text = [f"各项目标任务完成情况见下表（完成率低于序时进度{percent(r.time_progress)}的为滞后）。"]
    return Section("目标任务完成情况", text, Table(head, rows), _change_notes(r))


def _change_notes(r: Rollup) -> list[str]:
    change = r.change
    if change is None:
        return []
    if change.previous_period is None:
        return ["本季度为第一季度，“本季度新增”即1月1日以来的累计数。"]
    notes = [
        f"“本季度新增”为本季度累计数减去上季度（{change.previous_period}）累计数，"
        "存量指标不计；“完成率较上季度”为完成率的变化，单位为百分点。"
    ]
    if not change.complete:
        by_reason: dict[str, list[str]] = {}
        for town, (zh, _en) in change.not_compared.items():
            by_reason.setdefault(zh, []).append(town)
        reasons = "；".join(f"{'、'.join(towns)}{reason}" for reason, towns in by_reason.items())
        notes.append(
            f"这两栏按上季度报表可比的{len(change.compared)}个镇（街道）计算，"
            f"以下镇（街道）未作比较：{reasons}。"
        )
    return notes


def _towns(r: Rollup) -> Section:
    ranking = town_ranking(r)
    if not ranking:
        return Section("各镇街完成情况", ["本期没有通过校验的报表，无法排序。"])
    top = "、".join(t for t, _ in ranking[:3])
    bottom = "、".join(t for t, _ in ranking[-3:])
    change = r.change
    head = ["镇（街道）", "平均完成率"]
    if change is not None:
        head.append("较上季度（百分点）")
    head.append("滞后指标数")
    rows = []
    for town, score in ranking:
        row = [town, percent(score)]
        if change is not None:
            row.append(points(change.mean_change(town, r.split_targets)))
        row.append(str(sum(town in t.behind_towns for t in r.targets.values())))
        rows.append(row)
    return Section(
        "各镇街完成情况",
        [f"按各项分解任务的平均完成率排序，前三位是{top}，后三位是{bottom}。"],
        Table(head, rows),
        ["平均完成率为各项分解任务完成率的算术平均，仅用于排序；各项完成率见区汇总表。"],
    )


def _problems(r: Rollup, reg) -> Section:
    problems = []
    behind = [
        _name(reg, code) + ("（覆盖率）" if t.coverage else "")
        for code, t in r.targets.items()
        if r.is_behind(t)
    ]
    if behind:
        problems.append(f"（一）部分指标滞后于序时进度。{'、'.join(behind)}未达到序时进度。")
        for code, t in r.targets.items():
            if t.behind_towns:
                problems.append(
                    f"{_name(reg, code)}滞后的镇（街道）：{'、'.join(t.behind_towns)}。"
                )
    not_counted = [(town, s) for town, s in r.towns.items() if s.status != "valid"]
    if not_counted or r.ignored:
        parts = [
            f"{town}（{STATUS_ZH[s.status]}"
            + (f"，{'、'.join(file_name(f) for f in s.files)}" if s.files else "")
            + "）"
            for town, s in not_counted
        ]
        problems.append(
            "（二）部分镇（街道）报表未计入全区合计。" + ("、".join(parts) + "。" if parts else "")
        )
        for ig in r.ignored:
            problems.append(f"{file_name(ig.file)}未计入：{ig.public_zh.translate(_FULL_WIDTH)}。")
    checks = r.village_checks
    policy = []
    if checks.get("poor_villages_under_4"):
        policy.append(f"致富带头人不足4人的贫困村{checks['poor_villages_under_4']}个")
    if checks.get("villages_without_leader"):
        policy.append(f"没有致富带头人的村（社区）{checks['villages_without_leader']}个")
    if checks.get("villages_under_3_households"):
        policy.append(f"带头人人均带动不足3户的村（社区）{checks['villages_under_3_households']}个")
    share = r.ratios.get("EMP_WS_POOR_SHARE")
    if share is not None and share < 0.3:
        policy.append(f"扶贫车间建档立卡贫困人口占比{percent(share)}，低于30%")
    if policy:
        problems.append("（三）政策要求尚未全部落实。" + "，".join(policy) + "。")
    if r.share_problems:
        parts = [
            f"{_name(reg, p['code'])}分解合计{number(p['shares'])}，全区目标{number(p['target'])}"
            for p in r.share_problems
        ]
        problems.append("（四）任务分解表与全区目标不一致。" + "；".join(parts) + "。")
    if not problems:
        problems.append("各项指标均达到序时进度，各镇（街道）报表均已计入。")
    return Section("存在的问题", problems)


def _next_steps() -> Section:
    return Section(
        "下一步工作要求",
        [
            "（一）对照序时进度，滞后的镇（街道）要分析原因、倒排工期，确保按期完成全年目标任务。",
            "（二）未通过校验的镇（街道）要按审核意见逐项修改，核实性问题在“审核说明”中写明原因，"
            "按时重新报送。",
            "（三）（此处由区扶贫办填写本季度的具体工作要求。）",
        ],
    )
