"""Quarter on quarter (本季度新增): what each town and the district added in the quarter, and
how far each target's completion moved since the quarter before.

Flow figures are cumulative from 1 January, so a quarter's increment is the cumulative figure now
less the town's own cumulative figure of the previous quarter (in a first quarter: the figure
itself). Only like is compared with like: a town counts in the comparison when its return of this
quarter is valid and its return of the quarter before is valid too; any other valid town is
listed with the reason, and the district's figures are then over the compared towns only — every
output says so (``complete`` false, "按N个可比镇街计算").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from shuangfu_cli.form.values import ratio
from shuangfu_cli.text.words import Lang, both, say

if TYPE_CHECKING:
    from shuangfu_cli.check.one_return import ReturnReport
    from shuangfu_cli.district.targets import Target


def previous_period(period: str) -> str | None:
    """The quarter before `period` in the same year (None for a first quarter: flow figures
    start again on 1 January)."""
    year, quarter = period[:4], int(period[-1])
    return None if quarter == 1 else f"{year}Q{quarter - 1}"


@dataclass
class QuarterChange:
    period: str
    #: None for a first quarter (the increment is the cumulative figure itself)
    previous_period: str | None
    #: valid towns with a valid return of the previous quarter (all valid towns in a Q1)
    compared: list[str]
    #: valid towns that could not be compared -> (reason in Chinese, in English)
    not_compared: dict[str, tuple[str, str]]
    #: the flow indicators' codes, in the form's order
    flows: list[str]
    #: flow code -> the district's 本季度新增, summed over the compared towns
    increments: dict[str, int | Decimal]
    #: town -> flow code -> its 本季度新增
    by_town: dict[str, dict[str, int | Decimal]]
    #: target code -> change of the district's completion since last quarter (0.05 = 5 points),
    #: over the compared towns; None when no town could be compared
    completion_change: dict[str, float | None] = field(default_factory=dict)
    #: target code -> town -> change of the town's completion
    town_completion_change: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.not_compared

    def mean_change(self, town: str, codes: list[str]) -> float | None:
        """A town's mean change of completion over the targets `codes` (the split targets of
        the rollup's ranking index), or None."""
        changes = [self.town_completion_change.get(code, {}).get(town) for code in codes]
        known = [c for c in changes if c is not None]
        return sum(known) / len(known) if known else None

    def to_json(self, lang: Lang = "zh") -> dict:
        def num(v):
            return float(v) if isinstance(v, Decimal) else v

        def rate(v):
            return None if v is None else round(v, 6)

        return {
            "period": self.period,
            "previous_period": self.previous_period,
            "complete": self.complete,
            "compared_towns": self.compared,
            "not_compared": {
                t: {"reason": en if lang == "en" else zh}
                for t, (zh, en) in self.not_compared.items()
            },
            "increments": {
                code: {
                    "district": num(self.increments[code]),
                    "by_town": {t: num(v[code]) for t, v in self.by_town.items()},
                }
                for code in self.flows
            },
            "completion_change": {
                code: {
                    "district": rate(self.completion_change.get(code)),
                    "by_town": {t: rate(v) for t, v in by.items()},
                }
                for code, by in self.town_completion_change.items()
            },
        }


def quarter_on_quarter(
    period: str,
    valid: Mapping[str, Mapping[str, object]],
    previous: Mapping[str, ReturnReport],
    flows: list[str],
    targets: Mapping[str, Target],
    coverage_of: Mapping[str, str],
) -> QuarterChange:
    """The quarter's change.

    `valid`: town -> figures of this quarter's valid returns; `previous`: town -> that town's
    previous return (a report with ``status``, ``period`` and ``values``); `targets`: the
    rollup's targets (``coverage``, ``target``, ``by_town[town].share``); `coverage_of`:
    coverage target code -> its denominator's code.
    """
    before = previous_period(period)
    compared: list[str] = []
    not_compared: dict[str, tuple[str, str]] = {}
    prev_values: dict[str, Mapping[str, object]] = {}
    for town in valid:
        if before is None:
            compared.append(town)
            continue
        prev = previous.get(town)
        if prev is None:
            not_compared[town] = both("not_compared", "none_given")
        elif prev.period != before:
            not_compared[town] = both(
                "not_compared", "other_period", before=before,
                period=lambda lang, p=prev.period: p or say(lang, "note", "unknown_period"),
            )  # fmt: skip
        elif prev.status != "valid":
            not_compared[town] = both("not_compared", "invalid")
        else:
            compared.append(town)
            prev_values[town] = prev.values

    def before_of(town: str, code: str):
        return prev_values[town][code] if before is not None else 0

    by_town = {
        town: {code: valid[town][code] - before_of(town, code) for code in flows}
        for town in compared
    }
    increments = {code: sum(by_town[t][code] for t in compared) for code in flows}
    change = QuarterChange(period, before, compared, not_compared, flows, increments, by_town)
    for code, t in targets.items():
        den = coverage_of.get(code) if t.coverage else None
        per_town: dict[str, float | None] = {}
        for town in compared:
            now, then = valid[town][code], before_of(town, code)
            if den is not None:
                rate_now = ratio(now, valid[town][den])
                rate_then = 0.0 if before is None else ratio(then, before_of(town, den))
            else:
                entry = t.by_town.get(town)
                if entry is None or not entry.share:
                    continue
                rate_now, rate_then = ratio(now, entry.share), ratio(then, entry.share)
            per_town[town] = _difference(rate_now, rate_then)
        change.town_completion_change[code] = per_town
        change.completion_change[code] = (
            _district_change(code, den, t, valid, compared, before_of, before is None)
            if compared
            else None
        )
    return change


def _district_change(code, den, target, valid, compared, before_of, first) -> float | None:
    now = sum(valid[t][code] for t in compared)
    then = sum(before_of(t, code) for t in compared)
    if den is None:
        return _difference(ratio(now, target.target), ratio(then, target.target))
    rate_now = ratio(now, sum(valid[t][den] for t in compared))
    rate_then = 0.0 if first else ratio(then, sum(before_of(t, den) for t in compared))
    return _difference(rate_now, rate_then)


def _difference(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then
