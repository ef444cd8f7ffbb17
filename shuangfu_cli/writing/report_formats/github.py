"""GitHub Actions workflow commands (``::error file=…,title=CODE::…``): each finding shows on
the pull request, on the file it is about. Written with github-action-utils, which escapes
what the runner would take for a command's end; text from a return is first stripped of
control characters (:func:`..sanitize.for_terminal`). Errors are errors, warnings to verify
warnings, explained warnings and the run's notes notices."""

from __future__ import annotations

from typing import TextIO

import github_action_utils as gha

from shuangfu_cli.text.sanitize import for_terminal
from shuangfu_cli.writing.report_formats.report_rows import STATUS_WORDS, Run, located


def write(run: Run, stream: TextIO) -> None:
    # github-action-utils prints to sys.stdout itself: `stream` is that (the command's stdout)
    emit = {"error": gha.error, "warning": gha.warning, "explained": gha.notice}
    for item in located(run):
        f = item.finding
        emit[f.state](
            for_terminal(item.text()),
            title=f"{f.code} {STATUS_WORDS[run.lang][item.report.status]}",
            file=for_terminal(item.report.file),
        )
    for text in run.note_texts():
        gha.notice(for_terminal(text), title="shuangfu")
    stream.flush()
