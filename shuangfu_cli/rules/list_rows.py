"""Rules on each row of the three lists: a row is a workshop, village or class only when it is
complete and inside the list; a workshop is in a village of its town; a note typed into a list
is named where it was typed."""

from __future__ import annotations

from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.values import is_blank, show
from shuangfu_cli.rules import Context, rule
from shuangfu_cli.rules.list_totals import own_villages
from shuangfu_cli.text.words import pairs

#: what to type into a required cell left blank, by the column's kind: (zh, en)
FILL_HINTS = pairs("fill_hint")


@rule(
    "E_LIST_ROW_INCOMPLETE",
    "error",
    "{item}（第{row}行）的“{label}”没有填写：明细表的每一行都要填全，{hint_zh}",
    "{item} (row {row}): '{label}' is blank; every row of the list must be complete: {hint_en}",
)
def rows_complete(ctx: Context):
    """Every required cell of a listed row is filled (the schema says which: all of them for
    workshops, villages and classes). A row without a name is E_LIST_NAME_MISSING instead."""
    for lst in ctx.layout.lists:
        required = [c for c in lst.columns if c.required and c.key != lst.form.key]
        for row in ctx.rows(lst.name):
            for col in required:
                cell = row.cells.get(col.key)
                if cell is not None and is_blank(cell.raw):
                    zh, en = FILL_HINTS[col.vtype]
                    yield ctx.at_row(
                        "E_LIST_ROW_INCOMPLETE",
                        row,
                        col.key,
                        label=col.label,
                        hint_zh=zh,
                        hint_en=en,
                    )


@rule(
    "E_WS_VILLAGE_UNKNOWN",
    "error",
    "扶贫车间“{item}”（第{row}行）的所在村“{village}”不是{town}的村（社区），请照抄村（社区）明细表中的村名",
    "Workshop '{item}' (row {row}): '{village}' is not a village of {town}: copy the name "
    "from the village list",
)
def workshop_villages_known(ctx: Context):
    """A workshop is in one of the town's villages, as the village list knows them
    (E_VILLAGE_UNKNOWN); not checked when the list is another town's (one mistake, said once
    by E_TOWN_VILLAGES_MISMATCH)."""
    town = ctx.town
    if town is None or not own_villages(ctx):
        return
    known = {v.name for v in town.villages}
    for row in ctx.rows("workshops"):
        village = row.value("village")
        if village and village not in known:
            yield ctx.at_row(
                "E_WS_VILLAGE_UNKNOWN", row, "village", village=village, town=town.name
            )


def _typed(ctx: Context, code: str, kept: dict, **params):
    """A finding at each cell the reader kept aside in `kept` (list name -> (row, cell))."""
    for _name, cells in kept.items():
        for number, cell in cells:
            yield Finding(
                code,
                sheet=cell.sheet,
                cell=cell.ref,
                params={"row": number, "text": show(cell.raw), **params},
            )


@rule(
    "E_LIST_NOTE",
    "error",
    "第{row}行的“{text}”是说明文字，不是明细表的一行，不计入汇总：请把它移到“审核说明”表或表格最后的“本表到此为止”行以下；如果这是一行明细，请把该行各栏填全",
    "Row {row}: '{text}' is a note, not a row of the list, and is not counted: move it to the "
    "审核说明 sheet or below the list's closing line (本表到此为止); if it is meant as a row, "
    "fill in all its columns",
)
def notes_in_lists(ctx: Context):
    """A note typed into a list (注:…, a lone name, text across the figures' columns) is never
    a workshop, village or class (reading/lists.py); it is named where it was typed."""
    yield from _typed(ctx, "E_LIST_NOTE", ctx.read.notes)


@rule(
    "E_LIST_ROW_OUTSIDE",
    "error",
    "第{row}行（“{text}”）在表格最后的“本表到此为止”行以下：表中的汇总公式不计入，也不打印；请在“本表到此为止”行之上插入行，把这一行移进表格",
    "Row {row} ('{text}') is below the list's closing line (本表到此为止): the form's totals "
    "leave it out and it does not print; insert a row above the closing line and move it there",
)
def rows_outside_lists(ctx: Context):
    """A row typed below a list's closing line, where the form's formulas and print area end,
    is counted neither by the form nor by the tool: it is named, to be moved into the list."""
    yield from _typed(ctx, "E_LIST_ROW_OUTSIDE", ctx.read.outside)
