"""What reading a return gives: located values (a cell keeps its sheet and reference), list
rows, and the findings made while reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from shuangfu_cli.form.findings import Finding


@dataclass(slots=True)
class Cell:
    sheet: str
    ref: str
    raw: object
    value: object = None
    problem: str | None = None  # BLANK or an E_ code from values.py
    limit: int | Decimal | None = None  # the plausibility bound, for E_TOO_LARGE
    #: read right but left out by the form's own formulas: "text" (a number stored as text,
    #: which SUM skips), "spaces" (a 是 with spaces, which COUNTIF skips)
    quirk: str | None = None


@dataclass(slots=True)
class ListRowData:
    row: int  # the row number as Excel shows it
    cells: dict[str, Cell]

    def value(self, key: str):
        cell = self.cells.get(key)
        return None if cell is None else cell.value


@dataclass
class ReadReturn:
    path: Path
    fmt: str
    cover: dict[str, Cell] = field(default_factory=dict)
    figures: dict[str, Cell] = field(default_factory=dict)
    lists: dict[str, list[ListRowData]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: list name -> the 合计 rows a clerk added in the list (read past, but inside the form's
    #: formula ranges): (row number, the row's name cell)
    total_rows: dict[str, list[tuple[int, Cell]]] = field(default_factory=dict)
    #: list name -> the notes a clerk typed into the list (not rows of it): (row number, the
    #: cell holding the note)
    notes: dict[str, list[tuple[int, Cell]]] = field(default_factory=dict)
    #: list name -> the rows typed below the list's closing line, outside the form's formulas
    #: and print area: (row number, the row's name cell, or its first filled cell)
    outside: dict[str, list[tuple[int, Cell]]] = field(default_factory=dict)
    #: the period each form prints under its title (the cell right of 填报单位), one per form
    printed_periods: list[Cell] = field(default_factory=list)
    #: the file's bytes as they were read and checked: a copy made of the return afterwards
    #: (--annotate) is made of these, never of the path read again
    data: bytes = field(default=b"", repr=False)

    def plain_lists(self) -> dict[str, list[dict[str, object]]]:
        """Every list's rows as plain values (column key -> value), for what is made from a
        return after its check (the district's own return). An explanation that points at a
        cell of a list row also gets ``about``: that row's name, so it can follow the row."""
        out: dict[str, list[dict[str, object]]] = {
            name: [{key: cell.value for key, cell in row.cells.items()} for row in rows]
            for name, rows in self.lists.items()
        }
        named: dict[
            tuple[str, int], object
        ] = {}  # (sheet, row number) -> the name of the list row there
        for name, rows in self.lists.items():
            for row in rows if name != "explanations" else ():
                first = next(iter(row.cells.values()))
                named[(first.sheet, row.row)] = row.value("name")
        for explanation in out.get("explanations", []):
            sheet, ref = explained_place(explanation.get("sheet_name"), explanation.get("cell"))
            digits = "".join(ch for ch in ref if ch.isdigit())
            explanation["about"] = named.get((sheet, int(digits))) if digits else None
        return out


def explained_place(sheet: object, cell: object) -> tuple[str, str]:
    """(sheet, cell) an explanation names, as typed in its two columns: 'sheet!E4' may be typed
    into the cell column alone."""
    sheet, cell = str(sheet or "").strip(), str(cell or "").strip()
    if "!" in cell:
        sheet, cell = cell.rsplit("!", 1)
        sheet = sheet.strip("'")
    return sheet, cell
