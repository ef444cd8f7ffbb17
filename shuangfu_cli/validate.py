"""Validating returns: read, recompute totals, run every rule, apply the town's explanations."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from schemas import IndicatorRegistry, Reference, parse_period

from .config import indicator_names, load_reference, registry_for
from .findings import Finding, Lang
from .isolation import DEFAULT_LIMITS, Failure, Limits, run_isolated
from .layout import Figures, form_layout
from .reading import ReadReturn, UnreadableError, read_return
from .reading.cells import explained_place
from .reading.collect import Skipped, collect
from .reading.source import RESAVE_EN, RESAVE_ZH
from .rules import Context, Previous, run_rules
from .rules.lists import list_summary
from .rules.policy import VILLAGE_COUNTS, village_counts
from .values import norm
from .writing.sanitize import show_path

Status = Literal["valid", "invalid", "unreadable"]


@dataclass
class ReturnReport:
    """The outcome of validating one file."""

    file: str
    town: str | None = None
    period: str | None = None
    status: Status = "valid"
    findings: list[Finding] = field(default_factory=list)
    #: every figure as the rules saw it (totals recomputed); for the rollup
    values: Mapping[str, object] = field(default_factory=dict)
    #: the per-village policy checks counted over the village list; for the rollup
    village_counts: dict[str, int] = field(default_factory=dict)
    fmt: str | None = None  # xlsx, xls or ods, once read
    own_output: bool = False  # a workbook this tool wrote, found among the returns
    #: the file as given (not for display: see `file`); set by the run, for --annotate
    source: Path | None = None
    #: code -> the cell its figure was read from; kept only when a run asks (trend)
    cells: dict[str, str] = field(default_factory=dict)
    #: every list's rows as plain values; kept only when a run asks (the district's return)
    lists: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    #: everything read from the file; only on reports made in this process (see `slim`)
    read: ReadReturn | None = None

    def slim(self) -> ReturnReport:
        """The report without the read workbook: what a worker sends back and a run keeps."""
        return replace(self, read=None)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning" and not f.explained)

    def to_dict(self, lang: Lang = "zh") -> dict:
        names = indicator_names()
        return {
            "file": self.file,
            "town": self.town,
            "period": self.period,
            "status": self.status,
            "findings": [f.to_dict(lang, names) for f in self.findings],
        }


def derive(read: ReadReturn) -> dict[str, object]:
    """Totals and list summaries recomputed from their parts (where every part is known)."""
    layout = form_layout()
    derived: dict[str, object] = {}
    for f in layout.figures.values():
        if f.summary is not None and f.summary_of in read.lists:
            derived[f.code] = list_summary(read.lists[f.summary_of], f.summary)

    def value(code):
        if code in derived:
            return derived[code]
        cell = read.figures.get(code)
        return None if cell is None else cell.value

    for f in layout.figures.values():
        if f.parts:
            parts = [value(p) for p in f.parts]
            if all(p is not None for p in parts):
                derived[f.code] = sum(parts)
    return derived


def _cell_key(ref: str | None) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref or "")
    if not m:
        return (0, 0)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return (int(m[2]), col)


def _sort(findings: list[Finding]) -> list[Finding]:
    layout = form_layout()
    order = (
        ["封面"] + [s.sheet.name for s in layout.sheets] + [lst.sheet.name for lst in layout.lists]
    )
    rank = {name: i for i, name in enumerate(order)}
    return sorted(findings, key=lambda f: (rank.get(f.sheet or "", -1), _cell_key(f.cell)))


def apply_explanations(read: ReadReturn, findings: list[Finding]) -> None:
    """Mark warnings answered in the 审核说明 sheet. Errors cannot be explained away."""
    rows = read.lists.get("explanations", [])
    for f in findings:
        if f.severity != "warning":
            continue
        for row in rows:
            text, code = row.value("text"), row.value("code")
            if not text or norm(code or "").upper() != f.code:
                continue
            sheet, cell, subject = (
                norm(row.value(k) or "") for k in ("sheet_name", "cell", "subject")
            )
            sheet, cell = explained_place(sheet, cell)
            at_cell = (
                cell
                and cell.upper().replace("$", "") == (f.cell or "")
                and (not sheet or sheet == norm(f.sheet or ""))
            )
            about = subject and subject in (norm(f.subject or ""), f.indicator)
            if at_cell or about:
                f.explained = True
                break


def validate_file(
    path: Path,
    *,
    expected_period: str | None = None,
    previous: ReturnReport | None = None,
    previous_by_town: dict[str, ReturnReport] | None = None,
    strict: bool = False,
    registry: IndicatorRegistry | None = None,
    reference: Reference | None = None,
) -> ReturnReport:
    """Validate one return. Never raises for a bad file: it becomes an `unreadable` report."""
    reference = reference or load_reference()
    registry = registry or registry_for(reference)
    report = ReturnReport(file=show_path(path))
    try:
        read = read_return(Path(path), registry.bounds())
    except UnreadableError as exc:
        return _unreadable(report, exc)
    except MemoryError:  # over the worker's ceiling: the isolation says so, with the ceiling
        raise
    except Exception as exc:  # a file no rule foresaw must still not end in a traceback
        return _unreadable(
            report,
            UnreadableError(
                f"读取时出现意外问题({type(exc).__name__}: {exc}),请另存为.xlsx后重试,"
                "或把文件交给技术人员",
                f"unexpected problem while reading ({type(exc).__name__}: {exc}); save it as "
                ".xlsx and try again, or hand the file to IT",
            ),
        )
    return _check(
        report,
        read,
        expected_period=expected_period,
        previous=previous,
        previous_by_town=previous_by_town or {},
        strict=strict,
        registry=registry,
        reference=reference,
    )


def _unreadable(report: ReturnReport, exc: UnreadableError) -> ReturnReport:
    report.status = "unreadable"
    report.own_output = exc.own_output
    report.findings = [
        Finding(
            "E_UNREADABLE",
            sheet=exc.sheet,
            cell=exc.cell,
            params={"reason_zh": exc.zh, "reason_en": exc.en},
        )
    ]
    return report


def is_earlier(previous: str | None, period: str | None) -> bool:
    """A previous return is compared only when both quarters are known and it is earlier."""
    return bool(previous and period and previous < period)


def _check(
    report: ReturnReport,
    read: ReadReturn,
    *,
    expected_period: str | None,
    previous: ReturnReport | None,
    previous_by_town: dict[str, ReturnReport],
    strict: bool,
    registry: IndicatorRegistry,
    reference: Reference,
) -> ReturnReport:
    """Run every rule on a return that could be read, and apply its explanations."""
    report.read = read
    report.fmt = read.fmt
    town_cell, period_cell = read.cover.get("town"), read.cover.get("period")
    town = reference.town_on_cover(town_cell.value) if town_cell else None
    period = parse_period(period_cell.value) if period_cell and period_cell.value else None
    if period and int(period[:4]) != reference.year:
        period = None
    report.town = town.name if town else (town_cell.value or None if town_cell else None)
    report.period = period
    ctx = Context(
        read=read,
        layout=form_layout(),
        indicators=registry.by_code(),
        town=town,
        reference=reference,
        year=reference.year,
        period=period,
        expected_period=expected_period,
        derived=derive(read),
    )
    if previous is not None and previous.status != "unreadable":
        ctx.previous = Previous(previous.file, previous.period, previous.values)
    elif previous_by_town and report.town in previous_by_town:
        prev = previous_by_town[report.town]
        if is_earlier(prev.period, period):
            ctx.previous = Previous(prev.file, prev.period, prev.values)
    findings = read.findings + run_rules(ctx)
    apply_explanations(read, findings)
    report.findings = _sort(findings)
    report.values = Figures.of(ctx.value)
    report.village_counts = village_counts(read.lists.get("villages", []))
    if report.errors or (strict and report.warnings):
        report.status = "invalid"
    return report


@dataclass(frozen=True)
class CheckOptions:
    """What every return of a run is checked with; installed once in each worker."""

    registry: IndicatorRegistry
    reference: Reference
    expected_period: str | None = None
    strict: bool = False
    previous_by_town: dict[str, ReturnReport] = field(default_factory=dict)
    #: keep where each figure was read (ReturnReport.cells), for findings made after the read
    keep_cells: bool = False
    #: keep every list's rows (ReturnReport.lists), for the district's own return
    keep_lists: bool = False


_OPTIONS: CheckOptions | None = None


def _install(options: CheckOptions) -> None:
    global _OPTIONS
    _OPTIONS = options


def _check_in_worker(path: Path) -> ReturnReport:
    o = _OPTIONS
    report = validate_file(
        path,
        expected_period=o.expected_period,
        previous_by_town=o.previous_by_town,
        strict=o.strict,
        registry=o.registry,
        reference=o.reference,
    )
    if o.keep_cells and report.read is not None:
        report.cells = {code: cell.ref for code, cell in report.read.figures.items()}
    if o.keep_lists and report.read is not None:
        report.lists = report.read.plain_lists()
    return report.slim()


_FAILURE_REASONS = {
    "memory": (
        "文件结构异常,读取它需要的内存超过了上限({mb} MB),无法安全读取;",
        "the file's structure is abnormal: reading it needs more than the {mb} MB allowed, so "
        "it cannot be read safely; ",
    ),
    "timeout": (
        "读取超过{s:g}秒仍未完成,文件结构异常,无法安全读取;",
        "reading it took more than {s:g} s: the file's structure is abnormal and it cannot be "
        "read safely; ",
    ),
    "crashed": (
        "文件结构异常,读取程序无法处理它,无法安全读取;",
        "the file's structure is abnormal and the reader could not handle it, so it cannot be "
        "read safely; ",
    ),
}


def _failed(path: Path, failure: Failure, limits: Limits) -> ReturnReport:
    zh, en = _FAILURE_REASONS[failure.kind]
    params = {"mb": limits.memory_mb, "s": limits.timeout_s}
    detail_zh = f"(技术信息:{failure.detail})" if failure.detail else ""
    detail_en = f" (technical detail: {failure.detail})" if failure.detail else ""
    error = UnreadableError(
        zh.format(**params) + RESAVE_ZH + detail_zh, en.format(**params) + RESAVE_EN + detail_en
    )
    return _unreadable(ReturnReport(file=show_path(path)), error)


def check_files(
    files: Iterable[Path],
    options: CheckOptions,
    limits: Limits = DEFAULT_LIMITS,
    on_file: Callable[[Path], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[ReturnReport]:
    """Validate each file in an isolated worker; yield the (slim) reports in input order. A file
    that kills, exhausts or outlasts its worker is an `unreadable` report, never the run's end.
    `meanwhile` runs here while the workers read."""
    for path, result in run_isolated(
        _check_in_worker,
        files,
        limits,
        initializer=_install,
        initargs=(options,),
        meanwhile=meanwhile,
    ):
        if on_file is not None:
            on_file(path)
        if isinstance(result, Failure):
            result = _failed(path, result, limits)
        else:  # the run's own key strings, not one copy per report from the pipe
            result.village_counts = {k: result.village_counts.get(k, 0) for k in VILLAGE_COUNTS}
        result.source = Path(path)
        yield result


def read_previous(
    previous: Iterable[Path],
    registry: IndicatorRegistry,
    reference: Reference,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[dict[str, ReturnReport], list[tuple[str, str]]]:
    """The previous quarter's returns by town (each read in a worker like any return), and
    notes (Chinese, English) about the ones that cannot be used."""
    notes: list[tuple[str, str]] = []
    by_town: dict[str, ReturnReport] = {}
    files, skipped = collect(previous)
    notes += [s.note() for s in skipped]
    if not files:
        return by_town, notes
    options = CheckOptions(registry, reference)
    for prev in check_files(files, options, limits):
        p = prev.file
        if prev.status == "unreadable" or not prev.town:
            notes.append(
                (
                    f"{p}:上期报表无法读取或镇街不明,未作比较",
                    f"{p}: previous return unreadable or of no known town; not compared",
                )
            )
        elif prev.town in by_town:
            notes.append(
                (
                    f"{p}:{prev.town}已有一份上期报表,本份未作比较",
                    f"{p}: a second previous return of {prev.town}; not compared",
                )
            )
        else:
            by_town[prev.town] = prev
    return by_town, notes


def validate_files(
    files: list[Path],
    *,
    previous: list[Path] = (),
    expected_period: str | None = None,
    strict: bool = False,
    registry: IndicatorRegistry | None = None,
    reference: Reference | None = None,
    limits: Limits = DEFAULT_LIMITS,
    meanwhile: Callable[[], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> tuple[list[ReturnReport], list[tuple[str, str]]]:
    """Validate several returns, each in an isolated worker and against the previous return of
    its own town. `meanwhile` runs while the workers read (the caller's own preparations);
    `on_start` is told how many returns there are, `on_file` each one as it is done.

    Returns the reports (in input order) and notes (Chinese, English) about previous returns
    that could not be used.
    """
    reference = reference or load_reference()
    registry = registry or registry_for(reference)
    by_town, notes = read_previous(previous, registry, reference, limits)
    options = CheckOptions(registry, reference, expected_period, strict, by_town)
    found, skipped = collect(files)
    if on_start is not None:
        on_start(len(found))
    reports = []
    for report in check_files(found, options, limits, on_file, meanwhile):
        if report.own_output:  # the tool's own workbook among the returns: a note, not a return
            skipped.append(Skipped(report.file, *reasons_of(report)))
        else:
            reports.append(report)
    notes += [s.note() for s in skipped]
    notes += duplicate_notes(reports)
    if previous:
        notes += comparison_notes(reports, by_town)
    return reports, notes


def duplicate_notes(reports: Iterable[ReturnReport]) -> list[tuple[str, str]]:
    """Two or more returns of one town for one quarter: a rollup counts none of them."""
    by_key: dict[tuple[str, str | None], list[str]] = {}
    for r in reports:
        if r.status != "unreadable" and r.town:
            by_key.setdefault((r.town, r.period), []).append(r.file)
    notes = []
    for (town, period), files in by_key.items():
        if len(files) > 1:
            when = period or "(报告期不明)"
            notes.append(
                (
                    f"{town}有{len(files)}份{when}报表:{'、'.join(files)};汇总时都不计入,"
                    "请只保留一份",
                    f"{town} has {len(files)} returns of {period or 'no known period'}: "
                    f"{', '.join(files)}; a rollup counts none of them until only one is left",
                )
            )
    return notes


def comparison_notes(
    reports: Iterable[ReturnReport], by_town: Mapping[str, ReturnReport]
) -> list[tuple[str, str]]:
    """The returns not compared with a previous one although --previous was given, and why:
    no previous return of the town, or one that is not of an earlier quarter."""
    notes = []
    for r in reports:
        if r.status == "unreadable" or not r.town:
            continue
        prev = by_town.get(r.town)
        if prev is None:
            notes.append(
                (
                    f"{r.file}:没有{r.town}的上期报表,未作比较",
                    f"{r.file}: no previous return of {r.town} was given; not compared",
                )
            )
        elif not is_earlier(prev.period, r.period):
            pp_zh, p_zh = prev.period or "(不明)", r.period or "(不明)"
            notes.append(
                (
                    f"{r.file}:上期报表{prev.file}的报告期为{pp_zh},不早于本期{p_zh},未作比较",
                    f"{r.file}: the previous return {prev.file} is of "
                    f"{prev.period or 'no known period'}, not earlier than this return's "
                    f"{r.period or 'unknown period'}; not compared",
                )
            )
    return notes


def reasons_of(report: ReturnReport) -> tuple[str, str]:
    params = report.findings[0].params
    return params["reason_zh"], params["reason_en"]
