"""`shuangfu template`: the blank return each town fills."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shuangfu_cli.cli.common import load_or_exit, period_or_fail
from shuangfu_cli.cli.completion import complete_period, complete_town
from shuangfu_cli.cli.options import LangOption, ReferenceOption, message
from shuangfu_cli.cli.outputs import WORKBOOK, render, require_suffix, write_or_exit
from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.text.words import Lang, say
from shuangfu_cli.writing import stdout
from shuangfu_cli.writing.guard import OutputError, check_name

if TYPE_CHECKING:
    from schemas import IndicatorRegistry, Reference, TownRef
    from shuangfu_cli.writing.template.selfcheck import LastQuarter


def template(
    period: Annotated[
        str,
        typer.Option(
            "--period",
            metavar="QUARTER",
            help="报告期 / the quarter, e.g. 2020Q3.",
            autocompletion=complete_period,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="输出文件（用--all时为文件夹） / file to write (folder with --all).",
        ),
    ],
    town: Annotated[
        str | None,
        typer.Option(
            "--town",
            metavar="NAME",
            help="镇街名称 / the town, e.g. 柏梓镇.",
            autocompletion=complete_town,
        ),
    ] = None,
    all_towns: Annotated[
        bool, typer.Option("--all", help="为每个镇街各生成一份 / one template per town into -o.")
    ] = False,
    lang: LangOption = "zh",
    reference: ReferenceOption = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            metavar="PATH",
            help="本镇街上一季度审核通过的报表（用--all时为文件夹），模板据此自查累计数 / the "
            "town's last valid return (a folder with --all): the template checks against it.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="覆盖已存在的文件 / replace files that exist (without it they are left alone).",
        ),
    ] = False,
) -> None:
    """生成空白报表模板 / write the blank return a town fills in Excel or WPS."""
    from shuangfu_cli.writing.template import write_template

    the_period = period_or_fail(period, lang)
    assert the_period is not None  # --period is required
    registry, ref = load_or_exit(reference, lang)
    if int(the_period[:4]) != ref.year:
        raise typer.BadParameter(message(lang, "year", year=ref.year), param_hint="--period")
    if all_towns == (town is not None):
        raise typer.BadParameter(message(lang, "town_or_all"), param_hint="--town")
    try:
        check_name(output)
    except OutputError as exc:
        text = exc.zh if lang == "zh" else exc.en
        raise typer.BadParameter(text, param_hint="-o") from exc
    if all_towns:
        output.mkdir(parents=True, exist_ok=True)
        targets = [(t, output / f"{t.name}_{the_period}.xlsx") for t in ref.towns]
    else:
        assert town is not None  # --town or --all: checked above
        town_ref = ref.town(town)
        if town_ref is None:
            from shuangfu_cli.cli.usage import near

            names = [t.name for t in ref.towns]
            tips = near(town, names)
            text = (
                message(lang, "near_town", ref.units, town=town, tips="、".join(tips))
                if tips
                else message(lang, "unknown_town", ref.units, town=town, known="、".join(names))
            )
            raise typer.BadParameter(text, param_hint="--town")
        if output.is_dir():
            output = output / f"{town_ref.name}_{the_period}.xlsx"
        require_suffix(lang, "-o", output, WORKBOOK)
        if not output.parent.is_dir():
            raise typer.BadParameter(
                message(lang, "no_folder", folder=output.parent), param_hint="-o"
            )
        targets = [(town_ref, output)]
    lasts = last_quarters(previous, [t for t, _ in targets], the_period, ref, registry, lang)
    kept = [p for _, p in targets if not force and os.path.lexists(p)]
    targets = [(t, p) for t, p in targets if p not in kept]
    for town_ref, path in targets:
        write = partial(
            write_template, forms=ref.forms, last=lasts.get(town_ref.name), policy=ref.policy
        )
        write_or_exit(lang, write, town_ref, the_period, registry, path)
    with stdout.guarded(lang):
        render.print_written([p for _, p in targets], lang)
        for p in kept:
            render.print_error(message(lang, "kept", path=show_path(p)))
    raise typer.Exit(1 if kept else 0)


def last_quarters(
    previous: Path | None,
    towns: list[TownRef],
    period: str,
    ref: Reference,
    registry: IndicatorRegistry,
    lang: Lang,
) -> dict[str, LastQuarter]:
    """Each town's last valid return (--previous: a file, or a folder with --all) as the
    template's LastQuarter; a usage error naming the file when one cannot be."""
    if previous is None:
        return {}
    from shuangfu_cli.check.one_return import validate_file
    from shuangfu_cli.reading.collect import collect
    from shuangfu_cli.writing.template.selfcheck import LastQuarter

    files = collect([previous])[0] if previous.is_dir() else [previous]
    reports = [validate_file(f, registry=registry, reference=ref) for f in files]
    settings = ref.plausibility
    out: dict[str, LastQuarter] = {}
    for town in towns:
        mine = [r for r in reports if r.town == town.name] if previous.is_dir() else reports
        report = mine[0] if mine else None
        why = None
        if report is None:
            why = "none"
        elif report.status == "unreadable":
            why = "unreadable"
        elif report.status != "valid":
            why = "invalid"
        elif report.town != town.name:
            why = "town"
        elif not report.period or report.period >= period:
            why = "period"
        if why is not None:
            shown = show_path(previous if report is None else Path(report.file))
            text = message(lang, "previous_bad", path=shown, why=say(lang, "previous_why", why))
            raise typer.BadParameter(text, param_hint="--previous")
        assert report is not None and report.period is not None
        copy_min = settings.copy_min_figures if settings.enabled else 0
        name = Path(report.file).name
        out[town.name] = LastQuarter(report.period, name, dict(report.values), copy_min)
    return out
