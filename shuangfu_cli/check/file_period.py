"""The quarter a return's file name (else its folder's name) says, ``…_2020Q4.xlsx`` or
``2020Q4/``, and 报告期不符 when its cover says another: such a return is counted in no quarter
and compared with nothing (see district/town_states.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shuangfu_cli.check.one_return import ReturnReport
from shuangfu_cli.text.words import both, pairs, say

_PERIOD_IN_NAME = re.compile(r"(20\d\d)\s*[-_ ]?\s*[Qq]([1-4])")
#: where a quarter was named: (Chinese, English)
NAMED_WHERE = pairs("named_where")


@dataclass(frozen=True)
class Named:
    """The quarter a return's file name (else its folder's name) says it is of."""

    quarter: str
    where: Literal["file", "folder"]


def named_quarter(report: ReturnReport, year: int) -> Named | None:
    """The quarter of `year` in the return's file name, else in its folder's name."""
    path = Path(report.source or report.file)
    places: tuple[tuple[Literal["file", "folder"], str], ...] = (
        ("file", path.name),
        ("folder", path.parent.name),
    )
    for where, part in places:
        m = _PERIOD_IN_NAME.search(part)
        if m and int(m[1]) == year:
            return Named(f"{m[1]}Q{m[2]}", where)
    return None


def contradicted(report: ReturnReport, year: int) -> Named | None:
    """The quarter in the return's name when its cover says another (报告期不符): such a
    return is counted in no quarter and compared with nothing."""
    named = named_quarter(report, year)
    if named is not None and report.period is not None and report.period != named.quarter:
        return named
    return None


def mismatch(report: ReturnReport, named: Named | None) -> tuple[str, str] | None:
    """报告期不符 with both periods (Chinese, English), when the cover contradicts the name."""
    if named is not None and report.period is not None and report.period != named.quarter:
        return both(
            "note", "period_mismatch", period=report.period, named=named.quarter,
            where=lambda lang: say(lang, "named_where", named.where),
        )  # fmt: skip
    return None
