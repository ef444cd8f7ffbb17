"""Attachment 5 — 致富带头人培训培育情况统计表 (prefix LDR), with its village and class lists."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from .form import (
    POOR_VILLAGE,
    Attachment,
    Block,
    Count,
    FormModel,
    GridBlock,
    ListForm,
    ListRow,
    Sheet,
    Summary,
    VillageKind,
    column,
    row,
)

OTHER_KINDS = ("非贫困村", "社区")


class LeaderColumns(FormModel):
    STOCK: Count = column("致富带头人存量", "人")
    NEW: Count = column("其中:2020年新增培育", "人", not_above="STOCK")
    TRAINED: Count = column("2020年参加培训人数", "人")
    HOUSEHOLDS: Count = column("带动贫困户数", "户")


class LeaderSummary(GridBlock):
    form: ClassVar[Block] = Block(
        title="一、致富带头人培育情况",
        code_format="LDR_{col}_{row}",
        total_row="TOTAL",
        bare_row="TOTAL",
    )
    TOTAL: LeaderColumns = row("合计")
    POORV: LeaderColumns = row("贫困村")
    OTHERV: LeaderColumns = row("非贫困村和社区")


def _split(col: str, key: str) -> dict[str, Summary]:
    return {
        f"LDR_{col}_POORV": Summary("sum", key, where="kind", values=(POOR_VILLAGE,)),
        f"LDR_{col}_OTHERV": Summary("sum", key, where="kind", values=OTHER_KINDS),
    }


class Village(ListRow):
    form: ClassVar[ListForm] = ListForm(
        sheet=Sheet(
            name="附件5-1 村(社区)明细",
            title="致富带头人分村(社区)明细表",
            unit_line="单位:人、户",
        ),
        table="LDR_VILLAGES",
        key="name",
        summaries={
            **_split("STOCK", "stock"),
            **_split("NEW", "new"),
            **_split("TRAINED", "trained"),
            **_split("HOUSEHOLDS", "households"),
        },
        rows=0,  # one row per village of the town, pre-filled
    )
    # every column is required: a village with nothing to report has 0s (E_LIST_ROW_INCOMPLETE)
    name: str = column("村(社区)名称", width=16, required=True)
    kind: VillageKind = column("类别", width=12, required=True)
    stock: Count = column("致富带头人存量", "人", width=16, max=500, required=True)
    new: Count = column(
        "其中:2020年新增培育", "人", not_above="stock", width=20, max=500, required=True
    )
    trained: Count = column("2020年参加培训人数", "人", width=20, max=500, required=True)
    households: Count = column("带动贫困户数", "户", width=14, max=5000, required=True)


class TrainingClass(ListRow):
    form: ClassVar[ListForm] = ListForm(
        sheet=Sheet(
            name="附件5-2 培训班明细",
            title="致富带头人培训班明细表",
            unit_line="单位:天、人",
        ),
        table="LDR_CLASSES",
        key="name",
        rows=15,
    )
    # every column is required: the 7-day and 5:2 checks need all the days (0 field days is 0)
    name: str = column("培训班名称", width=28, required=True)
    start: dt.date = column("开班日期", width=14, required=True)
    days: Count = column("培训天数", "天", max=366, required=True)
    classroom_days: Count = column("集中教学天数", "天", max=366, required=True)
    field_days: Count = column("现场观摩天数", "天", max=366, required=True)
    trainees: Count = column("培训人数", "人", max=5000, required=True)


class LeadersReturn(Attachment):
    sheet: ClassVar[Sheet] = Sheet(
        name="附件5 致富带头人",
        title="致富带头人培训培育情况统计表",
        unit_line="单位:人、户",
    )
    summary: LeaderSummary
