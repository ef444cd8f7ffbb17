"""Validating returns: read, recompute totals, run every rule, apply the town's explanations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from schemas import IndicatorRegistry, Reference, Units, parse_period
from shuangfu_cli.check.explanations import (
    Answer,
    answers,
    apply_explanations,
    decided_by,
    points_at,
    unmatched,
)
from shuangfu_cli.form.findings import UNMATCHED, Finding, Lang
from shuangfu_cli.form.layout import Figures, form_layout
from shuangfu_cli.form.reference import indicator_names, load_reference, registry_for
from shuangfu_cli.reading import ReadReturn, UnreadableError, read_return
from shuangfu_cli.reading.reader import expected_sheets
from shuangfu_cli.rules import Context, Previous, run_rules
from shuangfu_cli.rules.history import one_finding_a_cell
from shuangfu_cli.rules.list_totals import list_summary
from shuangfu_cli.rules.policy import village_counts
from shuangfu_cli.text.sanitize import show_path

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
    #: for --annotate (CheckOptions.keep_checked): the SHA-256 of the bytes that were checked,
    #: and the bytes themselves for a return with findings; its feedback copy is made of them
    digest: str | None = None
    checked: bytes | None = field(default=None, repr=False)
    #: the reference's words for its units when they are not towns (one level up: 区县);
    #: every finding of the return says them
    units: Units | None = None

    def stamp(self, findings: list[Finding]) -> list[Finding]:
        """`findings`, each to say the return's units (see :attr:`units`)."""
        if self.units is not None:
            for f in findings:
                f.params.setdefault("units", self.units)
        return findings

    def judge(self, strict: bool) -> None:
        """invalid with an error, or with an unexplained warning under --strict."""
        if self.status != "unreadable":
            invalid = self.errors or (strict and self.warnings)
            self.status = "invalid" if invalid else "valid"

    def add(self, findings: list[Finding], strict: bool) -> None:
        """Findings made after the read (peers, trend's history), answered by the return's
        explanations, in the return's order; the status judged again. A row of 审核说明 that
        was reported as answering nothing and names one of them is withdrawn."""
        apply_explanations(self.answers, self.stamp(findings))
        now = {a.row for a in self.answers if any(points_at(a, f) for f in findings)}
        kept = [f for f in self.findings if f.code != UNMATCHED or f.params["row"] not in now]
        self.findings = _sort(one_finding_a_cell(kept + findings))
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
    order = ["封面", *(s.sheet.name for s in layout.sheets)]
    order += [lst.sheet.name for lst in (*layout.lists, layout.explanations)]
    rank = {name: i for i, name in enumerate(order)}
    return sorted(findings, key=lambda f: (rank.get(f.sheet or "", -1), _cell_key(f.cell)))


def validate_file(
    path: Path,
    *,
    expected_period: str | None = None,
    previous: ReturnReport | None = None,
    previous_by_town: dict[str, ReturnReport] | None = None,
    strict: bool = False,
    registry: IndicatorRegistry | None = None,
    reference: Reference | None = None,
    careful: bool = False,
) -> ReturnReport:
    """Validate one return. Never raises for a bad file: it becomes an `unreadable` report.
    `careful`: read it walking every part exactly first (see reading.read_return)."""
    reference = reference or load_reference()
    registry = registry or registry_for(reference)
    report = ReturnReport(file=show_path(path))
    if not reference.units.is_default:
        report.units = reference.units
    try:
        read = read_return(Path(path), registry.bounds(), careful=careful)
    except UnreadableError as exc:
        return unreadable_report(report, exc)
    except MemoryError:  # over the worker's ceiling: the isolation says so, with the ceiling
        raise
    except Exception as exc:  # a file no rule foresaw must still not end in a traceback
        return unreadable_report(
            report,
            UnreadableError.said("unexpected", error=f"{type(exc).__name__}: {exc}"),
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
    report.findings = report.stamp(
        [
            Finding(
                "E_UNREADABLE",
                sheet=exc.sheet,
                cell=exc.cell,
                params={"reason_zh": exc.zh, "reason_en": exc.en},
            )
        ]
    )
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
    # the cover's text fields hold text (parse_text); only its date is a date
    town = reference.town_on_cover(str(town_cell.value)) if town_cell else None
    period = parse_period(str(period_cell.value)) if period_cell and period_cell.value else None
    if period and int(period[:4]) != reference.year:
        period = None
    report.town = town.name if town else (str(town_cell.value) or None if town_cell else None)
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
    decided = decided_by(ctx.previous is not None, reference.plausibility.enabled)
    findings += unmatched(report.answers, findings, decided, expected_sheets())
    report.findings = _sort(report.stamp(findings))
    report.values = Figures.of(ctx.value)
    if period_cell is not None:
        report.period_cell = (period_cell.sheet, period_cell.ref)
    report.refs = Figures.of(lambda code: cell.ref if (cell := read.figures.get(code)) else None)
    report.village_counts = village_counts(read.lists.get("villages", []), reference.policy)
    report.judge(strict)
    return report


def reasons_of(report: ReturnReport) -> tuple[str, str]:
    params = report.findings[0].params
    return params["reason_zh"], params["reason_en"]
