"""The workbook's own verdict (the checks' lines on its sheet 自查 and its CHECK_ERRORS / CHECK_WARNINGS, as
the spreadsheet program last computed them) beside validate's on the same file, restricted to
the compiled rules: what tests/test_selfcheck.py and benchmarks/selfcheck.py compare."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from shuangfu_cli.rules.sheet_forms import compiled_codes
from shuangfu_cli.writing.template.selfcheck_sheet import DETAIL, DETAIL_FIRST
from shuangfu_cli.writing.template.selfcheck_sheet import SHEET as SUMMARY_SHEET

#: where each field of a check's line is, counted from the first (code)
_FIELDS = [list(DETAIL).index(k) for k in ("code", "sheet", "cell", "state", "message")]
STATES = {"error": "错误", "warning": "待说明", "explained": "已说明"}

Mark = tuple[str, str, str, str]  # code, sheet, cell ("" for none), state


@dataclass(frozen=True)
class Verdict:
    marks: frozenset[Mark]
    errors: int
    warnings: int  # not explained
    messages: dict[Mark, str] = field(default_factory=dict, compare=False)

    def counts(self) -> tuple[int, int]:
        return self.errors, self.warnings


def workbook_verdict(path: Path) -> Verdict:
    """What the workbook says of itself (any of .xlsx, .xls, .ods: the cached results)."""
    wb = CalamineWorkbook.from_path(str(path))
    summary = wb.get_sheet_by_name(SUMMARY_SHEET).to_python()
    messages = {}
    for row in summary[1:]:
        line = row[DETAIL_FIRST - 1 : DETAIL_FIRST - 1 + len(DETAIL)]
        if len(line) < len(DETAIL):
            continue
        code, sheet, cell, state, message = (
            str(line[i]) if line[i] is not None else "" for i in _FIELDS
        )
        if code and state not in ("通过", "状态"):
            messages[(code, sheet, cell, state)] = message
    errors, warnings = (int(float(summary[i][1] or 0)) for i in (2, 3))
    return Verdict(frozenset(messages), errors, warnings, messages)


def validate_verdict(path: Path, previous: Path | None = None, **options) -> Verdict:
    """validate's findings on the compiled rules, as marks and counts."""
    from shuangfu_cli.check.one_return import validate_file

    prev = validate_file(previous) if previous is not None else None
    report = validate_file(path, previous=prev, **options)
    compiled = compiled_codes()
    messages = {
        (f.code, f.sheet or "", f.cell or "", STATES[f.state]): f.message("zh")
        for f in report.findings
        if f.code in compiled
    }
    errors = sum(1 for m in messages if m[3] == "错误")
    warnings = sum(1 for m in messages if m[3] == "待说明")
    return Verdict(frozenset(messages), errors, warnings, messages)


def same_words(workbook: Verdict, tool: Verdict) -> list[tuple[str, str]]:
    """(the workbook's message, validate's) for each mark both give where the words differ.
    A fallen cumulative figure's hint at the slip (validate's plausibility model) is
    validate's alone: the workbook says the rest. Numbers are compared to the 15 significant
    digits a spreadsheet keeps."""
    out = []
    for mark in workbook.marks & tool.marks:
        # a spreadsheet keeps 15 significant digits: an ID number typed in is said to them
        mine, tools = (
            re.sub(r"\d{16,}", lambda m: m.group()[:15], v.messages[mark]) for v in (workbook, tool)
        )
        if mine != tools and not (mark[0] == "W_CUMULATIVE_DECREASE" and tools.startswith(mine)):
            out.append((mine, tools))
    return out


def agreement(workbook: Verdict, tool: Verdict) -> tuple[int, int]:
    """(marks both give, marks either gives)."""
    both = workbook.marks & tool.marks
    either = workbook.marks | tool.marks
    return len(both), len(either)


def last_quarter(path: Path):
    """The LastQuarter a template is made with from a return (`template --previous`)."""
    from shuangfu_cli.check.one_return import validate_file
    from shuangfu_cli.form.reference import load_reference
    from shuangfu_cli.writing.template.selfcheck import LastQuarter

    report = validate_file(path)
    settings = load_reference().plausibility
    copy_min = settings.copy_min_figures if settings.enabled else 0
    assert report.period is not None
    return LastQuarter(report.period, Path(path).name, dict(report.values), copy_min)


def make_samples(out: Path, with_previous: bool = False) -> list[tuple[Path, Path | None]]:
    """The sample returns (scripts/make_samples.py's towns, periods and mistakes) made from
    the self-checking template: [(return, its previous return or None)]. With `with_previous`
    the 2020Q4 templates are made with --previous of the town's 2020Q3 return."""
    import importlib.util

    from shuangfu_cli.form.reference import load_reference, load_registry
    from shuangfu_cli.writing.fill import fill_workbook
    from shuangfu_cli.writing.template import write_template
    from shuangfu_dev.samples import figures_for

    script = Path(__file__).resolve().parent.parent / "scripts" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)
    spec.loader.exec_module(module)
    flaws = {(f.town, f.period): f for f in module.FLAWS}
    ref, registry = load_reference(), load_registry()
    made: list[tuple[Path, Path | None]] = []
    for period in module.PERIODS:
        folder = out / period
        folder.mkdir(parents=True, exist_ok=True)
        for town in ref.towns:
            path = folder / f"{town.name}_{period}.xlsx"
            prev = out / "2020Q3" / f"{town.name}_2020Q3.xlsx" if period == "2020Q4" else None
            last = last_quarter(prev) if with_previous and prev is not None else None
            blank = folder / f".{town.name}.template.xlsx"
            write_template(town, period, registry, blank, forms=ref.forms, last=last)
            figures, lists, cover = figures_for(town, period)
            flaw = flaws.get((town.name, period))
            if flaw:
                flaw.mutate(figures, lists, cover, figures_for(town, "2020Q3")[0])
            fill_workbook(blank, path, figures, lists, cover)
            blank.unlink()
            made.append((path, prev if with_previous else None))
    return made


ROOT = Path(__file__).resolve().parent.parent
LO_BATCH = ROOT / "tests" / "lo_batch.py"


@dataclass
class Job:
    """One workbook to open, type into, recalculate and save in LibreOffice."""

    name: str
    src: Path
    edits: list
    out: Path  # the stem: out.xlsx, out.xls, out.ods
    formats: tuple[str, ...] = ("xlsx",)
    previous: Path | None = None  # the return validate compares it with

    def outputs(self) -> dict[str, Path]:
        return {fmt: Path(f"{self.out}.{fmt}") for fmt in self.formats}


def case_jobs(cases, folder: Path) -> list[Job]:
    """Each case's clean return made from the self-checking template (with --previous of the
    town's clean 2020Q3 return where the case asks), and its edits. The clean returns are made
    once per town, period and kind, and copied for each case."""
    import shutil

    from shuangfu_cli.form.reference import load_reference, load_registry
    from shuangfu_cli.writing.fill import fill_workbook
    from shuangfu_cli.writing.template import write_template
    from shuangfu_dev.samples import figures_for

    ref, registry = load_reference(), load_registry()
    folder.mkdir(parents=True, exist_ok=True)
    clean: dict[tuple, tuple[Path, Path | None, dict, dict]] = {}

    def made(case) -> tuple[Path, Path | None, dict, dict]:
        key = (case.town, case.period, case.with_previous, case.copy_previous)
        if key not in clean:
            town = ref.town(case.town)
            stem = "-".join(str(k) for k in key)
            figures, lists, cover = figures_for(town, case.period)
            last = previous = None
            if case.with_previous:
                previous = folder / f"{stem}.previous.xlsx"
                blank = folder / f"{stem}.previous-template.xlsx"
                write_template(town, "2020Q3", registry, blank, forms=ref.forms)
                fill_workbook(blank, previous, *figures_for(town, "2020Q3"))
                last = last_quarter(previous)
                if case.copy_previous:
                    figures, lists = figures_for(town, "2020Q3")[:2]
            blank = folder / f"{stem}.template.xlsx"
            write_template(town, case.period, registry, blank, forms=ref.forms, last=last)
            path = folder / f"{stem}.clean.xlsx"
            fill_workbook(blank, path, figures, lists, cover)
            clean[key] = (path, previous, figures, lists)
        return clean[key]

    jobs = []
    for case in cases:
        path, previous, figures, lists = made(case)
        src = folder / f"{case.name}.xlsx"
        shutil.copyfile(path, src)
        edits = case.edits(path, figures, lists)
        jobs.append(
            Job(case.name, src, edits, folder / f"{case.name}.typed", case.formats, previous)
        )
    return jobs


def run_in_libreoffice(
    jobs: list[Job], profile: Path, python: str = "/usr/bin/python3"
) -> list[float]:
    """Every job through one soffice process (tests/lo_batch.py); the seconds each took."""
    import json
    import subprocess

    spec = profile.parent / f"{profile.name}-jobs.json"
    spec.write_text(
        json.dumps(
            [
                {"src": str(j.src), "edits": j.edits, "out": str(j.out), "formats": list(j.formats)}
                for j in jobs
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [python, str(LO_BATCH), str(profile), str(spec)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60 * 30,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
