"""`shuangfu validate`: check returns and say what is wrong, where and how bad."""

from __future__ import annotations

from typing import Annotated

import typer

from shuangfu_cli.check.machine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from shuangfu_cli.cli.common import (
    file_progress,
    finish,
    load_or_exit,
    nothing_read,
    period_or_fail,
    refuse_outputs_first,
    run_limits,
    show,
)
from shuangfu_cli.cli.options import (
    AnnotateOption,
    ExpectedPeriodOption,
    Format,
    FormatOption,
    JobsOption,
    LangOption,
    MemoryOption,
    PreviousOption,
    ReferenceOption,
    ReturnsArgument,
    TimeoutOption,
    message,
)
from shuangfu_cli.cli.outputs import annotate_returns, render
from shuangfu_cli.text.sanitize import show_path

StrictOption = Annotated[
    bool,
    typer.Option("--strict", help="未说明的警告也判为不通过 / unexplained warnings fail too."),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="只列出不通过的报表 / show only returns that fail."),
]


def _import_renderer() -> None:
    """Import the terminal renderer (a tenth of the start-up) while a worker reads the file."""
    from shuangfu_cli.writing import terminal as render  # noqa: F401


def validate(
    files: ReturnsArgument,
    previous: PreviousOption = None,
    period: ExpectedPeriodOption = None,
    fmt: FormatOption = Format["text"],
    lang: LangOption = "zh",
    strict: StrictOption = False,
    quiet: QuietOption = False,
    reference: ReferenceOption = None,
    jobs: JobsOption = 0,
    max_memory: MemoryOption = DEFAULT_MEMORY_MB,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    annotate: AnnotateOption = None,
) -> None:
    """校验报表 / check returns: what is wrong, where (sheet, cell) and how bad."""
    from shuangfu_cli.check.many_returns import validate_files

    expected = period_or_fail(period, lang)
    registry, ref = load_or_exit(reference, lang)
    inputs = [*files, *(previous or [])]
    refuse_outputs_first(lang, inputs, {}, annotate)
    limits = run_limits(lang, jobs, max_memory, timeout)
    text = fmt == "text"
    with file_progress(lang, text, fewest=2) as (on_start, on_file):
        run = validate_files(
            files,
            previous=previous or [],
            expected_period=expected,
            strict=strict,
            registry=registry,
            reference=ref,
            limits=limits,
            meanwhile=_import_renderer if text else None,
            on_start=on_start,
            on_file=on_file,
            keep_checked=annotate is not None,
        )
    if not run.reports:  # nothing read: the files skipped are told, each with why
        nothing_read(lang, run.notes, "all_skipped" if run.notes else "no_files")
        raise typer.Exit(2)
    reports, notes = run
    annotated = annotate_returns(lang, reports, annotate, inputs, limits) if annotate else None

    def doc() -> dict[str, object]:
        out = run.to_dict(lang)
        if annotated is not None:
            out["annotated"] = [show_path(p) for p in annotated]
        return out

    def in_text() -> None:
        render.print_reports(reports, lang, notes, quiet=quiet)
        if annotated is not None:
            render.print_note(message(lang, "annotated", n=len(annotated), folder=annotate))

    show(lang, fmt, "validate", doc, reports, notes, in_text)
    finish(run.all_valid)
