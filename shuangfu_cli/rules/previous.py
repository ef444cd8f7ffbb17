"""Rules against the same town's previous return (``--previous``)."""

from __future__ import annotations

from . import Context, rule


@rule(
    "W_CUMULATIVE_DECREASE",
    "warning",
    "{name}本期累计{value},小于上期({prev_period}){prev}:累计数不应减少",
    "{name} is {value}, below {prev} in the previous return ({prev_period}): "
    "cumulative figures do not fall",
)
def cumulative_not_lower(ctx: Context):
    if ctx.previous is None:
        return
    for f in ctx.figures():
        ind = ctx.indicators.get(f.code)
        if ind is None or ind.kind != "flow" or f.parts:  # a total falls only if a part does
            continue
        value, prev = ctx.value(f.code), ctx.previous.values.get(f.code)
        if value is not None and prev is not None and value < prev:
            yield ctx.at(
                "W_CUMULATIVE_DECREASE",
                f.code,
                value=value,
                prev=prev,
                prev_period=ctx.previous.period or ctx.previous.file,
            )
