"""A year of quarters (``shuangfu trend``): every return goes through the same checks and the
same town states as the rollup; the figures of the towns counted in each quarter become one
tidy pandas table, and from it each quarter's 本季度新增, the completion of the targets against
序时进度 (district and town) and the figures that fell since the quarter before.

Each return is placed in the quarter its file name, else its folder's name, says (``…_2020Q3…``,
``2020Q3/``), else in the one its cover says, else listed as not counted. Each quarter's returns
then get the rollup's town states (:mod:`.town_states`): a return whose cover contradicts its
name is 报告期不符 (other_period) in the quarter of its name, counted nowhere and compared with
nothing, so a quarter here is exactly the `rollup` of its files. A town not counted in a quarter
has no figures there — never 0 — and every 本季度新增 or completion that would need them is
missing too.

pandas is imported here, by :mod:`.api` and by the trend workbook only: ``validate`` never
loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from schemas import IndicatorRegistry, Plausibility, Reference
from shuangfu_cli.check.file_period import contradicted, named_quarter
from shuangfu_cli.check.many_returns import CheckOptions, check_files
from shuangfu_cli.check.one_return import ReturnReport, reasons_of
from shuangfu_cli.check.peers import add_peer_doubts
from shuangfu_cli.check.run_report import run_context
from shuangfu_cli.check.workers import DEFAULT_LIMITS, Limits
from shuangfu_cli.district.quarter_change import previous_period
from shuangfu_cli.district.rollup import MadeWith, ProgressMode, time_progress, zero_of
from shuangfu_cli.district.targets import target_table
from shuangfu_cli.district.town_states import Ignored, TownState, town_states
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.form.values import plain
from shuangfu_cli.reading.collect import Skipped, collect
from shuangfu_cli.rules.history import PLAUSIBILITY_CODES, fall_hint, suspects
from shuangfu_cli.rules.history import place as place_suspect
from shuangfu_cli.rules.previous import fallen
from shuangfu_cli.rules.slips import History
from shuangfu_cli.text.words import both, say

TIDY_COLUMNS = ["period", "town", "code", "value", "increment", "status", "file"]


@dataclass
class Trend(MadeWith):
    year: int
    #: the quarters found, in order
    periods: list[str]
    #: period -> town -> its state in that quarter (as the rollup has it)
    states: dict[str, dict[str, TownState]]
    #: the tidy table, a row per quarter, town and figure (TIDY_COLUMNS): `value` only where
    #: the town was counted (status valid), `increment` (本季度新增) for flow figures only
    table: pd.DataFrame
    #: a row per target and quarter: actual, target, completion, time_progress, expected
    #: (序时进度 × target), towns (counted), coverage, complete (every town counted),
    #: counted_share and counted_completion (the counted towns' own shares), behind (judged on
    #: what was counted, as the rollup judges it; None when it cannot be judged), increment
    #: and compared (towns in the increment)
    district: pd.DataFrame
    #: a row per target, town and quarter: share (or denominator), actual, completion
    towns: pd.DataFrame
    #: the indicator registry the run was made with (as the reference's units are judged):
    #: every output names and measures the indicators by it
    registry: IndicatorRegistry
    #: the reference data the run was made with (towns, targets, the words for its units)
    reference: Reference
    #: W_CUMULATIVE_DECREASE findings: a flow figure lower than the same town's the quarter
    #: before, at its cell (each also among its return's findings); with quarter and town
    falls: list[tuple[str, str, ReturnReport, Finding]] = field(default_factory=list)
    #: plausibility warnings not explained (against the quarter before and the peers)
    doubts: list[tuple[str, str, ReturnReport, Finding]] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def notes(self) -> list[tuple[str, str]]:
        """What was not counted, and the towns missing a quarter (Chinese, English)."""
        notes = [i.note() for i in self.ignored]
        notes += [s.note() for s in self.skipped]
        for period in self.periods:
            for town, s in self.states[period].items():
                if s.status == "duplicate":
                    notes.append(
                        both("note", "period_duplicates", period=period, town=town,
                             files=lambda lang, f=s.files: say(lang, "terminal", "and").join(f))
                    )  # fmt: skip
                if s.status != "other_period":
                    continue
                for file, (zh, en) in zip(s.files, s.reasons, strict=True):
                    notes.append(
                        both("note", "period_not_counted", period=period, town=town, file=file,
                             why=lambda lang, zh=zh, en=en: zh if lang == "zh" else en)
                    )  # fmt: skip
            missing = [t for t, s in self.states[period].items() if s.status == "missing"]
            if missing:
                zh, en = both("note", "period_missing", period=period,
                              towns=lambda lang, m=missing: say(lang, "terminal", "and").join(m))  # fmt: skip
                notes.append((self.units.say(zh), en))
        return notes


def place(
    reports: list[ReturnReport], year: int, skipped: list[Skipped]
) -> tuple[dict[str, list[ReturnReport]], list[Ignored]]:
    """The returns by quarter: the file or folder name's, else the cover's; the rest listed."""
    by_period: dict[str, list[ReturnReport]] = {}
    ignored: list[Ignored] = []
    for r in reports:
        if r.own_output:
            skipped.append(Skipped(r.file, *reasons_of(r)))
            continue
        named = named_quarter(r, year)
        period = named.quarter if named is not None else r.period
        if period is None:
            ignored.append(Ignored(r.file, *both("note", "no_quarter", year=year)))
        else:
            by_period.setdefault(period, []).append(r)
    return dict(sorted(by_period.items())), ignored


def trend(
    paths: list[Path],
    *,
    reference: Reference | None = None,
    registry: IndicatorRegistry | None = None,
    progress_mode: ProgressMode = "flat",
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Trend:
    """Check every return under `paths` (each in an isolated worker) and follow the year."""
    reference, registry = run_context(reference, registry)
    files, skipped = collect(paths)
    if on_start is not None:
        on_start(len(files))
    options = CheckOptions(registry, reference, None, strict)
    reports = list(check_files(files, options, limits, on_file))
    by_period, ignored = place(reports, reference.year, skipped)
    fell = add_history(by_period, registry, reference, strict)
    add_peer_doubts(reports, registry.by_code(), reference.plausibility, strict)
    names = [t.name for t in reference.towns]
    states: dict[str, dict[str, TownState]] = {}
    for period, reps in by_period.items():
        states[period], ign = town_states(reps, names, period, skipped, reference.units)
        ignored += ign
    valid = {
        (period, town): s.report
        for period, towns in states.items()
        for town, s in towns.items()
        if s.status == "valid"
    }
    periods = list(states)
    read = {  # every town's one return of a quarter that could be read, counted or not (not
        (period, town): s.report  # one whose cover contradicts its name: of no quarter)
        for period, towns in states.items()
        for town, s in towns.items()
        if s.report is not None and s.report.status != "unreadable"
        and s.status != "other_period"
    }  # fmt: skip
    table = tidy_table(periods, states, valid, registry)
    district, towns = completion_tables(periods, valid, names, registry, reference, progress_mode)
    district = _with_increments(district, table)
    return Trend(
        year=reference.year,
        periods=periods,
        states=states,
        table=table,
        district=district,
        towns=towns,
        registry=registry,
        reference=reference,
        falls=sorted(fell, key=lambda x: (x[0], names.index(x[1]))),
        doubts=[
            (period, town, report, f)
            for (period, town), report in read.items()
            for f in report.findings
            if f.code in PLAUSIBILITY_CODES and not f.explained
        ],
        ignored=ignored,
        skipped=skipped,
    )


def tidy_table(periods, states, valid, registry) -> pd.DataFrame:
    """A row per quarter, town and figure; the value where the town was counted."""
    kinds = registry.by_code()
    codes = list(form_layout().figures)
    rows = []
    for period in periods:
        before = previous_period(period)
        for town, state in states[period].items():
            report = valid.get((period, town))
            prev = valid.get((before, town)) if before else None
            file = "、".join(state.files)
            for code in codes:
                value = increment = None
                if report is not None:
                    value = report.values[code]
                    if kinds[code].kind == "flow":
                        if before is None:
                            increment = value
                        elif prev is not None:
                            increment = value - prev.values[code]
                rows.append(
                    (period, town, code, plain(value), plain(increment), state.status, file)
                )
    table = pd.DataFrame(rows, columns=TIDY_COLUMNS)
    table[["value", "increment"]] = table[["value", "increment"]].astype("float64")
    return table


def completion_tables(periods, valid, names, registry, reference, progress_mode):
    """The targets' completion by quarter: the district's over the towns counted, and each
    town's (the same computation as the rollup's, quarter by quarter)."""
    codes = list(form_layout().figures)
    district_rows: list[tuple[object, ...]] = []
    town_rows: list[tuple[object, ...]] = []
    for period in periods:
        by_town = {t: valid[(period, t)].values for t in names if (period, t) in valid}
        totals = {c: sum((v[c] for v in by_town.values()), start=zero_of(c)) for c in codes}
        tp = time_progress(period, progress_mode)
        for code, t in target_table(registry, reference, totals, by_town, tp).items():
            target = plain(t.target)
            judged = t.judged  # on what was counted, as the rollup judges it (targets.py)
            district_rows.append(
                (code, period, plain(t.actual), target, t.completion, tp,
                 None if target is None else tp * target, len(by_town), t.coverage,
                 t.complete, plain(t.counted_share), t.counted_completion,
                 None if judged is None else judged < tp)
            )  # fmt: skip
            for town in names:
                d = t.by_town.get(town)
                if d is None:
                    town_rows.append((code, town, period, None, None, None))
                else:
                    town_rows.append((code, town, period, plain(d.share), plain(d.actual),
                                      d.completion))  # fmt: skip
    district = pd.DataFrame(
        district_rows,
        columns=["code", "period", "actual", "target", "completion", "time_progress",
                 "expected", "towns", "coverage", "complete", "counted_share",
                 "counted_completion", "behind"],
    )  # fmt: skip
    towns = pd.DataFrame(
        town_rows, columns=["code", "town", "period", "share", "actual", "completion"]
    )
    for frame, cols in ((district, ["actual", "target", "completion", "expected",
                                    "counted_share", "counted_completion"]),
                        (towns, ["share", "actual", "completion"])):  # fmt: skip
        frame[cols] = frame[cols].astype("float64")
    return district, towns


def _with_increments(district: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The district's 本季度新增 of each flow target: the sum over the towns whose increment is
    known (counted this quarter and the one before), and how many they are."""
    known = table.dropna(subset=["increment"])
    sums = known.groupby(["code", "period"])["increment"].agg(["sum", "count"])
    sums = sums.rename(columns={"sum": "increment", "count": "compared"}).reset_index()
    out = district.merge(sums, on=["code", "period"], how="left")
    out["compared"] = out["compared"].fillna(0).astype(int)
    return out


def add_history(
    by_period: dict[str, list[ReturnReport]],
    registry: IndicatorRegistry,
    reference: Reference,
    strict: bool,
) -> list[tuple[str, str, ReturnReport, Finding]]:
    """Each return against the same town's return of the quarter before (when each quarter
    has exactly one readable return of the town, its cover agreeing with its name): the
    warnings `validate --previous` gives — the plausibility doubts and W_CUMULATIVE_DECREASE —
    added to the later return (answered by its explanations, judged under --strict), as a
    `rollup --previous` of the quarter has them. Returns the falls, with quarter and town."""
    one: dict[tuple[str, str], ReturnReport] = {}
    twice: set[tuple[str, str]] = set()
    towns = {t.name for t in reference.towns}
    for period, reports in by_period.items():
        for r in reports:
            if (
                r.status != "unreadable"
                and r.town in towns
                and not contradicted(r, int(period[:4]))
            ):
                if (period, r.town) in one:
                    twice.add((period, r.town))
                one[(period, r.town)] = r
    indicators = registry.by_code()
    found_falls = []
    for (period, town), report in one.items():
        before = previous_period(period)
        prev = one.get((before, town)) if before else None
        if prev is None or before is None or (period, town) in twice or (before, town) in twice:
            continue
        found = suspects(
            report.values.get,
            prev.values,
            int(period[-1]),
            int(before[-1]),
            indicators,
            reference.plausibility,
            before,
            prev.file,
        )
        exchanged = {s.figure for s in found if s.code == "W_ROWS_EXCHANGED"}
        fell = [
            f
            for f in falls(report, prev, period, indicators, reference.plausibility)
            if f.indicator not in exchanged  # told with its neighbour, as validate does
        ]
        report.add([place_suspect(s, report.refs, report.period_cell) for s in found] + fell,
                   strict)  # fmt: skip
        found_falls += [(period, town, report, f) for f in fell]
    return found_falls


def falls(
    report: ReturnReport, prev: ReturnReport, period: str, kinds, settings: Plausibility
) -> list[Finding]:
    """Each flow figure lower than the same town's the quarter before: the warning
    `validate --previous` gives, at the figure's cell in the later return."""
    figures = form_layout().figures
    before = previous_period(period)
    assert before is not None, "a fall is against the quarter before"
    found = []
    for code, value, was in fallen(figures.values(), kinds, report.values.get, prev.values):
        money = isinstance(value, Decimal)
        h = History(value, was, "flow", int(period[-1]), int(before[-1]), money=money)
        hint_zh, hint_en = fall_hint(h, settings) if figures[code].is_input else ("", "")
        found.append(
            Finding(
                "W_CUMULATIVE_DECREASE",
                sheet=figures[code].sheet,
                cell=report.refs.get(code),
                indicator=code,
                subject=code,
                params={
                    "name_code": code,
                    "value": value,
                    "prev": was,
                    "prev_period": before,
                    "hint_zh": hint_zh,
                    "hint_en": hint_en,
                },
            )
        )
    return found
