"""What every section of the template shares while the workbook is written: the workbook, the
return's town and period, the addresses handed out so far and the validations made."""

from __future__ import annotations

from typing import Literal, TypedDict

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from schemas import FormsInfo, IndicatorRegistry, Policy, TownRef
from shuangfu_cli.form.layout import form_layout

#: a list's validation and unlocked cells reach this row, beyond its closing line (rows
#: inserted above the line are validated; a note typed below it is welcome)
LIST_LAST_ROW = 1000


class _Range(TypedDict, total=False):
    """A number validation's operator and bounds, as DataValidation takes them."""

    operator: Literal["between", "greaterThanOrEqual"]
    formula1: str
    formula2: str


def validation(vtype: str, choices=(), most=None) -> DataValidation:
    """What the spreadsheet program itself refuses as it is typed: counts are whole and not
    negative, money not negative, and neither above the figure's plausibility bound `most`."""
    bounded: _Range = (
        {"operator": "between", "formula1": "0", "formula2": str(most)} if most else {}
    )
    at_least: _Range = {"operator": "greaterThanOrEqual", "formula1": "0"}
    if vtype == "count":
        dv = DataValidation(type="whole", **(bounded or at_least))
        dv.error = "请填写0或正整数" + (f"，不超过{most}" if most else "")
    elif vtype == "money":
        dv = DataValidation(type="decimal", **(bounded or at_least))
        dv.error = "请填写金额（万元），不能为负数，最多4位小数" + (
            f"，不超过{most}" if most else ""
        )
    elif vtype == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526")
        dv.error = "请填写日期，如2020-09-01"
    else:
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
        dv.error = "请从下拉列表中选择：" + "、".join(choices)
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "输入有误"
    return dv


class Book:
    def __init__(
        self,
        town: TownRef,
        period: str,
        registry: IndicatorRegistry,
        forms: FormsInfo | None = None,
        policy: Policy | None = None,
    ):
        self.town, self.period, self.registry, self.forms = town, period, registry, forms
        #: the thresholds the self-check compiles (the reference's, as validate reads them)
        self.policy = policy or Policy()
        self.wb = Workbook()
        self.wb.remove(self.wb.worksheets[0])  # the sheet a new workbook starts with
        self.layout = form_layout()
        self.figure_cells: dict[str, str] = {}  # code -> absolute reference
        self.list_ranges: dict[tuple[str, str], str] = {}  # (list, column) -> range
        self.validations: dict[tuple[str, str], DataValidation] = {}
        self.bounds = registry.bounds()
        #: totals and summaries, written once every cell they refer to has its address
        self.pending_formulas: list[tuple] = []

    def dv(self, ws, vtype: str, choices=(), most=None) -> DataValidation:
        key = (ws.title, vtype + "|".join(choices) + f"|{most}")
        if key not in self.validations:
            dv = validation(vtype, choices, most)
            ws.add_data_validation(dv)
            self.validations[key] = dv
        return self.validations[key]

    def cover_name(self, key: str) -> str:
        """The defined name of a cover field (COVER_PERIOD for "period")."""
        return self.layout.cover_field(key).name

    def name(self, name: str, ws, row: int, col: int) -> None:
        ref = f"{quote_sheetname(ws.title)}!${get_column_letter(col)}${row}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.figure_cells[name] = ref
