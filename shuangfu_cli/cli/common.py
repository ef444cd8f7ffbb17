"""What the commands share: loading the reference data and reading --period, each failing
the way a command should (a message and exit 2, or typer's usage error); the outputs refused
before any work, the progress bar while the returns are read, what is printed on stdout and
the exit status."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, overload

import typer

from schemas import IndicatorRegistry, Reference, parse_period
from shuangfu_cli.check.workers import Limits
from shuangfu_cli.cli.options import Format, message
from shuangfu_cli.cli.outputs import (
    Kind,
    print_json,
    print_report,
    refuse_unsafe_outputs,
    render,
    require_suffix,
)
from shuangfu_cli.form.reference import ConfigError, load_reference, registry_for
from shuangfu_cli.text.words import Lang
from shuangfu_cli.writing import stdout


def load_or_exit(
    reference: Path | None = None, lang: Lang = "zh"
) -> tuple[IndicatorRegistry, Reference]:
    """The indicator registry and the reference data, or exit 2 naming what is wrong."""
    try:
        if reference is not None:
            from shuangfu_cli.check.reference_file import is_workbook, load_for_run

            if is_workbook(reference):  # the workbook of `reference export`
                return load_for_run(reference, lang)
        ref = load_reference(reference)
        return registry_for(ref), ref
    except ConfigError as exc:
        render.print_error(message(lang, "config", error=exc))
        raise typer.Exit(2) from exc


@overload
def period_or_fail(value: str, lang: Lang) -> str: ...
@overload
def period_or_fail(value: None, lang: Lang) -> None: ...
@overload
def period_or_fail(value: str | None, lang: Lang) -> str | None: ...
def period_or_fail(value: str | None, lang: Lang) -> str | None:
    """--period as a quarter (2020Q3), or typer's usage error with a hint at what was meant."""
    if value is None:
        return None
    period = parse_period(value)
    if period is None:
        from shuangfu_cli.cli.usage import period_hint

        hint = period_hint(value)
        text = message(lang, "period", value=value)
        if hint is not None:
            text += "；" + hint[0] if lang == "zh" else "; " + hint[1]
        raise typer.BadParameter(text, param_hint="--period")
    return period


def run_limits(lang: Lang, jobs: int, memory_mb: int, timeout_s: float) -> Limits:
    """The workers' limits; a --jobs above what the machine allows (its CPUs, and the memory
    left at --max-memory per worker) is lowered, with a note on stderr saying why. The options'
    own ranges (machine.py) are checked by the parser: a usage error outside them."""
    import sys

    from shuangfu_cli.check.machine import allowed_workers, available_cpus, available_memory_mb
    from shuangfu_cli.text.sanitize import for_terminal

    allowed = allowed_workers(memory_mb)
    if jobs > allowed:
        memory = available_memory_mb()
        why = [message(lang, "jobs_cpus", cpus=available_cpus())]
        if memory is not None:
            why.append(message(lang, "jobs_memory", memory=memory, mb=memory_mb))
        sep = "," if lang == "zh" else "; "
        text = message(lang, "jobs_lowered", jobs=jobs, allowed=allowed, why=sep.join(why))
        sys.stderr.write(for_terminal(text) + "\n")
        jobs = allowed
    return Limits(jobs=jobs, memory_mb=memory_mb, timeout_s=timeout_s)


def refuse_outputs_first(
    lang: Lang,
    inputs: list[Path],
    outputs: Mapping[str, tuple[Path | None, Kind | None]],
    folder: Path | None = None,
) -> None:
    """Before any work: the outputs given (option -> its path and the kind of file it writes,
    whose extensions the name must have) and the --annotate `folder` refused, a usage error
    naming the option, when one would replace an input or another output, cannot be a regular
    file, or has a name that says another format."""
    given = {option: path for option, (path, _) in outputs.items() if path is not None}
    if given or folder is not None:
        refuse_unsafe_outputs(lang, given, inputs, folder)
    for option, (path, kind) in outputs.items():
        if path is not None and kind is not None:
            require_suffix(lang, option, path, kind)


@contextmanager
def file_progress(
    lang: Lang, shown: bool, fewest: int = 1
) -> Iterator[tuple[Callable[[int], None], Callable[[Path], None]]]:
    """The progress bar while the returns are read (render.FileProgress): its `on_start` and
    `on_file`. It is made once the number of returns is known, and only for `fewest` or more
    (validate: a single file never loads it)."""
    bar = None

    def on_start(total: int) -> None:
        nonlocal bar
        if shown and total >= fewest:
            bar = render.FileProgress(lang)
            bar.start(total)

    def on_file(path: Path) -> None:
        if bar is not None:
            bar.advance(path)

    try:
        yield on_start, on_file
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def nothing_read(lang: Lang, notes: Iterable[tuple[str, str]], key: str) -> None:
    """No return to show: each note (the files passed over, each with why) on stderr, then
    the message `key`."""
    for zh, en in notes:
        render.print_error(zh if lang == "zh" else en)
    render.print_error(message(lang, key))


def show(
    lang: Lang,
    fmt: Format,
    command: str,
    doc: Callable[[], object],
    reports: Sequence,
    notes: Sequence[tuple[str, str]],
    text: Callable[[], None],
    names: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """What a check prints on stdout, guarded (a closed or full stdout is one line and exit
    3): the JSON document `doc` makes, the findings of `reports` in a report format (their
    indicators named as `names` has them), or the `text` for a person."""
    with stdout.guarded(lang):
        if fmt == "json":
            print_json(doc())
        elif fmt != "text":
            print_report(fmt, reports, notes, lang, command, names)
        else:
            text()


def finish(complete: bool) -> NoReturn:
    """The exit status of a check: 0 when everything is complete and valid, 1 otherwise."""
    raise typer.Exit(0 if complete else 1)
