"""核实性审核 against the town's peers (同类单位比较): in a run of several returns of one quarter,
each typed figure of each town is compared with the other towns' — scaled to the town's size so
that a big town is not an outlier for being big — with robust statistics (median and median
absolute deviation, on a log scale), so that one wild figure cannot hide itself.

A town's size is measured on its own figures: the median, over every figure, of the town's
figure against the district's median of that figure. A single slip moves one figure of ~60,
not that median. Only where at least ``peer_min_towns`` towns report the figure (not 0).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from decimal import Decimal

from schemas import Indicator, Plausibility
from shuangfu_cli.check.file_period import contradicted
from shuangfu_cli.check.one_return import ReturnReport
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.layout import form_layout

_MAD_TO_SIGMA = 1.4826  # a normal distribution's standard deviation over its MAD


def _log(v: object) -> float | None:
    if isinstance(v, int | Decimal) and v > 0:
        return math.log(float(v))
    return None


def _mad(xs: Sequence[float], centre: float) -> float:
    return statistics.median(abs(x - centre) for x in xs)


def _shown(x: float, money: bool) -> str:
    if money:
        return f"{x:.4f}".rstrip("0").rstrip(".")
    return f"{round(x):d}"


def peer_findings(
    reports: Iterable[ReturnReport],
    indicators: dict[str, Indicator],
    settings: Plausibility,
) -> dict[int, list[Finding]]:
    """W_PEER_OUTLIER findings by index of the report, for each group of readable returns of
    one quarter (a town with two returns of one quarter is left out of the comparison, and so
    is a return whose cover contradicts the quarter in its file or folder name: of no quarter)."""
    if not settings.enabled:
        return {}
    reports = list(reports)
    groups: dict[str, dict[str, int]] = {}
    twice: set[tuple[str, str]] = set()
    for i, r in enumerate(reports):
        if r.status == "unreadable" or not r.town or not r.period:
            continue
        if contradicted(r, int(r.period[:4])):
            continue
        group = groups.setdefault(r.period, {})
        if r.town in group:
            twice.add((r.period, r.town))
        group[r.town] = i
    out: dict[int, list[Finding]] = {}
    for period, by_town in groups.items():
        members = {t: i for t, i in by_town.items() if (period, t) not in twice}
        if len(members) >= settings.peer_min_towns:
            for i, found in _compare([reports[i] for i in members.values()], indicators, settings):
                out.setdefault(list(members.values())[i], []).extend(found)
    return out


def _compare(
    group: list[ReturnReport], indicators: dict[str, Indicator], s: Plausibility
) -> Iterable[tuple[int, list[Finding]]]:
    figures = [f for f in form_layout().figures.values() if f.is_input and f.code in indicators]
    logs: dict[str, list[float | None]] = {
        f.code: [_log(r.values.get(f.code)) for r in group] for f in figures
    }
    centre = {}
    for code, xs in logs.items():
        known = [x for x in xs if x is not None]
        if len(known) >= s.peer_min_towns:
            centre[code] = statistics.median(known)
    # each town's size: the median of its figures against the towns' medians (log scale)
    sizes = []
    for i in range(len(group)):
        rel = [x - centre[c] for c, xs in logs.items() if c in centre and (x := xs[i]) is not None]
        sizes.append(statistics.median(rel) if rel else 0.0)
    threshold = math.log(s.peer_factor)
    stats = {}  # code -> (median, robust sd, quartiles) of the towns' scaled figures
    for code in centre:
        scaled = [x - sizes[j] for j, x in enumerate(logs[code]) if x is not None]
        mid = statistics.median(scaled)
        quartiles = statistics.quantiles(scaled, n=4)
        stats[code] = (mid, _MAD_TO_SIGMA * _mad(scaled, mid), quartiles, len(scaled) - 1)
    for i, r in enumerate(group):
        found = []
        taken = {(f.sheet, f.cell) for f in r.findings}
        for f in figures:
            if f.code not in stats or logs[f.code][i] is None:
                continue
            mid, spread, quartiles, others = stats[f.code]
            own = logs[f.code][i]
            assert own is not None  # passed over above
            off = own - sizes[i] - mid
            if abs(off) < threshold or (spread and abs(off) < s.peer_sigmas * spread):
                continue
            value = r.values.get(f.code)
            assert isinstance(value, int | Decimal)  # it has a logarithm
            typical = math.exp(mid + sizes[i])
            money = f.vtype == "money"
            if abs(float(value) - typical) < (s.min_change_money if money else s.min_change):
                continue
            ref = r.refs.get(f.code)
            if (f.sheet, ref) in taken:  # one finding a cell: an error or a doubt is there
                continue
            lo, hi = (math.exp(q + sizes[i]) for q in (quartiles[0], quartiles[2]))
            times = math.exp(off)
            found.append(
                Finding(
                    "W_PEER_OUTLIER",
                    sheet=f.sheet,
                    cell=ref,
                    indicator=f.code,
                    subject=f.code,
                    params={
                        "name_code": f.code,
                        "value": value,
                        "unit": f.unit,
                        "n": others,
                        "times": f"{times:.0f}" if times >= 2 else f"{times:.2g}",
                        "lo": _shown(lo, money),
                        "hi": _shown(hi, money),
                    },
                )
            )
        if found:
            yield i, found


def add_peer_doubts(
    reports: list[ReturnReport],
    indicators: dict[str, Indicator],
    settings: Plausibility,
    strict: bool,
) -> None:
    """Add each return's W_PEER_OUTLIER findings to its report (answered by its explanations;
    under --strict an unexplained one makes the return invalid)."""
    for i, found in peer_findings(reports, indicators, settings).items():
        reports[i].add(found, strict)
