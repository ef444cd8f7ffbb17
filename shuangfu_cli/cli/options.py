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
from shuangfu_cli.writing.report_formats import REPORT_FORMATS

#: validate's and rollup's --format: the commands' own text and JSON, then every format of the
#: findings registered in writing/report_formats (one table gives the choices and the help)
Format = StrEnum(  # type: ignore[misc]
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


class LangOpt(StrEnum):
    zh = "zh"
    en = "en"


LangOption = Annotated[
    LangOpt, typer.Option("--lang", help="提示语言 / language of messages: zh or en.")
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


MESSAGES = {
    "config": ("参考数据文件有误：{error}", "reference file problem: {error}"),
    "write": ("无法写入{path}：{error}", "cannot write {path}: {error}"),
    "write_tmp": (
        "无法写入{path}：临时文件夹{folder}写入失败（{error}）；可用环境变量TMPDIR另指一个",
        "cannot write {path}: writing to the temporary folder {folder} failed ({error}); "
        "TMPDIR can name another",
    ),
    "period": (
        "“{value}”不是季度，请写成2020Q3的形式",
        "'{value}' is not a quarter such as 2020Q3",
    ),
    "no_files": (
        "所给文件夹中没有表格文件（.xlsx、.xls、.ods）",
        "no spreadsheet (.xlsx, .xls, .ods) found in what was given",
    ),
    "all_skipped": (
        "所给的文件都已跳过（原因见上），没有可校验的报表",
        "every file given was skipped (the reasons are above): there is no return to check",
    ),
    "no_quarters": (
        "没有一份报表看得出是哪个季度的，无法比较各季度",
        "no return says which quarter it is for: there are no quarters to follow",
    ),
    "written": ("已写出：{path}", "Written: {path}"),
    "year": ("参考数据是{year}年的", "the reference data is for {year}"),
    "town_or_all": ("请给出 --town 镇名 或 --all（二选一）", "give either --town NAME or --all"),
    "unknown_town": (
        "没有“{town}”这个镇街；可选：{known}",
        "unknown town '{town}'; known: {known}",
    ),
    "no_folder": ("文件夹{folder}不存在", "folder {folder} does not exist"),
    "previous_bad": (
        "上期报表{path}{why_zh}，不能作为上期数据；请给出本镇街上一季度审核通过的报表",
        "the previous return {path} {why_en}: give the town's last valid return",
    ),
    "kept": (
        "{path}已存在，未覆盖（要替换请加 --force）",
        "{path} exists and was left alone (--force replaces it)",
    ),
    "unknown_code": (
        "没有这个指标代码：{code}（shuangfu indicators 列出全部代码）",
        "unknown indicator code: {code} (shuangfu indicators lists them all)",
    ),
    "near_code": (
        "没有这个指标代码：{code}；是不是 {tips}？",
        "unknown indicator code: {code}; did you mean {tips}?",
    ),
    "near_town": (
        "没有“{town}”这个镇街；是不是{tips}？",
        "unknown town '{town}'; did you mean {tips}?",
    ),
    "date": (
        "“{value}”不是日期，请写成2020-10-10的形式",
        "'{value}' is not a date such as 2020-10-10",
    ),
    "annotated": (
        "已写出审核意见{n}份，在{folder}",
        "feedback workbooks written to {folder}: {n}",
    ),
    "as_return_xlsx": (
        "区级报表用报表模板写出，文件名须以.xlsx结尾：{path}",
        "the district's return is written in the return template: the name must end in .xlsx: "
        "{path}",
    ),
    "suffix": (
        "“{name}”的扩展名不对：这里写出的是{what}，文件名须以{expected}结尾",
        "'{name}' has the wrong extension: this writes {what}, so the name must end in {expected}",
    ),
    "as_return_empty": (
        "没有通过校验的镇街报表，未写出区级报表{path}",
        "no town's return is valid: the district's return {path} was not written",
    ),
    "as_return_left_out": (
        "区级报表{path}只含{n}个镇街的数据；未计入：{towns}",
        "the district's return {path} holds {n} towns' figures; not counted: {towns}",
    ),
    "jobs_lowered": (
        "--jobs {jobs}超出了本机所能承受的，按{allowed}个进程读取（{why}）",
        "--jobs {jobs} is more than this machine allows: reading with {allowed} ({why})",
    ),
    "jobs_cpus": ("可用CPU{cpus}个", "{cpus} CPUs available"),
    "jobs_memory": (
        "剩余内存约{memory} MB，每个进程最多可用{mb} MB（--max-memory）",
        "about {memory} MB of memory left, {mb} MB per worker at most (--max-memory)",
    ),
    "not_annotated": (
        "{file}：未能生成审核意见（{reason}）",
        "{file}: no feedback workbook could be made ({reason})",
    ),
}


def message(lang: LangOpt, key: str, units=None, **params) -> str:
    """The message `key` in `lang`; `units`: the reference's words for its units (one level
    up 区县), said in the message's own words."""
    zh, en = MESSAGES[key]
    template = zh if lang is LangOpt.zh else en
    if units is not None:
        template = units.say(template, "zh" if lang is LangOpt.zh else "en")
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
