"""`shuangfu trend`: a year of quarters."""

from __future__ import annotations

import typer

from shuangfu_cli.check.machine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from shuangfu_cli.cli.common import (
    file_progress,
    finish,
    load_or_exit,
    nothing_read,
    refuse_outputs_first,
    run_limits,
)
from shuangfu_cli.cli.options import (
    CountStrictOption,
    JobsOption,
    LangOption,
    MemoryOption,
    ProgressOpt,
    ProgressOption,
    ReferenceOption,
    TimeoutOption,
    TrendFormat,
    TrendFormatOption,
    TrendWorkbookOption,
    YearReturnsArgument,
)
from shuangfu_cli.cli.outputs import WORKBOOK, print_trend, write_or_exit


def trend(
    paths: YearReturnsArgument,
    output: TrendWorkbookOption = None,
    fmt: TrendFormatOption = TrendFormat.text,
    progress: ProgressOption = ProgressOpt.flat,
    lang: LangOption = "zh",
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
    refuse_outputs_first(lang, inputs, {"-o": (output, WORKBOOK)})
    limits = run_limits(lang, jobs, max_memory, timeout)
    with file_progress(lang, fmt is TrendFormat.text) as (on_start, on_file):
        result = follow(
            paths,
            reference=ref,
            registry=registry,
            progress_mode=progress.value,
            strict=strict,
            limits=limits,
            on_start=on_start,
            on_file=on_file,
        )
    if not result.periods:  # no quarter to follow: what was read is told, each with why
        read_any = bool(result.ignored or result.skipped)
        what = "no_quarters" if result.ignored else "all_skipped" if read_any else "no_files"
        nothing_read(lang, result.notes(), what)
        raise typer.Exit(1 if result.ignored else 2)
    if output is not None:
        from shuangfu_cli.writing.trend_outputs.trend_book import write_workbook

        write_or_exit(lang, write_workbook, result, output)
    print_trend(lang, fmt.value, result, output)
    finish(
        not result.ignored
        and all(s.status == "valid" for states in result.states.values() for s in states.values())
    )
