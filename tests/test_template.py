"""The blank template describes itself: defined names, tables, locked formulas, validation."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from shuangfu_cli.form.layout import form_layout


@pytest.fixture(scope="module")
def wb(blank_templates):
    return load_workbook(blank_templates("柏梓镇", "2020Q3"))


def _cell(wb, name):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")]


def test_every_code_and_cover_field_has_a_defined_name(wb):
    layout = form_layout()
    names = set(wb.defined_names)
    assert set(layout.figures) <= names
    assert {f.name for f in layout.cover} <= names


def test_cover_is_prefilled(wb):
    assert _cell(wb, "COVER_TOWN").value == "柏梓镇"
    assert _cell(wb, "COVER_PERIOD").value == "2020Q3"
    assert _cell(wb, "COVER_TOWN").protection.locked


def test_inputs_unlocked_and_validated_totals_locked_formulas(wb):
    layout = form_layout()
    for code, f in layout.figures.items():
        cell = _cell(wb, code)
        ws = cell.parent
        assert ws.protection.sheet
        if f.is_input:
            assert cell.value is None and not cell.protection.locked, code
            rules = [dv for dv in ws.data_validations.dataValidation if cell.coordinate in dv.sqref]
            want = "decimal" if f.vtype == "money" else "whole"
            assert [dv.type for dv in rules] == [want], code
        else:
            assert str(cell.value).startswith("=") and cell.protection.locked, code


def test_total_formula_adds_its_parts(wb):
    formula = _cell(wb, "EDU_TOTAL_FUNDED").value
    for stage in ("PRESCHOOL", "COMPULSORY", "HIGHSCHOOL", "VOCATIONAL", "COLLEGE"):
        ((sheet, ref),) = list(wb.defined_names[f"EDU_{stage}_FUNDED"].destinations)
        assert ref in formula
    assert "SUMIF" in _cell(wb, "LDR_STOCK_POORV").value
    assert "COUNTIF" in _cell(wb, "EMP_WS_NEW").value


def test_lists_are_named_tables_and_villages_prefilled(wb, reference):
    tables = {name: ws for ws in wb.worksheets for name in ws.tables}
    assert {"EMP_WORKSHOPS", "LDR_VILLAGES", "LDR_CLASSES", "EXPLANATIONS"} <= set(tables)
    ws = tables["LDR_VILLAGES"]
    town = reference.town("柏梓镇")
    _, header, _, _ = range_boundaries(ws.tables["LDR_VILLAGES"].ref)
    rows = range(header + 1, header + 1 + len(town.villages))
    names = [ws.cell(r, 1).value for r in rows]
    kinds = [ws.cell(r, 2).value for r in rows]
    assert names == [v.name for v in town.villages]
    assert kinds == [v.kind for v in town.villages]
    choice = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert choice and "贫困村" in choice[0].formula1


def test_indicator_sheet_comes_from_the_registry(wb, registry):
    ws = wb["指标解释"]
    codes = [ws.cell(r, 1).value for r in range(4, 4 + len(registry.indicators))]
    assert codes == [i.code for i in registry.indicators]
    assert "审核说明" in wb.sheetnames


def test_template_is_written_whole_or_not_at_all(tmp_path, reference, registry, monkeypatch):
    from shuangfu_cli.writing import template

    out = tmp_path / "t.xlsx"
    out.write_bytes(b"previous")

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(template.Workbook, "save", boom)
    with pytest.raises(RuntimeError):
        template.write_template(reference.town("柏梓镇"), "2020Q3", registry, out)
    assert out.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [out]


def test_spreadsheet_refuses_figures_above_their_plausibility_bound(blank_templates, registry):
    """The bound in indicators.yaml (and a list column's in the schema) is a data validation
    rule, so Excel, WPS or Calc refuses an ID-card number as it is typed; 指标解释 prints it."""
    from openpyxl import load_workbook

    from shuangfu_cli.writing.fill import locate

    path = blank_templates("柏梓镇", "2020Q3")
    wb = load_workbook(path)
    bounds = registry.bounds()

    def rule_at(sheet, cell):
        hits = [dv for dv in wb[sheet].data_validations.dataValidation if cell in dv.sqref]
        assert len(hits) == 1, (sheet, cell)
        return hits[0]

    for code in ("EMP_JOBSEND", "EDU_COLLEGE_AMOUNT", "TRN_CADRE_GRAD_PTIMES"):
        dv = rule_at(*locate(path, code))
        assert (dv.operator, dv.formula1, dv.formula2) == ("between", "0", str(bounds[code]))
    dv = rule_at(*locate(path, ("workshops", 0, "workers")))
    assert (dv.type, dv.formula2) == ("whole", "5000")
    ws = wb["指标解释"]
    header = [c.value for c in ws[3]]
    col = header.index("合理上限") + 1
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == "EMP_JOBSEND")
    assert ws.cell(row, col).value == "100000人"
