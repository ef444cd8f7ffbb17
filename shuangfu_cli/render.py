"""Everything printed for a person in a terminal. The only module that imports rich.

Output is coloured on a terminal and plain text otherwise; text that came from a return is
escaped before it is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .findings import Lang

UI = {
    "zh": {
        "error": "错误",
        "warning": "警告",
        "explained": "已说明",
        "file": "文件",
        "cover": "(封面)",
        "valid": "通过",
        "invalid": "不通过",
        "unreadable": "无法读取",
        "verdict": "{errors}个错误,{warnings}个警告待核实,{explained}个警告已说明",
        "summary": "共{n}份报表:{valid}份通过,{invalid}份不通过,{unreadable}份无法读取",
        "hint": "提示:核实性警告如数据属实,请在“审核说明”表中按审核代码和单元格写明原因。",
        "code": "代码",
        "name": "指标名称",
        "unit": "单位",
        "kind": "类型",
        "flow": "累计",
        "stock": "期末",
        "target": "2020年目标",
        "definition": "指标解释",
        "not_above": "不得大于",
        "not_below": "不得小于",
        "written": "已生成模板:{path}",
    },
    "en": {
        "error": "error",
        "warning": "warning",
        "explained": "explained",
        "file": "File",
        "cover": "(cover)",
        "valid": "VALID",
        "invalid": "INVALID",
        "unreadable": "UNREADABLE",
        "verdict": "{errors} errors, {warnings} warnings to confirm, {explained} explained",
        "summary": "{n} returns: {valid} valid, {invalid} invalid, {unreadable} unreadable",
        "hint": "Hint: a warning that is true is answered in the 审核说明 sheet (code and cell).",
        "code": "Code",
        "name": "Indicator",
        "unit": "Unit",
        "kind": "Kind",
        "flow": "cumulative",
        "stock": "period end",
        "target": "2020 target",
        "definition": "Definition",
        "not_above": "Not above",
        "not_below": "Not below",
        "written": "Template written: {path}",
    },
}

_STYLE = {"error": "bold red", "warning": "yellow", "explained": "dim"}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def print_reports(reports: Iterable, lang: Lang, notes: Iterable[tuple[str, str]] = ()) -> None:
    ui = UI[lang]
    out = console()
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    any_warning = False
    for report in reports:
        counts[report.status] += 1
        who = " ".join(x for x in (report.town, report.period) if x)
        out.print(
            f"[bold]{ui['file']}: {escape(report.file)}[/bold]"
            + (f"  {escape(who)}" if who else "")
        )
        sheet = object()
        for f in report.findings:
            if f.sheet != sheet:
                sheet = f.sheet
                out.print(f"  [bold]{escape(sheet) if sheet else ui['file']}[/bold]")
            label = ui["explained"] if f.explained else ui[f.severity]
            style = "explained" if f.explained else f.severity
            any_warning |= f.severity == "warning" and not f.explained
            cell = f.cell or "-"
            out.print(
                f"    [{_STYLE[style]}]{label:<4}[/{_STYLE[style]}] {f.code:<24} {cell:<6} "
                f"{escape(f.message(lang))}"
            )
        explained = sum(1 for f in report.findings if f.explained)
        verdict = ui["verdict"].format(
            errors=report.errors, warnings=report.warnings, explained=explained
        )
        mark, style = ("✓", "bold green") if report.status == "valid" else ("✗", "bold red")
        out.print(f"  [{style}]{mark} {ui[report.status]}[/{style}]  {verdict}")
        out.print()
    if sum(counts.values()) > 1:
        out.print(ui["summary"].format(n=sum(counts.values()), **counts))
    if any_warning:
        out.print(f"[dim]{ui['hint']}[/dim]")
    err = console(stderr=True)
    for zh, en in notes:
        err.print(escape(zh if lang == "zh" else en))


def print_indicators(indicators, lang: Lang) -> None:
    ui = UI[lang]
    table = Table(show_lines=False)
    table.add_column(ui["code"], no_wrap=True)
    table.add_column(ui["name"], overflow="fold")
    for col in ("unit", "kind", "target"):
        table.add_column(ui[col], no_wrap=True)
    for ind in indicators:
        table.add_row(
            ind.code,
            escape(ind.name_zh if lang == "zh" else ind.name_en),
            ind.unit,
            ui[ind.kind],
            "" if ind.target is None else str(ind.target),
        )
    console().print(table)


def print_indicator(ind, lang: Lang) -> None:
    ui = UI[lang]
    out = console()
    out.print(f"[bold]{ind.code}[/bold]  {escape(ind.name_zh)} / {escape(ind.name_en)}")
    out.print(f"{ui['unit']}: {ind.unit}   {ui['kind']}: {ui[ind.kind]}")
    out.print(f"{ui['definition']}: {escape(ind.definition)}")
    if ind.not_above:
        out.print(f"{ui['not_above']}: {', '.join(ind.not_above)}")
    if ind.not_below:
        out.print(f"{ui['not_below']}: {', '.join(ind.not_below)}")
    if ind.target is not None or ind.target_note:
        target = "" if ind.target is None else str(ind.target)
        out.print(f"{ui['target']}: {target} {escape(ind.target_note or '')}".rstrip())


def print_written(paths, lang: Lang) -> None:
    out = console()
    for p in paths:
        out.print(UI[lang]["written"].format(path=escape(str(p))))


def print_error(message: str) -> None:
    console(stderr=True).print(f"[bold red]{escape(message)}[/bold red]")


def is_terminal() -> bool:
    return sys.stdout.isatty()
