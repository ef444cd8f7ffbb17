"""``trend --format csv``: the tidy table (period, town, code, value, increment, status, file),
a row per quarter, town and figure, for anyone's own analysis. UTF-8 with a byte-order mark
(Excel and WPS read it as UTF-8); text that starts like a formula is quoted as text."""

from __future__ import annotations

import math
from typing import TextIO

from shuangfu_cli.district.trend import Trend
from shuangfu_cli.text.sanitize import for_csv


def _number(v: float) -> str:
    """A count as a whole number, an amount (万元) with its decimals, nothing for no value."""
    if math.isnan(v):
        return ""
    return str(int(v)) if v.is_integer() else f"{v:.4f}".rstrip("0")


def write_csv(t: Trend, stream: TextIO) -> None:
    table = t.table.copy()
    for col in ("town", "file"):
        table[col] = table[col].map(for_csv)
    for col in ("value", "increment"):
        table[col] = table[col].map(_number)
    stream.write("\ufeff")
    table.to_csv(stream, index=False, lineterminator="\n")
