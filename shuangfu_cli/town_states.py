"""Every town in exactly one state: the reports of a rollup's files sorted by town, with every
file either a town's return or listed as not counted, with its reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .reading.collect import Skipped
from .validate import ReturnReport, reasons_of
from .values import shorten

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

    def __post_init__(self):
        self.public_zh = self.public_zh or self.reason_zh


def _town_from_name(path: Path, towns: list[str]) -> str | None:
    hits = [t for t in towns if t in path.name]
    return hits[0] if len(hits) == 1 else None


def town_states(
    reports: Iterable[ReturnReport], town_names: list[str], period: str, skipped: list[Skipped]
) -> tuple[dict[str, TownState], list[Ignored]]:
    """Each expected town's state, and the files not counted. The tool's own workbooks found
    among the returns are added to `skipped`."""
    ignored: list[Ignored] = []
    found: dict[str, list[ReturnReport]] = {t: [] for t in town_names}
    #: a town's returns of another quarter: its state when it has no return of this one
    elsewhere: dict[str, list[ReturnReport]] = {t: [] for t in town_names}
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
                        "无法读取,且无法从文件名判断镇街:" + report.findings[0].message("zh"),
                        "unreadable, and no town in its name: " + report.findings[0].message("en"),
                        kind="unreadable",
                    )
                )
            else:
                found[town].append(report)
            continue
        if report.town not in found:
            ignored.append(
                Ignored(
                    str(path),
                    f"填报单位“{shorten(report.town or '')}”不是本区的镇街",
                    f"town '{shorten(report.town or '')}' is not a town of the district",
                    public_zh="封面的填报单位不是本区的镇街",
                    kind="foreign",
                )
            )
            continue
        if report.period is not None and report.period != period:
            elsewhere[report.town].append(report)
            continue
        found[report.town].append(report)

    for town, reports in elsewhere.items():
        if found[town]:  # the town has its return of the quarter: these files are not counted
            for report in reports:
                ignored.append(
                    Ignored(
                        str(report.file),
                        f"报告期为{report.period},不是{period}",
                        f"period {report.period}, not {period}",
                        kind="other_period",
                    )
                )

    towns: dict[str, TownState] = {}
    for town in town_names:
        reports = found[town]
        if not reports and elsewhere[town]:
            others = elsewhere[town]
            towns[town] = TownState(
                town,
                "other_period",
                [r.file for r in others],
                sum(r.errors for r in others),
                sum(r.warnings for r in others),
                others,
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
