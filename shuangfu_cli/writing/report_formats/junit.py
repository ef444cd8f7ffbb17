"""JUnit XML (Jenkins, GitLab, Azure DevOps): one test suite, a test case per return, a failure
per error (an unreadable file is an <error>: it could not be checked at all), warnings and
explained warnings in the case's system-out, the run's notes in the suite's system-out.
Written with junitparser."""

from __future__ import annotations

import io
from typing import TextIO

from junitparser import Error, Failure, JUnitXml, SystemOut, TestCase, TestSuite
from junitparser.junitparser import FinalResult

from shuangfu_cli.text.sanitize import for_xml
from shuangfu_cli.writing.report_formats.report_rows import STATE_WORDS, STATUS_WORDS, Run, located


def write(run: Run, stream: TextIO) -> None:
    suite = TestSuite(f"shuangfu {run.command}")
    words = STATE_WORDS[run.lang]
    for report in run.reports:
        case = TestCase(for_xml(report.file), classname=for_xml(report.town or "shuangfu"), time=0)
        results: list[FinalResult] = []
        lines = []
        for item in located(run, [report]):
            f = item.finding
            if f.state == "error":
                kind = Error if report.status == "unreadable" else Failure
                result = kind(for_xml(item.text()), f.code)
                result.text = for_xml(_details(item))
                results.append(result)
            else:
                lines.append(f"[{words[f.state]}] {f.code} {for_xml(item.text())}")
        case.result = results
        status = STATUS_WORDS[run.lang][report.status]
        head = " ".join(x for x in (report.town, report.period, status) if x)
        case.system_out = for_xml("\n".join([head, *lines]))
        suite.add_testcase(case)
    notes = run.note_texts()
    if notes:
        # (unlike its TestCase, junitparser's TestSuite has no system_out property)
        suite.append(SystemOut(for_xml("\n".join(notes))))
    periods = sorted({r.period for r in run.reports if r.period})
    if periods:
        suite.add_property("period", ",".join(periods))
    xml = JUnitXml("shuangfu")
    xml.add_testsuite(suite)
    buffer = io.BytesIO()
    xml.write(buffer, pretty=True)
    stream.write(buffer.getvalue().decode("utf-8"))


def _details(item) -> str:
    f = item.finding
    parts = [f"code: {f.code}", f"file: {item.report.file}"]
    if f.sheet:
        parts.append(f"sheet: {f.sheet}")
    if f.cell:
        parts.append(f"cell: {f.cell}")
    if f.indicator:
        parts.append(f"indicator: {f.indicator}")
    parts.append(item.message)
    return "\n".join(parts)


__all__ = ["write"]
