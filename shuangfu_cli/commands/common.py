"""What the commands share: loading the reference data and reading --period, each failing
the way a command should (a message and exit 2, or typer's usage error)."""

from __future__ import annotations

from pathlib import Path

import typer

from schemas import parse_period

from ..config import ConfigError, load_reference, registry_for
from ..options import LangOpt, message
from ..outputs import render


def load_or_exit(reference: Path | None = None, lang: LangOpt = LangOpt.zh):
    """The indicator registry and the reference data, or exit 2 naming what is wrong."""
    try:
        ref = load_reference(reference)
        return registry_for(ref), ref
    except ConfigError as exc:
        render.print_error(message(lang, "config", error=exc))
        raise typer.Exit(2) from exc


def period_or_fail(value: str | None, lang: LangOpt) -> str | None:
    """--period as a quarter (2020Q3), or typer's usage error with a hint at what was meant."""
    if value is None:
        return None
    period = parse_period(value)
    if period is None:
        from ..usage import period_hint

        hint = period_hint(value)
        text = message(lang, "period", value=value)
        if hint is not None:
            text += "；" + hint[0] if lang is LangOpt.zh else "; " + hint[1]
        raise typer.BadParameter(text, param_hint="--period")
    return period
