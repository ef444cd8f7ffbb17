"""The district's page: 目标完成情况 (a row per target), and the charts on a sheet of their
own (图表), so that no chart covers a cell in use."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference

from shuangfu_cli.district.rollup import Rollup
from shuangfu_cli.text.sanitize import for_xlsx
from shuangfu_cli.writing.rollup_book.sheet_cells import (
    PERCENT,
    POINTS,
    code_column,
    fit_height,
    fmt,
    header,
    page,
    put,
    title,
)
from shuangfu_cli.writing.rollup_book.streamed import StreamedSheet
from shuangfu_cli.writing.rollup_book.town_tables import FIRST_DATA, HEAD
from shuangfu_cli.writing.styles import BAD_FILL, WRAP
from shuangfu_cli.writing.template.paper import lines_needed, print_setup

FIRST = 4  # the first target's row


def targets_sheet(wb, r: Rollup) -> tuple[StreamedSheet, list[str]]:
    """The sheet and its header's labels (what the charts find their columns by)."""
    names = r.indicators
    say = r.units.say  # the units' words (one level up: 区县, 全市)
    ws = StreamedSheet(wb, "目标完成情况", 0)
    change = r.change
    missing = len(r.not_counted)
    labels = ["指标", "单位", "全年目标", "完成", "完成率"]
    if missing:  # the district's figure is incomplete: judged over the counted towns' shares
        labels[-1] = f"完成率（全区，{missing}个镇街未计入）"
        labels += ["计入镇街任务", "计入镇街完成率"]
    if change is not None:
        labels += ["本季度新增", "完成率较上季度（百分点）"]
    labels += ["序时进度", "进度"]
    doubted = bool(r.doubts)
    if doubted:  # what rests on a doubt: confirm with these towns before the 通报 goes out
        labels.append("待核实镇街")
    labels = [say(label) for label in labels]
    title(
        ws,
        1,
        f"{r.reference.year}年目标任务完成情况（{r.period}，序时进度{r.time_progress:.1%}）",
        len(labels),
    )
    note = f"完成数为计入汇总的{len(r.valid_towns)}个镇（街道）的合计。"
    if missing:
        note += (
            f"{missing}个镇（街道）未计入（{'、'.join(r.not_counted)}），全区完成率不完整，不据以"
            "判断进度；计入镇街任务为计入镇（街道）的分解任务之和，进度按计入镇街完成率判断。"
        )
    if change is not None and not change.complete:
        note += f"本季度新增及较上季度按{len(change.compared)}个上季度可比的镇（街道）计算。"
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(labels))
    ws.cell(2, 1, for_xlsx(say(note))).alignment = WRAP
    header(ws, 3, labels)
    row = FIRST
    for code, t in r.targets.items():
        values: list[tuple[object, str | None]] = [
            (names[code].name_zh + ("（覆盖率）" if t.coverage else ""), None),
            (names[code].unit, None),
            (t.target, fmt(code)),
            (t.actual, fmt(code)),
            (t.completion, PERCENT),
        ]
        if missing:
            values += [(t.counted_share, fmt(code)), (t.counted_completion, PERCENT)]
        if change is not None:
            points = change.completion_change.get(code)
            values += [
                (change.increments.get(code), fmt(code)),
                (None if points is None else points * 100, POINTS),
            ]
        behind = r.is_behind(t)
        word = {"behind": "滞后", "ahead": "达到序时进度", None: "—"}[r.verdict(t)]
        values += [(r.time_progress, PERCENT), (word, None)]
        if doubted:
            values.append(("、".join(r.doubtful_towns(code)) or None, None))
        for c, (value, number_format) in enumerate(values, start=1):
            put(ws, row, c, value, number_format)
        if behind:
            ws.cell(row, len(values) - doubted).fill = BAD_FILL
        row += 1
    widths = [34, 8, 11, 11, 14 if missing else 10] + ([11, 11] if missing else [])
    widths += ([11, 13] if change is not None else []) + [10, 13]
    widths += [16] if doubted else []
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(3, c).column_letter].width = w
    fit_height(ws, 2, {1: sum(widths)})  # the note, merged across the table
    ws.row_dimensions[3].height = 4 + 15 * max(
        lines_needed(label, w) for label, w in zip(labels, widths, strict=True)
    )
    code_column(ws, len(labels) + 2, FIRST, list(r.targets))
    page(ws, len(labels), row - 1, title_rows="3:3", freeze="B4")
    ws.finish()  # a row per target: the sheet is kept whole until its code column is written
    return ws, labels


def charts_sheet(wb, r: Rollup, targets_ws, labels: list[str], towns_ws) -> None:
    """Two charts, one above the other, on a sheet with no cells in use."""
    ws = StreamedSheet(wb, "图表")
    last = FIRST + len(r.targets) - 1
    # the completion the targets are judged by: the counted towns' when towns are missing
    counted = r.units.say("计入镇街完成率")
    judged = counted if counted in labels else "完成率"
    rate_col = labels.index(judged) + 1
    progress_col = labels.index("序时进度") + 1
    if r.targets:
        chart = BarChart()
        chart.type = "bar"  # horizontal: the long indicator names stay readable
        chart.title = "各指标完成率与序时进度"
        chart.x_axis.number_format = "0%"
        for col in (rate_col, progress_col):  # 序时进度 as a bar beside each: the yardstick
            data = Reference(targets_ws, min_col=col, min_row=3, max_row=last)
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(targets_ws, min_col=1, min_row=FIRST, max_row=last))
        chart.x_axis.scaling.orientation = "maxMin"  # the first target at the top, as listed
        chart.height, chart.width = 13, 18
        ws.add_chart(chart, "A1")
    if towns_ws is not None and r.towns:
        end = FIRST_DATA + len(r.towns) - 1
        chart = BarChart()
        chart.title = r.units.say(f"各镇（街道）平均完成率（序时进度{r.time_progress:.0%}）")
        chart.y_axis.number_format = "0%"
        chart.add_data(
            Reference(towns_ws, min_col=2, min_row=HEAD, max_row=end), titles_from_data=True
        )
        chart.set_categories(Reference(towns_ws, min_col=1, min_row=FIRST_DATA, max_row=end))
        chart.height, chart.width = 11, 18
        ws.add_chart(chart, "A28")
    # portrait, both charts on one page: the print area spans them (no cell is used)
    print_setup(ws, 10, 50, landscape=False)
    ws.page_setup.fitToHeight = 1
    ws.finish()
