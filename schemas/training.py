"""Attachment 2 — 干部及实用技术培训情况统计表 (prefix TRN)."""

from __future__ import annotations

from typing import ClassVar

from .form import (
    Attachment,
    Block,
    Count,
    FormModel,
    GridBlock,
    ScalarBlock,
    Sheet,
    column,
    figure,
    row,
)


class CadreRow(FormModel):
    PLANNED: Count = column("应训人数", "人")
    TRAINED: Count = column("已训人数", "人", not_above="PLANNED")
    SESSIONS: Count = column("培训期数", "期")
    PTIMES: Count = column("培训人次", "人次", not_below="TRAINED")


class CadreTraining(GridBlock):
    form: ClassVar[Block] = Block(
        title="一、基层扶贫干部轮训", code_format="TRN_CADRE_{row}_{col}", total_row="TOTAL"
    )
    TOTAL: CadreRow = row("合计")
    TEAM: CadreRow = row("驻村工作队员")
    FIRSTSEC: CadreRow = row("第一书记")
    PARTYSEC: CadreRow = row("村党组织书记")
    VHEAD: CadreRow = row("村委会主任")
    GRAD: CadreRow = row("大学生村官")
    VCADRE: CadreRow = row("其他村干部")
    TCADRE: CadreRow = row("镇(街)干部")


class PracticalTraining(ScalarBlock):
    form: ClassVar[Block] = Block(title="二、农村实用技能及精气神培训")
    TRN_PRACTICAL_SESSIONS: Count = figure("培训期数", "期")
    TRN_PRACTICAL_PERSONS: Count = figure("培训人数", "人")
    TRN_PRACTICAL_POOR: Count = figure("其中:贫困群众", "人", not_above="TRN_PRACTICAL_PERSONS")


class SkillTraining(ScalarBlock):
    form: ClassVar[Block] = Block(title="三、贫困劳动力技能培训")
    TRN_SKILL_PERSONS: Count = figure("培训人数", "人")
    TRN_SKILL_RELOCATED: Count = figure(
        "其中:易地扶贫搬迁群众", "人", not_above="TRN_SKILL_PERSONS"
    )
    TRN_SKILL_EMPLOYED: Count = figure("其中:培训后实现就业", "人", not_above="TRN_SKILL_PERSONS")


class TrainingReturn(Attachment):
    sheet: ClassVar[Sheet] = Sheet(
        name="附件2 培训",
        title="干部及实用技术培训情况统计表",
        unit_line="单位:人、期、人次",
    )
    cadre: CadreTraining
    practical: PracticalTraining
    skill: SkillTraining
