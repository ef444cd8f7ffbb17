"""Shell completion (typer's ``autocompletion=``, which keeps the values that start with what
is typed) of the values people type: town names (--town), indicator codes (with their Chinese
names as help, where the shell shows it) and quarters (--period: the reference year's four).
`shuangfu indicators 送工送岗` finds a code by its name (:func:`find_indicators`). A completion
never fails: whatever cannot be loaded completes to nothing."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import typer


def _reference(ctx: typer.Context | None):
    given = (ctx.params.get("reference") if ctx is not None else None) or os.environ.get(
        "SHUANGFU_REFERENCE"
    )
    path = Path(given) if given else None
    if path is not None:
        from shuangfu_cli.check.reference_file import is_workbook, load_for_run

        if is_workbook(path):
            return load_for_run(path)[1]
    from shuangfu_cli.form.reference import load_reference

    return load_reference(path)


def complete_town(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        names = [t.name for t in _reference(ctx).towns]
    except Exception:  # noqa: BLE001 - a completion says nothing rather than fail
        return []
    return [n for n in names if n.startswith(incomplete)]


def complete_period(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        year = _reference(ctx).year
    except Exception:  # noqa: BLE001
        return []
    quarters = [f"{year}Q{q}" for q in range(1, 5)]
    return [q for q in quarters if q.startswith(incomplete.strip().upper())]


def fold(text: str) -> str:
    """A name as it is searched: full-width brackets and letters as ASCII, no spaces, one case
    (送工送岗, 其中（贫困村） and 其中(贫困村) are found alike)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def find_indicators(registry, query: str) -> list:
    """The indicators a query names: its code exactly, else every one whose code starts with
    it or whose Chinese or English name holds it."""
    by_code = registry.by_code()
    code = query.strip().upper()
    if code in by_code:
        return [by_code[code]]
    q = fold(query)
    if not q:
        return []
    return [
        i
        for i in registry.indicators
        if i.code.startswith(code) or q in fold(i.name_zh) or q in fold(i.name_en)
    ]


def complete_code(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        from shuangfu_cli.form.reference import load_registry

        registry = load_registry()
    except Exception:  # noqa: BLE001
        return []
    code = incomplete.strip().upper()
    return [(i.code, i.name_zh) for i in registry.indicators if i.code.startswith(code)]
