"""`shuangfu indicators`: the indicator definitions of Attachment 7."""

from __future__ import annotations

from typing import Annotated

import typer

from shuangfu_cli.cli.common import load_or_exit
from shuangfu_cli.cli.completion import complete_code, find_indicators
from shuangfu_cli.cli.options import DataFormat, LangOption, message
from shuangfu_cli.cli.outputs import print_json, render
from shuangfu_cli.writing import stdout


def indicators(
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="CODE_OR_NAME",
            help="指标代码，或指标名称（的一部分，如“送工送岗”“车间”） / an indicator code, or "
            "its name or part of it.",
            autocompletion=complete_code,
        ),
    ] = None,
    fmt: Annotated[
        DataFormat, typer.Option("--format", help="输出格式 / output: text or json.")
    ] = DataFormat.text,
    lang: LangOption = "zh",
) -> None:
    """指标解释 / list the indicators of Attachment 7, or show those a code or name finds."""
    registry, _ = load_or_exit(lang=lang)
    if code is None:
        chosen = registry.indicators
    else:
        chosen = find_indicators(registry, code)
        if not chosen:
            from shuangfu_cli.cli.usage import near

            tips = near(code, registry.by_code())
            key = "near_code" if tips else "unknown_code"
            raise typer.BadParameter(
                message(lang, key, code=code, tips=", ".join(tips)), param_hint="CODE_OR_NAME"
            )
    with stdout.guarded(lang):
        if fmt is DataFormat.json:
            print_json([i.model_dump() for i in chosen])
        elif code is None or len(chosen) > 1:  # every match listed: one is then asked by code
            render.print_indicators(chosen, lang)
        else:
            render.print_indicator(chosen[0], lang)
