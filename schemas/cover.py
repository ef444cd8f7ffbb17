"""The cover (封面) of a return and its explanations sheet (审核说明)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from .form import FormModel, ListForm, ListRow, Sheet, column
from .text import strip_invisible

PERIOD_PATTERN = r"^\d{4}Q[1-4]$"
Period = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]

_CN_QUARTER = {"一": "1", "二": "2", "三": "3", "四": "4"}


_QUARTER = re.compile(r"(\d{4})(?:年|[-./])?Q([1-4])")
_CN = re.compile(r"(\d{4})年?第?([1-4一二三四])季度?")
#: cumulative months, as the template prints the period: 2020年1-9月 (1-3, 1-6, 1-9, 1-12)
_MONTHS = re.compile(r"(\d{4})(?:年|[-./])?0?1月?(?:-|~|至|到)(0?3|0?6|0?9|12)月?")


def parse_period(text: str) -> str | None:
    """The quarter a cover's period means, as people write it: '2020Q3', '2020-Q3', '2020年Q3',
    '2020年第三季度', '2020年3季度', the template's own '2020年1-9月' (cumulative months), and
    '2020年1-9月(2020Q3)' as printed on every sheet -> '2020Q3'. None if it names no quarter
    or names two different ones."""
    s = strip_invisible(unicodedata.normalize("NFKC", str(text)))
    s = re.sub(r"\s+", "", s).upper().replace("—", "-").replace("–", "-").replace("－", "-")
    found = set()
    for part in filter(None, re.split(r"[()]", s)):
        if m := _QUARTER.fullmatch(part):
            found.add(f"{m.group(1)}Q{m.group(2)}")
        elif m := _CN.fullmatch(part):
            found.add(f"{m.group(1)}Q{_CN_QUARTER.get(m.group(2), m.group(2))}")
        elif m := _MONTHS.fullmatch(part):
            found.add(f"{m.group(1)}Q{int(m.group(2)) // 3}")
        else:
            return None
    return found.pop() if len(found) == 1 else None


def period_months(period: str) -> str:
    """'2020Q3' -> '2020年1-9月' (flow figures are cumulative from January)."""
    return f"{period[:4]}年1-{int(period[-1]) * 3}月"


class Cover(FormModel):
    sheet: ClassVar[Sheet] = Sheet(
        name="封面", title="2020年扶志扶智(双扶)工作季报表", unit_line=""
    )
    town: str = Field(json_schema_extra={"label": "填报单位", "name": "COVER_TOWN"})
    period: Period = Field(json_schema_extra={"label": "报告期", "name": "COVER_PERIOD"})
    preparer: str = Field("", json_schema_extra={"label": "填报人", "name": "COVER_PREPARER"})
    phone: str = Field("", json_schema_extra={"label": "联系电话", "name": "COVER_PHONE"})
    reviewer: str = Field("", json_schema_extra={"label": "审核人", "name": "COVER_REVIEWER"})
    date: dt.date | None = Field(
        None, json_schema_extra={"label": "填报日期", "name": "COVER_DATE"}
    )


class Explanation(ListRow):
    """One line of 审核说明: a town's written answer to a warning."""

    form: ClassVar[ListForm] = ListForm(
        sheet=Sheet(
            name="审核说明",
            title="审核说明(对核实性审核提示的书面说明)",
            unit_line="填写方法:审核代码照抄校验结果;工作表和单元格照抄,或在'对象'栏填写车间、村或培训班名称、指标代码",
        ),
        table="EXPLANATIONS",
        key="code",
        rows=20,
    )
    code: str = column("审核代码", width=26)
    sheet_name: str = column("工作表", width=20, default="")
    cell: str = column("单元格", width=10, default="")
    subject: str = column("对象", width=20, default="")
    text: str = column("说明", width=60, default="")
