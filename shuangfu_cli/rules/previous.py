"""Rules against the same town's previous return (``--previous``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal

from schemas import Indicator
from shuangfu_cli.form.layout import Figure
from shuangfu_cli.rules import Context, rule
from shuangfu_cli.rules.history import fall_hint, of_return
from shuangfu_cli.rules.slips import History, Number


@rule(
    "W_CUMULATIVE_DECREASE",
    "warning",
    "{name}本期累计{value}，小于上期（{prev_period}）{prev}：累计数不应减少{hint_zh}",
    "{name} is {value}, below {prev} in the previous return ({prev_period}): "
    "cumulative figures do not fall{hint_en}",
)
def cumulative_not_lower(ctx: Context):
    """A fallen flow, with the slip that probably made it fall when one fits (a figure that a
    W_ROWS_EXCHANGED names is told there, with its neighbour)."""
    if ctx.previous is None:
        return
    exchanged = {s.figure for s in of_return(ctx) if s.code == "W_ROWS_EXCHANGED"}
    quarters = _quarters(ctx)
    for code, value, prev in fallen(ctx.figures(), ctx.indicators, ctx.value, ctx.previous.values):
        if code in exchanged:
            continue
        hint_zh, hint_en = "", ""
        typed = ctx.layout.figures[code].is_input  # a total or summary falls with its rows
        if (
            quarters is not None
            and typed
            and isinstance(value, int | Decimal)
            and isinstance(prev, int | Decimal)
        ):
            h = History(value, prev, "flow", *quarters, money=isinstance(value, Decimal))
            hint_zh, hint_en = fall_hint(h, ctx.reference.plausibility)
        yield ctx.at(
            "W_CUMULATIVE_DECREASE",
            code,
            value=value,
            prev=prev,
            prev_period=ctx.previous.period or ctx.previous.file,
            hint_zh=hint_zh,
            hint_en=hint_en,
        )


def _quarters(ctx: Context) -> tuple[int, int] | None:
    """(this quarter, the previous return's) when both are quarters of one year, in order."""
    prev = ctx.previous
    if prev is None or not prev.period or not ctx.period or prev.period[:4] != ctx.period[:4]:
        return None
    q, pq = int(ctx.period[-1]), int(prev.period[-1])
    return (q, pq) if pq < q else None


def fallen(
    figures: Iterable[Figure],
    indicators: Mapping[str, Indicator],
    value_of: Callable[[str], object],
    previous: Mapping[str, object],
) -> Iterator[tuple[str, Number, Number]]:
    """(code, value, previous value) of each flow figure lower than the previous return's; a
    total falls only if a part does. Also `trend`'s, quarter after quarter."""
    for f in figures:
        ind = indicators.get(f.code)
        if ind is None or ind.kind != "flow" or f.parts:
            continue
        value, prev = value_of(f.code), previous.get(f.code)
        # the form's figures are numbers (int or Decimal) or None
        if isinstance(value, int | Decimal) and isinstance(prev, int | Decimal) and value < prev:
            yield f.code, value, prev
