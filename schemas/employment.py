"""Attachment 4 — 就业扶贫情况统计表 (prefix EMP), with its workshop list."""

from __future__ import annotations

from typing import ClassVar

from .form import (
    Attachment,
    Block,
    Count,
    ListForm,
    ListRow,
    ScalarBlock,
    Sheet,
    Summary,
    YesNo,
    column,
    figure,
)


class Workshops(ScalarBlock):
    form: ClassVar[Block] = Block(title="一、扶贫车间")
    EMP_WS_NEW: Count = figure("2020年新创办扶贫车间数", "个", not_above="EMP_WS_TOTAL")
    EMP_WS_TOTAL: Count = figure("扶贫车间总数", "个")
    EMP_WS_WORKERS: Count = figure("吸纳就业人数", "人")
    EMP_WS_POOR: Count = figure("其中:建档立卡贫困人口", "人", not_above="EMP_WS_WORKERS")


class Transfer(ScalarBlock):
    form: ClassVar[Block] = Block(title="二、转移就业")
    EMP_TRANSFER_NEW: Count = figure("新增转移就业贫困群众", "人")
    EMP_TRANSFER_OUTSIDE: Count = figure("其中:区外", "人", not_above="EMP_TRANSFER_NEW")


class JobDelivery(ScalarBlock):
    form: ClassVar[Block] = Block(title="三、送工送岗")
    EMP_JOBSEND: Count = figure("送工送岗人数", "人")


class PublicWelfareJobs(ScalarBlock):
    form: ClassVar[Block] = Block(title="四、公益性岗位")
    EMP_PWJ_POSTS: Count = figure("开发岗位数", "个")
    EMP_PWJ_PLACED: Count = figure("新安置贫困人员", "人")
    EMP_PWJ_ONDUTY: Count = figure("期末在岗贫困人员", "人")


class Workshop(ListRow):
    form: ClassVar[ListForm] = ListForm(
        sheet=Sheet(name="附件4-1 扶贫车间明细", title="扶贫车间明细表", unit_line="单位:人"),
        table="EMP_WORKSHOPS",
        key="name",
        summaries={
            "EMP_WS_TOTAL": Summary("count", "workers"),
            "EMP_WS_NEW": Summary("count", "workers", where="new_2020", values=("是",)),
            "EMP_WS_WORKERS": Summary("sum", "workers"),
            "EMP_WS_POOR": Summary("sum", "poor"),
        },
    )
    # every column is required: a row with a blank is incomplete (E_LIST_ROW_INCOMPLETE)
    name: str = column("车间名称", width=28, required=True)
    village: str = column("所在村(社区)", width=16, required=True)
    new_2020: YesNo = column("是否2020年新创办", width=16, required=True)
    workers: Count = column("吸纳就业人数", "人", max=5000, required=True)
    poor: Count = column(
        "其中:建档立卡贫困人口", "人", not_above="workers", width=20, max=5000, required=True
    )


class EmploymentReturn(Attachment):
    sheet: ClassVar[Sheet] = Sheet(
        name="附件4 就业", title="就业扶贫情况统计表", unit_line="单位:个、人"
    )
    workshops: Workshops
    transfer: Transfer
    jobsend: JobDelivery
    pwj: PublicWelfareJobs
