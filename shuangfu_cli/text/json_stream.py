"""JSON on a stream, one member at a time: a rollup of thousands of towns is never held whole.

A document is plain JSON data in which an object may be a :class:`LazyObject` — a function that
produces its members as they are written. The text is the same as ``json.dumps(..., indent=2)``
of the materialised document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO


class LazyObject:
    """A JSON object whose (key, value) members are produced when it is written."""

    __slots__ = ("members",)

    def __init__(self, members: Callable[[], Iterable[tuple[str, object]]]):
        self.members = members


def materialize(obj):
    """The document with every LazyObject made a dict (for callers that want it whole)."""
    if isinstance(obj, LazyObject):
        return {k: materialize(v) for k, v in obj.members()}
    if isinstance(obj, dict):
        return {k: materialize(v) for k, v in obj.items()}
    return obj


def _has_lazy(obj) -> bool:
    return isinstance(obj, LazyObject) or (
        isinstance(obj, dict) and any(_has_lazy(v) for v in obj.values())
    )


def write_json(doc, fh: IO[str], indent: int = 2) -> None:
    """Write `doc` as indented JSON (non-ASCII as is), streaming its lazy objects."""
    _write(doc, fh, 0, indent)
    fh.write("\n")


def _write(obj, fh: IO[str], level: int, indent: int) -> None:
    if not _has_lazy(obj):
        text = json.dumps(obj, ensure_ascii=False, indent=indent)
        fh.write(text.replace("\n", "\n" + " " * (indent * level)))
        return
    members = obj.members() if isinstance(obj, LazyObject) else obj.items()
    inner = "\n" + " " * (indent * (level + 1))
    fh.write("{")
    empty = True
    for key, value in members:
        fh.write(("" if empty else ",") + inner + json.dumps(key, ensure_ascii=False) + ": ")
        _write(value, fh, level + 1, indent)
        empty = False
    fh.write("}" if empty else "\n" + " " * (indent * level) + "}")
