"""What the quarterly 通报 says, once, for both of its forms (Word: :mod:`.bulletin_docx`,
Markdown: :mod:`.bulletin_md`): the title, the opening, five sections of paragraphs and tables.

The text is Chinese prose with full-width punctuation, in the words of the office: it names
towns, never files or paths (those are in the workbook's 报送情况 sheet), and never the tool's
own words (通过校验). Where towns are not counted, the district's completion is incomplete and
each target is judged by the counted towns against their own shares (:mod:`..targets`).
Every piece goes through its writer's own channel's sanitiser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shuangfu_cli.district.rollup import Rollup, town_ranking
from shuangfu_cli.form.findings import zh_prose
from shuangfu_cli.text.numbers import figure as number
from shuangfu_cli.text.numbers import percent, points
from shuangfu_cli.text.words import say, section

NUMERALS = "一二三四五六七八九十"


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
    reg = r.indicators
    text = BulletinText(
        title=f"关于{year}年扶志扶智工作{say('zh', 'bulletin', f'quarter_{q}')}进展情况的通报",
        salutation="各镇党委（街道党工委）、人民政府（街道办事处）：",
        opening=(
            f"现将{months}全区贫困群众扶志扶智（“双扶”）工作进展情况通报如下。本期应报"
            f"{len(r.towns)}个镇（街道），计入全区合计的{len(valid)}个；"
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
    return _said(text, r.units.say)


def _said(b: BulletinText, say) -> BulletinText:
    """The text in the reference's words for its units: written for towns (各镇党委…, 镇（街道）,
    全区), said of districts one level up (city.yaml: 区县, 全市). The text holds the office's
    words, town names and figures only — no file name nor a clerk's text."""
    for s in b.sections:
        s.title, s.paragraphs, s.after = (
            say(s.title),
            [say(p) for p in s.paragraphs],
            [say(p) for p in s.after],
        )
        if s.table is not None:
            s.table.head = [say(h) for h in s.table.head]
            s.table.rows = [[say(c) for c in row] for row in s.table.rows]
    b.title, b.salutation, b.opening = say(b.title), say(b.salutation), say(b.opening)
    return b


def _name(reg, code: str) -> str:
    """An indicator's Chinese name as prose writes it (full-width brackets)."""
    return zh_prose(reg[code].name_zh)


def period_zh(period: str) -> str:
    """2020Q4 as prose writes it: 2020年第四季度."""
    return f"{period[:4]}年{say('zh', 'bulletin', f'quarter_{period[-1]}')}"


def _why(state) -> str:
    """Why a town is not counted: the ``not_counted_*`` keys of the catalogue's ``bulletin``."""
    if state.status == "invalid":  # errors, or with --strict unexplained warnings only
        return "errors" if state.errors else "unexplained"
    return state.status


def _not_counted_groups(r: Rollup) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for town in r.not_counted:
        groups.setdefault(_why(r.towns[town]), []).append(town)
    return groups


def _overall(r: Rollup) -> Section:
    parts = [f"{len(r.valid_towns)}个的报表计入全区合计"]
    for why, towns in _not_counted_groups(r).items():
        parts.append(say("zh", "bulletin", f"not_counted_{why}", n=len(towns)))
    valid = "、".join(r.valid_towns) or "无"
    ending = "，均未计入" if len(parts) > 2 else "，未计入" if len(parts) == 2 else ""
    return Section(
        "总体情况",
        [
            f"全区{len(r.towns)}个镇（街道）中，{'，'.join(parts)}{ending}。",
            f"计入全区合计的镇（街道）：{valid}。以下合计数仅含这些镇（街道）。",
        ],
    )


def _progress_word(r: Rollup, t) -> str:
    return {"behind": "滞后", "ahead": "达到", None: "—"}[r.verdict(t)]


def _targets(r: Rollup, reg) -> Section:
    change = r.change
    missing = len(r.not_counted)
    head = ["指标", "全年目标", "完成", "完成率"]
    if missing:
        head[3] = f"完成率（{missing}个镇街未计入）"
        head += ["计入镇街任务", "计入镇街完成率"]
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
        if missing:
            row += [number(t.counted_share), percent(t.counted_completion)]
        if change is not None:
            row += [
                number(change.increments.get(code)),
                points(change.completion_change.get(code)),
            ]
        row.append(_progress_word(r, t))
        rows.append(row)
    tp = percent(r.time_progress)
    if not missing:
        text = [f"各项目标任务完成情况见下表（完成率低于序时进度{tp}的为滞后）。"]
    else:
        text = [
            f"各项目标任务完成情况见下表。{missing}个镇（街道）未计入本期汇总，全区完成数和完成率"
            f"不完整，不据以判断是否滞后；“计入镇街任务”为计入的{len(r.valid_towns)}个镇（街道）"
            f"的分解任务之和，计入镇街完成率低于序时进度{tp}的为滞后。覆盖率指标按计入的镇（街道）"
            "计算。"
        ]
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
        return Section("各镇街完成情况", ["本期没有计入汇总的报表，无法排序。"])
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


def _judged(r: Rollup, reg, code: str, t) -> str:
    """A target behind 序时进度, with the figures it is judged by."""
    name, unit = _name(reg, code), reg[code].unit
    if t.coverage:
        return f"{name}覆盖率{percent(t.completion)}（{number(t.actual)}/{number(t.target)}{unit}）"
    if t.complete:
        return (
            f"{name}完成{number(t.actual)}{unit}，为全年目标{number(t.target)}{unit}的"
            + percent(t.completion)
        )
    return (
        f"{name}，计入的{len(r.valid_towns)}个镇（街道）完成{number(t.actual)}{unit}，为其分解任务之和"
        f"{number(t.counted_share)}{unit}的{percent(t.counted_completion)}"
    )


def _problems(r: Rollup, reg) -> Section:
    problems: list[str] = []

    def heading(text: str) -> str:
        return f"（{NUMERALS[sum(p.startswith('（') for p in problems)]}）{text}"

    behind = [code for code, t in r.targets.items() if r.is_behind(t)]
    lagging = [(code, t) for code, t in r.targets.items() if t.behind_towns]
    if behind:
        judged = "；".join(_judged(r, reg, code, r.targets[code]) for code in behind)
        problems.append(
            heading(f"部分指标滞后于序时进度。{judged}，低于序时进度{percent(r.time_progress)}。")
        )
    elif lagging:
        problems.append(heading("部分镇（街道）滞后于序时进度。"))
    for code, t in lagging:
        problems.append(f"{_name(reg, code)}滞后的镇（街道）：{'、'.join(t.behind_towns)}。")
    groups = _not_counted_groups(r)
    if groups or r.ignored:
        text = "部分镇（街道）报表未计入本期汇总。"
        if groups:
            said = [
                say(
                    "zh",
                    "bulletin",
                    f"not_counted_named_{why}",
                    towns="、".join(towns),
                    period=period_zh(r.period),
                )
                for why, towns in groups.items()
            ]
            n = len(r.not_counted)
            text += "；".join(said) + f"。以上{n}个镇（街道）的数据未计入全区合计"
            text += "，各项分解任务按计入镇（街道）的分解任务判断是否滞后。"
        problems.append(heading(text))
        if r.ignored:
            kinds: dict[str, int] = {}
            for ig in r.ignored:
                kinds[ig.kind] = kinds.get(ig.kind, 0) + 1
            said = [
                say("zh", "bulletin", f"ignored_{kind}", n=n)
                if f"ignored_{kind}" in section("bulletin", "zh")
                else f"{n}份其他文件"
                for kind, n in kinds.items()
            ]
            problems.append(f"另有{len(r.ignored)}份报送的文件未计入：{'；'.join(said)}。")
    checks, limits = r.village_checks, r.policy
    policy = []
    if checks.get("poor_villages_under_4"):
        n, need = checks["poor_villages_under_4"], limits.leaders_per_poor_village
        policy.append(f"致富带头人不足{need}人的贫困村{n}个")
    if checks.get("villages_without_leader"):
        policy.append(f"没有致富带头人的村（社区）{checks['villages_without_leader']}个")
    if checks.get("villages_under_3_households"):
        n, each = checks["villages_under_3_households"], limits.households_per_leader
        policy.append(f"带头人人均带动不足{each}户的村（社区）{n}个")
    share = r.ratios.get("EMP_WS_POOR_SHARE")
    if share is not None and share < float(limits.poor_share):
        policy.append(f"扶贫车间建档立卡贫困人口占比{percent(share)}，低于{limits.share_percent}%")
    if policy:
        problems.append(heading("政策要求尚未全部落实。" + "，".join(policy) + "。"))
    if r.share_problems:
        parts = [
            f"{_name(reg, p['code'])}分解合计{number(p['shares'])}，全区目标{number(p['target'])}"
            for p in r.share_problems
        ]
        problems.append(heading("任务分解表与全区目标不一致。" + "；".join(parts) + "。"))
    if not problems:
        problems.append("各项指标均达到序时进度，各镇（街道）报表均已计入。")
    return Section("存在的问题", problems)


def _next_steps() -> Section:
    return Section(
        "下一步工作要求",
        [
            "（一）对照序时进度，滞后的镇（街道）要分析原因、倒排工期，确保按期完成全年目标任务。",
            "（二）报表存在差错或未报送的镇（街道）要按审核意见逐项修改、及时报送，"
            "核实性问题在“审核说明”中写明原因。",
            "（三）（此处由区扶贫办填写本季度的具体工作要求。）",
        ],
    )
