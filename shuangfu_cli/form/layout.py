"""The form's layout, derived once from the Pydantic schemas.

`FORM` lists every sheet, block, figure and list of the return: the template writes it, the
reader finds it, the rules check it. Nothing here knows a cell address: addresses are decided
by the template and found again by the reader through the labels.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from pydantic import BaseModel

from schemas import ATTACHMENTS, LISTS, Cover, Explanation, TownReturn
from schemas.form import Block, GridBlock, ListForm, ScalarBlock, Sheet, Summary

#: Header labels of a scalar block.
SCALAR_HEADER = ("指标名称", "计量单位", "本期数")
VALUE_HEADER = SCALAR_HEADER[2]
GRID_LABEL_HEADER = "项目"
#: The line that closes each list of the form (扶贫车间明细, 村(社区)明细, 培训班明细), right under
#: its last row: the list's formulas and its print area end with this line, so a row inserted
#: anywhere above it is counted and printed, and what is typed below it is neither.
LIST_END_MARK = "本表到此为止"
LIST_END = (
    f"（{LIST_END_MARK}。行数不够时，请在本行之上插入行后填写；"
    "说明文字请写在“审核说明”表或本行以下。）"
)


@dataclass(frozen=True)
class Figure:
    """One single-value figure of the return, identified by its code."""

    code: str
    vtype: str  # "count" | "money"
    unit: str
    sheet: str
    block: str
    row_label: str
    col_label: str | None  # None for scalar blocks (value column is VALUE_HEADER)
    path: tuple[str, ...]  # where it sits in the TownReturn model
    parts: tuple[str, ...] = ()  # a total: the codes it is the sum of
    total: str | None = None  # a part of a total: that total's code
    summary_of: str | None = None  # a list summary: the list's name
    summary: Summary | None = None
    not_above: tuple[str, ...] = ()
    not_below: tuple[str, ...] = ()
    related_col: str | None = None  # grid column key (TRAINED, FUNDED, ...)

    @property
    def is_input(self) -> bool:
        """Typed by the town (not a formula in the template)."""
        return not self.parts and self.summary is None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str | None
    vtype: str  # count | money | text | choice | date
    choices: tuple[str, ...] = ()
    not_above: str | None = None
    not_below: str | None = None
    width: int = 14
    max: int | None = None  # plausibility bound of a list column
    required: bool = False  # a list row with this cell blank is incomplete


@dataclass(frozen=True)
class BlockLayout:
    sheet: str
    block: Block
    kind: str  # "scalar" | "grid"
    rows: tuple[tuple[str, str], ...]  # (key, label); for scalar blocks key is the code
    columns: tuple[Column, ...]  # grid columns; empty for scalar blocks
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class ListLayout:
    name: str  # field of TownReturn: workshops, villages, classes, explanations
    form: ListForm
    columns: tuple[Column, ...]

    @property
    def sheet(self) -> Sheet:
        return self.form.sheet

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class SheetLayout:
    sheet: Sheet
    path: str  # field of TownReturn
    blocks: tuple[BlockLayout, ...]


@dataclass(frozen=True)
class CoverField:
    key: str
    label: str
    name: str  # defined name


@dataclass(frozen=True)
class FormLayout:
    cover: tuple[CoverField, ...]
    sheets: tuple[SheetLayout, ...]
    lists: tuple[ListLayout, ...]
    explanations: ListLayout
    figures: dict[str, Figure] = field(default_factory=dict)

    def cover_field(self, key: str) -> CoverField:
        return next(f for f in self.cover if f.key == key)

    def list(self, name: str) -> ListLayout:
        return next(lst for lst in (*self.lists, self.explanations) if lst.name == name)


def _extra(info) -> dict:
    return dict(info.json_schema_extra or {})


def _vtype(annotation) -> tuple[str, tuple[str, ...]]:
    if annotation is int or annotation == typing.get_args(annotation):
        return "count", ()
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base = typing.get_args(annotation)[0]
        return ("money", ()) if base is Decimal else ("count", ())
    if origin is typing.Literal:
        return "choice", tuple(typing.get_args(annotation))
    if annotation is dt.date:
        return "date", ()
    if annotation is Decimal:
        return "money", ()
    return "text", ()


def _columns(model: type[BaseModel]) -> tuple[Column, ...]:
    cols = []
    for key, info in model.model_fields.items():
        ex = _extra(info)
        vtype, choices = _vtype(info.rebuild_annotation())
        cols.append(
            Column(
                key=key,
                label=ex["label"],
                unit=ex.get("unit"),
                vtype=vtype,
                choices=choices,
                not_above=ex.get("not_above"),
                not_below=ex.get("not_below"),
                width=ex.get("width", 14),
                max=ex.get("max"),
                required=ex.get("required_cell", False),
            )
        )
    return tuple(cols)


def _summaries() -> dict[str, tuple[str, Summary]]:
    out: dict[str, tuple[str, Summary]] = {}
    for name, model in LISTS.items():
        for code, summary in model.form.summaries.items():
            out[code] = (name, summary)
    return out


def _scalar(sheet: Sheet, path: str, name: str, model: type[ScalarBlock]) -> BlockLayout:
    summaries = _summaries()
    figures, rows = [], []
    for code, info in model.model_fields.items():
        ex = _extra(info)
        vtype, _ = _vtype(info.rebuild_annotation())
        list_name, summary = summaries.get(code) or (None, None)
        figures.append(
            Figure(
                code=code,
                vtype=vtype,
                unit=ex["unit"],
                sheet=sheet.name,
                block=model.form.title,
                row_label=ex["label"],
                col_label=None,
                path=(path, name, code),
                summary_of=list_name,
                summary=summary,
                not_above=(ex["not_above"],) if ex.get("not_above") else (),
            )
        )
        rows.append((code, ex["label"]))
    return BlockLayout(sheet.name, model.form, "scalar", tuple(rows), (), tuple(figures))


def _grid(sheet: Sheet, path: str, name: str, model: type[GridBlock]) -> BlockLayout:
    block = model.form
    total_row = block.total_row
    assert total_row is not None, f"the grid {block.title} names its total row"
    summaries = _summaries()
    rows = [(key, _extra(info)["label"]) for key, info in model.model_fields.items()]
    row_model = next(iter(model.model_fields.values())).annotation
    assert isinstance(row_model, type) and issubclass(row_model, BaseModel), row_model
    columns = _columns(row_model)
    detail_rows = [key for key, _ in rows if key != block.total_row]
    figures = []
    for rkey, rlabel in rows:
        for col in columns:
            code = block.code(rkey, col.key)
            is_total = rkey == total_row
            list_name, summary = summaries.get(code) or (None, None)
            figures.append(
                Figure(
                    code=code,
                    vtype=col.vtype,
                    unit=col.unit or "",
                    sheet=sheet.name,
                    block=block.title,
                    row_label=rlabel,
                    col_label=col.label,
                    path=(path, name, rkey, col.key),
                    parts=tuple(block.code(r, col.key) for r in detail_rows) if is_total else (),
                    total=None if is_total else block.code(total_row, col.key),
                    summary_of=list_name,
                    summary=summary,
                    not_above=(block.code(rkey, col.not_above),) if col.not_above else (),
                    not_below=(block.code(rkey, col.not_below),) if col.not_below else (),
                    related_col=col.key,
                )
            )
    return BlockLayout(sheet.name, block, "grid", tuple(rows), columns, tuple(figures))


@cache
def form_layout() -> FormLayout:
    """The layout of the whole return (computed once)."""
    paths: dict[object, str] = {
        ann: name for name, info in TownReturn.model_fields.items() if (ann := info.annotation)
    }
    sheets = []
    for attachment in ATTACHMENTS:
        path = paths[attachment]
        blocks = []
        for name, info in attachment.model_fields.items():
            model = info.annotation
            assert isinstance(model, type), model
            if issubclass(model, GridBlock):
                blocks.append(_grid(attachment.sheet, path, name, model))
            else:
                blocks.append(_scalar(attachment.sheet, path, name, model))
        sheets.append(SheetLayout(attachment.sheet, path, tuple(blocks)))
    cover = tuple(
        CoverField(key, _extra(info)["label"], _extra(info)["name"])
        for key, info in Cover.model_fields.items()
    )
    lists = tuple(ListLayout(name, model.form, _columns(model)) for name, model in LISTS.items())
    explanations = ListLayout("explanations", Explanation.form, _columns(Explanation))
    figures = {f.code: f for s in sheets for b in s.blocks for f in b.figures}
    return FormLayout(cover, tuple(sheets), lists, explanations, figures)


class Figures(Mapping):
    """A return's figures by code, held as one tuple in the layout's order: a rollup keeps
    one per town, so the codes are not repeated in each (1 KB a return instead of 10)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, object] | None = None):
        index = _code_index()
        values = values or {}
        self._values = tuple(values.get(code) for code in index)

    @classmethod
    def of(cls, value: Callable[[str], object]) -> Figures:
        """Each figure's value(code), in the layout's order (no dict in between)."""
        return _figures_from_tuple(tuple(map(value, _code_index())))

    def __getitem__(self, code: str):
        return self._values[_code_index()[code]]

    def get(self, code: str, default=None):
        i = _code_index().get(code)
        return default if i is None else self._values[i]

    def __iter__(self):
        return iter(_code_index())

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Figures({dict(self)!r})"

    def __reduce__(self):
        return (_figures_from_tuple, (self._values,))


def _figures_from_tuple(values: tuple) -> Figures:
    f = Figures.__new__(Figures)
    f._values = values
    return f


@cache
def _code_index() -> dict[str, int]:
    return {code: i for i, code in enumerate(form_layout().figures)}
