"""`shuangfu rollup`: add the valid returns of a quarter up, check them against the targets, and
write the district workbook, the 通报 and the district's own return."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from shuangfu_cli.check.machine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from shuangfu_cli.cli.common import load_or_exit, period_or_fail, run_limits
from shuangfu_cli.cli.completion import complete_period
from shuangfu_cli.cli.options import (
    FORMAT_HELP,
    AnnotateOption,
    CountStrictOption,
    Format,
    JobsOption,
    LangOpt,
    LangOption,
    MemoryOption,
    ProgressOpt,
    ProgressOption,
    ReferenceOption,
    TimeoutOption,
    message,
)
from shuangfu_cli.cli.outputs import (
    BULLETIN,
    WORKBOOK,
    annotate_returns,
    letterhead,
    print_json,
    print_report,
    refuse_unsafe_outputs,
    render,
    require_suffix,
    write_district_return,
    write_or_exit,
)
from shuangfu_cli.district.town_states import returns_read
from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.writing import stdout


def rollup(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="报表文件夹或文件 / folders of returns, or return files.",
            exists=True,
            metavar="PATH",
        ),
    ],
    period: Annotated[
        str,
        typer.Option(
            "--period",
            metavar="QUARTER",
            help="汇总的报告期 / the quarter to add up, e.g. 2020Q4.",
            autocompletion=complete_period,
        ),
    ],
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            "--previous",
            help="上季度报表，用于比较和计算本季度新增 / the previous quarter's returns (folder "
            "or files): each town is checked against its own, and 本季度新增 is shown.",
            exists=True,
            metavar="PATH",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="区汇总表 / write the district workbook (.xlsx)."
        ),
    ] = None,
    bulletin_file: Annotated[
        Path | None,
        typer.Option(
            "--bulletin",
            metavar="FILE",
            help="季度通报：.docx为Word公文，.md为Markdown / write the quarterly bulletin: a Word "
            "document (.docx) or Markdown (.md).",
        ),
    ] = None,
    doc_number: Annotated[
        str,
        typer.Option(
            "--doc-number",
            metavar="TEXT",
            help="通报的发文字号，年份用〔〕 / the document number, e.g. 潼扶组办〔2020〕12号 "
            "(a year in [ ] 【】 ( ) is written in 〔〕).",
        ),  # fmt: skip
    ] = "",
    doc_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="成文日期，也是版记的印发日期 / the bulletin's date, YYYY-MM-DD (default today); "
            "also its 印发日期.",
        ),
    ] = None,
    copy_to: Annotated[
        str | None,
        typer.Option(
            "--copy-to",
            metavar="TEXT",
            help='通报版记的抄送机关，以、分隔（默认取参考文件forms.copy_to，""为不抄送） / the '
            "offices the bulletin is copied to (its 抄送 line), separated by 、 (default: the "
            'reference file\'s forms.copy_to; "" for none).',
        ),
    ] = None,
    as_return: Annotated[
        Path | None,
        typer.Option(
            "--as-return",
            metavar="FILE.xlsx",
            help="区级报表：按镇街报表同一模板写出全区合计，供上报（层层汇总） / write the "
            "district's own return, in the towns' template, to send upward.",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help=FORMAT_HELP)] = Format["text"],
    progress: ProgressOption = ProgressOpt.flat,
    lang: LangOption = LangOpt.zh,
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
    from shuangfu_cli.writing.bulletin_md import write_bulletin_md as write_bulletin
    from shuangfu_cli.writing.rollup_book import write_workbook

    the_period = period_or_fail(period, lang)
    registry, ref = load_or_exit(reference, lang)
    given = {"-o": output, "--bulletin": bulletin_file, "--as-return": as_return}
    if as_return is not None and as_return.suffix.lower() != ".xlsx":
        text = message(lang, "as_return_xlsx", path=show_path(as_return))
        raise typer.BadParameter(text, param_hint="--as-return")
    outputs = {option: path for option, path in given.items() if path is not None}
    inputs = [*paths, *(previous or [])]
    if outputs or annotate is not None:
        refuse_unsafe_outputs(lang, outputs, inputs, annotate)
    if output is not None:
        require_suffix(lang, "-o", output, WORKBOOK)
    if bulletin_file is not None:
        require_suffix(lang, "--bulletin", bulletin_file, BULLETIN)
    if bulletin_file is not None:  # Word or Markdown: the same letterhead and 版记
        head = letterhead(lang, ref, doc_number, doc_date, copy_to)
        write_bulletin = partial(write_bulletin, head=head)
        if bulletin_file.suffix.lower() == ".docx":
            from shuangfu_cli.writing.bulletin_docx import write_bulletin_docx

            write_bulletin = partial(write_bulletin_docx, head=head)
    limits = run_limits(lang, jobs, max_memory, timeout)
    with render.FileProgress(lang.value, fmt is Format["text"]) as bar:
        result = do_rollup(
            paths,
            the_period,
            previous=previous or [],
            progress_mode=progress.value,
            strict=strict,
            reference=ref,
            registry=registry,
            on_start=bar.start,
            on_file=bar.advance,
            limits=limits,
            keep_lists=as_return is not None,
            keep_checked=annotate is not None,
        )
    reports = [r for state in result.towns.values() for r in state.reports]
    written = []
    if annotate is not None:  # every return of a town, one of another quarter too
        read = [report for _, report, _ in returns_read(result.towns, result.ignored)]
        written += annotate_returns(lang, read, annotate, inputs, limits)
    for out, write in ((output, write_workbook), (bulletin_file, write_bulletin)):
        if out is not None:
            write_or_exit(lang, write, result, out)
            written.append(out)
    if as_return is not None and write_district_return(lang, result, ref, as_return):
        written.append(as_return)
    with stdout.guarded(lang.value):
        if fmt is Format["json"]:
            print_json(result.json_doc(lang.value))
        elif fmt is not Format["text"]:
            print_report(fmt, reports, result.run_notes(), lang, "rollup")
        else:
            render.print_rollup(result, lang.value, written)
    complete = all(s.status == "valid" for s in result.towns.values()) and not result.ignored
    raise typer.Exit(0 if complete else 1)
