"""``trend -o FILE.xlsx``: the year in one workbook, written whole or not at all.

- 目标完成趋势 — per target a block: the district's cumulative actual by quarter, 序时进度 ×
  target (what should have been done by then) and the completion, with a line chart of the
  first two beside it;
- 镇街完成率 — town × quarter: each town's mean completion of the split targets, then one table
  per split target;
- 本季度新增 — town × quarter: what each town added in each quarter, per flow target ("—" where
  a quarter is missing: never 0);
- 报送情况 — town × quarter: each town's state;
- 累计数减少 — the figures that fell since the quarter before, with file, sheet and cell;
- 数据 — the tidy table of ``--format csv``.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from shuangfu_cli.district.trend import Trend
from shuangfu_cli.form.values import plain
from shuangfu_cli.reading.source import OWN_WORKBOOK_MARK
from shuangfu_cli.writing.guard import atomic_path
from shuangfu_cli.writing.rollup_book.sheet_cells import (
    PERCENT,
    STATUS_ZH,
    fit_height,
    fmt,
    header,
    page,
    put,
    title,
)
from shuangfu_cli.writing.styles import BAD_FILL

RIGHT = Alignment(horizontal="right")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADING = Font(bold=True, size=11)
BLOCK = 16  # rows per target on the trend sheet: the chart beside it is as tall


def _name(reg, code: str, coverage: bool = False) -> str:
    return reg[code].name_zh + ("（覆盖率）" if coverage else "")


def trend_sheet(wb, t: Trend, reg) -> None:
    ws = wb.create_sheet("目标完成趋势")
    width = 1 + len(t.periods)
    title(ws, 1, t.units.say(f"{t.year}年目标任务完成趋势（全区，按季度）"), width + 9)
    row = 3
    for n, (code, rows) in enumerate(t.district.groupby("code", sort=False)):
        assert isinstance(code, str)  # an indicator's code
        if n and n % 2 == 0:  # two targets (tables and charts) to a page, none cut in two
            ws.row_breaks.append(Break(id=row - 1))
        rows = rows.set_index("period")
        coverage = bool(rows["coverage"].iloc[0])
        put(ws, row, 1, _name(reg, code, coverage), border=False).font = HEADING
        header(ws, row + 1, ["", *t.periods])
        lines = [
            ("累计完成", "actual", fmt(code)),
            ("序时进度目标" if not coverage else "应覆盖人数（序时）", "expected", fmt(code)),
            ("完成率", "completion", PERCENT),
            ("序时进度", "time_progress", PERCENT),
            ("计入镇街数", "towns", "0"),
        ]
        if not coverage and not rows["complete"].all():  # towns not counted in a quarter
            lines += [("计入镇街任务", "counted_share", fmt(code)),
                      ("计入镇街完成率", "counted_completion", PERCENT)]  # fmt: skip
        for i, (label, col, number_format) in enumerate(lines, start=row + 2):
            put(ws, i, 1, t.units.say(label))
            for c, p in enumerate(t.periods, start=2):
                cell = put(ws, i, c, plain(rows.loc[p, col]), number_format)
                # the completion the quarter is judged by: the district's when every town is
                # counted, else the counted towns' against their own shares (as in rollup)
                judged = "completion" if rows.loc[p, "complete"] or coverage else (
                    "counted_completion")  # fmt: skip
                if col == judged and rows.loc[p, "behind"]:
                    cell.fill = BAD_FILL
        chart = LineChart()
        chart.title = _name(reg, code, coverage)
        chart.y_axis.title = reg[code].unit
        chart.y_axis.number_format = fmt(code)
        chart.add_data(
            Reference(ws, min_col=1, max_col=width, min_row=row + 2, max_row=row + 3),
            from_rows=True,
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=2, max_col=width, min_row=row + 1))
        chart.height, chart.width = 7.5, 13
        ws.add_chart(chart, ws.cell(row, width + 2).coordinate)
        row += BLOCK
    ws.column_dimensions["A"].width = 20
    for c in range(2, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    page(ws, width + 9, row - 1)


def _town_table(ws, row: int, t: Trend, heading: str, value_of, number_format: str) -> int:
    """A town × quarter table from `row` on, a printed page of its own; the next free row."""
    if row > 3:
        ws.row_breaks.append(Break(id=row - 1))
    put(ws, row, 1, heading, border=False).font = HEADING
    header(ws, row + 1, [t.units.say("镇（街道）"), *t.periods])
    towns = list(t.states[t.periods[0]]) if t.periods else []
    for i, town in enumerate(towns, start=row + 2):
        put(ws, i, 1, town)
        for c, p in enumerate(t.periods, start=2):
            value = value_of(town, p)
            cell = put(ws, i, c, "—" if value is None else value, number_format)
            cell.alignment = RIGHT
    for c in range(2, 2 + len(t.periods)):
        ws.column_dimensions[get_column_letter(c)].width = 12
    return row + len(towns) + 3


def completion_sheet(wb, t: Trend, reg) -> None:
    ws = wb.create_sheet(t.units.say("镇街完成率"))
    title(ws, 1, t.units.say("各镇（街道）目标完成率（按季度）"), 1 + len(t.periods))
    split = t.towns.merge(
        t.district[~t.district.coverage][["code", "period"]], on=["code", "period"]
    )
    mean = split.groupby(["town", "period"])["completion"].mean()
    row = _town_table(ws, 3, t, "分解目标平均完成率", lambda town, p: plain(mean.get((town, p))),
                      PERCENT)  # fmt: skip
    by = t.towns.set_index(["code", "town", "period"])["completion"]
    for code in t.district[~t.district.coverage].code.unique():
        row = _town_table(ws, row, t, _name(reg, code),
                          lambda town, p, code=code: plain(by.get((code, town, p))), PERCENT)  # fmt: skip
    ws.column_dimensions["A"].width = 14
    page(ws, 1 + len(t.periods), row, freeze="B1")


def increment_sheet(wb, t: Trend, reg) -> None:
    ws = wb.create_sheet("本季度新增")
    title(
        ws,
        1,
        t.units.say("各镇（街道）本季度新增（本季度累计数减上季度累计数）"),
        1 + len(t.periods),
    )
    by = t.table.set_index(["code", "town", "period"])["increment"]
    row = 3
    targets = t.district.code.unique()
    for code in [c for c in targets if reg[c].kind == "flow"]:
        row = _town_table(ws, row, t, _name(reg, code),
                          lambda town, p, code=code: plain(by.get((code, town, p))), fmt(code))  # fmt: skip
    ws.column_dimensions["A"].width = 14
    page(ws, 1 + len(t.periods), row)


def status_sheet(wb, t: Trend) -> None:
    ws = wb.create_sheet("报送情况")
    title(ws, 1, "各季度报送情况", 1 + len(t.periods))
    last = _town_table(ws, 3, t, "", lambda town, p: STATUS_ZH[t.states[p][town].status], "@")
    ws.column_dimensions["A"].width = 14
    for c in range(2, 2 + len(t.periods)):
        ws.column_dimensions[get_column_letter(c)].width = 20
    page(ws, 1 + len(t.periods), last)


def falls_sheet(wb, t: Trend) -> None:
    findings_sheet(wb, "累计数减少", "累计数比上季度减少的指标", t.falls, t.units.say, t.names)


def doubts_sheet(wb, t: Trend) -> None:
    heading = "待核实的数字（核实性审核：与本镇街上季度及其他镇街相比异常，未说明）"
    findings_sheet(wb, "待核实", t.units.say(heading), t.doubts, t.units.say, t.names)


def findings_sheet(
    wb, name: str, heading: str, rows, say, names: dict[str, tuple[str, str]]
) -> None:
    """A sheet listing findings: quarter, town, file, sheet, cell and the message (indicators
    named as `names` has them: the run's registry)."""
    ws = wb.create_sheet(name)
    labels = ["季度", say("镇（街道）"), "文件", "工作表", "单元格", "说明"]
    title(ws, 1, heading, len(labels))
    header(ws, 2, labels)
    widths = {c: w for c, w in enumerate([9, 10, 30, 14, 7, 50], start=1)}
    for i, (period, town, report, f) in enumerate(rows, start=3):
        for c, value in enumerate(
            [period, town, report.file, f.sheet, f.cell or "—", f.message("zh", names)], start=1
        ):
            put(ws, i, c, value).alignment = WRAP
        fit_height(ws, i, widths)
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    page(ws, len(labels), 2 + len(rows), title_rows="2:2")


def data_sheet(wb, t: Trend) -> None:
    ws = wb.create_sheet("数据")
    header(ws, 1, list(t.table.columns))
    for i, row in enumerate(t.table.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            put(ws, i, c, plain(value), border=False)  # text stays text: never a formula
    ws.freeze_panes = "A2"


def write_workbook(t: Trend, out: Path) -> None:
    reg = t.indicators
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the sheet a new workbook starts with
    wb.properties.category = OWN_WORKBOOK_MARK
    wb.properties.creator = "shuangfu"
    trend_sheet(wb, t, reg)
    completion_sheet(wb, t, reg)
    increment_sheet(wb, t, reg)
    status_sheet(wb, t)
    falls_sheet(wb, t)
    doubts_sheet(wb, t)
    data_sheet(wb, t)
    with atomic_path(out) as tmp:
        wb.save(tmp)
