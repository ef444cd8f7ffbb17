"""The command's own streams, on every console.

- A stream that cannot encode a character (a GBK or ASCII console, output redirected on
  Windows) shows a replacement instead of raising.
- A stdout closed before the command starts is replaced by the null device: the command still
  writes its output files, then says on stderr that its results could not be shown, exit 3.
- A broken pipe or a full device while printing ends with one line on stderr and exit 3, and
  no second complaint from the interpreter at exit.
- SIGTERM and SIGHUP (a closed terminal) end the command's workers and remove half-written
  outputs, then end the command as the signal would. A signal the command was started with
  ignored (``nohup``) stays ignored.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from shuangfu_cli.text.words import Lang, say

#: exit status when the results could not be shown (stdout closed, broken pipe, full device)
EXIT_NO_OUTPUT = 3

_closed_at_start = False


#: what the command does before it ends on SIGTERM or SIGHUP (end its workers), in the
#: process that called :func:`prepare` only
_AT_TERMINATION: list[Callable[[], None]] = []
_OWNER: int | None = None


def prepare(at_termination: Iterable[Callable[[], None]] = ()) -> None:
    """Call first thing in the command's process. `at_termination`: what to do before the
    command ends on SIGTERM or SIGHUP (end its workers), besides removing its half-written
    outputs."""
    global _closed_at_start, _OWNER
    if sys.stdout is None:
        _closed_at_start = True
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    for stream in (sys.stdout, sys.stderr):
        try:
            if hasattr(stream, "reconfigure"):  # a TextIOWrapper, or a wrapper passing it on
                stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass
    _OWNER = os.getpid()
    _AT_TERMINATION[:] = at_termination
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        try:
            if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, _terminated)
        except (ValueError, OSError):  # not the main thread (tests calling the app in-process)
            pass


def _terminated(signum, _frame) -> None:
    """End the workers, remove half-written outputs, then end as the signal ends a process.
    Nothing is raised: the handler can run inside code that would swallow an exception (an
    at-fork handler). In a worker that inherited it, only the worker's own files go."""
    from shuangfu_cli.writing.guard import remove_pending

    if os.getpid() == _OWNER:
        for action in _AT_TERMINATION:
            try:
                action()
            except Exception:  # noqa: BLE001 - the command ends regardless
                pass
    remove_pending()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def terminable_here():
    """While a worker (whose SIGTERM is the default action, so that a parser stuck in native
    code ends at once) writes a file: SIGTERM removes the file's temporary copy first. In the
    command's own process the handler is already there. Returns how to undo it."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    try:
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return lambda: None
        signal.signal(signal.SIGTERM, _terminated)
    except (ValueError, OSError, AttributeError):
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")


def _say(lang: Lang, why: str) -> None:
    try:
        print(say(lang, "stdout", "unwritable", why=why), file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def guarded(lang: Lang) -> Iterator[None]:
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
