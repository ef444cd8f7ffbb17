"""What reading a return gives: located values (a cell keeps its sheet and reference), list
rows, and the findings made while reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..findings import Finding


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
