"""The `shuangfu` command. Each command parses its options, calls one core function and maps
domain errors to a clear message and an exit code: 0 all valid, 1 a return invalid or
unreadable, 2 wrong usage (unknown option, missing file, bad reference file), 3 an output
that could not be written or shown."""

from __future__ import annotations

import os

# pydantic looks for plugins through importlib.metadata when the first model is built: a fifth
# of the command's start-up. The command uses none (a user who sets the variable decides).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import sys  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from shuangfu_cli.cli.indicators_command import indicators  # noqa: E402
from shuangfu_cli.cli.reference_command import reference_app  # noqa: E402
from shuangfu_cli.cli.rollup_command import rollup  # noqa: E402
from shuangfu_cli.cli.template_command import template  # noqa: E402
from shuangfu_cli.cli.trend_command import trend  # noqa: E402
from shuangfu_cli.cli.validate_command import validate  # noqa: E402
from shuangfu_cli.writing import stdout  # noqa: E402


def _no_python_types_in_help() -> None:
    """typer (0.29) shows an argument's Python type in the help (``PATH... <list[Path]>``),
    which means nothing to a statistician and reads like a value to type. The metavars say
    what to give; tests/test_usage.py checks that no help shows a type."""
    from typer.core import TyperArgument

    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]  # typer has no option for it: its method replaced on purpose


_no_python_types_in_help()

app = typer.Typer(
    help="双扶季报表校验与汇总工具 — check and add up the towns' quarterly 双扶 returns.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from shuangfu_cli import __version__

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


# the commands, in the order --help lists them
app.command()(validate)
app.command()(template)
app.command()(rollup)
app.command()(trend)
app.command()(indicators)
app.add_typer(reference_app, name="reference")


def main(argv: list[str] | None = None) -> None:
    """The `shuangfu` command: usage errors in the chosen language, exit 2 (usage.py)."""
    from shuangfu_cli.check.workers import end_workers
    from shuangfu_cli.cli.usage import run

    stdout.prepare(at_termination=[end_workers])
    sys.exit(run(app, argv))


if __name__ == "__main__":
    main()
