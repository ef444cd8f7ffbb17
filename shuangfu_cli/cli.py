"""The `shuangfu` command. Each command parses its options, calls one core function and maps
domain errors to a clear message and an exit code: 0 all valid, 1 a return invalid or
unreadable, 2 wrong usage (unknown option, missing file, bad reference file)."""

from __future__ import annotations

import os

# pydantic looks for plugins through importlib.metadata when the first model is built: a fifth
# of the command's start-up. The command uses none (a user who sets the variable decides).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import sys  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from .commands.common import load_or_exit, period_or_fail  # noqa: E402
from .commands.quarter import rollup, trend  # noqa: E402
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Limits  # noqa: E402
from .options import (  # noqa: E402
    FORMAT_HELP,
    AnnotateOption,
    DataFormat,
    Format,
    JobsOption,
    LangOpt,
    LangOption,
    MemoryOption,
    ReferenceOption,
    TimeoutOption,
    message,
)
from .outputs import (  # noqa: E402
    WORKBOOK,
    annotate_returns,
    print_json,
    print_report,
    refuse_unsafe_outputs,
    render,
    require_suffix,
    write_or_exit,
)
from .writing import stdout  # noqa: E402
from .writing.sanitize import show_path  # noqa: E402


def _import_renderer() -> None:
    """Import the terminal renderer (a tenth of the start-up) while a worker reads the file."""
    from . import render  # noqa: F401


def _no_python_types_in_help() -> None:
    """typer (0.29) shows an argument's Python type in the help (``PATH... <list[Path]>``),
    which means nothing to a statistician and reads like a value to type. The metavars say
    what to give; tests/test_usage.py checks that no help shows a type."""
    from typer.core import TyperArgument

    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = lambda self, ctx: None


_no_python_types_in_help()

app = typer.Typer(
    help="双扶季报表校验与汇总工具 — check and add up the towns' quarterly 双扶 returns.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"shuangfu {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="显示版本号 / show the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """双扶季报表校验与汇总工具 — check and add up the towns' quarterly 双扶 returns."""


@contextmanager
def _progress(lang: LangOpt, shown: bool):
    """validate's progress bar (see render.FileProgress), for a run of several returns only: a
    single file never loads it."""
    bar = None

    def on_start(total: int) -> None:
        nonlocal bar
        if shown and total > 1:
            bar = render.FileProgress(lang.value)
            bar.start(total)

    def on_file(path: Path) -> None:
        if bar is not None:
            bar.advance(path)

    try:
        yield on_start, on_file
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="报表文件或文件夹 / return files (.xlsx, .xls, .ods) or folders.",
            exists=True,
            metavar="PATH",
        ),
    ],
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            "--previous",
            help="上季度报表(文件或文件夹,可多次给出) / the previous quarter's returns; each "
            "return is compared with its own town's.",
            exists=True,
            metavar="PATH",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", metavar="QUARTER", help="应报的报告期 / the expected period, e.g. 2020Q3."
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help=FORMAT_HELP)] = Format.text,
    lang: LangOption = LangOpt.zh,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="未说明的警告也判为不通过 / unexplained warnings fail too."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="只列出不通过的报表 / show only returns that fail."),
    ] = False,
    reference: ReferenceOption = None,
    jobs: JobsOption = 0,
    max_memory: MemoryOption = DEFAULT_MEMORY_MB,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    annotate: AnnotateOption = None,
) -> None:
    """校验报表 / check returns: what is wrong, where (sheet, cell) and how bad."""
    from .batch import validate_files

    expected = period_or_fail(period, lang)
    registry, ref = load_or_exit(reference, lang)
    inputs = [*files, *(previous or [])]
    if annotate is not None:
        refuse_unsafe_outputs(lang, {}, inputs, annotate)
    limits = Limits(jobs=jobs, memory_mb=max_memory, timeout_s=timeout)
    with _progress(lang, fmt is Format.text) as (on_start, on_file):
        reports, notes = validate_files(
            files,
            previous=previous or [],
            expected_period=expected,
            strict=strict,
            registry=registry,
            reference=ref,
            limits=limits,
            meanwhile=_import_renderer if fmt is Format.text else None,
            on_start=on_start,
            on_file=on_file,
        )
    if not reports:  # nothing read: the files skipped are told, each with why
        for zh, en in notes:
            render.print_error(zh if lang is LangOpt.zh else en)
        render.print_error(message(lang, "all_skipped" if notes else "no_files"))
        raise typer.Exit(2)
    annotated = annotate_returns(lang, reports, annotate, inputs, limits) if annotate else None
    with stdout.guarded(lang.value):
        if fmt is Format.json:
            doc = {
                "returns": [r.to_dict(lang.value) for r in reports],
                "notes": [zh if lang is LangOpt.zh else en for zh, en in notes],
            }
            if annotated is not None:
                doc["annotated"] = [show_path(p) for p in annotated]
            print_json(doc)
        elif fmt is not Format.text:
            print_report(fmt, reports, notes, lang, "validate")
        else:
            render.print_reports(reports, lang.value, notes, quiet=quiet)
            if annotated is not None:
                render.print_note(message(lang, "annotated", n=len(annotated), folder=annotate))
    raise typer.Exit(0 if all(r.status == "valid" for r in reports) else 1)


@app.command()
def template(
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="报告期 / the quarter, e.g. 2020Q3.")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="输出文件(用--all时为文件夹) / file to write (folder with --all).",
        ),
    ],
    town: Annotated[
        str | None, typer.Option("--town", metavar="NAME", help="镇街名称 / the town, e.g. 柏梓镇.")
    ] = None,
    all_towns: Annotated[
        bool, typer.Option("--all", help="为每个镇街各生成一份 / one template per town into -o.")
    ] = False,
    lang: LangOption = LangOpt.zh,
    reference: ReferenceOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="覆盖已存在的文件 / replace files that exist (without it they are left alone).",
        ),
    ] = False,
) -> None:
    """生成空白报表模板 / write the blank return a town fills in Excel or WPS."""
    from .writing.template import write_template

    the_period = period_or_fail(period, lang)
    registry, ref = load_or_exit(reference, lang)
    if int(the_period[:4]) != ref.year:
        raise typer.BadParameter(message(lang, "year", year=ref.year), param_hint="--period")
    if all_towns == (town is not None):
        raise typer.BadParameter(message(lang, "town_or_all"), param_hint="--town")
    if all_towns:
        output.mkdir(parents=True, exist_ok=True)
        targets = [(t, output / f"{t.name}_{the_period}.xlsx") for t in ref.towns]
    else:
        town_ref = ref.town(town)
        if town_ref is None:
            from .usage import near

            names = [t.name for t in ref.towns]
            tips = near(town, names)
            text = (
                message(lang, "near_town", town=town, tips="、".join(tips))
                if tips
                else message(lang, "unknown_town", town=town, known="、".join(names))
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
    kept = [p for _, p in targets if not force and os.path.lexists(p)]
    targets = [(t, p) for t, p in targets if p not in kept]
    for town_ref, path in targets:
        write = partial(write_template, forms=ref.forms)
        write_or_exit(lang, write, town_ref, the_period, registry, path)
    with stdout.guarded(lang.value):
        render.print_written([p for _, p in targets], lang.value)
        for p in kept:
            render.print_error(message(lang, "kept", path=show_path(p)))
    raise typer.Exit(1 if kept else 0)


app.command()(rollup)
app.command()(trend)


@app.command()
def indicators(
    code: Annotated[
        str | None, typer.Argument(metavar="CODE", help="指标代码 / one indicator code to show.")
    ] = None,
    fmt: Annotated[
        DataFormat, typer.Option("--format", help="输出格式 / output: text or json.")
    ] = DataFormat.text,
    lang: LangOption = LangOpt.zh,
) -> None:
    """指标解释 / list the indicators of Attachment 7, or show one."""
    registry, _ = load_or_exit(lang=lang)
    if code is None:
        chosen = registry.indicators
    else:
        ind = registry.by_code().get(code.strip().upper())
        if ind is None:
            from .usage import near

            tips = near(code, registry.by_code())
            key = "near_code" if tips else "unknown_code"
            raise typer.BadParameter(
                message(lang, key, code=code, tips=", ".join(tips)), param_hint="CODE"
            )
        chosen = [ind]
    with stdout.guarded(lang.value):
        if fmt is DataFormat.json:
            print_json([i.model_dump() for i in chosen])
        elif code is None:
            render.print_indicators(chosen, lang.value)
        else:
            render.print_indicator(chosen[0], lang.value)


def main(argv: list[str] | None = None) -> None:
    """The `shuangfu` command: usage errors in the chosen language, exit 2 (usage.py)."""
    from .usage import run

    stdout.prepare()
    sys.exit(run(app, argv))


if __name__ == "__main__":
    main()
