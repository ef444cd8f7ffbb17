"""Quarter-end rollup: every town's state, district totals of the valid returns, and progress
against the 2020 targets.

Nothing is lost and nothing counted twice: every expected town ends in exactly one state, every
file is either a town's return or listed as ignored with its reason, and the totals are sums over
valid towns only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal, cast

from schemas import Indicator, IndicatorRegistry, Policy, Reference, Units, parse_period
from shuangfu_cli.check.many_returns import check_run
from shuangfu_cli.check.run_report import run_context
from shuangfu_cli.check.workers import DEFAULT_LIMITS, Limits
from shuangfu_cli.district.quarter_change import QuarterChange, quarter_on_quarter
from shuangfu_cli.district.targets import COVERAGE_TARGETS, Target, share_problems, target_table
from shuangfu_cli.district.town_states import Ignored, TownState, town_states
from shuangfu_cli.form.findings import Finding, Lang
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.form.values import plain, ratio
from shuangfu_cli.reading.collect import Skipped
from shuangfu_cli.rules.history import PLAUSIBILITY_CODES
from shuangfu_cli.text.json_stream import LazyObject, materialize
from shuangfu_cli.text.words import pairs

ProgressMode = Literal["flat", "days"]


def time_progress(period: str, mode: ProgressMode = "flat") -> float:
    """序时进度 at the end of `period`: 25/50/75/100%, or days elapsed in the year."""
    year, quarter = int(period[:4]), int(period[-1])
    if mode == "flat":
        return quarter / 4
    end = dt.date(year, 12, 31) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    end_day = (end - dt.date(year, 1, 1)).days + (1 if quarter == 4 else 0)
    days_in_year = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    return end_day / days_in_year


_TOWN_NOTES = pairs("town_note")


class MadeWith:
    """What a rollup or a trend was made with (the indicator registry, the reference data) and
    what its outputs read from it: a writer never loads them again."""

    registry: IndicatorRegistry
    reference: Reference

    @property
    def units(self) -> Units:
        """What the reference calls its units (towns; one level up 区县): every output says it."""
        return self.reference.units

    @property
    def policy(self) -> Policy:
        """The policy thresholds the village checks and the bulletin were judged with."""
        return self.reference.policy

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        """The run's indicators by code."""
        return self.registry.by_code()

    @cached_property
    def names(self) -> dict[str, tuple[str, str]]:
        """The run's indicator names by code (Chinese, English), as findings are worded."""
        return {code: (i.name_zh, i.name_en) for code, i in self.indicators.items()}


@dataclass
class Rollup(MadeWith):
    period: str
    progress_mode: ProgressMode
    time_progress: float
    towns: dict[str, TownState]
    ignored: list[Ignored]
    totals: dict[str, int | Decimal]
    by_town: dict[str, Mapping[str, int | Decimal]]
    ratios: dict[str, float | None]
    village_checks: dict[str, int]
    targets: dict[str, Target]
    share_problems: list[dict]
    #: the indicator registry the run was made with (as the reference's units are judged): every
    #: output names and measures the indicators by it
    registry: IndicatorRegistry
    #: the reference data the run was made with (towns, targets, the words for its units)
    reference: Reference
    #: files found but not read as returns (lock files, hidden files, the tool's own workbooks)
    skipped: list[Skipped] = field(default_factory=list)
    #: notes of the run (Chinese, English): previous returns that could not be used
    notes: list[tuple[str, str]] = field(default_factory=list)
    #: 本季度新增 and the change of completion since last quarter (with --previous)
    change: QuarterChange | None = None

    def is_behind(self, t: Target) -> bool:
        """A target whose completion, judged on what was counted (:attr:`Target.judged`), is
        below 序时进度."""
        return t.judged is not None and t.judged < self.time_progress

    def verdict(self, t: Target) -> Literal["behind", "ahead"] | None:
        """behind or ahead of 序时进度, judged on what was counted; None when it cannot be
        judged (no counted town has a share of the target)."""
        if t.judged is None:
            return None
        return "behind" if t.judged < self.time_progress else "ahead"

    @property
    def not_counted(self) -> list[str]:
        """The towns whose figures are not in the totals (missing, invalid, …)."""
        return [t for t, s in self.towns.items() if s.status != "valid"]

    @property
    def split_targets(self) -> list[str]:
        """The targets split by town (Attachment 1), not the coverage ones."""
        return [code for code, t in self.targets.items() if not t.coverage]

    @property
    def targeted_flows(self) -> list[str]:
        """The target indicators that are flows (with --previous: each has a 本季度新增)."""
        flows = set(self.change.flows) if self.change is not None else set()
        return [code for code in self.targets if code in flows]

    def run_notes(self) -> list[tuple[str, str]]:
        """Every note of the run (Chinese, English): what a report of findings cannot show on
        a return — towns missing, with two returns or only another quarter's; files not
        counted; previous returns not used."""
        notes = []
        for town, s in self.towns.items():
            if s.status in _TOWN_NOTES:
                zh, en = _TOWN_NOTES[s.status]
                files = "、".join(s.files)
                notes.append((zh.format(town=town, files=files), en.format(town=town, files=files)))
        notes += [i.note() for i in self.ignored]
        notes += [s.note() for s in self.skipped]
        return notes + list(self.notes)

    @cached_property
    def doubts(self) -> list[Doubt]:
        """The counted towns' unexplained plausibility warnings (history and peers)."""
        out = []
        for town, state in self.towns.items():
            report = state.report if state.status == "valid" else None
            if report is None:
                continue
            for f in report.findings:
                if f.code in PLAUSIBILITY_CODES and not f.explained:
                    out.append(Doubt(town, report.file, f, _feeds(f.indicator, self.targets)))
        return out

    def doubtful_towns(self, target: str) -> list[str]:
        """The counted towns whose figure feeding `target` is in doubt."""
        return list(dict.fromkeys(d.town for d in self.doubts if target in d.feeds))

    @property
    def valid_towns(self) -> list[str]:
        return [t for t, s in self.towns.items() if s.status == "valid"]

    def to_dict(self, lang: Lang = "zh") -> dict:
        return materialize(self.json_doc(lang))

    def json_doc(self, lang: Lang = "zh") -> dict:
        """The JSON result; its per-indicator and per-target members (a value per town each) are
        made one at a time as :func:`shuangfu_cli.text.json_stream.write_json` writes them. Reasons and
        notes are in `lang`."""
        en = lang == "en"
        return {
            "period": self.period,
            "time_progress": round(self.time_progress, 6),
            "progress_mode": self.progress_mode,
            "covered_towns": self.valid_towns,
            "towns": {
                name: {
                    "status": s.status,
                    "files": s.files,
                    "errors": s.errors,
                    "warnings": s.warnings,
                }
                for name, s in self.towns.items()
            },
            "indicators": LazyObject(self._indicator_members),
            "targets": LazyObject(self._target_members),
            "ratios": {k: _rate(v) for k, v in self.ratios.items()},
            "village_checks": self.village_checks,
            "share_problems": self.share_problems,
            "ignored_files": [
                {"file": i.file, "reason": i.reason_en if en else i.reason_zh} for i in self.ignored
            ],
            "skipped_files": [
                {"file": s.file, "reason": s.reason_en if en else s.reason_zh} for s in self.skipped
            ],
            "notes": [e if en else z for z, e in self.notes],
            "doubts": [
                {
                    "town": d.town,
                    "file": d.file,
                    "feeds": list(d.feeds),
                    **d.finding.to_dict(lang, self.names),
                }
                for d in self.doubts
            ],
            "quarter_on_quarter": None if self.change is None else self.change.to_json(lang),
        }

    def _indicator_members(self):
        reg = self.indicators
        for code in form_layout().figures:
            target = self.targets.get(code)
            yield (
                code,
                {
                    "total": plain(self.totals.get(code)),
                    "by_town": {t: plain(v[code]) for t, v in self.by_town.items()},
                    "target": plain(target.target) if target else None,
                    "completion": _rate(target.completion) if target else None,
                    "unit": reg[code].unit,
                },
            )

    def _target_members(self):
        for code, t in self.targets.items():
            yield (
                code,
                {
                    "target": plain(t.target),
                    "actual": plain(t.actual),
                    "completion": _rate(t.completion),
                    "coverage": t.coverage,
                    "ahead": None if t.judged is None else t.judged >= self.time_progress,
                    "complete": t.complete,
                    "counted_share": plain(t.counted_share),
                    "counted_completion": _rate(t.counted_completion),
                    "by_town": {
                        town: {
                            "share": plain(d.share),
                            "actual": plain(d.actual),
                            "completion": _rate(d.completion),
                        }
                        for town, d in t.by_town.items()
                    },
                    "behind_towns": t.behind_towns,
                    "doubtful_towns": self.doubtful_towns(code),
                },
            )


@dataclass(frozen=True)
class Doubt:
    """A counted town's unexplained plausibility warning, and the targets its figure feeds:
    what the statistician confirms with the town before the 通报 goes out."""

    town: str
    file: str
    finding: Finding
    feeds: tuple[str, ...]


def _feeds(indicator: str | None, targets: Iterable[str]) -> tuple[str, ...]:
    """The targets a figure adds into (itself, or the totals it is a part of); a doubt on the
    whole return (no figure) feeds every target."""
    targets = list(targets)
    if indicator is None:
        return tuple(targets)
    figures, chain = form_layout().figures, []
    code: str | None = indicator
    while code is not None:
        chain.append(code)
        code = figures[code].total if code in figures else None
    return tuple(t for t in targets if t in chain)


def _rate(v):
    return None if v is None else round(v, 6)


def rollup(
    paths: list[Path],
    period: str,
    *,
    previous: Sequence[Path] = (),
    progress_mode: ProgressMode = "flat",
    strict: bool = False,
    reference: Reference | None = None,
    registry: IndicatorRegistry | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    keep_lists: bool = False,
    keep_checked: bool = False,
) -> Rollup:
    """Validate every return under `paths` (each in an isolated worker, see
    :mod:`shuangfu_cli.check.workers`) and add the valid ones up for `period`. `keep_lists`: keep
    every valid return's list rows (for :func:`shuangfu_cli.district.own_return.district_return`);
    `keep_checked`: what each return was checked as, for its feedback copy (--annotate)."""
    reference, registry = run_context(reference, registry)
    period = parse_period(period) or period
    town_names = [t.name for t in reference.towns]

    run = check_run(
        paths,
        previous=previous,
        strict=strict,
        registry=registry,
        reference=reference,
        limits=limits,
        on_start=on_start,
        on_file=on_file,
        keep_lists=keep_lists,
        keep_checked=keep_checked,
    )
    prev_by_town, skipped = run.previous, list(run.skipped)
    towns, ignored = town_states(list(run.reports), town_names, period, skipped, reference.units)

    valid = {t: s.report for t, s in towns.items() if s.status == "valid" and s.report is not None}
    codes = list(form_layout().figures)
    # read-only mappings, not copies; a valid return's figures are all numbers
    by_town = {t: cast("Mapping[str, int | Decimal]", r.values) for t, r in valid.items()}
    totals = {c: sum((v[c] for v in by_town.values()), start=zero_of(c)) for c in codes}
    ratios = _ratios(totals)
    village_checks = _village_checks(valid.values())
    tp = time_progress(period, progress_mode)
    targets = target_table(registry, reference, totals, by_town, tp)
    problems = share_problems(registry, reference)
    change = None
    if previous:
        kinds = registry.by_code()
        flows = [c for c in codes if kinds[c].kind == "flow"]
        change = quarter_on_quarter(period, by_town, prev_by_town, flows, targets, COVERAGE_TARGETS)
    return Rollup(
        period=period,
        progress_mode=progress_mode,
        time_progress=tp,
        towns=towns,
        ignored=ignored,
        totals=totals,
        by_town=by_town,
        ratios=ratios,
        village_checks=village_checks,
        targets=targets,
        share_problems=problems,
        registry=registry,
        reference=reference,
        skipped=skipped,
        notes=list(run.notes),
        change=change,
    )


def zero_of(code: str) -> int | Decimal:
    return Decimal(0) if form_layout().figures[code].vtype == "money" else 0


def _ratios(t: dict) -> dict[str, float | None]:
    """Ratios recomputed from the summed parts, never averaged over towns."""
    ratios = {"EMP_WS_POOR_SHARE": ratio(t["EMP_WS_POOR"], t["EMP_WS_WORKERS"])}
    for stage in ("PRESCHOOL", "COMPULSORY", "HIGHSCHOOL", "VOCATIONAL", "COLLEGE", "TOTAL"):
        ratios[f"EDU_{stage}_COVERAGE"] = ratio(
            t[f"EDU_{stage}_FUNDED"], t[f"EDU_{stage}_ELIGIBLE"]
        )
    for code in form_layout().figures:
        if code.startswith("TRN_CADRE_") and code.endswith("_TRAINED"):
            row = code[len("TRN_CADRE_") : -len("_TRAINED")]
            ratios[f"TRN_CADRE_{row}_COVERAGE"] = ratio(t[code], t[f"TRN_CADRE_{row}_PLANNED"])
    ratios["LDR_HOUSEHOLDS_PER_LEADER"] = ratio(t["LDR_HOUSEHOLDS"], t["LDR_STOCK"])
    return ratios


def _village_checks(reports) -> dict[str, int]:
    """The per-village rules counted across the district (valid towns only)."""
    out = {
        "poor_villages_under_4": 0,
        "villages_without_leader": 0,
        "villages_under_3_households": 0,
    }
    for r in reports:
        for key, n in r.village_counts.items():
            out[key] += n
    return out


def town_ranking(r: Rollup) -> list[tuple[str, float]]:
    """Valid towns by their mean completion of the split targets (a ranking index only)."""
    scores = []
    for town in r.valid_towns:
        rates = [
            rate
            for t in r.targets.values()
            if not t.coverage
            and town in t.by_town
            and (rate := t.by_town[town].completion) is not None
        ]
        if rates:
            scores.append((town, sum(rates) / len(rates)))
    return sorted(scores, key=lambda x: -x[1])
