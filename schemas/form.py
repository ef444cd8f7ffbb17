"""Building blocks of the return's schema: value types and the metadata that lays a form out.

Every section of the return is a Pydantic model. Its class-level metadata (``form``) and the
``json_schema_extra`` of its fields say how the section is printed on paper: sheet, block title,
row and column labels, units. The template writer, the reader and the rules all read the layout
from here (through :mod:`shuangfu_cli.layout`), so the schema is the single source of the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticUndefined

#: A whole, non-negative count: persons, person-times, sessions, households, workshops.
Count = Annotated[int, Field(ge=0)]
#: Money in 万元, non-negative, at most 4 decimals.
Money = Annotated[Decimal, Field(ge=0, decimal_places=4, max_digits=18)]
YesNo = Literal["是", "否"]
VillageKind = Literal["贫困村", "非贫困村", "社区"]
VILLAGE_KINDS: tuple[str, ...] = ("贫困村", "非贫困村", "社区")
POOR_VILLAGE = "贫困村"

UNIT_OF_KIND = {"count": None, "money": "万元"}


class FormModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def figure(label: str, unit: str, *, not_above: str | None = None) -> Any:
    """A single-value input of a scalar block; the field name is its code."""
    return Field(json_schema_extra={"label": label, "unit": unit, "not_above": not_above})


def column(
    label: str,
    unit: str | None = None,
    *,
    not_above: str | None = None,
    not_below: str | None = None,
    width: int = 14,
    default: Any = PydanticUndefined,
    max: int | None = None,
    required: bool = False,
) -> Any:
    """A column of a grid or of a list. ``not_above``/``not_below`` name a column of the same row.
    ``max`` is a list column's plausibility bound: a value above it is an error at its cell
    (a grid's figures have theirs in indicators.yaml). ``required``: a list row with this cell
    blank is incomplete, an error at the cell (a list figure with nothing to report is 0)."""
    return Field(
        default,
        json_schema_extra={
            "label": label,
            "unit": unit,
            "not_above": not_above,
            "not_below": not_below,
            "width": width,
            "max": max,
            "required_cell": required,  # not "required": a JSON Schema keyword
        },
    )


def row(label: str) -> Any:
    """A row of a grid; the field name is the row key used in the code."""
    return Field(json_schema_extra={"label": label})


@dataclass(frozen=True)
class Sheet:
    """Where an attachment or a list is printed."""

    name: str
    title: str
    unit_line: str


@dataclass(frozen=True)
class Block:
    """A titled block of an attachment sheet (scalar figures or a grid)."""

    title: str
    #: For grids: how a cell's code is made from the row and column keys.
    code_format: str = ""
    #: For grids: the row that is the sum of the others.
    total_row: str | None = None
    #: For grids: a row whose code drops the row part (e.g. LDR_STOCK for the total row).
    bare_row: str | None = None

    def code(self, row_key: str, col_key: str) -> str:
        if row_key == self.bare_row:
            return self.code_format.format(row="", col=col_key).replace("__", "_").rstrip("_")
        return self.code_format.format(row=row_key, col=col_key)


@dataclass(frozen=True)
class Summary:
    """How a summary figure is computed from a list: count rows, or sum a column, optionally
    only over rows whose ``where`` column holds one of ``values``. Only rows with a name count,
    and a count counts a row only when its ``column`` holds a number too (in the form:
    COUNTIFS with "<>" and ">=0", SUMIFS with "<>"), so a note typed into a list is counted
    neither by the form nor by the tool."""

    op: Literal["count", "sum"]
    column: str | None = None
    where: str | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListForm:
    """Metadata of a list (one row per workshop, village or class)."""

    sheet: Sheet
    table: str  # Excel table name
    key: str  # the column that names a row (must be filled)
    summaries: dict[str, Summary] = field(default_factory=dict)
    rows: int = 30  # rows the template's table offers


class ScalarBlock(FormModel):
    form: ClassVar[Block]


class GridBlock(FormModel):
    form: ClassVar[Block]


class ListRow(FormModel):
    form: ClassVar[ListForm]


class Attachment(FormModel):
    sheet: ClassVar[Sheet]
