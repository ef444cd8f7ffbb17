"""`rollup --as-return FILE.xlsx`: the district's own return, written in the towns' template.

The workbook is the template of :mod:`.template` made for the district as one reporting unit
(its villages named with their towns), filled through its defined names and tables as any
outside tool fills it (:func:`shuangfu_cli.writing.fill.fill`): totals and list summaries stay the
form's own formulas. Text from the towns' returns goes through the workbook sanitiser.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from schemas import Reference
from shuangfu_cli.district.own_return import NAMED, DistrictReturn
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.text.sanitize import for_xlsx
from shuangfu_cli.writing.fill import fill
from shuangfu_cli.writing.guard import atomic_path
from shuangfu_cli.writing.template import build_template
from shuangfu_cli.writing.template.paper import NOTE, text_width


def _clean(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: for_xlsx(v) for k, v in row.items()} for row in rows]


#: the columns that hold a name with its town, widened to the longest; the explanations'
#: text (prefixed with its town) is wrapped instead
_WIDENED = {**NAMED, "explanations": ("subject",)}


def _fit_named_columns(wb, lists: dict[str, list[dict[str, object]]]) -> None:
    """Names with their town ('梓潼街道·三沟社区') are longer than a town's: their columns are
    widened to the longest and the explanations wrapped, so that the printed lists cut none."""
    layout = form_layout()
    for name, rows in lists.items():
        if name not in _WIDENED or not rows:
            continue
        lst = layout.list(name)
        ws = next(ws for ws in wb.worksheets if lst.form.table in ws.tables)
        first, header = CellRange(ws.tables[lst.form.table].ref).bounds[:2]
        keys = [c.key for c in lst.columns]
        for key in _WIDENED[name]:
            letter = get_column_letter(first + keys.index(key))
            longest = max(text_width(str(row.get(key) or "")) for row in rows) + 2
            dim = ws.column_dimensions[letter]
            dim.width = max(dim.width or 0, longest)
        if name == "explanations":
            col = first + keys.index("text")
            for r in range(header + 1, header + 1 + len(rows)):
                cell = ws.cell(r, col)
                cell.alignment = NOTE


def _filled_by_the_area(registry, reference: Reference):
    """The indicators as the district's own return explains them (its 指标解释 sheet): the
    district fills it, so a definition that says 本镇（街）, 全镇（街） or 户籍在本镇（街） says
    本区, 全区, 户籍在本区 (the reference's word for its area, `units.area`)."""
    area = reference.units.area
    indicators = [
        ind.model_copy(update={"definition": ind.definition.replace("镇（街）", area)})
        for ind in registry.indicators
    ]
    return registry.model_copy(update={"indicators": indicators})


def write_district_return(made: DistrictReturn, reference: Reference, out: Path) -> None:
    """Write the district's return to `out` (whole or not at all), with the rollup's registry.
    The form's input checks allow a district's figures: each town's bound (as the rollup judged
    its units) times the number of towns."""
    towns = reference.model_copy(
        update={"bounds_factor": max(len(reference.towns), 1), "targets": {}}
    )  # scales the bounds only: the rollup's registry has the reference's targets already
    registry = _filled_by_the_area(towns.registry_for_units(made.registry), reference)
    wb = build_template(made.unit, made.period, registry, reference.forms)
    lists = {name: _clean(rows) for name, rows in made.lists.items()}
    fill(wb, made.figures, lists, {k: for_xlsx(v) for k, v in made.cover.items()})
    _fit_named_columns(wb, lists)
    with atomic_path(out) as tmp:
        wb.save(tmp)
