"""The command's own streams, on every console.

- A stream that cannot encode a character (a GBK or ASCII console, output redirected on
  Windows) shows a replacement instead of raising.
- A stdout closed before the command starts is replaced by the null device: the command still
  writes its output files, then says on stderr that its results could not be shown, exit 3.
- A broken pipe or a full device while printing ends with one line on stderr and exit 3, and
  no second complaint from the interpreter at exit.
- SIGTERM removes half-written outputs, then ends the command as the signal would.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: exit status when the results could not be shown (stdout closed, broken pipe, full device)
EXIT_NO_OUTPUT = 3

_closed_at_start = False

MESSAGES = {
    "zh": "标准输出无法写入（{why}），结果未能显示；已写出的文件不受影响",
    "en": "standard output could not be written ({why}): results not shown; files already "
    "written are complete",
}


def prepare() -> None:
    """Call first thing in the command's process."""
    global _closed_at_start
    if sys.stdout is None:
        _closed_at_start = True
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass
    try:
        signal.signal(signal.SIGTERM, _terminated)
    except (ValueError, OSError):  # not the main thread (tests calling the app in-process)
        pass


def _terminated(signum, _frame) -> None:
    """Remove half-written outputs, then end as the signal ends a process. Nothing is raised:
    the handler can run inside code that would swallow an exception (an at-fork handler)."""
    from .guard import remove_pending

    remove_pending()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")


def _say(lang: str, why: str) -> None:
    try:
        print(MESSAGES["zh" if lang == "zh" else "en"].format(why=why), file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def guarded(lang: str) -> Iterator[None]:
    """Around the printing of results: a stream that fails ends the command with one line on
    stderr and exit 3 (SystemExit), never a traceback."""
    try:
        yield
        sys.stdout.flush()
    except (OSError, ValueError) as exc:  # BrokenPipeError, ENOSPC, I/O on a closed file
        _silence_stdout()
        _say(lang, getattr(exc, "strerror", None) or type(exc).__name__)
        raise SystemExit(EXIT_NO_OUTPUT) from None
    if _closed_at_start:
        _say(lang, "closed")
        raise SystemExit(EXIT_NO_OUTPUT)
