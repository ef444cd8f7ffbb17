"""Writing the blank return a town fills in Excel or WPS.

Each attachment is a sheet laid out like a Chinese statistical form; input cells are unlocked and
validated, totals are formulas in locked cells. Every single-value cell carries a workbook-level
defined name equal to its code and each list is an Excel table, so any tool can find any figure.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from schemas import Cover, Explanation, IndicatorRegistry, TownRef, period_months

from .layout import (
    GRID_LABEL_HEADER,
    SCALAR_HEADER,
    BlockLayout,
    Figure,
    ListLayout,
    form_layout,
)
from .styles import (
    BOLD,
    BORDER,
    CENTER,
    HEAD_FILL,
    INPUT_FILL,
    TITLE_FONT,
    TOTAL_FILL,
    UNLOCKED,
    WRAP,
)
from .writing.guard import atomic_path

LIST_LAST_ROW = 1000  # list formulas and validation reach this row, beyond the table itself


def _validation(vtype: str, choices=(), most=None) -> DataValidation:
    """What the spreadsheet program itself refuses as it is typed: counts are whole and not
    negative, money not negative, and neither above the figure's plausibility bound `most`."""
    bounded = {"operator": "between", "formula1": "0", "formula2": str(most)} if most else {}
    at_least = {"operator": "greaterThanOrEqual", "formula1": "0"}
    if vtype == "count":
        dv = DataValidation(type="whole", **(bounded or at_least))
        dv.error = "请填写0或正整数" + (f",不超过{most}" if most else "")
    elif vtype == "money":
        dv = DataValidation(type="decimal", **(bounded or at_least))
        dv.error = "请填写金额(万元),不能为负数,最多4位小数" + (f",不超过{most}" if most else "")
    elif vtype == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526")
        dv.error = "请填写日期,如2020-09-01"
    else:
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
        dv.error = "请从下拉列表中选择:" + "、".join(choices)
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "输入有误"
    return dv


class _Writer:
    def __init__(self, town: TownRef, period: str, registry: IndicatorRegistry):
        self.town, self.period, self.registry = town, period, registry
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.layout = form_layout()
        self.figure_cells: dict[str, str] = {}  # code -> absolute reference
        self.list_ranges: dict[tuple[str, str], str] = {}  # (list, column) -> range
        self.validations: dict[tuple[str, str], DataValidation] = {}
        self.bounds = registry.bounds()
        #: totals and summaries, written once every cell they refer to has its address
        self.pending_formulas: list[tuple] = []

    # -- helpers ---------------------------------------------------------------------------
    def _dv(self, ws, vtype: str, choices=(), most=None) -> DataValidation:
        key = (ws.title, vtype + "|".join(choices) + f"|{most}")
        if key not in self.validations:
            dv = _validation(vtype, choices, most)
            ws.add_data_validation(dv)
            self.validations[key] = dv
        return self.validations[key]

    def _heading(self, ws, title: str, unit_line: str, width: int) -> None:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.cell(1, 1, title).font = TITLE_FONT
        ws.cell(1, 1).alignment = CENTER
        ws.row_dimensions[1].height = 30
        ws.cell(2, 1, f"填报单位:{self.town.name}")
        ws.cell(2, max(2, width // 2), f"报告期:{period_months(self.period)}({self.period})")
        ws.cell(2, width, unit_line).alignment = Alignment(horizontal="right")

    def _protect(self, ws, *, rows_editable=False) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        if rows_editable:
            ws.protection.insertRows = False
            ws.protection.deleteRows = False
            ws.protection.sort = False
            ws.protection.autoFilter = False
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    def _name(self, name: str, ws, row: int, col: int) -> None:
        ref = f"{quote_sheetname(ws.title)}!${get_column_letter(col)}${row}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.figure_cells[name] = ref

    # -- sheets ----------------------------------------------------------------------------
    def cover(self) -> None:
        ws = self.wb.create_sheet(Cover.sheet.name)
        ws.merge_cells("A1:D1")
        ws["A1"] = Cover.sheet.title
        ws["A1"].font = TITLE_FONT
        ws["A1"].alignment = CENTER
        ws.row_dimensions[1].height = 36
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 36
        prefill = {"town": self.town.name, "period": self.period}
        for i, f in enumerate(self.layout.cover):
            r = 3 + i
            ws.cell(r, 1, f.label).font = BOLD
            ws.cell(r, 1).border = BORDER
            cell = ws.cell(r, 2, prefill.get(f.key))
            cell.border = BORDER
            if f.key not in prefill:
                cell.protection = UNLOCKED
                cell.fill = INPUT_FILL
            if f.key == "date":
                cell.number_format = "yyyy-mm-dd"
                self._dv(ws, "date").add(cell.coordinate)
            self._name(f.name, ws, r, 2)
        notes = [
            "填表说明:",
            "1. 报告期为季度,流量指标填1月1日至本季度末的累计数,存量指标填本季度末的时点数(见“指标解释”表)。",
            "2. 只在浅黄色格子中填写;灰色格子为自动计算的合计,不要改动。没有数据的填0。",
            "3. 扶贫车间、分村(社区)明细和培训班明细填在各自的明细表中,汇总数自动计算。",
            "4. 校验工具提示“核实性”问题且数据属实的,请在“审核说明”表中写明原因。",
            "5. 请勿增删、改名工作表,勿修改项目名称;保存为.xlsx(WPS用户请选择Excel格式)。",
        ]
        for i, line in enumerate(notes):
            ws.cell(11 + i, 1, line).alignment = Alignment(wrap_text=False)
        self._protect(ws)

    def attachment(self, sheet_layout) -> None:
        ws = self.wb.create_sheet(sheet_layout.sheet.name)
        width = max(len(SCALAR_HEADER), *(1 + len(b.columns) for b in sheet_layout.blocks))
        self._heading(ws, sheet_layout.sheet.title, sheet_layout.sheet.unit_line, width)
        ws.column_dimensions["A"].width = 28
        for c in range(2, width + 1):
            ws.column_dimensions[get_column_letter(c)].width = 16
        ws.column_dimensions["C"].width = 26  # scalar blocks print the code here
        row = 4
        for block in sheet_layout.blocks:
            row = self._block(ws, block, row) + 1
        self._protect(ws)

    def _block(self, ws, block: BlockLayout, row: int) -> int:
        ws.cell(row, 1, block.block.title).font = BOLD
        row += 1
        if block.kind == "scalar":
            headers = list(SCALAR_HEADER)
        else:
            headers = [GRID_LABEL_HEADER] + [f"{c.label}" for c in block.columns]
        for c, text in enumerate(headers, start=1):
            cell = ws.cell(row, c, text)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTER
        ws.row_dimensions[row].height = 30
        row += 1
        figures = {f.code: f for f in block.figures}
        if block.kind == "scalar":
            for code, label in block.rows:
                f = figures[code]
                for c, text in enumerate([label, f.unit, code], start=1):
                    ws.cell(row, c, text).border = BORDER
                self._figure(ws, f, row, 4)
                row += 1
        else:
            for rkey, label in block.rows:
                ws.cell(row, 1, label).border = BORDER
                for c, col in enumerate(block.columns, start=2):
                    self._figure(ws, figures[block.block.code(rkey, col.key)], row, c)
                row += 1
        return row

    def _figure(self, ws, f: Figure, row: int, col: int) -> None:
        cell = ws.cell(row, col)
        cell.border = BORDER
        cell.number_format = "0.0000" if f.vtype == "money" else "0"
        self._name(f.code, ws, row, col)
        if f.is_input:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
            self._dv(ws, f.vtype, most=self.bounds.get(f.code)).add(cell.coordinate)
        else:
            cell.fill = TOTAL_FILL
            self.pending_formulas.append((cell, f))

    def _formula(self, f: Figure) -> str:
        if f.parts:
            return "=" + "+".join(self.figure_cells[p] for p in f.parts)
        s = f.summary
        if s.op == "count" and s.where is None:
            return f"=COUNTA({self.list_ranges[(f.summary_of, 'name')]})"
        if s.op == "count":
            rng = self.list_ranges[(f.summary_of, s.where)]
            return "=" + "+".join(f'COUNTIF({rng},"{v}")' for v in s.values)
        col = self.list_ranges[(f.summary_of, s.column)]
        if s.where is None:
            return f"=SUM({col})"
        rng = self.list_ranges[(f.summary_of, s.where)]
        return "=" + "+".join(f'SUMIF({rng},"{v}",{col})' for v in s.values)

    def list_sheet(self, lst: ListLayout, prefill: list[dict]) -> None:
        ws = self.wb.create_sheet(lst.sheet.name)
        width = len(lst.columns)
        self._heading(ws, lst.sheet.title, lst.sheet.unit_line, width)
        header = 3
        n = max(len(prefill), lst.form.rows, 1)
        for c, col in enumerate(lst.columns, start=1):
            cell = ws.cell(header, c, col.label)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTER
            ws.column_dimensions[get_column_letter(c)].width = col.width
            letter = get_column_letter(c)
            first, last = header + 1, LIST_LAST_ROW
            self.list_ranges[(lst.name, col.key)] = (
                f"{quote_sheetname(ws.title)}!${letter}${first}:${letter}${last}"
            )
            if col.vtype != "text":
                self._dv(ws, col.vtype, col.choices, col.max).add(f"{letter}{first}:{letter}{last}")
            for r in range(first, header + n + 1):
                cell = ws.cell(r, c)
                cell.protection = UNLOCKED
                cell.border = BORDER
                if col.vtype == "date":
                    cell.number_format = "yyyy-mm-dd"
            self._unlock_column(ws, c, header + n + 1, last)
        ws.row_dimensions[header].height = 30
        for i, values in enumerate(prefill):
            for c, col in enumerate(lst.columns, start=1):
                if col.key in values:
                    ws.cell(header + 1 + i, c, values[col.key])
        ref = f"A{header}:{get_column_letter(width)}{header + n}"
        table = Table(displayName=lst.form.table, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
        ws.freeze_panes = ws.cell(header + 1, 1)
        self._protect(ws, rows_editable=True)

    @staticmethod
    def _unlock_column(ws, col: int, first: int, last: int) -> None:
        # rows below the table stay editable so a town can add workshops or classes
        letter = get_column_letter(col)
        ws.column_dimensions[letter].protection = UNLOCKED
        for r in range(first, min(last, first + 200) + 1):
            ws[f"{letter}{r}"].protection = UNLOCKED

    def indicators(self) -> None:
        ws = self.wb.create_sheet("指标解释")
        headers = [
            "指标代码",
            "指标名称",
            "计量单位",
            "类型",
            "指标解释(口径)",
            "不得大于",
            "合理上限",
            "2020年全区目标",
        ]
        widths = [28, 30, 9, 8, 80, 28, 12, 14]
        self._heading(ws, "“双扶”工作季报表指标解释", "", len(headers))
        for c, (text, w) in enumerate(zip(headers, widths, strict=True), start=1):
            cell = ws.cell(3, c, text)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTER
            ws.column_dimensions[get_column_letter(c)].width = w
        for r, ind in enumerate(self.registry.indicators, start=4):
            target = ind.target if ind.target is not None else (ind.target_note or "")
            values = [
                ind.code,
                ind.name_zh,
                ind.unit,
                "流量(累计)" if ind.kind == "flow" else "存量(期末)",
                ind.definition,
                "、".join(ind.not_above),
                f"{ind.max}{ind.unit}",
                target,
            ]
            for c, v in enumerate(values, start=1):
                cell = ws.cell(r, c, v)
                cell.border = BORDER
                cell.alignment = WRAP
        ws.freeze_panes = "A4"
        self._protect(ws)

    def build(self) -> Workbook:
        self.cover()
        for sheet_layout in self.layout.sheets:
            self.attachment(sheet_layout)
        villages = [{"name": v.name, "kind": v.kind} for v in self.town.villages]
        for lst in self.layout.lists:
            self.list_sheet(lst, villages if lst.name == "villages" else [])
        self.list_sheet(self.layout.explanations, [])
        self.indicators()
        for cell, f in self.pending_formulas:
            cell.value = self._formula(f)
        # the explanations sheet is for free text: keep it unprotected
        self.wb[Explanation.form.sheet.name].protection.sheet = False
        self.wb.active = 0
        return self.wb


def build_template(town: TownRef, period: str, registry: IndicatorRegistry) -> Workbook:
    return _Writer(town, period, registry).build()


def write_template(town: TownRef, period: str, registry: IndicatorRegistry, out: Path) -> None:
    """Write the blank return for `town` and `period` to `out` (whole or not at all)."""
    wb = build_template(town, period, registry)
    with atomic_path(out) as tmp:
        wb.save(tmp)
