"""Every town in exactly one state: the reports of a rollup's files sorted by town, with every
file either a town's return or listed as not counted, with its reason.

A return's quarter is the one its cover says, and the one its file name (else its folder's
name) says, ``…_2020Q4.xlsx`` or ``2020Q4/``: when the two differ (报告期不符) the return is
counted in no quarter, so it never displaces the town's genuine return of either. `rollup`
and `trend` both sort their returns here, so a quarter of `trend` is the `rollup` of its
files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from schemas import Units
from shuangfu_cli.check.file_period import NAMED_WHERE, Named, contradicted, mismatch, named_quarter
from shuangfu_cli.check.one_return import ReturnReport, reasons_of
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.values import shorten
from shuangfu_cli.reading.collect import Skipped
from shuangfu_cli.text.words import both, say

#: other_period: the town's only files are returns of another quarter (named, not counted)
TownStatus = Literal["valid", "invalid", "unreadable", "missing", "duplicate", "other_period"]


@dataclass
class TownState:
    town: str
    status: TownStatus
    files: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    #: the town's returns for the period (two or more when duplicate)
    reports: list[ReturnReport] = field(default_factory=list)
    #: other_period: why each of `reports` is not counted (Chinese, English)
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def report(self) -> ReturnReport | None:
        return self.reports[0] if len(self.reports) == 1 else None


@dataclass
class Ignored:
    file: str
    reason_zh: str
    reason_en: str
    #: the reason fit for what is circulated (the bulletin, the summary sheet): it never
    #: quotes what a clerk typed on the cover (names, phone numbers)
    public_zh: str = ""
    #: why, as the bulletin counts it: unreadable (and no town in its name), foreign (not a
    #: town of the district), other_period (beside the town's return of this quarter)
    kind: str = ""
    #: a return of another quarter beside the town's return of this one, and the town
    report: ReturnReport | None = None
    town: str | None = None

    def __post_init__(self):
        self.public_zh = self.public_zh or self.reason_zh

    def note(self) -> tuple[str, str]:
        """The run's note (Chinese, English): the file not counted, and why."""
        return both(
            "note", "not_counted", file=self.file,
            why=lambda lang: self.reason_zh if lang == "zh" else self.reason_en,
        )  # fmt: skip


def _town_from_name(path: Path, towns: list[str]) -> str | None:
    hits = [t for t in towns if t in path.name]
    return hits[0] if len(hits) == 1 else None


def _reason(report: ReturnReport, named: Named | None, period: str) -> tuple[str, str]:
    """Why a return of a town is not counted in `period` (Chinese, English)."""
    if (words := mismatch(report, named)) is not None:
        return words
    if report.period is None and named is not None:  # an unreadable file: its name says
        return both(
            "note", "named_other", named=named.quarter, period=period,
            where=lambda lang: say(lang, "named_where", named.where),
        )  # fmt: skip
    return both("note", "other_period", period=report.period, expected=period)


def _period_finding(report: ReturnReport, named: Named | None, period: str) -> Finding | None:
    """What the town is told on a return not of `period`: the cover's period against the
    quarter its name says (E_PERIOD_MISMATCH when that is `period`, as `validate --period`
    says it), or, with no quarter in its name, against `period` itself."""
    if report.period is None or report.period_cell is None:
        return None
    sheet, cell = report.period_cell
    expected = named.quarter if named is not None else period
    if report.period == expected:
        return None
    if expected == period:
        params = {"period": report.period, "expected": expected}
        return Finding("E_PERIOD_MISMATCH", sheet=sheet, cell=cell, params=params)
    assert named is not None  # the expected quarter is the one in the name
    zh, en = NAMED_WHERE[named.where]
    params = {"period": report.period, "named": expected, "where_zh": zh, "where_en": en}
    return Finding("E_PERIOD_NAME_MISMATCH", sheet=sheet, cell=cell, params=params)


def _tell(report: ReturnReport, finding: Finding | None) -> None:
    if finding is not None:
        report.add([finding], strict=False)  # an error: invalid whatever --strict says


def town_states(
    reports: Iterable[ReturnReport],
    town_names: list[str],
    period: str,
    skipped: list[Skipped],
    units: Units | None = None,
) -> tuple[dict[str, TownState], list[Ignored]]:
    """Each expected town's state, and the files not counted. The tool's own workbooks found
    among the returns are added to `skipped`.

    A return is of `period` when its cover says so (an unreadable one: its name) and its file
    or folder name names no other quarter. A return whose cover contradicts its name is
    counted in no quarter; it is told so (E_PERIOD_MISMATCH / E_PERIOD_NAME_MISMATCH), as is
    a return of another quarter with no quarter in its name when it is all its town sent."""
    say = (units or Units()).say  # the reference's words for its units (one level up: 区县)
    ignored: list[Ignored] = []
    found: dict[str, list[ReturnReport]] = {t: [] for t in town_names}
    #: a town's returns of another quarter: its state when it has no return of this one
    elsewhere: dict[str, list[tuple[ReturnReport, Named | None]]] = {t: [] for t in town_names}
    year = int(period[:4])
    for report in reports:
        path = Path(report.file)
        if report.own_output:  # the tool's own workbook among the returns
            skipped.append(Skipped(report.file, *reasons_of(report)))
            continue
        if report.status == "unreadable":
            town = _town_from_name(path, town_names)
            if town is None:
                ignored.append(
                    Ignored(
                        str(path),
                        say("无法读取，且无法从文件名判断镇街：")
                        + report.findings[0].message("zh"),
                        say("unreadable, and no town in its name: ", "en")
                        + report.findings[0].message("en"),
                        kind="unreadable",
                    )
                )
                continue
        elif report.town not in found:
            ignored.append(
                Ignored(
                    str(path),
                    say("填报单位“{}”不是本区的镇街").format(shorten(report.town or "")),
                    say("town '{}' is not a town of the district", "en").format(
                        shorten(report.town or "")
                    ),
                    public_zh=say("封面的填报单位不是本区的镇街"),
                    kind="foreign",
                )
            )
            continue
        else:
            town = report.town
        named = named_quarter(report, year)
        quarter = report.period or (named.quarter if named else None)
        if contradicted(report, year) or (quarter is not None and quarter != period):
            elsewhere[town].append((report, named))
            if contradicted(report, year):
                _tell(report, _period_finding(report, named, period))
            continue
        found[town].append(report)

    for town, others in elsewhere.items():
        if found[town]:  # the town has its return of the quarter: these files are not counted
            for report, named in others:
                zh, en = _reason(report, named, period)
                ignored.append(
                    Ignored(str(report.file), zh, en, kind="other_period", report=report, town=town)
                )

    towns: dict[str, TownState] = {}
    for town in town_names:
        reports = found[town]
        if not reports and elsewhere[town]:
            for report, named in elsewhere[town]:
                if named is None:
                    _tell(report, _period_finding(report, named, period))
            of_others = [r for r, _ in elsewhere[town]]
            towns[town] = TownState(
                town,
                "other_period",
                [r.file for r in of_others],
                sum(r.errors for r in of_others),
                sum(r.warnings for r in of_others),
                of_others,
                [_reason(r, named, period) for r, named in elsewhere[town]],
            )
            continue
        if not reports:
            towns[town] = TownState(town, "missing")
            continue
        files = [r.file for r in reports]
        errors = sum(r.errors for r in reports)
        warnings = sum(r.warnings for r in reports)
        if len(reports) > 1:
            towns[town] = TownState(town, "duplicate", files, errors, warnings, reports)
        else:
            towns[town] = TownState(town, reports[0].status, files, errors, warnings, reports)

    return towns, ignored


def returns_read(
    towns: dict[str, TownState], ignored: list[Ignored]
) -> list[tuple[str, ReturnReport, tuple[str, str] | None]]:
    """Every return of a town of the district as (town, report, why it is not counted when it
    is of another quarter: Chinese, English): the towns' own in the towns' order, then those
    of another quarter beside a town's own — what the feedback copies and the findings list
    are made of, as `validate` would make them of the same files."""
    out: list[tuple[str, ReturnReport, tuple[str, str] | None]] = []
    for town, state in towns.items():
        if state.status == "other_period":
            out += [(town, r, why) for r, why in zip(state.reports, state.reasons, strict=True)]
        else:
            out += [(town, r, None) for r in state.reports]
    out += [
        (i.town, i.report, (i.reason_zh, i.reason_en))
        for i in ignored
        if i.report is not None and i.town is not None  # set together (other_period)
    ]
    return out
