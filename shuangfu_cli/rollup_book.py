"""The rollup workbook: one sheet per attachment (a row per town and a 合计 row), 目标完成情况
with native charts, 报送情况 and 问题清单. Written whole or not at all."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter

from .config import load_registry
from .layout import form_layout
from .reading.source import OWN_WORKBOOK_MARK
from .rollup import Rollup, town_ranking
from .styles import BAD_FILL, BOLD, BORDER, HEAD_FILL, TITLE_FONT, TOTAL_FILL, WRAP
from .writing.guard import atomic_path
from .writing.sanitize import for_xlsx

STATUS_ZH = {
    "valid": "通过(已计入)",
    "invalid": "不通过(未计入)",
    "unreadable": "无法读取(未计入)",
    "missing": "未报送",
    "duplicate": "重复报送(未计入)",
}


def put(ws, row: int, col: int, value, fmt: str | None = None):
    """Write a cell; text is always text (a return's '=…' never becomes a formula) and holds
    nothing the file format cannot (a control character typed in a return)."""
    if isinstance(value, Decimal):
        value = float(value)
    cell = ws.cell(row, col, for_xlsx(value))
    if isinstance(value, str):
        cell.data_type = "s"
    if fmt:
        cell.number_format = fmt
    cell.border = BORDER
    return cell


def _header(ws, row: int, labels: list[str]) -> None:
    for c, text in enumerate(labels, start=1):
        cell = put(ws, row, c, text)
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP


def _title(ws, text: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    ws.cell(1, 1, text).font = TITLE_FONT


def _print_setup(ws, freeze: str) -> None:
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{int(freeze[1:]) - 1}"


def _fmt(code: str) -> str:
    return "0.0000" if form_layout().figures[code].vtype == "money" else "0"


def _status_sheet(wb: Workbook, r: Rollup) -> None:
    ws = wb.create_sheet("报送情况")
    _title(ws, f"{r.period} 各镇街报送情况", 6)
    ws.cell(2, 1, f"合计数覆盖{len(r.valid_towns)}个镇街(仅计入通过校验的报表)")
    _header(ws, 3, ["序号", "镇(街道)", "状态", "错误数", "待核实警告数", "文件"])
    for i, (town, s) in enumerate(r.towns.items(), start=1):
        row = 3 + i
        put(ws, row, 1, i)
        put(ws, row, 2, town)
        cell = put(ws, row, 3, STATUS_ZH[s.status])
        if s.status != "valid":
            cell.fill = BAD_FILL
        put(ws, row, 4, s.errors)
        put(ws, row, 5, s.warnings)
        put(ws, row, 6, "\n".join(s.files)).alignment = WRAP
    row = 4 + len(r.towns) + 1
    ws.cell(row, 1, "未计入的文件").font = BOLD
    _header(ws, row + 1, ["序号", "文件", "原因"])
    for i, ig in enumerate(r.ignored, start=1):
        put(ws, row + 1 + i, 1, i)
        put(ws, row + 1 + i, 2, Path(ig.file).name)
        put(ws, row + 1 + i, 3, ig.public_zh)
    for col, width in zip("ABCDEF", (6, 14, 18, 8, 12, 60), strict=True):
        ws.column_dimensions[col].width = width
    _print_setup(ws, "C4")


def _attachment_sheets(wb: Workbook, r: Rollup) -> None:
    layout = form_layout()
    names = load_registry().by_code()
    for sheet in layout.sheets:
        codes = [f.code for b in sheet.blocks for f in b.figures]
        ws = wb.create_sheet(sheet.sheet.name + " 汇总")
        _title(ws, f"{sheet.sheet.title}(汇总) {r.period}", len(codes) + 2)
        ws.cell(2, 1, f"合计覆盖{len(r.valid_towns)}个镇街;未通过、未报送的镇街不计入合计")
        _header(ws, 3, ["镇(街道)", "状态"] + [names[c].name_zh for c in codes])
        _header(ws, 4, ["", "指标代码"] + codes)
        _header(ws, 5, ["", "计量单位"] + [names[c].unit for c in codes])
        ws.row_dimensions[3].height = 60
        row = 6
        for town, s in r.towns.items():
            put(ws, row, 1, town)
            put(ws, row, 2, STATUS_ZH[s.status])
            values = r.by_town.get(town)
            for c, code in enumerate(codes, start=3):
                put(ws, row, c, values[code] if values else None, _fmt(code))
            row += 1
        put(ws, row, 1, "合计").font = BOLD
        put(ws, row, 2, f"{len(r.valid_towns)}个镇街")
        for c, code in enumerate(codes, start=3):
            cell = put(ws, row, c, r.totals[code], _fmt(code))
            cell.font, cell.fill = BOLD, TOTAL_FILL
        ws.column_dimensions["A"].width = 12
        ws.column_dimensions["B"].width = 16
        for c in range(3, len(codes) + 3):
            ws.column_dimensions[get_column_letter(c)].width = 13
        _print_setup(ws, "C6")


def _targets_sheet(wb: Workbook, r: Rollup) -> None:
    names = load_registry().by_code()
    ws = wb.create_sheet("目标完成情况", 0)
    _title(ws, f"2020年目标任务完成情况({r.period},序时进度{r.time_progress:.1%})", 8)
    ws.cell(2, 1, f"完成数为{len(r.valid_towns)}个通过校验镇街的合计")
    labels = ["指标", "代码", "单位", "目标", "完成", "完成率", "序时进度", "进度"]
    _header(ws, 3, labels)
    row = 4
    for code, t in r.targets.items():
        unit = names[code].unit  # coverage targets too: target = persons eligible or planned
        put(ws, row, 1, names[code].name_zh + ("(覆盖率)" if t.coverage else ""))
        put(ws, row, 2, code)
        put(ws, row, 3, unit)
        put(ws, row, 4, t.target, _fmt(code))
        put(ws, row, 5, t.actual, _fmt(code))
        put(ws, row, 6, t.completion, "0.0%")
        put(ws, row, 7, r.time_progress, "0.0%")
        behind = r.is_behind(t)
        cell = put(ws, row, 8, "滞后" if behind else "达到序时进度")
        if behind:
            cell.fill = BAD_FILL
        row += 1
    last = row - 1
    for col, width in zip("ABCDEFGH", (34, 26, 10, 10, 10, 10, 10, 14), strict=True):
        ws.column_dimensions[col].width = width
    if last >= 4:
        chart = BarChart()
        chart.type = "col"
        chart.title = "各指标完成率与序时进度"
        chart.y_axis.number_format = "0%"
        chart.add_data(Reference(ws, min_col=6, min_row=3, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
        line = LineChart()
        line.add_data(Reference(ws, min_col=7, min_row=3, max_row=last), titles_from_data=True)
        chart += line
        chart.height, chart.width = 12, 22
        ws.add_chart(chart, "J3")

    # by town: completion of every split target, and the ranking index
    ranking = dict(town_ranking(r))
    split = [c for c, t in r.targets.items() if not t.coverage]
    top = last + 3
    ws.cell(top - 1, 1, "各镇街完成情况(完成率 = 镇街完成数 / 任务分解数)").font = BOLD
    _header(ws, top, ["镇(街道)", "平均完成率", "序时进度"] + split)
    row = top + 1
    for town in r.towns:
        put(ws, row, 1, town)
        put(ws, row, 2, ranking.get(town), "0.0%")
        put(ws, row, 3, r.time_progress, "0.0%")
        for c, code in enumerate(split, start=4):
            d = r.targets[code].by_town.get(town)
            cell = put(ws, row, c, d.completion if d else None, "0.0%")
            if d and d.completion is not None and d.completion < r.time_progress:
                cell.fill = BAD_FILL
        row += 1
    if r.towns:
        chart = BarChart()
        chart.title = "各镇街平均完成率与序时进度"
        chart.y_axis.number_format = "0%"
        chart.add_data(
            Reference(ws, min_col=2, min_row=top, max_row=row - 1), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=row - 1))
        line = LineChart()
        line.add_data(Reference(ws, min_col=3, min_row=top, max_row=row - 1), titles_from_data=True)
        chart += line
        chart.height, chart.width = 12, 22
        ws.add_chart(chart, f"J{top}")
    _print_setup(ws, "B4")


def _findings_sheet(wb: Workbook, r: Rollup) -> None:
    names = {c: (i.name_zh, i.name_en) for c, i in load_registry().by_code().items()}
    ws = wb.create_sheet("问题清单")
    _title(ws, f"{r.period} 校验问题清单", 9)
    labels = ["镇(街道)", "文件", "类别", "代码", "工作表", "单元格", "指标", "说明", "已说明"]
    _header(ws, 3, labels)
    row = 4
    for town, s in r.towns.items():
        for report in s.reports:
            for f in report.findings:
                values = [
                    town,
                    report.file,
                    "错误" if f.severity == "error" else "警告",
                    f.code,
                    f.sheet,
                    f.cell,
                    f.indicator,
                    f.message("zh", names),
                    "是" if f.explained else "",
                ]
                for c, v in enumerate(values, start=1):
                    put(ws, row, c, v)
                row += 1
    for i, ig in enumerate(r.ignored):
        for c, v in enumerate(["", ig.file, "未计入", "", "", "", "", ig.reason_zh, ""], start=1):
            put(ws, row + i, c, v)
    for col, width in zip("ABCDEFGHI", (12, 40, 6, 24, 20, 8, 26, 70, 7), strict=True):
        ws.column_dimensions[col].width = width
    _print_setup(ws, "A4")


def build_workbook(r: Rollup) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.category = OWN_WORKBOOK_MARK
    wb.properties.creator = "shuangfu"
    _status_sheet(wb, r)
    _attachment_sheets(wb, r)
    _targets_sheet(wb, r)
    _findings_sheet(wb, r)
    wb.active = 0
    return wb


def write_workbook(r: Rollup, out: Path) -> None:
    wb = build_workbook(r)
    with atomic_path(out) as tmp:
        wb.save(tmp)
