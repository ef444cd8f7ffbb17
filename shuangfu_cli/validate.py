"""Validating returns: read, recompute totals, run every rule, apply the town's explanations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from schemas import IndicatorRegistry, Reference, parse_period

from .config import indicator_names, load_reference, registry_for
from .findings import Finding, Lang
from .layout import Figures, form_layout
from .reading import ReadReturn, UnreadableError, read_return
from .reading.cells import explained_place
from .rules import Context, Previous, run_rules
from .rules.history import one_finding_a_cell
from .rules.lists import list_summary
from .rules.policy import village_counts
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
    #: where each figure was read (its cell), in the layout's order; for findings made after
    #: the read (peers, trend)
    refs: Mapping[str, str | None] = field(default_factory=dict)
    #: the explanations written in 审核说明, for findings made after the read
    answers: tuple[Answer, ...] = ()
    #: (sheet, cell) of the cover's period, for a finding about the whole return made later
    period_cell: tuple[str, str] | None = None
    #: everything read from the file; only on reports made in this process (see `slim`)
    read: ReadReturn | None = None

    def judge(self, strict: bool) -> None:
        """invalid with an error, or with an unexplained warning under --strict."""
        if self.status != "unreadable":
            invalid = self.errors or (strict and self.warnings)
            self.status = "invalid" if invalid else "valid"

    def add(self, findings: list[Finding], strict: bool) -> None:
        """Findings made after the read (peers, trend's history), answered by the return's
        explanations, in the return's order; the status judged again."""
        apply_explanations(self.answers, findings)
        self.findings = _sort(one_finding_a_cell(self.findings + findings))
        self.judge(strict)

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


#: an answer in 审核说明, as the matching needs it: (code, sheet, cell, subject), normalised
Answer = tuple[str, str, str, str]


def answers(read: ReadReturn) -> tuple[Answer, ...]:
    """The return's written explanations (those with a text), normalised for matching."""
    out = []
    for row in read.lists.get("explanations", []):
        if not row.value("text"):
            continue
        code = norm(row.value("code") or "").upper()
        sheet, cell, subject = (norm(row.value(k) or "") for k in ("sheet_name", "cell", "subject"))
        sheet, cell = explained_place(sheet, cell)
        out.append((code, sheet, cell.upper().replace("$", ""), subject))
    return tuple(out)


def apply_explanations(given: tuple[Answer, ...], findings: list[Finding]) -> None:
    """Mark warnings answered in the 审核说明 sheet (by code and cell, or code and the workshop,
    village, class or indicator they are about). Errors cannot be explained away."""
    for f in findings:
        if f.severity != "warning":
            continue
        for code, sheet, cell, subject in given:
            if code != f.code:
                continue
            at_cell = (
                cell and cell == (f.cell or "") and (not sheet or sheet == norm(f.sheet or ""))
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
        return unreadable_report(report, exc)
    except MemoryError:  # over the worker's ceiling: the isolation says so, with the ceiling
        raise
    except Exception as exc:  # a file no rule foresaw must still not end in a traceback
        return unreadable_report(
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


def unreadable_report(report: ReturnReport, exc: UnreadableError) -> ReturnReport:
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
    findings = one_finding_a_cell(read.findings + run_rules(ctx))
    report.answers = answers(read)
    apply_explanations(report.answers, findings)
    report.findings = _sort(findings)
    report.values = Figures.of(ctx.value)
    if period_cell is not None:
        report.period_cell = (period_cell.sheet, period_cell.ref)
    report.refs = Figures.of(lambda code: cell.ref if (cell := read.figures.get(code)) else None)
    report.village_counts = village_counts(read.lists.get("villages", []))
    report.judge(strict)
    return report


def reasons_of(report: ReturnReport) -> tuple[str, str]:
    params = report.findings[0].params
    return params["reason_zh"], params["reason_en"]
