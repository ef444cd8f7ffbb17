"""The 2020 targets judged on what was counted: each target's completion over the district and
town by town, and — when towns are not counted — over the counted towns' own shares.

A district total that leaves towns out cannot say whether the district is behind: four towns
not counted take their shares of every target with them. So where towns are missing, a split
target (Attachment 1) is judged by the counted towns' figures against the sum of their own
shares (``counted_share``), and the whole-district completion is kept, marked incomplete. The
"for every …" targets are coverage rates over the counted towns already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from shuangfu_cli.form.values import ratio

#: Targets "for every …", judged as coverage: (numerator code, denominator code)
COVERAGE_TARGETS = {
    "EDU_COLLEGE_FUNDED": "EDU_COLLEGE_ELIGIBLE",
    "TRN_CADRE_TOTAL_TRAINED": "TRN_CADRE_TOTAL_PLANNED",
}


class TownTarget(NamedTuple):
    """One town's part of a target: its share (or its denominator, for coverage targets), its
    actual figure and its completion rate. A tuple: a rollup holds one per target and town."""

    share: int | Decimal
    actual: int | Decimal
    completion: float | None


@dataclass
class Target:
    code: str
    target: float | int
    actual: float | int
    #: the actual against the whole district's target (incomplete when towns are missing)
    completion: float | None
    coverage: bool  # a "for every …" target judged as a rate
    by_town: dict[str, TownTarget] = field(default_factory=dict)
    behind_towns: list[str] = field(default_factory=list)
    #: every town of the reference counted: the district's figures are whole
    complete: bool = True
    #: the counted towns' shares added up (Attachment 1); for a coverage target its
    #: denominator over the counted towns, the same as `target`. None: no counted town has one
    counted_share: int | Decimal | None = None
    #: the actual against `counted_share`
    counted_completion: float | None = None

    @property
    def judged(self) -> float | None:
        """The completion the target is judged by: the district's when every town is counted
        (and for coverage rates, which are over the counted towns), else the counted towns'
        against their own shares."""
        return self.completion if self.complete or self.coverage else self.counted_completion


def target_table(registry, reference, totals, by_town, tp) -> dict[str, Target]:
    """Each target's completion (the split targets against the 2020 target and each town's
    share, the coverage ones against their denominator), with the towns behind `tp`.
    `by_town`: the counted towns' figures; the other towns of `reference` are not counted."""
    complete = all(t.name in by_town for t in reference.towns)
    targets: dict[str, Target] = {}
    for ind in registry.indicators:
        if ind.target is not None:
            target = ind.target
            actual = totals[ind.code]
            t = Target(
                ind.code, target, actual, ratio(actual, target), coverage=False, complete=complete
            )
            shares = []
            for town, values in by_town.items():
                share = reference.town(town).targets.get(ind.code)
                if share is None:
                    continue
                shares.append(share)
                completion = ratio(values[ind.code], share) if share else None
                t.by_town[town] = TownTarget(share, values[ind.code], completion)
                if completion is not None and completion < tp:
                    t.behind_towns.append(town)
            t.counted_share = sum(shares) if shares else None
            t.counted_completion = ratio(actual, t.counted_share) if shares else None
            targets[ind.code] = t
        elif ind.code in COVERAGE_TARGETS:
            den = COVERAGE_TARGETS[ind.code]
            actual, target = totals[ind.code], totals[den]
            t = Target(
                ind.code, target, actual, ratio(actual, target), coverage=True, complete=complete
            )
            t.counted_share, t.counted_completion = target, t.completion
            for town, values in by_town.items():
                completion = ratio(values[ind.code], values[den])
                t.by_town[town] = TownTarget(values[den], values[ind.code], completion)
                if completion is not None and completion < tp:
                    t.behind_towns.append(town)
            targets[ind.code] = t
    return targets


def share_problems(registry, reference) -> list[dict]:
    """Town shares (Attachment 1) that do not add up to the district target."""
    problems = []
    for ind in registry.indicators:
        if ind.target is None:
            continue
        shares = [t.targets[ind.code] for t in reference.towns if ind.code in t.targets]
        if shares and sum(shares) != ind.target:
            problems.append({"code": ind.code, "shares": sum(shares), "target": ind.target})
    return problems
