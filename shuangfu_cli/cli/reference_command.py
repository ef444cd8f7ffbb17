"""`shuangfu reference export FILE` and `shuangfu reference check FILE`: the reference data
(towns, villages, the task split, the forms' identity block, the policy thresholds and the
plausibility sensitivity) as a workbook a statistician edits in Excel, WPS or LibreOffice — or
as YAML/JSON — and everything wrong with such a file, at its sheet and cell.

check exits 0 when nothing is wrong or only warnings are found, 1 when an error is (the file
would be refused by --reference), 2 when the file cannot be given at all."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shuangfu_cli.cli.common import load_or_exit
from shuangfu_cli.cli.options import LangOption, ReferenceOption, message
from shuangfu_cli.cli.outputs import print_json, render, write_or_exit
from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.writing import stdout

reference_app = typer.Typer(
    help="参考数据 / the reference data: export it as a workbook to edit, check it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_KINDS = (".xlsx", ".yaml", ".yml", ".json")


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


@reference_app.command("export")
def export(
    output: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="写出的文件：.xlsx（供编辑的工作簿）或.yaml/.json / the file to write: .xlsx (a "
            "workbook to edit) or .yaml/.json.",
        ),
    ],
    reference: ReferenceOption = None,
    lang: LangOption = "zh",
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已存在的文件 / replace the file if it exists.")
    ] = False,
) -> None:
    """导出参考数据 / write the reference data in use as a workbook (or YAML/JSON)."""
    from shuangfu_cli.writing.reference_book import write_reference_book, write_reference_data

    if output.suffix.lower() not in _KINDS:
        raise typer.BadParameter(message(lang, "ref_kind", name=output.name), param_hint="FILE")
    registry, ref = load_or_exit(reference, lang)
    if not force and os.path.lexists(output):
        with stdout.guarded(lang):
            render.print_error(message(lang, "kept", path=show_path(output)))
        raise typer.Exit(1)
    if output.suffix.lower() == ".xlsx":
        write_or_exit(lang, write_reference_book, ref, registry, output)
    else:
        write_or_exit(lang, write_reference_data, ref, output)
    from shuangfu_cli.text.sanitize import for_terminal

    with stdout.guarded(lang):
        print(for_terminal(message(lang, "written", path=show_path(output))))


@reference_app.command("check")
def check(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="参考数据：工作簿或YAML/JSON / the reference file: a workbook, YAML or JSON.",
            exists=True,
            dir_okay=False,
        ),
    ],
    fmt: Annotated[
        CheckFormat, typer.Option("--format", help="输出格式 / output: text or json.")
    ] = CheckFormat.text,
    lang: LangOption = "zh",
) -> None:
    """检查参考数据 / report every problem of a reference file at its sheet and cell."""
    from shuangfu_cli.check.reference_file import check_file
    from shuangfu_cli.text.sanitize import for_terminal

    checked = check_file(file)
    errors = len(checked.errors)
    warnings = len(checked.findings) - errors
    name = show_path(file)
    with stdout.guarded(lang):
        if fmt is CheckFormat.json:
            doc = {
                "file": name,
                "errors": errors,
                "warnings": warnings,
                "findings": [f.to_dict(lang) for f in checked.findings],
            }
            print_json(doc)
        else:
            for f in checked.findings:
                place = f"{f.sheet}!{f.cell}" if f.cell else f.sheet or name
                line = f"{place}  {f.code}  {f.message(lang)}"
                print(for_terminal(line))
            key = "ref_found" if checked.findings else "ref_ok"
            print(for_terminal(message(lang, key, file=name, errors=errors, warnings=warnings)))
    raise typer.Exit(1 if errors else 0)
