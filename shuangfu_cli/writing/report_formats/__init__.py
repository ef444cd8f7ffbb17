"""A validation's findings in the formats CI systems and spreadsheets read, one module each,
registered in one table (:data:`REPORT_FORMATS`) that also gives the ``--format`` option its
choices and its help:

- ``junit`` — JUnit XML (Jenkins, GitLab): a test case per return, a failure per error;
- ``sarif`` — SARIF 2.1.0 (GitHub code scanning and other SARIF viewers);
- ``github`` — GitHub workflow commands, shown on the pull request's files;
- ``csv`` — every finding as a row, for a spreadsheet.

Each module has one entry function ``write(run, stream)``; :func:`write_report` picks it. The
text that came from a return goes through the sanitiser of its channel (``text/sanitize.py``).
To add a format: a module with ``write(run, stream)`` and a row in the table.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple, TextIO

from shuangfu_cli.writing.report_formats.report_rows import Run


class ReportFormat(NamedTuple):
    module: str  # in this package, with a ``write(run, stream)`` function
    help: str  # for ``--format``'s help, after the name


#: every format of the findings besides text and json (the commands' own), in --help's order
REPORT_FORMATS: dict[str, ReportFormat] = {
    "junit": ReportFormat("junit", "JUnit XML"),
    "sarif": ReportFormat("sarif", "SARIF 2.1.0"),
    "github": ReportFormat("github", "GitHub workflow commands"),
    "csv": ReportFormat("findings_csv", "every finding, for a spreadsheet"),
}
FORMATS = tuple(REPORT_FORMATS)


def write_report(fmt: str, run: Run, stream: TextIO) -> None:
    """Write the run's findings to `stream` in `fmt` (one of REPORT_FORMATS)."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    module = importlib.import_module(f"{__name__}.{REPORT_FORMATS[fmt].module}")
    module.write(run, stream)


__all__ = ["FORMATS", "REPORT_FORMATS", "ReportFormat", "Run", "write_report"]
