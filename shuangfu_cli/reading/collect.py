"""Finding the returns among the paths a command is given: files named, and the spreadsheets
in folders (subfolders included), each once and in a stable order; the files passed over
(lock files, hidden files) are listed with the reason, never dropped silently."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.text.words import both

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et"}


@dataclass(frozen=True)
class Skipped:
    """A file found among the returns but not read as one, and why."""

    file: str
    reason_zh: str
    reason_en: str

    def note(self) -> tuple[str, str]:
        """The note (Chinese, English) printed on stderr and given in the JSON's notes."""
        return f"{self.file}:{self.reason_zh}", f"{self.file}: {self.reason_en}"


def _skip_reason(path: Path) -> tuple[str, str] | None:
    if path.name.startswith("~$"):
        return both("skip", "lock_file")
    if path.name.startswith("."):
        return both("skip", "hidden")
    return None


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The returns named or found in the folders given (subfolders included), each once, in a
    stable order; and the files skipped with the reason (lock files, hidden files — also when
    named explicitly)."""
    found: list[Path] = []
    skipped: list[Skipped] = []

    def consider(f: Path, explicit: bool) -> None:
        reason = _skip_reason(f)
        if reason is not None:
            skipped.append(Skipped(show_path(f), *reason))
        elif explicit or f.suffix.lower() in SPREADSHEET_SUFFIXES:
            found.append(f)

    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if f.suffix.lower() in SPREADSHEET_SUFFIXES or name.startswith("~$"):
                        consider(f, explicit=False)
        else:
            consider(p, explicit=True)
    seen: set[Path] = set()
    unique = []
    for p in found:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique, skipped
