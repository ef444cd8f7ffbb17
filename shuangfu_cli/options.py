"""The command line's shared vocabulary: option types with their help text, and the messages
the commands print (Chinese by default, English with --lang en)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S


class Format(StrEnum):
    text = "text"
    json = "json"
    junit = "junit"
    sarif = "sarif"
    github = "github"
    csv = "csv"


class DataFormat(StrEnum):
    """For what is not a check (the indicator list): text or JSON."""

    text = "text"
    json = "json"


FORMAT_HELP = (
    "输出格式 / output: text, json, junit (JUnit XML), sarif (SARIF 2.1.0), github (GitHub "
    "workflow commands) or csv (every finding, for a spreadsheet)."
)


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
        help="本区参考数据(镇街、村、任务分解) / the district's towns.yaml. Default: the sample.",
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
        help="把每份有问题的报表标注后另存到此文件夹(<文件名>_审核意见.xlsx),发回镇街 / write "
        "each return with findings, marked at its cells, to OUTDIR as <name>_审核意见.xlsx.",
        file_okay=False,
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        metavar="N",
        help="同时读取的进程数 / worker processes reading returns in parallel. "
        "Default 0: one per CPU available.",
    ),
]
MemoryOption = Annotated[
    int,
    typer.Option(
        "--max-memory",
        min=64,
        metavar="MB",
        help="每份报表读取时可用的内存上限(MB),超出则判为无法读取 / memory one return may take "
        f"while read, in MB; above it the file is unreadable. Default {DEFAULT_MEMORY_MB}.",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=1,
        metavar="SECONDS",
        help="每份报表的读取时限(秒),超时则判为无法读取 / time one return may take to read and "
        f"check; above it the file is unreadable. Default {DEFAULT_TIMEOUT_S:g}.",
    ),
]


MESSAGES = {
    "config": ("参考数据文件有误:{error}", "reference file problem: {error}"),
    "write": ("无法写入{path}:{error}", "cannot write {path}: {error}"),
    "period": ("“{value}”不是季度,请写成2020Q3的形式", "'{value}' is not a quarter such as 2020Q3"),
    "no_files": (
        "所给文件夹中没有表格文件(.xlsx、.xls、.ods)",
        "no spreadsheet (.xlsx, .xls, .ods) found in what was given",
    ),
    "all_skipped": (
        "所给的文件都已跳过(原因见上),没有可校验的报表",
        "every file given was skipped (the reasons are above): there is no return to check",
    ),
    "no_quarters": (
        "没有一份报表看得出是哪个季度的,无法比较各季度",
        "no return says which quarter it is for: there are no quarters to follow",
    ),
    "written": ("已写出:{path}", "Written: {path}"),
    "year": ("参考数据是{year}年的", "the reference data is for {year}"),
    "town_or_all": ("请给出 --town 镇名 或 --all(二选一)", "give either --town NAME or --all"),
    "unknown_town": ("没有“{town}”这个镇街;可选:{known}", "unknown town '{town}'; known: {known}"),
    "no_folder": ("文件夹{folder}不存在", "folder {folder} does not exist"),
    "kept": (
        "{path}已存在,未覆盖(要替换请加 --force)",
        "{path} exists and was left alone (--force replaces it)",
    ),
    "unknown_code": (
        "没有这个指标代码:{code}(shuangfu indicators 列出全部代码)",
        "unknown indicator code: {code} (shuangfu indicators lists them all)",
    ),
    "near_code": (
        "没有这个指标代码:{code};是不是 {tips}?",
        "unknown indicator code: {code}; did you mean {tips}?",
    ),
    "near_town": (
        "没有“{town}”这个镇街;是不是{tips}?",
        "unknown town '{town}'; did you mean {tips}?",
    ),
    "date": (
        "“{value}”不是日期,请写成2020-10-10的形式",
        "'{value}' is not a date such as 2020-10-10",
    ),
    "annotated": (
        "已写出审核意见{n}份,在{folder}",
        "feedback workbooks written to {folder}: {n}",
    ),
    "as_return_xlsx": (
        "区级报表用报表模板写出,文件名须以.xlsx结尾:{path}",
        "the district's return is written in the return template: the name must end in .xlsx: "
        "{path}",
    ),
    "suffix": (
        "“{name}”的扩展名不对:这里写出的是{what},文件名须以{expected}结尾",
        "'{name}' has the wrong extension: this writes {what}, so the name must end in {expected}",
    ),
    "as_return_empty": (
        "没有通过校验的镇街报表,未写出区级报表{path}",
        "no town's return is valid: the district's return {path} was not written",
    ),
    "as_return_left_out": (
        "区级报表{path}只含{n}个镇街的数据;未计入:{towns}",
        "the district's return {path} holds {n} towns' figures; not counted: {towns}",
    ),
    "not_annotated": (
        "{file}:未能生成审核意见({reason})",
        "{file}: no feedback workbook could be made ({reason})",
    ),
}


def message(lang: LangOpt, key: str, **params) -> str:
    zh, en = MESSAGES[key]
    return (zh if lang is LangOpt.zh else en).format(**params)


class ProgressOpt(StrEnum):
    flat = "flat"
    days = "days"


ProgressOption = Annotated[
    ProgressOpt,
    typer.Option(
        "--progress",
        help="序时进度: flat (按季度 25/50/75/100%) or days (按天 / days elapsed).",
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
