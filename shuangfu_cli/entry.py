"""The `shuangfu` command's entry point (also `python -m shuangfu_cli`).

Start-up and shutdown are most of a one-file validate, and a sixth of them was the garbage
collector walking what the imports made: some 30,000 long-lived objects (typer, rich, pydantic's
models) and next to no garbage (about 600 objects). So the collector is off while the command's
modules are imported, and once the command has finished everything left is frozen
(``gc.freeze``), so that the interpreter's last collections at exit skip it. While the command
runs, the collector works as usual: freezing the imports for the run itself was tried and made
a 5,000-return rollup's workers take 14 MiB more at their peak.
"""

from __future__ import annotations

import gc


def main(argv: list[str] | None = None) -> None:
    gc.disable()
    try:
        from .cli import main as run
    finally:
        gc.enable()
    try:
        run(argv)
    finally:
        gc.freeze()
