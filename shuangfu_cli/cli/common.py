"""What the commands share: loading the reference data and reading --period, each failing
the way a command should (a message and exit 2, or typer's usage error)."""

from __future__ import annotations

from pathlib import Path
from typing import overload

import typer

from schemas import parse_period
from shuangfu_cli.check.workers import Limits
from shuangfu_cli.cli.options import LangOpt, message
from shuangfu_cli.cli.outputs import render
from shuangfu_cli.form.reference import ConfigError, load_reference, registry_for


def load_or_exit(reference: Path | None = None, lang: LangOpt = LangOpt.zh):
    """The indicator registry and the reference data, or exit 2 naming what is wrong."""
    try:
        if reference is not None:
            from shuangfu_cli.check.reference_file import is_workbook, load_for_run

            if is_workbook(reference):  # the workbook of `reference export`
                return load_for_run(reference, lang.value)
        ref = load_reference(reference)
        return registry_for(ref), ref
    except ConfigError as exc:
        render.print_error(message(lang, "config", error=exc))
        raise typer.Exit(2) from exc


@overload
def period_or_fail(value: str, lang: LangOpt) -> str: ...
@overload
def period_or_fail(value: None, lang: LangOpt) -> None: ...
@overload
def period_or_fail(value: str | None, lang: LangOpt) -> str | None: ...
def period_or_fail(value: str | None, lang: LangOpt) -> str | None:
    """--period as a quarter (2020Q3), or typer's usage error with a hint at what was meant."""
    if value is None:
        return None
    period = parse_period(value)
    if period is None:
        from shuangfu_cli.cli.usage import period_hint

        hint = period_hint(value)
        text = message(lang, "period", value=value)
        if hint is not None:
            text += "；" + hint[0] if lang is LangOpt.zh else "; " + hint[1]
        raise typer.BadParameter(text, param_hint="--period")
    return period


def run_limits(lang: LangOpt, jobs: int, memory_mb: int, timeout_s: float) -> Limits:
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
        sep = "," if lang is LangOpt.zh else "; "
        text = message(lang, "jobs_lowered", jobs=jobs, allowed=allowed, why=sep.join(why))
        sys.stderr.write(for_terminal(text) + "\n")
        jobs = allowed
    return Limits(jobs=jobs, memory_mb=memory_mb, timeout_s=timeout_s)
