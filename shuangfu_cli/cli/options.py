"""The command line's shared vocabulary: option types with their help text, and the messages
the commands print (Chinese by default, English with --lang en)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shuangfu_cli.check.machine import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    JOBS_RANGE,
    MEMORY_MB_RANGE,
    TIMEOUT_S_RANGE,
)
from shuangfu_cli.cli.completion import complete_period
from shuangfu_cli.text.words import Lang, section
from shuangfu_cli.writing.report_formats import REPORT_FORMATS

#: validate's and rollup's --format: the commands' own text and JSON, then every format of the
#: findings registered in writing/report_formats (one table gives the choices and the help);
#: its members are made at run time, so the commands name them by value: Format["text"]
Format = StrEnum(  # type: ignore[misc]  # mypy reads an Enum's members only from a literal list
    "Format", [("text", "text"), ("json", "json"), *((k, k) for k in REPORT_FORMATS)]
)


class DataFormat(StrEnum):
    """For what is not a check (the indicator list): text or JSON."""

    text = "text"
    json = "json"


_FORMAT_ITEMS = ["text", "json", *(f"{k} ({f.help})" for k, f in REPORT_FORMATS.items())]
FORMAT_HELP = f"输出格式 / output: {', '.join(_FORMAT_ITEMS[:-1])} or {_FORMAT_ITEMS[-1]}."


class TrendFormat(StrEnum):
    """trend: text, JSON, or the tidy table as CSV."""

    text = "text"
    json = "json"
    csv = "csv"


LangOption = Annotated[
    Lang, typer.Option("--lang", help="提示语言 / language of messages: zh or en.")
]
ReferenceOption = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        metavar="FILE",
        help="本区参考数据（镇街、村、任务分解） / the district's towns.yaml. Default: the sample.",
        exists=True,
        dir_okay=False,
        envvar="SHUANGFU_REFERENCE",
    ),
]
AnnotateOption = Annotated[
    Path | None,
    typer.Option(
        "--annotate",
        metavar="OUTDIR",
        help="把每份有问题的报表标注后另存到此文件夹（<文件名>_审核意见.xlsx），发回镇街 / write "
        "each return with findings, marked at its cells, to OUTDIR as <name>_审核意见.xlsx.",
        file_okay=False,
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=JOBS_RANGE[0],
        max=JOBS_RANGE[1],
        metavar="N",
        help="同时读取的进程数，超出本机CPU或内存所能承受的会降低 / worker processes reading "
        f"returns in parallel, {JOBS_RANGE[0]}-{JOBS_RANGE[1]}; more than the CPUs available, or "
        "than the memory left holds at --max-memory each, is lowered (with a note). Default 0: "
        "as many as the machine allows.",
    ),
]
MemoryOption = Annotated[
    int,
    typer.Option(
        "--max-memory",
        min=MEMORY_MB_RANGE[0],
        max=MEMORY_MB_RANGE[1],
        metavar="MB",
        help="每份报表读取时可用的内存上限（MB），超出则判为无法读取 / memory one return may take "
        f"while read, in MB ({MEMORY_MB_RANGE[0]}-{MEMORY_MB_RANGE[1]}); above it the file is "
        f"unreadable. Default {DEFAULT_MEMORY_MB}.",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=TIMEOUT_S_RANGE[0],
        max=TIMEOUT_S_RANGE[1],
        metavar="SECONDS",
        help="每份报表的读取时限（秒），超时则判为无法读取 / time one return may take to read and "
        f"check, in seconds ({TIMEOUT_S_RANGE[0]:g}-{TIMEOUT_S_RANGE[1]:g}); above it the file is "
        f"unreadable. Default {DEFAULT_TIMEOUT_S:g}.",
    ),
]


def message(lang: Lang, key: str, units=None, **params) -> str:
    """The message `key` in `lang`; `units`: the reference's words for its units (one level
    up 区县), said in the message's own words."""
    template = section("usage", lang)[key]
    if units is not None:
        template = units.say(template, lang)
    return template.format(**params)


class ProgressOpt(StrEnum):
    flat = "flat"
    days = "days"


ProgressOption = Annotated[
    ProgressOpt,
    typer.Option(
        "--progress",
        help="序时进度：flat（按季度25/50/75/100%）或days（按天） / time progress: flat (25/50/75/100% "
        "by quarter) or days (the days elapsed).",
    ),
]
#: --strict of the commands that count returns (rollup, trend)
CountStrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="有未说明警告的报表不计入 / returns with unexplained warnings are not counted.",
    ),
]


# --- the options the commands share (typer's Annotated aliases): a command's signature names
# them, its defaults beside them; the help is each option's own, word for word ------------------

#: validate's and rollup's --format (the choices and the help from writing/report_formats)
FormatOption = Annotated[Format, typer.Option("--format", help=FORMAT_HELP)]
TrendFormatOption = Annotated[
    TrendFormat,
    typer.Option(
        "--format",
        help="输出格式 / output: text, json, or csv (the tidy table, a row per "
        "quarter, town and figure).",
    ),
]
#: the returns each command reads
ReturnsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="报表文件或文件夹 / return files (.xlsx, .xls, .ods) or folders.",
        exists=True,
        metavar="PATH",
    ),
]
RollupReturnsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="报表文件夹或文件 / folders of returns, or return files.",
        exists=True,
        metavar="PATH",
    ),
]
YearReturnsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="各季度报表文件夹或文件，按文件名或文件夹名中的季度（否则按封面）归入季度 / "
        "folders (one per quarter, or mixed) or files of several quarters; each return goes "
        "in the quarter its file or folder name says, else its cover's.",
        exists=True,
        metavar="PATH",
    ),
]
#: --previous: validate compares each return with its town's; rollup adds 本季度新增 too
PreviousOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--previous",
        help="上季度报表（文件或文件夹，可多次给出） / the previous quarter's returns; each "
        "return is compared with its own town's.",
        exists=True,
        metavar="PATH",
    ),
]
RollupPreviousOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--previous",
        help="上季度报表，用于比较和计算本季度新增 / the previous quarter's returns (folder "
        "or files): each town is checked against its own, and 本季度新增 is shown.",
        exists=True,
        metavar="PATH",
    ),
]
#: --period: the quarter validate expects (optional), the quarter a rollup adds up (required)
ExpectedPeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="QUARTER",
        help="应报的报告期 / the expected period, e.g. 2020Q3.",
        autocompletion=complete_period,
    ),
]
RollupPeriodOption = Annotated[
    str,
    typer.Option(
        "--period",
        metavar="QUARTER",
        help="汇总的报告期 / the quarter to add up, e.g. 2020Q4.",
        autocompletion=complete_period,
    ),
]
#: -o: the district workbook (rollup), the trend workbook (trend)
WorkbookOption = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", metavar="FILE", help="区汇总表 / write the district workbook (.xlsx)."
    ),
]
TrendWorkbookOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        metavar="FILE",
        help="趋势工作簿 / write the trend workbook (.xlsx) with a line chart per target.",
    ),
]
