"""Rules against the same town's previous return (``--previous``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from schemas import Indicator

from ..layout import Figure
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
    for code, value, prev in fallen(ctx.figures(), ctx.indicators, ctx.value, ctx.previous.values):
        yield ctx.at(
            "W_CUMULATIVE_DECREASE",
            code,
            value=value,
            prev=prev,
            prev_period=ctx.previous.period or ctx.previous.file,
        )


def fallen(
    figures: Iterable[Figure],
    indicators: Mapping[str, Indicator],
    value_of: Callable[[str], object],
    previous: Mapping[str, object],
) -> Iterator[tuple[str, object, object]]:
    """(code, value, previous value) of each flow figure lower than the previous return's; a
    total falls only if a part does. Also `trend`'s, quarter after quarter."""
    for f in figures:
        ind = indicators.get(f.code)
        if ind is None or ind.kind != "flow" or f.parts:
            continue
        value, prev = value_of(f.code), previous.get(f.code)
        if value is not None and prev is not None and value < prev:
            yield f.code, value, prev
