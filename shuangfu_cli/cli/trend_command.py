"""`shuangfu trend`: a year of quarters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from shuangfu_cli.check.machine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from shuangfu_cli.cli.common import load_or_exit, run_limits
from shuangfu_cli.cli.options import (
    CountStrictOption,
    JobsOption,
    LangOpt,
    LangOption,
    MemoryOption,
    ProgressOpt,
    ProgressOption,
    ReferenceOption,
    TimeoutOption,
    TrendFormat,
    message,
)
from shuangfu_cli.cli.outputs import (
    WORKBOOK,
    print_json,
    refuse_unsafe_outputs,
    render,
    require_suffix,
    write_or_exit,
)
from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.writing import stdout


def trend(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="各季度报表文件夹或文件，按文件名或文件夹名中的季度（否则按封面）归入季度 / "
            "folders (one per quarter, or mixed) or files of several quarters; each return goes "
            "in the quarter its file or folder name says, else its cover's.",
            exists=True,
            metavar="PATH",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="趋势工作簿 / write the trend workbook (.xlsx) with a line chart per target.",
        ),
    ] = None,
    fmt: Annotated[
        TrendFormat,
        typer.Option(
            "--format",
            help="输出格式 / output: text, json, or csv (the tidy table, a row per "
            "quarter, town and figure).",
        ),
    ] = TrendFormat.text,
    progress: ProgressOption = ProgressOpt.flat,
    lang: LangOption = LangOpt.zh,
    strict: CountStrictOption = False,
    reference: ReferenceOption = None,
    jobs: JobsOption = 0,
    max_memory: MemoryOption = DEFAULT_MEMORY_MB,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
) -> None:
    """全年趋势 / a year of quarters: 本季度新增 and completion by quarter, district and town.

    Exit status: 0 when every town was counted in every quarter found, 1 otherwise (a town
    missing, invalid, unreadable, duplicate or of another quarter in some quarter, or a file
    not counted), 2 for wrong usage, 3 when an output could not be written or shown."""
    from shuangfu_cli.district.trend import trend as follow

    registry, ref = load_or_exit(reference, lang)
    inputs = list(paths)
    if output is not None:
        refuse_unsafe_outputs(lang, {"-o": output}, inputs)
        require_suffix(lang, "-o", output, WORKBOOK)
    limits = run_limits(lang, jobs, max_memory, timeout)
    with render.FileProgress(lang.value, fmt is TrendFormat.text) as bar:
        result = follow(
            paths,
            reference=ref,
            registry=registry,
            progress_mode=progress.value,
            strict=strict,
            limits=limits,
            on_start=bar.start,
            on_file=bar.advance,
        )
    if not result.periods:
        read_any = bool(result.ignored or result.skipped)
        for zh, en in result.notes():
            render.print_error(zh if lang is LangOpt.zh else en)
        what = "no_quarters" if result.ignored else "all_skipped" if read_any else "no_files"
        render.print_error(message(lang, what))
        raise typer.Exit(1 if result.ignored else 2)
    if output is not None:
        from shuangfu_cli.writing.trend_outputs.trend_book import write_workbook

        write_or_exit(lang, write_workbook, result, output)
    with stdout.guarded(lang.value):
        if fmt is TrendFormat.json:
            from shuangfu_cli.writing.trend_outputs.trend_json import trend_json

            print_json(trend_json(result, lang.value))
        elif fmt is TrendFormat.csv:
            from shuangfu_cli.writing.trend_outputs.trend_csv import write_csv

            write_csv(result, sys.stdout)
            sys.stdout.flush()
        else:
            from shuangfu_cli.writing.trend_outputs.trend_text import trend_blocks

            render.print_blocks(trend_blocks(result, lang.value))
            if output is not None:
                render.print_note(message(lang, "written", path=show_path(output)))
    complete = not result.ignored and all(
        s.status == "valid" for states in result.states.values() for s in states.values()
    )
    raise typer.Exit(0 if complete else 1)
