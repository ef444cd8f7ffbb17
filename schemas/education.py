"""Attachment 3 — 教育扶贫情况统计表 (prefix EDU)."""

from __future__ import annotations

from typing import ClassVar

from .form import Attachment, Block, Count, FormModel, GridBlock, Money, Sheet, column, row


class StageRow(FormModel):
    ELIGIBLE: Count = column("建档立卡在校学生数", "人")
    FUNDED: Count = column("已资助人数", "人", not_above="ELIGIBLE")
    AMOUNT: Money = column("资助金额", "万元")


class EducationFunding(GridBlock):
    form: ClassVar[Block] = Block(
        title="一、建档立卡贫困家庭学生资助", code_format="EDU_{row}_{col}", total_row="TOTAL"
    )
    TOTAL: StageRow = row("合计")
    PRESCHOOL: StageRow = row("学前教育")
    COMPULSORY: StageRow = row("义务教育")
    HIGHSCHOOL: StageRow = row("普通高中")
    VOCATIONAL: StageRow = row("中职")
    COLLEGE: StageRow = row("大学(含高职)")


class EducationReturn(Attachment):
    sheet: ClassVar[Sheet] = Sheet(
        name="附件3 教育", title="教育扶贫情况统计表", unit_line="单位:人、万元"
    )
    funding: EducationFunding
