"""How a figure, a rate and a change of a rate are written for a person to read: every table,
line and sentence of the tool takes its numbers from here (the workbooks set number formats on
the cells instead: ``writing/styles.py``)."""

from __future__ import annotations

import math
from decimal import Decimal

#: what is written where there is no figure
NONE = "—"


def figure(v: object) -> str:
    """A figure: 1,234 or 12.5 (万元: at most 4 decimals, no trailing zeros); — for none."""
    if v is None or isinstance(v, bool):
        return NONE
    if not isinstance(v, int | float | Decimal):
        return str(v)
    f = float(v)
    if math.isnan(f):
        return NONE
    return f"{int(f):,}" if f.is_integer() else f"{f:,.4f}".rstrip("0").rstrip(".")


def percent(v: float | Decimal | None, digits: int = 1) -> str:
    """A rate as a percentage: 87.5% (— for none)."""
    return NONE if v is None else f"{float(v):.{digits}%}"


def points(change: float | None) -> str:
    """A change of a rate in percentage points, signed: +16.7, -3.0, 0.0 (never -0.0); — for
    none."""
    if change is None:
        return NONE
    v = round(change * 100, 1)
    return "0.0" if v == 0 else f"{v:+.1f}"
