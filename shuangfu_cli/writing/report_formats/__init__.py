"""A validation's findings in the formats CI systems and spreadsheets read, one module each:

- :mod:`.junit` — JUnit XML (Jenkins, GitLab): a test case per return, a failure per error;
- :mod:`.sarif` — SARIF 2.1.0 (GitHub code scanning and other SARIF viewers);
- :mod:`.github` — GitHub workflow commands, shown on the pull request's files;
- :mod:`.csv_table` — every finding as a row, for a spreadsheet.

Each has one entry function ``write(run, stream)``; :func:`write_report` picks it. The text that
came from a return goes through the sanitiser of its channel (:mod:`..sanitize`).
"""

from __future__ import annotations

from typing import TextIO

from shuangfu_cli.writing.report_formats.report_rows import Run

FORMATS = ("junit", "sarif", "github", "csv")


def write_report(fmt: str, run: Run, stream: TextIO) -> None:
    """Write the run's findings to `stream` in `fmt` (one of FORMATS)."""
    if fmt == "junit":
        from shuangfu_cli.writing.report_formats.junit import write
    elif fmt == "sarif":
        from shuangfu_cli.writing.report_formats.sarif import write
    elif fmt == "github":
        from shuangfu_cli.writing.report_formats.github import write
    elif fmt == "csv":
        from shuangfu_cli.writing.report_formats.findings_csv import write
    else:
        raise ValueError(f"unknown report format {fmt!r}")
    write(run, stream)


__all__ = ["FORMATS", "Run", "write_report"]
