"""`shuangfu reference export FILE.xlsx`: the reference data as a workbook a statistician edits.

Sheets (form/reference_layout.py): 说明, 基本信息, 表头信息 (the forms' identity block), 镇街,
村（社区） (each village with its town and kind), 任务分解表 (Attachment 1: a row per town, a
column per indicator with its Chinese name above its code, the district's target and the towns'
sum above the towns), 政策要求 and 审核灵敏度 (each threshold with its unit and the document's
section), 指标一览 (every code with its name: what the codes mean). Data validation keeps what
is typed to what the reader takes: a kind from its list, a town from the towns sheet, whole
numbers for targets, each threshold within its range. Text goes through the workbook sanitiser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from schemas import VILLAGE_KINDS, IndicatorRegistry, Reference, meta
from shuangfu_cli.form.reference_layout import (
    BASICS_ROWS,
    FORMS_ROWS,
    INDICATOR_HEADERS,
    KV_HEADERS,
    NO,
    REFERENCE_MARK,
    SPLIT_CODES,
    SPLIT_FIRST_TOWN_ROW,
    SPLIT_SUM,
    SPLIT_TARGET,
    THRESHOLD_HEADERS,
    THRESHOLD_MODELS,
    TOWN_HEADERS,
    VILLAGE_HEADERS,
    YES,
    Row,
    Sheets,
    allowed_range,
)
from shuangfu_cli.text.sanitize import for_xlsx
from shuangfu_cli.writing.guard import atomic_path
from shuangfu_cli.writing.styles import (
    BOLD,
    BORDER,
    CENTER,
    HEAD_FILL,
    INPUT_FILL,
    TITLE_FONT,
    WRAP,
)

_KIND_ZH = {"flow": "累计数", "stock": "期末数"}

README_LINES = (
    "本工作簿是本工具使用的参考数据：镇街、村（社区）及其类别、任务分解表（附件1）、表头信息、政策要求和审核灵敏度。",
    "可在Excel或WPS中修改黄色单元格：增删镇街和村（社区）的行、修改任务数和政策要求；不要修改工作表名称和“代码”列。",
    "修改后先检查：shuangfu reference check 本文件.xlsx，按提示逐项改正（每条提示都指明工作表和单元格）。",
    "检查无误后使用：shuangfu template/validate/rollup --reference 本文件.xlsx …（也可设置环境变量SHUANGFU_REFERENCE）。",
    "任务分解表中空着的单元格表示该镇街没有分解该项任务；填0表示分解数为0。",
)


def write_reference_book(reference: Reference, registry: IndicatorRegistry, out: Path) -> None:
    """Write `reference` (with the indicator names of `registry`) as a workbook at `out`."""
    wb = build_reference_book(reference, registry)
    with atomic_path(out) as tmp:
        wb.save(tmp)


def build_reference_book(reference: Reference, registry: IndicatorRegistry) -> Workbook:
    wb = Workbook()
    wb.properties.category = REFERENCE_MARK
    wb.properties.title = f"{reference.district}{reference.year}年参考数据"
    readme = wb.active
    assert readme is not None
    readme.title = Sheets.README
    _readme(readme, reference)
    _basics(wb.create_sheet(Sheets.BASICS), reference)
    _forms(wb.create_sheet(Sheets.FORMS), reference)
    _towns(wb.create_sheet(Sheets.TOWNS), reference)
    _villages(wb.create_sheet(Sheets.VILLAGES), reference)
    _split(wb.create_sheet(Sheets.SPLIT), reference, registry)
    for name, model in THRESHOLD_MODELS.items():
        values = reference.policy if name == Sheets.POLICY else reference.plausibility
        _thresholds(wb.create_sheet(name), model, values)
    _indicators(wb.create_sheet(Sheets.INDICATORS), reference, registry)
    return wb


def _head(ws: Worksheet, headers: tuple[str, ...], widths: tuple[int, ...], row: int = 1) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row, col, text)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEAD_FILL, CENTER, BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row + 1, 1).coordinate


def _input(cell) -> None:
    cell.fill, cell.border = INPUT_FILL, BORDER


def _readme(ws: Worksheet, reference: Reference) -> None:
    ws.column_dimensions["A"].width = 120
    ws["A1"] = for_xlsx(f"{reference.district}{reference.year}年参考数据")
    ws["A1"].font = TITLE_FONT
    lines = list(README_LINES)
    if reference.sample:
        lines.insert(
            0, "注意：这是示例数据（基本信息中“是否示例数据”为“是”），请替换为本区实际数据。"
        )
    for i, line in enumerate(lines, start=3):
        ws.cell(i, 1, line).alignment = WRAP


def _kv_rows(ws: Worksheet, rows: list[tuple[Row, object]], start: int = 2) -> None:
    yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=False)
    kinds = DataValidation(type="list", formula1='"批准,备案"', allow_blank=False)
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1")
    for dv in (yes_no, kinds, whole):
        dv.error, dv.showErrorMessage = "请从下拉列表中选择或填写正确的值", True
        ws.add_data_validation(dv)
    for i, (row, value) in enumerate(rows, start=start):
        ws.cell(i, 1, row.label).border = BORDER
        shown: Any = (YES if value else NO) if row.kind == "bool" else value
        cell = ws.cell(i, 2, for_xlsx(shown) if isinstance(shown, str) else shown)
        _input(cell)
        ws.cell(i, 3, row.help).alignment = WRAP
        ws.cell(i, 4, row.key).font = Font(color="808080")
        chosen = {"bool": yes_no, "choice": kinds, "int": whole}.get(row.kind)
        if chosen is not None:
            chosen.add(cell.coordinate)


def _basics(ws: Worksheet, reference: Reference) -> None:
    _head(ws, KV_HEADERS, (16, 40, 50, 18))
    rows: list[tuple[Row, object]] = []
    for row in BASICS_ROWS:
        owner, _, name = row.key.rpartition(".")
        source = reference.units if owner == "units" else reference
        rows.append((row, getattr(source, name)))
    _kv_rows(ws, rows)


def _forms(ws: Worksheet, reference: Reference) -> None:
    _head(ws, KV_HEADERS, (16, 40, 50, 18))
    forms = reference.forms
    if forms is None:  # the forms print no identity block: the sheet stays empty
        return
    rows: list[tuple[Row, object]] = []
    for row in FORMS_ROWS:
        if row.key == "copy_to":
            rows.extend((row, office) for office in forms.copy_to)
        else:
            rows.append((row, getattr(forms, row.key)))
    _kv_rows(ws, rows)


def _towns(ws: Worksheet, reference: Reference) -> None:
    _head(ws, TOWN_HEADERS, (8, 20, 14, 14))
    villages = quote_sheetname(Sheets.VILLAGES)
    for i, town in enumerate(reference.towns, start=2):
        ws.cell(i, 1, i - 1)
        _input(ws.cell(i, 2, for_xlsx(town.name)))
        ws.cell(i, 3, f"=COUNTIF({villages}!$A:$A,B{i})")
        ws.cell(i, 4, f'=COUNTIFS({villages}!$A:$A,B{i},{villages}!$C:$C,"{VILLAGE_KINDS[0]}")')


def _villages(ws: Worksheet, reference: Reference) -> None:
    _head(ws, VILLAGE_HEADERS, (20, 24, 12))
    n_towns = len(reference.towns)
    towns = DataValidation(
        type="list", formula1=f"{quote_sheetname(Sheets.TOWNS)}!$B$2:$B${n_towns + 201}"
    )
    kinds = DataValidation(type="list", formula1='"' + ",".join(VILLAGE_KINDS) + '"')
    for dv in (towns, kinds):
        dv.error, dv.showErrorMessage = "请从下拉列表中选择", True
        ws.add_data_validation(dv)
    rows = [(t.name, v.name, v.kind) for t in reference.towns for v in t.villages]
    last = len(rows) + 1000  # room for the rows a statistician adds
    towns.add(f"A2:A{last}")
    kinds.add(f"C2:C{last}")
    for i, (town, village, kind) in enumerate(rows, start=2):
        for col, value in enumerate((town, village, kind), start=1):
            _input(ws.cell(i, col, for_xlsx(value)))
    ws.auto_filter.ref = f"A1:C{len(rows) + 1}"


def split_codes(reference: Reference, registry: IndicatorRegistry) -> list[str]:
    """The task split's columns: every indicator with a target or a town's share, in
    indicators.yaml's order."""
    shared = {code for t in reference.towns for code in t.targets}
    return [
        i.code
        for i in registry.indicators
        if i.target is not None or i.code in reference.targets or i.code in shared
    ]


def _split(ws: Worksheet, reference: Reference, registry: IndicatorRegistry) -> None:
    by_code = registry.by_code()
    codes = split_codes(reference, registry)
    last_col = get_column_letter(len(codes) + 1)
    ws.merge_cells(f"A1:{last_col}1")
    title = f"附件1  {reference.district}{reference.year}年扶志扶智（双扶）工作任务分解表"
    ws["A1"] = for_xlsx(title)
    ws["A1"].font, ws["A1"].alignment = TITLE_FONT, CENTER
    ws.row_dimensions[2].height = 60
    ws.column_dimensions["A"].width = 16
    labels = ("镇（街道）", SPLIT_CODES, SPLIT_TARGET, SPLIT_SUM)
    for row, label in enumerate(labels, start=2):
        cell = ws.cell(row, 1, label)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTER
    first, last = SPLIT_FIRST_TOWN_ROW, SPLIT_FIRST_TOWN_ROW + len(reference.towns) - 1
    for col, code in enumerate(codes, start=2):
        ind, letter = by_code[code], get_column_letter(col)
        ws.column_dimensions[letter].width = 14
        name = ws.cell(2, col, f"{ind.name_zh}（{ind.unit}）")
        name.font, name.fill, name.border, name.alignment = BOLD, HEAD_FILL, BORDER, CENTER
        ws.cell(3, col, code).font = Font(color="808080", size=8)
        target = reference.targets.get(code, ind.target)
        _input(ws.cell(4, col, target))
        ws.cell(5, col, f"=SUM({letter}{first}:{letter}{max(first, last)})").border = BORDER
        for row, town in enumerate(reference.towns, start=first):
            _input(ws.cell(row, col, town.targets.get(code)))
    for row, town in enumerate(reference.towns, start=first):
        ws.cell(row, 1, for_xlsx(town.name)).border = BORDER
    shares = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    shares.error, shares.showErrorMessage = "任务数应为不小于0的整数", True
    ws.add_data_validation(shares)
    shares.add(f"B4:{last_col}{last + 200}")
    ws.freeze_panes = ws.cell(first, 2).coordinate


def _thresholds(ws: Worksheet, model, values) -> None:
    _head(ws, THRESHOLD_HEADERS, (44, 12, 10, 12, 26))
    for i, name in enumerate(model.model_fields, start=2):
        m, value = meta(model, name), getattr(values, name)
        ws.cell(i, 1, m.zh).alignment = WRAP
        cell = ws.cell(i, 2, (YES if value else NO) if isinstance(value, bool) else value)
        _input(cell)
        ws.cell(i, 3, m.unit)
        ws.cell(i, 4, m.section)
        ws.cell(i, 5, name).font = Font(color="808080")
        if isinstance(value, bool):
            dv = DataValidation(type="list", formula1=f'"{YES},{NO}"')
        else:
            r = allowed_range(model, name)
            kind: Literal["whole", "decimal"] = "whole" if isinstance(value, int) else "decimal"
            low = r.low if r.low is not None else 0
            high = r.high if r.high is not None else 10**9
            dv = DataValidation(
                type=kind, operator="between", formula1=f"{low:g}", formula2=f"{high:g}"
            )
            dv.error = f"应在{r.text()}范围内"
            if m.unit == "比例":
                cell.number_format = "0.0%"
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(cell.coordinate)


def _indicators(ws: Worksheet, reference: Reference, registry: IndicatorRegistry) -> None:
    headers = (*INDICATOR_HEADERS[:-1], f"{reference.year}年{INDICATOR_HEADERS[-1]}")
    _head(ws, headers, (30, 50, 8, 8, 12, 12))
    for i, ind in enumerate(registry.indicators, start=2):
        target = reference.targets.get(ind.code, ind.target)
        row = (
            ind.code,
            ind.name_zh,
            ind.unit,
            _KIND_ZH[ind.kind],
            ind.max * reference.bounds_factor,
            target,
        )
        for col, value in enumerate(row, start=1):
            ws.cell(i, col, value).border = BORDER
    ws.auto_filter.ref = f"A1:F{len(registry.indicators) + 1}"
    ws.protection.sheet = True  # what the codes mean: read, not edited


def write_reference_data(reference: Reference, out: Path) -> None:
    """`reference` as YAML (.yaml, .yml) or JSON (.json) with the structure of towns.yaml."""
    import json

    data = reference.model_dump(mode="json")
    if out.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    else:
        import yaml

        head = "# 参考数据（shuangfu reference export 写出）/ reference data written by shuangfu\n"
        text = head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
