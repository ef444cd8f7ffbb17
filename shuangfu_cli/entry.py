"""The `shuangfu` command's entry point (also `python -m shuangfu_cli`).

Start-up is most of a one-file validate, and a tenth of it was the garbage collector: the
imports make some 30,000 long-lived objects (typer, rich, pydantic's models) and next to no
garbage (about 600 objects), yet each full collection walked them all, during the imports and
again as the interpreter shut down. So the collector is off while the command's modules are
imported, and what they made is then frozen (``gc.freeze``: kept out of every later
collection, the pattern Python's documentation gives for a parent that forks workers, which
this command is). Objects made while the command runs are collected as usual.
"""

from __future__ import annotations

import gc


def main(argv: list[str] | None = None) -> None:
    gc.disable()
    try:
        from .cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    run(argv)
