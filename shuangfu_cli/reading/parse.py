"""What reading a form and reading a list share: a figure parsed in place at its cell, the
finding about a value no return can hold, a label not found, the columns of a header row."""

from __future__ import annotations

from decimal import Decimal

from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.values import HARD_MAX, parse_number, show
from shuangfu_cli.reading.grid import Grid
from shuangfu_cli.reading.located import Cell, ReadReturn

YUAN_PER_WANYUAN = 10_000


def in_wanyuan(yuan: Decimal) -> str:
    """An amount typed in 元 said in 万元, to 4 decimals as the form keeps them: 41000 -> 4.1."""
    wan = yuan / YUAN_PER_WANYUAN
    shown = wan.quantize(Decimal("0.0001")).normalize()
    return f"{shown:f}" if shown == wan else f"≈{shown:f}"


def number(cell: Cell, vtype: str, limit) -> None:
    """Parse a figure in place; above its plausibility bound it is refused like a non-number."""
    cell.value, cell.problem = parse_number(cell.raw, vtype)
    cell.limit = limit if limit is not None else HARD_MAX
    if cell.problem is None and limit is not None and cell.value > limit:
        # an amount that is plausible once read as 元: the usual slip for 万元
        yuan = vtype == "money" and cell.value <= limit * YUAN_PER_WANYUAN
        cell.value, cell.problem = None, "E_YUAN_FOR_WANYUAN" if yuan else "E_TOO_LARGE"
    if cell.problem is None and type(cell.raw) is str:
        cell.quirk = "text"


def bad_value(cell: Cell, code: str | None, subject: str | None = None, **params) -> Finding:
    if cell.problem == "E_YUAN_FOR_WANYUAN":
        wan = parse_number(cell.raw, "money")[0]
        assert isinstance(wan, Decimal)  # a plausible amount in 元
        params["wan"] = in_wanyuan(wan)
    assert cell.problem is not None, "only a cell with a problem is a bad value"
    return Finding(
        cell.problem,
        sheet=cell.sheet,
        cell=cell.ref,
        indicator=code,
        subject=subject,
        params={"raw": show(cell.raw), "max": show(cell.limit), **params},
    )


def missing(result: ReadReturn, sheet: Grid, label: str, what: str) -> None:
    result.findings.append(
        Finding("E_LABEL_MISSING", sheet=sheet.name, params={"label": label, "what": what})
    )


def header_columns(sheet: Grid, header: int, columns, what: str, result) -> dict[str, int]:
    """Each column's position (by key) in the header row; a label not there is reported."""
    found = {}
    for col in columns:
        pos = sheet.find(col.label, rows=(header,))
        if pos is None:
            missing(result, sheet, col.label, what)
        else:
            found[col.key] = pos[1]
    return found
