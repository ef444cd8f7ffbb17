"""A cache of the reference files as JSON, so that a run need not parse YAML.

Parsing towns.yaml and indicators.yaml (with libyaml) and importing PyYAML take a tenth of a
one-file validate's start. The parsed data is kept as JSON in the user's cache folder
(platformdirs: ~/.cache/shuangfu on Linux), named by the SHA-256 of the file's bytes, so an edited
file is simply a new entry; pydantic validates the JSON straight from its bytes. The cache is an
optimisation only: a cache that cannot be read or written (a read-only home, a CI runner) is
ignored without a word, and SHUANGFU_CACHE_DIR chooses another folder (an empty value: no cache).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: entries kept per kind of file (older ones are removed when a new one is written)
KEEP = 8


def folder() -> Path | None:
    chosen = os.environ.get("SHUANGFU_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    try:
        from platformdirs import user_cache_path

        return user_cache_path("shuangfu", appauthor=False)
    except Exception:  # noqa: BLE001 - no home folder at all: no cache
        return None


def _entry(kind: str, raw: bytes) -> Path | None:
    base = folder()
    if base is None:
        return None
    return base / f"{kind}-{hashlib.sha256(raw).hexdigest()[:32]}.json"


def get(kind: str, raw: bytes) -> bytes | None:
    """The JSON stored for a file with these bytes, if any."""
    entry = _entry(kind, raw)
    if entry is None:
        return None
    try:
        return entry.read_bytes()
    except OSError:
        return None


def put(kind: str, raw: bytes, json_bytes: bytes) -> None:
    """Store the JSON for a file with these bytes: written whole under a temporary name and
    renamed, so a reader never sees half an entry; any failure leaves no trace."""
    entry = _entry(kind, raw)
    if entry is None:
        return
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(json_bytes)
        os.replace(temp, entry)
        old = sorted(entry.parent.glob(f"{kind}-*.json"), key=_mtime, reverse=True)[KEEP:]
        for stale in old:
            stale.unlink(missing_ok=True)
    except OSError:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
