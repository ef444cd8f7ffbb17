"""The quarterly bulletin (季度通报) in Markdown, ready to paste into the office's document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .config import load_registry
from .rollup import Rollup, town_ranking
from .rollup_book import STATUS_ZH
from .writing.guard import atomic_path
from .writing.sanitize import for_markdown

QUARTER_ZH = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}


def number(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, Decimal | float) and v != int(v):
        return f"{float(v):,.4f}".rstrip("0").rstrip(".")
    return f"{int(v):,}"


def percent(v) -> str:
    return "—" if v is None else f"{v:.1%}"


def bulletin(r: Rollup) -> str:
    reg = load_registry().by_code()
    year, q = r.period[:4], r.period[-1]
    valid = r.valid_towns
    lines = [
        f"# 潼南区{year}年扶志扶智工作{QUARTER_ZH[q]}进展通报",
        "",
        f"报告期:{year}年1-{int(q) * 3}月({r.period});序时进度:{percent(r.time_progress)}"
        f"({'按天计算' if r.progress_mode == 'days' else '按季度计算'})。",
        "",
        f"本期应报{len(r.towns)}个镇(街道),通过校验并计入合计的{len(valid)}个:"
        f"{'、'.join(map(for_markdown, valid)) if valid else '无'}。以下合计数仅含这些镇街。",
        "",
        "## 一、目标任务完成情况",
        "",
        "| 指标 | 目标 | 完成 | 完成率 | 序时进度 | 进度 |",
        "|---|---:|---:|---:|---:|---|",
    ]
    behind = []
    for code, t in r.targets.items():
        name = reg[code].name_zh + ("(覆盖率)" if t.coverage else "")
        late = r.is_behind(t)
        if late:
            behind.append(name)
        lines.append(
            f"| {name} | {number(t.target)} | {number(t.actual)} | {percent(t.completion)} "
            f"| {percent(r.time_progress)} | {'**滞后**' if late else '达到序时进度'} |"
        )
    lines += ["", "## 二、各镇街完成情况排名", ""]
    ranking = town_ranking(r)
    if ranking:
        lines += ["| 名次 | 镇(街道) | 平均完成率 | 滞后指标数 |", "|---:|---|---:|---:|"]
        for i, (town, score) in enumerate(ranking, start=1):
            n_behind = sum(town in t.behind_towns for t in r.targets.values())
            lines.append(f"| {i} | {for_markdown(town)} | {percent(score)} | {n_behind} |")
        lines += [
            "",
            "平均完成率为各项分解任务完成率的算术平均,仅用于排序;各项完成率见区汇总表。",
        ]
    else:
        lines.append("本期没有通过校验的报表,无法排名。")
    lines += ["", "## 三、滞后的指标和镇街", ""]
    if behind:
        lines.append(f"未达到序时进度的指标:{'、'.join(behind)}。")
    else:
        lines.append("各项指标均达到序时进度。")
    lines.append("")
    for code, t in r.targets.items():
        if t.behind_towns:
            lines.append(f"- {reg[code].name_zh}:{'、'.join(map(for_markdown, t.behind_towns))}")
    lines += ["", "## 四、报表报送情况", ""]
    problems = [(town, s) for town, s in r.towns.items() if s.status != "valid"]
    if problems:
        lines += ["| 镇(街道) | 状态 | 错误数 | 文件 |", "|---|---|---:|---|"]
        for town, s in problems:
            files = "、".join(for_markdown(Path(f).name) for f in s.files) or "—"
            lines.append(f"| {for_markdown(town)} | {STATUS_ZH[s.status]} | {s.errors} | {files} |")
    else:
        lines.append("各镇街报表均已报送并通过校验。")
    if r.ignored:
        lines += ["", "未计入的文件:", ""]
        for ig in r.ignored:
            lines.append(f"- {for_markdown(Path(ig.file).name)}:{for_markdown(ig.public_zh)}")
    checks = r.village_checks
    lines += [
        "",
        "## 五、需关注的情况",
        "",
        f"- 扶贫车间建档立卡贫困人口占比:{percent(r.ratios.get('EMP_WS_POOR_SHARE'))}(要求每个车间不低于30%)",
        f"- 大学生资助覆盖率:{percent(r.ratios.get('EDU_COLLEGE_COVERAGE'))};"
        f"基层扶贫干部轮训覆盖率:{percent(r.ratios.get('TRN_CADRE_TOTAL_COVERAGE'))}",
        f"- 致富带头人不足4人的贫困村:{checks['poor_villages_under_4']}个;"
        f"没有致富带头人的村(社区):{checks['villages_without_leader']}个;"
        f"带头人人均带动不足3户的村(社区):{checks['villages_under_3_households']}个",
    ]
    if r.share_problems:
        lines.append(
            "- 任务分解表与全区目标不一致:"
            + "、".join(
                f"{p['code']}(分解合计{p['shares']},目标{p['target']})" for p in r.share_problems
            )
        )
    lines.append("")
    return "\n".join(lines)


def write_bulletin(r: Rollup, out: Path) -> None:
    with atomic_path(out) as tmp:
        tmp.write_text(bulletin(r), encoding="utf-8", errors="replace")
