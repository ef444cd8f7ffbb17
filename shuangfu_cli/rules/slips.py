"""The slips clerks make, as pure functions on figures: is a figure in line with the town's own
history, and if not, which slip would explain it (see ../shared/design/plausibility.md).

A figure's history is its value last quarter. Flows are cumulative from 1 January, so last
quarter's figure over the quarters it covers is the town's average pace so far: this quarter's
increase is judged against it. Stocks are judged against last quarter's figure itself. A figure
out of line is then tried against each slip — an amount in 元 for 万元, an extra or a dropped
digit, two digits swapped — and the slip is named when undoing it brings the figure back in
line. Nothing here knows about cells or messages (see history.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from schemas import Plausibility

Kind = Literal["flow", "stock"]
Slip = Literal["yuan", "extra_digit", "dropped_digit", "swapped"]
Number = int | Decimal


@dataclass(frozen=True)
class History:
    """One figure now and last quarter."""

    value: Number
    prev: Number
    kind: Kind
    quarter: int  # this return's quarter (1-4)
    prev_quarter: int  # the previous return's quarter, earlier than `quarter`
    money: bool = False

    @property
    def pace(self) -> Decimal:
        """A flow's average increase per quarter so far (last quarter's cumulative figure over
        the quarters it covers)."""
        return Decimal(self.prev) / self.prev_quarter

    @property
    def increase(self) -> Number:
        return self.value - self.prev

    def expected(self) -> Decimal:
        """What the figure would be at the town's own pace (a stock: unchanged)."""
        if self.kind == "stock":
            return Decimal(self.prev)
        return Decimal(self.prev) + (self.quarter - self.prev_quarter) * self.pace


def slack(h: History, s: Plausibility) -> Decimal:
    return Decimal(str(s.min_change_money)) if h.money else Decimal(s.min_change)


def in_line(h: History, x: Number, s: Plausibility) -> bool:
    """Would `x` be an ordinary figure for this history?"""
    if h.kind == "stock":
        return abs(Decimal(x) - h.prev) <= Decimal(str(s.stock_change)) * h.prev + slack(h, s)
    if x < h.prev:
        return False
    quarters = h.quarter - h.prev_quarter
    limit = Decimal(str(s.jump_factor)) * quarters * h.pace + slack(h, s)
    return Decimal(x) - h.prev <= limit


def out_of_line(h: History, s: Plausibility) -> bool:
    """A flow that rose far beyond its pace, or a stock that moved far (a flow that fell is
    W_CUMULATIVE_DECREASE's)."""
    if h.kind == "flow" and h.value < h.prev:
        return False
    return not in_line(h, h.value, s)


# --- the shapes of the slips ------------------------------------------------------------------


def _text(x: Number) -> str:
    return format(x, "f") if isinstance(x, Decimal) else str(x)


def _parse(text: str, money: bool) -> Number | None:
    digits = text.replace(".", "")
    if not digits or (len(text.split(".")[0]) > 1 and text[0] == "0") or text[0] == ".":
        return None  # a leading zero: not how anyone types a figure
    try:
        return Decimal(text) if money else int(text)
    except (ValueError, InvalidOperation):
        return None


def swaps(x: Number, money: bool) -> Iterator[Number]:
    """x with two adjacent digits swapped (27 -> 72; 1.35 -> 1.53), each different from x."""
    t = _text(x)
    for i in range(len(t) - 1):
        a, b = t[i], t[i + 1]
        if a != b and a.isdigit() and b.isdigit():
            v = _parse(t[:i] + b + a + t[i + 2 :], money)
            if v is not None:
                yield v


def deletions(x: Number, money: bool) -> Iterator[Number]:
    """x with one digit taken out (2166 -> 216): what an extra digit typed hides."""
    t = _text(x)
    for i, ch in enumerate(t):
        if ch.isdigit():
            v = _parse(t[:i] + t[i + 1 :], money)
            if v is not None and v != x:
                yield v


def insertions(x: Number, money: bool) -> Iterator[Number]:
    """x with one digit put in anywhere (5 -> 50..59, 15, 25 ...): what a dropped digit hides."""
    t = _text(x)
    for i in range(len(t) + 1):
        for d in "0123456789":
            v = _parse(t[:i] + d + t[i:], money)
            if v is not None and v != x:
                yield v


def _tiers(h: History) -> Iterator[tuple[Slip, list[Number]]]:
    """Each slip with the figures it could hide, the most telling shapes first: a whole unit
    (×10,000, ×100), a whole digit at the end (×10, ÷10), two digits swapped, then a digit
    typed or dropped anywhere."""
    x, money = h.value, h.money
    if money:
        yield "yuan", [Decimal(x) / 10000, Decimal(x) / 100]
    if money:
        yield "extra_digit", [Decimal(x) / 10]
        yield "dropped_digit", [Decimal(x) * 10]
    else:
        yield "extra_digit", [x // 10] if x % 10 == 0 and x >= 10 else []
        yield "dropped_digit", [x * 10 + d for d in range(10)] if x else []
    yield "swapped", list(swaps(x, money))
    # a digit typed or dropped anywhere multiplies or divides by 5 to 10 or more: a candidate
    # closer to the figure than that is some other change, not this slip
    yield "extra_digit", [c for c in deletions(x, money) if c * 5 <= x]
    yield "dropped_digit", [c for c in insertions(x, money) if x * 5 <= c]


def explain(h: History, s: Plausibility) -> tuple[Slip, Number] | None:
    """The slip that best explains a figure out of line (or fallen), with the figure it probably
    should be: the first kind of slip whose undoing brings it back in line, and of its
    candidates the one closest to the town's own pace. None when no slip fits."""
    target = h.expected()
    close = close_band(s) if h.kind == "stock" else s
    for slip, candidates in _tiers(h):
        fits = [c for c in candidates if c != h.value and in_line(h, c, close)]
        if fits:
            best = min(fits, key=lambda c: abs(Decimal(c) - target))
            return slip, _tidy(best, h.money)
    return None


def close_band(s: Plausibility) -> Plausibility:
    """A stock's ordinary range is wide (a workshop opens); undone, a slip lands near last
    quarter's figure, where most stocks stay: within a fifth of that range."""
    return s.model_copy(update={"stock_change": s.stock_change / 5})


def stock_restored(h: History, s: Plausibility) -> tuple[Slip, Number] | None:
    """A stock that differs from last quarter's by more than a drift, and only by a slip's
    shape (its digits swapped, an extra or a dropped digit): telling even where the change is
    within the ordinary range, since most stocks stay exactly as they were."""
    if h.kind != "stock" or not h.prev or in_line(h, h.value, close_band(s)):
        return None
    for slip, candidates in _tiers(h):
        if slip != "yuan" and h.prev in candidates:
            return slip, h.prev
    return None


def _tidy(x: Number, money: bool) -> Number:
    if money:
        return Decimal(x).quantize(Decimal("0.0001")).normalize()
    return int(x)


def deviation(h: History, x: Number) -> float:
    """How far `x` is from the ordinary, on a log scale: a flow's increase against its pace
    (a fall counts as far, 3 and more), a stock against last quarter's figure. 0 is exactly
    the town's pace; natural quarters stay under about 0.9."""
    x_, p = float(x), float(h.prev)
    unit = 0.05 if h.money else 0.5  # small figures move by whole units
    if h.kind == "stock":
        e = 0.02 * p + 2 * unit
        return abs(math.log((x_ + e) / (p + e)))
    pace = float(h.pace)
    if x_ < p:
        return 3.0 + (p - x_) / pace
    e = 0.1 * pace + unit
    return abs(math.log((x_ - p + e) / (pace + e)))


def exchange_gain(a: History, b: History) -> float:
    """How much more ordinary two figures are once their values are exchanged back."""
    now = deviation(a, a.value) + deviation(b, b.value)
    back = deviation(a, b.value) + deviation(b, a.value)
    return now - back


def exchanged_exactly(a: History, b: History) -> bool:
    """Two stocks that each hold exactly the other's figure of last quarter (15 and 9 where
    last quarter had 9 and 15): most stocks stay as they were, so this is telling even where
    both are in their ordinary range. Figures a unit apart are left alone (30 and 31 trade
    places by an ordinary drift)."""
    if a.kind != "stock" or b.kind != "stock":
        return False
    unit = Decimal("0.1") if a.money else 1
    apart = abs(Decimal(a.prev) - Decimal(b.prev)) > unit
    return apart and a.value == b.prev and b.value == a.prev


def times(h: History) -> Decimal | None:
    """This quarter's increase as a multiple of the average quarterly increase so far."""
    if h.kind != "flow" or not h.prev:
        return None
    per_quarter = Decimal(h.increase) / (h.quarter - h.prev_quarter)
    return per_quarter / h.pace
