"""Every finding as a row of a CSV table (UTF-8 with a byte-order mark, so that Excel and WPS
open the Chinese text right): file, town, period, status, severity, code, sheet, cell,
indicator, message. The run's notes follow as rows of severity 提示/note with no code. Written
with the standard library's csv module; each field through :func:`..sanitize.for_csv` (never
a formula)."""

from __future__ import annotations

import csv
from typing import TextIO

from shuangfu_cli.text.sanitize import for_csv
from shuangfu_cli.text.words import lines
from shuangfu_cli.writing.report_formats.report_rows import STATE_WORDS, STATUS_WORDS, Run, located


def write(run: Run, stream: TextIO) -> None:
    states, statuses = STATE_WORDS[run.lang], STATUS_WORDS[run.lang]
    stream.write("\ufeff")
    out = csv.writer(stream, lineterminator="\r\n")
    # the reference's word for its units (one level up: 区县), as each report carries it
    units = next((r.units for r in run.reports if getattr(r, "units", None)), None)
    out.writerow([units.say(h, run.lang) if units else h for h in lines(run.lang, "csv", "header")])
    for item in located(run):
        r, f = item.report, item.finding
        row = [r.file, r.town, r.period, statuses[r.status], states[f.state], f.code, f.sheet,
               f.cell, f.indicator, item.message]  # fmt: skip
        out.writerow([for_csv(v) for v in row])
    for text in run.note_texts():
        out.writerow([for_csv(v) for v in ("", "", "", "", states["note"], "", "", "", "", text)])
