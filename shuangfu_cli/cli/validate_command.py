"""`shuangfu validate`: check returns and say what is wrong, where and how bad."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from shuangfu_cli.check.machine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from shuangfu_cli.cli.common import load_or_exit, period_or_fail, run_limits
from shuangfu_cli.cli.completion import complete_period
from shuangfu_cli.cli.options import (
    FORMAT_HELP,
    AnnotateOption,
    Format,
    JobsOption,
    LangOpt,
    LangOption,
    MemoryOption,
    ReferenceOption,
    TimeoutOption,
    message,
)
from shuangfu_cli.cli.outputs import (
    annotate_returns,
    print_json,
    print_report,
    refuse_unsafe_outputs,
    render,
)
from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.writing import stdout


def _import_renderer() -> None:
    """Import the terminal renderer (a tenth of the start-up) while a worker reads the file."""
    from shuangfu_cli.writing import terminal as render  # noqa: F401


@contextmanager
def _progress(lang: LangOpt, shown: bool):
    """validate's progress bar (see render.FileProgress), for a run of several returns only: a
    single file never loads it."""
    bar = None

    def on_start(total: int) -> None:
        nonlocal bar
        if shown and total > 1:
            bar = render.FileProgress(lang.value)
            bar.start(total)

    def on_file(path: Path) -> None:
        if bar is not None:
            bar.advance(path)

    try:
        yield on_start, on_file
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="报表文件或文件夹 / return files (.xlsx, .xls, .ods) or folders.",
            exists=True,
            metavar="PATH",
        ),
    ],
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            "--previous",
            help="上季度报表（文件或文件夹，可多次给出） / the previous quarter's returns; each "
            "return is compared with its own town's.",
            exists=True,
            metavar="PATH",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="QUARTER",
            help="应报的报告期 / the expected period, e.g. 2020Q3.",
            autocompletion=complete_period,
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help=FORMAT_HELP)] = Format["text"],
    lang: LangOption = LangOpt.zh,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="未说明的警告也判为不通过 / unexplained warnings fail too."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="只列出不通过的报表 / show only returns that fail."),
    ] = False,
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
    if annotate is not None:
        refuse_unsafe_outputs(lang, {}, inputs, annotate)
    limits = run_limits(lang, jobs, max_memory, timeout)
    with _progress(lang, fmt is Format["text"]) as (on_start, on_file):
        reports, notes = validate_files(
            files,
            previous=previous or [],
            expected_period=expected,
            strict=strict,
            registry=registry,
            reference=ref,
            limits=limits,
            meanwhile=_import_renderer if fmt is Format["text"] else None,
            on_start=on_start,
            on_file=on_file,
            keep_checked=annotate is not None,
        )
    if not reports:  # nothing read: the files skipped are told, each with why
        for zh, en in notes:
            render.print_error(zh if lang is LangOpt.zh else en)
        render.print_error(message(lang, "all_skipped" if notes else "no_files"))
        raise typer.Exit(2)
    annotated = annotate_returns(lang, reports, annotate, inputs, limits) if annotate else None
    with stdout.guarded(lang.value):
        if fmt is Format["json"]:
            doc = {
                "returns": [r.to_dict(lang.value) for r in reports],
                "notes": [zh if lang is LangOpt.zh else en for zh, en in notes],
            }
            if annotated is not None:
                doc["annotated"] = [show_path(p) for p in annotated]
            print_json(doc)
        elif fmt is not Format["text"]:
            print_report(fmt, reports, notes, lang, "validate")
        else:
            render.print_reports(reports, lang.value, notes, quiet=quiet)
            if annotated is not None:
                render.print_note(message(lang, "annotated", n=len(annotated), folder=annotate))
    raise typer.Exit(0 if all(r.status == "valid" for r in reports) else 1)
