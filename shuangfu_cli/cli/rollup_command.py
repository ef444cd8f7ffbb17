"""`shuangfu rollup`: add the valid returns of a quarter up, check them against the targets, and
write the district workbook, the 通报 and the district's own return."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuangfu_cli.check.machine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from shuangfu_cli.cli.common import (
    file_progress,
    finish,
    load_or_exit,
    period_or_fail,
    refuse_outputs_first,
    run_limits,
    show,
)
from shuangfu_cli.cli.options import (
    AnnotateOption,
    CountStrictOption,
    Format,
    FormatOption,
    JobsOption,
    LangOption,
    MemoryOption,
    ProgressOpt,
    ProgressOption,
    ReferenceOption,
    RollupPeriodOption,
    RollupPreviousOption,
    RollupReturnsArgument,
    TimeoutOption,
    WorkbookOption,
    message,
)
from shuangfu_cli.cli.outputs import (
    BULLETIN,
    WORKBOOK,
    bulletin_writer,
    render,
    write_rollup_outputs,
)
from shuangfu_cli.text.sanitize import show_path

BulletinOption = Annotated[
    Path | None,
    typer.Option(
        "--bulletin",
        metavar="FILE",
        help="季度通报：.docx为Word公文，.md为Markdown / write the quarterly bulletin: a Word "
        "document (.docx) or Markdown (.md).",
    ),
]
DocNumberOption = Annotated[
    str,
    typer.Option(
        "--doc-number",
        metavar="TEXT",
        help="通报的发文字号，年份用〔〕 / the document number, e.g. 潼扶组办〔2020〕12号 "
        "(a year in [ ] 【】 ( ) is written in 〔〕).",
    ),  # fmt: skip
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="成文日期，也是版记的印发日期 / the bulletin's date, YYYY-MM-DD (default today); "
        "also its 印发日期.",
    ),
]
CopyToOption = Annotated[
    str | None,
    typer.Option(
        "--copy-to",
        metavar="TEXT",
        help='通报版记的抄送机关，以、分隔（默认取参考文件forms.copy_to，""为不抄送） / the '
        "offices the bulletin is copied to (its 抄送 line), separated by 、 (default: the "
        'reference file\'s forms.copy_to; "" for none).',
    ),
]
AsReturnOption = Annotated[
    Path | None,
    typer.Option(
        "--as-return",
        metavar="FILE.xlsx",
        help="区级报表：按镇街报表同一模板写出全区合计，供上报（层层汇总） / write the "
        "district's own return, in the towns' template, to send upward.",
    ),
]


def rollup(
    paths: RollupReturnsArgument,
    period: RollupPeriodOption,
    previous: RollupPreviousOption = None,
    output: WorkbookOption = None,
    bulletin_file: BulletinOption = None,
    doc_number: DocNumberOption = "",
    doc_date: DateOption = None,
    copy_to: CopyToOption = None,
    as_return: AsReturnOption = None,
    fmt: FormatOption = Format["text"],
    progress: ProgressOption = ProgressOpt.flat,
    lang: LangOption = "zh",
    strict: CountStrictOption = False,
    reference: ReferenceOption = None,
    jobs: JobsOption = 0,
    max_memory: MemoryOption = DEFAULT_MEMORY_MB,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    annotate: AnnotateOption = None,
) -> None:
    """季末汇总 / add the valid returns up and check them against the 2020 targets.

    Exit status: 0 when every town's return is valid and counted, 1 when some town is missing,
    invalid, unreadable, duplicate or of another quarter, or a file was not counted, 2 for
    wrong usage, 3 when an output could not be written or shown."""
    from shuangfu_cli.district.rollup import rollup as do_rollup

    the_period = period_or_fail(period, lang)
    registry, ref = load_or_exit(reference, lang)
    if as_return is not None and as_return.suffix.lower() != ".xlsx":
        text = message(lang, "as_return_xlsx", path=show_path(as_return))
        raise typer.BadParameter(text, param_hint="--as-return")
    inputs = [*paths, *(previous or [])]
    outputs = {"-o": (output, WORKBOOK), "--bulletin": (bulletin_file, BULLETIN),
               "--as-return": (as_return, None)}  # fmt: skip
    refuse_outputs_first(lang, inputs, outputs, annotate)
    write_bulletin = bulletin_writer(lang, ref, bulletin_file, doc_number, doc_date, copy_to)
    limits = run_limits(lang, jobs, max_memory, timeout)
    with file_progress(lang, fmt == "text") as (on_start, on_file):
        result = do_rollup(
            paths,
            the_period or period,
            previous=previous or [],
            progress_mode=progress.value,
            strict=strict,
            reference=ref,
            registry=registry,
            on_start=on_start,
            on_file=on_file,
            limits=limits,
            keep_lists=as_return is not None,
            keep_checked=annotate is not None,
        )
    written = write_rollup_outputs(lang, result, inputs, limits, annotate=annotate,
                                   workbook=output, bulletin=(bulletin_file, write_bulletin),
                                   as_return=as_return)  # fmt: skip
    reports = [r for state in result.towns.values() for r in state.reports]
    show(lang, fmt, "rollup", lambda: result.json_doc(lang), reports, result.run_notes(),
         lambda: render.print_rollup(result, lang, written), result.names)  # fmt: skip
    finish(all(s.status == "valid" for s in result.towns.values()) and not result.ignored)
