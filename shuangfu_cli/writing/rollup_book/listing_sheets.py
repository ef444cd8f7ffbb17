"""The sheets that list: 报送情况 (every town in exactly one state, with its files) and 问题清单
(every finding of every town's return — one of another quarter too, marked 未计入 with why —
and every file not counted)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from shuangfu_cli.district.rollup import Rollup
from shuangfu_cli.district.town_states import returns_read
from shuangfu_cli.text.sanitize import file_name
from shuangfu_cli.writing.rollup_book.sheet_cells import (
    STATUS_ZH,
    fit_height,
    header,
    page,
    put,
    title,
)
from shuangfu_cli.writing.rollup_book.streamed import StreamedSheet
from shuangfu_cli.writing.styles import BAD_FILL, BOLD, WRAP


def status_sheet(wb, r: Rollup) -> None:
    say = r.units.say  # the units' words (one level up: 区县)
    ws = StreamedSheet(wb, "报送情况")
    for col, width in zip("ABCDEF", (6, 14, 22, 8, 12, 44), strict=True):
        ws.column_dimensions[col].width = width
    title(ws, 1, say(f"{r.period} 各镇（街道）报送情况"), 6)
    ws.cell(2, 1, say(f"合计数覆盖{len(r.valid_towns)}个镇（街道）（仅计入通过校验的报表）"))
    header(ws, 3, ["序号", say("镇（街道）"), "状态", "错误数", "待核实警告数", "文件"])
    last = 4 + len(r.towns) + (2 + len(r.ignored) if r.ignored else 0)
    page(ws, 6, last, title_rows="3:3", freeze="C4")  # before the rows: see streamed.py
    for i, (town, s) in enumerate(r.towns.items(), start=1):
        row = 3 + i
        put(ws, row, 1, i)
        put(ws, row, 2, town)
        cell = put(ws, row, 3, STATUS_ZH[s.status])
        if s.status != "valid":
            cell.fill = BAD_FILL
        put(ws, row, 4, s.errors)
        put(ws, row, 5, s.warnings)
        files = [
            file_name(rep.file) + (f"（报告期{rep.period}）" if s.status == "other_period" else "")
            for rep in s.reports
        ] or [file_name(f) for f in s.files]
        put(ws, row, 6, "\n".join(files) or "—").alignment = WRAP
        fit_height(ws, row, {3: 22, 6: 44})
        ws.flush(row)
    row = 4 + len(r.towns) + 1
    if r.ignored:
        ws.cell(row, 1, "未计入的文件").font = BOLD
        header(ws, row + 1, ["序号", "文件", "原因"])
        ws.merge_cells(start_row=row + 1, start_column=3, end_row=row + 1, end_column=6)
        for i, ig in enumerate(r.ignored, start=1):
            put(ws, row + 1 + i, 1, i)
            put(ws, row + 1 + i, 2, file_name(ig.file)).alignment = WRAP
            put(ws, row + 1 + i, 3, ig.public_zh).alignment = WRAP
            ws.merge_cells(start_row=row + 1 + i, start_column=3, end_row=row + 1 + i, end_column=6)
            fit_height(ws, row + 1 + i, {2: 14, 3: 22 + 8 + 12 + 44})
            ws.flush(row + 1 + i)
        row += 2 + len(r.ignored)
    assert row - 1 == last
    ws.finish()


def findings_sheet(wb, r: Rollup) -> None:
    names = r.names
    ws = StreamedSheet(wb, "问题清单")
    labels = [
        r.units.say("镇（街道）"),
        "文件",
        "类别",
        "工作表",
        "单元格",
        "说明",
        "已说明",
        "代码",
    ]
    title(ws, 1, f"{r.period} 校验问题清单", len(labels))
    header(ws, 3, labels)
    count = sum(len(rep.findings) for _t, rep, _w in returns_read(r.towns, r.ignored))
    last = 3 + count + len(r.ignored)
    page(ws, len(labels), last, title_rows="3:3", freeze="A4")  # before the rows: streamed.py
    widths = dict(enumerate((10, 22, 6, 14, 7, 60, 6, 22), start=1))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    row = 4
    for town, report, why in returns_read(r.towns, r.ignored):
        file = file_name(report.file) + (f"（未计入：{why[0]}）" if why else "")
        for f in report.findings:
            values = [
                town,
                file,
                "错误" if f.severity == "error" else "警告",
                f.sheet,
                f.cell,
                f.message("zh", names),
                "是" if f.explained else "",
                f.code,
            ]
            for c, v in enumerate(values, start=1):
                put(ws, row, c, v).alignment = WRAP
            fit_height(ws, row, widths)
            ws.flush(row)
            row += 1
    for ig in r.ignored:
        for c, v in enumerate(
            ["", file_name(ig.file), "未计入", "", "", ig.reason_zh, "", ""], start=1
        ):
            put(ws, row, c, v).alignment = WRAP
        fit_height(ws, row, widths)
        ws.flush(row)
        row += 1
    assert row - 1 == last
    ws.finish()
